"""Across articles: which canonical entity an article's person or organization is, and the evidence.

canonical.py says when two names are one; this stage applies it to what is already known across
articles, which the store offers through ``KnownNames`` (the folded names each canonical entity
goes by). The outcome is a ``Link``: an existing entity and why, or a new one. The store persists
it in the article's transaction, so an article and its links are written together or not at all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

from quotegraph.model import Entity
from quotegraph.resolve.canonical import LINKED_KINDS, entity_keys, is_variant
from quotegraph.resolve.names import name_words, other_middle
from quotegraph.resolve.roles import role_words
from quotegraph.textnorm import fold, similar_words, skeleton

FIRST_SEEN = "first seen here"


class KnownNames(Protocol):
    """The names canonical entities are known by, as the store has them."""

    def owner(self, kind: str, key: str) -> str | None:
        """The canonical entity (its id) known by this folded name, if any."""

    def name(self, canonical_id: str) -> str:
        """A canonical entity's name as shown."""

    def spelled_like(self, kind: str, skeleton: str) -> list[tuple[str, str]]:
        """(folded name, owner) of every known name with this consonant skeleton, by name."""

    def roles(self, canonical_id: str) -> list[str]:
        """The descriptions articles gave a canonical entity ("President", "leader of the Front")."""

    def named_in_full(self, kind: str, surname: str) -> list[str]:
        """The canonical entities (a bounded few) of names of two words or more ending in this surname."""


@dataclass(frozen=True, slots=True)
class Link:
    """Where an article's entity belongs: ``canonical_id`` (None: a new entity of its own) and why."""

    canonical_id: str | None
    reason: str
    key: str  # its folded name: a new entity's id is made of it
    keys: tuple[str, ...]  # every folded name it goes by, to be claimed for its canonical entity
    renames: bool = False  # the canonical entity, known by a surname alone so far, takes this full name
    absorbs: str | None = None  # a canonical entity known by the surname alone that is this one too


def link(entity: Entity, known: KnownNames, roles: Collection[str] = ()) -> Link | None:
    """The canonical entity of a person or organization (``roles``: the descriptions its article gave
    it); None for other kinds and names that fold to nothing."""
    if entity.kind not in LINKED_KINDS:
        return None
    keys = entity_keys(entity)
    if not keys.name:
        return None
    all_keys = (keys.name, *keys.names)
    described = role_words(roles)
    found = _find(entity, keys.name, keys.names, known)
    in_full = _named_in_full(entity, known, described)
    if found is not None and in_full is not None and fold(known.name(found[0])) == keys.name:
        # "President Obama" of an entity named "Obama" so far, and Barack Obama, the president: one
        owner, shared = in_full
        reason = f"'{entity.name}', the {shared}, is the {shared} {known.name(owner)}"
        return Link(owner, reason, keys.name, all_keys, absorbs=found[0])
    if found is not None:
        return Link(*found, keys.name, all_keys)
    surname_only = _known_by_surname_only(entity, known, described)
    if surname_only is not None:
        owner, shared = surname_only
        reason = f"known as '{known.name(owner)}', the {shared}, until named in full: '{entity.name}'"
        return Link(owner, reason, keys.name, all_keys, renames=True)
    if in_full is not None:
        owner, shared = in_full
        reason = f"'{entity.name}', the {shared}, is the {shared} {known.name(owner)}"
        return Link(owner, reason, keys.name, all_keys)
    return Link(None, FIRST_SEEN, keys.name, all_keys)


def _named_in_full(entity: Entity, known: KnownNames, roles: set[str]) -> tuple[str, str] | None:
    """The one person named in full elsewhere with this surname given alone and a role given here
    too ("President Obama" in an article that never says "Barack Obama"), and that role."""
    words = name_words(entity.name)
    if entity.kind != "person" or len(words) != 1 or not roles:
        return None
    found = [
        (owner, sorted(shared)[0])
        for owner in known.named_in_full(entity.kind, words[0])
        if (shared := roles & role_words(known.roles(owner)))
    ]
    return found[0] if len(found) == 1 else None


def _known_by_surname_only(entity: Entity, known: KnownNames, roles: set[str]) -> tuple[str, str] | None:
    """The entity named so far only by this person's surname, given a role this person has too
    ("President Obama" of articles that never say "Barack Obama"), and that role. A surname and a
    role are the evidence: "First Lady Michelle Obama" does not name the president's entity."""
    words = name_words(entity.name)
    if entity.kind != "person" or len(words) < 2 or not roles:
        return None
    owner = known.owner(entity.kind, words[-1])
    if owner is None or fold(known.name(owner)) != words[-1]:
        return None
    shared = sorted(roles & role_words(known.roles(owner)))
    return (owner, shared[0]) if shared else None


def _find(entity: Entity, key: str, names: tuple[str, ...], known: KnownNames) -> tuple[str, str] | None:
    """The canonical entity this one is, and why; a one-word alias (a surname) never links a full name."""
    full_name = len(key.split()) >= 2
    lookups = [key, *(n for n in names if len(n.split()) >= 2 or not full_name)]
    words = name_words(entity.name) if entity.kind == "person" else []
    for lookup in lookups:
        owner = known.owner(entity.kind, lookup)
        if owner is not None:
            name = known.name(owner)
            if other_middle(words, name_words(name)):
                continue  # "George H. W. Bush" is not the "George W. Bush" that claimed "george bush"
            if lookup == key and fold(name) == key:
                return owner, f"same name: '{entity.name}'"
            return owner, f"'{lookup}' is a known name of {name}"
    if entity.kind == "person" and full_name:
        for lookup in lookups:
            for other, owner in known.spelled_like(entity.kind, skeleton(lookup)):
                if is_variant(lookup, other):
                    return owner, f"spelling variant of {known.name(owner)}: '{entity.name}'"
    return None


def meant_by(key: str, candidates: Iterable[tuple[str, str]]) -> list[str]:
    """Of (folded name, owner) candidates, the owners a user means by the folded name ``key`` when no
    name matches it exactly: a spelling variant of a full name, or of a surname given alone."""
    words = key.split()
    return list(
        dict.fromkeys(
            owner
            for other, owner in candidates
            if is_variant(key, other) or (len(words) == 1 and similar_words(words[0], other.split()[-1]))
        )
    )
