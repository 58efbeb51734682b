"""One article through the stages: bytes → text → Article → Record → archive, index, catalog.

``build_record`` is the pure part (article in, record out, no I/O), so any program can call it;
``Ingester`` adds the archive: duplicate check, atomic write, catalog and index updates.

Crash and concurrency safety (see README, "Reliability"): for each record, under the archive
lock, the catalog journals the id, the file is written atomically, and the catalog registers
it; index adds are batched and the journal rows cleared after each index commit. A run that
dies leaves journal rows; the next run (``recover``) finishes their work before starting.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .arabic.normalize import clean, normalize
from .catalog import Catalog
from .config import Config
from .entities.extract import EntityExtractor
from .extract import Article, ExtractError, extract
from .index import SearchIndex, SearchIndexError
from .record import Record, record_id, utc_now
from .sources.files import InputError, Source, SourceError, decode, expand, read_bytes
from .store import Archive, ArchiveError

INDEX_BATCH = 500  # records per index commit: commits are the slow part of indexing
# Errors of the derived stores that mean "the archive cannot be written" (disk full,
# read-only, damaged database, another writer too long): a batch stops on them.
_STORE_ERRORS = (sqlite3.Error, SearchIndexError, ValueError, OSError)


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


_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTER = re.compile("[A-Za-z]")


def guess_language(text: str, declared: str | None = None) -> str:
    """'ar' when Arabic letters dominate; else the page's declared language, else 'und'."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
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
    title = " ".join(clean(article.title).split())
    text = clean(article.text)
    if not title or not text:
        raise ExtractError("no article text found")
    record = Record(
        id=record_id(" ".join(normalize(title).split()), " ".join(normalize(text).split())),
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
        self._pending: list[Record] = []
        with self.archive.lock(), _archive_errors("cannot open the archive"):
            self.catalog = open_catalog(self.archive)
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
        with _archive_errors(
            "cannot update the search index (the records are stored; the next run repairs it)"
        ):
            self.index.add(self._pending)
            self.catalog.journal_clear(r.id for r in self._pending)
        self._pending = []

    def ingest_paths(
        self, paths: Iterable[str], pattern: str | None = None, stdin: BinaryIO | None = None
    ) -> Iterator[Outcome]:
        for item in expand(list(paths), pattern or self.config.input_glob):
            if isinstance(item, SourceError):
                yield Outcome(item.name, "failed", error=item.reason)
            else:
                yield self.ingest_source(item, stdin)

    def ingest_source(self, source: Source, stdin: BinaryIO | None = None) -> Outcome:
        """One input through the stages. Input problems become a failed outcome; archive
        problems (:class:`ArchiveError`) propagate: the next input would fail the same way."""
        try:
            data = read_bytes(source, self.config.max_input_bytes, stdin)
            decoded = decode(data)
            article = extract(decoded.text, self.furniture, html=_html_hint(source.path))
            name = _source_name(source.path)
            record = build_record(article, name, self.extractor, encoding=decoded.encoding)
        except (InputError, ExtractError) as exc:
            return Outcome(source.name, "failed", error=str(exc))
        except RecursionError:  # a pathological input no stage was written for
            return Outcome(source.name, "failed", error="input nested too deeply to read")
        except OSError as exc:  # e.g. the file vanished between listing and resolving
            return Outcome(source.name, "failed", error=(exc.strerror or str(exc)).lower())
        return self.store(record, source.name)

    def store(self, record: Record, shown_as: str) -> Outcome:
        """Write a new record and register it; a known id is a duplicate and writes nothing.

        The lock covers decide-and-write only, so concurrent runs interleave record by record.
        """
        relpath = self.archive.relpath_for(record)
        with self.archive.lock():
            with _archive_errors("cannot read the catalog"):
                if self.catalog.has(record.id):
                    return Outcome(shown_as, "duplicate", record.id, title=record.title)
                self.catalog.journal_add(record.id, relpath)
            self.archive.write(record)
            with _archive_errors("cannot update the catalog"):
                self.catalog.add(record, relpath)
        self._pending.append(record)
        if len(self._pending) >= INDEX_BATCH:
            self.flush()
        return Outcome(shown_as, "stored", record.id, relpath, record.title, len(record.entities))


@contextlib.contextmanager
def _archive_errors(what: str) -> Iterator[None]:
    """Turn a derived store's error (SQLite, tantivy, OS) into a one-line ArchiveError."""
    try:
        yield
    except ArchiveError:
        raise
    except _STORE_ERRORS as exc:
        raise ArchiveError(f"{what}: {_short(exc)}") from exc


def _short(exc: BaseException) -> str:
    """One short line: tantivy nests Rust debug output, whose OS message is what matters."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    os_message = re.search(r'message: "([^"]+)"', text)
    return os_message.group(1).lower() if os_message else text[:200]


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


def _source_name(path: Path | None) -> str:
    """The absolute path as valid Unicode: undecodable bytes in a file name (\\xff) must
    not make the record unwritable as UTF-8 JSON."""
    if path is None:
        return "-"
    return os.fsencode(path.resolve()).decode("utf-8", "backslashreplace")


def _html_hint(path: Path | None) -> bool | None:
    """An .html file is HTML; anything else (.txt included: pages get saved as .txt) is sniffed."""
    if path is not None and path.suffix.lower() in {".html", ".htm", ".xhtml"}:
        return True
    return None


def open_catalog(archive: Archive) -> Catalog:
    """The catalog, rebuilt from the records first when it is missing (records are the truth)."""
    path = archive.root / "catalog.sqlite"
    missing = not path.exists()
    with _archive_errors("cannot open the catalog"):
        archive.root.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(path)
        if missing and archive.records_dir.is_dir():
            catalog.rebuild((r, archive.relpath_for(r)) for r in archive.records())
    return catalog


def open_index(archive: Archive) -> SearchIndex:
    """The search index, rebuilt from the records first when it was missing or damaged."""
    with _archive_errors("cannot open the search index"):
        index = SearchIndex(archive.root / "index")
        if index.needs_rebuild and archive.records_dir.is_dir():
            index.rebuild(archive.records())
    return index


def reindex(archive: Archive) -> int:
    """Rebuild the catalog and the search index from the record files; return the count.

    Holds the archive lock throughout, so no run adds records halfway through the rebuild.
    """
    with archive.lock(), _archive_errors("cannot rebuild the catalog and index"):
        catalog = Catalog(archive.root / "catalog.sqlite")
        try:
            with catalog.rebuilding() as put:  # one read of the records feeds both

                def records() -> Iterator[Record]:
                    for record in archive.records():
                        put(record, archive.relpath_for(record))
                        yield record

                count = SearchIndex(archive.root / "index").rebuild(records())
            catalog.journal_clear(record_id for record_id, _ in catalog.journal())
        finally:
            catalog.close()
    return count
