"""Entity quality on the 84 PolNeAR dev articles: samples to check by hand, and the checks a script can do.

Builds a database of ``../shared/data/dev/polnear.dev.gold.jsonl`` (or opens the one given with
``--db`` when it already holds articles), then prints:

- a random sample of ``--aliases`` (entity, alias) pairs as the surfaces show them (the other names
  of people and organizations in ``quotegraph entities``, and of speakers in ``quotegraph speakers``),
  each with a line of the article where the alias is written, to be judged by hand: is the alias a
  proper name of that entity?
- a random sample of ``--roles`` roles (``quotegraph entity NAME``), each with its article and a line
  where it is written: is it a description the narrator gives that entity, headed by a role,
  office, occupation, relation or membership?
- person entities whose name looks like a label, a time zone or a headline fragment (all capitals,
  a time-zone word, a word of a section label or an editor's note, a reporting verb in title case);
- pairs among the ``--top`` most quoted speakers that look like one person split in two (one name's
  words inside the other's with initials dropped, the same surname with a first name that is
  equal or a prefix of the other, or names one spelling apart).

The verdicts go in benchmarks/ENTITIES.md with the seed. With ``--cost``, instead: the time
``resolve_speakers`` takes per KB on one article of ~100 KB and one of ~1 MB, both made of the
PolNeAR dev texts joined (repeated to length), parsed once each, median of ``--repeat`` runs, and
the ratio (issue 24's target: at most 1.2). Exits with a message where the data is absent.

    .venv/bin/python benchmarks/entities.py [--db FILE] [--seed 25] [--aliases 200] [--roles 100] [--top 50]
    .venv/bin/python benchmarks/entities.py --cost [--repeat 3]
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

from quotegraph.jobs import ingest_paths
from quotegraph.store import Store, open_store
from quotegraph.textnorm import fold, similar_words

SHARED = Path(__file__).resolve().parents[2] / "shared"
POLNEAR = SHARED / "data" / "dev" / "polnear.dev.gold.jsonl"

# What a person's name must not look like (the benchmark's check, independent of the rules it checks)
_TIME_ZONES = set("edt est cdt cst mdt mst pdt pst gmt utc bst cet cest et pt ct".split())
_LABEL_WORDS = set(
    "clarification correction update updated editor editors note read more watch photos photo video related "
    "advertisement breaking exclusive opinion analysis transcript".split()
)
_HEADLINE_VERBS = set(
    "says say said tells told warns slams blasts urges calls claims admits denies reveals responds "
    "is are was will has have to".split()
)


def build(db: str) -> Store:
    store = open_store(db)
    if store.articles_count() == 0:
        if not POLNEAR.exists():
            sys.exit(f"PolNeAR dev gold absent at {POLNEAR}: this benchmark needs the shared data checkout")
        started = time.perf_counter()
        summary = ingest_paths([POLNEAR], store)
        print(f"ingested {summary.stored} articles in {time.perf_counter() - started:.0f} s into {db}")
    return store


def line_with(text: str, words: str) -> str:
    """The article's line (paragraph) where ``words`` are written, shortened around them."""
    at = text.find(words)
    if at < 0:
        return "(not written as such)"
    start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    end = len(text) if end < 0 else end
    start, end = max(start, at - 110), min(end, at + len(words) + 110)
    return " ".join(text[start:end].split())


def looks_like_label(name: str) -> str | None:
    words = name.split()
    folded = fold(name).split()
    if name.isupper() and not re.fullmatch(r"[A-Z]\.?[A-Z]\.?", name):
        return "all capitals"
    if set(folded) & _TIME_ZONES:
        return "time zone"
    if set(folded) & _LABEL_WORDS:
        return "label word"
    if len(words) >= 2 and words[-1][:1].isupper() and fold(words[-1]) in _HEADLINE_VERBS:
        return "headline verb"
    if not name[:1].isupper():
        return "not capitalized"
    if any(mark in name for mark in "/:|@"):
        return "credit or label mark"
    return None


def one_person(a: str, b: str) -> bool:
    """Whether two speaker names look like one person's (the benchmark's own test, not the pipeline's)."""
    ours = [w for w in fold(a).split() if len(w) > 1]
    theirs = [w for w in fold(b).split() if len(w) > 1]
    if not ours or not theirs:
        return False
    if set(ours) <= set(theirs) or set(theirs) <= set(ours):
        return True
    if similar_words(ours[-1], theirs[-1]) and (
        ours[0].startswith(theirs[0]) or theirs[0].startswith(ours[0])
    ):
        return True
    return len(ours) == len(theirs) and all(similar_words(x, y) for x, y in zip(ours, theirs, strict=True))


def cost(repeat: int) -> None:
    """Time per KB of speaker resolution on ~100 KB and ~1 MB of joined news text."""
    from quotegraph.extract.quotes import extract_quotes
    from quotegraph.nlp import load_pipeline
    from quotegraph.resolve.speakers import resolve_speakers

    if not POLNEAR.exists():
        sys.exit(f"PolNeAR dev gold absent at {POLNEAR}: this benchmark needs the shared data checkout")
    texts: list[str] = [
        json.loads(line)["text"] for line in POLNEAR.read_text(encoding="utf-8").splitlines() if line
    ]
    nlp = load_pipeline()
    nlp.max_length = 2_000_000
    per_kb = {}
    for size in (100_000, 1_000_000):
        joined: list[str] = []
        while sum(len(t) for t in joined) < size:
            joined.append(texts[len(joined) % len(texts)])
        text = "\n\n".join(joined)
        doc = nlp(text)
        found = extract_quotes(doc)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            _, entities, _ = resolve_speakers(doc, found)
            times.append(time.perf_counter() - started)
        seconds = statistics.median(times)
        per_kb[size] = seconds / (len(text) / 1000)
        print(
            f"{len(text) / 1000:,.0f} KB, {len(found):,} quotes, {len(entities):,} entities: "
            f"resolve_speakers {seconds:.2f} s (median of {repeat}), {per_kb[size] * 1000:.2f} ms per KB"
        )
    print(f"time per KB, 1 MB / 100 KB: {per_kb[1_000_000] / per_kb[100_000]:.2f} (target <= 1.2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="benchmarks/entities.db")
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--aliases", type=int, default=200)
    parser.add_argument("--roles", type=int, default=100)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--cost", action="store_true", help="time per KB at 100 KB and 1 MB instead")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("$", " ".join([Path(sys.executable).name, *sys.argv]))
    print(f"machine: {platform.machine()} {platform.python_version()}; seed {args.seed}")
    if args.cost:
        cost(args.repeat)
        return
    rng = random.Random(args.seed)
    with build(args.db) as store:
        print(f"{store.articles_count()} articles in {args.db}")
        texts: dict[str, str] = {}

        def text_of(article_id: str) -> str:
            if article_id not in texts:
                article = store.article(article_id)
                texts[article_id] = article.text if article is not None else ""
            return texts[article_id]

        def used(name: str, words: str) -> str:
            """A line of an article linked to the entity ``name`` where ``words`` are written."""
            detail = store.entity(name)
            for link in detail.links if detail is not None else []:
                line = line_with(text_of(link.article_id), words)
                if not line.startswith("(not"):
                    return f"{link.external_id}: {line}"
            return "(not written in its articles)"

        entities = [row for kind in ("person", "org") for row in store.entities(kind=kind, limit=None)]
        speakers = store.speakers()
        pairs = sorted(
            {(row.name, alias) for row in entities for alias in row.aliases}
            | {(row.name, alias) for row in speakers for alias in row.aliases}
        )
        print(
            f"\n== aliases: {min(args.aliases, len(pairs))} of {len(pairs)} (entity <- alias: where it is used)"
        )
        for n, (name, alias) in enumerate(sorted(rng.sample(pairs, min(args.aliases, len(pairs)))), 1):
            print(f"A{n:03d} {name} <- {alias!r}: {used(name, alias)}")

        roles = []
        for row in entities:
            detail = store.entity(row.id)
            if detail is not None:
                roles += [(row.name, r.role, r.published, r.external_id, r.article_id) for r in detail.roles]
        roles = sorted(set(roles))
        print(
            f"\n== roles: {min(args.roles, len(roles))} of {len(roles)} (entity: role (date, article): a line)"
        )
        for n, (name, role, published, external, article_id) in enumerate(
            sorted(rng.sample(roles, min(args.roles, len(roles)))), 1
        ):
            print(
                f"R{n:03d} {name}: {role!r} ({published}, {external}): {line_with(text_of(article_id), role)}"
            )

        people = store.entities(kind="person", limit=None)
        labels = [(row.name, why) for row in people if (why := looks_like_label(row.name))]
        print(f"\n== person entities that look like a label, time zone or headline fragment: {len(labels)}")
        for name, why in labels:
            print(f"  {name!r}: {why}")

        top = [row for row in speakers if row.kind == "person"][: args.top]
        split = [(a, b) for a, b in itertools.combinations(top, 2) if one_person(a.name, b.name)]
        print(
            f"\n== pairs among the {len(top)} most quoted person speakers that may be one person: {len(split)}"
        )
        for a, b in split:
            print(f"  {a.name} ({a.quote_count}) / {b.name} ({b.quote_count})")


if __name__ == "__main__":
    main()
