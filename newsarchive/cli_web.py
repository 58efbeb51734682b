"""``newsarchive fetch`` and ``newsarchive run``: the web commands (parse, call, print).

Exit codes: 0 all went through, 1 some items failed (or the archive could not be written),
2 usage or configuration error, 3 (run only) another run holds the lock.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

import click

from .cli import EXIT_FAILED, ConfigProblem, _archive_problem, _config, _entity_extractor, _one_line

EXIT_LOCKED = 3


class RunLockedProblem(click.ClickException):
    exit_code = EXIT_LOCKED


class _Log:
    """Timestamped lines appended to the log file (``--log-file`` / ``run.log_file``)."""

    def __init__(self, path: Path | None):
        self.handle: TextIO | None = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 (closed in close)
            except OSError as exc:
                raise ConfigProblem(f"cannot open log file {path}: {exc.strerror}") from exc

    def write(self, level: str, message: str) -> None:
        if self.handle is not None:
            stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            self.handle.write(f"{stamp} {level:<5} {_one_line(message)}\n")
            self.handle.flush()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


def _outcome_line(outcome) -> str:
    if outcome.status == "failed":
        return f"failed    {outcome.source}: {outcome.error}"
    return f"{outcome.status:<9} {outcome.record_id or '-'}  {outcome.source}"


def _read_urls(urls: tuple[str, ...], from_file) -> list[str]:
    found: list[str] = []
    for url in urls:
        if url == "-":
            found += sys.stdin.read().splitlines()
        else:
            found.append(url)
    if from_file is not None:
        found += from_file.read().splitlines()
    return [u.strip() for u in found if u.strip() and not u.strip().startswith("#")]


@click.command()
@click.argument("urls", nargs=-1)
@click.option("--from-file", type=click.File("r", encoding="utf-8"),
              help="Read URLs from this file, one a line (# comments skipped).")  # fmt: skip
@click.option("--refresh", is_flag=True,
              help="Fetch URLs already archived again (a conditional request).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="One JSON object per URL on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
def fetch(urls: tuple[str, ...], from_file, refresh: bool, as_json: bool, quiet: bool) -> None:
    """Download web pages and archive their articles; - reads URLs from stdin.

    A URL already archived (same canonical URL) is skipped unless --refresh.

    \b
    Examples:
        newsarchive fetch https://www.example.com/news/2020/06/11/article
        newsarchive fetch --from-file urls.txt
        cat urls.txt | newsarchive fetch -
    """
    from .cli import _report

    config = _config()
    targets = _read_urls(urls, from_file)
    if not targets:
        raise click.UsageError("no URLs given (arguments, - for stdin, or --from-file)")
    failed = 0
    with _web(config) as web:
        for url in targets:
            outcome = web.fetch_url(url, refresh=refresh)
            failed += outcome.status == "failed"
            _report(outcome, as_json, quiet)
    if failed:
        sys.exit(EXIT_FAILED)


@click.command()
@click.option("--quiet", "-q", is_flag=True, help="Print only errors (for cron).")
@click.option("--log-file", type=click.Path(dir_okay=False),
              help="Append timestamped lines to this file (default: run.log_file).")  # fmt: skip
@click.option("--refresh", is_flag=True, help="Fetch feed items already archived again.")
def run(quiet: bool, log_file: str | None, refresh: bool) -> None:
    """Fetch every configured feed and inbox folder once: the command cron calls.

    Prints one summary line (feeds, new, duplicates, failed, seconds). A second run started
    while one is working exits at once with code 3.

    \b
    Example (crontab, every 30 minutes):
        */30 * * * * newsarchive run --quiet --log-file ~/newsarchive.log
    """
    from .runner import RunLocked, RunSummary, run_feeds, run_lock

    config = _config()
    if not config.feeds and not config.inbox:
        raise ConfigProblem("nothing to run: no feeds and no inbox folders in the config")
    log = _Log(Path(log_file).expanduser() if log_file else config.log_file)
    summary = RunSummary()
    start = time.monotonic()
    try:
        with run_lock(config.archive), _web(config) as web:
            log.write("INFO", f"run started: {len(config.feeds)} feeds, {len(config.inbox)} inbox")
            with _progress(len(config.feeds), quiet) as bar:
                for event in run_feeds(web, refresh=refresh):
                    summary.add(event)
                    _log_event(log, event)
                    if getattr(event, "feed", None) is not None:
                        bar.update(1)
    except RunLocked as exc:
        log.write("ERROR", str(exc))
        log.close()
        raise RunLockedProblem(str(exc)) from exc
    summary.seconds = time.monotonic() - start
    log.write("INFO", f"run done: {summary.line()}")
    log.close()
    if not quiet:
        click.echo(summary.line())
    if summary.failed:
        sys.exit(EXIT_FAILED)


def _log_event(log: _Log, event) -> None:
    from .runner import FeedDone

    if isinstance(event, FeedDone):
        if event.error:
            click.echo(f"error: feed {event.name}: {event.error}", err=True)
            log.write("ERROR", f"feed {event.name}: {event.error}")
        else:
            state = "unchanged" if event.unchanged else f"{event.items} items"
            log.write("INFO", f"feed {event.name}: {state}")
        return
    if event.status == "failed":
        click.echo(f"error: {_one_line(event.source)}: {event.error}", err=True)
    log.write("ERROR" if event.status == "failed" else "INFO", _outcome_line(event))


class _web:
    """Ingester + FetchState + Fetcher + WebIngester, opened and closed together."""

    def __init__(self, config):
        self.config = config

    def __enter__(self):
        from .fetchstate import FetchState
        from .pipeline import Ingester
        from .runner import WebIngester
        from .sources.web import Fetcher
        from .store import ArchiveError

        try:
            self.ingester = Ingester(self.config, _entity_extractor(self.config))
        except ArchiveError as exc:
            raise _archive_problem(exc) from exc
        self.state = FetchState(self.config.archive)
        self.fetcher = Fetcher(self.config, self.state)
        return WebIngester(self.config, self.ingester, self.fetcher, self.state)

    def __exit__(self, exc_type, exc, tb) -> None:
        from .store import ArchiveError

        self.fetcher.close()
        self.state.close()
        try:
            self.ingester.close()
        except ArchiveError as error:
            raise _archive_problem(error) from error
        if isinstance(exc, ArchiveError):
            raise _archive_problem(exc) from exc


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def update(self, n: int) -> None:
        return None


def _progress(feeds: int, quiet: bool):
    """A progress bar over the feeds, only on a terminal (never in cron mail or logs)."""
    if quiet or not feeds or not sys.stdout.isatty():
        return _NoBar()
    return click.progressbar(length=feeds, label="feeds", file=sys.stdout)


__all__ = ["EXIT_LOCKED", "fetch", "run"]
