"""Every chart of the report: one seaborn theme, colour-blind-safe colours (Okabe-Ito), a title that
states the finding, labelled axes with units and a source line. Functions take frames and return
figures; titles and source lines are passed in, computed by the notebook from the data. Every chart is
described in words and carries the rows it draws (describe(), show()): alt_text.py writes the
descriptions, chart_data.py the rows."""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import pandas as pd
import seaborn as sns

from . import alt_text, chart_data

# Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies.
BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, YELLOW, GREY = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#7F7F7F")
WIDTH, HEIGHT = 8.0, 4.4  # inches: fits an A4 text column at a readable size


def set_theme() -> None:
    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.95,
                  rc={"figure.figsize": (WIDTH, HEIGHT), "figure.dpi": 100, "axes.titleweight": "bold",
                      "axes.titlesize": 12, "axes.titlelocation": "left", "axes.spines.right": False,
                      "axes.spines.top": False, "legend.frameon": False, "savefig.bbox": "tight"})
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")  # PNG at 2x: sharp in HTML and in the PDF, never clipped
    except ImportError:  # outside IPython
        pass


def thousands(ax, axis: str = "y") -> None:
    fmt = mticker.FuncFormatter(lambda v, _: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def percent(ax, axis: str = "y") -> None:
    fmt = mticker.PercentFormatter(1.0, decimals=0)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def finish(fig, ax, title: str, xlabel: str, ylabel: str, source: str):
    ax.set_title(title, loc="left", wrap=True)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.tight_layout()
    fig.text(0.0, 0.0, f"Source: {source}", ha="left", va="top", fontsize=8, color="#444444", wrap=True,
             transform=fig.transFigure)
    return fig


def date_axis(ax) -> None:
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))


def deployed_band(ax, series: pd.DataFrame) -> None:
    """The deployed range as a band and arrivals net of departures as a step line (both change on event dates)."""
    ax.fill_between(series["date"], series["low"], series["high"], step="post", color=SKY, alpha=0.45,
                    label="deployed range (lowest to highest figure)")
    ax.step(series["date"], series["arrivals_net"], where="post", color=BLUE, lw=2, label="arrivals net of departures")


def deployment_chart(series: pd.DataFrame, planned: int, as_of, title: str, source: str,
                     reports: pd.DataFrame | None = None, other_plans: dict[str, int] | None = None,
                     quarter_line: bool = True):
    """Deployed personnel as a band (lowest to highest figure), the arrivals-based line and each reported
    strength figure on its own date, against the plan(s)."""
    fig, ax = plt.subplots()
    s = series.sort_values("date")
    deployed_band(ax, s)
    if reports is not None and not reports.empty:
        ax.scatter(reports["as_of"], reports["personnel"], color=VERMILION, s=20, zorder=3,
                   label="reported strength (whole force)")
    ax.axhline(planned, color=GREY, ls="--", lw=1.2)
    ax.annotate(f"planned: {planned:,}", (s["date"].min(), planned), xytext=(0, 4), textcoords="offset points",
                fontsize=9, color="#333333")
    if quarter_line:
        ax.axhline(planned / 4, color=ORANGE, ls=":", lw=1.2)
        ax.annotate(f"a quarter of the plan: {planned / 4:,.0f}", (s["date"].min(), planned / 4), xytext=(0, 4),
                    textcoords="offset points", fontsize=9, color="#8a5a00")
    for label, value in (other_plans or {}).items():
        ax.axhline(value, color=PURPLE, ls="-.", lw=1)
        ax.annotate(f"{label}: {value:,}", (s["date"].min(), value), xytext=(0, 4), textcoords="offset points",
                    fontsize=9, color=PURPLE)
    ax.axvline(pd.Timestamp(as_of), color="#333333", lw=0.8)
    ax.set_ylim(0, max([planned, *((other_plans or {}).values()), s["high"].max()]) * 1.12)
    thousands(ax)
    date_axis(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=9)
    describe(fig, alt=alt_text.deployment_alt(s, planned, as_of, reports, other_plans, quarter_line),
             data=chart_data.deployment_rows(s, planned, reports, other_plans, quarter_line), name="deployment")
    return finish(fig, ax, title, "", "personnel (people)", source)


def pledges_chart(table: pd.DataFrame, title: str, source: str):
    """Pledged (bar, with the range where sources disagree) against arrived, per country."""
    t = table.dropna(subset=["pledged_high"]).sort_values("pledged_high")
    fig, ax = plt.subplots(figsize=(WIDTH, max(2.6, 0.42 * len(t) + 1.2)))
    y = range(len(t))
    ax.barh(y, t["pledged_high"], color="#d9d9d9", label="pledged (highest figure)")
    ax.barh(y, t["pledged_low"], color="#b3b3b3", label="pledged (lowest figure)")
    ax.barh(y, t["arrived"], height=0.45, color=BLUE, label="arrived, net")
    ax.set_yticks(list(y), t["country"])
    thousands(ax, "x")
    ax.legend(loc="lower right", fontsize=9)
    describe(fig, alt=alt_text.pledges_alt(table), data=chart_data.pledges_rows(table), name="pledges")
    return finish(fig, ax, title, "personnel (people)", "", source)


def short_label(label: str) -> str:
    """'Round 11 (round number assumed)' -> 'Round 11*': the caveat moves to the notebook's prose."""
    short = re.sub(r"\s*\(.*\)", "", label).replace(" assessment", "")
    return short + ("*" if short != label.replace(" assessment", "") else "")


def idps_chart(rounds: pd.DataFrame, title: str, source: str, deployed: pd.DataFrame | None = None):
    """IDPs per DTM round; hollow markers where the total is rounded or a lower bound."""
    fig, ax = plt.subplots()
    r = rounds.sort_values("reference_date")
    ax.plot(r["reference_date"], r["idps"], color=BLUE, lw=2, zorder=2)
    exact = r["idps_qualifier"].eq("exact")
    ax.scatter(r.loc[exact, "reference_date"], r.loc[exact, "idps"], color=BLUE, s=40, zorder=3, label="exact total")
    ax.scatter(r.loc[~exact, "reference_date"], r.loc[~exact, "idps"], facecolor="white", edgecolor=BLUE, lw=1.8,
               s=46, zorder=3, label="rounded total or lower bound")
    # Labels above their point; the first starts at it and the last ends at it (never cut at an edge), and
    # a round followed within two months by the next is labelled below its point (no overlap).
    dates = list(r["reference_date"])
    for i, (_, row) in enumerate(r.iterrows()):
        below = i + 1 < len(dates) and dates[i + 1] - dates[i] < pd.Timedelta(days=60)
        ha = "left" if i == 0 and len(dates) > 1 else "right" if i == len(dates) - 1 and len(dates) > 1 else "center"
        ax.annotate(short_label(row["round_label"]), (row["reference_date"], row["idps"]),
                    xytext=({"left": -4, "right": 4, "center": 0}[ha], -15 if below else 9), textcoords="offset points",
                    fontsize=8, ha=ha, va="top" if below else "baseline", color="#333333")
    ax.margins(x=0.04)
    ax.set_ylim(0, r["idps"].max() * 1.15)
    thousands(ax)
    date_axis(ax)
    ax.legend(loc="upper left", fontsize=9)
    describe(fig, alt=alt_text.idps_alt(r), data=chart_data.idps_rows(r), name="displaced")
    return finish(fig, ax, title, "", "internally displaced people", source)


def host_sites_chart(table: pd.DataFrame, title: str, source: str):
    """Share with host families against the rest, per round where stated."""
    t = table.sort_values("reference_date")
    fig, ax = plt.subplots(figsize=(WIDTH, 3.6))
    labels = [short_label(label) for label in t["round_label"]]
    ax.bar(labels, t["host_share"], color=GREEN, label="with host families")
    ax.bar(labels, t["not_with_hosts"], bottom=t["host_share"], color=ORANGE, label="in sites or elsewhere")
    for i, (_, row) in enumerate(t.iterrows()):
        ax.text(i, row["host_share"] / 2, f"{row['host_share']:.0%}", ha="center", va="center", color="white", fontsize=9)
    ax.set_ylim(0, 1)
    percent(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=9)
    describe(fig, alt=alt_text.host_sites_alt(t), data=chart_data.host_sites_rows(t), name="host-families")
    return finish(fig, ax, title, "", "share of IDPs", source)


def violence_chart(quarters: pd.DataFrame, deployment: pd.DataFrame, planned: int, title: str, source: str):
    """Killed and injured per quarter (top) over the deployed force on the same time axis (bottom)."""
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(WIDTH, 6.0), gridspec_kw={"height_ratios": [3, 2]})
    q = quarters.sort_values("period_start")
    width = pd.Timedelta(days=38)
    mid = q["period_start"] + (q["period_end"] - q["period_start"]) / 2
    top.bar(mid - width / 2, q["killed"], width=width, color=VERMILION, label="killed")
    top.bar(mid + width / 2, q["injured"], width=width, color=ORANGE, label="injured")
    top.set_ylabel("people per quarter")
    top.set_ylim(0, max(q["killed"].max(), q["injured"].max()) * 1.2)  # headroom: the legend row sits above the bars
    thousands(top)
    top.legend(loc="upper left", ncol=2, fontsize=9)
    top.set_title(title, loc="left", wrap=True)
    s = deployment.sort_values("date")
    deployed_band(bottom, s)
    bottom.axhline(planned, color=GREY, ls="--", lw=1)
    # The plan's label at the right end, under the legend's single row (which keeps the top left).
    bottom.annotate(f"planned: {planned:,}", (1, planned), xycoords=bottom.get_yaxis_transform(), xytext=(0, 3),
                    textcoords="offset points", ha="right", fontsize=8, color="#333333")
    bottom.set_ylim(0, max(planned, s["high"].max()) * 1.35)
    bottom.set_ylabel("MSS/GSF personnel")
    thousands(bottom)
    date_axis(bottom)
    bottom.legend(loc="upper left", ncol=2, fontsize=9)
    fig.text(0.0, -0.01, f"Source: {source}", ha="left", va="top", fontsize=8, color="#444444", wrap=True)
    fig.tight_layout()
    return describe(fig, alt=alt_text.violence_alt(q, s, planned), data=chart_data.violence_rows(q, s, planned),
                    name="killed-injured")


class ChartNotDescribed(ValueError):
    """A chart shown without a description in words or without its data."""


def chart_name(fig) -> str:
    """What names a figure in an error: its describe() name, else its title."""
    chart = getattr(fig, "haiti_chart", None)
    if chart:
        return chart["name"]
    titles = [t for ax in fig.axes for t in (ax.get_title("left"), ax.get_title()) if t]
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""
    return suptitle or (titles[0] if titles else "untitled figure")


def describe(fig, *, alt: str, data: pd.DataFrame, name: str):
    """Attach what a reader who cannot see the chart needs: `alt`, a text alternative computed from the
    data drawn (what the chart shows, the finding, the range of the values), and `data`, exactly the
    rows drawn with their source ids (offered as the chart's "Data (CSV)" download, file `name`.csv).
    Every chart function calls this before returning its figure."""
    if not isinstance(name, str) or not chart_data.NAME.match(name):
        raise ChartNotDescribed(f"chart name {name!r}: expected lower-case letters, digits, '-' or '_' (it names the CSV file)")
    words = alt.split() if isinstance(alt, str) else []
    if len(words) < 8 or not alt.rstrip().endswith("."):
        raise ChartNotDescribed(f"chart {name!r}: the alt text must be at least a sentence (8 words or more, "
                                f"ending with a full stop), got {alt!r}")
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise ChartNotDescribed(f"chart {name!r}: data must be the rows the chart draws (a non-empty DataFrame)")
    fig.haiti_chart = {"alt": " ".join(words), "data": data, "name": name}
    return fig


def show(fig) -> None:
    """Display a described figure in the notebook output, then its "Data (CSV)" link, and free it.

    The PNG carries the alt text in its output metadata (image/png: alt), which the report template
    writes into the <img alt> (and WeasyPrint into the PDF's Figure tag). A figure that did not go
    through describe() stops the notebook with an error naming the chart."""
    from IPython.core.pylabtools import retina_figure
    from IPython.display import HTML, display

    chart = getattr(fig, "haiti_chart", None)
    if not chart:
        name = chart_name(fig)
        plt.close(fig)
        raise ChartNotDescribed(f"chart {name!r} has no description: call charts.describe(fig, alt=..., data=..., "
                                "name=...) in its chart function before charts.show()")
    png, size = retina_figure(fig, base64=True, bbox_inches="tight")  # 2x pixels: sharp in HTML and PDF
    display({"image/png": png, "text/plain": chart["alt"]}, raw=True,
            metadata={"image/png": {**size, "alt": chart["alt"]}})
    display(HTML(chart_data.data_link(chart["data"], chart["name"])))
    plt.close(fig)


def funding_chart(fund: pd.DataFrame, pledged: pd.DataFrame, costs: pd.DataFrame, cost_steps: pd.DataFrame,
                  deployment: pd.DataFrame, planned: int, as_of, title: str, source: str):
    """Money in the trust fund (dots at the date each figure refers to, hollow for pledges) against the range of
    yearly cost estimates known over time (band per mission), over the deployed force on the same time axis.
    Amounts in US$ million as the sources state them; `costs` holds the yearly estimates (per_year_low/high)."""
    million = 1_000_000
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(WIDTH, 6.4), gridspec_kw={"height_ratios": [3, 2]})
    colours = {"MSS": ORANGE, "GSF": PURPLE}
    names = {"MSS": "MSS", "GSF": "Gang Suppression Force"}
    for mission, steps in cost_steps.groupby("mission", sort=False):
        label = f"estimated yearly cost, {names[mission]} (range of estimates)"
        top.fill_between(steps["date"], steps["low"] / million, steps["high"] / million, step="post",
                         color=colours[mission], alpha=0.25, lw=0, label=label)
        top.step(steps["date"], steps["high"] / million, where="post", color=colours[mission], lw=1.2)
        top.step(steps["date"], steps["low"] / million, where="post", color=colours[mission], lw=1.2)
    if not costs.empty:
        top.scatter(costs["known_from"], costs["per_year_high"] / million, marker="D", s=22, color="#333333", zorder=4,
                    label="a cost estimate, when published")
        ranged = costs[costs["per_year_low"] != costs["per_year_high"]]
        top.scatter(ranged["known_from"], ranged["per_year_low"] / million, marker="D", s=22, color="#333333", zorder=4)
    f = fund.sort_values("date")
    top.plot(f["date"], f["amount"] / million, color=BLUE, lw=1, ls=":", zorder=2)
    top.scatter(f["date"], f["amount"] / million, color=BLUE, s=36, zorder=3,
                label="money in the trust fund (deposited, received, raised or total)")
    if not pledged.empty:
        top.scatter(pledged["date"], pledged["amount"] / million, facecolor="white", edgecolor=BLUE, lw=1.6, s=40,
                    zorder=3, label="pledged in total")
    highest = max([cost_steps["high"].max() if not cost_steps.empty else 0, f["amount"].max(),
                   pledged["amount"].max() if not pledged.empty else 0]) / million
    last = f.iloc[-1]
    label = _money_alt(last["amount"]).replace("$", r"\$")
    top.annotate(label, (last["date"], last["amount"] / million), xytext=(0, 7),
                 textcoords="offset points", fontsize=8, ha="center", color=BLUE)
    top.set_ylim(0, highest * 1.15)
    top.set_ylabel("US$ million")
    thousands(top)
    top.set_title(title.replace("$", r"\$"), loc="left", wrap=True)  # a literal '$', not matplotlib's maths
    s = deployment.sort_values("date")
    deployed_band(bottom, s)
    bottom.axhline(planned, color=GREY, ls="--", lw=1)
    bottom.annotate(f"planned: {planned:,}", (s["date"].min(), planned), xytext=(0, 3), textcoords="offset points",
                    fontsize=8, color="#333333")
    bottom.set_ylim(0, max(planned, s["high"].max()) * 1.15)
    bottom.set_ylabel("MSS/GSF personnel")
    thousands(bottom)
    date_axis(bottom)
    for ax in (top, bottom):
        ax.axvline(pd.Timestamp(as_of), color="#333333", lw=0.8)
    fig.tight_layout(rect=(0, 0.13, 1, 1))
    handles = [h for ax in (top, bottom) for h in ax.get_legend_handles_labels()[0]]
    labels = [lab for ax in (top, bottom) for lab in ax.get_legend_handles_labels()[1]]
    fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=2, fontsize=8)
    fig.text(0.0, -0.01, f"Source: {source}".replace("$", r"\$"), ha="left", va="top", fontsize=8, color="#444444",
             wrap=True)
    return describe(fig, alt=_funding_alt(f, pledged, costs, s, planned, as_of, title),
                    data=_funding_rows(f, pledged, costs, s), name="funding-against-cost")


def _money_alt(amount) -> str:
    return f"US${amount / 1_000_000:,.1f} million".replace(".0 million", " million")


def _funding_alt(fund, pledged, costs, deployment, planned, as_of, title) -> str:
    first = min([fund["date"].min(), deployment["date"].min(), *(costs["known_from"] if not costs.empty else [])])
    lo, hi = fund.loc[fund["amount"].idxmin()], fund.loc[fund["amount"].idxmax()]
    parts = [f"Two charts on one time axis, {first:%B %Y} to {pd.Timestamp(as_of):%d %B %Y}.",
             f"Top: {len(fund)} figures for the money in the trust fund, from {_money_alt(lo['amount'])} "
             f"({lo['date']:%B %Y}) to {_money_alt(hi['amount'])} ({hi['date']:%B %Y})"]
    if not pledged.empty:
        parts[-1] += (f", and {len(pledged)} pledged totals from {_money_alt(pledged['amount'].min())} "
                      f"to {_money_alt(pledged['amount'].max())}")
    if not costs.empty:
        parts[-1] += (f"; against {len(costs)} estimates of the yearly cost, "
                      f"from {_money_alt(costs['per_year_low'].min())} "
                      f"to {_money_alt(costs['per_year_high'].max())} a year.")
    else:
        parts[-1] += "; no cost estimate had been published."
    low, high = int(deployment["low"].min()), int(deployment["high"].max())
    parts.append(f"Bottom: deployed personnel, from {low:,} to {high:,}, "
                 f"against the plan of {planned:,}.")
    parts.append(f"Finding: {title}.")
    return " ".join(parts)


def _funding_rows(fund, pledged, costs, deployment) -> pd.DataFrame:
    """Exactly the values drawn, one row per point or step, with their source ids."""
    def row(panel, series, when, low, high, unit, kind, source_id):
        return {"panel": panel, "series": series, "date": when, "low": low, "high": high, "unit": unit, "kind": kind,
                "source_id": source_id}
    rows = [row("money", "in the trust fund", r["date"], r["amount"], r["amount"], "US$", r["kind"], r["source_id"])
            for _, r in fund.iterrows()]
    rows += [row("money", "pledged in total", r["date"], r["amount"], r["amount"], "US$", r["kind"], r["source_id"])
             for _, r in pledged.iterrows()]
    rows += [row("money", f"yearly cost estimate, {r['mission']}", r["known_from"], r["per_year_low"], r["per_year_high"],
                 "US$ a year", "cost", r["source_id"]) for _, r in costs.iterrows()]
    rows += [row("deployment", "deployed personnel", r["date"], r["low"], r["high"], "people", "deployed",
                 r.get("source_id", "")) for _, r in deployment.iterrows()]
    return pd.DataFrame(rows, columns=["panel", "series", "date", "low", "high", "unit", "kind", "source_id"])
