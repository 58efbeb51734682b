"""The archive folder: one JSON file per record, the source of truth.

Layout::

    ARCHIVE/
      records/YYYY/MM/DD/<id>.json   one record each, sharded by date
      index/                         search index (derived; see index.py)
      catalog.sqlite                 catalog (derived; see catalog.py)

Writes are atomic: the JSON goes to a temp file in the same folder, is fsynced, and is
renamed over the final name, so a reader or a crash never sees half a record.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .record import Record

RECORDS_DIR = "records"
TEMP_PREFIX = ".tmp-"


class ArchiveError(Exception):
    """The archive cannot be read or written (permissions, disk full, damaged file)."""


class Archive:
    """A folder of records. Knows paths and files; nothing about search."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)
        self.records_dir = self.root / RECORDS_DIR

    # -- paths ----------------------------------------------------------------------------
    def relpath_for(self, record: Record) -> str:
        """Where a record lives, relative to the archive root: records/YYYY/MM/DD/<id>.json."""
        year, month, day = record.date.split("-")
        return f"{RECORDS_DIR}/{year}/{month}/{day}/{record.id}.json"

    def path_for(self, record: Record) -> Path:
        return self.root / self.relpath_for(record)

    # -- writing --------------------------------------------------------------------------
    def write(self, record: Record) -> Path:
        """Write ``record`` atomically and durably; return its path."""
        path = self.path_for(record)
        data = json.dumps(record.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, data)
        except OSError as exc:
            raise ArchiveError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return path

    # -- reading --------------------------------------------------------------------------
    def read_path(self, path: str | os.PathLike[str]) -> Record:
        full = self.root / path
        try:
            return Record.from_dict(json.loads(full.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ArchiveError(f"cannot read record {full}: {exc}") from exc

    def record_paths(self) -> Iterator[Path]:
        """Every record file, in date order (oldest first), skipping temp files."""
        if not self.records_dir.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(self.records_dir):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(".json") and not name.startswith(TEMP_PREFIX):
                    yield Path(dirpath) / name

    def records(self) -> Iterator[Record]:
        for path in self.record_paths():
            yield self.read_path(path)

    def find(self, record_id: str) -> Path | None:
        """The path of the record with this id (or unique id prefix), by walking the folder.

        The catalog answers this faster; this is the fallback that needs no derived data.
        """
        matches = [p for p in self.record_paths() if p.stem.startswith(record_id)]
        return matches[0] if len(matches) == 1 else None


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` holds either the old or the new bytes."""
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
