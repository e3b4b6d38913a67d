"""Error analysis of quote attribution on a gold file: misses and wrong speakers by category.

    python benchmarks/attribution_errors.py ../shared/data/dev/polnear.dev.gold.jsonl [--examples 3]
    python benchmarks/attribution_errors.py --labels PATH...

``--labels`` reads any articles (files or folders, as ``quotegraph ingest`` does) and lists every
quote, of any act, in a paragraph that opens with a short label and a colon ("READ MORE:",
"WATCH:", "KOVAC:") or that carries a photo credit: the candidates for a label or caption read
as speech, to be judged by eye (a transcript turn is one of them and is right).

Categories are decided from the gold annotation and our own lexicon, so the counts say
where the remaining errors come from: a cue word we do not treat as reporting, a cue we
know but whose clause the parse did not give us, a quote we found with other boundaries,
and so on. Prints counts (and a few examples with --examples) for benchmarks/ATTRIBUTION.md.
"""

from __future__ import annotations

import argparse
import collections
import re
from typing import Any

from quotegraph import evaluate as scoring
from quotegraph.extract import lexicon
from quotegraph.ingest import read_inputs
from quotegraph.model import Article
from quotegraph.nlp import load_pipeline
from quotegraph.pipeline import extract_many

_KNOWN = (
    lexicon.SPEECH_VERBS
    | lexicon.WRITING_VERBS
    | lexicon.THOUGHT_VERBS
    | lexicon.FINDING_VERBS
    | lexicon.SPEECH_NOUNS
    | {"according"}
)
_PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "who", "which", "that"}


def miss_category(gold: dict[str, Any], quote: dict[str, Any], predicted: list[tuple[int, int]]) -> str:
    text = gold["text"]
    span = scoring.trimmed(text, quote["content"])
    if any(start <= span[0] and span[1] <= end for start, end in predicted):
        return "inside a longer predicted quote (sentence-level gold)"
    if any(scoring.dice(span, p) > 0 for p in predicted):
        return "overlapping prediction with other boundaries"
    cue = quote.get("cue")
    if not cue:
        return "no cue in gold"
    words = text[cue[0] : cue[1]].strip()
    if words in {":", "―", "—", "-"}:
        return "punctuation cue (colon or dash)"
    lemmas = {t.lemma_.lower() for t in load_pipeline()(words.lower())}
    if lemmas & _KNOWN:
        return "known cue, clause not found in the parse"
    return "cue word outside our lexicon (stance, intention, topic)"


def wrong_category(gold_speaker: str | None, pred_speaker: str | None) -> str:
    if pred_speaker is None:
        return "we name nobody"
    if gold_speaker is None:
        return "gold has an implicit source"
    if scoring.normalize_name(gold_speaker) in _PRONOUNS:
        return "gold is a pronoun or relative; our name differs from its mention"
    return "a different person or phrase"


_LABEL = re.compile(r"""\W{0,2}[A-Z][^\s:]*(?:\s+[^\s:]+){0,4}:""")
_CREDIT = re.compile(r"\b(?:Photo|PHOTO|Photograph|Image|Credit|Getty|Instagram|Shutterstock)\b|PRESS/")


def list_label_quotes(paths: list[str]) -> None:
    """Print each quote in a labelled or credited paragraph, with its speaker, and the counts."""
    articles = (item for item in read_inputs(paths) if isinstance(item, Article))
    seen = listed = 0
    for article in extract_many(articles, quotes_only=True):
        seen += 1
        for quote in article.quotes:
            start = article.text.rfind("\n", 0, quote.content.start) + 1
            end = article.text.find("\n", quote.content.start)
            paragraph = article.text[start : end if end != -1 else len(article.text)]
            if _LABEL.match(paragraph) or _CREDIT.search(paragraph):
                listed += 1
                words = article.text[quote.content.start : quote.content.end]
                print(f"{article.id}\t{quote.act}\t{quote.speaker!r}\t{paragraph[:60]!r}\t{words[:60]!r}")
    print(f"{seen} articles, {listed} quotes in labelled or credited paragraphs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="+")
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument(
        "--labels", action="store_true", help="list quotes in labelled or credited paragraphs"
    )
    args = parser.parse_args()
    if args.labels:
        list_label_quotes(args.gold)
        return
    golds = scoring.load_records(args.gold[0])
    articles = (Article(text=g["text"], id=g["id"], published=g.get("published")) for g in golds)
    preds: dict[str, list[dict[str, Any]]] = {
        a.id: [q.to_score_json() for q in a.quotes] for a in extract_many(articles)
    }
    misses: collections.Counter[str] = collections.Counter()
    wrong: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    for gold in golds:
        text = gold["text"]
        predicted = [scoring.trimmed(text, q["content"]) for q in preds[gold["id"]]]
        counts = scoring.score_article(gold, {"quotes": preds[gold["id"]]})
        missed = set(counts.misses)
        for quote in gold["quotes"]:
            start, end = scoring.trimmed(text, quote["content"])
            if text[start:end][:80] in missed:
                category = miss_category(gold, quote, predicted)
                misses[category] += 1
                examples[category].append(text[start:end][:100])
        for item in counts.wrong_speaker:
            category = wrong_category(item["gold"], item["pred"])
            wrong[category] += 1
            examples[category].append(f"{item['quote'][:70]} | gold {item['gold']!r} | ours {item['pred']!r}")
    total_gold = sum(len(g["quotes"]) for g in golds)
    print(f"{len(golds)} articles, {total_gold} gold quotes")
    for title, counter in (("misses", misses), ("wrong speakers", wrong)):
        print(f"\n{title}: {sum(counter.values())}")
        for category, n in counter.most_common():
            print(f"  {n:5d}  {category}")
            for example in examples[category][: args.examples]:
                print(f"         e.g. {example}")


if __name__ == "__main__":
    main()
