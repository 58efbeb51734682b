"""Acronyms in Latin capitals (issue 4: "acronyms in Latin script"), on sentences of our own."""

from newsarchive.entities.extract import EntityExtractor
from newsarchive.entities.gazetteer import Gazetteer


def mentions(text: str) -> list[tuple[str, str, str]]:
    extractor = EntityExtractor(Gazetteer({}))
    found = extractor.extract([("text", text)])
    for m in found:
        assert text[m.start : m.end] == m.surface  # offsets slice the stored text
    return [(m.surface, m.type, m.rule) for m in found]


def test_latin_capitals_name_an_organization():
    text = "نقلت وكالة AFP عن مصدر أن شبكة CNN ومنظمة UNESCO تابعتا الحدث"
    assert mentions(text) == [
        ("AFP", "ORG", "acronym"), ("CNN", "ORG", "acronym"), ("UNESCO", "ORG", "acronym"),
    ]


def test_a_listed_place_acronym_is_a_place_and_listed_terms_are_nothing():
    assert mentions("ارتفع الـGDP في USA بنسبة 2% وقال CEO الشركة") == [("USA", "LOC", "acronym")]


def test_only_capitals_of_two_to_six_letters():
    text = "قالت Reuters و bbc و X و DEMOCRACY إن الوضع مستقر"
    assert mentions(text) == []


def test_offsets_hold_after_diacritics_and_tatweel():
    text = "قَالَتْ مـــصادر لـ AP إنّ"
    assert mentions(text) == [("AP", "ORG", "acronym")]


def test_the_acronym_gets_a_rule_id_from_its_match_form():
    extractor = EntityExtractor(Gazetteer({}))
    [mention] = extractor.extract([("title", "بيان من NATO")])
    assert (mention.id, mention.name, mention.field) == ("org:x:nato", "NATO", "title")
