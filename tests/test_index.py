"""The tantivy search index: writing, Arabic-aware matching, filters and ranking."""

from __future__ import annotations

import ctypes
import mmap
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive import index as index_module
from newsarchive.arabic.clitics import WORD
from newsarchive.arabic.normalize import fold, match_form
from newsarchive.index import (
    MADV_PAGEOUT,
    MAX_TOKEN,
    SearchIndex,
    common_words,
    index_text,
    page_out,
    pair_text,
)
from newsarchive.record import Mention, Record
from newsarchive.search import parse_query


def rec(
    rid: str,
    title: str,
    text: str,
    day: str = "2024-01-01",
    source: str = "test",
    entities: tuple[tuple[str, str, str], ...] = (),
    ingested: str | None = None,
) -> Record:
    """A hand-made record; ``entities`` are (id, type, name), mentioned once in the text."""
    mentions = [
        Mention(id=eid, type=etype, name=name, surface=name, field="text", start=0, end=0)
        for eid, etype, name in entities
    ]
    return Record(
        id=rid,
        title=title,
        text=text,
        source=source,
        ingested_at=ingested or f"{day}T12:00:00Z",
        published=f"{day}T08:00:00Z",
        entities=mentions,
    )


@pytest.fixture
def index(tmp_path) -> SearchIndex:
    return SearchIndex(tmp_path / "index")


def ids(index: SearchIndex, *words: str, limit: int = 10, **filters) -> list[str]:
    return [rid for rid, _ in index.search(parse_query(words, **filters), limit)]


CORPUS = [
    rec("a001", "زيارة إلى أمريكا", "وصل الوزير إلى واشنطن في زيارة رسمية."),
    rec("a002", "أخبار العراق", "اجتماع في بغداد لبحث الأوضاع الأمنية."),
    rec("a003", "اقتصاد", "ارتفعت أسعار النفط بالعراق هذا الأسبوع."),
    rec("a004", "سياسة", "قال المتحدث والعراق يرفض التدخل."),
    rec("a005", "رياضة", "فاز المنتخب للعراق ببطولة آسيا."),
    rec("a006", "ثقافة", "افتتاح معرض الكتب العراقية في القاهرة."),
    rec("a007", "مقابلة", "التقى مُحَمَّدٌ بالصحفيين في مؤتمر صحفي."),
    rec("a008", "الطقس", "يتوقع هطول الأمطار في وزير الخارجية غدا على بغداد."),
    rec("a009", "خارجية", "استقبل وزير الخارجية نظيره في بغداد."),
]


@pytest.fixture
def corpus(index) -> SearchIndex:
    index.add(CORPUS)
    return index


def test_index_text_keeps_arabic_tokens_intact():
    assert index_text("قال مُحَمَّدٌ: «أمريكا» والعراق، ٢٠٢٤!") == "قال محمد امريكا والعراق 2024"


def test_add_is_idempotent_and_remove_and_rebuild(index):
    assert index.doc_count() == 0
    assert index.add(CORPUS[:3]) == 3
    assert index.doc_count() == 3
    assert index.add(CORPUS[:3]) == 3  # same ids again: replaced, not duplicated
    assert index.doc_count() == 3
    changed = rec("a001", "عنوان جديد", "نص جديد تماما")
    index.add([changed])
    assert index.doc_count() == 3
    assert ids(index, "جديد") == ["a001"]
    assert ids(index, "واشنطن") == []
    index.remove(["a001", "nope"])
    assert index.doc_count() == 2
    assert index.rebuild(CORPUS) == len(CORPUS)
    assert index.doc_count() == len(CORPUS)
    assert index.rebuild([]) == 0
    assert index.doc_count() == 0


def test_writer_is_released_between_commits(tmp_path):
    first = SearchIndex(tmp_path / "index")
    second = SearchIndex(tmp_path / "index")  # like another process
    first.add(CORPUS[:2])
    second.add(CORPUS[2:4])
    first.add(CORPUS[4:5])
    assert SearchIndex(tmp_path / "index").doc_count() == 5


def test_missing_or_damaged_index_is_recreated(tmp_path):
    folder = tmp_path / "index"
    fresh = SearchIndex(folder)
    assert fresh.needs_rebuild
    fresh.add(CORPUS)
    assert not SearchIndex(folder).needs_rebuild
    (folder / "meta.json").write_text("garbage")
    damaged = SearchIndex(folder)
    assert damaged.needs_rebuild
    assert damaged.doc_count() == 0
    damaged.rebuild(CORPUS)
    assert ids(damaged, "بغداد")


def test_terms_are_anded(corpus):
    assert set(ids(corpus, "بغداد")) == {"a002", "a008", "a009"}
    assert ids(corpus, "بغداد", "اجتماع") == ["a002"]
    assert ids(corpus, "بغداد", "واشنطن") == []


def test_phrase_needs_adjacent_words(corpus):
    assert set(ids(corpus, '"وزير الخارجية"')) == {"a008", "a009"}
    assert ids(corpus, '"استقبل وزير"') == ["a009"]
    assert ids(corpus, '"وزير نظيره"') == []  # both words there, not adjacent
    assert ids(corpus, "وزير نظيره") == []  # an argv item with a space is a phrase too
    assert ids(corpus, "وزير", "نظيره") == ["a009"]  # as terms they match
    assert set(ids(corpus, "وزير الخارجية", "بغداد")) == {"a008", "a009"}
    assert ids(corpus, '"وزير الخارجية" استقبل') == ["a009"]


def test_pairs_are_consecutive_common_words():
    assert {"في", "من", "الي", "التي"} <= common_words()
    assert "الموصل" not in common_words()
    assert pair_text("في من الي الموصل التي في") == "في_من من_الي التي_في"
    assert pair_text("في") == ""
    assert pair_text("") == ""


def test_phrases_through_pairs_agree_with_positions(index):
    """Every 2- and 3-word phrase over a vocabulary of three common and two rare words, in
    150 texts of it: the pairs (and the position check where they do not settle it) find
    exactly the texts that have the words in a row, as a scan of the words does."""
    import random

    vocabulary = ["في", "من", "التي", "الموصل", "الرباط"]
    assert set(vocabulary[:3]) <= common_words() and not set(vocabulary[3:]) & common_words()
    rng = random.Random(7)
    texts = {f"p{n:03}": " ".join(rng.choices(vocabulary, k=rng.randint(1, 12)))
             for n in range(150)}
    index.add(rec(rid, "خبر", text) for rid, text in texts.items())
    phrases = [(a, b) for a in vocabulary for b in vocabulary]
    phrases += [(a, b, c) for a, b in phrases for c in vocabulary[:4]]
    for phrase in phrases:
        expected = {rid for rid, text in texts.items()
                    if f" {' '.join(phrase)} " in f" {text} "}
        assert set(ids(index, " ".join(phrase), limit=200)) == expected, phrase


def test_an_index_without_pairs_is_rebuilt(tmp_path):
    import tantivy

    old = tantivy.SchemaBuilder()
    old.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    old.add_text_field("body", tokenizer_name="whitespace", index_option="position")
    folder = tmp_path / "index"
    folder.mkdir()
    tantivy.Index(old.build(), path=str(folder))
    reopened = SearchIndex(folder)
    assert reopened.needs_rebuild
    reopened.rebuild(CORPUS)
    assert ids(reopened, '"وزير الخارجية"')


def test_phrase_first_word_takes_clitics(index):
    index.add([rec("b001", "خبر", "قال إنه بوزير الخارجية التقى"), rec("b002", "خبر", "وزير ما")])
    assert ids(index, '"وزير الخارجية"') == ["b001"]
    assert ids(index, '"الخارجية التقى"') == ["b001"]


def test_hamza_variants_match(corpus):
    assert ids(corpus, "امريكا") == ["a001"]
    assert ids(corpus, "أمريكا") == ["a001"]
    assert ids(corpus, "آسيا") == ["a005"]
    assert ids(corpus, "اسيا") == ["a005"]


def test_clitic_forms_match_but_longer_words_do_not(corpus):
    found = set(ids(corpus, "العراق"))
    assert found == {"a002", "a003", "a004", "a005"}  # العراق بالعراق والعراق للعراق
    assert "a006" not in found  # العراقية is another word
    assert set(ids(corpus, "بالعراق")) == found  # the query's own clitics are stripped too
    assert set(ids(corpus, "والعراق")) == found


def test_diacritics_ignored_in_text_and_query(corpus):
    assert ids(corpus, "محمد") == ["a007"]
    assert ids(corpus, "مُحَمَّد") == ["a007"]
    assert ids(corpus, "مؤتمر") == ["a007"]


def test_entity_type_and_date_filters(index):
    index.add(
        [
            rec("c001", "خبر", "نص عن بغداد", "2024-01-01", entities=(("loc:iq", "LOC", "عراق"),)),
            rec("c002", "خبر", "نص عن بغداد", "2024-02-01", entities=(("per:x", "PER", "زيد"),)),
            rec("c003", "خبر", "نص عن بغداد", "2024-03-01", entities=(("loc:eg", "LOC", "مصر"),)),
            rec("c004", "خبر", "نص اخر", "2024-03-02", entities=(("loc:iq", "LOC", "العراق"),)),
        ]
    )
    assert set(ids(index, "بغداد", entity_ids=["loc:iq"])) == {"c001"}
    assert set(ids(index, "بغداد", entity_ids=["loc:iq", "loc:eg"])) == {"c001", "c003"}
    assert set(ids(index, "بغداد", entity_type="LOC")) == {"c001", "c003"}
    assert set(ids(index, "بغداد", entity_type="PER")) == {"c002"}
    assert set(ids(index, "بغداد", since="2024-02-01")) == {"c002", "c003"}
    assert set(ids(index, "بغداد", until="2024-02-01")) == {"c001", "c002"}
    assert ids(index, "بغداد", since="2024-02-01", until="2024-02-01") == ["c002"]
    # Filters only: the newest matching records first.
    assert ids(index, entity_ids=["loc:iq"]) == ["c004", "c001"]
    assert ids(index) == ["c004", "c003", "c002", "c001"]
    assert ids(index, entity_type="LOC", limit=2) == ["c004", "c003"]


def test_limit_applies_after_filtering(index):
    records = [rec(f"d{i:03d}", "خبر", "نص عن بغداد", "2024-01-01") for i in range(30)]
    records.append(rec("dzzz", "خبر", "نص عن بغداد", "2024-05-01", entities=(("x", "ORG", "س"),)))
    index.add(records)
    assert ids(index, "بغداد", limit=5, entity_type="ORG") == ["dzzz"]
    assert ids(index, "بغداد", limit=5, since="2024-04-01") == ["dzzz"]
    assert len(ids(index, "بغداد", limit=5)) == 5


def test_title_matches_rank_first(index):
    body = "كلام عن النفط " + "وأسعار النفط والنفط " * 5
    index.add(
        [
            rec("e001", "سوق الأسهم", body),
            rec("e002", "النفط يرتفع", "ارتفعت الأسعار في الأسواق اليوم بشكل كبير " * 5),
            rec("e003", "أخبار", "النفط"),
        ]
    )
    result = ids(index, "النفط")
    assert result[0] == "e002"
    assert set(result) == {"e001", "e002", "e003"}
    scores = [score for _, score in index.search(parse_query(["النفط"]), 10)]
    assert scores == sorted(scores, reverse=True)


def test_query_syntax_is_not_interpreted(corpus):
    for weird in ['"', "AND", "title:x", "(", "*", "بغداد)", "-بغداد", '"بغداد']:
        corpus.search(parse_query([weird]), 5)  # must not raise
    assert set(ids(corpus, "بغداد)")) == {"a002", "a008", "a009"}


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآٱىةؤئکی٠١٩۰۵ـ ،.\nAbİß_-1")
            + [chr(c) for c in range(0x064B, 0x0660)]
            + ["\u0670", "\u0615", "\u06d6", "\u06ed", "\ufeff"]
        )
    )
    | st.text()
)
def test_fold_is_the_match_form(text):
    assert fold(text) == match_form(text).text
    words = WORD.findall(match_form(text).text)
    assert index_text(text) == " ".join(w for w in words if len(w) <= MAX_TOKEN)


_COMMON = sorted(common_words())[:12]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(_COMMON)
        | st.text(
            alphabet=st.sampled_from(
                list("ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآٱىةؤئکی٠١٩۰۵ـ ،.\nAbZ_-1\t")
                + ["\u064e", "\u0670", "\u06d6", "\ufeff", "\u00e9", "\u20ac", "\u00b2"]
            ),
            max_size=70,  # past MAX_TOKEN: a "word" too long to index
        )
        | st.text(max_size=5),  # anything, mostly off the stored charmap: the token path
        max_size=12,
    ).map(" ".join)
)
def test_the_fast_body_fields_are_those_of_the_token_path(text):
    """``body_fields`` (bytes in the index alphabet, text on the stored charmap) gives what
    folding token by token gives, common-word pairs included."""
    slow = index_module._token_text(text)
    assert index_module.body_fields(text) == (slow, pair_text(slow))
    assert index_text(text) == slow


@pytest.mark.parametrize(
    "text",
    ["في من الي الموصل التي في", "في", "", "الموصل", "في من", "الموصل في", "في الموصل في من",
     "في من الي التي"],
)
def test_the_fast_pairs_are_those_of_pair_text(text):
    assert index_module.body_fields(text) == (text, pair_text(text))


def test_body_fields_of_news_text():
    long_word = "ب" * (MAX_TOKEN + 1)
    text = f"الموصل في مِن الموصل_{long_word} التي في، «أمريكا» ٢٠٢٤"
    body, pairs = index_module.body_fields(text)
    assert body == "الموصل في من الموصل التي في امريكا 2024"
    assert pairs == "في_من التي_في"


def test_folding_never_makes_or_removes_whitespace():
    """``index_text`` folds whitespace-separated tokens one by one: exact only because of this."""
    characters = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    spaces = "".join(c for c in characters if c.isspace())
    assert fold(spaces) == spaces
    assert not any(c.isspace() for c in fold("".join(c for c in characters if not c.isspace())))


def test_reindex_in_worker_processes_gives_what_one_process_gives(tmp_path, monkeypatch):
    from newsarchive import rebuild
    from newsarchive.catalog import Catalog
    from newsarchive.store import Archive

    monkeypatch.setattr(rebuild, "REINDEX_CHUNK", 2)
    archive = Archive(tmp_path / "archive")
    corpus = [*CORPUS, rec("a010", "زيارة", "استقبل وزير الخارجية نظيره", day="2024-02-03",
                           entities=(("loc:iq", "LOC", "العراق"), ("per:x", "PER", "زيد")))]
    for record in corpus:
        archive.write(record)

    def state() -> tuple:
        with Catalog(archive.root / "catalog.sqlite") as catalog:
            rows = [catalog.get(r.id) for r in corpus]
            entities = catalog.top_entities()
        index = SearchIndex(archive.root / "index")
        found = [ids(index, "العراق"), ids(index, entity_ids=["loc:iq"]),
                 ids(index, since="2024-02-01"), ids(index, '"وزير الخارجية"')]
        return rows, entities, found, index.doc_count()

    assert rebuild.reindex(archive, jobs=1) == len(corpus)
    one = state()
    assert rebuild.reindex(archive, jobs=2) == len(corpus)
    assert state() == one and one[3] == len(corpus) and one[2][1] == ["a010"]


# -- memory: this process's pages of the index files (issue 6, peak RSS of ingest) ----------

_MAPPING = re.compile(r"^[0-9a-f]+-[0-9a-f]+ ")


def _resident_kib(folder: Path) -> int:
    """KiB of this process's resident pages of files mapped from under ``folder``."""
    prefix = f"{folder.resolve()}/"
    total, inside = 0, False
    with open("/proc/self/smaps", encoding="utf-8", errors="replace") as smaps:
        for line in smaps:
            if _MAPPING.match(line):
                fields = line.split(maxsplit=5)
                inside = len(fields) == 6 and fields[5].startswith(prefix)
            elif inside and line.startswith("Rss:"):
                total += int(line.split()[1])
    return total


def _pageout_works() -> bool:
    """The kernel has MADV_PAGEOUT (Linux 5.4+) and /proc/self/smaps."""
    if not Path("/proc/self/smaps").exists() or index_module._madvise() is None:  # noqa: SLF001
        return False
    with mmap.mmap(-1, mmap.PAGESIZE) as probe:
        address = ctypes.addressof(ctypes.c_char.from_buffer(probe))
        works = index_module._madvise()(address, mmap.PAGESIZE, MADV_PAGEOUT) == 0  # noqa: SLF001
        del address
    return works


needs_pageout = pytest.mark.skipif(not _pageout_works(), reason="no MADV_PAGEOUT here")


@needs_pageout
def test_page_out_drops_the_mapped_pages_of_that_folder_only(tmp_path):
    data = os.urandom(4 << 20)
    for name in ("index", "index-old"):  # a sibling whose name the first one begins
        (tmp_path / name).mkdir()
        (tmp_path / name / "segment").write_bytes(data)
    with (
        open(tmp_path / "index" / "segment", "rb") as mine,
        open(tmp_path / "index-old" / "segment", "rb") as other,
        mmap.mmap(mine.fileno(), 0, prot=mmap.PROT_READ) as mapped,
        mmap.mmap(other.fileno(), 0, prot=mmap.PROT_READ) as sibling,
    ):
        for page in range(0, len(data), mmap.PAGESIZE):  # read every page, as a merge does
            assert mapped[page] == sibling[page] == data[page]
        assert _resident_kib(tmp_path / "index") >= 4 << 10
        assert page_out(tmp_path / "index") == len(data)
        assert _resident_kib(tmp_path / "index") == 0
        assert _resident_kib(tmp_path / "index-old") >= 4 << 10  # not ours to drop
        assert mapped[len(data) - 1] == data[-1]  # still readable: only a hint was given
    assert page_out(tmp_path / "index") == 0  # nothing mapped any more


@needs_pageout
def test_a_commit_leaves_almost_none_of_the_index_files_resident(tmp_path, monkeypatch):
    # Past the bound (0 here: a real ingest allows 16 MB of file pages) a commit hands back
    # every page of the index this process holds.
    monkeypatch.setattr(index_module, "PAGE_OUT_ABOVE", 0)
    index = SearchIndex(tmp_path / "index")
    index.add(CORPUS[:3])
    index.add(CORPUS[3:])
    assert len(index.ids()) == len(CORPUS)  # reads every stored document: pages come in
    before = _resident_kib(tmp_path / "index")
    assert before > 0
    index.add(CORPUS[:1])  # a commit (and its merges) pages them out again
    # MADV_PAGEOUT is a hint: a page the kernel is still writing back, or one faulted in again
    # by the reload, may stay (one 4 KiB page of 48, now and then on a loaded machine).
    assert _resident_kib(tmp_path / "index") <= before // 4
    assert sorted(index.ids()) == sorted(r.id for r in CORPUS)  # and all is still readable


@needs_pageout
def test_under_the_bound_a_commit_keeps_the_index_pages(tmp_path):
    # Small merges stay under PAGE_OUT_ABOVE: their pages stay (in the page cache too), so the
    # next merge does not read them from disk again.
    index = SearchIndex(tmp_path / "index")
    index.add(CORPUS[:3])
    assert len(index.ids()) == 3
    resident = _resident_kib(tmp_path / "index")
    assert resident > 0
    index.add(CORPUS[3:])
    assert _resident_kib(tmp_path / "index") > 0
