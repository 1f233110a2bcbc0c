"""Benchmark: what the keys of a large fact cost the publish, and where that cost lies.

    python -m benchmarks.foreign_keys [answer rows]

A fact shaped like fct_enquete_antwoord (a primary key and three foreign keys: to a
respondent dimension of one row per 13 answers and to two small dimensions) is
copied from one DuckDB file to a new one, as the publish does (publication/files.py),
in five ways: without constraints, with the primary key only, with the foreign keys
only, with both (what the publish does), and without constraints but with an index
on each foreign-key column. DuckDB keeps an ART index on the columns of every foreign
key of the referencing table, so the last way shows what of the cost is that index
and what is the check against the referenced key. DuckDB 2.0 cannot add a foreign key
to a filled table (ALTER TABLE ... ADD FOREIGN KEY is not implemented) and has no
setting that skips the check, so a declared foreign key is always built on insert
(docs/publication.md#measured).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dagster_project.publication.files import STORAGE_VERSION

from .memory import Usage

COLUMNS = "antwoord_id BIGINT, respondent_key BIGINT, vraag_key BIGINT, antwoord_key BIGINT, waarde DOUBLE"
PRIMARY = ", PRIMARY KEY (antwoord_id)"
FOREIGN = (", FOREIGN KEY (respondent_key) REFERENCES respondent (respondent_key)"
           ", FOREIGN KEY (vraag_key) REFERENCES vraag (vraag_key)"
           ", FOREIGN KEY (antwoord_key) REFERENCES antwoord (antwoord_key)")
INDEXES = "; ".join(f"CREATE INDEX {column}_index ON pub.fct ({column})"
                    for column in ("respondent_key", "vraag_key", "antwoord_key"))
WAYS = {
    "no constraints": None,
    "primary key only": PRIMARY,
    "foreign keys only": FOREIGN,
    "primary and foreign keys (the publish)": PRIMARY + FOREIGN,
    "no constraints, an index per foreign-key column": INDEXES,
}


def write_source(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(f"""
            CREATE TABLE respondent AS SELECT range AS respondent_key FROM range({rows // 13 + 1});
            CREATE TABLE vraag AS SELECT range AS vraag_key FROM range(25);
            CREATE TABLE antwoord AS SELECT range AS antwoord_key FROM range(26);
            CREATE TABLE fct AS SELECT range AS antwoord_id, range // 13 AS respondent_key, range % 25 AS vraag_key,
                range % 26 AS antwoord_key, random() AS waarde FROM range({rows})""")


def publish(source: Path, target: Path, constraints: str | None) -> float:
    """Seconds to copy the fact into a new file the given way (the dimensions first, with their keys)."""
    target.unlink(missing_ok=True)
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY); "
                    f"ATTACH '{target}' AS pub (STORAGE_VERSION '{STORAGE_VERSION}')")
        for table in ("respondent", "vraag", "antwoord"):
            key = f"{table}_key"
            con.execute(f"CREATE TABLE pub.{table} ({key} BIGINT PRIMARY KEY); "
                        f"INSERT INTO pub.{table} SELECT * FROM src.{table}")
        start = time.time()
        if constraints is None or constraints == INDEXES:
            con.execute("CREATE TABLE pub.fct AS SELECT * FROM src.fct")
            if constraints:
                con.execute(constraints)
        else:
            con.execute(f"CREATE TABLE pub.fct ({COLUMNS}{constraints}); INSERT INTO pub.fct SELECT * FROM src.fct")
        con.execute("CHECKPOINT pub")
        return time.time() - start


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 13_000_000
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "build.duckdb", Path(tmp) / "pub.duckdb"
        write_source(source, rows)
        print(f"a fact of {rows:,} rows with a primary key and three foreign keys, copied to a new file")
        for way, constraints in WAYS.items():
            with Usage() as usage:
                seconds = publish(source, target, constraints)
            print(f"  {way:<50} {seconds:6.1f} s  peak {usage.peak_mb:,.0f} MB  "
                  f"file {target.stat().st_size / 1e6:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
