"""Entity extraction speed with a large gazetteer, against a naive one-regex-per-entry baseline.

    .venv/bin/python benchmarks/ner_speed.py [--aliases 100000] [--mb 2] [--text FILE]

Builds a gazetteer of ``--aliases`` synthetic multi-word names (plus the shipped one), tags
``--mb`` MB of Arabic text (the seed articles repeated, or ``--text``) with the archive's
extractor on one core, and prints MB/s (CPU time: the machine may be shared), the gazetteer load
time (cold and cached) and peak memory.
The text is tagged twice: an article per call, as ingest calls the extractor (title + text),
and a paragraph per call, the worst case of many short calls (each call has fixed costs).
The baseline, measured in the same run, is one compiled regex per alias run over the text;
it is timed with a sample of the aliases and scaled to the full count (it grows linearly).
Target (issue 4): ≥ 5 MB/s with ≥ 100,000 aliases; load < 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsarchive.entities.extract import EntityExtractor  # noqa: E402
from newsarchive.entities.gazetteer import default_paths, load  # noqa: E402

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
BASELINE_SAMPLE = 500


def synthetic_gazetteer(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    lines = ["id\ttype\tname\taliases"]
    for i in range(count):
        length = rng.randint(1, 3)
        words = ["".join(rng.choices(LETTERS, k=rng.randint(3, 7))) for _ in range(length)]
        lines.append(f"per:synthetic-{i}\tPER\t{' '.join(words)}\t")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def sample_text(source: Path | None, megabytes: float) -> str:
    if source:
        base = source.read_text(encoding="utf-8")
    else:
        seeds = sorted((ROOT / "seeds").glob("*.txt"))
        base = "\n\n".join(p.read_text(encoding="utf-8") for p in seeds)
    size = len(base.encode("utf-8"))
    return "\n\n".join([base] * max(1, round(megabytes * 1e6 / size)))


def _articles(source: Path | None, text: str) -> list[list[tuple[str, str]]]:
    """The text as (title, text) articles: each seed article (first line the title), repeated
    as ``text`` repeats them; a ``--text`` file is cut every 20 paragraphs."""
    if source:
        paragraphs = text.split("\n\n")
        chunks = ["\n\n".join(paragraphs[i : i + 20]) for i in range(0, len(paragraphs), 20)]
    else:
        chunks = []
        copies = text.count("\n\n") + 1
        seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
        per_copy = sum(s.count("\n\n") + 1 for s in seeds)
        for _ in range(copies // per_copy):
            chunks += seeds
    out = []
    for chunk in chunks:
        title, _, body = chunk.strip().partition("\n")
        out.append([("title", title), ("text", body.strip())])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--aliases", type=int, default=100_000)
    parser.add_argument("--mb", type=float, default=2.0)
    parser.add_argument("--text", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="article passes timed (best kept)")
    args = parser.parse_args()

    path = Path(f"/tmp/newsarchive-speed-gazetteer-{args.aliases}.tsv")
    if not path.exists():  # rewriting it would change its mtime and defeat the cache
        synthetic_gazetteer(path, args.aliases)
    text = sample_text(args.text, args.mb)
    megabytes = len(text.encode("utf-8")) / 1e6
    paragraphs = text.split("\n\n")
    articles = _articles(args.text, text)

    cache = Path(tempfile.mkdtemp())
    os.environ["XDG_CACHE_HOME"] = str(cache)  # a cold cache first, then a warm one
    started = time.perf_counter()
    EntityExtractor.from_paths([path])
    compile_seconds = time.perf_counter() - started
    started = time.perf_counter()
    extractor = EntityExtractor.from_paths([path])
    load_seconds = time.perf_counter() - started
    shutil.rmtree(cache)
    names = len(extractor.names)

    # CPU time of this process (the machine is shared: wall time counts other jobs' turns);
    # the first pass (what each new word costs once) and the best of --repeat (steady state).
    passes = []
    for _ in range(max(1, args.repeat)):
        started = time.process_time()
        mentions = sum(len(extractor.extract(fields)) for fields in articles)
        passes.append(time.process_time() - started)
    first_seconds, article_seconds = passes[0], min(passes)
    started = time.process_time()
    sum(len(extractor.extract([("text", p)])) for p in paragraphs)
    tag_seconds = time.process_time() - started

    # Baseline: one regex per alias (whole words), over the same text, timed on a sample.
    entries = list(load([*default_paths(), path]).entries.values())
    sample = random.Random(1).sample(entries, min(BASELINE_SAMPLE, len(entries)))
    started = time.process_time()
    patterns = [re.compile(rf"(?<!\w){re.escape(e.name)}(?!\w)") for e in sample]
    base_text = text[: 200_000]
    for pattern in patterns:
        for _ in pattern.finditer(base_text):
            pass
    sample_seconds = time.process_time() - started
    base_mb = len(base_text.encode("utf-8")) / 1e6
    base_rate = base_mb / (sample_seconds * len(entries) / len(sample))

    print(f"gazetteer: {names:,} names ({args.aliases:,} synthetic + shipped)")
    print(f"text: {megabytes:.1f} MB, {len(articles):,} articles, {len(paragraphs):,} paragraphs,"
          f" {mentions:,} mentions")
    print(f"extractor: {megabytes / article_seconds:8.2f} MB/s   (target >= 5; an article a call,"
          f" best of {len(passes)})")
    print(f"extractor: {megabytes / first_seconds:8.2f} MB/s   (the same, first pass)")
    print(f"extractor: {megabytes / tag_seconds:8.2f} MB/s   (a paragraph a call)")
    print(f"baseline:  {base_rate:8.4f} MB/s   (one regex per name, {len(sample)} timed, scaled)")
    print(f"load (compiled, from the cache): {load_seconds:.2f} s   (target < 0.3)")
    print(f"load + compile (cold cache): {compile_seconds:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"peak memory (max RSS of this run): {peak:.0f} MB")


if __name__ == "__main__":
    main()
