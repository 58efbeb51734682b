"""Instructions an article of each ingest stage, counted by callgrind: the stable figure on a
shared machine whose CPU time moves by ±40 % from run to run.

Each stage runs over all ``--files`` inputs inside one ``operator.call``; callgrind collects
only inside those calls (``--toggle-collect``) and dumps after each, so every dump is one
stage. The stages are those of one-process ``ingest``: read, decode, HTML extraction, the
record without entities, entities (first pass over these texts: the word caches cold, as at
the start of a run), the whole record again (caches warm), ``Prepared.of`` (JSON, index
fields, catalog entry), the store (files, catalog, index) into a new archive, and last the
record and its ``Prepared.of`` again, article by article as ingest's preparing thread runs them.

    python -m benchmarks.ingest_instructions --corpus DIR [--files 100]

Needs ``valgrind``; about two minutes for 100 files.
"""

from __future__ import annotations

import argparse
import operator
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import input_files

STAGES = ["read", "decode", "extract", "record without entities", "entities (cold)",
          "record with entities (warm)", "Prepared.of", "store",
          "record + Prepared.of, in turn"]


class _NoEntities:
    def extract(self, fields: object) -> list:
        return []


def run_stages(files: list[Path]) -> None:
    """Run every stage over ``files`` (after one file through all of them, to import and
    load what is loaded late), each in one ``operator.call``."""
    from newsarchive.config import Config
    from newsarchive.extract import extract
    from newsarchive.pipeline import GROUP_SIZE, Ingester, Prepared, _html_hint, build_record
    from newsarchive.sources.files import Source, decode, read_bytes

    with tempfile.TemporaryDirectory() as folder, \
            Ingester(Config(archive=Path(folder) / "archive")) as ingester:
        limit = ingester.config.max_input_bytes
        entities = ingester.extractor

        def read() -> list:
            return [read_bytes(Source(str(path), path), limit) for path in files]

        def article(decoded: object, path: Path) -> object:
            return extract(decoded.text, ingester.furniture, html=_html_hint(path))

        warm = files.pop(0)
        decoded = decode(read_bytes(Source(str(warm), warm), limit))
        record = build_record(article(decoded, warm), str(warm), entities)
        ingester._store_group([(Prepared.of(record), warm.name)])  # noqa: SLF001
        data = operator.call(read)
        texts = operator.call(lambda: [decode(item) for item in data])
        articles = operator.call(lambda: [article(d, p) for d, p in zip(texts, files, strict=True)])
        bare = operator.call(lambda: [build_record(a, str(p), _NoEntities())
                                      for a, p in zip(articles, files, strict=True)])
        operator.call(lambda: [entities.extract([("title", r.title), ("text", r.text)])
                               for r in bare])
        records = operator.call(lambda: [build_record(a, str(p), entities)
                                         for a, p in zip(articles, files, strict=True)])
        prepared = operator.call(lambda: [(Prepared.of(r), p.name)
                                          for r, p in zip(records, files, strict=True)])

        def store() -> None:
            for start in range(0, len(prepared), GROUP_SIZE):
                ingester._store_group(prepared[start : start + GROUP_SIZE])  # noqa: SLF001
            ingester.flush()

        operator.call(store)
        # As ingest runs them: each article's record, then its Prepared, before the next
        # article's (the stages above run each over all articles, so what one stage leaves
        # for the next about the same text, e.g. normalize's memo of folds, is gone by then).
        operator.call(lambda: [Prepared.of(build_record(a, str(p), entities))
                               for a, p in zip(articles, files, strict=True)])


def count(corpus: Path, files: int) -> dict[str, int]:
    """Thousands of instructions an article of each stage (callgrind, in a child)."""
    with tempfile.TemporaryDirectory() as out:
        command = [
            "valgrind", "--tool=callgrind", "--collect-atstart=no",
            "--toggle-collect=_operator_call", "--dump-after=_operator_call",
            f"--callgrind-out-file={out}/cg", sys.executable, "-m", __spec__.name,
            "--corpus", str(corpus), "--files", str(files), "--child",
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        subprocess.run(command, check=True, env=env, capture_output=True)
        dumps = sorted(Path(out).glob("cg.*"), key=lambda p: int(p.suffix[1:]))
        totals = [_total(dump) // files // 1000 for dump in dumps]
        return dict(zip(STAGES, totals, strict=True))


def _total(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise ValueError(f"no totals in {dump}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    files = input_files(args.corpus)[: args.files + 1]
    if args.child:
        run_stages(files)
        return
    if len(files) < 2:
        parser.error(f"{args.corpus} holds fewer than two input files")
    figures = count(args.corpus, len(files) - 1)
    for stage, thousands in figures.items():
        print(f"{stage:30s} {thousands:8,d} k instructions an article")


if __name__ == "__main__":
    main()
