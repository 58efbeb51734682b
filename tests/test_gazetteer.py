"""The gazetteer loader, and the data shipped in newsarchive/data/gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from newsarchive.arabic.clitics import WORD, stems
from newsarchive.arabic.normalize import normalize
from newsarchive.entities.gazetteer import (
    DEFAULT_DIR,
    Entry,
    Gazetteer,
    GazetteerError,
    default_paths,
    load,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_8e60ac49c7d6514a.txt"
GOLD = Path(__file__).resolve().parent / "fixtures" / "000_8e60ac49c7d6514a.gold.yaml"

HEADER = "id\ttype\tname\taliases\n"


def write(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


# --- loader --------------------------------------------------------------------------------


def test_parse_comments_blank_lines_and_aliases(tmp_path: Path) -> None:
    path = write(
        tmp_path / "g.tsv",
        "# a comment\n\n" + HEADER + "loc:iq\tLOC\tالعراق\t\n"
        "loc:us\tLOC\tالولايات المتحدة\tأمريكا|أميركا| أمريكا |الولايات المتحدة\n"
        "# another\norg:x\tORG\tمنظمة س\n",
    )
    gaz = load([path])
    assert isinstance(gaz, Gazetteer)
    assert len(gaz) == 3
    assert list(gaz.entries) == ["loc:iq", "loc:us", "org:x"]
    assert gaz.entries["loc:iq"] == Entry("loc:iq", "LOC", "العراق", ())
    us = gaz.entries["loc:us"]
    assert us.aliases == ("أمريكا", "أميركا")  # trimmed, deduplicated, name not repeated
    assert us.all_names() == ("الولايات المتحدة", "أمريكا", "أميركا")
    assert gaz.entries["org:x"].aliases == ()


def test_all_names_deduplicates() -> None:
    entry = Entry("per:x", "PER", "س ص", ("س ص", "ع", "ع"))
    assert entry.all_names() == ("س ص", "ع")


def test_later_file_overrides_and_removes(tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.tsv",
        HEADER + "loc:a\tLOC\tأ\t\nloc:b\tLOC\tب\tبب\nloc:c\tLOC\tج\t\n",
    )
    second = write(tmp_path / "b.tsv", HEADER + "loc:b\tORG\tباء\t\nloc:c\t-\t\t\nloc:zz\t-\t\t\n")
    gaz = load([first, str(second)])
    assert list(gaz.entries) == ["loc:a", "loc:b"]
    assert gaz.entries["loc:b"] == Entry("loc:b", "ORG", "باء", ())
    assert len(load([second, first])) == 3  # order matters: removal before definition is a no-op


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("loc:a\tXYZ\tأ\t", "unknown type 'XYZ'"),
        ("loc:a\tLOC\t\t", "empty name"),
        ("Loc:A\tLOC\tأ\t", "bad id"),
        ("loc a\tLOC\tأ\t", "bad id"),
        ("loc:a\tLOC\tأ\tب\tج", "expected 4 tab-separated columns"),
        ("loc:a LOC أ", "expected 4 tab-separated columns"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    path = write(tmp_path / "gaz.tsv", "# comment\n" + HEADER + "loc:ok\tLOC\tس\t\n" + row + "\n")
    with pytest.raises(GazetteerError) as info:
        load([path])
    assert str(info.value).startswith("gaz.tsv:4: ")
    assert message in str(info.value)


def test_bad_header(tmp_path: Path) -> None:
    path = write(tmp_path / "gaz.tsv", "loc:a\tLOC\tأ\t\n")
    with pytest.raises(GazetteerError, match=r"^gaz\.tsv:1: expected the header"):
        load([path])


def test_unreadable_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="missing.tsv"):
        load([tmp_path / "missing.tsv"])
    bad = tmp_path / "latin.tsv"
    bad.write_bytes(HEADER.encode() + "loc:a\tLOC\tcafé\t\n".encode("latin-1"))
    with pytest.raises(GazetteerError, match="latin.tsv"):
        load([bad])


# --- shipped data --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load(default_paths())


@pytest.fixture(scope="module")
def by_form(gaz: Gazetteer) -> dict[str, str]:
    index: dict[str, str] = {}
    for entry in gaz.entries.values():
        for name in entry.all_names():
            index.setdefault(normalize(name), entry.id)
    return index


def test_shipped_files_load_with_unique_ids(gaz: Gazetteer) -> None:
    paths = default_paths()
    assert [p.name for p in paths] == sorted(p.name for p in paths)
    assert {p.name for p in paths} >= {
        "countries.tsv",
        "places.tsv",
        "organizations.tsv",
        "people.tsv",
    }
    assert all(p.parent == DEFAULT_DIR for p in paths)
    total = 0
    for path in paths:
        ids = [
            line.split("\t", 1)[0]
            for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        ][1:]
        assert len(ids) == len(set(ids)), path.name
        total += len(ids)
    assert len(gaz) == total  # no id appears in two shipped files
    assert sum(p.stat().st_size for p in paths) < 1_000_000


def test_counts_per_type(gaz: Gazetteer) -> None:
    counts: dict[str, int] = {}
    for entry in gaz.entries.values():
        counts[entry.type] = counts.get(entry.type, 0) + 1
    assert counts["ORG"] >= 150
    assert counts["PER"] >= 150
    assert counts["LOC"] >= 1000


def test_every_iso_country_has_an_entry(gaz: Gazetteer) -> None:
    pycountry = pytest.importorskip("pycountry")
    missing = [
        c.alpha_2 for c in pycountry.countries if f"loc:{c.alpha_2.lower()}" not in gaz.entries
    ]
    assert missing == []
    assert all(gaz.entries[f"loc:{c.alpha_2.lower()}"].type == "LOC" for c in pycountry.countries)


def test_no_two_entries_share_a_normalized_name(gaz: Gazetteer) -> None:
    owner: dict[str, str] = {}
    clashes = []
    for entry in gaz.entries.values():
        for name in entry.all_names():
            form = normalize(name)
            if owner.setdefault(form, entry.id) != entry.id:
                clashes.append((name, owner[form], entry.id))
    assert clashes == []


def test_names_are_long_enough_and_clean(gaz: Gazetteer) -> None:
    for entry in gaz.entries.values():
        for name in entry.all_names():
            assert len(normalize(name).replace(" ", "")) >= 3, (entry.id, name)
            assert name == name.strip() and "  " not in name and "|" not in name, (entry.id, name)


SEED_NAMES = [
    "مصطفى الكاظمي",
    "أبو مهدي المهندس",
    "قاسم سليماني",
    "التحالف الدولي",
    "داعش",
    "الحشد الشعبي",
    "فيلق القدس",
    "الحرس الثوري الإيراني",
    "العراق",
    "الولايات المتحدة",
    "أمريكا",
    "سوريا",
    "نينوى",
    "كركوك",
    "القيارة",
    "الموصل",
    "القائم",
]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_names_present(by_form: dict[str, str], name: str) -> None:
    assert normalize(name) in by_form


@pytest.mark.parametrize(
    ("name", "ident"),
    [
        ("أمريكا", "loc:us"),
        ("أميركا", "loc:us"),
        ("الولايات المتحدة الأمريكية", "loc:us"),
        ("بريطانيا", "loc:gb"),
        ("المملكة المتحدة", "loc:gb"),
        ("السعودية", "loc:sa"),
        ("المملكة العربية السعودية", "loc:sa"),
        ("الإمارات", "loc:ae"),
        ("سورية", "loc:sy"),
        ("روسيا الاتحادية", "loc:ru"),
        ("كوريا الشمالية", "loc:kp"),
        ("تنظيم الدولة الإسلامية", "org:isis"),
        ("الناتو", "org:nato"),
        ("أنصار الله", "org:houthis"),
        ("قسد", "org:sdf"),
        ("حسن نصرالله", "per:hassan-nasrallah"),
    ],
)
def test_short_forms_resolve(by_form: dict[str, str], name: str, ident: str) -> None:
    assert by_form.get(normalize(name)) == ident


# The UN system's fifteen specialized agencies, by their full Arabic names.
UN_SPECIALIZED_AGENCIES = {
    "منظمة الأغذية والزراعة": "org:fao",
    "منظمة الطيران المدني الدولي": "org:icao",
    "الصندوق الدولي للتنمية الزراعية": "org:ifad",
    "منظمة العمل الدولية": "org:ilo",
    "صندوق النقد الدولي": "org:imf",
    "المنظمة البحرية الدولية": "org:imo",
    "الاتحاد الدولي للاتصالات": "org:itu",
    "منظمة الأمم المتحدة للتربية والعلم والثقافة": "org:unesco",
    "منظمة الأمم المتحدة للتنمية الصناعية": "org:unido",
    "الاتحاد البريدي العالمي": "org:upu",
    "منظمة الصحة العالمية": "org:who",
    "المنظمة العالمية للملكية الفكرية": "org:wipo",
    "المنظمة العالمية للأرصاد الجوية": "org:wmo",
    "البنك الدولي": "org:world-bank",
    "منظمة السياحة العالمية": "org:unwto",
}


@pytest.mark.parametrize(("name", "ident"), UN_SPECIALIZED_AGENCIES.items())
def test_un_specialized_agencies_resolve(by_form: dict[str, str], name: str, ident: str) -> None:
    assert by_form.get(normalize(name)) == ident


@pytest.mark.parametrize(
    ("name", "ident"),
    [("الويبو", "org:wipo"), ("الإيكاو", "org:icao"), ("اليونيدو", "org:unido"),
     ("الأونكتاد", "org:unctad"), ("الإسكوا", "org:escwa"), ("الألكسو", "org:alecso"),
     ("أوابك", "org:oapec")],
)
def test_international_acronyms_resolve(by_form: dict[str, str], name: str, ident: str) -> None:
    assert by_form.get(normalize(name)) == ident


@pytest.mark.parametrize(
    ("name", "ident"),
    [("تكساس", "loc:us:texas"), ("كارولينا الشمالية", "loc:us:north-carolina"),
     ("إسكتلندا", "loc:gb:scotland"), ("ويلز", "loc:gb:wales"), ("كتالونيا", "loc:es:catalonia"),
     ("بافاريا", "loc:de:bavaria"), ("صقلية", "loc:it:sicily"), ("كيبيك", "loc:ca:quebec"),
     ("الشيشان", "loc:ru:chechnya"), ("ناغورني كاراباخ", "loc:az:nagorno-karabakh"),
     ("التبت", "loc:cn:tibet"), ("زنجبار", "loc:tz:zanzibar"), ("دافوس", "loc:ch:davos"),
     ("قندهار", "loc:af:kandahar"),
     # a curated row joins the GeoNames city it names, whose id stays: Kharkiv
     ("خاركيف", "loc:gn:706483"), ("خاركوف", "loc:gn:706483")],
)
def test_regions_often_in_the_news_resolve(by_form: dict[str, str], name: str, ident: str) -> None:
    # First-level divisions and regions outside the Arab world (US states, the UK's nations…),
    # and cities below GeoNames' world cut where summits meet or wars are fought.
    assert by_form.get(normalize(name)) == ident


_NOT_ENTITIES = (
    "الحوار الحكومة القوات التحالف الاستراتيجي الثقافة الاقتصاد منطقة الجبال الأودية الكهوف "
    "صحراوية المشتركة العراقية الأمريكي مليون دولار خمسة بعد الآن الدعم في من على قال الحرب "
    "الأمن السلام الشعب الجديد مدينة فتح العربية الجزيرة اليوم الأمل مالي دوما الخبر صور العين "
    "إيفاد هوية سدة"
)
NOT_ENTITIES = _NOT_ENTITIES.split()


@pytest.mark.parametrize("word", NOT_ENTITIES)
def test_common_words_are_not_names(by_form: dict[str, str], word: str) -> None:
    assert normalize(word) not in by_form


def test_seed_article_only_hits_its_entities(by_form: dict[str, str]) -> None:
    """Every gazetteer hit in the seed article is a gold entity or lies inside a gold mention.

    ("تنظيم داعش" is an alias of the gold داعش; "القدس" inside "فيلق القدس" is covered.)
    """
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    gold_forms = {
        normalize(n) for e in gold["entities"] for n in [e["name"], *e.get("aliases", [])]
    }
    words = WORD.findall(normalize(SEED.read_text(encoding="utf-8")))
    longest = max(len(form.split()) for form in by_form)

    def readings(start: int, length: int) -> list[str]:
        rest = " ".join(words[start + 1 : start + length])
        return [" ".join(filter(None, [s.text, rest])) for s in stems(words[start])]

    covered: set[int] = set()
    for start in range(len(words)):
        for length in range(1, 6):
            if any(r in gold_forms for r in readings(start, length)):
                covered.update(range(start, start + length))
    gold_ids = {by_form[form] for form in gold_forms if form in by_form}
    stray = []
    for start in range(len(words)):
        for length in range(1, longest + 1):
            for reading in readings(start, length):
                ident = by_form.get(reading)
                inside = covered >= set(range(start, start + length))
                if ident and ident not in gold_ids and not inside:
                    stray.append((reading, ident))
    assert stray == []
