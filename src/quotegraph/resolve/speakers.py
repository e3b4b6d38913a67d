"""Within one article: cluster name mentions into entities and name every quote's speaker.

No coreference model is installable offline, so this works on the parse with rules a reader
of news would apply:

- A name is a name: a headline's capitals ("Obama Says"), a label ("CLARIFICATION:"), a time
  zone ("9 p.m. EDT"), a photo credit glued before a name ("Instagram/Jane Roe") and a word that
  only names a role ("Editor") are not people; a capitalized transcript turn ("WALLACE:") is the
  person the article names in full.
- One person, one entity: a surname or a first name alone refers back to the full name; a
  spelling one letter off is the same person (Massoud / Masoud); middle names and initials aside,
  "Donald J. Trump" is Donald Trump; a title or an epithet before a name the article gives in full
  ("Crooked Hillary", "Candidate Trump") is a mention of that person and never one of their names.
- Roles come from the narrator: an apposition, a copula or a title outside quoted words, headed
  by a noun of office, occupation, relation or membership (resolve/roles.py), gives a person a
  role ("the leader of the National Resistance Front"), kept as a ROLE mention with its offsets;
  "the minister" later names the latest person the article gave that role.
- "he" or "she" is the latest agreeing subject outside quoted words (never a mere object); "they"
  the latest plural one. A speaker is a subject, an agent or a source ("according to X"), never the
  object of a verb or a preposition. What cannot be resolved stays unresolved.

Every step looks names up in indexes, so the cost grows linearly with the article.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.attrs import ENT_TYPE, IDX, IS_ALPHA, IS_LOWER, LENGTH, LOWER  # type: ignore[import-not-found]
from spacy.tokens import Doc, Span, Token

from quotegraph.extract import lexicon
from quotegraph.extract.quotemarks import find_quote_regions
from quotegraph.extract.quotes import FoundQuote, inverted_subject
from quotegraph.model import CharSpan, Entity, EntityKind, Mention, Quote
from quotegraph.nlp import doc_text
from quotegraph.resolve.names import HONORIFICS, TITLES, acronym, is_time_zone, like, name_words, same_person
from quotegraph.resolve.roles import is_title_word, names_role, role_word
from quotegraph.textnorm import fold

_MAX_DESCRIPTION_WORDS = 12
_DETERMINERS = ("the ", "a ", "an ", "this ", "that ")
_MALE = frozenset("he him his himself".split())
_FEMALE = frozenset("she her hers herself".split())
_FEMININE_NOUNS = frozenset(
    "spokeswoman chairwoman congresswoman businesswoman wife mother daughter sister widow actress queen "
    "princess mrs ms miss woman girl grandmother aunt niece lady".split()
)
_MASCULINE_NOUNS = frozenset(
    "spokesman chairman congressman businessman husband father son brother widower actor king prince mr "
    "man boy grandfather uncle nephew".split()
)
_NAME_KINDS: dict[str, EntityKind] = {"PERSON": "person", "ORG": "org", "GPE": "place", "NORP": "group"}
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_OBJECTS = frozenset({"dobj", "pobj", "iobj", "dative"})
# A creative work named by its title ("the film Lincoln", "the book Fire and Fury"): no person
_WORK_NOUNS = frozenset(
    "book film movie song album documentary novel memoir play show series poem painting opera musical "
    "single episode podcast".split()
)
# Words before an office that make it another office: "the president" is not the vice president
_OTHER_OFFICE = frozenset("vice deputy assistant associate former ex acting interim co under".split())
_GLUE = frozenset({"/", ":", "|", "\\"})
_HEADLINE_WORDS = 20
_SENTENCE_ENDS = tuple(".!?\"'”’)")
_ANTECEDENT_WINDOW = 100  # mentions walked back for a pronoun, at most
_SIGNED = frozenset({"quote+dash", "turn"})  # extraction rules whose speaker signs the words
_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}


@dataclass(slots=True)
class _Cluster:
    name: str
    kind: EntityKind
    tokens: list[str]
    aliases: set[str] = field(default_factory=set)
    last_seen: int = -1
    gender: str | None = None  # from "Mr."/"Mrs." or a gendered noun ("spokeswoman")
    pronouns: Counter[str] = field(default_factory=Counter)  # "m"/"f": the he/she resolved to it
    mentions: int = 0
    forms: Counter[str] = field(default_factory=Counter)  # a person's full names as written, counted
    first_seen: int = -1  # where the article first names it
    titles: set[str] = field(default_factory=set)  # role words written before its name ("president")


@dataclass(slots=True)
class _Description:
    cluster: int
    words: list[str]  # folded words of the description
    head: str  # its head noun, folded
    other_office: bool  # "vice president", "former minister": not what the bare head names
    at: int  # where the article gives it


@dataclass(slots=True)
class _Name:
    """A recognized name, cleaned: the span that names, and what stood before it (title, epithet)."""

    span: Span  # the whole mention as recognized (minus credits glued before it)
    name: Span  # the words that are the name
    kind: EntityKind
    words: list[str]  # name_words of the name (folded, titles dropped)
    label: str  # the recognizer's label


class _Intervals:
    """Sorted, merged character ranges, for "is this offset inside one?" in log time."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [r[0] for r in merged]
        self.ends = [r[1] for r in merged]

    def __contains__(self, at: int) -> bool:
        i = bisect.bisect_right(self.starts, at) - 1
        return i >= 0 and at < self.ends[i]


def _deletions(word: str) -> set[str]:
    """The word and every form of it with one letter dropped: two words one edit apart share one."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))} if len(word) >= 5 else {word}


def fold_keep_marks(name: str) -> str:
    """A name folded word by word with its hyphens kept: two names joined by one ("Washington
    Post-ABC News") show where the second begins, and "ABC News" is its own name, not a short form."""
    return "-".join(fold(part) for part in name.split("-"))


def _strip_determiner(text: str) -> str:
    lowered = text.lower()
    for det in _DETERMINERS:
        if lowered.startswith(det):
            return text[len(det) :]
    return text


def _clean_name(span: Span) -> str:
    text = span.text.strip()
    text = re.sub(r"['’]s?$", "", text).rstrip(".,;: ")
    return _strip_determiner(text)


def _title_lines(doc: Doc) -> _Intervals:
    """Lines written in title case (headlines): every longer word outside a name capitalized ("Obama
    Says Trump Is Unfit"), where a sentence's own verbs and nouns are in lower case."""
    text = doc_text(doc)
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    starts = [start for start, _ in lines]
    words: dict[int, list[bool]] = defaultdict(list)  # line -> whether each longer word is capitalized
    # read as arrays: a Token object for each word of each article costs more than the rule
    for alpha, length, entity, at in doc.to_array([IS_ALPHA, LENGTH, ENT_TYPE, IDX]).tolist():
        if alpha and length > 3 and not entity:
            words[bisect.bisect_right(starts, at) - 1].append(text[at].isupper())
    titled = [lines[n] for n, capitals in words.items() if len(capitals) >= 2 and all(capitals)]
    if len(lines) > 1 and _reads_as_headline(text[lines[0][0] : lines[0][1]]):
        titled.append(lines[0])
    return _Intervals(titled)


def _reads_as_headline(line: str) -> bool:
    """A first line that is no sentence of the body: short, and not ended as a sentence is
    ("Harbor Plan Stalls; " over the article, where a lead paragraph ends with a full stop)."""
    return len(line.split()) <= _HEADLINE_WORDS and not line.rstrip().endswith(_SENTENCE_ENDS)


class _Text:
    """The article as a reader meets it: its text, which words are the narrator's, its headlines,
    and the names its recognizer found, cleaned of what is not a name."""

    def __init__(self, doc: Doc, found: list[FoundQuote]) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        # words that are not the narrator's: inside quotation marks, or reported by a quote
        self.quoted = _Intervals(
            [(r.start, r.end) for r in find_quote_regions(self.text)] + [(q.start, q.end) for q in found]
        )
        self._lower: set[str] | None = None
        self._headlines = _title_lines(doc)  # a headline may name a person the body names in full later
        self._first_line_end = self.text.find("\n") % (len(self.text) + 1)

    def _names(self) -> list[_Name]:
        """Every recognized name worth clustering, cleaned; headline names only where the body confirms them."""
        titles = self._headlines
        cleaned: list[_Name] = []
        for ent in self.doc.ents:
            kind = _NAME_KINDS.get(ent.label_)
            if kind is None:
                continue
            name = self._clean(ent, kind)
            if name is not None:
                cleaned.append(name)
        # the head nouns of organizations named in full ("Front" of "National Resistance Front")
        self._org_heads = {_head_word(n.words) for n in cleaned if n.kind == "org" and len(n.words) >= 2}
        self._place_words = {w for n in cleaned if n.kind == "place" for w in n.words}
        surnames = {n.words[-1] for n in cleaned if n.kind == "person"}
        for n in cleaned:  # "Volodymyr Zelenskyy" tagged as an organization, "Mr. Zelenskyy" elsewhere
            capitalized = all(w[:1].isupper() for w in n.name.text.split())
            words = name_words(_clean_name(n.name))
            if n.kind == "org" and 2 <= len(words) <= 3 and capitalized and words[-1] in surnames:
                n.kind, n.words = "person", words
        organizations = {tuple(n.words) for n in cleaned if n.kind == "org"}
        for n in cleaned:  # "Washington Post Trump": the newspaper before the name is not the name
            if n.kind == "person" and len(n.words) >= 2:
                cut = next(
                    (k for k in range(len(n.words) - 1, 0, -1) if tuple(n.words[:k]) in organizations), 0
                )
                if cut:
                    n.words = n.words[cut:]
                    n.span = n.name = n.span[len(n.span) - self._tokens_for(n.span, n.words) :]
        body = {w for n in cleaned if n.name.start_char not in titles for w in n.words}
        kept = []
        has_body = any(t.idx not in titles for t in self.doc)
        for name in cleaned:
            if name.name.start_char in titles and has_body:
                tokens = list(name.name)
                while tokens and fold(tokens[0].text) not in body:
                    tokens.pop(0)
                while tokens and fold(tokens[-1].text) not in body:
                    tokens.pop()
                if not tokens or (len(tokens) == 1 and fold(tokens[0].text) in self._common_words()):
                    continue  # "Correction Appended", "Sell Coal": a headline's capitals, no name
                name.span = name.name = self.doc[tokens[0].i : tokens[-1].i + 1]
                cleaned_name = _clean_name(name.name)
                name.words = name_words(cleaned_name) if name.kind == "person" else fold(cleaned_name).split()
                if not name.words:
                    continue
            kept.append(name)
        return kept

    def _in_headline_at(self, at: int) -> bool:
        return at < self._first_line_end or at in self._headlines

    def _in_headline(self, name: _Name) -> bool:
        return self._in_headline_at(name.span.start_char)

    def _common_words(self) -> set[str]:
        """Words the article writes in lower case ("coal"): capitalized in a headline, still no name."""
        if self._lower is None:
            strings = self.doc.vocab.strings
            self._lower = {
                strings[lower]
                for lower, lowered, alpha in self.doc.to_array([LOWER, IS_LOWER, IS_ALPHA]).tolist()
                if lowered and alpha
            }
        return self._lower

    def _clean(self, ent: Span, kind: EntityKind) -> _Name | None:
        doc, label = self.doc, ent.label_
        if kind == "person":
            ent = _with_given_names(ent)
        start, end = ent.start, ent.end
        for token in ent:
            if token.text in _GLUE:  # "Instagram/Jane Roe", "Photo: Jane Roe": the name is after the credit
                start = token.i + 1
        while start < end and not (doc[start].text[:1].isupper() or doc[start].text[:1].isdigit()):
            start += 1  # "pro-Clinton": the name starts at a capital
        comma = next((t.i for t in doc[start:end] if t.text == ","), end)
        if kind != "person" and comma > start:
            end = comma  # "Politico, Democratic party insiders": a list, not one name
        while end - start > 1 and doc[end - 1].tag_.startswith("VB") and doc[end - 1].pos_ in ("VERB", "AUX"):
            end -= 1  # "Obama Says": a headline's verb
        if start >= end:
            return None
        span = doc[start:end]
        if len(span) == 1 and is_time_zone(span.text) and self._after_time(span[0]):
            return None  # "9 p.m. EDT"
        if start > 0 and doc[start - 1].lower_ in _WORK_NOUNS:
            return None  # "the film Lincoln": a title, not a person
        line_start = self.text.rfind("\n", 0, span.start_char) + 1
        line_end = self.text.find("\n", span.end_char) % (len(self.text) + 1)
        if self.text[line_start:line_end].strip() in (f"{span.text}.", f"{span.text}:"):
            return (
                None  # "Correction Appended." alone on its line, as "ABSTRACT." and "FULL TEXT." are: a label
            )
        name = _clean_name(span)
        words = name_words(name) if kind == "person" else fold(name).split()
        if not words:
            return None
        return _Name(span, span, kind, words, label)

    def _after_time(self, token: Token) -> bool:
        """A word after a clock time ("9 p.m.", "21:00") or in a line of times ("All times EDT")."""
        before = self.doc[max(0, token.i - 2) : token.i]
        return any(
            t.ent_type_ == "TIME" or t.lower_ in ("am", "pm", "a.m.", "p.m.", "times") for t in before
        ) or (token.ent_type_ == "TIME")

    def _tokens_for(self, span: Span, words: list[str]) -> int:
        """How many tokens at the end of ``span`` spell ``words``."""
        count, seen, wanted = 0, 0, sum(len(w.split()) for w in words)
        for token in reversed(span):
            count += 1
            seen += len(fold(token.text).split())
            if seen >= wanted:
                break
        return count

    def _label(self, span: Span) -> bool:
        """A word standing at the start of a line before a colon or a dash: a label or a transcript turn."""
        line_start = self.text.rfind("\n", 0, span.start_char) + 1
        after = self.text[span.end_char : span.end_char + 3].lstrip(" '’s")
        return not self.text[line_start : span.start_char].strip(" \"“'‘") and after[:1] in (":", "—", "–")


class _Clusters(_Text):
    """One cluster per person, organization, place or group the article names, found through indexes."""

    def __init__(self, doc: Doc, found: list[FoundQuote]) -> None:
        super().__init__(doc, found)
        self.clusters: list[_Cluster] = []
        self.mentions: list[Mention] = []
        self._by_token: dict[int, int] = {}  # token index -> cluster of the name covering it
        self._full: dict[str, list[int]] = defaultdict(
            list
        )  # a full name's last word (and deletions) -> clusters
        self._first: dict[str, list[int]] = defaultdict(list)  # a full name's first word -> clusters
        self._last: dict[str, list[int]] = defaultdict(list)  # a full name's last word -> clusters
        self._single: dict[str, list[int]] = defaultdict(list)  # one-word person clusters by deletions
        self._exact: dict[tuple[str, tuple[str, ...]], int] = {}  # (kind, folded words) -> cluster
        self._org_words: dict[str, list[int]] = defaultdict(list)  # an organization's words -> clusters
        self._acronyms: dict[str, int] = {}
        self._full_seen: dict[int, int] = {}  # cluster -> offset of its latest full-name mention
        self.names = self._names()
        self._cluster_full_names(self.names)
        for name in sorted(self.names, key=self._in_headline):  # the body first: a headline may name a
            self._add_name(name)  # person the body names in full later, or somebody the body does

    def _cluster_full_names(self, names: list[_Name]) -> None:
        """One cluster per person named in full (two words or more), middle names and variants aside.
        A name that is a title or an epithet before another person's full name ("Crooked Hillary
        Clinton", "Universe Alicia Machado"), before the first name of a person named in full
        ("Crooked Hillary"), or a role before a surname ("Candidate Trump") is that person's mention."""
        full = [n for n in names if n.kind == "person" and len(n.words) >= 2]
        for before_full_name in (True, False):  # "Crooked Hillary Clinton" is cut before "Crooked Hillary"
            self._cut_epithets(full, before_full_name=before_full_name)
        for name in full:
            if len(name.words) >= 2 and self._person_cluster(name.words) is None:
                self._new_cluster(
                    _written_as_name(_clean_name(name.name)), "person", name.words, name.span.start_char
                )

    def _cut_epithets(self, full: list[_Name], *, before_full_name: bool) -> None:
        """Cut the words before another person's full name, or (``before_full_name`` False) before one
        word of it: a title before a surname ("Candidate Trump"), a word found in no other name before
        a first name ("Crooked Hillary") or, opening a sentence, a gerund before a surname ("Attacking
        Clinton's record")."""
        distinct = {tuple(n.words) for n in full}
        by_last: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        firsts: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        used: Counter[str] = Counter()
        for words in distinct:
            for key in _deletions(words[-1]):
                by_last[key].append(words)
            firsts[words[0]].add(words)
            used.update(set(words))
        for name in full:
            for cut in range(1, len(name.words)):
                prefix, rest = name.words[:cut], name.words[cut:]
                if (len(rest) >= 2) != before_full_name:
                    continue
                others = [o for o in by_last[rest[-1]] if o != tuple(name.words)]
                if len(rest) >= 2:
                    known = any(same_person(rest, list(other)) for other in others)
                elif is_title_word(prefix[-1]):
                    known = any(o[-1] == rest[0] for o in others)
                else:
                    alone = all(used[w] == 1 for w in prefix)
                    gerund = (
                        len(prefix) == 1 and _gerund(name.span[0]) and any(o[-1] == rest[0] for o in others)
                    )
                    known = alone and (gerund or any(o[-1] != rest[0] for o in firsts[rest[0]]))
                if known:
                    name.words = rest
                    name.name = name.span[len(name.span) - self._tokens_for(name.span, rest) :]
                    break

    def _person_cluster(self, words: list[str]) -> int | None:
        for index in self._full.get(words[-1], []):
            if same_person(words, self.clusters[index].tokens):
                return index
        for key in _deletions(words[-1]):
            for index in self._full.get(key, []):
                if same_person(words, self.clusters[index].tokens):
                    return index
        return None

    def _new_cluster(self, name: str, kind: EntityKind, tokens: list[str], at: int = -1) -> int:
        index = len(self.clusters)
        self.clusters.append(_Cluster(name, kind, tokens, first_seen=at))
        self._exact.setdefault((kind, tuple(tokens)), index)
        if kind == "person" and len(tokens) >= 2:
            for key in _deletions(tokens[-1]):
                self._full[key].append(index)
            self._first[tokens[0]].append(index)
            self._last[tokens[-1]].append(index)
        elif kind == "person":
            for key in _deletions(tokens[0]):
                self._single[key].append(index)
        else:
            for word in set(tokens):
                self._org_words[word].append(index)
            self._acronyms.setdefault(acronym(name), index)
        return index

    def _add_name(self, found: _Name) -> None:
        kind, words = found.kind, found.words
        name = _clean_name(found.name)
        at = found.span.start_char
        if (
            kind == "org"
            and len(words) == 1
            and not (name.isupper() or "." in name)  # "U.N." is no surname
            and self._last.get(words[0])
            and self._match_person(words, at) is not None
        ):
            kind = "person"  # a surname alone is often mislabelled as an organization
        if kind != "person" and found.span.start > 0 and fold(self.doc[found.span.start - 1].text) in TITLES:
            kind = "person"  # "spokesperson Rafael Mendez": a title before a name makes it a person
        before = fold(self.doc[found.span.start - 1].text) if found.span.start else ""
        title = role_word(self.doc[found.span.start - 1]) if found.span.start else None
        if kind == "person":
            words = found.words if found.kind == "person" else name_words(name)
            if not words:
                return
            index = self._match_person(
                words, found.span.start_char, title=title, gender=_HONORIFIC_GENDER.get(before)
            )
            if index is None:
                label = self._label(found.span) and found.label != "PERSON"
                if len(words) == 1 and (label or role_word(found.name[-1]) is not None):
                    return  # "CLARIFICATION:", "Editor's note": a label or a bare role, nobody named
                index = self._new_cluster(_written_as_name(name), "person", words, found.span.start_char)
            # a name only where nothing stood before it ("Crooked Hillary") and, for one word, where
            # the article does not also write it as a common word ("Coal" of "Patriot Coal" and "coal")
            common = len(words) == 1 and words[0] in self._common_words()
            if found.name.start == found.span.start and not common:
                self._add_person_name(index, _written_as_name(name), len(words))
        elif kind == "org" and len(words) == 1 and words[0] in self._org_heads:
            # "the Front": the one organization so headed named before it, else nobody in particular
            named = {
                i
                for i in self._org_words.get(words[0], [])
                if self.clusters[i].kind == "org"
                and len(self.clusters[i].tokens) >= 2
                and _head_word(self.clusters[i].tokens) == words[0]
            }
            if len(named) != 1:
                return
            index = named.pop()
        else:
            index = self._match_other(words, kind, name)
            if index is None:
                index = self._new_cluster(name, kind, words, found.span.start_char)
            cluster = self.clusters[index]
            if len(words) > len(cluster.tokens):  # a fuller form of the name becomes canonical
                cluster.aliases.add(cluster.name)
                cluster.name, cluster.tokens = name, words
            elif name != cluster.name:
                cluster.aliases.add(name)
        cluster = self.clusters[index]
        cluster.last_seen = max(cluster.last_seen, found.span.start_char)
        cluster.mentions += 1
        if len(words) >= 2:
            self._full_seen[index] = max(self._full_seen.get(index, -1), found.span.start_char)
        for word in (before, *fold(found.span.text).split()[:1]):
            cluster.gender = _HONORIFIC_GENDER.get(word, cluster.gender)
        if title is not None and kind == "person":
            cluster.titles.add(title)
        for token in found.span:
            self._by_token[token.i] = index
        span = found.span
        self.mentions.append(Mention(CharSpan(span.start_char, span.end_char), span.text, found.label, index))

    def _add_person_name(self, index: int, name: str, words: int) -> None:
        """A name a person went by. Their canonical name is the full name the article uses most (of
        equals, the one with fewest words: "Donald Trump" rather than "Donald J. Trump")."""
        cluster = self.clusters[index]
        if not name[:1].isupper():
            return
        if words >= 2:
            cluster.forms[name] += 1
            most = max(cluster.forms.values())
            cluster.name = min(
                (n for n, c in cluster.forms.items() if c == most), key=lambda n: len(n.split())
            )
        cluster.aliases.add(name)

    def _match_person(
        self,
        words: list[str],
        at: int,
        *,
        title: str | None = None,
        gender: str | None = None,
    ) -> int | None:
        """The person a name refers to: a full name by its words; one word by the full names it ends or
        starts (exact before variants), named before it (a headline may name them later), whose gender
        agrees with a "Mr." or "Mrs." and, of those given the title before it ("President"), only
        those; or another one-word name. Of several, the one named in full just before, else the most
        mentioned."""
        if len(words) >= 2:
            return self._person_cluster(words)
        word = words[0]
        headline = self._in_headline_at(at)

        def fits(i: int) -> bool:
            cluster = self.clusters[i]
            return cluster.gender in (None, gender or cluster.gender) and (
                headline or cluster.first_seen <= at
            )

        for variants in (False, True):
            keys = _deletions(word) if variants else {word}
            match = like if variants else str.__eq__
            candidates = {
                i for key in keys for i in self._full.get(key, []) if match(word, self.clusters[i].tokens[-1])
            }
            if not variants:
                candidates |= set(self._first.get(word, []))
                candidates |= {i for i in self._single.get(word, []) if self.clusters[i].tokens[0] == word}
            candidates = {i for i in candidates if fits(i)}
            same_gender = {i for i in candidates if gender is not None and self.clusters[i].gender == gender}
            candidates = same_gender or candidates  # "Mr. Obama": the Obama called "Mr." before
            titled = {i for i in candidates if title in self.clusters[i].titles}
            if titled or candidates:
                return self._choose(titled or candidates, at)
        candidates = {
            i
            for key in _deletions(word)
            for i in self._single.get(key, [])
            if like(word, self.clusters[i].tokens[0])
        }
        return self._choose(candidates, at) if candidates else None

    def _choose(self, candidates: set[int], at: int) -> int:
        if len(candidates) == 1:
            return next(iter(candidates))
        paragraph = self.text.rfind("\n", 0, at) + 1
        near = [i for i in candidates if paragraph <= self._full_seen.get(i, -1) < at]
        if near:
            return max(near, key=lambda i: self._full_seen[i])
        return max(candidates, key=lambda i: (self.clusters[i].mentions, self.clusters[i].last_seen, -i))

    def _match_other(self, tokens: list[str], kind: EntityKind, name: str) -> int | None:
        """An organization, place or group by its words, acronym or short form ("the Resistance Front")."""
        candidates: set[int] = set()
        for index in (
            self._exact.get((kind, tuple(tokens))),
            self._acronyms.get(name),  # "UN" after "United Nations"
            self._exact.get((kind, (fold(acronym(name)),))) if len(acronym(name)) >= 2 else None,
        ):
            if index is not None and self.clusters[index].kind == kind:
                candidates.add(index)
        for index in self._org_words.get(tokens[-1], []) + self._org_words.get(_head_word(tokens), []):
            cluster = self.clusters[index]
            short, full = sorted((tokens, cluster.tokens), key=len)
            # "Resistance Front" is the Front's own name; "U.S. Court" says only where a court is
            distinctive = set(short[:-1]) - self._place_words
            full_name = cluster.name if full is cluster.tokens else name
            joined = re.search(rf"-{re.escape(short[0])}\b", fold_keep_marks(full_name))
            if cluster.kind == kind and distinctive and not joined and _short_form(short, full):
                candidates.add(index)
        if not candidates:
            return None
        return max(candidates, key=lambda i: self.clusters[i].last_seen)


class _Roles(_Clusters):
    """The roles the narrator gives people, and the people a description repeats ("the minister")."""

    def __init__(self, doc: Doc, found: list[FoundQuote]) -> None:
        super().__init__(doc, found)
        self._descriptions: dict[str, list[_Description]] = defaultdict(list)  # by head noun
        for name in self.names:
            if name.kind == "person" and name.name.root.i in self._by_token:
                self._add_descriptions(name, self._by_token[name.name.root.i])

    def _add_descriptions(self, found: _Name, index: int) -> None:
        """Appositions, copulas and titles in the narrator's words give a person their roles."""
        ent = found.span
        if ent.start_char in self.quoted:
            return
        root = found.name.root
        phrases: list[tuple[Span, Token]] = []
        for child in root.children:
            if child.dep_ == "appos" and child.ent_type_ != "PERSON" and child.pos_ in ("NOUN", "PROPN"):
                phrases.append((_phrase(child), child))
        if root.dep_ == "appos" and root.head.ent_type_ != "PERSON" and root.head.pos_ == "NOUN":
            phrases.append((_phrase(root.head, without=ent), root.head))
        if root.dep_ == "nsubj" and root.head.lemma_ == "be" and _plain_statement(root.head):
            phrases.extend(
                (_phrase(c), c) for c in root.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"
            )
        before = [t for t in root.lefts if t.i < ent.start and t.dep_ in ("compound", "amod") and _title(t)]
        if before:  # "Democratic presidential nominee Hillary Clinton", "former Sen. Jim Webb"
            title = before[-1]
            phrases.append((self.doc[_modifiers_start(title) : title.i + 1], title))
        leading = itertools.takewhile(lambda t: t.i < found.name.start or fold(t.text) in TITLES, ent)
        inside = [t for t in leading if _title(t)]
        if inside:  # "Candidate Trump", "President Okafor", "Councillor Brandt" recognized with the title
            phrases.append((self.doc[ent.start : inside[-1].i + 1], inside[-1]))
        cluster = self.clusters[index]
        for phrase, head in phrases:
            if phrase[0].pos_ in ("VERB", "AUX") or len(phrase) > _MAX_DESCRIPTION_WORDS:
                continue  # a clause the parser took for an apposition, not a description
            if head.lower_ in _FEMININE_NOUNS:
                cluster.gender = "f"
            elif head.lower_ in _MASCULINE_NOUNS:
                cluster.gender = "m"
            if (
                not names_role(phrase, head)
                or phrase.start_char in self.quoted
                or head.tag_ in ("NNS", "NNPS")
            ):
                continue  # not a role, not the narrator's, or several people's ("two deputy chiefs of staff")
            self._describe(index, phrase, head)
            if phrase[0].tag_ != "PRP$":  # "his wife" says whose only with the sentence: no role alone
                role = _without_determiner(phrase)
                self.mentions.append(
                    Mention(CharSpan(role.start_char, role.end_char), role.text, "ROLE", index)
                )

    def _describe(self, index: int, phrase: Span, head: Token) -> None:
        words = fold(_strip_determiner(phrase.text)).split()
        head_word = role_word(head) or fold(head.text)
        if not words or set(words) <= HONORIFICS:
            return
        other_office = any(fold(t.text) in _OTHER_OFFICE for t in phrase if t.i < head.i)
        entries = self._descriptions[head_word]
        if not any(d.cluster == index and d.words == words for d in entries):
            entries.append(_Description(index, words, head_word, other_office, phrase.start_char))

    def _described(self, span: Span) -> int | None:
        """The entity a definite description repeats: a role the article gave ("the finance director",
        "the minister": the latest person given it), an organization's head noun ("the ministry"). An
        indefinite description ("a spokesman") introduces somebody new and is never resolved."""
        if span[0].lower_ in ("a", "an", "another", "one"):
            return None
        words = fold(_strip_determiner(span.text)).split()
        if not words:
            return None
        head = role_word(span.root) or fold(span.root.text)
        given: list[tuple[int, int]] = []  # (where the article gave it, cluster)
        if span.root.tag_ in ("NNS", "NNPS"):
            return None  # "critics": several, not the critic the article named
        if (
            words == [head] and span[0].lower_ == "the"
        ):  # "the ministry" after "the Ministry of Water Resources"
            given += [
                (self.clusters[i].first_seen, i)
                for i in self._org_words.get(head, [])
                if self.clusters[i].kind == "org"
            ]
        for description in self._descriptions.get(head, []):
            if len(words) == 1:  # a bare role: any office so headed, but the president is no vice president
                if not description.other_office:
                    given.append((description.at, description.cluster))
                continue
            shared = set(words) & set(description.words)
            if set(words) <= set(description.words) or (
                set(description.words) <= set(words) and len(shared) >= 2
            ):
                given.append((description.at, description.cluster))
        before = [g for g in given if g[0] < span.start_char]
        return max(before or given)[1] if given else None


class _Resolver(_Roles):
    """Who a speaker mention is: a name, a description, a pronoun's antecedent, a group."""

    def __init__(self, doc: Doc, found: list[FoundQuote]) -> None:
        super().__init__(doc, found)
        self._antecedents: list[tuple[int, int]] = []  # (offset, person cluster)
        self._antecedent_starts: list[int] = []
        self._pronouns: dict[int, int | None] = {}
        self._groups: list[tuple[int, int]] = []  # (offset, token index) of plural subjects
        self._find_antecedents()

    def _find_antecedents(self) -> None:
        """Subjects outside quoted words, in order: what a later "he", "she" or "they" can refer to.
        A "he" or "she" that is itself a subject is resolved here, once."""
        for token in self.doc:
            if token.dep_ not in _SUBJECTS or token.idx in self.quoted:
                continue
            ref: int | None = None
            if token.i in self._by_token and self.clusters[self._by_token[token.i]].kind == "person":
                ref = self._by_token[token.i]
            elif token.lower_ in _MALE | _FEMALE and token.pos_ == "PRON":
                reports = lexicon.act_of(token.head.lemma_.lower()) is not None  # "she said": a writer's cue
                ref = self._walk_back(token.idx, "m" if token.lower_ in _MALE else "f", vote=reports)
                self._pronouns[token.i] = ref
            elif token.pos_ == "NOUN" and token.tag_ == "NN" and names_role(_phrase(token), token):
                # "the senator": the person the article gave that role (or named beside it), else nobody
                ref = self._apposed_person(token)
                if ref is None:
                    described = self._described(_phrase(token))
                    ref = (
                        described
                        if described is not None and self.clusters[described].kind == "person"
                        else None
                    )
            elif token.tag_ in ("NNS", "NNPS"):
                self._groups.append((token.idx, token.i))
            if ref is not None:
                self._antecedents.append((token.idx, ref))
                self._antecedent_starts.append(token.idx)

    def _walk_back(self, at: int, gender: str, *, vote: bool = False) -> int | None:
        """The latest subject before ``at`` whose gender agrees: as "Mr." or a noun says, else as the
        pronouns that report speech ("she said", which a writer keeps unambiguous) resolved to it say,
        by a margin of two (one wrong guess does not decide the next); ``vote``: this one is such."""
        end = bisect.bisect_left(self._antecedent_starts, at)
        for n in range(end - 1, max(-1, end - 1 - _ANTECEDENT_WINDOW), -1):
            ref = self._antecedents[n][1]
            cluster = self.clusters[ref]
            other = "f" if gender == "m" else "m"
            known = cluster.gender or (
                other if cluster.pronouns[other] >= cluster.pronouns[gender] + 2 else None
            )
            if known in (None, gender):
                cluster.pronouns[gender] += vote
                return ref
        return None

    def speaker_cluster(
        self, span: Span, previous: list[int | None], cue: Span | None, *, signed: bool = False
    ) -> int | None:
        """The entity a speaker mention refers to; None when it cannot be resolved. ``signed``: the
        mention signs the words (a transcript turn, "— Jane Roe") rather than being a clause's subject."""
        root = span.root
        if root.tag_ in ("WP", "WDT") and root.head.dep_ == "relcl":  # "X, who said ...": X
            root = root.head.head
            span = root.doc[root.left_edge.i : root.i + 1]
            signed = True  # X is the subject of the cue through "who", whatever X's own place
        if not signed and (
            (root.dep_ in _OBJECTS and not _source_object(root, cue)) or _after_bare_preposition(span)
        ):
            return None  # "After the Taliban's takeover of Afghanistan, ...": no speaker is an object
        if root.i in self._by_token:
            named = self._by_token[root.i]
            if self.clusters[named].kind == "place" and len(span) == 1:  # "Karimzada added" tagged a place
                person = self._match_person(name_words(span.text), span.start_char)
                return person if person is not None else named
            return named
        apposed = self._apposed_person(root)
        if apposed is not None:
            return apposed
        word = root.lower_
        if root.pos_ == "PRON":
            if word in _MALE | _FEMALE:
                if root.i in self._pronouns:
                    return self._pronouns[root.i]
                return self._walk_back(span.start_char, "m" if word in _MALE else "f")
            if word in ("they", "them"):
                return next(
                    (
                        i
                        for i in reversed(previous)
                        if i is not None and self.clusters[i].kind in ("group", "org")
                    ),
                    None,
                ) or self._latest_group(span.start_char)
            if word == "it":
                return next(
                    (i for i in reversed(previous) if i is not None and self.clusters[i].kind != "person"),
                    None,
                )
            return None
        if (
            root.pos_ == "PROPN" or root.is_title
        ):  # a name the recognizer missed ("Lind said", "Guterres urged")
            words = name_words(_clean_name(span))
            known = self._match_person(words, span.start_char) if words else None
            if known is None and len(words) == 1:  # "Marchand said" after "Élise Marchand" tagged ORG
                org_names = [
                    i for i in self._org_words.get(words[0], []) if 2 <= len(self.clusters[i].tokens) <= 3
                ]
                known = next((i for i in org_names if self.clusters[i].tokens[-1] == words[0]), None)
                if known is not None:
                    self.clusters[known].kind = "person"
            if known is not None:
                return known
        if self._label(span):
            # a transcript turn the extractor found ("KOVAC: ..."): a person; any other label
            # ("CLARIFICATION:", "Editor's note:") where nobody by that name is in the article: nobody
            return self._turn_person(span) if signed else None
        if root.pos_ in ("NOUN", "PROPN"):
            described = self._described(span)
            if described is not None:
                return described
            if root.tag_ in ("NN", "NNP") and span[0].tag_ == "PRP$" and not names_role(span, root):
                return None  # "his release": relative to somebody, and nobody who speaks
            return self._group_or_description(span)
        return None

    def _turn_person(self, span: Span) -> int | None:
        """The person a transcript turn's label names ("KOVAC" is Kovac), the same at each turn."""
        name = _written_as_name(_clean_name(span))
        words = name_words(name)
        if not words:
            return None
        index = self._match_person(words, span.start_char)
        if index is None:
            index = self._new_cluster(name, "person", words, span.start_char)
            self._add_person_name(index, name, len(words))
        return index

    def _apposed_person(self, root: Token) -> int | None:
        """ "Another critic, Laurence Tribe, ..." or "David Plouffe, the architect of ...": the name in apposition."""
        if root.tag_ in ("NNS", "NNPS"):
            return None  # "critics, including Laurence Tribe": a group, not the one named
        linked = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos":
            linked.append(root.head)
        for token in linked:
            index = self._by_token.get(token.i)
            if index is not None and self.clusters[index].kind == "person":
                return index
        return None

    def _latest_group(self, at: int) -> int | None:
        """The group a "they" refers to: the latest plural noun subject before it ("Residents gathered ...")."""
        n = bisect.bisect_left(self._groups, (at, -1))
        return self._group_or_description(_phrase(self.doc[self._groups[n - 1][1]])) if n else None

    def _group_or_description(self, span: Span) -> int:
        name = _strip_determiner(span.text.strip())
        kind: EntityKind = "group" if span.root.tag_ in ("NNS", "NNPS") else "other"
        if kind == "other" and span.root.pos_ == "PROPN":
            kind = "org"  # "the Ministry of Water Resources" when the recognizer missed it
        key = fold(name).split()
        index = self._exact.get((kind, tuple(key)))
        if index is None:
            index = self._new_cluster(name, kind, key)
            if kind == "other" and names_role(span):
                self._describe(index, span, span.root)  # "the minister" may repeat an unnamed one
        self.clusters[index].last_seen = max(self.clusters[index].last_seen, span.start_char)
        return index


def _with_given_names(ent: Span) -> Span:
    """ "Irungu Houghton" when the recognizer took only "Houghton": capitalized name words just before
    a bare surname, outside any other entity and not titles, belong to it."""
    doc, start = ent.doc, ent.start
    if len(ent) > 1:
        return ent  # a full name is whole; only a bare surname may have lost its given name
    while start > 0:
        token = doc[start - 1]
        if not (
            token.pos_ == "PROPN"
            and token.is_title
            and not token.ent_type_
            and fold(token.text) not in TITLES
        ):
            break
        if token.dep_ != "compound" or token.head.i not in range(ent.start, ent.end):
            break
        start -= 1
    return doc[start : ent.end]


def _gerund(token: Token) -> bool:
    """A capitalized -ing word opening a sentence ("Attacking"), which a given name hardly is."""
    return bool(token.is_sent_start) and token.is_title and len(token) >= 7 and token.lower_.endswith("ing")


def _written_as_name(name: str) -> str:
    """A person's name without its titles, in the case names are written in ("WALLACE" of a
    transcript turn is Wallace)."""
    name = _without_titles(name)
    return name.title() if name.isupper() and len(name) > 3 else name


def _without_titles(name: str) -> str:
    """ "Councillor Tomas Brandt" -> "Tomas Brandt": the canonical name is the name, not the office."""
    words = name.split()
    while len(words) > 1 and fold(words[0]).replace(" ", "") in TITLES:
        words = words[1:]
    return " ".join(words)


def _without_determiner(span: Span) -> Span:
    start = span.start
    while start < span.end - 1 and span.doc[start].tag_ in ("DT", "PDT"):
        start += 1
    return span.doc[start : span.end]


def _head_word(tokens: list[str]) -> str:
    head = tokens.index("of") if "of" in tokens else len(tokens)
    return tokens[head - 1] if head else tokens[-1]


def _short_form(short: list[str], full: list[str]) -> bool:
    """ "Resistance Front" for "National Resistance Front of Afghanistan": two words or more, in a row,
    ending in the full name's head noun (its last word before "of"). One word alone ("the Front") is
    too often shared by several organizations to be linked."""
    head = full.index("of") if "of" in full else len(full)
    if not 2 <= len(short) < len(full) or head == 0 or short[-1] != full[head - 1]:
        return False
    return any(full[i : i + len(short)] == short for i in range(head - len(short) + 1))


def _modifiers_start(head: Token) -> int:
    """Where a title's own modifiers begin ("Democratic presidential nominee"), leaving out what is
    coordinated with it ("Trump and Democratic rival Hillary Clinton" gives "Democratic rival")."""
    start, todo = head.i, [head]
    while todo:
        for child in todo.pop().lefts:
            coordinated = any(c.dep_ in ("cc", "conj") for c in child.children)
            if (
                child.dep_ in ("compound", "amod", "nmod", "poss", "case", "det", "nummod", "npadvmod")
                and not coordinated
            ):
                start = min(start, child.left_edge.i if child.dep_ == "poss" else child.i)
                todo.append(child)
    return start


def _title(token: Token) -> bool:
    """A word before a name that gives its office ("Sen.", "nominee"): one role, not several
    ("Presidential candidates Clinton and Trump"), and not a nickname in quotation marks ("Bobby")."""
    doc = token.doc
    quoted = 0 < token.i < len(doc) - 1 and doc[token.i - 1].is_quote and doc[token.i + 1].is_quote
    return role_word(token) is not None and token.tag_ not in ("NNS", "NNPS") and not quoted


def _plain_statement(verb: Token) -> bool:
    """A copula the narrator asserts: finite ("Obama being a founder" reports a belief), not negated,
    not under a modal, not in an "if" or a question."""
    if verb.tag_ not in ("VBZ", "VBD", "VBP"):
        return False
    if any(c.dep_ == "neg" or c.tag_ == "MD" for c in verb.children):
        return False
    if any(c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless") for c in verb.children):
        return False
    return not verb.sent.text.rstrip().endswith("?")


def _after_bare_preposition(span: Span) -> bool:
    """A noun phrase right after a preposition the parser left without its object ("After the
    Taliban's takeover of Afghanistan, several parties announced": "takeover" parsed as the subject)
    is that preposition's object."""
    before = span.doc[span.start - 1] if span.start else None
    return (
        before is not None
        and before.dep_ == "prep"
        and before.lower_ not in ("to", "by", "from")
        and not any(c.dep_ in ("pobj", "pcomp") for c in before.children)
    )


def _source_object(root: Token, cue: Span | None) -> bool:
    """An object that still names a source: "according to X", "by X" (an agent), "a statement from X",
    "quoted X as saying", a cue's subject set after it that the parser took for its object, or a noun
    whose own clause reports ("X, who said")."""
    head = root.head
    if root.dep_ == "pobj" and (
        (head.lower_ == "to" and head.head.lower_ == "according")
        or head.dep_ == "agent"
        or head.lower_ in ("from", "by")
    ):
        return True
    if head.lemma_ == "quote":
        return True
    inverted = inverted_subject(head) if cue is not None and head.i == cue.root.i else None
    if inverted is not None and inverted.i == root.i:
        return True  # "“Did we win?” asked coach Maria Ortiz": the cue's subject, set after it
    return cue is not None and any(t.head.i == root.i and t.dep_ in ("relcl", "acl") for t in cue)


def _phrase(head: Token, *, without: Span | None = None) -> Span:
    """A noun phrase without relative clauses or asides (cut at the first comma), and without the
    name it describes ("the UN spokesperson, Stéphane Dujarric" gives "the UN spokesperson")."""
    tokens = [head]
    for child in head.children:
        if child.dep_ not in ("relcl", "acl", "appos", "punct", "cc", "conj"):
            tokens.extend(child.subtree)
    if without is not None:
        tokens = [t for t in tokens if not without.start <= t.i < without.end]
    start, end = min(t.i for t in tokens), max(t.i for t in tokens) + 1
    for t in head.doc[head.i + 1 : end]:
        if t.text in {",", "(", "—"}:
            end = t.i
            break
    return head.doc[start:end]


def _repeated_speakers(
    found: list[FoundQuote], words: list[set[str]], clusters: list[int | None]
) -> list[int | None]:
    """For each quote with no cue, the cued quote it repeats (Jaccard similarity of words >= 0.5, as a
    pull quote repeats the body), found through an index of words: a quote this similar holds at
    least one of the rarest half of its words (prefix filtering), so only those are looked up."""
    postings: dict[str, list[int]] = defaultdict(list)
    for m, q in enumerate(found):
        if q.cue is not None and clusters[m] is not None:
            for word in words[m]:
                postings[word].append(m)
    frequency = Counter({w: len(p) for w, p in postings.items()})
    repeated: list[int | None] = [None] * len(found)
    for n, q in enumerate(found):
        if q.cue is not None or not words[n]:
            continue
        ordered = sorted(words[n], key=lambda w: (frequency.get(w, 0), w))
        prefix = ordered[: len(ordered) - (len(ordered) + 1) // 2 + 1]
        best = (0.0, -1)
        for m in sorted({m for w in prefix for m in postings.get(w, [])}):
            if m != n:
                best = max(best, (_similarity(words[n], words[m]), -m))
        if best[0] >= 0.5:
            repeated[n] = -best[1]
    return repeated


def _similarity(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two quotes' folded words."""
    return len(a & b) / len(a | b) if a | b else 0.0


def resolve_speakers(doc: Doc, found: list[FoundQuote]) -> tuple[list[Quote], list[Entity], list[Mention]]:
    """Quotes with named speakers, the article's entities (with only names as aliases), and every
    mention linked to one: names, speaker mentions, and ROLE mentions (the roles the narrator gives)."""
    resolver = _Resolver(doc, found)
    text = resolver.text
    order = {id(q): n for n, q in enumerate(found)}
    clusters: list[int | None] = []
    for q in found:
        cluster = None
        if q.speaker is None and q.follows is not None:
            q.speaker = q.follows.speaker  # the continued quote's speaker is named by the same words
            cluster = clusters[order[id(q.follows)]] if id(q.follows) in order else None
        elif q.speaker is not None:
            cue = doc.char_span(*q.cue, alignment_mode="expand") if q.cue else None
            cluster = resolver.speaker_cluster(q.speaker, clusters, cue, signed=q.rule in _SIGNED)
            resolver.mentions.append(
                Mention(
                    CharSpan(q.speaker.start_char, q.speaker.end_char),
                    q.speaker.text,
                    _label(q.speaker),
                    cluster,
                )
            )
        clusters.append(cluster)

    words = [set(fold(text[q.start : q.end]).split()) for q in found]
    repeated = _repeated_speakers(found, words, clusters)
    inferred = [False] * len(found)
    for n, m in enumerate(repeated):
        if m is not None:
            clusters[n], inferred[n] = clusters[m], True

    quotes = []
    for n, q in enumerate(found):
        cluster = clusters[n]
        quotes.append(
            Quote(
                content=CharSpan(q.start, q.end),
                kind=q.kind,
                cue=CharSpan(*q.cue) if q.cue else None,
                speaker_mention=CharSpan(q.speaker.start_char, q.speaker.end_char)
                if q.speaker is not None
                else None,
                speaker=resolver.clusters[cluster].name if cluster is not None else None,
                speaker_entity=cluster,
                act=q.act,
                confidence=q.confidence,
                nested_in=order.get(id(q.nested_in)) if q.nested_in is not None else None,
                inferred=inferred[n],
                topic=CharSpan(*q.topic) if q.topic else None,
            )
        )
    entities = [Entity(c.name, c.kind, sorted(c.aliases - {c.name})) for c in resolver.clusters]
    return quotes, entities, sorted(resolver.mentions, key=lambda m: (m.span.start, m.span.end))


def _label(span: Span) -> str:
    if span.root.pos_ == "PRON":
        return "PRON"
    return span.root.ent_type_ or "DESC"
