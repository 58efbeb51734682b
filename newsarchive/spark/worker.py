"""What runs in each executor: inputs → rows (a record, or a skip/failure with its reason).

The conversion is :func:`newsarchive.pipeline.file_record` / :func:`newsarchive.convert.
page_record`, the functions ``ingest`` and ``fetch`` call, so the records are the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from ..config import Config
from ..convert import file_record, html_hint, page_record
from ..entities.extract import EntityExtractor
from ..extract import ExtractError
from ..sources.files import InputError
from .readers import FAILED, FILE, Item, Skip

RECORD = "record"
# One row per input: (kind, record id, order, date, record JSON, source, reason).
ROW_SCHEMA = (
    "kind string, id string, order string, date string, value string, source string, "
    "reason string"
)

# The one per-process cache of the library, and why it is here: compiling the gazetteer
# takes about a second and its matcher tables tens of MB, so each Python worker process
# builds (or loads from the $XDG_CACHE_HOME pickle) one EntityExtractor and keeps it for
# every task it runs (Spark reuses Python workers: spark.python.worker.reuse). A broadcast
# would ship the same tables from the driver to every executor instead; building them where
# they are used sends nothing. The library itself keeps no global state: ingest passes its
# extractor down explicitly. Keyed by the config's gazetteer settings.
_EXTRACTORS: dict[tuple, tuple[EntityExtractor, list[re.Pattern[str]]]] = {}


def tools(config: Config) -> tuple[EntityExtractor, list[re.Pattern[str]]]:
    """This process's extractor and furniture patterns for ``config``, built once."""
    key = (config.gazetteers, config.default_gazetteer, config.furniture)
    if key not in _EXTRACTORS:
        extractor = EntityExtractor.from_paths(
            config.gazetteers, use_default=config.default_gazetteer
        )
        _EXTRACTORS[key] = (extractor, config.furniture_patterns())
    return _EXTRACTORS[key]


def convert(items: Iterable[Item | Skip], config: Config, started_at: str) -> Iterator[tuple]:
    """One row per input. ``started_at``: the job's start, the ``ingested_at`` of files (and
    of pages without a fetch time); a page's record takes its fetch time."""
    extractor, furniture = tools(config)
    for item in items:
        if isinstance(item, Skip):
            yield (item.status, None, item.order, None, None, item.name, item.reason)
            continue
        try:
            if item.kind == FILE:
                record = file_record(item.data, item.name, furniture, extractor,
                                     html=html_hint(item.name), ingested_at=started_at)  # fmt: skip
            else:
                record = page_record(
                    item.data, item.name, furniture, extractor,
                    content_type=item.content_type, charset=item.charset,
                    ingested_at=item.fetched_at or started_at,
                )  # fmt: skip
        except (InputError, ExtractError) as exc:
            yield (FAILED, None, item.order, None, None, item.name, str(exc))
        except RecursionError:  # as ingest: a pathological input no stage was written for
            yield (FAILED, None, item.order, None, None, item.name,
                   "input nested too deeply to read")  # fmt: skip
        else:
            value = json.dumps(record.to_dict(), ensure_ascii=False)
            yield (RECORD, record.id, item.order, record.date, value, record.source, None)
