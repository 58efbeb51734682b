"""CLI start-up: ``newsarchive --help`` and ``search`` on an empty archive, wall time.

Baselines (same run): the bare interpreter (``python -c pass``) and importing click, the
floor for any click program.

    python -m benchmarks.bench_startup --workdir DIR [--repeat 10]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from pathlib import Path

from .common import clean_env, cli_command, run_process


def timings(argv: list[str], home: Path, repeat: int) -> dict:
    env = clean_env(home)
    run_process(argv, cwd=home, env=env)  # warm the page cache; not counted
    seconds = [run_process(argv, cwd=home, env=env).seconds for _ in range(repeat)]
    return {"median_ms": round(statistics.median(seconds) * 1000, 1),
            "min_ms": round(min(seconds) * 1000, 1)}


def measure(workdir: Path, repeat: int = 10) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    empty = workdir / "empty-archive"
    shutil.rmtree(empty, ignore_errors=True)
    empty.mkdir()
    cli = cli_command()
    return {
        "help": timings([*cli, "--help"], workdir, repeat),
        "search_empty": timings([*cli, "--archive", str(empty), "search", "العراق"],
                                workdir, repeat),
        "baseline_python": timings([sys.executable, "-c", "pass"], workdir, repeat),
        "baseline_import_click": timings([sys.executable, "-c", "import click"], workdir, repeat),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.workdir, args.repeat), indent=1))


if __name__ == "__main__":
    main()
