"""Format numbers and dates for prose, captions and tables (one style everywhere), in the report's language.

    text.num(1412199)              # '1,412,199'           the module functions write English
    fr = text.formatter("fr")      # the same functions for another language (ctx.text in a notebook)
    fr.num(1412199)                # '1 412 199'           (narrow no-break spaces, U+202F)
    fr.pct(0.4)                    # '40,0 %'              (no-break space, U+00A0, as CLDR writes it)
    fr.day("2026-03-21")           # '21 mars 2026'
    fr.quarter("2024-Q1")          # 'T1 2024'

A number is rounded once, the same way in every language, so every edition carries the same figures;
Babel's CLDR data for the language then writes it (separators, where the percent sign goes, month
names). The few words ("about", "n/a") and the date patterns come from the gettext catalog
(haiti_mss.i18n), so a translator can write "1er mars 2026" without a change here.
"""

from __future__ import annotations

import copy
import functools
import re
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, parse_pattern

from . import i18n
from .i18n import N_

# How a source hedges a figure -> the message that shows it (translated by the catalog).
QUALIFIERS = {
    "exact": "{value}",
    "about": N_("about {value}"),
    "more_than": N_("more than {value}"),
    "fewer_than": N_("fewer than {value}"),
    "rounded": N_("about {value}"),
    "up_to": N_("up to {value}"),
    None: "{value}",
}


def _missing(value: Any) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return True
    pd = sys.modules.get("pandas")  # pandas is imported lazily: the index page formats without it
    return pd is not None and (value is pd.NA or value is pd.NaT)


def _date(value: Any) -> date:
    """A date from a date, a datetime or pandas Timestamp, or an ISO string (pandas parses anything else)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    import pandas as pd

    return pd.Timestamp(value).date()


class Formatter:
    """num, pct, day, month, dated, span, qualified and quarter for one language."""

    def __init__(self, language: str | None = None):
        self.language = i18n.checked(language)  # a wrong one raises ParameterError
        self.translator = i18n.translator(self.language)
        self.locale = Locale.parse(self.language)

    def _(self, message: str, **values: Any) -> str:
        return self.translator.gettext(message).format(**values)

    def na(self) -> str:
        # TRANSLATORS: shown in place of a figure the data does not have.
        return self.translator.pgettext("missing value", "n/a")

    def num(self, value: Any) -> str:
        """1234567 -> '1,234,567'; missing -> 'n/a'."""
        if _missing(value):
            return self.na()
        return format_decimal(int(round(float(value))), locale=self.locale)

    def pct(self, share: Any, digits: int = 1) -> str:
        """0.1703 -> '17.0%'."""
        if _missing(share):
            return self.na()
        rounded = Decimal(f"{100 * float(share):.{digits}f}")  # the one rounding, whatever the language
        pattern = copy.copy(parse_pattern(self.locale.percent_formats[None]))  # a copy: Babel caches the original
        pattern.frac_prec = (digits, digits)
        # No grouping: 1234.5% has always been written so in English.
        return format_percent(rounded / 100, format=pattern, locale=self.locale, group_separator=False)

    def day(self, value: Any) -> str:
        """2024-09-20 -> '20 September 2024'."""
        if _missing(value):
            return self.na()
        day = _date(value)
        if day.day == 1:
            # TRANSLATORS: a CLDR date pattern (d day, MMMM month name, y year; 'quoted' text is kept as is).
            # French writes the first of a month "1er mars 2026": d'er' MMMM y
            pattern = self.translator.pgettext("date pattern, first day of a month", "d MMMM y")
        else:
            # TRANSLATORS: a CLDR date pattern (d day, MMMM month name, y year).
            pattern = self.translator.pgettext("date pattern", "d MMMM y")
        return format_date(day, pattern, locale=self.locale)

    def month(self, value: Any) -> str:
        """2024-09-20 -> 'September 2024'."""
        # TRANSLATORS: a CLDR date pattern for a month (MMMM month name, y year).
        return format_date(_date(value), self.translator.pgettext("month pattern", "MMMM y"),
                           locale=self.locale)

    def month_short(self, value: Any) -> str:
        """2022-09-01 -> 'Sep 2022' (CLDR's abbreviated month: 'sept. 2022' in French), for narrow table columns."""
        return format_date(_date(value), "MMM y", locale=self.locale)

    def dated(self, value: Any, precision: str | None) -> str:
        """A date at the precision the source gives it."""
        if precision == "month":
            return self.month(value)
        if precision == "year":
            return str(_date(value).year)
        if precision == "approximate":
            # TRANSLATORS: a date the source gives only approximately, e.g. "about 20 September 2024".
            return self._("about {date}", date=self.day(value))
        return self.day(value)

    def span(self, low: Any, high: Any, formatter: Callable[[Any], str] | None = None) -> str:
        """A value, or a range 'low–high' when the sources disagree."""
        formatter = formatter or self.num
        if low is None or high is None or low == high:
            return formatter(low if low is not None else high)
        # TRANSLATORS: a range of two figures the sources disagree on, e.g. "1,000–1,200".
        return self.translator.pgettext("range", "{low}–{high}").format(low=formatter(low), high=formatter(high))

    def qualified(self, value: Any, qualifier: str | None) -> str:
        """1400000, 'more_than' -> 'more than 1,400,000'."""
        return self._(QUALIFIERS.get(qualifier, "{value}"), value=self.num(value))

    def quarter(self, label: Any) -> str:
        """A quarter as the data labels it, '2024-Q1' -> '2024-Q1' (French 'T1 2024'); another label unchanged."""
        match = re.fullmatch(r"(\d{4})-Q([1-4])", str(label))
        if not match:
            return str(label)
        # TRANSLATORS: a calendar quarter, e.g. "2024-Q1" (French: "T1 2024").
        return self.translator.pgettext("quarter", "{year}-Q{quarter}").format(year=match[1], quarter=match[2])


@functools.lru_cache(maxsize=None)
def formatter(language: str | None = None) -> Formatter:
    """The formatter for a report language (None: English). A wrong language raises ParameterError."""
    return Formatter(language)


_english = formatter(i18n.SOURCE_LANGUAGE)
num = _english.num
pct = _english.pct
day = _english.day
month = _english.month
month_short = _english.month_short
dated = _english.dated
span = _english.span
qualified = _english.qualified
quarter = _english.quarter


def flat(label: Any) -> str:
    """'Round 11 (round number assumed)' -> 'Round 11 – round number assumed': a label that may go inside
    parentheses carries none of its own (generated text never nests parentheses)."""
    return re.sub(r"\s*\(([^()]*)\)", r" – \1", str(label))
