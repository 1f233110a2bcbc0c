"""The report in a real browser: Debian's headless Chromium, driven by Playwright (no browser
download). Every page type opens without console errors and without failed or outside requests,
fits the screen and an A4 page, passes axe-core's WCAG 2.1 A and AA rules with 0 violations, prints
to a PDF without empty pages (its page count is checked against the height of its content), and
leaves a screenshot and the PDF in test-output/rapport/ to look at.

Without chromium (or axe-core, which make test installs with npm) this test is skipped (make test
says so); with WAREHOUSE_BROWSER_TEST=required, as .ci/run sets it, either missing is a failure."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
from pathlib import Path

import pytest

from dagster_project.report import build_report
from dagster_project.settings import REPO_ROOT

from .report_html import two_gemeenten

CHROMIUM = os.environ.get("WAREHOUSE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
OUTPUT = Path(os.environ.get("WAREHOUSE_TEST_OUTPUT", REPO_ROOT / "test-output")) / "rapport"
# One page of each type; the goal page is the one in the README.
PAGES = {
    "start": "index.html",
    "programma": "GM0637/programma-2/index.html",
    "document": "GM0637/programma-2/jaarstukken-2021/index.html",
    "doelstelling": "GM0637/programma-2/jaarstukken-2021/doelstelling-2.2-2019.html",
    "begroting": "GM0637/programma-2/begroting-2025/doelstelling-2.2-2021.html",
    "enquetes": "GM0637/enquetes-2021.html",
    "verantwoording": "verantwoording.html",
}
README_INDICATOR = "CEO_PAST"  # with its interval band and a realisatie marked not representative
SCREENSHOT_HEIGHT = 2400  # the top of a long page is enough to see its layout
A4_WIDTH = 794  # CSS pixels of an A4 page at 96 dpi; the print margins come off that
MM = 96 / 25.4  # CSS pixels per millimetre
PRINT_WIDTH, PRINT_HEIGHT = (210 - 2 * 15) * MM, (297 - 20 - 18) * MM  # A4 within the margins of rapport.css
AXE = REPO_ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def browser():
    for missing, message in ((not CHROMIUM, "chromium not installed: apt-get install -y chromium"),
                             (not AXE.is_file(), "axe-core not installed: make browser-test-tools (needs npm)")):
        if missing:
            if os.environ.get("WAREHOUSE_BROWSER_TEST") == "required":
                pytest.fail(message)
            pytest.skip(f"the browser test of the report is SKIPPED: {message}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, chromium_sandbox=False)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def comparison(sample_run, tmp_path_factory) -> Path:
    """A report of two gemeenten (start, comparison and accounting pages), for the comparison page."""
    paths, _ = sample_run
    folder = tmp_path_factory.mktemp("twee_gemeenten")
    copy = two_gemeenten(paths.published_db, folder)
    build_report(copy, paths.loads_db, folder / "rapport", gemeenten=[])
    return folder / "rapport"


def visit(browser, path: Path, screenshot: Path) -> dict:
    """Open a page from disk; report console errors, failed requests and requests leaving the site."""
    problems: dict[str, list] = {"console": [], "failed": [], "outside": []}
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda message: problems["console"].append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems["console"].append(str(error)))
    page.on("requestfailed", lambda request: problems["failed"].append(request.url))

    def only_local(route):
        if route.request.url.startswith(("file:", "data:")):
            return route.continue_()
        problems["outside"].append(route.request.url)
        return route.abort()
    page.route("**/*", only_local)
    response = page.goto(path.as_uri(), wait_until="load")
    assert response is None or response.ok
    problems["title"] = page.title()
    problems["screen_overflow"] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    height = min(page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_HEIGHT)
    page.screenshot(path=str(screenshot), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": height})
    if screenshot.stem == "doelstelling":  # the picture in the README: docs/images/rapport-doelstelling.png
        page.locator(f"#{README_INDICATOR}").screenshot(path=str(screenshot.with_name("doelstelling-indicator.png")))
    if screenshot.stem == "verantwoording":  # docs/images/rapport-verantwoording.png: the quarantine and glossary
        page.locator("section:has(#quarantaine)").screenshot(path=str(screenshot.with_name("quarantaine.png")))
    problems["axe"] = accessibility(page)
    page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
    page.emulate_media(media="print")
    problems["print_overflow"] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    problems["print_navigation"] = page.locator("header.site").is_visible()
    problems["pdf_pages"], problems["content_pages"] = printed(page, screenshot.with_suffix(".pdf"))
    page.close()
    return problems


def accessibility(page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page as shown: rule, impact and the first element."""
    page.add_script_tag(path=str(AXE))
    # No preload: axe would fetch the stylesheet again, which a page opened from disk may not.
    violations = page.evaluate("""async (tags) => (await axe.run(document, {
            runOnly: {type: "tag", values: tags}, preload: false}))
        .violations.map(v => ({id: v.id, impact: v.impact, count: v.nodes.length, first: v.nodes[0].target}))""",
                               WCAG_21_AA)
    return [json.dumps(v) for v in violations]


def printed(page, pdf: Path) -> tuple[int, int]:
    """Print to A4 as a reader would (the page's own @page rules) and count the PDF's pages; and the pages
    its content needs: its printed height over the height of an A4 page within the margins."""
    page.set_viewport_size({"width": round(PRINT_WIDTH), "height": round(PRINT_HEIGHT)})
    height = page.evaluate("document.documentElement.scrollHeight")
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    pdf.write_bytes(data)
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)), max(1, math.ceil(height / PRINT_HEIGHT))


def test_every_page_type_opens_cleanly_in_chromium(browser, sample_run, comparison):
    paths, _ = sample_run
    pages = {name: paths.report_dir / path for name, path in PAGES.items()}
    pages["vergelijking"] = comparison / "vergelijking.html"
    for name, path in pages.items():
        seen = visit(browser, path, OUTPUT / f"{name}.png")
        assert seen["title"], name
        assert (seen["console"], seen["failed"], seen["outside"]) == ([], [], []), name
        assert seen["screen_overflow"] <= 0, f"{name}: wider than the screen"
        assert seen["print_overflow"] <= 0, f"{name}: wider than an A4 page"
        assert not seen["print_navigation"], f"{name}: the navigation is printed"
        assert seen["axe"] == [], f"{name}: WCAG 2.1 AA violations"
        # Page breaks cost some room (a table or chart that does not fit moves on whole), never a page in three.
        assert seen["pdf_pages"] <= seen["content_pages"] + max(1, seen["content_pages"] // 3), (name, seen)
        assert (OUTPUT / f"{name}.png").stat().st_size > 10_000
    assert (OUTPUT / "doelstelling-indicator.png").stat().st_size > 10_000
