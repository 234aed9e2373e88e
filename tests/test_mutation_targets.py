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
from haiti_mss import departments, deployment, displacement, export, funding, notebook, parameters, text, validation, violence
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


# ---------------------------------------------------------------- funding

def test_known_from_a_date_already_at_the_end_of_its_period():
    assert funding.known_from("2024-09-30", "month") == pd.Timestamp("2024-09-30")  # not 31 October
    assert funding.known_from("2024-12-31", "year") == pd.Timestamp("2024-12-31")  # not the end of 2025
    assert funding.known_from("2024-09-15", None) == pd.Timestamp("2024-09-15")


def test_known_from_falls_back_to_the_date_and_its_precision():
    frame = pd.DataFrame({"published": [pd.NaT, pd.Timestamp("2025-03-05")], "published_precision": [None, "day"],
                          "date": pd.to_datetime(["2025-02-01", "2025-01-01"]), "date_precision": ["month", "year"]},
                         index=[5, 7])  # a filtered frame keeps its labels
    out = funding.with_known_from(frame)
    assert list(out["known_from"]) == [pd.Timestamp("2025-02-28"), pd.Timestamp("2025-03-05")]
    assert list(out.index) == [5, 7]


def test_first_known(tables):
    # Canada's project page (28 Feb 2024, no publication date) is the first funding row anyone could read
    assert funding.first_known(tables["funding"]) == pd.Timestamp("2024-02-28")
    assert funding.first_known(tables["funding"].iloc[0:0]) is None


def test_yearly_costs_need_a_period_and_dollars(tables):
    costs = tables["funding_costs"].copy()
    costs.loc[costs["cost_id"] == "mss-cost-2024-04-efe", "period_years"] = pd.NA
    costs.loc[costs["cost_id"] == "mss-cost-2023-11-09-kindiki", "currency"] = "not_stated"
    yearly = funding.yearly_costs(costs, "2024-09-22")
    assert list(yearly["cost_id"]) == ["mss-cost-2024-05-02-us-official"]
    assert dtypes(yearly)["per_year_low"] == dtypes(yearly)["per_year_high"] == "Float64"


def test_a_fund_figure_without_a_cost_estimate(tables):
    costs = tables["funding_costs"][tables["funding_costs"]["mission"] == "GSF"]
    s = funding.fund_share(tables["funding"], costs, "2024-09-22")
    assert (s.as_of, s.figure["figure_id"], s.amount, s.mission) == (pd.Timestamp("2024-09-22"), "mss-2024-04-raised",
                                                                    18_000_000, "MSS")
    assert s.costs.empty and (s.per_year_low, s.per_year_high, s.share_low, s.share_high) == (None, None, None, None)
    assert funding.share_sentence(s) == ("On 22 September 2024 the latest published figure for the trust fund was "
                                         "US$18 million raised, for April 2024; no cost estimate for the MSS had been "
                                         "published by then.")


def test_one_exact_estimate_is_not_about(tables):
    costs = tables["funding_costs"][tables["funding_costs"]["cost_id"] == "mss-cost-2024-04-efe"]
    s = funding.fund_share(tables["funding"], costs, "2024-09-22")
    assert funding.cost_phrase(s) == "US$240 million a year"  # EFE: "240 million dollars a year", no hedge
    assert s.share_low == s.share_high == 18_000_000 / 240_000_000


def test_per_officer_with_one_officer():
    assert funding.per_officer(1_000, 1, 2) == (500.0, 1_000.0)
    assert funding.per_officer(1_000, 1, 1) == (1_000.0, 1_000.0)


def test_largest_contributors_on_the_articles_date(tables):
    then = funding.largest_contributors(tables["funding"], "2024-09-20")
    assert numbered(then)
    assert list(then.columns) == ["donor", "paid_in", "paid_in_date", "paid_in_precision", "paid_in_source", "pledged",
                                  "pledged_date", "pledged_precision", "pledged_source"]
    assert dtypes(then)["paid_in"] == dtypes(then)["pledged"] == "Int64"
    canada = then.iloc[0]  # EFE, April 2024: Canada $8.7M, the US $6M, France $3.2M received
    assert (canada["donor"], canada["paid_in"], canada["paid_in_date"], canada["paid_in_precision"],
            canada["paid_in_source"]) == ("Canada", 8_700_000, pd.Timestamp("2024-04-01"), "month", "efe-dominicantoday-225614")
    assert pd.isna(canada["pledged"]) and pd.isna(canada["pledged_date"]) and pd.isna(canada["pledged_precision"])
    latest = funding.largest_contributors(tables["funding"], "2026-03-21").set_index("donor")
    dominican = latest.loc["Dominican Republic"]  # pledged US$10 million on 9 Dec 2025, nothing paid in yet
    assert (dominican["pledged_date"], dominican["pledged_precision"]) == (pd.Timestamp("2025-12-09"), "day")
    assert pd.isna(dominican["paid_in"]) and pd.isna(dominican["paid_in_source"])
    assert dominican["pledged_source"] == tables["funding"].set_index("figure_id").loc[
        "gsf-2025-12-09-dominican-republic", "source_id"]


def test_statements_are_known_from_the_end_of_their_period(tables):
    said = tables["funding_statements"]
    assert list(funding.statements_known(said, "2023-11-09")["statement_id"]) == ["kindiki-2023-11-09-resources"]
    monthly = said.assign(date_precision="month").set_axis([10, 20][: len(said)] + list(range(30, 30 + len(said) - 2)))
    assert funding.statements_known(monthly, "2023-11-29").empty  # "November 2023": from the 30th
    assert list(funding.statements_known(monthly, "2023-11-30")["statement_id"]) == ["kindiki-2023-11-09-resources"]


def test_cost_steps_whole_frame(tables):
    steps = funding.cost_steps(tables["funding_costs"], "2026-03-21")
    expected = pd.DataFrame({
        "date": pd.to_datetime(["2025-12-09", "2026-03-21", "2023-11-09", "2024-04-30", "2024-05-02", "2024-11-19",
                                "2025-09-30", "2025-12-09"]).as_unit("ns"),
        "mission": ["GSF", "GSF", "MSS", "MSS", "MSS", "MSS", "MSS", "MSS"],
        # Kindiki's $600M; then EFE's $240M (April 2024, known from the 30th); the US official's $257.5-300M;
        # SCR and EFE at $600M: the band stays 240-600 until the GSF's $800M (Reuters, 9 Dec 2025)
        "low": [800e6, 800e6, 600e6, 240e6, 240e6, 240e6, 240e6, 240e6],
        "high": [800e6, 800e6, 600e6, 600e6, 600e6, 600e6, 600e6, 600e6]})
    pd.testing.assert_frame_equal(steps, expected)
    before_gsf = funding.cost_steps(tables["funding_costs"], "2025-10-01")
    assert list(before_gsf["mission"].unique()) == ["MSS"] and before_gsf["date"].iloc[-1] == pd.Timestamp("2025-10-01")


def test_a_later_mss_estimate_does_not_run_past_the_gsf(tables):
    costs = tables["funding_costs"].copy()
    late = costs[costs["cost_id"] == "mss-cost-2025-09-30-efe"].assign(
        cost_id="mss-late", date=pd.Timestamp("2026-01-15"), published=pd.Timestamp("2026-01-15"))
    steps = funding.cost_steps(pd.concat([costs, late], ignore_index=True), "2026-03-21")
    assert steps.loc[steps["mission"] == "MSS", "date"].max() == pd.Timestamp("2025-12-09")


def test_deployment_sources_name_each_dates_rows(tables):
    a, s = tables["arrivals"], tables["strength_reports"]
    series = deployment.deployment_series(a, s, 2500, until="2024-10-20")
    out = funding.deployment_sources(series, a, s)
    assert list(out.columns) == list(series.columns) + ["source_id"]
    assert list(out["source_id"]) == [
        "kenyanpost-2024-07-08",  # 25 Jun 2024, 200 Kenyans
        "kbc-swahili-ruto-haiti",  # 16 Jul, 200 more
        "jamaicaobserver-2024-09-13; ap-manilabulletin-2024-09-13",  # 12 Sep: Jamaica and Belize (not the Kenyan-only report)
        "xinhua-bignewsnetwork-2024-09-30",  # the whole force "about 410"
        "reuters-blkpoliticsnow-2024-10-11",  # "about 430" (the Kenyan 400 of the same article is one source, once)
        "kahawatungu-2024-10-19",  # 18 Oct: 6 Bahamians
        "unchanged since 2024-10-18"]  # as_of itself
    early = deployment.deployment_series(a, s, 2500, until="2024-06-01")
    assert list(funding.deployment_sources(early, a, s)["source_id"]) == ["no arrival yet"]


def test_donor_names_in_running_text():
    assert funding.donor_name("United States") == "the United States"
    assert funding.donor_name("United States", capital=True) == "The United States"
    assert funding.donor_name("canada", capital=True) == "Canada"
    assert funding.possessive("canada", capital=True) == "Canada's"
    assert funding.possessive("Bahamas", capital=True) == "The Bahamas'"


def test_money_edges():
    assert funding.money(None) == funding.money(pd.NA) == funding.money(float("nan")) == "n/a"
    assert funding.money(1_000_000) == "US$1 million" and funding.money(999_000) == "US$999,000"
    assert funding.money(1_000_500) == "US$1,000,500"
    assert funding.money_span(5_000_000, 5_000_000) == "US$5 million"
    assert funding.money_span(5_000_000, 6_000_000) == "US$5 million to US$6 million"
    assert funding.rough_money(0) == funding.rough_money(-5) == "US$0"
    assert funding.rough_money(1) == "about US$1" and funding.rough_money(42) == "about US$42"
    assert funding.rough_money(4_567) == "about US$4,600"
    assert funding.count_words(9) == "nine" and funding.count_words(12) == "12" and funding.count_words(1_200) == "1,200"


def test_a_round_without_a_qualifier_makes_its_changes_approximate(tables):
    """idps_qualifier is optional in the schema: an empty one must not turn 'exact' into NA (the notebook's
    `"" if exact else "about "` would raise on it)."""
    rounds = tables["dtm_rounds"].copy()
    rounds.loc[rounds["round_id"] == "dtm-r09", "idps_qualifier"] = pd.NA
    g = displacement.growth(rounds, "2026-03-21").set_index("round_id")["change_is_exact"]
    assert [g["dtm-r08"], g["dtm-r09"], g["dtm-r10"], g["dtm-r11"]] == [True, False, False, True]
    assert str(g.dtype) == "boolean" and not g.isna().any()


def test_make_params_rows_in_full():
    """What `make params` prints, word for word."""
    assert [(r["name"], r["type"], r["allowed"]) for r in parameters.describe()] == [
        ("as_of", "date", "an ISO date YYYY-MM-DD, not after today"),
        ("planned_strength", "int", "a whole number from 1 to 100,000"),
        ("population", "int", "a whole number from 1,000,000 to 100,000,000, and not below the largest count of "
                              "displaced people in a DTM round up to as_of (no share over 100%)"),
        ("data_dir", "path", "a folder path (absolute, or relative to the project root) holding datapackage.json"),
        ("report_title", "text", "text of at most 200 characters"),
        ("language", "choice", "one of 'en', 'fr'"),
    ]
    bounded = parameters.Parameter("since", "date", "doc", "default", minimum=date(2022, 9, 1))
    assert bounded.allowed() == "an ISO date YYYY-MM-DD, not after today and not before 2022-09-01"


@pytest.mark.parametrize("name, value, message", [
    ("title", 1, "unknown parameter 'title' (did you mean 'report_title'?); known: as_of, planned_strength, population, "
                 "data_dir, report_title, language"),  # 'title' is 59% like 'report_title'
    ("xyz", 1, "unknown parameter 'xyz'; known: as_of, planned_strength, population, data_dir, report_title, language"),
    ("as_of", "2024-W38-5", "parameter 'as_of': got '2024-W38-5'; expected an ISO date YYYY-MM-DD, not after today"),
    ("as_of", "2026-11-27", "parameter 'as_of': got '2026-11-27'; expected a date not after today (2026-11-26)"),
    ("as_of", date(2026, 11, 27), "parameter 'as_of': got '2026-11-27'; expected a date not after today (2026-11-26)"),
    # signs and digits that pass str.isdigit but not int(): the message still shows what was given
    ("planned_strength", "+-5", "parameter 'planned_strength': got '+-5'; expected a whole number from 1 to 100,000"),
    ("planned_strength", "\u00b2", "parameter 'planned_strength': got '\u00b2'; expected a whole number from 1 to 100,000"),
    ("planned_strength", [5], "parameter 'planned_strength': got [5]; expected a whole number from 1 to 100,000"),
    # each kind's refusal names the value given
    ("planned_strength", 0, "parameter 'planned_strength': got 0; expected a whole number from 1 to 100,000"),
    ("planned_strength", True, "parameter 'planned_strength': got True; expected a whole number from 1 to 100,000"),
    ("planned_strength", 2.5, "parameter 'planned_strength': got 2.5; expected a whole number from 1 to 100,000"),
    ("as_of", 20240101, "parameter 'as_of': got 20240101; expected an ISO date YYYY-MM-DD, not after today"),
    ("data_dir", 5, "parameter 'data_dir': got 5; expected a folder path (absolute, or relative to the project root) "
                    "holding datapackage.json"),
    ("language", "de", "parameter 'language': got 'de'; expected one of 'en', 'fr'"),
    ("report_title", 5, "parameter 'report_title': got 5; expected text of at most 200 characters"),
    ("report_title", "x" * 201, f"parameter 'report_title': got {'x' * 201!r}; expected text of at most 200 characters"),
])
def test_parameter_messages_in_full(name, value, message):
    with pytest.raises(ParameterError) as err:
        parameters.coerce(name, value, TODAY)
    assert str(err.value) == message


# ---------------------------------------------------------------- deployment: which figure a planned strength is

def test_plan_value_is_the_latest_dated_row_of_its_kind(tables):
    plans = tables["plans"]
    # MSS planned_strength: 2,500 on 2024-09-13, 2024-09-30 and 2024-11-19 (all 2,500)
    assert deployment.plan_value(plans, "MSS", "planned_strength") == 2500
    # MSS pledged_total: about 2,900 on 2024-10-11, nearly 3,100 in January 2025: the later one
    assert deployment.plan_value(plans, "MSS", "pledged_total") == 3100
    assert deployment.plan_value(plans, "GSF", "pledged_total") == 7500  # 2025-12-19 and 2026-02-26, both 7,500
    assert deployment.plan_value(plans, "GSF", "planned_strength") is None  # no such row
    assert deployment.plan_value(plans, "UN", "planned_strength") is None


@pytest.mark.parametrize("planned, as_of, kind, ids, first", [
    # the MSS plan, stated on 2024-09-13 (AP), 2024-09-30 (Xinhua) and 2024-11-19 (SCR)
    (2500, "2026-03-21", "MSS", ["mss-planned-2500-ap", "mss-planned-2500-xinhua", "mss-planned-2500-scr"], None),
    (2500, "2024-09-30", "MSS", ["mss-planned-2500-ap", "mss-planned-2500-xinhua"], None),  # a row dated as_of is known
    (2500, "2024-09-12", "MSS", ["mss-planned-2500-ap"], "2024-09-13"),  # none known yet: the first, and its date
    # the GSF ceiling, resolution 2793 of 2025-09-30
    (5550, "2026-03-21", "GSF", ["res-2793"], None),
    (5550, "2025-09-30", "GSF", ["res-2793"], None),
    (5550, "2025-09-29", "GSF", ["res-2793"], "2025-09-30"),
    (3000, "2026-03-21", None, [], None),  # a plan of the reader's own: no rows
])
def test_plan_rows_name_the_figure_and_the_rows_known_on_as_of(tables, planned, as_of, kind, ids, first):
    got_kind, rows, got_first = deployment.plan_rows(tables["plans"], tables["un_decisions"], planned, as_of)
    assert got_kind == kind
    id_column = "decision_id" if kind == "GSF" else "plan_id"
    assert list(rows[id_column]) == ids
    assert got_first == (None if first is None else pd.Timestamp(first))
    if kind is None:
        assert list(rows.columns) == list(tables["plans"].columns)


# ---------------------------------------------------------------- parameters and violence: figures only a changed table shows

def test_a_population_below_a_rounds_alternative_figure_is_refused(tables):
    """The check takes the larger of idps and idps_alt. In data/ every idps_alt is below its idps (Round 11:
    1,400,000 against 1,412,199), so a round whose alternative is the larger one is made here: Round 11 with
    idps_alt 1,500,000. A population of 1,450,000 holds the 1,412,199 but not the 1,500,000."""
    rounds = tables["dtm_rounds"].copy()
    rounds.loc[rounds["round_id"] == "dtm-r11", "idps_alt"] = 1_500_000
    with pytest.raises(ParameterError) as err:
        parameters.resolve({"as_of": "2026-03-21", "population": 1_450_000}, {**tables, "dtm_rounds": rounds},
                           pd.Timestamp("2026-03-21"), pd.Timestamp("2022-09-01"), TODAY)
    assert str(err.value) == (
        "parameter 'population': got 1450000; expected a whole number from 1,500,000 to 100,000,000, since Round 11 "
        "counted 1,500,000 displaced people (the largest figure in data/dtm_rounds.csv up to as_of, 2026-03-21)")


def test_an_override_value_may_hold_an_equals_sign():
    assert parameters.parse_override("report_title=a=b") == ("report_title", "a=b")
    assert parameters.parse_override(" report_title =x= ") == ("report_title", "x= ")


def test_an_annual_figure_in_binuh_quarterly_series_counts_in_the_range(tables):
    """annual_range takes the year figures of BINUH's annual, OHCHR's and BINUH's quarterly series. data/ has no
    year row in the quarterly series, so one is added: 5,700 killed in 2024 widens OHCHR's 5,601 to BINUH's
    5,626 into 5,601 to 5,700."""
    v = tables["violence"]
    extra = v[v["figure_id"] == "binuh-2024"].assign(figure_id="binuh-q-2024", series="binuh_quarterly", killed=5700)
    assert violence.annual_range(pd.concat([v, extra], ignore_index=True), 2024) == (5601, 5700)


def test_value_on_is_none_before_the_first_change(tables):
    """The first Kenyan contingent (200) landed on 2024-06-25, the second (200 more) on 2024-07-16."""
    series = deployment.deployment_series(tables["arrivals"], tables["strength_reports"], 2500)
    assert deployment.value_on(series, "low", "2024-06-24") is None
    assert deployment.value_on(series, "low", "2024-06-25") == 200
    assert deployment.value_on(series, "high", "2024-07-15") == 200
    assert deployment.value_on(series, "high", "2024-07-16") == 400


def test_authorization_is_a_council_vote_on_the_mss(tables):
    """Resolution 2699 (2023-10-02, 13 votes for) authorized the MSS. The table records the votes of two other
    resolutions only: 2793 (GSF, 2025-09-30) and 2814 (BINUH, 2026-01-29). Without 2699 there is no MSS vote:
    neither those two nor the MSS rows without a vote (2751 of 2024-09-30, S/2024/868, the SG's letter) count."""
    un = tables["un_decisions"]
    assert deployment.authorization_date(un) == pd.Timestamp("2023-10-02")
    assert deployment.authorization_date(un, "2023-10-02") == pd.Timestamp("2023-10-02")
    assert deployment.authorization_date(un, "2023-10-01") is None
    assert deployment.authorization_date(un[un["decision_id"] != "res-2699"]) is None


def test_the_gsf_ceiling_is_the_gsf_rows_ceiling(tables):
    """Resolution 2793 (2025-09-30) set the GSF ceiling at 5,550. A ceiling on a row of another mission (here
    2,500 put on the MSS's resolution 2751 of 2024-09-30) is not the GSF's: still None before 2793."""
    un = tables["un_decisions"]
    assert deployment.gsf_ceiling(un) == 5550
    assert deployment.gsf_ceiling(un, "2025-09-30") == 5550
    assert deployment.gsf_ceiling(un, "2025-09-29") is None
    other = un.copy()
    other.loc[other["decision_id"] == "res-2751", "personnel_ceiling"] = 2500
    assert deployment.gsf_ceiling(other, "2025-01-01") is None
    assert deployment.gsf_ceiling(other) == 5550


def test_annual_totals_carry_the_sum_of_binuhs_quarters(tables):
    """BINUH's quarters: 2023 has Q4 only (1,104 killed, 532 injured); 2024 killed 1,660 + 945 + 1,223 + 1,732
    = 5,560 and injured 845 + 434 + 522 + 411 = 2,212; 2025 killed 1,617 + 1,520 + 1,247 + 1,523 = 5,907 and
    injured 580 + 609 + 710 + 806 = 2,705. Each year's annual figures carry those sums."""
    years = violence.annual_totals(tables["violence"])
    got = [(r.figure_id, r.quarters_killed, r.quarters_injured, r.quarters_count) for r in years.itertuples()]
    assert got == [("ohchr-2023", 1104, 532, 1), ("sg-2023", 1104, 532, 1),
                   ("binuh-2024", 5560, 2212, 4), ("ohchr-2024", 5560, 2212, 4),
                   ("binuh-2025", 5907, 2705, 4)]
    # the table's own columns, then the year and the three sums (no stray 'index' column)
    assert list(years.columns) == [*tables["violence"].columns, "year", "quarters_killed", "quarters_injured",
                                   "quarters_count"]


def test_arrivals_by_country_largest_first(tables):
    """Net arrivals by 2026-03-21: Kenya 200 + 200 + 217 + 144 + 230 - 230 = 761; Guatemala 75 + 75 (+ a
    rotation of 0) = 150; El Salvador 8 + 70 = 78; Jamaica 24 (+ 0); Bahamas 6; Belize 2."""
    by = deployment.arrivals_by_country(tables["arrivals"], "2026-03-21")
    assert list(by.items()) == [("Kenya", 761), ("Guatemala", 150), ("El Salvador", 78), ("Jamaica", 24),
                                ("Bahamas", 6), ("Belize", 2)]
    assert str(by.dtype) == "int64"
    assert list(deployment.arrivals_by_country(tables["arrivals"], "2024-09-12").items()) == [
        ("Kenya", 400), ("Jamaica", 24), ("Belize", 2)]


def test_last_four_quarters_in_full(tables):
    """On 2026-03-21 the last four published quarters are 2025-Q1 to 2025-Q4: killed 1,617 + 1,520 + 1,247
    + 1,523 = 5,907; injured 580 + 609 + 710 + 806 = 2,705; from 1 January to 31 December 2025."""
    assert violence.last_quarters(tables["violence"], "2026-03-21") == violence.LastQuarters(
        5907, 2705, "2025-Q1", "2025-Q4", 4, pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31"))


def test_a_pledge_made_on_as_of_counts(tables):
    """On 2024-09-13, the day Jamaica pledged 200 to 250: arrived by then Kenya 200 + 200 = 400, Jamaica 24,
    Belize 2 (both on 2024-09-12); pledged Kenya 1,000, Benin 1,500 to 2,000, Jamaica 200 to 250, Guatemala 150,
    El Salvador 78, Belize 50. Most arrived first, then the largest pledge."""
    t = deployment.pledged_vs_arrived(tables["pledges"], tables["arrivals"], "2024-09-13")
    assert [(r.country, r.pledged_low, r.pledged_high, r.arrived) for r in t.itertuples()] == [
        ("Kenya", 1000, 1000, 400), ("Jamaica", 200, 250, 24), ("Belize", 50, 50, 2),
        ("Benin", 1500, 2000, 0), ("Guatemala", 150, 150, 0), ("El Salvador", 78, 78, 0)]


def test_the_sources_of_each_countrys_arrivals(tables):
    """On 2025-04-15: Kenya's four contingents (2024-06-25, 2024-07-16, 2025-01-18, 2025-02-06) in date order;
    Jamaica's rotation of that day moved no one net, so only its first arrival is cited; Benin sent no one."""
    t = deployment.pledged_vs_arrived(tables["pledges"], tables["arrivals"], "2025-04-15").set_index("country")
    ids = t["arrival_source_ids"]
    assert ids["Kenya"] == "kenyanpost-2024-07-08; kbc-swahili-ruto-haiti; kahawatungu-2025-01-19; kenyans-108735"
    assert ids["Jamaica"] == "jamaicaobserver-2024-09-13"
    assert ids["Guatemala"] == "africanews-2025-01-04; reuters-fbcnews-2025-01-05"
    assert ids["Benin"] == ""
    assert t.loc["Jamaica", "pledge_source_ids"] == "ap-manilabulletin-2024-09-13; prensalatina-vocesdelsur-2024-09"


def test_a_movement_of_unknown_size_is_not_cited_as_an_arrival(tables):
    """net_change is optional: an empty one counts as no change (like cumulative_arrivals' fillna(0)). With
    Jamaica's rotation of 2025-04-15 left empty, Jamaica's arrivals still cite only its first contingent."""
    arrivals = tables["arrivals"].copy()
    arrivals.loc[arrivals["movement_id"] == "2025-04-15-jamaica", "net_change"] = pd.NA
    t = deployment.pledged_vs_arrived(tables["pledges"], arrivals, "2025-04-15").set_index("country")
    assert (t.loc["Jamaica", "arrived"], t.loc["Jamaica", "arrival_source_ids"]) == (24, "jamaicaobserver-2024-09-13")


def test_a_country_that_arrived_before_it_pledged(tables):
    """The Bahamas' 6 officers arrived on 2024-10-18; its pledge with a number (150) is dated 2024-10-19. On
    2024-10-18 the Bahamas has a row all the same: 6 arrived, no pledge, no share, no pledge source. Kenya 400
    and Jamaica 24 (24 / 250 = 0.096 to 24 / 200 = 0.12) come first; Belize's 2 after the Bahamas' 6."""
    t = deployment.pledged_vs_arrived(tables["pledges"], tables["arrivals"], "2024-10-18")
    assert list(t["country"]) == ["Kenya", "Jamaica", "Bahamas", "Belize", "Benin", "Guatemala", "El Salvador"]
    assert list(t["arrived"]) == [400, 24, 6, 2, 0, 0, 0] and str(t["arrived"].dtype) == "int64"
    bahamas = t.set_index("country").loc["Bahamas"]
    assert pd.isna(bahamas["pledged_low"]) and pd.isna(bahamas["pledged_high"]) and pd.isna(bahamas["share_of_pledge_low"])
    assert (bahamas["pledge_source_ids"], bahamas["arrival_source_ids"]) == ("", "kahawatungu-2024-10-19")


# ---------------------------------------------------------------- deployment: the projection at its edges

DAYS_PER_MONTH = 365.25 / 12  # an average month, written out


def test_a_plan_reached_on_the_first_arrivals_day(tables):
    """Kenya's first 200 landed on 2024-06-25: a plan of 200 is reached that day, with no pace yet."""
    p = deployment.projection(tables["arrivals"], 200, "2024-06-25")
    assert (p.status, p.rate_per_month, p.deployed, p.months_to_plan, p.reached_on) == (
        "reached", None, 200, 0.0, pd.Timestamp("2024-06-25"))


def test_a_plan_reached_exactly_keeps_its_pace(tables):
    """1,021 net by 2026-03-21 (200 + 200 + 24 + 2 + 6 + 75 + 8 + 75 + 217 + 70 + 144 + 230 - 230), 634 days
    after the first arrival (2024-06-25: 365 days to 2025-06-25, then 269). A plan of exactly 1,021 is reached."""
    p = deployment.projection(tables["arrivals"], 1021, "2026-03-21")
    assert (p.status, p.deployed, p.months_to_plan, p.reached_on) == ("reached", 1021, 0.0, pd.Timestamp("2026-03-21"))
    assert p.rate_per_month == pytest.approx(1021 / (634 / DAYS_PER_MONTH))


def test_a_pace_is_measured_within_the_first_month(tables):
    """20 days after the first 200 (2024-07-15): 200 in 20 / 30.4375 months. 2,300 more at that pace take
    2,300 / (200 / (20 / 30.4375)) = 230 days: 2025-03-02."""
    p = deployment.projection(tables["arrivals"], 2500, "2024-07-15")
    assert p.status == "projected"
    assert p.rate_per_month == pytest.approx(200 / (20 / DAYS_PER_MONTH))
    assert p.reached_on == pd.Timestamp("2025-03-02")


@pytest.mark.parametrize("net_change", [0, pd.NA], ids=["rotation", "unknown"])
def test_a_movement_that_adds_no_one_does_not_start_the_clock(tables, net_change):
    """A rotation (0) or a movement of unknown size on 2024-06-01, before the first arrival: on 2024-06-10
    no one had arrived yet."""
    a = tables["arrivals"]
    extra = a[a["movement_id"] == "2024-06-25-kenya"].assign(movement_id="2024-06-01-kenya",
                                                              date=pd.Timestamp("2024-06-01"), net_change=net_change)
    p = deployment.projection(pd.concat([a, extra], ignore_index=True), 2500, "2024-06-10")
    assert (p.status, p.since, p.deployed) == ("not started", None, 0)
    d = deployment.deployed_range(pd.concat([a, extra], ignore_index=True), tables["strength_reports"], "2024-06-10")
    assert (d.arrivals_net, d.low, d.high, d.movement_ids, d.moved_on) == (0, 0, 0, (), None)


def test_a_pace_of_zero_is_stalled(tables):
    """Only the relief of December 2025: 230 Kenyans in on 2025-12-08, 230 out on 2025-12-09. Net 0 since
    the first arrival: a pace of 0 a month, the plan never reached."""
    a = tables["arrivals"]
    relief = a[a["movement_id"].isin(["2025-12-08-kenya", "2025-12-09-kenya"])]
    p = deployment.projection(relief, 2500, "2026-03-21")
    assert (p.status, p.rate_per_month, p.since, p.deployed, p.months_to_plan, p.reached_on) == (
        "stalled", 0.0, pd.Timestamp("2025-12-08"), 0, None, None)


def test_a_milestone_reached_exactly_counts(tables):
    """400 on 2024-07-16 (Kenya's 200 + 200), still 400 thirty days later: a quarter of a plan of 1,600 is
    exactly 400, reached that day; 401 waits for 426 on 2024-09-12."""
    series = deployment.deployment_series(tables["arrivals"], tables["strength_reports"], 1600)
    assert deployment.first_held(series, "high", 400, 30) == pd.Timestamp("2024-07-16")
    assert deployment.first_held(series, "high", 401, 30) == pd.Timestamp("2024-09-12")
    m = deployment.milestones(series, 1600, pd.Timestamp("2023-10-02")).set_index("milestone")
    assert (m.loc["25% of the plan", "threshold"], m.loc["25% of the plan", "reached_high"]) == (400, pd.Timestamp("2024-07-16"))


def test_a_first_arrival_of_one_person(tables):
    """A contingent of one (Belize's row of 2024-09-12 with 1 instead of 2, and no strength report) is a first
    arrival."""
    a = tables["arrivals"]
    one = a[a["movement_id"] == "2024-09-12-belize"].assign(net_change=1)
    reports = tables["strength_reports"].iloc[0:0]
    series = deployment.deployment_series(one, reports, 1)
    first = deployment.milestones(series, 1, None).set_index("milestone").loc["first arrival"]
    assert (first["reached_high"], first["reached_low"]) == (pd.Timestamp("2024-09-12"), pd.Timestamp("2024-09-12"))
    assert first["months_high"] is None and first["months_low"] is None  # no authorization date: no months


def test_the_deployment_series_in_full(tables):
    """Against a plan of 2,500. 2024-09-12: Jamaica's 24 and Belize's 2 join Kenya's 400 (426 = 17.04%); Kenya
    alone was reported at 394 that day, a Kenya-scope report that is no mission figure. 2024-09-30: Xinhua
    reports 410 for the mission (16.4%). 2025-04-15: Jamaica's rotation moves no one (1,021 arrived net) and
    cites nothing; the latest mission reports then, both of 2025-02-04, say fewer than 800 (AFP) and more than 900 (EFE)."""
    s = deployment.deployment_series(tables["arrivals"], tables["strength_reports"], 2500).set_index("date")
    row = s.loc[pd.Timestamp("2024-09-12")]
    assert (row["arrivals_net"], row["low"], row["high"]) == (426, 426, 426)
    assert row["share_low"] == row["share_high"] == pytest.approx(426 / 2500)
    assert row["movement_source_ids"] == "jamaicaobserver-2024-09-13; ap-manilabulletin-2024-09-13"
    assert row["report_source_ids"] == "" and pd.isna(row["reported_low"]) and pd.isna(row["reported_high"])
    row = s.loc[pd.Timestamp("2024-09-30")]
    assert (row["reported_low"], row["reported_high"], row["low"], row["high"]) == (410, 410, 410, 426)
    assert (row["share_low"], row["share_high"]) == (pytest.approx(410 / 2500), pytest.approx(426 / 2500))
    assert (row["movement_source_ids"], row["report_source_ids"]) == ("", "xinhua-bignewsnetwork-2024-09-30")
    row = s.loc[pd.Timestamp("2025-04-15")]
    assert (row["arrivals_net"], row["low"], row["high"], row["movement_source_ids"]) == (1021, 800, 1021, "")
    assert str(s["reported_low"].dtype) == str(s["reported_high"].dtype) == "Int64"


def test_host_families_against_sites_on_round_8s_date(tables):
    """By 2024-10-02 three rounds state a host share: Round 3 62% (38% in sites, stated), Round 7 80% (20%),
    Round 8 about 83% (136,500 people in sites; the rest, 17%, is 'sites or elsewhere')."""
    h = displacement.host_vs_sites(tables["dtm_rounds"], "2024-10-02")
    assert list(h["round_id"]) == ["dtm-r03", "dtm-r07", "dtm-r08"]
    assert list(h["host_share"]) == [0.62, 0.80, 0.83]
    assert list(h["not_with_hosts"]) == pytest.approx([0.38, 0.20, 0.17])
    assert list(h["sites_share_stated"][:2]) == [0.38, 0.20] and pd.isna(h["sites_share_stated"].iloc[2])
    assert h["sites_idps"].iloc[2] == 136_500
    # Round 3 covered the Port-au-Prince area only; Rounds 7 and 8 all ten departments
    assert list(h["departments_covered"]) == [1, 10, 10]
    assert h["coverage"].iloc[0] == "Partial: the Port-au-Prince metropolitan area (ZMPP) only"


def test_areas_by_round_then_largest_first(tables):
    """By 2024-10-02: Round 7's area figure (Southern region 268,452; its three others have no count), then
    Round 8's: Grand Sud 315,200, the Port-au-Prince area 173,000, Sud 116,000 (and one without a count).
    Round 9 (2025-01-14) is not yet known."""
    a = displacement.areas(tables["dtm_areas"], tables["dtm_rounds"], "2024-10-02")
    counted = a[a["idps"].notna()]
    assert [(r.round_id, r.area, r.idps) for r in counted.itertuples()] == [
        ("dtm-r07", "Southern region", 268_452), ("dtm-r08", "Grand Sud", 315_200),
        ("dtm-r08", "Port-au-Prince metropolitan area (ZMPAP)", 173_000), ("dtm-r08", "Sud", 116_000)]
    assert list(a["round_id"]) == ["dtm-r07"] * 4 + ["dtm-r08"] * 4
    assert list(a["round_label"].unique()) == ["Round 7", "Round 8"]


def test_a_childrens_share_computed_from_a_count(tables):
    """No round in data/ gives a count of children, so one is put on Round 8 (702,973 IDPs): 351,000 children
    make 351,000 / 702,973 of them."""
    rounds = tables["dtm_rounds"].copy()
    rounds.loc[rounds["round_id"] == "dtm-r08", "children_count"] = 351_000
    c = displacement.children_shares(rounds, "2026-03-21").set_index("round_id")
    assert c.loc["dtm-r08", "children_share_computed"] == pytest.approx(351_000 / 702_973)
    assert pd.isna(c.loc["dtm-r09", "children_share_computed"])


def test_population_shares_by_hand(tables):
    """Against a population of 11,900,000: Round 1 24,212 and Round 7 578,074."""
    p = displacement.population_shares(tables["dtm_rounds"], 11_900_000, "2024-06-01")
    assert p["population_share"].iloc[0] == 24_212 / 11_900_000
    assert p["population_share"].iloc[-1] == 578_074 / 11_900_000 and p["round_id"].iloc[-1] == "dtm-r07"


def test_growth_between_the_first_two_rounds(tables):
    """Round 1 (2022-09-01) 24,212 to Round 2 (2022-11-01) 155,166: 130,954 more in 61 days, both exact. The
    first round has no change, so no exact one either."""
    g = displacement.growth(tables["dtm_rounds"], "2022-11-01")
    r2 = g.iloc[1]
    assert r2["change"] == 130_954 and r2["growth"] == pytest.approx(130_954 / 24_212)
    assert r2["months"] == pytest.approx(61 / DAYS_PER_MONTH)
    assert r2["per_month"] == pytest.approx(130_954 / (61 / DAYS_PER_MONTH))
    assert list(g["change_is_exact"]) == [False, True]


def test_idps_per_deployed_officer_on_round_8s_date(tables):
    """On 2024-10-02 (Round 8, 702,973 IDPs) 410 to 426 were deployed: 702,973 / 426 to 702,973 / 410 IDPs per
    officer. Round 7 (2024-05-31) came before any arrival: no ratio."""
    d = displacement.idps_per_deployed(tables["dtm_rounds"], tables["arrivals"], tables["strength_reports"], "2024-10-02")
    r8 = d.iloc[-1]
    assert (r8["round_label"], r8["reference_date"], r8["deployed_low"], r8["deployed_high"]) == (
        "Round 8", pd.Timestamp("2024-10-02"), 410, 426)
    assert (r8["per_officer_low"], r8["per_officer_high"]) == (702_973 / 426, 702_973 / 410)
    r7 = d.iloc[-2]
    assert (r7["round_label"], r7["deployed_high"]) == ("Round 7", 0) and pd.isna(r7["per_officer_low"])


def test_rounds_until_keeps_the_tables_columns(tables):
    """Rounds 1 to 3 by 2023-03-16 (Round 3's date), numbered from 0, with no column added."""
    r = displacement.rounds_until(tables["dtm_rounds"], "2023-03-16")
    assert list(r["round_id"]) == ["dtm-r01", "dtm-r02", "dtm-r03"] and list(r.index) == [0, 1, 2]
    assert list(r.columns) == list(tables["dtm_rounds"].columns)


def test_quarters_are_binuhs_quarterly_series_only(tables):
    """BINUH's nine quarters, 2023-Q4 to 2025-Q4, numbered from 0. A quarter in another series (OHCHR's 2024
    figure made a quarter here) or a year in the quarterly series is no BINUH quarter."""
    v = tables["violence"]
    q = violence.quarters(v)
    assert list(q["figure_id"]) == ["binuh-2023-q4"] + [f"binuh-{y}-q{n}" for y in (2024, 2025) for n in (1, 2, 3, 4)]
    assert list(q.index) == list(range(9))
    assert list(q.columns) == [*v.columns, "killed_or_injured"]
    assert q["killed_or_injured"].iloc[0] == 1104 + 532
    other = v[v["figure_id"] == "ohchr-2024"].assign(figure_id="ohchr-2024-q", period_kind="quarter")
    year = v[v["figure_id"] == "binuh-2024"].assign(figure_id="binuh-2024-y", series="binuh_quarterly")
    assert len(violence.quarters(pd.concat([v, other, year], ignore_index=True))) == 9


def test_errors_of_the_share_functions():
    with pytest.raises(ValueError, match="^planned strength must be positive$"):
        deployment.deployed_share(10, 0)
    with pytest.raises(ValueError, match="^population must be positive$"):
        displacement.population_share(10, 0)


def test_a_share_over_1000_percent_is_not_grouped():
    assert text.pct(12.345) == "1234.5%"  # never "1,234.5%"


def test_a_report_at_the_windows_edge_counts(tables):
    """Mission reports of 2024-09-30 (Xinhua, 410) and 2024-10-11 (Reuters, 430): 11 days apart, so a window
    of 11 days before the latest holds both, one of 10 only the latest."""
    r = tables["strength_reports"]
    assert list(deployment.reported_strength(r, "2024-10-11", window_days=11)["report_id"]) == [
        "2024-09-30-mission-xinhua", "2024-10-11-mission-reuters"]
    assert list(deployment.reported_strength(r, "2024-10-11", window_days=10)["report_id"]) == [
        "2024-10-11-mission-reuters"]


def test_the_deployed_range_in_full(tables):
    """On 2024-10-11: 426 arrived net (Kenya 200 + 200, Belize 2 and Jamaica 24 on 2024-09-12); the mission
    reports within 30 days say 410 (Xinhua, 2024-09-30) and 430 (Reuters, 2024-10-11): 410 to 430."""
    d = deployment.deployed_range(tables["arrivals"], tables["strength_reports"], "2024-10-11")
    assert d == deployment.DeployedRange(
        pd.Timestamp("2024-10-11"), 410, 430, 426, 410, 430, pd.Timestamp("2024-10-11"),
        ("2024-09-30-mission-xinhua", "2024-10-11-mission-reuters"),
        ("2024-06-25-kenya", "2024-07-16-kenya", "2024-09-12-belize", "2024-09-12-jamaica"), pd.Timestamp("2024-09-12"))


# ---------------------------------------------------------------- validation: how a problem reads

def test_a_long_value_is_cut_to_57_characters_and_three_dots():
    problem = validation.Problem("data/violence.csv", 4, "quote", "x" * 61, "a quote the source contains")
    assert str(problem) == f"data/violence.csv, line 4, column 'quote': got '{'x' * 57}...'; expected a quote the source contains"
    exactly_60 = validation.Problem("data/violence.csv", None, None, "y" * 60, "something shorter")
    assert str(exactly_60) == f"data/violence.csv: got '{'y' * 60}'; expected something shorter"


def test_the_error_counts_its_problems():
    one = validation.Problem("data/plans.csv", 2, "personnel", -1, "a number not below 0")
    two = validation.Problem("data/plans.csv", 3, None, None, "7 fields")
    assert str(validation.DataValidationError([one])) == (
        "1 problem in the data:\n  data/plans.csv, line 2, column 'personnel': got -1; expected a number not below 0")
    assert str(validation.DataValidationError([one, two])) == (
        "2 problems in the data:\n  data/plans.csv, line 2, column 'personnel': got -1; expected a number not below 0"
        "\n  data/plans.csv, line 3; expected 7 fields")


def test_plan_figures_in_changed_tables(tables):
    """What data/ cannot show. A third MSS pledged total (3,200 on 2025-06-01, without a note) is the latest;
    a 2,500 of another kind is not the MSS plan; a GSF decision without a ceiling is not the GSF's ceiling."""
    plans, un = tables["plans"], tables["un_decisions"]
    later = plans[plans["plan_id"] == "mss-pledged-3100-reuters"].assign(
        plan_id="mss-pledged-3200", date=pd.Timestamp("2025-06-01"), personnel=3200, note=pd.NA)
    assert deployment.plan_value(pd.concat([plans, later], ignore_index=True), "MSS", "pledged_total") == 3200
    other = plans.copy()
    other.loc[other["plan_id"] == "mss-alt-2900-kahawatungu", "personnel"] = 2500
    _, rows, _ = deployment.plan_rows(other, un, 2500, "2026-03-21")
    assert list(rows["plan_id"]) == ["mss-planned-2500-ap", "mss-planned-2500-xinhua", "mss-planned-2500-scr"]
    no_ceiling = un[un["decision_id"] == "res-2793"].assign(decision_id="gsf-no-ceiling", personnel_ceiling=pd.NA)
    _, rows, _ = deployment.plan_rows(plans, pd.concat([un, no_ceiling], ignore_index=True), 5550, "2026-03-21")
    assert list(rows["decision_id"]) == ["res-2793"]


def test_the_invariant_factories_called_directly():
    """validation.INVARIANTS is built when the module is imported; these build fresh checks, so a changed
    factory shows (tests/test_constraints.py checks the built ones on real files)."""
    not_greater = validation.not_greater("period_start", "period_end")
    assert not_greater({"period_start": 5, "period_end": 4}) == ("period_end", 4, "period_end >= period_start (5)")
    assert not_greater({"period_start": 4, "period_end": 4}) is None
    assert not_greater({"period_start": 5, "period_end": None}) is None and not_greater({"period_end": 4}) is None
    shares = validation.shares_sum_to_at_most_one("host_share", "sites_share")
    assert shares({"host_share": 0.7, "sites_share": 0.4}) == ("sites_share", 0.4, "host_share + sites_share <= 1 (host_share is 0.7)")
    assert shares({"host_share": 0.62, "sites_share": 0.38}) is None  # Round 3: exactly 1
    assert shares({"host_share": 0.5, "sites_share": 0.5001}) is None  # within the 0.0001 allowance for rounding
    assert shares({"host_share": 0.9, "sites_share": None}) is None and shares({"sites_share": 0.9}) is None
    counts = validation.count_not_above("sites_idps", "idps")
    assert counts({"sites_idps": 11, "idps": 10}) == ("sites_idps", 11, "a count not above idps (10)")
    assert counts({"sites_idps": 10, "idps": 10}) is None
    assert counts({"sites_idps": 11, "idps": None}) is None and counts({"idps": 10}) is None


def test_a_short_month_in_each_language_and_from_any_date_form():
    """The growth table's narrow month column ('Sep 2022'): CLDR's abbreviated month and the calendar year, also
    in the ISO week that belongs to the next year (30 December 2024 is in week 1 of 2025), from any date form."""
    english, french = text.formatter(), text.formatter("fr")
    assert english.month_short("2022-09-01") == "Sep 2022" and french.month_short("2022-09-01") == "sept. 2022"
    assert english.month_short("2024-12-30") == "Dec 2024"
    assert english.month_short("1 September 2022") == "Sep 2022"  # not ISO: pandas reads it
    assert english.month_short(pd.Timestamp("2022-09-01 10:00")) == "Sep 2022"


def test_the_children_table_keeps_the_month_that_names_each_round(tables):
    """dtm_rounds.csv: Round 5.1 is IOM's December 2023 data, Round 8 September 2024, Round 9 December 2024."""
    shares = displacement.children_shares(tables["dtm_rounds"], "2026-03-21")
    assert [(r, d.date().isoformat()) for r, d in zip(shares["round_id"], shares["reporting_date"])] == [
        ("dtm-r05-1", "2023-12-01"), ("dtm-r08", "2024-09-30"), ("dtm-r09", "2024-12-31")]


def test_the_years_killed_in_words_only_once_the_year_has_ended(tables):
    """BINUH's 2025 total (at least 5,915) is a figure for the whole year: not known on 30 December 2025. In
    2024 OHCHR's 5,601 is "more than"; stated as exact, the range carries no note."""
    v = tables["violence"]
    assert violence.annual_range_words(v, 2025, as_of="2025-12-30") is None
    assert violence.annual_range_words(v, 2025, as_of="2025-12-31") == "more than 5,915"
    exact = v.copy()
    exact.loc[exact["figure_id"] == "ohchr-2024", "killed_qualifier"] = "exact"
    assert violence.annual_range_words(exact, 2024) == "5,601\u20135,626"
