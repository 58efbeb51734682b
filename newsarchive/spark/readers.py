"""The job's three input forms, read inside executors into :class:`Item` (an input to convert)
or :class:`Skip` (an input that is not an article, with its reason).

Plain Python, no pyspark: each reader is a generator over what Spark hands a task (a file's
bytes, JSON Lines, a WARC stream), so it can be tested, and reused, without a cluster.

``order`` is the input's place in the corpus (file name, then position in the file): among
records with the same id the job keeps the one first in that order, as ``ingest`` keeps the
first of its inputs.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from ..convert import iso_utc
from ..sources.files import _matches
from ..sources.web import PAGE_TYPES, FetchError, _content_type, check_url

FILE = "file"  # an input file: the record's source is its path, as `ingest` makes it
PAGE = "page"  # a web page (JSON Lines, WARC): the source is its canonical URL, as `fetch`
SKIPPED = "skipped"  # not meant to be an article (a redirect, a 404, an image)
FAILED = "failed"  # meant to be one, but unreadable


@dataclass(frozen=True)
class Item:
    kind: str  # FILE or PAGE
    name: str  # file path (or URI off this machine) / page URL after redirects
    order: str
    data: bytes
    content_type: str = "text/html"
    charset: str | None = None
    fetched_at: str | None = None  # ISO 8601 UTC; a page's record takes it as ingested_at


@dataclass(frozen=True)
class Skip:
    name: str
    order: str
    status: str  # SKIPPED or FAILED
    reason: str  # one line, general enough to count by (details are in ``name``)


def order_key(name: str, position: int = 0) -> str:
    """Sorts as (path components, position), the order of ``ingest``'s walk (each folder's
    entries by name, so folder ``b/`` comes before file ``b.html``), then place in the file."""
    return f"{name.replace('/', chr(1))}\x00{position:015d}"


def local_name(uri: str) -> str:
    """A ``file:`` URI as the absolute path `ingest` stores (symlinks resolved); other URIs
    (hdfs:, s3a:) as they are."""
    parts = urlsplit(uri)
    if parts.scheme not in ("", "file"):
        return uri
    path = os.path.realpath(unquote(parts.path))
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def size_limit(limit: int) -> str:
    return f"the {limit:,} byte limit".replace(",", "")


# --- folders of files ---------------------------------------------------------------------


def wanted_file(uri: str, pattern: str | None) -> bool:
    """The file names `ingest` takes from a folder: ``ingest.glob``, else txt, html..."""
    return _matches(uri.rsplit("/", 1)[-1], pattern)


def file_item(uri: str, data: bytes, max_bytes: int) -> Item | Skip:
    name = local_name(uri)
    if len(data) > max_bytes:
        return Skip(name, order_key(name), FAILED, f"file is larger than {size_limit(max_bytes)}")
    return Item(FILE, name, order_key(name), bytes(data))


# --- JSON Lines of {url, html | text, fetched_at} -------------------------------------------


def jsonl_items(
    lines: Iterable[tuple[str, int, str]], max_bytes: int
) -> Iterator[Item | Skip]:
    """(file, position, line) → one Item per page line; blank lines are ignored."""
    for file, position, line in lines:
        if line.strip():
            yield jsonl_item(line, file, position, max_bytes)


def jsonl_item(line: str, file: str, position: int, max_bytes: int) -> Item | Skip:
    order = order_key(file, position)
    where = f"{file}:{position}" if position else file
    try:
        page = json.loads(line)
    except ValueError:
        return Skip(where, order, FAILED, "bad JSON line: not valid JSON")
    if not isinstance(page, dict):
        return Skip(where, order, FAILED, "bad JSON line: not a JSON object")
    url = page.get("url")
    if not isinstance(url, str):
        return Skip(where, order, FAILED, "bad JSON line: no url")
    try:
        url = check_url(url)
    except FetchError:
        return Skip(f"{where}: {url}", order, FAILED, "bad JSON line: not an http(s) URL")
    body, kind = page.get("html"), "text/html"
    if not isinstance(body, str):
        body, kind = page.get("text"), "text/plain"
    if not isinstance(body, str):
        return Skip(url, order, FAILED, "bad JSON line: no html or text")
    data = body.encode("utf-8", "surrogatepass")
    if len(data) > max_bytes:
        return Skip(url, order, FAILED, f"page is larger than {size_limit(max_bytes)}")
    fetched = page.get("fetched_at")
    fetched_at = iso_utc(fetched) if isinstance(fetched, str) else None
    return Item(PAGE, url, order, data, kind, "utf-8", fetched_at)


# --- WARC -----------------------------------------------------------------------------------


def warc_items(stream: BinaryIO, name: str, max_bytes: int) -> Iterator[Item | Skip]:
    """Every response record of a WARC file (gzipped or not): an Item for an HTML or text
    page with status 200, else a Skip with the reason. Other record types (request,
    metadata, warcinfo) are not inputs and yield nothing."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(stream)
    seen = 0
    try:
        for record in records:
            seen += 1
            item = _warc_item(record, name, max_bytes)
            if item is not None:
                # The offset only after the body is read: warcio skips to the record's end.
                yield replace(item, order=order_key(name, records.get_record_offset()))
        if not seen:
            yield Skip(f"{name}: no WARC records", order_key(name), FAILED,
                       "not a readable WARC file")  # fmt: skip
    # warcio meets damaged input with assorted errors (a missing header is an AttributeError).
    except (ArchiveLoadFailed, ValueError, OSError, EOFError, zlib.error, AttributeError,
            TypeError, KeyError, IndexError) as exc:  # fmt: skip
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        yield Skip(f"{name}: {reason[:200]}", order_key(name, 10**14), FAILED,
                   "not a readable WARC file")  # fmt: skip


def _warc_item(record, file: str, max_bytes: int) -> Item | Skip | None:
    """The Item or Skip of one WARC record (its ``order`` is set by the caller)."""
    if record.rec_type not in ("response", "revisit"):
        return None
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")
    order = ""
    shown = url or f"{file} ({record.rec_headers.get_header('WARC-Record-ID')})"
    if record.rec_type == "revisit":
        return Skip(shown, order, SKIPPED, "revisit record (no page body)")
    if record.http_headers is None:
        return Skip(shown, order, SKIPPED, "not an HTTP response")
    status = int(record.http_headers.get_statuscode() or 0)
    if 300 <= status < 400:
        return Skip(shown, order, SKIPPED, f"redirect (HTTP {status})")
    if status != 200:
        return Skip(shown, order, SKIPPED, f"HTTP {status}")
    media, charset = _content_type(record.http_headers.get_header("Content-Type") or "")
    if media and media not in PAGE_TYPES:
        return Skip(shown, order, SKIPPED, f"not a web page (Content-Type {media})")
    try:
        url = check_url(url)
    except FetchError:
        return Skip(shown, order, FAILED, "no http(s) target URI")
    data = record.content_stream().read(max_bytes + 1)  # de-chunked and decompressed
    if len(data) > max_bytes:
        return Skip(url, order, FAILED, f"page is larger than {size_limit(max_bytes)}")
    fetched_at = iso_utc(record.rec_headers.get_header("WARC-Date"))
    return Item(PAGE, url, order, data, media or "text/html", charset, fetched_at)
