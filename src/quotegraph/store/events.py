"""Event queries: events across articles by any filter, one event with its reports and the quotes about it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from quotegraph.model import ACLED_TYPES, EVENT_TYPES
from quotegraph.store.articles import load_date_value
from quotegraph.store.base import (
    EventActor,
    EventCount,
    EventDetail,
    EventPlace,
    EventReport,
    EventRow,
    StatementRow,
)
from quotegraph.store.database import Database
from quotegraph.store.filters import EventFilter, QuoteFilter
from quotegraph.store.names import canonical_ids
from quotegraph.store.quotes import QuoteQueries
from quotegraph.textnorm import fold

_IDS_PER_QUERY = 500


def _words(start: str, end: str) -> str:
    """SQL: the article's words between two offset columns of ``e``, NULL when they are."""
    return (
        f"CASE WHEN e.{start} IS NULL THEN NULL ELSE substr(a.text, e.{start} + 1, e.{end} - e.{start}) END"
    )


# In the order _report reads them.
_REPORT_COLUMNS = ", ".join(
    [
        "e.id, e.canonical_id, e.link_reason, a.id, a.external_id, a.title, a.url, a.published, a.site_name",
        "e.type, e.acled_event_type, e.acled_sub_event_type",
        _words("trigger_start", "trigger_end"),
        "e.trigger_start, e.trigger_end",
        _words("sentence_start", "sentence_end"),
        "e.sentence_start, e.sentence_end",
        f"e.actor1_name, {_words('actor1_start', 'actor1_end')}, l1.canonical_id, c1.name, e.actor1_start, e.actor1_end",
        f"e.actor2_name, {_words('actor2_start', 'actor2_end')}, l2.canonical_id, c2.name, e.actor2_start, e.actor2_end",
        f"e.date, e.date_precision, {_words('date_start', 'date_end')}",
        f"e.fatalities, {_words('fatalities_start', 'fatalities_end')}",
        f"e.injured, {_words('injured_start', 'injured_end')}",
        f"e.size, {_words('size_start', 'size_end')}",
        "e.modality, e.confidence",
    ]
)
_REPORTS = (
    "FROM events e JOIN articles a ON a.id = e.article_id "
    "LEFT JOIN entity_links l1 ON l1.entity_id = e.actor1_entity_id "
    "LEFT JOIN canonical_entities c1 ON c1.id = l1.canonical_id "
    "LEFT JOIN entity_links l2 ON l2.entity_id = e.actor2_entity_id "
    "LEFT JOIN canonical_entities c2 ON c2.id = l2.canonical_id"
)


class EventQueries:
    """Events across articles, latest first, each with its reports (earliest first)."""

    def __init__(self, db: Database, quotes: QuoteQueries) -> None:
        self.db = db
        self.quotes = quotes

    def events(self, selected: EventFilter) -> list[EventRow]:
        where, params = self._where(selected)
        sql = (
            f"SELECT e.canonical_id FROM events e{where} GROUP BY e.canonical_id "
            "ORDER BY max(e.date_last) IS NULL, max(e.date_last) DESC, e.canonical_id DESC"
        )
        if selected.limit is not None:  # SQLite takes OFFSET only after a LIMIT, PostgreSQL no LIMIT -1
            sql += " LIMIT ? OFFSET ?"
            params += [selected.limit, selected.offset]
            ids = [int(row[0]) for row in self.db.execute(sql, params)]
        else:
            ids = [int(row[0]) for row in self.db.execute(sql, params)][selected.offset :]
        return self._rows(ids)

    def count_events(self, selected: EventFilter) -> int:
        where, params = self._where(selected)
        return int(
            self.db.execute(f"SELECT count(DISTINCT e.canonical_id) FROM events e{where}", params)[0][0]
        )

    def event(self, event_id: int) -> EventDetail | None:
        rows = self._rows([event_id])
        if not rows:
            return None
        reasons = {
            int(quote_id): reason
            for quote_id, reason in self.db.execute(
                "SELECT s.quote_id, min(s.reason) FROM event_statements s JOIN events e ON e.id = s.event_id "
                "WHERE e.canonical_id = ? GROUP BY s.quote_id",
                (event_id,),
            )
        }
        quotes = self.quotes.quotes(QuoteFilter(event=event_id))
        return EventDetail(rows[0], [StatementRow(q, reasons[q.quote_id]) for q in quotes])

    def article_event_ids(self, content_hash: str) -> list[int]:
        rows = self.db.execute(
            "SELECT canonical_id FROM events WHERE article_id = ? ORDER BY position", (content_hash,)
        )
        return [int(row[0]) for row in rows]

    def _where(self, f: EventFilter) -> tuple[str, list[object]]:
        """The WHERE clause on ``e`` (with a leading space, or empty) and its parameters."""
        where: list[str] = []
        params: list[object] = []
        if f.type in EVENT_TYPES:
            where.append("e.type = ?")
        elif f.type in ACLED_TYPES:
            where.append("e.acled_event_type = ?")
        elif f.type is not None:
            where.append("e.acled_sub_event_type = ?")
        if f.type is not None:
            params.append(f.type)
        if f.actor:
            key = fold(f.actor)
            clauses = ["e.actor1_key = ?", "e.actor2_key = ?"]
            params += [key, key]
            ids = canonical_ids(self.db, f.actor)
            if ids:
                linked = (
                    f"SELECT entity_id FROM entity_links WHERE canonical_id IN ({', '.join('?' * len(ids))})"
                )
                clauses += [f"e.actor1_entity_id IN ({linked})", f"e.actor2_entity_id IN ({linked})"]
                params += [*ids, *ids]
            where.append("(" + " OR ".join(clauses) + ")")
        if f.place:
            where.append(
                "EXISTS (SELECT 1 FROM event_places ep JOIN places p ON p.id = ep.place_id "
                "WHERE ep.event_id = e.id AND (p.name_key = ? OR p.words_key = ? OR p.country = ?))"
            )
            params += [fold(f.place), fold(f.place), f.place.upper() if len(f.place) == 2 else None]
        if f.from_ or f.to:
            where.append("e.date IS NOT NULL AND date_in(e.date, ?, ?)")
            params += [f.from_, f.to]
        if f.modality:
            where.append("e.modality = ?")
            params.append(f.modality)
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def _rows(self, ids: Sequence[int]) -> list[EventRow]:
        """The events with these ids, in this order, each with every report."""
        reports: dict[int, list[EventReport]] = defaultdict(list)
        counts: dict[int, int] = {}
        for chunk in [list(ids[n : n + _IDS_PER_QUERY]) for n in range(0, len(ids), _IDS_PER_QUERY)]:
            marks = ", ".join("?" * len(chunk))
            found = self.db.execute(
                f"SELECT {_REPORT_COLUMNS} {_REPORTS} WHERE e.canonical_id IN ({marks}) "
                "ORDER BY e.canonical_id, a.published IS NULL, a.published, e.id",
                chunk,
            )
            places = self._places([row[0] for row in found])
            for row in found:
                reports[int(row[1])].append(_report(row, places.get(row[0], [])))
            counts |= {
                int(canonical): int(n)
                for canonical, n in self.db.execute(
                    "SELECT e.canonical_id, count(DISTINCT s.quote_id) FROM event_statements s "
                    f"JOIN events e ON e.id = s.event_id WHERE e.canonical_id IN ({marks}) GROUP BY e.canonical_id",
                    chunk,
                )
            }
        return [_merged(i, reports[i], counts.get(i, 0)) for i in ids if reports[i]]

    def _places(self, report_ids: list[int]) -> dict[int, list[EventPlace]]:
        if not report_ids:
            return {}
        found: dict[int, list[EventPlace]] = defaultdict(list)
        for report_id, name, words, kind, lat, lon, country, start, end in self.db.execute(
            'SELECT ep.event_id, p.name, substr(a.text, p.start + 1, p."end" - p.start), p.kind, p.lat, p.lon, '
            'p.country, p.start, p."end" FROM event_places ep JOIN places p ON p.id = ep.place_id '
            "JOIN articles a ON a.id = p.article_id "
            f"WHERE ep.event_id IN ({', '.join('?' * len(report_ids))}) ORDER BY ep.event_id, ep.position",
            report_ids,
        ):
            found[report_id].append(EventPlace(name, words, kind, lat, lon, country, start, end))
        return found


def _report(row: Sequence[Any], places: list[EventPlace]) -> EventReport:
    (report_id, _, reason, article_id, external_id, title, url, published, site_name, kind, acled, acled_sub,
     trigger, trigger_start, trigger_end, sentence, sentence_start, sentence_end,
     name1, words1, canonical1, canonical_name1, start1, end1, name2, words2, canonical2, canonical_name2, start2, end2,
     value, precision, date_words, fatalities, fatalities_words, injured, injured_words, size, size_words,
     modality, confidence) = row  # fmt: skip
    return EventReport(
        report_id=int(report_id),
        article_id=article_id,
        external_id=external_id,
        title=title,
        url=url,
        published=published,
        site_name=site_name,
        type=kind,
        acled_event_type=acled,
        acled_sub_event_type=acled_sub,
        trigger=trigger,
        trigger_start=trigger_start,
        trigger_end=trigger_end,
        sentence=sentence,
        sentence_start=sentence_start,
        sentence_end=sentence_end,
        actor1=_actor(name1, words1, canonical1, canonical_name1, start1, end1),
        actor2=_actor(name2, words2, canonical2, canonical_name2, start2, end2),
        places=places,
        date=load_date_value(value) if value is not None else None,
        date_precision=precision,
        date_words=date_words,
        fatalities=EventCount(fatalities, fatalities_words) if fatalities is not None else None,
        injured=EventCount(injured, injured_words) if injured is not None else None,
        size=EventCount(size, size_words) if size is not None else None,
        modality=modality,
        confidence=float(confidence),
        reason=reason,
    )


def _actor(
    name: str | None,
    words: str | None,
    canonical: str | None,
    canonical_name: str | None,
    start: int,
    end: int,
) -> EventActor | None:
    if name is None or words is None:
        return None
    return EventActor(canonical_name or name, words, canonical, start, end)


def _merged(event_id: int, reports: list[EventReport], statements: int) -> EventRow:
    """The event's record: the earliest report's, completed from the later ones (see ``EventRow``)."""
    first = reports[0]
    dated = next((r for r in reports if r.date_words is not None), None) or next(
        (r for r in reports if r.date is not None), first
    )

    def lowest(name: str) -> EventCount | None:
        counts: list[EventCount] = [c for r in reports if (c := getattr(r, name)) is not None]
        return min(counts, key=lambda c: c.value, default=None)

    return EventRow(
        event_id=event_id,
        type=first.type,
        acled_event_type=first.acled_event_type,
        acled_sub_event_type=first.acled_sub_event_type,
        actor1=next((r.actor1 for r in reports if r.actor1 is not None), None),
        actor2=next((r.actor2 for r in reports if r.actor2 is not None), None),
        places=next((r.places for r in reports if r.places), []),
        date=dated.date,
        date_precision=dated.date_precision,
        fatalities=lowest("fatalities"),
        injured=lowest("injured"),
        size=lowest("size"),
        modality="happened" if any(r.modality == "happened" for r in reports) else first.modality,
        confidence=max(r.confidence for r in reports),
        reports=reports,
        statements=statements,
    )
