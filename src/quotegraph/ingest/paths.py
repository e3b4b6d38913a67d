"""The file system side of reading: which files a path names, and their bytes within the limit.

A folder is walked recursively in name order; hidden entries and linked folders (which could
loop) are skipped, and so are files of other types (a folder of articles may hold images).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from quotegraph import settings
from quotegraph.errors import InputError
from quotegraph.model import IngestFailure

TEXT, HTML, JSONL, JSONL_GZ, WARC, WARC_GZ = ".txt", ".html", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz"
SUPPORTED = (TEXT, HTML, ".htm", JSONL, JSONL_GZ, WARC, WARC_GZ)
_LONGEST_FIRST = sorted(SUPPORTED, key=len, reverse=True)


def kind_of(path: Path) -> str | None:
    """The supported suffix a file name ends with (".jsonl.gz" before ".gz"), case-blind; else None."""
    name = path.name.lower()
    return next((suffix for suffix in _LONGEST_FIRST if name.endswith(suffix)), None)


def normal_suffix(suffix: str) -> str:
    return HTML if suffix == ".htm" else suffix


def input_files(paths: Iterable[str | Path]) -> Iterator[Path | IngestFailure]:
    """The files named by ``paths`` and found in its folders, or the failure of each one that is
    not there. A file given by name must have a supported suffix, as must one found in a folder,
    where the others are skipped."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            if kind_of(path) is None:
                kind = path.suffix or "(no extension)"
                yield IngestFailure(
                    str(path), f"unsupported file type {kind}: expected one of {', '.join(SUPPORTED)}"
                )
            else:
                yield path
        elif path.exists():
            yield IngestFailure(str(path), "not a regular file or folder")
        else:
            yield IngestFailure(str(path), "no such file or folder")


def _walk(folder: Path) -> Iterator[Path | IngestFailure]:
    """A folder's files with a supported suffix; a folder that cannot be listed is a failure, not an end."""
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        yield IngestFailure(str(folder), f"cannot list the folder ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            yield from _walk(entry)
        elif entry.is_file() and kind_of(entry) is not None:
            yield entry


def read_limited(path: Path) -> bytes:
    """A file's bytes; InputError before reading when it is larger than the ``max_file_bytes``
    setting, so a huge file never fills memory."""
    limit = settings.get_int("max_file_bytes")
    size = path.stat().st_size
    if size > limit:
        raise InputError(f"file too large ({size} bytes, the limit is {limit})")
    return path.read_bytes()
