"""Validate data/ against its Frictionless Table Schemas (datapackage.json) and the project's invariants.

Why not the `frictionless` library at run time: on this machine its first validation costs 3.5-4 s
(jsonschema's format checker compiles ~40 grammars on import), paid again by every notebook kernel.
This module reads the same Table Schema (types, required, minimum, maximum, enum, pattern, unique,
primaryKey, foreignKeys, hash, bytes) in a few milliseconds; the test suite runs `frictionless` over
data/ too, so the package stays a standard Data Package that both agree on.

Every problem names the file, the line (1 = header), the column, the bad value and what was expected;
all problems of all files are collected before one DataValidationError is raised.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

from . import department_checks, funding_checks

MISSING = ""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    value: Any
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        value = self.value
        if isinstance(value, date):  # a parsed date reads as written in the file, not datetime.date(...)
            value = value.isoformat()
        if isinstance(value, str) and len(value) > 60:
            value = value[:57] + "..."
        got = "" if value is None else f": got {value!r}"
        return f"{where}{got}; expected {self.expected}"


class DataValidationError(ValueError):
    """One or more problems in the data files; str() lists one readable line per problem."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


# ---------------------------------------------------------------- descriptor and hashes

def read_descriptor(data_dir: Path) -> dict:
    path = Path(data_dir) / "datapackage.json"
    if not path.exists():
        raise DataValidationError([Problem(str(path), None, None, None, "a datapackage.json describing the tables")])
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataValidationError([Problem(str(path), getattr(exc, "lineno", None), None, None, f"valid JSON ({exc})")]) from None


def resource(descriptor: dict, name: str) -> dict:
    for res in descriptor.get("resources", []):
        if res.get("name") == name:
            return res
    raise KeyError(f"no table named {name!r} in datapackage.json")


def sha256_of(path: Path) -> str:
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()


def refresh_hashes(data_dir: Path) -> list[str]:
    """Rewrite hash and bytes of every resource in datapackage.json; return the names that changed."""
    path = Path(data_dir) / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    changed = []
    for res in descriptor["resources"]:
        file = Path(data_dir) / res["path"]
        digest, size = sha256_of(file), file.stat().st_size
        if res.get("hash") != digest or res.get("bytes") != size:
            changed.append(res["name"])
        res["hash"], res["bytes"] = digest, size
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


# ---------------------------------------------------------------- cell parsing

_INT = re.compile(r"^[+-]?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_cell(raw: str, field: dict, today: date) -> tuple[Any, str | None]:
    """Return (value, error); value is None for a missing cell."""
    kind = field.get("type", "string")
    if raw == MISSING:
        if field.get("constraints", {}).get("required"):
            return None, "a value (this column is required)"
        return None, None
    cons = field.get("constraints", {})
    if kind == "integer":
        if not _INT.match(raw):
            return None, "a whole number written without separators (e.g. 1500)"
        value: Any = int(raw)
    elif kind == "number":
        try:
            value = float(raw)
        except ValueError:
            return None, "a number (e.g. 0.52)"
        if value != value:  # NaN
            return None, "a number (e.g. 0.52)"
    elif kind == "date":
        if not _DATE.match(raw):
            return None, "a date as YYYY-MM-DD"
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            return None, "a real calendar date as YYYY-MM-DD"
        if value > today:
            return None, f"a date not in the future (today is {today.isoformat()})"
    elif kind == "boolean":
        trues = field.get("trueValues", ["true"])
        falses = field.get("falseValues", ["false"])
        if raw in trues:
            value = True
        elif raw in falses:
            value = False
        else:
            return None, f"one of {trues + falses}"
    else:
        value = raw
    if "enum" in cons and value not in cons["enum"]:
        return None, "one of " + ", ".join(str(v) for v in cons["enum"])
    if "minimum" in cons and value < cons["minimum"]:
        return None, f"a value >= {cons['minimum']}"
    if "maximum" in cons and value > cons["maximum"]:
        return None, f"a value <= {cons['maximum']}"
    if "pattern" in cons and not re.fullmatch(cons["pattern"], str(value)):
        return None, f"text matching the pattern {cons['pattern']}"
    return value, None


_DTYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string"}


# ---------------------------------------------------------------- one table

@dataclass
class ParsedTable:
    name: str
    file: str
    rows: list[dict]
    lines: list[int]
    frame: pd.DataFrame | None


def parse_table(data_dir: Path, res: dict, today: date, problems: list[Problem], check_hash: bool = True) -> ParsedTable:
    """Parse and check one table against its schema; append problems; return typed rows."""
    path = Path(data_dir) / res["path"]
    label = _label(path)
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    empty = ParsedTable(res["name"], label, [], [], None)
    if not path.exists():
        problems.append(Problem(label, None, None, None, f"the file {res['path']} listed in datapackage.json"))
        return empty
    raw = path.read_bytes()
    if not raw.strip():
        problems.append(Problem(label, None, None, None, "a CSV file with a header row and data rows (the file is empty)"))
        return empty
    if check_hash and "hash" in res:
        digest = sha256_of(path)
        if digest != res["hash"] or ("bytes" in res and res["bytes"] != len(raw)):
            problems.append(Problem(label, None, None, digest[:19] + "...",
                                    f"the hash recorded in datapackage.json ({str(res['hash'])[:19]}...): the file changed "
                                    "without its hash; if the change is intended run `make hash-data`"))
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(label, 1, None, "byte-order mark", "plain UTF-8 without a byte-order mark"))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(label, line, None, raw[exc.start:exc.start + 4], "UTF-8 text (re-save the file as UTF-8)"))
        return empty
    if "\x00" in text:
        problems.append(Problem(label, None, None, None, "a text CSV file (it contains NUL bytes)"))
        return empty
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        problems.append(Problem(label, 1, None, None, f"a CSV header row ({exc})"))
        return empty
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    for n in missing:
        problems.append(Problem(label, 1, n, None, "this column in the header (it is missing)"))
    for h in extra:
        problems.append(Problem(label, 1, h, h, "only the columns declared in datapackage.json: " + ", ".join(names)))
    if missing:
        return empty
    index = {h: i for i, h in enumerate(header)}
    rows, lines = [], []
    keys: dict[str, dict] = {}
    pk = res["schema"].get("primaryKey") or []
    pk = [pk] if isinstance(pk, str) else list(pk)
    unique_cols = [f["name"] for f in fields if f.get("constraints", {}).get("unique")]
    seen_unique: dict[str, dict] = {c: {} for c in unique_cols}
    last_line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(label, reader.line_num, None, None, f"well-formed CSV ({exc})"))
            break
        line = last_line + 1
        last_line = reader.line_num
        if not cells or all(c == "" for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(label, line, None, f"{len(cells)} fields", f"{len(header)} fields as in the header"))
            continue
        row: dict[str, Any] = {}
        for field in fields:
            name = field["name"]
            value, error = _parse_cell(cells[index[name]], field, today)
            if error:
                problems.append(Problem(label, line, name, cells[index[name]] or None, error))
            row[name] = value
        if pk:
            key = tuple(row[c] for c in pk)
            if all(k is not None for k in key):
                if key in keys:
                    problems.append(Problem(label, line, ",".join(pk), key[0] if len(key) == 1 else key,
                                            f"a unique key (already used on line {keys[key]})"))
                else:
                    keys[key] = line
        for c in unique_cols:
            if c in pk and len(pk) == 1:
                continue
            v = row[c]
            if v is not None:
                if v in seen_unique[c]:
                    problems.append(Problem(label, line, c, v, f"a unique value (already used on line {seen_unique[c][v]})"))
                else:
                    seen_unique[c][v] = line
        rows.append(row)
        lines.append(line)
    if not rows:
        problems.append(Problem(label, None, None, None, "at least one data row (the file has only a header)"))
    frame = _to_frame(rows, fields)
    return ParsedTable(res["name"], label, rows, lines, frame)


def _to_frame(rows: list[dict], fields: list[dict]) -> pd.DataFrame:
    data = {}
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        values = [r[name] for r in rows]
        if kind == "date":
            data[name] = pd.to_datetime(pd.Series(values, dtype="object"), errors="coerce").astype("datetime64[ns]")
        else:
            data[name] = pd.Series(values, dtype=_DTYPES.get(kind, "string"))
    return pd.DataFrame(data)


def _label(path: Path) -> str:
    path = Path(path)
    return f"{path.parent.name}/{path.name}"


# ---------------------------------------------------------------- cross-table checks and invariants

def check_foreign_keys(tables: dict[str, ParsedTable], descriptor: dict, problems: list[Problem]) -> None:
    for res in descriptor.get("resources", []):
        table = tables.get(res["name"])
        if table is None:
            continue
        for fk in res["schema"].get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            target = tables.get(ref["resource"] or res["name"])
            if target is None:
                continue
            known = {tuple(r[f] for f in ref_fields) for r in target.rows}
            for row, line in zip(table.rows, table.lines):
                key = tuple(row[f] for f in fields)
                if any(k is None for k in key):
                    continue
                if key not in known:
                    problems.append(Problem(table.file, line, ",".join(fields), key[0] if len(key) == 1 else key,
                                            f"an id that exists in {target.file} (column {', '.join(ref_fields)})"))


Invariant = Callable[[dict], tuple[str, Any, str] | None]


def not_greater(low: str, high: str) -> Invariant:
    def check(row: dict):
        a, b = row.get(low), row.get(high)
        if a is not None and b is not None and a > b:
            return high, b, f"{high} >= {low} ({a})"
        return None
    return check


def arrivals_net_change(row: dict):
    """A rotation replaces people already counted: it is never an increase."""
    movement, personnel, net = row.get("movement"), row.get("personnel"), row.get("net_change")
    if movement == "rotation":
        if net not in (None, 0):
            return "net_change", net, "0 for a rotation (a relief team replaces people already there, it is not an increase)"
        return None
    if personnel is None:
        if net is not None:
            return "net_change", net, "empty when personnel is not stated"
        return None
    expected = personnel if movement == "arrival" else -personnel
    if net != expected:
        return "net_change", net, f"{expected} ({'+' if movement == 'arrival' else '-'}personnel for a {movement})"
    return None


def shares_sum_to_at_most_one(a: str, b: str) -> Invariant:
    def check(row: dict):
        x, y = row.get(a), row.get(b)
        if x is not None and y is not None and x + y > 1.0001:
            return b, y, f"{a} + {b} <= 1 ({a} is {x})"
        return None
    return check


def count_not_above(part: str, whole: str) -> Invariant:
    def check(row: dict):
        x, y = row.get(part), row.get(whole)
        if x is not None and y is not None and x > y:
            return part, x, f"a count not above {whole} ({y})"
        return None
    return check


INVARIANTS: dict[str, list[Invariant]] = {
    "pledges": [not_greater("personnel_low", "personnel_high")],
    "arrivals": [arrivals_net_change],
    "dtm_rounds": [not_greater("period_start", "period_end"), shares_sum_to_at_most_one("host_share", "sites_share"),
                   count_not_above("children_count", "idps"), count_not_above("sites_idps", "idps")],
    "violence": [not_greater("period_start", "period_end"), count_not_above("killed", "killed_or_injured_stated")],
}


INVARIANTS.update(department_checks.ROW_INVARIANTS)


def check_invariants(tables: dict[str, ParsedTable], problems: list[Problem]) -> None:
    for name, checks in INVARIANTS.items():
        table = tables.get(name)
        if table is None:
            continue
        for row, line in zip(table.rows, table.lines):
            for check in checks:
                try:
                    found = check(row)
                except KeyError:
                    continue
                if found:
                    column, value, expected = found
                    problems.append(Problem(table.file, line, column, value, expected))


# Funding invariants live in funding_checks.py (as the DTM department checks live in department_checks.py).
INVARIANTS["funding"] = [funding_checks.published_not_before_date]
INVARIANTS["funding_costs"] = [not_greater("amount_low", "amount_high"), funding_checks.published_not_before_date]


def validate(data_dir: Path, names: Iterable[str] | None = None, today: date | None = None,
             check_hash: bool = True) -> dict[str, pd.DataFrame]:
    """Validate the named tables (all when None) and every table they refer to; return typed frames.

    Raises DataValidationError listing every problem found.
    """
    today = today or date.today()
    descriptor = read_descriptor(data_dir)
    all_names = [r["name"] for r in descriptor.get("resources", [])]
    wanted = list(all_names if names is None else names)
    for n in wanted:
        if n not in all_names:
            raise DataValidationError([Problem(_label(Path(data_dir) / "datapackage.json"), None, "resources", n,
                                               "a table declared in datapackage.json: " + ", ".join(all_names))])
    # Pull in the tables the wanted ones point at (sources, dtm_rounds) so keys can be checked.
    closure = list(wanted)
    for n in closure:
        for fk in resource(descriptor, n)["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"]
            if target and target not in closure:
                closure.append(target)
    problems: list[Problem] = []
    parsed = {n: parse_table(Path(data_dir), resource(descriptor, n), today, problems, check_hash) for n in closure}
    check_foreign_keys(parsed, descriptor, problems)
    check_invariants(parsed, problems)
    problems.extend(Problem(*found) for found in department_checks.problems(parsed, Path(data_dir)))
    flagged = {(p.file, p.line) for p in problems}
    problems.extend(Problem(*found) for found in funding_checks.problems(parsed, flagged))
    if problems:
        raise DataValidationError(problems)
    return {n: parsed[n].frame for n in wanted}
