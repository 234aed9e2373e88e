"""Money for the mission: the UN trust fund against the estimated cost, the donors, the frozen US contribution.

Known on a date. The `date` column says what a figure refers to and places it on the time axis; the
`published` column says when it was made public, and only that decides whether it was known on as_of.
A figure counts from the END of its publication precision: one published "in September 2024" (the
Secretary-General's $85.3 million) counts from 30 September 2024, never earlier. Kenya's "$85 million
received as of the end of 2024" refers to 31 December 2024 but was published in February 2025, so it
counts from 28 February 2025. Where the publication date is unknown, the figure counts from the end of
the period its own `date` refers to.

Share of the cost. The latest money-in-the-fund figure known on as_of (kind deposited, received, raised
or balance, for all donors, not outside the fund; "latest" by the date it refers to) is divided by every
yearly cost estimate of the same mission known on as_of. An estimate for several years is divided by
its years ($515-600 million over two years becomes $257.5-300 million a year), which assumes even
spending; an estimate with no stated period is never made yearly. The share is a range: the money over
the highest yearly estimate to the money over the lowest. Only US-dollar amounts are divided; an amount
whose currency is not stated is shown as written and never converted.

Pure functions, no I/O, no plotting.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import text

IN_FUND = ("deposited", "received", "raised", "balance")
PAID_IN = ("deposited", "received")
ALL_DONORS = "all donors"
OUTSIDE_FUND = ("outside_fund", "mostly_outside_fund")
MISSION_NAMES = {"MSS": "the MSS", "GSF": "the Gang Suppression Force"}


# ---------------------------------------------------------------- known on a date

def known_from(when, precision: str | None) -> pd.Timestamp:
    """The first day a figure dated `when` at `precision` is certainly public: the end of its month or year."""
    ts = pd.Timestamp(when)
    if precision == "month":
        return ts + pd.offsets.MonthEnd(0)
    if precision == "year":
        return ts + pd.offsets.YearEnd(0)
    return ts


def with_known_from(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a `known_from` column: from `published` where given, else from `date`."""
    out = frame.copy()
    dated = [known_from(p, pp) if pd.notna(p) else known_from(d, dp)
             for p, pp, d, dp in zip(out["published"], out["published_precision"], out["date"], out["date_precision"])]
    out["known_from"] = pd.to_datetime(pd.Series(dated, index=out.index, dtype="object"))
    return out


def known_on(frame: pd.DataFrame, as_of) -> pd.DataFrame:
    """The rows that were public on as_of (see the module's doc), sorted by the date they refer to."""
    out = with_known_from(frame)
    return out[out["known_from"] <= pd.Timestamp(as_of)].sort_values(["date", "known_from"], kind="stable")


def first_known(frame: pd.DataFrame) -> pd.Timestamp | None:
    """The first day any row of the frame was public (None for an empty frame)."""
    return None if frame.empty else with_known_from(frame)["known_from"].min()


# ---------------------------------------------------------------- costs and the fund

def yearly_costs(costs: pd.DataFrame, as_of, mission: str | None = None) -> pd.DataFrame:
    """Cost estimates known on as_of with a stated period, in US dollars, as yearly amounts (per_year_low/high)."""
    rows = known_on(costs, as_of)
    rows = rows[rows["period_years"].notna() & (rows["currency"] == "USD")]
    if mission is not None:
        rows = rows[rows["mission"] == mission]
    rows = rows.copy()
    rows["per_year_low"] = rows["amount_low"].astype("Float64") / rows["period_years"]
    rows["per_year_high"] = rows["amount_high"].astype("Float64") / rows["period_years"]
    return rows


def fund_figures(funding: pd.DataFrame, as_of, kinds=IN_FUND) -> pd.DataFrame:
    """Whole-fund US-dollar amounts of the given kinds known on as_of (totals for all donors, not outside the fund)."""
    rows = known_on(funding, as_of)
    return rows[(rows["donor"] == ALL_DONORS) & rows["kind"].isin(kinds) & rows["amount"].notna()
                & (rows["currency"] == "USD") & ~rows["channel"].isin(OUTSIDE_FUND) & ~rows["is_addition"]]


@dataclass(frozen=True)
class FundShare:
    as_of: pd.Timestamp
    figure: pd.Series  # the latest money-in-the-fund row known on as_of
    costs: pd.DataFrame  # the yearly estimates of the same mission known on as_of
    per_year_low: float | None
    per_year_high: float | None
    share_low: float | None
    share_high: float | None

    @property
    def amount(self) -> int:
        return int(self.figure["amount"])

    @property
    def mission(self) -> str:
        return self.figure["mission"]

    @property
    def source_ids(self) -> list[str]:
        return [self.figure["source_id"], *[s for s in self.costs["source_id"] if s != self.figure["source_id"]]]


def fund_share(funding: pd.DataFrame, costs: pd.DataFrame, as_of) -> FundShare | None:
    """The latest money in the fund known on as_of against one year's estimated cost (None: no fund figure yet)."""
    figures = fund_figures(funding, as_of)
    if figures.empty:
        return None
    figure = figures.iloc[-1]
    yearly = yearly_costs(costs, as_of, figure["mission"])
    if yearly.empty:
        return FundShare(pd.Timestamp(as_of), figure, yearly, None, None, None, None)
    low, high = float(yearly["per_year_low"].min()), float(yearly["per_year_high"].max())
    amount = float(figure["amount"])
    return FundShare(pd.Timestamp(as_of), figure, yearly, low, high, amount / high, amount / low)


def per_officer(amount: float, deployed_low: int, deployed_high: int) -> tuple[float, float] | None:
    """Money divided by deployed officers, as (lowest, highest): amount / most officers to amount / fewest.
    A rough ratio, not what was spent on each officer. None when no officer was deployed."""
    if deployed_low <= 0:
        return None
    return float(amount) / deployed_high, float(amount) / deployed_low


# ---------------------------------------------------------------- donors, the freeze, stated shares

def donor_rows(funding: pd.DataFrame, as_of) -> pd.DataFrame:
    """Every contribution by a named donor known on as_of, inside and outside the fund, by donor then date."""
    rows = known_on(funding, as_of)
    return rows[rows["donor"] != ALL_DONORS].sort_values(["donor", "date", "figure_id"], kind="stable")


def largest_contributors(funding: pd.DataFrame, as_of) -> pd.DataFrame:
    """Donors to the trust fund ranked by the latest US-dollar amount paid in (deposited or received) known on
    as_of, then by the latest total pledged. One row per donor with the amounts, their dates and source ids."""
    rows = donor_rows(funding, as_of)
    rows = rows[(rows["channel"] == "trust_fund") & (rows["currency"] == "USD") & rows["amount"].notna()]
    out = []
    for donor, group in rows.groupby("donor", sort=False):
        paid = group[group["kind"].isin(PAID_IN)]
        pledged = group[(group["kind"] == "pledged") & ~group["is_addition"]]
        out.append({
            "donor": donor,
            "paid_in": paid["amount"].iloc[-1] if not paid.empty else pd.NA,
            "paid_in_date": paid["date"].iloc[-1] if not paid.empty else pd.NaT,
            "paid_in_precision": paid["date_precision"].iloc[-1] if not paid.empty else None,
            "paid_in_source": paid["source_id"].iloc[-1] if not paid.empty else None,
            "pledged": pledged["amount"].iloc[-1] if not pledged.empty else pd.NA,
            "pledged_date": pledged["date"].iloc[-1] if not pledged.empty else pd.NaT,
            "pledged_precision": pledged["date_precision"].iloc[-1] if not pledged.empty else None,
            "pledged_source": pledged["source_id"].iloc[-1] if not pledged.empty else None,
        })
    frame = pd.DataFrame(out, columns=["donor", "paid_in", "paid_in_date", "paid_in_precision", "paid_in_source",
                                       "pledged", "pledged_date", "pledged_precision", "pledged_source"])
    frame["paid_in"] = frame["paid_in"].astype("Int64")
    frame["pledged"] = frame["pledged"].astype("Int64")
    frame = frame.sort_values(["paid_in", "pledged"], ascending=False, na_position="last", kind="stable")
    return frame.reset_index(drop=True)


def frozen(funding: pd.DataFrame, as_of) -> pd.DataFrame:
    """Frozen contributions known on as_of, with the pledge and the money spent the same donor and day."""
    rows = known_on(funding, as_of)
    keys = rows.loc[rows["kind"] == "frozen", ["donor", "date"]].drop_duplicates()
    if keys.empty:
        return rows.iloc[0:0]
    related = rows.merge(keys, on=["donor", "date"])
    return related[related["kind"].isin(["pledged", "spent", "frozen"])]


def stated_shares(funding: pd.DataFrame, as_of) -> pd.DataFrame:
    """Rows where a source states a share of the need instead of an amount, known on as_of."""
    rows = known_on(funding, as_of)
    return rows[rows["share_of_need"].notna()]


def statements_known(statements: pd.DataFrame, as_of) -> pd.DataFrame:
    """The sources' own words on money and deployment, made on or before as_of, oldest first."""
    ends = [known_from(d, p) for d, p in zip(statements["date"], statements["date_precision"])]
    return statements[pd.Series(ends, index=statements.index) <= pd.Timestamp(as_of)].sort_values("date")


# ---------------------------------------------------------------- for the chart

def cost_steps(costs: pd.DataFrame, as_of) -> pd.DataFrame:
    """The range of yearly estimates known over time, per mission: one row each time an estimate becomes
    public (date, mission, low, high), the MSS range ending where the first GSF estimate starts."""
    yearly = yearly_costs(costs, as_of)
    rows = []
    for mission, group in yearly.groupby("mission", sort=False):
        group = group.sort_values("known_from")
        for when in group["known_from"].drop_duplicates():
            seen = group[group["known_from"] <= when]
            rows.append({"date": when, "mission": mission, "low": float(seen["per_year_low"].min()),
                         "high": float(seen["per_year_high"].max())})
    steps = pd.DataFrame(rows, columns=["date", "mission", "low", "high"])
    gsf = steps.loc[steps["mission"] == "GSF", "date"]
    end = gsf.min() if not gsf.empty else pd.Timestamp(as_of)
    tails = []
    for mission, group in steps.groupby("mission", sort=False):
        last = group.iloc[-1]
        tails.append({"date": end if mission == "MSS" else pd.Timestamp(as_of), "mission": mission,
                      "low": last["low"], "high": last["high"]})
    if tails:
        steps = pd.concat([steps, pd.DataFrame(tails)], ignore_index=True)
    steps = steps[~((steps["mission"] == "MSS") & (steps["date"] > end))]
    return steps.sort_values(["mission", "date"], kind="stable").reset_index(drop=True)


def deployment_sources(series: pd.DataFrame, arrivals: pd.DataFrame, strength_reports: pd.DataFrame) -> pd.DataFrame:
    """The deployment series with the source ids of the arrivals and whole-force reports on each of its dates
    (a date with neither, such as as_of, says which earlier date it carries forward)."""
    reports = strength_reports[strength_reports["scope"] == "mission"]
    ids, previous = [], None
    for when in series["date"]:
        found = [*arrivals.loc[arrivals["date"] == when, "source_id"], *reports.loc[reports["as_of"] == when, "source_id"]]
        ids.append("; ".join(dict.fromkeys(found)) if found else
                   f"unchanged since {previous:%Y-%m-%d}" if previous is not None else "no arrival yet")
        previous = when if found else previous
    return series.assign(source_id=ids)


# ---------------------------------------------------------------- words

# Country names read with "the" in running text.
_WITH_ARTICLE = ("United States", "Dominican Republic", "Bahamas")


def donor_name(donor: str, capital: bool = False) -> str:
    """'United States' -> 'the United States' in running text; other names unchanged."""
    name = f"the {donor}" if donor in _WITH_ARTICLE else donor
    return name[0].upper() + name[1:] if capital else name


def possessive(donor: str, capital: bool = False) -> str:
    """'Canada' -> "Canada's"; 'United States' -> "the United States'"."""
    name = donor_name(donor, capital)
    return name + ("'" if name.endswith("s") else "'s")


def money(amount, currency: str = "USD") -> str:
    """85300000 -> 'US$85.3 million' (exact: never rounded); without a stated currency, 75833135 ->
    '75,833,135, currency not stated'."""
    if amount is None or amount is pd.NA or (isinstance(amount, float) and amount != amount):
        return "n/a"
    if currency != "USD":
        return f"{text.num(amount)}, currency not stated"
    value = float(amount)
    if value >= 1_000_000 and round(value) % 1000 == 0:
        digits = f"{value / 1_000_000:.3f}".rstrip("0").rstrip(".")
        return f"US${digits} million"
    return f"US${text.num(value)}"


def markdown_dollars(prose: str) -> str:
    """Prose for Markdown with '$' escaped: the report's Markdown reads '$...$' as maths, which would swallow
    the text between 'US$18 million' and 'US$240 million' (and any bold in it)."""
    return prose.replace("$", r"\$")


def money_span(low, high) -> str:
    """'US$240 million to US$600 million', or one amount when both ends agree."""
    return money(low) if low == high else f"{money(low)} to {money(high)}"


def rough_money(value: float) -> str:
    """A derived ratio to two significant figures: 42253.5 -> 'about US$42,000'."""
    if value <= 0:
        return "US$0"
    digits = len(str(int(value))) - 2
    return f"about US${int(round(value, -max(digits, 0))):,}"


# After the amount: what it counts, in the source's terms (a balance, "stands at", needs no word).
_AMOUNT_WORDS = {"raised": " raised", "received": " received", "deposited": " deposited", "balance": ""}
_COUNT_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def count_words(n: int) -> str:
    return _COUNT_WORDS.get(n, f"{n:,}")


def figure_phrase(row: pd.Series) -> str:
    """'the latest published figure for the trust fund was US$18 million raised, for April 2024'."""
    subject = "the trust fund" if row["channel"] == "trust_fund" else "the mission's money"
    return (f"the latest published figure for {subject} was {money(row['amount'])}{_AMOUNT_WORDS[row['kind']]}, "
            f"for {text.dated(row['date'], row['date_precision'])}")


def cost_phrase(share: FundShare) -> str:
    """'about US$800 million a year', or 'US$240 million to US$600 million a year across three estimates'."""
    if share.per_year_low == share.per_year_high:
        about = "about " if (share.costs["qualifier"] == "about").all() else ""
        return f"{about}{money(share.per_year_low)} a year"
    estimates = count_words(len(share.costs))
    return f"{money_span(share.per_year_low, share.per_year_high)} a year across {estimates} estimates"


def share_sentence(share: FundShare, strong: bool = False) -> str:
    """One sentence for prose: the latest fund figure known on as_of against one year's estimated cost
    (`strong`: the share in Markdown bold, for a key-figures list)."""
    f = share.figure
    head = f"On {text.day(share.as_of)} {figure_phrase(f)}"
    if share.share_low is None:
        return f"{head}; no cost estimate for {MISSION_NAMES[f['mission']]} had been published by then."
    shares = text.span(share.share_low, share.share_high, text.pct)
    return (f"{head}: {f'**{shares}**' if strong else shares} of one year's estimated cost of "
            f"{MISSION_NAMES[f['mission']]}, {cost_phrase(share)}.")
