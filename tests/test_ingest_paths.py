"""The file system side of reading: special files, links and file names that are not UTF-8.

Every entry is made in ``tmp_path``: what a folder holds is exactly what each case says.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotegraph.errors import InputError
from quotegraph.ingest import read_inputs
from quotegraph.ingest.paths import open_regular, path_from_label, path_label
from quotegraph.model import Article, IngestFailure
from quotegraph.serve.cli import main
from quotegraph.store import open_store

STORY = b"The harbour master said the ferry would run again on Monday."


@pytest.fixture
def odd_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder with one good file and every kind of entry that is not one."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_bytes(STORY)
    os.symlink("self.txt", root / "self.txt")  # a link to itself
    os.symlink("ping.txt", root / "pong.txt")  # two links to each other
    os.symlink("pong.txt", root / "ping.txt")
    os.symlink("gone.txt", root / "dangling.txt")
    os.symlink("/dev/null", root / "null.txt")  # a character device behind an article's name
    os.mkfifo(root / "pipe.txt")
    os.mkfifo(root / "pipe.bin")  # not an article's name: skipped, like any other file type
    os.symlink("..", root / "sub" / "up")  # a folder link back up: a loop
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "sock.jsonl"))
    yield root
    server.close()


def test_special_entries_in_a_folder_are_failures_with_reasons(odd_folder: Path) -> None:
    items = list(read_inputs([odd_folder]))
    assert [i.source for i in items if isinstance(i, Article)] == [str(odd_folder / "a.txt")]
    reasons = {Path(f.source).name: f.reason for f in items if isinstance(f, IngestFailure)}
    assert reasons == {
        "dangling.txt": "a dangling symbolic link (its target gone.txt does not exist)",
        "null.txt": "not a regular file (a character device)",
        "ping.txt": "a symbolic link that loops (it leads back to itself)",
        "pipe.txt": "not a regular file (a named pipe (FIFO))",
        "pong.txt": "a symbolic link that loops (it leads back to itself)",
        "self.txt": "a symbolic link that loops (it leads back to itself)",
        "sock.jsonl": "not a regular file (a socket)",
        "up": "a link back to a folder being read (a loop): not followed",
    }


def test_a_linked_folder_elsewhere_is_read(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.txt").write_bytes(STORY)
    (tmp_path / "in").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "in" / "linked")
    [article] = read_inputs([tmp_path / "in"])
    assert isinstance(article, Article)
    assert article.source == str(tmp_path / "in" / "linked" / "b.txt")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: os.mkfifo(p), "not a regular file (a named pipe (FIFO))"),
        (lambda p: os.symlink(p.name, p), "a symbolic link that loops"),
        (lambda p: os.symlink("nowhere.txt", p), "a dangling symbolic link"),
    ],
    ids=["fifo", "loop", "dangling"],
)
def test_special_file_given_by_name(tmp_path: Path, make: Callable[[Path], None], reason: str) -> None:
    path = tmp_path / "x.txt"
    make(path)
    [failure] = read_inputs([path])
    assert isinstance(failure, IngestFailure)
    assert failure.source == str(path) and failure.reason.startswith(reason)


def test_a_fifo_put_in_a_files_place_is_refused_without_blocking(tmp_path: Path) -> None:
    """The folder was listed, then the file became a FIFO: opening it must not wait for a writer."""
    os.mkfifo(tmp_path / "late.txt")
    with pytest.raises(InputError, match="a named pipe"):
        open_regular(tmp_path / "late.txt")


@pytest.mark.parametrize(
    ("name", "label"),
    [
        (b"plain.txt", "plain.txt"),
        (b"caf\xe9.txt", "caf\\xe9.txt"),  # Latin-1 bytes
        (b"\xff\xfe\x80.txt", "\\xff\\xfe\\x80.txt"),
        (b"d\xc3\xbcr.txt", "dür.txt"),  # valid UTF-8 stays as it is
        (b"back\\slash.txt", "back\\slash.txt"),
        (b"looks\\xe9like.txt", "looks\\\\xe9like.txt"),  # would read back as an escape: escaped
        (b"\xe9\\x41.txt", "\\xe9\\\\x41.txt"),
    ],
)
def test_file_names_are_labelled_losslessly(name: bytes, label: str) -> None:
    path = Path(os.fsdecode(name))
    assert path_label(path) == label
    assert os.fsencode(path_from_label(label)) == name


def test_names_that_are_not_utf8_are_read_and_stored(tmp_path: Path) -> None:
    """ "surrogates not allowed" ended `ingest` here; the name is now stored as its label."""
    folder = tmp_path / os.fsdecode(b"d\xfcr")
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_bytes(STORY)
    (folder / os.fsdecode(b"photo.t\xffxt")).write_bytes(b"not an article")  # skipped in a folder
    odd_type = tmp_path / os.fsdecode(b"notes.m\xffd")
    odd_type.write_bytes(b"named explicitly: a failure")
    db = tmp_path / "q.db"
    result = CliRunner().invoke(main, ["ingest", str(folder), str(odd_type), "--db", str(db)])
    assert result.exit_code == 0, result.output
    label = f"{tmp_path}/d\\xfcr/caf\\xe9.txt"
    with open_store(str(db)) as store:
        article = store.article(label)
        assert article is not None and article.text == STORY.decode()
        assert path_from_label(label).read_bytes() == STORY
        [failure] = store.failures()
        assert failure.reason.startswith("unsupported file type .m\\udcffd")
