"""CBS open data: StatLine downloads load with their markers and statuses, bad
lines are quarantined, and the comparison marts of the sample run match what is
computed here from the sample downloads themselves (seeds/sample_landing/cbs/)."""

from __future__ import annotations

import csv
import shutil
from decimal import ROUND_HALF_UP, Decimal

import pytest

from dagster_project.ingest.loading import load_source
from dagster_project.settings import REFERENCE_DIR, SAMPLE_LANDING_DIR
from dagster_project.sources.cbs import OBSERVATIES, PERIODEN

from .conftest import query

SAMPLE = SAMPLE_LANDING_DIR / "cbs"
OBSERVATIONS = ("Id", "Measure", "ValueAttribute", "Value", "RegioS", "Perioden")
PERIODS = ("Identifier", "Index", "Title", "Description", "DimensionGroupId", "Status")
# The sample's measure codes (and, in a table with a dimension besides region and period, its code there).
MEASURES = {"inwoners": ("M000352", ""), "jongeren_0_22": ("M001542", ""), "jongeren_jeugdhulp": ("M004521", ""),
            "jongeren_jeugdbescherming": ("M004530", ""), "wmo_clienten": ("M002155", "T001000"),
            "lasten_6_1": ("M003021", "TV00610"), "baten_6_1": ("M003020", "TV00610"),
            "lasten_6_71": ("M003021", "TV00671"), "baten_6_71": ("M003020", "TV00671"),
            "lasten_6_72": ("M003021", "TV00672"), "baten_6_72": ("M003020", "TV00672")}
TAAKVELD = {"lasten_6_1": ("6.1", "lasten"), "baten_6_1": ("6.1", "baten"), "lasten_6_71": ("6.71", "lasten"),
            "baten_6_71": ("6.71", "baten"), "lasten_6_72": ("6.72", "lasten"), "baten_6_72": ("6.72", "baten")}


def write(path, header, rows):
    """A download as CBS writes it: ';'-separated, every field quoted, CRLF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def quarantine(paths, file_name):
    return query(paths.build_db, "SELECT source_row, column_name, value, reason FROM raw.quarantine "
                                 "WHERE file_name = ? ORDER BY source_row NULLS FIRST, column_name", [file_name])


def test_the_sample_downloads_load_with_missing_and_secret_figures_kept_as_such(paths):
    shutil.copytree(SAMPLE, paths.landing_dir / "cbs")
    for contract in (OBSERVATIES, PERIODEN):
        report = load_source(contract, paths)
        assert {f.status for f in report.files} == {"loaded"} and len(report.files) == 5
    markers = query(paths.build_db, "SELECT valueattribute, count(*), count(value) FROM raw.cbs_observaties "
                                    "GROUP BY ALL ORDER BY 1")
    delivered = {}
    for path in (SAMPLE / "observaties").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                delivered[row["ValueAttribute"].lower()] = delivered.get(row["ValueAttribute"].lower(), 0) + 1
    assert markers == [("confidential", delivered["confidential"], 0), ("missing", 1, 0),
                       ("none", delivered["none"], delivered["none"])]
    assert query(paths.build_db, "SELECT count(*) FROM raw.cbs_observaties WHERE value = 0") == [(0,)]


def test_bad_codes_values_and_markers_are_quarantined_line_by_line(paths):
    folder = paths.landing_dir / OBSERVATIES.folder
    write(folder / "82972NED_2025-05-01_Observations.csv", OBSERVATIONS, [
        ["0", "M004521", "None", "4890", "GM0637", "2023JJ00"],
        ["1", "M004521", "None", "4890", "GM0637", "2023KW05"],
        ["2", "M004521", "None", "4.890,5", "Zoetermeer", "2023JJ00"],
        ["3", "M004521", "None", "", "GM0518", "2023JJ00"],
        ["4", "M004521", "Confidential", "35", "GM1842", "2023JJ00"],
        ["5", "M004521", "Geheim", "", "GM0629", "2023JJ00"],
        ["6", "M004521", "None", "4890", "GM0637", "2023JJ00"],
        ["7", "M004521", "None", ".", "GM0503", "2023"],
    ])
    report = load_source(OBSERVATIES, paths)
    assert report.files[0].status == "quarantined"
    problems = [(row, column, reason.split(" (")[0].split(":")[0])
                for row, column, _, reason in quarantine(paths, "82972NED_2025-05-01_Observations.csv")]
    assert problems == [
        (3, "perioden", "not a valid cbs_periode"),
        (4, "regios", "not a valid cbs_regio"),
        (4, "value", "a decimal comma"),
        (5, "value", "a figure without a value"),
        (6, "value", "a value next to ValueAttribute Confidential"),
        (7, "valueattribute", "not a valid cbs_waardeattribuut"),
        (8, "measure", "a second figure for this measure, breakdown, region and period"),
        (9, "perioden", "not a valid cbs_periode"),
        (9, "value", "a StatLine symbol in the value"),
    ]


def test_a_table_with_a_taakveld_dimension_loads_one_figure_per_taakveld(paths):
    header = (*OBSERVATIONS[:4], "GemeentelijkeTaakvelden", *OBSERVATIONS[4:])
    write(paths.landing_dir / OBSERVATIES.folder / "84413NED_2025-06-01_Observations.csv", header, [
        ["0", "M003021", "None", "190", "TV00671", "GM0637", "2023JJ00"],
        ["1", "M003021", "None", "446", "TV00672", "GM0637", "2023JJ00"],
        ["2", "M003021", "None", "447", "TV00672", "GM0637", "2023JJ00"],
    ])
    load_source(OBSERVATIES, paths)
    assert [(row, column, reason.split(" (")[0]) for row, column, _, reason in quarantine(
        paths, "84413NED_2025-06-01_Observations.csv")] == [
        (4, "measure", "a second figure for this measure, breakdown, region and period")]
    write(paths.landing_dir / OBSERVATIES.folder / "84413NED_2025-06-02_Observations.csv", header, [
        ["0", "M003021", "None", "190", "TV00671", "GM0637", "2023JJ00"],
        ["1", "M003021", "None", "446", "TV00672", "GM0637", "2023JJ00"],
    ])
    load_source(OBSERVATIES, paths)
    assert query(paths.build_db, "SELECT gemeentelijketaakvelden, typemaatwerkvoorziening, value FROM "
                                 "raw.cbs_observaties ORDER BY 1") == [("TV00671", None, 190), ("TV00672", None, 446)]


def test_a_running_warehouse_gets_the_new_dimension_columns_and_tells_equal_period_files_apart(paths):
    """A raw table of before the dimension columns is extended; two tables with the same periods are
    two deliveries, not one file delivered twice."""
    import duckdb

    paths.build_db.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.build_db)) as con:
        con.execute("CREATE SCHEMA raw; CREATE TABLE raw.cbs_observaties (load_id BIGINT NOT NULL, file_name VARCHAR "
                    "NOT NULL, source_row BIGINT NOT NULL, loaded_at TIMESTAMP NOT NULL, id VARCHAR, measure VARCHAR, "
                    "valueattribute VARCHAR, value DECIMAL(18,4), regios VARCHAR, perioden VARCHAR)")
    write(paths.landing_dir / OBSERVATIES.folder / "86050NED_2025-05-01_Observations.csv",
          (*OBSERVATIONS[:4], "TypeMaatwerkvoorziening", *OBSERVATIONS[4:]),
          [["0", "M002155", "None", "3050", "T001000", "GM0637", "2023JJ00"]])
    assert [f.status for f in load_source(OBSERVATIES, paths).files] == ["loaded"]
    assert query(paths.build_db, "SELECT typemaatwerkvoorziening FROM raw.cbs_observaties") == [("T001000",)]
    periods = [["2023JJ00", "0", "2023", "", "", "Definitief"]]
    for table in ("86050NED", "84413NED"):
        write(paths.landing_dir / PERIODEN.folder / f"{table}_2025-05-01_PeriodenCodes.csv", PERIODS, periods)
    assert [f.status for f in load_source(PERIODEN, paths).files] == ["loaded", "loaded"]


@pytest.mark.parametrize("title, status, accepted", [
    ("2023*", "Voorlopig", True), ("2022**", "Nader voorlopig", True), ("2021", "Definitief", True),
    ("2023*", "Definitief", False), ("2023", "Voorlopig", False), ("2023*", "Nader voorlopig", False),
])
def test_a_provisional_period_has_its_star_in_the_title(paths, title, status, accepted):
    write(paths.landing_dir / PERIODEN.folder / "82972NED_2025-05-01_PeriodenCodes.csv", PERIODS,
          [[f"{title[:4]}JJ00", "0", title, "", "", status]])
    report = load_source(PERIODEN, paths)
    assert report.files[0].status == ("loaded" if accepted else "quarantined")


@pytest.mark.parametrize("name", ["Observations.csv", "82972NED_Observations.csv", "82972NED_2025-05-01.csv",
                                  "82972NED_2025-05-01_PeriodenCodes.csv"])
def test_a_file_name_without_table_download_date_and_entity_is_quarantined(paths, name):
    write(paths.landing_dir / OBSERVATIES.folder / name, OBSERVATIONS,
          [["0", "M004521", "None", "4890", "GM0637", "2023JJ00"]])
    report = load_source(OBSERVATIES, paths)
    assert report.files[0].status == "quarantined"
    assert quarantine(paths, name) == [(None, None, name, "the file name does not say what the file holds")]


# --- the marts of the sample run, against the sample downloads --------------------------------------

def downloads() -> dict[tuple[str, str, int], tuple[Decimal | None, str]]:
    """The current figure per (maat, region, year): the latest download holding it, with its status."""
    figures = {}
    maat = {code: name for name, code in MEASURES.items()}
    dimensions = ("TypeMaatwerkvoorziening", "GemeentelijkeTaakvelden")
    for path in sorted((SAMPLE / "observaties").glob("*.csv"), key=lambda p: p.stem.split("_")[1]):
        periods = SAMPLE / "perioden" / path.name.replace("_Observations", "_PeriodenCodes")
        with periods.open(encoding="utf-8") as handle:
            status = {row["Identifier"]: row["Status"].lower() for row in csv.DictReader(handle, delimiter=";")}
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                value = Decimal(row["Value"]) if row["Value"] else None
                breakdown = next((row[d] for d in dimensions if d in row), "")
                figures[maat[row["Measure"], breakdown], row["RegioS"], int(row["Perioden"][:4])] = (
                    value, status[row["Perioden"]])
    return figures


def per_1000(count, denominator) -> Decimal:
    return (Decimal(count) * 1000 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def size_class_members(figures, indelingsjaar: int = 2024) -> list[str]:
    """The gemeenten of 100.000 to 150.000 inhabitants in the latest year (grootteklassen.csv)."""
    return [region for (maat, region, jaar), (value, _) in figures.items()
            if maat == "inwoners" and jaar == indelingsjaar and region.startswith("GM") and 100_000 <= value < 150_000]


def ledger(published) -> dict[tuple[str, str, int], Decimal]:
    """Zoetermeer's rekening per taakveld and year from the published ledger lines (fct_financien): the
    lasten as positive amounts, reserve mutations left out."""
    rows = query(published, """
        SELECT t.taakveld_code, f.soort, f.jaar, sum(f.bedrag) FROM fct_financien f
        JOIN dim_taakveld t USING (taakveld_key)
        WHERE f.gemeente_code = 'GM0637' AND f.fase = 'rekening' AND NOT f.is_reservemutatie GROUP BY ALL""")
    return {(taakveld, soort, jaar): -bedrag if soort == "lasten" else bedrag for taakveld, soort, jaar, bedrag in rows}


def haaglanden() -> list[str]:
    with (REFERENCE_DIR / "regio_indeling.csv").open(encoding="utf-8") as handle:
        return [row["gemeente_code"] for row in csv.DictReader(handle) if row["regio_code"] == "JR_HAAGLANDEN"]


def test_a_provisional_figure_is_replaced_by_the_definitive_one_and_both_are_kept(published):
    history = query(published, """
        SELECT downloaddatum::VARCHAR, waarde, cbs_status, is_actueel FROM fct_cbs_waarneming
        WHERE regio_code = 'GM0637' AND maat_code = 'jongeren_jeugdhulp' AND jaar = 2023 ORDER BY downloaddatum""")
    assert history == [("2024-05-01", Decimal("4805"), "voorlopig", False),
                       ("2025-05-01", Decimal("4890"), "definitief", True)]
    # 2019-2022 are only in the first download: they stay current.
    assert query(published, "SELECT count(*) FROM fct_cbs_waarneming WHERE is_actueel AND jaar < 2023 "
                            "AND downloaddatum = '2024-05-01'")[0][0] > 0


def test_zoetermeer_next_to_nederland_its_size_class_and_its_region(published):
    figures = downloads()
    rows = query(published, """
        SELECT jaar, kengetal, cbs_status, nederland_kengetal, jeugdhulpregio_kengetal, jeugdhulpregio_n_gemeenten,
            grootteklasse, grootteklasse_kengetal
        FROM rpt_cbs_vergelijking WHERE gemeente_code = 'GM0637' AND maat_code = 'jongeren_jeugdhulp' ORDER BY jaar""")
    assert [r[0] for r in rows] == list(range(2019, 2025))
    members = haaglanden()
    for jaar, kengetal, status, nederland, regio, regio_n, klasse, klasse_kengetal in rows:
        count, expected_status = figures["jongeren_jeugdhulp", "GM0637", jaar]
        assert kengetal == per_1000(count, figures["jongeren_0_22", "GM0637", jaar][0])
        assert status == expected_status
        assert nederland == per_1000(figures["jongeren_jeugdhulp", "NL01", jaar][0],
                                     figures["jongeren_0_22", "NL01", jaar][0])
        counted = [g for g in members if figures["jongeren_jeugdhulp", g, jaar][0] is not None]
        assert regio_n == len(counted)
        assert regio == per_1000(sum(figures["jongeren_jeugdhulp", g, jaar][0] for g in counted),
                                 sum(figures["jongeren_0_22", g, jaar][0] for g in counted))
        assert klasse == "GK_100K_150K" and klasse_kengetal is not None
    assert rows[-1][2] == "voorlopig"


def test_a_missing_figure_is_no_zero_and_has_no_rank(published):
    assert query(published, """
        SELECT waarde, kengetal, markering, jeugdhulpregio_rang, jeugdhulpregio_n_gemeenten FROM rpt_cbs_vergelijking
        WHERE gemeente_code = 'GM0629' AND maat_code = 'jongeren_jeugdhulp' AND jaar = 2019""") == [
        (None, None, ".", None, len(haaglanden()) - 1)]
    ranks = query(published, """
        SELECT list(jeugdhulpregio_rang ORDER BY jeugdhulpregio_rang) FROM rpt_cbs_vergelijking
        WHERE jeugdhulpregio_code = 'JR_HAAGLANDEN' AND maat_code = 'jongeren_jeugdhulp' AND jaar = 2019""")
    assert ranks == [(list(range(1, len(haaglanden()))) + [None],)]


def test_earlier_figures_of_a_merged_gemeente_are_recomputed_in_the_latest_indeling(published):
    figures = downloads()
    parts = ("GM0501", "GM0530", "GM0614")
    rows = query(published, """
        SELECT maat_code, jaar, waarde, markering, is_herberekend, herberekend_uit FROM rpt_cbs_vergelijking
        WHERE gemeente_code = 'GM1992' AND maat_code IN ('jongeren_jeugdhulp', 'jongeren_jeugdbescherming')
        ORDER BY 1, 2""")
    by_key = {(m, j): rest for m, j, *rest in rows}
    for jaar in range(2019, 2023):
        total = sum(figures["jongeren_jeugdhulp", g, jaar][0] for g in parts)
        assert by_key["jongeren_jeugdhulp", jaar] == [total, None, True, ", ".join(parts)]
        # Westvoorne's jeugdbescherming is secret: the merged figure is missing, not a partial sum.
        assert by_key["jongeren_jeugdbescherming", jaar] == [None, ".", True, ", ".join(parts)]
    assert by_key["jongeren_jeugdhulp", 2023][2:] == [False, None]
    assert query(published, "SELECT count(*) FROM rpt_cbs_vergelijking WHERE gemeente_code IN ('GM0501', "
                            "'GM0530', 'GM0614')") == [(0,)]


def test_the_registration_count_next_to_cbs_with_the_difference_explained(published):
    figures = downloads()
    rows = query(published, """
        SELECT a.jaar, a.eigen_waarde, a.cbs_waarde, a.verschil, a.verklaring, w.waarde
        FROM rpt_cbs_aansluiting a
        LEFT JOIN fct_indicatorwaarde w ON w.gemeente_code = a.gemeente_code AND w.indicator_code = a.indicator_code
            AND w.jaar = a.jaar AND w.is_microdata AND w.is_actueel
        WHERE a.gemeente_code = 'GM0637' AND a.indicator_code = 'JH_UNIEK' ORDER BY a.jaar""")
    cbs_years = [row for row in rows if row[2] is not None]
    assert [row[0] for row in cbs_years] == list(range(2019, 2025))
    for jaar, eigen, cbs, verschil, verklaring, registration in cbs_years:
        assert eigen == registration and cbs == figures["jongeren_jeugdhulp", "GM0637", jaar][0]
        assert verschil == eigen - cbs
        assert verklaring.startswith("verschil in definitie of registratie")
    assert cbs_years[-1][4].endswith("(het CBS-cijfer is voorlopig)")
    assert all(row[4] == "CBS heeft (nog) geen cijfer voor dit jaar" for row in rows if row[2] is None)


def test_wmo_clients_per_1000_inhabitants_next_to_nederland_its_size_class_and_its_region(published):
    figures = downloads()
    rows = query(published, """
        SELECT jaar, waarde, kengetal, cbs_status, nederland_kengetal, grootteklasse_kengetal,
            grootteklasse_n_gemeenten, jeugdhulpregio_kengetal, jeugdhulpregio_n_gemeenten, jeugdhulpregio_rang
        FROM rpt_cbs_vergelijking WHERE gemeente_code = 'GM0637' AND maat_code = 'wmo_clienten' ORDER BY jaar""")
    assert [r[0] for r in rows] == list(range(2019, 2025))
    members, klasse = haaglanden(), size_class_members(figures)
    assert "GM0637" in klasse and len(klasse) > 1
    for jaar, waarde, kengetal, status, nederland, klasse_kengetal, klasse_n, regio, regio_n, rang in rows:
        count, expected_status = figures["wmo_clienten", "GM0637", jaar]
        inhabitants = {g: figures["inwoners", g, jaar][0] for g in {*members, *klasse, "NL01"}}
        assert (waarde, kengetal, status) == (count, per_1000(count, inhabitants["GM0637"]), expected_status)
        assert nederland == per_1000(figures["wmo_clienten", "NL01", jaar][0], inhabitants["NL01"])
        for group, value, n in ((members, regio, regio_n), (klasse, klasse_kengetal, klasse_n)):
            assert n == len(group)
            assert value == per_1000(sum(figures["wmo_clienten", g, jaar][0] for g in group),
                                     sum(inhabitants[g] for g in group))
        own = per_1000(count, inhabitants["GM0637"])
        assert rang == 1 + sum(per_1000(figures["wmo_clienten", g, jaar][0], inhabitants[g]) > own for g in members)
    assert rows[-1][3] == "voorlopig"


@pytest.mark.parametrize("maat", ["lasten_6_71", "baten_6_72", "lasten_6_1"])
def test_lasten_and_baten_per_inhabitant_weighted_by_inhabitants_in_a_group(published, maat):
    figures = downloads()
    rows = query(published, """
        SELECT jaar, eenheid, kengetal, nederland_kengetal, provincie_kengetal, grootteklasse_kengetal,
            jeugdhulpregio_kengetal
        FROM rpt_cbs_vergelijking WHERE gemeente_code = 'GM0637' AND maat_code = ? ORDER BY jaar""", [maat])
    assert [r[0] for r in rows] == list(range(2019, 2024))
    members, klasse = haaglanden(), size_class_members(figures)
    for jaar, eenheid, kengetal, nederland, provincie, klasse_kengetal, regio in rows:
        assert eenheid == "euro per inwoner"
        assert kengetal == figures[maat, "GM0637", jaar][0]
        assert (nederland, provincie) == (figures[maat, "NL01", jaar][0], figures[maat, "PV28", jaar][0])
        for group, value in ((members, regio), (klasse, klasse_kengetal)):
            euros = sum(figures[maat, g, jaar][0] * figures["inwoners", g, jaar][0] for g in group)
            assert value == one_decimal(euros / sum(figures["inwoners", g, jaar][0] for g in group))


def test_wmo_clients_and_the_ledger_per_taakveld_next_to_cbs_with_the_difference_explained(published):
    figures, own = downloads(), ledger(published)
    wmo = dict(query(published, "SELECT jaar, clienten FROM rpt_wmo_jaar WHERE gemeente_code = 'GM0637' "
                                "AND indeling = 'totaal'"))
    rows = query(published, """
        SELECT maat_code, jaar, eigen_waarde, cbs_waarde, verschil, verklaring FROM rpt_cbs_aansluiting
        WHERE gemeente_code = 'GM0637' AND maat_code <> 'jongeren_jeugdhulp' ORDER BY 1, 2""")
    assert {m for m, *_ in rows} == {"wmo_clienten", *TAAKVELD}
    for maat, jaar, eigen, cbs, verschil, verklaring in rows:
        if maat == "wmo_clienten":
            expected, rounding = Decimal(wmo[jaar]), 5
        else:
            taakveld, soort = TAAKVELD[maat]
            expected = own[taakveld, soort, jaar] / figures["inwoners", "GM0637", jaar][0]
            rounding = 1
        assert eigen == expected.quantize(Decimal("0.0001"), ROUND_HALF_UP)
        cbs_figure = figures.get((maat, "GM0637", jaar))
        if cbs_figure is None:
            assert cbs is None and verklaring == "CBS heeft (nog) geen cijfer voor dit jaar"
            continue
        assert cbs == cbs_figure[0] and verschil == eigen - cbs
        if abs(verschil) <= Decimal(rounding) / 2:
            assert verklaring.startswith(f"gelijk binnen de afronding van CBS op {rounding}-tallen")
        else:
            assert verklaring.startswith("verschil in definitie of registratie: CBS ")
        assert verklaring.endswith("(het CBS-cijfer is voorlopig)") == (cbs_figure[1] == "voorlopig")
    # The sample has every kind of explanation.
    kinds = ("gelijk binnen de afronding van CBS op 5-tallen", "gelijk binnen de afronding van CBS op 1-tallen",
             "verschil in definitie of registratie", "CBS heeft (nog) geen cijfer voor dit jaar")
    assert {kind for kind in kinds for *_, v in rows if v.startswith(kind)} == set(kinds)


def test_the_report_shows_zoetermeer_against_its_groups_and_the_reconciliation(sample_run):
    from .report_html import figures, parse, rows

    paths, result = sample_run
    assert result.success
    chapters = {h: f"vergelijking-cbs-GM0637-{h}.html" for h in ("jeugdhulp", "wmo", "financien")}
    index = (paths.report_dir / "index.html").read_text(encoding="utf-8")
    overview = parse(paths.report_dir / "vergelijking-cbs-GM0637.html")
    assert all(f'href="{page}"' in index for page in ["vergelijking-cbs-GM0637.html", *chapters.values()])
    assert {a.attrs["href"] for a in overview.find("section", id="hoofdstukken").find_all("a")} == set(
        chapters.values())
    tree = parse(paths.report_dir / chapters["jeugdhulp"])
    table = {r[0]: r[1:] for r in rows(tree.find("table", id="cbs-tabel-jongeren_jeugdhulp"))}
    figures_ = downloads()
    expected = per_1000(figures_["jongeren_jeugdhulp", "GM0637", 2024][0], figures_["jongeren_0_22", "GM0637", 2024][0])
    assert table["Zoetermeer"][-1] == str(expected).replace(".", ",")
    assert set(table) >= {"Nederland", "Provincie", "Gemeenten 100.000 tot 150.000 inwoners",
                          "Jeugdhulpregio Haaglanden", "Rang in de jeugdhulpregio", "Status CBS"}
    assert table["Status CBS"][-1] == "voorlopig"
    # Midden-Delfland's jeugdbescherming is secret: '.', no rank, never 0.
    region = {r[0]: r[1:] for r in rows(tree.find("table", id="cbs-regio-jongeren_jeugdbescherming"))}
    assert region["Midden-Delfland"] == [".", "-"]
    assert len(tree.find_all("svg")) == 4  # per measure a line chart and the region's bars
    reconciliation = {r[0]: r[1:] for r in rows(tree.find("table", id="aansluiting-jongeren_jeugdhulp"))}
    assert set(reconciliation) == {"Eigen registratie", "CBS", "Verschil"}
    assert {s["bron"] for s, _ in figures(tree)} == {"rpt_cbs_vergelijking", "rpt_cbs_aansluiting"}
    # Each chapter has its own measures only, with the unit stated.
    wmo = parse(paths.report_dir / chapters["wmo"])
    assert {t.attrs.get("id") for t in wmo.find_all("table")} >= {
        "cbs-tabel-wmo_clienten", "cbs-regio-wmo_clienten", "aansluiting-wmo_clienten"}
    assert not [t for t in wmo.find_all("table") if "jongeren" in t.attrs.get("id", "")]
    finance = parse(paths.report_dir / chapters["financien"])
    lasten = finance.find("table", id="cbs-tabel-lasten_6_71")
    assert "(euro per inwoner)" in lasten.find("caption").clean_text()
    nederland = figures_["lasten_6_71", "NL01", 2019][0]
    assert {r[0]: r[1:] for r in rows(lasten)}["Nederland"][0] == f"{nederland:.1f}".replace(".", ",")
    ledger_rows = {r[0]: r[1:] for r in rows(finance.find("table", id="aansluiting-lasten_6_71"))}
    assert set(ledger_rows) == {"Eigen grootboek (rekening)", "CBS", "Verschil"}


def test_a_goal_page_compares_exactly_the_indicators_with_a_benchmark(sample_run):
    from .report_html import parse, rows

    paths, _ = sample_run
    with (REFERENCE_DIR / "cbs_maten.csv").open(encoding="utf-8") as handle:
        benchmarked = {row["indicator_code"] for row in csv.DictReader(handle) if row["indicator_code"]}
    figures_ = downloads()
    pages = sorted((paths.report_dir / "GM0637").glob("programma-*/*/doelstelling-*.html"))
    shown = set()
    for path in pages:
        tree = parse(path)
        indicators = {s.attrs["id"] for s in tree.find_all("section", "indicator")}
        benchmarks = {s.attrs["id"].removeprefix("benchmark-") for s in tree.find_all("section", "benchmark")}
        assert benchmarks == indicators & benchmarked, path
        for code in benchmarks:
            section = tree.find("section", id=f"benchmark-{code}")
            assert len(section.find_all("svg")) == 2 and "per 1.000" in section.find("h4").clean_text()
            table = {r[0]: r[1:] for r in rows(section.find("table", id="cbs-tabel-jongeren_jeugdhulp"))}
            assert table["Zoetermeer"][0] == str(per_1000(
                figures_["jongeren_jeugdhulp", "GM0637", 2019][0], figures_["jongeren_0_22", "GM0637", 2019][0])
            ).replace(".", ",")
            assert any(a.attrs.get("href", "").endswith("/vergelijking-cbs-GM0637-jeugdhulp.html")
                       for a in section.find_all("a"))
        shown |= benchmarks
    assert shown == {"JH_UNIEK"}


def test_the_checks_catch_a_zero_in_place_of_a_secret_figure_and_two_current_versions(tmp_path):
    import pandas as pd

    from dagster_project.quality.validation import load_suites, validate
    from dagster_project.settings import EXPECTATIONS_DIR

    suites = {suite.name: suite for suite in load_suites(EXPECTATIONS_DIR)}
    good = dict(load_id=1, source_row=2, waarde=None, waardeattribuut="confidential", markering=".",
                cbs_status="definitief", is_waarde_of_reden=True, is_markering_zonder_waarde=True, n_actueel=1)
    assert validate(suites["fct_cbs_waarneming"], pd.DataFrame([good]), tmp_path).failed_errors == []
    zero = good | dict(waarde=0, is_waarde_of_reden=False, is_markering_zonder_waarde=False, n_actueel=2)
    outcome = validate(suites["fct_cbs_waarneming"], pd.DataFrame([zero]), tmp_path)
    assert sorted(f["column"] for f in outcome.failed_errors) == [
        "is_markering_zonder_waarde", "is_waarde_of_reden", "n_actueel"]
    rank = dict(gemeente_code="GM0637", maat_code="jongeren_jeugdhulp", jaar=2024, waarde=4960, kengetal=149.5,
                is_markering_zonder_waarde=True, is_rang_in_regio=False, is_rang_in_grootteklasse=True)
    outcome = validate(suites["rpt_cbs_vergelijking"], pd.DataFrame([rank]), tmp_path)
    assert [f["column"] for f in outcome.failed_errors] == ["is_rang_in_regio"]
