"""run: the cron entry point — feeds and inbox once, summary, log file, lock, exit codes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _web_server import WebServer, answer
from test_feeds import RSS
from test_web import PARAS, article

from newsarchive.runner import RunLocked, run_lock

SUMMARY = re.compile(r"^(\d+) feeds, (\d+) new, (\d+) duplicates, (\d+) failed, [\d.]+ s$")


@pytest.fixture
def server():
    web = WebServer()
    yield web
    web.close()


def serve_feed(server: WebServer) -> None:
    def feed(request):
        if request.headers.get("If-None-Match") == '"f1"':
            answer(request, 304, b"", {})
        else:
            body = RSS.format(base=server.base).encode()
            answer(request, 200, body, {"Content-Type": "application/rss+xml", "ETag": '"f1"'})

    server.route("/rss.xml", handler=feed)
    server.route("/n/1", body=article(paras=PARAS[:2]))
    server.route("/n/2", body=article(paras=PARAS[1:]))


def write_config(tmp_path: Path, server: WebServer, extra: str = "") -> Path:
    path = tmp_path / "run.yaml"
    path.write_text(
        "http:\n  robots: false\n  host_delay: 0\n  retries: 0\n  read_timeout: 0.5\n"
        f"feeds:\n  - url: {server.url('/rss.xml')}\n    name: test-feed\n    language: ar\n"
        + extra,
        encoding="utf-8",
    )
    return path


def counts(line: str) -> tuple[int, ...]:
    match = SUMMARY.match(line.strip())
    assert match, line
    return tuple(int(g) for g in match.groups())


def test_run_then_again_skips_what_it_has_seen(server, run, tmp_path):
    serve_feed(server)
    config = write_config(tmp_path, server)
    log = tmp_path / "logs" / "run.log"
    first = run("--config", str(config), "run", "--log-file", str(log))
    assert first.exit_code == 0, first.output
    assert counts(first.stdout) == (1, 2, 0, 0)
    second = run("--config", str(config), "run", "--log-file", str(log))
    assert counts(second.stdout) == (1, 0, 0, 0)  # the feed answered 304: nothing to do
    assert server.hits("/n/1") == 1 and server.hits("/rss.xml") == 2
    lines = log.read_text(encoding="utf-8").splitlines()
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
    assert all(re.match(rf"{stamp} (INFO |ERROR) ", line) for line in lines)
    assert any("INFO  stored    " in line and "/n/1" in line for line in lines)
    assert any(line.endswith("feed test-feed: unchanged") for line in lines)
    assert "INFO  run done: 1 feeds, 0 new, 0 duplicates, 0 failed" in lines[-1]


def test_failed_items_exit_1_and_the_run_goes_on(server, run, tmp_path):
    serve_feed(server)
    del server.routes["/n/1"]
    result = run("--config", str(write_config(tmp_path, server)), "run", "--quiet")
    assert result.exit_code == 1
    assert result.stdout == ""  # --quiet: errors only
    assert f"error: {server.url('/n/1')}" in result.stderr
    assert "HTTP 404 Not Found" in result.stderr
    # The feed's ETag was not kept: the failed item is tried again next time.
    server.route("/n/1", body=article(paras=PARAS[:2]))
    again = run("--config", str(write_config(tmp_path, server)), "run")
    assert counts(again.stdout) == (1, 1, 1, 0)


def test_inbox_folders_are_ingested(server, run, tmp_path):
    serve_feed(server)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("عنوان من صندوق الوارد\n\nنص الخبر في الملف.\n", encoding="utf-8")
    config = write_config(tmp_path, server, "run:\n  inbox: [inbox]\n")
    result = run("--config", str(config), "run")
    assert counts(result.stdout) == (1, 3, 0, 0)


def test_nothing_configured_is_a_config_error(run):
    result = run("run")
    assert result.exit_code == 2
    assert "no feeds and no inbox folders" in result.stderr


def test_a_bad_feed_is_reported_and_counted(server, run, tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text(
        f"http:\n  robots: false\n  retries: 0\nfeeds:\n  - {server.url('/nope.xml')}\n",
        encoding="utf-8",
    )
    result = run("--config", str(config), "run")
    assert result.exit_code == 1
    assert "error: feed 127.0.0.1: HTTP 404 Not Found" in result.stderr
    assert counts(result.stdout) == (1, 0, 0, 1)


def test_a_second_run_exits_3_while_the_lock_is_held(server, run, tmp_path, archive):
    serve_feed(server)
    config = write_config(tmp_path, server)
    with run_lock(archive):
        with pytest.raises(RunLocked), run_lock(archive):
            pass
        result = run("--config", str(config), "run")
        assert result.exit_code == 3
        assert "another run is in progress" in result.stderr
        # The same from a real process, as cron would start it.
        env = {**os.environ, "NEWSARCHIVE_ARCHIVE": str(archive), "HOME": str(tmp_path)}
        proc = subprocess.run(
            [sys.executable, "-m", "newsarchive", "--config", str(config), "run"],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
        )  # fmt: skip
        assert proc.returncode == 3, proc.stderr
        assert proc.stderr.startswith("Error: another run is in progress")
    assert server.hits("/rss.xml") == 0
    assert run("--config", str(config), "run").exit_code == 0  # released


def test_feed_settings_are_validated(run, tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("feeds:\n  - url: ftp://x\n", encoding="utf-8")
    result = run("--config", str(config), "run")
    assert result.exit_code == 2
    assert "c.yaml:1: feed url must start with http:// or https://" in result.stderr
    config.write_text("feeds:\n  - url: http://x\n    limit: lots\n", encoding="utf-8")
    assert "feed 'limit' must be a whole number" in run("--config", str(config), "run").stderr
