"""Find the entities of an article: gazetteer, then title rule, then partial mentions.

``EntityExtractor.from_paths(...)`` compiles a gazetteer once; ``extract(fields)`` runs over the
article's stored fields in order (title before text, so a full name in the title makes later
partial mentions in the text resolvable) and returns Mentions whose ``start:end`` slice the
stored field exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..arabic.normalize import MatchText, match_form
from ..record import Mention
from . import gazetteer as gazetteer_files
from .gazetteer import Entry, Gazetteer
from .matcher import NameTable, Span, Token, tokenize
from .rules import TitleRule, partial_names


@dataclass
class _Field:
    name: str
    stored: str
    match: MatchText
    tokens: list[Token]
    taken: set[int]


@dataclass(frozen=True)
class _Found:
    """An entity as met in one article: its id, type and canonical name."""

    id: str
    type: str
    name: str


class EntityExtractor:
    def __init__(self, gazetteer: Gazetteer, title_rule: TitleRule | None = None):
        self.entries: dict[str, Entry] = gazetteer.entries
        self.names = NameTable(
            (name, entry.id) for entry in gazetteer.entries.values() for name in entry.all_names()
        )
        self.title_rule = title_rule or TitleRule()

    @classmethod
    def from_paths(cls, paths: Sequence[str | Path], use_default: bool = True) -> EntityExtractor:
        files = [*(gazetteer_files.default_paths() if use_default else []), *paths]
        return cls(gazetteer_files.load(files))

    def extract(self, fields: Sequence[tuple[str, str]]) -> list[Mention]:
        """Mentions in ``fields`` ((name, stored text) pairs, in reading order)."""
        prepared = []
        for name, stored in fields:
            match = match_form(stored)
            prepared.append(_Field(name, stored, match, tokenize(match.text), set()))

        mentions: list[tuple[int, Span, _Found, str]] = []  # (field index, span, entity, rule)
        for index, field in enumerate(prepared):
            for span in self.names.find(field.match.text, field.tokens):
                entry = self.entries[span.key]
                found = _Found(entry.id, entry.type, entry.name)
                mentions.append((index, span, found, "gazetteer"))
                field.taken.update(range(span.first, span.last + 1))
            for person in self.title_rule.find(field.match.text, field.tokens, field.taken):
                words = tuple(t.text for t in field.tokens[person.first : person.last + 1])
                first, last = field.tokens[person.first], field.tokens[person.last]
                start, end = field.match.span_in_source(first.start, last.end)
                found = _Found("per:x:" + "-".join(words), "PER", field.stored[start:end])
                span = Span(person.first, person.last, first.start, last.end, found.id, words)
                mentions.append((index, span, found, "title"))
                field.taken.update(range(person.first, person.last + 1))

        mentions += self._partial_mentions(prepared, mentions)
        mentions.sort(key=lambda m: (m[0], m[1].start))
        return [self._mention(prepared[i], span, found, rule) for i, span, found, rule in mentions]

    def _partial_mentions(self, fields: list[_Field], full: list) -> list:
        """Later mentions by surname or head noun of an entity named in full before."""
        partials = NameTable()
        first_seen: dict[str, tuple[int, int]] = {}
        entities: dict[str, _Found] = {}
        for index, span, found, _rule in sorted(full, key=lambda m: (m[0], m[1].start)):
            first_seen.setdefault(found.id, (index, span.start))
            entities[found.id] = found
            for short in partial_names(span.words, found.type):
                if short not in self.names:  # a name in the gazetteer is its own entity
                    partials.add(short, found.id)
        out = []
        for index, field in enumerate(fields):
            for span in partials.find(field.match.text, field.tokens, field.taken):
                if (index, span.start) > first_seen[span.key]:
                    out.append((index, span, entities[span.key], "partial"))
                    field.taken.update(range(span.first, span.last + 1))
        return out

    @staticmethod
    def _mention(field: _Field, span: Span, found: _Found, rule: str) -> Mention:
        start, end = field.match.span_in_source(span.start, span.end)
        return Mention(
            id=found.id,
            type=found.type,
            name=found.name,
            surface=field.stored[start:end],
            field=field.name,
            start=start,
            end=end,
            rule=rule,
        )
