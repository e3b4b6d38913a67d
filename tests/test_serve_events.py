"""Events out of the database: `events`, `event`, `quotes --event`, `events merge|split`, `export
--events` as JSONL, CSV, Parquet and ACLED's columns, the filters that select them, `GET /api/events`
and `/api/events/ID`, and `extract`'s events read by the shared event scorer as they are written.

The stored articles are the invented arrest reports of test_store_events.py: two reports of one
arrest in Lyon (published a day apart), one in Marseille, and a planned one."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import BACKENDS
from quotegraph.serve.cli import main
from quotegraph.serve.cli.common import stdout
from quotegraph.serve.export import ACLED_COLUMNS
from quotegraph.serve.records import EVENT_FIELDS
from quotegraph.serve.web import create_app, event_pages
from quotegraph.store import SQLiteStore, open_store
from test_store_events import arrests

DOCUMENTED = [
    "event_id", "type", "event_type", "sub_event_type", "actor1", "actor1_id", "actor2", "actor2_id",
    "location", "latitude", "longitude", "country", "places", "date", "date_precision", "fatalities",
    "injured", "size", "modality", "confidence", "trigger", "sentence", "article_id", "external_id", "url",
    "title", "published", "start", "end", "sources", "outlets", "statements",
]  # fmt: skip
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "data" / "dev" / "seed.gold.json"
SCORER = SHARED / "eval" / "score_events.py"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("events") / "events.db")
    with SQLiteStore(path) as store:
        for article in (
            arrests("evening-post", published="2024-03-11", day=None),
            arrests("lyon-daily", published="2024-03-10"),
            arrests("marseille", city="Marseille", day="Friday, March 1", value="2024-03-01"),
            arrests("next-week", modality="planned", kind="PROTEST"),
        ):
            assert store.add_article(article)
    return path


@pytest.fixture(autouse=True)
def wide_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as wide as their words, so that a name is not cut at 80 columns."""
    monkeypatch.setattr(stdout, "_width", 200)


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _run(db: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["export", "--events", "--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _jsonl(db: str, *args: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in _run(db, "--format", "jsonl", *args).splitlines()]


def test_jsonl_has_the_documented_fields_and_one_record_per_event(db: str) -> None:
    records = _jsonl(db)
    assert list(EVENT_FIELDS) == DOCUMENTED
    assert all(list(r) == DOCUMENTED for r in records)
    assert len(records) == 3  # the two Lyon reports are one event
    lyon = next(r for r in records if r["location"] == "Lyon")
    assert (lyon["type"], lyon["event_type"], lyon["sub_event_type"]) == (
        "COERCE",
        "Strategic developments",
        "Arrests",
    )
    assert (lyon["actor1"], lyon["actor2"], lyon["size"], lyon["fatalities"]) == (
        "Police",
        "twelve protesters",
        12,
        None,
    )
    assert (lyon["latitude"], lyon["longitude"], lyon["country"], lyon["places"]) == (
        45.748,
        4.847,
        "FR",
        ["Lyon"],
    )
    assert (lyon["date"], lyon["date_precision"], lyon["modality"]) == ("2024-03-09", "day", "happened")
    # the earliest report gives the words and offsets; every report is a source, the earliest first
    assert lyon["external_id"] == "lyon-daily" and lyon["outlets"] == [
        "The Lyon-Daily Courier",
        "The Evening-Post Courier",
    ]
    assert len(lyon["sources"]) == 2 and lyon["sources"][0] == lyon["article_id"]
    assert lyon["trigger"] == "arrested" and lyon["sentence"].startswith(
        "Police arrested twelve protesters in Lyon"
    )
    assert lyon["end"] - lyon["start"] == len("arrested") and lyon["statements"] == 2


def test_the_event_filters_select_what_is_exported(db: str) -> None:
    assert [r["location"] for r in _jsonl(db, "--place", "Marseille")] == ["Marseille"]
    assert [r["modality"] for r in _jsonl(db, "--modality", "planned")] == ["planned"]
    assert {r["location"] for r in _jsonl(db, "--type", "arrests", "--from", "2024-03-05")} == {"Lyon"}
    assert len(_jsonl(db, "--actor", "police", "--limit", "1")) == 1


def test_csv_flattens_the_lists_and_keeps_the_field_order(db: str) -> None:
    rows = list(
        csv.DictReader(io.StringIO(_run(db, "--format", "csv", "--place", "Lyon", "--modality", "happened")))
    )
    assert len(rows) == 1 and list(rows[0]) == DOCUMENTED
    assert rows[0]["outlets"] == "The Lyon-Daily Courier; The Evening-Post Courier"
    assert rows[0]["fatalities"] == "" and rows[0]["size"] == "12"


def test_parquet_reads_back_typed_with_the_jsonl_rows(db: str, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    _run(db, "--format", "parquet", "--output", str(path))
    table = pq.read_table(path)
    assert table.column_names == DOCUMENTED
    assert table.schema.field("latitude").type == pa.float64()
    assert table.schema.field("sources").type == pa.list_(pa.string())
    assert table.schema.field("size").type == pa.int64()
    assert table.to_pylist() == _jsonl(db)


def test_acled_csv_has_acleds_columns_and_only_events_that_happened(db: str) -> None:
    rows = list(csv.reader(io.StringIO(_run(db, "--format", "acled-csv"))))
    assert tuple(rows[0]) == ACLED_COLUMNS == (
        "event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "latitude",
        "longitude", "geo_precision", "source", "notes", "fatalities",
    )  # fmt: skip
    by_place = {row[5]: row for row in rows[1:]}
    assert set(by_place) == {"Lyon", "Marseille"}  # the planned one is no ACLED event
    lyon = by_place["Lyon"]
    assert lyon[:9] == [
        "2024-03-09",
        "Strategic developments",
        "Arrests",
        "Police",
        "twelve protesters",
        "Lyon",
        "45.748",
        "4.847",
        "1",  # a town: ACLED's precision 1
    ]
    assert lyon[9] == "The Lyon-Daily Courier; The Evening-Post Courier"
    assert lyon[10].startswith("Police arrested twelve protesters in Lyon") and lyon[11] == "0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--events", "--speaker", "Berg"], "--speaker selects quotes, not events"),
        (["export", "--type", "Arrests"], "--type selects events: add --events"),
        (["export", "--format", "acled-csv"], "acled-csv exports events: add --events"),
        (["export", "--events", "--format", "graphml", "--output", "x"], "not graphml"),
        (["export", "--events", "--format", "parquet"], "give --output FILE"),
        (["export", "--events", "--modality", "rumoured"], "'rumoured' is not one of"),
    ],
)
def test_wrong_combinations_are_refused_with_a_reason(db: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, [*args, "--db", db])
    assert result.exit_code != 0 and message in result.output


@pytest.mark.skipif(
    not (SEED.is_file() and SCORER.is_file()), reason=f"seed or event scorer not found under {SHARED}"
)
def test_extract_writes_what_the_event_scorer_reads(tmp_path: Path) -> None:
    """`quotegraph extract` on the seed, scored as it comes out: the seed's 6 events, every field right."""
    gold = json.loads(SEED.read_text(encoding="utf-8"))
    given = tmp_path / "seed.jsonl"
    given.write_text(json.dumps({k: gold[k] for k in ("id", "text", "published")}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(given)])
    assert result.exit_code == 0, result.output
    pred = tmp_path / "pred.jsonl"
    pred.write_text(result.stdout, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("score_events", SCORER)
    assert spec is not None and spec.loader is not None
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    by_id = {str(r["id"]): r for r in scorer.load(str(SEED))}
    figures, _ = scorer.score_events(by_id, {str(r["id"]): r for r in scorer.load(str(pred))}, None)
    assert figures["gold"] == 6 and figures["typed"]["f1"] == 1.0
    fields = figures["fields_on_typed_matches"].values()
    assert all(f["correct"] == f["total"] for f in fields if f["total"]), figures["fields_on_typed_matches"]


# --- the command line ----------------------------------------------------------------------------


def _lyon_id(db: str) -> int:
    [lyon] = _jsonl(db, "--place", "Lyon", "--modality", "happened")
    return int(lyon["event_id"])


def test_events_lists_each_event_once_with_how_many_it_shows(db: str) -> None:
    table = _cli("events", "--db", db)
    assert table.count("Lyon") == 2 and table.count("Marseille") == 1  # the planned one is in Lyon too
    assert "COERCE" in table and "Arrests" in table and "Police" in table and "twelve protesters" in table
    assert table.rstrip().endswith("\n3 events")
    assert _cli("events", "--db", db, "--limit", "1").rstrip().endswith("showing 1 of 3 events")
    assert _cli("events", "--db", db, "--modality", "planned").rstrip().endswith("\n1 event")


def test_events_json_and_csv_are_the_export_records(db: str) -> None:
    assert json.loads(_cli("events", "--db", db, "--format", "json")) == _jsonl(db)
    rows = list(
        csv.DictReader(io.StringIO(_cli("events", "--db", db, "--format", "csv", "--place", "Marseille")))
    )
    assert [(r["location"], r["date"]) for r in rows] == [("Marseille", "2024-03-01")]


def test_events_refuses_a_type_it_does_not_know(db: str) -> None:
    result = CliRunner().invoke(main, ["events", "--db", db, "--type", "riot-ish"])
    assert result.exit_code == 2 and "'--type'" in result.output and "no PLOVER category" in result.output


def test_event_shows_every_report_with_its_evidence_and_the_quotes_about_it(db: str) -> None:
    lyon = _lyon_id(db)
    shown = _cli("event", str(lyon), "--db", db).replace("\u2068", "").replace("\u2069", "")  # isolates
    assert "Police arrested twelve protesters in Lyon" in shown
    assert "The Lyon-Daily Courier" in shown and "The Evening-Post Courier" in shown
    assert "same event: COERCE" in shown and "first report" in shown
    assert "people: 12 (twelve protesters)" in shown and "Lyon (FR)" in shown
    assert "quotes about it (2)" in shown and shown.count("order had been restored") == 2
    detail = json.loads(_cli("event", str(lyon), "--db", db, "--format", "json"))
    assert detail["event"] == next(r for r in _jsonl(db) if r["event_id"] == lyon)
    assert [r["external_id"] for r in detail["reports"]] == ["lyon-daily", "evening-post"]
    assert [s["reason"] for s in detail["statements"]] == ["its words name the event: 'arrests'"] * 2
    assert {s["quote"]["text"] for s in detail["statements"]} == {"order had been restored"}


def test_event_that_does_not_exist_is_one_line_of_error(db: str) -> None:
    result = CliRunner().invoke(main, ["event", "999", "--db", db])
    assert result.exit_code == 1 and "no event 999" in result.output and "Traceback" not in result.output


def test_quotes_about_an_event(db: str) -> None:
    records = json.loads(_cli("quotes", "--event", str(_lyon_id(db)), "--db", db, "--format", "json"))
    assert [(r["speaker"], r["text"]) for r in records] == [("Tomas Berg", "order had been restored")] * 2


def test_merge_and_split_by_hand(tmp_path: Path) -> None:
    db = str(tmp_path / "fix.db")
    with SQLiteStore(db) as store:
        store.add_article(arrests("lyon-daily"))
        store.add_article(arrests("marseille", city="Marseille"))
    (lyon,) = (int(r["event_id"]) for r in _jsonl(db, "--place", "Lyon"))
    (marseille,) = (int(r["event_id"]) for r in _jsonl(db, "--place", "Marseille"))
    merged = _cli("events", "--db", db, "merge", str(lyon), str(marseille))
    assert merged.strip() == f"merged event {marseille} into event {lyon}: 1 report moved"
    assert [len(r["sources"]) for r in _jsonl(db)] == [2]
    split = _cli("events", "--db", db, "split", str(lyon), "--article", "marseille")
    assert split.startswith(f"split the report in marseille from event {lyon} into event ")
    assert sorted(len(r["sources"]) for r in _jsonl(db)) == [1, 1]
    refused = CliRunner().invoke(main, ["events", "--db", db, "split", str(lyon), "--article", "lyon-daily"])
    assert refused.exit_code == 1 and "nothing would remain" in refused.output


# --- the API -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as opened:
        yield opened


def test_api_events_are_the_records_one_page_at_a_time(db: str, client: TestClient) -> None:
    page = client.get("/api/events").json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 20, 0) and page["items"] == _jsonl(db)
    one = client.get("/api/events?type=arrests&place=Lyon&modality=happened&limit=1").json()
    assert one["total"] == 1 and [e["location"] for e in one["items"]] == ["Lyon"]
    second = client.get("/api/events?limit=1&offset=1").json()
    assert second["total"] == 3 and second["items"] == _jsonl(db)[1:2]


def test_api_event_is_what_event_json_gives(db: str, client: TestClient) -> None:
    lyon = _lyon_id(db)
    response = client.get(f"/api/events/{lyon}")
    assert response.status_code == 200
    assert response.json() == json.loads(_cli("event", str(lyon), "--db", db, "--format", "json"))
    quotes = client.get(f"/api/quotes?event={lyon}").json()
    assert [q["text"] for q in quotes["items"]] == ["order had been restored"] * 2


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/events/999", 404, "no event 999"),
        ("/api/events/0", 422, ""),
        ("/api/events?type=skirmish", 422, "no PLOVER category"),
        ("/api/events?from=2024-13", 422, "is not a date"),
        ("/api/events?limit=501", 422, "more than the 500 events"),
        ("/api/events?modality=rumoured", 422, "is not one of"),
    ],
)
def test_api_bad_requests_get_a_reason_not_a_500(
    client: TestClient, url: str, status: int, message: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert message in response.json()["error"]["message"]


def test_the_events_page_says_when_its_map_shows_only_the_latest(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = client.get("/events")
    assert shown.status_code == 200 and "latest of them" not in shown.text
    assert shown.text.count('class="event-place"') == 2  # Lyon and Marseille
    monkeypatch.setattr(event_pages, "MAPPED", 1)
    capped = client.get("/events").text
    assert "The map and the timeline show the 1 latest of them." in capped
    assert capped.count('class="event-place"') == 1 and capped.count('class="event ') == 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_api_and_pages_read_events_from_both_databases(
    request: pytest.FixtureRequest, tmp_path: Path, backend: str
) -> None:
    url = str(tmp_path / "events.db") if backend == "sqlite" else request.getfixturevalue("postgres_url")
    with open_store(url) as store:
        store.add_article(arrests("evening-post", published="2024-03-11", day=None))
        store.add_article(arrests("lyon-daily", published="2024-03-10"))
    with TestClient(create_app(url)) as on:
        [event] = on.get("/api/events?type=COERCE&actor=police&place=FR&from=2024-03").json()["items"]
        assert [event["location"], event["outlets"], event["size"]] == [
            "Lyon",
            ["The Lyon-Daily Courier", "The Evening-Post Courier"],
            12,
        ]
        detail = on.get(f"/api/events/{event['event_id']}").json()
        assert len(detail["reports"]) == 2 and len(detail["statements"]) == 2
        page = on.get(f"/events/{event['event_id']}")
        assert page.status_code == 200 and '<mark class="trigger">arrested</mark>' in page.text
