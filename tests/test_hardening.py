"""Hardening: any parameter value is accepted as its canonical value or rejected with one line; any
corruption of a data file is reported with its file (and line and column where there is one), never a
traceback from deep inside pandas, and never a silent change of the figures."""

import csv
import io
import math
import random
import shutil
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haiti_mss import parameters, paths, validation
from haiti_mss.parameters import PARAMETERS, ParameterError
from haiti_mss.validation import DataValidationError

TODAY = date(2026, 11, 26)

any_value = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40), st.dates(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
# Values near what each parameter accepts, so that the accepted path is taken often: around the bounds of
# the whole numbers, as numbers, floats and text; dates around today, as dates, datetimes and text; the
# languages and their near misses; titles around the 200-character limit.
near_valid = st.one_of(
    st.integers(-3, 100_003), st.integers(999_997, 1_000_003), st.integers(99_999_997, 100_000_003),
    st.integers(0, 100_001).map(float), st.floats(0.5, 100_000.5),
    st.integers(-3, 100_003).map(str), st.integers(999_997, 100_000_003).map(lambda i: f" {i:_} "),
    st.integers(0, 99).map(lambda i: f"+{i:03d}"),
    st.dates(date(2020, 1, 1), date(2027, 12, 31)), st.datetimes(datetime(2020, 1, 1), datetime(2027, 12, 31)),
    st.dates(date(2020, 1, 1), date(2027, 12, 31)).map(lambda d: f" {d.isoformat()}"),
    st.sampled_from(["en", "fr", " fr ", "EN", "de", "fr-FR", "", "   ", "data", "/tmp/x", "2024-W38-5", "\u00b2"]),
    st.text(min_size=195, max_size=205), st.text(max_size=8),
)


def assert_canonical(name, value, out):
    """What coerce() accepted comes back in its parameter's canonical type and range, and reads back the same."""
    param = PARAMETERS[name]
    if value is None or (isinstance(value, str) and not value.strip() and param.kind != "text"):
        assert out is None  # blank: use the default
        return
    assert out is not None
    if param.kind == "date":
        assert type(out) is date and out <= TODAY
        if isinstance(value, str):
            assert out.isoformat() == value.strip()  # YYYY-MM-DD and nothing else
        else:
            assert out == (value.date() if isinstance(value, datetime) else value)
        assert parameters.coerce(name, out.isoformat(), TODAY) == out
    elif param.kind == "int":
        assert type(out) is int and param.minimum <= out <= param.maximum
        if isinstance(value, str):
            assert str(out) in value.replace("_", "").replace(" ", "")  # the digits written, no other number
        else:
            assert out == value and not isinstance(value, bool)
        assert parameters.coerce(name, str(out), TODAY) == out == parameters.coerce(name, out, TODAY)
    elif param.kind == "choice":
        assert out in param.choices and out == value.strip()
    elif param.kind == "path":
        assert type(out) is str and out == str(value)
    else:  # text: kept exactly as given
        assert type(out) is str and out == value and len(out) <= param.maximum
    assert parameters.coerce(name, out, TODAY) == out  # canonical values are fixed points


def check_one(name, value):
    try:
        out = parameters.coerce(name, value, TODAY)
    except ParameterError as err:
        message = str(err)
        assert "\n" not in message and message
        assert repr(name) in message
        return False
    # anything else (TypeError, OverflowError, a bare ValueError) fails the test
    assert name in PARAMETERS, f"unknown name {name!r} accepted"
    assert_canonical(name, value, out)
    return True


@settings(max_examples=300, deadline=None, derandomize=True)  # same examples on every run: CI never flakes
@given(name=st.sampled_from(list(PARAMETERS) + ["planed_strength", "asof", ""]), value=any_value)
def test_any_parameter_value_is_accepted_or_rejected_in_one_line(name, value):
    check_one(name, value)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(name=st.sampled_from(list(PARAMETERS)), value=near_valid)
def test_values_near_the_bounds_are_canonical_or_rejected(name, value):
    check_one(name, value)


@pytest.mark.parametrize("name, value, expected", [
    ("planned_strength", 1, 1), ("planned_strength", 100_000, 100_000), ("planned_strength", " 5_550 ", 5550),
    ("planned_strength", "+0042", 42), ("population", 1_000_000, 1_000_000), ("population", 100_000_000.0, 100_000_000),
    ("as_of", TODAY, TODAY), ("as_of", datetime(2024, 9, 20, 23, 59), date(2024, 9, 20)), ("as_of", " 2024-09-20", date(2024, 9, 20)),
    ("language", " fr ", "fr"), ("report_title", "x" * 200, "x" * 200), ("report_title", "", ""), ("data_dir", Path("d"), "d"),
])
def test_the_fuzzers_accepted_path_is_reached(name, value, expected):
    """The edges the fuzzers draw around, accepted (so a coerce() that rejected everything fails too)."""
    assert check_one(name, value)
    assert parameters.coerce(name, value, TODAY) == expected


@pytest.mark.parametrize("name, value", [
    ("planned_strength", 0), ("planned_strength", 100_001), ("planned_strength", "\u00b2"), ("planned_strength", "+-5"),
    ("population", 999_999), ("as_of", date(2026, 11, 27)), ("as_of", "2024-W38-5"), ("as_of", "2024-9-20"),
    ("language", "EN"), ("report_title", "x" * 201), ("data_dir", 5),
])
def test_just_outside_is_rejected(name, value):
    assert check_one(name, value) is False


override_text = st.one_of(
    st.text(max_size=30), st.just("0\n0="), st.just("as_of=2024-09-20\n"),
    st.builds(lambda n, v: f"{n}={v}", st.sampled_from(list(PARAMETERS) + [" as_of ", "x"]),
              st.one_of(st.integers(-3, 100_003).map(str), st.dates(date(2020, 1, 1), date(2027, 12, 31)).map(date.isoformat),
                        st.sampled_from(["en", "fr", "", "a=b", "2024-09-20"]), st.text(max_size=12))),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(text=override_text)
def test_any_override_text_is_accepted_or_rejected_in_one_line(text):
    try:
        name, value = parameters.parse_override(text)
    except ParameterError as err:
        assert "\n" not in str(err)
        return
    written_name, written_value = text.split("=", 1)
    assert name == written_name.strip() and name in PARAMETERS
    assert_canonical(name, written_value, value)
    if value is not None:  # NAME=VALUE written back from the canonical value reads the same
        shown = value.isoformat() if isinstance(value, date) else str(value)
        assert parameters.parse_override(f"{name}={shown}") == (name, value)


# ---------------------------------------------------------------- corrupted data files
#
# Each kind of corruption spoils one table of a copy of data/ in a way its Table Schema forbids. The run
# must report it in that file (at the line and column where there is one). A run that loads without error
# must load exactly the figures of the clean data (then the corruption changed nothing), or the corruption
# counts as missed. No kind may be missed: every one breaks a rule of the schema or the file's hash, and
# the allowance below is 0 for each. (Spoiling free text, such as a quote or a note, is not a corruption a
# schema can see; the hash does, and `truncated` checks it.)

DESCRIPTOR = validation.read_descriptor(paths.DATA_DIR)
FIELDS = {r["name"]: r["schema"]["fields"] for r in DESCRIPTOR["resources"]}
WRONG = {
    "integer": ["abc", "1.5", "1,500", "1e3", "2024-01-01", "true", "-7"],
    "number": ["abc", "1,5", "true", "2024-01-01", "nan", "0x1", "-7"],
    "date": ["2024-99-99", "31/12/2024", "2024-1-1", "20240101", "2024-02-30", "2027-01-01"],
    "boolean": ["yes", "1", "True", "abc"],
    "enum-or-pattern": ["\u00e9\u00e8 x", "Not A Value"],
    "required": [""],
}
ALLOWED_MISSES = {kind: 0 for kind in ("drop-column", "wrong-type", "bad-dates", "negative-numbers", "truncated",
                                       "cut-mid-row", "wrong-encoding", "bom", "duplicate-row")}
CASES = {"wrong-type": 30}  # a value of the wrong type in a random cell: more cases, as many columns differ
CASES_PER_KIND = 6


def wrong_values(field: dict) -> list[str]:
    kind, cons = field.get("type", "string"), field.get("constraints", {})
    if kind in WRONG:
        return WRONG[kind] if cons.get("minimum", 0) == 0 else [v for v in WRONG[kind] if v != "-7"]
    if "enum" in cons or "pattern" in cons:
        return WRONG["enum-or-pattern"]
    return WRONG["required"] if cons.get("required") else []


def typed(table: str, kind: str) -> list[str]:
    return [f["name"] for f in FIELDS[table] if f.get("type") == kind]


def dump(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def line_of(rows, index: int) -> int:
    """The file line (1 = header) of rows[index] once written: quoted cells can hold newlines."""
    return 1 + dump(rows[:index]).count("\n")


class Case:
    """One corruption: the damaged bytes, and what the report must name."""

    def __init__(self, damaged: bytes, cells=(), line=None, column=None, rehash=True):
        self.damaged, self.cells, self.line, self.column, self.rehash = damaged, list(cells), line, column, rehash


def corrupt(raw: bytes, table: str, kind: str, rng: random.Random) -> Case | None:
    """None when the kind does not apply to the table (no date column, no whole numbers...)."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    header, n = rows[0], len(rows)
    fields = {f["name"]: f for f in FIELDS[table]}
    if kind == "drop-column":
        col = rng.randrange(len(header))
        return Case(dump([r[:col] + r[col + 1:] for r in rows]).encode(), line=1, column=header[col])
    if kind == "wrong-type":
        choices = [(c, v) for c, name in enumerate(header) for v in wrong_values(fields[name])]
        col, value = rng.choice(choices)
        row = rng.randrange(1, n)
        if rows[row][col] == value:
            return None
        rows[row][col] = value
        return Case(dump(rows).encode(), cells=[(line_of(rows, row), header[col])])
    if kind in ("bad-dates", "negative-numbers"):
        columns = typed(table, "date") if kind == "bad-dates" else typed(table, "integer")
        new = "31/12/2024" if kind == "bad-dates" else "-7"
        cells = []
        for i in range(1, n):
            for c in (header.index(name) for name in columns):
                if rows[i][c] and (kind == "bad-dates" or rows[i][c].isdigit()):
                    rows[i][c] = new
                    cells.append((line_of(rows, i), header[c]))
        return Case(dump(rows).encode(), cells=cells) if cells else None
    if kind == "truncated":  # an editor that crashed: cut anywhere after the header, hash not refreshed
        start = raw.index(b"\n") + 1
        return Case(raw[: rng.randrange(start, len(raw) - 1)], rehash=False)
    if kind == "cut-mid-row":  # the file ends after the k-th field of a row
        row, k = rng.randrange(1, n), rng.randrange(1, len(header))
        text = dump(rows[:row]) + dump([rows[row][:k]]).rstrip("\n")
        return Case(text.encode(), line=line_of(rows, row))
    if kind == "wrong-encoding":
        return Case(raw.decode("utf-8").replace("e", "\u00e9").encode("latin-1", errors="replace"))
    if kind == "bom":
        return Case(b"\xef\xbb\xbf" + raw, line=1)
    if kind == "duplicate-row":
        row = rng.randrange(1, n)
        return Case(dump(rows + [rows[row]]).encode(), line=line_of(rows + [rows[row]], n))
    raise ValueError(kind)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A copy of data/ restored after each case, and its clean tables."""
    folder = tmp_path_factory.mktemp("corrupt") / "data"
    shutil.copytree(paths.DATA_DIR, folder)
    clean = {name: validation.validate(folder, [name], today=TODAY)[name] for name in FIELDS}
    return folder, clean


@pytest.mark.parametrize("kind", list(ALLOWED_MISSES))
def test_random_corruption_is_reported_or_changes_nothing(workspace, kind):
    folder, clean = workspace
    descriptor = (folder / "datapackage.json").read_bytes()
    rng = random.Random(f"issue-11 {kind}")  # the same cases on every run
    outcomes: Counter = Counter()
    tables = sorted(FIELDS)
    tried, cases = 0, CASES.get(kind, CASES_PER_KIND)
    while sum(outcomes.values()) < cases and tried < 20 * cases:
        table = tables[tried % len(tables)] if tried < len(tables) else rng.choice(tables)
        tried += 1
        path = folder / f"{table}.csv"
        original = path.read_bytes()
        case = corrupt(original, table, kind, rng)
        if case is None or case.damaged == original:
            continue
        path.write_bytes(case.damaged)
        if case.rehash:
            validation.refresh_hashes(folder)
        try:
            loaded = validation.validate(folder, [table], today=TODAY)[table]
        except DataValidationError as err:
            outcomes["reported"] += 1
            assert_reported(err.problems, table, case)
        else:
            try:
                pd.testing.assert_frame_equal(loaded, clean[table])
                outcomes["changed nothing"] += 1
            except AssertionError:
                outcomes[f"missed in {table}"] += 1
        finally:
            path.write_bytes(original)
            (folder / "datapackage.json").write_bytes(descriptor)
    assert sum(outcomes.values()) == cases, f"only {dict(outcomes)} cases of {kind} apply"
    missed = sum(v for k, v in outcomes.items() if k.startswith("missed"))
    assert missed <= ALLOWED_MISSES[kind], dict(outcomes)
    assert outcomes["reported"] == cases - outcomes["changed nothing"]


def assert_reported(problems, table: str, case: Case) -> None:
    assert problems
    for p in problems:
        assert p.file.startswith("data/") and p.expected
        assert "\n" not in str(p)
    named = [p for p in problems if p.file == f"data/{table}.csv"]
    assert named, [str(p) for p in problems]
    if not case.rehash:
        assert any("make hash-data" in p.expected for p in named), [str(p) for p in named]
    if case.line is not None:
        assert any(p.line == case.line and (case.column is None or p.column == case.column) for p in named), \
            (case.line, case.column, [str(p) for p in named])
    found = {(p.line, p.column) for p in named}
    missing = [cell for cell in case.cells if cell not in found]
    assert not missing, (missing, [str(p) for p in named])


def test_a_data_note_with_markup_is_escaped_in_tables():
    from haiti_mss.notebook import escape

    assert escape('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def test_floats_that_are_whole_numbers_only():
    assert parameters.coerce("planned_strength", 2500.0, TODAY) == 2500
    for bad in (math.nan, math.inf, 2500.5):
        with pytest.raises(ParameterError):
            parameters.coerce("planned_strength", bad, TODAY)
