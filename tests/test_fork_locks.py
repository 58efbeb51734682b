"""Worker processes forked while the parent holds a lock must not keep it.

A flock belongs to the open file description, which fork shares: without
``store.close_inherited_locks`` in the workers' initializer, a lock the parent releases stays
held as long as its workers live (its next index writer finds the lock busy; its next commit
can wait for ever on tantivy's meta lock). Each test holds a lock while a real pool forks,
releases it, and takes it again with the workers still alive.
"""

from __future__ import annotations

import contextlib
import os

import pytest

from newsarchive import index as index_module
from newsarchive import pipeline, rebuild
from newsarchive.config import Config
from newsarchive.entities.extract import EntityExtractor
from newsarchive.index import SearchIndex
from newsarchive.store import Archive, ArchiveBusy, close_inherited_locks


def _reindex_pool(archive: Archive) -> contextlib.AbstractContextManager:
    return rebuild._reindex_pool(2, archive.root)


def _ingest_pool(archive: Archive) -> contextlib.AbstractContextManager:
    extractor = EntityExtractor.from_paths([], use_default=False)
    return pipeline._worker_pool(2, Config(archive=archive.root), extractor)


POOLS = {"reindex": _reindex_pool, "ingest --jobs": _ingest_pool}


@pytest.mark.parametrize("make_pool", POOLS.values(), ids=POOLS.keys())
def test_workers_forked_under_the_index_writer_do_not_keep_its_lock(tmp_path, monkeypatch,
                                                                     make_pool):
    monkeypatch.setattr(index_module, "LOCK_TIMEOUT", 0.5)
    archive = Archive(tmp_path / "archive")
    index = SearchIndex(archive.root / "index")
    with contextlib.ExitStack() as workers:
        with index._writer():  # the writer's lock held while the workers fork
            pool = workers.enter_context(make_pool(archive))
            pool.submit(int).result()  # "fork" starts every worker at the first task
        with index._writer():  # SearchIndexError (lock busy) if a worker kept the lock
            pass


@pytest.mark.parametrize("make_pool", POOLS.values(), ids=POOLS.keys())
def test_workers_forked_under_the_archive_lock_do_not_keep_it(tmp_path, make_pool):
    archive = Archive(tmp_path / "archive")
    with contextlib.ExitStack() as workers:
        with archive.lock():
            pool = workers.enter_context(make_pool(archive))
            pool.submit(int).result()
        try:
            with Archive(archive.root, lock_wait=0.3).lock():  # another run
                pass
        except ArchiveBusy:
            pytest.fail("a worker process kept the archive lock after the parent released it")


def test_close_inherited_locks_closes_only_lock_files_under_the_root(tmp_path):
    root = tmp_path / "archive"
    (root / "index").mkdir(parents=True)
    lock = open(root / "index" / ".tantivy-meta.lock", "w")  # noqa: SIM115 - closed below
    record = open(root / "index" / "meta.json", "w")  # noqa: SIM115
    elsewhere = open(tmp_path / "other.lock", "w")  # noqa: SIM115
    try:
        assert close_inherited_locks(root) == 1
        with pytest.raises(OSError):
            os.fstat(lock.fileno())
        os.fstat(record.fileno())
        os.fstat(elsewhere.fileno())
    finally:
        for handle in (record, elsewhere):
            handle.close()
        with contextlib.suppress(OSError):
            lock.close()
