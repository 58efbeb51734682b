"""The Spark job (``newsarchive.spark``) in local mode: its records are the single-machine
pipeline's, in each input form, and ``import`` makes them searchable.

Marker ``spark``: skipped when pyspark, warcio or Java is missing (``make test`` without the
extra); ``.ci/run`` installs the extra, so CI runs them. One SparkSession (local[2]) serves
the module; the corpus is 1,000 generated articles a form (shorter than the benchmark's, so
the module stays well under a minute and a half).
"""

from __future__ import annotations

import concurrent.futures
import io
import json
import multiprocessing
import os
import re
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the spark extra is not installed")
pytest.importorskip("warcio", reason="the spark extra is not installed")
if shutil.which("java") is None:
    pytest.skip("PySpark needs Java", allow_module_level=True)

from _web_server import WebServer  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from benchmarks.generate import Generator, gazetteer_names  # noqa: E402
from newsarchive.config import Config  # noqa: E402
from newsarchive.fetchstate import FetchState  # noqa: E402
from newsarchive.pipeline import Ingester  # noqa: E402
from newsarchive.runner import WebIngester  # noqa: E402
from newsarchive.sources.web import Fetcher  # noqa: E402
from newsarchive.spark import job  # noqa: E402
from newsarchive.spark.readers import warc_items  # noqa: E402

pytestmark = pytest.mark.spark

REPO = Path(__file__).parent.parent
ARTICLES = 1000
WORDS = 120  # words an article (the benchmark's are ~435): the same code paths, less time
TEXT_EVERY = 10  # every 10th page / file is plain text, the others HTML
FETCHED = "2026-11-02T09:30:00+03:00"  # a crawler's time, not UTC: stored as 06:30:00Z


# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark():
    saved = os.environ.get("PYSPARK_PYTHON")
    session = job.session(
        "local[2]",
        "newsarchive-tests",
        {
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "4",
        },
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if saved is None:
        os.environ.pop("PYSPARK_PYTHON", None)


@pytest.fixture(scope="module")
def generator() -> Generator:
    """Words from the seed article (ranked by frequency), names from the shipped gazetteer."""
    words = re.findall("[\u0621-\u064a]{2,}", (REPO / "seeds").glob("*.txt").__next__().read_text())
    ranked = [w for w, _ in Counter(words).most_common()]
    return Generator(ranked, gazetteer_names(7), seed=7)


@pytest.fixture(scope="module")
def server():
    web = WebServer()
    yield web
    web.close()


@pytest.fixture(scope="module")
def pages(generator, server) -> list[tuple[str, str, str]]:
    """(url, content type, body) of every page, served by the test's HTTP server; the last
    one is a copy of page 5 under another URL (a duplicate)."""
    made = []
    for number in range(ARTICLES):
        article = generator.article(number, WORDS)
        if number % TEXT_EVERY == TEXT_EVERY - 1:
            made.append((f"/news/{number}.txt", "text/plain", article.as_text()))
        else:
            made.append((f"/news/{number}", "text/html", article.as_html()))
    made.append(("/copy/5", made[5][1], made[5][2]))
    for path, kind, body in made:
        server.route(path, body=body, headers={"Content-Type": f"{kind}; charset=utf-8"})
    return [(server.url(path), kind, body) for path, kind, body in made]


def settings(root: Path) -> Config:
    return replace(Config(), archive=root, robots=False, host_delay=0.0, retries=0)


def fetch_all(config: Config, urls: list[str]) -> tuple[list[str], dict[str, dict]]:
    """The single-machine pipeline on pages: `fetch` each URL into an archive; the outcomes'
    statuses and the records stored."""
    with (
        Ingester(config) as ingester,
        FetchState(config.archive) as state,
        Fetcher(config, state) as fetcher,
    ):
        web = WebIngester(config, ingester, fetcher, state)
        statuses = [web.fetch_url(url).status for url in urls]
    return statuses, archived(config.archive)


def archived(root: Path) -> dict[str, dict]:
    return {
        r["id"]: r
        for r in (json.loads(p.read_text("utf-8")) for p in (root / "records").rglob("*.json"))
    }


def job_records(output: Path) -> dict[str, dict]:
    """The job's records by id; checks each lies in the folder of its date."""
    found = {}
    for part in (output / "records").glob("date=*/part-*"):
        for line in part.read_text("utf-8").splitlines():
            record = json.loads(line)
            assert part.parent.name == f"date={(record['published'] or record['ingested_at'])[:10]}"
            assert record["id"] not in found
            found[record["id"]] = record
    return found


def summary_of(output: Path) -> dict:
    return json.loads((output / "summary.json").read_text("utf-8"))


def failures_of(output: Path) -> list[dict]:
    return [json.loads(line) for p in (output / "failures").glob("part-*")
            for line in p.read_text("utf-8").splitlines()]  # fmt: skip


def without_ingested_at(records: dict[str, dict]) -> dict[str, dict]:
    return {i: {k: v for k, v in r.items() if k != "ingested_at"} for i, r in records.items()}


@pytest.fixture(scope="module")
def fetched(tmp_path_factory, pages):
    """`fetch` of every page (the last one a duplicate): the baseline of JSONL and WARC."""
    root = tmp_path_factory.mktemp("fetched")
    urls = [url for url, _, _ in pages]
    # Two processes (two archives) halve the wait; the copy of page 5 goes with page 5.
    halves = [urls[: ARTICLES // 2] + urls[ARTICLES:], urls[ARTICLES // 2 : ARTICLES]]
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
        done = list(pool.map(fetch_all, [settings(root / str(n)) for n in (0, 1)], halves))
    assert Counter(s for statuses, _ in done for s in statuses) == {
        "stored": ARTICLES, "duplicate": 1,
    }  # fmt: skip
    return {**done[0][1], **done[1][1]}


# -- folders of files ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def files_run(spark, generator, tmp_path_factory):
    """1,000 article files (and three that are not articles) through `ingest` and the job."""
    work = tmp_path_factory.mktemp("files")
    corpus = work / "corpus"
    for number in range(ARTICLES):
        article = generator.article(number, WORDS)
        folder = corpus / f"{number // 250:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        if number % TEXT_EVERY == TEXT_EVERY - 1:
            (folder / f"{number:04d}.txt").write_text(article.as_text(), encoding="utf-8")
        else:
            (folder / f"{number:04d}.html").write_text(article.as_html(), encoding="utf-8")
    (corpus / "00" / "empty.txt").write_bytes(b"")
    (corpus / "00" / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (corpus / "01" / "copy-of-0007.html").write_bytes((corpus / "00" / "0007.html").read_bytes())
    (corpus / "01" / "notes.md").write_text("not matched by the default pattern")
    config = settings(work / "archive")
    with Ingester(config) as ingester:
        outcomes = list(ingester.ingest_paths([str(corpus)], jobs=2))
    summary = job.run(spark, [str(corpus)], str(work / "out"), config, "files")
    return outcomes, archived(config.archive), work / "out", summary


def test_files_form_makes_the_records_ingest_makes(files_run):
    outcomes, ingested, output, summary = files_run
    assert Counter(o.status for o in outcomes) == {"stored": ARTICLES, "duplicate": 1, "failed": 2}
    records = job_records(output)
    assert without_ingested_at(records) == without_ingested_at(ingested)
    # HTML files carry their publication date; text files are filed under the run's day.
    assert {r["published"] is None for r in records.values()} == {True, False}
    assert summary["records_out"] == ARTICLES and summary["duplicates"] == 1
    # Spark's file sources never see an empty file: ingest's "empty input" has no twin.
    failed = {o.error for o in outcomes if o.status == "failed"}
    assert failed == {"empty input", "binary file (PNG image), not text"}
    assert summary["articles_in"] == ARTICLES + 2
    assert summary["failures_by_reason"] == {"binary file (PNG image), not text": 1}


def test_the_first_of_duplicates_is_kept_as_ingest_keeps_it(files_run):
    outcomes, _, output, _ = files_run
    duplicate = next(o for o in outcomes if o.status == "duplicate")
    assert duplicate.source.endswith("copy-of-0007.html")
    assert job_records(output)[duplicate.record_id]["source"].endswith("/00/0007.html")


def test_failures_are_listed_with_their_reason(files_run):
    _, _, output, _ = files_run
    failures = sorted((Path(f["source"]).name, f["status"], f["reason"])
                      for f in failures_of(output))  # fmt: skip
    assert failures == [("picture.html", "failed", "binary file (PNG image), not text")]


def test_import_of_the_job_output_makes_search_find_the_articles(files_run, run, generator):
    _, _, output, summary = files_run
    result = run("import", "--quiet", str(output / "records"))
    assert result.exit_code == 0, result.output
    again = run("import", str(output / "records"))
    out = summary["records_out"]
    assert again.output.splitlines()[-1] == f"0 stored, {out} duplicate, 0 failed"
    title = generator.article(42, WORDS).title
    hits = [json.loads(line) for line in run("search", f'"{title}"', "--json").output.splitlines()]
    assert [h["title"] for h in hits] == [title]
    assert run("verify").exit_code == 0


# -- JSON Lines and WARC ----------------------------------------------------------------------


def test_jsonl_form_makes_the_records_fetch_makes(spark, pages, fetched, tmp_path):
    lines = [
        json.dumps({"url": url, ("text" if kind == "text/plain" else "html"): body,
                    "fetched_at": FETCHED}, ensure_ascii=False)
        for url, kind, body in pages
    ]  # fmt: skip
    lines[300:300] = ["{broken", json.dumps({"html": "<p>no url</p>"}), ""]
    corpus = tmp_path / "pages"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text("\n".join(lines[:500]) + "\n", encoding="utf-8")
    (corpus / "b.jsonl").write_text("\n".join(lines[500:]) + "\n", encoding="utf-8")
    summary = job.run(spark, [str(corpus)], str(tmp_path / "out"), settings(tmp_path), "jsonl")
    records = job_records(tmp_path / "out")
    assert without_ingested_at(records) == without_ingested_at(fetched)
    assert {r["ingested_at"] for r in records.values()} == {"2026-11-02T06:30:00Z"}
    assert summary["records_out"] == ARTICLES and summary["duplicates"] == 1
    assert summary["failures_by_reason"] == {
        "bad JSON line: not valid JSON": 1, "bad JSON line: no url": 1,
    }  # fmt: skip
    assert {f["source"] for f in failures_of(tmp_path / "out")} == {
        f"{corpus / 'a.jsonl'}:301", f"{corpus / 'a.jsonl'}:302",
    }  # fmt: skip


def write_warc(path: Path, responses: list[tuple[str, str, list[tuple[str, str]], bytes]]) -> None:
    """A gzipped WARC: for each (url, status line, headers, body) a request and a response."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, status, headers, body in responses:
            date = {"WARC-Date": "2026-11-01T12:00:00Z"}
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), http_headers=request,
                warc_headers_dict=date,
            ))  # fmt: skip
            http = StatusAndHeaders(status, [*headers, ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")  # fmt: skip
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http,
                warc_headers_dict=date,
            ))  # fmt: skip


def test_warc_form_makes_the_records_fetch_makes(spark, pages, fetched, tmp_path):
    corpus = tmp_path / "crawl"
    corpus.mkdir()
    responses = [
        (url, "200 OK", [("Content-Type", f"{kind}; charset=utf-8")], body.encode("utf-8"))
        for url, kind, body in pages
    ]
    write_warc(corpus / "CC-NEWS-1.warc.gz", responses[:600])
    write_warc(corpus / "CC-NEWS-2.warc.gz", responses[600:])
    summary = job.run(spark, [str(corpus)], str(tmp_path / "out"), settings(tmp_path), "warc")
    records = job_records(tmp_path / "out")
    assert without_ingested_at(records) == without_ingested_at(fetched)
    assert {r["ingested_at"] for r in records.values()} == {"2026-11-01T12:00:00Z"}
    assert summary["articles_in"] == ARTICLES + 1  # responses only: requests are not inputs
    assert summary["records_out"] == ARTICLES and summary["duplicates"] == 1
    assert summary["failed"] == summary["skipped"] == 0


ARTICLE_HTML = (
    "<html lang='ar'><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>قال رئيس الوزراء العراقي مصطفى الكاظمي في بغداد إن الحكومة ماضية في الإصلاح.</p>"
    "<p>وأضاف أن التحالف الدولي يواصل دعم القوات العراقية في محاربة تنظيم داعش.</p>"
    "</article></body></html>"
)


def test_warc_responses_become_records_or_are_skipped_with_a_reason(spark, tmp_path):
    html = [("Content-Type", "text/html; charset=utf-8")]
    legacy = ARTICLE_HTML.format(title="الكاظمي يزور واشنطن").encode("windows-1256")
    responses = [
        ("https://news.example/a", "200 OK", html,
         ARTICLE_HTML.format(title="الكاظمي في بغداد").encode()),
        ("https://news.example/b", "200 OK", [("Content-Type", "text/html; charset=windows-1256")],
         legacy),
        ("https://news.example/old", "301 Moved Permanently",
         [("Location", "https://news.example/a"), *html], b""),
        ("https://news.example/gone", "404 Not Found", html, b"<html>not found</html>"),
        ("https://news.example/logo.png", "200 OK", [("Content-Type", "image/png")],
         b"\x89PNG\r\n\x1a\n" + bytes(32)),
        ("https://news.example/empty", "200 OK", html, b"<html><body></body></html>"),
    ]  # fmt: skip
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    path = crawl / "small.warc.gz"
    write_warc(path, responses)
    broken = crawl / "broken.warc"  # a response record cut short, without its target URI
    broken.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999\r\n\r\n<html>")
    summary = job.run(spark, [str(crawl)], str(tmp_path / "out"), settings(tmp_path), "warc")
    records = job_records(tmp_path / "out")
    assert sorted((r["url"], r["encoding"]) for r in records.values()) == [
        ("https://news.example/a", "utf-8"), ("https://news.example/b", "windows-1256"),
    ]  # fmt: skip
    assert summary["articles_in"] == 7 and summary["records_out"] == 2
    assert summary["skipped_by_reason"] == {
        "redirect (HTTP 301)": 1, "HTTP 404": 1, "not a web page (Content-Type image/png)": 1,
    }  # fmt: skip
    assert summary["failures_by_reason"] == {
        "no article text found": 1, "not a readable WARC file": 1,
    }  # fmt: skip
    reasons = {f["source"]: (f["status"], f["reason"]) for f in failures_of(tmp_path / "out")}
    assert reasons["https://news.example/old"] == ("skipped", "redirect (HTTP 301)")
    assert reasons["https://news.example/empty"] == ("failed", "no article text found")
    # The reader alone (no Spark) sees the same: six responses, the requests left out.
    with open(path, "rb") as stream:
        assert len(list(warc_items(stream, str(path), 10**6))) == 6


def test_the_entry_point_runs_as_spark_submit_runs_it(tmp_path):
    """`python -m newsarchive.spark` end to end in its own process and JVM (what spark-submit
    runs): records out, the summary printed as JSON, exit 1 because one input failed."""
    import subprocess
    import sys

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("العراق اليوم\n\nزار الرئيس بغداد أمس.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("خبر من القاهرة\n\nوصل الوفد إلى مصر.\n", encoding="utf-8")
    (corpus / "c.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "newsarchive.spark", "--master", "local[1]",
         "--output", str(tmp_path / "out"), str(corpus)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    assert summary["records_out"] == 2 and summary["failed"] == 1
    records = job_records(tmp_path / "out")
    assert sorted(r["title"] for r in records.values()) == ["العراق اليوم", "خبر من القاهرة"]
