"""The benchmark suite: the generator is deterministic, and each benchmark runs at a tiny
scale and reports its fields. No timing is asserted: timings belong to ``make bench``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import (
    bench_disk,
    bench_ingest,
    bench_reindex,
    bench_search,
    bench_startup,
    bench_verify,
    build,
    run,
)
from benchmarks.common import percentiles
from benchmarks.generate import Generator, Zipf, parse_scale, read_vocabulary, write_corpus

TINY = 120  # articles: a few seconds of ingest
# A few lines of ANERcorp's format (token TAG), so the test needs no shared data.
TOKENS = """\
أعلن O
اتحاد B-ORG
صناعة O
السيارات O
في O
ألمانيا B-LOC
أن O
شركات O
صناعة O
تواجه O
عاما O
صعبا O
في O
ظل O
ركود O
السوق O
الداخلية O
. O
والصادرات O
في O
"""


@pytest.fixture(scope="module")
def tokens(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tokens") / "tokens.txt"
    path.write_text(TOKENS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def generator(tokens) -> Generator:
    return Generator.from_files(tokens)


@pytest.fixture(scope="module")
def built(tmp_path_factory, generator) -> tuple[Path, Path]:
    """A corpus of TINY HTML files ingested through the CLI: (corpus, archive)."""
    work = tmp_path_factory.mktemp("bench")
    corpus = work / "corpus"
    write_corpus(generator, corpus, TINY, "html")
    result = bench_ingest.measure(corpus, work / "archive")
    assert result["articles"] == TINY
    stages = result["stages_ms_per_article"]  # every ingest stage timed, in process
    assert {"read", "decode", "extract", "build record", "entities", "encode JSON"} < set(stages)
    assert all(ms >= 0 for ms in stages.values()) and sum(stages.values()) > 0
    return corpus, work / "archive"


def test_vocabulary_leaves_out_entities_and_punctuation(tokens):
    words = read_vocabulary(tokens)
    assert words[:2] == ["في", "صناعة"]  # by frequency
    assert "ألمانيا" not in words and "." not in words


def test_generator_is_deterministic(tokens, generator, tmp_path):
    again = Generator.from_files(tokens)
    assert [generator.article(n) for n in range(20)] == [again.article(n) for n in range(20)]
    assert generator.article(5) != generator.article(6)
    assert Generator.from_files(tokens, seed=1).article(5) != generator.article(5)
    first = write_corpus(generator, tmp_path / "a", 30)
    second = write_corpus(again, tmp_path / "b", 30)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_articles_look_like_news(generator):
    articles = list(generator.articles(50))
    mean = sum(a.words for a in articles) / len(articles)
    assert 380 <= mean <= 480
    assert len({a.published for a in articles}) > 10
    page = articles[0].as_html()
    assert 'property="article:published_time"' in page and articles[0].title in page
    assert articles[0].as_text().startswith(articles[0].title + "\n")


def test_zipf_favours_the_head():
    import random

    zipf = Zipf.over([str(n) for n in range(1000)])
    rng = random.Random(0)
    draws = [zipf.draw(rng) for _ in range(5000)]
    assert draws.count("0") > draws.count("100") * 10


def test_scales_and_percentiles():
    assert parse_scale("10k") == 10_000 and parse_scale("1M") == 1_000_000
    assert parse_scale("200") == 200
    assert percentiles([0.001 * n for n in range(1, 101)]) == {
        "p50_ms": 50.5, "p95_ms": 95.0, "max_ms": 100.0}


def test_ingest_reports_its_figures(built):
    corpus, archive = built
    assert len(list((archive / "records").rglob("*.json"))) == TINY


def test_reindex_disk_verify(built):
    corpus, archive = built
    reindexed = bench_reindex.measure(archive)
    assert reindexed["records"] == TINY and reindexed["records_per_s"] > 0
    alone = reindexed["baseline_stores_alone"]
    assert alone["sample"] == TINY and alone["tantivy_alone_records_per_s"] > 0
    assert alone["catalog_alone_cpu_ms_per_record"] > 0
    disk = bench_disk.measure(archive, corpus)
    assert disk["records"] == TINY
    assert disk["records_bytes_per_article"] > disk["baseline_input_bytes_per_article"] / 2
    assert disk["index_bytes_per_article"] > 0
    assert "available" in bench_verify.measure(archive)


def test_search_runs_every_kind_of_query(built, tokens):
    _, archive = built
    result = bench_search.measure(archive, tokens, cli_queries=6)
    assert result["queries"] >= 50
    assert set(result["by_kind"]) == {"common", "rare", "and", "phrase", "entity", "date"}
    assert result["cli_failures"] == 0
    assert result["mean_hits"] > 0
    assert {"p50_ms", "p95_ms", "max_ms"} <= set(result["in_process"])


def test_startup(tmp_path):
    result = bench_startup.measure(tmp_path, repeat=1)
    assert set(result) == {"help", "search_empty", "baseline_python", "baseline_import_click"}


def test_direct_build_uses_the_library(generator, tmp_path):
    result = build.build(generator, tmp_path / "archive", 30)
    assert result["records"] == 30
    assert len(list((tmp_path / "archive" / "records").rglob("*.json"))) == 30


def test_driver_prints_a_table_and_merges_results(built, tokens, tmp_path, capsys):
    results_path = tmp_path / "results.json"
    results_path.write_text(json.dumps({"other": {"kept": True}}))
    run.main(["--scale", "40", "--tokens", str(tokens), "--workdir", str(tmp_path / "w"),
              "--results", str(results_path), "--cli-queries", "2", "--repeat", "1"])
    out = capsys.readouterr().out
    assert "| ingest, 1 process (articles/s) |" in out and "| ingest, --jobs 2" in out
    saved = json.loads(results_path.read_text())
    assert saved["other"] == {"kept": True} and saved["40"]["ingest"]["articles"] == 40
    assert saved["40"]["ingest"]["jobs2_articles_per_s"] > 0  # ingest has --jobs now
