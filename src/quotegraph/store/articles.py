"""Reading articles back: one article with all its records (events too), its copies, counts, failures,
flagged dates."""

from __future__ import annotations

import json
import re
from collections import defaultdict

from quotegraph.model import (
    Article,
    CharSpan,
    Count,
    DateMention,
    Entity,
    Event,
    IngestFailure,
    Mention,
    Participant,
    Place,
    Quote,
)
from quotegraph.store.base import ArticleCopy, FlaggedDateRow
from quotegraph.store.database import Database

_HASH_PREFIX = re.compile(r"[0-9a-f]{6,64}")


class ArticleQueries:
    """Articles as stored, by content hash, hash prefix or external id."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def has_article(self, content_hash: str) -> bool:
        return bool(self.db.execute("SELECT 1 FROM articles WHERE id = ?", (content_hash,)))

    def quote_ids(self, content_hash: str) -> list[int]:
        """The ids of an article's quotes (their permanent addresses), in ``Article.quotes`` order."""
        rows = self.db.execute(
            "SELECT id FROM quotes WHERE article_id = ? ORDER BY position", (content_hash,)
        )
        return [int(row[0]) for row in rows]

    def articles_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles")[0][0])

    def failures(self) -> list[IngestFailure]:
        rows = self.db.execute("SELECT source, reason FROM ingest_errors ORDER BY id")
        return [IngestFailure(source, reason) for source, reason in rows]

    def copies(self, content_hash: str) -> list[ArticleCopy]:
        rows = self.db.execute(
            "SELECT article_id, content_hash, external_id, url, title, source, published, site_name, exact, "
            "similarity FROM article_copies WHERE article_id = ? ORDER BY similarity DESC, external_id",
            (content_hash,),
        )
        return [
            ArticleCopy(of, digest, ext, url, title, source, published, site, bool(exact), similarity)
            for of, digest, ext, url, title, source, published, site, exact, similarity in rows
        ]

    def flagged_dates(self) -> list[FlaggedDateRow]:
        rows = self.db.execute(
            'SELECT a.id, a.external_id, a.title, a.text, d.start, d."end", d.text, d.value, d.flag '
            "FROM dates d JOIN articles a ON a.id = d.article_id WHERE d.flag IS NOT NULL "
            "ORDER BY a.published IS NULL, a.published DESC, a.id, d.start"
        )
        return [
            FlaggedDateRow(
                digest, external_id, title, words, load_date_value(value), flag, sentence(text, start, end)
            )
            for digest, external_id, title, text, start, end, words, value, flag in rows
        ]

    def article(self, ref: str) -> Article | None:
        """By content hash, external id (the newest if re-used), or a unique hash prefix."""
        ref = ref.strip()
        rows = self.db.execute(
            "SELECT id FROM articles WHERE id = ? OR external_id = ? "
            "ORDER BY id = ? DESC, ingested_at DESC, rowid DESC LIMIT 1",
            (ref, ref, ref),
        )
        prefix = ref.lower()
        if not rows and _HASH_PREFIX.fullmatch(prefix):
            # a range on the primary key: hex digits all sort below "g"
            rows = self.db.execute(
                "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "g")
            )
            rows = rows if len(rows) == 1 else []
        return self._load(rows[0][0]) if rows else None

    def _load(self, digest: str) -> Article:
        (
            external_id, title, url, published, language, author, site_name, source, text, inferred,
            evidence_start, evidence_end,
        ) = self.db.execute(
            "SELECT external_id, title, url, published, language, author, site_name, source, text, "
            "published_inferred, published_evidence_start, published_evidence_end FROM articles WHERE id = ?",
            (digest,),
        )[0]  # fmt: skip
        entity_rows = self.db.execute(
            "SELECT id, name, kind FROM entities WHERE article_id = ? ORDER BY position", (digest,)
        )
        entity_index = {row[0]: n for n, row in enumerate(entity_rows)}
        aliases: dict[int, list[str]] = {}
        for entity_id, alias in self.db.execute(
            "SELECT al.entity_id, al.alias FROM entity_aliases al JOIN entities e ON e.id = al.entity_id "
            "WHERE e.article_id = ? ORDER BY al.rowid",
            (digest,),
        ):
            aliases.setdefault(entity_id, []).append(alias)
        entities = [Entity(name, kind, aliases.get(i, [])) for i, name, kind in entity_rows]
        mentions = [
            Mention(CharSpan(start, end), mention_text, label, entity_index.get(entity_id))
            for start, end, mention_text, label, entity_id in self.db.execute(
                'SELECT start, "end", text, label, entity_id FROM mentions WHERE article_id = ? ORDER BY id',
                (digest,),
            )
        ]
        quote_rows = self.db.execute(
            'SELECT id, start, "end", kind, act, confidence, cue_start, cue_end, speaker_start, speaker_end, '
            "speaker_name, speaker_entity_id, nested_in, inferred, topic_start, topic_end FROM quotes "
            "WHERE article_id = ? ORDER BY position",
            (digest,),
        )
        quote_index = {row[0]: n for n, row in enumerate(quote_rows)}
        quotes = [
            Quote(
                content=CharSpan(start, end),
                kind=kind,
                cue=CharSpan(cue_start, cue_end) if cue_start is not None else None,
                speaker_mention=CharSpan(speaker_start, speaker_end) if speaker_start is not None else None,
                speaker=speaker,
                speaker_entity=entity_index.get(entity_id),
                act=act,
                confidence=confidence,
                nested_in=quote_index.get(nested),
                inferred=bool(inferred),
                topic=CharSpan(topic_start, topic_end) if topic_start is not None else None,
            )
            for (
                _,
                start,
                end,
                kind,
                act,
                confidence,
                cue_start,
                cue_end,
                speaker_start,
                speaker_end,
                speaker,
                entity_id,
                nested,
                inferred,
                topic_start,
                topic_end,
            ) in quote_rows
        ]
        dates = [
            DateMention(CharSpan(start, end), words, load_date_value(value), granularity, anchor, flag)
            for start, end, words, value, granularity, anchor, flag in self.db.execute(
                'SELECT start, "end", text, value, granularity, anchor, flag FROM dates '
                "WHERE article_id = ? ORDER BY id",
                (digest,),
            )
        ]
        place_rows = self.db.execute(
            'SELECT id, start, "end", name, kind, lat, lon, country, admin1, geonames_id, demonym FROM places '
            "WHERE article_id = ? ORDER BY id",
            (digest,),
        )
        places = [
            Place(CharSpan(start, end), name, kind, lat, lon, country, admin1, geonames_id, bool(demonym))
            for _, start, end, name, kind, lat, lon, country, admin1, geonames_id, demonym in place_rows
        ]
        place_index = {row[0]: n for n, row in enumerate(place_rows)}
        return Article(
            text=text,
            id=external_id,
            title=title,
            url=url,
            published=published,
            language=language,
            author=author,
            site_name=site_name,
            source=source,
            quotes=quotes,
            mentions=mentions,
            entities=entities,
            dates=dates,
            places=places,
            events=_events(self.db, digest, entity_index, place_index, places),
            published_inferred=inferred,
            published_evidence=CharSpan(evidence_start, evidence_end) if evidence_start is not None else None,
        )


def load_date_value(value: str) -> str | list[str]:
    """A stored date value: a JSON list of dates ("May 1 and 2") or a single one."""
    return list(json.loads(value)) if value.startswith("[") else value


_SENTENCE_END = re.compile(r"""[.!?]["'”’]?(?= )|\n""")


def sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``[start, end)``: out to the nearest ". " (a closing quote may follow the
    period) or line break on each side."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = _SENTENCE_END.search(text, end)
    return text[left : right.end() if right else len(text)].strip()


def _events(
    db: Database, digest: str, entity_index: dict[int, int], place_index: dict[int, int], places: list[Place]
) -> list[Event]:
    """An article's events as the model's records, in their order: what was stored, read back."""
    rows = db.execute(
        "SELECT id, trigger_start, trigger_end, sentence_start, sentence_end, type, acled_event_type, "
        "acled_sub_event_type, actor1_start, actor1_end, actor1_name, actor1_entity_id, actor2_start, actor2_end, "
        "actor2_name, actor2_entity_id, date, date_precision, date_start, date_end, fatalities, fatalities_start, "
        "fatalities_end, injured, injured_start, injured_end, size, size_start, size_end, modality, confidence "
        "FROM events WHERE article_id = ? ORDER BY position",
        (digest,),
    )
    if not rows:
        return []
    marks = ", ".join("?" * len(rows))
    ids = [row[0] for row in rows]
    event_places: dict[int, list[Place]] = defaultdict(list)
    for event_id, place_id in db.execute(
        f"SELECT event_id, place_id FROM event_places WHERE event_id IN ({marks}) ORDER BY event_id, position",
        ids,
    ):
        event_places[event_id].append(places[place_index[place_id]])
    mentions: dict[int, list[CharSpan]] = defaultdict(list)
    for event_id, start, end in db.execute(
        f'SELECT event_id, start, "end" FROM event_mentions WHERE event_id IN ({marks}) ORDER BY event_id, position',
        ids,
    ):
        mentions[event_id].append(CharSpan(start, end))
    events = []
    for (event_id, t0, t1, s0, s1, kind, acled, acled_sub, a0, a1, name1, entity1, b0, b1, name2, entity2,
         value, precision, d0, d1, f, f0, f1, i, i0, i1, n, n0, n1, modality, confidence) in rows:  # fmt: skip
        events.append(
            Event(
                trigger=CharSpan(t0, t1),
                sentence=CharSpan(s0, s1),
                type=kind,
                acled_event_type=acled,
                acled_sub_event_type=acled_sub,
                actor1=Participant(CharSpan(a0, a1), name1, entity_index.get(entity1))
                if a0 is not None
                else None,
                actor2=Participant(CharSpan(b0, b1), name2, entity_index.get(entity2))
                if b0 is not None
                else None,
                places=event_places[event_id],
                date=load_date_value(value) if value is not None else None,
                date_precision=precision,
                date_span=CharSpan(d0, d1) if d0 is not None else None,
                fatalities=Count(f, CharSpan(f0, f1)) if f is not None else None,
                injured=Count(i, CharSpan(i0, i1)) if i is not None else None,
                size=Count(n, CharSpan(n0, n1)) if n is not None else None,
                modality=modality,
                confidence=float(confidence),
                mentions=mentions[event_id],
            )
        )
    return events
