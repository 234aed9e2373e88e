"""The report page as WeasyPrint gets it: the same page, cheaper to lay out. Nothing a reader sees changes
(tests/test_speed.py renders fixture reports both ways and compares every page's pixels).

    document = print_ready.document(page, base_url)     # a weasyprint.HTML; then .write_pdf(...)

What a profile of render_pdf on the longest notebook (02_displacement) showed, and what is done here:
- Parsing: the charts are base64 data URIs, 1.6 MB of a 1.8 MB page, which WeasyPrint's HTML parser
  scans character class by character class (0.1-0.2 s a page). Each is replaced by a short
  `haiti-print:N` URL that a URL fetcher answers with the image's bytes: the same image, decoded once.
- Table sizing: the appendix tables (parameters, data vintage, data files with their sha256) use the
  automatic table layout, for which WeasyPrint measures each cell's narrowest width by breaking its
  text at every character allowed by `overflow-wrap: break-word` (a sha256 cell: 64 Pango layouts;
  0.1-0.2 s a page). CSS Text 3 says break-word does not change a cell's min-content width, and
  these cells never need it in print (a 64-character hash fits an A4 column), so a print-only user
  stylesheet sets `overflow-wrap: normal` there (!important: user rules lose to the page's otherwise).
  The HTML page keeps break-word, which narrow screens need.
What is left is WeasyPrint laying out the text itself, its style cascade (about 0.1 ms per element) and
re-encoding each chart as PDF image streams (lossless; PNG cannot be passed through); see the report of
issue 13 for the figures.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

ENV_SWITCH = "HAITI_MSS_PRINT"    # "plain" hands WeasyPrint the page as it is (for comparisons)
SCHEME = "haiti-print:"
_DATA_IMAGE = re.compile(r"data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=]+)")

# Print only, user origin: see the module docstring. The selectors name tables of templates/haiti.
PRINT_CSS = """
.box table td, .box table th, table.hashes td, table.hashes th { overflow-wrap: normal !important; }
"""


def shorten_images(page: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """The page with each base64 image data URI replaced by `haiti-print:N`, and N's (type, base64)."""
    images: dict[str, tuple[str, str]] = {}

    def short(match: re.Match) -> str:
        url = f"{SCHEME}{len(images)}"
        images[url] = (match.group(1), match.group(2))
        return url

    return _DATA_IMAGE.sub(short, page), images


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "ready").strip().lower() != "plain"


def document(page: str, base_url: str | Path | None = None):
    """A weasyprint.HTML of the page, with the shortened images and the print-only stylesheet
    (HAITI_MSS_PRINT=plain: the page as it is)."""
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    if not enabled():
        return weasyprint.HTML(string=page, base_url=str(base_url or Path.cwd()))
    shortened, images = shorten_images(page)

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url in images:
                kind, data = images[url]
                return URLFetcherResponse(url, base64.b64decode(data), {"Content-Type": kind})
            return super().fetch(url, headers)

    fetcher = Fetcher()
    html = weasyprint.HTML(string=shortened, base_url=str(base_url or Path.cwd()), url_fetcher=fetcher)
    return _WithPrintCSS(html, weasyprint.CSS(string=PRINT_CSS, url_fetcher=fetcher))


class _WithPrintCSS:
    """weasyprint.HTML whose render/write_pdf always add the print-only stylesheet."""

    def __init__(self, html, css):
        self._html, self._css = html, css

    def render(self, stylesheets=None, **options):
        return self._html.render(stylesheets=[self._css, *(stylesheets or [])], **options)

    def write_pdf(self, target=None, stylesheets=None, **options):
        return self._html.write_pdf(target, stylesheets=[self._css, *(stylesheets or [])], **options)
