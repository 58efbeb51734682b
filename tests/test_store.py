"""The archive folder: atomic writes, the lock, temp-file clean-up, quarantine."""

from __future__ import annotations

import ctypes.util
import json

import pytest

from newsarchive.record import Mention, Record
from newsarchive.store import Archive, ArchiveBusy, ArchiveError, release_free_memory


def record(i: int = 0) -> Record:
    return Record(id=f"{i:016x}", title="عنوان", text="نص", source="/x",
                  ingested_at="2024-03-05T10:00:00Z")


def test_write_is_atomic_and_leaves_no_temp_file(tmp_path):
    archive = Archive(tmp_path)
    path = archive.write(record())
    assert path == tmp_path / "records/2024/03/05/0000000000000000.json"
    assert archive.read_path(path).title == "عنوان"
    assert not archive.temp_files()


def test_lock_is_reentrant_and_exclusive_between_holders(tmp_path):
    first, second = Archive(tmp_path), Archive(tmp_path, lock_wait=0.1)
    with first.lock(), first.lock():  # re-entrant within one Archive
        assert first.locked
        with pytest.raises(ArchiveBusy, match="is busy.*0.1 s"), second.lock():
            pass
    with second.lock():  # released on exit
        assert second.locked
    assert not first.locked and not second.locked


def test_temp_files_are_removed_only_under_the_lock(tmp_path):
    archive = Archive(tmp_path)
    archive.write(record())
    stray = tmp_path / "records/2024/03/05/.tmp-abc"
    stray.write_text("{")
    assert archive.temp_files() == [stray]
    assert list(archive.record_paths()) == [tmp_path / "records/2024/03/05/0000000000000000.json"]
    with pytest.raises(RuntimeError):
        archive.remove_temp_files()
    with archive.lock():
        assert archive.remove_temp_files() == [stray]
    assert not stray.exists()


def test_quarantine_moves_and_never_overwrites(tmp_path):
    archive = Archive(tmp_path)
    first = archive.write(record())
    first_bytes = first.read_bytes()
    moved = archive.quarantine(first)
    assert moved == tmp_path / "quarantine/records/2024/03/05/0000000000000000.json"
    second = archive.write(record())
    moved_again = archive.quarantine(second)
    assert moved_again != moved and moved.read_bytes() == first_bytes


def test_unwritable_archive_is_an_archive_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(ArchiveError, match="cannot"):
        Archive(tmp_path / "file").write(record())
    with pytest.raises(ArchiveError, match="cannot lock"), Archive(tmp_path / "file").lock():
        pass


def test_write_many_writes_a_group_durably_and_leaves_no_temp_file(tmp_path):
    archive = Archive(tmp_path)
    group = [record(i) for i in range(5)]
    group[3] = Record(id="3" * 16, title="آخر", text="نص", source="/y",
                      ingested_at="2024-04-01T10:00:00Z")  # another folder
    paths = archive.write_many(group)
    assert [archive.read_path(p).id for p in paths] == [r.id for r in group]
    assert paths[3].parent.name == "01" and not archive.temp_files()


def test_a_failed_group_write_leaves_no_temp_file(tmp_path):
    archive = Archive(tmp_path)
    archive.write_many([record(0), record(1)])
    # A folder where one record's file must go: its rename fails after the others' temp files
    # were written and flushed. Nothing is reported written, no temp file is left behind.
    blocker = archive.path_for(record(2))
    blocker.mkdir(parents=True)
    (blocker / "x").write_text("keeps the folder non-empty")
    with pytest.raises(ArchiveError, match="cannot write"):
        archive.write_many([record(3), record(2), record(4)])
    assert not archive.temp_files()


def test_record_file_is_compact_json_that_reads_back_the_same(tmp_path):
    archive = Archive(tmp_path)
    original = Record(id="a" * 16, title="عنوان «مقتبس»", text='نص\n\nفقرة "ثانية"\t\\',
                      source="/x", ingested_at="2024-03-05T10:00:00Z",
                      entities=[Mention("loc:iq", "LOC", "العراق", "العراق", "text", 0, 6)])
    path = archive.write(original)
    raw = path.read_bytes()
    assert raw.endswith(b"}\n") and raw.count(b"\n") == 1  # one line: orjson, compact
    assert json.loads(raw) == original.to_dict()
    assert archive.read_path(path) == original
    assert "العراق" in raw.decode("utf-8")  # UTF-8, not \\u escapes


def test_a_lone_surrogate_fails_the_write_like_the_standard_encoder(tmp_path):
    bad = Record(id="b" * 16, title="\udc80", text="نص", source="/x",
                 ingested_at="2024-03-05T10:00:00Z")
    with pytest.raises(UnicodeEncodeError):
        bad.to_json()


def test_free_memory_can_be_released_here():
    # glibc (this machine, the target): the ingest relies on it to keep its memory flat.
    assert release_free_memory() is (ctypes.util.find_library("c") is not None)
