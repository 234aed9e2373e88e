"""The built report in a real browser: Debian's Chromium, headless, driven by Playwright for Python
(no browser download: executable_path=/usr/bin/chromium).

The `latest` variant of the real notebooks 00_brief and 01_deployment is built once per session into a
temp reports dir; then index.html and each report page are opened and checked: no console error, no
request other than file:// or data:, every image decoded, every table-of-contents link and every
index link resolves. A screenshot of each page's first screen is saved under pytest's tmp dir.
axe-core (npm, pinned in package-lock.json, installed by `make setup` into node_modules/) is injected
into every page and must find no WCAG 2.1 A/AA violation.

Needs `apt-get install chromium` and `pip install playwright` (both in CI: .ci/run); skipped otherwise.
Without node_modules/axe-core the accessibility check is skipped, or fails when the CI variable is set.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]

CHROMIUM = Path("/usr/bin/chromium")
NOTEBOOKS = ["00_brief", "01_deployment", "02_displacement", "03_violence"]
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: `apt-get install chromium` to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: `pip install -e '.[test]'` (or `pip install playwright`); "
                    "the browser is Debian's chromium, no `playwright install` needed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def site(browser, tmp_path_factory) -> Path:
    """reports/ with the latest variant of two real notebooks (built once; the browser is checked first,
    so a machine without Chromium skips before paying for the build)."""
    from haiti_mss.build import build

    reports = tmp_path_factory.mktemp("browser") / "reports"
    result = build(["latest"], reports_dir=reports, notebooks=NOTEBOOKS, jobs=2, echo=lambda line: None)
    assert result.exit_code == 0, [r.line() for r in result.results]
    return reports


@pytest.fixture(scope="session")
def axe() -> str:
    """axe-core's source, to inject into each page; missing: skip, or fail when CI is set."""
    if not AXE.is_file():
        message = f"{AXE} not found: run `make setup` (npm ci) to install axe-core for the accessibility check"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


class Visit:
    """A page opened in a fresh context, with what it logged and requested."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda msg: self.errors.append(f"console {msg.type}: {msg.text}")
                     if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.goto(path.as_uri(), wait_until="load")

    def external_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file://", "data:"))]

    def broken_images(self) -> list[str]:
        return self.page.evaluate(
            "() => Array.from(document.images)"
            ".filter(img => !(img.complete && img.naturalWidth > 0))"
            ".map(img => (img.currentSrc || img.src || '').slice(0, 80))")

    def links(self) -> list[dict]:
        return self.page.evaluate(
            "() => Array.from(document.querySelectorAll('a[href]'))"
            ".map(a => ({raw: a.getAttribute('href'), href: a.href}))")

    def unresolved(self, anchors: list[str]) -> list[str]:
        """The "#..." links whose target the browser does not find (navigates to each; checks :target,
        which follows the HTML spec: the raw fragment first, then its percent-decoded form)."""
        return self.page.evaluate(
            "hashes => hashes.filter(h => { location.hash = h; return document.querySelector(':target') === null; })",
            anchors)

    def accessibility_violations(self, axe: str) -> list[str]:
        """axe-core's WCAG 2.1 A/AA violations on the page, one line each (rule, impact, first targets)."""
        self.page.add_script_tag(content=axe)
        found = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => `${v.id} (${v.impact}): ${v.help}; `"
            " + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))",
            WCAG_21_AA)
        return found

    def screenshot(self, folder: Path, name: str) -> Path:
        path = folder / f"{name}.png"
        self.page.screenshot(path=str(path))   # the first screen (viewport), not the whole page
        print(f"screenshot: {path}")
        return path

    def close(self) -> None:
        self.context.close()


def check_common(visit: Visit) -> None:
    assert not visit.errors, visit.errors
    assert not visit.external_requests(), visit.external_requests()
    assert not visit.broken_images(), visit.broken_images()


def test_index_page(browser, site, shots, axe):
    visit = Visit(browser, site / "index.html")
    try:
        check_common(visit)
        violations = visit.accessibility_violations(axe)
        assert not violations, violations
        links = visit.links()
        local = [link for link in links if link["href"].startswith("file://")]
        assert len(local) >= 1 + 3 * len(NOTEBOOKS), links       # figures.json + html/pdf/ipynb per notebook
        for link in local:
            target = Path(unquote(urlparse(link["href"]).path))
            assert target.is_file(), link
        for nb in NOTEBOOKS:
            assert any(link["raw"] == f"latest/{nb}.html" for link in links), nb
        anchors = [link["raw"] for link in links if link["raw"].startswith("#")]
        assert not visit.unresolved(anchors), visit.unresolved(anchors)
        assert visit.screenshot(shots, "index").stat().st_size > 0
    finally:
        visit.close()


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_report_page(browser, site, shots, axe, notebook):
    visit = Visit(browser, site / "latest" / f"{notebook}.html")
    try:
        check_common(visit)
        violations = visit.accessibility_violations(axe)
        assert not violations, violations
        links = visit.links()
        anchors = [link["raw"] for link in links if link["raw"].startswith("#")]
        assert anchors, "the page has no table of contents"
        missing = visit.unresolved(anchors)
        assert not missing, missing
        for link in links:                                       # any relative link points at a file
            if link["href"].startswith("file://") and not link["raw"].startswith("#"):
                assert Path(unquote(urlparse(link["href"]).path)).is_file(), link
        alts = visit.page.evaluate("() => Array.from(document.images).map(img => img.alt)")
        assert notebook == "00_brief" or alts, "the page shows no chart"
        assert all(len(alt.split()) >= 8 and alt.endswith(".") for alt in alts), alts   # a sentence, not a placeholder
        if notebook == "01_deployment":                            # "Data (CSV)" downloads the chart's rows
            with visit.page.expect_download() as info:
                visit.page.locator("a.chart-data-link").first.click()
            assert info.value.suggested_filename == "deployment.csv"
            csv = Path(info.value.path()).read_text(encoding="utf-8")
            assert csv.startswith("# Sources: kenyanpost-2024-07-08 = Kenyan Post, ")
            assert csv.splitlines()[1] == "series,date,personnel,qualifier,source_ids"
        assert visit.screenshot(shots, f"latest-{notebook}").stat().st_size > 0
    finally:
        visit.close()

