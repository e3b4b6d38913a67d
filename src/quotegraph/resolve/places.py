"""Place names resolved against an offline gazetteer."""

from __future__ import annotations

from spacy.tokens import Doc

from quotegraph.model import Place


def resolve_places(doc: Doc) -> list[Place]:
    """Every place named in ``doc`` with coordinates where known (not built yet)."""
    return []
