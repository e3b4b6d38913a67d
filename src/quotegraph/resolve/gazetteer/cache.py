"""The built gazetteer kept on disk, so that a process loads it in a fraction of a second instead of
building it (seconds of CPU and hundreds of megabytes) from its source packages.

The file is named for what it was built from: the versions of the source packages and of NumPy and
SciPy (which compute the centres), and the gazetteer's own code. Any change there gives a new name,
so the index is rebuilt on first use after an upgrade, and older files are removed. A build is
written to a temporary file and renamed into place, under a lock so that processes starting together
(Dask workers) build it once and the others wait and read it. A folder that cannot be written, or
a file that cannot be read, costs a build in memory, never a failure.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import mmap
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

from quotegraph import settings
from quotegraph.resolve.gazetteer.index import Gazetteer, from_arrays, to_arrays
from quotegraph.resolve.gazetteer.packages import versions

try:
    import fcntl
except ImportError:  # Windows: two processes may both build; the rename keeps the file whole
    fcntl = None  # type: ignore[assignment]

_LOG = logging.getLogger(__name__)
# The code that makes the file and reads it
_BUILDER = ("sources.py", "geometry.py", "index.py", "packages.py", "cache.py")
_PREFIX = "gazetteer-"
_SUFFIX = ".arrays"
_MAGIC = b"quotegraph gazetteer 1\n"
_ALIGN = 64
# Unreadable, cut short, or not the arrays ``index.to_arrays`` wrote: rebuild
_DAMAGED = (OSError, ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError)


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer, read from the cache folder (the ``cache_dir`` setting) and built there on first
    use; kept for the process."""
    return cached_gazetteer(Path(settings.get("cache_dir")))


def _from_sources() -> Gazetteer:
    """A build: its packages are imported only here, never by a process that reads the file."""
    from quotegraph.resolve.gazetteer.sources import build_gazetteer

    return build_gazetteer()


def cached_gazetteer(
    folder: Path, build: Callable[[], Gazetteer] = _from_sources, key: str | None = None
) -> Gazetteer:
    """The gazetteer stored in ``folder`` under ``key`` (by default ``cache_key()``), built with
    ``build`` and stored there when it is missing or damaged."""
    path = folder / f"{_PREFIX}{key or cache_key()}{_SUFFIX}"
    if (found := _read(path)) is not None:
        return found
    gaz = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder):
            if (found := _read(path)) is not None:
                return found  # built by another process while this one waited
            _remove_partial(folder)
            gaz = build()
            _write(gaz, path)
    except OSError as exc:
        _LOG.warning("cannot keep the gazetteer in %s (%s): it is built for this process only", folder, exc)
        return gaz or build()
    _remove_others(folder, path)
    return gaz


def cache_key() -> str:
    """A digest of what the gazetteer is built with: the packages' versions and the code of this
    package that builds and stores it."""
    digest = hashlib.sha256(json.dumps(versions(), sort_keys=True).encode())
    for module in _BUILDER:
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()[:16]


def _read(path: Path) -> Gazetteer | None:
    try:
        return from_arrays(_mapped_arrays(path))
    except FileNotFoundError:
        return None
    except _DAMAGED as exc:
        _LOG.warning("the stored gazetteer %s cannot be read (%s): building it again", path, exc)
        return None


def _write(gaz: Gazetteer, path: Path) -> None:
    """Write to a temporary file beside ``path``, then rename: readers see the whole file or none."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            _write_arrays(out, to_arrays(gaz))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _write_arrays(out: BinaryIO, arrays: dict[str, np.ndarray]) -> None:
    """The file: a magic line, the length of a JSON header (name -> dtype, length, offset), the
    header, then each array's bytes at an offset aligned for its type."""
    header, offset = {}, 0
    for name, array in arrays.items():
        offset = -(-offset // _ALIGN) * _ALIGN
        header[name] = (array.dtype.str, len(array), offset)
        offset += array.nbytes
    encoded = json.dumps(header).encode()
    start = -(-(len(_MAGIC) + 8 + len(encoded)) // _ALIGN) * _ALIGN
    out.write(_MAGIC + len(encoded).to_bytes(8, "little") + encoded)
    for name, array in arrays.items():
        out.write(b"\0" * (start + header[name][2] - out.tell()))
        out.write(np.ascontiguousarray(array).tobytes())


def _mapped_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays ``_write_arrays`` wrote, as read-only views of the file mapped into memory: pages
    are read when used, and processes on one machine share them."""
    with path.open("rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    if mapped[: len(_MAGIC)] != _MAGIC:
        raise ValueError("not a quotegraph gazetteer file")
    length = int.from_bytes(mapped[len(_MAGIC) : len(_MAGIC) + 8], "little")
    start = len(_MAGIC) + 8
    header = json.loads(mapped[start : start + length])
    data = -(-(start + length) // _ALIGN) * _ALIGN
    return {
        name: np.frombuffer(mapped, dtype=np.dtype(dtype), count=count, offset=data + offset)
        for name, (dtype, count, offset) in header.items()
    }


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Held by one process at a time (an advisory lock on a file in ``folder``)."""
    with open(folder / f"{_PREFIX}build.lock", "a") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _remove_partial(folder: Path) -> None:
    """Temporary files of builds that were killed (under the lock, no other build is writing)."""
    if fcntl is not None:
        for path in folder.glob(f".{_PREFIX}*.tmp"):
            with contextlib.suppress(OSError):
                path.unlink()


def _remove_others(folder: Path, kept: Path) -> None:
    """Gazetteers built from other versions (a process still using one keeps its mapping of it)."""
    for path in folder.glob(f"{_PREFIX}*{_SUFFIX}"):
        if path != kept:
            with contextlib.suppress(OSError):
                path.unlink()
