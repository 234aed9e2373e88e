"""What readers who cannot see the charts, or want their numbers, get from a built variant: checks run
by tests/test_report_real.py on its build of the four real notebooks (one build for both), so they cost
no extra notebook run.
- every image in every HTML page has a computed description (a sentence, never nbconvert's placeholder),
  and a "Data (CSV)" link under it;
- the charts' CSVs read back to the figures in figures.json, and each PDF carries the same files;
- every PDF is tagged PDF/UA-1: structure tree, language, marked content, Figure alt text, an outline
  entry for every h2, PDF/UA identification in its XMP metadata.
"""

from __future__ import annotations

import base64
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pikepdf

from haiti_mss import paths

PLACEHOLDER = "No description has been provided for this image"


class Page(HTMLParser):
    """What a screen reader and a downloader get from a page: image alts, h2 texts, CSV links."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.alts: list[str | None] = []
        self.h2: list[str] = []
        self.csv: dict[str, str] = {}
        self._h2: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.alts.append(attrs.get("alt"))
        elif tag == "h2":
            self._h2 = []
        elif tag == "a" and attrs.get("download"):
            head, payload = attrs["href"].split(",", 1)
            assert head == "data:text/csv;charset=utf-8;base64", head
            self.csv[attrs["download"]] = base64.b64decode(payload).decode("utf-8")

    def handle_endtag(self, tag):
        if tag == "h2" and self._h2 is not None:
            self.h2.append(" ".join("".join(self._h2).split()))
            self._h2 = None

    def handle_data(self, data):
        if self._h2 is not None:
            self._h2.append(data)


def pages(folder: Path, notebooks: list[str]) -> dict[str, Page]:
    return {nb: Page((folder / f"{nb}.html").read_text(encoding="utf-8")) for nb in notebooks}


def figures(folder: Path) -> dict:
    return json.loads((folder / "figures.json").read_text(encoding="utf-8"))


def csv_frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), skiprows=1, keep_default_na=False, na_values=[""])


def every_image_is_described_in_a_sentence(folder: Path, notebooks: list[str]) -> None:
    charts = 0
    for nb, page in pages(folder, notebooks).items():
        html = (folder / f"{nb}.html").read_text(encoding="utf-8")
        assert PLACEHOLDER not in html, nb
        for alt in page.alts:
            assert alt and len(alt.split()) >= 8 and alt.endswith("."), (nb, alt)
        charts += len(page.alts)
        assert len(page.csv) == len(page.alts), nb  # a Data (CSV) link under every chart
    assert charts >= 5  # deployment, pledges, displaced, host families, killed and injured


def deployment_csv_reads_back_to_the_headline_figures(folder: Path) -> None:
    text = pages(folder, ["01_deployment"])["01_deployment"].csv["deployment.csv"]
    assert text.startswith("# Sources: kenyanpost-2024-07-08 = Kenyan Post, “Ruto's govt issues update on Haiti”")
    rows = csv_frame(text)
    assert list(rows.columns) == ["series", "date", "personnel", "qualifier", "source_ids"]
    fig = figures(folder)["01_deployment"]
    last = rows[rows["date"] == fig["as_of"]].set_index("series")["personnel"].astype(int)
    # 21 March 2026: Ayiti Intel ~1,000 and 1,200 (January 2026); arrivals net of departures 1,021
    assert (last["deployed, lowest figure"], last["deployed, highest figure"]) == (1000, 1200)
    assert (fig["deployed_low"], fig["deployed_high"]) == (1000, 1200)
    assert last["arrivals net of departures"] == fig["deployed_arrivals_net"] == 1021
    lines = rows[rows["date"].isna()].set_index("series")["personnel"].astype(int)
    assert lines["planned strength (report parameter)"] == fig["planned_strength"] == 2500
    assert lines["Gang Suppression Force ceiling"] == fig["gsf_ceiling"] == 5550
    ledger = set(pd.read_csv(paths.DATA_DIR / "sources.csv")["source_id"])
    cited = {i for cell in rows["source_ids"].dropna() for i in cell.split("; ")}
    assert cited and cited <= ledger
    assert all(f"{i} = " in text.splitlines()[0] for i in cited)  # the first line names every source


def displacement_and_violence_csvs_read_back(folder: Path) -> None:
    found, figures_ = pages(folder, ["02_displacement", "03_violence"]), figures(folder)
    displaced = csv_frame(found["02_displacement"].csv["displaced.csv"])
    newest = displaced.iloc[-1]
    assert (newest["internally_displaced_people"], newest["date"]) == (1_412_199, "2025-10-14")  # Round 11, IOM on HDX; known from its publication, 14 October 2025
    assert newest["internally_displaced_people"] == figures_["02_displacement"]["idps_latest"]
    assert newest["date"] == figures_["02_displacement"]["idps_latest_date"]
    quarters = csv_frame(found["03_violence"].csv["killed-injured.csv"])
    killed = quarters[quarters["series"] == "people killed"].tail(4)
    assert list(killed["quarter"]) == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert killed["people"].astype(int).sum() == 1617 + 1520 + 1247 + 1523 == figures_["03_violence"]["killed_last_four_quarters"]
    injured = quarters[quarters["series"] == "people injured"].tail(4)["people"].astype(int).sum()
    assert injured == 580 + 609 + 710 + 806 == figures_["03_violence"]["injured_last_four_quarters"]


def structure(pdf) -> list:
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        kids = stack.pop().get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


def pdf_is_accessible_and_carries_the_charts_data(folder: Path, notebook: str) -> None:
    page = pages(folder, [notebook])[notebook]
    with pikepdf.open(folder / f"{notebook}.pdf") as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root and bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "en"
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
        figures = [e for e in structure(pdf) if e.S == "/Figure"]
        assert sorted(str(f.Alt) for f in figures) == sorted(page.alts)  # every figure, with its alt text
        with pdf.open_outline() as outline:
            titles, stack = [], list(outline.root)
            while stack:
                item = stack.pop()
                titles.append(item.title)
                stack += list(item.children)
        assert page.h2 and set(page.h2) <= set(titles), (set(page.h2) - set(titles))
        attached = {name: spec.get_file().read_bytes().decode("utf-8") for name, spec in pdf.attachments.items()}
        assert attached == page.csv  # the same files as the page's Data (CSV) links


def deployment_alt_text_as_written(folder: Path) -> None:
    alt = pages(folder, ["01_deployment"])["01_deployment"].alts[0]
    assert re.match(r"Step chart of personnel deployed, June 2024 to March 2026: from 200 to 1,000–1,200, against a "
                    r"plan of 2,500 and a Gang Suppression Force ceiling of 5,550; a quarter of the plan was reached "
                    r"in January 2025", alt), alt
