"""Find the entities of an article: gazetteer, then title rule, then partial mentions.

``EntityExtractor.from_paths(...)`` compiles a gazetteer once; ``extract(fields)`` runs over the
article's stored fields in order (title before text, so a full name in the title makes later
partial mentions in the text resolvable) and returns Mentions whose ``start:end`` slice the
stored field exactly.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from ..arabic.clitics import stems, written_forms
from ..arabic.normalize import MatchText, match_form_folded, match_forms, normalize
from ..record import Mention, make_mentions
from . import gazetteer as gazetteer_files
from . import learn as learn_module
from . import matcher as matcher_module
from .gazetteer import Entry, Gazetteer
from .matcher import (
    STR_AS_UTF8,
    FoldedWords,
    NameTable,
    Screen,
    Span,
    Token,
    Tokens,
    joined,
    longest_from,
    name_key,
    name_prefixes,
    second_words,
    tokenize,
    tokenize_folded,
    word_positions,
)
from .rules import (
    _ORDINALS,
    _SON,
    ALI,
    ARABIC_SYLLABLES,
    CLUB_NOUNS,
    COMPOUND_TAILS,
    DEMONSTRATIVES,
    LEADING_PARTICLES,
    MEDIA_NOUNS,
    NOT_NAME,
    PERSON_TITLES,
    PLACE_PREFIXES,
    WORD_LINKS,
    CuedNameRule,
    FamilyNounRule,
    HeadNounRule,
    LatinAcronymRule,
    ListNeighbourRule,
    NameShapedRule,
    PersonNameRule,
    PressTitleRule,
    TitleRule,
    UnseenNamesRule,
    UnseenRunRule,
    _conjunction_first,
    _definite,
    _free_at,
    _joined_at,
    after_definite_noun,
    after_demonstrative,
    after_media_noun,
    counted,
    country_nisbas,
    described_by_nisba,
    latin_glosses,
    leads_with_descriptor,
    leads_with_place_noun,
    leads_with_title,
    link_chain_start,
    may_hold_acronyms,
    names_a_team,
    partial_names,
    particle_start,
    shipped_words,
    syllable_extent,
    time_of_day,
    with_conjunctions,
)
from .rules import (
    NameAfterTitle as _Rule,
)


@dataclass
class _Field:
    name: str
    stored: str
    match: MatchText
    tokens: list[Token]
    taken: set[int]
    latin: bool = True  # may hold Latin letters (glosses, acronyms)
    capitals: bool = True  # may hold Latin capitals (acronyms)


class _Found(NamedTuple):
    """An entity as met in one article: its id, type and canonical name (a named tuple, made
    with ``tuple.__new__``: a rule makes one per mention, and a frozen dataclass's
    ``__init__`` runs Python code per field)."""

    id: str
    type: str
    name: str


def compile_names(gazetteer: Gazetteer, stoplist: set[tuple[str, ...]]) -> NameTable:
    """The matcher's table of every name and alias, minus the stoplist."""
    table = NameTable()
    for entry in gazetteer.entries.values():
        for name in entry.all_names():
            key = name_key(name)
            if key not in stoplist:
                table.add(key, entry.id)
    return table


# What found a mention (a record's ``rule`` field); record.schema.json lists the same names.
RULE_NAMES = (
    "gazetteer", "title", "partial", "org-head", "first-name", "loc-head", "unseen", "acronym",
    "team",
)

_CACHE_VERSION = 8  # bump when NameTable or the cached tuple change shape
# The code that defines the pickled shape is part of the key too, so an upgrade that forgets
# the bump (or a developer's edit) compiles afresh instead of loading an incompatible cache.
_SHAPE_MODULES = tuple(Path(m.__file__) for m in (gazetteer_files, matcher_module))


def _cache_path(files: Sequence[Path]) -> Path | None:
    try:
        stats = [(str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns)
                 for f in (*files, *_SHAPE_MODULES, Path(__file__))]
    except OSError:
        return None  # the loader reports the unreadable file
    key = hashlib.sha256(repr((_CACHE_VERSION, stats)).encode()).hexdigest()[:24]
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "newsarchive" / "gazetteer" / f"{key}.pickle"


class _CachedEntries(Mapping[str, Entry]):
    """Entries as the cache keeps them, each made an Entry when asked: the ids sorted, with
    "id\ttype\tname" a line, in UTF-8, cut into runs of ``_RUN`` lines (the first id of
    each run, and where each starts in the text), and the ids in load order, for iterating.

    Unpickling 100,000 entries, even as (type, name) tuples, was a third of a cached load;
    the extractor needs only the few it finds, each found in its run's bytes (a bisection
    and a search in C) and only its line decoded. Their aliases are left out: the name
    table holds them.
    """

    def __init__(self, packed: tuple[list[str], bytes, array, bytes, int]):
        self._runs, self._text, self._offsets, self._order, self._size = packed
        self._made: dict[str, Entry] = {}

    @staticmethod
    def pack(entries: Iterable[Entry]) -> tuple[list[str], bytes, array, bytes, int] | None:
        """The cached form of ``entries``, or None when an id, type or name holds a tab or
        line end (never in a gazetteer file's cells)."""
        listed = sorted((e.id, e.type, e.name) for e in entries)
        lines = ["\t".join(entry) for entry in listed]
        if any("\n" in line or line.count("\t") != 2 for line in lines):
            return None
        runs, blocks, offsets = [], [], array("q", [0])
        for start in range(0, len(lines), _RUN):
            runs.append(listed[start][0])
            blocks.append(("\n" + "\n".join(lines[start : start + _RUN])).encode(*STR_AS_UTF8))
            offsets.append(offsets[-1] + len(blocks[-1]))
        order = "\n".join(e.id for e in entries).encode(*STR_AS_UTF8)
        return runs, b"".join(blocks), offsets, order, len(lines)

    def __getitem__(self, ident: str) -> Entry:
        entry = self._made.get(ident)
        if entry is None:
            run = bisect_right(self._runs, ident) - 1
            if run < 0:
                raise KeyError(ident)
            # Its line looked for in the bytes, and only that line decoded.
            text = self._text
            at = text.find(b"\n%s\t" % ident.encode(*STR_AS_UTF8), self._offsets[run],
                           self._offsets[run + 1])
            if at < 0:
                raise KeyError(ident)
            end = text.find(b"\n", at + 1, self._offsets[run + 1])
            line = text[at + 1 : end if end >= 0 else self._offsets[run + 1]].decode(*STR_AS_UTF8)
            listed, kind, name = line.split("\t")
            if listed != ident:  # an ident with a tab in it
                raise KeyError(ident)
            entry = self._made[ident] = Entry(ident, kind, name)
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._order.decode(*STR_AS_UTF8).split("\n") if self._size else ())

    def __len__(self) -> int:
        return self._size


_RUN = 32  # entries a run: one searched a look-up (~2 KB)


# Compiled gazetteers kept in the cache folder: one a set of list files and code version. A
# list file edited daily (cron) would otherwise leave a ~14 MB file behind each day.
_CACHE_KEEP = 8


def _read_cache(files: Sequence[Path]) -> tuple[Gazetteer, NameTable, object] | None:
    """The compiled gazetteer of ``files`` and what was cached with it (``_write_cache``)."""
    path = _cache_path(files)
    try:
        with open(path, "rb") as handle:  # type: ignore[arg-type]
            packed, names, extra = pickle.load(handle)
    except (OSError, TypeError, ValueError, KeyError, pickle.UnpicklingError, EOFError,
            AttributeError):
        return None
    with contextlib.suppress(OSError):  # a read-only cache folder: loaded all the same
        _touch(path)  # used now: the last to be pruned (``_prune_cache``)
    return Gazetteer(_CachedEntries(packed)), names, extra  # type: ignore[arg-type]


def _touch(path: Path) -> None:
    # The clock's own nanoseconds: the file system's timestamps may tick every few ms, and
    # ``_prune_cache`` orders by them.
    now = time.time_ns()
    os.utime(path, ns=(now, now))


def _prune_cache(folder: Path, keep: int = _CACHE_KEEP) -> None:
    """Delete all but the ``keep`` compiled gazetteers used last (another process may be
    deleting them too, or loading one: it then compiles again)."""
    try:
        cached = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for stale in cached[: max(0, len(cached) - keep)]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass


def _write_cache(
    files: Sequence[Path], gazetteer: Gazetteer, names: NameTable, extra: object = None
) -> None:
    """Best effort: a read-only or full cache folder only costs the next load its speed.
    ``extra``: what else the files give, made ready (the learnt lists)."""
    path = _cache_path(files)
    if path is None:
        return
    packed = _CachedEntries.pack(gazetteer.entries.values())
    if packed is None:
        return
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as handle:
            pickle.dump((packed, names, extra), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
        _touch(path)
    except OSError:
        temp.unlink(missing_ok=True)  # a full disk: no half-written file left behind
        return
    _prune_cache(path.parent)


# Remembered: asked of every listed name found and again of every mention at the end, it was
# 6 % of the extractor's instructions on news text (callgrind), its ``stems`` walk and tuple
# made anew each time for the same few thousand names.
@lru_cache(maxsize=1 << 16)
def _bare(words: tuple[str, ...]) -> tuple[str, ...]:
    """A span's words with the proclitics of its first word left out, as a stoplist has them."""
    if not words:
        return words
    return (next(reversed([*stems(words[0])])).text, *words[1:])


class EntityExtractor:
    """Gazetteer + rules. ``stoplist``: names (match-form word tuples, or strings) that are
    never a mention, however a list or rule finds them ("بلاد", a learnt list's false friends).
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        title_rule: TitleRule | None = None,
        stoplist: Iterable[str | tuple[str, ...]] = (),
        first_names: Iterable[str] = (),
        name_words: Iterable[str] = (),
        names: NameTable | None = None,
        common_words: Iterable[str] = (),
        weak_first_names: Iterable[str] = (),
        vocabulary: Iterable[str] = (),
        weak_heads: Iterable[str] = (),
        person_cues: Iterable[str] = (),
        name_score: Callable[[str], float] | None = None,
    ):
        self.entries: dict[str, Entry] = gazetteer.entries
        self.stoplist = {w if isinstance(w, tuple) else name_key(w) for w in stoplist}
        self.names = names if names is not None else compile_names(gazetteer, self.stoplist)
        # Words seldom in a name (learnt from annotated text) end a name a rule is reading.
        common = match_forms(common_words)
        self.common = common
        # Shipped word lists plus the caller's (e.g. first names learnt from annotated text).
        given = shipped_words("first_names") | match_forms(first_names)
        seen = self.vocabulary = match_forms(vocabulary)  # words seen outside names
        # Given and family names as single words (data/rules/person_words.txt): a name word
        # after a given name, and a given name when a name word follows it. Many are common
        # words too ("أمل", "سلام"): only a learnt vocabulary tells which is meant (without
        # one, ANERcorp PER F1 fell 46.2 -> 43.2 with them).
        person_words = shipped_words("person_words") if seen else frozenset()
        known = person_words | match_forms(name_words)
        weak_first = person_words | match_forms(weak_first_names)
        # name_score: how much a word looks like a person's name (learnt: learn.NameShape).
        shaped = None if name_score is None else (lambda word: name_score(word) > 0)
        # Titles, and the roles and callings of data/rules/person_roles.txt.
        titles = PERSON_TITLES + tuple(sorted(shipped_words("person_roles")))
        # The last words of the titles: "علي" right after one is the name (_ali_after_title).
        self._title_ends = frozenset(normalize(t).split()[-1] for t in titles)
        self.title_rule = title_rule or TitleRule(
            titles, common=common, vocabulary=seen, names=given | known | weak_first,
            shape=shaped, given=given, score=name_score,
        )
        self.person_rule = PersonNameRule(
            given, known, common=common, weak_first=weak_first, vocabulary=seen, shape=shaped,
            particles=shipped_words("name_particles"), score=name_score,
        )
        self.unseen_rule = UnseenNamesRule(seen, shaped, score=name_score)
        # person_cues: words mostly written before a person (learnt: "ولد", "اللاعب").
        cues = match_forms(person_cues)
        self.cued_rule = CuedNameRule(cues, seen, shaped, unseen=self.unseen_rule._unseen_memo)
        self.shape_rule = NameShapedRule(seen, name_score)
        # "أسرة مينغ", "عائلة برلسكوني": a family's name after its noun.
        self.family_rule = FamilyNounRule(
            shipped_words("family_nouns"), given | known, vocabulary=seen, common=common
        )
        self.run_rule = UnseenRunRule(
            seen, shaped,
            heads=shipped_words("org_heads") | shipped_words("loc_heads")
            | shipped_words("thing_heads"),  # "مزيج برنت", "مؤتمر دومبارتون أوكس"
        )
        self.list_rule = ListNeighbourRule(self.person_rule, name_score)
        self.acronym_rule = LatinAcronymRule(
            shipped_words("latin_places"), shipped_words("latin_not_entities")
        )
        # weak_heads: head nouns whose names are mostly no entity (learnt: "وزارة", "لجنة").
        weak = match_forms(weak_heads)
        self.org_rule = HeadNounRule(shipped_words("org_heads") - weak, include_head=True)
        self.press_rule = PressTitleRule(seen)
        # Nationality adjectives: a place followed by one names a club (``names_a_team``).
        self._nisbas = country_nisbas()
        # First words of clubs named after their city ("ريال" + مدريد), "و" or "ف" before too.
        self._club_words = shipped_words("club_prefixes")
        self._clubs = with_conjunctions(self._club_words)
        # Written words that are no clitic + listed name ("بلاد"), with "و" or "ف" before too.
        self._homographs = with_conjunctions(shipped_words("clitic_homographs"))
        self.loc_rule = HeadNounRule(
            shipped_words("loc_heads") - weak, include_head=False, vocabulary=seen
        )
        # Syllables of East Asian names: a person of two takes a third next to it.
        self.syllables = shipped_words("east_asian_syllables")
        # A found person of two syllables has one at least that is no Arabic word.
        self._syllable_screen = self.syllables - NOT_NAME - ARABIC_SYLLABLES
        # A word before a person that extend_left may start the name with (may_begin_before).
        self._begins_before = self.person_rule.trigger_forms | _SON
        self._found: dict[str, _Found] = {}  # by gazetteer id: one made per entity, not mention
        self._folded_words = FoldedWords()  # the words of the texts tagged so far, decoded
        # (name words, type, found unseen) → its short names (``_short_names``); bounded.
        self._said_as: dict[tuple[tuple[str, ...], str, bool], tuple] = {}
        self._given_only: dict[tuple[str, ...], bool] = {}  # ``_only_given``; bounded
        rules = self._all_rules(bool(seen), shaped is not None, name_score is not None)
        # The words that rules look for with word_positions, screened for once a field.
        # The person rule asks its two sets apart (``word_positions`` knows a set screened
        # for by identity): both are screened for besides their union.
        person = self.person_rule
        self._screen = Screen(
            [wanted for *_, wanted, _on in rules if wanted is not None]
            + [self._syllable_screen, person.trigger_forms, person.regnal_forms]
        )
        self._rules = tuple(rule[:4] for rule in rules if rule[4])

    def _all_rules(self, vocabulary: bool, shaped: bool, scored: bool) -> tuple:
        """The rules of ``extract``'s loop, in order: (type, rule name, rule, the screened
        words its ``find`` looks for first or None (it reads every word), whether it is on).
        A field's screened hits that meet none of a rule's words spare its call, which finds
        nothing then after several Python calls (``word_positions``, ``Screen.covers``); most
        fields meet the words of two or three rules. The rules of unseen words are off
        without a learnt vocabulary (and shape or score): their ``find`` returns at once, so
        they are left out. (The sets are the very ones ``self._screen`` holds, fixed once
        made: no title is added to ``title_rule.titles`` after this.)"""
        cued = self.cued_rule
        rules = (
            ("PER", "title", self.title_rule, self.title_rule.titles.written_forms(), True),
            # A press noun's title before the head nouns' rule: "مجلة العربي" names العربي.
            ("ORG", "org-head", self.press_rule, self.press_rule.trigger_forms, True),
            ("ORG", "org-head", self.org_rule, self.org_rule.trigger_forms, True),
            ("PER", "first-name", self.person_rule,
             self.person_rule.trigger_forms | self.person_rule.regnal_forms, True),
            ("LOC", "loc-head", self.loc_rule, self.loc_rule.trigger_forms, True),
            # A record names the five below "unseen".
            ("PER", "unseen", self.unseen_rule, None, vocabulary),
            ("PER", "unseen", cued, cued.cues, bool(cued.cues) and bool(cued.vocabulary)),
            ("PER", "unseen", self.family_rule, self.family_rule.trigger_forms, True),
            ("PER", "unseen", self.run_rule, None, vocabulary and shaped),
            ("PER", "unseen", self.shape_rule, None, vocabulary and scored),
        )
        return rules

    @classmethod
    def from_paths(
        cls, paths: Sequence[str | Path], use_default: bool = True, use_learnt: bool = True
    ) -> EntityExtractor:
        """The extractor of these gazetteer files, compiled once and cached on disk.

        ``use_default``: the shipped gazetteer first; ``use_learnt``: then the shipped lists
        learnt from annotated news (``data/learnt``: names, a stop-list, the word lists of
        the person rules; see ``learn.learn_lists``).

        The compiled form lives in the user cache folder (``$XDG_CACHE_HOME/newsarchive``),
        keyed by the files' paths, sizes and modification times, so a changed file is
        recompiled and an unchanged one loads in a fraction of the time.
        """
        default = gazetteer_files.default_paths() if use_default else []
        folder = learn_module.LEARNT_DIR
        learnt = use_learnt and (folder / "names.tsv").is_file()
        files = [Path(p) for p in (*default, *([folder / "names.tsv"] * learnt), *paths)]
        # The learnt lists are cached with the names they stop, ready to use.
        key = [*files, *(sorted(folder.iterdir()) if learnt else ())]
        cached = _read_cache(key)
        if cached is not None:
            gazetteer, names, lists = cached
        else:
            lists = learn_module.read_lists(folder, with_names=False) if learnt else None
            gazetteer = gazetteer_files.load(files)
            names = compile_names(gazetteer, set(lists.stoplist) if lists else set())
            _write_cache(key, gazetteer, names, lists)
        return cls(gazetteer, names=names, **(lists.keywords() if lists else {}))

    def extract(self, fields: Sequence[tuple[str, str]]) -> list[Mention]:
        """Mentions in ``fields`` ((name, stored text) pairs, in reading order)."""
        prepared = []
        for name, stored in fields:
            match, folded, tokens = self.match_tokens(stored)
            tokens.screen(self._screen)
            latin = may_hold_acronyms(folded)
            # Latin words, but no two capitals side by side ("Email"): no acronym to look for.
            capitals = latin and (folded is None or _has_capitals(stored))
            prepared.append(_Field(name, stored, match, tokens, set(), latin, capitals))

        mentions: list[tuple[int, Span, _Found, str]] = []  # (field index, span, entity, rule)
        # An author who writes ى tells "على" from the name "علي" (_ali_after): mostly seen in
        # the title already.
        writes_maksura = any(_MAKSURA in field.stored for field in prepared)
        stoplist, known, nisbas = self.stoplist, self._found, self._nisbas
        homographs, vocabulary, clubs = self._homographs, self.vocabulary, self._clubs
        for index, field in enumerate(prepared):
            taken = field.taken
            text, tokens = field.match.text, field.tokens
            written = tokens.words  # the words as written (match form), clitics and all
            for span in self.names.find(text, tokens):
                words = span.words
                if stoplist and _bare(words) in stoplist:
                    continue  # a stopped name leaves its words to the rules ("أحمد توفيق")
                first = span.first
                before = written[first - 1] if first else ""  # the word before, as written
                if before in DEMONSTRATIVES and after_demonstrative(text, tokens, first):
                    continue  # "هذه القاعدة": a noun, not the body
                found = known.get(span.key)
                if found is None:
                    entry = self.entries[span.key]
                    found = known[span.key] = _new_tuple(
                        _Found, (entry.id, entry.type, entry.name)
                    )
                kind = found.type
                if kind == "LOC" and before:
                    if before in MEDIA_NOUNS and after_media_noun(text, tokens, first):
                        # "صحيفة القدس", "جريدة « الشرق الأوسط »": the paper, not the place.
                        mentions.append(self._place_as_body(field, index, span, "org-head"))
                        continue
                    if before in CLUB_NOUNS and _joined_at(text, written, tokens.starts, first):
                        # "نادي ميلان", "لفريق مارسيليا": the club, not the city
                        mentions.append(self._place_as_body(field, index, span, "team"))
                        continue
                # Most names are one word (a place): one set.add, and no helper called for
                # a title or place noun before it (callgrind, news text: ~-11 k instructions
                # a KB of the whole extractor, ~2 k a listed name).
                if len(words) == 1:
                    if written[first] in homographs:
                        continue  # "بلاد" is lands, not ب + لاد (Lod)
                    if kind == "LOC":
                        if before in clubs and _joined_at(text, written, tokens.starts, first):
                            # "ريال مدريد", "دينامو كييف": the club, a body of its own
                            mentions.append(self._club(field, index, span))
                            continue
                        following = first + 1  # a nationality after it? (a set, no call)
                        if following < len(written) and written[following] in nisbas and (
                            names_a_team(text, tokens, first, vocabulary)
                        ):
                            # "ميلان الإيطالي": the club, a body of its own
                            mentions.append(self._place_as_body(field, index, span, "team"))
                            continue
                        if words[0] in vocabulary and written[first] == words[0] and (
                            # not "والموصل": a noun then
                            words[0].startswith("ال") and after_definite_noun(text, tokens, first)
                        ):
                            continue  # "الوضع القائم": an adjective after its noun
                    elif kind == "ORG":
                        if before.isdigit() and counted(text, tokens, first):
                            continue  # "18 نيسان": the month, not the carmaker
                    elif kind == "PER" and described_by_nisba(text, tokens, span.last):
                        continue  # "الأسد الآسيوي": the animal, not the family name
                    taken.add(first)
                    mentions.append((index, span, found, "gazetteer"))
                    continue
                taken.update(range(span.first, span.last + 1))
                if kind == "PER" and leads_with_title(words):
                    # A listed "الشيخ حمد بن خليفة آل ثاني": the person is named without it.
                    rule = _Rule(span.first + 1, span.last)
                    mentions.append(self._rule_found(field, index, rule, "PER", "gazetteer"))
                    continue
                if (kind == "LOC" and leads_with_place_noun(words)) or (
                    kind == "ORG" and leads_with_descriptor(words)
                ):
                    # A listed "مدينة مشهد" names مشهد, "قناة الجزيرة" names الجزيرة. Its
                    # words stay the listed ones: the stop-list (learnt from what is found)
                    # keys the name as listed, as the compiled table has it ("حركة المقاومة
                    # الإسلامية حماس", stopped there, leaves "حماس" to be found).
                    first = span.first + 1
                    span = span._replace(first=first, start=field.tokens.starts[first])
                mentions.append((index, span, found, "gazetteer"))
            mentions = self._extend_persons(field, index, mentions)
            # The spans of the field's persons, kept as the rules add persons: the person
            # steps' screens read them (_person_steps).
            persons = _person_spans(mentions, index)
            if persons:  # none: no person to begin a word before (_may_begin_before)
                new = self._extend_left(field, index, mentions, persons=persons)
                if new != mentions:
                    persons = _person_spans(new, index)
                mentions = new
            hits = tokens.screened[1]  # the field's words that some rule looks for
            for kind, rule_name, rule, wanted in self._rules:
                if wanted is not None and hits.isdisjoint(wanted):
                    continue  # none of the words its find looks for first: it finds nothing
                for found in rule.find(text, tokens, field.taken):
                    found_kind, found_by = kind, rule_name
                    if kind == "PER":
                        if counted(text, tokens, found.first):
                            continue  # "0.23 يورو", "13 رجب": a unit or month, no person
                        if found.last > found.first and written[found.first] in PLACE_PREFIXES:
                            # "نيو أورليانز", "سان فرانسيسكو": a place, read as an unseen name
                            found_kind, found_by = "LOC", "loc-head"
                    mention = self._rule_found(field, index, found, found_kind, found_by)
                    if self.stoplist and _bare(mention[1].words) in self.stoplist:
                        continue
                    mentions.append(mention)
                    if found_kind == "PER":
                        persons.append(mention[1])
                    field.taken.update(range(found.first, found.last + 1))
            mentions = self._person_steps(field, index, mentions, persons, writes_maksura)

        if self.stoplist:  # _bare costs a stems() per mention: not for nothing
            mentions = [m for m in mentions if _bare(m[1].words) not in self.stoplist]
        mentions = _in_reading_order(mentions)
        partials = self._partial_mentions(prepared, mentions)
        for index, field in enumerate(prepared) if partials else ():
            partials = self._unseen_given(field, index, partials)  # "طلعت" + a later "زكريا"
            partials = self._particles(field, index, partials)  # "فان" + a later "باستن"
        if partials:
            mentions = _with_partials(mentions, partials)
        found = _mentions(prepared, mentions)
        if any(map(_has_tanween, (field.stored for field in prepared))):
            found = [m for m in found if m.rule == "gazetteer" or not _has_tanween(m.surface)]
        return found

    def match_tokens(self, stored: str) -> tuple[MatchText, bytes | None, Tokens]:
        """The first step of ``extract`` for one text: its match form, the same as bytes
        (``normalize.match_form_folded``; None for text off the charmap) and its words."""
        match, folded = match_form_folded(stored)
        if folded is None:
            return match, folded, tokenize(match.text)
        return match, folded, tokenize_folded(folded, self._folded_words)

    def _person_steps(  # noqa: PLR0913 - the field, its mentions and persons, one switch
        self, field: _Field, index: int, mentions: list, persons: list[Span],
        writes_maksura: bool,
    ) -> list:
        """The steps that read on from the persons found in ``field``, once every rule ran.
        ``persons``: their spans (``_person_spans(mentions, index)``).

        Each runs only when the persons of the field pass its screen, asked of their spans
        (gathered again only after a step changed the mentions): the steps' own screens each
        went over every mention of the article, and most fields pass none of them (news
        text: two fields in sixteen at most)."""
        if not persons and not field.capitals and not (
            writes_maksura and ALI in field.tokens.unique
        ):
            # No person to read on from, no acronym and no "علي" to look for: every step
            # finds nothing (~40 Python calls spared a field of a few words).
            return mentions
        words = field.tokens.words
        count = len(mentions)

        def gathered(new: list) -> list[Span]:
            # The persons after a step, from its result ``new`` and its input (``mentions``,
            # ``count``: read here before the caller rebinds them). A step that found nothing
            # returns the list it was given (grown in place by acronyms only) or an equal one.
            same = len(new) == count if new is mentions else new == mentions
            return persons if same else _person_spans(new, index)

        new = self._list_neighbours(field, index, mentions, persons)
        for found, kind in self.acronym_rule.find(
            field.stored, field.match.span_in_source, field.tokens, field.taken
        ) if field.capitals else ():
            new.append(self._rule_found(field, index, found, kind, "acronym"))
            field.taken.add(found.first)
        persons, mentions, count = gathered(new), new, len(new)
        # A rule's person read from its "بن" on begins a word before: "معاوية" + "بن أبي
        # سفيان" (a learnt list of given names holds "بن", as "بن لادن" starts a person).
        if any(s.words[0] in _SON for s in persons):
            new = self._extend_left(field, index, mentions, sons_only=True)
            persons, mentions, count = gathered(new), new, len(new)
        new = self._unseen_given(field, index, mentions, persons)
        persons, mentions, count = gathered(new), new, len(new)
        if ALI in field.tokens.unique and _word_before(words, persons, ALI):
            new = self._ali_before(field, index, mentions)
            persons, mentions, count = gathered(new), new, len(new)
        alis = _alis(field, writes_maksura)
        if alis:  # "علي" written with ي, in an article that writes ى elsewhere
            new = self._ali_after(field, index, mentions, alis)
            new = self._ali_after_title(field, index, new, alis)
            persons, mentions, count = gathered(new), new, len(new)
        if _side_by_side(persons):
            rule = self.person_rule
            new = _merge_adjacent(field, index, mentions, (rule.first_names, rule.name_words))
            persons, mentions, count = gathered(new), new, len(new)
        new = self._east_asian(field, index, mentions, persons)
        persons, mentions, count = gathered(new), new, len(new)
        new = self._word_links(field, index, mentions, persons)
        persons, mentions, count = gathered(new), new, len(new)
        return self._particles(field, index, mentions, persons)

    def _extend_persons(self, field: _Field, index: int, mentions: list) -> list:
        """A listed person followed by further name words is a longer name ("محمد" + "مرسي")."""
        out = []
        text, words, starts = field.match.text, field.tokens.words, field.tokens.starts
        for m in mentions:
            i, span, found, _rule = m
            last = span.last
            # extend() takes no word that is not free (the end, another mention's, after a
            # comma): asked first, it spares the tests below for those (speed only).
            if i == index and found.type == "PER" and _free_at(
                text, words, starts, field.taken, last + 1
            ) and (
                not _definite(span.words[-1]) or span.words[-1] in COMPOUND_TAILS
                or self._only_given(span.words)  # "أليكس" (match form "اليكس")
            ):
                # Given names may take an unlisted family name after them ("جان بيير" +
                # "رافاران"); a full name not. A surname alone ("بوش خطابا") has its name
                # complete, unless a learnt vocabulary and shape tell that the next word
                # was never seen outside a name and looks like one ("كيم هاولز").
                after = span.last + 1
                following = words[after] if after < len(words) else ""
                open_tail = self._open_tail(span.words, following)
                # Most listed full names are followed by a word extend() would not read on
                # over: asked first, it spares the call (speed only).
                if open_tail or self.person_rule.may_read_on(following):
                    # A regnal number follows a one-word or given name: "جيمس الأول", "عبد
                    # الله الثاني", not the full "فرناندو غونزاليز" (+ "الثالث", a ranking).
                    # Asked only before an ordinal: only_given costs a stems() per word.
                    regnal = len(span.words) == 1 or following not in _ORDINALS or (
                        self._only_given(span.words)
                    )
                    last = self.person_rule.extend(
                        field.match.text, field.tokens, span.last, field.taken, open_tail,
                        regnal,
                    )
            if last == span.last:
                out.append(m)
                continue
            field.taken.update(range(span.last + 1, last + 1))
            skip = span.start - field.tokens[span.first].start
            rule = _Rule(span.first, last, skip)
            out.append(self._rule_found(field, index, rule, "PER", "first-name"))
        return out

    def _list_neighbours(
        self, field: _Field, index: int, mentions: list, persons: list[Span]
    ) -> list:
        """The next persons of the lists the persons found in ``field`` (``persons``, their
        spans) start, and their names in Latin letters in brackets after them."""
        ends = [s.last for s in persons]
        text, tokens = field.match.text, field.tokens
        found_here = self.list_rule.find(text, tokens, field.taken, ends) if ends else []
        if ends and field.latin:  # "ألبرت أينشتاين ( Albert Einstein )", not "( AFP )"
            found_here += [g for g in latin_glosses(text, tokens, field.taken, ends)
                           if not self._stored(field, g).isupper()]
        for found in found_here:
            mention = self._rule_found(field, index, found, "PER", "first-name")
            if self.stoplist and _bare(mention[1].words) in self.stoplist:
                continue
            mentions.append(mention)
            field.taken.update(range(found.first, found.last + 1))
        return mentions

    @staticmethod
    def _stored(field: _Field, found: _Rule) -> str:
        """The stored text of the tokens ``found`` spans."""
        first, last = field.tokens[found.first], field.tokens[found.last]
        start, end = field.match.span_in_source(first.start, last.end)
        return field.stored[start:end]

    def _only_given(self, words: tuple[str, ...]) -> bool:
        """``person_rule.only_given(words)``, remembered per name: it costs a stems() a word,
        and a listed person's words recur (asked up to three times a person, article after
        article)."""
        memo = self._given_only
        known = memo.get(words)
        if known is None:
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            known = memo[words] = self.person_rule.only_given(words)
        return known

    def _open_tail(self, words: tuple[str, ...], following: str) -> bool:
        """Whether the listed person ``words`` may take the unlisted word ``following`` as
        its family name."""
        rule = self.person_rule
        # After more than one given name only with a vocabulary ("صدام حسين يشكل"); a
        # compound one ("عبد الله", "عطاء الله") counts as one.
        if self._only_given(words) and (rule.vocabulary or len(
            [w for w in words if w != "عبد" and w not in COMPOUND_TAILS]
        ) <= 1):
            return True
        return (len(words) == 1 and bool(rule.vocabulary) and rule.shape is not None
                and rule.shape(following))

    def _extend_left(
        self, field: _Field, index: int, mentions: list, sons_only: bool = False,
        persons: list[Span] | None = None,
    ) -> list:
        """A person whose name begins with a given name no list or rule took ("أحمد" +
        the listed "توفيق") is named from that word on. ``sons_only``: only persons whose
        name starts with "بن" / "ابن" / "بنت" (whose son the word before names).
        ``persons``: their spans (``_person_spans``), if the caller has them."""
        if sons_only and not any(m[0] == index and m[1].words[0] in _SON for m in mentions):
            return mentions  # most fields: no person read from its "بن" on, no loop
        words = field.tokens.words
        if not sons_only and not self._may_begin_before(
            words, _person_spans(mentions, index) if persons is None else persons
        ):
            return mentions  # most fields: no given name or "بن" next to a person's first word
        out = []
        for m in mentions:
            i, span, found, rule = m
            if i != index or found.type != "PER" or (sons_only and span.words[0] not in _SON):
                out.append(m)
                continue
            if not self.person_rule.may_begin_before(words, span.first):
                out.append(m)  # most persons: the word before is no given name, no call
                continue
            first = self.person_rule.extend_left(field.match.text, field.tokens, span.first,
                                                 field.taken)
            if first == span.first:
                out.append(m)
                continue
            field.taken.update(range(first, span.first))
            skip = self.person_rule.skip(field.tokens[first].text)
            named = _Rule(first, span.last, skip)
            out.append(self._rule_found(field, index, named, "PER", "first-name"))
        return out

    def _may_begin_before(self, words: list[str], persons: list[Span]) -> bool:
        """Whether ``person_rule.may_begin_before`` holds for one of the spans ``persons``:
        its set look-ups asked inline, a call a person cost more than the loop it spares."""
        before, sons = self._begins_before, _SON
        return any(
            (first := s.first) > 0 and (words[first - 1] in before or words[first] in sons)
            for s in persons
        )

    def _unseen_given(
        self, field: _Field, index: int, mentions: list, persons: list[Span] | None = None
    ) -> list:
        """A person found in ``field`` whose name begins a word before, with a given name never
        seen outside a name and shaped like one ("آشلي" + "ويلكس"): named from that word on.
        ``persons``: their spans (``_person_spans``), if the caller has them."""
        rule = self.person_rule
        if not rule.vocabulary or rule.shape is None:
            return mentions  # the rule is off (no learnt lists): not a loop for nothing
        text, tokens, taken = field.match.text, field.tokens, field.taken
        words, vocabulary = tokens.words, rule.vocabulary
        # Most words before a person were seen outside names: unseen_given_before's first
        # test, asked here of them all at once, spares most fields two calls a person.
        if persons is None:
            persons = _person_spans(mentions, index)
        if not any(
            (first := s.first) > 0 and first - 1 not in taken and words[first - 1] not in vocabulary
            for s in persons
        ):
            return mentions

        def given_before(span: Span) -> int | None:
            # Read from the token lists: field.tokens[i] makes a Token in Python each time.
            if span.first - 1 in taken or span.start != tokens.starts[span.first]:
                return None
            return rule.unseen_given_before(text, tokens, span.first, taken)

        return self._named_from(field, index, mentions, given_before)

    def _ali_before(self, field: _Field, index: int, mentions: list) -> list:
        """A person whose name begins with "علي" written with ي ("علي محمد الحمادي"): the
        match form reads "على" (on) the same, so no rule took it; the stored text tells."""
        tokens = field.tokens
        if ALI not in tokens.unique:
            return mentions  # most fields: no "علي" (match form) at all, no loop
        words = tokens.words  # a Token is made per tokens[i]: read only where "علي" is

        def ali_before(span: Span) -> int | None:
            before = span.first - 1
            if (before < 0 or words[before] != ALI or before in field.taken
                    or span.start != tokens[span.first].start
                    or not joined(field.match.text, tokens[before], tokens[span.first])):
                return None
            start, end = field.match.span_in_source(tokens[before].start, tokens[before].end)
            return before if field.stored[start:end] == ALI else None

        return self._named_from(field, index, mentions, ali_before)

    def _ali_after(self, field: _Field, index: int, mentions: list, alis: list[int]) -> list:
        """A given name followed by "علي" written with ي ("محمد علي السعدي", "عبدالحليم
        علي"): in an article whose author writes ى elsewhere ("على", "إلى") the ي tells
        the name from the preposition, which an author who writes ي for both ("التحفظ علي")
        does not."""
        taken = field.taken
        ends = {i - 1 for i in alis if i - 1 in taken}
        if not ends:
            return mentions  # most fields: no "علي" right after a mention
        text, tokens = field.match.text, field.tokens
        words, starts = tokens.words, tokens.starts
        out = []
        for m in mentions:
            i, span, found, _rule = m
            ali = span.last + 1
            if (i != index or span.last not in ends or found.type != "PER"
                    or not _free_at(text, words, starts, taken, ali)
                    or not self._only_given(span.words)):
                out.append(m)
                continue
            last = self.person_rule.extend(text, tokens, ali, taken, open_tail=True)
            taken.update(range(span.first, last + 1))
            named = _Rule(span.first, last, span.start - starts[span.first])
            out.append(self._rule_found(field, index, named, "PER", "first-name"))
        return out

    def _ali_after_title(
        self, field: _Field, index: int, mentions: list, alis: list[int]
    ) -> list:
        """"علي" written with ي right after a title ("الإمام علي ورجاله") in an article that
        writes ى elsewhere is the name, with what follows it: the title rule reads "على"
        (on) the same and takes neither."""
        tokens = field.tokens
        if tokens.unique.isdisjoint(self._title_ends):
            return mentions
        text, taken = field.match.text, field.taken
        words, starts = tokens.words, tokens.starts
        for i in alis:
            if (i == 0 or words[i - 1] not in self._title_ends
                    or not _free_at(text, words, starts, taken, i)):
                continue
            last = self.person_rule.extend(text, tokens, i, taken, open_tail=True)
            taken.update(range(i, last + 1))
            mentions.append(self._rule_found(field, index, _Rule(i, last), "PER", "title"))
        return mentions

    def _east_asian(
        self, field: _Field, index: int, mentions: list, persons: list[Span]
    ) -> list:
        """A person of two East Asian syllables found in ``field`` with the third next to it,
        which is also an Arabic word ("لي" + "تشاو شينج", "منغ يانغ" + "هي"). ``persons``:
        their spans (``_person_spans``)."""
        syllables = self.syllables
        # Most articles write no syllable that is not also an Arabic word ("هو", "ما"):
        # screened for with the rules' trigger words (in C), no loop over the persons then.
        if field.tokens.unique.isdisjoint(self._syllable_screen) or not any(
            len(s.words) == 2 and s.words[0] in syllables and s.words[1] in syllables
            for s in persons
        ):
            return mentions
        out = []
        # In reading order, as a merge would have left them (merge_adjacent_persons): two
        # persons may both reach for the syllable between them, and the first takes it.
        mentions = [m for m in mentions if m[0] != index] + sorted(
            (m for m in mentions if m[0] == index), key=lambda m: m[1].start
        )
        for m in mentions:
            i, span, found, rule = m
            if (i != index or found.type != "PER" or span.last - span.first != 1
                    or span.start != field.tokens.starts[span.first]):  # no "و" before it
                out.append(m)
                continue
            named = syllable_extent(field.match.text, field.tokens, field.taken,
                                    (span.first, span.last), self.syllables)
            if named == (span.first, span.last):
                out.append(m)
                continue
            field.taken.update(range(named[0], named[1] + 1))
            rule = "first-name" if rule == "gazetteer" else rule  # a name no list has
            out.append(self._rule_found(field, index, _Rule(*named), "PER", rule))
        return out

    def _particles(
        self, field: _Field, index: int, mentions: list, persons: list[Span] | None = None
    ) -> list:
        """A person found in ``field`` after a name particle begins with it ("فان" +
        "باستن"), and with the listed given name before it ("رود فان" + "نيستلروي").
        ``persons``: their spans (``_person_spans``), if the caller has them."""
        tokens = field.tokens
        if not tokens.unique & LEADING_PARTICLES or not _next_to(
            tokens.words, _person_spans(mentions, index) if persons is None else persons,
            LEADING_PARTICLES,
        ):
            return mentions  # most articles: no particle right before a person, no loop
        rule = self.person_rule

        def start(span: Span) -> int | None:
            if span.start != tokens.starts[span.first]:
                return None  # "وباستن": a proclitic, no particle before it
            first = particle_start(rule, field.match.text, tokens, field.taken, span.first)
            particle = span.first - 1
            if first == span.first or (
                self._stored(field, _Rule(particle, particle)) != tokens.words[particle]
            ):
                return None  # "فإن" ("indeed") reads "فان" in the match form: the text tells
            field.taken.update(range(first, span.first))  # the particle too
            return first

        named = self._named_from(field, index, mentions, start)
        if named == mentions:
            return mentions
        # A given name found alone before the particle joins it: "رود" + "فان نيستلروي".
        return merge_adjacent_persons(field, index, named, (rule.first_names, rule.name_words))

    def _word_links(
        self, field: _Field, index: int, mentions: list, persons: list[Span]
    ) -> list:
        """Persons of ``field`` in a chain of "ولد" or "بن" ("son of"): two found side by side
        with one between are one ("وعبد الرحمان ولد" + "محمد حمودي", "الشيخ حمدان بن" +
        "محمد بن راشد آل مكتوم"). And, as no list or rule reads "ولد" (also "was born") as
        a link, a found person reads on over a "ولد" after it ("محمد البشير" + "ولد
        المختار"), and one that begins with "ولد" starts at the name before it ("حضية" +
        "ولد سلامة ولد النفاع"). ``persons``: their spans (``_person_spans``)."""
        tokens = field.tokens
        unique, words = tokens.unique, tokens.words
        if not (unique & _CHAIN_LINKS and _next_to(words, persons, _CHAIN_LINKS)) and not (
            unique & WORD_LINKS and _next_to(words, persons, WORD_LINKS, after=True)
        ):
            return mentions  # most articles: no link next to a person, no loop
        text, words, starts, taken = field.match.text, tokens.words, tokens.starts, field.taken
        persons = sorted((m for m in mentions if m[0] == index and m[2].type == "PER"),
                         key=lambda m: m[1].first)
        chained: list = []
        for m in persons:
            span = m[1]
            if chained and span.first == chained[-1][1].last + 2 and (
                words[span.first - 1] in _CHAIN_LINKS and span.start == starts[span.first]
                and _free_at(text, words, starts, taken, span.first - 1)
                and joined(text, tokens[span.first - 1], tokens[span.first])
            ):
                before = chained[-1][1]
                taken.add(span.first - 1)
                named = _Rule(before.first, span.last, before.start - starts[before.first])
                chained[-1] = self._rule_found(field, index, named, "PER", "first-name")
                continue
            chained.append(m)
        out = [m for m in mentions if not (m[0] == index and m[2].type == "PER")]
        for m in chained:
            span = m[1]
            last, first = span.last, span.first
            if _free_at(text, words, starts, taken, last + 1) and words[last + 1] in WORD_LINKS:
                last = self.person_rule.extend(text, tokens, last, taken, False, regnal=False)
            if span.start == starts[first]:  # no "و" before it: no list's next person
                first = link_chain_start(self.person_rule, text, tokens, taken, first)
            if (first, last) == (span.first, span.last):
                out.append(m)
                continue
            taken.update(range(first, last + 1))
            skip = self.person_rule.skip(words[first]) if first < span.first else (
                span.start - starts[first])
            out.append(self._rule_found(field, index, _Rule(first, last, skip), "PER",
                                        "first-name"))
        return out

    def _named_from(
        self, field: _Field, index: int, mentions: list, first_of: Callable[[Span], int | None]
    ) -> list:
        """``mentions``, each person of ``field`` for which ``first_of(span)`` gives an earlier
        word named from that word on (a rule's mention; that word taken)."""
        out = []
        for m in mentions:
            i, span, found, _rule = m
            first = first_of(span) if i == index and found.type == "PER" else None
            if first is None or first == span.first:
                out.append(m)
                continue
            field.taken.add(first)
            out.append(self._rule_found(field, index, _Rule(first, span.last), "PER", "first-name"))
        return out

    def _place_as_body(self, field: _Field, index: int, span: Span, rule: str) -> tuple:
        """A listed place the text names a body by (a paper, a club): an organization of its
        own, found by ``rule``, over the place's words without their proclitics."""
        field.taken.update(range(span.first, span.last + 1))
        skip = span.start - field.tokens.starts[span.first]
        return self._rule_found(field, index, _Rule(span.first, span.last, skip), "ORG", rule)

    def _club(self, field: _Field, index: int, span: Span) -> tuple:
        """The club a listed place names after a club's first word ("ريال" + مدريد): an
        organization of its own over both words, found by rule ``team``."""
        first = span.first - 1
        field.taken.update(range(first, span.last + 1))
        skip = 0 if field.tokens.words[first] in self._club_words else 1  # "وريال"
        return self._rule_found(field, index, _Rule(first, span.last, skip), "ORG", "team")

    @staticmethod
    def _rule_found(field: _Field, index: int, found, kind: str, rule: str) -> tuple:
        """A mention found by a rule: an entity of its own, id ``<type>:x:<words>``."""
        # The token lists read directly: a slice of Tokens makes a Token per word in Python.
        tokens = field.tokens
        first, last = found.first, found.last
        words = tokens.words[first : last + 1]
        words[0] = words[0][found.skip :]
        start = tokens.starts[first] + found.skip
        end = tokens.starts[last] + len(tokens.words[last])
        # span_in_source without its two SourceOffsets.__getitem__ calls (a range when
        # nothing was dropped maps each index to itself).
        offsets = field.match.offsets
        if type(offsets) is range:
            source_start, source_end = start, end if end > start else start
        else:
            source_start, source_end = offsets.span(start, end)
        entity = _new_tuple(
            _Found,
            (f"{kind.lower()}:x:" + "-".join(words), kind, field.stored[source_start:source_end]),
        )
        span = _new_tuple(Span, (first, last, start, end, entity[0], tuple(words)))
        return (index, span, entity, rule)

    def _short_names(
        self, words: tuple[str, ...], kind: str, unseen: bool
    ) -> tuple[tuple[str, ...], ...]:
        """The short names by which a mention of ``words`` (an entity of type ``kind``, found
        by the unseen-name rules or not) is said again: remembered per name in
        ``_said_as``, as news names the same entities article after article."""
        # A one-word name of a word never seen outside names is said again as it stands
        # ("ولد أينشتاين …" then "أينشتاين"); rule mentions only: the lists match theirs.
        again = [words] if unseen and len(words) == 1 else []
        if kind == "PER" and len(words) > 1 and not self.person_rule.is_first(words[0]):
            # Written again in full where no rule reads it whole ("طلعت زكريا": the unseen
            # "طلعت" is taken after a title only): the longer match wins. Not after a listed
            # given name, which the rules read again themselves (and a common one would
            # build the table for most articles: callgrind +1.4 %).
            again.append(words)
        # A name in the gazetteer is its own entity; a word mostly seen outside names
        # ("المجمع", learnt) is no surname. (A body's head noun is such a word, and says
        # it again all the same: "التحالف" after "التحالف الدولي".)
        common = self.common if kind == "PER" else frozenset()
        return tuple(
            short for short in partial_names(words, kind) + again
            if short not in self.names and not common.issuperset(short)
        )

    def _partial_mentions(self, fields: list[_Field], full: list) -> list:
        """Later mentions by surname or head noun of an entity named in full before.
        ``full``: the mentions found, in reading order (``_in_reading_order``); an unseen
        person there that is such a short name becomes a partial mention in it."""
        shorts: dict[tuple[str, ...], str] = {}  # short name → entity id, the first one
        first_seen: dict[str, tuple[int, int]] = {}
        entities: dict[str, _Found] = {}
        said_as = self._said_as
        if len(said_as) > _MEMO_LIMIT:
            said_as.clear()
        for position, (index, span, found, rule) in enumerate(full):
            ident = found.id
            if rule == "unseen" and shorts:
                earlier = shorts.get(span.words)
                if earlier is not None and earlier != ident and entities[earlier].type == "PER":
                    # A surname the unseen rules read as a new person ("كيكينز") after the
                    # full name ("مايلز كيكينز"): that person, said again (in place: ``full``
                    # is the caller's list, made for this call).
                    full[position] = (index, span, entities[earlier], "partial")
                    continue
            if ident not in first_seen:
                first_seen[ident] = (index, span.start)
            entities[ident] = found
            if len(span.words) < 2 and rule != "unseen":
                # A one-word name (most: places) is said again by no shorter name: what
                # _short_names gives it, without a key tuple and a memo look-up each (nor,
                # in a first pass, a call).
                continue
            key = (span.words, found.type, rule == "unseen")
            said = said_as.get(key)
            if said is None:
                said = said_as[key] = self._short_names(*key)
            for short in said:
                shorts.setdefault(short, ident)
        if not shorts:
            return []
        vocabulary = self.person_rule.vocabulary
        if all(len(short) == 1 for short in shorts):
            return _one_word_partials(fields, shorts, entities, first_seen, vocabulary)
        return _short_partials(fields, shorts, entities, first_seen, vocabulary)


_MAKSURA = "ى"  # final alif maqsura: an author who writes it tells "على" from "علي"


def _has_tanween(text: str) -> bool:
    """Whether ``text`` has a tanween (ً ٌ ٍ). It marks a word indefinite, which no name is:
    a rule's find written with one is a noun or adjective ("هجيناً بريّاً", "جلباباً"; in the
    ANERcorp train file 557 words with a tanween are no entity, 2 are). Three scans in C:
    most articles have none."""
    return "\u064b" in text or "\u064c" in text or "\u064d" in text

# Words that link a son's name to his father's: found persons on either side are one.
_CHAIN_LINKS = WORD_LINKS | _SON


def _person_spans(mentions: list, index: int) -> list[Span]:
    """The spans of the persons found in field ``index``, in the order of ``mentions``: the
    person steps' screens read these, where each went over every mention of the article."""
    return [m[1] for m in mentions if m[0] == index and m[2].type == "PER"]


def _next_to(
    words: list[str], persons: list[Span], wanted: frozenset[str], after: bool = False
) -> bool:
    """Whether a word of ``wanted`` comes right before (``after``: right after) one of the
    spans ``persons``: a step that reads such words only then runs its loop (callers screen
    the field's distinct words with a set operation in C first)."""
    count = len(words)
    for span in persons:
        i = span.last + 1 if after else span.first - 1
        if 0 <= i < count and words[i] in wanted:
            return True
    return False


def _word_before(words: list[str], persons: list[Span], word: str) -> bool:
    """Whether ``word`` comes right before one of the spans ``persons``."""
    return any(s.first > 0 and words[s.first - 1] == word for s in persons)


def _alis(field: _Field, writes_maksura: bool) -> list[int]:
    """Where "علي" written with ي is a word of ``field`` outside its mentions, in an article
    whose author writes ى elsewhere (``writes_maksura``): there the ي tells the name from
    "على", which the match form reads the same (``_ali_after``, ``_ali_after_title``). Found
    once a field by searching the stored text for "علي" in C (it finds no "على"): a scan of
    the match form's words (which hold "على" too) cost ~100 instructions a word, and
    screening for it with the rules' words slowed every rule (callgrind)."""
    if not writes_maksura or ALI not in field.tokens.unique:
        return []
    offsets = field.match.offsets
    plain = isinstance(offsets, range)  # no character dropped: the offsets are the same
    stored, taken = field.stored, field.taken
    words, starts = field.tokens.words, field.tokens.starts
    found = []
    at = stored.find(ALI)
    while at >= 0:  # "علي" and words that begin with it ("عليه"): a token that is "علي"
        k = at if plain else offsets.match_index(at)
        i = bisect_left(starts, k)
        if i < len(starts) and starts[i] == k and words[i] == ALI and i not in taken and (
            plain or EntityExtractor._stored(field, _Rule(i, i)) == ALI  # "عليٌ" is not
        ):
            found.append(i)
        at = stored.find(ALI, at + len(ALI))
    return found


def _one_word_partials(
    fields: list[_Field],
    shorts: dict[tuple[str, ...], str],
    entities: dict[str, _Found],
    first_seen: dict[str, tuple[int, int]],
    vocabulary: frozenset[str],
) -> list:
    """``_partial_mentions``' matches when every short name is one word (most articles: a
    surname, a head noun), found as a ``NameTable`` of them would find them, without making
    one: a word outside the mentions written with a short name's written forms, read as the
    first of its readings (``stems``) that is one. Building the table, reading each candidate
    word into it and a pass over the words for their positions cost ~0.3 M instructions an
    article (callgrind); the few words found here are looked for with ``str.find``."""
    forms = frozenset().union(*map(written_forms, [short[0] for short in shorts]))
    out = []
    for index, field in enumerate(fields):
        found = field.tokens.unique & forms
        if not found:
            continue
        hits = []
        for word in found:
            for reading in stems(word):  # the first reading that is a short name
                if (reading.text,) in shorts:
                    hits += [(i, word, reading) for i in _positions_outside(field, word)]
                    break
        starts = field.tokens.starts
        for i, word, reading in sorted(hits):
            name = (reading.text,)
            start = starts[i] + reading.skip
            span = _new_tuple(Span, (i, i, start, starts[i] + len(word), shorts[name], name))
            _add_partial(out, index, field, span, entities, first_seen, vocabulary)
    return out


def _short_partials(
    fields: list[_Field],
    shorts: dict[tuple[str, ...], str],
    entities: dict[str, _Found],
    first_seen: dict[str, tuple[int, int]],
    vocabulary: frozenset[str],
) -> list:
    """``_partial_mentions``' matches when a short name has several words (a full name said
    again, "عبد الله", a kunya; most news articles): what a ``NameTable`` of the short names
    finds (longest, leftmost, outside the mentions), without making one. Only the words
    written with a short name's first word's written forms are read (``stems``) and looked
    for (``_said_at``). Building a table an article, reading each candidate word into it
    (three generator expressions a word), screening the fields for a word said again
    first and a pass over the words for their positions: −27 % of the step on news text
    (callgrind); tests/test_extract_speed.py checks the two agree. (For one-word short names
    alone ``_one_word_partials`` stays: this path measured +16 % there, on seed articles.)"""
    table = _ShortTable(shorts)
    out = []
    for index, field in enumerate(fields):
        found = field.tokens.unique & table.forms
        if not found:
            continue
        readings_of = {}
        for word in found:
            readings = tuple(s for s in stems(word) if s.text in table.firsts)
            if readings:
                readings_of[word] = readings
        after = 0  # the first token not inside a match already made
        words = field.tokens.words
        for i in _said_at(field, readings_of):
            if i < after:
                continue
            span = table.at(field, i, readings_of[words[i]])
            if span is None:
                continue
            after = span.last + 1
            _add_partial(out, index, field, span, entities, first_seen, vocabulary)
    return out


def _add_partial(  # noqa: PLR0913 - where, the match, and what it is checked against
    out: list,
    index: int,
    field: _Field,
    span: Span,
    entities: dict[str, _Found],
    first_seen: dict[str, tuple[int, int]],
    vocabulary: frozenset[str],
) -> None:
    """A short name matched at ``span`` of field ``index`` is a partial mention (appended to
    ``out``, its words taken) when it comes after the full name and is no word of its own
    (``_no_partial``). Only after the full name: a whole-document pass (surnames before it
    too) measured worse on ANERcorp (PER F1 54.0 → 53.6, 10-sentence windows)."""
    if (index, span.start) <= first_seen[span.key] or _no_partial(
        field.tokens.words, span, vocabulary
    ):
        return
    out.append((index, span, entities[span.key], "partial"))
    field.taken.update(range(span.first, span.last + 1))


def _said_at(field: _Field, said: Collection[str]) -> list[int]:
    """Where a word of ``said`` is a token of ``field`` outside ``field.taken``, in order: a
    few words each with ``str.find`` (~3 instructions a character of the field), more in
    one pass over the words (~70 a word; callgrind: ``str.find`` was a third of the partial
    mentions of a news article, a word at a time)."""
    if len(said) <= _FIND_WORDS:
        return sorted(i for word in said for i in _positions_outside(field, word))
    taken = field.taken
    return [i for i in word_positions(field.tokens, set(said)) if i not in taken]


_FIND_WORDS = 3  # words looked for with str.find, each a pass over the text: more, one pass


class _ShortTable:
    """The short names of an article as ``NameTable.find`` reads them: their first words,
    the second words of the longer names of each, and the first 2, 3, ... words of names of
    three words or more (``second_words``, ``name_prefixes``)."""

    def __init__(self, shorts: dict[tuple[str, ...], str]):
        self.shorts = shorts
        self.firsts = {name[0] for name in shorts}
        self.seconds = second_words(shorts)
        self.prefixes = name_prefixes(shorts)
        self.forms = frozenset().union(*map(written_forms, self.firsts))

    def at(self, field: _Field, i: int, readings: tuple) -> Span | None:
        """The longest short name whose first word is word ``i`` read as one of ``readings``
        (those that begin a short name, in ``stems`` order), or None (``NameTable.find``'s
        step at a word: the words after it joined and free)."""
        words, starts = field.tokens.words, field.tokens.starts
        span = longest_from(
            field.match.text, words, starts, i, readings, field.taken,
            self.shorts, self.seconds, self.prefixes,
        )
        if span is not None:
            return span
        for stem in readings:  # the first reading that is a one-word name
            key = self.shorts.get((stem.text,))
            if key is not None:
                start = starts[i]
                return _new_tuple(
                    Span, (i, i, start + stem.skip, start + len(words[i]), key, (stem.text,))
                )
        return None


def _no_partial(words: list[str], span: Span, vocabulary: frozenset[str]) -> bool:
    """A short name matched at ``span`` that is no partial mention: "صباح" of "صباح أمس"
    after "صباح الأحمد", or a clitic making a known word ("لصالح" after "صالح")."""
    return time_of_day(words, span.first) or _clitic_word(words, span, vocabulary)


def _clitic_word(words: list[str], span: Span, vocabulary: frozenset[str]) -> bool:
    """A one-word partial mention written with a clitic that makes a word the vocabulary
    has (seen outside names): "لصالح" after "علي عبد الله صالح" is "in favour of"."""
    written = words[span.first]
    return (span.first == span.last and bool(span.words) and written != span.words[0]
            and written in vocabulary)


def _positions_outside(field: _Field, word: str) -> list[int]:
    """Where ``word`` is a token of ``field`` outside ``field.taken``, in order.

    Found with ``str.find`` over the match form (a few instructions a character, in C), each
    hit a token when a token starts there with that very word: a pass over the words testing
    each against a set (``word_positions``) cost ~250 instructions a word (callgrind).
    """
    text, tokens, taken = field.match.text, field.tokens, field.taken
    starts, words = tokens.starts, tokens.words
    found = []
    at = text.find(word)
    while at >= 0:
        i = bisect_left(starts, at)
        if i < len(starts) and starts[i] == at and words[i] == word and i not in taken:
            found.append(i)
        at = text.find(word, at + 1)
    return found


_rule_of = itemgetter(3)  # a found mention's rule


def _mentions(fields: list[_Field], found: list) -> list[Mention]:
    """The Mentions of ``found`` ((field index, span, entity, rule), in order)."""
    if not found:
        return []  # a field or two of a few words: none of the set-up below
    # The rules named, gathered by ``map`` in C: a set comprehension is a bytecode loop a mention.
    unknown = set(map(_rule_of, found)).difference(RULE_NAMES)
    assert not unknown, f"rules {unknown} missing from RULE_NAMES and the record schema"
    # Per field: stored text, name, and the offset map's (keys, shifts) (None: a range,
    # nothing dropped), so that each mention maps its ends inline: a call a mention
    # (``SourceOffsets.span``, a ``max``) cost ~2 k instructions.
    maps = [
        (f.stored, f.name, None if type(f.match.offsets) is range else f.match.offsets.runs())
        for f in fields
    ]
    values = []
    append = values.append
    # Spans and entities are named tuples: unpacking one goes through an iterator (only a
    # plain tuple's is inlined), a subscript does not (callgrind: -4 % of the loop).
    for index, span, entity, rule in found:
        start = span[2]  # .start
        end = span[3]  # .end
        stored, field_name, runs = maps[index]
        if end < start:
            end = start
        if runs is not None:
            keys, shifts = runs
            at = bisect_right(keys, start)
            shift = shifts[at - 1]
            start += shift
            # A mention rarely spans the start of another run (a dropped haraka inside it):
            # then its end shifts as its start does, and a compare replaces a second bisect
            # (callgrind: -5 % of _mentions on the seed articles).
            if at == len(keys) or end < keys[at]:
                end += shift
            else:
                end += shifts[bisect_right(keys, end, at) - 1]
        append({
            "id": entity[0],
            "type": entity[1],
            "name": entity[2],
            "surface": stored[start:end],
            "field": field_name,
            "start": start,
            "end": end,
            "rule": rule,
        })
    return make_mentions(values)


_new_tuple = tuple.__new__


def _has_capitals(stored: str) -> bool:
    """Whether ``stored`` may hold an acronym (two letters or more, all capitals): two letters
    A-Z side by side once every non-ASCII character is left out (on the charmap A-Z are the
    only capitals, and only harakat and tatweel, none ASCII, are dropped inside a word). A
    text with Latin words but no such pair ("Email") spares the acronym rule, which costs a
    pass over its distinct words (~0.1 M instructions a seed article): this ~8 a character."""
    ascii_part = stored.encode("ascii", "ignore")
    return _PAIR in ascii_part.translate(_CAPITALS_MARKED)


# A-Z → "A", every other byte → " ": two capitals side by side read "AA".
_CAPITALS_MARKED = bytes(65 if 65 <= byte <= 90 else 32 for byte in range(256))
_PAIR = b"AA"
_MEMO_LIMIT = 1 << 16  # names remembered by an extractor (``_said_as``) before it starts over


def _reading_key(m: tuple) -> tuple[int, int]:
    return (m[0], m[1].start)


def _in_reading_order(mentions: list) -> list:
    """``mentions`` sorted by field, then start (stable). (Int keys made in a comprehension
    and sorted indices measured slower than the key function: callgrind.)"""
    return sorted(mentions, key=_reading_key)


def _with_partials(mentions: list, partials: list) -> list:
    """``_in_reading_order(mentions + partials)`` for ``mentions`` in reading order: each
    partial mention inserted after the mentions of equal key (``insort``, as the stable sort
    puts it), in its turn. A news article has ~100 mentions and ~7 partial ones: the sort
    called the key function for every mention again, ``insort`` ~8 times a partial one
    (callgrind, news text: 744.4 -> 741.2 k instructions a KB of the whole extractor)."""
    if len(partials) * 8 > len(mentions):  # many: the sort's one key a mention is cheaper
        return _in_reading_order(mentions + partials)
    merged = list(mentions)
    for partial in _in_reading_order(partials):
        insort(merged, partial, key=_reading_key)
    return merged


def _adjacent_persons(mentions: list, index: int) -> bool:
    """Whether two persons found in field ``index`` are side by side (one's first word right
    after the other's last): ``merge_adjacent_persons``' loop merges nothing without. Two set
    comprehensions spare most fields its sort (a key function call a mention) and its loop."""
    return _side_by_side(_person_spans(mentions, index))


def _side_by_side(persons: list[Span]) -> bool:
    """Whether one of the spans ``persons`` begins right after another ends."""
    if len(persons) < 2:
        return False
    return not {s.first for s in persons}.isdisjoint([s.last + 1 for s in persons])


def merge_adjacent_persons(
    field: _Field, index: int, mentions: list, names: tuple[frozenset[str], ...] = ()
) -> list:
    """Persons found side by side in ``field`` (only a space between) are one person: a listed
    given name stops a rule from reading on into a listed family name ("حمد" + "محمد",
    "معاوية" + "بن أبي سفيان"), and news text never writes two persons' names unseparated.
    A second name whose first word is "و" + a word, unless ``names`` list it whole ("وليد"),
    is the next person of a list ("ادم ساندلر" + "وكيت بيكنسيل").
    """
    if not _adjacent_persons(mentions, index):
        # Nothing to merge: the field's mentions are left in the order found. Only the order
        # of mentions with equal starts could tell, and a field has none (a word is taken
        # once); the one step after this that reads them in order sorts them (_east_asian).
        return mentions
    return _merge_adjacent(field, index, mentions, names)


def _merge_adjacent(
    field: _Field, index: int, mentions: list, names: tuple[frozenset[str], ...]
) -> list:
    """``merge_adjacent_persons`` without its screen: ``mentions`` with those of ``field``
    last, in reading order, persons side by side merged."""
    here = sorted((m for m in mentions if m[0] == index), key=lambda m: m[1].start)
    merged: list = []
    text, tokens = field.match.text, field.tokens
    for m in here:
        if merged:
            prev = merged[-1]
            a, b = prev[1], m[1]
            # "بوش وبلير": a conjunction before the second name makes two persons.
            if (prev[2].type == m[2].type == "PER" and b.first == a.last + 1
                    and b.start == tokens[b.first].start
                    and joined(text, tokens[a.last], tokens[b.first])
                    and not _conjunction_first(tokens[b.first].text, *names)):
                skip = a.start - tokens[a.first].start
                # Two listed names make a name no list has: a rule found it.
                rule = next((r for r in (prev[3], m[3]) if r != "gazetteer"), "first-name")
                merged[-1] = EntityExtractor._rule_found(
                    field, index, _Rule(a.first, b.last, skip), "PER", rule
                )
                continue
        merged.append(m)
    return [m for m in mentions if m[0] != index] + merged
