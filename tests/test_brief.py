"""The brief in French and English (issue 9 §4) and at the edges of the parameter space (issue 10 §1).

The two briefs of `latest` and `latest-fr` are built once from one copy of data/ (papermill, nbconvert,
WeasyPrint): the French one carries the same figures and verdicts, no sentence of the English one, and
French numbers in its PDF. The edge tests run the brief in process (tests/inprocess.py) at the dates
where something starts, in both languages, with sentences written out by hand from data/.

French typography uses two invisible characters, named here: NNBSP (U+202F, narrow no-break space:
thousands, before ;) and NBSP (U+00A0, no-break space: before % as CLDR writes it, before :, inside « »).
"""

from __future__ import annotations

import io
import json
import re
import shlex
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

import inprocess
from datafixtures import tables  # noqa: F401  (fixture)
from haiti_mss import chart_data, claims, data, manifest, notebook, page_context, parameters, paths
from haiti_mss.build import BuildError, Hasher, build, headlines, load_variant, render_index
from haiti_mss.build.pipeline import plan_jobs
from haiti_mss.build.variants import plan_targets

NNBSP, NBSP = "\u202f", "\u00a0"
BRIEF = "00_brief"


@pytest.fixture(autouse=True)
def english_charts_afterwards():
    """A French brief run in process leaves its language (and sources) with chart_data; later tests in this
    process that draw a chart outside a notebook expect neither."""
    yield
    chart_data.use_sources(None)


# ---------------------------------------------------------------- the two briefs, built once

@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """reports/latest and reports/latest-fr, the brief of each, from one copy of data/."""
    root = tmp_path_factory.mktemp("brief")
    shutil.copytree(paths.DATA_DIR, root / "data")
    (root / "params").mkdir()
    for name in ("latest", "latest-fr"):
        doc = yaml.safe_load((paths.PARAMS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        doc["parameters"] = {**(doc.get("parameters") or {}), "data_dir": str(root / "data")}
        (root / "params" / f"{name}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    reports = root / "reports"
    result = build(["latest", "latest-fr"], reports_dir=reports, params_dir=root / "params", notebooks=[BRIEF],
                   jobs=2, echo=lambda line: None)
    assert result.exit_code == 0, [r.line() for r in result.results]
    return {"root": root, "reports": reports, "en": reports / "latest", "fr": reports / "latest-fr"}


def figures_of(folder: Path) -> dict:
    return json.loads((folder / "figures.json").read_text(encoding="utf-8"))


def numbers(text: str, language: str) -> list[float]:
    """Every number written in a text, read the way its language writes them, sorted."""
    if language == "fr":
        text = text.replace(NNBSP, "").replace(",", ".")
    else:
        text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return sorted(float(n) for n in re.findall(r"\d+(?:\.\d+)?", text))


def test_french_figures_equal_the_english_ones(pair):
    en, fr = figures_of(pair["en"]), figures_of(pair["fr"])
    assert en["parameters"]["language"] == "en" and fr["parameters"]["language"] == "fr"   # recorded, never null
    assert {k: v for k, v in en["parameters"].items() if k != "language"} == \
           {k: v for k, v in fr["parameters"].items() if k != "language"}
    a, b = en[BRIEF], fr[BRIEF]
    assert set(a) == set(b)
    for key in a:
        if key == "claims":
            continue
        if key == "funding_sentence":   # prose: the same numbers in other words
            assert numbers(a[key], "en") == numbers(b[key], "fr"), (a[key], b[key])
        else:
            assert a[key] == b[key], key
    for x, y in zip(a["claims"], b["claims"], strict=True):
        assert (x["id"], x["verdict"]) == (y["id"], y["verdict"])   # verdicts keep their English keys
        assert numbers(x["finding"], "en") == numbers(y["finding"], "fr"), (x["finding"], y["finding"])
        for e, f in zip(x["evidence"], y["evidence"], strict=True):
            assert (e["source_ids"], e["row_ids"]) == (f["source_ids"], f["row_ids"])
            assert numbers(e["label"] + " " + e["value"], "en") == numbers(f["label"] + " " + f["value"], "fr"), (e, f)
    # By hand from data/ on 21 March 2026: strength reports 1,000 and 1,200 against the plan of 2,500; Round 11
    # counted 1,412,199; BINUH's 2025 quarters 1,617 + 1,520 + 1,247 + 1,523 = 5,907 killed, three "more than".
    assert (b["deployed_low"], b["deployed_high"], b["deployed_share_low"], b["deployed_share_high"]) == (1000, 1200, 0.4, 0.48)
    assert (b["idps_latest"], b["killed_last_four_quarters"], b["killed_last_four_quarters_qualifier"]) == (1412199, 5907, "more_than")
    assert [c["verdict"] for c in b["claims"]].count(claims.CAVEAT) == 4


# ---------------------------------------------------------------- the French page has no English sentence

ENGLISH_WORDS = {"the", "of", "and", "is", "in", "to", "was", "were", "by", "on", "for", "with", "a", "an", "are",
                 "has", "had", "this", "that", "not", "from", "at", "its", "their"}
BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "dt", "dd", "caption", "div", "br", "tr", "nav", "section", "header"}


class Words(HTMLParser):
    """The text a reader gets, block by block, without what is marked as another language than the page's
    (collected apart, in `foreign`) and without the body of the Sources table (publishers and titles are the
    sources' own words)."""

    VOID = {"br", "img", "meta", "link", "hr", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang, self.blocks, self.foreign = None, [[]], []
        self._stack: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = attrs.get("lang")
            return
        if tag in BLOCKS:
            self.blocks.append([])
        if tag in self.VOID:
            return
        kinds = {k for _, k in self._stack}
        kind = None
        if tag in ("style", "script") or "skip" in kinds or (tag == "tbody" and "sources" in kinds):
            kind = "skip"
        elif tag == "div" and "sources" in (attrs.get("class") or "").split():
            kind = "sources"
        elif attrs.get("lang") not in (None, self.page_lang) and "foreign" not in kinds:
            kind = "foreign"
            self.foreign.append([])
        self._stack.append((tag, kind))

    def handle_endtag(self, tag):
        if tag in [t for t, _ in self._stack]:
            while self._stack.pop()[0] != tag:
                pass
        if tag in BLOCKS:
            self.blocks.append([])

    def handle_data(self, text):
        kinds = {k for _, k in self._stack}
        if "skip" in kinds:
            return
        (self.foreign[-1] if "foreign" in kinds else self.blocks[-1]).append(text)

    def text(self) -> str:
        return " ".join(" ".join("".join(b).split()) for b in self.blocks if "".join(b).strip())

    def sentences(self) -> set[str]:
        out = set()
        for block in self.blocks:
            for sentence in re.split(r"(?<=[.;:!?])\s+|\s+·\s+|\s+—\s+", " ".join("".join(block).split())):
                words = [w for w in (t.strip(",.;:()“”\"") for t in sentence.split()) if re.fullmatch(r"[A-Za-z']+", w)]
                if len(words) >= 3 and ENGLISH_WORDS & {w.lower() for w in words}:
                    out.add(sentence.strip())
        return out


def read(page: Path) -> Words:
    words = Words()
    words.feed(page.read_text(encoding="utf-8"))
    return words


def test_no_english_sentence_in_the_french_page(pair):
    english, french = read(pair["en"] / f"{BRIEF}.html"), read(pair["fr"] / f"{BRIEF}.html")
    assert (english.page_lang, french.page_lang) == ("en", "fr")
    sentences = english.sentences()
    assert len(sentences) > 60 and "The verdict is computed by a written rule (see src/haiti_mss/claims.py), one of:" in sentences
    text = french.text()
    assert [s for s in sentences if s in text] == []
    # What stays in English is marked so: the article's title and claims, and the UN expert's words, quoted
    foreign = {"".join(f).strip() for f in french.foreign}
    quoted = {f"«{NBSP}{c}{NBSP}»" for c in pd.read_csv(paths.DATA_DIR / "claims.csv")["claim"]}
    assert quoted <= foreign
    assert foreign - quoted == {
        f"«{NBSP}President William Ruto has visited Haiti to assess the progress and future of an 'anti-gang' operation{NBSP}»",
        f"«{NBSP}less than a quarter of promised troops have deployed{NBSP}»"}


def test_the_french_page_and_its_appendix(pair):
    page = (pair["fr"] / f"{BRIEF}.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>\n\n<html lang=\"fr\">")
    for words in ("<h2 id=\"about-this-report\">À propos de ce rapport</h2>", ">Paramètres utilisés</p>",
                  '<nav class="toc box" aria-label="Sommaire">', f"Chiffres au <strong>21 mars 2026</strong>",
                  "<td>dtm_rounds</td><td>14 octobre 2025</td>",                 # data vintage, dates in French
                  f"<td>planned_strength</td><td>2{NNBSP}500</td><td>par défaut</td>",
                  "<td>language</td><td>fr</td><td>variante latest-fr</td>",
                  "<kbd>make report VARIANT=latest-fr</kbd>",
                  "<th>affirmation</th><th>verdict</th><th>ce que disent les données</th><th>éléments [id de la source]</th>",
                  f"<strong>Bilan{NBSP}:</strong> 4 confirmées avec réserve, 3 confirmées, 2 non étayées, 1 inexacte."):
        assert words in page, words
    english = (pair["en"] / f"{BRIEF}.html").read_text(encoding="utf-8")
    assert english.startswith("<!DOCTYPE html>\n\n<html lang=\"en\">") and "About this report" in english
    assert "<strong>Tally:</strong> 4 supported with a caveat, 3 supported, 2 not supported, 1 misstated." in english


def test_numbers_in_the_french_pdf_are_french(pair):
    import pikepdf
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO((pair["fr"] / f"{BRIEF}.pdf").read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    # Round 11: 1,412,199 displaced; 1,000 / 2,500 = 40.0% deployed; as of 21 March 2026; the trust fund's
    # US$113 million against about US$800 million a year: 113 / 800 = 14.1%; 2,500 - 1,200 = 1,300 missing
    assert f"1{NNBSP}412{NNBSP}199" in text and f"40,0{NBSP}%" in text and "21 mars 2026" in text
    assert f"14,1{NBSP}%" in text and "113 millions de dollars US" in text and f"1{NNBSP}300" in text
    assert "1,412,199" not in text and "40.0%" not in text and "14.1%" not in text and "March" not in text
    with pikepdf.open(pair["fr"] / f"{BRIEF}.pdf") as pdf:
        assert str(pdf.Root.Lang) == "fr"
    with pikepdf.open(pair["en"] / f"{BRIEF}.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en"


# ---------------------------------------------------------------- the build: variants, keys, index

def test_latest_fr_builds_the_brief_only(pair):
    variant = load_variant(paths.PARAMS_DIR / "latest-fr.yaml")
    assert variant.notebooks == (BRIEF,) and load_variant(paths.PARAMS_DIR / "latest.yaml").notebooks is None
    targets = plan_targets(["latest", "latest-fr"], None, None, pair["reports"], pair["root"] / "params")
    names = list(manifest.NOTEBOOKS)
    sources = {nb: paths.NOTEBOOKS_DIR / f"{nb}.ipynb" for nb in names}
    skipped, pending = plan_jobs(targets, names, sources, Hasher(), False, None, pair["reports"], False)
    assert [(r.variant, r.notebook) for r in skipped] == [("latest", BRIEF), ("latest-fr", BRIEF)]   # built above
    assert [(j.label, j.notebook) for _, j in pending] == [("latest", nb) for nb in names[1:]]      # not for latest-fr
    assert sorted(p.name for p in pair["fr"].iterdir() if not p.name.startswith(".")) == [
        "00_brief.html", "00_brief.ipynb", "00_brief.pdf", "figures.json"]


@pytest.mark.parametrize("notebooks, message", [
    ("00_brief", "'notebooks' must be a list of notebook names, e.g. [00_brief]; known: 00_brief, 01_deployment, "
                 "02_displacement, 03_violence"),
    ([], "'notebooks' must be a list of notebook names"),
    (["00_breif"], "unknown notebook '00_breif' in 'notebooks' (did you mean '00_brief'?); known: 00_brief, "),
    (["00_brief", "00_brief"], "a notebook is named twice in 'notebooks'"),
])
def test_a_bad_notebooks_key_is_one_line(tmp_path, notebooks, message):
    path = tmp_path / "params" / "v.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump({"title": "V", "notebooks": notebooks}), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        load_variant(path)
    assert str(err.value).startswith(f"params/v.yaml: {message}") and "\n" not in str(err.value)


def test_asking_latest_fr_for_a_detailed_report_is_one_line(pair):
    with pytest.raises(BuildError) as err:
        build(["latest-fr"], reports_dir=pair["reports"], params_dir=pair["root"] / "params", notebooks=["01_deployment"],
              echo=lambda line: None)
    assert str(err.value) == ("variant latest-fr builds only 00_brief (its notebooks: key), so there is nothing to "
                              "build for 01_deployment")


def test_editing_the_french_catalog_rebuilds_only_the_french_brief(pair, tmp_path, monkeypatch):
    """Cache keys: a report in French depends on the French .po, one in English on no catalog. Planned on a copy
    of the package whose .po gains a line (the build's own planning, nothing run)."""
    package = tmp_path / "haiti_mss"
    shutil.copytree(paths.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    targets = plan_targets(["latest", "latest-fr"], None, None, pair["reports"], pair["root"] / "params")
    sources = {BRIEF: paths.NOTEBOOKS_DIR / f"{BRIEF}.ipynb"}

    def pending():
        return [j.label for _, j in plan_jobs(targets, [BRIEF], sources, Hasher(), False, None, pair["reports"], False)[1]]

    assert pending() == []                      # the copy of the package is the package: both briefs up to date
    po = package / "locale" / "fr" / "LC_MESSAGES" / "haiti_mss.po"
    po.write_text(po.read_text(encoding="utf-8") + "\n# a translator's note\n", encoding="utf-8")
    assert pending() == ["latest-fr"]
    (package / "text.py").write_text((package / "text.py").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert pending() == ["latest", "latest-fr"]  # code: every report
    assert {"babel", "jinja2"} <= set(Hasher().tools())


def test_the_index_shows_latest_fr_in_french_beside_latest(pair):
    page = (pair["reports"] / "index.html").read_text(encoding="utf-8")
    assert page.index('<h2 id="latest">') < page.index('<section lang="fr"><h2 id="latest-fr">')
    fr = page[page.index('<section lang="fr">'):]
    for words in ("Dossier <code>latest-fr/</code> · variante <code>latest-fr</code>",
                  f"<li>déployés{NBSP}: <strong>1{NNBSP}000–1{NNBSP}200</strong></li>",
                  f"<li>part de l’effectif prévu{NBSP}: <strong>40,0{NBSP}%–48,0{NBSP}%</strong></li>",
                  f"<li>personnes déplacées (14 octobre 2025){NBSP}: <strong>1{NNBSP}412{NNBSP}199</strong></li>",
                  f"<li>tués, quatre derniers trimestres{NBSP}: <strong>plus de 5{NNBSP}907</strong></li>",
                  f"<li>fonds d’affectation spéciale, part du coût estimé d’une année{NBSP}: <strong>14,1{NBSP}%</strong></li>",
                  "<th>notebook</th><th>fichiers</th><th>chiffres clés</th>"):
        assert words in fr, words
    english = page[page.index('<h2 id="latest">'):page.index('<section lang="fr">')]
    assert "<li>deployed: <strong>1,000–1,200</strong></li>" in english and "language = en" in english


def test_headline_figures_in_the_report_language():
    """The index's words for the brief's figures: labels from the catalog, numbers and dates by the formatter.
    The trust fund's US$113,000,000 of about 9 December 2025 against a year's US$800,000,000 is
    113 / 800 = 0.14125, 14.1% (no date beside it: the fund's date is "about"); an amount in dollars is a
    whole number, never '8e+08'."""
    figs = {"as_of": "2026-03-21", "deployed_low": 1000, "deployed_high": 1200, "funding_share_low": 0.14125,
            "funding_share_high": 0.14125, "funding_figure_date": "2025-12-09", "funding_amount": 113_000_000,
            "funding_cost_per_year_low": 800000000.0, "funding_cost_per_year_high": 800000000.0,
            "funding_per_officer_low": 110675.80803134182, "funding_per_officer_high": 115306.12244897959}
    assert headlines.headline_items(figs, "fr") == [
        ("déployés", f"1{NNBSP}000–1{NNBSP}200"),
        ("fonds d’affectation spéciale, part du coût estimé d’une année", f"14,1{NBSP}%")]
    assert headlines.headline_items(figs, "en") == [
        ("deployed", "1,000–1,200"), ("trust fund, share of a year's estimated cost", "14.1%")]
    labels = {fig.key: fig for fig in headlines.FIGURES}
    assert headlines.shown(figs, labels["funding_amount"], "fr") == f"113{NNBSP}000{NNBSP}000"
    assert headlines.shown(figs, labels["funding_cost_per_year_low"]) == "800,000,000"            # the comparisons
    assert headlines.shown(figs, labels["funding_per_officer_low"]) == "110,676–115,306"
    # Every funding figure the notebooks record has a label (none guessed from its key)
    recorded = set(re.findall(r"\b(funding_[a-z_]+)=", (paths.NOTEBOOKS_DIR / "01_deployment.ipynb").read_text(encoding="utf-8")
                              + (paths.PACKAGE_DIR / "brief.py").read_text(encoding="utf-8")))
    assert "funding_frozen_spent" in recorded and recorded <= set().union(*(fig.keys() for fig in headlines.FIGURES))
    # A figure without a label, in a French entry: its key, and the number in French
    assert headlines.headline_items({"as_of": "2026-03-21", "new_count": 12345}, "fr") == [("new count", f"12{NNBSP}345")]


def test_the_index_links_the_english_detailed_reports(tmp_path):
    """A variant that builds only the brief links the other notebooks where they were built with the same
    parameters, saying in which language (the real build of all four is in test_report_real)."""
    reports = tmp_path / "reports"
    same = {"as_of": "2026-03-21", "planned_strength": 2500, "population": 11906095, "data_dir": None, "report_title": None}
    for folder, language, notebooks in (("latest", "en", manifest.NOTEBOOKS), ("latest-fr", "fr", [BRIEF]),
                                         ("gsf-5550", "en", manifest.NOTEBOOKS)):
        (reports / folder).mkdir(parents=True)
        params = {**same, "language": language, **({"planned_strength": 5550} if folder == "gsf-5550" else {})}
        doc = {"variant": folder, "title": folder, "parameters": params, "overrides": {}, **{nb: {} for nb in notebooks}}
        (reports / folder / "figures.json").write_text(json.dumps(doc), encoding="utf-8")
        for nb in notebooks:
            for ext in ("html", "pdf", "ipynb"):
                (reports / folder / f"{nb}.{ext}").write_text("x", encoding="utf-8")
    page = render_index(reports)
    fr = page[page.index('<section lang="fr">'):]
    fr = fr[:fr.index("</section>")]
    assert f"Les rapports détaillés, en anglais, avec les mêmes paramètres (dossier latest/){NBSP}:" in fr
    assert '01_deployment (<a href="latest/01_deployment.html" hreflang="en">HTML</a>' in fr
    assert "gsf-5550" not in fr and "00_brief (<a" not in fr
    assert "Les rapports détaillés" not in page.replace(fr, "")   # the English entries are whole


# ---------------------------------------------------------------- how to re-run, quoted

@pytest.mark.parametrize("title", ["My own <b>title</b>, mid-2025", 'She said "no"', "it's $5 & <script>", "a\\b"])
def test_the_rerun_line_gives_back_every_value(title):
    command = page_context.rerun_command("latest", {"report_title": title, "as_of": date(2025, 6, 30), "planned_strength": 5550},
                                   "my-run")
    words = shlex.split(command)          # the reader's shell
    assert words[:3] == ["make", "report", "VARIANT=latest"] and words[-1] == "OUT=my-run"
    sets = words[3].removeprefix("SET=")
    pairs = dict(parameters.parse_override(p) for p in shlex.split(sets))   # the CLI: --sets, split like a shell line
    assert pairs == {"report_title": title, "as_of": date(2025, 6, 30), "planned_strength": 5550}


# ---------------------------------------------------------------- the brief at the edges, in both languages

def brief(as_of: str, language: str, planned: int | None = None) -> tuple[str, dict]:
    params = {"as_of": as_of, "language": language, **({"planned_strength": planned} if planned else {})}
    nb, found = inprocess.execute(BRIEF, **params)
    return re.sub(r"[ \t\n]+", " ", inprocess.prose(nb)), found   # (str.split would take no-break spaces too)


EDGES = ["2022-09-01", "2023-06-30", "2023-10-02", "2023-12-31", "2024-06-25", "2024-09-21", "2024-09-22",
         "2025-01-14", "2026-03-21", date.today().isoformat()]
MISSING = re.compile(r"\b(nan|NaN|NaT|None|n/a|n\.d\.)(?!\w)")


@pytest.mark.parametrize("as_of", EDGES)
def test_the_brief_is_true_at_every_edge(tables, as_of):  # noqa: F811
    english, figures_en = brief(as_of, "en")
    french, figures_fr = brief(as_of, "fr")
    day = pd.Timestamp(as_of)
    assert figures_en == {**figures_fr, "claims": figures_en["claims"], "funding_sentence": figures_en["funding_sentence"]}
    for text in (english, french):
        assert not MISSING.search(text), MISSING.search(text)
        # No nested parentheses in the brief's own words (the Sources table shows the publishers' names as
        # the data has them; tests/test_parameter_space.py checks how it writes them).
        for part in re.split(r"<[^>]+>", text.split('<div class="report-table sources">')[0]):
            assert not re.search(r"\([^()]*\(", part), part
    # Every source id shown beside a figure is listed under Sources, and only sources of rows known then
    listed = set(re.findall(r"<td><code>([^<]+)</code></td>", english))
    shown = {i for group in re.findall(r"\[([^\]]+)\]", english) for i in group.split(", ") if re.fullmatch(r"[a-z0-9][a-z0-9.-]*", i)}
    assert shown and shown <= listed, shown - listed
    known = set(notebook.source_ids_used(data.until(tables, day))) | set(tables["plans"]["source_id"])
    assert listed <= known, listed - known
    before = day < pd.Timestamp("2024-09-22")
    assert all((c["verdict"] == claims.NOT_CHECKABLE) for c in figures_en["claims"]) or not before
    if before:
        assert f"On {english.split('**Deployed on ')[1].split(':**')[0]}, this report's date, the article did not exist yet" in english
        assert "Chacune de ses affirmations est vérifiée" not in french and "l’article n’existait pas encore" in french
    else:
        assert "Each of its claims is checked below" in english
    for key, value in figures_en.items():
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and key != "newest_figure":
            assert pd.Timestamp(value) <= day, key                    # nothing dated after as_of


def test_the_key_figures_where_things_start():
    # Before anything: resolution 2699 came on 2 October 2023; DTM Round 1 (September 2022) counted 24,212 in
    # 3 departments, 24,212 / 11,906,095 = 0.20%; BINUH's first quarter ends on 31 December 2023.
    text, found = brief("2022-09-01", "en")
    assert ("- **Deployed on 1 September 2022:** none; the Security Council had not yet authorized a mission. "
            "- **Internally displaced (Round 1, September 2022):** **24,212**; 0.2% of the population. This round "
            "counted the displaced in 3 of the 10 departments only. "
            "- **Children among the displaced:** no DTM round had stated their share by 1 September 2022. "
            "- **Killed:** no quarter counted by the UN (BINUH) had ended by 1 September 2022. "
            "- **Trust fund against the cost:** no figure for the mission's trust fund had been published by "
            "1 September 2022.") in text
    assert (found["deployed_low"], found["deployed_high"], found["shortfall_high"]) == (0, 0, 2500)
    assert found["killed_last_four_quarters"] is None and found["funding_share_low"] is None
    text, _ = brief("2022-09-01", "fr")
    assert (f"- **Effectif déployé au 1er septembre 2022{NBSP}:** aucun{NNBSP}; le Conseil de sécurité n’avait pas "
            "encore autorisé de mission.") in text
    text, _ = brief("2023-10-02", "en")
    assert ("**Deployed on 2 October 2023:** none of the 2,500 planned had arrived; the Security Council authorized "
            "the mission on 2 October 2023.") in text
    # Round 3 (ZMPP only) after Round 2 (Ouest): not compared, they counted different places
    assert "It is not compared with Round 2: only rounds that covered all 10 departments are compared." in text
    text, found = brief("2023-12-31", "en")   # BINUH 2023-Q4: 1,104 killed, 532 injured
    assert "- **Killed in 2023-Q4, the one quarter counted by the UN (BINUH) by then:** **1,104**, and 532 injured." in text
    text, _ = brief("2023-12-31", "fr")
    assert (f"- **Tués au T4 2023, seul trimestre décompté par l’ONU (BINUH) à cette date{NBSP}:** **1{NNBSP}104**, "
            "et 532 blessés.") in text


def test_the_key_figures_at_the_plan_bounds_and_rounds():
    # The first arrival, 200 Kenyan police on 25 June 2024, against a plan of 1: 200 / 1 = 20,000%
    text, found = brief("2024-06-25", "en", planned=1)
    assert "- **Deployed on 25 June 2024:** 200 of 1 planned, **20000.0%**: the plan was met." in text
    assert (found["shortfall_low"], found["shortfall_high"]) == (0, 0)
    # The article's day against 100,000: 426 deployed, 100,000 - 426 = 99,574 missing
    text, _ = brief("2024-09-22", "fr", planned=100_000)
    assert (f"**Effectif déployé au 22 septembre 2024{NBSP}:** 426 sur 100{NNBSP}000 prévus, **0,4{NBSP}%**{NNBSP}; "
            f"il manque 99{NNBSP}574 personnes.") in text
    # Round 9 (1,041,229) against Round 8 (702,973), both national: 1,041,229 / 702,973 = 1.481, up 48%
    text, _ = brief("2025-01-14", "en")
    assert "**Internally displaced (Round 9, December 2024):** **1,041,229**; 8.7% of the population. That is 48% more than in Round 8." in text
    # Round 9's "over half" children, named by the month of IOM's data (December 2024), not its release (14 January 2025)
    assert "**Children among the displaced:** more than 50% (Round 9, December 2024)." in text
    text, _ = brief("2025-01-14", "fr")
    assert f"**1{NNBSP}041{NNBSP}229**{NNBSP}; 8,7{NBSP}% de la population. Soit 48{NBSP}% de plus qu’au Round 8." in text
