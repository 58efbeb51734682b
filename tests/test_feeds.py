"""feeds: RSS 2.0, Atom, sitemaps and news sitemaps — parsed alone and read over real HTTP."""

from __future__ import annotations

import pytest
from _web_server import WebServer
from test_web import Web, settings

from newsarchive.config import Feed
from newsarchive.sources.feeds import FeedError, parse_feed

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>أخبار</title><link>{base}/</link>
<item><title>الخبر الأول</title><link>{base}/n/1?utm_source=rss</link>
  <pubDate>Thu, 11 Jun 2020 09:00:00 +0300</pubDate></item>
<item><title>الخبر الثاني</title><link>/n/2</link>
  <pubDate>Fri, 12 Jun 2020 09:00:00 +0300</pubDate></item>
<item><title>بلا رابط</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>أخبار</title><id>urn:x</id>
<updated>2020-06-12T00:00:00Z</updated>
<entry><title>أ</title><id>urn:1</id><link rel="alternate" href="{base}/n/3"/>
  <updated>2020-06-10T00:00:00Z</updated></entry>
<entry><title>ب</title><id>urn:2</id><link href="{base}/n/4"/>
  <updated>2020-06-12T00:00:00Z</updated></entry>
</feed>"""

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/n/5</loc><news:news><news:title>خبر</news:title>
  <news:publication_date>2020-06-11T10:00:00+03:00</news:publication_date></news:news></url>
<url><loc>{base}/n/6</loc><lastmod>2020-06-12</lastmod></url>
</urlset>"""

INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/sitemap-news.xml</loc></sitemap></sitemapindex>"""

B = "https://example.com"


def test_rss_items_newest_first_relative_links_resolved():
    items = parse_feed(RSS.format(base=B).encode(), B + "/rss.xml")
    assert [i.url for i in items] == [B + "/n/2", B + "/n/1?utm_source=rss"]
    assert items[0].title == "الخبر الثاني"
    assert items[0].published == "2020-06-12T06:00:00+00:00"


def test_atom():
    items = parse_feed(ATOM.format(base=B).encode(), B + "/atom.xml")
    assert [i.url for i in items] == [B + "/n/4", B + "/n/3"]


def test_news_sitemap_and_index():
    items = parse_feed(NEWS_SITEMAP.format(base=B).encode(), B + "/sitemap.xml")
    assert [(i.url, i.title) for i in items] == [(B + "/n/6", None), (B + "/n/5", "خبر")]
    assert items[1].published == "2020-06-11T07:00:00+00:00"
    index = parse_feed(INDEX.format(base=B).encode(), B + "/sitemap.xml")
    assert [(i.url, i.is_sitemap) for i in index] == [(B + "/sitemap-news.xml", True)]


@pytest.mark.parametrize("data", [b"<html><body>not a feed</body></html>", b"garbage", b""])
def test_not_a_feed(data: bytes):
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed(data, B)


@pytest.fixture
def server():
    web = WebServer()
    yield web
    web.close()


def test_feeds_over_http_with_limits_and_sitemap_index(server, tmp_path):
    base = server.base
    rss = {"Content-Type": "application/rss+xml"}
    server.route("/rss.xml", body=RSS.format(base=base), headers=rss)
    server.route("/sitemap.xml", body=INDEX.format(base=base), headers={"Content-Type": "text/xml"})
    server.route("/sitemap-news.xml", body=NEWS_SITEMAP.format(base=base),
                 headers={"Content-Type": "application/xml"})  # fmt: skip
    server.route("/pdf", body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    web = Web(settings(tmp_path, robots=False))
    try:
        items, done = web.web.feed_items(Feed(base + "/rss.xml", name="rss", limit=1))
        assert [i.url for i in items] == [base + "/n/2"]
        assert (done.name, done.items, done.error) == ("rss", 1, None)
        items, done = web.web.feed_items(Feed(base + "/sitemap.xml"))
        assert [i.url for i in items] == [base + "/n/6", base + "/n/5"]
        assert done.name == "127.0.0.1"
        _, done = web.web.feed_items(Feed(base + "/pdf"))
        assert done.error == "not a web page or feed (Content-Type application/pdf)"
        _, done = web.web.feed_items(Feed(base + "/missing.xml"))
        assert done.error == "HTTP 404 Not Found"
    finally:
        web.close()
