"""Format numbers and dates for prose, captions and tables (one style everywhere)."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "more_than": "more than ",
    "fewer_than": "fewer than ",
    "rounded": "about ",
    "up_to": "up to ",
    None: "",
}


def num(value: Any) -> str:
    """1234567 -> '1,234,567'; missing -> 'n/a'."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "n/a"
    return f"{int(round(float(value))):,}"


def pct(share: Any, digits: int = 1) -> str:
    """0.1703 -> '17.0%'."""
    if share is None or share is pd.NA or (isinstance(share, float) and share != share):
        return "n/a"
    return f"{100 * float(share):.{digits}f}%"


def day(value: Any) -> str:
    """2024-09-20 -> '20 September 2024'."""
    if value is None or value is pd.NaT:
        return "n/a"
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts.strftime('%B %Y')}"


def month(value: Any) -> str:
    ts = pd.Timestamp(value)
    return ts.strftime("%B %Y")


def dated(value: Any, precision: str | None) -> str:
    """A date at the precision the source gives it."""
    if precision == "month":
        return month(value)
    if precision == "year":
        return str(pd.Timestamp(value).year)
    if precision == "approximate":
        return "about " + day(value)
    return day(value)


def span(low: Any, high: Any, formatter=num) -> str:
    """A value, or a range 'low–high' when the sources disagree."""
    if low is None or high is None or low == high:
        return formatter(low if low is not None else high)
    return f"{formatter(low)}–{formatter(high)}"


def qualified(value: Any, qualifier: str | None) -> str:
    return QUALIFIER_WORDS.get(qualifier, "") + num(value)



def flat(label: Any) -> str:
    """'Round 11 (round number assumed)' -> 'Round 11 – round number assumed': a label that may go inside
    parentheses carries none of its own (generated text never nests parentheses)."""
    return re.sub(r"\s*\(([^()]*)\)", r" – \1", str(label))
