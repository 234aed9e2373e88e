"""Displacement: IOM DTM rounds, growth, children's share, host families against sites, per capita.

Rounds are placed on the time axis by their reference date (end of data collection where known, else
publication). Some totals are rounded (Round 9) or lower bounds (Round 11, "more than 1.4 million"):
growth computed from them inherits that, and the report marks them. Pure functions, no I/O.
"""

from __future__ import annotations

import pandas as pd

from .deployment import DAYS_PER_MONTH, deployed_range


def rounds_until(dtm_rounds: pd.DataFrame, as_of) -> pd.DataFrame:
    return dtm_rounds[dtm_rounds["reference_date"] <= pd.Timestamp(as_of)].sort_values("reference_date").reset_index(drop=True)


def latest_round(dtm_rounds: pd.DataFrame, as_of) -> pd.Series | None:
    rows = rounds_until(dtm_rounds, as_of)
    return None if rows.empty else rows.iloc[-1]


def growth(dtm_rounds: pd.DataFrame, as_of) -> pd.DataFrame:
    """Change between consecutive rounds: people, share, months apart, people per month."""
    rows = rounds_until(dtm_rounds, as_of)[["round_id", "round_label", "reference_date", "idps", "idps_qualifier"]].copy()
    previous = rows["idps"].shift()
    rows["change"] = rows["idps"] - previous
    rows["growth"] = rows["change"] / previous
    rows["months"] = (rows["reference_date"] - rows["reference_date"].shift()).dt.days / DAYS_PER_MONTH
    rows["per_month"] = rows["change"] / rows["months"]
    # A change is only as exact as its two ends.
    exact = rows["idps_qualifier"].eq("exact").fillna(False)  # an empty qualifier (optional) is not "exact"
    rows["change_is_exact"] = exact & exact.shift(fill_value=False)
    return rows


def population_share(idps: int | float, population: int) -> float:
    if population <= 0:
        raise ValueError("population must be positive")
    return float(idps) / float(population)


def children_shares(dtm_rounds: pd.DataFrame, as_of) -> pd.DataFrame:
    rows = rounds_until(dtm_rounds, as_of)
    rows = rows[rows["children_share"].notna() | rows["children_count"].notna()].copy()
    rows["children_share_computed"] = rows["children_count"] / rows["idps"]
    return rows[["round_id", "round_label", "reference_date", "idps", "children_share", "children_share_qualifier",
                 "children_count", "children_share_computed", "source_id", "reporting_date"]]  # the month that names the round


def latest_children_share(dtm_rounds: pd.DataFrame, as_of) -> pd.Series | None:
    rows = children_shares(dtm_rounds, as_of)
    rows = rows[rows["children_share"].notna()]
    return None if rows.empty else rows.iloc[-1]


def host_vs_sites(dtm_rounds: pd.DataFrame, as_of) -> pd.DataFrame:
    """Host families against sites, where stated. Where only the host share is stated, the rest is
    'sites or elsewhere' (computed as 1 - host share) and marked as such."""
    rows = rounds_until(dtm_rounds, as_of)
    rows = rows[rows["host_share"].notna()].copy()
    rows["sites_share_stated"] = rows["sites_share"]
    rows["not_with_hosts"] = 1 - rows["host_share"]
    return rows[["round_id", "round_label", "reference_date", "idps", "host_share", "host_share_qualifier",
                 "sites_share_stated", "sites_idps", "not_with_hosts", "source_id"]
                + [c for c in ("departments_covered", "coverage") if c in rows]]


def population_shares(dtm_rounds: pd.DataFrame, population: int, as_of) -> pd.DataFrame:
    rows = rounds_until(dtm_rounds, as_of)[["round_id", "round_label", "reference_date", "idps", "idps_qualifier",
                                            "population_share_stated"]].copy()
    rows["population_share"] = rows["idps"] / population
    return rows


def idps_per_deployed(dtm_rounds: pd.DataFrame, arrivals: pd.DataFrame, strength_reports: pd.DataFrame, as_of) -> pd.DataFrame:
    """IDPs per deployed officer on each round's date (deployed as a range, so the ratio is too)."""
    rows = []
    for _, r in rounds_until(dtm_rounds, as_of).iterrows():
        d = deployed_range(arrivals, strength_reports, r["reference_date"])
        rows.append({"round_label": r["round_label"], "reference_date": r["reference_date"], "idps": r["idps"],
                     "deployed_low": d.low, "deployed_high": d.high,
                     "per_officer_low": None if d.high == 0 else r["idps"] / d.high,
                     "per_officer_high": None if d.low == 0 else r["idps"] / d.low})
    return pd.DataFrame(rows, columns=["round_label", "reference_date", "idps", "deployed_low", "deployed_high",
                                       "per_officer_low", "per_officer_high"])


def areas(dtm_areas: pd.DataFrame, dtm_rounds: pd.DataFrame, as_of) -> pd.DataFrame:
    known = rounds_until(dtm_rounds, as_of)[["round_id", "round_label", "reference_date"]]
    return dtm_areas.merge(known, on="round_id").sort_values(["reference_date", "idps"], ascending=[True, False])
