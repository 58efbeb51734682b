"""Local inputs: list files and directories, read bytes (stdin too), detect the text encoding.

Three steps, each usable alone:

* ``expand(paths)`` turns command-line arguments into :class:`Source` items (or
  :class:`SourceError` for what cannot even be listed), walking directories in sorted order.
* ``read_bytes(source, max_bytes)`` reads one input, never more than ``max_bytes + 1`` bytes.
* ``decode(data)`` detects the encoding and returns the text with the encoding it found.

Encoding detection, in order (first that applies wins):

1. known binary signatures (PNG, GZIP, PDF, ZIP, ...) → :class:`InputError`;
2. byte-order marks: UTF-32, UTF-8-sig, UTF-16 (LE or BE);
3. NUL bytes: UTF-16 without BOM when the NULs all sit on one byte parity and the text is
   clean, otherwise binary → :class:`InputError`;
4. strict UTF-8 (pure ASCII is reported as ``utf-8``); else, when some lines are UTF-8, line
   by line: UTF-8 lines (a few bad bytes become U+FFFD: ``utf-8+replace``) and legacy Arabic
   lines decoded together (``utf-8+windows-1256``);
5. legacy single-byte Arabic: windows-1256 and ISO-8859-6 are decoded strictly and scored
   (:func:`arabic_score`); when one of them reads as Arabic text, the best score wins (even
   over a page's own declaration: the bytes are the evidence);
6. an HTML ``<meta charset>`` / ``http-equiv`` declaration, when the bytes decode with it
   without C1 controls;
7. otherwise charset-normalizer's best guess (Cyrillic, Hebrew, Latin-1, ...).

Why step 5 exists (measured on random ANERcorp sentences):
charset-normalizer is right on paragraphs (3 and 10 sentences: 300/300 windows-1256, 297/298
and 297/297 ISO-8859-6), but on one short sentence it named the right code page for only
984/993 windows-1256 and 927/989 ISO-8859-6 samples (its wrong answers: cp874, cp1255,
cp1251, cp1006, big5, none...). The scorer gets 993/993 and 984/989; the 5 misses are
one- or two-letter fragments ("م .") that read as Arabic either way. The two code pages are
easy to tell apart structurally: ISO-8859-6 leaves 0xDB-0xDF and 0xF3-0xFF unmapped, where
windows-1256 puts common letters (غ ـ ف ق ك), so windows-1256 text rarely decodes strictly
as ISO-8859-6; ISO-8859-6 text read as windows-1256 turns ـ ق ه و ى ي (E0 E2 E7-EA) and
fatha/damma (EE EF) into Latin letters (à â ç è é ê î ï), which the score penalises; and when
both readings are all-Arabic, the article ال (C7 E1 in one, C7 E4 in the other) decides.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fnmatch
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "DEFAULT_PATTERNS",
    "Decoded",
    "InputError",
    "Source",
    "SourceError",
    "arabic_score",
    "decode",
    "expand",
    "read_bytes",
]

# File names kept in directory walks when no pattern is given (matched case-insensitively).
DEFAULT_PATTERNS: tuple[str, ...] = ("*.txt", "*.text", "*.html", "*.htm", "*.xhtml")


@dataclass(frozen=True)
class Source:
    """One input: ``name`` as shown to the user (the path, or ``"-"``); ``path`` None for stdin."""

    name: str
    path: Path | None
    # ``path`` made absolute with symlinks resolved (``Path.resolve``), when a directory walk
    # knew it without a system call per file: the record's ``source``.
    resolved: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SourceError:
    """An input that could not even be listed; ``reason`` is one line."""

    name: str
    reason: str


class InputError(Exception):
    """An input that cannot be read or decoded; ``str(exc)`` is a one-line reason."""


# --- listing -----------------------------------------------------------------------------


def _os_reason(exc: OSError) -> str:
    """A short, lower-case, one-line reason for an OS error."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if exc.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    reason = exc.strerror or str(exc) or type(exc).__name__
    return reason.splitlines()[0].lower() if reason else "cannot be read"


def _matches(name: str, pattern: str | None) -> bool:
    if pattern is None:
        lowered = name.lower()
        return any(fnmatch.fnmatchcase(lowered, p) for p in DEFAULT_PATTERNS)
    return fnmatch.fnmatchcase(name, pattern)


def _file_key(st: os.stat_result) -> int:
    """A file's identity (device, inode) as one int: ``expand`` keeps one per file it
    yields, and an int is a third of a tuple of two (~80 instead of ~150 bytes with its set
    slot: 8 MB instead of 15 MB at 100,000 files)."""
    return st.st_dev << 64 | st.st_ino


def _walk_sorted(
    top: str, top_stat: os.stat_result, pattern: str | None, seen: set[int]
) -> Iterator[Source | SourceError]:
    """Yield files under ``top`` depth-first, each directory's entries sorted by name.

    Iterative (deep trees do not hit the recursion limit). Symlinks are followed; a directory
    that is one of its own ancestors is reported as a loop instead of being entered again.
    Hidden entries (names starting with '.') are skipped. Each file is yielded once.
    """
    # The stack holds iterators over already-sorted directory listings, with each directory's
    # resolved path: a file that is no symlink resolves to it plus its name (resolving every
    # file's path instead took an lstat per path component, ~40 µs a file).
    Frame = tuple[str, Iterator[os.DirEntry[str]], frozenset[tuple[int, int]], str]
    stack: list[Frame] = []

    def open_dir(path: str, ancestors: frozenset[tuple[int, int]]) -> SourceError | None:
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            return SourceError(path, _os_reason(exc))
        stack.append((path, iter(entries), ancestors, os.path.realpath(path)))
        return None

    error = open_dir(top, frozenset({(top_stat.st_dev, top_stat.st_ino)}))
    if error is not None:
        yield error
        return
    while stack:
        directory, entries, ancestors, real = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        path = os.path.join(directory, entry.name)
        try:
            st = os.stat(path)  # follows symlinks
        except OSError as exc:
            yield SourceError(path, _os_reason(exc))
            continue
        key = (st.st_dev, st.st_ino)
        if stat.S_ISDIR(st.st_mode):
            if key in ancestors:
                yield SourceError(path, "symlink loop (directory contains itself)")
                continue
            error = open_dir(path, ancestors | {key})
            if error is not None:
                yield error
        elif (stat.S_ISREG(st.st_mode) and _matches(entry.name, pattern)
              and (file_key := _file_key(st)) not in seen):
            seen.add(file_key)
            resolved = None if entry.is_symlink() else os.path.join(real, entry.name)
            yield Source(path, Path(path), resolved)


def expand(paths: Sequence[str], pattern: str | None = None) -> Iterator[Source | SourceError]:
    """Yield a :class:`Source` per input file, or a :class:`SourceError` per unlistable input.

    Files named explicitly are kept whatever their name (``pattern`` is not applied to them);
    directories are walked recursively in sorted order, keeping files whose name matches the
    fnmatch ``pattern`` (case-sensitive), or :data:`DEFAULT_PATTERNS` (case-insensitive) when
    ``pattern`` is None. Hidden files and directories are skipped in walks. ``"-"`` yields
    ``Source("-", None)`` once. The same file reached twice (named twice, or named and inside a
    walked directory) is yielded once. Errors never stop the walk.
    """
    seen: set[int] = set()  # _file_key of every regular file yielded
    stdin_done = False
    for name in paths:
        if name == "-":
            if not stdin_done:
                stdin_done = True
                yield Source("-", None)
            continue
        try:
            st = os.stat(name)
        except OSError as exc:
            yield SourceError(name, _os_reason(exc))
            continue
        except ValueError:  # embedded NUL in the path
            yield SourceError(name, "invalid path")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_sorted(name, st, pattern, seen)
            continue
        key = _file_key(st)
        if stat.S_ISREG(st.st_mode):
            if key in seen:
                continue
            seen.add(key)
        yield Source(name, Path(name))


# --- reading -----------------------------------------------------------------------------


def _size_text(n: int) -> str:
    """``20 MB`` for 20 * 2**20 or 20_000_000; otherwise KB or bytes."""
    for unit, sizes in (("MB", (1 << 20, 10**6)), ("KB", (1 << 10, 10**3))):
        for size in sizes:
            if n >= size and n % size == 0:
                return f"{n // size} {unit}"
    return f"{n} bytes"


def read_bytes(source: Source, max_bytes: int, stdin: BinaryIO | None = None) -> bytes:
    """Read ``source`` whole; raise :class:`InputError` when it exceeds ``max_bytes``.

    Never reads more than ``max_bytes + 1`` bytes. Standard input is read from ``stdin``
    (default ``sys.stdin.buffer``).
    """
    limit = f"the {_size_text(max_bytes)} limit"
    if source.path is None:
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            data = _read_upto(stream, max_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot read standard input: {_os_reason(exc)}") from None
        if len(data) > max_bytes:
            raise InputError(f"standard input is larger than {limit}")
        return data
    try:
        with open(source.path, "rb") as handle:
            data = _read_upto(handle, max_bytes + 1)
    except OSError as exc:
        raise InputError(_os_reason(exc)) from None
    if len(data) > max_bytes:
        raise InputError(f"file is larger than {limit}")
    return data


# Bytes asked for per read. Not the whole limit at once: ``read(n)`` allocates n bytes before
# reading, and a 50 MB buffer for a 5 KB article made each read 5x slower (61 vs 11 µs).
READ_CHUNK = 1 << 16


def _read_upto(stream: BinaryIO, n: int) -> bytes:
    """Read up to ``n`` bytes, looping over short reads (pipes return what is available)."""
    chunks: list[bytes] = []
    remaining = n
    while remaining > 0:
        chunk = stream.read(min(remaining, READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


# --- decoding ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the encoding found (canonical name: ``utf-8``, ``windows-1256``...)."""

    text: str
    encoding: str


# Magic numbers of formats that are never article text: (prefix, description).
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\x1f\x8b", "GZIP archive"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"PK\x07\x08", "ZIP archive"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"BM", None),  # checked more strictly below (too short a prefix alone)
    (b"\xfd7zXZ\x00", "XZ archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "Zstandard archive"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", None),  # checked more strictly below
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"ID3\x03", "MP3 audio"),
    (b"ID3\x04", "MP3 audio"),
    (b"\x00\x00\x01\x00", "ICO image"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_RIFF = re.compile(rb"RIFF....(WEBP|WAVE|AVI )", re.DOTALL)
_MP4 = re.compile(rb"....ftyp", re.DOTALL)


def _binary_kind(data: bytes) -> str | None:
    """Describe ``data`` when it starts with a known binary signature."""
    for prefix, kind in BINARY_SIGNATURES:
        if kind is not None and data.startswith(prefix):
            return kind
    if _BZIP2.match(data):
        return "BZIP2 archive"
    match = _RIFF.match(data)
    if match:
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[match.group(1)]
    if _MP4.match(data):
        return "MP4/QuickTime media"
    if data.startswith(b"MZ") and len(data) > 64 and b"\x00" in data[:64]:
        return "Windows executable"
    if data.startswith(b"BM") and len(data) > 14 and b"\x00" in data[2:14]:
        return "BMP image"
    return None


def canonical_encoding(name: str) -> str:
    """Python's canonical codec name, except windows-125x for the cp125x code pages."""
    canonical = codecs.lookup(name).name
    match = re.fullmatch(r"cp(125\d)", canonical)
    return f"windows-{match.group(1)}" if match else canonical


# C0 controls other than tab, LF, VT, FF, CR and ESC: rare in text, frequent in binary.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# C1 controls: what windows-125x text decoded as ISO-8859-x shows (and vice versa, unmapped).
_C1 = re.compile("[\x80-\x9f]")


def _looks_binary(text: str) -> bool:
    """More than 1% (at least 2) C0 control characters: binary data, not text."""
    count = len(_CONTROL.findall(text))
    return count >= 2 and count > len(text) / 100


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess BOM-less UTF-16: every NUL on one byte parity, the decoded text clean."""
    if len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    if odd_nuls and not even_nuls:
        codec = "utf-16-le"  # ASCII 'a' is 61 00
    elif even_nuls and not odd_nuls:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text) or "\ufffe" in text or "\uffff" in text:
        return None
    return codec


_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in its first 4 KB, if Python knows it."""
    head = data[:4096]
    if b"<" not in head:
        return None
    match = _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").strip().lower()
    # WHATWG: iso-8859-1 / ascii labels mean windows-1252 in browsers.
    if name in {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"}:
        name = "windows-1252"
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


# --- Arabic code pages -------------------------------------------------------------------

ARABIC_CODEPAGES: tuple[str, ...] = ("cp1256", "iso8859_6")
_ARABIC_LETTER = re.compile("[\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5]")
_ARABIC_MARK = re.compile("[\u064b-\u0652\u0640\u060c\u061b\u061f]")  # harakat, tatweel, ، ؛ ؟
# Non-ASCII characters that are neither Arabic nor neutral punctuation/symbols (NBSP-¿, ×, ÷,
# general punctuation, €): Latin accented letters, other scripts.
_OTHER = re.compile("[^\x00-\x7f\u0600-\u06ff\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u20ac]")
# A Latin letter glued to an Arabic letter: "pr\u0649sident" is Latin-1 French read as ISO-8859-6.
_MIXED = re.compile("[A-Za-z][\u0621-\u064a]|[\u0621-\u064a][A-Za-z]")
_ARABIC_WORD = re.compile("[\u0621-\u0652\u0640]+")


def arabic_score(text: str) -> float:
    """Score one candidate decoding as Arabic text: about 1 for Arabic, low or negative if not.

    ``(arabic - 3 × other - 5 × C1 - 3 × mixed) / (arabic + other + C1)`` plus a bonus of
    ``0.25 × share of Arabic words containing the article ال``, where *arabic* counts Arabic
    letters and marks, *other* non-ASCII letters of other scripts (the Latin à ç é ... that
    ISO-8859-6 text becomes when read as windows-1256), *C1* the controls U+0080-U+009F and
    *mixed* Latin letters glued to Arabic ones. Neutral symbols (« » NBSP ×) count for nothing.
    The bonus breaks ties between two all-Arabic readings: ال is C7 E1 in windows-1256 and
    C7 E4 in ISO-8859-6, so only the right reading shows it in a third of the words.
    """
    arabic = len(_ARABIC_LETTER.findall(text)) + len(_ARABIC_MARK.findall(text))
    other = len(_OTHER.findall(text))
    c1 = len(_C1.findall(text))
    total = arabic + other + c1
    if not total:
        return 0.0
    mixed = len(_MIXED.findall(text))
    score = (arabic - 3 * other - 5 * c1 - 3 * mixed) / total
    words = _ARABIC_WORD.findall(text)
    if words:
        score += 0.25 * sum(1 for w in words if "\u0627\u0644" in w) / len(words)
    return score


# A candidate reads as Arabic when its score is at least this. Measured: genuine Arabic text
# scores about 1; Cyrillic, Greek, Hebrew, Turkish or Latin-1 text read as windows-1256 or
# ISO-8859-6 scores below 0.1.
ARABIC_THRESHOLD = 0.5


def _decode_arabic(data: bytes) -> Decoded | None:
    """Pick between windows-1256 and ISO-8859-6 by :func:`arabic_score`, if either is Arabic."""
    best: tuple[float, str, str] | None = None
    for codec in ARABIC_CODEPAGES:  # windows-1256 first: it wins ties (far more common)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = arabic_score(text)
        if score >= ARABIC_THRESHOLD and (best is None or score > best[0]):
            best = (score, codec, text)
    if best is None:
        return None
    return Decoded(best[2], canonical_encoding(best[1]))


MIXED_UTF8_RATIO = 4  # a line is UTF-8 with bad bytes when valid characters outnumber them 4:1


def _decode_mixed(data: bytes) -> Decoded | None:
    """Text that is mostly UTF-8 but not all: files pasted together from two sources.

    Line by line: a line with valid UTF-8 multi-byte characters is UTF-8 (any invalid bytes in
    it become U+FFFD); a line with none is legacy Arabic, decoded as the code page the scorer
    picks for all such lines together. ``None`` when the data is not such a mixture.
    """
    lines = data.split(b"\n")
    readings: list[str | None] = []
    legacy: list[int] = []
    replaced = False
    for number, line in enumerate(lines):
        text = line.decode("utf-8", "replace")
        bad = text.count("\ufffd")
        good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
        if not bad:
            readings.append(text)
        elif good >= MIXED_UTF8_RATIO * bad:
            readings.append(text)  # UTF-8 with a few bad bytes
            replaced = True
        else:  # legacy bytes; a few of them may pair up into valid UTF-8 by chance
            readings.append(None)
            legacy.append(number)
    utf8_text = any(r and any(ord(ch) > 0x7F for ch in r) for r in readings)
    if not utf8_text:
        return None  # no UTF-8 at all: a legacy code page, decided on the whole text
    encoding = "utf-8+replace" if replaced else "utf-8"
    if legacy:
        decoded = _decode_arabic(b"\n".join(lines[i] for i in legacy))
        if decoded is None:
            return None
        for number, text in zip(legacy, decoded.text.split("\n"), strict=True):
            readings[number] = text
        encoding = f"{encoding}+{decoded.encoding}"
    text = "\n".join(r or "" for r in readings)
    return None if _looks_binary(text) else Decoded(text, encoding)


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Detect the encoding of ``data`` and decode it (see the module docstring for the order).

    ``declared``: a charset stated outside the bytes (an HTTP Content-Type header); step 6
    tries it before the page's ``<meta>`` declaration.

    Raises :class:`InputError` for empty or binary input, or when no encoding fits.
    """
    if not data:
        raise InputError("empty input")
    kind = _binary_kind(data)
    if kind:
        raise InputError(f"binary file ({kind}), not text")

    # Byte-order marks: UTF-32 before UTF-16 (FF FE 00 00 starts with FF FE).
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                if codec == "utf-32":
                    continue  # FF FE 00 00 may be a UTF-16 LE BOM followed by U+0000
                raise InputError(f"invalid {codec} text (byte {exc.start})") from None
            if not text.strip("\ufeff \t\r\n"):
                raise InputError("empty input")
            if _looks_binary(text):
                raise InputError("binary file (control characters), not text")
            return Decoded(text, codec)

    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise InputError("binary file (contains NUL bytes), not text")
        return Decoded(data.decode(codec), codec)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_binary(text):
            raise InputError("binary file (control characters), not text")
        return Decoded(text, "utf-8")

    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed

    # Legacy Arabic before any declaration: the scorer tells the two code pages apart even
    # where a page declares the wrong one.
    arabic = _decode_arabic(data)
    if arabic is not None:
        return arabic

    header, declared = declared, _declared_charset(data)
    with contextlib.suppress(LookupError):  # the HTTP charset wins over <meta>, as in browsers
        declared = codecs.lookup(header).name if header else declared
    if declared is not None and declared.replace("_", "-") not in {"utf-8", "utf8"}:
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            pass
        else:
            if not _C1.search(text) and not _looks_binary(text):
                return Decoded(text, canonical_encoding(declared))

    from charset_normalizer import from_bytes  # imported late: ~50 ms to import

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError("unknown text encoding (not UTF-8, not a known legacy code page)")
    text = str(best)
    if _looks_binary(text):
        raise InputError("binary file (control characters), not text")
    return Decoded(text, canonical_encoding(best.encoding))
