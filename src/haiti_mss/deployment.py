"""Deployment shortfall: personnel deployed against the planned strength, over time and by country.

Deployed personnel on a date is a range built from two independent kinds of evidence:
- cumulative arrivals net of departures (rotations count zero), from data/arrivals.csv;
- reported strength on the ground for the whole mission, from data/strength_reports.csv: the most
  recent report date on or before the date, with every report in the REPORT_WINDOW_DAYS before it
  (two outlets in the same week can disagree: February 2025, "slightly fewer than 800" vs "more than 900").
The range is the lowest and the highest of those figures. Before the first arrival it is 0 to 0: no
one deployed is a fact, not a gap in the data. Pure functions, no I/O, no plotting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

REPORT_WINDOW_DAYS = 30
# A milestone counts when the level still held this many days later.
MILESTONE_HOLD_DAYS = 30
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class DeployedRange:
    as_of: pd.Timestamp
    low: int
    high: int
    arrivals_net: int
    reported_low: int | None
    reported_high: int | None
    reported_on: pd.Timestamp | None
    report_ids: tuple[str, ...]
    movement_ids: tuple[str, ...] = ()  # the arrivals rows that changed the net figure
    moved_on: pd.Timestamp | None = None  # the date of the last of them

    @property
    def figures_dated(self) -> pd.Timestamp | None:
        """The date of the newest figure the range rests on (last net movement or strength report); None
        before the first arrival. A report on a date after the data ends describes the force on this date."""
        dates = [d for d in (self.moved_on, self.reported_on) if d is not None]
        return max(dates) if dates else None

    def share(self, planned: int) -> tuple[float, float]:
        return deployed_share(self.low, planned), deployed_share(self.high, planned)

    def shortfall(self, planned: int) -> tuple[int, int]:
        """People still missing, as (smallest, largest): planned minus high, planned minus low."""
        return max(planned - self.high, 0), max(planned - self.low, 0)


def deployed_share(deployed: int | float, planned: int) -> float:
    if planned <= 0:
        raise ValueError("planned strength must be positive")
    return float(deployed) / float(planned)


def movements_until(arrivals: pd.DataFrame, as_of) -> pd.DataFrame:
    return arrivals[arrivals["date"] <= pd.Timestamp(as_of)].sort_values(["date", "movement_id"])


def cumulative_arrivals(arrivals: pd.DataFrame, as_of) -> int:
    """Arrivals net of departures up to as_of; rotations add nothing (net_change is 0)."""
    return int(movements_until(arrivals, as_of)["net_change"].fillna(0).sum())


def arrivals_by_country(arrivals: pd.DataFrame, as_of) -> pd.Series:
    rows = movements_until(arrivals, as_of)
    return rows.groupby("country")["net_change"].sum().astype(int).sort_values(ascending=False)


def reported_strength(strength_reports: pd.DataFrame, as_of, scope: str = "mission",
                      window_days: int = REPORT_WINDOW_DAYS) -> pd.DataFrame:
    """The mission-wide reports that describe as_of: the latest report date and the window before it."""
    rows = strength_reports[(strength_reports["scope"] == scope) & (strength_reports["as_of"] <= pd.Timestamp(as_of))
                            & strength_reports["personnel"].notna()]
    if rows.empty:
        return rows
    latest = rows["as_of"].max()
    return rows[rows["as_of"] >= latest - pd.Timedelta(days=window_days)].sort_values("as_of")


def deployed_range(arrivals: pd.DataFrame, strength_reports: pd.DataFrame, as_of) -> DeployedRange:
    as_of = pd.Timestamp(as_of)
    moved = movements_until(arrivals, as_of)
    net = int(moved["net_change"].fillna(0).sum())
    changed = moved[moved["net_change"].fillna(0) != 0]
    movement_ids = tuple(changed["movement_id"])
    moved_on = changed["date"].max() if not changed.empty else None
    reports = reported_strength(strength_reports, as_of)
    values = [net]
    r_low = r_high = None
    reported_on = None
    ids: tuple[str, ...] = ()
    if not reports.empty:
        r_low, r_high = int(reports["personnel"].min()), int(reports["personnel"].max())
        reported_on = reports["as_of"].max()
        ids = tuple(reports["report_id"])
        values += [r_low, r_high]
    return DeployedRange(as_of, min(values), max(values), net, r_low, r_high, reported_on, ids, movement_ids, moved_on)


def event_dates(arrivals: pd.DataFrame, strength_reports: pd.DataFrame, until=None) -> list[pd.Timestamp]:
    dates = set(arrivals["date"].dropna()) | set(strength_reports.loc[strength_reports["scope"] == "mission", "as_of"].dropna())
    if until is not None:
        dates = {d for d in dates if d <= pd.Timestamp(until)} | {pd.Timestamp(until)}
    return sorted(dates)


def deployment_series(arrivals: pd.DataFrame, strength_reports: pd.DataFrame, planned: int, until=None) -> pd.DataFrame:
    """One row per date on which the evidence changes: arrivals-based figure, reported range, shares."""
    rows = []
    moved = arrivals[arrivals["net_change"].fillna(0) != 0]
    reported = strength_reports[(strength_reports["scope"] == "mission") & strength_reports["personnel"].notna()]
    for when in event_dates(arrivals, strength_reports, until):
        r = deployed_range(arrivals, strength_reports, when)
        rows.append({"date": when, "arrivals_net": r.arrivals_net, "reported_low": r.reported_low,
                     "reported_high": r.reported_high, "low": r.low, "high": r.high,
                     "share_low": deployed_share(r.low, planned), "share_high": deployed_share(r.high, planned),
                     # the sources of what changed on this date (for the charts' data downloads)
                     "movement_source_ids": joined_ids(moved.loc[moved["date"] == when, "source_id"]),
                     "report_source_ids": joined_ids(reported.loc[reported["as_of"] == when, "source_id"])})
    frame = pd.DataFrame(rows)
    for column in ("reported_low", "reported_high"):
        frame[column] = frame[column].astype("Int64")
    return frame


def joined_ids(*columns: pd.Series) -> str:
    """Source ids, each once, in order: 'a; b' ('' when there is none)."""
    ids = [i for column in columns for i in column.dropna()]
    return "; ".join(dict.fromkeys(ids))


def months_between(start, end) -> float:
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_MONTH


def authorization_date(un_decisions: pd.DataFrame, as_of=None) -> pd.Timestamp | None:
    """The date the Security Council first authorized the MSS (resolution 2699); None if that had not
    happened by as_of (or is not in the data)."""
    rows = un_decisions[(un_decisions["mission"] == "MSS") & un_decisions["votes_for"].notna()]
    if as_of is not None:
        rows = rows[rows["date"] <= pd.Timestamp(as_of)]
    return None if rows.empty else rows["date"].min()


def value_on(series: pd.DataFrame, column: str, when) -> float | None:
    """The step-function value of a deployment series on a date (the last change on or before it)."""
    rows = series[series["date"] <= pd.Timestamp(when)]
    return None if rows.empty else rows[column].iloc[-1]


def first_held(series: pd.DataFrame, column: str, need: float, hold_days: int) -> pd.Timestamp | None:
    """The first date the figure reached `need` and still stood there `hold_days` later (or at the
    series' end). A one-day overlap of a relief contingent and the officers it relieves is not a milestone."""
    end = series["date"].max()
    for when in series.loc[series[column] >= need, "date"]:
        check = min(when + pd.Timedelta(days=hold_days), end)
        if value_on(series, column, check) >= need:
            return when
    return None


def milestones(series: pd.DataFrame, planned: int, authorized: pd.Timestamp | None,
               fractions=(0.25, 0.5, 1.0), hold_days: int = MILESTONE_HOLD_DAYS) -> pd.DataFrame:
    """When the force reached a share of the plan and held it for hold_days: by the highest figure (some
    source says so) and by the lowest (every source agrees). Months are counted from the authorization."""
    first = series[series["high"] > 0]["date"].min()
    rows = [{"milestone": "first arrival", "threshold": 1, "reached_high": first, "reached_low": first}]
    for f in fractions:
        need = math.ceil(planned * f)  # whole people: a quarter of a plan of 1 is reached with 1
        rows.append({"milestone": f"{f:.0%} of the plan", "threshold": need,
                     "reached_high": first_held(series, "high", need, hold_days),
                     "reached_low": first_held(series, "low", need, hold_days)})
    out = pd.DataFrame(rows)
    for col in ("reached_high", "reached_low"):
        out[col] = pd.to_datetime(out[col])
        out["months_" + col.split("_")[1]] = [
            None if pd.isna(d) or authorized is None else round(months_between(authorized, d), 1) for d in out[col]]
    return out


@dataclass(frozen=True)
class Projection:
    rate_per_month: float | None
    since: pd.Timestamp | None
    deployed: int
    months_to_plan: float | None
    reached_on: pd.Timestamp | None

    @property
    def status(self) -> str:
        """What the projection can say on as_of:
        - "not started": no one had arrived yet;
        - "reached": arrivals net of departures had reached the plan;
        - "too early": the first arrival is on as_of itself, so no pace can be measured yet;
        - "stalled": net arrivals have not grown since the first arrival, so the plan is never reached;
        - "projected": reached on `reached_on` at the observed pace;
        - "beyond the calendar": reached in `months_to_plan` months, past the last date pandas can hold."""
        if self.since is None:
            return "not started"
        if self.months_to_plan == 0:
            return "reached"
        if self.rate_per_month is None:
            return "too early"
        if self.months_to_plan is None:
            return "stalled"
        return "projected" if self.reached_on is not None else "beyond the calendar"


def projection(arrivals: pd.DataFrame, planned: int, as_of) -> Projection:
    """When the plan would be reached if net arrivals kept their average pace since the first arrival.

    Assumption, stated in the report: a straight line through the cumulative net arrivals between the
    first arrival and as_of. A pace of zero or less never reaches the plan (reached_on is None); before
    the first arrival, or on its day, there is no pace (see Projection.status).
    """
    as_of = pd.Timestamp(as_of)
    rows = movements_until(arrivals, as_of)
    arrived = rows.loc[rows["net_change"].fillna(0) > 0, "date"]
    deployed = cumulative_arrivals(arrivals, as_of)
    if arrived.empty:
        return Projection(None, None, deployed, None, None)
    first = arrived.min()
    months = months_between(first, as_of)
    rate = deployed / months if months > 0 else None
    if deployed >= planned:
        return Projection(rate, first, deployed, 0.0, as_of)
    if rate is None:
        return Projection(None, first, deployed, None, None)
    if rate <= 0:
        return Projection(rate, first, deployed, None, None)
    need = (planned - deployed) / rate
    try:
        reached = (as_of + pd.Timedelta(days=round(need * DAYS_PER_MONTH))).normalize()
    except (OverflowError, ValueError):  # past pandas' last date (some 290,000 years): the months still say it
        reached = None
    return Projection(rate, first, deployed, need, reached)


def pledged_vs_arrived(pledges: pd.DataFrame, arrivals: pd.DataFrame, as_of, mission: str = "MSS") -> pd.DataFrame:
    """Per country: pledged personnel (low and high where sources disagree) against net arrivals by as_of."""
    p = pledges[(pledges["mission"] == mission) & (pledges["date"] <= pd.Timestamp(as_of))]
    p = p.dropna(subset=["personnel_low"])
    pledged = p.groupby("country").agg(pledged_low=("personnel_low", "max"), pledged_high=("personnel_high", "max"))
    arrived = arrivals_by_country(arrivals, as_of).rename("arrived")
    moves = movements_until(arrivals, as_of)
    moves = moves[moves["net_change"].fillna(0) != 0]
    ids = pd.DataFrame({
        "pledge_source_ids": {c: joined_ids(g["source_id"], g["alt_source_id"]) for c, g in p.groupby("country")},
        "arrival_source_ids": {c: joined_ids(g["source_id"]) for c, g in moves.groupby("country")}}, dtype=object)
    out = pledged.join(arrived, how="outer").fillna({"arrived": 0})
    out = out.astype({"arrived": int})
    out["share_of_pledge_low"] = out["arrived"] / out["pledged_high"]
    out["share_of_pledge_high"] = out["arrived"] / out["pledged_low"]
    out = out.join(ids).fillna({"pledge_source_ids": "", "arrival_source_ids": ""})
    return out.sort_values(["arrived", "pledged_high"], ascending=False).reset_index().rename(columns={"index": "country"})


def gsf_ceiling(un_decisions: pd.DataFrame, as_of=None) -> int | None:
    """The personnel ceiling the Security Council set for the Gang Suppression Force (resolution 2793);
    with as_of, None until the Council had set it."""
    rows = un_decisions[(un_decisions["mission"] == "GSF") & un_decisions["personnel_ceiling"].notna()].sort_values("date")
    if as_of is not None:
        rows = rows[rows["date"] <= pd.Timestamp(as_of)]
    return None if rows.empty else int(rows.iloc[-1]["personnel_ceiling"])


def plan_value(plans: pd.DataFrame, mission: str, kind: str) -> int | None:
    rows = plans[(plans["mission"] == mission) & (plans["kind"] == kind)].dropna(subset=["personnel"])
    if rows.empty:
        return None
    return int(rows.sort_values("date").iloc[-1]["personnel"])


def plan_rows(plans: pd.DataFrame, un_decisions: pd.DataFrame, planned: int, as_of) -> tuple[str | None, pd.DataFrame, pd.Timestamp | None]:
    """Which figure of the data a planned strength is, and the rows that state it, for the Sources section.

    Returns (kind, rows, first_stated): kind "MSS" (the MSS plan), "GSF" (the Gang Suppression Force ceiling) or
    None (a plan of the reader's own: no rows); rows are those known on as_of or, if none is, the first one; and
    first_stated is its date when that is after as_of (the plan is a parameter, measured against at any date)."""
    as_of = pd.Timestamp(as_of)
    if planned == plan_value(plans, "MSS", "planned_strength"):
        kind = "MSS"
        rows = plans[(plans["mission"] == "MSS") & (plans["kind"] == "planned_strength") & (plans["personnel"] == planned)]
    elif planned == gsf_ceiling(un_decisions):
        kind = "GSF"
        rows = un_decisions[(un_decisions["mission"] == "GSF") & (un_decisions["personnel_ceiling"] == planned)]
    else:
        return None, plans.iloc[0:0], None
    rows = rows.sort_values("date")
    known = rows[rows["date"] <= as_of]
    if known.empty and not rows.empty:
        return kind, rows.head(1), rows["date"].iloc[0]
    return kind, known, None
