"""The report's languages: the `language` parameter, the gettext catalogs, French formatting (Babel/CLDR),
and English output unchanged.

Expected strings are written out by hand. French typography uses two invisible characters, named here:
NNBSP (U+202F, narrow no-break space: thousands, before ; ! ?) and NBSP (U+00A0, no-break space: before
% as CLDR writes it, before :, inside « »).
"""

import ast
import re
import subprocess
import sys
from datetime import date

import nbformat
import pandas as pd
import pytest
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from haiti_mss import build, claims, cli, i18n, manifest, notebook, parameters, paths, text
from haiti_mss.parameters import ParameterError

from datafixtures import tables  # noqa: F401  (fixture)

NNBSP, NBSP = "\u202f", "\u00a0"
OTHER_LANGUAGES = [lang for lang in i18n.languages() if lang != i18n.SOURCE_LANGUAGE]


def catalog(language):
    with open(i18n.catalog_path(language), "rb") as handle:
        return read_po(handle, locale=language, domain=i18n.DOMAIN)


def messages(cat):
    return [m for m in cat if m.id]


def strings(message):
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def msgids(message):
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


# ---------------------------------------------------------------- the parameter

def test_language_is_declared_with_the_others():
    param = parameters.PARAMETERS["language"]
    assert param.choices == ("en", "fr") and param.default == "en"
    row = next(r for r in parameters.describe() if r["name"] == "language")
    assert row == {"name": "language", "type": "choice", "default": "en (English)", "allowed": "one of 'en', 'fr'",
                   "doc": "The report's language: en (English) or fr (French; for now the brief only)."}


@pytest.mark.parametrize("value, expected", [("fr", "fr"), ("en", "en"), (" fr ", "fr"), (None, None), ("", None)])
def test_good_languages(value, expected):
    assert parameters.coerce("language", value) == expected


@pytest.mark.parametrize("value", ["de", "FR", "fr_HT", "french", 5, True, ["fr"]])
def test_a_wrong_language_is_one_line_naming_it(value):
    with pytest.raises(ParameterError) as err:
        parameters.coerce("language", value)
    assert str(err.value) == f"parameter 'language': got {value!r}; expected one of 'en', 'fr'"
    with pytest.raises(ParameterError, match="^parameter 'language': got 'de'"):
        i18n.translator("de")


def test_language_override_and_default(tables):  # noqa: F811
    assert parameters.parse_override("language=fr") == ("language", "fr")
    newest, earliest = pd.Timestamp("2026-01-26"), pd.Timestamp("2023-10-02")
    assert parameters.resolve({}, tables, newest, earliest, date(2026, 11, 26))["language"] == "en"
    assert parameters.resolve({"language": "fr"}, tables, newest, earliest, date(2026, 11, 26))["language"] == "fr"


def test_make_params_lists_the_language(capsys):
    assert cli.main(["params"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("language "))
    assert "choice" in line and "one of 'en', 'fr'" in line and "en (English)" in line


def test_every_notebook_declares_and_passes_every_parameter_it_reads():
    assert manifest.parameters_read("00_brief") == list(parameters.PARAMETERS)
    assert "language" not in manifest.parameters_read("01_deployment")  # the detailed reports are English for now
    for name in manifest.NOTEBOOKS:
        read = manifest.parameters_read(name)
        nb = nbformat.read(paths.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
        cell, = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assigned = {t.id: n.value.value for n in ast.parse(cell.source).body for t in n.targets}
        assert assigned == {p: None for p in read}, name
        calls = [n for c in nb.cells if c.cell_type == "code" for n in ast.walk(ast.parse(c.source))
                 if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "start"]
        assert len(calls) == 1, name
        assert {k.arg: k.value.id for k in calls[0].keywords} == {p: p for p in read}, name


def test_the_french_variant():
    variant = build.load_variant(paths.PARAMS_DIR / "latest-fr.yaml")
    assert parameters.check(variant.parameters) == {"language": "fr"}
    assert variant.title == f"La MMAS en Haïti{NBSP}: les derniers chiffres (en français)"


# ---------------------------------------------------------------- the catalogs

def test_a_catalog_for_every_language_and_no_other():
    found = {p.parent.parent.name for p in i18n.LOCALE_DIR.glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.po")}
    assert found == set(OTHER_LANGUAGES) == {"fr"}


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_catalog_is_complete_and_not_fuzzy(language):
    cat = catalog(language)
    assert len(messages(cat)) >= 29
    untranslated = [m.id for m in messages(cat) if not all(strings(m))]
    fuzzy = [m.id for m in messages(cat) if m.fuzzy]
    assert untranslated == [] and fuzzy == []
    assert not cat.fuzzy  # the header too: pybabel compile would skip a fuzzy catalog
    assert [(m.id, errors) for m, errors in cat.check()] == []  # plural forms, %-formats


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_translations_keep_the_placeholders(language):
    """A translation that drops or renames {value} would raise KeyError when the report fills it in."""
    for m in messages(catalog(language)):
        wanted = set(re.findall(r"\{(\w*)\}", msgids(m)[-1]))
        for s in strings(m):
            assert set(re.findall(r"\{(\w*)\}", s)) == wanted, (m.id, s)


def test_french_catalog_typography():
    for m in messages(catalog("fr")):
        pattern = (m.context or "").endswith("pattern") or "pattern," in (m.context or "")
        for s in strings(m):
            assert not re.search(r" [;:!?»]|« ", s), (m.id, s)         # only no-break spaces there
            assert pattern or "'" not in s, (m.id, s)                  # ’, except CLDR pattern quotes
            assert not re.search(r"\d,\d{3}", s), (m.id, s)


def test_template_and_catalogs_follow_the_code(tmp_path):
    """`make i18n-update` was run: the .pot holds exactly the messages in the code and templates, and every
    language's .po exactly those of the .pot."""
    pot = tmp_path / "fresh.pot"
    # The same command as `make i18n-extract`.
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "NP_:1c,2",
                    "-c", "TRANSLATORS:", "-o", str(pot), "."], cwd=paths.ROOT, check=True, capture_output=True)

    def keys(path):
        with open(path, "rb") as handle:
            return {(m.context, tuple(msgids(m))) for m in read_po(handle) if m.id}

    fresh = keys(pot)
    assert ("verdict", ("supported",)) in fresh and ("missing value", ("n/a",)) in fresh
    assert keys(i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot") == fresh, "run `make i18n-update` and translate"
    for language in OTHER_LANGUAGES:
        assert keys(i18n.catalog_path(language)) == fresh, f"{language}: run `make i18n-update` and translate"


def test_english_is_the_identity_and_french_translates():
    en, fr = i18n.translator("en"), i18n.translator("fr")
    assert en.pgettext("verdict", claims.NOT_CHECKABLE) == "not checkable with this data"
    assert [fr.pgettext("verdict", v) for v in claims.VERDICTS] == [
        "confirmée", "confirmée, avec une réserve", "inexacte", "non étayée", "invérifiable avec ces données"]
    assert i18n.translator(None).gettext("x") == "x"
    # French plural: 0 and 1 are singular; the CLDR 'many' form (1 000 000) is the third.
    forms = [fr.npgettext("source line", "; and {n} more", "; and {n} more", n) for n in (0, 1, 2, 1_000_000)]
    assert forms == [f"{NNBSP}; et {{n}} autre", f"{NNBSP}; et {{n}} autre", f"{NNBSP}; et {{n}} autres",
                     f"{NNBSP}; et {{n}} autres"]


def test_a_stale_or_missing_mo_is_compiled_from_the_po(tmp_path, monkeypatch):
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "haiti_mss.po"
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "n/a"\nmsgstr "rien"\n',
                  encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert b"rien" in i18n._compiled("fr")                        # no .mo: compiled in memory
    mo = po.with_suffix(".mo")
    mo.write_bytes(i18n.compile_catalog(po, "fr").replace(b"rien", b"RIEN"))
    assert b"RIEN" in i18n._compiled("fr")                        # a .mo newer than the .po is used
    po.write_text(po.read_text().replace("rien", "nada"))
    old = mo.stat().st_mtime - 10
    import os
    os.utime(mo, (old, old))
    assert b"nada" in i18n._compiled("fr")                        # older than the .po: never used
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="language 'fr' has no catalog"):
        i18n._compiled("fr")


# ---------------------------------------------------------------- French formatting (CLDR via Babel)

def test_french_numbers_percentages_and_dates():
    fr = text.formatter("fr")
    assert fr.num(1412199) == f"1{NNBSP}412{NNBSP}199"
    assert fr.num(1412198.5) == f"1{NNBSP}412{NNBSP}198"             # rounded like English (half to even)
    assert fr.num(999) == "999" and fr.num(-1234) == f"-1{NNBSP}234"
    assert fr.pct(0.4) == f"40,0{NBSP}%"
    assert fr.pct(426 / 2500) == f"17,0{NBSP}%"                       # 426 / 2500 = 0.1704
    assert fr.pct(1000 / 2500, 0) == f"40{NBSP}%"
    assert fr.pct(0.5625, 2) == f"56,25{NBSP}%"
    assert fr.day("2026-03-21") == "21 mars 2026"
    assert fr.day(pd.Timestamp("2026-03-01")) == "1er mars 2026"
    assert fr.month("2026-03-21") == "mars 2026" and fr.month("2024-08-15") == "août 2024"
    assert fr.dated("2023-10-01", "month") == "octobre 2023"
    assert fr.dated("2024-09-20", "year") == "2024"
    assert fr.dated("2024-09-20", "approximate") == "vers le 20 septembre 2024"
    assert fr.span(1000, 1200) == f"1{NNBSP}000–1{NNBSP}200"
    assert fr.span(800 / 2500, 900 / 2500, fr.pct) == f"32,0{NBSP}%–36,0{NBSP}%"
    assert fr.span(None, 744) == "744"
    assert fr.qualified(1400000, "more_than") == f"plus de 1{NNBSP}400{NNBSP}000"
    assert fr.qualified(1041000, "rounded") == f"environ 1{NNBSP}041{NNBSP}000"
    assert fr.qualified(200, "exact") == "200" and fr.qualified(200, None) == "200"
    assert fr.num(None) == fr.pct(float("nan")) == fr.day(pd.NaT) == "n.d."


def test_a_wrong_language_for_the_formatter():
    with pytest.raises(ParameterError, match="^parameter 'language': got 'ht'; expected one of 'en', 'fr'$"):
        text.formatter("ht")


# ---------------------------------------------------------------- English unchanged

def test_english_output_pinned():
    assert text.num(1412199) == "1,412,199" and text.num(None) == "n/a"
    assert text.pct(426 / 2500) == "17.0%" and text.pct(0.4, 0) == "40%" and text.pct(12.345) == "1234.5%"
    assert text.day("2026-03-21") == "21 March 2026" and text.day("2026-03-01") == "1 March 2026"
    assert text.month("2024-09-20") == "September 2024"
    assert text.dated("2024-09-20", "approximate") == "about 20 September 2024"
    assert text.span(1000, 1200) == "1,000–1,200" and text.span(0.32, 0.36, text.pct) == "32.0%–36.0%"
    assert text.qualified(1400000, "more_than") == "more than 1,400,000"
    assert text.qualified(1041000, "rounded") == "about 1,041,000"
    assert text.formatter("en").num(5) == text.formatter(None).num(5) == "5"


# The English formatters as they were before the translation machinery (commit 3db33ae), verbatim.
def _old_num(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "n/a"
    return f"{int(round(float(value))):,}"


def _old_pct(share, digits=1):
    if share is None or share is pd.NA or (isinstance(share, float) and share != share):
        return "n/a"
    return f"{100 * float(share):.{digits}f}%"


def _old_day(value):
    if value is None or value is pd.NaT:
        return "n/a"
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts.strftime('%B %Y')}"


_OLD_QUALIFIERS = {"exact": "", "about": "about ", "more_than": "more than ", "fewer_than": "fewer than ",
                   "rounded": "about ", "up_to": "up to ", None: ""}

numbers = st.one_of(st.none(), st.just(float("nan")), st.integers(-10**12, 10**12),
                    st.floats(min_value=-1e12, max_value=1e12), st.floats(min_value=-2, max_value=2))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(value=numbers, digits=st.integers(0, 3), qualifier=st.sampled_from([*_OLD_QUALIFIERS, "unknown"]))
def test_english_numbers_unchanged(value, digits, qualifier):
    assert text.num(value) == _old_num(value)
    assert text.pct(value, digits) == _old_pct(value, digits)
    if value is not None:
        assert text.qualified(value, qualifier) == _OLD_QUALIFIERS.get(qualifier, "") + _old_num(value)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_english_dates_unchanged(day):
    assert text.day(day) == _old_day(day)
    assert text.month(day) == pd.Timestamp(day).strftime("%B %Y")
    assert text.dated(day, "approximate") == "about " + _old_day(day)


# ---------------------------------------------------------------- notebook.py's words, both languages

def context(language, tables=None, newest="2026-03-21"):  # noqa: F811
    return notebook.Context("00_brief", {"language": language}, tables or {}, pd.Timestamp(newest))


def test_vintage_note_in_both_languages():
    # 21 March to 27 November 2026: 10 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 27 = 251 days
    assert notebook.vintage_note(context("en"), today=date(2026, 11, 27)) == (
        "The newest figure in the data is dated 21 March 2026, 251 days before this report was built "
        "(27 November 2026). Later developments are not covered.")
    assert notebook.vintage_note(context("fr"), today=date(2026, 11, 27)) == (
        "Le chiffre le plus récent des données date du 21 mars 2026, soit 251 jours avant la production de ce "
        "rapport (27 novembre 2026). Les développements ultérieurs ne sont pas pris en compte.")
    assert "1 jour avant" in notebook.vintage_note(context("fr", newest="2026-03-01"), today=date(2026, 3, 2))
    assert "du 1er mars 2026" in notebook.vintage_note(context("fr", newest="2026-03-01"), today=date(2026, 3, 2))
    assert ", 1 day before" in notebook.vintage_note(context("en", newest="2026-03-01"), today=date(2026, 3, 2))


SOME_SOURCES = ["ap-manilabulletin-2024-09-13", "article-2024-09-22", "reuters-tvcnews-2025-01",
                "ap-kenyagossipclub-2024-02-01", "unpress-sc15432", "unscr-2699", "unscr-2751"]


def test_source_line_in_both_languages(tables):  # noqa: F811
    rows = pd.DataFrame({"source_id": SOME_SOURCES})
    assert notebook.source_line(context("en", tables), rows) == (
        "AP via Manila Bulletin; News article (publisher not recorded); Reuters via TVC News; AP via kenyagossipclub.com; "
        "United Nations (Meetings Coverage and Press Releases); and 1 more (full list under Sources). "
        "Compiled in this project's data/.")
    assert notebook.source_line(context("fr", tables), rows) == (
        f"AP via Manila Bulletin{NNBSP}; News article (publisher not recorded){NNBSP}; Reuters via TVC News{NNBSP}; "
        f"AP via kenyagossipclub.com{NNBSP}; United Nations (Meetings Coverage and Press Releases){NNBSP}; et 1 autre "
        "(liste complète dans la section Sources). Données compilées dans le dossier data/ de ce projet.")


def test_sources_section_in_french(tables, monkeypatch):  # noqa: F811
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    notebook.sources_section(context("fr", tables), set(SOME_SOURCES[:5]))
    page, = shown
    assert "<tr><th>id</th><th>éditeur</th><th>titre</th><th>publication</th><th>lien</th></tr>" in page
    assert "<td>Manila Bulletin (via AP)</td>" in page and "<td>13 septembre 2024</td>" in page
    assert "<td>janvier 2025</td>" in page and "<td>1er février 2024</td>" in page
    assert '<td class="url">sans URL</td>' in page and "<td>sans date</td>" in page
    shown.clear()
    notebook.sources_section(context("en", tables), set(SOME_SOURCES[:5]))
    assert "<tr><th>id</th><th>publisher</th><th>title</th><th>published</th><th>link</th></tr>" in shown[0]
    assert "<td>Manila Bulletin (via AP)</td>" in shown[0] and "<td>1 February 2024</td>" in shown[0]
    assert '<td class="url">no URL</td>' in shown[0] and "<td>undated</td>" in shown[0]


# ---------------------------------------------------------------- the claims in French

def test_every_claim_has_a_french_translation(tables):  # noqa: F811
    c = tables["claims"].set_index("claim_id")
    assert c["claim_fr"].notna().all() and (c["claim_fr"] != c["claim"]).all()
    assert c.loc["displaced-580k", "claim_fr"] == f"580{NNBSP}000 déplacés"
    assert c.loc["authorized-oct-2023", "claim_fr"].startswith("La MMAS, autorisée par le Conseil de sécurité")
    for value in c["claim_fr"]:
        assert not re.search(r"\d,\d{3}|'| [;:!?»]|« ", value), value


# ---------------------------------------------------------------- end to end: the language reaches the notebook

@pytest.mark.notebooks
def test_the_brief_runs_in_french_with_the_same_figures(tmp_path, tables):  # noqa: F811
    import papermill as pm

    from haiti_mss import figures

    out = tmp_path / "00_brief-fr.ipynb"
    pm.execute_notebook(str(paths.NOTEBOOKS_DIR / "00_brief.ipynb"), str(out), parameters={"language": "fr"},
                        kernel_name="python3", progress_bar=False, cwd=str(paths.NOTEBOOKS_DIR))
    nb = nbformat.read(out, as_version=4)
    found = figures.extract(nb)
    page = "\n".join(o.get("data", {}).get("text/markdown", "") + o.get("data", {}).get("text/html", "")
                     for c in nb.cells for o in c.get("outputs", []))
    assert "Le chiffre le plus récent des données date du " in page and "<th>éditeur</th>" in page
    # The verdicts and their figures do not depend on the language (the English ones, computed here).
    english = claims.check_claims(tables, found["planned_strength"], found["as_of"])
    assert [(c["id"], c["verdict"]) for c in found["claims"]] == [(v.claim_id, v.verdict) for v in english]
    assert len(english) == 10
    assert found["planned_strength"] == 2500 and found["as_of"] == found["newest_figure"]
