"""Ingest throughput through the CLI, one process, against the I/O floor.

Baseline (measured in the same run): read every input file and write the same bytes to a
fresh folder, which is what ingest cannot go below. Also reports the ingest's peak RSS, and
``--jobs 2`` when the CLI has it, and where one process spends its time: the same stages
as ``ingest``, timed one by one in process on the first ``--stages`` files (ms per article).
The ingest's memory is also sampled from ``/proc`` twice a second (Linux): the peaks of its
anonymous memory and of its file pages (``RssAnon``, ``RssFile``), which make up its RSS.

    python -m benchmarks.bench_ingest --corpus DIR --archive NEW_DIR [--stages 500]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from .common import clean_env, cli_command, input_files, option_exists

SAMPLE_SECONDS = 0.5  # how often the ingest's /proc/PID/status is read


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
    """One ``newsarchive ingest`` of ``corpus`` (as ``common.run_cli`` runs the CLI): wall
    time, peak RSS from ``wait4`` (the largest process of the tree) and, sampled, the peaks of
    the ingest process's anonymous memory and file pages in MB (None where there is no
    ``/proc``; sampled twice a second, they can miss a spike ``wait4`` catches)."""
    argv = [*cli_command(), "--archive", str(archive), "ingest", "--quiet", *extra, str(corpus)]
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err,
                                 stdin=subprocess.DEVNULL, cwd=archive.parent,
                                 env=clean_env(archive.parent))
        peaks: dict[str, int] = {}
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            for key, kib in _memory(child.pid).items():
                peaks[key] = max(peaks.get(key, 0), kib)
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(0)
        if child.returncode != 0:
            message = err.read().decode("utf-8", "replace").strip()[:300]
            raise RuntimeError(f"ingest failed ({child.returncode}): {message}")
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        **{f"peak_{key[3:].lower()}_mb": round(peaks[key] / 1024, 1) if key in peaks else None
           for key in ("RssAnon", "RssFile")},
    }


def _memory(pid: int) -> dict[str, int]:
    """RssAnon and RssFile of a process, in KiB; empty when it has gone or there is no /proc."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            lines = status.readlines()
    except OSError:
        return {}
    fields = (line.split(":", 1) for line in lines)
    return {key: int(value.split()[0]) for key, value in fields if key in ("RssAnon", "RssFile")}


class _TimedExtractor:
    """An entity extractor that adds the time it spends to ``costs["entities"]``."""

    def __init__(self, extractor, costs: dict[str, float]):  # noqa: ANN001
        self.extractor, self.costs = extractor, costs

    def extract(self, fields):  # noqa: ANN001, ANN201
        start = time.perf_counter()
        found = self.extractor.extract(fields)
        self.costs["entities"] += time.perf_counter() - start
        return found


def stage_costs(files: list[Path], limit: int = 500) -> dict[str, float]:
    """Milliseconds per article of each ingest stage, in this process, over ``files[:limit]``
    (plus one file first, to load what is imported late): read, decode, extract, build the
    record (without entities), entities, encode the JSON, the rest of what a worker prepares
    for the writer (index text, catalog entry: ``pipeline.Prepared``), and store (write with
    the batched flush, catalog, index), in groups like ``ingest``'s."""
    from newsarchive.config import Config
    from newsarchive.extract import extract
    from newsarchive.pipeline import GROUP_SIZE, Ingester, Prepared, _html_hint, build_record
    from newsarchive.sources.files import Source, decode, read_bytes

    files = files[: limit + 1]
    costs: dict[str, float] = defaultdict(float)
    with tempfile.TemporaryDirectory() as folder:
        config = Config(archive=Path(folder) / "archive")
        with Ingester(config) as ingester:
            timed = _TimedExtractor(ingester.extractor, costs)
            prepared = []
            for number, path in enumerate(files):
                if number == 1:
                    costs.clear()
                clock = time.perf_counter()
                data = read_bytes(Source(str(path), path), config.max_input_bytes)
                clock = _lap(costs, "read", clock)
                decoded = decode(data)
                clock = _lap(costs, "decode", clock)
                article = extract(decoded.text, ingester.furniture, html=_html_hint(path))
                clock = _lap(costs, "extract", clock)
                record = build_record(article, str(path), timed, encoding=decoded.encoding)
                _lap(costs, "build record (with entities)", clock)
                clock = time.perf_counter()
                record.to_json()
                clock = _lap(costs, "encode JSON", clock)
                ready = Prepared.of(record)  # encodes the JSON again: subtracted below
                _lap(costs, "index text and catalog entry", clock)
                prepared.append((ready, path.name))
            clock = time.perf_counter()
            for start in range(1, len(prepared), GROUP_SIZE):
                ingester._store_group(prepared[start : start + GROUP_SIZE])  # noqa: SLF001
            ingester.flush()
            _lap(costs, "store (write, catalog, index)", clock)
    # Differences of two timings: on a loaded machine noise can take a small one below 0.
    costs["build record (with entities)"] = max(
        costs["build record (with entities)"] - costs["entities"], 0.0)
    costs["index text and catalog entry"] = max(
        costs["index text and catalog entry"] - costs["encode JSON"], 0.0)
    costs["build record"] = costs.pop("build record (with entities)")
    count = max(len(files) - 1, 1)
    return {name: round(seconds * 1000 / count, 3) for name, seconds in costs.items()}


def _lap(costs: dict[str, float], name: str, since: float) -> float:
    now = time.perf_counter()
    costs[name] += now - since
    return now


def measure(corpus: Path, archive: Path, stages: int = 500) -> dict:
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
        "peak_anon_mb": one["peak_anon_mb"],  # sampled: see ingest_once
        "peak_file_mb": one["peak_file_mb"],
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
    if stages:
        result["stages_ms_per_article"] = stage_costs(files, stages)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--archive", type=Path, required=True, help="a new folder")
    parser.add_argument("--stages", type=int, default=500,
                        help="files timed stage by stage in process (0: none)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.corpus, args.archive, args.stages), indent=1))


if __name__ == "__main__":
    main()
