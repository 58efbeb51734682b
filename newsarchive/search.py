"""Search: parse a query, ask the index, and turn the hits into readable snippets.

Queries run on the match form (see ``arabic.normalize``): a query word is normalized the
same way the index was, and a word also matches its clitic-prefixed spellings
(``prefixed_forms``: العراق finds بالعراق, والعراق, للعراق but never العراقية; a query
word written with clitics, بالعراق, also finds its stem). The index
answers with record ids; only the hit records are read back, to show the author's spelling
with the matched words marked.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from .arabic.clitics import WORD
from .arabic.normalize import DROPPED, fold, normalize
from .index import SearchIndex, query_forms
from .record import Record
from .store import Archive, ArchiveError

if TYPE_CHECKING:
    from .catalog import Catalog

ELLIPSIS = "…"
# Opening and closing quotes that make a phrase: ASCII, typographic and guillemets.
_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]*)[\"“”«»]")
_QUOTES = re.compile(r"[\"“”«»]")


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]  # normalized single words, all required (AND)
    phrases: tuple[tuple[str, ...], ...]  # normalized word sequences, all required
    entity_ids: tuple[str, ...] = ()  # filter: the record mentions any of these
    entity_type: str | None = None  # filter: the record mentions an entity of this type
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive

    @property
    def has_text(self) -> bool:
        """True when there is something to match in the text (else: filters only)."""
        return bool(self.terms or self.phrases)


def _words(text: str) -> list[str]:
    return WORD.findall(normalize(text))


def _check_day(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a date YYYY-MM-DD, not {value!r}") from None


def parse_query(
    words: Sequence[str],
    *,
    entity_ids: Sequence[str] = (),
    entity_type: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> ParsedQuery:
    """Turn the words of the command line into a query.

    Text inside double quotes ("..." “...” «...») is a phrase, and so is an argv item that
    contains whitespace (the shell already quoted it); other words are terms. Everything is
    normalized and split into match-form words; a phrase of a single word is a term.
    Raises ValueError for a malformed date.
    """
    terms: list[str] = []
    phrases: list[tuple[str, ...]] = []

    def add_phrase(text: str) -> None:
        tokens = _words(text)
        if len(tokens) == 1:
            terms.extend(tokens)
        elif tokens:
            phrases.append(tuple(tokens))

    for word in words:
        if _QUOTES.search(word):
            for match in _QUOTED.finditer(word):
                add_phrase(match.group(1))
            rest = _QUOTES.sub(" ", _QUOTED.sub(" ", word))
            terms.extend(_words(rest))
        elif len(word.split()) > 1:
            add_phrase(word)
        else:
            terms.extend(_words(word))

    return ParsedQuery(
        terms=tuple(dict.fromkeys(terms)),
        phrases=tuple(dict.fromkeys(phrases)),
        entity_ids=tuple(dict.fromkeys(entity_ids)),
        entity_type=entity_type or None,
        since=_check_day(since, "since"),
        until=_check_day(until, "until"),
    )


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    date: str
    source: str
    score: float
    snippet: str  # from the stored record text: the author's spelling
    highlights: tuple[tuple[int, int], ...]  # spans of ``snippet`` that matched


def search(
    archive: Archive,
    index: SearchIndex,
    catalog: Catalog,
    query: ParsedQuery,
    limit: int = 10,
    snippet_width: int = 200,
) -> list[Hit]:
    """Run ``query`` and return up to ``limit`` hits, best first.

    Only the hit records are read. A hit whose record is gone (the index is older than the
    archive) is skipped.
    """
    hits: list[Hit] = []
    for record_id, score in index.search(query, limit):
        relpath = catalog.path_of(record_id)
        if relpath is None:
            continue
        try:
            record = archive.read_path(relpath)
        except ArchiveError:
            continue
        snippet, highlights = make_snippet(record, query, snippet_width)
        hits.append(
            Hit(
                id=record.id,
                title=record.title,
                date=record.date,
                source=record.source,
                score=score,
                snippet=snippet,
                highlights=highlights,
            )
        )
    return hits


# --- snippets ----------------------------------------------------------------------------


def match_spans(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """Spans of ``text`` (a stored text) where the query's words or phrases occur.

    Whole words of the match form only, clitic-prefixed spellings included; the spans are
    mapped back onto ``text`` as ``MatchText.span_in_source`` does, so they cover the word as
    written, diacritics included. Sorted, and overlapping spans merged.
    """
    if not query.has_text or not text:
        return []
    folded = fold(text)  # the match form
    found: list[tuple[int, int]] = []
    for pattern in _patterns(query):
        found.extend(m.span(1) for m in pattern.finditer(folded))
    if not found:
        return []
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    to_source = _source_offset(text, folded)
    return [(to_source(start), to_source(end)) for start, end in merged]


_NOT_WORD = r"[\W_]+"  # between two WORD tokens
_BEFORE = r"(?<![^\W_])"  # no word character just before
_AFTER = r"(?![^\W_])"  # no word character just after


def _alternatives(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


@lru_cache(maxsize=64)
def _patterns(query: ParsedQuery) -> tuple[re.Pattern[str], ...]:
    """Regexes over the match form: one for all the terms, one per phrase. Group 1 is the
    match; phrases match inside a lookahead, so that overlapping occurrences all count."""
    patterns = []
    if query.terms:
        forms = [form for term in query.terms for form in query_forms(term)]
        patterns.append(re.compile(_BEFORE + "(" + _alternatives(forms) + ")" + _AFTER))
    for phrase in query.phrases:
        head = _alternatives(query_forms(phrase[0]))
        rest = "".join(_NOT_WORD + re.escape(word) for word in phrase[1:])
        patterns.append(re.compile(_BEFORE + "(?=(" + head + rest + ")" + _AFTER + ")"))
    return tuple(patterns)


_DROPPED_CHARS = re.compile("[" + "".join(sorted(DROPPED)) + "]")


def _source_offset(stored: str, folded: str) -> Callable[[int], int]:
    """``k -> MatchText.offsets[k]`` without building the whole table.

    Only dropped characters (diacritics, tatweel) shift positions. For each, ``gaps`` holds
    the match-form index of the character after it, so ``offsets[k]`` is ``k`` plus the
    number of gaps at or before ``k``.
    """
    if len(folded) == len(stored):
        return lambda k: k
    gaps: list[int] = []
    for match in _DROPPED_CHARS.finditer(stored):
        gaps.append(match.start() - len(gaps))
    return lambda k: k + bisect_right(gaps, k)


_FLATTEN = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def make_snippet(
    record: Record, query: ParsedQuery, width: int = 200
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of about ``width`` characters of the record's text around its first match.

    Cut on word boundaries, with "…" where cut, newlines turned into spaces. The highlights
    are the spans of the returned snippet that matched the query (the original spelling,
    diacritics included). With no match in the text (a title-only hit, or a filter-only
    query) the snippet is the start of the text, without highlights.
    """
    text = record.text
    spans = match_spans(text, query)
    first = spans[0] if spans else (0, 0)
    start, end = _window(text, first, width)
    prefix = ELLIPSIS if text[:start].strip() else ""
    suffix = ELLIPSIS if text[end:].strip() else ""
    snippet = prefix + text[start:end].translate(_FLATTEN) + suffix
    shift = len(prefix) - start
    highlights = tuple(
        (a + shift, b + shift) for a, b in spans if a >= start and b <= end and b > a
    )
    return snippet, highlights


def _window(text: str, span: tuple[int, int], width: int) -> tuple[int, int]:
    """The ``[start, end)`` window of ``text`` to show around ``span``, on word boundaries."""
    length = len(text)
    if length <= width:
        return _strip(text, 0, length)
    a, b = span
    start = max(0, a - width // 3)
    end = min(length, max(start + width, b))
    if end == length:
        start = max(0, min(a, length - width))
    # Do not start or end inside a word: move inward to the nearest whitespace.
    if start > 0 and not text[start - 1].isspace():
        cut = _first_space(text, start, max(a, start))
        if cut is not None:
            start = cut + 1
    if end < length and not text[end].isspace():
        cut = _last_space(text, max(b, start), end)
        if cut is not None:
            end = cut
    return _strip(text, start, end)


def _first_space(text: str, lo: int, hi: int) -> int | None:
    for i in range(lo, hi):
        if text[i].isspace():
            return i
    return None


def _last_space(text: str, lo: int, hi: int) -> int | None:
    for i in range(hi - 1, lo - 1, -1):
        if text[i].isspace():
            return i
    return None


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
