"""Build the report site from one release of the published marts and publish it atomically.

The site is written into a new folder next to the published one; a symbolic
link `rapport` is then pointed at it with one rename. A reader never sees
half a site, a failed build leaves the previous site in place, and folders
left by a killed build are removed by the next one.
"""

from __future__ import annotations

import fcntl
import json
import posixpath
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..operations.faults import fault_point
from ..publication.files import staging_folder, swap_directory
from ..publication.targets import REPORT_RELEASE_FILE
from . import charts, downloads, formulas, marts, verantwoording, vergelijking
from .enquetes import SurveyPages
from .formatting import tijdstip
from .pages import START, Page, gemeente_naam
from .programma import ProgrammePages, programmes

HERE = Path(__file__).parent
STYLESHEET = "rapport.css"


@dataclass(frozen=True)
class Report:
    """What was built: the start page, the number of pages and charts, and the first page of each type."""

    index: Path
    pages: int
    charts: int
    voorbeelden: dict[str, str]
    publicatie: marts.Publicatie


class Figuur(str):
    """The text of a figure as formatting.py wrote it (`-65.776`): the report's own, not a text from a source."""


def _finalize(value):
    """Every value a template prints: text from the sources with its formula neutralised (formulas.py);
    figures, rendered charts and macro output as they are."""
    if isinstance(value, str) and not isinstance(value, Markup | Figuur):
        return formulas.neutralise(value)
    return value


def css_string(text: str) -> Markup:
    """A CSS string literal of any text: everything but letters, digits and spaces as a CSS escape."""
    return Markup('"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"')


def running_header(page: Page) -> str:
    """What the printed page shows at its top: gemeente, programme and document (the breadcrumbs), or the title."""
    labels = [formulas.neutralise(label) for label, _ in page.kruimels[1:]]
    return " · ".join(labels) if labels else page.titel


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=_finalize)
    env.filters["svg"] = lambda svg: Markup(svg)  # rendered by vl-convert from our own specification
    env.filters["figuur"] = Figuur
    env.filters["css_string"] = css_string
    env.globals["lopende_kop"] = running_header
    return env


def site_pages(snapshot: marts.Snapshot, loads_db: Path | None, gemeenten: list[str] | None = None) -> list[Page]:
    """Every page of the site; `gemeenten` limits the gemeenten that get pages (default: all)."""
    renderer = charts.Renderer()
    start = [("Programmarapport", "index.html")]
    codes = [g["gemeente_code"] for g in snapshot.rows("dim_gemeente")
             if gemeenten is None or g["gemeente_code"] in gemeenten]
    programme_pages, survey_pages = ProgrammePages(snapshot, renderer), SurveyPages(snapshot, renderer)
    pages, entries = [], []
    for code in sorted(codes):
        programs = programmes(snapshot, code)
        for programma in programs:
            pages += programme_pages.pages(programma, start)
        pages += survey_pages.pages(code, start)
        entries.append({"code": code, "naam": gemeente_naam(snapshot, code), "programmas": programs,
                        "enquete_jaren": survey_pages.years(code)})
    pages.append(verantwoording.page(snapshot, loads_db, start))
    compare = len(vergelijking.gemeenten(snapshot)) > 1
    if compare:
        pages.append(vergelijking.page(snapshot, renderer, start))
    cbs = [vergelijking.cbs_pages(snapshot, renderer, start, g) for g in vergelijking.cbs_gemeenten(snapshot)
           if g in codes]
    pages += [page for gemeente in cbs for page in gemeente]
    pages.insert(0, Page("index.html", "index.html", "Programmarapport", START, [], {
        "gemeenten": entries, "vergelijking": compare, "vergelijking_cbs": cbs}))
    pages[0].context["charts"] = renderer.rendered
    return pages


def relative(page: str, target: str) -> str:
    """A link from one page of the site to another, relative so the site works from any folder."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def write(folder: Path, pages: list[Page], snapshot: marts.Snapshot) -> None:
    env = environment()
    common = {"publicatie": snapshot.publicatie, "gepubliceerd_op": tijdstip(snapshot.publicatie.gepubliceerd_op)}
    release = downloads.release_name(snapshot.publicatie.gepubliceerd_op, snapshot.publicatie.run_id)
    bron = f"Publicatie van {common['gepubliceerd_op']}, run {snapshot.publicatie.run_id or 'onbekend'}"
    for page in pages:
        target = folder / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        html = env.get_template(page.template).render(
            page=page, url=partial(relative, page.path), **common, **page.context)
        entries, files = downloads.page_downloads(page.path, html, page.titel, release, bron)
        section = env.get_template("downloads.html").render(downloads=entries, folder=downloads.FOLDER, **common)
        target.write_text(html.replace(downloads.MARKER, section if entries else ""), encoding="utf-8")
        for path, content in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(content)
    shutil.copyfile(HERE / "static" / STYLESHEET, folder / STYLESHEET)


@contextmanager
def _exclusive(report_dir: Path):
    """One build at a time (the nightly job and `make report`), so that neither removes
    the other's folder while it is being written."""
    report_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(report_dir.with_name(f".{report_dir.name}-lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def build_report(published_db: Path, loads_db: Path | None, report_dir: Path,
                 gemeenten: list[str] | None = None) -> Report:
    """Read the published marts, build the site in a new folder and swap it in."""
    snapshot = marts.read(published_db, loads_db)
    pages = site_pages(snapshot, loads_db, gemeenten)
    with _exclusive(report_dir):
        staging = staging_folder(report_dir)
        try:
            write(staging, pages, snapshot)
            (staging / REPORT_RELEASE_FILE).write_text(json.dumps({"run_id": snapshot.publicatie.run_id}))
            fault_point("report")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        swap_directory(staging, report_dir)
    examples: dict[str, str] = {}
    for page in pages:
        examples.setdefault(page.soort, page.path)
    return Report(report_dir / "index.html", len(pages), pages[0].context["charts"], examples, snapshot.publicatie)
