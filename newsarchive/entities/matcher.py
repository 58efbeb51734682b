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

import codecs
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from itertools import accumulate, compress, groupby, repeat
from operator import add
from typing import NamedTuple

from ..arabic.clitics import (
    MIN_STEM,
    WORD,
    Stem,
    may_read_as,
    prefixed_forms,
    short_stems,
    stems,
    written_forms,
)
from ..arabic.normalize import STORED_CHARS, clean, fold


class Token(NamedTuple):
    """A word of the match form and where it is (a named tuple: made by the thousand per
    article, and a tuple is made several times faster than a frozen dataclass)."""

    text: str
    start: int  # in the match form
    end: int


class Span(NamedTuple):
    """A match in the match form: tokens ``[first, last]`` with the characters ``[start, end)``.

    A named tuple, not a dataclass: one is made per mention, and ``tuple.__new__`` makes it
    without running Python code.
    """

    first: int
    last: int
    start: int
    end: int
    key: str  # what matched, as an entity key (gazetteer id)
    words: tuple[str, ...] = ()  # the name as listed, without the clitics it was written with


class Tokens(Sequence[Token]):
    """The tokens of a text, with their words, the set of them and their offsets, which every
    table's ``find`` over the same text would otherwise build again.

    A sequence of Token made on demand: matching reads ``words`` and ``starts``, and the rules
    ask for a token near a match, about one in four; making every Token up front was a third
    of tokenizing.
    """

    __slots__ = ("words", "unique", "starts", "screened", "_outside")

    def __init__(self, words: list[str], starts: list[int]):
        self.words = words
        self.unique = set(words)
        self.starts = starts
        self._outside: tuple[Set[str], set[str]] | None = None  # see ``outside``
        # (screen, the words of ``unique`` in it, their positions or None until asked):
        # see ``screen``.
        self.screened: tuple[Screen, set[str], list[int] | None] | None = None

    def screen(self, screen: Screen) -> None:
        """Intersect the distinct words with every trigger word of ``screen`` at once, so
        that ``word_positions`` for any of its sets looks only at the few words found."""
        self.screened = (screen, self.unique & screen.words, None)

    def outside(self, vocabulary: Set[str]) -> set[str]:
        """The distinct words ``vocabulary`` lacks (the unseen-name rules each ask it of the
        same learnt vocabulary: made once a text)."""
        known = self._outside
        if known is None or known[0] is not vocabulary:
            known = self._outside = (vocabulary, self.unique - vocabulary)
        return known[1]

    def screened_positions(self, found: Set[str]) -> list[int]:
        """Where the words of ``found`` (screened words: see ``screen``) are, in order."""
        screen, hits, everywhere = self.screened  # type: ignore[misc]
        if everywhere is None:  # where any screened word is: looked for once a text
            everywhere = _positions(self.words, hits)
            self.screened = (screen, hits, everywhere)
        if len(found) == len(hits):
            return list(everywhere)
        words = self.words
        return [i for i in everywhere if words[i] in found]

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.words)))]
        word = self.words[index]
        start = self.starts[index]
        return _new_token(Token, (word, start, start + len(word)))

    def __iter__(self) -> Iterator[Token]:
        return map(self.__getitem__, range(len(self.words)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Tokens({list(self)!r})"

    def end(self, index: int) -> int:
        return self.starts[index] + len(self.words[index])


_new_token = tuple.__new__

# Tokenizing at C speed. ``WORD`` (``[^\W_]+``) costs the regex engine a few hundred
# instructions per character on Arabic text, and a Python step per token as much again. Most
# match-form text is written with the 256 characters below, so a charmap codec (a table
# lookup per character, in C) writes it as bytes, ``bytes.translate`` blanks every byte that
# is no word character, and decoding back gives the text with each non-word character made a
# space: ``split(" ")`` then yields exactly the ``WORD`` matches, offsets unchanged. Text with
# any other character takes the regex path. Index 0 must be NUL for the codec's fast map.
_CHARMAP = "".join(
    [
        "\x00\t\n",
        *map(chr, range(0x20, 0x7F)),  # ASCII
        *map(chr, range(0xA0, 0xC0)), "\u00d7", *map(chr, range(0xDF, 0x100)),  # Latin-1
        "\u060c\u061b\u061f",  # Arabic comma, semicolon, question mark
        *map(chr, range(0x621, 0x63B)), *map(chr, range(0x641, 0x64B)),  # Arabic letters
        "\u066a\u066b\u066c\u066d",  # Arabic percent and separators
        # Persian and Urdu letters, the Urdu full stop
        "\u067e\u0686\u0698\u06a4\u06af\u06be\u06c1\u06d2\u06d4\u06ba\u0679\u0688\u0691",
        *map(chr, range(0x2010, 0x2028)), *map(chr, range(0x2030, 0x203B)), "\u20ac",
    ]
)
_ENCODING = codecs.charmap_build(_CHARMAP)
_BLANK_NON_WORDS = bytes(
    byte if WORD.fullmatch(_CHARMAP[byte]) else _CHARMAP.index(" ") for byte in range(256)
)


def _words_blanked(text: str) -> str | None:
    """``text`` with every non-word character a space, or None for a character off the map."""
    try:
        encoded = codecs.charmap_encode(text, "strict", _ENCODING)[0]
    except UnicodeEncodeError:
        return None
    return codecs.charmap_decode(encoded.translate(_BLANK_NON_WORDS), "strict", _CHARMAP)[0]


def _scan(text: str) -> tuple[list[str], list[int]]:
    """Words and offsets by the regex: for text with characters off the fast path's map."""
    words: list[str] = []
    starts: list[int] = []
    for m in WORD.finditer(text):
        words.append(m[0])
        starts.append(m.start())
    return words, starts


def tokenize(text: str) -> Tokens:
    """The words of ``text`` (``WORD`` matches) with their offsets.

    Every step after the blanking is one call over the whole text or list (split, map,
    accumulate, compress): no Python code runs per token.
    """
    blanked = _words_blanked(text)
    if blanked is None:
        return Tokens(*_scan(text))
    return _blanked_tokens(blanked)


# ``tokenize`` for a match form already written as bytes by ``normalize.fold_bytes`` (the
# extractor has them from making the match form): the same blanking, without encoding again.
_BLANK_FOLDED = bytes(
    byte if WORD.fullmatch(char) else STORED_CHARS.index(" ")
    for byte, char in enumerate(STORED_CHARS)
).ljust(256, b"\x00")  # bytes past the map never occur


# ``tokenize_folded`` blanks every non-word byte to a line end and splits with
# ``bytes.splitlines(keepends=True)``: each piece is then a word and the line end after it, so
# its length is what the next piece's start moves by, and the starts are one ``accumulate``
# of the lengths. (Split at spaces, each length needed a ``+ 1``: a ``map(add, ...)`` step of
# ~170 instructions a piece, a tenth of tokenizing: callgrind.) A space or line feed is
# blanked to \n, any other non-word character to \r: splitlines reads "\r\n" as one line
# end, so punctuation before a space (". ", "، ") makes no empty piece between them (a piece
# costs ~500 instructions even empty). The bytes \n and \r stand for non-word characters of
# the map, so no word holds them.
_LF, _CR = 0x0A, 0x0D
if any(WORD.fullmatch(STORED_CHARS[byte]) for byte in (_LF, _CR)):
    raise RuntimeError("a word character is written as a line end byte")
_LINES_FOLDED = bytes(
    byte if WORD.fullmatch(char) else _LF if char in " \n" else _CR
    for byte, char in enumerate(STORED_CHARS)
).ljust(256, b"\x00")  # bytes past the map never occur
_END = bytes([_LF])
_LINE_ENDS = bytes([_CR, _LF])


# The folded bytes decoded with the line end bytes read as line ends (``STORED_CHARS`` writes
# other characters with them): a word holds neither, so the words decode the same, and a run
# of new pieces joined decodes in one call and splits back with ``str.splitlines``.
_LINES_DECODED = "".join(
    "\n" if byte == _LF else "\r" if byte == _CR else char
    for byte, char in enumerate(STORED_CHARS)
)
_EMPTY_PIECES = (_END, bytes([_CR]), _LINE_ENDS)  # every piece without a word


class FoldedWords(dict):
    """A word as ``tokenize_folded`` splits it off ``fold_bytes``'s bytes (the word and the
    line end after it; a line end alone: no word, "") → the word (str), decoded once and then
    remembered (up to ``limit`` pieces, the three empty ones first; past it the new pieces
    of a text are decoded each time).

    News repeats its words, so ``tokenize_folded`` splits the folded bytes and looks each
    word up here instead of decoding the whole text and splitting the str: the decode (~40
    instructions a character), making a str per word and hashing it for the set of words
    were a third of tokenizing; a hit costs a bytes hash and a dict look-up, and gives a
    word whose hash is already known. One per extractor: no state shared between them.
    """

    __slots__ = ("_limit", "new")

    def __init__(self, limit: int = 1 << 16):  # ~12 MB at most: the frequent words
        super().__init__(zip(_EMPTY_PIECES, repeat("")))
        self._limit = limit
        self.new: list[bytes] = []  # the pieces met and not found since the last ``learn``

    def __missing__(self, piece: bytes) -> None:
        # Called from C for each piece not remembered: noted, decoded with the others of
        # the text by ``learn``.
        self.new.append(piece)

    def learn(self, pieces: list[bytes], found: list) -> list:
        """``found`` (what the table gave for ``pieces``) with the new pieces' words in
        place of None: the new pieces of a text decoded in one call, joined, and
        remembered. A first pass meets every word as new (a fresh process: ``ingest`` run
        by cron), and a ``__missing__`` decoding each alone cost ~4.8 k instructions a new
        piece (a decode returning a tuple, two concatenations, two dict sets)."""
        new, self.new = self.new, []
        # Every piece ends with one line end, and none new is one alone (``_EMPTY_PIECES``
        # are known from the start), so a "\r" ending one never meets a "\n" beginning the
        # next: the lines are the new words, one a piece (a piece met twice: twice).
        decoded = codecs.charmap_decode(b"".join(new), "strict", _LINES_DECODED)[0]
        table: dict = self
        if len(self) + len(new) <= self._limit:
            self.update(zip(new, decoded.splitlines(), strict=True))
        else:  # full: the text's new words alone
            table = dict(zip(new, decoded.splitlines(), strict=True))
        return list(map(table.get, pieces, found))  # the words found before as they were


def tokenize_folded(folded: bytes, words: FoldedWords | None = None) -> Tokens:
    """``tokenize(text)`` for the match form ``text`` written as ``folded`` (one byte a
    character of ``normalize.STORED_CHARS``); ``words``: the decoded words to reuse."""
    if words is None:
        blanked = folded.translate(_BLANK_FOLDED)
        return _blanked_tokens(codecs.charmap_decode(blanked, "strict", STORED_CHARS)[0])
    # A line end after the last word too: every word's piece ends with one. One byte a
    # character: the offsets are the same.
    pieces = (folded.translate(_LINES_FOLDED) + _END).splitlines(True)
    found = list(map(words.__getitem__, pieces))  # "" for a piece without a word, None: new
    if words.new:
        found = words.learn(pieces, found)
    starts = list(compress(accumulate(map(len, pieces), initial=0), found))
    return Tokens(list(filter(None, found)), starts)


def _blanked_tokens(blanked: str) -> Tokens:
    """The tokens of a text whose every non-word character is a space."""
    pieces = blanked.split(" ")  # a word, or "" between two non-word characters
    return Tokens(list(filter(None, pieces)), _starts(pieces))


def _starts(pieces: list) -> list[int]:
    """Where each non-empty piece of a text split at single separators starts."""
    sizes = list(map(len, pieces))
    # Piece k starts after the pieces before it and one separator each. (``operator.add``
    # with ``repeat(1)``: ``(1).__add__`` is a method wrapper, which builds an argument tuple
    # per call, ~15% more instructions for the whole of this line.)
    return list(compress(accumulate(map(add, sizes, repeat(1)), initial=0), sizes))


def as_tokens(tokens: Sequence[Token]) -> Tokens:
    """``tokens`` as ``Tokens`` (callers may pass a plain list of Token)."""
    if isinstance(tokens, Tokens):
        return tokens
    return Tokens([t.text for t in tokens], [t.start for t in tokens])


_JOINS = frozenset((" ", "-", " - "))
_NOTHING: frozenset[int] = frozenset()
# What a table knows of a word as a first word: see ``NameTable._read``.
_Facts = tuple[
    int, tuple[Stem, ...], "tuple[str, int, tuple[str, ...]] | None", "Set[str]"
]
_NO_FACTS: _Facts = (0, (), None, frozenset())


def joined(text: str, left: Token, right: Token) -> bool:
    """True when two tokens are consecutive words of one name: only a space or hyphen between."""
    return text[left.end : right.start] in _JOINS


def name_key(name: str) -> tuple[str, ...]:
    # fold(clean(x)) is normalize(x) without the offset map, several times faster: it matters
    # when a gazetteer of 100,000 names is compiled.
    return tuple(WORD.findall(fold(clean(name))))


_MEMO_LIMIT = 1 << 18  # distinct words remembered per table (a few tens of MB at most)
_SMALL = 64  # tables with fewer first words are screened by their written forms instead
# A first word whose longer names take more bytes packed (~64 names) has them unpacked by
# second word: see ``NameTable._groups``.
_GROUPED = 2048


# 0, 1, 2, ...: the positions a pass over a text's words picks from. A range makes an int
# object per word (above 256) and frees the ones not picked; iterating a list of ints made
# once costs a fraction of that (~0.1 M instructions an article, callgrind). Longer texts
# take a range.
_INDEXES = list(range(1 << 14))


def _indexes(count: int) -> Iterable[int]:
    """0 … count - 1, to ``compress`` with one selector per word (which stops the pass)."""
    return _INDEXES if count <= len(_INDEXES) else range(count)


def _positions(words: list[str], wanted: set[str]) -> list[int]:
    """Where the ``wanted`` words are in ``words``, in order: one or two words with list.index
    (a scan in C each), more with one pass that tests every word (in C too: about as many
    instructions as two scans, measured with callgrind)."""
    if len(wanted) > 2:
        return list(compress(_indexes(len(words)), map(wanted.__contains__, words)))
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


def second_words(names: Iterable[tuple[str, ...]]) -> dict[str, set[str]]:
    """First word → the second words of the names of two words or more it starts."""
    seconds: dict[str, set[str]] = {}
    for name in names:
        if len(name) > 1:
            seconds.setdefault(name[0], set()).add(name[1])
    return seconds


def name_prefixes(names: Iterable[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The first 2, 3, ... words of every name of three words or more. One loop over the
    names: most have two to four words, and a pass over all of them for each length (in C,
    but a ``len``, a comparison and a ``compress`` step a name each time) cost ~1.4x."""
    prefixes: set[tuple[str, ...]] = set()
    add = prefixes.add
    for name in names:
        size = len(name)
        if size > 2:
            add(name[:2])
            if size > 3:
                prefixes.update([name[:k] for k in range(3, size)])
    return prefixes


_ABSENT = object()
# Any str written as bytes and read back (the caches' packed texts).
STR_AS_UTF8 = ("utf-8", "surrogatepass")


class _PackedNames:
    """An unpickled table's names as the cache keeps them, unpacked a first word at a time
    (``NameTable._derive``): its first words sorted, and the UTF-8 text of four sections a
    first word, one after the other (``offsets``: where each starts, and the end):
    its head, three lines: "the key of the one-word name", "the second words of its
    two-word names", "the other second words of its longer names" (a space between words);
    the keys of its two-word names, one a line, if it starts no longer name; else its names
    of two words or more sorted, "second third ..." a line, each line between line ends (the
    names going on with one second word are one run of lines: ``group``); and their keys,
    one a line.

    Unpickling 100,000 name tuples was a third of a cached load, and a news text meets a
    few thousand of the first words; a given name or head noun starts hundreds of names
    ("محمد", "مجلس"), whose names of three words or more are unpacked only when one may be
    read on. Each section is split in C, and the first word is the one str of every name
    it starts (not a copy a name: fewer objects made, and its hash known)."""

    __slots__ = ("firsts", "text", "offsets")

    def __init__(self, firsts: list[str], text: bytes, offsets: array):
        self.firsts, self.text, self.offsets = firsts, text, offsets

    @staticmethod
    def pack(names: Mapping[tuple[str, ...], str], longest: Mapping[str, int]) -> tuple | None:
        """``names`` as pickled: (the first words sorted, one a line; the most words a name
        each starts has; the text; the offsets), or None when they would not read back
        (see ``_packable``: never with words ``name_key`` read)."""
        if not _packable(names):
            return None
        firsts: list[str] = []
        sections: list[str] = []
        for first, group in groupby(sorted(names.items()), key=_first_of_name):
            alone, several = "", []  # its one-word name's key; its other names, in order
            for words, key in group:
                if len(words) == 1:
                    alone = key
                else:
                    several.append((words, key))
            seconds = [words[1] for words, _ in several if len(words) == 2]
            known = set(seconds)
            others = [w for w in dict.fromkeys(words[1] for words, _ in several) if w not in known]
            # A first word with longer names: all its names of two words or more, sorted
            # (those going on with one second word are one run of lines), for ``group``.
            grouped = several if len(seconds) < len(several) else []
            firsts.append(first)
            sections += [
                f"{alone}\n{' '.join(seconds)}\n{' '.join(others)}",
                "" if grouped else "\n".join(key for _, key in several),
                "".join(f"\n{' '.join(words[1:])}" for words, _ in grouped) + "\n" * bool(grouped),
                "\n".join(key for _, key in grouped),
            ]
        encoded = [section.encode(*STR_AS_UTF8) for section in sections]
        return ("\n".join(firsts), array("q", map(longest.__getitem__, firsts)),
                b"".join(encoded), array("q", accumulate(map(len, encoded), initial=0)))

    @staticmethod
    def unpickled(packed: tuple) -> tuple[_PackedNames, dict[str, int]]:
        """What ``pack`` gave, as read back: the names, and the most words a name each first
        word starts has (``NameTable._longest``)."""
        firsts, most, text, offsets = packed
        names = _PackedNames(firsts.split("\n") if firsts else [], text, offsets)
        return names, dict(zip(names.firsts, most, strict=True))

    def head(self, first: str) -> tuple[str | None, list[str], list[str], int]:
        """The key of ``first`` as a one-word name (None: it is none), the second words of
        its two-word names, the other second words of its longer names, and the size of its
        longer names' section (0: it starts none)."""
        i = self._index(first)
        if i is None:
            return None, [], [], 0
        offsets = self.offsets
        at = 4 * i
        alone, seconds, others = self._section(at).split("\n")
        return alone or None, _words(seconds), _words(others), offsets[at + 3] - offsets[at + 2]

    def pairs(self, first: str, seconds: list[str]) -> Iterator[tuple[tuple[str, ...], str]]:
        """The two-word names of ``first`` (``seconds``: as ``head`` gives them) with their
        keys, if it starts no longer ones."""
        keys = self._section(4 * self._index(first) + 1).split("\n")  # type: ignore[operator]
        return zip(zip(repeat(first), seconds), keys, strict=True)

    def longer(self, first: str) -> tuple[list[tuple[str, ...]], list[str]]:
        """The names of two words or more ``first`` starts, and their keys."""
        at = 4 * self._index(first)  # type: ignore[operator]
        lines = self._section(at + 2)
        if not lines:  # two-word names only
            seconds = _words(self._section(at).split("\n")[1])
            return list(zip(repeat(first), seconds)), _lines(self._section(at + 1))
        return self._named(first, lines[1:-1].split("\n")), self._section(at + 3).split("\n")

    def group(self, first: str, second: str) -> tuple[list[tuple[str, ...]], list[str]]:
        """The names of two words or more ``first`` starts that go on with ``second``, and
        their keys, for a first word with longer names: one run of the sorted lines, found
        by ``str.find`` in C, the others left as they are."""
        at = 4 * self._index(first)  # type: ignore[operator]
        lines = self._section(at + 2)
        start = lines.find(f"\n{second}\n")  # its two-word name, before its longer ones
        if start < 0:
            start = lines.find(f"\n{second} ")
            if start < 0:
                return [], []
        last = lines.rfind(f"\n{second} ")
        end = lines.find("\n", max(last, start) + 1)  # every line ends with one
        run = lines[start + 1 : end].split("\n")
        k = lines.count("\n", 0, start)  # the lines before it: the keys before its keys
        keys = self._section(at + 3).split("\n")[k : k + len(run)]
        return self._named(first, run), keys

    @staticmethod
    def _named(first: str, lines: list[str]) -> list[tuple[str, ...]]:
        # "second third ..." lines as names, ``first`` one str in all of them (in C steps).
        return list(map(add, repeat((first,)), map(tuple, map(str.split, lines, repeat(" ")))))

    def _index(self, first: str) -> int | None:
        firsts = self.firsts
        i = bisect_left(firsts, first)
        return i if i < len(firsts) and firsts[i] == first else None

    def _section(self, at: int) -> str:
        offsets = self.offsets
        return self.text[offsets[at] : offsets[at + 1]].decode(*STR_AS_UTF8)

    def names(self) -> dict[tuple[str, ...], str]:
        """Every name, unpacked (for pickling a loaded table again)."""
        names = {}
        for first in self.firsts:
            alone, seconds, others, _ = self.head(first)
            if alone is not None:
                names[(first,)] = alone
            if seconds or others:
                names.update(zip(*self.longer(first), strict=True))
        return names


def _packable(names: Mapping[tuple[str, ...], str]) -> bool:
    """Whether ``names`` read back as they are from ``_PackedNames.pack``'s text: no word
    or key empty or holding a line end, no word holding a space (in C steps: a gazetteer
    has 100,000 names)."""
    if not (all(names.values()) and all(map(all, names))):
        return False
    lines = len(names) - 1 if names else 0
    keys = "\n".join(names.values())
    words = "\n".join(map(" ".join, names))
    return (keys.count("\n") == words.count("\n") == lines
            and words.count(" ") == sum(map(len, names)) - len(names))


def _words(text: str) -> list[str]:
    return text.split(" ") if text else []


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def _first_of_name(item: tuple[tuple[str, ...], str]) -> str:
    return item[0][0]


class Screen:
    """The trigger words of several rules (each a frozenset that ``word_positions`` is
    asked about), united: ``Tokens.screen`` intersects a text's distinct words with them
    once, instead of once per rule, and finds where the few words found are once.
    """

    __slots__ = ("words", "_sets")

    def __init__(self, sets: Iterable[Set[str]]):
        sets = list(sets)
        self.words: frozenset[str] = frozenset().union(*sets)
        self._sets = {id(s): s for s in sets}  # by identity: no hashing of large sets

    def __reduce__(self):
        # Rebuilt from the sets: keyed by id(), the keys would not survive a pickle.
        return (Screen, (list(self._sets.values()),))

    def covers(self, wanted: Set[str] | None) -> bool:
        """Whether ``wanted`` is one of the sets screened for (that very object)."""
        return self._sets.get(id(wanted), _ABSENT) is wanted


def word_positions(tokens: Sequence[Token], wanted: Set[str]) -> list[int]:
    """Where in ``tokens`` a word of ``wanted`` is, in order: a rule that needs one of a few
    words (or their written forms) screens an article so instead of stepping through it."""
    tokens = as_tokens(tokens)
    screened = tokens.screened
    if screened is not None and screened[0].covers(wanted):
        found = screened[1] & wanted  # a few words
        return tokens.screened_positions(found) if found else []
    found = tokens.unique & wanted  # a set op in C, over the smaller of the two
    return _positions(tokens.words, found) if found else []


class NameTable:
    """Names (as token tuples) → an entity key. Later additions do not replace earlier ones."""

    def __init__(self, names: Iterable[tuple[str, str]] = ()):
        # The names known so far: all of them in a table built by ``add``; in an unpickled
        # one, the names of the first words derived (``_derive``), the rest still packed.
        self._table: dict[tuple[str, ...], str] = {}
        self._size = 0  # names in the table, packed ones too
        # An unpickled table's names as the cache keeps them, or None (a table built by
        # ``add``): unpacked a first word at a time (``_PackedNames``).
        self._packed: _PackedNames | None = None
        # First word → words in the longest name it starts: a match is looked for no further.
        self._longest: dict[str, int] = {}
        # The first 2, 3, ... words of every longer name: a match is read on word by word
        # only while its words so far begin a name (most first words begin none with the
        # word after them, and are given up after one look-up).
        self._prefixes: set[tuple[str, ...]] = set()
        # First word → the second words of its names (derived with the prefixes): a first
        # word met before a word no name of it continues with is passed over.
        self._seconds: dict[str, set[str]] = {}
        # The first words whose names and seconds are known, or None: all of them, and
        # their prefixes (a table built by ``add``). An unpickled table unpacks a first
        # word's one-word name and seconds when a word read as it is first met
        # (``_derive``), and its longer names with their prefixes when a name of three
        # words or more may be read on from it (``_unprefixed``: derived first words whose
        # longer names are still packed).
        self._derived: set[str] | None = None
        self._unprefixed: set[str] = set()
        # First words of ``_unprefixed`` with many longer names (a head noun, a given
        # name) → the second words whose names are unpacked: read on from before one of
        # them unpacks the names going on with it alone (``_derive_group``).
        self._groups: dict[str, set[str]] = {}
        self.max_words = 0
        self._forget()
        for name, key in names:
            self.add(name, key)

    def _forget(self) -> None:
        # word → (most words a name it starts has, its readings that start a name); the words
        # with any; for small tables, every way a first word can be written (a superset).
        # Large tables keep only words with facts in ``_readings``, and every word read in
        # ``_seen``: most new words have none, and a set takes them at a third of the cost.
        self._readings: dict[str, _Facts] = {}
        self._seen: set[str] = set()
        self._starts: set[str] = set()
        self._written: set[str] | None = None

    def __getstate__(self) -> dict:
        # Packed (paid once, when compiling): a few large objects unpickle in a fraction of
        # the time 100,000 tuples take, and a loaded table unpacks only the first words met.
        names = self._all_names()
        packed = _PackedNames.pack(names, self._longest)
        if packed is None:  # a word or key the packed form cannot hold: the names as they are
            return {"names": names}
        return {"packed": packed, "size": len(names), "max": self.max_words}

    def __setstate__(self, state: dict) -> None:
        if "packed" not in state:
            self.__init__(state["names"].items())  # type: ignore[misc]
            return
        self.__init__()  # type: ignore[misc]
        self._packed, self._longest = _PackedNames.unpickled(state["packed"])
        self._size, self.max_words = state["size"], state["max"]
        # Names, second words and prefixes are unpacked and derived per first word when it
        # is first met, not kept in the cache as such (unpickling 34,000 prefixes of a
        # 100,000-name gazetteer added a sixth to loading it) nor derived for every name at
        # the first search (~0.13 s).
        self._derived = set()

    def _all_names(self) -> dict[tuple[str, ...], str]:
        """Every name, unpacked."""
        if self._packed is None:
            return self._table
        # A name added since unpickling unpacked its first word's names first (``add``).
        return {**self._packed.names(), **self._table}

    def add(self, name: str | tuple[str, ...], key: str) -> None:
        words = name if isinstance(name, tuple) else name_key(name)
        if not words:
            return
        first = words[0]
        if self._derived is not None:  # its packed names first: an earlier one is not replaced
            if first not in self._derived:
                self._derive(first)
            if first in self._unprefixed:
                self._derive_prefixes(first)
        if words not in self._table:
            self._table[words] = key
            self._size += 1
            if len(words) > 1:
                self._prefixes.update(words[:k] for k in range(2, len(words)))
                self._seconds.setdefault(first, set()).add(words[1])
                if self._readings:
                    self._forget()  # a word's facts hold the words that may follow it
            if len(words) > self._longest.get(first, 0) or len(words) == 1:
                self._longest[first] = max(len(words), self._longest.get(first, 0))
                if self._readings or self._seen or self._written is not None:
                    self._forget()  # what is remembered of words may be out of date
            self.max_words = max(self.max_words, len(words))

    def __contains__(self, words: tuple[str, ...]) -> bool:
        derived = self._derived
        if derived is not None and words:  # unpacked first
            first = words[0]
            if first not in derived:
                if first not in self._longest:
                    return False
                self._derive(first)
            if len(words) > 1 and first in self._unprefixed:
                self._derive_prefixes(first)
        return words in self._table

    def __len__(self) -> int:
        return self._size

    def find(self, text: str, tokens: Sequence[Token], taken: set[int] | None = None) -> list[Span]:
        """Longest, leftmost, non-overlapping matches; tokens in ``taken`` are skipped."""
        if not self._longest:  # no name
            return []
        tokens = as_tokens(tokens)
        words = tokens.words
        screened = tokens.screened
        if screened is not None and screened[0].covers(self._written):
            # Its first words' written forms were screened for with the rules' words.
            starting = self._starting(screened[1])
            if not starting:
                return []
            positions = tokens.screened_positions(starting)
        elif len(self._longest) < _SMALL:
            starting = self._starting(tokens.unique)
            if not starting:
                return []
            positions = _positions(words, starting)
        else:
            # Large tables: one pass tests every word against the words known to start a
            # name (in C), instead of intersecting the article's words with them first.
            self._remember(tokens.unique)
            positions = list(
                compress(_indexes(len(words)), map(self._starts.__contains__, words))
            )
        taken = taken or _NOTHING
        readings = self._readings
        spans: list[Span] = []
        after = 0  # the first token not inside a match already made
        count = len(words)
        for i in positions:
            if i >= after and i not in taken:
                facts = readings[words[i]]
                if i + 1 == count or words[i + 1] not in facts[3]:
                    # The next word continues none of its names: its one-word name, if any,
                    # without a call ("علي" is a preposition: most first words met name
                    # nothing; a word that names a place alone mostly names only that).
                    alone = facts[2]
                    if alone is not None:
                        key, skip, name = alone
                        start = tokens.starts[i]
                        spans.append(_new_token(
                            Span, (i, i, start + skip, start + len(words[i]), key, name)
                        ))
                        after = i + 1
                    continue
                span = self._longest_at(text, tokens, i, facts, taken)
                if span is not None:
                    spans.append(span)
                    after = span[1] + 1  # .last
        return spans

    def written_forms(self) -> set[str]:
        """Every way a first word of a name can be written (a superset): a word outside it
        starts no name. The same object until a name is added (for ``Screen``)."""
        if self._written is None:
            longest = self._longest
            self._written = set().union(*map(written_forms, longest))
            self._written.update(*[  # "وتل" of "وتل أبيب": see ``_read``
                prefixed_forms(first) for first, most in longest.items()
                if most > 1 and len(first) == MIN_STEM - 1
            ])
        return self._written

    def _starting(self, unique: set[str]) -> set[str]:
        """The words of ``unique`` with a reading (clitics removed) that starts a name, for a
        small table: screened by the written forms of its first words."""
        candidates: Iterable[str] = unique & self.written_forms()
        found = set()
        for word in candidates:
            if word not in self._readings:
                self._readings[word] = self._read(word)
            if self._readings[word][1]:
                found.add(word)
        return found

    def _remember(self, unique: set[str]) -> None:
        """Read the words of ``unique`` not read yet (large tables): ``_starts`` then holds
        every word of ``unique`` that starts a name."""
        new = unique.difference(self._seen)
        if new:
            if len(self._seen) + len(new) > _MEMO_LIMIT:
                self._forget()
                new = unique
            # Most new words have no facts: settled in C, where a ``_read`` call each (with
            # its ``stems``) was most of what a new word cost a first pass. Only a first word
            # itself, or a word one of whose readings may be one, is read; the others are
            # only added to ``_seen`` (``_readings`` holds no facts for them).
            asked = may_read_as(new, self._longest)
            asked.update(new & self._longest.keys())
            self._seen.update(new)
            readings = self._readings
            for word in asked:
                facts = self._read(word)
                if facts[1]:
                    readings[word] = facts
                    self._starts.add(word)

    def _read(self, word: str) -> _Facts:
        """What the table says of ``word`` as a name's first word: the most words a name it
        starts has (negated while the prefixes of an unpickled table's names are not derived
        for its readings), its readings that start one, the one-word name it is (key, clitic
        characters, name) if any, so a word that is a name alone costs no look-up when met,
        and the second words of its names."""
        longest = self._longest
        readings = stems(word)
        if len(readings) > 1:
            readings = tuple([s for s in readings if s.text in longest])
        elif word not in longest:
            readings = ()
        # A two-letter first word of a longer name behind clitics: "وتل" of "وتل أبيب"
        # (asked of short words only: a call for every word read cost a first pass 1 %).
        short: list[Stem] = []
        if len(word) <= MIN_STEM + 1:
            short = [s for s in short_stems(word) if longest.get(s.text, 0) > 1]
            if short:
                readings = (*readings, *short)
        if not readings:
            return _NO_FACTS  # most words: one shared value
        derived = self._derived
        if derived is not None:
            for s in readings:
                if s.text not in derived:
                    self._derive(s.text)
        table, seconds, unprefixed = self._table, self._seconds, self._unprefixed
        if len(readings) == 1:  # most words: no generator steps
            stem = readings[0]
            text = stem.text
            key = table.get(name := (text,))
            alone = None if key is None else (key, stem.skip, name)
            most = longest[text]
            if most > 2 and text in unprefixed:
                most = -most  # derived by ``_longest_at`` if a name is ever read on from here
            return most, readings, alone, seconds.get(text, _NO_FACTS[3])
        alone = next(
            (
                (table[name], s.skip, name) for s in readings
                if (name := (s.text,)) in table and s not in short
            ),
            None,
        )
        follows = frozenset().union(*(seconds.get(s.text, ()) for s in readings))
        most = max(longest[s.text] for s in readings)
        if most > 2 and unprefixed and any(s.text in unprefixed for s in readings):
            most = -most
        return most, readings, alone, follows

    def _derive(self, first: str) -> None:
        """The one-word name ``first`` is and the second words of the names it starts,
        unpacked (an unpickled table: see ``_derived``); its two-word names too if it starts
        no longer one (they are read with no prefixes), else with the longer ones when a
        name may be read on from it (``_unprefixed``)."""
        if self._packed is not None:
            alone, seconds, others, size = self._packed.head(first)  # none: added since
            if alone is not None:
                self._table[(first,)] = alone
            if others or self._longest.get(first, 0) > 2:
                self._seconds[first] = {*seconds, *others}
                self._unprefixed.add(first)
                if size > _GROUPED:
                    self._groups[first] = set()
            elif seconds:
                self._seconds[first] = set(seconds)
                self._table.update(self._packed.pairs(first, seconds))
        self._derived.add(first)  # type: ignore[union-attr]

    def _derive_prefixes(self, first: str) -> None:
        """The longer names ``first`` starts, unpacked, and the prefixes of those of three
        words or more. Most first words met never need them: no name is read on from
        them."""
        self._unprefixed.discard(first)
        self._groups.pop(first, None)
        names, keys = self._packed.longer(first)  # type: ignore[union-attr]
        self._table.update(zip(names, keys, strict=True))
        self._prefixes.update(name_prefixes(names))

    def _derive_group(self, first: str, second: str) -> None:
        """The names ``first`` starts that go on with ``second``, unpacked with their
        prefixes (a first word of ``_groups``): all a name read on from ``first`` before
        ``second`` may be."""
        self._groups[first].add(second)
        names, keys = self._packed.group(first, second)  # type: ignore[union-attr]
        self._table.update(zip(names, keys, strict=True))
        self._prefixes.update(name_prefixes(names))

    def _longest_at(
        self, text: str, tokens: Tokens, i: int, facts: _Facts, taken: Set[int]
    ) -> Span | None:
        most, readings, alone, _follows = facts
        starts, words = tokens.starts, tokens.words
        if most < 0:  # the prefixes of its readings are not derived yet (see ``_read``)
            whole = True
            unprefixed, groups = self._unprefixed, self._groups
            for stem in readings:
                first = stem.text
                if first in unprefixed:
                    done = groups.get(first)
                    if done is None:
                        self._derive_prefixes(first)
                        continue
                    # Many longer names: those going on with the next word alone (``find``
                    # calls this only when one of its names does), the word left negated.
                    whole = False
                    second = words[i + 1]
                    if second not in done and second in self._seconds[first]:
                        self._derive_group(first, second)
            most = -most
            if whole:
                self._readings[words[i]] = (most, readings, alone, _follows)
        if most > 1:
            span = longest_from(
                text, words, starts, i, readings, taken,
                self._table, self._seconds, self._prefixes,
            )
            if span is not None:
                return span
        if alone is None:
            return None
        key, skip, name = alone
        return _new_token(Span, (i, i, starts[i] + skip, starts[i] + len(words[i]), key, name))


def longest_from(
    text: str,
    words: list[str],
    starts: list[int],
    i: int,
    readings: Iterable[Stem],
    taken: Set[int],
    table: Mapping[tuple[str, ...], str],
    seconds: Mapping[str, Set[str]],
    prefixes: Set[tuple[str, ...]],
) -> Span | None:
    """The longest name of ``table`` of two words or more that word ``i``, read as one of
    ``readings``, begins (of two as long, the earlier reading's), the words after it joined
    (``_JOINS``) and outside ``taken``; None if none. ``seconds``: first word → the second
    words of its names; ``prefixes``: the first 2, 3, ... words of names of three or more
    (``NameTable``'s reading, and the extractor's for an article's short names)."""
    following = i + 1
    if (
        following >= len(starts)
        or following in taken
        or text[starts[i] + len(words[i]) : starts[following]] not in _JOINS
    ):
        return None
    found: tuple[int, Stem, str, tuple[str, ...]] | None = None
    second = words[following]
    for stem in readings:
        if second not in seconds.get(stem.text, ()):
            continue  # no name of this reading goes on with the next word
        name = (stem.text, second)
        last = following
        while True:
            key = table.get(name)
            if key is not None and (found is None or last > found[0]):
                found = (last, stem, key, name)
            if name not in prefixes:
                break
            after = last + 1  # the name so far begins a longer one: read on
            if (
                after >= len(starts)
                or after in taken
                or text[starts[last] + len(words[last]) : starts[after]] not in _JOINS
            ):
                break
            name = (*name, words[after])
            last = after
    if found is None:
        return None
    last, stem, key, name = found
    end = starts[last] + len(words[last])
    return _new_token(Span, (i, last, starts[i] + stem.skip, end, key, name))
