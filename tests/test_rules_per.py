"""Person rules of the PER-quality work (issue 4), each on a sentence of our own."""

from newsarchive.entities.extract import EntityExtractor
from newsarchive.entities.gazetteer import Entry, Gazetteer
from newsarchive.entities.matcher import tokenize
from newsarchive.entities.rules import NameShapedRule, UnseenNamesRule, UnseenRunRule


def found(text: str, *entries: Entry, **lists) -> list[tuple[str, str]]:
    extractor = EntityExtractor(Gazetteer({e.id: e for e in entries}), **lists)
    return [(m.surface, m.type) for m in extractor.extract([("text", text)])]


def _words(rule, text: str) -> list[str]:
    tokens = tokenize(text)
    return [" ".join(t.text for t in tokens[f.first : f.last + 1])
            for f in rule.find(text, tokens, set())]


def test_a_word_written_three_times_needs_less_of_a_name_shape():
    vocabulary = frozenset({"قال", "ان", "الطب", "درس", "ثم", "عاد", "الي", "فيينا"})
    rule = NameShapedRule(vocabulary, score=lambda w: 3.0 if w == "فرويد" else -9.0)
    twice = "قال فرويد ان الطب درس فرويد"
    assert _words(rule, twice) == []  # 3.0 is below the threshold of a word said twice
    thrice = twice + " ثم عاد فرويد الي فيينا"
    assert _words(rule, thrice) == ["فرويد"] * 3


def test_a_conjunction_word_is_no_family_name():
    assert found("جرى حوار بين صبري وعنان في بغداد", first_names=["صبري"]) == [
        ("صبري", "PER")
    ]
    # A listed name word that starts with و is still a family name.
    assert found("التقى سمير وهبة بالوفد", first_names=["سمير"], name_words=["وهبة"]) == [
        ("سمير وهبة", "PER")
    ]


def test_given_names_take_an_unlisted_family_name_after_them():
    lists = {"first_names": ["جان", "بيير", "صدام", "حسين"], "vocabulary": ["قال", "يشكل"]}
    assert found("وقال جان بيير رافاران إن", **lists) == [("جان بيير رافاران", "PER")]
    assert found("وقال صدام حسين يشكل", **lists) == [("صدام حسين", "PER")]
    # Without a vocabulary nothing tells a family name from a verb after two given names.
    assert found("وقال صدام حسين يشكل", first_names=["صدام", "حسين"]) == [("صدام حسين", "PER")]


def test_a_listed_one_word_person_takes_an_unseen_name_shaped_word():
    kim = Entry("per:k", "PER", "كيم")
    vocabulary = ["وصف", "الهجوم", "بانه", "عشوائي"]
    text = "وصف كيم هاولز الهجوم بانه عشوائي"
    shape = {"vocabulary": vocabulary, "name_score": lambda w: 5.0 if w == "هاولز" else -5.0}
    assert found(text, kim) == [("كيم", "PER")]  # no vocabulary: a surname alone
    assert found(text, kim, **shape) == [("كيم هاولز", "PER")]
    # An unseen word that does not look like a name is none ("زيدان اعتزل").
    assert found("وصف كيم اعتزاله الهجوم", kim, **shape) == [("كيم", "PER")]


def test_the_son_before_bin_joins_a_name_a_rule_read_from_bin():
    # A learnt list of given names holds "بن" ("بن لادن" starts a person).
    text = "ورفض معاوية بن أبي سفيان البيعة"
    assert found(text, first_names=["بن"])[0] == ("معاوية بن أبي سفيان", "PER")


def test_two_unseen_name_shaped_words_in_a_row_are_a_person():
    vocabulary = frozenset({"مع", "اعلان", "رييس", "لجنه", "الدفاع", "جلسات", "انضم",
                            "الي", "الفريق", "اعلنت", "شركه", "ان"})
    names = {"دونكان", "هانتر", "كانافارو", "وايمرسون", "فيتش", "ريتنغز"}
    rule = UnseenRunRule(vocabulary, names.__contains__, heads=frozenset({"شركه"}))
    assert _words(rule, "مع اعلان رييس لجنه الدفاع ، دونكان هانتر ، جلسات") == [
        "دونكان هانتر"
    ]
    assert _words(rule, "انضم كانافارو وايمرسون الي الفريق") == []  # a list of two
    assert _words(rule, "اعلنت شركه فيتش ريتنغز ان") == []  # a body after its head noun
    assert UnseenRunRule(frozenset(), names.__contains__).find("دونكان هانتر", [], set()) == []


def test_a_regnal_number_makes_a_monarch_of_a_name_that_is_also_a_word():
    vocabulary = ["الحسن", "الاول", "زار", "مسجد", "الملك", "ابن"]
    lists = {"weak_first_names": ["الحسن"], "common_words": ["الاول"], "vocabulary": vocabulary}
    assert found("زار الوفد مسجد الحسن الثاني", **lists) == [("الحسن الثاني", "PER")]
    assert found("زار الوفد مسجد الحسن", **lists) == []  # the good, without the number
    assert found("وهو ابن الملك جيمس الأول", **lists) == [("جيمس الأول", "PER")]


def test_a_person_after_a_conjunction_is_not_merged_with_the_one_before():
    vocabulary = ["يقوم", "ببطولته", "كل", "من", "الفيلم"]
    names = {"ساندلر", "وكيت", "كيت", "بيكنسيل"}  # كيت: as the learnt score has it (+7)
    lists = {"first_names": ["ادم"], "vocabulary": vocabulary,
             "name_score": lambda w: 5.0 if w in names else -5.0}
    assert found("يقوم ببطولته كل من ادم ساندلر وكيت بيكنسيل", **lists) == [
        ("ادم ساندلر", "PER"), ("وكيت بيكنسيل", "PER")
    ]


def test_a_family_name_that_starts_like_a_verb_needs_a_name_shape():
    vocabulary = ["انتقل", "الي", "النادي", "البرازيلي"]
    text = "انتقل كارلوس تيفيز الي النادي"
    lists = {"first_names": ["كارلوس"], "vocabulary": vocabulary}
    assert found(text, **lists) == [("كارلوس", "PER")]  # تيفيز might be a verb: no shape
    shaped = {**lists, "name_score": lambda w: 5.0 if w == "تيفيز" else -5.0}
    assert found(text, **shaped) == [("كارلوس تيفيز", "PER")]
    assert found("انتقل كارلوس يكتبون الي النادي", **shaped) == [("كارلوس", "PER")]


def test_a_european_name_reads_on_over_its_particles():
    vocabulary = ["دعا", "مندوب", "فرنسا", "مجلس", "الامن", "يريد", "قال"]
    lists = {"first_names": ["جان", "مارك", "ماركو"], "vocabulary": vocabulary,
             "name_score": lambda w: 5.0 if w in {"سابليير", "باستن"} else -5.0}
    text = "دعا مندوب فرنسا جان مارك دو لا سابليير مجلس الامن"
    assert ("جان مارك دو لا سابليير", "PER") in found(text, **lists)
    assert found("وقال ماركو فان باستن", **lists) == [("ماركو فان باستن", "PER")]
    assert found("قال ماركو لا يريد", **lists) == [("ماركو", "PER")]  # "لا" the word


def test_a_kunya_takes_a_nisba_that_is_also_an_adjective():
    lists = {"common_words": ["المصري"], "first_names": ["حمزة"]}
    assert found("وكانت خطب ابو حمزة المصري تلقى في الشارع", **lists) == [
        ("ابو حمزة المصري", "PER")
    ]


def test_a_family_name_written_as_its_initial_ends_the_name():
    assert found("وتوجه محمد ب. الى المحكمة", first_names=["محمد"]) == [("محمد ب", "PER")]
    # Also when the letter is a preposition the learnt common words hold.
    lists = {"first_names": ["محمد"], "common_words": ["ب", "ل"]}
    assert found("وتوجه محمد ب. الى المحكمة", **lists) == [("محمد ب", "PER")]


def test_a_compound_given_name_takes_a_family_name():
    abdallah = Entry("per:a", "PER", "عبد الله")
    assert found("وقال عبد الله بلخير إن", abdallah) == [("عبد الله بلخير", "PER")]


def test_latin_words_are_not_unseen_names():
    vocabulary = frozenset({"جامعه", "برلين", "الحره"})
    rule = UnseenRunRule(vocabulary, lambda w: True)
    assert _words(rule, "جامعه برلين الحره ( Free University )") == []
    assert _words(rule, "جامعه برلين الحره دونكان هانتر") == ["دونكان هانتر"]


def test_an_inflection_of_a_known_word_is_no_family_name():
    from newsarchive.entities.rules import _inflection_of_known

    vocabulary = frozenset({"كتب", "تقوم", "برنامج", "قدم", "الشعر", "عمره"})
    assert _inflection_of_known("يكتب", vocabulary)  # the verb's stem is known
    assert _inflection_of_known("يقوم", vocabulary)  # another person of it is
    assert _inflection_of_known("برنامجا", vocabulary)  # an accusative of a known noun
    assert not _inflection_of_known("تيفيز", vocabulary)
    assert not _inflection_of_known("سولانا", vocabulary)
    lists = {"first_names": ["نزار", "مها"], "vocabulary": vocabulary}
    # Before the rule both read on into the word after the given name.
    assert found("بدا نزار يكتب الشعر وعمره 16 سنه", **lists) == [("نزار", "PER")]
    assert found("قدمت مها برنامجا", **lists) == [("مها", "PER")]
    assert found("قدمت مها رافاران برنامجا", **lists) == [("مها رافاران", "PER")]


def test_a_name_after_a_title_stops_before_an_inflected_word():
    lists = {"vocabulary": ["قدم", "برنامج", "حلقه"]}
    assert found("وقدم الفنان عزت برنامجا", **lists) == [("عزت", "PER")]


def test_a_lone_word_after_a_title_must_look_like_a_name():
    lists = {"vocabulary": ["قال", "للصحفيين"], "first_names": ["بوتين"],
             "name_score": lambda w: 1.0 if w == "شيراك" else -1.0}
    assert found("وقال الوزير متحمس للصحفيين", **lists) == []  # not shaped like a name
    assert found("وقال الرئيس شيراك للصحفيين", **lists) == [("شيراك", "PER")]
    assert found("وقال الرئيس بوتين للصحفيين", **lists) == [("بوتين", "PER")]  # listed
    # Without a learnt shape a lone word is a name as before.
    del lists["name_score"]
    assert found("وقال الوزير متحمس للصحفيين", **lists) == [("متحمس", "PER")]


def test_a_feminine_or_clitic_nationality_starts_an_unseen_name():
    vocabulary = frozenset({"فازت", "علي", "في", "المباراه", "سجل", "الهدف", "الاول"})
    given = {"كلير", "فرناندو"}
    scores = {"كلير": 6.0, "فرناندو": 5.0, "دوبوا": -3.0, "سيلفا": -1.0}
    rule = UnseenNamesRule(vocabulary, given.__contains__, score=lambda w: scores.get(w, -20.0))
    # "الفرنسيه" (feminine) and "والبرازيلي" (with "و") are cues; the family name after a
    # name-shaped given name needs only a score above the tail threshold.
    assert _words(rule, "فازت الفرنسيه كلير دوبوا في المباراه") == ["كلير دوبوا"]
    assert _words(rule, "سجل الهدف الاول والبرازيلي فرناندو سيلفا") == ["فرناندو سيلفا"]
    # A word that scores low, or "و" + a word, is no family name: one word is too few.
    assert _words(rule, "سجل الهدف البرازيلي فرناندو وسكنت الكره") == []
    assert _words(rule, "فازت الفرنسيه كلير مزرعه") == []


def test_an_ordinal_is_no_nationality_cue():
    rule = UnseenNamesRule(frozenset({"القرار", "استخدام"}), lambda w: True)
    assert _words(rule, "القرار الثاني فيجيز صراحه استخدام") == []
    assert _words(rule, "القرار الياباني فيجيز صراحه استخدام") == ["فيجيز صراحه"]


def test_the_next_person_of_a_list_takes_a_family_name_that_is_also_a_word():
    # A learnt stoplist drops "حسن" alone (an adjective too), which leaves it to the list.
    lists = {"first_names": ["محمد", "صلاح", "حسن"], "vocabulary": ["نجمي", "جوار", "الى"],
             "stoplist": ["حسن"]}
    text = "الى جوار محمد بنطلحة وصلاح بوسريف وحسن نجمي ."
    assert found(text, **lists)[-1] == ("حسن نجمي", "PER")
    # Not after a place: no list of persons, and نجمي is a word ("my star").
    assert found("الى جوار القاهرة وحسن نجمي .", **lists) == []


def test_a_list_neighbour_needs_a_given_name_or_a_name_shaped_word():
    lists = {"first_names": ["محمد"], "weak_first_names": ["نجم"],
             "vocabulary": ["نجم", "الفريق", "انجب", "التقى"],
             "name_score": lambda w: 9.0 if w == "اولميرت" else -9.0}
    # A weak given name that is a word too, alone: "and the star of the team".
    assert found("التقى محمد بنطلحة ونجم الفريق", **lists) == [("محمد بنطلحة", "PER")]
    assert found("التقى محمد بنطلحة واولميرت", **lists)[-1] == ("اولميرت", "PER")
    assert found("التقى محمد بنطلحة وانجب", **lists) == [("محمد بنطلحة", "PER")]


def test_a_listed_name_that_is_definite_is_the_name_after_a_title():
    lists = {"name_words": ["الأسد"], "common_words": ["السابق"]}
    assert found("واضاف الرئيس الأسد ان الافاق مفتوحة", **lists) == [("الأسد", "PER")]
    assert found("واضاف الرئيس السابق ان الافاق مفتوحة", **lists) == []
    assert found("واضاف الرئيس الامريكي ان الافاق مفتوحة", **lists) == []
    assert found("استقبل الملك الحسن الثاني امس", name_words=["الحسن"]) == [
        ("الحسن الثاني", "PER")
    ]


def test_roles_and_callings_are_titles():
    assert found("وقالت الشاعرة مايا أنجيلو ، إن") == [("مايا أنجيلو", "PER")]


def test_a_title_names_a_person_in_quotation_marks():
    assert found('لم تكن الدكتورة " هنريتا آب " عضو المجلس') == [("هنريتا آب", "PER")]
    assert found("قال الرئيس ( السابق ) إن") == []


def test_a_latin_name_in_brackets_after_a_person_is_the_person():
    lists = {"first_names": ["ألبرت"]}
    text = "ولد ألبرت أينشتاين ( Albert Einstein ) في ألمانيا"
    assert found(text, **lists) == [("ألبرت أينشتاين", "PER"), ("Albert Einstein", "PER")]
    # An acronym in brackets is a body, and a gloss with a number in it no name.
    assert found("قال ألبرت أينشتاين ( AFP ) إن", **lists)[-1] == ("AFP", "ORG")
    assert found("قال ألبرت أينشتاين ( Albert 1879 ) إن", **lists) == [
        ("ألبرت أينشتاين", "PER")
    ]


def test_allah_of_a_compound_given_name_is_no_title_word():
    # "الله" is a word of the title "آية الله", yet no title ends "عبد الله" before its family name.
    lists = {"first_names": ["عبد", "قاسم"], "name_words": ["الله"]}
    assert found("كما قدم عبد الله قاسم في الهجوم", **lists) == [("عبد الله قاسم", "PER")]


def test_a_given_name_written_like_a_definite_word_takes_a_family_name():
    # "أليكس" is "اليكس" in the match form: no definite family name that ends a name.
    alex = Entry("per:a", "PER", "أليكس")
    assert found("قال أليكس فيرغسون إن", alex, first_names=["أليكس"]) == [
        ("أليكس فيرغسون", "PER")
    ]
    # Nor a definite word that a title skips ("الرئيس الأمريكي …").
    assert found("وقال المدرب الإسكتلندي أليكس فيرغسون إن", first_names=["أليكس"]) == [
        ("أليكس فيرغسون", "PER")
    ]


def test_a_weak_given_name_seen_as_a_word_does_not_begin_a_found_person():
    hariri = Entry("per:h", "PER", "رفيق الحريري")
    lists = {"weak_first_names": ["الشهيد"], "vocabulary": ["الشهيد", "اغتيال", "المشهور"]}
    assert found("بعد اغتيال الشهيد رفيق الحريري .", hariri, **lists) == [
        ("رفيق الحريري", "PER")
    ]
    # Nor a definite word seen outside names a chain from "ابن" ("المشهور ابن بطوطة").
    assert found("وقال الرحالة المشهور ابن بطوطة", first_names=["ابن"],
                 name_words=["بطوطة"], **lists) == [("ابن بطوطة", "PER")]


def test_a_name_after_wa_is_not_extended_to_the_left():
    osama = Entry("per:o", "PER", "أسامة حسني")
    assert found("بين ابوتريكة ومتعب وأسامة حسني لغزو", osama, weak_first_names=["متعب"]) == [
        ("أسامة حسني", "PER")
    ]


def test_the_genitive_kunya_abi_needs_a_listed_name_after_it():
    lists = {"first_names": ["الحسن"], "vocabulary": ["قال", "ان", "الكتاب", "جاء", "ابي"]}
    assert found("وفي كتاب مروج الذهب لأبي الحسن المسعودي", **lists) == [
        ("أبي الحسن المسعودي", "PER")
    ]
    assert found("قال أبي ان الكتاب جاء", **lists) == []  # "my father"
    assert found("جاء أبي كوميلا", **lists) == []  # an unlisted word: no kunya


def test_a_listed_one_word_person_before_a_nisba_is_a_common_noun():
    assad = Entry("per:a", "PER", "الأسد")
    assert found("ويعيش الأسد الآسيوي في الهند", assad) == []
    assert found("وقال الأسد إن", assad) == [("الأسد", "PER")]
    assert found("التقى الرئيس السوري بشار الأسد", assad, first_names=["بشار"]) == [
        ("بشار الأسد", "PER")
    ]


def test_a_name_shaped_word_is_not_followed_by_a_verb():
    vocabulary = frozenset({"غني", "حضره", "المتهم", "قال"})
    scores = {"مدحت": 9.0, "يغني": 3.0}  # enough for a word after a name, not for a first
    rule = NameShapedRule(vocabulary, score=lambda w: scores.get(w, -9.0))
    text = "مدحت يغني حضره المتهم قال مدحت يغني"
    assert _words(rule, text) == ["مدحت", "مدحت"]  # "يغني": an inflection of "غني"


def test_allah_does_not_begin_a_found_person():
    ibrahim = Entry("per:i", "PER", "إبراهيم")
    lists = {"weak_first_names": ["الله"], "vocabulary": ["وقد", "استجاب", "عندما", "دعا"]}
    assert found("وقد استجاب الله لإبراهيم عندما دعا", ibrahim, **lists) == [
        ("إبراهيم", "PER")
    ]


def test_ali_spelt_with_ya_begins_the_person_after_it():
    lists = {"first_names": ["محمد"], "vocabulary": ["برئاسة", "السيد", "مدير", "وافق"]}
    assert found("برئاسة السيد علي محمد الحمادي مدير", **lists) == [
        ("علي محمد الحمادي", "PER")
    ]
    assert found("وافق على محمد الحمادي", **lists) == [("محمد الحمادي", "PER")]  # "on"


def test_a_noun_and_its_agreeing_adjective_are_no_unseen_name():
    rule = UnseenRunRule(frozenset({"انفجار", "في", "مخيم"}), shape=lambda w: True)
    assert _words(rule, "انفجار عبوتين ناسفتين في مخيم") == []
    assert _words(rule, "انفجار دونكان هانتر في مخيم") == ["دونكان هانتر"]
    # A word the article also writes with the article is a common noun ("أسد بري").
    assert _words(rule, "انفجار دونكان هانتر في مخيم الهانتر") == []


# -- round six, on misses --------------------------------------------------------------------


def test_a_name_with_a_kunya_is_said_again_by_the_kunya():
    text = "زار سعد بن أبي وقاص المدينة . وفي روضة أبي وقاص مسجد . ودعا وقاص"
    assert found(text, first_names=["سعد"]) == [
        ("سعد بن أبي وقاص", "PER"), ("أبي وقاص", "PER"), ("وقاص", "PER")
    ]


def test_a_kunya_in_a_chain_takes_a_word_that_ends_names_elsewhere():
    # "طالب" is "demanded" too, a word that ends a name after a title; not after "بن أبي".
    assert found("وقال محمد بن أبي طالب إن", first_names=["محمد"]) == [
        ("محمد بن أبي طالب", "PER")
    ]
    assert found("وقال محمد بن أبي في البيت", first_names=["محمد"]) == [("محمد بن أبي", "PER")]



def test_a_regnal_number_follows_given_names_only():
    lists = {"first_names": ["فرناندو", "جيمس"], "vocabulary": ["تغلب", "على", "وصعد"]}
    # An ordinal after a full name is a ranking ("seeded third"), no regnal number.
    assert found("وصعد فرناندو غونزاليز الثالث", **lists) == [("فرناندو غونزاليز", "PER")]
    assert found("وصعد جيمس الأول", **lists) == [("جيمس الأول", "PER")]
    listed = Entry("per:t", "PER", "توماس برديتش")  # a listed full name, too
    assert found("وصعد توماس برديتش الثاني", listed, **lists) == [("توماس برديتش", "PER")]


def test_a_conjoined_word_ends_a_name_after_a_title():
    lists = {"vocabulary": ["سكن", "الزاويه", "شارك", "احتسب", "الحكم"]}
    assert found("وسدد المدافع اندرسون وسكن الزاويه", **lists) == [("اندرسون", "PER")]
    assert found("عرقله الحارس كوفسكي فاحتسب الحكم", **lists) == [("كوفسكي", "PER")]
    assert found("شارك الشاعر أحمد حجازي وغيرهم", **lists) == [("أحمد حجازي", "PER")]


def test_a_word_the_article_also_writes_definite_is_no_unseen_name():
    vocabulary = frozenset({"يعيش", "في", "الغابه", "و", "ياكل"})
    rule = NameShapedRule(vocabulary, score=lambda w: 5.0 if w == "اسد" else -9.0)
    lion = "يعيش اسد في الغابه و اسد ياكل و اسد"
    assert _words(rule, lion) == ["اسد"] * 3  # no article anywhere: may be a name
    assert _words(rule, lion + " و الاسد") == []  # the article tells a common noun


def test_a_relative_pronoun_after_a_title_ends_the_skipped_words():
    assert found("وعاشت الملكة التي حكمت البلاد") == []
    assert found("وعاشت الملكة إليزابيث") == [("إليزابيث", "PER")]


def test_an_unseen_name_shaped_word_before_a_found_person_begins_the_name():
    zakaria = Entry("per:z", "PER", "زكريا")
    lists = {"vocabulary": ["وكان", "يقوم", "بدور", "المذيع", "اهدى", "قميص"],
             "name_score": lambda w: 5.0 if w == "طلعت" else -5.0}
    text = "وكان طلعت زكريا يقوم بدور المذيع"
    assert found(text, zakaria) == [("زكريا", "PER")]  # no vocabulary, no shape: alone
    assert found(text, zakaria, **lists) == [("طلعت زكريا", "PER")]
    # A word the vocabulary has, or an unseen one not shaped like a name, is none.
    assert found("اهدى قميص زكريا", zakaria, **lists) == [("زكريا", "PER")]
    assert found("وكان جلبت زكريا يقوم", zakaria, **lists) == [("زكريا", "PER")]


def test_a_listed_name_word_heading_a_construct_ends_the_name():
    lists = {"first_names": ["سامي"], "name_words": ["امين"]}
    seen = {**lists, "vocabulary": ["وقال", "امين", "المتحف", "ان", "عام", "الذي"]}
    text = "وقال سامي امين المتحف ان"
    assert found(text, **lists) == [("سامي امين", "PER")]  # no vocabulary: the rule is off
    # "امين" seen outside names before a known definite noun: "the museum's curator".
    assert found(text, **seen) == [("سامي", "PER")]
    # A nisba or an indefinite word after it leaves the family name: "سامي امين الحمصي".
    assert found("وقال سامي امين الحمصي ان", **seen) == [("سامي امين الحمصي", "PER")]
    assert found("وقال سامي امين عام ان", **seen) == [("سامي امين", "PER")]
    assert found("وقال سامي امين الذي عاد", **seen, common_words=["عاد"]) == [
        ("سامي امين", "PER")]  # a relative pronoun is no noun of a construct


def test_an_unlisted_word_shaped_far_from_a_name_is_no_family_name():
    scores = {"مفاوض": -16.0, "رافاران": 9.0, "مسعود": -10.0}
    lists = {"first_names": ["سهيل", "جان"], "vocabulary": ["وقال", "ان", "في"],
             "name_score": lambda w: scores.get(w, 0.0)}
    # Round nine: "مفاوض" (a negotiator) scores far below a name: the given name ends there.
    assert found("وقال سهيل مفاوض قريش ان", **lists) == [("سهيل", "PER")]
    assert found("وقال جان رافاران ان", **lists) == [("جان رافاران", "PER")]
    # A family name scoring a little below zero stays ("مسعود" is a word's shape too).
    assert found("وقال سهيل مسعود ان", **lists) == [("سهيل مسعود", "PER")]
    # Without a learnt shape the rule is off: the word is the family name as before.
    assert found("وقال سهيل مفاوض ان", first_names=["سهيل"], vocabulary=["وقال", "ان"]) == [
        ("سهيل مفاوض", "PER")]


def test_a_one_letter_or_definite_single_name_word_starts_no_name():
    lists = {"first_names": ["احمد"], "weak_first_names": ["س", "القرضاوي", "المولد"],
             "vocabulary": ["بتعبير", "ان", "فتوى", "اصدرها", "الفوائد", "السعودي"]}
    # "س" abbreviates a title before the name: the name begins with the given name.
    assert found("بتعبير س احمد المرابط ان", **lists) == [("احمد المرابط", "PER")]
    # A definite word of a list of single name words is a family name or a word, and
    # starts no name that takes the word after it.
    assert found("فتوى اصدرها القرضاوي بجواز الفوائد", **lists) == []
    assert found("السعودي المولد احمد ان", **lists) == [("احمد", "PER")]
    # Without a learnt vocabulary, a definite one starts a name as before.
    unlearnt = {**lists, "vocabulary": []}
    assert found("فتوى اصدرها القرضاوي بجواز الفوائد", **unlearnt) == [
        ("القرضاوي بجواز", "PER")]


def test_a_regnal_number_is_no_partial_name():
    lists = {"first_names": ["جيمس"]}
    text = "توج الملك جيمس الأول في تشرين الأول"
    # "الأول" (first) after "جيمس" is his number, and later the month's: no surname.
    assert found(text, **lists) == [("جيمس الأول", "PER")]


def test_an_unseen_word_before_a_person_needs_a_clear_name_shape():
    zakaria = Entry("per:z", "PER", "زكريا")
    scores = {"طلعت": 5.0, "قميص": 1.5}
    lists = {"vocabulary": ["وكان", "يقوم", "اهدى"], "name_score": lambda w: scores.get(w, -5.0)}
    assert found("وكان طلعت زكريا يقوم", zakaria, **lists) == [("طلعت زكريا", "PER")]
    # "قميص" (a shirt) scores a little above zero, as common nouns the vocabulary lacks do.
    assert found("اهدى قميص زكريا", zakaria, **lists) == [("زكريا", "PER")]
# -- round nine: missed and too short ------------------------------------------------------


def test_a_mauritanian_walad_chain_reads_on_though_walad_is_a_common_word():
    lists = {"first_names": ["محمد"], "name_words": ["لمين"], "common_words": ["ولد"]}
    assert found("وفاز محمد لمين ولد سلامة ولد النفاع بالمقعد", **lists) == [
        ("محمد لمين ولد سلامة ولد النفاع", "PER")
    ]
    # "ولد" is "was born" too: before a word that is no name it ends the name.
    assert found("وكان محمد لمين ولد في القرية", **lists) == [("محمد لمين", "PER")]


def test_persons_linked_by_walad_are_one_and_take_the_name_before_the_link():
    rahman = Entry("per:r", "PER", "عبد الرحمان")
    hamoudi = Entry("per:h", "PER", "محمد حمودي")
    assert found("وانتخب عبد الرحمان ولد محمد حمودي رئيسا", rahman, hamoudi) == [
        ("عبد الرحمان ولد محمد حمودي", "PER")
    ]
    # So are two found around "بن": "حمدان" + "محمد بن راشد" (the second taken first).
    hamdan, mohammed = Entry("per:d", "PER", "حمدان"), Entry("per:m", "PER", "محمد بن راشد")
    assert found("وحضر الشيخ حمدان بن محمد بن راشد الحفل", hamdan, mohammed) == [
        ("حمدان بن محمد بن راشد", "PER")
    ]
    # A listed full name, which takes no family name, reads on over a "ولد" after it.
    bashir = Entry("per:b", "PER", "محمد البشير")
    assert found("وفاز محمد البشير ولد المختار بالمقعد", bashir) == [
        ("محمد البشير ولد المختار", "PER")
    ]
    salama = Entry("per:s", "PER", "سلامة ولد النفاع")
    seen = {"vocabulary": ["بكل", "من", "وحين", "كان"]}
    assert found("بكل من حضية ولد سلامة ولد النفاع", salama, **seen) == [
        ("حضية ولد سلامة ولد النفاع", "PER")
    ]
    # A word the vocabulary has before "ولد" is no name: "وحين ولد" is "when was born".
    assert found("وحين ولد سلامة ولد النفاع كان", salama, **seen) == [
        ("سلامة ولد النفاع", "PER")
    ]


def test_a_kunya_keeps_its_nisba_after_abd_allah():
    lists = {"first_names": ["ابو"], "common_words": ["التركي"]}
    assert found("وكان ابو عبد الله التركي يعمل", **lists) == [("ابو عبد الله التركي", "PER")]
    # A name that starts with no kunya takes no common nisba: "the Turkish".
    assert found("وكان سمير عبد الله التركي يعمل", first_names=["سمير"],
                 common_words=["التركي"]) == [("سمير عبد الله", "PER")]


def test_two_east_asian_syllables_take_the_third_that_is_also_a_word():
    zhao = Entry("per:z", "PER", "تشاو شينج")
    assert found("قالوا ان لي تشاو شينج أوضح", zhao) == [("لي تشاو شينج", "PER")]
    yang = Entry("per:y", "PER", "منغ يانغ")
    assert found("أدارها منغ يانغ هي ، رئيس", yang) == [("منغ يانغ هي", "PER")]
    # A name of other syllables does not ("لي" is "to me").
    assert found("قال لي سمير حداد", Entry("per:s", "PER", "سمير حداد")) == [
        ("سمير حداد", "PER")
    ]


def test_the_word_after_a_family_noun_is_the_family_name():
    seen = {"vocabulary": ["في", "عهد", "واحدة", "كبيرة", "عاشت", "حكمت", "الصين"]}
    assert found("حكمت أسرة مينغ الصين", **seen) == [("مينغ", "PER")]
    assert found("في عهد لأسرة مينغ", **seen) == [("مينغ", "PER")]
    assert found("عاشت عائلة الحريري في", **seen) == [("الحريري", "PER")]
    # A word seen outside names is none ("one family", "a big family").
    assert found("عاشت عائلة واحدة في", **seen) == []
    assert found("عاشت أسرة كبيرة في", **seen) == []
    assert found("حكمت أسرة مينغ الصين") == []  # no vocabulary: only listed names


def test_a_name_particle_before_a_found_person_begins_the_name():
    basten = Entry("per:b", "PER", "باستن")
    assert found("وقال فان باستن إن", basten) == [("فان باستن", "PER")]
    # With the listed given name before the particle.
    nistelrooy = Entry("per:n", "PER", "نيستلروي")
    assert found("لهدافه رود فان نيستلروي المنتقل", nistelrooy, first_names=["رود"]) == [
        ("رود فان نيستلروي", "PER")
    ]
    # Another word before a found person is no particle, nor is "فإن" ("indeed"), which
    # the match form reads "فان".
    assert found("وقال لهم باستن إن", basten) == [("باستن", "PER")]
    assert found("ومع ذلك فإن باستن قال", basten) == [("باستن", "PER")]


def test_a_surname_said_again_with_a_clitic_that_makes_a_known_word_is_that_word():
    # "لحساب" ("on behalf of") after "سمير حساب": a word the vocabulary has, not the person.
    text = "قال سمير حساب إن الشركة عملت لحساب الدولة"
    assert found(text, first_names=["سمير"]) == [("سمير حساب", "PER"), ("حساب", "PER")]
    vocabulary = ["قال", "إن", "الشركة", "عملت", "لحساب", "الدولة"]
    assert found(text, first_names=["سمير"], vocabulary=vocabulary) == [("سمير حساب", "PER")]


def test_a_part_of_a_day_before_a_day_is_a_time_not_a_name():
    text = "التقى سمير صباح الوزير . وحضر سمير صباح الجمعة ثم عاد اللاعبون صباح أمس"
    assert found(text, first_names=["سمير"]) == [("سمير صباح", "PER"), ("سمير", "PER")]
    assert found("وحضر صباح ثم عاد صباح أمس", first_names=["صباح"]) == [("صباح", "PER")]


def test_a_person_found_in_full_is_found_again_in_full():
    # The unseen "طلعت" is taken after the title only; written again, the full name is one
    # mention, not "طلعت" left out before the surname.
    text = "قال الفنان طلعت زكريا إن الفيلم جيد . وكان طلعت زكريا قد اعتمد على زكريا"
    assert found(text) == [("طلعت زكريا", "PER")] * 2 + [("زكريا", "PER")]


def test_a_name_particle_before_a_surname_said_again_begins_it():
    text = "وقال ماركو فان باستن ذلك . وأكد فان باستن ذلك"
    assert found(text, Entry("per:v", "PER", "ماركو فان باستن")) == [
        ("ماركو فان باستن", "PER"), ("فان باستن", "PER")
    ]
def test_a_later_word_shaped_like_no_name_ends_the_name_after_a_title():
    scores = {"مفاوضا": -20.0, "المفاوض": -20.0}
    lists = {"vocabulary": ["وصل", "امس"], "name_score": lambda w: scores.get(w, 1.0)}
    assert found("وصل الوزير سامر مفاوضا امس", **lists) == [("سامر", "PER")]
    # A definite word is left to the family-name checks, and without a score the bare word
    # stays in the name.
    assert found("وصل الوزير سامر المفاوض امس", **lists) == [("سامر المفاوض", "PER")]
    del lists["name_score"]
    assert found("وصل الوزير سامر مفاوضا امس", **lists) == [("سامر مفاوضا", "PER")]


def test_unseen_words_after_or_as_a_thing_head_name_no_person():
    lists = {"vocabulary": ["ارتفع", "سعر", "امس", "وصل", "الي"],
             "name_score": lambda w: 5.0}
    assert found("ارتفع سعر مزيج برنت امس", **lists) == []  # the head itself unseen
    assert found("وصل الي موتمر دومبارتون اوكس امس", **lists) == []
    assert found("ارتفع سعر دونكان هانتر امس", **lists) == [("دونكان هانتر", "PER")]


def test_a_run_of_unseen_words_starts_with_no_conjunction_and_a_three_letter_word():
    rule = UnseenRunRule(frozenset({"في", "الجثمان"}), shape=lambda w: w != "نثر")
    assert _words(rule, "في 1955 ونثر رماد الجثمان") == []  # "and scattered the ashes"
    # Not when the three letters look like a name ("وكيت": and Kate), nor with four.
    assert _words(rule, "في 1955 وكيت هدسون الجثمان") == ["وكيت هدسون"]
    assert _words(rule, "في 1955 وولتر سكوت الجثمان") == ["وولتر سكوت"]


def test_a_compound_given_name_after_a_title_takes_its_family_name():
    # "الله", "الدين" end a compound given name, not the name: the family name follows.
    assert found("ويقف الوزير عطاء الله مهاجراني في وضع صعب") == [
        ("عطاء الله مهاجراني", "PER")
    ]
    assert found("وكان المهاجم نور الدين البخاري في الملعب") == [("نور الدين البخاري", "PER")]
    # A definite family name still ends the name after a title.
    assert found("ويقف الوزير سامر الحسن مهاجراني في") == [("سامر الحسن", "PER")]


def test_ali_written_with_ya_after_a_given_name_is_part_of_the_name():
    lists = {"first_names": ["محمد"]}
    # The author writes ى elsewhere ("إلى"): "علي" with ي is the name, not "على".
    assert found("وقال محمد علي السعدي إلى الصحفيين", **lists) == [("محمد علي السعدي", "PER")]
    # Not written with ى, nor by an author who writes ي for both ("الي").
    assert found("وقال محمد على السعدي إلى الصحفيين", **lists) == [("محمد", "PER")]
    assert found("وقال محمد علي السعدي الي الصحفيين", **lists) == [("محمد", "PER")]


def test_a_plural_imperfect_verb_is_no_unseen_name():
    rule = UnseenRunRule(frozenset({"كان", "الصيادون", "بالقوس"}), shape=lambda w: True)
    # "يصطادون" ("they hunt") never seen, but "ي" + stem + "ون" is a verb: no run of two.
    assert _words(rule, "كان الصيادون كونغويه يصطادون بالقوس") == []
    assert _words(rule, "كان الصيادون كونغويه يلتسين بالقوس") == ["كونغويه يلتسين"]
    # Nor behind "و" or "ف": "ويلسون" (Wilson) is a name.
    assert _words(rule, "كان الصيادون ويلسون كونغويه بالقوس") == ["ويلسون كونغويه"]


def test_a_word_the_vocabulary_has_with_the_article_is_no_unlisted_family_name():
    lists = {"first_names": ["محمد", "يوسف"], "vocabulary": ["من", "الرسول", "الروسي", "عاد"]}
    # "رسول" beside a known "الرسول": the noun "messenger", not a family name.
    assert found("من محمد رسول الإسلام", **lists) == [("محمد", "PER")]
    assert found("من محمد رسول الإسلام", first_names=["محمد"]) == [("محمد رسول", "PER")]
    # A nisba stays a family name although the vocabulary has it as an adjective.
    assert found("عاد يوسف روسي من", **lists) == [("يوسف روسي", "PER")]


def test_an_unlisted_family_name_takes_a_second_unseen_name_shaped_word():
    scores = {"دافيد": 15.0, "ليفيت": 9.0, "غامضا": 1.0}
    lists = {"first_names": ["جان"], "vocabulary": ["وقدم", "مشروع", "قرار"],
             "name_score": lambda w: scores.get(w, -5.0)}
    assert found("وقدم جان دافيد ليفيت مشروع قرار", **lists) == [("جان دافيد ليفيت", "PER")]
    # An unseen word that looks less like a name stays out.
    assert found("وقدم جان دافيد غامضا مشروع قرار", **lists) == [("جان دافيد", "PER")]


def test_ali_written_with_ya_after_a_title_is_the_name():
    # In an article that writes ى ("إلى"), "علي" with ي after a title is the name.
    assert found("واستطاع الإمام علي ورجاله العودة إلى المدينة") == [("علي", "PER")]
    # Not by an author who writes ي for both ("الي"), nor "على" itself.
    assert found("واستطاع الإمام علي ورجاله العودة الي المدينة") == []
    assert found("واستطاع الإمام على ورجاله العودة إلى المدينة") == []


def test_ali_is_found_in_the_stored_text_with_harakat_before_it():
    # Harakat and tatweel before "علي" shift its offsets in the match form (the stored text is
    # searched and mapped back); a haraka on it ("عليٌّ") is another stored word, and the
    # entity's offsets still slice the stored text.
    lists = {"first_names": ["محمد"]}
    text = "وقَالَ الـمتحدث إنّ محمد علي السعدي وصل إلى بغداد"
    assert found(text, **lists) == [("محمد علي السعدي", "PER")]
    assert found("وقَالَ الـمتحدث إنّ محمد عليٌّ السعدي وصل إلى بغداد", **lists) == [("محمد", "PER")]
    assert found("وقَالَ الـمتحدث إنّ الإمام علي وصل إلى بغداد") == [("علي", "PER")]


def test_a_kunya_before_a_found_person_begins_the_name():
    abdallah = Entry("per:a", "PER", "عبد الله")
    # Listed, "عبد الله" is found; the kunya before it is his name too ("father of").
    assert found("وتنظر الى وجه أبو عبد الله اليوم", abdallah) == [("أبو عبد الله", "PER")]
    # Its conjunction or preposition stays outside the name.
    assert found("وقال وأبو عبد الله إن", abdallah) == [("أبو عبد الله", "PER")]
    assert found("قال لأبي عبد الله إن", abdallah) == [("أبي عبد الله", "PER")]


def test_a_word_after_a_number_is_counted_not_a_person():
    lists = {"first_names": ["رجب", "سعيد"], "vocabulary": ["ولد", "في", "بمكة", "وصل"]}
    assert found("ولد في 13 رجب بمكة", **lists) == []  # a month
    assert found("ولد في شهر رجب سعيد بمكة", **lists) == [("رجب سعيد", "PER")]
    assert found("وصل 3 ملايين رجب سعيد", **lists) == []  # counted after a numeral noun
