"""Crash safety: a real `newsarchive ingest` subprocess SIGKILLed at seeded random moments.

After every kill: no partial or unparsable record, every record the process reported as stored
is there and valid; only the leftovers a kill may leave (temp files, records not yet in the
index or catalog) are allowed, and the next run must clear them. A last, uninterrupted run
completes the batch with no duplicate, and `verify` then finds nothing at all.

The archive lives on /dev/shm when it is a tmpfs: a SIGKILL does not lose the page cache, so
fsync plays no part in what is tested here, and on tmpfs it costs nothing (on disk it is
~5 ms a record). Elsewhere the test runs in tmp_path, just slower.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarchive.store import Archive
from newsarchive.verify import CATALOG, INDEX, TEMP, verify

ARTICLES = 2000
WORDS = (
    "قال أعلن مصادر اليوم أمس الذي التي في من على إلى عن مع بعد قبل خلال حيث كما أن هذا هذه "
    "الاجتماع المسؤولين التقرير الأسبوع الماضي الجديد المشروع الخطة الوضع القرار"
).split()
# What a kill may leave behind; anything else (unreadable, schema, id, offsets, duplicate)
# would be a broken guarantee.
LEFTOVERS = {TEMP, INDEX, CATALOG}


def make_articles(directory: Path, count: int, seed: int = 0) -> list[Path]:
    """``count`` small, distinct Arabic plain-text articles."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        title = " ".join(rng.choices(WORDS, k=4)) + f" {i}"
        body = " ".join(rng.choices(WORDS, k=12)) + f" العدد {i}."
        path = directory / f"a{i:05d}.txt"
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def fast_dir(tmp_path) -> Iterator[Path]:
    """A scratch folder on tmpfs when there is one (see the module docstring)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        directory = Path(tempfile.mkdtemp(prefix="newsarchive-test-", dir=shm))
        try:
            yield directory
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    else:
        yield tmp_path


def cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSARCHIVE_")}
    env.update(HOME=str(home), PYTHONUNBUFFERED="1")  # each outcome line out as it is made
    return env


def start_ingest(archive: Path, inputs: Path, home: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "--archive", str(archive), "ingest", "--json",
         *extra, str(inputs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=home,
        env=cli_env(home),
    )


class Reader:
    """Collects a process's JSON outcome lines in a thread, as they come."""

    def __init__(self, process: subprocess.Popen):
        self.outcomes: list[dict] = []
        self.stored = 0
        self._thread = threading.Thread(target=self._run, args=(process.stdout,), daemon=True)
        self._thread.start()

    def _run(self, stream) -> None:
        for line in stream:
            try:
                outcome = json.loads(line)
            except ValueError:  # the last line may be cut by the kill
                continue
            self.outcomes.append(outcome)
            if outcome["status"] == "stored":
                self.stored += 1

    def join(self) -> None:
        self._thread.join(timeout=30)


def kill_after(process: subprocess.Popen, reader: Reader, stored: int, delay: float) -> None:
    """SIGKILL once ``stored`` records were reported (or the run ended), after ``delay`` s."""
    deadline = time.monotonic() + 60
    while reader.stored < stored and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    reader.join()


def check_after_kill(archive: Path, reported: list[dict]) -> set[str]:
    """The guarantees that hold right after a kill; returns the leftover kinds found."""
    if not archive.exists():
        assert not reported
        return {"killed before the archive existed"}
    report = verify(Archive(archive))
    broken = [p.line() for p in report.problems if p.kind not in LEFTOVERS]
    assert not broken, broken
    for outcome in reported:
        if outcome["status"] == "stored":
            data = json.loads((archive / outcome["path"]).read_text(encoding="utf-8"))
            assert data["id"] == outcome["record_id"]
    return {p.kind for p in report.problems}


def test_sigkill_at_random_moments_loses_and_corrupts_nothing(fast_dir, tmp_path):
    inputs = fast_dir / "inputs"
    archive = fast_dir / "archive"
    make_articles(inputs, ARTICLES)
    rng = random.Random(5)
    # Kill points: during start-up (opening, recovery), early in a batch, around the first
    # index commit (every 500 records), and at arbitrary later points.
    plan = [
        (0, rng.uniform(0.05, 0.5)),
        (rng.randint(1, 100), rng.uniform(0, 0.02)),
        (rng.randint(490, 510), rng.uniform(0, 0.05)),
        (rng.randint(100, 400), rng.uniform(0, 0.02)),
        (0, rng.uniform(0.3, 0.8)),
        (rng.randint(200, 600), rng.uniform(0, 0.05)),
    ]
    reported: list[dict] = []
    leftovers_seen: list[set[str]] = []
    for stored, delay in plan:
        process = start_ingest(archive, inputs, tmp_path)
        reader = Reader(process)
        kill_after(process, reader, stored, delay)
        reported += reader.outcomes
        leftovers_seen.append(check_after_kill(archive, reported))

    # The same ingest, uninterrupted, completes the batch: nothing twice, nothing missing.
    final = subprocess.run(
        [sys.executable, "-m", "newsarchive", "--archive", str(archive), "ingest", "--json",
         str(inputs)],
        capture_output=True, cwd=tmp_path, env=cli_env(tmp_path), timeout=120,
    )
    assert final.returncode == 0, final.stderr.decode()
    outcomes = [json.loads(line) for line in final.stdout.splitlines()]
    assert len(outcomes) == ARTICLES
    assert {o["status"] for o in outcomes} <= {"stored", "duplicate"}
    files = list(Archive(archive).record_paths())
    assert len(files) == ARTICLES
    assert len({p.stem for p in files}) == ARTICLES
    report = verify(Archive(archive))
    assert report.ok, [p.line() for p in report.problems]
    assert report.records == ARTICLES
    earlier = {o["record_id"] for o in reported if o["status"] == "stored"}
    assert earlier <= {p.stem for p in files}
    print(f"\nkills: {len(plan)}; leftovers after each: {leftovers_seen}")


# -- the state a kill leaves, built directly: each case the random kills may or may not hit --


def ingest_cli(archive: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", "--archive", str(archive), "ingest", *args],
        capture_output=True, cwd=home, env=cli_env(home), timeout=120,
    )


def test_next_run_finishes_a_write_cut_between_file_and_catalog(tmp_path):
    """Killed after the record file was renamed into place but before the catalog knew: the
    journal row leads the next run to register and index it, and to remove the temp file a
    second, unfinished write left in the same folder."""
    from newsarchive.catalog import Catalog
    from newsarchive.config import Config
    from newsarchive.pipeline import Ingester
    from newsarchive.sources.files import Source

    archive = tmp_path / "archive"
    first, second = make_articles(tmp_path / "in", 2)
    with Ingester(Config(archive=archive)) as ingester:
        outcome = ingester.ingest_source(Source(str(first), first))
        record = ingester.archive.read_path(outcome.path)
    # Undo the catalog and index side, keep file + journal row: what a kill leaves.
    with Catalog(archive / "catalog.sqlite") as catalog:
        catalog.rebuild([])
        catalog.journal_add(record.id, outcome.path)
    from newsarchive.index import SearchIndex

    SearchIndex(archive / "index").rebuild([])
    stray = (archive / outcome.path).parent / ".tmp-killedwrite"
    stray.write_bytes(b'{"half": ')

    result = ingest_cli(archive, tmp_path, "--json", str(first), str(second))
    assert result.returncode == 0, result.stderr.decode()
    statuses = [json.loads(line)["status"] for line in result.stdout.splitlines()]
    assert statuses == ["duplicate", "stored"]  # not stored twice
    assert not stray.exists()
    report = verify(Archive(archive))
    assert report.ok, [p.line() for p in report.problems]


def test_reindex_repairs_an_index_that_lost_a_batch(tmp_path):
    archive = tmp_path / "archive"
    inputs = tmp_path / "in"
    make_articles(inputs, 5)
    assert ingest_cli(archive, tmp_path, str(inputs)).returncode == 0
    from newsarchive.index import SearchIndex

    SearchIndex(archive / "index").rebuild([])
    assert {p.kind for p in verify(Archive(archive)).problems} == {INDEX}
    from newsarchive.rebuild import reindex

    assert reindex(Archive(archive)) == 5
    assert verify(Archive(archive)).ok


# -- disk full, read-only -------------------------------------------------------------------


@pytest.fixture
def small_tmpfs(tmp_path) -> Iterator[Path]:
    """A 1 MB tmpfs (needs root and mount; skipped where the OS will not provide one)."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    try:
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
            capture_output=True, timeout=30,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"no small tmpfs for the disk-full test: {exc}")
    if result.returncode != 0:
        reason = result.stderr.decode().strip() or f"mount exited {result.returncode}"
        pytest.skip(f"no small tmpfs for the disk-full test (needs root and mount): {reason}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, timeout=30)


def remount(mount_point: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mount_point)], check=True,
                   capture_output=True, timeout=30)


def test_disk_full_then_read_only_fail_cleanly_and_lose_nothing(small_tmpfs, tmp_path):
    archive = small_tmpfs / "archive"
    inputs = make_articles(tmp_path / "in", 400)

    full = ingest_cli(archive, tmp_path, "--json", str(tmp_path / "in"))
    assert full.returncode == 1
    error = full.stderr.decode().strip()
    assert error.startswith("Error: ") and len(error.splitlines()) == 1, error
    assert "no space left on device" in error or "disk is full" in error, error
    stored = [o for o in map(json.loads, full.stdout.splitlines()) if o["status"] == "stored"]
    assert 0 < len(stored) < len(inputs)
    # Nothing half-written, every record reported as stored is whole; only derived data lags.
    assert not Archive(archive).temp_files()
    check_after_kill(archive, stored)

    remount(small_tmpfs, "size=16m")  # space freed: the same ingest completes the batch
    again = ingest_cli(archive, tmp_path, str(tmp_path / "in"))
    assert again.returncode == 0, again.stderr.decode()
    report = verify(Archive(archive))
    assert report.ok and report.records == len(inputs), [p.line() for p in report.problems]

    remount(small_tmpfs, "ro")
    extra = make_articles(tmp_path / "more", 1, seed=9)[0]
    extra.write_text("عنوان آخر\n\nنص آخر مختلف تماما.\n", encoding="utf-8")
    readonly = ingest_cli(archive, tmp_path, str(extra))
    assert readonly.returncode == 1
    error = readonly.stderr.decode().strip()
    assert error.startswith("Error: ") and len(error.splitlines()) == 1, error
    assert "read-only file system" in error
    assert len(list(Archive(archive).record_paths())) == len(inputs)
    assert not Archive(archive).temp_files()
    # Reading a read-only archive: results, or one clear line — never a traceback.
    searched = subprocess.run(
        [sys.executable, "-m", "newsarchive", "--archive", str(archive), "search", "عنوان"],
        capture_output=True, cwd=tmp_path, env=cli_env(tmp_path), timeout=120,
    )
    message = searched.stderr.decode().strip()
    assert searched.returncode in (0, 1), message
    assert "Traceback" not in message and len(message.splitlines()) <= 1, message
