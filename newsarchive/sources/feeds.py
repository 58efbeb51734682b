"""Feeds: RSS 2.0, Atom and RDF through feedparser; sitemaps and news sitemaps through lxml.

``parse_feed(data, base_url)`` returns the feed's :class:`FeedItem` list, newest first when
dates are given (so a per-feed limit keeps the latest), or raises :class:`FeedError`.
A sitemap index yields its child sitemaps as items with ``is_sitemap`` set: the runner reads
those (one level deep) to reach the article URLs.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin

from ..record import parse_utc

__all__ = ["FeedError", "FeedItem", "parse_feed"]

_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


class FeedError(Exception):
    """A feed that cannot be read; ``str(exc)`` is a one-line reason."""


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601 (UTC) when the feed states it
    is_sitemap: bool = False  # an entry of a sitemap index: another sitemap, not a page


def parse_feed(data: bytes, base_url: str) -> list[FeedItem]:
    """The items of a feed or sitemap; raises :class:`FeedError` when it is neither."""
    head = data[:2000].lstrip()
    if b"<urlset" in head or b"<sitemapindex" in head:
        items = _sitemap(data, base_url)
    else:
        items = _feed(data, base_url)
    # Newest first; undated items keep their order after the dated ones.
    dated = sorted((i for i in items if i.published), key=lambda i: i.published or "", reverse=True)
    return dated + [i for i in items if not i.published]


def _feed(data: bytes, base_url: str) -> list[FeedItem]:
    import feedparser  # imported late: only feed reading needs it

    parsed = feedparser.parse(data, response_headers={"content-location": base_url})
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = getattr(parsed, "bozo_exception", None) or "no RSS or Atom items"
        raise FeedError(f"not a feed: {str(reason).splitlines()[0][:200]}")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = entry.get("link") or _alternate(entry) or entry.get("id", "")
        if not link or not link.strip():
            continue
        url = urljoin(base_url, link.strip())
        if url in seen:
            continue
        seen.add(url)
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = (
            datetime.fromtimestamp(calendar.timegm(when), timezone.utc).isoformat()
            if when
            else None
        )
        items.append(FeedItem(url, entry.get("title"), published))
    return items


def _alternate(entry) -> str | None:
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return None


def _sitemap(data: bytes, base_url: str) -> list[FeedItem]:
    from lxml import etree

    # No network, no entities: a sitemap is data from a stranger.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"not a sitemap: {exc}") from None
    if root is None:
        raise FeedError("not a sitemap: empty document")
    index = etree.QName(root).localname == "sitemapindex"
    items = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = node.findtext(f"{{{_SITEMAP_NS}}}loc") or node.findtext("loc")
        if not loc or not loc.strip():
            continue
        title = node.findtext(f"{{{_NEWS_NS}}}news/{{{_NEWS_NS}}}title")
        when = (
            node.findtext(f"{{{_NEWS_NS}}}news/{{{_NEWS_NS}}}publication_date")
            or node.findtext(f"{{{_SITEMAP_NS}}}lastmod")
            or node.findtext("lastmod")
        )
        items.append(FeedItem(urljoin(base_url, loc.strip()), title, _utc(when), is_sitemap=index))
    return items


def _utc(value: str | None) -> str | None:
    """A W3C date of a sitemap as ISO 8601 in UTC (comparable as text), else None."""
    moment = parse_utc(value)
    return moment.isoformat() if moment else None
