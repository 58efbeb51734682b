"""The shipped list of single-word given and family names (data/rules/person_words.txt, from
egy-names): read as weak given names and name words, and only beside a learnt vocabulary."""

import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.entities import extract
from newsarchive.entities.extract import EntityExtractor
from newsarchive.entities.gazetteer import Gazetteer
from newsarchive.entities.rules import RULES_DIR, load_words, shipped_words

# "ابتسام" and "حلمي" are in the list; the learnt lists know neither as a name.
SAID = "وقالت ابتسام حلمي إن المعرض يفتح غدا"


def _persons(extractor: EntityExtractor, text: str) -> list[str]:
    return [text[m.start : m.end] for m in extractor.extract([("text", text)]) if m.type == "PER"]


def test_a_listed_given_name_and_family_name_are_a_person():
    assert _persons(EntityExtractor.from_paths([]), SAID) == ["ابتسام حلمي"]


def test_without_the_list_the_archive_extractor_misses_that_person(monkeypatch):
    real = extract.shipped_words
    monkeypatch.setattr(
        extract, "shipped_words", lambda name: frozenset() if name == "person_words" else real(name)
    )
    assert _persons(EntityExtractor.from_paths([]), SAID) == []


def test_the_list_is_left_out_without_a_learnt_vocabulary():
    """Many of its names are common words too ("أمل", "سلام"): only a vocabulary of words
    seen outside names tells them apart (ANERcorp PER F1 fell 46.2 -> 43.2 without one)."""
    bare = EntityExtractor(Gazetteer())
    assert not bare.person_rule.weak_first
    with_vocabulary = EntityExtractor(Gazetteer(), vocabulary=["المعرض", "يفتح"])
    assert shipped_words("person_words") <= with_vocabulary.person_rule.weak_first
    assert shipped_words("person_words") <= with_vocabulary.person_rule.name_words
    assert "امل" in shipped_words("person_words")  # a name and a word: see the docstring


def test_the_header_is_a_comment_and_the_licence_is_kept():
    path = Path(RULES_DIR) / "person_words.txt"
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("MIT licence" in line for line in header)
    assert any("Permission is hereby granted" in line for line in header)
    words = load_words(path)
    assert len(words) > 2000 and not any(w.isascii() for w in words)


def test_the_shipped_file_is_what_the_build_script_makes(tmp_path: Path):
    """Needs egy-names (``pip install -e .[build-gazetteer]``): skipped without it."""
    pytest.importorskip("egy_names")
    script = Path(__file__).resolve().parent.parent / "scripts" / "build_person_words.py"
    out = tmp_path / "person_words.txt"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True)
    assert out.read_bytes() == (Path(RULES_DIR) / "person_words.txt").read_bytes()
