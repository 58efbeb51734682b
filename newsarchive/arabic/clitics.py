"""Arabic proclitics: the conjunctions و ف, the prepositions ب ل ك, and لل (ل + ال).

All functions work on the match form (see ``normalize``). A name written with clitics in
front ("والعراق", "بالعراق", "للعراق") must be found as the name; a longer word that merely
starts with the name ("العراقية") must not, so only prefixes are removed, never suffixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
MIN_STEM = 3  # "و" + a two-letter stem is far more often a word of its own than a clitic

# A word of the match form: letters and digits (the match form has no diacritics left).
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Stem:
    """A reading of a word with its clitics removed.

    ``skip`` is how many characters of the word the clitics take; ``text`` is the stem as it
    would be written alone. They differ for لل: "للعراق" reads as "العراق" with ``skip`` 0,
    since the article's alef was dropped in writing and there is no clean split.
    """

    text: str
    skip: int


@lru_cache(maxsize=1 << 17)
def stems(word: str) -> tuple[Stem, ...]:
    """Every reading of ``word`` as clitics + stem, the word itself first.

    "وبالعراق" gives وبالعراق, بالعراق, العراق; "للعراق" gives للعراق, لعراق (ل + stem)
    and العراق (ل + ال with the alef elided). Cached: the matcher asks for every word of
    every article, and news vocabulary repeats.
    """
    return tuple(_readings(word))


def _readings(word: str) -> Iterator[Stem]:
    yield Stem(word, 0)
    seen = {word}
    for conj_len in (0, 1):
        if conj_len and not word.startswith(CONJUNCTIONS):
            continue
        rest = word[conj_len:]
        candidates = [Stem(rest, conj_len)]
        if rest.startswith(PREPOSITIONS):
            candidates.append(Stem(rest[1:], conj_len + 1))
        if rest.startswith("لل"):
            # The span keeps the whole "لل": neither ل alone is the article's.
            candidates.append(Stem(ARTICLE + rest[2:], conj_len))
        for stem in candidates:
            if len(stem.text) >= MIN_STEM and stem.text not in seen:
                seen.add(stem.text)
                yield stem


@lru_cache(maxsize=1 << 16)
def written_forms(stem: str) -> frozenset[str]:
    """Every word that ``stems`` reads as ``stem`` (and the odd one it does not).

    The inverse of ``stems`` for screening: a matcher with a few names intersects an article's
    words with their written forms instead of asking ``stems`` about every word. Cached: the
    extractor screens each article for the surnames named in it, and names recur.
    """
    forms = {stem}
    if len(stem) >= MIN_STEM:
        bases = [stem, *(p + stem for p in PREPOSITIONS)]
        if stem.startswith(ARTICLE):
            bases.append("لل" + stem[len(ARTICLE) :])
        forms.update(bases)
        forms.update(c + base for c in CONJUNCTIONS for base in bases)
    return frozenset(forms)


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
