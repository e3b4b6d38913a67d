"""Robustness figures, written into benchmarks/ROBUSTNESS.md one section at a time.

Each section writes its own part of ROBUSTNESS.md (between ``<!-- section:NAME -->`` markers), so
sections can be run alone and added without touching the others:

- ``bad-inputs`` (benchmarks/robustness_inputs.py): over 1,000 generated bad inputs (binary, wrong
  encodings, empty, huge, deeply nested HTML and JSON, gzip bombs, damaged WARC records, invalid
  JSONL, NUL bytes, bidi and zero-width characters, quotation marks, odd file names, special files)
  through ``ingest`` and ``batch`` + ``load``, each with the one outcome it must have;
- ``kill``, ``scaling``, ``api`` (benchmarks/robustness_runs.py): kill -9 of ingest and batch then a
  rerun; the cost and peak memory of one long article; schemathesis against the API.

    .venv/bin/python benchmarks/robustness.py [--sections bad-inputs,kill,scaling,api] [options of each section]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sections beside this file

from robustness_inputs import section_bad_inputs
from robustness_runs import api_section, kill_section, scaling_section

REPORT = Path(__file__).resolve().parent / "ROBUSTNESS.md"

SECTIONS: dict[str, Callable[[argparse.Namespace], str]] = {
    "bad-inputs": section_bad_inputs,
    "kill": kill_section,
    "scaling": scaling_section,
    "api": api_section,
}


def write_section(name: str, text: str, report: Path = REPORT) -> None:
    """Replace section ``name`` of the report (or add it at the end), keeping the others."""
    start, end = f"<!-- section:{name} -->", f"<!-- /section:{name} -->"
    current = (
        report.read_text(encoding="utf-8")
        if report.is_file()
        else "# Robustness\n\nWritten by `benchmarks/robustness.py`; each section by its own part of the script.\n"
    )
    block = f"{start}\n{text.strip()}\n{end}"
    if start in current and end in current:
        current = current[: current.index(start)] + block + current[current.index(end) + len(end) :]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    report.write_text(current, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help=f"comma-separated, of: {', '.join(SECTIONS)}"
    )
    parser.add_argument("--seed", type=int, default=1, help="kill delays, schemathesis")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="bad-inputs: the corpus size, as a share of the full one"
    )
    parser.add_argument("--workers", type=int, default=2, help="bad-inputs: Dask workers for `batch`")
    parser.add_argument(
        "--keep", help="bad-inputs: make the corpus and databases in this folder, and keep them"
    )
    parser.add_argument(
        "--baseline",
        help="bad-inputs: also run the commands of this commit (its src/ folder) on the same corpus",
    )
    parser.add_argument("--kill-articles", type=int, default=12, help="kill: news texts in the corpus")
    parser.add_argument("--ingest-trials", type=int, default=14, help="kill: trials of ingest")
    parser.add_argument("--batch-trials", type=int, default=6, help="kill: trials of batch")
    parser.add_argument("--shard-size", type=int, default=3, help="kill: batch shard size")
    parser.add_argument("--repeat", type=int, default=1, help="scaling: runs of each size (median shown)")
    parser.add_argument(
        "--long-lines", type=int, default=4, help="scaling: lines of 250,000 characters for batch"
    )
    parser.add_argument("--st", help="api: schemathesis's `st` command (default: on the PATH)")
    parser.add_argument(
        "--fuzz-examples", type=int, default=60, help="api: test cases per operation and phase"
    )
    parser.add_argument(
        "--no-write", action="store_true", help=f"print the sections, do not update {REPORT.name}"
    )
    args = parser.parse_args()
    for name in args.sections.split(","):
        if name not in SECTIONS:
            parser.error(f"no section {name!r}: one of {', '.join(SECTIONS)}")
        text = SECTIONS[name](args)
        if args.no_write:
            print(text)
        else:
            write_section(name, text)
            print(f"section {name} written to {REPORT}", flush=True)


if __name__ == "__main__":
    main()
