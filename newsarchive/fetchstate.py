"""What fetch and run remember between runs: ``ARCHIVE/fetch.sqlite``.

Three tables, all *state that saves work*, none of it the truth (records are):

* ``pages``: every URL fetched (as asked, and canonical), with the record it became and its
  ETag / Last-Modified, so a URL already archived is skipped without a request, and a
  ``--refresh`` or a feed re-read sends a conditional request (304: nothing downloaded);
* ``feeds``: each feed's validators, so an unchanged feed costs one 304;
* ``robots``: robots.txt per origin, trusted for a day.

Deleting the file loses nothing archived: the next run re-downloads what it lists, and the
records' ids still turn every already-archived article into a duplicate.
It is separate from ``catalog.sqlite`` because ``reindex`` rebuilds the catalog from the
records, and none of this is in the records.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FetchState", "Validators"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,          -- as asked for, and again under its canonical form
    canonical TEXT NOT NULL,
    record_id TEXT,                -- the record it became (NULL: fetched, not archived)
    etag TEXT,
    last_modified TEXT,
    fetched_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    fetched_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS robots (
    origin TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    fetched_at REAL NOT NULL
);
"""


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


class FetchState:
    """The fetch state of one archive. Use as a context manager, or call :meth:`close`."""

    FILE_NAME = "fetch.sqlite"

    def __init__(self, archive_root: Path):
        archive_root.mkdir(parents=True, exist_ok=True)
        self.path = archive_root / self.FILE_NAME
        # Autocommit: each remembered page is durable at once, so an interrupted run keeps
        # what it did; the writes are few (one per page) next to the downloads.
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)

    def __enter__(self) -> FetchState:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # --- pages ---------------------------------------------------------------------------

    def archived(self, *urls: str) -> str | None:
        """The record id any of ``urls`` became, if one was archived."""
        for url in urls:
            row = self.db.execute(
                "SELECT record_id FROM pages WHERE (url = ? OR canonical = ?)"
                " AND record_id IS NOT NULL LIMIT 1",
                (url, url),
            ).fetchone()
            if row:
                return row[0]
        return None

    def page_validators(self, url: str) -> Validators:
        row = self.db.execute(
            "SELECT etag, last_modified FROM pages WHERE url = ?", (url,)
        ).fetchone()
        return Validators(*row) if row else Validators()

    def remember_page(
        self,
        urls: list[str],
        canonical: str,
        record_id: str | None,
        validators: Validators = Validators(),  # noqa: B008 (frozen, so shared safely)
    ) -> None:
        now = time.time()
        for url in dict.fromkeys([*urls, canonical]):
            self.db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)",
                (url, canonical, record_id, validators.etag, validators.last_modified, now),
            )

    # --- feeds ---------------------------------------------------------------------------

    def feed_validators(self, url: str) -> Validators:
        row = self.db.execute(
            "SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)
        ).fetchone()
        return Validators(*row) if row else Validators()

    def remember_feed(self, url: str, validators: Validators) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)",
            (url, validators.etag, validators.last_modified, time.time()),
        )

    # --- robots.txt ----------------------------------------------------------------------

    def robots(self, origin: str, max_age: float) -> str | None:
        """The cached robots.txt of ``origin`` when younger than ``max_age`` seconds."""
        row = self.db.execute(
            "SELECT body, fetched_at FROM robots WHERE origin = ?", (origin,)
        ).fetchone()
        if row and time.time() - row[1] < max_age:
            return row[0]
        return None

    def save_robots(self, origin: str, body: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO robots VALUES (?, ?, ?)", (origin, body, time.time())
        )
