"""Disk use per article: record files, search index and catalog, in bytes.

"bytes" is what the files hold; "allocated" is what the file system gives them (a small
record still takes a whole 4 KiB block). Baseline: the input files' own bytes.

    python -m benchmarks.bench_disk --archive DIR [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .common import folder_bytes


def measure(archive: Path, corpus: Path | None = None) -> dict:
    count = sum(1 for _ in (archive / "records").rglob("*.json"))
    result: dict = {"records": count}
    parts = {"records": archive / "records", "index": archive / "index",
             "catalog": archive / "catalog.sqlite"}
    if corpus is not None:
        parts["baseline_input"] = corpus
    for name, path in parts.items():
        size, allocated = folder_bytes(path) if path.exists() else (0, 0)
        result[f"{name}_bytes_per_article"] = round(size / max(count, 1))
        result[f"{name}_allocated_per_article"] = round(allocated / max(count, 1))
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.archive, args.corpus), indent=1))


if __name__ == "__main__":
    main()
