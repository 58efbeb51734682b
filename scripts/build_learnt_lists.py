"""Build the learnt lists shipped in newsarchive/data/learnt/ from the ANERcorp train file.

Run from the repository root::

    .venv/bin/python scripts/build_learnt_lists.py CORPUS [--out DIR]

CORPUS is a CoNLL file (``TOKEN TAG`` a line, BIO tags), here the ANERcorp train split. The
lists are learnt by ``learn.learn_lists``, the procedure 5-fold cross-validation measures
(``benchmarks/ner_anercorp.py``, where each fold's lists come from the other folds), with the
shipped gazetteer beside them and nothing else (ANERgazet has no licence to ship). The same
corpus and code give the same bytes.

Scores on CORPUS itself with these lists are not a measurement: its own entities are in them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsarchive.entities.evaluate import read_conll  # noqa: E402
from newsarchive.entities.gazetteer import default_paths, load  # noqa: E402
from newsarchive.entities.learn import learn_lists, write_lists  # noqa: E402

OUT = ROOT / "newsarchive" / "data" / "learnt"
HEADER = """\
# Learnt from the ANERcorp train file (Benajiba, Rosso & Benedí 2007; CAMeL Lab split,
# Obeid et al. 2020), CC BY-SA 4.0; this file is under the same licence.
# Made by scripts/build_learnt_lists.py (newsarchive.entities.learn.learn_lists).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    shipped = load(default_paths())
    # The shipped names are never stop-listed (``kept``), as cross-validation measures it.
    lists = learn_lists(read_conll(args.corpus), shipped, kept=shipped)
    write_lists(lists, args.out, HEADER)
    sizes = {p.name: p.stat().st_size for p in sorted(args.out.iterdir())}
    print(f"{args.out}: {len(lists.names)} names; " + ", ".join(
        f"{name} {size / 1e3:.0f} KB" for name, size in sizes.items()))


if __name__ == "__main__":
    main()
