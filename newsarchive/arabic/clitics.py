"""Arabic proclitics: the conjunctions و ف, the prepositions ب ل ك, and لل (ل + ال).

All functions work on the match form (see ``normalize``). A name written with clitics in
front ("والعراق", "بالعراق", "للعراق") must be found as the name; a longer word that merely
starts with the name ("العراقية") must not, so only prefixes are removed, never suffixes.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import add, itemgetter, or_

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
MIN_STEM = 3  # "و" + a two-letter stem is far more often a word of its own than a clitic

# A word of the match form: letters and digits (the match form has no diacritics left).
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Stem:
    """A reading of a word with its clitics removed.

    ``skip`` is how many characters of the word the clitics take; ``text`` is the stem as it
    would be written alone. They differ for لل: "للعراق" reads as "العراق" with ``skip`` 0,
    since the article's alef was dropped in writing and there is no clean split.

    With slots: the rules read ``text`` and ``skip`` of every reading they ask for (a named
    tuple's fields read ~35 % slower, ``timeit``). Made by ``_stem``.
    """

    text: str
    skip: int


# A Stem made without the frozen dataclass's ``__init__`` (a Python call setting each field
# through ``object.__setattr__``, twice the time): its slots set directly. A first pass over
# news text reads ~28,000 new words.
_new_object = object.__new__
_SET_TEXT, _SET_SKIP = Stem.text.__set__, Stem.skip.__set__  # type: ignore[attr-defined]


def _stem(text: str, skip: int) -> Stem:
    stem = _new_object(Stem)
    _SET_TEXT(stem, text)
    _SET_SKIP(stem, skip)
    return stem


# The first letters of a word that may carry a proclitic: any other word reads only as itself.
CLITIC_FIRSTS = (*CONJUNCTIONS, *PREPOSITIONS)


@lru_cache(maxsize=1 << 17)
def stems(word: str) -> tuple[Stem, ...]:
    """Every reading of ``word`` as clitics + stem, the word itself first.

    "وبالعراق" gives وبالعراق, بالعراق, العراق; "للعراق" gives للعراق, لعراق (ل + stem)
    and العراق (ل + ال with the alef elided). Cached: the matcher asks for every word of
    every article, and news vocabulary repeats.
    """
    if not word.startswith(CLITIC_FIRSTS):  # most words: no clitic to read off
        stem = _new_object(Stem)
        _SET_TEXT(stem, word)
        _SET_SKIP(stem, 0)
        return (stem,)
    return _readings(word)


def _readings(word: str) -> tuple[Stem, ...]:
    """``stems`` of a word that begins with a clitic letter, without a loop over the splits:
    it runs once for every such new word of a first pass. A conjunction and a preposition
    are different letters, so a word begins with one or the other, and no two readings can
    be the same text (the ones "لل" makes begin with "ا"; the others differ in length)."""
    found = [_stem(word, 0)]
    rest, skip = word, 0
    if word.startswith(CONJUNCTIONS):
        rest, skip = word[1:], 1
        if len(rest) >= MIN_STEM:
            found.append(_stem(rest, 1))
    if rest.startswith(PREPOSITIONS):
        if len(rest) > MIN_STEM:
            found.append(_stem(rest[1:], skip + 1))
        if rest.startswith("لل") and len(rest) >= MIN_STEM:
            # The span keeps the whole "لل": neither ل alone is the article's.
            found.append(_stem(ARTICLE + rest[2:], skip))
    return tuple(found)


_DROP_ONE, _DROP_TWO = itemgetter(slice(1, None)), itemgetter(slice(2, None))
_ELIDED = ("لل", "ولل", "فلل")  # read as "ال" + the rest (``_readings``)


def may_read_as(words: Iterable[str], stems_of_interest: Container[str]) -> set[str]:
    """The words of ``words`` behind a clitic letter one of whose ``stems`` past the first
    (the word itself) may be in ``stems_of_interest``: a superset, in C steps. A reading is
    the word less one or two letters, or "ال" + the rest after "لل", so a word none of whose
    one- or two-letter tails is of interest, and that is not written with "لل", has none.
    (The matcher asks it of every new word of a text: a ``stems`` call each was most of what
    a new word cost.)"""
    has = stems_of_interest.__contains__
    listed = list(words)
    clitic = list(compress(listed, map(str.startswith, listed, repeat(CLITIC_FIRSTS))))
    may = map(or_, map(has, map(_DROP_ONE, clitic)), map(has, map(_DROP_TWO, clitic)))
    elided = map(str.startswith, clitic, repeat(_ELIDED))
    return set(compress(clitic, map(or_, may, elided)))


@lru_cache(maxsize=1 << 16)
def written_forms(stem: str) -> frozenset[str]:
    """Every word that ``stems`` reads as ``stem`` (and the odd one it does not).

    The inverse of ``stems`` for screening: a matcher with a few names intersects an article's
    words with their written forms instead of asking ``stems`` about every word. Cached: the
    extractor screens each article for the surnames named in it, and names recur.
    """
    if len(stem) < MIN_STEM:
        return frozenset((stem,))
    # One list, no set updated from generators: asked for every new surname of a first pass.
    bases = [stem, *map(add, PREPOSITIONS, repeat(stem))]
    if stem.startswith(ARTICLE):
        bases.append("لل" + stem[len(ARTICLE) :])
    return frozenset([*bases, *[c + base for c in CONJUNCTIONS for base in bases]])


def prefixed_forms(word: str) -> list[str]:
    """Every way ``word`` can be written with proclitics: the inverse of ``stems``.

    Used by search to find "بالعراق" for a query "العراق" without stemming the index.
    """
    bases = [word]
    if word.startswith(ARTICLE) and len(word) > len(ARTICLE):
        with_prep = [p + word for p in ("ب", "ك")] + ["لل" + word[2:]]
    else:
        with_prep = [p + word for p in PREPOSITIONS]
    bases += with_prep
    return bases + [c + b for c in CONJUNCTIONS for b in bases]
