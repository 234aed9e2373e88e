"""The brief's words, in the report's language: its key figures, the claims section and the sources they rest on.

    figures = key_figures(ctx)        # .lines (Markdown bullets), .recorded (for figures.json), .sources (ids)
    md(claims_intro(ctx, article_checked))
    display(HTML(claims_table(ctx, verdicts)))

Each key figure is true on ctx.as_of whatever the date: before the first arrival, DTM round, UN quarter or
trust-fund figure, its line says so in a sentence instead of showing a figure that means nothing. Words come
from the catalog (ctx.translator), numbers and dates from ctx.text; nothing here checks the language.
Values from data/ are HTML-escaped; text quoted in another language than the report's is marked with its
`lang` so a screen reader says it right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import deployment, displacement, funding, violence
from . import verdicts as verdict_words
from .claim_verdicts import NOT_CHECKABLE, VERDICTS, Verdict, in_language
from .department_text import round_date  # rounds named by the month of IOM's data, as in 02
from .evidence import deployed_rows, plan_rows
from .notebook import Context, escape
from .text import flat

ALL_DEPARTMENTS = 10  # Haiti's departments: a DTM round that covered fewer counted only part of the displaced


@dataclass
class KeyFigures:
    lines: list[str]                                   # Markdown bullets, in the report's language
    recorded: dict[str, Any]                           # figures.json: numbers, dates and ids, the same in every language
    sources: set[str] = field(default_factory=set)     # the source ids the figures rest on


def key_figures(ctx: Context) -> KeyFigures:
    """The brief's key figures on ctx.as_of: deployed, displaced, children, killed, money."""
    out = KeyFigures([], {})
    for part in (_deployed, _displaced, _killed, _money):
        part(ctx, out)
    return out


def _deployed(ctx: Context, out: KeyFigures) -> None:
    tr, f, t = ctx.translator, ctx.text, ctx.tables
    planned = ctx.params["planned_strength"]
    now = deployment.deployed_range(t["arrivals"], t["strength_reports"], ctx.as_of)
    (share_low, share_high), (gap_low, gap_high) = now.share(planned), now.shortfall(planned)
    # After the newest figure in the data, the figures are the latest known, dated as they are (as 01 does).
    stale = ctx.as_of > ctx.newest and now.figures_dated is not None
    values = dict(day=f.day(now.figures_dated if stale else ctx.as_of), planned=f.num(planned))
    if now.high == 0:
        authorized = deployment.authorization_date(t["un_decisions"], ctx.as_of)
        if authorized is None:
            line = tr.gettext("**Deployed on {day}:** none; the Security Council had not yet authorized a mission.").format(**values)
        else:
            line = tr.gettext("**Deployed on {day}:** none of the {planned} planned had arrived; the Security Council "
                              "authorized the mission on {authorized}.").format(authorized=f.day(authorized), **values)
            out.sources |= set(t["un_decisions"].loc[t["un_decisions"]["date"] == authorized, "source_id"])
    else:
        values.update(deployed=f.span(now.low, now.high), share=f.span(share_low, share_high, f.pct))
        if gap_high == 0:
            line = tr.gettext("**Deployed on {day}:** {deployed} of {planned} planned, **{share}**: the plan was met.").format(**values)
        else:
            line = tr.ngettext("**Deployed on {day}:** {deployed} of {planned} planned, **{share}**; the shortfall is {gap} person.",
                               "**Deployed on {day}:** {deployed} of {planned} planned, **{share}**; the shortfall is {gap} people.",
                               gap_high).format(gap=f.span(gap_low, gap_high), **values)
    out.lines.append("- " + line)
    out.sources |= set(deployed_rows(t, now)[0]) | set(plan_rows(t, planned)[0])
    out.recorded.update(deployed_low=now.low, deployed_high=now.high, deployed_share_low=share_low,
                        deployed_share_high=share_high, shortfall_low=gap_low, shortfall_high=gap_high)


def _covered(row: pd.Series) -> int:
    value = row.get("departments_covered")
    return ALL_DEPARTMENTS if value is None or pd.isna(value) else int(value)


def _displaced(ctx: Context, out: KeyFigures) -> None:
    tr, f, t = ctx.translator, ctx.text, ctx.tables
    rounds = displacement.rounds_until(t["dtm_rounds"], ctx.as_of)
    latest = None if rounds.empty else rounds.iloc[-1]
    child = displacement.latest_children_share(t["dtm_rounds"], ctx.as_of)
    out.recorded.update(idps_latest=None if latest is None else latest["idps"],
                        idps_latest_qualifier=None if latest is None else latest["idps_qualifier"],
                        idps_latest_date=None if latest is None else latest["reference_date"],
                        children_share_latest=None if child is None else child["children_share"],
                        children_share_qualifier=None if child is None else child["children_share_qualifier"])
    if latest is None:
        out.lines.append("- " + tr.gettext("**Internally displaced:** no DTM round had been published by {day}.").format(day=f.day(ctx.as_of)))
        return
    values = dict(round=escape(flat(latest["round_label"])), month=f.month(round_date(latest)),
                  idps=f.qualified(latest["idps"], latest["idps_qualifier"]),
                  share=f.pct(displacement.population_share(latest["idps"], ctx.params["population"])))
    line = tr.gettext("**Internally displaced ({round}, {month}):** **{idps}**; {share} of the population.").format(**values)
    covered = _covered(latest)
    if covered < ALL_DEPARTMENTS:
        line += " " + tr.ngettext("This round counted the displaced in {covered} of the {all} departments only.",
                                  "This round counted the displaced in {covered} of the {all} departments only.",
                                  covered).format(covered=f.num(covered), all=f.num(ALL_DEPARTMENTS))
    if len(rounds) > 1:
        line += " " + _growth(ctx, rounds.iloc[-2], latest, out)
    out.lines.append("- " + line)
    out.sources |= {latest["source_id"]}
    out.sources |= set(t["population"].loc[t["population"]["population"] == ctx.params["population"], "source_id"])
    if child is None:
        out.lines.append("- " + tr.gettext("**Children among the displaced:** no DTM round had stated their share by {day}.").format(
            day=f.day(ctx.as_of)))
        return
    share = f.pct(child["children_share"], 0)
    if child["children_share_qualifier"] == "more_than":
        share = tr.gettext("more than {value}").format(value=share)
    out.lines.append("- " + tr.gettext("**Children among the displaced:** {share} ({round}, {month}).").format(
        share=share, round=escape(flat(child["round_label"])), month=f.month(round_date(child))))
    out.sources.add(child["source_id"])


def _growth(ctx: Context, previous: pd.Series, latest: pd.Series, out: KeyFigures) -> str:
    """The change since the round before, or why it is not computed: only rounds that covered the whole country
    are compared (a partial round counted other places, not fewer or more people)."""
    tr, f = ctx.translator, ctx.text
    values = dict(previous=escape(flat(previous["round_label"])), all=f.num(ALL_DEPARTMENTS))
    if min(_covered(previous), _covered(latest)) < ALL_DEPARTMENTS:
        return tr.gettext("It is not compared with {previous}: only rounds that covered all {all} departments are "
                          "compared.").format(**values)
    out.sources.add(previous["source_id"])
    change = latest["idps"] / previous["idps"] - 1
    if round(change, 2) == 0:
        return tr.gettext("About as many as in {previous}.").format(**values)
    if change > 0:
        return tr.gettext("That is {change} more than in {previous}.").format(change=f.pct(change, 0), **values)
    return tr.gettext("That is {change} fewer than in {previous}.").format(change=f.pct(-change, 0), **values)


def _killed(ctx: Context, out: KeyFigures) -> None:
    tr, f = ctx.translator, ctx.text
    rows = violence.quarters(ctx.tables["violence"], ctx.as_of).tail(4)
    # A quarter BINUH gives as "more than N" makes the sum a lower bound too.
    lower_bound = bool((rows.get("killed_qualifier", pd.Series(dtype=str)) == "more_than").any())
    out.recorded.update(killed_last_four_quarters=int(rows["killed"].sum()) if len(rows) else None,
                        killed_last_four_quarters_qualifier=("more_than" if lower_bound else "exact") if len(rows) else None)
    if rows.empty:
        out.lines.append("- " + tr.gettext("**Killed:** no quarter counted by the UN (BINUH) had ended by {day}.").format(
            day=f.day(ctx.as_of)))
        return
    values = dict(count=f.num(len(rows)), first=f.quarter(rows["period_label"].iloc[0]), last=f.quarter(rows["period_label"].iloc[-1]),
                  killed=f.qualified(rows["killed"].sum(), "more_than" if lower_bound else "exact"),
                  injured=f.num(rows["injured"].sum()))
    if len(rows) == 1:
        line = tr.gettext("**Killed in {first}, the one quarter counted by the UN (BINUH) by then:** **{killed}**, and {injured} injured.")
    else:
        line = tr.gettext("**Killed in the last {count} quarters counted by the UN (BINUH), {first} to {last}:** **{killed}**, "
                          "and {injured} injured.")
    out.lines.append("- " + line.format(**values))
    out.sources |= set(rows["source_id"].dropna())


def _money(ctx: Context, out: KeyFigures) -> None:
    tr, f, t = ctx.translator, ctx.text, ctx.tables
    share = funding.fund_share(t["funding"], t["funding_costs"], ctx.as_of)
    if share is None:
        line = tr.gettext("**Trust fund against the cost:** no figure for the mission's trust fund had been published by {day}.").format(
            day=f.day(ctx.as_of))
    else:
        line = tr.gettext("**Trust fund against the cost:** {sentence}").format(
            sentence=funding.markdown_dollars(funding.share_sentence(share, strong=True, fmt=f)))
        out.sources |= set(share.source_ids)
    out.lines.append("- " + line)
    out.recorded.update(funding_figure_id=None if share is None else share.figure["figure_id"],
                        funding_amount=None if share is None else share.amount,
                        funding_figure_date=None if share is None else share.figure["date"],
                        funding_share_low=None if share is None else share.share_low,
                        funding_share_high=None if share is None else share.share_high,
                        funding_sentence=None if share is None else funding.share_sentence(share, fmt=f))


# ---------------------------------------------------------------- the claims

def article(ctx: Context) -> pd.Series:
    """The article whose claims the brief checks: its row in the sources ledger."""
    return ctx.tables["sources"].set_index("source_id").loc[ctx.tables["claims"]["source_id"].iloc[0]]


def _foreign(ctx: Context, html: str, language: str) -> str:
    """Mark text in another language than the report's, e.g. an English quote in the French brief."""
    return html if language == ctx.language else f'<span lang="{escape(language)}">{html}</span>'


def _quoted(ctx: Context, words: str, language: str = "en") -> str:
    # TRANSLATORS: quotation marks around quoted words (French: « … » with no-break spaces inside).
    return _foreign(ctx, escape(ctx.translator.pgettext("quotation", "\u201c{quote}\u201d").format(quote=words)), language)


def claims_intro(ctx: Context, checked: bool) -> str:
    """The section's heading (Markdown) and first paragraph (HTML); `checked` is False before the article's date."""
    tr, f = ctx.translator, ctx.text
    row = article(ctx)
    values = dict(month=f.month(row["published"]), day=f.day(row["published"]), title=_quoted(ctx, row["title"], row.get("language", "en")),
                  as_of=f.day(ctx.as_of), not_checkable=escape(tr.pgettext("verdict", NOT_CHECKABLE)),
                  verdicts=escape(", ".join(tr.pgettext("verdict", v) for v in VERDICTS)))
    if not checked:
        heading = tr.gettext("The claims of a {month} article").format(**values)
        paragraph = tr.gettext(
            "A news article of {day} reported President Ruto's visit to Haiti to assess the mission ({title}). On {as_of}, "
            "this report's date, the article did not exist yet: its claims are listed below, and every verdict is "
            "“{not_checkable}”.").format(**values)
    else:
        heading = tr.gettext("The claims of a {month} article, checked").format(**values)
        paragraph = tr.gettext(
            "A news article of {day} reported President Ruto's visit to Haiti to assess the mission ({title}). Each of its "
            "claims is checked below against the figures in this project's data. The verdict is computed by a written rule "
            "(see {rules}), one of: {verdicts}.").format(rules="<code>src/haiti_mss/claims.py</code>", **values)
    # The paragraph is an HTML block: inline HTML in a Markdown paragraph (the title's lang span) is broken
    # apart by nbconvert when it embeds images.
    return f"## {heading}\n\n<p>{paragraph}</p>"


def claims_table(ctx: Context, verdicts: list[Verdict]) -> str:
    """The claims, their verdicts, what the data says and the evidence with every source id, as an HTML table."""
    tr = ctx.translator
    claims = ctx.tables["claims"].set_index("claim_id")
    heads = (tr.pgettext("claims table", "claim"), tr.pgettext("claims table", "verdict"),
             tr.pgettext("claims table", "what the data says"), tr.pgettext("claims table", "evidence [source id]"))
    rows = []
    for v in verdicts:
        row = claims.loc[v.claim_id]
        claim = _quoted(ctx, row["claim"])
        translated = in_language(row, "claim", ctx.language)
        if translated != row["claim"]:
            # TRANSLATORS: the article's own words under their translation.
            claim = (escape(tr.pgettext("quotation", "\u201c{quote}\u201d").format(quote=translated)) + "<br>"
                     + escape(tr.pgettext("claims table", "original:")) + " " + claim)
        cells = (claim, escape(tr.pgettext("verdict", v.verdict)), escape(v.finding), evidence_html(ctx, v))
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    caption = tr.gettext("Verdicts computed from data/; source ids refer to the Sources table")
    return (f'<div class="report-table claims"><table><caption>{escape(caption)}</caption><thead><tr>'
            + "".join(f"<th>{escape(h)}</th>" for h in heads) + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def evidence_html(ctx: Context, verdict: Verdict) -> str:
    """'label: value [id, id]; ...' with every source id of every figure."""
    tr = ctx.translator
    items = []
    for e in verdict.evidence:
        value = _foreign(ctx, escape(e.value), e.quoted) if e.quoted else escape(e.value)
        item = tr.pgettext("evidence", "{label}: {value}").format(label=escape(e.label), value=value)
        if e.source_ids:
            item += " [" + ", ".join(escape(i) for i in e.source_ids) + "]"
        items.append(item)
    # TRANSLATORS: between two pieces of evidence (French: a narrow no-break space before ';').
    return tr.pgettext("evidence", "; ").join(items)


def tally(ctx: Context, verdicts: list[Verdict]) -> str:
    """'**Tally:** 4 supported with a caveat, 3 supported, ...': most frequent first (Markdown)."""
    return ctx.translator.gettext("**Tally:** {items}.").format(
        items=verdict_words.tally(ctx.translator, ctx.text, [v.verdict for v in verdicts]))


def claims_sources(verdicts: list[Verdict]) -> set[str]:
    """Every source id of every figure in the claims table."""
    return {i for v in verdicts for e in v.evidence for i in e.source_ids}
