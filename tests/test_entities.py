"""Entities: one per person or organization within an article, and one across articles.

Texts are written for this file; expectations were decided by reading them. The seed tests
compare with its hand-made gold (../shared/data/dev/seed.gold.json).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quotegraph.errors import StoreError
from quotegraph.model import Article
from quotegraph.pipeline import extract
from quotegraph.serve.cli import main
from quotegraph.store import EntityRow, QuoteFilter, Store, open_store
from quotegraph.store import migrations as migrations_module
from quotegraph.store import writing as writing_module
from quotegraph.store.migrations import MIGRATIONS
from quotegraph.store.sql import SqlStore
from quotegraph.textnorm import fold

SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "seed.gold.json"


def entity_named(article: Article, name: str) -> int:
    matches = [n for n, e in enumerate(article.entities) if e.name == name]
    assert len(matches) == 1, f"{name!r} is {len(matches)} entities in {[e.name for e in article.entities]}"
    return matches[0]


@pytest.fixture(scope="module")
def seed() -> tuple[dict[str, Any], Article]:
    if not SEED.exists():
        pytest.skip(f"seed gold absent at {SEED}: this test needs the shared data checkout beside the repo")
    gold = json.loads(SEED.read_text(encoding="utf-8"))
    return gold, extract(gold["text"], published=gold["published"])


def test_short_forms_of_an_organization_are_one_entity() -> None:
    article = extract(
        "The National Liberation Council of Ruritania met on Monday. Later, the Liberation Council "
        "said it would boycott the vote, and a spokesman for the National Liberation Council said "
        "the decision was final."
    )
    council = entity_named(article, "National Liberation Council of Ruritania")
    assert {"Liberation Council", "National Liberation Council"} <= set(article.entities[council].aliases)
    assert not [
        e for e in article.entities if e.name in ("Liberation Council", "National Liberation Council")
    ]


def test_a_full_name_tagged_as_an_organization_joins_the_person() -> None:
    """The small model tags "Volodymyr Zelenskyy" ORG in the first sentence, "Zelenskyy" PERSON later."""
    article = extract(
        "Volodymyr Zelenskyy met German Chancellor Olaf Scholz in Berlin on Wednesday. "
        'Mr. Zelenskyy thanked him, saying: "Every system saves lives."'
    )
    person = article.entities[entity_named(article, "Volodymyr Zelenskyy")]
    assert (person.kind, person.aliases) == ("person", ["Zelenskyy"])
    assert [q.speaker for q in article.quotes] == ["Volodymyr Zelenskyy"]


def test_a_town_tagged_as_a_person_is_a_place() -> None:
    """The small model tags "Antakya" and "Abuja" PERSON here; where they stand, they are towns."""
    article = extract(
        "Rescuers searched for survivors in Antakya after the earthquake in Turkey. "
        "Officials in Lagos and Abuja declared a holiday."
    )
    assert {e.name: e.kind for e in article.entities} == {
        "Antakya": "place", "Turkey": "place", "Lagos": "place", "Abuja": "place",
    }  # fmt: skip


def test_a_lone_head_noun_is_not_linked_to_one_of_several_organizations() -> None:
    article = extract(
        "The Green Workers Party and the Liberal Farmers Party signed the pact. "
        "A statement from the Party said talks would go on."
    )
    for name in ("Green Workers Party", "Liberal Farmers Party"):
        assert "Party" not in article.entities[entity_named(article, name)].aliases


def test_seed_person_aliases_are_names_and_descriptions_from_the_gold(
    seed: tuple[dict[str, Any], Article],
) -> None:
    """Aliases are names the gold gives the person (descriptions are roles now, never aliases)."""
    gold, article = seed
    for name, gold_aliases in gold["speaker_aliases"].items():
        allowed = {fold(a.removeprefix("the ").removeprefix("The ")) for a in [name, *gold_aliases]}
        entity = article.entities[entity_named(article, name)]
        assert {fold(a) for a in entity.aliases} <= allowed, name


def test_seed_variants_and_short_forms_are_one_entity(seed: tuple[dict[str, Any], Article]) -> None:
    _, article = seed
    massoud = article.entities[entity_named(article, "Ahmad Massoud")]
    assert {"Ahmad Masoud", "Massoud"} <= set(massoud.aliases)
    front = article.entities[entity_named(article, "National Resistance Front of Afghanistan")]
    assert "National Resistance Front" in front.aliases


def test_seed_one_entity_per_person_and_organization(seed: tuple[dict[str, Any], Article]) -> None:
    """Every person and organization of the gold is one entity, and "the Front" is none of its own."""
    gold, article = seed
    named = [e.name for e in article.entities if e.kind in ("person", "org")]
    for name, kind in gold["entities"].items():
        if kind in ("person", "org"):
            assert named.count(name) == 1, name
    assert "Front" not in named
    people = [e for e in article.entities if e.kind == "person"]
    assert {e.name for e in people} == {n for n, k in gold["entities"].items() if k == "person"}


def test_seed_roles_are_the_narrators(seed: tuple[dict[str, Any], Article]) -> None:
    _, article = seed
    massoud = entity_named(article, "Ahmad Massoud")
    roles = [m.text for m in article.mentions if m.label == "ROLE" and m.entity == massoud]
    assert "leader of the National Resistance Front of Afghanistan" in roles
    for mention in article.mentions:
        if mention.label == "ROLE":
            assert article.text[mention.span.start : mention.span.end] == mention.text
    # "Emmanuel Macron, the President of France" is Troch's words (a quote), not the narrator's
    assert not [m for m in article.mentions if m.label == "ROLE" and "France" in m.text]


def test_seed_noun_phrase_before_the_subject_is_no_speaker(seed: tuple[dict[str, Any], Article]) -> None:
    """ "After the Taliban's takeover of Afghanistan, several political parties ... announced their
    existence": the parser makes "takeover" the subject; an object of "After" speaks for nobody."""
    _, article = seed
    assert all(q.speaker is None or "takeover" not in q.speaker for q in article.quotes)
    assert not [e for e in article.entities if "takeover" in e.name]


def test_seed_province_tagged_as_organization_is_a_place(seed: tuple[dict[str, Any], Article]) -> None:
    gold, article = seed
    kinds = {e.name: e.kind for e in article.entities}
    assert kinds.get("Ghor") == "place"
    for name, kind in gold["entities"].items():
        if name in kinds:
            assert kinds[name] == kind, name


# --- across articles ---------------------------------------------------------------------------

GOVERNOR = (
    "Ahmad Karimzada, the governor of Lowland Province, said on Monday that the new bridge would open "
    "in May. Karimzada added that the contractors had been paid in full."
)
VARIANT = 'Ahmad Karimzadah told reporters on Friday that the bridge was delayed. "We need two more months," he said.'
NAMESAKE = "Maria Karimzada, a teacher, said that the schools of Vienna had no heating this winter."
ABOUT = (
    "The opposition leader Tomas Brandt said that Ahmad Karimzada had misled the provincial council "
    "about the bridge."
)
CORPUS = [
    ("governor", GOVERNOR, "2024-03-01"),
    ("variant", VARIANT, "2024-03-09"),
    ("namesake", NAMESAKE, "2024-03-10"),
    ("about", ABOUT, "2024-04-02"),
]


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    return [extract(text, id=article_id, published=published) for article_id, text, published in CORPUS]


@pytest.fixture
def corpus_store(db: str, corpus: list[Article]) -> Iterator[Store]:
    """The corpus stored in SQLite and in PostgreSQL (``db`` from conftest.py)."""
    with open_store(db) as store:
        for article in corpus:
            store.add_article(article)
        yield store


def persons(store: Store) -> dict[str, EntityRow]:
    return {row.name: row for row in store.entities(kind="person")}


def test_spelling_variants_across_articles_are_one_person(corpus_store: Store) -> None:
    people = persons(corpus_store)
    assert people["Ahmad Karimzada"].article_count == 3
    assert "Ahmad Karimzadah" in people["Ahmad Karimzada"].aliases
    assert "Ahmad Karimzadah" not in people
    assert people["Maria Karimzada"].article_count == 1  # same surname, another person


def test_every_link_says_why(corpus_store: Store) -> None:
    detail = corpus_store.entity("Karimzadah")
    assert detail is not None and detail.entity.name == "Ahmad Karimzada"
    reasons = {link.external_id: link.reason for link in detail.links}
    assert reasons["governor"] == "first seen here"
    assert "spelling variant" in reasons["variant"] and "Ahmad Karimzadah" in reasons["variant"]
    assert "name" in reasons["about"]


def test_roles_carry_the_article_date(corpus_store: Store) -> None:
    detail = corpus_store.entity("Ahmad Karimzada")
    assert detail is not None
    assert [(r.role, r.published) for r in detail.roles] == [("governor of Lowland Province", "2024-03-01")]


def test_quotes_by_and_about_an_entity(corpus_store: Store) -> None:
    detail = corpus_store.entity("Ahmad Karimzada")
    assert detail is not None
    assert {q.external_id for q in detail.quotes_by} == {"governor", "variant"}
    assert [q.external_id for q in detail.quotes_about] == ["about"]
    assert [q.external_id for q in corpus_store.quotes(QuoteFilter(about="Karimzadah"))] == ["about"]
    assert [q.speaker for q in corpus_store.quotes(QuoteFilter(about="Vienna"))] == ["Maria Karimzada"]


def test_merge_and_split_are_reversible(corpus_store: Store) -> None:
    corpus_store.merge_entities("Ahmad Karimzada", "Maria Karimzada")
    merged = persons(corpus_store)
    assert "Maria Karimzada" not in merged and merged["Ahmad Karimzada"].article_count == 4
    detail = corpus_store.entity("Maria Karimzada")
    assert detail is not None and detail.entity.name == "Ahmad Karimzada"
    assert any("merged by hand" in link.reason for link in detail.links)

    corpus_store.split_entity("Ahmad Karimzada", alias="Maria Karimzada")
    people = persons(corpus_store)
    assert people["Ahmad Karimzada"].article_count == 3 and people["Maria Karimzada"].article_count == 1
    # a later article naming her is linked to her, not back to him
    corpus_store.add_article(
        extract(NAMESAKE.replace("winter", "spring"), id="later", published="2024-05-01")
    )
    assert persons(corpus_store)["Maria Karimzada"].article_count == 2


def test_split_by_article(corpus_store: Store) -> None:
    corpus_store.split_entity("Ahmad Karimzada", article="variant")
    people = persons(corpus_store)
    assert people["Ahmad Karimzada"].article_count == 2
    assert people["Ahmad Karimzadah"].article_count == 1


def test_merge_of_unknown_names_is_a_clear_error(corpus_store: Store) -> None:
    with pytest.raises(StoreError, match="no entity"):
        corpus_store.merge_entities("Ahmad Karimzada", "Nobody Known")


def test_places_are_listed_with_coordinates(corpus_store: Store) -> None:
    places = {row.name: row for row in corpus_store.entities(kind="place")}
    vienna = places["Vienna"]
    assert vienna.lat is not None and vienna.lon is not None
    assert abs(vienna.lat - 48.21) < 0.5 and abs(vienna.lon - 16.37) < 0.5 and vienna.country == "AT"


def test_entities_cli(db: str, corpus: list[Article]) -> None:
    with open_store(db) as store:
        for article in corpus:
            store.add_article(article)
    runner = CliRunner()
    listed = runner.invoke(main, ["entities", "--type", "person", "--format", "json", "--db", db])
    assert listed.exit_code == 0, listed.output
    assert {r["name"] for r in json.loads(listed.output)} == {
        "Ahmad Karimzada",
        "Maria Karimzada",
        "Tomas Brandt",
    }
    shown = runner.invoke(main, ["entity", "Karimzadah", "--db", db])
    assert shown.exit_code == 0 and "spelling variant" in shown.output
    merged = runner.invoke(main, ["entities", "--db", db, "merge", "Ahmad Karimzada", "Maria Karimzada"])
    assert merged.exit_code == 0, merged.output
    missing = runner.invoke(main, ["entity", "Nobody Known", "--db", db])
    assert missing.exit_code == 1 and "no entity" in missing.output
    about = runner.invoke(main, ["quotes", "--about", "Karimzada", "--format", "json", "--db", db])
    assert [q["external_id"] for q in json.loads(about.output)] == ["about"]


def test_seed_entities_resolved(seed: tuple[dict[str, Any], Article]) -> None:
    gold, article = seed
    with open_store(":memory:") as store:
        store.add_article(article)
        people = {row.name for row in store.entities(kind="person")}
        orgs = {row.name for row in store.entities(kind="org")}
        places = {row.name: row for row in store.entities(kind="place")}
    expected = {name for name, kind in gold["entities"].items() if kind == "person"}
    assert expected <= people
    assert {name for name, kind in gold["entities"].items() if kind == "org"} <= orgs
    for place in gold["places"]:
        named = [
            row
            for row in places.values()
            if fold(place["name"]) in {fold(a) for a in [row.name, *row.aliases]}
        ]
        assert named, place["name"]
        lat, lon = named[0].lat, named[0].lon
        assert lat is not None and lon is not None
        if place["kind"] in ("country", "continent"):  # a broad area's point is a convention
            degrees = 5 if place["kind"] == "country" else 10
            assert abs(lat - place["lat"]) < degrees and abs(lon - place["lon"]) < degrees, place["name"]
        else:  # the field's measure: within 161 km (100 miles)
            assert km(lat, lon, place["lat"], place["lon"]) < 161, place["name"]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def test_entities_stored_before_the_migration_are_linked_when_it_runs(
    db: str, corpus: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database from before canonical entities: opening it with this version links what it holds."""
    monkeypatch.setattr(migrations_module, "MIGRATIONS", [m for m in MIGRATIONS if m.version < 5])
    monkeypatch.setattr(writing_module, "link_entity", lambda *args: None)
    with open_store(db) as old:
        assert isinstance(old, SqlStore)
        for column in ("topic_start", "topic_end"):  # today's rows carry them; migration 8 keeps them
            old.execute(f"ALTER TABLE quotes ADD COLUMN {column} INTEGER")
        old.execute(
            "ALTER TABLE places ADD COLUMN demonym INTEGER NOT NULL DEFAULT 0"
        )  # so does migration 10
        for column in ("outlet TEXT", "published_inferred TEXT", "published_evidence_start INTEGER",
                       "published_evidence_end INTEGER"):  # fmt: skip
            old.execute(f"ALTER TABLE articles ADD COLUMN {column}")  # and migration 11
        for article in corpus:
            old.add_article(article)
    monkeypatch.undo()
    with open_store(db) as store:
        assert persons(store)["Ahmad Karimzada"].article_count == 3


def test_speakers_are_listed_once_across_articles(corpus_store: Store) -> None:
    speakers = {row.name: row for row in corpus_store.speakers()}
    assert "Ahmad Karimzadah" not in speakers
    karimzada = speakers["Ahmad Karimzada"]
    assert (karimzada.quote_count, karimzada.article_count) == (4, 2)
    assert "Ahmad Karimzadah" in karimzada.aliases


def test_seed_quote_on_the_doha_meeting_is_about_doha(seed: tuple[dict[str, Any], Article]) -> None:
    """ "Regarding the Doha meeting, Ahmad Massoud said: “Any decision made there ...”": the words name
    no place, the reporting clause does, and Doha is among the quote's places by its topic."""
    _, article = seed
    (quote,) = [
        q for q in article.quotes if q.content.text(article.text).startswith("Any decision made there")
    ]
    assert quote.topic is not None and quote.topic.text(article.text) == "the Doha meeting"
    assert [p.name for p in article.places if quote.topic.start <= p.span.start < quote.topic.end] == ["Doha"]


def test_seed_places_are_shown_as_the_article_spells_them(
    seed: tuple[dict[str, Any], Article], db: str
) -> None:
    """GeoNames writes "Ghowr", "Nurestan" and "Sālang"; the article writes "Ghor", "Nuristan" and
    "Salang", and is listed so, with the gazetteer's spelling kept as another name. Countries keep
    their own name whatever short form the article uses."""
    _, article = seed
    with open_store(db) as store:
        store.add_article(article)
        places = {row.name: row for row in store.entities(kind="place")}
        assert {"Ghor", "Nuristan", "Salang", "Badakhshan", "Takhar", "United States"} <= set(places)
        assert "Ghowr" in places["Ghor"].aliases and "Ghowr" not in places
        ghor = store.entity("Ghor")
        also = store.entity("Ghowr")
    assert ghor is not None and also is not None and ghor.entity.id == also.entity.id
    assert any("Ghor" in q.text for q in ghor.quotes_about)


def test_a_middle_initial_does_not_split_a_person_across_articles() -> None:
    with open_store(":memory:") as store:
        store.add_article(extract("Maria T. Okafor opened the session in Lagos on Monday.", id="one"))
        store.add_article(extract("Maria Okafor said on Friday that the budget was balanced.", id="two"))
        people = persons(store)
    assert list(people) == ["Maria T. Okafor"] and people["Maria T. Okafor"].article_count == 2


SURNAME_ONLY = ("one", '"The budget is balanced," President Okafor told reporters on Monday.')
NAMESAKE_FARMER = ("two", "Tomas Okafor, a farmer, said the rains came late.")
IN_FULL = ("three", "President Maria Okafor opened the session in Lagos on Friday.")


@pytest.mark.parametrize(
    ("order", "linked", "reason"),
    [
        (
            (SURNAME_ONLY, NAMESAKE_FARMER, IN_FULL),
            "three",
            "known as 'Okafor', the president, until named in full: 'Maria Okafor'",
        ),
        (
            (IN_FULL, NAMESAKE_FARMER, SURNAME_ONLY),
            "one",
            "'Okafor', the president, is the president Maria Okafor",
        ),
    ],
)
def test_a_surname_given_alone_and_a_role_are_the_person_named_in_full_with_both(
    order: tuple[tuple[str, str], ...], linked: str, reason: str
) -> None:
    with open_store(":memory:") as store:
        for article_id, text in order:
            store.add_article(extract(text, id=article_id))
        people = persons(store)
        detail = store.entity("Maria Okafor")
    assert people["Maria Okafor"].article_count == 2 and "Okafor" not in people
    assert people["Tomas Okafor"].article_count == 1
    assert detail is not None
    assert {link.external_id: link.reason for link in detail.links}[linked] == reason


def test_names_whose_middle_initials_differ_are_two_people() -> None:
    with open_store(":memory:") as store:
        store.add_article(extract("Maria L. T. Okafor opened the session in Lagos on Monday.", id="one"))
        store.add_article(extract("Maria T. Okafor said on Friday that the budget was balanced.", id="two"))
        people = persons(store)
    assert people["Maria L. T. Okafor"].article_count == 1 and people["Maria T. Okafor"].article_count == 1


def test_a_database_from_before_roles_were_kept_apart_shows_names_as_aliases_and_roles_as_roles(
    tmp_path: Path,
) -> None:
    article = extract(
        "Maria Okafor, the leader of the harbour council, said on Monday that the pier would open in May.",
        id="old",
        published="2024-03-01",
    )
    okafor = entity_named(article, "Maria Okafor")
    # as stored before round 1: descriptions and an evaluation among the aliases, no ROLE mentions
    article.entities[okafor].aliases = ["Okafor", "the leader of the harbour council", "liar"]
    article.mentions = [m for m in article.mentions if m.label != "ROLE"]
    db = str(tmp_path / "old.db")
    with open_store(db) as store:
        store.add_article(article)
        assert persons(store)["Maria Okafor"].aliases == ["Okafor"]
        assert [s.aliases for s in store.speakers() if s.name == "Maria Okafor"] == [["Okafor"]]
        assert store.speaker_aliases() == {"Maria Okafor": ["Okafor"]}
        detail = store.entity("Okafor")
    assert detail is not None
    assert [(r.role, r.published) for r in detail.roles] == [("leader of the harbour council", "2024-03-01")]
    shown = CliRunner().invoke(main, ["entity", "Maria Okafor", "--db", db])
    assert shown.exit_code == 0, shown.output
    plain = shown.output.replace("\u2068", "").replace("\u2069", "")  # names are isolated as bidi text
    assert "described as leader of the harbour council (2024-03-01, old)" in plain
    assert "liar" not in shown.output


def test_a_surname_only_entity_joins_the_person_named_in_full_once_a_role_ties_them() -> None:
    with open_store(":memory:") as store:
        store.add_article(extract("Mr. Okafor said on Monday that the budget was balanced.", id="bare"))
        store.add_article(extract(IN_FULL[1], id=IN_FULL[0]))
        store.add_article(extract(SURNAME_ONLY[1], id=SURNAME_ONLY[0]))
        people = persons(store)
        detail = store.entity("Okafor")
    assert "Okafor" not in people and people["Maria Okafor"].article_count == 3
    assert detail is not None and detail.entity.name == "Maria Okafor"
    reasons = {link.external_id: link.reason for link in detail.links}
    assert reasons["one"] == "'Okafor', the president, is the president Maria Okafor"
    assert (
        reasons["bare"] == "'Okafor' is Maria Okafor: 'Okafor', the president, is the president Maria Okafor"
    )


def test_any_name_finds_the_person_and_says_who_else_it_may_mean(db: str, corpus: list[Article]) -> None:
    from fastapi.testclient import TestClient

    from quotegraph.serve.web import create_app

    with open_store(db) as store:
        for article in corpus:
            store.add_article(article)
        # the variant's quote ("Ahmad Karimzadah ... he said") by the surname the other articles use
        by_surname = store.quotes(QuoteFilter(speaker="Karimzada"))
        assert {q.external_id for q in by_surname} == {"governor", "variant", "namesake"}
        assert [r.name for r in store.lookup("Karimzada")] == ["Ahmad Karimzada", "Maria Karimzada"]
        assert store.lookup("_arimzada") == [] and store.lookup("%") == []  # LIKE's wildcards are plain
    runner = CliRunner()
    shown = runner.invoke(main, ["entity", "Karimzada", "--db", db])
    assert shown.exit_code == 0, shown.output
    plain = shown.output.replace("\u2068", "").replace("\u2069", "")
    assert plain.startswith("Ahmad Karimzada (person)")
    assert "'Karimzada' may also mean: Maria Karimzada (person, 1 article, 1 quote)" in plain
    with TestClient(create_app(db)) as client:
        record = client.get("/api/entities/Karimzada").json()
        speaker = client.get("/api/speakers/Karimzadah").json()
    assert record["entity"]["name"] == "Ahmad Karimzada"
    assert [o["name"] for o in record["others"]] == ["Maria Karimzada"]
    assert speaker["speaker"]["name"] == "Ahmad Karimzada"
