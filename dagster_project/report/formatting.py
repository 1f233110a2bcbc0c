"""Dutch notation for every figure in the report, in one place.

Thousands with a dot, decimals with a comma (`-65.776`, `45,9%`), dates as
`27-01-2022`, and rounding half away from zero as the P&C documents do, in
exact decimal arithmetic (a float such as 2.675 is taken as the decimal it
prints as, not as its binary neighbour 2.67499...). A value that is missing
is shown as `-`, never as 0.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

LEEG = "-"
TIJDZONE = ZoneInfo("Europe/Amsterdam")

# Most decimals an indicator value is shown with, per unit of the catalogue (dim_indicator.eenheid).
INDICATOR_DECIMALEN = {"aantal": 0, "euro": 0, "percentage": 1, "score_0_11": 1, "leeftijd": 1}


def to_decimal(value) -> Decimal | None:
    """A number as an exact Decimal; a float by its shortest printed form."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a boolean is not a figure")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raise TypeError(f"not a number: {value!r}")


def afronden(value, decimalen: int = 0) -> Decimal | None:
    """Round half away from zero: 0,5 -> 1 and -0,5 -> -1."""
    number = to_decimal(value)
    if number is None:
        return None
    return number.quantize(Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP)


def getal(value, decimalen: int = 0, *, nullen_weglaten: bool = False) -> str:
    """`1.234.567,8`; with nullen_weglaten, trailing decimal zeros go (`80,0` -> `80`)."""
    rounded = afronden(value, decimalen)
    if rounded is None:
        return LEEG
    if rounded == 0:
        rounded = abs(rounded)  # no "-0" after rounding
    if nullen_weglaten and decimalen:
        rounded = rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded.normalize()
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def percentage(value, decimalen: int = 1, *, nullen_weglaten: bool = False) -> str:
    """A percentage on the 0-100 scale: `45,9%`."""
    text = getal(value, decimalen, nullen_weglaten=nullen_weglaten)
    return text if text == LEEG else f"{text}%"


def euro(value, decimalen: int = 0) -> str:
    """`€ 6.820`."""
    text = getal(value, decimalen)
    return text if text == LEEG else f"€ {text}"


def indicatorwaarde(value, eenheid: str) -> str:
    """An indicator value as the documents write it: with at most the decimals of its
    unit and without trailing zeros (`80%`, `45,9%`, `4.548`, `2,7`, `€ 6.820`)."""
    decimalen = INDICATOR_DECIMALEN.get(eenheid, 1)
    if eenheid == "percentage":
        return percentage(value, decimalen, nullen_weglaten=True)
    if eenheid == "euro":
        return euro(value, decimalen)
    return getal(value, decimalen, nullen_weglaten=True)


def ja_nee(value: bool | None) -> str:
    """Doel gehaald: `Ja`, `Nee`, or `n.b.` when realisatie or streefwaarde is missing."""
    if value is None:
        return "n.b."
    return "Ja" if value else "Nee"


def datum(value: date | datetime | str | None) -> str:
    """`27-01-2022`."""
    if value is None:
        return LEEG
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def tijdstip(value: datetime | None) -> str:
    """A UTC timestamp (naive = UTC, as the warehouse stores them) in Dutch time: `30-11-2026 13:03`."""
    if value is None:
        return LEEG
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(TIJDZONE)
    return f"{datum(local)} {local.hour:02d}:{local.minute:02d}"


def jaren(van: int | None, tot: int | None) -> str:
    """A range of years: `2019-2024`, `vanaf 2025`, `2021`."""
    if van is None:
        return LEEG
    if tot is None:
        return f"vanaf {van}"
    return str(van) if van == tot else f"{van}-{tot}"
