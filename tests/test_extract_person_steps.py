"""The person steps' screens (issue 4, speed round ten) agree with the steps they spare."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_extract_speed import _field, _spans_as_mentions

from newsarchive.arabic.normalize import match_form, normalize
from newsarchive.entities.extract import (
    EntityExtractor,
    _alis,
    _in_reading_order,
    _merge_adjacent,
)
from newsarchive.entities.gazetteer import Gazetteer
from newsarchive.entities.matcher import Span, tokenize

# Given names (listed, weak, behind clitics), links, and words that begin no name.
BEFORE_WORDS = ["محمد", "ومحمد", "لمحمد", "رفيق", "ورفيق", "بن", "ابن", "بنت", "أبو", "عبد",
                "الله", "شكيب", "قال", "الرئيس", "في", "حسني", "مبارك", "المصري", "وقال"]


# Words that start or end the person steps' work: given names, "بن", "علي" (the match form of
# "على" too), a link, a particle, East Asian syllables, "و" + a name, and words that are none.
STEP_WORDS = ["محمد", "ومحمد", "بن", "علي", "على", "ولد", "فان", "باستن", "تشاو", "شينج",
              "وحسن", "نجمي", "آشلي", "ويلكس", "قال", "في", "الرئيس", "الإمام", "زيد"]
_STEPS = EntityExtractor(Gazetteer({}), vocabulary=["قال", "في"], name_score=lambda word: 1.0)


def _persons_and_field(words, spans, earlier):
    field = _field("text", words, set())
    field.capitals = False
    mentions = _spans_as_mentions(
        field, words, spans, earlier, earlier_type="PER", person_rule="gazetteer", take=True
    )
    return field, mentions


def _steps_unscreened(ex, field, index, mentions, writes_maksura):
    """The person steps as ``extract`` ran them before ``_person_steps``: each screened by a
    pass over every mention (or by none), the person spans gathered afresh for each."""
    def persons(mentions):
        return [m[1] for m in mentions if m[0] == index and m[2].type == "PER"]

    rule = ex.person_rule
    mentions = ex._list_neighbours(field, index, mentions, persons(mentions))
    mentions = ex._extend_left(field, index, mentions, sons_only=True)
    mentions = ex._unseen_given(field, index, mentions)
    mentions = ex._ali_before(field, index, mentions)
    alis = _alis(field, writes_maksura)
    if alis:
        mentions = ex._ali_after(field, index, mentions, alis)
        mentions = ex._ali_after_title(field, index, mentions, alis)
    mentions = _merge_adjacent(field, index, mentions, (rule.first_names, rule.name_words))
    mentions = ex._east_asian(field, index, mentions, persons(mentions))
    mentions = ex._word_links(field, index, mentions, persons(mentions))
    return ex._particles(field, index, mentions)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(STEP_WORDS), min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 2), st.sampled_from("PPPL")),
             max_size=6),
    st.booleans(),
    st.booleans(),
)
def test_person_steps_screened_by_the_person_spans_do_what_the_steps_did(
    words, spans, earlier, writes_maksura
):
    """``_person_steps`` (each step screened by the field's person spans, gathered again only
    after a step changed the mentions) gives the mentions and taken words of the steps run
    one after the other with their own screens (``_merge_adjacent``: none)."""
    field, mentions = _persons_and_field(words, spans, earlier)
    plain_field, plain_mentions = _persons_and_field(words, spans, earlier)
    screened = _STEPS._person_steps(
        field, 1, mentions, [m[1] for m in mentions if m[2].type == "PER" and m[0] == 1],
        writes_maksura,
    )
    plain = _steps_unscreened(_STEPS, plain_field, 1, plain_mentions, writes_maksura)
    assert _in_reading_order(screened) == _in_reading_order(plain)
    assert field.taken == plain_field.taken


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(BEFORE_WORDS), min_size=1, max_size=8),
    st.lists(st.integers(0, 7), max_size=4),
)
def test_the_screen_of_extend_left_is_may_begin_before_of_some_person(words, firsts):
    rule = _STEPS.person_rule
    spans = [Span(i, i, 0, 0, "k", (words[i],)) for i in firsts if i < len(words)]
    assert _STEPS._may_begin_before(words, spans) == any(
        rule.may_begin_before(words, s.first) for s in spans
    )


# Words a name may read on over (or not): given names, links, an ordinal, a particle, an
# initial, nisbas, a kunya, day parts, and words that are none.
NEXT_WORDS = ["محمد", "حسني", "مبارك", "بن", "عبد", "الله", "الأول", "عشر", "دو", "فان", "ب",
              "ب.", "المصري", "الكويتي", "أبو", "صباح", "أمس", "قال", "الرئيس", "وقال", "ومحمد",
              "الحسن", "البلاد", "شيراك"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NEXT_WORDS), min_size=2, max_size=7), st.data())
def test_a_name_reads_on_without_an_open_tail_only_over_a_word_the_screen_lets_through(
    words, data
):
    """``may_read_on`` is False only where ``PersonNameRule.extend`` (no open tail) reads on
    over nothing."""
    rule = _STEPS.person_rule
    text = match_form(normalize(" ".join(words))).text
    tokens = tokenize(text)
    assume(len(tokens) > 1)
    last = data.draw(st.integers(0, len(tokens) - 2))
    regnal = data.draw(st.booleans())
    moved = rule.extend(text, tokens, last, set(), open_tail=False, regnal=regnal) != last
    assert not moved or rule.may_read_on(tokens.words[last + 1])
