"""quotegraph export: documented fields, the quotes filters, Parquet types, a GraphML network."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from quotegraph.jobs import ingest_paths
from quotegraph.serve.cli import main
from quotegraph.serve.records import FIELDS
from quotegraph.serve.web import create_app
from quotegraph.store import QuoteFilter, SQLiteStore

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
G = "{http://graphml.graphdrawing.org/xmlns}"
DOCUMENTED = [
    "quote_id",
    "text",
    "speaker",
    "speaker_aliases",
    "kind",
    "act",
    "confidence",
    "cue",
    "speaker_mention",
    "article_id",
    "external_id",
    "url",
    "title",
    "published",
    "start",
    "end",
    "nested_in",
    "inferred",
    "topic",
    "outlet",
    "published_inferred",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("export") / "examples.db")
    with SQLiteStore(path) as store:
        summary = ingest_paths([EXAMPLES], store)
    assert summary.stored > 0
    return path


@pytest.fixture
def store(db: str) -> Iterator[SQLiteStore]:
    with SQLiteStore(db) as opened:
        yield opened


def _jsonl(db: str, *args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_jsonl_has_exactly_the_documented_fields_and_the_article_words(db: str, store: SQLiteStore) -> None:
    records = _jsonl(db)
    assert len(records) == len(store.quotes()) > 0
    assert list(FIELDS) == DOCUMENTED
    for record in records:
        assert list(record) == DOCUMENTED
        article = store.article(record["external_id"])
        assert article is not None
        assert record["text"] == article.text[record["start"] : record["end"]]
        assert isinstance(record["speaker_aliases"], list)


def test_jsonl_carries_the_speakers_aliases(db: str) -> None:
    """Aliases are names: "a nurse who organised the march" is her role (a ROLE mention), not a name."""
    okafor = [r for r in _jsonl(db) if r["speaker"] == "Amina Okafor"]
    assert okafor and all(isinstance(r["speaker_aliases"], list) for r in okafor)
    assert not [a for r in okafor for a in r["speaker_aliases"] if "nurse" in a]


def test_speaker_filter_keeps_only_her_quotes(db: str, store: SQLiteStore) -> None:
    records = _jsonl(db, "--speaker", "Okafor")
    assert records and {r["speaker"] for r in records} == {"Amina Okafor"}
    assert len(records) == len(store.quotes(QuoteFilter(speaker="Okafor"))) < len(store.quotes())


def test_csv_header_is_the_field_list_and_one_row_per_quote(
    db: str, store: SQLiteStore, tmp_path: Path
) -> None:
    out = tmp_path / "quotes.csv"
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == DOCUMENTED
    assert len(rows) - 1 == len(store.quotes())
    okafor = next(r for r in rows[1:] if r[2] == "Amina Okafor")
    assert okafor[3] == "; ".join(store.speaker_aliases().get("Amina Okafor", []))
    inferred = DOCUMENTED.index("inferred")
    assert {r[inferred] for r in rows[1:]} <= {"true", "false"}


def test_csv_goes_to_standard_output_with_filters(db: str, store: SQLiteStore) -> None:
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "csv", "--min-confidence", "0.8"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == len(store.quotes(QuoteFilter(min_confidence=0.8))) < len(store.quotes())
    assert all(float(r["confidence"]) >= 0.8 for r in rows)


def test_parquet_reads_back_with_the_same_rows_and_columns(
    db: str, store: SQLiteStore, tmp_path: Path
) -> None:
    out = tmp_path / "quotes.parquet"
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "parquet", "--output", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == len(store.quotes())
    assert table.column_names == DOCUMENTED
    types = {field.name: field.type for field in table.schema}
    assert (types["start"], types["nested_in"], types["confidence"], types["inferred"]) == (
        pa.int64(),
        pa.int64(),
        pa.float64(),
        pa.bool_(),
    )
    assert pa.types.is_list(types["speaker_aliases"]) and types["speaker_aliases"].value_type == pa.string()
    assert table.column("text").to_pylist() == [q.text for q in store.quotes()]


def test_graphml_has_speaker_nodes_and_weighted_relay_edges(
    db: str, store: SQLiteStore, tmp_path: Path
) -> None:
    out = tmp_path / "speakers.graphml"
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "graphml", "--output", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    keys = {k.get("id") for k in root.iter(f"{G}key")}
    used = {d.get("key") for d in root.iter(f"{G}data")}
    assert used <= keys
    labels = {n.get("id"): n.findtext(f"{G}data[@key='label']") for n in root.iter(f"{G}node")}
    assert {s.name for s in store.speakers()} <= set(labels.values())
    edges = [
        (labels[e.get("source")], labels[e.get("target")], e.findtext(f"{G}data[@key='type']"), e)
        for e in root.iter(f"{G}edge")
    ]
    assert ("Ruth Abebe", "Daniel Voss", "relays") in {edge[:3] for edge in edges}
    assert {edge[2] for edge in edges} == {"relays", "talks_about"}
    for *_, element in edges:
        weight = element.findtext(f"{G}data[@key='weight']") or ""
        assert weight.isdigit() and int(weight) > 0


def test_talks_about_counts_people_named_inside_each_quote(store: SQLiteStore) -> None:
    expected: Counter[tuple[str, str]] = Counter()
    for external_id in {q.external_id for q in store.quotes()}:
        article = store.article(external_id)
        assert article is not None
        for quote in article.quotes:
            if quote.speaker_entity is None:
                continue
            speaker = article.entities[quote.speaker_entity].name
            named = {
                article.entities[m.entity].name
                for m in article.mentions
                if m.entity is not None
                and quote.content.start <= m.span.start
                and m.span.end <= quote.content.end
                and article.entities[m.entity].kind in ("person", "org")
            }
            expected.update((speaker, name) for name in named if name.casefold() != speaker.casefold())
    rows = store.talks_about()
    assert ("Ruth Abebe", "Daniel Voss") in expected
    assert {(r.speaker, r.subject): r.count for r in rows} == expected


@pytest.mark.parametrize("fmt", ["parquet", "graphml"])
def test_file_formats_require_output(db: str, fmt: str) -> None:
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", fmt])
    assert result.exit_code == 1
    assert "--output" in result.output


def test_graphml_refuses_quote_filters(db: str, tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    result = CliRunner().invoke(
        main, ["export", "--db", db, "--format", "graphml", "--output", str(out), "--speaker", "Okafor"]
    )
    assert result.exit_code == 1 and not out.exists()


def _output(db: str, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--db", db])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_output_gives_the_same_records(db: str, store: SQLiteStore) -> None:
    """`quotes --format json|csv`, `export` and the API's items are one serialization, in the
    documented field order; a quote's own address gives the same record."""
    records = _jsonl(db)
    assert len(records) == len(store.quotes()) > 20
    listed = json.loads(_output(db, "quotes", "--format", "json"))
    assert listed == records and all(list(r) == DOCUMENTED for r in listed)
    assert _output(db, "quotes", "--format", "csv") == _output(db, "export", "--format", "csv")
    okafor = _output(db, "quotes", "--format", "csv", "--speaker", "Okafor").splitlines()
    assert okafor[0] == ",".join(DOCUMENTED) and len(okafor) > 2
    with TestClient(create_app(db)) as client:
        page = client.get("/api/quotes?limit=500").json()
        assert page["items"] == records and all(list(r) == DOCUMENTED for r in page["items"])
        for record in records[:5]:
            assert client.get(f"/api/quotes/{record['quote_id']}").json() == record
        assert client.get(f"/api/quotes/{max(r['quote_id'] for r in records) + 1}").status_code == 404
        assert client.get("/api/quotes/0").status_code == 422
        assert client.get(f"/api/quotes/{10**30}").status_code == 422


def test_an_entitys_quotes_are_records_too(db: str) -> None:
    detail = json.loads(_output(db, "entity", "Okafor", "--format", "json"))
    assert detail["quotes_by"] and all(list(r) == DOCUMENTED for r in detail["quotes_by"])
    with TestClient(create_app(db)) as client:
        assert client.get("/api/entities/Okafor").json() == detail
