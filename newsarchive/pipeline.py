"""One article through the stages: bytes → text → Article → Record → archive, index, catalog.

``build_record`` is the pure part (article in, record out, no I/O), so any program can call it;
``Ingester`` adds the archive: duplicate check, atomic write, catalog and index updates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .arabic.normalize import clean, normalize
from .catalog import Catalog
from .config import Config
from .entities.extract import EntityExtractor
from .extract import Article, ExtractError, extract
from .index import SearchIndex
from .record import Record, record_id, utc_now
from .sources.files import InputError, Source, SourceError, decode, expand, read_bytes
from .store import Archive, ArchiveError

INDEX_BATCH = 500  # records per index commit: commits are the slow part of indexing


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
    """Ingests inputs into one archive. Use as a context manager: the index is committed on exit."""

    def __init__(self, config: Config, extractor: EntityExtractor | None = None):
        self.config = config
        self.archive = Archive(config.archive)
        self.extractor = extractor or EntityExtractor.from_paths(
            config.gazetteers, use_default=config.default_gazetteer
        )
        self.furniture = config.furniture_patterns()
        self.catalog = open_catalog(self.archive)
        self.index = open_index(self.archive)
        self._pending: list[Record] = []

    def __enter__(self) -> Ingester:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.flush()
        self.catalog.close()

    def flush(self) -> None:
        if self._pending:
            self.index.add(self._pending)
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
        try:
            data = read_bytes(source, self.config.max_input_bytes, stdin)
            decoded = decode(data)
            article = extract(decoded.text, self.furniture, html=_html_hint(source.path))
            name = str(source.path.resolve()) if source.path else "-"
            record = build_record(article, name, self.extractor, encoding=decoded.encoding)
            return self.store(record, source.name)
        except (InputError, ExtractError, ArchiveError) as exc:
            return Outcome(source.name, "failed", error=str(exc))

    def store(self, record: Record, shown_as: str) -> Outcome:
        """Write a new record and register it; a known id is a duplicate and writes nothing."""
        if self.catalog.has(record.id):
            return Outcome(shown_as, "duplicate", record.id, title=record.title)
        self.archive.write(record)
        relpath = self.archive.relpath_for(record)
        self.catalog.add(record, relpath)
        self._pending.append(record)
        if len(self._pending) >= INDEX_BATCH:
            self.flush()
        return Outcome(shown_as, "stored", record.id, relpath, record.title, len(record.entities))


def _html_hint(path: Path | None) -> bool | None:
    """An .html file is HTML; anything else (.txt included: pages get saved as .txt) is sniffed."""
    if path is not None and path.suffix.lower() in {".html", ".htm", ".xhtml"}:
        return True
    return None


def open_catalog(archive: Archive) -> Catalog:
    """The catalog, rebuilt from the records first when it is missing (records are the truth)."""
    path = archive.root / "catalog.sqlite"
    missing = not path.exists()
    archive.root.mkdir(parents=True, exist_ok=True)
    catalog = Catalog(path)
    if missing and archive.records_dir.is_dir():
        catalog.rebuild((r, archive.relpath_for(r)) for r in archive.records())
    return catalog


def open_index(archive: Archive) -> SearchIndex:
    """The search index, rebuilt from the records first when it was missing or damaged."""
    index = SearchIndex(archive.root / "index")
    if index.needs_rebuild and archive.records_dir.is_dir():
        index.rebuild(archive.records())
    return index


def reindex(archive: Archive) -> int:
    """Rebuild the catalog and the search index from the record files; return the count."""
    catalog = Catalog(archive.root / "catalog.sqlite")
    try:
        catalog.rebuild((r, archive.relpath_for(r)) for r in archive.records())
    finally:
        catalog.close()
    return SearchIndex(archive.root / "index").rebuild(archive.records())
