"""JSONL input: one article per line, text kept byte-for-byte, bad lines reported and skipped."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from quotegraph.ingest import read_inputs
from quotegraph.model import Article, IngestFailure

# Leading spaces, CRLF, tabs and curly quotes must all survive: offsets are computed into this text.
TEXT = '  "We will not leave,"\r\nsaid Amina Okafor.\t\n\n\u201cNever,\u201d she added.  '
PAGE = (
    "<html lang='fr'><head><title>Le port rouvre</title></head><body><article>"
    "<h1>Le port rouvre</h1><p>Le port de Westmere a rouvert lundi apr\u00e8s trois jours de temp\u00eate.</p>"
    "<p>\u00ab Nous sommes soulag\u00e9s \u00bb, a dit la capitaine du port.</p></article></body></html>"
)


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_and_bad_lines(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "articles.jsonl",
        [
            json.dumps({"id": "a1", "text": TEXT, "title": "Okafor stays", "published": "2024-03"}),
            '{"id": "a2", "text": "broken',
            json.dumps({"id": "a3", "title": "no body"}),
            "",
            json.dumps({"id": 7, "text": "Numeric ids are fine.", "url": "https://example.org/7"}),
        ],
    )
    results = list(read_inputs([path]))
    assert [type(r).__name__ for r in results] == ["Article", "IngestFailure", "IngestFailure", "Article"]
    first, broken, missing, last = results
    assert isinstance(first, Article)
    assert first.text == TEXT
    assert (first.id, first.title, first.published, first.source) == (
        "a1",
        "Okafor stays",
        "2024-03",
        f"{path}:1",
    )
    assert isinstance(broken, IngestFailure)
    assert broken.source == f"{path}:2"
    assert broken.reason.startswith("invalid JSON")
    assert missing == IngestFailure(f"{path}:3", "neither text nor html")
    assert isinstance(last, Article)
    assert (last.id, last.url, last.source) == ("7", "https://example.org/7", f"{path}:5")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": "No id here."}', "missing id"),
        ('{"id": "", "text": "Empty id."}', "missing id"),
        ('{"id": ["x"], "text": "List id."}', "id must be a string or an integer, got list"),
        ('{"id": true, "text": "Boolean id."}', "id must be a string or an integer, got bool"),
        ('{"id": "x", "text": 42}', "text must be a string, got int"),
        ('{"id": "x", "text": "Fine.", "title": ["a"]}', "title must be a string, got list"),
        ('{"id": "x", "text": "   "}', "text is empty"),
        ('{"id": "x", "text": "\\u200b\\u2060 \\u202e"}', "text is empty (only whitespace or invisible"),
        ('{"id": "x", "text": "bad \\ud800 half"}', "text holds a lone surrogate (\\ud800)"),
        ('{"id": "x"}', "neither text nor html"),
        ('["id", "text"]', "expected a JSON object, got list"),
        ("not json at all", "invalid JSON"),
        ('{"id": "x", "html": "<html><body><nav>Home</nav></body></html>"}', "no main text"),
    ],
)
def test_bad_line_reason(tmp_path: Path, line: str, reason: str) -> None:
    path = _jsonl(tmp_path / "bad.jsonl", [line, json.dumps({"id": "ok", "text": "Still read."})])
    failure, article = read_inputs([path])
    assert isinstance(failure, IngestFailure)
    assert failure.source == f"{path}:1"
    assert reason in failure.reason
    assert isinstance(article, Article)
    assert article.text == "Still read."


def test_html_record_uses_page_and_record_metadata(tmp_path: Path) -> None:
    record = {"id": "port", "html": PAGE, "url": "https://example.org/port", "published": "2024-01-08"}
    path = _jsonl(tmp_path / "pages.jsonl", [json.dumps(record)])
    [article] = read_inputs([path])
    assert isinstance(article, Article)
    assert article.text == (
        "Le port de Westmere a rouvert lundi apr\u00e8s trois jours de temp\u00eate.\n\n"
        "\u00ab Nous sommes soulag\u00e9s \u00bb, a dit la capitaine du port."
    )
    assert (article.id, article.title, article.url) == ("port", "Le port rouvre", "https://example.org/port")
    assert (article.published, article.language) == ("2024-01-08", "fr")


def test_text_wins_over_html(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "both.jsonl", [json.dumps({"id": "b", "text": TEXT, "html": PAGE})])
    [article] = read_inputs([path])
    assert isinstance(article, Article)
    assert article.text == TEXT


def test_non_utf8_line_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes('{"id": "c", "text": "caf\u00e9"}\n'.encode("cp1252") + b'{"id": "d", "text": "fine"}\n')
    failure, article = read_inputs([path])
    assert isinstance(failure, IngestFailure)
    assert failure.source == f"{path}:1"
    assert "not UTF-8" in failure.reason
    assert isinstance(article, Article)
    assert article.id == "d"


def test_utf8_bom_on_first_line(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "e", "text": "Hello."}).encode() + b"\n")
    [article] = read_inputs([path])
    assert isinstance(article, Article)
    assert article.id == "e"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "file is empty"),
        (b"\n\n  \n", "file is empty"),
        (gzip.compress(b'{"id": "x", "text": "zipped"}\n' * 50), "binary content"),
    ],
)
def test_whole_file_failure_is_reported_once(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_bytes(data)
    [failure] = read_inputs([path])
    assert isinstance(failure, IngestFailure)
    assert failure.source == str(path)
    assert reason in failure.reason


def test_long_line_over_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEGRAPH_MAX_FILE_BYTES", "60")
    long_text = json.dumps({"id": "long", "text": "word " * 20})
    path = _jsonl(tmp_path / "limit.jsonl", [long_text, json.dumps({"id": "short", "text": "Short."})])
    failure, article = read_inputs([path])
    assert isinstance(failure, IngestFailure)
    assert failure.source == f"{path}:1"
    assert "line too large" in failure.reason
    assert isinstance(article, Article)
    assert article.id == "short"


GOOD = json.dumps({"id": "good", "text": "The ferry ran again, said the operator."})


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        pytest.param(
            b'{"id": "n", "text": "a\x00b"}', "binary data in the line (a NUL byte at column 23)", id="NUL"
        ),
        pytest.param(b"\x00" + GOOD.encode(), "a NUL byte at column 1", id="NUL first"),
        pytest.param(
            b"[" * 100_000 + b"]" * 100_000, "nested deeper than the parser reads", id="100,000 deep"
        ),
        pytest.param(
            b'{"id": 1' + b"0" * 5000 + b', "text": "x"}',
            "a number of more than 4,300 digits",
            id="huge number",
        ),
        pytest.param(b'{"id": "z", "text": "a\\u0000b"}', "text holds a NUL character", id="escaped NUL"),
        pytest.param(b'{"id": "z\\u0000", "text": "ab"}', "id holds a NUL character", id="NUL in the id"),
    ],
)
def test_a_bad_line_fails_alone(tmp_path: Path, bad: bytes, reason: str) -> None:
    """One bad line, however bad, is that line's failure: the lines around it are read."""
    path = tmp_path / "lines.jsonl"
    path.write_bytes(b"\n".join([GOOD.encode(), bad, GOOD.replace("good", "after").encode()]) + b"\n")
    before, failure, after = read_inputs([path])
    assert isinstance(before, Article) and isinstance(after, Article)
    assert isinstance(failure, IngestFailure)
    assert failure.source == f"{path}:2"
    assert reason in failure.reason


def test_lines_with_nul_bytes_are_rejected_one_by_one(tmp_path: Path) -> None:
    """A NUL byte near the start once refused the whole file as binary."""
    lines = [
        b'{"id": "1", "text": "One\x00."}',
        GOOD.encode(),
        b"\x00\x00",
        GOOD.replace("good", "4").encode(),
    ]
    plain, zipped = tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz"
    plain.write_bytes(b"\n".join(lines))
    zipped.write_bytes(gzip.compress(b"\n".join(lines)))
    for path in (plain, zipped):
        items = list(read_inputs([path]))
        assert [type(i).__name__ for i in items] == ["IngestFailure", "Article", "IngestFailure", "Article"]
        assert [i.source for i in items if isinstance(i, IngestFailure)] == [f"{path}:1", f"{path}:3"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_jsonl_is_refused_whole(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes((GOOD + "\n" + GOOD + "\n").encode(encoding))
    [failure] = read_inputs([path])
    assert failure == IngestFailure(
        str(path), f"JSON lines must be UTF-8, and this file is {encoding.upper()}"
    )


def test_a_gzip_bomb_line_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """50 MB of one line, 50 KB compressed: refused as too large without being held, the next line read."""
    monkeypatch.setenv("QUOTEGRAPH_MAX_FILE_BYTES", str(1 << 20))
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as out:
        out.write(b'{"id": "bomb", "text": "')
        for _ in range(50):
            out.write(b"a" * (1 << 20))
        out.write(b'"}\n' + GOOD.encode() + b"\n")
    failure, article = read_inputs([path])
    assert failure == IngestFailure(f"{path}:1", f"line too large (more than {1 << 20} bytes)")
    assert isinstance(article, Article) and article.id == "good"
