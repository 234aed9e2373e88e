"""Displacement by department: IOM DTM figures per round and department (admin 1), and where the
displaced came from. Pure functions over the tables dtm_rounds, dtm_departments and dtm_origins; no I/O.

Departments are joined on their pcode (HT01-HT10) and shown with their French names, as IOM and
Haitian readers write them. A round is known on as_of when its reference_date is on or before it (as in
displacement.py). IOM's department table can lag its national totals (Round 11 has a national total
but no department rows), so the latest department round can be older than the latest national round:
DepartmentRound.newer_rounds names the rounds the caller must mention.

Origins that IOM does not give ("Not available") are never dropped: shares of "who fled Ouest" are
computed over the IDPs whose origin is known, and the IDPs of unknown origin are reported beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# The French names, as Haitian readers and IOM's reports write them (IOM's API drops the hyphens, the
# boundary file is in English): join on the pcode, show these.
DEPARTMENT_NAMES = {
    "HT01": "Ouest", "HT02": "Sud-Est", "HT03": "Nord", "HT04": "Nord-Est", "HT05": "Artibonite",
    "HT06": "Centre", "HT07": "Sud", "HT08": "Grand'Anse", "HT09": "Nord-Ouest", "HT10": "Nippes",
}
OUEST = "HT01"
NOT_AVAILABLE = "Not available"
ALL_DEPARTMENTS = len(DEPARTMENT_NAMES)


def name(pcode: str) -> str:
    """French name of a department pcode; 'Not available' stays as IOM writes it."""
    return DEPARTMENT_NAMES.get(pcode, pcode)


def _known_rounds(dtm_rounds: pd.DataFrame, as_of) -> pd.DataFrame:
    return dtm_rounds[dtm_rounds["reference_date"] <= pd.Timestamp(as_of)].sort_values("reference_date")


def department_rounds(dtm_rounds: pd.DataFrame, dtm_departments: pd.DataFrame, as_of) -> pd.DataFrame:
    """The rounds known on as_of that have department rows, oldest first (one row per round)."""
    rounds = _known_rounds(dtm_rounds, as_of)
    return rounds[rounds["round_id"].isin(set(dtm_departments["round_id"]))].reset_index(drop=True)


def idps_by_department(dtm_departments: pd.DataFrame, round_id: str) -> pd.DataFrame:
    """All ten departments for one round: idps (missing where the round did not cover the department),
    its share of the round's IDPs, males and females; largest first, departments not covered last."""
    rows = dtm_departments[dtm_departments["round_id"] == round_id].set_index("adm1_pcode")
    out = pd.DataFrame({"adm1_pcode": list(DEPARTMENT_NAMES), "department": list(DEPARTMENT_NAMES.values())})
    for column in ("idps", "males", "females"):
        out[column] = out["adm1_pcode"].map(rows[column]).astype("Int64")
    out["covered"] = out["idps"].notna()
    total = out["idps"].sum()
    out["share"] = (out["idps"].astype("Float64") / total) if total else pd.NA
    out = out.sort_values(["covered", "idps", "adm1_pcode"], ascending=[False, False, True])
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class DepartmentRound:
    """The latest round with department figures known on a date, and what the caller must say about it."""
    round_id: str
    round_label: str
    reference_date: pd.Timestamp
    reporting_date: pd.Timestamp
    reporting_precision: str
    departments_covered: int
    coverage: str
    idps: int  # the round's national total (equal to the department sum: checked in validation)
    table: pd.DataFrame  # idps_by_department() of this round
    newer_rounds: list[str] = field(default_factory=list)  # labels of later rounds known on as_of, without department rows

    @property
    def covers_all(self) -> bool:
        return self.departments_covered == ALL_DEPARTMENTS

    def figures(self) -> dict[str, int]:
        """{department: IDPs} of the departments covered, for figures.json."""
        covered = self.table[self.table["covered"]]
        return {d: int(v) for d, v in zip(covered["department"], covered["idps"])}


def latest_department_round(dtm_rounds: pd.DataFrame, dtm_departments: pd.DataFrame, as_of) -> DepartmentRound | None:
    """IDPs by department for the latest round on or before as_of that has department rows; None if none."""
    rounds = department_rounds(dtm_rounds, dtm_departments, as_of)
    if rounds.empty:
        return None
    r = rounds.iloc[-1]
    known = _known_rounds(dtm_rounds, as_of)
    newer = known[known["reference_date"] > r["reference_date"]]
    return DepartmentRound(
        round_id=r["round_id"], round_label=r["round_label"], reference_date=r["reference_date"],
        reporting_date=r["reporting_date"], reporting_precision=r["reporting_precision"],
        departments_covered=int(r["departments_covered"]), coverage=r["coverage"], idps=int(r["idps"]),
        table=idps_by_department(dtm_departments, r["round_id"]), newer_rounds=list(newer["round_label"]))


def department_change(dtm_departments: pd.DataFrame, from_round: str, to_round: str) -> pd.DataFrame:
    """Change per department between two rounds, largest absolute change first.

    A department the earlier round did not cover has no change (newly_covered): its IDPs were not
    counted, which is not the same as none."""
    for round_id in (from_round, to_round):
        if not dtm_departments["round_id"].eq(round_id).any():
            raise ValueError(f"no department rows for round {round_id!r} in dtm_departments")
    a = idps_by_department(dtm_departments, from_round).set_index("adm1_pcode")
    b = idps_by_department(dtm_departments, to_round).set_index("adm1_pcode")
    out = pd.DataFrame({"department": b["department"], "idps_from": a["idps"], "idps_to": b["idps"]})
    out["change"] = out["idps_to"] - out["idps_from"]
    out["growth"] = out["change"].astype("Float64") / out["idps_from"].astype("Float64").replace(0, pd.NA)
    out["newly_covered"] = out["idps_from"].isna() & out["idps_to"].notna()
    out["order"] = out["change"].abs()
    out = out.sort_values(["order"], ascending=False, na_position="last").drop(columns="order")
    return out.reset_index()


def last_two_department_rounds(dtm_rounds: pd.DataFrame, dtm_departments: pd.DataFrame, as_of) -> tuple[str, str] | None:
    """(previous, latest) round ids with department rows known on as_of; None if fewer than two."""
    rounds = department_rounds(dtm_rounds, dtm_departments, as_of)
    if len(rounds) < 2:
        return None
    return rounds["round_id"].iloc[-2], rounds["round_id"].iloc[-1]


@dataclass(frozen=True)
class OuestShares:
    """Where a round's IDPs are hosted and where they came from, against Ouest (the capital's department).

    Shares of origin are over the IDPs whose origin IOM gives; those of unknown origin are counted apart."""
    total: int
    hosted_outside: int  # IDPs hosted outside Ouest
    origin_known: int
    fled_ouest: int  # IDPs (anywhere) whose department of origin is Ouest
    origin_not_available: int
    outside_origin_known: int  # among the IDPs hosted outside Ouest
    outside_fled_ouest: int
    outside_origin_not_available: int

    @property
    def hosted_outside_share(self) -> float | None:
        return self.hosted_outside / self.total if self.total else None

    @property
    def fled_ouest_share(self) -> float | None:
        return self.fled_ouest / self.origin_known if self.origin_known else None

    @property
    def outside_fled_ouest_share(self) -> float | None:
        """Of the IDPs hosted outside Ouest (origin known), the share who had fled Ouest."""
        return self.outside_fled_ouest / self.outside_origin_known if self.outside_origin_known else None


def ouest_shares(dtm_origins: pd.DataFrame, round_id: str) -> OuestShares:
    """The share of IDPs hosted outside Ouest, and the share of those who fled Ouest (origin HT01)."""
    rows = dtm_origins[dtm_origins["round_id"] == round_id]
    outside = rows[rows["adm1_pcode"] != OUEST]

    def counts(frame: pd.DataFrame) -> tuple[int, int, int]:
        unknown = frame["origin_adm1_pcode"] == NOT_AVAILABLE
        return (int(frame.loc[~unknown, "idps"].sum()), int(frame.loc[frame["origin_adm1_pcode"] == OUEST, "idps"].sum()),
                int(frame.loc[unknown, "idps"].sum()))

    known, fled, unknown = counts(rows)
    o_known, o_fled, o_unknown = counts(outside)
    return OuestShares(total=int(rows["idps"].sum()), hosted_outside=int(outside["idps"].sum()), origin_known=known,
                       fled_ouest=fled, origin_not_available=unknown, outside_origin_known=o_known,
                       outside_fled_ouest=o_fled, outside_origin_not_available=o_unknown)


def flows(dtm_origins: pd.DataFrame, round_id: str) -> pd.DataFrame:
    """Origin -> host department flows of one round (summed over reasons), largest first, with each
    flow's share of the host department's IDPs. 'Not available' origins are kept as their own origin."""
    rows = dtm_origins[dtm_origins["round_id"] == round_id]
    out = rows.groupby(["origin_adm1_pcode", "adm1_pcode"], as_index=False)["idps"].sum()
    out["idps"] = out["idps"].astype("Int64")
    hosted = out.groupby("adm1_pcode")["idps"].transform("sum")
    out["share_of_host"] = out["idps"].astype("Float64") / hosted.astype("Float64")
    out.insert(1, "origin", out["origin_adm1_pcode"].map(name))
    out.insert(3, "department", out["adm1_pcode"].map(name))
    return out.sort_values(["idps", "adm1_pcode"], ascending=[False, True]).reset_index(drop=True)


def flow_matrix(dtm_origins: pd.DataFrame, round_id: str) -> pd.DataFrame:
    """Origin x destination matrix of one round: rows are origins, columns host departments (French
    names, pcode order; 'Not available' last), cells IDPs summed over reasons (0 where IOM gives none)."""
    f = flows(dtm_origins, round_id)
    matrix = f.pivot_table(index="origin_adm1_pcode", columns="adm1_pcode", values="idps", aggfunc="sum", fill_value=0)
    order = [p for p in DEPARTMENT_NAMES if p in matrix.index] + ([NOT_AVAILABLE] if NOT_AVAILABLE in matrix.index else [])
    matrix = matrix.loc[order, [p for p in DEPARTMENT_NAMES if p in matrix.columns]].astype("int64")
    matrix.index = [name(p) for p in matrix.index]
    matrix.columns = [name(p) for p in matrix.columns]
    matrix.index.name, matrix.columns.name = "origin", "hosted in"
    return matrix


def hosted_only_from(dtm_origins: pd.DataFrame, round_id: str, origin: str = OUEST) -> pd.DataFrame:
    """The other host departments every one of whose IDPs came from origin (e.g. 'every IDP in Sud had fled
    from Ouest'), largest first: department, adm1_pcode, idps. The origin itself is left out: people
    displaced within Ouest did not flee from Ouest (Round 9: all of Ouest's IDPs came from Ouest)."""
    f = flows(dtm_origins, round_id)
    only = f[(f["origin_adm1_pcode"] == origin) & (f["share_of_host"] == 1) & (f["adm1_pcode"] != origin)]
    return only[["adm1_pcode", "department", "idps"]].reset_index(drop=True)


def reasons(dtm_origins: pd.DataFrame, round_id: str) -> pd.DataFrame:
    """IDPs of one round per reason for displacement, as IOM words it, largest first, with shares."""
    rows = dtm_origins[dtm_origins["round_id"] == round_id]
    out = rows.groupby("reason", as_index=False)["idps"].sum().sort_values("idps", ascending=False)
    out["share"] = out["idps"].astype("Float64") / out["idps"].sum()
    return out.reset_index(drop=True)


def growth_with_coverage(dtm_rounds: pd.DataFrame, as_of) -> pd.DataFrame:
    """National rounds known on as_of with their coverage and whether it changed since the previous round,
    so that a comparison across a change of coverage can say so (rounds before 7 did not cover all ten)."""
    rows = _known_rounds(dtm_rounds, as_of)[["round_id", "round_label", "reference_date", "reporting_date",
                                              "reporting_precision", "idps", "departments_covered", "coverage"]].copy()
    rows["covers_all"] = rows["departments_covered"].eq(ALL_DEPARTMENTS)
    previous = rows["departments_covered"].shift()
    rows["coverage_changed"] = previous.notna() & rows["departments_covered"].ne(previous)
    return rows.reset_index(drop=True)


def first_full_coverage(dtm_rounds: pd.DataFrame, as_of) -> pd.Series | None:
    """The first round known on as_of that covered all ten departments (Round 7 in the data); None if none."""
    rows = _known_rounds(dtm_rounds, as_of)
    rows = rows[rows["departments_covered"] == ALL_DEPARTMENTS]
    return None if rows.empty else rows.iloc[0]
