"""Reading articles back: one article with all its records, its copies, counts, failures, flagged dates."""

from __future__ import annotations

import json
import re

from quotegraph.model import Article, CharSpan, DateMention, Entity, IngestFailure, Mention, Place, Quote
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
        places = [
            Place(CharSpan(start, end), name, kind, lat, lon, country, admin1, geonames_id, bool(demonym))
            for start, end, name, kind, lat, lon, country, admin1, geonames_id, demonym in self.db.execute(
                'SELECT start, "end", name, kind, lat, lon, country, admin1, geonames_id, demonym FROM places '
                "WHERE article_id = ? ORDER BY id",
                (digest,),
            )
        ]
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
