"""The analysis functions against figures worked out by hand from data/ (the arithmetic is in each test)."""

import pandas as pd
import pytest

from haiti_mss import claims, data, deployment, displacement, violence

from datafixtures import tables, with_cell  # noqa: F401  (tables: fixture)


# ---------------------------------------------------------------- deployment

def test_cumulative_arrivals_on_the_day_of_less_than_a_quarter(tables):
    # Kenya 200 (25 Jun) + Kenya 200 (16 Jul) + Jamaica 24 + Belize 2 (12 Sep 2024)
    assert deployment.cumulative_arrivals(tables["arrivals"], "2024-09-20") == 200 + 200 + 24 + 2


def test_deployed_range_uses_arrivals_and_reports(tables):
    a, s = tables["arrivals"], tables["strength_reports"]
    r = deployment.deployed_range(a, s, "2024-09-20")
    assert (r.low, r.high) == (426, 426)  # no whole-force report yet (12 Sep is Kenyan police only)
    assert deployment.deployed_share(r.low, 2500) == pytest.approx(426 / 2500)  # 17.04%: under a quarter
    r = deployment.deployed_range(a, s, "2024-10-11")
    assert (r.low, r.high) == (410, 430)  # reports 410 (30 Sep) and 430 (11 Oct); arrivals 426 in between
    r = deployment.deployed_range(a, s, "2025-02-06")
    # arrivals 426 + 6 + 75 + 8 + 75 + 217 + 70 + 144 = 1,021; AFP "fewer than 800", EFE "more than 900" (4 Feb)
    assert (r.arrivals_net, r.low, r.high) == (1021, 800, 1021)
    assert r.reported_on == pd.Timestamp("2025-02-04")


def test_rotation_and_departure_net_out(tables):
    # 8 Dec 2025: +230 Kenyans; 9 Dec: 230 home; Jamaican and Guatemalan rotations add nothing
    assert deployment.cumulative_arrivals(tables["arrivals"], "2026-03-21") == 1021


def test_share_and_shortfall_on_the_newest_date(tables):
    r = deployment.deployed_range(tables["arrivals"], tables["strength_reports"], "2026-03-21")
    assert (r.low, r.high) == (1000, 1200)  # Ayiti Intel ~1,000 (21 Jan) and 1,200 (26 Jan 2026)
    assert r.share(2500) == pytest.approx((0.40, 0.48))
    assert r.shortfall(2500) == (1300, 1500)
    assert r.share(5550) == pytest.approx((1000 / 5550, 1200 / 5550))  # 18.0%-21.6%: lower against the GSF ceiling


def test_deployed_share_rejects_a_non_positive_plan():
    with pytest.raises(ValueError):
        deployment.deployed_share(100, 0)


def test_milestones(tables):
    series = deployment.deployment_series(tables["arrivals"], tables["strength_reports"], 2500, until="2026-03-21")
    steps = deployment.milestones(series, 2500, pd.Timestamp("2023-10-02")).set_index("milestone")
    assert steps.loc["first arrival", "reached_high"] == pd.Timestamp("2024-06-25")
    quarter = steps.loc["25% of the plan"]
    # 625 people: arrivals reach 807 on 18 Jan 2025 (590 + 217); every figure only on 4 Feb (AFP's 800)
    assert quarter["reached_high"] == pd.Timestamp("2025-01-18")
    assert quarter["reached_low"] == pd.Timestamp("2025-02-04")
    assert quarter["months_high"] == pytest.approx(round(474 / (365.25 / 12), 1))  # 474 days after 2 Oct 2023
    assert pd.isna(steps.loc["50% of the plan", "reached_high"])  # 1,250 never reached (highest figure 1,200)


def test_projection_at_the_observed_pace(tables):
    p = deployment.projection(tables["arrivals"], 2500, "2026-03-21")
    months = 634 / (365.25 / 12)  # 25 Jun 2024 to 21 Mar 2026
    assert p.rate_per_month == pytest.approx(1021 / months)
    assert p.months_to_plan == pytest.approx((2500 - 1021) / (1021 / months))
    assert p.reached_on.year == 2028


def test_projection_never_reaches_a_plan_without_arrivals(tables):
    p = deployment.projection(tables["arrivals"], 2500, "2024-06-25")
    assert p.reached_on is None or p.months_to_plan >= 0
    flat = tables["arrivals"].assign(net_change=0)
    assert deployment.projection(flat, 2500, "2025-01-01").reached_on is None


def test_pledged_against_arrived(tables):
    t = deployment.pledged_vs_arrived(tables["pledges"], tables["arrivals"], "2026-03-21").set_index("country")
    assert (t.loc["Kenya", "pledged_low"], t.loc["Kenya", "arrived"]) == (1000, 761)  # 200+200+217+144+230-230
    assert (t.loc["Benin", "pledged_low"], t.loc["Benin", "pledged_high"], t.loc["Benin", "arrived"]) == (1500, 2000, 0)
    assert t.loc["Jamaica", "arrived"] == 24  # the April 2025 relief team is a rotation


def test_gsf_ceiling_comes_from_resolution_2793(tables):
    assert deployment.gsf_ceiling(tables["un_decisions"]) == 5550


# ---------------------------------------------------------------- displacement

def test_growth_between_rounds(tables):
    g = displacement.growth(tables["dtm_rounds"], "2026-03-21").set_index("round_id")
    assert g.loc["dtm-r07", "growth"] == pytest.approx(578_074 / 362_551 - 1)  # +59.4% ("almost 60%")
    assert g.loc["dtm-r08", "growth"] == pytest.approx(702_973 / 578_074 - 1)
    assert g.loc["dtm-r08", "months"] == pytest.approx(124 / (365.25 / 12))  # 31 May to 2 Oct 2024
    assert bool(g.loc["dtm-r08", "change_is_exact"]) is True
    assert bool(g.loc["dtm-r09", "change_is_exact"]) is True  # IOM's exact 1,041,229, not the news's rounded 1,041,000
    rounded = tables["dtm_rounds"].assign(idps_qualifier=lambda f: f["idps_qualifier"].where(f["round_id"] != "dtm-r09", "rounded"))
    assert bool(displacement.growth(rounded, "2026-03-21").set_index("round_id").loc["dtm-r10", "change_is_exact"]) is False


def test_population_share(tables):
    assert displacement.population_share(1_287_593, 11_906_095) == pytest.approx(0.10815, abs=1e-5)  # R10: "11%"
    with pytest.raises(ValueError):
        displacement.population_share(1, 0)


def test_latest_round_and_children(tables):
    latest = displacement.latest_round(tables["dtm_rounds"], "2024-09-20")
    assert latest["round_id"] == "dtm-r07"  # Round 8 was published on 2 Oct 2024
    child = displacement.latest_children_share(tables["dtm_rounds"], "2024-12-31")
    assert (child["round_id"], child["children_share"]) == ("dtm-r08", 0.52)
    kids = displacement.children_shares(tables["dtm_rounds"], "2024-01-01").set_index("round_id")
    assert kids.loc["dtm-r05-1", "children_share"] == 0.55  # IOM, Round 5.1 (December 2023)
    assert pd.isna(kids.loc["dtm-r05-1", "children_count"])  # IOM gives a share; the news's 172,300 is children_count_alt


def test_idps_per_deployed_officer(tables):
    per = displacement.idps_per_deployed(tables["dtm_rounds"], tables["arrivals"], tables["strength_reports"], "2025-06-30")
    r10 = per[per["round_label"] == "Round 10"].iloc[0]
    # deployed on 1 Jun 2025: 800 (AFP, Feb) to 1,021 (arrivals)
    assert (r10["deployed_low"], r10["deployed_high"]) == (800, 1021)
    assert r10["per_officer_low"] == pytest.approx(1_287_593 / 1021)
    assert r10["per_officer_high"] == pytest.approx(1_287_593 / 800)


# ---------------------------------------------------------------- violence

def test_last_four_quarters(tables):
    last = violence.last_quarters(tables["violence"], "2026-03-21")
    assert (last.killed, last.injured) == (1617 + 1520 + 1247 + 1523, 580 + 609 + 710 + 806)
    assert (last.first_label, last.last_label) == ("2025-Q1", "2025-Q4")
    early = violence.last_quarters(tables["violence"], "2024-09-20")
    assert (early.count, early.killed) == (3, 1104 + 1660 + 945)  # Q3 2024 ends after 20 Sep


def test_annual_totals_keep_alternatives(tables):
    assert violence.annual_range(tables["violence"], 2024) == (5601, 5626)  # OHCHR vs BINUH
    # OHCHR's "at least 5,601" is the low end; BINUH's "at least 5,915" is 2025's only UN figure
    assert violence.annual_range_words(tables["violence"], 2024) == "5,601–5,626 (the lower figure, 5,601, is itself a lower bound)"
    assert violence.annual_range_words(tables["violence"], 2025) == "more than 5,915"
    assert violence.annual_range_words(tables["violence"], 2023) == "4,451"  # OHCHR, exact (the SG's 4,789 is all homicides)
    years = violence.annual_totals(tables["violence"])
    binuh_2024 = years[(years["year"] == 2024) & (years["series"] == "binuh_annual")].iloc[0]
    assert binuh_2024["quarters_killed"] == 1660 + 945 + 1223 + 1732  # 5,560 as first published


# ---------------------------------------------------------------- claims

def verdicts(tables, planned=2500, as_of="2026-03-21"):
    return {v.claim_id: v for v in claims.check_claims(tables, planned, as_of)}


def test_every_claim_gets_a_verdict_from_the_allowed_set(tables):
    v = verdicts(tables)
    assert set(v) == set(tables["claims"]["claim_id"])
    assert all(x.verdict in claims.VERDICTS for x in v.values())
    assert all(x.evidence for x in v.values())


def test_claim_verdicts_on_the_latest_data(tables):
    v = verdicts(tables)
    assert v["q1-killed"].verdict == claims.MISSTATED  # 2,505 killed or injured; 1,660 killed
    assert v["under-a-quarter"].verdict == claims.SUPPORTED  # 426 / 2,500 = 17.0%
    assert v["displaced-580k"].verdict == claims.CAVEAT  # Round 7 578,074; expert: about 700,000
    assert v["half-children"].verdict == claims.CAVEAT  # Round 7 states no share; R8 52%
    assert v["authorized-oct-2023"].verdict == claims.SUPPORTED
    assert v["mandate-renewal"].verdict == claims.SUPPORTED  # res. 2751, 30 Sep 2024
    assert v["peacekeeping-2025"].verdict == claims.NOT_SUPPORTED  # res. 2793: a GSF
    assert v["additional-600"].verdict == claims.NOT_SUPPORTED  # 217 + 144 = 361, months later
    assert v["arrival-june"].verdict == claims.CAVEAT  # 200 vs 400


def test_claims_use_only_what_was_known_on_as_of(tables):
    v = verdicts(tables, as_of="2024-09-22")  # the article's date
    assert v["mandate-renewal"].verdict == claims.NOT_CHECKABLE
    assert v["peacekeeping-2025"].verdict == claims.NOT_CHECKABLE


def test_q1_rule_flips_when_the_data_says_otherwise(tables):
    changed = with_cell(tables, "violence", "figure_id", "binuh-2024-q1", "killed", 2480)
    assert verdicts(changed)["q1-killed"].verdict == claims.SUPPORTED


def test_quarter_rule_depends_on_the_plan(tables):
    # at a plan of 1,600 the 426 deployed are 26.6%: no longer under a quarter
    assert verdicts(tables, planned=1600)["under-a-quarter"].verdict == claims.NOT_SUPPORTED


def test_until_drops_later_rows(tables):
    cut = data.until(tables, "2024-09-20")
    assert cut["arrivals"]["date"].max() <= pd.Timestamp("2024-09-20")
    assert len(cut["sources"]) == len(tables["sources"])


def test_rules_read_the_claim_from_data(tables):
    # The claim's own number lives in data/claims.csv: were it "less than 15%", 17.0% would not support it.
    changed = with_cell(tables, "claims", "claim_id", "under-a-quarter", "stated_number", 0.15)
    assert verdicts(changed)["under-a-quarter"].verdict == claims.NOT_SUPPORTED
