"""The web pages in a real browser: Debian's Chromium (headless, driven by Playwright) against a real
uvicorn server on a loopback port, at a desktop width (1366x900) and a phone's (390x844).

Every page is opened at both widths, checked for sideways scrolling on the phone, and saved as a
screenshot under test-output/screenshots/{desktop,phone}/ (git ignores test-output/). Clicks go
through home -> search -> speaker -> article -> quote; search is tried with a phrase, OR, a prefix,
highlighting and facets; the cite control's CSL-JSON is checked against the schema's shape; the
seed interview (read from ../shared when present) is reached as /speakers/Massoud; and markup posted
in an article (script tags, on*= attributes, javascript: links) is shown as text and never runs."""

from __future__ import annotations

import contextlib
import json
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
from test_web_citation import check_csl

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "data" / "dev" / "seed.gold.json"
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

from playwright.sync_api import Browser, Dialog, Page, ViewportSize, expect, sync_playwright  # noqa: E402

WIDTHS: dict[str, ViewportSize] = {
    "desktop": {"width": 1366, "height": 900},
    "phone": {"width": 390, "height": 844},
}

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
    "url": "https://news.example.org/trade-talks",
    "text": (
        "Trade talks move from Lisbon to Nairobi\n\n"
        "The talks that opened in Lisbon last month will continue in Nairobi next week. "
        '"Kenya is ready to host the second round," said Grace Otieno, the trade minister. '
        "Otieno said the talks would also cover a longer list of goods, including "
        "pharmaceuticals, than the first round did.\n"
    ),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server on a free loopback port: the examples, the seed interview as a text
    file when ../shared has it, and two posted articles (one hostile)."""
    folder = tmp_path_factory.mktemp("browser")
    inputs = [ROOT / "examples"]
    if SEED.exists():
        seed = folder / "000_seed_interview.txt"
        seed.write_text(json.loads(SEED.read_text(encoding="utf-8"))["text"], encoding="utf-8")
        inputs.append(seed)
    db = str(folder / "web.db")
    with open_store(db) as store:
        assert ingest_paths(inputs, store).stored > 0
    with serving(db) as url:
        for article in (HOSTILE, TRAVEL):
            posted = httpx.post(
                f"{url}/api/articles", json=article, headers={"X-Ingest-Token": TOKEN}, timeout=120
            )
            assert posted.status_code == 201, posted.text
        yield url


@contextlib.contextmanager
def serving(db: str) -> Iterator[str]:
    """``quotegraph serve`` on ``db`` (ingest token ``TOKEN``): a real uvicorn server on a free
    loopback port, in a thread, stopped on leaving; its URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(db, ingest_token=TOKEN), log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
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


def open_page(browser: Browser, width: str) -> Page:
    opened = browser.new_page(viewport=WIDTHS[width], has_touch=width == "phone", is_mobile=width == "phone")
    opened.on("dialog", _dialog_opened)
    return opened


def _dialog_opened(dialog: Dialog) -> None:  # alert(), confirm(), prompt(): script ran
    dialog.dismiss()
    raise AssertionError(f"a dialog opened: {dialog.message}")


@pytest.fixture(params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: Browser, width: str) -> Iterator[Page]:
    opened = open_page(browser, width)
    yield opened
    opened.close()


def shot(page: Page, width: str, name: str) -> None:
    """A full-page screenshot; on the phone, first check that nothing scrolls sideways."""
    if width == "phone":
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= WIDTHS["phone"]["width"], f"{page.url} is {wide} px wide on a 390 px phone"
    (SHOTS / width).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / width / f"{name}.png"), full_page=True)


def first_quote_id(server: str) -> int:
    return int(httpx.get(f"{server}/api/quotes?search=tram&limit=1").json()["items"][0]["quote_id"])


def test_every_page_at_both_widths(server: str, page: Page, width: str) -> None:
    quote_id = first_quote_id(server)
    for name, path in [
        ("home", "/"),
        ("search", "/search?search=tram+OR+talks&sort=relevance"),
        ("speaker", "/speakers/Okafor"),
        ("article", f"/articles/{TRAVEL['id']}"),
        ("quote", f"/quotes/{quote_id}"),
        ("graphs", "/graphs"),
        ("places", "/places"),
        ("error", "/articles/no-such-article"),
    ]:
        page.goto(server + path)
        if name in ("graphs",):
            expect(page.locator("svg#relays circle").first).to_be_visible()
        shot(page, width, name)


def test_click_through_home_search_speaker_article_quote(server: str, page: Page, width: str) -> None:
    page.goto(server + "/")
    expect(page.locator("ol.quotes li").first).to_be_visible()
    page.fill("form.search input[name=search]", "tram")
    page.click("form.search button")
    page.wait_for_url("**/search?search=tram")
    expect(page.locator("#count")).to_contain_text("quote")
    assert page.locator("#results li.quote").count() >= 1

    before = page.locator("#count").inner_text()
    page.fill("input[name=search]", "")  # typing re-queries the API: the count grows to every quote
    page.locator("details.more summary").click()  # the filters fold away until one is used
    page.select_option("select[name=kind]", "direct")
    expect(page.locator("#count")).not_to_have_text(before)
    assert all(k == "direct" for k in page.locator("#results .kind").all_inner_texts())

    page.locator("#results a.speaker").first.click()
    page.wait_for_url("**/speakers/**")
    expect(page.locator("h1")).to_be_visible()
    page.locator("#quotes ~ ol a.source, section.wide a.source").first.click()
    page.wait_for_url("**/articles/**")
    marks = page.locator("article.text mark.q")
    assert marks.count() >= 1
    if width == "phone":
        marks.nth(1).tap()
    else:
        marks.nth(1).hover()
    card = page.locator("li.detail.active")
    expect(card).to_be_visible()
    expect(card).to_contain_text("confidence")
    box, screen = card.bounding_box(), WIDTHS[width]
    assert box is not None and box["y"] + box["height"] > 0 and box["y"] < screen["height"], (
        "the card must be on screen beside the quote tapped"
    )
    shot(page, width, "article-card")
    card.locator("a.permalink").click()
    page.wait_for_url("**/quotes/**")
    expect(page.locator("#cite-plain")).to_contain_text("Accessed")


def test_search_marks_phrases_or_prefixes_and_narrows_by_facets(server: str, page: Page, width: str) -> None:
    page.goto(server + '/search?search="trade+minister"+OR+tram')
    marked = page.locator("#results mark").all_inner_texts()
    assert marked and {m.lower() for m in marked} <= {"trade minister", "tram"}
    page.fill("input[name=search]", "pharma*")  # a prefix, drawn by search.js from the API
    expect(page.locator("#count")).to_have_text("1 quote")
    expect(page.locator("#results mark").first).to_have_text("pharmaceuticals")
    page.fill("input[name=search]", "the")
    expect(page.locator("#count")).not_to_have_text("1 quote")
    total = int(page.locator("#count").inner_text().split()[0].replace(",", ""))
    facet = page.locator('#facets ul[data-facet="speaker"] li').first
    expected = int(facet.locator(".count").inner_text().replace(",", ""))
    assert expected < total
    facet.locator("a").click()
    page.wait_for_url("**speaker**")
    count = page.locator("#count").inner_text()
    assert int(count.split()[0].replace(",", "")) == expected
    shot(page, width, "search-facet")
    csv = httpx.get(server + "/api/quotes/download?search=the&format=csv")
    assert csv.status_code == 200 and len(csv.text.strip().splitlines()) == total + 1


def test_the_cite_control_gives_valid_csl_json(server: str, page: Page, width: str) -> None:
    quote_id = first_quote_id(server)
    page.goto(f"{server}/quotes/{quote_id}")
    items = json.loads(page.locator("#cite-csl").inner_text())
    check_csl(items)
    assert items == httpx.get(f"{server}/api/quotes/{quote_id}/csl").json() or items[0]["accessed"]
    assert items[0]["title"] == "Hundreds march to save Riverside tram line"
    assert "Amina Okafor" in page.locator("#cite-plain").inner_text()
    assert "examples/" not in page.content()  # the file it was read from is no title or id
    page.locator("button.copy").first.click()
    expect(page.locator("button.copy").first).to_have_text("Copied")


def test_a_speaker_is_found_by_any_name(server: str, page: Page, width: str) -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: the seed interview comes from ../shared")
    page.goto(server + "/speakers/Massoud")
    expect(page.locator("h1")).to_contain_text("Ahmad Massoud")
    assert page.locator("section.wide li.quote").count() >= 5
    source = page.locator("section.wide a.source").first
    expect(source).to_contain_text("Interview with Ahmad Massoud")  # the headline, not the file's path
    shot(page, width, "speaker-massoud")
    source.click()
    page.wait_for_url("**/articles/**")
    expect(page.locator(".date.inferred")).to_contain_text("2023-05, inferred from")
    assert "000_seed_interview" not in page.locator("main").inner_text()


def test_graphs_and_places_are_drawn(server: str, page: Page, width: str) -> None:
    page.goto(server + "/graphs")
    expect(page.locator("svg#relays circle").first).to_be_visible()
    expect(page.locator("svg#talks circle").first).to_be_visible()
    boxes = [b for b in (t.bounding_box() for t in page.locator("svg.graph text.label").all()) if b]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a["x"] + a["width"] <= b["x"] + 1 or b["x"] + b["width"] <= a["x"] + 1
            assert apart or a["y"] + a["height"] <= b["y"] + 1 or b["y"] + b["height"] <= a["y"] + 1
    href = page.locator("svg#relays a.edge-link").first.get_attribute("href")
    assert href is not None and "relayed_by=" in href
    page.goto(server + "/places?since=2024-08")
    assert page.locator("svg.map path").count() > 100
    expect(page.locator("svg.map .labels text", has_text="Nairobi")).to_have_count(1)
    view = page.locator("svg.map").get_attribute("viewBox")
    page.click("#zoom-in")
    assert page.locator("svg.map").get_attribute("viewBox") != view
    shot(page, width, "places-zoomed")


def test_posted_markup_never_runs(server: str, page: Page, width: str) -> None:
    page.goto(f"{server}/articles/{HOSTILE['id']}")
    text = page.locator("article.text")
    expect(text).to_contain_text("<script>window.pwned='quote'</script>")
    expect(text).to_contain_text("<img src=x onerror=\"window.pwned='img'\">")
    expect(page.locator("h1")).to_contain_text("<script>document.title='pwned'")
    if width == "desktop":
        page.get_by_text("hover here", exact=False).first.hover()
        for mark in page.locator("article.text mark").all():
            mark.hover()
    shot(page, width, "article-hostile")
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
