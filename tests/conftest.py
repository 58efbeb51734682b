from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.cli import main

REPO = Path(__file__).parent.parent
SEED = REPO / "seeds" / "000_8e60ac49c7d6514a.txt"


@pytest.fixture
def archive(tmp_path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def run(archive, tmp_path, monkeypatch):
    """Run the CLI in-process against a temp archive, with no user config in reach."""
    monkeypatch.chdir(tmp_path)  # no ./config.yaml
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.config/newsarchive/config.yaml
    monkeypatch.delenv("NEWSARCHIVE_CONFIG", raising=False)
    monkeypatch.setenv("NEWSARCHIVE_ARCHIVE", str(archive))

    def invoke(*args: str, input: bytes | str | None = None):
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke
