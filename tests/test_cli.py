"""The command line, through click's runner: ingest, search, show, list, entities, reindex."""

import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO, SEED

SCHEMA = json.loads((REPO / "newsarchive" / "data" / "record.schema.json").read_text())


def records(archive: Path) -> list[dict]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(archive.rglob("records/**/*.json"))
    ]


def test_ingest_stores_a_valid_record_with_exact_entity_offsets(run, archive):
    result = run("ingest", str(SEED))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("stored")
    assert "1 stored, 0 duplicate, 0 failed" in result.output
    [record] = records(archive)
    jsonschema.validate(record, SCHEMA)
    assert record["title"].startswith("التحالف الدولي: محاربة «داعش»")
    assert "الحجم الطبيعي" not in record["text"] and not record["text"].endswith("Email")
    assert record["encoding"] == "utf-8" and record["language"] == "ar"
    for mention in record["entities"]:
        assert record[mention["field"]][mention["start"] : mention["end"]] == mention["surface"]
    assert record["entity_counts"]["loc:iq"] == 5
    date = record["ingested_at"][:10].split("-")
    assert (archive / "records" / Path(*date) / f"{record['id']}.json").is_file()


def test_reingest_is_a_duplicate_even_in_another_encoding(run, archive, tmp_path):
    assert run("ingest", str(SEED)).exit_code == 0
    legacy = tmp_path / "seed-1256.txt"
    legacy.write_bytes(SEED.read_text(encoding="utf-8").encode("windows-1256", "replace"))
    result = run("ingest", str(SEED), str(legacy))
    assert result.exit_code == 0
    assert result.output.count("duplicate ") == 2
    assert len(records(archive)) == 1


def test_a_failed_input_does_not_stop_the_batch(run, archive, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("ingest", str(tmp_path / "missing.txt"), str(empty), str(SEED))
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2 and all(line.startswith("error: ") for line in errors)
    assert "missing.txt" in errors[0]
    assert "1 stored, 0 duplicate, 2 failed" in result.stdout
    assert len(records(archive)) == 1


def test_ingest_json_and_quiet_output(run, tmp_path):
    lines = run("ingest", "--json", str(SEED), str(tmp_path / "nope.txt")).stdout.splitlines()
    outcomes = [json.loads(line) for line in lines]
    assert [o["status"] for o in outcomes] == ["stored", "failed"]
    assert outcomes[0]["record_id"] and outcomes[1]["error"]
    quiet = run("ingest", "--quiet", str(SEED))
    assert quiet.exit_code == 0 and quiet.output == ""


def test_ingest_directory_with_glob_and_stdin(run, archive, tmp_path):
    folder = tmp_path / "in" / "sub"
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder / "a.txt")
    (folder / "b.md").write_text("عنوان\n\nنص عن سوريا", encoding="utf-8")
    assert "1 stored" in run("ingest", str(tmp_path / "in")).output
    assert "1 stored" in run("ingest", "--glob", "*.md", str(tmp_path / "in")).output
    piped = run("ingest", "-", input="خبر من بيروت\n\nوصل الوفد إلى لبنان اليوم".encode())
    assert "1 stored" in piped.output
    assert len(records(archive)) == 3


def test_usage_and_config_errors_exit_2(run, tmp_path):
    assert run("ingest").exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("search:\n  limit: lots\n", encoding="utf-8")
    result = run("--config", str(bad), "ingest", str(SEED))
    assert result.exit_code == 2
    assert "bad.yaml:2" in result.stderr


def test_bad_user_gazetteer_exits_2_naming_file_and_line(run, tmp_path):
    gazetteer = tmp_path / "mine.tsv"
    gazetteer.write_text("id\ttype\tname\taliases\nper:x\tPERSON\tفلان\t\n", encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(f"entities:\n  gazetteers: [{gazetteer}]\n", encoding="utf-8")
    result = run("--config", str(config), "ingest", str(SEED))
    assert result.exit_code == 2
    assert "mine.tsv:2" in result.stderr


def test_user_gazetteer_adds_entities(run, archive, tmp_path):
    gazetteer = tmp_path / "mine.tsv"
    gazetteer.write_text(
        "id\ttype\tname\taliases\norg:strategic\tMISC\tالحوار الاستراتيجي\t\n", encoding="utf-8"
    )
    config = tmp_path / "c.yaml"
    config.write_text(f"entities:\n  gazetteers: [{gazetteer}]\n", encoding="utf-8")
    assert run("--config", str(config), "ingest", str(SEED)).exit_code == 0
    assert records(archive)[0]["entity_counts"]["org:strategic"] == 1


@pytest.fixture
def filled(run, archive, tmp_path):
    """An archive with the seed and two short articles of known dates (HTML with metadata)."""
    page = tmp_path / "page.html"
    page.write_text(
        """<html lang="ar"><head><title>زيارة إلى دمشق</title>
        <meta property="article:published_time" content="2021-03-04T10:00:00Z"></head>
        <body><article><h1>زيارة إلى دمشق</h1><p>وصل وفد إلى سوريا أمس لبحث الأزمة مع المسؤولين.</p>
        </article></body></html>""",
        encoding="utf-8",
    )
    other = tmp_path / "other.txt"
    other.write_text("الاقتصاد العراقي\n\nنمت الصادرات العراقية هذا العام", encoding="utf-8")
    assert run("ingest", str(SEED), str(page), str(other)).exit_code == 0
    return archive


def search_ids(run, *args) -> list[str]:
    result = run("search", "--json", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line)["title"] for line in result.stdout.splitlines()]


def test_search_is_arabic_aware(run, filled):
    [seed_title] = [r["title"] for r in records(filled) if r["title"].startswith("التحالف")]
    assert len(search_ids(run, "العراق")) == 1  # not "العراقي"/"العراقية" of the other article
    assert search_ids(run, "امريكا") == search_ids(run, "أمريكا") != []
    assert search_ids(run, "سُورِيَا") == search_ids(run, "سوريا")
    assert len(search_ids(run, "سوريا")) == 2
    assert search_ids(run, "سوريا", "دمشق") == ["زيارة إلى دمشق"]
    assert search_ids(run, '"التحالف الدولي"') == [seed_title]
    assert search_ids(run, '"الدولي التحالف"') == []


def test_search_filters(run, filled):
    assert search_ids(run, "--entity", "داعش") and len(search_ids(run, "--entity", "داعش")) == 1
    assert search_ids(run, "--since", "2021-03-04", "--until", "2021-03-04") == ["زيارة إلى دمشق"]
    assert search_ids(run, "سوريا", "--until", "2021-12-31") == ["زيارة إلى دمشق"]
    assert len(search_ids(run, "--type", "PER")) == 1
    unknown = run("search", "--entity", "لا أحد")
    assert unknown.exit_code == 1 and "no entity" in unknown.stderr
    assert run("search").exit_code == 2


def test_search_output_marks_the_match(run, filled):
    result = run("search", "بالعراق")
    assert result.exit_code == 0
    assert "[العراق]" in result.stdout or "[بالعراق]" in result.stdout


def test_show_list_entities(run, filled):
    listing = run("list").stdout.splitlines()
    assert len(listing) == 3
    record_id = json.loads(run("list", "--json").stdout.splitlines()[0])["id"]
    shown = run("show", record_id[:6])
    assert shown.exit_code == 0 and record_id in shown.stdout
    raw = json.loads(run("show", "--json", record_id).stdout)
    assert raw["id"] == record_id
    assert run("show", "ffffffffffff").exit_code == 1
    top = [
        json.loads(line) for line in run("entities", "--json", "--type", "LOC").stdout.splitlines()
    ]
    assert top[0]["id"] == "loc:iq" and top[0]["mentions"] == 5
    assert all(row["type"] == "LOC" for row in top)


def test_records_are_the_truth_reindex_rebuilds_the_rest(run, filled):
    before = search_ids(run, "سوريا")
    shutil.rmtree(filled / "index")
    (filled / "catalog.sqlite").unlink()
    result = run("reindex")
    assert result.exit_code == 0 and "reindexed 3 records" in result.stdout
    assert search_ids(run, "سوريا") == before
    shutil.rmtree(filled / "index")  # and without reindex: rebuilt when found missing
    (filled / "catalog.sqlite").unlink()
    assert search_ids(run, "سوريا") == before


def test_end_to_end_as_a_real_subprocess(tmp_path):
    """The installed entry point, in a fresh process, as cron would run it."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "NEWSARCHIVE_ARCHIVE": str(tmp_path / "a"),
    }
    command = [sys.executable, "-m", "newsarchive"]
    ingest = subprocess.run(
        [*command, "ingest", str(SEED)], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert ingest.returncode == 0, ingest.stderr
    again = subprocess.run(
        [*command, "ingest", str(SEED)], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert again.returncode == 0 and again.stdout.startswith("duplicate")
    found = subprocess.run(
        [*command, "search", "كركوك"], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert found.returncode == 0 and "[كركوك]" in found.stdout
    missing = subprocess.run(
        [*command, "ingest", "/nonexistent"], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1


def test_ingest_jobs_keeps_input_order_and_makes_the_same_records(run, tmp_path):
    inputs = tmp_path / "many"
    inputs.mkdir()
    for i in range(12):
        (inputs / f"{i:02d}.txt").write_text(f"عنوان الخبر {i}\n\nنص الخبر عن العراق رقم {i}.\n",
                                             encoding="utf-8")
    (inputs / "05.txt").write_bytes(b"\x89PNG\r\n\x1a\n")  # a failed input in the middle
    outputs = {}
    for jobs in ("1", "2"):
        archive = tmp_path / f"archive{jobs}"
        result = run("--archive", str(archive), "ingest", "--json", "--jobs", jobs, str(inputs))
        assert result.exit_code == 1  # the failed input
        outputs[jobs] = [json.loads(line) for line in result.stdout.splitlines()]
        assert [Path(o["source"]).name for o in outputs[jobs]] == sorted(
            p.name for p in inputs.iterdir())
    assert outputs["1"] == outputs["2"]  # same ids, paths, entity counts, errors
    assert [o["status"] for o in outputs["2"]].count("failed") == 1
    assert run("ingest", "--jobs", "0", str(inputs)).exit_code == 2


def test_ingest_freezes_the_loaded_gazetteer_out_of_the_collectors_reach(run, tmp_path):
    # cli._entity_extractor: no full collection walks the compiled gazetteer while tagging
    # (conftest's collector_unfrozen gives the objects back after the test).
    gc.unfreeze()
    article = tmp_path / "a.txt"
    article.write_text("عنوان\n\nزار الرئيس العراق.", encoding="utf-8")
    assert gc.get_freeze_count() == 0
    result = run("ingest", "--quiet", str(article))
    assert result.exit_code == 0
    assert gc.get_freeze_count() > 0
