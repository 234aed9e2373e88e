"""The data layer: the real data/ validates and loads typed; each kind of bad input gets a precise error."""

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from haiti_mss import data, paths, validation
from haiti_mss.validation import DataValidationError

from datafixtures import data_copy, tables  # noqa: F401  (fixtures)

CLI = str(Path(sys.executable).parent / "haiti-report")
FIGURE_TABLES = ["un_decisions", "plans", "pledges", "arrivals", "strength_reports", "dtm_rounds", "dtm_areas",
                 "displacement_other", "violence", "population", "police", "claims", "expert_statements"]
FIGURE_TABLES += ["funding", "funding_costs", "funding_statements"]


# ---------------------------------------------------------------- the real data

def test_real_data_validates_with_expected_types(tables):
    assert set(FIGURE_TABLES) | {"sources"} <= set(tables)
    arrivals = tables["arrivals"]
    assert str(arrivals["date"].dtype) == "datetime64[ns]"
    assert str(arrivals["personnel"].dtype) == "Int64"
    assert str(arrivals["country"].dtype) == "string"
    assert str(tables["dtm_rounds"]["children_share"].dtype) == "Float64"
    assert str(tables["population"]["is_un_estimate"].dtype) == "boolean"


def test_every_figure_row_names_a_known_source_and_a_quote(tables):
    ledger = set(tables["sources"]["source_id"])
    for name in FIGURE_TABLES:
        frame = tables[name]
        assert frame["source_id"].notna().all(), name
        assert set(frame["source_id"]) <= ledger, name
        assert frame["quote"].str.len().gt(0).all(), name
    cited = set()
    notes = " ".join(" ".join(tables[n]["note"].dropna()) for n in FIGURE_TABLES if "note" in tables[n])
    for n in FIGURE_TABLES:
        for column in ("source_id", "alt_source_id"):
            if column in tables[n]:
                cited |= set(tables[n][column].dropna())
    uncited = {s for s in ledger - cited if s not in notes}  # corroborating sources are named in notes
    assert uncited == set(), f"sources nobody cites: {uncited}"


def test_conflicting_values_are_kept_side_by_side(tables):
    benin = tables["pledges"][tables["pledges"]["country"] == "Benin"].iloc[0]
    assert (benin["personnel_low"], benin["personnel_high"]) == (1500, 2000)  # haiti-mss-facts.md §2
    feb = tables["strength_reports"]
    feb = feb[(feb["as_of"] == "2025-02-04") & (feb["scope"] == "mission")]
    assert sorted(feb["personnel"]) == [800, 900]  # "slightly fewer than 800" (AFP) vs "more than 900" (EFE)


def test_rotation_is_not_an_increase(tables):
    rotations = tables["arrivals"][tables["arrivals"]["movement"] == "rotation"]
    assert len(rotations) >= 1 and (rotations["net_change"].fillna(0) == 0).all()


def test_datapackage_is_a_valid_frictionless_package():
    """The standard tool agrees with our validator on the real data (hashes, types, keys)."""
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(paths.DATA_DIR / "datapackage.json"))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:10]


def test_cli_check_data_passes_on_real_data():
    done = subprocess.run([CLI, "check-data"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "hashes match" in done.stdout


# ---------------------------------------------------------------- bad copies

def rewrite(folder: Path, table: str, edit, rehash: bool = True) -> None:
    path = folder / f"{table}.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows = edit(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    if rehash:
        validation.refresh_hashes(folder)


def set_cell(table_rows, row: int, column: str, value: str):
    header = table_rows[0]
    table_rows[row][header.index(column)] = value
    return table_rows


def problems_of(folder: Path) -> list[validation.Problem]:
    with pytest.raises(DataValidationError) as err:
        data.load_tables(None, folder, today=date(2026, 11, 26))
    return err.value.problems


def assert_only(folder, file, line, column, expected_fragment):
    found = problems_of(folder)
    assert len(found) == 1, [str(p) for p in found]
    p = found[0]
    assert (p.file, p.line, p.column) == (file, line, column), str(p)
    assert expected_fragment in str(p)
    done = subprocess.run([CLI, "check-data", "--data-dir", str(folder)], capture_output=True, text=True)
    assert done.returncode != 0
    assert f"{file}, line {line}" in done.stderr if line else file in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_column(data_copy):
    def drop(rows):
        i = rows[0].index("personnel")
        return [r[:i] + r[i + 1:] for r in rows]
    rewrite(data_copy, "arrivals", drop)
    assert_only(data_copy, "data/arrivals.csv", 1, "personnel", "this column in the header (it is missing)")


def test_unknown_source_id(data_copy):
    rewrite(data_copy, "arrivals", lambda r: set_cell(r, 2, "source_id", "no-such-source"))
    assert_only(data_copy, "data/arrivals.csv", 3, "source_id", "an id that exists in data/sources.csv")


def test_negative_count(data_copy):
    rewrite(data_copy, "dtm_rounds", lambda r: set_cell(r, 3, "idps", "-5"))
    assert_only(data_copy, "data/dtm_rounds.csv", 4, "idps", "got '-5'; expected a value >= 0")


def test_share_above_one(data_copy):
    def edit(rows):
        header = rows[0]
        row = next(i for i, r in enumerate(rows[1:], 1) if r[header.index("children_share")])
        edit.line = row + 1
        return set_cell(rows, row, "children_share", "52")
    rewrite(data_copy, "dtm_rounds", edit)
    assert_only(data_copy, "data/dtm_rounds.csv", edit.line, "children_share", "a value <= 1")


def test_low_above_high(data_copy):
    def edit(rows):
        header = rows[0]
        row = next(i for i, r in enumerate(rows[1:], 1) if r[header.index("country")] == "Benin")
        edit.line = row + 1
        set_cell(rows, row, "personnel_low", "2500")
        return rows
    rewrite(data_copy, "pledges", edit)
    assert_only(data_copy, "data/pledges.csv", edit.line, "personnel_high", "personnel_high >= personnel_low (2500)")


@pytest.mark.parametrize("value, fragment", [("2024-02-30", "a real calendar date"), ("25/06/2024", "a date as YYYY-MM-DD"),
                                             ("2027-01-01", "a date not in the future")])
def test_bad_or_future_date(data_copy, value, fragment):
    rewrite(data_copy, "arrivals", lambda r: set_cell(r, 1, "date", value))
    assert_only(data_copy, "data/arrivals.csv", 2, "date", fragment)


def test_duplicate_key(data_copy):
    def edit(rows):
        return set_cell(rows, 2, "movement_id", rows[1][rows[0].index("movement_id")])
    rewrite(data_copy, "arrivals", edit)
    assert_only(data_copy, "data/arrivals.csv", 3, "movement_id", "a unique key (already used on line 2)")


def test_rotation_counted_as_increase(data_copy):
    def edit(rows):
        header = rows[0]
        row = next(i for i, r in enumerate(rows[1:], 1) if r[header.index("movement")] == "rotation" and r[header.index("personnel")])
        edit.line = row + 1
        return set_cell(rows, row, "net_change", rows[row][header.index("personnel")])
    rewrite(data_copy, "arrivals", edit)
    assert_only(data_copy, "data/arrivals.csv", edit.line, "net_change", "0 for a rotation")


def test_stale_hash(data_copy):
    rewrite(data_copy, "violence", lambda r: r + [r[-1][:]], rehash=False)
    found = problems_of(data_copy)
    assert any(p.file == "data/violence.csv" and "make hash-data" in str(p) for p in found)


def test_empty_file(data_copy):
    (data_copy / "police.csv").write_text("")
    validation.refresh_hashes(data_copy)
    assert_only(data_copy, "data/police.csv", None, None, "the file is empty")


def test_file_that_is_not_csv(data_copy):
    (data_copy / "police.csv").write_bytes(json.dumps({"not": "csv"}).encode())
    validation.refresh_hashes(data_copy)
    found = problems_of(data_copy)
    assert all(p.file == "data/police.csv" and p.line == 1 for p in found)
    assert any(p.column == "officers" and "missing" in str(p) for p in found)


def test_all_problems_in_a_file_are_reported_together(data_copy):
    def edit(rows):
        set_cell(rows, 1, "date", "yesterday")
        return set_cell(rows, 2, "personnel", "-1")
    rewrite(data_copy, "arrivals", edit)
    found = problems_of(data_copy)
    assert {(p.line, p.column) for p in found} >= {(2, "date"), (3, "personnel")}


def test_hash_refresh_reports_changed_tables(data_copy):
    rewrite(data_copy, "police", lambda r: r, rehash=False)  # same content: no change
    assert validation.refresh_hashes(data_copy) == []
    rewrite(data_copy, "police", lambda r: r[:-1], rehash=False)
    assert validation.refresh_hashes(data_copy) == ["police"]


def test_data_vintage_names_the_newest_date(tables):
    vintage = data.data_vintage(tables)
    assert vintage["arrivals"] == tables["arrivals"]["date"].max()
    earliest, newest = data.date_span(tables, ["arrivals", "violence"])
    assert newest == max(tables["arrivals"]["date"].max(), tables["violence"]["period_end"].max())
    assert earliest == min(tables["arrivals"]["date"].min(), tables["violence"]["period_end"].min())
