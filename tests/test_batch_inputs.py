"""Batch inputs: the reader's web pages wait for the workers, and read there as ``ingest`` reads them."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from quotegraph.batch.inputs import extract_pages
from quotegraph.ingest import RawHtml, read_inputs, read_sources
from test_ingest_warc import PAGE


def test_html_files_and_html_records_wait_for_the_workers_and_read_as_ingest_reads_them(
    tmp_path: Path,
) -> None:
    """The driver only reads them: their main text is extracted on the workers (46 ms a page)."""
    (tmp_path / "a.html").write_text(PAGE.format(meta="", word="week"), encoding="utf-8")
    (tmp_path / "b.htm").write_text("<html><body></body></html>", encoding="utf-8")  # no text: fails
    lines = [
        json.dumps({"id": "text", "text": "The ferry ran again, said the operator."}),
        json.dumps({"id": "page", "html": PAGE.format(meta="", word="month"), "title": "Ferry"}),
        json.dumps({"id": "both", "text": "The pier was rebuilt.", "html": "<p>ignored</p>"}),
        json.dumps({"id": "bad", "html": 5}),
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "d.jsonl").write_text("\n\n", encoding="utf-8")
    sources = list(read_sources([tmp_path]))
    pages = [s for s in sources if isinstance(s, RawHtml)]
    assert [p.source.split("/")[-1] for p in pages] == ["a.html", "b.htm", "c.jsonl:2"]
    extracted = iter(extract_pages(pages))
    ours = [asdict(next(extracted) if isinstance(s, RawHtml) else s) for s in sources]
    assert ours == [asdict(item) for item in read_inputs([tmp_path])]
    assert [item.get("id") for item in ours] == [
        str(tmp_path / "a.html"),
        None,
        "text",
        "page",
        "both",
        None,
        None,
    ]
    assert ours[3]["title"] == "Ferry" and "a month of repairs" in ours[3]["text"]
