"""Arabic proclitics: the conjunctions و ف, the prepositions ب ل ك, and لل (ل + ال).

All functions work on the match form (see ``normalize``). A name written with clitics in
front ("والعراق", "بالعراق", "للعراق") must be found as the name; a longer word that merely
starts with the name ("العراقية") must not, so only prefixes are removed, never suffixes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import add

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
# The same as sets of letters: ``word[0] in`` a set is a fifth of ``word.startswith`` with a
# tuple (a method with optional arguments, parsed from an argument tuple each call).
_CLITIC_LETTERS = frozenset(CLITIC_FIRSTS)
_CONJUNCTION_LETTERS = frozenset(CONJUNCTIONS)
_PREPOSITION_LETTERS = frozenset(PREPOSITIONS)


@lru_cache(maxsize=1 << 17)
def stems(word: str) -> tuple[Stem, ...]:
    """Every reading of ``word`` as clitics + stem, the word itself first.

    "وبالعراق" gives وبالعراق, بالعراق, العراق; "للعراق" gives للعراق, لعراق (ل + stem)
    and العراق (ل + ال with the alef elided). Cached: the matcher asks for every word of
    every article, and news vocabulary repeats.
    """
    if word[:1] not in _CLITIC_LETTERS:  # most words: no clitic to read off ("" neither)
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
    if word[0] in _CONJUNCTION_LETTERS:
        rest, skip = word[1:], 1
        if len(rest) >= MIN_STEM:
            found.append(_stem(rest, 1))
    # A shorter rest gives no reading past a preposition, and so none is asked for it.
    if len(rest) >= MIN_STEM and rest[0] in _PREPOSITION_LETTERS:
        if len(rest) > MIN_STEM:
            found.append(_stem(rest[1:], skip + 1))
        if rest[0] == rest[1] == "ل":
            # The span keeps the whole "لل": neither ل alone is the article's.
            found.append(_stem(ARTICLE + rest[2:], skip))
    return tuple(found)


def short_stems(word: str) -> tuple[Stem, ...]:
    """The readings ``stems`` leaves out of ``word``: clitics before a stem of two letters
    ("وتل" → تل, "وبتل" → تل). Alone such a word is mostly a word of its own ("ولا", "بكر");
    the name table reads them only as the first word of a longer name ("وتل أبيب"), where the
    words after it say whether the reading holds."""
    size = len(word)
    if size == MIN_STEM and word[0] in _CLITIC_LETTERS:
        return (_stem(word[1:], 1),)
    if size == MIN_STEM + 1 and word[0] in _CONJUNCTION_LETTERS and (
        word[1] in _PREPOSITION_LETTERS
    ):
        return (_stem(word[2:], 2),)
    return ()


# Over new words joined by line ends (no word of the match form holds one), each after a
# line end: the word less a clitic letter in front; less a conjunction and a preposition; a
# word written with "لل" (after a conjunction or not), read as "ال" + the rest.
_CONJ, _PREP = "".join(CONJUNCTIONS), "".join(PREPOSITIONS)
_LESS_ONE = re.compile(f"\n[{_CONJ}{_PREP}]([^\n]*)")
_LESS_TWO = re.compile(f"\n[{_CONJ}][{_PREP}]([^\n]*)")
_ELIDED = re.compile(f"\n([{_CONJ}]?لل[^\n]*)")


def may_read_as(words: Set[str], stems_of_interest: Mapping[str, object]) -> set[str]:
    """The words of ``words`` (of the match form) one of whose ``stems`` past the first (the
    word itself) may be a key of ``stems_of_interest``: a superset. A reading is the word less
    one or two clitic letters, or "ال" + the rest after "لل", so a word none of whose one- or
    two-letter tails is of interest, and not written with "لل", has none.

    The matcher asks it of every new word of a text, and most begin with no clitic letter:
    three regex scans of the words joined find the tails of those that do (a scan leaves a
    word at its first letter, in C), the tails of interest are found by one set
    intersection each, and only their words are written out again. (``map`` steps a word
    for its first letter, its tails and their look-ups cost a third more: callgrind.)"""
    text = "\n" + "\n".join(words)
    keys = stems_of_interest.keys()
    found = set(_ELIDED.findall(text))
    tails = keys & _LESS_ONE.findall(text)
    if tails:
        found.update([clitic + tail for tail in tails for clitic in CLITIC_FIRSTS])
    tails = keys & _LESS_TWO.findall(text)
    if tails:
        found.update([
            conj + prep + tail for tail in tails for conj in CONJUNCTIONS for prep in PREPOSITIONS
        ])
    return found.intersection(words)


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
