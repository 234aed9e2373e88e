"""`haiti-report`: parameters rejected before any kernel starts (exit 2, one line), the variants in
params/, `params`, `check-data`, `hash-data`, and a no-op build that imports none of the heavy tools."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE_NOTEBOOKS, FIXTURES
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
    assert not project.reports.exists()             # not even the lock file


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
    # readable slug + the first 8 hex digits of sha256 over the exact values, as canonical JSON
    digest = hashlib.sha256(b'{"planned_strength":5550}').hexdigest()[:8]
    assert target.out_dir == project.reports / f"v+planned_strength-5550-{digest}"
    assert target.sources["planned_strength"] == "--set" and target.passed["planned_strength"] == 5550
    target, = build.plan_targets(["v"], None, None, project.reports, project.params)
    assert target.out_dir == project.reports / "v"


def test_overrides_differing_only_in_punctuation_get_their_own_folders(project):
    """Issue 11: "a b", "a-b" and "a/b" all used to become v+report_title-a-b and overwrite each other."""
    project.variant("v")
    folders = {}
    for title in ("a b", "a-b", "a/b"):
        target, = build.plan_targets(["v"], [f"report_title={title}"], None, project.reports, project.params)
        folders[title] = target.out_dir.name
    for title, name in folders.items():
        exact = json.dumps({"report_title": title}, separators=(",", ":")).encode()   # e.g. {"report_title":"a b"}
        assert name == "v+report_title-a-b-" + hashlib.sha256(exact).hexdigest()[:8]
    assert len(set(folders.values())) == 3
    again, = build.plan_targets(["v"], ["report_title=a b"], None, project.reports, project.params)
    assert again.out_dir.name == folders["a b"]          # the same values: the same folder


@pytest.mark.parametrize("args, message", [
    (["gsf-5550", "--out", "{reports}/latest"],
     "error: --out {reports}/latest: inside the folder of variant 'latest' (reports/latest/), whose reports it would "
     "overwrite; choose another folder, e.g. {reports}/my-run\n"),
    (["gsf-5550", "--out", "{reports}/latest/deeper"], "inside the folder of variant 'latest'"),
    (["latest", "--set", "planned_strength=5550", "--out", "{reports}/latest"], "inside the folder of variant 'latest'"),
    (["latest", "--out", "{reports}"],
     "error: --out {reports}: that is the reports folder itself; name a folder inside it, e.g. {reports}/my-run\n"),
    (["latest", "--out", "{reports}/.."], "that folder holds {reports}; name a folder inside it"),
    (["latest", "--out", "{reports}/compare"], "holds the comparison pages"),
], ids=["another-variant", "inside-another-variant", "own-folder-with-overrides", "reports-itself", "its-parent",
        "compare-folder"])
def test_out_may_not_overwrite_a_named_variant_or_reports(capsys, tmp_path, args, message):
    reports = tmp_path / "reports"
    argv = [a.replace("{reports}", str(reports)) for a in args]
    code, out, err = run(capsys, "build", *argv, "--reports-dir", str(reports))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message.replace("{reports}", str(reports)) in err
    assert not reports.exists()                     # refused before anything was written


def test_out_may_name_the_variants_own_folder_or_any_other(project):
    project.variant("v")
    project.variant("w")
    target, = build.plan_targets(["v"], None, project.reports / "v", project.reports, project.params)
    assert target.out_dir == project.reports / "v"       # the same as no --out
    target, = build.plan_targets(["v"], ["planned_strength=5550"], project.reports / "my-run", project.reports,
                                 project.params)
    assert target.out_dir == project.reports / "my-run"
    target, = build.plan_targets(["v"], None, project.root / "elsewhere", project.reports, project.params)
    assert target.out_dir == project.root / "elsewhere"


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


# ---------------------------------------------------------------- through the real CLI and make, on a project root

def project_root(tmp_path: Path, data: Path, variants: dict[str, dict]) -> Path:
    """A throwaway project (HAITI_MSS_ROOT): a copy of `data`, params/*.yaml, the fixture notebooks."""
    root = tmp_path / "root"
    shutil.copytree(data, root / "data")
    (root / "params").mkdir()
    for name, doc in variants.items():
        (root / "params" / f"{name}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    shutil.copytree(FIXTURES / "notebooks", root / "notebooks")
    return root


def clean_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS", "HAITI_"))}
    env["HAITI_MSS_ROOT"] = str(root)
    return env


def make(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`make ARGS` in this checkout (its .venv), reading and writing the project at `root`; no shell."""
    return subprocess.run(["make", "--no-print-directory", "-C", str(paths.ROOT), *args], capture_output=True,
                          text=True, timeout=300, env=clean_env(root))


FAIL_EARLY = r"""
import sys, time
started = time.monotonic()
from haiti_mss import cli
code = cli.main(sys.argv[1:])
print(f"seconds={time.monotonic() - started:.2f}", file=sys.stderr)
print("heavy=" + ",".join(m for m in ("papermill", "jupyter_client", "nbconvert", "weasyprint") if m in sys.modules),
      file=sys.stderr)
sys.exit(code)
"""


def test_broken_data_fails_once_before_any_kernel(tmp_path):
    """Issue 10: a data file that fails validation used to start every kernel of every variant and print
    the same problem once per notebook. Now: each problem once, no kernel, reports/ untouched, exit 1."""
    root = project_root(tmp_path, FIXTURES / "data", {"a": {"title": "A"}, "b": {"title": "B", "parameters": {"planned_strength": 3000}}})
    plans = root / "data" / "plans.csv"
    plans.write_text(plans.read_text().replace("2500", "-2500").replace("2025-09-30", "2025-09-31"))   # hash not refreshed
    (root / "reports").mkdir()
    (root / "reports" / "README.md").write_text("the last good reports would be here\n")
    run = subprocess.run([sys.executable, "-c", FAIL_EARLY, "build", "a", "b", "--notebook", "01_deployment",
                          "--notebook", "02_displacement"], capture_output=True, text=True, timeout=120, env=clean_env(root))
    assert run.returncode == 1, run.stderr
    lines = run.stderr.splitlines()
    problems = [
        "  data/plans.csv: got 'sha256:",
        "  data/plans.csv, line 2, column 'personnel': got '-2500'; expected a value >= 0",
        "  data/plans.csv, line 3, column 'date': got '2025-09-31'; expected a real calendar date as YYYY-MM-DD",
    ]
    assert lines[0] == ("error: the data does not validate, so nothing was built and no report was touched "
                        "(after fixing a file, `make hash-data`, then `make check-data`):")
    assert lines[1] == f"3 problems in the data in {root / 'data'}:"
    for problem in problems:
        assert sum(line.startswith(problem) for line in lines) == 1, (problem, run.stderr)
    assert lines[5].startswith("seconds=") and lines[6] == "heavy="           # no papermill: no kernel started
    assert len(lines) == 7 and run.stdout == ""
    assert sorted(p.name for p in (root / "reports").iterdir()) == ["README.md"]   # no lock, no folder, no index


def test_make_report_passes_each_set_value_intact(tmp_path):
    """`make report SET='report_title="My own <script> title" planned_strength=3000'`: the values reach
    the build whole (spaces, quotes and markup), and the title is escaped on the page."""
    root = project_root(tmp_path, FIXTURES / "data", {"fixture": {"title": "Fixture"}})
    title = "My own <script> title"
    run = make(root, "report", "VARIANT=fixture", "NOTEBOOK=01_deployment",
               f"SET=report_title=\"{title}\" planned_strength=3000")
    assert run.returncode == 0, run.stdout + run.stderr
    exact = b'{"planned_strength":3000,"report_title":"My own <script> title"}'
    folder = root / "reports" / ("fixture+planned_strength-3000+report_title-My-own-script-title-"
                                 + hashlib.sha256(exact).hexdigest()[:8])
    doc = json.loads((folder / "figures.json").read_text(encoding="utf-8"))
    assert doc["overrides"] == {"planned_strength": 3000, "report_title": title}
    assert doc["01_deployment"]["deployed"] == 1873 and doc["01_deployment"]["share_of_plan"] == round(1873 / 3000, 4)
    page = (folder / "01_deployment.html").read_text(encoding="utf-8")
    assert "<td>report_title</td><td>My own &lt;script&gt; title</td><td>--set</td>" in page
    assert "<script> title" not in page


def test_the_readme_recipe_for_a_data_row_builds(tmp_path):
    """README.md, "Adding a data row", step by step on a copy of data/: a new source (only the columns the
    README names), a new row citing it, `make hash-data`, `make check-data`, then the notebook that reads
    the table (here the fixture 01_deployment, which reports the newest strength report) is built."""
    import csv

    root = project_root(tmp_path, paths.DATA_DIR, {"latest": yaml.safe_load((paths.PARAMS_DIR / "latest.yaml").read_text())})

    def add(table: str, values: dict[str, str]) -> None:
        path = root / "data" / f"{table}.csv"
        with path.open(newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert set(values) <= set(header), set(values) - set(header)
        with path.open("a", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerow([values.get(h, "") for h in header])

    # 1. the source: source_id, publisher, title, url, published + published_precision, language
    add("sources", {"source_id": "test-my-source", "publisher": "A test publisher", "title": "A test page",
                    "url": "https://example.org/test-page", "published": "2026-04-30", "published_precision": "day",
                    "language": "en"})
    # 2. the row (data/README.md: the strength_reports columns), with its source_id and a verbatim quote
    add("strength_reports", {"report_id": "2026-04-30-test", "as_of": "2026-04-30", "as_of_precision": "day",
                             "scope": "mission", "personnel": "1234", "source_id": "test-my-source",
                             "quote": "1,234 personnel (test row)"})
    # 3. make hash-data, then make check-data
    hashed = make(root, "hash-data")
    assert hashed.returncode == 0 and "updated the hash of 2 tables: sources, strength_reports" in hashed.stdout, hashed.stderr
    checked = make(root, "check-data")
    assert checked.returncode == 0 and "all valid; all hashes match" in checked.stdout, checked.stderr
    # 4. the report (the notebook that reads the table)
    built = make(root, "report", "VARIANT=latest", "NOTEBOOK=01_deployment")
    assert built.returncode == 0, built.stdout + built.stderr
    doc = json.loads((root / "reports" / "latest" / "figures.json").read_text(encoding="utf-8"))
    assert doc["parameters"]["as_of"] == "2026-04-30"           # the new row is the newest figure
    assert doc["01_deployment"]["deployed"] == 1234
    assert "<strong>1,234</strong> personnel were deployed" in (root / "reports" / "latest" / "01_deployment.html").read_text()
