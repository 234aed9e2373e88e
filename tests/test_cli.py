"""`haiti-report`: parameters rejected before any kernel starts (exit 2, one line), the variants in
params/, `params`, `check-data`, `hash-data`, and a no-op build that imports none of the heavy tools."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from conftest import FIXTURE_NOTEBOOKS
from haiti_mss import build, cli, parameters, paths


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_unknown_parameter_is_rejected_before_anything_runs(capsys, tmp_path):
    reports = tmp_path / "reports"
    code, out, err = run(capsys, "build", "latest", "--set", "planed_strength=5550", "--reports-dir", str(reports))
    assert code == 2
    assert err.startswith("error: unknown parameter 'planed_strength'") and "did you mean 'planned_strength'" in err
    assert err.count("\n") == 1 and out == ""
    assert not reports.exists()                     # no lock, staging or output folder


def test_out_of_range_value_is_one_line(capsys, tmp_path):
    code, out, err = run(capsys, "build", "--set", "planned_strength=-5", "--reports-dir", str(tmp_path / "r"))
    assert code == 2
    assert err == "error: parameter 'planned_strength': got -5; expected a whole number from 1 to 100,000\n"
    assert not (tmp_path / "r").exists()


def test_usage_errors_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "build", "latests", "--reports-dir", str(tmp_path / "r"))
    assert code == 2 and "unknown variant 'latests'" in err and "did you mean 'latest'" in err
    code, _, err = run(capsys, "build", "latest", "gsf-5550", "--out", str(tmp_path / "o"), "--reports-dir", str(tmp_path / "r"))
    assert code == 2 and "--out needs exactly one variant" in err
    code, _, err = run(capsys, "build", "--set", "planned_strength", "--reports-dir", str(tmp_path / "r"))
    assert code == 2 and "expected NAME=VALUE" in err
    assert not (tmp_path / "r").exists() and not (tmp_path / "o").exists()


def test_data_dependent_check_runs_before_kernels(project):
    project.variant("v")
    with pytest.raises(parameters.ParameterError, match="not before the first figure in the data"):
        project.build("v", overrides={"as_of": "2001-01-01"})
    assert not [p for p in project.reports.iterdir() if p.is_dir()]


def test_variant_files_are_strict(project):
    (project.params / "bad.yaml").write_text("title: x\nparameter: {}\n")
    with pytest.raises(build.BuildError, match="unknown key 'parameter'"):
        build.load_variant(project.params / "bad.yaml")
    (project.params / "bad.yaml").write_text("title: x\nparameters: {planned_strength: 0}\n")
    with pytest.raises(parameters.ParameterError, match=r"^params/bad.yaml: parameter 'planned_strength'"):
        build.plan_targets(["bad"], None, None, project.reports, project.params)


def test_project_variants():
    names = build.variant_names(paths.PARAMS_DIR)
    assert {"latest", "2024-09-article", "gsf-5550"} <= set(names)
    loaded = {n: build.load_variant(paths.PARAMS_DIR / f"{n}.yaml") for n in names}
    for variant in loaded.values():
        assert variant.title and parameters.check(variant.parameters) is not None
    assert loaded["latest"].parameters == {}
    assert parameters.check(loaded["2024-09-article"].parameters) == {"as_of": date(2024, 9, 22)}  # the article's date
    assert parameters.check(loaded["gsf-5550"].parameters) == {"planned_strength": 5550}


def test_overrides_go_to_their_own_folder(project):
    project.variant("v")
    target, = build.plan_targets(["v"], ["planned_strength=5550"], None, project.reports, project.params)
    assert target.out_dir == project.reports / "v+planned_strength-5550"
    assert target.sources["planned_strength"] == "--set" and target.passed["planned_strength"] == 5550
    target, = build.plan_targets(["v"], None, None, project.reports, project.params)
    assert target.out_dir == project.reports / "v"


def test_params_lists_every_parameter(capsys):
    code, out, _ = run(capsys, "params")
    assert code == 0
    for name in parameters.PARAMETERS:
        assert name in out


def test_check_data_and_hash_data(capsys, project):
    code, out, err = run(capsys, "check-data", "--data-dir", str(project.data))
    assert code == 0 and "all hashes match" in out and out.count("\n") == 1
    plans = project.data / "plans.csv"
    plans.write_text(plans.read_text().replace("2500", "-2500"))
    code, out, err = run(capsys, "check-data", "--data-dir", str(project.data))
    assert code == 1 and "plans.csv" in err and "hash" in err
    code, out, _ = run(capsys, "hash-data", "--data-dir", str(project.data))
    assert code == 0 and "plans" in out
    code, out, err = run(capsys, "check-data", "--data-dir", str(project.data))
    assert code == 1 and "plans.csv, line 2, column 'personnel'" in err


@pytest.mark.notebooks
def test_noop_build_imports_no_heavy_tool(built, tmp_path):
    """An up-to-date build hashes bytes only: papermill, nbconvert and WeasyPrint stay unimported."""
    proj, result, _ = built
    assert result.exit_code == 0
    script = (
        "import sys\n"
        "from haiti_mss.build import build\n"
        "from conftest import FIXTURES\n"
        f"r = build(['fixture'], reports_dir={str(proj.reports)!r}, params_dir={str(proj.params)!r}, "
        f"notebooks_dir=FIXTURES / 'notebooks', notebooks={FIXTURE_NOTEBOOKS!r}, echo=lambda line: None)\n"
        "assert [x.status for x in r.results] == ['skipped', 'skipped'], r.results\n"
        "heavy = [m for m in ('papermill', 'nbconvert', 'weasyprint', 'nbformat', 'jupyter_client') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                         cwd=str(paths.ROOT / "tests"))
    assert run.returncode == 0, run.stderr


def test_console_script_help():
    run = subprocess.run([sys.executable, "-m", "haiti_mss.cli", "--help"], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0 and "build" in run.stdout and "check-data" in run.stdout
