"""Name keys and spelling variants (quotegraph.textnorm), on names written for the tests."""

from __future__ import annotations

import pytest

from quotegraph.textnorm import dateline_at, fold, similar_words


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        ("massoud", "masoud", True),  # a letter dropped
        ("masoud", "massoud", True),  # a letter added
        ("karimzada", "karimzade", True),  # a letter changed, at the end
        ("smith", "smyth", True),  # a letter changed, inside
        ("okafor", "okafor", True),
        ("massoud", "msasoud", False),  # two letters swapped: two edits
        ("massoud", "masood", False),  # a letter dropped and one changed
        ("karim", "karimi", True),
        ("ali", "aly", False),  # names under five letters must be equal
        ("ruiz", "ruiz", True),
        ("mendez", "menendez", False),  # two letters apart
        ("marchand", "marchant", True),
        ("marchand", "archanda", False),  # same letters, shifted: two edits
    ],
)
def test_similar_words_are_at_most_one_edit_apart(a: str, b: str, similar: bool) -> None:
    assert similar_words(a, b) is similar
    assert similar_words(b, a) is similar


def test_fold_drops_case_accents_and_punctuation() -> None:
    assert fold("Stéphane Dujarric") == "stephane dujarric"
    assert fold("U.S.") == "us"
    assert fold("O’Neill-Smith") == "oneill smith"


@pytest.mark.parametrize(
    ("text", "start", "place"),
    [
        ("WASHINGTON (AP) — The Senate voted.", 0, "WASHINGTON"),
        ("BEIRUT, Oct 3 (Reuters) - Israeli jets struck.", 0, "BEIRUT"),
        ("RALEIGH, N.C. (AP) -- A report shows", 0, "RALEIGH"),
        ("WASHINGTON—President Trump said", 0, "WASHINGTON"),
        ("By Ann Lee, Associated Press\nNEW YORK — Police said", 29, "NEW YORK"),
        ("By Ann Lee. KABUL, Afghanistan – Aid arrived.", 12, "KABUL"),
        ("Associated Press WASHINGTON (AP) — China vowed", 17, "WASHINGTON"),
        ("Nine countries — France, the UK, and the US — pledged", 29, None),  # a list, mid-sentence
        ("Cases of COVID-19 rose.", 9, None),  # a hyphen in a word
        ("The NATO — Russia council met.", 4, None),  # mid-sentence, no agency
        ("(NEW YORK) — Police officers said", 1, "NEW YORK"),  # a bracketed dateline
        ("By Ann Lee. WASHINGTON (AP) The Senate voted.", 12, "WASHINGTON"),  # its dash lost
        ("Officials in the US (Reuters) said", 17, None),  # no dash, mid-sentence
        ("The agency (WHO) — which", 12, None),  # brackets mid-sentence
        ("WASHINGTON The Senate voted.", 0, None),  # neither dash nor agency
    ],
)
def test_dateline_at(text: str, start: int, place: str | None) -> None:
    found = dateline_at(text, start)
    assert (found["place"] if found else None) == place
