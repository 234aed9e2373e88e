"""The look shared by reports/index.html and the comparison pages: one stylesheet, one page shell.

Pages are plain HTML with the style inline (they work offline, from file://, with no request), and
every value that goes into them passes through esc() or link().
"""

from __future__ import annotations

import html
from urllib.parse import quote

CSS = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, "Liberation Sans", sans-serif;
  color: #1a1a1a; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta { color: #444; font-size: 0.92rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.5rem 0 1rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
th { border-bottom: 2px solid #bbb; }
ul.figures { margin: 0; padding-left: 1.1rem; } code { font-size: 0.85rem; }
"""


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def link(*parts: str) -> str:
    """A relative URL from path parts (each percent-encoded), escaped for an attribute."""
    return esc("/".join(quote(str(p)) for p in parts))


def page(title: str, body: str, head: str = "") -> str:
    """A whole page: `title` is plain text (escaped here), `body` and `head` are HTML already escaped."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{head}"
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>{body}</main></body></html>\n")
