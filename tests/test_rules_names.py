"""Person-name rules added for issue 4, each with a sentence it fixes (own sentences)."""

from newsarchive.entities.evaluate import Sentence
from newsarchive.entities.extract import EntityExtractor
from newsarchive.entities.gazetteer import Entry, Gazetteer
from newsarchive.entities.learn import NameShape, learn_name_shape, learn_names
from newsarchive.entities.matcher import tokenize
from newsarchive.entities.rules import NameShapedRule


def found(text: str, *entries: Entry, **lists) -> list[tuple[str, str]]:
    extractor = EntityExtractor(Gazetteer({e.id: e for e in entries}), **lists)
    return [(m.surface, m.type) for m in extractor.extract([("text", text)])]


def test_a_conjunction_and_a_known_name_start_a_second_person():
    bush = Entry("per:b", "PER", "بوش")
    lists = {"name_words": ["بلير"]}
    assert found("واتفق بوش وبلير على الخطة", bush, **lists) == [("بوش", "PER")]


def test_a_regnal_number_is_part_of_the_name():
    assert found("استقبل الوفد فرديناند الثالث عشر أمس", first_names=["فرديناند"]) == [
        ("فرديناند الثالث عشر", "PER")
    ]
    assert found("وصل جورج الخامس إلى المدينة")[0] == ("جورج الخامس", "PER")


def test_ali_after_bin_is_the_name_not_the_preposition():
    assert found("وخطب الحسين بن علي في الناس", first_names=["الحسين"])[0] == (
        "الحسين بن علي", "PER"
    )


def test_the_word_before_bin_starts_the_chain_even_when_unlisted():
    # "موسى" is a listed person; "نزيه" is no listed name, "بن" makes it the son's.
    musa = Entry("per:m", "PER", "موسى")
    assert found("وقال نزيه بن موسى إن الاجتماع انتهى", musa)[0] == ("نزيه بن موسى", "PER")


def test_a_known_word_with_a_proclitic_is_no_family_name():
    vocabulary = ["ارتكاب", "قال", "الرجل"]
    assert found("اتهم سمير بارتكاب مخالفة", vocabulary=vocabulary) == [("سمير", "PER")]
    assert found("اتهم سمير قنطاري بمخالفة", vocabulary=vocabulary)[0] == ("سمير قنطاري", "PER")


def _sentences() -> list[Sentence]:
    rows = [
        ("قال كارافينو إن الفريق فاز", "O B-PER O O O"),
        ("وأكد ماتيلارو أن المباراة صعبة", "O B-PER O O O"),
        ("ولعب فيرانو مع بوكارو", "O B-PER O B-PER"),
        ("وقال اللاعبون إنهم سعداء بالفوز", "O O O O O"),
        ("وأعلنت الحكومة عزمها تقديم المساعدة", "O O O O O"),
        ("وزادت الشركة أرباحها وصادراتها", "O O O O"),
    ]
    return [Sentence(t.split(), g.split()) for t, g in rows]


def test_the_name_shape_is_learnt_from_the_letters_of_names_and_other_words():
    shape = learn_name_shape(_sentences())
    assert isinstance(shape, NameShape)
    assert shape.score("سانتارو") > shape.score("ميزانيتها")
    assert shape.looks_like_name("كالينو")
    assert not shape.looks_like_name("وصادراتهم")


def test_a_name_shaped_unseen_word_written_twice_is_a_person():
    vocabulary = frozenset({"انضم", "الي", "الفريق", "وقال", "المدرب", "ان", "جاهز"})
    rule = NameShapedRule(vocabulary, score=lambda w: 9.0 if w.endswith("و") else -9.0)
    text = "انضم كانافارو الي الفريق وقال المدرب ان كانافارو جاهز"
    tokens = tokenize(text)
    spans = [(f.first, f.last) for f in rule.find(text, tokens, set())]
    assert [tokens[i].text for i, _ in spans] == ["كانافارو", "كانافارو"]
    once = "انضم كانافارو الي الفريق"
    assert rule.find(once, tokenize(once), set()) == []  # a name is said more than once


def test_learnt_names_leave_a_leading_conjunction_to_the_matcher():
    sentences = [
        Sentence("التقى بلير الوفد".split(), "O B-PER O".split()),
        Sentence("قال بوش وبلير".split(), "O B-PER B-PER".split()),
        Sentence("وصل وليد".split(), "O B-PER".split()),
    ]
    names = {e.name for e in learn_names(sentences)}
    assert "بلير" in names and "وبلير" not in names
    assert "وليد" in names  # "ليد" starts no name: the و is the name's own


def test_errors_are_classed_by_how_the_prediction_went_wrong():
    from newsarchive.entities.evaluate import error_classes

    gold = [Sentence("قال جون سميث في لندن أمس".split(), "O B-PER I-PER O B-LOC O".split())]
    predicted = [["O", "B-PER", "O", "O", "B-ORG", "B-PER"]]
    classes = {k: len(v) for k, v in error_classes(gold, predicted).items()}
    assert classes == {("too short", "PER"): 1, ("as ORG", "LOC"): 1,
                       ("false positive", "PER"): 1}


def test_a_kunya_and_a_name_is_a_person():
    vocabulary = ["واستخلف", "عليها", "لقب", "الالكترون", "اشتهر"]
    assert found("واستخلف عليها أبا هريرة .", vocabulary=vocabulary) == [("أبا هريرة", "PER")]
    # A definite common word after it makes a nickname, not a person.
    assert found("اشتهر بلقب أبو الإلكترون", vocabulary=vocabulary) == []


def test_a_learnt_stoplist_stops_a_place_read_inside_a_word_with_a_proclitic():
    from newsarchive.entities.learn import learn_stoplist

    # "بلاط" (a royal court) reads as "ب" + the listed place "لاط"; the corpus never tags it.
    lat = Entry("loc:l", "LOC", "لاط")
    sentences = [
        Sentence("سافر الى بلاط الملك".split(), "O O O O".split()),
        Sentence("وعاد من بلاط القصر".split(), "O O O O".split()),
    ]
    extractor = EntityExtractor(Gazetteer({lat.id: lat}))
    assert [m.surface for m in extractor.extract([("t", "زار بلاط السلطان")])] == ["لاط"]
    stoplist = learn_stoplist(sentences, extractor.extract)
    assert ("لاط",) in stoplist
    stopped = EntityExtractor(Gazetteer({lat.id: lat}), stoplist=stoplist)
    assert stopped.extract([("t", "زار بلاط السلطان")]) == []


def test_a_title_name_ends_before_a_conjunction_and_a_known_name():
    assert found("حضر اللقاء السيد تامر حسني وأحمد فؤاد أمس")[:1] == [("تامر حسني", "PER")]


def test_learnt_given_names_are_counted_without_a_leading_conjunction():
    from newsarchive.entities.learn import learn_name_words

    rows = [
        ("فاز سمير كامل ووائل حسني", "O B-PER I-PER B-PER I-PER"),
        ("وصل وائل رمزي", "O B-PER I-PER"),
        ("ووائل جمعة ووائل سمير", "B-PER I-PER B-PER I-PER"),
    ]
    first, _ = learn_name_words([Sentence(t.split(), g.split()) for t, g in rows])
    assert "وايل" in first and "ووايل" not in first


def test_a_nisba_after_a_title_and_a_name_is_the_family_name_even_if_a_common_adjective():
    vocabulary = ["السويدي", "الوفد", "نايب", "الرييس"]
    assert found("استقبل الوفد السيد فيصل السويدي نائب الرئيس", vocabulary=vocabulary)[0] == (
        "فيصل السويدي", "PER"
    )


def test_a_known_word_with_a_proclitic_after_a_title_is_no_name():
    vocabulary = ["تشكيل", "لجنه", "وافق"]
    assert found("وافق الرئيس بتشكيل لجنة جديدة", vocabulary=vocabulary) == []
    assert found("وافق الرئيس بشير على تشكيل لجنة", vocabulary=vocabulary)[0] == ("بشير", "PER")
