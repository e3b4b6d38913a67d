"""Scoring extracted quotes against gold annotations, to the shared scorer's specification.

A predicted quote matches a gold one when their content spans, trimmed of whitespace and
punctuation, overlap with a Dice score of at least 0.5 (one-to-one, greedy by overlap).
A match is *attributed* when the speaker name equals the gold speaker or an alias (or a
surname alone, on either side), or the speaker mention overlaps a gold mention of that speaker; *resolved*
when the name alone matches. The figures agree with ../shared/eval/score.py (a test checks).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_TRIM = " \t\n\"'“”‘’«»„‚‹›.,;:!?—–-()[]"
_PRONOUNS = frozenset("he she they i we it you him her them his their".split())
_MATCH_THRESHOLD = 0.5

Record = Mapping[str, Any]


def load_records(path: str | Path) -> list[dict[str, Any]]:
    """A JSON file holding one article or a list, or JSONL with one article per line."""
    raw = Path(path).read_text(encoding="utf-8")
    try:
        loaded = json.loads(raw)
    except json.JSONDecodeError:
        return [json.loads(line) for line in raw.split("\n") if line.strip()]
    return loaded if isinstance(loaded, list) else [loaded]


def keep_acts(records: Iterable[Record], acts: Collection[str]) -> list[dict[str, Any]]:
    """Prediction records with only the quotes of these acts (a quote with no ``act``, as another
    system's file may have, counts as speech). ``nested_in`` indexes the quotes kept; a quote whose
    container is left out is no longer nested."""
    kept_records = []
    for record in records:
        quotes = record.get("quotes", [])
        kept = [n for n, q in enumerate(quotes) if q.get("act", "speech") in acts]
        position = {n: k for k, n in enumerate(kept)}
        renumbered = []
        for n in kept:
            quote = dict(quotes[n])
            if "nested_in" in quote and quote["nested_in"] in position:
                quote["nested_in"] = position[quote["nested_in"]]
            elif "nested_in" in quote:
                del quote["nested_in"]
            renumbered.append(quote)
        kept_records.append({**record, "quotes": renumbered})
    return kept_records


def trimmed(text: str, span: list[int] | tuple[int, int]) -> tuple[int, int]:
    """The span without whitespace and punctuation at its ends (quotation marks included)."""
    start, end = span
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def dice(a: tuple[int, int] | list[int], b: tuple[int, int] | list[int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    total = (a[1] - a[0]) + (b[1] - b[0])
    return 2 * inter / total if total else 0.0


def normalize_name(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = " ".join(text.lower().replace("-", " ").split())
    for article in ("the ", "a ", "an "):
        if text.startswith(article):
            text = text[len(article) :]
    return text


def _named(pred: Record, gold: Record, aliases: Mapping[str, list[str]]) -> bool:
    names = {normalize_name(gold["speaker"])} | {normalize_name(a) for a in aliases.get(gold["speaker"], [])}
    names -= _PRONOUNS | {""}
    guess = normalize_name(pred.get("speaker"))
    expected = normalize_name(gold["speaker"])
    # a surname alone counts on either side: "Brazile" for "Donna Brazile", and gold "Brazile" for "Donna Brazile"
    surname = guess == expected.split(" ")[-1] or (" " not in expected and guess.split(" ")[-1] == expected)
    known = expected not in _PRONOUNS | {""}
    return bool(guess) and guess not in _PRONOUNS and known and (guess in names or surname)


@dataclass
class Counts:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    exact: int = 0
    attributed: int = 0
    resolved: int = 0
    kind_ok: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    wrong_speaker: list[dict[str, Any]] = field(default_factory=list)
    # per prediction: its confidence (1.0 when it gives none), and whether it matched and was attributed
    outcomes: list[tuple[float, bool, bool]] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for name in ("gold", "pred", "matched", "exact", "attributed", "resolved", "kind_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.false_alarms += other.false_alarms
        self.wrong_speaker += other.wrong_speaker
        self.outcomes += other.outcomes


def score_article(gold: Record, pred: Record) -> Counts:
    text: str = gold["text"]
    aliases: Mapping[str, list[str]] = gold.get("speaker_aliases", {})
    mentions: dict[str | None, list[list[int] | None]] = {}
    for g in gold["quotes"]:
        mentions.setdefault(g["speaker"], []).append(g.get("speaker_mention"))
        mentions[g["speaker"]].extend(g.get("speaker_mentions", []))
    gold_spans = [trimmed(text, g["content"]) for g in gold["quotes"]]
    pred_quotes = list(pred.get("quotes", []))
    pred_spans = [trimmed(text, p["content"]) for p in pred_quotes]
    pairs = sorted(
        ((dice(g, p), i, j) for i, g in enumerate(gold_spans) for j, p in enumerate(pred_spans)),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    attributed: set[int] = set()
    counts = Counts(gold=len(gold_spans), pred=len(pred_spans))
    for overlap, i, j in pairs:
        if overlap < _MATCH_THRESHOLD:
            break
        if i in used_gold or j in used_pred:
            continue
        used_gold.add(i)
        used_pred.add(j)
        g, p = gold["quotes"][i], pred_quotes[j]
        counts.matched += 1
        counts.exact += gold_spans[i] == pred_spans[j]
        counts.kind_ok += g.get("kind") == p.get("kind")
        if g["speaker"] is None:  # an implicit source is right when the prediction names nobody either
            named = not p.get("speaker") and not p.get("speaker_mention")
        else:
            named = _named(p, g, aliases)
        counts.resolved += named
        mention = p.get("speaker_mention")
        by_mention = bool(mention) and any(m and dice(mention, m) > 0 for m in mentions.get(g["speaker"], []))
        if named or by_mention:
            counts.attributed += 1
            attributed.add(j)
        else:
            quote = text[gold_spans[i][0] : gold_spans[i][1]][:80]
            counts.wrong_speaker.append({"quote": quote, "gold": g["speaker"], "pred": p.get("speaker")})
    counts.misses = [text[s:e][:80] for i, (s, e) in enumerate(gold_spans) if i not in used_gold]
    counts.false_alarms = [text[s:e][:80] for j, (s, e) in enumerate(pred_spans) if j not in used_pred]
    counts.outcomes = [
        (float(p.get("confidence", 1.0)), j in used_pred, j in attributed) for j, p in enumerate(pred_quotes)
    ]
    return counts


def _prf(hits: int, predicted: int, expected: int) -> dict[str, float]:
    p = hits / predicted if predicted else 0.0
    r = hits / expected if expected else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score(gold: Iterable[Record], pred: Iterable[Record]) -> dict[str, Any]:
    """The shared scorer's figures for a set of articles (predictions matched by ``id``)."""
    golds = {g["id"]: g for g in gold}
    preds = {p["id"]: p for p in pred}
    total = _total(golds.values(), preds.values())
    out: dict[str, Any] = {
        "articles": len(golds),
        "missing_predictions": sorted(set(golds) - set(preds)),
        "gold": total.gold,
        "pred": total.pred,
        "matched": total.matched,
        "kind_ok": total.kind_ok,
    }
    for name, hits in (
        ("quote", total.matched),
        ("exact", total.exact),
        ("attributed", total.attributed),
        ("resolved", total.resolved),
    ):
        out[name] = _prf(hits, total.pred, total.gold)
    out["speaker_accuracy_on_matched"] = round(total.attributed / total.matched, 4) if total.matched else 0.0
    out["kind_accuracy_on_matched"] = round(total.kind_ok / total.matched, 4) if total.matched else 0.0
    out["details"] = {
        "misses": total.misses,
        "false_alarms": total.false_alarms,
        "wrong_speaker": total.wrong_speaker,
    }
    return out


def _total(gold: Iterable[Record], pred: Iterable[Record]) -> Counts:
    preds = {p["id"]: p for p in pred}
    total = Counts()
    for g in gold:
        total.add(score_article(g, preds.get(g["id"], {"quotes": []})))
    return total


_MAX_LEVELS = 10  # more distinct confidences than this are binned by tenths


def reliability(gold: Iterable[Record], pred: Iterable[Record]) -> list[tuple[float, int, float, float]]:
    """How right predictions are at each confidence: per level (or per tenth, for a system with
    more levels), the number of predictions and their quote and attributed precision. Confidence
    means something when these rise with it."""
    outcomes = _total(gold, pred).outcomes
    levels = {round(c, 2) for c, _, _ in outcomes}
    by_level: dict[float, list[tuple[bool, bool]]] = {}
    for confidence, matched, attributed in outcomes:
        level = round(confidence, 2) if len(levels) <= _MAX_LEVELS else min(int(confidence * 10), 9) / 10
        by_level.setdefault(level, []).append((matched, attributed))
    return [
        (
            level,
            len(rows),
            round(sum(m for m, _ in rows) / len(rows), 4),
            round(sum(a for _, a in rows) / len(rows), 4),
        )
        for level, rows in sorted(by_level.items())
    ]


def confidence_curve(
    gold: Sequence[Record],
    pred: Sequence[Record],
    thresholds: Iterable[float] | None = None,
) -> list[tuple[float, dict[str, float], dict[str, float]]]:
    """Quote and attributed precision/recall/F1 keeping only quotes at or above each confidence
    (by default each level ``reliability`` reports, and 0)."""
    if thresholds is None:
        thresholds = sorted({0.0} | {level for level, *_ in reliability(gold, pred)})
    rows = []
    for threshold in thresholds:
        kept = [
            {**p, "quotes": [q for q in p.get("quotes", []) if q.get("confidence", 1.0) >= threshold]}
            for p in pred
        ]
        figures = score(gold, kept)
        rows.append((threshold, figures["quote"], figures["attributed"]))
    return rows
