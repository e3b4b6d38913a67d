"""Archives: WARC (plain and gzip) and JSONL.gz read into Articles; bad records become failures."""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from quotegraph.ingest import RawHtml, read_inputs, read_sources
from quotegraph.model import Article, IngestFailure
from quotegraph.serve.cli import main
from quotegraph.store import open_store

REAL_HTML = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "raw" / "html" / "article-extraction-benchmark"
)

PAGE = """<html><head>{meta}<title>Harbour ferry returns</title></head><body>
<nav>Home | News | Sport</nav><article><h1>Harbour ferry returns</h1>
<p>The harbour ferry to Port Alden ran again on Monday after a {word} of repairs.</p>
<p>“We missed the crossing,” said Léa Fournier, who rides it to the café she runs by the pier.</p>
<p>The operator said the boat would keep its winter timetable until April.</p></article></body></html>"""


def write_warc(path: Path, records: list[tuple[str, str, bytes, str]], *, gzipped: bool) -> None:
    """(url, status, body, content type) per response, with a request record before each."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        for url, status, body, content_type in records:
            writer.write_record(
                writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            )
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )


def read(*paths: Path) -> tuple[list[Article], list[IngestFailure]]:
    items = list(read_inputs(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, IngestFailure)]


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_warc_gives_its_html_responses_decoded_by_header_or_meta_charset(
    tmp_path: Path, gzipped: bool
) -> None:
    latin1 = PAGE.format(meta="", word="week").encode(
        "cp1252"
    )  # curly quotes exist in cp1252, not in Latin-1
    meta = PAGE.format(meta='<meta charset="windows-1252">', word="month").encode("cp1252")
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    write_warc(
        path,
        [
            ("https://a.example/ferry", "200 OK", latin1, "text/html; charset=windows-1252"),
            ("https://a.example/logo.png", "200 OK", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
            ("https://b.example/ferry", "200 OK", meta, "text/html"),
            ("https://b.example/gone", "404 Not Found", b"<html><body>Not found</body></html>", "text/html"),
        ],
        gzipped=gzipped,
    )
    articles, failures = read(path)
    assert failures == []
    assert [a.id for a in articles] == ["https://a.example/ferry", "https://b.example/ferry"]
    assert [a.url for a in articles] == ["https://a.example/ferry", "https://b.example/ferry"]
    for article in articles:
        assert "“We missed the crossing,” said Léa Fournier" in article.text
        assert "café" in article.text and "Home | News" not in article.text
        assert article.source is not None and article.source.startswith(f"{path}@")
    assert "a week of repairs" in articles[0].text and "a month of repairs" in articles[1].text


def test_a_utf8_page_is_read_as_utf8_when_the_header_names_no_charset(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path,
        [("https://c.example/", "200 OK", PAGE.format(meta="", word="week").encode(), "text/html")],
        gzipped=True,
    )
    articles, _ = read(path)
    assert "Léa Fournier" in articles[0].text


def test_broken_inputs_are_failures_with_reasons_and_the_rest_is_read(tmp_path: Path) -> None:
    good = PAGE.format(meta="", word="week").encode()
    warc = tmp_path / "a.warc.gz"
    write_warc(warc, [("https://a.example/1", "200 OK", good, "text/html")] * 2, gzipped=True)
    (tmp_path / "b.warc.gz").write_bytes(warc.read_bytes()[:-40])  # the second record cut short
    (tmp_path / "c.warc").write_bytes(b"this is not a WARC file at all\r\n\r\n")
    lines = [
        json.dumps({"id": "1", "text": "The ferry ran again, said the operator."}),
        "{not json",
        json.dumps({"id": "3"}),
    ]
    (tmp_path / "d.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode()))
    (tmp_path / "e.jsonl.gz").write_bytes(b"plain text, not gzip")
    (tmp_path / "f.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "g.html").write_bytes(good)
    articles, failures = read(tmp_path)
    assert [a.id for a in articles] == [
        "https://a.example/1",  # a.warc.gz
        "https://a.example/1",
        "https://a.example/1",  # b.warc.gz: the first record is whole
        "1",
        str(tmp_path / "g.html"),
    ]
    reasons = {f.source.split("/")[-1]: f.reason for f in failures}
    assert "broken" in reasons[next(k for k in reasons if k.startswith("b.warc.gz@"))]
    assert "broken" in reasons[next(k for k in reasons if k.startswith("c.warc@"))]
    assert reasons["d.jsonl.gz:2"].startswith("invalid JSON")
    assert reasons["d.jsonl.gz:3"] == "neither text nor html"
    assert "gzip" in reasons[next(k for k in reasons if k.startswith("e.jsonl.gz"))]
    assert "binary content" in reasons["f.txt"]


def test_real_pages_in_a_warc(tmp_path: Path) -> None:
    pages = sorted(REAL_HTML.glob("*.html.gz"))[:3]
    if not pages:
        pytest.skip(
            f"shared data not found: {REAL_HTML} (a checkout of the shared folder beside the repository)"
        )
    path = tmp_path / "real.warc.gz"
    bodies = [gzip.decompress(p.read_bytes()) for p in pages]
    write_warc(
        path,
        [(f"https://mirror.example/{n}", "200 OK", b, "text/html") for n, b in enumerate(bodies)],
        gzipped=True,
    )
    articles, failures = read(path)
    assert failures == [] and len(articles) == 3
    assert all(len(a.text.split()) > 100 for a in articles)


def test_ingest_reads_what_batch_reads(tmp_path: Path) -> None:
    """`quotegraph ingest` takes archives too: a WARC, a .jsonl.gz and a folder holding both."""
    warc = tmp_path / "in" / "crawl.warc.gz"
    warc.parent.mkdir()
    write_warc(
        warc,
        [("https://a.example/ferry", "200 OK", PAGE.format(meta="", word="week").encode(), "text/html")],
        gzipped=True,
    )
    record = {"id": "pier", "text": "The pier reopened on Monday, the harbour master said."}
    (tmp_path / "in" / "more.jsonl.gz").write_bytes(gzip.compress(json.dumps(record).encode() + b"\n"))
    db = tmp_path / "q.db"
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "in"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "stored 2 article(s)" in result.output
    with open_store(str(db)) as store:
        article = store.article("https://a.example/ferry")
        assert article is not None and "a week of repairs" in article.text
        assert store.article("pier") is not None


def test_a_warc_cut_anywhere_keeps_the_records_before_and_says_why_it_ends(tmp_path: Path) -> None:
    """A .warc.gz cut inside a record's headers raised AttributeError from warcio (batch crashed);
    one cut inside a record's gzip trailer, or inside a request record, lost the rest in silence.
    Only a cut exactly between two records cannot be told from an archive that ends there."""
    whole = tmp_path / "whole.warc.gz"
    bodies = [PAGE.format(meta="", word=f"{n} weeks").encode() for n in range(3)]
    write_warc(
        whole,
        [(f"https://a.example/{n}", "200 OK", b, "text/html") for n, b in enumerate(bodies)],
        gzipped=True,
    )
    data = whole.read_bytes()
    with whole.open("rb") as stream:
        records = ArchiveIterator(stream)
        ends = {records.get_record_offset() + records.get_record_length() for _ in records}
    cut = tmp_path / "cut.warc.gz"
    for size in range(1, len(data)):
        cut.write_bytes(data[:size])
        items = list(read_sources([cut]))
        pages = [i for i in items if isinstance(i, RawHtml)]
        assert [p.data for p in pages] == bodies[: len(pages)], size
        whole_responses = sum(1 for end in ends if end <= size) // 2  # a request, then its response
        assert whole_responses <= len(pages) <= whole_responses + 1, size  # +1: only a trailer is cut
        if size not in ends:
            assert any(isinstance(i, IngestFailure) and "broken WARC record" in i.reason for i in items), size


def test_a_record_whose_length_is_wrong_is_a_failure_and_the_rest_is_read(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """warcio reads on from the next record and warns on standard error: the warning becomes a failure."""
    path = tmp_path / "crawl.warc"
    body = PAGE.format(meta="", word="week").encode()
    write_warc(
        path, [(f"https://a.example/{n}", "200 OK", body, "text/html") for n in range(3)], gzipped=False
    )
    data = path.read_bytes()
    declared = max(int(n) for n in re.findall(rb"Content-Length: (\d+)", data))  # a response's
    length = f"Content-Length: {declared}".encode()
    path.write_bytes(data.replace(length, f"Content-Length: {declared - 20}".encode(), 1))
    items = list(read_inputs([path]))
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert failures and all("does not end where its Content-Length says" in f.reason for f in failures)
    assert [i.id for i in items if isinstance(i, Article)][-2:] == [
        "https://a.example/1",
        "https://a.example/2",
    ]
    assert capfd.readouterr().err == ""
