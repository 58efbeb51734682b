"""Rules beyond the gazetteer: persons named after a title, and later partial mentions.

All words here are in the match form (see ``arabic.normalize``), so "الرئيس" also stands for
"الرَّئيس" and "والرئيس" (clitics are handled by the matcher).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from ..arabic.clitics import CONJUNCTIONS, stems, written_forms
from ..arabic.normalize import STORED_CHARS, normalize
from . import gazetteer as gazetteer_files
from .matcher import _JOINS, NameTable, Token, Tokens, as_tokens, joined, word_positions

# Titles and roles that are followed by a person's name. Multi-word roles first word + the
# ministry or body ("وزير الخارجية") need no entry: up to two definite words after a title are
# skipped when a name follows them ("الرئيس الأمريكي دونالد ترامب", "رئيس الوزراء مصطفى …").
PERSON_TITLES = (
    "الرئيس", "رئيس", "الملك", "الملكه", "الامير", "الاميره", "ولي العهد", "الشيخ", "الشيخه",
    "السيد", "السيده", "الانسه", "الدكتور", "الدكتوره", "د", "البروفيسور", "الاستاذ",
    "المستشار", "المستشاره", "الوزير", "الوزيره", "وزير", "وزيره", "السفير", "السفيره",
    "النائب", "السيناتور", "السناتور", "القاضي", "المحامي", "الامام", "اية الله", "المرشد",
    "البابا", "البطريرك", "المطران", "الحاخام", "الجنرال", "المشير", "الفريق", "الفريق اول",
    "العماد", "اللواء", "العميد", "العقيد", "المقدم", "الرائد", "النقيب", "الملازم",
    "كولونيل", "الكولونيل", "الادميرال", "الاميرال", "المتحدث", "الناطق", "المتحدثه",
    "الناطقه", "الامين العام", "نائب الرئيس", "رئيسه", "زعيم", "الزعيم", "قائد", "القائد",
    "مراسل", "مراسلنا", "الكاتب", "الكاتبه", "الصحفي", "الصحفيه", "الفنان", "الفنانه",
    "اللاعب", "المدرب", "الداعيه", "المفتي", "الحاكم", "المحافظ", "العاهل",
)  # fmt: skip

# Words that can follow a title but are never part of a name: function words, verbs of
# saying, and the nouns that start the name of a body ("رئيس مجلس …", "قائد قوات …").
NOT_NAME = frozenset(
    normalize(word)
    for word in """
    في من الى إلى علي على عن مع ان أن إن او أو ثم قد لقد لم لن لا ما ماذا هل بل لكن لكنه
    هو هي هم هن انه انها هذا هذه ذلك تلك الذي التي الذين كان كانت يكون تكون ليس منذ بعد قبل
    خلال عند حتي حتى بين امام أمام حول ضد دون غير كل بعض اي أي عبر نحو لدي لدى فيما كما مثل
    قال قالت يقول تقول اكد أكد اكدت يؤكد اعلن اعلنت يعلن اضاف اضافت اشار اشارت اوضح اوضحت
    ذكر ذكرت صرح صرحت افاد افادت تابع تابعت بين بينت لفت نبه شدد دعا دعت طالب طالبت زار
    زارت التقي التقى استقبل يزور وصل وصلت غادر يلتقي سيزور امس اليوم غدا الان الآن ايضا
    مجلس هيئه لجنه حكومه وزاره جمهوريه مدينه دوله منطقه قوات قوه جيش حزب حركه تنظيم جماعه
    ميليشيات ميليشيا مليشيات فصائل فصيل كتائب مكتب مركز جامعه شركه بنك صندوق منظمه اتحاد
    تحالف جبهه سلطه سلطات محكمه برلمان الحكومه الدوله الجمهوريه الوزراء البرلمان المجلس
    عام العام سابق السابق الاسبق الحالي الجديد المنتهيه المكلف الاول الثاني نائب مساعد
    الرسمي باسم بإسم لشؤون للشؤون
    """.split()
)

# Connectors inside a name: "محمد بن سلمان", "ابو مهدي", "آل مكتوم" (آل → ال in the match form).
NAME_LINKS = frozenset({"بن", "ابن", "بنت", "ابو", "ابي", "ام", "ال", "عبد", "ولد", "اولاد"})

MAX_NAME_WORDS = 4  # not counting linking words
MAX_SKIPPED = 2  # definite words skipped between a title and the name


# Clitics + article in front of a word make it a phrase ("للصحفيين", "بالعراق"), not a name.
_CLITIC_ARTICLE = ("لل", "بال", "وال", "فال", "كال")


def _kunya_name(word: str) -> bool:
    """A name word after a kunya inside a chain, even one of the words that end names
    elsewhere: "بن أبي" + "طالب" ("demanded") is a father's name, not a verb."""
    return _is_name_word(word) or (word in NOT_NAME and len(word) >= 4 and not _definite(word))


def _is_name_word(word: str) -> bool:
    return (
        len(word) >= 2
        and word.isalpha()
        and word not in NOT_NAME
        and not (
            word.startswith(_CLITIC_ARTICLE)  # one test in C before the loop: seldom true
            and any(word.startswith(p) and len(word) - len(p) >= 3 for p in _CLITIC_ARTICLE)
        )
    )  # the length test keeps names like فالح and كالين


def _definite(word: str) -> bool:
    return word.startswith("ال") and len(word) > 3


class NameAfterTitle(NamedTuple):
    """A name a rule found (a named tuple: rules make one per name, and a frozen dataclass's
    ``__init__`` costs several times more)."""

    first: int  # token index of the first name word
    last: int  # token index of the last name word
    skip: int = 0  # characters of proclitics in front of the first word ("و" of "ومحمد")


class TitleRule:
    """A name right after a person title or role is a person, gazetteer or not."""

    def __init__(
        self,
        titles: tuple[str, ...] = PERSON_TITLES,
        common: frozenset[str] = frozenset(),
        vocabulary: frozenset[str] = frozenset(),
        names: frozenset[str] = frozenset(),
        shape: Callable[[str], bool] | None = None,
        given: frozenset[str] = frozenset(),
        score: Callable[[str], float] | None = None,
    ):
        self.titles = NameTable((title, "title") for title in titles)
        # The learnt name-shape score: a bare unlisted later word scoring below
        # ``TITLE_NO_NAME_SCORE`` ends the name before it ("الوزير فهد مفاوضا").
        self.score = score
        # Given names whose match form starts like the article ("أليكس" → "اليكس", "آلان"):
        # the name itself, not a definite word to skip ("الجنرال الفرنسي آلان بيللغريني").
        self.given = frozenset(w for w in given if _definite(w))
        # Does an unlisted word look like a name (learnt: ``learn.NameShape``)? A lone one
        # after a title must: "الملك ساكنا", "زعيم عليل", "الفريق استقدم" are no persons.
        self.shape = shape
        self.common = common  # words that are seldom in a name (learnt): they end one
        # Words seen outside names (learnt) are no name after a title unless they are listed
        # name words: "الفريق استقدم", "الملك يعلم", "جيفري فيلتمان وابلغه".
        self.vocabulary = vocabulary - names
        self.names = names  # known name words: "و" + one of them starts another person

    def find(self, text: str, tokens: list[Token], taken: set[int]) -> list[NameAfterTitle]:
        found = []
        titles = self.titles.find(text, tokens, taken)
        if not titles:
            return found
        words, starts = _words_starts(tokens)
        taken = set(taken)  # ours to grow: the caller's set stays as it was
        for title in titles:
            if title.last + 1 in taken:
                # Another mention's word follows ("الرئيس" + a listed person): _name_after
                # takes no taken word, quoted or not; most titles of the seed articles.
                continue
            name = self._name_after(text, words, starts, title.last, taken)
            if name is not None:
                found.append(name)
                taken.update(range(name.first, name.last + 1))
        return found

    def _name_after(  # noqa: PLR0913 - the text, its words and offsets, where, what is taken
        self, text: str, words: list[str], starts: list[int], title_last: int, taken: set[int]
    ) -> NameAfterTitle | None:
        count_words = len(words)

        def free(i: int) -> bool:  # i > 0: it follows the title
            # _free_at inline, or word i free after an opening quote right after the title
            # (a person named in quotation marks: "الشاه « طهماسب »"): the gap read once,
            # a call less for each word read (~3 a title; the rule's part on news text
            # 66.6 -> 64.7 k instructions a KB, callgrind).
            if not 0 < i < count_words or i in taken:
                return False
            gap = text[starts[i - 1] + len(words[i - 1]) : starts[i]]
            return gap in _JOINS or (i == title_last + 1 and gap in _OPENING_QUOTES)

        start = title_last + 1
        # Skip "الأمريكي", "الوزراء", "الخارجية …" when a bare name follows them.
        for skipped in range(MAX_SKIPPED + 1):
            i = start + skipped
            if not free(i):
                return self._definite_name(words, start, i)
            word = words[i]
            if word in _RELATIVES:
                return self._definite_name(words, start, i)  # "الملكة التي حكمت"
            if not _definite(word) or word in self.given:
                break
        else:
            return self._definite_name(words, start, i + 1)
        if not self._name_word(word) or word in _NO_FIRST_WORDS:
            return self._definite_name(words, start, i)
        first = last = i
        count = 1
        family = False  # a family name ("الكاظمي", "آل مكتوم") ends the name
        cut = False  # ended by a later word shaped like no name: the first word stands
        while free(last + 1) and count < MAX_NAME_WORDS and not family:
            previous, word = words[last], words[last + 1]
            if _conjoined_name(word, self.names):
                break  # "السيد تامر أبو جبل ومحمود محمود": a list of persons
            if self._conjoined_word(word):
                break  # "المدافع أندرسون وسكنت", "الحارس شوفكوفسكيي فاحتسب الحكم"
            if word in NAME_LINKS:
                if not free(last + 2) or not _is_name_word(words[last + 2]):
                    break
                if self.score is not None and self._unlike_name(words[last + 2]):
                    cut = True
                    break
                family = word == "ال"
                last += 2
            elif word in _ORDINALS:  # "الملك جيمس الأول"
                last += 1
                if free(last + 1) and words[last + 1] in _TEENS:
                    last += 1
                break
            elif self._name_word(word):
                if self.score is not None and self._unlike_name(word):  # no call without
                    cut = True
                    break
                # عبد الفتاح, نور الدين, عطاء الله: still the given name, a family name may follow
                family = (_definite(word) and previous != "عبد"
                          and word not in COMPOUND_TAILS)
                last += 1
            elif _nisba(word) and word not in NOT_NAME and word not in self.common:
                last += 1  # a nisba family name, even one that is also an adjective: it ends
                break  # the name ("السيد فيصل السويدي")
            else:
                break
            count += 1
        if last == first and not cut and not self._lone_name(words[first]):
            return None
        return NameAfterTitle(first, last)

    def _unlike_name(self, word: str) -> bool:
        """A later bare word after a title that is no listed name word and whose letters look
        far less like a name's than a word's: a noun or adjective ending the name ("السيد
        جون مفاوضا"). Definite words are left to the family-name checks."""
        return (
            not _definite(word) and word not in self.names and word not in _ORDINALS
            and self.score is not None and self.score(word) < TITLE_NO_NAME_SCORE
        )

    def _conjoined_word(self, word: str) -> bool:
        """"و" or "ف" + a word that is no name ends a name after a title: a known word, a
        verb inflected from one, or a word with a pronoun suffix ("أندرسون وسكنت", "فاحتسب",
        "وغيرهم"). A listed name ("وليد", "فيصل") stays a name."""
        rest = word[1:]
        return word[:1] in "وف" and len(rest) >= 3 and word not in self.names and (
            rest in NOT_NAME or rest in self.common or rest.endswith(_PRONOUN_SUFFIXES)
            or (bool(self.vocabulary) and (
                rest in self.vocabulary or _inflection_of_known(rest, self.vocabulary)))
        )

    def _definite_name(self, words: list[str], start: int, stop: int) -> NameAfterTitle | None:
        """No bare name after the definite words from ``start`` to ``stop``: the first of them
        is the name when it is a listed name word and seldom a common one ("الرئيس الأسد",
        "الإمام الرضا"; not "الرئيس الأمريكي", "الوزير السابق")."""
        if stop <= start:
            return None
        word = words[start]
        if word not in self.names or word in self.common or word in _ORDINALS or (
            _nationality(word)
        ):
            return None
        last = start + 1 if start + 1 < stop and words[start + 1] in _ORDINALS else start
        return NameAfterTitle(start, last)  # "الملك الحسن الثاني": with its regnal number

    def _lone_name(self, word: str) -> bool:
        """A one-word name after a title is a listed name word or, with a learnt name shape,
        an unlisted word shaped like a name ("الرئيس شيراك", not "الوزير متحمس")."""
        return self.shape is None or _stem_in(word, self.names) or self.shape(word)

    def _name_word(self, word: str) -> bool:
        vocabulary = self.vocabulary  # none for the archive's extractor: no calls then
        return (
            _is_name_word(word)
            and (word not in self.common or word in COMPOUND_TAILS)
            and not (vocabulary and (
                _known_word(word, vocabulary)  # "بتشكيل": تشكيل is no name
                or _inflection_of_known(word, vocabulary)
            ))
        )


_NO_FIRST_WORDS = NAME_LINKS - {"ابو", "عبد"}  # links that start no name after a title
_PRONOUN_SUFFIXES = ("هم", "هما", "هن", "كم", "ها")  # "وغيرهم", "فشكرهم": no name words
# Relative pronouns look definite but are no word of a title: "الملكة التي حكمت".
_RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذان", "اللتان", "اللاتي", "اللواتي"})


def _conjoined_name(word: str, names: frozenset[str]) -> bool:
    """"وأحمد": a conjunction and a known name word, which start another person."""
    if word[:1] not in ("و", "ف"):  # most words: no stems() asked
        return False
    return any(stem.skip and stem.text in names for stem in stems(word))


_FIRST_TITLE_WORDS = frozenset(normalize(t) for t in PERSON_TITLES if " " not in t)


def leads_with_title(words: tuple[str, ...]) -> bool:
    """A listed person name that starts with a title ("الشيخ زايد"): the name is the rest."""
    return len(words) > 1 and words[0] in _FIRST_TITLE_WORDS and _is_name_word(words[1])


# Place nouns a listed place's name may start with ("مدينة مشهد", "مخيم جنين", "نهر دجلة"):
# the place is named without them, as the loc-head rule names it. Not the nouns that are
# part of a name ("جبل طارق", "جزر القمر", "بحر قزوين").
_PLACE_NOUNS = frozenset(
    normalize(w) for w in "مدينة محافظة ولاية إقليم اقليم بلدة قرية مقاطعة مخيم نهر".split()
)


def leads_with_place_noun(words: tuple[str, ...]) -> bool:
    """A listed place name that starts with a place noun: the place is the rest."""
    return len(words) > 1 and words[0] in _PLACE_NOUNS


# Nouns that describe a body before its name ("صحيفة الأهرام", "قناة الجزيرة", "حركة حماس"):
# a listed organization is named without them, as news annotation names it (in ANERcorp the
# noun is outside the name 20 times to none for صحيفة, 18 to 5 for حركة, 21 to 1 for شركة,
# 24 to 10 for نادي). Not the nouns that are part of a name ("حزب الله", "مجلس الأمن").
# Press nouns (``MEDIA_NOUNS``) and club nouns (``CLUB_NOUNS``) describe a body before a place
# too; شركة and حركة only before a listed name.
_PRESS_NOUNS = frozenset(normalize(w) for w in "صحيفة جريدة مجلة قناة إذاعة".split())
_CLUB_NOUNS = frozenset(normalize(w) for w in "نادي فريق".split())
_ORG_DESCRIPTORS = _PRESS_NOUNS | _CLUB_NOUNS | {normalize(w) for w in "شركة حركة".split()}


def leads_with_descriptor(words: tuple[str, ...]) -> bool:
    """A listed organization name that starts with a descriptive noun: the body is the rest."""
    return len(words) > 1 and words[0] in _ORG_DESCRIPTORS


# Last words that are no surname on their own: "حسن نصر الله" is "نصر الله" when partial.
COMPOUND_TAILS = frozenset({"الله", "الدين", "الرحمن", "الرحيم", "الكريم", "العزيز"})
_KUNYA_CASES = ("ابو", "ابي", "ابا")  # "father of" in the nominative, genitive, accusative


def partial_names(words: tuple[str, ...], entity_type: str) -> list[tuple[str, ...]]:
    """The shorter forms by which a fully named entity is mentioned again later.

    A person: the surname ("كيكينز" for "مايلز كيكينز"). An organization: its definite head
    noun ("التحالف" for "التحالف الدولي").
    """
    if len(words) < 2:
        return []
    if entity_type == "PER":
        if words[-1] in COMPOUND_TAILS:
            return [words[-2:]] if len(words) > 2 else []
        if words[-1] in NAME_LINKS or words[-2] in {"ابو", "ام"} and len(words) == 2:
            return []
        if words[-1] in _ORDINALS or words[-1] in _TEENS:
            return []  # "جيمس الأول" is not said again by "الأول" ("تشرين الأول")
        if len(words) > 2 and words[-2] in _KUNYA_CASES:
            # "سعد بن أبي وقاص" is said again by his father's kunya, in any case ("روضة أبي
            # وقاص"), or by the bare name: the longer match wins where both are written.
            return [(kunya, words[-1]) for kunya in _KUNYA_CASES] + [words[-1:]]
        return [words[-1:]]
    if entity_type == "ORG" and _definite(words[0]) and words[0] not in NOT_NAME:
        return [words[:1]]
    return []


# -- word lists ----------------------------------------------------------------------------

RULES_DIR = Path(__file__).resolve().parent.parent / "data" / "rules"


def load_words(path: str | Path) -> frozenset[str]:
    """The words of a rule list file (whitespace-separated, ``#`` comments), in match form."""
    words = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        words.update(normalize(w) for w in line.split("#", 1)[0].split())
    return frozenset(w for w in words if w)


@cache
def shipped_words(name: str) -> frozenset[str]:
    """A shipped list of ``data/rules`` by file stem: first_names, org_heads, loc_heads.
    Read once a process: each extractor asks for a dozen lists, person_words among them
    (2,591 names to normalize: ~20 ms a load)."""
    return load_words(RULES_DIR / f"{name}.txt")


def _free(text: str, tokens: list[Token], taken: set[int], i: int) -> bool:
    """Token ``i`` exists, is not in another mention, and is joined to the one before it."""
    if isinstance(tokens, Tokens):
        return _free_at(text, tokens.words, tokens.starts, taken, i)
    return 0 < i < len(tokens) and i not in taken and joined(text, tokens[i - 1], tokens[i])


def _words_starts(tokens: list[Token]) -> tuple[list[str], list[int]]:
    """The words of ``tokens`` and their offsets. A ``Tokens`` holds them as lists, and its
    ``tokens[i]`` makes a Token in Python each time: the rules run on every person the
    gazetteer finds, so they read these lists. A plain list of Token (tests) is read once."""
    if isinstance(tokens, Tokens):
        return tokens.words, tokens.starts
    return [t.text for t in tokens], [t.start for t in tokens]


def _free_at(text: str, words: list[str], starts: list[int], taken: set[int], i: int) -> bool:
    """``_free`` on the lists of ``_words_starts``: a word ends ``len(word)`` after its start."""
    return (
        0 < i < len(words)
        and i not in taken
        and text[starts[i - 1] + len(words[i - 1]) : starts[i]] in _JOINS
    )


def _joined_at(text: str, words: list[str], starts: list[int], i: int) -> bool:
    """Word ``i`` exists and only a space or hyphen stands between it and the word before
    (``_free_at`` with nothing taken)."""
    return _free_at(text, words, starts, _NOTHING_TAKEN, i)


_NOTHING_TAKEN: frozenset[int] = frozenset()


def _stem_in(word: str, words: frozenset[str]) -> bool:
    """``word`` or its reading without proclitics is in ``words`` ("ومحمد" → محمد)."""
    # A loop, not any() or _skip_in over a generator: rules ask this of every word.
    for stem in stems(word):  # noqa: SIM110
        if stem.text in words:
            return True
    return False


def _written(words: Iterable[str]) -> frozenset[str]:
    """Every way ``words`` can be written with proclitics: a word ``_stem_in`` finds in
    ``words`` is one of these, so a rule screens an article's word set with them (in C)
    instead of asking ``stems`` about each of its words."""
    return frozenset(form for word in words for form in written_forms(word))


def _skip_in(word: str, words: frozenset[str]) -> int | None:
    """How many characters of proclitics to skip so that the rest of ``word`` is in ``words``."""
    for stem in stems(word):
        if stem.text in words:
            return stem.skip
    return None


# -- persons from first names ----------------------------------------------------------------

# A part of a day before a day is a time, not a name ("صباح أمس" but "صباح الأحمد").
_DAY_PARTS = shipped_words("day_parts")
_DAYS = shipped_words("days")


def time_of_day(words: list[str], i: int) -> bool:
    """Word ``i`` is a part of a day before a day: "صباح أمس" is a time, not "صباح"."""
    return words[i] in _DAY_PARTS and i + 1 < len(words) and words[i + 1] in _DAYS


_KUNYA = frozenset({"ابو", "ابي", "ام", "عبد"})
KUNYAS = frozenset({"ابو", "ابا"})  # "father of": a person's name by his first son's
# The genitive "أبي" ("لأبي الحسن المسعودي", "روضة أبي وقاص") is "my father" too: a kunya
# only before a listed name.
GENITIVE_KUNYA = frozenset({"ابي"})
_KUNYA_FORMS = KUNYAS | GENITIVE_KUNYA
_SON = frozenset({"بن", "ابن", "بنت"})

# A title or role word ends a name: "كوفي أنان الأمين العام" is كوفي أنان. Not the "الله" of
# "آية الله": it ends compound given names ("عبد الله قاسم", "عطاء الله مهاجراني").
_TITLE_WORDS = (
    frozenset(w for t in PERSON_TITLES for w in normalize(t).split())
    | frozenset(normalize(w) for w in "الامين القايم المدير الناطق المتحدث رييس".split())
) - COMPOUND_TAILS

# A name-shape score (``learn.NameShape``) below which an unlisted word is no family name
# after a given name. ANERcorp 5-fold CV, PER F1 against none: −4: −0.43, −8: +0.05, −12:
# +0.21, −14: +0.11, −16: +0.05 (below −12 lie a few family names, "جمعة", "أدهم", and
# many more words).
NO_NAME_SCORE = -12.0
# Below this name-shape score a bare unlisted later word after a title ends the name
# (``TitleRule._unlike_name``). ANERcorp 5-fold CV, PER F1 against none: −12: ±0 (it cut
# as many family names, "ربيع دكانة", as words), −14: +0.04, −16: ±0.
TITLE_NO_NAME_SCORE = -14.0
# The name-shape score above which an unseen word before a found person is its given name
# (``unseen_given_before``; zero before round nine). PER F1 against zero: +0.08 alone; on
# top of the other round-nine rules 3: +0.07, 6: +0.06.
GIVEN_BEFORE_SCORE = 3.0
# The name-shape score above which a second unlisted word after an unlisted family name is
# part of the name (``PersonNameRule._second_family``; ANERcorp PER F1 +0.08 alone).
SECOND_FAMILY_SCORE = 5.0

# Nisba family names end in ي: "محمد المصري", "نوري المالكي".
def _nisba(word: str) -> bool:
    return _definite(word) and word.endswith("ي") and len(word) >= 5


@dataclass(frozen=True)
class PersonNameRule:
    """A known first name followed by further name words is a person ("محمد مرسي").

    Name words are: other known first names and name words, linking words with a name after
    them (بن، ابو، عبد), and a nisba family name ("المالكي"), which ends the name. An unknown
    word counts only right after the first name and only when ``open_tail`` (names written
    without a title are often a first name and a family name nobody has listed).
    A first name alone is a person only when it is not a kunya or link word ("أبو" alone
    is not).
    """

    first_names: frozenset[str]
    name_words: frozenset[str] = frozenset()
    open_tail: bool = True
    common: frozenset[str] = frozenset()  # seldom in a name (learnt): ends one ("استطاع")
    # Given or family names that start a person only with a name word after them: a list
    # of single name words ("ألبرت أينشتاين" but not "هيرمان" alone).
    weak_first: frozenset[str] = frozenset()
    # Words seen outside names in annotated text (learnt). With it, an open tail must be a
    # word never seen so, and may then be definite: "سمير القنطار", "سعود الفيصل", but not
    # "محفوظ رؤيته" or "جابر الفائز".
    vocabulary: frozenset[str] = frozenset()
    # Does an unlisted word that starts like an imperfect verb look like a name (learnt:
    # ``learn.NameShape``)? None: no such word is a family name. Asked of every unlisted
    # family name, it measured worse (ANERcorp PER F1 -0.3): only of these.
    shape: Callable[[str], bool] | None = None
    # Particles inside European names ("دو", "فان": ``data/rules/name_particles.txt``).
    particles: frozenset[str] = frozenset()
    # How much a word looks like a name (learnt: ``learn.NameShape.score``). None: not asked.
    # An unlisted family name scoring below ``NO_NAME_SCORE`` is a word ("محمد احاديث").
    score: Callable[[str], float] | None = None

    @cached_property
    def trigger_forms(self) -> frozenset[str]:
        """Every written form of the words a name of this rule starts with: what an article
        is screened for (``matcher.Screen``)."""
        return _written(self.first_names | self._weak_starts | _KUNYA_FORMS)

    @cached_property
    def regnal_forms(self) -> frozenset[str]:
        """Every written form of the weak given names a learnt vocabulary has: a name only
        before a regnal number ("مسجد الحسن الثاني", ``_regnal``), so looked for apart."""
        if not self.vocabulary:
            return frozenset()
        return _written(self.weak_first & self.vocabulary) - self.trigger_forms

    @cached_property
    def _weak_starts(self) -> frozenset[str]:
        """The weak given names a name may start with: with a learnt vocabulary, not the
        ones it has, which ``_weak_given`` refuses ("أمل", "سلام" of the person words; as
        triggers they cost ANERcorp news text ~2 % instructions, for nothing)."""
        return self.weak_first - self.vocabulary if self.vocabulary else self.weak_first

    @cached_property
    def _known(self) -> frozenset[str]:
        return (self.first_names | self.name_words) - _TITLE_WORDS

    def find(self, text: str, tokens: list[Token], taken: set[int]) -> list[NameAfterTitle]:
        found: list[NameAfterTitle] = []
        after = 0  # the first token not inside a name found already
        positions = word_positions(tokens, self.trigger_forms)  # only where a given name may be
        words = _words_starts(tokens)[0]
        # And where a vocabulary word is a monarch's name: only in a text with an ordinal.
        if self.regnal_forms and not as_tokens(tokens).unique.isdisjoint(_ORDINALS):
            regnal = [
                i for i in word_positions(tokens, self.regnal_forms)
                if i + 1 < len(words) and words[i + 1] in _ORDINALS
            ]
            positions = sorted(positions + regnal) if regnal else positions
        if not positions:
            return found
        taken = set(taken)  # ours to grow: the caller's set stays as it was
        for i in positions:
            word = words[i]
            if i < after or i in taken or word in NOT_NAME or word in self.common or (
                word in _DAY_PARTS and time_of_day(words, i)  # a set first: no call mostly
            ):
                continue
            strong = _stem_in(word, self.first_names)
            last = i
            if strong or self._weak_given(word) or self._regnal(text, words, tokens, taken, i):
                last = self.extend(text, tokens, i, taken, self.open_tail)
            alone_ok = strong and not _stem_in(word, NAME_LINKS)
            if last > i or alone_ok:
                names = self.first_names if strong else self.weak_first
                found.append(NameAfterTitle(i, last, _skip_in(word, names) or 0))
            else:  # the given-name reading found nothing: a kunya then?
                kunya = self.kunya_rule(text, tokens, taken, i)
                if kunya is None:
                    continue
                found.append(kunya)
                last = kunya.last
            taken.update(range(i, last + 1))
            after = last + 1
        return found

    def kunya_rule(
        self, text: str, tokens: list[Token], taken: set[int], i: int
    ) -> NameAfterTitle | None:
        """"أبو" or "أبا" and a given name or bare word is a person by his kunya, even when
        the word is also a common noun: "أبو طالب", "أبا هريرة". Not before a definite
        common word ("أبو الإلكترون" is a nickname) unless that is a given name ("أبو الحسن").
        """
        skip = _skip_in(tokens[i].text, KUNYAS)
        genitive = skip is None
        if genitive:
            skip = _skip_in(tokens[i].text, GENITIVE_KUNYA)
        if skip is None or not _free(text, tokens, taken, i + 1):
            return None
        word = tokens[i + 1].text
        known = _stem_in(word, self.first_names) or word in self.name_words
        if word in NOT_NAME or word in _TITLE_WORDS or not (
            known or (_plain_name_word(word) and not genitive)
        ):
            return None
        last = self.extend(text, tokens, i + 1, taken, open_tail=False)
        # A kunya takes a nisba after it even when that is also an adjective: "أبو حمزة
        # المصري", "أبو مصعب الزرقاوي" (the common-word list holds "المصري").
        if _free(text, tokens, taken, last + 1) and _nisba(tokens[last + 1].text) and (
            tokens[last + 1].text not in NOT_NAME
        ):
            last += 1
        return NameAfterTitle(i, last, skip)

    def may_begin_before(self, words: list[str], first: int) -> bool:
        """Whether ``extend_left`` may begin the person at ``first`` earlier: its first step
        takes a given name (a written form of one: ``trigger_forms``) or a "بن" before, or any
        name word before a person read from its "بن" on. A few set look-ups that callers ask
        before the call, in place of its loop (three ``stems()`` for most words before a
        person); tests/test_extract_speed.py checks it against ``extend_left``."""
        if first <= 0:
            return False
        before = words[first - 1]
        return before in self.trigger_forms or before in _SON or words[first] in _SON

    def extend_left(self, text: str, tokens: list[Token], first: int, taken: set[int]) -> int:
        """The first token of a person's name that begins at ``first`` once the given names
        written before it and left free are added ("سمير" + the listed "صبري")."""
        words, starts = _words_starts(tokens)
        while (
            first > 0
            and first - 1 not in taken
            and text[starts[first - 1] + len(words[first - 1]) : starts[first]] in _JOINS
            # "و" + a name starts the next person of a list: "ومتعب" + "وأسامة حسني".
            and not _conjunction_first(words[first], self.first_names, self.name_words)
        ):
            word = words[first - 1]
            if word in _SON and self._father_of(text, words, starts, first - 1, taken):
                first -= 2  # "شكيب بن" + the found "موسى": the chain starts with the son
                continue
            if _stem_in(word, _KUNYA_FORMS):
                # "أبو" + the found "عبد الله": named by his kunya, which begins the name
                # (ANERcorp train: a kunya before a person is inside the name 74 times of 75).
                first -= 1
                continue
            if word in NOT_NAME or word in self.common or word in _TITLE_WORDS:
                break
            if word in COMPOUND_TAILS:  # ends a name, starts none: "استجاب الله لإبراهيم"
                break
            # A name read from its بن on is a chain: the word before is whose son ("معاوية").
            son = words[first] in _SON and _is_name_word(word) and not (
                _definite(word) and word in self.vocabulary  # "المشهور ابن بطوطة"
            )
            if _stem_in(word, NAME_LINKS) or not (son or self._given_before(word)):
                break
            first -= 1
        return first

    def unseen_given_before(
        self, text: str, tokens: list[Token], first: int, taken: set[int]
    ) -> int:
        """The first token of a found person's name once the one word before it is added when
        that word was never seen outside a name and looks like one: an unlisted foreign given
        name ("آشلي" + "ويلكس", "طلعت" + "زكريا"). Off without a vocabulary and a name shape;
        a listed given name is ``extend_left``'s."""
        if not self.vocabulary or self.shape is None or first == 0 or first - 1 in taken:
            return first
        words, starts = _words_starts(tokens)
        word = words[first - 1]
        if word in self.vocabulary:  # most words before a name: asked first, it is cheap
            return first
        if text[starts[first - 1] + len(word) : starts[first]] not in _JOINS:
            return first
        if (word in NOT_NAME or word in self.common or word in _TITLE_WORDS
                or _conjunction_first(word, self.first_names, self.name_words)
                or _conjunction_first(words[first], self.first_names, self.name_words)):
            return first  # "و" + a word before or as the name: a list, not one name
        if not _unseen_word(word, self.vocabulary) or (
            _inflection_of_known(word, self.vocabulary)  # "وكرر بوش": a verb
        ):
            return first
        return first - 1 if self._looks_given(word) else first

    def _looks_given(self, word: str) -> bool:
        """The unseen word before a found person looks like a given name: with a learnt score,
        clearly (above ``GIVEN_BEFORE_SCORE``), as the common nouns before a name that the
        other folds never had score a little above zero ("كلب بوش", "قميص أحمد محمد",
        "سيدنا موسى", "دواوين نزار قباني"; "آشلي", "خوسي" score about 10)."""
        if self.score is None:
            return self.shape is not None and self.shape(word)
        return self.score(word) > GIVEN_BEFORE_SCORE

    def _father_of(
        self, text: str, words: list[str], starts: list[int], son: int, taken: set[int]
    ) -> bool:
        """The word before "بن" at ``son`` is a name: "بن" joins two names, so even an
        unlisted or common word there ("سهل بن حنيف") is the son's, not a title or verb."""
        if not _free_at(text, words, starts, taken, son) or son - 1 in taken:
            return False
        word = words[son - 1]
        return (
            _is_name_word(word)
            and word not in _TITLE_WORDS
            and not (_definite(word) and word in self.vocabulary)  # "زعيم القاعدة بن لادن"
        )

    def skip(self, word: str) -> int:
        """Characters of proclitics before the given name ``word`` ("و" of "ومحمد")."""
        for names in (_KUNYA_FORMS, self.first_names, self.weak_first):
            found = _skip_in(word, names)
            if found is not None:
                return found
        return 0

    def only_given(self, words: Iterable[str]) -> bool:
        """Whether ``words`` are given names only, compound ones too ("عبد الله")."""
        return all(self.is_first(w) or w == "عبد" or w in COMPOUND_TAILS for w in words)

    def is_first(self, word: str) -> bool:
        """A known given name (not only a weak one), which a family name may follow."""
        return _stem_in(word, self.first_names)

    def _family_name(self, word: str) -> bool:
        """An unlisted word that may follow a given name as the family name: a bare word, or
        with a learnt vocabulary any word never seen outside a name ("سعود الفيصل")."""
        if _conjunction_first(word, self.first_names, self.name_words):
            return False  # "صبري وعنان": two persons, not a given name and a family name
        if not self.vocabulary:
            return _plain_name_word(word)
        if _known_word(word, self.vocabulary) or word in self.common or word in _TITLE_WORDS:
            return False
        if _inflection_of_known(word, self.vocabulary):
            return False  # "محفوظ موظفا", "نزار يكتب": a word the vocabulary has inflected
        if self._shaped_like_no_name(word):
            return False  # "سهيل بن عمرو مفاوض", "طه حسين باحث", "عائشة لإقناعهم"
        if "ال" + word in self.vocabulary and not word.endswith("ي"):
            # A noun or adjective the vocabulary has with the article: "محمد رسول الإسلام",
            # "برونو موتان أمين متاحف", "كملاذ أخير". Not a nisba: "يوسف روسي" is a name.
            return False
        if _plain_name_word(word) or (_definite(word) and len(word) >= 5
                                      and _is_name_word(word)):
            return True
        # "كارلوس تيفيز", "يوري تروتنيف": a family name that starts like an imperfect verb
        # ("يقول", "تقوم") when its letters look like a name's.
        return self.shape is not None and _bare_name_word(word) and self.shape(word)

    def _second_family(self, word: str) -> bool:
        """A second unlisted word after an unlisted family name, never seen outside a name and
        clearly shaped like one (above ``SECOND_FAMILY_SCORE``): a foreign name of three words
        whose middle one no list has ("جان دافيد" + "ليفيت", "ماريا تيريزا فرنانديس")."""
        return (
            self.score is not None and bool(self.vocabulary)
            and _unseen_word(word, self.vocabulary)
            and not _conjunction_first(word)
            and not _inflection_of_known(word, self.vocabulary)
            and self.score(word) > SECOND_FAMILY_SCORE
        )

    def _shaped_like_no_name(self, word: str) -> bool:
        """An unlisted word whose letters look far less like a name's than a word's: a noun,
        an adjective or a verb with its affixes ("مفاوض", "مرتدية", "لإقناعهم", "الخلق").
        Only far below: at zero it cut as many family names as it saved (tried before: −0.3)."""
        return self.score is not None and self.score(word) < NO_NAME_SCORE

    def _second_person(self, word: str) -> bool:
        """"وبلير" after "بوش": a conjunction and a known name start another person."""
        for stem in stems(word):
            if stem.skip and word[0] in "وف" and (
                stem.text in self.first_names or stem.text in self.name_words
            ):
                return True
        return False

    def _after_particles(
        self, text: str, words: list[str], starts: list[int], taken: set[int], i: int
    ) -> int | None:
        """The name word after the particles from ``i`` on ("دو لا" + "سابليير"), if any."""
        j = i
        while j - i < 2 and _free_at(text, words, starts, taken, j + 1) and (
            words[j + 1] in self.particles
        ):
            j += 1
        if not _free_at(text, words, starts, taken, j + 1):
            return None
        word = words[j + 1]
        if word in self._known and _is_name_word(word):
            return j + 1
        if self.shape is not None and self.vocabulary and self._family_name(word):
            return j + 1
        return None

    def _regnal(
        self, text: str, words: list[str], tokens: list[Token], taken: set[int], i: int
    ) -> bool:
        """A listed name, even one that is also a common word, before a regnal number is a
        monarch: "مسجد الحسن الثاني" (الحسن: "the good" elsewhere)."""
        return (
            _free(text, tokens, taken, i + 1)
            and words[i + 1] in _ORDINALS
            and (self._given(words[i]) or words[i] in self.name_words)
        )

    def _heads_construct(
        self, text: str, words: list[str], starts: list[int], taken: set[int], i: int
    ) -> bool:
        """The listed name word at ``i`` is a common noun heading a construct, not a family
        name: the vocabulary has it outside names and a known definite noun follows
        ("ديفد فرانكلين" + "أمين المتحف", "محمد عبدالوهاب" + "نجم المنتخب"). A nisba or
        compound tail or a relative pronoun after it leaves the name ("صالح الحمصي", "نصر
        الله", "امين الذي")."""
        word = words[i]  # a construct's head is indefinite: "المصري التي" is no construct
        if not self.vocabulary or _definite(word) or word not in self.vocabulary:
            return False
        if not _free_at(text, words, starts, taken, i + 1):
            return False
        after = words[i + 1]
        return (
            _definite(after) and after in self.vocabulary and after not in COMPOUND_TAILS
            and after not in _RELATIVES and not _nisba(after)
        )

    def _weak_given(self, word: str) -> bool:
        """A weak given name, and with a learnt vocabulary one never seen outside a name:
        "هيرمان أينشتاين" but not "الخبير الاقتصادي" (الخبير is a listed name word)."""
        return (
            bool(self.weak_first)
            and _stem_in(word, self.weak_first)
            and not _known_word(word, self.vocabulary)
            and not self._no_given_name(word)
        )

    def _no_given_name(self, word: str) -> bool:
        """A word of a list of single name words that starts no name: one letter ("بتعبير س
        أحمد", an abbreviation) or, with a learnt vocabulary, a definite word ("القرضاوي
        بجواز", "السعودي المولد أسامة": a family name or a word; a strong given name may be
        definite: "اليكس")."""
        return len(word) < 2 or (bool(self.vocabulary) and _definite(word))

    def _given(self, word: str) -> bool:
        return _stem_in(word, self.first_names) or _stem_in(word, self.weak_first)

    def _given_before(self, word: str) -> bool:
        """A given name that a found person's name may begin with: a weak one only when it
        may start a name (``_weak_given``): "الشهيد رفيق الحريري" is رفيق الحريري."""
        return _stem_in(word, self.first_names) or self._weak_given(word)

    @cached_property
    def _read_over(self) -> frozenset[str]:
        """Words ``extend`` may read a name on over whatever its switches: ordinals,
        particles, links and known name words (``may_read_on``)."""
        return _ORDINALS | self.particles | NAME_LINKS | self._known

    def may_read_on(self, word: str) -> bool:
        """Whether ``extend`` without ``open_tail`` may read a name on over ``word``, the
        next word: one of ``_read_over``, an initial, or a nisba; else it returns the last
        word it was given. A few look-ups a listed person asks before the call (its loop
        asks six functions of most words); tests/test_extract_person_steps.py checks it
        against ``extend``."""
        return word in self._read_over or len(word) == 1 or (
            word.startswith("ال") and word.endswith("ي") and len(word) >= 5  # _nisba
        )

    def extend(  # noqa: PLR0913 - the text, its words, where, what is taken, two switches
        self, text: str, tokens: list[Token], last: int, taken: set[int], open_tail: bool,
        regnal: bool = True,
    ) -> int:
        """The last token of the name whose words so far end at ``last``.

        ``open_tail``: an unknown word may follow the given names (a family name).
        ``regnal``: the words so far may take a regnal number ("الملك جيمس" + "الأول"); a
        found full name does not ("فرناندو غونزاليز الثالث": a ranking).
        """
        start, count = last, 1
        given_only = True  # only given names so far: a family name may still follow
        unseen_family = False  # the last word is an unlisted family name: one more may follow
        known = self._known
        words, starts = _words_starts(tokens)
        kunya = words[last] in KUNYAS or words[last][1:] in KUNYAS  # "أبو", "وأبو"
        while count < MAX_NAME_WORDS and _free_at(text, words, starts, taken, last + 1):
            word = words[last + 1]
            if word in _DAY_PARTS and time_of_day(words, last + 1):  # "سمير" + "صباح أمس"
                break
            if word in _ORDINALS:  # before the common words: "الأول" is one of them
                if given_only and regnal:
                    last = _regnal_number(text, tokens, taken, last)
                break
            if word in self.particles:  # before the common words: "لا" is one of them
                after = self._after_particles(text, words, starts, taken, last + 1)
                if after is None:
                    break
                last = after
                count += 1
                continue
            if _initial(text, words, starts, last + 1):
                # Before the common words: "ب", "ل" are prepositions too ("محمد ب.").
                last += 1  # a family name written as its initial ends the name
                break
            # A kunya takes a nisba even when that is also an adjective: "أبو حمزة المصري".
            if word in self.common and word not in COMPOUND_TAILS and not (
                kunya and _nisba(word)
            ) and word not in WORD_LINKS:
                break
            if self._second_person(word):
                break
            if word in NAME_LINKS:
                if not _free_at(text, words, starts, taken, last + 2):
                    break
                after = words[last + 2]
                if not (_is_name_word(after) or after in _NAMES_AFTER_LINKS):
                    break
                last += 2
                if word == "ال":
                    break
                # "بن أبي وقاص", "بن عبد العزيز": a kunya or عبد takes the name after it.
                chained = after in _KUNYA and _free_at(text, words, starts, taken, last + 1)
                if chained and _kunya_name(words[last + 1]):
                    last += 1
                # A name that starts with a kunya keeps its nisba after "عبد الله": "أبو عبد
                # الله التركي"; one that took a kunya in its chain takes one too.
                kunya = kunya or chained
            elif word in known and _is_name_word(word):
                if self._heads_construct(text, words, starts, taken, last + 1):
                    break
                last += 1
                # "عبد الله", "عطاء الله": a compound given name, a family name may follow.
                given_only = given_only and (
                    word in self.first_names or word in COMPOUND_TAILS or words[last - 1] == "عبد"
                )
            elif _nisba(word) and word not in NOT_NAME:
                last += 1
                break
            elif open_tail and given_only and (last == start or self.vocabulary) and (
                self._family_name(word)
            ):
                # One family name after the given names: "جان بيير رافاران". After more than
                # one only with a vocabulary: "صدام حسين يشكل" is a name and a verb.
                last += 1
                given_only = False
                unseen_family = True
            elif unseen_family and self._second_family(word):
                last += 1  # "جان دافيد ليفيت": an unlisted given name read as the family name
                unseen_family = False
            else:
                break
            count += 1
        return last


# An opening quotation mark or bracket between a title and a name: "الإمبراطور « هوانج تي »".
_OPENING_QUOTES = frozenset({' " ', " « ", " ( ", " ' ", ' "', " «", " ("})


def _conjunction_first(word: str, *names: frozenset[str]) -> bool:
    """``word`` is "و" + a word of three letters or more, and not itself a listed name: in a
    name's place it starts the next person of a list ("صبري وعنان", "سونغ ويوان"), as no
    family name a list misses starts with و much more often than a conjunction does.
    "وليد", "وائل" are listed given names and stay names."""
    return word[:1] == "و" and len(word) >= 4 and not any(word in n for n in names)


def _initial(text: str, words: list[str], starts: list[int], i: int) -> bool:
    """Word ``i`` is one letter followed by a full stop: a name's initial ("محمد ب.")."""
    if i >= len(words) or len(words[i]) != 1 or not words[i].isalpha():
        return False
    return text[starts[i] + 1 : starts[i] + 2] == "."


def _known_word(word: str, vocabulary: frozenset[str]) -> bool:
    """``word``, or its reading without proclitics, is a word seen outside names: "بارتكاب"
    (ارتكاب), "والخطاب" (الخطاب) are no family or given name."""
    if not vocabulary:
        return False
    for stem in stems(word):  # noqa: SIM110 (a loop: asked of every candidate word)
        if stem.text in vocabulary:
            return True
    return False


# Prefixes of an imperfect verb ("يكتب", "ستقوم", "ليعوض"), longest first, and the letters
# that start another person of the same verb ("تكتب" for "يكتب").
_VERB_PREFIXES = ("سي", "ست", "سن", "لي", "لت", "ي", "ت", "ن")
_PERSON_LETTERS = ("ي", "ت", "ن", "ا")


def _inflection_of_known(word: str, vocabulary: frozenset[str]) -> bool:
    """``word`` is an inflection of a word seen outside names, so a word itself: an imperfect
    verb whose stem or other person is known ("يكتب": كتب, "سيرفع": رفع), or an indefinite
    accusative whose bare noun is known ("برنامجا": برنامج). A transliterated family name
    ("يلتسين", "تيفيز", "سولانا") is seldom one."""
    if word.endswith("ا") and len(word) >= 4 and word[:-1] in vocabulary:
        return True
    for prefix in _VERB_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 2:
            return rest in vocabulary or any(
                p + rest != word and p + rest in vocabulary for p in _PERSON_LETTERS
            )
    return False


# Regnal numbers after a monarch's or pope's name: "الحسن الثاني", "ألفونسو الثالث عشر".
_ORDINALS = frozenset(
    normalize(w)
    for w in "الأول الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع العاشر".split()
)
_TEENS = frozenset({"عشر"})  # "الثالث عشر"


def _regnal_number(text: str, tokens: list[Token], taken: set[int], last: int) -> int:
    """The last token of a name at ``last`` followed by a regnal ordinal (and "عشر")."""
    last += 1
    if _free(text, tokens, taken, last + 1) and tokens[last + 1].text in _TEENS:
        last += 1
    return last


# Links that are also common words: the Mauritanian "ولد" ("son of", and "was born") links
# two names ("محمد لمين ولد سلامة ولد النفاع") where a name word follows it; no common-word
# list ends the name at it (ANERcorp: "ولد" right after a name and not linking is followed
# by "عام", "في": no name words).
WORD_LINKS = frozenset({"ولد"})

# Names that are also function words once ى is read as ي ("علي" / "على"): after بن or أبو
# only the name can follow.
_NAMES_AFTER_LINKS = frozenset({"علي"})
# "علي" as written (with ي) before a person's name is mostly the given name (ANERcorp: 20 of
# 25 times; "على", with ى, never is): the extractor asks the stored text.
ALI = "علي"


# Words that end a name although they look like one: nationality adjectives are definite and
# caught by _definite; these are indefinite words that follow names in news text.
# Imperfect verbs: يقول، تقول، سيزور، ستقوم (a bare س starts names too: سلماوي).
_NOT_TAIL_PREFIXES = ("ي", "ت", "سي", "ست", "سن")


def _plain_name_word(word: str) -> bool:
    return _bare_name_word(word) and not (word.startswith(_NOT_TAIL_PREFIXES) and len(word) >= 5)


def _arabic(word: str) -> bool:
    """The word starts with an Arabic letter (U+0600 to U+06FF)."""
    return "\u0600" <= word[:1] <= "\u06ff"


def _bare_name_word(word: str) -> bool:
    """A bare word that may be a name, whatever it starts with: for the rules that ask a
    learnt name shape, which tells "يلتسين", "تيفيز" from "يكتبون" better than a prefix."""
    return _is_name_word(word) and not _definite(word) and len(word) >= 3


# -- organizations and places after a head noun ------------------------------------------------


@dataclass(frozen=True)
class HeadNounRule:
    """A head noun with the definite words after it names an organization or place.

    ``include_head``: an organization's head is part of its name ("حزب الله"); a place's is
    not ("مدينة مشهد" names مشهد). For places a bare word after the head counts
    ("جزيرة قبرص"); for organizations the words must be definite ("مجلس الأمن").
    """

    heads: frozenset[str]
    include_head: bool
    max_words: int = 3
    # Words seen outside names (a learnt vocabulary): after a place noun such a word is what
    # the place is ("ميناء تجاري", "نهر موسمي") or a word of the sentence ("بلدة مما"), not
    # its name.
    vocabulary: frozenset[str] = frozenset()

    @cached_property
    def trigger_forms(self) -> frozenset[str]:
        """Every written form of the head nouns: what an article is screened for."""
        return _written(self.heads)

    def find(self, text: str, tokens: list[Token], taken: set[int]) -> list[NameAfterTitle]:
        found: list[NameAfterTitle] = []
        positions = word_positions(tokens, self.trigger_forms)  # only where a head may be
        if not positions:
            return found
        words, starts = _words_starts(tokens)
        taken = set(taken)  # ours to grow: the caller's set stays as it was
        for i in positions:
            head = words[i]
            if i in taken or not _stem_in(head, self.heads):
                continue
            last = i
            while last - i < self.max_words and _free_at(text, words, starts, taken, last + 1):
                word = words[last + 1]
                # An indefinite word after a place noun is an adjective when it agrees in
                # gender ("منطقة معينة"); a place written so is in the gazetteer (غزة).
                ok = (
                    _definite(word)
                    if self.include_head
                    else _is_name_word(word) and not _definite(word) and not word.endswith("ه")
                    and word not in self.vocabulary
                )
                if not ok or word in NOT_NAME or _stem_in(word, self.heads):
                    break
                last += 1
                if not self.include_head and word not in PLACE_PREFIXES:
                    break  # a place after its head noun is one word ("مدينة مشهد")
            if last > i:
                first = i if self.include_head else i + 1
                skip = _skip_in(head, self.heads) if self.include_head else 0
                found.append(NameAfterTitle(first, last, skip or 0))
                taken.update(range(i, last + 1))
        return found



# Verbs of saying and meeting, after which news text names the speaker (VSO word order).
SAYING_VERBS = frozenset(
    normalize(w)
    for w in """قال وقال فقال قالت وقالت اكد واكد أكد وأكد اضاف وأضاف أضاف اوضح وأوضح أوضح
    صرح وصرح اشار وأشار أشار ذكر وذكر اعلن وأعلن أعلن اعتبر واعتبر رأى ورأى يقول ويقول
    سجل وسجل أحرز وأحرز التقى والتقى استقبل واستقبل""".split()
)

# -- persons from words never seen before ------------------------------------------------------


@dataclass(frozen=True)
class UnseenNamesRule:
    """Two or three bare words in a row that a large ``vocabulary`` of annotated text never
    had outside a name are a transliterated person's name ("يوريس ماتيينسن"): Arabic words
    recur in their inflections, foreign given and family names do not. Off without a
    vocabulary.
    """

    vocabulary: frozenset[str]
    # Does an unseen word look like a name (learnt: ``learn.NameShape``)? None: any does.
    shape: Callable[[str], bool] | None = None
    # How much a word looks like a name (learnt: ``learn.NameShape``). With it, only the
    # first word after the cue must look like one (``shape``); the words after it need only
    # score above ``tail_threshold``: "الفرنسية إميلي لوا", "الفرنسي ليليان تورام" (a family
    # name's letters say less than a given name's), not "البرازيلي اندرسون وسكنت".
    score: Callable[[str], float] | None = None
    tail_threshold: float = -8.0

    def __post_init__(self) -> None:
        # The tests of a word alone, remembered (``_remembered``).
        object.__setattr__(self, "_unseen_memo", _remembered(self._unseen))
        object.__setattr__(self, "_tail_memo", _remembered(self._tail))

    def find(self, text: str, tokens: list[Token], taken: set[int]) -> list[NameAfterTitle]:
        if not self.vocabulary:
            return []
        found = []
        after = 0  # the first token not inside a name found already
        tokens = as_tokens(tokens)
        words = tokens.words
        unseen, tail = self._unseen_memo, self._tail_memo
        # A name starts with an unseen word right after a cue: the unseen words are few,
        # found in C (the vocabulary's words left out first), and their positions checked
        # for a cue before them; the cues are many ("قال", every nationality).
        firsts = set(filter(unseen, tokens.outside(self.vocabulary)))
        if not firsts:
            return found
        for i in word_positions(tokens, firsts):
            if i < after or i == 0 or not _is_cue(words[i - 1]):
                continue
            last = i
            while last not in taken and last - i < 3 and (
                unseen(words[last]) if last == i else (
                    tail(words[last]) and not _agreeing(words[last - 1], words[last])
                )
            ):
                if not _free(text, tokens, taken, last + 1):
                    last += 1
                    break
                last += 1
            # Two unseen words after a cue; one after a verb of saying ("أكد فيرجسون").
            needed = 1 if words[i - 1] in SAYING_VERBS else 2
            if last - i >= needed:
                found.append(NameAfterTitle(i, last - 1))
                after = last
        return found

    def _unseen(self, word: str) -> bool:
        return self._unseen_any_shape(word) and (self.shape is None or self.shape(word))

    def _tail(self, word: str) -> bool:
        """A word after the first of a name the cue starts: unseen, no "و" + word (the next
        person of a list, "صيفا وشتاء"), no inflection of a known word ("اضاعا")."""
        if self.score is None:
            return self._unseen(word)
        return (
            self._unseen_any_shape(word)
            and not _conjunction_first(word)
            and not _inflection_of_known(word, self.vocabulary)
            and self.score(word) > self.tail_threshold
        )

    def _unseen_any_shape(self, word: str) -> bool:
        return _unseen_word(word, self.vocabulary, plain=self.shape is None)


# Plural, dual and feminine endings (match form: ة is ه) that a noun and its adjective share:
# "عبوتين ناسفتين", "عمودين مزخرفين". ANERcorp has two words in a row with the same one of
# these endings about 950 times, 2 of them inside a person's name.
_AGREEMENT_ENDINGS = ("ين", "ون", "ات", "يه")


def _verb_after_and(word: str, shape: Callable[[str], bool]) -> bool:
    """"و" + a word of three letters not shaped like a name: an Arabic verb or noun of the
    narrative ("ونثر رماد", "وملء جيوب", "وعكف"), not the first of a run of unseen words,
    which "وكيت" (Kate) may be. With four letters it also cut "وولتر سكوت" (Walter)."""
    return word[:1] == "و" and len(word) == 4 and not shape(word[1:])


def _agreeing(word: str, following: str) -> bool:
    """``following`` agrees with ``word`` as an adjective does with its noun: both longer than
    four letters and with the same plural, dual or feminine ending."""
    return (
        len(word) > 4 and len(following) > 4 and word[-2:] == following[-2:]
        and word.endswith(_AGREEMENT_ENDINGS)
    )


def _unseen_word(word: str, vocabulary: frozenset[str], plain: bool = False) -> bool:
    """An Arabic name word that ``vocabulary`` (of annotated text) never had outside a name,
    in no inflection either; ``plain``: any plain name word, else a bare one."""
    return (
        word not in vocabulary
        and _arabic(word)  # an Arabic vocabulary knows few Latin words: no test of them
        and (_plain_name_word if plain else _bare_name_word)(word)
        and not _plural_verb(word)
        and not any(s.text in vocabulary for s in stems(word))
    )


def _plural_verb(word: str) -> bool:
    """An imperfect verb in the plural, "ي" + stem + "ون" ("يصطادون", "يولدون"): no name
    (ANERcorp: 212 such words, none in a person's name; "يلتسين", "يوهان" end otherwise).
    Not "ت" + "ون" ("تومسون"), nor behind "و" or "ف": "ويلسون", "فيرجسون" are names."""
    return word[:1] == "ي" and word.endswith("ون") and len(word) >= 5


def described_by_nisba(text: str, tokens: list[Token], last: int) -> bool:
    """The word at ``last`` is followed directly by a nisba adjective, as a common noun is
    ("الأسد الآسيوي", "الأسد الهندي"): a listed one-word person so written is the word, not
    the person, whom news text names with the nationality before ("السوري بشار الأسد")."""
    words, starts = _words_starts(tokens)
    return _joined_at(text, words, starts, last + 1) and _nationality(words[last + 1])


def with_conjunctions(words: Iterable[str]) -> frozenset[str]:
    """``words`` as written alone or after the conjunction و or ف ("ريال", "وريال")."""
    return frozenset(conj + word for word in words for conj in ("", *CONJUNCTIONS))


# Demonstratives before a noun: "هذه القاعدة" is "this base", not the body; "هذه الجزيرة" an
# island. In ANERcorp three words in 1,196 after them begin an entity, none of them definite.
# Not "ذلك", which ends phrases ("بعد ذلك", "ومع ذلك") a name may follow.
DEMONSTRATIVES = frozenset(
    normalize(clitic + word)
    for word in "هذا هذه تلك هذين هاتين هؤلاء".split()
    for clitic in ("", "و", "ف", "ب", "ل", "وب", "ول")
)


def after_demonstrative(text: str, tokens: list[Token], first: int) -> bool:
    """The definite word at ``first`` follows a demonstrative directly: it is a common noun."""
    words, starts = _words_starts(tokens)
    return (
        first > 0 and words[first - 1] in DEMONSTRATIVES and _definite(words[first])
        and _joined_at(text, words, starts, first)
    )


# Words that begin transliterated place names (New, San, Saint, Santa, Port, Fort, Los, Las):
# "نيو أورليانز", "سان فرانسيسكو". In ANERcorp train every نيو begins a place (10 times), and
# سان 5 times of 6 (once a club: "سان أنطونيو سبيرز").
PLACE_PREFIXES = frozenset(
    normalize(w) for w in "نيو سان سانت سانتا بورت فورت لوس لاس".split()
)


def after_definite_noun(text: str, tokens: list[Token], first: int) -> bool:
    """The definite word at ``first`` follows a definite noun directly, as its adjective may
    ("الوضع القائم", "التوتر القائم")."""
    words, starts = _words_starts(tokens)
    if first <= 0:
        return False
    before = words[first - 1]
    return (
        (_definite(before) or (before.startswith("وال") and len(before) > 4))
        and before not in NOT_NAME
        and _joined_at(text, words, starts, first)
    )


# Numeral nouns: what follows one is counted ("مليون يورو").
_NUMERAL_NOUNS = frozenset(
    normalize(w) for w in "مليون ملايين مليار مليارات بليون ألف آلاف".split()
)


def counted(text: str, tokens: list[Token], first: int) -> bool:
    """The word at ``first`` follows a number or numeral noun directly: a unit or a month
    ("0.23 يورو", "ثلاثة ملايين فرنك", "13 رجب"), not a person's name. In ANERcorp train one
    word of 2,500 after a number begins a person ("2005 يوسف بطرس غالي", a listed name)."""
    words, starts = _words_starts(tokens)
    if first <= 0:
        return False
    before = words[first - 1]
    return (before.isdigit() or before in _NUMERAL_NOUNS) and (
        _joined_at(text, words, starts, first)
    )


@cache
def country_nisbas() -> frozenset[str]:
    """The masculine nationality adjectives made from the shipped gazetteer's one-word
    country names (match form): "ال" + the name without its article and a final "ا", "ه",
    "يا" or "يه", + "ي" ("ايطاليا" → "الايطالي", "فرنسا" → "الفرنسي", "السعودية" →
    "السعودي"; not "الدولي", "الإسلامي": no country is so named), and those not so made
    (``_OTHER_NISBAS``). Made once a process, when an extractor is first built."""
    nisbas = set(_OTHER_NISBAS)
    countries = gazetteer_files.load([gazetteer_files.DEFAULT_DIR / "countries.tsv"])
    for entry in countries.entries.values():
        for name in entry.all_names():
            word = normalize(name)
            if not word or " " in word:
                continue
            # "المانيا" is no definite word: both readings (ألمانيا → "الألماني").
            for form in {word, word[2:] if _definite(word) else word}:
                stems_ = {form[:-1] if form.endswith(("ا", "ه")) else form}
                if form.endswith(("يا", "يه")):
                    stems_.add(form[:-2])
                nisbas.update("ال" + stem + ("" if stem.endswith("ي") else "ي") for stem in stems_)
    return frozenset(w for w in nisbas if _nisba(w))


# Nationality adjectives not made from the country's Arabic name (إنجلترا → "الإنجليزي").
_OTHER_NISBAS = frozenset(
    normalize(w) for w in "الإنجليزي الإنكليزي الانكليزي الاسكتلندي الأسكتلندي".split()
)


# Nouns of the press before its title: a listed place right after one, or after one and an
# opening quote, is the paper or channel ("صحيفة " الشرق الأوسط "", "جريدة القدس"). In the
# ANERcorp train file the word after them (and a quote) begins an organization 71 times and
# a place never. Written with proclitics ("لصحيفة"), as a text's words are.
MEDIA_NOUNS = _written(_PRESS_NOUNS)
# A club or team noun: the listed place right after one names the club ("نادي ميلان", "لفريق
# مارسيليا"); in the ANERcorp train file the word after "نادي" or "فريق" begins a body 49 times,
# a place once ("منتخب" is left out: "منتخب إيطاليا" is tagged as the country).
CLUB_NOUNS = _written(_CLUB_NOUNS)
# Quote characters that open a paper's title ("صحيفة « النهار »"), and close it.
_TITLE_OPENERS = frozenset('"«“„\'`')
_TITLE_CLOSERS = frozenset('"»”\'`')
_QUOTES_BETWEEN = _TITLE_OPENERS | {" "}  # all that may stand between a press noun and it


def _press_gap(text: str, words: list[str], starts: list[int], first: int) -> str | None:
    """What stands between a press noun and the word at ``first`` after it, when that is
    only spaces and quotes; None when no press noun is before it, or something else is."""
    if first == 0 or words[first - 1] not in MEDIA_NOUNS:
        return None
    between = text[starts[first - 1] + len(words[first - 1]) : starts[first]]
    return between if between and set(between) <= _QUOTES_BETWEEN else None


def after_media_noun(text: str, tokens: list[Token], first: int) -> bool:
    """The word at ``first`` follows a press noun, with only spaces and quotes between."""
    words, starts = _words_starts(tokens)
    return _press_gap(text, words, starts, first) is not None


def names_a_team(
    text: str, tokens: list[Token], first: int, vocabulary: frozenset[str]
) -> bool:
    """The one-word place at ``first`` followed directly by a masculine nationality adjective
    names a sports club: a city or country takes a feminine adjective, a club ("نادي",
    "فريق") a masculine one ("ميلان الإيطالي", "قطر القطري", "ليون الفرنسي"). Not after a
    masculine place noun ("ميناء جنوة الإيطالي"), nor after a word that may be the club's
    first name (an unseen word, with a learnt vocabulary: "لوكوموتيف موسكو الروسي")."""
    words, starts = _words_starts(tokens)
    after = first + 1
    if not (
        after < len(words) and words[after] in country_nisbas()
        and _joined_at(text, words, starts, after)
    ):
        return False
    if first == 0 or not _joined_at(text, words, starts, first):
        return True  # nothing joined before it
    before = words[first - 1]
    if _stem_in(before, shipped_words("loc_heads")):  # the nisba describes a place noun
        return False
    return not vocabulary or _known_word(before, vocabulary)


# Proclitics before a nationality cue: "والفرنسي", "للبرازيلي", "بالإسباني".
_CUE_PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فل")


def _nationality(word: str) -> bool:
    """A definite nisba, masculine or feminine, with or without a proclitic: "الفرنسي",
    "الفرنسية" (match form "الفرنسيه"), "والفرنسي", "للكوبية" ("لل" is ل + "ال" elided)."""
    if not word.endswith(("ي", "يه")):
        return False
    bare = word[:-1] if word.endswith("ه") else word
    if bare in _ORDINALS:  # "القرار الثاني": a number, not a nationality
        return False
    if _nisba(bare):
        return True
    if bare.startswith("لل"):  # ل + ال: the alif of the article is not written
        return _nisba("ا" + bare[1:])
    return any(bare.startswith(p) and _nisba(bare[len(p):]) for p in _CUE_PROCLITICS)


def _remembered(test: Callable[[str], bool]) -> Callable[[str], bool]:
    """``test``, a pure test of a word, remembered for the last 65,536 words: news repeats
    its names, a rule's tests (``stems``, the name shape) cost thousands of instructions a
    word, and ``filter(remembered, words)`` then runs in C for the words met before."""
    return lru_cache(maxsize=1 << 16)(test)


@lru_cache(maxsize=1 << 16)
def _is_cue(word: str) -> bool:
    """A verb of saying or a nationality, after which ``UnseenNamesRule`` reads a name ("الفرنسي
    أرنو كليمان", "وقال …"): a pure function of the word, remembered."""
    return word in SAYING_VERBS or _nationality(word)


@dataclass(frozen=True)
class CuedNameRule:
    """A word never seen outside a name, right after a word that in annotated text mostly
    comes before a person, is a person's name: "ولد أينشتاين", "اللاعب كافو". Both lists are
    learnt (``learn.learn_person_cues``, ``learn.learn_vocabulary``); the rule is off without
    them. Up to two more unseen words after it are the rest of the name.
    """

    cues: frozenset[str]
    vocabulary: frozenset[str]
    shape: Callable[[str], bool] | None = None  # as UnseenNamesRule's
    # UnseenNamesRule's remembered test of a word, for the same vocabulary and shape (the
    # extractor's rule's, shared: a new word is tested once); None: a rule of its own.
    unseen: Callable[[str], bool] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.unseen is None:
            unseen = UnseenNamesRule(self.vocabulary, self.shape)._unseen_memo
            object.__setattr__(self, "unseen", unseen)

    def find(self, text: str, tokens: list[Token], taken: set[int]) -> list[NameAfterTitle]:
        if not self.cues or not self.vocabulary:
            return []
        tokens = as_tokens(tokens)
        if not tokens.outside(self.vocabulary):
            return []  # every word seen outside names: none is unseen (in C)
        unseen, words, count = self.unseen, tokens.words, len(tokens)
        found = []
        after = 1  # the first token not inside a name found already
        for cue in word_positions(tokens, self.cues):  # a name follows a cue or nowhere
            i = cue + 1
            if (i < after or i >= count or i in taken
                    or not unseen(words[i]) or not _free(text, tokens, taken, i)):
                continue
            last = i
            while last + 1 < count and last - i < 2 and unseen(words[last + 1]) and _free(
                text, tokens, taken, last + 1
            ):
                last += 1
            found.append(NameAfterTitle(i, last))
            after = last + 1
        return found


@dataclass(frozen=True)
class UnseenRunRule:
    """Two or three words in a row, none of which a large ``vocabulary`` of annotated text
    had outside a name and each shaped like a name (``shape``, learnt: ``learn.NameShape``),
    are a transliterated person's name wherever they stand: "رئيس لجنة الدفاع ، دونكان
    هانتر", "كرة القدم فرانتس بكنباور". One such word may be a misspelling; two in a row
    seldom are. Off without a vocabulary and a shape.
    """

    vocabulary: frozenset[str]
    shape: Callable[[str], bool] | None = None
    max_words: int = 3
    # Head nouns of bodies and places: the words after them name one ("شركة « فيتش
    # ريتنغز »", "مدينة سان فيسينتي"), not a person.
    heads: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # An unseen word shaped like a name and no head noun ("مزيج برنت": برنت names a
        # blend): a test of the word alone, remembered.
        vocabulary, shape, heads = self.vocabulary, self.shape, self.heads
        object.__setattr__(self, "_name_like", _remembered(
            lambda w: _unseen_word(w, vocabulary) and shape(w) and w not in heads
        ))

    def find(self, text: str, tokens: list[Token], taken: set[int]) -> list[NameAfterTitle]:
        if not self.vocabulary or self.shape is None:
            return []
        tokens = as_tokens(tokens)
        unique = tokens.unique
        names = {  # no word the article also writes with the article ("أسد" / "الأسد").
            # The words the vocabulary has are left out in C first: most of the text's.
            w for w in filter(self._name_like, tokens.outside(self.vocabulary))
            if "ال" + w not in unique
        }
        if not names:
            return []
        words, starts = _words_starts(tokens)
        found = []
        after = 0  # the first token not inside a name found already
        count = len(words)
        for i in word_positions(tokens, names):
            if i + 1 == count or words[i + 1] not in names:
                continue  # no run of two begins here: the tests below spared
            if i < after or i in taken or (i > 0 and _stem_in(words[i - 1], self.heads)):
                continue
            if _verb_after_and(words[i], self.shape):
                continue
            last = i
            while (last - i < self.max_words - 1
                   and _free_at(text, words, starts, taken, last + 1)
                   and words[last + 1] in names
                   and not _conjunction_first(words[last + 1])  # "كانافارو وإيمرسون"
                   and not _agreeing(words[last], words[last + 1])):
                last += 1
            if last > i:
                found.append(NameAfterTitle(i, last))
            after = last + 1
        return found


@dataclass(frozen=True)
class NameShapedRule:
    """A word never seen outside a name whose letters look much more like a person's name
    than like any other word (``score`` above ``threshold``: learnt, ``learn.NameShape``)
    is a person, with up to two more such words after it: "انضم كانافارو", "يلتسين".
    Transliterated names do not inflect, so they are seldom in a vocabulary, and their
    letter patterns (long vowels, foreign endings) differ from Arabic inflections.
    Off without a vocabulary and a score.
    """

    vocabulary: frozenset[str]
    score: Callable[[str], float] | None = None
    # Measured on ANERcorp (5-fold CV): a score above 5 and a word written at least twice in
    # the article (names are repeated; an inflected word seldom is): PER F1 +0.8; any score
    # above 12 alone found 622, of which 47 % right, and cost F1.
    threshold: float = 5.0
    next_threshold: float = 0.0  # for the words after the first
    min_repeats: int = 2  # times the first word is written in the text
    # A word written ``many_repeats`` times or more needs only ``many_threshold``: an Arabic
    # word that no annotated text had outside a name is seldom written three times in one
    # article; a transliterated name often is ("فرويد", "يلتسين", "كالديرون").
    many_repeats: int = 3
    many_threshold: float = 1.0

    def __post_init__(self) -> None:
        low = min(self.threshold, self.many_threshold)  # a first word's test, remembered
        object.__setattr__(self, "_first_like", _remembered(lambda w: self._candidate(w, low)))
        object.__setattr__(self, "_tail_like", _remembered(self._tail))

    def find(self, text: str, tokens: list[Token], taken: set[int]) -> list[NameAfterTitle]:
        if not self.vocabulary or self.score is None:
            return []
        tokens = as_tokens(tokens)
        unique = tokens.unique
        # A word the article also writes with the article is a common noun there: "أسد"
        # beside "الأسد" (the lion); a transliterated name takes no "ال" (PER F1 +0.13).
        candidates = {  # the words the vocabulary has left out in C first (``_candidate``)
            w for w in filter(self._first_like, tokens.outside(self.vocabulary))
            if "ال" + w not in unique
        }
        words = tokens.words
        if candidates:
            counts = Counter(filter(candidates.__contains__, words))  # in C
            candidates = {w for w in candidates if self._repeated_enough(w, counts[w])}
        if not candidates:
            return []
        found = []
        after = 0
        count, tail = len(words), self._tail_like
        for i in word_positions(tokens, candidates):
            if i < after or i in taken:
                continue
            last = i
            # The word's own tests (remembered) before its place's: most fail them.
            while last - i < 2 and last + 1 < count and tail(words[last + 1]) and _free(
                text, tokens, taken, last + 1
            ) and not _agreeing(words[last], words[last + 1]):
                last += 1
            found.append(NameAfterTitle(i, last))
            after = last + 1
        return found

    def _repeated_enough(self, word: str, count: int) -> bool:
        if count >= self.many_repeats:
            return self.score(word) > self.many_threshold
        return count >= self.min_repeats and self.score(word) > self.threshold

    def _tail(self, word: str) -> bool:
        """A word after the first of the name: no "و" + word (the next person of a list) and
        no inflection of a known word ("مدحت صالح يغني": a verb)."""
        return (
            self._candidate(word, self.next_threshold)
            and not _conjunction_first(word)
            and not _inflection_of_known(word, self.vocabulary)
        )

    def _candidate(self, word: str, threshold: float) -> bool:
        return (
            word not in self.vocabulary
            and _arabic(word)
            and _bare_name_word(word)
            and not _plural_verb(word)
            and not _known_word(word, self.vocabulary)
            and self.score(word) > threshold
        )


# -- persons by family nouns, son-of chains, particles and East Asian syllables ---------------


@dataclass(frozen=True)
class FamilyNounRule:
    """The word after a family or dynasty noun ("أسرة", "عائلة", "عشيرة":
    ``data/rules/family_nouns.txt``) is the family's name, a person: "أسرة مينغ", "عائلة
    برلسكوني". It must be a listed name word or, with a ``vocabulary``, a word never seen
    outside a name, bare or a nisba ("عائلة الحريري"): "عائلة واحدة", "أسرة كبيرة" are none.
    """

    nouns: frozenset[str]
    names: frozenset[str] = frozenset()  # listed given names and name words
    vocabulary: frozenset[str] = frozenset()
    common: frozenset[str] = frozenset()  # seldom in a name (learnt)

    @cached_property
    def trigger_forms(self) -> frozenset[str]:
        """Every written form of the nouns ("لأسرة"): what an article is screened for."""
        return _written(self.nouns)

    def find(self, text: str, tokens: list[Token], taken: set[int]) -> list[NameAfterTitle]:
        positions = word_positions(tokens, self.trigger_forms)
        if not positions:
            return []
        words, starts = _words_starts(tokens)
        return [
            NameAfterTitle(i + 1, i + 1) for i in positions
            if i not in taken and _free_at(text, words, starts, taken, i + 1)
            and self._family_name(words[i + 1])
        ]

    def _family_name(self, word: str) -> bool:
        if word in NOT_NAME or word in _TITLE_WORDS or word in self.common:
            return False
        if word in self.names and _is_name_word(word):
            return True
        if not self.vocabulary or word in self.vocabulary:
            return False
        if word.endswith("ه") or word.endswith(_PRONOUN_SUFFIXES):
            return False  # an adjective agreeing with the noun, "عائلة ثرية"; "عائلة مالكها"
        return _unseen_word(word, self.vocabulary) or (
            _nisba(word) and _is_name_word(word) and not _known_word(word, self.vocabulary)
        )


@dataclass(frozen=True)
class PressTitleRule:
    """The title after a press noun (صحيفة جريدة مجلة قناة إذاعة: ``MEDIA_NOUNS``) names the
    paper or channel, the noun left out: "مجلة العربي", "جريدة الحياة", "صحيفة « النهار »".
    In the ANERcorp train file the word after one (and a quote) begins an organization 71
    times, a place never, and no entity 31 times, mostly an adjective of the noun ("صحيفة
    يومية", "مجلة أسبوعية"). So the title is one definite word, or one a learnt vocabulary
    never saw, or the words between quotes (at most ``max_quoted``)."""

    vocabulary: frozenset[str] = frozenset()
    max_quoted: int = 4

    @property
    def trigger_forms(self) -> frozenset[str]:
        return MEDIA_NOUNS

    def find(self, text: str, tokens: list[Token], taken: set[int]) -> list[NameAfterTitle]:
        positions = word_positions(tokens, MEDIA_NOUNS)
        if not positions:
            return []
        words, starts = _words_starts(tokens)
        found = []
        for i in positions:
            first = i + 1
            if first >= len(words) or first in taken or words[first] in NOT_NAME:
                continue
            gap = _press_gap(text, words, starts, first)
            if gap == " ":
                if self._title_word(words[first]):
                    found.append(NameAfterTitle(first, first))
            elif gap is not None and not _TITLE_OPENERS.isdisjoint(gap):
                last = self._quoted_end(text, words, starts, taken, first)
                if last is not None:
                    found.append(NameAfterTitle(first, last))
        return found

    def _title_word(self, word: str) -> bool:
        if _definite(word):
            return True
        return bool(self.vocabulary) and _is_name_word(word) and not _known_word(
            word, self.vocabulary
        )

    def _quoted_end(
        self, text: str, words: list[str], starts: list[int], taken: set[int], first: int
    ) -> int | None:
        """The last word before the closing quote of a title that starts at ``first``."""
        last = first
        while True:
            end = starts[last] + len(words[last])
            if text[end : end + 2].strip()[:1] in _TITLE_CLOSERS:
                return last
            if last - first + 1 >= self.max_quoted or not _free_at(
                text, words, starts, taken, last + 1
            ):
                return None
            last += 1


def link_chain_start(
    rule: PersonNameRule, text: str, tokens: list[Token], taken: set[int], first: int
) -> int:
    """The first token of a found person whose name begins with a word-link ("ولد") once the
    name before the link is added: "حضية" + "ولد" + the found "سلامة ولد النفاع". The word
    before must be a listed name word or, with a vocabulary, one never seen outside a name:
    "ولد" is also "was born" ("وحين ولد فرويد")."""
    words, starts = _words_starts(tokens)
    link = first - 1
    if link < 1 or words[link] not in WORD_LINKS or link - 1 in taken:
        return first
    if not _free_at(text, words, starts, taken, link) or (
        text[starts[link] + len(words[link]) : starts[first]] not in _JOINS
    ):
        return first
    word = words[link - 1]
    if word in NOT_NAME or word in _TITLE_WORDS or word in rule.common:
        return first
    if _stem_in(word, rule.first_names) or _stem_in(word, rule.name_words):
        return first - 2
    known = _known_word(word, rule.vocabulary) or _inflection_of_known(word, rule.vocabulary)
    return first - 2 if rule.vocabulary and _bare_name_word(word) and not known else first


# Particles that begin a European family name ("فان نيستلروي", "دي ميستورا", "فون دير"):
# before a found person they are part of the name. Not the particles that are also common
# words before a name ("لا", "لو", "دا"; "فان" is also "فإن", seldom before a name).
LEADING_PARTICLES = frozenset({"فان", "فون", "دي", "دو", "دل", "ديل"})


def particle_start(
    rule: PersonNameRule, text: str, tokens: list[Token], taken: set[int], first: int
) -> int:
    """The first token of a found person once a name particle written before it is added,
    with a listed given name before the particle: "فان" + "باستن", "رود فان" + "نيستلروي"."""
    words, starts = _words_starts(tokens)
    particle = first - 1
    if particle < 0 or particle in taken or words[particle] not in LEADING_PARTICLES:
        return first
    if text[starts[particle] + len(words[particle]) : starts[first]] not in _JOINS:
        return first
    given = particle - 1
    if given >= 0 and _free_at(text, words, starts, taken, particle) and given not in taken and (
        _stem_in(words[given], rule.first_names)
        and not _conjunction_first(words[given], rule.first_names)
    ):
        return given
    return particle


# East Asian syllables that are also frequent Arabic words ("لي" "to me", "كي" "so that",
# "قوه" "force"; NOT_NAME holds more): the syllable step is screened for the others.
ARABIC_SYLLABLES = frozenset(
    "لي كي لو جو زي شان قوه لان باي دون بين فان دو سو يو هان نام وي ون جن شي شو ما هو هي لن"
    .split()
)


def syllable_extent(
    text: str, tokens: list[Token], taken: set[int], span: tuple[int, int],
    syllables: frozenset[str],
) -> tuple[int, int]:
    """The first and last token of a found person of two East Asian syllables (``span``,
    each word listed in ``syllables``) once the listed syllable next to it is added, the one
    before first: "تشاو شينج" + "لي" before it, "منغ يانغ" + "هي" after it. A Chinese,
    Korean or Vietnamese name has three syllables at most, and the one left out is mostly a
    syllable that is also an Arabic word ("لي" "to me", "هي" "she", "لن"), which no rule
    reads as a name."""
    first, last = span
    if last - first != 1 or not syllables:
        return span
    words, starts = _words_starts(tokens)
    if words[first] not in syllables or words[last] not in syllables:
        return span
    before = first - 1
    if before >= 0 and before not in taken and words[before] in syllables and (
        text[starts[before] + len(words[before]) : starts[first]] in _JOINS
    ):
        return before, last
    if _free_at(text, words, starts, taken, last + 1) and words[last + 1] in syllables:
        return first, last + 1
    return span


# -- acronyms in Latin script ------------------------------------------------------------------

ACRONYM_LETTERS = range(2, 7)  # "UN" … "UNESCO"; longer capitals are a shouted word
# Every byte of ``normalize.fold_bytes``'s alphabet but the Latin letters (lower case: the
# match form's): deleting them from a field's folded bytes leaves its Latin letters, if any.
_NOT_LATIN = bytes(
    byte for byte in range(256)
    if not (byte < len(STORED_CHARS) and "a" <= STORED_CHARS[byte] <= "z")
)


def may_hold_acronyms(folded: bytes | None) -> bool:
    """Whether a field whose match form is ``folded`` (``fold_bytes``; None: off the map, not
    known) has Latin letters: one C call, where asking every distinct word costs 15 µs."""
    return folded is None or bool(folded.translate(None, _NOT_LATIN))


class LatinAcronymRule:
    """An acronym in Latin capitals in Arabic text names an organization ("وكالة AFP", "شبكة
    CNN", "منظمة OPEC"), or a place when ``places`` lists it ("USA"), or nothing when
    ``not_entities`` lists it ("GDP", "CEO", "TV").

    The only rule that reads the stored text: the match form writes Latin in lower case, which
    cannot tell the acronym "AFP" from a word. The lists are in match form (lower case).
    """

    def __init__(self, places: frozenset[str], not_entities: frozenset[str]):
        self.places = places
        self.not_entities = not_entities

    def find(
        self, stored: str, source_span: Callable[[int, int], tuple[int, int]],
        tokens: list[Token], taken: set[int],
    ) -> list[tuple[NameAfterTitle, str]]:
        """(the acronym's token, its type) for each one in ``tokens``; ``source_span`` maps
        a match-form span onto ``stored`` (``MatchText.span_in_source``)."""
        unique = as_tokens(tokens).unique
        latin = {w for w in filter(str.isascii, unique)  # most articles: none, at C speed
                 if w.isalpha() and len(w) in ACRONYM_LETTERS and w not in self.not_entities}
        if not latin:
            return []
        words, starts = _words_starts(tokens)
        found = []
        for i in word_positions(tokens, latin):
            if i in taken:
                continue
            start, end = source_span(starts[i], starts[i] + len(words[i]))
            if stored[start:end].isupper():
                found.append((NameAfterTitle(i, i), "LOC" if words[i] in self.places else "ORG"))
        return found


# -- the next person of a list -----------------------------------------------------------------


@dataclass(frozen=True)
class ListNeighbourRule:
    """Right after a person, "و" + a given name (or + an unseen word shaped like a name)
    starts the next person of a list, with its family name after it even when that is also
    a word ("محمد بنطلحة وصلاح بوسريف وحسن نجمي", "رانيا فريد شوقي ورجاء الجداوي"): the
    first person says what the list is of. Alone, "وحسن" or "نجمي" may be words.
    """

    person: PersonNameRule
    # How much a word looks like a name (learnt: ``learn.NameShape``): "و" + an unseen word
    # scoring above ``threshold`` starts the next person ("بوش وشارون وبلير واولميرت"), not
    # "وأنجب" or "وحائز".
    score: Callable[[str], float] | None = None
    threshold: float = 5.0

    def find(
        self, text: str, tokens: list[Token], taken: set[int], ends: Iterable[int]
    ) -> list[NameAfterTitle]:
        """The persons that follow the persons ending at the tokens ``ends``, one after the
        other ("، وحسن نجمي" after "صلاح بوسريف", then the next after it)."""
        found: list[NameAfterTitle] = []
        words, starts = _words_starts(tokens)
        # Only a word "و" + ... after a person may start the next (``_conjoined_given``'s
        # first test, asked here of each end before a call: most persons are followed by none).
        count = len(words)
        todo = sorted(e for e in ends if e + 1 < count and words[e + 1][:1] == "و")
        if not todo:
            return found
        taken = set(taken)  # ours to grow: the caller's set stays as it was
        while todo:
            i = todo.pop(0) + 1
            if not _free_at(text, words, starts, taken, i) or not self._conjoined_given(words[i]):
                continue
            last = self._family(text, words, starts, taken, i)
            rest = words[i][1:]
            # A weak given name that is also a word ("وصاحب", "ونجم") needs a family name.
            if last == i and rest not in self.person.first_names and (
                rest in self.person.vocabulary
            ):
                continue
            found.append(NameAfterTitle(i, last, 1))
            taken.update(range(i, last + 1))
            todo.append(last)
            todo.sort()
        return found

    def _conjoined_given(self, word: str) -> bool:
        """``word`` is "و" + a listed given name or an unseen word shaped like a name."""
        rest = word[1:]
        if word[:1] != "و" or len(rest) < 2 or rest in NOT_NAME or rest in _TITLE_WORDS:
            return False
        person = self.person
        if rest in person.first_names or rest in person.weak_first:
            return True
        return (
            self.score is not None
            and _unseen_word(rest, person.vocabulary)
            and self.score(rest) > self.threshold
        )

    def _family(
        self, text: str, words: list[str], starts: list[int], taken: set[int], i: int
    ) -> int:
        """The last token of the list member whose given name is at ``i``: one family name
        after it, a known name word or any bare word but a verb, then listed name words."""
        person, last = self.person, i
        while last - i < 2 and _free_at(text, words, starts, taken, last + 1):
            word = words[last + 1]
            if words[last].endswith("عبد") and _is_name_word(word):  # "وعبد الله": compound
                last += 1
                continue
            if (not _is_name_word(word) or word in person.common or word in _TITLE_WORDS
                    or _conjunction_first(word, person.first_names, person.name_words)):
                break
            known = word in person.first_names or word in person.name_words or _nisba(word)
            if not known and (last > i or _definite(word)
                              or _inflection_of_known(word, person.vocabulary)):
                break
            last += 1
        return last


def latin_glosses(
    text: str, tokens: list[Token], taken: set[int], ends: Iterable[int], max_words: int = 4
) -> list[NameAfterTitle]:
    """A person's name in Latin letters in brackets right after the person's Arabic name is
    the person again: "ألبرت أينشتاين ( Albert Einstein )", "تشارلز الأول ( Charles I )"."""
    words, starts = _words_starts(tokens)
    found = []
    for end in ends:
        first = last = end + 1
        if first >= len(words) or first in taken or not words[first].isascii() or (
            text[starts[end] + len(words[end]) : starts[first]].strip() != "("
        ):
            continue
        while last - first < max_words and words[last].isascii() and words[last].isalpha():
            if not _free_at(text, words, starts, taken, last + 1):
                break
            last += 1
        after = text[starts[last] + len(words[last]) :].lstrip()
        if words[last].isalpha() and words[last].isascii() and after.startswith(")"):
            found.append(NameAfterTitle(first, last))
    return found
