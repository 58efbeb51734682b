"""Index rebuild (``newsarchive reindex``), records/s, against reading the records.

Baseline (same run): read and JSON-parse every record file, the part of a rebuild that no
index can avoid. Also the CPU the rebuild took (user + system, its worker processes included)
per record: on a shared machine, the figure that other runs disturb least, and what bounds
the rate on two cores (2,000 ms of CPU a second / that figure).

    python -m benchmarks.bench_reindex --archive DIR
"""

from __future__ import annotations

import argparse
import json
import resource
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


def measure(archive: Path) -> dict:
    count, floor = read_all(archive)
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
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    print(json.dumps(measure(parser.parse_args(argv).archive), indent=1))


if __name__ == "__main__":
    main()
