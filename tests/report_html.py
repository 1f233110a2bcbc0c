"""A small HTML tree from the standard library's parser, for reading the report's pages in tests."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Elements and strings
    parent: Element | None = None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def clean_text(self) -> str:
        return re.sub(r"\s+", " ", self.text()).strip()

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str, cls: str | None = None, **attrs) -> list[Element]:
        return [e for e in self.iter() if e.tag == tag and (cls is None or cls in e.classes())
                and all(e.attrs.get(k) == v for k, v in attrs.items())]

    def find(self, tag: str, cls: str | None = None, **attrs) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag}> {cls or ''} {attrs} on the page"
        return found[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def two_gemeenten(published_db: Path, folder: Path) -> Path:
    """A copy of the published marts with a second gemeente ('s-Gravenhage, realisaties x 1,1), for the
    comparison page."""
    import duckdb

    copy = folder / "marts.duckdb"
    shutil.copy(published_db, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("INSERT INTO dim_gemeente VALUES ('GM0518', '''s-Gravenhage', 'Zuid-Holland', 'Haaglanden')")
        con.execute("INSERT INTO rpt_indicator_scorecard SELECT * REPLACE ('GM0518' AS gemeente_code, "
                    "CAST(realisatie * 1.1 AS DECIMAL(18, 4)) AS realisatie) FROM rpt_indicator_scorecard")
    return copy


def parse(path: Path) -> Element:
    builder = _Builder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def rows(table: Element) -> list[list[str]]:
    """The text of every cell (th and td) of every row of a table, body rows only."""
    return [[cell.clean_text() for cell in tr.children if isinstance(cell, Element) and cell.tag in ("th", "td")]
            for body in table.find_all("tbody") for tr in body.find_all("tr")]


def header(table: Element) -> list[str]:
    return [th.clean_text() for th in table.find("thead").find_all("th")]


def dutch_number(text: str) -> tuple[Decimal, int]:
    """`-65.776` -> (-65776, 0); `45,9%` -> (45.9, 1); `€ 6.820` -> (6820, 0). Returns the value and its decimals."""
    plain = text.replace("€", "").replace("%", "").strip()
    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d+)?", plain), f"not a Dutch number: {text!r}"
    whole, _, fraction = plain.partition(",")
    return Decimal(whole.replace(".", "") + ("." + fraction if fraction else "")), len(fraction)


def figures(page: Element) -> list[tuple[dict, str]]:
    """Every figure with its source: (bron, database, sleutel, kolom) and the text shown."""
    return [({"bron": e.attrs["data-bron"], "database": e.attrs["data-database"],
              "sleutel": json.loads(e.attrs["data-sleutel"]), "kolom": e.attrs["data-kolom"],
              "schaal": int(e.attrs.get("data-schaal", 1))}, e.clean_text())
            for e in page.find_all("span", "cijfer") if "data-bron" in e.attrs]


def axis_labels(svg: Element) -> tuple[list[str], list[str]]:
    """The tick labels of a rendered chart: the x axis (labels side by side: one vertical position, also when
    turned) and the y axis (labels above each other: one horizontal position; right-aligned when alone)."""
    x, y = [], []
    for group in svg.find_all("g", "role-axis-label"):
        texts = group.find_all("text")
        positions = [re.match(r"translate\(([-\d.]+),([-\d.]+)\)", t.attrs.get("transform", "")) for t in texts]
        if len(texts) > 1 and all(positions):
            across = len({p.group(2) for p in positions}) == 1
            (x if across else y).extend(t.clean_text() for t in texts)
            continue
        for text in texts:
            (y if text.attrs.get("text-anchor") == "end" else x).append(text.clean_text())
    return x, y


def legend_symbols(svg: Element) -> list[str]:
    """The shape (path) of each legend entry of a rendered chart."""
    return [path.attrs.get("d", "") for group in svg.find_all("g", "role-legend-symbol")
            for path in group.find_all("path")]
