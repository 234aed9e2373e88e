"""One targeted test per constraint and invariant kind of the data package: a copy of data/ with one cell,
row or column spoiled gives exactly one problem, and its line is written out here in full (file, line,
column, value, what was expected), as `make check-data` prints it.

Kinds already pinned in test_data.py: missing column, unknown source id, minimum, maximum, low above high,
bad and future dates, duplicate single-column key, rotation counted as an increase, stale hash, empty file,
department sums, pcodes, names. Here: enum, required, pattern, unique (composite key and a unique column
that is not the key), extra column, wrong field count, header only, shares summing to at most 1, counts
not above totals, period start <= end; each with the boundary value that must still pass.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from haiti_mss import data, paths, validation
from haiti_mss.validation import DataValidationError

TODAY = date(2026, 11, 26)
CLI = str(Path(sys.executable).parent / "haiti-report")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """One copy of data/ per module; each test works on a cheap copy of the one file it spoils."""
    folder = tmp_path_factory.mktemp("pristine") / "data"
    shutil.copytree(paths.DATA_DIR, folder)
    return folder


@pytest.fixture
def folder(pristine, tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(pristine, target)
    return target


def read(folder: Path, table: str) -> list[list[str]]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write(folder: Path, table: str, rows: list[list[str]]) -> None:
    with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    validation.refresh_hashes(folder)


def set_cell(folder: Path, table: str, line: int, column: str, value: str, expect_before: str | None = None) -> None:
    """Set one cell; line is the file line (1 = header). expect_before guards against data/ having moved."""
    rows = read(folder, table)
    i = rows[0].index(column)
    if expect_before is not None:
        assert rows[line - 1][i] == expect_before, f"{table} line {line} {column} is {rows[line - 1][i]!r} now"
    rows[line - 1][i] = value
    write(folder, table, rows)


def problems(folder: Path) -> list[str]:
    try:
        data.load_tables(None, folder, today=TODAY)
    except DataValidationError as err:
        return [str(p) for p in err.problems]
    return []


def only(folder: Path) -> str:
    found = problems(folder)
    assert len(found) == 1, found
    assert "\n" not in found[0]
    return found[0]


# ---------------------------------------------------------------- enum

def test_enum_value_outside_the_list(folder):
    set_cell(folder, "police", 2, "measure", "strength", expect_before="headcount")
    assert only(folder) == ("data/police.csv, line 2, column 'measure': got 'strength'; "
                            "expected one of headcount, on_duty, in_service, operational")


def test_enum_is_case_sensitive(folder):
    set_cell(folder, "sources", 2, "published_precision", "Day", expect_before="day")
    assert only(folder) == "data/sources.csv, line 2, column 'published_precision': got 'Day'; expected one of day, month, year, unknown"


def test_every_enum_value_is_accepted(folder):
    rows = read(folder, "police")
    i = rows[0].index("measure")
    for line, measure in zip(range(2, 6), ["headcount", "on_duty", "in_service", "operational"]):
        rows[line - 1][i] = measure
    write(folder, "police", rows)
    assert problems(folder) == []


# ---------------------------------------------------------------- required

def test_required_text_left_empty(folder):
    set_cell(folder, "sources", 3, "publisher", "")
    assert only(folder) == "data/sources.csv, line 3, column 'publisher'; expected a value (this column is required)"


def test_required_number_left_empty(folder):
    set_cell(folder, "police", 3, "officers", "", expect_before="9000")
    assert only(folder) == "data/police.csv, line 3, column 'officers'; expected a value (this column is required)"


def test_optional_cells_may_be_empty(folder):
    set_cell(folder, "police", 2, "confidence", "", expect_before="high")  # optional enum
    set_cell(folder, "dtm_rounds", 9, "sites_idps", "", expect_before="136500")  # optional integer
    assert problems(folder) == []


# ---------------------------------------------------------------- pattern

def test_id_that_is_not_a_slug(folder):
    set_cell(folder, "police", 2, "figure_id", "HNP 2019", expect_before="hnp-2019-10")
    assert only(folder) == "data/police.csv, line 2, column 'figure_id': got 'HNP 2019'; expected text matching the pattern ^[a-z0-9][a-z0-9-]*$"


def test_url_without_scheme(folder):
    set_cell(folder, "sources", 3, "url", "press.un.org/2023/sc15432.doc.htm",
             expect_before="https://press.un.org/2023/sc15432.doc.htm")
    assert only(folder) == ("data/sources.csv, line 3, column 'url': got 'press.un.org/2023/sc15432.doc.htm'; "
                            "expected text matching the pattern ^https?://\\S+$")


def test_pattern_must_match_the_whole_value(folder):
    # ^HT(0[1-9]|10)$ : "HT100" starts like HT10 but is not a pcode
    set_cell(folder, "dtm_areas", 2, "adm1_pcode", "HT100")
    found = problems(folder)
    assert "data/dtm_areas.csv, line 2, column 'adm1_pcode': got 'HT100'; expected text matching the pattern ^HT(0[1-9]|10)$" in found


# ---------------------------------------------------------------- unique

def test_duplicate_single_column_key(folder):
    set_cell(folder, "police", 3, "figure_id", "hnp-2019-10", expect_before="hnp-2023-in-service")
    assert only(folder) == "data/police.csv, line 3, column 'figure_id': got 'hnp-2019-10'; expected a unique key (already used on line 2)"


def test_duplicate_composite_key(folder):
    # Round 9, Sud (HT07), fled from Ouest (HT01): "Conflict" on line 112, "Insecurity" on line 113.
    set_cell(folder, "dtm_origins", 113, "reason", "Conflict", expect_before="Insecurity")
    assert only(folder) == ("data/dtm_origins.csv, line 113, column 'round_id,adm1_pcode,origin_adm1_pcode,reason': "
                            "got ('dtm-r09', 'HT07', 'HT01', 'Conflict'); expected a unique key (already used on line 112)")


def test_unique_column_that_is_not_the_key(tmp_path):
    """No table of data/ has one (every unique column is its table's key), so a package of one table."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "things.csv").write_text("id,code\na,x\nb,y\nc,x\n", encoding="utf-8")
    descriptor = {"resources": [{"name": "things", "path": "things.csv", "schema": {
        "fields": [{"name": "id", "type": "string"}, {"name": "code", "type": "string", "constraints": {"unique": True}}],
        "primaryKey": ["id"]}}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        validation.validate(folder, today=TODAY)
    assert [str(p) for p in err.value.problems] == [
        "data/things.csv, line 4, column 'code': got 'x'; expected a unique value (already used on line 2)"]
    (folder / "things.csv").write_text("id,code\na,x\nb,y\nc,\nd,\n", encoding="utf-8")  # empty is not a value
    assert list(validation.validate(folder, today=TODAY)["things"]["id"]) == ["a", "b", "c", "d"]


# ---------------------------------------------------------------- shape of the file

POLICE_COLUMNS = "figure_id, date, date_precision, measure, officers, source_id, quote, note, confidence"


def test_extra_column(folder):
    rows = read(folder, "police")
    write(folder, "police", [r[:5] + (["comment"] if n == 0 else [""]) + r[5:] for n, r in enumerate(rows)])
    assert only(folder) == ("data/police.csv, line 1, column 'comment': got 'comment'; "
                            f"expected only the columns declared in datapackage.json: {POLICE_COLUMNS}")


def test_row_with_one_field_too_many(folder):
    rows = read(folder, "police")
    rows[2].append("stray")
    write(folder, "police", rows)
    assert only(folder) == "data/police.csv, line 3: got '10 fields'; expected 9 fields as in the header"


def test_row_with_one_field_too_few(folder):
    rows = read(folder, "police")
    rows[3] = rows[3][:-1]
    write(folder, "police", rows)
    assert only(folder) == "data/police.csv, line 4: got '8 fields'; expected 9 fields as in the header"


def test_header_only(folder):
    write(folder, "police", read(folder, "police")[:1])
    assert only(folder) == "data/police.csv; expected at least one data row (the file has only a header)"


def test_blank_lines_are_skipped_and_lines_still_counted(folder):
    path = folder / "police.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(lines[:2] + [""] + lines[2:]), encoding="utf-8")  # a blank line 3
    validation.refresh_hashes(folder)
    assert problems(folder) == []
    set_cell(folder, "police", 4, "officers", "-1", expect_before="9000")  # the 9,000 row moved from line 3 to 4
    assert only(folder) == "data/police.csv, line 4, column 'officers': got '-1'; expected a value >= 0"


# ---------------------------------------------------------------- invariants across columns

def test_host_and_site_shares_above_one(folder):
    # Round 3: 62% with host families, 38% in sites (sum exactly 1, accepted); 39% makes 101%.
    set_cell(folder, "dtm_rounds", 4, "sites_share", "0.39", expect_before="0.38")
    assert only(folder) == ("data/dtm_rounds.csv, line 4, column 'sites_share': got 0.39; "
                            "expected host_share + sites_share <= 1 (host_share is 0.62)")


def test_shares_summing_to_exactly_one_pass(folder):
    set_cell(folder, "dtm_rounds", 8, "sites_share", "0.2", expect_before="0.2")  # Round 7: 0.8 + 0.2
    set_cell(folder, "dtm_rounds", 10, "sites_share", "0.17")  # Round 9: 0.83 + 0.17
    assert problems(folder) == []


def test_sites_count_above_the_round_total(folder):
    set_cell(folder, "dtm_rounds", 9, "sites_idps", "702974", expect_before="136500")  # Round 8: 702,973 IDPs
    assert only(folder) == "data/dtm_rounds.csv, line 9, column 'sites_idps': got 702974; expected a count not above idps (702973)"


def test_children_count_above_the_round_total(folder):
    set_cell(folder, "dtm_rounds", 8, "children_count", "578075", expect_before="")  # Round 7: 578,074 IDPs
    assert only(folder) == ("data/dtm_rounds.csv, line 8, column 'children_count': got 578075; "
                            "expected a count not above idps (578074)")


def test_killed_above_killed_or_injured(folder):
    set_cell(folder, "violence", 6, "killed", "2506", expect_before="1660")  # 2024-Q1: 2,505 killed or injured
    assert only(folder) == ("data/violence.csv, line 6, column 'killed': got 2506; "
                            "expected a count not above killed_or_injured_stated (2505)")


def test_counts_equal_to_their_total_pass(folder):
    set_cell(folder, "violence", 6, "killed", "2505", expect_before="1660")
    set_cell(folder, "dtm_rounds", 9, "sites_idps", "702973", expect_before="136500")
    set_cell(folder, "dtm_rounds", 8, "children_count", "578074", expect_before="")
    assert problems(folder) == []


def test_dtm_period_starting_after_it_ends(folder):
    set_cell(folder, "dtm_rounds", 4, "period_start", "2023-03-17", expect_before="2023-02-14")  # ends 16 Mar 2023
    assert only(folder) == ("data/dtm_rounds.csv, line 4, column 'period_end': got '2023-03-16'; "
                            "expected period_end >= period_start (2023-03-17)")


def test_violence_period_starting_after_it_ends(folder):
    set_cell(folder, "violence", 6, "period_end", "2023-12-31", expect_before="2024-03-31")  # starts 1 Jan 2024
    assert only(folder) == ("data/violence.csv, line 6, column 'period_end': got '2023-12-31'; "
                            "expected period_end >= period_start (2024-01-01)")


def test_a_one_day_period_passes(folder):
    set_cell(folder, "dtm_rounds", 4, "period_start", "2023-03-16", expect_before="2023-02-14")
    assert problems(folder) == []


def test_cli_prints_the_same_line(folder):
    set_cell(folder, "police", 2, "measure", "strength", expect_before="headcount")
    done = subprocess.run([CLI, "check-data", "--data-dir", str(folder)], capture_output=True, text=True)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert ("data/police.csv, line 2, column 'measure': got 'strength'; expected one of headcount, on_duty, in_service, "
            "operational") in done.stderr
