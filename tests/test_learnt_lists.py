"""The lists learnt from annotated news and shipped with the package (data/learnt): learnt,
written, read back, cached with the compiled gazetteer, and used by the archive's extractor."""

import shutil
from pathlib import Path

from newsarchive.cli import main
from newsarchive.entities import extract, learn
from newsarchive.entities.evaluate import parse_conll, read_conll
from newsarchive.entities.extract import EntityExtractor
from newsarchive.entities.gazetteer import Entry, Gazetteer
from newsarchive.entities.learn import LEARNT_DIR, learn_lists, read_lists, write_lists

# Persons after titles and verbs, a body, places, and a month that a list would take for a
# car maker: enough for every list to learn something.
PERSONS = (
    "قال O\nالمتحدث O\nكيفن B-PER\nرود I-PER\nإن O\nشركة B-ORG\nنيسان I-ORG\nتعمل O\n"
    "في O\nبغداد B-LOC\n. O\n\n"
    "ولد O\nأينشتاين B-PER\nفي O\nشهر O\nنيسان O\nفي O\nألمانيا B-LOC\n\n"
    "وصل O\nنيسان O\nوقالت O\nوزارة O\nالزراعة O\nإن O\nالموصل B-LOC\nهادئة O\n\n"
)
CONDUCTOR = "قطع O\nالموصل O\nللكهرباء O\n\n"  # "cut the conductor": no place
CONLL = (PERSONS + CONDUCTOR * 2) * 3


def _lists() -> learn.LearntLists:
    shipped = Gazetteer({"loc:mosul": Entry("loc:mosul", "LOC", "الموصل")})
    return learn_lists(parse_conll(CONLL), shipped, kept=shipped)


def test_learnt_lists_are_written_and_read_back_the_same(tmp_path: Path):
    lists = _lists()
    assert lists.names and lists.vocabulary and lists.first_names and lists.person_cues
    write_lists(lists, tmp_path, "# a header\n")
    again = read_lists(tmp_path)
    for field in ("first_names", "name_words", "common_words", "vocabulary", "person_cues",
                  "stoplist", "weak_heads"):
        assert getattr(again, field) == getattr(lists, field), field
    assert {(e.id, e.type, e.name) for e in again.names} == {
        (e.id, e.type, e.name) for e in lists.names
    }
    for word in ("كيفن", "رود", "الزراعة", "xyz", "بغداد"):  # the very same scores
        assert again.name_shape.score(word) == lists.name_shape.score(word)
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    write_lists(again, tmp_path, "# a header\n")  # the same lists give the same bytes
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == first
    assert all(p.read_text("utf-8").startswith("# a header") for p in tmp_path.glob("*.t*t"))


def test_the_stoplist_never_takes_a_kept_name():
    sentences = parse_conll(CONLL)
    kept = Gazetteer({"loc:mosul": Entry("loc:mosul", "LOC", "الموصل")})
    unkept = learn_lists(sentences, kept)  # "الموصل" a place once in three: stopped
    assert ("الموصل",) in unkept.stoplist
    assert ("الموصل",) not in learn_lists(sentences, kept, kept=kept).stoplist


def test_a_kept_name_holding_a_shorter_listed_one_may_be_stopped():
    """A corpus that tags "مكة" alone in "مكة المكرمة" stops the longer name: "مكة" is found
    in its place. A kept name of several words with no listed part stays ("قطاع النسيج")."""
    sentences = parse_conll(
        "زار O\nمكة B-LOC\nالمكرمة O\n\n" * 3 + "قال O\nقطاع O\nالنسيج O\n\n" * 3
    )
    kept = Gazetteer({
        "loc:m": Entry("loc:m", "LOC", "مكة"),
        "loc:mm": Entry("loc:mm", "LOC", "مكة المكرمة"),
        "org:t": Entry("org:t", "ORG", "قطاع النسيج"),
    })
    assert learn_lists(sentences, kept, kept=kept).stoplist == {("مكه", "المكرمه")}
    assert ("قطاع", "النسيج") in learn_lists(sentences, kept).stoplist


def test_the_archive_extractor_uses_the_shipped_lists():
    """A word after a title that the learnt vocabulary knows is no name: "بأن" (that),
    whose match form "بان" is the given name of "بان كي مون"."""
    text = [("text", "وأكد المتحدث بأن الحكومة ستعمل على حل الأزمة .")]
    with_lists = EntityExtractor.from_paths([])
    without = EntityExtractor.from_paths([], use_learnt=False)
    assert [m.surface for m in without.extract(text)] == ["بأن"]
    assert with_lists.extract(text) == []
    said = [("text", "وقال بان كي مون بأن الأمم المتحدة ستساعد .")]
    assert [m.surface for m in with_lists.extract(said)] == ["بان كي مون", "الأمم المتحدة"]


def test_the_shipped_lists_are_what_the_builder_writes():
    lists = read_lists(LEARNT_DIR)
    assert len(lists.names) > 1000 and len(lists.vocabulary) > 10_000
    assert all(e.id.split(":")[1] == "learnt" for e in lists.names)
    assert "CC BY-SA 4.0" in (LEARNT_DIR / "names.tsv").read_text("utf-8").split("id\t")[0]


def test_the_cache_keeps_the_learnt_lists_and_a_changed_list_recompiles(
    tmp_path: Path, monkeypatch
):
    learnt = tmp_path / "learnt"
    shutil.copytree(LEARNT_DIR, learnt)
    monkeypatch.setattr(learn, "LEARNT_DIR", learnt)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    text = [("text", "وأكد المتحدث بأن الحكومة ستعمل")]
    EntityExtractor.from_paths([])  # compiles, caches the lists with the names
    cached = EntityExtractor.from_paths([])
    assert cached.extract(text) == []
    assert len(list((tmp_path / "cache").rglob("*.pickle"))) == 1
    # A list edited by hand: the next load compiles again and reads it.
    vocabulary = learnt / "vocabulary.txt"
    words = vocabulary.read_text("utf-8").splitlines()
    vocabulary.write_text("\n".join(w for w in words if w != "بان") + "\n", "utf-8")
    edited = EntityExtractor.from_paths([])
    assert len(list((tmp_path / "cache").rglob("*.pickle"))) == 2
    assert "بان" not in edited.person_rule.vocabulary
    assert "بان" in cached.person_rule.vocabulary


def test_a_surname_read_as_an_unseen_person_is_the_listed_person_said_again(tmp_path: Path):
    listed = tmp_path / "people.tsv"
    listed.write_text("id\ttype\tname\taliases\nper:mc\tPER\tمايلز كيكينز\t\n", "utf-8")
    extractor = EntityExtractor.from_paths([listed], use_default=False)
    text = [("text", "قال مايلز كيكينز إن التحالف باق . وأضاف كيكينز أن الوضع هادئ")]
    found = [(m.surface, m.id, m.rule) for m in extractor.extract(text)]
    assert ("كيكينز", "per:mc", "partial") in found
    assert not any(ident.startswith("per:x:") for _, ident, _ in found)


def test_eval_ner_leaves_the_learnt_lists_out_on_request(tmp_path: Path):
    from click.testing import CliRunner

    conll = tmp_path / "a.conll"
    conll.write_text("وأكد O\nالمتحدث O\nبأن O\nالحكومة O\nستعمل O\n", "utf-8")
    runner = CliRunner()
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "NEWSARCHIVE_CONFIG": ""}
    shipped = runner.invoke(main, ["eval", "ner", "--errors", "3", str(conll)], env=env)
    bare = runner.invoke(main, ["eval", "ner", "--no-learnt", "--errors", "3", str(conll)],
                         env=env)
    assert shipped.exit_code == bare.exit_code == 0
    assert "بأن" in bare.output.split("false positives")[1]
    assert "بأن" not in shipped.output.split("false positives")[1]


def test_anercorp_rebuilds_the_shipped_lists(anercorp, tmp_path: Path):
    """Only with ``--anercorp PATH``: the shipped files are the builder's output."""
    import subprocess
    import sys

    root = Path(extract.__file__).resolve().parents[2]
    subprocess.run([sys.executable, str(root / "scripts" / "build_learnt_lists.py"),
                    str(anercorp), "--out", str(tmp_path)], check=True, capture_output=True)
    for path in LEARNT_DIR.iterdir():
        if path.name != "README.md":
            assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
    assert read_conll(anercorp)  # the corpus read
