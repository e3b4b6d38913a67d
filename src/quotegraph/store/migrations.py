"""Schema migrations, in order. Each is applied once and recorded in ``schema_migrations``.

Never edit a released migration: add a new one. Opening a database whose schema is newer
than this list is refused, so an old quotegraph cannot damage a newer database. These are
SQLite migrations (FTS5, triggers); a PostgreSQL store keeps its own list.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: SQL statements, or a function for steps SQL alone cannot express (data moves)."""

    version: int
    description: str
    change: str | Callable[[sqlite3.Connection], None]


MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "articles, entities, mentions, quotes with full-text search, ingest errors",
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,                 -- sha256 of the normalized text
            external_id TEXT NOT NULL,           -- the caller's id: JSONL id or file path
            title TEXT, url TEXT, published TEXT, language TEXT, author TEXT, site_name TEXT, source TEXT,
            text TEXT NOT NULL,                  -- exactly as extracted: every offset points into it
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX articles_external_id ON articles (external_id);
        CREATE INDEX articles_published ON articles (published);

        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,           -- index in Article.entities
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            UNIQUE (article_id, position)
        );
        CREATE INDEX entities_name ON entities (name COLLATE NOCASE);

        CREATE TABLE entity_aliases (
            entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            PRIMARY KEY (entity_id, alias)
        );
        CREATE INDEX entity_aliases_alias ON entity_aliases (alias COLLATE NOCASE);

        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            label TEXT NOT NULL,
            entity_id INTEGER REFERENCES entities (id) ON DELETE CASCADE,
            CHECK (0 <= start AND start <= end)
        );
        CREATE INDEX mentions_article ON mentions (article_id, start);

        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,           -- index in Article.quotes
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,                  -- article text[start:end], kept for search and listing
            kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect', 'mixed')),
            act TEXT NOT NULL CHECK (act IN ('speech', 'writing', 'thought')),
            confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
            cue_start INTEGER, cue_end INTEGER,
            speaker_start INTEGER, speaker_end INTEGER,
            speaker_name TEXT,
            speaker_entity_id INTEGER REFERENCES entities (id) ON DELETE CASCADE,
            nested_in INTEGER REFERENCES quotes (id) ON DELETE CASCADE,
            inferred INTEGER NOT NULL DEFAULT 0,
            UNIQUE (article_id, position),
            CHECK (0 <= start AND start < end)
        );
        CREATE INDEX quotes_speaker_entity ON quotes (speaker_entity_id);
        CREATE INDEX quotes_nested_in ON quotes (nested_in);

        CREATE VIRTUAL TABLE quotes_fts USING fts5 (
            text, content = 'quotes', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
            INSERT INTO quotes_fts (rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
            INSERT INTO quotes_fts (quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;

        CREATE TABLE ingest_errors (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (source, reason)
        );
        """,
    ),
    Migration(
        2,
        "dates mentioned in articles",
        """
        CREATE TABLE dates (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            value TEXT NOT NULL,                 -- ISO 8601, or a JSON list of them ("May 1 and 2")
            granularity TEXT NOT NULL,
            anchor TEXT NOT NULL,
            flag TEXT,                           -- a consistency problem, NULL when none
            CHECK (0 <= start AND start <= end)
        );
        CREATE INDEX dates_article ON dates (article_id, start);
        """,
    ),
    Migration(
        3,
        "places named in articles, with coordinates from the offline gazetteer",
        """
        CREATE TABLE places (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            name TEXT NOT NULL,                  -- the gazetteer's name; the text's words are at start:end
            kind TEXT NOT NULL,
            lat REAL, lon REAL,
            country TEXT,                        -- ISO 3166-1 alpha-2
            admin1 TEXT,
            geonames_id INTEGER,
            CHECK (0 <= start AND start <= end)
        );
        CREATE INDEX places_article ON places (article_id, start);
        CREATE INDEX places_name ON places (name);
        """,
    ),
]
