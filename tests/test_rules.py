"""The rules beyond the gazetteer, each with a sentence it fixes."""

from pathlib import Path

import pytest

from newsarchive.entities.extract import EntityExtractor
from newsarchive.entities.gazetteer import Entry, Gazetteer
from newsarchive.entities.rules import RULES_DIR, load_words, shipped_words


def found(text: str, *entries: Entry, **lists) -> list[tuple[str, str, str]]:
    extractor = EntityExtractor(Gazetteer({e.id: e for e in entries}), **lists)
    mentions = extractor.extract([("text", text)])
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    return [(m.surface, m.type, m.rule) for m in mentions]


def test_rule_lists_are_data_files_in_the_match_form(tmp_path):
    for name in ("first_names", "org_heads", "loc_heads"):
        assert (RULES_DIR / f"{name}.txt").is_file()
        assert shipped_words(name)
    path = tmp_path / "w.txt"
    path.write_text("# comment\nأحمد إبراهيم  # trailing comment\n", encoding="utf-8")
    assert load_words(path) == {"احمد", "ابراهيم"}


def test_a_first_name_and_an_unlisted_family_name_are_a_person():
    assert found("وقال محمد مرسي إن الاتفاق قريب") == [("محمد مرسي", "PER", "first-name")]


def test_the_first_name_rule_leaves_the_clitic_out_of_the_span():
    assert found("التقى الوفد ومحمد مرسي") == [("محمد مرسي", "PER", "first-name")]


def test_a_nisba_family_name_ends_a_person():
    assert found("وصرح نوري المالكي للصحفيين") == [("نوري المالكي", "PER", "first-name")]


def test_ibn_chains_are_part_of_the_name():
    assert found("زار سعد بن أبي وقاص المدينة")[0][:2] == ("سعد بن أبي وقاص", "PER")


def test_a_kunya_alone_is_not_a_person_but_with_a_name_it_is():
    assert found("وصل أبو في") == []
    assert found("قال أبو مازن إن")[0][:2] == ("أبو مازن", "PER")


def test_a_role_word_ends_a_name():
    name_words = ["انان", "الامين"]
    assert found("وقال كوفي انان الامين العام", name_words=name_words)[0][0] == "كوفي انان"


def test_a_listed_person_takes_an_unlisted_family_name():
    muhammad = Entry("per:m", "PER", "محمد")
    assert found("وقال محمد مرسي", muhammad) == [("محمد مرسي", "PER", "first-name")]


def test_learnt_first_names_extend_the_shipped_list():
    assert found("قال فريدون بامتد إن") == []
    assert found("قال فريدون بامتد إن", first_names=["فريدون"])[0][0] == "فريدون بامتد"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وقال حزب الله إن", "حزب الله"),
        ("اجتمع مجلس الأمن الدولي أمس", "مجلس الأمن الدولي"),
        ("وقررت جامعة الدول العربية", "جامعة الدول العربية"),
    ],
)
def test_an_organization_head_noun_takes_the_definite_words_after_it(text, name):
    assert found(text) == [(name, "ORG", "org-head")]


def test_an_organization_head_noun_alone_is_nothing():
    assert found("أعلن حزب جديد قيامه") == []


def test_a_place_after_a_place_noun_is_a_location_without_the_noun():
    assert found("وصل إلى مدينة مشهد أمس") == [("مشهد", "LOC", "loc-head")]


def test_an_adjective_after_a_place_noun_is_not_a_place():
    assert found("في منطقة معينة") == []
    assert found("في مدينة كبيرة") == []


def test_a_stoplist_silences_a_listed_name_and_a_rule():
    bilad = Entry("loc:b", "LOC", "بلاد")
    assert found("بلاد الشام", bilad, stoplist=["بلاد"]) == []
    assert found("قال محمد مرسي", stoplist=["محمد مرسي"]) == []


def test_data_dir_lists_have_no_duplicates_across_files():
    heads = shipped_words("org_heads") & shipped_words("loc_heads")
    assert not heads, heads
    assert Path(RULES_DIR).name == "rules"


def test_a_learnt_common_word_ends_a_name():
    text = "وقال أوليفر كرومول استطاع أن"
    names = found(text, first_names=["أوليفر"], common_words=["استطاع"])
    assert names == [("أوليفر كرومول", "PER", "first-name")]
    assert found("قال الرئيس شافيز مواقفه", common_words=["مواقفه"])[0][0] == "شافيز"


def test_a_family_name_may_start_with_seen():
    # A bare س starts names; only سي/ست/سن start imperfect verbs ("سيزور").
    assert found("وقال محمد سلماوي إنه") == [("محمد سلماوي", "PER", "first-name")]
    assert found("قال محمد سيزور") == [("محمد", "PER", "first-name")]


def test_a_weak_first_name_is_a_person_only_with_a_name_after_it():
    assert found("ولد ألبرت أينشتاين في", weak_first_names=["ألبرت"])[0][0] == "ألبرت أينشتاين"
    assert found("كان ألبرت في", weak_first_names=["ألبرت"]) == []


def test_a_listed_person_is_named_without_the_title_the_list_gives():
    hamad = Entry("per:h", "PER", "الشيخ حمد بن خليفة")
    assert found("واستقبل الشيخ حمد بن خليفة الوفد", hamad)[0][:2] == ("حمد بن خليفة", "PER")


def test_unseen_words_after_a_nationality_or_a_saying_verb_are_a_person():
    vocabulary = ["وقال", "إن", "بفوزه", "على", "الفرنسي", "في", "المباراة"]
    text = "بفوزه على الفرنسي أرنو كليمان في المباراة"
    assert found(text, vocabulary=vocabulary) == [("أرنو كليمان", "PER", "unseen")]
    assert found("وقال فيرجسون إن", vocabulary=vocabulary) == [("فيرجسون", "PER", "unseen")]
    assert found(text) == []  # no vocabulary, no rule


SABRI = Entry("per:sabri", "PER", "صبري")
BUSH = Entry("per:bush", "PER", "بوش")


def test_a_given_name_before_a_listed_surname_joins_the_person():
    assert found("قال سمير صبري إن العرض", SABRI) == [("سمير صبري", "PER", "first-name")]


def test_the_father_before_an_ibn_chain_joins_it():
    text = "ورفض معاوية بن أبي سفيان البيعة"
    lists = {"first_names": [], "name_words": []}
    assert found(text, Entry("per:x", "PER", "بن أبي سفيان"), **lists) == [
        ("معاوية بن أبي سفيان", "PER", "first-name")
    ]


def test_a_listed_surname_takes_no_unknown_word_after_it():
    assert found("ان يلقي بوش خطابا الخميس", BUSH) == [("بوش", "PER", "gazetteer")]


def test_a_stopped_listed_word_leaves_it_to_the_person_rules():
    abduh = Entry("loc:abduh", "LOC", "عبده")
    assert found("الراحل الشيخ محمد عبده", abduh)[0][:2] != ("محمد عبده", "PER")
    assert found("الراحل الشيخ محمد عبده", abduh, stoplist=["عبده"]) == [
        ("محمد عبده", "PER", "title")
    ]
