"""The data behind each chart: exactly the rows it draws, with their source ids, as a CSV that the page
offers under the chart ("Data (CSV)", an embedded data: link) and the PDF carries as an attachment.

The CSV's first line names the sources (id, publisher, title, date, link) and starts with '#'; read it
with pandas.read_csv(path, skiprows=1). attachments_in() reads the links back from a rendered page, for
the PDF's attachments. Pure functions, no plotting.
"""

from __future__ import annotations

import base64
import html
import re
from html.parser import HTMLParser

import pandas as pd

from . import text

LINK_TEXT = "Data (CSV)"
PDF_TEXT = "Data (CSV), attached to this PDF:"
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

# The sources ledger (data/sources.csv) of the running notebook, set by notebook.start(): the CSVs'
# first line names each source. Without it (a chart drawn outside a report) the line lists the ids.
_ledger: pd.DataFrame | None = None


def use_sources(sources: pd.DataFrame | None) -> None:
    global _ledger
    _ledger = None if sources is None else sources.set_index("source_id")


def source_ids(frame: pd.DataFrame) -> list[str]:
    """Every id in the frame's source_id / *_source_ids columns ('a; b' lists), each once, in order."""
    ids: dict[str, None] = {}
    for column in frame.columns:
        if column == "source_id" or column.endswith("source_ids"):
            for cell in frame[column].dropna():
                ids.update((i, None) for i in (s.strip() for s in str(cell).split(";")) if i)
    return list(ids)


def described(source_id: str, ledger: pd.DataFrame | None) -> str:
    if ledger is None or source_id not in ledger.index:
        return source_id
    s = ledger.loc[source_id]
    publisher = f"{s['via']} via {s['publisher']}" if pd.notna(s.get("via")) and s.get("via") else s["publisher"]
    when = text.dated(s["published"], s["published_precision"]) if pd.notna(s.get("published")) else "undated"
    url = f", {s['url']}" if pd.notna(s.get("url")) and s.get("url") else ""
    return f"{source_id} = {publisher}, \u201c{s['title']}\u201d, {when}{url}"


def sources_line(frame: pd.DataFrame, ledger: pd.DataFrame | None = None) -> str:
    """'# Sources: id = publisher, “title”, date, URL; ...' (one line: newlines in titles become spaces)."""
    ids = source_ids(frame)
    named = "; ".join(described(i, ledger if ledger is not None else _ledger) for i in ids) or "none (computed values only)"
    return "# Sources: " + " ".join(named.split())


def csv_text(frame: pd.DataFrame, ledger: pd.DataFrame | None = None) -> str:
    body = frame.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")
    return sources_line(frame, ledger) + "\n" + body


def data_link(frame: pd.DataFrame, name: str, ledger: pd.DataFrame | None = None) -> str:
    """The HTML under a chart: on screen a download link holding the CSV (a data: URL, so the page stays
    one offline file); in print a line naming the PDF attachment (export.render_pdf attaches it)."""
    payload = base64.b64encode(csv_text(frame, ledger).encode("utf-8")).decode("ascii")
    file = html.escape(f"{name}.csv", quote=True)
    return (f'<p class="chart-data"><a class="chart-data-link" href="data:text/csv;charset=utf-8;base64,{payload}" '
            f'download="{file}" type="text/csv">{LINK_TEXT}</a>'
            f'<span class="chart-data-pdf">{PDF_TEXT} {file}</span></p>')


# ---------------------------------------------------------------- read back from a page, for the PDF

class _DataLinks(HTMLParser):
    """The charts' CSV downloads in a page (<a download href="data:...">), each with the alt text of the
    image just before it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []   # (file name, data: URL, chart's alt text)
        self._alt = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self._alt = attrs.get("alt") or ""
        elif tag == "a" and attrs.get("download") and (attrs.get("href") or "").startswith("data:"):
            self.found.append((attrs["download"], attrs["href"], self._alt))


def attachments_in(page: str) -> list[tuple[str, bytes, str]]:
    """(file name, content, description) of every chart's CSV in a report page, names made unique: what
    export.render_pdf attaches to the PDF."""
    from urllib.request import urlopen

    parser = _DataLinks()
    parser.feed(page)
    out, names = [], set()
    for name, url, alt in parser.found:
        stem, dot, ext = name.rpartition(".")
        unique, n = name, 1
        while unique in names:
            n += 1
            unique = f"{stem}-{n}{dot}{ext}"
        names.add(unique)
        with urlopen(url) as response:  # data: URLs only (checked above): decoded by the standard library
            content = response.read()
        chart = alt.split(":")[0] if alt else "a chart of this report"
        out.append((unique, content, f"The rows drawn in the chart ({chart}), with their sources"))
    return out


# ---------------------------------------------------------------- the rows each chart draws

def _number(value):
    """625.0 -> 625 (a plan line's quarter is whole unless the plan is not a multiple of 4)."""
    return int(value) if float(value).is_integer() else float(value)


def deployment_rows(series: pd.DataFrame, planned: int, reports: pd.DataFrame | None = None,
                    other_plans: dict[str, int] | None = None, quarter_line: bool = True,
                    series_label: str = "") -> pd.DataFrame:
    """The deployed range (lowest, highest), the arrivals line, the reported figures and the plan lines."""
    rows = []
    for _, r in series.sort_values("date").iterrows():
        both = "; ".join(dict.fromkeys(i.strip() for cell in (r.get("movement_source_ids", ""), r.get("report_source_ids", ""))
                                       for i in str(cell).split(";") if i.strip()))
        rows += [{"series": f"{series_label}deployed, lowest figure", "date": r["date"], "personnel": r["low"], "source_ids": both},
                 {"series": f"{series_label}deployed, highest figure", "date": r["date"], "personnel": r["high"], "source_ids": both},
                 {"series": f"{series_label}arrivals net of departures", "date": r["date"], "personnel": r["arrivals_net"],
                  "source_ids": r.get("movement_source_ids", "")}]
    if reports is not None:
        for _, r in reports.sort_values("as_of").iterrows():
            rows.append({"series": "reported strength (whole force)", "date": r["as_of"], "personnel": r["personnel"],
                         "qualifier": r.get("qualifier"), "source_ids": r["source_id"]})
    rows.append({"series": "planned strength (report parameter)", "personnel": planned})
    if quarter_line:
        rows.append({"series": "a quarter of the plan", "personnel": planned / 4})
    for label, value in (other_plans or {}).items():
        rows.append({"series": label, "personnel": value})
    out = pd.DataFrame(rows, columns=["series", "date", "personnel", "qualifier", "source_ids"])
    out["personnel"] = pd.Series([_number(v) for v in out["personnel"]], dtype=object)
    out["date"] = pd.to_datetime(out["date"])
    return out


def pledges_rows(table: pd.DataFrame) -> pd.DataFrame:
    t = table.dropna(subset=["pledged_high"]).sort_values("pledged_high", ascending=False, kind="stable")
    return pd.DataFrame({
        "country": t["country"], "pledged_lowest_figure": t["pledged_low"], "pledged_highest_figure": t["pledged_high"],
        "arrived_net_of_departures": t["arrived"], "pledge_source_ids": t.get("pledge_source_ids"),
        "arrival_source_ids": t.get("arrival_source_ids")}).reset_index(drop=True)


def idps_rows(rounds: pd.DataFrame) -> pd.DataFrame:
    r = rounds.sort_values("reference_date")
    return pd.DataFrame({
        "round": r["round_label"], "date": r["reference_date"], "internally_displaced_people": r["idps"],
        "qualifier": r["idps_qualifier"],
        "marker": ["filled (exact total)" if q == "exact" else "hollow (rounded total or lower bound)" for q in r["idps_qualifier"]],
        "source_id": r["source_id"]}).reset_index(drop=True)


def host_sites_rows(table: pd.DataFrame) -> pd.DataFrame:
    t = table.sort_values("reference_date")
    return pd.DataFrame({
        "round": t["round_label"], "date": t["reference_date"], "share_with_host_families": t["host_share"],
        "qualifier": t["host_share_qualifier"], "share_in_sites_or_elsewhere": t["not_with_hosts"],
        "source_id": t.get("source_id")}).reset_index(drop=True)


def violence_rows(quarters: pd.DataFrame, deployed: pd.DataFrame, planned: int) -> pd.DataFrame:
    """Killed and injured per quarter (top panel), then the deployment panel's rows."""
    rows = []
    for _, q in quarters.sort_values("period_start").iterrows():
        for column in ("killed", "injured"):
            rows.append({"series": f"people {column}", "quarter": q["period_label"], "period_start": q["period_start"],
                         "period_end": q["period_end"], "people": q[column], "source_ids": q["source_id"]})
    panel = deployment_rows(deployed, planned, quarter_line=False, series_label="MSS/GSF personnel ")
    panel = panel.rename(columns={"personnel": "people"}).drop(columns="qualifier")
    out = pd.concat([pd.DataFrame(rows), panel], ignore_index=True)
    return out[["series", "quarter", "period_start", "period_end", "date", "people", "source_ids"]]
