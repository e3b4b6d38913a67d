"""A batch run's inputs: the reader's stream (``quotegraph.ingest.read_sources``), with the main
text of its web pages extracted on the Dask workers rather than one page at a time in the driver."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator

from distributed import Client, Future

from quotegraph.ingest import Item, RawHtml, read_page
from quotegraph.model import IngestFailure

_BLOCK = 128  # input items read ahead per block while the workers extract pages
_PAGES_PER_TASK = 16
_BLOCKS_AHEAD = 2


def extract_pages(pages: list[RawHtml]) -> list[Item]:
    """Main text of each page, in order (a task for a worker). A page that raises comes back as its
    failure, never as an exception: Dask cannot serialize some (a RecursionError's traceback) and
    would wait for the task for ever."""
    return [_page_item(page) for page in pages]


def _page_item(page: RawHtml) -> Item:
    try:
        return read_page(page)
    except Exception as exc:
        return IngestFailure(page.source, f"cannot extract the page: {type(exc).__name__}: {exc}")


def extracted_on_workers(items: Iterator[Item | RawHtml], client: Client) -> Iterator[Item]:
    """The input stream in its order, with the main text of web pages extracted on the workers.

    Blocks of items go out a few at a time, so the driver only reads and deduplicates while the
    workers extract (46 ms a page: serial in the driver, it bound the whole run). At most
    ``_BLOCKS_AHEAD`` blocks of raw pages are held. A block whose task failed is extracted here.
    """
    queue: deque[tuple[list[Item | RawHtml], list[Future[list[Item]]]]] = deque()

    def release() -> Iterator[Item]:
        block, futures = queue.popleft()
        pages = [item for item in block if isinstance(item, RawHtml)]
        try:
            extracted = iter([item for future in futures for item in future.result()])
        except Exception:  # a worker died mid-task: the driver does this block itself
            extracted = iter(extract_pages(pages))
        for item in block:
            yield next(extracted) if isinstance(item, RawHtml) else item

    while block := list(itertools.islice(items, _BLOCK)):
        pages = [item for item in block if isinstance(item, RawHtml)]
        chunks = [pages[i : i + _PAGES_PER_TASK] for i in range(0, len(pages), _PAGES_PER_TASK)]
        queue.append((block, [client.submit(extract_pages, chunk, pure=False) for chunk in chunks]))
        if len(queue) > _BLOCKS_AHEAD:
            yield from release()
    while queue:
        yield from release()
