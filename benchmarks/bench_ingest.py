"""Ingest throughput through the CLI, one process, against the I/O floor.

Baseline (measured in the same run): read every input file and write the same bytes to a
fresh folder, which is what ingest cannot go below. Also reports the ingest's peak RSS, and
``--jobs 2`` when the CLI has it.

    python -m benchmarks.bench_ingest --corpus DIR --archive NEW_DIR
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from .common import input_files, option_exists, run_cli


def io_floor(files: list[Path], out: Path) -> float:
    """Seconds to read each input and write the same bytes to ``out`` (no fsync)."""
    start = time.perf_counter()
    for number, path in enumerate(files):
        folder = out / path.parent.name
        if number == 0 or path.parent != files[number - 1].parent:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / path.name).write_bytes(path.read_bytes())
    return time.perf_counter() - start


def ingest_once(corpus: Path, archive: Path, *extra: str) -> dict:
    run = run_cli(archive, "ingest", "--quiet", *extra, str(corpus))
    if run.returncode != 0:
        raise RuntimeError(f"ingest failed ({run.returncode}): {run.stderr.strip()[:300]}")
    return {"seconds": round(run.seconds, 2), "peak_rss_mb": round(run.peak_rss_mb, 1)}


def measure(corpus: Path, archive: Path) -> dict:
    files = input_files(corpus)
    copy = archive.parent / (archive.name + "-iofloor")
    shutil.rmtree(copy, ignore_errors=True)
    floor = io_floor(files, copy)
    shutil.rmtree(copy, ignore_errors=True)
    one = ingest_once(corpus, archive)
    result = {
        "articles": len(files),
        "input_mb": round(sum(p.stat().st_size for p in files) / 1e6, 1),
        "seconds": one["seconds"],
        "articles_per_s": round(len(files) / one["seconds"], 1),
        "peak_rss_mb": one["peak_rss_mb"],
        "baseline_io_floor_s": round(floor, 2),
        "baseline_io_floor_articles_per_s": round(len(files) / floor, 1),
    }
    if option_exists(archive, "ingest", "--jobs"):
        second = archive.parent / (archive.name + "-jobs2")
        shutil.rmtree(second, ignore_errors=True)
        two = ingest_once(corpus, second, "--jobs", "2")
        shutil.rmtree(second, ignore_errors=True)
        result["jobs2_articles_per_s"] = round(len(files) / two["seconds"], 1)
        result["jobs2_peak_rss_mb"] = two["peak_rss_mb"]
    else:
        result["jobs2_articles_per_s"] = None  # ingest has no --jobs yet
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--archive", type=Path, required=True, help="a new folder")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.corpus, args.archive), indent=1))


if __name__ == "__main__":
    main()
