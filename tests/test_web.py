"""fetch: real HTTP against a server on 127.0.0.1 — encodings, redirects, errors, retries,
limits, robots.txt, conditional requests, canonical URLs. Timeouts are tiny (set in Config)."""

from __future__ import annotations

import gzip
import json
import time
from dataclasses import replace

import pytest
from _web_server import WebServer, answer

from newsarchive.config import Config
from newsarchive.fetchstate import FetchState
from newsarchive.pipeline import Ingester
from newsarchive.runner import WebIngester
from newsarchive.sources.web import Fetcher, canonical_url

TITLE = "وزير الخارجية يزور بغداد لبحث التعاون الاقتصادي"
PARAS = [
    "وصل وزير الخارجية إلى بغداد صباح اليوم الخميس في زيارة رسمية تستمر يومين، يبحث خلالها"
    " مع المسؤولين العراقيين ملفات التعاون الاقتصادي والطاقة والربط الكهربائي.",
    "وقال الوزير في مؤتمر صحفي إن العلاقات بين البلدين تشهد تطورا كبيرا، مشيرا إلى توقيع"
    " عدد من الاتفاقيات في مجالات التجارة والاستثمار خلال الأشهر المقبلة.",
    "وأضاف أن الجانبين سيناقشان زيادة صادرات النفط عبر الموانئ وتسهيل حركة الشاحنات.",
]


def article(title: str = TITLE, paras=PARAS, *, meta: str = "", canonical: str = "") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<!DOCTYPE html><html lang='ar'><head>{meta}<title>{title}</title>{link}"
        f'<meta name="author" content="أحمد علي"><meta property="og:site_name" content="الخليج">'
        f'<meta property="article:section" content="سياسة">'
        f'<meta name="keywords" content="العراق، بغداد">'
        f"</head><body><nav><a>الرئيسية</a></nav><article><h1>{title}</h1>{body}</article>"
        f"<footer>جميع الحقوق محفوظة</footer></body></html>"
    )


@pytest.fixture
def server():
    web = WebServer()
    yield web
    web.close()


def settings(tmp_path, **changes) -> Config:
    base = replace(
        Config(),
        archive=tmp_path / "archive",
        connect_timeout=1.0,
        read_timeout=2.0,  # a loaded machine can keep the test server from answering for a while
        page_deadline=3.0,
        retries=2,
        backoff=0.01,
        max_retry_after=2.0,
        host_delay=0.0,
        max_page_bytes=300_000,
    )
    return replace(base, **changes)


class Web:
    """A WebIngester over a real archive in tmp_path; ``sleeps`` records the waits asked for."""

    def __init__(self, config: Config):
        self.config = config
        self.sleeps: list[float] = []
        self.ingester = Ingester(config)
        self.state = FetchState(config.archive)
        self.fetcher = Fetcher(config, self.state, sleep=self._sleep)
        self.web = WebIngester(config, self.ingester, self.fetcher, self.state)

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        time.sleep(min(seconds, 0.01))

    def fetch(self, url: str, **kwargs):
        return self.web.fetch_url(url, **kwargs)

    def record(self, outcome) -> dict:
        self.ingester.flush()
        return json.loads((self.config.archive / outcome.path).read_text(encoding="utf-8"))

    def close(self) -> None:
        self.fetcher.close()
        self.state.close()
        self.ingester.close()


@pytest.fixture
def make_web(tmp_path):
    made: list[Web] = []

    def make(**changes) -> Web:
        web = Web(settings(tmp_path, **changes))
        made.append(web)
        return web

    yield make
    for web in made:
        web.close()


# --- encodings -------------------------------------------------------------------------------

CP1256 = {"Content-Type": "text/html; charset=windows-1256"}


@pytest.mark.parametrize(
    ("body_codec", "meta", "header", "expected"),
    [
        ("utf-8", '<meta charset="utf-8">', "text/html; charset=utf-8", "utf-8"),
        ("utf-8", "", "text/html", "utf-8"),  # undeclared
        ("cp1256", '<meta charset="windows-1256">', "text/html; charset=windows-1256",
         "windows-1256"),  # declared right
        ("cp1256", '<meta charset="utf-8">', "text/html; charset=utf-8",
         "windows-1256"),  # declared wrong
        ("cp1256", '<meta charset="iso-8859-6">', "text/html; charset=iso-8859-1",
         "windows-1256"),  # declared wrong (another Arabic code page, Latin-1 header)
        ("cp1256", "", "text/html", "windows-1256"),  # undeclared
    ],
)  # fmt: skip
def test_arabic_pages_in_any_declared_encoding(
    server, make_web, body_codec, meta, header, expected
):
    server.route("/a", body=article(meta=meta).encode(body_codec), headers={"Content-Type": header})
    web = make_web(robots=False)
    outcome = web.fetch(server.url("/a"))
    assert outcome.status == "stored", outcome.error
    record = web.record(outcome)
    assert record["title"] == TITLE
    assert record["text"] == "\n\n".join(PARAS)
    assert record["encoding"] == expected


def test_record_carries_url_and_page_metadata(server, make_web):
    server.route("/news/1", body=article(canonical="/news/visit-baghdad?utm_source=rss"))
    web = make_web(robots=False)
    record = web.record(web.fetch(server.url("/news/1?utm_medium=feed")))
    assert record["url"] == server.url("/news/1?utm_medium=feed")
    assert record["canonical_url"] == server.url("/news/visit-baghdad")
    assert record["source"] == record["canonical_url"]
    assert record["author"] == "أحمد علي"
    assert record["site_name"] == "الخليج"
    assert record["section"] == "سياسة"
    assert record["tags"] == ["العراق", "بغداد"]


# --- redirects and errors --------------------------------------------------------------------


def test_redirect_is_followed_and_a_loop_fails(server, make_web):
    server.route("/old", status=301, headers={"Location": "/new"})
    server.route("/new", body=article())
    server.route("/loop1", status=302, headers={"Location": "/loop2"})
    server.route("/loop2", status=302, headers={"Location": "/loop1"})
    web = make_web(robots=False, max_redirects=4)
    stored = web.fetch(server.url("/old"))
    assert stored.status == "stored"
    assert web.record(stored)["url"] == server.url("/new")
    loop = web.fetch(server.url("/loop1"))
    assert loop.status == "failed"
    assert loop.error == "too many redirects (more than 4)"


def test_redirect_to_another_scheme_fails(server, make_web):
    server.route("/ftp", status=302, headers={"Location": "ftp://127.0.0.1/file"})
    outcome = make_web(robots=False).fetch(server.url("/ftp"))
    assert outcome.status == "failed"
    assert outcome.error.startswith("bad URL or redirect target")


@pytest.mark.parametrize("url", ["ftp://example.com/a", "file:///etc/passwd", "example.com/a"])
def test_only_http_urls(make_web, url):
    outcome = make_web().fetch(url)
    assert outcome.status == "failed"
    assert outcome.error.startswith("not an http(s) URL")


def test_404_is_a_clear_error(server, make_web):
    outcome = make_web(robots=False).fetch(server.url("/missing"))
    assert (outcome.status, outcome.error) == ("failed", "HTTP 404 Not Found")


def test_500_then_200_is_retried(server, make_web):
    calls = []

    def flaky(request):
        calls.append(1)
        if len(calls) == 1:
            answer(request, 500, b"oops", {"Content-Type": "text/plain"})
        else:
            answer(request, 200, article().encode(), {"Content-Type": "text/html"})

    server.route("/flaky", handler=flaky)
    web = make_web(robots=False)
    assert web.fetch(server.url("/flaky")).status == "stored"
    assert len(calls) == 2
    assert web.sleeps == [0.01]  # the backoff


def test_persistent_500_fails_after_the_retries(server, make_web):
    server.route("/down", status=503, body="down", headers={"Content-Type": "text/plain"})
    web = make_web(robots=False, retries=2)
    outcome = web.fetch(server.url("/down"))
    assert (outcome.status, outcome.error) == ("failed", "HTTP 503 Service Unavailable")
    assert server.hits("/down") == 3
    assert web.sleeps == [0.01, 0.02]  # exponential backoff


def test_429_honours_retry_after(server, make_web):
    calls = []

    def limited(request):
        calls.append(1)
        if len(calls) == 1:
            answer(request, 429, b"", {"Retry-After": "1"})
        else:
            answer(request, 200, article().encode(), {"Content-Type": "text/html"})

    server.route("/limited", handler=limited)
    server.route("/too-long", status=429, headers={"Retry-After": "3600"})
    web = make_web(robots=False)
    assert web.fetch(server.url("/limited")).status == "stored"
    assert web.sleeps == [1.0]
    outcome = web.fetch(server.url("/too-long"))
    assert outcome.error == "HTTP 429 Too Many Requests (Retry-After 3600 s is over the limit)"


def test_slow_server_times_out(server, make_web):
    def slow(request):
        time.sleep(1.0)
        answer(request, 200, article().encode(), {"Content-Type": "text/html"})

    server.route("/slow", handler=slow)
    start = time.monotonic()
    outcome = make_web(robots=False, retries=0, read_timeout=0.3).fetch(server.url("/slow"))
    assert outcome.status == "failed"
    assert outcome.error.startswith("timed out")
    assert time.monotonic() - start < 0.9


def test_a_page_dripping_past_the_deadline_fails(server, make_web):
    def drip(request):
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Connection", "close")
        request.end_headers()
        for _ in range(30):  # 10 KB every 50 ms: never a read timeout, but slow overall
            request.wfile.write(b" " * 10_000)
            request.wfile.flush()
            time.sleep(0.05)

    server.route("/drip", handler=drip)
    outcome = make_web(robots=False, page_deadline=0.3, retries=0).fetch(server.url("/drip"))
    assert outcome.error == "download took longer than the 0.3 s deadline"


def test_gzip_bomb_is_stopped(server, make_web):
    bomb = gzip.compress(b" " * 20_000_000)  # 20 MB of spaces in ~20 KB
    server.route("/bomb", body=bomb,
                 headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})  # fmt: skip
    outcome = make_web(robots=False).fetch(server.url("/bomb"))
    assert outcome.status == "failed"
    assert outcome.error == "page is larger than the 300000 byte limit (decompressed)"


def test_huge_page_is_refused(server, make_web):
    server.route("/huge", body=b"<p>" + b"x" * 1_000_000)
    outcome = make_web(robots=False).fetch(server.url("/huge"))
    assert outcome.error == "page is larger than the 300000 byte limit (Content-Length 1000003)"

    def chunked(request):  # no Content-Length: counted while streaming
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Connection", "close")
        request.end_headers()
        for _ in range(10):
            request.wfile.write(b"y" * 100_000)

    server.route("/stream", handler=chunked)
    outcome = make_web(robots=False).fetch(server.url("/stream"))
    assert outcome.error == "page is larger than the 300000 byte limit (decompressed)"


def test_pdf_is_refused(server, make_web):
    server.route("/doc.pdf", body=b"%PDF-1.4 ...", headers={"Content-Type": "application/pdf"})
    server.route("/lying", body=b"%PDF-1.4 ...", headers={"Content-Type": "text/html"})
    web = make_web(robots=False)
    assert web.fetch(server.url("/doc.pdf")).error == (
        "not a web page or feed (Content-Type application/pdf)"
    )
    assert web.fetch(server.url("/lying")).error == "binary file (PDF document), not text"


def test_connection_refused_is_a_clear_error(make_web):
    outcome = make_web(robots=False, retries=0).fetch("http://127.0.0.1:9/nothing")
    assert outcome.status == "failed"
    assert outcome.error.startswith("connection failed")


# --- robots.txt and politeness ---------------------------------------------------------------


def test_robots_txt_disallow_is_honoured_and_cached(server, make_web):
    server.route("/robots.txt", body="User-agent: *\nDisallow: /private/\n",
                 headers={"Content-Type": "text/plain"})  # fmt: skip
    server.route("/private/a", body=article(paras=PARAS[:1]))
    server.route("/public/a", body=article())
    web = make_web()
    blocked = web.fetch(server.url("/private/a"))
    assert (blocked.status, blocked.error) == ("failed", "disallowed by robots.txt")
    assert server.hits("/private/a") == 0
    assert web.fetch(server.url("/public/a")).status == "stored"
    assert server.hits("/robots.txt") == 1
    # A new session reads robots.txt from fetch.sqlite, not from the server.
    again = make_web()
    assert again.fetch(server.url("/private/b")).error == "disallowed by robots.txt"
    assert server.hits("/robots.txt") == 1
    # Switched off in the config: fetched.
    assert make_web(robots=False).fetch(server.url("/private/a")).status == "stored"


def test_robots_txt_and_host_delay_apply_to_every_redirect_hop(server, make_web):
    server.route("/robots.txt", body="User-agent: *\nDisallow: /private/\n",
                 headers={"Content-Type": "text/plain"})  # fmt: skip
    server.route("/go", status=302, headers={"Location": "/private/a"})
    server.route("/private/a", body=article())
    blocked = make_web().fetch(server.url("/go"))
    assert (blocked.status, blocked.error) == ("failed", "redirect target disallowed by robots.txt")
    assert server.hits("/private/a") == 0


def test_missing_robots_txt_allows_everything(server, make_web):
    server.route("/a", body=article())
    assert make_web().fetch(server.url("/a")).status == "stored"


def test_user_agent_and_host_delay(server, tmp_path):
    server.route("/a", body=article())
    server.route("/b", body=article(paras=PARAS[:2]))
    config = settings(tmp_path, robots=False, host_delay=5.0, user_agent="TestBot/1.0")
    waits: list[float] = []
    with Fetcher(config, sleep=waits.append) as fetcher:
        fetcher.get(server.url("/a"))
        fetcher.get(server.url("/b"))
    assert server.requests[0][1]["User-Agent"] == "TestBot/1.0"
    assert len(waits) == 1 and 4.0 < waits[0] <= 5.0


def test_host_delay_applies_to_a_redirect_hop(server, tmp_path):
    server.route("/moved", status=301, headers={"Location": "/b"})
    server.route("/b", body=article())
    waits: list[float] = []
    with Fetcher(settings(tmp_path, robots=False, host_delay=5.0), sleep=waits.append) as fetcher:
        assert fetcher.get(server.url("/moved")).final_url.endswith("/b")
    assert len(waits) == 1 and 4.0 < waits[0] <= 5.0


# --- conditional requests, canonical URLs, --refresh ----------------------------------------


def test_archived_url_is_skipped_then_refresh_sends_a_conditional_request(server, make_web):
    def cached(request):
        if request.headers.get("If-None-Match") == '"v1"':
            answer(request, 304, b"", {})
        else:
            answer(request, 200, article().encode(), {"Content-Type": "text/html", "ETag": '"v1"'})

    server.route("/c", handler=cached)
    web = make_web(robots=False)
    first = web.fetch(server.url("/c"))
    assert first.status == "stored"
    # Same page under tracking parameters and a fragment: skipped without a request.
    again = web.fetch(server.url("/c?utm_source=twitter&fbclid=x#top"))
    assert (again.status, again.record_id) == ("duplicate", first.record_id)
    assert server.hits("/c") == 1
    refreshed = web.fetch(server.url("/c"), refresh=True)
    assert (refreshed.status, refreshed.record_id) == ("duplicate", first.record_id)
    assert server.requests[-1][1]["If-None-Match"] == '"v1"'


def test_a_page_whose_canonical_url_is_archived_is_a_duplicate(server, make_web):
    server.route("/story", body=article(canonical="/story"))
    server.route("/amp/story", body=article(canonical="/story"))
    web = make_web(robots=False)
    first = web.fetch(server.url("/story"))
    second = web.fetch(server.url("/amp/story"))
    assert (second.status, second.record_id) == ("duplicate", first.record_id)
    # Now known by its own URL too: no second download.
    web.fetch(server.url("/amp/story"))
    assert server.hits("/amp/story") == 1


def test_canonical_url_drops_tracking_and_fragment():
    assert canonical_url("HTTPS://Example.COM:443/a?utm_source=x&id=5&fbclid=y#top") == (
        "https://example.com/a?id=5"
    )


# --- the CLI ---------------------------------------------------------------------------------


def test_fetch_command_batch_goes_on_and_exits_1(server, run, tmp_path):
    server.route("/a", body=article())
    server.route("/b", body=article(paras=PARAS[1:]))
    config = tmp_path / "c.yaml"
    config.write_text("http:\n  robots: false\n  host_delay: 0\n  retries: 0\n", encoding="utf-8")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# a comment\n{server.url('/b')}\n", encoding="utf-8")
    result = run("--config", str(config), "fetch", server.url("/a"), server.url("/missing"),
                 "--from-file", str(urls))  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout.count("stored") == 2
    assert f"error: {server.url('/missing')}: HTTP 404 Not Found" in result.stderr
    again = run("--config", str(config), "fetch", "-", input=server.url("/a") + "\n")
    assert again.exit_code == 0
    assert again.stdout.startswith("duplicate")
    refreshed = run("--config", str(config), "fetch", "--refresh", "--json", server.url("/a"))
    assert json.loads(refreshed.stdout)["status"] == "duplicate"
    assert server.hits("/a") == 2


def test_fetch_without_urls_is_a_usage_error(run):
    result = run("fetch")
    assert result.exit_code == 2
    assert "no URLs given" in result.stderr
