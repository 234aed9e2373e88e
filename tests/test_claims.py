"""The claims of the September 2024 article: checked only from its date on, every evidence item sourced."""

import json
from datetime import date

import pandas as pd
import pytest

from haiti_mss import claims, paths
from haiti_mss.evidence import Evidence

from datafixtures import tables  # noqa: F401  (fixture)

ARTICLE = "article-2024-09-22"  # data/sources.csv: published 2024-09-22


def verdicts(tables, as_of, planned=2500):
    return {v.claim_id: v for v in claims.check_claims(tables, planned, as_of)}


def primary_keys() -> dict[str, str]:
    descriptor = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: r["schema"]["primaryKey"][0] for r in descriptor["resources"]}


def test_the_article_is_dated_22_september_2024(tables):
    assert claims.article_date(tables["claims"], tables["sources"]) == pd.Timestamp("2024-09-22")


@pytest.mark.parametrize("as_of", ["2023-01-01", "2023-12-01", "2024-09-20", "2024-09-21"])
def test_before_the_article_every_claim_is_not_checkable(tables, as_of):
    v = verdicts(tables, as_of)
    assert set(v) == set(tables["claims"]["claim_id"])
    day = pd.Timestamp(as_of)
    for verdict in v.values():
        assert verdict.verdict == claims.NOT_CHECKABLE
        assert verdict.finding == (f"The article was published on 22 September 2024; on {day.day} {day.strftime('%B %Y')}, "
                                   "this report's date, it did not exist yet.")
        assert [(e.value, e.source_ids) for e in verdict.evidence] == [("22 September 2024", (ARTICLE,))]


def test_on_the_article_date_the_claims_are_checked_with_what_was_known(tables):
    v = verdicts(tables, "2024-09-22")
    assert {k: x.verdict for k, x in v.items()} == {
        "arrival-june": claims.CAVEAT,  # 200 (Kenyan police) against 400 elsewhere
        "kenya-pledge": claims.CAVEAT,  # 1,000 pledged, dated only to 2023
        "additional-600": claims.NOT_CHECKABLE,  # the 8 weeks end on 17 November 2024
        "authorized-oct-2023": claims.SUPPORTED,  # resolution 2699, 2 October 2023
        "under-a-quarter": claims.SUPPORTED,  # 426 / 2,500 = 17.0% on 20 September
        "q1-killed": claims.MISSTATED,  # 1,660 killed + 845 injured = 2,505
        "displaced-580k": claims.CAVEAT,  # Round 7: 578,074; the expert: about 700,000
        "half-children": claims.CAVEAT,  # Round 7 states no share; December 2023: more than 50%
        "mandate-renewal": claims.NOT_CHECKABLE,  # resolution 2751 came on 30 September
        "peacekeeping-2025": claims.NOT_CHECKABLE,  # no 2025 decision yet
    }
    assert v["under-a-quarter"].finding == ("426 of 2,500 planned were deployed on 20 September 2024: 17.0%. "
                                            "On 22 September 2024 the share was still 17.0%.")
    # The figure on the day of the report: one line, not a repeat of the article's date
    assert [e.label for e in v["kenya-pledge"].evidence] == ["Kenya's pledge", "Kenyan arrivals net of departures by 22 September 2024"]


@pytest.mark.parametrize("as_of", ["2024-09-22", "2024-11-17", "2025-06-30", "2026-03-21", date.today().isoformat()])
def test_every_evidence_item_names_sources_and_rows_that_exist(tables, as_of):
    known_sources = set(tables["sources"]["source_id"])
    keys = primary_keys()
    for verdict in verdicts(tables, as_of).values():
        for e in verdict.evidence:
            assert e.source_ids, (verdict.claim_id, e.label)
            assert set(e.source_ids) <= known_sources, (verdict.claim_id, e.label)
            assert e.row_ids, (verdict.claim_id, e.label)
            for row in e.row_ids:
                table, key = row.split(":", 1)
                assert key in set(tables[table][keys[table]]), row


def test_computed_evidence_names_the_rows_it_was_computed_from(tables):
    v = verdicts(tables, "2026-03-21")
    arrival = {e.label: e for e in v["arrival-june"].evidence}
    summed = arrival["Kenyan arrivals by 26 July 2024"]
    assert summed.value == "400"  # 200 (25 June) + 200 (16 July)
    assert summed.row_ids == ("arrivals:2024-06-25-kenya", "arrivals:2024-07-16-kenya")
    assert summed.source_ids == ("kenyanpost-2024-07-08", "kbc-swahili-ruto-haiti")
    # The 400 of other outlets has no linked source in the data: the row's own source is named, and the label says so
    other = next(e for e in v["arrival-june"].evidence if e.label.startswith("the same flight"))
    assert (other.value, other.source_ids, other.row_ids) == ("400", ("kenyanpost-2024-07-08",), ("arrivals:2024-06-25-kenya",))
    assert "without a link" in other.label
    quarter = {e.label: e for e in v["under-a-quarter"].evidence}
    deployed = quarter["deployed on 20 September 2024 (arrivals net of departures)"]
    assert deployed.value == "426"  # 200 + 200 + 24 + 2
    assert deployed.row_ids == ("arrivals:2024-06-25-kenya", "arrivals:2024-07-16-kenya",
                                "arrivals:2024-09-12-jamaica", "arrivals:2024-09-12-belize")
    plan = quarter["planned strength (report parameter, as in the sources cited)"]
    assert plan.row_ids == ("plans:mss-planned-2500-ap", "plans:mss-planned-2500-xinhua", "plans:mss-planned-2500-scr")
    share = quarter["share of the plan deployed"]
    assert share.value == "17.0%"  # 426 / 2,500
    assert set(share.row_ids) == set(deployed.row_ids) | set(plan.row_ids)
    kenya_now = {e.label: e for e in v["kenya-pledge"].evidence}["Kenyan arrivals net of departures by 21 March 2026"]
    assert kenya_now.value == "761"  # 200 + 200 + 217 + 144 + 230 - 230
    assert kenya_now.row_ids[-1] == "arrivals:2025-12-09-kenya"  # the departure counts too


def test_a_plan_of_the_readers_own_has_no_source(tables):
    v = verdicts(tables, "2026-03-21", planned=1600)
    plan = next(e for e in v["under-a-quarter"].evidence if e.label.startswith("planned strength"))
    assert (plan.label, plan.value, plan.source_ids) == ("planned strength (report parameter, set for this report)", "1,600", ())


def test_evidence_keeps_a_single_source_id_for_older_callers():
    e = Evidence("x", "1", ["a", None, "b", "a"], ["t:1"])
    assert (e.source_ids, e.source_id) == (("a", "b"), "a")
    assert Evidence("x", "1", "a").source_ids == ("a",)
    assert Evidence("x", "1", None).source_id is None
    assert Evidence("x", "1", "a").as_dict() == {"label": "x", "value": "1", "source_id": "a", "source_ids": ["a"], "row_ids": []}
