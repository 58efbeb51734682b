"""The ``import`` command: JSON Lines of records (the Spark job's output) into the archive.
Printing only; the work is :func:`newsarchive.importer.import_paths`."""

from __future__ import annotations

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
    from .cli import _config, _store_and_report
    from .entities.extract import EntityExtractor
    from .importer import import_paths

    # Imported records carry their entities: an empty extractor (built in no time) stands in
    # for the gazetteer's, which this command never runs.
    no_entities = EntityExtractor.from_paths([], use_default=False)
    _store_and_report(_config(), no_entities, lambda ingester: import_paths(ingester, paths),
                      as_json, quiet)
