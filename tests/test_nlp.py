"""The pipeline as ``load_pipeline`` configures it annotates exactly as the model as spaCy ships it.

load_pipeline swaps thinc's BLIS matrix products for NumPy's and the attribute ruler and lemmatizer
for cached equivalents (quotegraph.nlp.token_attributes), for speed only: every token must keep its
tag, POS, morphology, lemma, head, dependency, entity and sentence start. Compared on real news
(the PolNeAR dev texts in ../shared) and on sentences written here for the ruler's rarer patterns.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from spacy.language import Language

from quotegraph import pipeline
from quotegraph.model import Article
from quotegraph.nlp import load_pipeline, paragraph_sentences, token_attributes
from quotegraph.pipeline import extract_many

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw" / "polnear" / "dev" / "text"
# Contractions and informal forms that the attribute ruler's two-token patterns and exceptions cover.
WRITTEN = [
    '"We ain\'t gonna wait for them," said Ms. Ana Ruiz. "Let\'s be honest: we gotta go now."',
    "I don't think he'd've said nothin' like that, the mayor's aide told reporters on Tuesday.",
    "They're sure it's theirs; she'll ask whether you'll come, and we'd rather not.",
]


def polnear_texts(n: int) -> list[str]:
    paths = sorted(POLNEAR.glob("*.txt"))[:n]
    if not paths:
        pytest.skip(f"PolNeAR dev texts absent at {POLNEAR}: this test needs the shared data checkout")
    return [p.read_text(encoding="utf-8") for p in paths]


def differences(texts: Sequence[str], ours: Language, shipped: Language) -> list[str]:
    found = []
    for text, a, b in zip(texts, ours.pipe(texts), shipped.pipe(texts), strict=True):
        for token, theirs in zip(a, b, strict=True):
            mine = (
                token.tag_,
                token.pos_,
                str(token.morph),
                token.lemma_,
                token.head.i,
                token.dep_,
                token.ent_iob_,
                token.ent_type_,
                token.is_sent_start,
            )
            expected = (
                theirs.tag_,
                theirs.pos_,
                str(theirs.morph),
                theirs.lemma_,
                theirs.head.i,
                theirs.dep_,
                theirs.ent_iob_,
                theirs.ent_type_,
                theirs.is_sent_start,
            )
            if mine != expected:
                found.append(f"{text[:40]!r} token {token.i} {token.text!r}: {mine} != {expected}")
    return found


def test_the_configured_pipeline_is_faster_by_construction_not_by_changing_the_model() -> None:
    ours, shipped = load_pipeline(), load_pipeline(as_shipped=True)
    assert "cached_token_attributes" in ours.pipe_names
    assert {"attribute_ruler", "lemmatizer"} <= set(shipped.pipe_names)
    assert ours.get_pipe("tok2vec").model.ops.use_blis is False  # type: ignore[attr-defined]
    assert shipped.get_pipe("tok2vec").model.ops.use_blis is True  # type: ignore[attr-defined]


def test_written_sentences_are_annotated_as_by_the_shipped_model() -> None:
    ours, shipped = load_pipeline(), load_pipeline(as_shipped=True)
    docs = list(ours.pipe(WRITTEN))
    assert [t.lemma_ for t in docs[0] if t.lower_ in ("ai", "gon", "na", "'s", "got", "ta")] == [
        "be",
        "go",
        "to",
        "us",
        "get",
        "to",
    ]  # the two-token rules ran, checked by hand against the ruler's patterns
    assert differences(WRITTEN, ours, shipped) == []


def test_real_news_is_annotated_as_by_the_shipped_model() -> None:
    assert differences(polnear_texts(25), load_pipeline(), load_pipeline(as_shipped=True)) == []


def test_the_caches_stay_bounded_and_correct_when_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(token_attributes, "MAX_KEYS", 50)
    ours = load_pipeline()
    component = ours.get_pipe("cached_token_attributes")
    assert isinstance(component, token_attributes.TokenAttributes)
    texts = polnear_texts(5)
    assert differences(texts, ours, load_pipeline(as_shipped=True)) == []
    assert component.keys <= 50  # five articles have thousands of distinct words


def test_lemmas_of_words_first_seen_in_a_memory_zone_survive_its_end() -> None:
    """The lemma cache holds string hashes: one the zone freed must not be handed out after it."""
    ours = load_pipeline()
    text = "The wardens grumblified the zorbles again."  # made-up words: their lemmas are new strings
    with ours.memory_zone():
        inside = [t.lemma_ for t in ours(text)]
    assert inside == [t.lemma_ for t in load_pipeline(as_shipped=True)(text)]
    assert {"zorble", inside[2]}.isdisjoint(text.split())  # lemmas that are new strings
    assert [t.lemma_ for t in ours(text)] == inside


def test_extracting_many_articles_leaves_the_vocabulary_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run of articles is parsed in a memory zone, so a long batch does not grow with its corpus."""
    texts = polnear_texts(6)
    nlp = load_pipeline()
    one_zone = list(extract_many([Article(text=t) for t in texts], nlp=nlp))
    strings = len(nlp.vocab.strings)
    monkeypatch.setattr(pipeline, "ZONE_ARTICLES", 2)  # three zones, the lemma cache emptied after each
    three_zones = list(extract_many([Article(text=t) for t in texts], nlp=nlp))
    assert len(nlp.vocab.strings) == strings  # six articles of news add thousands without the zones
    assert three_zones == one_zone  # quotes, speakers, mentions, dates and places alike
    assert sum(len(a.quotes) for a in one_zone) > 10 and any(a.places for a in one_zone)


def test_a_line_break_starts_a_sentence_and_nothing_else_does() -> None:
    """Before parsing, exactly the tokens after a line break (in a token or in the space after one)
    start sentences; a line separator (U+2028) is not a line break here."""
    nlp = load_pipeline()
    doc = paragraph_sentences(nlp.make_doc("Ministers to meet\nTalks resume  \n\n  in Doha\u2028today \nOK"))
    assert [t.text for t in doc if t.is_sent_start] == ["Ministers", "Talks", "in", "OK"]
    assert [t.is_sent_start for t in doc if t.text in ("to", "today", "Doha")] == [None, None, None]
