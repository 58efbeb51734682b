"""The derived stores: open the catalog and the search index, rebuilding them from the records.

The record files are the truth; the catalog (SQLite) and the index (tantivy) are derived from
them. ``open_catalog`` and ``open_index`` rebuild a missing store before handing it out;
``reindex`` rebuilds both in one pass over the records, reading them in worker processes.
This module is what reading commands (``search``, ``entities``) import: it leaves out the
ingest pipeline (extraction, entities, worker pools for ingest) so that they start fast.
"""

from __future__ import annotations

import collections
import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .catalog import Catalog, Entry
from .catalog import entry as catalog_entry
from .index import SearchIndex, SearchIndexError, document_fields
from .store import Archive, ArchiveError, close_inherited_locks, relpath_of

if TYPE_CHECKING:
    import concurrent.futures

# Errors of the derived stores that mean "the archive cannot be written" (disk full,
# read-only, damaged database, another writer too long): a batch stops on them.
STORE_ERRORS = (sqlite3.Error, SearchIndexError, ValueError, OSError)
CHUNKS_PER_JOB = 4  # reindex tasks in flight per worker: keeps workers busy, memory bounded


@contextlib.contextmanager
def archive_errors(what: str) -> Iterator[None]:
    """Turn a derived store's error (SQLite, tantivy, OS) into a one-line ArchiveError."""
    try:
        yield
    except ArchiveError:
        raise
    except STORE_ERRORS as exc:
        raise ArchiveError(f"{what}: {_short(exc)}") from exc


def _short(exc: BaseException) -> str:
    """One short line: tantivy nests Rust debug output, whose OS message is what matters."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    os_message = re.search(r'message: "([^"]+)"', text)
    return os_message.group(1).lower() if os_message else text[:200]


def open_catalog(archive: Archive) -> Catalog:
    """The catalog, rebuilt from the records first when it is missing (records are the truth),
    by ``reindex``'s parallel path."""
    path = archive.root / "catalog.sqlite"
    with archive_errors("cannot open the catalog"):
        archive.root.mkdir(parents=True, exist_ok=True)
        if not path.exists() and archive.records_dir.is_dir():
            with archive.lock():
                if not path.exists():  # another run may have rebuilt it while we waited
                    rebuild_stores(archive, index=False)
        return Catalog(path)


def open_index(archive: Archive) -> SearchIndex:
    """The search index, rebuilt from the records first when it was missing or damaged, by
    ``reindex``'s parallel path."""
    with archive_errors("cannot open the search index"):
        index = SearchIndex(archive.root / "index")
        if index.needs_rebuild and archive.records_dir.is_dir():
            rebuild_stores(archive, catalog=False)
            index.reload()
            index.needs_rebuild = False
    return index


def reindex(archive: Archive, jobs: int | None = None) -> int:
    """Rebuild the catalog and the search index from the record files; return the count.

    Holds the archive lock throughout, so no run adds records halfway through the rebuild;
    both stores are replaced in one transaction / commit each (all or nothing). Reading,
    parsing and the index text run in ``jobs`` worker processes (default: one per core, from
    :data:`REINDEX_PARALLEL_FROM` records on); the parent only feeds the two stores.
    """
    return rebuild_stores(archive, jobs)


def rebuild_stores(
    archive: Archive, jobs: int | None = None, *, catalog: bool = True, index: bool = True
) -> int:
    """``reindex`` of the catalog, the index or both (what ``open_catalog`` and ``open_index``
    use when one is missing); return the count of records."""
    with archive.lock(), archive_errors("cannot rebuild the catalog and index"):
        relpaths = list(archive.record_relpaths())
        jobs = _reindex_jobs(len(relpaths)) if jobs is None else jobs
        # Ids that may be met twice: file names met twice, and (below) ids not named by their
        # file. Only those need a delete in the index before their add.
        names = collections.Counter(_stem(relpath) for relpath in relpaths)
        repeated = {name for name, seen in names.items() if seen > 1}
        del names
        store = Catalog(archive.root / "catalog.sqlite") if catalog else None
        try:
            count = _rebuild(archive, relpaths, jobs, store, index, repeated)
            if store is not None and index:  # both committed: nothing journaled is unindexed
                store.journal_clear(record_id for record_id, _ in store.journal())
        finally:
            if store is not None:
                store.close()
    return count


def _rebuild(  # noqa: PLR0913 - the parts of one rebuild, from rebuild_stores only
    archive: Archive,
    relpaths: list[str],
    jobs: int,
    store: Catalog | None,
    index: bool,
    repeated: set[str],
) -> int:
    """Feed every record to the catalog's and/or the index's rebuild; commit both on exit."""
    with contextlib.ExitStack() as stack:
        # The pool is forked before tantivy's writer threads exist (fork copies one thread).
        pool = stack.enter_context(_reindex_pool(jobs, archive.root))
        put = stack.enter_context(store.rebuilding()) if store is not None else None
        add = (stack.enter_context(SearchIndex(archive.root / "index").rebuilding(repeated))
               if index else None)
        count = 0
        for relpath, (fields, entry) in zip(
            relpaths, _reindex_entries(archive, relpaths, pool, fields=index), strict=True
        ):
            if put is not None:
                put.add(entry)
            if add is not None:
                if fields["id"] != _stem(relpath):  # misplaced: its id may be met again
                    repeated.add(fields["id"])
                add(fields)
            count += 1
    return count


def _stem(relpath: str) -> str:
    """records/2024/01/05/<id>.json → <id>."""
    return relpath[relpath.rfind("/") + 1 : -5]


REINDEX_CHUNK = 100  # record files per task sent to a worker
REINDEX_PARALLEL_FROM = 2000  # below this, forking workers costs more than it saves


def _reindex_jobs(count: int) -> int:
    return min(os.cpu_count() or 1, 4) if count >= REINDEX_PARALLEL_FROM else 1


@contextlib.contextmanager
def _reindex_pool(
    jobs: int, root: Path
) -> Iterator[concurrent.futures.ProcessPoolExecutor | None]:
    if jobs <= 1:
        yield None
        return
    import concurrent.futures  # here: a reading command never forks, and these cost 15 ms
    import multiprocessing

    pool = concurrent.futures.ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("fork"),
        initializer=close_inherited_locks, initargs=(root,),
    )
    try:
        # The workers fork at the first task (all of them, with "fork"): run one now, before
        # the caller opens tantivy's writer, so no child is forked from a process whose
        # writer threads may hold a lock (malloc's) that the child would wait on forever.
        pool.submit(int).result()
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _reindex_entries(
    archive: Archive,
    relpaths: list[str],
    pool: concurrent.futures.ProcessPoolExecutor | None,
    fields: bool = True,
) -> Iterator[tuple[dict, Entry]]:
    """(index fields, catalog entry) of every record, in ``relpaths`` order; read in ``pool``
    with a bounded window of chunks in flight, or here when there is no pool. Without
    ``fields``, the index fields hold the id only (a catalog-only rebuild)."""
    if pool is None:
        yield from _reindex_chunk(archive.root, relpaths, fields)
        return
    jobs = pool._max_workers  # noqa: SLF001 - the executor keeps no public count
    window: collections.deque = collections.deque()
    for start in range(0, len(relpaths), REINDEX_CHUNK):
        chunk = relpaths[start : start + REINDEX_CHUNK]
        window.append(pool.submit(_reindex_chunk, archive.root, chunk, fields))
        if len(window) >= jobs * CHUNKS_PER_JOB:
            yield from window.popleft().result()
    while window:
        yield from window.popleft().result()


def _reindex_chunk(
    root: Path, relpaths: list[str], fields: bool = True
) -> list[tuple[dict, Entry]]:
    """Read records and compute what the index and catalog keep of them, as plain data (no
    Record objects: building them costs more than the rest). Runs in worker processes."""
    archive = Archive(root)
    return _chunk_entities([reindex_entry(archive, relpath, fields) for relpath in relpaths])


def _chunk_entities(entries: list[tuple[dict, Entry]]) -> list[tuple[dict, Entry]]:
    """``entries`` with each entity's (type, name, match form) sent once: the chunk's entities
    go with its last entry, in one dict (the last record's name winning, as in the catalog's
    ``Rebuild.add``), and the others carry none. A chunk names half as many distinct entities
    as it has mentions, and unpickling them is the parent's work."""
    if len(entries) < 2:
        return entries
    merged: dict[str, tuple[str, str, str]] = {}
    for _, (_, _, entities) in entries:
        merged.update(entities)
    last_fields, (row, rows, _) = entries[-1]
    out = [(fields, (row_, rows_, {})) for fields, (row_, rows_, _) in entries[:-1]]
    out.append((last_fields, (row, rows, merged)))
    return out


def reindex_entry(archive: Archive, relpath: str, fields: bool = True) -> tuple[dict, Entry]:
    """One record file's index fields (only its id without ``fields``) and catalog entry;
    ArchiveError when it is unreadable or lacks a field every record has."""
    data = archive.read_data(relpath)
    try:
        record_id, title, ingested_at = data["id"], data["title"], data["ingested_at"]
        published = data.get("published")
        date = (published or ingested_at)[:10]
        mentions = [(m["id"], m["type"], m["name"]) for m in data.get("entities", [])]
        document = document_fields(
            record_id, title, data["text"], date, ingested_at, data["source"],
            ((i, t) for i, t, _ in mentions)
        ) if fields else {"id": record_id}
        row = (record_id, relpath_of(record_id, date), title, date, published, ingested_at,
               data["source"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ArchiveError(f"cannot read record {archive.root / relpath}: {exc!r}") from exc
    return document, catalog_entry(row, mentions)
