"""The programme report: built by the nightly run from the published marts, every figure on every
page equal to the marts, the published tables of the documents reproduced, text from sources shown
as text, and the site swapped in atomically."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.report import build_report, marts, site
from dagster_project.report.formatting import tijdstip

from .conftest import query
from .report_html import Element, dutch_number, figures, header, parse, rows, two_gemeenten

GOAL_TABLE_2021 = [
    ["Bevorderen vroegtijdige, toegankelijke, passende en effectieve jeugdhulp (2.1)", "364", "-65.776", "-65.412"],
    ["Bevorderen meedoen aan de samenleving en zelfstandig wonen (2.2)", "69", "-69", "0"],
    ["Langer zelfstandig wonen (2.2)", "1.710", "-31.766", "-30.056"],
    ["Bevorderen gezondheid, veiligheid en welbevinden (2.3)", "-19", "-1.725", "-1.744"],
    ["Meedoen naar vermogen, ongeacht aard van de beperking (2.4)", "599", "-10.995", "-10.396"],
    ["Totaal programma (inclusief reservemutaties)", "2.723", "-110.331", "-107.608"],  # the header's saldo
]
# The most decimals an indicator value is shown with, by unit: the documents' convention.
UNIT_DECIMALS = {"aantal": 0, "euro": 0}


@pytest.fixture(scope="session")
def report(sample_run) -> Path:
    """The report site of the sample run."""
    paths, result = sample_run
    assert result.success
    return paths.report_dir


def page(report: Path, path: str) -> Element:
    return parse(report / path)


def pages(report: Path) -> dict[str, Element]:
    return {str(p.relative_to(report)): parse(p) for p in sorted(report.rglob("*.html"))}


# -- the nightly run builds it ----------------------------------------------------------------


def test_the_nightly_run_builds_the_report_after_publishing(sample_run, report):
    from dagster_project.operations.run import summarise

    paths, result = sample_run
    order = [e.asset_key.to_user_string() for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"]
    assert order.index("programma_rapport") > order.index("published_marts")
    text, ok = summarise(result, paths)
    assert ok
    assert re.fullmatch(rf"Report: {re.escape(str(report / 'index.html'))} \(\d+ pages, \d+ charts\)",
                        next(line for line in text.splitlines() if line.startswith("Report: ")))
    assert report.is_symlink() and (report / "index.html").is_file()
    [(run_id,)] = query(paths.published_db, "SELECT run_id FROM publicatie")
    assert run_id in (report / "index.html").read_text(encoding="utf-8")


# -- every figure is the marts' figure --------------------------------------------------------


class Sources:
    """The rows of the marts and the load log, indexed by the keys the pages name."""

    def __init__(self, published_db: Path, loads_db: Path) -> None:
        self.files = {"marts": published_db, "loads": loads_db}
        self.indexes: dict[tuple, dict] = {}

    def row(self, database: str, table: str, key: dict) -> dict | None:
        assert re.fullmatch(r"[a-z_0-9]+", table), table
        columns = tuple(sorted(key))
        if (database, table, columns) not in self.indexes:
            with duckdb.connect(str(self.files[database]), read_only=True) as con:
                cursor = con.execute(f"SELECT * FROM {table}")
                names = [d[0] for d in cursor.description]
                index = {}
                for values in cursor.fetchall():
                    row = dict(zip(names, values, strict=True))
                    index[tuple(str(row[c]) for c in columns)] = row
            self.indexes[(database, table, columns)] = index
        return self.indexes[(database, table, columns)].get(tuple(str(key[c]) for c in columns))

    def count(self, table: str) -> int:
        [(n,)] = query(self.files["marts"], f'SELECT count(*) FROM "{table}"')
        return n


def check_figure(source: dict, text: str, sources: Sources) -> None:
    if source["bron"] == "publicatie":
        assert dutch_number(text)[0] == sources.count(source["sleutel"]["mart"])
        return
    row = sources.row(source["database"], source["bron"], source["sleutel"])
    assert row is not None, f"no row for {source}"
    value, kolom = row[source["kolom"]], source["kolom"]
    if source.get("schaal", 1) != 1 and value is not None:  # a total in euros shown x € 1.000
        value = (value if isinstance(value, Decimal) else Decimal(repr(value))) / source["schaal"]
    if kolom == "weergave":  # a survey figure as the mart publishes it, suppressed or not
        assert text == value and (row["waarde"] is None) == bool(row["is_onderdrukt"]) == text.startswith("onderdrukt")
    elif kolom == "is_niet_representatief":
        assert text == ("niet representatief" if value else "")
    elif kolom == "doel_gehaald":
        assert text == {True: "Ja", False: "Nee", None: "n.b."}[value]
    elif isinstance(value, date | datetime):
        assert text == value.strftime("%d-%m-%Y")
    elif value is None:
        assert text == "-", "a missing value is shown as '-', never as a number"
    else:
        number, decimals = dutch_number(text)
        exact = value if isinstance(value, Decimal) else Decimal(repr(value))
        assert number == exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if source["bron"] == "rpt_indicator_scorecard" and kolom in ("realisatie", "streefwaarde"):
            most = UNIT_DECIMALS.get(row["eenheid"], 1)  # no decimal the document shows may be lost
            assert number == exact.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP)
        if kolom.endswith("_x1000") or isinstance(value, int):
            assert decimals == 0 and number == value


def stray_numbers(tree: Element) -> list[str]:
    """Numbers in figure tables that do not come with their source."""
    stray = []
    for table in tree.find_all("table", "cijfers"):
        for td in table.find_all("td"):
            if "tekst" in td.classes() or td.find_all("span", "cijfer"):
                continue
            if re.search(r"\d", td.clean_text()):
                stray.append(f"{table.attrs.get('id')}: {td.clean_text()}")
    return stray


FASE_HEADINGS = (("Begroting na wijziging", "begroting na wijziging"), ("Begroting primitief", "begroting primitief"),
                 ("Begroting", "begroting primitief"), ("Raming", "begroting primitief"), ("Rekening", "rekening"))
DOCUMENT_TABLES = ("programmakop", "doelstellingentabel", "aansluiting", "reservemutaties")


def misplaced(path: str, tree: Element) -> list[str]:
    """Figures whose source does not match the column they stand in: the year in the heading,
    the phase in the heading, or the year of the document a chapter's own tables are about."""
    document = re.search(r"(begroting|jaarstukken)-(\d{4})/index.html$", path)
    problems = []
    for table in tree.find_all("table", "cijfers"):
        headings = [th.clean_text() for th in table.find("thead").find_all("tr")[-1].find_all("th")]
        for tr in table.find_all("tr"):
            cells = [c for c in tr.children if isinstance(c, Element) and c.tag == "td"]
            for heading, td in zip(headings[len(headings) - len(cells):], cells, strict=True):
                for span in td.find_all("span", "cijfer"):
                    key = json.loads(span.attrs["data-sleutel"])
                    year = re.search(r"\b(?:19|20)\d\d\b", heading)
                    if year and "jaar" in key and key["jaar"] != int(year.group()):
                        problems.append(f"{table.attrs.get('id')}: {heading} shows {key}")
                    fase = next((f for prefix, f in FASE_HEADINGS if heading.startswith(prefix)), None)
                    if fase and "fase" in key and key["fase"] != fase:
                        problems.append(f"{table.attrs.get('id')}: {heading} shows {key}")
                    if document and table.attrs.get("id") in DOCUMENT_TABLES and key.get("jaar", int(
                            document.group(2))) != int(document.group(2)):
                        problems.append(f"{table.attrs.get('id')} of {path} shows {key}")
    return problems


def test_every_figure_on_every_page_is_the_figure_in_the_marts(sample_run, report):
    paths, _ = sample_run
    sources = Sources(paths.published_db, paths.loads_db)
    site_pages = pages(report)
    assert len(site_pages) > 50
    checked = 0
    for path, tree in site_pages.items():
        assert stray_numbers(tree) == [], path
        assert misplaced(path, tree) == [], path
        for source, text in figures(tree):
            try:
                check_figure(source, text, sources)
            except AssertionError as error:
                raise AssertionError(f"{path}: {source} shows {text!r}") from error
            checked += 1
    assert checked > 5000
    for table in ("rpt_indicator_scorecard", "rpt_financien_doelstelling", "rpt_programma_totalen",
                  "rpt_financien_aansluiting", "rpt_enquete_resultaat", "fct_financien", "load_log", "publicatie"):
        assert any(s["bron"] == table for tree in site_pages.values() for s, _ in figures(tree)), table


def test_a_wrong_figure_would_be_caught(sample_run):
    paths, _ = sample_run
    sources = Sources(paths.published_db, paths.loads_db)
    key = {"gemeente_code": "GM0637", "indicator_code": "JH_3JAAR", "jaar": 2023}
    source = {"bron": "rpt_indicator_scorecard", "database": "marts", "sleutel": key, "kolom": "realisatie"}
    check_figure(source, "45,9%", sources)
    for wrong in ("46%", "45,8%", "45.9%", "-"):
        with pytest.raises(AssertionError):
            check_figure(source, wrong, sources)


# -- the published tables of the documents ----------------------------------------------------


def test_jaarstukken_2021_shows_the_published_goal_table_and_header(report):
    tree = page(report, "GM0637/programma-2/jaarstukken-2021/index.html")
    assert rows(tree.find("table", id="doelstellingentabel")) == GOAL_TABLE_2021
    assert header(tree.find("table", id="doelstellingentabel")) == ["Doelstelling", "Baten", "Lasten", "Saldo"]
    assert rows(tree.find("table", id="programmakop")) == [
        ["Uitgaven", "-110.262", "22,15%"], ["Inkomsten", "2.654", "0,53%"], ["Saldo", "-107.608", "-"]]
    assert "gemeentelijk saldo is 0" in tree.find("section", "kop").clean_text()
    assert rows(tree.find("table", id="aansluiting"))[-1] == ["Onverklaard", "0,00", "0,00", "0,00"]
    assert "baten 69, lasten -69 (x € 1.000)" in tree.clean_text()
    reserves = rows(tree.find("table", id="reservemutaties"))
    assert [r[1:4] for r in reserves] == [["Reserve sociaal domein: toevoeging en onttrekking", "baten", "69.000,00"],
                                          ["Reserve sociaal domein: toevoeging en onttrekking", "lasten", "-69.000,00"]]


def indicator_table(tree: Element, code: str) -> dict[str, list[str]]:
    table = tree.find("table", id=f"tabel-{code}")
    return {"Type": header(table)[1:], **{r[0]: r[1:] for r in rows(table)}}


def test_begroting_2025_shows_the_ceo_target_of_80_percent_for_2025_to_2028(report):
    tree = page(report, "GM0637/programma-2/begroting-2025/doelstelling-2.2-2021.html")
    ceo = indicator_table(tree, "CEO_PAST")
    assert ceo["Type"] == ["2023", "2025", "2026", "2027", "2028"]
    assert ceo["Realisatie"] == ["78%", "-", "-", "-", "-"]
    assert ceo["Begroting PB 2025"] == ["-", "80%", "80%", "80%", "80%"]
    assert ceo["Respondenten (n)"] == ["300", "-", "-", "-", "-"]
    goal_21 = page(report, "GM0637/programma-2/begroting-2025/doelstelling-2.1-2019.html")
    assert indicator_table(goal_21, "JH_3JAAR")["Realisatie"][0] == "45,9%"
    assert indicator_table(goal_21, "VT_MELDINGEN")["Prognose PB 2025"] == ["-", "1.035", "1.035", "1.035", "1.035"]


def test_jaarstukken_2021_goal_pages_show_realisatie_target_and_doel_gehaald(report):
    jeugd = page(report, "GM0637/programma-2/jaarstukken-2021/doelstelling-2.1-2019.html")
    assert indicator_table(jeugd, "JH_UNIEK")["Realisatie"] == ["4.512", "4.437", "4.548"]
    assert indicator_table(jeugd, "VERWIJSINDEX")["Realisatie"][-1] == "1.309"
    assert indicator_table(jeugd, "VERWIJSINDEX")["Doel gehaald"][-1] == "Nee"
    assert indicator_table(jeugd, "JH_3JAAR")["Doel gehaald"][-1] == "Ja"
    # Counted from the registration: 31 December of the year (docs/model.md).
    assert indicator_table(jeugd, "JH_LEEFTIJD_INSTROOM")["Peildatum"][-1] == "31-12-2021"
    wmo = page(report, "GM0637/programma-2/jaarstukken-2021/doelstelling-2.2-2019.html")
    ceo = indicator_table(wmo, "CEO_PAST")
    assert ceo["Realisatie"][-1] == "74% n.r."  # the low response of 2021: not representative
    assert ceo["Respondenten (n)"][-1] == "50" and ceo["Doel gehaald"][-1] == "Nee"
    assert indicator_table(wmo, "INZET_TEVREDEN")["Doel gehaald"][-1] == "n.b."


def test_a_goal_page_has_a_chart_with_its_numbers_in_a_table(report):
    tree = page(report, "GM0637/programma-2/jaarstukken-2021/doelstelling-2.2-2019.html")
    section = tree.find("section", id="CEO_PAST")
    assert len(section.find_all("svg")) == 1
    assert section.find("div", "svg").attrs["role"] == "img"
    data = section.find("table", id="grafiek-CEO_PAST")
    assert [r[0] for r in rows(data)] == ["2019", "2020", "2021"]  # the jaarstukken 2021 know nothing later
    begroting = page(report, "GM0637/programma-2/begroting-2025/doelstelling-2.2-2021.html")
    years = [r[0] for r in rows(begroting.find("table", id="grafiek-CEO_PAST"))]
    assert years == [str(y) for y in range(2019, 2029)]  # realisaties from the first year, targets to 2028


def test_the_finance_of_a_goal_and_the_multi_year_budget(report):
    tree = page(report, "GM0637/programma-2/jaarstukken-2021/doelstelling-2.1-2019.html")
    table = tree.find("table", id="financien-doelstelling")
    assert header(table)[2:] == ["Begroting primitief", "Begroting na wijziging", "Rekening", "Verschil"]
    saldo = [r for r in rows(table) if "saldo" in r][0]
    assert saldo[1:4] == ["-63.315", "-64.986", "-65.412"]
    budget = page(report, "GM0637/programma-2/begroting-2025/index.html")
    assert header(budget.find("table", id="vergelijking"))[2:] == [
        "Rekening 2023", "Begroting na wijziging 2024", "Begroting 2025", "Raming 2026", "Raming 2027", "Raming 2028"]


def test_the_overview_has_the_goal_trees_and_the_crosswalk(report):
    tree = page(report, "GM0637/programma-2/index.html")
    trees = [b.find("h3").clean_text() for b in tree.find_all("div", "boom")]
    assert trees == ["2019-2020", "2021-2024", "2025-2028"]
    crosswalk = rows(tree.find("table", id="crosswalk"))
    assert ["2.4 Meedoen naar vermogen, ongeacht aard van de beperking", "opgegaan in",
            "2.2 Bevorderen meedoen aan de samenleving en zelfstandig wonen"] in [r[:3] for r in crosswalk]
    assert rows(tree.find("table", id="kop-2021"))[0] == [
        "Uitgaven", "-106.753", "21,99%", "-109.699", "22,15%", "-110.262", "22,15%"]


def test_survey_cells_with_too_few_respondents_say_so_and_are_never_zero(sample_run, report):
    paths, _ = sample_run
    tree = page(report, "GM0637/enquetes-2021.html")
    suppressed = tree.find_all("td", "onderdrukt")
    [(expected,)] = query(paths.published_db, "SELECT count(*) FROM rpt_enquete_resultaat "
                                              "WHERE jaar = 2021 AND is_onderdrukt")
    assert expected > 0 and len(suppressed) == expected
    for td in suppressed:
        cells = [c.clean_text() for c in td.parent.find_all("td")]
        assert cells[0].startswith("onderdrukt (") and all(c in ("-", "") for c in cells[1:5]), cells
    wijken = [r[0] for r in rows(tree.find("table", id="omnibus-1-2021"))]
    assert "Leeftijd 18-29" in wijken and "Centrum" in wijken and wijken[-1] == "Wijk onbekend"


def test_verantwoording_names_the_publication_and_the_deliveries(sample_run, report):
    paths, _ = sample_run
    tree = page(report, "verantwoording.html")
    [(run_id, published_at)] = query(paths.published_db, "SELECT run_id, gepubliceerd_op FROM publicatie")
    assert run_id in tree.clean_text() and tijdstip(published_at) in tree.clean_text()
    deliveries = {r[1]: r for r in rows(tree.find("table", id="leveringen"))}
    [(files,)] = query(paths.loads_db, "SELECT count(*) FROM load_log")
    assert len(deliveries) == files
    assert deliveries["financien_GM0637_2021_rekening.csv"][:4] == [
        "financien_grootboek", "financien_GM0637_2021_rekening.csv", "geladen", "ja"]
    assert deliveries["gemeentetotalen_GM0637.csv"][3] == "niet per levering vastgelegd"
    # The sample's two rejected jeugdhulp exports, each problem a row.
    quarantined = rows(tree.find("table", id="quarantaine"))
    assert sorted(r[1] for r in quarantined) == [f for (f,) in query(
        paths.loads_db, "SELECT file_name FROM quarantine ORDER BY 1")]
    assert {r[1] for r in quarantined} == {"jeugdhulp_GM0637_2021-2024_20250113.csv",
                                           "jeugdhulp_GM0637_2021-2024_20250120.csv"}


def test_links_stay_inside_the_site_and_nothing_is_fetched_from_outside(report):
    for path, tree in pages(report).items():
        for element in tree.iter():
            for attribute in ("href", "src"):
                target = element.attrs.get(attribute)
                if target is None or target.startswith(("#", "data:")):
                    continue
                assert not re.match(r"[a-z]+:|//", target), f"{path}: external {target}"
                resolved = (report / path).parent / target.split("#")[0]
                assert resolved.is_file(), f"{path}: broken link {target}"


# -- text from sources, a second gemeente, publishing ----------------------------------------


FORMULA = '=HYPERLINK("http://example.invalid/x";"<img src=x onerror=alert(1)>")'


def test_text_from_sources_is_shown_as_text(sample_run, tmp_path):
    paths, _ = sample_run
    snapshot = marts.read(paths.published_db, paths.loads_db)
    snapshot.reservemutaties[0] = {**snapshot.reservemutaties[0], "kostenplaats": FORMULA}
    snapshot.quarantine = [{"source": "financien_grootboek", "file_name": "<script>alert(1)</script>.csv",
                            "source_row": 3, "column_name": "bedrag", "value": FORMULA,
                            "reason": "not a number", "expected": "<b>decimal</b>", "detected_at": None}]
    pages_ = [p for p in site.site_pages(snapshot, paths.loads_db)
              if p.soort in ("start", "verantwoording") or p.path.endswith("jaarstukken-2021/index.html")]
    site.write(tmp_path, pages_, snapshot)
    for path in ("verantwoording.html", "GM0637/programma-2/jaarstukken-2021/index.html"):
        html = (tmp_path / path).read_text(encoding="utf-8")
        tree = parse(tmp_path / path)
        assert not tree.find_all("img") and not tree.find_all("script") and not tree.find_all("b")
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert FORMULA in tree.clean_text()  # shown as the text it is, not as a link or a formula result
    assert "<script>alert(1)</script>.csv" in parse(tmp_path / "verantwoording.html").clean_text()


def test_more_than_one_gemeente_gets_a_comparison(sample_run, tmp_path):
    paths, _ = sample_run
    copy = two_gemeenten(paths.published_db, tmp_path)
    built = build_report(copy, paths.loads_db, tmp_path / "rapport", gemeenten=[])
    assert built.voorbeelden["vergelijking"] == "vergelijking.html"
    tree = parse(tmp_path / "rapport" / "vergelijking.html")
    table = rows(tree.find("table", id="vergelijking-JH_UNIEK"))
    assert [r[0] for r in table] == ["'s-Gravenhage", "Zoetermeer"]
    assert table[1][3] == "4.548" and table[0][3] == "5.003"  # 4.548 x 1,1 = 5.002,8
    sources = Sources(copy, paths.loads_db)
    for source, text in figures(tree):
        check_figure(source, text, sources)
    assert len(tree.find_all("svg")) == len(tree.find_all("section", "indicator"))


def test_one_gemeente_gets_no_comparison(report):
    assert not (report / "vergelijking.html").exists()


def test_a_publicatie_with_a_row_per_mart_is_read_too():
    stamp = datetime(2026, 1, 2, 3, 4)
    record = marts.publicatie([{"gepubliceerd_op": stamp, "run_id": "r1", "mart": "fct_x", "rijen": 3},
                               {"gepubliceerd_op": stamp, "run_id": "r1", "mart": "dim_y", "rijen": 1}])
    assert record == marts.Publicatie(stamp, "r1", {"dim_y": 1, "fct_x": 3})
    assert marts.publicatie([{"gepubliceerd_op": stamp, "run_id": "r2", "tabellen": '{"a": 1}'}]).tabellen == {"a": 1}
    assert marts.publicatie([]) == marts.Publicatie(None, None, {})


@pytest.fixture
def small_build(sample_run, tmp_path):
    """Build the start and accounting pages only (no gemeente pages), into tmp_path/rapport."""
    paths, _ = sample_run

    def build():
        return build_report(paths.published_db, paths.loads_db, tmp_path / "rapport", gemeenten=[])
    return build


def test_the_site_is_swapped_in_whole_and_leftovers_are_removed(small_build, tmp_path):
    link = tmp_path / "rapport"
    first = small_build()
    first_release = link.resolve()
    killed = tmp_path / ".rapport.0badc0de"  # a build that was killed halfway
    (killed / "GM0637").mkdir(parents=True)
    (killed / "index.html").write_text("half")
    (tmp_path / ".rapport.feedface.link").symlink_to("nowhere")
    second = small_build()
    assert link.resolve() != first_release and (link / "index.html").is_file()
    assert not killed.exists() and not (tmp_path / ".rapport.feedface.link").is_symlink()
    assert first_release.exists()  # the previous release stays for readers still in it
    small_build()
    assert not first_release.exists()
    assert len([p for p in tmp_path.glob(".rapport.*") if p.is_dir()]) == 2
    assert first.pages == second.pages == 2


def test_a_failed_build_leaves_the_previous_site_in_place(small_build, tmp_path, monkeypatch):
    link = tmp_path / "rapport"
    small_build()
    release, before = link.resolve(), (link / "index.html").read_text(encoding="utf-8")
    write = site.write

    def failing_write(folder, pages_, snapshot):
        assert (link / "index.html").read_text(encoding="utf-8") == before  # readers see the old site meanwhile
        write(folder, pages_[:1], snapshot)
        raise OSError("disk full")
    monkeypatch.setattr(site, "write", failing_write)
    with pytest.raises(OSError, match="disk full"):
        small_build()
    assert link.resolve() == release and (link / "index.html").read_text(encoding="utf-8") == before
    assert [p for p in tmp_path.glob(".rapport.*") if p.is_dir()] == [release]


def test_without_published_marts_there_is_nothing_to_report(tmp_path):
    with pytest.raises(FileNotFoundError, match="no published marts"):
        build_report(tmp_path / "marts.duckdb", None, tmp_path / "rapport")
    assert not (tmp_path / "rapport").exists()


def test_the_readme_shows_a_goal_page_and_how_to_open_and_print_it():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "](docs/images/rapport-doelstelling.png)" in readme
    assert (Path(__file__).parent.parent / "docs" / "images" / "rapport-doelstelling.png").read_bytes()[:8] == \
        b"\x89PNG\r\n\x1a\n"
    assert "warehouse/rapport/index.html" in readme and "print" in readme


# -- every indicator shows what the warehouse knows --------------------------------------------


MEASURED = {  # the marts that hold realisaties as measured, with the indicator of each row
    "rpt_enquete_resultaat": "SELECT r.gemeente_code, u.indicator_code, r.jaar FROM rpt_enquete_resultaat r "
                             "JOIN dim_enquete_uitkomst u USING (onderzoek, uitkomst) "
                             "WHERE r.indeling = 'totaal' AND r.waarde IS NOT NULL AND u.indicator_code IS NOT NULL",
    "rpt_jeugdhulp_jaar": "SELECT gemeente_code, indicator_code, jaar FROM rpt_jeugdhulp_jaar "
                          "WHERE indeling = 'totaal' AND waarde IS NOT NULL AND indicator_code IS NOT NULL",
}


def shown_realisaties(report: Path) -> set[tuple[str, str, int]]:
    """(gemeente, indicator, jaar) of every realisatie a goal page shows in a chart's numbers table."""
    shown = set()
    for path in report.rglob("doelstelling-*.html"):
        gemeente = path.relative_to(report).parts[0]
        for table in parse(path).find_all("table"):
            code = table.attrs.get("id", "").removeprefix("grafiek-")
            if not table.attrs.get("id", "").startswith("grafiek-"):
                continue
            shown |= {(gemeente, code, int(row[0])) for row in rows(table) if row[1] != "-"}
    return shown


def test_every_realisatie_in_a_survey_or_registration_mart_is_shown(sample_run, report):
    """A realisatie the warehouse holds in a survey or registration mart reaches a goal page, whether or not
    the scorecard has it (MTO 2022-2024: measured before the indicator entered the catalogue in 2025)."""
    paths, _ = sample_run
    shown = shown_realisaties(report)
    [(last_document,)] = query(paths.published_db, "SELECT max(jaar) FROM rpt_programma_totalen")
    linked = {c for (c,) in query(paths.published_db, "SELECT DISTINCT indicator_code FROM dim_indicator_doelstelling")}
    missing = []
    for mart, sql in MEASURED.items():
        held = {(g, c, j) for g, c, j in query(paths.published_db, sql) if c in linked and j <= last_document}
        assert held, mart
        missing += [(mart, *key) for key in sorted(held - shown)]
    assert missing == []
    assert {("GM0637", "MTO_TEVREDEN", j) for j in (2022, 2023, 2024)} <= shown
    budget = page(report, "GM0637/programma-2/begroting-2025/doelstelling-2.2-2021.html")
    mto = indicator_table(budget, "MTO_TEVREDEN")
    assert mto["Realisatie"][0] == "75%" and mto["Respondenten (n)"][0] == "240"  # 2023, as the survey page has it
    links = [a.attrs["href"] for a in budget.find("section", id="MTO_TEVREDEN").find_all("a")]
    assert [h for h in links if "enquetes-" in h] == ["../../enquetes-2022.html#mto", "../../enquetes-2023.html#mto"]


def test_a_chapter_explains_two_goals_with_one_code_and_where_its_finance_stands(report):
    tree = page(report, "GM0637/programma-2/jaarstukken-2021/index.html")
    [note] = [p.clean_text() for p in tree.find_all("p", "crosswalk")]
    assert note.startswith("Twee doelstellingen met code 2.2 in 2021")
    assert "Langer zelfstandig wonen (2019-2024)" in note
    [stand] = [p.clean_text() for p in tree.find_all("p", "stand")]
    assert "Rekening 2021: financien_GM0637_2021_rekening.csv, geladen op " in stand
    assert not page(report, "GM0637/programma-2/jaarstukken-2019/index.html").find_all("p", "crosswalk")


def test_a_quarantine_reason_is_given_in_dutch_with_dutch_dates():
    from dagster_project.report.verantwoording import reden

    assert reden("the end date lies before the start date 2021-11-23") == (
        "de einddatum ligt voor de begindatum", ["23-11-2021"])
    assert reden("not a valid soort") == ("geen geldige waarde", [])
    assert reden("something the loaders will say one day") == ("", [])  # the page then points to the English


def test_the_verantwoording_shows_no_server_path_and_has_a_glossary(sample_run, report):
    paths, _ = sample_run
    html = (report / "verantwoording.html").read_text(encoding="utf-8")
    assert str(paths.published_db.parent) not in html and str(paths.loads_db.parent) not in html
    tree = page(report, "verantwoording.html")
    assert "de geboortedatum ligt na de begindatum" in tree.find("table", id="quarantaine").clean_text()
    terms = [dt.clean_text() for dt in tree.find("section", id="begrippen").find_all("dt")]
    assert {"Mart", "Publicatie", "Quarantaine", "Peildatum", "Herkomst van de naam"} <= set(terms)
