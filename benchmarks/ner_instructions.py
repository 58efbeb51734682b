"""Instructions a KB of text for the entity extractor, counted by callgrind: the stable figure
for speed work on a shared machine whose CPU time moves by ±40 % from run to run.

The workload is ``ner_speed.py``'s: its synthetic gazetteer of ``--aliases`` names plus the
shipped one, and its articles (the seed articles repeated, or ``--text FILE`` cut every 20
paragraphs). The articles are tagged once to warm the extractor's word caches, then once more
inside one ``operator.call``, the only part callgrind collects (``--toggle-collect``); with
``--part`` only the calls of one function are collected instead, e.g. ``ex._partial_mentions``
(a method of the extractor), ``ex.names.find`` or ``X._mentions`` (a function of
``entities.extract``).

``--first`` counts the first pass instead, the one a fresh process makes (``ingest`` run by
cron): every word is new to the extractor's word caches. Before it, one short unrelated
article (``ONE_LINE``) is tagged, not counted, so that what the first search of a loaded
gazetteer does once (derivations left out of the cache) is not charged to the articles; a
second, shorter callgrind run counts that article alone and prints it as "one-time"
(``ner_speed.py`` times it with the load: "load + first search").

    python -m benchmarks.ner_instructions [--articles 40] [--text FILE] [--part NAME] [--first]

Needs ``valgrind``; about a minute for 40 seed articles. Before and after a change, run it on
two copies of the tree (``--root``), each with its own ``XDG_CACHE_HOME`` kept warm: a change
to the extractor's code changes the gazetteer cache's key, and a recompile is not counted
(it happens before collection starts) but takes a while under valgrind.
"""

from __future__ import annotations

import argparse
import gc
import operator
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# --first: tagged before the counted pass (its words: none of the benchmark's names).
ONE_LINE = [("title", "قال الرئيس في بيان"), ("text", "وصل الوفد إلى المدينة صباح اليوم.")]


def _articles(ner_speed, text_file: Path | None, count: int) -> list:  # noqa: ANN001
    if text_file is None:
        text = ner_speed.sample_text(None, 0.5)
    else:
        text = text_file.read_text(encoding="utf-8")
    return ner_speed._articles(text_file, text)[:count]


def _run(args: argparse.Namespace) -> None:
    """Inside valgrind: a warm pass (or with --first the one-line article), then the
    collected pass (all of it, or one function)."""
    # The package of the tree measured (--root, first on PYTHONPATH), imported before this
    # tree's ner_speed (the workload), which puts its own tree first on sys.path.
    from newsarchive.entities import extract as X  # noqa: N812 - as --part names it

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import ner_speed

    gazetteer = ner_speed.gazetteer_path(args.aliases, args.names)
    ex = X.EntityExtractor.from_paths([gazetteer])
    articles = _articles(ner_speed, args.text, args.articles)
    if args.one_time:  # --first's second run: the one-line article alone
        operator.call(ex.extract, ONE_LINE)
        print(0)
        return
    if args.first:
        ex.extract(ONE_LINE)
    else:
        for fields in articles:
            ex.extract(fields)
    print(sum(len(text.encode()) for fields in articles for _, text in fields))
    # Whether a full garbage collection falls inside the counted pass depends on everything
    # allocated before it (~3 M instructions, 2 % of the seed figure, seen between two trees
    # of identical output): the objects alive now are frozen out of the collector's reach.
    gc.collect()
    gc.freeze()
    if args.part:
        owner_name, _, name = args.part.rpartition(".")
        owner = eval(owner_name, {"X": X, "ex": ex})  # noqa: S307 - the developer's own argument
        inner = getattr(owner, name)

        def counted(*a: object, **k: object) -> object:
            return operator.call(inner, *a, **k)

        if isinstance(owner, type) or owner is X:
            setattr(owner, name, counted)
        else:
            object.__setattr__(owner, name, counted)  # frozen rule objects too
        for fields in articles:
            ex.extract(fields)
    else:
        operator.call(lambda: [ex.extract(fields) for fields in articles])


def _total(path: Path) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError("callgrind wrote no total")


def count(args: argparse.Namespace, one_time: bool = False) -> tuple[int, int]:
    """(instructions collected, bytes of text tagged) of one run under callgrind; with
    ``one_time`` those of ``ONE_LINE`` tagged first thing after loading."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", "--collect-atstart=no",
            "--toggle-collect=_operator_call*", f"--callgrind-out-file={out}",
            sys.executable, str(Path(__file__).resolve()), "--inside",
            "--articles", str(args.articles), "--aliases", str(args.aliases),
            "--names", args.names,
        ]
        if args.text:
            command += ["--text", str(args.text)]
        if args.part:
            command += ["--part", args.part]
        if args.first:
            command += ["--first"]
        if one_time:
            command += ["--one-time"]
        env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(args.root)}
        done = subprocess.run(command, cwd=args.root, env=env, capture_output=True, text=True,
                              check=True)
        return _total(out), int(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--aliases", type=int, default=100_000)
    parser.add_argument("--names", choices=("names", "random"), default="names",
                        help="ner_speed's synthetic names: like names, or random (worst case)")
    parser.add_argument("--text", type=Path, help="news text instead of the seed articles")
    parser.add_argument("--part", help="count one function only, e.g. ex._partial_mentions")
    parser.add_argument("--first", action="store_true",
                        help="count the first pass (every word new), not a warm one")
    parser.add_argument("--root", type=Path, default=ROOT, help="the tree to measure")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--one-time", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        _run(args)
        return
    args.root = args.root.resolve()
    instructions, size = count(args)
    what = (args.part or "extract") + (", first pass" if args.first else "")
    print(f"{args.root} {what}: {instructions * 1000 // size:,} instructions a KB "
          f"({instructions // args.articles // 1000:,} k an article, {size:,} bytes)")
    if args.first:
        one_time = count(args, one_time=True)[0]
        print(f"one-time (a one-line article first, not counted above): {one_time / 1e6:,.1f} M"
              " instructions")


if __name__ == "__main__":
    main()
