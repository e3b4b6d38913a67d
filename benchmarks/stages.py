"""Seconds of each analysis stage after the parse, on PolNeAR dev's 84 articles parsed beforehand.

``pipeline.annotate`` runs every stage (quotes, speakers, dates, places, events); each function it
calls from ``quotegraph.extract`` or ``quotegraph.resolve`` is timed, so a change's cost shows per
stage next to the parse it rides on. ``--src`` runs another checkout's code in a fresh process
(``--src /tmp/before/src``), so two versions are compared in one run, rounds interleaved:

    python benchmarks/stages.py [--src DIR ...] [--rounds 3]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "polnear.dev.gold.jsonl"
ROOT = Path(__file__).resolve().parents[1]
STAGE_PACKAGES = ("quotegraph.nlp", "quotegraph.extract", "quotegraph.resolve")


def time_stages(spent: dict[str, float]) -> None:
    """Wrap each stage ``quotegraph.pipeline`` calls (its functions from quotegraph.nlp, .extract and
    .resolve; loading the pipeline is no stage) so that the seconds spent in each add up in ``spent`` under the function's name."""
    from quotegraph import pipeline

    def timed(name: str, fn: Any) -> Any:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - began

        return run

    for name, fn in list(vars(pipeline).items()):
        home = getattr(fn, "__module__", None) or ""
        if (
            callable(fn)
            and not isinstance(fn, type)
            and home.startswith(STAGE_PACKAGES)
            and name != "load_pipeline"
        ):
            setattr(pipeline, name, timed(name, fn))


def measure() -> dict[str, float]:
    """In this process: parse the articles (timed), then annotate them once with every stage timed."""
    from quotegraph import pipeline
    from quotegraph.model import Article
    from quotegraph.nlp import load_pipeline

    texts = [json.loads(line)["text"] for line in POLNEAR.read_text(encoding="utf-8").splitlines()]
    nlp = load_pipeline()
    pipeline.annotate(Article(text=texts[0]), nlp(texts[0]))  # loads the gazetteer and lexicons
    start = time.perf_counter()
    docs = list(nlp.pipe(texts))
    spent = {"parse": time.perf_counter() - start}  # annotate parses nothing: parse stays the pipe's
    time_stages(spent)
    start = time.perf_counter()
    for text, doc in zip(texts, docs, strict=True):
        pipeline.annotate(Article(text=text), doc)
    spent["all stages"] = time.perf_counter() - start
    return dict(spent)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--src", action="append", default=[], help="another checkout's src/ (repeatable)")
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per version (median shown)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure()))
        return
    if not POLNEAR.is_file():
        sys.exit(
            f"benchmarks/stages.py: PolNeAR dev not found at {POLNEAR} (the shared folder beside the repository)"
        )
    versions = [str(ROOT / "src"), *args.src]
    runs: dict[str, list[dict[str, float]]] = {v: [] for v in versions}
    for _ in range(args.rounds):
        for src in versions:
            env = {**os.environ, "PYTHONPATH": src}
            out = subprocess.run(
                [sys.executable, __file__, "--child"], env=env, check=True, capture_output=True, text=True
            ).stdout
            runs[src].append(json.loads(out.splitlines()[-1]))
    print(
        f"$ python benchmarks/stages.py {' '.join(sys.argv[1:])}; {len(POLNEAR.read_text().splitlines())} articles"
    )
    print(
        f"median of {args.rounds} process(es) per version, rounds interleaved; load {os.getloadavg()[0]:.1f}"
    )
    for src, measured in runs.items():
        print(f"\n{src}")
        stages = sorted({k for m in measured for k in m}, key=lambda k: (k in ("parse", "all stages"), k))
        parse = sorted(m["parse"] for m in measured)[len(measured) // 2]
        for stage in stages:
            seconds = sorted(m.get(stage, 0.0) for m in measured)[len(measured) // 2]
            print(f"  {stage:<18} {seconds:7.2f} s  {100 * seconds / parse:5.1f}% of the parse")


if __name__ == "__main__":
    main()
