"""Finished shards of a batch run into a database, idempotently (content already stored is skipped)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quotegraph.batch.runner import FAILURES, MANIFEST
from quotegraph.batch.shards import read_failures, read_shard
from quotegraph.errors import QuotegraphError
from quotegraph.model import IngestFailure
from quotegraph.store import Store


@dataclass(slots=True)
class LoadSummary:
    shards: int = 0
    stored: int = 0
    already_stored: int = 0
    failures: int = 0


def load_batch(
    out: str | Path, store: Store, *, on_article: Callable[[int], None] | None = None
) -> LoadSummary:
    """Every finished shard under ``out`` (in shard order) and the recorded failures into ``store``."""
    out = Path(out)
    if not (out / MANIFEST).is_file():
        raise QuotegraphError(f"{out} is not the output of `quotegraph batch` (no {MANIFEST})")
    summary = LoadSummary()
    for folder in sorted(p for p in (out / "shards").iterdir() if p.is_dir() and p.name.isdigit()):
        summary.shards += 1
        for article in read_shard(folder):
            if store.add_article(article):
                summary.stored += 1
            else:
                summary.already_stored += 1
            if on_article is not None:
                on_article(summary.stored + summary.already_stored)
        for failure in read_failures(folder):
            store.add_failure(failure)
            summary.failures += 1
    if (out / FAILURES).is_file():
        with (out / FAILURES).open(encoding="utf-8") as lines:
            for line in lines:
                store.add_failure(IngestFailure(**json.loads(line)))
                summary.failures += 1
    return summary
