"""The report page and its PDF: no code, no external resources, escaped values, table of contents,
parameters box; and `jupyter nbconvert --to haiti_pdf|haiti_html` through the entry points."""

from __future__ import annotations

import io
import re
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import FIXTURES, HOSTILE_TITLE
from haiti_mss import export, figures, paths

TEMPLATE = paths.TEMPLATES_DIR / "haiti"


def executed_like(data_dir: Path) -> nbformat.NotebookNode:
    """A notebook shaped like papermill's output, without running a kernel."""
    v4 = nbformat.v4
    params = v4.new_code_cell("as_of = None\nplanned_strength = None")
    params.metadata["tags"] = ["parameters"]
    injected = v4.new_code_cell(f'# Parameters\nplanned_strength = 5550\ndata_dir = "{data_dir}"\n')
    injected.metadata["tags"] = ["injected-parameters"]
    body = v4.new_code_cell("secret_code_here()", execution_count=3, outputs=[
        v4.new_output("display_data", data={figures.MIME: {"as_of": "2025-09-30", "planned_strength": 5550,
                                                           "deployed": 1234}}),
        v4.new_output("stream", name="stderr", text="UserWarning: warnings.warn(secret_warning)\n"),
        v4.new_output("display_data", data={"text/markdown": "## Deployed & counted\n\nWe count **1,234** people.",
                                            "text/plain": "<IPython.core.display.Markdown object>"}),
    ])
    nb = v4.new_notebook(cells=[params, injected, v4.new_markdown_cell("# The *title* of the page\n\nIntro."), body,
                                v4.new_markdown_cell("### A detail\n\nText.")])
    nb.metadata["papermill"] = {"parameters": {"planned_strength": 5550, "data_dir": str(data_dir)}}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.fixture(scope="module")
def page() -> str:
    nb = executed_like(FIXTURES / "data")
    context = export.report_context(nb, notebook="01_deployment", variant="gsf-5550", variant_title=HOSTILE_TITLE,
                                    sources={"planned_strength": "variant gsf-5550"})
    return export.render_html(nb, context)


def test_page_has_no_code_prompts_or_parameters_cells(page):
    assert "secret_code_here" not in page and "secret_warning" not in page
    assert "# Parameters" not in page and "injected-parameters" not in page
    assert "jp-InputArea" not in page and "In&nbsp;[" not in page and "jp-InputPrompt" not in page
    assert figures.MIME not in page


def test_page_has_no_external_resource(page):
    from test_build import local, parse

    refs = parse(page)
    assert not [r for r in refs.resources if r[1] == "inline script" or not local(r[1])]
    for needle in ("require", "mathjax", "mermaid", "cdnjs", "unpkg", "googleapis", "@font-face", "@import", "<script"):
        assert needle not in page.lower(), needle


def test_page_title_toc_and_escaping(page):
    assert "<title>The title of the page</title>" in page
    assert '<li class="h2"><a href="#Deployed-&amp;-counted">Deployed &amp; counted</a></li>' in page
    assert 'id="Deployed-&amp;-counted"' in page
    assert '<li class="h3"><a href="#A-detail">A detail</a></li>' in page
    assert "Fixture &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "<script>" not in page


def test_parameters_box_tells_defaults_from_overrides(page):
    box = page.split('class="box parameters"')[1].split("</section>")[0]
    assert '<tr class="override"><td>planned_strength</td><td>5,550</td><td>variant gsf-5550</td></tr>' in box
    assert "<td>as_of</td><td>2025-09-30</td><td>default</td>" in box
    assert "<td>population</td>" in box and "<td>report_title</td>" in box
    assert "make report VARIANT=gsf-5550" in page


def test_pdf_is_a4_and_has_the_text(page):
    from pypdf import PdfReader

    pdf = export.render_pdf(page)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842
    assert "1,234" in "".join(p.extract_text() for p in reader.pages)


def test_template_extends_lab_and_drops_external_blocks():
    conf = json.loads((TEMPLATE / "conf.json").read_text())
    assert conf["base_template"] == "lab"
    source = (TEMPLATE / "index.html.j2").read_text()
    assert "extends 'lab/index.html.j2'" in source
    for block in ("html_head_js_requirejs", "html_head_js_mathjax", "html_head_js_mermaidjs"):
        assert f"{{%- block {block} -%}}{{%- endblock {block} -%}}" in source
    css = (TEMPLATE / "report.css").read_text()
    assert "size: A4" in css and "counter(pages)" in css and "http" not in css


def test_table_of_contents_escapes_and_skips_headings_without_ids():
    toc = export.table_of_contents('<h2 id="a&quot;b">A &amp; <em>B</em></h2><h2>no id</h2><h3 id="c">C</h3>')
    assert '<a href="#a&quot;b">A &amp; B</a>' in toc and "no id" not in toc and 'class="h3"' in toc
    assert export.table_of_contents("<p>nothing</p>") == ""


@pytest.mark.notebooks
def test_jupyter_nbconvert_to_haiti_pdf(built, tmp_path):
    """The entry point in pyproject.toml: `jupyter nbconvert --to haiti_pdf` (haiti_html shares it)."""
    proj, result, _ = built
    assert result.exit_code == 0
    shutil.copy(proj.reports / "fixture" / "01_deployment.ipynb", tmp_path / "executed.ipynb")
    jupyter = Path(sys.executable).with_name("jupyter")
    cmd = [str(jupyter)] if jupyter.exists() else [sys.executable, "-m", "jupyter"]
    run = subprocess.run(cmd + ["nbconvert", "--to", "haiti_pdf", "executed.ipynb"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "executed.pdf")
    assert len(reader.pages) >= 1 and "1,873" in reader.pages[0].extract_text()
    assert "Parameters used" in reader.pages[0].extract_text()


def test_exporters_are_registered():
    from nbconvert.exporters import get_exporter

    assert get_exporter("haiti_pdf") is export.HaitiPDFExporter
    assert get_exporter("haiti_html") is export.HaitiHTMLExporter


# ---------------------------------------------------------------- charts' alt text and data; the accessible PDF

PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
CHART_ALT = 'Step chart of "deployed" personnel <b>& co</b>, June 2024 to March 2026: from 200 to 1,000–1,200.'


def with_chart(data_dir: Path) -> nbformat.NotebookNode:
    """executed_like() plus what charts.show() outputs: a PNG with its alt text, then the Data (CSV) link."""
    import pandas as pd

    from haiti_mss import chart_data

    nb = executed_like(data_dir)
    v4 = nbformat.v4
    chart_data.use_sources(None)  # a chart drawn outside a report: its CSV lists bare ids (another test may have set a ledger)
    rows = pd.DataFrame({"date": ["2024-06-25"], "personnel": [200], "source_id": ["kenyanpost-2024-07-08"]})
    nb.cells.append(v4.new_markdown_cell("## “Less than a quarter”: a chart"))
    nb.cells.append(v4.new_code_cell("charts.show(fig)", outputs=[
        v4.new_output("display_data", data={"image/png": PIXEL, "text/plain": CHART_ALT},
                      metadata={"image/png": {"alt": CHART_ALT, "width": 400, "height": 200}}),
        v4.new_output("display_data", data={"text/html": chart_data.data_link(rows, "deployment")}),
        v4.new_output("display_data", data={"image/png": PIXEL}),  # a chart shown without show(): no alt
    ]))
    return nb


@pytest.fixture(scope="module")
def chart_page() -> str:
    nb = with_chart(FIXTURES / "data")
    return export.render_html(nb, export.report_context(nb, notebook="01_deployment"))


@pytest.fixture(scope="module")
def chart_pdf(chart_page):
    import pikepdf

    return pikepdf.open(io.BytesIO(export.render_pdf(chart_page)))


def image_alts(page: str) -> list[str | None]:
    from html.parser import HTMLParser

    class Images(HTMLParser):
        alts: list[str | None] = []

        def handle_starttag(self, tag, attrs):
            if tag == "img":
                self.alts.append(dict(attrs).get("alt"))

    parser = Images()
    parser.alts = []
    parser.feed(page)
    return parser.alts


def test_chart_alt_text_reaches_the_img_escaped(chart_page):
    assert image_alts(chart_page)[0] == CHART_ALT
    assert "personnel &lt;b&gt;&amp; co&lt;/b&gt;," in chart_page and "<b>& co" not in chart_page
    # nbconvert's placeholder only where no alt was given (charts.show() never does that; the reports' test checks)
    assert chart_page.count("No description has been provided for this image") == 1


def test_chart_csv_is_a_download_on_screen_and_named_in_print(chart_page):
    assert 'download="deployment.csv"' in chart_page and ">Data (CSV)</a>" in chart_page
    assert "Data (CSV), attached to this PDF: deployment.csv" in chart_page
    css = (TEMPLATE / "report.css").read_text()
    assert ".chart-data-pdf { display: none; }" in css and ".chart-data-link { display: none; }" in css


def structure(pdf) -> list:
    """Every structure element of a tagged PDF, depth first."""
    import pikepdf

    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


def outline_titles(pdf) -> list[str]:
    titles = []
    with pdf.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop(0)
            titles.append(item.title)
            stack[:0] = list(item.children)
    return titles


def test_pdf_is_tagged_pdf_ua_with_language_title_and_figure_alt(chart_pdf):
    root = chart_pdf.Root
    assert "/StructTreeRoot" in root and bool(root.MarkInfo.Marked) is True
    assert str(root.Lang) == "en" and str(chart_pdf.docinfo.Title) == "The title of the page"
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    assert chart_pdf.open_metadata().get("pdfuaid:part") == "1"
    alts = sorted(str(e.Alt) for e in structure(chart_pdf) if e.S == "/Figure")
    assert alts == sorted([CHART_ALT, "No description has been provided for this image"])
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/L", "/Link"} <= {str(e.S) for e in structure(chart_pdf)}


def test_pdf_outline_has_every_heading(chart_pdf):
    titles = outline_titles(chart_pdf)
    for heading in ("The title of the page", "Deployed & counted", "A detail", "“Less than a quarter”: a chart",
                    "About this report"):
        assert heading in titles, titles


def test_pdf_carries_the_chart_csv_as_an_attachment(chart_pdf):
    files = chart_pdf.attachments
    assert list(files) == ["deployment.csv"]
    spec = files["deployment.csv"]
    assert spec.get_file().read_bytes() == (b"# Sources: kenyanpost-2024-07-08\ndate,personnel,source_id\n"
                                            b"2024-06-25,200,kenyanpost-2024-07-08\n")
    assert spec.description.startswith('The rows drawn in the chart (Step chart of "deployed" personnel')


def test_pdf_contents_give_page_numbers_and_links_resolve(chart_pdf):
    from pypdf import PdfReader

    first = PdfReader(io.BytesIO(chart_pdf_bytes(chart_pdf))).pages[0].extract_text()
    # every entry ends with a dotted leader and its page, also a heading whose id nbconvert percent-encodes
    assert re.search(r"Deployed & counted\s*\.{5,}\s*1\b", first), first
    assert re.search(r"“Less than a quarter”: a chart\s*\.{5,}\s*\d+", first), first
    links = [a for page in chart_pdf.pages for a in page.get("/Annots", []) if a.Subtype == "/Link"]
    assert len(links) >= 4 and all("/Dest" in a or "/A" in a for a in links)


def chart_pdf_bytes(pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
