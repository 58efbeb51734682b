"""Publication dates written in Arabic: "الخميس 11 يونيو 2020", "١١ حزيران ٢٠٢٠", "19 شوال 1441 هـ".

Pages that state no machine-readable date still print one near the headline. ``find_date(text)``
returns the first date it recognizes there as ISO 8601 (``2020-06-11``, or
``2020-06-11T10:30:00`` when a time follows), or None.

Recognized, in the text's normalized form (digits folded, hamza and teh-marbuta variants
folded, diacritics and tatweel dropped):

* day, month name, four-digit year, with an optional weekday before and ``م`` after; month names
  in all the series Arabic news uses (:data:`MONTHS`): Egyptian/Gulf (يناير، يونيو), Levantine
  and Iraqi (كانون الثاني، حزيران), Maghreb (يونيو، يوليوز، غشت، شتنبر), Algerian and Tunisian
  (جانفي، جوان، جويلية، أوت), and the double form "حزيران/يونيو";
* numeric dates, day first as Arab pages write them: ``11/06/2020``, ``11-6-2020``, ``2020/06/11``;
* Hijri dates: day, Hijri month (:data:`HIJRI_MONTHS`), year, optional ``هـ``, converted to the
  Gregorian date by the Umm al-Qura calendar (``hijridate``). A Gregorian date anywhere in the
  text wins over a Hijri one: pages giving both mean the same day, and the Gregorian is exact;
* a time after the date (within a few words): ``10:30``, with ``ص``/``صباحا`` (am) or
  ``م``/``مساء`` (pm).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from newsarchive.arabic.normalize import fold

__all__ = ["HIJRI_MONTHS", "MONTHS", "find_date"]

# Month names in normalized spelling (see _fold) → month number.
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "يناير|كانون الثاني|جانفي|كانون ثاني",
        "فبراير|شباط|فيفري|فبرير",
        "مارس|اذار|مارت",
        "ابريل|نيسان|افريل|ابريل",
        "مايو|ايار|ماي|مايو",
        "يونيو|يونيه|حزيران|جوان",
        "يوليو|يوليه|تموز|يوليوز|جويليه|جويلية",
        "اغسطس|اب|غشت|اوت|اغشت",
        "سبتمبر|ايلول|شتنبر",
        "اكتوبر|تشرين الاول|تشرين اول",
        "نوفمبر|تشرين الثاني|نونبر|تشرين ثاني",
        "ديسمبر|كانون الاول|دجنبر|كانون اول",
    ),
    start=1,
):
    for _name in _names.split("|"):
        MONTHS[_name] = _number

HIJRI_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "محرم",
        "صفر",
        "ربيع الاول|ربيع اول",
        "ربيع الاخر|ربيع الثاني|ربيع ثاني|ربيع اخر",
        "جمادي الاولي|جمادي الاول|جمادي اولي",
        "جمادي الاخره|جمادي الثانيه|جمادي الاخر|جمادي الثاني|جمادي اخره",
        "رجب",
        "شعبان",
        "رمضان",
        "شوال",
        "ذو القعده|ذي القعده",
        "ذو الحجه|ذي الحجه",
    ),
    start=1,
):
    for _name in _names.split("|"):
        HIJRI_MONTHS[_name] = _number

def _fold(text: str) -> str:
    """The match form (the archive's one normalization), whitespace runs made single spaces."""
    return " ".join(fold(text).split())


def _alternation(names: dict[str, int]) -> str:
    # Longest first, so "كانون الثاني" is tried before a shorter name could match.
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_D = r"(?<!\d)(\d{1,2})"
_Y = r"(\d{4})(?!\d)"
# A month name must stand alone: "اب" (August) is also a prefix of many words.
_END = r"(?![\u0621-\u064a])"
_START = r"(?<![\u0621-\u064a])"
_GREGORIAN = re.compile(
    rf"{_D}\s*(?:من\s+)?{_START}({_alternation(MONTHS)}){_END}"
    rf"(?:\s*[/(-]\s*(?:{_alternation(MONTHS)}){_END}\s*\)?)?[\s,،]*{_Y}"
)
_HIJRI = re.compile(rf"{_D}\s*{_START}({_alternation(HIJRI_MONTHS)}){_END}[\s,،]*{_Y}")
_NUMERIC_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/.-])")
_NUMERIC_YMD = re.compile(r"(?<![\d/.-])(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?![\d/.-])")
_TIME = re.compile(
    r"^[^\d]{0,20}?(?<!\d)(\d{1,2}):(\d{2})(?::\d{2})?(?!\d)\s*"
    r"(ص|صباحا|صباح|م|مساء|مساءا|ظهرا|am|pm)?(?![\u0621-\u064a])",
    re.IGNORECASE,
)
_PM = {"م", "مساء", "مساءا", "ظهرا", "pm"}


def find_date(text: str) -> str | None:
    """The first date stated in ``text`` (Gregorian preferred over Hijri) as ISO 8601, or None."""
    folded = _fold(text)
    for found in (_gregorian(folded), _hijri(folded)):
        if found is not None:
            day, end = found
            return _with_time(day, folded[end:])
    return None


def _gregorian(text: str) -> tuple[date, int] | None:
    candidates: list[tuple[int, date, int]] = []
    for pattern, order in ((_GREGORIAN, "dmy"), (_NUMERIC_DMY, "dmy"), (_NUMERIC_YMD, "ymd")):
        for match in pattern.finditer(text):
            a, b, c = match.groups()
            if order == "dmy":
                day, month, year = int(a), MONTHS.get(b) or _int(b), int(c)
            else:
                year, month, day = int(a), int(b), int(c)
            found = _date(year, month, day)
            if found is not None:
                candidates.append((match.start(), found, match.end()))
                break  # the first valid match of each pattern is enough
    if not candidates:
        return None
    _, found, end = min(candidates, key=lambda c: c[0])
    return found, end


def _hijri(text: str) -> tuple[date, int] | None:
    from hijridate import Hijri  # imported late: only pages with a Hijri date need it

    for match in _HIJRI.finditer(text):
        day, month, year = int(match.group(1)), HIJRI_MONTHS[match.group(2)], int(match.group(3))
        try:
            return Hijri(year, month, day).to_gregorian(), match.end()
        except (ValueError, OverflowError):
            continue
    return None


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _date(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_time(day: date, after: str) -> str:
    """``day`` as ISO, with the clock time that follows it closely, if any."""
    match = _TIME.match(after)
    if not match:
        return day.isoformat()
    hour, minute, suffix = int(match.group(1)), int(match.group(2)), (match.group(3) or "")
    if suffix.lower() in _PM and hour < 12:
        hour += 12
    elif suffix and suffix.lower() not in _PM and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return day.isoformat()
    return datetime(day.year, day.month, day.day, hour, minute).isoformat()
