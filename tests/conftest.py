"""Shared by the build, export and CLI tests: tool caches out of $HOME, a throwaway project built from
tests/fixtures (two tiny notebooks and a tiny data package), and one fixture build per session. With
CI set, a skipped test fails instead (tests/strict_skips.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from strict_skips import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401 (hooks: CI fails skips)

_CACHE = Path(tempfile.gettempdir()) / "haiti-mss-test-cache"
os.environ.setdefault("MPLCONFIGDIR", str(_CACHE / "matplotlib"))
os.environ.setdefault("JUPYTER_RUNTIME_DIR", str(_CACHE / "jupyter-runtime"))
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_NOTEBOOKS = ["01_deployment", "02_displacement"]
HOSTILE_TITLE = "Fixture <script>alert(1)</script> & co"


@dataclass
class Project:
    root: Path
    data: Path
    params: Path
    reports: Path

    def variant(self, name: str, title: str = "Fixture", **parameters) -> str:
        import yaml

        doc = {"title": title, "description": "Built by the tests.",
               "parameters": {"data_dir": str(self.data), **parameters}}
        (self.params / f"{name}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        return name

    def build(self, *variants, **kw):
        from haiti_mss.build import build

        kw.setdefault("jobs", 2)
        return build(list(variants) or None, kw.pop("overrides", None), reports_dir=self.reports,
                     params_dir=self.params, notebooks_dir=FIXTURES / "notebooks", notebooks=FIXTURE_NOTEBOOKS,
                     echo=kw.pop("echo", lambda line: None), **kw)


def make_project(root: Path) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURES / "data", root / "data")
    (root / "params").mkdir()
    return Project(root, root / "data", root / "params", root / "reports")


@pytest.fixture
def project(tmp_path) -> Project:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The fixture notebooks built once (variant 'fixture', a title that needs escaping)."""
    proj = make_project(tmp_path_factory.mktemp("built") / "project")
    proj.variant("fixture", title=HOSTILE_TITLE)
    lines: list[str] = []
    result = proj.build("fixture", echo=lines.append)
    return proj, result, lines
