"""Run every benchmark at one scale, print the table, and write ``benchmarks/results.json``.

    python -m benchmarks.run --scale 10k [--tokens PATH] [--workdir DIR] [--direct]

Steps: generate the corpus (HTML pages, one file each), ingest it through the CLI, then
reindex, search, start-up, verify and disk on the archive that made. With ``--direct``
(the default at 1m) the archive is built through the library (``benchmarks.build``) and
ingest is measured on a sample of ``--ingest-sample`` generated files. Each figure is printed
beside its baseline, measured in the same run, and its target from issue 6.
Results of other scales already in results.json are kept.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from . import (
    bench_disk,
    bench_ingest,
    bench_reindex,
    bench_search,
    bench_startup,
    bench_verify,
    build,
)
from .generate import DEFAULT_TOKENS, Generator, parse_scale, write_corpus

RESULTS = Path(__file__).parent / "results.json"


def prepare_corpus(generator: Generator, folder: Path, count: int) -> Path:
    """The generated input files, reused when a previous run made the same ones."""
    stamp = folder / "corpus.json"
    wanted = {"count": count, "seed": generator.seed, "format": "html"}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return folder / "files"
    shutil.rmtree(folder, ignore_errors=True)
    write_corpus(generator, folder / "files", count, "html")
    stamp.write_text(json.dumps(wanted))
    return folder / "files"


def built_archive(generator: Generator, archive: Path, count: int) -> dict:
    """Build ``archive`` through the library, or reuse the one a previous run built.

    A million records take about an hour to build here, so the build is stamped and kept:
    ``--build-only`` makes it (in the background, while the machine is busy with other
    work), and a later run on a quiet machine measures on it. The steps that follow never
    change the records; reindex rebuilds the derived index and catalog the same way.
    """
    stamp = archive.parent / "build.json"
    wanted = {"count": count, "seed": generator.seed}
    if stamp.exists() and archive.exists():
        saved = json.loads(stamp.read_text())
        if saved.get("wanted") == wanted:
            return {**saved["result"], "reused": True}
    shutil.rmtree(archive, ignore_errors=True)
    stamp.unlink(missing_ok=True)
    result = build.build(generator, archive, count)
    stamp.write_text(json.dumps({"wanted": wanted, "result": result}))
    return result


def run_all(args: argparse.Namespace) -> dict:
    count = parse_scale(args.scale)
    work = args.workdir / args.scale
    work.mkdir(parents=True, exist_ok=True)
    archive = work / "archive"
    generator = Generator.from_files(args.tokens, args.seed)
    results: dict = {"scale": args.scale, "articles": count, "machine": _machine()}
    direct = args.direct or count >= 1_000_000
    if direct:
        results["build"] = _step("build (library)",
                                 lambda: built_archive(generator, archive, count))
        if args.build_only:
            return results
        sample = min(args.ingest_sample, count)
        corpus = prepare_corpus(generator, work / f"corpus-{sample}", sample)
        ingest_archive = work / "ingest-sample"
        shutil.rmtree(ingest_archive, ignore_errors=True)
    else:
        shutil.rmtree(archive, ignore_errors=True)
        corpus = prepare_corpus(generator, work / "corpus", count)
        ingest_archive = archive
    steps = {
        "ingest": lambda: bench_ingest.measure(corpus, ingest_archive),
        "disk": lambda: bench_disk.measure(archive, None if direct else corpus),
        "reindex": lambda: bench_reindex.measure(archive),
        "search": lambda: bench_search.measure(archive, args.tokens, args.cli_queries),
        "startup": lambda: bench_startup.measure(work, args.repeat),
        "verify": lambda: bench_verify.measure(archive),
    }
    for name, measure in steps.items():
        if name not in args.skip:
            results[name] = _step(name, measure)
    if direct:
        shutil.rmtree(ingest_archive, ignore_errors=True)
    return results


def _step(name: str, action: Callable[[], dict]) -> dict:
    print(f"… {name}", flush=True)
    start = time.perf_counter()
    result = action()
    print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)
    return result


def _machine() -> dict:
    import os

    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M"), "load_avg_1m": round(os.getloadavg()[0], 2)}


# -- the table -------------------------------------------------------------------------------
def rows(r: dict) -> list[tuple[str, str, str, str, str]]:
    """(figure, value, baseline, target, verdict) for each figure of one scale's results.

    A step left out of the run (``--skip``) has no rows.
    """
    builders = {"ingest": _ingest_rows, "reindex": _reindex_rows, "search": _search_rows,
                "startup": _startup_rows, "verify": _verify_rows, "disk": _disk_rows}
    return [row for step, build_rows in builders.items() if step in r
            for row in build_rows(r[step])]


def _ingest_rows(ing: dict) -> list[tuple[str, str, str, str, str]]:
    jobs2 = ing["jobs2_articles_per_s"]
    return [
        ("ingest, 1 process (articles/s)", f"{ing['articles_per_s']:,}",
         f"I/O floor {ing['baseline_io_floor_articles_per_s']:,}/s", "≥ 500",
         _verdict(ing["articles_per_s"] >= 500)),
        ("ingest, --jobs 2 (articles/s)", "n/a" if jobs2 is None else f"{jobs2:,}",
         "1 process", "≥ 1.7×",
         "not available" if jobs2 is None else _verdict(jobs2 >= 1.7 * ing["articles_per_s"])),
        (f"ingest peak RSS ({ing['articles']:,} articles)", f"{ing['peak_rss_mb']} MB", "-",
         "≤ 250 MB", _verdict(ing["peak_rss_mb"] <= 250)),
    ]


def _reindex_rows(rei: dict) -> list[tuple[str, str, str, str, str]]:
    return [("reindex (records/s)", f"{rei['records_per_s']:,}",
             f"read+parse JSON {rei['baseline_read_json_records_per_s']:,}/s", "≥ 5,000",
             _verdict(rei["records_per_s"] >= 5000))]


def _search_rows(sea: dict) -> list[tuple[str, str, str, str, str]]:
    ip, cli, scan = sea["in_process"], sea["cli_wall"], sea["baseline_scan"]
    return [
        (f"search in process p50 / p95 / max ({sea['queries']} q)",
         f"{ip['p50_ms']} / {ip['p95_ms']} / {ip['max_ms']} ms",
         f"{scan['tool']} scan p50 {scan['p50_ms']} ms", "p50 ≤ 20, p95 ≤ 100 ms",
         _verdict(ip["p50_ms"] <= 20 and ip["p95_ms"] <= 100)),
        ("search speed-up over scan (term queries)", f"{sea['speedup_vs_scan']}×", "1×",
         "≥ 100×", _verdict(sea["speedup_vs_scan"] >= 100)),
        (f"search CLI wall p50 / p95 / max ({sea['cli_queries']} q)",
         f"{cli['p50_ms']} / {cli['p95_ms']} / {cli['max_ms']} ms", "-", "p50 ≤ 300 ms",
         _verdict(cli["p50_ms"] <= 300)),
        ("search peak RSS (CLI)", f"{sea['peak_rss_mb']} MB", "-", "-", ""),
    ]


def _startup_rows(sta: dict) -> list[tuple[str, str, str, str, str]]:
    return [
        ("`newsarchive --help` (median)", f"{sta['help']['median_ms']} ms",
         f"python -c pass {sta['baseline_python']['median_ms']} ms, "
         f"import click {sta['baseline_import_click']['median_ms']} ms", "≤ 150 ms",
         _verdict(sta["help"]["median_ms"] <= 150)),
        ("`search` on an empty archive (median)", f"{sta['search_empty']['median_ms']} ms",
         "-", "-", ""),
    ]


def _verify_rows(ver: dict) -> list[tuple[str, str, str, str, str]]:
    return [("verify", f"{ver['seconds']} s" if ver["available"] else "n/a",
             f"read+parse JSON {ver['baseline_read_json_s']} s" if ver["available"] else "-",
             "≤ 60 s at 100k", _per_100k(ver) if ver["available"] else "not available")]


def _disk_rows(disk: dict) -> list[tuple[str, str, str, str, str]]:
    return [("disk: records / index / catalog (bytes per article)",
             f"{disk['records_bytes_per_article']:,} / {disk['index_bytes_per_article']:,} / "
             f"{disk['catalog_bytes_per_article']:,}",
             f"input {disk['baseline_input_bytes_per_article']:,}"
             if "baseline_input_bytes_per_article" in disk else "-", "-",
             f"records allocated {disk['records_allocated_per_article']:,}")]


def _per_100k(verify: dict) -> str:
    """The verdict for a target set at 100k records, scaled linearly from this run."""
    seconds = verify["seconds"] * 100_000 / max(verify["records"], 1)
    return f"{_verdict(seconds <= 60)} (≈ {seconds:,.0f} s at 100k, linear)"


def _verdict(met: bool) -> str:
    return "met" if met else "missed"


def table(r: dict) -> str:
    """A Markdown table: what the README's Performance section shows."""
    lines = [f"Scale {r['scale']} ({r['articles']:,} articles), {r['machine']['date']}, "
             f"{r['machine']['cpus']} cores, load {r['machine']['load_avg_1m']} at the start",
             "",
             "| figure | value | baseline (same run) | target | |",
             "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows(r)]
    return "\n".join(lines)


def save(results: dict, path: Path = RESULTS) -> None:
    """Merge this scale's results into ``path`` (other scales are kept)."""
    saved = json.loads(path.read_text()) if path.exists() else {}
    saved[results["scale"]] = results
    path.write_text(json.dumps(saved, indent=1, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="10k", help="10k, 100k, 1m or a number")
    parser.add_argument("--tokens", default=DEFAULT_TOKENS, help="ANERcorp-style token file")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newsarchive-bench"))
    parser.add_argument("--direct", action="store_true",
                        help="build the archive through the library (default at 1m)")
    parser.add_argument("--build-only", action="store_true",
                        help="with --direct: build (or keep) the archive and stop; a later run "
                             "measures on it")
    parser.add_argument("--skip", action="append", default=[],
                        choices=["ingest", "disk", "reindex", "search", "startup", "verify"],
                        help="leave a step out (repeatable), e.g. verify at 1m, whose target "
                             "is set at 100k")
    parser.add_argument("--ingest-sample", type=int, default=10_000,
                        help="with --direct: articles in the CLI ingest sample")
    parser.add_argument("--cli-queries", type=int, default=bench_search.CLI_QUERIES,
                        help="search queries also timed as CLI runs")
    parser.add_argument("--repeat", type=int, default=10, help="runs of each start-up timing")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    results = run_all(args)
    if args.build_only:
        print(json.dumps(results["build"]))
        return
    save(results, args.results)
    print()
    print(table(results))
    print(f"\nwritten to {args.results}")


if __name__ == "__main__":
    main()
