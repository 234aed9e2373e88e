"""The report page as WeasyPrint gets it: the same page, cheaper to lay out. Nothing a reader sees changes
(tests/test_speed.py builds a fixture report both ways: the same page text, the same image pixels).

    document = print_ready.document(page, base_url)     # a weasyprint.HTML; then .write_pdf(...)

What a profile of render_pdf showed (CPU of 02_displacement, variant latest, 2.6 s: layout 1.0, draw
0.5, chart images re-encoded 0.44, style cascade 0.26, HTML parsing 0.12, PDF/UA tags 0.05), and what
is done here:
- Parsing: the charts are base64 data URIs, 1.6 MB of the 1.8 MB page, which WeasyPrint's HTML parser
  scans character by character class (0.12 s). Each is replaced by a short `haiti-print:N` URL that a
  URL fetcher answers with the image's bytes: the same image, and parsing takes 0.04 s.
What is left is WeasyPrint laying out the text itself, drawing it, its style cascade and re-encoding
each chart as PDF image streams (lossless; a PNG cannot be passed through as it is).
Not done, because it changes the PDF: a print-only `overflow-wrap: normal` for the appendix tables would
spare WeasyPrint measuring each sha256 cell's narrowest width character by character (0.1-0.2 s a page),
but the sha256 column is too narrow for a whole hash since the data file names grew, so the hashes would
no longer wrap and the pages would change.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

ENV_SWITCH = "HAITI_MSS_PRINT"    # "plain" hands WeasyPrint the page as it is (for comparisons)
SCHEME = "haiti-print:"
_DATA_IMAGE = re.compile(r"data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=]+)")


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
    """A weasyprint.HTML of the page with its images shortened (HAITI_MSS_PRINT=plain: the page as it is)."""
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

    return weasyprint.HTML(string=shortened, base_url=str(base_url or Path.cwd()), url_fetcher=Fetcher())
