"""What a notebook calls first: check its parameters, load its tables, set the chart theme.

    ctx = start("01_deployment", as_of=as_of, planned_strength=planned_strength,
                population=population, data_dir=data_dir, report_title=report_title, language=language)

A wrong parameter or a bad data file stops the notebook here with one readable message, wherever it
runs: the build, plain papermill, `jupyter execute` or JupyterLab. A name assigned in the parameters cell
(or papermill's injected cell) that is not a declared parameter stops it too: papermill only warns.
The context carries the report's language: ctx.text formats numbers and dates in it (the same functions
as haiti_mss.text) and ctx.translator translates the catalog's messages (haiti_mss.i18n).
"""

from __future__ import annotations

import ast
import html
import sys
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from . import data, figures, i18n, manifest, parameters, paths
from .i18n import NP_
from .validation import DataValidationError


@dataclass
class Context:
    notebook: str
    params: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    newest: pd.Timestamp
    recorded: dict[str, Any] = field(default_factory=dict)
    cited: list[str] = field(default_factory=list)  # source ids of the rows shown, in the order first shown

    @property
    def as_of(self) -> pd.Timestamp:
        return pd.Timestamp(self.params["as_of"])

    @property
    def language(self) -> str:
        return i18n.checked(self.params.get("language"))

    @property
    def translator(self):
        """gettext, ngettext, pgettext, npgettext in the report's language."""
        return i18n.translator(self.language)

    @property
    def text(self):
        """num, pct, day, month, dated, span, qualified in the report's language."""
        from . import text

        return text.formatter(self.language)

    def cite(self, *frames: pd.DataFrame) -> None:
        """Note the sources of rows this notebook shows (their source_id and alt_source_id): the Sources
        section lists these, so it follows the rows used on as_of. source_line() cites what a chart draws."""
        for i in _source_ids(frames):
            if i not in self.cited:
                self.cited.append(i)

    def record(self, **values: Any) -> None:
        self.recorded.update(values)
        figures.record(**values)


def start(notebook: str, today: date | None = None, **values: Any) -> Context:
    if notebook not in manifest.NOTEBOOKS:
        raise ValueError(f"unknown notebook {notebook!r}; known: {', '.join(manifest.NOTEBOOKS)}")
    try:
        check_parameter_cells()
        checked = parameters.check(values, today)
        folder = paths.data_dir(checked.get("data_dir"))
        tables = data.load_tables(manifest.tables_read(notebook), folder, today=today)
        earliest, newest = data.date_span(tables, manifest.AS_OF_TABLES)
        resolved = parameters.resolve(checked, tables, newest, earliest, today)
    except (parameters.ParameterError, DataValidationError) as err:
        _show_as_one_line(err)
        raise
    resolved["data_dir"] = str(folder)
    _set_theme(tables.get("sources"))
    ctx = Context(notebook, resolved, tables, newest)
    read = manifest.parameters_read(notebook)  # figures.json records only what this notebook reads
    ctx.record(as_of=resolved["as_of"], newest_figure=newest,
               **{name: resolved[name] for name in ("planned_strength", "population") if name in read})
    return ctx


def _show_as_one_line(err: Exception) -> None:
    """Jupyter (and papermill's error) show this line instead of a stack of library frames."""
    line = f"{type(err).__name__}: {err}"
    err._render_traceback_ = lambda: [line]


# papermill writes its injected cell as "# Parameters" then one assignment a line; each notebook's own
# parameters cell starts with the same words.
PARAMETERS_HEADER = "# Parameters"


def assigned_names(source: str) -> list[str]:
    """The names a cell assigns at its top level (a, b = ..., x: int = ..., x += ...)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        else:
            continue
        names += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
    return names


def is_parameters_cell(source: str) -> bool:
    """A cell that sets parameters: it starts with the "# Parameters" header, or (header deleted) it only
    assigns, and assigns at least one declared parameter."""
    if source.lstrip().startswith(PARAMETERS_HEADER):
        return True
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return (bool(body) and all(isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign)) for n in body)
            and any(name in parameters.PARAMETERS for name in assigned_names(source)))


def parameter_cells(history: list[str]) -> list[str]:
    """The cells that set this run's parameters, from the kernel's input history: the latest run of
    consecutive parameters cells (papermill: the notebook's parameters cell then its injected cell;
    JupyterLab: the parameters cell as last run, so a typo fixed and re-run no longer counts)."""
    end = len(history)
    while end and not is_parameters_cell(history[end - 1]):
        end -= 1
    first = end
    while first and is_parameters_cell(history[first - 1]):
        first -= 1
    return list(history[first:end])


def check_parameter_cells() -> None:
    """Stop on a name assigned in the parameters cells that is not a declared parameter, with the CLI's
    one line and its did-you-mean. Outside IPython (plain Python, the tests) there is nothing to read."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    if shell is None:
        return
    for cell in parameter_cells(shell.history_manager.input_hist_parsed):
        for name in assigned_names(cell):
            if name not in parameters.PARAMETERS:
                parameters.coerce(name, None)  # raises "unknown parameter 'x' (did you mean ...)"


def _set_theme(sources: pd.DataFrame | None = None) -> None:
    from . import chart_data, charts

    charts.set_theme()
    chart_data.use_sources(sources)  # each chart's CSV names its sources from this ledger


def md(text: str) -> None:
    """Show Markdown prose (numbers in it come from the data, formatted by haiti_mss.text)."""
    from IPython.display import Markdown, display

    display(Markdown(text))


def escape(text: Any) -> str:
    """Escape user- or data-supplied text before it goes into Markdown or HTML output."""
    return html.escape(str(text), quote=True)


def table(frame: pd.DataFrame, caption: str | None = None, css_class: str = "") -> None:
    """Show a small table (values escaped; numbers already formatted by the caller)."""
    from IPython.display import HTML, display

    head = "".join(f"<th>{escape(c)}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False))
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    display(HTML(f'<div class="report-table {escape(css_class)}"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'))


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return escape(value)


def source_ids_used(tables: dict[str, pd.DataFrame]) -> list[str]:
    ids: set[str] = set()
    for name, frame in tables.items():
        if name == "sources":
            continue
        for column in ("source_id", "alt_source_id"):
            if column in frame:
                ids |= set(frame[column].dropna())
    return sorted(ids)


def _source_ids(frames) -> list[str]:
    ids: list[str] = []
    for frame in frames:
        for column in ("source_id", "alt_source_id"):
            if column in frame:
                ids += [i for i in frame[column].dropna() if i not in ids]
    return ids


def sources_section(ctx: Context, ids: set[str] | None = None) -> None:
    """The sources of the rows this notebook showed (ctx.cite, source_line), or of `ids`: id, publisher,
    title, date, link. With none, one sentence says so. A parenthesis inside the name of the outlet a source
    was read through becomes a dash (text.flat), so the publisher column never nests parentheses."""
    from IPython.display import HTML, display

    from .text import flat

    tr, text = ctx.translator, ctx.text
    ids = sorted(ctx.cited if ids is None else ids)
    if not ids:
        # TRANSLATORS: the Sources section of a report that shows no figure from the data on its date.
        md(tr.gettext("No figure from the data is shown for {day}, so there is no source to list.").format(day=text.day(ctx.as_of)))
        return
    ledger = ctx.tables["sources"].set_index("source_id")
    rows = []
    for sid in ids:
        s = ledger.loc[sid]
        publisher = escape(s["publisher"])
        if pd.notna(s["via"]) and s["via"]:
            # TRANSLATORS: a source read through another outlet, e.g. "BusinessLive (via Reuters)".
            publisher = tr.pgettext("sources table", "{publisher} (via {via})").format(publisher=publisher,
                                                                                     via=escape(flat(s["via"])))
        when = (text.dated(s["published"], s["published_precision"]) if pd.notna(s["published"])
                else tr.pgettext("sources table", "undated"))
        link = (f'<a href="{escape(s["url"])}">{escape(s["url"])}</a>' if pd.notna(s["url"]) and s["url"]
                else escape(tr.pgettext("sources table", "no URL")))
        rows.append(f"<tr><td><code>{escape(sid)}</code></td><td>{publisher}</td>"
                    f"<td>{escape(s['title'])}</td><td>{escape(when)}</td><td class=\"url\">{link}</td></tr>")
    columns = (NP_("sources table", "id"), NP_("sources table", "publisher"), NP_("sources table", "title"),
               NP_("sources table", "published"), NP_("sources table", "link"))
    head = "".join(f"<th>{escape(tr.pgettext('sources table', c))}</th>" for c in columns)
    display(HTML(f'<div class="report-table sources"><table><thead><tr>{head}</tr></thead><tbody>'
                 + "".join(rows) + "</tbody></table></div>"))


def vintage_note(ctx: Context, today: date | None = None) -> str:
    """One sentence on how old the newest figure is (the data is not updated after March 2026)."""
    tr, text = ctx.translator, ctx.text
    today = today or date.today()
    age = (pd.Timestamp(today) - ctx.newest).days
    first = tr.ngettext("The newest figure in the data is dated {newest}, {days} day before this report was built ({today}).",
                        "The newest figure in the data is dated {newest}, {days} days before this report was built ({today}).",
                        age)
    return (first.format(newest=text.day(ctx.newest), days=text.num(age), today=text.day(today)) + " "
            + tr.gettext("Later developments are not covered."))


def source_line(ctx: Context, *frames: pd.DataFrame, limit: int = 5) -> str:
    """'Publisher A; Publisher B; and 3 more (full list under Sources)...' for the rows a chart draws
    (pass only the rows drawn, those known on as_of: they are cited for the Sources section too)."""
    tr = ctx.translator
    ledger = ctx.tables["sources"].set_index("source_id")
    ids = _source_ids(frames)
    ctx.cite(*frames)  # what a chart draws is listed under Sources
    publishers: list[str] = []
    for i in ids:
        p = ledger.loc[i, "publisher"]
        via = ledger.loc[i, "via"]
        # TRANSLATORS: an agency's report as published by an outlet, e.g. "Reuters via BusinessLive".
        name = tr.pgettext("source line", "{via} via {publisher}").format(via=via, publisher=p) if pd.notna(via) and via else p
        if name not in publishers:
            publishers.append(name)
    # TRANSLATORS: between the publishers of a chart's source line (French: a narrow no-break space before ';').
    shown = tr.pgettext("source line", "; ").join(publishers[:limit])
    hidden = len(publishers) - limit
    more = tr.npgettext("source line", "; and {n} more", "; and {n} more", hidden).format(n=hidden) if hidden > 0 else ""
    return tr.pgettext("source line", "{publishers} (full list under Sources). Compiled in this project's data/.").format(
        publishers=shown + more)
