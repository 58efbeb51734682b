"""How a listed organization or place is named in the text: without a noun that describes
it ("قناة الجزيرة" names الجزيرة), and never right after a demonstrative ("هذه القاعدة")."""

from functools import partial

from newsarchive.arabic.normalize import normalize
from newsarchive.entities.extract import EntityExtractor
from newsarchive.entities.gazetteer import Entry, Gazetteer
from newsarchive.entities.rules import country_nisbas, leads_with_descriptor

ENTRIES = [
    Entry("org:aljazeera", "ORG", "قناة الجزيرة"),
    Entry("org:hamas", "ORG", "حماس", ("حركة حماس",)),
    Entry("org:al-qaeda", "ORG", "القاعدة"),
    Entry("org:hezbollah", "ORG", "حزب الله"),
    Entry("loc:gulf", "LOC", "الخليج"),
]
EXTRACTOR = EntityExtractor(Gazetteer({e.id: e for e in ENTRIES}))


def _found(text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.id) for m in EXTRACTOR.extract([("text", text)])]


def _by_rule(extractor: EntityExtractor, text: str) -> list[tuple[str, str, str]]:
    """(surface, type, rule) of each mention ``extractor`` finds in ``text``."""
    return [(m.surface, m.type, m.rule) for m in extractor.extract([("text", text)])]


def test_a_listed_body_is_named_without_its_descriptive_noun():
    assert _found("وقالت قناة الجزيرة إن") == [("الجزيرة", "org:aljazeera")]
    assert _found("وأعلنت حركة حماس أمس") == [("حماس", "org:hamas")]
    assert _found("ولصحيفة حماس") == [("حماس", "org:hamas")]  # the noun is no listed part
    # A noun that is part of the name stays in it.
    assert _found("وقال حزب الله") == [("حزب الله", "org:hezbollah")]


def test_descriptive_nouns_are_the_ones_news_annotation_leaves_out():
    for name in ("صحيفة الأهرام", "قناة الجزيرة", "حركة فتح", "شركة شل", "نادي برشلونة"):
        assert leads_with_descriptor(tuple(normalize(name).split())), name
    for name in ("حزب الله", "مجلس الأمن", "منظمة التحرير", "الجزيرة"):
        assert not leads_with_descriptor(tuple(normalize(name).split())), name


def test_a_definite_word_after_a_demonstrative_is_a_noun():
    assert _found("وشذ الرئيس عن هذه القاعدة واعتمد") == []
    assert _found("وفي هذا الخليج جزر كثيرة") == []
    assert _found("من تلك القاعدة") == []
    # Elsewhere the listed names are found, after "ذلك" too ("ومع ذلك القاعدة ترفض").
    assert _found("وقالت القاعدة إن") == [("القاعدة", "org:al-qaeda")]
    assert _found("ومع ذلك القاعدة ترفض") == [("القاعدة", "org:al-qaeda")]
    assert _found("هذه، القاعدة") == [("القاعدة", "org:al-qaeda")]  # not joined to it


def test_a_place_with_a_masculine_nationality_adjective_is_a_club():
    places = [Entry("loc:milan", "LOC", "ميلان"), Entry("loc:qatar", "LOC", "قطر"),
              Entry("loc:genoa", "LOC", "جنوة"), Entry("loc:moscow", "LOC", "موسكو")]
    extractor = EntityExtractor(
        Gazetteer({e.id: e for e in places}), vocabulary=["فريق", "في", "على", "ميناء"]
    )

    found = partial(_by_rule, extractor)

    assert found("المحترف في فريق ميلان الإيطالي") == [("ميلان", "ORG", "team")]
    assert found("فاز على وقطر القطري") == [("قطر", "ORG", "team")]  # the clitic left out
    # A city takes a feminine adjective; a place noun's adjective is the noun's.
    assert found("زار ميلان الإيطالية") == [("ميلان", "LOC", "gazetteer")]
    assert found("وصلت إلى ميناء جنوة الإيطالي") == [("جنوة", "LOC", "gazetteer")]
    # No nationality ("الدولي"), or an unseen word before that may be the club's first name.
    assert found("مطار قطر الدولي") == [("قطر", "LOC", "gazetteer")]
    assert found("لاعب توربيدو موسكو الروسي") == [("موسكو", "LOC", "gazetteer")]
    # A club's listed first word makes the club of both (``club_prefixes``).
    assert found("لاعب لوكوموتيف موسكو الروسي") == [("لوكوموتيف موسكو", "ORG", "team")]


def test_nationality_adjectives_are_made_from_the_country_names():
    for word in ("الإيطالي", "القطري", "الألماني", "البرازيلي", "الإنجليزي", "السعودي"):
        assert normalize(word) in country_nisbas(), word
    for word in ("الدولي", "الإسلامي", "الحالي", "العربي", "الإيطالية"):
        assert normalize(word) not in country_nisbas(), word


def test_a_listed_place_after_a_press_noun_is_the_paper():
    places = [Entry("loc:jerusalem", "LOC", "القدس"), Entry("loc:me", "LOC", "الشرق الأوسط")]
    extractor = EntityExtractor(Gazetteer({e.id: e for e in places}))

    found = partial(_by_rule, extractor)

    assert found("وتصدر عنها جريدة القدس") == [("القدس", "ORG", "org-head")]
    assert found('ونسبت صحيفة " الشرق الأوسط " اللندنية') == [("الشرق الأوسط", "ORG", "org-head")]
    assert found("قالت لصحيفة « القدس » إن") == [("القدس", "ORG", "org-head")]
    # Elsewhere, or with more than quotes between, the place.
    assert found("زار القدس أمس") == [("القدس", "LOC", "gazetteer")]
    assert found("في الصحيفة: القدس مدينة") == [("القدس", "LOC", "gazetteer")]
    assert found("في اتصال مع « الشرق الأوسط »") == [("الشرق الأوسط", "LOC", "gazetteer")]


def test_the_title_after_a_press_noun_is_the_paper():
    vocabulary = ["نشرت", "يومية", "في", "إن", "جريدة", "مجلة", "صحيفة", "تصدر", "المدينة"]
    extractor = EntityExtractor(Gazetteer({}), vocabulary=vocabulary)

    found = partial(_by_rule, extractor)

    assert found("ونشرت مجلة العربي مقالا") == [("العربي", "ORG", "org-head")]
    assert found("وقال لجريدة الحياة إن") == [("الحياة", "ORG", "org-head")]
    assert found("وقالت صحيفة « بيلد أم زونتاغ » إن") == [
        ("بيلد أم زونتاغ", "ORG", "org-head")
    ]
    assert found("ونشرت مجلة نيوزويك") == [("نيوزويك", "ORG", "org-head")]  # never seen: a title
    # An adjective of the noun, or a quote that does not close within four words: none.
    assert found("تصدر صحيفة يومية في المدينة") == []
    assert found("وقالت صحيفة « إن الحرب على الأبواب") == []


def test_a_listed_body_after_its_descriptive_noun_is_stopped_as_listed():
    """The stop-list keys a listed name by its listed words, as the compiled table does: a
    stopped long alias leaves the shorter name inside it to be found."""
    extractor = EntityExtractor(
        Gazetteer({e.id: e for e in ENTRIES}), stoplist=["حركة حماس"]
    )
    assert [(m.surface, m.id) for m in extractor.extract([("text", "وأعلنت حركة حماس")])] == [
        ("حماس", "org:hamas")
    ]


def test_a_listed_place_after_its_place_noun_is_stopped_as_listed():
    """A stop-listed "النيل الأزرق" (the river, mostly untagged) does not drop the listed
    state "ولاية النيل الأزرق", named without its place noun."""
    state = Entry("loc:sd:blue-nile", "LOC", "ولاية النيل الأزرق")
    extractor = EntityExtractor(Gazetteer({state.id: state}), stoplist=["النيل الأزرق"])
    found = extractor.extract([("text", "في ولاية النيل الأزرق")])
    assert [(m.surface, m.id) for m in found] == [("النيل الأزرق", "loc:sd:blue-nile")]


def test_a_listed_body_right_after_a_number_is_a_month_or_unit():
    nissan = Entry("org:nissan", "ORG", "نيسان")
    extractor = EntityExtractor(Gazetteer({nissan.id: nissan}))

    def found(text: str) -> list[str]:
        return [m.surface for m in extractor.extract([("text", text)])]

    assert found("وصلت في 18 نيسان الماضي") == []  # the month
    assert found("وصلت قافلة نيسان للدفع الرباعي") == ["نيسان"]


def test_a_clubs_first_word_and_a_listed_city_are_the_club():
    madrid = Entry("loc:madrid", "LOC", "مدريد")
    kyiv = Entry("loc:kyiv", "LOC", "كييف")
    extractor = EntityExtractor(Gazetteer({e.id: e for e in (madrid, kyiv)}))

    found = partial(_by_rule, extractor)

    assert found("فاز ريال مدريد على دينامو كييف") == [
        ("ريال مدريد", "ORG", "team"), ("دينامو كييف", "ORG", "team")
    ]
    assert found("لعب وريال مدريد") == [("ريال مدريد", "ORG", "team")]  # "و" left out
    assert found("وصل الوفد إلى مدريد") == [("مدريد", "LOC", "gazetteer")]
