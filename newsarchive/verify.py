"""Check an archive end to end, and repair what can be repaired without losing anything.

``verify(archive)`` walks every record file and checks that it

* parses (JSON, and as a :class:`Record`),
* matches the JSON Schema ``data/record.schema.json``,
* has the id its content hashes to, and lives where that id and its date put it,
* has entity offsets that slice its text exactly (``record[field][start:end] == surface``),

that no id is stored twice and no temp file of an interrupted write is left, and that the
search index and the catalog hold exactly the records there are.

``verify(archive, repair=True)`` holds the archive lock and fixes what it can: unreadable
files and extra copies of a record move to ``ARCHIVE/quarantine/`` (nothing is deleted but
temp files of writes that never finished), and the index and catalog are rebuilt from the
records when they disagree with them. Problems in readable records (schema, id, offsets,
misplaced) are reported, not touched: they need a person.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from .arabic.normalize import TokenWords, normalize
from .record import Record, record_id
from .store import Archive, ArchiveError

# Problem kinds, in the order a report lists them.
UNREADABLE = "unreadable"  # not JSON, or not a record: repaired by quarantine
SCHEMA = "schema"  # does not match record.schema.json
ID = "id"  # the id is not the hash of the content
MISPLACED = "misplaced"  # not at records/YYYY/MM/DD/<id>.json for its own id and date
OFFSETS = "offsets"  # an entity span does not slice its field to the surface
DUPLICATE = "duplicate"  # a second file with an id already seen: repaired by quarantine
TEMP = "temp"  # a temp file of an interrupted write: repaired by removal
INDEX = "index"  # the search index lacks a record or holds one there is not: rebuilt
CATALOG = "catalog"  # the same for the catalog: rebuilt
REPAIRABLE = {UNREADABLE, DUPLICATE, TEMP, INDEX, CATALOG}


@dataclass(frozen=True)
class Problem:
    kind: str
    path: str  # relative to the archive root ("index", "catalog.sqlite" for derived data)
    message: str
    repaired: bool = False

    def line(self) -> str:
        done = " [repaired]" if self.repaired else ""
        return f"{self.kind:<10} {self.path}: {self.message}{done}"


@dataclass
class Report:
    records: int = 0  # record files checked
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def repaired(self) -> int:
        return sum(1 for p in self.problems if p.repaired)

    def summary(self) -> str:
        if self.ok:
            return f"{self.records} records checked: no problems"
        fixed = f", {self.repaired} repaired" if self.repaired else ""
        return f"{self.records} records checked: {len(self.problems)} problems{fixed}"


@cache
def _validator() -> Any:
    # jsonschema is a run-time dependency for this: the schema file stays the one definition
    # of the format, rather than a hand-written copy of its rules that could drift from it.
    import jsonschema

    schema = json.loads(
        resources.files("newsarchive").joinpath("data/record.schema.json").read_text("utf-8")
    )
    return jsonschema.Draft202012Validator(schema)


def content_id(record: Record) -> str:
    """The id a record's title and text hash to (as ``pipeline.build_record`` computes it:
    the hash of ``" ".join(normalize(text).split())``, computed by :func:`match_words`)."""
    return record_id(match_words(record.title), match_words(record.text))


# Whitespace token → its normalized words. ``normalize`` works inside whitespace-separated
# tokens (it drops and folds characters and NFKC-expands presentation forms, some into several
# words, but never joins two tokens), so the words of a text are those of its tokens, in order:
# a dict lookup per token instead of normalizing ~2,400 characters again (that was 60% of verify).
_WORDS = TokenWords(lambda token: " ".join(normalize(token).split()))


def match_words(text: str) -> str:
    """``" ".join(normalize(text).split())``, the form the id hashes (equal: tested)."""
    return _WORDS(text)


@cache
def _fast_check() -> Any:
    """The schema compiled to Python by fastjsonschema: a yes/no answer, ~35x faster than
    jsonschema, so jsonschema (whose messages say where and what) runs only on bad records.
    The schema uses no keyword that differs between draft 7 and 2020-12."""
    import fastjsonschema

    schema = json.loads(
        resources.files("newsarchive").joinpath("data/record.schema.json").read_text("utf-8")
    )
    return fastjsonschema.compile(schema)


def schema_errors(data: Any) -> list:
    """jsonschema's errors for ``data``, in document order; checked by the fast path first."""
    from fastjsonschema import JsonSchemaException

    try:
        _fast_check()(data)
        return []
    except JsonSchemaException:
        pass
    return sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))


def check_record(data: Any, relpath: str, archive: Archive) -> Iterator[Problem]:
    """Problems of one parsed record file (``data`` is the decoded JSON)."""
    errors = schema_errors(data)
    for error in errors[:3]:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        yield Problem(SCHEMA, relpath, f"{where}: {error.message}"[:200])
    try:
        record = Record.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        yield Problem(UNREADABLE, relpath, f"not a record: {exc!r}"[:200])
        return
    if errors:
        return  # the checks below assume the types the schema promises
    expected = content_id(record)
    if record.id != expected:
        yield Problem(ID, relpath, f"id {record.id} but the content hashes to {expected}")
    if relpath != archive.relpath_for(record):
        yield Problem(MISPLACED, relpath, f"belongs at {archive.relpath_for(record)}")
    for number, mention in enumerate(record.entities):
        text = record.title if mention.field == "title" else record.text
        if text[mention.start : mention.end] != mention.surface:
            yield Problem(
                OFFSETS,
                relpath,
                f"entity {number} ({mention.id}) [{mention.start}:{mention.end}] is "
                f"{text[mention.start : mention.end]!r}, not {mention.surface!r}",
            )
    if data.get("entity_counts") != record.entity_counts:
        yield Problem(OFFSETS, relpath, "entity_counts do not match the entities")


def _load(path: Path) -> tuple[Any, str | None]:
    try:
        raw = path.read_bytes()
        try:
            return orjson.loads(raw), None
        except orjson.JSONDecodeError:  # maybe what json accepts and orjson not (NaN, ...)
            pass
        return json.loads(raw.decode("utf-8")), None
    except OSError as exc:
        return None, (exc.strerror or str(exc)).lower()
    except (UnicodeDecodeError, ValueError) as exc:
        return None, f"not valid JSON: {str(exc).splitlines()[0]}"


def check_file(path: Path, archive: Archive) -> tuple[str, str | None, list[Problem]]:
    """(relative path, the record's id when readable, problems) of one record file."""
    relpath = path.relative_to(archive.root).as_posix()
    data, error = _load(path)
    if error:
        problems = [Problem(UNREADABLE, relpath, error)]
    else:
        problems = list(check_record(data, relpath, archive))
    readable = not any(p.kind == UNREADABLE for p in problems)
    record_id_ = data.get("id") if readable and isinstance(data, dict) else None
    return relpath, record_id_ if isinstance(record_id_, str) else None, problems


PARALLEL_FROM = 2_000  # records: below this, starting worker processes costs more than it saves
_CHUNK = 256  # record files per task sent to a worker


def _check_chunk(paths: list[Path], archive: Archive) -> list:
    return [check_file(path, archive) for path in paths]


def _checked_files(archive: Archive) -> Iterator[tuple[Path, tuple]]:
    """``check_file`` over every record file, in order. Reading, parsing and hashing is CPU
    work, so a large archive is checked by one worker process per core (forked: no
    ``__main__`` re-run, the compiled schema checker inherited)."""
    paths = list(archive.record_paths())
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(paths) < PARALLEL_FROM:
        for path in paths:
            yield path, check_file(path, archive)
        return
    import concurrent.futures
    import multiprocessing

    _fast_check()  # compiled once, before the fork
    chunks = [paths[i : i + _CHUNK] for i in range(0, len(paths), _CHUNK)]
    with concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork")
    ) as pool:
        for chunk, results in zip(
            chunks, pool.map(_check_chunk, chunks, [archive] * len(chunks)), strict=True
        ):
            yield from zip(chunk, results, strict=True)


def verify(archive: Archive, *, repair: bool = False) -> Report:
    """Check ``archive``; with ``repair``, fix what can be fixed (under the archive lock)."""
    if not archive.root.is_dir():
        raise ArchiveError(f"no archive at {archive.root}")
    if repair:
        with archive.lock():
            return _verify(archive, repair=True)
    return _verify(archive, repair=False)


def _verify(archive: Archive, *, repair: bool) -> Report:
    report = Report()
    checked: list[tuple[Path, str, str | None, list[Problem]]] = []
    for path, (relpath, record_id_, problems) in _checked_files(archive):
        report.records += 1
        checked.append((path, relpath, record_id_, problems))
    # One file per id: the copy where the id and date put it is kept, other copies are extra.
    found: dict[str, str] = {}
    for _, relpath, record_id_, problems in sorted(
        checked, key=lambda c: any(p.kind == MISPLACED for p in c[3])
    ):
        if record_id_ is None:
            continue
        if record_id_ in found:
            problems.append(Problem(DUPLICATE, relpath, f"same id as {found[record_id_]}"))
        else:
            found[record_id_] = relpath
    for path, relpath, _, problems in checked:
        for problem in problems:
            if repair and problem.kind in {UNREADABLE, DUPLICATE}:
                moved = archive.quarantine(path).relative_to(archive.root).as_posix()
                problem = Problem(problem.kind, relpath, f"{problem.message}; moved to {moved}",
                                  repaired=True)
            report.problems.append(problem)
    for temp in archive.temp_files():
        report.problems.append(
            Problem(TEMP, temp.relative_to(archive.root).as_posix(),
                    "temp file of an interrupted write", repaired=repair)
        )
    if repair:
        archive.remove_temp_files()
    report.problems += _derived_problems(archive, found, repair=repair)
    return report


def _derived_problems(archive: Archive, found: dict[str, str], *, repair: bool) -> list[Problem]:
    """Compare the catalog and the index with the records; rebuild both when they differ."""
    from .catalog import Catalog
    from .index import SearchIndex, SearchIndexError

    problems: list[Problem] = []
    catalog_path = archive.root / "catalog.sqlite"
    index_dir = archive.root / "index"
    in_flight: set[str] = set()
    if not catalog_path.exists():
        problems.append(Problem(CATALOG, "catalog.sqlite", "missing"))
    else:
        try:
            with Catalog(catalog_path, readonly=True) as catalog:
                in_flight = {i for i, _ in catalog.journal()}
                held = catalog.paths()
                wrong_counts = catalog.summary_differences()
            problems += _differences(CATALOG, "catalog.sqlite", held, found, in_flight)
            if wrong_counts:
                problems.append(Problem(CATALOG, "catalog.sqlite",
                                        f"entity counts of {wrong_counts} entities are wrong"))
        except sqlite3.Error as exc:
            problems.append(Problem(CATALOG, "catalog.sqlite", f"cannot be read: {exc}"))
    if not (index_dir / "meta.json").exists():
        problems.append(Problem(INDEX, "index", "missing"))
    else:
        try:
            ids = SearchIndex(index_dir).ids()
        except (SearchIndexError, ValueError, OSError) as exc:
            problems.append(Problem(INDEX, "index", f"cannot be read: {str(exc)[:200]}"))
        else:
            indexed = dict.fromkeys(ids, "")
            problems += _differences(INDEX, "index", indexed, found, in_flight)
            if len(ids) != len(indexed):
                problems.append(Problem(INDEX, "index", "holds some records twice"))
    if problems and repair:
        from .rebuild import reindex

        reindex(archive)
        problems = [Problem(p.kind, p.path, p.message, repaired=True) for p in problems]
    return problems


def _differences(
    kind: str, where: str, held: dict[str, str], found: dict[str, str], in_flight: set[str]
) -> list[Problem]:
    problems = []
    for missing in sorted(found.keys() - held.keys()):
        note = " (journaled: an ingest is running or was cut short)" if missing in in_flight else ""
        problems.append(Problem(kind, found[missing], f"not in the {where}{note}"))
    for extra in sorted(held.keys() - found.keys()):
        problems.append(Problem(kind, where, f"holds {extra}, which has no record file"))
    if kind == CATALOG:
        for record_id_ in sorted(found.keys() & held.keys()):
            if held[record_id_] != found[record_id_]:
                problems.append(
                    Problem(kind, found[record_id_], f"catalog says {held[record_id_]}")
                )
    return problems
