"""The data layer: the real data/ validates and loads typed; each kind of bad input gets a precise error."""

import csv
import hashlib
import io
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
                 "dtm_departments", "dtm_origins", "displacement_other", "violence", "population", "police", "claims",
                 "expert_statements"]
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


def count_a_rotation_as_an_increase(folder: Path) -> int:
    """Set the first rotation's net_change to its personnel (a rotation must net 0); return its file line."""
    def edit(rows):
        header = rows[0]
        row = next(i for i, r in enumerate(rows[1:], 1) if r[header.index("movement")] == "rotation" and r[header.index("personnel")])
        edit.line = row + 1
        return set_cell(rows, row, "net_change", rows[row][header.index("personnel")])
    rewrite(folder, "arrivals", edit)
    return edit.line


def test_rotation_counted_as_increase(data_copy):
    line = count_a_rotation_as_an_increase(data_copy)
    assert_only(data_copy, "data/arrivals.csv", line, "net_change", "0 for a rotation")


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


# ---------------------------------------------------------------- DTM departments: sums, pcodes, names

def line_of(rows, **match) -> int:
    """The file line (1 = header) of the first row whose columns equal match."""
    header = rows[0]
    for i, r in enumerate(rows[1:], 2):
        if all(r[header.index(k)] == v for k, v in match.items()):
            return i
    raise AssertionError(f"no row {match}")


def edit_where(column: str, value: str, **match):
    """An edit that sets one cell of the row matching match, remembering its line."""
    def edit(rows):
        edit.line = line_of(rows, **match)
        return set_cell(rows, edit.line - 1, column, value)
    return edit


def test_the_primary_dtm_figures_are_in_the_data(tables):
    rounds = tables["dtm_rounds"].set_index("round_id")
    assert rounds.loc["dtm-r09", "idps"] == 1_041_229 and rounds.loc["dtm-r09", "idps_alt"] == 1_041_000  # news kept
    assert (rounds.loc["dtm-r11", "round_number"], rounds.loc["dtm-r11", "idps"]) == (11, 1_412_199)
    assert rounds.loc["dtm-r11", "idps_alt"] == 1_400_000 and rounds.loc["dtm-r11", "idps_alt_qualifier"] == "more_than"
    assert (rounds.loc["dtm-r05-1", "round_label"], rounds.loc["dtm-r05-1", "idps"]) == ("Round 5.1", 313_901)
    assert rounds.loc["dtm-r05-1", "children_share"] == 0.55 and rounds.loc["dtm-r05-1", "idps_alt"] == 310_000
    assert rounds.loc["dtm-r05-1", "children_count_alt"] == 172_300  # the news's count, from alt_source_id
    assert rounds.loc["dtm-r08", "reporting_date"] == pd.Timestamp("2024-09-30")  # published 2 Oct 2024
    assert rounds.loc["dtm-r07", "departments_covered"] == 10 and rounds.loc["dtm-r06", "departments_covered"] == 7
    deps = tables["dtm_departments"]
    assert set(deps["round_id"]) == {"dtm-r01", "dtm-r02", "dtm-r03", "dtm-r05", "dtm-r06", "dtm-r07", "dtm-r08", "dtm-r09",
                                     "dtm-r10"}  # Round 5.1 and Round 11 are not in the API
    r10 = deps[deps["round_id"] == "dtm-r10"].set_index("department")["idps"]
    assert r10.sum() == 1_287_593 and r10["Sud"] == 185_673 and r10["Nord-Ouest"] == 16_984
    origins = tables["dtm_origins"]
    assert (origins["origin_adm1_pcode"] == "Not available").sum() == 8  # kept, never dropped
    areas = tables["dtm_areas"].set_index("area_figure_id")
    assert (areas.loc["dtm-r10-artibonite", "idps"], areas.loc["dtm-r10-artibonite", "idps_alt"]) == (92_304, 92_000)
    assert areas.loc["dtm-r07-southern-region", "idps"] == 61_831 + 114_627 + 61_428 + 30_566  # 268,452, not "270,000"


def test_department_rows_must_sum_to_the_national_total(data_copy):
    edit = edit_where("idps", "1287594", round_id="dtm-r10")
    rewrite(data_copy, "dtm_rounds", edit)
    assert_only(data_copy, "data/dtm_rounds.csv", edit.line, "idps",
                "expected 1287593, the sum of the department rows of dtm-r10 in data/dtm_departments.csv (lines 47-56)")


def test_departments_covered_counts_the_department_rows(data_copy):
    edit = edit_where("departments_covered", "9", round_id="dtm-r07")
    rewrite(data_copy, "dtm_rounds", edit)
    assert_only(data_copy, "data/dtm_rounds.csv", edit.line, "departments_covered", "expected 10, the number of department rows")


def test_origin_rows_must_sum_to_the_department_total(data_copy):
    rewrite(data_copy, "dtm_origins", edit_where("idps", "185674", round_id="dtm-r10", adm1_pcode="HT07"))
    line = 53  # Round 10, Sud: 185,673 in data/dtm_departments.csv
    assert_only(data_copy, "data/dtm_departments.csv", line, "idps",
                "got 185673; expected 185674, the sum of the origin and reason rows of dtm-r10 HT07 in data/dtm_origins.csv")


def test_a_department_needs_its_origin_rows(data_copy):
    def drop(rows):
        header = rows[0]
        return [r for r in rows if not (r[header.index("round_id")] == "dtm-r10" and r[header.index("adm1_pcode")] == "HT08")]
    rewrite(data_copy, "dtm_origins", drop)
    assert_only(data_copy, "data/dtm_departments.csv", 54, "adm1_pcode", "'Not available'")  # Round 10, Grand'Anse


def test_department_name_must_match_its_pcode(data_copy):
    edit = edit_where("department", "Nord Ouest", round_id="dtm-r10", adm1_pcode="HT09")
    rewrite(data_copy, "dtm_departments", edit)
    assert_only(data_copy, "data/dtm_departments.csv", edit.line, "department", "'Nord-Ouest', the French name of HT09")


def test_males_and_females_sum_to_the_department_total(data_copy):
    edit = edit_where("males", "83204", round_id="dtm-r10", adm1_pcode="HT07")  # 83,203 + 102,470 = 185,673
    rewrite(data_copy, "dtm_departments", edit)
    assert_only(data_copy, "data/dtm_departments.csv", edit.line, "females", "males + females = idps")


def test_origin_pcode_outside_ht01_ht10(data_copy):
    edit = edit_where("origin_adm1_pcode", "HT11", round_id="dtm-r10", adm1_pcode="HT07")
    rewrite(data_copy, "dtm_origins", edit)
    assert_only(data_copy, "data/dtm_origins.csv", edit.line, "origin_adm1_pcode", "text matching the pattern")


def test_an_exact_department_figure_in_areas_is_iom_s(data_copy):
    edit = edit_where("idps", "147231", area_figure_id="dtm-r10-centre")
    rewrite(data_copy, "dtm_areas", edit)
    assert_only(data_copy, "data/dtm_areas.csv", edit.line, "idps", "147230, IOM's figure for HT06 in dtm-r10")


def test_pcodes_must_match_the_boundary_file(data_copy):
    geo = data_copy / "geo" / "hti-adm1-departments.geojson"
    doc = json.loads(geo.read_text(encoding="utf-8"))
    doc["features"] = [f for f in doc["features"] if f["properties"]["adm1_pcode"] != "HT04"]
    geo.write_text(json.dumps(doc), encoding="utf-8")
    found = problems_of(data_copy)
    assert any(p.file == "data/geo/hti-adm1-departments.geojson" and "missing HT04" in str(p) for p in found)
    first = next(p for p in found if p.file == "data/dtm_departments.csv")
    assert (first.line, first.column, first.value) == (20, "adm1_pcode", "HT04")  # Round 7, Nord-Est
    done = subprocess.run([CLI, "check-data", "--data-dir", str(data_copy)], capture_output=True, text=True)
    assert done.returncode != 0 and "data/dtm_departments.csv, line 20, column 'adm1_pcode'" in done.stderr


def test_a_missing_boundary_file_is_named(data_copy):
    (data_copy / "geo" / "hti-adm1-departments.geojson").unlink()
    assert_only(data_copy, "data/geo/hti-adm1-departments.geojson", None, None, "the department boundary file")


# ================================================================ the validator at its edges
# Boolean cells, a table whose file is missing, the hash check by default, and what `make hash-data`
# (refresh_hashes) writes: `make mutate` found each of these unpinned.

EDGE_TODAY = date(2026, 11, 26)


# ---------------------------------------------------------------- boolean cells

@pytest.mark.parametrize("raw, parsed", [("true", (True, None)), ("false", (False, None)),
                                         ("", (None, None)), ("yes", (None, "one of ['true', 'false']"))])
def test_a_boolean_cell_without_declared_words_reads_true_and_false(raw, parsed):
    assert validation._parse_cell(raw, {"type": "boolean"}, EDGE_TODAY) == parsed


def test_a_boolean_cell_reads_the_words_its_field_declares():
    field = {"type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]}
    assert [validation._parse_cell(raw, field, EDGE_TODAY) for raw in ("oui", "non", "true")] == [
        (True, None), (False, None), (None, "one of ['oui', 'non']")]


def test_booleans_in_data_load_as_written():
    tables = data.load_tables()
    # population.csv: the two UN WPP rows say true, IHSI's two and the 2003 census say false
    population = tables["population"].set_index("estimate_id")["is_un_estimate"]
    assert population.to_dict() == {"un-wpp-2024-y2024": True, "un-wpp-2024-y2025": True, "ihsi-2024": False,
                                     "ihsi-dg-undated": False, "census-2003": False}
    # funding.csv: 27 rows, 2 of them additions ("further pledges", Canada's additional money)
    additions = tables["funding"]["is_addition"]
    assert (len(additions), int(additions.sum()), int((~additions).sum())) == (27, 2, 25)


# ---------------------------------------------------------------- a table whose file is missing

def test_a_missing_file_is_one_problem_and_an_empty_table(data_copy):
    (data_copy / "police.csv").unlink()
    res = validation.resource(validation.read_descriptor(data_copy), "police")
    problems: list = []
    table = validation.parse_table(data_copy, res, EDGE_TODAY, problems)
    assert (table.name, table.file, table.rows, table.lines, table.frame) == ("police", "data/police.csv", [], [], None)
    assert [str(p) for p in problems] == ["data/police.csv; expected the file police.csv listed in datapackage.json"]


def parse_police(folder: Path, **options) -> list[str]:
    res = validation.resource(validation.read_descriptor(folder), "police")
    found: list = []
    validation.parse_table(folder, res, EDGE_TODAY, found, **options)
    return [str(p) for p in found]


def write_descriptor(folder: Path, descriptor: dict) -> None:
    """datapackage.json written as `make hash-data` writes it, without refreshing the hashes."""
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def stale_hash_line(old: str, new_bytes: bytes) -> str:
    new = "sha256:" + hashlib.sha256(new_bytes).hexdigest()
    return (f"data/police.csv: got '{new[:19]}...'; expected the hash recorded in datapackage.json ({old[:19]}...): "
            "the file changed without its hash; if the change is intended run `make hash-data`")


def test_a_stale_hash_is_one_line_naming_both_hashes_unless_the_caller_says_not(data_copy):
    path = data_copy / "police.csv"
    old = validation.resource(validation.read_descriptor(data_copy), "police")["hash"]
    path.write_bytes(path.read_bytes() + b"\n")  # a blank line: the rows are the same, the bytes are not
    assert parse_police(data_copy) == [stale_hash_line(old, path.read_bytes())]
    assert parse_police(data_copy, check_hash=False) == []


def test_an_edit_that_keeps_the_size_is_still_a_stale_hash(data_copy):
    path = data_copy / "police.csv"
    old = validation.resource(validation.read_descriptor(data_copy), "police")["hash"]
    raw = path.read_bytes()
    digit = next(i for i in range(raw.index(b"\n"), len(raw)) if raw[i:i + 1].isdigit())
    edited = raw[:digit] + str((int(raw[digit:digit + 1]) + 1) % 10).encode() + raw[digit + 1:]
    path.write_bytes(edited)
    assert parse_police(data_copy) == [stale_hash_line(old, edited)]


def test_a_descriptor_whose_size_disagrees_with_the_file_is_a_stale_hash(data_copy):
    descriptor = validation.read_descriptor(data_copy)
    res = validation.resource(descriptor, "police")
    res["bytes"] += 1
    write_descriptor(data_copy, descriptor)
    assert parse_police(data_copy) == [stale_hash_line(res["hash"], (data_copy / "police.csv").read_bytes())]


def test_an_empty_file_and_a_byte_order_mark_are_named_in_full(data_copy):
    path = data_copy / "police.csv"
    raw = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + raw)
    assert parse_police(data_copy, check_hash=False) == [
        "data/police.csv, line 1: got 'byte-order mark'; expected plain UTF-8 without a byte-order mark"]
    path.write_bytes(b"")
    assert parse_police(data_copy, check_hash=False) == [
        "data/police.csv; expected a CSV file with a header row and data rows (the file is empty)"]


def test_bytes_that_are_not_utf8_text_are_named_by_line_and_value(data_copy):
    path = data_copy / "police.csv"
    lines = path.read_bytes().split(b"\n")
    assert lines[2].startswith(b"h")  # the third line's figure id
    lines[2] = b"\xe9t\xe9" + lines[2]  # Latin-1 "été" at its start
    path.write_bytes(b"\n".join(lines))
    assert parse_police(data_copy, check_hash=False) == [
        "data/police.csv, line 3: got b'\\xe9t\\xe9h'; expected UTF-8 text (re-save the file as UTF-8)"]  # 4 bytes from the first bad one


def test_nul_bytes_are_one_problem(data_copy):
    path = data_copy / "police.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\x00\n", 1))
    assert parse_police(data_copy, check_hash=False) == ["data/police.csv; expected a text CSV file (it contains NUL bytes)"]


def test_a_file_with_a_byte_order_mark_still_reads_its_header_and_rows(data_copy):
    path = data_copy / "police.csv"
    raw = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + raw)
    res = validation.resource(validation.read_descriptor(data_copy), "police")
    found: list = []
    with_mark = validation.parse_table(data_copy, res, EDGE_TODAY, found, check_hash=False)
    path.write_bytes(raw)
    without_mark = validation.parse_table(data_copy, res, EDGE_TODAY, [], check_hash=False)
    assert len(found) == 1 and with_mark.rows == without_mark.rows and len(with_mark.rows) == raw.count(b"\n") - 1


BAD_SOURCE = ("data/arrivals.csv, line 3, column 'source_id': got 'no-such-source'; expected an id that exists in "
              "data/sources.csv (column source_id)")


def test_validating_one_table_still_checks_its_keys(data_copy):
    # un_decisions, between sources and arrivals in datapackage.json, is not loaded: arrivals is still checked after it
    rewrite(data_copy, "arrivals", lambda r: set_cell(r, 2, "source_id", "no-such-source"))
    with pytest.raises(DataValidationError) as err:
        validation.validate(data_copy, ["arrivals"], today=EDGE_TODAY)
    assert [str(p) for p in err.value.problems] == [BAD_SOURCE]


TABLES_IN_ORDER = ("sources, un_decisions, plans, pledges, arrivals, strength_reports, dtm_rounds, dtm_areas, dtm_departments, "
                   "dtm_origins, displacement_other, violence, population, police, claims, expert_statements, funding, "
                   "funding_costs, funding_statements")


def test_validating_a_table_that_is_not_declared_names_the_tables_that_are(data_copy):
    with pytest.raises(DataValidationError) as err:
        validation.validate(data_copy, ["arrivals", "no_such_table"], today=EDGE_TODAY)
    assert [str(p) for p in err.value.problems] == [
        f"data/datapackage.json, column 'resources': got 'no_such_table'; expected a table declared in datapackage.json: {TABLES_IN_ORDER}"]


def test_validating_one_table_returns_it_alone_and_still_checks_its_rows(data_copy):
    assert list(validation.validate(data_copy, ["arrivals"], today=EDGE_TODAY)) == ["arrivals"]
    # a rotation counted as an increase: arrivals' own invariant, checked
    # although pledges, whose invariant comes first, is not loaded
    line = count_a_rotation_as_an_increase(data_copy)
    with pytest.raises(DataValidationError) as err:
        validation.validate(data_copy, ["arrivals"], today=EDGE_TODAY)
    assert [(p.file, p.line, p.column) for p in err.value.problems] == [("data/arrivals.csv", line, "net_change")]


def test_an_empty_key_cell_does_not_stop_the_check_of_later_rows(data_copy):
    # the first arrival's alt_source_id is empty (outlets without a link); the Bahamas row on line 6 names no source
    rewrite(data_copy, "arrivals", lambda r: set_cell(r, 5, "alt_source_id", "no-such-source"))
    with pytest.raises(DataValidationError) as err:
        validation.validate(data_copy, ["arrivals"], today=EDGE_TODAY)
    assert [str(p) for p in err.value.problems] == [
        "data/arrivals.csv, line 6, column 'alt_source_id': got 'no-such-source'; expected an id that exists in "
        "data/sources.csv (column source_id)"]


def test_a_key_of_two_columns_and_a_key_into_its_own_table(data_copy):
    # Round 1's origins name Ouest (HT01) only; Nord-Est (HT02) has no Round 1 department row to refer to
    rewrite(data_copy, "dtm_origins", lambda r: set_cell(r, 1, "adm1_pcode", "HT02"))
    descriptor = validation.read_descriptor(data_copy)
    parsed = {name: validation.parse_table(data_copy, validation.resource(descriptor, name), EDGE_TODAY, [])
              for name in ("dtm_origins", "dtm_departments", "sources", "dtm_rounds", "police")}
    found: list = []
    validation.check_foreign_keys(parsed, descriptor, found)
    assert [str(p) for p in found] == [
        "data/dtm_origins.csv, line 2, column 'round_id,adm1_pcode': got ('dtm-r01', 'HT02'); expected an id that "
        "exists in data/dtm_departments.csv (column round_id, adm1_pcode)"]
    # Table Schema: a reference with an empty resource points into the same table
    own = {"resources": [{"name": "police", "schema": {"foreignKeys": [
        {"fields": ["figure_id"], "reference": {"resource": "", "fields": ["figure_id"]}}]}}]}
    found = []
    validation.check_foreign_keys(parsed, own, found)
    assert found == []


def test_a_foreign_key_written_as_one_name_is_checked_as_a_list_is(data_copy):
    # Table Schema lets a foreign key name its field as a string instead of a list of one
    rewrite(data_copy, "arrivals", lambda r: set_cell(r, 2, "source_id", "no-such-source"))
    descriptor = validation.read_descriptor(data_copy)
    (fk,) = [fk for fk in validation.resource(descriptor, "arrivals")["schema"]["foreignKeys"] if fk["fields"] == ["source_id"]]
    fk["fields"], fk["reference"]["fields"] = "source_id", "source_id"
    write_descriptor(data_copy, descriptor)
    with pytest.raises(DataValidationError) as err:
        validation.validate(data_copy, ["arrivals"], today=EDGE_TODAY)
    assert [str(p) for p in err.value.problems] == [BAD_SOURCE]


@pytest.fixture
def csv_field_limit_1000():
    """The csv module's field limit is process-wide (frictionless raises it on import): 1,000 for one test."""
    before = csv.field_size_limit(1_000)
    yield
    csv.field_size_limit(before)


def test_a_header_the_csv_reader_refuses_is_named(data_copy, csv_field_limit_1000):
    path = data_copy / "police.csv"
    path.write_bytes(b"x" * 1_001 + b"\n" + path.read_bytes())  # one field over the csv module's limit
    assert parse_police(data_copy, check_hash=False) == [
        "data/police.csv, line 1; expected a CSV header row (field larger than field limit (1000))"]


def test_a_cell_is_read_exactly_as_written_line_breaks_included(data_copy):
    path = data_copy / "police.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    assert header[-1] == "confidence" and header[-2] == "note"
    cells = next(csv.reader([lines[1]]))
    cells[-2] = "first line\r\nsecond line\rthird"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, cells])
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    table = validation.parse_table(data_copy, validation.resource(validation.read_descriptor(data_copy), "police"),
                                   EDGE_TODAY, [], check_hash=False)
    assert [row["note"] for row in table.rows] == ["first line\r\nsecond line\rthird"]


def test_a_file_with_old_mac_line_ends_reads_the_same_rows(data_copy):
    path = data_copy / "police.csv"
    res = validation.resource(validation.read_descriptor(data_copy), "police")
    as_committed = validation.parse_table(data_copy, res, EDGE_TODAY, [], check_hash=False)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    found: list = []
    assert validation.parse_table(data_copy, res, EDGE_TODAY, found, check_hash=False).rows == as_committed.rows
    assert found == [] and len(as_committed.rows) == 5


def test_rows_after_a_bad_one_are_still_read_and_blank_rows_are_skipped(data_copy):
    def edit(rows):
        header = rows[0]
        rows.insert(2, [""] * len(header))  # a row of empty cells (",,,,"), as a spreadsheet leaves: skipped
        rows[3] = rows[3][:-1]  # then a row one field short
        rows[4][header.index("date")] = "2024-13-01"  # and after it a bad date
        return rows
    rewrite(data_copy, "police", edit)
    assert parse_police(data_copy) == [  # police.csv has 9 columns
        "data/police.csv, line 4: got '8 fields'; expected 9 fields as in the header",
        "data/police.csv, line 5, column 'date': got '2024-13-01'; expected a real calendar date as YYYY-MM-DD"]


def test_a_row_the_csv_reader_refuses_ends_the_table_with_one_line(data_copy, csv_field_limit_1000):
    rewrite(data_copy, "police", lambda r: set_cell(r, 2, "note", "x" * 1_001))
    found: list = []
    table = validation.parse_table(data_copy, validation.resource(validation.read_descriptor(data_copy), "police"),
                                   EDGE_TODAY, found)
    assert [str(p) for p in found] == ["data/police.csv, line 3; expected well-formed CSV (field larger than field limit (1000))"]
    assert (table.name, len(table.rows), table.lines) == ("police", 1, [2])  # the row before it is kept


def test_a_missing_column_is_one_whole_line(data_copy):
    rewrite(data_copy, "police", lambda rows: [r[1:] for r in rows])  # figure_id, the first column, dropped
    assert parse_police(data_copy) == ["data/police.csv, line 1, column 'figure_id'; expected this column in the header (it is missing)"]


def test_a_primary_key_written_as_one_name_is_checked_as_a_list_is(data_copy):
    rewrite(data_copy, "police", lambda r: set_cell(r, 2, "figure_id", r[1][0]))
    descriptor = validation.read_descriptor(data_copy)
    validation.resource(descriptor, "police")["schema"]["primaryKey"] = "figure_id"  # Table Schema allows a string
    found: list = []
    validation.parse_table(data_copy, validation.resource(descriptor, "police"), EDGE_TODAY, found)
    assert [(p.line, p.column, p.expected) for p in found] == [(3, "figure_id", "a unique key (already used on line 2)")]


def test_validate_can_skip_the_hash_check(data_copy):
    path = data_copy / "police.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    assert list(validation.validate(data_copy, ["police"], today=EDGE_TODAY, check_hash=False)) == ["police"]
    with pytest.raises(DataValidationError):
        validation.validate(data_copy, ["police"], today=EDGE_TODAY)


# ---------------------------------------------------------------- make hash-data

def test_refreshing_fresh_hashes_changes_nothing(data_copy):
    before = (data_copy / "datapackage.json").read_bytes()
    assert validation.refresh_hashes(data_copy) == []
    # the descriptor is rewritten as committed: two-space indents, accented words as they are, a final newline
    assert (data_copy / "datapackage.json").read_bytes() == before
    assert "\u00ab guillemets \u00bb".encode() in before  # a description's French quotes, not \\u00ab


def test_an_edit_that_keeps_the_size_still_refreshes_the_hash(data_copy):
    path = data_copy / "police.csv"
    text = path.read_text(encoding="utf-8")
    digit = next(i for i, ch in enumerate(text) if ch.isdigit() and i > text.index("\n"))
    path.write_text(text[:digit] + str((int(text[digit]) + 1) % 10) + text[digit + 1:], encoding="utf-8")
    assert validation.refresh_hashes(data_copy) == ["police"]
    res = validation.resource(json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8")), "police")
    assert (res["hash"], res["bytes"]) == ("sha256:" + hashlib.sha256(path.read_bytes()).hexdigest(), len(text.encode("utf-8")))
