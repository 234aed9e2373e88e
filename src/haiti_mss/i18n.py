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
translated where it is shown. Notebooks call the translator too (md(tr.gettext("..."))): babel.cfg
extracts their code cells with extract_notebook below.
"""

from __future__ import annotations

import functools
import gettext
import io
import json
from pathlib import Path
from typing import IO, Any, Iterator

from . import parameters
from .marks import N_, NP_  # noqa: F401 (re-exported: haiti_mss.i18n.N_ is how the code marks messages)

DOMAIN = "haiti_mss"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"


# Each language's name, to say in which language a report is (translated by the catalog: "anglais").
LANGUAGE_NAMES = {"en": NP_("language name", "English"), "fr": NP_("language name", "French")}


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


def extract_notebook(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict) -> Iterator[tuple]:
    """Babel extraction method for .ipynb files (babel.cfg, `[extractors]`): the messages of every code cell,
    found as in a .py file, with line numbers counted through the notebook's cells."""
    from babel.messages.extract import extract_python

    offset = 0
    for cell in json.loads(fileobj.read().decode("utf-8")).get("cells", []):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if cell.get("cell_type") == "code":
            for lineno, funcname, message, comments in extract_python(io.BytesIO(source.encode("utf-8")), keywords,
                                                                      comment_tags, options):
                yield lineno + offset, funcname, message, comments
        offset += source.count("\n") + 1
