"""The first pass's fast paths (every word new to the caches) agree with the plain ones:
``stems`` without a generator, ``NameTable._remember`` settling most words in C, and an
unpickled table deriving second words and prefixes per first word when it is met."""

from __future__ import annotations

import pickle
import random
from itertools import product

from newsarchive.arabic.clitics import (
    ARTICLE,
    CLITIC_FIRSTS,
    CONJUNCTIONS,
    MIN_STEM,
    PREPOSITIONS,
    Stem,
    may_read_as,
    stems,
    written_forms,
)
from newsarchive.entities.matcher import NameTable, name_prefixes, tokenize


def _plain_stems(word: str) -> list[tuple[str, int]]:
    """``stems`` as first written: a generator over every clitic split."""
    found, seen = [(word, 0)], {word}
    for conj_len in (0, 1):
        if conj_len and not word.startswith(CONJUNCTIONS):
            continue
        rest = word[conj_len:]
        candidates = [(rest, conj_len)]
        if rest.startswith(PREPOSITIONS):
            candidates.append((rest[1:], conj_len + 1))
        if rest.startswith("لل"):
            candidates.append((ARTICLE + rest[2:], conj_len))
        for text, skip in candidates:
            if len(text) >= MIN_STEM and text not in seen:
                seen.add(text)
                found.append((text, skip))
    return found


def test_stems_and_written_forms_are_the_plain_definitions():
    words = ["".join(p) for n in range(1, 6) for p in product("وفبلكاع", repeat=n)]
    for word in words:
        assert [(s.text, s.skip) for s in stems(word)] == _plain_stems(word), word
    for word in words:  # and written_forms as first written
        forms = {word}
        if len(word) >= MIN_STEM:
            bases = [word, *(p + word for p in PREPOSITIONS)]
            if word.startswith(ARTICLE):
                bases.append("لل" + word[len(ARTICLE) :])
            forms.update(bases, (c + base for c in CONJUNCTIONS for base in bases))
        assert written_forms(word) == forms, word
    stem = stems("وبالعراق")[2]
    assert isinstance(stem, Stem) and (stem.text, stem.skip) == ("العراق", 2)


def test_may_read_as_holds_every_word_with_a_clitic_reading_of_interest():
    words = {"".join(p) for n in range(6) for p in product("وفبلكاع", repeat=n)}
    tails = sorted({s.text for w in words for s in stems(w)[1:]})
    rng = random.Random(7)
    for size in (0, 1, 5, 50, len(tails)):
        interest = dict.fromkeys(rng.sample(tails, size))
        found = may_read_as(words, interest)
        exact = {w for w in words if any(s.text in interest for s in stems(w)[1:])}
        assert exact <= found <= words, size
        # A superset only by the words written with "لل" and the tails of interest.
        assert all(w[:1] in CLITIC_FIRSTS for w in found)
        elided = {w for w in words if w.startswith(("لل", "ولل", "فلل"))}
        assert all(w[1:] in interest or w[2:] in interest for w in found - elided - exact)
    assert may_read_as(words, {}) == {w for w in words if w.startswith(("لل", "ولل", "فلل"))}
    for word in words:  # each reading alone of interest
        for stem in stems(word)[1:]:
            assert word in may_read_as({word, stem.text}, {stem.text: 0}), (word, stem.text)


# First words with and without clitic letters, "ال", and "لل"-elided readings.
FIRSTS = ["العراق", "بغداد", "كريم", "لبنان", "وليد", "فهد", "عبد", "الامم", "مجلس", "باب"]
OTHERS = ["المتحده", "الامن", "الدولي", "الله", "الرحمن", "الاسد", "جديد", "الكبير", "بن"]


def _names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names = []
    for i in range(count):
        words = [rng.choice(FIRSTS)] + rng.sample(OTHERS, rng.randint(0, 3))
        names.append((" ".join(words), f"x:{i}"))
    return names


def _vocabulary() -> list[str]:
    """Every first word and other word as written with every clitic combination."""
    bases = FIRSTS + OTHERS + ["قال", "في", "من", "لل", "و", "ال"]
    forms = set(bases)
    for base in bases:
        with_prep = [p + base for p in PREPOSITIONS]
        if base.startswith(ARTICLE):
            with_prep.append("لل" + base[2:])
        forms.update(with_prep)
        forms.update(c + w for c in CONJUNCTIONS for w in [base, *with_prep])
    return sorted(forms)


def _plain_facts(table: NameTable, word: str) -> tuple:
    """What ``NameTable._read`` says of a word, by its definition (a table built by ``add``,
    everything derived)."""
    readings = tuple(s for s in stems(word) if s.text in table._longest)
    if not readings:
        return (0, (), None, frozenset())
    names = table._table
    alone = next(((names[(s.text,)], s.skip, (s.text,)) for s in readings if (s.text,) in names),
                 None)
    follows = set().union(*(table._seconds.get(s.text, ()) for s in readings))
    return max(table._longest[s.text] for s in readings), readings, alone, follows


def test_remembered_facts_are_what_read_says_of_each_word():
    table = NameTable(_names(random.Random(3), 60))
    copy = pickle.loads(pickle.dumps(table))
    words = _vocabulary()
    copy._remember(set(words))  # most words settled without a _read call
    plain = pickle.loads(pickle.dumps(table))
    assert copy._seen == set(words)  # every word settled; facts kept only where there are some
    for word in words:
        facts = copy._readings.get(word, (0, (), None, frozenset()))
        assert facts == plain._read(word), word
        # Negated "most": prefixes not derived yet (an unpickled table), read on as built.
        assert (abs(facts[0]), *facts[1:]) == table._read(word) == _plain_facts(table, word), word
    assert copy._starts == {w for w in words if plain._read(w)[1]}


def test_a_loaded_table_derives_what_a_built_one_holds():
    table = NameTable(_names(random.Random(5), 80))
    one = pickle.loads(pickle.dumps(table))
    one._remember({"وبغداد", "قال"})
    assert one._derived == {"بغداد"}  # only the first words met
    copy = pickle.loads(pickle.dumps(table))
    copy._remember(set(_vocabulary()))
    derived = copy._derived
    assert derived == set(table._longest)
    assert {w: s for w, s in table._seconds.items() if w in derived} == copy._seconds
    # Prefixes wait until a name may be read on from the first word (``_longest_at``).
    assert copy._unprefixed == {w for w in derived if table._longest[w] > 2}
    for first in list(copy._unprefixed):
        copy._derive_prefixes(first)
    assert {p for p in table._prefixes if p[0] in derived} == copy._prefixes


def test_a_loaded_table_finds_what_a_fresh_one_does_with_names_added_any_time():
    rng = random.Random(11)
    words = _vocabulary()
    for _ in range(30):
        names = _names(rng, rng.randint(1, 40))
        later = _names(rng, rng.randint(0, 6))
        fresh = NameTable(names + later)
        copy = pickle.loads(pickle.dumps(NameTable(names)))
        said = [name for name, _ in names + later]  # names written out, among other words
        texts = [
            " ".join(rng.choice((rng.choice(said), rng.choice(words))) for _ in range(8))
            for _ in range(6)
        ]
        cut = rng.randint(0, len(texts))  # names added after some searches, or before any
        for i, text in enumerate(texts):
            if i == cut:
                for name, key in later:
                    copy.add(name, key)
            if i >= cut:
                assert copy.find(text, tokenize(text)) == fresh.find(text, tokenize(text))
            else:
                copy.find(text, tokenize(text))


def test_name_prefixes_are_the_first_words_of_every_longer_name():
    rng = random.Random(3)
    names = [tuple(rng.choice("ابجدهو") for _ in range(rng.randint(1, 6))) for _ in range(300)]
    plain = {name[:k] for name in names if len(name) > 2 for k in range(2, len(name))}
    assert name_prefixes(names) == plain
    assert name_prefixes([("ا", "ب")]) == set()
