"""Speakers and entities within one article: names that are names, roles from the narrator, one
person one entity, pronouns and descriptions resolved as a reader would.

Every text is invented for this file; each expectation was decided by reading it.
"""

from __future__ import annotations

import pytest

from quotegraph.model import Article
from quotegraph.pipeline import extract
from quotegraph.resolve.roles import role_nouns


def names(article: Article) -> set[str]:
    return {e.name for e in article.entities}


def entity(article: Article, name: str) -> int:
    matches = [n for n, e in enumerate(article.entities) if e.name == name]
    assert len(matches) == 1, f"{name!r} is {len(matches)} entities in {sorted(names(article))}"
    return matches[0]


def roles(article: Article, name: str) -> list[str]:
    index = entity(article, name)
    return [m.text for m in article.mentions if m.label == "ROLE" and m.entity == index]


def speaker_of(article: Article, words: str) -> str | None:
    """The speaker of the quote holding ``words`` (of all that hold them: they must agree)."""
    (speaker,) = {q.speaker for q in article.quotes if words in q.content.text(article.text)}
    return speaker


# --- names that are not entities -------------------------------------------------------------


def test_a_headline_verb_is_not_part_of_a_name() -> None:
    article = extract(
        "Dupont Warns Of Higher Taxes\n\nJean Dupont told reporters in Lyon on Monday that taxes would rise. "
        '"We have no choice," Dupont said.'
    )
    assert "Dupont Warns" not in names(article)
    assert [e.name for e in article.entities if e.kind == "person"] == ["Jean Dupont"]
    assert speaker_of(article, "We have no choice") == "Jean Dupont"


def test_a_headline_name_the_body_never_names_is_dropped() -> None:
    article = extract(
        "Ferreira Hid Past Health Problems From Voters\n\n"
        "Ana Ferreira did not tell voters about her illness, her aides said on Monday."
    )
    assert not [n for n in names(article) if "Hid" in n]


def test_section_labels_and_editor_notes_are_nobody() -> None:
    article = extract(
        "The council approved the budget on Tuesday, its chair, Lena Ortiz, said.\n\n"
        "CLARIFICATION: An earlier version of this story gave the wrong date for the vote.\n\n"
        "Editor's note: This story was updated with the final figures from the council."
    )
    assert not {"CLARIFICATION", "Clarification", "Editor", "Editor's note"} & names(article)
    assert all(q.speaker in (None, "Lena Ortiz") for q in article.quotes)


def test_a_label_alone_on_its_line_is_nobody() -> None:
    article = extract(
        "ABSTRACT.\n\nTom Clarke, a nursing home owner, bought two mines.\n\nFULL TEXT.\n\n"
        "Correction Appended.\n\nFAIRVIEW, W.Va. - The coal was piled high, Clarke said."
    )
    assert [e.name for e in article.entities if e.kind == "person"] == ["Tom Clarke"]


def test_a_time_zone_is_no_entity_and_no_alias() -> None:
    article = extract(
        "WASHINGTON (AP) — The Latest on the race for governor between Republican Tom Bradley and Democrat "
        "Ana Ferreira (all times EDT):\n\n7 p.m.\n\nTom Bradley is once again saying the race is rigged. "
        "Bradley told supporters in Ohio that they should watch the polls."
    )
    assert "EDT" not in names(article)
    assert article.entities[entity(article, "Tom Bradley")].aliases == ["Bradley"]


def test_a_turn_in_capitals_is_a_name_written_as_names_are() -> None:
    """Nobody is named in full: the turn is still a person's name, not a shout."""
    article = extract(
        'Partial transcript as follows:\n\n"WALLACE: Let us start with the news about the debate tonight.'
        '\n\nPENCE: We are looking forward to it, and so is the whole campaign."'
    )
    assert "WALLACE" not in names(article) and "PENCE" not in names(article)
    assert speaker_of(article, "Let us start") == "Wallace"


def test_a_transcript_turn_in_capitals_is_the_person_named_in_full() -> None:
    article = extract(
        "Chris Walton moderated the debate between the two candidates on Sunday night.\n\n"
        "WALTON: Will you accept the result of the election if you lose?\n\n"
        "GRAYSON: I will look at it at the time, and not before."
    )
    assert "WALTON" not in names(article) and "Walton" not in names(article)
    assert speaker_of(article, "Will you accept the result") == "Chris Walton"


def test_a_photo_credit_glued_to_a_name_is_not_a_name() -> None:
    article = extract(
        "Jane Doe posted a picture of the flooded street.\n\nTwitter/Jane Doe\n\n"
        '"The water came in within minutes," Doe said.'
    )
    assert not [n for n in names(article) if "/" in n or "Twitter" in n]
    doe = article.entities[entity(article, "Jane Doe")]
    assert not [a for a in doe.aliases if "/" in a]
    assert speaker_of(article, "The water came in") == "Jane Doe"


# --- one person, one entity --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "person"),
    [
        (
            "Maria T. Okafor opened the session on Monday. Later, Maria Okafor said the budget was balanced.",
            "Maria Okafor",
        ),
        (
            "Jane Porter Whitfield visited the plant in March. Jane Whitfield said the workers deserved a raise.",
            "Jane Whitfield",
        ),
    ],
)
def test_middle_initials_and_middle_names_are_one_person(text: str, person: str) -> None:
    article = extract(text)
    people = [e for e in article.entities if e.kind == "person"]
    assert [p.name for p in people] == [person]


def test_an_epithet_before_a_first_name_is_a_mention_not_a_person() -> None:
    article = extract(
        "At a rally in Tampa, Tom Bradley mocked Crooked Maria for an hour. "
        'Maria Okafor answered him on Tuesday. "He has no plan," Okafor said.'
    )
    assert "Crooked Maria" not in names(article)
    okafor = article.entities[entity(article, "Maria Okafor")]
    assert "Crooked Maria" not in okafor.aliases
    assert [m.entity for m in article.mentions if m.text == "Crooked Maria"] == [
        entity(article, "Maria Okafor")
    ]


def test_an_epithet_before_a_name_given_in_full_and_alone_is_a_mention_of_that_person() -> None:
    article = extract(
        'Laura Okafor said that. He says, "Working that microphone was harder than working Crooked Laura '
        'Okafor." In one tweet, Bradley said: "Did Crooked Laura help disgusting Alicia M become a citizen?" '
        "Okafor said no."
    )
    assert not [n for n in names(article) if n.startswith("Crooked")]
    okafor = entity(article, "Laura Okafor")
    assert not [a for a in article.entities[okafor].aliases if a.startswith("Crooked")]
    assert [m.entity for m in article.mentions if m.text.startswith("Crooked")] == [okafor, okafor]


def test_a_headline_word_before_a_surname_the_body_uses_is_no_first_name() -> None:
    article = extract(
        "Hapless Okafor and Brandt; \nThe council must act on the harbor now.\n\n"
        "Mayor Okafor and Tomas Brandt did not answer the council on Monday. "
        '"We will wait," Okafor said.'
    )
    assert "Hapless Okafor" not in names(article)
    assert speaker_of(article, "We will wait") == "Okafor"


def test_a_gerund_opening_a_sentence_is_no_first_name() -> None:
    article = extract(
        "Maria Okafor spoke in Tampa on Monday. Attacking Okafor's record is Tom Bradley's plan, "
        'his aides said. "She has failed," Bradley said.'
    )
    assert "Attacking Okafor" not in names(article)
    assert [m.entity for m in article.mentions if m.text.startswith("Attacking")] in (
        [],
        [entity(article, "Maria Okafor")],
    )


def test_a_family_named_in_the_plural_is_not_one_of_them() -> None:
    article = extract(
        "Maria Brandt opened the session. Voters have long trusted the Brandts, aides said. "
        '"We will stay," Brandt said.'
    )
    assert "Brandts" not in article.entities[entity(article, "Maria Brandt")].aliases


# --- roles come from the narrator ---------------------------------------------------------------


def test_roles_come_from_the_narrator_and_aliases_are_names() -> None:
    article = extract(
        "Tomas Brandt, a spokesman for the harbor council, said on Monday that the pier would open in May. "
        '"Ruth Abebe is a liar and a fraud," Brandt said of the mayor.'
    )
    brandt = article.entities[entity(article, "Tomas Brandt")]
    assert brandt.aliases == ["Brandt"]
    assert roles(article, "Tomas Brandt") == ["spokesman for the harbor council"]
    abebe = article.entities[entity(article, "Ruth Abebe")]
    assert abebe.aliases == [] and roles(article, "Ruth Abebe") == []  # "liar", "fraud" are his words


def test_evaluations_and_bare_person_words_are_no_roles() -> None:
    article = extract(
        "Ruth Abebe, a brilliant woman, spoke first. Later, Paul Sorensen, a notorious fraud, "
        "was the last guest. David Chen, the director of the museum, closed the evening."
    )
    assert roles(article, "Ruth Abebe") == [] and roles(article, "Paul Sorensen") == []
    assert roles(article, "David Chen") == ["director of the museum"]
    assert all(not a.islower() for e in article.entities for a in e.aliases)


def test_a_title_before_a_name_is_a_role() -> None:
    article = extract("Democratic presidential nominee Ana Ferreira spoke in Ohio on Friday.")
    assert roles(article, "Ana Ferreira") == ["Democratic presidential nominee"]


# --- speakers ------------------------------------------------------------------------------------


def test_a_role_resolves_only_to_a_person_given_that_role() -> None:
    """The French minister is named; "the minister" who speaks is Ukraine's, who is not named."""
    article = extract(
        "French Foreign Minister Jean Dupont met his Ukrainian counterpart in Paris on Monday. "
        "Later, Ukraine's defence minister told reporters that the talks had failed. "
        '"We expected more," the minister said.'
    )
    assert speaker_of(article, "We expected more") != "Jean Dupont"


def test_the_president_is_not_the_vice_president() -> None:
    article = extract(
        "Vice President Ana Ferreira toured the factory on Monday. "
        '"The plant will stay open," the president said in a statement.'
    )
    assert speaker_of(article, "The plant will stay open") != "Ana Ferreira"


def test_a_pronoun_never_goes_to_a_title_in_quotation_marks() -> None:
    article = extract(
        'Sam Ortiz directed the new documentary. "Paul Gray" premiered in Toronto last week. '
        '"It was the hardest film I have made," he says.'
    )
    assert speaker_of(article, "It was the hardest film") == "Sam Ortiz"


def test_a_possessed_thing_is_no_speaker() -> None:
    article = extract("The parole board decision allowing his release said the risk of harm was low.")
    assert all(q.speaker != "his release" for q in article.quotes)
    assert "his release" not in names(article)


def test_a_given_name_that_is_also_a_role_noun_is_no_role() -> None:
    """ "Bobby Scott" where the recognizer took only "Scott": "Bobby" is no title (WordNet's slang
    policeman is far rarer in news than the given name)."""
    assert "bobby" not in role_nouns()
    assert {"senator", "spokesperson", "wife"} <= set(role_nouns())
