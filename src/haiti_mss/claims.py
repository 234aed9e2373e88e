"""Where a claim of the September 2024 article gets its verdict, computed from data/.

Each claim id in data/claims.csv has one checker here. A checker reads the tables, states the figures
that bear on the claim with their source ids (a computed figure names the sources and the rows it was
computed from), and returns a verdict by a rule written in its docstring. Tolerances are named constants
so the rules can be read and argued with. Claims are checked only on or after the article's date: before
it, every verdict is "not checkable" (the article did not exist yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from . import data, deployment, text, violence
from .evidence import Evidence, computed, deployed_rows, plan_rows, rows_of
from .i18n import NP_

# The verdict words stay English in the data (figures.json); a report shows tr.pgettext("verdict", word).
# TRANSLATORS: a claim's verdict; in French it qualifies "l'affirmation" (feminine).
SUPPORTED = NP_("verdict", "supported")
CAVEAT = NP_("verdict", "supported with a caveat")
MISSTATED = NP_("verdict", "misstated")
NOT_SUPPORTED = NP_("verdict", "not supported")
NOT_CHECKABLE = NP_("verdict", "not checkable with this data")
VERDICTS = (SUPPORTED, CAVEAT, MISSTATED, NOT_SUPPORTED, NOT_CHECKABLE)

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


def same_period(when: pd.Timestamp, stated: pd.Timestamp, precision: str) -> bool:
    """Does a date fall in the day, month or year a claim names?"""
    if precision == "year":
        return when.year == stated.year
    if precision == "month":
        return (when.year, when.month) == (stated.year, stated.month)
    return when.normalize() == stated.normalize()


def said(claim: pd.Series) -> str:
    """The claim's number as it says it, e.g. 'around 2,500'."""
    words = {"about": "around ", "at_least": "at least ", "more_than": "more than ", "fewer_than": "fewer than "}
    number = claim["stated_number"]
    shown = text.pct(number, 0) if claim["stated_unit"] == "share" else text.num(number)
    return words.get(claim["stated_qualifier"], "") + shown


def more_than(qualifier) -> bool:
    """A share stated as "more than" (an empty qualifier is not: the schema leaves it optional)."""
    return pd.notna(qualifier) and qualifier == "more_than"


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


# ---------------------------------------------------------------- the checkers

def check_arrival_june(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if the sources put at least the stated number ("hundreds": 200) of Kenyans on the flight
    of the stated date; with a caveat if another source gives a different count."""
    a, day = t["arrivals"], claim["stated_date"]
    rows = a[(a["country"] == "Kenya") & (a["date"] == day) & (a["movement"] == "arrival")]
    if rows.empty:
        return Verdict("arrival-june", NOT_CHECKABLE, f"No arrival on {text.day(day)} is in the data.")
    r = rows.iloc[0]
    row = f"arrivals:{r['movement_id']}"
    ev = [Evidence(f"Kenyan police arriving on {text.day(day)}", text.num(r["personnel"]), r["source_id"], (row,))]
    if pd.notna(r["personnel_alt"]):
        if pd.notna(r["alt_source_id"]):
            ev.append(Evidence("the same flight as other outlets report it", text.num(r["personnel_alt"]), r["alt_source_id"], (row,)))
        else:  # the data names those outlets without a link: the row's own source is the one to read
            ev.append(Evidence("the same flight as other outlets report it (outlets without a link in the data; "
                               "the source cited is the row's own)", text.num(r["personnel_alt"]), r["source_id"], (row,)))
    until = day + pd.Timedelta(days=FOLLOWING_DAYS)
    kenya, summed = kenyan_arrivals(t, until)
    ev.append(computed(f"Kenyan arrivals by {text.day(until)}", text.num(kenya), summed))
    if r["personnel"] < claim["stated_number"]:
        return Verdict("arrival-june", NOT_SUPPORTED, f"Only {text.num(r['personnel'])} arrived on {text.day(day)}.", ev)
    if pd.notna(r["personnel_alt"]) and r["personnel_alt"] != r["personnel"]:
        return Verdict("arrival-june", CAVEAT,
                       f"Kenyan police did arrive on {text.day(day)}, but the count is disputed: {text.num(r['personnel'])} "
                       f"per the Kenyan police, {text.num(r['personnel_alt'])} in other outlets; {text.num(kenya - r['personnel'])} "
                       f"more followed by {text.day(until)}.", ev)
    return Verdict("arrival-june", SUPPORTED, f"{text.num(r['personnel'])} Kenyan police arrived on {text.day(day)}.", ev)


def check_kenya_pledge(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if Kenya's pledge in the data is the stated number and dated in the stated month; with a
    caveat when the number matches but the data does not date the pledge that precisely."""
    p = t["pledges"]
    rows = p[(p["country"] == "Kenya") & (p["mission"] == "MSS")].dropna(subset=["personnel_high"]).sort_values("date")
    if rows.empty:
        return Verdict("kenya-pledge", NOT_CHECKABLE, "Kenya's pledge is not in the data.")
    r = rows.iloc[0]
    arrived, summed = kenyan_arrivals(t, when)
    arrived_now, summed_now = kenyan_arrivals(t, t["as_of"])
    ev = [Evidence("Kenya's pledge", text.span(r["personnel_low"], r["personnel_high"]), (r["source_id"], r["alt_source_id"]),
                   (f"pledges:{r['pledge_id']}",)),
          computed(f"Kenyan arrivals net of departures by {text.day(when)}", text.num(arrived), summed)]
    if t["as_of"] > when:
        ev.append(computed(f"Kenyan arrivals net of departures by {text.day(t['as_of'])}", text.num(arrived_now), summed_now))
    pledged = claim["stated_number"]
    if r["personnel_low"] != pledged or r["personnel_high"] != pledged:
        return Verdict("kenya-pledge", MISSTATED, f"Kenya's pledge in the data is {text.span(r['personnel_low'], r['personnel_high'])}.", ev)
    share = arrived / pledged
    precise = r["date_precision"] in ("day", "month") or r["date_precision"] == claim["stated_date_precision"]
    dated_as_said = precise and same_period(r["date"], claim["stated_date"], claim["stated_date_precision"])
    finding = f"Kenya pledged {text.num(pledged)} police; {text.num(arrived)} ({text.pct(share, 0)}) had arrived by the article's date"
    finding += f" and {text.num(arrived_now)} by {text.day(t['as_of'])}." if t["as_of"] > when else "."
    if dated_as_said:
        return Verdict("kenya-pledge", SUPPORTED, finding, ev)
    return Verdict("kenya-pledge", CAVEAT, finding + f" The data dates the pledge only to {text.dated(r['date'], r['date_precision'])}, "
                   f"not to {text.dated(claim['stated_date'], claim['stated_date_precision'])}.", ev)


def check_additional_600(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if at least the stated number of Kenyans arrived within FEW_WEEKS_DAYS of the article; not
    supported otherwise (the report states when and how many did arrive under the MSS)."""
    promised = claim["stated_number"]
    a = t["arrivals"]
    later = a[(a["country"] == "Kenya") & (a["movement"] == "arrival") & (a["date"] > when)].sort_values("date")
    soon = later[later["date"] <= when + pd.Timedelta(days=FEW_WEEKS_DAYS)]
    ev = [Evidence(f"Kenyan arrival on {text.day(r['date'])}", text.num(r["personnel"]), r["source_id"], (f"arrivals:{r['movement_id']}",))
          for _, r in later.iterrows() if r["date"] <= t["as_of"]]
    arrived_soon = int(soon["personnel"].sum())
    if arrived_soon >= promised:
        return Verdict("additional-600", SUPPORTED, f"{text.num(arrived_soon)} more Kenyans arrived within {FEW_WEEKS_DAYS // 7} weeks.", ev)
    next_rows = later[later["date"] <= t["as_of"]]
    if t["as_of"] < when + pd.Timedelta(days=FEW_WEEKS_DAYS):
        return Verdict("additional-600", NOT_CHECKABLE, f"On {text.day(t['as_of'])} the {FEW_WEEKS_DAYS // 7} weeks had not yet passed.", ev)
    if next_rows.empty:
        return Verdict("additional-600", NOT_SUPPORTED, f"No further Kenyan contingent arrived by {text.day(t['as_of'])}.", ev)
    first = next_rows.iloc[0]
    weeks = (first["date"] - when).days / 7
    mss = next_rows[next_rows["mission"] == "MSS"]
    return Verdict("additional-600", NOT_SUPPORTED,
                   f"No Kenyan contingent arrived within {FEW_WEEKS_DAYS // 7} weeks; the next came {weeks:.0f} weeks later "
                   f"({text.day(first['date'])}), and the MSS's later Kenyan contingents added {text.num(mss['personnel'].sum())}, "
                   f"not {text.num(promised)}.", ev)


def check_authorized_oct_2023(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if the first Security Council vote authorizing the MSS falls in the stated month."""
    u = t["un_decisions"]
    rows = u[(u["mission"] == "MSS") & u["votes_for"].notna()].sort_values("date")
    if rows.empty:
        return Verdict("authorized-oct-2023", NOT_CHECKABLE, "No authorizing resolution is in the data.")
    r = rows.iloc[0]
    ev = [Evidence(r["document"], f"adopted {text.day(r['date'])}, {int(r['votes_for'])} in favour, "
                   f"{int(r['abstentions']) if pd.notna(r['abstentions']) else 0} abstentions", r["source_id"],
                   (f"un_decisions:{r['decision_id']}",))]
    if same_period(r["date"], claim["stated_date"], claim["stated_date_precision"]):
        return Verdict("authorized-oct-2023", SUPPORTED, f"{r['document']} authorized the MSS on {text.day(r['date'])}.", ev)
    return Verdict("authorized-oct-2023", MISSTATED, f"The MSS was authorized on {text.day(r['date'])}.", ev)


def check_under_a_quarter(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if every figure for the deployed force on the day the UN expert spoke is below a quarter of the
    planned strength; with a caveat if only some are; not supported if none is."""
    planned = t["planned_strength"]
    e = t["expert_statements"]
    quote = e[e["share_upper"].notna()].sort_values("date")
    if not quote.empty:
        when = quote["date"].iloc[0]  # the expert spoke two days before the article
    d = deployment.deployed_range(t["arrivals"], t["strength_reports"], when)
    low, high = d.share(planned)
    a = t["arrivals"]
    summed = rows_of(a[a["movement_id"].isin(d.movement_ids)], "arrivals", "movement_id")
    plan = plan_rows(t, planned)
    ev = [computed(f"deployed on {text.day(when)} (arrivals net of departures)", text.num(d.arrivals_net), summed),
          computed("planned strength (report parameter, " + ("as in the sources cited)" if plan[0] else "set for this report)"),
                   text.num(planned), plan),
          computed("share of the plan deployed", text.span(low, high, text.pct), deployed_rows(t, d), plan)]
    for _, r in quote.iterrows():
        ev.append(Evidence(f"{r['speaker']}, {text.day(r['date'])}", f"\u201c{r['statement']}\u201d", (r["source_id"], r["alt_source_id"]),
                           (f"expert_statements:{r['statement_id']}",)))
    now = deployment.deployed_range(t["arrivals"], t["strength_reports"], t["as_of"])
    n_low, n_high = now.share(planned)
    still = "still " if (n_low, n_high) == (low, high) else ""
    later = "" if t["as_of"] == when else f" On {text.day(t['as_of'])} the share was {still}{text.span(n_low, n_high, text.pct)}."
    limit = claim["stated_number"]
    if high < limit:
        return Verdict("under-a-quarter", SUPPORTED, f"{text.span(d.low, d.high)} of {text.num(planned)} planned were deployed "
                       f"on {text.day(when)}: {text.span(low, high, text.pct)}." + later, ev)
    if low < limit:
        return Verdict("under-a-quarter", CAVEAT, f"The figures for {text.day(when)} straddle {text.pct(limit, 0)}: "
                       f"{text.span(low, high, text.pct)}." + later, ev)
    return Verdict("under-a-quarter", NOT_SUPPORTED, f"{text.span(low, high, text.pct)} were deployed on {text.day(when)}." + later, ev)


def check_q1_killed(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if BINUH's killed figure for the stated quarter is within ROUND_FIGURE_TOLERANCE of the
    stated number; misstated if instead the killed-or-injured total is (the two were conflated)."""
    q = violence.quarters(t["violence"])
    period = claim["stated_period"]
    rows = q[q["period_label"] == period]
    if rows.empty:
        return Verdict("q1-killed", NOT_CHECKABLE, f"BINUH's figures for {period} are not in the data.")
    r = rows.iloc[0]
    both = int(r["killed_or_injured_stated"]) if pd.notna(r["killed_or_injured_stated"]) else int(r["killed_or_injured"])
    row = (f"violence:{r['figure_id']}",)
    ev = [Evidence(f"killed, {period} (BINUH)", text.num(r["killed"]), r["source_id"], row),
          Evidence(f"injured, {period} (BINUH)", text.num(r["injured"]), r["source_id"], row),
          Evidence(f"killed or injured, {period}" + ("" if pd.notna(r["killed_or_injured_stated"]) else " (killed plus injured)"),
                   text.num(both), r["source_id"], row)]
    stated = claim["stated_number"]
    if close_to(stated, r["killed"]):
        return Verdict("q1-killed", SUPPORTED, f"BINUH counted {text.num(r['killed'])} killed in {period}.", ev)
    if close_to(stated, both):
        return Verdict("q1-killed", MISSTATED, f"{said(claim).capitalize()} is the number killed or injured ({text.num(both)}); "
                       f"{text.num(r['killed'])} were killed and {text.num(r['injured'])} injured.", ev)
    return Verdict("q1-killed", NOT_SUPPORTED, f"BINUH counted {text.num(r['killed'])} killed in {period}.", ev)


def check_displaced_580k(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if the latest DTM round known on the article's date is within ROUND_FIGURE_TOLERANCE of
    the stated number; with a caveat if a UN statement made before the article put the figure more than
    OUT_OF_DATE_GAP higher (the next round is shown too)."""
    dtm = t["dtm_rounds"]
    published = rounds_known_on(dtm, when)
    if published.empty:
        return Verdict("displaced-580k", NOT_CHECKABLE, "No DTM round before the article is in the data.")
    r = published.iloc[-1]
    ev = [Evidence(f"IOM DTM {r['round_label']} ({text.dated(r['reference_date'], r['reference_precision'])})",
                   text.num(r["idps"]), r["source_id"], (f"dtm_rounds:{r['round_id']}",))]
    newer = []
    following = dtm[dtm["reference_date"] > r["reference_date"]].sort_values("reference_date").head(1)
    for _, n in following.iterrows():
        ev.append(Evidence(f"IOM DTM {n['round_label']}, published {text.day(n['reference_date'])}, after the article",
                           text.num(n["idps"]), n["source_id"], (f"dtm_rounds:{n['round_id']}",)))
    e = t["expert_statements"]
    for _, s in e[e["idps_stated"].notna() & (e["date"] <= when)].iterrows():
        ev.append(Evidence(f"{s['speaker']}, {text.day(s['date'])}", f"about {text.num(s['idps_stated'])}", s["source_id"],
                           (f"expert_statements:{s['statement_id']}",)))
        newer.append(s["idps_stated"])
    if not close_to(claim["stated_number"], r["idps"]):
        return Verdict("displaced-580k", MISSTATED, f"The round published before the article counted {text.num(r['idps'])}.", ev)
    if newer and max(newer) > r["idps"] * (1 + OUT_OF_DATE_GAP):
        return Verdict("displaced-580k", CAVEAT, f"{said(claim)} matches {r['round_label']} ({text.num(r['idps'])}), but it was out of date: "
                       f"by the article's date the figure was about {text.num(max(newer))}.", ev)
    return Verdict("displaced-580k", SUPPORTED, f"{r['round_label']} counted {text.num(r['idps'])}.", ev)


def check_half_children(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if the round the article's total comes from states a children's share above one half;
    with a caveat if that round states none but every round that does states more than half."""
    dtm = t["dtm_rounds"]
    published = rounds_known_on(dtm, when)
    stated = dtm[dtm["children_share"].notna()].sort_values("reference_date")
    ev = [Evidence(f"children's share, {r['round_label']}",
                   ("more than " if more_than(r["children_share_qualifier"]) else "") + text.pct(r["children_share"], 0),
                   r["source_id"], (f"dtm_rounds:{r['round_id']}",)) for _, r in stated.iterrows()]
    counted = dtm[dtm["children_count"].notna()]
    for _, r in counted.iterrows():
        ev.append(Evidence(f"children counted, {r['round_label']}", f"{text.num(r['children_count'])} of "
                           f"{text.qualified(r['idps'], r['idps_qualifier'])}", r["source_id"], (f"dtm_rounds:{r['round_id']}",)))
    if published.empty or stated.empty:
        return Verdict("half-children", NOT_CHECKABLE, "The data states no children's share for the rounds before the article.", ev)
    r = published.iloc[-1]
    if pd.notna(r["children_share"]):
        half = claim["stated_number"]
        ok = r["children_share"] > half or (r["children_share"] == half and more_than(r["children_share_qualifier"]))
        return Verdict("half-children", SUPPORTED if ok else NOT_SUPPORTED,
                       f"{r['round_label']} states {text.pct(r['children_share'], 0)} children.", ev)
    half = claim["stated_number"]
    above = stated["children_share"].gt(half) | (stated["children_share"].eq(half) & stated["children_share_qualifier"].map(more_than))
    if above.all():
        return Verdict("half-children", CAVEAT, f"{r['round_label']}, the source of the article's total, states no children's share; "
                       f"every round that states one puts it above half ({', '.join(stated['round_label'])}).", ev)
    return Verdict("half-children", NOT_SUPPORTED, "Not every round that states a children's share puts it above half.", ev)


def check_mandate_renewal(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if the Council renewed the MSS by the stated date for the stated length (within a month)."""
    u = t["un_decisions"]
    rows = u[(u["mission"] == "MSS") & (u["date"] > when) & u["mandate_end"].notna()].sort_values("date")
    if rows.empty:
        return Verdict("mandate-renewal", NOT_CHECKABLE, "No renewal after the article is in the data.")
    r = rows.iloc[0]
    months = deployment.months_between(r["date"], r["mandate_end"])
    ev = [Evidence(r["document"], f"adopted {text.day(r['date'])}; mandate to {text.day(r['mandate_end'])}", r["source_id"],
                   (f"un_decisions:{r['decision_id']}",))]
    if r["date"] <= claim["stated_date"] and abs(months - claim["stated_number"]) <= 1:
        return Verdict("mandate-renewal", SUPPORTED, f"{r['document']} renewed the mission on {text.day(r['date'])}, "
                       f"to {text.day(r['mandate_end'])}.", ev)
    return Verdict("mandate-renewal", NOT_SUPPORTED, f"{r['document']} was adopted on {text.day(r['date'])}.", ev)


def check_peacekeeping_2025(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if a Council decision of the stated year created a UN peacekeeping operation; not supported
    if that year's decisions created something else (the report names it)."""
    u = t["un_decisions"]
    year = claim["stated_date"].year
    rows = u[(u["date"].dt.year == year)].sort_values("date")
    ev = [Evidence(r["document"], r["decision"], r["source_id"], (f"un_decisions:{r['decision_id']}",)) for _, r in rows.iterrows()]
    if rows.empty:
        return Verdict("peacekeeping-2025", NOT_CHECKABLE, f"No {year} decision is in the data.", ev)
    pko = rows[rows["decision"].str.contains("peacekeeping operation", case=False) &
               ~rows["decision"].str.contains("not", case=False)]
    if not pko.empty:
        return Verdict("peacekeeping-2025", SUPPORTED, f"{pko.iloc[0]['document']} created a peacekeeping operation.", ev)
    gsf = rows[rows["mission"] == "GSF"]
    what = (f"{gsf.iloc[0]['document']} turned the MSS into a Gang Suppression Force on {text.day(gsf.iloc[0]['date'])}, "
            "not a UN peacekeeping operation") if not gsf.empty else f"no {year} decision created a peacekeeping operation"
    return Verdict("peacekeeping-2025", NOT_SUPPORTED, what[0].upper() + what[1:] + ".", ev)


CHECKERS: dict[str, Callable[[dict, pd.Timestamp, pd.Series], Verdict]] = {
    "arrival-june": check_arrival_june,
    "kenya-pledge": check_kenya_pledge,
    "additional-600": check_additional_600,
    "authorized-oct-2023": check_authorized_oct_2023,
    "under-a-quarter": check_under_a_quarter,
    "q1-killed": check_q1_killed,
    "displaced-580k": check_displaced_580k,
    "half-children": check_half_children,
    "mandate-renewal": check_mandate_renewal,
    "peacekeeping-2025": check_peacekeeping_2025,
}


def check_claims(tables: dict[str, pd.DataFrame], planned_strength: int, as_of) -> list[Verdict]:
    """A verdict for every claim in data/claims.csv (a claim without a checker is 'not checkable')."""
    claims = tables["claims"]
    when = article_date(claims, tables["sources"])
    if pd.Timestamp(as_of) < when:
        return not_yet_published(claims, when, as_of)
    # Only what was known on as_of: a report as of the article's date cannot use later events.
    context = dict(data.until(tables, as_of), planned_strength=planned_strength, as_of=pd.Timestamp(as_of))
    out = []
    for _, c in claims.iterrows():
        checker = CHECKERS.get(c["claim_id"])
        if checker is None:
            out.append(Verdict(c["claim_id"], NOT_CHECKABLE, "No rule in the project checks this claim yet."))
        else:
            out.append(checker(context, when, c))
    return out


def not_yet_published(claims: pd.DataFrame, when: pd.Timestamp, as_of) -> list[Verdict]:
    """Before the article's date there is nothing to check: every claim is 'not checkable'."""
    finding = (f"The article was published on {text.day(when)}; on {text.day(as_of)}, this report's date, "
               "it did not exist yet.")
    return [Verdict(c["claim_id"], NOT_CHECKABLE, finding,
                    [Evidence("the article's date", text.day(when), c["source_id"], (f"claims:{c['claim_id']}",))])
            for _, c in claims.iterrows()]
