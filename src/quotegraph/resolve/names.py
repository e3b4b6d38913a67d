"""What a person's name is made of, and when two names are one person's: the rules both the
article (resolve/speakers.py) and the corpus (resolve/canonical.py) apply.

A person's name is compared on its folded words without titles ("Sen.", "Mr.") or generational
suffixes ("Jr."). Two full names are one person's when every word agrees (equal, or one letter
off in a word of five letters or more with the same first letter: "Massoud" / "Masoud"), or when
their first and last words agree and one adds middle names or initials ("Donald J. Trump",
"Hillary Rodham Clinton"); where both give middles, the middles agree one by one ("George H. W.
Bush" is not "George W. Bush").
"""

from __future__ import annotations

import re

from quotegraph.textnorm import fold, similar_words

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "sir", "dame", "madam", "messrs"})
# Titles written before a name, abbreviations included: "Sen. Warren" is Warren.
TITLES = frozenset(
    """
    mr mrs ms miss mx dr prof sen sens senator rep reps gov governor president vice pres gen general col
    lt sgt cpl adm capt maj cmdr del secretary minister chancellor pm judge justice rev sir dame lord lady
    king queen prince princess sheikh mayor ambassador spokesman spokeswoman spokesperson commander
    chairman chairwoman councillor councilor councilman councilwoman alderman chief officer detective
    inspector sergeant captain lieutenant professor doctor father sister brother imam rabbi bishop
    pastor deputy messrs
    """.split()
)
# The words those abbreviations stand for, where a role is shown ("Sen." is a senator).
TITLE_WORDS = {
    "sen": "senator", "sens": "senator", "rep": "representative", "reps": "representative",
    "gov": "governor", "pres": "president", "gen": "general", "col": "colonel", "lt": "lieutenant",
    "sgt": "sergeant", "cpl": "corporal", "adm": "admiral", "capt": "captain", "maj": "major",
    "cmdr": "commander", "del": "delegate", "dr": "doctor", "prof": "professor", "rev": "reverend",
    "pm": "prime minister",
}  # fmt: skip
_SUFFIXES = frozenset("jr sr ii iii iv".split())
# Words that belong to the surname after them: "de Blasio", "bin Laden", "van Gogh"
_PARTICLES = frozenset("de da di del della der den van von le la du bin ter ten ibn al el ben abu".split())
_GIVEN_TOO = frozenset("ibn al el ben abu".split())  # first in a name, a given name: "Al Gore", "Ben Carson"
# A time zone's abbreviation: "EDT", "PST", "CEST", "AEDT", "GMT", "UTC"
_TIME_ZONE = re.compile(r"[A-Z]{1,3}[SD]T|GMT|UTC|ET|PT|CT|MT")


def name_words(name: str) -> list[str]:
    """A person's name as compared: folded words without leading titles, a surname's particle joined
    to it ("bill", "de blasio") and so is a generational suffix ("donald", "trump jr": the son)."""
    words = fold(name).split()
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    joined: list[str] = []
    for word in words:
        after_particle = (
            joined and joined[-1] in _PARTICLES and not (len(joined) == 1 and joined[0] in _GIVEN_TOO)
        )
        if after_particle or (joined and word in _SUFFIXES):
            joined[-1] = f"{joined[-1]} {word}"
        else:
            joined.append(word)
    return joined


def like(a: str, b: str) -> bool:
    """One name word written two ways: equal, or one letter off with the same first letter (a
    transliteration or a typo keeps the initial: "Massoud" / "Masoud", never "Obama" / "Osama"); a
    plural is a family ("the Clintons"), not one of them."""
    plural = a == f"{b}s" or b == f"{a}s"
    return a == b or (a[:1] == b[:1] and not plural and similar_words(a, b))


def _initial_of(short: str, full: str) -> bool:
    return short == full or (len(short) == 1 and full.startswith(short))


def same_person(ours: list[str], theirs: list[str]) -> bool:
    """Two full names (two words or more) that are one person's, middle names and initials aside."""
    if len(ours) < 2 or len(theirs) < 2:
        return False
    if len(ours) == len(theirs) and all(
        like(a, b) or (0 < n < len(ours) - 1 and (_initial_of(a, b) or _initial_of(b, a)))
        for n, (a, b) in enumerate(zip(ours, theirs, strict=True))
    ):
        return True
    short, long = sorted((ours, theirs), key=len)
    if not (like(short[0], long[0]) and like(short[-1], long[-1])):
        return False
    return len(short) == 2  # middles on both sides must agree one by one: "George H. W." is not "George W."


def other_middle(ours: list[str], theirs: list[str]) -> bool:
    """Two names with the same first and last words whose middles disagree ("George H. W. Bush",
    "George W. Bush"): the middle is what tells the two people apart."""
    return (
        len(ours) > 2
        and len(theirs) > 2
        and like(ours[0], theirs[0])
        and like(ours[-1], theirs[-1])
        and not same_person(ours, theirs)
    )


def is_time_zone(text: str) -> bool:
    return bool(_TIME_ZONE.fullmatch(text.strip()))


def acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())
