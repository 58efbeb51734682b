"""The extractor's speed paths (issue 4, round four) agree with the plain ones they replace."""

from __future__ import annotations

from bisect import bisect_right

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.arabic.normalize import match_form, normalize
from newsarchive.entities.extract import (
    EntityExtractor,
    _adjacent_persons,
    _Field,
    _Found,
    _has_capitals,
    _in_reading_order,
    _merge_adjacent,
    _no_partial,
    _one_word_partials,
    _short_partials,
    merge_adjacent_persons,
)
from newsarchive.entities.gazetteer import Entry, Gazetteer
from newsarchive.entities.matcher import NameTable, Span, tokenize
from newsarchive.entities.rules import NameAfterTitle

# Short names, and words written with them (clitics, longer words, the bare stem): every way
# a one-word partial mention can be met, or almost met.
SHORTS = {("الكاظمي",): "per:kadhimi", ("التحالف",): "org:coalition", ("كيكينز",): "per:x:k"}
WORDS = ["الكاظمي", "للكاظمي", "والكاظمي", "الكاظميين", "التحالف", "والتحالف", "بالتحالف",
         "للتحالف", "كيكينز", "وكيكينز", "قال", "في", "إن", "بغداد", "التحالف", "امس"]
# Seen outside names: "بالتحالف" is no partial mention of the coalition then (round ten).
VOCABULARY = frozenset({"بالتحالف"})
ENTITIES = {key: _Found(key, key[:3].upper(), key) for key in SHORTS.values()}


def _field(name: str, words: list[str], taken: set[int]) -> _Field:
    text = normalize(" ".join(words))
    tokens = tokenize(text)
    return _Field(name, text, match_form(text), tokens, {i for i in taken if i < len(tokens)})


def _spans_as_mentions(  # noqa: PLR0913 - the field, the spans drawn, and three switches
    field: _Field, words: list[str], spans: list, earlier: bool, earlier_type: str = "LOC",
    person_rule: str = "x", take: bool = False,
) -> list:
    """Mentions of field 1 over the drawn ``spans`` ((first word, extra words, "P" for a
    person, else a place), a word in one at most), after one of field 0 (``earlier_type``)
    when ``earlier``; ``take``: their words taken in ``field``."""
    mentions, used = [], set()
    if earlier:  # a mention of an earlier field passes through
        mentions.append(
            EntityExtractor._rule_found(field, 0, NameAfterTitle(0, 0), earlier_type, "x")
        )
    for first, extra, kind in spans:
        last = min(first + extra, len(words) - 1)
        if first > last or used & set(range(first, last + 1)):
            continue  # a word is taken once
        used.update(range(first, last + 1))
        if take:
            field.taken.update(range(first, last + 1))
        mention = EntityExtractor._rule_found(field, 1, NameAfterTitle(first, last), "LOC", "x")
        if kind == "P":
            mention = (*mention[:2], _Found(mention[2].id, "PER", mention[2].name), person_rule)
        mentions.append(mention)
    return mentions


def _table_partials(fields, shorts, entities, first_seen, vocabulary) -> list:
    """What ``_partial_mentions`` did for every article before the one-word path: a NameTable
    of the short names searched in each field."""
    table, out = NameTable(shorts.items()), []
    for index, field in enumerate(fields):
        for span in table.find(field.match.text, field.tokens, field.taken):
            if _no_partial(field.tokens.words, span, vocabulary):
                continue
            if (index, span.start) > first_seen[span.key]:
                out.append((index, span, entities[span.key], "partial"))
                field.taken.update(range(span.first, span.last + 1))
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), max_size=12), min_size=1, max_size=2),
    st.sets(st.integers(0, 11)),
    st.lists(st.tuples(st.integers(0, 1), st.integers(0, 40)), min_size=3, max_size=3),
)
def test_one_word_partials_are_what_a_table_of_the_short_names_finds(texts, taken, seen):
    first_seen = dict(zip(SHORTS.values(), seen, strict=True))
    fast = [_field(f"f{i}", words, taken) for i, words in enumerate(texts)]
    plain = [_field(f"f{i}", words, taken) for i, words in enumerate(texts)]
    assert _one_word_partials(fast, SHORTS, ENTITIES, first_seen, VOCABULARY) == (
        _table_partials(plain, SHORTS, ENTITIES, first_seen, VOCABULARY)
    )
    assert [f.taken for f in fast] == [f.taken for f in plain]


# Short names of two and three words beside one-word ones sharing their first words (a
# kunya, "عبد الله", a full name said again), and words that begin, continue or break them.
LONG_SHORTS = {
    ("عبد", "الله"): "per:abdallah", ("الله",): "per:x:allah", ("ابو", "مازن"): "per:abbas",
    ("دو", "فيلبان"): "per:x:dv", ("دومينيك", "دو", "فيلبان"): "per:villepin",
    ("دومينيك",): "per:x:d", ("ابو", "علي", "حسن"): "per:x:aah", ("الكاظمي",): "per:kadhimi",
}
# Phrases, split into words once drawn: whole names come up, and pieces of them.
LONG_WORDS = ["عبد الله", "وعبد الله", "عبد", "الله", "والله", "ابو مازن", "وابو", "مازن",
              "دو فيلبان", "دومينيك دو فيلبان", "ودومينيك دو", "دومينيك", "ابو علي حسن",
              "ابو علي", "حسن", "الكاظمي", "للكاظمي", "قال", "،", "-"]
LONG_ENTITIES = {key: _Found(key, "PER", key) for key in LONG_SHORTS.values()}


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(LONG_WORDS), max_size=10), min_size=1, max_size=2),
    st.sets(st.integers(0, 20)),
    st.lists(st.tuples(st.integers(0, 1), st.integers(0, 40)), min_size=8, max_size=8),
)
def test_short_partials_of_several_words_are_what_a_table_finds(texts, taken, seen):
    """Longest first, leftmost, none overlapping, the words after the first joined and free:
    the table's reading, without the table (``_short_partials``)."""
    first_seen = dict(zip(LONG_SHORTS.values(), seen, strict=True))
    texts = [" ".join(phrases).split(" ") for phrases in texts]
    fast = [_field(f"f{i}", words, taken) for i, words in enumerate(texts)]
    plain = [_field(f"f{i}", words, taken) for i, words in enumerate(texts)]
    assert _short_partials(fast, LONG_SHORTS, LONG_ENTITIES, first_seen, VOCABULARY) == (
        _table_partials(plain, LONG_SHORTS, LONG_ENTITIES, first_seen, VOCABULARY)
    )
    assert [f.taken for f in fast] == [f.taken for f in plain]


def test_a_surname_said_again_behind_clitics_is_a_partial_mention_only_after_the_name():
    kadhimi = Entry("per:kadhimi", "PER", "مصطفى الكاظمي")
    extractor = EntityExtractor(Gazetteer({kadhimi.id: kadhimi}))
    text = "قال الكاظمي إن مصطفى الكاظمي زار بغداد، وأكد للكاظمي والكاظميين"
    mentions = extractor.extract([("text", text)])
    assert [(m.surface, m.rule) for m in mentions] == [
        ("مصطفى الكاظمي", "gazetteer"), ("للكاظمي", "partial")]
    # A second article names him again: what is remembered per name changes nothing.
    assert extractor.extract([("text", text)]) == mentions


def test_mentions_in_text_with_dropped_characters_map_back_to_the_stored_text():
    iraq = Entry("loc:iq", "LOC", "العراق", ("بغداد",))
    extractor = EntityExtractor(Gazetteer({iraq.id: iraq}))
    stored = "زار الوفدُ العِرَاقَ ثم بــغــداد، ثم العراق"
    mentions = extractor.extract([("title", "العراق"), ("text", stored)])
    assert [(m.field, m.surface) for m in mentions] == [
        ("title", "العراق"), ("text", "العِرَاقَ"), ("text", "بــغــداد"), ("text", "العراق")]
    starts = [stored.index("العِرَاقَ"), stored.index("بــغــداد"), stored.rindex("العراق")]
    assert [m.start for m in mentions[1:]] == starts
    assert all(stored[m.start : m.end] == m.surface for m in mentions[1:])


@given(st.text(alphabet="اب\u064e\u0640 ", max_size=30))
def test_the_runs_of_an_offset_map_give_its_offsets(stored):
    offsets = match_form(stored).offsets
    if type(offsets) is range:
        return
    keys, shifts = offsets.runs()
    assert [k + shifts[bisect_right(keys, k) - 1] for k in range(len(offsets))] == list(offsets)
    last = len(offsets) - 1
    assert offsets.span(last, 0) == (offsets[last], offsets[last])  # an end before the start


def test_names_whose_first_reading_goes_on_and_whose_second_does_not_are_both_found():
    table = NameTable([("العراق الجديد", "x:new-iraq"), ("بالعراق", "x:b"), ("العراق", "loc:iq")])
    for text, expected in [
        ("بالعراق الجديد", [(1, 14, "x:new-iraq")]),  # read without ب: the longer name
        ("بالعراق اليوم", [(0, 7, "x:b")]),  # the word as written, a name alone
        ("العراق اليوم", [(0, 6, "loc:iq")]),
        ("العراق، الجديد", [(0, 6, "loc:iq")]),  # not joined: the one-word name
    ]:
        text = normalize(text)
        found = [(s.start, s.end, s.key) for s in table.find(text, tokenize(text))]
        assert found == expected, text


def test_reading_order_is_by_field_then_start_and_stable():
    def mention(index, start, tag):
        span = (0, 0, start, start + 1, tag, ())
        return (index, type("S", (tuple,), {"start": property(lambda s: s[2])})(span), tag, "x")

    mentions = [mention(1, 0, "a"), mention(0, 5, "b"), mention(0, 5, "c"), mention(0, 1, "d")]
    assert [m[2] for m in _in_reading_order(mentions)] == ["d", "b", "c", "a"]


def test_capitals_on_the_charmap_are_a_to_z_so_a_text_without_them_holds_no_acronym():
    from newsarchive.arabic.normalize import STORED_CHARS

    assert {c for c in STORED_CHARS if c.isupper()} == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    extractor = EntityExtractor(Gazetteer({}))
    found = extractor.extract([("text", "قالت وكالة AFP في Email إن شبكة CNN والوكالة afp")])
    assert [(m.surface, m.type, m.rule) for m in found] == [
        ("AFP", "ORG", "acronym"), ("CNN", "ORG", "acronym")]
    assert extractor.extract([("text", "راسلنا على Email أو afp")]) == []
    assert _has_capitals("وكالة AFP") and _has_capitals("وكالة A\u0640F\u064eP")
    assert not _has_capitals("Email A F") and not _has_capitals("")


PERSON_WORDS = ["محمد", "علي", "وسعيد", "قال", "في", "بن", "حسن", "وليد"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(PERSON_WORDS), min_size=1, max_size=10),
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 2), st.sampled_from("PPL")),
             max_size=6),
    st.booleans(),
)
def test_persons_merged_only_when_two_are_side_by_side(words, spans, earlier):
    """The screen (``_adjacent_persons``) leaves ``mentions`` as found when it sees no two
    persons side by side: in reading order, what the full merge gives."""
    field = _field("text", words, set())
    mentions = _spans_as_mentions(field, words, spans, earlier)
    assert all(isinstance(m[1], Span) for m in mentions)
    full = _merge_adjacent(field, 1, list(mentions), ())
    screened = merge_adjacent_persons(field, 1, list(mentions))
    assert _in_reading_order(screened) == _in_reading_order(full)
    if not _adjacent_persons(mentions, 1):
        assert screened == mentions  # no sort, no loop


# Given names (listed, weak, behind clitics), links, and words that begin no name.
BEFORE_WORDS = ["محمد", "ومحمد", "لمحمد", "رفيق", "ورفيق", "بن", "ابن", "بنت", "أبو", "عبد",
                "الله", "شكيب", "قال", "الرئيس", "في", "حسني", "مبارك", "المصري", "وقال"]
_LEFT = EntityExtractor(Gazetteer({}), weak_first_names=["رفيق"]).person_rule


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(BEFORE_WORDS), min_size=2, max_size=8), st.data())
def test_a_person_is_begun_earlier_only_after_a_word_the_screen_lets_through(words, data):
    """``may_begin_before`` is False only where ``PersonNameRule.extend_left`` moves nothing."""
    text = normalize(" ".join(words))
    tokens = tokenize(match_form(text).text)
    first = data.draw(st.integers(0, len(tokens) - 1))
    moved = _LEFT.extend_left(match_form(text).text, tokens, first, set()) != first
    assert not moved or _LEFT.may_begin_before(tokens.words, first)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 24), st.sampled_from("\u064e\u0640\u0651")), max_size=6))
def test_mention_ends_map_to_the_stored_text_as_the_offset_map_does(marks):
    # _mentions shifts a mention's end by its start's shift unless a dropped character lies
    # inside it: marks anywhere in or around the names must give SourceOffsets.span's ends.
    plain = "زار الوفد العراق ثم بغداد"
    chars = list(plain)
    for at, mark in sorted(marks, reverse=True):
        if chars[at - 1] != " ":
            chars.insert(at, mark)
    stored = "".join(chars)
    iraq = Entry("loc:iq", "LOC", "العراق", ("بغداد",))
    mentions = EntityExtractor(Gazetteer({iraq.id: iraq})).extract([("text", stored)])
    match = match_form(stored)
    expected = []
    for name in ("العراق", "بغداد"):
        at = match.text.find(match_form(name).text)
        end = at + len(match_form(name).text)
        offsets = match.offsets  # a range when nothing was dropped
        expected.append((at, end) if type(offsets) is range else offsets.span(at, end))
    assert [(m.start, m.end) for m in mentions] == expected
    assert all(stored[m.start : m.end] == m.surface for m in mentions)


def test_short_partials_read_on_only_over_joined_free_words():
    first_seen = dict.fromkeys(LONG_SHORTS.values(), (0, -1))
    cases = [  # words, taken → the short names found
        ("قال عبد ، الله دومينيك - دو فيلبان", set(), [("الله",), ("دومينيك", "دو", "فيلبان")]),
        ("وعبد الله ودومينيك دو", {1}, [("دومينيك",)]),
        ("ابو علي حسن ابو مازن دو فيلبان", set(), [("ابو", "علي", "حسن"), ("ابو", "مازن"),
                                                 ("دو", "فيلبان")]),
    ]
    for text, taken, expected in cases:
        words = text.split(" ")
        fast = _short_partials([_field("t", words, taken)], LONG_SHORTS, LONG_ENTITIES,
                               first_seen, VOCABULARY)
        plain = _table_partials([_field("t", words, taken)], LONG_SHORTS, LONG_ENTITIES,
                                first_seen, VOCABULARY)
        assert [m[1].words for m in fast] == expected, text
        assert fast == plain


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([*WORDS, "الله", "عبد", "ابو", "الأول"]), max_size=1),
    st.sampled_from(["PER", "ORG", "LOC", "MISC"]),
    st.booleans(),
)
def test_a_name_of_one_word_has_short_names_only_from_the_unseen_rules(words, kind, unseen):
    # _partial_mentions passes over a mention of fewer than two words not found by the
    # unseen-name rules without asking _short_names: it must have none to give.
    kadhimi = Entry("per:kadhimi", "PER", "مصطفى الكاظمي")
    extractor = EntityExtractor(Gazetteer({kadhimi.id: kadhimi}))
    words = tuple(normalize(w) for w in words)
    shorts = extractor._short_names(words, kind, unseen)
    if not unseen:
        assert shorts == ()
    elif len(words) == 1 and words not in extractor.names:
        assert shorts == (words,)  # the check is not idle: this one does give a short name
