"""The rules of resolve/events.py on records built by hand from invented sentences: the days a date
covers, which quotes are about an event, and when two reports from two articles are of one event."""

from __future__ import annotations

import re
from datetime import date

import pytest

from quotegraph.model import (
    Article,
    CharSpan,
    DateMention,
    Entity,
    Event,
    Mention,
    Participant,
    Place,
    Quote,
)
from quotegraph.resolve.events import PlaceFacts, ReportFacts, days_of, same_event, statements


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-09", (date(2024, 3, 9), date(2024, 3, 9))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2023-12", (date(2023, 12, 1), date(2023, 12, 31))),
        ("2024", (date(2024, 1, 1), date(2024, 12, 31))),
        ("2024-W10", (date(2024, 3, 4), date(2024, 3, 10))),
        ("2024-W10-6", (date(2024, 3, 9), date(2024, 3, 9))),
        (["2023-05-01", "2023-05-02"], (date(2023, 5, 1), date(2023, 5, 2))),
        ("XXXX-WXX-6", None),  # a weekday named without its week
        ("P3D", None),
        ("2023-02-30", None),
        (None, None),
    ],
)
def test_the_days_a_date_covers(value: str | list[str] | None, expected: tuple[date, date] | None) -> None:
    assert days_of(value) == expected


# --- statements: an invented article with one planned meeting ---------------------------------

TEXT = (
    "The league is organizing a summit in Tallinn on June 3. "
    "Regarding the summit, Mara Lind said: “We will be there.” "
    "Olav Saar said the talks in Tallinn on June 3 would be long. "
    "Olav Saar said Tallinn was cold in June. "
    "Mara Lind said the league had asked Tallinn for help. "
    "Mara Lind said the league was broke."
)


def at(words: str, start: int = 0) -> CharSpan:
    found = TEXT.index(words, start)
    return CharSpan(found, found + len(words))


def summit_article() -> Article:
    tallinn = [
        Place(at("Tallinn", at(s).start), "Tallinn", "city", 59.437, 24.754, "EE", "Harju")
        for s in ("a summit in Tallinn", "the talks in Tallinn", "said Tallinn", "asked Tallinn")
    ]
    june = [
        DateMention(at("June 3"), "June 3", "2024-06-03", "day", "publication date"),
        DateMention(at("June 3", at("the talks").start), "June 3", "2024-06-03", "day", "publication date"),
        DateMention(at("June", at("cold").start), "June", "2024-06", "month", "publication date"),
    ]
    league = Entity("league", "org")
    mentions = [
        Mention(CharSpan(m.start(), m.end()), "league", "ORG", 0) for m in re.finditer("league", TEXT)
    ]

    def quote(words: str) -> Quote:
        return Quote(at(words), "indirect")

    quotes = [
        Quote(at("We will be there."), "direct", topic=at("the summit")),  # topic holds a mention: names it
        quote("the talks in Tallinn on June 3 would be long"),  # its place and its date
        quote("Tallinn was cold in June"),  # its place and a month that holds its date
        quote("the league had asked Tallinn for help"),  # its place and its actor
        quote("the league was broke"),  # its actor alone: not about it
    ]
    summit = Event(
        trigger=at("organizing a summit"),
        sentence=at("The league is organizing a summit in Tallinn on June 3."),
        type="CONSULT",
        actor1=Participant(at("The league"), "league", 0),
        places=[tallinn[0]],
        date="2024-06-03",
        date_precision="day",
        date_span=june[0].span,
        modality="planned",
        mentions=[at("summit", at("Regarding").start)],
    )
    return Article(TEXT, "summit", entities=[league], mentions=mentions, places=tallinn, dates=june,
                   quotes=quotes, events=[summit])  # fmt: skip


def test_quotes_about_an_event_by_its_words_or_two_anchors() -> None:
    found = {s.quote: s.reason for s in statements(summit_article())}
    assert found == {
        0: "its words name the event: 'summit'",
        1: "its words name its place ('Tallinn') and its date ('June 3')",
        2: "its words name its place ('Tallinn') and its date ('June')",
        3: "its words name its place ('Tallinn') and its actor ('league')",
    }


def test_a_date_supplied_by_the_report_anchors_nothing() -> None:
    article = summit_article()
    article.events[0].date_span = None  # the publication date stands in: the text gives no date
    found = {s.quote: s.reason for s in statements(article)}
    assert set(found) == {0, 3}  # a place and a date the event does not give are one anchor


def test_a_people_named_is_no_place() -> None:
    article = summit_article()
    for place in article.places[1:]:
        place.demonym = True
    assert {s.quote for s in statements(article)} == {0}


# --- same event ----------------------------------------------------------------------------------

LYON = PlaceFacts("Lyon", "city", 45.748, 4.847, "FR", "Auvergne-Rhone-Alpes")
VILLEURBANNE = PlaceFacts("Villeurbanne", "city", 45.767, 4.880, "FR", "Auvergne-Rhone-Alpes")
MARSEILLE = PlaceFacts("Marseille", "city", 43.297, 5.381, "FR", "Provence-Alpes-Cote d'Azur")
RHONE_ALPES = PlaceFacts("Auvergne-Rhone-Alpes", "region", 45.5, 4.5, "FR", "Auvergne-Rhone-Alpes")
FRANCE = PlaceFacts("France", "country", 46.6, 2.3, "FR", None)
EUROPE = PlaceFacts("Europe", "continent", 50.0, 10.0, None, None)
POLICE = {"org:police": "Police"}
GENDARMES = {"org:gendarmerie": "Gendarmerie"}


def report(
    *,
    kind: str = "COERCE",
    modality: str = "happened",
    day: str | list[str] | None = "2024-03-09",
    by_report: bool = False,
    places: tuple[PlaceFacts, ...] = (LYON,),
    actors: dict[str, str] | None = None,
) -> ReportFacts:
    actors = POLICE if actors is None else actors
    return ReportFacts(
        kind, modality, day, by_report, places, actors, frozenset(k for k in actors if k.startswith("org:"))
    )


@pytest.mark.parametrize(
    ("other", "reason"),
    [
        (report(), "same event: COERCE, dates agree (2024-03-09 / 2024-03-09), same place: Lyon, shared actor: Police"),
        (report(actors={}), "same event: COERCE, dates agree (2024-03-09 / 2024-03-09), same place: Lyon"),
        (report(places=()), "same event: COERCE, dates agree (2024-03-09 / 2024-03-09), shared actor: Police"),
        (report(day="2024-03-11", by_report=True),
         "same event: COERCE, dates agree (2024-03-09 / reported 2024-03-11), same place: Lyon, shared actor: Police"),
        (report(day="2024-03", places=(VILLEURBANNE,), actors={}),
         "same event: COERCE, dates agree (2024-03-09 / 2024-03), same place: Lyon and Villeurbanne, 3 km apart"),
        (report(places=(RHONE_ALPES,)), "same event: COERCE, dates agree (2024-03-09 / 2024-03-09), shared actor: Police"),
        (report(places=(FRANCE,)), "same event: COERCE, dates agree (2024-03-09 / 2024-03-09), shared actor: Police"),
        (report(places=(EUROPE,)), "same event: COERCE, dates agree (2024-03-09 / 2024-03-09), shared actor: Police"),
        (report(modality="planned", day=["2024-03-08", "2024-03-09"]),
         "same event: COERCE, dates agree (2024-03-09 / 2024-03-08 and 2024-03-09), same place: Lyon, shared actor: Police"),
    ],
)  # fmt: skip
def test_two_reports_of_one_event_and_the_evidence(other: ReportFacts, reason: str) -> None:
    match = same_event(report(), other)
    assert match is not None and match.reason == reason


@pytest.mark.parametrize(
    "other",
    [
        report(kind="PROTEST"),  # another category
        report(modality="hypothetical"),  # what might happen is no report of what did
        report(modality="denied"),
        report(day="2024-04-20"),  # dates apart
        report(day="2024-03-20", by_report=True),  # reported eleven days later: over the week before
        report(day="2024"),  # a year: too vague to tie
        report(day=None),
        report(day="XXXX-WXX-6"),
        report(places=(MARSEILLE,)),  # 280 km apart
        report(places=(MARSEILLE,), actors={}),
        report(actors=GENDARMES),  # both name who acted, and not the same
        report(places=(FRANCE,), actors={}),  # a country and a date tie nothing
        report(places=(RHONE_ALPES,), actors={}),
        report(places=(), actors={}),
    ],
)
def test_reports_that_are_not_of_one_event(other: ReportFacts) -> None:
    assert same_event(report(), other) is None
    assert same_event(other, report()) is None


def test_more_ties_score_higher() -> None:
    """Each tie counts one, and the same day, both reports giving it, counts as one more."""
    cases = [
        (report(), 3),  # place, actor, day
        (report(day="2024-03-11", by_report=True), 2),  # place, actor
        (report(actors={}), 2),  # place, day
        (report(actors={}, day="2024-03"), 1),  # place
    ]
    for other, score in cases:
        match = same_event(report(), other)
        assert match is not None and match.score == score, other
