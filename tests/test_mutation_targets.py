"""Tests that catch small wrong figures: the bugs issue 11 seeded by hand, and the mutants `make mutate`
found alive in the pure modules. Every expected value is worked out by hand from data/ (the arithmetic is
in the test), never recomputed the way the code computes it. tests/README.md lists what is left alive."""

from __future__ import annotations

import gettext
import html
from datetime import date

import nbformat
import pandas as pd
import pytest

from conftest import FIXTURES
from haiti_mss import departments, deployment, displacement, export, notebook, parameters, text, violence
from haiti_mss.parameters import ParameterError

from datafixtures import tables  # noqa: F401  (fixture)

TODAY = date(2026, 11, 26)
HOSTILE = "<b>&</script>"
ESCAPED = "&lt;b&gt;&amp;&lt;/script&gt;"


# ---------------------------------------------------------------- the seeded bugs of issue 11

def test_pledge_share_runs_from_the_high_pledge_to_the_low(tables):
    """Jamaica pledged 200 to 250 people (170 soldiers and 30 police, then 250) and 24 arrived on 12 Sep 2024:
    24 / 250 = 9.6% of the larger pledge, 24 / 200 = 12.0% of the smaller. Swapped, the page said 12.0%–9.6%."""
    t = deployment.pledged_vs_arrived(tables["pledges"], tables["arrivals"], "2026-03-21").set_index("country")
    jamaica = t.loc["Jamaica"]
    assert (jamaica["pledged_low"], jamaica["pledged_high"], jamaica["arrived"]) == (200, 250, 24)
    assert jamaica["share_of_pledge_low"] == pytest.approx(24 / 250)
    assert jamaica["share_of_pledge_high"] == pytest.approx(24 / 200)
    assert text.span(jamaica["share_of_pledge_low"], jamaica["share_of_pledge_high"], text.pct) == "9.6%\u201312.0%"
    kenya = t.loc["Kenya"]  # pledged exactly 1,000; 761 arrived net (200 + 200 + 217 + 144 + 230 - 230)
    assert kenya["share_of_pledge_low"] == kenya["share_of_pledge_high"] == pytest.approx(761 / 1000)


def test_a_quarter_that_ends_on_as_of_is_counted(tables):
    # 2025-Q4 ends on 31 Dec 2025: as of that day the last four quarters are 2025-Q1 to 2025-Q4.
    last = violence.last_quarters(tables["violence"], "2025-12-31")
    assert (last.first_label, last.last_label, last.count) == ("2025-Q1", "2025-Q4", 4)
    assert (last.killed, last.injured) == (1617 + 1520 + 1247 + 1523, 580 + 609 + 710 + 806)  # 5,907 and 2,705
    # One day earlier 2025-Q4 is not yet complete: 2024-Q4 to 2025-Q3.
    before = violence.last_quarters(tables["violence"], "2025-12-30")
    assert (before.first_label, before.last_label, before.killed) == ("2024-Q4", "2025-Q3", 1732 + 1617 + 1520 + 1247)
    # 2024-Q3 ends on 30 Sep 2024, the day BINUH's Q3 figures describe.
    assert violence.last_quarters(tables["violence"], "2024-09-30").last_label == "2024-Q3"
    assert list(violence.quarters(tables["violence"], "2024-09-30")["period_label"]) == [
        "2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3"]


def _parameters_box(page: str) -> str:
    return page.split('class="box parameters"')[1].split("</section>")[0]


def test_a_hostile_parameter_value_is_escaped_in_the_parameters_box():
    """The template escapes every value of the "Parameters used" box (report_title is free text)."""
    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Title\n\nText.")])
    nb.metadata["papermill"] = {"parameters": {"report_title": HOSTILE, "data_dir": str(FIXTURES / "data")}}
    context = export.report_context(nb, notebook="01_deployment", variant="latest", built_at=None, git="commit abc",
                                    software=[])
    page = export.render_html(nb, context)
    box = _parameters_box(page)
    assert f'<tr class="override"><td>report_title</td><td>{ESCAPED}</td><td>override</td></tr>' in box
    assert HOSTILE not in page and "<b>" not in page


def _shown_tables(monkeypatch, frame: pd.DataFrame, **kw) -> list[str]:
    import IPython.display

    shown: list = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **_: shown.extend(objs))
    notebook.table(frame, **kw)
    return [o.data for o in shown]


def test_data_values_in_report_tables_are_escaped(monkeypatch):
    frame = pd.DataFrame({HOSTILE: [HOSTILE, None], "n": ["1,234", pd.NA]})
    [table] = _shown_tables(monkeypatch, frame, caption=HOSTILE, css_class='x" onclick="y')
    assert table == ('<div class="report-table x&quot; onclick=&quot;y"><table>'
                     f"<caption>{ESCAPED}</caption><thead><tr><th>{ESCAPED}</th><th>n</th></tr></thead>"
                     f"<tbody><tr><td>{ESCAPED}</td><td>1,234</td></tr><tr><td></td><td></td></tr></tbody></table></div>")
    # and on the page: the table as a notebook output goes through the report template unchanged
    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Title"), v4.new_code_cell("t()", outputs=[
        v4.new_output("display_data", data={"text/html": table, "text/plain": "<table>"})])])
    context = {"page_title": "t", "as_of": "", "built_at": "", "parameters": [], "vintage": [], "vintage_note": "",
               "data_files": [], "git": "", "versions": [], "rerun": [], "data_dir": ""}
    page = export.render_html(nb, context)
    assert f"<td>{ESCAPED}</td>" in page and HOSTILE not in page and "<b>" not in page


def test_a_table_without_caption_or_class():
    assert notebook.escape(HOSTILE) == html.escape(HOSTILE) == ESCAPED
    assert notebook._cell(float("nan")) == notebook._cell(None) == notebook._cell(pd.NA) == ""
    assert notebook._cell(0) == "0" and notebook._cell(date(2024, 9, 20)) == "2024-09-20"


# ---------------------------------------------------------------- parameters: defaults from the data

def test_default_plan_needs_exactly_one_mss_plan(tables):
    plans = tables["plans"]
    assert parameters.default_planned_strength(plans) == 2500  # three MSS rows, all 2,500 (AP, Xinhua, SCR)
    with pytest.raises(ParameterError) as err:
        parameters.default_planned_strength(plans[plans["mission"] == "GSF"])
    assert str(err.value) == ("parameter 'planned_strength': no default, since data/plans.csv has no MSS planned_strength "
                              "row; pass a value")
    several = plans.copy()
    several.loc[several["plan_id"] == "mss-planned-2500-scr", "personnel"] = 3000
    with pytest.raises(ParameterError) as err:
        parameters.default_planned_strength(several)
    assert str(err.value) == ("parameter 'planned_strength': data/plans.csv gives several MSS planned strengths "
                              "[2500, 3000]; pass one")


def test_default_population_is_the_latest_un_estimate(tables):
    population = tables["population"]
    assert parameters.default_population(population) == 11_906_095  # UN WPP 2024 for 2025 (2024: 11,772,557)
    three = pd.DataFrame({"reference_year": [2023, 2025, 2024, 2026], "population": [1, 3, 2, 4],
                          "is_un_estimate": pd.array([True, True, True, pd.NA], dtype="boolean")})
    assert parameters.default_population(three) == 3  # 2025, the latest UN row; 2026 is not known to be UN's
    with pytest.raises(ParameterError) as err:
        parameters.default_population(population[~population["is_un_estimate"]])
    assert str(err.value) == ("parameter 'population': no default, since data/population.csv has no UN estimate; "
                              "pass a value")


def test_resolve_keeps_given_values_and_checks_as_of_against_its_today(tables):
    newest, earliest = pd.Timestamp("2026-03-21"), pd.Timestamp("2022-09-01")
    out = parameters.resolve({"planned_strength": "5550", "population": 12_000_000, "as_of": "2022-09-01"},
                             tables, newest, earliest, TODAY)
    assert (out["planned_strength"], out["population"], out["as_of"], out["language"]) == (5550, 12_000_000,
                                                                                        date(2022, 9, 1), "en")
    with pytest.raises(ParameterError) as err:
        parameters.resolve({"as_of": "2022-08-31"}, tables, newest, earliest, TODAY)
    assert str(err.value) == ("parameter 'as_of': got '2022-08-31'; expected a date not before the first figure in the "
                              "data (2022-09-01) and not after today")
    with pytest.raises(ParameterError, match=r"expected a date not after today \(2025-01-01\)"):
        parameters.resolve({"as_of": "2025-06-30"}, tables, newest, earliest, date(2025, 1, 1))


# ---------------------------------------------------------------- displacement

def test_population_share_needs_a_positive_population():
    assert displacement.population_share(1_412_199, 1) == 1_412_199.0
    with pytest.raises(ValueError) as err:
        displacement.population_share(1, 0)
    assert str(err.value) == "population must be positive"


# ---------------------------------------------------------------- text

class _Patterns(gettext.NullTranslations):
    """A catalog whose date and range patterns differ from English, to see each is looked up under its context."""
    PATTERNS = {("date pattern", "d MMMM y"): "y-MM-dd", ("date pattern, first day of a month", "d MMMM y"): "'first' MMMM y",
                ("month pattern", "MMMM y"): "MM/y", ("range", "{low}–{high}"): "{low} to {high}"}

    def pgettext(self, context, message):
        return self.PATTERNS.get((context, message), message)


def test_dates_and_ranges_are_looked_up_under_their_context():
    f = text.Formatter("en")
    f.translator = _Patterns()
    assert f.day("2024-09-20") == "2024-09-20"
    assert f.day("2024-09-01") == "first September 2024"
    assert f.month("2024-09-20") == "09/2024"
    assert f.span(1000, 1200) == "1,000 to 1,200"


def test_a_new_formatter_writes_its_language():
    """Formatter() itself, not the cached one made at import: French separators, percent and first of the month."""
    fr = text.Formatter("fr")
    assert (fr.language, str(fr.locale)) == ("fr", "fr")
    assert fr.num(1_412_199) == "1\u202f412\u202f199" and fr.pct(0.4) == "40,0\u00a0%"
    assert fr.day("2026-03-01") == "1er mars 2026" and fr.day("2026-03-21") == "21 mars 2026"
    assert text.Formatter(None).language == "en" and text.Formatter().num(1_412_199) == "1,412,199"


def test_a_range_with_one_end_missing_shows_the_other():
    assert text.span(1000, None) == "1,000" and text.span(None, 1200) == "1,200"
    assert text.span(None, None) == "n/a" and text.span(800, 800) == "800"
    assert text.span(0.096, 0.12, text.pct) == "9.6%\u201312.0%"


# ---------------------------------------------------------------- departments: what the tables hold, in order

def dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {c: str(t) for c, t in frame.dtypes.items()}


def numbered(frame: pd.DataFrame) -> bool:
    """Numbered 0..n-1, with no old index left as a column."""
    return isinstance(frame.index, pd.RangeIndex) and list(frame.index) == list(range(len(frame))) and "index" not in frame


@pytest.fixture(scope="module")
def dtm(tables):
    return tables["dtm_rounds"], tables["dtm_departments"], tables["dtm_origins"]


def test_a_round_is_known_on_its_reference_date(dtm):
    rounds, deps, _ = dtm
    assert departments.latest_department_round(rounds, deps, "2025-06-01").round_id == "dtm-r10"  # Round 10: June 2025
    assert departments.latest_department_round(rounds, deps, "2025-05-31").round_id == "dtm-r09"
    r10 = departments.latest_department_round(rounds, deps, "2026-03-21")
    assert r10.reference_date == pd.Timestamp("2025-06-01")
    assert departments.first_full_coverage(rounds, "2024-05-31")["round_label"] == "Round 7"  # its own day
    known = departments.department_rounds(rounds, deps, "2026-03-21")
    assert numbered(known) and list(known["round_id"]) == ["dtm-r01", "dtm-r02", "dtm-r03", "dtm-r05", "dtm-r06",
                                                            "dtm-r07", "dtm-r08", "dtm-r09", "dtm-r10"]
    assert numbered(departments.growth_with_coverage(rounds, "2026-03-21"))


def test_two_rounds_with_departments_are_enough_to_compare(dtm):
    rounds, deps, _ = dtm
    assert departments.last_two_department_rounds(rounds, deps, "2022-11-01") == ("dtm-r01", "dtm-r02")


def test_departments_of_a_partial_round_in_order(dtm):
    _, deps, _ = dtm
    table = departments.idps_by_department(deps, "dtm-r05")  # Round 5: Ouest, Centre, Artibonite only
    assert numbered(table)
    assert list(table.columns) == ["adm1_pcode", "department", "idps", "males", "females", "covered", "share"]
    assert {c: dtypes(table)[c] for c in ("idps", "males", "females", "covered", "share")} == {
        "idps": "Int64", "males": "Int64", "females": "Int64", "covered": "bool", "share": "Float64"}
    # covered first, largest first; then the seven not covered, in pcode order
    assert list(table["adm1_pcode"]) == ["HT01", "HT06", "HT05", "HT02", "HT03", "HT04", "HT07", "HT08", "HT09", "HT10"]
    assert table["share"].isna().sum() == 7 and table.loc[0, "share"] == pytest.approx(146_584 / 197_999)


def test_change_between_rounds_columns_and_new_coverage(dtm):
    _, deps, _ = dtm
    change = departments.department_change(deps, "dtm-r06", "dtm-r07")
    assert list(change.columns) == ["adm1_pcode", "department", "idps_from", "idps_to", "change", "growth", "newly_covered"]
    assert dtypes(change)["growth"] == "Float64" and numbered(change)
    assert list(change.loc[change["newly_covered"], "department"]) == ["Nord", "Nord-Est", "Nord-Ouest"]  # only these
    frame = pd.DataFrame({"round_id": ["a", "a", "b", "b"], "adm1_pcode": ["HT01", "HT02", "HT01", "HT02"],
                          "idps": pd.array([0, 4, 5, 6], dtype="Int64")})
    frame["males"] = frame["females"] = pd.array([pd.NA] * 4, dtype="Int64")
    grown = departments.department_change(frame, "a", "b").set_index("adm1_pcode")
    assert pd.isna(grown.loc["HT01", "growth"]) and grown.loc["HT02", "growth"] == 0.5  # from none: no growth rate


def test_flows_columns_order_and_ties(dtm):
    _, _, origins = dtm
    f = departments.flows(origins, "dtm-r10")
    assert list(f.columns) == ["origin_adm1_pcode", "origin", "adm1_pcode", "department", "idps", "share_of_host"]
    assert dtypes(f) == {"origin_adm1_pcode": "string", "origin": "string", "adm1_pcode": "string",
                         "department": "string", "idps": "Int64", "share_of_host": "Float64"} and numbered(f)
    assert list(f.loc[:1, "idps"]) == [388_996 + 17_441 + 5_006, 185_673]  # Ouest in Ouest, then Ouest to Sud
    tie = pd.DataFrame({"round_id": ["a"] * 3, "adm1_pcode": ["HT03", "HT02", "HT02"],
                        "origin_adm1_pcode": ["HT01", "HT01", "HT01"], "reason": ["x", "x", "y"],
                        "idps": pd.array([5, 2, 3], dtype="Int64")})
    assert list(departments.flows(tie, "a")["adm1_pcode"]) == ["HT02", "HT03"]  # 2 + 3 = 5 each: pcode order


def test_flow_matrix_names_its_axes(dtm):
    _, _, origins = dtm
    m = departments.flow_matrix(origins, "dtm-r10")
    assert (m.index.name, m.columns.name) == ("origin", "hosted in")
    assert set(m.dtypes.astype(str)) == {"int64"}


def test_hosted_only_from_and_reasons_are_numbered(dtm):
    _, _, origins = dtm
    assert numbered(departments.hosted_only_from(origins, "dtm-r10"))
    r = departments.reasons(origins, "dtm-r10")
    assert numbered(r) and list(r.columns) == ["reason", "idps", "share"] and dtypes(r)["share"] == "Float64"
    assert list(r["reason"]) == ["Conflict", "Insecurity", "Natural disaster"]  # largest first
    assert list(r["share"]) == pytest.approx([1_258_504 / 1_287_593, 22_337 / 1_287_593, 6_752 / 1_287_593])
