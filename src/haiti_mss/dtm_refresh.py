"""`haiti-report update-data dtm`: append IOM's new DTM rounds from the DTM API to data/.

It asks IOM's DTM API (dtm_api.py, through IOM's client `dtmapi`) for Haiti's Countrywide-monitoring
rounds after the newest round whose department figures data/ holds, at admin 0 and admin 1. Each round
must have department rows that sum to the national total. Then:
- a round data/ does not have gets a dtm_rounds row (national total from admin 0), its department rows
  and its origin x reason rows;
- a round data/ already describes (e.g. Round 11, from IOM's HDX description) gets its department and
  origin rows only if the API's total equals the curated one; if not, the update is refused: a curated
  row is never overwritten, and department rows that do not sum to the national total are invalid;
- the API's figures for rounds data/ already has by department are compared, and any difference is
  reported, never written.
Rows in sources.csv name the endpoints, the queries and the retrieval date (the admin 0 one only when a
round row is added). data_update.py writes it all, with the refreshed hashes, in one atomic step after
validating the result.

When a new round counts as known: the API gives IOM's reporting date (the end of the reporting period),
not the publication date, which came days to weeks later (Round 8: reporting date 30 Sep 2024, published
2 Oct; Round 9: 31 Dec 2024, released 14 Jan 2025). The analysis filters rounds on reference_date, so
a new round's reference_date is the retrieval date: the one date on which the round is known to have
been public. It can only place the round later than IOM published it, never earlier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from . import data_update, dtm_api, paths
from .departments import DEPARTMENT_NAMES, NOT_AVAILABLE
from .dtm_api import ApiError, ApiRound
from .validation import DataValidationError, validate

TABLES = ("dtm_rounds", "dtm_departments", "dtm_origins", "sources")
CREDIT = "Source: International Organization for Migration (IOM), Displacement Tracking Matrix (DTM)"
FILTERS = "baseline (BA) rows of Countrywide monitoring"


class RefreshError(RuntimeError):
    """The refresh stopped; data/ is as it was. str() is one line."""


@dataclass
class Plan:
    from_round: int
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLES})
    changes: list[str] = field(default_factory=list)      # what the update adds, for people
    notices: list[str] = field(default_factory=list)      # API figures that differ from curated rows

    @property
    def empty(self) -> bool:
        return not any(self.rows.values())


@dataclass
class Outcome:
    lines: list[str]
    written: list[str]          # file names replaced in data/ (none for a dry run or when up to date)
    up_to_date: bool


def refresh(data_dir: str | Path | None = None, *, dry_run: bool = False, api=None,
            today: date | None = None) -> Outcome:
    """Fetch, check, plan and (unless dry_run) write. Raises RefreshError with a one-line message."""
    folder = paths.data_dir(data_dir)
    today = today or date.today()
    try:
        api = api or dtm_api.client()
        with data_update.locked(folder):
            lines = []
            if dry_run and data_update.interrupted(folder):
                raise RefreshError(f"an earlier update of {folder} was interrupted while replacing files; run "
                                   "`haiti-report update-data dtm` without --dry-run to restore data/ first")
            if not dry_run:
                lines += data_update.recover(folder)
            tables = current(folder, today)
            from_round = newest_department_round(tables) + 1
            plan = make_plan(tables, dtm_api.read_rounds(api, from_round), from_round, today)
            lines += [f"DTM API, {dtm_api.OPERATION}, Haiti: rounds from {from_round} on (data/ has IOM's "
                      f"department figures up to Round {from_round - 1})"]
            lines += plan.changes + [f"reported, not written: {n}" for n in plan.notices]
            if plan.empty:
                lines.append(f"up to date: the DTM API has no {dtm_api.OPERATION} round to add after Round "
                             f"{from_round - 1}")
                return Outcome(lines, [], True)
            counts = ", ".join(f"{t}.csv +{len(r)}" for t, r in plan.rows.items() if r)
            if dry_run:
                lines.append(f"dry run: nothing written (the update would append {counts})")
                return Outcome(lines, [], False)
            contents = {f"{t}.csv": data_update.appended(folder / f"{t}.csv", r) for t, r in plan.rows.items() if r}
            written = data_update.apply(folder, contents, today)
            lines.append(f"appended {counts}; hashes refreshed in datapackage.json; data/ validates")
            return Outcome(lines, written, False)
    except (ApiError, data_update.UpdateError) as exc:
        raise RefreshError(str(exc)) from None
    except OSError as exc:
        raise RefreshError(f"could not read or write {folder}: {exc}; data/ was left as it was") from None


def current(folder: Path, today: date) -> dict[str, pd.DataFrame]:
    try:
        return validate(folder, TABLES, today=today)
    except DataValidationError as exc:
        raise RefreshError(f"{folder} does not validate ({exc.problems[0]}"
                           + (f", and {len(exc.problems) - 1} more" if len(exc.problems) > 1 else "")
                           + "); run `haiti-report check-data` and fix it before refreshing") from None


def newest_department_round(tables: dict[str, pd.DataFrame]) -> int:
    """The newest round number with department rows in data/ (0 when there is none)."""
    rounds, departments = tables["dtm_rounds"], tables["dtm_departments"]
    numbers = rounds.loc[rounds["round_id"].isin(set(departments["round_id"])), "round_number"].dropna()
    return int(numbers.max()) if len(numbers) else 0


# ---------------------------------------------------------------- plan: which rows to append

def make_plan(tables: dict[str, pd.DataFrame], api_rounds: dict[int, ApiRound], from_round: int,
              today: date) -> Plan:
    plan = Plan(from_round)
    rounds, departments = tables["dtm_rounds"], tables["dtm_departments"]
    curated = {int(r.round_number): r for r in rounds.itertuples() if pd.notna(r.round_number)}
    for number in sorted(n for n in api_rounds if n < from_round):
        compare_with_curated(api_rounds[number], curated.get(number), departments, plan)
    new = [api_rounds[n] for n in sorted(api_rounds) if n >= from_round]
    if not new:
        return plan
    taken = set(tables["sources"]["source_id"])
    sources = {level: _source_id(level, today, taken) for level in ("admin0", "admin1")}
    by_department = {rid: dict(zip(g["adm1_pcode"], g["idps"].astype(int)))
                     for rid, g in departments.groupby("round_id")}
    previous_national = {n: (r.round_label, int(r.idps)) for n, r in curated.items()}
    previous_departments = {n: (r.round_label, by_department[r.round_id])
                            for n, r in curated.items() if r.round_id in by_department}
    for found in new:
        dtm_api.check_sums(found)
        existing = curated.get(found.number)
        if existing is not None:
            round_id, label = existing.round_id, existing.round_label
            if int(existing.idps) != found.total:
                raise RefreshError(
                    f"{label}: the DTM API gives {found.total:,} IDPs but data/dtm_rounds.csv ({round_id}, source "
                    f"{existing.source_id}) has {int(existing.idps):,}; a curated row is never overwritten and "
                    "department rows must sum to it, so the update was refused and nothing was changed: "
                    "reconcile the two figures by hand")
            _compare_reporting_date(found, existing, plan)
            plan.changes.append(f"{label}: IOM's department figures added ({len(found.departments)} departments, "
                                f"{found.total:,} IDPs, the national total data/ already has for {round_id}, "
                                "whose row is kept as it is)")
        else:
            round_id, label = f"dtm-r{found.number:02d}", f"Round {found.number}"
            if round_id in set(rounds["round_id"]):
                raise RefreshError(f"{label}: data/dtm_rounds.csv already uses the id {round_id} for another round; "
                                   "nothing was changed")
            plan.rows["dtm_rounds"].append(round_row(found, round_id, label, sources["admin0"], today))
            plan.changes.append(_national_line(found, label, previous_national))
        plan.rows["dtm_departments"] += department_rows(found, round_id, sources["admin1"])
        plan.rows["dtm_origins"] += origin_rows(found, round_id, sources["admin1"])
        figures = {p: d.idps for p, d in found.departments.items()}
        plan.changes += _department_lines(found.number, label, figures, previous_departments)
        previous_national[found.number] = (label, found.total)
        previous_departments[found.number] = (label, figures)
    if plan.rows["dtm_rounds"]:
        plan.rows["sources"].append(source_row("admin0", sources["admin0"], from_round, today))
    plan.rows["sources"].append(source_row("admin1", sources["admin1"], from_round, today))
    return plan


def compare_with_curated(found: ApiRound, existing, departments: pd.DataFrame, plan: Plan) -> None:
    """A round data/ already has by department: report every figure that differs; write nothing."""
    if existing is None:
        plan.notices.append(f"Round {found.number} is in the DTM API but not in data/; rounds older than the newest "
                            "in data/ are not added automatically")
        return
    if found.total_rows and found.total != int(existing.idps):
        plan.notices.append(f"{existing.round_label}: the DTM API gives {found.total:,} IDPs, data/dtm_rounds.csv "
                            f"({existing.round_id}) {int(existing.idps):,}; the curated figure is kept")
    rows = departments[departments["round_id"] == existing.round_id]
    kept = dict(zip(rows["adm1_pcode"], rows["idps"].astype(int)))
    for pcode in sorted(set(kept) | set(found.departments)):
        api_figure = found.departments[pcode].idps if pcode in found.departments else None
        if api_figure != kept.get(pcode):
            shown = lambda v: "no row" if v is None else f"{v:,}"  # noqa: E731
            plan.notices.append(f"{existing.round_label}, {DEPARTMENT_NAMES[pcode]}: the DTM API gives "
                                f"{shown(api_figure)}, data/dtm_departments.csv {shown(kept.get(pcode))}; "
                                "the curated figure is kept")


def _compare_reporting_date(found: ApiRound, existing, plan: Plan) -> None:
    api_date, kept = found.reporting_date, existing.reporting_date.date()
    same = (api_date == kept) if existing.reporting_precision == "day" else (api_date.replace(day=1) == kept.replace(day=1))
    if not same:
        plan.notices.append(f"{existing.round_label}: the DTM API's reporting date is {api_date.isoformat()}, "
                            f"data/dtm_rounds.csv has {kept.isoformat()} ({existing.reporting_precision}); "
                            "the curated date is kept")


def _source_id(level: str, today: date, taken: set[str]) -> str:
    base = f"dtm-api-v3-{level}-hti-{today.isoformat()}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


# ---------------------------------------------------------------- rows, in data/'s conventions

def source_row(level: str, source_id: str, from_round: int, today: date) -> dict:
    what = "national (admin 0)" if level == "admin0" else "admin 1 (department)"
    url = dtm_api.query_url(level, from_round)
    method = "get_idp_admin0_data" if level == "admin0" else "get_idp_admin1_data"
    return {
        "source_id": source_id,
        "publisher": "International Organization for Migration (IOM), Displacement Tracking Matrix (DTM)",
        "title": f"[DTM API v3, IDPs {what}, Haiti, {dtm_api.OPERATION}, rounds from {from_round}: GET {url}]",
        "url": url, "published": today.isoformat(), "published_precision": "day", "language": "en",
        "research_ref": "haiti-report update-data dtm (src/haiti_mss/dtm_refresh.py); dtm-primary.md",
        "note": (f"published is the retrieval date ({today.isoformat()}): the response was read that day by "
                 f"`haiti-report update-data dtm` through IOM's client dtmapi (DTMApi.{method}(Operation="
                 f"'{dtm_api.OPERATION}', Admin0Pcode='{dtm_api.COUNTRY}', FromRoundNumber={from_round})). Only "
                 f"{FILTERS} are used, summed per round" + (" and department (kept apart by origin and reason in "
                 "dtm_origins)" if level == "admin1" else "") + f". The API needs a free subscription key "
                 f"(header Ocp-Apim-Subscription-Key). Credit line (IOM's terms on HDX): \"{CREDIT}\". IOM's terms "
                 "allow use with this credit but not redistribution of the full datasets; the project keeps "
                 "aggregated figures only."),
    }


def round_row(found: ApiRound, round_id: str, label: str, source_id: str, today: date) -> dict:
    count = len(found.departments)
    names = ", ".join(DEPARTMENT_NAMES[p] for p in sorted(found.departments))
    reporting = found.reporting_date.isoformat()
    several = (f" (IOM's rows give {len(found.reporting_dates)} reporting dates; the latest is kept)"
               if len(found.reporting_dates) > 1 else "")
    return {
        "round_id": round_id, "round_label": label, "round_number": found.number,
        "reference_date": today.isoformat(), "reference_precision": "day",
        "reporting_date": reporting, "reporting_precision": "day",
        "departments_covered": count,
        "coverage": "All ten departments" if count == len(DEPARTMENT_NAMES) else f"{count} departments: {names}",
        "idps": found.total, "idps_qualifier": "exact", "source_id": source_id,
        "quote": (f"numPresentIdpInd summed over {found.total_rows} {FILTERS}, roundNumber {found.number}, "
                  f"admin0Pcode {dtm_api.COUNTRY}"),
        "note": (f"Added by `haiti-report update-data dtm` from the DTM API on {today.isoformat()}; the department "
                 f"rows (admin 1) sum to this total. IOM's reporting date is {reporting}{several}. The API gives no "
                 "publication date, so reference_date, the date from which the round counts as known, is the "
                 "retrieval date: the one date on which the round is known to have been public. It may be later "
                 "than IOM's publication, never earlier; replace it by the publication date once a source gives it. "
                 f"{CREDIT}."),
        "confidence": "high",
    }


def department_rows(found: ApiRound, round_id: str, source_id: str) -> list[dict]:
    rows = []
    for pcode in sorted(found.departments):
        d = found.departments[pcode]
        quote = (f"numPresentIdpInd of 1 baseline (BA) row of {dtm_api.OPERATION}" if d.rows == 1
                 else f"numPresentIdpInd summed over {d.rows} {FILTERS}") + f", roundNumber {found.number}, admin1Pcode {pcode}"
        notes, males, females = [], None, None
        if d.sex_rows == d.rows and d.males + d.females == d.idps:
            males, females = d.males, d.females
            quote += "; numberMales and numberFemales " + ("of the same row" if d.rows == 1 else "summed over the same rows")
        elif d.sex_rows == 0:
            notes.append("IOM gives no breakdown by sex for this round (numberMales and numberFemales are null).")
        elif d.sex_rows < d.rows:
            notes.append("IOM gives no breakdown by sex for some of these rows (numberMales and numberFemales are "
                         "null), so none is kept.")
        else:
            notes.append(f"IOM's numberMales + numberFemales ({d.males:,} + {d.females:,}) do not add up to "
                         f"numPresentIdpInd ({d.idps:,}), so neither is kept.")
        other = sorted(n for n in d.names if n != DEPARTMENT_NAMES[pcode])
        if other:
            notes.append(" ".join(f"IOM writes the department '{n}'." for n in other))
        rows.append({"round_id": round_id, "adm1_pcode": pcode, "department": DEPARTMENT_NAMES[pcode],
                     "idps": d.idps, "males": males, "females": females, "source_id": source_id,
                     "quote": quote, "note": " ".join(notes)})
    return rows


def origin_rows(found: ApiRound, round_id: str, source_id: str) -> list[dict]:
    rows = []
    for (pcode, origin, reason), (idps, count) in sorted(found.origins.items()):
        head = (f"numPresentIdpInd of the baseline (BA) row of {dtm_api.OPERATION}" if count == 1
                else f"numPresentIdpInd summed over {count} {FILTERS}")
        rows.append({"round_id": round_id, "adm1_pcode": pcode, "origin_adm1_pcode": origin, "reason": reason,
                     "idps": idps, "source_id": source_id,
                     "quote": (f"{head} with roundNumber {found.number}, admin1Pcode {pcode}, idpOriginAdmin1Pcode "
                               f"{origin}, displacementReason {reason}"),
                     "note": "IOM gives no department of origin for these IDPs." if origin == NOT_AVAILABLE else ""})
    return rows


# ---------------------------------------------------------------- what changed, for people

def _signed(value: int) -> str:
    return f"+{value:,}" if value >= 0 else f"-{-value:,}"


def _national_line(found: ApiRound, label: str, previous: dict[int, tuple[str, int]]) -> str:
    line = (f"{label} (new; IOM's reporting date {found.reporting_date.isoformat()}): {found.total:,} IDPs in "
            f"{len(found.departments)} departments")
    older = [n for n in previous if n < found.number]
    if older:
        before_label, before = previous[max(older)]
        change = found.total - before
        line += f", {_signed(change)} ({change / before:+.1%}) on {before_label} ({before:,})" if before else ""
    return line


def _department_lines(number: int, label: str, figures: dict[str, int],
                      previous: dict[int, tuple[str, dict[str, int]]], top: int = 3) -> list[str]:
    older = [n for n in previous if n < number]
    if not older:
        return []
    before_label, before = previous[max(older)]
    changes = sorted(((figures.get(p, 0) - before.get(p, 0), p) for p in set(figures) | set(before)
                      if figures.get(p) != before.get(p)), key=lambda c: (-abs(c[0]), c[1]))[:top]
    if not changes:
        return [f"  no department changed between {before_label} and {label}"]
    parts = []
    for change, pcode in changes:
        was = f"{before[pcode]:,}" if pcode in before else f"not covered in {before_label}"
        now = f"{figures[pcode]:,}" if pcode in figures else "not covered"
        parts.append(f"{DEPARTMENT_NAMES[pcode]} {_signed(change)} ({was} → {now})")
    return [f"  largest department changes, {label} against {before_label}: " + "; ".join(parts)]
