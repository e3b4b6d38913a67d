"""How long the place gazetteer takes to be ready, and the peak memory of the process, built in memory
(as every process did before the cache), on first use (built and stored), and once stored.

Each figure comes from a fresh Python process (median of ``--repeat`` runs): the time from the call
of ``load_gazetteer()`` to the first look-up answered (the import of the package before it, which
today imports ``quotegraph`` and with it spaCy, is shown apart), and the process's peak resident
memory; then
the same for a process that loads the spaCy pipeline and analyses one short article (what a Dask
worker does before its first shard). "in memory" points the cache at a folder that cannot be made,
so the gazetteer is built for that process alone. ``--check`` also compares every name's entries
in the stored gazetteer with a fresh build.

    .venv/bin/python benchmarks/gazetteer_load.py [--repeat 5] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# Run in a child process: times the gazetteer's load, then prints the figures as JSON.
GAZETTEER = """
import json, resource, time
started = time.perf_counter()
from quotegraph.resolve.gazetteer import load_gazetteer
imported = time.perf_counter()
gaz = load_gazetteer()
assert gaz.lookup("Kabul")[0].country == "AF"
seconds = time.perf_counter() - imported
print(json.dumps({"seconds": seconds, "import_s": imported - started,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
WORKER = """
import json, resource, time
started = time.perf_counter()
from quotegraph.model import Article
from quotegraph.nlp import load_pipeline
from quotegraph.pipeline import extract_many
article, = extract_many([Article(text="Warm-up in Paris, she said.")], nlp=load_pipeline())
assert article.places
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
CHECK = """
from pathlib import Path
from quotegraph.resolve.gazetteer.cache import cached_gazetteer
from quotegraph.resolve.gazetteer.sources import build_gazetteer
built, stored = build_gazetteer(), cached_gazetteer(Path({folder!r}), build=lambda: 1 / 0)
assert sorted(built.names) == sorted(stored.names)
assert all(list(built.names[key]) == stored.names[key] for key in built.names)
assert dict(built.countries) == dict(stored.countries) and dict(built.demonyms) == dict(stored.demonyms)
assert {{k: sorted(v) for k, v in built.spellings.items()}} == {{k: sorted(v) for k, v in stored.spellings.items()}}
print(len(built.names), "names,", sum(map(len, built.names.values())), "entries under them: all the same")
"""


def run(code: str, cache_dir: Path) -> dict[str, float]:
    env = {**os.environ, "QUOTEGRAPH_CACHE_DIR": str(cache_dir)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return figures


def median(code: str, cache_dir: Path, repeat: int) -> dict[str, Any]:
    runs = [run(code, cache_dir) for _ in range(repeat)]
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def show(label: str, figures: dict[str, Any], base: dict[str, Any]) -> None:
    imported = f" after {figures['import_s']:.2f} s of imports" if "import_s" in figures else ""
    print(f"  {label:30} {figures['seconds']:7.3f} s  ({figures['seconds'] / base['seconds']:.3f} of in memory)"
          f"  peak {figures['peak_mib']:6.0f} MiB  ({figures['peak_mib'] / base['peak_mib']:.2f}){imported}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="processes per figure (the median is shown)")
    ap.add_argument("--check", action="store_true", help="compare the stored gazetteer with a fresh build")
    args = ap.parse_args()
    print("$", " ".join(["python", *sys.argv]), f"| {platform.machine()}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="gazetteer-") as tmp:
        folder, nowhere = Path(tmp) / "cache", Path(tmp) / "file"
        nowhere.write_text("a file, so that no cache folder can be made under it")
        unkept = nowhere / "cache"
        for label, code in (("gazetteer", GAZETTEER), ("pipeline + one article", WORKER)):
            print(f"{label} (median of {args.repeat} processes):")
            base = median(code, unkept, args.repeat)
            show("in memory, every process", base, base)
            if label == "gazetteer":
                colds = []
                for _ in range(args.repeat):
                    for stale in folder.glob("gazetteer-*"):
                        stale.unlink()
                    colds.append(run(code, folder))
                cold = {key: statistics.median(c[key] for c in colds) for key in colds[0]}
                show("first use (built and stored)", cold, base)
            else:
                run(code, folder)  # stored, if it is not already
            show("stored", median(code, folder, args.repeat), base)
        if args.check:
            print(subprocess.run([sys.executable, "-c", CHECK.format(folder=str(folder))], check=True,
                                 capture_output=True, text=True).stdout.strip())  # fmt: skip


if __name__ == "__main__":
    main()
