"""Normalization: the stored form, the match form, and the offset map between them."""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.arabic import normalize as normalize_module
from newsarchive.arabic.clitics import prefixed_forms, stems
from newsarchive.arabic.normalize import (
    DROPPED,
    FOLDED,
    OTHER_SPACES_CLASS,
    STORED_CHARS,
    clean,
    fold,
    fold_bytes,
    is_clean,
    match_form,
    match_form_folded,
    normalize,
)

# Text drawn mostly from the Arabic blocks (letters, marks, digits, presentation forms) with
# invisible controls, spaces and some Latin: where normalization can go wrong.
arabic_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
        st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
        st.sampled_from(list("\u200b\u200c\u200d\u200e\u200f\u202b\u2067 \t\n\r")),
        st.characters(min_codepoint=0x20, max_codepoint=0x17F),
    ),
    max_size=200,
)


@given(arabic_text)
def test_offset_map_lands_on_the_character_each_match_char_came_from(text):
    stored = clean(text)
    match = match_form(stored)
    assert len(match.offsets) == len(match.text) + 1
    assert match.offsets[-1] == len(stored)
    for i, ch in enumerate(match.text):
        source_char = stored[match.offsets[i]]
        assert ch == FOLDED.get(
            source_char, source_char.lower() if len(source_char.lower()) == 1 else source_char
        )
    assert list(match.offsets) == sorted(set(match.offsets))  # strictly increasing


@given(arabic_text, st.data())
def test_any_span_maps_back_to_text_with_the_same_match_form(text, data):
    stored = clean(text)
    match = match_form(stored)
    start = data.draw(st.integers(0, len(match.text)))
    end = data.draw(st.integers(start, len(match.text)))
    source_start, source_end = match.span_in_source(start, end)
    assert 0 <= source_start <= source_end <= len(stored)
    assert match_form(stored[source_start:source_end]).text == match.text[start:end]


@given(arabic_text)
def test_clean_is_idempotent_and_leaves_no_invisible_or_presentation_characters(text):
    stored = clean(text)
    assert clean(stored) == stored
    assert not any(ch in "\u200b\u200c\u200d\u200e\u200f\u202b\u2067\r\t" for ch in stored)
    presentation = [
        ch for ch in stored if 0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFE
    ]
    assert all(unicodedata.normalize("NFKC", ch) == ch for ch in presentation)  # unassigned only


@given(arabic_text)
def test_is_clean_says_true_only_where_clean_changes_nothing(text):
    stored = clean(text)
    # clean's output passes, but for a presentation form NFKC leaves as is (unassigned ones)
    presentation = any(0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFE for ch in stored)
    assert is_clean(stored) or presentation
    if is_clean(text):
        assert clean(text) == text


@pytest.mark.parametrize(
    "text",
    ["a  b", "a \nb", "a\n b", "a\n\n\nb", " a", "a ", "\na", "a\n", "a\tb", "a\rb",
     "a\xa0b", "a\u3000b", "a\u200fb", "a\ufeffb", "\ufefb", "a\x1cb"],
)
def test_is_clean_finds_each_thing_clean_would_change(text):
    assert clean(text) != text and not is_clean(text)


def test_other_spaces_are_every_whitespace_character_but_space_and_newline():
    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()} - {" ", "\n"}
    assert {ch for ch in spaces if re.fullmatch(f"[{OTHER_SPACES_CLASS}]", ch)} == spaces
    assert is_clean("فقرة أولى\n\nفقرة ثانية") and is_clean("")


@given(arabic_text)
def test_fold_is_the_match_form_without_offsets(text):
    stored = clean(text)
    assert fold(stored) == match_form(stored).text


@given(arabic_text)
def test_match_form_has_no_dropped_or_folded_characters(text):
    match = match_form(clean(text)).text
    assert not set(match) & DROPPED
    assert not set(match) & set(FOLDED)


def test_stored_text_keeps_what_the_author_wrote():
    written = "قالَ   الرَّئيسُ\u200f إنّ «أمريكا»\n\n\n\nستدعم"
    assert clean(written) == "قالَ الرَّئيسُ إنّ «أمريكا»\n\nستدعم"


def test_presentation_forms_become_letters():
    assert clean("\ufefb\ufe8e") == "لاا"  # lam-alef ligature, isolated alef


def test_match_form_rules():
    cases = {
        "أحمد إبراهيم آمال ٱلله": "احمد ابراهيم امال الله",
        "مصطفى": "مصطفي",
        "الحكومة": "الحكومه",
        "مؤتمر رئيس": "موتمر رييس",
        "مُحَمَّدٌ": "محمد",
        "جـــمـيل": "جميل",
        "٢٠٢٠ ۱۴۰۰": "2020 1400",
        "کرمانشاه ایران": "كرمانشاه ايران",
        "CNN": "cnn",
        "سُورِيَا\u0670": "سوريا",
    }
    for written, expected in cases.items():
        assert normalize(written) == expected, written


def test_diacritics_after_the_last_letter_belong_to_the_span():
    stored = "في العراقِ اليوم"
    match = match_form(stored)
    start = match.text.index("العراق")
    assert stored.__getitem__(slice(*match.span_in_source(start, start + 6))) == "العراقِ"


def test_stems_strip_proclitics_only():
    assert [s.text for s in stems("وبالعراق")] == ["وبالعراق", "بالعراق", "العراق"]
    assert "العراق" in [s.text for s in stems("للعراق")]
    assert "العراق" not in [s.text for s in stems("العراقيه")]
    assert [s.text for s in stems("بكر")] == ["بكر"]  # stems shorter than 3 letters are not read


def test_prefixed_forms_invert_stems():
    for word in ("العراق", "امريكا"):
        for form in prefixed_forms(word):
            assert word in [s.text for s in stems(form)], form


@given(arabic_text)
def test_offsets_of_a_text_with_dropped_characters_are_the_plain_table(text):
    stored = clean(text)
    match = match_form(stored)
    kept = [i for i, ch in enumerate(stored) if ch not in DROPPED] + [len(stored)]
    assert list(match.offsets) == kept and len(match.offsets) == len(kept)
    assert [match.offsets[i] for i in range(-len(kept), 0)] == kept  # from the end too
    assert list(match.offsets[1:-1]) == kept[1:-1]
    if type(match.offsets) is not range:  # the extractor's one-call lookup of a span's ends
        n = len(kept)
        ends = [(a, b) for a in range(n) for b in (a - 1, a, n - 1)]  # b < a: the start
        assert [match.offsets.span(a, b) for a, b in ends] == [
            (kept[a], kept[max(a, b)]) for a, b in ends
        ]
        # and back: each kept stored character's match index (the extractor's "علي" search)
        assert [match.offsets.match_index(at) for at in kept[:-1]] == list(range(n - 1))


def test_offsets_skip_dropped_runs_at_the_start_middle_and_end():
    stored = "\u064eبَّاب\u0640\u0640 ـلُ\u064b"
    match = match_form(stored)
    assert match.text == "باب ل"
    assert list(match.offsets) == [1, 4, 5, 8, 10, 13]
    assert match.span_in_source(0, 3) == (1, 8) and match.span_in_source(4, 5) == (10, 13)


def test_is_clean_on_the_stored_charmap_looks_for_exactly_what_clean_changes_there():
    """Text on the charmap takes a path of its own in ``is_clean``: each character of the map,
    between two letters, is clean exactly when ``clean`` keeps it."""
    for char in STORED_CHARS[1:]:
        text = f"ب{char}ب"
        assert is_clean(text) == (clean(text) == text), repr(char)
    assert not is_clean("نص\u00a0آخر") and not is_clean("نص\u00adآخر")
    assert not is_clean("نص\tآخر") and is_clean("نص آخر")


def test_folds_remembered_are_those_computed(monkeypatch):
    """The memo of folds (one article's text is folded by several stages) answers what
    folding answers: for the same text, an equal text, and a text too long to be kept."""
    text = "قالَ وزير الخارجية ٢٠٢٤"
    fresh = fold_bytes.__wrapped__(text)  # folded, not remembered
    assert fold_bytes(text) == fresh and fold_bytes("".join(list(text))) == fresh
    assert fold(text) == "قال وزير الخارجيه 2024" == match_form(text).text
    assert match_form_folded(text)[1] == fresh[1]
    monkeypatch.setattr(normalize_module, "MEMO_CHARS", 4)  # past it: computed, not kept
    fold_bytes.cache_clear()
    assert fold_bytes(text) == fresh and fold(text) == "قال وزير الخارجيه 2024"
    assert fold_bytes.cache_info().currsize == 0
