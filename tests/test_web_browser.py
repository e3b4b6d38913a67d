"""The web pages in a real browser: Debian's Chromium (headless, driven by Playwright) against a real
uvicorn server on a loopback port. Clicks through home -> search -> speaker -> article, saves a
screenshot of every page under test-output/screenshots/, and checks that markup posted in an
article (script tags, on*= attributes, javascript: links) is shown as text and never runs."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from quotegraph.jobs import ingest_paths
from quotegraph.serve.web import create_app
from quotegraph.store import open_store

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-output" / "screenshots"
TOKEN = "browser-test-token"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

if not CHROMIUM.exists():
    reason = f"{CHROMIUM} is missing: run scripts/ensure_chromium.sh (make test does)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright  # noqa: E402

# Every way markup could try to run: script tags, event handlers, javascript: URLs, in every field.
HOSTILE = {
    "id": "hostile-<script>window.pwned='id'</script>",
    "title": "Council <script>document.title='pwned'; window.pwned='title'</script> meets",
    "url": "javascript:window.pwned='url'",
    "published": "2024-07-01",
    "text": (
        "Council <script>window.pwned='title'</script> meets\n\n"
        "The council met on Monday. \"Nobody will <script>window.pwned='quote'</script> close the "
        'pool <img src=x onerror="window.pwned=\'img\'">," said Lena Marsh, the pool manager.\n\n'
        "Marsh added that residents should read <a href=\"javascript:window.pwned='link'\">the "
        "report</a> and <b onmouseover=\"window.pwned='hover'\">hover here</b> before the vote.\n"
    ),
}

# Real places, dated, for the map and the timeline of places.
TRAVEL = {
    "id": "trade-talks-2024-08-15",
    "title": "Trade talks move from Lisbon to Nairobi",
    "published": "2024-08-15",
    "text": (
        "Trade talks move from Lisbon to Nairobi\n\n"
        "The talks that opened in Lisbon last month will continue in Nairobi next week. "
        '"Kenya is ready to host the second round," said Grace Otieno, the trade minister.\n'
    ),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, on the examples plus one hostile article."""
    db = str(tmp_path_factory.mktemp("browser") / "web.db")
    with open_store(db) as store:
        assert ingest_paths([ROOT / "examples"], store).stored > 0
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(create_app(db, ingest_token=TOKEN), log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    for article in (HOSTILE, TRAVEL):
        posted = httpx.post(
            f"{url}/api/articles", json=article, headers={"X-Ingest-Token": TOKEN}, timeout=120
        )
        assert posted.status_code == 201, posted.text
    yield url
    running.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    home = tmp_path_factory.mktemp("chromium-home")  # Chromium writes ~/.config and ~/.cache
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, env={**os.environ, "HOME": str(home)}
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    opened = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []

    def dialog_opened(dialog: Dialog) -> None:  # alert(), confirm(), prompt(): script ran
        dialogs.append(dialog.message)
        dialog.dismiss()

    opened.on("dialog", dialog_opened)
    yield opened
    opened.close()
    assert dialogs == [], f"a dialog opened: {dialogs}"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_click_through_home_search_speaker_article(server: str, page: Page) -> None:
    page.goto(server + "/")
    expect(page.locator("ol.quotes li").first).to_be_visible()
    shot(page, "home")
    page.fill("form.search input[name=search]", "tram")
    page.click("form.search button")
    page.wait_for_url("**/search?search=tram")
    expect(page.locator("#count")).to_contain_text("quote")
    results = page.locator("#results li.quote")
    assert results.count() >= 1
    shot(page, "search")

    before = page.locator("#count").inner_text()
    page.fill("input[name=search]", "")  # typing re-queries the API: the count grows to every quote
    page.select_option("select[name=kind]", "direct")
    expect(page.locator("#count")).not_to_have_text(before)
    assert all(k == "direct" for k in page.locator("#results .kind").all_inner_texts())

    page.locator("#results a.speaker").first.click()
    page.wait_for_url("**/speakers/**")
    expect(page.locator("svg.timeline rect").first).to_be_visible()
    shot(page, "speaker")

    page.locator("a.source").first.click()
    page.wait_for_url("**/articles/**")
    marks = page.locator("article.text mark.q")
    assert marks.count() >= 1
    marks.first.hover()
    card = page.locator("li.detail.active")
    expect(card).to_be_visible()
    expect(card).to_contain_text("confidence")
    shot(page, "article")


def test_graphs_and_places_are_drawn(server: str, page: Page) -> None:
    page.goto(server + "/graphs")
    expect(page.locator("svg#relays circle").first).to_be_visible()
    expect(page.locator("svg#talks circle").first).to_be_visible()
    shot(page, "graphs")
    page.goto(server + "/places")
    assert page.locator("svg.map path").count() > 100
    assert page.locator("svg.map circle").count() >= 2  # Lisbon and Nairobi at least
    expect(page.locator("svg.timeline.places rect").first).to_be_visible()
    shot(page, "places")


def test_posted_markup_never_runs(server: str, page: Page) -> None:
    page.goto(f"{server}/articles/{HOSTILE['id']}")
    text = page.locator("article.text")
    expect(text).to_contain_text("<script>window.pwned='quote'</script>")
    expect(text).to_contain_text("<img src=x onerror=\"window.pwned='img'\">")
    expect(page.locator("h1")).to_contain_text("<script>document.title='pwned'")
    page.get_by_text("hover here", exact=False).first.hover()
    for mark in page.locator("article.text mark").all():
        mark.hover()
    shot(page, "article-hostile")
    assert_nothing_ran(page)

    page.goto(f"{server}/search?search=pool")
    expect(page.locator("#results")).to_contain_text("<script>window.pwned='quote'</script>")
    page.fill("input[name=search]", "nobody pool")  # the same words drawn by search.js from the API
    expect(page.locator("#count")).to_have_text("1 quote")
    expect(page.locator("#results")).to_contain_text("<img src=x onerror=")
    assert_nothing_ran(page)


def assert_nothing_ran(page: Page) -> None:
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("document.title") != "pwned"
    injected = "main script, main img, main [onerror], main [onmouseover], main a[href^='javascript:']"
    assert page.locator(injected).count() == 0
