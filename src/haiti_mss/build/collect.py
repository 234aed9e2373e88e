"""Collect each variant's headline figures into <out>/figures.json, and read them back.

figures.json holds the variant (name, folder, title, description), the parameters used (as resolved
by the notebooks), the --set overrides, and per notebook the figures it recorded (haiti_mss.figures).
The index page and the comparison pages read nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from .. import manifest
from .files import outputs_present, read_state, write_atomic
from .keys import jsonable
from .variants import Target

FIGURES_FILE = "figures.json"
RESERVED_FIGURE_KEYS = {"variant", "folder", "title", "description", "parameters", "overrides"}
RESOLVED = ("as_of", "planned_strength", "population")   # defaults the notebooks resolve from the data


def write_figures(target: Target, names: Sequence[str]) -> None:
    """<out>/figures.json: headline figures per notebook (those with outputs), parameters, variant.

    Notebooks built earlier into the same folder keep their entry when a build names only some."""
    from .. import parameters

    out_dir = target.out_dir
    if not out_dir.is_dir():
        return
    state = read_state(out_dir)
    order = list(names) + [nb for nb in [*manifest.NOTEBOOKS, *sorted(state["notebooks"])] if nb not in names]
    per_notebook = {nb: (state["notebooks"].get(nb) or {}).get("figures") or {}
                    for nb in dict.fromkeys(order) if outputs_present(out_dir, nb)}
    if not per_notebook:
        return
    used = {name: jsonable(target.checked.get(name)) for name in parameters.PARAMETERS}
    for figs in per_notebook.values():
        for name in RESOLVED:
            if used.get(name) is None and figs.get(name) is not None:
                used[name] = figs[name]
    doc = {"variant": target.variant.name, "folder": out_dir.name, "title": target.variant.title,
           "description": target.variant.description, "parameters": used,
           "overrides": {k: jsonable(v) for k, v in target.overrides.items()}}
    doc.update(per_notebook)
    write_atomic(out_dir / FIGURES_FILE, json.dumps(doc, indent=2, ensure_ascii=False, default=jsonable) + "\n")


def read_figures(folder: Path) -> dict[str, Any] | None:
    """<folder>/figures.json, or None when it is missing or unreadable."""
    try:
        doc = json.loads((Path(folder) / FIGURES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def notebook_figures(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{notebook: its figures} from a figures.json document."""
    return {nb: figs for nb, figs in doc.items() if nb not in RESERVED_FIGURE_KEYS and isinstance(figs, dict)}


def merged_figures(doc: dict[str, Any]) -> dict[str, Any]:
    """Every notebook's figures in one mapping (the same figure recorded twice: the first notebook's)."""
    out: dict[str, Any] = {}
    for figs in notebook_figures(doc).values():
        for key, value in figs.items():
            out.setdefault(key, value)
    return out
