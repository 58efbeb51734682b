"""Gazetteer matching on the match form: whole words, clitic-aware, longest match wins.

Names are compiled into a dict keyed by their token tuples, so matching an article is one
left-to-right pass over its words with a few dict look-ups per word (the names are whole
words, so a word-level table does what a character automaton would, with no boundary checks).
Only the first word of a name may carry proclitics ("وبالعراق"); nothing may follow a word
("العراقية" is not "العراق").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..arabic.clitics import WORD, stems
from ..arabic.normalize import clean, fold


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # in the match form
    end: int


@dataclass(frozen=True)
class Span:
    """A match in the match form: tokens ``[first, last]`` with the characters ``[start, end)``."""

    first: int
    last: int
    start: int
    end: int
    key: str  # what matched, as an entity key (gazetteer id)
    words: tuple[str, ...] = ()  # the name as listed, without the clitics it was written with


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


def joined(text: str, left: Token, right: Token) -> bool:
    """True when two tokens are consecutive words of one name: only a space or hyphen between."""
    gap = text[left.end : right.start]
    return gap in (" ", "-", " - ")


def name_key(name: str) -> tuple[str, ...]:
    # fold(clean(x)) is normalize(x) without the offset map, several times faster: it matters
    # when a gazetteer of 100,000 names is compiled.
    return tuple(WORD.findall(fold(clean(name))))


class NameTable:
    """Names (as token tuples) → an entity key. Later additions do not replace earlier ones."""

    def __init__(self, names: Iterable[tuple[str, str]] = ()):
        self._table: dict[tuple[str, ...], str] = {}
        self._first_words: set[str] = set()  # most words start no name: one look-up skips them
        self.max_words = 0
        for name, key in names:
            self.add(name, key)

    def add(self, name: str | tuple[str, ...], key: str) -> None:
        words = name if isinstance(name, tuple) else name_key(name)
        if words and words not in self._table:
            self._table[words] = key
            self._first_words.add(words[0])
            self.max_words = max(self.max_words, len(words))

    def __contains__(self, words: tuple[str, ...]) -> bool:
        return words in self._table

    def __len__(self) -> int:
        return len(self._table)

    def find(self, text: str, tokens: list[Token], taken: set[int] | None = None) -> list[Span]:
        """Longest, leftmost, non-overlapping matches; tokens in ``taken`` are skipped."""
        taken = taken or set()
        spans: list[Span] = []
        i = 0
        while i < len(tokens):
            span = self._longest_at(text, tokens, i, taken)
            if span is None:
                i += 1
            else:
                spans.append(span)
                i = span.last + 1
        return spans

    def _longest_at(self, text: str, tokens: list[Token], i: int, taken: set[int]) -> Span | None:
        if i in taken:
            return None
        readings = [stem for stem in stems(tokens[i].text) if stem.text in self._first_words]
        if not readings:
            return None
        # How many tokens from i on are free and joined into one run of words.
        run = 1
        while (
            run < self.max_words
            and i + run < len(tokens)
            and i + run not in taken
            and joined(text, tokens[i + run - 1], tokens[i + run])
        ):
            run += 1
        rest = tuple(t.text for t in tokens[i + 1 : i + run])
        for length in range(run, 0, -1):
            tail = rest[: length - 1]
            for stem in readings:
                words = (stem.text, *tail)
                key = self._table.get(words)
                if key is not None:
                    last = i + length - 1
                    start = tokens[i].start + stem.skip
                    return Span(i, last, start, tokens[last].end, key, words)
        return None

