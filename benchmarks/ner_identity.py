"""Dump every mention the extractor finds over a fixed input, to check a speed change is exact.

    .venv/bin/python benchmarks/ner_identity.py OUT.json [--sentences 3000] [--root DIR]

A matcher or extractor change made for speed must not change a single mention. Run this
before and after the change (``--root`` points at another copy of the ``newsarchive`` package,
e.g. one with the old matcher and the same rules) and compare the two files byte for byte:

    cmp /tmp/before.json /tmp/after.json

Input: the first ``--sentences`` sentences of the ANERcorp train file, ten to a document (the
first as the title), the seed articles, and the same documents with harakat and tatweel
inserted (so the offset map back to the stored text is exercised). Two extractors: the
archive's (shipped gazetteer, no learnt lists) and one with every option the evaluation uses
(lists learnt from later sentences, a stop-list, common words, a vocabulary).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "anercorp" / "ANERCorp_CamelLab_train.reconstructed.txt"
DOC_SENTENCES = 10
MARKS = "\u064e\u064f\u0650\u0651\u0652\u064b\u0640"  # harakat, shadda, sukun, tatweel


def documents(sentences, seeds: Path) -> list[list[tuple[str, str]]]:
    docs = []
    for i in range(0, len(sentences), DOC_SENTENCES):
        group = [" ".join(s.tokens) for s in sentences[i : i + DOC_SENTENCES]]
        docs.append([("title", group[0]), ("text", "\n\n".join(group[1:]))])
    for path in sorted(seeds.glob("*.txt")):
        title, _, text = path.read_text(encoding="utf-8").partition("\n")
        docs.append([("title", title), ("text", text)])
    rng = random.Random(4)
    marked = []
    for doc in docs[:: 7]:
        marked.append([(name, _with_marks(text, rng)) for name, text in doc])
    return docs + marked


def _with_marks(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        out.append(ch)
        if "\u0621" <= ch <= "\u064a" and rng.random() < 0.15:
            out.append(rng.choice(MARKS))
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sentences", type=int, default=3000)
    parser.add_argument("--root", type=Path, default=ROOT, help="folder holding newsarchive/")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp()  # never a stale compiled gazetteer

    # The package first, from --root: ner_anercorp puts this checkout first on sys.path.
    import newsarchive
    from newsarchive.entities.evaluate import read_conll
    from newsarchive.entities.extract import EntityExtractor

    sys.path.append(str(ROOT))
    from benchmarks.ner_anercorp import anergazet, build_extractor

    print(f"package: {Path(newsarchive.__file__).parent}", file=sys.stderr)
    sentences = read_conll(CORPUS)
    docs = documents(sentences[: args.sentences], ROOT / "seeds")
    gazet, person_words = anergazet(ROOT.parent / "shared" / "data" / "anergazet")
    started = time.perf_counter()
    extractors = {
        "archive": EntityExtractor.from_paths([]),
        "full": build_extractor(sentences[args.sentences : args.sentences + 6000], gazet,
                                person_words),
    }
    built = time.perf_counter() - started
    result: dict[str, list] = {}
    started = time.perf_counter()
    for name, extractor in extractors.items():
        result[name] = [
            [[m.id, m.type, m.name, m.surface, m.field, m.start, m.end, m.rule]
             for m in extractor.extract(doc)]
            for doc in docs
        ]
    tagged = time.perf_counter() - started
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=0), encoding="utf-8")
    count = sum(len(d) for docs_ in result.values() for d in docs_)
    print(f"{len(docs)} documents, {count} mentions; build {built:.1f} s, tag {tagged:.1f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
