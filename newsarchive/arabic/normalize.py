"""Arabic text normalization: the stored form and the match form.

Two outputs, one module:

* ``clean(text)`` is what the archive stores: the author's words, with only invisible
  control characters removed, Arabic presentation forms folded (NFKC), and whitespace runs
  collapsed. Entity offsets point into this text.
* ``match_form(stored)`` is what entity matching and search run on: diacritics and tatweel
  dropped, letter variants folded, digits made ASCII, Latin lower-cased. Every rule maps one
  character to at most one character, so a plain list of indices (``MatchText.offsets``) maps
  the match form back onto the stored text.

The rules are data (the tables below), in the spirit of Lucene's ArabicNormalizer and CAMeL
Tools' charmaps; the README shows the same table.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import TypeVar

# --- stored form -------------------------------------------------------------------------

# Zero-width and bidi control characters: invisible, and they split words for matching.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f"  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\u061c\ufeff\u00ad\u2060"  # Arabic letter mark, BOM/ZWNBSP, soft hyphen, word joiner
)
_INVISIBLE_TABLE = {ord(c): None for c in INVISIBLE}
# Arabic Presentation Forms-A (U+FB50–U+FDFF) and -B (U+FE70–U+FEFF): NFKC gives the letters.
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
_SPACES = re.compile(r"[^\S\n]+")  # whitespace other than newline
_BLANK_LINES = re.compile(r"\n{3,}")


def clean(text: str) -> str:
    """Return the stored form of ``text``: what the author wrote, minus invisible noise.

    Lines are kept (paragraphs matter to readers); spaces and tabs inside a line collapse to
    one space, lines are stripped, and more than one blank line in a row becomes one.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_INVISIBLE_TABLE)
    text = _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


# Whitespace (``str.isspace``: what ``\s`` and ``strip`` take) but space and newline, as a
# regex class; a test checks it against every code point (too slow to compute at import).
OTHER_SPACES_CLASS = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
# What ``clean`` changes, one character at a time: those spaces, the invisible characters and
# the presentation forms.
_UNCLEAN_CHAR = re.compile(
    "[" + OTHER_SPACES_CLASS + re.escape("".join(sorted(INVISIBLE)))
    + "\ufb50-\ufdff\ufe70-\ufefe]"
)


def is_clean(text: str) -> bool:
    """True when ``clean(text) == text``, found ~20x faster than cleaning: extracted article
    text usually is clean already, and ``clean``'s per-character ``translate`` is its cost."""
    if (
        "  " in text or " \n" in text or "\n " in text or "\n\n\n" in text
        or text[:1].isspace() or text[-1:].isspace()
    ):
        return False
    # Text on the stored charmap (``fold_bytes``, remembered: ingest folds the same text next)
    # can hold only a few of the characters clean changes: a search for each is a memchr,
    # where the regex costs ~80 instructions a character.
    if fold_bytes(text) is not None:
        return not any(char in text for char in _UNCLEAN_ON_MAP)
    return _UNCLEAN_CHAR.search(text) is None


# --- match form --------------------------------------------------------------------------

# Dropped: harakat and tanween (U+064B–U+065F), dagger alef (U+0670), Quranic annotation
# marks (U+0610–U+061A, U+06D6–U+06ED) and tatweel (U+0640).
DROPPED = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
)

_DROPPED_RUN = re.compile("[" + "".join(sorted(DROPPED)) + "]+")

# Folded: each key becomes its value (one character to one character).
FOLDED: dict[str, str] = {
    "أ": "ا",  # alef with hamza above
    "إ": "ا",  # alef with hamza below
    "آ": "ا",  # alef with madda
    "ٱ": "ا",  # alef wasla
    "ى": "ي",  # alef maqsura
    "ة": "ه",  # teh marbuta
    "ؤ": "و",  # waw with hamza
    "ئ": "ي",  # yeh with hamza
    "ک": "ك",  # Persian keheh
    "ی": "ي",  # Persian/Farsi yeh
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits ٠-٩
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits ۰-۹
}


def _fold_char(ch: str) -> str:
    """The match form of one character: '' when dropped, else exactly one character."""
    if ch in DROPPED:
        return ""
    folded = FOLDED.get(ch)
    if folded is not None:
        return folded
    lower = ch.lower()
    return lower if len(lower) == 1 else ch  # 'İ'.lower() is two characters: keep as is


class _FoldTable(dict):
    """A ``str.translate`` table of ``_fold_char``, filled in as characters are met."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


# A fast way for the usual text (Arabic letters, ASCII, common punctuation), which is all but
# a few per cent of news: str.translate looks every character up in a dict (and makes an int
# object for it), while one str.replace per folded letter scans the text at memchr speed.
# Characters outside that set take the table; the few in it that fold otherwise (A-Z, Arabic
# digits, diacritics) are folded run by run. (A negated class is the regex engine's fastest
# scan, so each test is "any character outside the set?".)
_USUAL_CHARS = [
    chr(c)
    for span in (range(0xC0), range(0x600, 0x700), range(0x2010, 0x2028), range(0x2030, 0x205F))
    for c in span
]
_ODD_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "".join(c for c in FOLDED if FOLDED[c].isdigit())
) | DROPPED


def _char_class(chars: list[str]) -> str:
    """The inside of a regex character class holding exactly ``chars`` (sorted), as ranges."""
    out, codes = [], sorted(ord(c) for c in chars)
    first = last = codes[0]
    for code in [*codes[1:], -1]:
        if code == last + 1:
            last = code
            continue
        out.append(re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else ""))
        first = last = code
    return "".join(out)


_UNUSUAL = re.compile("[^" + _char_class(_USUAL_CHARS) + "]")
_UNPLAIN = re.compile("[^" + _char_class([c for c in _USUAL_CHARS if c not in _ODD_CHARS]) + "]")
_ODD = re.compile("[" + _char_class(sorted(_ODD_CHARS)) + "]+")
_REPLACED = tuple(
    (c, out) for c, out in FOLDED.items() if not out.isdigit() and "\u0600" <= c <= "\u06ff"
)


def _fold_run(match: re.Match) -> str:
    return match.group().translate(_FOLD_TABLE)


def _fold_letters(text: str) -> str:
    for letter, folded in _REPLACED:
        text = text.replace(letter, folded)
    return text


# Faster still, for text written only with the 256 characters below (nearly all Arabic news;
# index 0 must be NUL for the codec's fast map): a charmap codec writes the text as bytes, a
# table lookup per character in C, and one ``bytes.translate`` folds and drops every
# character at once. The regex scans and replaces above cost several times as much per
# character (measured with callgrind). Text with any other character takes the paths above.
def _stored_charmap() -> str:
    wanted = [
        "\x00\t\n",
        *map(chr, range(0x20, 0x7F)),  # ASCII
        *map(chr, range(0xA0, 0xC0)),  # Latin-1 punctuation and signs
        "\u060c\u061b\u061f\u066a\u066b\u066c\u066d",  # Arabic punctuation and separators
        *map(chr, range(0x621, 0x660)),  # letters, tatweel, harakat
        *map(chr, range(0x660, 0x66A)),  # Arabic-Indic digits
        "\u0670\u0671",  # dagger alef, alef wasla
        # Persian and Urdu letters, the Urdu full stop
        "\u067e\u0686\u0698\u06a4\u06a9\u06af\u06be\u06c1\u06cc\u06d2\u06d4",
        *map(chr, range(0x2010, 0x2027)), "\u2030\u2032\u2033\u2039\u203a\u20ac",
    ]
    chars = "".join(wanted)
    # A character whose match form is not on the map stays off it (the regex paths fold it).
    return "".join(c for c in chars if _fold_char(c) == "" or _fold_char(c) in chars)


_STORED_CHARS = _stored_charmap()
STORED_CHARS = _STORED_CHARS  # the characters ``fold_bytes`` writes, by byte value
# Those that ``clean`` changes (tab, no-break space, soft hyphen): see ``is_clean``.
_UNCLEAN_ON_MAP = tuple(c for c in _STORED_CHARS if _UNCLEAN_CHAR.match(c))
_STORED_MAP = codecs.charmap_build(_STORED_CHARS)
_FOLD_BYTES = bytes(
    _STORED_CHARS.index(_fold_char(c)) if _fold_char(c) else 0 for c in _STORED_CHARS
).ljust(256, b"\x00")  # bytes past the map never occur
_DROPPED_BYTES = bytes(i for i, c in enumerate(_STORED_CHARS) if not _fold_char(c))


# The encoded stored text marked: 1 for a dropped character, 0 for a kept one. Runs of
# dropped characters are then found with ``bytes.find`` (memchr): a bytes regex over the
# class of dropped characters cost ~175 instructions a character (callgrind), and a field
# with any dropped character has only a few runs of them.
_DROP_MARKS = bytes(0 if i >= len(_STORED_CHARS) or _fold_char(c) else 1
                    for i, c in enumerate(_STORED_CHARS.ljust(256, "\x00")))


def _dropped_runs(encoded: bytes) -> Iterator[tuple[int, int]]:
    """The maximal runs ``[start, end)`` of dropped characters in ``encoded`` (as
    ``fold_bytes`` writes the stored text), in order."""
    marks = encoded.translate(_DROP_MARKS)
    start = marks.find(1)
    while start >= 0:
        end = marks.find(0, start)
        if end < 0:
            yield start, len(marks)
            return
        yield start, end
        start = marks.find(1, end)


def _fold_on_map(stored: str) -> tuple[str, bool] | None:
    """The match form of ``stored`` and whether characters were dropped; None for text with a
    character off the map."""
    folded = _folded_text(stored)
    if folded is None:
        return None
    return folded[1], folded[0][0] is not None


# One article's title and text are folded by several stages in turn (the record's id, the
# entity extractor's match form, the index fields): the last few texts' folds are remembered,
# keyed by the text (a str caches its hash, so a hit costs no pass over it). Pure functions
# of their argument; texts above MEMO_CHARS are not kept (bounded memory).
T = TypeVar("T")
MEMO_TEXTS = 8
MEMO_CHARS = 1 << 20


def _remembered(function: Callable[[str], T]) -> Callable[[str], T]:
    """``function`` with its last :data:`MEMO_TEXTS` texts' results kept (not above
    :data:`MEMO_CHARS` characters)."""
    memo = lru_cache(maxsize=MEMO_TEXTS)(function)

    @wraps(function)
    def call(stored: str) -> T:
        return function(stored) if len(stored) > MEMO_CHARS else memo(stored)

    call.cache_info, call.cache_clear = memo.cache_info, memo.cache_clear  # as lru_cache's
    return call


@_remembered
def fold_bytes(stored: str) -> tuple[bytes | None, bytes] | None:
    """``stored`` written with ``STORED_CHARS`` (one byte a character; None when nothing is
    dropped) and its match form so written, or None for text with a character off the map.
    The tokenizer reads words off the folded bytes without encoding the match form again."""
    try:
        encoded = codecs.charmap_encode(stored, "strict", _STORED_MAP)[0]
    except UnicodeEncodeError:
        return None
    folded = encoded.translate(_FOLD_BYTES, _DROPPED_BYTES)
    return (encoded if len(folded) < len(encoded) else None), folded


@_remembered
def _folded_text(stored: str) -> tuple[tuple[bytes | None, bytes], str] | None:
    """``fold_bytes(stored)`` and the match form it writes, decoded; None off the map."""
    on_map = fold_bytes(stored)
    if on_map is None:
        return None
    return on_map, codecs.charmap_decode(on_map[1], "strict", _STORED_CHARS)[0]


def fold(stored: str) -> str:
    """``match_form(stored).text`` without the offset map: several times faster, for indexing."""
    on_map = _fold_on_map(stored)
    if on_map is not None:
        return on_map[0]
    if _UNPLAIN.search(stored) is None:
        return _fold_letters(stored)
    if _UNUSUAL.search(stored) is None:
        return _fold_letters(_ODD.sub(_fold_run, stored))
    return stored.translate(_FOLD_TABLE)


@dataclass(frozen=True)
class MatchText:
    """The match form of a stored text, with the way back.

    ``offsets[i]`` is the index in the stored text of match character ``i``; one extra entry at
    the end holds ``len(stored)``, so a half-open match span ``[a, b)`` maps back with
    ``span_in_source(a, b)``.
    """

    text: str
    offsets: Sequence[int]  # a range when nothing was dropped, else a SourceOffsets

    def span_in_source(self, start: int, end: int) -> tuple[int, int]:
        """Map the match-form span ``[start, end)`` onto the stored text.

        The end lands just before the next kept character, so diacritics written on the last
        letter of a match belong to it.
        """
        return self.offsets[start], self.offsets[max(start, end)]


def match_form(stored: str) -> MatchText:
    """Return the match form of ``stored`` with its offset map back to ``stored``."""
    return match_form_folded(stored)[0]


def match_form_folded(stored: str) -> tuple[MatchText, bytes | None]:
    """``match_form(stored)`` and, for text on the charmap, the match form as ``fold_bytes``
    writes it (for ``matcher.tokenize_folded``); None otherwise."""
    on_map = _folded_text(stored)
    if on_map is not None:
        (encoded, folded), text = on_map
        if encoded is None:  # most text: offsets the identity
            return MatchText(text, range(len(stored) + 1)), folded
        return MatchText(text, SourceOffsets(_dropped_runs(encoded), len(stored))), folded
    if _UNPLAIN.search(stored) is None:
        return MatchText(_fold_letters(stored), range(len(stored) + 1)), None
    text = fold(stored)
    if len(text) == len(stored):  # folding keeps length; only drops shift
        return MatchText(text, range(len(stored) + 1)), None
    runs = ((m.start(), m.end()) for m in _DROPPED_RUN.finditer(stored))
    return MatchText(text, SourceOffsets(runs, len(stored))), None


class SourceOffsets(Sequence[int]):
    """``MatchText.offsets`` of a text with characters dropped: ``offsets[k]`` is ``k`` plus
    the characters dropped before match character ``k``, found by bisection over the runs of
    dropped characters. A table of one int per character cost more than the rest of the
    match form, and an article asks for a few dozen offsets (its mentions)."""

    __slots__ = ("_keys", "_shifts", "_len", "_stored_keys")

    def __init__(self, runs: Iterable[tuple[int, int]], stored_length: int):
        # keys[j]: the match index from which shifts[j] characters have been dropped before.
        keys, shifts = [0], [0]
        dropped = 0
        for start, end in runs:  # maximal runs: a kept character between two
            dropped += end - start
            key = end - dropped
            if key == keys[-1]:  # a run at the very start
                shifts[-1] = dropped
            else:
                keys.append(key)
                shifts.append(dropped)
        self._keys, self._shifts = keys, shifts
        self._len = stored_length - dropped + 1
        self._stored_keys: list[int] | None = None  # see match_index: made when first asked

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("offset index out of range")
        return index + self._shifts[bisect_right(self._keys, index) - 1]

    def __iter__(self) -> Iterator[int]:
        return map(self.__getitem__, range(self._len))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """``(self[start], self[max(start, end)])`` for indices in range, in one call: the
        extractor asks it once a mention (``MatchText.span_in_source``)."""
        keys, shifts = self._keys, self._shifts
        if end < start:  # not max(): a call with an argument tuple, ~700 instructions
            end = start
        return (start + shifts[bisect_right(keys, start) - 1],
                end + shifts[bisect_right(keys, end) - 1])

    def match_index(self, stored_index: int) -> int:
        """The match index of the kept character at ``stored_index`` of the stored text, the
        inverse of ``self[k]``: run ``j`` keeps the stored characters from ``keys[j] +
        shifts[j]`` on, shifted by ``shifts[j]``."""
        stored_keys = self._stored_keys
        if stored_keys is None:
            pairs = zip(self._keys, self._shifts, strict=True)
            stored_keys = self._stored_keys = [key + shift for key, shift in pairs]
        return stored_index - self._shifts[bisect_right(stored_keys, stored_index) - 1]

    def runs(self) -> tuple[list[int], list[int]]:
        """``(keys, shifts)``: ``self[k]`` is ``k + shifts[bisect_right(keys, k) - 1]``, for
        callers that map many offsets inline (the extractor, a mention at a time)."""
        return self._keys, self._shifts

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"SourceOffsets({list(self)!r})"


def normalize(text: str) -> str:
    """The match form of any text (a query, a gazetteer name), after cleaning it."""
    # Checking is several times cheaper than cleaning, and names are usually clean.
    return fold(text if is_clean(text) else clean(text))


class MatchForms(frozenset):
    """Words already in the match form (``match_forms`` made them): not normalized again."""

    __slots__ = ()


def match_forms(words: Iterable[str]) -> MatchForms:
    """The match form of each word, as a set; a ``MatchForms`` as it is (a list unpickled
    with a compiled gazetteer: normalizing 30,000 words again cost a load ~0.2 s)."""
    if isinstance(words, MatchForms):
        return words
    return MatchForms(normalize(w) for w in words)


class TokenWords(dict):
    """``text`` → the words ``words_of`` gives for each whitespace-separated token, space-joined,
    with each distinct token's words remembered.

    Valid for a ``words_of`` that works inside tokens (folding and normalizing never join two
    tokens). News vocabulary is Zipfian, so almost every token is a hit and a text costs one
    ``map`` over a dict in C instead of folding every character again. Bounded: past
    ``limit`` distinct tokens a new one is computed each time, so an odd archive cannot grow it
    without end.
    """

    def __init__(self, words_of: Callable[[str], str], limit: int = 500_000):
        super().__init__()
        self._words_of = words_of
        self._limit = limit

    def __missing__(self, token: str) -> str:
        words = self._words_of(token)
        if len(self) < self._limit:
            self[token] = words
        return words

    def __call__(self, text: str) -> str:
        return " ".join(filter(None, map(self.__getitem__, text.split())))
