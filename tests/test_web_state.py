"""What the web app keeps between requests: sums computed once per change of the data, by one request
at a time, and a pool that never hands one store to two threads."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, cast

from quotegraph.serve.web.state import Snapshot, StorePool
from quotegraph.store import Store, open_store


class Versioned:
    """A stand-in for a store: only version() matters to the snapshot."""

    def __init__(self) -> None:
        self.current = 1

    def version(self) -> tuple[object, ...]:
        return (self.current,)


def test_a_sum_is_computed_once_until_the_data_changes() -> None:
    store, snapshot, calls = Versioned(), Snapshot(), []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert snapshot.get(cast(Store, store), "speakers", compute) == 1
    assert snapshot.get(cast(Store, store), "speakers", compute) == 1
    store.current = 2  # an article stored
    assert snapshot.get(cast(Store, store), "speakers", compute) == 2
    assert Snapshot(seconds=0).get(cast(Store, store), "x", compute) == 3  # too old: again


def test_requests_asking_at_once_wait_for_one_computation() -> None:
    store, snapshot, calls = Versioned(), Snapshot(), []
    results: list[Any] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    threads = [
        threading.Thread(target=lambda: results.append(snapshot.get(cast(Store, store), "k", slow)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8 and len(calls) == 1


def test_the_pool_hands_each_thread_a_store_of_its_own(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    open_store(db).close()
    pool = StorePool(db, writing=False, size=3)
    held: list[int] = []
    lock = threading.Lock()

    def use() -> None:
        with pool.store() as store:
            with lock:
                held.append(id(store))
            time.sleep(0.1)
            store.articles_count()

    threads = [threading.Thread(target=use) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(held) == 6 and len(set(held)) <= 3  # at most three open, each reused
    pool.close()
