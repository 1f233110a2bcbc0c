"""Paths and settings, read from the environment with repo-relative defaults.

Every path can be overridden with an environment variable so that a
deployment keeps its data outside the checkout.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
REFERENCE_DIR = REPO_ROOT / "seeds" / "reference"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
SAMPLE_LANDING_DIR = REPO_ROOT / "seeds" / "sample_landing"
# The illustrative region sample (seeds/generators/regio.py, docs/regio.md).


def duckdb_config() -> dict[str, str]:
    """Settings for every DuckDB connection of the warehouse (dbt's come from dbt/profiles.yml):
    DuckDB spills to disk beyond the memory limit instead of taking most of the machine."""
    return {"memory_limit": os.environ.get("WAREHOUSE_DUCKDB_MEMORY_LIMIT", "4GB")}


def postgres_settings() -> dict:
    """The optional PostgreSQL publication: WAREHOUSE_POSTGRES_URL (empty: none),
    WAREHOUSE_POSTGRES_SCHEMA, WAREHOUSE_POSTGRES_READER_ROLE and
    WAREHOUSE_POSTGRES_ROW_SECURITY (`true`: each gemeente's login sees its own rows only)."""
    return {
        "url": os.environ.get("WAREHOUSE_POSTGRES_URL", ""),
        "schema": os.environ.get("WAREHOUSE_POSTGRES_SCHEMA", "marts"),
        "reader_role": os.environ.get("WAREHOUSE_POSTGRES_READER_ROLE", "marts_reader"),
        "row_security": os.environ.get("WAREHOUSE_POSTGRES_ROW_SECURITY", "").strip().lower() in ("1", "true", "ja"),
    }


DEFAULT_SETTLE_SECONDS = 60


def settle_seconds() -> float:
    """A delivery modified less than this many seconds ago may still be being written:
    the run skips it and a later run loads it (WAREHOUSE_SETTLE_SECONDS)."""
    return float(os.environ.get("WAREHOUSE_SETTLE_SECONDS", DEFAULT_SETTLE_SECONDS))


SECRET_VARIABLE = "WAREHOUSE_PSEUDONIMISERING_SLEUTEL"
# The secret in the repository: only for the embedded sample, which has no real people.
SAMPLE_SECRET = "alleen-voor-voorbeelddata"
MIN_SECRET_CHARS = 32


def pseudonym_secret() -> str:
    """The secret in every pseudonym (dbt macro pseudonym): the setting, else the sample's (which
    `require_secret` refuses for every landing directory but the embedded sample)."""
    return os.environ.get(SECRET_VARIABLE) or SAMPLE_SECRET


class MissingSecret(Exception):
    """A run on real deliveries without a pseudonymisation secret of its own."""


def require_secret(landing_dir: Path) -> None:
    """Outside the embedded sample, the pseudonyms need a secret of at least MIN_SECRET_CHARS characters
    that is not the sample's (anyone with the repository could recompute the keys from a client number).
    The embedded sample (no real people) may use the sample's secret."""
    if landing_dir.resolve() == SAMPLE_LANDING_DIR.resolve():
        return
    secret = os.environ.get(SECRET_VARIABLE, "")
    if len(secret) >= MIN_SECRET_CHARS and secret != SAMPLE_SECRET:
        return
    problem = ("is not set" if not secret else "is the sample's secret from the repository"
               if secret == SAMPLE_SECRET else f"has {len(secret)} characters, fewer than {MIN_SECRET_CHARS}")
    raise MissingSecret(
        f"{SECRET_VARIABLE} {problem}: a run on {landing_dir} (not the embedded sample) needs a pseudonymisation "
        f"secret of its own of at least {MIN_SECRET_CHARS} characters. Set a random one once and keep it stable "
        f"and out of version control, e.g. export {SECRET_VARIABLE}=\"$(python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(48))')\" (docs/operations.md). Nothing was loaded.")


def report_gemeenten() -> list[str] | None:
    """The gemeenten (CBS codes, comma-separated in WAREHOUSE_RAPPORT_GEMEENTEN) that get report pages;
    None (not set) means every gemeente in the marts."""
    value = os.environ.get("WAREHOUSE_RAPPORT_GEMEENTEN", "")
    codes = [code.strip() for code in value.split(",") if code.strip()]
    return codes or None


def reference_dir() -> Path:
    """The reference data the loaders and dbt's seeds read: seeds/reference, or another folder of the
    same files (WAREHOUSE_REFERENCE_DIR), such as the illustrative region sample's (docs/regio.md)."""
    return _path("WAREHOUSE_REFERENCE_DIR", REFERENCE_DIR)


def per_gemeente() -> bool:
    """WAREHOUSE_PER_GEMEENTE=true: publish the DuckDB file, the Parquet folder and the report per
    gemeente as well, each with only that gemeente's microdata (publication/per_gemeente.py)."""
    return os.environ.get("WAREHOUSE_PER_GEMEENTE", "").strip().lower() in ("1", "true", "ja")


def read_environment_file(path: Path) -> dict[str, str]:
    """The NAME=value lines of a service's environment file (/etc/warehouse/warehouse.env), as systemd's
    EnvironmentFile= reads them: comments and blank lines skipped, surrounding quotes removed."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith(("#", ";")) and "=" in line)
    return {name.strip(): value.strip().strip("'\"") for name, value in pairs}


def _path(variable: str, default: Path) -> Path:
    value = os.environ.get(variable)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class WarehousePaths:
    """Where the warehouse reads deliveries and writes its files."""

    landing_dir: Path
    warehouse_dir: Path
    published_db: Path

    @property
    def build_db(self) -> Path:
        """The working file: raw, quarantine, staging and marts. Never read by analysts."""
        return self.warehouse_dir / "build.duckdb"

    @property
    def loads_db(self) -> Path:
        """Published copy of raw.load_log and raw.quarantine, safe to open while a run builds."""
        return self.warehouse_dir / "loads.duckdb"

    @property
    def lock_file(self) -> Path:
        """Held by the run working on this warehouse (see operations/lock.py)."""
        return self.warehouse_dir / ".nightly.lock"

    @property
    def report_dir(self) -> Path:
        """The programme report: a static site next to the published file (a link to the current release)."""
        return self.published_db.parent / "rapport"

    @property
    def quarantine_dir(self) -> Path:
        return self.warehouse_dir / "quarantine"

    @property
    def incoming_dir(self) -> Path:
        """Private copies of the files being loaded (removed after each file)."""
        return self.warehouse_dir / "incoming"

    @property
    def validation_dir(self) -> Path:
        return self.warehouse_dir / "validation"

    @property
    def archive_dir(self) -> Path:
        """Every delivery loaded or quarantined, by content (ingest/archive.py): WAREHOUSE_ARCHIVE_DIR;
        keep it on other storage than the warehouse in production."""
        return _path("WAREHOUSE_ARCHIVE_DIR", self.warehouse_dir / "archive")

    @classmethod
    def from_env(cls) -> WarehousePaths:
        warehouse_dir = _path("WAREHOUSE_DIR", REPO_ROOT / "warehouse")
        return cls(
            landing_dir=_path("WAREHOUSE_LANDING_DIR", SAMPLE_LANDING_DIR),
            warehouse_dir=warehouse_dir,
            published_db=_path("WAREHOUSE_PUBLISHED_DB", warehouse_dir / "marts.duckdb"),
        )
