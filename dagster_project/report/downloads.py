"""Every table of every page as a download: a CSV (Dutch spreadsheet dialect: `;`, decimal comma,
UTF-8 with BOM) and one XLSX per page with a sheet per table, with the headings of the page.

The tables are read back from the page as rendered, so a download holds exactly what the reader
sees, under the same Dutch headings, and no table can be forgotten. A figure goes into the XLSX
as a number (with the decimals it is shown with), into the CSV as shown; a text cell has its
formula neutralised (formulas.py) in both. The release (publication time and run) is in the name
of every file and on the first sheet of the XLSX.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from html.parser import HTMLParser

from openpyxl import Workbook
from openpyxl.styles import Font

from . import formatting, formulas

FOLDER = "downloads"
MARKER = "<!-- downloads -->"
NUMBER = re.compile(r"(€ )?(-?\d{1,3}(?:\.\d{3})*)(?:,(\d+))?(%)?")


@dataclass
class Tabel:
    """A table as shown: its id, caption, column headings and rows of (text, is_figure) cells."""

    id: str
    titel: str
    kolommen: list[str] = field(default_factory=list)
    rijen: list[list[tuple[str, bool]]] = field(default_factory=list)


class _Tables(HTMLParser):
    """The tables of a rendered page that have an id: caption, last heading row and body rows,
    with a row-spanning heading repeated on each row it spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Tabel] = []
        self.table: Tabel | None = None
        self.depth = 0
        self.part = ""  # caption, thead or tbody
        self.row: list[tuple[str, bool]] | None = None
        self.cell: list[str] | None = None
        self.figure = False
        self.span = 1
        self.spans: dict[int, tuple[str, bool, int]] = {}  # column -> (text, is_figure, rows left)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.depth += 1
            if self.depth == 1 and attrs.get("id"):
                self.table = Tabel(attrs["id"], "")
        elif self.table is None:
            return
        elif tag in ("caption", "thead", "tbody"):
            self.part = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td") and self.row is not None:
            self._spanned()
            self.cell, self.figure = [], False
            self.span = int(attrs.get("rowspan") or 1)
            self.colspan = int(attrs.get("colspan") or 1)
        elif tag == "span" and self.cell is not None and "data-bron" in attrs:
            self.figure = True

    def _spanned(self) -> None:
        """Cells of earlier rows that span into this one, at their column."""
        while len(self.row) in self.spans:
            text, figure, left = self.spans.pop(len(self.row))
            self.row.append((text, figure))
            if left > 1:
                self.spans[len(self.row) - 1] = (text, figure, left - 1)

    def handle_endtag(self, tag):
        if tag == "table":
            if self.depth == 1 and self.table is not None:
                self.tables.append(self.table)
                self.table, self.spans = None, {}
            self.depth -= 1
        elif self.table is None:
            return
        elif tag in ("th", "td") and self.cell is not None and self.row is not None:
            text = re.sub(r"\s+", " ", "".join(self.cell)).strip()
            if self.span > 1:
                self.spans[len(self.row)] = (text, self.figure, self.span - 1)
            self.row += [(text, self.figure)] + [("", False)] * (self.colspan - 1)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self._spanned()
            if self.part == "thead":
                self.table.kolommen = [text for text, _ in self.row]
            elif self.part == "tbody":
                self.table.rijen.append(self.row)
            self.row = None
        elif tag in ("caption", "thead", "tbody"):
            self.part = ""

    def handle_data(self, data):
        if self.table is None:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.part == "caption":
            self.table.titel += data


def tables(html: str) -> list[Tabel]:
    parser = _Tables()
    parser.feed(html)
    parser.close()
    for table in parser.tables:
        table.titel = re.sub(r"\s+", " ", table.titel).strip()
    return parser.tables


def number(text: str) -> int | float | None:
    """A figure as shown (`-65.776`, `45,9%`, `€ 6.820`) as the number it reads as; None for text."""
    match = NUMBER.fullmatch(text)
    if not match:
        return None
    value = Decimal(match.group(2).replace(".", "") + ("." + match.group(3) if match.group(3) else ""))
    return int(value) if match.group(3) is None else float(value)


def _text(text: str, figure: bool) -> str:
    return text if figure and number(text) is not None else formulas.neutralise(text)


def csv_bytes(table: Tabel) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([formulas.neutralise(k) for k in table.kolommen])
    for row in table.rijen:
        writer.writerow([_text(text, figure) for text, figure in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel reads it as UTF-8


def _format(text: str) -> str:
    match = NUMBER.fullmatch(text)
    decimals = "0." + "0" * len(match.group(3)) if match.group(3) else "0"
    base = "#,##" + decimals
    return ('"€ "' + base) if match.group(1) else (base + '"%"' if match.group(4) else base)


def xlsx_bytes(titel: str, bron: str, page_tables: list[Tabel]) -> bytes:
    """One workbook: a sheet per table, the page title and the release above each table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title, workbook.properties.description = titel, bron
    for index, table in enumerate(page_tables, start=1):
        sheet = workbook.create_sheet(f"{index} {re.sub(r'[^A-Za-z0-9_-]', '', table.id)}"[:31])
        for line in (table.titel, titel, bron):
            sheet.append([_string(line)])
        sheet["A1"].font = Font(bold=True)
        sheet.append([_string(k) for k in table.kolommen])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in table.rijen:
            sheet.append([number(text) if figure and number(text) is not None else _string(text)
                          for text, figure in row])
            for cell, (text, figure) in zip(sheet[sheet.max_row], row, strict=False):
                if figure and number(text) is not None:
                    cell.number_format = _format(text)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _string(text: str) -> str:
    """A text cell, neutralised: openpyxl stores a string that starts with `=` as a formula."""
    return formulas.neutralise(text)


def release_name(gepubliceerd_op: datetime | None, run_id: str | None) -> str:
    """`publicatie-20261206-0707-aaf02ab6`: the release (Dutch time, the run) in a file name."""
    stamp = formatting.tijdstip(gepubliceerd_op)
    parts = re.fullmatch(r"(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d)", stamp)
    name = f"publicatie-{parts[3]}{parts[2]}{parts[1]}-{parts[4]}{parts[5]}" if parts else "publicatie"
    return name + (f"-{run_id[:8]}" if run_id else "")


@dataclass(frozen=True)
class Download:
    titel: str
    naam: str  # the file name, in the page's downloads folder
    soort: str  # CSV or XLSX


def page_downloads(page_path: str, html: str, titel: str, release: str, bron: str
                   ) -> tuple[list[Download], dict[str, bytes]]:
    """The downloads of a rendered page, and the files to write (path in the site -> bytes)."""
    page_tables = tables(html)
    if not page_tables:
        return [], {}
    folder = posixpath.join(posixpath.dirname(page_path), FOLDER)
    stem = posixpath.splitext(posixpath.basename(page_path))[0]
    downloads = [Download(titel, f"{stem}-{release}.xlsx", "XLSX")] + [
        Download(t.titel or t.id, f"{stem}-{t.id}-{release}.csv", "CSV") for t in page_tables]
    files = {posixpath.join(folder, downloads[0].naam): xlsx_bytes(titel, bron, page_tables)}
    files |= {posixpath.join(folder, d.naam): csv_bytes(t) for d, t in zip(downloads[1:], page_tables, strict=True)}
    return downloads, files
