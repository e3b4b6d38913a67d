"""Writing canonical entities: the links resolve/linking.py decides, and the user's merges and splits.

Which entity a name is, is decided in resolve/linking.py; this module reads the known names it asks
for (``StoredNames``) and keeps the outcome in the canonical tables (see names.py), portable SQL only.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import UTC, datetime

from quotegraph.errors import StoreError
from quotegraph.model import Entity
from quotegraph.resolve.linking import link
from quotegraph.store.database import Database
from quotegraph.store.names import canonical_ids
from quotegraph.textnorm import fold, skeleton

_NAMESAKES = 20  # full names with one surname looked at, at most: a bounded cost per link


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StoredNames:
    """``resolve.linking.KnownNames`` on the canonical tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def owner(self, kind: str, key: str) -> str | None:
        rows = self.db.execute(
            "SELECT canonical_id FROM canonical_keys WHERE kind = ? AND key = ?", (kind, key)
        )
        return str(rows[0][0]) if rows else None

    def name(self, canonical_id: str) -> str:
        return str(self.db.execute("SELECT name FROM canonical_entities WHERE id = ?", (canonical_id,))[0][0])

    def spelled_like(self, kind: str, skeleton: str) -> list[tuple[str, str]]:
        rows = self.db.execute(
            "SELECT key, canonical_id FROM canonical_keys WHERE kind = ? AND skeleton = ? ORDER BY key",
            (kind, skeleton),
        )
        return [(str(key), str(owner)) for key, owner in rows]

    def roles(self, canonical_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT m.text FROM entity_links l JOIN mentions m ON m.entity_id = l.entity_id "
            "WHERE l.canonical_id = ? AND m.label = 'ROLE'",
            (canonical_id,),
        )
        return [str(role) for (role,) in rows]

    def named_in_full(self, kind: str, surname: str) -> list[str]:
        # The entities by their surname first: as one join under ORDER BY ... LIMIT, PostgreSQL walked
        # every link in canonical order looking for them (614 ms for "trump" at 203,000 quotes; 14 ms so)
        namesakes = self.db.in_rows(
            "entity_id", "SELECT id FROM entities WHERE surname_key = ? AND kind = ? AND name_key <> ?"
        )
        rows = self.db.execute(
            f"SELECT DISTINCT canonical_id FROM entity_links WHERE {namesakes} ORDER BY 1 LIMIT ?",
            (surname, kind, surname, _NAMESAKES),
        )
        return [str(owner) for (owner,) in rows]


def link_entity(db: Database, entity_row: int, entity: Entity, roles: Collection[str] = ()) -> None:
    """Link one stored article entity (``roles``: its article's descriptions of it) to its canonical
    entity, creating it when nothing matches."""
    found = link(entity, StoredNames(db), roles)
    if found is None:
        return
    canonical = found.canonical_id or create(db, entity.kind, entity.name, found.key)
    if found.renames:
        db.execute("UPDATE canonical_entities SET name = ? WHERE id = ?", (entity.name, canonical))
    if found.absorbs is not None and found.absorbs != canonical:
        absorbed = StoredNames(db).name(found.absorbs)
        db.execute(
            "UPDATE entity_links SET canonical_id = ?, reason = ? WHERE canonical_id = ?",
            (canonical, f"'{absorbed}' is {StoredNames(db).name(canonical)}: {found.reason}", found.absorbs),
        )
        db.execute(
            "UPDATE canonical_keys SET canonical_id = ? WHERE canonical_id = ?", (canonical, found.absorbs)
        )
        db.execute("DELETE FROM canonical_entities WHERE id = ?", (found.absorbs,))
    claim(db, entity.kind, canonical, list(found.keys))
    db.execute(
        "INSERT INTO entity_links (entity_id, canonical_id, reason) VALUES (?, ?, ?)",
        (entity_row, canonical, found.reason),
    )


def create(db: Database, kind: str, name: str, key: str) -> str:
    """A new canonical entity; its id is unique even where an earlier one of that name was split off."""
    base = f"{kind}:{key}"
    for n in range(1, 1000):
        candidate = base if n == 1 else f"{base}#{n}"
        if db.execute(
            "INSERT INTO canonical_entities (id, name, kind, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO NOTHING RETURNING id",
            (candidate, name, kind, now()),
        ):
            return candidate
        if n == 1 and StoredNames(db).owner(kind, key) == base:
            return base  # a concurrent writer created it a moment ago: the same entity
    raise StoreError(f"too many entities named {name!r}")


def claim(db: Database, kind: str, canonical: str, keys: list[str]) -> None:
    """Record the names an entity is known by; a name already owned by another entity stays there."""
    db.executemany(
        "INSERT INTO canonical_keys (kind, key, skeleton, canonical_id) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (kind, key) DO NOTHING",
        [(kind, key, skeleton(key), canonical) for key in dict.fromkeys(keys) if key],
    )


# --- the user's corrections ------------------------------------------------------------------


def merge(db: Database, into: str, other: str) -> str:
    """Make ``other`` part of ``into``; a message saying what moved."""
    names = StoredNames(db)
    with db.transaction():
        target, source = _one(db, into), _one(db, other)
        if target == source:
            raise StoreError(f"{into!r} and {other!r} are already one entity ({target})")
        target_name, source_name = names.name(target), names.name(source)
        reason = f"merged by hand: {source_name} into {target_name} on {now()[:10]}"
        moved = db.execute(
            "UPDATE entity_links SET canonical_id = ?, reason = ? WHERE canonical_id = ? RETURNING entity_id",
            (target, reason, source),
        )
        db.execute("UPDATE canonical_keys SET canonical_id = ? WHERE canonical_id = ?", (target, source))
        db.execute("DELETE FROM canonical_entities WHERE id = ?", (source,))
        _record(db, "merge", {"into": target, "merged": source, "name": source_name})
    return f"merged {source_name} into {target_name}: {len(moved)} article entities moved"


def split(db: Database, name: str, alias: str | None, article: str | None) -> str:
    """Move the article entities of ``name`` called ``alias``, or the one in ``article``, into an entity
    of their own; a message saying what moved."""
    names = StoredNames(db)
    with db.transaction():
        source = _one(db, name)
        kind = str(db.execute("SELECT kind FROM canonical_entities WHERE id = ?", (source,))[0][0])
        rows = db.execute(
            "SELECT e.id, e.name, e.name_key, e.article_id, a.external_id FROM entity_links l "
            "JOIN entities e ON e.id = l.entity_id JOIN articles a ON a.id = e.article_id "
            "WHERE l.canonical_id = ? ORDER BY e.id",
            (source,),
        )
        if alias is not None:
            moving = [r for r in rows if r[2] == fold(alias)]
            what = f"named {alias!r}"
        else:
            ref = (article or "").strip()
            moving = [r for r in rows if ref in (r[3], r[4]) or (len(ref) >= 6 and r[3].startswith(ref))]
            what = f"in article {article!r}"
        if not moving:
            raise StoreError(f"nothing of {names.name(source)} is {what}")
        if len(moving) == len(rows):
            raise StoreError(f"every article entity of {names.name(source)} is {what}: nothing would remain")
        new_name = moving[0][1]
        target = create(db, kind, new_name, fold(new_name))
        reason = f"split by hand from {names.name(source)} on {now()[:10]}"
        marks = ", ".join("?" * len(moving))
        db.execute(
            f"UPDATE entity_links SET canonical_id = ?, reason = ? WHERE entity_id IN ({marks})",
            [target, reason, *(r[0] for r in moving)],
        )
        keys = {r[2] for r in moving} - {fold(names.name(source))}
        if alias is not None:
            keys.add(fold(alias))
        for key in keys:
            db.execute(
                "UPDATE canonical_keys SET canonical_id = ? WHERE kind = ? AND key = ?", (target, kind, key)
            )
        claim(db, kind, target, sorted(keys))
        _record(db, "split", {"from": source, "into": target, "alias": alias, "article": article})
    return f"split {len(moving)} article entities {what} from {names.name(source)} into {new_name}"


def _one(db: Database, name: str) -> str:
    ids = canonical_ids(db, name)
    if not ids:
        raise StoreError(f"no entity {name!r}: `quotegraph entities --search WORDS` lists names")
    return ids[0]


def _record(db: Database, action: str, detail: dict[str, object]) -> None:
    db.execute(
        "INSERT INTO entity_decisions (action, detail, made_at) VALUES (?, ?, ?)",
        (action, json.dumps(detail, ensure_ascii=False), now()),
    )
