"""HTTP for fetch and run: one polite ``requests`` session with hard limits.

:class:`Fetcher` ``.get(url)`` returns a :class:`Page` (200, or 304 for a conditional request)
or raises :class:`FetchError` with a one-line reason. What it does for every request:

* http/https only, at most ``max_redirects`` redirects (a loop ends there too);
* connect and read timeouts, and an overall deadline for the page, retries included;
* retries with exponential backoff on connection errors, timeouts, 429 and 5xx; a
  ``Retry-After`` header (seconds or an HTTP date) is honoured, up to ``max_retry_after``;
* the body is streamed and counted after decompression, so a gzip bomb stops at
  ``max_page_bytes`` like any huge page; a larger ``Content-Length`` is refused before reading;
* content types other than the ones asked for (HTML/text for pages, XML for feeds) are refused;
* robots.txt is honoured (fetched once per host, kept in :class:`~newsarchive.fetchstate.FetchState`
  for a day) and requests to the same host are spaced by ``host_delay`` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests

from newsarchive.config import Config

__all__ = [
    "FEED_TYPES",
    "PAGE_TYPES",
    "FetchError",
    "Fetcher",
    "Page",
    "canonical_url",
    "check_url",
]

PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/x-rss+xml", "text/html", "text/plain", "application/octet-stream",
})  # fmt: skip
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_MAX_AGE = 24 * 3600.0  # seconds a cached robots.txt is trusted
ROBOTS_MAX_BYTES = 500_000  # Google's limit is 500 KiB
CHUNK = 64 * 1024


class FetchError(Exception):
    """A page that could not be fetched; ``str(exc)`` is a one-line reason."""


@dataclass(frozen=True)
class Page:
    """One answer: ``status`` 200 with the body, or 304 (unchanged since the validators sent)."""

    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    content: bytes = b""
    content_type: str = ""  # media type, lower case, no parameters
    charset: str | None = None  # as the Content-Type header declares it
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    """``url`` stripped, when it is an absolute http(s) URL with a host; else FetchError."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        raise FetchError(f"not an http(s) URL: {url}")
    if not parts.hostname:
        raise FetchError(f"URL has no host: {url}")
    return url


def canonical_url(url: str) -> str:
    """The URL used to recognize a page: lower-case scheme and host, default port, tracking
    parameters (utm_*, fbclid, gclid...) and the fragment dropped, query sorted (courlan)."""
    from courlan import normalize_url  # trafilatura's URL library, already installed with it

    try:
        return urldefrag(normalize_url(url))[0]
    except ValueError:
        return urldefrag(url)[0]


class Fetcher:
    """A requests session with the limits of :class:`~newsarchive.config.Config`.

    ``robots_store`` (a FetchState, or None) keeps robots.txt bodies between runs; ``sleep``
    and ``clock`` are injectable so the delays stay testable without waiting.
    """

    def __init__(
        self,
        config: Config,
        robots_store=None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.config = config
        self.robots_store = robots_store
        self.sleep = sleep
        self.clock = clock
        self.session = _GuardedSession(self._before_redirect)
        self.session.max_redirects = config.max_redirects
        self.session.headers["User-Agent"] = config.user_agent
        self.session.headers["Accept-Encoding"] = "gzip, deflate"
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    # --- the one public request ----------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: frozenset[str] = PAGE_TYPES,
    ) -> Page:
        """Fetch ``url`` (see the module docstring); raises :class:`FetchError`."""
        url = check_url(url)
        if self.config.robots and not self.allowed(url):
            raise FetchError("disallowed by robots.txt")
        headers = {"Accept": ", ".join(sorted(accept)) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = self.clock() + self.config.page_deadline
        attempt = 0
        while True:
            try:
                response = self._request(url, headers, deadline)
            except _Retryable as exc:
                wait = max(exc.wait or 0.0, self.config.backoff * 2**attempt)
                if attempt >= self.config.retries or self.clock() + wait > deadline:
                    raise FetchError(exc.reason) from None
                attempt += 1
                self.sleep(wait)
                continue
            with response:
                return self._page(url, response, accept, deadline)

    def _before_redirect(self, url: str) -> None:
        """Every redirect hop is a request like the first: robots.txt and the host delay."""
        if urlsplit(url).scheme not in ("http", "https"):
            return  # requests rejects it with a clear error
        if self.config.robots and not self.allowed(url):
            raise FetchError("redirect target disallowed by robots.txt")
        self._wait_for_host(url)

    # --- robots.txt ----------------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of ``url``'s host lets our user agent fetch it."""
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = self._robots[origin] = self._load_robots(origin)
        return parser.can_fetch(self.config.user_agent, url)

    def _load_robots(self, origin: str) -> RobotFileParser:
        """RFC 9309: a 4xx robots.txt allows everything; an unreachable one (5xx, no answer)
        disallows everything for now."""
        cached = self.robots_store.robots(origin, ROBOTS_MAX_AGE) if self.robots_store else None
        if cached is None:
            body = self._fetch_robots(origin)
            if self.robots_store is not None and body is not None:
                self.robots_store.save_robots(origin, body)
        else:
            body = cached
        parser = RobotFileParser()
        if body is None:
            parser.disallow_all = True
        else:
            parser.parse(body.splitlines())
        return parser

    def _fetch_robots(self, origin: str) -> str | None:
        """robots.txt text ('' when there is none), or None when the host did not answer."""
        self._wait_for_host(origin)
        try:
            with self.session.get(
                origin + "/robots.txt",
                timeout=(self.config.connect_timeout, self.config.read_timeout),
                stream=True,
            ) as response:
                if response.status_code >= 500:
                    return None
                if response.status_code >= 400:
                    return ""
                data = self._read(
                    response,
                    ROBOTS_MAX_BYTES,
                    self.clock() + self.config.page_deadline,
                    truncate=True,
                )
                return data.decode("utf-8", "replace")
        except (requests.RequestException, FetchError):
            return None

    # --- internals -----------------------------------------------------------------------

    def _wait_for_host(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        last = self._last_request.get(host)
        if last is not None:
            remaining = last + self.config.host_delay - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self._last_request[host] = self.clock()

    def _request(self, url: str, headers: dict[str, str], deadline: float) -> requests.Response:
        self._wait_for_host(url)
        remaining = deadline - self.clock()
        if remaining <= 0:
            raise FetchError(f"no answer within the {self.config.page_deadline:g} s deadline")
        timeout = (
            min(self.config.connect_timeout, remaining),
            min(self.config.read_timeout, remaining),
        )
        try:
            response = self.session.get(url, headers=headers, timeout=timeout, stream=True)
        except requests.TooManyRedirects:
            raise FetchError(
                f"too many redirects (more than {self.config.max_redirects})"
            ) from None
        except (
            requests.exceptions.InvalidSchema,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidURL,
        ) as exc:
            raise FetchError(f"bad URL or redirect target: {_first_line(exc)}") from None
        except requests.Timeout:
            raise _Retryable(f"timed out (no answer within {timeout[1]:g} s)") from None
        except requests.ConnectionError as exc:
            raise _Retryable(f"connection failed: {_connection_reason(exc)}") from None
        except requests.RequestException as exc:
            raise FetchError(f"request failed: {_first_line(exc)}") from None
        if response.status_code in RETRY_STATUSES:
            reason = f"HTTP {response.status_code} {response.reason or ''}".strip()
            wait = _retry_after(response.headers.get("Retry-After"))
            response.close()
            if wait is not None and wait > self.config.max_retry_after:
                raise FetchError(f"{reason} (Retry-After {wait:g} s is over the limit)")
            raise _Retryable(reason, wait)
        return response

    def _page(
        self, url: str, response: requests.Response, accept: frozenset[str], deadline: float
    ) -> Page:
        final_url = response.url or url
        if response.status_code == 304:
            return Page(url, final_url, 304)
        if response.status_code >= 400:
            raise FetchError(f"HTTP {response.status_code} {response.reason or ''}".strip())
        media_type, charset = _content_type(response.headers.get("Content-Type", ""))
        if media_type and media_type not in accept:
            raise FetchError(f"not a web page or feed (Content-Type {media_type})")
        length = response.headers.get("Content-Length", "")
        limit = self.config.max_page_bytes
        if length.isdigit() and "Content-Encoding" not in response.headers and int(length) > limit:
            raise FetchError(
                f"page is larger than the {limit} byte limit (Content-Length {length})"
            )
        content = self._read(response, limit, deadline)
        return Page(
            url,
            final_url,
            response.status_code,
            content,
            media_type,
            charset,
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
        )

    def _read(
        self, response: requests.Response, limit: int, deadline: float, *, truncate: bool = False
    ) -> bytes:
        """The body, decompressed, at most ``limit`` bytes, before ``deadline``."""
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > limit:
                    if truncate:
                        chunks.append(chunk[: limit - size + len(chunk)])
                        break
                    raise FetchError(f"page is larger than the {limit} byte limit (decompressed)")
                chunks.append(chunk)
                if self.clock() > deadline:
                    raise FetchError(
                        f"download took longer than the {self.config.page_deadline:g} s deadline"
                    )
        except requests.exceptions.ContentDecodingError:
            raise FetchError("cannot decompress the page (bad Content-Encoding)") from None
        except requests.RequestException as exc:
            raise FetchError(f"download interrupted: {_connection_reason(exc)}") from None
        return b"".join(chunks)


class _Retryable(Exception):
    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class _GuardedSession(requests.Session):
    """A session that calls ``guard(url)`` before it follows each redirect."""

    def __init__(self, guard: Callable[[str], None]):
        super().__init__()
        self.guard = guard

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        target = super().get_redirect_target(resp)
        if target is not None:
            self.guard(urljoin(resp.url, target))
        return target


def _content_type(header: str) -> tuple[str, str | None]:
    """Media type (lower case) and charset parameter of a Content-Type header."""
    if not header.strip():
        return "", None
    message = Message()
    message["Content-Type"] = header
    charset = message.get_param("charset")
    return message.get_content_type().lower(), str(charset).strip() if charset else None


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _first_line(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _connection_reason(exc: Exception) -> str:
    """requests' connection errors nest urllib3 reprs; keep the readable end."""
    text = _first_line(exc)
    for marker in (
        "Failed to establish a new connection: ",
        "Read timed out",
        "Connection refused",
    ):
        if marker in text:
            tail = text.split(marker, 1)[1] if marker.endswith(": ") else marker
            return tail.split("'))")[0].strip(" ')(") or marker
    return text
