"""Article text that tries to rewrite what is shown around it: a right-to-left override (U+202E) inside a
quote must not reverse the speaker and cue shown after it, in the terminal or in the page; escape
sequences and rich markup in article text are shown as text, never obeyed."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner

from quotegraph.jobs import ingest_paths
from quotegraph.serve.cli import main
from quotegraph.serve.web import create_app
from quotegraph.store import open_store

RLO, FSI, PDI = "\u202e", "\u2068", "\u2069"
ARTICLE = {
    "id": "override",
    "title": f"Harbour vote{RLO} reversed",
    "published": "2024-03-02",
    "text": (
        "Harbour vote\n\n"
        f"“We will keep the ferry{RLO} running all winter, through the storms and the long nights of "
        "January and February,” said Ada Lindqvist, the harbour chair.\n\n"
        "The board meets again \x1b[2J in March. [bold]Not markup[/bold], said the minutes.\n"
    ),
}
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("bidi")
    (folder / "a.jsonl").write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    path = str(folder / "q.db")
    with open_store(path) as store:
        assert ingest_paths([folder / "a.jsonl"], store).stored == 1
    return path


def test_terminal_tables_isolate_each_untrusted_cell_line_by_line(db: str) -> None:
    """A terminal reads each line on its own: an override must end within its cell on every line."""
    result = CliRunner().invoke(main, ["quotes", "--db", db])
    assert result.exit_code == 0, result.output
    assert f"{FSI}Ada Lindqvist{PDI}" in result.output
    assert result.output.count(RLO) == 2  # the quote's and the title's
    for line in result.output.splitlines():
        for cell in line.split("│"):
            assert cell.count(FSI) == cell.count(PDI), line  # every isolate closed in its cell's line
            if RLO in cell:
                assert cell.index(FSI) < cell.index(RLO) < cell.index(PDI), line


def test_show_isolates_each_quote_and_shows_escapes_and_markup_as_text(db: str) -> None:
    result = CliRunner().invoke(main, ["show", "override", "--db", db])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # rich wraps the text to the terminal's width
    assert f"“{FSI}We will keep the ferry{RLO} running all winter, through the storms" in output
    assert f"January and February{PDI} [1: {FSI}Ada Lindqvist{PDI}],”" in output
    assert "\x1b" not in result.output and "␛[2J" in output  # the escape sequence is shown, not obeyed
    assert "[bold]Not markup[/bold]" in output


# --- the pages, in a real browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(db: str) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    running = uvicorn.Server(uvicorn.Config(create_app(db), log_level="warning"))
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    running.should_exit = True
    thread.join(timeout=10)
    sock.close()


# Whether the text of ``selector``'s first match runs left to right on screen: its first letter left of
# its last. With ``plain``, the page's isolation is taken off first (the control: then it must not).
READS_FORWARD = """([selector, plain]) => {
  if (plain) for (const el of document.querySelectorAll('mark, a, bdi, .speaker, .source'))
    el.style.unicodeBidi = 'normal';
  const node = document.querySelector(selector).firstChild;
  const box = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                       return r.getBoundingClientRect(); };
  return box(0).left < box(node.length - 1).left;
}"""


def test_an_override_in_a_quote_does_not_reverse_the_speaker_after_it(server: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: run scripts/ensure_chromium.sh (make test does)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu"],
            env={**os.environ, "HOME": str(tmp_path)},
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for url, selector in (
            ("/articles/override", "a.label"),  # the speaker's name after the quote, in the text
            ("/search?search=ferry", ".meta .speaker"),
            ("/search?search=ferry", ".meta .date"),  # after the title's own override
        ):
            page.goto(server + url)
            assert page.evaluate(READS_FORWARD, [selector, False]), f"{url} {selector} is reversed"
        page.goto(server + "/articles/override")
        assert not page.evaluate(READS_FORWARD, ["a.label", True])  # without isolation it was reversed
        browser.close()
