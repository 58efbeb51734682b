"""extract: plain-text and HTML articles, furniture, metadata, HTML sniffing, robustness."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.extract import Article, ExtractError, extract, looks_like_html
from newsarchive.extract import html as html_module
from newsarchive.extract.html import _squash, iso_datetime

REPO = Path(__file__).parent.parent
SEED = (REPO / "seeds" / "000_8e60ac49c7d6514a.txt").read_text(encoding="utf-8")
PAGE = (Path(__file__).parent / "fixtures" / "inputs" / "news_page.html").read_text(
    encoding="utf-8"
)
FURNITURE = [re.compile(r"ت\s*\+\s*ت\s*-\s*الحجم الطبيعي"), re.compile(r"(?i)email")]

TITLE = "وزير الخارجية يزور بغداد لبحث التعاون الاقتصادي"
PAGE_PARAGRAPHS = [
    "وصل وزير الخارجية إلى بغداد صباح اليوم الخميس في زيارة رسمية تستمر يومين، يبحث خلالها"
    " مع المسؤولين العراقيين ملفات التعاون الاقتصادي والطاقة.",
    "وقال الوزير في مؤتمر صحفي إن «العلاقات بين البلدين تشهد تطوراً كبيراً»، مشيراً إلى توقيع"
    " عدد من الاتفاقيات في مجالات التجارة والاستثمار.",
    "ملف الطاقة",
    "وأضاف أن الجانبين سيناقشان ربط شبكات الكهرباء وزيادة صادرات النفط عبر الموانئ.",
]


# --- plain text --------------------------------------------------------------------------


def test_seed_article():
    article = extract(SEED, FURNITURE)
    assert article.title == SEED.splitlines()[0]
    assert article.text.startswith("حدد التحالف الدولي")
    assert "الحجم الطبيعي" not in article.text
    assert "Email" not in article.text
    assert article.text.endswith("كتجهيزات وسلاح».")
    assert article.published is None
    assert article.metadata == {"format": "text"}
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 11
    assert all(p == p.strip() and p for p in paragraphs)


def test_seed_without_patterns_keeps_the_furniture():
    article = extract(SEED)
    assert article.text.startswith("ت + ت - الحجم الطبيعي")
    assert article.text.endswith("\n\nEmail")


def test_furniture_first_line_is_not_the_title():
    article = extract(
        "\n  ت + ت - الحجم الطبيعي\nالعنوان\r\n\r\nالفقرة الأولى\n\n\nالثانية\n", FURNITURE
    )
    assert article == Article("العنوان", "الفقرة الأولى\n\nالثانية", None, {"format": "text"})


@pytest.mark.parametrize("text", ["", "  \n\n", "العنوان وحده\n", "العنوان\nEmail\n"])
def test_no_body_is_an_error(text: str):
    with pytest.raises(ExtractError, match="no article text found"):
        extract(text, FURNITURE)


# --- HTML --------------------------------------------------------------------------------


def test_news_page():
    article = extract(PAGE, FURNITURE)
    assert article.title == TITLE  # og:title with " | صحيفة الخليج" removed
    assert article.text.split("\n\n") == PAGE_PARAGRAPHS
    assert article.published == "2020-06-11T09:30:00+04:00"
    assert article.metadata == {
        "format": "html",
        "author": "أحمد علي",
        "site_name": "صحيفة الخليج",
        "url": "https://example.com/news/visit-baghdad",
        "description": "زيارة رسمية تستمر يومين لبحث ملفات الطاقة والتجارة.",
        "lang": "ar",
    }


def test_title_element_suffix_removed_and_time_element_used():
    page = (
        PAGE.replace('<meta property="og:title"', '<meta property="og:x"')
        .replace('<h1 class="story-title">', "<h5>")
        .replace("</h1>", "</h5>")
        .replace('"datePublished"', '"x"')
    )
    article = extract(page, FURNITURE)
    assert article.title == TITLE  # from <title>, " - صحيفة الخليج" removed
    assert article.published == "2020-06-11T09:30:00+04:00"  # from <time datetime>
    assert article.text.split("\n\n") == PAGE_PARAGRAPHS


def test_densest_container_and_br_paragraphs():
    page = """<html><head><title>عنوان الخبر</title></head><body>
    <div class="menu"><p>الرئيسية</p></div>
    <div id="x"><p>فقرة أولى طويلة بما يكفي لتكون نص الخبر.<br>سطر ثان بعد فاصل.</p>
    <p>فقرة ثانية من <b>نص</b> الخبر.</p></div>
    <div><p>قصير</p></div>
    <div class="social-share"><p>شارك على فيسبوك وتويتر وواتساب وتيليغرام الآن</p></div>
    </body></html>"""
    article = extract(page)
    assert article.title == "عنوان الخبر"
    assert article.text.split("\n\n") == [
        "فقرة أولى طويلة بما يكفي لتكون نص الخبر.",
        "سطر ثان بعد فاصل.",
        "فقرة ثانية من نص الخبر.",
    ]


def test_text_outside_paragraphs_is_split_at_blocks():
    page = """<html><body><article><h1>العنوان</h1>
    <div>السطر الأول من الخبر <a href="#">مع رابط</a> في وسطه.<br><br>السطر الثاني.</div>
    <div>السطر الثالث.</div></article></body></html>"""
    article = extract(page)
    assert article.title == "العنوان"
    assert article.text == "السطر الأول من الخبر مع رابط في وسطه.\n\nالسطر الثاني.\n\nالسطر الثالث."


def test_only_scripts_is_an_error():
    page = (
        "<html><head><script>var a = '<p>لا</p>';</script></head>"
        "<body><script>x()</script><style>p {}</style></body></html>"
    )
    with pytest.raises(ExtractError, match="^no article text found$"):
        extract(page)


def test_malformed_html_does_not_crash():
    page = "<html><body><article><h1>عنوان<p>نص <b>غير <i>مغلق</b> الخبر<p>فقرة</article></div>"
    article = extract(page)
    assert article.title.startswith("عنوان")
    assert "فقرة" in article.text


def test_deep_nesting_does_not_crash():
    depth = 100_000
    page = "<html><body>" + "<div>" * depth + "<p>نص عميق جدا</p>" + "</div>" * depth
    page = "<title>عنوان</title>" + page + "</body></html>"
    try:
        article = extract(page)
    except ExtractError as exc:
        assert "deeply nested" in str(exc)
    else:
        assert (article.title, article.text) == ("عنوان", "نص عميق جدا")


# --- sniffing and dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html>", True),
        ("\ufeff  <!-- saved --> <html lang='ar'>", True),
        ("<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>", True),
        ("<head><title>x</title></head>", True),
        ("  <body><p>x</p></body>", True),
        ("<article><p>x</p></article>", True),
        ("عنوان\n<p>فقرة</p><p>فقرة</p><div>ثالثة</div>", True),
        (SEED, False),
        ("العنوان\nالمعادلة a<b و c>d\n<p> مرة واحدة", False),
    ],
)
def test_sniffing(text: str, expected: bool):
    assert looks_like_html(text) is expected


def test_html_flag_forces_the_parser():
    text = "<p>عنوان</p>\n<p>فقرة</p>"
    assert extract(text, html=False).title == "<p>عنوان</p>"
    assert extract("<title>عنوان</title><p>فقرة</p>", html=True).text == "فقرة"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2020-06-11", "2020-06-11"),
        ("2020-06-11T06:00:00Z", "2020-06-11T06:00:00+00:00"),
        ("2020-06-11T06:00:00.000+0300", "2020-06-11T06:00:00+03:00"),
        ("2020-06-11 06:00", "2020-06-11T06:00:00"),
        ("2020/6/11", "2020-06-11"),
        ("Thu, 11 Jun 2020 06:00:00 GMT", "2020-06-11T06:00:00+00:00"),
        ("2020-13-45", None),
        ("أمس", None),
    ],
)
def test_iso_datetime(raw: str, iso: str | None):
    assert iso_datetime(raw) == iso


def test_unparseable_date_is_kept_raw():
    page = PAGE.replace("2020-06-11T09:30:00+04:00", "الخميس 11 يونيو")
    article = extract(page)
    assert article.published is None
    assert article.metadata["published_raw"] == "الخميس 11 يونيو"


# --- when trafilatura is asked -----------------------------------------------------------

PARAGRAPH = "<p>" + "نص الخبر الطويل بما يكفي ليكون فقرة حقيقية من مقال. " * 3 + "</p>"


def _page(article: str, extra: str = "") -> str:
    return (f"<html><head><title>{TITLE}</title></head><body><nav><a href='/'>الرئيسية</a>"
            f"</nav><article><h1>{TITLE}</h1>{article}</article>{extra}</body></html>")


def _consulted(monkeypatch: pytest.MonkeyPatch, page: str) -> tuple[bool, Article]:
    import newsarchive.extract.html as html

    calls: list[str] = []
    real = html._trafilatura_paragraphs
    monkeypatch.setattr(html, "_trafilatura_paragraphs", lambda t: calls.append(t) or real(t))
    article = extract(page)
    return bool(calls), article


def test_a_clear_article_skips_trafilatura(monkeypatch):
    consulted, article = _consulted(monkeypatch, _page(PARAGRAPH * 3))
    assert not consulted
    assert article.title == TITLE and article.text.count("\n\n") == 2


@pytest.mark.parametrize(
    "article, extra",
    [
        # a "read also" list of links inside the article
        (PARAGRAPH * 3 + "<ul><li><a href='/a'>عنوان خبر آخر مرتبط</a></li></ul>", ""),
        # several articles: a listing page, not one story
        (PARAGRAPH * 3, "<article>" + PARAGRAPH * 2 + "</article>"),
        # most of the article's text outside paragraphs
        (PARAGRAPH + "<div>" + "نص خارج الفقرات " * 40 + "</div>", ""),
    ],
)
def test_an_unclear_article_asks_trafilatura(monkeypatch, article, extra):
    consulted, _ = _consulted(monkeypatch, _page(article, extra))
    assert consulted


# --- speed-ups that must not change the output ---------------------------------------------


@given(st.text(alphabet=st.sampled_from(list("ab عر \t\n\r\x0b\x1c\x85\xa0\u2003\u3000\u200b"))))
def test_squash_collapses_exactly_what_the_whitespace_regex_did(text):
    assert _squash(text) == re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("furniture", ["", "<nav><a href='/'>الرئيسية</a></nav>"])
def test_a_page_reads_the_same_whether_or_not_furniture_was_dropped(furniture):
    """Without furniture the page's first measurements are reused; with, they are redone."""
    body = "".join(f"<p>{p}</p>" for p in PAGE_PARAGRAPHS)
    page = f"<html><body>{furniture}<article><h1>{TITLE}</h1>{body}</article></body></html>"
    article = extract(page, html=True)
    assert article.title == TITLE
    assert article.text == "\n\n".join(PAGE_PARAGRAPHS)


def test_only_the_space_is_printable_whitespace():
    """``_squash`` returns a printable text with single inner spaces as it is."""
    assert [c for c in map(chr, range(0x110000)) if c.isspace() and c.isprintable()] == [" "]
    assert _squash("نص  آخر") == "نص آخر" and _squash("نص\u00a0آخر") == "نص آخر"


FURNISHED = (
    "<html><body><div class='page'>lead <nav>menu</nav> tail one "
    "<article><h1>عنوان</h1><p>فقرة <b>أولى</b><br>سطر</p><div class='share'>شارك</div>"
    " tail two <p>فقرة ثانية</p><aside>جانب</aside></article>"
    "<div class='related'><p>خبر آخر</p></div> tail three</div>"
    "<footer>حقوق</footer></body></html>"
)


def test_sizes_kept_after_dropping_furniture_are_those_measured_again():
    """``_clean`` measures again only the ancestors of what it drops: the sizes must be
    those of measuring the whole page again (tails joined to their neighbours included)."""
    root = html_module._parse(FURNISHED)
    sizes = html_module._measure(root)
    assert html_module._clean(root, sizes)
    fresh = html_module._measure(root)
    assert {tag: sizes[tag] for tag in fresh} == fresh
    assert "tail one" in root.find(".//div").text and "menu" not in "".join(root.itertext())


def test_text_lines_of_a_plain_paragraph_are_those_of_the_walk():
    paragraph = html_module._parse("<p> سطر  أول \n\n سطر ثان </p>").find(".//p")
    assert html_module._text_lines(paragraph) == ["سطر أول", "سطر ثان"]
    wrapped = html_module._parse("<div><p> سطر  أول \n\n سطر ثان </p></div>").find(".//div")
    assert html_module._text_lines(wrapped) == ["سطر أول", "سطر ثان"]
    assert html_module._text_lines(html_module._parse("<p>a<br>b</p>").find(".//br")) == []


def test_a_lone_surrogate_becomes_a_replacement_character():
    article = extract("<html><body><article><h1>عنوان</h1><p>نص \ud800 آخر</p></article>"
                      "</body></html>", html=True)
    assert article.text == "نص \ufffd\ufffd\ufffd آخر"  # its three UTF-8 bytes, each replaced
