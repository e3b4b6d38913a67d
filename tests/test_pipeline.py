"""One article never stops a run: failures are recorded with their reason, limits hold, the rest is kept.

Failures are injected into the real pipeline (a stage replaced by one that raises or stalls on a
marked article, a parser component that raises); the other articles go through it untouched.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from quotegraph import pipeline
from quotegraph.errors import AnalysisError
from quotegraph.extract.dates import read_dates
from quotegraph.jobs import ingest_paths
from quotegraph.model import Article, IngestFailure
from quotegraph.nlp import load_pipeline
from quotegraph.nlp.bounds import parse, pieces
from quotegraph.pipeline import extract, extract_many
from quotegraph.resolve.places import resolve_places
from quotegraph.store import SQLiteStore, open_store
from quotegraph.timelimit import TimeLimitExceeded, time_limit

MARK = "Quillfeather"  # a made-up name: the articles that carry it are the ones made to fail

ARTICLES = {
    "ferry.txt": "Harbour board keeps the night ferry\n\n"
    "“The islands need the late crossing,” said Lena Marsh, who chairs the harbour board.\n",
    "library.txt": "Library opens on Sundays\n\n"
    "The library will open on Sundays from March, its director, Paul Okoro, said on Tuesday.\n",
    "bad.txt": f"Bakery wins award\n\n“We bake every night,” said Tom {MARK}, the owner.\n",
    "tram.txt": "Tram line to close for repairs\n\n"
    "“Two weeks without trams is hard on everyone,” said Ines Vidal, the mayor.\n",
}


def write_articles(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def dates_fail_on_the_mark(monkeypatch: pytest.MonkeyPatch) -> None:
    fail_dates_on_the_mark(monkeypatch)


def fail_dates_on_the_mark(monkeypatch: pytest.MonkeyPatch) -> None:
    """The date stage raises on the marked article, as the headline bug once did on every article."""

    def failing(doc: Doc, published: str | None) -> Any:
        if MARK in doc.text:
            raise ValueError("month must be in 1..12")
        return read_dates(doc, published)

    monkeypatch.setattr(pipeline, "read_dates", failing)


@pytest.mark.usefixtures("dates_fail_on_the_mark")
def test_an_article_whose_analysis_raises_is_recorded_and_the_others_are_stored(tmp_path: Path) -> None:
    source = write_articles(tmp_path / "in")
    with SQLiteStore(":memory:") as store:
        summary = ingest_paths([source], store)
        assert (summary.stored, summary.duplicates) == (3, 0)
        assert summary.failures == [
            IngestFailure(str(source / "bad.txt"), "analysis failed: ValueError: month must be in 1..12")
        ]
        assert store.failures() == summary.failures
        assert {row.speaker for row in store.quotes()} == {"Lena Marsh", "Paul Okoro", "Ines Vidal"}


@pytest.mark.usefixtures("dates_fail_on_the_mark")
def test_with_debug_the_reason_carries_the_traceback(tmp_path: Path) -> None:
    with SQLiteStore(":memory:") as store:
        summary = ingest_paths([write_articles(tmp_path / "in")], store, debug=True)
    (failure,) = summary.failures
    assert failure.reason.startswith("analysis failed: ValueError: month must be in 1..12\nTraceback")
    assert "in failing" in failure.reason and "in annotate" in failure.reason


@pytest.mark.usefixtures("dates_fail_on_the_mark")
def test_extract_raises_the_reason_for_its_one_article() -> None:
    with pytest.raises(AnalysisError, match=r"ValueError: month must be in 1\.\.12"):
        extract(ARTICLES["bad.txt"])
    assert extract(ARTICLES["ferry.txt"]).quotes[0].speaker == "Lena Marsh"


@Language.component("fails_on_the_mark")
def fails_on_the_mark(doc: Doc) -> Doc:
    if MARK in doc.text:
        raise RuntimeError("the parser cannot read this")
    return doc


@pytest.fixture
def parser_fails_on_the_mark() -> Iterator[Language]:
    nlp = load_pipeline()
    nlp.add_pipe("fails_on_the_mark", before="parser")
    try:
        yield nlp
    finally:
        nlp.remove_pipe("fails_on_the_mark")


def records_of(articles: list[Article]) -> list[tuple[str, Any]]:
    return [(a.id, (a.quotes, a.entities, a.mentions, a.dates, a.places)) for a in articles]


def test_a_parse_error_in_a_batch_loses_only_its_article(parser_fails_on_the_mark: Language) -> None:
    nlp = parser_fails_on_the_mark
    texts = [text for name, text in ARTICLES.items() if name != "bad.txt"]
    clean = list(extract_many([Article(text=t, id=f"a{n}") for n, t in enumerate(texts)], nlp=nlp))
    failures: list[IngestFailure] = []
    batch = [Article(text=t, id=f"a{n}") for n, t in enumerate(texts)]
    batch.insert(1, Article(text=ARTICLES["bad.txt"], id="bad"))
    done = list(extract_many(batch, nlp=nlp, batch_size=8, on_failure=failures.append))
    assert failures == [IngestFailure("bad", "analysis failed: RuntimeError: the parser cannot read this")]
    assert records_of(done) == records_of(clean)


def test_the_headline_that_crashed_ingest_stores_its_article(tmp_path: Path) -> None:
    (tmp_path / "doha.txt").write_text(
        "Ministers to meet in Doha on Monday\nThe talks will open at noon, a spokesperson said on Sunday.\n",
        encoding="utf-8",
    )
    with SQLiteStore(":memory:") as store:
        summary = ingest_paths([tmp_path], store)
        assert (summary.stored, summary.failures) == (1, [])
        assert store.articles_count() == 1


# --- limits ---------------------------------------------------------------------------------------


@pytest.fixture
def places_stall_on_the_mark(monkeypatch: pytest.MonkeyPatch) -> None:
    """Place resolution runs for ever on the marked article (in Python, as the all-pairs loops did)."""

    def stalling(doc: Doc) -> Any:
        while MARK in doc.text:
            time.sleep(0.01)
        return resolve_places(doc)

    monkeypatch.setattr(pipeline, "resolve_places", stalling)


@pytest.mark.usefixtures("places_stall_on_the_mark")
def test_an_article_past_the_time_limit_is_stopped_and_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTEGRAPH_ARTICLE_SECONDS", "2")
    list(extract_many([Article(text="Warm-up, she said.")]))  # the pipeline and gazetteer loaded
    started = time.monotonic()
    with SQLiteStore(":memory:") as store:
        summary = ingest_paths([write_articles(tmp_path / "in")], store)
    assert time.monotonic() - started < 30
    assert summary.stored == 3
    assert [f.reason for f in summary.failures] == [
        "analysis stopped after 2 s (the article_seconds setting): split the text, or raise the limit"
    ]


def busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_the_time_limit_stops_python_work_and_never_fires_after_its_block() -> None:
    with pytest.raises(TimeLimitExceeded), time_limit(0.05):
        busy(5)
    for _ in range(300):  # blocks that end about when their limit does: nothing may leak out
        try:
            with time_limit(0.002):
                busy(0.002)
        except TimeLimitExceeded:
            pass
        busy(0.003)  # an exception handed over but not raised would surface here
    with time_limit(0):
        busy(0.01)


def test_a_text_over_the_length_limit_is_refused_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEGRAPH_MAX_ARTICLE_CHARS", "100")
    failures: list[IngestFailure] = []
    done = list(
        extract_many(
            [Article(text="A short one, she said.", id="short"), Article(text="word " * 30, id="long")],
            on_failure=failures.append,
        )
    )
    assert [a.id for a in done] == ["short"]
    assert failures == [
        IngestFailure(
            "long",
            "150 characters, more than the limit of 100 (the max_article_chars setting): "
            "split the text, or raise the limit",
        )
    ]


def test_a_long_text_is_parsed_in_pieces_cut_at_paragraph_breaks() -> None:
    paragraphs = [
        f"Paragraph {n}: the council met on Tuesday and Mayor Ana Ruiz said the plan would go ahead."
        for n in range(60)
    ]
    text = "\n\n".join(paragraphs)
    cut = list(pieces(text, 1000))
    assert "".join(cut) == text and max(map(len, cut)) <= 1000
    assert all(piece.endswith("\n\n") for piece in cut[:-1])
    nlp = load_pipeline()
    whole, split = nlp(text), parse(nlp, text, piece_chars=1000)
    assert split.text == text
    assert [t.idx for t in split] == [t.idx for t in whole]
    # Each paragraph is a sentence of its own in both: the pieces change nothing a paragraph break did not.
    assert [s.start_char for s in split.sents] == [s.start_char for s in whole.sents]
    assert [(e.start_char, e.label_) for e in split.ents] == [(e.start_char, e.label_) for e in whole.ents]


def test_a_paragraph_longer_than_a_piece_is_cut_at_a_sentence_end_then_a_space() -> None:
    text = "The vote was close. " * 100 + "x" * 3000
    cut = list(pieces(text, 1000))
    assert "".join(cut) == text
    assert cut[0].endswith("close. ") and len(cut[0]) > 500
    assert [len(p) for p in cut[-3:]] == [1000, 1000, 1000]  # no space in reach: cut where it must


def test_long_runs_without_a_sentence_end_are_cut_for_the_parser() -> None:
    nlp = load_pipeline()
    words = "residents of the valley wanted more buses and trains every day".split()
    run = " ".join(words[n % len(words)] for n in range(1200))
    doc = nlp(f"Council votes\n{run}. The vote was close.")
    assert max(len(s) for s in doc.sents) <= 250
    assert doc[-5].is_sent_start  # "The vote was close." is still its own sentence


def test_the_sentence_cap_leaves_news_sentences_alone() -> None:
    nlp = load_pipeline()
    text = "\n\n".join(ARTICLES.values()) + " ".join(["The council met on Tuesday, she said."] * 200)
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name == "bounded_sentences":
            before = doc.to_array("SENT_START").copy()
            assert numpy.array_equal(component(doc).to_array("SENT_START"), before)
            break
        doc = component(doc)
    else:
        pytest.fail("no bounded_sentences component")


def test_articles_are_stored_one_by_one_as_they_are_done(tmp_path: Path) -> None:
    """The first article is in the database before the last one is read (no batch of 256 held back)."""
    source = write_articles(tmp_path / "in")
    db = str(tmp_path / "q.db")
    seen: list[tuple[int, int, int]] = []
    with open_store(db) as store:

        def progress(done: int, total: int) -> None:
            with open_store(db) as reader:
                seen.append((done, total, reader.articles_count()))

        ingest_paths([source], store, on_progress=progress)
    assert [(done, total) for done, total, _ in seen] == [(n, 4) for n in range(1, 5)]
    assert [stored for _, _, stored in seen] == [1, 2, 3, 4]
