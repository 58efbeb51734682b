"""The ``verify`` command: check the archive, optionally repair it. Printing only; the work
is :func:`newsarchive.verify.verify`."""

from __future__ import annotations

import sys

import click

EXIT_PROBLEMS = 1  # the same code as "some inputs failed": something needs attention


@click.command()
@click.option(
    "--repair",
    is_flag=True,
    help="Fix what can be fixed: rebuild the index and catalog, move unreadable files to "
    "quarantine/, remove temp files of interrupted writes. Never deletes a record.",
)
def verify(repair: bool) -> None:
    """Check every record and the index; one line per problem, then a summary.

    Exits 0 when there is no problem, 1 when there is any (also when --repair fixed it:
    run verify again to see a clean archive).

    \b
    Examples:
        newsarchive verify
        newsarchive verify --repair
    """
    from .cli import _archive_problem, _config
    from .store import Archive, ArchiveError
    from .verify import verify as run_verify

    try:
        report = run_verify(Archive(_config().archive), repair=repair)
    except ArchiveError as exc:
        raise _archive_problem(exc) from exc
    for problem in report.problems:
        click.echo(problem.line())
    click.echo(report.summary())
    if not report.ok:
        sys.exit(EXIT_PROBLEMS)
