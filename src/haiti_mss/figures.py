"""Headline figures: notebooks record them as an output the build collects into figures.json."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

MIME = "application/vnd.haiti-mss.figures+json"


def _plain(value: Any) -> Any:
    import pandas as pd  # lazily: the exporter imports MIME without paying for pandas

    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def record(**figures: Any) -> None:
    """Display the figures as a machine-readable output (invisible in HTML and PDF)."""
    from IPython.display import display

    display({MIME: _plain(figures)}, raw=True)


def extract(notebook) -> dict[str, Any]:
    """Collect every recorded figure from an executed notebook (a later record wins)."""
    found: dict[str, Any] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data", {}) if isinstance(output, dict) else {}
            if MIME in data:
                payload = data[MIME]
                if isinstance(payload, str):
                    payload = json.loads(payload)
                found.update(payload)
    return found
