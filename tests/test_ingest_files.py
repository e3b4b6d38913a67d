"""Reading plain-text files and folders: encodings, refusals, and what a folder walk yields.

Every file is written into ``tmp_path`` byte for byte, so each case says exactly what is on disk.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from quotegraph.errors import InputError
from quotegraph.ingest import read_inputs
from quotegraph.ingest.decode import decode_bytes
from quotegraph.model import Article, IngestFailure

CAFE = "The owner said \u201cWe will reopen the caf\u00e9 on Monday\u201d \u2013 and she meant it.\n"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        pytest.param(CAFE.encode("utf-8"), None, CAFE, id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + CAFE.encode("utf-8"), None, CAFE, id="utf-8 with BOM"),
        pytest.param(CAFE.encode("utf-16"), None, CAFE, id="utf-16 with BOM"),
        pytest.param(CAFE.encode("cp1252"), None, CAFE, id="cp1252 curly quotes 0x93/0x94"),
        pytest.param(
            "Na\u00efve r\u00e9sum\u00e9 \u00e0 la carte for \u00a35.".encode("latin-1"),
            None,
            "Na\u00efve r\u00e9sum\u00e9 \u00e0 la carte for \u00a35.",
            id="latin-1",
        ),
        pytest.param(
            "Der B\u00fcrgermeister sagte: \u201eWir bleiben hier.\u201c".encode("cp1252"),
            None,
            "Der B\u00fcrgermeister sagte: \u201eWir bleiben hier.\u201c",
            id="cp1252 German low-9 quotes",
        ),
        pytest.param(
            "\u041c\u044d\u0440 \u0441\u043a\u0430\u0437\u0430\u043b".encode("cp1251"),
            "windows-1251",
            "\u041c\u044d\u0440 \u0441\u043a\u0430\u0437\u0430\u043b",
            id="declared windows-1251",
        ),
        pytest.param(CAFE.encode("cp1252"), "utf-8", CAFE, id="declared utf-8 but cp1252 bytes"),
        pytest.param(CAFE.encode("utf-8"), "no-such-charset", CAFE, id="unknown declared charset ignored"),
    ],
)
def test_decode_bytes(data: bytes, declared: str | None, expected: str) -> None:
    assert decode_bytes(data, source="f.txt", declared=declared) == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"", "file is empty", id="empty"),
        pytest.param(b" \n\t\r\n", "only whitespace", id="whitespace only"),
        pytest.param(PNG_HEADER, "PNG image", id="png renamed"),
        pytest.param(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xab" * 40, "gzip", id="gzip renamed"),
        pytest.param(b"quote\x00unquote" * 5, "NUL bytes", id="NUL bytes"),
        pytest.param(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 10 + b"text", "control bytes", id="control bytes"),
        pytest.param(codecs.BOM_UTF16_LE + b"\x00\xd8", "cannot decode", id="broken utf-16"),
    ],
)
def test_decode_bytes_refuses(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as info:
        decode_bytes(data, source="bad.txt")
    assert str(info.value).startswith("bad.txt: ")


def test_decode_bytes_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEGRAPH_MAX_FILE_BYTES", "10")
    assert decode_bytes(b"0123456789", source="ok.txt") == "0123456789"
    with pytest.raises(InputError, match="file too large"):
        decode_bytes(b"0123456789!", source="big.txt")


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_txt_file_is_kept_as_written_except_crlf(tmp_path: Path) -> None:
    text = "  Headline\r\n\r\n\u201cQuoted,\u201d she said.\r\nLast line without CR\n\n"
    path = _write(tmp_path / "story.txt", text.encode("cp1252"))
    [article] = read_inputs([path])
    assert isinstance(article, Article)
    assert article.text == text.replace("\r\n", "\n")
    assert (article.id, article.source, article.title) == (str(path), str(path), "Headline")  # its first line


def test_txt_with_bom_loses_only_the_bom(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.txt", codecs.BOM_UTF8 + CAFE.encode("utf-8"))
    [article] = read_inputs([str(path)])
    assert isinstance(article, Article)
    assert article.text == CAFE


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("image.txt", PNG_HEADER, "binary content"),
        ("empty.txt", b"", "file is empty"),
        ("notes.md", b"# some notes", "unsupported file type .md"),
        ("README", b"plain words", "unsupported file type (no extension)"),
    ],
)
def test_bad_file_given_explicitly_is_a_failure(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = _write(tmp_path / name, data)
    [failure] = read_inputs([path])
    assert isinstance(failure, IngestFailure)
    assert failure.source == str(path)
    assert reason in failure.reason
    assert not failure.reason.startswith(str(path))  # the source is not repeated in the reason


def test_missing_path_is_a_failure(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "story.txt"
    assert list(read_inputs([missing])) == [IngestFailure(str(missing), "no such file or folder")]


def test_file_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEGRAPH_MAX_FILE_BYTES", "100")
    path = _write(tmp_path / "long.txt", b"word " * 30)
    [failure] = read_inputs([path])
    assert isinstance(failure, IngestFailure)
    assert failure.reason == "file too large (150 bytes, the limit is 100)"


def test_folder_is_walked_sorted_recursive_skipping_hidden(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _write(root / "b.txt", b"Second file.")
    _write(root / "a.txt", b"First file.")
    _write(root / "sub" / "deeper" / "c.TXT", b"Nested file.")
    _write(root / "sub" / "notes.md", b"not an article")  # other types are skipped silently
    _write(root / "sub" / "photo.txt", PNG_HEADER)  # a bad file inside a folder still reports
    _write(root / ".hidden.txt", b"Hidden file.")
    _write(root / ".cache" / "d.txt", b"Hidden folder.")
    _write(root / "z.txt", b"")

    results = list(read_inputs([root]))

    articles = [r for r in results if isinstance(r, Article)]
    assert [(a.id, a.text) for a in articles] == [
        (str(root / "a.txt"), "First file."),
        (str(root / "b.txt"), "Second file."),
        (str(root / "sub" / "deeper" / "c.TXT"), "Nested file."),
    ]
    failures = [r for r in results if isinstance(r, IngestFailure)]
    assert [f.source for f in failures] == [str(root / "sub" / "photo.txt"), str(root / "z.txt")]
    assert [type(r).__name__ for r in results] == ["Article"] * 3 + ["IngestFailure"] * 2


def test_read_inputs_is_lazy(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", b"One.")
    stream = read_inputs([tmp_path, tmp_path / "missing.txt"])
    first = next(stream)
    assert isinstance(first, Article)
    assert first.text == "One."
    assert isinstance(next(stream), IngestFailure)
