"""The model's attribute ruler and rule lemmatizer, applied from per-token caches.

Both set a token's POS, morphology and lemma from a few of its own attributes: the ruler's
one-token patterns read its tag, lower-cased form and the like, the lemmatizer its form, POS and
morphology. spaCy still evaluates every ruler pattern (Python predicates for ``IN`` and ``REGEX``)
at every token and lemmatizes token by token, a fifth of the time of the whole parse. Here each
distinct key is worked out once, by the original components, and then looked up; patterns longer
than one token still run through a Matcher of their own. The annotations are the same as spaCy's
(tests/test_nlp.py); the caches are cleared when they pass ``MAX_KEYS`` so a long run stays bounded.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from typing import Any, cast

from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.vocab import Vocab
from thinc.types import Ints2d

MAX_KEYS = 200_000
# Pattern keys a one-token pattern may read for its result to depend on that token alone.
_TOKEN_KEYS = {"ORTH", "TEXT", "LOWER", "NORM", "TAG", "POS", "DEP", "MORPH", "LEMMA", "SHAPE", "LENGTH"}
_TOKEN_KEYS |= {key for key in IDS if key.startswith("IS_") and key != "IS_SENT_START"}
_SETTABLE = {IDS["POS"], IDS["TAG"], IDS["DEP"], IDS["MORPH"], IDS["LEMMA"]}
_FORMS = {IDS[key] for key in ("ORTH", "LOWER", "NORM")}
_COLUMNS: list[int | str] = [POS, MORPH, LEMMA]  # set through Doc.from_array; the others token by token
_SETTERS = {IDS["TAG"]: "tag", IDS["DEP"]: "dep"}


def _one_token(pattern: list[dict[str, Any]]) -> bool:
    return len(pattern) == 1 and "OP" not in pattern[0] and set(pattern[0]) <= _TOKEN_KEYS


class _WordForms:
    """One word-form column of the key (``LOWER``, say): patterns test it against a few named
    words and perhaps a regular expression, so every other word gives the same result and keys
    as 0. ``None`` from ``of`` where a test is of another kind (a length): keep every word."""

    def __init__(self, vocab: Vocab, tests: list[Any]) -> None:
        self.vocab = vocab
        self.named: set[int] = set()
        self.patterns: list[re.Pattern[str]] = []
        self.kept: dict[int, int] = {}  # word -> its key, worked out once
        for test in tests:
            if isinstance(test, str):
                test = {"IN": [test]}
            for op, value in test.items():
                if op in ("IN", "NOT_IN"):
                    self.named |= {vocab.strings.add(word) for word in value}
                elif op == "REGEX":
                    self.patterns.append(re.compile(value))
                else:
                    raise ValueError(op)

    @classmethod
    def of(cls, vocab: Vocab, tests: list[Any]) -> _WordForms | None:
        try:
            return cls(vocab, tests)
        except (ValueError, AttributeError, TypeError):
            return None

    def key(self, word: int) -> int:
        found = self.kept.get(word)
        if found is None:
            text = self.vocab.strings[word]
            found = word if word in self.named or any(p.search(text) for p in self.patterns) else 0
            self.kept[word] = found
        return found


def _replaceable(nlp: Language) -> tuple[AttributeRuler, Lemmatizer] | None:
    """The attribute ruler and the lemmatizer right after it, where they can be replaced: a rule
    lemmatizer that keeps what the ruler set, a ruler that only sets POS, tag, dependency,
    morphology or lemma."""
    names = nlp.pipe_names
    if "attribute_ruler" not in names or names[names.index("attribute_ruler") + 1 :][:1] != ["lemmatizer"]:
        return None
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    if (
        isinstance(ruler, AttributeRuler)
        and isinstance(lemmatizer, Lemmatizer)
        and lemmatizer.mode == "rule"
        and not lemmatizer.overwrite
        and all(set(attrs) <= _SETTABLE for attrs in ruler.attrs)
    ):
        return ruler, lemmatizer
    return None


def cache_token_attributes(nlp: Language) -> None:
    """Swap the attribute ruler and lemmatizer for their cached equivalent where it applies."""
    if _replaceable(nlp) is not None:
        nlp.add_pipe("cached_token_attributes", after="lemmatizer")
        nlp.remove_pipe("attribute_ruler")
        nlp.remove_pipe("lemmatizer")


class TokenAttributes:
    """Replaces ``attribute_ruler`` followed by ``lemmatizer`` (see the module docstring)."""

    def __init__(self, ruler: AttributeRuler, lemmatizer: Lemmatizer) -> None:
        self.vocab = ruler.vocab
        self.lemmatizer = lemmatizer
        if lemmatizer.lookups.has_table("lemma_index"):  # lists of 57,000 nouns, searched in a loop
            index = lemmatizer.lookups.get_table("lemma_index")
            for pos, words in list(index.items()):
                index[pos] = frozenset(words)
        self.attrs: list[dict[int, int]] = ruler.attrs
        self.indices: list[int] = ruler.indices
        self.one_token = Matcher(self.vocab)
        self.longer = Matcher(self.vocab)
        tests: dict[int, list[Any]] = {}  # attribute -> what the one-token patterns test it for
        for attr_id, rule in enumerate(ruler.patterns):
            patterns: list[list[dict[str, Any]]] = rule["patterns"]  # type: ignore[assignment]
            for pattern in patterns:
                if _one_token(pattern):
                    self.one_token.add(str(attr_id), [pattern])
                    for key, value in pattern[0].items():
                        tests.setdefault(IDS["ORTH" if key == "TEXT" else key], []).append(value)
                else:
                    self.longer.add(str(attr_id), [pattern])
        self.read: list[int | str] = [*sorted(tests)] or [ORTH]
        self.forms: list[tuple[int, _WordForms]] = []
        for column, attr in enumerate(sorted(tests)):
            forms = _WordForms.of(self.vocab, tests[attr]) if attr in _FORMS else None
            if forms is not None:
                self.forms.append((column, forms))
        self._rules: dict[tuple[int, ...], tuple[int, ...]] = {}  # key -> matching one-token rules
        self._merged: dict[tuple[int, ...], dict[int, int]] = {}  # rules -> attributes they set
        self._lemmas: dict[tuple[int, int, int], int] = {}  # (form, POS, morphology) -> lemma

    def __call__(self, doc: Doc) -> Doc:
        self._apply_rules(doc)
        self._lemmatize(doc)
        if self.keys > MAX_KEYS:
            self._rules.clear()
            self._lemmas.clear()
            self.lemmatizer.cache.clear()
            for _, forms in self.forms:
                forms.kept.clear()
        return doc

    @property
    def keys(self) -> int:
        """Entries in the caches."""
        return len(self._rules) + len(self._lemmas) + sum(len(forms.kept) for _, forms in self.forms)

    @contextlib.contextmanager
    def memory_zone(self, mem: object = None) -> Iterator[None]:
        """Entered by ``Language.memory_zone``: the lemmas of words first seen in the zone are
        strings it frees at its end, so the lemma cache, which holds their hashes, is emptied."""
        try:
            yield
        finally:
            self._lemmas.clear()

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def _apply_rules(self, doc: Doc) -> None:
        rules: list[list[int]] = [[] for _ in range(len(doc))]
        for i, row in enumerate(doc.to_array(self.read).tolist()):
            for column, forms in self.forms:
                row[column] = forms.key(row[column])
            key = tuple(row)
            found = self._rules.get(key)
            if found is None:
                matches = self.one_token(doc[i : i + 1], allow_missing=True, as_spans=False)
                found = self._rules[key] = tuple(int(self.vocab.strings[m]) for m, _, _ in matches)
            rules[i].extend(found)
        for match_id, start, end in self.longer(doc, allow_missing=True, as_spans=False):
            attr_id = int(self.vocab.strings[match_id])
            rules[range(start, end)[self.indices[attr_id]]].append(attr_id)
        columns = cast(Ints2d, doc.to_array(_COLUMNS))
        for i, token_rules in enumerate(rules):
            if not token_rules:
                continue
            for attr, value in self._merge(tuple(sorted(token_rules))).items():
                if attr in _COLUMNS:
                    columns[i, _COLUMNS.index(attr)] = value
                else:
                    setattr(doc[i], _SETTERS[attr], value)
        doc.from_array(_COLUMNS, columns)

    def _merge(self, rules: tuple[int, ...]) -> dict[int, int]:
        """What a token matched by these rules ends with: later rules win, as in spaCy."""
        merged = self._merged.get(rules)
        if merged is None:
            merged = self._merged[rules] = {}
            for attr_id in rules:
                merged.update(self.attrs[attr_id])
        return merged

    def _lemmatize(self, doc: Doc) -> None:
        columns = cast(Ints2d, doc.to_array([ORTH, POS, MORPH, LEMMA]))
        for i, (orth, pos, morph, lemma) in enumerate(columns.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            found = self._lemmas.get(key)
            if found is None:
                found = self._lemmas[key] = self.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            columns[i, 3] = found
        doc.from_array([LEMMA], columns[:, 3:])


@Language.factory("cached_token_attributes")
def make_token_attributes(nlp: Language, name: str) -> TokenAttributes:
    """Built from the pipeline's own ``attribute_ruler`` and ``lemmatizer``, which it replaces."""
    components = _replaceable(nlp)
    if components is None:
        raise ValueError("cached_token_attributes needs a rule lemmatizer right after an attribute ruler")
    return TokenAttributes(*components)
