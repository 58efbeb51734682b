"""The gazetteer loop's one-word path, partial mentions inserted into reading order and the title
rule's inline gap test (issue 4, speed round ten) agree with what they replace."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.entities.extract import (
    EntityExtractor,
    _Found,
    _in_reading_order,
    _with_partials,
)
from newsarchive.entities.gazetteer import Entry, Gazetteer
from newsarchive.entities.matcher import Span

# (field, start) pairs from a small range, so that equal keys are common.
_KEYS = st.tuples(st.integers(0, 2), st.integers(0, 6))


def _mention(key: tuple[int, int], tag: str) -> tuple:
    field, start = key
    span = Span(start, start, start, start + 1, tag, (tag,))
    return (field, span, _Found(tag, "PER", tag), "partial")


@given(st.lists(_KEYS, max_size=40), st.lists(_KEYS, max_size=12))
@settings(max_examples=200, deadline=None)
def test_partials_merge_as_the_stable_sort_does(keys, partial_keys):
    # Each mention its own tag: the order of mentions of equal key is checked too.
    mentions = _in_reading_order([_mention(k, f"m{n}") for n, k in enumerate(keys)])
    partials = [_mention(k, f"p{n}") for n, k in enumerate(partial_keys)]
    merged = _with_partials(mentions, partials)
    assert merged == _in_reading_order(mentions + partials)
    assert len(mentions) == len(keys)  # the caller's list is left as it was


def _found(text: str, **lists) -> list[tuple[str, str]]:
    entries = [Entry("per:jane", "PER", "جين دو")]
    extractor = EntityExtractor(Gazetteer({e.id: e for e in entries}), **lists)
    return [(m.surface, m.type) for m in extractor.extract([("text", text)])]


def test_the_title_rule_reads_a_name_after_each_opening_quote():
    # The gap after the title, read inline: every opening quote or bracket, spaced or not.
    for quote in ('" ', "« ", "( ", "' ", '"', "«", "("):
        text = f"قالت الدكتورة {quote}هنريتا آب » أمس"
        assert _found(text) == [("هنريتا آب", "PER")], quote


def test_the_title_rule_takes_a_quote_right_after_the_title_only():
    # A quote inside the name ends it; joins (space, hyphen) do not.
    assert _found("قال الرئيس نيلسون « مانديلا » أمس") == [("نيلسون", "PER")]
    assert _found("قال الرئيس نيلسون - مانديلا أمس") == [("نيلسون - مانديلا", "PER")]
    # A word another mention took is no name, quoted or not.
    assert _found("قال الرئيس « جين دو » أمس") == [("جين دو", "PER")]
    assert _found("قال الرئيس ، نيلسون") == []



def test_listed_names_of_one_word_and_more_are_read_as_before():
    # The gazetteer loop's paths: a one-word place (taken: the loc-head rule does not
    # read it again), a one-word person before a nisba (no mention), a listed place with
    # its place noun (named without it, its own id kept), a listed person after a title.
    entries = [
        Entry("loc:mashhad", "LOC", "مدينة مشهد"),
        Entry("loc:iraq", "LOC", "العراق"),
        Entry("per:assad", "PER", "الأسد"),
        Entry("per:hamad", "PER", "الشيخ حمد بن خليفة"),
    ]
    extractor = EntityExtractor(Gazetteer({e.id: e for e in entries}))
    text = "زار مدينة مشهد ومدينة العراق ثم الأسد الآسيوي والشيخ حمد بن خليفة"
    found = [(m.surface, m.id, m.rule) for m in extractor.extract([("text", text)])]
    assert found == [
        ("مشهد", "loc:mashhad", "gazetteer"),
        ("العراق", "loc:iraq", "gazetteer"),
        ("حمد بن خليفة", "per:x:حمد-بن-خليفه", "gazetteer"),
    ]
