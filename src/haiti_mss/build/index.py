"""reports/index.html: every built report, its files and its headline figures in words, and the
comparison pages (the default one, "what changed since the article", first)."""

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
    sections = []
    for fig_file in sorted(Path(reports_dir).glob(f"*/{FIGURES_FILE}")):
        folder = fig_file.parent
        doc = read_figures(folder)
        if doc is None:
            continue
        rows = []
        for nb, figs in notebook_figures(doc).items():
            links = " · ".join(f'<a href="{link(folder.name, f"{nb}.{ext}")}">{ext.upper()}</a>'
                               for ext in ("html", "pdf", "ipynb") if (folder / f"{nb}.{ext}").is_file())
            items = "".join(f"<li>{esc(k)}: <strong>{esc(v)}</strong></li>" for k, v in headline_items(figs))
            rows.append(f"<tr><td>{esc(nb)}</td><td>{links}</td><td><ul class=\"figures\">{items}</ul></td></tr>")
        sections.append(
            f'<section><h2 id="{esc(folder.name)}">{esc(doc.get("title") or folder.name)}</h2>'
            f'<p class="meta">Folder <code>{esc(folder.name)}/</code> · variant <code>{esc(doc.get("variant", ""))}</code>'
            + (f" · {esc(doc['description'])}" if doc.get("description") else "")
            + f'</p><p class="meta">Parameters: {esc(parameters_text(doc))}</p>'
            f'<p class="meta"><a href="{link(folder.name, FIGURES_FILE)}">figures.json</a></p>'
            f"<table><thead><tr><th>notebook</th><th>files</th><th>headline figures</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>")
    body = "".join(sections) or "<p>No report has been built yet: run <code>make reports</code>.</p>"
    return page("Haiti MSS report: every variant",
                "<h1>Haiti MSS report: every variant</h1>"
                "<p class=\"meta\">Each variant is the same notebooks run with other parameters "
                "(params/*.yaml, or <code>--set</code> overrides). Rebuild with <code>make reports</code>.</p>"
                f"{_comparisons(reports_dir)}{body}")


def write_index(reports_dir: Path) -> Path:
    path = Path(reports_dir) / INDEX_FILE
    write_atomic(path, render_index(reports_dir))
    return path
