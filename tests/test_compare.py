"""Then and now: reports/compare/A--B.html from two figures.json files. Fixture files with the article's
and the latest figures (plus figures a later notebook might record, to exercise the generic fallback);
every expected change worked out by hand below. No kernel runs, except the session build it copies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from haiti_mss import build, cli
from haiti_mss.build import compare

THEN = {
    "variant": "2024-09-article", "folder": "2024-09-article", "title": "As of 22 September 2024 <b>&</b>",
    "description": "", "overrides": {},
    "parameters": {"as_of": "2024-09-22", "planned_strength": 2500, "population": 11906095, "data_dir": None},
    "00_brief": {
        "as_of": "2024-09-22", "deployed_low": 426, "deployed_high": 426, "deployed_share_low": 0.1704,
        "deployed_share_high": 0.1704, "shortfall_low": 2074, "shortfall_high": 2074, "idps_latest": 578074,
        "idps_latest_qualifier": "exact", "idps_latest_date": "2024-05-31", "killed_last_four_quarters": 3709,
        "claims": [{"id": "kenya-pledge", "verdict": "supported"},
                   {"id": "additional-600", "verdict": "not checkable with this data"}]},
    "04_funding": {   # keys no label table knows: they must still be compared
        "funding_received_usd": 100_000_000, "funding_pledged_low": 200_000_000, "funding_pledged_high": 250_000_000,
        "idps_by_department": {"Ouest": 400_000, "Artibonite": 100_000}, "funding_note": "<script>alert(1)</script>"},
}
NOW = {
    "variant": "latest", "folder": "latest", "title": "The latest figures", "description": "", "overrides": {},
    "parameters": {"as_of": "2026-03-21", "planned_strength": 2500, "population": 11906095, "data_dir": None},
    "00_brief": {
        "as_of": "2026-03-21", "deployed_low": 1000, "deployed_high": 1200, "deployed_share_low": 0.4,
        "deployed_share_high": 0.48, "shortfall_low": 1300, "shortfall_high": 1500, "idps_latest": 1_400_000,
        "idps_latest_qualifier": "more_than", "idps_latest_date": "2025-10-14", "killed_last_four_quarters": 5907,
        "claims": [{"id": "kenya-pledge", "verdict": "supported"}, {"id": "additional-600", "verdict": "not supported"}]},
    "04_funding": {
        "funding_received_usd": 80_000_000, "funding_pledged_low": 250_000_000, "funding_pledged_high": 250_000_000,
        "idps_by_department": {"Ouest": 600_000, "Artibonite": 100_000, "Centre": 50_000},
        "funding_note": "<script>alert(1)</script>"},
}

# (label, then, now, change, direction), worked out by hand:
EXPECTED = [
    # 574 / 426 = 1.347 -> +135%; 774 / 426 = 1.817 -> +182%
    ("deployed", "426", "1,000–1,200", "+135% to +182%", "up"),
    # 40.0 - 17.04 = 22.96 -> +23.0; 48.0 - 17.04 = 30.96 -> +31.0 (points, not per cent)
    ("share of the plan", "17.0%", "40.0%–48.0%", "+23.0 to +31.0 percentage points", "up"),
    # -774 / 2,074 = -0.373 -> -37%; -574 / 2,074 = -0.277 -> -28%
    ("shortfall", "2,074", "1,300–1,500", "−37% to −28%", "down"),
    # 821,926 / 578,074 = 1.422 -> +142%, and the new figure is a lower bound
    ("displaced", "578,074 (2024-05-31)", "more than 1,400,000 (2025-10-14)", "more than +142%", "up"),
    # 2,198 / 3,709 = 0.593 -> +59%
    ("killed, last four quarters", "3,709", "5,907", "+59%", "up"),
    ("claims checked", "1 supported, 1 not checkable with this data", "1 supported, 1 not supported", "changed",
     "changed"),
    # generic: -20,000,000 / 100,000,000 = -20%
    ("funding received usd", "100,000,000", "80,000,000", "−20%", "down"),
    # generic range: low 50,000,000 / 200,000,000 = +25%, high unchanged
    ("funding pledged", "200,000,000–250,000,000", "250,000,000", "0% to +25%", "up"),
    # generic mapping, one row per entry: 200,000 / 400,000 = +50%
    ("idps by department: Ouest", "400,000", "600,000", "+50%", "up"),
    ("idps by department: Artibonite", "100,000", "100,000", "no change", "no change"),
    ("funding note", "<script>alert(1)</script>", "<script>alert(1)</script>", "no change", "no change"),
    ("idps by department: Centre", "not recorded", "50,000", "", "not recorded in 2024-09-article"),
]


@pytest.fixture
def reports(tmp_path) -> Path:
    reports = tmp_path / "reports"
    for doc in (THEN, NOW):
        folder = reports / doc["folder"]
        folder.mkdir(parents=True)
        (folder / "figures.json").write_text(json.dumps(doc), encoding="utf-8")
        (folder / "00_brief.html").write_text("<html></html>", encoding="utf-8")
    return reports


def test_each_figure_side_by_side_with_the_change_in_words():
    figs = [compare.merged_figures(doc) for doc in (THEN, NOW)]
    rows = [(r.label, r.then, r.now, r.change, r.direction) for r in compare.rows(*figs, "2024-09-article", "latest")]
    assert rows == EXPECTED
    assert compare.verdicts(*figs) == [("kenya-pledge", "supported", "supported", "same"),
                                       ("additional-600", "not checkable with this data", "not supported", "changed")]


def test_the_page_is_escaped_offline_and_links_both_reports(reports):
    path = build.write_comparison(reports, "2024-09-article", "latest")
    assert path == reports / "compare" / "2024-09-article--latest.html"
    page = path.read_text(encoding="utf-8")
    assert "<h1>What changed since the article: 2024-09-article → latest</h1>" in page
    assert ('<tr><th scope="row">deployed</th><td>426</td><td>1,000–1,200</td><td>+135% to +182%</td>'
            "<td>up</td></tr>") in page
    assert ('<tr><th scope="row">as of</th><td>2024-09-22</td><td>2026-03-21</td></tr>') in page
    assert "As of 22 September 2024 &lt;b&gt;&amp;&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page and "<b>" not in page                        # no live tag from the data
    assert "http" not in page.replace('name="viewport"', "")                  # no request: styles inline
    for folder in ("2024-09-article", "latest"):
        assert f'<a href="../{folder}/00_brief.html">00_brief</a>' in page
        assert f'<a href="../{folder}/figures.json">figures.json</a>' in page
    assert ("<tr><th scope=\"row\"><code>additional-600</code></th><td>not checkable with this data</td>"
            "<td>not supported</td><td>changed</td></tr>") in page
    index = build.write_index(reports).read_text(encoding="utf-8")
    assert ('<li><a href="compare/2024-09-article--latest.html">What changed since the article</a>: '
            "<code>2024-09-article</code> against <code>latest</code>, figure by figure</li>") in index


def test_the_cli_writes_any_pair_and_says_what_is_missing(reports, capsys):
    assert cli.main(["compare", "latest", "2024-09-article", "--reports-dir", str(reports)]) == 0
    out, err = capsys.readouterr()
    page = reports / "compare" / "latest--2024-09-article.html"
    assert page.is_file() and out.strip().endswith("latest--2024-09-article.html") and err == ""
    assert "<h1>Then and now: latest → 2024-09-article</h1>" in page.read_text(encoding="utf-8")
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert '<a href="compare/latest--2024-09-article.html"><code>latest</code> → <code>2024-09-article</code></a>' in index
    assert cli.main(["compare", "latest", "gsf-5550", "--reports-dir", str(reports)]) == 2
    _, err = capsys.readouterr()
    assert err == (f"error: no report in {reports / 'gsf-5550' / 'figures.json'}: build it first "
                   "(make report VARIANT=gsf-5550, or make reports)\n")


def test_every_build_writes_the_default_comparison_and_the_index_links_it(built, reports):
    """The session build copied next to the two fixture reports: a build with nothing to do (no kernel)
    still writes reports/compare/2024-09-article--latest.html and links it from the index; and when a
    report changes, the next build refreshes the page."""
    proj, _, _ = built
    shutil.copytree(proj.reports / "fixture", reports / "fixture")
    result = build.build(["fixture"], reports_dir=reports, params_dir=proj.params,
                         notebooks_dir=Path(__file__).parent / "fixtures" / "notebooks", notebooks=["01_deployment"],
                         echo=lambda line: None)
    assert [r.status for r in result.results] == ["skipped"]
    page = reports / "compare" / "2024-09-article--latest.html"
    assert "<td>1,000–1,200</td><td>+135% to +182%</td>" in page.read_text(encoding="utf-8")
    assert 'href="compare/2024-09-article--latest.html">What changed since the article</a>' in (
        reports / "index.html").read_text(encoding="utf-8")
    now = json.loads((reports / "latest" / "figures.json").read_text())
    now["00_brief"]["deployed_high"] = 1278          # 852 / 426 = +200%
    (reports / "latest" / "figures.json").write_text(json.dumps(now))
    build.build(["fixture"], reports_dir=reports, params_dir=proj.params,
                notebooks_dir=Path(__file__).parent / "fixtures" / "notebooks", notebooks=["01_deployment"],
                echo=lambda line: None)
    assert "<td>1,000–1,278</td><td>+135% to +200%</td>" in page.read_text(encoding="utf-8")


def test_index_headlines_use_the_same_labels():
    violence = {"as_of": "2026-03-21", "injured_last_four_quarters": 2705, "killed_last_four_quarters": 5907,
                "last_four_quarters": "2025-Q1 to 2025-Q4", "newest_figure": "2026-03-21", "planned_strength": 2500,
                "population": 11906095}
    assert build.headline_items(violence) == [("killed, last four quarters", "5,907"),
                                              ("injured, last four quarters", "2,705"),
                                              ("quarters summed", "2025-Q1 to 2025-Q4")]
    assert build.headline_items(NOW["00_brief"]) == [
        ("deployed", "1,000–1,200"), ("share of the plan", "40.0%–48.0%"), ("shortfall", "1,300–1,500"),
        ("displaced (2025-10-14)", "more than 1,400,000"), ("killed, last four quarters", "5,907"),
        ("claims checked", "1 supported, 1 not supported")]
