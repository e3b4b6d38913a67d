"""Across articles: the keys an article's entity is looked up by, and why two names are one.

Within an article, resolve/speakers.py has already clustered the mentions (full name, surname,
titles, spelling variants). Across articles a person or organization becomes one canonical
entity, linked only on evidence a reader would accept, and every link says which:

- the same name, or a name the canonical entity is already known by ("UN" for "United Nations",
  "Massoud" after an article that called Ahmad Massoud so);
- a spelling variant of a full name: the same number of words, each equal or one letter off in a
  word of five letters or more ("Ahmad Masoud" / "Ahmad Massoud");
- the same first and last name with middle names or initials aside: a person's key includes their
  name without them ("Donald J. Trump" is also known as "donald trump", "Hillary Rodham Clinton"
  as "hillary clinton"), the rule resolve/names.py applies within an article.

Where middles are given on both sides they must agree ("George H. W. Bush" is not "George W.
Bush"). An entity known so far by a surname alone ("Obama", from articles that only say "President
Obama") is named by the first full name with that surname ("Barack Obama"), and says so.
A surname alone is linked only where it is already a known name of exactly one entity; anything
else starts a new canonical entity, and users correct the rest with ``quotegraph entities merge``
and ``split``, which are recorded. Descriptions ("the UN spokesperson") are not names: they are
the roles a person held in an article, shown with its date.
"""

from __future__ import annotations

from dataclasses import dataclass

from quotegraph.model import Entity
from quotegraph.resolve.names import name_words, same_person
from quotegraph.textnorm import fold, similar_words

LINKED_KINDS = ("person", "org")


@dataclass(frozen=True, slots=True)
class EntityKeys:
    """What an article's entity is looked up by across articles."""

    name: str  # the folded canonical name
    names: tuple[str, ...]  # other folded names it went by in its article (not its descriptions)


def entity_keys(entity: Entity) -> EntityKeys:
    key = fold(entity.name)
    names: list[str] = []
    words = name_words(entity.name)
    if entity.kind == "person" and len(words) >= 3:
        names.append(f"{words[0]} {words[-1]}")  # "donald j trump" is also "donald trump"
    for alias in entity.aliases:
        alias_key = fold(alias)
        if (
            alias_key
            and alias_key != key
            and alias_key not in names
            and is_name_of(alias_key, key, entity.kind)
        ):
            names.append(alias_key)
    return EntityKeys(key, tuple(names))


def is_name_of(alias_key: str, name_key: str, kind: str) -> bool:
    """Whether an alias is another name (surname, variant, acronym, short form) rather than a description.

    A person's other names are made of their name's words (or one letter off); an organization's
    aliases are all names, because within an article only names and acronyms join its cluster.
    """
    if kind != "person":
        return True
    words = name_words(name_key)  # titles aside: "Ms Doe" is a name of Jane Doe
    return all(any(similar_words(a, w) for w in words) for a in name_words(alias_key))


def is_variant(key: str, other: str) -> bool:
    """Two full names (two words or more) written differently that are one name."""
    ours, theirs = key.split(), other.split()
    return key != other and len(ours) == len(theirs) >= 2 and same_person(ours, theirs)
