"""Where the displaced are: the sentences, colour classes and data behind the maps and charts, against
figures worked out by hand from data/dtm_departments.csv and data/dtm_origins.csv."""

import matplotlib
import pandas as pd
import pytest

from haiti_mss import maps, paths

from datafixtures import tables  # noqa: F401  (fixture)

matplotlib.use("Agg")

NAMES = {"HT01": "Ouest", "HT02": "Sud-Est", "HT03": "Nord", "HT04": "Nord-Est", "HT05": "Artibonite",
         "HT06": "Centre", "HT07": "Sud", "HT08": "Grand'Anse", "HT09": "Nord-Ouest", "HT10": "Nippes"}


def departments_of(tables, round_id):
    return tables["dtm_departments"][tables["dtm_departments"]["round_id"] == round_id]


def origins_of(tables, round_id):
    return tables["dtm_origins"][tables["dtm_origins"]["round_id"] == round_id]


# ---------------------------------------------------------------- words

def test_listing_and_signed_figures():
    assert maps.listing(["Sud"]) == "Sud"
    assert maps.listing(["Sud", "Nippes"]) == "Sud and Nippes"
    assert maps.listing(["Sud", "Sud-Est", "Nippes"]) == "Sud, Sud-Est and Nippes"
    assert maps.signed(79622) == "+79,622"
    assert maps.signed(-1032) == "−1,032"  # a true minus sign


def test_round_names_never_nest_parentheses():
    assert maps.round_name("Round 10", "June 2025") == "Round 10 (June 2025)"
    assert (maps.round_name("Round 11 (round number assumed)", "about 14 October 2025")
            == "Round 11, round number assumed (about 14 October 2025)")


def test_colour_classes_run_from_zero_past_the_largest_figure():
    # Round 10: Ouest 413,216 is the largest figure, so the top class is 250,000-499,999
    assert maps.class_breaks(413216) == [0, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000]
    assert maps.class_breaks(9_999) == [0, 10_000]
    assert maps.class_breaks(10_000) == [0, 10_000, 25_000]  # 10,000 belongs to 10,000-24,999
    assert maps.class_labels([0, 10_000, 25_000, 50_000]) == ["under 10,000", "10,000–24,999", "25,000–49,999"]


def test_map_title_and_alt_name_the_most_and_fewest(tables):
    rows = departments_of(tables, "dtm-r10")
    # Round 10: Ouest 413,216 (most), Nord-Est 4,434 (fewest); the ten rows sum to IOM's 1,287,593
    assert maps.map_title(rows, "Round 10 (June 2025)") == (
        "Round 10 (June 2025): Ouest hosted the most displaced people, 413,216 of 1,287,593")
    assert maps.map_alt(rows, "Round 10 (June 2025)") == (
        "Map of Haiti's 10 departments shaded by the number of internally displaced people in Round 10 (June 2025), "
        "for all 10 departments. Ouest hosted the most, 413,216; Nord-Est the fewest, 4,434. Total 1,287,593. "
        "Each department is labelled with its name and figure.")


def test_map_alt_says_which_departments_a_partial_round_left_out(tables):
    rows = departments_of(tables, "dtm-r06")
    # Round 6: seven departments; Ouest 195,764, Nippes 16,251; total 362,551
    assert maps.map_alt(rows, "Round 6 (March 2024)") == (
        "Map of Haiti's 10 departments shaded by the number of internally displaced people in Round 6 (March 2024), "
        "for the 7 departments this round covered, of 10; the others are shaded as not covered. Ouest hosted the "
        "most, 195,764; Nippes the fewest, 16,251. Total 362,551. Each department is labelled with its name and figure.")


def test_origin_groups_of_round_10(tables):
    g = maps.origin_groups(origins_of(tables, "dtm-r10"), NAMES).set_index("department")
    # Nord: from Ouest 76,151 + 98; from Artibonite 18,660 and Centre 20,699 + 49; total 115,657
    assert g.loc["Nord", ["from_ouest", "within", "from_other", "not_recorded", "idps"]].tolist() == [
        76151 + 98, 0, 18660 + 20699 + 49, 0, 115657]
    # Ouest: 388,996 + 17,441 + 5,006 within, 1,773 from Centre
    assert g.loc["Ouest", ["from_ouest", "within", "from_other"]].tolist() == [0, 388996 + 17441 + 5006, 1773]
    assert list(g.index[:3]) == ["Ouest", "Sud", "Centre"]  # largest first: 413,216, 185,673, 147,230


def test_every_idp_in_the_south_had_fled_from_ouest(tables):
    g10 = maps.origin_groups(origins_of(tables, "dtm-r10"), NAMES)
    assert maps.fled_ouest_sentence(g10, "Round 10 (June 2025)") == (
        "In Round 10 (June 2025), every IDP in Sud, Sud-Est, Grand'Anse and Nippes had fled from Ouest.")
    # Round 7: Sud-Est 61,731 + 100; Grand'Anse 58,718 + 2,710; Centre 40,753; Nippes 30,566; Nord-Est 2,418 + 53 + 7
    g7 = maps.origin_groups(origins_of(tables, "dtm-r07"), NAMES)
    assert maps.fled_ouest_sentence(g7, "Round 7 (May 2024)") == (
        "In Round 7 (May 2024), every IDP in Sud-Est, Grand'Anse, Centre, Nippes and Nord-Est had fled from Ouest.")


def test_fled_from_ouest_when_no_department_is_all_from_ouest(tables):
    # Round 5: Centre 26,524 + 1,650 of 28,975 from Ouest (97%), Artibonite 5,237 of 22,440
    g5 = maps.origin_groups(origins_of(tables, "dtm-r05"), NAMES)
    assert maps.fled_ouest_sentence(g5, "Round 5") == (
        "In Round 5, 97% of the IDPs in Centre had fled from Ouest, the highest share outside Ouest.")
    # Round 1: Sud and Grand'Anse, origin not recorded; Round 2: Ouest only
    g1 = maps.origin_groups(origins_of(tables, "dtm-r01"), NAMES)
    assert maps.fled_ouest_sentence(g1, "Round 1") == (
        "In Round 1, IOM did not record where the displaced people outside Ouest came from.")
    g2 = maps.origin_groups(origins_of(tables, "dtm-r02"), NAMES)
    assert maps.fled_ouest_sentence(g2, "Round 2") == "In Round 2, IOM counted displaced people in Ouest only."


def test_largest_changes_between_rounds_9_and_10(tables):
    before = departments_of(tables, "dtm-r09").set_index("adm1_pcode")["idps"]
    after = departments_of(tables, "dtm-r10").set_index("adm1_pcode")["idps"]
    changes = pd.DataFrame({"before": before, "after": after, "change": after - before}).reset_index()
    changes["department"] = changes["adm1_pcode"].map(NAMES)
    # Centre 147,230 - 67,608; Nord 115,657 - 64,621; Sud 185,673 - 146,364; Nord-Est 4,434 - 5,466
    assert maps.changes_sentence(changes, "Round 9", "Round 10") == (
        "Between Round 9 and Round 10, the number of IDPs grew most in Centre (+79,622), Nord (+51,036) and "
        "Sud (+39,309); it fell in Nord-Est (−1,032).")
    alt = maps.changes_alt(changes, "Round 9", "Round 10")
    assert alt.endswith("Changes range from −1,032 to +79,622.")


def test_changes_leave_out_departments_a_round_did_not_cover():
    changes = pd.DataFrame({"adm1_pcode": ["HT01", "HT03"], "department": ["Ouest", "Nord"],
                            "before": [195764, None], "after": [211076, 12095], "change": [211076 - 195764, None]})
    assert maps.changes_sentence(changes, "Round 6", "Round 7") == (
        "Between Round 6 and Round 7, the number of IDPs grew most in Ouest (+15,312); it fell in none.")


# ---------------------------------------------------------------- figures

def test_the_map_draws_each_department_of_the_round_and_says_so(tables):
    rows = departments_of(tables, "dtm-r07")
    fig = maps.department_map(rows, "Round 7 (May 2024)", paths.DATA_DIR)
    chart = fig.haiti_chart
    drawn = chart["data"].set_index("department")["idps"]
    # Round 7, the first round with all ten departments: 578,074 in all
    assert len(drawn) == 10 and drawn.sum() == 578074
    assert drawn["Ouest"] == 211076 and drawn["Nord-Est"] == 2478
    assert set(chart["data"]["source_id"]) == {"dtm-api-v3-admin1-hti"}
    assert "Ouest hosted the most, 211,076; Nord-Est the fewest, 2,478. Total 578,074." in chart["alt"]
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert "Ouest\n211,076" in labels and "Grand'Anse\n61,428" in labels and len(labels) == 10
    credits = " ".join(t.get_text() for t in fig.texts)
    assert maps.DTM_CREDIT in credits and "CNIGS / OCHA (COD-AB Haïti, CC BY-IGO)" in credits


def test_a_missing_boundary_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="hti-adm1-departments.geojson: missing"):
        maps.boundaries(tmp_path)
