"""Build an archive straight through the library, without the CLI or input files.

For the large scales, where writing a million input files first would only measure the
file system: each generated article goes through ``build_record`` (the pure half of
ingest: normalization, entities, id) and then the same store and index code ingest uses
(``Archive.write``, ``Catalog.add_many``, ``SearchIndex.add``), in batches.

    python -m benchmarks.build --scale 100k --archive NEW_DIR [--tokens PATH]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from .generate import DEFAULT_TOKENS, Generator, parse_scale

BATCH = 1000


def build(generator: Generator, archive_dir: Path, count: int) -> dict:
    from newsarchive.entities.extract import EntityExtractor
    from newsarchive.extract import Article
    from newsarchive.pipeline import build_record, open_catalog, open_index
    from newsarchive.store import Archive

    archive = Archive(archive_dir)
    catalog, index = open_catalog(archive), open_index(archive)
    extractor = EntityExtractor.from_paths([], use_default=True)
    start = time.perf_counter()
    stored = 0
    try:
        for first in range(0, count, BATCH):
            records = []
            for item in generator.articles(min(BATCH, count - first), start=first):
                article = Article(item.title, "\n\n".join(item.paragraphs),
                                  published=f"{item.published}T08:00:00Z")
                records.append(build_record(article, f"synthetic:{item.number}", extractor))
            for record in records:
                archive.write(record)
            catalog.add_many((r, archive.relpath_for(r)) for r in records)
            stored += index.add(records)
    finally:
        catalog.close()
    seconds = time.perf_counter() - start
    return {"records": stored, "seconds": round(seconds, 1),
            "records_per_s": round(stored / seconds, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="10k")
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--tokens", default=DEFAULT_TOKENS)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    generator = Generator.from_files(args.tokens, args.seed)
    print(json.dumps(build(generator, args.archive, parse_scale(args.scale))))


if __name__ == "__main__":
    main()
