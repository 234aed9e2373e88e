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
