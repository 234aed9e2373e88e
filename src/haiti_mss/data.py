"""Load the project's tables: validated, typed pandas DataFrames (see validation.py for the checks)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import paths
from .validation import read_descriptor, sha256_of, validate

# Columns that date a figure, per table: the data vintage is the newest of them.
DATE_COLUMNS = {
    "un_decisions": "date",
    "plans": "date",
    "pledges": "date",
    "arrivals": "date",
    "strength_reports": "as_of",
    "dtm_rounds": "reference_date",
    "dtm_areas": None,
    "displacement_other": "date",
    "violence": "period_end",
    "population": None,
    "police": "date",
    "claims": None,
    "expert_statements": "date",
    "funding": "date",
    "funding_costs": "date",
    "funding_statements": "date",
    "sources": "published",
}


def load_tables(names: Iterable[str] | None = None, data_dir: str | Path | None = None,
                today: date | None = None) -> dict[str, pd.DataFrame]:
    """Validate and load the named tables (all when None) from data_dir (default data/)."""
    return validate(paths.data_dir(data_dir), names, today=today)


def file_hashes(data_dir: str | Path | None = None) -> dict[str, str]:
    folder = paths.data_dir(data_dir)
    descriptor = read_descriptor(folder)
    return {r["path"]: sha256_of(folder / r["path"]) for r in descriptor["resources"]}


def data_vintage(tables: dict[str, pd.DataFrame]) -> dict[str, pd.Timestamp]:
    """Newest dated figure per table (tables without a date column are left out)."""
    out = {}
    for name, frame in tables.items():
        column = DATE_COLUMNS.get(name)
        if column and column in frame and frame[column].notna().any():
            out[name] = frame[column].max()
    return out


def date_span(tables: dict[str, pd.DataFrame], names) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and the newest dated figure across the named tables."""
    dated = [tables[n][DATE_COLUMNS[n]].dropna() for n in names if DATE_COLUMNS.get(n)]
    dated = [d for d in dated if not d.empty]
    return min(d.min() for d in dated), max(d.max() for d in dated)


def until(tables: dict[str, pd.DataFrame], as_of) -> dict[str, pd.DataFrame]:
    """The tables as they stood on as_of: rows dated after it are dropped (undated tables are kept)."""
    cut = pd.Timestamp(as_of)
    out = {}
    for name, frame in tables.items():
        column = DATE_COLUMNS.get(name)
        if name == "sources" or not column or column not in frame:
            out[name] = frame
        else:
            out[name] = frame[frame[column].isna() | (frame[column] <= cut)]
    return out
