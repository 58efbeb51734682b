"""One input to one record, with no I/O: the functions ``ingest``, ``fetch`` and the Spark job
(``newsarchive.spark``) all call, so a record is the same whichever program made it.

* :func:`file_record` (a file's bytes and name) — re-exported from :mod:`newsarchive.pipeline`,
  where ``ingest`` uses it.
* :func:`page_record` (a web page's bytes, its URL after redirects, Content-Type): what
  ``fetch`` does with a downloaded page, and the Spark job with a JSON Lines page or a WARC
  response. The record's ``source`` is the page's canonical URL.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urljoin

from .entities.extract import EntityExtractor
from .extract import extract
from .pipeline import _html_hint, build_record, file_record
from .record import Record, parse_utc
from .sources.files import decode
from .sources.web import FetchError, canonical_url, check_url

__all__ = ["add_web_fields", "file_record", "html_hint", "page_canonical", "page_record"]


def html_hint(name: str) -> bool | None:
    """True for a name ending .html/.htm/.xhtml (as ``ingest`` decides); else None: sniff."""
    return _html_hint(PurePosixPath(name))


def page_record(
    content: bytes,
    final_url: str,
    furniture: list[re.Pattern[str]],
    extractor: EntityExtractor,
    *,
    content_type: str = "text/html",
    charset: str | None = None,
    language: str | None = None,
    ingested_at: str | None = None,
) -> Record:
    """A downloaded page to its record: decode (the HTTP charset considered) → extract →
    ``build_record`` with the canonical URL as source → the web fields. No I/O.

    ``language``: the language a feed states, used when the page states none.
    Raises InputError or ExtractError for a page that is not an article.
    """
    decoded = decode(content, declared=charset)
    article = extract(decoded.text, furniture, html=content_type != "text/plain")
    stated = page_canonical(final_url, article.metadata.get("url"))
    if language and not article.metadata.get("lang"):
        article.metadata["lang"] = language
    record = build_record(
        article, stated, extractor, encoding=decoded.encoding, ingested_at=ingested_at
    )
    add_web_fields(record, article.metadata, final_url, stated)
    return record


def page_canonical(final_url: str, stated: str | None) -> str:
    """The page's own ``<link rel=canonical>`` (or og:url) when it is an http(s) URL, else the
    URL fetched; canonicalized either way."""
    if stated:
        try:
            return canonical_url(check_url(urljoin(final_url, stated)))
        except FetchError:
            pass
    return canonical_url(final_url)


def add_web_fields(
    record: Record, metadata: dict[str, str], final_url: str, canonical: str
) -> None:
    """The optional fields of a web page's record."""
    record.url = final_url
    record.canonical_url = canonical
    record.author = metadata.get("author") or None
    record.site_name = metadata.get("site_name") or None
    record.section = metadata.get("section") or None
    record.tags = [t for t in metadata.get("tags", "").split("\n") if t]


def iso_utc(value: str | None) -> str | None:
    """An ISO 8601 time (a WARC-Date, a crawler's fetched_at) as the archive writes times:
    ``2020-06-11T08:00:00Z``; None when absent or unreadable."""
    moment = parse_utc(value)
    if moment is None:
        return None
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
