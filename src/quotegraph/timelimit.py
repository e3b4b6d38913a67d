"""A time limit on work in the calling thread: past it, ``TimeLimitExceeded`` is raised inside that work.

A timer thread hands the exception to the working thread (``PyThreadState_SetAsyncExc``), which
raises it at its next Python bytecode: inside any Python loop of the extraction stages, between
the parser's batches and pieces. Code running in C (one parser batch, one regular expression)
finishes first; the length limits bound that. A SIGALRM handler would do the same, but only in the
main thread, and articles are also analysed in the API's worker threads and on Dask's.

Whatever the limited block was doing is abandoned half-way, so it must hold only work that is thrown
away on failure (one article's analysis), never a database transaction, a spaCy memory zone being
opened or closed, or a cache being built on first use: keep those outside the ``with``.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(Exception):
    """The limited work ran past its time limit and was stopped."""


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Make ``thread_id`` raise ``exception`` at its next bytecode; ``None`` withdraws one not yet raised."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None
    )


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``TimeLimitExceeded`` in the ``with`` block when it runs longer than ``seconds`` (0: no limit).

    The exception can only surface inside the block or on its way out, never after the ``with``
    statement: the timer fires at most once, and leaving the block withdraws an exception it has
    handed over but the thread has not raised yet.
    """
    if seconds <= 0:
        yield
        return
    target, lock = threading.get_ident(), threading.Lock()
    armed = True

    def expire() -> None:
        nonlocal armed
        with lock:
            if armed:
                armed = False
                _raise_in(target, TimeLimitExceeded)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            fired, armed = not armed, False
        if fired:
            _raise_in(target, None)
