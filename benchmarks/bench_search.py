"""Search latency over a mixed set of queries, in process and as CLI wall time.

The queries (10 of each kind, 60 in all, made from the corpus vocabulary and the archive):
a very common term, rare terms, two-term AND, a phrase taken from an article, an entity
filter (alone and with a term), a date range (alone and with a term). In process, each
query runs through ``newsarchive.search.search`` with snippets, as the CLI does, on an
index opened once; the whole set runs twice and the second pass is the figure (the first,
with cold caches, is kept too). Baseline (same run): ripgrep (or grep) listing the record
files that contain the same word, for the term queries; the speed-up is the scan's median
over the in-process median of those queries.

    python -m benchmarks.bench_search --archive DIR [--tokens PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from .common import percentiles, run_cli, run_process, scanner
from .generate import DEFAULT_TOKENS, read_vocabulary

PER_KIND = 10
CLI_QUERIES = 30  # CLI runs are ~0.3 s each: a subset of the kinds, evenly


@dataclass(frozen=True)
class Query:
    kind: str
    words: tuple[str, ...] = ()  # command-line words; one with a space is a phrase
    entity: str | None = None
    since: str | None = None
    until: str | None = None

    def cli_args(self) -> list[str]:
        args = list(self.words)
        if self.entity:
            args += ["--entity", self.entity]
        if self.since:
            args += ["--since", self.since]
        if self.until:
            args += ["--until", self.until]
        return args


def make_queries(vocabulary: list[str], archive: Path, seed: int = 0) -> list[Query]:
    """60 queries of six kinds, the same for the same vocabulary and archive."""
    rng = random.Random(f"queries:{seed}")
    top = vocabulary[:10]
    mid = vocabulary[min(20, len(vocabulary) // 4) : 2000]
    rare = vocabulary[len(vocabulary) // 3 :]
    names, days = _catalog_facts(archive)
    queries = [Query("common", (w,)) for w in top[:PER_KIND]]
    queries += [Query("rare", (rng.choice(rare),)) for _ in range(PER_KIND)]
    queries += [Query("and", (rng.choice(mid), rng.choice(mid))) for _ in range(PER_KIND)]
    queries += [Query("phrase", (phrase,)) for phrase in _phrases(archive, rng)]
    for number in range(PER_KIND):
        words = (rng.choice(mid),) if number % 2 else ()
        queries.append(Query("entity", words, entity=rng.choice(names) if names else "العراق"))
    for number in range(PER_KIND):
        first = rng.randrange(max(1, len(days) - 30)) if days else 0
        since, until = (days[first], days[min(first + 30, len(days) - 1)]) if days else (
            "2020-01-01", "2020-02-01")
        words = (rng.choice(mid),) if number % 2 else ()
        queries.append(Query("date", words, since=since, until=until))
    return queries


def _catalog_facts(archive: Path) -> tuple[list[str], list[str]]:
    """The most mentioned entity names, and every day that has records."""
    from newsarchive.catalog import Catalog

    with Catalog(archive / "catalog.sqlite") as catalog:
        names = [e.name for e in catalog.top_entities(limit=3 * PER_KIND)]
    with sqlite3.connect(archive / "catalog.sqlite") as conn:
        days = [row[0] for row in conn.execute("SELECT DISTINCT date FROM records ORDER BY 1")]
    return names, days


def _phrases(archive: Path, rng: random.Random) -> list[str]:
    """Two-word phrases taken from records (so each has at least one hit)."""
    paths = sorted((archive / "records").rglob("*.json"))
    phrases = []
    for path in rng.sample(paths, min(PER_KIND, len(paths))):
        words = [w for w in json.loads(path.read_text("utf-8"))["text"].split() if w.isalpha()]
        at = rng.randrange(max(1, len(words) - 1))
        phrases.append(" ".join(words[at : at + 2]))
    return phrases


def in_process(archive: Path, queries: list[Query], limit: int = 10) -> list[tuple[float, int]]:
    """(seconds, hits) per query, through the library exactly as the CLI calls it."""
    from newsarchive.rebuild import open_catalog, open_index
    from newsarchive.search import parse_query, search
    from newsarchive.store import Archive

    store = Archive(archive)
    catalog, index = open_catalog(store), open_index(store)
    results = []
    try:
        for query in queries:
            start = time.perf_counter()
            ids = catalog.resolve_entity(query.entity) if query.entity else []
            parsed = parse_query(query.words, entity_ids=ids, since=query.since,
                                 until=query.until)
            hits = search(store, index, catalog, parsed, limit=limit)
            results.append((time.perf_counter() - start, len(hits)))
    finally:
        catalog.close()
    return results


def scan_baseline(archive: Path, words: list[str]) -> list[float]:
    """Seconds for ripgrep/grep to list the record files containing each word."""
    command = scanner()
    return [run_process([*command, word, str(archive / "records")]).seconds for word in words]


def measure(
    archive: Path, tokens: str | Path = DEFAULT_TOKENS, cli_queries: int = CLI_QUERIES
) -> dict:
    queries = make_queries(read_vocabulary(tokens), archive)
    first = in_process(archive, queries)
    second = in_process(archive, queries)
    seconds = [s for s, _ in second]
    by_kind = {
        kind: percentiles([s for (s, _), q in zip(second, queries, strict=True) if q.kind == kind])
        for kind in dict.fromkeys(q.kind for q in queries)
    }
    step = max(1, len(queries) // cli_queries)
    cli_runs = [run_cli(archive, "search", "--json", *q.cli_args()) for q in queries[::step]]
    term_queries = [q for q in queries if q.kind in ("common", "rare", "and")]
    scan = scan_baseline(archive, [q.words[0] for q in term_queries])
    term_seconds = [s for (s, _), q in zip(second, queries, strict=True) if q in term_queries]
    term_p50 = statistics.median(term_seconds)
    return {
        "queries": len(queries),
        "in_process": percentiles(seconds),
        "in_process_first_pass": percentiles([s for s, _ in first]),
        "by_kind": by_kind,
        "mean_hits": round(statistics.mean(h for _, h in second), 1),
        "cli_queries": len(cli_runs),
        "cli_wall": percentiles([r.seconds for r in cli_runs]),
        "cli_failures": sum(1 for r in cli_runs if r.returncode != 0),
        "peak_rss_mb": round(max(r.peak_rss_mb for r in cli_runs), 1),
        "baseline_scan": {"tool": scanner()[0], **percentiles(scan)},
        "speedup_vs_scan": round(statistics.median(scan) / term_p50, 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--tokens", default=DEFAULT_TOKENS)
    parser.add_argument("--cli-queries", type=int, default=CLI_QUERIES)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.archive, args.tokens, args.cli_queries), indent=1))


if __name__ == "__main__":
    main()
