"""Checks of the IOM DTM department tables, run by validation.validate() with the usual file, line and
column errors. As BuzzFeed did with its own data: the parsed department rows are summed and held against
the source's totals (dtm_rounds), the origin rows against their department, and every pcode against the
boundary file in data/geo (read with json: geopandas is too heavy to load in every kernel).

Tables are validation.ParsedTable objects (rows, lines, file); a problem is a tuple
(file, line, column, value, expected) that validation turns into a Problem, so this module imports
nothing from validation.
"""

from __future__ import annotations

import json
from pathlib import Path

from .departments import DEPARTMENT_NAMES, NOT_AVAILABLE

GEO_FILE = "hti-adm1-departments.geojson"  # in data/geo/: the COD-AB department boundaries the map draws
PCODE_TABLES = {"dtm_departments": ["adm1_pcode"], "dtm_origins": ["adm1_pcode", "origin_adm1_pcode"], "dtm_areas": ["adm1_pcode"]}


def department_name_matches_pcode(row: dict):
    pcode, name = row.get("adm1_pcode"), row.get("department")
    expected = DEPARTMENT_NAMES.get(pcode)
    if expected and name is not None and name != expected:
        return "department", name, f"{expected!r}, the French name of {pcode} (tables join on adm1_pcode)"
    return None


def sexes_sum_to_idps(row: dict):
    males, females, idps = row.get("males"), row.get("females"), row.get("idps")
    if (males is None) != (females is None):
        missing = "males" if males is None else "females"
        return missing, None, "both males and females, or neither (IOM gives both or no breakdown by sex)"
    if males is not None and idps is not None and males + females != idps:
        return "females", females, f"males + females = idps ({males} + {females} is not {idps})"
    return None


ROW_INVARIANTS = {"dtm_departments": [department_name_matches_pcode, sexes_sum_to_idps]}


def _by_key(table, columns: list[str]) -> dict[tuple, list[tuple[dict, int]]]:
    groups: dict[tuple, list[tuple[dict, int]]] = {}
    for row, line in zip(table.rows, table.lines):
        groups.setdefault(tuple(row[c] for c in columns), []).append((row, line))
    return groups


def _lines(group: list[tuple[dict, int]]) -> str:
    lines = [line for _, line in group]
    if lines == list(range(lines[0], lines[0] + len(lines))):
        return f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}-{lines[-1]}"
    return "lines " + ", ".join(str(n) for n in lines[:8]) + (", ..." if len(lines) > 8 else "")


def _sum(group: list[tuple[dict, int]]) -> int | None:
    values = [row["idps"] for row, _ in group]
    return None if any(v is None for v in values) else sum(values)


def check_department_totals(tables: dict, problems: list) -> None:
    """For every round with department rows: they sum to the national total and count the departments covered."""
    departments, rounds = tables.get("dtm_departments"), tables.get("dtm_rounds")
    if departments is None or rounds is None:
        return
    by_round = _by_key(departments, ["round_id"])
    for row, line in zip(rounds.rows, rounds.lines):
        group = by_round.get((row["round_id"],))
        if not group:
            continue  # a round IOM describes but the API does not yet give by department (e.g. Round 11)
        total = _sum(group)
        if total is not None and row["idps"] is not None and total != row["idps"]:
            problems.append((rounds.file, line, "idps", row["idps"],
                                    f"{total}, the sum of the department rows of {row['round_id']} in {departments.file} "
                                    f"({_lines(group)}): correct the national total or the department rows"))
        covered = row.get("departments_covered")
        if covered is not None and covered != len(group):
            problems.append((rounds.file, line, "departments_covered", covered,
                                    f"{len(group)}, the number of department rows of {row['round_id']} in {departments.file}"))


def check_origin_totals(tables: dict, problems: list) -> None:
    """A department's origin and reason rows sum to its total; every department row has them."""
    departments, origins = tables.get("dtm_departments"), tables.get("dtm_origins")
    if departments is None or origins is None:
        return
    by_department = _by_key(origins, ["round_id", "adm1_pcode"])
    for row, line in zip(departments.rows, departments.lines):
        if row["round_id"] is None or row["adm1_pcode"] is None:
            continue  # already reported as a bad cell
        group = by_department.get((row["round_id"], row["adm1_pcode"]))
        if not group:
            problems.append((departments.file, line, "adm1_pcode", row["adm1_pcode"],
                                    f"rows in {origins.file} saying where the IDPs of {row['round_id']} in this department "
                                    "came from (none found; an origin IOM does not give is written 'Not available')"))
            continue
        total = _sum(group)
        if total is not None and row["idps"] is not None and total != row["idps"]:
            problems.append((departments.file, line, "idps", row["idps"],
                                    f"{total}, the sum of the origin and reason rows of {row['round_id']} {row['adm1_pcode']} "
                                    f"in {origins.file} ({_lines(group)}): correct the department total or those rows"))


def check_area_departments(tables: dict, problems: list) -> None:
    """An exact department figure in dtm_areas is IOM's department figure (a differing one belongs in idps_alt)."""
    departments, areas = tables.get("dtm_departments"), tables.get("dtm_areas")
    if departments is None or areas is None:
        return
    known = _by_key(departments, ["round_id", "adm1_pcode"])
    for row, line in zip(areas.rows, areas.lines):
        if row.get("area_type") != "department" or row.get("qualifier") != "exact" or row.get("idps") is None:
            continue
        match = known.get((row["round_id"], row["adm1_pcode"]))
        if match and match[0][0]["idps"] is not None and match[0][0]["idps"] != row["idps"]:
            problems.append((areas.file, line, "idps", row["idps"],
                                    f"{match[0][0]['idps']}, IOM's figure for {row['adm1_pcode']} in {row['round_id']} "
                                    f"({departments.file} line {match[0][1]}); keep a differing figure in idps_alt"))


def geo_pcodes(data_dir: Path, problems: list) -> set[str] | None:
    """The department pcodes of the boundary file (read with json: geopandas is too heavy for every kernel)."""
    path = Path(data_dir) / "geo" / GEO_FILE
    label = f"{Path(data_dir).name}/geo/{GEO_FILE}"
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        found = {f["properties"]["adm1_pcode"] for f in features}
    except FileNotFoundError:
        problems.append((label, None, None, None,
                                "the department boundary file that the tables' pcodes refer to (it is missing)"))
        return None
    except (ValueError, UnicodeDecodeError, KeyError, TypeError) as exc:
        problems.append((label, None, "adm1_pcode", None,
                                f"GeoJSON features with an adm1_pcode property ({type(exc).__name__}: {exc})"))
        return None
    expected = set(DEPARTMENT_NAMES)
    if found != expected:
        missing, extra = sorted(expected - found), sorted(str(p) for p in found - expected)
        problems.append((label, None, "adm1_pcode", ", ".join(extra) or None,
                                "the ten department pcodes HT01-HT10" + (f" (missing {', '.join(missing)})" if missing else "")))
    return found


def check_department_pcodes(tables: dict, data_dir: Path, problems: list) -> None:
    """Every department pcode in the tables is one of the boundary file's (HT01-HT10)."""
    cells = [(tables[name].file, line, column, row.get(column))
             for name in PCODE_TABLES if tables.get(name) is not None
             for row, line in zip(tables[name].rows, tables[name].lines) for column in PCODE_TABLES[name]]
    cells = [c for c in cells if c[3] is not None and c[3] != NOT_AVAILABLE]
    if not cells:
        return  # no pcode to check: the boundary file is not needed
    known = geo_pcodes(data_dir, problems)
    if known is None:
        return
    for file, line, column, value in cells:
        if value not in known:
            problems.append((file, line, column, value, f"a department pcode of data/geo/{GEO_FILE} ({', '.join(sorted(known))})"))


def problems(tables: dict, data_dir: Path) -> list[tuple]:
    """Every problem the cross-table checks find, as (file, line, column, value, expected)."""
    found: list[tuple] = []
    check_department_totals(tables, found)
    check_origin_totals(tables, found)
    check_area_departments(tables, found)
    check_department_pcodes(tables, data_dir, found)
    return found
