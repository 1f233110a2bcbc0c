"""Dutch notation of the report: thousands dot, decimal comma, half away from zero, dd-mm-yyyy."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from dagster_project.report import formatting as f


@pytest.mark.parametrize("value, decimalen, expected", [
    (0, 0, "0"),
    (364, 0, "364"),
    (-65776, 0, "-65.776"),
    (-110262, 0, "-110.262"),
    (1234567, 0, "1.234.567"),
    (Decimal("-65776123.45"), 2, "-65.776.123,45"),
    (Decimal("45.9273"), 1, "45,9"),
    (Decimal("0.5"), 0, "1"),           # half away from zero, not to even
    (Decimal("1.5"), 0, "2"),
    (Decimal("2.5"), 0, "3"),
    (Decimal("-0.5"), 0, "-1"),
    (Decimal("-2.5"), 0, "-3"),
    (Decimal("-0.4"), 0, "0"),          # never "-0"
    (Decimal("-0.04"), 1, "0,0"),
    (2.675, 2, "2,68"),                 # the float as printed, not its binary neighbour 2.67499...
    (1.005, 2, "1,01"),
    (22.1499104700683, 2, "22,15"),
    (0.5331259240658899, 2, "0,53"),
    (999.95, 1, "1.000,0"),
    (None, 0, "-"),
])
def test_getal(value, decimalen, expected):
    assert f.getal(value, decimalen) == expected


@pytest.mark.parametrize("value, expected", [
    (Decimal("80.0000"), "80"), (Decimal("45.9273"), "45,9"), (Decimal("77.9947"), "78"),
    (Decimal("100.00"), "100"), (Decimal("1234.5"), "1.234,5"), (Decimal("-0.04"), "0"),
])
def test_trailing_zeros_can_go(value, expected):
    assert f.getal(value, 1, nullen_weglaten=True) == expected


@pytest.mark.parametrize("value, eenheid, expected", [
    (Decimal("80.0000"), "percentage", "80%"),
    (Decimal("78.0000"), "percentage", "78%"),
    (Decimal("45.9273"), "percentage", "45,9%"),
    (Decimal("4548.0000"), "aantal", "4.548"),
    (Decimal("1309"), "aantal", "1.309"),
    (Decimal("2.5002"), "score_0_11", "2,5"),
    (Decimal("2.6000"), "score_0_11", "2,6"),
    (Decimal("10.9000"), "leeftijd", "10,9"),
    (Decimal("6820.0000"), "euro", "€ 6.820"),
    (Decimal("6820.5"), "euro", "€ 6.821"),
    (None, "percentage", "-"),
])
def test_indicatorwaarde_as_the_documents_write_it(value, eenheid, expected):
    assert f.indicatorwaarde(value, eenheid) == expected


def test_percentage_and_euro():
    assert f.percentage(22.1499104700683, 2) == "22,15%"
    assert f.percentage(None) == "-"
    assert f.euro(-110262) == "€ -110.262"


def test_dates_and_times():
    assert f.datum(date(2022, 1, 27)) == "27-01-2022"
    assert f.datum(datetime(2022, 1, 27, 23, 59)) == "27-01-2022"
    assert f.datum("2022-01-27") == "27-01-2022"
    assert f.datum(None) == "-"
    # Stored in UTC, shown in Dutch time (winter +1, summer +2).
    assert f.tijdstip(datetime(2026, 11, 30, 12, 3, 49)) == "30-11-2026 13:03"
    assert f.tijdstip(datetime(2026, 7, 1, 23, 30)) == "02-07-2026 01:30"


def test_ja_nee_and_years():
    assert [f.ja_nee(v) for v in (True, False, None)] == ["Ja", "Nee", "n.b."]
    assert f.jaren(2019, 2024) == "2019-2024"
    assert f.jaren(2025, None) == "vanaf 2025"
    assert f.jaren(2021, 2021) == "2021"


def test_a_boolean_or_text_is_no_figure():
    with pytest.raises(TypeError):
        f.getal(True)
    with pytest.raises(TypeError):
        f.getal("12")
