"""Every claim's verdict, finding and evidence as a reader sees them, pinned in full on the latest date and on the
article's date, and every other branch of each rule reached by changing one cell of the data: its finding, the
evidence shown under it, the exact boundary of the rule, and the findings in French. The figures were checked by
hand against data/ (the arithmetic is in the comments); a finding that changes by one word fails here. `make
mutate` found the evidence of some branches, some boundaries and the French findings unpinned: the second half
of this file pins them.

Latest date (21 March 2026): arrivals net 1,021, reports 1,000 (21 Jan) and 1,200 (26 Jan 2026), so 40.0%-48.0%
of 2,500; Kenyans 200 + 200 + 217 + 144 + 230 - 230 = 761; 18 January 2025 is 118 days (17 weeks) after the
article; the MSS's later Kenyan contingents 217 + 144 = 361 (the 230 of December 2025 came under the GSF).
On 20 September 2024: 200 + 200 + 24 + 2 = 426 deployed, 426 / 2,500 = 17.0%.
"""

from __future__ import annotations

import pandas as pd
import pytest

from haiti_mss import claims
from haiti_mss.claims import CAVEAT, MISSTATED, NOT_CHECKABLE, NOT_SUPPORTED, SUPPORTED

from datafixtures import tables, with_cell, without  # noqa: F401  (tables: fixture)

LATEST = {
    'arrival-june': (CAVEAT,
        'Kenyan police did arrive on 25 June 2024, but the count is disputed: 200 per the Kenyan police, 400 in other outlets; 200 more followed by 26 July 2024.',
        [
            ('Kenyan police arriving on 25 June 2024', '200', ('kenyanpost-2024-07-08',), ('arrivals:2024-06-25-kenya',)),
            ("the same flight as other outlets report it (outlets without a link in the data; the source cited is the row's own)", '400', ('kenyanpost-2024-07-08',), ('arrivals:2024-06-25-kenya',)),
            ('Kenyan arrivals by 26 July 2024', '400', ('kenyanpost-2024-07-08', 'kbc-swahili-ruto-haiti'), ('arrivals:2024-06-25-kenya', 'arrivals:2024-07-16-kenya')),
        ]),
    'kenya-pledge': (CAVEAT,
        "Kenya pledged 1,000 police; 400 (40%) had arrived by the article's date and 761 by 21 March 2026. The data dates the pledge only to 2023, not to October 2023.",
        [
            ("Kenya's pledge", '1,000', ('reuters-socastsrm-2024-02-29',), ('pledges:mss-2023-kenya',)),
            ('Kenyan arrivals net of departures by 22 September 2024', '400', ('kenyanpost-2024-07-08', 'kbc-swahili-ruto-haiti'), ('arrivals:2024-06-25-kenya', 'arrivals:2024-07-16-kenya')),
            ('Kenyan arrivals net of departures by 21 March 2026', '761', ('kenyanpost-2024-07-08', 'kbc-swahili-ruto-haiti', 'kahawatungu-2025-01-19', 'kenyans-108735', 'reuters-metroradio-2025-12-09', 'mwakilishi-2025-12-10'), ('arrivals:2024-06-25-kenya', 'arrivals:2024-07-16-kenya', 'arrivals:2025-01-18-kenya', 'arrivals:2025-02-06-kenya', 'arrivals:2025-12-08-kenya', 'arrivals:2025-12-09-kenya')),
        ]),
    'additional-600': (NOT_SUPPORTED,
        "No Kenyan contingent arrived within 8 weeks; the next came 17 weeks later (18 January 2025), and the MSS's later Kenyan contingents added 361, not 600.",
        [
            ('Kenyan arrival on 18 January 2025', '217', ('kahawatungu-2025-01-19',), ('arrivals:2025-01-18-kenya',)),
            ('Kenyan arrival on 6 February 2025', '144', ('kenyans-108735',), ('arrivals:2025-02-06-kenya',)),
            ('Kenyan arrival on 8 December 2025', '230', ('reuters-metroradio-2025-12-09',), ('arrivals:2025-12-08-kenya',)),
        ]),
    'authorized-oct-2023': (SUPPORTED,
        'S/RES/2699 (2023) authorized the MSS on 2 October 2023.',
        [
            ('S/RES/2699 (2023)', 'adopted 2 October 2023, 13 in favour, 2 abstentions', ('unpress-sc15432',), ('un_decisions:res-2699',)),
        ]),
    'under-a-quarter': (SUPPORTED,
        '426 of 2,500 planned were deployed on 20 September 2024: 17.0%. On 21 March 2026 the share was 40.0%–48.0%.',
        [
            ('deployed on 20 September 2024 (arrivals net of departures)', '426', ('kenyanpost-2024-07-08', 'kbc-swahili-ruto-haiti', 'jamaicaobserver-2024-09-13', 'ap-manilabulletin-2024-09-13'), ('arrivals:2024-06-25-kenya', 'arrivals:2024-07-16-kenya', 'arrivals:2024-09-12-jamaica', 'arrivals:2024-09-12-belize')),
            ('planned strength (report parameter, as in the sources cited)', '2,500', ('ap-manilabulletin-2024-09-13', 'xinhua-bignewsnetwork-2024-09-30', 'scr-whatsinblue-2024-11-19'), ('plans:mss-planned-2500-ap', 'plans:mss-planned-2500-xinhua', 'plans:mss-planned-2500-scr')),
            ('share of the plan deployed', '17.0%', ('kenyanpost-2024-07-08', 'kbc-swahili-ruto-haiti', 'jamaicaobserver-2024-09-13', 'ap-manilabulletin-2024-09-13', 'xinhua-bignewsnetwork-2024-09-30', 'scr-whatsinblue-2024-11-19'), ('arrivals:2024-06-25-kenya', 'arrivals:2024-07-16-kenya', 'arrivals:2024-09-12-jamaica', 'arrivals:2024-09-12-belize', 'plans:mss-planned-2500-ap', 'plans:mss-planned-2500-xinhua', 'plans:mss-planned-2500-scr')),
            ("William O'Neill (UN rights expert), 20 September 2024", '“less than a quarter of promised troops have deployed”', ('reuters-investing-2024-09-20',), ('expert_statements:oneill-2024-09-20-quarter',)),
        ]),
    'q1-killed': (MISSTATED,
        'Around 2,500 is the number killed or injured (2,505); 1,660 were killed and 845 injured.',
        [
            ('killed, 2024-Q1 (BINUH)', '1,660', ('telesur-binuh-h1-2024',), ('violence:binuh-2024-q1',)),
            ('injured, 2024-Q1 (BINUH)', '845', ('telesur-binuh-h1-2024',), ('violence:binuh-2024-q1',)),
            ('killed or injured, 2024-Q1', '2,505', ('telesur-binuh-h1-2024',), ('violence:binuh-2024-q1',)),
        ]),
    'displaced-580k': (CAVEAT,
        "580,000 matches Round 7 (578,074), but it was out of date: by the article's date the figure was about 700,000.",
        [
            ('IOM DTM Round 7 (31 May 2024)', '578,074', ('reliefweb-dtm-r07',), ('dtm_rounds:dtm-r07',)),
            ('IOM DTM Round 8, published 2 October 2024, after the article', '702,973', ('acaps-reliefweb-2024-10-03',), ('dtm_rounds:dtm-r08',)),
            ("William O'Neill (UN rights expert), 20 September 2024", 'about 700,000', ('businesslive-2024-09-22',), ('expert_statements:oneill-2024-09-20-idps',)),
        ]),
    'half-children': (CAVEAT,
        "Round 7, the source of the article's total, states no children's share; every round that states one puts it above half (Round 5.1, Round 8, Round 9).",
        [
            ("children's share, Round 5.1", '55%', ('hdx-dtm-r05-1',), ('dtm_rounds:dtm-r05-1',)),
            ("children's share, Round 8", '52%', ('acaps-reliefweb-2024-10-03',), ('dtm_rounds:dtm-r08',)),
            ("children's share, Round 9", 'more than 50%', ('hdx-dtm-r09',), ('dtm_rounds:dtm-r09',)),
        ]),
    'mandate-renewal': (SUPPORTED,
        'S/RES/2751 (2024) renewed the mission on 30 September 2024, to 2 October 2025.',
        [
            ('S/RES/2751 (2024)', 'adopted 30 September 2024; mandate to 2 October 2025', ('unpress-sc15838',), ('un_decisions:res-2751',)),
        ]),
    'peacekeeping-2025': (NOT_SUPPORTED,
        'S/RES/2793 (2025) turned the MSS into a Gang Suppression Force on 30 September 2025, not a UN peacekeeping operation.',
        [
            ('SG letter of 24 Feb 2025', "Secretary-General: transforming the MSS into a peacekeeping operation 'not assessed as a feasible option'; recommends a UN Support Office", ('scr-whatsinblue-2025-06',), ('un_decisions:sg-letter-2025-02-24',)),
            ('S/RES/2793 (2025)', 'Transforms the MSS into the Gang Suppression Force (GSF) for an initial 12 months, with an authorized personnel ceiling of 5,550 (5,500 uniformed military and police personnel and 50 civilians); establishes the UN Support Office in Haiti (UNSOH)', ('unpress-sc16185',), ('un_decisions:res-2793',)),
        ]),
}
ARTICLE_DAY = {
    'arrival-june': (CAVEAT,
        'Kenyan police did arrive on 25 June 2024, but the count is disputed: 200 per the Kenyan police, 400 in other outlets; 200 more followed by 26 July 2024.',
        [
            ('Kenyan police arriving on 25 June 2024', '200', ('kenyanpost-2024-07-08',), ('arrivals:2024-06-25-kenya',)),
            ("the same flight as other outlets report it (outlets without a link in the data; the source cited is the row's own)", '400', ('kenyanpost-2024-07-08',), ('arrivals:2024-06-25-kenya',)),
            ('Kenyan arrivals by 26 July 2024', '400', ('kenyanpost-2024-07-08', 'kbc-swahili-ruto-haiti'), ('arrivals:2024-06-25-kenya', 'arrivals:2024-07-16-kenya')),
        ]),
    'kenya-pledge': (CAVEAT,
        "Kenya pledged 1,000 police; 400 (40%) had arrived by the article's date. The data dates the pledge only to 2023, not to October 2023.",
        [
            ("Kenya's pledge", '1,000', ('reuters-socastsrm-2024-02-29',), ('pledges:mss-2023-kenya',)),
            ('Kenyan arrivals net of departures by 22 September 2024', '400', ('kenyanpost-2024-07-08', 'kbc-swahili-ruto-haiti'), ('arrivals:2024-06-25-kenya', 'arrivals:2024-07-16-kenya')),
        ]),
    'additional-600': (NOT_CHECKABLE,
        'On 22 September 2024 the 8 weeks had not yet passed.',
        []),
    'authorized-oct-2023': (SUPPORTED,
        'S/RES/2699 (2023) authorized the MSS on 2 October 2023.',
        [
            ('S/RES/2699 (2023)', 'adopted 2 October 2023, 13 in favour, 2 abstentions', ('unpress-sc15432',), ('un_decisions:res-2699',)),
        ]),
    'under-a-quarter': (SUPPORTED,
        '426 of 2,500 planned were deployed on 20 September 2024: 17.0%. On 22 September 2024 the share was still 17.0%.',
        [
            ('deployed on 20 September 2024 (arrivals net of departures)', '426', ('kenyanpost-2024-07-08', 'kbc-swahili-ruto-haiti', 'jamaicaobserver-2024-09-13', 'ap-manilabulletin-2024-09-13'), ('arrivals:2024-06-25-kenya', 'arrivals:2024-07-16-kenya', 'arrivals:2024-09-12-jamaica', 'arrivals:2024-09-12-belize')),
            ('planned strength (report parameter, as in the sources cited)', '2,500', ('ap-manilabulletin-2024-09-13',), ('plans:mss-planned-2500-ap',)),
            ('share of the plan deployed', '17.0%', ('kenyanpost-2024-07-08', 'kbc-swahili-ruto-haiti', 'jamaicaobserver-2024-09-13', 'ap-manilabulletin-2024-09-13'), ('arrivals:2024-06-25-kenya', 'arrivals:2024-07-16-kenya', 'arrivals:2024-09-12-jamaica', 'arrivals:2024-09-12-belize', 'plans:mss-planned-2500-ap')),
            ("William O'Neill (UN rights expert), 20 September 2024", '“less than a quarter of promised troops have deployed”', ('reuters-investing-2024-09-20',), ('expert_statements:oneill-2024-09-20-quarter',)),
        ]),
    'q1-killed': (MISSTATED,
        'Around 2,500 is the number killed or injured (2,505); 1,660 were killed and 845 injured.',
        [
            ('killed, 2024-Q1 (BINUH)', '1,660', ('telesur-binuh-h1-2024',), ('violence:binuh-2024-q1',)),
            ('injured, 2024-Q1 (BINUH)', '845', ('telesur-binuh-h1-2024',), ('violence:binuh-2024-q1',)),
            ('killed or injured, 2024-Q1', '2,505', ('telesur-binuh-h1-2024',), ('violence:binuh-2024-q1',)),
        ]),
    'displaced-580k': (CAVEAT,
        "580,000 matches Round 7 (578,074), but it was out of date: by the article's date the figure was about 700,000.",
        [
            ('IOM DTM Round 7 (31 May 2024)', '578,074', ('reliefweb-dtm-r07',), ('dtm_rounds:dtm-r07',)),
            ("William O'Neill (UN rights expert), 20 September 2024", 'about 700,000', ('businesslive-2024-09-22',), ('expert_statements:oneill-2024-09-20-idps',)),
        ]),
    'half-children': (CAVEAT,
        "Round 7, the source of the article's total, states no children's share; every round that states one puts it above half (Round 5.1).",
        [
            ("children's share, Round 5.1", '55%', ('hdx-dtm-r05-1',), ('dtm_rounds:dtm-r05-1',)),
        ]),
    'mandate-renewal': (NOT_CHECKABLE,
        'No renewal after the article is in the data.',
        []),
    'peacekeeping-2025': (NOT_CHECKABLE,
        'No 2025 decision is in the data.',
        []),
}


def shown(verdict) -> tuple:
    return (verdict.verdict, verdict.finding,
            [(e.label, e.value, e.source_ids, e.row_ids) for e in verdict.evidence])


def verdicts(tables, as_of="2026-03-21", planned=2500, language=None) -> dict:
    return {v.claim_id: v for v in claims.check_claims(tables, planned, as_of, language)}


@pytest.mark.parametrize("as_of, expected", [("2026-03-21", LATEST), ("2024-09-22", ARTICLE_DAY)], ids=["latest", "article"])
def test_every_verdict_as_a_reader_sees_it(tables, as_of, expected):
    found = verdicts(tables, as_of)
    assert list(found) == list(expected)
    for claim_id, verdict in found.items():
        assert shown(verdict) == expected[claim_id], claim_id
    assert found["q1-killed"].as_dict() == {
        "id": "q1-killed", "verdict": MISSTATED, "finding": expected["q1-killed"][1],
        "evidence": [{"label": label, "value": value, "source_id": ids[0], "source_ids": list(ids), "row_ids": list(rows)}
                     for label, value, ids, rows in expected["q1-killed"][2]]}


def one(tables, claim_id, as_of="2026-03-21", planned=2500):
    v = verdicts(tables, as_of, planned)[claim_id]
    return v.verdict, v.finding


# ---------------------------------------------------------------- the other branches, one cell at a time

def test_arrival_june_branches(tables):
    moved = with_cell(tables, "claims", "claim_id", "arrival-june", "stated_date", pd.Timestamp("2024-06-26"))
    assert one(moved, "arrival-june") == (NOT_CHECKABLE, "No arrival on 26 June 2024 is in the data.")
    more = with_cell(tables, "claims", "claim_id", "arrival-june", "stated_number", 201)
    assert one(more, "arrival-june") == (NOT_SUPPORTED, "Only 200 arrived on 25 June 2024.")
    agreed = with_cell(tables, "arrivals", "movement_id", "2024-06-25-kenya", "personnel_alt", pd.NA)
    assert one(agreed, "arrival-june") == (SUPPORTED, "200 Kenyan police arrived on 25 June 2024.")
    same = with_cell(tables, "arrivals", "movement_id", "2024-06-25-kenya", "personnel_alt", 200)
    assert one(same, "arrival-june") == (SUPPORTED, "200 Kenyan police arrived on 25 June 2024.")
    linked = with_cell(tables, "arrivals", "movement_id", "2024-06-25-kenya", "alt_source_id", "kbc-swahili-ruto-haiti")
    alt = verdicts(linked)["arrival-june"].evidence[1]
    assert (alt.label, alt.value, alt.source_ids) == ("the same flight as other outlets report it", "400", ("kbc-swahili-ruto-haiti",))


def test_kenya_pledge_branches(tables):
    other = with_cell(tables, "claims", "claim_id", "kenya-pledge", "stated_number", 1200)
    assert one(other, "kenya-pledge") == (MISSTATED, "Kenya's pledge in the data is 1,000.")
    ranged = with_cell(tables, "pledges", "pledge_id", "mss-2023-kenya", "personnel_low", 800)
    assert one(ranged, "kenya-pledge") == (MISSTATED, "Kenya's pledge in the data is 800\u20131,000.")
    yearly = with_cell(tables, "claims", "claim_id", "kenya-pledge", "stated_date_precision", "year")
    assert one(yearly, "kenya-pledge", "2024-09-22") == (SUPPORTED, "Kenya pledged 1,000 police; 400 (40%) had arrived by the article's date.")
    dated = with_cell(tables, "pledges", "pledge_id", "mss-2023-kenya", "date", pd.Timestamp("2023-10-05"))
    dated = with_cell(dated, "pledges", "pledge_id", "mss-2023-kenya", "date_precision", "day")
    assert one(dated, "kenya-pledge", "2024-09-22")[0] == SUPPORTED  # 5 October 2023 is in October 2023
    in_month = with_cell(tables, "pledges", "pledge_id", "mss-2023-kenya", "date_precision", "month")
    assert one(in_month, "kenya-pledge", "2024-09-22")[1].endswith("The data dates the pledge only to January 2023, not to October 2023.")
    none = without(tables, "pledges", "country", "Kenya")
    assert one(none, "kenya-pledge") == (NOT_CHECKABLE, "Kenya's pledge is not in the data.")


def test_additional_600_branches(tables):
    early = with_cell(tables, "arrivals", "movement_id", "2025-01-18-kenya", "date", pd.Timestamp("2024-11-17"))
    fewer = with_cell(early, "claims", "claim_id", "additional-600", "stated_number", 217)
    # 17 November 2024 is 56 days (8 weeks) after the article: 217 arrive in time
    assert one(fewer, "additional-600") == (SUPPORTED, "217 more Kenyans arrived within 8 weeks.")
    assert one(early, "additional-600")[0] == NOT_SUPPORTED
    late = with_cell(tables, "arrivals", "movement_id", "2025-01-18-kenya", "date", pd.Timestamp("2024-11-18"))
    assert one(with_cell(late, "claims", "claim_id", "additional-600", "stated_number", 217), "additional-600")[0] == NOT_SUPPORTED
    assert one(tables, "additional-600", "2024-11-16") == (NOT_CHECKABLE, "On 16 November 2024 the 8 weeks had not yet passed.")
    assert one(tables, "additional-600", "2024-11-17") == (NOT_SUPPORTED, "No further Kenyan contingent arrived by 17 November 2024.")
    v = verdicts(tables, "2025-01-18")["additional-600"]
    assert v.finding == ("No Kenyan contingent arrived within 8 weeks; the next came 17 weeks later (18 January 2025), and "
                         "the MSS's later Kenyan contingents added 217, not 600.")
    assert [e.value for e in v.evidence] == ["217"]  # the February and December arrivals are after as_of


def test_authorization_branches(tables):
    november = with_cell(tables, "claims", "claim_id", "authorized-oct-2023", "stated_date", pd.Timestamp("2023-11-01"))
    assert one(november, "authorized-oct-2023") == (MISSTATED, "The MSS was authorized on 2 October 2023.")
    no_count = with_cell(tables, "un_decisions", "decision_id", "res-2699", "abstentions", pd.NA)
    assert verdicts(no_count)["authorized-oct-2023"].evidence[0].value == "adopted 2 October 2023, 13 in favour, 0 abstentions"
    no_vote = with_cell(tables, "un_decisions", "mission", "MSS", "votes_for", pd.NA)
    assert one(no_vote, "authorized-oct-2023") == (NOT_CHECKABLE, "No authorizing resolution is in the data.")


def test_under_a_quarter_branches(tables):
    # at a plan of 1,600 the 426 deployed are 426 / 1,600 = 26.6%; on 21 March 2026, 1,000-1,200 of 1,600
    v = verdicts(tables, planned=1600)["under-a-quarter"]
    assert (v.verdict, v.finding) == (NOT_SUPPORTED, "26.6% were deployed on 20 September 2024. On 21 March 2026 the share "
                                                     "was 62.5%\u201375.0%.")
    assert v.evidence[1].label == "planned strength (report parameter, set for this report)" and v.evidence[1].source_ids == ()
    # the expert on 11 October 2024: reports of 410 (30 Sep) and 430 (11 Oct); 410 / 1,700 = 24.1%, 430 / 1,700 = 25.3%
    later = with_cell(tables, "expert_statements", "statement_id", "oneill-2024-09-20-quarter", "date", pd.Timestamp("2024-10-11"))
    assert one(later, "under-a-quarter", planned=1700) == (
        CAVEAT, "The figures for 11 October 2024 straddle 25%: 24.1%\u201325.3%. On 21 March 2026 the share was 58.8%\u201370.6%.")
    share = verdicts(later, planned=1700)["under-a-quarter"].evidence[2]
    assert share.row_ids == ("arrivals:2024-06-25-kenya", "arrivals:2024-07-16-kenya", "arrivals:2024-09-12-jamaica",
                             "arrivals:2024-09-12-belize", "strength_reports:2024-09-30-mission-xinhua",
                             "strength_reports:2024-10-11-mission-reuters")  # the range is 410 to 430: both reports
    # 426 / 1,704 = 25.0%: not under a quarter
    assert one(tables, "under-a-quarter", planned=1704)[0] == NOT_SUPPORTED
    assert one(tables, "under-a-quarter", planned=1705)[0] == SUPPORTED  # 426 / 1,705 = 24.99%
    # without the expert's date the rule uses the article's own (22 September 2024), and says nothing later that day
    unquoted = with_cell(tables, "expert_statements", "statement_id", "oneill-2024-09-20-quarter", "share_upper", pd.NA)
    assert one(unquoted, "under-a-quarter", "2024-09-22") == (SUPPORTED, "426 of 2,500 planned were deployed on 22 September 2024: 17.0%.")


def test_q1_killed_branches(tables):
    killed = with_cell(tables, "violence", "figure_id", "binuh-2024-q1", "killed", 2380)  # 2,500 is 5.04% above: not close
    assert one(killed, "q1-killed")[0] == MISSTATED
    killed = with_cell(tables, "violence", "figure_id", "binuh-2024-q1", "killed", 2381)  # 119 / 2,381 = 4.998%: close
    assert one(killed, "q1-killed") == (SUPPORTED, "BINUH counted 2,381 killed in 2024-Q1.")
    neither = with_cell(tables, "claims", "claim_id", "q1-killed", "stated_number", 2000)
    assert one(neither, "q1-killed") == (NOT_SUPPORTED, "BINUH counted 1,660 killed in 2024-Q1.")
    elsewhere = with_cell(tables, "claims", "claim_id", "q1-killed", "stated_period", "2019-Q1")
    assert one(elsewhere, "q1-killed") == (NOT_CHECKABLE, "BINUH's figures for 2019-Q1 are not in the data.")
    summed = with_cell(tables, "violence", "figure_id", "binuh-2024-q1", "killed_or_injured_stated", pd.NA)
    both = verdicts(summed)["q1-killed"].evidence[2]
    assert (both.label, both.value) == ("killed or injured, 2024-Q1 (killed plus injured)", "2,505")  # 1,660 + 845


def test_displaced_branches(tables):
    far = with_cell(tables, "claims", "claim_id", "displaced-580k", "stated_number", 600_000)  # 3.8% above 578,074
    assert one(far, "displaced-580k")[0] == CAVEAT
    far = with_cell(tables, "claims", "claim_id", "displaced-580k", "stated_number", 607_000)  # 5.0% above
    assert one(far, "displaced-580k") == (MISSTATED, "The round published before the article counted 578,074.")
    quiet = without(tables, "expert_statements", "statement_id", "oneill-2024-09-20-idps")
    assert one(quiet, "displaced-580k") == (SUPPORTED, "Round 7 counted 578,074.")
    near = with_cell(tables, "expert_statements", "statement_id", "oneill-2024-09-20-idps", "idps_stated", 635_881)
    assert one(near, "displaced-580k")[0] == SUPPORTED  # 578,074 x 1.1 = 635,881.4: not out of date
    far = with_cell(tables, "expert_statements", "statement_id", "oneill-2024-09-20-idps", "idps_stated", 635_882)
    assert one(far, "displaced-580k")[0] == CAVEAT
    none = with_cell(tables, "dtm_rounds", "round_id", None, "reference_date", pd.Timestamp("2024-12-31"))
    assert one(none, "displaced-580k") == (NOT_CHECKABLE, "No DTM round before the article is in the data.")
    # a round published after its reference date is not known before it is published
    hidden = with_cell(tables, "dtm_rounds", "round_id", "dtm-r07", "published", pd.Timestamp("2024-09-23"))
    assert verdicts(hidden)["displaced-580k"].evidence[0].label == "IOM DTM Round 6 (March 2024)"
    shown_on_the_day = with_cell(tables, "dtm_rounds", "round_id", "dtm-r07", "published", pd.Timestamp("2024-09-22"))
    assert verdicts(shown_on_the_day)["displaced-580k"].evidence[0].label == "IOM DTM Round 7 (31 May 2024)"


def test_half_children_branches(tables):
    stated = with_cell(tables, "dtm_rounds", "round_id", "dtm-r07", "children_share", 0.51)
    assert one(stated, "half-children") == (SUPPORTED, "Round 7 states 51% children.")
    assert one(with_cell(tables, "dtm_rounds", "round_id", "dtm-r07", "children_share", 0.5), "half-children") == (
        NOT_SUPPORTED, "Round 7 states 50% children.")
    over = with_cell(with_cell(tables, "dtm_rounds", "round_id", "dtm-r07", "children_share", 0.5),
                     "dtm_rounds", "round_id", "dtm-r07", "children_share_qualifier", "more_than")
    assert one(over, "half-children")[0] == SUPPORTED  # "more than 50%"
    low = with_cell(tables, "dtm_rounds", "round_id", "dtm-r08", "children_share", 0.5)
    assert one(low, "half-children") == (NOT_SUPPORTED, "Not every round that states a children's share puts it above half.")
    assert one(with_cell(tables, "dtm_rounds", "round_id", "dtm-r09", "children_share_qualifier", "exact"), "half-children")[0] == NOT_SUPPORTED
    # the qualifier is optional in the schema: a share stated without one is an exact share
    unqualified = with_cell(low, "dtm_rounds", "round_id", "dtm-r08", "children_share_qualifier", pd.NA)
    assert one(unqualified, "half-children")[0] == NOT_SUPPORTED  # 50% is not above half
    assert one(with_cell(stated, "dtm_rounds", "round_id", "dtm-r07", "children_share_qualifier", pd.NA), "half-children") == (
        SUPPORTED, "Round 7 states 51% children.")
    none = with_cell(tables, "dtm_rounds", "round_id", None, "children_share", pd.NA)
    assert one(none, "half-children") == (NOT_CHECKABLE, "The data states no children's share for the rounds before the article.")
    counted = with_cell(tables, "dtm_rounds", "round_id", "dtm-r08", "children_count", 365_546)
    extra = verdicts(counted)["half-children"].evidence[-1]
    assert (extra.label, extra.value, extra.row_ids) == ("children counted, Round 8", "365,546 of 702,973", ("dtm_rounds:dtm-r08",))


def test_mandate_and_peacekeeping_branches(tables):
    six = with_cell(tables, "claims", "claim_id", "mandate-renewal", "stated_number", 10.9)  # 12.1 months: 1.2 apart
    assert one(six, "mandate-renewal") == (NOT_SUPPORTED, "S/RES/2751 (2024) was adopted on 30 September 2024.")
    assert one(with_cell(tables, "claims", "claim_id", "mandate-renewal", "stated_number", 11.1), "mandate-renewal")[0] == SUPPORTED
    early = with_cell(tables, "claims", "claim_id", "mandate-renewal", "stated_date", pd.Timestamp("2024-09-29"))
    assert one(early, "mandate-renewal")[0] == NOT_SUPPORTED  # renewed a day after the date the article gave
    pko = with_cell(tables, "un_decisions", "decision_id", "sg-letter-2025-02-24", "decision", "Creates a UN peacekeeping operation")
    assert one(pko, "peacekeeping-2025") == (SUPPORTED, "SG letter of 24 Feb 2025 created a peacekeeping operation.")
    no_gsf = with_cell(tables, "un_decisions", "decision_id", "res-2793", "mission", "MSS")
    assert one(no_gsf, "peacekeeping-2025") == (NOT_SUPPORTED, "No 2025 decision created a peacekeeping operation.")


def test_a_claim_without_a_rule(tables):
    extra = tables["claims"].iloc[[0]].assign(claim_id="new-claim")
    more = dict(tables, claims=pd.concat([tables["claims"], extra], ignore_index=True))
    v = verdicts(more)["new-claim"]
    assert (v.verdict, v.finding, v.evidence) == (NOT_CHECKABLE, "No rule in the project checks this claim yet.", [])


def test_claim_numbers_as_the_article_says_them(tables):
    c = tables["claims"].set_index("claim_id")
    assert [claims.said(c.loc[k]) for k in ("arrival-june", "under-a-quarter", "q1-killed", "half-children", "kenya-pledge")] == [
        "at least 200", "fewer than 25%", "around 2,500", "more than 50%", "1,000"]
    assert claims.close_to(105, 100) and not claims.close_to(105.1, 100) and not claims.close_to(0, 0)
    assert claims.close_to(95, 100) and not claims.close_to(1, -1)
    day, month, year = pd.Timestamp("2023-10-02"), pd.Timestamp("2023-10-31"), pd.Timestamp("2024-10-02")
    assert claims.same_period(day, month, "month") and not claims.same_period(day, year, "month")
    assert claims.same_period(day, pd.Timestamp("2023-01-01"), "year") and not claims.same_period(day, year, "year")
    assert claims.same_period(day, pd.Timestamp("2023-10-02 15:00"), "day") and not claims.same_period(day, month, "day")


# ================================================================ evidence, boundaries and French
# The article is of 22 September 2024; its 8 weeks end on 17 November 2024 (56 days later).

NBSP, NNBSP = "\xa0", "\u202f"  # French typography: before ':' and '%'; in numbers and before ';'


def verdict(tables, claim_id, as_of="2026-03-21", planned=2500, language=None):
    return verdicts(tables, as_of, planned, language)[claim_id]


def labels(v) -> list[tuple[str, str]]:
    return [(e.label, e.value) for e in v.evidence]


# ---------------------------------------------------------------- every branch shows its evidence

def test_arrival_june_evidence_in_every_branch(tables):
    flight = ("Kenyan police arriving on 25 June 2024", "200")
    by_july = ("Kenyan arrivals by 26 July 2024", "400")  # 200 on 25 June + 200 on 16 July
    other = ("the same flight as other outlets report it (outlets without a link in the data; the source cited is the "
             "row's own)", "400")
    more = verdict(with_cell(tables, "claims", "claim_id", "arrival-june", "stated_number", 201), "arrival-june")
    assert (more.verdict, labels(more)) == (NOT_SUPPORTED, [flight, other, by_july])
    agreed = verdict(with_cell(tables, "arrivals", "movement_id", "2024-06-25-kenya", "personnel_alt", pd.NA), "arrival-june")
    assert (agreed.verdict, labels(agreed)) == (SUPPORTED, [flight, by_july])
    linked = with_cell(tables, "arrivals", "movement_id", "2024-06-25-kenya", "alt_source_id", "kbc-swahili-ruto-haiti")
    assert verdict(linked, "arrival-june").evidence[1].row_ids == ("arrivals:2024-06-25-kenya",)


def test_kenya_pledge_evidence_in_every_branch(tables):
    pledge = ("Kenya's pledge", "1,000")
    by_article = ("Kenyan arrivals net of departures by 22 September 2024", "400")
    by_latest = ("Kenyan arrivals net of departures by 21 March 2026", "761")  # 200+200+217+144+230-230
    other = verdict(with_cell(tables, "claims", "claim_id", "kenya-pledge", "stated_number", 1200), "kenya-pledge")
    assert (other.verdict, labels(other)) == (MISSTATED, [pledge, by_article, by_latest])
    ranged = verdict(with_cell(tables, "pledges", "pledge_id", "mss-2023-kenya", "personnel_low", 800), "kenya-pledge")
    assert labels(ranged)[0] == ("Kenya's pledge", "800\u20131,000")
    yearly = with_cell(tables, "claims", "claim_id", "kenya-pledge", "stated_date_precision", "year")
    supported = verdict(yearly, "kenya-pledge", "2024-09-22")
    assert (supported.verdict, labels(supported)) == (SUPPORTED, [pledge, by_article])


def test_a_pledge_dated_to_the_month_is_precise_enough_for_a_claim_dated_to_the_year(tables):
    # the data dates the pledge to January 2023 (month), the claim says "2023" (year): the pledge is dated as said
    monthly = with_cell(tables, "pledges", "pledge_id", "mss-2023-kenya", "date_precision", "month")
    monthly = with_cell(monthly, "claims", "claim_id", "kenya-pledge", "stated_date_precision", "year")
    v = verdict(monthly, "kenya-pledge", "2024-09-22")
    assert (v.verdict, v.finding) == (SUPPORTED, "Kenya pledged 1,000 police; 400 (40%) had arrived by the article's date.")


def test_additional_600_evidence_in_every_branch(tables):
    early = with_cell(tables, "arrivals", "movement_id", "2025-01-18-kenya", "date", pd.Timestamp("2024-11-17"))
    v = verdict(with_cell(early, "claims", "claim_id", "additional-600", "stated_number", 217), "additional-600")
    assert (v.verdict, labels(v)) == (SUPPORTED, [("Kenyan arrival on 17 November 2024", "217"),
                                                  ("Kenyan arrival on 6 February 2025", "144"),
                                                  ("Kenyan arrival on 8 December 2025", "230")])
    # 217 arrive on 1 October 2024, fewer than 600; on 1 November the 8 weeks have not passed
    october = with_cell(tables, "arrivals", "movement_id", "2025-01-18-kenya", "date", pd.Timestamp("2024-10-01"))
    v = verdict(october, "additional-600", "2024-11-01")
    assert (v.verdict, v.finding, labels(v)) == (
        NOT_CHECKABLE, "On 1 November 2024 the 8 weeks had not yet passed.", [("Kenyan arrival on 1 October 2024", "217")])


def test_an_arrival_on_the_articles_own_day_is_not_one_of_the_600(tables):
    # the claim is of contingents still to come: 217 landing on 22 September 2024 itself do not count. The next,
    # 144 on 6 February 2025, came 137 days (19.6 weeks) after the article
    same_day = with_cell(tables, "arrivals", "movement_id", "2025-01-18-kenya", "date", pd.Timestamp("2024-09-22"))
    same_day = with_cell(same_day, "claims", "claim_id", "additional-600", "stated_number", 217)
    v = verdict(same_day, "additional-600")
    assert (v.verdict, v.finding) == (NOT_SUPPORTED, (
        "No Kenyan contingent arrived within 8 weeks; the next came 20 weeks later (6 February 2025), and the MSS's "
        "later Kenyan contingents added 144, not 217."))
    assert labels(v) == [("Kenyan arrival on 6 February 2025", "144"), ("Kenyan arrival on 8 December 2025", "230")]


def test_authorization_evidence_in_every_branch(tables):
    november = with_cell(tables, "claims", "claim_id", "authorized-oct-2023", "stated_date", pd.Timestamp("2023-11-01"))
    v = verdict(november, "authorized-oct-2023")
    assert (v.verdict, labels(v)) == (MISSTATED, [("S/RES/2699 (2023)", "adopted 2 October 2023, 13 in favour, 2 abstentions")])
    one_abstention = verdict(with_cell(tables, "un_decisions", "decision_id", "res-2699", "abstentions", 1), "authorized-oct-2023")
    assert labels(one_abstention) == [("S/RES/2699 (2023)", "adopted 2 October 2023, 13 in favour, 1 abstention")]


def test_under_a_quarter_when_the_figures_are_a_range(tables):
    # the expert on 11 October 2024: reports of 410 (30 September) and 430 (11 October). Of 2,500: 16.4%-17.2%;
    # of 1,500: 27.3%-28.7%, and on 21 March 2026 1,000-1,200 of 1,500 are 66.7%-80.0%
    later = with_cell(tables, "expert_statements", "statement_id", "oneill-2024-09-20-quarter", "date", pd.Timestamp("2024-10-11"))
    v = verdict(later, "under-a-quarter")
    assert (v.verdict, v.finding) == (SUPPORTED, "410\u2013430 of 2,500 planned were deployed on 11 October 2024: "
                                                 "16.4%\u201317.2%. On 21 March 2026 the share was 40.0%\u201348.0%.")
    assert labels(v)[2] == ("share of the plan deployed", "16.4%\u201317.2%")
    v = verdict(later, "under-a-quarter", planned=1500)
    assert (v.verdict, v.finding) == (NOT_SUPPORTED, "27.3%\u201328.7% were deployed on 11 October 2024. On 21 March 2026 "
                                                     "the share was 66.7%\u201380.0%.")
    assert labels(verdict(later, "under-a-quarter", planned=1700))[2] == ("share of the plan deployed", "24.1%\u201325.3%")


def test_the_experts_words_are_marked_as_english(tables):
    quote = verdict(tables, "under-a-quarter").evidence[3]
    assert (quote.value, quote.quoted) == ("\u201cless than a quarter of promised troops have deployed\u201d", "en")
    assert [e.quoted for e in verdict(tables, "under-a-quarter").evidence[:3]] == [None, None, None]


def test_q1_killed_evidence_in_every_branch(tables):
    killed = verdict(with_cell(tables, "violence", "figure_id", "binuh-2024-q1", "killed", 2381), "q1-killed")
    assert (killed.verdict, labels(killed)) == (SUPPORTED, [("killed, 2024-Q1 (BINUH)", "2,381"),
                                                            ("injured, 2024-Q1 (BINUH)", "845"),
                                                            ("killed or injured, 2024-Q1", "2,505")])
    neither = verdict(with_cell(tables, "claims", "claim_id", "q1-killed", "stated_number", 2000), "q1-killed")
    assert (neither.verdict, labels(neither)) == (NOT_SUPPORTED, [("killed, 2024-Q1 (BINUH)", "1,660"),
                                                                  ("injured, 2024-Q1 (BINUH)", "845"),
                                                                  ("killed or injured, 2024-Q1", "2,505")])


def test_displaced_evidence_and_boundaries(tables):
    quiet = verdict(without(tables, "expert_statements", "statement_id", "oneill-2024-09-20-idps"), "displaced-580k")
    assert (quiet.verdict, labels(quiet)) == (SUPPORTED, [("IOM DTM Round 7 (31 May 2024)", "578,074"), (
        "IOM DTM Round 8, published 2 October 2024, after the article", "702,973")])
    # a statement made on the article's own day was known to its writer
    same_day = with_cell(tables, "expert_statements", "statement_id", "oneill-2024-09-20-idps", "date", pd.Timestamp("2024-09-22"))
    v = verdict(same_day, "displaced-580k")
    assert (v.verdict, labels(v)[-1]) == (CAVEAT, ("William O'Neill (UN rights expert), 22 September 2024", "about 700,000"))
    # out of date means more than 10% higher: 638,000 is exactly 10% above 580,000, 638,001 is more
    round_580k = with_cell(tables, "dtm_rounds", "round_id", "dtm-r07", "idps", 580_000)
    at_gap = with_cell(round_580k, "expert_statements", "statement_id", "oneill-2024-09-20-idps", "idps_stated", 638_000)
    assert (verdict(at_gap, "displaced-580k").verdict, verdict(at_gap, "displaced-580k").finding) == (
        SUPPORTED, "Round 7 counted 580,000.")
    past_gap = with_cell(round_580k, "expert_statements", "statement_id", "oneill-2024-09-20-idps", "idps_stated", 638_001)
    assert verdict(past_gap, "displaced-580k").verdict == CAVEAT


def test_half_children_evidence_in_every_branch(tables):
    shares = [("children's share, Round 5.1", "55%"), ("children's share, Round 8", "52%"),
              ("children's share, Round 9", "more than 50%")]
    # no round published by the article's date: nothing to check, but the shares the data states are shown
    unpublished = verdict(with_cell(tables, "dtm_rounds", "round_id", None, "published", pd.Timestamp("2024-12-31")), "half-children")
    assert (unpublished.verdict, labels(unpublished)) == (NOT_CHECKABLE, shares)
    stated = verdict(with_cell(tables, "dtm_rounds", "round_id", "dtm-r07", "children_share", 0.51), "half-children")
    assert (stated.verdict, labels(stated)) == (SUPPORTED, shares[:1] + [("children's share, Round 7", "51%")] + shares[1:])
    low = verdict(with_cell(tables, "dtm_rounds", "round_id", "dtm-r08", "children_share", 0.5), "half-children")
    assert (low.verdict, labels(low)) == (NOT_SUPPORTED, [shares[0], ("children's share, Round 8", "50%"), shares[2]])
    counted = with_cell(tables, "dtm_rounds", "round_id", "dtm-r08", "children_count", 365_546)
    counted = with_cell(counted, "dtm_rounds", "round_id", "dtm-r08", "idps_qualifier", "about")
    extra = verdict(counted, "half-children").evidence[-1]
    assert (extra.label, extra.value, extra.source_ids) == (
        "children counted, Round 8", "365,546 of about 702,973", ("acaps-reliefweb-2024-10-03",))


def test_mandate_renewal_evidence_and_boundaries(tables):
    short = verdict(with_cell(tables, "claims", "claim_id", "mandate-renewal", "stated_number", 10.9), "mandate-renewal")
    assert (short.verdict, labels(short)) == (
        NOT_SUPPORTED, [("S/RES/2751 (2024)", "adopted 30 September 2024; mandate to 2 October 2025")])
    # a renewal must come after the article: one adopted on its own day is no renewal the article could foresee
    same_day = with_cell(tables, "un_decisions", "decision_id", "res-2751", "date", pd.Timestamp("2024-09-22"))
    assert (verdict(same_day, "mandate-renewal").verdict, verdict(same_day, "mandate-renewal").finding) == (
        NOT_CHECKABLE, "No renewal after the article is in the data.")
    # to 30 January 2026 is 487 days, 16 months of 30.4375 days: a stated 15 months is one month off, still "within a month"
    sixteen = with_cell(tables, "un_decisions", "decision_id", "res-2751", "mandate_end", pd.Timestamp("2026-01-30"))
    v = verdict(with_cell(sixteen, "claims", "claim_id", "mandate-renewal", "stated_number", 15), "mandate-renewal")
    assert (v.verdict, v.finding) == (SUPPORTED, "S/RES/2751 (2024) renewed the mission on 30 September 2024, to 30 January 2026.")
    v = verdict(with_cell(sixteen, "claims", "claim_id", "mandate-renewal", "stated_number", 14.9), "mandate-renewal")
    assert v.verdict == NOT_SUPPORTED


def test_peacekeeping_evidence_and_how_decisions_are_read(tables):
    documents = ["SG letter of 24 Feb 2025", "S/RES/2793 (2025)"]
    created = with_cell(tables, "un_decisions", "decision_id", "sg-letter-2025-02-24", "decision", "Creates a UN peacekeeping operation")
    v = verdict(created, "peacekeeping-2025")
    assert (v.verdict, [e.label for e in v.evidence]) == (SUPPORTED, documents)
    no_gsf = verdict(with_cell(tables, "un_decisions", "decision_id", "res-2793", "mission", "MSS"), "peacekeeping-2025")
    assert (no_gsf.verdict, [e.label for e in no_gsf.evidence]) == (NOT_SUPPORTED, documents)
    # the decision's words are read whatever their case
    capitals = with_cell(tables, "un_decisions", "decision_id", "sg-letter-2025-02-24", "decision", "Creates a UN Peacekeeping Operation")
    assert verdict(capitals, "peacekeeping-2025").finding == "SG letter of 24 Feb 2025 created a peacekeeping operation."
    refused = with_cell(tables, "un_decisions", "decision_id", "sg-letter-2025-02-24", "decision",
                        "A peacekeeping operation: Not a feasible option")
    assert verdict(refused, "peacekeeping-2025").finding == (
        "S/RES/2793 (2025) turned the MSS into a Gang Suppression Force on 30 September 2025, not a UN peacekeeping operation.")


def test_before_the_article_every_claim_names_the_articles_date(tables):
    found = claims.check_claims(tables, 2500, "2024-09-01")
    assert {(v.verdict, tuple((e.label, e.value, e.source_ids, e.row_ids) for e in v.evidence)) for v in found} == {
        (NOT_CHECKABLE, (("the article's date", "22 September 2024", ("article-2024-09-22",), (f"claims:{v.claim_id}",)),))
        for v in found}
    assert [v.claim_id for v in found][:2] == ["arrival-june", "kenya-pledge"]


# ---------------------------------------------------------------- in French

def test_findings_in_french_use_french_numbers_names_and_quotes(tables):
    v = verdicts(tables, language="fr")
    assert v["q1-killed"].finding == (f"Environ 2{NNBSP}500, c\u2019est le nombre de tu\xe9s ou bless\xe9s (2{NNBSP}505){NNBSP}; "
                                      f"1{NNBSP}660 personnes ont \xe9t\xe9 tu\xe9es et 845 bless\xe9es.")
    assert v["displaced-580k"].finding.startswith(f"580{NNBSP}000 correspond au Round 7 (578{NNBSP}074)")
    assert labels(v["displaced-580k"])[-1] == (
        "William O\u2019Neill, expert de l\u2019ONU pour les droits humains, 20 septembre 2024", f"environ 700{NNBSP}000")
    quote = v["under-a-quarter"].evidence[3]
    assert (quote.label, quote.value, quote.quoted) == (
        "William O\u2019Neill, expert de l\u2019ONU pour les droits humains, 20 septembre 2024",
        f"\xab{NBSP}less than a quarter of promised troops have deployed{NBSP}\xbb", "en")
    letter = v["peacekeeping-2025"].evidence[0]
    assert letter.label == "Lettre du Secr\xe9taire g\xe9n\xe9ral du 24 f\xe9vrier 2025"
    assert letter.value.startswith("Le Secr\xe9taire g\xe9n\xe9ral juge que transformer la MMAS en op\xe9ration")
    # the verdicts are the same words in every language
    assert [x.verdict for x in v.values()] == [x.verdict for x in verdicts(tables).values()]


def test_french_document_names_are_used_where_the_data_has_them(tables):
    named = tables
    for decision_id, name in [("res-2699", "R\xe9solution 2699 (2023)"), ("res-2751", "R\xe9solution 2751 (2024)"),
                              ("res-2793", "R\xe9solution 2793 (2025)")]:
        named = with_cell(named, "un_decisions", "decision_id", decision_id, "document_fr", name)
    v = verdicts(named, language="fr")
    assert v["authorized-oct-2023"].finding == "R\xe9solution 2699 (2023) a autoris\xe9 la MMAS le 2 octobre 2023."
    assert v["authorized-oct-2023"].evidence[0].label == "R\xe9solution 2699 (2023)"
    assert v["mandate-renewal"].finding == "R\xe9solution 2751 (2024) a renouvel\xe9 la mission le 30 septembre 2024, jusqu\u2019au 2 octobre 2025."
    assert v["peacekeeping-2025"].finding.startswith("R\xe9solution 2793 (2025) a transform\xe9 la MMAS")
    created = with_cell(tables, "un_decisions", "decision_id", "sg-letter-2025-02-24", "decision", "Creates a UN peacekeeping operation")
    assert verdict(created, "peacekeeping-2025", language="fr").finding == (
        "Lettre du Secr\xe9taire g\xe9n\xe9ral du 24 f\xe9vrier 2025 a cr\xe9\xe9 une op\xe9ration de maintien de la paix.")


def test_before_the_article_in_french(tables):
    found = claims.check_claims(tables, 2500, "2024-09-01", "fr")
    assert found[0].finding == (f"L\u2019article a \xe9t\xe9 publi\xe9 le 22 septembre 2024{NNBSP}; au 1er septembre 2024, date de "
                                "ce rapport, il n\u2019existait pas encore.")
    assert labels(found[0]) == [("date de l\u2019article", "22 septembre 2024")]
