"""Exact and near-duplicate articles, found in one streaming pass so each story is processed once.

Exact duplicates share the content hash (``model.content_hash``: NFC, whitespace collapsed). Near
duplicates -- a wire story republished with a changed headline line, a byline or a trimmed paragraph --
are found with MinHash/LSH over word 5-shingles of the folded text: an article whose estimated Jaccard
similarity to an earlier processed article is at least ``threshold`` (0.8 by default) is a copy of it.
LSH only proposes candidates, tuned 0.2 below the threshold so that it misses almost no copy at the
threshold; each is checked against its MinHash, and the most similar (earliest on a tie) wins, so the
outcome depends on the input order alone.

Memory: a content hash per article read, and a MinHash (``num_perm`` 64-bit values) and its 18 LSH band
keys per processed article, about 7 KB; never the texts.
"""

from __future__ import annotations

import zlib

import numpy as np
from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

from quotegraph.model import Article
from quotegraph.store.base import ArticleCopy
from quotegraph.textnorm import fold

SHINGLE_WORDS = 5
DEFAULT_THRESHOLD = 0.8
NUM_PERM = 128
_CANDIDATE_MARGIN = 0.2
_SHINGLE_BASE = np.uint64(1_000_003)
_LOW_32_BITS = np.uint64(0xFFFFFFFF)


def _copy(article: Article, of: str, similarity: float, *, exact: bool) -> ArticleCopy:
    meta = (article.url, article.title, article.source, article.published, article.site_name)
    return ArticleCopy(of, article.content_hash, article.id, *meta, exact=exact, similarity=similarity)


def _shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the distinct word 5-shingles of the folded text. Each word is hashed once
    (CRC-32) and each shingle is a polynomial of its words' hashes, computed for all shingles at once:
    a string and a SHA-1 per shingle had made deduplication the driver's largest cost."""
    words = fold(text).split() or [""]
    codes = np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.uint64)
    count = max(1, len(codes) - SHINGLE_WORDS + 1)
    hashes = np.zeros(count, dtype=np.uint64)
    for k in range(min(SHINGLE_WORDS, len(codes))):
        hashes = hashes * _SHINGLE_BASE + codes[k : k + count]  # wraps around 2**64, as intended
    return np.unique(hashes & _LOW_32_BITS)


class Deduplicator:
    """Decides, article by article in input order, whether each is new or a copy of an earlier one."""

    def __init__(self, threshold: float | None = DEFAULT_THRESHOLD) -> None:
        """``threshold`` None: exact duplicates only."""
        # content hash -> (content hash of the processed article, similarity to it)
        self._processed_of: dict[str, tuple[str, float]] = {}
        self._threshold = threshold
        if threshold is not None:
            # LSH only proposes candidates, each checked against the threshold: tuned at the threshold
            # itself (9 bands of 13 rows) it proposed a copy at similarity 0.8 with probability 0.40
            # and at 0.9 with 0.93; tuned 0.2 lower (18 bands of 7 rows), 0.99 and 1.00.
            self._lsh = MinHashLSH(threshold=max(0.1, threshold - _CANDIDATE_MARGIN), num_perm=NUM_PERM)
            template = MinHash(num_perm=NUM_PERM)  # permutations drawn once, not per article
            self._permutations, self._scheme = template.permutations, template.scheme
            self._signatures: dict[str, tuple[int, np.ndarray]] = {}  # hash -> (order read, MinHash values)

    def copy_of(self, article: Article) -> ArticleCopy | None:
        """None when the article is new (it is then remembered); else the copy that links it."""
        key = article.content_hash
        if key in self._processed_of:
            return _copy(article, *self._processed_of[key], exact=True)
        if self._threshold is None:
            self._processed_of[key] = (key, 1.0)
            return None
        signature = self._minhash(article.text)
        best = self._most_similar(signature)
        if best is not None and best[1] >= self._threshold:
            self._processed_of[key] = (best[0], round(best[1], 4))
            return _copy(article, *self._processed_of[key], exact=False)
        self._processed_of[key] = (key, 1.0)
        self._lsh.insert(key, signature)
        self._signatures[key] = (len(self._signatures), signature.hashvalues)
        return None

    def _minhash(self, text: str) -> MinHash:
        signature = MinHash(
            num_perm=NUM_PERM, permutations=self._permutations, scheme=self._scheme, hashfunc=int
        )
        signature.update_batch(_shingle_hashes(text).tolist())
        return signature

    def _most_similar(self, signature: MinHash) -> tuple[str, float] | None:
        """The LSH candidate with the highest estimated Jaccard similarity, the earliest read on a tie."""
        scored = []
        for key in self._lsh.query(signature):
            rank, values = self._signatures[key]
            scored.append((-float(np.mean(values == signature.hashvalues)), rank, key))
        if not scored:
            return None
        similarity, _, key = min(scored)
        return key, -similarity
