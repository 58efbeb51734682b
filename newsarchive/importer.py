"""Records from JSON Lines (the Spark job's output, ``newsarchive.spark``) into an archive.

Every line is checked the way ``verify`` checks a record file (the schema, the id its title
and text hash to, entity offsets) and then stored the archive's way, by the same
:meth:`~newsarchive.pipeline.Ingester.store_all` as ``ingest``: journal, atomic group write,
catalog, search index, all under the archive lock. A record whose id the archive holds is a
duplicate; a bad line fails alone (``FILE:LINE``) and the rest go through.

Folders are walked in sorted order; Spark's bookkeeping files (``_SUCCESS``, ``.crc``, other
names starting with ``_`` or ``.``) are left out. ``.gz`` files are read compressed.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .pipeline import Ingester, Outcome
from .record import Record
from .sources.files import SourceError, _os_reason
from .store import Archive
from .verify import MISPLACED, check_record

__all__ = ["import_paths", "record_files"]


def record_files(paths: Iterable[str]) -> Iterator[Path | SourceError]:
    """The files named, and every file in the folders named (sorted, recursively)."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
                for file in sorted(files):
                    if not file.startswith(("_", ".")):
                        yield Path(folder) / file
        elif path.exists():
            yield path
        else:
            yield SourceError(name, "no such file or directory")


def import_paths(ingester: Ingester, paths: Iterable[str]) -> Iterator[Outcome]:
    """Store the records of every line of ``paths``; one outcome per line, in order."""
    yield from ingester.store_all(_prepared(paths, ingester.archive))


def _prepared(paths: Iterable[str], archive: Archive) -> Iterator[Outcome | tuple[Record, str]]:
    for item in record_files(paths):
        if isinstance(item, SourceError):
            yield Outcome(item.name, "failed", error=item.reason)
            continue
        try:
            for number, line in _lines(item):
                if line.strip():
                    yield parse_line(line, f"{item}:{number}", archive)
        except OSError as exc:
            yield Outcome(str(item), "failed", error=_os_reason(exc))
        except EOFError:
            yield Outcome(str(item), "failed", error="compressed file ends too soon")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered lines; bytes that are not UTF-8 become U+FFFD (and fail the line's checks)."""
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="\n") as handle:
        yield from enumerate(handle, 1)


def parse_line(line: str, where: str, archive: Archive) -> Outcome | tuple[Record, str]:
    """One line to (record, where), or a failed outcome with a one-line reason."""
    try:
        data = json.loads(line)
    except ValueError as exc:
        return Outcome(where, "failed", error=f"not valid JSON: {str(exc).splitlines()[0]}")
    if not isinstance(data, dict):
        return Outcome(where, "failed", error="not a record (a JSON object)")
    # As `verify` checks a file, less the place in the archive: it is this import that files it.
    problems = [p for p in check_record(data, where, archive) if p.kind != MISPLACED]
    if problems:
        kind, message = problems[0].kind, problems[0].message
        return Outcome(where, "failed", error=f"not a valid record ({kind}): {message}")
    return Record.from_dict(data), where
