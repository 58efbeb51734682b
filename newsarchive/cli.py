"""The ``newsarchive`` command: parse arguments, call the library, print. No logic lives here.

Exit codes (the README lists them too):
  0  everything went through (duplicates count as fine)
  1  some inputs failed, or the thing asked for does not exist (``show`` of an unknown id)
  2  usage or configuration error (bad option, bad config file, bad gazetteer)
Heavy modules (tantivy, lxml, trafilatura, the gazetteer) are imported inside the commands that
need them, so ``newsarchive --help`` starts fast.
"""

from __future__ import annotations

import gc
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

import click

from . import config as config_module

EXIT_FAILED = 1
EXIT_USAGE = 2


class ConfigProblem(click.ClickException):
    """Configuration errors exit 2, like usage errors."""

    exit_code = EXIT_USAGE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: $NEWSARCHIVE_CONFIG, ./config.yaml, "
    "~/.config/newsarchive/config.yaml).",
)
@click.option(
    "--archive",
    type=click.Path(file_okay=False),
    help="Archive folder (overrides the config file and $NEWSARCHIVE_ARCHIVE).",
)
@click.version_option(package_name="newsarchive")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, archive: str | None) -> None:
    """Archive Arabic news articles and search them.

    \b
    Example:
        newsarchive --archive ./news ingest seeds/
        newsarchive --archive ./news search العراق
    """
    try:
        config = config_module.load(config_path)
    except config_module.ConfigError as exc:
        raise ConfigProblem(str(exc)) from exc
    if archive:
        config = replace(config, archive=Path(archive).expanduser())
    ctx.obj = config


def _config() -> config_module.Config:
    return click.get_current_context().find_root().obj


def _entity_extractor(config: config_module.Config):
    from .entities.extract import EntityExtractor
    from .entities.gazetteer import GazetteerError

    try:
        extractor = EntityExtractor.from_paths(
            config.gazetteers, use_default=config.default_gazetteer,
            use_learnt=config.learnt_lists,
        )
    except GazetteerError as exc:
        raise ConfigProblem(f"gazetteer: {exc}") from exc
    # The compiled gazetteer (millions of objects with a large list) lives as long as the
    # process: frozen out of the collector's reach, no full collection walks it again while
    # articles are tagged (`benchmarks/ner_speed.py` does the same), and forked workers
    # (`--jobs`) share its pages instead of copying them when the collector would touch them.
    gc.freeze()
    return extractor


def _archive_problem(exc: Exception) -> click.ClickException:
    error = click.ClickException(str(exc))
    error.exit_code = EXIT_FAILED
    return error


# -- ingest ----------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--glob", "pattern", help="File-name pattern for directories, e.g. '*.txt'.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes reading and extracting the inputs (output keeps input order).")
def ingest(
    paths: tuple[str, ...], pattern: str | None, as_json: bool, quiet: bool, jobs: int
) -> None:
    """Archive articles from files, directories (recursively) or - for stdin.

    Plain text (first line is the title) and HTML are both read; the encoding is detected.
    An article already in the archive is reported as a duplicate and not stored again.

    \b
    Examples:
        newsarchive ingest article.txt page.html
        newsarchive ingest --glob '*.txt' ~/news/
        cat article.txt | newsarchive ingest -
    """
    config = _config()
    _store_and_report(
        config, _entity_extractor(config),
        lambda ingester: ingester.ingest_paths(paths, pattern, sys.stdin.buffer, jobs=jobs),
        as_json, quiet,
    )


def _store_and_report(config, extractor, outcomes_of, as_json: bool, quiet: bool) -> None:
    """Run ``outcomes_of(ingester)`` (ingest, import), one line per outcome, then the summary
    line; exit 1 when any input failed."""
    from .pipeline import Ingester, Summary
    from .store import ArchiveError

    summary = Summary()
    try:
        with Ingester(config, extractor) as ingester:
            for outcome in outcomes_of(ingester):
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


def _report(outcome, as_json: bool, quiet: bool) -> None:
    if outcome.status == "failed":
        click.echo(f"error: {_one_line(outcome.source)}: {outcome.error}", err=True)
    if as_json:
        click.echo(json.dumps(outcome.to_dict(), ensure_ascii=False))
    elif not quiet and outcome.status != "failed":
        detail = (
            f"{outcome.entities} entities" if outcome.status == "stored" else "already archived"
        )
        click.echo(
            f"{outcome.status:<9} {outcome.record_id}  {_one_line(outcome.source)}  ({detail})"
        )


def _one_line(text: str) -> str:
    """File names can hold newlines and undecodable bytes; a report line must stay one line."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\n", "\\n")


# -- search ----------------------------------------------------------------------------------
@main.command()
@click.argument("terms", nargs=-1)
@click.option(
    "--entity", "entities", multiple=True, help="Only records naming this entity (name or id)."
)
@click.option(
    "--type",
    "entity_type",
    type=click.Choice(["PER", "ORG", "LOC", "MISC"]),
    help="Only records naming an entity of this type "
    "(with --entity: resolve the name in this type).",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="From this date (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Up to this date, inclusive.")
@click.option("--limit", "-n", type=click.IntRange(min=1), help="Most hits to show (default 10).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
def search(terms, entities, entity_type, since, until, limit, as_json) -> None:  # noqa: PLR0913
    """Search the archive. Several terms must all match; quote a phrase.

    Matching ignores diacritics and spelling variants (امريكا finds أمريكا) and sees through
    prefixes (العراق finds بالعراق and والعراق, but not العراقية).

    \b
    Examples:
        newsarchive search العراق أمريكا
        newsarchive search '"التحالف الدولي"' --since 2020-01-01
        newsarchive search --entity داعش --json
    """
    from .search import parse_query
    from .search import search as run_search

    config = _config()
    if not terms and not entities and not entity_type and not since and not until:
        raise click.UsageError(
            "give a search term or a filter (--entity, --type, --since, --until)"
        )
    archive, catalog, index = _open_for_reading()
    try:
        entity_ids: list[str] = []
        for name in entities:
            ids = catalog.resolve_entity(name, entity_type)
            if not ids:
                click.echo(f"no entity named {name!r} in the archive", err=True)
                sys.exit(EXIT_FAILED)
            entity_ids += ids
        query = parse_query(
            terms,
            entity_ids=tuple(entity_ids),
            entity_type=None if entities else entity_type,
            since=since.date().isoformat() if since else None,
            until=until.date().isoformat() if until else None,
        )
        hits = run_search(
            archive,
            index,
            catalog,
            query,
            limit=limit or config.search_limit,
            snippet_width=config.snippet_width,
        )
    finally:
        catalog.close()
    colour = sys.stdout.isatty() and not as_json
    for number, hit in enumerate(hits, start=1):
        if as_json:
            click.echo(json.dumps(hit_to_dict(hit), ensure_ascii=False))
        else:
            click.echo(f"{number}. {click.style(hit.title, bold=True) if colour else hit.title}")
            click.echo(f"   {hit.date}  {hit.id}  {hit.source}")
            click.echo(f"   {mark(hit.snippet, hit.highlights, colour)}")
    if not hits and not as_json:
        click.echo("no matches", err=True)


def hit_to_dict(hit) -> dict:
    return {**asdict(hit), "score": round(hit.score, 4)}  # JSON writes the span tuples as lists


def mark(snippet: str, spans, colour: bool) -> str:
    """The snippet with its matches marked: coloured on a terminal, [bracketed] elsewhere."""
    out, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        word = snippet[start:end]
        out += [
            snippet[position:start],
            click.style(word, fg="red", bold=True) if colour else f"[{word}]",
        ]
        position = end
    out.append(snippet[position:])
    return "".join(out)


def _existing_archive():
    from .store import Archive

    archive = Archive(_config().archive)
    if not archive.root.is_dir():
        raise _archive_problem(Exception(f"no archive at {archive.root} (ingest something first)"))
    return archive


def _open_for_reading():
    from .rebuild import open_catalog, open_index
    from .store import ArchiveError

    archive = _existing_archive()
    try:
        return archive, open_catalog(archive), open_index(archive)
    except ArchiveError as exc:
        raise _archive_problem(exc) from exc


# -- reindex ---------------------------------------------------------------------------------
@main.command()
def reindex() -> None:
    """Rebuild the search index and the catalog from the record files.

    The records are the source of truth: deleting index/ and catalog.sqlite loses nothing.
    """
    from .rebuild import reindex as rebuild
    from .store import Archive, ArchiveError

    try:
        count = rebuild(Archive(_config().archive))
    except ArchiveError as exc:
        raise _archive_problem(exc) from exc
    click.echo(f"reindexed {count} records")


# -- show / list / entities ------------------------------------------------------------------
@main.command()
@click.argument("record_id")
@click.option("--json", "as_json", is_flag=True, help="The record file as stored.")
def show(record_id: str, as_json: bool) -> None:
    """Show one record by id (or a unique id prefix of 4 or more characters)."""
    relpath = _from_catalog(lambda catalog: catalog.path_of(record_id))
    if len(record_id) < 4 or relpath is None:
        click.echo(f"error: no record with id {record_id!r} (or the prefix is ambiguous)", err=True)
        sys.exit(EXIT_FAILED)
    archive = _existing_archive()
    if as_json:
        click.echo((archive.root / relpath).read_text(encoding="utf-8"), nl=False)
        return
    record = archive.read_path(relpath)
    click.echo(click.style(record.title, bold=sys.stdout.isatty()))
    click.echo(f"id: {record.id}\ndate: {record.date}\nsource: {record.source}")
    click.echo(f"encoding: {record.encoding}\nlanguage: {record.language}")
    names = {m.id: (m.type, m.name) for m in record.entities}
    listed = ", ".join(
        f"{names[i][1]} ({names[i][0]}) ×{n}" for i, n in record.entity_counts.items()
    )
    click.echo(f"entities: {listed or '-'}\n")
    click.echo(record.text)


@main.command("list")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per record.")
def list_records(limit: int, as_json: bool) -> None:
    """List the most recent records (by date, newest first)."""
    rows = _from_catalog(lambda catalog: catalog.recent(limit))
    _print_rows(rows, as_json, lambda row: f"{row.date}  {row.id}  {row.title}")


@main.command()
@click.option("--type", "entity_type", type=click.Choice(["PER", "ORG", "LOC", "MISC"]))
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entity.")
def entities(entity_type: str | None, limit: int, as_json: bool) -> None:
    """The entities the archive names most, with mention and record counts."""
    rows = _from_catalog(lambda catalog: catalog.top_entities(entity_type, limit))
    _print_rows(
        rows,
        as_json,
        lambda row: f"{row.mentions:>6} {row.records:>6}  {row.type:<4} {row.name}  ({row.id})",
    )


def _from_catalog(query):
    """Run ``query(catalog)`` on the archive's catalog (rebuilt first if it is missing)."""
    from .rebuild import open_catalog
    from .store import ArchiveError

    try:
        catalog = open_catalog(_existing_archive())
    except ArchiveError as exc:
        raise _archive_problem(exc) from exc
    try:
        return query(catalog)
    finally:
        catalog.close()


def _print_rows(rows, as_json: bool, line) -> None:
    for row in rows:
        click.echo(json.dumps(row.__dict__, ensure_ascii=False) if as_json else line(row))


# Commands that live in their own modules (each imports its heavy parts inside the command).
from .cli_eval import eval_group  # noqa: E402
from .cli_verify import verify  # noqa: E402
from .cli_web import fetch, run  # noqa: E402

for _command in (verify, fetch, run, eval_group):
    main.add_command(_command)

from .cli_import import import_records  # noqa: E402

main.add_command(import_records)
