"""The compiled gazetteer as the cache keeps it (packed, unpacked lazily) holds what the
compiled one does: a loaded name table's names, second words and prefixes, however many it
has unpacked, and the cached entries, each looked up in its run of the packed text."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pytest

from newsarchive.entities import matcher
from newsarchive.entities.extract import _RUN, _CachedEntries
from newsarchive.entities.gazetteer import Entry
from newsarchive.entities.matcher import NameTable, tokenize

FIRSTS = ["العراق", "بغداد", "كريم", "مجلس", "عبد", "الامم", "باب", "وليد"]
OTHERS = ["المتحده", "الامن", "الدولي", "الله", "الرحمن", "جديد", "الكبير", "بن", "ابو"]


def _table(rng: random.Random, count: int) -> NameTable:
    """Names of one to six words, several a first word, the same second word in names of
    two and three words."""
    table = NameTable()
    for i in range(count):
        size = rng.choice((1, 1, 2, 2, 3, 3, 4, 6))
        words = (rng.choice(FIRSTS), *rng.choices(OTHERS, k=size - 1))
        table.add(words, f"x:{i}")
    return table


def _loaded(table: NameTable) -> NameTable:
    return pickle.loads(pickle.dumps(table))


def test_a_loaded_table_holds_the_built_ones_names_whatever_it_has_unpacked():
    rng = random.Random(7)
    for _ in range(40):
        built = _table(rng, rng.randint(1, 60))
        names = dict(built._table)
        loaded = _loaded(built)
        assert len(loaded) == len(built)
        assert loaded._table == {}  # nothing unpacked before a first word is met
        assert loaded._all_names() == names
        # Asked about some names first (each unpacks what it needs), then pickled again.
        asked = rng.sample(sorted(names), rng.randint(0, len(names)))
        assert all(name in loaded for name in asked)
        for absent in [("غائب",), (rng.choice(FIRSTS), "غائب"), ()]:
            assert absent not in loaded
        again = _loaded(loaded)
        assert len(again) == len(built) and again._all_names() == names
        assert all(name in again for name in names)
        # Every first word unpacked: what the built table holds.
        for first in built._longest.keys() - loaded._derived:  # type: ignore[operator]
            loaded._derive(first)
        for first in list(loaded._unprefixed):
            loaded._derive_prefixes(first)
        assert loaded._table == names
        assert loaded._seconds == built._seconds
        assert loaded._prefixes == built._prefixes
        assert loaded._longest == built._longest and loaded.max_words == built.max_words



def test_a_first_word_unpacked_by_second_word_reads_on_as_the_built_table(monkeypatch):
    # Every first word with longer names unpacked by second word (not only the large ones).
    monkeypatch.setattr(matcher, "_GROUPED", -1)
    rng = random.Random(11)
    words = [*FIRSTS, *OTHERS, "و" + FIRSTS[3], "غائب"]
    for _ in range(40):
        built = _table(rng, rng.randint(1, 60))
        names = dict(built._table)
        loaded = _loaded(built)
        grouped: set[str] = set()
        for _ in range(30):  # texts: each a name may be read on from is read on by group
            text = " ".join(rng.choices(words, k=rng.randint(1, 12)))
            assert loaded.find(text, tokenize(text)) == built.find(text, tokenize(text)), text
            grouped |= loaded._groups.keys()
            for first, seconds in loaded._groups.items():
                # What is unpacked of it: exactly its names going on with those words.
                assert {n: k for n, k in loaded._table.items()
                        if n[0] == first and len(n) > 1} == {
                    n: k for n, k in names.items()
                    if n[0] == first and len(n) > 1 and n[1] in seconds}
                assert {p for p in loaded._prefixes if p[0] == first} == {
                    p for p in built._prefixes if p[0] == first and p[1] in seconds}
        assert grouped <= {n[0] for n in names if len(n) > 2}
        # Then every first word unpacked whole: what the built table holds.
        for first in built._longest.keys() - loaded._derived:  # type: ignore[operator]
            loaded._derive(first)
        for first in list(loaded._unprefixed):
            loaded._derive_prefixes(first)
        assert loaded._groups == {}
        assert loaded._table == names and loaded._prefixes == built._prefixes
        assert _loaded(loaded)._all_names() == names


def test_names_the_packed_form_cannot_hold_are_kept_as_they_are():
    # A word holding a space, a key a line end, an empty word or key: not packed.
    odd = [(("بغداد", "الجديدة الكبرى"), "loc:b", False), (("بغداد",), "a\nb", False),
           (("بغداد",), "", False), (("بغداد", ""), "loc:e", False),
           (("بغداد الجديدة", "x"), "loc:c", False), (("بغداد", "x\ty"), "loc:t", True)]
    for name, key, packed in odd:
        table = NameTable([("العراق", "loc:iq"), ("بغداد الكبرى", "loc:k"), (name, key)])
        assert ("packed" in table.__getstate__()) == packed, (name, key)
        loaded = _loaded(table)
        assert loaded._all_names() == table._table and len(loaded) == 3
        assert all(name in loaded for name in table._table)
        text = "في العراق وبغداد الكبرى"
        assert loaded.find(text, tokenize(text)) == table.find(text, tokenize(text))
    empty = _loaded(NameTable())
    assert len(empty) == 0 and empty.find("في العراق", tokenize("في العراق")) == []


def test_cached_entries_give_each_entry_and_iterate_in_load_order():
    rng = random.Random(3)
    ids = [f"{rng.choice(['loc', 'per', 'org'])}:{rng.choice(['', 'gn:'])}{i}"
           for i in range(_RUN * 4 + 5)]
    rng.shuffle(ids)
    entries = [Entry(i, rng.choice(["LOC", "PER"]), f"اسم {n}", ("لقب",))
               for n, i in enumerate(ids)]
    cached = _CachedEntries(pickle.loads(pickle.dumps(_CachedEntries.pack(entries))))
    assert list(cached) == ids and len(cached) == len(ids)
    for entry in rng.sample(entries, len(entries)):
        assert cached[entry.id] == Entry(entry.id, entry.type, entry.name)  # no aliases kept
        assert entry.id in cached
    last = max(ids)
    for absent in ["", "a", "zzz", f"{last}0", ids[0][:-1] + "x", f"{ids[0]}\tLOC"]:
        assert absent not in cached
        with pytest.raises(KeyError):
            cached[absent]
    assert list(_CachedEntries(_CachedEntries.pack([]))) == []  # type: ignore[arg-type]
    assert _CachedEntries.pack([Entry("loc:x", "LOC", "a\tb")]) is None


def test_a_cache_write_that_fails_midway_leaves_no_file(tmp_path, monkeypatch):
    # A full disk while the compiled gazetteer is written: no half-written file is left in
    # the cache folder, and the next process compiles again and tags the same.
    from newsarchive.entities import extract

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    gazetteer = tmp_path / "g.tsv"
    gazetteer.write_text("id\ttype\tname\taliases\nloc:b\tLOC\tبغداد\t\n", encoding="utf-8")

    def disk_full(obj: object, handle, protocol: int) -> None:  # noqa: ANN001
        handle.write(b"\x80\x05partial")
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(extract.pickle, "dump", disk_full)
        first = extract.EntityExtractor.from_paths([gazetteer], use_default=False, use_learnt=False)
    cached = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert cached == []
    # Writes it now.
    again = extract.EntityExtractor.from_paths([gazetteer], use_default=False, use_learnt=False)
    assert [p.suffix for p in (tmp_path / "cache").rglob("*") if p.is_file()] == [".pickle"]
    text = [("text", "وصل الوفد إلى بغداد")]
    assert again.extract(text) == first.extract(text) and len(first.extract(text)) == 1


def test_the_cache_keeps_the_gazetteers_used_last(tmp_path, monkeypatch):
    # A list file edited again and again (cron) compiles a new gazetteer each time: only the
    # ones used last stay in the cache folder, and one loaded again counts as used.
    from newsarchive.entities import extract

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "newsarchive" / "gazetteer"
    gazetteers = []
    for i in range(extract._CACHE_KEEP + 3):
        path = tmp_path / f"g{i}.tsv"
        path.write_text(f"id\ttype\tname\taliases\nloc:{i}\tLOC\tمدينة{i}\t\n", encoding="utf-8")
        gazetteers.append(path)
        extract.EntityExtractor.from_paths([path], use_default=False, use_learnt=False)
        if i == 0:
            first = extract._cache_path([path])
        else:  # the first one used again each time: never pruned
            assert extract._read_cache([gazetteers[0]]) is not None
    kept = set(folder.glob("*.pickle"))
    assert len(kept) == extract._CACHE_KEEP
    assert first in kept
    assert extract._cache_path([gazetteers[1]]) not in kept  # the oldest unused: pruned
    assert extract._cache_path([gazetteers[-1]]) in kept
    assert not list(folder.glob("*.tmp"))


def test_a_cache_that_cannot_be_marked_used_still_loads(tmp_path, monkeypatch):
    # A read-only cache folder (shared, or on a read-only mount): the compiled gazetteer is
    # loaded all the same, not compiled again.
    from newsarchive.entities import extract

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "g.tsv"
    path.write_text("id\ttype\tname\taliases\nloc:b\tLOC\tبغداد\t\n", encoding="utf-8")
    extract.EntityExtractor.from_paths([path], use_default=False, use_learnt=False)

    def read_only(path: Path) -> None:
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(extract, "_touch", read_only)
    assert extract._read_cache([path]) is not None
