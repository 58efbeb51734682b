"""A catalog rebuild that writes its entities and counts as it goes (``REBUILD_ENTITIES``), so
its memory stays bounded: names and counts must come out as if gathered to the end.

The bounds are set tiny here so that a few records cross several batches and entity writes.
"""

from __future__ import annotations

import pytest

from newsarchive import catalog as catalog_module
from newsarchive.catalog import SUMMARY_QUERY, Catalog, entry


def _entry(record_id: str, *mentions: tuple[str, str, str]) -> catalog_module.Entry:
    day = "2024-01-05"
    row = (record_id, f"records/2024/01/05/{record_id}.json", "t", day, day,
           f"{day}T10:00:00Z", "src")
    return entry(row, mentions)


def _tables(cat: Catalog) -> dict[str, list[tuple]]:
    conn = cat._conn  # noqa: SLF001 - the stored rows are what the test compares
    return {table: sorted(conn.execute(f"SELECT * FROM {table}"))  # noqa: S608 - fixed names
            for table in ("records", "mentions", "entities", "entity_counts")}


def _rebuild(path, entries) -> dict[str, list[tuple]]:
    with Catalog(path) as cat:
        with cat.rebuilding() as put:
            for item in entries:
                put.add(item)
        assert cat.summary_differences() == 0
        assert sorted(cat._conn.execute(SUMMARY_QUERY)) == _tables(cat)["entity_counts"]  # noqa: SLF001
        return _tables(cat)


AMMAN = [("loc:amman", "LOC", "عمان"), ("loc:amman", "LOC", "عمّان")]
ENTRIES = [
    _entry("r01", AMMAN[0], ("per:zaid", "PER", "زيد"), ("per:zaid", "PER", "زيد")),
    _entry("r02", ("org:un", "ORG", "الأمم المتحدة")),
    _entry("r03", AMMAN[1], ("per:x:a", "PER", "أ")),
    _entry("r04", ("per:zaid", "PER", "زيد بن علي")),  # the same entity, named differently
    _entry("r05", ("per:x:b", "PER", "ب"), ("per:x:c", "PER", "ج")),
    _entry("r06", ("org:un", "ORG", "الامم المتحدة"), ("loc:amman", "LOC", "عمان")),
    _entry("r07", ("per:x:d", "PER", "د")),
]


@pytest.fixture
def tiny_bounds(monkeypatch):
    """Two records a batch and entities written after every batch."""
    monkeypatch.setattr(catalog_module, "REBUILD_BATCH", 2)
    monkeypatch.setattr(catalog_module, "REBUILD_ENTITIES", 1)


def test_names_and_counts_as_if_gathered_to_the_end(tmp_path, monkeypatch, tiny_bounds):
    written = _rebuild(tmp_path / "small.sqlite", ENTRIES)
    monkeypatch.setattr(catalog_module, "REBUILD_BATCH", 1000)
    monkeypatch.setattr(catalog_module, "REBUILD_ENTITIES", 1000)
    assert written == _rebuild(tmp_path / "large.sqlite", ENTRIES)  # one write at the end
    names = {eid: name for eid, _, name, _ in written["entities"]}
    # The last record met names it, across batches and entity writes.
    assert names["per:zaid"] == "زيد بن علي"
    assert names["org:un"] == "الامم المتحدة"
    assert names["loc:amman"] == "عمان"
    counts = {eid: (mentions, records) for eid, _, mentions, records in written["entity_counts"]}
    assert counts["per:zaid"] == (3, 2)
    assert counts["loc:amman"] == (3, 3)
    assert counts["org:un"] == (2, 2)


def test_a_record_met_in_two_batches_keeps_its_last_copy(tmp_path, tiny_bounds):
    again = _entry("r01", ("org:un", "ORG", "منظمة الأمم المتحدة"))  # r01 under another date
    written = _rebuild(tmp_path / "c.sqlite", [*ENTRIES, again])
    mentions = [row for row in written["mentions"] if row[0] == "r01"]
    assert mentions == [("r01", "org:un", "ORG", "منظمة الأمم المتحدة", 1)]
    counts = {eid: (mentions, records) for eid, _, mentions, records in written["entity_counts"]}
    assert counts["per:zaid"] == (1, 1)  # r01's two mentions went with its first copy
    assert counts["loc:amman"] == (2, 2)
    assert counts["org:un"] == (3, 3)
    names = {eid: name for eid, _, name, _ in written["entities"]}
    assert names["org:un"] == "منظمة الأمم المتحدة"
    assert names["per:zaid"] == "زيد بن علي"  # an entity no longer mentioned keeps its row


def test_a_failed_rebuild_leaves_the_catalog_as_it_was(tmp_path, tiny_bounds):
    path = tmp_path / "c.sqlite"
    before = _rebuild(path, ENTRIES)
    with Catalog(path) as cat:
        with pytest.raises(RuntimeError), cat.rebuilding() as put:
            for item in ENTRIES[:5]:  # entities already written by then
                put.add(item)
            raise RuntimeError("disk gone")
        assert _tables(cat) == before
