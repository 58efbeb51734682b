"""The search index: a tantivy index in ``ARCHIVE/index/``, derived from the records.

The index holds the match form of each title and text as space-separated ``WORD`` tokens,
split again by tantivy's ``whitespace`` tokenizer, which neither lower-cases, stems nor drops
anything: an indexed term is exactly a match-form word. Clitics are not stripped here; the
query side asks for every clitic-prefixed spelling of a word (``prefixed_forms``) instead,
so العراق finds بالعراق and والعراق but not العراقية.

Phrases: tantivy checks word positions in every document that holds all the words of a
phrase, which takes 100 ms and more at a million records when the words are both frequent
(في من). So the ``pairs`` field keeps, as one term, every two consecutive body words that are
both in a list of the most frequent words (``data/index/common_words.txt``), as Lucene's
CommonGrams filter does; a phrase asks for those terms, and tantivy checks positions only in
the documents that have them. A phrase with a rarer word needs no pair: that word's short list
of documents is where positions get checked. The field's name carries the list's hash, so an
index built with another list is rebuilt when opened.

The records are the truth: a missing or unreadable index folder is recreated empty, with
``needs_rebuild`` set, and ``rebuild`` fills it again.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from itertools import compress, islice, pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import tantivy

from . import libc
from .arabic.clitics import WORD, prefixed_forms, stems
from .arabic.normalize import STORED_CHARS, TokenWords, fold, fold_bytes
from .record import Record

if TYPE_CHECKING:
    from .search import ParsedQuery

HEAP_SIZE = 50_000_000
# A rebuild writes the whole archive in one commit: more indexing memory means fewer, larger
# segments to merge.
REBUILD_HEAP = 200_000_000
REBUILD_THREADS = 1
MAX_TOKEN = 64  # longer "words" (base64, URLs without separators) are not worth indexing
TITLE_BOOST = 3.0
LOCK_TIMEOUT = 30.0  # seconds to wait for another process's writer to finish
OPEN_ATTEMPTS = 5  # tries to open an index that another process may be committing to
# While a writer commits and merges, the index's file pages this process has mapped are handed
# back to the kernel (see ``page_out``) when its file pages have grown by more than
# PAGE_OUT_ABOVE since the index was first written to, checked every PAGE_OUT_SECONDS: what
# bounds an ingest's peak RSS. Not at every check: a page handed back leaves the page cache
# too, and a later merge reads it from disk again (paging out at every check read 1.1 GB from
# disk over 40,000 records; with the bound, small merges stay under it and read nothing).
PAGE_OUT_SECONDS = 0.1
PAGE_OUT_ABOVE = 16 << 20

COMMON_WORDS_FILE = Path(__file__).resolve().parent / "data" / "index" / "common_words.txt"

_Should = tantivy.Occur.Should
_Must = tantivy.Occur.Must


class SearchIndexError(Exception):
    """The index cannot be written (another writer holds it too long, disk error)."""


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("body", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field(pairs_field(), tokenizer_name="whitespace", index_option="freq")
    builder.add_integer_field("date", indexed=True, fast=True)  # yyyymmdd
    builder.add_integer_field("stamp", fast=True)  # yyyymmdd * 1e10 + ingested epoch seconds
    builder.add_text_field("source", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("entity", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("etype", tokenizer_name="raw", index_option="basic")
    return builder.build()


def query_forms(word: str) -> list[str]:
    """The spellings a query word matches: every clitic-prefixed form of the word and, when
    the word itself carries clitics (بالعراق), of its stems (العراق, والعراق, ...)."""
    forms: dict[str, None] = {}
    for stem in stems(word):
        forms.update(dict.fromkeys(prefixed_forms(stem.text)))
    return list(forms)


def _index_words(token: str) -> str:
    """The match-form words of one whitespace-separated token (often one word, or none)."""
    return " ".join(t for t in WORD.findall(fold(token)) if len(t) <= MAX_TOKEN)


# Whitespace token → its index words, remembered (news vocabulary is Zipfian).
_TOKENS = TokenWords(_index_words)


PAIR_JOIN = "_"  # never inside a match-form word (WORD excludes it)


@lru_cache(maxsize=1)
def _common_words() -> tuple[frozenset[str], str]:
    """The common words (see the module doc) and the field name that carries their hash."""
    text = COMMON_WORDS_FILE.read_text(encoding="utf-8")
    words = frozenset(
        word for line in text.splitlines() if not line.startswith("#") for word in line.split()
    )
    digest = hashlib.sha1(" ".join(sorted(words)).encode()).hexdigest()[:8]
    return words, f"pairs_{digest}"


def common_words() -> frozenset[str]:
    return _common_words()[0]


def pairs_field() -> str:
    return _common_words()[1]


def common_pairs(words: Iterable[str]) -> list[str]:
    """The ``pairs`` terms of consecutive match-form ``words``: each two in a row that are both
    common, joined by ``_``. The index and the phrase query both ask this, so they agree."""
    common = common_words()
    return [
        first + PAIR_JOIN + second
        for first, second in pairwise(words)
        if first in common and second in common
    ]


def pair_text(words: str) -> str:
    """The ``pairs`` field of ``words`` (an :func:`index_text`)."""
    return " ".join(common_pairs(words.split()))


def index_text(text: str) -> str:
    """The match-form words of ``text``, space-joined: what the title/body fields get."""
    words = _folded_words(text)
    return _token_text(text) if words is None else _decode(b" ".join(words))


def _token_text(text: str) -> str:
    """``index_text`` of any text, word by whitespace token: folding never turns a character
    into whitespace or drops one (checked in tests), so no word spans two tokens and the
    result is that of the whole text."""
    return _TOKENS(text)


# The fast way, for text on the stored charmap (see ``normalize.fold_bytes``: nearly all news):
# the folded bytes are translated once more, into an alphabet of their own where every
# character that ``WORD`` does not match becomes a space and no word character takes an ASCII
# whitespace byte, so ``bytes.split`` gives the words, and joins and one decode give the
# fields. Every step is one C call over the text; the token path above makes a Python string
# per token, looks it up and joins again (1.6-1.9× the CPU of this with its cache warm,
# measured on 3,000 generated articles; more while the cache fills).
def _index_alphabet() -> tuple[str, bytes, dict[str, int]]:
    """(the alphabet as a charmap decoding table, the translation from ``fold_bytes``'s bytes
    into it, each word character's byte)."""
    word_chars = [c for c in STORED_CHARS if WORD.fullmatch(c)]
    whitespace = {b for b in range(256) if bytes([b]).isspace()}
    free = [b for b in range(256) if b not in whitespace and chr(b) not in (" ", PAIR_JOIN)]
    if len(word_chars) > len(free):
        raise AssertionError("the stored charmap has more word characters than bytes")
    code = dict(zip(word_chars, free, strict=False))
    alphabet = ["\ufffe"] * 256  # undefined: never decoded
    alphabet[ord(" ")], alphabet[ord(PAIR_JOIN)] = " ", PAIR_JOIN
    for char, byte in code.items():
        alphabet[byte] = char
    translation = bytes(code.get(c, ord(" ")) for c in STORED_CHARS).ljust(256, b" ")
    return "".join(alphabet), translation, code


_ALPHABET, _TO_ALPHABET, _ALPHABET_CODE = _index_alphabet()
_PAIR_BYTE = PAIR_JOIN.encode("ascii")  # the same byte in the index alphabet


def _decode(data: bytes) -> str:
    return codecs.charmap_decode(data, "strict", _ALPHABET)[0]


def _folded_words(text: str) -> list[bytes] | None:
    """The index words of ``text`` in the index alphabet, or None for text off the charmap."""
    folded = fold_bytes(text)
    if folded is None:
        return None
    words = folded[1].translate(_TO_ALPHABET).split()
    if words and max(map(len, words)) > MAX_TOKEN:  # one byte a character
        words = [word for word in words if len(word) <= MAX_TOKEN]
    return words


@lru_cache(maxsize=1)
def _common_codes() -> frozenset[bytes]:
    """``common_words`` in the index alphabet; a word with a character off it could not be
    among the words of text on the charmap, so it is left out."""
    code = _ALPHABET_CODE
    return frozenset(
        bytes(code[c] for c in word) for word in common_words() if all(c in code for c in word)
    )


def _pair_bytes(words: list[bytes]) -> bytes:
    """``pair_text`` of ``words`` in the index alphabet: C iterators, no Python loop."""
    common = bytes(map(_common_codes().__contains__, words))  # 1 for a common word
    if b"\x01\x01" not in common:
        return b""
    # both[i] = common[i] & common[i + 1], as one AND of two big integers: a map of
    # ``operator.and_`` made a bool a word, and pairwise() a tuple a word (callgrind).
    both = (int.from_bytes(common, "big") & int.from_bytes(common[1:] + b"\0", "big")).to_bytes(
        len(common), "big"
    )
    firsts = compress(words, both)
    seconds = compress(islice(words, 1, None), both)
    return b" ".join(map(_PAIR_BYTE.join, zip(firsts, seconds, strict=True)))


def body_fields(text: str) -> tuple[str, str]:
    """(``index_text(text)``, its ``pair_text``): the body and pairs fields of a record."""
    words = _folded_words(text)
    if words is None:
        body = _token_text(text)
        return body, pair_text(body)
    return _decode(b" ".join(words)), _decode(_pair_bytes(words))


def document_fields(
    record_id: str,
    title: str,
    text: str,
    date: str,
    ingested_at: str,
    source: str,
    mentions: Iterable[tuple[str, str]],
) -> dict:
    """The fields of a record's index document, as plain data (``tantivy.Document(**fields)``
    builds it): cheap to compute in a worker process and to send back. ``mentions`` gives each
    mention's (entity id, type)."""
    entity_ids: dict[str, None] = {}
    entity_types: dict[str, None] = {}
    for entity_id, entity_type in mentions:
        entity_ids[entity_id] = None
        entity_types[entity_type] = None
    day = day_number(date)
    body, pairs = body_fields(text)
    return {
        "id": record_id,
        "title": index_text(title),
        "body": body,
        pairs_field(): pairs,
        "date": day,
        "stamp": day * 10_000_000_000 + _epoch(ingested_at),
        "source": source,
        "entity": list(entity_ids),
        "etype": list(entity_types),
    }


def record_fields(record: Record) -> dict:
    return document_fields(record.id, record.title, record.text, record.date,
                           record.ingested_at, record.source,
                           ((m.id, m.type) for m in record.entities))


class _Rebuild:
    """``add(fields)`` for :meth:`SearchIndex.rebuilding`."""

    def __init__(self, writer: tantivy.IndexWriter, repeated: set[str] | None):
        self._writer = writer
        self._repeated = repeated
        self.count = 0

    def __call__(self, fields: dict) -> None:
        # A record stored twice (same id under two dates) keeps the last copy: a delete of
        # the id before the add. Only for ids that may repeat when the caller knows them: a
        # delete per document costs as much as the add, and more again at the commit.
        if self._repeated is None or fields["id"] in self._repeated:
            self._writer.delete_documents_by_term("id", fields["id"])
        self._writer.add_document(tantivy.Document(**fields))
        self.count += 1


def day_number(day: str) -> int:
    """'2024-03-05' → 20240305."""
    return int(day[:10].replace("-", ""))


def _epoch(iso: str) -> int:
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0, int(moment.timestamp()))


_ENVIRONMENT_ERRORS = ("os error 30", "ReadOnlyFilesystem", "os error 13", "PermissionDenied",
                       "os error 28", "StorageFull")


def _environment_error(exc: BaseException) -> bool:
    """A read-only, unwritable or full file system: the index may well be fine."""
    if isinstance(exc, OSError):
        return exc.errno in {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC}
    return any(marker in str(exc) for marker in _ENVIRONMENT_ERRORS)


MADV_PAGEOUT = 21  # Linux 5.4+: reclaim these pages (a hint: the data stays as it is)


def _madvise():  # noqa: ANN202 - a ctypes function or None
    return libc.function("madvise", "c_void_p", "c_size_t", "c_int")


def page_out(directory: Path) -> int:
    """Hand back to the kernel this process's resident pages of the files it has mapped from
    ``directory`` (``madvise(MADV_PAGEOUT)``); return the bytes of those mappings (0 where
    there is no ``/proc/self/maps`` or no madvise).

    tantivy reads segments through mmap, and every page it touched counts in this process's
    RSS until the segment is dropped: a merge reads all of its segments, up to the whole index
    (~100 MB at 100,000 records), on top of the process's own memory. The mappings are
    read-only (tantivy writes its files with write()), so nothing is lost: a later read faults
    a page in again, from the page cache or the disk. PAGEOUT rather than DONTNEED because it
    is only a hint: if tantivy unmaps a range between our reading the map and the call, and
    the range is reused, the data there is still kept (DONTNEED would zero anonymous memory).
    """
    madvise = _madvise()
    if madvise is None:
        return 0
    prefix = f"{directory.resolve()}/"
    total = 0
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            lines = [line for line in maps if prefix in line]
    except OSError:
        return 0
    for line in lines:
        fields = line.split(maxsplit=5)
        # address range, permissions (read-only, shared), …, the file's path
        if len(fields) < 6 or not fields[5].startswith(prefix) or fields[1] != "r--s":
            continue
        start, end = (int(address, 16) for address in fields[0].split("-"))
        madvise(start, end - start, MADV_PAGEOUT)  # an error (range gone): nothing to do
        total += end - start
    return total


def _file_resident() -> int:
    """This process's resident pages of files (``RssFile``), in bytes; 0 without /proc."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("RssFile:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


@contextmanager
def _paging_out(
    directory: Path, base: int, seconds: float = PAGE_OUT_SECONDS
) -> Iterator[None]:
    """While the body runs (a commit and its merges, which release the GIL), check every
    ``seconds`` in a thread, and once at the end, whether this process's file pages exceed
    ``base`` by more than :data:`PAGE_OUT_ABOVE`; when they do, :func:`page_out` the index."""
    if _madvise() is None:
        yield
        return
    stop = threading.Event()

    def page_out_when_over() -> None:
        if _file_resident() - base > PAGE_OUT_ABOVE:
            page_out(directory)

    def run() -> None:
        while not stop.wait(seconds):
            page_out_when_over()

    thread = threading.Thread(target=run, name="newsarchive-index-pageout", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        page_out_when_over()


class SearchIndex:
    """Full-text index of the records, with entity, type, source and date filters."""

    _file_base: int | None = None  # this process's file pages at its first commit (_writer)

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.schema = _schema()
        self.needs_rebuild = False  # True when the index was missing or unreadable
        self._index = self._open()

    # -- opening --------------------------------------------------------------------------
    def _open(self) -> tantivy.Index:
        existed = (self.directory / "meta.json").exists()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            index = self._open_existing()
        except (ValueError, OSError) as exc:
            if _environment_error(exc):  # not damage: wiping the index would not help
                raise SearchIndexError(f"cannot open the index {self.directory}: {exc}") from exc
            # Damaged, or written with another schema: derived data, so start afresh.
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self.schema, path=str(self.directory), reuse=False)
            existed = False
        # Reloaded when we say (after our commits, before ids/doc_count), not by tantivy's
        # watcher thread after every commit: that thread takes the meta lock at moments a
        # fork may copy it into a worker, and maps segment pages back in after a page-out.
        # No command keeps an index open to search while another process writes it.
        index.config_reader("Manual")
        self.needs_rebuild = not existed
        return index

    def _open_existing(self) -> tantivy.Index:
        """Open the index; retry a few times before calling it damaged, because another
        process's commit can delete merged segment files between reading meta.json and
        opening them (a search racing an ingest must not wipe a good index)."""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                index = tantivy.Index(self.schema, path=str(self.directory), reuse=True)
                index.searcher()  # fail now, not at the first query, when segments are damaged
                return index
            except (ValueError, OSError):
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    @contextmanager
    def _writer(
        self, threads: int = 1, heap_size: int = HEAP_SIZE
    ) -> Iterator[tantivy.IndexWriter]:
        """A writer for one commit; released afterwards so another process can write."""
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                writer = self._index.writer(heap_size=heap_size, num_threads=threads)
                break
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    raise SearchIndexError(f"cannot write the index: {exc}") from exc
                time.sleep(0.05)
        if self._file_base is None:  # the file pages before any commit: what it may exceed
            self._file_base = _file_resident()
        # Paging out around the commit and its merges only (they read segments back): no
        # thread of ours runs while the caller adds, which is when a reindex forks workers.
        paging = ExitStack()
        try:
            yield writer
            paging.enter_context(_paging_out(self.directory, self._file_base))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            with paging:
                writer.wait_merging_threads()  # joins merges and drops the writer (and its lock)
                self._index.reload()

    # -- writing --------------------------------------------------------------------------
    def add(self, records: Iterable[Record]) -> int:
        """Index ``records`` in one commit (replacing any with the same id); return the count."""
        return self.add_fields(record_fields(record) for record in records)

    def add_fields(self, documents: Iterable[dict]) -> int:
        """``add`` of documents given as their fields (:func:`document_fields`, computed where
        the record was built: an ingest worker); return the count."""
        count = 0
        with self._writer() as writer:
            for fields in documents:
                writer.delete_documents_by_term("id", fields["id"])
                writer.add_document(tantivy.Document(**fields))
                count += 1
        return count

    def remove(self, record_ids: Iterable[str]) -> None:
        with self._writer() as writer:
            for record_id in record_ids:
                writer.delete_documents_by_term("id", record_id)

    def rebuild(self, records: Iterable[Record]) -> int:
        """Replace the whole index with ``records`` (one commit: all or nothing)."""
        with self.rebuilding() as add:
            for record in records:
                add(record_fields(record))
        return add.count

    @contextmanager
    def rebuilding(self, repeated: set[str] | None = None) -> Iterator[_Rebuild]:
        """Empty the index and yield ``add(fields)`` (fields from :func:`document_fields`);
        one commit on exit, nothing changed on an exception. ``repeated``: the ids that may
        be added more than once (the caller may add to it as it goes; the last copy added
        is kept), or None when any id may."""
        with self._writer(REBUILD_THREADS, REBUILD_HEAP) as writer:
            writer.delete_all_documents()
            yield _Rebuild(writer, repeated)
        self.needs_rebuild = False

    # -- reading --------------------------------------------------------------------------
    def doc_count(self) -> int:
        self._index.reload()
        return self._index.searcher().num_docs

    def ids(self) -> list[str]:
        """The id of every indexed document (for consistency checks: ``verify``)."""
        self._index.reload()
        searcher = self._index.searcher()
        if not searcher.num_docs:
            return []
        result = searcher.search(tantivy.Query.all_query(), searcher.num_docs, count=False)
        return [searcher.doc(address).get_first("id") for _, address in result.hits]

    def reload(self) -> None:
        """See commits made by other processes since this index was opened."""
        self._index.reload()

    def search(self, query: ParsedQuery, limit: int) -> list[tuple[str, float]]:
        """Record ids and BM25 scores, best first; with no words, the newest records first
        (score 0.0). Filters are part of the query, so ``limit`` counts matching records."""
        if limit <= 0:
            return []
        searcher = self._index.searcher()
        tantivy_query = self.build_query(query)
        if query.has_text:
            result = searcher.search(tantivy_query, limit, count=False)
            scored = [(float(score), address) for score, address in result.hits]
        else:
            result = searcher.search(
                tantivy_query, limit, count=False, order_by_field="stamp", order=tantivy.Order.Desc
            )
            scored = [(0.0, address) for _, address in result.hits]
        return [(searcher.doc(address).get_first("id"), score) for score, address in scored]

    # -- queries --------------------------------------------------------------------------
    def build_query(self, query: ParsedQuery) -> tantivy.Query:
        """The tantivy query for ``query``, built from query objects (no query string)."""
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for term in query.terms:
            clauses.append((_Must, self._word_query(term)))
        for phrase in query.phrases:
            clauses.append((_Must, self._phrase_query(phrase)))
        for filter_query in self._filters(query):
            clauses.append((_Must, tantivy.Query.const_score_query(filter_query, 0.0)))
        if not clauses:
            return tantivy.Query.all_query()
        if not query.has_text:
            clauses.append((_Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def _word_query(self, word: str) -> tantivy.Query:
        """The word or any clitic-prefixed spelling of it, in the title (boosted) or body."""
        schema = self.schema
        subqueries = []
        for form in query_forms(word):
            title = tantivy.Query.term_query(schema, "title", form, index_option="freq")
            subqueries.append((_Should, tantivy.Query.boost_query(title, TITLE_BOOST)))
            subqueries.append(
                (_Should, tantivy.Query.term_query(schema, "body", form, index_option="freq"))
            )
        return tantivy.Query.boolean_query(subqueries)

    def _phrase_query(self, words: tuple[str, ...]) -> tantivy.Query:
        """The words in a row; the first may carry clitics (و, ب, ل, ...), the rest are exact."""
        schema = self.schema
        subqueries = []
        for head in query_forms(words[0]):
            sequence = [head, *words[1:]]
            title = tantivy.Query.phrase_query(schema, "title", sequence)
            subqueries.append((_Should, tantivy.Query.boost_query(title, TITLE_BOOST)))
            subqueries.append((_Should, self._body_phrase_query(sequence)))
        return tantivy.Query.boolean_query(subqueries)

    def _body_phrase_query(self, sequence: list[str]) -> tantivy.Query:
        """``sequence`` in a row in the body. Two common words are one ``pairs`` term; otherwise
        the phrase query, with the pair terms it has as required clauses, so that positions
        are checked only where they all are (see the module doc)."""
        pairs = [
            tantivy.Query.term_query(self.schema, pairs_field(), term, index_option="freq")
            for term in common_pairs(sequence)
        ]
        phrase = tantivy.Query.phrase_query(self.schema, "body", sequence)
        if len(sequence) == 2 and pairs:
            return pairs[0]
        if not pairs:
            return phrase
        return tantivy.Query.boolean_query([(_Must, q) for q in [*pairs, phrase]])

    def _filters(self, query: ParsedQuery) -> list[tantivy.Query]:
        schema = self.schema
        filters = []
        if query.entity_ids:
            filters.append(tantivy.Query.term_set_query(schema, "entity", list(query.entity_ids)))
        if query.entity_type:
            filters.append(
                tantivy.Query.term_query(schema, "etype", query.entity_type, index_option="basic")
            )
        if query.since or query.until:
            filters.append(
                tantivy.Query.range_query(
                    schema,
                    "date",
                    tantivy.FieldType.Integer,
                    day_number(query.since) if query.since else None,
                    day_number(query.until) if query.until else None,
                )
            )
        return filters
