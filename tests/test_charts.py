"""Charts described in words and the rows behind them, on the real data/: each chart's alt text as a
literal sentence worked out by hand, the CSV rows it offers, and describe()/show() refusing a chart
without a description."""

from __future__ import annotations

import base64
import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from haiti_mss import alt_text, chart_data, charts, deployment, displacement, violence  # noqa: E402

from datafixtures import tables  # noqa: E402,F401  (fixture)

LATEST = pd.Timestamp("2026-03-21")
ARTICLE = pd.Timestamp("2024-09-20")


def mission_reports(tables, as_of):
    s = tables["strength_reports"]
    return s[(s["scope"] == "mission") & (s["as_of"] <= as_of)]


def series(tables, as_of, planned=2500):
    return deployment.deployment_series(tables["arrivals"], tables["strength_reports"], planned, until=as_of)


# ---------------------------------------------------------------- alt texts, worked out by hand

def test_deployment_alt_latest(tables):
    alt = alt_text.deployment_alt(series(tables, LATEST), 2500, LATEST, mission_reports(tables, LATEST),
                                  {"Gang Suppression Force ceiling": 5550})
    # first arrival 25 Jun 2024 (200 Kenyans); on 21 Mar 2026 arrivals 1,021 between Ayiti Intel's ~1,000 and
    # 1,200; a quarter of 2,500 is 625: 590 + 217 = 807 on 18 Jan 2025, every figure on 4 Feb 2025 (AFP's 800);
    # 12 whole-force reports up to 21 Mar 2026
    assert alt == ("Step chart of personnel deployed, June 2024 to March 2026: from 200 to 1,000–1,200, against a plan "
                   "of 2,500 and a Gang Suppression Force ceiling of 5,550; a quarter of the plan was reached in "
                   "January 2025 by the highest figure and in February 2025 by every figure. Dots mark 12 strength "
                   "figures reported for the whole force.")


def test_deployment_alt_on_the_day_of_less_than_a_quarter(tables):
    alt = alt_text.deployment_alt(series(tables, ARTICLE), 2500, ARTICLE)
    # 200 + 200 + 24 + 2 = 426 by 20 Sep 2024, under 625
    assert alt == ("Step chart of personnel deployed, June 2024 to September 2024: from 200 to 426, against a plan of "
                   "2,500; no figure reached a quarter of the plan (625).")


def test_deployment_alt_against_the_gsf_ceiling_without_the_quarter_line(tables):
    alt = alt_text.deployment_alt(series(tables, LATEST, 5550), 5550, LATEST, quarter_line=False)
    assert alt == "Step chart of personnel deployed, June 2024 to March 2026: from 200 to 1,000–1,200, against a plan of 5,550."


def test_pledges_alt(tables):
    table = deployment.pledged_vs_arrived(tables["pledges"], tables["arrivals"], LATEST)
    # largest pledge first, as drawn; 0+761+24+150+6+78+2 = 1,021 arrived; pledged 1,500+1,000+200+150+150+78+50 = 3,128
    # to 2,000+1,000+250+150+150+78+50 = 3,678
    assert alt_text.pledges_alt(table) == (
        "Bar chart of personnel pledged and arrived, net of departures, for 7 countries: Benin: 0 arrived of "
        "1,500–2,000 pledged; Kenya: 761 of 1,000; Jamaica: 24 of 200–250; Guatemala: 150 of 150; Bahamas: 6 of 150; "
        "El Salvador: 78 of 78; Belize: 2 of 50. In all, 1,021 of 3,128–3,678 pledged had arrived; Guatemala and "
        "El Salvador had sent all they pledged.")


def test_idps_alt(tables):
    rounds = displacement.rounds_until(tables["dtm_rounds"], LATEST)
    # Rounds 1, 2, 3, 5, 5.1 and 6 covered 3, 1, 1, 3, 7 and 7 departments: growth from Round 7, the first of all ten:
    # 1,412,199 / 578,074 = 2.44
    assert alt_text.idps_alt(rounds) == (
        "Line chart of internally displaced people in 11 DTM rounds, September 2022 to October 2025. The 6 rounds "
        "starred covered only part of the country; since Round 7 (May 2024), the first round to cover every "
        "department, from 578,074 to 1,412,199, 2.4 times as many.")
    assert alt_text.idps_alt(displacement.rounds_until(tables["dtm_rounds"], "2024-01-01")) == (
        "Line chart of internally displaced people in 5 DTM rounds, September 2022 to December 2023. Every round shown "
        "covered only part of the country, so their totals are not comparable: 24,212 in Round 1, 313,901 in Round 5.1.")
    one = rounds[rounds["round_id"] == "dtm-r07"]
    assert alt_text.idps_alt(one) == "Line chart of internally displaced people in 1 DTM round, Round 7 (May 2024): 578,074."


def test_host_sites_alt(tables):
    hosts = displacement.host_vs_sites(tables["dtm_rounds"], LATEST)
    assert alt_text.host_sites_alt(hosts) == (
        "Stacked bar chart of where internally displaced people live, 6 DTM rounds (Round 3 to Round 11): most live "
        "with host families in every round, 62% in Round 3, 80% in Round 7, about 83% in Round 8, 83% in Round 9, "
        "83% in Round 10 and about 85% in Round 11; the rest live in sites or elsewhere. Round 3 covered only part "
        "of the country.")


def test_violence_alt(tables):
    q = violence.quarters(tables["violence"], LATEST)
    s = series(tables, LATEST)
    assert alt_text.violence_alt(q, s[s["date"] >= q["period_start"].min()], 2500) == (
        "Bar chart of people killed and injured per quarter, 2023-Q4 to 2025-Q4, above a step chart of MSS and GSF "
        "personnel deployed on the same time axis: killed per quarter ranged from 945 (2024-Q2) to 1,732 (2024-Q4), "
        "injured from 411 (2024-Q4) to 845 (2024-Q1); deployed personnel went from 200 in June 2024 to 1,000–1,200 "
        "in March 2026, against a plan of 2,500.")


def test_small_wording_helpers():
    assert alt_text.series_of(["a"]) == "a" and alt_text.series_of(["a", "b", "c"]) == "a, b and c"
    assert alt_text.plural(1, "country", "countries") == "1 country" and alt_text.plural(2, "round") == "2 rounds"
    assert alt_text.spoken_label("December 2023 assessment (round number not confirmed)") == "December 2023"


# ---------------------------------------------------------------- the rows behind each chart

def test_deployment_rows_are_the_drawn_values_with_their_sources(tables):
    rows = chart_data.deployment_rows(series(tables, LATEST), 2500, mission_reports(tables, LATEST),
                                      {"Gang Suppression Force ceiling": 5550})
    last = rows[rows["date"] == LATEST].set_index("series")["personnel"]
    assert last.to_dict() == {"deployed, lowest figure": 1000, "deployed, highest figure": 1200,
                              "arrivals net of departures": 1021}
    lines = rows[rows["date"].isna()].set_index("series")["personnel"].to_dict()
    assert lines == {"planned strength (report parameter)": 2500, "a quarter of the plan": 625,
                     "Gang Suppression Force ceiling": 5550}
    first = rows[(rows["date"] == pd.Timestamp("2024-06-25")) & (rows["series"] == "arrivals net of departures")].iloc[0]
    assert (first["personnel"], first["source_ids"]) == (200, "kenyanpost-2024-07-08")
    # 8 Dec 2025: Reuters reports both the 230 Kenyans' arrival and the 980 strength: named once
    blip = rows[(rows["date"] == pd.Timestamp("2025-12-08")) & (rows["series"] == "deployed, highest figure")].iloc[0]
    assert (blip["personnel"], blip["source_ids"]) == (1251, "reuters-metroradio-2025-12-09")
    dots = rows[rows["series"] == "reported strength (whole force)"]
    assert len(dots) == 12 and set(dots["source_ids"]) <= set(tables["sources"]["source_id"])


def test_a_plan_not_divisible_by_four_keeps_its_fraction(tables):
    rows = chart_data.deployment_rows(series(tables, LATEST, 5550), 5550)
    assert rows.set_index("series").loc["a quarter of the plan", "personnel"] == 1387.5


def test_pledges_rows_name_pledge_and_arrival_sources(tables):
    table = deployment.pledged_vs_arrived(tables["pledges"], tables["arrivals"], LATEST)
    rows = chart_data.pledges_rows(table).set_index("country")
    benin = rows.loc["Benin"]
    # 1,500 in Benin's notification (allAfrica), 2,000 announced by the US (CTN info); nobody arrived
    assert (benin["pledged_lowest_figure"], benin["pledged_highest_figure"], benin["arrived_net_of_departures"]) == (1500, 2000, 0)
    assert benin["pledge_source_ids"] == "allafrica-202403020081; ctninfo-2024-02-26-benin"
    assert benin["arrival_source_ids"] == ""
    # Kenya: 200 + 200 + 217 + 144 + 230 - 230 = 761, the departure's source included
    assert rows.loc["Kenya", "arrived_net_of_departures"] == 761
    assert rows.loc["Kenya", "arrival_source_ids"].split("; ")[-1] == "mwakilishi-2025-12-10"
    assert list(rows.index) == ["Benin", "Kenya", "Jamaica", "Guatemala", "Bahamas", "El Salvador", "Belize"]


def test_csv_names_its_sources_first_and_reads_back(tables):
    rounds = displacement.rounds_until(tables["dtm_rounds"], LATEST)
    text = chart_data.csv_text(chart_data.idps_rows(rounds), tables["sources"].set_index("source_id"))
    first, rest = text.split("\n", 1)
    assert first.startswith("# Sources: dtm-api-v3-admin1-hti = International Organization for Migration (IOM), "
                            "Displacement Tracking Matrix (DTM), ")
    assert first.count(" = ") == 9  # eleven rounds, nine sources: Rounds 1 and 2 the DTM API, Rounds 6 and 7 one ReliefWeb page
    back = pd.read_csv(io.StringIO(text), skiprows=1)
    assert list(back.columns) == ["round", "date", "internally_displaced_people", "qualifier", "marker", "source_id"]
    assert back.iloc[-1].to_dict() == {"round": "Round 11", "date": "2025-10-14",
                                       "internally_displaced_people": 1412199, "qualifier": "exact",
                                       "marker": "filled (exact total)", "source_id": "hdx-dtm-r11"}


def test_csv_without_a_ledger_lists_the_ids(monkeypatch):
    monkeypatch.setattr(chart_data, "_ledger", None)  # a chart drawn outside a report
    frame = pd.DataFrame({"value": [1, 2], "source_ids": ["a; b", "b; c"], "alt_source_id": ["d", None]})
    assert chart_data.sources_line(frame) == "# Sources: a; b; c"  # alt_source_id is not a drawn figure's source
    assert chart_data.sources_line(frame[["value"]]) == "# Sources: none (computed values only)"


def test_data_link_embeds_the_csv_with_a_file_name(monkeypatch):
    monkeypatch.setattr(chart_data, "_ledger", None)
    frame = pd.DataFrame({"country": ["A & B"], "source_id": ["x"]})
    link = chart_data.data_link(frame, "pledges")
    payload = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', link).group(1)
    assert base64.b64decode(payload).decode() == "# Sources: x\ncountry,source_id\nA & B,x\n"
    assert 'download="pledges.csv"' in link and ">Data (CSV)</a>" in link


def test_chart_attachments_are_unique_and_only_data_links():
    page = ('<img alt="First chart: rows."><a download="a.csv" href="data:text/csv;base64,eA==">x</a>'
            '<a download="a.csv" href="data:text/csv;base64,eQ==">y</a><a download="b.csv" href="b.csv">z</a>')
    assert chart_data.attachments_in(page) == [
        ("a.csv", b"x", "The rows drawn in the chart (First chart), with their sources"),
        ("a-2.csv", b"y", "The rows drawn in the chart (First chart), with their sources")]


# ---------------------------------------------------------------- describe() and show()

def test_every_chart_function_describes_its_figure(tables):
    s, q = series(tables, LATEST), violence.quarters(tables["violence"], LATEST)
    rounds = displacement.rounds_until(tables["dtm_rounds"], LATEST)
    figures = [
        charts.deployment_chart(s, 2500, LATEST, "t", "s", reports=mission_reports(tables, LATEST)),
        charts.pledges_chart(deployment.pledged_vs_arrived(tables["pledges"], tables["arrivals"], LATEST), "t", "s"),
        charts.idps_chart(rounds, "t", "s"),
        charts.host_sites_chart(displacement.host_vs_sites(tables["dtm_rounds"], LATEST), "t", "s"),
        charts.violence_chart(q, s[s["date"] >= q["period_start"].min()], 2500, "t", "s"),
    ]
    try:
        names = [f.haiti_chart["name"] for f in figures]
        assert names == ["deployment", "pledges", "displaced", "host-families", "killed-injured"]
        assert all(not f.haiti_chart["data"].empty and f.haiti_chart["alt"].endswith(".") for f in figures)
    finally:
        for f in figures:
            plt.close(f)


def test_describe_refuses_a_placeholder_a_bad_name_or_no_rows():
    fig = plt.figure()
    rows = pd.DataFrame({"x": [1]})
    try:
        with pytest.raises(charts.ChartNotDescribed, match="'funding'.*at least a sentence"):
            charts.describe(fig, alt="A chart.", data=rows, name="funding")
        with pytest.raises(charts.ChartNotDescribed, match="chart name 'My chart'"):
            charts.describe(fig, alt="Bar chart of funding received against the appeal, by year.", data=rows,
                            name="My chart")
        with pytest.raises(charts.ChartNotDescribed, match="'funding': data must be"):
            charts.describe(fig, alt="Bar chart of funding received against the appeal, by year.",
                            data=rows.iloc[0:0], name="funding")
    finally:
        plt.close(fig)


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.instance()


def test_show_refuses_a_chart_without_a_description_and_names_it(shell):
    fig, ax = plt.subplots()
    ax.set_title("Funding received, 2024", loc="left")
    with pytest.raises(charts.ChartNotDescribed, match="chart 'Funding received, 2024' has no description"):
        charts.show(fig)
    assert not plt.fignum_exists(fig.number)  # freed all the same


def test_show_puts_the_alt_text_in_the_image_metadata_and_the_csv_under_it(shell):
    from IPython.utils.capture import capture_output

    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    alt = "Line chart of funding received, 2024 to 2025: from 3 to 4 million dollars."
    charts.describe(fig, alt=alt, data=pd.DataFrame({"year": [2024, 2025], "usd": [3, 4], "source_id": ["a", "b"]}),
                    name="funding")
    with capture_output() as captured:
        charts.show(fig)
    image, link = captured.outputs
    assert image.metadata["image/png"]["alt"] == alt and image.data["text/plain"] == alt
    assert image.metadata["image/png"]["width"] > 0  # retina: shown at half its pixel size
    assert base64.b64decode(image.data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'download="funding.csv"' in link.data["text/html"]
