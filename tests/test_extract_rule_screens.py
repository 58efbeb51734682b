"""``extract``'s rules loop (issue 4, speed round eleven) calls a rule only when the field's
screened words meet the words its ``find`` looks for first, and leaves out the unseen-word
rules that are off without learnt lists: what it spares must find nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.arabic.normalize import match_form, normalize
from newsarchive.entities.extract import EntityExtractor
from newsarchive.entities.gazetteer import Gazetteer
from newsarchive.entities.matcher import tokenize

# An extractor with every learnt list, so that all nine rules run.
_NAMES = ("كافو", "يوريس", "ماتيينسن", "مينغ")
_LEARNT = EntityExtractor(
    # A cue is a word seen outside names: in the vocabulary ("رفقة" is also a given name).
    Gazetteer({}), vocabulary=["قال", "في", "واحدة", "كبيرة", "وصل", "اليوم", "برفقة", "اللاعب"],
    person_cues=["اللاعب", "برفقة"], name_score=lambda word: 6.0 if word in _NAMES else -10.0,
)
_PLAIN = EntityExtractor(Gazetteer({}))

# Titles, given names, head nouns of bodies and places, family nouns, cues, each also behind
# a clitic, and words that trigger nothing (seen or unseen).
WORDS = ["الرئيس", "والرئيس", "الشيخ", "محمد", "ومحمد", "حسني", "مبارك", "حزب", "الله",
         "وزارة", "الخارجية", "مدينة", "لمدينة", "مشهد", "عائلة", "أسرة", "مينغ", "اللاعب",
         "كافو", "برفقة", "قال", "في", "واحدة", "كبيرة", "برلسكوني", "يوريس", "ماتيينسن", "،"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=10),
       st.sets(st.integers(0, 9), max_size=3))
def test_a_rule_whose_words_the_screened_hits_miss_finds_nothing(words, taken):
    text = match_form(normalize(" ".join(words))).text
    for extractor in (_LEARNT, _PLAIN):
        tokens = tokenize(text)
        tokens.screen(extractor._screen)
        hits = tokens.screened[1]
        for _kind, _name, rule, wanted in extractor._rules:
            if wanted is not None and hits.isdisjoint(wanted):
                assert rule.find(text, tokens, {i for i in taken if i < len(tokens)}) == []


def test_with_learnt_lists_every_rule_runs_in_order():
    ex = _LEARNT
    assert [rule for _kind, _name, rule, _wanted in ex._rules] == [
        ex.title_rule, ex.press_rule, ex.org_rule, ex.person_rule, ex.loc_rule, ex.unseen_rule,
        ex.cued_rule,
        ex.family_rule, ex.run_rule, ex.shape_rule,
    ]
    # The rules of unseen words read every word: no screen spares them.
    assert [wanted is None for *_, wanted in ex._rules].count(True) == 3


def test_without_learnt_lists_the_unseen_word_rules_left_out_find_nothing():
    ex = _PLAIN
    run = [rule for _kind, _name, rule, _wanted in ex._rules]
    left_out = [ex.unseen_rule, ex.cued_rule, ex.run_rule, ex.shape_rule]
    assert not any(rule in run for rule in left_out)
    text = match_form(normalize("قال اللاعب كافو إن يوريس ماتيينسن فاز")).text
    for rule in left_out:
        assert rule.find(text, tokenize(text), set()) == []


def test_the_unseen_word_rules_still_find_their_names_through_extract():
    for text, name in [("وصل برفقة كافو اليوم", "كافو"),  # after a cue
                       ("وصل يوريس ماتيينسن اليوم", "يوريس ماتيينسن")]:  # a run, anywhere
        found = _LEARNT.extract([("text", text)])
        assert [(m.surface, m.rule) for m in found] == [(name, "unseen")]
