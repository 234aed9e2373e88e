"""The sentences of the report's "Where the displaced are" section: which round the map shows and why,
the coverage caveat wherever rounds are compared, where the displaced fled from, and what changed.
Pure functions of the frames haiti_mss.departments returns; tested with literal sentences."""

from __future__ import annotations

import re

import pandas as pd

from . import text
from .departments import ALL_DEPARTMENTS, OUEST

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
                10: "ten"}


def listing(names) -> str:
    """['A'] -> 'A'; ['A', 'B', 'C'] -> 'A, B and C'."""
    names = [str(n) for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def round_name(label: str, when: str) -> str:
    """'Round 10', 'June 2025' -> 'Round 10 (June 2025)'. A label that has its own parenthesis keeps it
    as a comma, so parentheses are never nested: 'Round 11, round number assumed (June 2025)'."""
    plain = re.sub(r"\s*\(([^()]*)\)", r", \1", str(label)).strip()
    return f"{plain} ({when})"


def signed(value) -> str:
    """12345 -> '+12,345'; -1032 -> '−1,032' (a true minus sign)."""
    return ("+" if value >= 0 else "−") + text.num(abs(value))


def fled_ouest_sentence(groups: pd.DataFrame, only_from_ouest: pd.DataFrame, round_label: str) -> str:
    """'In Round 10 (June 2025), every IDP in Sud, Sud-Est, Grand'Anse and Nippes had fled from Ouest.'

    groups: origin_groups() of the round; only_from_ouest: departments.hosted_only_from() of the round
    (the departments every one of whose IDPs came from Ouest, largest first; Ouest itself is left out)."""
    outside = groups[groups["adm1_pcode"] != OUEST]
    only_from_ouest = only_from_ouest[only_from_ouest["adm1_pcode"] != OUEST]
    if outside.empty:
        return f"In {round_label}, IOM counted displaced people in Ouest only."
    if (outside["idps"] - outside["not_recorded"]).sum() == 0:
        return f"In {round_label}, IOM did not record where the displaced people outside Ouest came from."
    if not only_from_ouest.empty:
        return f"In {round_label}, every IDP in {listing(only_from_ouest['department'])} had fled from Ouest."
    if outside["from_ouest"].sum() == 0:
        return f"In {round_label}, none of the displaced people outside Ouest had fled from Ouest, as far as IOM recorded."
    share = outside["from_ouest"] / outside["idps"]
    best = outside.loc[share.idxmax()]
    return (f"In {round_label}, {text.pct(share.max(), 0)} of the IDPs in {best['department']} had fled from Ouest, "
            f"the highest share outside Ouest.")


def ouest_sentence(shares, round_label: str) -> str:
    """Where a round's IDPs were hosted and where those outside Ouest came from (departments.OuestShares)."""
    out = (f"In {round_label}, {text.num(shares.hosted_outside)} of the {text.num(shares.total)} displaced people, "
           f"{text.pct(shares.hosted_outside_share)}, were hosted outside Ouest, the department of the capital.")
    if shares.outside_origin_known:
        out += (f" Of those whose department of origin IOM recorded, {text.num(shares.outside_fled_ouest)} of "
                f"{text.num(shares.outside_origin_known)}, {text.pct(shares.outside_fled_ouest_share)}, had fled from Ouest.")
    if shares.outside_origin_not_available:
        out += f" For {text.num(shares.outside_origin_not_available)} of them IOM did not record where they came from."
    return out


def changes_sentence(changes: pd.DataFrame, before: str, after: str, n: int = 3) -> str:
    """'Between Round 9 (December 2024) and Round 10 (June 2025), the number of IDPs grew most in Centre
    (+79,622), Nord (+51,036) and Sud (+39,309); it fell in Nord-Est (−1,032).'

    changes: adm1_pcode, department, change (empty where a round did not cover the department)."""
    c = changes.dropna(subset=["change"])
    up = c[c["change"] > 0].sort_values("change", ascending=False).head(n)
    down = c[c["change"] < 0].sort_values("change").head(n)
    part = lambda rows: listing(f"{r['department']} ({signed(r['change'])})" for _, r in rows.iterrows())  # noqa: E731
    out = f"Between {before} and {after}, "
    if len(c) == 1:  # Rounds 1 to 3 counted only in Ouest: no "most" among one
        r = c.iloc[0]
        where = f"the number of IDPs in {r['department']}, the only department counted in both rounds,"
        if r["change"] == 0:
            return out + f"{where} did not change."
        return out + f"{where} {'grew' if r['change'] > 0 else 'fell'} by {text.num(abs(r['change']))}."
    if up.empty and down.empty:
        return out + "no department's figure changed."
    out += f"the number of IDPs grew most in {part(up)}" if not up.empty else "no department's figure grew"
    out += f"; it fell in {part(down)}." if not down.empty else "; no department's figure fell."
    return out


def uncovered_sentence(changes: pd.DataFrame, before: str) -> str | None:
    """'Nord, Nord-Est and Nord-Ouest were not covered by Round 6 (March 2024), so they have no change.'"""
    new = changes[changes["newly_covered"].fillna(False).astype(bool)]
    if new.empty:
        return None
    verb = "was" if len(new) == 1 else "were"
    return f"{listing(new['department'])} {verb} not covered by {before}, so {'it has' if len(new) == 1 else 'they have'} no change."


def words(n: int) -> str:
    return NUMBER_WORDS.get(int(n), text.num(n))


def round_date(row):
    """The date whose month a round's figures describe: IOM's reporting date (Round 11: September 2025),
    else the date the round counts from (reference_date)."""
    when = row.get("reporting_date")
    return row["reference_date"] if when is None or pd.isna(when) else when


def round_month(row) -> str:
    """'September 2025' for Round 11: every round is named by this month in prose and titles."""
    return text.month(round_date(row))


def round_when(row) -> str:
    """round_month(), plus the date the round counts from where that is in another month (the analysis
    counts a round from that date): 'September 2025; public by about 14 October 2025'."""
    month = round_month(row)
    if text.month(row["reference_date"]) == month:
        return month
    return f"{month}; public by {text.dated(row['reference_date'], row['reference_precision'])}"


def round_named(label: str, reporting_date) -> str:
    """A round with the month of IOM's reporting date: 'Round 10 (June 2025)'."""
    return round_name(label, text.month(reporting_date))


def map_round_note(shown, first_label: str | None, as_of, shown_name: str | None = None) -> str:
    """Which round the map shows and why. shown: departments.latest_department_round() (None before the
    first round with department figures); first_label: the first round with department figures in the data."""
    when = text.day(as_of)
    if shown is None:
        first = f"; the first round with them is {first_label}" if first_label else ""
        return f"No DTM round up to {when} has figures by department, so there is no map{first}."
    name = shown_name or round_named(shown.round_label, shown.reporting_date)
    if shown.newer_rounds:
        newer = listing(shown.newer_rounds)
        them = "that round" if len(shown.newer_rounds) == 1 else "those rounds"
        out = (f"The latest DTM round up to {when} is {shown.newer_rounds[-1]}, but IOM's figures by department for "
               f"{newer} are not in the data: they come from IOM's DTM API, which did not include {them} when they "
               f"were retrieved. The map shows {name}, the latest round with figures by department.")
    else:
        out = f"The map shows {name}, the latest DTM round up to {when}."
    if not shown.covers_all:
        out += (f" That round covered {words(shown.departments_covered)} of the {words(ALL_DEPARTMENTS)} departments; "
                f"the others are hatched as not covered, which does not mean that no one was displaced there.")
    return out


def coverage_note(rounds: pd.DataFrame, as_of) -> str | None:
    """The caveat for any comparison across rounds: which rounds did not cover every department.
    rounds: departments.growth_with_coverage(). None when every round covered all departments."""
    partial = rounds[~rounds["covers_all"]]
    if partial.empty:
        return None
    groups: dict[int, list[str]] = {}
    for _, r in partial.iterrows():
        groups.setdefault(int(r["departments_covered"]), []).append(r["round_label"])
    detail = ", ".join((f"{listing(labels)} covered {words(n)} department{'s' if n != 1 else ''}" if i == 0
                        else f"{listing(labels)} {words(n)}") for i, (n, labels) in enumerate(groups.items()))
    full = rounds[rounds["covers_all"]]
    all_ = words(ALL_DEPARTMENTS)
    if len(rounds) == 1:
        r = rounds.iloc[0]
        return f"{r['round_label']} covered {words(r['departments_covered'])} of the {all_} departments."
    if full.empty:
        lead = f"None of the rounds up to {text.day(as_of)} covered all {all_} departments"
        tail = "Growth between them mixes wider coverage with new displacement."
    elif partial["reference_date"].max() < full["reference_date"].min():
        lead = f"Rounds before {full.iloc[0]['round_label']} did not cover all {all_} departments"
        tail = "Growth measured from them mixes wider coverage with new displacement."
    else:
        lead = f"Not every round covered all {all_} departments"
        tail = "Growth measured across a change of coverage mixes wider coverage with new displacement."
    return f"{lead}: {detail}. {tail}"


def partial_coverage(label: str, coverage, departments_covered) -> str | None:
    """'Round 3 covered only part of the country: the Port-au-Prince metropolitan area (ZMPP) only.' from the
    round's coverage column ("Partial: …"); None for a round that covered all ten departments. A figure of
    such a round (its share of the population, its host families) is not a national figure: say so beside it."""
    if int(departments_covered) == ALL_DEPARTMENTS:
        return None
    stated = str(coverage).strip() if isinstance(coverage, str) else ""
    detail = (re.sub(r"^partial\s*:\s*", "", stated, flags=re.IGNORECASE) if stated.lower().startswith("partial")
              else f"{words(departments_covered)} of the {words(ALL_DEPARTMENTS)} departments")
    return f"{label} covered only part of the country: {detail}."
