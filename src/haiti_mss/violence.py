"""People killed and injured: UN (BINUH) quarterly figures and annual totals with their alternatives.

BINUH's quarterly series and the annual totals published later differ because of revisions and
because other UN series (OHCHR windows, the Secretary-General's homicide counts) have other scopes;
the report keeps them side by side. With as_of, a function uses only the periods that had ended by then
(before the first quarter, 31 December 2023, there is none). Pure functions, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

QUARTERLY = "binuh_quarterly"


def quarters(violence: pd.DataFrame, as_of=None) -> pd.DataFrame:
    rows = violence[(violence["series"] == QUARTERLY) & (violence["period_kind"] == "quarter")].copy()
    if as_of is not None:
        rows = rows[rows["period_end"] <= pd.Timestamp(as_of)]
    rows = rows.sort_values("period_start").reset_index(drop=True)
    rows["killed_or_injured"] = rows["killed"] + rows["injured"]
    return rows


@dataclass(frozen=True)
class LastQuarters:
    killed: int
    injured: int
    first_label: str
    last_label: str
    count: int
    period_start: pd.Timestamp
    period_end: pd.Timestamp


def last_quarters(violence: pd.DataFrame, as_of, n: int = 4) -> LastQuarters | None:
    """Killed and injured in the last n published quarters ending on or before as_of."""
    rows = quarters(violence, as_of).tail(n)
    if rows.empty:
        return None
    return LastQuarters(int(rows["killed"].sum()), int(rows["injured"].sum()), rows["period_label"].iloc[0],
                        rows["period_label"].iloc[-1], len(rows), rows["period_start"].iloc[0], rows["period_end"].iloc[-1])


def annual_totals(violence: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """Every annual figure with its series, next to the sum of BINUH's quarters for that year; with as_of,
    only the years that had ended by then."""
    years = violence[violence["period_kind"] == "year"].copy()
    if as_of is not None:
        years = years[years["period_end"] <= pd.Timestamp(as_of)]
    years["year"] = years["period_start"].dt.year
    q = quarters(violence, as_of)
    q["year"] = q["period_start"].dt.year
    sums = q.groupby("year").agg(quarters_killed=("killed", "sum"), quarters_injured=("injured", "sum"),
                                 quarters_count=("killed", "size"))
    out = years.merge(sums, left_on="year", right_index=True, how="left")
    return out.sort_values(["year", "series"]).reset_index(drop=True)


def _un_year_rows(violence: pd.DataFrame, year: int, as_of=None) -> pd.DataFrame:
    """A year's annual figures from the UN series counting people killed by violence (the Secretary-General's
    all-homicide counts and non-UN counts are a different scope and excluded)."""
    rows = annual_totals(violence, as_of)
    return rows[(rows["year"] == year) & rows["series"].isin(["binuh_annual", "ohchr", "binuh_quarterly"])]


def annual_range(violence: pd.DataFrame, year: int, column: str = "killed", as_of=None,
                 rows: pd.DataFrame | None = None) -> tuple[int, int] | None:
    """Lowest and highest annual figure for a year across the UN series of _un_year_rows()."""
    rows = (_un_year_rows(violence, year, as_of) if rows is None else rows).dropna(subset=[column])
    if rows.empty:
        return None
    return int(rows[column].min()), int(rows[column].max())


def annual_range_words(violence: pd.DataFrame, year: int, as_of=None) -> str | None:
    """annual_range() as the key figures write it, keeping a source's "at least": '5,601–5,626', or 'more
    than 5,915' when the year's one figure is a lower bound (BINUH's "at least 5,915" for 2025)."""
    from . import text

    rows = _un_year_rows(violence, year, as_of)
    r = annual_range(violence, year, as_of=as_of, rows=rows)
    if r is None:
        return None
    low, high = r
    bounded = rows.loc[rows["killed"] == low, "killed_qualifier"].eq("more_than").all()
    if low == high:
        return text.qualified(low, "more_than" if bounded else "exact")
    return text.span(low, high) + (f" (the lower figure, {text.num(low)}, is itself a lower bound)" if bounded else "")


def security_force_shares(violence: pd.DataFrame, as_of=None) -> pd.DataFrame:
    rows = quarters(violence, as_of)
    return rows[rows["security_forces_share"].notna()][["period_label", "period_end", "security_forces_share"]]
