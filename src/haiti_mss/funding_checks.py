"""Checks of the funding tables (funding.csv, funding_costs.csv), run by validation.validate() with the
usual file, line and column errors: money that comes out of a pledge is never more than the pledge, a
money row states an amount or a share and a currency exactly when it has an amount, and no figure is
published before the date it refers to.

Tables are validation.ParsedTable objects (rows, lines, file); a problem is a tuple
(file, line, column, value, expected) that validation turns into a Problem, so this module imports
nothing from validation (as department_checks.py).
"""

from __future__ import annotations

from typing import Iterable

# Money that comes out of a pledge: it can never be more than the pledge itself.
PART_OF_A_PLEDGE = ("received", "deposited", "spent", "frozen", "disbursed")


def published_not_before_date(row: dict):
    """A figure cannot be made public before the date it refers to (a row invariant)."""
    when, published = row.get("date"), row.get("published")
    if when is not None and published is not None and published < when:
        return "published", published.isoformat(), f"a date on or after the date the figure refers to ({when.isoformat()})"
    return None


def _has_columns(table, *columns: str) -> bool:
    """A cross-row check runs only on a table that has its columns (a reduced schema skips it, as rows do)."""
    return bool(table.rows) and set(columns) <= set(table.rows[0])


def amount_or_share(table, flagged: set) -> Iterable[tuple]:
    """A money row states an amount or, failing that, a share of the need; a currency exactly when it has an
    amount. A row whose cells already failed to parse is left to that one message."""
    if not _has_columns(table, "amount", "share_of_need", "currency"):
        return
    for row, line in zip(table.rows, table.lines):
        if (table.file, line) in flagged:
            continue
        amount, share, currency = row.get("amount"), row.get("share_of_need"), row.get("currency")
        if amount is None and share is None:
            yield (table.file, line, "amount", None, "an amount, or a share_of_need where the source states only a share")
        elif amount is not None and currency is None:
            yield (table.file, line, "currency", None, "a currency for the amount (USD, or not_stated when the source gives none)")
        elif amount is None and currency is not None:
            yield (table.file, line, "currency", currency, "an empty currency when no amount is given")


def funding_within_pledge(table, flagged: set) -> Iterable[tuple]:
    """Received (deposited, spent, frozen, disbursed) <= pledged, for the same mission, donor, date and currency, where
    both are given. A pledge the source presents as an addition ('further pledges') is not a total and is skipped."""
    if not _has_columns(table, "mission", "donor", "kind", "is_addition", "date", "amount", "currency"):
        return
    pledged: dict[tuple, tuple[int, int]] = {}
    for row, line in zip(table.rows, table.lines):
        if row.get("kind") == "pledged" and not row.get("is_addition") and row.get("amount") is not None:
            key = (row.get("mission"), row.get("donor"), row.get("date"), row.get("currency"))
            if key not in pledged or row["amount"] > pledged[key][0]:
                pledged[key] = (row["amount"], line)
    for row, line in zip(table.rows, table.lines):
        key = (row.get("mission"), row.get("donor"), row.get("date"), row.get("currency"))
        if row.get("kind") in PART_OF_A_PLEDGE and row.get("amount") is not None and key in pledged:
            limit, at = pledged[key]
            if row["amount"] > limit:
                yield (table.file, line, "amount", row["amount"],
                       f"an amount {row['kind']} not above the {limit} pledged by {row['donor']} on "
                       f"{row['date'].isoformat()} (line {at})")


# Checks across the rows of one table.
TABLE_CHECKS = {"funding": [amount_or_share, funding_within_pledge]}


def problems(tables: dict, flagged: set) -> list[tuple]:
    """Every cross-row funding problem; `flagged` holds the (file, line) pairs that already failed to parse."""
    found: list[tuple] = []
    for name, checks in TABLE_CHECKS.items():
        table = tables.get(name)
        if table is not None and table.rows:
            for check in checks:
                found.extend(check(table, flagged))
    return found
