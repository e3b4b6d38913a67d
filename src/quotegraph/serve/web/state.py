"""What the app keeps between requests: a pool of stores, one per request thread at a time, and what
was read from the whole database until the data changes.

Handlers are plain functions that FastAPI runs in its thread pool, so a slow query never holds up
the event loop; each takes a store of its own from the pool, so no connection is used by two
threads at once, and reads run side by side (SQLite in WAL mode, a PostgreSQL connection each).
"""

from __future__ import annotations

import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from quotegraph.store import Store, open_store

T = TypeVar("T")
POOL_SIZE = 8  # stores open at most: one per request running at once, the rest wait their turn


class StorePool:
    """Stores on one database, opened when first needed, handed to one thread at a time."""

    def __init__(self, db: str, *, writing: bool, size: int = POOL_SIZE) -> None:
        self.db = db
        # The first store checks the database as the app starts: a missing file (reading) or a
        # damaged one (ingest on) is an error now, not on the first request.
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._idle.put(open_store(db, create=writing, check=writing))
        self._slots = threading.BoundedSemaphore(size)

    @contextmanager
    def store(self) -> Iterator[Store]:
        with self._slots:
            try:
                store = self._idle.get_nowait()
            except queue.Empty:
                store = open_store(self.db, create=False)
            try:
                yield store
            finally:
                self._idle.put(store)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


class Snapshot:
    """Values computed from the whole database (speakers, relays, places, facet counts...), kept
    until the store's ``version()`` changes, and at most ``seconds`` (another process's write may
    commit ids below the newest seen, which the version does not show); the ``size`` most recent keys."""

    def __init__(self, *, seconds: float = 600.0, size: int = 2048) -> None:
        self.seconds = seconds
        self.size = size
        self._lock = threading.Lock()
        self._version: tuple[object, ...] | None = None
        self._since = 0.0
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._computing: dict[tuple[object, Hashable], threading.Lock] = {}

    def get(self, store: Store, key: Hashable, compute: Callable[[], T]) -> T:
        """The value under ``key``, computed by one request at a time: others asking for it meanwhile
        wait for that one instead of computing it again side by side."""
        version = store.version()
        with self._lock:
            if version != self._version or time.monotonic() - self._since > self.seconds:
                self._values.clear()
                self._version, self._since = version, time.monotonic()
            if key in self._values:
                self._values.move_to_end(key)
                found: T = self._values[key]
                return found
            computing = self._computing.setdefault((version, key), threading.Lock())
        with computing:
            with self._lock:
                if self._version == version and key in self._values:
                    done: T = self._values[key]
                    return done
            value = compute()
            with self._lock:
                if self._version == version:
                    self._values[key] = value
                    while len(self._values) > self.size:
                        self._values.popitem(last=False)
                self._computing.pop((version, key), None)
        return value
