"""Web pages through the pipeline, and the unattended ``run``: feeds + inbox folders, once.

* :class:`WebIngester` ``.fetch_url(url)``: URL → :class:`~newsarchive.sources.web.Page` →
  ``decode`` (HTTP charset considered) → ``extract`` → ``build_record`` (source: the canonical
  URL) → ``Ingester.store`` → remembered in :class:`~newsarchive.fetchstate.FetchState`.
  A URL whose canonical form was archived before is a duplicate without any request, unless
  ``refresh``: then a conditional request (ETag / Last-Modified) is sent, and 304 is a duplicate.
* :func:`run_feeds` yields one :class:`FeedDone` per feed and one
  :class:`~newsarchive.pipeline.Outcome` per item; :func:`run_lock` keeps two runs apart.

Nothing here prints: the CLI turns the events into lines, logs and exit codes.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .config import Config, Feed
from .convert import page_record
from .extract import ExtractError
from .fetchstate import FetchState, Validators
from .pipeline import Ingester, Outcome
from .sources.feeds import FeedError, FeedItem, parse_feed
from .sources.files import InputError
from .sources.web import FEED_TYPES, Fetcher, FetchError, canonical_url, check_url

__all__ = ["FeedDone", "RunLocked", "RunSummary", "WebIngester", "run_feeds", "run_lock"]

LOCK_NAME = ".run.lock"
MAX_CHILD_SITEMAPS = 20  # of a sitemap index, newest first


class RunLocked(Exception):
    """Another ``run`` holds the archive's run lock."""


@contextmanager
def run_lock(archive_root: Path) -> Iterator[Path]:
    """Hold ``ARCHIVE/.run.lock`` (flock, non-blocking) for the duration; RunLocked if taken.

    flock is released by the kernel when the process dies, so a killed run never leaves a
    stale lock behind (a lock *file* alone would).
    """
    archive_root.mkdir(parents=True, exist_ok=True)
    path = archive_root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLocked(f"another run is in progress on {archive_root} ({path})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@dataclass(frozen=True)
class FeedDone:
    """One feed read: how many items it listed (after its limit), or why it failed."""

    feed: Feed
    items: int = 0
    error: str | None = None
    unchanged: bool = False  # 304: nothing new since the last run
    validators: Validators | None = None  # to send next time

    @property
    def name(self) -> str:
        return self.feed.name or urlsplit(self.feed.url).hostname or self.feed.url


@dataclass
class RunSummary:
    feeds: int = 0
    new: int = 0
    duplicates: int = 0
    failed: int = 0
    seconds: float = 0.0

    def add(self, event: FeedDone | Outcome) -> None:
        if isinstance(event, FeedDone):
            self.feeds += 1
            self.failed += event.error is not None
        elif event.status == "stored":
            self.new += 1
        elif event.status == "duplicate":
            self.duplicates += 1
        else:
            self.failed += 1

    def line(self) -> str:
        return (
            f"{self.feeds} feeds, {self.new} new, {self.duplicates} duplicates, "
            f"{self.failed} failed, {self.seconds:.1f} s"
        )


class WebIngester:
    """Fetches pages and feeds into one archive (see the module docstring)."""

    def __init__(self, config: Config, ingester: Ingester, fetcher: Fetcher, state: FetchState):
        self.config = config
        self.ingester = ingester
        self.fetcher = fetcher
        self.state = state

    def fetch_url(self, url: str, *, refresh: bool = False, language: str | None = None) -> Outcome:
        """Archive one page; a failure is an Outcome, only an unwritable archive raises."""
        shown = url.strip()
        try:
            url = check_url(url)
            canonical = canonical_url(url)
            if not refresh:
                known = self.state.archived(url, canonical)
                if known:
                    return Outcome(shown, "duplicate", known)
            validators = self.state.page_validators(canonical) if refresh else Validators()
            page = self.fetcher.get(
                url, etag=validators.etag, last_modified=validators.last_modified
            )
            if page.not_modified:
                return Outcome(shown, "duplicate", self.state.archived(url, canonical))
            # The same function the Spark job calls on a WARC response or a JSON Lines page.
            record = page_record(
                page.content, page.final_url, self.ingester.furniture, self.ingester.extractor,
                content_type=page.content_type, charset=page.charset, language=language,
            )  # fmt: skip
            stated = record.source  # the page's canonical URL
            if not refresh and stated != canonical:
                known = self.state.archived(stated)
                if known:
                    self.state.remember_page([url], stated, known)
                    return Outcome(shown, "duplicate", known, title=record.title)
            outcome = self.ingester.store(record, shown)
            self.state.remember_page(
                [url, page.final_url], stated, outcome.record_id,
                Validators(page.etag, page.last_modified),
            )  # fmt: skip
            return outcome
        except (FetchError, InputError, ExtractError) as exc:
            return Outcome(shown, "failed", error=str(exc))

    def feed_items(self, feed: Feed) -> tuple[list[FeedItem], FeedDone]:
        """The items of ``feed`` to fetch (limit applied), and the feed's report."""
        limit = feed.limit or self.config.feed_limit
        try:
            validators = self.state.feed_validators(feed.url)
            page = self.fetcher.get(
                feed.url, etag=validators.etag, last_modified=validators.last_modified,
                accept=FEED_TYPES,
            )  # fmt: skip
            if page.not_modified:
                return [], FeedDone(feed, unchanged=True)
            items = parse_feed(page.content, page.final_url)
            pages = [i for i in items if not i.is_sitemap]
            for child in [i for i in items if i.is_sitemap][:MAX_CHILD_SITEMAPS]:
                if len(pages) >= limit:
                    break
                sub = self.fetcher.get(child.url, accept=FEED_TYPES)
                pages += [i for i in parse_feed(sub.content, sub.final_url) if not i.is_sitemap]
        except (FetchError, FeedError) as exc:
            return [], FeedDone(feed, error=str(exc))
        validators = Validators(page.etag, page.last_modified)
        return pages[:limit], FeedDone(feed, items=len(pages[:limit]), validators=validators)


def run_feeds(web: WebIngester, *, refresh: bool = False) -> Iterator[FeedDone | Outcome]:
    """Every configured feed, then every inbox folder: one event per feed and per item.

    A feed's validators are saved only when none of its items failed, so a failed item is
    tried again by the next run instead of hiding behind a 304.
    """
    for feed in web.config.feeds:
        items, done = web.feed_items(feed)
        failed = False
        for item in items:
            outcome = web.fetch_url(item.url, refresh=refresh, language=feed.language)
            failed = failed or outcome.status == "failed"
            yield outcome
        if done.validators is not None and not failed:
            web.state.remember_feed(feed.url, done.validators)
        yield done
    if web.config.inbox:
        yield from web.ingester.ingest_paths([str(p) for p in web.config.inbox])
