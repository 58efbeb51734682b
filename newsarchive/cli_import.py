"""The ``import`` command: JSON Lines of records (the Spark job's output) into the archive.
Printing only; the work is :func:`newsarchive.importer.import_paths`."""

from __future__ import annotations

import sys

import click


@click.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line read, on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
def import_records(paths: tuple[str, ...], as_json: bool, quiet: bool) -> None:
    """Load records from JSON Lines files or folders (a Spark run's OUTPUT/records).

    Each line is checked like a record file by verify, then stored, indexed and catalogued
    as ingest stores; an id already archived is a duplicate. A bad line is reported as
    FILE:LINE on stderr and the other lines still go through (exit 1).

    \b
    Examples:
        newsarchive import spark-out/records/
        newsarchive import part-00000.txt more-records.jsonl.gz
    """
    from .cli import EXIT_FAILED, _archive_problem, _config, _report
    from .entities.extract import EntityExtractor
    from .importer import import_paths
    from .pipeline import Ingester, Summary
    from .store import ArchiveError

    summary = Summary()
    try:
        # Imported records carry their entities: an empty extractor (built in no time) stands
        # in for the gazetteer's, which this command never runs.
        no_entities = EntityExtractor.from_paths([], use_default=False)
        with Ingester(_config(), no_entities) as ingester:
            for outcome in import_paths(ingester, paths):
                summary.add(outcome)
                _report(outcome, as_json, quiet)
    except ArchiveError as exc:
        raise _archive_problem(exc) from exc
    if not quiet and not as_json:
        counts = summary.counts
        click.echo(
            f"{counts['stored']} stored, {counts['duplicate']} duplicate, {counts['failed']} failed"
        )
    if summary.failed:
        sys.exit(EXIT_FAILED)
