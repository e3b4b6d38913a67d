"""The search words a user types, read once: plain words (all must occur), "phrases in quotes", ``OR``
between alternatives and a ``*`` at a word's end for a prefix (``talib*``).

``parse_search`` reads the text into a ``Search``; each database renders it in its own syntax (FTS5's
MATCH, PostgreSQL's tsquery) and ``marks`` finds the words it matched in a quote, for highlighting,
by the same rules. Words are split as SQLite's FTS5 ``unicode61`` tokenizer with ``remove_diacritics
2`` splits them (lower case, accents dropped, every character that is not a letter or a digit a
separator), so that both databases and the highlighting agree on what a word is.

``OR`` joins the terms on either side of it and binds tighter than the spaces between terms:
``Taliban Massoud OR Masoud`` is Taliban and (Massoud or Masoud), as in web search engines; ``AND``
says what a space says. Only these words in capitals are operators; anything else is words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[\W_]+")
# A word of the stored text: letters and digits, with any combining accents written after them.
_WORD = re.compile(r"(?:[^\W_][\u0300-\u036f]*)+")
# A phrase in straight or curly double quotes (to the end when unclosed, a '*' after it for a prefix),
# the operator OR, or a run of other characters.
_PIECE = re.compile(r'["“”„]([^"“”„]*)(?:["“”„](\*?)|$)|(\S+)')


def search_words(text: str) -> str:
    """Text as FTS5's tokenizer (unicode61, remove_diacritics 2) splits it: lower case, no accents,
    letters and digits only, one space between words. PostgreSQL's search column stores this."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _SEPARATORS.sub(" ", "".join(c for c in decomposed if not unicodedata.combining(c))).strip()


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must occur one after another (one word, or a phrase); the last may be a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Search:
    """Every group must match; a group matches when any of its terms does."""

    groups: tuple[tuple[Term, ...], ...]

    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


def parse_search(text: str) -> Search | None:
    """The search a user typed, or None when no word is left (only punctuation)."""
    groups: list[list[Term]] = []
    joined = False  # the last piece was OR: the next term joins the group before it
    for match in _PIECE.finditer(text):
        phrase, phrase_star, bare = match.groups()
        if bare == "OR":
            joined = bool(groups)
            continue
        if bare == "AND":  # what a space means already
            continue
        if bare is not None:
            prefix = bare.endswith("*")
            words = tuple(search_words(bare).split())
        else:
            prefix = phrase_star == "*" or phrase.rstrip().endswith("*")
            words = tuple(search_words(phrase).split())
        if not words:
            continue
        term = Term(words, prefix)
        if joined:
            groups[-1].append(term)
        else:
            groups.append([term])
        joined = False
    return Search(tuple(tuple(group) for group in groups)) if groups else None


def fts5_query(search: Search) -> str:
    """The search in FTS5's query syntax: every term a quoted phrase, so no other syntax leaks through."""

    def phrase(term: Term) -> str:
        return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")

    return " AND ".join("(" + " OR ".join(map(phrase, group)) + ")" for group in search.groups)


def ts_query(search: Search) -> str:
    """The search as a PostgreSQL tsquery (config ``simple``) on the stored ``search_words``: words
    hold only letters and digits, so no tsquery syntax leaks through."""

    def phrase(term: Term) -> str:
        words = [f"'{word}'" for word in term.words]
        if term.prefix:
            words[-1] += ":*"
        return "(" + " <-> ".join(words) + ")"

    return " & ".join("(" + " | ".join(map(phrase, group)) + ")" for group in search.groups)


def words_of(text: str) -> list[tuple[int, int, str]]:
    """Each word of ``text`` as (start, end, folded form), by the search's rule of what a word is."""
    found = []
    for match in _WORD.finditer(text):
        for part in search_words(match.group()).split():
            found.append((match.start(), match.end(), part))
    return found


def marks(search: Search, text: str) -> list[tuple[int, int]]:
    """The character ranges of ``text`` that the search's terms match, in order, overlaps merged."""
    words = words_of(text)
    spans: list[tuple[int, int]] = []
    for term in search.terms():
        size = len(term.words)
        for i in range(len(words) - size + 1):
            window = words[i : i + size]
            if all(w[2] == t for w, t in zip(window[:-1], term.words[:-1], strict=True)) and (
                window[-1][2].startswith(term.words[-1]) if term.prefix else window[-1][2] == term.words[-1]
            ):
                spans.append((window[0][0], window[-1][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
