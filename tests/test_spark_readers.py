"""The Spark job's readers and converter, without Spark (plain Python, so part of `make test`):
what each input form yields, and why an input is skipped or failed."""

from __future__ import annotations

import gzip
import io
import json
import os

import pytest

from newsarchive.config import Config
from newsarchive.spark.job import _jsonl_file, guess_format
from newsarchive.spark.readers import (
    FAILED,
    FILE,
    PAGE,
    Item,
    Skip,
    file_item,
    jsonl_item,
    local_name,
    wanted_file,
    warc_items,
)
from newsarchive.spark.worker import RECORD, convert

PAGE_HTML = (
    "<html lang='ar'><head><title>الكاظمي في بغداد</title>"
    "<link rel='canonical' href='https://news.example/a?utm_source=x'></head>"
    "<body><article><h1>الكاظمي في بغداد</h1><p>قال رئيس الوزراء العراقي مصطفى الكاظمي في "
    "بغداد إن الحكومة ماضية في الإصلاح ومحاربة الفساد.</p></article></body></html>"
)


def test_local_file_uris_become_the_paths_ingest_stores(tmp_path):
    (tmp_path / "a b.html").write_text("x")
    link = tmp_path / "link.html"
    link.symlink_to(tmp_path / "a b.html")
    assert local_name((tmp_path / "a b.html").as_uri()) == str(tmp_path / "a b.html")
    assert local_name(f"file:{link}") == os.path.realpath(link)
    assert local_name("hdfs://nn/news/a.html") == "hdfs://nn/news/a.html"


def test_file_names_are_chosen_as_ingest_chooses():
    assert wanted_file("file:/n/a.HTML", None) and wanted_file("file:/n/b.txt", None)
    assert not wanted_file("file:/n/c.md", None)
    assert wanted_file("file:/n/c.md", "*.md") and not wanted_file("file:/n/b.txt", "*.md")


def test_a_file_over_the_limit_fails():
    item = file_item("file:/n/big.txt", b"x" * 11, max_bytes=10)
    assert isinstance(item, Skip) and item.status == FAILED
    assert item.reason == "file is larger than the 10 byte limit"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{oops", "bad JSON line: not valid JSON"),
        ("[1]", "bad JSON line: not a JSON object"),
        ('{"html": "<p>x</p>"}', "bad JSON line: no url"),
        ('{"url": "ftp://x/y", "html": "<p>x</p>"}', "bad JSON line: not an http(s) URL"),
        ('{"url": "https://x/y"}', "bad JSON line: no html or text"),
        ('{"url": "https://x/y", "html": "' + "x" * 50 + '"}',
         "page is larger than the 40 byte limit"),
    ],
)
def test_bad_json_lines_fail_with_a_reason(line, reason):
    item = jsonl_item(line, "/in/pages.jsonl", 7, max_bytes=40)
    assert isinstance(item, Skip) and (item.status, item.reason) == (FAILED, reason)


def test_json_lines_pages_with_html_or_text_and_gzip():
    lines = [
        json.dumps({"url": "https://x/1", "html": PAGE_HTML,
                    "fetched_at": "2020-06-11T10:00:00+02:00"}),
        "",
        json.dumps({"url": "https://x/2", "text": "عنوان\n\nنص الخبر"}),
    ]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    items = list(_jsonl_file("file:/in/p.jsonl.gz", data, 10**6))
    assert [(i.kind, i.name, i.content_type, i.fetched_at) for i in items] == [
        (PAGE, "https://x/1", "text/html", "2020-06-11T08:00:00Z"),
        (PAGE, "https://x/2", "text/plain", None),
    ]
    assert items[0].order < items[1].order  # line 1 before line 3


def test_records_of_pages_are_the_records_fetch_makes():
    """The converter gives a page the canonical URL as source and the web fields."""
    item = Item(PAGE, "https://news.example/a", "o", PAGE_HTML.encode(), "text/html", "utf-8",
                "2020-06-11T08:00:00Z")  # fmt: skip
    bad = Item(FILE, "/n/empty.txt", "p", b"")
    rows = list(convert([item, bad], Config(), "2026-01-01T00:00:00Z"))
    assert [r[0] for r in rows] == [RECORD, FAILED]
    record = json.loads(rows[0][4])
    assert record["source"] == record["canonical_url"] == "https://news.example/a"
    assert record["ingested_at"] == "2020-06-11T08:00:00Z"
    assert {"بغداد", "مصطفى الكاظمي"} <= {e["surface"] for e in record["entities"]}
    assert rows[1][6] == "empty input"


def test_damaged_warc_files_are_one_failure_each():
    pytest.importorskip("warcio")
    cut = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999\r\n\r\n<html>"
    for data in (cut, b"\x1f\x8b\x08\x00garbage", b""):
        items = list(warc_items(io.BytesIO(data), "/c/x.warc.gz", 10**6))
        assert [(i.status, i.reason) for i in items] == [(FAILED, "not a readable WARC file")]


def test_format_is_guessed_from_file_names():
    assert guess_format(["s3a://b/CC-NEWS-1.warc.gz", "x.warc"]) == "warc"
    assert guess_format(["pages.jsonl", "more.jsonl.gz"]) == "jsonl"
    assert guess_format(["news/", "pages.jsonl"]) == "files"


def test_the_job_refuses_a_bad_config_before_starting_spark(capsys, tmp_path):
    from newsarchive.spark.job import main

    assert main(["--config", str(tmp_path / "none.yaml"), "--output", "out", "in"]) == 2
    assert capsys.readouterr().err.startswith(f"Error: {tmp_path / 'none.yaml'}: cannot read")
