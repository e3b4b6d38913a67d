"""A WARC.gz of N pages made of the real pages in ../shared/data/raw/html/, each under a new URL.

The 40 pages are cycled: page k is served as https://outlet<k % 97>.example/news/<k>, so a crawl of
many outlets running the same stories is imitated with real HTML (most pages are exact duplicates
of another after main-text extraction). The pages are test data of the shared folder: the WARC is
written to a temporary or given path, never into the repository.

    .venv/bin/python benchmarks/build_warc.py OUT.warc.gz [--pages 10000]
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

HTML = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw" / "html"
OUTLETS = 97


def real_pages() -> list[bytes]:
    """The raw HTML of the 40 pages, in a fixed order; exit saying where they were looked for."""
    pages = [
        gzip.decompress(p.read_bytes()) for p in sorted(HTML.glob("article-extraction-benchmark/*.html.gz"))
    ]
    pages += [p.read_bytes() for p in sorted(HTML.glob("mozilla-readability/*/source.html"))]
    if not pages:
        sys.exit(f"benchmarks/build_warc.py: shared pages not found in {HTML}")
    return pages


def build_warc(path: Path, pages: int) -> Path:
    """``pages`` HTML responses (with a request record before each), gzip-compressed per record."""
    bodies = real_pages()
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for k in range(pages):
            url = f"https://outlet{k % OUTLETS}.example/news/{k}"
            request = io.BytesIO(
                f"GET /news/{k} HTTP/1.1\r\nHost: outlet{k % OUTLETS}.example\r\n\r\n".encode()
            )
            writer.write_record(writer.create_warc_record(url, "request", payload=request))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = io.BytesIO(bodies[k % len(bodies)])
            writer.write_record(
                writer.create_warc_record(url, "response", payload=body, http_headers=headers)
            )
    return path


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=10_000)
    args = parser.parse_args(argv)
    build_warc(args.out, args.pages)
    print(f"{args.out}: {args.pages} pages, {args.out.stat().st_size / 1024 / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
