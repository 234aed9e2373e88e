"""The real report end to end: the four notebooks of the three English variants on the real data, built
once per session (tests/conftest.py, real_reports) with papermill, nbconvert and WeasyPrint. Checks that
every output is there, that HTML, PDF, figures.json and index.html agree with each other (tests/test_pinned.py
pins the figures themselves), what readers who cannot see the charts get (tests/a11y_checks.py), and that the
real manifest keys each notebook on the tables it reads. The build's incremental behaviour end to end is in
tests/test_build.py and tests/test_cache.py (fixture notebooks: a rebuild of the real ones costs minutes)."""

from __future__ import annotations

import io
import json
import shutil
from urllib.parse import unquote, urlparse

import pytest

import a11y_checks
from conftest import REAL_VARIANTS
from haiti_mss import manifest, paths
from haiti_mss.build import Hasher, build, load_variant, plan_targets
from haiti_mss.validation import refresh_hashes
from test_build import local, parse

pytestmark = pytest.mark.notebooks
NOTEBOOKS = list(manifest.NOTEBOOKS)
CLAIMS = {"arrival-june", "kenya-pledge", "additional-600", "authorized-oct-2023", "under-a-quarter", "q1-killed",
          "displaced-580k", "half-children", "mandate-renewal", "peacekeeping-2025"}


def figures(reports, variant: str) -> dict:
    return json.loads((reports / variant / "figures.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("variant", REAL_VARIANTS)
def test_every_notebook_builds_html_pdf_and_figures(real_reports, variant):
    out = real_reports / variant
    for nb in NOTEBOOKS:
        for ext in ("ipynb", "html", "pdf"):
            assert (out / f"{nb}.{ext}").stat().st_size > 0, (nb, ext)
    doc = figures(real_reports, variant)
    assert doc["variant"] == variant and set(NOTEBOOKS) <= set(doc) and "parameters" in doc
    brief = doc["00_brief"]
    for key in ("as_of", "planned_strength", "deployed_low", "deployed_high", "deployed_share_low",
                "deployed_share_high", "idps_latest", "idps_latest_date", "children_share_latest", "claims"):
        assert key in brief, key
    assert {c["id"] for c in brief["claims"]} == CLAIMS
    # every notebook of a variant describes the same date, against the same plan where it reads one
    assert len({doc[nb]["as_of"] for nb in NOTEBOOKS}) == 1
    planning = manifest.READ_ONLY_BY["planned_strength"]
    assert len({doc[nb]["planned_strength"] for nb in planning}) == 1
    assert all("planned_strength" not in doc[nb] for nb in NOTEBOOKS if nb not in planning)


@pytest.mark.parametrize("variant", REAL_VARIANTS)
def test_html_shows_figures_without_code_or_external_requests(real_reports, variant):
    out = real_reports / variant
    doc = figures(real_reports, variant)
    for nb in NOTEBOOKS:
        page = (out / f"{nb}.html").read_text(encoding="utf-8")
        refs = parse(page)
        assert "from haiti_mss" not in page and "ctx = start(" not in page and "jp-InputArea" not in page, nb
        assert [r for r in refs.resources if not local(r[1]) and r[1] != "inline script"] == [], nb
        assert "Sources" in page and "Parameters" in page, nb
    brief = (out / "00_brief.html").read_text(encoding="utf-8")
    low, high = doc["00_brief"]["deployed_low"], doc["00_brief"]["deployed_high"]
    assert f"{low:,}" in brief and f"{high:,}" in brief  # the headline figure, computed from the data


@pytest.mark.parametrize("variant", REAL_VARIANTS)
def test_pdf_has_pages_and_the_headline_figure(real_reports, variant):
    from pypdf import PdfReader

    out = real_reports / variant
    doc = figures(real_reports, variant)
    reader = PdfReader(io.BytesIO((out / "00_brief.pdf").read_bytes()))
    assert len(reader.pages) >= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert f"{doc['00_brief']['deployed_low']:,}" in text and f"{doc['00_brief']['idps_latest']:,}" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)  # A4


def test_index_links_resolve(real_reports):
    index = real_reports / "index.html"
    page = index.read_text(encoding="utf-8")
    assert "1,412,199" in page  # DTM Round 11, IOM's exact total (the news's "more than 1.4 million" is its alternative)
    assert "578,074" in page    # Round 7, the latest round on the article's date
    assert "claims checked" in page and '"evidence"' not in page  # a tally, not raw JSON
    links = [l for l in parse(page).links if local(l) and not l.startswith("#")]
    for variant in REAL_VARIANTS:
        assert f"{variant}/00_brief.html" in links and f"{variant}/figures.json" in links, variant
    assert "compare/2024-09-article--latest.html" in links   # what changed since the article
    for link in links:
        assert (index.parent / unquote(urlparse(link).path)).exists(), link


def test_the_comparison_page_shows_both_dates_and_figures(real_reports):
    page = (real_reports / "compare" / "2024-09-article--latest.html").read_text(encoding="utf-8")
    assert "22 September 2024" in page and "21 March 2026" in page
    assert "426" in page and "1,000–1,200" in page and "578,074" in page and "1,412,199" in page


# Readers who cannot see the charts, or want their numbers (tests/a11y_checks.py, on this build).

@pytest.mark.parametrize("variant", REAL_VARIANTS)
def test_every_chart_is_described_in_words_and_offers_its_csv(real_reports, variant):
    a11y_checks.every_image_is_described_in_a_sentence(real_reports / variant, NOTEBOOKS)


def test_the_deployment_chart_alt_text_as_written(real_reports):
    a11y_checks.deployment_alt_text_as_written(real_reports / "latest")


def test_chart_csvs_read_back_to_figures_json(real_reports):
    a11y_checks.deployment_csv_reads_back_to_the_headline_figures(real_reports / "latest")
    a11y_checks.displacement_and_violence_csvs_read_back(real_reports / "latest")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
@pytest.mark.parametrize("variant", REAL_VARIANTS)
def test_pdf_is_pdf_ua_with_figures_alt_outline_and_the_charts_csvs(real_reports, variant, notebook):
    a11y_checks.pdf_is_accessible_and_carries_the_charts_data(real_reports / variant, notebook)


# The build on the real notebooks: nothing to redo, and a changed table concerns only its readers.

def test_second_build_skips_everything(real_reports):
    before = {p: p.stat().st_mtime_ns for v in REAL_VARIANTS for p in (real_reports / v).iterdir() if p.is_file()}
    lines: list[str] = []
    result = build(REAL_VARIANTS, reports_dir=real_reports, notebooks=NOTEBOOKS, jobs=2, echo=lines.append)
    assert result.exit_code == 0
    assert {r.status for r in result.results} == {"skipped"} and len(result.results) == 3 * len(NOTEBOOKS), lines
    after = {p: p.stat().st_mtime_ns for v in REAL_VARIANTS for p in (real_reports / v).iterdir() if p.is_file()}
    assert after == before                                       # nothing rewritten


def test_a_changed_table_changes_the_keys_of_its_readers_only(tmp_path):
    """The real manifest: dtm_areas.csv is read by the brief and the displacement notebook only, so dropping
    one of its rows (hashes refreshed) changes their cache keys and leaves the other two up to date."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    readers = {nb for nb in NOTEBOOKS if "dtm_areas" in manifest.tables_read(nb)}
    assert readers == {"00_brief", "02_displacement"}
    variant = load_variant(paths.PARAMS_DIR / "latest.yaml")
    target = plan_targets(["latest"], {"data_dir": str(data)}, None, tmp_path / "reports", paths.PARAMS_DIR)[0]

    def keys() -> dict[str, str]:
        hasher = Hasher()
        return {nb: hasher.key(paths.NOTEBOOKS_DIR / f"{nb}.ipynb", nb, target.passed,
                               {"title": variant.title, "description": variant.description}) for nb in NOTEBOOKS}

    before = keys()
    path = data / "dtm_areas.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(rows[:-1]) + "\n", encoding="utf-8")  # drop one regional figure
    assert refresh_hashes(data) == ["dtm_areas"]
    after = keys()
    assert {nb for nb in NOTEBOOKS if after[nb] != before[nb]} == readers
