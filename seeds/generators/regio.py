"""Write the ILLUSTRATIVE region sample: Zoetermeer and three other gemeenten of the
jeugdhulpregio Haaglanden (Delft, Rijswijk, Pijnacker-Nootdorp) in one landing folder, and
the reference data that knows them. Deterministic. NOT real figures of the three: every
row of theirs is made from Zoetermeer's embedded sample (docs/regio.md).

    python seeds/generators/regio.py                      # seeds/sample_regio_landing/
    python seeds/generators/regio.py --reference DIR      # the region's reference folder in DIR
    python seeds/generators/regio.py --landing DIR        # the region's landing folder in DIR

The region's landing folder is assembled at run time (`--landing`, make run-regio, the tests):

- Zoetermeer (GM0637): the embedded sample's registrations, finance and indicator values
  as they are (not its surveys), so that its figures in the region are the sample's;
  taken from seeds/sample_landing/, never copied into the repository;
- registraties/jeugdhulp and registraties/wmo: a part of Zoetermeer's clients per
  gemeente (chosen per gemeente by a hash of the client number, so that some client
  numbers occur in two gemeenten: other persons, who must stay apart), their wijken
  renamed to the gemeente's. Rijswijk also has an earlier jeugdhulp export of 2021-2024
  that its later export replaces (supersession per gemeente), with 50 clients the later
  one no longer has;
- financien/grootboek and financien/gemeentetotalen: Zoetermeer's amounts times the
  gemeente's share (the CSV years; not the Excel file);
- indicatoren/waarden: Zoetermeer's typed-in values, counts times the share;
- cbs: the embedded sample's CBS files as they are (public figures of every gemeente);
- the three's files, named `..._illustratief.csv`, kept in seeds/sample_regio_landing/.

The reference folder is seeds/reference with the three's rows added: the gemeenten,
their wijken, and Zoetermeer's programme, goals and indicator links under each code. It
is written at run time (make run-regio; the tests), never kept next to seeds/reference.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import zlib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent
SAMPLE = SEEDS / "sample_landing"
LANDING = SEEDS / "sample_regio_landing"
REFERENCE = SEEDS / "reference"
ZOETERMEER = "GM0637"
MARK = "illustratief"

# Code: (name, share of Zoetermeer's clients and amounts, wijken (illustrative codes)).
GEMEENTEN = {
    "GM0503": ("Delft", Decimal("0.45"), ["Binnenstad", "Vrijenban", "Hof van Delft", "Voordijkshoorn", "Tanthof",
                                          "Buitenhof"]),
    "GM0603": ("Rijswijk", Decimal("0.30"), ["Oud-Rijswijk", "Te Werve", "Welgelegen", "Cromvliet",
                                             "Steenvoorde"]),
    "GM1926": ("Pijnacker-Nootdorp", Decimal("0.25"), ["Pijnacker-Centrum", "Pijnacker-Noord", "Nootdorp",
                                                       "Delfgauw"]),
}
# The registration exports taken from the embedded sample (not the two it rejects).
JEUGDHULP = ("jeugdhulp_GM0637_2015-2020_20210127.csv", "jeugdhulp_GM0637_2021-2024_20250127.csv")
WMO = ("wmo_GM0637_2019-2024_20250127.csv",)
# Rijswijk's earlier 2021-2024 export, superseded by the one of 20250127: its first 200 clients and
# 50 that the later export no longer has (they are not counted), with care from 2021 on only.
EARLIER = ("GM0603", "jeugdhulp_GM0637_2021-2024_20250127.csv", "20250113", 200, 50)
# Reference files listing every gemeente already (CBS): not extended.
PUBLIC_REFERENCE = {"cbs_gemeenten.csv", "regio_indeling.csv"}


def _read(path: Path) -> tuple[list[str], list[dict]]:
    """A delivery of the embedded sample (some are Windows-1252 or have upper-case column names, as deliveries
    do); written back as UTF-8 with lower-case names."""
    content = path.read_bytes()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    header, *lines = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = [column.strip().lower() for column in header]
    return header, [dict(zip(header, line, strict=True)) for line in lines]


def _write(path: Path, header: list[str], rows: list[dict], delimiter: str = ";") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    writer = csv.DictWriter(out, header, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _renamed(name: str, code: str, date: str | None = None) -> str:
    """`jeugdhulp_GM0637_2021-2024_20250127.csv` -> `jeugdhulp_GM0503_2021-2024_20250127_illustratief.csv`."""
    stem = Path(name).stem.replace(ZOETERMEER, code)
    if date:
        stem = stem.rsplit("_", 1)[0] + f"_{date}"
    return f"{stem}_{MARK}.csv"


def is_client_of(code: str, client_id: str) -> bool:
    """Whether Zoetermeer's client is one of the gemeente's in the sample: by a hash, per gemeente."""
    return zlib.crc32(f"{code}:{client_id}".encode()) % 1000 < GEMEENTEN[code][1] * 1000


def _plain(name: str) -> str:
    """A wijk name as the loaders compare it: without case and surrounding or repeated spaces."""
    return " ".join(name.split()).lower()


def _wijk(code: str, wijk: str) -> str:
    """Zoetermeer's wijk (name or WK code) as one of the gemeente's, in the same form; empty stays empty."""
    if not wijk:
        return wijk
    zoetermeer = [_plain(w["wijk_naam"]) for w in _reference_rows("wijken.csv") if w["gemeente_code"] == ZOETERMEER]
    number = int(wijk[-2:]) - 1 if wijk.startswith("WK") else zoetermeer.index(_plain(wijk))
    wijken = GEMEENTEN[code][2]
    return f"WK{code[2:]}{number % len(wijken) + 1:02d}" if wijk.startswith("WK") else wijken[number % len(wijken)]


def _registrations(code: str, folder: str, name: str, keep=None, date: str | None = None) -> None:
    """The gemeente's clients of one of Zoetermeer's exports (or the clients `keep`)."""
    header, rows = _read(SAMPLE / "registraties" / folder / name)
    rows = [{**r, "gemeente_code": code, "wijk": _wijk(code, r["wijk"])} for r in rows
            if (r["client_id"] in keep if keep is not None else is_client_of(code, r["client_id"]))]
    _write(LANDING / "registraties" / folder / _renamed(name, code, date), header, rows)


def _amount(text: str, share: Decimal) -> str:
    """A Dutch amount (`-7.689.718,79`) times the share, in the same notation."""
    value = (Decimal(text.replace(".", "").replace(",", ".")) * share).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _count(text: str, share: Decimal) -> str:
    """A typed-in count (`4.512`) times the share; other values (`47,8%`, `€ 7.150`, `-`) as they are."""
    digits = text.replace(".", "")
    if not digits.isdigit():
        return text
    return f"{int((Decimal(digits) * share).quantize(Decimal(1), ROUND_HALF_UP)):,}".replace(",", ".")


def write_landing() -> None:
    """The three's files (only: Zoetermeer's and CBS's stay in the embedded sample, see assemble_landing)."""
    shutil.rmtree(LANDING, ignore_errors=True)
    units = {r["indicator_code"]: r["eenheid"] for r in _reference_rows("indicatoren.csv")}
    for code, (_, share, _) in GEMEENTEN.items():
        for name in JEUGDHULP:
            _registrations(code, "jeugdhulp", name)
        for name in WMO:
            _registrations(code, "wmo", name)
        for path in sorted((SAMPLE / "financien").glob("*/*.csv")):
            header, rows = _read(path)
            amounts = [c for c in ("bedrag", "uitgaven", "inkomsten") if c in header]
            rows = [{**r, "gemeente_code": code, **{c: _amount(r[c], share) for c in amounts}} for r in rows]
            _write(LANDING / "financien" / path.parent.name / _renamed(path.name, code), header, rows)
        for path in sorted((SAMPLE / "indicatoren" / "waarden").glob("*.csv")):
            header, rows = _read(path)
            rows = [{**r, "gemeente_code": code, "waarde": _count(r["waarde"], share)
                     if units.get(r["indicator_code"]) == "aantal" else r["waarde"]} for r in rows]
            _write(LANDING / "indicatoren" / "waarden" / _renamed(path.name, code), header, rows)
    code, name, date, first, gone = EARLIER
    _, rows = _read(SAMPLE / "registraties" / "jeugdhulp" / name)
    clients = list(dict.fromkeys(r["client_id"] for r in rows))
    # The clients that are gone had care within the export's period only: days before every export's
    # period would count for every export, the superseded one too (int_registraties__geldigheid).
    before = {r["client_id"] for r in rows if r["begindatum"] < rows[0]["periode_begin"]}
    keep = ([c for c in clients if is_client_of(code, c)][:first]
            + [c for c in clients if not is_client_of(code, c) and c not in before][:gone])
    _registrations(code, "jeugdhulp", name, set(keep), date)


def assemble_landing(target: Path) -> Path:
    """The region's landing folder in `target`: the embedded sample's registrations, finance, indicator
    values and CBS files (Zoetermeer's, as they are) and the three's files of seeds/sample_regio_landing/."""
    shutil.rmtree(target, ignore_errors=True)
    for folder in ("cbs", "registraties", "financien", "indicatoren"):
        shutil.copytree(SAMPLE / folder, target / folder)
    shutil.copytree(LANDING, target, dirs_exist_ok=True)
    return target


def _reference_rows(name: str) -> list[dict]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_reference(target: Path) -> Path:
    """seeds/reference with the region's other gemeenten added (see the module's docstring)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(REFERENCE, target)
    for path in sorted(target.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header, rows = list(reader.fieldnames or []), list(reader)
        if "gemeente_code" not in header or path.name in PUBLIC_REFERENCE:
            continue
        own = [r for r in rows if r["gemeente_code"] == ZOETERMEER]
        for code, (naam, _, wijken) in GEMEENTEN.items():
            if path.name == "gemeenten.csv":
                rows.append({**own[0], "gemeente_code": code, "gemeente_naam": naam})
            elif path.name == "wijken.csv":
                rows += [{"gemeente_code": code, "wijk_code": f"WK{code[2:]}{i:02d}", "wijk_naam": wijk}
                         for i, wijk in enumerate(wijken, 1)]
            else:
                rows += [{**r, "gemeente_code": code} for r in own]
        _write(path, header, rows, delimiter=",")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, help="write the region's reference folder here")
    parser.add_argument("--landing", type=Path, help="assemble the region's landing folder here")
    args = parser.parse_args()
    if args.reference:
        print(write_reference(args.reference))
    if args.landing:
        print(assemble_landing(args.landing))
    if not (args.reference or args.landing):
        write_landing()
        print(LANDING)


if __name__ == "__main__":
    main()
