"""Parameter declarations and checks: names, types, ranges, data-dependent defaults."""

from datetime import date

import pandas as pd
import pytest

from haiti_mss import parameters
from haiti_mss.parameters import ParameterError

from datafixtures import tables  # noqa: F401  (fixture)

TODAY = date(2026, 11, 26)


def test_every_parameter_is_documented():
    rows = parameters.describe()
    assert [r["name"] for r in rows] == ["as_of", "planned_strength", "population", "data_dir", "report_title", "language"]
    assert all(r["doc"] and r["default"] and r["allowed"] for r in rows)


@pytest.mark.parametrize("name, value, expected", [
    ("as_of", "2024-09-20", date(2024, 9, 20)),
    ("as_of", date(2024, 9, 20), date(2024, 9, 20)),
    ("planned_strength", "5550", 5550),
    ("planned_strength", 5550.0, 5550),
    ("population", 11_906_095, 11_906_095),
    ("as_of", None, None),
    ("report_title", "Hello", "Hello"),
])
def test_good_values_are_coerced(name, value, expected):
    assert parameters.coerce(name, value, TODAY) == expected


@pytest.mark.parametrize("name, value, fragment", [
    ("planned_strength", -5, "parameter 'planned_strength': got -5; expected a whole number from 1 to 100,000"),
    ("planned_strength", "many", "parameter 'planned_strength': got 'many'"),
    ("planned_strength", 2500.5, "got 2500.5"),
    ("planned_strength", True, "got True"),
    ("population", 10, "expected a whole number from 1,000,000 to 100,000,000"),
    ("as_of", "2024-13-01", "parameter 'as_of': got '2024-13-01'; expected an ISO date YYYY-MM-DD"),
    ("as_of", "20 Sept 2024", "parameter 'as_of'"),
    ("as_of", "2027-01-01", "expected a date not after today (2026-11-26)"),
    ("as_of", 20240920, "parameter 'as_of': got 20240920"),
    ("report_title", 5, "parameter 'report_title'"),
])
def test_bad_values_give_one_line(name, value, fragment):
    with pytest.raises(ParameterError) as err:
        parameters.coerce(name, value, TODAY)
    message = str(err.value)
    assert fragment in message
    assert "\n" not in message


def test_unknown_name_suggests_the_closest():
    with pytest.raises(ParameterError, match="unknown parameter 'planed_strength' \\(did you mean 'planned_strength'\\?\\)"):
        parameters.check({"planed_strength": 5550}, TODAY)


def test_override_parsing():
    assert parameters.parse_override("planned_strength=5550") == ("planned_strength", 5550)
    assert parameters.parse_override("as_of=2025-06-30") == ("as_of", date(2025, 6, 30))
    with pytest.raises(ParameterError, match="expected NAME=VALUE"):
        parameters.parse_override("planned_strength")


def test_defaults_come_from_the_data(tables):
    newest = pd.Timestamp("2026-01-26")
    earliest = pd.Timestamp("2023-10-02")
    out = parameters.resolve({}, tables, newest, earliest, TODAY)
    plans = tables["plans"]
    mss = plans[(plans["mission"] == "MSS") & (plans["kind"] == "planned_strength")]["personnel"].unique()
    assert out["planned_strength"] == int(mss[0])  # the MSS plan recorded in data/plans.csv
    un = tables["population"][tables["population"]["is_un_estimate"]].sort_values("reference_year")
    assert out["population"] == int(un.iloc[-1]["population"])
    assert out["as_of"] == newest.date()
    with pytest.raises(ParameterError, match="not before the first figure in the data \\(2023-10-02\\)"):
        parameters.resolve({"as_of": "2020-01-01"}, tables, newest, earliest, TODAY)
