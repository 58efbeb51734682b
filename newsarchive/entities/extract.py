"""Find the entities of an article: gazetteer, then title rule, then partial mentions.

``EntityExtractor.from_paths(...)`` compiles a gazetteer once; ``extract(fields)`` runs over the
article's stored fields in order (title before text, so a full name in the title makes later
partial mentions in the text resolvable) and returns Mentions whose ``start:end`` slice the
stored field exactly.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..arabic.clitics import stems
from ..arabic.normalize import MatchText, match_form, normalize
from ..record import Mention
from . import gazetteer as gazetteer_files
from .gazetteer import Entry, Gazetteer
from .matcher import NameTable, Span, Token, name_key, tokenize
from .rules import (
    HeadNounRule,
    PersonNameRule,
    TitleRule,
    UnseenNamesRule,
    _definite,
    leads_with_title,
    partial_names,
    shipped_words,
)
from .rules import (
    NameAfterTitle as _Rule,
)


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


def compile_names(gazetteer: Gazetteer, stoplist: set[tuple[str, ...]]) -> NameTable:
    """The matcher's table of every name and alias, minus the stoplist."""
    table = NameTable()
    for entry in gazetteer.entries.values():
        for name in entry.all_names():
            key = name_key(name)
            if key not in stoplist:
                table.add(key, entry.id)
    return table


# What found a mention (a record's ``rule`` field); record.schema.json lists the same names.
RULE_NAMES = ("gazetteer", "title", "partial", "org-head", "first-name", "loc-head", "unseen")

_CACHE_VERSION = 2  # bump when NameTable or Gazetteer change shape


def _cache_path(files: Sequence[Path]) -> Path | None:
    try:
        stats = [(str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    except OSError:
        return None  # the loader reports the unreadable file
    key = hashlib.sha256(repr((_CACHE_VERSION, stats)).encode()).hexdigest()[:24]
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "newsarchive" / "gazetteer" / f"{key}.pickle"


def _read_cache(files: Sequence[Path]) -> tuple[Gazetteer, NameTable] | None:
    path = _cache_path(files)
    try:
        with open(path, "rb") as handle:  # type: ignore[arg-type]
            return pickle.load(handle)
    except (OSError, TypeError, pickle.UnpicklingError, EOFError, AttributeError):
        return None


def _write_cache(files: Sequence[Path], gazetteer: Gazetteer, names: NameTable) -> None:
    """Best effort: a read-only or full cache folder only costs the next load its speed."""
    path = _cache_path(files)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(temp, "wb") as handle:
            pickle.dump((gazetteer, names), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except OSError:
        pass


def _bare(words: tuple[str, ...]) -> tuple[str, ...]:
    """A span's words with the proclitics of its first word left out, as a stoplist has them."""
    if not words:
        return words
    return (next(reversed([*stems(words[0])])).text, *words[1:])


class EntityExtractor:
    """Gazetteer + rules. ``stoplist``: names (match-form word tuples, or strings) that are
    never a mention, however a list or rule finds them ("بلاد", a learnt list's false friends).
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        title_rule: TitleRule | None = None,
        stoplist: Iterable[str | tuple[str, ...]] = (),
        first_names: Iterable[str] = (),
        name_words: Iterable[str] = (),
        names: NameTable | None = None,
        common_words: Iterable[str] = (),
        weak_first_names: Iterable[str] = (),
        vocabulary: Iterable[str] = (),
    ):
        self.entries: dict[str, Entry] = gazetteer.entries
        self.stoplist = {w if isinstance(w, tuple) else name_key(w) for w in stoplist}
        self.names = names if names is not None else compile_names(gazetteer, self.stoplist)
        # Words seldom in a name (learnt from annotated text) end a name a rule is reading.
        common = frozenset(normalize(w) for w in common_words)
        self.common = common
        self.title_rule = title_rule or TitleRule(common=common)
        # Shipped word lists plus the caller's (e.g. first names learnt from annotated text).
        self.person_rule = PersonNameRule(
            shipped_words("first_names") | {normalize(w) for w in first_names},
            frozenset(normalize(w) for w in name_words),
            common=common,
            weak_first=frozenset(normalize(w) for w in weak_first_names),
        )
        self.unseen_rule = UnseenNamesRule(frozenset(normalize(w) for w in vocabulary))
        self.org_rule = HeadNounRule(shipped_words("org_heads"), include_head=True)
        self.loc_rule = HeadNounRule(shipped_words("loc_heads"), include_head=False)

    @classmethod
    def from_paths(cls, paths: Sequence[str | Path], use_default: bool = True) -> EntityExtractor:
        """The extractor of these gazetteer files, compiled once and cached on disk.

        The compiled form lives in the user cache folder (``$XDG_CACHE_HOME/newsarchive``),
        keyed by the files' paths, sizes and modification times, so a changed file is
        recompiled and an unchanged one loads in a fraction of the time.
        """
        default = gazetteer_files.default_paths() if use_default else []
        files = [Path(p) for p in (*default, *paths)]
        cached = _read_cache(files)
        if cached is not None:
            return cls(cached[0], names=cached[1])
        gazetteer = gazetteer_files.load(files)
        names = compile_names(gazetteer, set())
        _write_cache(files, gazetteer, names)
        return cls(gazetteer, names=names)

    def extract(self, fields: Sequence[tuple[str, str]]) -> list[Mention]:
        """Mentions in ``fields`` ((name, stored text) pairs, in reading order)."""
        prepared = []
        for name, stored in fields:
            match = match_form(stored)
            prepared.append(_Field(name, stored, match, tokenize(match.text), set()))

        mentions: list[tuple[int, Span, _Found, str]] = []  # (field index, span, entity, rule)
        for index, field in enumerate(prepared):
            for span in self.names.find(field.match.text, field.tokens):
                if _bare(span.words) in self.stoplist:
                    continue  # a stopped name leaves its words to the rules ("أحمد توفيق")
                entry = self.entries[span.key]
                found = _Found(entry.id, entry.type, entry.name)
                field.taken.update(range(span.first, span.last + 1))
                if entry.type == "PER" and leads_with_title(span.words):
                    # A listed "الشيخ حمد بن خليفة آل ثاني": the person is named without it.
                    rule = _Rule(span.first + 1, span.last)
                    mentions.append(self._rule_found(field, index, rule, "PER", "gazetteer"))
                    continue
                mentions.append((index, span, found, "gazetteer"))
            mentions = self._extend_persons(field, index, mentions)
            mentions = self._extend_left(field, index, mentions)
            text, tokens = field.match.text, field.tokens
            for kind, rule_name, rule in (
                ("PER", "title", self.title_rule),
                ("ORG", "org-head", self.org_rule),
                ("PER", "first-name", self.person_rule),
                ("LOC", "loc-head", self.loc_rule),
                ("PER", "unseen", self.unseen_rule),
            ):
                for found in rule.find(text, tokens, field.taken):
                    mention = self._rule_found(field, index, found, kind, rule_name)
                    if _bare(mention[1].words) in self.stoplist:
                        continue
                    mentions.append(mention)
                    field.taken.update(range(found.first, found.last + 1))

        mentions = [m for m in mentions if _bare(m[1].words) not in self.stoplist]
        mentions += self._partial_mentions(prepared, mentions)
        mentions.sort(key=lambda m: (m[0], m[1].start))
        return [self._mention(prepared[i], span, found, rule) for i, span, found, rule in mentions]

    def _extend_persons(self, field: _Field, index: int, mentions: list) -> list:
        """A listed person followed by further name words is a longer name ("محمد" + "مرسي")."""
        out = []
        for m in mentions:
            i, span, found, _rule = m
            last = span.last
            if i == index and found.type == "PER" and not _definite(span.words[-1]):
                # One listed word may take an unlisted family name after it; a full name not.
                # Only a given name: a surname alone ("بوش خطابا") has its name complete.
                open_tail = span.first == span.last and self.person_rule.is_first(span.words[0])
                last = self.person_rule.extend(
                    field.match.text, field.tokens, span.last, field.taken, open_tail
                )
            if last == span.last:
                out.append(m)
                continue
            field.taken.update(range(span.last + 1, last + 1))
            skip = span.start - field.tokens[span.first].start
            rule = _Rule(span.first, last, skip)
            out.append(self._rule_found(field, index, rule, "PER", "first-name"))
        return out

    def _extend_left(self, field: _Field, index: int, mentions: list) -> list:
        """A person whose name begins with a given name no list or rule took ("أحمد" +
        the listed "توفيق") is named from that word on."""
        out = []
        for m in mentions:
            i, span, found, rule = m
            if i != index or found.type != "PER":
                out.append(m)
                continue
            first = self.person_rule.extend_left(field.match.text, field.tokens, span.first,
                                                 field.taken)
            if first == span.first:
                out.append(m)
                continue
            field.taken.update(range(first, span.first))
            skip = self.person_rule.skip(field.tokens[first].text)
            named = _Rule(first, span.last, skip)
            out.append(self._rule_found(field, index, named, "PER", "first-name"))
        return out

    @staticmethod
    def _rule_found(field: _Field, index: int, found, kind: str, rule: str) -> tuple:
        """A mention found by a rule: an entity of its own, id ``<type>:x:<words>``."""
        words = [t.text for t in field.tokens[found.first : found.last + 1]]
        words[0] = words[0][found.skip :]
        first, last = field.tokens[found.first], field.tokens[found.last]
        start, end = field.match.span_in_source(first.start + found.skip, last.end)
        entity = _Found(f"{kind.lower()}:x:" + "-".join(words), kind, field.stored[start:end])
        start = first.start + found.skip
        span = Span(found.first, found.last, start, last.end, entity.id, tuple(words))
        return (index, span, entity, rule)

    def _partial_mentions(self, fields: list[_Field], full: list) -> list:
        """Later mentions by surname or head noun of an entity named in full before."""
        partials = NameTable()
        first_seen: dict[str, tuple[int, int]] = {}
        entities: dict[str, _Found] = {}
        for index, span, found, _rule in sorted(full, key=lambda m: (m[0], m[1].start)):
            first_seen.setdefault(found.id, (index, span.start))
            entities[found.id] = found
            for short in partial_names(span.words, found.type):
                # A name in the gazetteer is its own entity; a word mostly seen outside names
                # ("المجمع", learnt) is no surname.
                if short not in self.names and not self.common.issuperset(short):
                    partials.add(short, found.id)
        out = []
        for index, field in enumerate(fields):
            for span in partials.find(field.match.text, field.tokens, field.taken):
                # Only after the full name: a whole-document pass (surnames before it too)
                # measured worse on ANERcorp (PER F1 54.0 → 53.6, 10-sentence windows).
                found = entities[span.key]
                if (index, span.start) > first_seen[span.key]:
                    out.append((index, span, found, "partial"))
                    field.taken.update(range(span.first, span.last + 1))
        return out

    @staticmethod
    def _mention(field: _Field, span: Span, found: _Found, rule: str) -> Mention:
        assert rule in RULE_NAMES, f"rule {rule!r} missing from RULE_NAMES and the record schema"
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
