"""HTML articles: main text and metadata from a news page.

The page is parsed once, by lxml (libxml2's HTML parser, the one BeautifulSoup used here
before: the same tree, without a Python object built per node; the rules run 2-2.5x faster).
The main text comes from two extractors: trafilatura, the field's reference, and our own rules
(steps 3-5). With
``engine="auto"`` (the default) both run and trafilatura's text is kept, unless one text is
essentially contained in the other and holds at least half of it: then the smaller one is kept,
because what the larger adds is what only one extractor took for article — in practice teaser
cards, sidebars and menus (:func:`_choose`). trafilatura (3/4 of the extraction time) is skipped
when the rules' text is clearly the article (:func:`_is_clear`: one ``<article>``, its
paragraphs nearly all its text, none of them mostly links). ``benchmarks/extraction.py``
measures all three on the dev set in ``tests/fixtures/pages/`` (see the README, "Fetching").

1. **Metadata** first, from the untouched page: ``<meta>`` tags (Open Graph, article:*,
   name=author...), JSON-LD (``NewsArticle``/``Article``/... and ``@graph``), ``<link
   rel=canonical>``, ``<time datetime>``, ``<html lang>``.
2. **Title**: og:title, else the first ``<h1>`` inside ``<article>``/``<main>``, else
   ``<title>``; a " - Site" / " | Site" suffix (or "Site | " prefix) is removed when the site
   name is known (og:site_name, JSON-LD publisher, application-name).
3. **Clean-up**: drop :data:`DROPPED_TAGS`, hidden elements, and elements whose class or id
   names furniture (:data:`FURNITURE_CLASS`: share, social, related, comments, ads...), except
   elements that hold the article itself.
4. **Container**: the ``<article>`` with the most paragraph text, else
   ``[itemprop=articleBody]``, else ``<main>``, else the element whose direct ``<p>`` children
   hold the most text ("densest"); an ``<article>`` holding under a third of the page's
   paragraph text (a teaser card) loses to the densest container.
5. **Paragraphs**: the text of ``<p>``, ``<h2>``-``<h4>`` and ``<li>`` in the container (the
   innermost ones; ``<br>`` splits a paragraph), or, when most of the container's text is outside
   such elements (text in ``<div>``s separated by ``<br>``), its text split at block
   boundaries. Furniture patterns drop paragraphs as in plain text.
6. **Dates in words**: with no machine-readable date, the text of ``<time>`` elements and of
   elements named like a date (class/id "date", "time", "publish"...) is read by
   :func:`newsarchive.extract.dates.find_date` ("الخميس 11 يونيو 2020", Hijri dates too).
7. **Section and tags**: article:section / JSON-LD articleSection; article:tag, keywords /
   news_keywords and JSON-LD keywords (``metadata["tags"]``: one tag a line).
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from lxml import etree

from newsarchive.extract import Article, ExtractError, is_furniture

__all__ = ["DROPPED_TAGS", "ENGINES", "FURNITURE_CLASS", "extract_html", "iso_datetime"]

# Main-text engines: "auto" picks between trafilatura's and the rules' text (see _choose).
ENGINES = ("auto", "trafilatura", "rules")

DROPPED_TAGS: tuple[str, ...] = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg",
    "button", "template", "object", "embed", "canvas", "select", "input", "textarea", "dialog",
    "link", "meta",
)  # fmt: skip
# ARIA roles of the same furniture.
DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})

# Matched against an element's class and id, split into lower-case words ("shareBar",
# "share_bar", "share-bar" → "share bar").
FURNITURE_CLASS = re.compile(
    r"\b(?:share|shares|sharing|sharethis|addthis|social|socials|related|comments?|disqus"
    r"|cookies?|consent|gdpr|breadcrumbs?|menu|menus|nav|navbar|navigation|ads?|advert\w*"
    r"|sponsor\w*|dfp|newsletter|subscribe|subscription|tags|taglist|read more|readmore"
    r"|more stories|promo|promos|sidebar|popup|modal|outbrain|taboola|sr only"
    r"|visually hidden|screen reader text)\b"
)
_CLASS_SPLIT = re.compile(r"[\s_\-:./]+|(?<=[a-z])(?=[A-Z])")

BLOCKS = ("p", "h2", "h3", "h4", "li")
# Block-level elements: text boundaries when the container's text is not in BLOCKS.
_BLOCK_LEVEL = frozenset({
    "address", "article", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "table", "td",
    "th", "tr", "ul",
})  # fmt: skip

# Elements whose text is never page text (script contents are read for JSON-LD first).
_NOT_TEXT = ("script", "style", "template")
Tag = etree._Element  # an element of the parsed page

_ARTICLE_TYPE = re.compile(r"(?:\w*Article|BlogPosting|LiveBlogPosting|Report)$")


def _squash(text: str | None) -> str:
    """Whitespace runs as one space, stripped. ``str.split`` splits on exactly what ``\\s``
    matches (``str.isspace``), 3-4x faster than ``re.sub(r"\\s+", " ", text).strip()``."""
    if not text:
        return ""
    # Most text is squashed already, and saying so is 3x cheaper than splitting it into words:
    # a printable text has no whitespace but the space (a test checks every code point).
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text
    return " ".join(text.split())


def extract_html(
    text: str,
    furniture: Sequence[re.Pattern[str]] = (),
    *,
    engine: str = "auto",
    data: bytes | None = None,
) -> Article:
    """Return the :class:`Article` of an HTML page; ``engine`` picks the main-text extractor
    (:data:`ENGINES`). ``data``: ``text`` as UTF-8, when the caller has it already.

    Raises :class:`ExtractError` when the page holds no article text, or is nested too deeply
    to process.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    try:
        return _extract(text, furniture, engine, data)
    except RecursionError:
        raise ExtractError("HTML too deeply nested") from None


class _Index:
    """The page's elements in document order, grouped by tag name: one walk instead of a
    ``find_all`` per question (each of which walks the whole tree)."""

    def __init__(self, root: Tag):
        self.tags = list(root.iter(etree.Element))  # elements only: no comments
        self.by_name: dict[str, list[Tag]] = {}
        for tag in self.tags:
            self.by_name.setdefault(tag.tag, []).append(tag)

    def named(self, name: str) -> list[Tag]:
        return self.by_name.get(name, [])

    def first(self, name: str) -> Tag | None:
        found = self.by_name.get(name)
        return found[0] if found else None

    def having(self, attr: str, value: str) -> list[Tag]:
        """Elements whose ``attr`` (one of its words, for class/rel) equals ``value``."""
        return [t for t in self.tags if value in _attr(t, attr).split()]


def _parse(text: str, data: bytes | None = None) -> Tag:
    """The page's ``<html>`` element: comments, processing instructions and script/style
    elements removed (their tails kept), so every text walk sees page text only."""
    # A parser per page (8 µs): lxml parsers must not be shared between threads. Fed UTF-8
    # bytes, so a page's own <meta charset> is moot. huge_tree: libxml2 stops reading a page
    # nested deeper than 256 elements without it (2,048 with it).
    # etree's parser, not lxml.html's: that one looks up a Python element class every time an
    # element is first touched from Python (~70k instructions a generated page, callgrind).
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        root = etree.fromstring(text.encode("utf-8", "replace") if data is None else data,
                                parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(f"HTML cannot be parsed: {str(exc)[:100]}") from None
    if any("Excessive depth" in error.message for error in parser.error_log):
        raise ExtractError("HTML too deeply nested")  # the parser dropped the rest of the page
    if root is None:
        raise ExtractError("no article text found (empty page)")
    return root


def _drop_non_text(root: Tag) -> None:
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_NOT_TEXT,
                         with_tail=False)  # fmt: skip


def _text(tag: Tag, separator: str = "") -> str:
    """The text of ``tag`` and its descendants (what BeautifulSoup's ``get_text`` gives)."""
    return separator.join(tag.itertext())


def _extract(
    text: str, furniture: Sequence[re.Pattern[str]], engine: str, data: bytes | None
) -> Article:
    soup = _parse(text, data)
    ld = _json_ld(soup.iter("script"))
    _drop_non_text(soup)
    index = _Index(soup)
    meta = _meta_tags(index)
    ld_article = next((o for o in ld if _is_article(o)), None)
    ld_main = ld_article or next((o for o in ld if "headline" in o), {})

    site_names = _site_names(meta, ld)
    metadata: dict[str, str] = {"format": "html"}
    for key, value in (
        ("author", _author(index, meta, ld_main)),
        ("site_name", site_names[0] if site_names else ""),
        ("url", _canonical(index, meta, ld_main)),
        ("description", _first(meta, "og:description", "description", "twitter:description")
            or _ld_text(ld_main.get("description"))),
        ("lang", _squash(_attr(index.first("html"), "lang"))),
        ("section", _first(meta, "article:section", "section")
            or _ld_text(ld_main.get("articleSection"))),
        ("tags", "\n".join(_tags(index, meta, ld_main))),
    ):  # fmt: skip
        if value:
            metadata[key] = value

    raw_date = _published_raw(index, meta, ld_main)
    published = iso_datetime(raw_date) if raw_date else None
    if raw_date and published is None:
        metadata["published_raw"] = raw_date
    if raw_date and published is None:
        published = _find_date(raw_date)  # "11 يونيو 2020" in a meta tag
    if not raw_date:
        # Only without any stated date: a machine date we cannot read is kept raw (above)
        # rather than replaced by a guess from the page's prose.
        published = _date_in_words(index)

    title = _title(index, meta, ld_main, site_names)

    if engine == "trafilatura":
        paragraphs = _trafilatura_paragraphs(text)
    else:
        sizes = _measure(soup)
        if _clean(soup, sizes):  # elements dropped: index what is left
            index = _Index(soup)
        container = _container(soup, index, sizes)
        paragraphs, clear = _paragraphs(container, sizes) if container is not None else ([], False)
        if engine == "auto" and not (clear and _single_article(index, sizes)):
            # trafilatura is 3/4 of the extraction time: asked only when our rules are unsure.
            paragraphs = _choose(_trafilatura_paragraphs(text), paragraphs)
    paragraphs = [p for p in paragraphs if not is_furniture(p, furniture)]
    if title:
        # The headline repeated as the first line of the body (block-text containers).
        paragraphs = [p for i, p in enumerate(paragraphs) if not (i == 0 and p == title)]
    elif len(paragraphs) > 1 and len(paragraphs[0]) <= 200:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    if not paragraphs:
        raise ExtractError("no article text found")
    if not title:
        raise ExtractError("no title found")
    return Article(
        title=title, text="\n\n".join(paragraphs), published=published, metadata=metadata
    )


# --- main text by trafilatura ------------------------------------------------------------


def _trafilatura_paragraphs(text: str) -> list[str]:
    """trafilatura's main text as paragraphs (its plain output has one paragraph a line)."""
    import trafilatura  # imported late: 0.2 s, and only HTML pages need it

    # trafilatura logs parse failures at ERROR; with no handler anywhere, Python would print
    # them on stderr. Our callers report failures themselves, once, on one line.
    logging.getLogger("trafilatura").addHandler(_SILENT)

    found = trafilatura.extract(
        text,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
        with_metadata=False,
    )
    return [line for line in (_squash(x) for x in (found or "").split("\n")) if line]


_WORD = re.compile(r"\w+")
_SILENT = logging.NullHandler()


def _words(paragraphs: list[str]) -> Counter[str]:
    return Counter(_WORD.findall(" ".join(paragraphs).lower()))


def _choose(trafilatura: list[str], rules: list[str]) -> list[str]:
    """trafilatura's paragraphs, or the smaller of the two texts when ≥ 90 % of its words are
    in the larger and it has ≥ half the larger's words (see the module docstring)."""
    if not trafilatura or not rules:
        return trafilatura or rules
    a, b = _words(trafilatura), _words(rules)
    (small, small_words), (_, large_words) = sorted(
        ((trafilatura, a), (rules, b)), key=lambda item: sum(item[1].values())
    )
    size = sum(small_words.values())
    contained = sum((small_words & large_words).values()) / size if size else 0.0
    if contained >= 0.9 and size * 2 >= sum(large_words.values()):
        return small
    return trafilatura


# --- metadata ----------------------------------------------------------------------------


def _attr(tag: Any, name: str) -> str:
    """An attribute as one string ('' when missing; multi-valued attributes joined)."""
    if tag is None:
        return ""
    return tag.get(name) or ""


def _meta_tags(index: _Index) -> dict[str, str]:
    """``<meta>`` contents by lower-cased property/name/itemprop; the first non-empty wins."""
    found: dict[str, str] = {}
    for tag in index.named("meta"):
        content = _squash(_attr(tag, "content"))
        if not content:
            continue
        for key_attr in ("property", "name", "itemprop", "http-equiv"):
            key = _attr(tag, key_attr).strip().lower()
            if key and key not in found:
                found[key] = content
    return found


def _first(meta: dict[str, str], *keys: str) -> str:
    return next((meta[k] for k in keys if meta.get(k)), "")


def _json_ld(scripts: Iterable[Tag]) -> list[dict[str, Any]]:
    """All JSON-LD objects of the page's ``scripts``, ``@graph`` and lists flattened; bad JSON
    skipped."""
    objects: list[dict[str, Any]] = []
    for script in scripts:
        if "ld+json" not in _attr(script, "type").lower():
            continue
        raw = (script.text or "").strip()
        raw = raw.removeprefix("<!--").removesuffix("-->").strip()
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                objects.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))
    return objects


def _types(obj: dict[str, Any]) -> list[str]:
    value = obj.get("@type", [])
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _is_article(obj: dict[str, Any]) -> bool:
    return any(_ARTICLE_TYPE.search(t) for t in _types(obj))


def _ld_text(value: Any) -> str:
    """A JSON-LD value as text: strings as is, ``{"name": ...}``/``{"@id": ...}``, lists joined."""
    if isinstance(value, str):
        return _squash(value)
    if isinstance(value, dict):
        return _ld_text(value.get("name") or value.get("@value") or "")
    if isinstance(value, list):
        names = [_ld_text(v) for v in value]
        return ", ".join(dict.fromkeys(n for n in names if n))
    return ""


def _site_names(meta: dict[str, str], ld: list[dict[str, Any]]) -> list[str]:
    names = [meta.get("og:site_name", ""), meta.get("application-name", "")]
    for obj in ld:
        names.append(_ld_text(obj.get("publisher")))
        if "WebSite" in _types(obj) or "Organization" in _types(obj):
            names.append(_ld_text(obj.get("name")))
    return list(dict.fromkeys(n for n in names if n))


def _author(index: _Index, meta: dict[str, str], ld_main: dict[str, Any]) -> str:
    author = meta.get("author") or _ld_text(ld_main.get("author"))
    if not author:
        candidate = _first(meta, "article:author", "dc.creator", "byl")
        if candidate and not re.match(r"https?://", candidate):
            author = candidate
    if not author:
        tags = index.having("rel", "author") or index.having("itemprop", "author")
        if tags:
            tag = tags[0]
            author = _squash(_attr(tag, "content") or _text(tag, " "))
    return author[:300]


def _tags(index: _Index, meta: dict[str, str], ld_main: dict[str, Any]) -> list[str]:
    """The page's tags/keywords, in order, each once."""
    tags = [_squash(_attr(t, "content")) for t in index.named("meta")
            if _attr(t, "property").lower() == "article:tag"]  # fmt: skip
    for raw in (meta.get("news_keywords", ""), meta.get("keywords", "")):
        tags += re.split(r"\s*[,،;]\s*", raw)
    keywords = ld_main.get("keywords")
    if isinstance(keywords, str):
        tags += re.split(r"\s*[,،;]\s*", keywords)
    elif isinstance(keywords, list):
        tags += [_ld_text(k) for k in keywords]
    return list(dict.fromkeys(t for t in (_squash(x) for x in tags) if t and len(t) <= 100))[:30]


_DATE_CLASS = re.compile(r"\b(?:date|dates|time|timestamp|published|publish|posted|pubdate)\b")


def _find_date(text: str) -> str | None:
    from newsarchive.extract.dates import find_date  # imported late, like bs4 itself

    return find_date(text)


def _date_in_words(index: _Index) -> str | None:
    """A publication date written out in a ``<time>`` or date-named element (step 6)."""
    candidates = list(index.named("time"))
    candidates += [
        t for t in index.tags
        if t.tag not in {"html", "body", "script", "style"} and _DATE_CLASS.search(_class_words(t))
    ]  # fmt: skip
    for tag in candidates[:50]:
        words = _squash(_text(tag, " "))
        if 0 < len(words) <= 300:
            found = _find_date(words)
            if found:
                return found
    return None


def _canonical(index: _Index, meta: dict[str, str], ld_main: dict[str, Any]) -> str:
    links = [t for t in index.named("link") if "canonical" in _attr(t, "rel").lower().split()]
    url = _squash(_attr(links[0], "href")) if links else ""
    url = url or meta.get("og:url", "")
    if not url:
        value = ld_main.get("url") or ld_main.get("mainEntityOfPage")
        url = value.get("@id", "") if isinstance(value, dict) else value or ""
        url = url if isinstance(url, str) else ""
    return url.strip()


def _published_raw(index: _Index, meta: dict[str, str], ld_main: dict[str, Any]) -> str:
    value = _first(
        meta,
        "article:published_time",
        "og:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "dc.date.issued",
        "sailthru.date",
    ) or _ld_text(ld_main.get("datePublished"))
    if value:
        return value
    article = index.first("article")
    in_article = list(article.iter("time")) if article is not None else []
    for times in (in_article, index.named("time")):
        for time in times:
            value = _squash(_attr(time, "datetime"))
            if value:
                return value
    return _first(meta, "date", "dc.date")


_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})$")


def iso_datetime(value: str) -> str | None:
    """Normalise a stated date to ISO 8601 (``2020-06-11``, ``2020-06-11T06:00:00+03:00``).

    Accepts ISO 8601 variants (``Z``, ``+0300``, fractions, a space for ``T``), ``2020/06/11``
    and RFC 2822 dates; returns None for anything else or an impossible date.
    """
    value = value.strip()
    match = _ISO.fullmatch(value)
    try:
        if match:
            year, month, day, hour, minute, second, zone = match.groups()
            if hour is None:
                return datetime(int(year), int(month), int(day)).date().isoformat()
            moment = datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
            )
            if zone:
                if zone.upper() == "Z":
                    moment = moment.replace(tzinfo=timezone.utc)
                else:
                    digits = zone[1:].replace(":", "")
                    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
                    moment = moment.replace(tzinfo=timezone(offset if zone[0] == "+" else -offset))
            return moment.isoformat()
        match = _SLASHED.fullmatch(value)
        if match:
            return datetime(*(int(g) for g in match.groups())).date().isoformat()
        return parsedate_to_datetime(value).isoformat()
    except (ValueError, TypeError, IndexError, OverflowError):
        return None


def _strip_site(title: str, site_names: Iterable[str]) -> str:
    """Remove a " - Site" / " | Site" suffix or "Site | " prefix naming a known site."""
    for name in site_names:
        quoted = re.escape(name)
        for pattern in (
            rf"\s*[-|–—:»«·•]+\s*{quoted}\s*$",
            rf"^\s*{quoted}\s*[-|–—:»«·•]+\s*",
        ):
            stripped = re.sub(pattern, "", title, flags=re.IGNORECASE)
            if stripped != title and stripped.strip():
                return stripped.strip()
    return title


def _title(
    index: _Index, meta: dict[str, str], ld_main: dict[str, Any], site_names: list[str]
) -> str:
    title = _first(meta, "og:title")
    if not title:
        for scope in (index.first("article"), index.first("main")):
            h1 = next(scope.iter("h1"), None) if scope is not None else None
            if h1 is not None:
                title = _squash(_text(h1, " "))
                if title:
                    break
    element = index.first("title")
    if not title and element is not None:
        title = _squash(_text(element, " "))
    if not title:
        h1 = index.first("h1")
        title = _squash(_text(h1, " ")) if h1 is not None else ""
    if not title:
        title = _first(meta, "twitter:title") or _ld_text(ld_main.get("headline"))
    return _strip_site(title, site_names) if title else ""


# --- clean-up ----------------------------------------------------------------------------


def _class_words(tag: Tag) -> str:
    names = f"{_attr(tag, 'class')} {_attr(tag, 'id')}"
    return " ".join(w for w in _CLASS_SPLIT.split(names) if w).lower()


def _is_hidden(tag: Tag) -> bool:
    if tag.get("hidden") is not None or _attr(tag, "aria-hidden").lower() == "true":
        return True
    style = _attr(tag, "style").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


@dataclass
class _Size:
    """What one element holds, measured once (see :func:`_measure`)."""

    text: int = 0  # characters of visible text (stripped strings)
    blocks: int = 0  # of which inside p / h2-h4 / li
    links: int = 0  # of which inside <a>
    has_block: bool = False  # a p / h2-h4 / li below it
    holds_article: bool = False  # is or contains article, main, h1 or articleBody


_ARTICLE_LIKE = frozenset({"article", "main", "h1"})


def _measure(root: Tag) -> dict[Tag, _Size]:
    """Sizes of every element under ``root``, in one iterative pass.

    Everything the extractor asks about subtrees is answered from this table, so deep or
    wide pages cost linear time and never recurse. (Sums in locals and one ``_Size`` an
    element, the visible text of an element being its own text and its children's tails.)
    """
    sizes: dict[Tag, _Size] = {}
    _measure_into(sizes, reversed(list(root.iter(etree.Element))))
    return sizes


def _measure_into(sizes: dict[Tag, _Size], tags: Iterable[Tag]) -> None:
    """Measure ``tags`` into ``sizes``; each tag's children are measured already (come
    first in ``tags`` or are in ``sizes``). Each lxml property read once: every read of
    ``.text``, ``.tail`` or ``.tag`` decodes it from UTF-8 again."""
    for tag in tags:
        own = tag.text
        text = len(own.strip()) if own else 0
        blocks = links = 0
        has_block = False
        name = tag.tag
        holds_article = name in _ARTICLE_LIKE or tag.get("itemprop") == "articleBody"
        for child in tag:
            tail = child.tail
            if tail:
                text += len(tail.strip())
            sub = sizes[child]
            text += sub.text
            blocks += sub.blocks
            links += sub.links
            has_block = has_block or sub.has_block or child.tag in BLOCKS
            holds_article = holds_article or sub.holds_article
        if name in BLOCKS:
            blocks = text
        if name == "a":
            links = text
        sizes[tag] = _Size(text, blocks, links, has_block, holds_article)


def _remeasure(sizes: dict[Tag, _Size], dropped_from: list[tuple[Tag, ...]]) -> None:
    """``sizes`` made right again after subtrees were dropped: only the ancestors of a
    dropped element changed (``dropped_from``: each one's ancestors, parent first), so only
    they are measured again, deepest first (what measuring the whole page twice cost)."""
    depth: dict[Tag, int] = {}
    for ancestors in dropped_from:
        for level, tag in enumerate(reversed(ancestors)):
            depth[tag] = level
    _measure_into(sizes, sorted(depth, key=depth.__getitem__, reverse=True))


def _clean(soup: Tag, sizes: dict[Tag, _Size]) -> bool:
    """Drop furniture from ``soup`` in place (see the module docstring, step 3); ``sizes``
    are its :func:`_measure`, kept right. True when something was dropped.

    A furniture-named element is kept when it holds the article (an ``<article>``, ``<main>``,
    ``<h1>`` or articleBody) or more than half of the page's paragraph text: a wrapper named
    "page has-sidebar" must not take the story with it.
    """
    page_blocks = sizes[soup].blocks
    doomed: list[Tag] = []
    stack: list[Tag] = [soup]
    while stack:
        tag = stack.pop()
        name = tag.tag
        if tag is not soup and name not in {"html", "body"}:
            if name in DROPPED_TAGS:
                doomed.append(tag)
                continue
            furniture = bool(tag.keys()) and (  # no attributes (most elements): no furniture
                _attr(tag, "role").lower() in DROPPED_ROLES
                or _is_hidden(tag)
                or bool(FURNITURE_CLASS.search(_class_words(tag)))
            )
            size = sizes[tag]
            if furniture and not size.holds_article and not size.blocks * 2 > page_blocks > 0:
                doomed.append(tag)
                continue
        stack.extend(tag)
    dropped_from = [tuple(tag.iterancestors()) for tag in doomed]
    for tag in doomed:  # disjoint subtrees: no descendant of a doomed element was queued
        _drop_tree(tag)
    if doomed:
        _remeasure(sizes, dropped_from)
    return bool(doomed)


def _drop_tree(tag: Tag) -> None:
    """Remove ``tag`` and its subtree, keeping the text that follows it (its tail) where it
    was: lxml.html's ``drop_tree``, for the plain elements :func:`_parse` makes."""
    parent = tag.getparent()
    tail = tag.tail
    if tail:
        previous = tag.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + tail
        else:
            previous.tail = (previous.tail or "") + tail
    parent.remove(tag)


# --- container and paragraphs ------------------------------------------------------------


def _densest(index: _Index, sizes: dict[Tag, _Size]) -> Tag | None:
    """The element whose ``<p>`` children hold the most text."""
    scores: dict[Tag, int] = {}
    for p in index.named("p"):
        parent = p.getparent()
        length = sizes[p].text
        if parent is not None and length:
            scores[parent] = scores.get(parent, 0) + length
    if not scores:
        return None
    return max(scores.items(), key=lambda item: item[1])[0]


def _container(soup: Tag, index: _Index, sizes: dict[Tag, _Size]) -> Tag | None:
    """The element holding the article text (see the module docstring, step 4)."""
    page_blocks = sizes[soup].blocks
    articles = [a for a in index.named("article") if sizes[a].blocks]
    if articles:
        best = max(articles, key=lambda a: sizes[a].blocks)
        if sizes[best].blocks * 3 >= page_blocks:
            return best
    for found in (
        index.having("itemprop", "articleBody"),
        index.named("main") + index.having("role", "main"),
    ):
        found = [t for t in found if sizes[t].text]
        if found:
            return max(found, key=lambda t: sizes[t].text)
    densest = _densest(index, sizes)
    if densest is not None:
        return densest
    if articles:
        return articles[0]
    body = index.first("body")
    return body if body is not None and sizes[body].text else None


_END = object()  # end of a block-level element, in _text_lines' stack


def _text_lines(root: Tag) -> list[str]:
    """The text of ``root`` as lines: ``<br>`` and block-level elements break lines, inline
    elements do not. Iterative (deep pages do not hit the recursion limit); ``root``'s own
    tail is not its text."""
    if not len(root):  # a paragraph of plain text (most): its text's lines
        own = root.text
        return _lines(own) if own and root.tag != "br" else []
    parts: list[str] = []
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
            continue
        name = "br" if node is _END else node.tag
        if name == "br":
            parts.append("\n")
            continue
        if name in _BLOCK_LEVEL:
            parts.append("\n")
            stack.append(_END)
        for child in reversed(node):  # popped in order: text, child, tail, child, tail…
            tail = child.tail
            if tail:
                stack.append(tail)
            stack.append(child)
        own = node.text
        if own:
            stack.append(own)
    return _lines("".join(parts))


def _lines(text: str) -> list[str]:
    """The non-empty lines of ``text``, each :func:`_squash`-ed."""
    return list(filter(None, map(_squash, text.split("\n"))))


def _paragraphs(container: Tag, sizes: dict[Tag, _Size]) -> tuple[list[str], bool]:
    """Paragraph texts of ``container`` (see the module docstring, step 5), and whether they
    are clearly the article (see :func:`_is_clear`)."""
    blocks = [container] if container.tag in BLOCKS else list(container.iter(*BLOCKS))
    innermost = [b for b in blocks if b is container or not sizes[b].has_block]
    paragraphs = [line for b in innermost for line in _text_lines(b)]
    if sum(len(p) for p in paragraphs) * 2 >= sizes[container].text:
        return paragraphs, _is_clear(container, innermost, paragraphs, sizes)
    # Most text sits outside p/h/li: split the container's text at block boundaries.
    return _text_lines(container), False


def _is_clear(
    container: Tag, blocks: list[Tag], paragraphs: list[str], sizes: dict[Tag, _Size]
) -> bool:
    """True when the rules' text needs no second opinion (trafilatura's, see :func:`_choose`):
    the container is an ``<article>`` or articleBody, its paragraphs hold nearly all its text,
    and no paragraph is mostly link text (related-story lists, "read also" boxes, teasers:
    what the rules keep and trafilatura drops, on the dev pages)."""
    if container.tag != "article" and _attr(container, "itemprop") != "articleBody":
        return False
    if sum(len(p) for p in paragraphs) * 10 < sizes[container].text * 8:
        return False
    return not any(sizes[b].links * 2 >= sizes[b].text > 0 for b in blocks)


def _single_article(index: _Index, sizes: dict[Tag, _Size]) -> bool:
    """At most one ``<article>`` with paragraph text: a page of several is a listing."""
    return sum(1 for a in index.named("article") if sizes[a].blocks) <= 1
