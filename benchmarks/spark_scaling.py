"""Throughput of the Spark job at local[1] and local[2], beside the single-process ingest of
the same articles (the baseline, measured in the same run). Goal: local[2] ≥ 1.7× local[1].

The corpus is ``benchmarks.generate``'s (HTML pages, made once into ``WORK/corpus``); each
Spark timing is of a run after a warm-up run on the first ``--warmup`` articles in the same
session, so the JVM start and the Python workers' start (imports, gazetteer) are left out:
the figure is the steady rate a long job sees. ``--form jsonl`` feeds the same pages to the
job as JSON Lines (``WORK/pages/*.jsonl``: a few large files instead of 20,000 small ones).

    python -m benchmarks.spark_scaling --work /tmp/nb/spark [--articles 20000] [--form files]
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from .common import run_cli
from .generate import DEFAULT_TOKENS, Generator, write_corpus

SPARK_CONF = {
    "spark.ui.showConsoleProgress": "false",
    "spark.ui.enabled": "false",
    # One Python worker per core, kept between tasks and stages (the gazetteer loads once).
    "spark.python.worker.reuse": "true",
}


def corpus(work: Path, articles: int, tokens: str) -> Path:
    """``WORK/corpus`` with ``articles`` HTML pages (made again when the count differs)."""
    folder = work / "corpus"
    stamp = work / "corpus.count"
    if stamp.exists() and stamp.read_text() == str(articles):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    write_corpus(Generator.from_files(tokens), folder, articles, "html")
    stamp.write_text(str(articles))
    return folder


def pages(work: Path, folder: Path, files: int = 8) -> Path:
    """The same pages as JSON Lines ``{url, html, fetched_at}`` in ``files`` files."""
    out = work / "pages"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    paths = sorted(folder.rglob("*.html"))
    handles = [(out / f"part-{n}.jsonl").open("w", encoding="utf-8") for n in range(files)]
    for number, path in enumerate(paths):
        line = {"url": f"https://news.example/{path.stem}", "html": path.read_text("utf-8"),
                "fetched_at": "2026-11-29T12:00:00Z"}  # fmt: skip
        handles[number % files].write(json.dumps(line, ensure_ascii=False) + "\n")
    for handle in handles:
        handle.close()
    return out


def subset(work: Path, folder: Path, count: int) -> Path:
    """The first ``count`` files of the corpus, for the warm-up run."""
    out = work / "warmup"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for path in sorted(folder.rglob("*.html"))[:count]:
        (out / path.name).write_bytes(path.read_bytes())
    return out


def spark_rate(master: str, inputs: Path, warmup: Path, fmt: str, work: Path) -> dict:
    from newsarchive.config import Config
    from newsarchive.spark import job

    config = Config(archive=work / "unused-archive")
    spark = job.session(master, "newsarchive-bench", SPARK_CONF)
    spark.sparkContext.setLogLevel("ERROR")
    try:
        out = work / f"out-{''.join(filter(str.isdigit, master))}"
        shutil.rmtree(out, ignore_errors=True)
        job.run(spark, [str(warmup)], str(out / "warmup"), config, "files")
        start = time.perf_counter()
        summary = job.run(spark, [str(inputs)], str(out / "run"), config, fmt)
        seconds = time.perf_counter() - start
    finally:
        spark.stop()
    return {
        "seconds": round(seconds, 1),
        "articles_per_s": round(summary["articles_in"] / seconds, 1),
        "records_out": summary["records_out"],
    }


def ingest_rate(folder: Path, work: Path, articles: int, *extra: str) -> dict:
    archive = work / "ingest-archive"
    shutil.rmtree(archive, ignore_errors=True)
    run = run_cli(archive, "ingest", "--quiet", *extra, str(folder))
    if run.returncode != 0:
        raise RuntimeError(f"ingest failed: {run.stderr.strip()[:300]}")
    shutil.rmtree(archive, ignore_errors=True)
    return {"seconds": round(run.seconds, 1), "articles_per_s": round(articles / run.seconds, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="scratch folder")
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--tokens", default=DEFAULT_TOKENS, help="ANERcorp-style token file")
    parser.add_argument("--form", choices=("files", "jsonl"), default="files")
    parser.add_argument("--warmup", type=int, default=200, help="articles of the warm-up run")
    parser.add_argument("--no-jobs2", action="store_true", help="skip `ingest --jobs 2`")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    folder = corpus(args.work, args.articles, args.tokens)
    inputs = pages(args.work, folder) if args.form == "jsonl" else folder
    warmup = subset(args.work, folder, args.warmup)
    results = {
        "articles": args.articles,
        "form": args.form,
        "ingest_1": ingest_rate(folder, args.work, args.articles),
        "local_1": spark_rate("local[1]", inputs, warmup, args.form, args.work),
        "local_2": spark_rate("local[2]", inputs, warmup, args.form, args.work),
    }
    if not args.no_jobs2:
        results["ingest_jobs2"] = ingest_rate(folder, args.work, args.articles, "--jobs", "2")
    ratio = results["local_2"]["articles_per_s"] / results["local_1"]["articles_per_s"]
    results["ratio_2_over_1"] = round(ratio, 2)
    print(f"{args.articles} articles ({args.form}); articles/s, after the JVM has started:")
    print(f"  ingest, 1 process (baseline) {results['ingest_1']['articles_per_s']:>8}")
    if "ingest_jobs2" in results:
        print(f"  ingest --jobs 2              {results['ingest_jobs2']['articles_per_s']:>8}")
    print(f"  spark local[1]               {results['local_1']['articles_per_s']:>8}")
    print(f"  spark local[2]               {results['local_2']['articles_per_s']:>8}")
    verdict = "met" if ratio >= 1.7 else "missed"
    print(f"  local[2] / local[1]          {ratio:>8.2f}x  (goal >= 1.7x: {verdict})")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
