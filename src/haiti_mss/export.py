"""Turn an executed notebook into the report's self-contained HTML page and its A4 PDF.

    html = render_html(nb, context)      # context from report_context(nb, ...), or None to compute it
    pdf = render_pdf(html)               # bytes, via WeasyPrint (A4, page numbers, PDF/UA-1, chart CSVs attached)

The page uses the project's own nbconvert template (templates/haiti: the lab template without code,
prompts, require.js, MathJax, mermaid or any other external resource) and adds a header, a table of
contents, a "Parameters used" box, the data vintage, provenance and how to re-run. Every value that
goes into the page is HTML-escaped.

What the page says about itself (parameters, vintage, provenance, how to re-run) is built by
haiti_mss.page_context; the template's own words are translated through jinja2.ext.i18n in the
notebook's language, which also sets <html lang> and so the PDF's /Lang.

The same rendering is registered with nbconvert (pyproject entry points), so
`jupyter nbconvert --to haiti_html|haiti_pdf executed.ipynb` works too.
"""

from __future__ import annotations

import copy
import html
import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import HTMLExporter
from traitlets import Bool, default
from traitlets.config import Config

from . import paths
from .figures import MIME as FIGURES_MIME  # figures.py imports pandas lazily
from .page_context import first_heading, git_description, report_context, report_language, versions  # noqa: F401

for _name in ("weasyprint", "fontTools", "fontTools.subset", "fontTools.ttLib"):
    logging.getLogger(_name).setLevel(logging.ERROR)

TEMPLATE_NAME = "haiti"
REMOVED_CELL_TAGS = {"injected-parameters", "parameters"}
TOC_PLACEHOLDER = "<!--haiti:toc-->"
PDF_VARIANT = "pdf/ua-1"  # tagged structure, title, language, figures' alt text (PDF/UA-1, ISO 14289-1)

# What the exporter does, recorded in the build's content-hash key (templates and .py files are hashed
# as files): change any of these and every report is rebuilt.
SETTINGS = {
    "template": TEMPLATE_NAME,
    "exclude_input": True,
    "exclude_input_prompt": True,
    "exclude_output_prompt": True,
    "removed_cell_tags": sorted(REMOVED_CELL_TAGS),
    "removed_outputs": ["stream:stderr", "error", FIGURES_MIME],
    "pdf": "weasyprint",
    "pdf_variant": PDF_VARIANT,
    "pdf_attachments": "chart CSVs",
}


# ---------------------------------------------------------------- the notebook, cleaned for readers

def prepare(nb) -> nbformat.NotebookNode:
    """A copy without the parameters cells, warnings (stderr), errors and the machine-readable figures."""
    nb = nbformat.from_dict(copy.deepcopy(dict(nb)))
    cells = []
    for cell in nb.cells:
        if REMOVED_CELL_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            kept = []
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    continue
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    continue
                data = out.get("data")
                if data is not None and FIGURES_MIME in data:
                    data.pop(FIGURES_MIME)
                    if not data:
                        continue
                kept.append(out)
            cell.outputs = kept
        cells.append(cell)
    nb.cells = cells
    return nb


# ---------------------------------------------------------------- table of contents

class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h2", "h3") and attrs.get("id"):
            self._open, self._text = (tag, attrs["id"]), []
        elif self._open and tag == "a" and "anchor-link" in (attrs.get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "a" and self._skip:
            self._skip -= 1
        elif self._open and tag == self._open[0]:
            text = " ".join("".join(self._text).split())
            if text:
                self.found.append((self._open[0], self._open[1], text))
            self._open = None

    def handle_data(self, data):
        if self._open and not self._skip:
            self._text.append(data)


def table_of_contents(page: str, tr=None) -> str:
    """A <nav> listing the h2/h3 headings (with ids) of the page, or '' when there are none (its title in the
    language of the translator `tr`; None: English)."""
    from . import i18n

    contents = (tr or i18n.translator()).pgettext("table of contents", "Contents")
    parser = _Headings()
    parser.feed(page)
    if not parser.found:
        return ""
    # nbconvert percent-encodes non-ASCII in heading ids (id="%E2%80%9CLess-..."); '%' -> '%25' in the
    # link lets both resolve it: browsers try the decoded fragment, WeasyPrint decodes it (PDF links and
    # the contents' page numbers).
    items = "".join(
        f'<li class="{tag}"><a href="#{html.escape(ident.replace("%", "%25"), quote=True)}">{html.escape(text)}</a></li>'
        for tag, ident, text in parser.found)
    return (f'<nav class="toc box" aria-label="{html.escape(contents, quote=True)}"><p class="box-title">'
            f'{html.escape(contents)}</p><ol>{items}</ol></nav>')


# ---------------------------------------------------------------- exporters and rendering

_ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="[^"]*">[^<]*</a>')


class HaitiHTMLExporter(HTMLExporter):
    """The report page: no code, no prompts, no external resources (`--to haiti_html`)."""

    export_from_notebook = "Haiti MSS report (HTML)"
    exclude_input = Bool(True, help="Hide code cells' source.").tag(config=True)
    exclude_input_prompt = Bool(True, help="Hide input prompts.").tag(config=True)
    exclude_output_prompt = Bool(True, help="Hide output prompts.").tag(config=True)
    embed_images = Bool(True, help="Embed Markdown images as base64.").tag(config=True)

    @default("template_name")
    def _template_name_default(self):
        return TEMPLATE_NAME

    @property
    def default_config(self):
        config = super().default_config.copy()
        # No code is shown, so no Pygments CSS (and no user custom.css) is inlined.
        config.merge(Config({"CSSHTMLHeaderPreprocessor": {"enabled": False}}))
        return config

    @default("template_extension")
    def _template_extension_default(self):
        return ".html.j2"

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self):
        return [str(paths.TEMPLATES_DIR)]

    def _create_environment(self):
        """nbconvert's Jinja environment with jinja2.ext.i18n: the template's {% trans %} blocks and _() calls
        are translated by the report's catalog (installed per page in from_notebook_node)."""
        environment = super()._create_environment()
        environment.add_extension("jinja2.ext.i18n")
        environment.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
        environment.install_null_translations(newstyle=True)
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        from . import i18n

        resources = dict(resources or {})
        name = (resources.get("metadata") or {}).get("name")
        context = resources.get("haiti") or report_context(nb, notebook=name)
        language = context.get("language") or report_language(nb)
        translator = i18n.translator(language)
        self.environment.install_gettext_translations(translator, newstyle=True)
        self.language_code = language  # <html lang>, hence the PDF's /Lang
        clean = prepare(nb)
        clean.metadata["title"] = context["page_title"]
        resources["haiti"] = context
        page, resources = super().from_notebook_node(clean, resources, **kw)
        page = _ANCHOR_LINK.sub("", page)  # keep nbconvert's heading ids, drop the pilcrow links
        page = page.replace(TOC_PLACEHOLDER, table_of_contents(page, translator), 1)
        return title_first(page), resources


FRONT = re.compile(r"<!--haiti:front-->(.*?)<!--haiti:front-end-->", re.S)
FIRST_H1_END = re.compile(r"</h1>")


def title_first(page: str) -> str:
    """Move the header line and the table of contents just below the notebook's title (its first h1),
    so a reader sees the title, then the contents, then the key figures."""
    front = FRONT.search(page)
    if not front:
        return page
    rest = page[: front.start()] + page[front.end():]
    end = FIRST_H1_END.search(rest, front.start())
    if not end:
        return page[: front.start()] + front.group(1) + page[front.end():]
    return rest[: end.end()] + front.group(1) + rest[end.end():]


class HaitiPDFExporter(HaitiHTMLExporter):
    """The same page printed to A4 PDF by WeasyPrint (`--to haiti_pdf`)."""

    export_from_notebook = "Haiti MSS report (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        page, resources = super().from_notebook_node(nb, resources, **kw)
        base = (resources.get("metadata") or {}).get("path") or None
        resources["output_extension"] = ".pdf"
        return render_pdf(page, base_url=base), resources


_EXPORTER: HaitiHTMLExporter | None = None
_HTML_LANG = re.compile(r'<html lang="([A-Za-z-]+)"')


def render_html(nb, context: dict[str, Any] | None = None, *, notebook: str | None = None) -> str:
    """The report page for an executed notebook (context from report_context; None computes it)."""
    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = HaitiHTMLExporter()
        _EXPORTER.log.setLevel(logging.ERROR)  # "Alternative text is missing" on every chart
    nb = nbformat.from_dict(dict(nb)) if not isinstance(nb, nbformat.NotebookNode) else nb
    resources = {"metadata": {"name": notebook or (context or {}).get("notebook") or "report"}}
    if context is not None:
        resources["haiti"] = context
    page, _ = _EXPORTER.from_notebook_node(nb, resources)
    return page


def warm_up() -> None:
    """Compile the template and load WeasyPrint's fonts once (the first page costs ~2 s more)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Warm-up\n\n## Section\n\nText 1,234.")])
    context = {"page_title": "Warm-up", "language": "en", "as_of": "", "built_at": "", "parameters": [], "vintage": [],
               "vintage_note": "", "data_files": [], "git": "", "versions": [], "rerun": [], "data_dir": ""}
    render_pdf(render_html(nb, context))


def render_pdf(page: str, base_url: str | Path | None = None, *, pdf_variant: str | None = PDF_VARIANT) -> bytes:
    """Print the page to an accessible PDF: A4 and page numbers from the page's @page rule, tagged as
    PDF/UA-1 (headings, lists, tables, figures with their alt text; the outline from the headings;
    title and language from <title> and <html lang>), each chart's CSV embedded as an attachment."""
    import weasyprint

    from . import print_ready
    from .chart_data import attachments_in
    from .i18n import languages

    lang = _HTML_LANG.search(page)
    language = lang[1] if lang and lang[1] in languages() else None
    attachments = [weasyprint.Attachment(string=content, name=name, description=description)
                   for name, content, description in attachments_in(page, language)]
    return print_ready.document(page, base_url).write_pdf(  # the same page, cheaper to lay out
        pdf_variant=pdf_variant, attachments=attachments or None)
