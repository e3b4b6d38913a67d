"""Place recognition and geocoding of ``resolve_places`` against GeoWebNews and GeoVirus dev gold.

Parses each article with the configured spaCy pipeline, resolves its places, writes predictions and
prints the figures of ../shared/eval/score_places.py for each set, next to a baseline measured in the
same run on the same spans (each name to its most populous gazetteer match, no context), with the
ratio of the two accuracies within 161 km, and the time resolve_places takes per article. Exits with
a message where the gold files are absent.

    .venv/bin/python benchmarks/geocoding.py [--out DIR] [--model NAME]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from quotegraph.model import Place
from quotegraph.nlp import load_pipeline
from quotegraph.resolve.gazetteer import load_gazetteer
from quotegraph.resolve.places import resolve_places

SHARED = Path(__file__).resolve().parents[2] / "shared"
SETS = ["geowebnews", "geovirus"]


def baseline(text: str, places: list[Place]) -> list[dict[str, Any]]:
    """The same spans, each placed at its most populous match whatever the article says."""
    gaz = load_gazetteer()
    out = []
    for p in places:
        best = max(gaz.lookup(text[p.span.start : p.span.end]), key=lambda e: e.population)
        out.append({"span": p.span.as_list(), "lat": best.lat, "lon": best.lon})
    return out


def score(gold: Path, pred: Path) -> dict[str, Any]:
    run = subprocess.run([sys.executable, str(SHARED / "eval" / "score_places.py"), str(gold), str(pred), "--json"],
                         capture_output=True, text=True, check=True)  # fmt: skip
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--out", type=Path, default=None, help="folder for the prediction files (default: a temporary one)"
    )
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: the model setting)")
    args = ap.parse_args()
    if not (SHARED / "data" / "dev").is_dir():
        sys.exit(f"no gold data at {SHARED / 'data' / 'dev'}: this benchmark needs ../shared")
    print(
        "$",
        " ".join(["python", *sys.argv]),
        f"| {platform.processor() or platform.machine()}, Python {platform.python_version()}",
    )
    out = args.out or Path(tempfile.mkdtemp(prefix="geocoding-"))
    out.mkdir(parents=True, exist_ok=True)
    nlp = load_pipeline(args.model)
    started = time.perf_counter()
    load_gazetteer()
    print(f"gazetteer loaded in {time.perf_counter() - started:.2f} s")
    for name in SETS:
        gold = SHARED / "data" / "dev" / f"{name}.places.gold.jsonl"
        articles = [
            json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        ours, base, times = [], [], []
        for art, doc in zip(articles, nlp.pipe(a["text"] for a in articles), strict=True):
            t0 = time.perf_counter()
            places = resolve_places(doc)
            times.append(time.perf_counter() - t0)
            ours.append(
                {
                    "id": art["id"],
                    "places": [{"span": p.span.as_list(), "lat": p.lat, "lon": p.lon} for p in places],
                }
            )
            base.append({"id": art["id"], "places": baseline(art["text"], places)})
        results = {}
        for label, rows in (("resolve_places", ours), ("baseline", base)):
            path = out / f"{name}.{label}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            results[label] = score(gold, path)
        print(f"\n{name}: {len(articles)} articles; resolve_places {1000 * statistics.fmean(times):.2f} ms/article "
              f"(median {1000 * statistics.median(times):.2f}, max {1000 * max(times):.1f})")  # fmt: skip
        for label, r in results.items():
            print(f"  {label:15} {json.dumps(r)}")
        acc = {k: r["accuracy_161km_on_matched"] for k, r in results.items()}
        print(f"  acc@161km ratio resolve_places / baseline: {acc['resolve_places'] / acc['baseline']:.3f}")
    print(f"\npredictions in {out}")


if __name__ == "__main__":
    main()
