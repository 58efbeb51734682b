"""The archive's unit: one Record per article, with its entity Mentions.

A record is plain data. ``to_dict``/``from_dict`` are the only way it becomes JSON and back,
so the on-disk format (``data/record.schema.json``) has one definition in code; ``to_json`` is
the bytes the archive writes.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import repeat

import orjson

SCHEMA_VERSION = "newsarchive/record/1"
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")


@dataclass(frozen=True)
class Mention:
    """One mention of an entity: ``record[field][start:end] == surface``."""

    id: str  # canonical entity id, shared by all aliases ("loc:iq")
    type: str  # PER, ORG, LOC or MISC
    name: str  # canonical name
    surface: str  # the text as written in the article
    field: str  # "title" or "text"
    start: int
    end: int
    rule: str = "gazetteer"  # what found it: gazetteer, title, partial, ...


def make_mentions(values: list[dict]) -> list[Mention]:
    """``[Mention(**v) for v in values]`` for dicts holding every field in the class's order,
    each made with its instance dict set at once, by ``map`` in C: the frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__``, eight calls a mention, and the
    extractor makes ~50 an article. The objects are the same (fields, their order in
    ``vars``, equality, JSON)."""
    mentions = list(map(object.__new__, repeat(Mention, len(values))))
    # object.__setattr__ returns None: any() runs the map to its end.
    any(map(object.__setattr__, mentions, repeat("__dict__"), values))
    return mentions


@dataclass
class Record:
    id: str
    title: str
    text: str
    source: str
    ingested_at: str
    encoding: str | None = None
    language: str = "ar"
    published: str | None = None
    entities: list[Mention] = field(default_factory=list)
    schema: str = SCHEMA_VERSION
    # Web pages (issue 3): written to JSON only when set, so file records are unchanged.
    url: str | None = None  # the URL fetched (after redirects)
    canonical_url: str | None = None
    author: str | None = None
    site_name: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def entity_counts(self) -> dict[str, int]:
        """Canonical entity id → number of mentions, most mentioned first."""
        return dict(Counter([m.id for m in self.entities]).most_common())

    @property
    def date(self) -> str:
        """The day the record is filed under: publication day if known, else ingestion day."""
        return (self.published or self.ingested_at)[:10]

    def to_dict(self) -> dict:
        # A copy of each mention's fields: ``asdict`` deep-copies recursively, 10x slower.
        return self._fields([dict(vars(m)) for m in self.entities])

    def _fields(self, entities: list) -> dict:
        return {
            "schema": self.schema,
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "source": self.source,
            "published": self.published,
            "ingested_at": self.ingested_at,
            "encoding": self.encoding,
            "language": self.language,
            "entities": entities,
            "entity_counts": self.entity_counts,
            **{k: v for k, v in self._web_fields().items() if v},
        }

    def to_json(self) -> bytes:
        """The record file's bytes: compact UTF-8 JSON and a final newline.

        orjson, ~20x faster than ``json.dumps`` with an indent (serialization was a tenth of
        ingest time); it writes the mention dataclasses itself, field by field, as ``to_dict``
        does. It refuses what JSON cannot hold (lone surrogates, which extraction already
        replaces); the standard encoder then gives its usual error.
        """
        try:
            return orjson.dumps(self._fields(self.entities), option=orjson.OPT_APPEND_NEWLINE)
        except orjson.JSONEncodeError:
            return (json.dumps(self.to_dict(), ensure_ascii=False) + "\n").encode("utf-8")

    def _web_fields(self) -> dict:
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "author": self.author,
            "site_name": self.site_name,
            "section": self.section,
            "tags": list(self.tags),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Record:
        return cls(
            id=data["id"],
            title=data["title"],
            text=data["text"],
            source=data["source"],
            ingested_at=data["ingested_at"],
            encoding=data.get("encoding"),
            language=data.get("language", "ar"),
            published=data.get("published"),
            entities=[Mention(**m) for m in data.get("entities", [])],
            schema=data.get("schema", SCHEMA_VERSION),
            url=data.get("url"),
            canonical_url=data.get("canonical_url"),
            author=data.get("author"),
            site_name=data.get("site_name"),
            section=data.get("section"),
            tags=list(data.get("tags", [])),
        )


def record_id(normalized_title: str, normalized_text: str) -> str:
    """A stable id from the article's normalized content: the same article, the same id.

    Normalizing first means a re-encoded or re-diacritized copy is still a duplicate.
    """
    digest = hashlib.sha256(f"{normalized_title}\n\n{normalized_text}".encode()).hexdigest()
    return digest[:16]


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_utc(value: str | None) -> datetime | None:
    """An ISO 8601 / W3C time (a sitemap date, a WARC-Date, a crawler's fetched_at) as an
    aware UTC datetime, a time without zone read as UTC; None when absent or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
