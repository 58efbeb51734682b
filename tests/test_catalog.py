"""The SQLite catalog: paths, recent records, entity counts and name resolution."""

from __future__ import annotations

import pytest

from newsarchive.catalog import Catalog, CatalogRow, EntityCount
from newsarchive.record import Mention, Record


def mention(eid: str, etype: str, name: str, surface: str | None = None) -> Mention:
    return Mention(
        id=eid, type=etype, name=name, surface=surface or name, field="text", start=0, end=1
    )


def rec(rid: str, day: str, ingested: str, *mentions: Mention, published: bool = True) -> Record:
    return Record(
        id=rid,
        title=f"عنوان {rid}",
        text="نص",
        source="src",
        ingested_at=ingested,
        published=f"{day}T09:00:00Z" if published else None,
        entities=list(mentions),
    )


def relpath(record: Record) -> str:
    y, m, d = record.date.split("-")
    return f"records/{y}/{m}/{d}/{record.id}.json"


IQ = ("loc:iq", "LOC", "العراق")
US = ("loc:us", "LOC", "الولايات المتحدة")
UN = ("org:un", "ORG", "الأمم المتحدة")
ZAID = ("per:zaid", "PER", "زيد")

RECORDS = [
    rec("aaaa1111", "2024-01-01", "2024-01-02T10:00:00Z", mention(*IQ), mention(*IQ), mention(*UN)),
    rec("aaaa2222", "2024-01-03", "2024-01-03T10:00:00Z", mention(*IQ), mention(*US)),
    rec("bbbb3333", "2024-01-03", "2024-01-03T11:00:00Z", mention(*ZAID)),
    rec("cccc4444", "2024-01-02", "2024-01-05T08:00:00Z", published=False),  # filed 2024-01-05
]


@pytest.fixture
def catalog(tmp_path):
    cat = Catalog(tmp_path / "catalog.sqlite")
    cat.add_many((r, relpath(r)) for r in RECORDS)
    yield cat
    cat.close()


def test_has_count_and_path(catalog):
    assert catalog.count() == 4
    assert catalog.has("aaaa1111")
    assert not catalog.has("aaaa")
    assert catalog.path_of("aaaa1111") == "records/2024/01/01/aaaa1111.json"
    assert catalog.path_of("cccc4444") == "records/2024/01/05/cccc4444.json"


def test_path_of_prefix(catalog):
    assert catalog.path_of("bbbb") == "records/2024/01/03/bbbb3333.json"
    assert catalog.path_of("aaaa2") == "records/2024/01/03/aaaa2222.json"
    assert catalog.path_of("aaaa") is None  # ambiguous
    assert catalog.path_of("bbb") is None  # too short
    assert catalog.path_of("dddd") is None  # absent
    assert catalog.path_of("") is None


def test_recent_newest_first(catalog):
    rows = catalog.recent()
    assert [r.id for r in rows] == ["cccc4444", "bbbb3333", "aaaa2222", "aaaa1111"]
    assert isinstance(rows[0], CatalogRow)
    assert rows[0].published is None and rows[0].date == "2024-01-05"
    assert [r.id for r in catalog.recent(2)] == ["cccc4444", "bbbb3333"]


def test_top_entities(catalog):
    top = catalog.top_entities()
    assert top[0] == EntityCount("loc:iq", "LOC", "العراق", mentions=3, records=2)
    assert {e.id for e in top} == {"loc:iq", "loc:us", "org:un", "per:zaid"}
    assert [e.id for e in catalog.top_entities("LOC")] == ["loc:iq", "loc:us"]
    assert catalog.top_entities("PER") == [EntityCount("per:zaid", "PER", "زيد", 1, 1)]
    assert len(catalog.top_entities(limit=1)) == 1
    assert catalog.top_entities("MISC") == []


def test_resolve_entity(catalog):
    assert catalog.resolve_entity("loc:iq") == ["loc:iq"]
    assert catalog.resolve_entity("العراق") == ["loc:iq"]
    assert catalog.resolve_entity("العِرَاق") == ["loc:iq"]  # diacritics
    assert catalog.resolve_entity("الامم المتحده") == ["org:un"]  # hamza, teh marbuta
    assert catalog.resolve_entity("العراق", type="PER") == []
    assert catalog.resolve_entity("العراق", type="LOC") == ["loc:iq"]
    assert catalog.resolve_entity("لا أحد") == []
    assert catalog.resolve_entity("") == []


def test_resolve_entity_with_shared_names(tmp_path):
    cat = Catalog(tmp_path / "c.sqlite")
    one = rec("x1", "2024-01-01", "2024-01-01T00:00:00Z", mention("loc:jo", "LOC", "الأردن"))
    two = rec("x2", "2024-01-01", "2024-01-01T00:00:00Z", mention("misc:jo", "MISC", "الاردن"))
    cat.add(one, relpath(one))
    cat.add(two, relpath(two))
    assert cat.resolve_entity("الأردن") == ["loc:jo", "misc:jo"]
    assert cat.resolve_entity("الأردن", type="MISC") == ["misc:jo"]
    cat.close()


def test_upsert_replaces_mentions(catalog):
    changed = rec("aaaa1111", "2024-01-01", "2024-01-02T10:00:00Z", mention(*ZAID))
    catalog.add(changed, relpath(changed))
    assert catalog.count() == 4
    top = {e.id: e for e in catalog.top_entities()}
    assert top["loc:iq"].mentions == 1 and top["loc:iq"].records == 1
    assert "org:un" not in top
    assert top["per:zaid"].records == 2


def test_rebuild_and_persistence(tmp_path, catalog):
    assert catalog.rebuild([(RECORDS[0], relpath(RECORDS[0]))]) == 1
    assert catalog.count() == 1
    assert [e.id for e in catalog.top_entities()] == ["loc:iq", "org:un"]
    assert catalog.resolve_entity("زيد") == []
    catalog.close()
    again = Catalog(tmp_path / "catalog.sqlite")
    assert again.count() == 1
    assert again.path_of("aaaa") == "records/2024/01/01/aaaa1111.json"
    again.close()


def test_failed_transaction_leaves_catalog_unchanged(catalog):
    def broken():
        yield RECORDS[0], "records/x.json"
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        catalog.rebuild(broken())
    assert catalog.count() == 4
    assert catalog.path_of("aaaa1111") == "records/2024/01/01/aaaa1111.json"


def test_two_connections_share_the_file(tmp_path):
    path = tmp_path / "catalog.sqlite"
    one, two = Catalog(path), Catalog(path)
    one.add(RECORDS[0], relpath(RECORDS[0]))
    assert two.has("aaaa1111")
    two.add(RECORDS[1], relpath(RECORDS[1]))
    assert one.count() == 2
    one.close()
    two.close()


def test_rebuild_keeps_the_last_copy_of_an_id_across_batches(tmp_path, monkeypatch):
    monkeypatch.setattr("newsarchive.catalog.REBUILD_BATCH", 1)  # every record its own batch
    first = RECORDS[0]
    again = rec(first.id, "2024-02-01", "2024-02-01T10:00:00Z", mention(*US))
    with Catalog(tmp_path / "catalog.sqlite") as cat:
        assert cat.rebuild([(first, "records/a.json"), (RECORDS[1], relpath(RECORDS[1])),
                            (again, "records/b.json")]) == 3
        assert cat.count() == 2 and cat.path_of(first.id) == "records/b.json"
        assert [(e.id, e.mentions, e.records) for e in cat.top_entities()] == [
            ("loc:us", 2, 2), ("loc:iq", 1, 1)]  # the first copy's mentions are gone
        assert cat.resolve_entity("امريكا") == [] and cat.resolve_entity("العراق") == ["loc:iq"]
        indexes = {row[0] for row in cat._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
        assert indexes == {"records_recent", "mentions_entity", "entities_norm",
                           "entity_counts_top"}
        assert cat.summary_differences() == 0
