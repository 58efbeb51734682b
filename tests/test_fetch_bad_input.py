"""The bad-input table of test_bad_input.py again, served over HTTP and taken in by `fetch`:
each bad page sits between two good ones; expected a clear one-line error or a correct
record, never a traceback or a hang, and the good pages stored either way."""

from __future__ import annotations

import json

import pytest
from _web_server import WebServer
from test_bad_input import CASES, GOOD


@pytest.fixture(scope="module")
def server():
    web = WebServer()
    yield web
    web.close()


def page(text: str) -> bytes:
    title, body = text.split("\n\n", 1)
    return f"<html><head><title>{title}</title></head><body><p>{body}</p></body></html>".encode()


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_page_in_a_fetch_batch(case, server, run, tmp_path):
    name, data, expected = CASES[case]
    slug = "".join(ch if ch.isalnum() else "-" for ch in case)
    kind = "text/html" if name.endswith(".html") else "text/plain"
    server.route(f"/{slug}/good-1", body=page(GOOD))
    server.route(f"/{slug}/bad", body=data, headers={"Content-Type": kind})
    server.route(f"/{slug}/good-2", body=page(GOOD.replace("جيد", "آخر")))
    config = tmp_path / "config.yaml"
    config.write_text("http:\n  host_delay: 0\n  retries: 0\n", encoding="utf-8")
    urls = [server.url(f"/{slug}/{path}") for path in ("good-1", "bad", "good-2")]

    result = run("--config", str(config), "fetch", "--json", *urls)

    outcomes = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["status"] for o in outcomes[::2]] == ["stored", "stored"], outcomes
    errors = result.stderr.splitlines()
    if outcomes[1]["status"] == "failed":
        assert expected != "stored", outcomes[1]
        assert len(errors) == 1 and errors[0].startswith("error: "), errors
        assert "Traceback" not in result.stderr
        assert result.exit_code == 1
    else:
        assert expected in {"stored", None}, f"expected an error, got {outcomes[1]}"
        assert result.exit_code == 0 and not errors
