"""Entity extraction: gazetteer matching, clitics, the title rule, partial mentions."""

from collections import Counter
from dataclasses import FrozenInstanceError, fields
from pathlib import Path

import pytest
import yaml

from newsarchive.arabic.normalize import clean, match_form, normalize
from newsarchive.entities.extract import EntityExtractor
from newsarchive.entities.gazetteer import Entry, Gazetteer
from newsarchive.record import Mention, Record, make_mentions

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "seeds" / "000_8e60ac49c7d6514a.txt"


def extractor(*entries: Entry) -> EntityExtractor:
    return EntityExtractor(Gazetteer({e.id: e for e in entries}))


IRAQ = Entry("loc:iq", "LOC", "العراق")
USA = Entry("loc:us", "LOC", "الولايات المتحدة", ("أمريكا", "أميركا"))
COALITION = Entry("org:coalition", "ORG", "التحالف الدولي")
QUDS_FORCE = Entry("org:quds", "ORG", "فيلق القدس")
JERUSALEM = Entry("loc:jerusalem", "LOC", "القدس")
KADHIMI = Entry("per:kadhimi", "PER", "مصطفى الكاظمي")


def found(text: str, *entries: Entry) -> list[tuple[str, str]]:
    mentions = extractor(*entries).extract([("text", text)])
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    return [(m.surface, m.id) for m in mentions]


@pytest.mark.parametrize(
    "written", ["العراق", "والعراق", "بالعراق", "للعراق", "وللعراق", "فالعراق"]
)
def test_a_name_is_found_behind_its_clitics(written):
    assert [i for _, i in found(f"زار الوفد {written} أمس", IRAQ)] == ["loc:iq"]


def test_the_span_leaves_the_clitic_out_except_for_the_elided_article():
    assert found("زار والعراق", IRAQ) == [("العراق", "loc:iq")]
    assert found("زار للعراق", IRAQ) == [("للعراق", "loc:iq")]


@pytest.mark.parametrize("word", ["العراقية", "العراقي", "عراق", "العراقيين"])
def test_longer_words_are_not_the_name(word):
    assert found(f"قالت الحكومة {word} اليوم", IRAQ) == []


def test_aliases_share_the_canonical_id_and_spelling_variants_match():
    text = "بين العراق وأمريكا، وزار أميركا ثم الولايات المتحدة وامريكا"
    ids = Counter(i for _, i in found(text, IRAQ, USA))
    assert ids == {"loc:us": 4, "loc:iq": 1}


def test_diacritics_do_not_hide_a_name_and_stay_in_the_surface():
    text = clean("وصل إلى العِرَاقِ وفدٌ")
    assert found(text, IRAQ) == [("العِرَاقِ", "loc:iq")]


def test_longest_match_wins_without_overlaps():
    text = "قائد فيلق القدس في القدس"
    assert found(text, QUDS_FORCE, JERUSALEM) == [
        ("فيلق القدس", "org:quds"),
        ("القدس", "loc:jerusalem"),
    ]


def test_a_name_does_not_run_across_punctuation():
    assert found("التحالف، الدولي", COALITION) == []


def test_title_rule_finds_persons_missing_from_the_gazetteer():
    text = "وقال الناطق باسم التحالف الدولي، كولونيل مايلز كيكينز، إن الحوار بدأ"
    mentions = extractor(COALITION).extract([("text", text)])
    persons = [m for m in mentions if m.type == "PER"]
    assert [(m.surface, m.rule) for m in persons] == [("مايلز كيكينز", "title")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وصرح الرئيس الأمريكي دونالد ترامب للصحفيين", "دونالد ترامب"),
        ("قال وزير الخارجية الإيراني محمد جواد ظريف إن", "محمد جواد ظريف"),
        ("استقبل الشيخ محمد بن راشد آل مكتوم الوفد", "محمد بن راشد آل مكتوم"),
    ],
)
def test_title_rule_skips_adjectives_and_keeps_name_links(text, name):
    persons = [m.surface for m in extractor().extract([("text", text)]) if m.type == "PER"]
    assert persons == [name]


@pytest.mark.parametrize(
    "text",
    [
        "وقال الرئيس إن الاتفاق قريب",
        "والتقى السفير الأمريكي، وزار المقر",
        "نائب قائد ميليشيات الحشد",
    ],
)
def test_title_rule_does_not_invent_names(text):
    assert [m for m in extractor().extract([("text", text)]) if m.type == "PER"] == []


def test_later_partial_mentions_are_the_same_entity():
    title = "التحالف الدولي يعلن خطته"
    text = "وقال التحالف إن كولونيل مايلز كيكينز سيزور بغداد. وأضاف كيكينز أن التحالف باق"
    mentions = extractor(COALITION).extract([("title", title), ("text", text)])
    counts = Counter(m.id for m in mentions)
    assert counts["org:coalition"] == 3
    assert counts["per:x:مايلز-كيكينز"] == 2
    assert {m.rule for m in mentions if m.surface == "التحالف"} == {"partial"}


def test_partial_mentions_before_the_full_name_are_not_linked():
    mentions = extractor(COALITION).extract([("text", "قال التحالف ثم التحالف الدولي")])
    assert [m.surface for m in mentions] == ["التحالف الدولي"]


def test_a_gazetteer_person_is_found_by_surname_later():
    text = "التقى مصطفى الكاظمي الوفد، وقال الكاظمي إن"
    assert Counter(i for _, i in found(text, KADHIMI)) == {"per:kadhimi": 2}


def test_seed_article_matches_the_hand_checked_entities():
    """The acceptance case: every gold entity with its type and mention count, ≤ 2 extra."""
    gold = yaml.safe_load((FIXTURES / "000_8e60ac49c7d6514a.gold.yaml").read_text(encoding="utf-8"))
    lines = SEED.read_text(encoding="utf-8").splitlines()
    title, text = clean(lines[0]), clean("\n".join(lines[1:]))
    mentions = EntityExtractor.from_paths([]).extract([("title", title), ("text", text)])

    by_id: dict[str, list] = {}
    for m in mentions:
        by_id.setdefault(m.id, []).append(m)
    used = set()
    for expected in gold["entities"]:
        names = {normalize(n) for n in [expected["name"], *expected.get("aliases", [])]}
        ids = [i for i, ms in by_id.items() if names & {normalize(m.name) for m in ms}]
        assert len(ids) == 1, f"{expected['name']}: found as {ids}"
        got = by_id[ids[0]]
        assert {m.type for m in got} == {expected["type"]}, expected["name"]
        assert len(got) == expected["mentions"], expected["name"]
        used.add(ids[0])
    extra = set(by_id) - used
    assert len(extra) <= 2, extra


def test_the_record_schema_lists_every_rule_name():
    import json

    from newsarchive.entities.extract import RULE_NAMES

    schema_path = FIXTURES.parent.parent / "newsarchive" / "data" / "record.schema.json"
    mention = json.loads(schema_path.read_text())["properties"]["entities"]["items"]
    assert mention["properties"]["rule"]["enum"] == list(RULE_NAMES)


def test_a_mention_made_with_its_dict_set_at_once_is_the_dataclass_one():
    values = {"id": "loc:iq", "type": "LOC", "name": "العراق", "surface": "بالعراق",
              "field": "text", "start": 3, "end": 10, "rule": "gazetteer"}
    [made], plain = make_mentions([dict(values)]), Mention(**values)
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert list(vars(made)) == [f.name for f in fields(Mention)]
    with pytest.raises(FrozenInstanceError):
        made.start = 4  # type: ignore[misc]
    record = Record("x", "t", "بالعراق", "s", "2020-01-01T00:00:00Z")
    with_made = Record(**{**vars(record), "entities": [made]})
    with_plain = Record(**{**vars(record), "entities": [plain]})
    assert with_made.to_json() == with_plain.to_json()
    assert with_made.to_dict() == with_plain.to_dict()
    made_all = make_mentions([dict(values), {**values, "start": 4}])
    assert made_all == [plain, Mention(**{**values, "start": 4})] and make_mentions([]) == []
    assert list(vars(made_all[1])) == list(vars(plain))


def test_a_surname_said_again_with_clitics_in_the_next_field_is_found():
    mentions = extractor(KADHIMI).extract(
        [("title", "مصطفى الكاظمي في بغداد"), ("text", "وقال للكاظمي مستشاروه إن")]
    )
    assert [(m.field, m.surface, m.rule) for m in mentions] == [
        ("title", "مصطفى الكاظمي", "gazetteer"), ("text", "للكاظمي", "partial")]


def test_a_short_name_is_looked_for_only_as_a_whole_token_outside_the_mentions():
    from newsarchive.entities.extract import _Field, _positions_outside
    from newsarchive.entities.matcher import tokenize

    text = normalize("التقى مصطفى الكاظمي الوفد ثم عاد الكاظمي")
    tokens = tokenize(text)
    field = _Field("text", text, match_form(text), tokens, {1, 2})  # the full name: 1 and 2
    assert _positions_outside(field, "الكاظمي") == [6]  # said again at token 6
    field.taken.add(6)
    assert _positions_outside(field, "الكاظمي") == []
    # Inside a longer word ("الكاظميين") it counts only as a whole token, as a table of the
    # short names reads it; written with clitics ("للكاظمي") it is that word's own.
    text = normalize("مصطفى الكاظمي ثم الكاظميين وقال للكاظمي")
    field = _Field("text", text, match_form(text), tokenize(text), {0, 1})
    assert _positions_outside(field, "الكاظمي") == []
    assert _positions_outside(field, "للكاظمي") == [5]
    field.taken.add(5)
    assert _positions_outside(field, "للكاظمي") == []
