"""Temporal expressions, normalized against the article's publication date."""

from __future__ import annotations

from spacy.tokens import Doc

from quotegraph.model import DateMention


def extract_dates(doc: Doc, published: str | None) -> list[DateMention]:
    """Every date, range, relative expression and duration in ``doc`` (not built yet)."""
    return []
