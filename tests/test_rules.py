"""The rules beyond the gazetteer, each with a sentence it fixes."""

from pathlib import Path

import pytest

from newsarchive.arabic.normalize import normalize
from newsarchive.entities.extract import EntityExtractor
from newsarchive.entities.gazetteer import Entry, Gazetteer
from newsarchive.entities.matcher import Token, tokenize
from newsarchive.entities.rules import (
    RULES_DIR,
    CuedNameRule,
    HeadNounRule,
    PersonNameRule,
    TitleRule,
    UnseenNamesRule,
    load_words,
    shipped_words,
)


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
    assert found("ولد إدغار أينشتاين في", weak_first_names=["إدغار"])[0][0] == "إدغار أينشتاين"
    assert found("كان إدغار في", weak_first_names=["إدغار"]) == []


def test_a_listed_person_is_named_without_the_title_the_list_gives():
    hamad = Entry("per:h", "PER", "الشيخ حمد بن خليفة")
    assert found("واستقبل الشيخ حمد بن خليفة الوفد", hamad)[0][:2] == ("حمد بن خليفة", "PER")


def test_unseen_words_after_a_nationality_or_a_saying_verb_are_a_person():
    vocabulary = ["وقال", "إن", "بفوزه", "على", "الفرنسي", "في", "المباراة"]
    text = "بفوزه على الفرنسي أرنو كليمان في المباراة"
    assert found(text, vocabulary=vocabulary) == [("أرنو كليمان", "PER", "unseen")]
    assert found("وقال فيرجسون إن", vocabulary=vocabulary) == [("فيرجسون", "PER", "unseen")]
    assert found(text) == []  # no vocabulary, no rule


def test_no_rule_finds_a_word_written_with_a_tanween():
    # A tanween marks a word indefinite: "وقال مبتسماً" is "he said, smiling", though the
    # vocabulary never saw the word. A listed name keeps its mention ("مصرٌ" in verse).
    vocabulary = ["وقال", "إن", "الرئيس"]
    assert found("وقال مبتسما إن", vocabulary=vocabulary) == [("مبتسما", "PER", "unseen")]
    assert found("وقال مبتسماً إن", vocabulary=vocabulary) == []
    egypt = Entry("loc:eg", "LOC", "مصر")
    assert found("وقال مبتسماً إن مصرٌ", egypt, vocabulary=vocabulary) == [
        ("مصرٌ", "LOC", "gazetteer")
    ]


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


def test_with_a_vocabulary_a_given_name_takes_an_unseen_definite_family_name():
    seen = ["وزير", "الخارجية", "السعودي", "بعد", "رؤيته"]
    text = "وزير الخارجية السعودي سعود الفيصل بعد"
    assert found(text, first_names=["سعود"], vocabulary=seen)[0][0] == "سعود الفيصل"
    # A word seen outside names is no family name: "محمد رؤيته" is محمد.
    assert found("وقال محمد رؤيته", vocabulary=seen)[0][0] == "محمد"
    assert found("وقال محمد رؤيته")[0][0] == "محمد رؤيته"  # without one, any bare word


def test_with_a_vocabulary_a_weak_given_name_seen_outside_names_starts_nothing():
    text = "وقال الخبير الاقتصادي إن هيرمان أينشتاين"
    lists = {"weak_first_names": ["الخبير", "هيرمان"], "vocabulary": ["الخبير", "إن"]}
    assert [m[0] for m in found(text, **lists)] == ["هيرمان أينشتاين"]


def test_with_a_vocabulary_a_title_is_followed_by_no_word_seen_outside_names():
    seen = ["يعلم", "فصرح", "واشنطن"]
    assert found("وكان الملك يعلم أن", vocabulary=seen) == []
    text = "أما الوزير نيكولا ساركوزي فصرح في واشنطن"
    assert found(text, vocabulary=seen)[0][0] == "نيكولا ساركوزي"
    assert found("وكان الملك يعلم أن")[0][0] == "يعلم"  # without one, the old reading


def test_weak_heads_switch_off_an_organization_head_noun():
    text = "وقالت وزارة الخارجية إن حزب الاستقلال"
    assert [m[0] for m in found(text)] == ["وزارة الخارجية", "حزب الاستقلال"]
    assert [m[0] for m in found(text, weak_heads=["وزارة"])] == ["حزب الاستقلال"]


def test_an_unseen_word_after_a_learnt_person_cue_is_a_person():
    # (A learnt cue that no title list holds: "الحارس" is a shipped role, person_roles.txt.)
    seen = ["ولد", "في", "مدينة", "الشاب", "سجل", "هدفا"]
    lists = {"vocabulary": seen, "person_cues": ["ولد", "الشاب"]}
    assert found("ولد أينشتاين في مدينة أولم", **lists)[0] == ("أينشتاين", "PER", "unseen")
    # The unseen words after the first are the rest of the name; a seen word ends it.
    assert found("سجل الشاب صامويل إيتو هدفا", **lists) == [("صامويل إيتو", "PER", "unseen")]
    assert found("ولد أينشتاين في مدينة", vocabulary=seen) == []  # no cue, no rule
    assert found("ولد في مدينة", **lists) == []  # a seen word after a cue is no name


def test_persons_side_by_side_are_one_person_unless_a_conjunction_parts_them():
    hamad, muhammad = Entry("per:h", "PER", "حمد"), Entry("per:m", "PER", "محمد")
    lists = {"first_names": [], "name_words": []}
    assert found("وقال حمد محمد إن", hamad, muhammad, **lists) == [
        ("حمد محمد", "PER", "first-name")
    ]
    tony = Entry("per:t", "PER", "بلير")
    assert [m[0] for m in found("التقى بوش وبلير", BUSH, tony, **lists)] == ["بوش", "بلير"]


def test_a_one_word_name_found_by_its_cue_is_found_again_later_without_one():
    lists = {"vocabulary": ["ولد", "في", "عام", "وكان", "طفلا"], "person_cues": ["ولد"]}
    text = "ولد أينشتاين في عام وكان أينشتاين طفلا"
    assert found(text, **lists) == [("أينشتاين", "PER", "unseen"), ("أينشتاين", "PER", "partial")]


def test_rules_screen_their_trigger_words_with_clitics_on_them_from_tokens_or_a_list():
    # Each rule looks only where its words (or their written forms, "ولمحمد") are: a plain
    # token list gives what tokenize's Tokens (with the word set) give, and nothing is missed.
    text = normalize(
        "وقال ولمحمد مرسي إن وبمجلس الأمن الدولي زار مدينة مشهد وقال أرنو كليمان "
        "ثم اللاعب كافو ومحمد"
    )
    tokens = tokenize(text)
    plain = [Token(t.text, t.start, t.end) for t in tokens]
    # Every word but the transliterated names has been seen outside a name.
    vocabulary = frozenset(tokens.words) - {normalize(w) for w in "أرنو كليمان كافو".split()}
    rules = {
        "org": HeadNounRule(shipped_words("org_heads"), include_head=True),
        "loc": HeadNounRule(shipped_words("loc_heads"), include_head=False),
        "per": PersonNameRule(shipped_words("first_names")),
        "unseen": UnseenNamesRule(vocabulary),
        "cued": CuedNameRule(frozenset({"اللاعب"}), vocabulary),
    }
    words = {}
    for name, rule in rules.items():
        spans = rule.find(text, tokens, set())
        assert spans == rule.find(text, plain, set())
        words[name] = [" ".join(t.text for t in tokens[s.first : s.last + 1])[s.skip :]
                       for s in spans]
    assert words["org"] == [normalize("مجلس الأمن الدولي")]
    assert words["loc"] == [normalize("مشهد")]
    assert words["per"] == [normalize("محمد مرسي"), normalize("محمد")]
    assert words["unseen"] == [normalize("أرنو كليمان")]
    assert words["cued"] == [normalize("كافو")]


def test_a_place_noun_does_not_make_a_place_of_a_word_seen_outside_names():
    # "ميناء تجاري" is a commercial port and "بلدة مما" a town "which": with a learnt
    # vocabulary (words seen outside names) only the unseen word after the noun is a place.
    text = normalize("رست في ميناء تجاري ثم في ميناء صحار وغمرت الحمم بلدة مما أسفر عن قتلى")
    tokens = tokenize(text)
    heads = shipped_words("loc_heads")
    seen = frozenset(normalize(w) for w in "رست في ثم تجاري مما أسفر عن قتلى".split())

    def places(rule: HeadNounRule) -> list[str]:
        return [tokens[s.first].text for s in rule.find(text, tokens, set())]

    assert places(HeadNounRule(heads, include_head=False, vocabulary=seen)) == ["صحار"]
    assert places(HeadNounRule(heads, include_head=False)) == ["تجاري", "صحار", "مما"]


def test_person_rules_read_a_plain_token_list_as_they_read_tokenize_s_tokens():
    # The person rules read Tokens' word and offset lists, not a Token per index; a plain
    # list of Token (tests, older callers) must give the same names, chains and titles.
    text = normalize("قال الرئيس الأمريكي دونالد ترامب إن سمير صبري وسهل بن حنيف ومحمد بن سلمان")
    tokens = tokenize(text)
    plain = [Token(t.text, t.start, t.end) for t in tokens]
    rule = PersonNameRule(shipped_words("first_names"))
    title = TitleRule()
    at = {t.text: i for i, t in enumerate(tokens)}
    for given in (tokens, plain):
        assert [(s.first, s.last) for s in title.find(text, given, set())] == [(3, 4)]
        assert rule.extend_left(text, given, at[normalize("صبري")], set()) == at["سمير"]
        chain = rule.extend_left(text, given, at["حنيف"], {at[normalize("صبري")]})
        assert chain == at["وسهل"]  # "بن" joins even a word that is no listed name
        assert rule.extend_left(text, given, at["حنيف"], {at["حنيف"] - 1}) == at["حنيف"]
        assert rule.extend(text, given, at["ومحمد"], set(), open_tail=True) == len(tokens) - 1
