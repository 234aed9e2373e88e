"""Where a claim of the September 2024 article gets its verdict, computed from data/.

Each claim id in data/claims.csv has one checker here. A checker reads the tables, states the figures
that bear on the claim with their source ids (a computed figure names the sources and the rows it was
computed from), and returns a verdict by a rule written in its docstring. Tolerances are named constants
so the rules can be read and argued with. Claims are checked only on or after the article's date: before
it, every verdict is "not checkable" (the article did not exist yet).

Language: the verdict is one of the English words of haiti_mss.claim_verdicts whatever the report's
language (figures.json records it; a page shows tr.pgettext("verdict", word)). The findings and the
evidence's labels and values are in the report's language: check_claims(..., language="fr").
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from . import data, deployment, i18n, text, violence
from .claim_verdicts import (CAVEAT, FEW_WEEKS_DAYS, FOLLOWING_DAYS, MISSTATED, NOT_CHECKABLE, NOT_SUPPORTED,  # noqa: F401
                             OUT_OF_DATE_GAP, ROUND_FIGURE_TOLERANCE, STATED, SUPPORTED, VERDICTS, Verdict,
                             article_date, close_to, in_language, kenyan_arrivals, rounds_known_on, said, same_period)
from .evidence import Evidence, computed, deployed_rows, plan_rows, rows_of


# ---------------------------------------------------------------- the checkers
# Each reads t["tr"] (the translator) and t["fmt"] (the formatter) of the report's language.

def check_arrival_june(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if the sources put at least the stated number ("hundreds": 200) of Kenyans on the flight
    of the stated date; with a caveat if another source gives a different count."""
    tr, f = t["tr"], t["fmt"]
    a, day = t["arrivals"], claim["stated_date"]
    rows = a[(a["country"] == "Kenya") & (a["date"] == day) & (a["movement"] == "arrival")]
    if rows.empty:
        return Verdict("arrival-june", NOT_CHECKABLE, tr.gettext("No arrival on {day} is in the data.").format(day=f.day(day)))
    r = rows.iloc[0]
    row = f"arrivals:{r['movement_id']}"
    ev = [Evidence(tr.gettext("Kenyan police arriving on {day}").format(day=f.day(day)), f.num(r["personnel"]),
                   r["source_id"], (row,))]
    if pd.notna(r["personnel_alt"]):
        if pd.notna(r["alt_source_id"]):
            ev.append(Evidence(tr.gettext("the same flight as other outlets report it"), f.num(r["personnel_alt"]),
                               r["alt_source_id"], (row,)))
        else:  # the data names those outlets without a link: the row's own source is the one to read
            ev.append(Evidence(tr.gettext("the same flight as other outlets report it (outlets without a link in the data; "
                                          "the source cited is the row's own)"), f.num(r["personnel_alt"]), r["source_id"], (row,)))
    until = day + pd.Timedelta(days=FOLLOWING_DAYS)
    kenya, summed = kenyan_arrivals(t, until)
    ev.append(computed(tr.gettext("Kenyan arrivals by {day}").format(day=f.day(until)), f.num(kenya), summed))
    if r["personnel"] < claim["stated_number"]:
        return Verdict("arrival-june", NOT_SUPPORTED, tr.gettext("Only {count} arrived on {day}.").format(
            count=f.num(r["personnel"]), day=f.day(day)), ev)
    if pd.notna(r["personnel_alt"]) and r["personnel_alt"] != r["personnel"]:
        return Verdict("arrival-june", CAVEAT, tr.gettext(
            "Kenyan police did arrive on {day}, but the count is disputed: {count} per the Kenyan police, {other} in "
            "other outlets; {more} more followed by {until}.").format(
            day=f.day(day), count=f.num(r["personnel"]), other=f.num(r["personnel_alt"]),
            more=f.num(kenya - r["personnel"]), until=f.day(until)), ev)
    return Verdict("arrival-june", SUPPORTED, tr.gettext("{count} Kenyan police arrived on {day}.").format(
        count=f.num(r["personnel"]), day=f.day(day)), ev)


def check_kenya_pledge(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if Kenya's pledge in the data is the stated number and dated in the stated month; with a
    caveat when the number matches but the data does not date the pledge that precisely."""
    tr, f = t["tr"], t["fmt"]
    p = t["pledges"]
    rows = p[(p["country"] == "Kenya") & (p["mission"] == "MSS")].dropna(subset=["personnel_high"]).sort_values("date")
    if rows.empty:
        return Verdict("kenya-pledge", NOT_CHECKABLE, tr.gettext("Kenya's pledge is not in the data."))
    r = rows.iloc[0]
    arrived, summed = kenyan_arrivals(t, when)
    arrived_now, summed_now = kenyan_arrivals(t, t["as_of"])
    by = tr.gettext("Kenyan arrivals net of departures by {day}")
    ev = [Evidence(tr.gettext("Kenya's pledge"), f.span(r["personnel_low"], r["personnel_high"]),
                   (r["source_id"], r["alt_source_id"]), (f"pledges:{r['pledge_id']}",)),
          computed(by.format(day=f.day(when)), f.num(arrived), summed)]
    if t["as_of"] > when:
        ev.append(computed(by.format(day=f.day(t["as_of"])), f.num(arrived_now), summed_now))
    pledged = claim["stated_number"]
    if r["personnel_low"] != pledged or r["personnel_high"] != pledged:
        return Verdict("kenya-pledge", MISSTATED, tr.gettext("Kenya's pledge in the data is {pledge}.").format(
            pledge=f.span(r["personnel_low"], r["personnel_high"])), ev)
    share = arrived / pledged
    precise = r["date_precision"] in ("day", "month") or r["date_precision"] == claim["stated_date_precision"]
    dated_as_said = precise and same_period(r["date"], claim["stated_date"], claim["stated_date_precision"])
    values = dict(pledged=f.num(pledged), arrived=f.num(arrived), share=f.pct(share, 0), now=f.num(arrived_now),
                  day=f.day(t["as_of"]))
    if t["as_of"] > when:
        finding = tr.gettext("Kenya pledged {pledged} police; {arrived} ({share}) had arrived by the article's date "
                             "and {now} by {day}.").format(**values)
    else:
        finding = tr.gettext("Kenya pledged {pledged} police; {arrived} ({share}) had arrived by the article's date.").format(**values)
    if dated_as_said:
        return Verdict("kenya-pledge", SUPPORTED, finding, ev)
    return Verdict("kenya-pledge", CAVEAT, finding + " " + tr.gettext(
        "The data dates the pledge only to {data_date}, not to {claim_date}.").format(
        data_date=f.dated(r["date"], r["date_precision"]),
        claim_date=f.dated(claim["stated_date"], claim["stated_date_precision"])), ev)


def check_additional_600(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if at least the stated number of Kenyans arrived within FEW_WEEKS_DAYS of the article; not
    supported otherwise (the report states when and how many did arrive under the MSS)."""
    tr, f = t["tr"], t["fmt"]
    promised, weeks = claim["stated_number"], FEW_WEEKS_DAYS // 7
    a = t["arrivals"]
    later = a[(a["country"] == "Kenya") & (a["movement"] == "arrival") & (a["date"] > when)].sort_values("date")
    soon = later[later["date"] <= when + pd.Timedelta(days=FEW_WEEKS_DAYS)]
    ev = [Evidence(tr.gettext("Kenyan arrival on {day}").format(day=f.day(r["date"])), f.num(r["personnel"]), r["source_id"],
                   (f"arrivals:{r['movement_id']}",))
          for _, r in later.iterrows() if r["date"] <= t["as_of"]]
    arrived_soon = int(soon["personnel"].sum())
    if arrived_soon >= promised:
        return Verdict("additional-600", SUPPORTED, tr.gettext("{count} more Kenyans arrived within {weeks} weeks.").format(
            count=f.num(arrived_soon), weeks=f.num(weeks)), ev)
    next_rows = later[later["date"] <= t["as_of"]]
    if t["as_of"] < when + pd.Timedelta(days=FEW_WEEKS_DAYS):
        return Verdict("additional-600", NOT_CHECKABLE, tr.gettext("On {day} the {weeks} weeks had not yet passed.").format(
            day=f.day(t["as_of"]), weeks=f.num(weeks)), ev)
    if next_rows.empty:
        return Verdict("additional-600", NOT_SUPPORTED, tr.gettext("No further Kenyan contingent arrived by {day}.").format(
            day=f.day(t["as_of"])), ev)
    first = next_rows.iloc[0]
    mss = next_rows[next_rows["mission"] == "MSS"]
    return Verdict("additional-600", NOT_SUPPORTED, tr.gettext(
        "No Kenyan contingent arrived within {weeks} weeks; the next came {later} weeks later ({day}), and the MSS's "
        "later Kenyan contingents added {added}, not {promised}.").format(
        weeks=f.num(weeks), later=f.num((first["date"] - when).days / 7), day=f.day(first["date"]),
        added=f.num(mss["personnel"].sum()), promised=f.num(promised)), ev)


def check_authorized_oct_2023(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if the first Security Council vote authorizing the MSS falls in the stated month."""
    tr, f = t["tr"], t["fmt"]
    u = t["un_decisions"]
    rows = u[(u["mission"] == "MSS") & u["votes_for"].notna()].sort_values("date")
    if rows.empty:
        return Verdict("authorized-oct-2023", NOT_CHECKABLE, tr.gettext("No authorizing resolution is in the data."))
    r = rows.iloc[0]
    document = in_language(r, "document", f.language)
    abstentions = int(r["abstentions"]) if pd.notna(r["abstentions"]) else 0
    ev = [Evidence(document, tr.ngettext("adopted {day}, {votes} in favour, {abstentions} abstention",
                                         "adopted {day}, {votes} in favour, {abstentions} abstentions", abstentions).format(
                       day=f.day(r["date"]), votes=f.num(r["votes_for"]), abstentions=f.num(abstentions)),
                   r["source_id"], (f"un_decisions:{r['decision_id']}",))]
    if same_period(r["date"], claim["stated_date"], claim["stated_date_precision"]):
        return Verdict("authorized-oct-2023", SUPPORTED, tr.gettext("{document} authorized the MSS on {day}.").format(
            document=document, day=f.day(r["date"])), ev)
    return Verdict("authorized-oct-2023", MISSTATED, tr.gettext("The MSS was authorized on {day}.").format(day=f.day(r["date"])), ev)


def check_under_a_quarter(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if every figure for the deployed force on the day the UN expert spoke is below a quarter of the
    planned strength; with a caveat if only some are; not supported if none is."""
    tr, f = t["tr"], t["fmt"]
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
    ev = [computed(tr.gettext("deployed on {day} (arrivals net of departures)").format(day=f.day(when)), f.num(d.arrivals_net), summed),
          computed(tr.gettext("planned strength (report parameter, as in the sources cited)") if plan[0]
                   else tr.gettext("planned strength (report parameter, set for this report)"), f.num(planned), plan),
          computed(tr.gettext("share of the plan deployed"), f.span(low, high, f.pct), deployed_rows(t, d), plan)]
    for _, r in quote.iterrows():
        ev.append(Evidence(tr.gettext("{speaker}, {day}").format(speaker=in_language(r, "speaker", f.language), day=f.day(r["date"])),
                           tr.pgettext("quotation", "\u201c{quote}\u201d").format(quote=r["statement"]),
                           (r["source_id"], r["alt_source_id"]), (f"expert_statements:{r['statement_id']}",), quoted="en"))
    now = deployment.deployed_range(t["arrivals"], t["strength_reports"], t["as_of"])
    n_low, n_high = now.share(planned)
    if t["as_of"] == when:
        later = ""
    elif (n_low, n_high) == (low, high):
        later = tr.gettext("On {day} the share was still {share}.")
    else:
        later = tr.gettext("On {day} the share was {share}.")
    later = later and " " + later.format(day=f.day(t["as_of"]), share=f.span(n_low, n_high, f.pct))
    limit = claim["stated_number"]
    if high < limit:
        return Verdict("under-a-quarter", SUPPORTED, tr.gettext("{deployed} of {planned} planned were deployed on {day}: {share}.").format(
            deployed=f.span(d.low, d.high), planned=f.num(planned), day=f.day(when), share=f.span(low, high, f.pct)) + later, ev)
    if low < limit:
        return Verdict("under-a-quarter", CAVEAT, tr.gettext("The figures for {day} straddle {limit}: {share}.").format(
            day=f.day(when), limit=f.pct(limit, 0), share=f.span(low, high, f.pct)) + later, ev)
    return Verdict("under-a-quarter", NOT_SUPPORTED, tr.gettext("{share} were deployed on {day}.").format(
        share=f.span(low, high, f.pct), day=f.day(when)) + later, ev)


def check_q1_killed(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if BINUH's killed figure for the stated quarter is within ROUND_FIGURE_TOLERANCE of the
    stated number; misstated if instead the killed-or-injured total is (the two were conflated)."""
    tr, f = t["tr"], t["fmt"]
    q = violence.quarters(t["violence"])
    period = claim["stated_period"]
    rows = q[q["period_label"] == period]
    quarter = f.quarter(period)
    if rows.empty:
        return Verdict("q1-killed", NOT_CHECKABLE, tr.gettext("BINUH's figures for {quarter} are not in the data.").format(quarter=quarter))
    r = rows.iloc[0]
    both = int(r["killed_or_injured_stated"]) if pd.notna(r["killed_or_injured_stated"]) else int(r["killed_or_injured"])
    row = (f"violence:{r['figure_id']}",)
    either = (tr.gettext("killed or injured, {quarter}") if pd.notna(r["killed_or_injured_stated"])
              else tr.gettext("killed or injured, {quarter} (killed plus injured)"))
    ev = [Evidence(tr.gettext("killed, {quarter} (BINUH)").format(quarter=quarter), f.num(r["killed"]), r["source_id"], row),
          Evidence(tr.gettext("injured, {quarter} (BINUH)").format(quarter=quarter), f.num(r["injured"]), r["source_id"], row),
          Evidence(either.format(quarter=quarter), f.num(both), r["source_id"], row)]
    stated = claim["stated_number"]
    counted = tr.gettext("BINUH counted {killed} killed in {quarter}.").format(killed=f.num(r["killed"]), quarter=quarter)
    if close_to(stated, r["killed"]):
        return Verdict("q1-killed", SUPPORTED, counted, ev)
    if close_to(stated, both):
        return Verdict("q1-killed", MISSTATED, tr.gettext(
            "{stated} is the number killed or injured ({both}); {killed} were killed and {injured} injured.").format(
            stated=said(claim, f).capitalize(), both=f.num(both), killed=f.num(r["killed"]), injured=f.num(r["injured"])), ev)
    return Verdict("q1-killed", NOT_SUPPORTED, counted, ev)


def check_displaced_580k(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if the latest DTM round known on the article's date is within ROUND_FIGURE_TOLERANCE of
    the stated number; with a caveat if a UN statement made before the article put the figure more than
    OUT_OF_DATE_GAP higher (the next round is shown too)."""
    tr, f = t["tr"], t["fmt"]
    dtm = t["dtm_rounds"]
    published = rounds_known_on(dtm, when)
    if published.empty:
        return Verdict("displaced-580k", NOT_CHECKABLE, tr.gettext("No DTM round before the article is in the data."))
    r = published.iloc[-1]
    ev = [Evidence(tr.gettext("IOM DTM {round} ({date})").format(round=text.flat(r["round_label"]),
                                                                 date=f.dated(r["reference_date"], r["reference_precision"])),
                   f.num(r["idps"]), r["source_id"], (f"dtm_rounds:{r['round_id']}",))]
    newer = []
    following = dtm[dtm["reference_date"] > r["reference_date"]].sort_values("reference_date").head(1)
    for _, n in following.iterrows():
        ev.append(Evidence(tr.gettext("IOM DTM {round}, published {day}, after the article").format(
            round=n["round_label"], day=f.day(n["reference_date"])), f.num(n["idps"]), n["source_id"], (f"dtm_rounds:{n['round_id']}",)))
    e = t["expert_statements"]
    for _, s in e[e["idps_stated"].notna() & (e["date"] <= when)].iterrows():
        ev.append(Evidence(tr.gettext("{speaker}, {day}").format(speaker=in_language(s, "speaker", f.language), day=f.day(s["date"])),
                           f.qualified(s["idps_stated"], "about"), s["source_id"], (f"expert_statements:{s['statement_id']}",)))
        newer.append(s["idps_stated"])
    if not close_to(claim["stated_number"], r["idps"]):
        return Verdict("displaced-580k", MISSTATED, tr.gettext("The round published before the article counted {idps}.").format(
            idps=f.num(r["idps"])), ev)
    if newer and max(newer) > r["idps"] * (1 + OUT_OF_DATE_GAP):
        return Verdict("displaced-580k", CAVEAT, tr.gettext(
            "{stated} matches {round} ({idps}), but it was out of date: by the article's date the figure was about {newer}.").format(
            stated=said(claim, f), round=r["round_label"], idps=f.num(r["idps"]), newer=f.num(max(newer))), ev)
    return Verdict("displaced-580k", SUPPORTED, tr.gettext("{round} counted {idps}.").format(round=r["round_label"], idps=f.num(r["idps"])), ev)


def more_than(qualifier) -> bool:
    """A share stated as "more than" (an empty qualifier is not: the schema leaves it optional)."""
    return pd.notna(qualifier) and qualifier == "more_than"


def check_half_children(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if the round the article's total comes from states a children's share above one half;
    with a caveat if that round states none but every round that does states more than half."""
    tr, f = t["tr"], t["fmt"]
    dtm = t["dtm_rounds"]
    published = rounds_known_on(dtm, when)
    stated = dtm[dtm["children_share"].notna()].sort_values("reference_date")

    def share(r) -> str:
        shown = f.pct(r["children_share"], 0)
        return tr.gettext("more than {value}").format(value=shown) if more_than(r["children_share_qualifier"]) else shown

    ev = [Evidence(tr.gettext("children's share, {round}").format(round=r["round_label"]), share(r),
                   r["source_id"], (f"dtm_rounds:{r['round_id']}",)) for _, r in stated.iterrows()]
    counted = dtm[dtm["children_count"].notna()]
    for _, r in counted.iterrows():
        ev.append(Evidence(tr.gettext("children counted, {round}").format(round=r["round_label"]),
                           tr.gettext("{count} of {idps}").format(count=f.num(r["children_count"]),
                                                                 idps=f.qualified(r["idps"], r["idps_qualifier"])),
                           r["source_id"], (f"dtm_rounds:{r['round_id']}",)))
    if published.empty or stated.empty:
        return Verdict("half-children", NOT_CHECKABLE, tr.gettext("The data states no children's share for the rounds before the article."), ev)
    r = published.iloc[-1]
    half = claim["stated_number"]
    if pd.notna(r["children_share"]):
        ok = r["children_share"] > half or (r["children_share"] == half and more_than(r["children_share_qualifier"]))
        return Verdict("half-children", SUPPORTED if ok else NOT_SUPPORTED, tr.gettext("{round} states {share} children.").format(
            round=r["round_label"], share=f.pct(r["children_share"], 0)), ev)
    above = stated["children_share"].gt(half) | (stated["children_share"].eq(half) & stated["children_share_qualifier"].map(more_than))
    if above.all():
        return Verdict("half-children", CAVEAT, tr.gettext(
            "{round}, the source of the article's total, states no children's share; every round that states one puts it "
            "above half ({rounds}).").format(round=r["round_label"], rounds=", ".join(stated["round_label"])), ev)
    return Verdict("half-children", NOT_SUPPORTED, tr.gettext("Not every round that states a children's share puts it above half."), ev)


def check_mandate_renewal(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if the Council renewed the MSS by the stated date for the stated length (within a month)."""
    tr, f = t["tr"], t["fmt"]
    u = t["un_decisions"]
    rows = u[(u["mission"] == "MSS") & (u["date"] > when) & u["mandate_end"].notna()].sort_values("date")
    if rows.empty:
        return Verdict("mandate-renewal", NOT_CHECKABLE, tr.gettext("No renewal after the article is in the data."))
    r = rows.iloc[0]
    months = deployment.months_between(r["date"], r["mandate_end"])
    document = in_language(r, "document", f.language)
    values = dict(document=document, day=f.day(r["date"]), end=f.day(r["mandate_end"]))
    ev = [Evidence(document, tr.gettext("adopted {day}; mandate to {end}").format(**values), r["source_id"],
                   (f"un_decisions:{r['decision_id']}",))]
    if r["date"] <= claim["stated_date"] and abs(months - claim["stated_number"]) <= 1:
        return Verdict("mandate-renewal", SUPPORTED, tr.gettext("{document} renewed the mission on {day}, to {end}.").format(**values), ev)
    return Verdict("mandate-renewal", NOT_SUPPORTED, tr.gettext("{document} was adopted on {day}.").format(**values), ev)


def check_peacekeeping_2025(t: dict, when: pd.Timestamp, claim: pd.Series) -> Verdict:
    """Supported if a Council decision of the stated year created a UN peacekeeping operation; not supported
    if that year's decisions created something else (the report names it)."""
    tr, f = t["tr"], t["fmt"]
    u = t["un_decisions"]
    year = claim["stated_date"].year
    rows = u[(u["date"].dt.year == year)].sort_values("date")
    ev = [Evidence(in_language(r, "document", f.language), in_language(r, "decision", f.language), r["source_id"],
                   (f"un_decisions:{r['decision_id']}",)) for _, r in rows.iterrows()]
    if rows.empty:
        return Verdict("peacekeeping-2025", NOT_CHECKABLE, tr.gettext("No {year} decision is in the data.").format(year=year), ev)
    pko = rows[rows["decision"].str.contains("peacekeeping operation", case=False) &
               ~rows["decision"].str.contains("not", case=False)]
    if not pko.empty:
        return Verdict("peacekeeping-2025", SUPPORTED, tr.gettext("{document} created a peacekeeping operation.").format(
            document=in_language(pko.iloc[0], "document", f.language)), ev)
    gsf = rows[rows["mission"] == "GSF"]
    if gsf.empty:
        return Verdict("peacekeeping-2025", NOT_SUPPORTED, tr.gettext("No {year} decision created a peacekeeping operation.").format(
            year=year), ev)
    return Verdict("peacekeeping-2025", NOT_SUPPORTED, tr.gettext(
        "{document} turned the MSS into a Gang Suppression Force on {day}, not a UN peacekeeping operation.").format(
        document=in_language(gsf.iloc[0], "document", f.language), day=f.day(gsf.iloc[0]["date"])), ev)


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


def check_claims(tables: dict[str, pd.DataFrame], planned_strength: int, as_of, language: str | None = None) -> list[Verdict]:
    """A verdict for every claim in data/claims.csv (a claim without a checker is 'not checkable'); findings
    and evidence in `language` (None: English), verdicts and figures the same in every language."""
    fmt = text.formatter(language)  # a wrong language raises ParameterError
    tr = i18n.translator(fmt.language)
    claims = tables["claims"]
    when = article_date(claims, tables["sources"])
    if pd.Timestamp(as_of) < when:
        return not_yet_published(claims, when, as_of, fmt)
    # Only what was known on as_of: a report as of the article's date cannot use later events.
    context = dict(data.until(tables, as_of), planned_strength=planned_strength, as_of=pd.Timestamp(as_of), tr=tr, fmt=fmt)
    out = []
    for _, c in claims.iterrows():
        checker = CHECKERS.get(c["claim_id"])
        if checker is None:
            out.append(Verdict(c["claim_id"], NOT_CHECKABLE, tr.gettext("No rule in the project checks this claim yet.")))
        else:
            out.append(checker(context, when, c))
    return out


def not_yet_published(claims: pd.DataFrame, when: pd.Timestamp, as_of, fmt: text.Formatter | None = None) -> list[Verdict]:
    """Before the article's date there is nothing to check: every claim is 'not checkable'."""
    f = fmt or text.formatter()
    tr = f.translator
    finding = tr.gettext("The article was published on {published}; on {day}, this report's date, it did not exist yet.").format(
        published=f.day(when), day=f.day(as_of))
    return [Verdict(c["claim_id"], NOT_CHECKABLE, finding,
                    [Evidence(tr.gettext("the article's date"), f.day(when), c["source_id"], (f"claims:{c['claim_id']}",))])
            for _, c in claims.iterrows()]
