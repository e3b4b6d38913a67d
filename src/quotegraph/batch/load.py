"""Finished shards of a batch run into a database, idempotently (content already stored is skipped).

Copies (duplicates that were not processed) are linked to their article once its shard is loaded;
a copy of an article in an unfinished shard is linked by the load after the run finishes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from quotegraph.batch.runner import COPIES, FAILURES, MANIFEST
from quotegraph.batch.shards import read_failures, read_shard
from quotegraph.errors import QuotegraphError
from quotegraph.model import IngestFailure
from quotegraph.store import Store
from quotegraph.store.base import ArticleCopy

_COPIES_PER_CALL = 10_000


@dataclass(slots=True)
class LoadSummary:
    shards: int = 0
    stored: int = 0
    already_stored: int = 0
    copies: int = 0  # newly linked
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
    if (out / COPIES).is_file():  # after the shards: a copy links to an article that must be stored
        for group in pq.ParquetFile(out / COPIES).iter_batches(batch_size=_COPIES_PER_CALL):
            found = [ArticleCopy(**row) for row in group.to_pylist()]
            summary.copies += store.add_copies([c for c in found if store.has_article(c.of)])
    if (out / FAILURES).is_file():
        with (out / FAILURES).open(encoding="utf-8") as lines:
            for line in lines:
                store.add_failure(IngestFailure(**json.loads(line)))
                summary.failures += 1
    return summary
