"""The pipeline as a Spark job: folders of text/HTML files, JSON Lines of pages or WARC files
in; JSON Lines of records out, partitioned by date, duplicates dropped corpus-wide by id.

    spark-submit newsarchive/spark/job.py --format warc --output OUT s3a://bucket/cc-news/
    python -m newsarchive.spark --master 'local[2]' --output OUT ~/news/

Output (any path Spark writes: local, HDFS, S3):

* ``OUT/records/date=YYYY-MM-DD/part-*.txt``: one record a line, as ``Record.to_dict`` makes
  it (the archive's record format); the date is the record's day in the archive (publication
  day, else ingestion day). ``newsarchive import OUT/records`` loads them into an archive.
* ``OUT/failures/part-*.json``: one ``{"source", "status", "reason"}`` line per input that made
  no record (status ``failed``, or ``skipped`` for what is not meant to be an article).
* ``OUT/summary.json``: articles in, records out, duplicates, failures and skips by reason.

Absolute imports: spark-submit runs this file as a script.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence

from newsarchive.config import Config, ConfigError
from newsarchive.config import load as load_config
from newsarchive.record import utc_now
from newsarchive.spark.readers import (
    FAILED,
    SKIPPED,
    Item,
    Skip,
    file_item,
    jsonl_items,
    local_name,
    wanted_file,
    warc_items,
)
from newsarchive.spark.worker import RECORD, ROW_SCHEMA, convert

FORMATS = ("files", "jsonl", "warc")


def guess_format(paths: Sequence[str]) -> str:
    """``warc`` / ``jsonl`` when every path ends so (.gz allowed); else ``files``."""
    names = [p.lower().removesuffix(".gz") for p in paths]
    if names and all(n.endswith((".warc", ".arc")) for n in names):
        return "warc"
    if names and all(n.endswith((".jsonl", ".ndjson", ".json")) for n in names):
        return "jsonl"
    return "files"


def run(
    spark,
    inputs: Sequence[str],
    output: str,
    config: Config,
    fmt: str = "files",
    *,
    partitions: int | None = None,
    compression: str | None = None,
) -> dict:
    """Run the job; return the summary (also written to ``OUTPUT/summary.json``)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    started_at = utc_now()
    items = _items(spark, list(inputs), fmt, config, partitions)
    rows = items.mapPartitions(lambda part: convert(part, config, started_at))
    table = spark.createDataFrame(rows, ROW_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        # The first record of each id in input order, as `ingest` keeps the first it meets.
        first = (
            table.filter(F.col("kind") == RECORD)
            .groupBy("id")
            .agg(F.min(F.struct("order", "date", "value")).alias("first"))
            .select("first.date", "first.value")
        )
        writer = first.repartition("date").write.partitionBy("date").mode("errorifexists")
        if compression:
            writer = writer.option("compression", compression)
        writer.text(f"{output}/records")
        (
            table.filter(F.col("kind") != RECORD)
            .coalesce(1)  # few lines: one file, in input order
            .sortWithinPartitions("order")
            .select("source", F.col("kind").alias("status"), "reason")
            .write.mode("errorifexists")
            .json(f"{output}/failures")
        )
        # One pass for every count: inputs by outcome and reason, distinct record ids.
        counts = (
            table.groupBy("kind", "reason")
            .agg(F.count("*").alias("count"), F.countDistinct("id").alias("ids"))
            .collect()
        )
    finally:
        table.unpersist()
    summary = _summary(counts, fmt, started_at)
    _write_text(spark, f"{output}/summary.json", json.dumps(summary, ensure_ascii=False, indent=1))
    return summary


def _summary(counts, fmt: str, started_at: str) -> dict:
    by_kind: Counter[str] = Counter()
    records_out = sum(row["ids"] for row in counts if row["kind"] == RECORD)
    reasons: dict[str, Counter[str]] = {FAILED: Counter(), SKIPPED: Counter()}
    for row in counts:
        by_kind[row["kind"]] += row["count"]
        if row["kind"] in reasons:
            reasons[row["kind"]][row["reason"]] += row["count"]
    records = by_kind[RECORD]
    return {
        "format": fmt,
        "started_at": started_at,
        "articles_in": sum(by_kind.values()),
        "records_out": records_out,
        "duplicates": records - records_out,
        "failed": by_kind[FAILED],
        "skipped": by_kind[SKIPPED],
        "failures_by_reason": dict(reasons[FAILED].most_common()),
        "skipped_by_reason": dict(reasons[SKIPPED].most_common()),
    }


def _items(spark, inputs: list[str], fmt: str, config: Config, partitions: int | None):
    """An RDD of Item | Skip for the inputs. Each file is read whole by one task (Spark's
    binaryFile source, so any file system Spark knows works); JSON Lines and WARC items are
    then spread over ``partitions`` tasks, since the conversion is where the time goes."""
    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(inputs)
        .select("path", "content")
        .rdd
    )
    max_file = config.max_input_bytes
    max_page = config.max_page_bytes
    if fmt == "files":
        pattern = config.input_glob
        return files.filter(lambda row: wanted_file(row.path, pattern)).map(
            lambda row: file_item(row.path, row.content, max_file)
        )
    if fmt == "jsonl":
        items = files.flatMap(lambda row: _jsonl_file(row.path, row.content, max_page))
    elif fmt == "warc":
        items = files.flatMap(
            lambda row: warc_items(io.BytesIO(row.content), local_name(row.path), max_page)
        )
    else:
        raise ValueError(f"unknown input format {fmt!r} (one of {', '.join(FORMATS)})")
    count = partitions or spark.sparkContext.defaultParallelism * 4
    return items.repartition(count)


def _jsonl_file(uri: str, content: bytes, max_bytes: int) -> Iterator[Item | Skip]:
    name = local_name(uri)
    data = bytes(content)
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            yield Skip(name, name, FAILED, f"not a readable gzip file: {exc}")
            return
    lines = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace", newline="\n")
    yield from jsonl_items(((name, n, line) for n, line in enumerate(lines, 1)), max_bytes)


def _write_text(spark, path: str, text: str) -> None:
    """One small file through Hadoop's FileSystem, so it lands wherever the output does."""
    jvm = spark.sparkContext._jvm
    target = jvm.org.apache.hadoop.fs.Path(path)
    fs = target.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    stream = fs.create(target, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def session(master: str | None = None, app: str = "newsarchive", conf: dict | None = None):
    """A SparkSession; ``master`` only when given (spark-submit passes its own)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    if master:
        builder = builder.master(master)
        if master.startswith("local"):
            # Local workers must run this interpreter (the venv with newsarchive), not the
            # `python3` on PATH; pyspark reads the variable when the context starts.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return builder.getOrCreate()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="newsarchive.spark", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="files or folders (local paths, hdfs://, s3a://...)")  # fmt: skip
    parser.add_argument("--output", "-o", required=True, help="output folder (must not exist)")
    parser.add_argument("--format", choices=("auto", *FORMATS), default="auto",
                        help="input form; auto: by file name (.warc[.gz], .jsonl[.gz]), "
                        "else folders of text/HTML files")  # fmt: skip
    parser.add_argument("--config", help="newsarchive config file (gazetteers, furniture...)")
    parser.add_argument("--master", help="Spark master, e.g. local[2] (spark-submit sets it)")
    parser.add_argument("--partitions", type=int, help="tasks for JSON Lines / WARC items")
    parser.add_argument("--compression", choices=("gzip", "bzip2"), help="of the record files")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``spark-submit job.py`` and ``python -m newsarchive.spark``: prints the
    summary as JSON; exit 0, 1 when some inputs failed, 2 for a usage or config error."""
    args = parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    fmt = guess_format(args.inputs) if args.format == "auto" else args.format
    spark = session(args.master)
    try:
        summary = run(spark, args.inputs, args.output, config, fmt,
                      partitions=args.partitions, compression=args.compression)  # fmt: skip
    finally:
        spark.stop()
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 1 if summary["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
