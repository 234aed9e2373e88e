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
    for _, row in r.iterrows():
        ax.annotate(short_label(row["round_label"]), (row["reference_date"], row["idps"]), xytext=(0, 9),
                    textcoords="offset points", fontsize=8, ha="center", color="#333333")
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
    thousands(top)
    top.legend(loc="upper left", fontsize=9)
    top.set_title(title, loc="left", wrap=True)
    s = deployment.sort_values("date")
    deployed_band(bottom, s)
    bottom.axhline(planned, color=GREY, ls="--", lw=1)
    right = max([q["period_end"].max(), *s["date"]])  # at the right end: the legend sits top left
    bottom.annotate(f"planned: {planned:,}", (right, planned), xytext=(0, 3), ha="right",
                    textcoords="offset points", fontsize=8, color="#333333")
    bottom.set_ylim(0, max(planned, s["high"].max()) * 1.15)
    bottom.set_ylabel("MSS/GSF personnel")
    thousands(bottom)
    date_axis(bottom)
    bottom.legend(loc="upper left", fontsize=9)
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
