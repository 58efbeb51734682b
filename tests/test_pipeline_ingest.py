"""The ingest path's pure parts: language guess and the record id that verify recomputes."""

from __future__ import annotations

import re

import pytest

from newsarchive.entities.extract import EntityExtractor
from newsarchive.extract import Article
from newsarchive.pipeline import build_record, guess_language
from newsarchive.verify import content_id


def _reference(text: str, declared: str | None = None) -> str:
    """guess_language as first written: two full regex counts."""
    arabic = len(re.findall("[\u0621-\u064a\u0671-\u06d3]", text))
    latin = len(re.findall("[A-Za-z]", text))
    if arabic and arabic >= latin:
        return "ar"
    if declared:
        return declared.split("-")[0].lower()
    return "en" if latin else "und"


@pytest.mark.parametrize(
    "text, declared",
    [
        ("نص عربي", None), ("plain English", None), ("", None), ("١٢٣ 456", "fr-FR"),
        ("عربي abc", None), ("ab عر abcd", None), ("abc عرب", "en"), ("éèà ß", "de"),
        ("ٱلعربية ۓ and", None), ("\udc80 x", None), ("ABCDEF عربية", "ar-EG"),
    ],
)
def test_guess_language_counts_as_before(text, declared):
    assert guess_language(text, declared) == _reference(text, declared)


def test_build_record_id_is_what_verify_recomputes():
    article = Article(title="  عُنوانٌ   «مهم» ", text="فقرة  أولى\u200f\n\n\n\nفقرة ﻻ ثانية\r\n")
    record = build_record(article, "/x", EntityExtractor.from_paths([], use_default=False))
    assert record.title == "عُنوانٌ «مهم»" and "\u200f" not in record.text
    assert record.id == content_id(record)
