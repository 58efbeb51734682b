"""Article extraction: plain text or HTML in, :class:`Article` out.

``extract(text, furniture)`` sniffs whether ``text`` is HTML (or is told with ``html=``) and
hands it to :mod:`newsarchive.extract.text` or :mod:`newsarchive.extract.html`. Furniture
patterns are regular expressions for page-furniture lines ("ت + ت - الحجم الطبيعي", "Email"):
a paragraph whose stripped text ``fullmatch``-es any of them is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice

__all__ = ["Article", "ExtractError", "extract", "is_furniture", "looks_like_html"]


@dataclass
class Article:
    """The extracted article: ``text`` is body paragraphs separated by a blank line."""

    title: str
    text: str
    published: str | None = None  # ISO 8601, when the input states it
    metadata: dict[str, str] = field(default_factory=dict)  # author, site_name, url, format...


class ExtractError(Exception):
    """No article could be extracted; ``str(exc)`` is a one-line reason."""


def is_furniture(line: str, furniture: Sequence[re.Pattern[str]]) -> bool:
    """True when any furniture pattern ``fullmatch``-es the stripped ``line``."""
    stripped = line.strip()
    # A loop, not any(generator): asked for every paragraph, and the generator costs more.
    for pattern in furniture:  # noqa: SIM110
        if pattern.fullmatch(stripped):
            return True
    return False


# What a document starts with, after whitespace, a BOM, comments and an XML declaration.
_LEADING_JUNK = re.compile(r"(?:\s|\ufeff|<!--.*?-->|<\?xml[^>]*\?>)*", re.DOTALL)
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|article|meta|title)\b", re.I)
_BLOCK_TAG = re.compile(r"<(?:p|div|h[1-6]|article|section|br|li|ul|table)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    """Sniff HTML: a document starting with ``<html``, ``<!doctype html``, ``<head``,
    ``<body``, ``<article`` (or ``<meta``/``<title``), or containing several block tags."""
    start = _LEADING_JUNK.match(text)
    rest = text[start.end() if start else 0 :]
    if _HTML_START.match(rest):
        return True
    return sum(1 for _ in islice(_BLOCK_TAG.finditer(text, 0, 200_000), 3)) >= 3


def extract(
    text: str, furniture: Sequence[re.Pattern[str]] = (), *, html: bool | None = None
) -> Article:
    """Extract the article from ``text``; ``html=None`` sniffs, True/False forces the parser.

    Raises :class:`ExtractError` when no title or no body text is found.
    """
    # Lone surrogates cannot come from decoded bytes, but a library caller may pass them;
    # the parsers and the JSON writer reject them, so they become U+FFFD here.
    try:
        # Text with none (all decoded input): unchanged, and its UTF-8 is what the HTML
        # parser reads (a round trip through bytes cost ~200k instructions a page).
        data: bytes | None = text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        data = None
    if html is None:
        html = looks_like_html(text)
    if html:
        from newsarchive.extract.html import extract_html

        return extract_html(text, furniture, data=data)
    from newsarchive.extract.text import extract_text

    return extract_text(text, furniture)
