"""A deterministic generator of synthetic Arabic news articles for the benchmarks.

Words are drawn with a Zipf law over the real Arabic vocabulary of a token file (the ANERcorp
train set: one ``token TAG`` per line), ranked by frequency, so the index sees a realistic mix
of a few very common words and a long tail of rare ones. Names from the shipped gazetteer are
sprinkled in (also Zipf-distributed, some with a clitic or after a person title), so entity
extraction does real work. About 400 words an article, each with a publication date.

Article ``i`` depends only on the seed, ``i`` and the inputs, so any slice of a corpus can be
made again on its own, and two runs give the same bytes.

    python -m benchmarks.generate --scale 10k --tokens PATH --out DIR [--format txt|html]
"""

from __future__ import annotations

import argparse
import html
import random
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
DEFAULT_TOKENS = "/work/shared/data/anercorp/ANERCorp_CamelLab_train.reconstructed.txt"
FILES_PER_DIR = 1000  # keeps directories small, as a real crawl's would be
FIRST_DAY = date(2020, 1, 1)
DAYS = 3 * 365  # publication dates spread over three years
ZIPF_S = 1.0
ZIPF_Q = 2.7  # Zipf-Mandelbrot offset: flattens the head like real text does
TITLES = ("الرئيس", "وزير الخارجية", "رئيس الوزراء", "الشيخ", "الدكتور", "المتحدث باسم")
CLITICS = ("و", "ب", "ل", "")  # "" most often: see _entity_words
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{2,}\Z")


def parse_scale(text: str) -> int:
    """'10k', '100k', '1m' or a plain number → the article count."""
    return SCALES.get(text.lower()) or int(text)


@dataclass(frozen=True)
class Zipf:
    """Items with Zipf-law weights by rank; ``draw`` is one bisect over cumulative weights."""

    items: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def over(cls, ranked: list[str], s: float = ZIPF_S, q: float = ZIPF_Q) -> Zipf:
        weights = [1.0 / (rank + q) ** s for rank in range(1, len(ranked) + 1)]
        return cls(tuple(ranked), tuple(accumulate(weights)))

    def draw(self, rng: random.Random) -> str:
        return self.items[bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def read_vocabulary(path: str | Path) -> list[str]:
    """The Arabic words of a ``token TAG`` file outside named entities, most frequent first.

    Entity tokens are left out: the names come from the gazetteer instead, so that what the
    extractor finds is known."""
    counts: Counter[str] = Counter()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 2 and parts[1] == "O" and _ARABIC_WORD.match(parts[0]):
                counts[parts[0]] += 1
    if not counts:
        raise ValueError(f"{path}: no Arabic tokens found (expected 'token TAG' lines)")
    return [word for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def gazetteer_names(seed: int = 0) -> list[tuple[str, str]]:
    """(type, name) for every gazetteer entity and alias, in a seeded order (the Zipf rank)."""
    from newsarchive.entities.gazetteer import default_paths, load

    names = [
        (entry.type, name)
        for entry in load(default_paths()).entries.values()
        for name in entry.all_names()
    ]
    names.sort()
    random.Random(seed).shuffle(names)
    return names


@dataclass(frozen=True)
class Article:
    number: int
    title: str
    paragraphs: tuple[str, ...]
    published: date

    @property
    def words(self) -> int:
        return len(self.title.split()) + sum(len(p.split()) for p in self.paragraphs)

    def as_text(self) -> str:
        """Plain text: the title on the first line, then one paragraph a line (no date: the
        text format has none, so such records are filed under their ingestion day)."""
        return self.title + "\n\n" + "\n".join(self.paragraphs) + "\n"

    def as_html(self) -> str:
        """A small news page with the publication date in ``article:published_time``."""
        body = "\n".join(f"<p>{html.escape(p)}</p>" for p in self.paragraphs)
        title = html.escape(self.title)
        return (
            '<!doctype html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f"<title>{title} - وكالة الأنباء</title>"
            f'<meta property="article:published_time" content="{self.published}T08:00:00Z">'
            f"</head><body><nav><a href='/'>الرئيسية</a></nav><article><h1>{title}</h1>\n"
            f"{body}\n</article><footer>جميع الحقوق محفوظة</footer></body></html>\n"
        )


class Generator:
    """Makes article ``i`` of a corpus; the same seed and inputs always give the same text."""

    def __init__(self, vocabulary: list[str], names: list[tuple[str, str]], seed: int = 0):
        self.words = Zipf.over(vocabulary)
        self.names = Zipf.over([name for _, name in names])
        self.persons = Zipf.over([name for kind, name in names if kind == "PER"])
        self.seed = seed

    @classmethod
    def from_files(cls, tokens: str | Path, seed: int = 0) -> Generator:
        return cls(read_vocabulary(tokens), gazetteer_names(seed), seed)

    def article(self, number: int, words: int = 400) -> Article:
        rng = random.Random(f"{self.seed}:{number}")  # str seeds hash the same in every run
        title = " ".join(self._sentence(rng, rng.randint(6, 11)))
        paragraphs, count = [], 0
        while count < words:
            sentences = [
                " ".join(self._sentence(rng, rng.randint(10, 24))) + rng.choice("..،.")
                for _ in range(rng.randint(2, 4))
            ]
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        return Article(number, title, tuple(paragraphs), published)

    def _sentence(self, rng: random.Random, length: int) -> list[str]:
        words = [self.words.draw(rng) for _ in range(length)]
        if rng.random() < 0.6:  # about one name in 25 words: news text is dense with names
            words[rng.randrange(length) : rng.randrange(length) + 1] = self._entity_words(rng)
        return words

    def _entity_words(self, rng: random.Random) -> list[str]:
        if rng.random() < 0.1:
            return [*rng.choice(TITLES).split(), *self.persons.draw(rng).split()]
        name = self.names.draw(rng).split()
        clitic = rng.choice(CLITICS) if rng.random() < 0.3 else ""
        return [clitic + name[0], *name[1:]]

    def articles(self, count: int, start: int = 0) -> Iterator[Article]:
        for number in range(start, start + count):
            yield self.article(number)


def write_corpus(generator: Generator, out: Path, count: int, fmt: str = "txt") -> list[Path]:
    """Write ``count`` articles as files under ``out`` (1,000 a folder); return their paths."""
    paths = []
    for article in generator.articles(count):
        folder = out / f"{article.number // FILES_PER_DIR:04d}"
        if article.number % FILES_PER_DIR == 0:
            folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{article.number:07d}.{fmt}"
        page = article.as_html() if fmt == "html" else article.as_text()
        path.write_text(page, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="10k", help="10k, 100k, 1m or a number")
    parser.add_argument("--tokens", default=DEFAULT_TOKENS, help="ANERcorp-style token file")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--format", choices=("txt", "html"), default="txt")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    generator = Generator.from_files(args.tokens, args.seed)
    paths = write_corpus(generator, args.out, parse_scale(args.scale), args.format)
    print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
