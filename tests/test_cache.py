"""Cache invalidation at build level (issue 11): a parameter read by one notebook only, an edited notebook,
edited package code, an edited template each rebuild exactly the notebooks they concern. (A CSV edited
without `make hash-data` is refused up front: tests/test_build.py.) Real papermill, nbconvert and
WeasyPrint on the fixture notebooks, starting from a copy of the session build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURE_NOTEBOOKS
from haiti_mss import build as build_mod

pytestmark = pytest.mark.notebooks


def edit_notebook(path: Path, old: str, new: str) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in nb["cells"]]
    assert sum(old in s for s in sources) == 1, old
    for cell, source in zip(nb["cells"], sources):
        cell["source"] = source.replace(old, new)
    path.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")


def test_what_changed_is_rebuilt_and_only_that(built, tmp_path, monkeypatch):
    """Issue 11: a parameter read by one notebook only, an edited notebook, edited package code, an edited
    template: each rebuilds exactly the notebooks it concerns. Starts from a copy of the session build (its
    reports, variant and notebooks; the data stays shared and read-only), so the copy is up to date."""
    import shutil

    from haiti_mss import export, manifest, paths

    proj, _, _ = built
    reports, params, notebooks = tmp_path / "reports", tmp_path / "params", tmp_path / "notebooks"
    shutil.copytree(proj.reports, reports)
    shutil.copytree(proj.params, params)
    shutil.copytree(Path(__file__).parent / "fixtures" / "notebooks", notebooks)

    def run(names=FIXTURE_NOTEBOOKS):
        lines: list[str] = []
        result = build_mod.build(["fixture"], reports_dir=reports, params_dir=params, notebooks_dir=notebooks,
                                 notebooks=names, jobs=2, echo=lines.append)
        assert result.exit_code in (0, 1), lines
        return {r.notebook: r.status for r in result.results}

    assert run() == {"01_deployment": "skipped", "02_displacement": "skipped"}

    # A parameter 01_deployment reads and 02_displacement does not (it counts IDPs per officer deployed, not planned).
    assert manifest.parameters_read("02_displacement") == ["as_of", "population", "data_dir", "report_title"]
    variant = params / "fixture.yaml"
    variant.write_text(variant.read_text().replace("parameters:\n", "parameters:\n  planned_strength: 3000\n"))
    assert run() == {"01_deployment": "built", "02_displacement": "skipped"}
    figures = json.loads((reports / "fixture" / "figures.json").read_text())
    assert figures["01_deployment"]["planned_strength"] == 3000 and figures["parameters"]["planned_strength"] == 3000
    assert "planned_strength" not in figures["02_displacement"]

    # An edited notebook is re-run; this edit breaks it, so it fails and its published report stays.
    page = (reports / "fixture" / "02_displacement.html").read_bytes()
    original = (notebooks / "02_displacement.ipynb").read_bytes()
    edit_notebook(notebooks / "02_displacement.ipynb", 'areas = ctx.tables["dtm_areas"]',
                  'areas = ctx.tables["dtm_areas"]\nraise ValueError("edited <b>to fail</b>")')
    lines: list[str] = []
    result = build_mod.build(["fixture"], reports_dir=reports, params_dir=params, notebooks_dir=notebooks,
                             notebooks=FIXTURE_NOTEBOOKS, jobs=2, echo=lines.append)
    assert {r.notebook: r.status for r in result.results} == {"01_deployment": "skipped", "02_displacement": "failed"}
    failed = result.failed[0]
    assert failed.message == "cell 5 ValueError: edited <b>to fail</b>"
    assert "[fixture] 02_displacement: FAILED: cell 5 ValueError: edited <b>to fail</b>" in lines
    assert (reports / "fixture" / "02_displacement.html").read_bytes() == page
    kept = reports / "fixture" / "_failed" / "02_displacement.ipynb"
    assert failed.failed_notebook == kept and "edited <b>to fail</b>" in kept.read_text()
    assert not list((reports / "fixture").glob(".staging-*"))
    (notebooks / "02_displacement.ipynb").write_bytes(original)     # undone: the good report is current again
    assert run() == {"01_deployment": "skipped", "02_displacement": "skipped"}
    assert not kept.exists()

    # The package's code, then its templates, in a copy the key reads (paths.PACKAGE_DIR, TEMPLATES_DIR);
    # one notebook is enough to show it is rebuilt (every key covers the whole package).
    package = tmp_path / "haiti_mss"
    shutil.copytree(paths.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    monkeypatch.setattr(paths, "TEMPLATES_DIR", package / "templates")
    monkeypatch.setattr(export, "_EXPORTER", None)    # forked workers must not reuse an exporter made earlier
    assert run() == {"01_deployment": "skipped", "02_displacement": "skipped"}     # the same bytes
    with (package / "text.py").open("a") as fh:
        fh.write("\n# an edit\n")
    assert run(["01_deployment"]) == {"01_deployment": "built"}
    with (package / "templates" / "haiti" / "report.css").open("a") as fh:
        fh.write("\n/* an edit */\n")
    assert run(["01_deployment"]) == {"01_deployment": "built"}
    assert "/* an edit */" in (reports / "fixture" / "01_deployment.html").read_text()
    figures = json.loads((reports / "fixture" / "figures.json").read_text())
    assert set(FIXTURE_NOTEBOOKS) <= set(figures)           # a one-notebook build keeps the other's figures
