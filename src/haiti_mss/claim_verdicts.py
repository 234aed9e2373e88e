"""The vocabulary of a claim's check: the tolerances of the rules, the Verdict record, and the small helpers
the checkers in haiti_mss.claims share (a claim's own words, dates, rounds known).

A verdict is one of the English words of haiti_mss.verdicts whatever the report's language (figures.json
records it; a page shows tr.pgettext("verdict", word)). Pure, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import deployment, text
from .evidence import Evidence, rows_of
from .i18n import NP_
from .verdicts import CAVEAT, MISSTATED, NOT_CHECKABLE, NOT_SUPPORTED, SUPPORTED, VERDICTS  # noqa: F401 (the checkers' words)

# A stated round figure ("around 2,500") matches a datum within this relative distance.
ROUND_FIGURE_TOLERANCE = 0.05
# "mission-ready in a few weeks' time": arrivals within this many days after the article count.
FEW_WEEKS_DAYS = 8 * 7
# A newer figure this much larger than the one quoted makes the quoted one out of date.
OUT_OF_DATE_GAP = 0.10


@dataclass
class Verdict:
    claim_id: str
    verdict: str
    finding: str
    evidence: list[Evidence] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"id": self.claim_id, "verdict": self.verdict, "finding": self.finding,
                "evidence": [e.as_dict() for e in self.evidence]}


# A claim's own words, transcribed in data/claims.csv (stated_number, stated_date, ...): the checkers
# read them from the claim row, so no figure of the article is typed here.
FOLLOWING_DAYS = 31  # "Kenyan totals in the following weeks"

# How a claim hedges its number -> the words that say it (translated by the catalog).
STATED = {"about": NP_("stated number", "around {number}"), "at_least": NP_("stated number", "at least {number}"),
          "more_than": NP_("stated number", "more than {number}"), "fewer_than": NP_("stated number", "fewer than {number}")}


def same_period(when: pd.Timestamp, stated: pd.Timestamp, precision: str) -> bool:
    """Does a date fall in the day, month or year a claim names?"""
    if precision == "year":
        return when.year == stated.year
    if precision == "month":
        return (when.year, when.month) == (stated.year, stated.month)
    return when.normalize() == stated.normalize()


def said(claim: pd.Series, fmt: text.Formatter | None = None) -> str:
    """The claim's number as it says it, e.g. 'around 2,500' (in the formatter's language)."""
    f = fmt or text.formatter()
    number = claim["stated_number"]
    shown = f.pct(number, 0) if claim["stated_unit"] == "share" else f.num(number)
    qualifier = claim["stated_qualifier"]
    return f.translator.pgettext("stated number", STATED[qualifier]).format(number=shown) if qualifier in STATED else shown


def in_language(row: pd.Series, column: str, language: str) -> str:
    """A text column in the report's language: `<column>_<language>` where the data has it (e.g.
    decision_fr), else the column itself."""
    translated = row.get(f"{column}_{language}")
    return row[column] if translated is None or pd.isna(translated) or translated == "" else translated


def close_to(stated: float, actual: float, tolerance: float = ROUND_FIGURE_TOLERANCE) -> bool:
    return actual > 0 and abs(stated - actual) / actual <= tolerance


def rounds_known_on(dtm: pd.DataFrame, when: pd.Timestamp) -> pd.DataFrame:
    """DTM rounds a writer could have quoted on a date: placed on or before it, and published by then
    where the publication date is known."""
    known = (dtm["reference_date"] <= when) & (dtm["published"].isna() | (dtm["published"] <= when))
    return dtm[known].sort_values("reference_date")


def article_date(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.Timestamp:
    source_id = claims["source_id"].iloc[0]
    return sources.set_index("source_id").loc[source_id, "published"]


def kenyan_arrivals(t: dict, until) -> tuple[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Kenyan arrivals net of departures by a date, with the rows summed."""
    a = deployment.movements_until(t["arrivals"], until)
    rows = a[(a["country"] == "Kenya") & (a["net_change"].fillna(0) != 0)]
    return int(rows["net_change"].sum()), rows_of(rows, "arrivals", "movement_id")
