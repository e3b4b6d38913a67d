"""Quotations from a parsed Doc: content, cue, speaker mention, kind and act.

Two sources of evidence meet here. Quotation marks (found on raw characters, see
``quotemarks``) say where somebody's exact words are; the dependency parse says which
reporting verb, noun or "according to" introduces a report, who its subject is and which
clause is the report's content. Indirect reports come from the parse alone; direct ones
are quoted regions tied to the nearest cue, to an introducing colon, or to the speaker of
the quote just before them.

Speaker mentions are returned as token spans; naming the person behind a pronoun or a
description is the resolve stage's job.
"""

from __future__ import annotations

import heapq
import itertools
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy
from spacy.tokens import Doc, Span, Token

from quotegraph.extract import lexicon
from quotegraph.extract.quotemarks import QuoteRegion, find_quote_regions
from quotegraph.model import QuoteKind, SpeechAct
from quotegraph.nlp import doc_text
from quotegraph.textnorm import dateline_at

_TRIM = set(" \t\n\"'“”‘’«»„.,;:!?—–-()[]")
_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}
_SUBJECT_CUTS = {"appos", "relcl", "acl", "punct", "advmod", "cc", "parataxis"}
_DASHES = {"—", "―", "–", "-", "--"}
_SEPARATORS = {",", '"', "”", "’", "''", "—", "–"}
_ASIDE = {",", "—", "–", "(", ")", ";", ":"}
_TWO_WORDS = re.compile(r"\S\s+\S")  # searched for, not counted: contents overlap in chains of reports
_SHORT_QUOTE_WORDS = 4  # a quoted fragment shorter than this with no cue is a title or scare quote
# A bare reporting clause: its verb within its first tokens ("a narrator in the Clinton ad asks"),
# little after it ("said on Tuesday.", "asked the team's captain.")
_BARE_CLAUSE_TOKENS = 10
_BARE_CLAUSE_TAIL = 6
_OPENING_MARKS = "\"“‘«„'"
_CLOSING_MARKS = "\"”’»')] "


@dataclass(slots=True, eq=False)
class FoundQuote:
    """A quotation before speaker resolution: offsets into the Doc's text, speaker as tokens."""

    start: int
    end: int
    kind: QuoteKind
    act: SpeechAct
    cue: tuple[int, int] | None
    speaker: Span | None
    confidence: float
    rule: str
    nested_in: FoundQuote | None = None  # the quotation this report is quoted inside
    follows: FoundQuote | None = None  # the earlier quote whose speaker this one continues
    topic: tuple[int, int] | None = None  # what the reporting clause says the words are about


@dataclass(slots=True)
class _Cue:
    token: Token
    act: SpeechAct
    speaker: Span | None
    content: tuple[int, int] | None
    rule: str
    confidence: float


class _Layout:
    """Where a Doc's line breaks, tokens and names lie, found once, so that each question about a
    stretch of text (its paragraph, the paragraph breaks or names inside it) is a binary search and
    the cost of an article stays linear in its length."""

    def __init__(self, doc: Doc) -> None:
        self.text = text = doc_text(doc)
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        # line breaks with only spaces between them are one paragraph break
        breaks = itertools.accumulate(
            bool(text[a + 1 : b].strip()) for a, b in zip([-1, *self.newlines], self.newlines, strict=False)
        )
        self.paragraph_break = list(breaks)
        offsets = doc.to_array(["IDX", "LENGTH"]).astype(numpy.int64)
        self.token_starts = offsets[:, 0].tolist()
        self.token_ends = offsets.sum(axis=1).tolist()
        iob, label = doc.to_array(["ENT_IOB", "ENT_TYPE"]).T
        names = numpy.array([doc.vocab.strings[name] for name in ("PERSON", "ORG")], dtype=numpy.uint64)
        self.names = numpy.flatnonzero((iob == 3) & numpy.isin(label, names)).tolist()  # 3: B
        self.doc = doc
        self.sentence_starts = numpy.flatnonzero(doc.to_array("SENT_START") == 1).tolist()

    def sentence(self, i: int) -> Span:
        """The sentence of token ``i``, as ``Token.sent`` gives it (which checks the whole Doc first)."""
        after = bisect_right(self.sentence_starts, i)
        start = self.sentence_starts[after - 1] if after else 0
        end = self.sentence_starts[after] if after < len(self.sentence_starts) else len(self.doc)
        return self.doc[start:end]

    def paragraph(self, at: int) -> tuple[int, int]:
        """The line holding offset ``at``."""
        after = bisect_left(self.newlines, at)
        start = self.newlines[after - 1] + 1 if after else 0
        return start, self.newlines[after] if after < len(self.newlines) else len(self.text)

    def paragraph_breaks(self, start: int, end: int) -> int:
        """How many paragraph breaks (line breaks and the blank lines after them) lie between the offsets."""
        first, last = bisect_left(self.newlines, start), bisect_left(self.newlines, end)
        return self.paragraph_break[last - 1] - self.paragraph_break[first] + 1 if last > first else 0

    def tokens_within(self, start: int, end: int) -> tuple[int, int]:
        """The tokens wholly between the offsets, as a range of token indices."""
        return bisect_left(self.token_starts, start), bisect_right(self.token_ends, end)

    def names_in(self, first: int, last: int) -> int:
        """How many names of people and organizations begin at tokens ``first`` to ``last`` (exclusive)."""
        return max(0, bisect_left(self.names, last) - bisect_left(self.names, first))


class _Regions:
    """The quoted regions in text order; outermost ones never overlap, so they are found by position."""

    def __init__(self, regions: list[QuoteRegion]) -> None:
        self.all = regions
        self._outer_ends = [r.outer_end for r in regions]

    def closing_after(self, offset: int) -> Iterator[tuple[int, QuoteRegion]]:
        """The regions whose closing mark lies after ``offset``, in order (callers stop when past)."""
        for index in range(bisect_right(self._outer_ends, offset), len(self.all)):
            yield index, self.all[index]

    def holding(self, start: int, end: int) -> bool:
        """The stretch lies inside the words of one quotation."""
        index = bisect_right(self._outer_ends, start)
        return index < len(self.all) and self.all[index].start <= start and end <= self.all[index].end


def extract_quotes(doc: Doc) -> list[FoundQuote]:
    """Every quotation in ``doc``, ordered by position; nested ones point at their container."""
    layout = _Layout(doc)
    text = layout.text
    # a title in quotation marks ("Fox News Sunday") is a name, not somebody's words
    marked = find_quote_regions(text)
    regions = _Regions([r for r in marked if not _is_title(text[r.start : r.end])])
    marks = _Regions(marked)  # titles too: no quote opens or closes a mark it does not hold
    cues = list(_find_cues(doc))
    quotes: list[FoundQuote] = []
    claimed: set[int] = set()

    for cue in cues:
        if cue.content is None:
            continue
        for part in _around_cue(doc, cue, _within_paragraph(layout, cue.content, cue.token.idx)):
            start, end = _extend_over_regions(part, cue.token.idx, regions, claimed)
            start, end = _balanced(*_trim(text, start, end), marks)
            one_word = _TWO_WORDS.search(text, start, end) is None
            if end <= start or (one_word and not regions.holding(start, end)):
                continue
            quotes.append(
                FoundQuote(
                    start,
                    end,
                    _kind(start, end, cue.token.idx, regions),
                    cue.act,
                    _cue_span(cue.token),
                    cue.speaker,
                    cue.confidence,
                    cue.rule,
                )
            )

    cue_positions = [cue.token.i for cue in cues]
    for index, region in enumerate(regions.all):
        if index in claimed:
            continue
        signed = _dash_signature(doc, region)
        if signed is not None:
            claimed.add(index)
            quotes.append(_direct(region, None, signed, 0.8, "quote+dash"))
            continue
        near = _adjacent_cue(doc, layout, region, cues, cue_positions)
        if near is not None and (
            len(text[region.start : region.end].split()) >= 3
            or _introduced(text, region)
            or _quoted_sentence(text, region)
        ):
            claimed.add(index)
            quotes.append(
                _direct(region, _cue_span(near.token), near.speaker, 0.85, "quote+adjacent-cue", near.act)
            )
    turns, links = _labelled_paragraphs(doc, layout)
    quotes.extend(turns)
    quotes = _deduplicate(quotes)
    quotes.extend(_uncued_regions(doc, layout, regions.all, claimed, quotes))
    quotes = _outside(quotes, sorted(links + _captions(layout)))
    # a caption run into the text ("Image caption X was fleeing, her daughter says"): words holding a credit
    quotes = [q for q in quotes if _CREDIT.search(text, q.start, q.end) is None]
    _mark_nesting(quotes)
    kept = [q for q in quotes if q.confidence > 0]  # until here, a rule's weight against rival claims
    for quote in kept:
        quote.topic = _topic(doc, quote)
        if quote.kind == "direct" and quote.act == "thought":
            quote.act = (
                "speech"  # "considering it “part of military secrets”": quotation marks give words said
            )
        quote.confidence = _calibrated(quote)
    return sorted(kept, key=lambda q: (q.start, -q.end))


# What each rule's evidence is, for its confidence.
_EVIDENCE = {
    **dict.fromkeys(
        ("ccomp", "paratactic", "according-to", "preposition", "that-clause", "adjective"), "clause"
    ),
    **dict.fromkeys(("dobj", "xcomp", "directive", "noun"), "object"),
    **dict.fromkeys(("turn", "quote+dash"), "signed"),
    **dict.fromkeys(("quote+adjacent-cue", "quote+colon"), "adjacent"),
    "quote-continued": "continued",
    "quote-alone": "alone",
}
# Confidence is the share of such quotes whose words and speaker are both right (the attributed
# precision measured per kind of evidence on PolNeAR dev), rounded to a few levels; the table and
# how it was measured are in benchmarks/ATTRIBUTION.md. Keyed by evidence and quoted (direct or mixed).
_CONFIDENCE = {
    ("signed", True): 0.95,  # quoted words signed with a name or spoken in a transcript turn
    ("clause", True): 0.95,  # quoted words in the clause a reporting verb governs
    ("continued", True): 0.85,  # quoted words going on from the same speaker's quote
    ("clause", False): 0.85,  # a reported clause without quotation marks
    ("object", True): 0.8,  # quoted words as a verb's object ("called it “a betrayal”")
    ("adjacent", True): 0.8,  # a quotation beside a reporting verb that does not govern it
    ("object", False): 0.7,  # a verb's object or infinitive ("denied the claims", "vowed to fight")
}
_THOUGHT_CONFIDENCE = 0.65  # beliefs and intentions: the words are the reporter's, the view a guess
_NO_SPEAKER_CONFIDENCE = 0.5  # nobody named by the cue (a passive): right only if nobody is meant
_ALONE_CONFIDENCE = 0.3  # a quotation with no cue and no speaker before it


def _calibrated(quote: FoundQuote) -> float:
    """The confidence a user can filter on: see ``_CONFIDENCE``."""
    evidence = _EVIDENCE[quote.rule]
    level = _CONFIDENCE.get((evidence, quote.kind != "indirect"), _ALONE_CONFIDENCE)
    if quote.act == "thought":
        level = min(level, _THOUGHT_CONFIDENCE)
    if quote.speaker is None and quote.follows is None:
        level = min(level, _NO_SPEAKER_CONFIDENCE if evidence != "alone" else _ALONE_CONFIDENCE)
    return level


def _outside(quotes: list[FoundQuote], lines: list[tuple[int, int]]) -> list[FoundQuote]:
    """The quotes that do not start inside any of ``lines`` (sorted stretches of text)."""
    starts = [start for start, _ in lines]
    kept = []
    for quote in quotes:
        at = bisect_right(starts, quote.start) - 1
        if at < 0 or quote.start >= lines[at][1]:
            kept.append(quote)
    return kept


def _topic(doc: Doc, quote: FoundQuote) -> tuple[int, int] | None:
    """The phrase the reporting clause gives as the report's subject, outside its words: "the Doha
    meeting" in "Regarding the Doha meeting, Massoud said: ...", "the ruling" in "Lee, commenting on
    the ruling, said ...", "a question about the strike" in "In response to a question about the
    strike, ...". The longest such phrase among the cue verb's dependents and its subject's."""
    if quote.cue is None:
        return None
    cue = doc.char_span(*quote.cue, alignment_mode="expand")
    if cue is None or cue[0].pos_ not in ("VERB", "AUX"):
        return None
    verb = cue[0]
    heads = [verb, *(c for c in _children(verb) if c.dep_ in ("nsubj", "nsubjpass"))]
    spans = []
    for frame in (c for head in heads for c in _children(head)):
        for phrase in _topic_phrases(frame):
            start, end = phrase[0].idx, _chars_end(phrase[-1])
            if end <= quote.start or start >= quote.end:
                spans.append((start, end))
    return max(spans, key=lambda s: s[1] - s[0], default=None)


def _topic_phrases(frame: Token) -> Iterable[Span]:
    """The subject phrases a dependent of a reporting clause introduces (see ``_topic``)."""
    objects: list[Token] = []
    if frame.dep_ == "prep" and frame.lower_ in lexicon.TOPIC_PREPOSITIONS:
        objects = [c for c in _children(frame) if c.dep_ in ("pobj", "pcomp")]
    elif frame.dep_ == "prep" and frame.lower_ in ("in", "with"):
        for noun in (c for c in _children(frame) if c.dep_ == "pobj" and c.lemma_ in lexicon.TOPIC_NOUNS):
            to = [c for c in _children(noun) if c.dep_ == "prep" and c.lower_ == "to"]
            objects = [c for p in to for c in _children(p) if c.dep_ in ("pobj", "pcomp")]
    elif frame.dep_ in ("advcl", "acl", "prep") and frame.tag_ in ("VBG", "VBN"):
        prepositions = lexicon.TOPIC_VERBS.get(frame.lemma_, frozenset())
        objects = [
            o for p in _children(frame) if p.lower_ in prepositions for o in _children(p) if o.dep_ == "pobj"
        ]
        if frame.lemma_ in lexicon.TOPIC_CLAUSE_VERBS:
            objects += [c for c in _children(frame) if c.dep_ == "ccomp"]
    for head in objects:
        words = list(head.subtree)
        while words and words[-1].is_punct:
            words.pop()
        if words:
            yield head.doc[words[0].i : words[-1].i + 1]


# --- cues from the parse ---------------------------------------------------------------


def _find_cues(doc: Doc) -> Iterable[_Cue]:
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            cue = _according_to(token)
            if cue:
                yield cue
            continue
        if token.pos_ == "NOUN" and token.lemma_.lower() in lexicon.SPEECH_NOUNS:
            cue = _noun_cue(token)
            if cue:
                yield cue
            continue
        if (
            token.pos_ == "ADJ"
            and token.dep_ == "acomp"
            and token.lemma_.lower() in lexicon.THOUGHT_ADJECTIVES
        ):
            cue = _adjective_cue(token)
            if cue:
                yield cue
            continue
        if token.pos_ not in ("VERB", "AUX") or token.dep_ == "aux":
            continue
        if (
            token.tag_ == "VBN"
            and token.dep_ == "advcl"
            and not any(c.dep_ == "auxpass" for c in _children(token))
        ):
            continue  # "Asked whether he would resign, X said": the question put to X, not X's words
        if _asked(token):
            continue  # "whether he believes ...": a question about a report, not one
        lemma = token.lemma_.lower()
        act = lexicon.act_of(lemma)
        if lemma == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in _children(token)):
            act = "speech"  # "as the chairman put it, ...": the quotation beside it is his
        judgement = lemma in lexicon.OBJECT_PREDICATE_VERBS
        if act is None and lemma not in lexicon.FINDING_VERBS and not judgement:
            continue
        subject = _subject(token)
        if subject is not None and _is_data(subject):
            continue  # "city records indicated ...": data, not anybody's words
        if act is None and subject is not None:
            # "the report found ...", "polls show ...", "The Observer found that ..."
            that_clause = any(c.dep_ == "ccomp" for c in _children(token))
            if subject.lemma_.lower() in lexicon.DOCUMENT_NOUNS or that_clause:
                act = "writing"
        speaker = _mention(subject) if subject is not None else None
        passive = any(c.dep_ == "auxpass" for c in _children(token))
        if speaker is None and not passive:
            continue  # imperatives and gerunds with nobody doing them ("Don't say ...") report nothing
        content, rule = _content(token, lemma)
        if judgement and rule == "dobj":
            act = "speech"  # "considers the plan a betrayal": a judgement given out, as "described X as Y"
        if act is None:
            continue
        if speaker is None and rule not in ("ccomp", "dobj"):
            continue  # "is expected to draw crowds" is a forecast, "it is said that ..." a report
        confidence = 0.9 if rule in ("ccomp", "paratactic") else 0.7
        if act == "thought":
            confidence -= 0.2
        if speaker is None:
            confidence -= 0.2
        yield _Cue(token, act, speaker, content, rule, confidence)


def _content(verb: Token, lemma: str) -> tuple[tuple[int, int] | None, str]:
    """The clause or phrase a reporting verb reports, as character offsets."""
    if (misread := _verb_read_as_modifier(verb)) is not None:
        return misread, "dobj"
    children = _children(verb)
    for n, child in enumerate(children):
        if (child.dep_ == "ccomp" and child.i > verb.i) or (
            child.dep_ == "ccomp" and _separated(child, verb)
        ):
            clause_start, clause_end = _subtree_chars(child, skip_marks=True)
            # "said fines would rise, inspectors would be hired, and ...": a list of reported clauses
            # the parser gave the verb one by one, each after a comma
            for following in children[n + 1 :]:
                opening = following.left_edge  # its phrase may begin with the comma
                comma = opening if opening.text == "," else following.doc[max(opening.i - 1, 0)]
                if following.dep_ != "ccomp" or comma.text != "," or comma.idx < clause_end:
                    break
                clause_end = _chars_end(following.doc[_last_word(following)])
            return (clause_start, clause_end), "ccomp"
    # "Nobody should wait a year, insists Jo Park": a cue set after its content, its subject after it
    inverted = (
        verb.dep_ == "conj"
        and verb.i > 0
        and verb.doc[verb.i - 1].text in {",", "”", '"', "’", "''", "—", "–"}
        and any(c.dep_ == "nsubj" and c.i > verb.i for c in _children(verb))
    )
    if (
        (verb.dep_ in ("parataxis", "ccomp") or inverted)
        and verb.head.pos_ in ("VERB", "AUX")
        # not "“We knew,” he said" read backwards: a complement of a reporting verb is its content
        and not (verb.dep_ == "ccomp" and lexicon.act_of(verb.head.lemma_.lower()) is not None)
        and _subject(verb) is not None
    ):
        head = verb.head
        if (inverted or _separated(head, verb)) and not any(c.dep_ == "ccomp" for c in _children(verb)):
            # "X, he said." / "X, he said, Y": the clause the cue is set into; split around the cue later
            return (head.left_edge.idx, _chars_end(head.right_edge)), "paratactic"
    for child in _children(verb):
        if child.dep_ == "ccomp" and not _announces(child, verb):
            return _subtree_chars(child, skip_marks=True), "ccomp"
    objects = [c for c in _children(verb) if c.dep_ == "dobj"]
    if lemma in lexicon.DIRECTIVE_VERBS and objects:
        # "told his advisers to ...": the addressee and the instruction together
        for child in _children(verb):
            if child.dep_ in ("xcomp", "ccomp") and child.i > objects[0].i:
                return (objects[0].left_edge.idx, _chars_end(child.right_edge)), "directive"
    if lemma in lexicon.OBJECT_CONTENT_VERBS:
        for child in _children(verb):
            # "proposed dropping the tax", "denied taking the money": a gerund clause as the object
            if child.dep_ == "xcomp" and child.tag_ == "VBG" and child.i > verb.i and _longer_than(child, 2):
                return _subtree_chars(child, skip_marks=True), "xcomp"
    if lemma in lexicon.INFINITIVE_VERBS:
        for child in _children(verb):
            infinitive = child.dep_ == "xcomp" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in _children(child)
            )
            if infinitive and _longer_than(child, 2):  # "declined to comment" says nothing
                return _subtree_chars(child, skip_marks=True), "xcomp"
    predicated = lemma in lexicon.OBJECT_PREDICATE_VERBS or lemma in lexicon.NAMING_VERBS
    if lemma in lexicon.OBJECT_CONTENT_VERBS or predicated:
        predicates = ("as",) if predicated else ("as", "on")  # "see the film on Tuesday" has no predicate
        for child in objects:
            # "called them 'deplorables'", "described her as a fraud": the object with its predicate
            complement = [
                c
                for c in _children(verb)
                if c.i > child.i
                and (
                    c.dep_ in ("oprd", "xcomp", "ccomp")
                    or (c.dep_ == "prep" and c.lower_ in predicates)
                    or (predicated and c.dep_ == "dobj")  # "call them “lone wolves”" read as two objects
                )
            ]
            # "calls Obamacare ‘crazy system’": a name in quotation marks inside the object
            named = lemma in lexicon.NAMING_VERBS and any(t.is_quote for t in child.subtree)
            if (
                not complement
                and not named
                and (predicated or child.pos_ == "PRON" or _possessed_only(child))
            ):
                continue
            if _longer_than(child, 1) or complement:
                end = _object_end(verb, complement[-1] if complement else child)
                # "calling them “a security matter”": a pronoun only points at what the words are about
                start = complement[0].left_edge if child.pos_ == "PRON" and complement else child.left_edge
                return (start.idx, _chars_end(end)), "dobj"
    for child in _children(verb):
        if child.dep_ == "prep" and (lemma, child.lower_) in lexicon.PREPOSITION_CONTENT:
            target = next((c for c in _children(child) if c.dep_ in ("pobj", "pcomp")), None)
            if target is None:
                continue
            first, last = _subtree_chars(target, skip_marks=True)
            # "called on residents to protest peacefully": the people addressed and what they should do
            action = next((c for c in _children(verb) if c.dep_ == "xcomp" and c.i > target.i), None)
            return (first, _chars_end(action.right_edge) if action is not None else last), "preposition"
    stray = _stray_that_clause(verb)
    if stray is not None:
        return _subtree_chars(stray, skip_marks=True), "that-clause"
    return None, "none"


def _possessed_only(noun: Token) -> bool:
    """ "their existence", "his candidacy": an object that is only a possessive pronoun and a noun names
    the owner's own act or state ("announced their existence"), not something said about it."""
    dependents = _children(noun)
    return len(dependents) == 1 and dependents[0].dep_ == "poss" and dependents[0].tag_ == "PRP$"


def _stray_that_clause(verb: Token) -> Token | None:
    """A that-clause the parser hung on a word after the verb ("told a meeting of leaders that ...",
    "tweeted in the early hours that ..."): the clause is still what the verb reports."""
    marks = _that_marks(verb.doc)
    for i in marks[bisect_right(marks, verb.i) : bisect_right(marks, verb.right_edge.i)]:
        token = verb.doc[i]
        if not verb.is_ancestor(token):
            continue
        clause = token.head
        if clause.i != verb.i and clause.pos_ in ("VERB", "AUX") and clause.dep_ != "ccomp":
            return clause
    return None


def _that_marks(doc: Doc) -> list[int]:
    """The tokens where a that-clause opens ("that" as a subordinating conjunction), found once per Doc."""
    found = doc.user_data.get("quotegraph.that_marks")
    if found is None:
        marks = doc.to_array(["DEP", "LOWER", "TAG"])
        wanted = numpy.array([doc.vocab.strings[s] for s in ("mark", "that", "IN")], dtype=numpy.uint64)
        found = doc.user_data["quotegraph.that_marks"] = numpy.flatnonzero(
            (marks == wanted).all(axis=1)
        ).tolist()
    return list(found)


def _object_end(verb: Token, obj: Token) -> Token:
    """Where a reported object or predicate ends: prepositional phrases the parser hung on the verb
    right after it usually modify it ("described crass behavior by Trump behind the scenes", "called
    him a master at closing deals"), but not a time, nor the people told ("... to reporters")."""
    end = obj.right_edge
    for child in _children(verb):
        if child.i != end.i + 1 or child.dep_ != "prep":
            continue
        if child.lower_ == "to" or any(t.ent_type_ in ("DATE", "TIME") for t in child.subtree):
            break
        end = child.right_edge
    return end


def _announces(clause: Token, verb: Token) -> bool:
    """A clause before the verb that ends at a colon announces what follows ("We have been here
    before: bin Laden declared war ..."); it is the writer's, not the verb's content."""
    end = clause.right_edge
    after = end.doc[end.i + 1] if end.i + 1 < len(end.doc) else None
    return clause.i < verb.i and (end.text == ":" or (after is not None and after.text == ":"))


def _separated(a: Token, b: Token) -> bool:
    """A comma or quotation mark stands between the two tokens (cue-after and split quotes)."""
    lo, hi = sorted((a.i, b.i))
    doc = a.doc
    if a.i < b.i and a.right_edge.i >= b.i:  # "X, he said": the cue's phrase set off inside a's
        lo = hi = b.left_edge.i - 1
        while hi + 1 < b.i and doc[hi + 1].is_punct:  # the phrase may begin with its comma
            hi += 1
    elif a.i < b.i:
        lo = a.right_edge.i
    return any(t.is_punct and t.text in _SEPARATORS for t in doc[max(lo, 0) : hi + 1])


def _around_cue(doc: Doc, cue: _Cue, content: tuple[int, int]) -> list[tuple[int, int]]:
    """The content without the cue phrase set inside it: "Acts of protest, he said, are ..." gives two parts."""
    start, end = content
    phrase = [cue.token] + (list(cue.speaker) if cue.speaker is not None else [])
    lo = min(t.idx for t in phrase)
    hi = max(_chars_end(t) for t in phrase)
    if not (start < lo and hi < end) and not (start <= cue.token.idx < end):
        return [content]
    first, last = min(t.i for t in phrase), max(t.i for t in phrase)
    # widen the cue phrase to the commas or dashes that set it off
    while first > 0 and doc[first - 1].idx >= start and doc[first - 1].text not in _ASIDE:
        first -= 1
    while last + 1 < len(doc) and _chars_end(doc[last + 1]) <= end and doc[last + 1].text not in _ASIDE:
        last += 1
    parts = [(start, doc[first].idx), (_chars_end(doc[last]), end)]
    if cue.speaker is not None:  # "..., insists Jo Park, who organized the rally": the speaker's own clause
        named, text = _root(cue.speaker), doc_text(doc)
        own = named.left_edge.idx, _chars_end(named.right_edge)
        parts = [
            (a, b) for a, b in parts if not own[0] <= _trim(text, a, b)[0] <= _trim(text, a, b)[1] <= own[1]
        ]
    return [(a, b) for a, b in parts if b > a]


def _according_to(token: Token) -> _Cue | None:
    to = token.doc[token.i + 1]
    source = next((c for c in _children(to) if c.dep_ == "pobj"), None)
    head = token.head
    if source is None or head.i == token.i or _is_data(source):
        return None
    prep_edge = (min(token.left_edge.i, token.i), max(token.right_edge.i, source.right_edge.i))
    clause = [t for t in head.subtree if not prep_edge[0] <= t.i <= prep_edge[1]]
    if head.pos_ not in ("VERB", "AUX") or not clause:
        return None
    start, end = clause[0].idx, _chars_end(clause[-1])
    # the clause may sit on both sides of "according to X": keep the longer side
    if clause[0].i < prep_edge[0] < clause[-1].i:
        before = [t for t in clause if t.i < prep_edge[0]]
        after = [t for t in clause if t.i > prep_edge[1]]
        side = after if len(after) >= len(before) else before
        start, end = side[0].idx, _chars_end(side[-1])
    speaker = _mention(source)
    doc = token.doc
    first = doc[prep_edge[1] + 1 : prep_edge[1] + 2]
    if first and first[0].is_punct and first.end < len(doc) and doc[first.end].ent_type_ == "PERSON":
        name = _entity_at(doc[first.end])  # "according to the chairman, Paul Girard, ...": an apposition
        if name.end < len(doc) and doc[name.end].text == "," and doc[name.end].idx < end:
            speaker, start = name, _chars_end(doc[name.end])
    return _Cue(token, "speech", speaker, (start, end), "according-to", 0.8)


def _noun_cue(noun: Token) -> _Cue | None:
    """ "his claim that ...", "a statement saying ..." """
    clause = next(
        (
            c
            for c in _children(noun)
            if c.dep_ in ("acl", "ccomp")
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in _children(c))
        ),
        None,
    )
    if clause is None:
        return None
    owner = next((c for c in _children(noun) if c.dep_ == "poss"), None)
    if owner is None and noun.dep_ in ("dobj", "pobj"):
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head
        subject = _subject(verb) if verb.pos_ in ("VERB", "AUX") else None
        owner = subject
    act: SpeechAct = "thought" if noun.lemma_.lower() in lexicon.THOUGHT_NOUNS else "speech"
    speaker = _mention(owner) if owner is not None else None
    return _Cue(noun, act, speaker, _subtree_chars(clause, skip_marks=True), "noun", 0.6)


def _is_data(noun: Token) -> bool:
    """Records, figures, a chart: see ``lexicon.DATA_NOUNS`` ("data" by its lemma "datum" too)."""
    return noun.lemma_.lower() in lexicon.DATA_NOUNS or noun.lower_ in lexicon.DATA_NOUNS


def _asked(verb: Token) -> bool:
    """The clause is a question ("whether he is concerned that ...", "if she said so")."""
    return any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in _children(verb))


def _adjective_cue(adjective: Token) -> _Cue | None:
    """ "They were sure Trump would win", "is determined to warn his supporters": a belief or an
    intention told by an adjective with its clause (not its topic: "worried about the cost"), its
    subject the copula's."""
    subject = _nsubj(adjective.head)
    if _asked(adjective.head):
        return None
    clause = next(
        (c for c in _children(adjective) if c.dep_ == "ccomp" or (c.dep_ == "xcomp" and _longer_than(c, 2))),
        None,
    )
    if subject is None or clause is None:
        return None
    return _Cue(
        adjective, "thought", _mention(subject), _subtree_chars(clause, skip_marks=True), "adjective", 0.5
    )


def _nsubj(verb: Token) -> Token | None:
    """The verb's nominal subject; of two, the one nearest before the verb (a dateline, "KYIV, March
    4 —", is parsed as a second subject of the first sentence's verb)."""
    subjects = [c for c in _children(verb) if c.dep_ == "nsubj"]
    before = [c for c in subjects if c.i < verb.i]
    return before[-1] if before else next(iter(subjects), None)


def _subject(verb: Token) -> Token | None:
    """The grammatical subject of a reporting verb, looking through participles and coordination."""
    if (subject := _nsubj(verb)) is not None:
        return subject  # a relative "who" is kept as written; resolve names what it refers to
    for child in _children(verb):
        if child.dep_ == "nsubjpass" and verb.lemma_.lower() == "quote":  # "X was quoted (by Y) as saying"
            return child
    for child in _children(verb):
        if child.dep_ == "agent":
            return next((c for c in _children(child) if c.dep_ == "pobj"), None)
    if (
        verb.dep_ in ("xcomp", "advcl", "conj")
        and verb.head.pos_ in ("VERB", "AUX")
        and verb.head.i != verb.i
    ):
        return _subject(verb.head)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head.head)  # "quoted X as saying", "after saying"
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    if verb.dep_ == "acl" and verb.tag_ == "VBD" and verb.head.dep_ == "ROOT" and verb.head.i < verb.i:
        return verb.head  # "The senator called on ...": a finite verb the parser hung on its subject
    if _verb_read_as_modifier(verb) is not None:
        if verb.dep_ == "acl":
            return verb.head if verb.head.i < verb.i else None
        clause = next((a for a in verb.ancestors if a.pos_ in ("VERB", "AUX")), None)
        subject = _nsubj(clause) if clause is not None else None
        return subject if subject is not None and subject.i < verb.i else None
    return inverted_subject(verb)


def _verb_read_as_modifier(verb: Token) -> tuple[int, int] | None:
    """ "Troch, during the meeting, considered aid to the opposition as a necessity": after an aside
    the parser may take a past-tense verb for an adjective of the noun after it ("considered aid") or
    for a participle modifying the noun before it ("Troch, considered ..."). With an object and an
    "as" predicate it can only be the verb of the clause ("considered X as Y"; a passive, "Troch,
    considered a hawk," or "regarded as a hawk,", lacks one of them): its content's offsets, or None."""
    if verb.tag_ not in ("VBD", "VBN") or verb.i == 0 or verb.doc[verb.i - 1].text != ",":
        return None
    obj: Token | None
    if verb.dep_ == "amod" and verb.head.i > verb.i:
        obj, frame = verb.head, verb.head
    elif verb.dep_ == "acl":
        obj = next((c for c in _children(verb) if c.dep_ in ("dobj", "oprd") and c.i > verb.i), None)
        frame = verb
    else:
        return None
    predicate = next((c for c in _children(frame) if c.dep_ == "prep" and c.lower_ == "as"), None)
    if obj is None or predicate is None:
        return None
    return verb.doc[verb.i + 1].idx, _chars_end(max(obj.right_edge, predicate.right_edge, key=lambda t: t.i))


_ADDRESSEE_VERBS = frozenset("tell inform assure remind warn urge advise instruct order".split())


def inverted_subject(verb: Token) -> Token | None:
    """ "“Did we win?” asked coach Maria Ortiz", "Said Ellis: “...”": after a quotation, or opening a
    sentence, the reporting verb may come first and the parser may take its subject for an object.
    Not for verbs whose object is the person addressed ("told the AP")."""
    if verb.lemma_.lower() in _ADDRESSEE_VERBS:
        return None
    if verb.i > 0:
        before = verb.doc[verb.i - 1]
        opens = before.is_space or (verb.is_title and before.is_sent_end)
        if not (opens or before.is_quote or before.text == ","):
            return None
    return next(
        (
            c
            for c in _children(verb)
            if c.dep_ in ("dobj", "attr") and c.left_edge.i == verb.i + 1 and c.pos_ in ("PROPN", "NOUN")
        ),
        None,
    )


def _mention(head: Token) -> Span:
    """The noun phrase naming the speaker: the head with its modifiers, without appositions or clauses."""
    doc = head.doc
    if head.ent_type_ in _NAME_LABELS:
        ent = _entity_at(head)
        left = min(
            [ent.start]
            + [
                c.left_edge.i
                for c in _children(head)
                if c.i < head.i and c.dep_ in ("compound", "amod", "det", "poss")
            ]
        )
        return _without_punctuation(doc[left : ent.end])
    keep = [head]
    for child in _children(head):
        if child.dep_ in _SUBJECT_CUTS:
            continue
        keep.extend(child.subtree)
    start = min(t.i for t in keep)
    end = max(t.i for t in keep) + 1
    # cut at the first comma or bracket after the head: what follows is an aside
    for t in doc[head.i + 1 : end]:
        if t.text in {",", "(", "—", "–"}:
            end = t.i
            break
    for t in reversed(doc[start : head.i]):
        if t.text in {",", "(", "—", "–"}:
            start = t.i + 1
            break
    return _without_punctuation(doc[start:end])


def _without_punctuation(span: Span) -> Span:
    """A mention never starts or ends with a quotation mark or other punctuation."""
    start, end = span.start, span.end
    while end - start > 1 and (span.doc[start].is_punct or span.doc[start].is_space):
        start += 1
    while end - start > 1 and (span.doc[end - 1].is_punct or span.doc[end - 1].is_space):
        end -= 1
    return span.doc[start:end]


def _entity_at(token: Token) -> Span:
    """The named entity a token belongs to, found from its IOB tags (no scan over ``doc.ents``)."""
    doc = token.doc
    start = token.i
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _cue_span(token: Token) -> tuple[int, int]:
    """The cue word with its particle ("pointed out", "called for"); "according to" as two words."""
    end_token = token
    if token.lower_ == "according":
        end_token = token.doc[token.i + 1]
    else:
        for child in _children(token):
            if child.dep_ == "prt" and child.i == token.i + 1:
                end_token = child
    return token.idx, _chars_end(end_token)


def _chars_end(token: Token) -> int:
    return token.idx + len(token.text)


def _subtree_chars(head: Token, *, skip_marks: bool) -> tuple[int, int]:
    """The characters from the first to the last word of a head's phrase in the parse's order
    (without an opening "that", "whether" or "if" when asked), found without listing the phrase:
    in a chain of reports ("A said B said C said ...") each clause holds all the later ones."""
    words = head.subtree
    first = next(words)
    while skip_marks and first.dep_ == "mark" and first.lower_ in ("that", "whether", "if"):
        following = next(words, None)
        if following is None:
            return head.idx, _chars_end(head)
        first = following
    return first.idx, _chars_end(head.doc[_last_word(head)])


def _children(token: Token) -> list[Token]:
    """``token.children``, from a list of every token's dependents made once per Doc: spaCy finds
    them by scanning the token's whole phrase on each call, so a clause that holds a chain of
    reports ("A said B said C said ...") made each question cost the length of the chain."""
    doc = token.doc
    children = doc.user_data.get("quotegraph.children")
    if children is None:
        children = [[] for _ in range(len(doc))]
        heads = (numpy.arange(len(doc)) + doc.to_array("HEAD").astype(numpy.int64)).tolist()
        for i, head in enumerate(heads):
            if head != i:
                children[head].append(i)
        doc.user_data["quotegraph.children"] = children
    return [doc[i] for i in children[token.i]]


def _root(span: Span) -> Token:
    """``span.root`` without its walk to the sentence root when one word of the span depends on a
    word outside it (a name, a noun phrase): that walk costs the depth of the parse."""
    outside = [t for t in span if not span.start <= t.head.i < span.end]
    if len(outside) == 1 and all(t.head.i != t.i for t in span):
        return outside[0]
    return span.root


def _last_word(head: Token) -> int:
    """The last token of ``head.subtree``: down the last right dependent while there is one. That is
    the right edge unless an arc crosses it (a non-projective parse). Each answer is remembered for
    every token on the way, so all the Doc's answers together cost one pass."""
    doc = head.doc
    last = doc.user_data.get("quotegraph.last_word")
    if last is None:
        heads = numpy.arange(len(doc)) + doc.to_array("HEAD").astype(numpy.int64)
        right = numpy.flatnonzero(heads < numpy.arange(len(doc)))
        last_child = numpy.arange(len(doc))
        numpy.maximum.at(last_child, heads[right], right)
        last = doc.user_data["quotegraph.last_word"] = last_child.tolist()
    path = [head.i]
    while last[path[-1]] != path[-1]:
        path.append(last[path[-1]])
    for i in path:
        last[i] = path[-1]
    return int(path[-1])


def _longer_than(head: Token, words: int) -> bool:
    """The head's phrase has more than ``words`` words (counted no further than needed)."""
    return sum(1 for _ in itertools.islice(head.subtree, words + 1)) > words


def _within_paragraph(layout: _Layout, content: tuple[int, int], cue_at: int) -> tuple[int, int]:
    """A parsed clause never runs past the paragraph of its cue (parser errors join headlines to text),
    and never takes in the paragraph's dateline."""
    start, end = content
    para_start, para_end = layout.paragraph(cue_at)
    start, end = max(start, para_start), min(end, para_end)
    if start == para_start and (dateline := dateline_at(layout.text, para_start, para_end)):
        start = dateline.end()  # "LONDON — Britain will send troops, X said": the place is not said
    return (start, end) if end > start else (start, start)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


# --- quoted regions ----------------------------------------------------------------------


def _extend_over_regions(
    content: tuple[int, int], cue_at: int, regions: _Regions, claimed: set[int]
) -> tuple[int, int]:
    """Grow a parsed clause to the whole quotation it starts or ends inside (multi-sentence quotes).

    A cue inside the quotation is part of the quoted words and never claims the whole of it.
    """
    start, end = content
    for index, region in regions.closing_after(start):
        if region.open_mark >= end:
            break  # growing to a quotation's end never reaches the next one's opening mark
        if region.open_mark < cue_at < region.outer_end:
            continue
        if region.start <= start + 1 and region.end >= start:  # clause starts inside the quotation
            start = min(start, region.start)
            end = max(end, region.end)
            claimed.add(index)
        elif region.open_mark >= start and region.start < end:  # quotation opens inside the clause
            end = max(end, region.end)
            claimed.add(index)
    return start, end


def _balanced(start: int, end: int, regions: _Regions) -> tuple[int, int]:
    """The content grown to hold whole any quotation it opens or closes: trimming its punctuation
    must not leave 'its fighters are “everywhere' open. Of a quotation the text never closes, only
    the words inside the marks."""
    for _, region in regions.closing_after(start):
        if region.open_mark >= end:
            break
        opens_inside = start <= region.open_mark
        closes_inside = region.close_mark is not None and region.close_mark < end
        if opens_inside and region.close_mark is None:
            start = region.start
        elif opens_inside and not closes_inside:
            end = region.outer_end
        elif closes_inside and not opens_inside:
            start = region.open_mark
    return start, end


def _kind(start: int, end: int, cue_at: int, regions: _Regions) -> QuoteKind:
    """Direct when quotation marks (not enclosing the cue itself) cover the content, mixed when partly."""
    inside = [
        r
        for _, r in itertools.takewhile(lambda item: item[1].start < end, regions.closing_after(start))
        if r.end > start and not r.open_mark < cue_at < r.outer_end
    ]
    if not inside:
        return "indirect"
    covered = sum(min(r.end, end) - max(r.start, start) for r in inside)
    return "direct" if covered >= 0.9 * (end - start) else "mixed"


def _adjacent_cue(
    doc: Doc, layout: _Layout, region: QuoteRegion, cues: list[_Cue], positions: list[int]
) -> _Cue | None:
    """A reporting verb in the same sentence as the quotation, outside it: `X said: "..."`, `"...," X said.`

    A quotation that ends its own sentence ("“We won!” Ortiz said.", "“Why?” asked the coach.")
    takes, when its sentence has none, a bare reporting clause right after it: one that opens with
    its verb and speaker and reports nothing else."""
    first = doc.char_span(region.open_mark, region.open_mark + 1, alignment_mode="expand")
    last = doc.char_span(max(region.start, region.end - 1), region.end, alignment_mode="expand")
    if first is None or last is None:
        return None
    lo = layout.sentence(first[0].i).start
    hi = layout.sentence(last[-1].i).end
    # a colon-ended sentence just before the quotation introduces it
    if lo > 0 and region.open_mark - doc[lo].idx < 3:
        prev = layout.sentence(lo - 1)
        if prev[-1].text == ":" or (len(prev) > 1 and prev[-2].text == ":"):
            lo = prev.start
    best: tuple[int, _Cue] | None = None
    for cue in cues[bisect_left(positions, lo) : bisect_left(positions, hi)]:
        if region.open_mark <= cue.token.idx < region.outer_end:
            continue
        if cue.speaker is None and cue.act != "writing":
            continue
        if cue.content is not None and not _overlaps(cue.content, (region.start, region.end)):
            distance_penalty = 40  # the verb reports something else; take it only if nothing closer
        else:
            distance_penalty = 0
        distance = (
            region.open_mark - _chars_end(cue.token)
            if cue.token.idx < region.open_mark
            else cue.token.idx - region.outer_end
        )
        score = distance + distance_penalty
        if best is None or score < best[0]:
            best = (score, cue)
    if best is not None or hi >= len(doc) or region.close_mark is None:
        return best[1] if best else None
    if layout.text[region.outer_end : doc[hi].idx].strip(" \t"):
        return None  # the next sentence does not follow the closing mark on the same line
    end = layout.sentence(hi).end
    bare = cues[bisect_left(positions, hi) : bisect_left(positions, min(hi + _BARE_CLAUSE_TOKENS, end))]
    return next(
        (
            c
            for c in bare
            if c.content is None and c.speaker is not None and end - c.token.i <= _BARE_CLAUSE_TAIL
        ),
        None,
    )


def _dash_signature(doc: Doc, region: QuoteRegion) -> Span | None:
    """A quotation signed with a dash and a name right after it: “...” — Jane Doe."""
    after = doc.char_span(
        region.outer_end, min(len(doc_text(doc)), region.outer_end + 4), alignment_mode="expand"
    )
    if after is None:
        return None
    tokens = [t for t in after if not t.is_space]
    if not tokens or tokens[0].text not in _DASHES:
        return None
    dash = tokens[0]
    name = next((t for t in doc[dash.i + 1 : dash.i + 3] if not t.is_space), None)
    if name is None:
        return None
    if name.ent_iob_ == "B" and name.ent_type_ == "PERSON":
        return _entity_at(name)
    # a signature the recognizer missed: capitalized names that end the line ("— Jacklyn Ashley")
    end = name.i
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
        end += 1
    closed = (
        end == len(doc)
        or doc[end].is_space
        or (doc[end].text == "." and (end + 1 == len(doc) or doc[end + 1].is_space))
    )
    return doc[name.i : end] if 2 <= end - name.i <= 4 and closed else None


def _labelled_paragraphs(doc: Doc, layout: _Layout) -> tuple[list[FoundQuote], list[tuple[int, int]]]:
    """Paragraphs that open with a short label and a colon: transcript turns, and links or captions.

    "WALLACE: If I may ..." or "Jane Doe: We will ...": the words after the colon are the named
    person's own. Only labels that name a person count: a recognized name, or one in capitals that
    the article names a person by ("WALLACE" where it has "Chris Wallace") or that is one side of a
    dialogue (two labels in capitals each opening two paragraphs or more). Any other label is a
    section heading, a link or a caption ("READ MORE:", "WATCH:", "PHOTOS:", "ENERGY:",
    "CLARIFICATION:", a dateline "NEW DELHI:"), never a speaker; where a headline follows it with no
    full stop ("READ MORE: Mayor says fares will be frozen") the line is a link to another story
    or a caption, and nothing in it is this article's report. Returns the turns and those lines.
    """
    text = layout.text
    labelled = []  # (label, colon, where the words after it start and end, where the paragraph ends)
    for sent in doc.sents:
        if sent.start > 0 and "\n" not in doc[sent.start - 1].text + doc[sent.start - 1].whitespace_:
            continue  # only the first sentence of a paragraph
        first = next((t.i for t in sent if not (t.is_quote or t.is_space)), sent.end)
        colon = next((t for t in doc[first : min(first + 5, sent.end)] if t.text == ":"), None)
        if colon is not None and colon.i > first:
            paragraph_end = layout.paragraph(colon.idx)[1]
            labelled.append(
                (doc[first : colon.i], colon, *_trim(text, colon.idx + 1, paragraph_end), paragraph_end)
            )
    said = [(label.text, start, paragraph_end) for label, _, start, _, paragraph_end in labelled]
    turn_counts = Counter(name for name, start, end in said if not _headline(text[start:end]))
    in_capitals = [name for name in turn_counts if name.isupper()]
    dialogue = sum(1 for name in in_capitals if turn_counts[name] >= 2) >= 2
    surnames = {e[-1].text.upper() for e in doc.ents if e.label_ == "PERSON" and not e.text.isupper()}
    turns, links = [], []
    for label, colon, start, end, paragraph_end in labelled:
        entity = _entity_at(label[0]) if label[0].ent_type_ == "PERSON" else None
        is_name = entity is not None and entity.start == label.start and entity.end == label.end
        if all(t.is_upper and t.is_alpha and len(t) > 1 for t in label):  # in capitals
            is_name = label[-1].text in surnames or (
                (dialogue and turn_counts[label.text] >= 2)
                # "WALLACE: Let us start ..." then "PENCE: We are ...": two sides speaking as I or we
                or (len(in_capitals) >= 2 and _in_person(doc, colon.i + 1, paragraph_end))
            )
        if label[0].lower_ == "dear":  # "DEAR ABBY: My husband ...": a letter's salutation names its reader
            is_name = False
        if is_name and len(text[start:end].split()) >= 3:
            turns.append(
                FoundQuote(start, end, "direct", "speech", (colon.idx, colon.idx + 1), label, 0.75, "turn")
            )
        elif not is_name and _is_heading(label) and end > start and _headline(text[start:paragraph_end]):
            links.append((label.start_char, paragraph_end))
    return turns, links


_PERSONAL = frozenset("i me my we us our you your".split())


def _in_person(doc: Doc, first: int, end: int) -> bool:
    """The words from token ``first`` to the character ``end`` say I, we or you: somebody speaking,
    where a section's text ("ENERGY: Oil prices rose ...") tells of others."""
    return any(
        t.lower_ in _PERSONAL and t.pos_ == "PRON"
        for t in itertools.takewhile(lambda t: t.idx < end, doc[first:])
    )


def _is_heading(label: Span) -> bool:
    """A label that names a section or a link ("READ MORE", "Watch", "Editor's note"): capitalized,
    with no finite verb ("Massoud added:" introduces what follows)."""
    return (label[0].is_title or label[0].is_upper) and not any(
        t.tag_ in ("VBD", "VBZ", "VBP") for t in label
    )


def _headline(words: str) -> bool:
    """Words with no full stop at the end that are not a quotation: a headline or a caption."""
    return words[:1] not in _OPENING_MARKS and words.rstrip(_CLOSING_MARKS)[-1:] not in (".", "!", "?")


_CREDIT = re.compile(
    r"""\((?:AP\ |CP\ )?Photo\b[^()\n]*\)     # (Photo: Jane Roe), (AP Photo/Jane Roe)
    |\b(?:Photo|Photograph|Photos|PHOTO|PHOTOS|Image|Credit)\s*(?:by\b|:|/)
    |THE\ CANADIAN\ PRESS/|\bGetty\ Images\b|\b(?:Instagram|Getty|Shutterstock|Facebook|Twitter)/
    |\bAP\ Photo\b                         # ... Felix Marquez AP Photo.
    |\bImage\ (?:copyright|caption)\b       # Image copyright Jane Roe Image caption ...""",
    re.VERBOSE,
)
_CAPTION_CHARS = (
    400  # a caption is a short line; a credit inside a long one is an article flattened into a line
)
_CREDITED_CAPTION_CHARS = 1000  # a caption that ends with its credit may tell the story behind the picture


def _captions(layout: _Layout) -> list[tuple[int, int]]:
    """Short lines that carry a photo credit ("... in Ottawa on Tuesday. THE CANADIAN PRESS/Jane Roe",
    "(Photo: Jane Roe)"): a caption says what a picture shows; nothing in it is a report."""
    found: list[tuple[int, int]] = []
    for credit in _CREDIT.finditer(layout.text):
        start, end = layout.paragraph(credit.start())
        closing = len(layout.text[credit.end() : end].split()) <= 4  # the credit ends the paragraph
        limit = _CREDITED_CAPTION_CHARS if closing else _CAPTION_CHARS
        if end - start <= limit and (not found or found[-1] != (start, end)):
            found.append((start, end))
    return found


_TITLE_SMALL_WORDS = frozenset("a an the and or of in on at to for with by from".split())


def _is_title(words: str) -> bool:
    """ "Fox News Sunday", "Keepin' It Real", "War and Peace": a short run of capitalized words in
    quotation marks names a show, book or campaign; it is not somebody's words."""
    tokens = words.split()
    # a comma may stand inside the marks after a title of two words or more ('told "Face the Nation,"')
    if (
        not 1 <= len(tokens) <= 6
        or words.rstrip()[-1:] in ".!?"
        or (words.rstrip()[-1:] == "," and len(tokens) < 2)
    ):
        return False
    return tokens[0][:1].isupper() and all(t[:1].isupper() or t.lower() in _TITLE_SMALL_WORDS for t in tokens)


def _introduced(text: str, region: QuoteRegion) -> bool:
    """A colon or comma right before the opening mark introduces the quotation as speech."""
    return _char_before(text, region.open_mark) in (":", ",")


def _char_before(text: str, at: int, spaces: str | None = None) -> str:
    """The last character before ``at`` that is not a space ("" at the start of the text); ``spaces``
    as for ``str.rstrip``. Walks back over the spaces only: slicing the text before every quotation
    would make an article's cost grow with the square of its length."""
    at -= 1
    while at >= 0 and (text[at] in spaces if spaces is not None else text[at].isspace()):
        at -= 1
    return text[at] if at >= 0 else ""


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _uncued_regions(
    doc: Doc, layout: _Layout, regions: list[QuoteRegion], claimed: set[int], quotes: list[FoundQuote]
) -> list[FoundQuote]:
    """Quotations with no cue of their own: continuations of the previous speaker, or unattributed."""
    text = layout.text
    covered = _Coverage(quotes)
    spoken = sorted((q.end, i) for i, q in enumerate(quotes) if q.speaker is not None)
    spoken_ends = [end for end, _ in spoken]
    found: list[FoundQuote] = []
    introduced: FoundQuote | None = None  # the last of ``found`` with a speaker
    for index, region in enumerate(regions):
        if index in claimed or not region.double:
            continue
        if covered(region):
            continue  # a quoted fragment inside a reported clause (mixed quotation), or already found
        quoted = text[region.start : region.end].strip()
        words = len(quoted.split())
        stands_alone = _stands_alone(text, region)
        # a short quoted sentence on its own is somebody's words ("Nobody warned us."), a short
        # quoted phrase a title or a scare quote
        if (words < _SHORT_QUOTE_WORDS and not _quoted_sentence(text, region)) or not (
            stands_alone or words >= 8
        ):
            continue
        # the quote with a speaker that ends last before the opening mark (the first of equals)
        at = bisect_right(spoken_ends, region.open_mark)
        previous = quotes[spoken[bisect_left(spoken_ends, spoken_ends[at - 1])][1]] if at else None
        if introduced is not None and (previous is None or introduced.end > previous.end):
            previous = introduced
        follows = None
        if previous is not None and _continues(layout, previous, region):
            follows = previous
        introducer = _colon_introducer(doc, layout, region)
        if introducer is not None:
            found.append(_direct(region, introducer[0], introducer[1], 0.7, "quote+colon"))
            introduced = found[-1]
        elif follows is not None:
            found.append(_direct(region, None, None, 0.6, "quote-continued", follows=follows))
        else:
            found.append(_direct(region, None, None, 0.4, "quote-alone"))
    return found


class _Coverage:
    """Whether a quoted region lies inside, or nearly matches, a quote found with a cue outside its
    marks. Regions are asked in text order: a sweep over the quotes by start, not all pairs."""

    def __init__(self, quotes: list[FoundQuote]) -> None:
        self.quotes = sorted(quotes, key=lambda q: q.start)
        self.starts = [q.start for q in self.quotes]
        self.open: list[tuple[int, int]] = []  # (-end, position) of quotes starting before the region
        self.added = 0

    def __call__(self, region: QuoteRegion) -> bool:
        def outside(q: FoundQuote) -> bool:
            # a cue inside the marks reports within them; a transcript turn's label is part of them
            return q.cue is None or q.rule == "turn" or not region.open_mark < q.cue[0] < region.outer_end

        while self.added < len(self.quotes) and self.quotes[self.added].start <= region.start:
            heapq.heappush(self.open, (-self.quotes[self.added].end, self.added))
            self.added += 1
        # the quote reaching furthest among those that start first; passed over only for cues inside
        # these marks, which are each passed over for this one region
        passed = []
        while self.open and not outside(self.quotes[self.open[0][1]]):
            passed.append(heapq.heappop(self.open))
        inside = bool(self.open) and -self.open[0][0] >= region.end
        for item in passed:
            heapq.heappush(self.open, item)
        if inside:
            return True
        # a Dice score of 0.5 needs a quote at most three times the region's length that overlaps it
        length = region.end - region.start
        near = self.quotes[
            bisect_left(self.starts, region.start - 3 * length) : bisect_left(self.starts, region.end)
        ]
        return any(outside(q) and _dice((q.start, q.end), (region.start, region.end)) >= 0.5 for q in near)


def _colon_introducer(doc: Doc, layout: _Layout, region: QuoteRegion) -> tuple[tuple[int, int], Span] | None:
    """ "Sanders made the following comment:" then the quotation: the colon's sentence names the speaker."""
    text = doc_text(doc)
    if _char_before(text, region.open_mark) != ":":
        return None
    at = text.rindex(":", 0, region.open_mark)
    colon = doc.char_span(at, at + 1, alignment_mode="expand")
    if colon is None:
        return None
    root = layout.sentence(colon[0].i).root
    subject = _nsubj(root)
    if subject is None or (subject.ent_type_ not in ("PERSON", "ORG") and subject.pos_ != "PRON"):
        return None
    return (colon[0].idx, colon[0].idx + 1), _mention(subject)


def _direct(
    region: QuoteRegion,
    cue: tuple[int, int] | None,
    speaker: Span | None,
    confidence: float,
    rule: str,
    act: SpeechAct = "speech",
    follows: FoundQuote | None = None,
) -> FoundQuote:
    """A direct quotation: the words inside the marks."""
    return FoundQuote(
        region.start, region.end, "direct", act, cue, speaker, confidence, rule, follows=follows
    )


def _quoted_sentence(text: str, region: QuoteRegion) -> bool:
    """A quotation of two words or more that is a sentence of its own ("“We won!”", "“Nobody warned
    us.”"): somebody's words, where a short quoted phrase may be a title or a scare quote."""
    quoted = text[region.start : region.end].strip()
    return (
        _stands_alone(text, region)
        and len(quoted.split()) >= 2
        and quoted[:1].isupper()
        and quoted[-1:] in ".!?"
    )


def _stands_alone(text: str, region: QuoteRegion) -> bool:
    """The quotation is a sentence or a paragraph of its own, not a phrase inside a sentence."""
    before = _char_before(text, region.open_mark, " \t")
    return not before or before in ".!?\n:”\"’'"


def _continues(layout: _Layout, previous: FoundQuote, region: QuoteRegion) -> bool:
    """The quotation goes on with the previous speaker: nobody else is named in between, and at most
    one paragraph break separates them ("“A,” she said. “B.”" or a quote paragraph after a quote)."""
    assert previous.speaker is not None
    if layout.paragraph_breaks(previous.end, region.open_mark) > 1:
        return False
    first, last = layout.tokens_within(previous.end, region.open_mark)
    names = layout.names_in(first, last)
    if not names:
        return True
    # names in the previous speaker's own sentence ("said X, a former Obama aide") do not interrupt
    own = layout.sentence(previous.speaker.start)
    return names == layout.names_in(max(first, own.start), min(last, own.end))


def _deduplicate(quotes: list[FoundQuote]) -> list[FoundQuote]:
    """Where two cues claim the same words, keep the more confident (then the earlier) claim.

    Only kept quotes that could be rivals are looked at: a Dice score of 0.5 needs overlapping words
    at most three times as long, and a rival holds no cue of the other's. Kept quotes are listed by
    start and by end, so a chain of reports inside reports is not compared pair by pair."""
    kept: list[FoundQuote] = []
    by_start: list[tuple[int, int]] = []  # (start, position in kept)
    by_end: list[tuple[int, int]] = []
    for q in sorted(quotes, key=lambda q: (-q.confidence, q.start)):
        length, cue = q.end - q.start, q.cue[0] if q.cue is not None else None
        if cue is not None and cue >= q.end:  # a rival ends before the cue after the words
            hi = min(cue, q.end + 3 * length)
            window = by_end[
                bisect_right(by_end, (q.start, len(kept))) : bisect_right(by_end, (hi, len(kept)))
            ]
        else:  # ... or starts after the cue before them
            lo = q.start - 3 * length if cue is None or cue >= q.start else max(cue + 1, q.start - 3 * length)
            window = by_start[bisect_left(by_start, (lo, -1)) : bisect_left(by_start, (q.end, -1))]
        if any(
            _dice((q.start, q.end), (k.start, k.end)) >= 0.5 and not _nests(q, k)
            for k in (kept[i] for _, i in window)
        ):
            continue
        insort(by_start, (q.start, len(kept)))
        insort(by_end, (q.end, len(kept)))
        kept.append(q)
    return kept


def _nests(a: FoundQuote, b: FoundQuote) -> bool:
    """One quote's cue lies inside the other's words: a report within a report, not a rival claim."""
    return any(
        inner.cue is not None and outer.start <= inner.cue[0] < outer.end for inner, outer in ((a, b), (b, a))
    )


def _dice(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    total = (a[1] - a[0]) + (b[1] - b[0])
    return 2 * inter / total if total else 0.0


def _mark_nesting(quotes: list[FoundQuote]) -> None:
    """A report inside another's quoted words is nested when it names a third party as its source.

    Other reports inside a report ("I said we would win", "she said she expects ...") are part of
    the outer speaker's own statement, not a second source, so they are dropped rather than nested.
    """
    crossing = _crossing_pairs(quotes)
    for a in quotes:  # two reports each holding the other's cue: a misparse; keep the surer one
        for b in crossing.get(id(a), ()):
            if a.confidence >= b.confidence:
                b.confidence = 0
    live = sorted((q for q in quotes if q.confidence > 0), key=lambda q: q.start - q.end)  # outer first
    # a cue belongs to the first accepted (so the longest) quote holding it: each accepted quote
    # paints the cue positions it covers that no earlier one painted, so each is painted once
    points = sorted({q.cue[0] for q in live if q.cue is not None})
    holder: list[FoundQuote | None] = [None] * len(points)
    unpainted = list(range(len(points) + 1))  # where to look for the next unpainted point

    def next_unpainted(i: int) -> int:
        root = i
        while unpainted[root] != root:
            root = unpainted[root]
        while unpainted[i] != root:
            unpainted[i], i = root, unpainted[i]
        return root

    for inner in live:
        outer = holder[bisect_left(points, inner.cue[0])] if inner.cue is not None else None
        if outer is not None:
            speaker = inner.speaker
            named_inside = (
                speaker is not None
                and _root(speaker).pos_ == "PROPN"
                and outer.start <= speaker.start_char < outer.end
            )
            if named_inside and outer.kind != "indirect":
                inner.nested_in = outer
            else:
                inner.confidence = 0  # part of the outer report ("she said she expects ...")
                continue
        i = next_unpainted(bisect_left(points, inner.start))
        while i < len(points) and points[i] < inner.end:
            holder[i] = inner
            unpainted[i] = i + 1
            i = next_unpainted(i + 1)


def _crossing_pairs(quotes: list[FoundQuote]) -> dict[int, list[FoundQuote]]:
    """For each quote (by id), the quotes in list order whose cue it holds while they hold its cue.

    A sweep along the cues: the quotes covering the current cue are kept ordered by their own cue,
    so each cue looks only at the covering quotes whose cue lies inside its own quote's words."""
    cued = [(q.cue[0], n, q) for n, q in enumerate(quotes) if q.cue is not None]
    opening = sorted(cued, key=lambda item: item[2].start)
    closing = sorted(cued, key=lambda item: item[2].end)
    covering: list[tuple[int, int]] = []  # (cue position, list position) of the quotes covering it
    pairs: dict[int, list[FoundQuote]] = {}
    o = c = 0
    for at, _, b in sorted(cued, key=lambda item: item[0]):
        while o < len(opening) and opening[o][2].start <= at:
            insort(covering, opening[o][:2])
            o += 1
        while c < len(closing) and closing[c][2].end <= at:
            del covering[bisect_left(covering, closing[c][:2])]
            c += 1
        for _, n in covering[bisect_left(covering, (b.start, -1)) : bisect_left(covering, (b.end, -1))]:
            if quotes[n] is not b:
                pairs.setdefault(id(quotes[n]), []).append(b)
    order = {id(q): n for n, q in enumerate(quotes)}
    for held in pairs.values():
        held.sort(key=lambda q: order[id(q)])
    return pairs
