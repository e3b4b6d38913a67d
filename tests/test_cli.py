"""The command line, in process with click's CliRunner: each command as the README documents it.

The CLI is imported by a fixture rather than at the top, so that while a stage it needs (ingest,
store) is still being written each test fails on its own with the ImportError instead of the
whole session stopping at collection.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
LIBRARY_ID = "eastmoor-library-2024-05-11"


@pytest.fixture(scope="module")
def cli() -> click.Group:
    from quotegraph.serve.cli import main

    return main


def example_count() -> int:
    """Articles in examples/: one per .txt and .html file, one per line of each .jsonl file."""
    count = 0
    for path in EXAMPLES.iterdir():
        if path.suffix in (".txt", ".html"):
            count += 1
        elif path.suffix == ".jsonl":
            count += sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return count


def run(cli: click.Group, *args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash, not a reported error: show its traceback
    return result


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def db(cli: click.Group, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database holding the examples/ folder, ingested once."""
    path = str(tmp_path_factory.mktemp("db") / "examples.db")
    result = run(cli, "ingest", str(EXAMPLES), "--db", path)
    assert result.exit_code == 0, result.output
    return path


# --- extract and evaluate: no database -----------------------------------------------------


def test_extract_prints_one_json_line_per_article(cli: click.Group, tmp_path: Path) -> None:
    records = [
        {"id": "okafor", "text": '"We will not leave," said Amina Okafor.'},
        {
            "id": "sorensen",
            "text": "Lena Sorensen told reporters that the hospital had hired 30 agency nurses.",
        },
    ]
    result = run(cli, "extract", str(write_jsonl(tmp_path / "in.jsonl", records)), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [line["id"] for line in lines] == ["okafor", "sorensen"]
    texts = {r["id"]: r["text"] for r in records}
    for line in lines:
        text = texts[line["id"]]
        assert line["quotes"], line
        for quote in line["quotes"]:
            start, end = quote["content"]
            assert 0 <= start < end <= len(text)
            assert set(quote) >= {"content", "kind", "speaker", "speaker_mention", "cue"}
    okafor = lines[0]["quotes"][0]
    assert texts["okafor"][okafor["content"][0] : okafor["content"][1]].strip(' ,."') == "We will not leave"
    assert okafor["speaker"] == "Amina Okafor"


def test_extract_gives_every_record_in_the_scorers_formats(cli: click.Group, tmp_path: Path) -> None:
    text = 'Russian officials arrived in Kabul on May 3, 2023. "We are ready," said Grace Otieno.'
    records = [{"id": "kabul", "text": text, "published": "2023-05-10"}]
    result = run(cli, "extract", str(write_jsonl(tmp_path / "in.jsonl", records)))
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert set(line) == {"id", "quotes", "entities", "dates", "places", "events"}
    assert line["entities"]["Grace Otieno"] == "person"
    assert [(text[slice(*d["span"])], d["value"]) for d in line["dates"]] == [("May 3, 2023", "2023-05-03")]
    places = {text[slice(*p["span"])]: p for p in line["places"]}
    assert places["Kabul"]["country"] == "AF" and "demonym" not in places["Kabul"]
    assert places["Russian"]["country"] == "RU" and places["Russian"]["demonym"] is True
    assert all({"span", "lat", "lon"} <= set(p) for p in line["places"])  # what score_places.py reads


def test_extract_gives_events_in_the_event_scorers_format(cli: click.Group, tmp_path: Path) -> None:
    text = "Police arrested 15 protesters in Nairobi on Tuesday."
    records = [{"id": "arrests", "text": text, "published": "2023-05-10"}]
    result = run(cli, "extract", str(write_jsonl(tmp_path / "in.jsonl", records)), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    [line] = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    [event] = line["events"]
    assert event["type"] == "COERCE" and event["acled"] == "Protests / Protest with intervention"
    assert text[slice(*event["trigger"])] == "arrested" and event["size"] == 15
    assert event["actor1"] == "Police" and event["date"] == "2023-05-09" and event["modality"] == "happened"


def test_evaluate_prints_f1_lines(cli: click.Group, tmp_path: Path) -> None:
    text = '"We will not leave," said Amina Okafor. Maria Lind said the budget was final.'
    leave = [text.index("We"), text.index(",")]
    budget = [text.index("the budget"), text.index("final") + len("final")]
    gold = {
        "id": "a1",
        "text": text,
        "quotes": [
            {
                "content": leave,
                "kind": "direct",
                "speaker": "Amina Okafor",
                "speaker_mention": None,
                "cue": None,
            },
            {
                "content": budget,
                "kind": "indirect",
                "speaker": "Maria Lind",
                "speaker_mention": None,
                "cue": None,
            },
        ],
    }
    pred = {"id": "a1", "quotes": [{"content": leave, "kind": "direct", "speaker": "Okafor"}]}
    gold_path = write_jsonl(tmp_path / "gold.jsonl", [gold])
    pred_path = write_jsonl(tmp_path / "pred.jsonl", [pred])
    result = run(cli, "evaluate", str(gold_path), "--pred", str(pred_path))
    assert result.exit_code == 0, result.output
    # one of two gold quotes found, with its speaker (a surname counts): P 1, R 0.5, F1 2/3
    assert 'quote: {"precision": 1.0, "recall": 0.5, "f1": 0.6667}' in result.output
    assert "attributed-quote F1: 0.6667  resolved-speaker F1: 0.6667" in result.output


# --- ingest and the database -----------------------------------------------------------------


def test_quotes_json_lists_speakers_and_text(cli: click.Group, db: str) -> None:
    result = run(cli, "quotes", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and len(rows) >= 20
    for row in rows:
        assert "speaker" in row and row["text"].strip()
    speakers = {row["speaker"] for row in rows}
    assert {"Amina Okafor", "Beatrice Mwangi", "Lena Sorensen"} <= speakers


def test_quotes_filtered_by_surname(cli: click.Group, db: str) -> None:
    result = run(cli, "quotes", "--db", db, "--speaker", "Mwangi", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows
    assert all("Mwangi" in row["speaker"] for row in rows)
    assert any("forty local musicians" in row["text"] for row in rows)


def test_speakers_lists_names(cli: click.Group, db: str) -> None:
    result = run(cli, "speakers", "--db", db)
    assert result.exit_code == 0, result.output
    for surname in ("Okafor", "Mwangi", "Sorensen", "Delorme"):
        assert surname in result.output


def test_show_prints_the_article_text(cli: click.Group, db: str) -> None:
    result = run(cli, "show", LIBRARY_ID, "--db", db)
    assert result.exit_code == 0, result.output
    printed = " ".join(result.stdout.split())
    assert "reopened on Saturday after an 18-month renovation" in printed
    assert "Samuel Adeyemi" in printed


def test_show_unknown_article_is_an_error(cli: click.Group, db: str) -> None:
    result = run(cli, "show", "no-such-article", "--db", db)
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_ingest_twice_stores_nothing_new(cli: click.Group, tmp_path: Path) -> None:
    path = str(tmp_path / "twice.db")
    first = run(cli, "ingest", str(EXAMPLES), "--db", path)
    assert first.exit_code == 0, first.output
    assert f"stored {example_count()} article(s)" in first.output
    second = run(cli, "ingest", str(EXAMPLES), "--db", path)
    assert second.exit_code == 0, second.output
    assert "stored 0 article(s)" in second.output
    assert f"skipped {example_count()} duplicate(s)" in second.output


def test_ingest_reports_bad_files_and_goes_on(cli: click.Group, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(EXAMPLES / "northbridge_budget.txt", folder)
    (folder / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    result = run(cli, "ingest", str(folder), "--db", str(tmp_path / "mixed.db"))
    assert result.exit_code == 0, result.output
    assert "stored 1 article(s)" in result.output
    assert "failed 2" in result.output
    assert "scan.txt" in result.output and "empty.txt" in result.output
    assert "Traceback" not in result.output


def test_ingest_of_only_bad_files_fails_cleanly(cli: click.Group, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "scan.txt").write_bytes(b"\x00\x01\x02\x03" * 512)
    (folder / "empty.txt").write_bytes(b"")
    result = run(cli, "ingest", str(folder), "--db", str(tmp_path / "bad.db"))
    assert result.exit_code != 0
    assert "scan.txt" in result.output and "empty.txt" in result.output
    assert "Traceback" not in result.output
