"""Finding what a user means by a name: the canonical entities it names, and the quotes about it.

The canonical tables (migration 5):

- ``canonical_entities``: one row per person or organization across articles;
- ``canonical_keys``: every folded name a canonical entity is known by, owned by exactly one
  (so linking is a key look-up, and concurrent writers agree through the primary key);
- ``entity_links``: each article entity's canonical entity and the reason, shown to users;
- ``entity_decisions``: the merges and splits users made, in order.
"""

from __future__ import annotations

from quotegraph.resolve.linking import meant_by
from quotegraph.store.database import Database
from quotegraph.store.keys import about_quote, like_escape
from quotegraph.textnorm import fold, skeleton


def canonical_ids(db: Database, name: str) -> list[str]:
    """Canonical entities a user means by ``name``, most linked first: known by that name (or with
    that id); else whose name ends in it (a surname); else one spelling variant away."""
    key = fold(name)
    if not key:
        return []
    for match, params in (
        ("c.id = ? OR c.id IN (SELECT canonical_id FROM canonical_keys WHERE key = ?)", [name, key]),
        (
            r"c.id IN (SELECT canonical_id FROM canonical_keys WHERE key LIKE ? ESCAPE '\')",
            [f"% {like_escape(key)}"],
        ),
    ):
        # links counted per entity found, through their index (joined, PostgreSQL read all links)
        rows = db.execute(
            "SELECT c.id, (SELECT count(*) FROM entity_links l WHERE l.canonical_id = c.id) "
            f"FROM canonical_entities c WHERE {match} ORDER BY 2 DESC, 1",
            params,
        )
        if rows:
            return [str(row[0]) for row in rows]
    last = skeleton(key).split()[-1]
    candidates = db.execute(
        r"SELECT key, canonical_id FROM canonical_keys WHERE skeleton = ? OR skeleton LIKE ? ESCAPE '\' ORDER BY key",
        (skeleton(key), f"% {like_escape(last)}"),
    )
    return meant_by(key, ((str(other), str(owner)) for other, owner in candidates))


def about_filter(db: Database, name: str, *, demonyms: bool = False) -> tuple[str, list[object]]:
    """A WHERE clause on ``q`` (joined to ``a``): the quote's words, or its topic, mention the entity
    or place ``name`` (a place named by its people, "Russian officials", only with ``demonyms``).

    Each branch first narrows to the articles naming it (through the indexes on mentions by entity
    and places by key), so only their quotes are checked for a mention inside the quote's span.
    """
    key = fold(name)
    clauses = [
        "(q.article_id IN (SELECT article_id FROM places WHERE name_key = ? OR words_key = ?) "
        f"AND EXISTS (SELECT 1 FROM places p WHERE p.article_id = q.article_id AND {about_quote('p')} "
        "AND (p.name_key = ? OR p.words_key = ?)" + ("" if demonyms else " AND p.demonym = 0") + "))"
    ]
    params: list[object] = [key, key, key, key]
    ids = canonical_ids(db, name)
    if ids:
        linked = f"SELECT entity_id FROM entity_links WHERE canonical_id IN ({', '.join('?' * len(ids))})"
        clauses.append(
            f"(q.article_id IN (SELECT article_id FROM mentions WHERE entity_id IN ({linked})) "
            f"AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = q.article_id AND {about_quote('m')} "
            f"AND m.entity_id IN ({linked})))"
        )
        params += [*ids, *ids]
    return "(" + " OR ".join(clauses) + ")", params
