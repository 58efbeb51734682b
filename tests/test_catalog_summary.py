"""The entity summary (``entity_counts``): what ``entities`` lists, kept right by every writer.

Each test compares the summary with a count of the mention rows themselves
(``summary_differences``) and with the figures ``top_entities`` shows.
"""

from __future__ import annotations

import json
import sqlite3

from conftest import SEED
from test_catalog import IQ, RECORDS, UN, US, ZAID, mention, rec, relpath

from newsarchive.catalog import Catalog
from newsarchive.store import Archive
from newsarchive.verify import verify


def counts(catalog: Catalog) -> dict[str, tuple[int, int]]:
    return {e.id: (e.mentions, e.records) for e in catalog.top_entities(limit=1000)}


def test_counts_follow_inserts_and_replacements(tmp_path):
    with Catalog(tmp_path / "c.sqlite") as cat:
        cat.add_many((r, relpath(r)) for r in RECORDS)
        assert counts(cat) == {"loc:iq": (3, 2), "org:un": (1, 1), "loc:us": (1, 1),
                               "per:zaid": (1, 1)}
        changed = rec("aaaa1111", "2024-01-01", "2024-01-02T10:00:00Z", mention(*ZAID),
                      mention(*US))
        cat.add(changed, relpath(changed))  # replaces the record's mentions
        assert counts(cat) == {"loc:iq": (1, 1), "loc:us": (2, 2), "per:zaid": (2, 2)}
        assert cat.summary_differences() == 0  # org:un's row went with its last record
        twice = rec("ffff0000", "2024-01-07", "2024-01-07T10:00:00Z", mention(*UN))
        cat.add_many([(twice, relpath(twice)), (twice, relpath(twice))])  # same id in one write
        assert counts(cat)["org:un"] == (1, 1) and cat.summary_differences() == 0


def test_type_filter_and_order_come_from_the_summary(tmp_path):
    with Catalog(tmp_path / "c.sqlite") as cat:
        cat.add_many((r, relpath(r)) for r in RECORDS)
        assert [e.id for e in cat.top_entities("LOC")] == ["loc:iq", "loc:us"]
        plan = " ".join(row[-1] for row in cat._conn.execute(
            "EXPLAIN QUERY PLAN SELECT entity_id FROM entity_counts WHERE type = 'LOC'"
            " ORDER BY mentions DESC, records DESC, entity_id LIMIT 5"))
        assert "entity_counts_top" in plan and "TEMP B-TREE" not in plan  # an index walk


def test_a_catalog_without_the_summary_gets_one_when_opened(tmp_path):
    path = tmp_path / "c.sqlite"
    with Catalog(path) as cat:
        cat.add_many((r, relpath(r)) for r in RECORDS)
        expected = counts(cat)
    with sqlite3.connect(path) as conn:  # as a catalog written before the summary existed
        conn.execute("DROP TABLE entity_counts")
    with Catalog(path, readonly=True) as old:
        assert counts(old) == expected  # read-only: counted from the mentions
    with Catalog(path) as cat:
        assert counts(cat) == expected
        cat.add(rec("dddd5555", "2024-01-09", "2024-01-09T10:00:00Z", mention(*UN)),
                "records/2024/01/09/dddd5555.json")
        assert counts(cat)["org:un"] == (2, 2) and cat.summary_differences() == 0


def test_rebuild_counts_once(tmp_path):
    with Catalog(tmp_path / "c.sqlite") as cat:
        cat.add_many((r, relpath(r)) for r in RECORDS)
        before = counts(cat)
        assert cat.rebuild((r, relpath(r)) for r in RECORDS) == 4
        assert counts(cat) == before and cat.summary_differences() == 0
        cat.add(rec("eeee6666", "2024-01-09", "2024-01-09T10:00:00Z", mention(*IQ)),
                "records/2024/01/09/eeee6666.json")
        assert counts(cat)["loc:iq"] == (4, 3)  # and counted on after it


def _catalog_counts(archive) -> dict[str, tuple[int, int]]:
    with Catalog(archive / "catalog.sqlite") as cat:
        assert cat.summary_differences() == 0
        return counts(cat)


def test_ingest_duplicate_reindex_and_repair_keep_the_counts(run, archive, tmp_path):
    assert run("ingest", str(SEED)).exit_code == 0
    after_ingest = _catalog_counts(archive)
    record = json.loads(next(Archive(archive).record_paths()).read_text("utf-8"))
    assert after_ingest and sum(m for m, _ in after_ingest.values()) == len(record["entities"])
    assert all(r == 1 for _, r in after_ingest.values())
    copy = tmp_path / "again.txt"
    copy.write_bytes(SEED.read_bytes())
    assert "already archived" in run("ingest", str(copy)).output
    assert _catalog_counts(archive) == after_ingest  # a duplicate counts nothing
    assert run("reindex").exit_code == 0
    assert _catalog_counts(archive) == after_ingest
    output = run("entities", "--json", "-n", "1000").output
    listed = [json.loads(line) for line in output.splitlines() if line]
    assert {e["id"]: (e["mentions"], e["records"]) for e in listed} == after_ingest
    with sqlite3.connect(archive / "catalog.sqlite") as conn:  # damage the summary only
        conn.execute("UPDATE entity_counts SET mentions = mentions + 5")
    problems = verify(Archive(archive)).problems
    assert [p.kind for p in problems] == ["catalog"] and "entity counts" in problems[0].message
    assert run("verify", "--repair").exit_code == 1
    assert run("verify").exit_code == 0
    assert _catalog_counts(archive) == after_ingest
