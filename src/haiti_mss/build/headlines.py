"""Headline figures in words: one table of labels and formats, used by the index and the comparisons.

FIGURES names each figure the notebooks record (haiti_mss.figures) that a reader should see, with its
label, its kind (count, share, date ...) and the keys that go with it (the high end of a range, a
qualifier such as "more_than", the date it refers to). A figure not in the table still appears in
comparisons through for_keys(): its label comes from its key and its kind from its value, so figures
added to the notebooks later need no change here to be compared (a label is nicer, though).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping


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
    Figure("deployed_low", "deployed", high="deployed_high", headline=True),
    Figure("deployed_share_low", "share of the plan", "share", high="deployed_share_high", headline=True),
    Figure("shortfall_low", "shortfall", high="shortfall_high", headline=True),
    Figure("idps_latest", "displaced", qualifier="idps_latest_qualifier", when="idps_latest_date", headline=True),
    Figure("children_share_latest", "children among the displaced", "share", qualifier="children_share_qualifier",
           headline=True),
    Figure("killed_last_four_quarters", "killed, last four quarters", headline=True),
    Figure("claims", "claims checked", "verdicts", headline=True),
    Figure("planned_strength", "planned strength"),
    Figure("deployed_arrivals_net", "arrivals net of departures"),
    Figure("gsf_ceiling", "GSF ceiling"),
    Figure("gsf_share_low", "share of the GSF ceiling", "share", high="gsf_share_high"),
    Figure("projection_rate_per_month", "pace of deployment (people a month)", "number"),
    Figure("projection_reached_on", "plan reached at that pace on", "date"),
    Figure("idps_latest_round", "latest DTM round", "text"),
    Figure("idps_population_share", "displaced, share of the population", "share"),
    Figure("children_share_round", "children's share taken from", "text"),
    Figure("injured_last_four_quarters", "injured, last four quarters"),
    Figure("last_four_quarters", "quarters summed", "text"),
    Figure("statement_share_low", "share deployed on the UN expert's date", "share", high="statement_share_high",
           when="statement_date"),
    Figure("statement_held", "the UN expert's \"less than a quarter\" held", "flag"),
    Figure("population", "population"),
    Figure("newest_figure", "newest figure in the data", "date"),
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


def shown(figs: Mapping[str, Any], fig: Figure) -> str | None:
    """The figure as a reader sees it ('more than 1,400,000', '40.0%–48.0%'), None when not recorded."""
    value = figs.get(fig.key)
    if value is None:
        return None
    if fig.kind == "verdicts":
        return tally(value) if isinstance(value, list) else fmt(value)
    if fig.kind == "flag":
        return "yes" if value is True else "no" if value is False else fmt(value)
    if fig.kind == "items":
        return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}" if isinstance(value, list) else fmt(value)
    one = pct if fig.kind == "share" else fmt
    low, high = bounds(figs, fig)
    text = one(low) if low == high else f"{one(low)}–{one(high)}"
    return QUALIFIERS.get(figs.get(fig.qualifier) if fig.qualifier else "", "") + text


def parameters_text(doc: Mapping[str, Any]) -> str:
    """'planned_strength = 5,550 (override), ...' from a figures.json document."""
    overrides = doc.get("overrides") or {}
    return ", ".join(f"{k} = {fmt(v)}{' (override)' if k in overrides else ''}"
                     for k, v in (doc.get("parameters") or {}).items() if v is not None) or "all defaults"


# ---------------------------------------------------------------- the index

def headline_items(figs: dict[str, Any]) -> list[tuple[str, str]]:
    """The figures a reader of the index wants, in words; the full set stays in figures.json."""
    items: list[tuple[str, str]] = []
    used = {"as_of", "planned_strength", "population", "newest_figure"}
    for fig in FIGURES:
        text = shown(figs, fig) if fig.headline else None
        if text is not None:
            when = f" ({figs[fig.when]})" if fig.when and figs.get(fig.when) else ""
            items.append((fig.label + when, text))
            used |= fig.keys()
    if len(items) <= 1:  # a notebook with one headline or none: show its other plain figures too
        known = {fig.key: fig for fig in FIGURES}
        parts = set().union(*(fig.keys() - {fig.key} for fig in FIGURES))   # a range's high end, a qualifier
        for key, value in figs.items():
            if key in used or key in parts or value is None or isinstance(value, (list, dict)):
                continue
            items.append((known[key].label, shown(figs, known[key]) or fmt(value)) if key in known
                         else (key.replace("_", " "), fmt(value)))
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
