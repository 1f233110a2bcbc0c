"""The illustrative region sample (seeds/sample_regio_landing/, docs/regio.md): one nightly run
of four gemeenten of the jeugdhulpregio Haaglanden, published per gemeente. The loaders, the
marts and the counting rules keep the gemeenten apart (Zoetermeer's figures are those of the
embedded sample alone), and each gemeente's file and report hold only its own microdata."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.publication.microdata import PUBLIC_TABLES
from dagster_project.publication.per_gemeente import gemeente_paths
from dagster_project.publication.targets import behind
from dagster_project.settings import REPO_ROOT, WarehousePaths
from tests.conftest import query, run_nightly
from tests.test_per_gemeente import check_gemeente_file


def _generator():
    spec = importlib.util.spec_from_file_location("sample_regio", REPO_ROOT / "seeds" / "generators" / "regio.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
CODES = sorted([*GENERATOR.GEMEENTEN, GENERATOR.ZOETERMEER])
# Exports a gemeente's figures do not come from: Rijswijk's superseded one, Zoetermeer's two rejected ones.
NOT_COUNTED = ("20250113", "20250120")
REJECTED = ["jeugdhulp_GM0637_2021-2024_20250113.csv", "jeugdhulp_GM0637_2021-2024_20250120.csv"]
# Columns that name the load of a delivered line: another in every warehouse.
LOAD_COLUMNS = ("bron_load_id", "financien_regel_key")
# The marts of Zoetermeer's registrations and finance, whose rows the region must leave as the sample has them.
ZOETERMEER_MARTS = ("fct_jeugdhulp_traject", "fct_jeugdhulp_zorgperiode", "fct_wmo_voorziening", "rpt_jeugdhulp_jaar",
                    "rpt_wmo_jaar", "fct_financien", "rpt_financien_doelstelling")


@pytest.fixture(scope="module")
def regio(tmp_path_factory):
    """The nightly once on the region sample's landing folder, with its reference data, per gemeente."""
    root = tmp_path_factory.mktemp("regio")
    GENERATOR.assemble_landing(root / "landing")
    paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WAREHOUSE_REFERENCE_DIR", str(GENERATOR.write_reference(root / "reference")))
        env.setenv("WAREHOUSE_PER_GEMEENTE", "true")
        result = run_nightly(paths)
        assert result.success
        assert behind(paths, None) == {}  # every gemeente's file, Parquet folder and report hold the release
    return paths


def _rows(path: Path) -> list[dict]:
    return GENERATOR._read(path)[1]


def _files(paths: WarehousePaths, pattern: str) -> list[Path]:
    return sorted(paths.landing_dir.glob(pattern))


def test_every_delivery_loads_and_the_gemeenten_are_the_regions(regio):
    files = [p for p in regio.landing_dir.rglob("*") if p.is_file()]
    assert query(regio.loads_db, "SELECT count(*) FROM load_log WHERE status = 'loaded'")[0][0] == len(files) - 2
    assert [f for (f,) in query(regio.loads_db, "SELECT file_name FROM load_log WHERE status <> 'loaded' "
                                               "ORDER BY 1")] == REJECTED
    assert [c for (c,) in query(regio.published_db, "SELECT gemeente_code FROM dim_gemeente ORDER BY 1")] == CODES
    assert sorted(p.name for p in (regio.published_db.parent / "gemeenten").iterdir()) == CODES


@pytest.mark.parametrize("code", CODES)
def test_a_gemeentes_file_holds_its_own_rows_of_every_microdata_mart_and_every_cbs_row(regio, code):
    check_gemeente_file(regio.published_db, code)
    own = gemeente_paths(regio.published_db, code).published_db
    for table in PUBLIC_TABLES:
        assert query(own, f"SELECT count(*) FROM {table}") == query(regio.published_db,
                                                                     f"SELECT count(*) FROM {table}")
    others = [g for g in CODES if g != code]
    assert query(regio.published_db, "SELECT count(*) FROM fct_jeugdhulp_traject WHERE list_contains(?, gemeente_code)",
                 [others])[0][0] > 0  # the others' rows exist, and the file has none of them (above)


@pytest.mark.parametrize("code", CODES)
def test_a_gemeentes_clients_are_those_of_its_latest_exports_only(regio, code):
    """Client numbers shared with another gemeente stay two persons; the superseded export of a gemeente
    (Rijswijk's of 20250113) counts for no one."""
    own = gemeente_paths(regio.published_db, code).published_db
    latest = [p for p in _files(regio, f"registraties/jeugdhulp/jeugdhulp_{code}_*.csv")
              if not any(date in p.name for date in NOT_COUNTED)]
    clients = {r["client_id"] for path in latest for r in _rows(path)}
    assert query(own, "SELECT count(DISTINCT client_key) FROM fct_jeugdhulp_traject")[0][0] == len(clients)
    wmo = {r["client_id"] for path in _files(regio, f"registraties/wmo/wmo_{code}_*.csv") for r in _rows(path)}
    assert query(own, "SELECT count(DISTINCT client_key) FROM fct_wmo_voorziening")[0][0] == len(wmo)
    if code == "GM0603":
        earlier = {r["client_id"] for p in _files(regio, f"registraties/jeugdhulp/jeugdhulp_{code}_*_20250113_*.csv")
                   for r in _rows(p)}
        assert earlier - clients  # clients only the superseded export has: not counted above


def test_a_client_number_in_two_gemeenten_is_two_persons(regio):
    numbers = {code: {r["client_id"] for p in _files(regio, f"registraties/jeugdhulp/jeugdhulp_{code}_*.csv")
                      for r in _rows(p)} for code in CODES}
    assert numbers["GM0503"] & numbers["GM0603"] and numbers["GM0503"] & numbers["GM0637"]
    for mart in ("fct_jeugdhulp_traject", "fct_wmo_voorziening"):
        per_gemeente = query(regio.published_db, f"SELECT gemeente_code, count(DISTINCT client_key) FROM {mart} "
                                                 "GROUP BY ALL")
        assert query(regio.published_db, f"SELECT count(DISTINCT client_key) FROM {mart}")[0][0] == sum(
            n for _, n in per_gemeente)
        assert query(regio.published_db, f"SELECT count(*) FROM (SELECT client_key FROM {mart} GROUP BY ALL "
                                          "HAVING count(DISTINCT gemeente_code) > 1)")[0][0] == 0


@pytest.mark.parametrize("code", CODES)
def test_a_gemeentes_finance_is_the_sum_of_its_own_ledger(regio, code):
    expected: dict[tuple[int, str], Decimal] = {}
    for path in _files(regio, f"financien/grootboek/financien_{code}_*.csv"):
        for r in _rows(path):
            key = (int(r["jaar"]), r["fase"])
            expected[key] = expected.get(key, Decimal(0)) + Decimal(r["bedrag"].replace(".", "").replace(",", "."))
    own = gemeente_paths(regio.published_db, code).published_db
    found = {(jaar, fase): Decimal(str(total)) for jaar, fase, total in query(
        own, "SELECT jaar, fase, sum(bedrag) FROM fct_financien GROUP BY ALL")}
    xlsx = {(2025, "begroting primitief")} if code == "GM0637" else set()  # Zoetermeer's Excel file
    assert {k: v for k, v in found.items() if k not in xlsx} == expected and set(found) - set(expected) == xlsx


def test_zoetermeers_figures_in_the_region_are_the_samples(regio, published):
    """The same rows as the embedded sample alone, with three other gemeenten in the warehouse that
    share client numbers with it (only what names the load of a line differs)."""
    own = gemeente_paths(regio.published_db, "GM0637").published_db
    with duckdb.connect(str(own), read_only=True) as con:
        con.execute(f"ATTACH '{published}' AS sample (READ_ONLY)")
        for mart in ZOETERMEER_MARTS:
            load = [c for (c, *_) in con.execute(f"DESCRIBE {mart}").fetchall() if c in LOAD_COLUMNS]
            select = f"SELECT * EXCLUDE ({', '.join(load)}) FROM" if load else "SELECT * FROM"
            region, sample = f"{select} {mart}", f"{select} sample.main.{mart} WHERE gemeente_code = 'GM0637'"
            assert con.execute(f"SELECT count(*) FROM {mart}").fetchone()[0] > 0, mart
            for one, other in ((region, sample), (sample, region)):
                assert con.execute(f"SELECT count(*) FROM ({one} EXCEPT ALL {other})").fetchone()[0] == 0, mart


def test_the_report_of_a_gemeente_names_no_other_gemeentes_pages(regio):
    for code in CODES:
        report = gemeente_paths(regio.published_db, code).report_dir
        pages = [p.relative_to(report.resolve()).as_posix().lower() for p in report.resolve().rglob("*.html")]
        assert any(code.lower() in page for page in pages), code
        assert not [page for page in pages if any(g.lower() in page for g in CODES if g != code)]
        assert "vergelijking.html" not in pages  # the comparison of the gemeenten' own figures
