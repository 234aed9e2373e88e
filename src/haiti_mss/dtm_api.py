"""IOM's DTM API through IOM's own client, `dtmapi`: Haiti's Countrywide-monitoring rounds from a round
number on, at admin 0 (national) and admin 1 (department), baseline rows summed per round.

Why `dtmapi` (0.2.1, pinned): it is IOM's official client; it sends the key as the
Ocp-Apim-Subscription-Key header, retries timeouts, connection errors and HTTP 429/5xx with exponential
back-off (RETRY_DELAY x 1, 2, 4 s), and raises DTMAuthenticationError (no key, HTTP 401/403),
DTMApiTimeoutError, DTMApiResponseError (isSuccess false) or DTMApiRequestError (other HTTP errors, no
network, and a body that is not JSON, whose requests.JSONDecodeError is the __cause__). Each becomes one
ApiError line here. The response is read raw (to_pandas=False) so that its rows can be checked.

Pitfalls handled (see the research's dtm-primary.md): every row is one slice (destination x origin x
reason x assessment type), so rows are summed; only assessmentType BA (baseline) counts; roundNumber
restarts per operation, so the query names the operation; pcodes, not names, identify departments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date

import requests

from .departments import DEPARTMENT_NAMES, NOT_AVAILABLE

OPERATION = "Countrywide monitoring"
COUNTRY = "HTI"
BASELINE = "BA"
KEY_ENV = "DTMAPI_SUBSCRIPTION_KEY"
PORTAL = "https://dtm-apim-portal.iom.int/"
TIMEOUT = 30          # seconds per request (dtmapi's default)
MAX_RETRIES = 3       # dtmapi's default: 4 attempts in all
RETRY_DELAY = 1.0     # seconds, doubled at each retry (dtmapi's default)

ADMIN0_COLUMNS = ("operation", "admin0Pcode", "numPresentIdpInd", "reportingDate", "roundNumber", "assessmentType")
ADMIN1_COLUMNS = ADMIN0_COLUMNS + ("admin1Name", "admin1Pcode", "numberMales", "numberFemales",
                                   "idpOriginAdmin1Pcode", "displacementReason")
LEVELS = {"admin0": ADMIN0_COLUMNS, "admin1": ADMIN1_COLUMNS}


class ApiError(RuntimeError):
    """The DTM API could not be read, or its answer cannot be used; str() is one line."""


@dataclass
class Department:
    idps: int = 0
    rows: int = 0
    males: int = 0
    females: int = 0
    sex_rows: int = 0                      # rows that give both numberMales and numberFemales
    names: set[str] = field(default_factory=set)


@dataclass
class ApiRound:
    number: int
    total: int = 0                         # admin0: numPresentIdpInd of the baseline rows, summed
    total_rows: int = 0
    reporting_dates: set[date] = field(default_factory=set)
    departments: dict[str, Department] = field(default_factory=dict)
    origins: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)  # (pcode, origin, reason) -> [idps, rows]

    @property
    def department_sum(self) -> int:
        return sum(d.idps for d in self.departments.values())

    @property
    def reporting_date(self) -> date | None:
        return max(self.reporting_dates) if self.reporting_dates else None


def query(from_round: int) -> dict:
    """The query parameters, in the order dtmapi sends them."""
    return {"Operation": OPERATION, "Admin0Pcode": COUNTRY, "FromRoundNumber": from_round}


def query_url(level: str, from_round: int) -> str:
    """The URL dtmapi requests (the same requests machinery builds it), for the sources ledger."""
    from dtmapi.config import IDP_ADMIN_0_API, IDP_ADMIN_1_API

    endpoint = IDP_ADMIN_0_API if level == "admin0" else IDP_ADMIN_1_API
    return requests.Request("GET", endpoint, params=query(from_round)).prepare().url


def client(retry_delay: float | None = None):
    """A DTMApi client with the key from DTMAPI_SUBSCRIPTION_KEY (checked here first, for a clear message)."""
    from dtmapi import DTMApi

    key = (os.environ.get(KEY_ENV) or "").strip()
    if not key:
        raise ApiError(f"no DTM API key: set {KEY_ENV} to your key (it is free: register at the DTM API portal, "
                       f"{PORTAL}, subscribe to API-V3 and copy its primary key); nothing was changed")
    return DTMApi(subscription_key=key, timeout=TIMEOUT, max_retries=MAX_RETRIES,
                  retry_delay=RETRY_DELAY if retry_delay is None else retry_delay)


def fetch(api, level: str, from_round: int) -> list[dict]:
    """The raw rows of one endpoint (admin0 or admin1) for the rounds from from_round on."""
    import dtmapi

    method = api.get_idp_admin0_data if level == "admin0" else api.get_idp_admin1_data
    what = f"the DTM API's {level} request"
    attempts = f"{MAX_RETRIES + 1} attempts"
    try:
        result = method(**query(from_round), to_pandas=False)
    except dtmapi.DTMAuthenticationError as exc:
        response = getattr(exc.__cause__, "response", None)
        status = f"HTTP {response.status_code} {response.reason}" if response is not None else str(exc)
        raise ApiError(f"the DTM API refused the key in {KEY_ENV} ({status}): check that it is the primary key "
                       f"of an active API-V3 subscription at {PORTAL}; nothing was changed") from None
    except dtmapi.DTMApiTimeoutError:
        raise ApiError(f"{what} timed out ({TIMEOUT} s, {attempts}): check the network or try again later; "
                       "nothing was changed") from None
    except dtmapi.DTMApiResponseError as exc:
        detail = "; ".join(str(m) for m in exc.error_messages) or str(exc)
        raise ApiError(f"the DTM API reported a failure (isSuccess: false) to the {level} request: {detail}; "
                       "nothing was changed") from None
    except dtmapi.DTMApiRequestError as exc:
        cause = exc.__cause__
        if isinstance(cause, requests.exceptions.JSONDecodeError):
            problem = f"answered with a body that is not valid JSON ({cause})"
        elif getattr(exc, "status_code", None):
            problem = f"failed: {str(exc).removeprefix('HTTP error occurred: ')} ({attempts}); try again later"
        elif isinstance(cause, requests.exceptions.ConnectionError):
            problem = f"could not reach dtmapi.iom.int ({attempts}): no network, or the service is down"
        else:
            problem = f"failed ({exc})"
        raise ApiError(f"{what} {problem}; nothing was changed") from None
    except dtmapi.ValidationError as exc:
        raise ApiError(f"dtmapi rejected the query ({exc}); nothing was changed") from None
    except (AttributeError, KeyError, TypeError):
        # dtmapi reads data.get("isSuccess") and data["result"]: the JSON was not the usual envelope.
        raise ApiError(f"{what} answered JSON that is not the API's envelope (an object with isSuccess and "
                       "result); nothing was changed") from None
    if not isinstance(result, list) or not all(isinstance(row, dict) for row in result):
        raise ApiError(f"{what} answered a result that is not a list of rows; nothing was changed")
    return result


def _bad(level: str, index: int, column: str, value, expected: str) -> ApiError:
    return ApiError(f"the DTM API's {level} answer, row {index + 1}: {column} is {value!r}; expected {expected}; "
                    "nothing was changed")


def _count(level: str, index: int, row: dict, column: str, optional: bool = False) -> int | None:
    value = row[column]
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _bad(level, index, column, value, "a whole number >= 0" + (" or null" if optional else ""))
    return value


def _date(level: str, index: int, row: dict) -> date:
    value = row["reportingDate"]
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise _bad(level, index, "reportingDate", value, "a date such as 2025-06-30T00:00:00") from None


def baseline(level: str, rows: list[dict], rounds: dict[int, ApiRound]) -> None:
    """Check the columns, keep Countrywide monitoring's baseline rows, and add them into rounds."""
    columns = LEVELS[level]
    missing = [c for c in columns if any(c not in row for row in rows)]
    if missing:
        raise ApiError(f"the DTM API's {level} answer lacks the column{'s' if len(missing) > 1 else ''} "
                       f"{', '.join(missing)} (expected {', '.join(columns)}); nothing was changed")
    for i, row in enumerate(rows):
        if row["operation"] != OPERATION or row["assessmentType"] != BASELINE:
            continue
        number = _count(level, i, row, "roundNumber")
        idps = _count(level, i, row, "numPresentIdpInd")
        found = rounds.setdefault(number, ApiRound(number))
        found.reporting_dates.add(_date(level, i, row))
        if level == "admin0":
            found.total += idps
            found.total_rows += 1
            continue
        pcode, origin, reason = row["admin1Pcode"], row["idpOriginAdmin1Pcode"], row["displacementReason"]
        if pcode not in DEPARTMENT_NAMES:
            raise _bad(level, i, "admin1Pcode", pcode, "one of Haiti's department pcodes HT01-HT10")
        if origin != NOT_AVAILABLE and origin not in DEPARTMENT_NAMES:
            raise _bad(level, i, "idpOriginAdmin1Pcode", origin, f"HT01-HT10 or {NOT_AVAILABLE!r}")
        if not isinstance(reason, str) or not reason.strip():
            raise _bad(level, i, "displacementReason", reason, "a reason, e.g. 'Conflict'")
        males, females = (_count(level, i, row, c, optional=True) for c in ("numberMales", "numberFemales"))
        department = found.departments.setdefault(pcode, Department())
        department.idps += idps
        department.rows += 1
        department.names.add(str(row["admin1Name"]))
        if males is not None and females is not None:
            department.males += males
            department.females += females
            department.sex_rows += 1
        slice_ = found.origins.setdefault((pcode, origin, reason), [0, 0])
        slice_[0] += idps
        slice_[1] += 1


def read_rounds(api, from_round: int) -> dict[int, ApiRound]:
    """Countrywide monitoring's baseline rounds from from_round on, national and by department."""
    rounds: dict[int, ApiRound] = {}
    for level in ("admin0", "admin1"):
        baseline(level, fetch(api, level, from_round), rounds)
    return rounds


def check_sums(found: ApiRound) -> None:
    """IOM's department rows must add up to its national total, as validation demands of data/."""
    if not found.total_rows or not found.departments or found.department_sum != found.total:
        national = f"{found.total:,}" if found.total_rows else "missing (no admin0 row)"
        departments = f"{found.department_sum:,}" if found.departments else "nothing (no admin1 row)"
        raise ApiError(f"Round {found.number}: IOM's department rows (admin1) sum to {departments} but its national "
                       f"total (admin0) is {national}; the update was refused and nothing was changed")
