"""The archive folder: one JSON file per record, the source of truth.

Layout::

    ARCHIVE/
      records/YYYY/MM/DD/<id>.json   one record each, sharded by date
      index/                         search index (derived; see index.py)
      catalog.sqlite                 catalog (derived; see catalog.py)

Writes are atomic: the JSON goes to a temp file in the same folder, is made durable, and is
renamed over the final name, so a reader or a crash never sees half a record. ``write_many``
does this for a group of records with one flush of the file system for the whole group
(``syncfs``; an fsync per file where there is none): fsync per file caps at a few hundred
files/s on this disk, a group of 64 costs about one.

Several processes (cron jobs) may share one archive. ``Archive.lock()`` is an OS file lock
(``flock`` on ``ARCHIVE/lock``) that writers hold around their decide-and-write step: is this
id new? write the record, register it. The kernel drops the lock when a process dies, so a
killed run never leaves the archive locked. Waiting is bounded (:data:`LOCK_WAIT`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

from . import libc
from .record import Record

RECORDS_DIR = "records"
TEMP_PREFIX = ".tmp-"
LOCK_FILE = "lock"
QUARANTINE_DIR = "quarantine"
# Seconds a writer waits for another run to release the archive before giving up. Writers
# hold the lock per record (milliseconds), `reindex` and `verify --repair` for their whole run.
# TODO(config): belongs in config.yaml as `archive_lock_wait`; the variable is for tests.
LOCK_WAIT = float(os.environ.get("NEWSARCHIVE_LOCK_WAIT", "60"))
_LOCK_POLL = 0.005  # first poll interval; doubles up to 50 ms


class ArchiveError(Exception):
    """The archive cannot be read or written (permissions, disk full, damaged file)."""


class ArchiveBusy(ArchiveError):
    """Another process held the archive lock longer than the wait allows."""


class Archive:
    """A folder of records. Knows paths and files; nothing about search."""

    def __init__(self, root: str | os.PathLike[str], lock_wait: float | None = None):
        self.root = Path(root)
        self.records_dir = self.root / RECORDS_DIR
        self.lock_wait = LOCK_WAIT if lock_wait is None else lock_wait
        self._lock_fd: int | None = None
        self._lock_depth = 0

    # -- locking --------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the archive's exclusive lock (re-entrant within this object).

        Raises :class:`ArchiveBusy` after :attr:`lock_wait` seconds, :class:`ArchiveError`
        when the lock file cannot be created (read-only or missing archive folder).
        """
        if self._lock_depth == 0:
            self._lock_fd = self._acquire()
        self._lock_depth += 1
        try:
            yield
        finally:
            self._lock_depth -= 1
            if self._lock_depth == 0 and self._lock_fd is not None:
                os.close(self._lock_fd)  # closing the descriptor releases the flock
                self._lock_fd = None

    def _acquire(self) -> int:
        path = self.root / LOCK_FILE
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ArchiveError(f"cannot lock the archive {self.root}: {_reason(exc)}") from exc
        deadline = time.monotonic() + self.lock_wait
        pause = _LOCK_POLL
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_holder(fd)
                    os.close(fd)
                    raise ArchiveBusy(
                        f"archive {self.root} is busy: another newsarchive run{holder} has held"
                        f" it for more than {self.lock_wait:g} s; try again later"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
        # Who holds it, for the message another waiting run prints (best effort; fixed width,
        # so no truncate, which costs a metadata write per record).
        with contextlib.suppress(OSError):
            os.pwrite(fd, f"{os.getpid():>10}\n".encode(), 0)
        return fd

    @property
    def locked(self) -> bool:
        return self._lock_depth > 0

    # -- housekeeping ---------------------------------------------------------------------
    def temp_files(self, directories: Iterable[Path] | None = None) -> list[Path]:
        """Leftover temp files of interrupted writes, in ``directories`` (default: all)."""
        if directories is None:
            if not self.records_dir.is_dir():
                return []
            directories = [Path(d) for d, _, _ in os.walk(self.records_dir)]
        found = []
        for directory in directories:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                found += sorted(directory.glob(TEMP_PREFIX + "*"))
        return found

    def remove_temp_files(self, directories: Iterable[Path] | None = None) -> list[Path]:
        """Delete leftover temp files. Only under the lock: every write happens under it, so
        a temp file seen while holding the lock belongs to a run that died mid-write."""
        if not self.locked:
            raise RuntimeError("remove_temp_files needs the archive lock")
        removed = []
        for path in self.temp_files(directories):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
        return removed

    def quarantine(self, path: Path) -> Path:
        """Move a damaged file to ``ARCHIVE/quarantine/`` (same relative path): never delete."""
        path = Path(path)
        try:
            relative = path.relative_to(self.root)
        except ValueError:
            relative = Path(path.name)
        target = self.root / QUARANTINE_DIR / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            while target.exists():  # never overwrite an earlier quarantined copy
                target = target.with_name(target.name + ".1")
            shutil.move(path, target)
        except OSError as exc:
            raise ArchiveError(f"cannot quarantine {path}: {_reason(exc)}") from exc
        return target

    # -- paths ----------------------------------------------------------------------------
    def relpath_for(self, record: Record) -> str:
        """Where a record lives, relative to the archive root: records/YYYY/MM/DD/<id>.json."""
        return relpath_of(record.id, record.date)

    def path_for(self, record: Record) -> Path:
        return self.root / self.relpath_for(record)

    # -- writing --------------------------------------------------------------------------
    def write(self, record: Record) -> Path:
        """Write ``record`` atomically and durably; return its path."""
        path = self.path_for(record)
        data = record.to_json()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, data)
        except OSError as exc:
            raise ArchiveError(f"cannot write {path}: {_reason(exc)}") from exc
        return path

    def write_many(self, records: list[Record]) -> list[Path]:
        """Write ``records`` atomically and durably, as one group; return their paths.

        Every record is durable when this returns. On an error none is reported written, no
        temp file is left, and some may already be in place (the caller's journal covers them).
        """
        return self.write_files([(self.relpath_for(r), r.to_json()) for r in records])

    def write_files(self, files: list[tuple[str, bytes]]) -> list[Path]:
        """``write_many`` of records already encoded: (relative path, the file's bytes), as
        an ingest worker makes them (the writing process then only writes)."""
        items = [(self.root / relpath, data) for relpath, data in files]
        try:
            if len(items) == 1:  # a group of one: an fsync of one file beats a file-system flush
                items[0][0].parent.mkdir(parents=True, exist_ok=True)
                atomic_write(*items[0])
            else:
                atomic_write_many(items)
        except OSError as exc:
            where = items[0][0] if len(items) == 1 else self.records_dir
            raise ArchiveError(f"cannot write {where}: {_reason(exc)}") from exc
        return [path for path, _ in items]

    # -- reading --------------------------------------------------------------------------
    def read_path(self, path: str | os.PathLike[str]) -> Record:
        data = self.read_data(path)
        try:
            return Record.from_dict(data)
        except (ValueError, KeyError, TypeError) as exc:
            raise ArchiveError(f"cannot read record {self.root / path}: {exc}") from exc

    def read_data(self, path: str | os.PathLike[str]) -> dict:
        """A record file as its JSON object, without building a :class:`Record`: for bulk
        readers (``reindex``) that only need a few fields. Raises :class:`ArchiveError` like
        ``read_path`` when the file is unreadable or not a JSON object."""
        full = os.path.join(self.root, path)
        try:
            with open(full, "rb") as handle:
                raw = handle.read()
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError:  # what json accepts and orjson not (NaN, huge ints)
                data = json.loads(raw)
        except (OSError, ValueError) as exc:
            raise ArchiveError(f"cannot read record {full}: {exc}") from exc
        if not isinstance(data, dict):
            raise ArchiveError(f"cannot read record {full}: not a JSON object")
        return data

    def record_relpaths(self) -> Iterator[str]:
        """``record_paths`` relative to the archive root, as strings (cheap to send to worker
        processes)."""
        root, folder, relative = str(self.root), "", ""
        for dirpath, name in self._walk_records(str(self.records_dir)):
            if dirpath != folder:  # one relpath per folder, not per file
                folder, relative = dirpath, os.path.relpath(dirpath, root)
            yield f"{relative}/{name}"

    def record_paths(self) -> Iterator[Path]:
        """Every record file, in date order (oldest first), skipping temp files."""
        for dirpath, name in self._walk_records(str(self.records_dir)):
            yield Path(dirpath) / name

    def _walk_records(self, top: str) -> Iterator[tuple[str, str]]:
        """(folder, file name) of every record file under ``top``, in date order."""
        if not os.path.isdir(top):
            return
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(".json") and not name.startswith(TEMP_PREFIX):
                    yield dirpath, name

    def records(self) -> Iterator[Record]:
        for path in self.record_paths():
            yield self.read_path(path)


def relpath_of(record_id: str, date: str) -> str:
    """Where the record with this id and date (YYYY-MM-DD…) lives, relative to the root."""
    year, month, day = date[:10].split("-")
    return f"{RECORDS_DIR}/{year}/{month}/{day}/{record_id}.json"


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _read_holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


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


def atomic_write_many(items: list[tuple[Path, bytes]]) -> None:
    """``atomic_write`` for many files with one durability barrier for the data and one for the
    renames: write every temp file, flush them all, rename them all, flush the folders."""
    temps: list[tuple[int | None, str, Path]] = []
    made: set[Path] = set()  # folders known to exist: a group shares a few date folders
    try:
        for path, data in items:
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
            temps.append((fd, temp, path))
            _write_all(fd, data)
        _flush_files([fd for fd, _, _ in temps if fd is not None])
        for number, (fd, temp, path) in enumerate(temps):
            os.close(fd)
            temps[number] = (None, temp, path)
        # Renames only after every byte is durable: a crash shows old or whole new files.
        for number, (_, temp, path) in enumerate(temps):
            os.replace(temp, path)
            temps[number] = (None, "", path)
        _flush_folders({path.parent for _, _, path in temps})
    except BaseException:
        for fd, temp, _ in temps:
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
            if temp:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def close_inherited_locks(root: str | os.PathLike[str]) -> int:
    """In a forked worker process: close the descriptors of lock files under the archive
    ``root`` (the archive's ``lock``, the index's ``.tantivy-*.lock``) that it inherited;
    return how many. Workers never lock anything themselves.

    A flock belongs to the open file description, which fork shares with the child: a worker
    keeping its copy holds the parent's lock after the parent has released it. The parent's
    next index writer then finds the writer lock busy, and its next commit waits for ever on
    the meta lock that a tantivy thread held at the fork (seen: ``reindex`` and ``ingest
    --jobs 2`` hanging in tantivy's ``commit`` with their workers alive). Linux (/proc) only;
    elsewhere nothing is closed.
    """
    prefix = os.path.realpath(root) + os.sep
    try:
        descriptors = os.listdir("/proc/self/fd")
    except OSError:
        return 0
    closed = 0
    for name in descriptors:
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:  # the listing's own descriptor, gone already
            continue
        if target.startswith(prefix) and (
            target.endswith(".lock") or target == prefix + LOCK_FILE
        ):
            with contextlib.suppress(OSError):
                os.close(int(name))
                closed += 1
    return closed


def release_free_memory() -> bool:
    """Give the memory malloc holds free back to the system (glibc's ``malloc_trim``);
    False where there is none.

    Each thread that allocates gets a malloc arena of its own that keeps what it freed. The
    search index starts new writer and merge threads at every commit, so a long ingest grew
    by ~10 MB per 1,000 articles (measured: 45 → 98 MB anonymous memory over 12,000 stored
    records, still growing; 30 MB and flat with a trim after each index commit, which costs
    about a millisecond per 500 records). Capping the arenas (``mallopt``) also kept it flat
    but hung a later fork-then-merge in ``reindex`` in the test suite.
    """
    malloc_trim = libc.function("malloc_trim", "c_size_t")
    if malloc_trim is None:
        return False
    malloc_trim(0)
    return True


def _syncfs(fd: int) -> bool:
    """Flush the file system of ``fd``; False when there is no syncfs (then fsync per file).
    Since Linux 5.8 syncfs reports write-back errors like fsync does."""
    syncfs = libc.function("syncfs", "c_int")  # flushes one file system, not all (os.sync)
    if syncfs is None:
        return False
    if syncfs(fd) != 0:
        raise libc.last_error()
    return True


def _flush_files(fds: list[int]) -> None:
    if fds and _syncfs(fds[0]):
        return  # every file of a group lives on the archive's one file system
    for fd in fds:
        os.fsync(fd)


def _flush_folders(folders: set[Path]) -> None:
    """Make the renames durable: one syncfs, else an fsync of each folder."""
    if not folders:
        return
    first = os.open(next(iter(folders)), os.O_RDONLY)
    try:
        if _syncfs(first):
            return
    finally:
        os.close(first)
    for folder in folders:
        _fsync_dir(folder)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
