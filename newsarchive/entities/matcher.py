"""Gazetteer matching on the match form: whole words, clitic-aware, longest match wins.

Names are compiled into a dict keyed by their token tuples, so matching an article is one
left-to-right pass over its words with a few dict look-ups per word (the names are whole
words, so a word-level table does what a character automaton would, with no boundary checks).
Only the first word of a name may carry proclitics ("وبالعراق"); nothing may follow a word
("العراقية" is not "العراق").

Speed: news text repeats its words (Zipf), so what a table knows about a word (which of its
clitic readings start a name) is worked out once and remembered; an article then costs a set
intersection of its distinct words with the table's known name starts, and the dict look-ups
only where a name may start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from typing import NamedTuple

from ..arabic.clitics import WORD, Stem, stems, written_forms
from ..arabic.normalize import clean, fold


class Token(NamedTuple):
    """A word of the match form and where it is (a named tuple: made by the thousand per
    article, and a tuple is made several times faster than a frozen dataclass)."""

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


class Tokens(list):
    """The tokens of a text (a list of Token), with their words and the set of them, which
    every table's ``find`` over the same text would otherwise build again."""

    words: list[str]
    unique: set[str]


_new_token = tuple.__new__


def tokenize(text: str) -> Tokens:
    """The words of ``text`` (``WORD`` matches) with their offsets.

    Split at spaces first: most pieces are one word (``isalnum`` is exactly what ``WORD``
    matches), and only the others go through the regex: a third of the work of ``finditer``
    alone goes (measured in instructions with callgrind).
    """
    tokens: list[Token] = []
    words: list[str] = []
    add_token, add_word = tokens.append, words.append
    at = 0
    for piece in text.split(" "):
        if piece.isalnum():
            add_token(_new_token(Token, (piece, at, at + len(piece))))
            add_word(piece)
        elif piece:
            for m in WORD.finditer(piece):
                word = m[0]
                add_token(_new_token(Token, (word, at + m.start(), at + m.end())))
                add_word(word)
        at += len(piece) + 1
    result = Tokens(tokens)
    result.words = words
    result.unique = set(words)
    return result


_JOINS = frozenset((" ", "-", " - "))
_NOTHING: frozenset[int] = frozenset()
_NO_FACTS: tuple[int, tuple[Stem, ...]] = (0, ())


def joined(text: str, left: Token, right: Token) -> bool:
    """True when two tokens are consecutive words of one name: only a space or hyphen between."""
    return text[left.end : right.start] in _JOINS


def name_key(name: str) -> tuple[str, ...]:
    # fold(clean(x)) is normalize(x) without the offset map, several times faster: it matters
    # when a gazetteer of 100,000 names is compiled.
    return tuple(WORD.findall(fold(clean(name))))


_MEMO_LIMIT = 1 << 18  # distinct words remembered per table (a few tens of MB at most)
_SMALL = 64  # tables with fewer first words are screened by their written forms instead


def _positions(words: list[str], wanted: set[str]) -> list[int]:
    """Where the ``wanted`` words are in ``words``, in order. A few words are found with
    list.index, which compares in C about ten times faster than a Python loop steps."""
    if len(wanted) > 8:
        return [i for i, word in enumerate(words) if word in wanted]
    found = []
    for word in wanted:
        i = -1
        try:
            while True:
                i = words.index(word, i + 1)
                found.append(i)
        except ValueError:
            pass
    found.sort()
    return found


def word_positions(tokens: Sequence[Token], wanted: Set[str]) -> list[int]:
    """Where in ``tokens`` a word of ``wanted`` is, in order: a rule that needs one of a few
    words (or their written forms) screens an article so instead of stepping through it."""
    if isinstance(tokens, Tokens):
        words, unique = tokens.words, tokens.unique
    else:
        words = [t.text for t in tokens]
        unique = set(words)
    found = unique & wanted  # a set op in C, over the smaller of the two
    return _positions(words, found) if found else []


class NameTable:
    """Names (as token tuples) → an entity key. Later additions do not replace earlier ones."""

    def __init__(self, names: Iterable[tuple[str, str]] = ()):
        self._table: dict[tuple[str, ...], str] = {}
        # First word → words in the longest name it starts: a match is looked for no further.
        self._longest: dict[str, int] = {}
        self.max_words = 0
        self._forget()
        for name, key in names:
            self.add(name, key)

    def _forget(self) -> None:
        # word → (most words a name it starts has, its readings that start a name); the words
        # with any; for small tables, every way a first word can be written (a superset).
        self._readings: dict[str, tuple[int, tuple[Stem, ...]]] = {}
        self._starts: set[str] = set()
        self._written: set[str] | None = None

    def __getstate__(self) -> dict:
        return {"table": self._table, "longest": self._longest, "max": self.max_words}

    def __setstate__(self, state: dict) -> None:
        self._table, self._longest, self.max_words = state["table"], state["longest"], state["max"]
        self._forget()

    def add(self, name: str | tuple[str, ...], key: str) -> None:
        words = name if isinstance(name, tuple) else name_key(name)
        if words and words not in self._table:
            self._table[words] = key
            first = words[0]
            if len(words) > self._longest.get(first, 0):
                self._longest[first] = len(words)
                if self._readings or self._written is not None:
                    self._forget()  # what is remembered of words may be out of date
            self.max_words = max(self.max_words, len(words))

    def __contains__(self, words: tuple[str, ...]) -> bool:
        return words in self._table

    def __len__(self) -> int:
        return len(self._table)

    def find(self, text: str, tokens: Sequence[Token], taken: set[int] | None = None) -> list[Span]:
        """Longest, leftmost, non-overlapping matches; tokens in ``taken`` are skipped."""
        if not self._table:
            return []
        if isinstance(tokens, Tokens):
            words, unique = tokens.words, tokens.unique
        else:
            words = [t.text for t in tokens]
            unique = set(words)
        starts = self._starting(unique)
        if not starts:
            return []
        taken = taken or _NOTHING
        readings = self._readings
        spans: list[Span] = []
        after = 0  # the first token not inside a match already made
        for i in _positions(words, starts):
            if i >= after and i not in taken:
                span = self._longest_at(text, tokens, words, i, *readings[words[i]], taken)
                if span is not None:
                    spans.append(span)
                    after = span.last + 1
        return spans

    def _starting(self, unique: set[str]) -> set[str]:
        """The words of ``unique`` with a reading (clitics removed) that starts a name."""
        if len(self._longest) < _SMALL:
            if self._written is None:
                self._written = {form for word in self._longest for form in written_forms(word)}
            candidates: Iterable[str] = unique & self._written
            found = set()
            for word in candidates:
                if word not in self._readings:
                    self._readings[word] = self._read(word)
                if self._readings[word][1]:
                    found.add(word)
            return found
        new = unique.difference(self._readings)
        if new:
            if len(self._readings) + len(new) > _MEMO_LIMIT:
                self._forget()
                new = unique
            for word in new:
                self._readings[word] = facts = self._read(word)
                if facts[1]:
                    self._starts.add(word)
        return unique & self._starts

    def _read(self, word: str) -> tuple[int, tuple[Stem, ...]]:
        longest = self._longest
        readings = tuple(s for s in stems(word) if s.text in longest)
        if not readings:
            return _NO_FACTS  # most words: one shared value
        return max(longest[s.text] for s in readings), readings

    def _longest_at(
        self, text: str, tokens: Sequence[Token], words: list[str], i: int, most: int,
        readings: tuple[Stem, ...], taken: set[int],
    ) -> Span | None:
        # How many tokens from i on are free and joined into one run of words (no more than
        # the longest name that starts with one of the readings has).
        run = 1
        count = len(tokens)
        while (
            run < most
            and i + run < count
            and i + run not in taken
            and text[tokens[i + run - 1][2] : tokens[i + run][1]] in _JOINS
        ):
            run += 1
        table = self._table
        for length in range(run, 0, -1):
            tail = words[i + 1 : i + length]
            for stem in readings:
                name = (stem.text, *tail)
                key = table.get(name)
                if key is not None:
                    last = i + length - 1
                    start = tokens[i][1] + stem.skip
                    return Span(i, last, start, tokens[last][2], key, name)
        return None

