"""Displacement by department (IOM DTM API, admin 1): figures worked out by hand from data/dtm_departments.csv
and data/dtm_origins.csv."""

import pandas as pd
import pytest

from haiti_mss import departments
from haiti_mss.departments import OUEST

from datafixtures import tables  # noqa: F401  (fixture)


@pytest.fixture(scope="module")
def dtm(tables):
    return tables["dtm_rounds"], tables["dtm_departments"], tables["dtm_origins"]


# ---------------------------------------------------------------- the latest round with department figures

def test_latest_department_round_says_round_11_has_no_departments_yet(dtm):
    rounds, deps, _ = dtm
    latest = departments.latest_department_round(rounds, deps, "2026-03-21")
    assert (latest.round_id, latest.round_label, latest.idps) == ("dtm-r10", "Round 10", 1_287_593)
    assert latest.newer_rounds == ["Round 11"]  # 1,412,199 nationally, not yet by department
    assert latest.reporting_date == pd.Timestamp("2025-06-30") and latest.reporting_precision == "day"
    assert latest.covers_all and latest.coverage == "All ten departments"
    table = latest.table.set_index("department")
    assert list(latest.table["department"][:3]) == ["Ouest", "Sud", "Centre"]  # 413,216 > 185,673 > 147,230
    assert table.loc["Sud", "idps"] == 185_673 and table.loc["Nord-Ouest", "idps"] == 16_984
    assert table.loc["Ouest", "share"] == pytest.approx(413_216 / 1_287_593)  # 32.1%
    assert (table.loc["Sud", "males"], table.loc["Sud", "females"]) == (83_203, 102_470)
    assert latest.figures()["Grand'Anse"] == 112_025 and len(latest.figures()) == 10


def test_latest_department_round_follows_as_of(dtm):
    rounds, deps, _ = dtm
    r7 = departments.latest_department_round(rounds, deps, "2024-09-20")  # Round 8 was published on 2 Oct 2024
    assert (r7.round_label, r7.newer_rounds, r7.idps) == ("Round 7", [], 578_074)
    assert r7.table.set_index("department").loc["Ouest", "idps"] == 211_076
    assert departments.latest_department_round(rounds, deps, "2022-08-01") is None  # before Round 1


def test_a_partial_round_leaves_uncovered_departments_empty(dtm):
    rounds, deps, _ = dtm
    # on 15 Jan 2024 Round 5.1 (December 2023) is known, but only nationally: the departments are Round 5's
    r5 = departments.latest_department_round(rounds, deps, "2024-01-15")
    assert (r5.round_label, r5.newer_rounds, r5.departments_covered) == ("Round 5", ["Round 5.1"], 3)
    assert not r5.covers_all and r5.coverage == "Partial: three departments (Ouest, Centre, Artibonite)"
    table = r5.table.set_index("department")
    assert list(r5.table["department"][:3]) == ["Ouest", "Centre", "Artibonite"]  # 146,584; 28,975; 22,440
    assert table["covered"].sum() == 3 and pd.isna(table.loc["Sud", "idps"])  # not covered, not zero
    assert table.loc["Centre", "share"] == pytest.approx(28_975 / 197_999)


# ---------------------------------------------------------------- change between rounds

def test_change_per_department_between_rounds_9_and_10(dtm):
    rounds, deps, _ = dtm
    assert departments.last_two_department_rounds(rounds, deps, "2026-03-21") == ("dtm-r09", "dtm-r10")
    change = departments.department_change(deps, "dtm-r09", "dtm-r10")
    top = change.iloc[0]
    assert (top["department"], top["change"]) == ("Centre", 147_230 - 67_608)  # +79,622, the largest
    assert top["growth"] == pytest.approx(79_622 / 67_608)  # +118%
    nord_est = change.set_index("department").loc["Nord-Est"]
    assert nord_est["change"] == 4_434 - 5_466  # the only fall: -1,032
    assert change["change"].sum() == 1_287_593 - 1_041_229


def test_a_newly_covered_department_has_no_change(dtm):
    _, deps, _ = dtm
    change = departments.department_change(deps, "dtm-r06", "dtm-r07").set_index("department")
    assert change.loc["Sud", "change"] == 114_627 - 38_205  # +76,422
    assert bool(change.loc["Nord", "newly_covered"]) and pd.isna(change.loc["Nord", "change"])  # 12,095 newly counted
    assert list(change.index[-3:]) == ["Nord", "Nord-Est", "Nord-Ouest"]
    with pytest.raises(ValueError, match="dtm-r11"):
        departments.department_change(deps, "dtm-r10", "dtm-r11")


def test_only_one_round_with_departments_has_no_last_two(dtm):
    rounds, deps, _ = dtm
    assert departments.last_two_department_rounds(rounds, deps, "2022-10-01") is None  # Round 1 only


# ---------------------------------------------------------------- outside Ouest, and who fled Ouest

def test_ouest_shares_round_10(dtm):
    _, _, origins = dtm
    s = departments.ouest_shares(origins, "dtm-r10")
    assert s.hosted_outside == 1_287_593 - 413_216  # 874,377: 67.9% hosted outside Ouest
    assert s.hosted_outside_share == pytest.approx(874_377 / 1_287_593)
    outside_from_ouest = 143_183 + (76_151 + 98) + 1_527 + (27_670 + 3_964) + 8_596 + 185_673 + 112_025 + 12_928 + 56_887
    assert s.outside_fled_ouest == outside_from_ouest == 628_702
    assert s.fled_ouest == 628_702 + (388_996 + 17_441 + 5_006)  # plus those still in Ouest: 1,040,145
    assert s.origin_not_available == 0 and s.fled_ouest_share == pytest.approx(1_040_145 / 1_287_593)
    assert s.outside_fled_ouest_share == pytest.approx(628_702 / 874_377)


def test_unknown_origins_are_left_out_of_the_share_and_counted_apart(dtm):
    _, _, origins = dtm
    s = departments.ouest_shares(origins, "dtm-r09")
    assert s.origin_not_available == 6_110 + 18 == s.outside_origin_not_available  # all in Nord
    assert s.origin_known == 1_041_229 - 6_128
    assert s.fled_ouest == 978_595 and s.fled_ouest_share == pytest.approx(978_595 / 1_035_101)
    r2 = departments.ouest_shares(origins, "dtm-r02")  # IOM gives no origin at all in Round 2
    assert (r2.total, r2.origin_not_available, r2.fled_ouest_share) == (154_846 + 320, 155_166, None)
    assert r2.hosted_outside_share == 0


# ---------------------------------------------------------------- where people fled from and to

def test_every_idp_in_four_southern_departments_fled_ouest_in_round_10(dtm):
    _, _, origins = dtm
    only = departments.hosted_only_from(origins, "dtm-r10", OUEST)
    assert list(zip(only["department"], only["idps"])) == [("Sud", 185_673), ("Sud-Est", 143_183),
                                                           ("Grand'Anse", 112_025), ("Nippes", 56_887)]


def test_the_origin_is_not_a_department_its_people_fled_to(dtm):
    """Round 9: every IDP hosted in Ouest came from Ouest; Ouest is still not listed as fled from Ouest."""
    _, _, origins = dtm
    only = departments.hosted_only_from(origins, "dtm-r09", OUEST)
    assert list(only["department"]) == ["Sud", "Sud-Est", "Grand'Anse", "Nippes", "Nord-Est"]


def test_origin_destination_matrix(dtm):
    _, _, origins = dtm
    m = departments.flow_matrix(origins, "dtm-r10")
    assert list(m.index) == ["Ouest", "Artibonite", "Centre", "Nord-Ouest"]  # origins present, pcode order
    assert m.loc["Ouest", "Sud"] == 185_673 and m.loc["Ouest", "Ouest"] == 388_996 + 17_441 + 5_006
    assert m.loc["Centre", "Nord"] == 20_699 + 49  # Conflict + Insecurity
    assert m.loc["Artibonite", "Sud"] == 0
    assert int(m.to_numpy().sum()) == 1_287_593
    r9 = departments.flow_matrix(origins, "dtm-r09")
    assert r9.index[-1] == "Not available" and r9.loc["Not available", "Nord"] == 6_128  # kept, never dropped
    flows = departments.flows(origins, "dtm-r10")
    nord = flows[flows["department"] == "Nord"].set_index("origin")
    assert nord.loc["Ouest", "share_of_host"] == pytest.approx((76_151 + 98) / 115_657)


def test_reasons_round_10(dtm):
    _, _, origins = dtm
    r = departments.reasons(origins, "dtm-r10").set_index("reason")["idps"]
    assert r["Insecurity"] == 17_441 + 98 + 49 + 3_964 + 785  # 22,337
    assert r["Natural disaster"] == 5_006 + 1_746
    assert r["Conflict"] == 1_287_593 - 22_337 - 6_752  # 1,258,504


# ---------------------------------------------------------------- coverage of the national series

def test_coverage_changes_are_marked(dtm):
    rounds, _, _ = dtm
    g = departments.growth_with_coverage(rounds, "2026-03-21").set_index("round_label")
    assert bool(g.loc["Round 7", "coverage_changed"]) and g.loc["Round 7", "departments_covered"] == 10  # from 7
    assert not g.loc["Round 8", "coverage_changed"] and not g.loc["Round 1", "coverage_changed"]
    assert not g.loc["Round 6", "covers_all"] and g.loc["Round 11", "covers_all"]
    assert departments.first_full_coverage(rounds, "2026-03-21")["round_label"] == "Round 7"
    assert departments.first_full_coverage(rounds, "2024-01-01") is None


def test_french_names():
    assert departments.name("HT09") == "Nord-Ouest" and departments.name("HT08") == "Grand'Anse"
    assert departments.name("Not available") == "Not available"
