"""Search end to end: query parsing, hits from real record files, snippets and highlights."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.arabic.clitics import WORD
from newsarchive.arabic.normalize import match_form, normalize
from newsarchive.catalog import Catalog
from newsarchive.index import SearchIndex, query_forms
from newsarchive.record import Mention, Record
from newsarchive.search import (
    Hit,
    ParsedQuery,
    make_snippet,
    match_spans,
    parse_query,
    search,
)
from newsarchive.store import Archive


def rec(rid, title, text, day="2024-01-01", entities=(), source="test") -> Record:
    return Record(
        id=rid,
        title=title,
        text=text,
        source=source,
        ingested_at=f"{day}T12:00:00Z",
        published=f"{day}T08:00:00Z",
        entities=[
            Mention(id=e, type=t, name=n, surface=n, field="text", start=0, end=0)
            for e, t, n in entities
        ],
    )


def query(*words: str, **filters) -> ParsedQuery:
    return parse_query(words, **filters)


def marked(snippet: str, highlights) -> list[str]:
    return [snippet[a:b] for a, b in highlights]


# --- parse_query -------------------------------------------------------------------------


def test_parse_terms_and_phrases():
    q = parse_query(["أمريكا", '"وزير الخارجية"', "بغداد العاصمة", "مُحَمَّد"])
    assert q.terms == ("امريكا", "محمد")
    assert q.phrases == (("وزير", "الخارجيه"), ("بغداد", "العاصمه"))
    assert q.has_text


def test_parse_quotes_inside_one_argument():
    q = parse_query(['النفط "وزير الخارجية" العراق'])
    assert q.terms == ("النفط", "العراق")
    assert q.phrases == (("وزير", "الخارجيه"),)
    assert parse_query(["«الأمم المتحدة»"]).phrases == (("الامم", "المتحده"),)
    assert parse_query(['"بغداد"']).terms == ("بغداد",)  # a one-word phrase is a term
    assert parse_query(['"']) == ParsedQuery((), ())
    assert parse_query(["U.S.", "!!"]).terms == ("u", "s")


def test_parse_filters():
    q = parse_query([], entity_ids=["loc:iq"], entity_type="LOC", since="2024-01-01")
    assert not q.has_text
    assert q.entity_ids == ("loc:iq",) and q.entity_type == "LOC" and q.since == "2024-01-01"
    with pytest.raises(ValueError):
        parse_query([], until="yesterday")


# --- snippets ----------------------------------------------------------------------------


def test_highlight_is_the_diacritized_original():
    record = rec("1", "t", "التقى مُحَمَّدٌ بالصحفيين.")
    snippet, highlights = make_snippet(record, query("محمد"))
    assert snippet == record.text
    assert marked(snippet, highlights) == ["مُحَمَّدٌ"]


def test_highlights_clitic_forms_whole_words_only():
    record = rec("1", "t", "العراق وبالعراق للعراق والعراقية العراقي بالعراق")
    snippet, highlights = make_snippet(record, query("العراق"))
    assert marked(snippet, highlights) == ["العراق", "وبالعراق", "للعراق", "بالعراق"]


def test_highlight_phrase_as_one_span():
    record = rec("1", "t", "قال وزير\nالخارجية إن وزير الدفاع والخارجية")
    snippet, highlights = make_snippet(record, query('"وزير الخارجية"'))
    assert "\n" not in snippet
    assert marked(snippet, highlights) == ["وزير الخارجية"]


def test_overlapping_phrase_occurrences_merge():
    text = "قال العراق العراق العراق ثم"
    q = query('"العراق العراق"')
    assert match_spans(text, q) == [(4, 24)] == reference_spans(text, q)


def test_snippet_window_cuts_on_words():
    words = [f"كلمة{i}" for i in range(200)]
    words[120] = "النفطَ"
    record = rec("1", "t", " ".join(words))
    snippet, highlights = make_snippet(record, query("النفط"), width=80)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= 84
    assert marked(snippet, highlights) == ["النفطَ"]
    inner = snippet[1:-1]
    assert all(w in words for w in inner.split())  # no word cut in half


def test_snippet_without_match_is_the_start():
    record = rec("1", "النفط", "نص طويل " * 100)
    snippet, highlights = make_snippet(record, query("النفط"), width=50)
    assert highlights == ()
    assert snippet.startswith("نص طويل") and snippet.endswith("…")


ARABIC_WORDS = ["العراق", "محمد", "امريكا", "وزير", "الخارجية", "بغداد", "النفط", "قال"]
DIACRITICS = ["", "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u0640"]


@st.composite
def decorated_word(draw):
    base = draw(st.sampled_from(ARABIC_WORDS + ["العراقية", "كلمة", "xyz"]))
    prefix = draw(st.sampled_from(["", "و", "ب", "ف", "وب", "ك"]))
    word = prefix + base
    # Alternate spellings and diacritics on the letters.
    word = word.replace("ا", draw(st.sampled_from(["ا", "أ", "إ", "آ"])), 1)
    return "".join(ch + draw(st.sampled_from(DIACRITICS)) for ch in word)


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(decorated_word(), min_size=1, max_size=60),
    separators=st.lists(st.sampled_from([" ", "، ", ". ", "\n", " «", "» "]), min_size=60),
    term=st.sampled_from(ARABIC_WORDS),
    width=st.integers(min_value=20, max_value=300),
)
def test_every_highlight_is_a_form_of_the_query_word(words, separators, term, width):
    text = "".join(w + s for w, s in zip(words, separators, strict=False)).strip()
    record = rec("1", "t", text)
    q = query(term)
    snippet, highlights = make_snippet(record, q, width=width)
    forms = set(query_forms(q.terms[0]))
    for a, b in highlights:
        assert 0 <= a < b <= len(snippet)
        assert normalize(snippet[a:b]) in forms
        assert snippet[a:b] in text  # the original spelling, diacritics included
    if len(text) <= width:
        expected = sum(1 for w in text.split() if normalize(w).strip("،.«»") in forms)
        assert len(highlights) == expected


def reference_spans(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """The obvious, slow way: tokens of ``match_form``, compared one by one."""
    mt = match_form(text)
    tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(mt.text)]
    forms = {f for t in query.terms for f in query_forms(t)}
    found = [(a, b) for a, b, tok in tokens if tok in forms]
    for phrase in query.phrases:
        heads, n = set(query_forms(phrase[0])), len(phrase)
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            if window[0][2] in heads and [t[2] for t in window[1:]] == list(phrase[1:]):
                found.append((window[0][0], window[-1][1]))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(found):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return [mt.span_in_source(a, b) for a, b in merged]


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(decorated_word(), min_size=0, max_size=40),
    separators=st.lists(st.sampled_from([" ", "_", "، ", "\n", "ـ ", "\u064e "]), min_size=40),
    terms=st.lists(st.sampled_from(ARABIC_WORDS), max_size=2),
    phrase=st.lists(st.sampled_from(ARABIC_WORDS[:3]), min_size=2, max_size=3),
)
def test_match_spans_agree_with_match_form(words, separators, terms, phrase):
    text = "".join(w + s for w, s in zip(words, separators, strict=False))
    q = parse_query([*terms, '"' + " ".join(phrase) + '"'])
    assert match_spans(text, q) == reference_spans(text, q)


# --- search end to end -------------------------------------------------------------------


CORPUS = [
    rec("f001", "زيارة إلى أمريكا", "وصل الوزيرُ إلى واشنطن في زيارةٍ رسمية.", "2024-01-01"),
    rec(
        "f002",
        "أخبار العراق",
        "اجتماع في بغداد لبحث الأوضاع.",
        "2024-01-02",
        entities=(("loc:iq", "LOC", "العراق"),),
    ),
    rec(
        "f003",
        "اقتصاد",
        "ارتفعت أسعار النفط بالعراق هذا الأسبوع.",
        "2024-01-03",
        entities=(("loc:iq", "LOC", "العراق"),),
    ),
    rec("f004", "ثقافة", "معرض الكتب العراقية في القاهرة.", "2024-01-04"),
    rec(
        "f005",
        "مقابلة",
        "التقى مُحَمَّدٌ بالصحفيين في بغداد.",
        "2024-02-01",
        entities=(("per:m", "PER", "محمد"),),
    ),
]


@pytest.fixture
def world(tmp_path):
    archive = Archive(tmp_path / "archive")
    catalog = Catalog(archive.root / "catalog.sqlite")
    index = SearchIndex(archive.root / "index")
    for record in CORPUS:
        archive.write(record)
    catalog.add_many((r, archive.relpath_for(r)) for r in CORPUS)
    index.add(CORPUS)
    yield archive, index, catalog
    catalog.close()


def run(world, *words, limit=10, **filters) -> list[Hit]:
    archive, index, catalog = world
    return search(archive, index, catalog, query(*words, **filters), limit=limit)


def test_search_returns_hits_with_snippets(world):
    hits = run(world, "امريكا")
    assert [h.id for h in hits] == ["f001"]
    hit = hits[0]
    assert hit.title == "زيارة إلى أمريكا" and hit.date == "2024-01-01" and hit.source == "test"
    assert hit.score > 0
    assert hit.highlights == ()  # title-only match: the text has no أمريكا
    hits = run(world, "واشنطن", "الوزير")
    assert [h.id for h in hits] == ["f001"]
    assert marked(hits[0].snippet, hits[0].highlights) == ["الوزيرُ", "واشنطن"]


def test_search_clitics_and_diacritics(world):
    hits = run(world, "العراق")
    assert {h.id for h in hits} == {"f002", "f003"}
    assert hits[0].id == "f002"  # title match first
    by_id = {h.id: h for h in hits}
    assert marked(by_id["f003"].snippet, by_id["f003"].highlights) == ["بالعراق"]
    by_clitic = run(world, "بالعراق")  # a query word with clitics also finds its stem
    assert {h.id for h in by_clitic} == {"f002", "f003"}
    [hit] = run(world, "مُحَمَّد")
    assert marked(hit.snippet, hit.highlights) == ["مُحَمَّدٌ"]


def test_search_filters(world):
    assert {h.id for h in run(world, "بغداد")} == {"f002", "f005"}
    assert [h.id for h in run(world, "بغداد", entity_type="PER")] == ["f005"]
    assert [h.id for h in run(world, "بغداد", entity_ids=["loc:iq"])] == ["f002"]
    assert [h.id for h in run(world, "بغداد", until="2024-01-31")] == ["f002"]
    assert [h.id for h in run(world, entity_ids=["loc:iq"])] == ["f003", "f002"]
    recent = run(world, since="2024-01-03", limit=2)
    assert [h.id for h in recent] == ["f005", "f004"]
    assert all(h.highlights == () and h.snippet for h in recent)


def test_search_skips_records_missing_from_the_archive(world):
    archive, index, catalog = world
    (archive.root / catalog.path_of("f002")).unlink()
    assert [h.id for h in run(world, "بغداد")] == ["f005"]


def test_rebuilt_index_gives_the_same_results(world):
    archive, index, catalog = world
    queries = [("العراق",), ("بغداد",), ('"أسعار النفط"',), ("محمد", "بغداد"), ()]
    before = [[(h.id, h.snippet, h.highlights) for h in run(world, *q)] for q in queries]
    shutil.rmtree(archive.root / "index")
    (archive.root / "catalog.sqlite").unlink()
    catalog.close()
    fresh_index = SearchIndex(archive.root / "index")
    assert fresh_index.needs_rebuild
    assert fresh_index.rebuild(archive.records()) == len(CORPUS)
    fresh_catalog = Catalog(archive.root / "catalog.sqlite")
    fresh_catalog.rebuild((r, archive.relpath_for(r)) for r in archive.records())
    rebuilt = (archive, fresh_index, fresh_catalog)
    after = [[(h.id, h.snippet, h.highlights) for h in run(rebuilt, *q)] for q in queries]
    fresh_catalog.close()
    assert after == before
    assert before[2][0][0] == "f003"
