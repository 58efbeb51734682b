"""Build newsarchive/data/rules/person_words.txt: given and family names as single words.

Run from the repository root with the build extras installed
(``pip install -e .[build-gazetteer]``)::

    .venv/bin/python scripts/build_person_words.py [--min-share 0.001] [--out FILE]

Input: the name book of ``egy-names`` (MIT licence), 44,626 given and family names counted
in 13 million name tokens of Egyptian school records, each with its share of those tokens.
Kept: the one-word names the package itself calls a usable personal name (``is_valid``: not
"الله", not a flagged filler row) with a share of at least ``--min-share`` per cent, about
130 bearers or more: 2,593 words at 0.001. Rarer names are mostly common words or one-offs;
in 5-fold cross-validation on ANERcorp (``benchmarks/ner_anercorp.py`` without ANERgazet)
PER F1 was 75.5 / 76.3 / 76.8 / 76.5 / 72.2 at 0.01 / 0.003 / 0.001 / 0.0003 / all.

The extractor reads the words as ANERgazet's person list is read: a name word after a
given name, and a weak given name (one that starts a person only with a name word after
it). The same package version gives the same bytes.
"""

from __future__ import annotations

import argparse
from importlib.metadata import version
from pathlib import Path

import egy_names

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "newsarchive" / "data" / "rules" / "person_words.txt"
HEADER = """\
# Given and family names, one word each: a name word after a given name ("ألبرت أينشتاين"),
# and a weak given name (a person only with a name word after it). Made by
# scripts/build_person_words.py from egy-names {version} (https://github.com/afify/egy-names):
# the names with a share of at least {share} % of its 13 million name tokens.
#
# egy-names is under the MIT licence:
# Copyright (c) 2026 Afify by Abdullah Afify
#
# Permission is hereby granted, free of charge, to any person obtaining a copy
# of this software and associated documentation files (the "Software"), to deal
# in the Software without restriction, including without limitation the rights
# to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
# copies of the Software, and to permit persons to whom the Software is
# furnished to do so, subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all
# copies or substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
# FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
# LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
# OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
# SOFTWARE.
"""


def person_words(min_share: float) -> list[str]:
    """The book's valid one-word names borne by at least ``min_share`` % of its tokens."""
    book = egy_names.EgyNames()
    return sorted({
        entry.ar for entry in egy_names.get_all()
        if entry.corpus_share >= min_share and " " not in entry.ar and book.is_valid(entry.ar)
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-share", type=float, default=0.001, help="per cent of tokens")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    words = person_words(args.min_share)
    header = HEADER.format(version=version("egy-names"), share=args.min_share)
    args.out.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {args.out}")


if __name__ == "__main__":
    main()
