"""The landing directory as a whole: what no source claims is reported (the run summary, Dagster,
the quarantine and the report's verantwoording) and never read; a landing directory in which no
source finds its folder stops the run instead of publishing empty facts."""

from __future__ import annotations

from dagster import DagsterInstance

from dagster_project.definitions import defs
from dagster_project.ingest.landing import survey
from dagster_project.ingest.loading import load_source
from dagster_project.operations.run import run_config, summarise
from dagster_project.sources import CONTRACTS
from dagster_project.sources.financien import GROOTBOEK

from .conftest import ledger_line, query, write_csv

EXPECTED = ", ".join(sorted(c.folder + "/" for c in CONTRACTS))


def lay_out(landing, *entries: str) -> None:
    """Folders (ending in /) and files under the landing directory."""
    for entry in entries:
        path = landing / entry
        if entry.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x")


def test_the_survey_tells_the_source_folders_from_what_no_source_claims(tmp_path):
    lay_out(tmp_path, "financien/grootboek/", "financien/grootbok/", "finance/grootboek/", "readme.txt",
            ".hidden/", "~$lock.xlsx", "registraties/wmo/")
    landing = survey(tmp_path, CONTRACTS)
    assert landing.found == ("financien/grootboek/", "registraties/wmo/")
    assert landing.unknown == ("finance/", "financien/grootbok/", "readme.txt")
    assert landing.expected == tuple(EXPECTED.split(", "))


def test_the_loader_records_what_no_source_claims_once(paths, ledger_dir):
    write_csv(paths.landing_dir / "financien" / "grootbok" / "financien_2021.csv", [ledger_line()])
    report = load_source(GROOTBOEK, paths)
    assert report.landing_unknown == ("financien/grootbok/",)
    assert query(paths.build_db, "SELECT source, file_name, value, reason, expected FROM raw.quarantine") == [
        ("landing", "grootbok", "financien/grootbok/",
         "no source claims this entry of the landing directory: nothing in it is read",
         f"one of the source folders: {EXPECTED}")]
    load_source(GROOTBOEK, paths)
    assert query(paths.build_db, "SELECT count(*) FROM raw.load_log WHERE source = 'landing'") == [(1,)]


def run(paths):
    instance = DagsterInstance.ephemeral()
    result = defs.resolve_job_def("nightly").execute_in_process(
        run_config=run_config(paths), instance=instance, raise_on_error=False)
    warnings = [e.user_message for e in instance.all_logs(result.run_id) if e.level >= 30]
    return result, warnings


def test_unknown_folders_show_in_the_summary_dagster_and_the_verantwoording(paths, ledger_dir):
    write_csv(ledger_dir / "financien_2021.csv", [ledger_line()])
    write_csv(paths.landing_dir / "financien" / "grootbok" / "financien_2022.csv", [ledger_line(jaar="2022")])
    lay_out(paths.landing_dir, "finance/")
    result, warnings = run(paths)
    assert result.success
    text, ok = summarise(result, paths)
    assert ok
    assert (f"  landing directory: not read, no source claims them: finance/, financien/grootbok/ (the source "
            f"folders are {EXPECTED})") in text.splitlines()
    assert f"landing directory {paths.landing_dir}: not read, no source claims them: finance/, " \
           "financien/grootbok/" in "\n".join(warnings)
    assert query(paths.loads_db, "SELECT value FROM quarantine WHERE source = 'landing' ORDER BY value") == [
        ("finance/",), ("financien/grootbok/",)]
    page = (paths.report_dir / "verantwoording.html").read_text()
    assert "financien/grootbok/" in page and "no source claims this entry of the landing directory" in page
    assert query(paths.published_db, "SELECT DISTINCT jaar FROM fct_financien") == [(2021,)]


def test_a_landing_directory_without_a_source_folder_fails_the_run(tmp_path, paths):
    (paths.landing_dir / "financien" / "grootboek").rmdir()
    lay_out(paths.landing_dir, "finance/grootboek/financien_2021.csv", "Financien/")
    result, _ = run(paths)
    assert not result.success
    text, ok = summarise(result, paths)
    assert not ok
    assert (f"the landing directory {paths.landing_dir} holds no source folder (it holds Financien/, finance/): "
            "no source finds its folder, so the run stops instead of publishing empty facts") in text
    assert f"The source folders are {EXPECTED}" in text
    assert not paths.build_db.exists() and not paths.published_db.exists()


def test_a_landing_directory_that_does_not_exist_fails_the_run(tmp_path, paths):
    paths = type(paths)(tmp_path / "typo", paths.warehouse_dir, paths.published_db)
    result, _ = run(paths)
    text, ok = summarise(result, paths)
    assert not ok and f"the landing directory {paths.landing_dir} does not exist" in text
