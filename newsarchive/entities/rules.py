"""Rules beyond the gazetteer: persons named after a title, and later partial mentions.

All words here are in the match form (see ``arabic.normalize``), so "الرئيس" also stands for
"الرَّئيس" and "والرئيس" (clitics are handled by the matcher).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..arabic.normalize import normalize
from .matcher import NameTable, Token, joined

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


def _is_name_word(word: str) -> bool:
    return (
        len(word) >= 2
        and word.isalpha()
        and word not in NOT_NAME
        and not any(word.startswith(p) and len(word) - len(p) >= 3 for p in _CLITIC_ARTICLE)
    )  # the length test keeps names like فالح and كالين


def _definite(word: str) -> bool:
    return word.startswith("ال") and len(word) > 3


@dataclass(frozen=True)
class NameAfterTitle:
    first: int  # token index of the first name word
    last: int  # token index of the last name word


class TitleRule:
    """A name right after a person title or role is a person, gazetteer or not."""

    def __init__(self, titles: tuple[str, ...] = PERSON_TITLES):
        self.titles = NameTable((title, "title") for title in titles)

    def find(self, text: str, tokens: list[Token], taken: set[int]) -> list[NameAfterTitle]:
        found = []
        for title in self.titles.find(text, tokens, taken):
            name = self._name_after(text, tokens, title.last, taken)
            if name is not None:
                found.append(name)
                taken = taken | set(range(name.first, name.last + 1))
        return found

    def _name_after(
        self, text: str, tokens: list[Token], title_last: int, taken: set[int]
    ) -> NameAfterTitle | None:
        def free(i: int) -> bool:
            return i < len(tokens) and i not in taken and joined(text, tokens[i - 1], tokens[i])

        start = title_last + 1
        # Skip "الأمريكي", "الوزراء", "الخارجية …" when a bare name follows them.
        for skipped in range(MAX_SKIPPED + 1):
            i = start + skipped
            if not free(i):
                return None
            word = tokens[i].text
            if not _definite(word):
                break
        else:
            return None
        if not _is_name_word(tokens[i].text) or tokens[i].text in NAME_LINKS - {"ابو", "عبد"}:
            return None
        first = last = i
        words = 1
        family = False  # a family name ("الكاظمي", "آل مكتوم") ends the name
        while free(last + 1) and words < MAX_NAME_WORDS and not family:
            previous, word = tokens[last].text, tokens[last + 1].text
            if word in NAME_LINKS:
                if not free(last + 2) or not _is_name_word(tokens[last + 2].text):
                    break
                family = word == "ال"
                last += 2
            elif _is_name_word(word):
                family = _definite(word) and previous != "عبد"  # عبد الفتاح: still the given name
                last += 1
            else:
                break
            words += 1
        return NameAfterTitle(first, last)


# Last words that are no surname on their own: "حسن نصر الله" is "نصر الله" when partial.
COMPOUND_TAILS = frozenset({"الله", "الدين", "الرحمن", "الرحيم", "الكريم", "العزيز"})


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
        return [words[-1:]]
    if entity_type == "ORG" and _definite(words[0]) and words[0] not in NOT_NAME:
        return [words[:1]]
    return []
