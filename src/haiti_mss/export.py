"""Turn an executed notebook into the report's self-contained HTML page and its A4 PDF.

    html = render_html(nb, context)      # context from report_context(nb, ...), or None to compute it
    pdf = render_pdf(html)               # bytes, via WeasyPrint (A4, page numbers, PDF/UA-1, chart CSVs attached)

The page uses the project's own nbconvert template (templates/haiti: the lab template without code,
prompts, require.js, MathJax, mermaid or any other external resource) and adds a header, a table of
contents, a "Parameters used" box, the data vintage, provenance and how to re-run. Every value that
goes into the page is HTML-escaped.

The same rendering is registered with nbconvert (pyproject entry points), so
`jupyter nbconvert --to haiti_html|haiti_pdf executed.ipynb` works too.
"""

from __future__ import annotations

import copy
import html
import logging
import platform
import re
import subprocess
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from importlib import metadata as _metadata
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import HTMLExporter
from traitlets import Bool, default
from traitlets.config import Config

from . import paths
from .figures import MIME as FIGURES_MIME  # figures.py imports pandas lazily

for _name in ("weasyprint", "fontTools", "fontTools.subset", "fontTools.ttLib"):
    logging.getLogger(_name).setLevel(logging.ERROR)

TEMPLATE_NAME = "haiti"
REMOVED_CELL_TAGS = {"injected-parameters", "parameters"}
TOC_PLACEHOLDER = "<!--haiti:toc-->"
VERSIONED = ("pandas", "seaborn", "matplotlib", "papermill", "nbconvert", "weasyprint")
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


_H1 = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def first_heading(nb) -> str | None:
    """The text of the notebook's first H1 (Markdown cell or Markdown output)."""
    for cell in nb.get("cells", []):
        sources = []
        if cell.get("cell_type") == "markdown":
            sources.append(cell.get("source", ""))
        for out in cell.get("outputs", []) or []:
            text = (out.get("data") or {}).get("text/markdown")
            if text:
                sources.append(text)
        for source in sources:
            source = "".join(source) if isinstance(source, list) else source
            match = _H1.search(source)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return None


# ---------------------------------------------------------------- what the page says about itself

def git_description(root: Path | None = None) -> str:
    """The short commit hash, or 'uncommitted changes ...' when the tree differs from it (or no git)."""
    root = root or paths.ROOT
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10)
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True,
                                text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "uncommitted changes (git is not available)"
    if head.returncode != 0:
        return "uncommitted changes (not a git commit)"
    if status.returncode != 0 or status.stdout.strip():
        return f"uncommitted changes (on top of commit {head.stdout.strip()})"
    return f"commit {head.stdout.strip()}"


def versions() -> list[dict[str, str]]:
    out = [{"name": "python", "version": platform.python_version()}]
    for name in VERSIONED:
        try:
            out.append({"name": name, "version": _metadata.version(name)})
        except _metadata.PackageNotFoundError:
            out.append({"name": name, "version": "not installed"})
    return out


def _shown(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _notebook_tables(name: str | None) -> list[str] | None:
    from .manifest import notebook_tables

    return notebook_tables(name) if name else None


def report_context(nb, *, notebook: str | None = None, variant: str | None = None,
                   variant_title: str | None = None, variant_description: str | None = None,
                   sources: dict[str, str] | None = None, overrides: dict[str, Any] | None = None,
                   out: str | None = None, built_at: datetime | None = None, git: str | None = None,
                   software: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """Everything the template shows besides the notebook itself (plain values; the template escapes).

    sources: how each passed parameter was set, e.g. {"planned_strength": "variant gsf-5550"};
    overrides: the --set values (for the re-run command).
    """
    from . import data, figures, parameters

    passed = dict((nb.get("metadata", {}).get("papermill", {}) or {}).get("parameters", {}) or {})
    recorded = figures.extract(nb)
    sources = sources or {}
    rows = []
    for name, param in parameters.PARAMETERS.items():
        given = passed.get(name)
        value = recorded.get(name, given)
        if given is not None:
            source = sources.get(name, "override")
            css = "override"
        else:
            source = "default"
            css = "default"
        shown = _shown(value) if value is not None else param.default_doc
        rows.append({"name": name, "value": shown, "source": source, "source_class": css, "doc": param.doc})

    folder = paths.data_dir(passed.get("data_dir"))
    vintage, vintage_note, data_files = [], "", []
    try:
        tables = data.load_tables(_notebook_tables(notebook), folder)
        vintage = [{"table": k, "newest": _shown(v.date())} for k, v in sorted(data.data_vintage(tables).items())]
        data_files = [{"path": k, "sha256": v.removeprefix("sha256:")} for k, v in sorted(data.file_hashes(folder).items())]
    except Exception as exc:  # the page still renders; it says why the vintage is missing
        vintage_note = f"Data vintage unavailable: {str(exc).splitlines()[0]}"

    built_at = built_at or datetime.now(timezone.utc)
    as_of = recorded.get("as_of") or passed.get("as_of") or "the newest figure in the data"
    var = variant or "latest"
    sets = " ".join(f"{k}={_plain(v)}" for k, v in (overrides or {}).items())
    rerun = [
        {"command": "make reports", "doc": "rebuild every variant in params/ (only what changed)"},
        {"command": f'make report VARIANT={var} SET="{sets}"' + (f" OUT={out}" if out else ""),
         "doc": "this variant" + (" with these overrides" if sets else "") + "; add NAME=VALUE pairs to SET to change parameters"},
        {"command": "haiti-report params", "doc": "list every parameter, its default and allowed range"},
    ]
    title = first_heading(nb) or (notebook or "Report")
    return {
        "page_title": title,
        "notebook": notebook,
        "variant": variant,
        "variant_title": variant_title,
        "variant_description": variant_description,
        "as_of": _shown(as_of),
        "built_at": built_at.strftime("%Y-%m-%d %H:%M UTC"),
        "parameters": rows,
        "data_dir": str(folder),
        "vintage": vintage,
        "vintage_note": vintage_note,
        "data_files": data_files,
        "git": git or git_description(),
        "versions": software or versions(),
        "rerun": rerun,
    }


def _plain(value: Any) -> str:
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


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


def table_of_contents(page: str) -> str:
    """A <nav> listing the h2/h3 headings (with ids) of the page, or '' when there are none."""
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
    return f'<nav class="toc box" aria-label="Contents"><p class="box-title">Contents</p><ol>{items}</ol></nav>'


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

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = dict(resources or {})
        name = (resources.get("metadata") or {}).get("name")
        context = resources.get("haiti") or report_context(nb, notebook=name)
        clean = prepare(nb)
        clean.metadata["title"] = context["page_title"]
        resources["haiti"] = context
        page, resources = super().from_notebook_node(clean, resources, **kw)
        page = _ANCHOR_LINK.sub("", page)  # keep nbconvert's heading ids, drop the pilcrow links
        page = page.replace(TOC_PLACEHOLDER, table_of_contents(page), 1)
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
    context = {"page_title": "Warm-up", "as_of": "", "built_at": "", "parameters": [], "vintage": [],
               "vintage_note": "", "data_files": [], "git": "", "versions": [], "rerun": [], "data_dir": ""}
    render_pdf(render_html(nb, context))


def render_pdf(page: str, base_url: str | Path | None = None, *, pdf_variant: str | None = PDF_VARIANT) -> bytes:
    """Print the page to an accessible PDF: A4 and page numbers from the page's @page rule, tagged as
    PDF/UA-1 (headings, lists, tables, figures with their alt text; the outline from the headings;
    title and language from <title> and <html lang>), each chart's CSV embedded as an attachment."""
    import weasyprint

    from . import print_ready
    from .chart_data import attachments_in

    attachments = [weasyprint.Attachment(string=content, name=name, description=description)
                   for name, content, description in attachments_in(page)]
    return print_ready.document(page, base_url).write_pdf(  # the same page, cheaper to lay out
        pdf_variant=pdf_variant, attachments=attachments or None)
