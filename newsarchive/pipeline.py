"""One article through the stages: bytes → text → Article → Record → archive, index, catalog.

``build_record`` is the pure part (article in, record out, no I/O), so any program can call it;
``Ingester`` adds the archive: duplicate check, atomic write, catalog and index updates.

Crash and concurrency safety (see README, "Reliability"): for each group of records, under the
archive lock, the catalog journals their ids, the files are written atomically with one
durability flush, and the catalog registers them; only then are they reported stored. Index
adds are batched and the journal rows cleared after each index commit. A run that dies leaves
journal rows; the next run (``recover``) finishes their work before starting.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import multiprocessing
import os
import queue
import re
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .arabic.normalize import clean, fold, is_clean
from .catalog import Catalog, Entry, record_entry
from .config import Config
from .entities.extract import EntityExtractor
from .extract import Article, ExtractError, extract
from .index import SearchIndex, record_fields
from .rebuild import archive_errors, open_catalog, open_index, reindex
from .record import Record, record_id, utc_now
from .sources.files import InputError, Source, SourceError, decode, expand, read_bytes
from .store import (
    Archive,
    ArchiveError,
    close_inherited_locks,
    release_free_memory,
    relpath_of,
)

INDEX_BATCH = 500  # records per index commit: commits are the slow part of indexing
# Records written together with one durability flush. Bounded in count and in time, so the
# output still streams and a kill loses at most one unreported group of work.
GROUP_SIZE = 64
GROUP_SECONDS = 0.5
CHUNK_SIZE = 8  # inputs per task sent to a worker process (ingest --jobs)
# ingest --jobs: more, so the workers keep extracting while the parent waits on a group's
# flush or an index commit (a window of ~2 groups; ~40 KB a prepared record, ~5 MB in all).
INGEST_CHUNKS_PER_JOB = 8
# Inputs prepared ahead by the preparing thread of a one-process ingest: enough to keep it
# busy through an index commit (the writer waits ~0.3-0.8 s on it every INDEX_BATCH records;
# with 64 the thread sat blocked on a full queue for a tenth of a 2,000-file ingest).
# ~25 KB a prepared record: ~6 MB.
PREFETCH = 4 * GROUP_SIZE
STOP_WAIT = 2.0  # seconds a stopped ingest waits for that thread to finish its input


@dataclass(frozen=True)
class Outcome:
    """What happened to one input."""

    source: str
    status: str  # "stored", "duplicate" or "failed"
    record_id: str | None = None
    path: str | None = None
    title: str | None = None
    entities: int = 0
    error: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Prepared:
    """A record made ready to store, computed where it was built (an ingest worker): its
    file's bytes, its index document and its catalog entry, so the one process that writes
    (the archive lock holder) only writes. Plain data: cheap to send between processes."""

    id: str
    title: str
    relpath: str
    data: bytes  # the record file (Record.to_json)
    fields: dict  # the index document (index.document_fields)
    entry: Entry  # the catalog entry (catalog.entry)
    entities: int  # mentions found

    @classmethod
    def of(cls, record: Record) -> Prepared:
        relpath = relpath_of(record.id, record.date)
        return cls(record.id, record.title, relpath, record.to_json(), record_fields(record),
                   record_entry(record, relpath), len(record.entities))


# What storing takes per input: a record (or one prepared) and how to show it, or an outcome.
Item = Outcome | tuple[Record | Prepared, str]


@dataclass
class Summary:
    counts: dict[str, int] = field(
        default_factory=lambda: {"stored": 0, "duplicate": 0, "failed": 0}
    )

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1

    @property
    def failed(self) -> int:
        return self.counts["failed"]


_ARABIC_LETTERS = re.compile("[\u0621-\u064a\u0671-\u06d3]+")
# Every byte but A-Z and a-z: deleting them from the UTF-8 bytes leaves the Latin letters
# (multi-byte characters are all bytes >= 0x80), 50x faster than a regex over the str.
_NOT_LATIN = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalpha())


def guess_language(text: str, declared: str | None = None) -> str:
    """'ar' when Arabic letters dominate; else the page's declared language, else 'und'."""
    latin = len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_LATIN))
    arabic = 0
    for run in _ARABIC_LETTERS.finditer(text):  # counted only as far as the answer needs
        arabic += run.end() - run.start()
        if arabic >= latin:
            break
    if arabic and arabic >= latin:
        return "ar"
    if declared:
        return declared.split("-")[0].lower()
    return "en" if latin else "und"


def build_record(
    article: Article,
    source: str,
    extractor: EntityExtractor,
    *,
    encoding: str | None = None,
    ingested_at: str | None = None,
) -> Record:
    """Turn an extracted article into a record: clean, identify, find entities. No I/O."""
    # The title is usually clean too, and checking is cheaper than cleaning it.
    title = article.title if is_clean(article.title) else clean(article.title)
    title = " ".join(title.split())
    # Extracted text is usually clean already: checking is ~10x cheaper than cleaning again.
    text = article.text if is_clean(article.text) else clean(article.text)
    if not title or not text:
        raise ExtractError("no article text found")
    record = Record(
        # fold, not normalize: title and text are clean already (clean is idempotent), and
        # normalize would clean them again. verify.content_id computes the same id.
        id=record_id(_words(fold(title)), _words(fold(text))),
        title=title,
        text=text,
        source=source,
        ingested_at=ingested_at or utc_now(),
        encoding=encoding,
        language=guess_language(text, article.metadata.get("lang")),
        published=article.published,
    )
    record.entities = extractor.extract([("title", title), ("text", text)])
    return record


def _words(folded: str) -> str:
    """``" ".join(folded.split())`` for the fold of a clean text, whose only whitespace is
    single spaces and newlines (``clean``; folding never makes whitespace): the newlines become
    spaces, and only where folding dropped a whole word (diacritics alone) is it split again."""
    joined = folded.replace("\n\n", " ").replace("\n", " ")
    if "  " in joined or joined[:1] == " " or joined[-1:] == " ":
        return " ".join(joined.split())
    return joined


def file_record(
    data: bytes,
    name: str,
    furniture: list[re.Pattern[str]],
    extractor: EntityExtractor,
    *,
    html: bool | None = None,
    ingested_at: str | None = None,
) -> Record:
    """An input's bytes to its record: decode → extract → ``build_record``. No I/O.

    What ``ingest`` does with each file it has read, and what the Spark job
    (``newsarchive.spark``) does with each file, so both make the same records.
    Raises InputError or ExtractError for input that is not an article.
    """
    decoded = decode(data)
    article = extract(decoded.text, furniture, html=html)
    return build_record(
        article, name, extractor, encoding=decoded.encoding, ingested_at=ingested_at
    )


class Ingester:
    """Ingests inputs into one archive. Use as a context manager: the index is committed on exit.

    Input problems fail that input only; an archive that cannot be written (disk full,
    read-only, busy too long) raises :class:`ArchiveError` and stops the batch.
    """

    def __init__(self, config: Config, extractor: EntityExtractor | None = None):
        self.config = config
        self.archive = Archive(config.archive)
        self.extractor = extractor or EntityExtractor.from_paths(
            config.gazetteers, use_default=config.default_gazetteer
        )
        self.furniture = config.furniture_patterns()
        self._pending: list[dict] = []  # index documents of records stored, not yet indexed
        with self.archive.lock(), archive_errors("cannot open the archive"):
            self.catalog = open_catalog(self.archive)
            self.catalog.write_in_bulk()
            try:
                self.index = open_index(self.archive)
                self.recovery = recover(self.archive, self.catalog, self.index)
            except BaseException:
                self.catalog.close()
                raise

    def __enter__(self) -> Ingester:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        if exc_type is None:
            self.close()
            return
        # Already failing: still try to index what was stored, but let the first error be the
        # one reported (the journal keeps whatever this flush cannot do for the next run).
        with contextlib.suppress(ArchiveError):
            self.flush()
        self.catalog.close()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.catalog.close()

    def flush(self) -> None:
        """Commit the pending records to the index, then drop their journal rows."""
        if not self._pending:
            return
        with archive_errors(
            "cannot update the search index (the records are stored; the next run repairs it)"
        ):
            self.index.add_fields(self._pending)
            self.catalog.journal_clear(fields["id"] for fields in self._pending)
        self._pending = []
        release_free_memory()  # what the index's threads freed: keeps a long ingest flat

    def ingest_paths(
        self,
        paths: Iterable[str],
        pattern: str | None = None,
        stdin: BinaryIO | None = None,
        jobs: int = 1,
    ) -> Iterator[Outcome]:
        """Ingest every input, yielding outcomes in input order.

        Records are stored in groups (:data:`GROUP_SIZE` records or :data:`GROUP_SECONDS`),
        each made durable with one flush; a group's outcomes are yielded once it is stored.
        With ``jobs`` > 1 the reading and extraction run in that many worker processes and
        the parent only writes; with one, they run in a thread ahead of the writing, so the
        waits of storing (a group's durability flush, the index commit) overlap the next
        inputs' extraction instead of adding to it.
        """
        items = expand(list(paths), pattern or self.config.input_glob)
        prepared = (
            self._prepare_parallel(items, stdin, jobs)
            if jobs > 1
            else prefetched((_prepared(self.prepare(item, stdin)) for item in items), PREFETCH)
        )
        yield from self.store_all(prepared)

    def store_all(self, prepared: Iterable[Item]) -> Iterator[Outcome]:
        """Store built records — (record or :class:`Prepared`, shown as) — in groups, as
        ``ingest_paths`` does; outcomes pass through. Also what ``newsarchive import`` stores
        with."""
        group: list[Item] = []
        started = 0.0
        size = 1  # groups grow 1, 2, 4 … GROUP_SIZE: the first outcome shows at once
        for result in prepared:
            if not group:
                started = time.monotonic()
            group.append(result)
            if len(group) >= size or time.monotonic() - started >= GROUP_SECONDS:
                yield from self._store_group(group)
                group = []
                size = min(size * 2, GROUP_SIZE)
        yield from self._store_group(group)

    def prepare(self, item: Source | SourceError, stdin: BinaryIO | None = None) -> Item:
        """The CPU part of one input: its record and how to show it, or its failed outcome."""
        if isinstance(item, SourceError):
            return Outcome(item.name, "failed", error=item.reason)
        return prepare_source(item, self.config, self.furniture, self.extractor, stdin)

    def _prepare_parallel(
        self, items: Iterable[Source | SourceError], stdin: BinaryIO | None, jobs: int
    ) -> Iterator[Item]:
        """``prepare`` over worker processes, in input order, with a bounded window of chunks
        in flight (so memory stays flat however many inputs there are)."""
        window: collections.deque = collections.deque()
        with _worker_pool(jobs, self.config, self.extractor) as pool:
            for chunk in _chunks(items, CHUNK_SIZE):
                window.append((chunk, pool.submit(_prepare_chunk, chunk)))
                if len(window) >= jobs * INGEST_CHUNKS_PER_JOB:
                    yield from self._chunk_results(*window.popleft(), stdin)
            while window:
                yield from self._chunk_results(*window.popleft(), stdin)

    def _chunk_results(
        self, chunk: list, future: concurrent.futures.Future, stdin: BinaryIO | None
    ) -> Iterator[Item]:
        for item, result in zip(chunk, future.result(), strict=True):
            # stdin belongs to this process: a worker leaves that input to the parent.
            yield self.prepare(item, stdin) if result is None else result

    def ingest_source(self, source: Source, stdin: BinaryIO | None = None) -> Outcome:
        """One input through the stages. Input problems become a failed outcome; archive
        problems (:class:`ArchiveError`) propagate: the next input would fail the same way."""
        return self._store_group([self.prepare(source, stdin)])[0]

    def store(self, record: Record, shown_as: str) -> Outcome:
        """Write a new record and register it; a known id is a duplicate and writes nothing."""
        return self._store_group([(record, shown_as)])[0]

    def _store_group(self, group: list[Item]) -> list[Outcome]:
        """Store the records of ``group`` together; its outcomes, in order.

        Under the archive lock: which ids are new (one query), journal them (one transaction),
        write their files (one durability flush), register them (one transaction). Only then
        are they reported stored, so every record reported is durable. The lock is held per
        group (milliseconds), so concurrent runs interleave group by group.
        """
        group = [_prepared(item) for item in group]
        new: dict[str, Prepared] = {}
        records = [item[0] for item in group if not isinstance(item, Outcome)]
        if records:
            with self.archive.lock():
                with archive_errors("cannot read the catalog"):
                    known = self.catalog.known(r.id for r in records)
                for record in records:
                    if record.id not in known and record.id not in new:
                        new[record.id] = record
                if new:
                    with archive_errors("cannot update the catalog"):
                        self.catalog.journal_add_many((i, r.relpath) for i, r in new.items())
                    self.archive.write_files([(r.relpath, r.data) for r in new.values()])
                    with archive_errors("cannot update the catalog"):
                        self.catalog.add_entries(r.entry for r in new.values())
        outcomes = []
        for item in group:
            if isinstance(item, Outcome):
                outcomes.append(item)
                continue
            record, shown_as = item
            if new.get(record.id) is record:
                outcomes.append(Outcome(shown_as, "stored", record.id, record.relpath,
                                        record.title, record.entities))
                self._pending.append(record.fields)
            else:
                outcomes.append(Outcome(shown_as, "duplicate", record.id, title=record.title))
        if len(self._pending) >= INDEX_BATCH:
            self.flush()
        return outcomes


def prepare_source(
    source: Source,
    config: Config,
    furniture: list[re.Pattern[str]],
    extractor: EntityExtractor,
    stdin: BinaryIO | None = None,
) -> Outcome | tuple[Record, str]:
    """Read, decode, extract and build one input's record (no archive): the part that runs in
    worker processes. Input problems become a failed outcome."""
    try:
        data = read_bytes(source, config.max_input_bytes, stdin)
        html = _html_hint(source.path)
        record = file_record(data, _source_name(source), furniture, extractor, html=html)
    except (InputError, ExtractError) as exc:
        return Outcome(source.name, "failed", error=str(exc))
    except RecursionError:  # a pathological input no stage was written for
        return Outcome(source.name, "failed", error="input nested too deeply to read")
    except OSError as exc:  # e.g. the file vanished between listing and resolving
        return Outcome(source.name, "failed", error=(exc.strerror or str(exc)).lower())
    return record, source.name


# -- worker processes (ingest --jobs) -----------------------------------------------------------
# A worker's state: set once by the pool's initializer, read by every task it runs. Module
# state is how a process pool hands per-worker objects to its tasks; it lives in workers only.
_worker: dict = {}


def _init_worker(config: Config, extractor: EntityExtractor) -> None:
    close_inherited_locks(config.archive)  # or the parent's released locks stay held
    _worker.update(config=config, furniture=config.furniture_patterns(), extractor=extractor)


def _prepare_chunk(chunk: list[Source | SourceError]) -> list[Item | None]:
    """``prepare`` in a worker, up to the finished file bytes, index document and catalog
    entry (:class:`Prepared`): the parent only writes, so it does not cap the workers. None
    for what only the parent can do (stdin, listing errors)."""
    return [
        _prepared(prepare_source(item, _worker["config"], _worker["furniture"],
                                 _worker["extractor"]))
        if isinstance(item, Source) and item.path is not None
        else None
        for item in chunk
    ]


class _Raised:
    """An exception raised in :func:`prefetched`'s thread, carried to the consumer."""

    def __init__(self, exc: BaseException):
        self.exc = exc


_DONE = object()


def prefetched(items: Iterator, depth: int) -> Iterator:
    """``items`` in order, computed by a thread up to ``depth`` items ahead of the consumer.

    The consumer's waits that release the GIL (file-system flushes, SQLite steps, the index
    commit) then overlap the producing. An exception of the producer is raised in the
    consumer at that point of the sequence. Closing the iterator early stops the thread
    after the item it is computing.
    """
    ahead: queue.Queue = queue.Queue(depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                ahead.put(item)
                if stop.is_set():
                    return
        except BaseException as exc:  # noqa: BLE001 - carried to the consumer, raised there
            ahead.put(_Raised(exc))
            return
        ahead.put(_DONE)

    thread = threading.Thread(target=produce, name="newsarchive-prepare", daemon=True)
    thread.start()
    try:
        while (item := ahead.get()) is not _DONE:
            if isinstance(item, _Raised):
                raise item.exc
            yield item
    finally:
        stop.set()
        # Unblock a put on a full queue and let the thread end after its current item; not
        # for ever: it may be blocked reading stdin (it only reads and computes, and is a
        # daemon thread, so leaving it does no harm).
        deadline = time.monotonic() + STOP_WAIT
        while thread.is_alive() and time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                ahead.get_nowait()
            thread.join(0.01)


def _prepared(item: Item) -> Outcome | tuple[Prepared, str]:
    if isinstance(item, Outcome) or isinstance(item[0], Prepared):
        return item  # type: ignore[return-value]
    return Prepared.of(item[0]), item[1]


@contextlib.contextmanager
def _worker_pool(
    jobs: int, config: Config, extractor: EntityExtractor
) -> Iterator[concurrent.futures.ProcessPoolExecutor]:
    """Worker processes forked with the parent's compiled extractor (no pickling, no second
    gazetteer build); "fork" also avoids re-running ``python -m newsarchive`` in each child."""
    context = multiprocessing.get_context("fork")
    pool = concurrent.futures.ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(config, extractor)
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class Recovery:
    """What ``recover`` found and fixed after an interrupted run."""

    records: int = 0  # journaled records found written, re-registered and indexed
    abandoned: int = 0  # journaled records never written (the run died first)
    temp_files: int = 0  # leftover temp files removed
    reindexed: bool = False  # the index disagreed with the catalog and was rebuilt


def recover(archive: Archive, catalog: Catalog, index: SearchIndex) -> Recovery:
    """Finish what interrupted runs left undone. Call under the archive lock.

    Cheap when nothing went wrong: one read of the (empty) journal and two counts.
    Idempotent, so it is harmless when the journal rows belong to a run still going.
    """
    if not archive.locked:
        raise RuntimeError("recover needs the archive lock")
    journal = catalog.journal()
    removed = archive.remove_temp_files({(archive.root / path).parent for _, path in journal})
    found: list[Record] = []
    for journaled_id, path in journal:
        if (archive.root / path).exists():
            try:
                record = archive.read_path(path)
            except ArchiveError:
                continue  # damaged on disk: `verify --repair` quarantines it
            if record.id == journaled_id:
                catalog.add(record, path)
                found.append(record)
    if found:
        index.add(found)
    catalog.journal_clear(journaled_id for journaled_id, _ in journal)
    reindexed = False
    if index.doc_count() != catalog.count():
        reindex(archive)
        index.reload()
        reindexed = True
    return Recovery(len(found), len(journal) - len(found), len(removed), reindexed)


def _source_name(source: Source) -> str:
    """The absolute path as valid Unicode: undecodable bytes in a file name (\\xff) must
    not make the record unwritable as UTF-8 JSON."""
    if source.path is None:
        return "-"
    resolved = source.resolved or source.path.resolve()
    return os.fsencode(resolved).decode("utf-8", "backslashreplace")


def _html_hint(path: Path | None) -> bool | None:
    """An .html file is HTML; anything else (.txt included: pages get saved as .txt) is sniffed."""
    if path is not None and path.suffix.lower() in {".html", ".htm", ".xhtml"}:
        return True
    return None
