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
    names = sorted(set(manifest.NOTEBOOKS[notebook]["tables"]) | set(manifest.AS_OF_TABLES) | {"population", "plans"})
    tables = data.load_tables(names, folder, today=today)
    dated = {k: v for k, v in data.data_vintage({n: tables[n] for n in manifest.AS_OF_TABLES}).items()}
    newest, earliest = max(dated.values()), _earliest(tables)
    resolved = parameters.resolve(checked, tables, newest, earliest, today)
    resolved["data_dir"] = str(folder)
    _set_theme()
    ctx = Context(notebook, resolved, tables, newest)
    ctx.record(as_of=resolved["as_of"], planned_strength=resolved["planned_strength"],
               population=resolved["population"], newest_figure=newest)
    return ctx


def _earliest(tables: dict[str, pd.DataFrame]) -> pd.Timestamp:
    column = data.DATE_COLUMNS
    dates = [tables[n][column[n]].min() for n in manifest.AS_OF_TABLES if column.get(n) and tables[n][column[n]].notna().any()]
    return min(dates)


def _set_theme() -> None:
    from . import charts

    charts.set_theme()


def md(text: str) -> None:
    """Show Markdown prose (numbers in it come from the data, formatted by haiti_mss.text)."""
    from IPython.display import Markdown, display

    display(Markdown(text))


def escape(text: Any) -> str:
    """Escape user- or data-supplied text before it goes into Markdown or HTML output."""
    return html.escape(str(text), quote=True)
