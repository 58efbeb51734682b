"""Main-text extraction quality on saved pages: ours against trafilatura's plain output.

Usage: .venv/bin/python benchmarks/extraction.py [FOLDER]   (default: tests/fixtures/pages)

FOLDER holds NAME.html (any encoding) and NAME.txt (the expected article text, UTF-8).
For every page it prints token-level precision, recall and F1 of the body text against the
expected text for:

* ``ours``        — what ``newsarchive`` stores: ``extract(..., html=True)`` (engine "auto":
                    trafilatura's text, our rules when it finds none), furniture patterns applied;
* ``rules``       — our rule-based extractor alone (``engine="rules"``);
* ``trafilatura`` — ``trafilatura.extract(html)`` with its defaults, plain text: the baseline.

Tokens are the words of the normalized match form (diacritics, letter variants and digits
folded), compared as multisets: precision = shared / extracted, recall = shared / expected.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsarchive.arabic.normalize import normalize  # noqa: E402
from newsarchive.config import Config  # noqa: E402
from newsarchive.extract import ExtractError  # noqa: E402
from newsarchive.extract.html import extract_html  # noqa: E402
from newsarchive.sources.files import decode  # noqa: E402

_WORD = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(_WORD.findall(normalize(text)))


def scores(found: str, expected: str) -> tuple[float, float, float]:
    got, want = tokens(found), tokens(expected)
    shared = sum((got & want).values())
    precision = shared / sum(got.values()) if got else 0.0
    recall = shared / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_engines(html: str, furniture) -> dict[str, str]:
    import trafilatura

    found: dict[str, str] = {}
    for name, engine in (("ours", "auto"), ("rules", "rules")):
        try:
            found[name] = extract_html(html, furniture, engine=engine).text
        except ExtractError:
            found[name] = ""
    found["trafilatura"] = trafilatura.extract(html) or ""
    return found


def main(folder: Path) -> int:
    pages = sorted(p for p in folder.glob("*.html") if p.with_suffix(".txt").exists())
    if not pages:
        print(f"no NAME.html + NAME.txt pairs in {folder}", file=sys.stderr)
        return 2
    furniture = Config().furniture_patterns()
    engines = ("ours", "rules", "trafilatura")
    totals = {e: [0.0, 0.0, 0.0] for e in engines}
    print(f"{'page':<24}" + "".join(f"{e + ' P/R/F1':>24}" for e in engines))
    for page in pages:
        html = decode(page.read_bytes()).text
        expected = page.with_suffix(".txt").read_text(encoding="utf-8")
        found = run_engines(html, furniture)
        row = f"{page.stem:<24}"
        for engine in engines:
            p, r, f = scores(found[engine], expected)
            for i, value in enumerate((p, r, f)):
                totals[engine][i] += value
            row += f"{p:>10.3f}{r:>7.3f}{f:>7.3f}"
        print(row)
    n = len(pages)
    print(f"{'mean (' + str(n) + ' pages)':<24}" + "".join(
        f"{t[0] / n:>10.3f}{t[1] / n:>7.3f}{t[2] / n:>7.3f}" for t in totals.values()
    ))  # fmt: skip
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "tests" / "fixtures" / "pages"
    sys.exit(main(target))
