"""Configuration: defaults, the documented config.yaml, precedence, and clear errors."""

from pathlib import Path

import pytest

from newsarchive import config
from newsarchive.config import Config, ConfigError

REPO = Path(__file__).parent.parent


def test_the_shipped_config_file_states_exactly_the_defaults():
    loaded = config.load(str(REPO / "config.yaml"), env={})
    assert loaded == Config()


def test_precedence_file_then_environment(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("archive: from-file\nsearch:\n  limit: 3\n", encoding="utf-8")
    from_file = config.load(str(path), env={})
    assert from_file.archive == tmp_path / "from-file"  # relative to the config file
    assert from_file.search_limit == 3
    from_env = config.load(
        None, env={"NEWSARCHIVE_CONFIG": str(path), "NEWSARCHIVE_ARCHIVE": "/x/y"}
    )
    assert from_env.archive == Path("/x/y")
    assert from_env.search_limit == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("search:\n  limit: many\n", "c.yaml:2: 'search.limit' must be a whole number"),
        ("search:\n  limit: true\n", "c.yaml:2: 'search.limit' must be a whole number"),
        ("archive: ok\nbogus: 1\n", "c.yaml:2: unknown setting 'bogus'"),
        ("ingest:\n  furniture: ['(unclosed']\n", "c.yaml:2: bad pattern"),
        ("search: [1, 2\n", "c.yaml:2: malformed YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        ("archive: !!python/object/apply:os.system ['true']\n", "c.yaml:1: YAML tag refused"),
        ("ingest:\n  max_bytes: -5\n", "must be a positive number"),
    ],
)
def test_bad_config_names_file_and_line(tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        config.load(str(path), env={})
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_explicit_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read config file"):
        config.load(str(tmp_path / "absent.yaml"), env={})
