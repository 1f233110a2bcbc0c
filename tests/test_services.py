"""The production services (deploy/): the unit files pass `systemd-analyze verify`, run as a
dedicated user with the environment file and restart on failure; and the daemon and the
webserver, started with the units' command lines, the production dagster.yaml and the example
environment file, run the nightly for a new delivery, alert on its quarantined file, and answer
on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from dagster_project.settings import REPO_ROOT, read_environment_file

from .alert_servers import SmtpServer, WebhookServer
from .conftest import ledger_line, write_csv

DEPLOY = REPO_ROOT / "deploy"
UNITS = {"daemon": DEPLOY / "systemd" / "warehouse-daemon.service",
         "webserver": DEPLOY / "systemd" / "warehouse-webserver.service"}
# Where the units expect the checkout; the tests run the checkout they are in.
INSTALL_DIR = "/opt/warehouse"
PORT = "3000"


def unit_settings(unit: Path) -> dict[str, str]:
    """The [Service] settings of a unit file."""
    settings, section = {}, None
    for line in unit.read_text().splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif section == "Service" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings[key] = value
    return settings


def production_commands() -> list[list[str]]:
    """The shell commands of the docs' "Production" steps (code blocks and inline), each as its words."""
    text = (REPO_ROOT / "docs" / "operations.md").read_text()
    section = re.sub(r"\\\n\s*", " ", text[text.index("## Production"):text.index("### Alerts")])
    pieces, in_block = [], False
    for line in section.splitlines():
        if line.strip().startswith("```"):
            in_block = not in_block
        else:
            pieces += [line] if in_block else re.findall(r"`([^`]+)`", line)
    wanted = ("useradd", "groupadd", "install", "cp", "sudo")
    return [shlex.split(piece, comments=True) for piece in pieces if piece.split()[:1] and piece.split()[0] in wanted]


def command(unit: str, port: int) -> list[str]:
    """The unit's ExecStart for this checkout and the virtual environment running the tests (another
    one per Python: VENV=.venv-3.13), the webserver on `port`."""
    line = unit_settings(UNITS[unit])["ExecStart"].replace(f"{INSTALL_DIR}/.venv/bin", str(Path(sys.executable).parent))
    line = line.replace(INSTALL_DIR, str(REPO_ROOT))
    return [str(port) if word == PORT else word for word in shlex.split(line)]


def test_the_units_run_as_a_dedicated_user_with_the_environment_file_and_restart_on_failure():
    for unit in UNITS.values():
        settings = unit_settings(unit)
        assert (settings["User"], settings["Group"]) == ("warehouse", "warehouse")
        assert settings["EnvironmentFile"] == "/etc/warehouse/warehouse.env"
        assert settings["Restart"] == "on-failure"
        assert settings["WorkingDirectory"] == INSTALL_DIR
    assert command("daemon", 1)[1:3] == ["run", "-w"]  # the daemon, not `dagster dev`
    assert command("webserver", 3999)[1:5] == ["-h", "127.0.0.1", "-p", "3999"]  # loopback only
    env = read_environment_file(DEPLOY / "warehouse.env.example")
    for name in ("DAGSTER_HOME", "WAREHOUSE_DIR", "WAREHOUSE_ARCHIVE_DIR", "WAREHOUSE_PUBLISHED_DB"):
        assert not env[name].startswith(INSTALL_DIR)  # data outside the checkout
    # Every setting the docs name is in the example file.
    documented = (REPO_ROOT / "docs" / "operations.md").read_text()
    assert [name for name in env if f"`{name}`" not in documented] == []


def test_the_production_steps_match_the_units_and_the_environment_file():
    """The docs' steps create the user the units run as, the folders the environment file names (owned
    by that user), install the environment file and dagster.yaml where the units and DAGSTER_HOME expect
    them, and send the test alert with the units' environment file and virtual environment."""
    commands = production_commands()
    units = [unit_settings(unit) for unit in UNITS.values()]
    env = read_environment_file(DEPLOY / "warehouse.env.example")
    [useradd] = [c for c in commands if c[0] == "useradd"]
    assert {u["User"] for u in units} == {useradd[-1]} and "--system" in useradd
    created = {}
    for c in commands:
        if c[:2] == ["install", "-d"]:
            owner = c[c.index("-o") + 1] if "-o" in c else "root"
            created |= {word: owner for word in c[2:] if word.startswith("/")}
    needed = [env["DAGSTER_HOME"], env["WAREHOUSE_DIR"], env["WAREHOUSE_ARCHIVE_DIR"], env["WAREHOUSE_LANDING_DIR"],
              str(Path(env["WAREHOUSE_PUBLISHED_DB"]).parent)]
    assert {path: created.get(path) for path in needed} == dict.fromkeys(needed, useradd[-1])
    installed = {c[-1]: c[-2] for c in commands if c[0] == "install" and "-d" not in c}
    [env_file] = {u["EnvironmentFile"] for u in units}
    assert installed[env_file] == "deploy/warehouse.env.example"
    assert installed[f"{env['DAGSTER_HOME']}/dagster.yaml"] == "deploy/dagster.yaml"
    assert ["cp", "deploy/systemd/warehouse-*.service", "/etc/systemd/system/"] in commands
    assert ["sudo", "-u", useradd[-1], f"{INSTALL_DIR}/.venv/bin/python", "-m", "dagster_project.operations.alerts",
            "test", "--env-file", env_file] in commands


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_unit_files_pass_systemd_analyze_verify(tmp_path):
    env_file = tmp_path / "warehouse.env"
    env_file.write_text((DEPLOY / "warehouse.env.example").read_text())
    for unit in UNITS.values():
        # The programs of the virtual environment running the tests (one per Python: VENV=.venv-3.13).
        text = unit.read_text().replace(f"{INSTALL_DIR}/.venv/bin", str(Path(sys.executable).parent))
        text = text.replace(INSTALL_DIR, str(REPO_ROOT))
        (tmp_path / unit.name).write_text(text.replace("/etc/warehouse/warehouse.env", str(env_file)))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *(str(tmp_path / u.name)
                                                                        for u in UNITS.values())],
                            capture_output=True, text=True)
    # Warnings about the machine (no systemd running in a container) are no findings on the units.
    findings = [line for line in result.stderr.splitlines() if any(u.name in line for u in UNITS.values())]
    assert (result.returncode, findings) == (0, [])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(what: str, seconds: float, poll):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (found := poll()) is not None:
            return found
        time.sleep(2)
    raise AssertionError(f"no {what} within {seconds:.0f} s")


def _finished_run(instance: DagsterInstance):
    runs = instance.get_runs(RunsFilter(job_name="nightly"))
    done = [r for r in runs if r.status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE)]
    return done[0] if done else None


def _answer(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except OSError:
        return None


@pytest.mark.parametrize("storage", ["sqlite", "postgres"])
def test_the_daemon_runs_the_nightly_for_a_new_delivery_alerts_and_the_webserver_answers(tmp_path, storage, request,
                                                                                        monkeypatch):
    """With Dagster's storage in SQLite files (deploy/dagster.yaml) and on PostgreSQL (with
    deploy/dagster-storage-postgres.yaml appended)."""
    smtp, webhook = SmtpServer(), WebhookServer()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAREHOUSE_", "DAGSTER_"))}
    env |= read_environment_file(DEPLOY / "warehouse.env.example")
    env |= {
        "DAGSTER_HOME": str(tmp_path / "dagster"),
        "WAREHOUSE_LANDING_DIR": str(tmp_path / "aanlevering"),
        "WAREHOUSE_DIR": str(tmp_path / "data"),
        "WAREHOUSE_PUBLISHED_DB": str(tmp_path / "publicatie" / "marts.duckdb"),
        "WAREHOUSE_ARCHIVE_DIR": str(tmp_path / "archief"),
        "WAREHOUSE_PSEUDONIMISERING_SLEUTEL": "een-geheim-van-de-servicetest-met-ruim-32-tekens",
        "WAREHOUSE_SETTLE_SECONDS": "0",
        "WAREHOUSE_ALERT_SMTP_HOST": "127.0.0.1",
        "WAREHOUSE_ALERT_SMTP_PORT": str(smtp.port),
        "WAREHOUSE_ALERT_TO": "beheer@gemeente.example",
        "WAREHOUSE_ALERT_WEBHOOK_URL": webhook.url,
        "WAREHOUSE_DAGSTER_URL": f"http://127.0.0.1:{port}",
    }
    home = Path(env["DAGSTER_HOME"])
    home.mkdir()
    variants = {"sqlite": ["dagster.yaml"], "postgres": ["dagster.yaml", "dagster-storage-postgres.yaml"]}
    (home / "dagster.yaml").write_text("".join((DEPLOY / name).read_text() for name in variants[storage]))
    if storage == "postgres":
        url = request.getfixturevalue("postgres_server").create_database("dagster")
        env["WAREHOUSE_DAGSTER_POSTGRES_URL"] = url.replace("postgresql://", "postgresql+psycopg2://", 1)
        monkeypatch.setenv("WAREHOUSE_DAGSTER_POSTGRES_URL", env["WAREHOUSE_DAGSTER_POSTGRES_URL"])
    ledger = Path(env["WAREHOUSE_LANDING_DIR"]) / "financien" / "grootboek"
    write_csv(ledger / "financien_2021_rekening.csv", [ledger_line()])
    write_csv(ledger / "financien_2022_rekening.csv", [ledger_line(jaar="2022", bedrag="veel")])

    # The storage's tables made once, before three processes would make them at the same time.
    instance = DagsterInstance.from_config(str(home))
    processes = {}
    try:
        for unit in UNITS:
            with (tmp_path / f"{unit}.log").open("w") as log:
                processes[unit] = subprocess.Popen(command(unit, port), cwd=REPO_ROOT, env=env, stdout=log,
                                                   stderr=subprocess.STDOUT, start_new_session=True)
        status, info = _wait_for("answer of the webserver", 300,
                                 lambda: _answer(f"http://127.0.0.1:{port}/server_info"))
        assert status == 200 and "dagster_webserver_version" in info

        run = _wait_for("finished nightly run", 1200, lambda: _finished_run(instance))
        assert run.status == DagsterRunStatus.SUCCESS and run.tags["trigger"] == "new_deliveries"
        assert Path(env["WAREHOUSE_PUBLISHED_DB"]).exists()

        # The run-status sensor ticks every 30 seconds.
        _wait_for("alert", 180, lambda: (smtp.messages and webhook.posts) or None)
        [(recipients, message)] = smtp.messages
        assert recipients == ["beheer@gemeente.example"]
        assert message["Subject"] == f"Datawarehouse: nightly run {run.run_id[:8]} 1 file(s) quarantined"
        assert f"http://127.0.0.1:{port}/runs/{run.run_id}" in message.get_content()
        assert "financien_2022_rekening.csv" in webhook.posts[0][2]["text"]
        assert all(p.poll() is None for p in processes.values())  # both still serving
        # SQLite's files of the run history only where it is the storage
        assert (home / "history" / "runs.db").exists() == (storage == "sqlite")
    finally:
        for process in processes.values():
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            process.wait(60)
        smtp.stop()
        webhook.stop()
