"""Build an archive straight through the library, without the CLI or input files.

For the large scales, where writing a million input files first would only measure the
file system: each generated article goes through ``build_record`` (the pure half of
ingest: normalization, entities, id) in forked worker processes (one per core), and the
parent writes the records through the same store and index code ingest uses
(``Archive.write_many``, ``Catalog.add_many``, ``SearchIndex.add``), in batches. A bounded
window of tasks in flight keeps memory flat whatever the count; the result reports the
peak RSS of the parent and of the largest worker.

    python -m benchmarks.build --scale 100k --archive NEW_DIR [--tokens PATH] [--jobs N]
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import multiprocessing
import os
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .generate import DEFAULT_TOKENS, Generator, parse_scale

BATCH = 1000  # records per store/catalog/index write
if TYPE_CHECKING:
    from newsarchive.catalog import Catalog
    from newsarchive.index import SearchIndex
    from newsarchive.store import Archive

TASK = 50  # articles per task sent to a worker
TASKS_PER_JOB = 4  # tasks in flight per worker: busy workers, bounded memory

# A worker's generator and extractor, set once by the pool's initializer (inherited by fork).
_worker: dict = {}


def _init_worker(generator: Generator, extractor: object) -> None:
    _worker.update(generator=generator, extractor=extractor)


def _build_records(first: int, count: int) -> list:
    """Records of articles ``first`` … ``first + count - 1``: the CPU part, in a worker."""
    from newsarchive.extract import Article
    from newsarchive.pipeline import build_record

    records = []
    for item in _worker["generator"].articles(count, start=first):
        article = Article(item.title, "\n\n".join(item.paragraphs),
                          published=f"{item.published}T08:00:00Z")
        records.append(build_record(article, f"synthetic:{item.number}", _worker["extractor"]))
    return records


def _records(count: int, jobs: int) -> Iterator:
    """Every record, in article order, built in ``jobs`` forked workers (or here with 1)."""
    if jobs <= 1:
        for first in range(0, count, TASK):
            yield from _build_records(first, min(TASK, count - first))
        return
    pool = concurrent.futures.ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker, initargs=(_worker["generator"], _worker["extractor"]),
    )
    window: collections.deque = collections.deque()
    try:
        for first in range(0, count, TASK):
            window.append(pool.submit(_build_records, first, min(TASK, count - first)))
            if len(window) >= jobs * TASKS_PER_JOB:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def build(generator: Generator, archive_dir: Path, count: int, jobs: int | None = None) -> dict:
    from newsarchive.entities.extract import EntityExtractor
    from newsarchive.rebuild import open_catalog, open_index
    from newsarchive.store import Archive

    jobs = jobs or os.cpu_count() or 1
    archive = Archive(archive_dir)
    catalog, index = open_catalog(archive), open_index(archive)
    _worker.update(generator=generator,
                   extractor=EntityExtractor.from_paths([], use_default=True))
    start = time.perf_counter()
    stored = 0
    rss_at_first_batch = 0.0
    try:
        batch = []
        for record in _records(count, jobs):
            batch.append(record)
            if len(batch) >= BATCH:
                stored += _store(archive, catalog, index, batch)
                batch = []
                rss_at_first_batch = rss_at_first_batch or _peak_rss_mb(resource.RUSAGE_SELF)
        stored += _store(archive, catalog, index, batch)
    finally:
        catalog.close()
        _worker.clear()
    seconds = time.perf_counter() - start
    return {"records": stored, "seconds": round(seconds, 1), "jobs": jobs,
            "records_per_s": round(stored / seconds, 1),
            "parent_peak_rss_mb_after_first_batch": rss_at_first_batch,
            "parent_peak_rss_mb": _peak_rss_mb(resource.RUSAGE_SELF),
            "worker_peak_rss_mb": _peak_rss_mb(resource.RUSAGE_CHILDREN)}


def _store(archive: Archive, catalog: Catalog, index: SearchIndex, records: list) -> int:
    """One batch through ingest's store code: files (one flush), catalog, index commit."""
    unique = {r.id: r for r in records}  # generated articles can collide
    known = catalog.known(unique)
    new = [r for r in unique.values() if r.id not in known]
    if not new:
        return 0
    archive.write_many(new)
    catalog.add_many((r, archive.relpath_for(r)) for r in new)
    return index.add(new)


def _peak_rss_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="10k")
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--tokens", default=DEFAULT_TOKENS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    args = parser.parse_args(argv)
    generator = Generator.from_files(args.tokens, args.seed)
    print(json.dumps(build(generator, args.archive, parse_scale(args.scale), args.jobs)))


if __name__ == "__main__":
    main()
