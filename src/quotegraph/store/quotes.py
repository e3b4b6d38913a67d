"""Quote queries: quotes by any filter, and what they add up to (speakers, relays, who talks about whom)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from quotegraph.resolve.canonical import is_name_of
from quotegraph.store.base import QuoteRow, RelayRow, SpeakerRow, TalksAboutRow
from quotegraph.store.database import Database
from quotegraph.store.filters import SPEECH_ACTS, QuoteFilter
from quotegraph.store.keys import about_quote, like_escape, name_keys
from quotegraph.store.names import about_filter
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
         ELSE substr(a.text, q.topic_start + 1, q.topic_end - q.topic_start) END
"""

# A quote's speaker: its name, its last words (surname), or an alias of its entity, on indexed keys.
# Parameters: key, surname, "% key" (LIKE), key, surname, "% key", key.
_KEYS_PER_QUERY = 500  # well under either database's limit on parameters

_SPEAKER_FILTER = r"""(
    q.speaker_key = ? OR (q.speaker_surname = ? AND q.speaker_key LIKE ? ESCAPE '\')
    OR q.speaker_entity_id IN (
        SELECT id FROM entities WHERE name_key = ? OR (surname_key = ? AND name_key LIKE ? ESCAPE '\')
        UNION SELECT entity_id FROM entity_aliases WHERE alias_key = ?
    )
)"""


class QuoteQueries:
    """Quotes newest article first, and the speakers, relays and subjects they make."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def quotes(self, selected: QuoteFilter) -> list[QuoteRow]:
        """The quotes the filter keeps, newest article first (undated last), in article order within one."""
        clause = self._where(selected)
        if clause is None:
            return []
        where, params = clause
        order = " ORDER BY a.published IS NULL, a.published DESC, a.id, q.position"
        source = "FROM quotes q JOIN articles a ON a.id = q.article_id"
        if selected.limit is None:  # SQLite takes OFFSET only after a LIMIT and PostgreSQL no LIMIT -1
            rows = self.db.execute(f"SELECT {_QUOTE_COLUMNS} {source}{where}{order}", params)
            return [_quote_row(row) for row in rows[selected.offset :]]
        # A page: the ids first, sorted on narrow rows, then the full rows (article text included) of those only
        ids = [
            row[0]
            for row in self.db.execute(
                f"SELECT q.id {source}{where}{order} LIMIT ? OFFSET ?",
                [*params, selected.limit, selected.offset],
            )
        ]
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.db.execute(f"SELECT {_QUOTE_COLUMNS} {source} WHERE q.id IN ({marks}){order}", ids)
        return [_quote_row(row) for row in rows]

    def count_quotes(self, selected: QuoteFilter) -> int:
        """How many quotes the filter keeps, whatever its limit and offset: the total behind a page."""
        clause = self._where(selected)
        if clause is None:
            return 0
        where, params = clause
        sql = f"SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id{where}"
        return int(self.db.execute(sql, params)[0][0])

    def _where(self, f: QuoteFilter) -> tuple[str, list[object]] | None:
        """The WHERE clause (with a leading space, or empty) and its parameters for the quote
        filters; None when nothing can match (a speaker or search of punctuation only)."""
        where: list[str] = []
        params: list[object] = []
        if f.speaker:
            key, surname = name_keys(f.speaker)
            if not key:
                return None
            pattern = "% " + like_escape(key)
            where.append(_SPEAKER_FILTER)
            params += [key, surname, pattern, key, surname, pattern, key]
        if f.speaker_id:  # quotes by a canonical entity, in whichever article and under whichever name
            where.append("q.speaker_entity_id IN (SELECT entity_id FROM entity_links WHERE canonical_id = ?)")
            params.append(f.speaker_id)
        if f.search is not None:
            match = self.db.search_filter(f.search)
            if match is None:
                return None
            where.append(match[0])
            params += match[1]
        if f.since:  # "2023-05-01" >= "2023-05": plain string order works for partial dates
            where.append("a.published >= ?")
            params.append(f.since)
        if f.until:  # compare only as many characters as given, so "2023-05" includes every day of May
            where.append("substr(a.published, 1, ?) <= ?")
            params += [len(f.until), f.until]
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
                "AND (p.name_key = ? OR p.words_key = ? OR p.country = ?))"
            )
            params += [fold(f.place), fold(f.place), f.place.upper() if len(f.place) == 2 else None]
        if f.kind:
            where.append("q.kind = ?")
            params.append(f.kind)
        if set(f.acts) != set(SPEECH_ACTS):
            where.append(f"q.act IN ({', '.join('?' * len(f.acts))})")
            params += f.acts
        if f.about:
            clause, values = about_filter(self.db, f.about)
            where.append(clause)
            params += values
        if f.event is not None:  # the statements about the event, in whichever of its reports' articles
            where.append(
                "q.id IN (SELECT s.quote_id FROM event_statements s JOIN events e ON e.id = s.event_id "
                "WHERE e.canonical_id = ?)"
            )
            params.append(f.event)
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def speakers(self) -> list[SpeakerRow]:
        """Speakers as canonical entities across articles (Massoud and Masoud in two articles are one
        row); a speaker of a kind not linked across articles (a group) by its folded name."""
        speaker_of = (
            "FROM quotes q JOIN entities e ON e.id = q.speaker_entity_id "
            "LEFT JOIN entity_links l ON l.entity_id = e.id LEFT JOIN canonical_entities c ON c.id = l.canonical_id"
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

    def relays(self) -> list[RelayRow]:
        """(relayer, source) as canonical entities, as ``speakers`` names them; nobody relays themself."""
        outer_key, outer_name, outer_join = _canonical("oe", "o.speaker_entity_id", "o.speaker_name")
        inner_key, inner_name, inner_join = _canonical("ie", "i.speaker_entity_id", "i.speaker_name")
        rows = self.db.execute(
            f"SELECT min({outer_name}), min({inner_name}), count(*) FROM quotes i "
            f"JOIN quotes o ON o.id = i.nested_in {outer_join} {inner_join} "
            f"WHERE {outer_key} IS NULL OR {inner_key} IS NULL OR {outer_key} <> {inner_key} "
            f"GROUP BY {outer_key}, {inner_key} ORDER BY 3 DESC, 1 NULLS FIRST, 2 NULLS FIRST"
        )
        return [RelayRow(relayer, source, count) for relayer, source, count in rows]

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

    def talks_about(self) -> list[TalksAboutRow]:
        """Mentions of a person or org other than the speaker inside the quote's words or its topic."""
        speaker_key, speaker_name, speaker_join = _canonical("s", "q.speaker_entity_id", required=True)
        subject_key, subject_name, subject_join = _canonical("e", "m.entity_id", required=True)
        rows = self.db.execute(
            f"SELECT min({speaker_name}), min({subject_name}), min(e.kind), count(DISTINCT q.id) FROM quotes q "
            f"JOIN mentions m ON m.article_id = q.article_id AND {about_quote('m')} "
            f"{speaker_join} {subject_join} "
            f"WHERE e.kind IN ('person', 'org') AND {subject_key} <> {speaker_key} "
            f"GROUP BY {speaker_key}, {subject_key} ORDER BY 4 DESC, 1, 2"
        )
        return [TalksAboutRow(*row) for row in rows]


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


def _quote_row(row: Sequence[Any]) -> QuoteRow:
    values = list(row)
    values[-2] = bool(values[-2])  # inferred is stored as 0 or 1
    return QuoteRow(*values)
