"""Properties that must hold for any text: generated (news-like sentences mixed with hostile characters)
and real (slices of the seed interview and the PolNeAR dev articles, read at test time).

- every record's offsets lie inside its article, and the text it claims is the slice at its offsets;
- extraction is deterministic: the same text gives the same records, alone or in a batch of others;
- ingest is idempotent: a second ingest of the same files stores nothing and changes no row.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotegraph.jobs import ingest_paths
from quotegraph.model import Article, CharSpan
from quotegraph.pipeline import extract_many
from quotegraph.store import open_store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = SHARED / "dev" / "seed.gold.json"
POLNEAR = SHARED / "raw" / "polnear" / "dev" / "text"

# Each example parses a few articles: few examples, no deadline, nothing written to a database.
PROPERTY = settings(
    max_examples=12, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

NAMES = [
    "Amara Lindqvist",
    "Dr. Tomas Okonkwo-Berg",
    "the mayor",
    "She",
    "Ilse van der Meer",
    "Jean-Luc Ferré",
]
VERBS = ["said", "told reporters", "wrote", "added", "insisted", "warned", "according to"]
WORDS = ["budget", "ferry", "Tuesday", "March 3", "Lagos", "the council", "15%", "€4,000", "U.S.", "vote"]
MARKS = [("“", "”"), ('"', '"'), ("«", "»"), ("‘", "’"), ("„", "“"), ("'", "'"), ("“", "")]
NOISE = [
    "\u200b",
    "\u202e",
    "\u2066",
    "\u00ad",
    "\ufeff",
    "e\u0301",
    "🇺🇦",
    "漢字",
    "\t",
    "…",
    "--",
    "((",
    "“”",
]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8)))
    name, verb = draw(st.sampled_from(NAMES)), draw(st.sampled_from(VERBS))
    opening, closing = draw(st.sampled_from(MARKS))
    shape = draw(st.integers(0, 3))
    if shape == 0:
        return f"{opening}The {words} will change,{closing} {name} {verb}."
    if shape == 1:
        return f"{name} {verb} that the {words} was late."
    if shape == 2:
        return f"{name} {verb}: {opening}{words}.{closing}"
    return f"{words.capitalize()} on {draw(st.sampled_from(WORDS))}"


@st.composite
def generated_texts(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                sentences(),
                st.sampled_from(NOISE),
                st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
            ),
            min_size=1,
            max_size=30,
        )
    )
    gaps = draw(
        st.lists(
            st.sampled_from([" ", "\n", "\n\n", "\r\n", "", "  "]), min_size=len(parts), max_size=len(parts)
        )
    )
    text = "".join(part + gap for part, gap in zip(parts, gaps, strict=True))
    return text if text.strip() else "Nothing was said."


def real_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(POLNEAR.glob("*.txt"))]
    if SEED.is_file():
        texts.append(json.loads(SEED.read_text(encoding="utf-8"))["text"])
    return texts


REAL = real_texts()
needs_real = pytest.mark.skipif(not REAL, reason=f"the shared data is not beside the repository ({SHARED})")


@st.composite
def real_slices(draw: st.DrawFn) -> str:
    """A stretch of a real article, cut anywhere (mid-word, mid-quote), or two joined."""
    text = draw(st.sampled_from(REAL))
    start = draw(st.integers(0, max(len(text) - 1, 0)))
    end = draw(st.integers(start + 1, min(len(text), start + 6000)))
    piece = text[start:end]
    if draw(st.booleans()):
        piece += draw(st.sampled_from(["", "\n", " "])) + draw(st.sampled_from(REAL))[:2000]
    return piece if piece.strip() else "Nothing was said."


def inside(span: CharSpan | None, text: str) -> bool:
    return span is None or 0 <= span.start <= span.end <= len(text)


def assert_offsets_hold(article: Article) -> None:
    text = article.text
    for quote in article.quotes:
        for span in (quote.content, quote.cue, quote.speaker_mention, quote.topic):
            assert inside(span, text), (quote, len(text))
        assert quote.content.end > quote.content.start
        assert quote.nested_in is None or 0 <= quote.nested_in < len(article.quotes)
        assert quote.speaker_entity is None or 0 <= quote.speaker_entity < len(article.entities)
    for mention in article.mentions:
        assert inside(mention.span, text) and text[mention.span.start : mention.span.end] == mention.text
        assert mention.entity is None or 0 <= mention.entity < len(article.entities)
    for date in article.dates:
        assert inside(date.span, text) and text[date.span.start : date.span.end] == date.text
    for place in article.places:
        assert inside(place.span, text) and place.span.end > place.span.start


def records(article: Article) -> tuple[Any, ...]:
    return (article.quotes, article.entities, article.mentions, article.dates, article.places)


def check_texts(texts: list[str]) -> None:
    """Offsets hold for each text, and each gives the same records alone as in a batch with the others."""
    together = list(extract_many([Article(text=t, id=str(n)) for n, t in enumerate(texts)], batch_size=8))
    assert [a.id for a in together] == [str(n) for n in range(len(texts))]
    for n, article in enumerate(together):
        assert article.text == texts[n]
        assert_offsets_hold(article)
        (alone,) = extract_many([Article(text=texts[n], id=str(n))])
        assert records(alone) == records(article)


@PROPERTY
@given(st.lists(generated_texts(), min_size=1, max_size=4))
def test_generated_text_keeps_offsets_and_gives_the_same_records_every_time(texts: list[str]) -> None:
    check_texts(texts)


@needs_real
@PROPERTY
@given(st.lists(real_slices(), min_size=1, max_size=3))
def test_real_text_keeps_offsets_and_gives_the_same_records_every_time(texts: list[str]) -> None:
    check_texts(texts)


def table_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every ordinary table, but for the columns that record when (``*_at``)."""
    with sqlite3.connect(db) as connection:
        names = [
            name
            for name, sql in connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            if not sql.upper().startswith("CREATE VIRTUAL")
            and not name.startswith("sqlite_")
            and "_fts" not in name
        ]
        rows = {}
        for name in names:
            columns = [
                c[1] for c in connection.execute(f'PRAGMA table_info("{name}")') if not c[1].endswith("_at")
            ]
            select = ", ".join(f'"{column}"' for column in columns)
            rows[name] = sorted(connection.execute(f'SELECT {select} FROM "{name}"').fetchall(), key=repr)
    return rows


@needs_real
@settings(
    max_examples=5,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    generated=st.lists(generated_texts(), min_size=1, max_size=3), real=st.lists(real_slices(), max_size=2)
)
def test_ingesting_the_same_files_again_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory, generated: list[str], real: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("idempotent")
    lines = [{"id": f"a{n}", "text": text} for n, text in enumerate(generated + real)]
    (folder / "news.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    db = folder / "q.db"
    with open_store(str(db)) as store:
        first = ingest_paths([folder / "news.jsonl"], store)
    before = table_rows(db)
    with open_store(str(db)) as store:
        again = ingest_paths([folder / "news.jsonl"], store)
        for row in store.quotes():
            article = store.article(row.article_id)
            assert article is not None and article.text[row.start : row.end] == row.text
    assert again.stored == 0 and again.duplicates == first.stored + first.duplicates
    assert table_rows(db) == before
