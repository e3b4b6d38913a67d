"""Entity queries: people and organizations across articles, and the places named, listed and one by one."""

from __future__ import annotations

from collections import Counter, defaultdict

from quotegraph.resolve.canonical import LINKED_KINDS, is_name_of
from quotegraph.resolve.roles import describes_role
from quotegraph.store.base import EntityDetail, EntityLink, EntityRole, EntityRow, PlaceRow
from quotegraph.store.canonical import StoredNames
from quotegraph.store.database import Database
from quotegraph.store.filters import QuoteFilter
from quotegraph.store.names import canonical_ids
from quotegraph.store.quotes import QuoteQueries, published_between
from quotegraph.textnorm import fold, skeleton

_LINKED = "(" + ", ".join(f"'{kind}'" for kind in LINKED_KINDS) + ")"


class EntityQueries:
    """Canonical entities with their names, links and roles; places with coordinates and dates."""

    def __init__(self, db: Database, quotes: QuoteQueries) -> None:
        self.db = db
        self.quotes = quotes

    def places(self, selected: QuoteFilter) -> list[PlaceRow]:
        """The places named in the articles published between the filter's since and until; a place
        named by its people ("Russian officials") only with the filter's ``demonyms``."""
        where, params = published_between(selected)
        if not selected.demonyms:
            where = [*where, "p.demonym = 0"]
        rows = self.db.execute(
            "SELECT min(p.name), min(p.kind), p.country, avg(p.lat), avg(p.lon), count(*), "
            "count(DISTINCT p.article_id), min(a.published), max(a.published) "
            "FROM places p JOIN articles a ON a.id = p.article_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " GROUP BY p.name_key, p.country ORDER BY 7 DESC, 6 DESC, 1",
            params,
        )
        return [PlaceRow(*row) for row in rows]

    def entities(
        self,
        *,
        kind: str | None = None,
        search: str | None = None,
        limit: int | None = 100,
        demonyms: bool = False,
    ) -> list[EntityRow]:
        words = fold(search or "").split()
        rows: list[EntityRow] = []
        if kind in (None, *LINKED_KINDS):
            rows += self._canonical_rows(kind, words, limit)
        if kind in (None, "place"):
            rows += self._place_rows(words, limit, demonyms)
        rows.sort(key=lambda r: (-r.article_count, -r.quote_count, r.name))
        return rows[:limit] if limit is not None else rows

    def _canonical_rows(
        self, kind: str | None, words: list[str], limit: int | None, *, only: str | None = None
    ) -> list[EntityRow]:
        where: list[str] = [f"c.kind IN {_LINKED}"]
        params: list[object] = []
        if only is not None:
            where.append("c.id = ?")
            params.append(only)
        if kind:
            where.append("c.kind = ?")
            params.append(kind)
        for word in words:
            where.append("c.id IN (SELECT canonical_id FROM canonical_keys WHERE key LIKE ?)")
            params.append(f"%{word}%")
        sql = (
            "SELECT c.id, c.name, c.kind, count(DISTINCT e.article_id), "
            "(SELECT count(*) FROM quotes q JOIN entity_links sl ON sl.entity_id = q.speaker_entity_id "
            "WHERE sl.canonical_id = c.id) FROM canonical_entities c "
            "JOIN entity_links l ON l.canonical_id = c.id JOIN entities e ON e.id = l.entity_id "
            f"WHERE {' AND '.join(where)} GROUP BY c.id, c.name, c.kind ORDER BY 4 DESC, 5 DESC, 2"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        found = self.db.execute(sql, params)
        names = self._other_names([str(r[0]) for r in found])
        return [
            EntityRow(str(id_), name, kind_, names.get(str(id_), []), int(articles), int(quotes))
            for id_, name, kind_, articles, quotes in found
        ]

    def _other_names(self, ids: list[str]) -> dict[str, list[str]]:
        """Each canonical entity's other names as written: its articles' names and their name aliases."""
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT l.canonical_id, c.name, c.kind, e.name, al.alias FROM entity_links l "
            "JOIN canonical_entities c ON c.id = l.canonical_id JOIN entities e ON e.id = l.entity_id "
            f"LEFT JOIN entity_aliases al ON al.entity_id = e.id WHERE l.canonical_id IN ({marks})",
            ids,
        )
        names: dict[str, dict[str, str]] = {}
        for canonical, canonical_name, kind, name, alias in rows:
            seen = names.setdefault(canonical, {fold(canonical_name): canonical_name})
            for other in (name, alias):
                if other and fold(other) not in seen and is_name_of(fold(other), fold(canonical_name), kind):
                    seen[fold(other)] = other
        return {canonical: sorted(list(seen.values())[1:]) for canonical, seen in names.items()}

    def _roles_kept_as_aliases(
        self, canonical: str, name: str, kind: str, seen_roles: set[tuple[str, str]]
    ) -> list[EntityRole]:
        """A database written before roles were kept apart holds them as aliases ("the leader of the
        Front" beside "Massoud"): those headed by a role noun are roles of their article, the rest
        (evaluations, fragments) neither roles nor names."""
        if kind != "person":
            return []
        roles: list[EntityRole] = []
        for alias, article_id, external_id, title, published in self.db.execute(
            "SELECT al.alias, a.id, a.external_id, a.title, a.published FROM entity_links l "
            "JOIN entity_aliases al ON al.entity_id = l.entity_id JOIN entities e ON e.id = l.entity_id "
            "JOIN articles a ON a.id = e.article_id WHERE l.canonical_id = ? "
            "ORDER BY a.published IS NULL, a.published, a.id, al.alias",
            (canonical,),
        ):
            role = _strip_article(alias)
            if (
                not is_name_of(fold(alias), fold(name), kind)
                and describes_role(role)
                and (role, article_id) not in seen_roles
            ):
                seen_roles.add((role, article_id))
                roles.append(EntityRole(role, article_id, external_id, title, published))
        return roles

    def _place_rows(self, words: list[str], limit: int | None, demonyms: bool) -> list[EntityRow]:
        return [row for row, _ in self._places(words, limit, demonyms)]

    def _places(
        self, words: list[str], limit: int | None, demonyms: bool = False
    ) -> list[tuple[EntityRow, str]]:
        """The places the articles name that match ``words``, each with the gazetteer's name for it
        (what every mention of it is stored under, whatever spelling the row shows); a place named by
        its people ("Russian officials") counts only with ``demonyms``."""
        where: list[str] = [] if demonyms else ["p.demonym = 0"]
        params: list[object] = []
        for word in words:
            where.append("(p.name_key LIKE ? OR p.words_key LIKE ?)")
            params += [f"%{word}%", f"%{word}%"]
        sql = (
            "SELECT p.name_key, p.country, min(p.name), min(p.kind), avg(p.lat), avg(p.lon), "
            "count(DISTINCT p.article_id), min(p.geonames_id) FROM places p"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " GROUP BY p.name_key, p.country ORDER BY 7 DESC, 3"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        found = self.db.execute(sql, params)
        words_used: dict[str, Counter[str]] = defaultdict(Counter)
        if found:
            marks = ", ".join("?" * len(found))
            for key, used, times in self.db.execute(
                'SELECT p.name_key, substr(a.text, p.start + 1, p."end" - p.start), count(*) FROM places p '
                f"JOIN articles a ON a.id = p.article_id WHERE p.name_key IN ({marks})"
                + ("" if demonyms else " AND p.demonym = 0")
                + " GROUP BY 1, 2",
                [row[0] for row in found],
            ):
                words_used[key][used] += times
        rows = []
        for key, country, name, feature, lat, lon, articles, geonames_id in found:
            written = words_used[key]
            shown = _shown_name(name, written)
            aliases = {w for w in written if fold(w) != key} | {name}
            row = EntityRow(f"place:{geonames_id or key}", shown, "place", sorted(aliases - {shown}), int(articles),
                            0, lat, lon, country, feature)  # fmt: skip
            rows.append((row, name))
        return rows

    def lookup(self, name: str) -> list[EntityRow]:
        """The people and organizations across articles that ``name`` may mean (any of their names, a
        surname, a spelling variant, or an id), most linked first: ``names.canonical_ids``; then, for
        one word, the other people named in full with it as their surname ("Clinton": Bill beside
        Hillary, who is known by it), most articles first."""
        known = canonical_ids(self.db, name)
        words = fold(name).split()
        namesakes = StoredNames(self.db).named_in_full("person", words[0]) if len(words) == 1 else []
        rows = [row for i in known for row in self._canonical_rows(None, [], None, only=i)]
        others = [
            row for i in namesakes if i not in known for row in self._canonical_rows(None, [], None, only=i)
        ]
        return rows + sorted(others, key=lambda row: -row.article_count)

    def entity(self, name: str, *, quotes: bool = True) -> EntityDetail | None:
        """One entity by any of its names: aliases, roles, the links and their reasons, quotes by and
        about (left empty without ``quotes``)."""
        ids = canonical_ids(self.db, name)
        if not ids:
            places = [(row, gazetteer) for row, gazetteer in self._places(fold(name).split(), None)
                      if _names_place(row, name)]  # fmt: skip
            if not places:
                return None
            row, gazetteer = places[0]
            return EntityDetail(
                row, [], [], [], self.quotes.quotes(QuoteFilter(place=gazetteer)) if quotes else []
            )
        canonical = ids[0]
        row = self._canonical_rows(None, [], None, only=canonical)[0]
        links = [
            EntityLink(*found)
            for found in self.db.execute(
                "SELECT a.id, a.external_id, a.title, a.published, e.name, l.reason FROM entity_links l "
                "JOIN entities e ON e.id = l.entity_id JOIN articles a ON a.id = e.article_id "
                "WHERE l.canonical_id = ? ORDER BY a.published IS NULL, a.published, a.id",
                (canonical,),
            )
        ]
        # the roles the articles' narrators gave it: its ROLE mentions (resolve/speakers.py), once per article
        roles: list[EntityRole] = []
        seen_roles: set[tuple[str, str]] = set()  # a set: a list searched per row is quadratic in the links
        for role, article_id, external_id, title, published in self.db.execute(
            "SELECT m.text, a.id, a.external_id, a.title, a.published FROM entity_links l "
            "JOIN mentions m ON m.entity_id = l.entity_id JOIN articles a ON a.id = m.article_id "
            "WHERE l.canonical_id = ? AND m.label = 'ROLE' "
            "ORDER BY a.published IS NULL, a.published, a.id, m.start",
            (canonical,),
        ):
            if (role, article_id) not in seen_roles:
                seen_roles.add((role, article_id))
                roles.append(EntityRole(role, article_id, external_id, title, published))
        roles += self._roles_kept_as_aliases(canonical, row.name, row.kind, seen_roles)
        if not quotes:
            return EntityDetail(row, links, roles, [], [])
        return EntityDetail(
            row,
            links,
            roles,
            self.quotes.quotes(QuoteFilter(speaker_id=canonical)),
            self.quotes.quotes(QuoteFilter(about=name)),
        )


def _shown_name(gazetteer: str, written: Counter[str]) -> str:
    """The name a place is shown by: the gazetteer's, unless the articles never write it but write
    another spelling of it, the same consonants ("Ghor" for GeoNames' "Ghowr", "Nuristan" for
    "Nurestan", "Salang" for "Sālang"); not an abbreviation or another name ("U.S.", "Britain"),
    nor a headline's capitals."""
    if gazetteer in written:
        return gazetteer
    sound = skeleton(fold(gazetteer))
    spellings = [w for w, _ in written.most_common() if not w.isupper() and skeleton(fold(w)) == sound]
    return spellings[0] if spellings else gazetteer


def _names_place(row: EntityRow, name: str) -> bool:
    return fold(name) in {fold(n) for n in [row.name, *row.aliases]}


def _strip_article(description: str) -> str:
    """A role as shown: without the article before it ("the leader of the Front" is shown "leader of
    the Front", as ROLE mentions are)."""
    first, _, rest = description.partition(" ")
    return rest if first.lower() in ("the", "a", "an") and rest else description
