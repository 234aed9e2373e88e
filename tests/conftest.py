"""Shared by the build, export and CLI tests: tool caches out of $HOME, a throwaway project built from
tests/fixtures (two tiny notebooks and a tiny data package), and one fixture build per session; and the
real report (four notebooks, three variants, real data/) built once per session and shared by every test
that only reads it, across pytest-xdist's workers. With CI set, a skipped test fails instead
(tests/strict_skips.py)."""

from __future__ import annotations

import fcntl
import json
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


# ---------------------------------------------------------------- the real report, built once per session

REAL_VARIANTS = ["latest", "2024-09-article", "gsf-5550"]   # params/*.yaml: the English variants
BUILT_VARIANTS = REAL_VARIANTS + ["latest-fr"]                # and the French edition (its brief; the rest shared)


def session_root(tmp_path_factory) -> Path:
    """pytest's basetemp, the same folder for every xdist worker of this session (each worker's own
    basetemp is a popen-gwN folder inside it)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


@pytest.fixture(scope="session")
def real_reports(tmp_path_factory) -> Path:
    """reports/ for the three English variants and latest-fr of the real notebooks on the real data/ and params/:
    papermill, nbconvert and WeasyPrint as `make reports` runs them, with index.html and the comparison page.

    Built once per test session: the first worker to ask builds, under an flock, while any other waits;
    then every worker reads the same folder. Tests must only read it (tests that change data or
    notebooks build their own). A failed build is recorded, so the other workers fail at once with its
    lines instead of building again."""
    from haiti_mss import manifest
    from haiti_mss.build import build

    root = session_root(tmp_path_factory)
    reports, record = root / "real-reports", root / "real-reports.json"
    with open(root / "real-reports.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)          # released when the file closes
        if not record.exists():
            lines: list[str] = []
            try:
                result = build(BUILT_VARIANTS, reports_dir=reports, notebooks=list(manifest.NOTEBOOKS), jobs=2,
                               echo=lines.append)
                outcome = {"exit_code": result.exit_code, "lines": lines}
            except Exception as exc:              # a refused build (data, parameters): recorded the same way
                outcome = {"exit_code": 2, "lines": lines + [f"{type(exc).__name__}: {exc}"]}
            record.write_text(json.dumps(outcome), encoding="utf-8")
    outcome = json.loads(record.read_text(encoding="utf-8"))
    if outcome["exit_code"] != 0:
        pytest.fail("the shared build of the real report failed:\n" + "\n".join(outcome["lines"]), pytrace=False)
    return reports
