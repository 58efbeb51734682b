"""``newsarchive import``: JSON Lines of records into an archive, the archive's way.

The records here are made by the same function as ``ingest`` (``pipeline.file_record``), and
laid out as a Spark run writes them (``records/date=.../part-*.txt`` with ``_SUCCESS`` and
``.crc`` files beside). The Spark job's own output is imported in ``test_spark.py``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsarchive.entities.extract import EntityExtractor
from newsarchive.pipeline import file_record

PARAGRAPH = (
    "قال وزير الخارجية العراقي إن الحكومة في بغداد تعمل مع التحالف الدولي على محاربة "
    "تنظيم داعش، وإن المحادثات مع الولايات المتحدة تتناول الاقتصاد والأمن."
)


@pytest.fixture(scope="module")
def records() -> list[dict]:
    extractor = EntityExtractor.from_paths([], use_default=True)
    made = []
    for number, topic in enumerate(("النفط", "الانتخابات", "الزلزال", "الموازنة")):
        text = f"محادثات {topic} في بغداد رقم {number}\n\n{PARAGRAPH}\nوتابع الحديث عن {topic}.\n"
        record = file_record(text.encode(), f"/news/{number}.txt", [], extractor,
                             ingested_at=f"2021-03-0{number + 1}T10:00:00Z")  # fmt: skip
        made.append(record.to_dict())
    return made


def spark_output(root: Path, records: list[dict]) -> Path:
    """Records laid out as the Spark job writes them; returns the records folder."""
    folder = root / "out" / "records"
    for record in records:
        part = folder / f"date={record['ingested_at'][:10]}" / "part-00000-abc.c000.txt"
        part.parent.mkdir(parents=True, exist_ok=True)
        with part.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        (part.parent / ".part-00000-abc.c000.txt.crc").write_bytes(b"\x00crc")
    (folder / "_SUCCESS").write_text("")
    return folder


def test_import_stores_indexes_and_search_finds(run, tmp_path, archive, records):
    folder = spark_output(tmp_path, records)
    result = run("import", str(folder))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "4 stored, 0 duplicate, 0 failed"
    found = run("search", "الزلزال", "--json")
    hits = [json.loads(line) for line in found.output.splitlines()]
    assert [h["id"] for h in hits] == [records[2]["id"]]
    assert run("verify").exit_code == 0
    # The record file is the line as the job wrote it, filed under its date.
    stored = archive / "records" / "2021" / "03" / "03" / f"{records[2]['id']}.json"
    assert json.loads(stored.read_text(encoding="utf-8")) == records[2]


def test_import_again_is_all_duplicates(run, tmp_path, records):
    folder = spark_output(tmp_path, records)
    run("import", str(folder))
    result = run("import", "--quiet", str(folder))
    assert result.exit_code == 0 and result.output == ""
    again = run("import", str(folder))
    assert again.output.splitlines()[-1] == "0 stored, 4 duplicate, 0 failed"


def test_bad_lines_fail_alone_with_file_and_line(run, tmp_path, records):
    wrong_id = {**records[1], "id": "0123456789abcdef"}
    no_title = {k: v for k, v in records[2].items() if k != "title"}
    bad_offsets = json.loads(json.dumps(records[3]))
    bad_offsets["entities"][0]["start"] += 1
    lines = [
        json.dumps(records[0], ensure_ascii=False),
        "{not json",
        "[1, 2]",
        json.dumps(wrong_id, ensure_ascii=False),
        "",
        json.dumps(no_title, ensure_ascii=False),
        json.dumps(bad_offsets, ensure_ascii=False),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert [e.split(": ")[1] for e in errors] == [f"{path}:{n}" for n in (2, 3, 4, 6, 7)]
    assert "not valid JSON" in errors[0]
    assert "not a record" in errors[1]
    assert "(id)" in errors[2]
    assert "(schema)" in errors[3] and "title" in errors[3]
    assert "(offsets)" in errors[4]
    assert result.stdout.splitlines()[-1] == "1 stored, 0 duplicate, 5 failed"


def test_gzip_files_and_a_missing_path(run, tmp_path, records):
    packed = tmp_path / "records.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    result = run("import", str(tmp_path / "missing.jsonl"), str(packed))
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'missing.jsonl'}: no such file or directory" in result.stderr
    assert result.stdout.splitlines()[-1] == "4 stored, 0 duplicate, 1 failed"


def test_json_output_names_each_line(run, tmp_path, records):
    path = tmp_path / "two.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:2]), encoding="utf-8"
    )
    result = run("import", "--json", str(path))
    outcomes = [json.loads(line) for line in result.output.splitlines()]
    assert [(o["source"], o["status"], o["record_id"]) for o in outcomes] == [
        (f"{path}:1", "stored", records[0]["id"]),
        (f"{path}:2", "stored", records[1]["id"]),
    ]
