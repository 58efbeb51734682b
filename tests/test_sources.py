"""sources/files.py: listing inputs, reading bytes (stdin too), detecting encodings."""

from __future__ import annotations

import codecs
import gzip
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from newsarchive.sources.files import (
    READ_CHUNK,
    InputError,
    Source,
    SourceError,
    arabic_score,
    decode,
    expand,
    read_bytes,
)

REPO = Path(__file__).parent.parent
SEED = (REPO / "seeds" / "000_8e60ac49c7d6514a.txt").read_text(encoding="utf-8")

# ISO-8859-6 has no « »: the seed's quotation marks become '"' for that code page.
SEED_ISO = SEED.replace("«", '"').replace("»", '"')

SHORT = (
    "أعلن اتحاد صناعة السيارات في ألمانيا أن الشركات تواجه عاما صعبا.\n"
    "وقال رئيس الاتحاد إن مستقبل السوق ما زال يفتقر إلى الخطوط الواضحة.\n"
    "ويتوقع أن تظل صادرات السيارات عند مستوى مرتفع هذا العام.\n"
)


def names(items) -> list[str]:
    return [item.name for item in items]


# --- expand ------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel in (
        "b.txt",
        "a.html",
        "notes.md",
        "UPPER.TXT",
        "sub/c.htm",
        "sub/deeper/d.text",
        "sub/e.xhtml",
        ".hidden.txt",
        ".git/f.txt",
        "z/y.txt",
    ):
        path = tmp_path / "in" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    return tmp_path / "in"


def test_directory_walk_is_recursive_sorted_and_skips_hidden(tree: Path):
    got = list(expand([str(tree)]))
    assert all(isinstance(item, Source) for item in got)
    rel = [os.path.relpath(item.name, tree) for item in got]
    assert rel == [
        "UPPER.TXT",
        "a.html",
        "b.txt",
        "sub/c.htm",
        "sub/deeper/d.text",
        "sub/e.xhtml",
        "z/y.txt",
    ]
    assert got[0].path == Path(got[0].name)


def test_pattern_filters_directory_walks_but_not_named_files(tree: Path):
    got = names(expand([str(tree / "notes.md"), str(tree)], pattern="*.htm*"))
    assert got == [str(tree / "notes.md"), str(tree / "a.html"), str(tree / "sub" / "c.htm")]


def test_missing_path_is_an_error_and_the_walk_goes_on(tree: Path):
    got = list(expand([str(tree / "nope.txt"), str(tree / "b.txt")]))
    assert got == [
        SourceError(str(tree / "nope.txt"), "no such file or directory"),
        Source(str(tree / "b.txt"), tree / "b.txt"),
    ]


def test_stdin_once_and_files_once(tree: Path):
    b = str(tree / "b.txt")
    got = list(expand(["-", b, "-", b, str(tree / "sub" / "..")]))
    assert got[:2] == [Source("-", None), Source(b, Path(b))]
    assert b not in names(got[2:])  # reached again through the directory: listed once


def test_symlink_loop_is_reported(tmp_path: Path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("x")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    (tmp_path / "self").symlink_to(tmp_path / "self")
    got = list(expand([str(tmp_path / "d"), str(tmp_path / "self")]))
    assert got[0] == Source(str(tmp_path / "d" / "a.txt"), tmp_path / "d" / "a.txt")
    assert isinstance(got[1], SourceError) and "loop" in got[1].reason
    assert isinstance(got[2], SourceError) and "loop" in got[2].reason
    assert len(got) == 3


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any directory")
def test_unreadable_directory_is_reported(tmp_path: Path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "ok.txt").write_text("x")
    locked.chmod(0)
    try:
        got = list(expand([str(tmp_path)]))
    finally:
        locked.chmod(0o755)
    assert SourceError(str(locked), "permission denied") in got
    assert Source(str(tmp_path / "ok.txt"), tmp_path / "ok.txt") in got


# --- read_bytes --------------------------------------------------------------------------


def test_read_file_and_stdin(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    assert read_bytes(Source(str(path), path), 10) == b"abc"
    assert read_bytes(Source("-", None), 10, stdin=io.BytesIO(b"from stdin")) == b"from stdin"


def test_size_limit(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    assert read_bytes(Source(str(path), path), 101) == b"x" * 101
    with pytest.raises(InputError, match="larger than the 100 bytes limit"):
        read_bytes(Source(str(path), path), 100)
    with pytest.raises(InputError, match="^standard input is larger than the 20 MB limit$"):
        read_bytes(Source("-", None), 20_000_000, stdin=io.BytesIO(b"x" * 20_000_001))


def test_never_reads_more_than_the_limit_plus_one():
    class Endless(io.RawIOBase):
        served = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            n = min(len(buffer), 7)  # short reads, like a pipe
            buffer[:n] = b"y" * n
            self.served += n
            return n

    stream = Endless()
    with pytest.raises(InputError):
        read_bytes(Source("-", None), 1000, stdin=stream)
    assert stream.served == 1001


def test_a_walk_resolves_each_file_as_path_resolve_does(tmp_path: Path, monkeypatch):
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "sub" / "a.txt").write_text("a")
    (tmp_path / "elsewhere.txt").write_text("b")
    (real / "sub" / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    (tmp_path / "dirlink").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    found = [s for s in expand(["dirlink"]) if isinstance(s, Source)]
    assert [s.name for s in found] == ["dirlink/sub/a.txt", "dirlink/sub/link.txt"]
    target = str((real / "sub" / "a.txt").resolve())
    assert found[0].resolved == target == str(found[0].path.resolve())
    assert found[1].resolved is None  # a symlinked file: resolved when read, by Path.resolve


def test_a_file_of_several_read_chunks_is_read_whole_and_limited(tmp_path: Path):
    path = tmp_path / "long.txt"
    data = bytes(range(256)) * (3 * READ_CHUNK // 256) + b"end"
    path.write_bytes(data)
    assert read_bytes(Source(str(path), path), len(data)) == data
    with pytest.raises(InputError, match="larger than"):
        read_bytes(Source(str(path), path), len(data) - 1)


def test_read_missing_file_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="no such file or directory"):
        read_bytes(Source("gone.txt", tmp_path / "gone.txt"), 100)


# --- decode ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SEED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SEED.encode("utf-8"), "utf-8-sig"),
        (SEED.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_LE + SEED.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SEED.encode("utf-16-be"), "utf-16"),
        (SEED.encode("utf-32"), "utf-32"),
        (SEED.encode("utf-16-le"), "utf-16-le"),  # no BOM: NULs of ASCII on odd bytes
        (SEED.encode("utf-16-be"), "utf-16-be"),
        (SEED.encode("cp1256"), "windows-1256"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32",
         "utf-16-le-nobom", "utf-16-be-nobom", "windows-1256"],
)  # fmt: skip
def test_seed_decodes_exactly_in_every_encoding(data: bytes, encoding: str):
    decoded = decode(data)
    assert decoded.text == SEED
    assert decoded.encoding == encoding


def test_seed_in_iso_8859_6():
    decoded = decode(SEED_ISO.encode("iso8859-6"))
    assert decoded == decode(SEED_ISO.encode("iso8859_6"))
    assert decoded.text == SEED_ISO
    assert decoded.encoding == "iso8859-6"


@pytest.mark.parametrize(
    ("codec", "name"), [("cp1256", "windows-1256"), ("iso8859_6", "iso8859-6")]
)
def test_short_arabic_paragraph_in_legacy_code_pages(codec: str, name: str):
    decoded = decode(SHORT.encode(codec))
    assert (decoded.text, decoded.encoding) == (SHORT, name)


def test_one_short_line_is_told_apart_too():
    line = "الحرب النووية هي التهديد الأول"
    assert decode(line.encode("cp1256")).encoding == "windows-1256"
    assert decode(line.encode("iso8859_6")).encoding == "iso8859-6"


def test_arabic_score_prefers_the_right_reading():
    assert arabic_score(SEED) > 1.0  # clean Arabic plus the ال bonus
    as_1256 = SEED_ISO.encode("iso8859_6").decode("cp1256")  # ISO-8859-6 read wrongly
    assert arabic_score(as_1256) < 0.5
    french = "Le président a déclaré qu'il était satisfait".encode("latin-1")
    assert arabic_score(french.decode("iso8859_6")) < 0  # Latin letters glued to Arabic ones


def test_html_meta_charset_is_trusted_when_it_decodes_cleanly():
    page = (
        '<html><head><meta charset="windows-1252"></head>'
        "<body><p>Caf\u00e9 cr\u00e8me \u2014 d\u00e9j\u00e0 vu</p></body></html>"
    )
    decoded = decode(page.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (page, "windows-1252")


def test_wrong_arabic_declaration_loses_to_the_bytes():
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
        f"</head><body><p>{SEED_ISO}</p></body></html>"
    )
    decoded = decode(page.encode("iso8859_6"))
    assert (decoded.text, decoded.encoding) == (page, "iso8859-6")


def test_other_legacy_text_goes_to_charset_normalizer():
    russian = (
        "Президент России провёл переговоры с главой правительства в Москве в четверг.\n"
        "Стороны обсудили вопросы экономического сотрудничества и торговли.\n"
    )
    decoded = decode(russian.encode("cp1251"))
    assert (decoded.text, decoded.encoding) == (russian, "windows-1251")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "PNG image"),
        (gzip.compress(SEED.encode("utf-8")), "GZIP archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
    ],
)
def test_binary_signatures_are_refused(data: bytes, kind: str):
    with pytest.raises(InputError, match=rf"^binary file \({kind}\), not text$"):
        decode(data)


def test_zip_and_nul_bytes_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", SEED)
    with pytest.raises(InputError, match="ZIP archive"):
        decode(buffer.getvalue())
    with pytest.raises(InputError, match="binary"):
        decode(b"abc\x00\x00\x00\x01\x02def\x00")
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(1, 32)) * 10)


@pytest.mark.parametrize("data", [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_empty_input_is_refused(data: bytes):
    with pytest.raises(InputError, match="empty"):
        decode(data)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1))
def test_any_utf8_text_round_trips(text: str):
    assume(not text.startswith("\ufeff"))
    assume(not any(text.startswith(p) for p in ("%PDF-", "GIF8", "OggS", "fLaC", "PK")))
    decoded = decode(text.encode("utf-8"))
    assert (decoded.text, decoded.encoding) == (text, "utf-8")


def test_unlistable_directory_is_reported_and_the_walk_goes_on(tmp_path: Path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / "b.txt").write_text("x")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "a":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert list(expand([str(tmp_path)])) == [
        SourceError(str(tmp_path / "a"), "permission denied"),
        Source(str(tmp_path / "b.txt"), tmp_path / "b.txt"),
    ]


def test_utf8_mixed_with_windows_1256_lines_decodes_each_line_right():
    title, body = "عنوان الخبر", "نص بترميز قديم عن الاجتماع."
    decoded = decode(f"{title}\n\n".encode() + body.encode("cp1256"))
    assert decoded.text == f"{title}\n\n{body}"
    assert decoded.encoding == "utf-8+windows-1256"


def test_invalid_bytes_inside_utf8_become_replacement_characters():
    decoded = decode("النص الأول ".encode() + b"\xff\xfe" + " والنص الثاني".encode())
    assert decoded.text == "النص الأول \ufffd\ufffd والنص الثاني"
    assert decoded.encoding == "utf-8+replace"


def test_a_file_under_several_names_is_listed_once(tmp_path: Path):
    # expand keeps one (device, inode) key per file: a hard link and a symlink to a file of
    # the walk, in the walk and named again, are the same file.
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    os.link(tmp_path / "a.txt", tmp_path / "b.txt")
    (tmp_path / "c.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "d.txt").write_text("y", encoding="utf-8")
    got = names(expand([str(tmp_path), str(tmp_path / "b.txt"), str(tmp_path / "d.txt")]))
    assert got == [str(tmp_path / "a.txt"), str(tmp_path / "d.txt")]
