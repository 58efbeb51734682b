"""``reindex`` and the rebuilds of a missing catalog or index, which share its parallel path."""

from __future__ import annotations

import shutil

import pytest
from test_index import CORPUS, ids, rec

from newsarchive import rebuild
from newsarchive.catalog import Catalog
from newsarchive.index import SearchIndex
from newsarchive.store import Archive


@pytest.fixture(params=[1, 2], ids=["one process", "workers"])
def archive(request, tmp_path, monkeypatch) -> Archive:
    """CORPUS written as files; with ``workers``, rebuilds fork worker processes."""
    monkeypatch.setattr(rebuild, "REINDEX_CHUNK", 2)
    monkeypatch.setattr(rebuild, "REINDEX_PARALLEL_FROM", 1 if request.param == 2 else 10**9)
    store = Archive(tmp_path / "archive")
    for record in CORPUS:
        store.write(record)
    return store


def test_an_id_stored_twice_is_indexed_once_whatever_the_file_name(archive):
    first = archive.path_for(CORPUS[0])
    again = archive.root / "records/2023/12/31" / first.name  # the same id under another day
    again.parent.mkdir(parents=True)
    shutil.copy(first, again)
    misplaced = archive.root / "records/2024/01/01/ffffffffffffffff.json"  # named otherwise
    shutil.copy(archive.path_for(CORPUS[1]), misplaced)
    assert rebuild.reindex(archive) == len(CORPUS) + 2
    index = SearchIndex(archive.root / "index")
    assert index.doc_count() == len(CORPUS)
    assert sorted(index.ids()) == sorted(r.id for r in CORPUS)
    assert ids(index, "واشنطن") == [CORPUS[0].id]
    with Catalog(archive.root / "catalog.sqlite") as catalog:
        assert catalog.count() == len(CORPUS)


def test_a_missing_catalog_is_rebuilt_alone(archive):
    rebuild.reindex(archive)
    with Catalog(archive.root / "catalog.sqlite") as catalog:
        expected = [catalog.get(r.id) for r in CORPUS], catalog.top_entities()
    meta = (archive.root / "index" / "meta.json").read_bytes()
    (archive.root / "catalog.sqlite").unlink()
    with rebuild.open_catalog(archive) as catalog:
        assert ([catalog.get(r.id) for r in CORPUS], catalog.top_entities()) == expected
        assert catalog.summary_differences() == 0
    assert (archive.root / "index" / "meta.json").read_bytes() == meta  # index untouched


def test_a_missing_index_is_rebuilt_alone_and_the_journal_kept(archive):
    extra = rec("b001", "خبر", "اجتماع في عمان", day="2024-03-01")
    archive.write(extra)
    rebuild.reindex(archive)
    with Catalog(archive.root / "catalog.sqlite") as catalog:
        catalog.journal_add(extra.id, archive.relpath_for(extra))  # as a run cut short
    shutil.rmtree(archive.root / "index")
    index = rebuild.open_index(archive)
    assert not index.needs_rebuild and index.doc_count() == len(CORPUS) + 1
    assert ids(index, "عمان") == ["b001"]
    with Catalog(archive.root / "catalog.sqlite") as catalog:
        assert catalog.journal() == [(extra.id, archive.relpath_for(extra))]


def test_a_chunk_sends_each_entity_once_and_the_last_name_wins(archive, monkeypatch):
    """Workers send a chunk's entities with its last record only; the catalog keeps the
    name of the last record (in file order) that mentions an entity, as one process does."""
    named = [rec(f"b00{n}", "خبر", "نص", day=f"2024-03-0{n}", entities=(("per:z", "PER", name),))
             for n, name in enumerate(["زيد", "زيد بن علي", "أبو زيد"], start=1)]
    for record in named:
        archive.write(record)
    monkeypatch.setattr(rebuild, "REINDEX_CHUNK", 2)  # chunks of [b001, b002] and [b003]
    rebuild.reindex(archive, jobs=2)
    with Catalog(archive.root / "catalog.sqlite") as catalog:
        top = {entity.id: entity for entity in catalog.top_entities()}
        assert (top["per:z"].name, top["per:z"].mentions, top["per:z"].records) == ("أبو زيد", 3, 3)
        assert catalog.resolve_entity("ابو زيد") == ["per:z"]


def test_chunk_entities_moves_the_entities_to_the_last_entry():
    entries = [({"id": "a"}, (("a",), [], {"e1": ("PER", "x", "x"), "e2": ("LOC", "y", "y")})),
               ({"id": "b"}, (("b",), [], {"e1": ("PER", "z", "z")}))]
    out = rebuild._chunk_entities(entries)
    assert [item[1][2] for item in out] == [{}, {"e1": ("PER", "z", "z"), "e2": ("LOC", "y", "y")}]
    assert [item[1][0] for item in out] == [("a",), ("b",)]
