"""A whole ingest run: what cannot be parsed is recorded and the run goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotegraph.jobs import ingest_paths
from quotegraph.store import SQLiteStore


def test_a_text_longer_than_the_article_limit_is_recorded_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 10_000
    monkeypatch.setenv("QUOTEGRAPH_MAX_ARTICLE_CHARS", str(limit))
    (tmp_path / "huge.txt").write_text("The council met. " * (limit // 17 + 1), encoding="utf-8")
    (tmp_path / "small.txt").write_text('"We will reopen the library," said Ana Ruiz.', encoding="utf-8")
    with SQLiteStore(":memory:") as store:
        summary = ingest_paths([tmp_path], store)
        assert summary.stored == 1
        assert [f.source for f in summary.failures] == [str(tmp_path / "huge.txt")]
        assert "more than the limit of 10,000 (the max_article_chars setting)" in summary.failures[0].reason
        assert store.failures() == summary.failures
        assert [row.speaker for row in store.quotes()] == ["Ana Ruiz"]
