"""reports/index.html: every built report, its files and its headline figures in words, and the
comparison pages (the default one, "what changed since the article", first).

The page is English; each report's entry is written in the report's language (a French variant's entry in
French, marked lang="fr"), and a variant that builds only some notebooks links the others where they were
built with the same parameters (latest-fr, the brief in French, links the English detailed reports of latest)."""

from __future__ import annotations

from pathlib import Path

from . import compare
from .collect import FIGURES_FILE, notebook_figures, read_figures
from .files import write_atomic
from .headlines import headline_items, parameters_text
from .page import esc, link, page

INDEX_FILE = "index.html"


def _comparisons(reports_dir: Path) -> str:
    items = []
    for path, a, b in compare.pages(reports_dir):
        href = link(compare.COMPARE_DIR, path.name)
        if (a, b) == compare.DEFAULT:
            items.insert(0, f'<li><a href="{href}">{esc(compare.DEFAULT_LABEL)}</a>: '
                            f'<code>{esc(a)}</code> against <code>{esc(b)}</code>, figure by figure</li>')
        else:
            items.append(f'<li><a href="{href}"><code>{esc(a)}</code> → <code>{esc(b)}</code></a></li>')
    if not items:
        return ""
    return (f'<h2 id="{compare.COMPARE_DIR}">Then and now</h2><ul>{"".join(items)}</ul>'
            "<p class=\"meta\">Compare any two: <code>make compare A=FOLDER B=FOLDER</code>.</p>")


def render_index(reports_dir: Path) -> str:
    """The page, in English; each report's entry in the report's own language (its words, numbers and dates)."""
    sections = []
    docs = {fig_file.parent: read_figures(fig_file.parent) for fig_file in sorted(Path(reports_dir).glob(f"*/{FIGURES_FILE}"))}
    for folder, doc in docs.items():
        if doc is not None:
            sections.append(_entry(folder, doc, docs))
    body = "".join(sections) or "<p>No report has been built yet: run <code>make reports</code>.</p>"
    return page("Haiti MSS report: every variant",
                "<h1>Haiti MSS report: every variant</h1>"
                "<p class=\"meta\">Each variant is the same notebooks run with other parameters "
                "(params/*.yaml, or <code>--set</code> overrides). Rebuild with <code>make reports</code>.</p>"
                f"{_comparisons(reports_dir)}{body}")


def _language(doc: dict) -> str:
    from .. import i18n

    language = (doc.get("parameters") or {}).get("language")
    return language if language in i18n.languages() else i18n.SOURCE_LANGUAGE


def _entry(folder: Path, doc: dict, docs: dict[Path, dict | None]) -> str:
    """One report: title, folder, parameters, its notebooks with their files and headline figures."""
    from .. import i18n

    language = _language(doc)
    tr = i18n.translator(language)
    rows = []
    for nb, figs in notebook_figures(doc).items():
        # TRANSLATORS: a headline figure on the index page (French: a no-break space before ':').
        items = "".join("<li>" + tr.pgettext("index", "{label}: {value}").format(label=esc(k), value=f"<strong>{esc(v)}</strong>")
                        + "</li>" for k, v in headline_items(figs, language))
        rows.append(f"<tr><td>{esc(nb)}</td><td>{_files(folder, nb)}</td><td><ul class=\"figures\">{items}</ul></td></tr>")
    meta = tr.gettext("Folder {folder} · variant {variant}").format(
        folder=f"<code>{esc(folder.name)}/</code>", variant=f"<code>{esc(doc.get('variant', ''))}</code>")
    heads = (tr.pgettext("index", "notebook"), tr.pgettext("index", "files"), tr.pgettext("index", "headline figures"))
    used = tr.gettext("Parameters: {parameters}").format(parameters=parameters_text(doc, language))
    lang = "" if language == i18n.SOURCE_LANGUAGE else f' lang="{esc(language)}"'   # the page itself is English
    return (f'<section{lang}><h2 id="{esc(folder.name)}">{esc(doc.get("title") or folder.name)}</h2>'
            f'<p class="meta">{meta}' + (f" · {esc(doc['description'])}" if doc.get("description") else "")
            + f'</p><p class="meta">{esc(used)}</p>'
            f'<p class="meta"><a href="{link(folder.name, FIGURES_FILE)}">figures.json</a></p>'
            "<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in heads) + "</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{_elsewhere(folder, doc, docs, tr)}</section>")


def _files(folder: Path, nb: str, hreflang: str = "") -> str:
    attribute = f' hreflang="{esc(hreflang)}"' if hreflang else ""
    return " · ".join(f'<a href="{link(folder.name, f"{nb}.{ext}")}"{attribute}>{ext.upper()}</a>'
                      for ext in ("html", "pdf", "ipynb") if (folder / f"{nb}.{ext}").is_file())


def _elsewhere(folder: Path, doc: dict, docs: dict[Path, dict | None], tr) -> str:
    """A variant that builds only some notebooks (latest-fr: the brief) links the others where they were built
    with the same parameters in another language (latest), and says in which language they are."""
    from .. import i18n, manifest

    missing = [nb for nb in manifest.NOTEBOOKS if nb not in notebook_figures(doc)]
    same = {k: v for k, v in (doc.get("parameters") or {}).items() if k != "language"}
    for other, other_doc in docs.items():
        if other == folder or other_doc is None or not missing:
            continue
        params = {k: v for k, v in (other_doc.get("parameters") or {}).items() if k != "language"}
        found = [nb for nb in missing if nb in notebook_figures(other_doc)]
        if params != same or other_doc.get("overrides") or not found:
            continue
        language = _language(other_doc)
        # TRANSLATORS: {language} is a language's name in the entry's language, e.g. "anglais".
        name = tr.pgettext("language name", i18n.LANGUAGE_NAMES.get(language, language))
        # TRANSLATORS: between two items of a list on the index page (French: a narrow no-break space before ';').
        listed = esc(tr.pgettext("index", "; ")).join(f"{esc(nb)} ({_files(other, nb, language)})" for nb in found)
        return (f'<p class="meta">' + esc(tr.gettext("The detailed reports, in {language}, with the same parameters "
                                                   "(folder {folder}):").format(language=name, folder=f"{other.name}/"))
                + f" {listed}</p>")
    return ""


def write_index(reports_dir: Path) -> Path:
    path = Path(reports_dir) / INDEX_FILE
    write_atomic(path, render_index(reports_dir))
    return path
