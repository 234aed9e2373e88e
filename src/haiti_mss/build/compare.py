"""Then and now: two reports' headline figures side by side, in reports/compare/A--B.html.

    haiti-report compare 2024-09-article latest      # or: make compare A=2024-09-article B=latest

Each figure of the two figures.json files (the labelled ones of headlines.FIGURES first, then any other,
labelled from its key) with the change from A to B in words: "+135% to +182%" for counts (a range is
compared end to end, low with low and high with high), percentage points for shares, days for dates;
and its direction (up, down, mixed, no change, later, earlier, changed). Then each claim's verdict in
both. Every build refreshes the comparison pages whose two reports exist, and writes the default one,
DEFAULT (what changed since the article), as soon as both of its reports have been built.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from . import headlines
from .collect import FIGURES_FILE, merged_figures, notebook_figures, read_figures
from .files import write_atomic
from .headlines import Figure, bounds, is_number, shown
from .page import esc, link, page
from .variants import COMPARE_DIR

DEFAULT = ("2024-09-article", "latest")
DEFAULT_LABEL = "What changed since the article"
_META = re.compile(r'<meta name="haiti-mss-compare" content="([^"]*)">')
_EXACT = (None, "", "exact")


class CompareError(ValueError):
    """A report to compare has not been built (one line, names the folder and how to build it)."""


@dataclass
class Row:
    label: str
    then: str
    now: str
    change: str
    direction: str


def page_path(reports_dir: Path, a: str, b: str) -> Path:
    return Path(reports_dir) / COMPARE_DIR / f"{a}--{b}.html"


# ---------------------------------------------------------------- the change, in words

def _signed(value: float, spec: str) -> str:
    return format(value, spec).replace("-", "\u2212")


def _span(texts: list[str]) -> str:
    return texts[0] if texts[0] == texts[-1] else f"{texts[0]} to {texts[-1]}"


def _direction(diffs: list[float], up: str = "up", down: str = "down") -> str:
    if all(d == 0 for d in diffs):
        return "no change"
    if all(d >= 0 for d in diffs):
        return up
    return down if all(d <= 0 for d in diffs) else "mixed"


def _bound(a: Mapping[str, Any], b: Mapping[str, Any], fig: Figure) -> str:
    """'more than ' when the new figure is a lower bound and the old one exact, and so on."""
    qa, qb = (a.get(fig.qualifier), b.get(fig.qualifier)) if fig.qualifier else (None, None)
    if qa in _EXACT and qb in _EXACT:
        return ""
    if qa in _EXACT and qb == "more_than" or qa == "fewer_than" and qb in _EXACT:
        return "more than "
    if qa == "more_than" and qb in _EXACT or qa in _EXACT and qb == "fewer_than":
        return "less than "
    return "about "


def change(fig: Figure, a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[str, str]:
    """(the change from a to b, its direction), both in words."""
    (a_lo, a_hi), (b_lo, b_hi) = bounds(a, fig), bounds(b, fig)
    numeric = fig.kind in ("count", "number", "share") and all(map(is_number, (a_lo, a_hi, b_lo, b_hi)))
    if numeric:
        diffs = [b_lo - a_lo, b_hi - a_hi]
        direction = _direction(diffs)
        if direction == "no change":
            return "no change", direction
        if fig.kind == "share":
            text = _span([_signed(100 * d, "+.1f") for d in sorted(diffs)]) + " percentage points"
        elif a_lo == 0 or a_hi == 0:
            text = _span([_signed(d, "+,") if isinstance(d, int) else _signed(d, "+,.4g") for d in sorted(diffs)])
            text += " (from zero)"
        else:
            shares = sorted([100 * diffs[0] / a_lo, 100 * diffs[1] / a_hi])
            text = _span(["0%" if p == 0 else _signed(p, "+.1f" if abs(p) < 1 else "+.0f") + "%" for p in shares])
        return _bound(a, b, fig) + text, direction
    if fig.kind == "date":
        try:
            days = (date.fromisoformat(str(b_lo)) - date.fromisoformat(str(a_lo))).days
        except ValueError:
            pass
        else:
            direction = _direction([days], "later", "earlier")
            return ("no change" if days == 0 else f"{_signed(days, '+,')} day{'s' if abs(days) != 1 else ''}"), direction
    if shown(a, fig) == shown(b, fig):
        return "no change", "no change"
    return "changed", "changed"


def rows(a: Mapping[str, Any], b: Mapping[str, Any], a_name: str, b_name: str) -> list[Row]:
    """One row per figure recorded in either report (figures of all notebooks, merged)."""
    a, b = headlines.flatten(a), headlines.flatten(b)
    out = []
    for fig in headlines.for_keys(a, b):
        cells = []
        for figs in (a, b):
            text = shown(figs, fig)
            when = f" ({figs[fig.when]})" if text is not None and fig.when and figs.get(fig.when) else ""
            cells.append(None if text is None else text + when)
        if cells[0] is None and cells[1] is None:
            continue
        if cells[0] is None or cells[1] is None:
            missing = a_name if cells[0] is None else b_name
            out.append(Row(fig.label, cells[0] or "not recorded", cells[1] or "not recorded", "",
                           f"not recorded in {missing}"))
            continue
        out.append(Row(fig.label, cells[0], cells[1], *change(fig, a, b)))
    return out


def verdicts(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """(claim id, verdict in a, verdict in b, 'changed' or 'same') for every claim of either."""
    def by_id(figs):
        claims = figs.get("claims")
        return {str(c.get("id")): str(c.get("verdict", "")) for c in claims if isinstance(c, dict)} \
            if isinstance(claims, list) else {}

    va, vb = by_id(a), by_id(b)
    ids = list(va) + [i for i in vb if i not in va]
    return [(i, va.get(i, "not recorded"), vb.get(i, "not recorded"), "same" if va.get(i) == vb.get(i) else "changed")
            for i in ids]


# ---------------------------------------------------------------- the page

def _report_links(reports_dir: Path, folder: str, doc: Mapping[str, Any]) -> str:
    links = [f'<a href="{link("..", folder, f"{nb}.html")}">{esc(nb)}</a>' for nb in notebook_figures(doc)
             if (Path(reports_dir) / folder / f"{nb}.html").is_file()]
    links.append(f'<a href="{link("..", folder, FIGURES_FILE)}">figures.json</a>')
    return " · ".join(links)


def render(reports_dir: Path, a: str, b: str, doc_a: Mapping[str, Any], doc_b: Mapping[str, Any]) -> str:
    figs_a, figs_b = merged_figures(dict(doc_a)), merged_figures(dict(doc_b))
    as_of = [(d.get("parameters") or {}).get("as_of") or f.get("as_of") or "not recorded"
             for d, f in ((doc_a, figs_a), (doc_b, figs_b))]
    title_a, title_b = doc_a.get("title") or a, doc_b.get("title") or b
    head = (f"<tr><th scope=\"col\"></th><th scope=\"col\"><code>{esc(a)}</code></th>"
            f"<th scope=\"col\"><code>{esc(b)}</code></th></tr>")
    about = "".join(f"<tr><th scope=\"row\">{esc(label)}</th><td>{x}</td><td>{y}</td></tr>" for label, x, y in (
        ("report", esc(title_a), esc(title_b)),
        ("as of", esc(as_of[0]), esc(as_of[1])),
        ("parameters", esc(headlines.parameters_text(doc_a)), esc(headlines.parameters_text(doc_b))),
        ("read the reports", _report_links(reports_dir, a, doc_a), _report_links(reports_dir, b, doc_b))))
    body_rows = "".join(f"<tr><th scope=\"row\">{esc(r.label)}</th><td>{esc(r.then)}</td><td>{esc(r.now)}</td>"
                        f"<td>{esc(r.change)}</td><td>{esc(r.direction)}</td></tr>"
                        for r in rows(figs_a, figs_b, a, b))
    claims = verdicts(figs_a, figs_b)
    claims_html = ""
    if claims:
        claims_html = ("<h2 id=\"claims\">Claims of the article: verdict in each report</h2><table><thead><tr>"
                       f"<th scope=\"col\">claim</th><th scope=\"col\">{esc(a)}</th><th scope=\"col\">{esc(b)}</th>"
                       "<th scope=\"col\">change</th></tr></thead><tbody>"
                       + "".join(f"<tr><th scope=\"row\"><code>{esc(i)}</code></th><td>{esc(x)}</td><td>{esc(y)}</td>"
                                 f"<td>{esc(s)}</td></tr>" for i, x, y, s in claims)
                       + "</tbody></table>")
    heading = f"{DEFAULT_LABEL}: " if (a, b) == DEFAULT else "Then and now: "
    body = (f"<h1>{esc(heading)}{esc(a)} → {esc(b)}</h1>"
            "<p class=\"meta\">The headline figures of two reports side by side. Each change runs from the first "
            "report to the second; a range is compared end to end (low with low, high with high); shares change in "
            "percentage points. Figures come from each report's figures.json, computed from the data in "
            "<code>data/</code>.</p>"
            f"<table><thead>{head}</thead><tbody>{about}</tbody></table>"
            "<h2 id=\"figures\">Headline figures</h2><table><thead><tr><th scope=\"col\">figure</th>"
            f"<th scope=\"col\">{esc(a)}<br>as of {esc(as_of[0])}</th><th scope=\"col\">{esc(b)}<br>as of {esc(as_of[1])}</th>"
            "<th scope=\"col\">change</th><th scope=\"col\">direction</th></tr></thead>"
            f"<tbody>{body_rows}</tbody></table>{claims_html}"
            f"<p class=\"meta\">Rebuild this page: <code>make compare A={esc(a)} B={esc(b)}</code> (every "
            f"<code>make reports</code> refreshes it). <a href=\"{link('..', 'index.html')}\">Every report</a>.</p>")
    meta = f'<meta name="haiti-mss-compare" content="{esc(json.dumps([a, b], ensure_ascii=False))}">'
    return page(f"{heading}{a} → {b}", body, head=meta)


def write(reports_dir: Path, a: str, b: str) -> Path:
    """Write reports/compare/A--B.html from reports/A/figures.json and reports/B/figures.json."""
    docs = []
    for name in (a, b):
        if not name or "/" in name or name in (".", "..", COMPARE_DIR):
            raise CompareError(f"'{name}' is not a report folder name (a folder of reports/, e.g. latest)")
        doc = read_figures(Path(reports_dir) / name)
        if doc is None:
            raise CompareError(f"no report in {Path(reports_dir) / name / FIGURES_FILE}: build it first "
                               f"(make report VARIANT={name}, or make reports)")
        docs.append(doc)
    path = page_path(reports_dir, a, b)
    write_atomic(path, render(reports_dir, a, b, *docs))
    return path


def pages(reports_dir: Path) -> list[tuple[Path, str, str]]:
    """The comparison pages in reports/compare/, with the two folders each compares."""
    found = []
    for path in sorted((Path(reports_dir) / COMPARE_DIR).glob("*.html")):
        try:
            match = _META.search(path.read_text(encoding="utf-8")[:4096])
            a, b = json.loads(html.unescape(match.group(1))) if match else (None, None)
        except (OSError, ValueError, TypeError):
            continue
        if isinstance(a, str) and isinstance(b, str):
            found.append((path, a, b))
    return found


def refresh(reports_dir: Path) -> list[Path]:
    """Rewrite every comparison page whose two reports exist, and the DEFAULT one once both exist."""
    pairs = {(a, b) for _, a, b in pages(reports_dir)} | {DEFAULT}
    written = []
    for a, b in sorted(pairs):
        try:
            written.append(write(reports_dir, a, b))
        except CompareError:    # one of the two is not built (yet, or any more): leave the page as it is
            continue
    return written
