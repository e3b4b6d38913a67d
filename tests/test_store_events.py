"""Events in the store, on both backends (see conftest.py): written in the article's transaction and read
back whole, linked across articles with the evidence, the quotes about them, the events filter, the
user's merges and splits, old databases migrated, and batch shards loaded. Articles are invented and
built by hand (offsets from str.index), so no parse is needed."""

from __future__ import annotations

import json
import multiprocessing
import time
from dataclasses import replace
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

import quotegraph.resolve.events as resolve_events
import quotegraph.store.event_links as event_links
import quotegraph.store.migrations as migrations_module
from quotegraph.batch.load import load_batch
from quotegraph.batch.shards import write_shard
from quotegraph.errors import InvalidParameter, StoreError
from quotegraph.model import (
    Article,
    CharSpan,
    Count,
    DateMention,
    Entity,
    Event,
    EventType,
    Mention,
    Modality,
    Participant,
    Place,
    Quote,
)
from quotegraph.resolve.events import Statement
from quotegraph.store import EventFilter, QuoteFilter, open_store, parse_event_filter
from quotegraph.store.migrations import MIGRATIONS
from quotegraph.store.sql import SqlStore

CITIES = {
    "Lyon": (45.748, 4.847, "FR", "Auvergne-Rhone-Alpes"),
    "Villeurbanne": (45.767, 4.880, "FR", "Auvergne-Rhone-Alpes"),
    "Marseille": (43.297, 5.381, "FR", "Provence-Alpes-Cote d'Azur"),
}


def arrests(
    article_id: str,
    *,
    published: str = "2024-03-10",
    city: str = "Lyon",
    day: str | None = "Saturday, March 9",
    value: str = "2024-03-09",
    actor: str = "Police",
    kind: EventType = "COERCE",
    modality: Modality = "happened",
) -> Article:
    """An invented report of an arrest: who, where and, unless ``day`` is None, when; a quote about it."""
    when = f" on {day}" if day else ""
    text = (
        f"{actor} arrested twelve protesters in {city}{when}. "
        "Regarding the arrests, Tomas Berg said order had been restored. "
        f"Berg said the weather had been mild ({article_id})."
    )

    def at(words: str, start: int = 0) -> CharSpan:
        found = text.index(words, start)
        return CharSpan(found, found + len(words))

    lat, lon, country, admin1 = CITIES[city]
    place = Place(at(city), city, "city", lat, lon, country, admin1)
    dates = [DateMention(at(day), day, value, "day", "publication date")] if day else []
    event = Event(
        trigger=at("arrested"),
        sentence=at(text.split(". ")[0] + "."),
        type=kind,
        acled_event_type="Strategic developments",
        acled_sub_event_type="Arrests",
        actor1=Participant(at(actor), actor, 0),
        actor2=Participant(at("twelve protesters"), "twelve protesters"),
        places=[place],
        date=value if day else published,
        date_precision="day",
        date_span=dates[0].span if dates else None,
        size=Count(12, at("twelve protesters")),
        modality=modality,
        confidence=0.8,
        mentions=[at("arrests")],
    )
    berg = at("Tomas Berg")
    return Article(
        text=text,
        id=article_id,
        title=f"Arrests in {city}",
        url=f"https://{article_id}.example.org/news",
        published=published,
        site_name=f"The {article_id.title()} Courier",
        entities=[Entity(actor, "org"), Entity("Tomas Berg", "person", ["Berg"])],
        mentions=[Mention(at(actor), actor, "ORG", 0), Mention(berg, "Tomas Berg", "PERSON", 1)],
        quotes=[
            Quote(
                at("order had been restored"),
                "indirect",
                at("said"),
                berg,
                "Tomas Berg",
                1,
                topic=at("the arrests"),
            ),
            Quote(
                at("the weather had been mild"),
                "indirect",
                at("said", berg.end + 10),
                at("Berg", berg.end),
                "Tomas Berg",
                1,
            ),
        ],
        places=[place],
        dates=dates,
        events=[event],
    )


def test_an_article_comes_back_with_its_events(store: SqlStore) -> None:
    article = arrests("lyon-daily")
    assert store.add_article(article)
    loaded = store.article("lyon-daily")
    assert loaded is not None and loaded.events == article.events and loaded == article
    event = loaded.events[0]
    assert loaded.text[event.trigger.start : event.trigger.end] == "arrested"
    assert event.places[0] is loaded.places[0]  # the article's place record, as the pipeline gives it
    assert store.article_event_ids(article.content_hash) == [store.events()[0].event_id]


def test_an_event_with_a_list_of_dates_and_no_actors_comes_back(store: SqlStore) -> None:
    article = arrests("two-days")
    event = article.events[0]
    event.date, event.actor1, event.actor2, event.size, event.mentions = (
        ["2024-03-08", "2024-03-09"],
        None,
        None,
        None,
        [],
    )
    store.add_article(article)
    loaded = store.article("two-days")
    assert loaded is not None and loaded.events == [event]


@pytest.mark.parametrize(
    "breakage",
    [
        lambda a: setattr(a.events[0], "trigger", CharSpan(len(a.text), len(a.text) + 4)),
        lambda a: setattr(a.events[0].actor1, "entity", 7),
        lambda a: setattr(a.events[0], "places", [Place(CharSpan(0, 4), "Nowhere", "city")]),
        lambda a: a.events[0].mentions.append(CharSpan(0, 10_000)),
    ],
)  # fmt: skip
def test_a_bad_event_stores_nothing_of_its_article(store: SqlStore, breakage: object) -> None:
    article = arrests("broken")
    breakage(article)  # type: ignore[operator]
    with pytest.raises(StoreError):
        store.add_article(article)
    for table in ("articles", "quotes", "events", "canonical_events", "event_statements"):
        assert store.execute(f"SELECT count(*) FROM {table}") == [(0,)], table


def test_the_quotes_about_an_event_and_why(store: SqlStore) -> None:
    store.add_article(arrests("lyon-daily"))
    (event,) = store.events()
    assert event.statements == 1
    detail = store.event(event.event_id)
    assert detail is not None
    assert [(s.quote.text, s.reason) for s in detail.statements] == [
        ("order had been restored", "its words name the event: 'arrests'")
    ]
    assert [q.text for q in store.quotes(QuoteFilter(event=event.event_id))] == ["order had been restored"]
    assert store.quotes(QuoteFilter(event=event.event_id + 1)) == []
    assert store.event(event.event_id + 1) is None


def test_reports_of_one_event_from_several_articles_are_one_record(store: SqlStore) -> None:
    later = arrests("evening-post", published="2024-03-11", day=None)  # dated by its report
    earlier = arrests("lyon-daily", published="2024-03-10")
    store.add_article(later)  # stored first, published later
    store.add_article(earlier)
    (event,) = store.events()
    assert [r.external_id for r in event.reports] == [
        "lyon-daily",
        "evening-post",
    ]  # the earliest report first
    assert [r.reason for r in event.reports] == [
        "same event: COERCE, dates agree (2024-03-09 / reported 2024-03-11), same place: Lyon, shared actor: Police",
        "first report",
    ]
    assert event.date == "2024-03-09" and event.reports[0].date_words == "Saturday, March 9"
    assert event.size is not None and event.size.value == 12
    assert event.statements == 2  # one quote about it in each article
    assert len(store.quotes(QuoteFilter(event=event.event_id))) == 2


@pytest.mark.parametrize(
    "other",
    [
        arrests("marseille", city="Marseille"),  # 280 km away
        arrests("april", day="Saturday, April 20", value="2024-04-20", published="2024-04-21"),
        arrests("maybe", modality="hypothetical"),
        arrests("protest", kind="PROTEST"),
        arrests("gendarmes", actor="Gendarmerie"),  # both name who acted, and not the same
    ],
)
def test_reports_that_differ_stay_two_events(store: SqlStore, other: Article) -> None:
    store.add_article(arrests("lyon-daily"))
    store.add_article(other)
    assert store.count_events() == 2
    assert all(len(e.reports) == 1 and e.reports[0].reason == "first report" for e in store.events())


def test_a_neighbouring_town_is_the_same_place(store: SqlStore) -> None:
    store.add_article(arrests("lyon-daily"))
    store.add_article(arrests("suburb", city="Villeurbanne", actor="Prefecture"))
    store.add_article(arrests("suburb-2", city="Villeurbanne", published="2024-03-12"))
    lyon, suburb = sorted(store.events(), key=lambda e: len(e.reports))[::-1]
    assert [r.external_id for r in lyon.reports] == ["lyon-daily", "suburb-2"]
    assert "same place: Villeurbanne and Lyon, 3 km apart, shared actor: Police" in lyon.reports[1].reason
    assert [r.external_id for r in suburb.reports] == ["suburb"]  # Prefecture and Police: two sides


def test_one_article_gives_an_event_one_report(store: SqlStore) -> None:
    twice = arrests("twice")
    twice.events.append(replace(twice.events[0], mentions=[]))
    store.add_article(arrests("lyon-daily"))
    store.add_article(twice)
    assert sorted(len(e.reports) for e in store.events()) == [1, 2]


def test_merge_and_split_by_hand_are_recorded(store: SqlStore) -> None:
    store.add_article(arrests("lyon-daily"))
    store.add_article(arrests("marseille", city="Marseille"))
    marseille, lyon = (
        e.event_id for e in sorted(store.events(), key=lambda e: e.places[0].name, reverse=True)
    )
    assert (
        store.merge_events(lyon, marseille) == f"merged event {marseille} into event {lyon}: 1 report moved"
    )
    (merged,) = store.events()
    assert merged.event_id == lyon and len(merged.reports) == 2
    assert merged.reports[1].reason.startswith(f"merged by hand: event {marseille} into event {lyon} on ")
    message = store.split_event(lyon, "marseille")
    assert message.startswith(f"split the report in marseille from event {lyon} into event ")
    assert store.count_events() == 2
    assert [row[0] for row in store.execute("SELECT action FROM event_decisions ORDER BY id")] == [
        "merge",
        "split",
    ]
    with pytest.raises(StoreError, match="no event 999"):
        store.merge_events(999, lyon)
    with pytest.raises(StoreError, match="nothing would remain"):
        store.split_event(lyon, "lyon-daily")
    with pytest.raises(StoreError, match="no report in article"):
        store.split_event(lyon, "nowhere")


# --- the events filter ---------------------------------------------------------------------------


@pytest.fixture
def four(store: SqlStore) -> SqlStore:
    store.add_article(arrests("lyon-daily"))
    store.add_article(arrests("marseille", city="Marseille", actor="Gendarmerie"))
    store.add_article(arrests("april", day="Saturday, April 20", value="2024-04-20", published="2024-04-21"))
    store.add_article(arrests("rally", kind="PROTEST", modality="planned"))
    return store


def places_of(store: SqlStore, selected: EventFilter) -> list[str]:
    return [f"{e.places[0].name} {e.date} {e.type}" for e in store.events(selected)]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, ["Lyon 2024-04-20 COERCE", "Lyon 2024-03-09 PROTEST", "Marseille 2024-03-09 COERCE", "Lyon 2024-03-09 COERCE"]),
        ({"type": "coerce"}, ["Lyon 2024-04-20 COERCE", "Marseille 2024-03-09 COERCE", "Lyon 2024-03-09 COERCE"]),
        ({"type": "PROTEST"}, ["Lyon 2024-03-09 PROTEST"]),
        ({"type": "arrests", "place": "marseille"}, ["Marseille 2024-03-09 COERCE"]),
        ({"type": "Strategic Developments", "limit": "1", "offset": "1"}, ["Lyon 2024-03-09 PROTEST"]),
        ({"type": "Battles"}, []),
        ({"actor": "gendarmerie"}, ["Marseille 2024-03-09 COERCE"]),
        ({"actor": "Twelve Protesters", "place": "FR", "to": "2024-03"}, ["Lyon 2024-03-09 PROTEST", "Marseille 2024-03-09 COERCE", "Lyon 2024-03-09 COERCE"]),
        ({"from": "2024-04"}, ["Lyon 2024-04-20 COERCE"]),
        ({"from": "2024-03-10", "to": "2024-04-19"}, []),
        ({"modality": "planned"}, ["Lyon 2024-03-09 PROTEST"]),
        ({"place": "DE"}, []),
    ],
)  # fmt: skip
def test_events_filter(four: SqlStore, values: dict[str, str], expected: list[str]) -> None:
    selected = parse_event_filter({k.replace("from", "from_"): v for k, v in values.items()})
    assert places_of(four, selected) == expected
    assert four.count_events(selected.page(None)) == len(places_of(four, selected.page(None)))


def test_events_filter_finds_an_actor_by_any_name_across_articles(store: SqlStore) -> None:
    article = arrests("lyon-daily", actor="Lyon Metropolitan Police")
    article.entities[0].aliases = ["LMP"]
    store.add_article(article)
    for name in ("Lyon Metropolitan Police", "lyon metropolitan police", "LMP"):
        assert store.count_events(EventFilter(actor=name)) == 1, name
    assert store.count_events(EventFilter(actor="Berg")) == 0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"type": "SHOOTING"}, "no PLOVER category"),
        ({"modality": "rumoured"}, "not one of happened, planned, denied, hypothetical"),
        ({"from_": "last week"}, "is not a date"),
        ({"from_": "2024-05", "to": "2024-04"}, "after to"),
        ({"limit": "0"}, "not between 1"),
        ({"limit": "many"}, "not a whole number"),
    ],
)
def test_bad_event_filters_are_refused(values: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidParameter, match=message):
        parse_event_filter(values)


def test_an_event_id_in_the_quote_filter_is_checked() -> None:
    with pytest.raises(InvalidParameter, match="not an event id"):
        QuoteFilter(event=0)


# --- old databases, concurrent writers, batch shards ---------------------------------------------


def test_a_database_from_before_events_migrates(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = [m for m in MIGRATIONS if m.version < 12]
    monkeypatch.setattr(migrations_module, "MIGRATIONS", before)
    old_article = arrests("old")
    old_article.events = []
    with open_store(db) as old:
        assert old.add_article(old_article)
    monkeypatch.undo()
    with open_store(db) as s:
        assert isinstance(s, SqlStore) and s.schema_version() == MIGRATIONS[-1].version
        assert s.article("old") == old_article
        assert s.add_article(arrests("new"))
        assert [r.external_id for e in s.events() for r in e.reports] == ["new"]


def test_two_writers_storing_reports_of_the_same_events_at_once_link_them(db: str) -> None:
    """Two processes store reports of the same twelve events at the same moment, each keeping its
    transaction open a while after its events are written: every event still ends with both reports."""
    open_store(db).close()
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(2)
    writers = [spawn.Process(target=store_reports, args=(db, outlet, start)) for outlet in ("north", "south")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
        assert writer.exitcode == 0
    with open_store(db) as s:
        events = s.events()
        assert len(events) == 12 and {len(e.reports) for e in events} == {2}


def store_reports(db: str, outlet: str, start: Barrier) -> None:
    """In a child process: one report of each of twelve arrests, a day apart, from one outlet, in step
    with the other writer; each article's transaction lingers after its events are written, where the
    other writer would miss them if it did not wait for it."""
    original = resolve_events.statements

    def slowly(article: Article) -> list[Statement]:
        time.sleep(0.05)
        return original(article)

    vars(event_links)["statements"] = slowly  # the rule as add_events calls it
    with open_store(db) as s:
        for day in range(1, 13):
            value = f"2024-03-{day:02d}"
            start.wait()  # both writers store their report of this day at once
            s.add_article(arrests(f"{outlet}-{day}", day=f"March {day}", value=value, published="2024-03-20"))


def test_load_stores_the_events_of_batch_shards(tmp_path: Path, db: str) -> None:
    out = tmp_path / "run"
    (out / "shards").mkdir(parents=True)
    (out / "manifest.json").write_text(json.dumps({}), encoding="utf-8")
    articles = [arrests("lyon-daily"), arrests("evening-post", published="2024-03-11", day=None)]
    assert write_shard(articles, [], out / "shards" / "00000")
    with open_store(db) as s:
        assert load_batch(out, s).stored == 2
        assert load_batch(out, s).already_stored == 2  # loading again changes nothing
        (event,) = s.events()
        assert len(event.reports) == 2
        assert s.article("lyon-daily") == articles[0]
