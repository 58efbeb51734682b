"""Concurrency: several `newsarchive ingest` processes on one archive and the same inputs, with
searches running meanwhile. No duplicate, no lost record, a consistent index, no crash."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time

import test_crash
from test_crash import cli_env, make_articles

from newsarchive.store import LOCK_FILE, Archive
from newsarchive.verify import verify

fast_dir = test_crash.fast_dir  # the fixture: a scratch folder on tmpfs

ARTICLES = 600
INGESTS = 3


def newsarchive(archive, home, *args: str) -> list[str]:
    return [sys.executable, "-m", "newsarchive", "--archive", str(archive), *args]


def test_parallel_ingests_and_searches_agree(fast_dir, tmp_path):
    inputs = fast_dir / "inputs"
    archive = fast_dir / "archive"
    paths = [str(p) for p in make_articles(inputs, ARTICLES, seed=1)]
    # The same inputs, in different orders: forwards, backwards, and interleaved.
    orders = [paths, paths[::-1], paths[1::2] + paths[::2]]
    env = cli_env(tmp_path)
    # Output goes to files: a pipe nobody reads while the searches run would fill and block.
    outputs = [(tmp_path / f"out{i}", tmp_path / f"err{i}") for i in range(INGESTS)]
    ingests = []
    for order, (out, err) in zip(orders, outputs, strict=True):
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            ingests.append(
                subprocess.Popen(
                    newsarchive(archive, tmp_path, "ingest", "--json", *order),
                    stdout=stdout, stderr=stderr, cwd=tmp_path, env=env,
                )
            )
    searches = []
    while any(p.poll() is None for p in ingests):
        if archive.is_dir():
            searches.append(
                subprocess.run(
                    newsarchive(archive, tmp_path, "search", "الاجتماع", "--json", "--limit", "3"),
                    capture_output=True, cwd=tmp_path, env=env, timeout=60,
                )
            )
        else:
            time.sleep(0.05)
    results = [
        ((out.read_bytes(), err.read_bytes()), p.wait(timeout=60))
        for p, (out, err) in zip(ingests, outputs, strict=True)
    ]

    stored: list[str] = []
    duplicates = 0
    for (out, err), code in results:
        assert code == 0, err.decode()
        assert b"Traceback" not in err
        outcomes = [json.loads(line) for line in out.splitlines()]
        assert len(outcomes) == ARTICLES
        stored += [o["record_id"] for o in outcomes if o["status"] == "stored"]
        duplicates += sum(o["status"] == "duplicate" for o in outcomes)
    assert len(stored) == len(set(stored)) == ARTICLES  # each article stored once, by someone
    assert duplicates == ARTICLES * (INGESTS - 1)

    assert searches, "no search ran while the ingests did"
    for search in searches:
        assert search.returncode == 0, search.stderr.decode()
        assert b"Traceback" not in search.stderr
    report = verify(Archive(archive))
    assert report.ok, [p.line() for p in report.problems]
    assert report.records == ARTICLES
    per_run = [out.count(b'"stored"') for (out, _), _ in results]
    print(f"\n{INGESTS} ingests, {len(searches)} searches meanwhile; stored per run: {per_run}")


def test_a_run_holding_the_archive_too_long_gives_a_clear_error(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    article = make_articles(tmp_path / "in", 1)[0]
    with open(archive / LOCK_FILE, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # another run, busy
        handle.write(f"{os.getpid():>10}\n")
        handle.flush()
        env = cli_env(tmp_path) | {"NEWSARCHIVE_LOCK_WAIT": "0.3"}
        started = time.monotonic()
        result = subprocess.run(
            newsarchive(archive, tmp_path, "ingest", str(article)),
            capture_output=True, cwd=tmp_path, env=env, timeout=60,
        )
        waited = time.monotonic() - started
    assert result.returncode == 1
    error = result.stderr.decode().strip()
    assert len(error.splitlines()) == 1
    assert "is busy" in error and f"pid {os.getpid()}" in error and "0.3 s" in error
    assert waited < 10
    # Once the other run is done, the same command goes through.
    again = subprocess.run(
        newsarchive(archive, tmp_path, "ingest", str(article)),
        capture_output=True, cwd=tmp_path, env=cli_env(tmp_path), timeout=60,
    )
    assert again.returncode == 0, again.stderr.decode()
