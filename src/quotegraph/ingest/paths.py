"""The file system side of reading: which files a path names, opening only regular files, and
file names as text.

A folder is walked recursively in name order; hidden entries are skipped, and so are files of
other types (a folder of articles may hold images). What cannot be read is a failure with its
reason, never a silent skip or a hang: a symbolic link that loops or leads nowhere, a folder
link back into a folder being walked, a named pipe, socket or device with an article's suffix
(opened without blocking, then refused), a folder that cannot be listed.

A name that is not valid UTF-8 (bytes written by another system) is kept losslessly: in memory
Python holds it with ``surrogateescape``; as text (article ids, sources, failure records) it is
written by ``path_label``, which ``path_from_label`` reverses.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from quotegraph import settings
from quotegraph.errors import InputError
from quotegraph.model import IngestFailure

TEXT, HTML, JSONL, JSONL_GZ, WARC, WARC_GZ = ".txt", ".html", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz"
SUPPORTED = (TEXT, HTML, ".htm", JSONL, JSONL_GZ, WARC, WARC_GZ)
_LONGEST_FIRST = sorted(SUPPORTED, key=len, reverse=True)
# What a label escapes: a backslash before a backslash or "xHH" in a name stored as it is would
# read back as an escape, so such a name is escaped too.
_ESCAPE_LIKE = re.compile(r"\\(?:\\|x[0-9a-fA-F]{2})")
_ESCAPE = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")
_KINDS = [
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
]


def kind_of(path: Path) -> str | None:
    """The supported suffix a file name ends with (".jsonl.gz" before ".gz"), case-blind; else None."""
    name = path.name.lower()
    return next((suffix for suffix in _LONGEST_FIRST if name.endswith(suffix)), None)


def normal_suffix(suffix: str) -> str:
    return HTML if suffix == ".htm" else suffix


def path_label(path: str | Path) -> str:
    """A path as text that any store or terminal takes: the name itself when it is valid UTF-8
    (nearly always), else with each byte that is not as ``\\xHH`` and each backslash doubled."""
    raw = os.fsencode(path)
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        name = None
    if name is not None and not _ESCAPE_LIKE.search(name):
        return name
    escaped = (
        f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else "\\\\" if c == "\\" else c
        for c in raw.decode("utf-8", "surrogateescape")
    )
    return "".join(escaped)


def path_from_label(label: str) -> Path:
    """The path ``path_label`` wrote, byte for byte."""
    if not _ESCAPE_LIKE.search(label):
        return Path(label)

    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        return "\\" if code == "\\" else chr(0xDC00 + int(code[1:], 16))

    return Path(_ESCAPE.sub(unescape, label))


def printable(text: str) -> str:
    """Text without lone surrogates (a file name's bytes inside a message), which no store or
    terminal takes: each is written as its escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def input_files(paths: Iterable[str | Path]) -> Iterator[Path | IngestFailure]:
    """The files named by ``paths`` and found in its folders, or the failure of each one that is
    not there or not a regular file. A file given by name is always read; one found in a folder
    only when it has a supported suffix."""
    for given in paths:
        path = Path(given)
        try:
            info = path.stat()
        except OSError as exc:
            yield IngestFailure(path_label(path), _missing(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, frozenset({(info.st_dev, info.st_ino)}))
        elif not stat.S_ISREG(info.st_mode):
            yield IngestFailure(path_label(path), f"not a regular file ({_kind(info.st_mode)})")
        elif kind_of(path) is None:
            shown = printable(path.suffix) or "(no extension)"
            yield IngestFailure(
                path_label(path), f"unsupported file type {shown}: expected one of {', '.join(SUPPORTED)}"
            )
        else:
            yield path


def _walk(folder: Path, walking: frozenset[tuple[int, int]]) -> Iterator[Path | IngestFailure]:
    """``walking``: the folders from the top down to this one (device, inode), so a link to any of
    them is a loop, reported, while a link to a folder elsewhere is followed."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield IngestFailure(path_label(folder), f"cannot list the folder ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            info = path.stat()
        except OSError as exc:  # a link that loops or leads nowhere, whatever it was meant to name
            yield IngestFailure(path_label(path), _missing(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in walking:
                yield IngestFailure(
                    path_label(path), "a link back to a folder being read (a loop): not followed"
                )
            else:
                yield from _walk(path, walking | {key})
        elif kind_of(path) is None:
            continue
        elif stat.S_ISREG(info.st_mode):
            yield path
        else:
            yield IngestFailure(path_label(path), f"not a regular file ({_kind(info.st_mode)})")


def _missing(path: Path, exc: OSError) -> str:
    """Why a path that ``stat`` refused cannot be read: a dangling or looping link, or what the OS says."""
    if path.is_symlink():
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops (it leads back to itself)"
        return f"a dangling symbolic link (its target {path_label(os.readlink(path))} does not exist)"
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    return f"cannot read the file ({exc.strerror or exc})"


def _kind(mode: int) -> str:
    return next((kind for test, kind in _KINDS if test(mode)), "not a file")


def open_regular(path: Path) -> BinaryIO:
    """The file opened for reading, or InputError when it is not a regular file. Opened without
    blocking, so a named pipe put in the file's place after the folder was listed cannot hang the run."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError(_missing(path, exc)) from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputError(f"not a regular file ({_kind(mode)})")
    return os.fdopen(fd, "rb")


def read_limited(path: Path) -> bytes:
    """A file's bytes; InputError when it is larger than the ``max_file_bytes`` setting, found
    without reading more than that, so a huge file never fills memory."""
    limit = settings.get_int("max_file_bytes")
    with open_regular(path) as stream:
        data = stream.read(limit + 1)
        if len(data) > limit:
            size = os.fstat(stream.fileno()).st_size
            raise InputError(f"file too large ({max(size, len(data))} bytes, the limit is {limit})")
    return data
