"""The matcher's fast paths agree with the plain definitions they stand in for."""

from __future__ import annotations

import pickle
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.arabic.clitics import WORD, stems, written_forms
from newsarchive.arabic.normalize import (
    _STORED_CHARS,
    DROPPED,
    _fold_char,
    _fold_on_map,
    fold,
    fold_bytes,
    match_form,
    match_form_folded,
    normalize,
)
from newsarchive.entities.extract import EntityExtractor
from newsarchive.entities.gazetteer import Entry, Gazetteer
from newsarchive.entities.matcher import (
    _CHARMAP,
    _SMALL,
    FoldedWords,
    NameTable,
    Screen,
    Token,
    _words_blanked,
    tokenize,
    tokenize_folded,
    word_positions,
)

# Clitic letters, the article, a few others, separators: words that exercise every reading.
CLITIC_TEXT = st.text(alphabet="وفبلكالعرقي", min_size=1, max_size=9)
ARABIC = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(0x600, 0x700)] + list(" \n.,:-_AZaz09İΣ«»\u2013\u200f\u00a0")
    ),
    max_size=40,
)


@settings(max_examples=300)
@given(ARABIC)
def test_tokenize_is_the_word_pattern(text):
    expected = [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]
    tokens = tokenize(text)
    assert [tuple(t) for t in tokens] == expected
    assert tokens.words == [t.text for t in tokens] and tokens.unique == set(tokens.words)


# Only characters of the tokenizer's charmap: the fast path (no regex) must give the regex's words.
ON_MAP = st.text(alphabet=st.sampled_from(sorted(set(_CHARMAP) - {"\x00"})), max_size=40)


@settings(max_examples=300)
@given(ON_MAP)
def test_the_charmap_tokenizer_is_the_word_pattern(text):
    assert _words_blanked(text) is not None  # the fast path is the one tested
    expected = [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]
    assert [tuple(t) for t in tokenize(text)] == expected


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(sorted(set(_STORED_CHARS) - {"\x00"})), max_size=40))
def test_tokens_of_the_folded_bytes_are_the_tokens_of_the_match_form(text):
    match, folded = match_form_folded(text)
    assert folded == fold_bytes(text)[1] and match == match_form(text)
    expected = tokenize(match.text)
    tokens = tokenize_folded(folded)
    assert list(tokens) == list(expected) and tokens.starts == expected.starts


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(sorted(set(_STORED_CHARS) - {"\x00"})), max_size=40))
def test_the_charmap_fold_is_the_character_table(text):
    assert _fold_on_map(text) is not None  # the fast path is the one tested
    assert fold(text) == "".join(_fold_char(c) for c in text)
    match = match_form(text)
    assert match.text == fold(text) and len(match.offsets) == len(match.text) + 1
    assert all(_fold_char(text[match.offsets[i]]) == c for i, c in enumerate(match.text))


def test_tokens_are_a_sequence_of_token_made_on_demand():
    text = "قال، «محمد» 12-x"
    tokens = tokenize(text)
    assert len(tokens) == 4 and tokens[1] == Token("محمد", 6, 10) and tokens[-1].end == len(text)
    assert tokens[1:3] == [Token("محمد", 6, 10), Token("12", 12, 14)]
    assert list(tokens) == [tokens[i] for i in range(4)] and tokens == list(tokens)
    assert tokenize("قال \U0001F600 محمد") == [Token("قال", 0, 3), Token("محمد", 6, 10)]  # regex


@settings(max_examples=300)
@given(ARABIC)
def test_fold_fast_paths_are_the_character_table(text):
    assert fold(text) == "".join(_fold_char(c) for c in text)
    match = match_form(text)
    assert match.text == fold(text)
    assert all(_fold_char(text[match.offsets[i]]) == c for i, c in enumerate(match.text))


@settings(max_examples=500)
@given(CLITIC_TEXT)
def test_written_forms_hold_every_word_a_stem_is_read_from(word):
    for stem in stems(word):
        assert word in written_forms(stem.text)


def _spans(table: NameTable, text: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.key) for s in table.find(text, tokenize(text))]


def test_a_name_added_after_a_search_is_found_by_the_next():
    table = NameTable([("بغداد", "loc:baghdad")])
    text = normalize("زار وزير الخارجية بغداد ثم البصرة")
    assert [key for *_, key in _spans(table, text)] == ["loc:baghdad"]
    table.add("البصرة", "loc:basra")  # a new first word: what the table remembered is stale
    table.add("وزير الخارجية العراقي", "per:x")  # a longer name for a known first word
    table.add("وزير الخارجية", "per:minister")
    assert [key for *_, key in _spans(table, text)] == ["per:minister", "loc:baghdad", "loc:basra"]


def test_a_second_word_added_after_a_search_is_read_on_to():
    # A first word is passed over before a word none of its names continues with: a name
    # added with a new second word (the longest name as long) must make it read on. "وكيل"
    # reads as itself and as و + "كيل", both first words here.
    table = NameTable([("وكيل الوزارة", "per:deputy"), ("كيل البحر", "x:sea")])
    text = normalize("قال وكيل الدفاع ثم وكيل الوزارة")
    assert [key for *_, key in _spans(table, text)] == ["per:deputy"]
    table.add("وكيل الدفاع", "per:defence")
    assert [key for *_, key in _spans(table, text)] == ["per:defence", "per:deputy"]


def test_a_one_word_name_added_after_a_search_for_its_longer_name_is_found():
    table = NameTable([("بغداد الجديدة", "loc:new-baghdad")])
    text = normalize("وصل إلى بغداد اليوم")
    assert _spans(table, text) == []
    table.add("بغداد", "loc:baghdad")  # the first word's longest name is no longer: still stale
    assert [key for *_, key in _spans(table, text)] == ["loc:baghdad"]


def test_the_longest_name_is_read_word_by_word_through_its_prefixes():
    table = NameTable([("مجلس الامن", "org:unsc"), ("مجلس الامن الدولي التابع للامم", "x:5"),
                       ("الامن", "misc:security"), ("والي", "per:w"), ("ولي العهد", "per:crown")])
    # "مجلس الأمن الدولي" begins the five-word name, which is not there: the two-word one is.
    text = normalize("قال مجلس الأمن الدولي إن الأمن")
    assert [key for *_, key in _spans(table, text)] == ["org:unsc", "misc:security"]
    assert _spans(table, normalize("مجلس الأمن الدولي التابع للأمم")) == [(0, 30, "x:5")]
    # Two readings of "وولي" (as written, and و + ولي): the one that starts a name wins.
    assert [key for *_, key in _spans(table, normalize("وولي العهد"))] == ["per:crown"]
    # A taken or unjoined word ends the name: the shorter one is found.
    long = normalize("مجلس الأمن الدولي التابع للأمم")
    assert [s.key for s in table.find(long, tokenize(long), {3})] == ["org:unsc"]
    assert [key for *_, key in _spans(table, normalize("مجلس الأمن، الدولي"))] == ["org:unsc"]


def test_small_and_large_tables_find_the_same():
    names = [("العراق", "loc:iq"), ("الأمم المتحدة", "org:un"), ("بغداد", "loc:bg")]
    filler = [(f"كلمه{i} اخري", f"misc:{i}") for i in range(100)]  # over the small-table size
    small, large = NameTable(names), NameTable(names + filler)
    assert len(small._longest) < _SMALL <= len(large._longest)  # one table on each path
    text = normalize("وبالعراق قالت للأمم المتحدة في بغداد، والعراقية لا")
    assert _spans(small, text) == _spans(large, text)
    assert [key for *_, key in _spans(small, text)] == ["loc:iq", "org:un", "loc:bg"]


def test_a_pickled_table_forgets_what_it_remembered_and_still_matches():
    table = NameTable([("العراق", "loc:iq"), ("مجلس الامن الدولي", "org:unsc")])
    text = normalize("في العراق قال مجلس الأمن الدولي")
    before = _spans(table, text)
    copy = pickle.loads(pickle.dumps(table))
    # Second words and prefixes are derived again, per first word met in a search.
    assert copy._readings == {} and copy._seconds == {} and copy._derived == set()
    assert _spans(copy, text) == before and len(before) == 2
    copy.add("مجلس الامن الدولي الجديد للسلام", "x:5")
    assert _spans(copy, normalize("مجلس الأمن الدولي الجديد للسلام")) == [(0, 31, "x:5")]


def test_tokens_from_a_plain_list_are_matched_too():
    table = NameTable([("العراق", "loc:iq")])
    text = "في والعراق"
    plain = [Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]
    assert [(s.start, s.key) for s in table.find(text, plain)] == [(4, "loc:iq")]
    assert table.find(text, plain) == table.find(text, tokenize(text))


def test_the_cached_extractor_finds_what_a_fresh_one_does(tmp_path: Path):
    gazetteer = tmp_path / "g.tsv"
    gazetteer.write_text(
        "id\ttype\tname\taliases\nper:a\tPER\tمايلز كيكينز\tكيكينز الابن\n", encoding="utf-8"
    )
    text = [("title", "وصل مايلز كيكينز"), ("text", "وقال كيكينز الابن إن كيكينز سيعود")]
    # Compiles, caches (this file alone: no shipped list).
    fresh = EntityExtractor.from_paths([gazetteer], use_default=False, use_learnt=False)
    cached = EntityExtractor.from_paths([gazetteer], use_default=False, use_learnt=False)
    assert cached.extract(text) == fresh.extract(text)
    assert cached.entries["per:a"] == Entry("per:a", "PER", "مايلز كيكينز")  # no aliases kept
    direct = EntityExtractor(Gazetteer({"per:a": Entry("per:a", "PER", "مايلز كيكينز",
                                                       ("كيكينز الابن",))}))
    assert direct.extract(text) == fresh.extract(text)


def test_word_positions_finds_every_occurrence_in_order_from_tokens_or_a_list():
    text = "قال محمد ثم قال علي ومحمد قال"
    tokens = tokenize(text)
    plain = [Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]
    wanted = frozenset({"قال", "ومحمد", "غائب"})
    assert word_positions(tokens, wanted) == word_positions(plain, wanted) == [0, 3, 5, 6]
    many = frozenset(tokens.words) | {f"x{i}" for i in range(20)}  # the comprehension path
    assert word_positions(tokens, many) == list(range(len(tokens)))
    assert word_positions(tokens, frozenset({"غائب"})) == []


def test_positions_and_names_are_found_past_the_premade_indexes_in_a_long_text():
    # More words than the list of ints a pass picks positions from: the rest by a range.
    words = ["قال", "ان"] * 10_000 + ["محمد", "مرسي", "و", "العراق"]
    text = " ".join(words)
    tokens = tokenize(text)
    wanted = frozenset({"محمد", "العراق", "غائب", "مرسي"})
    assert word_positions(tokens, wanted) == [20_000, 20_001, 20_003]
    names = [(f"اسم{i} ثاني", f"x:{i}") for i in range(_SMALL)]  # a large table's path
    table = NameTable([*names, ("محمد مرسي", "per:m"), ("العراق", "loc:iq")])
    assert [(s.first, s.key) for s in table.find(text, tokens)] == [
        (20_000, "per:m"), (20_003, "loc:iq")
    ]


STORED = st.text(alphabet=st.sampled_from(sorted(set(_STORED_CHARS) - {"\x00"})), max_size=40)


@settings(max_examples=300)
@given(STORED)
def test_offsets_of_the_charmap_path_are_the_kept_characters(text):
    match, folded = match_form_folded(text)
    assert folded is not None  # the charmap path (runs found with bytes.find) is the one tested
    kept = [i for i, ch in enumerate(text) if ch not in DROPPED] + [len(text)]
    assert list(match.offsets) == kept


@settings(max_examples=200)
@given(st.lists(STORED, min_size=1, max_size=4))
def test_tokens_read_through_remembered_words_are_the_plain_tokens(texts):
    words = FoldedWords(limit=5)  # small: the texts overflow it, and still tokenize right
    for text in texts * 2:  # the second time, from the remembered words
        folded = fold_bytes(text)[1]
        expected = tokenize_folded(folded)
        tokens = tokenize_folded(folded, words)
        assert tokens.words == expected.words and tokens.starts == expected.starts
    assert len(words) <= 5


def test_remembered_words_end_at_every_line_end():
    # tokenize_folded blanks a space or line feed to \n and other non-word characters to \r,
    # and splits with bytes.splitlines, which reads \n, \r and \r\n as line ends: each must
    # end a word once, alone, in a row, at either end, and "\r\n" (punctuation then a space)
    # as one; the stored characters written as the bytes \n and \r ("'" and "*") too.
    breaking = [_STORED_CHARS[0x0A], _STORED_CHARS[0x0D], "\n", " ", ".", "،", "("]
    words = FoldedWords()
    for char in breaking:
        for text in (
            f"عام 1999{char}قال", f"قال{char}", f"{char}{char}العراق{char}{char}9",
            f"قال{char} العراق", f"قال {char}العراق", f"قال{char}\nالعراق", f"{char}\n{char}",
        ):
            folded = fold_bytes(text)[1]
            for _ in range(2):  # decoded, then remembered
                tokens = tokenize_folded(folded, words)
                expected = tokenize(match_form(text).text)
                assert tokens.words == expected.words and tokens.starts == expected.starts


def test_a_remembered_word_is_one_object():
    words = FoldedWords()
    first = tokenize_folded(fold_bytes("قال العراق")[1], words)
    again = tokenize_folded(fold_bytes("العراق قال")[1], words)
    assert first.words[1] is again.words[0] and first.words == ["قال", "العراق"]
    # Before punctuation the piece is another key ("العراق" and "\r"): the same word, and
    # once remembered the same object each time (its hash known).
    text = fold_bytes("(العراق). قال، العراق")[1]
    punctuated = tokenize_folded(text, words)
    assert punctuated.words == ["العراق", "قال", "العراق"]
    assert punctuated.words[2] is first.words[1]
    assert tokenize_folded(text, words).words[0] is punctuated.words[0]


def test_new_pieces_decoded_together_are_each_their_word():
    # The new pieces of a text are decoded joined and split at their line ends: a piece
    # ending with "\r" followed by one beginning with a word byte, a word met twice, and
    # the empty pieces known from the start must each still give their own word.
    words = FoldedWords()
    for text in ("أ، ب. ج (د) أ ب", "x,y z.\n,w", "..، .", "عام 1999، قال: «نعم»"):
        folded = fold_bytes(text)[1]
        expected = tokenize_folded(folded)
        for _ in range(2):  # new, then remembered
            tokens = tokenize_folded(folded, words)
            assert tokens.words == expected.words and tokens.starts == expected.starts
        assert not words.new


SCREEN_WORDS = ["قال", "وقال", "العراق", "بالعراق", "مدينه", "حزب", "الله", "x"]


@settings(max_examples=200)
@given(st.lists(st.sampled_from(SCREEN_WORDS), max_size=15))
def test_screened_positions_are_the_plain_positions(words):
    text = " ".join(words)
    rule_sets = [frozenset({"قال", "وقال"}), frozenset({"العراق", "حزب", "مدينه"}), frozenset()]
    table = NameTable([("العراق", "iq"), ("حزب الله", "hz"), ("قال", "q")])
    screen = Screen([*rule_sets, table.written_forms()])
    plain, screened = tokenize(text), tokenize(text)
    screened.screen(screen)
    for wanted in [*rule_sets, frozenset({"الله"})]:  # the last one not screened for
        assert word_positions(screened, wanted) == word_positions(plain, wanted)
    assert table.find(text, screened) == table.find(text, plain)
    sets, copy = pickle.loads(pickle.dumps((rule_sets, screen)))
    assert all(copy.covers(s) for s in sets) and not copy.covers(rule_sets[0])
    table.add("الله", "god")  # a changed table: its written forms are no longer the screened
    assert table.find(text, screened) == table.find(text, tokenize(text))


def test_a_two_letter_first_word_behind_clitics_begins_a_longer_name():
    names = [("تل أبيب", "loc:tlv"), ("أم درمان", "loc:omd"), ("لا", "x:no")]
    filler = [(f"كلمه{i} اخري", f"misc:{i}") for i in range(100)]
    small, large = NameTable(names), NameTable(names + filler)
    text = normalize("زار وتل أبيب وبأم درمان ثم ولا شيء")
    for table in (small, large):
        # The span starts past the clitics; "ولا" alone is no "لا" (a word of its own).
        spans = _spans(table, text)
        assert [(text[start:end], key) for start, end, key in spans] == [
            ("تل ابيب", "loc:tlv"), ("ام درمان", "loc:omd")
        ]
        assert _spans(table, normalize("وتل الزعتر")) == []  # no longer name goes on
