"""Entity extraction quality on ANERcorp (train split), by k-fold cross-validation.

    .venv/bin/python benchmarks/ner_anercorp.py [--corpus PATH] [--anergazet DIR] [--folds 5]
                                                 [--errors 10] [--json] [--classes 10]
                                                 [--show "missed/PER" --examples 40]

The corpus is cut into k contiguous folds of whole sentences. Each fold is tagged by the
archive's extractor with: the shipped gazetteer, ANERgazet (read from its path, never shipped),
and the lists learnt from the *other* folds only (names with counts, a stop-list of names that
are mostly not entities, first names). A fold's own entities never reach the gazetteer that tags
it. Printed beside it, measured in the same run: the baseline (shipped gazetteer only, no
learnt lists, no ANERgazet), so every gain is visible. ``--classes`` prints the largest error
classes (missed, too short, too long, as LOC, false positive; ``evaluate.error_classes``) and
``--show CLASS/TYPE`` prints that class's errors in context with gold|predicted tags.

Published F1 on ANERcorp for comparison: ANERsys 1.0 55.2; GATE rules PER 76.3 / LOC 70.9 /
ORG 57.3; ANERsys CRF 79.2; fine-tuned BERT about 83.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsarchive.arabic.normalize import normalize  # noqa: E402
from newsarchive.entities import learn  # noqa: E402
from newsarchive.entities.evaluate import (  # noqa: E402
    Report,
    Sentence,
    error_classes,
    read_conll,
    score,
    tag_sentences,
)  # noqa: E402
from newsarchive.entities.extract import EntityExtractor  # noqa: E402
from newsarchive.entities.gazetteer import Gazetteer, default_paths, load, name_list  # noqa: E402
from newsarchive.entities.rules import NAME_LINKS  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
CORPUS = SHARED / "anercorp" / "ANERCorp_CamelLab_train.reconstructed.txt"
ANERGAZET = SHARED / "anergazet"
GAZET_FILES = {"LOC": "AlignedLocGazetteer", "ORG": "AlignedOrgGazetteer"}
PERSON_NAMES = "AlignedPersGazetteer"  # single first and family names: words, not entities
CORE = ("PER", "LOC", "ORG")
ALL = ("PER", "LOC", "ORG", "MISC")


def folds(sentences: list[Sentence], k: int) -> list[tuple[int, int]]:
    """k contiguous [start, end) ranges of sentences, about equal in tokens."""
    total = sum(len(s.tokens) for s in sentences)
    bounds, seen, cut = [0], 0, 1
    for i, s in enumerate(sentences):
        seen += len(s.tokens)
        if cut < k and seen >= total * cut / k:
            bounds.append(i + 1)
            cut += 1
    bounds.append(len(sentences))
    return list(zip(bounds, bounds[1:], strict=False))


def anergazet(directory: Path | None) -> tuple[Gazetteer, set[str]]:
    """ANERgazet's location and organization lists as a gazetteer, and its person-name words."""
    gazetteer = Gazetteer()
    names: set[str] = set()
    if directory is None or not directory.is_dir():
        return gazetteer, names
    for kind, file in GAZET_FILES.items():
        for entry in name_list(directory / file, kind, prefix="anergazet"):
            if normalize(entry.name) not in NAME_LINKS:  # "أبو" of "أبو ظبي" is listed alone
                gazetteer.entries.setdefault(entry.id, entry)
    names = {e.name for e in name_list(directory / PERSON_NAMES, "PER", prefix="anergazet")}
    return gazetteer, names


def build_extractor(train: list[Sentence], gazet: Gazetteer, person_words: set[str]):
    """The extractor that tags a fold: the shipped gazetteer, ANERgazet, and every list
    learnt from ``train`` (the other folds) as the shipped lists were learnt from the whole
    file (``learn.learn_lists``)."""
    shipped = load(default_paths())
    gazetteer = Gazetteer(dict(shipped.entries))
    for entry in gazet.entries.values():
        gazetteer.entries.setdefault(entry.id, entry)
    lists = learn.learn_lists(train, gazetteer, person_words, kept=shipped)
    for entry in lists.names:
        gazetteer.entries.setdefault(entry.id, entry)
    keywords = lists.keywords(person_words)
    # ANERgazet's places and bodies that are mostly common words or persons ("بلاد", "صالح").
    # Seen once is enough: its one-word entries are often plain nouns ("بركان", "لغات"),
    # and a word the other folds saw once, untagged, is more likely one (micro F1 +0.4).
    keywords["stoplist"] = lists.stoplist | learn.learn_word_stoplist(
        train, gazet.entries.values(), min_count=1
    )
    return EntityExtractor(gazetteer, **keywords)


def cross_validate(sentences, k, gazet, person_words, context: int) -> list[list[str]]:
    """Predicted tags of every sentence, each fold tagged with lists from the others."""
    predicted: list[list[str]] = []
    for start, end in folds(sentences, k):
        train = sentences[:start] + sentences[end:]
        extractor = build_extractor(train, gazet, person_words)
        predicted += tag_sentences(sentences[start:end], extractor.extract, context)
    return predicted


def table(rows: dict[str, Report], types) -> str:
    head = f"{'system':<34}" + "".join(f"{t:>7}" for t in types) + f"{'micro':>8}  (P / R)"
    lines = [head]
    for name, report in rows.items():
        cells = "".join(f"{100 * report.per_type[t].f1:7.1f}" for t in types)
        m = report.micro
        lines.append(
            f"{name:<34}{cells}{100 * m.f1:8.1f}  ({100 * m.precision:.1f} / {100 * m.recall:.1f})"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--anergazet", type=Path, default=ANERGAZET)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--errors", type=int, default=10, help="largest error classes to show")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--classes", type=int, default=10,
                        help="largest error classes to show (missed, too short, as LOC, ...)")
    parser.add_argument("--show", metavar="CLASS/TYPE", default=None,
                        help='examples of classes in context, e.g. "missed/PER,too short/PER"')
    parser.add_argument("--examples", type=int, default=40, help="how many --show prints")
    parser.add_argument(
        "--context", type=int, default=10,
        help="sentences given to the extractor together, as one article (ANERcorp marks no "
        "documents; a window lets a surname be resolved from the full name said before it)",
    )
    args = parser.parse_args()
    for path, what in ((args.corpus, "--corpus"), (args.anergazet, "--anergazet")):
        if not path.exists():  # a clone outside the workspace has no ../shared beside it
            parser.error(f"{path} not found: give {what}")

    started = time.perf_counter()
    sentences = read_conll(args.corpus)
    gazet, person_words = anergazet(args.anergazet)
    baseline = tag_sentences(
        sentences, EntityExtractor.from_paths([], use_learnt=False).extract, args.context
    )
    tagged = cross_validate(sentences, args.folds, gazet, person_words, args.context)
    results = {
        types: {
            "baseline: shipped gazetteer": score(sentences, baseline, types),
            f"{args.folds}-fold CV, lists from other folds": score(sentences, tagged, types),
        }
        for types in (CORE, ALL)
    }
    if args.json:
        print(json.dumps({",".join(t): {n: r.to_dict() for n, r in rows.items()}
                          for t, rows in results.items()}, indent=1))
        return
    print(f"ANERcorp train: {len(sentences)} sentences, {args.folds} folds; F1 in %")
    for types, rows in results.items():
        print()
        print(table(rows, types))
    cv = results[CORE][f"{args.folds}-fold CV, lists from other folds"]
    print("\nlargest false positives (surface, type, count):")
    for (surface, kind), n in cv.false_positives.most_common(args.errors):
        print(f"  {n:4}  {kind:<4} {surface}")
    print("largest misses:")
    for (surface, kind), n in cv.misses.most_common(args.errors):
        print(f"  {n:4}  {kind:<4} {surface}")
    classes = error_classes(sentences, tagged, CORE)
    print(f"largest error classes (of {sum(len(v) for v in classes.values())} errors):")
    for (kind, type_), found in list(classes.items())[: args.classes]:
        print(f"  {len(found):4}  {kind + '/' + type_:<22} e.g. "
              + ", ".join(_surface(sentences, e) for e in found[:4]))
    for shown in filter(None, (args.show or "").split(",")):  # "missed/PER,too short/PER"
        kind, _, type_ = shown.rpartition("/")
        print(f"\n{shown}:")
        for e in classes.get((kind, type_), [])[: args.examples]:
            print(_in_context(sentences[e.sentence], tagged[e.sentence], e))
    print(f"\n({time.perf_counter() - started:.0f} s)")


def _surface(sentences: list[Sentence], e) -> str:
    return " ".join(sentences[e.sentence].tokens[e.start : e.end])


def _in_context(sentence: Sentence, tags: list[str], e, width: int = 6) -> str:
    """The entity's tokens in [brackets] with a few words around, gold/predicted tags."""
    lo, hi = max(0, e.start - width), min(len(sentence.tokens), e.end + width)
    words = []
    for i in range(lo, hi):
        gold, guess = sentence.tags[i], tags[i]
        mark = "" if gold == guess == "O" else f"<{gold}|{guess}>"
        word = sentence.tokens[i] + mark
        words.append(f"[{word}]" if e.start <= i < e.end else word)
    return "    " + " ".join(words)


if __name__ == "__main__":
    main()
