"""Gazetteer files: named entities with their Arabic names and aliases.

A gazetteer file is UTF-8 TSV. Lines starting with ``#`` and blank lines are ignored; the
first other line is the header ``id<TAB>type<TAB>name<TAB>aliases``. Each further line is one
entity: a stable lowercase ASCII ``id`` (``loc:iq``, ``loc:gn:99072``, ``org:isis``), a
``type`` (PER, ORG, LOC or MISC), the canonical Arabic ``name`` and zero or more ``aliases``
separated by ``|``. Files are loaded in order; a later row with the same id replaces the
earlier one, and a row whose type is ``-`` removes that id (its name and aliases may be empty).

The default gazetteer ships in ``newsarchive/data/gazetteer`` and is rebuilt by
``scripts/build_gazetteer.py``; see the README there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

TYPES = frozenset({"PER", "ORG", "LOC", "MISC"})
REMOVE = "-"
HEADER = ("id", "type", "name", "aliases")
_HEADER_TEXT = "\t".join(HEADER)
_ID = re.compile(r"[a-z0-9][a-z0-9_.:-]*\Z")

DEFAULT_DIR: Path = Path(__file__).resolve().parent.parent / "data" / "gazetteer"


@dataclass(frozen=True)
class Entry:
    """One entity: its id, type, canonical name and other spellings."""

    id: str
    type: str  # PER ORG LOC MISC
    name: str
    aliases: tuple[str, ...] = ()

    def all_names(self) -> tuple[str, ...]:
        """The name first, then the aliases, each once."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


class GazetteerError(Exception):
    """A gazetteer file cannot be read or has a bad row; the message names file and line."""


@dataclass
class Gazetteer:
    """Entries by id, in load order."""

    entries: dict[str, Entry] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)


def default_paths() -> list[Path]:
    """The shipped gazetteer files, sorted by name."""
    return sorted(DEFAULT_DIR.glob("*.tsv"))


def load(paths: Sequence[str | Path]) -> Gazetteer:
    """Load gazetteer files in order; a later row with the same id overrides an earlier one."""
    gazetteer = Gazetteer()
    for path in paths:
        _load_file(Path(path), gazetteer.entries)
    return gazetteer


def _load_file(path: Path, entries: dict[str, Entry]) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path.name}: cannot read: {exc}") from exc
    header_seen = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path.name}:{lineno}"
        cells = [cell.strip() for cell in line.split("\t")]
        if not header_seen:
            if tuple(c.lower() for c in cells) != HEADER:
                raise GazetteerError(f"{where}: expected the header {_HEADER_TEXT!r}")
            header_seen = True
            continue
        if len(cells) == 3:  # a trailing empty aliases cell may have been trimmed by an editor
            cells.append("")
        if len(cells) != 4:
            raise GazetteerError(f"{where}: expected 4 tab-separated columns, got {len(cells)}")
        ident, kind, name, aliases = cells
        if not _ID.match(ident):
            raise GazetteerError(f"{where}: bad id {ident!r} (lowercase ASCII, e.g. 'loc:iq')")
        if kind == REMOVE:
            entries.pop(ident, None)
            continue
        if kind not in TYPES:
            raise GazetteerError(f"{where}: unknown type {kind!r}")
        if not name:
            raise GazetteerError(f"{where}: empty name")
        alias_list = (a.strip() for a in aliases.split("|"))
        unique = tuple(dict.fromkeys(a for a in alias_list if a and a != name))
        entries[ident] = Entry(ident, kind, name, unique)


def name_list(path: str | Path, kind: str, prefix: str = "list") -> list[Entry]:
    """Entries from a plain list of names, one a line (such as ANERgazet's files).

    Blank lines and separator lines (``*``, ``=``) are skipped; each name gets the id
    ``<type>:<prefix>:<n>`` and the given type. Spellings with the same match form share one
    entry.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path.name}: cannot read: {exc}") from exc
    from ..arabic.normalize import normalize  # the loader itself does not need it

    entries: dict[str, Entry] = {}
    for line in lines:
        name = line.strip().strip("*_= ")
        if name and normalize(name) not in entries:
            ident = f"{kind.lower()}:{prefix}:{len(entries) + 1}"
            entries[normalize(name)] = Entry(ident, kind, name)
    return list(entries.values())
