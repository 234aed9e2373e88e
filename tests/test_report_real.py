"""The real report end to end: the four notebooks on a copy of the real data, built into a temporary
reports folder with papermill, nbconvert and WeasyPrint. Checks what a reader gets, and that the
build is incremental by content (a changed table rebuilds only the notebooks that read it)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml

import a11y_checks
from haiti_mss import manifest, paths
from haiti_mss.build import build
from haiti_mss.validation import refresh_hashes
from test_build import local, parse

pytestmark = pytest.mark.notebooks
NOTEBOOKS = list(manifest.NOTEBOOKS)


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    data = root / "data"
    shutil.copytree(paths.DATA_DIR, data)
    params = root / "params"
    params.mkdir()
    doc = yaml.safe_load((paths.PARAMS_DIR / "latest.yaml").read_text())
    doc["parameters"] = {**(doc.get("parameters") or {}), "data_dir": str(data)}
    (params / "latest.yaml").write_text(yaml.safe_dump(doc))
    reports = root / "reports"

    def run(**kw):
        lines: list[str] = []
        result = build(["latest"], reports_dir=reports, params_dir=params, notebooks_dir=paths.NOTEBOOKS_DIR,
                       notebooks=NOTEBOOKS, jobs=2, echo=lines.append, **kw)
        return result, lines

    first, _ = run()
    return {"run": run, "first": first, "reports": reports, "data": data}


def test_every_notebook_builds_html_pdf_and_figures(real):
    assert real["first"].exit_code == 0, [r.line() for r in real["first"].results]
    out = real["reports"] / "latest"
    for nb in NOTEBOOKS:
        for ext in ("ipynb", "html", "pdf"):
            assert (out / f"{nb}.{ext}").stat().st_size > 0, (nb, ext)
    doc = json.loads((out / "figures.json").read_text())
    brief = doc["00_brief"]
    for key in ("as_of", "planned_strength", "deployed_low", "deployed_high", "deployed_share_low",
                "deployed_share_high", "idps_latest", "idps_latest_date", "children_share_latest", "claims"):
        assert key in brief, key
    assert {c["id"] for c in brief["claims"]} == {"arrival-june", "kenya-pledge", "additional-600",
                                                   "authorized-oct-2023", "under-a-quarter", "q1-killed",
                                                   "displaced-580k", "half-children", "mandate-renewal",
                                                   "peacekeeping-2025"}
    assert "parameters" in doc


def test_html_shows_figures_without_code_or_external_requests(real):
    out = real["reports"] / "latest"
    doc = json.loads((out / "figures.json").read_text())
    for nb in NOTEBOOKS:
        page = (out / f"{nb}.html").read_text(encoding="utf-8")
        refs = parse(page)
        assert "from haiti_mss" not in page and "ctx = start(" not in page and "jp-InputArea" not in page, nb
        assert [r for r in refs.resources if not local(r[1]) and r[1] != "inline script"] == [], nb
        assert "Sources" in page and "Parameters" in page, nb
    brief = (out / "00_brief.html").read_text(encoding="utf-8")
    low, high = doc["00_brief"]["deployed_low"], doc["00_brief"]["deployed_high"]
    assert f"{low:,}" in brief and f"{high:,}" in brief  # the headline figure, computed from the data


def test_pdf_has_pages_and_the_headline_figure(real):
    from pypdf import PdfReader

    out = real["reports"] / "latest"
    doc = json.loads((out / "figures.json").read_text())
    reader = PdfReader(io.BytesIO((out / "00_brief.pdf").read_bytes()))
    assert len(reader.pages) >= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert f"{doc['00_brief']['deployed_low']:,}" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)  # A4


def test_index_links_resolve(real):
    index = real["reports"] / "index.html"
    page = index.read_text(encoding="utf-8")
    assert "1,412,199" in page  # DTM Round 11, IOM's exact total (the news's "more than 1.4 million" is its alternative)
    assert "claims checked" in page and '"evidence"' not in page  # a tally, not raw JSON
    links = [l for l in parse(index.read_text(encoding="utf-8")).links if local(l) and not l.startswith("#")]
    assert links
    for link in links:
        assert (index.parent / unquote(urlparse(link).path)).exists(), link


# Readers who cannot see the charts, or want their numbers (tests/a11y_checks.py, on this build).

def test_every_chart_is_described_in_words_and_offers_its_csv(real):
    a11y_checks.every_image_is_described_in_a_sentence(real["reports"] / "latest", NOTEBOOKS)
    a11y_checks.deployment_alt_text_as_written(real["reports"] / "latest")


def test_chart_csvs_read_back_to_figures_json(real):
    a11y_checks.deployment_csv_reads_back_to_the_headline_figures(real["reports"] / "latest")
    a11y_checks.displacement_and_violence_csvs_read_back(real["reports"] / "latest")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_pdf_is_pdf_ua_with_figures_alt_outline_and_the_charts_csvs(real, notebook):
    a11y_checks.pdf_is_accessible_and_carries_the_charts_data(real["reports"] / "latest", notebook)


def test_second_build_skips_and_a_changed_table_rebuilds_only_its_readers(real):
    result, _ = real["run"]()
    assert {r.status for r in result.results} == {"skipped"}
    # dtm_areas.csv is read by the brief and the displacement notebook only
    readers = {nb for nb in NOTEBOOKS if "dtm_areas" in manifest.tables_read(nb)}
    assert readers == {"00_brief", "02_displacement"}
    path = real["data"] / "dtm_areas.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(rows[:-1]) + "\n", encoding="utf-8")  # drop one regional figure
    refresh_hashes(real["data"])
    before = {nb: (real["reports"] / "latest" / f"{nb}.html").read_bytes() for nb in NOTEBOOKS}
    result, _ = real["run"]()
    assert result.exit_code == 0
    assert {r.notebook for r in result.built} == readers
    assert {r.notebook for r in result.skipped} == set(NOTEBOOKS) - readers
    for nb in set(NOTEBOOKS) - readers:
        assert (real["reports"] / "latest" / f"{nb}.html").read_bytes() == before[nb]
