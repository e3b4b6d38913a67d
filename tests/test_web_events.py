"""The event pages in a real browser (Debian's Chromium through Playwright, as test_web_browser.py):
the events list with its map and timeline, a page per event (its sentence marked, actors and place
linked, every report, the quotes about it), and the article page listing its events beside its
quotes; at a desktop's width and a phone's, with screenshots.

The database holds the invented arrest reports of test_store_events.py (two reports of one arrest in
Lyon, one in Marseille) and, when ../shared has it, the seed interview, whose planned Doha meeting
the interview's quotes talk about."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

import test_web_browser as browsing
from quotegraph.pipeline import extract
from quotegraph.store import open_store
from test_store_events import arrests
from test_web_browser import serving, shot

browser, page, width = browsing.browser, browsing.page, browsing.width  # its fixtures: Chromium, both widths
SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "seed.gold.json"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("web-events") / "events.db")
    with open_store(db) as store:
        for article in (
            arrests("evening-post", published="2024-03-11", day=None),
            arrests("lyon-daily", published="2024-03-10"),
            arrests("marseille", city="Marseille", day="Friday, March 1", value="2024-03-01"),
        ):
            assert store.add_article(article)
        if SEED.exists():
            gold = json.loads(SEED.read_text(encoding="utf-8"))
            assert store.add_article(extract(gold["text"], id="seed", published=gold["published"]))
    with serving(db) as url:
        yield url


def _event_id(server: str, **filters: str) -> int:
    items = httpx.get(f"{server}/api/events", params=filters).json()["items"]
    assert len(items) == 1, items
    return int(items[0]["event_id"])


def test_the_events_on_a_map_a_timeline_and_a_list(server: str, page: Page, width: str) -> None:
    page.goto(server + "/events?place=FR")
    expect(page.locator("#count")).to_have_text("2 events")
    dots = page.locator("svg#map a.event-place")
    assert sorted(dots.locator("title").all_text_contents()) == ["Lyon: 1 event", "Marseille: 1 event"]
    bars = page.locator("svg.timeline.events rect")
    assert bars.count() == 2  # March 1 and March 9
    assert page.locator("ol.events li.event").count() == 2
    shot(page, width, "events")
    page.goto(server + "/events?place=FR")
    dots.filter(has_text="Lyon").locator("circle").dispatch_event("click")
    page.wait_for_url("**/events?place=Lyon")
    expect(page.locator("#count")).to_have_text("1 event")
    page.locator("ol.events a.event-link").first.click()
    page.wait_for_url("**/events/*")
    expect(page.locator("#sentence mark.trigger")).to_have_text("arrested")


def test_an_events_page_marks_its_sentence_and_links_who_where_and_what_was_said(
    server: str, page: Page, width: str
) -> None:
    lyon = _event_id(server, place="Lyon")
    page.goto(f"{server}/events/{lyon}")
    sentence = page.locator("#sentence")
    expect(sentence.locator("mark.trigger")).to_have_text("arrested")
    assert sentence.locator("span.actor").all_inner_texts() == ["Police", "twelve protesters"]
    assert sentence.locator("span.place").all_inner_texts() == ["Lyon"]
    expect(page.locator("ol.reports li.report")).to_have_count(2)
    expect(page.locator("ol.reports li.report").first).to_contain_text("The Lyon-Daily Courier")
    expect(page.locator("ol.reports .reason").first).to_contain_text("same place: Lyon, shared actor: Police")
    statements = page.locator("ol.statements li.quote")
    expect(statements).to_have_count(2)
    expect(statements.first).to_contain_text("order had been restored")
    expect(statements.first.locator(".reason")).to_have_text("its words name the event: 'arrests'")
    expect(page.locator("dd.modality")).to_have_text("happened")
    shot(page, width, "event")
    page.locator("dl.facts a.actor").first.click()
    page.wait_for_url("**/events?actor=Police")
    expect(page.locator("#count")).to_have_text("2 events")
    page.goto(f"{server}/events/{lyon}")
    page.locator("dl.facts a.place").click()
    page.wait_for_url("**/events?place=Lyon")
    page.goto(f"{server}/events/{lyon}")
    page.locator("ol.statements a", has_text="link & cite").first.click()
    page.wait_for_url("**/quotes/*")


def test_the_article_page_lists_its_events_beside_its_quotes(server: str, page: Page, width: str) -> None:
    page.goto(server + "/articles/lyon-daily")
    trigger = page.locator("article.text span.ev")
    expect(trigger).to_have_text("arrested")
    listed = page.locator("ol.article-events li")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("COERCE")
    shot(page, width, "article-events")
    listed.locator("a").first.click()
    page.wait_for_url(f"**/events/{_event_id(server, place='Lyon')}")


@pytest.mark.skipif(not SEED.exists(), reason=f"{SEED} not found (a checkout of ../shared)")
def test_the_seeds_planned_meeting_and_what_was_said_about_it(server: str, page: Page, width: str) -> None:
    page.goto(server + "/events?modality=planned&type=CONSULT")
    expect(page.locator("#count")).to_have_text("1 event")
    page.locator("ol.events a.event-link").click()
    expect(page.locator("dd.modality")).to_have_text("planned")
    expect(page.locator("dl.facts a.place").first).to_have_text("Doha")
    assert page.locator("ol.statements li.quote").count() >= 1
    shot(page, width, "event-seed")


def test_an_event_that_does_not_exist_is_a_404_page(server: str) -> None:
    response = httpx.get(f"{server}/events/999")
    assert response.status_code == 404 and "no event 999" in response.text
    assert httpx.get(f"{server}/events?type=skirmish").status_code == 422
