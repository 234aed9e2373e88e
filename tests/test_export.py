"""The report page and its PDF: no code, no external resources, escaped values, table of contents,
parameters box; and `jupyter nbconvert --to haiti_pdf|haiti_html` through the entry points."""

from __future__ import annotations

import io
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
