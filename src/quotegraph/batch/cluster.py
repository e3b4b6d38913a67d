"""The Dask cluster a batch runs on: a local one of single-threaded worker processes, or a running one."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from quotegraph.batch import LOCAL_WORKER_CONFIG

if TYPE_CHECKING:  # Dask loads when a batch runs, not for every command
    from distributed import Client


@contextmanager
def dask_client(
    workers: int | None, scheduler: str | None, *, dashboard: str = "127.0.0.1:0"
) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a local cluster of single-threaded worker processes
    whose dashboard listens at ``dashboard`` (this machine only, on a free port, unless told otherwise)."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    n_workers = workers or len(os.sched_getaffinity(0))
    with (
        dask.config.set(LOCAL_WORKER_CONFIG),
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=n_workers,
            threads_per_worker=1,  # spaCy is single-threaded: one process per core scales, threads do not
            processes=True,
            dashboard_address=dashboard,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client
