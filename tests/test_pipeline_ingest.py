"""The ingest path: language guess, the record id that verify recomputes, and storing records
prepared in worker processes (:class:`Prepared`) exactly as the records themselves."""

from __future__ import annotations

import re
import sqlite3
import threading

import pytest
from hypothesis import given
from test_catalog import IQ, RECORDS, US, mention, rec, relpath
from test_normalize import arabic_text

from newsarchive.arabic.normalize import clean, fold, normalize
from newsarchive.catalog import BULK_CHECKPOINT_PAGES, Catalog
from newsarchive.config import Config
from newsarchive.entities.extract import EntityExtractor
from newsarchive.extract import Article
from newsarchive.index import SearchIndex
from newsarchive.pipeline import (
    Ingester,
    Prepared,
    _words,
    build_record,
    guess_language,
    prefetched,
    reindex,
)
from newsarchive.search import parse_query
from newsarchive.store import Archive
from newsarchive.verify import content_id


def _reference(text: str, declared: str | None = None) -> str:
    """guess_language as first written: two full regex counts."""
    arabic = len(re.findall("[\u0621-\u064a\u0671-\u06d3]", text))
    latin = len(re.findall("[A-Za-z]", text))
    if arabic and arabic >= latin:
        return "ar"
    if declared:
        return declared.split("-")[0].lower()
    return "en" if latin else "und"


@pytest.mark.parametrize(
    "text, declared",
    [
        ("نص عربي", None), ("plain English", None), ("", None), ("١٢٣ 456", "fr-FR"),
        ("عربي abc", None), ("ab عر abcd", None), ("abc عرب", "en"), ("éèà ß", "de"),
        ("ٱلعربية ۓ and", None), ("\udc80 x", None), ("ABCDEF عربية", "ar-EG"),
    ],
)
def test_guess_language_counts_as_before(text, declared):
    assert guess_language(text, declared) == _reference(text, declared)


def test_build_record_id_is_what_verify_recomputes():
    article = Article(title="  عُنوانٌ   «مهم» ", text="فقرة  أولى\u200f\n\n\n\nفقرة ﻻ ثانية\r\n")
    record = build_record(article, "/x", EntityExtractor.from_paths([], use_default=False))
    assert record.title == "عُنوانٌ «مهم»" and "\u200f" not in record.text
    assert record.id == content_id(record)


@pytest.mark.parametrize(
    "title",
    ["عنوان مهم", "عنوان\u00a0مهم", " عنوان\tمهم ", "عنوان\u00adمهم", "ﻻ عنوان", "عنوان\u200f"],
)
def test_build_record_title_is_cleaned_and_squashed_whether_clean_or_not(title):
    extractor = EntityExtractor.from_paths([], use_default=False)
    record = build_record(Article(title=title, text="فقرة"), "/x", extractor)
    assert record.title == " ".join(clean(title).split())


@pytest.mark.parametrize(
    "text",
    [
        "فقرة أولى\n\nفقرة ثانية",
        "فقرة\u200f  أولى\t\r\n\n\n\nثانية ",
        "\u064b نص \u064b\n\nآخر \u064b",  # folding drops whole words: split again
    ],
)
def test_build_record_stores_clean_text_whether_or_not_extraction_left_it_clean(text):
    extractor = EntityExtractor.from_paths([], use_default=False)
    record = build_record(Article(title="عنوان", text=text), "/x", extractor)
    assert record.text == clean(text)
    assert record.id == content_id(record)


@given(arabic_text)
def test_words_of_a_folded_clean_text_are_its_split_words(text):
    folded = fold(clean(text))
    assert _words(folded) == " ".join(folded.split())


def _dump(catalog_path) -> dict[str, list]:
    """Every row of the catalog's tables, sorted: what two ways of writing must agree on."""
    with sqlite3.connect(catalog_path) as conn:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall())
                for table in ("records", "mentions", "entities", "entity_counts", "journal")}


def test_prepared_records_are_stored_as_the_records_themselves_and_as_reindex_would(tmp_path):
    """What a worker sends (Prepared: file bytes, index document, catalog entry) stores the
    same files, catalog rows and index as the Record it came from, and as a rebuild."""
    renamed = (*IQ[:2], "جمهورية العراق")  # the later record's name wins, as one upsert each
    records = [*RECORDS, rec("aaaa9999", "2024-01-05", "2024-01-05T10:00:00Z",
                             mention(*renamed), mention(*US), mention(*renamed))]
    config = {}
    for way in ("record", "prepared"):
        config[way] = Config(archive=tmp_path / way)
        with Ingester(config[way], EntityExtractor.from_paths([], use_default=False)) as ing:
            items = [(r if way == "record" else Prepared.of(r), f"in/{r.id}") for r in records]
            outcomes = list(ing.store_all(items))
        assert [o.status for o in outcomes] == ["stored"] * len(records)
        assert [o.path for o in outcomes] == [relpath(r) for r in records]
    one, two = (Archive(config[way].archive) for way in ("record", "prepared"))
    for r in records:
        assert (one.root / relpath(r)).read_bytes() == (two.root / relpath(r)).read_bytes()
    stored = _dump(one.root / "catalog.sqlite")
    assert stored == _dump(two.root / "catalog.sqlite")
    assert ("loc:iq", "LOC", "جمهورية العراق", normalize("جمهورية العراق")) in stored["entities"]
    for archive in (one, two):
        index = SearchIndex(archive.root / "index")
        assert sorted(index.ids()) == sorted(r.id for r in records)
        assert len(index.search(parse_query(["عنوان"]), 10)) == len(records)
    reindex(two)
    assert _dump(two.root / "catalog.sqlite") == stored


def test_a_group_storing_a_known_id_reports_it_duplicate_and_writes_nothing(tmp_path):
    config = Config(archive=tmp_path / "a")
    first = RECORDS[0]
    with Ingester(config, EntityExtractor.from_paths([], use_default=False)) as ing:
        assert ing.store(first, "x").status == "stored"
        again = list(ing.store_all([(Prepared.of(first), "y"), (Prepared.of(RECORDS[1]), "z"),
                                    (Prepared.of(RECORDS[1]), "w")]))
    assert [o.status for o in again] == ["duplicate", "stored", "duplicate"]
    with Catalog(config.archive / "catalog.sqlite") as catalog:
        assert catalog.count() == 2 and catalog.summary_differences() == 0


def test_ingest_checkpoints_the_catalog_in_bulk_and_leaves_other_connections_alone(tmp_path):
    config = Config(archive=tmp_path / "a")
    with Ingester(config, EntityExtractor.from_paths([], use_default=False)) as ing:
        assert ing.store(RECORDS[0], "x").status == "stored"
        pages = ing.catalog._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]  # noqa: SLF001
        assert pages == BULK_CHECKPOINT_PAGES
    with Catalog(config.archive / "catalog.sqlite") as catalog:
        assert catalog._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000  # noqa: SLF001
        assert catalog.count() == 1 and catalog.summary_differences() == 0


def test_prefetched_keeps_order_raises_where_the_producer_failed_and_stops_when_closed():
    assert list(prefetched(iter(range(100)), 3)) == list(range(100))

    def failing():
        yield from (1, 2)
        raise ValueError("bad input")

    got = []
    with pytest.raises(ValueError, match="bad input"):
        for item in prefetched(failing(), 8):
            got.append(item)
    assert got == [1, 2]
    made = []

    def counted():
        for number in range(1000):
            made.append(number)
            yield number

    stream = prefetched(counted(), 4)
    assert [next(stream) for _ in range(3)] == [0, 1, 2]
    stream.close()  # stops the thread: it makes at most a queue's worth more
    done = len(made)
    assert done < 20 and not any(t.name == "newsarchive-prepare" for t in threading.enumerate())
