"""What keeps the parse of one text bounded in memory and in the work each sentence brings.

- The parser holds some 17 KB per token of the text it is given at once (its feature arrays), so a
  1 MB article peaked at 3.5 GB: a text longer than a piece is parsed in pieces cut at paragraph
  breaks and joined into one Doc, which keeps the text and every offset as they were.
- A run of words with no sentence end (a list without full stops, text whose punctuation was lost)
  would be one sentence of any length, and every later stage walks sentences and their trees: such
  a run is cut into sentences of ``max_sentence_tokens`` words. Real news sentences stay far below
  it (the longest run without a full stop in the dev sets is 119 tokens; the default is 250).
- The matrix products run through NumPy's OpenBLAS; on a busy machine its threads wait for each
  other and made the parse slower than spaCy as shipped (``blas_threads``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import numpy
from spacy.attrs import ORTH, SENT_START  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d

from quotegraph import settings

# Where a piece may end, best first: after a paragraph break, a line break, a sentence, a word.
_CUTS = ("\n\n", "\n", ". ", " ")
_SENTENCE_ENDS = (".", "!", "?", "...", "…")
SENTENCE_CAP = "bounded_sentences"  # the component's name in a pipeline


def parse(nlp: Language, text: str, *, piece_chars: int) -> Doc:
    """``nlp(text)``, in pieces of at most ``piece_chars`` characters when the text is longer."""
    if len(text) <= piece_chars:
        return nlp(text)
    docs = list(nlp.pipe(pieces(text, piece_chars), batch_size=1))
    # spaCy's stub lacks ``exclude``; neither the tensor nor user data is read after the parse
    return Doc.from_docs(docs, ensure_whitespace=False, exclude=["user_data", "tensor"])  # type: ignore[call-arg]


def pieces(text: str, size: int) -> Iterator[str]:
    """``text`` as consecutive pieces of at most ``size`` characters, each cut at the best place
    (see ``_CUTS``) in its second half; joined, they are the text."""
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        end = next((found + len(cut) for cut in _CUTS if (found := window.rfind(cut, size // 2)) >= 0), size)
        yield window[:end]
        start += end
    yield text[start:]


@Language.component(SENTENCE_CAP)
def bounded_sentences(doc: Doc) -> Doc:
    """Sentence starts every ``max_sentence_tokens`` tokens in runs with no sentence end (see the
    module docstring); after ``paragraph_sentences``, before the parser, which keeps them."""
    limit = settings.get_int("max_sentence_tokens")
    if len(doc) <= limit:
        return doc
    ends = numpy.isin(doc.to_array(ORTH), [doc.vocab.strings[end] for end in _SENTENCE_ENDS])
    starts = doc.to_array(SENT_START)
    # A run restarts at a sentence start or after a sentence end; only the long runs are walked.
    restarts = numpy.flatnonzero((starts == 1) | numpy.concatenate(([True], ends[:-1])))
    bounds = numpy.append(restarts, len(doc))
    long_runs = numpy.flatnonzero(numpy.diff(bounds) > limit)
    if not len(long_runs):
        return doc
    for run in long_runs:
        starts[bounds[run] + limit : bounds[run + 1] : limit] = 1
    doc.from_array([SENT_START], cast(Ints2d, starts.reshape(-1, 1)))
    return doc


def limit_blas_threads() -> None:
    """Let NumPy's BLAS use the ``blas_threads`` setting's number of threads (0 leaves its default).

    OpenBLAS threads spin while they wait for work; on a busy two-core machine two threads ran the
    parse at 0.59-0.75x of spaCy as shipped (BLIS, one thread), one thread at 0.95-1.33x
    (benchmarks/throughput.py ``--compare-shipped`` under load, benchmarks/ROBUSTNESS.md)."""
    count = settings.get_int("blas_threads")
    if count > 0:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=count, user_api="blas")
