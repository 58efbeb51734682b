import gc
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.cli import main

REPO = Path(__file__).parent.parent
SEED = REPO / "seeds" / "000_8e60ac49c7d6514a.txt"


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """The compiled-gazetteer cache goes to a temp folder, never the user's ~/.cache."""
    cache = tmp_path_factory.mktemp("cache")
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    yield cache
    if saved is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@pytest.fixture(autouse=True)
def collector_unfrozen():
    """The CLI freezes every object alive once it has loaded the gazetteer (a process of its
    own); in this shared test process the objects go back to the collector after each test."""
    yield
    gc.unfreeze()


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


def pytest_addoption(parser):
    parser.addoption("--anercorp", help="ANERcorp CoNLL file for the corpus tests (else skipped)")


@pytest.fixture
def anercorp(request) -> Path:
    path = request.config.getoption("--anercorp")
    if not path or not Path(path).is_file():
        pytest.skip("needs --anercorp PATH")
    return Path(path)
