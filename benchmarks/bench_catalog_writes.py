"""What registering new records costs a catalog of a given size: the part of ingest that
grows with the archive.

Builds the catalog entries of the inputs in ``--corpus`` (as ingest does), copies
``ARCHIVE/catalog.sqlite`` to a temporary folder, and adds the entries to the copy in
ingest's groups (``Catalog.add_entries``, checkpointing as ingest does). Prints, per record:
wall time, user and system CPU, and the bytes this process wrote (``/proc/self/io``: the
write-ahead log's frames and the checkpoints' copies). Run it against an empty archive and a
large one to see the growth.

    python -m benchmarks.bench_catalog_writes --archive DIR --corpus NEW_INPUTS [--files 2000]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from .common import input_files


def entries_of(files: list[Path]) -> list:
    """The catalog entries ingest would register for ``files``."""
    from newsarchive.config import Config
    from newsarchive.extract import extract
    from newsarchive.pipeline import Ingester, Prepared, _html_hint, build_record
    from newsarchive.sources.files import decode

    with tempfile.TemporaryDirectory() as folder, \
            Ingester(Config(archive=Path(folder) / "archive")) as ingester:
        entries = []
        for path in files:
            decoded = decode(path.read_bytes())
            article = extract(decoded.text, ingester.furniture, html=_html_hint(path))
            record = build_record(article, str(path), ingester.extractor)
            entries.append(Prepared.of(record).entry)
        return entries


def _written() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    return 0


def measure(catalog_file: Path, entries: list, group: int) -> dict[str, float]:
    from newsarchive.catalog import Catalog

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "catalog.sqlite"
        if catalog_file.exists():
            shutil.copyfile(catalog_file, copy)
        catalog = Catalog(copy)
        catalog.write_in_bulk()
        before, written = resource.getrusage(resource.RUSAGE_SELF), _written()
        clock = time.perf_counter()
        for start in range(0, len(entries), group):
            catalog.add_entries(entries[start : start + group])
        catalog.close()
        after = resource.getrusage(resource.RUSAGE_SELF)
        per = 1000 / len(entries)
        return {
            "wall_ms": round((time.perf_counter() - clock) * per, 3),
            "user_ms": round((after.ru_utime - before.ru_utime) * per, 3),
            "system_ms": round((after.ru_stime - before.ru_stime) * per, 3),
            "kb_written": round((_written() - written) / 1000 / len(entries), 1),
        }


def main() -> None:
    from newsarchive.pipeline import GROUP_SIZE

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True, help="archive whose catalog to copy")
    parser.add_argument("--corpus", type=Path, required=True, help="inputs not in that archive")
    parser.add_argument("--files", type=int, default=2000)
    args = parser.parse_args()
    files = input_files(args.corpus)[: args.files]
    if not files:
        parser.error(f"no input files in {args.corpus}")
    entries = entries_of(files)
    catalog = args.archive / "catalog.sqlite"
    with tempfile.TemporaryDirectory() as folder:
        empty = measure(Path(folder) / "none.sqlite", entries, GROUP_SIZE)
    full = measure(catalog, entries, GROUP_SIZE)
    print(f"{len(entries)} records in groups of {GROUP_SIZE}, per record:")
    for name, figures in (("empty catalog", empty), (str(catalog), full)):
        print(f"  {name}: " + ", ".join(f"{key} {value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
