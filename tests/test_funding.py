"""Money for the mission (issue 12): the funding tables' invariants, the shares of the cost worked out by hand
from data/funding.csv and data/funding_costs.csv, what was known on a date, the donors, the chart's
description, and the two notebooks' funding sections."""

import csv

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from haiti_mss import charts, deployment, funding, text  # noqa: E402

from datafixtures import data_copy, tables  # noqa: E402,F401  (fixtures)
from test_data import assert_only, rewrite, set_cell  # noqa: E402


# ---------------------------------------------------------------- invariants (bad copies of data/)

def line_of(rows, key_column, key):
    """(index in rows, 1-based file line) of the row whose key_column is key."""
    i = next(i for i, r in enumerate(rows[1:], 1) if r[rows[0].index(key_column)] == key)
    return i, i + 1


def edit_row(folder, table, key_column, key, **cells):
    found = {}

    def edit(rows):
        i, found["line"] = line_of(rows, key_column, key)
        for column, value in cells.items():
            set_cell(rows, i, column, value)
        return rows
    rewrite(folder, table, edit)
    return found["line"]


def test_received_above_the_pledge_of_the_same_donor_and_date(data_copy):
    # KBC: $85 million received of $110.3 million pledged (the line before), both "as of the end of 2024"
    line = edit_row(data_copy, "funding", "figure_id", "mss-2024-12-31-received", amount="120000000")
    assert_only(data_copy, "data/funding.csv", line, "amount",
                f"an amount received not above the 110300000 pledged by all donors on 2024-12-31 (line {line - 1})")


def test_frozen_above_the_commitment(data_copy):
    # the US: $15 million committed, $13.3 million frozen, 4 February 2025
    line = edit_row(data_copy, "funding", "figure_id", "mss-2025-02-04-united-states-frozen", amount="15000001")
    assert_only(data_copy, "data/funding.csv", line, "amount", "not above the 15000000 pledged by United States on 2025-02-04")


def test_an_addition_is_not_a_total(data_copy):
    # Canada paid US$63 million by 9 Dec 2025 (Reuters) and "reportedly committed $40 million" more that day
    # (Caribscope): fine while the $40 million is marked as an addition; read as a total it is below what was paid.
    edit_row(data_copy, "funding", "figure_id", "gsf-2025-12-09-canada-additional", is_addition="false")
    with open(data_copy / "funding.csv", newline="", encoding="utf-8") as fh:
        _, paid_line = line_of(list(csv.reader(fh)), "figure_id", "gsf-2025-12-09-canada-paid")
    assert_only(data_copy, "data/funding.csv", paid_line, "amount", "not above the 40000000 pledged by Canada on 2025-12-09")


def test_negative_amount(data_copy):
    line = edit_row(data_copy, "funding", "figure_id", "mss-2024-09-balance", amount="-85300000")
    assert_only(data_copy, "data/funding.csv", line, "amount", "expected a value >= 0")


def test_negative_cost(data_copy):
    line = edit_row(data_copy, "funding_costs", "cost_id", "mss-cost-2024-04-efe", amount_low="-1")
    assert_only(data_copy, "data/funding_costs.csv", line, "amount_low", "expected a value >= 0")


def test_cost_range_low_above_high(data_copy):
    line = edit_row(data_copy, "funding_costs", "cost_id", "mss-cost-2024-05-02-us-official", amount_low="700000000")
    assert_only(data_copy, "data/funding_costs.csv", line, "amount_high", "amount_high >= amount_low (700000000)")


def test_neither_amount_nor_share(data_copy):
    line = edit_row(data_copy, "funding", "figure_id", "mss-2025-06-share-of-need", share_of_need="")
    assert_only(data_copy, "data/funding.csv", line, "amount", "an amount, or a share_of_need")


def test_amount_without_currency(data_copy):
    line = edit_row(data_copy, "funding", "figure_id", "mss-2024-09-balance", currency="")
    assert_only(data_copy, "data/funding.csv", line, "currency", "a currency for the amount")


def test_unknown_currency_code(data_copy):
    line = edit_row(data_copy, "funding", "figure_id", "mss-2024-02-28-canada-gac-project", currency="CAD")
    assert_only(data_copy, "data/funding.csv", line, "currency", "one of USD, not_stated")


def test_published_before_the_date_it_refers_to(data_copy):
    line = edit_row(data_copy, "funding", "figure_id", "mss-2024-12-31-received", published="2024-11-01")
    assert_only(data_copy, "data/funding.csv", line, "published",
                "a date on or after the date the figure refers to (2024-12-31)")


def test_unknown_kind(data_copy):
    line = edit_row(data_copy, "funding", "figure_id", "mss-2024-09-balance", kind="held")
    assert_only(data_copy, "data/funding.csv", line, "kind", "one of pledged, deposited, received, raised")


# ---------------------------------------------------------------- known on a date

def test_known_from_is_the_end_of_the_publication_period():
    assert funding.known_from("2024-09-01", "month") == pd.Timestamp("2024-09-30")
    assert funding.known_from("2024-01-01", "year") == pd.Timestamp("2024-12-31")
    assert funding.known_from("2025-12-09", "approximate") == pd.Timestamp("2025-12-09")


def test_the_secretary_generals_figure_counts_only_from_its_own_date(tables):
    f = tables["funding"]
    ids = lambda as_of: set(funding.known_on(f, as_of)["figure_id"])  # noqa: E731
    # SG/SM/22385, "September 2024" (no day): known from 30 September 2024, not on the article's dates
    assert "mss-2024-09-balance" not in ids("2024-09-20") | ids("2024-09-22") | ids("2024-09-29")
    assert "mss-2024-09-balance" in ids("2024-09-30")
    # KBC: refers to 31 December 2024, published in February 2025: known from 28 February 2025
    assert "mss-2024-12-31-received" not in ids("2025-01-15") | ids("2025-02-27")
    assert "mss-2024-12-31-received" in ids("2025-02-28")
    # Canada's project page: no publication date, so from the date it refers to (28 February 2024)
    assert "mss-2024-02-28-canada-gac-project" in ids("2024-02-28")


# ---------------------------------------------------------------- shares of the cost, by hand

def test_yearly_costs_halve_the_two_year_range(tables):
    yearly = funding.yearly_costs(tables["funding_costs"], "2024-09-22").set_index("cost_id")
    two_years = yearly.loc["mss-cost-2024-05-02-us-official"]
    assert (two_years["per_year_low"], two_years["per_year_high"]) == (515_000_000 / 2, 600_000_000 / 2)
    # Kindiki (Nov 2023) $600M for one year, EFE (Apr 2024) $240M a year, the US official (May 2024): 3 estimates
    assert list(yearly.index) == ["mss-cost-2023-11-09-kindiki", "mss-cost-2024-04-efe", "mss-cost-2024-05-02-us-official"]


def test_share_on_the_articles_date(tables):
    # Known on 22 Sep 2024: $10.8M deposited (29 Feb) and $18M raised (EFE, April 2024); the SG's $85.3M only
    # from 30 Sep. Yearly MSS estimates: 600M, 240M, 257.5-300M (515-600M over two years).
    s = funding.fund_share(tables["funding"], tables["funding_costs"], "2024-09-22")
    assert s.figure["figure_id"] == "mss-2024-04-raised" and s.amount == 18_000_000
    assert s.share_low == 18_000_000 / 600_000_000  # 3.0%
    assert s.share_high == 18_000_000 / 240_000_000  # 7.5%
    assert s.share_low == funding.fund_share(tables["funding"], tables["funding_costs"], "2024-09-20").share_low


def test_share_after_the_secretary_generals_figure(tables):
    # 1 Dec 2024: the SG's $85.3M "stands at" (Sept 2024); a fourth estimate, SCR's ~$600M a year (19 Nov 2024)
    s = funding.fund_share(tables["funding"], tables["funding_costs"], "2024-12-01")
    assert s.amount == 85_300_000 and len(s.costs) == 4
    assert s.share_low == 85_300_000 / 600_000_000  # 14.2%
    assert s.share_high == 85_300_000 / 240_000_000  # 35.5%


def test_share_before_and_after_the_february_2025_figures_are_public(tables):
    f, c = tables["funding"], tables["funding_costs"]
    assert funding.fund_share(f, c, "2025-02-27").amount == 85_300_000  # KBC and AFP count from 28 Feb
    s = funding.fund_share(f, c, "2025-02-28")
    # AFP "has raised $110 million to date" (February 2025) is later than KBC's "end of 2024" $85M received
    assert s.figure["figure_id"] == "mss-2025-02-raised"
    assert (s.share_low, s.share_high) == (110_000_000 / 600_000_000, 110_000_000 / 240_000_000)


def test_share_on_the_latest_date_uses_the_gsf_cost(tables):
    # Reuters, 8-9 Dec 2025: "the fund totals $113 million, far short of the $800 million annual requirement"
    s = funding.fund_share(tables["funding"], tables["funding_costs"], "2026-03-21")
    assert s.mission == "GSF" and s.share_low == s.share_high == 113_000_000 / 800_000_000  # 14.125%
    assert s.source_ids == ["reuters-newspravda-2025-12-09"]


def test_no_share_before_the_first_fund_figure(tables):
    assert funding.fund_share(tables["funding"], tables["funding_costs"], "2024-02-28") is None


def test_the_brief_sentences(tables):
    f, c = tables["funding"], tables["funding_costs"]
    assert funding.share_sentence(funding.fund_share(f, c, "2024-09-22")) == (
        "On 22 September 2024 the latest published figure for the trust fund was US$18 million raised, for April "
        "2024: 3.0%–7.5% of one year's estimated cost of the MSS, US$240 million to US$600 million a year across "
        "three estimates.")
    assert funding.share_sentence(funding.fund_share(f, c, "2026-03-21"), strong=True) == (
        "On 21 March 2026 the latest published figure for the trust fund was US$113 million, for about 9 December "
        "2025: **14.1%** of one year's estimated cost of the Gang Suppression Force, about US$800 million a year.")
    # EFE's "$115 million raised" (30 Sep 2025) is not filed under the trust fund: the sentence says so
    assert "the mission's money was US$115 million raised" in funding.share_sentence(funding.fund_share(f, c, "2025-10-15"))


# ---------------------------------------------------------------- donors, the freeze, per officer

def test_largest_contributors(tables):
    latest = funding.largest_contributors(tables["funding"], "2026-03-21")
    assert list(latest["donor"][:3]) == ["Canada", "United States", "France"]
    assert list(latest["paid_in"][:3]) == [63_000_000, 15_000_000, 3_200_000]
    assert latest.set_index("donor").loc["Dominican Republic", "pledged"] == 10_000_000  # pledged, nothing paid yet
    then = funding.largest_contributors(tables["funding"], "2024-09-20")
    assert list(zip(then["donor"], then["paid_in"])) == [("Canada", 8_700_000), ("United States", 6_000_000),
                                                         ("France", 3_200_000)]
    # Canada's project value has no currency: listed with the donors, never ranked against dollars
    assert "mss-2024-02-28-canada-gac-project" in set(funding.donor_rows(tables["funding"], "2024-09-20")["figure_id"])
    assert pd.isna(then.set_index("donor").loc["Canada", "pledged"])


def test_the_frozen_us_contribution(tables):
    held = funding.frozen(tables["funding"], "2026-03-21").set_index("kind")["amount"]
    assert (held["pledged"], held["spent"], held["frozen"]) == (15_000_000, 1_700_000, 13_300_000)
    assert held["pledged"] - held["spent"] == held["frozen"]  # 15 - 1.7 = 13.3, as the UN spokesperson said
    assert funding.frozen(tables["funding"], "2025-02-03").empty


def test_money_per_deployed_officer(tables):
    then = deployment.deployed_range(tables["arrivals"], tables["strength_reports"], "2025-12-09")
    assert (then.low, then.high) == (980, 1021)  # Reuters 980 (8 Dec); arrivals net 1,021
    assert funding.per_officer(113_000_000, then.low, then.high) == (113_000_000 / 1021, 113_000_000 / 980)
    assert funding.per_officer(18_000_000, 0, 0) is None  # nobody had arrived in April 2024


def test_statements_and_stated_shares_follow_as_of(tables):
    said = funding.statements_known(tables["funding_statements"], "2024-09-20")
    assert list(said["statement_id"]) == ["kindiki-2023-11-09-resources"]
    assert funding.stated_shares(tables["funding"], "2025-06-29").empty  # "June 2025": from 30 June
    assert list(funding.stated_shares(tables["funding"], "2025-06-30")["share_of_need"]) == [0.11]


def test_cost_steps_end_the_mss_band_where_the_gsf_estimate_starts(tables):
    steps = funding.cost_steps(tables["funding_costs"], "2026-03-21")
    mss, gsf = steps[steps["mission"] == "MSS"], steps[steps["mission"] == "GSF"]
    assert mss["date"].max() == gsf["date"].min() == pd.Timestamp("2025-12-09")
    assert (mss["low"].min(), mss["high"].max()) == (240_000_000, 600_000_000)


# ---------------------------------------------------------------- words

def test_money_is_written_exactly():
    assert funding.money(85_300_000) == "US$85.3 million"
    assert funding.money(257_500_000) == "US$257.5 million"
    assert funding.money(1_700_000) == "US$1.7 million"
    assert funding.money(75_833_135, "not_stated") == "75,833,135, currency not stated"
    assert funding.money(75_833_135) == "US$75,833,135"  # never rounded to "75.8 million"
    assert funding.rough_money(113_000_000 / 980) == "about US$120,000"
    assert funding.possessive("United States") == "the United States'" and funding.possessive("Canada") == "Canada's"


def test_dollar_amounts_are_not_read_as_maths():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    sentence = "US$18 million raised: **3.0%–7.5%** of US$240 million to US$600 million a year"
    assert "<strong>" not in markdown2html_mistune(sentence)  # '$...$' swallows the bold
    html = markdown2html_mistune(funding.markdown_dollars(sentence))
    assert "<strong>3.0%–7.5%</strong>" in html and "US$18 million" in html and "\\$" not in html


def test_labels_never_nest_parentheses():
    assert text.flat("Round 11 (round number assumed)") == "Round 11 – round number assumed"
    assert text.flat("Round 7") == "Round 7"


# ---------------------------------------------------------------- the chart

def test_funding_chart_describes_what_it_draws(tables):
    as_of = "2024-09-22"
    f, c = tables["funding"], tables["funding_costs"]
    fund, pledged = funding.fund_figures(f, as_of), funding.fund_figures(f, as_of, kinds=("pledged",))
    series = deployment.deployment_series(tables["arrivals"], tables["strength_reports"], 2500, until=as_of)
    fig = charts.funding_chart(fund, pledged, funding.yearly_costs(c, as_of), funding.cost_steps(c, as_of),
                               funding.deployment_sources(series, tables["arrivals"], tables["strength_reports"]),
                               2500, as_of, title="A finding", source="A source")
    described = fig.haiti_chart
    alt, drawn = described["alt"], described["data"]
    assert described["name"] == "funding-against-cost"
    assert "from US$10.8 million (February 2024) to US$18 million (April 2024)" in alt
    assert "3 estimates of the yearly cost, from US$240 million to US$600 million a year" in alt
    assert "deployed personnel, from 200 to 426" in alt and "Finding: A finding." in alt
    money = drawn[drawn["panel"] == "money"]
    assert sorted(money["source_id"]) == sorted(["reuters-socastsrm-2024-02-29", "efe-dominicantoday-225614",
                                                 "afp-mikeylive-2023-11-09", "efe-dominicantoday-225614",
                                                 "telesur-2024-05-02"])
    assert (drawn.loc[drawn["panel"] == "deployment", "source_id"] != "").all()
    matplotlib.pyplot.close(fig)


# ---------------------------------------------------------------- the notebooks

@pytest.mark.notebooks
def test_brief_and_deployment_follow_as_of(tmp_path):
    from test_notebooks import prose, run

    nb, found = run("00_brief", tmp_path, as_of="2024-09-20")
    assert (found["funding_share_low"], found["funding_share_high"]) == (0.03, 0.075)
    assert found["funding_figure_id"] == "mss-2024-04-raised"
    assert "**3.0%–7.5%** of one year's estimated cost of the MSS" in prose(nb)
    assert "85.3 million" not in prose(nb)  # the SG's figure was published after 20 September 2024
    nb, found = run("01_deployment", tmp_path, as_of="2023-12-01")
    page = prose(nb)
    assert found["funding_share_low"] is None
    assert "No figure for the money in the mission's trust fund had been published by 1 December 2023" in page
    assert "image/png" not in str([c.get("outputs") for c in nb.cells if "funding.fund_share" in c.source])
