"""Workbooks written by hand, part by part, for the bounds on reading: a decompression bomb (a small
file that unpacks to hundreds of megabytes) and a sheet whose dimension claims millions of cells."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
                   f'Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT}"><sheets>'
                       '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
                                  f'Type="{DOCUMENT}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def _text_row(number: int, values) -> str:
    cells = "".join(f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def write_workbook(path: Path, header, rows: int, columns: int, dimension: str | None = None) -> Path:
    """A workbook whose first sheet has `header` and `rows` rows of `columns` numeric cells, written
    to the archive in pieces (never whole in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            ref = dimension or f"A1:{_column(max(columns, len(header)) - 1)}{rows + 1}"
            sheet.write(f'<worksheet xmlns="{MAIN}"><dimension ref="{ref}"/><sheetData>'.encode())
            sheet.write(_text_row(1, header).encode())
            # Cells without a reference follow each other (as Excel reads them): every row is the same text.
            row = "<row>" + "".join(f"<c><v>{i}</v></c>" for i in range(columns)) + "</row>"
            for start in range(0, rows, 10_000):
                sheet.write((row * min(10_000, rows - start)).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path
