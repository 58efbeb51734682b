"""What the benchmark scripts share: running the CLI as a child process with its wall time
and peak memory, percentiles, and folder sizes."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    seconds: float  # wall time
    peak_rss_mb: float  # the child's peak resident set (ru_maxrss)
    returncode: int
    stdout: str
    stderr: str


def cli_command() -> list[str]:
    """The installed ``newsarchive`` script beside this Python (what a user runs), or
    ``python -m newsarchive`` when it is not there."""
    script = Path(sys.executable).parent / "newsarchive"
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsarchive"]


def clean_env(home: Path) -> dict[str, str]:
    """The environment minus any user config: defaults only, as the tests run the CLI."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSARCHIVE_")}
    env["HOME"] = str(home)
    return env


def run_process(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run ``argv`` to the end; wall time from start to reaping, peak RSS from ``wait4``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                 cwd=cwd, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, child.returncode,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def run_cli(archive: Path, *args: str, home: Path | None = None) -> Run:
    """``newsarchive --archive ARCHIVE ARGS...`` with no user config in reach."""
    home = home or archive.parent
    argv = [*cli_command(), "--archive", str(archive), *args]
    return run_process(argv, cwd=home, env=clean_env(home))


def percentiles(seconds: list[float]) -> dict[str, float]:
    """p50, p95 and max, in milliseconds (nearest-rank p95)."""
    ordered = sorted(seconds)
    rank95 = max(0, -(-95 * len(ordered) // 100) - 1)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[rank95] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def folder_bytes(path: Path) -> tuple[int, int]:
    """(bytes in files, bytes allocated on disk) under ``path``; a file counts as itself."""
    if path.is_file():
        stat = path.stat()
        return stat.st_size, stat.st_blocks * 512
    size = allocated = 0
    for dirpath, _, filenames in os.walk(path):
        for name in filenames:
            stat = os.stat(os.path.join(dirpath, name))
            size += stat.st_size
            allocated += stat.st_blocks * 512
    return size, allocated


def input_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file())


def scanner() -> list[str]:
    """ripgrep when installed, else grep: list the files that contain a fixed string."""
    if shutil.which("rg"):
        return ["rg", "--files-with-matches", "--fixed-strings", "--no-messages", "--"]
    return ["grep", "-r", "-l", "-F", "--"]


def has_command(archive: Path, name: str) -> bool:
    """True when ``newsarchive NAME --help`` exists (a command another issue may add)."""
    return run_cli(archive, name, "--help").returncode == 0


def option_exists(archive: Path, command: str, option: str) -> bool:
    return option in run_cli(archive, command, "--help").stdout
