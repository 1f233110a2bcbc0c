"""Spreadsheet formulas in text from the sources, made harmless where a reader meets them.

A text value that starts with a character a spreadsheet reads as the start of a
formula (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`, `@SUM(...)`, `-2+3+cmd|...`)
is stored as delivered, but every page of the report and every download shows it
with a `'` in front, as OWASP's advice on CSV injection has it: pasted or opened
in a spreadsheet, it stays text. This module is the one place that does it; the
page templates call it for every value they print and the downloads for every
text cell (see docs/report.md and docs/sources.md).
"""

from __future__ import annotations

# OWASP: =, +, -, @, tab and carriage return; also line feed and NUL, and the full-width
# forms that some spreadsheet programs fold to the ASCII ones.
FORMULA_START = frozenset("=+-@\t\r\n\0＝＋－＠")
PREFIX = "'"


def neutralise(value: str) -> str:
    """`value` with a `'` in front when a spreadsheet would read it as a formula; otherwise as is.
    Idempotent: a neutralised value starts with `'` and is left alone. A lone `-` (the report's
    "no value") is no formula."""
    if value and value[0] in FORMULA_START and value != "-":
        return PREFIX + value
    return value
