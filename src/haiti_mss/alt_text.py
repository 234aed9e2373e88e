"""Charts described in words: the text alternative of every chart, computed from the rows it draws.

Each function returns what a reader who cannot see the chart needs: the kind of chart and what it
shows, its time span, the range of the values and the finding. Numbers and dates go through
haiti_mss.text, like the titles and the prose. Pure functions, no plotting.
"""

from __future__ import annotations

import re

import pandas as pd

from . import deployment, text
from .departments import ALL_DEPARTMENTS


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def series_of(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def spoken_label(label: str) -> str:
    """A round's label without its bracketed caveat (the prose states it): 'Round 11 (round number
    assumed)' -> 'Round 11', 'December 2023 assessment (...)' -> 'December 2023'."""
    return re.sub(r"\s*\(.*\)", "", label).replace(" assessment", "")


def quarter_reached(series: pd.DataFrame, planned: int) -> str:
    """When the deployed range first held a quarter of the plan, by its highest and by its lowest figure
    (the milestone rule of deployment.milestones)."""
    need = planned / 4
    high = deployment.first_held(series, "high", need, deployment.MILESTONE_HOLD_DAYS)
    low = deployment.first_held(series, "low", need, deployment.MILESTONE_HOLD_DAYS)
    if high is None:
        return f"no figure reached a quarter of the plan ({text.num(need)})"
    if low is None:
        return f"a quarter of the plan was reached in {text.month(high)} by the highest figure, not by every figure"
    if text.month(high) == text.month(low):
        return f"a quarter of the plan was reached in {text.month(high)}"
    return (f"a quarter of the plan was reached in {text.month(high)} by the highest figure "
            f"and in {text.month(low)} by every figure")


def deployment_alt(series: pd.DataFrame, planned: int, as_of, reports: pd.DataFrame | None = None,
                   other_plans: dict[str, int] | None = None, quarter_line: bool = True) -> str:
    s = series.sort_values("date")
    first, last = s.iloc[0], s.iloc[-1]
    plans = "".join(f" and a {label} of {text.num(value)}" for label, value in (other_plans or {}).items())
    quarter = f"; {quarter_reached(s, planned)}" if quarter_line else ""
    alt = (f"Step chart of personnel deployed, {text.month(first['date'])} to {text.month(as_of)}: "
           f"from {text.span(first['low'], first['high'])} to {text.span(last['low'], last['high'])}, "
           f"against a plan of {text.num(planned)}{plans}{quarter}.")
    if reports is not None and not reports.empty:
        alt += f" Dots mark {plural(len(reports), 'strength figure')} reported for the whole force."
    return alt


def pledges_alt(table: pd.DataFrame) -> str:
    """The countries in the order the chart shows them (largest pledge on top)."""
    t = table.dropna(subset=["pledged_high"]).sort_values("pledged_high", ascending=False, kind="stable")
    rows = list(t.itertuples(index=False))
    parts = [f"{r.country}: {text.num(r.arrived)}" + (" arrived of " if i == 0 else " of ")
             + text.span(r.pledged_low, r.pledged_high) + (" pledged" if i == 0 else "")
             for i, r in enumerate(rows)]
    alt = (f"Bar chart of personnel pledged and arrived, net of departures, for {plural(len(rows), 'country', 'countries')}: "
           + "; ".join(parts) + ". ")
    alt += (f"In all, {text.num(t['arrived'].sum())} of {text.span(t['pledged_low'].sum(), t['pledged_high'].sum())} "
            "pledged had arrived")
    full = [r.country for r in rows if r.arrived >= r.pledged_high]
    if full:
        alt += f"; {series_of(full)} had sent all {'it' if len(full) == 1 else 'they'} pledged"
    return alt + "."


def idps_alt(rounds: pd.DataFrame) -> str:
    r = rounds.sort_values("reference_date")
    first, last = r.iloc[0], r.iloc[-1]
    if len(r) == 1:
        alt = (f"Line chart of internally displaced people in 1 DTM round, {spoken_label(last['round_label'])} "
               f"({text.month(last['reference_date'])}): {text.qualified(last['idps'], last['idps_qualifier'])}.")
    else:
        alt = (f"Line chart of internally displaced people in {len(r)} DTM rounds, {text.month(first['reference_date'])} "
               f"to {text.month(last['reference_date'])}: "
               f"{growth_words(first, last)}.")
        # Rounds that covered only part of the country are not comparable with later ones: growth is stated
        # from the first round that covered every department (as the chart's stars and the prose do).
        if "departments_covered" in r and r["departments_covered"].notna().all():
            full = r[r["departments_covered"] >= ALL_DEPARTMENTS]
            partial = len(r) - len(full)
            if partial:
                alt = (f"Line chart of internally displaced people in {len(r)} DTM rounds, "
                       f"{text.month(first['reference_date'])} to {text.month(last['reference_date'])}. "
                       + ("Every round shown covered only part of the country" if full.empty else
                          f"The {plural(partial, 'round')} starred covered only part of the country"))
                if len(full) >= 2:
                    base = full.iloc[0]
                    alt += (f"; since {spoken_label(base['round_label'])} ({text.month(base['reference_date'])}), the first "
                            f"round to cover every department, {growth_words(base, last)}.")
                elif len(full) == 1:
                    base = full.iloc[0]
                    alt += (f"; {spoken_label(base['round_label'])} ({text.month(base['reference_date'])}), the first round "
                            f"to cover every department, counted {text.qualified(base['idps'], base['idps_qualifier'])}.")
                else:
                    alt += (f", so their totals are not comparable: {text.qualified(first['idps'], first['idps_qualifier'])} "
                            f"in {spoken_label(first['round_label'])}, {text.qualified(last['idps'], last['idps_qualifier'])} "
                            f"in {spoken_label(last['round_label'])}.")
    inexact = int((~r["idps_qualifier"].eq("exact")).sum())
    if inexact == 1:
        alt += " A hollow marker shows the total that is rounded or a lower bound."
    elif inexact:
        alt += f" Hollow markers show the {inexact} totals that are rounded or lower bounds."
    return alt


def growth_words(first: pd.Series, last: pd.Series) -> str:
    """'from 578,074 to 1,412,199, 2.4 times as many' ('about' when a total is rounded or a lower bound)."""
    about = "" if first["idps_qualifier"] == last["idps_qualifier"] == "exact" else "about "
    return (f"from {text.qualified(first['idps'], first['idps_qualifier'])} to "
            f"{text.qualified(last['idps'], last['idps_qualifier'])}, {about}{last['idps'] / first['idps']:.1f} times as many")


def host_sites_alt(table: pd.DataFrame) -> str:
    t = table.sort_values("reference_date")
    labels = [spoken_label(label) for label in t["round_label"]]
    shares = [("about " if q == "about" else "") + text.pct(s, 0) + f" in {label}"
              for s, q, label in zip(t["host_share"], t["host_share_qualifier"], labels)]
    span = labels[0] if len(labels) == 1 else f"{labels[0]} to {labels[-1]}"
    if (t["host_share"] > 0.5).all():
        lead = "most live with host families" + (" in every round, " if len(t) > 1 else ", ")
    else:
        lead = "the share with host families was "
    alt = (f"Stacked bar chart of where internally displaced people live, {plural(len(t), 'DTM round')} ({span}): "
           f"{lead}{series_of(shares)}; the rest live in sites or elsewhere.")
    if "departments_covered" in t:
        partial = [label for label, n in zip(labels, t["departments_covered"]) if pd.notna(n) and n < ALL_DEPARTMENTS]
        if partial:
            alt += f" {series_of(partial)} covered only part of the country."
    return alt


def violence_alt(quarters: pd.DataFrame, deployed: pd.DataFrame, planned: int) -> str:
    q = quarters.sort_values("period_start").reset_index(drop=True)

    def extremes(column: str) -> str:
        low, high = q.loc[q[column].idxmin()], q.loc[q[column].idxmax()]
        return (f"from {text.num(low[column])} ({low['period_label']}) to {text.num(high[column])} "
                f"({high['period_label']})")

    span = q["period_label"].iloc[0] if len(q) == 1 else f"{q['period_label'].iloc[0]} to {q['period_label'].iloc[-1]}"
    alt = (f"Bar chart of people killed and injured per quarter, {span}, above a step chart of MSS and GSF personnel "
           f"deployed on the same time axis: killed per quarter ranged {extremes('killed')}, injured {extremes('injured')}; ")
    s = deployed.sort_values("date")
    if s.empty or s["high"].max() == 0:
        return alt + f"no personnel had been deployed, against a plan of {text.num(planned)}."
    first, last = s[s["high"] > 0].iloc[0], s.iloc[-1]
    return alt + (f"deployed personnel went from {text.span(first['low'], first['high'])} in {text.month(first['date'])} "
                  f"to {text.span(last['low'], last['high'])} in {text.month(last['date'])}, against a plan of "
                  f"{text.num(planned)}.")
