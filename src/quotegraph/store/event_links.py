"""Writing events: an article's events in its transaction, each linked to the event across articles it
reports (resolve/events.py decides which, and why), with the quotes about it; and the user's merges
and splits of events, recorded.

The event tables (migration 12): ``events`` (one row per report: an article's event, with its spans),
``event_places`` and ``event_mentions``, ``canonical_events`` (one row per event across articles),
``event_statements`` (the quotes about a report, with the reason) and ``event_decisions``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from quotegraph.errors import StoreError
from quotegraph.model import Article, Count, Event, Participant, Place
from quotegraph.resolve.events import (
    FIRST_REPORT,
    MAX_PERIOD,
    MERGEABLE,
    REPORT_WINDOW,
    PlaceFacts,
    ReportFacts,
    days_of,
    place_facts,
    same_event,
    statements,
    stored_date,
)
from quotegraph.store.canonical import now
from quotegraph.store.database import Database
from quotegraph.textnorm import fold

# Writers linking events take this lock in turn (PostgreSQL; SQLite's write lock already serializes
# them), so two reports of one event stored at once still find each other.
_EVENT_LINKS_LOCK = 0x6576_656E_746C_6E6B
_IDS_PER_QUERY = 500

# Actors of an article: entity index -> (key, name shown, linked across articles)
_Actors = dict[int, tuple[str, str, bool]]


def add_events(
    db: Database,
    article: Article,
    digest: str,
    entity_ids: list[int],
    quote_ids: list[int],
    place_ids: list[int],
) -> None:
    """The article's events, each linked to the stored event it reports (or a new one), and the quotes
    about them; inside the article's transaction."""
    if not article.events:
        return
    db.lock(_EVENT_LINKS_LOCK)
    actors = _article_actors(db, article, entity_ids)
    claimed: set[int] = set()  # an event across articles takes one report of each article
    event_ids: list[int] = []
    for position, event in enumerate(article.events):
        facts = ReportFacts(
            event.type,
            event.modality,
            event.date,
            event.date_span is None,
            place_facts(event.places),
            *_keys([event.actor1, event.actor2], actors),
        )
        found = _best_match(db, digest, facts, claimed)
        canonical, reason = found if found is not None else (_new_event(db), FIRST_REPORT)
        claimed.add(canonical)
        event_ids.append(
            db.insert_id(
                f"INSERT INTO events ({_COLUMNS}) VALUES ({_MARKS}) RETURNING id",
                _row(event, article, digest, position, canonical, reason, entity_ids),
            )
        )
        db.executemany(
            "INSERT INTO event_places (event_id, position, place_id) VALUES (?, ?, ?)",
            [(event_ids[-1], n, place_ids[_place_index(article, p)]) for n, p in enumerate(event.places)],
        )
        db.executemany(
            'INSERT INTO event_mentions (event_id, position, start, "end") VALUES (?, ?, ?, ?)',
            [(event_ids[-1], n, m.start, m.end) for n, m in enumerate(event.mentions)],
        )
    db.executemany(
        "INSERT INTO event_statements (event_id, quote_id, reason) VALUES (?, ?, ?)",
        [(event_ids[s.event], quote_ids[s.quote], s.reason) for s in statements(article)],
    )


_COLUMNS = (
    "article_id, position, canonical_id, link_reason, type, acled_event_type, acled_sub_event_type, "
    "trigger_start, trigger_end, sentence_start, sentence_end, "
    "actor1_start, actor1_end, actor1_name, actor1_key, actor1_entity_id, "
    "actor2_start, actor2_end, actor2_name, actor2_key, actor2_entity_id, "
    "date, date_precision, date_start, date_end, date_first, date_last, "
    "fatalities, fatalities_start, fatalities_end, injured, injured_start, injured_end, "
    "size, size_start, size_end, modality, confidence"
)
_MARKS = ", ".join("?" * len(_COLUMNS.split(",")))


def _row(
    event: Event,
    article: Article,
    digest: str,
    position: int,
    canonical: int,
    reason: str,
    entity_ids: list[int],
) -> tuple[object, ...]:
    days = days_of(event.date)
    values: list[object] = [digest, position, canonical, reason, event.type, event.acled_event_type,
                            event.acled_sub_event_type, event.trigger.start, event.trigger.end,
                            event.sentence.start, event.sentence.end]  # fmt: skip
    for actor in (event.actor1, event.actor2):
        values += _actor_values(actor, entity_ids)
    values += [stored_date(event.date), event.date_precision, *_ends(event.date_span)]
    values += [day.isoformat() if day else None for day in (days or (None, None))]
    for count in (event.fatalities, event.injured, event.size):
        values += _count_values(count)
    return (*values, event.modality, event.confidence)


def _ends(span: Any) -> list[int | None]:
    return [span.start, span.end] if span is not None else [None, None]


def _actor_values(actor: Participant | None, entity_ids: list[int]) -> list[object]:
    if actor is None:
        return [None] * 5
    if actor.entity is not None and not 0 <= actor.entity < len(entity_ids):
        raise StoreError(f"an event's actor points at entity {actor.entity}, which the article does not have")
    entity = entity_ids[actor.entity] if actor.entity is not None else None
    return [actor.span.start, actor.span.end, actor.name, fold(actor.name), entity]


def _count_values(count: Count | None) -> list[object]:
    return [count.value, count.span.start, count.span.end] if count is not None else [None] * 3


def _place_index(article: Article, place: Place) -> int:
    """Where an event's place is in the article's places: the same record, or an equal one."""
    for n, candidate in enumerate(article.places):
        if candidate is place:
            return n
    try:
        return article.places.index(place)
    except ValueError:
        raise StoreError(f"an event's place {place.name!r} is not among its article's places") from None


def _new_event(db: Database) -> int:
    return db.insert_id("INSERT INTO canonical_events (created_at) VALUES (?) RETURNING id", (now(),))


# --- finding the stored event a report is of -----------------------------------------------------


def _article_actors(db: Database, article: Article, entity_ids: list[int]) -> _Actors:
    """Each event actor's entity as ``same_event`` compares it: its canonical entity where it is
    linked across articles, else its kind and folded name."""
    wanted = sorted(
        {p.entity for e in article.events for p in (e.actor1, e.actor2) if p is not None and p.entity is not None}
    )  # fmt: skip
    rows = db.execute(
        "SELECT l.entity_id, l.canonical_id, c.name FROM entity_links l "
        "JOIN canonical_entities c ON c.id = l.canonical_id "
        f"WHERE l.entity_id IN ({', '.join('?' * len(wanted))})",
        [entity_ids[i] for i in wanted if 0 <= i < len(entity_ids)],
    ) if wanted else []  # fmt: skip
    linked = {row_id: (str(canonical), str(name)) for row_id, canonical, name in rows}
    actors: _Actors = {}
    for index in wanted:
        if not 0 <= index < len(entity_ids):
            continue  # a dangling index: refused when the event's row is written
        entity = article.entities[index]
        if entity_ids[index] in linked:
            canonical, name = linked[entity_ids[index]]
            actors[index] = (canonical, name, True)
        else:
            actors[index] = (f"{entity.kind}:{fold(entity.name)}", entity.name, False)
    return actors


def _keys(participants: list[Participant | None], actors: _Actors) -> tuple[dict[str, str], frozenset[str]]:
    """The actors' keys and names, and which of them are linked across articles."""
    found = [actors[p.entity] for p in participants if p is not None and p.entity in actors]
    return {key: name for key, name, _ in found}, frozenset(key for key, _, linked in found if linked)


def _best_match(db: Database, digest: str, new: ReportFacts, claimed: set[int]) -> tuple[int, str] | None:
    """The stored event (from other articles) this report is of, with the evidence: of those that
    qualify, most ties first, then the earliest."""
    days = days_of(new.date)
    if new.modality not in MERGEABLE or days is None or days[1] - days[0] > MAX_PERIOD:
        return None
    first = days[0] - (REPORT_WINDOW if new.dated_by_report else timedelta(0))
    # a stored report's period is at most MAX_PERIOD and may reach REPORT_WINDOW back from its date
    candidates = db.execute(
        "SELECT id, canonical_id, type, modality, date, date_start IS NULL, actor1_entity_id, actor2_entity_id "
        "FROM events WHERE type = ? AND article_id <> ? AND modality IN ('happened', 'planned') "
        "AND date_first >= ? AND date_first <= ? AND date_last >= ?",
        (new.type, digest, _iso(first - MAX_PERIOD), _iso(days[1] + REPORT_WINDOW), _iso(first)),
    )
    candidates = [c for c in candidates if c[1] not in claimed]
    if not candidates:
        return None
    places = _places_of(db, [c[0] for c in candidates])
    actors = _stored_actors(db, [e for c in candidates for e in c[6:8] if e is not None])
    best: tuple[int, int, str] | None = None  # (-score, canonical, reason)
    for report_id, canonical, kind, modality, value, by_report, *entities in candidates:
        found = [actors[e] for e in entities if e in actors]
        known = ReportFacts(
            kind,
            modality,
            json.loads(value) if value.startswith("[") else value,
            bool(by_report),
            places.get(report_id, ()),
            {key: name for key, name, _ in found},
            frozenset(key for key, _, linked in found if linked),
        )
        match = same_event(new, known)
        if match is not None and (best is None or (-match.score, canonical) < best[:2]):
            best = (-match.score, canonical, match.reason)
    return (best[1], best[2]) if best is not None else None


def _iso(day: date) -> str:
    return day.isoformat()


def _places_of(db: Database, report_ids: Sequence[int]) -> dict[int, tuple[PlaceFacts, ...]]:
    found: dict[int, list[PlaceFacts]] = defaultdict(list)
    for chunk in _chunks(report_ids):
        for report_id, name, kind, lat, lon, country, admin1 in db.execute(
            "SELECT ep.event_id, p.name, p.kind, p.lat, p.lon, p.country, p.admin1 FROM event_places ep "
            f"JOIN places p ON p.id = ep.place_id WHERE ep.event_id IN ({', '.join('?' * len(chunk))}) "
            "ORDER BY ep.event_id, ep.position",
            chunk,
        ):
            found[report_id].append(PlaceFacts(name, kind, lat, lon, country, admin1))
    return {report_id: tuple(places) for report_id, places in found.items()}


def _stored_actors(db: Database, entity_rows: Sequence[int]) -> dict[int, tuple[str, str, bool]]:
    """Stored entity row -> (key, name, linked), as ``_article_actors`` makes them for a new article."""
    found: dict[int, tuple[str, str, bool]] = {}
    for chunk in _chunks(sorted(set(entity_rows))):
        for row_id, kind, name, canonical, canonical_name in db.execute(
            "SELECT e.id, e.kind, e.name, l.canonical_id, c.name FROM entities e "
            "LEFT JOIN entity_links l ON l.entity_id = e.id LEFT JOIN canonical_entities c ON c.id = l.canonical_id "
            f"WHERE e.id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ):
            found[row_id] = (
                (str(canonical), str(canonical_name), True)
                if canonical is not None
                else (f"{kind}:{fold(name)}", name, False)
            )
    return found


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[n : n + _IDS_PER_QUERY]) for n in range(0, len(ids), _IDS_PER_QUERY)]


# --- the user's corrections ------------------------------------------------------------------


def merge(db: Database, into: int, other: int) -> str:
    """Make event ``other`` part of ``into``: its reports move, with the decision as their reason."""
    with db.transaction():
        for event_id in (into, other):
            _must_exist(db, event_id)
        if into == other:
            raise StoreError(f"event {into} is one event already")
        reason = f"merged by hand: event {other} into event {into} on {now()[:10]}"
        moved = db.execute(
            "UPDATE events SET canonical_id = ?, link_reason = ? WHERE canonical_id = ? RETURNING id",
            (into, reason, other),
        )
        db.execute("DELETE FROM canonical_events WHERE id = ?", (other,))
        _record(db, "merge", {"into": into, "merged": other, "reports": sorted(r[0] for r in moved)})
    return f"merged event {other} into event {into}: {len(moved)} report{'s' * (len(moved) != 1)} moved"


def split(db: Database, event_id: int, article: str) -> str:
    """Make the reports of ``event_id`` in ``article`` (its id, content hash or a prefix of six or more)
    an event of their own."""
    with db.transaction():
        _must_exist(db, event_id)
        ref = article.strip()
        rows = db.execute(
            "SELECT e.id, a.id, a.external_id FROM events e JOIN articles a ON a.id = e.article_id "
            "WHERE e.canonical_id = ? ORDER BY e.id",
            (event_id,),
        )
        moving = [r[0] for r in rows if ref in (r[1], r[2]) or (len(ref) >= 6 and r[1].startswith(ref))]
        if not moving:
            raise StoreError(f"event {event_id} has no report in article {article!r}")
        if len(moving) == len(rows):
            raise StoreError(
                f"every report of event {event_id} is in article {article!r}: nothing would remain"
            )
        target = _new_event(db)
        reason = f"split by hand from event {event_id} on {now()[:10]}"
        db.execute(
            f"UPDATE events SET canonical_id = ?, link_reason = ? WHERE id IN ({', '.join('?' * len(moving))})",
            [target, reason, *moving],
        )
        _record(db, "split", {"from": event_id, "into": target, "article": article, "reports": moving})
    return f"split the report in {article} from event {event_id} into event {target}"


def _must_exist(db: Database, event_id: int) -> None:
    if not db.execute("SELECT 1 FROM canonical_events WHERE id = ?", (event_id,)):
        raise StoreError(f"no event {event_id}: `quotegraph events` lists them")


def _record(db: Database, action: str, detail: dict[str, object]) -> None:
    db.execute(
        "INSERT INTO event_decisions (action, detail, made_at) VALUES (?, ?, ?)",
        (action, json.dumps(detail, ensure_ascii=False), now()),
    )
