"""`verify` finds each kind of damage, `verify --repair` fixes what it can and deletes nothing."""

from __future__ import annotations

import json

from conftest import SEED
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.arabic.normalize import normalize
from newsarchive.store import Archive
from newsarchive.verify import match_words, verify


def stored(run, archive):
    assert run("ingest", str(SEED)).exit_code == 0
    return next(Archive(archive).record_paths())


def test_a_clean_archive_verifies(run, archive):
    stored(run, archive)
    result = run("verify")
    assert result.exit_code == 0
    assert result.output.strip() == "1 records checked: no problems"


def test_each_problem_is_one_line_and_exit_1(run, archive):
    path = stored(run, archive)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["start"] += 1  # offsets no longer slice the surface
    data["title"] += "!"  # the id no longer hashes the content
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    bad = path.with_name("0123456789abcdef.json")
    bad.write_text('{"id": ', encoding="utf-8")
    result = run("verify")
    assert result.exit_code == 1
    kinds = [line.split()[0] for line in result.output.splitlines()[:-1]]
    assert {"offsets", "id", "unreadable"} <= set(kinds)
    assert result.output.splitlines()[-1].startswith("2 records checked:")


def test_schema_violations_are_reported(run, archive):
    path = stored(run, archive)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["language"] = 7
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    problems = verify(Archive(archive)).problems
    assert [p.kind for p in problems] == ["schema"]
    assert "language" in problems[0].message


def test_repair_quarantines_rebuilds_and_deletes_no_record(run, archive):
    path = stored(run, archive)
    broken = path.with_name("0123456789abcdef.json")
    broken.write_bytes(b"\xff\xfe not json")
    copy = archive / "records" / "1999" / "01" / "01" / path.name
    copy.parent.mkdir(parents=True)
    copy.write_bytes(path.read_bytes())  # the same record twice
    (path.parent / ".tmp-leftover").write_text("{")
    result = run("verify", "--repair")
    assert result.exit_code == 1
    assert "[repaired]" in result.output
    assert (archive / "quarantine" / broken.relative_to(archive)).read_bytes().startswith(b"\xff")
    assert len(list((archive / "quarantine").rglob("*.json"))) == 2  # broken + one copy
    assert run("verify").exit_code == 0
    assert run("search", "التحالف").exit_code == 0


def test_verify_without_an_archive_is_a_clear_error(run, archive):
    result = run("verify")
    assert result.exit_code == 1
    assert "no archive" in result.output


def test_the_fast_schema_check_agrees_with_jsonschema(run, archive):
    """The compiled fast path may only say "valid" where jsonschema finds no error."""
    import copy

    from newsarchive.verify import _fast_check, _validator, schema_errors

    good = json.loads(stored(run, archive).read_text(encoding="utf-8"))
    mutations = [
        lambda d: d.update(language=7), lambda d: d.pop("title"), lambda d: d.update(extra=1),
        lambda d: d.update(id="XYZ"), lambda d: d.update(schema="other"),
        lambda d: d["entities"][0].update(start="1"), lambda d: d["entities"][0].pop("field"),
        lambda d: d.update(published="yesterday"), lambda d: d.update(entity_counts=[]),
        lambda d: None,
    ]
    for mutate in mutations:
        data = copy.deepcopy(good)
        mutate(data)
        expected = list(_validator().iter_errors(data))
        assert bool(schema_errors(data)) == bool(expected)
        if not expected:
            _fast_check()(data)  # raises if the fast path were stricter


def test_a_large_archive_is_checked_in_worker_processes_with_the_same_report(
    run, archive, monkeypatch
):
    import newsarchive.verify as verify_module

    path = stored(run, archive)
    (path.parent / "0123456789abcdef.json").write_text('{"id": ', encoding="utf-8")
    serial = verify(Archive(archive))
    monkeypatch.setattr(verify_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(verify_module, "_CHUNK", 1)
    parallel = verify(Archive(archive))
    assert parallel.records == serial.records == 2
    assert [p.line() for p in parallel.problems] == [p.line() for p in serial.problems]


# Characters that make normalization interesting at token edges: letters, diacritics and
# tatweel (dropped), folded letters, invisible controls, presentation forms (one expands to
# four words under NFKC), and whitespace of several kinds.
_TRICKY = ("اأإآىةؤئکی" "بتثجحخ" "\u064b\u064e\u0650\u0651\u0652\u0670\u0640"
           "\u200b\u200c\u200f\u061c\ufeff\u00ad" "\ufdfa\ufefb\ufe8d\ufb50" "٣۴AbİZ"
           " \n\r\t\u00a0\u2003\x1c\x0b")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_TRICKY, max_size=40))
def test_match_words_equals_normalizing_the_whole_text(text):
    assert match_words(text) == " ".join(normalize(text).split())
