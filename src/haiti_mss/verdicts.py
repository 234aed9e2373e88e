"""A claim's verdict: the five words, the same in every language in figures.json, and how a report says them.

    tr.pgettext("verdict", SUPPORTED)          # 'confirmée' in French
    tally(tr, fmt, ["supported", "supported", "misstated"])   # '2 supported, 1 misstated'

No pandas here: the index page counts verdicts too, and stays quick to build.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from .i18n import NP_

# TRANSLATORS: a claim's verdict; in French it qualifies "l'affirmation" (feminine).
SUPPORTED = NP_("verdict", "supported")
CAVEAT = NP_("verdict", "supported with a caveat")
MISSTATED = NP_("verdict", "misstated")
NOT_SUPPORTED = NP_("verdict", "not supported")
NOT_CHECKABLE = NP_("verdict", "not checkable with this data")
VERDICTS = (SUPPORTED, CAVEAT, MISSTATED, NOT_SUPPORTED, NOT_CHECKABLE)

# One message per verdict with its count, singular and plural (French adjectives agree: "1 confirmée", "3 confirmées").
COUNTED = {
    SUPPORTED: lambda tr, n: tr.npgettext("tally", "{n} supported", "{n} supported", n),
    CAVEAT: lambda tr, n: tr.npgettext("tally", "{n} supported with a caveat", "{n} supported with a caveat", n),
    MISSTATED: lambda tr, n: tr.npgettext("tally", "{n} misstated", "{n} misstated", n),
    NOT_SUPPORTED: lambda tr, n: tr.npgettext("tally", "{n} not supported", "{n} not supported", n),
    NOT_CHECKABLE: lambda tr, n: tr.npgettext("tally", "{n} not checkable with this data", "{n} not checkable with this data", n),
}


def tally(tr: Any, fmt: Any, verdicts: Iterable[str]) -> str:
    """'4 supported with a caveat, 3 supported, ...': each verdict counted, most frequent first (ties in the
    order of VERDICTS); a word outside VERDICTS is shown as it is."""
    counts = Counter(verdicts)
    order = sorted(counts, key=lambda v: (-counts[v], VERDICTS.index(v) if v in VERDICTS else len(VERDICTS), v))
    return ", ".join(COUNTED[v](tr, counts[v]).format(n=fmt.num(counts[v])) if v in COUNTED else f"{fmt.num(counts[v])} {v}"
                     for v in order)
