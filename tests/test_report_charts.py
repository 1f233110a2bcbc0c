"""The trend charts do not mislead: every chart of the sample rendered and read back as a reader sees it
(tick labels, legend shapes, caption), and the tick rule for any range of values."""

from __future__ import annotations

import random

import pytest

from dagster_project.report import charts, formatting

from .report_html import axis_labels, dutch_number, legend_symbols, parse, rows


@pytest.fixture(scope="module")
def every_chart(sample_run) -> list[tuple[str, dict, object]]:
    """(page, figure attributes, caption, svg) of every trend chart of the sample's report."""
    paths, _ = sample_run
    found = []
    for path in sorted(paths.report_dir.rglob("*.html")):
        for figure in parse(path).find_all("figure", "grafiek"):
            found.append((str(path.relative_to(paths.report_dir)), figure.attrs,
                          figure.find("figcaption").clean_text(), figure.find("svg")))
    return found


def test_every_chart_of_the_sample_has_distinct_tick_labels_and_counts_from_zero(every_chart):
    assert len(every_chart) > 250
    problems = []
    for page, attrs, caption, svg in every_chart:
        years, values = axis_labels(svg)
        if len(set(values)) != len(values) or len(set(years)) != len(years):
            problems.append(f"{page} {attrs.get('aria-labelledby')}: a repeated tick label {values} {years}")
        start = min(dutch_number(label)[0] for label in values)
        if attrs["data-eenheid"] in ("aantal", "euro") and start != 0:
            problems.append(f"{page} {attrs.get('aria-labelledby')}: a count or amount from {start}, not zero")
        if start != 0 and "niet bij nul" not in caption:
            problems.append(f"{page} {attrs.get('aria-labelledby')}: an axis from {start} without saying so")
    assert problems == []


def test_target_and_realisatie_differ_in_shape_not_only_in_colour(every_chart):
    with_target = 0
    for page, _, caption, svg in every_chart:
        shapes = legend_symbols(svg)
        assert len(set(shapes)) == len(shapes), f"{page}: two series with one shape"
        if ("ruiten" in caption or "driehoeken" in caption) and "rondjes" in caption:
            with_target += 1
            assert len(shapes) >= 2, page
    assert with_target > 100


def test_a_caption_explains_only_what_its_chart_draws(every_chart):
    for page, _, caption, svg in every_chart:
        band = any(area.find_all("path") for area in svg.find_all("g", "mark-area"))
        assert ("band: 95%" in caption.lower()) == band, page


def test_a_budget_chart_knows_no_more_than_its_table(sample_run):
    """Programmabegroting 2025: written in 2024, realisaties up to 2023 in table and chart alike."""
    paths, _ = sample_run
    tree = parse(paths.report_dir / "GM0637/programma-2/begroting-2025/doelstelling-2.1-2019.html")
    for code in ("JH_UNIEK", "JH_3JAAR"):
        chart_rows = {r[0]: r[1] for r in rows(tree.find("table", id=f"grafiek-{code}"))}
        assert chart_rows["2023"] != "-" and chart_rows["2024"] == "-", code


@pytest.mark.parametrize("eenheid", sorted(formatting.INDICATOR_DECIMALEN))
def test_ticks_never_repeat_a_label_and_cover_the_values(eenheid):
    generator = random.Random(eenheid)
    for _ in range(2000):
        scale = 10 ** generator.randint(-1, 5)
        low = generator.uniform(0, 100) * scale
        values = [low, low + generator.uniform(0, 3) * scale / 10 ** generator.randint(0, 4)]
        ticks = charts.ticks(values, eenheid)
        labels = [formatting.indicatorwaarde(t, eenheid) for t in ticks]
        assert len(set(labels)) == len(labels), (values, labels)
        assert ticks[0] <= min(values) and ticks[-1] >= max(values) and len(ticks) <= charts.MAX_TICKS
        if eenheid in charts.VANAF_NUL:
            assert ticks[0] == 0
