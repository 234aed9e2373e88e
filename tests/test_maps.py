"""Where the displaced are: the sentences, colour classes and data behind the maps and charts, against
figures worked out by hand from data/dtm_departments.csv and data/dtm_origins.csv."""

import re

import matplotlib
import matplotlib.pyplot
import pandas as pd
import pytest

from haiti_mss import department_text as words
from haiti_mss import departments, maps, paths

from datafixtures import tables  # noqa: F401  (fixture)

matplotlib.use("Agg")

def departments_of(tables, round_id):
    return tables["dtm_departments"][tables["dtm_departments"]["round_id"] == round_id]


def groups_of(tables, round_id):
    return maps.origin_groups(departments.flows(tables["dtm_origins"], round_id))


def fled_sentence(tables, round_id, label):
    only = departments.hosted_only_from(tables["dtm_origins"], round_id)
    return words.fled_ouest_sentence(groups_of(tables, round_id), only, label)


# ---------------------------------------------------------------- words

def test_listing_and_signed_figures():
    assert words.listing(["Sud"]) == "Sud"
    assert words.listing(["Sud", "Nippes"]) == "Sud and Nippes"
    assert words.listing(["Sud", "Sud-Est", "Nippes"]) == "Sud, Sud-Est and Nippes"
    assert words.signed(79622) == "+79,622"
    assert words.signed(-1032) == "−1,032"  # a true minus sign


def test_round_names_never_nest_parentheses():
    assert words.round_name("Round 10", "June 2025") == "Round 10 (June 2025)"
    assert (words.round_name("Round 11 (round number assumed)", "about 14 October 2025")
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
    g = groups_of(tables, "dtm-r10").set_index("department")
    # Nord: from Ouest 76,151 + 98; from Artibonite 18,660 and Centre 20,699 + 49; total 115,657
    assert g.loc["Nord", ["from_ouest", "within", "from_other", "not_recorded", "idps"]].tolist() == [
        76151 + 98, 0, 18660 + 20699 + 49, 0, 115657]
    # Ouest: 388,996 + 17,441 + 5,006 within, 1,773 from Centre
    assert g.loc["Ouest", ["from_ouest", "within", "from_other"]].tolist() == [0, 388996 + 17441 + 5006, 1773]
    assert list(g.index[:3]) == ["Ouest", "Sud", "Centre"]  # largest first: 413,216, 185,673, 147,230


def test_every_idp_in_the_south_had_fled_from_ouest(tables):
    assert fled_sentence(tables, "dtm-r10", "Round 10 (June 2025)") == (
        "In Round 10 (June 2025), every IDP in Sud, Sud-Est, Grand'Anse and Nippes had fled from Ouest.")
    # Round 7: Sud-Est 61,731 + 100; Grand'Anse 58,718 + 2,710; Centre 40,753; Nippes 30,566; Nord-Est 2,418 + 53 + 7
    assert fled_sentence(tables, "dtm-r07", "Round 7 (May 2024)") == (
        "In Round 7 (May 2024), every IDP in Sud-Est, Grand'Anse, Centre, Nippes and Nord-Est had fled from Ouest.")


def test_fled_from_ouest_when_no_department_is_all_from_ouest(tables):
    # Round 5: Centre 26,524 + 1,650 of 28,975 from Ouest (97%), Artibonite 5,237 of 22,440
    assert fled_sentence(tables, "dtm-r05", "Round 5") == (
        "In Round 5, 97% of the IDPs in Centre had fled from Ouest, the highest share outside Ouest.")
    # Round 1: Sud and Grand'Anse, origin not recorded; Round 2: Ouest only
    assert fled_sentence(tables, "dtm-r01", "Round 1") == (
        "In Round 1, IOM did not record where the displaced people outside Ouest came from.")
    assert fled_sentence(tables, "dtm-r02", "Round 2") == "In Round 2, IOM counted displaced people in Ouest only."


def test_largest_changes_between_rounds_9_and_10(tables):
    changes = maps.change_rows(departments.department_change(tables["dtm_departments"], "dtm-r09", "dtm-r10"),
                               tables["dtm_departments"], "dtm-r09", "dtm-r10")
    # Centre 147,230 - 67,608; Nord 115,657 - 64,621; Sud 185,673 - 146,364; Nord-Est 4,434 - 5,466
    assert words.changes_sentence(changes, "Round 9", "Round 10") == (
        "Between Round 9 and Round 10, the number of IDPs grew most in Centre (+79,622), Nord (+51,036) and "
        "Sud (+39,309); it fell in Nord-Est (−1,032).")
    assert maps.changes_alt(changes, "Round 9", "Round 10").endswith("Changes range from −1,032 to +79,622.")
    assert changes["change"].sum() == 1287593 - 1041229  # the national change, department by department
    assert set(changes["source_id"]) == {"dtm-api-v3-admin1-hti"}


def test_changes_leave_out_departments_a_round_did_not_cover():
    changes = pd.DataFrame({"adm1_pcode": ["HT01", "HT03"], "department": ["Ouest", "Nord"],
                            "before": [195764, None], "after": [211076, 12095], "change": [211076 - 195764, None]})
    assert words.changes_sentence(changes, "Round 6", "Round 7") == (
        "Between Round 6 and Round 7, the number of IDPs in Ouest, the only department counted in both rounds, "
        "grew by 15,312.")


def test_a_change_between_rounds_that_share_one_department_is_not_a_ranking(tables):
    """Round 1 counted in Ouest, Sud and Grand'Anse, Round 2 in Ouest only: Ouest 21,684 -> 155,166."""
    changes = maps.change_rows(departments.department_change(tables["dtm_departments"], "dtm-r01", "dtm-r02"),
                               tables["dtm_departments"], "dtm-r01", "dtm-r02")
    assert words.changes_sentence(changes, "Round 1", "Round 2") == (
        "Between Round 1 and Round 2, the number of IDPs in Ouest, the only department counted in both rounds, "
        "grew by 133,482.")  # 155,166 - 21,684
    fig = maps.changes_chart(changes, "Round 1", "Round 2", paths.DATA_DIR)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == ("From Round 1 to Round 2, Ouest, the only department counted in both rounds, "
                                        "gained 133,482 displaced people")
    assert ax.get_xlim()[0] == 0  # no empty room left of zero when nothing fell
    assert "Boundaries" not in " ".join(t.get_text() for t in fig.texts)  # a bar chart draws no boundaries
    matplotlib.pyplot.close(fig)


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


def test_ouest_itself_is_not_a_department_its_idps_fled_from(tables):
    # Round 9: all 406,839 IDPs in Ouest came from Ouest; the sentence is about the other departments:
    # Sud 146,364, Sud-Est 114,239, Grand'Anse 91,057, Nippes 46,356, Nord-Est 5,466
    assert fled_sentence(tables, "dtm-r09", "Round 9") == (
        "In Round 9, every IDP in Sud, Sud-Est, Grand'Anse, Nippes and Nord-Est had fled from Ouest.")


def test_ouest_sentence_of_rounds_9_and_10(tables):
    s10 = departments.ouest_shares(tables["dtm_origins"], "dtm-r10")
    # outside Ouest: 1,287,593 - 413,216 = 874,377 (67.9%); of them 628,702 fled Ouest (71.9%), all origins known
    assert words.ouest_sentence(s10, "Round 10 (June 2025)") == (
        "In Round 10 (June 2025), 874,377 of the 1,287,593 displaced people, 67.9%, were hosted outside Ouest, the "
        "department of the capital. Of those whose department of origin IOM recorded, 628,702 of 874,377, 71.9%, "
        "had fled from Ouest.")
    s9 = departments.ouest_shares(tables["dtm_origins"], "dtm-r09")
    # outside: 1,041,229 - 406,839 = 634,390 (60.9%); Nord's 6,110 + 18 of unknown origin leave 628,262 known,
    # of whom 571,756 fled Ouest (91.0%)
    assert words.ouest_sentence(s9, "Round 9") == (
        "In Round 9, 634,390 of the 1,041,229 displaced people, 60.9%, were hosted outside Ouest, the department of "
        "the capital. Of those whose department of origin IOM recorded, 571,756 of 628,262, 91.0%, had fled from "
        "Ouest. For 6,128 of them IOM did not record where they came from.")


def shown_on(tables, as_of):
    return departments.latest_department_round(tables["dtm_rounds"], tables["dtm_departments"], as_of)


def test_the_map_says_which_round_it_shows_and_why(tables):
    # Round 11 (reference date about 14 Oct 2025) has no department rows: the map shows Round 10 (reporting 30 Jun 2025)
    assert words.map_round_note(shown_on(tables, "2026-03-21"), "Round 1", "2026-03-21") == (
        "The latest DTM round up to 21 March 2026 is Round 11, but IOM's figures by department for Round 11 are not "
        "in the data: they come from IOM's DTM API, which did not include that round when they were retrieved. The "
        "map shows Round 10 (June 2025), the latest round with figures by department.")
    # 20 Sep 2024: Round 8 was published on 2 Oct 2024, so Round 7 (May 2024) is the latest
    assert words.map_round_note(shown_on(tables, "2024-09-20"), "Round 1", "2024-09-20") == (
        "The map shows Round 7 (May 2024), the latest DTM round up to 20 September 2024.")
    # 15 Jan 2024: Round 5.1 (December 2023) has no department rows; Round 5 covered Ouest, Centre, Artibonite
    assert words.map_round_note(shown_on(tables, "2024-01-15"), "Round 1", "2024-01-15") == (
        "The latest DTM round up to 15 January 2024 is Round 5.1, but IOM's figures by department for Round 5.1 are "
        "not in the data: they come from IOM's DTM API, which did not include that round when they were retrieved. "
        "The map shows Round 5 (November 2023), the latest round with figures by department. That round covered "
        "three of the ten departments; the others are hatched as not covered, which does not mean that no one was "
        "displaced there.")
    assert words.map_round_note(None, "Round 1 (September 2022)", "2022-08-01") == (
        "No DTM round up to 1 August 2022 has figures by department, so there is no map; the first round with them "
        "is Round 1 (September 2022).")


def test_the_coverage_caveat_names_the_partial_rounds(tables):
    rounds = departments.growth_with_coverage(tables["dtm_rounds"], "2026-03-21")
    # Rounds 1 and 5: 3 departments; Rounds 2 and 3: Ouest only; Rounds 5.1 and 6: 7; Round 7 on: all 10
    assert words.coverage_note(rounds, "2026-03-21") == (
        "Rounds before Round 7 did not cover all ten departments: Round 1 and Round 5 covered three departments, "
        "Round 2 and Round 3 one, Round 5.1 and Round 6 seven. Growth measured from them mixes wider coverage with "
        "new displacement.")
    early = departments.growth_with_coverage(tables["dtm_rounds"], "2024-01-15")
    assert words.coverage_note(early, "2024-01-15") == (
        "None of the rounds up to 15 January 2024 covered all ten departments: Round 1 and Round 5 covered three "
        "departments, Round 2 and Round 3 one, Round 5.1 seven. Growth between them mixes wider coverage with new "
        "displacement.")
    full = departments.growth_with_coverage(tables["dtm_rounds"], "2026-03-21").iloc[-3:]  # Rounds 9 to 11
    assert words.coverage_note(full, "2026-03-21") is None
    first = departments.growth_with_coverage(tables["dtm_rounds"], "2022-09-01")  # Round 1 alone: nothing to compare
    assert words.coverage_note(first, "2022-09-01") == "Round 1 covered three of the ten departments."


def test_departments_a_round_did_not_cover_have_no_change(tables):
    changes = maps.change_rows(departments.department_change(tables["dtm_departments"], "dtm-r06", "dtm-r07"),
                               tables["dtm_departments"], "dtm-r06", "dtm-r07")
    # Round 6 covered seven departments; Round 7 added Nord, Nord-Est and Nord-Ouest (22,841 IDPs together)
    assert words.uncovered_sentence(changes, "Round 6 (March 2024)") == (
        "Nord, Nord-Est and Nord-Ouest were not covered by Round 6 (March 2024), so they have no change.")
    # Sud 114,627 - 38,205; Grand'Anse 61,428 - 24,758; Sud-Est 61,831 - 37,208; no covered department fell
    assert words.changes_sentence(changes, "Round 6", "Round 7") == (
        "Between Round 6 and Round 7, the number of IDPs grew most in Sud (+76,422), Grand'Anse (+36,670) and "
        "Sud-Est (+24,623); no department's figure fell.")


def test_the_small_multiples_share_one_scale_and_name_the_spread(tables):
    panels = {f"Round {n}": departments_of(tables, f"dtm-r{n:02d}") for n in (7, 8, 9, 10)}
    # outside Ouest: Round 7 578,074 - 211,076 = 366,998; Round 10 1,287,593 - 413,216 = 874,377
    assert maps.panels_title(panels) == "IDPs hosted outside Ouest grew from 366,998 in Round 7 to 874,377 in Round 10"
    fig = maps.change_maps(panels, paths.DATA_DIR, maps.panels_title(panels))
    drawn = fig.haiti_chart["data"]
    assert len(drawn) == 40 and drawn.groupby("round_id")["idps"].sum().to_dict() == {
        "dtm-r07": 578074, "dtm-r08": 702973, "dtm-r09": 1041229, "dtm-r10": 1287593}
    assert fig.haiti_chart["alt"].endswith(
        "From Round 7 to Round 10 the largest increase was in Ouest, from 211,076 to 413,216.")
    # one legend for the four panels: classes up to 250,000-499,999 (Ouest 413,216 in Round 10)
    assert [t.get_text() for t in fig.legends[0].get_texts()][-1] == "250,000–499,999"


# ---------------------------------------------------------------- the report

def displacement_of(reports, variant):
    """The recorded figures and Markdown prose of 02_displacement in the session's shared real build."""
    import nbformat

    from haiti_mss import figures

    nb = nbformat.read(reports / variant / "02_displacement.ipynb", as_version=4)
    prose = "\n".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", []))
    return figures.extract(nb), prose


@pytest.mark.notebooks
@pytest.mark.parametrize("variant, shown, ouest, total, note", [
    # 22 Sep 2024: Round 8 was published on 2 Oct 2024, so the map shows Round 7 (reporting date 31 May 2024)
    ("2024-09-article", "Round 7", 211076, 578074,
     "The map shows Round 7 (May 2024), the latest DTM round up to 22 September 2024."),
    # the newest data: Round 11 has no department rows, so the map shows Round 10 and says why
    ("latest", "Round 10", 413216, 1287593, "The map shows Round 10 (June 2025), the latest round with figures by department."),
])
def test_the_report_maps_the_latest_round_with_department_figures(real_reports, variant, shown, ouest, total, note):
    found, prose = displacement_of(real_reports, variant)
    assert found["department_round"] == shown
    assert found["idps_by_department"]["Ouest"] == ouest and sum(found["idps_by_department"].values()) == total
    assert note in prose and maps.DTM_CREDIT in prose
    assert "## Where the displaced are" in prose and "had fled from Ouest." in prose
    assert "Rounds before Round 7 did not cover all ten departments" in prose
    assert not re.search(r"\([^()]*\(", prose)  # no nested parentheses in the sentences


def test_the_round_labels_of_the_idps_chart_stay_inside_the_plot(tables):
    from haiti_mss import charts, displacement

    rounds = displacement.rounds_until(tables["dtm_rounds"], "2026-03-21")
    fig = charts.idps_chart(rounds, "title", "source")
    fig.canvas.draw()
    ax = fig.axes[0]
    box = ax.get_window_extent()
    labels = [t for t in ax.texts if t.get_text().startswith("Round")]
    assert labels[0].get_text() == "Round 1" and len(labels) == len(rounds)
    for label in labels:  # the first one used to be cut by the left edge
        extent = label.get_window_extent()
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, label.get_text()


def test_the_idps_chart_keys_hollow_markers_only_when_it_draws_some(tables):
    from haiti_mss import charts, displacement

    rounds = displacement.rounds_until(tables["dtm_rounds"], "2023-03-15")  # Rounds 1 and 2, both exact
    fig = charts.idps_chart(rounds, "title", "source")
    assert fig.axes[0].get_legend() is None
    matplotlib.pyplot.close(fig)
    rounded = rounds.assign(idps_qualifier=["exact", "more_than"])
    fig = charts.idps_chart(rounded, "title", "source")
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["exact total", "rounded total or lower bound"]
    matplotlib.pyplot.close(fig)


def test_a_round_is_named_by_the_month_of_its_data(tables):
    rounds = tables["dtm_rounds"].set_index("round_id")
    # Round 9: IOM's reporting date 31 December 2024, released 14 January 2025 (the date it counts from)
    assert words.round_month(rounds.loc["dtm-r09"]) == "December 2024"
    assert words.round_when(rounds.loc["dtm-r09"]) == "December 2024; public by 14 January 2025"
    # Round 11: data of September 2025, published about 14 October 2025
    assert words.round_when(rounds.loc["dtm-r11"]) == "September 2025; public by about 14 October 2025"
    # Round 7: data to 31 May 2024, the date it counts from too
    assert words.round_when(rounds.loc["dtm-r07"]) == "May 2024"
    # the growth table's narrow "data of" column: CLDR's abbreviated month
    from haiti_mss import text
    assert text.month_short(words.round_date(rounds.loc["dtm-r09"])) == "Dec 2024"
    assert text.formatter("fr").month_short(words.round_date(rounds.loc["dtm-r11"])) == "sept. 2025"
