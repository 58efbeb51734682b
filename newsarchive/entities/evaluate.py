"""Measure entity extraction against annotated text: CoNLL files in, conlleval scores out.

A CoNLL file has one ``TOKEN TAG`` per line (the tag is the last whitespace-separated field),
BIO tags (``B-PER``, ``I-PER``, ``O``), and a blank line between sentences; ``-DOCSTART-`` lines
separate documents. ``PERS`` is read as ``PER`` (ANERcorp spells it so).

Scoring is conlleval's: an entity counts as found only when its exact token span and its type
are right; precision, recall and F1 per type and micro-averaged over the scored types.

Tagging a sentence runs the archive's own extractor over the tokens joined by spaces, then maps
each mention's characters back onto the tokens it touches. A corpus token keeps its clitics
("بواشنطن" is one B-LOC token), so a match inside a token tags the whole token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..record import Mention

TYPES = ("PER", "ORG", "LOC", "MISC")
TAG_ALIASES = {"PERS": "PER", "PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"}
DOCSTART = "-DOCSTART-"


class EvalError(Exception):
    """An annotated file cannot be read; the message names file and line."""


@dataclass
class Sentence:
    tokens: list[str]
    tags: list[str]  # BIO, types already mapped (PERS → PER)
    doc: int = 0  # documents are numbered in reading order


@dataclass(frozen=True)
class Entity:
    """An entity as a token span ``[start, end)`` of one sentence."""

    sentence: int
    start: int
    end: int
    type: str


# -- reading -------------------------------------------------------------------------------


def _tag(raw: str, where: str) -> str:
    if raw == "O":
        return raw
    prefix, _, kind = raw.partition("-")
    if prefix not in ("B", "I") or not kind:
        raise EvalError(f"{where}: bad tag {raw!r} (expected O, B-TYPE or I-TYPE)")
    return f"{prefix}-{TAG_ALIASES.get(kind, kind)}"


def parse_conll(text: str, name: str = "<text>") -> list[Sentence]:
    """Sentences of a CoNLL text; a line that is not ``TOKEN ... TAG`` is an error."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    doc = 0

    def close() -> None:
        if tokens:
            sentences.append(Sentence(tokens[:], tags[:], doc))
            tokens.clear()
            tags.clear()

    for lineno, line in enumerate(text.splitlines(), start=1):
        cells = line.split()
        if not cells:
            close()
            continue
        if cells[0] == DOCSTART:
            close()
            doc += 1
            continue
        if len(cells) < 2:
            raise EvalError(f"{name}:{lineno}: expected 'TOKEN TAG', got {line.strip()!r}")
        tokens.append(cells[0])
        tags.append(_tag(cells[-1], f"{name}:{lineno}"))
    close()
    return sentences


def read_conll(path: str | Path) -> list[Sentence]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: cannot read: {exc}") from exc
    return parse_conll(text, str(path))


def entities_of(tags: Sequence[str], sentence: int = 0) -> list[Entity]:
    """Entity spans of a BIO sequence, as conlleval reads it.

    An ``I-X`` after ``O`` or after another type starts an entity (conlleval is lenient about
    a missing ``B``); a ``B-X`` always does.
    """
    found: list[Entity] = []
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, this = tag.partition("-")
        continues = prefix == "I" and this == kind
        if start is not None and not continues:
            found.append(Entity(sentence, start, i, kind))
            start, kind = None, None
        if prefix == "B" or (prefix == "I" and not continues):
            start, kind = i, this
    return found


# -- tagging -------------------------------------------------------------------------------

# What the evaluation needs of an extractor: fields in, mentions out (EntityExtractor.extract).
Extract = Callable[[Sequence[tuple[str, str]]], list[Mention]]


def tag_tokens(tokens: Sequence[str], mentions: Iterable[Mention], text_field: str) -> list[str]:
    """BIO tags for ``tokens`` (joined by single spaces into ``text_field``'s text).

    Every token a mention's characters touch joins that mention; a token already tagged by an
    earlier mention keeps its tag.
    """
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    tags = ["O"] * len(tokens)
    for m in sorted((m for m in mentions if m.field == text_field), key=lambda m: m.start):
        touched = [
            i for i, s in enumerate(starts) if s < m.end and m.start < s + len(tokens[i])
        ]
        if not touched or any(tags[i] != "O" for i in touched):
            continue
        tags[touched[0]] = f"B-{m.type}"
        for i in touched[1:]:
            tags[i] = f"I-{m.type}"
    return tags


def tag_sentences(
    sentences: Sequence[Sentence], extract: Extract, context: int = 1
) -> list[list[str]]:
    """Predicted tags for every sentence.

    Sentences are given to the extractor in groups of ``context`` consecutive sentences of one
    document (as the fields of one article), so partial mentions can be resolved from a full
    name in an earlier sentence, as in an archived article.
    """
    predicted: list[list[str]] = []
    group: list[Sentence] = []

    def flush() -> None:
        fields = [(f"s{i}", " ".join(s.tokens)) for i, s in enumerate(group)]
        mentions = extract(fields)
        predicted.extend(tag_tokens(s.tokens, mentions, f"s{i}") for i, s in enumerate(group))
        group.clear()

    for sentence in sentences:
        if group and (len(group) >= context or sentence.doc != group[-1].doc):
            flush()
        group.append(sentence)
    if group:
        flush()
    return predicted


# -- scoring -------------------------------------------------------------------------------


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "support": self.support,
        }


@dataclass
class Report:
    """Scores per type and micro-averaged, plus the errors to tune from."""

    per_type: dict[str, Score]
    false_positives: Counter = field(default_factory=Counter)  # (surface, type) → count
    misses: Counter = field(default_factory=Counter)  # (surface, type) → count

    @property
    def micro(self) -> Score:
        total = Score()
        for s in self.per_type.values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        return total

    def to_dict(self) -> dict:
        return {
            "micro": self.micro.to_dict(),
            "per_type": {t: s.to_dict() for t, s in self.per_type.items()},
        }

    def merge(self, other: Report) -> None:
        for kind, s in other.per_type.items():
            mine = self.per_type.setdefault(kind, Score())
            mine.tp, mine.fp, mine.fn = mine.tp + s.tp, mine.fp + s.fp, mine.fn + s.fn
        self.false_positives.update(other.false_positives)
        self.misses.update(other.misses)


def score(
    sentences: Sequence[Sentence],
    predicted: Sequence[Sequence[str]],
    types: Sequence[str] | None = None,
) -> Report:
    """conlleval scores of ``predicted`` tags against the sentences' gold tags.

    ``types`` restricts the scored types (default: every type in gold or prediction); an
    entity of another type counts neither way.
    """
    gold = {e for i, s in enumerate(sentences) for e in entities_of(s.tags, i)}
    guess = {e for i, tags in enumerate(predicted) for e in entities_of(tags, i)}
    kinds = list(types) if types else sorted({e.type for e in gold | guess}, key=_type_order)
    report = Report({kind: Score() for kind in kinds})
    # In reading order, not set order: the error lists rank ties by first appearance, so the
    # same tags list the same way under any PYTHONHASHSEED.
    for e in sorted(gold | guess, key=_reading_order):
        if e.type not in report.per_type:
            continue
        s = report.per_type[e.type]
        surface = " ".join(sentences[e.sentence].tokens[e.start : e.end])
        if e in gold and e in guess:
            s.tp += 1
        elif e in guess:
            s.fp += 1
            report.false_positives[(surface, e.type)] += 1
        else:
            s.fn += 1
            report.misses[(surface, e.type)] += 1
    return report


def _reading_order(e: Entity) -> tuple[int, int, int, str]:
    return (e.sentence, e.start, e.end, e.type)


def _type_order(kind: str) -> tuple[int, str]:
    return (TYPES.index(kind) if kind in TYPES else len(TYPES), kind)


def evaluate(
    sentences: Sequence[Sentence],
    extract: Extract,
    types: Sequence[str] | None = None,
    context: int = 1,
) -> Report:
    """Tag ``sentences`` with ``extract`` and score the result."""
    return score(sentences, tag_sentences(sentences, extract, context), types)


# -- error classes -------------------------------------------------------------------------


def error_classes(
    sentences: Sequence[Sentence],
    predicted: Sequence[Sequence[str]],
    types: Sequence[str] | None = None,
) -> dict[tuple[str, str], list[Entity]]:
    """Every error, by (class, type): what to tune from, biggest class first.

    A gold entity not found exactly is ``missed`` (nothing predicted over it), ``too short`` /
    ``too long`` (a prediction of its type inside it / around it), ``span wrong`` (overlapping
    otherwise) or ``as X`` (found with another type X). A prediction over no gold entity is a
    ``false positive``. The entities listed are gold ones, except for false positives.
    """
    gold = {e for i, s in enumerate(sentences) for e in entities_of(s.tags, i)}
    guess = {e for i, tags in enumerate(predicted) for e in entities_of(tags, i)}
    wanted = set(types) if types else {e.type for e in gold | guess}
    by_sentence: dict[int, list[Entity]] = {}
    for e in sorted(guess, key=_reading_order):  # "as X" names the first overlapping one
        by_sentence.setdefault(e.sentence, []).append(e)
    classes: dict[tuple[str, str], list[Entity]] = {}
    for e in sorted(gold - guess, key=_reading_order):
        if e.type not in wanted:
            continue
        over = [g for g in by_sentence.get(e.sentence, ()) if g.start < e.end and e.start < g.end]
        same = [g for g in over if g.type == e.type]
        if not over:
            kind = "missed"
        elif not same:
            kind = f"as {over[0].type}"
        elif any(g.start >= e.start and g.end <= e.end for g in same):
            kind = "too short"
        elif any(g.start <= e.start and g.end >= e.end for g in same):
            kind = "too long"
        else:
            kind = "span wrong"
        classes.setdefault((kind, e.type), []).append(e)
    golds_by_sentence: dict[int, list[Entity]] = {}
    for e in gold:
        golds_by_sentence.setdefault(e.sentence, []).append(e)
    for e in sorted(guess - gold, key=_reading_order):
        others = golds_by_sentence.get(e.sentence, ())
        if e.type in wanted and not any(g.start < e.end and e.start < g.end for g in others):
            classes.setdefault(("false positive", e.type), []).append(e)
    return dict(sorted(classes.items(), key=lambda item: -len(item[1])))
