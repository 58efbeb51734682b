"""Lists learnt from annotated sentences for the rules (issue 4), on sentences of our own."""

from newsarchive.entities.evaluate import Sentence
from newsarchive.entities.gazetteer import Entry
from newsarchive.entities.learn import learn_word_stoplist


def _sentences(*rows: tuple[str, str]) -> list[Sentence]:
    return [Sentence(t.split(), g.split()) for t, g in rows]


def test_a_listed_place_seen_once_as_a_plain_word_is_stopped_at_min_count_one():
    listed = [Entry("loc:a", "LOC", "بركان"), Entry("loc:b", "LOC", "دمشق")]
    sentences = _sentences(
        ("ثار بركان قرب القرية", "O O O O"),
        ("وصل الوفد إلى دمشق", "O O O B-LOC"),
    )
    assert learn_word_stoplist(sentences, listed) == set()  # seen once: kept by default
    assert learn_word_stoplist(sentences, listed, min_count=1) == {("بركان",)}


def test_only_head_nouns_the_annotation_confirms_are_kept_with_confirmed_only():
    from newsarchive.arabic.normalize import normalize
    from newsarchive.entities.extract import EntityExtractor
    from newsarchive.entities.gazetteer import Gazetteer
    from newsarchive.entities.learn import learn_weak_heads

    sentences = _sentences(
        ("أعلن حزب الأحرار فوزه", "O B-ORG I-ORG O"),
        ("قالت وزارة الزراعة إن", "O O O O"),
    )
    heads = {normalize(w) for w in ("حزب", "وزارة", "جبهة")}
    extract = EntityExtractor(Gazetteer({})).extract
    weak = learn_weak_heads(sentences, extract, heads, max_precision=0.5, min_count=1)
    assert weak == {normalize("وزارة")}
    confirmed = learn_weak_heads(
        sentences, extract, heads, max_precision=0.5, min_count=1, confirmed_only=True
    )
    assert confirmed == {normalize("وزارة"), normalize("جبهة")}  # جبهة: never seen right


def test_a_remembered_test_is_computed_once_a_word_and_bounded():
    from newsarchive.entities.rules import _remembered

    asked = []
    remembered = _remembered(lambda w: asked.append(w) or len(w) > 3)
    assert list(filter(remembered, ["كيكينز", "في", "كيكينز"])) == ["كيكينز"] * 2
    assert asked == ["كيكينز", "في"]  # once a word
    assert remembered.cache_info().maxsize == 1 << 16  # bounded


def test_a_name_shape_score_is_the_same_remembered_and_after_pickling():
    import pickle

    from newsarchive.entities.learn import NameShape

    shape = NameShape(["كانافارو", "ماتيراتزي", "يلتسين"], ["عزمها", "وصلابته", "قضائيا"])
    first = shape.score("كالديرون")
    assert shape.score("كالديرون") == first and shape._scores == {"كالديرون": first}
    again = pickle.loads(pickle.dumps(shape))
    assert again._scores == {} and again.score("كالديرون") == first
    assert shape.score("وصلابتها") < 0 < shape.score("كالديرون")
