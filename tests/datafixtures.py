"""Shared data fixtures: the real data/ loaded once, and a writable copy for corrupting."""

import shutil
from pathlib import Path

import pytest

from haiti_mss import data, paths


@pytest.fixture(scope="session")
def tables():
    return data.load_tables()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target


def with_cell(tables, table, key_column, key, column, value):
    """A copy of the tables with one cell changed (key None: every row)."""
    frame = tables[table].copy()
    frame.loc[frame[key_column] == key if key is not None else slice(None), column] = value
    return dict(tables, **{table: frame})


def without(tables, table, key_column, key):
    """A copy of the tables without the rows whose key_column is key."""
    frame = tables[table]
    return dict(tables, **{table: frame[frame[key_column] != key]})
