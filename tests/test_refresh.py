"""`haiti-report update-data dtm` against replayed real DTM API responses (responses, no network, no key).

The replayed files are IOM's real answers (tests/fixtures/dtm-api/, Rounds 9 and 10). A "new round" is a
copy of Round 10 relabelled as Round 11 or 12 with a few slices raised; its figures are worked out by
hand below. Every test runs on a copy of data/ and checks, byte for byte, what was or was not written.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import requests
import responses
from responses import matchers

from haiti_mss import build, cli, data, data_update, departments, dtm_api, dtm_refresh, manifest, paths

FIXTURES = Path(__file__).parent / "fixtures" / "dtm-api"
ENDPOINTS = {"admin0": "https://dtmapi.iom.int/v3/displacement/admin0",
             "admin1": "https://dtmapi.iom.int/v3/displacement/admin1"}
KEY = "test-key-not-real"
TODAY = date.today().isoformat()
DTM_FILES = ["datapackage.json", "dtm_departments.csv", "dtm_origins.csv", "dtm_rounds.csv", "sources.csv"]

# Round 10 as the API gives it: 1,287,593 IDPs; Centre (HT06) 147,230, Artibonite (HT05) 92,304, Ouest (HT01) 413,216.
CENTRE = ("HT06", "HT06", "Conflict", 52_028)        # 147,230 + 52,028 = 199,258
ARTIBONITE = ("HT05", "HT05", "Conflict", 29_592)    # 92,304 + 29,592 = 121,896
OUEST = ("HT01", "HT01", "Conflict", 42_986)         # 413,216 + 42,986 = 456,202


def envelope(level: str) -> dict:
    return json.loads((FIXTURES / f"displacement-{level}-HTI-trimmed.json").read_text(encoding="utf-8"))


def relabelled(level: str, number: int, reporting: str, *bumps, admin0_too: bool = True) -> dict:
    """Round 10's baseline rows relabelled as round `number`; each bump adds people to one slice
    (department, origin, reason) at admin1 and, unless admin0_too is False, to the same origin x reason at admin0."""
    doc = envelope(level)
    rows = [dict(r, roundNumber=number, reportingDate=reporting) for r in doc["result"]
            if r["operation"] == "Countrywide monitoring" and r["roundNumber"] == 10 and r["assessmentType"] == "BA"]
    for pcode, origin, reason, delta in bumps:
        if level == "admin0" and not admin0_too:
            continue
        row = next(r for r in rows if r["idpOriginAdmin1Pcode"] == origin and r["displacementReason"] == reason
                   and r.get("admin1Pcode", pcode) == pcode)
        row["numPresentIdpInd"] += delta
        row["numberFemales"] += delta
    doc["result"], doc["totalRecordsCount"] = rows, len(rows)
    return doc


def empty_result() -> dict:
    return {"result": [], "statusCode": 200, "isSuccess": True, "errorMessages": [], "totalRecordsCount": 0}


def serve(rsps, level: str, from_round: int = 11, **answer) -> None:
    rsps.get(ENDPOINTS[level], match=[
        matchers.query_param_matcher({"Operation": "Countrywide monitoring", "Admin0Pcode": "HTI",
                                      "FromRoundNumber": str(from_round)}),
        matchers.header_matcher({"Ocp-Apim-Subscription-Key": KEY}),
    ], **answer)


@pytest.fixture
def rsps(monkeypatch):
    monkeypatch.setenv(dtm_api.KEY_ENV, KEY)
    monkeypatch.setattr(dtm_api, "RETRY_DELAY", 0)   # dtmapi's own retry_delay: back-off without sleeping
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def folder(tmp_path) -> Path:
    import shutil

    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


def run(capsys, folder: Path, *extra):
    code = cli.main(["update-data", "dtm", "--data-dir", str(folder), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def serve_round_12(rsps):
    for level in ("admin0", "admin1"):
        serve(rsps, level, json=relabelled(level, 12, "2025-12-31T00:00:00", CENTRE, ARTIBONITE))


# ---------------------------------------------------------------- a new round arrives

ROUND_12_LINES = [
    "DTM API, Countrywide monitoring, Haiti: rounds from 11 on (data/ has IOM's department figures up to Round 10)",
    # 1,287,593 + 52,028 + 29,592 = 1,369,213; against Round 11 (1,412,199): -42,986, -42,986 / 1,412,199 = -3.0%
    "Round 12 (new; IOM's reporting date 2025-12-31): 1,369,213 IDPs in 10 departments, -42,986 (-3.0%) on "
    "Round 11 (1,412,199)",
    "  largest department changes, Round 12 against Round 10: Centre +52,028 (147,230 → 199,258); "
    "Artibonite +29,592 (92,304 → 121,896)",
]


def test_dry_run_prints_the_new_round_and_writes_nothing(rsps, folder, capsys):
    serve_round_12(rsps)
    before = snapshot(folder)
    code, out, err = run(capsys, folder, "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines() == ROUND_12_LINES + [
        "dry run: nothing written (the update would append dtm_rounds.csv +1, dtm_departments.csv +10, "
        "dtm_origins.csv +27, sources.csv +2)"]
    assert snapshot(folder) == before


def test_a_new_round_is_appended_validated_and_seen_by_the_analysis(rsps, folder, capsys):
    serve_round_12(rsps)
    before = snapshot(folder)
    code, out, err = run(capsys, folder)
    assert (code, err) == (0, "")
    assert out.splitlines() == ROUND_12_LINES + [
        "appended dtm_rounds.csv +1, dtm_departments.csv +10, dtm_origins.csv +27, sources.csv +2; "
        "hashes refreshed in datapackage.json; data/ validates"]
    after = snapshot(folder)
    assert sorted(k for k in after if after[k] != before.get(k)) == DTM_FILES
    for name in DTM_FILES[1:]:
        assert after[name].startswith(before[name])          # existing rows untouched, new ones appended
    tables = data.load_tables(None, folder)                    # the whole package validates, hashes included
    rounds = tables["dtm_rounds"].set_index("round_id")
    r12 = rounds.loc["dtm-r12"]
    assert (r12["round_label"], r12["round_number"], r12["idps"]) == ("Round 12", 12, 1_369_213)
    assert r12["reference_date"].date().isoformat() == TODAY    # known from the day it was retrieved
    assert r12["reporting_date"].date().isoformat() == "2025-12-31"
    assert (r12["departments_covered"], r12["coverage"]) == (10, "All ten departments")
    assert r12["source_id"] == f"dtm-api-v3-admin0-hti-{TODAY}"
    dep = tables["dtm_departments"].query("round_id == 'dtm-r12'").set_index("adm1_pcode")
    assert dep.loc["HT06", "idps"] == 199_258 and dep.loc["HT05", "idps"] == 121_896
    assert dep.loc["HT06", "females"] == 80_700 + 4_686 + 52_028     # Round 10's two Centre rows, one raised
    assert dep["idps"].sum() == 1_369_213
    # The analysis picks the new round as the latest by department from the day it was retrieved on.
    latest = departments.latest_department_round(tables["dtm_rounds"], tables["dtm_departments"], TODAY)
    assert latest.round_id == "dtm-r12"
    sources = tables["sources"].set_index("source_id")
    assert sources.loc[f"dtm-api-v3-admin1-hti-{TODAY}", "url"] == rsps.calls[1].request.url == (
        "https://dtmapi.iom.int/v3/displacement/admin1?Operation=Countrywide+monitoring&Admin0Pcode=HTI"
        "&FromRoundNumber=11")
    assert "Source: International Organization for Migration (IOM), Displacement Tracking Matrix (DTM)" in \
        sources.loc[f"dtm-api-v3-admin1-hti-{TODAY}", "note"]

    # The next refresh asks from Round 13; nothing new: "up to date", exit 0, no file touched.
    for level in ("admin0", "admin1"):
        serve(rsps, level, from_round=13, json=empty_result())
    stamps = {p: p.stat().st_mtime_ns for p in folder.iterdir()}
    code, out, err = run(capsys, folder)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "up to date: the DTM API has no Countrywide monitoring round to add after Round 12"
    assert snapshot(folder) == after and {p: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps


def test_rows_follow_the_data_layers_conventions_exactly():
    """Summing the real responses reproduces the curated Round 9 and 10 rows of data/ byte for byte."""
    rounds: dict = {}
    for level in ("admin0", "admin1"):
        dtm_api.baseline(level, envelope(level)["result"], rounds)
    assert sorted(rounds) == [9, 10]                          # SA rows and Hurricane Matthew are left out
    assert (rounds[10].total, rounds[9].total) == (1_287_593, 1_041_229)
    for number in (9, 10):
        for table, make in (("dtm_departments", dtm_refresh.department_rows), ("dtm_origins", dtm_refresh.origin_rows)):
            path = paths.DATA_DIR / f"{table}.csv"
            rows = make(rounds[number], f"dtm-r{number:02d}", "dtm-api-v3-admin1-hti")
            written = data_update.appended(path, rows)[path.stat().st_size:].decode().splitlines()
            curated = [line for line in path.read_text(encoding="utf-8").splitlines()
                       if line.startswith(f"dtm-r{number:02d},")]
            assert written == curated


def test_the_recorded_responses_agree_with_data_so_it_is_up_to_date(rsps, folder, capsys):
    for level in ("admin0", "admin1"):                       # the real answers: Rounds 9, 10 and ignored rows
        serve(rsps, level, json=envelope(level))
    before = snapshot(folder)
    code, out, err = run(capsys, folder)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "up to date: the DTM API has no Countrywide monitoring round to add after Round 10"
    assert "reported" not in out and snapshot(folder) == before


def test_an_api_figure_that_differs_from_a_curated_row_is_reported_not_written(rsps, folder, capsys):
    for level in ("admin0", "admin1"):
        doc = envelope(level)
        row = next(r for r in doc["result"] if r["roundNumber"] == 10 and r["assessmentType"] == "BA"
                   and r.get("admin1Pcode", "HT01") == "HT01" and r["idpOriginAdmin1Pcode"] == "HT01"
                   and r["displacementReason"] == "Conflict")
        row["numPresentIdpInd"] += 1
        serve(rsps, level, json=doc)
    before = snapshot(folder)
    code, out, err = run(capsys, folder)
    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        "reported, not written: Round 10: the DTM API gives 1,287,594 IDPs, data/dtm_rounds.csv (dtm-r10) "
        "1,287,593; the curated figure is kept",
        "reported, not written: Round 10, Ouest: the DTM API gives 413,217, data/dtm_departments.csv 413,216; "
        "the curated figure is kept",
        "up to date: the DTM API has no Countrywide monitoring round to add after Round 10"]
    assert snapshot(folder) == before


def test_round_11_departments_join_the_curated_round_when_the_totals_agree(rsps, folder, capsys):
    # 1,287,593 + 52,028 + 29,592 + 42,986 = 1,412,199: IOM's Round 11 total, already in data/ from HDX.
    for level in ("admin0", "admin1"):
        serve(rsps, level, json=relabelled(level, 11, "2025-09-30T00:00:00", CENTRE, ARTIBONITE, OUEST))
    before = snapshot(folder)
    code, out, err = run(capsys, folder)
    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        "Round 11: IOM's department figures added (10 departments, 1,412,199 IDPs, the national total data/ "
        "already has for dtm-r11, whose row is kept as it is)",
        "  largest department changes, Round 11 against Round 10: Centre +52,028 (147,230 → 199,258); "
        "Ouest +42,986 (413,216 → 456,202); Artibonite +29,592 (92,304 → 121,896)",
        "appended dtm_departments.csv +10, dtm_origins.csv +27, sources.csv +1; hashes refreshed in "
        "datapackage.json; data/ validates"]
    after = snapshot(folder)
    assert after["dtm_rounds.csv"] == before["dtm_rounds.csv"]
    tables = data.load_tables(None, folder)
    assert tables["dtm_departments"].query("round_id == 'dtm-r11'")["idps"].sum() == 1_412_199


def test_round_11_with_another_total_is_refused(rsps, folder, capsys):
    for level in ("admin0", "admin1"):                        # 1,287,593 + 52,028 = 1,339,621
        serve(rsps, level, json=relabelled(level, 11, "2025-09-30T00:00:00", CENTRE))
    before = snapshot(folder)
    code, out, err = run(capsys, folder)
    assert (code, out) == (1, "")
    assert err == ("error: Round 11: the DTM API gives 1,339,621 IDPs but data/dtm_rounds.csv (dtm-r11, source "
                   "hdx-dtm-r11) has 1,412,199; a curated row is never overwritten and department rows must sum "
                   "to it, so the update was refused and nothing was changed: reconcile the two figures by hand\n")
    assert snapshot(folder) == before


# ---------------------------------------------------------------- bad cases: one line, exit 1, data/ untouched

def _not_json(rsps):
    serve(rsps, "admin0", body='{"result": [', content_type="application/json")


def _not_envelope(rsps):
    serve(rsps, "admin0", json=[{"roundNumber": 12}])


def _missing_column(rsps):
    serve(rsps, "admin0", json=relabelled("admin0", 12, "2025-12-31T00:00:00"))
    doc = relabelled("admin1", 12, "2025-12-31T00:00:00")
    for row in doc["result"]:
        del row["numPresentIdpInd"]
    serve(rsps, "admin1", json=doc)


def _sums_disagree(rsps):
    for level in ("admin0", "admin1"):                        # admin1 raised by 52,028, admin0 not
        serve(rsps, level, json=relabelled(level, 12, "2025-12-31T00:00:00", CENTRE, admin0_too=False))


def _bad_count(rsps):
    doc = relabelled("admin0", 12, "2025-12-31T00:00:00")
    doc["result"][2]["numPresentIdpInd"] = "649 people"
    serve(rsps, "admin0", json=doc)


BAD = {
    "no key": (None, "error: no DTM API key: set DTMAPI_SUBSCRIPTION_KEY to your key (it is free: register at the "
                     "DTM API portal, https://dtm-apim-portal.iom.int/, subscribe to API-V3 and copy its primary "
                     "key); nothing was changed", 0),
    "key refused 401": (lambda r: serve(r, "admin0", status=401, json={"statusCode": 401}),
                        "error: the DTM API refused the key in DTMAPI_SUBSCRIPTION_KEY (HTTP 401 Unauthorized): "
                        "check that it is the primary key of an active API-V3 subscription at "
                        "https://dtm-apim-portal.iom.int/; nothing was changed", 1),
    "key refused 403": (lambda r: serve(r, "admin0", status=403, json={"statusCode": 403}),
                        "error: the DTM API refused the key in DTMAPI_SUBSCRIPTION_KEY (HTTP 403 Forbidden): "
                        "check that it is the primary key of an active API-V3 subscription at "
                        "https://dtm-apim-portal.iom.int/; nothing was changed", 1),
    "timeout": (lambda r: serve(r, "admin0", body=requests.exceptions.ReadTimeout("read timed out")),
                "error: the DTM API's admin0 request timed out (30 s, 4 attempts): check the network or try again "
                "later; nothing was changed", 4),
    "no network": (lambda r: serve(r, "admin0", body=requests.exceptions.ConnectionError("Name or service not known")),
                   "error: the DTM API's admin0 request could not reach dtmapi.iom.int (4 attempts): no network, "
                   "or the service is down; nothing was changed", 4),
    "server error": (lambda r: serve(r, "admin0", status=503, body="busy"),
                     "error: the DTM API's admin0 request failed: 503 Service Unavailable (4 attempts); try again "
                     "later; nothing was changed", 4),
    "isSuccess false": (lambda r: serve(r, "admin0", json={"result": None, "statusCode": 400, "isSuccess": False,
                                                           "errorMessages": ["Invalid FromRoundNumber"]}),
                        "error: the DTM API reported a failure (isSuccess: false) to the admin0 request: Invalid "
                        "FromRoundNumber; nothing was changed", 1),
    "malformed JSON": (_not_json, "error: the DTM API's admin0 request answered with a body that is not valid JSON "
                                  "(Expecting value: line 1 column 13 (char 12)); nothing was changed", 1),
    "not the envelope": (_not_envelope, "error: the DTM API's admin0 request answered JSON that is not the API's "
                                        "envelope (an object with isSuccess and result); nothing was changed", 1),
    "missing column": (_missing_column, "error: the DTM API's admin1 answer lacks the column numPresentIdpInd "
                                        "(expected operation, admin0Pcode, numPresentIdpInd, reportingDate, roundNumber, "
                                        "assessmentType, admin1Name, admin1Pcode, numberMales, numberFemales, "
                                        "idpOriginAdmin1Pcode, displacementReason); nothing was changed", 2),
    "sums disagree": (_sums_disagree, "error: Round 12: IOM's department rows (admin1) sum to 1,339,621 but its "
                                      "national total (admin0) is 1,287,593; the update was refused and nothing was "
                                      "changed", 2),
    "bad count": (_bad_count, "error: the DTM API's admin0 answer, row 3: numPresentIdpInd is '649 people'; "
                              "expected a whole number >= 0; nothing was changed", 1),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_cases_are_one_line_and_touch_nothing(case, rsps, folder, capsys, monkeypatch):
    setup, message, calls = BAD[case]
    if setup is None:
        monkeypatch.delenv(dtm_api.KEY_ENV)
    else:
        setup(rsps)
    before = snapshot(folder)
    code, out, err = run(capsys, folder)
    assert (code, out, err) == (1, "", message + "\n")
    assert len(rsps.calls) == calls                           # timeouts and 5xx: retried by dtmapi, 4 attempts
    assert snapshot(folder) == before                         # no staging folder left either


# ---------------------------------------------------------------- atomic writes

def test_a_failure_in_the_middle_of_the_replacements_puts_every_file_back(rsps, folder, capsys, monkeypatch):
    serve_round_12(rsps)
    replaced = []

    def fail_second(src, dst):
        if replaced:
            raise OSError("disk full")
        replaced.append(dst.name)
        data_update.os.replace(src, dst)

    monkeypatch.setattr(data_update, "_replace", fail_second)
    before = snapshot(folder)
    code, out, err = run(capsys, folder)
    assert replaced == ["dtm_rounds.csv"]                     # one table had already been replaced
    assert (code, out) == (1, "")
    assert err == (f"error: could not replace the files in {folder} (OSError: disk full); the originals were put "
                   "back\n")
    assert snapshot(folder) == before


def test_data_that_would_not_validate_is_refused_before_any_replacement(rsps, folder, capsys):
    for level in ("admin0", "admin1"):                        # a reporting date in the future
        serve(rsps, level, json=relabelled(level, 12, "2999-12-31T00:00:00"))
    before = snapshot(folder)
    code, out, err = run(capsys, folder)
    assert (code, out) == (1, "")
    # data/dtm_rounds.csv: a header and 11 rounds, so the new round is line 13
    assert err == ("error: the updated data would not validate: data/dtm_rounds.csv, line 13, column "
                   f"'reporting_date': got '2999-12-31'; expected a date not in the future (today is {TODAY})\n")
    assert snapshot(folder) == before


def test_an_interrupt_while_validating_leaves_data_untouched(rsps, folder, capsys, monkeypatch):
    serve_round_12(rsps)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(data_update, "validate", interrupted)
    before = snapshot(folder)
    code, out, err = run(capsys, folder)
    assert (code, out, err) == (130, "", "interrupted: data/ was left as it was\n")
    assert snapshot(folder) == before


KILLED = """
import json, os, sys
from haiti_mss import data_update, dtm_refresh

class Replayed:
    def __init__(self, admin0, admin1):
        self.admin0, self.admin1 = admin0, admin1
    def get_idp_admin0_data(self, **query):
        return self.admin0
    def get_idp_admin1_data(self, **query):
        return self.admin1

def killed_after_first(src, dst):
    os.replace(src, dst)
    os._exit(9)                      # no clean-up of any kind, as with SIGKILL or a power cut

data_update._replace = killed_after_first
folder, admin0, admin1 = sys.argv[1:]
dtm_refresh.refresh(folder, api=Replayed(json.load(open(admin0))["result"], json.load(open(admin1))["result"]))
"""


def test_a_process_killed_mid_commit_is_undone_by_the_next_run(rsps, folder, capsys, tmp_path):
    answers = []
    for level in ("admin0", "admin1"):
        answers.append(tmp_path / f"{level}.json")
        answers[-1].write_text(json.dumps(relabelled(level, 12, "2025-12-31T00:00:00", CENTRE)))
    before = snapshot(folder)
    done = subprocess.run([sys.executable, "-c", KILLED, str(folder), *map(str, answers)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    half = snapshot(folder)
    assert half["dtm_rounds.csv"] != before["dtm_rounds.csv"] and half["sources.csv"] == before["sources.csv"]
    assert len(data_update.interrupted(folder)) == 1

    code, out, err = run(capsys, folder, "--dry-run")        # a dry run does not repair: it says how
    assert code == 1 and "was interrupted while replacing files" in err and snapshot(folder) == half

    for level in ("admin0", "admin1"):
        serve(rsps, level, json=empty_result())
    code, out, err = run(capsys, folder)
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("restored dtm_rounds.csv, dtm_departments.csv, dtm_origins.csv, "
                                          "sources.csv, datapackage.json from an update that was interrupted")
    assert snapshot(folder) == before


def test_two_updates_never_run_at_once(rsps, folder, capsys):
    with data_update.locked(folder):
        code, out, err = run(capsys, folder)
    assert code == 1 and err == f"error: another update of {folder} is running; try again when it has finished\n"


# ---------------------------------------------------------------- the build after an update

def test_after_an_update_the_build_reruns_the_notebooks_that_read_the_changed_tables(rsps, folder, capsys):
    """The build's cache key covers each notebook's tables (manifest.tables_read). The refresh changes
    dtm_rounds, dtm_departments, dtm_origins and sources; every notebook reads sources.csv (the ledger) and
    dtm_rounds (its default as_of), so all four are rebuilt, and a refresh with nothing new rebuilds none."""
    hasher_keys = lambda: {nb: build.Hasher().key(paths.NOTEBOOKS_DIR / f"{nb}.ipynb", nb,  # noqa: E731
                                                  {"data_dir": str(folder)}, {"title": "t"})
                           for nb in manifest.NOTEBOOKS}
    assert all({"sources", "dtm_rounds"} <= set(manifest.tables_read(nb)) for nb in manifest.NOTEBOOKS)
    before = hasher_keys()
    serve_round_12(rsps)
    assert run(capsys, folder)[0] == 0
    after = hasher_keys()
    assert sorted(nb for nb in after if after[nb] != before[nb]) == ["00_brief", "01_deployment",
                                                                       "02_displacement", "03_violence"]
    for level in ("admin0", "admin1"):
        serve(rsps, level, from_round=13, json=empty_result())
    assert run(capsys, folder)[0] == 0
    assert hasher_keys() == after


def test_a_different_reporting_date_for_a_curated_round_is_reported(rsps, folder, capsys):
    # data/ has Round 11 as "2025-09-01 (month)", from IOM's HDX description; an API date in October differs.
    for level in ("admin0", "admin1"):
        serve(rsps, level, json=relabelled(level, 11, "2025-10-31T00:00:00", CENTRE, ARTIBONITE, OUEST))
    code, out, err = run(capsys, folder, "--dry-run")
    assert (code, err) == (0, "")
    assert ("reported, not written: Round 11: the DTM API's reporting date is 2025-10-31, data/dtm_rounds.csv has "
            "2025-09-01 (month); the curated date is kept") in out.splitlines()
