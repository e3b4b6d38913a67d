"""``quotegraph.evaluate.score`` gives exactly the figures of the shared scorer (../shared/eval/score.py).

Both scorers are run on the same gold and prediction files: the seed interview and the first
articles of PolNeAR dev, with predictions from the extraction pipeline (what ``quotegraph
extract`` writes) and with a few made-up prediction sets that exercise the matching rules
(perfect, empty, shifted spans, surnames, pronouns, implicit sources).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quotegraph.evaluate import confidence_curve, keep_acts, load_records, reliability, score
from quotegraph.model import DEFAULT_ACTS, Article
from quotegraph.pipeline import extract_many
from quotegraph.serve.cli import main

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "eval" / "score.py"
SEED = SHARED / "data" / "dev" / "seed.gold.json"
POLNEAR = SHARED / "data" / "dev" / "polnear.dev.gold.jsonl"
POLNEAR_ARTICLES = 15

needs_shared = pytest.mark.skipif(
    not (SCORER.is_file() and SEED.is_file() and POLNEAR.is_file()),
    reason=f"shared scorer and gold data not found under {SHARED} (a checkout of ../shared is needed)",
)

Records = list[dict[str, Any]]


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def extracted(gold: Records) -> Records:
    """What ``quotegraph extract`` writes for the gold texts: one record per article."""
    articles = (Article(text=g["text"], id=g["id"], published=g.get("published")) for g in gold)
    return [{"id": a.id, "quotes": [q.to_score_json() for q in a.quotes]} for a in extract_many(articles)]


def shared_score(gold_path: Path, pred_path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(SCORER), str(gold_path), str(pred_path), "--json", "--details"],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, Any] = json.loads(result.stdout)
    return figures


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Records]]:
    """Gold files and their records: the seed as it is, PolNeAR dev cut to its first articles."""
    folder = tmp_path_factory.mktemp("gold")
    polnear = load_records(POLNEAR)[:POLNEAR_ARTICLES]
    return {
        "seed": (SEED, load_records(SEED)),
        "polnear": (write_jsonl(folder / "polnear.subset.jsonl", polnear), polnear),
    }


@pytest.fixture(scope="module")
def predictions(corpora: dict[str, tuple[Path, Records]]) -> dict[str, Records]:
    return {name: extracted(gold) for name, (_, gold) in corpora.items()}


def perfect(gold: Records) -> Records:
    return [{"id": g["id"], "quotes": g["quotes"]} for g in gold]


def empty(gold: Records) -> Records:
    return [{"id": g["id"], "quotes": []} for g in gold[1:]]  # the first article has no prediction at all


def perturbed(gold: Records) -> Records:
    """Gold quotes changed in the ways the matching rules care about, deterministically by position."""
    out = []
    for g in gold:
        quotes = []
        for n, q in enumerate(g["quotes"]):
            q = dict(q)
            start, end = q["content"]
            speaker = q.get("speaker") or ""
            match n % 6:
                case 0:  # shifted by two thirds of its length: no longer a match
                    shift = min(2 * (end - start) // 3, len(g["text"]) - end)
                    q["content"] = [start + shift, end + shift]
                case 1:  # the surname alone
                    q["speaker"] = speaker.split(" ")[-1] if speaker else None
                case 2:  # a pronoun, but the mention still points at the gold mention
                    q["speaker"] = "he"
                case 3:  # nobody named, no mention
                    q["speaker"], q["speaker_mention"] = None, None
                case 4:  # a wrong name with no mention
                    q["speaker"], q["speaker_mention"] = "The Somebody Else", None
                case _:  # cut to its first half: still a match (Dice 2/3), not an exact one
                    q["content"] = [start, start + (end - start) // 2]
            quotes.append(q)
        if quotes:
            quotes.append({"content": [0, min(40, len(g["text"]))], "kind": "direct", "speaker": None})
        out.append({"id": g["id"], "quotes": quotes})
    return out


def _flatten(details: dict[str, dict[str, list[Any]]], key: str) -> list[Any]:
    return [item for per_article in details.values() for item in per_article[key]]


def assert_same_figures(gold_path: Path, gold: Records, pred: Records, tmp_path: Path) -> dict[str, Any]:
    """Every figure both scorers report is equal, and so are the misses, false alarms and wrong speakers.

    (The shared scorer also prints its raw ``matched`` and ``kind_ok`` counts, which ``score`` does
    not report: ``test_reports_every_figure_of_the_shared_scorer`` tracks that difference.)
    """
    ours = score(gold, pred)
    theirs = shared_score(gold_path, write_jsonl(tmp_path / "pred.jsonl", pred))
    our_details = ours.pop("details")
    their_details = theirs.pop("details")
    common = set(ours) & set(theirs)
    assert {k: ours[k] for k in common} == {k: theirs[k] for k in common}
    assert {"quote", "exact", "attributed", "resolved", "gold", "pred"} <= common
    for key in ("misses", "false_alarms", "wrong_speaker"):
        assert our_details[key] == _flatten(their_details, key), key
    return ours


@needs_shared
@pytest.mark.parametrize("corpus", ["seed", "polnear"])
def test_same_figures_on_extracted_predictions(
    corpus: str, corpora: dict[str, tuple[Path, Records]], predictions: dict[str, Records], tmp_path: Path
) -> None:
    gold_path, gold = corpora[corpus]
    figures = assert_same_figures(gold_path, gold, predictions[corpus], tmp_path)
    assert figures["articles"] == len(gold)
    assert figures["pred"] > 0 and figures["quote"]["f1"] > 0


@needs_shared
@pytest.mark.parametrize("make", [perfect, empty, perturbed], ids=["perfect", "empty", "perturbed"])
@pytest.mark.parametrize("corpus", ["seed", "polnear"])
def test_same_figures_on_made_up_predictions(
    corpus: str, make: Callable[[Records], Records], corpora: dict[str, tuple[Path, Records]], tmp_path: Path
) -> None:
    gold_path, gold = corpora[corpus]
    figures = assert_same_figures(gold_path, gold, make(gold), tmp_path)
    if make is perfect:
        assert figures["quote"]["f1"] == figures["exact"]["f1"] == figures["attributed"]["f1"] == 1.0
    if make is empty:
        assert figures["missing_predictions"] == [gold[0]["id"]]
        assert figures["quote"]["f1"] == 0.0


@needs_shared
def test_reports_every_figure_of_the_shared_scorer(
    corpora: dict[str, tuple[Path, Records]], predictions: dict[str, Records], tmp_path: Path
) -> None:
    gold_path, gold = corpora["seed"]
    ours = score(gold, predictions["seed"])
    theirs = shared_score(gold_path, write_jsonl(tmp_path / "pred.jsonl", predictions["seed"]))
    assert set(theirs) <= set(ours), f"not reported by evaluate.score: {sorted(set(theirs) - set(ours))}"


def test_keep_acts_keeps_the_chosen_acts_and_renumbers_nesting() -> None:
    record = {
        "id": "a",
        "quotes": [
            {"content": [0, 9], "act": "thought", "speaker": "Lee"},  # "she believes ..."
            {"content": [10, 40], "act": "speech", "speaker": "Lee"},
            {"content": [20, 30], "act": "speech", "speaker": "Ng", "nested_in": 1},
            {"content": [50, 60], "act": "writing", "speaker": "Ng", "nested_in": 0},
            {"content": [70, 80], "speaker": None},  # another system's record without an act
        ],
    }
    assert keep_acts([record], DEFAULT_ACTS) == [
        {
            "id": "a",
            "quotes": [
                {"content": [10, 40], "act": "speech", "speaker": "Lee"},
                {"content": [20, 30], "act": "speech", "speaker": "Ng", "nested_in": 0},
                {"content": [50, 60], "act": "writing", "speaker": "Ng"},  # its container was a thought
                {"content": [70, 80], "speaker": None},
            ],
        }
    ]
    assert keep_acts([record], ("speech", "writing", "thought")) == [record]
    assert keep_acts([record], ("thought",))[0]["quotes"] == [record["quotes"][0]]


@needs_shared
def test_the_seed_interview_is_found_and_attributed_in_full(predictions: dict[str, Records]) -> None:
    """Every quote of the seed (26, words said or written) and nothing else, each with its speaker."""
    figures = score(load_records(SEED), keep_acts(predictions["seed"], DEFAULT_ACTS))
    assert (figures["gold"], figures["pred"]) == (26, 26)
    assert figures["quote"]["f1"] == figures["attributed"]["f1"] == figures["resolved"]["f1"] == 1.0


def test_extract_and_evaluate_count_the_acts_asked_for(tmp_path: Path) -> None:
    """Speech and writing unless --acts says otherwise; a belief counts where the gold scheme does."""
    text = "Ana Ruiz said the tram would stop. She believes the line is unsafe."
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": text}])
    gold = {"content": [text.index("the line"), len(text) - 1], "speaker": "Ana Ruiz", "kind": "indirect"}
    gold_path = write_jsonl(tmp_path / "gold.jsonl", [{"id": "a", "text": text, "quotes": [gold]}])

    def acts_extracted(*options: str) -> list[str]:
        run = CliRunner().invoke(main, ["extract", str(source), *options])
        assert run.exit_code == 0, run.output
        return [q["act"] for q in json.loads(run.output)["quotes"]]

    assert acts_extracted() == ["speech"]
    assert acts_extracted("--acts", "speech,writing,thought") == ["speech", "thought"]
    assert acts_extracted("--acts", "thought") == ["thought"]
    refused = CliRunner().invoke(main, ["extract", str(source), "--acts", "speech,shouting"])
    assert refused.exit_code == 2 and "--acts" in refused.output and "'shouting'" in refused.output
    scored = CliRunner().invoke(main, ["evaluate", str(gold_path), "--acts", "speech,writing,thought"])
    assert "quote: " + json.dumps({"precision": 0.5, "recall": 1.0, "f1": 0.6667}) in scored.output
    scored = CliRunner().invoke(main, ["evaluate", str(gold_path)])
    assert "quote: " + json.dumps({"precision": 0.0, "recall": 0.0, "f1": 0.0}) in scored.output


def test_reliability_gives_the_precision_at_each_confidence() -> None:
    text = "Ana Ruiz said the tram would stop. Bo Lind said the line was unsafe. Nobody knows why."
    span = [text.index("the tram"), text.index(". Bo")]
    other = [text.index("the line"), text.index(". Nobody")]
    gold = [
        {
            "id": "a",
            "text": text,
            "quotes": [{"content": span, "speaker": "Ana Ruiz"}, {"content": other, "speaker": "Bo Lind"}],
        }
    ]
    pred = [
        {
            "id": "a",
            "quotes": [
                {"content": span, "speaker": "Ana Ruiz", "confidence": 0.9},  # right
                {"content": other, "speaker": "Ana Ruiz", "confidence": 0.6},  # words right, speaker wrong
                {
                    "content": [text.index("Nobody"), len(text)],
                    "speaker": None,
                    "confidence": 0.6,
                },  # no quote
            ],
        }
    ]
    assert reliability(gold, pred) == [(0.6, 2, 0.5, 0.0), (0.9, 1, 1.0, 1.0)]
    assert [threshold for threshold, *_ in confidence_curve(gold, pred)] == [0.0, 0.6, 0.9]
