"""The commands a user runs: Ctrl-C keeps what was finished, a failing article is reported and the rest
is written, ``--debug`` adds the traceback."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotegraph.serve.cli import main
from test_pipeline import ARTICLES, fail_dates_on_the_mark, write_articles

QUOTEGRAPH = str(Path(sys.executable).parent / "quotegraph")


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:  # not created yet, or the schema not yet there
        return 0


def test_ctrl_c_keeps_the_articles_finished_and_a_rerun_adds_the_rest(tmp_path: Path) -> None:
    lines = [
        {
            "id": f"a{n}",
            "text": f"“Line {n} reopens on Monday,” said Vera Lund, the transport chief, in Port {n}.",
        }
        for n in range(400)
    ]
    source = tmp_path / "news.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    db = tmp_path / "q.db"
    command = [QUOTEGRAPH, "ingest", str(source), "--db", str(db)]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while stored(db) < 1 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.2)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 130, out + err
    kept = stored(db)
    assert 1 <= kept < len(lines), "the interruption came too late to test anything"
    assert f"stored {kept} article(s)" in out
    assert "interrupted: the articles counted above are stored" in err
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"stored {len(lines) - kept} article(s), skipped {kept} duplicate(s)" in again.stdout
    assert stored(db) == len(lines)


def test_ingest_reports_a_failing_article_with_debug_and_stores_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_dates_on_the_mark(monkeypatch)
    source, db = write_articles(tmp_path / "in"), tmp_path / "q.db"
    result = CliRunner().invoke(main, ["ingest", str(source), "--db", str(db), "--debug"])
    assert result.exit_code == 0, result.output
    reported = " ".join(result.output.split())  # rich wraps long lines
    assert "stored 3 article(s), skipped 0 duplicate(s), failed 1" in reported
    assert f"failed: {source / 'bad.txt'}: analysis failed: ValueError: month must be in 1..12" in reported
    assert "Traceback (most recent call last)" in reported
    assert stored(db) == 3


def test_extract_writes_every_article_it_can_and_names_the_one_it_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTEGRAPH_MAX_ARTICLE_CHARS", str(max(map(len, ARTICLES.values())) - 1))
    longest = max(ARTICLES, key=lambda name: len(ARTICLES[name]))
    source = write_articles(tmp_path / "in")
    result = CliRunner().invoke(main, ["extract", str(source)])
    assert result.exit_code == 0, result.output
    written = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert sorted(written) == sorted(str(source / name) for name in ARTICLES if name != longest)
    reported = " ".join(result.stderr.split())  # rich wraps long lines
    assert f"failed: {source / longest}: " in reported and "max_article_chars" in reported
