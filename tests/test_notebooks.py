"""The four notebooks execute with papermill on the real data, react to parameters and to new data rows."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from haiti_mss import figures, manifest, notebook, parameters, paths, validation

from datafixtures import data_copy  # noqa: F401  (fixture)

pytestmark = pytest.mark.notebooks


def run(name, tmp_path, **parameters):
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(paths.NOTEBOOKS_DIR / f"{name}.ipynb"), str(out), parameters=parameters,
                        kernel_name="python3", progress_bar=False, cwd=str(paths.NOTEBOOKS_DIR))
    nb = nbformat.read(out, as_version=4)
    return nb, figures.extract(nb)


def prose(nb) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(data.get("text/markdown", "") + data.get("text/html", ""))
    return "\n".join(parts)


def test_notebooks_are_committed_without_outputs():
    for name in manifest.NOTEBOOKS:
        nb = nbformat.read(paths.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), name


@pytest.mark.parametrize("name", list(manifest.NOTEBOOKS))
def test_notebook_runs_with_defaults(name, tmp_path):
    nb, found = run(name, tmp_path)
    assert found.get("planned_strength") == (None if name == "02_displacement" else 2500)  # 02 does not read it
    assert found["as_of"] == found["newest_figure"]
    wanted = {"00_brief": {"deployed_low", "deployed_high", "deployed_share_low", "deployed_share_high", "idps_latest",
                           "idps_latest_date", "children_share_latest", "claims"},
              "01_deployment": {"deployed_low", "deployed_high", "statement_share_high"},
              "02_displacement": {"idps_latest", "idps_latest_date", "children_share_latest"},
              "03_violence": {"killed_last_four_quarters"}}[name]
    assert wanted <= set(found)
    # No typed numbers: the headline figure in the prose is the recorded one, formatted
    if "deployed_low" in found:
        assert f"{found['deployed_low']:,}" in prose(nb)
    if name == "00_brief":
        assert len(found["claims"]) == 10 and all(c["verdict"] for c in found["claims"])


def test_deployment_as_of_the_less_than_a_quarter_statement(tmp_path):
    _, then = run("01_deployment", tmp_path, as_of="2024-09-20")
    assert then["as_of"] == "2024-09-20"
    assert then["deployed_share_high"] < 0.25  # 426 / 2,500
    _, gsf = run("01_deployment", tmp_path, planned_strength=5550)
    _, default = run("01_deployment", tmp_path)
    assert gsf["deployed_share_high"] < default["deployed_share_high"]
    assert gsf["deployed_share_high"] == pytest.approx(default["deployed_high"] / 5550)


def test_a_wrong_parameter_stops_the_notebook_with_one_line(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as err:
        run("01_deployment", tmp_path, planned_strength=-5)
    assert err.value.ename == "ParameterError"
    assert err.value.evalue == "parameter 'planned_strength': got -5; expected a whole number from 1 to 100,000"


def add_row(folder, table, values):
    path = folder / f"{table}.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    with path.open("a", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerow([values.get(h, "") for h in header])
    validation.refresh_hashes(folder)


def test_new_rows_change_figures_and_narrative_without_code_changes(data_copy, tmp_path):
    add_row(data_copy, "sources", {"source_id": "test-new-round", "publisher": "IOM (test)", "title": "Test round",
                                   "url": "https://example.org/test", "published": "2026-03-01", "published_precision": "day",
                                   "language": "en", "research_ref": "test"})
    add_row(data_copy, "dtm_rounds", {"round_id": "dtm-test", "round_label": "Round 12", "reference_date": "2026-03-01",
                                      "reference_precision": "day", "published": "2026-03-01", "idps": "1500001",
                                      "reporting_date": "2026-02-28", "reporting_precision": "day",
                                      "departments_covered": "10", "coverage": "All ten departments",
                                      "idps_qualifier": "exact", "source_id": "test-new-round", "quote": "1,500,001 (test)"})
    add_row(data_copy, "arrivals", {"movement_id": "2026-03-02-chad", "date": "2026-03-02", "date_precision": "day",
                                    "country": "Chad", "mission": "GSF", "movement": "arrival", "personnel": "800",
                                    "net_change": "800", "source_id": "test-new-round", "quote": "800 arrived (test)"})
    nb, found = run("02_displacement", tmp_path, data_dir=str(data_copy))
    assert found["idps_latest"] == 1500001 and found["idps_latest_round"] == "Round 12"
    assert "1,500,001" in prose(nb)
    nb, dep = run("01_deployment", tmp_path, data_dir=str(data_copy))
    assert dep["deployed_arrivals_net"] == 1021 + 800
    assert "1,821" in prose(nb)


def test_a_bad_data_file_stops_the_notebook_naming_file_line_column(data_copy, tmp_path):
    text = (data_copy / "arrivals.csv").read_text().replace("2024-07-16,day", "2024-07-99,day", 1)
    (data_copy / "arrivals.csv").write_text(text)
    validation.refresh_hashes(data_copy)
    with pytest.raises(pm.PapermillExecutionError) as err:
        run("01_deployment", tmp_path, data_dir=str(data_copy))
    assert err.value.ename == "DataValidationError"
    assert "data/arrivals.csv, line 3, column 'date': got '2024-07-99'; expected a real calendar date" in err.value.evalue


# ---------------------------------------------------------------- parameters checked outside the build

UNKNOWN = ("ParameterError: unknown parameter 'planed_strength' (did you mean 'planned_strength'?); "
           f"known: {', '.join(parameters.PARAMETERS)}")  # as_of, planned_strength, population, ...


def starter(tmp_path, extra_parameter_line: str = "") -> Path:
    """A two-cell notebook: the real notebooks' parameters cell (plus a line), then the call to start()."""
    real = nbformat.read(paths.NOTEBOOKS_DIR / "03_violence.ipynb", as_version=4)
    cell = next(c for c in real.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.rstrip("\n") + "\n" + extra_parameter_line
    nb = nbformat.v4.new_notebook(metadata=real.metadata, cells=[cell, nbformat.v4.new_code_cell(
        "from haiti_mss.notebook import start\n"
        'ctx = start("03_violence", as_of=as_of, planned_strength=planned_strength,\n'
        "            data_dir=data_dir, report_title=report_title)")])
    path = tmp_path / "starter.ipynb"
    nbformat.write(nb, path)
    return path


def tool(name: str, *args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / name), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def error_lines(path) -> list[str]:
    """The traceback the executed notebook shows for its failing cell."""
    nb = nbformat.read(path, as_version=4)
    return [line for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error" for line in o.traceback]


@pytest.mark.parametrize("args, message", [
    (["-p", "planed_strength", "3000"], UNKNOWN),
    (["-p", "planned_strength", "many"], "ParameterError: parameter 'planned_strength': got 'many'; expected a whole number from 1 to 100,000"),
    (["-p", "planned_strength", "0"], "ParameterError: parameter 'planned_strength': got 0; expected a whole number from 1 to 100,000"),
], ids=["wrong name", "wrong type", "out of range"])
def test_plain_papermill_refuses_a_wrong_parameter_with_one_line(tmp_path, args, message):
    out = tmp_path / "out.ipynb"
    done = tool("papermill", str(starter(tmp_path)), str(out), *args, "-k", "python3", "--no-progress-bar", cwd=tmp_path)
    assert done.returncode != 0
    assert message in done.stderr.splitlines()
    assert error_lines(out) == [message]  # Jupyter shows the one line, not a stack of library frames


def test_plain_papermill_on_a_real_notebook_refuses_a_typo(tmp_path):
    """The issue's command: it ran to the end with the default 2,500; papermill only warned."""
    out = tmp_path / "out.ipynb"
    done = tool("papermill", str(paths.NOTEBOOKS_DIR / "01_deployment.ipynb"), str(out), "-p", "planed_strength", "3000",
                "-k", "python3", "--no-progress-bar", cwd=paths.NOTEBOOKS_DIR)
    assert done.returncode != 0 and UNKNOWN in done.stderr.splitlines()
    assert "Passed unknown parameter: planed_strength" in done.stderr  # papermill's own warning, still printed


def test_jupyter_execute_refuses_a_typo_in_the_parameters_cell(tmp_path):
    done = tool("jupyter", "execute", str(starter(tmp_path, "planed_strength = 3000\n")), cwd=tmp_path)
    assert done.returncode != 0 and UNKNOWN in done.stderr.splitlines()


def test_jupyterlab_rerun_after_fixing_the_typo_passes():
    """In JupyterLab the kernel's history holds every cell run: only the parameters cell as last run counts."""
    from inprocess import shell

    from haiti_mss.parameters import ParameterError

    params = nbformat.read(paths.NOTEBOOKS_DIR / "03_violence.ipynb", as_version=4).cells[1].source
    call = ('from haiti_mss.notebook import start\nctx = start("03_violence", as_of=as_of, planned_strength=planned_strength, '
            "data_dir=data_dir, report_title=report_title)")
    with shell() as ip:
        assert ip.run_cell(params + "\nplaned_strength = 3000\n", store_history=True).success
        failed = ip.run_cell(call, store_history=True)
        assert isinstance(failed.error_in_exec, ParameterError) and str(failed.error_in_exec) == UNKNOWN.split(": ", 1)[1]
        assert not ip.run_cell(call, store_history=True).success  # running the start cell again does not forget it
        assert ip.run_cell(params.replace("planned_strength = None", "planned_strength = 3000"), store_history=True).success
        assert ip.run_cell(call, store_history=True).success
        assert ip.user_ns["ctx"].params["planned_strength"] == 3000


@pytest.mark.parametrize("cells, expected", [
    (["", "# Parameters. None means ...\nas_of = None\n", "# Parameters\nas_of = \"2024-09-22\"\n", "ctx = start(...)"],
     ["# Parameters. None means ...\nas_of = None\n", "# Parameters\nas_of = \"2024-09-22\"\n"]),  # papermill
    (["# Parameters\nx = 1", "print(1)", "planned_strength = 5\nplaned = 2", "ctx = start(...)"],
     ["planned_strength = 5\nplaned = 2"]),  # a parameters cell without its header, run last
    (["import pandas as pd", "ctx = start(...)"], []),
])
def test_parameter_cells_are_the_last_run_of_them(cells, expected):
    assert notebook.parameter_cells(cells) == expected


def test_assigned_names_reads_every_kind_of_assignment():
    assert notebook.assigned_names("a = 1\nb, (c, d) = 2, (3, 4)\ne: int = 5\nf += 1\nimport g\nh.i = 2\n") == ["a", "b", "c", "d", "e", "f"]
    assert notebook.assigned_names("this is not python") == []
