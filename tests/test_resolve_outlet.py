"""The outlet's home: the country of its address's domain and the places its address and name are
named for, and what they change in reading an article's places."""

from __future__ import annotations

import pytest
from spacy.language import Language

from quotegraph.nlp import load_pipeline
from quotegraph.resolve.outlet import Outlet, outlet_home
from quotegraph.resolve.places import resolve_places


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


@pytest.mark.parametrize(
    ("outlet", "country", "place"),
    [
        # a town as a label of the host, the country of its domain
        (Outlet("https://winnipeg.examplenews.ca/local/fires"), "CA", ("Winnipeg", "Manitoba")),
        # a town that starts a word of the address, a country that ends one
        (Outlet("https://www.seattlechronicle.com/a"), None, ("Seattle", "Washington")),
        (Outlet("https://gazetteofmalta.com/"), None, ("Malta", None)),
        # two words run together, a people for its country
        (Outlet("www.sandiegoledger.com"), None, ("San Diego", "California")),
        (Outlet("https://www.irishledger.com"), None, ("Ireland", None)),
        # the site's name, written as words
        (Outlet(None, "The Dallas Evening Ledger"), None, ("Dallas", "Texas")),
        # a second-level domain under a country's
        (Outlet("https://www.walesdaily.co.uk/x"), "GB", ("Wales", "Wales")),
    ],
)
def test_an_outlets_country_and_places(
    outlet: Outlet, country: str | None, place: tuple[str, str | None]
) -> None:
    home = outlet_home(outlet)
    assert home.country == country
    assert place in [(e.name, e.admin1) for e in home.places]


@pytest.mark.parametrize(
    "outlet",
    [
        Outlet("https://www.thesun.co.uk/news"),  # "sun" is too short to name a place inside a word
        Outlet("https://news.example.com/"),
        Outlet("https://www.eastledger.com"),  # a compass word is no place
        Outlet("https://www.eagledispatch.com"),  # a small town inside a word (Eagle, Idaho) is no paper's
        Outlet("http://[::1"),  # a malformed address
        Outlet(None, None),
    ],
)
def test_outlets_that_name_no_place(outlet: Outlet) -> None:
    assert outlet_home(outlet).places == ()


def test_a_generic_country_domain_names_no_country() -> None:
    assert outlet_home(Outlet("https://weather.tv")).country is None


def test_a_town_in_an_organizations_name_in_the_outlets_town(nlp: Language) -> None:
    """Winnipeg (750,000 people) is neither a capital nor a city of a million: in an organization's
    name it is read only near the story's home, which here only the outlet gives."""
    text = "The Winnipeg Fire Paramedic Service fought two fires on Monday."
    found = resolve_places(nlp(text), Outlet("https://winnipeg.examplenews.ca/x"))
    assert [(text[p.span.start : p.span.end], p.country, p.admin1) for p in found] == [
        ("Winnipeg", "CA", "Manitoba")
    ]
    assert resolve_places(nlp(text)) == []


def test_a_local_papers_namesake_read_near_home(nlp: Language) -> None:
    """Dublin, Georgia (16,000 people) is 80 km from Macon: in a Macon paper it is that Dublin."""
    text = "Firefighters in Dublin put out a blaze on Main Street on Monday."
    assert [p.country for p in resolve_places(nlp(text))] == ["IE"]
    found = resolve_places(nlp(text), Outlet("https://www.macontelegraph.com/news/x"))
    assert [(p.country, p.admin1) for p in found] == [("US", "Georgia")]


def test_an_outlet_the_article_does_not_agree_with_changes_nothing(nlp: Language) -> None:
    """A Winnipeg outlet's story set in Paris, France: no place of the article can be in Manitoba."""
    text = "Protesters marched through Paris and Lyon on Saturday."
    doc = nlp(text)
    assert resolve_places(doc, Outlet("https://winnipeg.examplenews.com/world")) == resolve_places(doc)
