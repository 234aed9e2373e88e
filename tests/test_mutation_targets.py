"""Tests that catch small wrong figures: the bugs issue 11 seeded by hand, and the mutants `make mutate`
found alive in the pure modules. Every expected value is worked out by hand from data/ (the arithmetic is
in the test), never recomputed the way the code computes it. tests/README.md lists what is left alive."""

from __future__ import annotations

import html
from datetime import date

import nbformat
import pandas as pd
import pytest

from conftest import FIXTURES
from haiti_mss import deployment, export, notebook, text, violence

from datafixtures import tables  # noqa: F401  (fixture)

HOSTILE = "<b>&</script>"
ESCAPED = "&lt;b&gt;&amp;&lt;/script&gt;"


# ---------------------------------------------------------------- the seeded bugs of issue 11

def test_pledge_share_runs_from_the_high_pledge_to_the_low(tables):
    """Jamaica pledged 200 to 250 people (170 soldiers and 30 police, then 250) and 24 arrived on 12 Sep 2024:
    24 / 250 = 9.6% of the larger pledge, 24 / 200 = 12.0% of the smaller. Swapped, the page said 12.0%–9.6%."""
    t = deployment.pledged_vs_arrived(tables["pledges"], tables["arrivals"], "2026-03-21").set_index("country")
    jamaica = t.loc["Jamaica"]
    assert (jamaica["pledged_low"], jamaica["pledged_high"], jamaica["arrived"]) == (200, 250, 24)
    assert jamaica["share_of_pledge_low"] == pytest.approx(24 / 250)
    assert jamaica["share_of_pledge_high"] == pytest.approx(24 / 200)
    assert text.span(jamaica["share_of_pledge_low"], jamaica["share_of_pledge_high"], text.pct) == "9.6%\u201312.0%"
    kenya = t.loc["Kenya"]  # pledged exactly 1,000; 761 arrived net (200 + 200 + 217 + 144 + 230 - 230)
    assert kenya["share_of_pledge_low"] == kenya["share_of_pledge_high"] == pytest.approx(761 / 1000)


def test_a_quarter_that_ends_on_as_of_is_counted(tables):
    # 2025-Q4 ends on 31 Dec 2025: as of that day the last four quarters are 2025-Q1 to 2025-Q4.
    last = violence.last_quarters(tables["violence"], "2025-12-31")
    assert (last.first_label, last.last_label, last.count) == ("2025-Q1", "2025-Q4", 4)
    assert (last.killed, last.injured) == (1617 + 1520 + 1247 + 1523, 580 + 609 + 710 + 806)  # 5,907 and 2,705
    # One day earlier 2025-Q4 is not yet complete: 2024-Q4 to 2025-Q3.
    before = violence.last_quarters(tables["violence"], "2025-12-30")
    assert (before.first_label, before.last_label, before.killed) == ("2024-Q4", "2025-Q3", 1732 + 1617 + 1520 + 1247)
    # 2024-Q3 ends on 30 Sep 2024, the day BINUH's Q3 figures describe.
    assert violence.last_quarters(tables["violence"], "2024-09-30").last_label == "2024-Q3"
    assert list(violence.quarters(tables["violence"], "2024-09-30")["period_label"]) == [
        "2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3"]


def _parameters_box(page: str) -> str:
    return page.split('class="box parameters"')[1].split("</section>")[0]


def test_a_hostile_parameter_value_is_escaped_in_the_parameters_box():
    """The template escapes every value of the "Parameters used" box (report_title is free text)."""
    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Title\n\nText.")])
    nb.metadata["papermill"] = {"parameters": {"report_title": HOSTILE, "data_dir": str(FIXTURES / "data")}}
    context = export.report_context(nb, notebook="01_deployment", variant="latest", built_at=None, git="commit abc",
                                    software=[])
    page = export.render_html(nb, context)
    box = _parameters_box(page)
    assert f'<tr class="override"><td>report_title</td><td>{ESCAPED}</td><td>override</td></tr>' in box
    assert HOSTILE not in page and "<b>" not in page


def _shown_tables(monkeypatch, frame: pd.DataFrame, **kw) -> list[str]:
    import IPython.display

    shown: list = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **_: shown.extend(objs))
    notebook.table(frame, **kw)
    return [o.data for o in shown]


def test_data_values_in_report_tables_are_escaped(monkeypatch):
    frame = pd.DataFrame({HOSTILE: [HOSTILE, None], "n": ["1,234", pd.NA]})
    [table] = _shown_tables(monkeypatch, frame, caption=HOSTILE, css_class='x" onclick="y')
    assert table == ('<div class="report-table x&quot; onclick=&quot;y"><table>'
                     f"<caption>{ESCAPED}</caption><thead><tr><th>{ESCAPED}</th><th>n</th></tr></thead>"
                     f"<tbody><tr><td>{ESCAPED}</td><td>1,234</td></tr><tr><td></td><td></td></tr></tbody></table></div>")
    # and on the page: the table as a notebook output goes through the report template unchanged
    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Title"), v4.new_code_cell("t()", outputs=[
        v4.new_output("display_data", data={"text/html": table, "text/plain": "<table>"})])])
    context = {"page_title": "t", "as_of": "", "built_at": "", "parameters": [], "vintage": [], "vintage_note": "",
               "data_files": [], "git": "", "versions": [], "rerun": [], "data_dir": ""}
    page = export.render_html(nb, context)
    assert f"<td>{ESCAPED}</td>" in page and HOSTILE not in page and "<b>" not in page


def test_a_table_without_caption_or_class():
    assert notebook.escape(HOSTILE) == html.escape(HOSTILE) == ESCAPED
    assert notebook._cell(float("nan")) == notebook._cell(None) == notebook._cell(pd.NA) == ""
    assert notebook._cell(0) == "0" and notebook._cell(date(2024, 9, 20)) == "2024-09-20"
