"""A small version of the bad-input corpus of benchmarks/robustness.py through `quotegraph ingest`.

Every category is there (binary, wrong encodings, empty, huge, deep HTML and JSON, gzip bombs,
damaged WARC, invalid JSONL, NUL bytes, bidi and zero-width text, quotation marks, odd names,
special files): each input must be read with exactly its text or recorded with its reason, and
the run must end as a run ends, not with a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quotegraph.serve.cli import main
from quotegraph.store import open_store
from robustness_inputs import MAX_FILE_BYTES, check, generate


def test_every_bad_input_is_read_right_or_recorded_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTEGRAPH_MAX_FILE_BYTES", str(MAX_FILE_BYTES))
    corpus = generate(tmp_path / "corpus", scale=0.05)
    db = tmp_path / "q.db"
    result = CliRunner().invoke(main, ["ingest", str(corpus.root), "--db", str(db)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 0, result.output
    with open_store(str(db)) as store:
        tallies = check(corpus, store)
    assert {category for category in tallies} >= {"binary", "encodings", "warc", "jsonl", "names", "special"}
    wrong = [problem for tally in tallies.values() for problem in tally.wrong]
    assert wrong == []
    assert sum(t.read_right for t in tallies.values()) > 50
    assert sum(t.failed_with_reason for t in tallies.values()) > 100
