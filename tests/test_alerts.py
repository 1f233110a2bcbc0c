"""Alerts: a night that holds a mart back and quarantines a file sends an e-mail (to an SMTP
server on 127.0.0.1) and a webhook message (to an HTTP server on 127.0.0.1) saying what
happened, which marts and why, which files, and where to look; a failed run alerts with its
error; a good night and an unconfigured warehouse send nothing."""

from __future__ import annotations

import pytest
from dagster import DagsterEventType, DagsterInstance, SkipReason, build_run_status_sensor_context, job, op

from dagster_project.defs.alerts import SENSORS
from dagster_project.defs.resources import WarehouseResource
from dagster_project.operations import alerts
from dagster_project.operations.alerts import AlertSettings, run_alert, send
from dagster_project.settings import REPO_ROOT

from .alert_servers import SmtpServer, WebhookServer
from .conftest import ledger_line, run_nightly, write_csv
from .test_runs import TOTALS_HEADER, totals

ALERT_ENV = ("WAREHOUSE_ALERT_SMTP_HOST", "WAREHOUSE_ALERT_SMTP_PORT", "WAREHOUSE_ALERT_TO",
             "WAREHOUSE_ALERT_WEBHOOK_URL", "WAREHOUSE_DAGSTER_URL")


@pytest.fixture
def servers(monkeypatch):
    smtp, webhook = SmtpServer(), WebhookServer()
    monkeypatch.setenv("WAREHOUSE_ALERT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WAREHOUSE_ALERT_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("WAREHOUSE_ALERT_TO", "beheer@gemeente.example, analist@gemeente.example")
    monkeypatch.setenv("WAREHOUSE_ALERT_WEBHOOK_URL", webhook.url)
    monkeypatch.setenv("WAREHOUSE_DAGSTER_URL", "https://dagster.gemeente.example/")
    yield smtp, webhook
    smtp.stop()
    webhook.stop()


@op
def publish_step():
    raise OSError("[Errno 28] No space left on device")


@job(name="nightly")
def broken_nightly():
    publish_step()


def _sensor_context(instance: DagsterInstance, run_id: str, paths, status: str):
    sensor = next(s for s in SENSORS if s.name == f"alert_on_{status}")
    run = instance.get_run_by_id(run_id)
    event = next(record.dagster_event for record in instance.all_logs(run_id) if record.dagster_event
                 and record.dagster_event.event_type in (DagsterEventType.RUN_SUCCESS, DagsterEventType.RUN_FAILURE))
    warehouse = WarehouseResource(landing_dir=str(paths.landing_dir), warehouse_dir=str(paths.warehouse_dir),
                                  published_db=str(paths.published_db))
    context = build_run_status_sensor_context(sensor_name=sensor.name, dagster_event=event, dagster_instance=instance,
                                              dagster_run=run, resources={"warehouse": warehouse})
    return sensor, context


def test_a_night_that_holds_back_and_quarantines_alerts_by_email_and_webhook(paths, ledger_dir, servers):
    smtp, webhook = servers
    instance = DagsterInstance.ephemeral()
    totals_dir = paths.landing_dir / "financien" / "gemeentetotalen"
    write_csv(ledger_dir / "financien_2021_rekening.csv", [ledger_line()])
    write_csv(totals_dir / "gemeentetotalen_1.csv", [totals("-497.800.000,00")], header=TOTALS_HEADER)
    good = run_nightly(paths, instance=instance)
    assert good.success
    sensor, context = _sensor_context(instance, good.run_id, paths, "success")
    with context:
        assert isinstance(sensor(context), SkipReason)  # a good night needs nobody
    assert smtp.messages == [] and webhook.posts == []

    write_csv(totals_dir / "gemeentetotalen_2.csv", [totals("-1.000,00")], header=TOTALS_HEADER)
    write_csv(ledger_dir / "financien_2022_rekening.csv", [ledger_line(jaar="2022", bedrag="veel")])
    bad = run_nightly(paths, instance=instance)
    assert bad.success
    sensor, context = _sensor_context(instance, bad.run_id, paths, "success")
    with context:
        sensor(context)

    [(recipients, message)] = smtp.messages
    assert recipients == ["beheer@gemeente.example", "analist@gemeente.example"]
    assert message["Subject"] == (f"Datawarehouse: nightly run {bad.run_id[:8]} 2 mart(s) held back, "
                                  "1 file(s) quarantined")
    body = message.get_content().replace("\r\n", "\n")
    for expected in (
        f"Nightly run {bad.run_id} of the warehouse: 2 mart(s) held back, 1 file(s) quarantined.",
        f"  rpt_programma_totalen  held back at run {good.run_id}: Great Expectations suite rpt_programma_totalen "
        "failed: A share of the municipal total lies between 0 and 100%",
        "  rpt_financien_aansluiting  held back at run",
        "  financien_grootboek:\n  - `financien_2022_rekening.csv` (load ",
        f"  the Dagster run:        https://dagster.gemeente.example/runs/{bad.run_id}",
        f"  the report's verantwoording: {paths.report_dir / 'verantwoording.html'}",
        f"{paths.loads_db}",
    ):
        assert expected in body
    [(path, content_type, payload)] = webhook.posts
    assert (path, content_type) == ("/webhook", "application/json")
    assert payload == {"text": f"{message['Subject']}\n\n```\n{body.rstrip()}\n```"}


def test_a_failed_run_alerts_with_its_error_and_one_channel_down_keeps_the_other(paths, servers, monkeypatch):
    smtp, webhook = servers
    instance = DagsterInstance.ephemeral()
    result = broken_nightly.execute_in_process(instance=instance, raise_on_error=False)
    run = instance.get_run_by_id(result.run_id)
    alert = run_alert(instance, run, paths, "http://127.0.0.1:3000")
    assert alert.subject == f"Datawarehouse: nightly run {result.run_id[:8]} FAILED"
    assert "The run failed; the published release was not changed" in alert.body
    assert "  publish_step: OSError: [Errno 28] No space left on device\n    The disk is full: " in alert.body

    stopped = SmtpServer()
    stopped.stop()  # nothing listens on its port any more
    monkeypatch.setenv("WAREHOUSE_ALERT_SMTP_PORT", str(stopped.port))
    with pytest.raises(RuntimeError, match=r"alert not sent on e-mail: ConnectionRefusedError.*sent on: webhook"):
        send(alert, AlertSettings.from_env())
    assert len(webhook.posts) == 1 and smtp.messages == []


def test_no_alert_configured_sends_nothing(paths, monkeypatch):
    for name in ALERT_ENV:
        monkeypatch.delenv(name, raising=False)
    instance = DagsterInstance.ephemeral()
    result = broken_nightly.execute_in_process(instance=instance, raise_on_error=False)
    sensor, context = _sensor_context(instance, result.run_id, paths, "failure")
    with context:
        skipped = sensor(context)
    assert isinstance(skipped, SkipReason) and skipped.skip_message.startswith("no alert configured")
    assert send(run_alert(instance, instance.get_run_by_id(result.run_id), paths, ""), AlertSettings.from_env()) == []


def test_the_test_alert_reaches_the_channels_of_the_environment_file(tmp_path, monkeypatch, capsys):
    """The installation's check: `python -m dagster_project.operations.alerts test --env-file ...` with the example
    environment file, filled in as the docs say, sends a test message by e-mail and webhook."""
    for name in ALERT_ENV:
        monkeypatch.delenv(name, raising=False)
    example = REPO_ROOT / "deploy" / "warehouse.env.example"
    env_file = tmp_path / "warehouse.env"
    env_file.write_text(example.read_text())
    assert alerts.main(["test", "--env-file", str(env_file)]) == 1  # as delivered: no channel
    assert "No alert channel is configured" in capsys.readouterr().out

    smtp, webhook = SmtpServer(), WebhookServer()
    try:
        filled = {"WAREHOUSE_ALERT_SMTP_HOST": "127.0.0.1", "WAREHOUSE_ALERT_SMTP_PORT": str(smtp.port),
                  "WAREHOUSE_ALERT_TO": "beheer@gemeente.example", "WAREHOUSE_ALERT_WEBHOOK_URL": webhook.url}
        lines = [(line.split("=", 1)[0], line) for line in example.read_text().splitlines()]
        env_file.write_text("\n".join(f"{name}={filled[name]}" if name in filled else line for name, line in lines))
        assert alerts.main(["test", "--env-file", str(env_file)]) == 0
        assert capsys.readouterr().out.strip() == "Test alert sent by e-mail and webhook to beheer@gemeente.example."
        [(recipients, message)] = smtp.messages
        assert recipients == ["beheer@gemeente.example"] and message["Subject"] == "Datawarehouse: test alert"
        assert "http://127.0.0.1:3000" in message.get_content()  # the example's WAREHOUSE_DAGSTER_URL
        assert webhook.posts[0][2]["text"].startswith("Datawarehouse: test alert")

        smtp.stop()  # the mail server down: the webhook still gets it, the command says what failed
        assert alerts.main(["test", "--env-file", str(env_file)]) == 1
        assert "alert not sent on e-mail" in capsys.readouterr().out and len(webhook.posts) == 2
    finally:
        webhook.stop()
