"""What a reader gets from a built report, for tests that pin it: the text a browser shows for an HTML
page (markup, scripts and styles dropped, entities decoded, whitespace collapsed), the elements the
page's markup creates, and the text of a PDF (pypdf)."""

from __future__ import annotations

import functools
import io
import re
from html.parser import HTMLParser
from pathlib import Path


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style", "title"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _parse(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    parsed.close()
    return parsed


def page_text(page: str) -> str:
    """The page's visible text on one line ("&amp;" read as "&", runs of whitespace as one space)."""
    return " ".join("".join(_parse(page).text).split())


def html_text(path: Path) -> str:
    return page_text(Path(path).read_text(encoding="utf-8"))


def visible_text(path: Path) -> str:
    """The page's visible text with only ASCII whitespace collapsed: no-break spaces (French typography) stay."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", "".join(_parse(Path(path).read_text(encoding="utf-8")).text)).strip()


def elements(page: str, *tags: str) -> list[tuple[str, dict[str, str | None]]]:
    """The elements the markup creates (start tags), of the given names."""
    return [(tag, attrs) for tag, attrs in _parse(page).tags if tag in tags]


@functools.lru_cache(maxsize=64)
def _pdf_text(path: Path, size: int, mtime_ns: int) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(Path(path).read_bytes()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_text(path: Path) -> str:
    """Every page's text, on one line (read once per file and version: pypdf takes about a second a report)."""
    stat = Path(path).stat()
    return _pdf_text(Path(path), stat.st_size, stat.st_mtime_ns)


def squash(text: str) -> str:
    """Text without any whitespace: a PDF breaks lines anywhere, also right after a dash ("1,300– 1,500"),
    so a sentence is looked for in the PDF with its spaces removed on both sides."""
    return "".join(text.split())


class _Tables(HTMLParser):
    """The tables inside <div class="... NAME ...">: each its caption and its body rows (lists of cell texts)."""

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name, self.tables = name, []
        self._depth = 0          # open <div>s since the one with the class (0: outside it)
        self._text: list[str] | None = None      # the caption or cell being read
        self._row: list[str] | None = None
        self._body = False

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            if self._depth:
                self._depth += 1
            elif self.name in (dict(attrs).get("class") or "").split():
                self._depth = 1
        elif not self._depth:
            return
        elif tag == "table":
            self.tables.append(("", []))
        elif tag == "caption" or (tag == "td" and self._row is not None):
            self._text = []
        elif tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body:
            self._row = []

    def handle_endtag(self, tag):
        if tag == "div" and self._depth:
            self._depth -= 1
        elif tag == "tbody":
            self._body = False
        elif tag == "caption" and self._text is not None:
            self.tables[-1] = (" ".join("".join(self._text).split()), self.tables[-1][1])
            self._text = None
        elif tag == "td" and self._text is not None:
            self._row.append(" ".join("".join(self._text).split()))
            self._text = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1][1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def tables(page: str, css_class: str = "report-table") -> list[tuple[str, list[list[str]]]]:
    """(caption, body rows) of every table inside a <div> of that class."""
    parsed = _Tables(css_class)
    parsed.feed(page)
    parsed.close()
    return parsed.tables


def table_rows(page: str, css_class: str) -> list[list[str]]:
    """The body rows of the tables inside <div>s of that class, as lists of cell texts."""
    return [row for _, rows in tables(page, css_class) for row in rows]
