"""What readers see, pinned: the real report of each English variant (latest, 2024-09-article, gsf-5550),
built once per session by tests/conftest.py (real_reports), against figures worked out BY HAND from data/.
Each expected value below is written as the arithmetic on the rows it comes from, never recomputed the way
the code computes it; a wrong figure, a swapped range or a changed verdict fails here, in figures.json, on
the HTML page and in the PDF.

The rows used (data/, as committed):
- arrivals.csv, net_change: Kenya 200 (25 Jun 2024) and 200 (16 Jul 2024); Jamaica 24 and Belize 2 (12 Sep 2024);
  Bahamas 6 (18 Oct 2024); Guatemala 75 (3 Jan 2025) and 75 (4 Jan 2025); El Salvador 8 (3 Jan 2025) and 70
  (4 Feb 2025); Kenya 217 (18 Jan 2025) and 144 (6 Feb 2025); Kenya +230 (8 Dec 2025) and -230 (9 Dec 2025);
  rotations (15 Apr 2025, 14 Feb 2026) add 0.
- strength_reports.csv, whole force: none before 30 Sep 2024; the newest, Ayiti Intel ~1,000 (21 Jan 2026) and
  1,200 (26 Jan 2026), the only ones in the 30 days up to the newest (deployment.REPORT_WINDOW_DAYS).
- pledges.csv, MSS: Kenya 1,000 (2023), Benin 1,500-2,000, El Salvador 78, Guatemala 150, Jamaica 200-250, Belize 50,
  Bahamas 150 (Bahamas, Bangladesh, Barbados and Chad also named in February 2024, without a number).
- dtm_rounds.csv: Round 7 578,074 (31 May 2024), Round 8 702,973 (published 2 Oct 2024), Round 11 1,412,199
  (about 14 Oct 2025).
- violence.csv, BINUH quarters killed: 2023-Q4 1,104; 2024-Q1 1,660; 2024-Q2 945 (2024-Q3 ends on 30 Sep 2024);
  2025-Q1 1,617, Q2 1,520, Q3 1,247, Q4 1,523; injured 2025: 580, 609, 710, 806; 2023-Q4 to 2024-Q2: 532, 845, 434.
- funding.csv / funding_costs.csv: on 22 Sep 2024 the latest trust-fund figure is EFE's US$18 million raised
  (April 2024; the SG's US$85.3 million counts from 30 Sep 2024) against yearly costs of US$600M (Kindiki),
  US$240M (EFE) and US$515-600M over two years; on the newest date Reuters' US$113 million against the GSF's
  about US$800 million a year.
"""

from __future__ import annotations

import json

import pytest

from reading import html_text, pdf_text, squash, table_rows, tables, visible_text

pytestmark = pytest.mark.notebooks

NOTEBOOKS = ["00_brief", "01_deployment", "02_displacement", "03_violence"]
ARTICLE = 426           # 200 + 200 + 24 + 2 arrived by 22 Sep 2024, no whole-force report yet
NET_LATEST = 200 + 200 + 24 + 2 + 6 + 75 + 8 + 75 + 217 + 70 + 144 + 230 - 230   # 1,021 arrived, net
assert NET_LATEST == 1021

EXPECTED = {
    "latest": {
        "as_of": "2026-03-21", "plan": 2500,
        "deployed": (1000, 1200),                  # min and max of 1,021 net, ~1,000 and 1,200 reported
        "shares": (1000 / 2500, 1200 / 2500),      # 40.0%-48.0%
        "shortfall": (2500 - 1200, 2500 - 1000),   # 1,300-1,500
        "idps": (1_412_199, "2025-10-14", "Round 11"),
        "killed": (1617 + 1520 + 1247 + 1523, 580 + 609 + 710 + 806, "2025-Q1 to 2025-Q4", 4),   # 5,907; 2,705
        "funding": ("gsf-2025-12-09-balance", 113_000_000, 113_000_000 / 800_000_000, 113_000_000 / 800_000_000),
        "statement": (ARTICLE / 2500, ARTICLE / 2500),   # 20 Sep 2024: 17.0% (the expert's day, whatever as_of)
    },
    "2024-09-article": {
        "as_of": "2024-09-22", "plan": 2500,
        "deployed": (ARTICLE, ARTICLE),
        "shares": (426 / 2500, 426 / 2500),        # 17.04%: below a quarter
        "shortfall": (2500 - 426, 2500 - 426),     # 2,074
        "idps": (578_074, "2024-05-31", "Round 7"),   # Round 8 was published on 2 Oct 2024, after as_of
        "killed": (1104 + 1660 + 945, 532 + 845 + 434, "2023-Q4 to 2024-Q2", 3),   # 3,709; 1,811
        "funding": ("mss-2024-04-raised", 18_000_000, 18_000_000 / 600_000_000, 18_000_000 / 240_000_000),  # 3.0%-7.5%
        "statement": (ARTICLE / 2500, ARTICLE / 2500),
    },
    "gsf-5550": {
        "as_of": "2026-03-21", "plan": 5550,
        "deployed": (1000, 1200),
        "shares": (1000 / 5550, 1200 / 5550),      # 18.0%-21.6%
        "shortfall": (5550 - 1200, 5550 - 1000),   # 4,350-4,550
        "idps": (1_412_199, "2025-10-14", "Round 11"),
        "killed": (1617 + 1520 + 1247 + 1523, 580 + 609 + 710 + 806, "2025-Q1 to 2025-Q4", 4),
        "funding": ("gsf-2025-12-09-balance", 113_000_000, 113_000_000 / 800_000_000, 113_000_000 / 800_000_000),
        "statement": (ARTICLE / 5550, ARTICLE / 5550),   # 7.7% of the ceiling
    },
}

# The ten claims of the article (data/claims.csv, in order), each with the words that open it and its verdict
# by the rule in claims.py, worked out from the rows:
CAVEAT, SUPPORTED, NOT_SUPPORTED = "supported with a caveat", "supported", "not supported"
MISSTATED, NOT_CHECKABLE = "misstated", "not checkable with this data"
VERDICTS_LATEST = [
    # 200 arrived on 25 Jun 2024 (at least the 200 stated), but other outlets said 400: disputed count
    ("arrival-june", "A team of hundreds of Kenyan police", CAVEAT),
    # Kenya's pledge is 1,000 (as stated) but dated only to the year 2023, not to October 2023
    ("kenya-pledge", "Nairobi agreed to contribute 1,000", CAVEAT),
    # no Kenyan arrival in the 8 weeks after 22 Sep 2024; the next came on 18 Jan 2025 (217), then 144: 361 < 600
    ("additional-600", "an additional 600", NOT_SUPPORTED),
    # resolution 2699, 2 Oct 2023: October 2023
    ("authorized-oct-2023", "The MSS, authorized by the UN Security Council", SUPPORTED),
    # 20 Sep 2024: 426 of the plan (426 / 2,500 = 17.0%; 426 / 5,550 = 7.7%), below 25%
    ("under-a-quarter", "has so far deployed less than a quarter", SUPPORTED),
    # BINUH 2024-Q1: 1,660 killed, 2,505 killed or injured; "around 2,500" is within 5% of 2,505 only
    ("q1-killed", "gang attacks in Haiti killed around 2,500", MISSTATED),
    # Round 7, 578,074: within 5% of 580,000; the UN expert said about 700,000 on 20 Sep 2024 (> 578,074 x 1.1)
    ("displaced-580k", "580,000 displaced", CAVEAT),
    # Round 7 states no children's share; every round that does (5.1: 55%, 8: 52%, 9: more than 50%) is above half
    ("half-children", "more than half of whom are children", CAVEAT),
    # resolution 2751, 30 Sep 2024, to 2 Oct 2025: by the end of September, for about 12 months
    ("mandate-renewal", "UN Security Council to decide", SUPPORTED),
    # 2025: the SG's letter (a peacekeeping operation "not assessed as a feasible option") and resolution 2793 (GSF)
    ("peacekeeping-2025", "potentially paving the way", NOT_SUPPORTED),
]
# On 22 Sep 2024 (only rows dated by then): the 8 weeks had not passed; resolution 2751 (30 Sep 2024) and the
# 2025 decisions were not yet known. The other seven verdicts are the same.
VERDICTS = {
    "latest": VERDICTS_LATEST,
    "gsf-5550": VERDICTS_LATEST,
    "2024-09-article": [(c, words, NOT_CHECKABLE if c in ("additional-600", "mandate-renewal", "peacekeeping-2025") else v)
                        for c, words, v in VERDICTS_LATEST],
}
# The tally under the claims, most frequent first (4 + 3 + 2 + 1 = 10).
TALLY = {
    "latest": "4 supported with a caveat, 3 supported, 2 not supported, 1 misstated",
    "gsf-5550": "4 supported with a caveat, 3 supported, 2 not supported, 1 misstated",
    "2024-09-article": "4 supported with a caveat, 3 not checkable with this data, 2 supported, 1 misstated",
}

# The key figures each detailed report opens with, as the reader sees them (HTML text; the same in the PDF):
# deployed, share and shortfall (01), the latest DTM round and its IDPs (02), killed in the last four quarters (03).
HEADLINES = {
    "latest": {
        # min(1,021 net, ~1,000, 1,200) = 1,000 and max = 1,200; 1,000 / 2,500 = 40.0%, 1,200 / 2,500 = 48.0%;
        # 2,500 - 1,200 = 1,300 and 2,500 - 1,000 = 1,500
        "01_deployment": ("Deployed on 21 March 2026: 1,000–1,200 personnel (the lowest and highest figure the sources allow). "
                          "Planned: 2,500 (the MSS plan). Share of the plan deployed: 40.0%–48.0%. Shortfall: 1,300–1,500 people."),
        # Round 11 is named by the month of its data (September 2025) and counts from its publication, about
        # 14 October 2025 (reference_precision approximate)
        "02_displacement": "Internally displaced people, Round 11 (September 2025; public by about 14 October 2025): 1,412,199.",
        # 1,617 + 1,520 + 1,247 + 1,523 = 5,907 (three of them BINUH's "at least": a lower bound); 580 + 609 + 710 + 806 = 2,705
        "03_violence": "Killed in 2025-Q1 to 2025-Q4 (4 quarters): more than 5,907; injured: 2,705.",
    },
    "2024-09-article": {
        # 200 + 200 + 24 + 2 = 426 net, no whole-force report before 30 Sep 2024; 426 / 2,500 = 17.04%; 2,500 - 426 = 2,074
        "01_deployment": ("Deployed on 22 September 2024: 426 personnel (the lowest and highest figure the sources allow). "
                          "Planned: 2,500 (the MSS plan). Share of the plan deployed: 17.0%. Shortfall: 2,074 people."),
        # Round 8 (702,973) was published on 2 Oct 2024, after as_of: Round 7 (data to 31 May 2024) is the latest
        "02_displacement": "Internally displaced people, Round 7 (May 2024): 578,074.",
        # 2024-Q3 ends on 30 Sep 2024, after as_of: 1,104 + 1,660 + 945 = 3,709 (945 "at least"); 532 + 845 + 434 = 1,811
        "03_violence": "Killed in 2023-Q4 to 2024-Q2 (3 quarters): more than 3,709; injured: 1,811.",
    },
    "gsf-5550": {
        # 1,000 / 5,550 = 18.02%, 1,200 / 5,550 = 21.62%; 5,550 - 1,200 = 4,350 and 5,550 - 1,000 = 4,550
        "01_deployment": ("Deployed on 21 March 2026: 1,000–1,200 personnel (the lowest and highest figure the sources allow). "
                          "Planned: 5,550 (the Gang Suppression Force ceiling). Share of the plan deployed: 18.0%–21.6%. "
                          "Shortfall: 4,350–4,550 people."),
        "02_displacement": "Internally displaced people, Round 11 (September 2025; public by about 14 October 2025): 1,412,199.",
        "03_violence": "Killed in 2025-Q1 to 2025-Q4 (4 quarters): more than 5,907; injured: 2,705.",
    },
}

# The brief in English and in French (latest and latest-fr): killed in the last four quarters, 1,617 + 1,520 + 1,247
# + 1,523 = 5,907 (a lower bound: three are BINUH's "at least"), 580 + 609 + 710 + 806 = 2,705 injured. French
# typography: a no-break space before the colon (U+00A0) and a narrow no-break space between thousands (U+202F).
BRIEF_SENTENCES = {
    "latest": "Killed in the last 4 quarters counted by the UN (BINUH), 2025-Q1 to 2025-Q4: more than 5,907, and 2,705 injured.",
    "latest-fr": ("Tués au cours des 4 derniers trimestres décomptés par l’ONU (BINUH), du T1 2025 au T4 2025\u00a0: "
                  "plus de 5\u202f907, et 2\u202f705 blessés."),
}

# One sentence of prose per notebook, beyond the key figures above, as the reader sees it (HTML text; the same in the PDF).
SENTENCES = {
    "latest": {
        "00_brief": "Deployed on 21 March 2026: 1,000–1,200 of 2,500 planned, 40.0%–48.0%; the shortfall is 1,300–1,500 people.",
        # 2 Oct 2023 to 21 Mar 2026: 731 + 151 + 19 = 901 days; 901 / (365.25 / 12) = 29.60 months
        "01_deployment": "Months since the Security Council authorized the mission on 2 October 2023: 29.6.",
        # dtm_rounds.csv, Round 11: host_share 0.85, qualifier about
        "02_displacement": "With host families: about 85% in Round 11; the rest live in sites or elsewhere.",
        # 2025-Q4: killed 1,523 (more_than), injured 806
        "03_violence": "Latest quarter (2025-Q4): more than 1,523 killed and 806 injured.",
    },
    "2024-09-article": {
        "00_brief": "Deployed on 22 September 2024: 426 of 2,500 planned, 17.0%; the shortfall is 2,074 people.",
        "01_deployment": ("On that day the data put the force at 426 personnel, 17.0% of the planned 2,500: "
                          "the statement held."),
        # Round 1 24,212 (September 2022); 578,074 / 24,212 = 23.88
        "02_displacement": "Since Round 1 (September 2022): 24,212 → 578,074, 23.9 times as many;",
        # 2024-Q2's 945 is BINUH's "at least 945"
        "03_violence": "Latest quarter (2024-Q2): more than 945 killed and 434 injured.",
    },
    "gsf-5550": {
        "00_brief": "Deployed on 21 March 2026: 1,000–1,200 of 5,550 planned, 18.0%–21.6%; the shortfall is 4,350–4,550 people.",
        # the MSS plan stays 2,500 (plans.csv) whatever planned_strength: 1,000 / 2,500 = 40.0%, 1,200 / 2,500 = 48.0%
        "01_deployment": ("Measured against that ceiling, the 1,000–1,200 deployed on 21 March 2026 are 18.0%–21.6%; "
                          "against the MSS plan of 2,500 they are 40.0%–48.0%."),
        "02_displacement": "Share of the population: 11.9% of 11,906,095 people.",   # 1,412,199 / 11,906,095 = 11.86%
        "03_violence": "Latest quarter (2025-Q4): more than 1,523 killed and 806 injured.",
    },
}

# Kenya's pledge (pledges.csv mss-2023-kenya: 1,000, dated only to the year 2023) against the article's
# "1,000 ... last October": the number holds, the month cannot be checked. Kenyan arrivals net of departures:
# 200 + 200 = 400 by 22 Sep 2024 (400 / 1,000 = 40%); 400 + 217 + 144 + 230 - 230 = 761 by 21 Mar 2026.
KENYA_PLEDGE = {
    "latest": "Kenya pledged 1,000 police; 400 (40%) had arrived by the article's date and 761 by 21 March 2026. "
              "The data dates the pledge only to 2023, not to October 2023.",
    "gsf-5550": "Kenya pledged 1,000 police; 400 (40%) had arrived by the article's date and 761 by 21 March 2026. "
                "The data dates the pledge only to 2023, not to October 2023.",
    # on the article's day, nothing later is known
    "2024-09-article": "Kenya pledged 1,000 police; 400 (40%) had arrived by the article's date. "
                       "The data dates the pledge only to 2023, not to October 2023.",
}

VARIANTS = list(EXPECTED)


def figures(real_reports, variant: str) -> dict:
    return json.loads((real_reports / variant / "figures.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("variant", VARIANTS)
def test_deployed_shares_and_shortfall(real_reports, variant):
    want, doc = EXPECTED[variant], figures(real_reports, variant)
    assert doc["parameters"]["as_of"] == want["as_of"] and doc["parameters"]["planned_strength"] == want["plan"]
    for nb in ("00_brief", "01_deployment"):
        f = doc[nb]
        assert (f["as_of"], f["planned_strength"]) == (want["as_of"], want["plan"]), nb
        assert (f["deployed_low"], f["deployed_high"]) == want["deployed"], nb
        assert (f["deployed_share_low"], f["deployed_share_high"]) == want["shares"], nb
        assert (f["shortfall_low"], f["shortfall_high"]) == want["shortfall"], nb
    dep = doc["01_deployment"]
    assert dep["deployed_arrivals_net"] == (ARTICLE if variant == "2024-09-article" else NET_LATEST)
    assert (dep["statement_date"], dep["statement_held"]) == ("2024-09-20", True)
    assert (dep["statement_share_low"], dep["statement_share_high"]) == want["statement"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_displaced_killed_and_money(real_reports, variant):
    want, doc = EXPECTED[variant], figures(real_reports, variant)
    idps, date, round_ = want["idps"]
    for nb in ("00_brief", "02_displacement"):
        assert (doc[nb]["idps_latest"], doc[nb]["idps_latest_date"]) == (idps, date), nb
    assert doc["02_displacement"]["idps_latest_round"] == round_
    killed, injured, quarters, count = want["killed"]
    v = doc["03_violence"]
    assert (v["killed_last_four_quarters"], v["injured_last_four_quarters"]) == (killed, injured)
    assert (v["last_four_quarters"], v["last_four_quarters_count"]) == (quarters, count)
    assert doc["00_brief"]["killed_last_four_quarters"] == killed
    figure_id, amount, low, high = want["funding"]
    for nb in ("00_brief", "01_deployment"):
        f = doc[nb]
        assert (f["funding_figure_id"], f["funding_amount"]) == (figure_id, amount), nb
        assert (f["funding_share_low"], f["funding_share_high"]) == (low, high), nb


@pytest.mark.parametrize("variant", VARIANTS)
def test_all_ten_verdicts_in_figures_json_html_and_pdf(real_reports, variant):
    want = VERDICTS[variant]
    claims = figures(real_reports, variant)["00_brief"]["claims"]
    assert [(c["id"], c["verdict"]) for c in claims] == [(c, v) for c, _, v in want]
    page = (real_reports / variant / "00_brief.html").read_text(encoding="utf-8")
    rows = table_rows(page, "claims")
    assert len(rows) == 10
    for (claim, words, verdict), row in zip(want, rows):
        assert words in row[0] and row[1] == verdict, (claim, row[:2])
    pdf = squash(pdf_text(real_reports / variant / "00_brief.pdf"))
    at = 0
    for (claim, _, verdict), row in zip(want, rows):   # in the PDF each quote is followed by its verdict, in order
        at = pdf.find(squash(row[0] + verdict), at)
        assert at >= 0, (claim, verdict)
    tally = f"Tally: {TALLY[variant]}."
    assert tally in html_text(real_reports / variant / "00_brief.html")
    assert squash(tally) in pdf


@pytest.mark.parametrize("variant", VARIANTS)
def test_kenya_pledge_verdict_in_figures_json_html_and_pdf(real_reports, variant):
    claim = next(c for c in figures(real_reports, variant)["00_brief"]["claims"] if c["id"] == "kenya-pledge")
    assert (claim["verdict"], claim["finding"]) == (CAVEAT, KENYA_PLEDGE[variant])
    assert [(e["label"], e["value"]) for e in claim["evidence"]][:2] == [
        ("Kenya's pledge", "1,000"), ("Kenyan arrivals net of departures by 22 September 2024", "400")]
    row = next(r for r in table_rows((real_reports / variant / "00_brief.html").read_text(encoding="utf-8"), "claims")
               if "Nairobi agreed to contribute 1,000" in r[0])
    assert row[1:3] == [CAVEAT, KENYA_PLEDGE[variant]]
    shown = squash("“Nairobi agreed to contribute 1,000 police officers last October” " + CAVEAT + KENYA_PLEDGE[variant])
    assert shown in squash(pdf_text(real_reports / variant / "00_brief.pdf"))


@pytest.mark.parametrize("notebook", ["01_deployment", "02_displacement", "03_violence"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_key_figures_in_html_and_pdf(real_reports, variant, notebook):
    headline = HEADLINES[variant][notebook]
    assert f"Key figures {headline}" in html_text(real_reports / variant / f"{notebook}.html")   # what the page opens with
    assert squash(headline) in squash(pdf_text(real_reports / variant / f"{notebook}.pdf"))


@pytest.mark.parametrize("variant", list(BRIEF_SENTENCES))
def test_the_brief_in_english_and_french(real_reports, variant):
    sentence = BRIEF_SENTENCES[variant]
    assert sentence in visible_text(real_reports / variant / "00_brief.html")   # no-break spaces as they are
    assert squash(sentence) in squash(pdf_text(real_reports / variant / "00_brief.pdf"))


@pytest.mark.parametrize("notebook", NOTEBOOKS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_one_sentence_per_notebook_in_html_and_pdf(real_reports, variant, notebook):
    sentence = SENTENCES[variant][notebook]
    assert sentence in html_text(real_reports / variant / f"{notebook}.html")
    assert squash(sentence) in squash(pdf_text(real_reports / variant / f"{notebook}.pdf"))


def test_the_article_variant_carries_what_the_report_exists_for(real_reports):
    """On 22 September 2024, the article's day: 426 deployed, below a quarter of 2,500 (625), and the claim
    'less than a quarter' supported; figures.json says so in the brief and the deployment report."""
    doc = figures(real_reports, "2024-09-article")
    assert doc["variant"] == "2024-09-article" and doc["parameters"]["as_of"] == "2024-09-22"
    for nb in ("00_brief", "01_deployment"):
        f = doc[nb]
        assert f["as_of"] == "2024-09-22"
        assert f["deployed_high"] == 200 + 200 + 24 + 2 == 426 < 2500 / 4 == 625
        assert f["deployed_share_high"] == 426 / 2500 < 0.25
    quarter = next(c for c in doc["00_brief"]["claims"] if c["id"] == "under-a-quarter")
    assert quarter["verdict"] == "supported"
    assert quarter["finding"].startswith("426 of 2,500 planned were deployed on 20 September 2024: 17.0%.")


def test_pledged_against_arrived_as_the_table_shows_it(real_reports):
    """01's pledges table on the newest date: each share is arrived / pledged, the low end against the highest
    pledge (Jamaica: 24 / 250 = 9.6% to 24 / 200 = 12.0%, never '12.0%–9.6%')."""
    page = (real_reports / "latest" / "01_deployment.html").read_text(encoding="utf-8")
    shown = dict(tables(page))["MSS pledges made and personnel arrived net of departures, by 21 March 2026"]
    assert shown == [
        ["Kenya", "1,000", "761", "76.1%"],                # 200 + 200 + 217 + 144 + 230 - 230 = 761
        ["Guatemala", "150", "150", "100.0%"],             # 75 + 75
        ["El Salvador", "78", "78", "100.0%"],             # 8 + 70
        ["Jamaica", "200–250", "24", "9.6%–12.0%"],        # the rotation of 21 adds 0
        ["Bahamas", "150", "6", "4.0%"],
        ["Belize", "50", "2", "4.0%"],
        ["Benin", "1,500–2,000", "0", "0.0%"],
    ]
