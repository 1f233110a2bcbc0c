"""Writing names and values into SQL text: every place that builds SQL quotes with these."""

from __future__ import annotations

from collections.abc import Iterable


def quote_name(name: str) -> str:
    """A SQL identifier for any name (a column header may hold quotes or spaces)."""
    return '"' + name.replace('"', '""') + '"'


def quote_names(names: Iterable[str]) -> str:
    """A comma-separated list of identifiers."""
    return ", ".join(quote_name(name) for name in names)


def quote_literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
