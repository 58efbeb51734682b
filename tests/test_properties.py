"""Any string in: normalization, extraction and entity matching never raise (other than the
documented ExtractError), and every offset they give is valid."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.arabic.normalize import clean, match_form, normalize
from newsarchive.extract import ExtractError, extract

# Arabic letters, marks, tatweel, presentation forms, bidi controls, Latin, digits, space
# and line breaks, HTML punctuation: what real and broken inputs are made of.
ALPHABET = st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
    st.sampled_from(list("\u200b\u200c\u200d\u200f\u202b\u2067 \n\t\r<>/=\"'&;!-ABCxyz019")),
    st.characters(),
)
TEXT = st.text(ALPHABET, max_size=300)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT)
def test_normalize_any_string(text):
    stored = clean(text)
    match = match_form(stored)
    assert len(match.offsets) == len(match.text) + 1
    assert all(0 <= o <= len(stored) for o in match.offsets)
    assert list(match.offsets) == sorted(match.offsets)
    assert isinstance(normalize(text), str)


@SETTINGS
@given(TEXT, st.sampled_from([None, True, False]))
def test_extract_any_string(text, html):
    try:
        article = extract(text, html=html)
    except ExtractError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(article.title, str) and isinstance(article.text, str)


@pytest.fixture(scope="module")
def extractor():
    from newsarchive.entities.extract import EntityExtractor

    return EntityExtractor.from_paths([], use_default=True)


NAMES = st.sampled_from(["العراق", "والعراق", "للعراق", "الرئيس", "دونالد ترامب", "التحالف الدولي",
                         "بغداد", "أمريكا", "الأمم المتحدة", "داعش", "مصطفى الكاظمي"])


@SETTINGS
@given(st.lists(st.one_of(NAMES, TEXT), max_size=12), st.lists(st.one_of(NAMES, TEXT), max_size=4))
def test_entity_matcher_any_string(extractor, body_parts, title_parts):
    title, text = clean(" ".join(title_parts)), clean(" ".join(body_parts))
    for mention in extractor.extract([("title", title), ("text", text)]):
        field = title if mention.field == "title" else text
        assert 0 <= mention.start < mention.end <= len(field)
        assert field[mention.start : mention.end] == mention.surface
