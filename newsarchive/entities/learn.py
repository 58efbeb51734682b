"""Learn name lists from annotated sentences, with counts, so a word that is usually not an
entity stays out.

Used by cross-validation (``benchmarks/ner_anercorp.py``) on the training folds only, and by
``scripts/build_learnt_lists.py``, which learns the lists shipped in ``data/learnt`` from the
whole ANERcorp train file (``learn_lists``, ``write_lists``; ``read_lists`` reads them back).

* ``learn_names``: every annotated entity's words become a name of its majority type, kept when
  the matcher, run over the same sentences, finds that name mostly where the annotation has
  exactly that entity (precision ≥ ``min_precision``). "مكة" tagged LOC ten times and written
  in "ساعة مكة" as no entity twice is kept; "الجزيرة" as ORG 5 times and as no entity 30 is not.
* ``learn_stoplist``: names an extractor finds that are mostly not the annotated entity there.
* ``learn_name_words``: first names (first word of a person) and later name words, with counts.
* ``learn_name_shape``: how much a word's letters look like a person's name (``NameShape``).
"""

from __future__ import annotations

import gzip
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import repeat
from pathlib import Path
from typing import Any

from ..arabic.clitics import stems
from ..arabic.normalize import MatchForms, match_form, normalize
from .evaluate import Extract, Sentence, entities_of, tag_sentences
from .gazetteer import HEADER, Entry, Gazetteer, load
from .matcher import NameTable, name_key, tokenize
from .rules import load_words, shipped_words


@dataclass(frozen=True)
class _Occurrence:
    sentence: int
    first: int  # token indices in the sentence, inclusive
    last: int


def _token_index(sentence: Sentence) -> tuple[str, list[int]]:
    """The sentence joined by spaces, and the start offset of each corpus token."""
    starts, position = [], 0
    for token in sentence.tokens:
        starts.append(position)
        position += len(token) + 1
    return " ".join(sentence.tokens), starts


def _corpus_span(starts: list[int], tokens: Sequence[str], start: int, end: int) -> tuple[int, int]:
    touched = [i for i, s in enumerate(starts) if s < end and start < s + len(tokens[i])]
    return touched[0], touched[-1]


def _name(sentence: Sentence, first: int, end: int) -> tuple[str, ...]:
    return tuple(w.text for t in sentence.tokens[first:end] for w in tokenize(normalize(t)))


def learn_names(
    sentences: Sequence[Sentence],
    types: Iterable[str] = ("PER", "LOC", "ORG"),
    min_precision: float = 0.5,
    min_count: int = 1,
) -> list[Entry]:
    """Gazetteer entries for the annotated entities that are usually entities where written."""
    wanted = set(types)
    typed: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    gold: set[tuple[int, int, int, str]] = set()
    for index, sentence in enumerate(sentences):
        for e in entities_of(sentence.tags, index):
            if e.type in wanted:
                words = _name(sentence, e.start, e.end)
                if words:
                    typed[words][e.type] += 1
                    gold.add((index, e.start, e.end - 1, e.type))
    typed = _without_conjunctions(typed)
    kinds = {words: counts.most_common(1)[0][0] for words, counts in typed.items()}
    table = NameTable()
    for words in typed:
        table.add(words, " ".join(words))
    hits: Counter = Counter()
    right: Counter = Counter()
    for index, sentence in enumerate(sentences):
        text, starts = _token_index(sentence)
        match = match_form(text)
        for span in table.find(match.text, tokenize(match.text)):
            words = span.words
            start, end = match.span_in_source(span.start, span.end)
            first, last = _corpus_span(starts, sentence.tokens, start, end)
            hits[words] += 1
            if (index, first, last, kinds[words]) in gold:
                right[words] += 1
    entries = []
    for words, kind in kinds.items():
        if hits[words] >= min_count and right[words] >= min_precision * hits[words]:
            name = " ".join(words)
            # A short stable id (the name's digest): a slug of escapes took ~90 bytes a name.
            digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:12]
            entries.append(Entry(f"{kind.lower()}:learnt:{digest}", kind, name))
    return entries


def _without_conjunctions(typed: dict[tuple[str, ...], Counter]) -> dict[tuple[str, ...], Counter]:
    """Names written with "و" or "ف" in front ("وبلير") under the name without it, when the
    name also starts an entity without it ("بلير"). The matcher reads the conjunction itself;
    listed with it, "بوش وبلير" would read as one name. "وليد" stays: "ليد" is no name."""
    firsts = {words[0] for words in typed}
    out: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for words, counts in typed.items():
        head = words[0]
        if head[:1] in ("و", "ف") and len(head) > 3 and head[1:] in firsts:
            words = (head[1:], *words[1:])
        out[words].update(counts)
    return out


def learn_stoplist(
    sentences: Sequence[Sentence],
    extract: Extract,
    max_precision: float = 0.34,
    min_count: int = 2,
) -> set[tuple[str, ...]]:
    """Names ``extract`` finds that are mostly wrong in ``sentences`` (as match-form words)."""
    return _mostly_wrong(
        sentences, extract, lambda sentence, e: _stop_key(_name(sentence, e.start, e.end)),
        max_precision, min_count,
    )


def _stop_key(words: tuple[str, ...]) -> tuple[str, ...]:
    """The name as the extractor checks it against a stoplist: the first word read with all
    its proclitics off (``extract._bare``). "بلاد" is found as the place "لاد" after "ب":
    only the key "لاد" stops that reading."""
    if not words:
        return words
    return (next(reversed([*stems(words[0])])).text, *words[1:])


def _mostly_wrong(
    sentences: Sequence[Sentence],
    extract: Extract,
    key: Callable[[Sentence, Any], Hashable | None],
    max_precision: float,
    min_count: int,
) -> set:
    """The keys of ``extract``'s finds (``key(sentence, entity)``; None: not counted) seen at
    least ``min_count`` times and right at most ``max_precision`` of them in ``sentences``."""
    found, right = _finds(sentences, extract, key)
    return {k for k, n in found.items() if n >= min_count and right[k] <= max_precision * n}


def _finds(
    sentences: Sequence[Sentence], extract: Extract, key: Callable[[Sentence, Any], Hashable | None]
) -> tuple[Counter, Counter]:
    """How often each key of ``extract``'s finds is found in ``sentences``, and found right."""
    predicted = tag_sentences(sentences, extract)
    found: Counter = Counter()
    right: Counter = Counter()
    for index, (sentence, tags) in enumerate(zip(sentences, predicted, strict=True)):
        gold = set(entities_of(sentence.tags, index))
        for e in entities_of(tags, index):
            k = key(sentence, e)
            if k is not None:
                found[k] += 1
                right[k] += e in gold
    return found, right


def _strip_clitics(words: tuple[str, ...]) -> tuple[str, ...]:
    """The name without the proclitics of its first word, as the matcher's spans give it."""
    if not words:
        return words
    first = words[0]
    for prefix in ("وال", "فال", "بال", "كال"):
        if first.startswith(prefix) and len(first) > len(prefix) + 2:
            return ("ال" + first[len(prefix) :], *words[1:])
    if first.startswith("لل") and len(first) > 4:
        return ("ال" + first[2:], *words[1:])
    return words


def learn_name_words(
    sentences: Sequence[Sentence], min_share: float = 0.3, min_count: int = 2
) -> tuple[set[str], set[str]]:
    """(first names, other person-name words) of the annotated persons.

    A word is kept when it is seen in that place at least ``min_count`` times and at least
    ``min_share`` of all its occurrences are there ("محمد" starts a name nearly every time it
    is written; "علي" the preposition is far more often "على" misspelt, and is dropped).
    """
    first: Counter = Counter()
    later: Counter = Counter()
    seen: Counter = Counter()
    for index, sentence in enumerate(sentences):
        for token in sentence.tokens:
            seen.update(_strip_clitics(tuple(_words(token)))[:1])
        for e in entities_of(sentence.tags, index):
            if e.type == "PER":
                words = _strip_clitics(_name(sentence, e.start, e.end))
                if len(words) > 1:
                    first[words[0]] += 1
                    later.update(words[1:])
                else:  # a person named by one word is mostly named by the surname ("بوش")
                    later.update(words)

    def kept(counts: Counter) -> set[str]:
        return {w for w, n in counts.items() if n >= min_count and n >= min_share * seen[w]}

    _fold_conjunctions(first, seen)
    return kept(first), kept(later)


def _fold_conjunctions(first: Counter, seen: Counter) -> None:
    """Count "ومحمد" (a name after "و" in a list of persons) as "محمد" when "محمد" starts
    names too. Listed with its "و", the rule reads "ومحمد" as a whole given name and no
    clitic is seen: the person it starts looks joined to the one before ("يوسف حمدي
    وأحمد حسام" as one name). "وليد" stays: "ليد" starts no name."""
    for word in [w for w in first if w[:1] in ("و", "ف") and len(w) > 3 and w[1:] in first]:
        first[word[1:]] += first.pop(word)
        seen[word[1:]] += seen.pop(word, 0)


def _words(token: str) -> list[str]:
    return [w.text for w in tokenize(normalize(token))]


def learn_common_words(
    sentences: Sequence[Sentence], max_share: float = 0.1, min_count: int = 3
) -> set[str]:
    """Words (as written, clitics and all) seen at least ``min_count`` times and inside an
    entity at most ``max_share`` of the time: "استطاع", "حاليا", "مسؤولية". Such a word does
    not continue a name a rule reads ("أوليفر كرومول استطاع" is أوليفر كرومول), nor start one.
    """
    seen: Counter = Counter()
    inside: Counter = Counter()
    for sentence in sentences:
        for token, tag in zip(sentence.tokens, sentence.tags, strict=True):
            for word in _words(token)[:1]:
                seen[word] += 1
                inside[word] += tag != "O"
    return {w for w, n in seen.items() if n >= min_count and inside[w] <= max_share * n}


def learn_vocabulary(sentences: Sequence[Sentence]) -> set[str]:
    """Every word (as written) seen outside an entity: the words a name is not made of."""
    return {
        w
        for sentence in sentences
        for token, tag in zip(sentence.tokens, sentence.tags, strict=True)
        if tag == "O"
        for w in _words(token)
    }


def learn_word_stoplist(
    sentences: Sequence[Sentence],
    entries: Iterable[Entry],
    max_share: float = 0.2,
    min_count: int = 2,
) -> set[tuple[str, ...]]:
    """One-word names of ``entries`` whose word, in ``sentences``, is seldom of their types.

    A list of places also lists words that are mostly something else where written: "صالح"
    and "أحمد" are persons, "بلاد" a common noun. A word seen at least ``min_count`` times
    and tagged with the entry's type at most ``max_share`` of them is stopped; a word never
    seen keeps its entry.
    """
    seen: Counter = Counter()
    typed: Counter = Counter()
    for sentence in sentences:
        for token, tag in zip(sentence.tokens, sentence.tags, strict=True):
            words = _strip_clitics(tuple(_words(token)))
            if len(words) == 1:
                seen[words[0]] += 1
                typed[(words[0], tag.partition("-")[2])] += 1
    kinds: dict[str, set[str]] = defaultdict(set)  # "العراق" is listed as a place and a body
    for entry in entries:
        words = _words(entry.name)
        if len(words) == 1:
            kinds[words[0]].add(entry.type)
    return {
        (word,)
        for word, types in kinds.items()
        if seen[word] >= min_count
        and sum(typed[(word, kind)] for kind in types) <= max_share * seen[word]
    }


def learn_weak_heads(
    sentences: Sequence[Sentence],
    extract: Extract,
    heads: Iterable[str],
    rule: str = "org-head",
    max_precision: float = 0.34,
    min_count: int = 2,
    confirmed_only: bool = False,
) -> set[str]:
    """Head nouns (of ``heads``, match form) whose names ``rule`` reads are mostly not the
    annotated entity in ``sentences``; with ``confirmed_only``, every head but those whose
    names are right more than ``max_precision`` of the time there (a head the annotation
    never confirms is not used: on ANERcorp the rule was right 3 times in 22).

    Annotation conventions differ: one corpus tags "وزارة الخارجية" as an organization, another
    tags only party and body names ("حزب الاستقلال") and leaves ministries and committees
    alone. A head whose finds are right at most ``max_precision`` of the time is dropped.
    """
    heads = frozenset(heads)

    def only_rule(fields: Sequence[tuple[str, str]]) -> list:
        return [m for m in extract(fields) if m.rule == rule]

    def head_of(sentence: Sentence, e) -> str | None:
        words = _words(sentence.tokens[e.start])[:1]
        return next((s.text for w in words for s in stems(w) if s.text in heads), None)

    if not confirmed_only:
        return _mostly_wrong(sentences, only_rule, head_of, max_precision, min_count)
    found, right = _finds(sentences, only_rule, head_of)
    return {h for h in heads if not (found[h] >= min_count and right[h] > max_precision * found[h])}


def learn_person_cues(
    sentences: Sequence[Sentence], min_share: float = 0.3, min_count: int = 3
) -> set[str]:
    """Words (as written, clitics and all) that come right before the start of a person at
    least ``min_share`` of the ``min_count`` or more times they are seen outside an entity:
    titles and roles ("اللاعب", "الراحل"), nationalities ("البرازيلي"), verbs ("ولد", "اعتبر").
    """
    seen: Counter = Counter()
    before: Counter = Counter()
    for sentence in sentences:
        tags = sentence.tags
        for i, token in enumerate(sentence.tokens[:-1]):
            if tags[i] != "O":
                continue
            for word in _words(token)[-1:]:
                seen[word] += 1
                before[word] += tags[i + 1] == "B-PER"
    return {w for w, n in seen.items() if n >= min_count and before[w] >= min_share * n}


class NameShape:
    """How much a word looks like a person's name rather than another word, from the letters
    it is made of (character 2- to 4-grams, word edges marked): "كانافارو", "ماتيراتزي"
    look like the names annotated as persons, "عزمها", "وصلابته", "قضائيا" like the words
    written outside names. A naive Bayes log-odds over distinct words, learnt by
    ``learn_name_shape``; ``looks_like_name`` is it above ``threshold``.

    Rules ask it only of words no list knows, to keep the unseen-word rules from reading an
    inflected common word (a pronoun suffix, a verb prefix) as a transliterated name.
    """

    def __init__(self, names: Iterable[str], others: Iterable[str], threshold: float = 0.0):
        name_grams, other_grams = Counter(), Counter()
        names, others = set(names), set(others) - set(names)
        for word in names:
            name_grams.update(_grams(word))
        for word in others:
            other_grams.update(_grams(word))
        self._fit(name_grams, other_grams, len(names), len(others), threshold)

    def _fit(  # noqa: PLR0913 - the counts a table keeps
        self, name_grams: Counter, other_grams: Counter, names: int, others: int,
        threshold: float,
    ) -> None:
        self.threshold = threshold
        self._counts = (name_grams, other_grams, names, others)
        self._scores: dict[str, float] = {}  # by word: ``score``
        size = len(name_grams.keys() | other_grams.keys()) or 1
        n_total, o_total = sum(name_grams.values()), sum(other_grams.values())
        self._prior = _log((names or 1) / (others or 1))
        self._odds = {
            g: _log((name_grams[g] + 0.5) / (n_total + 0.5 * size))
            - _log((other_grams[g] + 0.5) / (o_total + 0.5 * size))
            for g in name_grams.keys() | other_grams.keys()
        }
        self._unknown = _log(1 / (n_total + 0.5 * size)) - _log(1 / (o_total + 0.5 * size))

    def __getstate__(self) -> dict:
        # Pickled with a compiled gazetteer: the odds, not the counts (``table``'s) nor the
        # words scored so far.
        return {k: v for k, v in self.__dict__.items() if k not in ("_counts", "_scores")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _scores={})

    def table(self) -> list[str]:
        """The counts it was learnt from as lines, which ``from_table`` reads back into the
        same scores: the threshold, the words counted (names, others), then each gram's
        counts (in names, in others), sorted. (Counts, not odds: a third of the bytes.)"""
        name_grams, other_grams, names, others = self._counts
        head = [f"<threshold>\t{self.threshold!r}", f"<words>\t{names}\t{others}"]
        grams = sorted(name_grams.keys() | other_grams.keys())
        return head + [f"{g}\t{name_grams[g]}\t{other_grams[g]}" for g in grams]

    @classmethod
    def from_table(cls, lines: Iterable[str]) -> NameShape:
        rows = [line.split("\t") for line in lines]
        (_, threshold), (_, names, others), *grams = rows
        shape = cls.__new__(cls)
        shape._fit(
            Counter({g: int(n) for g, n, _ in grams if n != "0"}),
            Counter({g: int(o) for g, _, o in grams if o != "0"}),
            int(names), int(others), float(threshold),
        )
        return shape

    def score(self, word: str) -> float:
        # Remembered a word (news repeats its names); the gram look-ups in C (``map``), in
        # the same order, so the same sum. A third of the learnt rules' instructions were
        # this, on news text (callgrind).
        value = self._scores.get(word)
        if value is None:
            if len(self._scores) >= _SCORES_KEPT:
                self._scores.clear()
            grams = _grams(word)
            value = self._prior + sum(map(self._odds.get, grams, repeat(self._unknown)))
            self._scores[word] = value
        return value

    def looks_like_name(self, word: str) -> bool:
        return self.score(word) > self.threshold


_SCORES_KEPT = 1 << 16  # words whose score ``NameShape`` remembers (then it starts over)


def _grams(word: str) -> list[str]:
    marked = f"<{word}>"
    return [marked[i : i + n] for n in (2, 3, 4) for i in range(len(marked) - n + 1)]


def _log(x: float) -> float:
    return math.log(x)


def learn_name_shape(sentences: Sequence[Sentence], threshold: float = 0.0) -> NameShape:
    """The letters of person-name words against those of all other words: outside entities
    and in other entities (foreign places look foreign too), as written."""
    names: set[str] = set()
    others = learn_vocabulary(sentences)  # and the words of places and bodies
    for index, sentence in enumerate(sentences):
        for e in entities_of(sentence.tags, index):
            (names if e.type == "PER" else others).update(_name(sentence, e.start, e.end))
    return NameShape(names, others, threshold)



@dataclass(frozen=True)
class LearntLists:
    """What ``learn_lists`` learns from annotated sentences for ``EntityExtractor``: names
    (gazetteer entries) and the word lists of its keywords, all in the match form."""

    names: tuple[Entry, ...]
    first_names: frozenset[str]
    name_words: frozenset[str]
    common_words: frozenset[str]
    vocabulary: frozenset[str]
    person_cues: frozenset[str]
    stoplist: frozenset[tuple[str, ...]]
    weak_heads: frozenset[str]
    name_shape: NameShape

    def keywords(self, person_words: Iterable[str] = ()) -> dict[str, Any]:
        """``EntityExtractor``'s keywords (the gazetteer aside). ``person_words``: given and
        family names from a list of single words (ANERgazet's persons) besides the shipped
        ``data/rules/person_words.txt``: name words, and weak first names."""
        person_words = frozenset(person_words)
        return {
            "first_names": self.first_names,
            "name_words": self.name_words | person_words,
            "common_words": self.common_words,
            "weak_first_names": person_words,
            "vocabulary": self.vocabulary,
            "person_cues": self.person_cues,
            "name_score": self.name_shape.score,
            "weak_heads": self.weak_heads,
            "stoplist": self.stoplist,
        }


def learn_lists(
    sentences: Sequence[Sentence], gazetteer: Gazetteer, person_words: Iterable[str] = (),
    kept: Gazetteer | None = None,
) -> LearntLists:
    """Every list the extractor learns from ``sentences``, as cross-validation learns them
    from the training folds (``benchmarks/ner_anercorp.py``) and the shipped lists were
    learnt from the ANERcorp train file (``scripts/build_learnt_lists.py``). ``gazetteer``:
    the lists the extractor has besides (the stop-list and the weak heads are learnt from
    what it finds with them); the learnt names join it only where their ids are new.
    ``kept``: names the stop-list never takes (the shipped gazetteer: a corpus that tags
    "الموصل" once in four, and "صندوق النقد الدولي" seldom, must not unlist them for every
    user), unless they hold a shorter one (``_never_stopped``)."""
    from .extract import EntityExtractor  # imports this module: asked for when used

    # A name kept when the sentences tag it at least 60 % of the times it is written there
    # (0.5 before: micro F1 +0.07).
    names = tuple(learn_names(sentences, min_precision=0.6))
    first, later = learn_name_words(sentences)
    person_words = frozenset(person_words)
    lists = LearntLists(
        names=names, first_names=frozenset(first), name_words=frozenset(later),
        common_words=frozenset(learn_common_words(sentences)),
        vocabulary=frozenset(learn_vocabulary(sentences)),
        person_cues=frozenset(learn_person_cues(sentences)), stoplist=frozenset(),
        weak_heads=frozenset(), name_shape=learn_name_shape(sentences),
    )
    with_names = Gazetteer(dict(gazetteer.entries))
    for entry in names:
        with_names.entries.setdefault(entry.id, entry)
    # The stop-list and weak heads still empty: learnt from what this extractor finds.
    extract = EntityExtractor(with_names, **lists.keywords(person_words)).extract
    # Names found and wrong, even once ("نيسان" the month, "الجزيرة" the island): micro F1
    # +0.7 over twice or more (the gazetteers list many such words).
    stoplist = learn_stoplist(sentences, extract, min_count=1)
    if kept is not None:
        stoplist -= _never_stopped(kept)
    # Head nouns whose names the corpus does not tag (ministries, committees). Only heads
    # the sentences confirm (right more than half the time) are used: ANERcorp tags few
    # bodies by head noun (micro F1 +0.07 over dropping only the heads seen wrong).
    weak_heads = learn_weak_heads(
        sentences, extract, shipped_words("org_heads"), max_precision=0.5, min_count=1,
        confirmed_only=True,
    )
    return replace(lists, stoplist=frozenset(stoplist), weak_heads=frozenset(weak_heads))


def _never_stopped(kept: Gazetteer) -> set[tuple[str, ...]]:
    """The stop keys of ``kept``'s names, but for a name of several words that holds a
    shorter one of them ("مكة" in "مكة المكرمة", "لبنان" in "جنوب لبنان"): stopped, that
    name is found in its place, the same place named more briefly, as a corpus may tag it."""
    names = {name_key(n) for e in kept.entries.values() for n in e.all_names()}
    names.discard(())

    def holds_a_shorter(words: tuple[str, ...]) -> bool:
        size = len(words)
        return any(words[i:j] in names for i in range(size) for j in range(i + 1, size + 1)
                   if j - i < size)

    return {_stop_key(words) for words in names if not holds_a_shorter(words)}


# The lists shipped with the package, learnt from the ANERcorp train file.
LEARNT_DIR = Path(__file__).resolve().parent.parent / "data" / "learnt"

# The files of ``write_lists``: each word list one word a line, sorted.
_WORD_FILES = ("first_names", "name_words", "common_words", "vocabulary", "person_cues",
               "weak_heads")


def write_lists(lists: LearntLists, directory: Path, header: str = "") -> None:
    """``lists`` as files in ``directory``: ``names.tsv`` (a gazetteer file), a ``.txt`` a word
    list, ``stoplist.txt`` (a name a line, its words between spaces) and ``name_shape.tsv``.
    ``header``: comment lines ("# ...") put first in each (its source and licence). The same
    lists give the same bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = sorted((e.id, e.type, e.name) for e in lists.names)
    files = {"names.tsv": ["\t".join(HEADER), *("\t".join((*row, "")) for row in rows)]}
    for name in _WORD_FILES:
        files[f"{name}.txt"] = sorted(getattr(lists, name))
    files["stoplist.txt"] = sorted(" ".join(words) for words in lists.stoplist)
    for name, lines in files.items():
        text = header + "".join(f"{line}\n" for line in lines)
        (directory / name).write_text(text, encoding="utf-8")
    # The largest list (~45,000 grams), read by no one: compressed (mtime 0: the same bytes).
    shape = "".join(f"{line}\n" for line in lists.name_shape.table())
    (directory / "name_shape.tsv.gz").write_bytes(gzip.compress(shape.encode(), mtime=0))


def read_lists(directory: Path, with_names: bool = True) -> LearntLists:
    """What ``write_lists`` wrote to ``directory`` (``with_names=False``: no names, which
    ``EntityExtractor.from_paths`` reads as a gazetteer file, compiled and cached)."""

    words = {name: MatchForms(load_words(directory / f"{name}.txt")) for name in _WORD_FILES}
    stopped = (directory / "stoplist.txt").read_text(encoding="utf-8").splitlines()
    return LearntLists(
        names=tuple(load([directory / "names.tsv"]).entries.values()) if with_names else (),
        stoplist=frozenset(tuple(line.split(" ")) for line in stopped
                           if line and not line.startswith("#")),
        name_shape=NameShape.from_table(
            gzip.decompress((directory / "name_shape.tsv.gz").read_bytes()).decode().splitlines()
        ),
        **words,
    )
