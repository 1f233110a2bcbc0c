"""Read a delivered file into an Arrow table of text columns.

Everything is read as text: parsing and checking values is done afterwards,
in SQL, for all rows at once (see parsing.py). This module only finds
problems with the file as a whole: encoding, separator, header, structure.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

SEPARATOR = ";"
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Problem:
    """One reason to quarantine a file. `row` is the line number (header = 1)."""

    reason: str
    expected: str
    row: int | None = None
    column: str | None = None
    value: str | None = None


@dataclass
class ReadResult:
    """A file as text columns plus `source_row`, or the problems that stop reading it."""

    table: pa.Table | None
    encoding: str | None = None
    problems: list[Problem] = field(default_factory=list)


def normalise_header(name: object) -> str:
    """`' Doelstelling Code '` -> `doelstelling_code`."""
    return re.sub(r"\s+", "_", str(name if name is not None else "").strip().lower())


def read_file(name: str, data: bytes, expected_columns: tuple[str, ...]) -> ReadResult:
    """Read a delivered file's content (read once by the caller, who also hashed it)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return _read_csv(data, expected_columns)
    if suffix == ".xlsx":
        return _read_xlsx(data, expected_columns)
    if suffix == ".sav":
        return _read_sav(data, expected_columns)
    return ReadResult(None, problems=[Problem(f"file type '{suffix}' is not accepted", "a .csv, .xlsx or .sav file")])


def decode(data: bytes) -> tuple[bytes, str] | Problem:
    """Return the content as UTF-8 bytes and the encoding it was delivered in."""
    if data.startswith(UTF8_BOM):
        data, encoding = data[len(UTF8_BOM):], "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        data.decode("utf-8")
        return data, encoding
    except UnicodeDecodeError:
        pass
    if encoding == "utf-8-sig":
        return Problem("the file has a UTF-8 byte-order mark but is not valid UTF-8", "UTF-8 or Windows-1252")
    try:
        return data.decode("cp1252").encode("utf-8"), "cp1252"
    except UnicodeDecodeError as error:
        byte = data[error.start:error.start + 1]
        row = data.count(b"\n", 0, error.start) + 1
        return Problem(
            f"byte {byte!r} at offset {error.start} is neither UTF-8 nor Windows-1252",
            "UTF-8 (with or without byte-order mark) or Windows-1252",
            row=row,
        )


def _check_header(header: list[str], expected_columns: tuple[str, ...]) -> list[Problem]:
    problems = []
    seen = set()
    for name in header:
        if name in seen:
            problems.append(Problem("duplicate column", "each column once", row=1, column=name, value=name))
        seen.add(name)
    expected = ", ".join(expected_columns)
    for name in expected_columns:
        if name not in seen:
            problems.append(Problem("missing required column", f"columns: {expected}", row=1, column=name))
    for name in header:
        if name not in expected_columns:
            problems.append(Problem("unknown column", f"columns: {expected}", row=1, column=name or "(empty)", value=name))
    return problems


def _read_csv(data: bytes, expected_columns: tuple[str, ...]) -> ReadResult:
    if not data.strip():
        return ReadResult(None, problems=[Problem("the file is empty", "a header line and at least one data line")])
    decoded = decode(data)
    if isinstance(decoded, Problem):
        return ReadResult(None, problems=[decoded])
    data, encoding = decoded

    first_line = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    if SEPARATOR not in first_line:
        found = next((s for s in (",", "\t", "|") if s in first_line), None)
        if found:
            return ReadResult(None, encoding, [Problem(
                f"the header is separated by {found!r}, not by ';'", "fields separated by ';'", row=1, value=first_line[:200],
            )])
    header = [normalise_header(n) for n in next(csv.reader([first_line], delimiter=SEPARATOR))]
    problems = _check_header(header, expected_columns)
    if problems:
        return ReadResult(None, encoding, problems)

    structural: list[Problem] = []

    def invalid_row(row: pa_csv.InvalidRow) -> str:
        structural.append(Problem(
            f"the line has {row.actual_columns} fields instead of {row.expected_columns}"
            " (truncated or corrupt file)",
            f"{row.expected_columns} fields separated by ';'",
            row=row.number,
            value=(row.text or "")[:200],
        ))
        return "skip"

    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(column_names=header, skip_rows=1, use_threads=False),
            parse_options=pa_csv.ParseOptions(
                delimiter=SEPARATOR, invalid_row_handler=invalid_row, ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as error:
        return ReadResult(None, encoding, [Problem(f"the file cannot be parsed as CSV: {error}", "a ';'-separated file")])
    if structural:
        return ReadResult(None, encoding, structural)
    return _finish(table, first_data_row=2, encoding=encoding)


def _read_xlsx(data: bytes, expected_columns: tuple[str, ...]) -> ReadResult:
    import pandas as pd
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    if not rows or not any(str(v).strip() for v in rows[0]):
        return ReadResult(None, "xlsx", [Problem("the first sheet is empty", "a header row and at least one data row")])
    header = [normalise_header(n) for n in rows[0]]
    while header and header[-1] == "":  # trailing empty header cells are not columns
        header.pop()
    problems = _check_header(header, expected_columns)
    if problems:
        return ReadResult(None, "xlsx", problems)

    frame = pd.DataFrame(rows[1:], dtype=object)
    extra = frame.iloc[:, len(header):]
    if extra.size and (extra.astype("string").fillna("").map(str.strip) != "").any(axis=None):
        return ReadResult(None, "xlsx", [Problem("values in a column without a header", "a header for every column", row=1)])
    frame = frame.iloc[:, : len(header)].set_axis(header, axis=1)
    columns = {}
    for name in header:
        columns[name] = _cells_as_text(frame[name])
    table = pa.Table.from_pandas(pd.DataFrame(columns), preserve_index=False)
    return _finish(table, first_data_row=2, encoding="xlsx")


def _read_sav(data: bytes, expected_columns: tuple[str, ...]) -> ReadResult:
    """An SPSS file, with value labels applied; `source_row` is the case number."""
    import tempfile

    import pandas as pd
    import pyreadstat

    with tempfile.NamedTemporaryFile(suffix=".sav") as handle:
        handle.write(data)
        handle.flush()
        frame, _ = pyreadstat.read_sav(handle.name, apply_value_formats=True)
    frame = frame.rename(columns=normalise_header)
    problems = _check_header(list(frame.columns), expected_columns)
    if problems:
        return ReadResult(None, "sav", problems)
    columns = {name: _cells_as_text(frame[name]) for name in frame.columns}
    table = pa.Table.from_pandas(pd.DataFrame(columns), preserve_index=False)
    return _finish(table, first_data_row=1, encoding="sav")


def _cells_as_text(values):
    """Cell values as text. Numeric cells are numbers, not Dutch text: whole numbers
    are written as integers, others with a decimal comma (scientific notation stays
    visible, so that it is rejected like in a CSV)."""
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):  # SPSS value labels
        values = values.astype(object)
    text = values.astype("string").fillna("")
    if pd.api.types.is_numeric_dtype(values):
        is_number = values.notna()
    else:
        is_number = values.map(type).isin((int, float)) & values.notna()
    numbers = pd.to_numeric(values.where(is_number), errors="coerce")
    whole = is_number & (numbers % 1 == 0) & (numbers.abs() < 1e15)
    decimal_comma = numbers.astype("string").str.replace(".", ",", regex=False)
    text = text.mask(is_number, decimal_comma).mask(whole, numbers.where(whole).astype("Int64").astype("string"))
    return text.fillna("")


def _finish(table: pa.Table, first_data_row: int, encoding: str) -> ReadResult:
    """Add the line number, drop lines that are entirely empty, trim values."""
    import pyarrow.compute as pc

    rows = pa.array(np.arange(first_data_row, first_data_row + table.num_rows, dtype=np.int64))
    table = table.append_column("source_row", rows)
    trimmed = [pc.utf8_trim_whitespace(pc.fill_null(table[name], "")) for name in table.column_names[:-1]]
    table = pa.Table.from_arrays([*trimmed, table["source_row"]], names=table.column_names)
    non_empty = None
    for column in trimmed:
        has_value = pc.not_equal(column, "")
        non_empty = has_value if non_empty is None else pc.or_(non_empty, has_value)
    table = table.filter(non_empty)
    if table.num_rows == 0:
        return ReadResult(None, encoding, [Problem("the file has a header but no data lines", "at least one data line")])
    return ReadResult(table, encoding)
