"""Event extraction scored by the shared scorer on the seed's 6 events and the 322 PLOVER gold records.

    python benchmarks/events.py [--details] [--keep DIR]

Each gold article is extracted with ``extract_many`` (its own text and publication date), its events
written as ``Event.to_score_json`` lines, and ``../shared/eval/score_events.py`` run on them: the
figures printed are the scorer's own. ``--keep DIR`` leaves the prediction files there.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from quotegraph.model import Article
from quotegraph.pipeline import extract_many

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "eval" / "score_events.py"
GOLD = {
    "seed": SHARED / "data" / "dev" / "seed.gold.json",
    "plover": SHARED / "data" / "dev" / "events" / "plover_gsr.events.gold.jsonl",
}


def records(path: Path) -> list[dict[str, object]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return [json.loads(text)]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def predict(gold: Path, out: Path) -> None:
    articles = (
        Article(text=str(r["text"]), id=str(r["id"]), published=r.get("published"))  # type: ignore[arg-type]
        for r in records(gold)
    )
    with out.open("w", encoding="utf-8") as f:
        for article in extract_many(articles):
            events = [e.to_score_json(article.text) for e in article.events]
            f.write(json.dumps({"id": article.id, "events": events}, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="the scorer's per-article details")
    parser.add_argument("--keep", type=Path, help="write the prediction files to this folder")
    args = parser.parse_args()
    missing = [p for p in (SCORER, *GOLD.values()) if not p.is_file()]
    if missing:
        sys.exit(f"benchmarks/events.py: not found: {', '.join(map(str, missing))} (a checkout of ../shared)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for name, gold in GOLD.items():
            pred = folder / f"{name}.events.pred.jsonl"
            predict(gold, pred)
            print(f"\n== {name}: {gold}")
            command = [
                sys.executable,
                str(SCORER),
                str(gold),
                str(pred),
                *(["--details"] if args.details else []),
            ]
            subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
