"""A real HTTP server on 127.0.0.1 for the web tests: routes are plain functions.

``server.route(path, status=200, body=b"", headers={})`` serves a fixed answer;
``server.route(path, handler=fn)`` calls ``fn(request_handler)`` to answer by hand (slow
servers, counters). Every request is logged in ``server.requests`` as (path, headers).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


class WebServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server.requests.append((self.path.split("?")[0], dict(self.headers)))
                handler = server.routes.get(self.path.split("?")[0])
                if handler is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                handler(self)

            def log_message(self, *args) -> None:  # keep test output clean
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        # A client that hangs up mid-answer (the bomb and huge-page tests) is expected.
        self.httpd.handle_error = lambda request, client_address: None
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(
        self,
        path: str,
        status: int = 200,
        body: bytes | str = b"",
        headers: dict[str, str] | None = None,
        handler: Handler | None = None,
    ) -> None:
        if handler is None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            fixed = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}

            def handler(request: BaseHTTPRequestHandler) -> None:
                answer(request, status, data, fixed)

        self.routes[path] = handler

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def answer(
    request: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]
) -> None:
    request.send_response(status)
    for name, value in headers.items():
        if value is not None:
            request.send_header(name, value)
    if "Content-Length" not in headers:
        request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    if body:
        request.wfile.write(body)
