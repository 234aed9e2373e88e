"""The figures behind a verdict, each naming where it comes from.

An Evidence's `source_ids` are ids in data/sources.csv. A figure read from one row names that row's source;
a computed figure (a sum of arrivals, a share of the plan) names the sources of every row it was computed
from, and `row_ids` names those rows as "table:key" (e.g. "arrivals:2024-06-25-kenya"). Pure, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .deployment import DeployedRange

Rows = tuple[tuple[str, ...], tuple[str, ...]]  # (source ids, row ids)


def distinct_ids(values) -> tuple[str, ...]:
    """Distinct ids in order, without missing values; a single id may be passed as a string."""
    if values is None or isinstance(values, str):
        values = [values]
    out: list[str] = []
    for v in values:
        if v is not None and not pd.isna(v) and v not in out:
            out.append(str(v))
    return tuple(out)


@dataclass
class Evidence:
    """A figure that bears on a claim, with its source ids and (when computed) the rows it came from."""
    label: str
    value: str
    source_ids: tuple[str, ...] | str | None = ()
    row_ids: tuple[str, ...] = ()

    def __post_init__(self):
        self.source_ids = distinct_ids(self.source_ids)
        self.row_ids = distinct_ids(self.row_ids)

    @property
    def source_id(self) -> str | None:
        """The first source id (kept for callers written when evidence had one id); prefer source_ids."""
        return self.source_ids[0] if self.source_ids else None

    def as_dict(self) -> dict:
        return {"label": self.label, "value": self.value, "source_id": self.source_id,
                "source_ids": list(self.source_ids), "row_ids": list(self.row_ids)}


def rows_of(frame: pd.DataFrame, table: str, key: str) -> Rows:
    """(source ids, row ids) of the rows of `table` a figure was computed from; `key` is its id column."""
    return distinct_ids(frame["source_id"]), distinct_ids(f"{table}:{k}" for k in frame[key])


def computed(label: str, value: str, *parts: Rows) -> Evidence:
    """Evidence for a figure computed from one or more sets of rows (see rows_of)."""
    return Evidence(label, value, [s for p in parts for s in p[0]], [r for p in parts for r in p[1]])


def deployed_rows(tables: dict, deployed: DeployedRange) -> Rows:
    """The sources and rows behind a deployed range: the arrivals it summed and the strength reports it used."""
    a, s = tables["arrivals"], tables["strength_reports"]
    moved = rows_of(a[a["movement_id"].isin(deployed.movement_ids)], "arrivals", "movement_id")
    reported = rows_of(s[s["report_id"].isin(deployed.report_ids)], "strength_reports", "report_id")
    return moved[0] + reported[0], moved[1] + reported[1]


def plan_rows(tables: dict, planned: int) -> Rows:
    """The rows of data/plans.csv that give this planned strength (none when the report's parameter is a
    figure of its own)."""
    p = tables["plans"]
    return rows_of(p[p["personnel"] == planned], "plans", "plan_id")
