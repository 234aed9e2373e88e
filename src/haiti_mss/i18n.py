"""Translations: gettext catalogs in src/haiti_mss/locale/, English as the source language.

    tr = translator("fr")
    tr.gettext("Sources")                          # 'Sources'
    tr.ngettext("{n} day", "{n} days", 3)          # '{n} jours'
    tr.pgettext("verdict", "supported")            # 'confirmée'

The French text lives in locale/fr/LC_MESSAGES/haiti_mss.po (edited by people, committed). `make setup`
compiles it to haiti_mss.mo next to it (not committed); a process that finds the .mo missing or older
than the .po compiles the .po in memory instead, so a report never shows stale text. English needs no
catalog: its translator returns every message unchanged. Numbers and dates are formatted by
haiti_mss.text with Babel's CLDR data for the same language.

Marking: code calls tr.gettext(...) etc. directly where a translator is at hand; a message defined
before one is (a constant, a label) is marked with N_() or NP_() so `make i18n-extract` finds it, and
translated where it is shown.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from . import parameters

DOMAIN = "haiti_mss"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark a message for extraction; translate it later with tr.gettext(message)."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark a message with a context for extraction; translate it later with tr.pgettext(context, message)."""
    return message


def languages() -> tuple[str, ...]:
    """The languages a report can be written in (the allowed values of the `language` parameter)."""
    return parameters.PARAMETERS["language"].choices


def checked(language: str | None) -> str:
    """The language code, checked like every parameter (None: the default, English)."""
    return parameters.coerce("language", language) or parameters.PARAMETERS["language"].default


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalog(po_path: Path, language: str) -> bytes:
    """The .mo bytes of a .po file (fuzzy entries left out, as `pybabel compile` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_path, "rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _compiled(language: str) -> bytes:
    po = catalog_path(language)
    if not po.is_file():
        raise FileNotFoundError(f"language {language!r} has no catalog: expected {po} "
                                "(README, 'Adding a language')")
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo.read_bytes()
    return compile_catalog(po, language)  # missing or stale: never show text older than the .po


@functools.lru_cache(maxsize=None)
def translator(language: str | None = None) -> gettext.NullTranslations:
    """gettext, ngettext, pgettext and npgettext for a report language (None: the default, English).

    A wrong language raises haiti_mss.parameters.ParameterError (one line). English is the identity.
    """
    language = checked(language)
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(_compiled(language)))
