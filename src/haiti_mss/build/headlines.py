"""Headline figures in words: one table of labels and formats, used by the index and the comparisons.

FIGURES names each figure the notebooks record (haiti_mss.figures) that a reader should see, with its
label, its kind (count, share, date ...) and the keys that go with it (the high end of a range, a
qualifier such as "more_than", the date it refers to). A figure not in the table still appears in
comparisons through for_keys(): its label comes from its key and its kind from its value, so figures
added to the notebooks later need no change here to be compared (a label is nicer, though).

The index writes a report's headline figures in the report's language (labels from the catalog, numbers
and dates by haiti_mss.text); the comparison pages are in English.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..i18n import N_


@dataclass(frozen=True)
class Figure:
    key: str                       # the figure, or the low end of a range
    label: str
    kind: str = "count"            # count | number | share | date | text | flag | items | verdicts
    high: str | None = None        # the high end of a range
    qualifier: str | None = None   # the key of its qualifier ("more_than", "about", ...)
    when: str | None = None        # the key of the date it refers to
    headline: bool = False         # also on the index page

    def keys(self) -> set[str]:
        return {k for k in (self.key, self.high, self.qualifier, self.when) if k}


FIGURES: tuple[Figure, ...] = (
    Figure("deployed_low", N_("deployed"), high="deployed_high", headline=True),
    Figure("deployed_share_low", N_("share of the plan"), "share", high="deployed_share_high", headline=True),
    Figure("shortfall_low", N_("shortfall"), high="shortfall_high", headline=True),
    Figure("idps_latest", N_("displaced"), qualifier="idps_latest_qualifier", when="idps_latest_date", headline=True),
    Figure("children_share_latest", N_("children among the displaced"), "share", qualifier="children_share_qualifier",
           headline=True),
    Figure("killed_last_four_quarters", N_("killed, last four quarters"), qualifier="killed_last_four_quarters_qualifier",
           headline=True),
    Figure("claims", N_("claims checked"), "verdicts", headline=True),
    # No date beside it: the fund's figures are often dated "about" a day (the brief says so in its sentence).
    Figure("funding_share_low", N_("trust fund, share of a year's estimated cost"), "share", high="funding_share_high",
           headline=True),
    Figure("planned_strength", N_("planned strength")),
    Figure("deployed_arrivals_net", N_("arrivals net of departures")),
    Figure("gsf_ceiling", N_("GSF ceiling")),
    Figure("gsf_share_low", N_("share of the GSF ceiling"), "share", high="gsf_share_high"),
    Figure("projection_rate_per_month", N_("pace of deployment (people a month)"), "number"),
    Figure("projection_reached_on", N_("plan reached at that pace on"), "date"),
    Figure("idps_latest_round", N_("latest DTM round"), "text"),
    Figure("idps_population_share", N_("displaced, share of the population"), "share"),
    Figure("children_share_round", N_("children's share taken from"), "text"),
    Figure("injured_last_four_quarters", N_("injured, last four quarters")),
    Figure("last_four_quarters", N_("quarters summed"), "text"),
    Figure("last_four_quarters_count", N_("number of quarters summed")),
    Figure("department_round", N_("DTM round of the figures by department"), "text", when="department_round_date"),
    Figure("statement_share_low", N_("share deployed on the UN expert's date"), "share", high="statement_share_high",
           when="statement_date"),
    Figure("statement_held", N_("the UN expert's \"less than a quarter\" held"), "flag"),
    Figure("population", N_("population")),
    # The money (01_deployment, and the brief's key figure): amounts in US dollars, as the fund's rows state them.
    Figure("funding_amount", N_("trust fund, latest figure (US$)")),
    Figure("funding_figure_date", N_("trust fund, date of the latest figure"), "date"),
    Figure("funding_figure_id", N_("trust fund, row of the latest figure"), "text"),
    Figure("funding_kind", N_("trust fund, what the latest figure counts"), "text"),
    Figure("funding_mission", N_("trust fund, mission"), "text"),
    Figure("funding_sentence", N_("trust fund, in words"), "text"),
    Figure("funding_cost_per_year_low", N_("estimated cost a year (US$)"), high="funding_cost_per_year_high"),
    Figure("funding_cost_estimates", N_("cost estimates known")),
    Figure("funding_per_officer_low", N_("trust fund per deployed officer, rough ratio (US$)"),
           high="funding_per_officer_high"),
    Figure("funding_largest_contributor", N_("largest contributor paid in"), "text"),
    Figure("funding_largest_contributor_paid", N_("largest contribution paid in (US$)")),
    Figure("funding_frozen_donor", N_("frozen contribution, donor"), "text"),
    Figure("funding_frozen_date", N_("frozen contribution, date"), "date"),
    Figure("funding_frozen_amount", N_("frozen contribution, amount frozen (US$)")),
    Figure("funding_frozen_committed", N_("frozen contribution, amount pledged (US$)")),
    Figure("funding_frozen_spent", N_("frozen contribution, amount spent (US$)")),
    Figure("newest_figure", N_("newest figure in the data"), "date"),
)
NOT_COMPARED = {"as_of"}    # in the page header instead
QUALIFIERS = {"more_than": "more than ", "fewer_than": "fewer than ", "about": "about ", "rounded": "about ",
              "up_to": "up to "}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# ---------------------------------------------------------------- one value in words

def fmt(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4g}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def pct(value: Any) -> str:
    return f"{100 * value:.1f}%" if is_number(value) else str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def tally(claims: list) -> str:
    """'6 supported, 3 not checkable ...': verdicts counted, most frequent first."""
    counts: dict[str, int] = {}
    for claim in claims:
        verdict = claim.get("verdict", "?") if isinstance(claim, dict) else "?"
        counts[verdict] = counts.get(verdict, 0) + 1
    return ", ".join(f"{n} {v}" for v, n in sorted(counts.items(), key=lambda x: -x[1]))


def bounds(figs: Mapping[str, Any], fig: Figure) -> tuple[Any, Any]:
    low = figs.get(fig.key)
    high = figs.get(fig.high, low) if fig.high else low
    return low, (low if high is None else high)


def shown(figs: Mapping[str, Any], fig: Figure, language: str | None = None) -> str | None:
    """The figure as a reader sees it ('more than 1,400,000', '40.0%–48.0%'), None when not recorded; in
    `language` (None: English, the form the comparison pages have always used)."""
    value = figs.get(fig.key)
    if value is None:
        return None
    if language is None:
        return _shown_english(figs, fig, value)
    from .. import i18n, text, verdicts

    tr, f = i18n.translator(language), text.formatter(language)
    if fig.kind == "verdicts":
        return verdicts.tally(tr, f, [c.get("verdict", "?") for c in value if isinstance(c, dict)]) if isinstance(value, list) else str(value)
    if fig.kind == "flag":
        return tr.gettext("yes") if value is True else tr.gettext("no") if value is False else str(value)
    if fig.kind == "date":
        return f.day(value)
    if fig.kind == "items" and isinstance(value, list):
        return tr.ngettext("{n} entry", "{n} entries", len(value)).format(n=f.num(len(value)))
    if fig.kind == "text" or not is_number(value):
        return _shown_english(figs, fig, value)   # words of the data (a round's name, a donor), as recorded
    if fig.kind == "share":
        one = f.pct
    elif fig.kind == "count" or isinstance(value, int):
        one = f.num
    else:  # a ratio: four significant figures, as the English has always shown it
        from babel.numbers import format_decimal

        def one(v: Any) -> str:
            return format_decimal(float(f"{v:.4g}"), locale=f.locale)
    low, high = bounds(figs, fig)
    shown_value = one(low) if low == high else f.span(low, high, one)
    qualifier = figs.get(fig.qualifier) if fig.qualifier else None
    return tr.gettext(text.QUALIFIERS.get(qualifier, "{value}")).format(value=shown_value)


def _shown_english(figs: Mapping[str, Any], fig: Figure, value: Any) -> str:
    if fig.kind == "verdicts":
        return tally(value) if isinstance(value, list) else fmt(value)
    if fig.kind == "flag":
        return "yes" if value is True else "no" if value is False else fmt(value)
    if fig.kind == "items":
        return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}" if isinstance(value, list) else fmt(value)
    one = pct if fig.kind == "share" else _whole if fig.kind == "count" else fmt
    low, high = bounds(figs, fig)
    text = one(low) if low == high else f"{one(low)}–{one(high)}"
    return QUALIFIERS.get(figs.get(fig.qualifier) if fig.qualifier else "", "") + text


def _whole(value: Any) -> str:
    """A count (or an amount in dollars) to the unit: 800000000.0 -> '800,000,000', not '8e+08'."""
    return f"{round(value):,}" if is_number(value) else fmt(value)


def parameters_text(doc: Mapping[str, Any], language: str | None = None) -> str:
    """'planned_strength = 5,550 (override), ...' from a figures.json document (in `language`: numbers and
    the words; parameter names and values stay as they are passed)."""
    from .. import i18n, text

    tr, f = i18n.translator(language), text.formatter(language)
    overrides = doc.get("overrides") or {}

    def value(v: Any) -> str:
        return f.num(v) if isinstance(v, int) and not isinstance(v, bool) else fmt(v)

    return ", ".join((tr.gettext("{name} = {value} (override)") if k in overrides else "{name} = {value}").format(
        name=k, value=value(v)) for k, v in (doc.get("parameters") or {}).items() if v is not None) or tr.gettext("all defaults")


# ---------------------------------------------------------------- the index

def headline_items(figs: dict[str, Any], language: str | None = None) -> list[tuple[str, str]]:
    """The figures a reader of the index wants, in words (in `language`); the full set stays in figures.json."""
    from .. import i18n

    tr = i18n.translator(language)
    items: list[tuple[str, str]] = []
    used = {"as_of", "planned_strength", "population", "newest_figure"}
    for fig in FIGURES:
        text = shown(figs, fig, language) if fig.headline else None
        if text is not None:
            when = figs.get(fig.when) if fig.when else None
            if when and language is not None:
                from .. import text as formats

                when = formats.formatter(language).day(when)
            items.append((tr.gettext(fig.label) + (f" ({when})" if when else ""), text))
            used |= fig.keys()
    if len(items) <= 1:  # a notebook with one headline or none: show its other plain figures too
        known = {fig.key: fig for fig in FIGURES}
        parts = set().union(*(fig.keys() - {fig.key} for fig in FIGURES))   # a range's high end, a qualifier
        for key, value in figs.items():
            if key in used or key in parts or value is None or isinstance(value, (list, dict)):
                continue
            items.append((tr.gettext(known[key].label), shown(figs, known[key], language) or fmt(value)) if key in known
                         else (key.replace("_", " "), shown(figs, _guess(key, value), language) or fmt(value)))
    return items


# ---------------------------------------------------------------- every figure, for comparisons

def flatten(figs: Mapping[str, Any]) -> dict[str, Any]:
    """A mapping of plain values under a figure (e.g. {department: count}) becomes one figure per entry."""
    out: dict[str, Any] = {}
    for key, value in figs.items():
        if isinstance(value, dict) and value and all(not isinstance(v, (dict, list)) for v in value.values()):
            out.update({f"{key}: {sub}": v for sub, v in value.items()})
        else:
            out[key] = value
    return out


def _guess(key: str, value: Any, high: str | None = None) -> Figure:
    label = key.replace("_", " ")
    if high:
        label = label.removesuffix(" low")
    if isinstance(value, bool):
        kind = "flag"
    elif isinstance(value, int):
        kind = "count"
    elif isinstance(value, float):
        kind = "share" if "share" in key and 0 <= value <= 1 else "number"
    elif isinstance(value, list):
        kind = "verdicts" if value and all(isinstance(v, dict) and "verdict" in v for v in value) else "items"
    elif isinstance(value, str) and _ISO_DATE.match(value):
        kind = "date"
    else:
        kind = "text"
    return Figure(key, label, kind, high=high)


def for_keys(*figure_sets: Mapping[str, Any]) -> list[Figure]:
    """The figures to compare: those of FIGURES that are recorded, then every other key, guessed."""
    present: dict[str, Any] = {}
    for figs in figure_sets:
        for key, value in figs.items():
            if present.get(key) is None:
                present[key] = value
    known = [fig for fig in FIGURES if fig.key in present]
    taken = set(NOT_COMPARED).union(*(fig.keys() for fig in FIGURES))
    highs = {key[:-4] + "_high" for key in present if key.endswith("_low") and key[:-4] + "_high" in present}
    guessed = []
    for key, value in present.items():
        if key in taken or key in highs:
            continue
        high = key[:-4] + "_high" if key[:-4] + "_high" in highs and key.endswith("_low") else None
        guessed.append(_guess(key, value, high))
    return known + guessed
