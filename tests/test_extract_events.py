"""Events in short texts written for this file, each expected event decided by hand.

Each expected event is ``(type, ACLED label, trigger words, actor1, actor2, places as written,
fatalities, injured, size, modality)``; the list must match the extraction in order (each
sentence's main event first), so a missed event, an extra one or a wrong field each fail. Texts
that report no event (a negation, a question, quoted words, a metaphor, a stretch of fighting, a
claim) must yield none. The seed acceptance test reads the shared gold file and is skipped with a
message where ../shared is not checked out.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from spacy.lang.en import English
from spacy.tokens import Doc

from quotegraph.extract.events import _count, _number, lexicon
from quotegraph.model import EVENT_TYPES, Article, Event
from quotegraph.pipeline import extract

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "data" / "dev" / "seed.gold.json"
SCORER = SHARED / "eval" / "score_events.py"

Expected = tuple[
    str, str | None, str, str | None, str | None, list[str], int | None, int | None, int | None, str
]

# 2023-05-10 is a Wednesday
PUBLISHED = "2023-05-10"

CASES: list[tuple[str, list[Expected]]] = [
    (  # the killing is the attack's toll: one event, headed by the attack
        "Gunmen killed 12 villagers in an attack on a village in Borno state on Sunday, police said.",
        [
            ("ASSAULT", "Violence against civilians / Attack", "attack", "Gunmen", "12 villagers",
             ["Borno"], 12, None, None, "happened"),
        ],
    ),
    (
        "A roadside bomb killed three soldiers near Kandahar on Tuesday.",
        [
            ("ASSAULT", "Explosions/Remote violence / Remote explosive/landmine/IED", "bomb", None,
             "three soldiers", ["Kandahar"], 3, None, None, "happened"),
        ],
    ),
    (
        "Six people were killed and dozens injured when a car bomb exploded in a market in Baghdad.",
        [
            ("ASSAULT", "Explosions/Remote violence / Remote explosive/landmine/IED", "exploded", None,
             "Six people", ["Baghdad"], 6, 12, None, "happened"),
        ],
    ),
    (
        "Security forces opened fire on demonstrators, killing three.",
        [
            ("ASSAULT", "Protests / Excessive force against protesters", "opened fire", "Security forces",
             "demonstrators", [], 3, None, None, "happened"),
        ],
    ),
    (
        "Police fired tear gas to disperse protesters who had gathered outside parliament.",
        [
            ("ASSAULT", "Protests / Protest with intervention", "fired tear gas", "Police", "protesters",
             [], None, None, None, "happened"),
        ],
    ),
    (  # a crowd of "thousands" counts 1,000, as ACLED reads it
        "Thousands of people marched through Lagos on Saturday to protest against fuel price rises.",
        [
            ("PROTEST", "Protests / Peaceful protest", "marched", "people", "Lagos", ["Lagos"], None, None,
             1000, "happened"),
        ],
    ),
    (
        "The army recaptured the town from the militants on Friday.",
        [
            ("ASSAULT", "Battles / Government regains territory", "recaptured", "army", "militants", [],
             None, None, None, "happened"),
        ],
    ),
    (
        "Unidentified men abducted a local journalist in Karachi on Monday.",
        [
            ("ASSAULT", "Violence against civilians / Abduction/forced disappearance", "abducted",
             "Unidentified men", "local journalist in Karachi", ["Karachi"], None, None, 1, "happened"),
        ],
    ),
    (  # an arrest and, apart from it, the clashes it followed
        "Police arrested 15 people after clashes in the capital.",
        [
            ("COERCE", "Strategic developments / Arrests", "arrested", "Police", "15 people", [], None,
             None, 15, "happened"),
            ("ASSAULT", "Battles / Armed clash", "clashes", None, None, [], None, None, None, "happened"),
        ],
    ),
    (
        "Police arrested 40 demonstrators in Cairo on Sunday.",
        [
            ("COERCE", "Protests / Protest with intervention", "arrested", "Police", "40 demonstrators",
             ["Cairo"], None, None, 40, "happened"),
        ],
    ),
    (
        "A man was stabbed to death in east London on Friday night, police said.",
        [
            ("ASSAULT", "Violence against civilians / Attack", "stabbed", None, "man", ["London"], 1, None,
             None, "happened"),
        ],
    ),
    (  # the raid is where the rapes happened: one event
        "Soldiers raped several women during a raid on the village.",
        [
            ("ASSAULT", "Violence against civilians / Sexual violence", "raped", "Soldiers", "several women",
             [], None, None, None, "happened"),
        ],
    ),
    (
        "The government and the rebels signed a ceasefire agreement in Addis Ababa.",
        [
            ("SUPPORT", "Strategic developments / Agreement", "signed a ceasefire agreement", "government and the rebels",
             "Addis Ababa", ["Addis Ababa"], None, None, None, "happened"),
        ],
    ),
    (  # an agent's future hostile act is, as PLOVER codes it, a threat
        "The rebels said they would attack the capital.",
        [("THREATEN", None, "attack", "rebels", None, [], None, None, None, "happened")],
    ),
    (  # and a cooperative one a commitment
        "The minister will visit Paris next week.",
        [("AGREE", None, "visit", "minister", "Paris", ["Paris"], None, None, None, "happened")],
    ),
    (  # a scheduled event keeps its category and is planned
        "A meeting of the two leaders is planned for next week in Geneva.",
        [
            ("CONSULT", "Strategic developments / Agreement", "meeting", "two leaders", "Geneva", ["Geneva"],
             None, None, None, "planned"),
        ],
    ),
    (
        "Protests are planned in several cities on Saturday.",
        [
            ("PROTEST", "Protests / Peaceful protest", "Protests are planned", None, None, [], None, None,
             None, "planned"),
        ],
    ),
    (
        "The army denied killing civilians in the village.",
        [
            ("ASSAULT", "Violence against civilians / Attack", "killing", "army", "civilians", [], None,
             None, None, "denied"),
        ],
    ),
    (
        "If the army attacks the city, thousands could die.",
        [
            ("ASSAULT", "Violence against civilians / Attack", "attacks", "army", None, [], None, None,
             None, "hypothetical"),
        ],
    ),
    (  # "The talks" repeats the talks held in Geneva
        "Delegates from both sides held talks in Geneva on Monday. The talks ended without an agreement.",
        [
            ("CONSULT", "Strategic developments / Agreement", "held talks", "Delegates from both sides",
             "Geneva", ["Geneva"], None, None, None, "happened"),
        ],
    ),
    (  # the protesters' demand in the next sentence is the rally's, and names whom it is against
        "Hundreds of workers rallied outside the ministry on Tuesday. "
        "The protesters demanded that the government raise wages.",
        [
            ("PROTEST", "Protests / Peaceful protest", "rallied", "workers", "government", [], None, None,
             100, "happened"),
        ],
    ),
    (
        "Police arrested two men on Friday in connection with the shooting of a teenager in Leeds.",
        [
            ("COERCE", "Strategic developments / Arrests", "arrested", "Police", "two men", ["Leeds"], None,
             None, 2, "happened"),
            ("ASSAULT", "Violence against civilians / Attack", "shooting", None, "teenager", ["Leeds"], None,
             None, 1, "happened"),
        ],
    ),
    (  # violence by demonstrators is a riot, not an intervention against them
        "Protesters clashed with police in Nairobi on Tuesday, throwing stones at officers.",
        [
            ("ASSAULT", "Riots / Violent demonstration", "clashed", "Protesters", "police in Nairobi",
             ["Nairobi"], None, None, None, "happened"),
        ],
    ),
    (
        "A mob lynched a man accused of theft in a village near Kampala.",
        [
            ("ASSAULT", "Riots / Mob violence", "lynched", "mob", "man", ["Kampala"], None, None, 1,
             "happened"),
        ],
    ),
    (
        "Al Shabaab militants attacked a military base in Lower Shabelle, killing five soldiers.",
        [
            ("ASSAULT", "Battles / Armed clash", "attacked", "Al Shabaab militants", "five soldiers",
             ["Lower Shabelle"], 5, None, None, "happened"),
        ],
    ),
    (
        "The air defence forces shot down two drones over the capital overnight.",
        [
            ("ASSAULT", "Strategic developments / Disrupted weapons use", "shot down", "air defence forces",
             None, [], None, None, None, "happened"),
        ],
    ),
    (  # the blast happened; the killing did not: a toll of none, as ACLED records it
        "No one was killed in the blast in Kabul on Monday.",
        [
            ("ASSAULT", "Explosions/Remote violence / Remote explosive/landmine/IED", "blast", None, "Kabul",
             ["Kabul"], 0, None, None, "happened"),
        ],
    ),
    (  # releasing people is yielding; releasing data is not (below, with no event)
        "The army released 20 prisoners on Friday.",
        [
            ("RETREAT", "Strategic developments / Agreement", "released 20 prisoners", "army", "20 prisoners", [],
             None, None, None, "happened"),
        ],
    ),
    (  # the attack ACLED codes comes before the condemnation of it
        "The UN condemned the attack that killed 12 civilians in a market.",
        [
            ("ASSAULT", "Violence against civilians / Attack", "attack", None, "12 civilians", [], 12, None,
             None, "happened"),
            ("ACCUSE", None, "condemned", "UN", None, [], None, None, None, "happened"),
        ],
    ),
]  # fmt: skip

NO_EVENTS = [
    "Police did not arrest anyone.",
    "Nobody was arrested.",
    "Did the army attack the village?",
    '"We will crush them," the commander said.',
    "The war on poverty continues.",
    "After 20 months of fighting, the group is exhausted.",
    "The company reported record profits.",
    "Rebels claim to fight for the people.",
    "Residents fear an attack on the town.",
    "She died of cancer on Monday.",
    "The meeting room was full.",
    "The battle against corruption goes on.",
    "The mayor warned that the city's reserves would fall below the safe level.",
    "The ministry delayed releasing the data.",
]


def _as_expected(event: Event, text: str) -> Expected:
    return (
        event.type,
        event.acled,
        event.trigger.text(text),
        event.actor1.name if event.actor1 else None,
        event.actor2.name if event.actor2 else None,
        [p.span.text(text) for p in event.places],
        event.fatalities.value if event.fatalities else None,
        event.injured.value if event.injured else None,
        event.size.value if event.size else None,
        event.modality,
    )


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[t[:40] for t, _ in CASES])
def test_events(text: str, expected: list[Expected]) -> None:
    article = extract(text, published=PUBLISHED)
    assert [_as_expected(e, text) for e in article.events] == expected


@pytest.mark.parametrize("text", NO_EVENTS)
def test_no_event(text: str) -> None:
    article = extract(text, published=PUBLISHED)
    assert [(e.type, e.trigger.text(text)) for e in article.events] == []


def test_every_span_is_the_words_it_claims() -> None:
    """Provenance: triggers, sentences, actors, counts and mentions index the text as given."""
    for text, _ in CASES:
        for event in extract(text, published=PUBLISHED).events:
            sentence = event.sentence.text(text)
            assert event.trigger.text(text) in sentence and sentence.strip() == sentence
            for actor in (event.actor1, event.actor2):
                if actor is not None:
                    assert actor.span.text(text).strip()
            for count in (event.fatalities, event.injured, event.size):
                if count is not None:
                    assert any(ch.isdigit() or ch.isalpha() for ch in count.span.text(text))
            assert all(m.text(text).strip() for m in event.mentions)
            assert 0 < event.confidence < 1 and event.confidence == round(event.confidence, 2)


def test_dates_from_the_sentence_else_the_publication() -> None:
    text = "Gunmen killed 12 villagers on Sunday. Police arrested two suspects."
    events = extract(text, published=PUBLISHED).events
    assert [(e.date, e.date_precision, e.date_span.text(text) if e.date_span else None) for e in events] == [
        ("2023-05-07", "day", "Sunday"),
        ("2023-05-10", "day", None),
    ]


def test_score_json_is_the_scorers_format() -> None:
    text = "Gunmen killed 12 villagers in an attack on a village in Borno state on Sunday."
    record = extract(text, published=PUBLISHED).events[0].to_score_json(text)
    assert record["type"] == "ASSAULT" and record["acled"] == "Violence against civilians / Attack"
    assert record["fatalities"] == 12 and record["modality"] == "happened"
    assert record["place"] and record["place"][0]["name"] == "Borno"  # type: ignore[index]
    assert record["actor1_span"] == [0, len("Gunmen")]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["six"], 6),
        (["1,000"], 1000),
        (["twenty-three"], 23),
        (["3", "million"], 3_000_000),
        (["dozens"], 12),
        (["hundreds"], 100),
        (["tens", "of", "thousands"], 10_000),
        (["a", "dozen"], 12),
        (["several"], None),
    ],
)
def test_numbers_read_as_acled_reads_them(words: list[str], value: int | None) -> None:
    assert _number(words, lexicon()) == value


def test_a_numeral_parsed_after_its_noun_still_gives_a_span_holding_both() -> None:
    """A parse of text without punctuation hung "six" after "fighters": the count's span once ran
    backwards (start after end) and failed the whole article."""
    doc = Doc(
        English().vocab, words=["fighters", "six", "died"], heads=[2, 0, 2], deps=["nsubj", "nummod", "ROOT"]
    )
    value, span = _count(doc[0], lexicon()) or (None, None)
    assert value == 6 and span is not None and span.text(doc.text) == "fighters six"


ACLED_LABELS = {
    "Battles / Armed clash", "Battles / Government regains territory",
    "Battles / Non-state actor overtakes territory",
    "Explosions/Remote violence / Chemical weapon", "Explosions/Remote violence / Air/drone strike",
    "Explosions/Remote violence / Suicide bomb",
    "Explosions/Remote violence / Shelling/artillery/missile attack",
    "Explosions/Remote violence / Remote explosive/landmine/IED", "Explosions/Remote violence / Grenade",
    "Violence against civilians / Sexual violence", "Violence against civilians / Attack",
    "Violence against civilians / Abduction/forced disappearance",
    "Protests / Peaceful protest", "Protests / Protest with intervention",
    "Protests / Excessive force against protesters", "Riots / Violent demonstration", "Riots / Mob violence",
    "Strategic developments / Agreement", "Strategic developments / Arrests",
    "Strategic developments / Change to group/activity", "Strategic developments / Disrupted weapons use",
    "Strategic developments / Headquarters or base established",
    "Strategic developments / Looting/property destruction",
    "Strategic developments / Non-violent transfer of territory", "Strategic developments / Other",
}  # fmt: skip


def test_lexicon_rows_use_the_codebooks_categories() -> None:
    lex = lexicon()
    rows = [s for senses in (*lex.verbs.values(), *lex.nouns.values()) for s in senses]
    assert len(rows) > 200
    for sense in rows:
        assert sense.type in (*EVENT_TYPES, "COMMIT", "OUTCOME"), sense
        assert sense.acled is None or sense.acled in ACLED_LABELS, sense
        assert sense.pos in ("V", "N", "M"), sense
        assert sense.needs in (None, "obj", "prt", "prep", "comp"), sense
    assert len({(s.lemma, s.pos, s.needs, s.needs_words) for s in rows}) == len(rows), "a row is listed twice"


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_events", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (SEED.is_file() and SCORER.is_file()),
    reason=f"seed gold or scorer not found under {SHARED} (a checkout of ../shared is needed)",
)
def test_seed_events_are_found_with_every_field() -> None:
    """The seed interview's six events: typed F1 at least 0.90, and each one found with its type
    and every field the gold gives right (place, date, fatalities, actors, modality)."""
    gold: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
    article = extract(gold["text"], published=gold.get("published"), id=gold["id"])
    assert isinstance(article, Article)
    pred = {"id": gold["id"], "events": [e.to_score_json(article.text) for e in article.events]}
    figures, details = _scorer().score_events({gold["id"]: gold}, {gold["id"]: pred}, None)
    assert figures["typed"]["f1"] >= 0.90, figures["typed"]
    problems = details.get(gold["id"], {})
    assert not problems.get("misses") and not problems.get("type_errors"), problems
    assert not problems.get("wrong_fields"), problems["wrong_fields"]
