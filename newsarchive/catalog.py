"""The catalog: ``ARCHIVE/catalog.sqlite``, a derived table of records and their entities.

It answers "where is record X" (by id or a unique id prefix), "what came in lately" and
"which entities are mentioned most" without reading the record files. Like the index, it is
rebuilt from the records whenever in doubt.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .arabic.normalize import normalize
from .record import Record

# Entity names repeat across records: normalizing each once keeps rebuilds fast. Bounded
# well below the names an archive holds: rule-found names keep coming (79,318 distinct in
# 30,000 generated records), ~330 bytes each, so 100,000 entries were 33 MB of an ingest's
# memory at 100k; 16,384 (5 MB) keep the frequent ones and cost 13% more misses (~4 ms of
# normalizing per 1,000 records).
_normalized_name = lru_cache(maxsize=1 << 14)(normalize)

MIN_PREFIX = 4
BUSY_TIMEOUT_MS = 30_000
REBUILD_BATCH = 2000  # records per executemany during a rebuild: bounded memory, few calls
# Distinct entities (or entity, type pairs) a rebuild gathers before writing them: ~650 bytes
# each in memory (~33 MB), and about 16,000 records' worth of the 100k archive.
REBUILD_ENTITIES = 50_000
BULK_CHECKPOINT_PAGES = 10_000  # see Catalog.write_in_bulk

# What the catalog keeps of one record, as plain data (cheap to build in a worker process and
# to send back): the records row, one mentions row (record id, entity id, type, name, count)
# per entity, and each entity's (type, name, match form of the name).
RecordRow = tuple[str, str, str, str, "str | None", str, str]
MentionRow = tuple[str, str, str, str, int]
Entry = tuple[RecordRow, list[MentionRow], dict[str, tuple[str, str, str]]]

_INSERT_RECORD = (
    "INSERT INTO records (id, path, title, date, published, ingested_at, source)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET path = excluded.path, title = excluded.title,"
    " date = excluded.date, published = excluded.published,"
    " ingested_at = excluded.ingested_at, source = excluded.source"
)
_INSERT_MENTION = (
    "INSERT INTO mentions (record_id, entity_id, type, name, count) VALUES (?, ?, ?, ?, ?)"
)
_UPSERT_ENTITY = (
    "INSERT INTO entities (id, type, name, norm) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name,"
    " norm = excluded.norm"
    " WHERE entities.name != excluded.name OR entities.type != excluded.type"
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    published TEXT,
    ingested_at TEXT NOT NULL,
    source TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_recent ON records (date, ingested_at);
CREATE TABLE IF NOT EXISTS mentions (
    record_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (record_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity_id);
-- One row per entity: its canonical name and that name's match form, for resolve_entity.
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    norm TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_norm ON entities (norm);
-- Write-ahead journal: records being written, or written but not yet committed to the search
-- index. A row goes in before the record file is written and out after the index commit, so
-- after a crash the rows name exactly the records (and folders) to check: no archive walk.
CREATE TABLE IF NOT EXISTS journal (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL
) WITHOUT ROWID;
"""

# The entity summary: mentions and records per (entity, type), what ``top_entities`` lists,
# read in the order of its one index (with a type, the same walk skips other types: every
# type is common). Grouping every mention row instead takes seconds at a million records.
# The catalog's writers keep it: ``_put`` adds one group's changes in one upsert per entity
# (triggers would cost an upsert per mention row, doubling the catalog's share of ingest);
# a rebuild fills it from its own counts; ``verify`` checks it against the mentions.
SUMMARY_TABLE = """
CREATE TABLE entity_counts (
    entity_id TEXT NOT NULL,
    type TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (entity_id, type)
) WITHOUT ROWID"""
SUMMARY_INDEXES = [
    "CREATE INDEX IF NOT EXISTS entity_counts_top"
    " ON entity_counts (mentions DESC, records DESC, entity_id)",
]
_ADD_COUNTS = (
    "INSERT INTO entity_counts (entity_id, type, mentions, records) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (entity_id, type) DO UPDATE"
    " SET mentions = mentions + excluded.mentions, records = records + excluded.records"
)
# The summary of the mentions as they are: to fill it (an older catalog) or to check it.
SUMMARY_QUERY = (
    "SELECT entity_id, type, SUM(count), COUNT(*) FROM mentions GROUP BY entity_id, type"
)
SUMMARY_QUERY_NAMED = (
    "SELECT entity_id, type, SUM(count) AS mentions, COUNT(*) AS records FROM mentions"
    " GROUP BY entity_id, type"
)


# The secondary indexes of SCHEMA, which a rebuild drops and creates again after its inserts.
_INDEX_STATEMENTS = [
    line.rstrip(";") for line in SCHEMA.splitlines() if line.startswith("CREATE INDEX")
]
_INDEX_STATEMENTS += SUMMARY_INDEXES
_SECONDARY_INDEXES = [statement.split()[5] for statement in _INDEX_STATEMENTS]
REBUILD_CACHE_KIB = -262_144  # 256 MiB page cache at most while rebuilding (negative: KiB)


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """mode=ro still writes the WAL index (-shm); on a read-only file system, immutable=1."""
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("SELECT 1 FROM records LIMIT 1")
        return conn
    except sqlite3.OperationalError:
        return sqlite3.connect(f"{uri}?immutable=1", uri=True)


def entry(row: RecordRow, mentions: Iterable[tuple[str, str, str]]) -> Entry:
    """A record's catalog entry from its row and its mentions' (entity id, type, name): one
    mention row per entity, with the type and name of its first mention and its count."""
    # entity id → [type, name, mentions]: one dict, not a Counter beside it (whose
    # __missing__ is a Python call for every new entity).
    first: dict[str, list] = {}
    for entity_id, entity_type, name in mentions:
        found = first.get(entity_id)
        if found is None:
            first[entity_id] = [entity_type, name, 1]
        else:
            found[2] += 1
    record_id = row[0]
    rows = [(record_id, eid, etype, name, count) for eid, (etype, name, count) in first.items()]
    # The name's match form here, not at the end of a rebuild: this runs in the workers.
    entities = {eid: (etype, name, _normalized_name(name))
                for eid, (etype, name, _) in first.items()}
    return row, rows, entities


def record_entry(record: Record, relpath: str) -> Entry:
    row = (record.id, relpath, record.title, record.date, record.published,
           record.ingested_at, record.source)
    return entry(row, ((m.id, m.type, m.name) for m in record.entities))


# (entity id, type) → [mentions, records]: changes to the entity summary, gathered per write.
Counts = dict[tuple[str, str], list[int]]


def _count(counts: Counts, entity_id: str, entity_type: str, mentions: int, records: int) -> None:
    total = counts.get((entity_id, entity_type))
    if total is None:
        counts[(entity_id, entity_type)] = [mentions, records]
    else:
        total[0] += mentions
        total[1] += records


class Rebuild:
    """The catalog being refilled (see :meth:`Catalog.rebuilding`): rows are buffered and
    inserted :data:`REBUILD_BATCH` records at a time with ``executemany``. Entities and the
    summary's counts are gathered in memory and written once per :data:`REBUILD_ENTITIES`
    distinct entities (and at the end): an entity named in many records is written a few
    times, not once a record, and the memory stays bounded however large the archive (rule-found
    names grow with it: one entry per distinct entity held to the end was most of a reindex's
    2.4 GB peak at a million records). Calling it with (record, relpath) adds one."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        self._batch: dict[str, Entry] = {}  # by id: a record stored twice keeps the last
        self._entities: dict[str, tuple[str, str, str]] = {}
        # (entity id, type) → [mentions, records], for the summary table (see SUMMARY_TABLE).
        self._counts: Counts = {}
        self._recount = False  # a record met in two batches: count with SQL at the end
        self.count = 0

    def __call__(self, record: Record, relpath: str) -> None:
        self.add(record_entry(record, relpath))

    def add(self, item: Entry) -> None:
        self._batch[item[0][0]] = item
        self._entities.update(item[2])  # the last record's name wins
        self.count += 1
        if len(self._batch) >= REBUILD_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        conn, batch = self._conn, self._batch
        # In key order: each insert lands beside the last in the B-tree (the ids are hashes,
        # random in file order), so pages are found in cache and filled, not split at random.
        conn.executemany(_INSERT_RECORD, sorted(item[0] for item in batch.values()))
        # Only a record met in an earlier batch too has mention rows to replace.
        replaced = conn.executemany(
            "DELETE FROM mentions WHERE record_id = ?", [(i,) for i in batch]
        ).rowcount
        self._recount = self._recount or replaced > 0
        rows = sorted(itertools.chain.from_iterable(item[1] for item in batch.values()))
        conn.executemany(_INSERT_MENTION, rows)
        counts = self._counts
        for _, entity_id, entity_type, _, count in rows:
            _count(counts, entity_id, entity_type, count, 1)
        self._batch = {}
        if max(len(self._entities), len(counts)) >= REBUILD_ENTITIES:
            self._write_entities()

    def _write_entities(self) -> None:
        """Write the entities and counts gathered so far, and forget them: an upsert each, in
        key order. Written in the order met, so the last record's name still wins; counts add
        up over the writes (the table starts empty)."""
        conn = self._conn
        conn.executemany(
            _UPSERT_ENTITY, sorted((eid, *entity) for eid, entity in self._entities.items())
        )
        if not self._recount:  # else counted once at the end: these would be off
            conn.executemany(
                _ADD_COUNTS, sorted((*key, *total) for key, total in self._counts.items())
            )
        self._entities, self._counts = {}, {}

    def finish(self) -> None:
        self.flush()
        self._write_entities()
        if self._recount:  # rare (an id stored under two dates): the Python counts are off
            self._conn.execute("DELETE FROM entity_counts")
            self._conn.execute(f"INSERT INTO entity_counts {SUMMARY_QUERY}")


@dataclass(frozen=True)
class CatalogRow:
    id: str
    path: str  # relative to the archive root
    title: str
    date: str
    published: str | None
    ingested_at: str
    source: str


@dataclass(frozen=True)
class EntityCount:
    id: str
    type: str
    name: str
    mentions: int  # total mentions over all records
    records: int  # number of records that mention it


class Catalog:
    def __init__(self, path: Path, *, readonly: bool = False):
        """Open (creating) the catalog; ``readonly`` opens an existing one without writing
        anything, so checks like ``verify`` work on a read-only archive too."""
        self.path = Path(path)
        if readonly:
            self._conn = _connect_readonly(self.path)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        with self._conn:
            self._conn.executescript(SCHEMA)
        self._ensure_summary()

    def _ensure_summary(self) -> None:
        """Create the entity summary when the catalog has none: a new
        catalog, or one written before it existed, whose mentions are counted once here."""
        if self._has_summary():
            return
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")  # no writer may add mentions between check and count
        try:
            if not self._has_summary():
                conn.execute(SUMMARY_TABLE)
                conn.execute(f"INSERT INTO entity_counts {SUMMARY_QUERY}")
                for statement in SUMMARY_INDEXES:
                    conn.execute(statement)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _has_summary(self) -> bool:
        return self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'entity_counts'"
        ).fetchone() is not None

    # -- writing --------------------------------------------------------------------------
    def add(self, record: Record, relpath: str) -> None:
        """Insert or replace one record (and its mentions)."""
        self.add_many([(record, relpath)])

    def add_many(self, items: Iterable[tuple[Record, str]]) -> int:
        """Insert or replace records, in one transaction; return the count."""
        return self.add_entries(record_entry(record, relpath) for record, relpath in items)

    def add_entries(self, entries: Iterable[Entry]) -> int:
        """Insert or replace records given as catalog entries (:func:`entry`, built where the
        record was: an ingest worker), in one transaction; return the count. A record met
        twice keeps its last entry. One statement per table for the whole group: the rows come
        finished, so the writer only writes (ingest --jobs writes in one process)."""
        batch: dict[str, Entry] = {}
        count = 0
        for item in entries:
            batch[item[0][0]] = item
            count += 1
        if not batch:
            return 0
        conn = self._conn
        counts: Counts = {}
        names: dict[str, tuple[str, str, str]] = {}
        with conn:
            conn.executemany(_INSERT_RECORD, sorted(item[0] for item in batch.values()))
            # A replaced record's old mentions leave the summary (rare: ingest skips known ids).
            ids = list(batch)
            for start in range(0, len(ids), 500):  # stay under SQLite's variable limit
                chunk = ids[start : start + 500]
                for entity_id, entity_type, count_was in conn.execute(
                    f"DELETE FROM mentions WHERE record_id IN ({','.join('?' * len(chunk))})"
                    " RETURNING entity_id, type, count",
                    chunk,
                ).fetchall():
                    _count(counts, entity_id, entity_type, -count_was, -1)
            rows = sorted(itertools.chain.from_iterable(item[1] for item in batch.values()))
            conn.executemany(_INSERT_MENTION, rows)  # in key order, as Rebuild.flush
            for _, entity_id, entity_type, _, mentions in rows:
                _count(counts, entity_id, entity_type, mentions, 1)
            for item in batch.values():
                names.update(item[2])  # the last record's name wins, as one upsert each would
            conn.executemany(_UPSERT_ENTITY, [(eid, *entity) for eid, entity in names.items()])
            self._add_counts(counts)
        return count

    def _add_counts(self, counts: Counts) -> None:
        """Apply one write's summary changes: an upsert per entity, not per mention."""
        self._conn.executemany(_ADD_COUNTS, [(*key, *total) for key, total in counts.items()])
        if any(total[1] < 0 for total in counts.values()):  # a replacement took some away
            self._conn.execute("DELETE FROM entity_counts WHERE records <= 0")

    def rebuild(self, items: Iterable[tuple[Record, str]]) -> int:
        """Empty the catalog and fill it with ``items`` (one transaction: all or nothing)."""
        count = 0
        with self.rebuilding() as put:
            for record, relpath in items:
                put(record, relpath)
                count += 1
        return count

    @contextmanager
    def rebuilding(self) -> Iterator[Rebuild]:
        """Empty the catalog and yield a :class:`Rebuild` (``put(record, relpath)``, or
        ``put.add(entry)``); committed on exit, rolled back on an exception, so a caller can
        fill the catalog and another store in one read pass."""
        conn = self._conn
        # Random-order inserts into indexed B-trees are the cost of a rebuild: the secondary
        # indexes are dropped and built once at the end (a sort), and the page cache is
        # enlarged for the rest. DDL is transactional in SQLite: a failure restores them.
        cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = {REBUILD_CACHE_KIB}")
        try:
            with conn:
                # A DELETE first: it opens the transaction (sqlite3 does not before DDL).
                conn.execute("DELETE FROM entity_counts")
                conn.execute("DELETE FROM mentions")
                # mentions_type served top_entities before the summary did: gone for good.
                for name in [*_SECONDARY_INDEXES, "mentions_type"]:
                    conn.execute(f"DROP INDEX IF EXISTS {name}")
                conn.execute("DELETE FROM records")
                conn.execute("DELETE FROM entities")
                rebuild = Rebuild(conn)
                yield rebuild
                rebuild.finish()
                # Not executescript: it would commit.
                for statement in _INDEX_STATEMENTS:
                    conn.execute(statement)
        finally:
            conn.execute(f"PRAGMA cache_size = {cache_size}")

    # -- the write-ahead journal -------------------------------------------------------------
    def journal_add(self, record_id: str, relpath: str) -> None:
        with self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO journal (id, path) VALUES (?, ?)", (record_id, relpath)
            )

    def journal_add_many(self, items: Iterable[tuple[str, str]]) -> None:
        """Journal (id, relative path) pairs in one transaction."""
        with self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO journal (id, path) VALUES (?, ?)", items)

    def journal(self) -> list[tuple[str, str]]:
        """(id, relative path) of every record written, or being written, but not indexed."""
        return self._conn.execute("SELECT id, path FROM journal ORDER BY id").fetchall()

    def journal_clear(self, record_ids: Iterable[str]) -> None:
        with self._conn:
            self._conn.executemany("DELETE FROM journal WHERE id = ?", [(i,) for i in record_ids])

    def write_in_bulk(self) -> None:
        """Checkpoint the write-ahead log every :data:`BULK_CHECKPOINT_PAGES` pages instead of
        SQLite's 1,000: for a long writer (ingest), on this connection only.

        An ingest group of 64 records dirties ~1,500 pages (each mention lands in the entity
        index and the entity summary at a random place), so the default checkpointed after
        nearly every group: each page copied back and fsynced once per group. Checkpointing
        every ~7 groups copies a page rewritten by several groups once. Measured on a catalog
        of 100,000 records, 6,400 more added in groups of 64: 3.2-3.7 → 1.3-1.8 ms a record of
        wall time, system time 0.58 → 0.47 ms. Costs a write-ahead log of up to ~50 MB.
        Durability is unchanged: ``synchronous = NORMAL`` never syncs a commit, a checkpoint
        does, and the catalog is rebuilt from the records when in doubt.
        """
        self._conn.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")

    # -- reading --------------------------------------------------------------------------
    def paths(self) -> dict[str, str]:
        """Every record id with its relative path."""
        return dict(self._conn.execute("SELECT id, path FROM records"))

    def has(self, record_id: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone()
        return row is not None

    def known(self, record_ids: Iterable[str]) -> set[str]:
        """The ids among ``record_ids`` that the catalog holds."""
        ids = list(record_ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):  # stay under SQLite's variable limit
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in self._conn.execute(
                f"SELECT id FROM records WHERE id IN ({marks})", chunk))
        return found

    def path_of(self, record_id_or_prefix: str) -> str | None:
        """The record's path, by full id or by a unique prefix of at least 4 characters.

        None when there is no such record or the prefix is ambiguous.
        """
        key = record_id_or_prefix
        if not key:
            return None
        row = self._conn.execute("SELECT path FROM records WHERE id = ?", (key,)).fetchone()
        if row is not None:
            return row[0]
        if len(key) < MIN_PREFIX:
            return None
        # A range scan on the primary key: every id that starts with ``key``.
        upper = key[:-1] + chr(ord(key[-1]) + 1)
        rows = self._conn.execute(
            "SELECT path FROM records WHERE id >= ? AND id < ? LIMIT 2", (key, upper)
        ).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def get(self, record_id: str) -> CatalogRow | None:
        row = self._conn.execute(
            "SELECT id, path, title, date, published, ingested_at, source FROM records"
            " WHERE id = ?",
            (record_id,),
        ).fetchone()
        return CatalogRow(*row) if row else None

    def recent(self, limit: int = 20) -> list[CatalogRow]:
        """The newest records: by date, then by ingestion time."""
        rows = self._conn.execute(
            "SELECT id, path, title, date, published, ingested_at, source FROM records"
            " ORDER BY date DESC, ingested_at DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [CatalogRow(*row) for row in rows]

    def count(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]

    def top_entities(self, type: str | None = None, limit: int = 20) -> list[EntityCount]:
        """The most mentioned entities (optionally of one type), most mentions first."""
        where, params = ("WHERE c.type = ?", [type]) if type else ("", [])
        # The summary table, read in its index order (a few rows, however large the archive);
        # a read-only catalog written before the summary existed groups the mentions instead.
        counts = "entity_counts" if self._has_summary() else f"({SUMMARY_QUERY_NAMED})"
        rows = self._conn.execute(
            "SELECT c.entity_id, c.type, COALESCE(e.name, (SELECT MAX(m.name) FROM mentions AS m"
            " WHERE m.entity_id = c.entity_id AND m.type = c.type)), c.mentions, c.records"
            f" FROM {counts} AS c LEFT JOIN entities AS e ON e.id = c.entity_id {where}"
            " ORDER BY c.mentions DESC, c.records DESC, c.entity_id LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [EntityCount(*row) for row in rows]

    def summary_differences(self) -> int:
        """How many (entity, type) rows of the summary disagree with the mentions (0: right).
        A full count of the mentions: for ``verify``, not for every open."""
        if not self._has_summary():
            return 0
        kept = "SELECT entity_id, type, mentions, records FROM entity_counts"
        one_way = f"SELECT COUNT(*) FROM ({SUMMARY_QUERY} EXCEPT {kept})"
        other_way = f"SELECT COUNT(*) FROM ({kept} EXCEPT {SUMMARY_QUERY})"
        return sum(self._conn.execute(query).fetchone()[0] for query in (one_way, other_way))

    def resolve_entity(self, name_or_id: str, type: str | None = None) -> list[str]:
        """Entity ids for a user's words: the id itself, or entities whose canonical name has
        the same match form (so أمريكا and امريكا, with or without diacritics, agree)."""
        type_clause, type_params = (" AND type = ?", [type]) if type else ("", [])
        found = [
            row[0]
            for row in self._conn.execute(
                f"SELECT id FROM entities WHERE id = ?{type_clause}", [name_or_id, *type_params]
            )
        ]
        norm = normalize(name_or_id)
        if norm:
            found += [
                row[0]
                for row in self._conn.execute(
                    f"SELECT id FROM entities WHERE norm = ?{type_clause} ORDER BY id",
                    [norm, *type_params],
                )
            ]
        return list(dict.fromkeys(found))

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
