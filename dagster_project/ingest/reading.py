"""Read a delivered file (its private copy) into DuckDB as text, streaming.

Everything is read as text: parsing and checking values is done afterwards,
in SQL, for all rows at once (see parsing.py). This module only finds
problems with the file as a whole: what it really is, its encoding,
separator, header and structure. The rows land in the temp view `landed`:
one text column per header name (trimmed) and `source_row`, without blank
lines. No file is ever held in Python memory as a whole: a CSV is read by
DuckDB's CSV reader, a workbook or SPSS file in batches of rows.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv

from ..sql.quoting import quote_name
from .delivery import CHUNK_BYTES, Snapshot, TextScan, scratch_file

SEPARATOR = ";"
UTF8_BOM = b"\xef\xbb\xbf"
# The longest line a CSV reader accepts; a longer one is a damaged file or a missing closing quote.
MAX_LINE_BYTES = 4 << 20
BATCH_ROWS = 50_000
MAX_LISTED_STRUCTURAL_PROBLEMS = 1000
# Bounds on what one file may make the loader read; over them it is quarantined before it is read.
# A workbook is a ZIP archive: its uncompressed size is in the ZIP directory (and its cell count in the
# first sheet's <dimension>), so a small file that expands to gigabytes is refused before it is unpacked.
# A delivery larger than this comes as CSV (docs/sources.md).
MAX_WORKBOOK_BYTES = 100 << 20
MAX_WORKBOOK_CELLS = 3_000_000
# National volumes are tens of millions of lines: a CSV with more is not a delivery of one source.
MAX_CSV_LINES = 100_000_000
# Bytes read from the start of the first sheet to find its <dimension>.
DIMENSION_HEAD_BYTES = 64 << 10


@dataclass(frozen=True)
class Problem:
    """One reason to quarantine a file. `row` is the line number (header = 1) on which the record starts."""

    reason: str
    expected: str
    row: int | None = None
    column: str | None = None
    value: str | None = None


@dataclass
class ReadResult:
    """A file read into the temp view `landed`, or the problems that stop reading it."""

    encoding: str | None = None
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0  # data lines in `landed`
    control: bool = True  # whether a value may hold a control character (else the check is spared)


def normalise_header(name: object) -> str:
    """`' Doelstelling Code '` -> `doelstelling_code`."""
    return re.sub(r"\s+", "_", str(name if name is not None else "").strip().lower())


# What a file really is, told from its first bytes.
FORMATS = {
    "empty": "empty",
    "gzip": "gzip-compressed (a .gz archive)",
    "zip": "a ZIP archive, such as an Excel workbook (.xlsx)",
    "ole2": "an old-style Office file: an Excel 97-2003 workbook (.xls) or a workbook protected with a password",
    "sav": "an SPSS data file (.sav)",
    "pdf": "a PDF document",
    "utf-32": "text encoded as UTF-32",
    "utf-16": "text encoded as UTF-16 (what Excel calls \"Unicode text\")",
    "binary": "not a text file (it holds binary data)",
    "text": "a text file (such as a CSV)",
}
SIGNATURES = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
    (b"$FL2", "sav"),
    (b"$FL3", "sav"),
    (b"%PDF", "pdf"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def content_format(head: bytes) -> str:
    """A key of FORMATS for the first bytes of a file."""
    if not head:
        return "empty"
    for signature, name in SIGNATURES:
        if head.startswith(signature):
            return name
    if len(head) >= 4 and max(head[0::2].count(0), head[1::2].count(0)) * 5 >= len(head):
        return "utf-16"  # without byte-order mark: every other byte is 0 in mostly-ASCII text
    if head.count(0) * 100 > len(head):
        return "binary"
    return "text"


@dataclass(frozen=True)
class Reader:
    formats: tuple[str, ...]  # what the content must be
    what: str
    expected: str
    read: Callable[..., ReadResult]


def read_file(con: duckdb.DuckDBPyConnection, name: str, snap: Snapshot, expected_columns: tuple[str, ...],
              scratch_dir: Path, optional_columns: tuple[str, ...] = ()) -> ReadResult:
    """Read a delivered file's private copy into the temp view `landed`; an optional column the file
    leaves out is empty on every line."""
    suffix = Path(name).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        return ReadResult(None, [Problem(f"file type '{suffix}' is not accepted", "a .csv, .xlsx or .sav file")])
    actual = content_format(snap.head)
    if actual == "empty":
        return ReadResult(None, [Problem("the file is empty", "a header line and at least one data line")])
    if actual not in reader.formats:
        return ReadResult(None, [Problem(f"the file is {FORMATS[actual]}, not {reader.what}", reader.expected)])
    result = reader.read(con, snap, Expected(expected_columns, optional_columns), scratch_dir)
    if not result.problems:
        _add_absent(con, optional_columns)
    return result


class Expected(tuple):
    """The expected column names, with those a file may leave out (`optional`)."""

    def __new__(cls, names: tuple[str, ...], optional: tuple[str, ...] = ()):
        expected = super().__new__(cls, names)
        expected.optional = frozenset(optional)
        return expected


def _add_absent(con: duckdb.DuckDBPyConnection, optional_columns: tuple[str, ...]) -> None:
    present = {row[0] for row in con.execute("SELECT column_name FROM (DESCRIBE landed)").fetchall()}
    absent = [name for name in optional_columns if name not in present]
    if absent:
        empty = ", ".join(f"'' AS {quote_name(name)}" for name in absent)
        con.execute("ALTER VIEW landed RENAME TO landed_file")
        con.execute(f"CREATE TEMP VIEW landed AS SELECT *, {empty} FROM landed_file")


def _check_header(header: list[str], expected_columns: tuple[str, ...]) -> list[Problem]:
    problems = []
    seen = set()
    for name in header:
        if name in seen:
            problems.append(Problem("duplicate column", "each column once", row=1, column=name, value=name))
        seen.add(name)
    expected = ", ".join(expected_columns)
    for name in expected_columns:
        if name not in seen and name not in getattr(expected_columns, "optional", ()):
            problems.append(Problem("missing required column", f"columns: {expected}", row=1, column=name))
    for name in header:
        if name not in expected_columns:
            problems.append(Problem("unknown column", f"columns: {expected}", row=1, column=name or "(empty)",
                                    value=name))
    return problems


# --- encoding --------------------------------------------------------------------------------------

def _cp1252_problem(error: UnicodeDecodeError, data: bytes, offset: int, newlines_before: int) -> Problem:
    byte = data[error.start:error.start + 1]
    return Problem(
        f"byte {byte!r} at offset {offset + error.start} is neither UTF-8 nor Windows-1252",
        "UTF-8 (with or without byte-order mark) or Windows-1252",
        row=newlines_before + data.count(b"\n", 0, error.start) + 1,
    )


def transcode_cp1252(source, target, scan: TextScan) -> Problem | None:
    """Copy Windows-1252 text as UTF-8, in chunks, through `scan`; a byte Windows-1252 does not
    define is a problem."""
    offset = newlines = 0
    while chunk := source.read(CHUNK_BYTES):
        try:
            utf8 = chunk.decode("cp1252").encode("utf-8")
        except UnicodeDecodeError as error:
            return _cp1252_problem(error, chunk, offset, newlines)
        scan.feed(utf8)
        target.write(utf8)
        offset += len(chunk)
        newlines += chunk.count(b"\n")
    return None


def _encoding(head: bytes, utf8_error: int | None) -> str | Problem:
    """utf-8, utf-8-sig or cp1252 (the content then needs transcoding)."""
    if head.startswith(UTF8_BOM):
        if utf8_error is None:
            return "utf-8-sig"
        return Problem("the file has a UTF-8 byte-order mark but is not valid UTF-8", "UTF-8 or Windows-1252")
    return "utf-8" if utf8_error is None else "cp1252"


def decode(data: bytes) -> tuple[bytes, str] | Problem:
    """The content as UTF-8 bytes without byte-order mark, and the encoding it was delivered in."""
    scan = TextScan()
    scan.feed(data, final=True)
    encoding = _encoding(data, scan.error)
    if isinstance(encoding, Problem):
        return encoding
    if encoding != "cp1252":
        return data.removeprefix(UTF8_BOM), encoding
    target = io.BytesIO()
    problem = transcode_cp1252(io.BytesIO(data), target, TextScan())
    return problem or (target.getvalue(), encoding)


# --- CSV ---------------------------------------------------------------------------------------------

def _create_landed(con: duckdb.DuckDBPyConnection, header: list[str], numbered: bool = False) -> None:
    """The temp table `landed_text`; `numbered`: with the line each row starts on (`source_row`)."""
    columns = ", ".join([f"{quote_name(name)} VARCHAR" for name in header] + ["source_row BIGINT"] * numbered)
    con.execute(f"CREATE OR REPLACE TEMP TABLE landed_text ({columns})")


def _append_batch(con: duckdb.DuckDBPyConnection, batch: pa.Table | pa.RecordBatch,
                  source_row: pa.Array | None = None) -> None:
    """Append a batch of text columns (in header order) to `landed_text`, trimmed of Unicode
    whitespace by Arrow (fast, where DuckDB's trim with a set of characters is not)."""
    import pyarrow.compute as pc

    columns = [pc.utf8_trim_whitespace(pc.fill_null(c, "")) for c in batch.columns]
    names = batch.schema.names
    if source_row is not None:
        columns, names = [*columns, source_row], [*names, "source_row"]
    trimmed = pa.table(columns, names=names)
    con.register("landed_batch", trimmed)
    try:
        con.execute("INSERT INTO landed_text SELECT * FROM landed_batch")
    finally:
        con.unregister("landed_batch")


def _finish(con: duckdb.DuckDBPyConnection, header: list[str], first_data_row: int, encoding: str,
            control: bool = True, numbered: bool = False) -> ReadResult:
    """The view `landed`: rows in file order numbered from `first_data_row` (or by their own
    `source_row` when `numbered`), blank lines left out."""
    columns = ", ".join(quote_name(name) for name in header)
    any_value = " OR ".join(f"{quote_name(name)} <> ''" for name in header)
    source_row = "source_row" if numbered else f"rowid + {first_data_row} AS source_row"
    con.execute(f"CREATE OR REPLACE TEMP VIEW landed AS SELECT {source_row}, {columns} "
                f"FROM landed_text WHERE {any_value}")
    rows = con.execute("SELECT count(*) FROM landed").fetchall()[0][0]
    if rows == 0:
        return ReadResult(encoding, [Problem("the file has a header but no data lines", "at least one data line")])
    return ReadResult(encoding, rows=rows, control=control)


def drop_landed(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP VIEW IF EXISTS landed; DROP VIEW IF EXISTS landed_file; DROP TABLE IF EXISTS landed_text")


def _first_line(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.readline(MAX_LINE_BYTES).removeprefix(UTF8_BOM).rstrip(b"\r\n")


def _read_csv(con, snap: Snapshot, expected_columns: tuple[str, ...], scratch_dir: Path) -> ReadResult:
    if not snap.head.strip() and snap.size <= len(snap.head):
        return ReadResult(None, [Problem("the file is empty", "a header line and at least one data line")])
    encoding = _encoding(snap.head, snap.text.error)
    if isinstance(encoding, Problem):
        return ReadResult(None, [encoding])
    if encoding != "cp1252":
        return _read_utf8_csv(con, snap, snap.path, snap.text, encoding, expected_columns)
    utf8, scan = scratch_file(scratch_dir, ".utf8"), TextScan()
    try:
        with snap.path.open("rb") as source, utf8.open("wb") as target:
            problem = transcode_cp1252(source, target, scan)
        if problem:
            return ReadResult(None, [problem])
        scan.feed(b"", final=True)
        return _read_utf8_csv(con, snap, utf8, scan, encoding, expected_columns)
    finally:
        utf8.unlink(missing_ok=True)


def _read_utf8_csv(con, snap: Snapshot, path: Path, scan: TextScan, encoding: str,
                   expected_columns: tuple[str, ...]) -> ReadResult:
    first_line = _first_line(path).decode("utf-8")
    if SEPARATOR not in first_line:
        found = next((s for s in (",", "\t", "|") if s in first_line), None)
        if found:
            return ReadResult(encoding, [Problem(
                f"the header is separated by {found!r}, not by ';'", "fields separated by ';'", row=1,
                value=first_line[:200],
            )])
    header = [normalise_header(n) for n in next(csv.reader([first_line], delimiter=SEPARATOR))]
    problems = _check_header(header, expected_columns)
    if problems:
        return ReadResult(encoding, problems)
    lines = snap.newlines + (0 if snap.ends_with_newline else 1)
    if lines > MAX_CSV_LINES:
        return ReadResult(encoding, [Problem(f"the file has {_count(lines)} lines, more than the limit of "
                                             f"{_count(MAX_CSV_LINES)}", f"at most {_count(MAX_CSV_LINES)} lines")])
    numbered = scan.odd_whitespace or not _read_csv_duckdb(con, path, header, lines)
    if numbered:
        problems = _read_csv_arrow(con, path, header)
        if problems:
            return ReadResult(encoding, _open_quote(path, len(header)) or problems)
    return _finish(con, header, first_data_row=2, encoding=encoding, control=scan.control, numbered=numbered)


def _read_csv_duckdb(con, path: Path, header: list[str], lines: int) -> bool:
    """DuckDB's CSV reader, in parallel and without Python, for a file whose only whitespace is
    spaces and line ends (so that trimming spaces is all the trimming there is). Its rows are
    numbered by position, which is the line number only when every line is one record: true when
    the record count matches the line count. Otherwise (blank lines, a line break inside quotes, a
    broken line) say no."""
    columns = "{" + ", ".join(f"'column{i}': 'VARCHAR'" for i in range(len(header))) + "}"
    values = ", ".join(f"coalesce(trim(column{i}), '') AS {quote_name(name)}" for i, name in enumerate(header))
    try:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE landed_text AS SELECT {values} FROM read_csv(?,
                delim = ';', quote = '"', escape = '"', header = false, skip = 1, auto_detect = false,
                columns = {columns}, strict_mode = true, null_padding = false, max_line_size = {MAX_LINE_BYTES})""",
            [str(path)],
        )
    except duckdb.Error:
        return False
    return con.execute("SELECT count(*) FROM landed_text").fetchall()[0][0] + 1 == lines


class RecordLines:
    """The line on which each record of a CSV starts (header = line 1), as an editor shows the file.
    pyarrow numbers records, and a line break inside a quoted value ends a line but no record: every
    record after one starts a line later. A batch's rows get their lines from the line feeds in their
    values. A broken record is reported while pyarrow parses, ahead of the batches it yields: it gets
    its line once the rows before it are counted."""

    def __init__(self) -> None:
        self.record = self.line = 2  # pyarrow's number and the line of the next record
        self.broken: deque[tuple[int, int, bool]] = deque()  # (number, line feeds, keep its line), unplaced
        self.lines: dict[int, int] = {}  # number -> line, of the broken records kept

    def note_broken(self, number: int, text: str | None, keep: bool) -> None:
        self.broken.append((number, (text or "").count("\n"), keep))

    def batch(self, batch: pa.RecordBatch) -> pa.Array:
        """The lines on which the batch's rows start (right for a batch without broken records: a
        file with one is not loaded)."""
        import numpy as np
        import pyarrow.compute as pc

        before = np.zeros(batch.num_rows + 1, dtype=np.int64)  # line feeds in the values of the rows before
        for column in batch.columns:
            before[1:] += pc.fill_null(pc.count_substring(column, "\n"), 0).to_numpy(zero_copy_only=False)
        np.cumsum(before, out=before)
        starts = self.line + np.arange(batch.num_rows) + before[:-1]
        self.place(before)
        return pa.array(starts, pa.int64())

    def place(self, before: Sequence[int]) -> None:
        """Give the broken records among or right after the rows of a batch their lines, and move on
        past them; `before[i]`: the line feeds in the values of the batch's rows before row i."""
        rows = len(before) - 1
        placed = extra = 0
        while self.broken and (valid := self.broken[0][0] - self.record - placed) <= rows:
            number, own, keep = self.broken.popleft()
            if keep:
                self.lines[number] = self.line + valid + int(before[valid]) + extra
            placed, extra = placed + 1, extra + 1 + own
        self.record += rows + placed
        self.line += rows + int(before[-1]) + extra


def _read_csv_arrow(con, path: Path, header: list[str]) -> list[Problem]:
    """pyarrow's streaming CSV reader: every record is a row (a blank line too), numbered by the
    line it starts on, and a record with the wrong number of fields is reported with that line."""
    structural: list[Problem] = []
    broken = 0
    lines = RecordLines()

    def invalid_row(row: pa_csv.InvalidRow) -> str:
        nonlocal broken
        broken += 1
        listed = len(structural) < MAX_LISTED_STRUCTURAL_PROBLEMS
        if row.number is not None and row.number > 0:
            lines.note_broken(row.number, row.text, keep=listed)
        if listed:
            structural.append(Problem(
                f"the line has {row.actual_columns} fields instead of {row.expected_columns}"
                " (truncated or corrupt file)",
                f"{row.expected_columns} fields separated by ';'",
                row=row.number,
                value=(row.text or "")[:200],
            ))
        return "skip"

    _create_landed(con, header, numbered=True)
    names = [f"column{i}" for i in range(len(header))]
    try:
        batches = pa_csv.open_csv(
            path,
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, use_threads=False,
                                            block_size=MAX_LINE_BYTES),
            parse_options=pa_csv.ParseOptions(delimiter=SEPARATOR, invalid_row_handler=invalid_row,
                                              ignore_empty_lines=False, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(column_types={name: pa.string() for name in names},
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
        for batch in batches:
            source_row = lines.batch(batch)
            if not structural:
                _append_batch(con, batch, source_row)
    except pa.ArrowInvalid as error:
        if "straddling" in str(error):
            return [Problem(f"a line is longer than {MAX_LINE_BYTES // (1 << 20)} MB: a damaged file, or a value"
                            " missing its closing quote", "lines of ';'-separated fields")]
        return [Problem(f"the file cannot be parsed as CSV: {error}", "a ';'-separated file")]
    lines.place([0])
    structural = [replace(p, row=lines.lines.get(p.row, p.row)) for p in structural]
    if broken > len(structural):
        structural.append(Problem(f"... and {broken - len(structural)} more lines with the same kind of problem",
                                  structural[-1].expected))
    return structural


def _open_quote(path: Path, fields: int) -> list[Problem] | None:
    """A quote opened in a value and not closed on its line: the cause of the broken lines after it,
    told with the line where it opened and the true count of lines it swallowed (to the line with
    the next quote, or to the end of the file). A quote closed on a later line is a line break
    inside a value, not a cause, when the record it makes has `fields` fields or its first line was
    not a whole line on its own (then the broken lines speak for themselves). None when every line
    closes its quotes."""
    opened, record = None, b""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if opened is not None and len(record) <= MAX_LINE_BYTES:
                record += line
            if line.count(b'"') % 2 == 0:
                continue
            if opened is None:
                opened, value, record = number, line.rsplit(b'"', 1)[-1].decode("utf-8", "replace"), line
                whole_line = line.count(SEPARATOR.encode()) == fields - 1
            elif not whole_line or _field_count(record) == fields:
                opened = None
            else:
                return [_open_quote_problem(opened, value, number - opened, f"to line {number}, where a quote "
                                                                          "closes it")]
    if opened is None:
        return None
    return [_open_quote_problem(opened, value, number - opened, "to the end of the file")]


def _field_count(record: bytes) -> int | None:
    """The fields of one CSV record (None when the text holds more than one, or is too long to be one)."""
    if len(record) > MAX_LINE_BYTES:
        return None
    records = list(csv.reader(io.StringIO(record.decode("utf-8", "replace"), newline=""), delimiter=SEPARATOR))
    return len(records[0]) if len(records) == 1 else None


def _open_quote_problem(line: int, value: str, swallowed: int, until: str) -> Problem:
    return Problem(f"a quote opened on line {line} is not closed on that line: the value runs on over the "
                   f"{_count(swallowed)} line{'' if swallowed == 1 else 's'} after it ({until})",
                   'a closing " in the same line for every opening "; a quote inside a value doubled ("")',
                   row=line, value='"' + value.strip()[:200])


# --- workbooks and SPSS files ----------------------------------------------------------------------------

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


def _frame_as_text(frame, header: list[str]) -> pa.Table:
    import pandas as pd

    columns = {f"column{i}": _cells_as_text(frame.iloc[:, i]) for i in range(len(header))}
    return pa.Table.from_pandas(pd.DataFrame(columns), preserve_index=False)


def _workbook_problem(path: Path) -> Problem | None:
    """A damaged, incomplete or oversized workbook, told before a spreadsheet library tries it."""
    expected = "a complete Excel workbook (.xlsx): export or copy it again"
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            if "xl/workbook.xml" not in names:
                return Problem("the file is a ZIP archive but not an Excel workbook (it has no xl/workbook.xml)",
                               expected)
            return _oversized(sum(e.file_size for e in entries), lambda: _cell_count(archive))
    except (zipfile.BadZipFile, OSError, EOFError, KeyError):
        return Problem("the workbook is damaged or incomplete: its ZIP structure cannot be read "
                       "(for example a copy that was cut off)", expected)


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):.1f}".replace(".", ",") + " MB"


def _count(number: int) -> str:
    """A whole number with Dutch thousands dots: 3.000.000."""
    return f"{number:,}".replace(",", ".")


def _oversized(uncompressed: int, cells: Callable[[], int | None]) -> Problem | None:
    """A workbook that unpacks to more than MAX_WORKBOOK_BYTES or holds more than MAX_WORKBOOK_CELLS cells."""
    expected = (f"a workbook of at most {_megabytes(MAX_WORKBOOK_BYTES)} unpacked and {_count(MAX_WORKBOOK_CELLS)} "
                "cells; a larger delivery as CSV")
    if uncompressed > MAX_WORKBOOK_BYTES:
        return Problem(f"the workbook unpacks to {_megabytes(uncompressed)}, more than the limit of "
                       f"{_megabytes(MAX_WORKBOOK_BYTES)} (a decompression bomb, or a delivery too large for a "
                       "workbook)", expected)
    count = cells()
    if count is not None and count > MAX_WORKBOOK_CELLS:
        return Problem(f"the first sheet spans {_count(count)} cells, more than the limit of "
                       f"{_count(MAX_WORKBOOK_CELLS)}", expected)
    return None


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The path in the archive of the workbook's first sheet (workbook.xml and its relations)."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    sheet = re.search(r"<(?:\w+:)?sheet\b[^>]*\br:id=\"([^\"]+)\"", workbook)
    if sheet is None or "xl/_rels/workbook.xml.rels" not in archive.namelist():
        return None
    relations = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    for relation in re.findall(r"<Relationship\b[^>]*>", relations):
        if f'Id="{sheet.group(1)}"' in relation and (target := re.search(r'Target="([^"]+)"', relation)):
            return target.group(1).lstrip("/") if target.group(1).startswith("/") else "xl/" + target.group(1)
    return None


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _cell_count(archive: zipfile.ZipFile) -> int | None:
    """The cells the first sheet's <dimension> spans (A1:AN1000000: 40 million), read from the first
    DIMENSION_HEAD_BYTES of the sheet only; None when the sheet does not say."""
    name = _first_sheet(archive)
    if name is None or name not in archive.namelist():
        return None
    with archive.open(name) as sheet:
        head = sheet.read(DIMENSION_HEAD_BYTES).decode("utf-8", "replace")
    found = re.search(r"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]+)\$?([0-9]+)(?::\$?([A-Z]+)\$?([0-9]+))?\"", head)
    if found is None:
        return None
    first_column, first_row, last_column, last_row = found.groups()
    if last_column is None:
        return 1
    columns = _column_number(last_column) - _column_number(first_column) + 1
    return max(columns, 0) * max(int(last_row) - int(first_row) + 1, 0)


def _calamine_reason(error: Exception) -> str:
    kind = type(error).__name__
    reasons = {
        "PasswordError": "the workbook is protected with a password",
        "ZipError": "the workbook is damaged: its ZIP structure cannot be read",
        "XmlError": "the workbook is damaged: its contents are not valid spreadsheet XML",
        "WorksheetNotFound": "the workbook has no sheet",
    }
    return reasons.get(kind, f"the workbook is damaged or not a real Excel workbook ({kind}: {error})")


def _sheet_rows(path: Path) -> Iterator[list]:
    """The rows of the first sheet from cell A1, one at a time."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_index(0)
    pad = [""] * (sheet.start[1] if sheet.start else 0)  # rows start at the first used column
    for row in sheet.iter_rows():
        yield pad + list(row)


# A cell with a formula and no saved result (<v/>, or none): `<c r="B2"><f>A2*2</f><v /></c>`.
UNSAVED_FORMULA = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*>\s*(?:<f[^>]*>([^<]*)</f>|<f[^>]*/>)\s*'
                             rb'(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
# Overlap between the chunks of a sheet, so that a cell split over two chunks is still found.
CELL_OVERLAP_BYTES = 4096


def _unsaved_formulas(path: Path) -> list[tuple[str, int, str]]:
    """The cells (column letters, row, formula) of the first sheet that hold a formula without a
    saved result: Excel computes it when it opens the file, a reader of the file sees nothing.
    The sheet is streamed; only chunks with a formula in them are searched."""
    found: dict[tuple[str, int], str] = {}
    with zipfile.ZipFile(path) as archive:
        name = _first_sheet(archive)
        if name is None or name not in archive.namelist():
            return []
        with archive.open(name) as sheet:
            tail = b""
            while chunk := sheet.read(CHUNK_BYTES):
                text, tail = tail + chunk, (tail + chunk)[-CELL_OVERLAP_BYTES:]
                if b"<f" not in text:
                    continue
                for match in UNSAVED_FORMULA.finditer(text):
                    formula = (match.group(3) or b"").decode("utf-8", "replace")
                    found[(match.group(1).decode(), int(match.group(2)))] = "=" + formula if formula else "(shared)"
    return [(column, row, formula) for (column, row), formula in found.items()]


def _formula_problems(path: Path, formulas: list[tuple[str, int, str]]) -> list[Problem]:
    header = [normalise_header(n) for n in next(_sheet_rows(path), [])]
    problems = []
    for column, row, formula in sorted(formulas, key=lambda f: (f[1], _column_number(f[0]))):
        index = _column_number(column) - 1
        problems.append(Problem(
            f"cell {column}{row} holds a formula without a saved result: Excel computes it when it opens the "
            "workbook, but the file holds no value", "a value, or a formula saved with its result (open and save "
            "the workbook in Excel, or export values)", row=row,
            column=header[index] if index < len(header) and header[index] else None, value=formula))
    return problems


def _read_xlsx(con, snap: Snapshot, expected_columns: tuple[str, ...], scratch_dir: Path) -> ReadResult:
    problem = _workbook_problem(snap.path)
    if problem:
        return ReadResult("xlsx", [problem])
    try:
        formulas = _unsaved_formulas(snap.path)
        if formulas:
            return ReadResult("xlsx", _formula_problems(snap.path, formulas))
        return _read_sheet(con, _sheet_rows(snap.path), expected_columns)
    except Exception as error:  # the spreadsheet library's own errors
        if type(error).__module__.split(".")[0] != "python_calamine":
            raise
        return ReadResult("xlsx", [Problem(_calamine_reason(error), "an Excel workbook (.xlsx) that opens in Excel")])


def _batches(rows: Iterator[list]) -> Iterator[list[list]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def _read_sheet(con, rows: Iterator[list], expected_columns: tuple[str, ...]) -> ReadResult:
    import pandas as pd

    first = next(rows, None)
    if not first or not any(str(v).strip() for v in first):
        return ReadResult("xlsx", [Problem("the first sheet is empty", "a header row and at least one data row")])
    header = [normalise_header(n) for n in first]
    while header and header[-1] == "":  # trailing empty header cells are not columns
        header.pop()
    problems = _check_header(header, expected_columns)
    if problems:
        return ReadResult("xlsx", problems)
    _create_landed(con, header)
    for batch in _batches(rows):
        frame = pd.DataFrame(batch, dtype=object)
        extra = frame.iloc[:, len(header):]
        if extra.size and (extra.astype("string").fillna("").map(str.strip) != "").any(axis=None):
            return ReadResult("xlsx", [Problem("values in a column without a header", "a header for every column",
                                               row=1)])
        _append_batch(con, _frame_as_text(frame, header))
    return _finish(con, header, first_data_row=2, encoding="xlsx")


def _read_sav(con, snap: Snapshot, expected_columns: tuple[str, ...], scratch_dir: Path) -> ReadResult:
    """An SPSS file, with value labels applied; `source_row` is the case number."""
    import pyreadstat

    try:
        _, meta = pyreadstat.read_sav(str(snap.path), metadataonly=True)
        header = [normalise_header(n) for n in meta.column_names]
        problems = _check_header(header, expected_columns)
        if problems:
            return ReadResult("sav", problems)
        _create_landed(con, header)
        for frame, _ in pyreadstat.read_file_in_chunks(pyreadstat.read_sav, str(snap.path), chunksize=BATCH_ROWS,
                                                       apply_value_formats=True):
            _append_batch(con, _frame_as_text(frame, header))
    except pyreadstat.ReadstatError as error:
        return ReadResult("sav", [Problem(f"the SPSS file is damaged or incomplete ({error})",
                                          "a complete SPSS data file (.sav): export it again")])
    return _finish(con, header, first_data_row=1, encoding="sav")


READERS = {
    ".csv": Reader(("text",), "a text file in UTF-8 or Windows-1252",
                   "a ';'-separated text file (CSV) in UTF-8 or Windows-1252", _read_csv),
    ".xlsx": Reader(("zip",), "an Excel workbook (.xlsx)", "an Excel workbook (.xlsx)", _read_xlsx),
    ".sav": Reader(("sav",), "an SPSS data file (.sav)", "an SPSS data file (.sav)", _read_sav),
}
