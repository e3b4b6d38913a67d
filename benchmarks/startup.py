"""Start-up: how long the commands a user runs most take from a cold process, and what one Dask
worker's process holds.

Each figure is the median wall time of ``--repeat`` fresh processes (default 5), printed beside the
bare interpreter's start measured in the same run (``python -c pass``), so that a busy machine shows
as a higher baseline rather than as a slower quotegraph:

- ``quotegraph --version`` (target: under 0.5 s);
- ``quotegraph quotes --limit 5`` on the demo database (examples/ ingested, as ``make demo`` does;
  target: under 1 s);
- ``quotegraph ingest`` of one short article into a new database, from a cold start (target: under
  4 s; the gazetteer is built in the process until it is cached on disk);
- the peak resident memory of a process that loads the pipeline and extracts one article, which is
  what each Dask worker of ``quotegraph batch`` holds before its first shard.

    python benchmarks/startup.py [--src DIR] [--db FILE] [--repeat 5]

``--src`` runs the code of another checkout (``--src ../main/src``) in this environment, to compare
before and after a change in one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# An invented article, short as a news brief.
ARTICLE = (
    "Ferry service to Hallam Island resumes\n\n"
    "The ferry to Hallam Island will run again from Monday, the port authority said on Friday. "
    '"We have repaired the ramp and tested it twice," said Petra Lindqvist, the harbour master. '
    "Islanders had waited three weeks for the crossing to reopen.\n"
)

CLI = "import sys; sys.path.insert(0, {src!r}); from quotegraph.serve.cli import main; main()"
WORKER = (
    "import resource, sys; sys.path.insert(0, {src!r}); from quotegraph.pipeline import extract; "
    "extract({text!r}); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout}{done.stderr}")
    return elapsed


def median_wall(commands: list[list[str]]) -> float:
    return statistics.median(wall(command) for command in commands)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--src", default=str(ROOT / "src"), help="the checkout's src/ to run (default: this one)"
    )
    parser.add_argument("--db", help="the demo database (default: examples/ ingested into a temporary one)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    python = sys.executable
    cli = [python, "-c", CLI.format(src=args.src)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = args.db or str(folder / "demo.db")
        if args.db is None:
            wall([*cli, "ingest", str(EXAMPLES), "--db", db])
        article = folder / "ferry.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        n = args.repeat
        baseline = median_wall([[python, "-c", "pass"]] * n)
        rows = [
            ("quotegraph --version", median_wall([[*cli, "--version"]] * n), 0.5),
            (
                "quotegraph quotes --limit 5",
                median_wall([[*cli, "quotes", "--limit", "5", "--db", db]] * n),
                1.0,
            ),
            (
                "quotegraph ingest (one short article, new database)",
                median_wall(
                    [[*cli, "ingest", str(article), "--db", str(folder / f"new-{k}.db")] for k in range(n)]
                ),
                4.0,
            ),
        ]
        peak_kib = max(
            int(subprocess.run([python, "-c", WORKER.format(src=args.src, text=ARTICLE)], capture_output=True,
                               text=True, check=True).stdout.split()[-1])
            for _ in range(min(n, 3))
        )  # fmt: skip
    print(f"src: {args.src}; median of {n} fresh processes each; python {sys.version.split()[0]}")
    print(f"{'command':55} {'seconds':>8} {'x python -c pass':>17} {'target':>7}")
    print(f"{'python -c pass (baseline)':55} {baseline:8.3f} {1:17.1f} {'':>7}")
    for name, seconds, target in rows:
        mark = "ok" if seconds < target else "over"
        print(f"{name:55} {seconds:8.3f} {seconds / baseline:17.1f} {f'<{target:g} s':>7} {mark}")
    print(
        f"peak RSS of a process holding the pipeline after one article (a Dask worker): {peak_kib / 1024:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
