"""Index rebuild (``newsarchive reindex``), records/s, against reading the records.

Baselines (same run): read and JSON-parse every record file, the part of a rebuild that no
index can avoid; and the two stores alone — the first ``--sample`` records' index documents and
catalog entries computed in memory first, then only fed to a fresh tantivy index (one commit)
and a fresh catalog, timed with the CPU of every thread: the floor that the engines themselves
set, whatever the Python around them does. Also the CPU the rebuild took (user + system, its
worker processes included) per record: on a shared machine, the figure that other runs disturb
least, and what bounds the rate on two cores (2,000 ms of CPU a second / that figure).

    python -m benchmarks.bench_reindex --archive DIR
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from .common import run_cli


def read_all(archive: Path) -> tuple[int, float]:
    start = time.perf_counter()
    count = 0
    for path in (archive / "records").rglob("*.json"):
        json.loads(path.read_bytes())
        count += 1
    return count, time.perf_counter() - start


def stores_alone(archive: Path, sample: int) -> dict:
    """Records/s and CPU ms a record of tantivy and of the catalog fed precomputed rows."""
    from newsarchive.catalog import Catalog
    from newsarchive.index import SearchIndex
    from newsarchive.rebuild import reindex_entry
    from newsarchive.store import Archive

    source = Archive(archive)
    relpaths = [path for _, path in zip(range(sample), source.record_relpaths(), strict=False)]
    entries = [reindex_entry(source, relpath) for relpath in relpaths]
    result: dict[str, float] = {"sample": len(entries)}
    with tempfile.TemporaryDirectory() as folder:
        for name in ("tantivy", "catalog"):
            wall, cpu = time.perf_counter(), time.process_time()  # all threads' CPU
            if name == "tantivy":
                with SearchIndex(Path(folder) / "index").rebuilding() as add:
                    for fields, _ in entries:
                        add(fields)
            else:
                catalog = Catalog(Path(folder) / "catalog.sqlite")
                with catalog.rebuilding() as put:
                    for _, entry in entries:
                        put.add(entry)
                catalog.close()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            result[f"{name}_alone_records_per_s"] = round(len(entries) / wall, 1)
            result[f"{name}_alone_cpu_ms_per_record"] = round(cpu / len(entries) * 1000, 3)
    return result


def measure(archive: Path, sample: int = 10_000) -> dict:
    count, floor = read_all(archive)
    if not count:  # not an archive folder: reindex would make an empty archive there
        raise SystemExit(f"no records under {archive / 'records'}: give an archive folder")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = run_cli(archive, "reindex")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the CLI and its workers, reaped
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if run.returncode != 0:
        raise RuntimeError(f"reindex failed ({run.returncode}): {run.stderr.strip()[:300]}")
    return {
        "records": count,
        "seconds": round(run.seconds, 2),
        "records_per_s": round(count / run.seconds, 1),
        "cpu_ms_per_record": round(cpu / count * 1000, 3),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "baseline_read_json_s": round(floor, 2),
        "baseline_read_json_records_per_s": round(count / floor, 1),
        **({"baseline_stores_alone": stores_alone(archive, sample)} if sample else {}),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=10_000,
                        help="records fed to the stores-alone baseline (0: none)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.archive, args.sample), indent=1))


if __name__ == "__main__":
    main()
