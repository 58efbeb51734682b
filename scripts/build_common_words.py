"""Build newsarchive/data/index/common_words.txt: the words whose pairs the index keeps.

Run from the repository root::

    .venv/bin/python scripts/build_common_words.py CORPUS [--top 500]

CORPUS is an ANERcorp-style file (``TOKEN TAG`` a line); the output lists its ``--top`` most
frequent match-form words (as ``index.index_text`` gives them), most frequent first. A phrase
is slow only when its words are both frequent (tantivy checks positions in every document that
holds both), so the index keeps a ``pairs`` term for two consecutive words of this list
(``index.pair_text``). Changing the list changes the index format: the field's name carries
the list's hash, so an index built with another list is rebuilt when opened.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsarchive.index import index_text  # noqa: E402

OUT = ROOT / "newsarchive" / "data" / "index" / "common_words.txt"
HEADER = """\
# The {top} most frequent words of Arabic news, in the match form, most frequent first: the
# index keeps a term for every two consecutive words of this list (see newsarchive/index.py).
# Derived from the word counts of the ANERcorp train file (Benajiba, Rosso & Benedí 2007;
# CAMeL Lab split, Obeid et al. 2020), CC BY-SA 4.0; this file is under the same licence.
# Made by scripts/build_common_words.py; editing it changes the index format (a rebuild).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--top", type=int, default=500)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    tokens = []
    with args.corpus.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                tokens.append(line.split()[0])
    counts = Counter(index_text(" ".join(tokens)).split())
    # Ties broken by the word, so the same corpus gives the same bytes.
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[: args.top]
    words = [word for word, _ in ranked]
    body = "\n".join(" ".join(words[i : i + 10]) for i in range(0, len(words), 10))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(HEADER.format(top=args.top) + body + "\n", encoding="utf-8")
    print(f"{args.out}: {len(words)} words", file=sys.stderr)


if __name__ == "__main__":
    main()
