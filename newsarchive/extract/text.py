"""Plain-text articles: the first line is the title, the other non-empty lines paragraphs.

Furniture lines (share buttons, font-size controls, a lone "Email" left by a copy from a web
page) are dropped wherever they appear, the title line included: if the first non-empty line
is furniture, the title is the next one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsarchive.extract import Article, ExtractError, is_furniture

__all__ = ["extract_text"]


def extract_text(text: str, furniture: Sequence[re.Pattern[str]] = ()) -> Article:
    """Return the :class:`Article` of a plain-text document.

    Paragraphs are the non-empty, non-furniture lines after the title, stripped and joined
    with a blank line. Raises :class:`ExtractError` if there is no title or no body.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.strip() for line in text.split("\n")]
    kept = [line for line in lines if line and not is_furniture(line, furniture)]
    if not kept:
        raise ExtractError("no article text found (empty or only furniture)")
    title, body = kept[0], kept[1:]
    if not body:
        raise ExtractError("no article text found (empty or only furniture)")
    return Article(title=title, text="\n\n".join(body), metadata={"format": "text"})
