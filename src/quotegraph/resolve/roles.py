"""Which descriptions name a role: a noun of office, occupation, relation or membership.

A description becomes a person's role only when its head noun names one ("the leader of the
National Resistance Front", "UN spokesperson", "his wife", "a Republican of Iowa"). The nouns come
from ``role_nouns.txt``, built from WordNet by scripts/build_role_nouns.py: evaluations ("liar",
"fraud"), bare words for a person ("woman") and things ("words", "way") are not in it. A noun whose
main sense is no role ("head", "anchor", "host") counts only with a noun or a complement that
makes it one ("the head of the agency", "news anchor", "talk radio host").
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from quotegraph.resolve.names import TITLE_WORDS, TITLES
from quotegraph.textnorm import fold

if TYPE_CHECKING:  # the store links entities by their roles without loading spaCy
    from spacy.tokens import Span, Token

_MAKES_A_ROLE = frozenset({"compound", "nmod", "prep", "npadvmod"})


@cache
def role_nouns() -> dict[str, bool]:
    """Each role noun, and whether it needs a modifier to be one."""
    nouns: dict[str, bool] = {}
    for line in (
        files("quotegraph.resolve").joinpath("role_nouns.txt").read_text(encoding="utf-8").splitlines()
    ):
        if line and not line.startswith("#"):
            noun, _, mark = line.partition("\t")
            nouns[noun] = mark == "modified"
    return nouns


def role_word(token: Token) -> str | None:
    """The role noun a token is ("Sen." is "senator"), or None. An abbreviation is one only as a
    title ("Sen.", "Gov."): "Md." of "(D-Md.)" is a state, "Jr." a suffix."""
    if token.text.endswith(".") and fold(token.text) not in TITLES:
        return None
    nouns = role_nouns()
    for word in (fold(token.text), token.lemma_.lower(), TITLE_WORDS.get(fold(token.text), "")):
        if word in nouns:
            return word
    return None


def is_title_word(word: str) -> bool:
    """A folded word that names a role on its own ("candidate", "senator", "sen"), as a title does."""
    return role_nouns().get(TITLE_WORDS.get(word, word)) is False


def names_role(phrase: Span, head: Token | None = None) -> bool:
    """Whether a description phrase, headed by ``head`` (its root by default), names a role."""
    head = phrase.root if head is None else head
    word = role_word(head)
    if word is None:
        return False
    if not role_nouns()[word]:
        return True
    return any(t.dep_ in _MAKES_A_ROLE and t.head.i == head.i for t in phrase if t.i != head.i)


def role_words(roles: Iterable[str]) -> set[str]:
    """The role nouns written in descriptions ("Sen." and "former Senator" both give "senator")."""
    nouns = role_nouns()
    words = {TITLE_WORDS.get(word, word) for role in roles for word in fold(role).split()}
    return {word for word in words if word in nouns}


_PREPOSITIONS = frozenset("of for on at in from with to".split())


def describes_role(text: str) -> bool:
    """Whether a description written down without its parse ("the leader of the Front", "UN
    spokesperson", "his wife") is headed by a role noun: the last word before a preposition. An
    alias a database from before roles were kept apart holds is shown as a role only so."""
    words = fold(text).split()
    head = next((n for n, word in enumerate(words) if word in _PREPOSITIONS), len(words)) - 1
    if head < 0:
        return False
    needs_modifier = role_nouns().get(TITLE_WORDS.get(words[head], words[head]))
    return needs_modifier is False or (needs_modifier is True and len(words) > 1)
