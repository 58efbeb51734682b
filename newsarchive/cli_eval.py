"""``newsarchive eval``: measure the archive's entity extraction on annotated text.

Exit codes: 0 scored; 2 usage error, an unreadable or malformed CoNLL file (the message names
file and line), or a bad gazetteer.
"""

from __future__ import annotations

import json

import click

EXIT_USAGE = 2


class EvalProblem(click.ClickException):
    exit_code = EXIT_USAGE


@click.group("eval")
def eval_group() -> None:
    """Measure the archive's components on annotated data."""


def _types(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    types = tuple(dict.fromkeys(t.strip().upper() for t in value.split(",") if t.strip()))
    bad = [t for t in types if t not in ("PER", "ORG", "LOC", "MISC")]
    if bad or not types:
        raise click.BadParameter(f"unknown type {', '.join(bad)!s} (use PER, ORG, LOC, MISC)")
    return types


@eval_group.command("ner")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--types", "types_text", metavar="PER,LOC,ORG", help="Score only these types (default: all)."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object with the scores (0–1).")
@click.option(
    "--errors", "n_errors", type=click.IntRange(min=0), default=0, metavar="N",
    help="Also show the N most frequent false positives and misses.",
)
@click.option(
    "--gazetteer", "gazetteers", multiple=True, type=click.Path(dir_okay=False),
    help="A further gazetteer file to use (repeatable), after those of the config.",
)
@click.option(
    "--context", type=click.IntRange(min=1), default=1, show_default=True,
    help="Sentences tagged together as one article (so a later surname is resolved from the "
    "full name); -DOCSTART- lines always end an article.",
)
@click.option(
    "--no-learnt", "no_learnt", is_flag=True,
    help="Leave out the shipped lists learnt from the ANERcorp train file (scoring on that "
    "file with them measures nothing: its entities are in them).",
)
def ner(files, types_text, as_json, n_errors, gazetteers, context, no_learnt) -> None:  # noqa: PLR0913
    """Score entity extraction on CoNLL files (TOKEN TAG per line, BIO tags).

    Runs the extractor the archive uses (the config's gazetteers and the shipped learnt
    lists, plus --gazetteer files) over every sentence and prints precision, recall and
    F1 per type and micro-averaged.
    An entity counts only with its exact token span and type, as conlleval scores. PERS is
    read as PER; a match inside a token (بواشنطن) tags the whole token.

    \b
    Examples:
        newsarchive eval ner annotated.conll
        newsarchive eval ner --types PER,LOC,ORG --errors 20 news.txt
        newsarchive eval ner --gazetteer mine.tsv --json news.txt
    """
    from .cli import _config
    from .entities.evaluate import EvalError, Report, evaluate, read_conll
    from .entities.extract import EntityExtractor
    from .entities.gazetteer import GazetteerError

    types = _types(types_text)
    config = _config()
    try:
        extractor = EntityExtractor.from_paths(
            [*config.gazetteers, *gazetteers], use_default=config.default_gazetteer,
            use_learnt=config.learnt_lists and not no_learnt,
        )
    except GazetteerError as exc:
        raise EvalProblem(f"gazetteer: {exc}") from exc
    report: Report | None = None
    for path in files:
        try:
            sentences = read_conll(path)
        except EvalError as exc:
            raise EvalProblem(str(exc)) from exc
        part = evaluate(sentences, extractor.extract, types, context)
        if report is None:
            report = part
        else:
            report.merge(part)
    assert report is not None  # files is required
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        click.echo(format_report(report))
    if n_errors:
        click.echo(format_errors(report, n_errors))


def format_report(report) -> str:
    lines = [f"{'type':<6}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}"]
    rows = [*report.per_type.items(), ("micro", report.micro)]
    for name, s in rows:
        lines.append(
            f"{name:<6}{100 * s.precision:10.1f}{100 * s.recall:8.1f}"
            f"{100 * s.f1:8.1f}{s.support:9d}"
        )
    return "\n".join(lines)


def format_errors(report, n: int) -> str:
    lines = ["\nmost frequent false positives (count, type, text):"]
    lines += [f"{c:6}  {t:<4} {s}" for (s, t), c in report.false_positives.most_common(n)]
    lines.append("most frequent misses (count, type, text):")
    lines += [f"{c:6}  {t:<4} {s}" for (s, t), c in report.misses.most_common(n)]
    return "\n".join(lines)
