"""Alerts: an e-mail (SMTP) and a webhook message (Microsoft Teams, Slack) when a nightly run
fails, holds marts back or quarantines a file. Settings from the environment (WAREHOUSE_ALERT_*);
none set means no alert is sent. The daemon's run-status sensors send them (defs/alerts.py).

    python -m dagster_project.operations.alerts test [--env-file /etc/warehouse/warehouse.env]

sends a test message on every configured channel (docs/operations.md, "Production").
"""

from __future__ import annotations

import argparse
import json
import os
import smtplib
import socket
import sys
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from dagster import DagsterEvent, DagsterEventType, DagsterInstance, DagsterRun

from ..report.verantwoording import PATH as VERANTWOORDING_PAGE
from ..settings import WarehousePaths, read_environment_file
from ..sources import CONTRACTS
from .run import failures, not_fresh_note

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class AlertSettings:
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = ""
    sender: str = ""
    recipients: tuple[str, ...] = ()
    webhook_url: str = ""
    dagster_url: str = "http://127.0.0.1:3000"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> AlertSettings:
        env = environ.get
        return cls(
            smtp_host=env("WAREHOUSE_ALERT_SMTP_HOST", ""),
            smtp_port=int(env("WAREHOUSE_ALERT_SMTP_PORT") or 25),
            smtp_starttls=env("WAREHOUSE_ALERT_SMTP_STARTTLS", "no").strip().lower() in ("yes", "true", "1"),
            smtp_user=env("WAREHOUSE_ALERT_SMTP_USER", ""),
            smtp_password=env("WAREHOUSE_ALERT_SMTP_PASSWORD", ""),
            sender=env("WAREHOUSE_ALERT_FROM", "") or "datawarehouse@localhost",
            recipients=tuple(a.strip() for a in env("WAREHOUSE_ALERT_TO", "").split(",") if a.strip()),
            webhook_url=env("WAREHOUSE_ALERT_WEBHOOK_URL", ""),
            dagster_url=(env("WAREHOUSE_DAGSTER_URL", "") or cls.dagster_url).rstrip("/"),
        )

    @property
    def email(self) -> bool:
        return bool(self.smtp_host and self.recipients)


@dataclass(frozen=True)
class Alert:
    subject: str
    body: str


def _materializations(events: list[DagsterEvent]) -> dict[str, dict]:
    """The metadata of each asset the run materialised, by asset name."""
    found = {}
    for event in events:
        if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.event_specific_data.materialization
            found[materialization.asset_key.to_user_string()] = {k: v.value for k, v in
                                                                  materialization.metadata.items()}
    return found


def compose(run: DagsterRun, events: list[DagsterEvent], paths: WarehousePaths, dagster_url: str,
            contracts=CONTRACTS) -> Alert | None:
    """The alert for a finished nightly run, or None when it needs nobody: it succeeded, held
    no mart back and quarantined no file."""
    failed = failures(events) if run.is_failure else []
    materialized = _materializations(events)
    held_back = (materialized.get("published_marts") or {}).get("not_current") or {}
    quarantined = [(c.source, meta) for c in contracts if (meta := materialized.get(c.source))
                   and (meta.get("files_quarantined") or meta.get("source_problem"))]
    if not (run.is_failure or held_back or quarantined):
        return None
    what = []
    if run.is_failure:
        what.append("FAILED")
    if held_back:
        what.append(f"{len(held_back)} mart(s) held back")
    if quarantined:
        what.append(f"{sum(meta.get('files_quarantined') or 0 for _, meta in quarantined)} file(s) quarantined")
    lines = [f"Nightly run {run.run_id} of the warehouse: {', '.join(what)}.", ""]
    if failed:
        lines += ["The run failed; the published release was not changed (analysts keep the last good marts).",
                  "Failed:", *failed, ""]
    if held_back:
        lines.append("Held back (analysts keep the last good release of these marts):")
        lines += [f"  {mart}{not_fresh_note(detail)}" for mart, detail in held_back.items()]
        lines.append("")
    if quarantined:
        lines.append("Quarantined (not loaded; the other files were):")
        for source, meta in quarantined:
            if meta.get("files_quarantined"):
                lines.append(f"  {source}:")
                lines += [f"  {line}" for line in str(meta["quarantined"]).splitlines()]
            if meta.get("source_problem"):
                lines.append(f"  {source}: {meta['source_problem']}")
        lines.append("")
    lines += [
        "Where to look:",
        f"  the Dagster run:        {dagster_url}/runs/{run.run_id}",
        f"  the report's verantwoording: {paths.report_dir / VERANTWOORDING_PAGE}",
        f"  load log and quarantine (every problem with file, row, column, value and reason): {paths.loads_db}",
        f"  the published release (tables publicatie, publicatie_mart): {paths.published_db}",
    ]
    return Alert(f"Datawarehouse: nightly run {run.run_id[:8]} {', '.join(what)}", "\n".join(lines))


def run_alert(instance: DagsterInstance, run: DagsterRun, paths: WarehousePaths, dagster_url: str) -> Alert | None:
    """The alert for a finished run of the instance, from its event log."""
    events = [record.dagster_event for record in instance.all_logs(run.run_id) if record.dagster_event]
    return compose(run, events, paths, dagster_url)


def send_email(alert: Alert, settings: AlertSettings) -> None:
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = alert.subject, settings.sender, ", ".join(settings.recipients)
    message.set_content(alert.body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def send_webhook(alert: Alert, settings: AlertSettings) -> None:
    """A JSON POST with a `text` field: what an incoming webhook of Teams and of Slack takes."""
    payload = json.dumps({"text": f"{alert.subject}\n\n```\n{alert.body}\n```"}).encode()
    request = urllib.request.Request(settings.webhook_url, data=payload, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        response.read()


def send(alert: Alert, settings: AlertSettings) -> list[str]:
    """Sends the alert on every configured channel; returns the channels it went to. One channel
    failing does not keep the alert from the other; the failures are raised afterwards."""
    sent, errors = [], []
    for channel, configured, sender in (("e-mail", settings.email, send_email),
                                        ("webhook", bool(settings.webhook_url), send_webhook)):
        if not configured:
            continue
        try:
            sender(alert, settings)
            sent.append(channel)
        except (OSError, smtplib.SMTPException) as error:
            errors.append(f"{channel}: {type(error).__name__}: {error}")
    if errors:
        raise RuntimeError(f"alert not sent on {'; '.join(errors)} (sent on: {', '.join(sent) or 'none'})")
    return sent


def trial_alert(settings: AlertSettings) -> Alert:
    """A message that only proves the channels reach the people responsible."""
    return Alert("Datawarehouse: test alert", "\n".join([
        f"A test message of the warehouse's alerts, sent from {socket.gethostname()} with "
        "`python -m dagster_project.operations.alerts test`. Nothing needs to be done.",
        "",
        "Real alerts arrive when a nightly run fails, holds marts back or quarantines a file; a good night sends none.",
        f"The Dagster UI, as the alerts link to it: {settings.dagster_url}",
    ]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dagster_project.operations.alerts",
                                     description="Send a test alert on every configured channel.")
    parser.add_argument("command", choices=["test"])
    parser.add_argument("--env-file", type=Path,
                        help="the services' environment file, e.g. /etc/warehouse/warehouse.env")
    args = parser.parse_args(argv)
    environ = {**os.environ, **(read_environment_file(args.env_file) if args.env_file else {})}
    settings = AlertSettings.from_env(environ)
    if not (settings.email or settings.webhook_url):
        print("No alert channel is configured: set WAREHOUSE_ALERT_SMTP_HOST and WAREHOUSE_ALERT_TO (e-mail) "
              "or WAREHOUSE_ALERT_WEBHOOK_URL (Teams, Slack) in the environment file.")
        return 1
    try:
        sent = send(trial_alert(settings), settings)
    except RuntimeError as error:
        print(f"Test alert: {error}")
        return 1
    print(f"Test alert sent by {' and '.join(sent)}"
          + (f" to {', '.join(settings.recipients)}" if settings.email else "") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
