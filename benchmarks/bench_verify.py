"""``newsarchive verify`` over the whole archive, wall time (when the command exists).

Baseline (same run): reading and JSON-parsing every record, the floor of any verification.

    python -m benchmarks.bench_verify --archive DIR
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .bench_reindex import read_all
from .common import has_command, run_cli


def measure(archive: Path) -> dict:
    if not has_command(archive, "verify"):
        return {"available": False}
    count, floor = read_all(archive)
    run = run_cli(archive, "verify")
    return {
        "available": True,
        "records": count,
        "seconds": round(run.seconds, 2),
        "exit_code": run.returncode,
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "baseline_read_json_s": round(floor, 2),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    print(json.dumps(measure(parser.parse_args(argv).archive), indent=1))


if __name__ == "__main__":
    main()
