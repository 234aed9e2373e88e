"""The four notebooks execute with papermill on the real data, react to parameters and to new data rows."""

import csv
import json

import nbformat
import papermill as pm
import pytest

from haiti_mss import figures, manifest, paths, validation

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
    assert found["planned_strength"] == 2500 and found["as_of"] == found["newest_figure"]
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
