"""What a notebook calls first: check its parameters, load its tables, set the chart theme.

    ctx = start("01_deployment", as_of=as_of, planned_strength=planned_strength,
                population=population, data_dir=data_dir, report_title=report_title)

A wrong parameter or a bad data file stops the notebook here with one readable message.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from . import data, figures, manifest, parameters, paths


@dataclass
class Context:
    notebook: str
    params: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    newest: pd.Timestamp
    recorded: dict[str, Any] = field(default_factory=dict)

    @property
    def as_of(self) -> pd.Timestamp:
        return pd.Timestamp(self.params["as_of"])

    def record(self, **values: Any) -> None:
        self.recorded.update(values)
        figures.record(**values)


def start(notebook: str, today: date | None = None, **values: Any) -> Context:
    if notebook not in manifest.NOTEBOOKS:
        raise ValueError(f"unknown notebook {notebook!r}; known: {', '.join(manifest.NOTEBOOKS)}")
    checked = parameters.check(values, today)
    folder = paths.data_dir(checked.get("data_dir"))
    tables = data.load_tables(manifest.tables_read(notebook), folder, today=today)
    earliest, newest = data.date_span(tables, manifest.AS_OF_TABLES)
    resolved = parameters.resolve(checked, tables, newest, earliest, today)
    resolved["data_dir"] = str(folder)
    _set_theme(tables.get("sources"))
    ctx = Context(notebook, resolved, tables, newest)
    ctx.record(as_of=resolved["as_of"], planned_strength=resolved["planned_strength"],
               population=resolved["population"], newest_figure=newest)
    return ctx


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


def sources_section(ctx: Context, ids: set[str] | None = None) -> None:
    """The sources of every figure this notebook read (or only `ids`): id, publisher, title, date, link."""
    from IPython.display import HTML, display

    from . import text

    ledger = ctx.tables["sources"].set_index("source_id")
    rows = []
    for sid in sorted(ids) if ids is not None else source_ids_used(ctx.tables):
        s = ledger.loc[sid]
        via = f" (via {escape(s['via'])})" if pd.notna(s["via"]) and s["via"] else ""
        when = text.dated(s["published"], s["published_precision"]) if pd.notna(s["published"]) else "undated"
        link = (f'<a href="{escape(s["url"])}">{escape(s["url"])}</a>' if pd.notna(s["url"]) and s["url"] else "no URL")
        rows.append(f"<tr><td><code>{escape(sid)}</code></td><td>{escape(s['publisher'])}{via}</td>"
                    f"<td>{escape(s['title'])}</td><td>{escape(when)}</td><td class=\"url\">{link}</td></tr>")
    display(HTML('<div class="report-table sources"><table><thead><tr><th>id</th><th>publisher</th><th>title</th>'
                 "<th>published</th><th>link</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"))


def vintage_note(ctx: Context, today: date | None = None) -> str:
    """One sentence on how old the newest figure is (the data is not updated after March 2026)."""
    from . import text

    today = today or date.today()
    age = (pd.Timestamp(today) - ctx.newest).days
    return (f"The newest figure in the data is dated {text.day(ctx.newest)}, {age:,} days before this report was built "
            f"({text.day(today)}). Later developments are not covered.")


def source_line(ctx: Context, *frames: pd.DataFrame, limit: int = 5) -> str:
    """'Publisher A; Publisher B; and 3 more (see Sources)' for the rows a chart draws."""
    ledger = ctx.tables["sources"].set_index("source_id")
    ids: list[str] = []
    for frame in frames:
        for column in ("source_id", "alt_source_id"):
            if column in frame:
                ids += [i for i in frame[column].dropna() if i not in ids]
    publishers: list[str] = []
    for i in ids:
        p = ledger.loc[i, "publisher"]
        via = ledger.loc[i, "via"]
        name = f"{via} via {p}" if pd.notna(via) and via else p
        if name not in publishers:
            publishers.append(name)
    shown = "; ".join(publishers[:limit])
    more = f"; and {len(publishers) - limit} more" if len(publishers) > limit else ""
    return f"{shown}{more} (full list under Sources). Compiled in this project's data/."
