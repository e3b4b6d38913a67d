"""Within one article: cluster name mentions into entities and name every quote's speaker.

No coreference model is installable offline, so this works on the parse with rules a
reader of news would apply: a surname refers back to the full name; a spelling one letter
off is the same person (Massoud / Masoud); an apposition or copula gives a person a
description ("X, the UN spokesperson"), and that description later names them; "he" or
"she" continues the current speaker; plural descriptions stay groups. What cannot be
resolved stays unresolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from quotegraph.extract.quotes import FoundQuote
from quotegraph.model import CharSpan, Entity, EntityKind, Mention, Quote
from quotegraph.nlp import doc_text
from quotegraph.textnorm import fold, similar_words

# Titles that say nothing of a role: "Mr." is not a description of Mr. Zelenskyy
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "sir", "dame", "madam"})
_TITLES = frozenset(
    """
    mr mrs ms miss dr prof sen senator rep gov governor president vice pres gen general col
    secretary minister chancellor pm judge justice rev sir dame lord lady king queen prince princess
    sheikh mayor ambassador spokesman spokeswoman spokesperson commander chairman chairwoman
    councillor councilor councilman councilwoman alderman chief officer detective inspector sergeant
    captain lieutenant professor doctor father sister brother imam rabbi bishop pastor deputy
    """.split()
)
_MAX_DESCRIPTION_WORDS = 12
_DETERMINERS = ("the ", "a ", "an ", "this ", "that ")
_MALE = frozenset("he him his himself".split())
_FEMALE = frozenset("she her hers herself".split())
_FEMININE_NOUNS = frozenset(
    "spokeswoman chairwoman congresswoman businesswoman wife mother daughter sister widow actress queen "
    "princess mrs ms miss woman girl grandmother aunt niece".split()
)
_MASCULINE_NOUNS = frozenset(
    "spokesman chairman congressman businessman husband father son brother widower actor king prince mr "
    "man boy grandfather uncle nephew".split()
)
_NAME_KINDS: dict[str, EntityKind] = {"PERSON": "person", "ORG": "org", "GPE": "place", "NORP": "group"}


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
            and fold(token.text) not in _TITLES
        ):
            break
        if token.dep_ != "compound" or token.head.i not in range(ent.start, ent.end):
            break
        start -= 1
    return doc[start : ent.end]


def _without_titles(name: str) -> str:
    """ "Councillor Tomas Brandt" -> "Tomas Brandt": the canonical name is the name, not the office."""
    words = name.split()
    while len(words) > 1 and fold(words[0]).replace(" ", "") in _TITLES:
        words = words[1:]
    return " ".join(words)


def _name_tokens(name: str) -> list[str]:
    tokens = fold(name).split()
    while len(tokens) > 1 and tokens[0] in _TITLES:
        tokens = tokens[1:]
    return tokens


def _short_form(short: list[str], full: list[str]) -> bool:
    """ "Resistance Front" for "National Resistance Front of Afghanistan": two words or more, in a row,
    ending in the full name's head noun (its last word before "of"). One word alone ("the Front") is
    too often shared by several organizations to be linked."""
    head = full.index("of") if "of" in full else len(full)
    if not 2 <= len(short) < len(full) or head == 0 or short[-1] != full[head - 1]:
        return False
    return any(full[i : i + len(short)] == short for i in range(head - len(short) + 1))


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


@dataclass(slots=True)
class _Cluster:
    name: str
    kind: EntityKind
    tokens: list[str]
    aliases: set[str] = field(default_factory=set)
    descriptions: list[list[str]] = field(default_factory=list)  # folded words of each description
    last_seen: int = -1
    gender: str | None = None


class _Resolver:
    def __init__(self, doc: Doc, quoted: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.quoted = quoted  # contents of quotes: names inside them are not antecedents
        self._quoted_at: dict[int, bool] = {}  # character offset -> inside a quote's content
        self.clusters: list[_Cluster] = []
        self.mentions: list[Mention] = []
        self._by_token: dict[int, int] = {}  # token index -> cluster of the name covering it
        self._surnames = {  # the last word of every name tagged as a person's
            tokens[-1]
            for ent in doc.ents
            if ent.label_ == "PERSON" and (tokens := _name_tokens(_without_titles(_clean_name(ent))))
        }
        for ent in doc.ents:
            kind = _NAME_KINDS.get(ent.label_)
            if kind is not None:
                self._add_name(ent, kind)
        for ent in doc.ents:
            if ent.label_ == "PERSON" and ent.root.i in self._by_token:
                self._add_descriptions(ent, self._by_token[ent.root.i])

    # --- names -----------------------------------------------------------------------

    def _add_name(self, ent: Span, kind: EntityKind) -> None:
        if kind == "person":
            ent = _with_given_names(ent)
        name = _clean_name(ent)
        if (
            kind != "person"
            and len(name.split()) == 1
            and self._match_name([fold(name)], "person", name) is not None
        ):
            kind = "person"  # a surname alone is often mislabelled as an organization or place
        if kind != "person" and ent.start > 0 and fold(self.doc[ent.start - 1].text) in _TITLES:
            kind = "person"  # "spokesperson Rafael Mendez": a title before a name makes it a person
        if kind == "org" and self._persons_name(name):
            kind = "person"  # "Volodymyr Zelenskyy" tagged as an organization, "Mr. Zelenskyy" elsewhere
        if kind == "person":
            name = _without_titles(name)
        tokens = _name_tokens(name) if kind == "person" else fold(name).split()
        if not tokens:
            return
        index = self._match_name(tokens, kind, name)
        if index is None:
            self.clusters.append(_Cluster(name, kind, tokens))
            index = len(self.clusters) - 1
        cluster = self.clusters[index]
        if len(tokens) > len(cluster.tokens):  # a fuller form of the name becomes canonical
            cluster.aliases.add(cluster.name)
            cluster.name, cluster.tokens = name, tokens
        elif name != cluster.name:
            cluster.aliases.add(name)
        cluster.last_seen = ent.start_char
        title = fold(ent.text).split()[:1]
        if title in (["mr"],):
            cluster.gender = "m"
        elif title in (["mrs"], ["ms"], ["miss"]):
            cluster.gender = "f"
        for token in ent:
            self._by_token[token.i] = index
        self.mentions.append(Mention(CharSpan(ent.start_char, ent.end_char), ent.text, ent.label_, index))

    def _persons_name(self, name: str) -> bool:
        """Two or three capitalized words ending in a surname the article gives a person elsewhere."""
        words, tokens = name.split(), _name_tokens(name)
        return (
            2 <= len(words) <= 3
            and all(w[:1].isupper() for w in words)
            and bool(tokens)
            and tokens[-1] in self._surnames
        )

    def _match_name(self, tokens: list[str], kind: EntityKind, name: str) -> int | None:
        candidates: list[int] = []
        for i, cluster in enumerate(self.clusters):
            if cluster.kind != kind:
                continue
            if kind != "person":
                if (
                    cluster.tokens == tokens
                    or _acronym(cluster.name) == name
                    or _acronym(name) == cluster.name
                    or _short_form(tokens, cluster.tokens)
                    or _short_form(cluster.tokens, tokens)
                ):
                    candidates.append(i)
                continue
            ours, theirs = tokens, cluster.tokens
            if len(ours) == len(theirs) and all(
                similar_words(a, b) for a, b in zip(ours, theirs, strict=True)
            ):
                candidates.append(i)
            elif len(ours) == 1 and any(similar_words(ours[0], t) for t in (theirs[-1], theirs[0])):
                candidates.append(i)
            elif len(theirs) == 1 and any(similar_words(theirs[0], t) for t in (ours[-1], ours[0])):
                candidates.append(i)
        if not candidates:
            return None
        return max(candidates, key=lambda i: self.clusters[i].last_seen)

    def _add_descriptions(self, ent: Span, index: int) -> None:
        """Appositions, copulas and pre-name titles give a person their descriptions."""
        root = ent.root
        phrases: list[Span] = []
        for child in root.children:
            if child.dep_ == "appos" and child.ent_type_ != "PERSON" and child.pos_ in ("NOUN", "PROPN"):
                phrases.append(_phrase(child))
        if root.dep_ == "appos" and root.head.ent_type_ != "PERSON" and root.head.pos_ == "NOUN":
            phrases.append(_phrase(root.head, without=ent))
        if root.dep_ == "nsubj" and root.head.lemma_ == "be":
            phrases.extend(_phrase(c) for c in root.head.children if c.dep_ == "attr" and c.pos_ == "NOUN")
        title = [
            t
            for t in root.lefts
            if t.i < ent.start
            and t.dep_ in ("compound", "amod")
            and (t.pos_ != "PROPN" or fold(t.text) in _TITLES)
        ]
        if title:
            phrases.append(self.doc[title[0].i : ent.start])
        phrases.extend(self.doc[t.i : t.i + 1] for t in ent if fold(t.text) in _TITLES and t.i < root.i)
        cluster = self.clusters[index]
        for phrase in phrases:
            if phrase[0].pos_ in ("VERB", "AUX") or len(phrase) > _MAX_DESCRIPTION_WORDS:
                continue  # a clause the parser took for an apposition, not a description
            head = phrase.root.lower_
            if head in _FEMININE_NOUNS:
                cluster.gender = "f"
            elif head in _MASCULINE_NOUNS:
                cluster.gender = "m"
            words = fold(_strip_determiner(phrase.text)).split()
            if words and not set(words) <= _HONORIFICS and words not in cluster.descriptions:
                cluster.descriptions.append(words)
                cluster.aliases.add(_strip_determiner(phrase.text))

    # --- speakers --------------------------------------------------------------------

    def speaker_cluster(self, span: Span, previous: list[int | None]) -> int | None:
        """The entity a speaker mention refers to; None when it cannot be resolved."""
        root = span.root
        if root.tag_ in ("WP", "WDT") and root.head.dep_ == "relcl":  # "X, who said ...": X
            root = root.head.head
            span = root.doc[root.left_edge.i : root.i + 1]
        named = [self._by_token[t.i] for t in span if t.i in self._by_token]
        if root.i in self._by_token:
            return self._by_token[root.i]
        apposed = self._apposed_person(root)
        if apposed is not None:
            return apposed
        word = root.lower_
        if root.pos_ == "PRON":
            if word in _MALE | _FEMALE:
                return self._continuing_person(span.start_char, "m" if word in _MALE else "f")
            if word in ("they", "them"):
                return next(
                    (
                        i
                        for i in reversed(previous)
                        if i is not None and self.clusters[i].kind in ("group", "org")
                    ),
                    None,
                ) or self._latest_group(span.start_char)
            if word in ("it",):
                return next(
                    (i for i in reversed(previous) if i is not None and self.clusters[i].kind != "person"),
                    None,
                )
            return None
        if (
            root.pos_ == "PROPN" or root.is_title
        ):  # a name the recognizer missed ("Lind said", "Guterres urged")
            tokens = _name_tokens(_clean_name(span))
            known = self._match_name(tokens, "person", span.text) if tokens else None
            if known is not None:
                return known
        if root.pos_ in ("NOUN", "PROPN"):
            described = self._described(span)
            if described is not None:
                return described
            if named and len(span) == len([t for t in span if t.i in self._by_token]):
                return named[-1]
            return self._group_or_description(span)
        return None

    def _apposed_person(self, root: Token) -> int | None:
        """ "Another critic, Laurence Tribe, ..." or "David Plouffe, the architect of ...": the name in apposition."""
        linked = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos":
            linked.append(root.head)
        for token in linked:
            index = self._by_token.get(token.i)
            if index is not None and self.clusters[index].kind == "person":
                return index
        return None

    def _continuing_person(self, at: int, gender: str) -> int | None:
        """The person a he/she refers to: the latest person named (or described) as a subject
        before it, outside quoted words, whose known gender agrees; else the latest person at all."""
        candidates = [
            m
            for m in self.mentions
            if m.span.end <= at
            and m.entity is not None
            and self.clusters[m.entity].kind == "person"
            and self.clusters[m.entity].gender in (None, gender)
            and not self._in_quote(m.span.start)
        ]
        subjects = [m for m in candidates if self._is_subject(m)]
        for pool in (subjects, candidates):
            if pool:
                chosen = max(pool, key=lambda m: m.span.start).entity
                if chosen is not None:
                    self.clusters[chosen].gender = gender
                return chosen
        return None

    def _in_quote(self, at: int) -> bool:
        inside = self._quoted_at.get(at)
        if inside is None:
            inside = self._quoted_at[at] = any(start <= at < end for start, end in self.quoted)
        return inside

    def _is_subject(self, mention: Mention) -> bool:
        span = self.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")

    def _latest_group(self, at: int) -> int | None:
        """The group a "they" refers to: the latest plural noun subject before it ("Residents gathered ...")."""
        before = self.doc.char_span(0, at, alignment_mode="contract")
        for token in reversed(before if before is not None else []):
            if token.dep_ == "nsubj" and token.tag_ in ("NNS", "NNPS") and not self._in_quote(token.idx):
                return self._group_or_description(_phrase(token))
        return None

    def _described(self, span: Span) -> int | None:
        """The entity a definite description repeats: a person's apposition or title ("the finance
        director", "the president"), an organization's head noun ("the ministry"). An indefinite
        description ("a spokesman") introduces somebody new and is never resolved."""
        if span[0].lower_ in ("a", "an", "another", "one"):
            return None
        words = fold(_strip_determiner(span.text)).split()
        head = fold(span.root.text)
        if not words:
            return None
        candidates = []
        for i, cluster in enumerate(self.clusters):
            if cluster.kind == "org" and words == [head] and head in cluster.tokens:
                candidates.append(i)  # "the ministry" after "the Ministry of Water Resources"
            for description in cluster.descriptions:
                if head not in description:
                    continue
                if (
                    len(words) == 1
                ):  # a bare role must be the whole title: "the president" is no vice president
                    if description == words:
                        candidates.append(i)
                    continue
                shared = set(words) & set(description)
                if set(words) <= set(description) or (set(description) <= set(words) and len(shared) >= 2):
                    candidates.append(i)
        before = [i for i in candidates if self.clusters[i].last_seen < span.start_char]
        pool = before or candidates
        return max(pool, key=lambda i: self.clusters[i].last_seen) if pool else None

    def _group_or_description(self, span: Span) -> int:
        name = _strip_determiner(span.text.strip())
        kind: EntityKind = "group" if span.root.tag_ in ("NNS", "NNPS") else "other"
        if kind == "other" and span.root.pos_ == "PROPN":
            kind = "org"  # "the Ministry of Water Resources" when the recognizer missed it
        key = fold(name).split()
        for i, cluster in enumerate(self.clusters):
            if cluster.kind == kind and cluster.tokens == key:
                return i
        self.clusters.append(_Cluster(name, kind, key))
        return len(self.clusters) - 1


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


def _similarity(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two quotes' folded words."""
    return len(a & b) / len(a | b) if a | b else 0.0


def resolve_speakers(doc: Doc, found: list[FoundQuote]) -> tuple[list[Quote], list[Entity], list[Mention]]:
    """Quotes with named speakers, the article's entities, and every mention linked to one."""
    resolver = _Resolver(doc, [(q.start, q.end) for q in found])
    text = doc_text(doc)
    order = {id(q): n for n, q in enumerate(found)}
    clusters: list[int | None] = []
    for q in found:
        cluster = None
        if q.speaker is None and q.follows is not None:
            q.speaker = q.follows.speaker  # the continued quote's speaker is named by the same words
            cluster = clusters[order[id(q.follows)]] if id(q.follows) in order else None
        elif q.speaker is not None:
            cluster = resolver.speaker_cluster(q.speaker, clusters)
            resolver.mentions.append(
                Mention(
                    CharSpan(q.speaker.start_char, q.speaker.end_char),
                    q.speaker.text,
                    _label(q.speaker),
                    cluster,
                )
            )
        clusters.append(cluster)

    inferred = [False] * len(found)
    words = [set(fold(text[q.start : q.end]).split()) for q in found]
    for n, q in enumerate(found):
        if q.cue is not None:
            continue
        best = max(
            (
                (_similarity(words[n], words[m]), m)
                for m, o in enumerate(found)
                if m != n and clusters[m] is not None and o.cue is not None
            ),
            default=(0.0, -1),
        )
        if best[0] >= 0.5:
            clusters[n], inferred[n] = clusters[best[1]], True

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
    entities = [Entity(c.name, c.kind, sorted(c.aliases)) for c in resolver.clusters]
    return quotes, entities, sorted(resolver.mentions, key=lambda m: m.span.start)


def _label(span: Span) -> str:
    if span.root.pos_ == "PRON":
        return "PRON"
    return span.root.ent_type_ or "DESC"
