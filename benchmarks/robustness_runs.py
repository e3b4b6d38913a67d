"""The robustness sections that run quotegraph's own commands and pipeline (benchmarks/robustness.py
registers them; each returns its Markdown for ROBUSTNESS.md):

  kill     kill -9 of `quotegraph ingest` and of `quotegraph batch` (the driver and its workers) at
           random moments, then the same command again: the database, and for batch the shard tables
           and the database `load` makes, must equal those of an uninterrupted run.
  scaling  one long article through the whole pipeline (parse, quotes, speakers, dates, places) in
           a fresh process per size: seconds per KB of 1 MB of news against 100 KB, each stage's
           share, and the article's peak memory; also text without punctuation, and batch's peak
           memory on a .jsonl.gz of long lines.
  api      schemathesis against `quotegraph serve` on 127.0.0.1: every endpoint and parameter with
           generated and hostile values, counting the responses by status (none may be >= 500).

The texts are real news from ../shared/data (read at run time, never copied into the project).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from stages import time_stages

ROOT = Path(__file__).resolve().parents[1]  # the repository
SHARED = ROOT.parent / "shared" / "data"
NEWS = SHARED / "raw" / "polnear" / "dev" / "text"
QUOTEGRAPH = str(Path(sys.executable).parent / "quotegraph")


def news_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(NEWS.glob("*.txt"))]
    if not texts:
        sys.exit(f"benchmarks/robustness.py: no news texts in {NEWS} (the shared data beside the repository)")
    return texts


def machine() -> str:
    """The machine and the code measured (the commit, from git or from the COMMIT file of an exported tree)."""
    marker = ROOT / "COMMIT"
    if marker.is_file():
        commit = marker.read_text(encoding="utf-8").strip()
    else:
        found = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        )
        commit = found.stdout.strip() or "unknown"
    return (
        f"code at {commit}; {os.cpu_count()} CPUs, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} at the start (a machine shared with other work)"
    )


# --- kill -9 ----------------------------------------------------------------------------------------


def database_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (virtual tables through their own query, not their shadow tables),
    without the columns that record when (``*_at``): what two runs must agree on, ids included."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        tables = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        virtual = [name for name, sql in tables if sql.upper().startswith("CREATE VIRTUAL")]
        rows = {}
        for name, _ in tables:
            if name.startswith("sqlite_") or any(name.startswith(f"{v}_") for v in virtual):
                continue
            columns = [
                c[1] for c in connection.execute(f'PRAGMA table_info("{name}")') if not c[1].endswith("_at")
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows[name] = sorted(connection.execute(f'SELECT {select} FROM "{name}"').fetchall(), key=repr)
    return rows


def stored_articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def shard_rows(out: Path) -> dict[str, list[dict[str, Any]]]:
    import pyarrow.parquet as pq

    shards = sorted(p for p in (out / "shards").iterdir() if p.name.isdigit())
    rows = {f"{d.name}/{f.name}": pq.read_table(f).to_pylist() for d in shards for f in sorted(d.iterdir())}
    rows["copies"] = pq.read_table(out / "copies.parquet").to_pylist()
    return rows


def run(command: list[str], timeout: float = 3600) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")


def watched(
    command: list[str], finished: Callable[[], int], kill_after: int | None, extra: float
) -> tuple[float, float]:
    """Run ``command`` in a process group of its own, watching ``finished()`` (articles stored, shards
    written). With ``kill_after``, kill -9 the whole group (the driver and any workers it started)
    ``extra`` seconds after ``finished()`` reaches it; else let it end. Returns the seconds until the
    first item was finished (or the kill) and until the end (or the kill)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    first = None
    while process.poll() is None:
        done = finished()
        if first is None and done >= 1:
            first = time.perf_counter() - started
        if kill_after is not None and done >= kill_after:
            try:
                process.wait(timeout=extra)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                _wait_for_group(process.pid)
            break
        time.sleep(0.1)
    ended = time.perf_counter() - started
    if kill_after is None and process.returncode != 0:
        raise RuntimeError(
            f"{shlex.join(command)} exited {process.returncode}: {process.communicate()[1][-2000:]}"
        )
    return (first if first is not None else ended), ended


def _wait_for_group(group: int) -> None:
    """Until no process of the killed group is left (workers die with it, not at once)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def finished_shards(out: Path) -> int:
    folder = out / "shards"
    return len([p for p in folder.iterdir() if p.name.isdigit()]) if folder.is_dir() else 0


@dataclass(slots=True)
class Trial:
    command: str
    kill_after: int  # items finished before the kill was armed
    extra: float  # seconds from then to the kill
    progress: str  # what was finished when it was killed
    identical: bool


def trials_of(
    name: str,
    command: Callable[[Path], list[str]],
    finished: Callable[[Path], int],
    items: int,
    count: int,
    folder: Path,
    rng: random.Random,
    compare: Callable[[Path], Any],
    unit: str,
) -> tuple[list[Trial], float]:
    """An uninterrupted reference run, then ``count`` runs killed after a random number of items plus
    a random part of an item's time, each run again to the end and compared with the reference."""
    reference = folder / f"{name}-reference"
    first, total = watched(command(reference), partial(finished, reference), None, 0)
    expected = compare(reference)
    per_item = (total - first) / max(items - 1, 1)
    print(f"{name}, uninterrupted: {total:.1f} s, the first {unit} after {first:.1f} s", flush=True)
    trials = []
    for n in range(count):
        target, kill_after, extra = folder / f"{name}{n}", rng.randrange(items), rng.uniform(0, per_item)
        _, ended = watched(command(target), partial(finished, target), kill_after, extra)
        progress = f"{finished(target)} of {items} {unit}s finished, {ended:.0f} s in"
        watched(command(target), partial(finished, target), None, 0)
        trials.append(Trial(name, kill_after, extra, progress, compare(target) == expected))
        print(trials[-1], flush=True)
    return trials, total


def kill_section(args: argparse.Namespace) -> str:
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="quotegraph-kill-") as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus"
        corpus.mkdir()
        for n, text in enumerate(news_texts()[: args.kill_articles]):
            (corpus / f"{n:03d}.txt").write_text(text, encoding="utf-8")

        def ingest(db: Path) -> list[str]:
            return [QUOTEGRAPH, "ingest", str(corpus), "--db", str(db)]

        def batch(out: Path) -> list[str]:
            return [
                QUOTEGRAPH,
                "batch",
                str(corpus),
                "--workers",
                "2",
                "--shard-size",
                str(args.shard_size),
                "--out",
                str(out),
            ]

        def loaded(out: Path) -> tuple[Any, Any]:
            run([QUOTEGRAPH, "load", str(out), "--db", str(out.with_suffix(".db"))])
            return shard_rows(out), database_rows(out.with_suffix(".db"))

        shards = -(-args.kill_articles // args.shard_size)
        ingest_trials, ingest_seconds = trials_of(
            "ingest",
            ingest,
            stored_articles,
            args.kill_articles,
            args.ingest_trials,
            folder,
            rng,
            database_rows,
            "article",
        )
        batch_trials, batch_seconds = trials_of(
            "batch", batch, finished_shards, shards, args.batch_trials, folder, rng, loaded, "shard"
        )
    trials = ingest_trials + batch_trials
    identical = sum(t.identical for t in trials)
    lines = [
        "## kill -9 at random moments, then the same command again",
        "",
        f"`python benchmarks/robustness.py --sections kill --seed {args.seed} --kill-articles {args.kill_articles} "
        f"--ingest-trials {args.ingest_trials} --batch-trials {args.batch_trials} --shard-size {args.shard_size}`; "
        f"{machine()}.",
        "",
        f"Corpus: the first {args.kill_articles} PolNeAR dev texts, one file each. Uninterrupted, "
        f"`quotegraph ingest DIR --db FILE` took {ingest_seconds:.0f} s and "
        f"`quotegraph batch DIR --workers 2 --shard-size {args.shard_size} --out DIR` {batch_seconds:.0f} s "
        f"({shards} shards). Each trial starts the command in a process group of its own and sends SIGKILL to the "
        "whole group (the driver and its Dask workers) at a random moment of the processing: once a number of "
        "articles (shards) drawn uniformly from 0 to all but one are stored (written), after a further delay "
        "drawn uniformly from zero to one article's (shard's) time in the uninterrupted run. It then runs the "
        "same command again to the end and compares every row of every table (ids included; not the `*_at` "
        "times) with the uninterrupted run's: for batch, every shard table and `copies.parquet`, and the "
        "database `quotegraph load` makes of them.",
        "",
        f"**{identical} of {len(trials)} trials identical** "
        f"(ingest {sum(t.identical for t in ingest_trials)} of {len(ingest_trials)}, "
        f"batch {sum(t.identical for t in batch_trials)} of {len(batch_trials)}).",
        "",
        "| trial | command | killed once this many were finished, plus | when killed | identical after the rerun |",
        "|---|---|---|---|---|",
    ]
    for n, t in enumerate(trials, start=1):
        lines.append(
            f"| {n} | {t.command} | {t.kill_after} + {t.extra:.1f} s | {t.progress} | {'yes' if t.identical else '**no**'} |"
        )
    return "\n".join(lines)


# --- cost and memory per article --------------------------------------------------------------------


def joined_news(size: int) -> str:
    """Real news texts joined by blank lines, cycled, cut to ``size`` characters at a paragraph end."""
    texts, parts, length = news_texts(), list[str](), 0
    while length < size:
        parts.append(texts[len(parts) % len(texts)].strip())
        length += len(parts[-1]) + 2
    text = "\n\n".join(parts)[:size]
    return text[: text.rfind("\n") + 1] if "\n" in text[size // 2 :] else text


def unpunctuated(size: int) -> str:
    """The words of news text with every punctuation mark and line break taken out: one run of words."""
    words = re.sub(r"[^\w\s]", " ", joined_news(size)).split()
    return " ".join(words)[:size]


TEXTS: dict[str, Callable[[int], str]] = {"news": joined_news, "unpunctuated": unpunctuated}


def measure_article(kind: str, size: int) -> dict[str, Any]:
    """In this (fresh) process: the whole pipeline on one article, each stage timed, the peak
    memory above what the loaded pipeline and gazetteer hold."""
    os.environ["QUOTEGRAPH_ARTICLE_SECONDS"] = "0"  # measured, not stopped
    os.environ["QUOTEGRAPH_MAX_ARTICLE_CHARS"] = str(max(size, 1_000_000))
    from quotegraph import pipeline
    from quotegraph.model import Article

    text = TEXTS[kind](size)
    list(pipeline.extract_many([Article(text="Warm-up in Paris on Monday, she said.")]))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    spent: dict[str, float] = {}
    time_stages(spent)
    failures: list[Any] = []
    started = time.perf_counter()
    done = list(pipeline.extract_many([Article(text=text)], on_failure=failures.append))
    seconds = time.perf_counter() - started
    return {
        "kind": kind,
        "chars": len(text),
        "seconds": seconds,
        "stages": spent,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base,
        "base_mib": base,
        "quotes": sum(len(a.quotes) for a in done),
        "failures": [f.reason for f in failures],
    }


def measured(kind: str, size: int) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, kind, str(size)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    print(result, flush=True)
    return result


@contextmanager
def sampled_peak(group: int) -> Iterator[list[float]]:
    """The largest summed resident memory (MiB) of the processes of ``group``, sampled twice a second."""
    peak = [0.0]
    stop = False

    def sample() -> None:
        while not stop:
            total = 0
            for status in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = status.read_text().rsplit(")", 1)[1].split()
                    if int(fields[2]) == group:  # the process group, field 5 of stat
                        total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")  # rss, field 24
                except (OSError, IndexError, ValueError):
                    continue
            peak[0] = max(peak[0], total / 2**20)
            time.sleep(0.5)

    import threading

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop = True
        thread.join()


def batch_peak(lines: int, size: int) -> tuple[float, float, int]:
    """``quotegraph batch`` with one worker on a .jsonl.gz of ``lines`` articles of ``size`` characters
    each: (the peak resident memory of the driver and worker together in MiB, seconds, gzip bytes)."""
    with tempfile.TemporaryDirectory(prefix="quotegraph-long-lines-") as tmp:
        source = Path(tmp) / "long.jsonl.gz"
        texts = news_texts()
        with gzip.open(source, "wt", encoding="utf-8") as out:
            for n in range(lines):
                text = "\n\n".join(texts[(n + k) % len(texts)].strip() for k in range(len(texts)))[:size]
                out.write(json.dumps({"id": f"long{n}", "text": text}) + "\n")
        command = [QUOTEGRAPH, "batch", str(source), "--workers", "1", "--out", str(Path(tmp) / "out")]
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        with sampled_peak(process.pid) as peak:
            _, err_text = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"{shlex.join(command)} exited {process.returncode}: {err_text[-2000:]}")
        return peak[0], time.perf_counter() - started, source.stat().st_size


def scaling_section(args: argparse.Namespace) -> str:
    small, large = 100_000, 1_000_000
    runs: dict[int, list[dict[str, Any]]] = {small: [], large: []}
    for _ in range(args.repeat):  # sizes interleaved, so that the machine's load drifts over both alike
        for size in runs:
            runs[size].append(measured("news", size))
    flat = measured("unpunctuated", 550_000)
    lines_peak, lines_seconds, gz_bytes = batch_peak(args.long_lines, 250_000)

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    def per_kb(size: int, key: str | None = None) -> float:
        values = [
            (r["seconds"] if key is None else r["stages"][key]) / (r["chars"] / 1000) for r in runs[size]
        ]
        return median(values)

    ratio = per_kb(large) / per_kb(small)
    lines = [
        "## Cost and memory of one long article",
        "",
        f"`python benchmarks/robustness.py --sections scaling --repeat {args.repeat} --long-lines {args.long_lines}`; "
        f"{machine()}. Each article runs alone in a fresh process (`extract_many`, the whole pipeline with "
        "dates and places, no time limit), after a warm-up article has loaded the pipeline and the gazetteer; "
        f"median of {args.repeat} run(s). Peak memory is the article's: the process's peak resident set "
        "above what it held after the warm-up.",
        "",
        f"**Seconds per KB: 1 MB of news {per_kb(large):.3f}, 100 KB {per_kb(small):.3f}: {ratio:.2f}x** "
        "(target: at most 1.2x).",
        "",
        "| stage | 100 KB: s | 1 MB: s | s per KB, 1 MB / 100 KB |",
        "|---|---|---|---|",
    ]
    for stage in runs[small][0]["stages"]:
        small_s = median([r["stages"][stage] for r in runs[small]])
        large_s = median([r["stages"][stage] for r in runs[large]])
        stage_ratio = per_kb(large, stage) / per_kb(small, stage) if small_s > 0 else float("nan")
        lines.append(f"| {stage} | {small_s:.2f} | {large_s:.2f} | {stage_ratio:.2f}x |")
    lines.append(
        f"| whole article | {median([r['seconds'] for r in runs[small]]):.2f} | "
        f"{median([r['seconds'] for r in runs[large]]):.2f} | {ratio:.2f}x |"
    )
    lines += [
        "",
        "| article | characters | quotes | seconds | peak memory of the article |",
        "|---|---|---|---|---|",
    ]
    for r in [runs[small][0], runs[large][0], flat]:
        lines.append(
            f"| {r['kind']} | {r['chars']:,} | {r['quotes']} | {r['seconds']:.1f} | {r['peak_mib']:,.0f} MiB |"
        )
    lines += [
        "",
        f"`quotegraph batch --workers 1` on a .jsonl.gz of {args.long_lines} lines of 250,000 characters of news "
        f"each ({gz_bytes:,} bytes compressed): peak resident memory of the driver, the nanny and the worker "
        f"together {lines_peak:,.0f} MiB, in {lines_seconds:.0f} s.",
    ]
    return "\n".join(lines)


# --- the API under fuzzing -------------------------------------------------------------------------


def api_section(args: argparse.Namespace) -> str:
    """schemathesis (``--st``, installed apart: it is a tool, not a dependency) against a server on
    127.0.0.1 holding the examples, with an ingest token so that POST /api/articles is fuzzed too."""
    st = args.st or shutil.which("st")
    if st is None:
        sys.exit(
            "benchmarks/robustness.py --sections api needs schemathesis's `st`: python -m venv /tmp/st && "
            "/tmp/st/bin/pip install schemathesis, then --st /tmp/st/bin/st"
        )
    with tempfile.TemporaryDirectory(prefix="quotegraph-fuzz-") as tmp:
        folder = Path(tmp)
        db = folder / "q.db"
        run([QUOTEGRAPH, "ingest", str(ROOT / "examples"), "--db", str(db)])
        port, token = _free_port(), "fuzz-token"
        server = subprocess.Popen(
            [QUOTEGRAPH, "serve", "--db", str(db), "--port", str(port), "--ingest-token", token],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_for_port(port)
            command = [
                st,
                "run",
                f"http://127.0.0.1:{port}/openapi.json",
                "--checks",
                "not_a_server_error,content_type_conformance",
                "--header",
                f"X-Ingest-Token: {token}",
                "--max-examples",
                str(args.fuzz_examples),
                "--seed",
                str(args.seed),
                "--generation-database",
                "none",
                "--workers",
                "1",
                "--report",
                "ndjson",
                "--report-dir",
                str(folder / "report"),
                "--no-color",
            ]
            done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
        finally:
            server.terminate()
            server_log = server.communicate(timeout=30)[1]
        reports = sorted((folder / "report").glob("*.ndjson"))
        if not reports:
            raise RuntimeError(f"schemathesis wrote no report: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        statuses, operations = _statuses(reports[0])
    output = done.stdout.splitlines()
    summary = next((line.strip() for line in output if re.search(r"\d+ generated", line)), "")
    problems = [line.strip() for line in output if re.match(r"\s*🚫", line) and ":" in line]
    shown = [
        "st",
        "run",
        "http://127.0.0.1:PORT/openapi.json",
        *command[3:6],
        "'X-Ingest-Token: TOKEN'",
        *command[7:-3],
    ]
    errors = sum(n for status, n in statuses.items() if status >= 500)
    lines = [
        "## The API under fuzzing",
        "",
        f"`python benchmarks/robustness.py --sections api --st ST --fuzz-examples {args.fuzz_examples} "
        f"--seed {args.seed}`: the examples ingested, `quotegraph serve --ingest-token TOKEN` on 127.0.0.1, "
        f"then schemathesis {_st_version(st)} (`{' '.join(shown)}`), every operation of /openapi.json "
        f"({operations}) with generated and invalid values in every phase (coverage, fuzzing, stateful); "
        f"POST /api/articles with generated article records. {machine()}.",
        "",
        f"**{sum(statuses.values()):,} responses, {errors} of them >= 500**; schemathesis: {summary} "
        f"(exit code {done.returncode}{'; ' + '; '.join(problems) if problems else ''}).",
        "",
        "| status | responses |",
        "|---|---|",
        *(f"| {status} | {n:,} |" for status, n in sorted(statuses.items())),
    ]
    if "Traceback" in server_log:
        lines += ["", "The server logged a traceback:", "", "```", server_log[-3000:], "```"]
    return "\n".join(lines)


def _statuses(report: Path) -> tuple[dict[int, int], int]:
    """Responses by status in a schemathesis NDJSON report, and how many operations it tested."""
    counts: dict[int, int] = {}
    labels: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("status_code"), int) and "elapsed" in node:
                counts[node["status_code"]] = counts.get(node["status_code"], 0) + 1
            if isinstance(node.get("label"), str) and node["label"].split(" ", 1)[0] in {"GET", "POST"}:
                labels.add(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    with report.open(encoding="utf-8") as lines:
        for line in lines:
            walk(json.loads(line))
    return counts, len(labels)


def _st_version(st: str) -> str:
    return subprocess.run([st, "--version"], capture_output=True, text=True).stdout.strip().rsplit(" ", 1)[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not listen on port {port}")


if __name__ == "__main__":  # a fresh process for one article: python robustness_runs.py KIND CHARS
    print(json.dumps(measure_article(sys.argv[1], int(sys.argv[2]))))
