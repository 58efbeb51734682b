"""extract.dates: Arabic date text, all month-name series, Hijri dates, times."""

from __future__ import annotations

import pytest

from newsarchive.extract.dates import find_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("الخميس 11 يونيو 2020", "2020-06-11"),
        ("١١ حزيران ٢٠٢٠", "2020-06-11"),  # Levantine month, Arabic-Indic digits
        ("نشر في: 11 حزيران/يونيو 2020 - 10:30 م", "2020-06-11T22:30:00"),
        ("الأحد 3 آب 2021", "2021-08-03"),  # آب must not be read inside other words
        ("الثلاثاء ٦ تشرين الأول ٢٠٢٠", "2020-10-06"),
        ("12 كانون الثاني 2019", "2019-01-12"),
        ("الجمعة 12 غشت 2022 - 11:45", "2022-08-12T11:45:00"),  # Moroccan
        ("12 جانفي 2022", "2022-01-12"),  # Algerian/Tunisian
        ("5 أيار 2019 الساعة 7:05 صباحاً", "2019-05-05T07:05:00"),
        ("الخميس، 11 يونيو 2020 10:30 ص", "2020-06-11T10:30:00"),
        ("19 شوال 1441 هـ", "2020-06-11"),  # Hijri, Umm al-Qura
        ("السبت ٢٠ ذو الحجة ١٤٤٢ هـ", "2021-07-30"),
        ("الخميس - 19 شوال 1441 هـ - 11 يونيو 2020 مـ", "2020-06-11"),  # Gregorian wins
        ("11/06/2020 10:30", "2020-06-11T10:30:00"),  # day first
        ("2020/06/11", "2020-06-11"),
    ],
)
def test_dates_in_words(text: str, iso: str):
    assert find_date(text) == iso


@pytest.mark.parametrize(
    "text", ["سعر 20 دولار", "تشرين الأول 2020", "31 فبراير 2020", "11 يونيو", "1/2/3", ""]
)
def test_no_date(text: str):
    assert find_date(text) is None
