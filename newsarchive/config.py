"""Configuration: one frozen object, loaded once, passed down.

Precedence, lowest first: built-in defaults < the config file < environment variables <
command-line flags (applied by the CLI with ``dataclasses.replace``). The config file is
``--config PATH``, else ``$NEWSARCHIVE_CONFIG``, else ``./config.yaml`` when present, else
``~/.config/newsarchive/config.yaml`` when present. The repo's ``config.yaml`` lists every
setting with its default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

ENV_CONFIG = "NEWSARCHIVE_CONFIG"
ENV_ARCHIVE = "NEWSARCHIVE_ARCHIVE"
DEFAULT_ARCHIVE = "~/.local/share/newsarchive"
USER_CONFIG = "~/.config/newsarchive/config.yaml"

# Lines that are page furniture, not article text (matched against the whole stripped line).
DEFAULT_FURNITURE: tuple[str, ...] = (
    r"ت\s*\+\s*ت\s*-\s*الحجم الطبيعي",  # font-size widget: "ت + ت - الحجم الطبيعي"
    r"(?i)(e-?mail|print|share|tweet|facebook|twitter|whatsapp|telegram|linkedin)",
    r"(طباعة|مشاركة|شارك|أرسل|ارسل|إرسال|ارسال|تغريد|حفظ|نسخ الرابط)( ?(المقال|الخبر|الرابط))?",
    r"(شارك|شاركوا) (على|عبر) .{1,30}",
    r"(اقرأ|إقرأ|اقرا) (أيضا|أيضاً|ايضا|المزيد)\s*:?",
    r"(?i)(read more|related articles?|advertisement)",
    r"(إعلان|اعلان)",
)


DEFAULT_USER_AGENT = "newsarchive/0.1 (Arabic news archiver; +https://pypi.org/project/newsarchive/)"


@dataclass(frozen=True)
class Feed:
    """One configured feed: RSS 2.0, Atom, or a (news) sitemap."""

    url: str
    name: str | None = None  # shown in logs; default: the URL's host
    language: str | None = None  # stated language of the items (used when a page states none)
    limit: int | None = None  # at most this many items per run (None: run.feed_limit)


class ConfigError(Exception):
    """The configuration is unusable. The message names the file and, when known, the line."""


@dataclass(frozen=True)
class Config:
    archive: Path = Path(DEFAULT_ARCHIVE).expanduser()
    # ingest
    input_glob: str | None = None  # None: *.txt, *.text, *.html, *.htm, *.xhtml
    max_input_bytes: int = 20_000_000
    furniture: tuple[str, ...] = DEFAULT_FURNITURE
    # entities
    default_gazetteer: bool = True
    learnt_lists: bool = True  # the shipped lists learnt from ANERcorp (data/learnt)
    gazetteers: tuple[Path, ...] = ()
    # search
    search_limit: int = 10
    snippet_width: int = 200
    # web: HTTP behaviour of fetch and run (seconds, bytes)
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    page_deadline: float = 60.0  # overall time for one page, retries included
    retries: int = 3  # extra attempts on connection errors, 429 and 5xx
    backoff: float = 1.0  # first retry waits this long, then doubling
    max_retry_after: float = 120.0  # a longer Retry-After fails the page instead of waiting
    max_redirects: int = 5
    max_page_bytes: int = 10_000_000  # counted on the decompressed bytes
    robots: bool = True
    host_delay: float = 1.0  # pause between two requests to the same host
    # run: what the cron entry point does
    feeds: tuple[Feed, ...] = ()
    feed_limit: int = 100
    inbox: tuple[Path, ...] = ()
    log_file: Path | None = None
    source_file: Path | None = field(default=None, compare=False)

    def furniture_patterns(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.furniture]


# YAML path -> (Config field, expected type). One table, so the file format is visible here.
_KEYS: dict[tuple[str, ...], tuple[str, type | tuple[type, ...]]] = {
    ("archive",): ("archive", str),
    ("ingest", "glob"): ("input_glob", (str, type(None))),
    ("ingest", "max_bytes"): ("max_input_bytes", int),
    ("ingest", "furniture"): ("furniture", list),
    ("entities", "default_gazetteer"): ("default_gazetteer", bool),
    ("entities", "learnt_lists"): ("learnt_lists", bool),
    ("entities", "gazetteers"): ("gazetteers", list),
    ("search", "limit"): ("search_limit", int),
    ("search", "snippet_width"): ("snippet_width", int),
    ("http", "user_agent"): ("user_agent", str),
    ("http", "connect_timeout"): ("connect_timeout", (int, float)),
    ("http", "read_timeout"): ("read_timeout", (int, float)),
    ("http", "deadline"): ("page_deadline", (int, float)),
    ("http", "retries"): ("retries", int),
    ("http", "backoff"): ("backoff", (int, float)),
    ("http", "max_retry_after"): ("max_retry_after", (int, float)),
    ("http", "max_redirects"): ("max_redirects", int),
    ("http", "max_bytes"): ("max_page_bytes", int),
    ("http", "robots"): ("robots", bool),
    ("http", "host_delay"): ("host_delay", (int, float)),
    ("feeds",): ("feeds", list),
    ("run", "feed_limit"): ("feed_limit", int),
    ("run", "inbox"): ("inbox", list),
    ("run", "log_file"): ("log_file", (str, type(None))),
}
# Settings where 0 is a sensible value (no retries, no delay); other numbers must be > 0.
_ZERO_OK = frozenset({"retries", "backoff", "host_delay", "max_retry_after"})
_SECTIONS = {path[0] for path in _KEYS if len(path) > 1}


def find_config_file(explicit: str | None, env: Mapping[str, str]) -> Path | None:
    if explicit:
        return Path(explicit)
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG])
    for candidate in (Path("config.yaml"), Path(USER_CONFIG).expanduser()):
        if candidate.is_file():
            return candidate
    return None


def load(explicit: str | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Build the Config from defaults, the config file and the environment."""
    env = os.environ if env is None else env
    path = find_config_file(explicit, env)
    config = Config()
    if path is not None:
        config = _apply_file(config, path)
    if env.get(ENV_ARCHIVE):
        config = replace(config, archive=Path(env[ENV_ARCHIVE]).expanduser())
    return config


def _apply_file(config: Config, path: Path) -> Config:
    import yaml  # here, not at the top: 22 ms of every start-up, and most runs have no file

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if isinstance(exc, yaml.constructor.ConstructorError):
            raise ConfigError(f"{where}: YAML tag refused (safe loading only): {problem}") from exc
        raise ConfigError(f"{where}: malformed YAML: {problem}") from exc
    if data is None:
        return config
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the config file must be a mapping of settings")
    changes: dict[str, Any] = {}
    for key_path, value in _flatten(data):
        line = _line_of(root, key_path)
        where = f"{path}:{line}" if line else str(path)
        name = ".".join(key_path)
        if key_path not in _KEYS:
            raise ConfigError(f"{where}: unknown setting '{name}'")
        field_name, expected = _KEYS[key_path]
        is_number = expected is int or isinstance(expected, tuple) and int in expected
        if not isinstance(value, expected) or isinstance(value, bool) and is_number:
            raise ConfigError(f"{where}: '{name}' must be {_type_name(expected)}, not {value!r}")
        changes[field_name] = _convert(field_name, value, path.parent, where, name)
    return replace(config, source_file=path, **changes)


def _flatten(data: dict, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    items = []
    for key, value in data.items():
        key_path = (*prefix, str(key))
        if not prefix and key in _SECTIONS and isinstance(value, dict):
            items += _flatten(value, key_path)
        elif not prefix and key in _SECTIONS and value is None:
            continue  # an empty section
        else:
            items.append((key_path, value))
    return items


def _convert(field_name: str, value: Any, base: Path, where: str, name: str) -> Any:
    if field_name == "archive":
        return _resolve(value, base)
    if field_name == "gazetteers":
        if not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{where}: '{name}' must be a list of file paths")
        return tuple(_resolve(item, base) for item in value)
    if field_name == "furniture":
        if not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{where}: '{name}' must be a list of regular expressions")
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{where}: bad pattern {pattern!r} in '{name}': {exc}") from exc
        return tuple(value)
    if field_name == "feeds":
        return tuple(_feed(item, where, name) for item in value)
    if field_name == "inbox":
        if not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{where}: '{name}' must be a list of folders")
        return tuple(_resolve(item, base) for item in value)
    if field_name == "log_file":
        return None if value is None else _resolve(value, base)
    if isinstance(value, bool):  # before the number checks: False is an int in Python
        return value
    if field_name in _ZERO_OK and isinstance(value, (int, float)) and value >= 0:
        return value
    if isinstance(value, (int, float)) and value <= 0:
        raise ConfigError(f"{where}: '{name}' must be a positive number, not {value}")
    return value


_FEED_KEYS = {"url": str, "name": str, "language": str, "limit": int}


def _feed(item: Any, where: str, name: str) -> Feed:
    """A ``feeds`` entry: a URL, or a mapping with url (required), name, language, limit."""
    if isinstance(item, str):
        item = {"url": item}
    if not isinstance(item, dict) or not isinstance(item.get("url"), str):
        raise ConfigError(f"{where}: each of '{name}' needs a url (a string or url: ...)")
    for key, value in item.items():
        expected = _FEED_KEYS.get(str(key))
        if expected is None:
            raise ConfigError(f"{where}: unknown feed setting '{key}' in '{name}'")
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ConfigError(f"{where}: feed '{key}' must be {_type_name(expected)}")
    if not re.match(r"https?://", item["url"], re.IGNORECASE):
        raise ConfigError(f"{where}: feed url must start with http:// or https://: {item['url']}")
    if item.get("limit") is not None and item["limit"] <= 0:
        raise ConfigError(f"{where}: feed 'limit' must be a positive number")
    return Feed(**{str(k): v for k, v in item.items()})


def _resolve(value: str, base: Path) -> Path:
    """Relative paths in a config file are relative to that file, as a reader expects."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _line_of(node: yaml.Node | None, key_path: tuple[str, ...]) -> int | None:
    import yaml

    for key in key_path:
        if not isinstance(node, yaml.MappingNode):
            return None
        for key_node, value_node in node.value:
            if key_node.value == key:
                line = key_node.start_mark.line + 1
                node = value_node
                break
        else:
            return None
    return line


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "a whole number", bool: "true or false", list: "a list",
             float: "a number"}
    types = expected if isinstance(expected, tuple) else (expected,)
    if set(types) == {int, float}:
        return "a number"
    return " or ".join(names.get(t, "empty") for t in types)
