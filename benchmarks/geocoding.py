"""Place recognition and geocoding of ``resolve_places`` against gold files (GeoWebNews and GeoVirus dev
by default, or any file in the format of ../shared/eval/score_places.py: JSONL or a JSON list of
{"id", "text", "places": [{"span", "lat", "lon"}]}).

Parses each article with the configured spaCy pipeline, resolves its places (with its outlet's address,
the gold files' "url" or "source", as the pipeline passes an article's), writes predictions and
prints the figures of ../shared/eval/score_places.py for each file, next to a baseline measured in the
same run on the same spans (each name to its most populous gazetteer match, no context), and the
figures without the demonyms ("Russian officials": some gold sets count them as toponyms, others do
not), with the
ratio of the two accuracies within 161 km, the time resolve_places takes per article, and how many
misses are countries placed in the right country at another point than the gold set's. Exits with a
message where the gold files are absent.

``--compare SRC`` (repeatable) also times another checkout's ``resolve_places`` (``--compare
/tmp/old/src``, a ``git worktree`` of an older commit) on the same parses, stored once: each
version resolves every article of a round in a fresh process of its own, versions taking turns for
``--rounds`` rounds, and the median of each version's rounds is printed with its ratio to this
checkout's (a shared machine's speed drifts: only ratios from one run mean anything).

    .venv/bin/python benchmarks/geocoding.py [GOLD ...] [--out DIR] [--model NAME] [--compare SRC]... [--rounds 5]
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
import time
from pathlib import Path
from typing import Any

import reverse_geocoder
from spacy.tokens import DocBin

from quotegraph.model import Place
from quotegraph.nlp import load_pipeline
from quotegraph.resolve.gazetteer import load_gazetteer
from quotegraph.resolve.outlet import Outlet
from quotegraph.resolve.places import great_circle_km, resolve_places

SHARED = Path(__file__).resolve().parents[2] / "shared"
SRC = Path(__file__).resolve().parents[1] / "src"
# A timing round in a fresh process: the checkout at argv[1] resolves every parse in argv[2] (a
# DocBin), each article with its outlet address (argv[3], a JSON list); prints ms per article.
TIMING = """
import inspect, json, sys, time
sys.path.insert(0, sys.argv[1])
from spacy.tokens import DocBin
from quotegraph.nlp import load_pipeline
from quotegraph.resolve.places import resolve_places
docs = list(DocBin().from_disk(sys.argv[2]).get_docs(load_pipeline().vocab))
urls = json.loads(open(sys.argv[3]).read())
with_outlet = "outlet" in inspect.signature(resolve_places).parameters
if with_outlet:
    from quotegraph.resolve.outlet import Outlet
resolve_places(docs[0])
started = time.perf_counter()
for doc, url in zip(docs, urls):
    resolve_places(doc, Outlet(url)) if with_outlet else resolve_places(doc)
print(1000 * (time.perf_counter() - started) / len(docs))
"""
DEV_SETS = [SHARED / "data" / "dev" / f"{name}.places.gold.jsonl" for name in ("geowebnews", "geovirus")]


def baseline(text: str, places: list[Place]) -> list[dict[str, Any]]:
    """The same spans, each placed at its most populous match whatever the article says."""
    gaz = load_gazetteer()
    out = []
    for p in places:
        if p.demonym:  # a people names one place: the same point
            out.append(p.to_score_json())
            continue
        best = max(gaz.lookup(text[p.span.start : p.span.end]), key=lambda e: e.population)
        out.append({"span": p.span.as_list(), "lat": best.lat, "lon": best.lon})
    return out


def country_convention_misses(articles: list[dict[str, Any]], placed: list[list[Place]]) -> tuple[int, int]:
    """Misses (over 161 km) on matched toponyms, and how many of them are countries placed in the
    country the gold point lies in (by reverse_geocoder's nearest town): a gold set's convention for
    a country's point, not a wrong place. Spans are matched one to one, longest overlap first, as
    score_places.py does."""
    misses: list[tuple[Place, tuple[float, float]]] = []
    for art, places in zip(articles, placed, strict=True):
        gold = art.get("places", [])
        pairs = sorted(
            ((min(g["span"][1], p.span.end) - max(g["span"][0], p.span.start), i, j)
             for i, g in enumerate(gold) for j, p in enumerate(places)),
            reverse=True,
        )  # fmt: skip
        used_gold, used_ours = set(), set()
        for overlap, i, j in pairs:
            if overlap <= 0:
                break
            if i in used_gold or j in used_ours:
                continue
            used_gold.add(i)
            used_ours.add(j)
            point, ours = (gold[i]["lat"], gold[i]["lon"]), places[j]
            if ours.lat is None or ours.lon is None or great_circle_km(point, (ours.lat, ours.lon)) > 161:
                misses.append((ours, point))
    countries = [(p, point) for p, point in misses if p.kind == "country"]
    found = (
        reverse_geocoder.search([point for _, point in countries], mode=1, verbose=False) if countries else []
    )
    return len(misses), sum(p.country == f["cc"] for (p, _), f in zip(countries, found, strict=True))


def load_gold(path: Path) -> list[dict[str, Any]]:
    """A gold file as score_places.py reads it: a JSON object or list, else JSON lines."""
    raw = path.read_text(encoding="utf-8")
    try:
        loaded = json.loads(raw)
    except json.JSONDecodeError:
        return [json.loads(line) for line in raw.splitlines() if line.strip()]
    return loaded if isinstance(loaded, list) else [loaded]


def score(gold: Path, pred: Path) -> dict[str, Any]:
    run = subprocess.run([sys.executable, str(SHARED / "eval" / "score_places.py"), str(gold), str(pred), "--json"],
                         capture_output=True, text=True, check=True)  # fmt: skip
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", type=Path, help="gold files (default: GeoWebNews and GeoVirus dev)")
    ap.add_argument(
        "--out", type=Path, default=None, help="folder for the prediction files (default: a temporary one)"
    )
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: the model setting)")
    ap.add_argument("--compare", action="append", type=Path, default=[],
                    help="another checkout's src/ to time on the same parses (repeatable)")  # fmt: skip
    ap.add_argument("--rounds", type=int, default=5, help="timing rounds per version with --compare")
    args = ap.parse_args()
    golds = args.gold or DEV_SETS
    if missing := [str(gold) for gold in golds if not gold.is_file()]:
        sys.exit(
            f"no gold file at {', '.join(missing)}"
            + ("" if args.gold else ": this benchmark needs ../shared")
        )
    if not (SHARED / "eval" / "score_places.py").is_file():
        sys.exit(f"no scorer at {SHARED / 'eval' / 'score_places.py'}: this benchmark needs ../shared")
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
    for gold in golds:
        name = gold.name.split(".")[0]
        articles = load_gold(gold)
        ours, names_only, base, times, placed = [], [], [], [], []
        parses = DocBin()
        for art, doc in zip(articles, nlp.pipe(a["text"] for a in articles), strict=True):
            parses.add(doc)
            t0 = time.perf_counter()
            places = resolve_places(doc, Outlet(art.get("url") or art.get("source")))
            times.append(time.perf_counter() - t0)
            placed.append(places)
            ours.append({"id": art["id"], "places": [p.to_score_json() for p in places]})
            names_only.append(
                {"id": art["id"], "places": [p.to_score_json() for p in places if not p.demonym]}
            )
            base.append({"id": art["id"], "places": baseline(art["text"], places)})
        results = {}
        for label, rows in (("resolve_places", ours), ("no demonyms", names_only), ("baseline", base)):
            path = out / f"{name}.{label}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            results[label] = score(gold, path)
        print(f"\n{name}: {len(articles)} articles; resolve_places {1000 * statistics.fmean(times):.2f} ms/article "
              f"(median {1000 * statistics.median(times):.2f}, max {1000 * max(times):.1f})")  # fmt: skip
        for label, r in results.items():
            print(f"  {label:15} {json.dumps(r)}")
        acc = {k: r["accuracy_161km_on_matched"] for k, r in results.items()}
        print(f"  acc@161km ratio resolve_places / baseline: {acc['resolve_places'] / acc['baseline']:.3f}")
        missed, convention = country_convention_misses(articles, placed)
        matched = results["resolve_places"]["matched"]
        print(f"  misses over 161 km: {missed}, of which countries placed in the gold point's country: "
              f"{convention} (counting those as right: {(matched - missed + convention) / matched:.4f})")  # fmt: skip
        if args.compare:
            parses.to_disk(out / f"{name}.spacy")
            urls = out / f"{name}.urls.json"
            urls.write_text(json.dumps([a.get("url") or a.get("source") for a in articles]), encoding="utf-8")
            compare_speed([SRC, *args.compare], out / f"{name}.spacy", urls, args.rounds)
    print(f"\npredictions in {out}")


def compare_speed(sources: list[Path], parses: Path, urls: Path, rounds: int) -> None:
    """Each checkout's resolve_places on the same parses, in turns, one fresh process a round."""
    taken: dict[Path, list[float]] = {src: [] for src in sources}
    # each version keeps its own gazetteer file: one cache folder removes the files of other versions
    caches = {src: parses.with_name(f"cache-{n}") for n, src in enumerate(sources)}
    for _ in range(rounds):
        for src in sources:
            env = {**os.environ, "QUOTEGRAPH_CACHE_DIR": str(caches[src])} if src != SRC else None
            run = subprocess.run([sys.executable, "-c", TIMING, str(src.resolve()), str(parses), str(urls)],
                                 capture_output=True, text=True, check=True, env=env)  # fmt: skip
            taken[src].append(float(run.stdout.split()[-1]))
    ours = statistics.median(taken[SRC])
    for src, times in taken.items():
        median = statistics.median(times)
        print(f"  resolve_places of {src}: median {median:.2f} ms/article over {rounds} rounds "
              f"({', '.join(f'{t:.1f}' for t in times)}); this checkout / it: {ours / median:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
