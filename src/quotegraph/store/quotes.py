"""Quote queries: quotes by any filter, and what they add up to (speakers, relays, who talks about whom)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from typing import Any

from quotegraph.model import DEFAULT_ACTS
from quotegraph.resolve.canonical import is_name_of
from quotegraph.store.base import FacetCount, QuoteRow, RelayRow, SpeakerRow, TalksAboutRow
from quotegraph.store.database import Database
from quotegraph.store.filters import SPEECH_ACTS, QuoteFilter
from quotegraph.store.keys import about_quote, like_escape, name_keys
from quotegraph.store.names import about_filter, canonical_ids
from quotegraph.store.search import parse_search
from quotegraph.textnorm import fold

# In the order of QuoteRow's fields: _quote_row relies on it.
_QUOTE_COLUMNS = """
    q.id, a.id, a.external_id, a.title, a.url, a.published, q.text, q.start, q."end", q.kind, q.act,
    q.confidence, q.speaker_name,
    CASE WHEN q.speaker_start IS NULL THEN NULL
         ELSE substr(a.text, q.speaker_start + 1, q.speaker_end - q.speaker_start) END,
    CASE WHEN q.cue_start IS NULL THEN NULL ELSE substr(a.text, q.cue_start + 1, q.cue_end - q.cue_start) END,
    q.nested_in, q.inferred,
    CASE WHEN q.topic_start IS NULL THEN NULL
         ELSE substr(a.text, q.topic_start + 1, q.topic_end - q.topic_start) END,
    a.outlet, a.published_inferred, a.source
"""
_FROM = "FROM quotes q JOIN articles a ON a.id = q.article_id"
_BY_DATE = ("a.published IS NULL", "a.published DESC", "a.id", "q.position")
_ORDERS = {"date": _BY_DATE, "oldest": ("a.published IS NULL", "a.published", "a.id", "q.position")}

# What the speakers' counts add up, as the quote lists show by default: speech and writing, not
# beliefs ("she thinks ..."). Relays and who talks about whom take a QuoteFilter, whose acts default alike.
_SHOWN = "{}.act IN (" + ", ".join(f"'{act}'" for act in DEFAULT_ACTS) + ")"

# A quote's speaker: its name, its last words (surname), or an alias of its entity, on indexed keys.
# Parameters: key, surname, "% key" (LIKE), key, surname, "% key", key.
_KEYS_PER_QUERY = 500  # well under either database's limit on parameters
_FACETS = ("speaker", "outlet", "year", "kind", "act")

_SPEAKER_FILTER = r"""(
    q.speaker_key = ? OR (q.speaker_surname = ? AND q.speaker_key LIKE ? ESCAPE '\')
    OR q.speaker_entity_id IN (
        SELECT id FROM entities WHERE name_key = ? OR (surname_key = ? AND name_key LIKE ? ESCAPE '\')
        UNION SELECT entity_id FROM entity_aliases WHERE alias_key = ?
    )
)"""


@dataclass(frozen=True, slots=True)
class _Selection:
    """The SQL of a quote filter: FROM (with any join search needs), WHERE (with a leading space, or
    empty), their parameters, and the terms of its sort's ORDER BY with their own parameters."""

    source: str
    where: str
    params: list[object]
    order: tuple[str, ...]  # "expression" or "expression DESC"
    order_params: list[object]

    def also(self, condition: str) -> str:
        """The WHERE clause with one more condition."""
        return f"{self.where} AND {condition}" if self.where else f" WHERE {condition}"

    def order_by(self) -> str:
        return " ORDER BY " + ", ".join(self.order)

    def ranked_page(self) -> tuple[str, list[object]]:
        """SQL for one page of the matches' ids in order, each beside the count of all matches (its
        parameters: LIMIT and OFFSET). The matches are gathered first, with their sort keys, and
        only then sorted for the page: given the whole as "ORDER BY ... LIMIT", PostgreSQL walked
        every article in date order testing its quotes (240-290 ms a search at 200,000 quotes)."""
        keys = [term.removesuffix(" DESC") for term in self.order]
        chosen = ", ".join(f"{key} AS k{n}" for n, key in enumerate(keys))
        by_keys = ", ".join(
            f"k{n}" + (" DESC" if term.endswith(" DESC") else "") for n, term in enumerate(self.order)
        )
        return (
            f"WITH matched AS MATERIALIZED (SELECT q.id AS id, {chosen} {self.source}{self.where}) "
            f"SELECT id, (SELECT count(*) FROM matched) FROM matched ORDER BY {by_keys} LIMIT ? OFFSET ?",
            [*self.order_params, *self.params],
        )


class QuoteQueries:
    """Quotes newest article first, and the speakers, relays and subjects they make."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def quotes(self, selected: QuoteFilter) -> list[QuoteRow]:
        """The quotes the filter keeps in its order (newest article first, undated last, in article
        order within one; or oldest first; or the best matches of the search words first)."""
        found = _selection(self.db, selected)
        if found is None:
            return []
        if selected.limit is None:  # SQLite takes OFFSET only after a LIMIT and PostgreSQL no LIMIT -1
            head = f"{found.source}{found.where}{found.order_by()}"
            rows = self.db.execute(f"SELECT {_QUOTE_COLUMNS} {head}", [*found.params, *found.order_params])
            return [_quote_row(row) for row in rows[selected.offset :]]
        return self.page(selected)[0]

    def page(self, selected: QuoteFilter) -> tuple[list[QuoteRow], int]:
        """One page of the quotes the filter keeps (its limit, or every match) and how many it keeps
        in all, from one pass over the matches (a count beside the sort) where a page has rows."""
        found = _selection(self.db, selected)
        if found is None:
            return [], 0
        if selected.limit is None:
            every = self.quotes(selected)
            return every, len(every) + selected.offset
        # The ids first, on narrow rows beside the count of all, then the full rows (article text
        # included) of those only.
        sql, params = found.ranked_page()
        ranked = self.db.execute(sql, [*params, selected.limit, selected.offset])
        if not ranked:
            return [], self.count_quotes(selected) if selected.offset else 0
        ids = [row[0] for row in ranked]
        place = {quote_id: n for n, quote_id in enumerate(ids)}
        rows = self.db.execute(
            f"SELECT {_QUOTE_COLUMNS} {_FROM} WHERE q.id IN ({', '.join('?' * len(ids))})", ids
        )
        return sorted(map(_quote_row, rows), key=lambda row: place[row.quote_id]), int(ranked[0][1])

    def count_quotes(self, selected: QuoteFilter) -> int:
        """How many quotes the filter keeps, whatever its limit and offset: the total behind a page."""
        found = _selection(self.db, selected)
        if found is None:
            return 0
        return int(self.db.execute(f"SELECT count(*) {found.source}{found.where}", found.params)[0][0])

    def facets(self, selected: QuoteFilter, *, top: int = 10) -> dict[str, list[FacetCount]]:
        """Counts of the quotes the filter keeps by speaker (canonical entity), outlet, year of
        publication, kind and speech act, largest first (years newest first), ``top`` of each.

        The matches are gathered once, then counted by each facet in turn; a speaker's canonical
        entity is looked up once per speaker, not once per quote (that join, over every match of a
        common word, was most of a facet request's time on PostgreSQL)."""
        found = _selection(self.db, selected)
        if found is None:
            return {name: [] for name in _FACETS}
        others = "".join(
            f" UNION ALL SELECT '{facet}', {facet}, NULL, NULL, count(*) FROM matched"
            f" WHERE {facet} IS NOT NULL GROUP BY {facet}"
            for facet in _FACETS[1:]
        )
        speaker = "coalesce(l.canonical_id, s.speaker)"
        rows = self.db.execute(
            "WITH matched AS MATERIALIZED (SELECT q.speaker_entity_id AS entity, q.speaker_key AS speaker, "
            "q.speaker_name AS name, a.outlet AS outlet, substr(a.published, 1, 4) AS year, "
            f"q.kind AS kind, q.act AS act {found.source}{found.where}), "
            "speakers AS (SELECT entity, speaker, min(name) AS name, count(*) AS n FROM matched "
            "GROUP BY entity, speaker) "
            f"SELECT 'speaker', {speaker}, min(l.canonical_id), min(coalesce(c.name, s.name)), sum(s.n) "
            "FROM speakers s LEFT JOIN entity_links l ON l.entity_id = s.entity "
            "LEFT JOIN canonical_entities c ON c.id = l.canonical_id "
            f"WHERE {speaker} IS NOT NULL GROUP BY {speaker}{others}",
            found.params,
        )
        counts: dict[str, Counter[str]] = {name: Counter() for name in _FACETS}
        speakers: dict[str, tuple[str | None, str]] = {}  # key -> (canonical id, the smallest name)
        for facet, key, canonical, name, n in rows:
            counts[facet][key] = int(n)
            if facet == "speaker":
                speakers[key] = (canonical, name)

        def largest(facet: str) -> list[tuple[str, int]]:
            items = counts[facet].items()
            ranked = (
                sorted(items, reverse=True) if facet == "year" else sorted(items, key=lambda i: (-i[1], i[0]))
            )
            return ranked[:top]

        return {
            "speaker": [
                FacetCount(name, n, {"speaker_id": canonical} if canonical else {"speaker": name})
                for canonical, name, n, _ in sorted(
                    ((*speakers[key], n, key) for key, n in counts["speaker"].items()),
                    key=lambda s: (-s[2], s[1], s[3]),
                )[:top]
            ],
            "outlet": [FacetCount(outlet, n, {"outlet": outlet}) for outlet, n in largest("outlet")],
            "year": [FacetCount(year, n, {"since": year, "until": year}) for year, n in largest("year")],
            "kind": [FacetCount(kind, n, {"kind": kind}) for kind, n in largest("kind")],
            "act": [FacetCount(act, n, {"acts": act}) for act, n in largest("act")],
        }

    def speakers(self) -> list[SpeakerRow]:
        """Speakers as canonical entities across articles (Massoud and Masoud in two articles are one
        row); a speaker of a kind not linked across articles (a group) by its folded name."""
        speaker_of = (
            "FROM quotes q JOIN entities e ON e.id = q.speaker_entity_id "
            "LEFT JOIN entity_links l ON l.entity_id = e.id LEFT JOIN canonical_entities c ON c.id = l.canonical_id "
            f"WHERE {_SHOWN.format('q')}"
        )
        rows = self.db.execute(
            "SELECT coalesce(l.canonical_id, e.name_key), min(coalesce(c.name, e.name)), "
            f"min(coalesce(c.kind, e.kind)), count(q.id), count(DISTINCT q.article_id) {speaker_of} "
            "GROUP BY 1 ORDER BY 4 DESC, 2"
        )
        names: dict[str, set[str]] = {}
        for key, name in self.db.execute(
            f"SELECT DISTINCT coalesce(l.canonical_id, e.name_key), e.name {speaker_of}"
        ):
            names.setdefault(key, set()).add(name)
        aliases = self.speaker_aliases()
        return [
            SpeakerRow(
                name,
                kind,
                _other_than(name, kind, names.get(key, set()), aliases),
                quote_count,
                article_count,
            )
            for key, name, kind, quote_count, article_count in rows
        ]

    def relays(self, selected: QuoteFilter) -> list[RelayRow]:
        """Who quotes whose words, most often first, among the relaying quotes the filter keeps: as
        canonical entities, as ``speakers`` names them; nobody relays themself."""
        found = _selection(self.db, selected)
        if found is None:
            return []
        outer_key, outer_name, outer_join = _canonical("oe", "q.speaker_entity_id", "q.speaker_name")
        inner_key, inner_name, inner_join = _canonical(
            "ie", "inner_quote.speaker_entity_id", "inner_quote.speaker_name"
        )
        apart = f"({outer_key} IS NULL OR {inner_key} IS NULL OR {outer_key} <> {inner_key})"
        rows = self.db.execute(
            f"SELECT min({outer_name}), min({inner_name}), count(*) {found.source} "
            f"JOIN quotes inner_quote ON inner_quote.nested_in = q.id {outer_join} {inner_join}"
            f"{found.also(apart)} "
            f"GROUP BY {outer_key}, {inner_key} ORDER BY 3 DESC, 1 NULLS FIRST, 2 NULLS FIRST",
            found.params,
        )
        return [RelayRow(relayer, source, count) for relayer, source, count in rows]

    def timeline(self, selected: QuoteFilter) -> list[tuple[str, int]]:
        """How many of the quotes the filter keeps each publication date has, oldest first; undated
        quotes are not counted."""
        found = _selection(self.db, selected)
        if found is None:
            return []
        rows = self.db.execute(
            f"SELECT a.published, count(*) {found.source}{found.also('a.published IS NOT NULL')} "
            "GROUP BY a.published ORDER BY a.published",
            found.params,
        )
        return [(str(day), int(n)) for day, n in rows]

    def latest(self, articles: int) -> list[QuoteRow]:
        """The most confident quote of each of the ``articles`` newest articles that have quotes: a
        spread of articles, where the newest quotes could all come from one long transcript."""
        newest = self.db.execute(
            "SELECT a.id FROM articles a WHERE EXISTS (SELECT 1 FROM quotes q WHERE q.article_id = a.id) "
            "ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ?",
            (articles,),
        )
        if not newest:
            return []
        ids = [row[0] for row in newest]
        best = self.db.execute(
            f"SELECT q.article_id, q.id FROM quotes q WHERE q.article_id IN ({', '.join('?' * len(ids))}) "
            "ORDER BY q.article_id, q.nested_in IS NOT NULL, q.confidence DESC, q.position",
            ids,
        )
        first: dict[str, int] = {}
        for article_id, quote_id in best:
            first.setdefault(article_id, quote_id)
        rows = {row.article_id: row for row in map(self.quote, first.values()) if row is not None}
        return [rows[article_id] for article_id in ids if article_id in rows]

    def speaker_aliases(self, names: Collection[str] | None = None) -> dict[str, list[str]]:
        """Name -> every alias stored for entities of exactly that name; of ``names`` only, if given
        (looked up on the indexed folded key, a few hundred at a time)."""
        joined = "SELECT DISTINCT e.name, e.kind, al.alias FROM entity_aliases al JOIN entities e ON e.id = al.entity_id"
        if names is None:
            found = self.db.execute(f"{joined} ORDER BY 1, 2")
        else:
            keys = sorted({key for key, _ in map(name_keys, names) if key})
            found = []
            for start in range(0, len(keys), _KEYS_PER_QUERY):
                chunk = keys[start : start + _KEYS_PER_QUERY]
                found += self.db.execute(
                    f"{joined} WHERE e.name_key IN ({', '.join('?' * len(chunk))}) ORDER BY 1, 2", chunk
                )
        wanted = None if names is None else set(names)
        aliases: dict[str, list[str]] = {}
        for name, kind, alias in found:
            # a database written before roles were kept apart holds descriptions as aliases: names only
            if (wanted is None or name in wanted) and is_name_of(fold(alias), fold(name), kind):
                aliases.setdefault(name, []).append(alias)
        return aliases

    def quote(self, quote_id: int) -> QuoteRow | None:
        """One quote by its id (``QuoteRow.quote_id``)."""
        rows = self.db.execute(
            f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.id = ?",
            (quote_id,),
        )
        return _quote_row(rows[0]) if rows else None

    def talks_about(self, selected: QuoteFilter) -> list[TalksAboutRow]:
        """Mentions of a person or org other than the speaker inside the quote's words or its topic,
        among the quotes the filter keeps: as canonical entities, never one about itself."""
        found = _selection(self.db, selected)
        if found is None:
            return []
        speaker_key, speaker_name, speaker_join = _canonical("s", "q.speaker_entity_id", required=True)
        subject_key, subject_name, subject_join = _canonical("e", "m.entity_id", required=True)
        named = f"e.kind IN ('person', 'org') AND {subject_key} <> {speaker_key}"
        rows = self.db.execute(
            f"SELECT min({speaker_name}), min({subject_name}), min(e.kind), count(DISTINCT q.id) "
            f"{found.source} {speaker_join} "
            f"JOIN mentions m ON m.article_id = q.article_id AND {about_quote('m')} {subject_join}"
            f"{found.also(named)} "
            f"GROUP BY {speaker_key}, {subject_key} ORDER BY 4 DESC, 1, 2",
            found.params,
        )
        return [TalksAboutRow(*row) for row in rows]


def _selection(db: Database, f: QuoteFilter) -> _Selection | None:
    """The SQL for the quote filters; None when nothing can match (a speaker or search of
    punctuation only)."""
    where: list[str] = []
    params: list[object] = []
    source = _FROM
    order: tuple[str, ...] = _ORDERS["oldest" if f.sort == "oldest" else "date"]
    order_params: list[object] = []
    if f.search is not None:
        search = parse_search(f.search)
        if search is None:
            return None
        sql = db.search_sql(search)
        if sql.join:
            source += " " + sql.join
        if sql.where:
            where.append(sql.where)
        params += sql.params
        if f.sort == "relevance":
            order, order_params = (f"{sql.score} DESC", *_BY_DATE), sql.score_params
    if f.speaker:
        key, surname = name_keys(f.speaker)
        if not key:
            return None
        pattern = "% " + like_escape(key)
        # and under any name their canonical entity goes by ("Massoud" finds the "Masoud" of another article)
        meant = canonical_ids(db, f.speaker)
        under_any_name = db.in_rows(
            "q.speaker_entity_id",
            f"SELECT entity_id FROM entity_links WHERE canonical_id IN ({', '.join('?' * len(meant))})",
        )
        where.append(f"({_SPEAKER_FILTER} OR {under_any_name})" if meant else _SPEAKER_FILTER)
        params += [key, surname, pattern, key, surname, pattern, key, *meant]
    if f.speaker_id:  # quotes by a canonical entity, in whichever article and under whichever name
        where.append(
            db.in_rows("q.speaker_entity_id", "SELECT entity_id FROM entity_links WHERE canonical_id = ?")
        )
        params.append(f.speaker_id)
    if f.relayed_by:
        where.append(db.in_rows("q.nested_in", "SELECT id FROM quotes WHERE speaker_key = ?"))
        params.append(fold(f.relayed_by))
    if f.outlet:
        where.append("a.outlet = ?")
        params.append(f.outlet)
    dated, dates = published_between(f)
    where += dated
    params += dates
    if f.min_confidence is not None:
        where.append("q.confidence >= ?")
        params.append(f.min_confidence)
    if f.from_ or f.to:
        where.append(
            f"EXISTS (SELECT 1 FROM dates d WHERE d.article_id = q.article_id AND {about_quote('d')} "
            "AND date_in(d.value, ?, ?))"
        )
        params += [f.from_, f.to]
    if (
        f.place
    ):  # named inside the quote's words: by the gazetteer's name, the words used, or ISO country code
        where.append(
            f"EXISTS (SELECT 1 FROM places p WHERE p.article_id = q.article_id AND {about_quote('p')} "
            "AND (p.name_key = ? OR p.words_key = ? OR p.country = ?)"
            + ("" if f.demonyms else " AND p.demonym = 0")
            + ")"
        )
        params += [fold(f.place), fold(f.place), f.place.upper() if len(f.place) == 2 else None]
    if f.kind:
        where.append("q.kind = ?")
        params.append(f.kind)
    if set(f.acts) != set(SPEECH_ACTS):
        where.append(f"q.act IN ({', '.join('?' * len(f.acts))})")
        params += f.acts
    if f.about:
        clause, values = about_filter(db, f.about, demonyms=f.demonyms)
        where.append(clause)
        params += values
    if f.event is not None:  # the statements about the event, in whichever of its reports' articles
        where.append(
            db.in_rows(
                "q.id",
                "SELECT s.quote_id FROM event_statements s JOIN events e ON e.id = s.event_id "
                "WHERE e.canonical_id = ?",
            )
        )
        params.append(f.event)
    return _Selection(
        source,
        " WHERE " + " AND ".join(where) if where else "",
        params,
        order,
        order_params,
    )


def published_between(f: QuoteFilter) -> tuple[list[str], list[object]]:
    """Conditions on article ``a`` for the filter's publication dates (since, until), with parameters."""
    where: list[str] = []
    params: list[object] = []
    if f.since:  # "2023-05-01" >= "2023-05": plain string order works for partial dates
        where.append("a.published >= ?")
        params.append(f.since)
    if f.until:  # compare only as many characters as given, so "2023-05" includes every day of May
        where.append("substr(a.published, 1, ?) <= ?")
        params += [len(f.until), f.until]
    return where, params


def _canonical(
    alias: str, entity_id: str, fallback: str | None = None, *, required: bool = False
) -> tuple[str, str, str]:
    """SQL for the canonical entity of the article entity ``entity_id``: its key (the canonical id,
    else the entity's folded name, else ``fallback``), its name, and the joins that give them
    (entities ``alias``, inner where ``required``, its link and canonical entity)."""
    link, canonical = f"{alias}_link", f"{alias}_canonical"
    joins = (
        f"{'JOIN' if required else 'LEFT JOIN'} entities {alias} ON {alias}.id = {entity_id} "
        f"LEFT JOIN entity_links {link} ON {link}.entity_id = {alias}.id "
        f"LEFT JOIN canonical_entities {canonical} ON {canonical}.id = {link}.canonical_id"
    )
    tail = f", {fallback}" if fallback else ""
    key = f"coalesce({link}.canonical_id, {alias}.name_key{tail})"
    name = f"coalesce({canonical}.name, {alias}.name{tail})"
    return key, name, joins


def _other_than(name: str, kind: str, names: set[str], aliases: dict[str, list[str]]) -> list[str]:
    """The names and aliases of a speaker's article entities that are its names, except its
    canonical name in any case."""
    others = names | {alias for n in names for alias in aliases.get(n, [])}
    return sorted(
        other for other in others if fold(other) != fold(name) and is_name_of(fold(other), fold(name), kind)
    )


_INFERRED = [f.name for f in fields(QuoteRow)].index("inferred")


def _quote_row(row: Sequence[Any]) -> QuoteRow:
    values = list(row)
    values[_INFERRED] = bool(values[_INFERRED])  # stored as 0 or 1
    return QuoteRow(*values)
