"""The build end to end on the fixture notebooks: outputs, no code, no external resources, headline
figures in HTML/PDF/figures.json/index.html, incremental rebuilds, and failures that keep the
previous report. Real papermill, nbconvert and WeasyPrint; small inputs."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import FIXTURE_NOTEBOOKS, HOSTILE_TITLE
from haiti_mss import build as build_mod
from haiti_mss.validation import refresh_hashes

pytestmark = pytest.mark.notebooks


class Refs(HTMLParser):
    """Every src/href of script, link, img, iframe, and every <a href>."""

    def __init__(self):
        super().__init__()
        self.resources: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.classes.append(attrs.get("class") or "")
        if tag in ("script", "link", "img", "iframe", "source", "video", "audio", "embed", "object"):
            for name in ("src", "href", "data"):
                if attrs.get(name):
                    self.resources.append((tag, attrs[name]))
            if tag == "script" and not attrs.get("src"):
                self.resources.append((tag, "inline script"))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def parse(page: str) -> Refs:
    refs = Refs()
    refs.feed(page)
    return refs


def local(url: str) -> bool:
    parsed = urlparse(url)
    return url.startswith(("data:", "#")) or (not parsed.scheme and not parsed.netloc)


def test_first_build_writes_every_output(built):
    proj, result, lines = built
    assert result.exit_code == 0, [r.line() for r in result.results]
    assert [(r.notebook, r.status) for r in result.results] == [(nb, "built") for nb in FIXTURE_NOTEBOOKS]
    out = proj.reports / "fixture"
    for nb in FIXTURE_NOTEBOOKS:
        for ext in ("ipynb", "html", "pdf"):
            assert (out / f"{nb}.{ext}").stat().st_size > 0
        assert f"[fixture] {nb}: started" in lines
        assert any(line.startswith(f"[fixture] {nb}: done in ") for line in lines)
    assert not list(out.glob(".staging-*")) and not (out / "_failed").exists()
    assert (proj.reports / "index.html").is_file() and (out / ".build-state.json").is_file()


def test_figures_json_has_the_headline_figures(built):
    proj, result, _ = built
    doc = json.loads((proj.reports / "fixture" / "figures.json").read_text())
    assert doc["variant"] == "fixture" and doc["title"] == HOSTILE_TITLE
    assert set(FIXTURE_NOTEBOOKS) <= set(doc)
    assert doc["01_deployment"]["deployed"] == 1873 and doc["01_deployment"]["planned_strength"] == 2500
    assert doc["02_displacement"]["idps_latest"] == 1286455
    assert doc["parameters"]["as_of"] == "2025-09-30"          # resolved from the data
    assert doc["parameters"]["data_dir"] == str(proj.data)       # passed by the variant
    assert set(doc["parameters"]) == {"as_of", "planned_strength", "population", "data_dir", "report_title", "language"}


def test_html_has_no_code_and_no_external_resource(built):
    proj, _, _ = built
    for nb in FIXTURE_NOTEBOOKS:
        page = (proj.reports / "fixture" / f"{nb}.html").read_text()
        assert '<div class="jp-InputArea' not in page
        assert "haiti_mss.notebook import" not in page and "ctx = start(" not in page
        assert "injected-parameters" not in page and "# Parameters" not in page
        assert "Traceback" not in page and "sns.lineplot" not in page
        refs = parse(page)
        bad = [r for r in refs.resources if r[1] == "inline script" or not local(r[1])]
        assert not bad, bad
        assert not any("jp-InputArea" in c for c in refs.classes)
        assert "cdnjs" not in page and "fonts.googleapis" not in page and "@import" not in page


def test_html_shows_figures_parameters_toc_vintage_and_provenance(built):
    proj, _, _ = built
    page = (proj.reports / "fixture" / "01_deployment.html").read_text()
    assert "<strong>1,873</strong>" in page                              # a headline figure
    assert "<title>Deployment shortfall (test fixture)</title>" in page  # the first H1
    assert '<a href="#Deployed-strength">Deployed strength</a>' in page  # TOC from h2 ids
    assert '<a href="#Method">Method</a>' in page                        # ... and h3
    assert 'id="Deployed-strength"' in page
    assert "Parameters used" in page and "<td>planned_strength</td><td>2,500</td><td>default</td>" in page
    assert f"<td>data_dir</td><td>{proj.data}</td><td>variant fixture</td>" in page
    assert "Data vintage" in page and "<td>strength_reports</td><td>2025-09-30</td>" in page
    assert "Provenance" in page and "weasyprint" in page and " UTC" in page
    assert "make report VARIANT=fixture" in page and "haiti-report params" in page
    assert "Fixture &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "<script>alert(1)</script>" not in page
    chart = (proj.reports / "fixture" / "02_displacement.html").read_text()
    assert "data:image/png;base64," in chart


def test_pdf_is_a4_with_pages_and_the_headline_figure(built):
    from pypdf import PdfReader

    proj, _, _ = built
    reader = PdfReader(io.BytesIO((proj.reports / "fixture" / "01_deployment.pdf").read_bytes()))
    assert len(reader.pages) >= 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2   # A4 in points
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "1,873" in text and "Parameters used" in text
    assert "1 / " in text                                       # page numbers


def test_index_links_resolve_and_titles_are_escaped(built):
    proj, _, _ = built
    page = (proj.reports / "index.html").read_text()
    refs = parse(page)
    assert not [r for r in refs.resources if not local(r[1])]
    targets = [href for href in refs.links if not href.startswith(("#", "http:", "https:"))]
    assert len(targets) >= 1 + 3 * len(FIXTURE_NOTEBOOKS)
    for href in targets:
        assert (proj.reports / unquote(href)).is_file(), href
    assert "Fixture &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page and "<script>" not in page
    assert "1,873" in page and "1,286,455" in page


def test_second_build_skips_everything(built):
    proj, _, _ = built
    before = {p: p.stat().st_mtime_ns for p in (proj.reports / "fixture").iterdir() if p.is_file()}
    lines: list[str] = []
    again = proj.build("fixture", echo=lines.append)
    assert again.exit_code == 0
    assert [r.status for r in again.results] == ["skipped"] * len(FIXTURE_NOTEBOOKS)
    assert lines == [f"[fixture] {nb}: skipped (up to date)" for nb in FIXTURE_NOTEBOOKS]
    after = {p: p.stat().st_mtime_ns for p in (proj.reports / "fixture").iterdir() if p.is_file()}
    assert before == after                                      # nothing rewritten


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_incremental_rebuild_then_bad_data_is_refused_up_front(project):
    project.variant("v", title="Incremental")
    first = project.build("v")
    assert [r.status for r in first.results] == ["built", "built"]
    areas = project.data / "dtm_areas.csv"

    # A CSV edited without `make hash-data`: refused with the hash message, not "up to date" (a cache
    # key that ignored the CSV's bytes would skip both notebooks here).
    areas.write_text(areas.read_text().replace("Centre,r10,240000", "Centre,r10,240001"))
    before = snapshot(project.reports)
    lines: list[str] = []
    with pytest.raises(build_mod.DataError) as refused:
        project.build("v", echo=lines.append)
    assert "data/dtm_areas.csv: got 'sha256:" in str(refused.value) and "run `make hash-data`" in str(refused.value)
    assert lines == [] and snapshot(project.reports) == before

    # dtm_areas is read by 02_displacement only: once hashed, only that notebook is rebuilt.
    assert refresh_hashes(project.data) == ["dtm_areas"]
    second = project.build("v")
    assert {r.notebook: r.status for r in second.results} == {"01_deployment": "skipped", "02_displacement": "built"}

    # Corrupt the same table (a negative count), hashes refreshed: refused before any kernel starts, with
    # the file, line and column, once; nothing under reports/ changes.
    areas.write_text(areas.read_text().replace("Centre,r10,240001", "Centre,r10,-5"))
    refresh_hashes(project.data)
    before = snapshot(project.reports)
    lines = []
    with pytest.raises(build_mod.DataError) as refused:
        project.build("v", echo=lines.append)
    assert str(refused.value) == (f"1 problem in the data in {project.data}:\n"
                                  "  data/dtm_areas.csv, line 3, column 'idps': got '-5'; expected a value >= 0")
    assert lines == []                                   # no "started", no "skipped": nothing ran
    assert snapshot(project.reports) == before

    # Restoring the data makes the good report current again.
    areas.write_text(areas.read_text().replace("Centre,r10,-5", "Centre,r10,240001"))
    refresh_hashes(project.data)
    fourth = project.build("v")
    assert {r.notebook: r.status for r in fourth.results} == {"01_deployment": "skipped", "02_displacement": "skipped"}


def test_changing_one_variant_rebuilds_only_that_variant(project):
    """Keys only (no kernel): editing a variant's YAML changes its keys, not the others'."""
    project.variant("a", title="A")
    project.variant("b", title="B")
    hasher = build_mod.Hasher()
    source = Path(__file__).parent / "fixtures" / "notebooks" / "01_deployment.ipynb"

    def key(name):
        variant = build_mod.load_variant(project.params / f"{name}.yaml")
        target = build_mod.plan_targets([name], None, None, project.reports, project.params)[0]
        return hasher.key(source, "01_deployment", target.passed, {"title": variant.title, "description": variant.description})

    a, b = key("a"), key("b")
    project.variant("b", title="B", planned_strength=5550)
    assert key("a") == a and key("b") != b


def test_data_key_covers_only_the_tables_a_notebook_reads(project):
    def keys():
        hasher = build_mod.Hasher()
        return {nb: hasher.data(project.data, build_mod.notebook_tables(nb)) for nb in FIXTURE_NOTEBOOKS + ["00_brief"]}

    before = keys()
    claims = project.data / "claims.csv"        # read by 00_brief only
    claims.write_text(claims.read_text() + "c2,another claim\n")
    assert refresh_hashes(project.data) == ["claims"]   # datapackage.json changes too
    after = keys()
    assert {nb: after[nb] for nb in FIXTURE_NOTEBOOKS} == {nb: before[nb] for nb in FIXTURE_NOTEBOOKS}
    assert after["00_brief"] != before["00_brief"]


def test_a_second_build_waits_for_the_lock(built):
    """Two builds at once serialise on reports/.build.lock instead of interleaving."""
    import fcntl
    import os
    import threading

    proj, _, _ = built
    fd = os.open(proj.reports / build_mod.LOCK_FILE, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)              # "another build" holds the lock
    lines: list[str] = []
    waiting = threading.Event()

    def echo(line):
        lines.append(line)
        if line.startswith("waiting for another build"):
            waiting.set()

    results = []
    worker = threading.Thread(target=lambda: results.append(proj.build("fixture", echo=echo)))
    worker.start()
    try:
        assert waiting.wait(timeout=30)
        assert not results                          # still blocked
    finally:
        os.close(fd)                                # release: the waiting build proceeds
    worker.join(timeout=60)
    assert results and [r.status for r in results[0].results] == ["skipped", "skipped"]


def test_the_manifest_names_the_parameters_each_notebook_reads():
    """The build passes a notebook, and keys it on, only manifest.parameters_read(notebook): that list
    must be exactly the names its parameters cell assigns."""
    import ast

    from haiti_mss import manifest, paths

    for nb in manifest.NOTEBOOKS:
        cells = json.loads((paths.NOTEBOOKS_DIR / f"{nb}.ipynb").read_text(encoding="utf-8"))["cells"]
        cell, = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        assigned = [t.id for node in ast.parse("".join(cell["source"])).body if isinstance(node, ast.Assign)
                    for t in node.targets if isinstance(t, ast.Name)]
        assert sorted(assigned) == sorted(manifest.parameters_read(nb)), nb
    assert manifest.parameters_read("99_slow") is None          # outside the manifest: every parameter counts
    assert build_mod.parameters_for("99_slow", {"as_of": "2024-01-01", "x": 1}) == {"as_of": "2024-01-01", "x": 1}
    assert build_mod.parameters_for("01_deployment", {"as_of": "2024-01-01", "x": 1}) == {"as_of": "2024-01-01"}
