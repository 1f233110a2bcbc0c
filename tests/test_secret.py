"""The pseudonymisation secret: required for every landing directory but the embedded sample."""

from __future__ import annotations

import pytest

from dagster_project.operations.run import summarise
from dagster_project.settings import (
    MIN_SECRET_CHARS,
    SAMPLE_LANDING_DIR,
    SAMPLE_SECRET,
    SECRET_VARIABLE,
    MissingSecret,
    pseudonym_secret,
    require_secret,
)

from .conftest import ledger_line, run_nightly, write_csv


def test_the_embedded_sample_needs_no_secret(monkeypatch):
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    require_secret(SAMPLE_LANDING_DIR)
    assert pseudonym_secret() == SAMPLE_SECRET


@pytest.mark.parametrize("secret, problem", [
    (None, "is not set"),
    ("", "is not set"),
    ("kort", f"has 4 characters, fewer than {MIN_SECRET_CHARS}"),
    (SAMPLE_SECRET, "is the sample's secret from the repository"),
])
def test_other_landing_directories_refuse_a_missing_short_or_sample_secret(tmp_path, monkeypatch, secret, problem):
    if secret is None:
        monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(SECRET_VARIABLE, secret)
    with pytest.raises(MissingSecret, match=f"{SECRET_VARIABLE} {problem}: a run on {tmp_path} "):
        require_secret(tmp_path)


def test_a_long_secret_of_its_own_is_enough(tmp_path, monkeypatch):
    monkeypatch.setenv(SECRET_VARIABLE, "x" * MIN_SECRET_CHARS)
    require_secret(tmp_path)


def test_a_run_without_a_secret_refuses_to_start_and_says_how_to_set_one(paths, ledger_dir, monkeypatch):
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    write_csv(ledger_dir / "financien_2021.csv", [ledger_line()])
    result = run_nightly(paths)
    assert not result.success
    assert not paths.build_db.exists()  # nothing loaded
    text, ok = summarise(result, paths)
    assert not ok
    assert f"{SECRET_VARIABLE} is not set: a run on {paths.landing_dir}" in text
    assert f"export {SECRET_VARIABLE}=" in text
