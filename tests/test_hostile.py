"""Hostile text end to end (issue 11): `<b>&</script>` in a CSV quote, a source title, a data note, a report
table's cell, `report_title`, and a variant's title and description, in a copy of data/ and params/. One small
real build (01_deployment, which shows the quote, the title and the cell, plus index.html), then: each text is
shown as text in the HTML page, the index and the PDF, and no element is created from it (the pages are
parsed: no <b> and no <script> at all, as in every real page).

The note (data/arrivals.csv) is shown by no notebook today; it is there so that a note that starts being shown
unescaped fails the no-live-tag check."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
import yaml

from haiti_mss import paths
from haiti_mss.build import build
from haiti_mss.validation import refresh_hashes
from reading import elements, page_text, pdf_text, squash

pytestmark = pytest.mark.notebooks

MARK = "<b>&</script>"
QUOTE = f"{MARK} a quote"                 # funding.csv: the frozen US contribution, quoted in 01's prose
TITLE = f"{MARK} a source title"          # sources.csv: that row's source, in 01's Sources table
NOTE = f"{MARK} a note"                   # arrivals.csv: the first Kenyan arrival (notes are not shown)
CELL = f"{MARK} a table cell"             # funding_costs.csv: Kindiki's "period, as written", in a report table
REPORT_TITLE = f"{MARK} a report title"   # parameter: under the notebook's heading and in "Parameters used"
VARIANT_TITLE = f"{MARK} a variant title"
DESCRIPTION = f"{MARK} a description"
SHOWN = [QUOTE, TITLE, CELL, REPORT_TITLE, VARIANT_TITLE, DESCRIPTION]


def edit_csv(path, key: str, row_id: str, column: str, value: str) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    hits = [r for r in rows if r[key] == row_id]
    assert len(hits) == 1, (path.name, row_id)
    hits[0][column] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        out.writeheader()
        out.writerows(rows)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    data, params, reports = root / "data", root / "params", root / "reports"
    shutil.copytree(paths.DATA_DIR, data)
    edit_csv(data / "funding.csv", "figure_id", "mss-2025-02-04-united-states-frozen", "quote", QUOTE)
    edit_csv(data / "sources.csv", "source_id", "theworldnewstoday-us-partners-haiti", "title", TITLE)
    edit_csv(data / "arrivals.csv", "movement_id", "2024-06-25-kenya", "note", NOTE)
    edit_csv(data / "funding_costs.csv", "cost_id", "mss-cost-2023-11-09-kindiki", "period_as_written", CELL)
    assert sorted(refresh_hashes(data)) == ["arrivals", "funding", "funding_costs", "sources"]
    params.mkdir()
    (params / "hostile.yaml").write_text(yaml.safe_dump({
        "title": VARIANT_TITLE, "description": DESCRIPTION,
        "parameters": {"data_dir": str(data), "report_title": REPORT_TITLE}}, allow_unicode=True), encoding="utf-8")
    lines: list[str] = []
    result = build(["hostile"], reports_dir=reports, params_dir=params, notebooks=["01_deployment"], jobs=1,
                   echo=lines.append)
    assert result.exit_code == 0, lines
    return reports


def test_the_report_page_shows_each_text_as_text(hostile):
    page = (hostile / "hostile" / "01_deployment.html").read_text(encoding="utf-8")
    text = page_text(page)
    assert f"In the source's words: “{QUOTE}” [theworldnewstoday-us-partners-haiti]." in text
    for shown in SHOWN:
        assert shown in text, shown
    assert elements(page, "b", "script") == []          # no element created from the data or the parameters
    assert MARK not in page and "&lt;b&gt;&amp;&lt;/script&gt;" in page


def test_the_pdf_shows_each_text(hostile):
    text = squash(pdf_text(hostile / "hostile" / "01_deployment.pdf")).casefold()   # the PDF's header is in capitals
    for shown in SHOWN:
        assert squash(shown).casefold() in text, shown


def test_the_index_shows_the_variant_as_text(hostile):
    page = (hostile / "index.html").read_text(encoding="utf-8")
    text = page_text(page)
    assert VARIANT_TITLE in text and DESCRIPTION in text
    assert elements(page, "b", "script") == [] and MARK not in page


def test_figures_json_keeps_the_text_as_it_was_given(hostile):
    doc = json.loads((hostile / "hostile" / "figures.json").read_text(encoding="utf-8"))
    assert (doc["title"], doc["description"], doc["parameters"]["report_title"]) == (VARIANT_TITLE, DESCRIPTION, REPORT_TITLE)
