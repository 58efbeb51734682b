"""HTML articles: main text and metadata from a news page.

Metadata comes from BeautifulSoup over lxml (below). The main text comes from two
extractors: trafilatura, the field's reference, and our own rules (steps 3-5). With
``engine="auto"`` (the default) both run and trafilatura's text is kept, unless one text is
essentially contained in the other and holds at least half of it: then the smaller one is kept,
because what the larger adds is what only one extractor took for article — in practice teaser
cards, sidebars and menus (:func:`_choose`). ``benchmarks/extraction.py`` measures all three
on the dev set in ``tests/fixtures/pages/`` (see the README, "Fetching").

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

from bs4 import BeautifulSoup, CData, NavigableString, Tag

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

_ARTICLE_TYPE = re.compile(r"(?:\w*Article|BlogPosting|LiveBlogPosting|Report)$")
_SPACES = re.compile(r"\s+")


def _squash(text: str | None) -> str:
    return _SPACES.sub(" ", text).strip() if text else ""


def extract_html(
    text: str, furniture: Sequence[re.Pattern[str]] = (), *, engine: str = "auto"
) -> Article:
    """Return the :class:`Article` of an HTML page; ``engine`` picks the main-text extractor
    (:data:`ENGINES`).

    Raises :class:`ExtractError` when the page holds no article text, or is nested too deeply
    to process.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    try:
        return _extract(text, furniture, engine)
    except RecursionError:
        raise ExtractError("HTML too deeply nested") from None


class _Index:
    """The page's elements in document order, grouped by tag name: one walk instead of a
    ``find_all`` per question (each of which walks the whole tree)."""

    def __init__(self, root: Tag):
        self.tags = [t for t in root.descendants if isinstance(t, Tag)]
        self.by_name: dict[str, list[Tag]] = {}
        for tag in self.tags:
            self.by_name.setdefault(tag.name, []).append(tag)

    def named(self, name: str) -> list[Tag]:
        return self.by_name.get(name, [])

    def first(self, name: str) -> Tag | None:
        found = self.by_name.get(name)
        return found[0] if found else None

    def having(self, attr: str, value: str) -> list[Tag]:
        """Elements whose ``attr`` (one of its words, for class/rel) equals ``value``."""
        return [t for t in self.tags if value in _attr(t, attr).split()]


def _extract(text: str, furniture: Sequence[re.Pattern[str]], engine: str) -> Article:
    soup = BeautifulSoup(text, "lxml")
    index = _Index(soup)
    meta = _meta_tags(index)
    ld = _json_ld(index)
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

    found = _trafilatura_paragraphs(text) if engine != "rules" else []
    if engine != "trafilatura":
        _clean(soup)
        index = _Index(soup)
        sizes = _measure(soup)
        container = _container(soup, index, sizes)
        ruled = _paragraphs(container, sizes) if container is not None else []
        found = _choose(found, ruled) if engine == "auto" else ruled
    paragraphs = found
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
    if not isinstance(tag, Tag):
        return ""
    value = tag.get(name)
    if value is None:
        return ""
    return " ".join(value) if isinstance(value, list) else str(value)


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


def _json_ld(index: _Index) -> list[dict[str, Any]]:
    """All JSON-LD objects of the page, ``@graph`` and lists flattened; bad JSON skipped."""
    objects: list[dict[str, Any]] = []
    for script in index.named("script"):
        if "ld+json" not in _attr(script, "type").lower():
            continue
        raw = script.get_text().strip()
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
            author = _squash(_attr(tag, "content") or tag.get_text(" "))
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
        if t.name not in {"html", "body", "script", "style"} and _DATE_CLASS.search(_class_words(t))
    ]  # fmt: skip
    for tag in candidates[:50]:
        words = _squash(tag.get_text(" "))
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
    in_article = article.find_all("time") if article is not None else []
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
            h1 = scope.find("h1") if isinstance(scope, Tag) else None
            if isinstance(h1, Tag):
                title = _squash(h1.get_text(" "))
                if title:
                    break
    element = index.first("title")
    if not title and element is not None:
        title = _squash(element.get_text(" "))
    if not title:
        h1 = index.first("h1")
        title = _squash(h1.get_text(" ")) if isinstance(h1, Tag) else ""
    if not title:
        title = _first(meta, "twitter:title") or _ld_text(ld_main.get("headline"))
    return _strip_site(title, site_names) if title else ""


# --- clean-up ----------------------------------------------------------------------------


def _class_words(tag: Tag) -> str:
    names = f"{_attr(tag, 'class')} {_attr(tag, 'id')}"
    return " ".join(w for w in _CLASS_SPLIT.split(names) if w).lower()


def _is_hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden") or _attr(tag, "aria-hidden").lower() == "true":
        return True
    style = _attr(tag, "style").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


@dataclass
class _Size:
    """What one element holds, measured once (see :func:`_measure`)."""

    text: int = 0  # characters of visible text (stripped strings)
    blocks: int = 0  # of which inside p / h2-h4 / li
    has_block: bool = False  # a p / h2-h4 / li below it
    holds_article: bool = False  # is or contains article, main, h1 or articleBody


def _is_article_like(tag: Tag) -> bool:
    return tag.name in {"article", "main", "h1"} or _attr(tag, "itemprop") == "articleBody"


def _measure(root: Tag) -> dict[int, _Size]:
    """Sizes of every element under ``root`` (by ``id``), in one iterative pass.

    Everything the extractor asks about subtrees is answered from this table, so deep or
    wide pages cost linear time and never recurse.
    """
    order: list[Tag] = []
    stack = [root]
    while stack:
        tag = stack.pop()
        order.append(tag)
        stack.extend(child for child in tag.contents if isinstance(child, Tag))
    sizes: dict[int, _Size] = {}
    for tag in reversed(order):  # children before their parents
        size = _Size(holds_article=_is_article_like(tag))
        for child in tag.contents:
            if isinstance(child, Tag):
                sub = sizes[id(child)]
                size.text += sub.text
                size.blocks += sub.blocks
                size.has_block = size.has_block or sub.has_block or child.name in BLOCKS
                size.holds_article = size.holds_article or sub.holds_article
            elif type(child) in (NavigableString, CData):
                size.text += len(child.strip())
        if tag.name in BLOCKS:
            size.blocks = size.text
        sizes[id(tag)] = size
    return sizes


def _clean(soup: BeautifulSoup) -> None:
    """Drop furniture from ``soup`` in place (see the module docstring, step 3).

    A furniture-named element is kept when it holds the article (an ``<article>``, ``<main>``,
    ``<h1>`` or articleBody) or more than half of the page's paragraph text: a wrapper named
    "page has-sidebar" must not take the story with it.
    """
    sizes = _measure(soup)
    page_blocks = sizes[id(soup)].blocks
    doomed: list[Tag] = []
    stack: list[Tag] = [soup]
    while stack:
        tag = stack.pop()
        if tag is not soup and tag.name not in {"html", "body"}:
            if tag.name in DROPPED_TAGS:
                doomed.append(tag)
                continue
            furniture = (
                _attr(tag, "role").lower() in DROPPED_ROLES
                or _is_hidden(tag)
                or bool(FURNITURE_CLASS.search(_class_words(tag)))
            )
            size = sizes[id(tag)]
            if furniture and not size.holds_article and not size.blocks * 2 > page_blocks > 0:
                doomed.append(tag)
                continue
        stack.extend(child for child in tag.contents if isinstance(child, Tag))
    for tag in doomed:  # disjoint subtrees: no descendant of a doomed element was queued
        tag.decompose()


# --- container and paragraphs ------------------------------------------------------------


def _densest(index: _Index, sizes: dict[int, _Size]) -> Tag | None:
    """The element whose ``<p>`` children hold the most text."""
    scores: dict[int, tuple[Tag, int]] = {}
    for p in index.named("p"):
        parent = p.parent
        length = sizes[id(p)].text
        if isinstance(parent, Tag) and length:
            tag, total = scores.get(id(parent), (parent, 0))
            scores[id(parent)] = (tag, total + length)
    if not scores:
        return None
    return max(scores.values(), key=lambda item: item[1])[0]


def _container(soup: BeautifulSoup, index: _Index, sizes: dict[int, _Size]) -> Tag | None:
    """The element holding the article text (see the module docstring, step 4)."""
    page_blocks = sizes[id(soup)].blocks
    articles = [a for a in index.named("article") if sizes[id(a)].blocks]
    if articles:
        best = max(articles, key=lambda a: sizes[id(a)].blocks)
        if sizes[id(best)].blocks * 3 >= page_blocks:
            return best
    for found in (
        index.having("itemprop", "articleBody"),
        index.named("main") + index.having("role", "main"),
    ):
        found = [t for t in found if sizes[id(t)].text]
        if found:
            return max(found, key=lambda t: sizes[id(t)].text)
    densest = _densest(index, sizes)
    if densest is not None:
        return densest
    if articles:
        return articles[0]
    body = index.first("body")
    return body if body is not None and sizes[id(body)].text else None


def _text_lines(root: Tag) -> list[str]:
    """The text of ``root`` as lines: ``<br>`` and block-level elements break lines, inline
    elements do not. Iterative, and it leaves the tree untouched (inserting strings into a
    bs4 tree costs the size of the previous sibling's subtree: quadratic on deep pages)."""
    parts: list[str] = []
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if node is None:  # end of a block-level element
            parts.append("\n")
        elif isinstance(node, Tag):
            if node.name == "br":
                parts.append("\n")
                continue
            if node.name in _BLOCK_LEVEL:
                parts.append("\n")
                stack.append(None)
            stack.extend(reversed(node.contents))
        elif type(node) in (NavigableString, CData):
            parts.append(str(node))
    return [line for line in (_squash(x) for x in "".join(parts).split("\n")) if line]


def _paragraphs(container: Tag, sizes: dict[int, _Size]) -> list[str]:
    """Paragraph texts of ``container`` (see the module docstring, step 5)."""
    blocks = [container] if container.name in BLOCKS else container.find_all(BLOCKS)
    innermost = [b for b in blocks if b is container or not sizes[id(b)].has_block]
    paragraphs = [line for b in innermost for line in _text_lines(b)]
    if sum(len(p) for p in paragraphs) * 2 >= sizes[id(container)].text:
        return paragraphs
    # Most text sits outside p/h/li: split the container's text at block boundaries.
    return _text_lines(container)
