"""The one place that knows where the project's folders are."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("HAITI_MSS_ROOT")
    if env:
        return Path(env).resolve()
    # src/haiti_mss/paths.py -> project root (editable install keeps this layout)
    return Path(__file__).resolve().parents[2]


ROOT = _find_root()
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"
PARAMS_DIR = ROOT / "params"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(value: str | os.PathLike | None = None) -> Path:
    """The data folder to read: the given one (relative to the project root), else data/."""
    if value in (None, ""):
        return DATA_DIR
    path = Path(value)
    return path if path.is_absolute() else (ROOT / path)
