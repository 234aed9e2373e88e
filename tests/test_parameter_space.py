"""Every valid parameter gives a correct report: the analysis at the edges of the valid range, worked out
by hand from data/, and properties that hold at every as_of and planned strength (hypothesis, derandomized).

The valid range: as_of from the first dated figure (DTM Round 1, 1 September 2022) to today; planned_strength
from 1 to 100,000; population from the largest count of displaced people known on as_of. The analysis is what the
notebooks call, run in process. The notebooks themselves run in process too (tests/inprocess.py, one shell per
run, imports shared), at the edges and at dates hypothesis draws, and their recorded figures, prose and sources
are checked against each other and against as_of.
"""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haiti_mss import claims, data, deployment, displacement, manifest, violence
from haiti_mss.notebook import source_ids_used
from haiti_mss.parameters import PARAMETERS

from datafixtures import tables  # noqa: F401  (fixture)
import inprocess

FIRST_FIGURE = date(2022, 9, 1)  # data/dtm_rounds.csv: DTM Round 1, dated to the first day of its reporting month
DEFAULT_PLAN = 2500
POPULATION = 11_906_095  # the latest UN estimate in data/population.csv (the default)
# The dates where something starts or changes, each with the day before where that matters.
EDGES = {
    "first figure": "2022-09-01",
    "before everything else (the issue's crash)": "2023-06-30",
    "authorization (resolution 2699)": "2023-10-02",
    "day before the first DTM round": "2023-11-30",
    "first DTM round": "2023-12-01",
    "day before the first quarter ends": "2023-12-30",
    "first quarter ends": "2023-12-31",
    "day before the first arrival": "2024-06-24",
    "first arrival": "2024-06-25",
    "Jamaica and Belize arrive": "2024-09-12",
    "the UN expert's remark": "2024-09-20",
    "day before the article": "2024-09-21",
    "the article": "2024-09-22",
    "first whole-force strength report": "2024-09-30",
    "Round 9": "2025-01-14",
    "Kenyan arrival": "2025-12-08",
    "Kenyan departure": "2025-12-09",
    "newest figure": "2026-03-21",
    "today": date.today().isoformat(),
}
# The plan's bounds at the dates where the plan matters most (nothing deployed, the first day, the article, now).
PLAN_EDGES = [(EDGES[k], plan) for k in ("first figure", "first arrival", "the article", "today") for plan in (1, 100_000)]


def test_the_range_is_what_the_tests_assume(tables):
    earliest, newest = data.date_span(tables, manifest.AS_OF_TABLES)
    assert (earliest, newest) == (pd.Timestamp(FIRST_FIGURE), pd.Timestamp("2026-03-21"))
    assert (PARAMETERS["planned_strength"].minimum, PARAMETERS["planned_strength"].maximum) == (1, 100_000)


# ---------------------------------------------------------------- the edges, by hand

def test_before_the_first_deployment_nobody_is_deployed(tables):
    a, s = tables["arrivals"], tables["strength_reports"]
    d = deployment.deployed_range(a, s, "2023-06-30")
    assert (d.low, d.high, d.arrivals_net, d.report_ids, d.movement_ids, d.reported_on) == (0, 0, 0, (), (), None)
    assert d.share(2500) == (0.0, 0.0) and d.shortfall(2500) == (2500, 2500)
    series = deployment.deployment_series(a, s, 2500, until="2023-06-30")
    assert series[["date", "low", "high", "share_high"]].values.tolist() == [[pd.Timestamp("2023-06-30"), 0, 0, 0.0]]
    steps = deployment.milestones(series, 2500, None)
    assert steps["reached_high"].isna().all() and steps["months_high"].isna().all()
    p = deployment.projection(a, 2500, "2023-06-30")
    assert (p.status, p.since, p.deployed, p.rate_per_month, p.reached_on) == ("not started", None, 0, None, None)
    assert deployment.authorization_date(tables["un_decisions"], "2023-06-30") is None
    assert deployment.authorization_date(tables["un_decisions"], "2023-10-02") == pd.Timestamp("2023-10-02")
    assert deployment.gsf_ceiling(tables["un_decisions"], "2025-09-29") is None
    assert deployment.gsf_ceiling(tables["un_decisions"], "2025-09-30") == 5550
    pledges = deployment.pledged_vs_arrived(tables["pledges"], a, "2023-06-30")
    assert pledges[["country", "pledged_low", "arrived"]].values.tolist() == [["Kenya", 1000, 0]]  # pledged in 2023


def test_the_day_before_and_the_day_of_the_first_arrival(tables):
    a, s = tables["arrivals"], tables["strength_reports"]
    assert deployment.deployed_range(a, s, "2024-06-24").high == 0
    d = deployment.deployed_range(a, s, "2024-06-25")
    assert (d.low, d.high, d.movement_ids) == (200, 200, ("2024-06-25-kenya",))  # the first 200 Kenyans
    p = deployment.projection(a, 2500, "2024-06-25")
    assert (p.status, p.deployed, p.rate_per_month, p.reached_on) == ("too early", 200, None, None)  # no pace in 0 days
    series = deployment.deployment_series(a, s, 2500, until="2024-06-25")
    steps = deployment.milestones(series, 2500, pd.Timestamp("2023-10-02")).set_index("milestone")
    assert steps.loc["first arrival", "reached_high"] == pd.Timestamp("2024-06-25")
    assert steps.loc["first arrival", "months_high"] == round(267 / (365.25 / 12), 1)  # 2 Oct 2023 to 25 Jun 2024


def test_arrival_and_report_days(tables):
    a, s = tables["arrivals"], tables["strength_reports"]
    assert (lambda d: (d.low, d.high))(deployment.deployed_range(a, s, "2024-09-12")) == (426, 426)  # Kenyan-only report
    d = deployment.deployed_range(a, s, "2024-09-30")
    assert (d.low, d.high, d.report_ids) == (410, 426, ("2024-09-30-mission-xinhua",))  # "about 410" against 426 arrived
    d = deployment.deployed_range(a, s, "2025-12-08")
    # 1,021 + 230 arrived that day; Reuters 980 the same day, Latin Times "almost 1,000" on 1 December
    assert (d.arrivals_net, d.low, d.high) == (1251, 980, 1251)
    d = deployment.deployed_range(a, s, "2025-12-09")
    assert (d.arrivals_net, d.low, d.high) == (1021, 980, 1021)  # 230 went home the next day


def test_planned_strength_at_its_bounds(tables):
    a, s = tables["arrivals"], tables["strength_reports"]
    d = deployment.deployed_range(a, s, "2026-03-21")  # 1,000 to 1,200
    assert d.share(1) == (1000.0, 1200.0) and d.shortfall(1) == (0, 0)  # far past a plan of one person
    assert d.share(100_000) == (0.01, 0.012) and d.shortfall(100_000) == (98_800, 99_000)
    assert deployment.projection(a, 1, "2026-03-21").status == "reached"
    series = deployment.deployment_series(a, s, 1, until="2026-03-21")
    steps = deployment.milestones(series, 1, pd.Timestamp("2023-10-02"))
    assert steps["threshold"].tolist() == [1, 1, 1, 1]  # a quarter of one person is one person
    assert set(steps["reached_low"]) == {pd.Timestamp("2024-06-25")}
    far = deployment.projection(a, 100_000, "2026-03-21")
    months = 634 / (365.25 / 12)  # 25 Jun 2024 to 21 Mar 2026
    assert far.status == "projected" and far.months_to_plan == pytest.approx((100_000 - 1021) / (1021 / months))
    assert far.reached_on.year == 2194  # 168 years at 49 a month


def test_far_projections(tables):
    first_only = tables["arrivals"][tables["arrivals"]["movement_id"] == "2024-06-25-kenya"]
    p = deployment.projection(first_only, 100_000, "2026-03-21")
    months = 634 / (365.25 / 12)  # 25 Jun 2024 to 21 Mar 2026
    assert p.status == "projected" and p.months_to_plan == pytest.approx((100_000 - 200) / (200 / months))
    assert p.reached_on.year == 2892  # 866 years at 9.6 a month: pandas' calendar holds it
    one = first_only.assign(date=pd.Timestamp("2023-01-01"), net_change=1)
    p = deployment.projection(one, 100_000, "2026-11-27")
    months = 1426 / (365.25 / 12)  # 1 Jan 2023 to 27 Nov 2026
    assert p.status == "beyond the calendar" and p.reached_on is None  # about 390,000 years: past pandas' calendar
    assert p.months_to_plan == pytest.approx((100_000 - 1) / (1 / months))


def test_before_and_on_the_first_dtm_round(tables):
    dtm, a, s = tables["dtm_rounds"], tables["arrivals"], tables["strength_reports"]
    assert displacement.latest_round(dtm, "2022-08-31") is None
    assert displacement.growth(dtm, "2022-08-31").empty
    per = displacement.idps_per_deployed(dtm, a, s, "2022-08-31")
    assert per.empty and "deployed_high" in per  # the issue's KeyError
    latest = displacement.latest_round(dtm, "2022-09-01")
    assert (latest["round_id"], latest["idps"], latest["idps_qualifier"]) == ("dtm-r01", 24_212, "exact")
    per = displacement.idps_per_deployed(dtm, a, s, "2022-09-01")
    assert per[["idps", "deployed_high", "per_officer_low"]].values.tolist() == [[24_212, 0, None]]


def test_before_and_on_the_first_quarter(tables):
    v = tables["violence"]
    assert violence.last_quarters(v, "2023-12-30") is None
    assert violence.annual_totals(v, "2023-12-30").empty and violence.security_force_shares(v, "2023-12-30").empty
    last = violence.last_quarters(v, "2023-12-31")
    assert (last.count, last.killed, last.injured, last.first_label) == (1, 1104, 532, "2023-Q4")
    years = violence.annual_totals(v, "2023-12-31")
    assert years[["series", "killed", "quarters_killed"]].values.tolist() == [["ohchr", 4451, 1104], ["sg_report", 4789, 1104]]
    assert violence.annual_range(v, 2023, as_of="2023-12-31") == (4451, 4451)  # the SG's all-homicide count is excluded
    assert violence.annual_range(v, 2024, as_of="2024-12-30") is None  # 2024 had not ended


def test_the_article_variant_shows_the_same_figures_as_the_remark(tables):
    """params/2024-09-article.yaml moved from 20 to 22 September 2024; its description says the figures are
    the same on both days. Nothing in the tables that set the figures is dated in between."""
    import yaml

    from haiti_mss import paths

    variant = yaml.safe_load((paths.PARAMS_DIR / "2024-09-article.yaml").read_text(encoding="utf-8"))
    assert variant["parameters"] == {"as_of": date(2024, 9, 22)}
    assert "same on both days" in variant["description"]
    for name in manifest.AS_OF_TABLES + ["expert_statements", "displacement_other"]:
        dated = tables[name][data.DATE_COLUMNS[name]]
        assert not dated.between(pd.Timestamp("2024-09-21"), pd.Timestamp("2024-09-22")).any(), name
    remark, article = (analysis(tables, when, DEFAULT_PLAN) for when in ("2024-09-20", "2024-09-22"))
    for key in ("deployed", "latest_round", "last_quarters", "children"):
        assert remark[key] == article[key], key
    assert remark["deployed"][:2] == (426, 426) and remark["latest_round"] == "dtm-r07"


# ---------------------------------------------------------------- properties at every point

def analysis(tables, as_of, planned) -> dict:
    """What the notebooks compute for a date and a plan, in plain values (comparable with ==)."""
    a, s, dtm, v = tables["arrivals"], tables["strength_reports"], tables["dtm_rounds"], tables["violence"]
    d = deployment.deployed_range(a, s, as_of)
    series = deployment.deployment_series(a, s, planned, until=as_of)
    authorized = deployment.authorization_date(tables["un_decisions"], as_of)
    latest = displacement.latest_round(dtm, as_of)
    child = displacement.latest_children_share(dtm, as_of)
    last = violence.last_quarters(v, as_of)
    frames = {
        "series": series,
        "milestones": deployment.milestones(series, planned, authorized),
        "pledges": deployment.pledged_vs_arrived(tables["pledges"], a, as_of),
        "moves": deployment.movements_until(a, as_of),
        "growth": displacement.growth(dtm, as_of),
        "children_shares": displacement.children_shares(dtm, as_of),
        "hosts": displacement.host_vs_sites(dtm, as_of),
        "population_shares": displacement.population_shares(dtm, POPULATION, as_of),
        "per_officer": displacement.idps_per_deployed(dtm, a, s, as_of),
        "areas": displacement.areas(tables["dtm_areas"], dtm, as_of),
        "quarters": violence.quarters(v, as_of),
        "years": violence.annual_totals(v, as_of),
        "security_forces": violence.security_force_shares(v, as_of),
    }
    return {
        "deployed": (d.low, d.high, d.arrivals_net, d.reported_low, d.reported_high, d.reported_on, d.report_ids, d.movement_ids),
        "share": d.share(planned), "shortfall": d.shortfall(planned),
        "authorized": authorized, "gsf_ceiling": deployment.gsf_ceiling(tables["un_decisions"], as_of),
        "projection": deployment.projection(a, planned, as_of),
        "latest_round": None if latest is None else latest["round_id"],
        "children": None if child is None else (child["round_id"], child["children_share"]),
        "last_quarters": last,
        "verdicts": [x.as_dict() for x in claims.check_claims(tables, planned, as_of)],
        "frames": {k: {c: [plain(x) for x in f[c]] for c in f.columns} for k, f in frames.items()},
    }


def plain(value):
    """Missing values as None, so that two answers compare with == (NaN is not equal to itself)."""
    return None if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)) else value


def within(frame_values: dict, column: str, low: float, high: float) -> bool:
    return all(low <= x <= high for x in frame_values[column] if x is not None and not pd.isna(x))


def check_consistency(tables, as_of: str, planned: int) -> None:
    day = pd.Timestamp(as_of)
    got = analysis(tables, day, planned)
    # Nothing dated after as_of is used: the tables cut at as_of give the same answers.
    assert got == analysis(data.until(tables, day), day, planned)
    low, high, net, r_low, r_high, reported_on, _, _ = got["deployed"]
    assert 0 <= low <= net <= high and low <= high
    assert r_low is None or (r_low <= r_high and reported_on <= day)
    s_low, s_high = got["share"]
    assert (s_low, s_high) == (low / planned, high / planned) and 0 <= s_low <= s_high
    assert (s_high <= 1) == (high <= planned)  # a share over 1 means over the plan, never otherwise
    assert got["shortfall"] == (max(planned - high, 0), max(planned - low, 0))
    f = got["frames"]
    series = f["series"]
    assert series["date"][-1] == day and all(x <= day for x in series["date"])
    assert (series["low"][-1], series["high"][-1]) == (low, high)
    assert all(lo <= hi for lo, hi in zip(series["low"], series["high"]))
    assert all(math.isclose(sh, hi / planned) for sh, hi in zip(series["share_high"], series["high"]))
    m = f["milestones"]
    for h, lo in zip(m["reached_high"], m["reached_low"]):
        assert pd.isna(h) or h <= day
        assert pd.isna(lo) or (not pd.isna(h) and h <= lo <= day)  # the highest figure gets there first
    p = got["projection"]
    assert p.deployed == net
    assert p.status in ("not started", "reached", "too early", "stalled", "projected", "beyond the calendar")
    assert (p.status == "not started") == (net == 0 and p.since is None)
    if p.status == "projected":
        assert p.rate_per_month > 0 and p.months_to_plan > 0 and p.reached_on >= day
    assert all(x >= 0 for x in f["pledges"]["arrived"])
    assert all(lo <= hi for lo, hi in zip(f["pledges"]["pledged_low"], f["pledges"]["pledged_high"]) if not pd.isna(lo))
    assert all(x <= day for x in f["moves"]["date"]) and all(x <= day for x in f["growth"]["reference_date"])
    assert all(m > 0 for m in f["growth"]["months"] if not pd.isna(m))
    for name, column in (("children_shares", "children_share"), ("children_shares", "children_share_computed"),
                         ("hosts", "host_share"), ("hosts", "not_with_hosts"), ("population_shares", "population_share"),
                         ("security_forces", "security_forces_share")):
        assert within(f[name], column, 0, 1), (name, column)
    per = f["per_officer"]
    assert all(lo <= hi for lo, hi in zip(per["deployed_low"], per["deployed_high"]))
    assert all(lo <= hi for lo, hi in zip(per["per_officer_low"], per["per_officer_high"]) if lo is not None and hi is not None)
    assert all(x <= day for x in f["quarters"]["period_end"]) and all(x <= day for x in f["years"]["period_end"])
    last = got["last_quarters"]
    assert (last is None) == (not f["quarters"]["period_end"])
    assert last is None or (1 <= last.count <= 4 and last.period_end <= day and last.killed >= 0)
    verdicts = got["verdicts"]
    assert len(verdicts) == len(tables["claims"]) and all(x["verdict"] in claims.VERDICTS for x in verdicts)
    if day < pd.Timestamp("2024-09-22"):  # before the article
        assert {x["verdict"] for x in verdicts} == {claims.NOT_CHECKABLE}
    known = set(tables["sources"]["source_id"])
    for e in (e for x in verdicts for e in x["evidence"]):
        assert set(e["source_ids"]) <= known
        # Only a plan of the reader's own (a parameter that is no figure in data/) has no source
        assert e["source_ids"] or e["label"] == "planned strength (report parameter, set for this report)", e


@pytest.mark.parametrize("as_of", list(EDGES.values()), ids=list(EDGES))
def test_consistent_at_every_edge(tables, as_of):
    check_consistency(tables, as_of, DEFAULT_PLAN)


@pytest.mark.parametrize("as_of, planned", PLAN_EDGES)
def test_consistent_with_the_plan_at_its_bounds(tables, as_of, planned):
    check_consistency(tables, as_of, planned)


@settings(derandomize=True, max_examples=15, deadline=None)
@given(as_of=st.dates(min_value=FIRST_FIGURE, max_value=date.today()),
       planned=st.one_of(st.integers(1, 100_000), st.sampled_from([1, 2500, 5550, 100_000])))
def test_consistent_at_any_date_and_plan(tables, as_of, planned):
    check_consistency(tables, as_of.isoformat(), planned)


# ---------------------------------------------------------------- notebooks, executed in process

NOTEBOOKS = list(manifest.NOTEBOOKS)  # the brief and the three detailed notebooks
TODAY = date.today().isoformat()
# The edges of the range where the notebooks run, with the plan where it matters (None: the default, 2,500).
NOTEBOOK_EDGES = {
    "first figure: DTM Round 1's day": ("2022-09-01", None),
    "before the authorization, the first arrival and the first quarter": ("2023-06-30", None),
    "the first quarter's last day": ("2023-12-31", None),
    "the first arrival, plan of 1": ("2024-06-25", 1),
    "the article, plan of 100,000": ("2024-09-22", 100_000),
    "Round 8's day": ("2024-10-02", None),
    "the newest figure": ("2026-03-21", None),
    "today, after the data ends": (TODAY, None),
}
# Charts are drawn to PNG at these two (the builds in test_notebooks draw them on the newest data); elsewhere
# they are built, not drawn, which keeps this file's many notebook runs fast.
RENDERED = {("2023-06-30", None), ("2024-06-25", 1)}
# Recorded dates that may lie after as_of: the data's vintage and a projection into the future.
LATER_DATES = {"newest_figure", "projection_reached_on"}
WHOLE_SHARES = ("idps_population_share", "children_share_latest")  # shares of a whole: in [0, 1]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MISSING = re.compile(r"\b(nan|NaN|NaT|n/a)\b|\bNone\b(?! of\b)")


_runs: dict = {}


def run_notebooks(as_of: str, planned: int | None = None) -> dict:
    """{notebook: (executed notebook, recorded figures)}, each run once per test session."""
    if (as_of, planned) not in _runs:
        params = {"as_of": as_of, **({"planned_strength": planned} if planned else {})}
        _runs[as_of, planned] = {name: inprocess.execute(name, render=(as_of, planned) in RENDERED, **params)
                                 for name in NOTEBOOKS}
    return _runs[as_of, planned]


def flat(nb) -> str:
    """The notebook's prose and tables as one line of text (Markdown and HTML, whitespace collapsed)."""
    return " ".join(inprocess.prose(nb).split())


def html_outputs(nb) -> list[str]:
    return [o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", [])
            if "text/html" in o.get("data", {})]


def sources_listed(nb) -> set[str] | None:
    """The ids in the Sources section's table; None when the section is the one sentence that there are none."""
    tables = [h for h in html_outputs(nb) if 'class="report-table sources"' in h]
    return set(re.findall(r"<td><code>([^<]+)</code></td>", tables[-1])) if tables else None


def ids_shown(nb) -> set[str]:
    """Source ids the notebook prints: in a table's "source" column and as [id] in the prose."""
    found = set(re.findall(r"\[([a-z0-9][a-z0-9.-]+)\]", inprocess.prose(nb)))
    for page in html_outputs(nb):
        if 'class="report-table sources"' in page:
            continue
        heads = re.findall(r"<th>(.*?)</th>", page)
        if "source" not in heads:
            continue
        column = heads.index("source")
        for row in re.findall(r"<tr>(.*?)</tr>", page):
            cells = re.findall(r"<td>(.*?)</td>", row)
            if len(cells) == len(heads) and cells[column]:
                found |= set(cells[column].split("; "))
    return found


def known_source_ids(tables, day: pd.Timestamp, planned: int) -> set[str]:
    """The sources of the rows known on day (dated rows not after it; department and area rows of the rounds
    known then; undated tables whole, such as the article's claims, which the brief names before the article's
    date to say it did not exist yet), and of the rows that state the plan measured against (a parameter)."""
    cut = data.until(tables, day)
    rounds = set(cut["dtm_rounds"]["round_id"])
    for name in ("dtm_departments", "dtm_origins", "dtm_areas"):
        cut[name] = tables[name][tables[name]["round_id"].isin(rounds)]
    plans = tables["plans"][tables["plans"]["personnel"] == planned]
    ceiling = tables["un_decisions"][tables["un_decisions"]["personnel_ceiling"] == planned]
    return set(source_ids_used(cut)) | set(source_ids_used({"plans": plans, "un_decisions": ceiling}))


def check_figures(found: dict, day: pd.Timestamp, planned: int, newest: pd.Timestamp, name: str) -> None:
    for key, value in found.items():
        if key.endswith("_low") and f"{key[:-4]}_high" in found and value is not None and found[f"{key[:-4]}_high"] is not None:
            assert value <= found[f"{key[:-4]}_high"], (name, key)
        if isinstance(value, str) and ISO_DATE.match(value) and key not in LATER_DATES:
            assert pd.Timestamp(value) <= day, (name, key, value)  # nothing dated after as_of
    for key in WHOLE_SHARES:
        assert found.get(key) is None or 0 <= found[key] <= 1, (name, key)
    if "deployed_low" in found:
        low, high = found["deployed_low"], found["deployed_high"]
        assert 0 <= low <= high
        assert (found["deployed_share_low"], found["deployed_share_high"]) == (pytest.approx(low / planned), pytest.approx(high / planned))
        assert (found["shortfall_low"], found["shortfall_high"]) == (max(planned - high, 0), max(planned - low, 0))
        if found.get("gsf_ceiling"):
            assert found["gsf_share_low"] == pytest.approx(low / found["gsf_ceiling"])
    if found.get("idps_latest") is not None and "idps_population_share" in found:
        assert found["idps_population_share"] == pytest.approx(found["idps_latest"] / found["population"])
    if found.get("idps_by_department"):
        assert all(v >= 0 for v in found["idps_by_department"].values())
    if found.get("projection_reached_on"):
        assert pd.Timestamp(found["projection_reached_on"]) >= min(day, newest)
    assert 0 <= found.get("last_four_quarters_count", 0) <= 4


def check_reports(tables, as_of: str, planned: int | None, runs: dict) -> None:
    """Every notebook ran; its figures hold together and agree across notebooks; its prose prints no missing
    value, no negative duration, no nested parenthesis and no header-only table; its Sources section lists the
    sources of what it shows, and only sources of rows known on as_of."""
    day, plan = pd.Timestamp(as_of), planned or DEFAULT_PLAN
    newest = data.date_span(tables, manifest.AS_OF_TABLES)[1]
    known = known_source_ids(tables, day, plan)
    for name, (nb, found) in runs.items():
        reads_plan = "planned_strength" in manifest.parameters_read(name)  # 02 does not
        assert (found["as_of"], found.get("planned_strength")) == (as_of, plan if reads_plan else None), name
        check_figures(found, day, plan, newest, name)
        text = flat(nb)
        assert not MISSING.search(text), (name, MISSING.search(text))
        assert not re.search(r":\*\* -\d", text), name  # a negative figure, e.g. months before the authorization
        for page in html_outputs(nb):
            assert "<tbody></tbody>" not in page, (name, page[:200])
        for part in re.split(r"<[^>]+>", inprocess.prose(nb)):
            assert not re.search(r"\([^()]*\(", part), (name, part)
        listed = sources_listed(nb)
        assert listed is None or listed <= known, (name, listed - known)
        assert ids_shown(nb) <= (listed or set()), (name, ids_shown(nb) - (listed or set()))
    for key in ("deployed_low", "deployed_high", "idps_latest", "idps_latest_date", "children_share_latest",
                "killed_last_four_quarters"):
        values = {name: found[key] for name, (_, found) in runs.items() if key in found}
        assert len(set(map(repr, values.values()))) <= 1, (key, values)  # one figure, the same in every notebook


@pytest.mark.parametrize("as_of, planned", list(NOTEBOOK_EDGES.values()), ids=list(NOTEBOOK_EDGES))
def test_every_notebook_at_the_edges(tables, as_of, planned):
    check_reports(tables, as_of, planned, run_notebooks(as_of, planned))


@settings(derandomize=True, max_examples=5, deadline=None)
@given(as_of=st.dates(min_value=FIRST_FIGURE, max_value=date.today()),
       planned=st.one_of(st.integers(1, 100_000), st.sampled_from([1, 2500, 5550, 100_000])))
def test_every_notebook_at_any_date_and_plan(tables, as_of, planned):
    check_reports(tables, as_of.isoformat(), planned, run_notebooks(as_of.isoformat(), planned))


def test_the_deployment_notebook_before_anything():
    nb, found = run_notebooks("2023-06-30")["01_deployment"]
    text = flat(nb)
    assert "- **Deployed on 30 June 2023:** 0 personnel; no MSS personnel had arrived in Haiti yet." in text
    # The default plan is the MSS plan, first stated in data/plans.csv by AP on 13 September 2024
    assert "- **Planned:** 2,500 (the MSS plan, first stated in the sources on 13 September 2024)." in text
    assert "- **Authorization:** the Security Council had not yet authorized the mission on 30 June 2023." in text
    assert "Months since" not in text and found["authorized_on"] is None
    assert "No MSS personnel had arrived in Haiti by 30 June 2023, so there is no deployment to chart yet." in text
    assert "no pace of arrivals to project from" in text and "Net arrivals have not grown" not in text
    assert "The Security Council had not created a Gang Suppression Force by 30 June 2023" in text
    assert "2793" not in text  # the GSF's resolution (30 September 2025) is not quoted in 2023
    assert "No arrival, rotation or departure of MSS personnel in the data is dated on or before 30 June 2023." in text
    assert "No official or news report of the force's strength in the data is dated on or before 30 June 2023." in text
    # Kenya's pledge (dated 2023, Reuters via socastsrm) and the plan's first source: nothing else is shown
    assert sources_listed(nb) == {"reuters-socastsrm-2024-02-29", "ap-manilabulletin-2024-09-13"}


def test_the_deployment_notebook_on_the_first_arrival_and_the_article():
    nb, found = run_notebooks("2024-06-25", 1)["01_deployment"]
    text = flat(nb)
    assert "- **Months since the Security Council authorized the mission on 2 October 2023:** 8.8." in text  # 267 days
    assert "The first MSS personnel arrived on 25 June 2024 itself (200); the chart has no span of time" in text
    assert "Arrivals net of departures had reached the plan of 1 by 25 June 2024." in text
    assert found["projection_status"] == "reached"
    nb, found = run_notebooks("2024-09-22", 100_000)["01_deployment"]
    text = flat(nb)
    # 426 arrived in 89 days (25 June to 22 September 2024) = 2.924 months: 145.7 a month;
    # (100,000 - 426) / 145.7 = 683.5 months, 57 years
    assert ("grew by 146 personnel a month on average, to 426. **If that average pace held**, the remaining 99,574 "
            "would arrive in 683 months, about 57 years: around") in text
    assert found["projection_status"] == "projected" and found["projection_reached_on"].startswith("2081-")


def test_the_deployment_notebook_after_the_data_ends():
    nb, found = run_notebooks(TODAY)["01_deployment"]
    text = flat(nb)
    # Reports of 1,000 (21 January) and 1,200 (26 January 2026), 1,021 arrived net: the latest figures
    assert "- **Deployed by the latest figures, dated 26 January 2026:** 1,000–1,200 personnel" in text
    assert f"were deployed on {text_day(TODAY)}" not in text and found["deployed_figures_dated"] == "2026-01-26"
    # The pace up to the newest figure: 1,021 in 634 days (25 June 2024 to 21 March 2026) = 49.0 a month;
    # 1,479 to go = 30.2 months
    assert ("From the first arrival on 25 June 2024 to 21 March 2026, the date of the newest figure in the data, arrivals "
            "net of departures grew by 49 personnel a month on average, to 1,021.") in text
    assert "the remaining 1,479 would arrive in 30 months: around" in text
    assert "MSS pledges made and personnel arrived net of departures, by 21 March 2026, the date of the newest figure in the data" in text


def text_day(iso: str) -> str:
    from haiti_mss import text

    return text.day(iso)


def test_the_displacement_notebook_on_round_1_and_with_partial_rounds():
    nb, found = run_notebooks("2022-09-01")["02_displacement"]
    text = flat(nb)
    assert found["idps_latest"] == 24_212 and found["department_round_date"] == "2022-09-01"
    assert ("Round 1 covered only part of the country: mostly the Port-au-Prince metropolitan area (ZMPP); IDPs counted "
            "in Ouest, Sud and Grand&#x27;Anse only.") in text
    assert "- **Share of the population:** 0.2% of 11,906,095 people, counting only the displaced in the area Round 1 covered." in text
    assert "Round 1 (September 2022) is the only round up to 1 September 2022, so there is no growth to compute yet." in text
    assert "No MSS personnel had arrived in Haiti by 1 September 2022, so there is no ratio" in text
    # Round 1's IOM rows and the population table's five estimates (four sources)
    assert sources_listed(nb) == {"dtm-api-v3-admin1-hti", "alterpresse-4603", "danso-population-haiti",
                                  "ihsi-lequotidiennews-2025-03", "metropole-ihsi-dg"}
    nb, found = run_notebooks("2023-12-31")["02_displacement"]
    text = flat(nb)
    # Round 3 (March 2023) is the latest round that states a host-family share; it covered the capital's area only
    assert ("- **With host families:** 62% in Round 3; the rest live in sites or elsewhere. Round 3 covered only part of "
            "the country: the Port-au-Prince metropolitan area (ZMPP) only.") in text
    # Round 5.1: 313,901 / 11,906,095 = 2.64%
    assert "- **Share of the population:** 2.6% of 11,906,095 people, counting only the displaced in the area Round 5.1 covered." in text
    assert "### How the map changed since" not in text  # Round 7, the first full round, came in May 2024


def test_the_displacement_notebook_on_round_8s_day():
    nb, found = run_notebooks("2024-10-02")["02_displacement"]
    text = flat(nb)
    assert (found["idps_latest_round"], found["department_round"]) == ("Round 8", "Round 8")
    assert "- **Growth since the previous round:** 22% in 4.1 months, 30,658 people a month." in text  # 124,899 in 124 days
    assert "### How the map changed since Round 7" in text


def test_the_population_holds_the_displaced():
    from haiti_mss.parameters import ParameterError

    with pytest.raises(ParameterError, match=r"^parameter 'population': got 1000000; expected a whole number from "
                                             r"1,412,199 to 100,000,000, since Round 11 counted 1,412,199 displaced people"):
        inprocess.execute("02_displacement", render=False, population=1_000_000)
    # On 30 June 2023 the largest round is Round 2 (155,166): a population of 1,000,000 is valid
    nb, found = inprocess.execute("02_displacement", render=False, as_of="2023-06-30", population=1_000_000)
    assert found["idps_population_share"] == 127_977 / 1_000_000  # Round 3, the latest then
    assert "share of 1,000,000" in inprocess.prose(nb) and "12.8%" in inprocess.prose(nb)


VIOLENCE_RUNS = {
    "before the first quarter": ("2023-06-30", None),
    "the first quarter's last day": ("2023-12-31", None),
    "the first arrival, plan of 1": ("2024-06-25", 1),
    "the article, plan of 100,000": ("2024-09-22", 100_000),
    "today": (TODAY, None),
}


@pytest.mark.parametrize("as_of, planned", list(VIOLENCE_RUNS.values()), ids=list(VIOLENCE_RUNS))
def test_violence_notebook_at_the_edges(as_of, planned):
    nb, found = run_notebooks(as_of, planned)["03_violence"]
    text = inprocess.prose(nb)
    assert found["as_of"] == as_of and found["planned_strength"] == (planned or DEFAULT_PLAN)
    assert not re.search(r"\b(nan|NaN|NaT|None|n/a)\b", text)  # no missing value printed as a figure
    if as_of == "2023-06-30":
        assert found["killed_last_four_quarters"] is None and found["last_four_quarters_count"] == 0
        assert "No UN (BINUH) quarter in the data had ended by 30 June 2023: the first, 2023-Q4, ends on 31 December 2023." in text
        assert "No year in the data had ended by 30 June 2023; the first annual figures are for 2023." in text
        assert "image/png" not in str(nb)  # rendered (RENDERED): nothing to draw
        assert "No figure from the data is shown for 30 June 2023, so there is no source to list." in text
    elif as_of == "2023-12-31":
        assert (found["killed_last_four_quarters"], found["last_four_quarters"]) == (1104, "2023-Q4")
        assert "**Killed in 2023-Q4:** 1,104; injured: 532." in text
        assert "No MSS personnel had arrived in Haiti by 31 December 2023" in text
        assert "1,104 (1 quarter)" in text  # 2023: only Q4 is in the data
    elif as_of == "2024-06-25":
        assert "The first MSS personnel arrived on 25 June 2024 itself (200)" in text
        assert "image/png" in str(nb)  # rendered (RENDERED)
    elif as_of == "2024-09-22":
        # Q4 2023 + Q1 + Q2 2024: 1,104 + 1,660 + 945 killed (Q3 ends on 30 September)
        assert (found["killed_last_four_quarters"], found["last_four_quarters_count"]) == (3709, 3)
    else:
        assert (found["killed_last_four_quarters"], found["last_four_quarters"]) == (1617 + 1520 + 1247 + 1523, "2025-Q1 to 2025-Q4")


def test_violence_chart_legend_leaves_the_plan_label_clear(tables):
    """The defect: the legend covered the 'planned: 2,500' label. Drawn at the edges of the range."""
    import matplotlib.pyplot as plt

    from haiti_mss import charts

    charts.set_theme()
    for as_of, planned in (("2026-03-21", 2500), ("2023-12-31", 2500), ("2026-03-21", 1), ("2024-09-22", 100_000)):
        q = violence.quarters(tables["violence"], as_of)
        series = deployment.deployment_series(tables["arrivals"], tables["strength_reports"], planned, until=as_of)
        fig = charts.violence_chart(q, series[series["date"] >= q["period_start"].min()], planned, "title", "source")
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        top, bottom = fig.axes
        label = next(t for t in bottom.texts if t.get_text() == f"planned: {planned:,}")
        assert not bottom.get_legend().get_window_extent(renderer).overlaps(label.get_window_extent(renderer)), (as_of, planned)
        box, inside = label.get_window_extent(renderer), bottom.get_window_extent(renderer)
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1 + 1 and inside.y0 <= box.y0 and box.y1 <= inside.y1  # not clipped
        bars = [p.get_window_extent(renderer) for p in top.patches if p.get_height() > 0]
        assert not any(top.get_legend().get_window_extent(renderer).overlaps(b) for b in bars), as_of
        plt.close(fig)


def test_a_typo_in_the_injected_parameters_stops_the_notebook_in_process():
    from haiti_mss.parameters import ParameterError

    with pytest.raises(ParameterError, match=r"^unknown parameter 'planed_strength' \(did you mean 'planned_strength'\?\)"):
        inprocess.execute("03_violence", render=False, planed_strength=3000)


def test_the_population_range_follows_the_rounds_known_on_as_of(tables):
    from haiti_mss import parameters

    earliest, newest = data.date_span(tables, manifest.AS_OF_TABLES)
    # Round 9 (14 January 2025): IOM's 1,041,229, above the news's 1,041,000 (idps_alt); the larger is the bound
    with pytest.raises(parameters.ParameterError, match=r"from 1,041,229 to 100,000,000, since Round 9 counted 1,041,229 "
                                                        r"displaced people \(the largest figure in data/dtm_rounds.csv up to as_of, 2025-01-14\)$"):
        parameters.resolve({"as_of": "2025-01-14", "population": 1_041_228}, tables, newest, earliest)
    assert parameters.resolve({"as_of": "2025-01-14", "population": 1_041_229}, tables, newest, earliest)["population"] == 1_041_229
    # The day before Round 9 the largest round is Round 8 (702,973): the static minimum of 1,000,000 is the bound
    assert parameters.resolve({"as_of": "2025-01-13", "population": 1_000_000}, tables, newest, earliest)["population"] == 1_000_000
    assert "not below the largest count of displaced people in a DTM round up to as_of" in PARAMETERS["population"].allowed()
