"""Events from a parsed Doc: who did what to whom, where and when, coded in PLOVER and ACLED.

A trigger is a verb or an event noun of the lexicon (``data/event_triggers.tsv``) that fits its
row's frame ("open" only with "fire", "lift" with a curfew or a siege). Its arguments come from
the parse: subject and object by voice ("was killed by", "the killing of six fighters"), the
prepositions that mark an opponent, target or recipient ("a battle with", "sanctions against",
"aid to"), possessives and nationality words on nouns ("his visit", "Israeli raids"), the
subject of a support verb ("held talks", "is organizing a meeting").

One sentence often names one event several times, and a conflict analyst codes it once: a
killing that happened in a battle, a participle that tells what an attack did ("..., killing
12"), a purpose ("fired tear gas to disperse protesters"), an event named as what is demanded,
refused or promised ("rejected a ceasefire") join the event that contains them. Across
sentences, a definite noun ("this meeting", "his meeting with Massoud") that repeats an earlier
event of the same verb with compatible places, dates and participants is another mention of it,
and protesters' demands in the sentence after their protest are that protest's.

Modality comes from the clause: negation drops an event that the text says did not happen
(PLOVER excludes negated events) or makes a refused commitment a REJECT; an agent's future
("will visit", "said they would boycott") is, as PLOVER codes it, a commitment: AGREE for a
cooperative act, THREATEN for a hostile one; a scheduled event ("protests are planned", "is
organizing a meeting", "the upcoming talks") keeps its own category and is "planned"; "if",
"could" and verbs like "claim" or "want" make it "hypothetical"; what is denied is "denied".
Directly quoted words and questions are statements, not reports of events: they are left to the
quotes. Numbers are read as ACLED reads them (the most conservative figure; "dozens" 12).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Generic, Protocol, TypeVar

from spacy.tokens import Doc, Span, Token

from quotegraph.extract.dates import publication_date
from quotegraph.model import (
    EVENT_TYPES,
    CharSpan,
    Count,
    DateMention,
    Entity,
    Event,
    Mention,
    Modality,
    Participant,
    Place,
)
from quotegraph.nlp import doc_text

# --- the lexicon -------------------------------------------------------------------------------

_COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
# categories whose object or complement event is only their content: what is demanded, refused,
# promised, conceded or agreed to has not happened ("rejected a ceasefire")
_CONTENT_TAKERS = frozenset(
    {"REQUEST", "REJECT", "THREATEN", "AGREE", "COMMIT", "CONCEDE", "SUPPORT", "MOBILIZE"}
)
_OUTCOME_BASES = frozenset({"kill", "wound", "injure", "die", "killing", "death"})
_DETERMINERS = ("the ", "a ", "an ", "this ", "that ", "these ", "those ")
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_POSSIBLE_AUX = frozenset({"could", "might", "may", "can"})
_CONDITIONAL = frozenset({"if", "unless", "whether"})
_WILLING = frozenset({"willing", "ready", "prepared", "determined", "committed", "eager", "keen"})
_OBLIGATION = frozenset({"must", "should"})
_PLACE_ORDER = {"landmark": 0, "city": 1, "other": 2, "region": 3, "country": 4, "continent": 5}
_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "they", "them", "their", "it", "its"})
_PERSONAL = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_NUMBER_WORDS |= {
    w: 10 * n
    for n, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
    if n > 1
}
_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True, slots=True)
class Sense:
    """One row of the trigger lexicon: a word in one frame, with its categories."""

    lemma: str
    pos: str  # V verb, N count noun, M mass noun
    type: str  # an EventType, COMMIT or OUTCOME
    acled: str | None
    needs: str | None  # obj, prt, prep, comp
    needs_words: frozenset[str]
    base: str  # the verb a noun names, for later mentions


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, list[Sense]]
    nouns: dict[str, list[Sense]]
    words: dict[str, frozenset[str]]
    approximate: dict[str, int]

    def has(self, cls: str, word: str) -> bool:
        return word in self.words[cls]


def _data_lines(name: str) -> Iterator[list[str]]:
    text = resources.files("quotegraph.extract").joinpath("data", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@functools.cache
def lexicon() -> Lexicon:
    """The trigger lexicon and word classes, read once from the package's data files."""
    verbs: dict[str, list[Sense]] = {}
    nouns: dict[str, list[Sense]] = {}
    for lemma, pos, plover, acled, requires, base in _data_lines("event_triggers.tsv"):
        needs, _, listed = requires.partition("=")
        sense = Sense(
            lemma,
            pos,
            plover,
            None if acled == "-" else acled,
            None if needs == "-" else needs,
            frozenset(listed.split("|")) if listed else frozenset(),
            lemma if base == "-" else base,
        )
        (verbs if pos == "V" else nouns).setdefault(lemma, []).append(sense)
    for senses in (*verbs.values(), *nouns.values()):
        senses.sort(key=lambda s: s.needs is None)  # a row that asks for a frame is tried first
    words: dict[str, frozenset[str]] = {}
    approximate: dict[str, int] = {}
    for cls, listed in _data_lines("event_words.tsv"):
        if cls == "approximate":
            approximate = {w: int(n) for w, n in (item.split(":") for item in listed.split())}
        else:
            words[cls] = frozenset(listed.split())
    return Lexicon(verbs, nouns, words, approximate)


# --- frames ------------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Frame:
    """A trigger with what the parse says about it, before it becomes an Event."""

    token: Token
    sense: Sense
    type: str
    acled: str | None
    support: Token | None = None  # "held" in "held talks"
    parts: list[Token] = field(default_factory=list)  # the triggers merged into this one
    modality: Modality | None = "happened"  # None: negated, not an event
    actor1: Token | None = None
    actor2: Token | None = None
    dead: list[tuple[int, CharSpan]] = field(default_factory=list)
    hurt: list[tuple[int, CharSpan]] = field(default_factory=list)
    crowd: list[tuple[int, CharSpan]] = field(default_factory=list)
    mentions: list[CharSpan] = field(default_factory=list)
    joined: list[_Frame] = field(default_factory=list)
    own_places: bool = False
    crowd_words: Token | None = None  # the subject phrase a crowd size is read from
    event: Event | None = None

    @property
    def clause(self) -> Token:
        return self.support if self.support is not None else self.token

    @property
    def is_noun(self) -> bool:
        return self.sense.pos != "V"


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _forms(token: Token) -> tuple[str, ...]:
    """The lemma, and for a verb the stems its regular ending allows, since the trained lemmatizer
    sometimes guesses wrong ("staged" -> "stag"); only a form the lexicon lists ever matches."""
    lemma = token.lemma_.lower()
    word = token.lower_
    if token.pos_ != "VERB" or word == lemma:
        return (lemma,)
    if word.endswith("ed"):
        return (lemma, word[:-1], word[:-2])
    if word.endswith("ing"):
        return (lemma, word[:-3] + "e", word[:-3])
    return (lemma,)


def _is(token: Token, cls: str, lex: Lexicon) -> bool:
    """Whether a word belongs to a class of the word list, under any of its forms."""
    return any(lex.has(cls, form) for form in _forms(token))


def _sense(token: Token, lex: Lexicon) -> Sense | None:
    if token.pos_ == "VERB":
        senses = next((lex.verbs[f] for f in _forms(token) if f in lex.verbs), [])
    elif token.pos_ == "NOUN":
        senses = lex.nouns.get(_lemma(token)) or lex.nouns.get(token.lower_, [])
    else:
        return None
    sense = next((s for s in senses if _fits(token, s)), None)
    demands = sense is not None and sense.type == "CONSULT" and sense.needs is None
    if demands and any(lex.has("unasserted_noun", _lemma(o)) for o in _objects(token)):
        return None  # "their demands were met"
    return sense


def _objects(token: Token) -> list[Token]:
    """What a verb acts on (its object, or its subject when passive); a noun's modifiers."""
    if token.pos_ == "NOUN":  # "prisoner release", "the release of prisoners"
        of = [
            o
            for p in token.children
            if p.dep_ == "prep" and p.lower_ == "of"
            for o in p.children
            if o.dep_ == "pobj"
        ]
        return [*(c for c in token.children if c.dep_ in ("compound", "amod", "nmod")), *of]
    found = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")]
    for prep in (c for c in token.children if c.dep_ in ("prep", "dative")):
        found.extend(c for c in prep.children if c.dep_ == "pobj")  # "set fire to", "fired into"
    for obj in list(found):  # "700 kg of medicine", "part of a military aid program"
        for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"):
            inner = [c for c in prep.children if c.dep_ == "pobj"]
            found.extend(inner)
            found.extend(c for i in inner for c in i.children if c.dep_ == "compound")
    return found


def _fits(token: Token, sense: Sense) -> bool:
    if sense.needs is None:
        return True
    if sense.needs == "obj":
        human = "@human" in sense.needs_words and any(_human(o, lexicon()) for o in _objects(token))
        return human or any(
            _lemma(o) in sense.needs_words or o.lower_ in sense.needs_words for o in _objects(token)
        )
    if sense.needs in ("prt", "prep"):
        return any(
            c.dep_ in ("prt", "prep", "advmod") and c.lower_ in sense.needs_words for c in token.children
        )
    return any(c.dep_ in ("xcomp", "ccomp") or _infinitive_clause(c) for c in token.children)  # comp


def _infinitive_clause(token: Token) -> bool:
    """ "sworn to fight" as the parser sometimes hangs it: an adverbial clause with "to"."""
    return token.dep_ == "advcl" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children)


def _np_head(token: Token, lex: Lexicon) -> Token:
    """The noun phrase an event noun heads, climbing "a round of" and "a wave of"."""
    while True:
        if (
            token.dep_ == "pobj"
            and token.head.lower_ == "of"
            and token.head.head.pos_ == "NOUN"
            and lex.has("partitive", _lemma(token.head.head))
        ):
            token = token.head.head
        elif _light_head(token, lex):
            token = token.head
        else:
            return token


def _governing_verb(np: Token) -> tuple[Token | None, str]:
    """The verb a noun phrase is an argument of, and how: "dobj", "nsubjpass", "nsubj" or a preposition."""
    if np.dep_ in ("dobj", "nsubjpass", "nsubj", "attr") and np.head.pos_ in ("VERB", "AUX"):
        return np.head, np.dep_
    if np.dep_ == "pobj" and np.head.dep_ == "prep" and np.head.head.pos_ == "VERB":
        return np.head.head, np.head.lower_
    return None, ""


def _frame(token: Token, lex: Lexicon) -> _Frame | None:
    sense = _sense(token, lex)
    if sense is None or token.ent_type_ in ("ORG", "PERSON", "WORK_OF_ART", "LAW", "GPE", "NORP"):
        return None
    frame = _Frame(token, sense, sense.type, sense.acled, parts=[token])
    if sense.pos == "V":
        if _is_duration(token, lex) or _unasserted(token, lex) or _descriptive(token, lex):
            return None
        return frame
    if _metaphor(token, lex):
        return None
    if token.dep_ in ("poss", "amod") or (token.dep_ == "compound" and not _light_head(token, lex)):
        return None  # "the meeting's chairman", "protest leaders": a modifier, not an event
    np = _np_head(token, lex)
    if _is_duration(np, lex) or _unasserted(np, lex) or any(c.dep_ == "neg" for c in np.children):
        return None
    verb, how = _governing_verb(np)
    if verb is not None and (_is(verb, "support", lex) or _is(verb, "plan", lex)):
        if how != "nsubj":
            frame.support = verb
    elif sense.pos == "M":
        return None  # "aid", "sanctions" alone name an activity, not an episode
    if frame.support is None and not _anchored(token):
        return None
    return frame


def _metaphor(token: Token, lex: Lexicon) -> bool:
    """ "the battle against poverty", "a fight against corruption": violence against nobody."""
    if _sense(token, lex) is None or token.lemma_ not in ("battle", "fight", "war", "fighting", "struggle"):
        return False
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("against", "on")):
        target = next((o for o in prep.children if o.dep_ == "pobj"), None)
        if target is not None and not _human(target, lex):
            return True
    return False


def _light_head(token: Token, lex: Lexicon) -> bool:
    """ "a mediation mission", "a rescue operation": the event named by the modifier of a light noun."""
    return token.dep_ == "compound" and lex.has("light", _lemma(token.head))


def _descriptive(verb: Token, lex: Lexicon) -> bool:
    """A verb that describes a participant rather than reporting an event: an adjective ("the banned
    party", "the wounded"), a participle or infinitive on a noun that is not itself an event ("rebels
    fighting to topple", "the first delegation to visit"), a metaphor ("the battle against poverty")."""
    if verb.dep_ in ("amod", "compound") or any(c.dep_ == "det" for c in verb.children):
        return True
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        head_sense = _sense(verb.head, lex) if verb.head.pos_ == "NOUN" else None
        attempt = _lemma(verb.head) in ("attempt", "bid")
        return head_sense is None and not attempt and not lex.has("protester", _lemma(verb.head))
    return False


_SAYING_DEMAND = Sense("say", "V", "REQUEST", None, "comp", frozenset(), "say")


def _demand_by_saying(token: Token, lex: Lexicon) -> _Frame | None:
    """ "Russia said Sudan must return the helicopter": a demand made by saying what another must do."""
    if token.pos_ != "VERB" or not _is(token, "say", lex):
        return None
    for comp in (c for c in token.children if c.dep_ == "ccomp"):
        obliged = any(a.dep_ == "aux" and a.lower_ in _OBLIGATION for a in comp.children)
        subject = next((c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if obliged and subject is not None and _human(subject, lex) and _subject(token) is not None:
            return _Frame(token, _SAYING_DEMAND, "REQUEST", None, parts=[token])
    return None


def _is_duration(np: Token, lex: Lexicon) -> bool:
    """ "20 months of fighting": a stretch of an activity, not one event."""
    head = np.head
    return (
        np.dep_ in ("pobj", "pcomp")
        and head.lower_ == "of"
        and head.head.pos_ == "NOUN"
        and lex.has("duration", _lemma(head.head))
        and any(c.dep_ in ("nummod", "det", "amod") for c in head.head.children)
    )


def _unasserted(token: Token, lex: Lexicon) -> bool:
    """What somebody claims, wants or decided to do, or the risk of: no event is said to occur
    ("fronts claiming to fight", "a decision to attack", "fears of clashes"). A verb of the lexicon
    above it ("threatened to shell") makes it that verb's content instead, decided later."""
    head = token.head
    if token.dep_ in ("xcomp", "dobj") and head.pos_ == "VERB":  # "claiming to fight", "fear an attack"
        return (
            lex.has("unasserted", _lemma(head)) and _sense(head, lex) is None and not _is(head, "plan", lex)
        )
    if token.dep_ == "acl" and head.pos_ == "NOUN":
        return lex.has("unasserted_noun", _lemma(head))
    if token.dep_ in ("pobj", "pcomp") and head.lower_ == "of" and head.head.pos_ == "NOUN":
        return lex.has("unasserted_noun", _lemma(head.head))
    return False


def _anchored(noun: Token) -> bool:
    """A noun names an episode when determined, counted, plural or modified; a bare singular noun
    ("in protest of", "in retaliation for") names an activity or a purpose."""
    return noun.tag_ in ("NNS", "NNPS") or any(
        c.dep_ in ("det", "poss", "nummod", "compound", "amod", "nmod") for c in noun.children
    )


# --- one sentence ------------------------------------------------------------------------------


def _path(token: Token, stop: Token | None = None) -> Iterator[Token]:
    """The heads above a token, up to the root of its sentence."""
    seen = 0
    while token.head.i != token.i and seen < 40:
        yield token.head
        token = token.head
        seen += 1
        if stop is not None and token.i == stop.i:
            return


def _link(child: _Frame, by_token: dict[int, _Frame]) -> _Frame | None:
    """The nearest frame whose clause or noun phrase contains this one."""
    for head in _path(_anchor(child)):
        frame = by_token.get(head.i)
        if frame is not None and frame is not child:
            return frame
    return None


def _anchor(frame: _Frame) -> Token:
    """Where a frame hangs in the parse: its verb, or the support verb of its noun, or the noun."""
    return frame.support if frame.support is not None else frame.token


def _relation(child: _Frame, parent: _Frame) -> str:
    """How a frame hangs from the frame above it: "content", "adjunct", "coordinate" or "other"."""
    token = _anchor(child)
    chain = [token, *list(_path(token, _anchor(parent)))]
    deps = [t.dep_ for t in chain[:-1]]
    if deps and deps[0] == "conj":
        outcomes = child.sense.base in _OUTCOME_BASES and parent.sense.base in _OUTCOME_BASES
        return "adjunct" if outcomes else "coordinate"  # "killed two and wounded five": one toll
    first = deps[0] if deps else ""
    top = chain[-2] if len(chain) >= 2 else token
    purpose = top.dep_ == "advcl" and (
        top.tag_ == "VBG" or any(c.dep_ == "aux" and c.tag_ == "TO" for c in top.children)
    )
    if purpose and top.i != token.i:
        return "adjunct"  # "blocked roads to press their demands": the purpose of the protest
    if first in ("nsubj", "nsubjpass") and len(chain) == 2 and child.type == parent.type == "ASSAULT":
        return "adjunct"  # "a roadside bomb killed three soldiers", "a car bomb exploded"
    at_once = top.dep_ == "advcl" and any(
        c.dep_ == "advmod" and c.lower_ in ("when", "as") for c in top.children
    )
    if at_once and (child.sense.base in _OUTCOME_BASES or parent.sense.base in _OUTCOME_BASES):
        return "adjunct"  # "six were killed when a car bomb exploded"
    if first in ("xcomp", "ccomp"):
        return "content"
    if first == "advcl":
        if token.tag_ == "VBG" or any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children):
            return "adjunct"  # "..., killing 12"; "fired tear gas to disperse them"
        return "other"
    if first in ("dobj", "nsubjpass", "attr"):
        return "content"
    if first == "pobj":
        prep = chain[1] if len(chain) > 1 else None
        if prep is not None and prep.lower_ in ("in", "during", "with", "amid", "as", "on"):
            return "adjunct"  # "killed in an attack", "the killing ... in a battle", "on a visit"
        if prep is not None and prep.lower_ in ("to", "for", "of", "over", "into", "about"):
            return "content"
    if first == "relcl" and (child.sense.base in _OUTCOME_BASES or parent.sense.base in _OUTCOME_BASES):
        return "adjunct"  # "the attack that killed 12 civilians"
    if first == "acl" and child.type == "PROTEST" and parent.token.i != token.head.i:
        return "participants"  # "demonstrators protesting election results"
    if first == "acl":
        return "adjunct"  # "a demonstration calling for", "an attack killing 12"
    return "other"


def _depth(token: Token) -> int:
    return sum(1 for _ in _path(token))


_CONTENT_DEPS = frozenset({"dobj", "xcomp", "ccomp", "nsubjpass", "attr", "oprd", "dative", "acl"})
_CONTENT_PREPOSITIONS = frozenset({"to", "for", "of", "on", "over", "into", "about", "against", "from"})


def _content_taker(frame: _Frame, by_token: dict[int, _Frame]) -> _Frame | None:
    """The frame this one is what is demanded, refused, promised or agreed to: the nearest frame of
    such a category above it, reached through an object or complement ("rejected an invitation to
    attend a meeting"), or the verb whose required object it is ("lifted a blockade")."""
    below = _anchor(frame)
    for head in _path(below):
        taker = by_token.get(head.i)
        if taker is not None and taker is not frame:
            dep = below.dep_
            if dep == "prep":
                dep = "prep" if below.lower_ in _CONTENT_PREPOSITIONS else ""
            if _infinitive_clause(below) and taker.sense.needs == "comp":
                dep = "xcomp"
            if taker.type in _CONTENT_TAKERS and dep in (*_CONTENT_DEPS, "prep"):
                return taker
            required = (
                taker.sense.needs == "obj" and frame.is_noun and below.i == _np_head(frame.token, lexicon()).i
            )
            if required and dep in ("dobj", "nsubjpass", "prep"):
                return taker
        if head.dep_ in ("conj", "advcl", "parataxis", "relcl") and by_token.get(head.i) is None:
            below = head
            continue
        below = head
    return None


def _absorb(frames: list[_Frame]) -> list[_Frame]:
    """Join the frames of one sentence that a coder codes as one event; drop what is only content.
    The deepest frames go first, so that what joins a frame travels with it."""
    by_token = {f.token.i: f for f in frames} | {f.support.i: f for f in frames if f.support is not None}
    gone: set[int] = set()
    for frame in sorted(frames, key=lambda f: -_depth(_anchor(f))):
        taker = _content_taker(frame, by_token)
        if taker is not None:
            if taker.type == "COMMIT" and _anchor(frame).head.i == _anchor(taker).i:  # what is promised
                taker.type = "THREATEN" if frame.type not in _COOPERATIVE else "AGREE"
            _take_over(taker, frame)
            gone.add(id(frame))
            continue
        parent = _link(frame, by_token)
        related = parent is not None and _relation(frame, parent) in ("adjunct", "participants")
        if parent is not None and related and _joinable(parent, frame):
            _take_over(parent, frame)
            gone.add(id(frame))
    kept = [f for f in frames if id(f) not in gone]
    protests = [f for f in kept if f.type == "PROTEST"]
    if len(protests) > 1:  # one protest, however many words the sentence gives it
        main = min(protests, key=lambda f: _depth(_anchor(f)))
        for other in protests:
            if other is not main:
                _take_over(main, other)
                gone.add(id(other))
        kept = [f for f in kept if id(f) not in gone]
    # the events ACLED codes (violence, protests, arrests ...) first, then the sentence's main event first
    main_first = sorted(kept, key=lambda f: (f.acled is None, _depth(_anchor(f)), f.token.i))
    return [_promoted(frame) for frame in main_first]


def _promoted(frame: _Frame) -> _Frame:
    """A killing that happened in a battle is the battle's toll: the act heads the event, not its outcome."""
    if frame.sense.base not in _OUTCOME_BASES:
        return frame
    everything = list(frame.joined)
    for joined in everything:  # what joined a joined frame joined this one
        everything.extend(j for j in joined.joined if j not in everything)
    act = next((j for j in everything if j.sense.base not in _OUTCOME_BASES and j.type == "ASSAULT"), None)
    if act is None:
        return frame
    act.joined = [frame, *(j for j in everything if j is not act)]
    act.parts = [act.token, *(t for t in frame.parts if t.i != act.token.i)]
    act.dead, act.hurt, act.crowd = frame.dead, frame.hurt, frame.crowd
    act.acled = act.acled or frame.acled
    frame.joined = []
    return act


def _joinable(parent: _Frame, child: _Frame) -> bool:
    same = parent.type == child.type
    outcome = child.sense.base in _OUTCOME_BASES or parent.sense.base in _OUTCOME_BASES
    violent = {parent.type, child.type} <= {"ASSAULT", "OUTCOME"}
    protest = child.type == "PROTEST" and parent.type in ("ASSAULT", "COERCE")
    demand = parent.type == "PROTEST" and child.type == "REQUEST"
    return same or (outcome and violent) or protest or demand


def _take_over(head: _Frame, other: _Frame) -> None:
    """``other`` becomes part of ``head``: its words, its counts, the roles ``head`` lacks."""
    head.parts.extend(other.parts)
    head.joined.append(other)
    head.mentions.extend(other.mentions)
    head.dead.extend(other.dead)
    head.hurt.extend(other.hurt)
    head.crowd.extend(other.crowd)


# --- modality ----------------------------------------------------------------------------------


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children):
        return True
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    return any(_nobody(s) for s in subjects)


def _nobody(noun: Token) -> bool:
    """ "no one", "no civilians", "nobody": a phrase that counts none."""
    return noun.lower_ in ("nobody", "none", "noone") or any(
        d.dep_ == "det" and d.lower_ == "no" for d in noun.children
    )


def _future(verb: Token, lex: Lexicon) -> bool:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE_AUX for a in auxes) or any(a.lower_ == "going" for a in auxes):
        return True
    if any(a.lower_ == "would" for a in auxes):
        return _reported(verb, lex)
    head = verb.head
    if verb.dep_ == "xcomp" and head.pos_ == "ADJ" and _lemma(head) in _WILLING:
        return True  # "is willing to send", "ready to contribute", "prepared to lift"
    return verb.dep_ == "xcomp" and (_is(head, "plan", lex) or _lemma(head) in ("set", "due"))


def _reported(verb: Token, lex: Lexicon) -> bool:
    """In a clause a verb of saying reports ("said they would meet")."""
    return verb.dep_ == "ccomp" and _is(verb.head, "say", lex)


def _modality(frame: _Frame, lex: Lexicon) -> Modality | None:
    """happened, planned, hypothetical or denied; None when the text says it did not happen."""
    if frame.modality is None:
        return None
    token = frame.token
    if frame.is_noun:
        if any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
            return None
        if any(
            lex.has("future_modifier", _lemma(c)) or lex.has("future_modifier", c.lower_)
            for c in token.children
        ):
            return "planned"
        if any(lex.has("possible_modifier", _lemma(c)) for c in token.children):
            return "hypothetical"
        if frame.support is None:
            return "hypothetical" if _in_condition(token) else frame.modality
    verb = frame.clause
    if _negated(verb):
        return None
    for head in [verb, *_path(verb)]:
        if head.i != verb.i and head.pos_ == "VERB" and lex.has("deny", _lemma(head)):
            return "denied"
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL for c in head.children):
            return "hypothetical"
        if head.dep_ not in ("xcomp", "ccomp", "conj", "advcl"):
            break
    auxes = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    if frame.support is not None and _is(frame.support, "plan", lex):
        progressive = verb.tag_ == "VBG" and bool(auxes & {"is", "are", "am", "'s", "'re"})
        passive_present = verb.tag_ == "VBN" and any(
            c.dep_ == "auxpass" and c.lower_ in ("is", "are", "be", "'s", "'re") for c in verb.children
        )
        if progressive or passive_present or _future(verb, lex):
            return "planned"
    if _future(verb, lex):
        return "planned"
    if auxes & _POSSIBLE_AUX:
        return "hypothetical"
    return frame.modality


def _in_condition(token: Token) -> bool:
    """Inside an "if" or "unless" clause: "if the talks fail"."""
    return any(
        any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL for c in head.children) for head in _path(token)
    )


def _commitment(frame: _Frame, lex: Lexicon) -> None:
    """An agent's own future act is a commitment, as PLOVER codes it: AGREE for a cooperative act,
    THREATEN for a hostile one or for one promised on a condition ("will withdraw unless ...")."""
    verb = frame.clause
    if frame.modality != "planned" or (frame.is_noun and frame.support is None):
        return
    if frame.support is not None and _is(frame.support, "plan", lex):
        return  # a scheduled event: "protests are planned", "is organizing a meeting"
    agentive = any(c.dep_ == "nsubj" for c in verb.children) or _reported(verb, lex) or verb.dep_ == "xcomp"
    if not agentive or not _future(verb, lex):
        return
    conditional = any(  # "will withdraw unless ...": an ultimatum ("if" may only make an offer)
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
        for c in verb.children
    )
    frame.type = "AGREE" if frame.type in _COOPERATIVE and not conditional else "THREATEN"
    frame.acled = None
    frame.modality = "happened"


def _violent_cause(died: Token, lex: Lexicon) -> bool:
    """ "died as a result of torture", "died of his wounds", "died in custody": a violent death."""
    causes = (w for w in died.subtree if w.pos_ == "NOUN" and w.i != died.i and w.dep_ == "pobj")
    return any(
        lex.has("violent_cause", _lemma(w)) or any(s.type == "ASSAULT" for s in lex.nouns.get(_lemma(w), []))
        for w in causes
    )


def _refusal(frame: _Frame, lex: Lexicon) -> bool:
    """A cooperative act negated in the future or conditional ("will not accept") is a REJECT."""
    verb = frame.clause
    auxes = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    future = bool(auxes & (_FUTURE_AUX | {"would"})) or bool(auxes & _POSSIBLE_AUX)
    return future and _negated(verb) and frame.type in _COOPERATIVE


# --- arguments ---------------------------------------------------------------------------------

# Prepositions that introduce the other side of an event, by category, most telling first:
# whom one meets with, gives to, protests against, withdraws from; a place ("arrived in Amman",
# "lifted a curfew in Montenegro") is the other side only where nobody is named.
_RECIPIENT_PREPOSITIONS: dict[str, tuple[str, ...]] = {
    "AGREE": ("to", "with", "for", "between"),
    "CONSULT": ("with", "between", "to", "in"),
    "SUPPORT": ("to", "with", "for"),
    "CONCEDE": ("on", "to", "for", "in"),
    "COOPERATE": ("with", "to"),
    "AID": ("to", "for", "in"),
    "RETREAT": ("from", "to", "for", "in"),
    "REQUEST": ("on", "upon", "from", "to", "with"),
    "ACCUSE": ("against", "of", "over", "into"),
    "REJECT": ("from", "to", "by", "with"),
    "THREATEN": ("to", "against", "on", "with", "from", "in"),
    "PROTEST": ("against", "at", "in"),
    "SANCTION": ("on", "against", "with", "to", "from", "in"),
    "MOBILIZE": ("against", "in"),
    "COERCE": ("in", "from", "against", "on", "into"),
    "ASSAULT": ("against", "on", "at", "with", "to", "from", "in"),
}
_WHERE = frozenset({"in", "at"})
# categories whose object is what moves, not who receives it ("offered its troops to Lebanon",
# "withdraw inspectors from Iraq"): the recipient comes before the object
_THEME_FIRST = frozenset({"AID", "AGREE", "RETREAT", "SANCTION", "MOBILIZE", "THREATEN"})
# a passive that states an attitude, its subject the one who holds it ("Israel is opposed to")
_STATIVE_PASSIVES = frozenset({"oppose", "commit", "determine", "dedicate", "engage"})
# nouns whose possessor is the one it happens to ("Karmi's killing"), unless "of" names that one
_PATIENT_NOUNS = frozenset(
    {"kill", "murder", "assassinate", "arrest", "detain", "abduct", "kidnap", "execute", "release", "deport"}
)


def _subject(verb: Token) -> Token | None:
    """The doer of a verb, found through chains of infinitives, participles, coordination and
    predicative adjectives ("he is prepared to lift")."""
    for _ in range(8):
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj"):
                if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                    return verb.head
                return child
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        if verb.dep_ == "relcl" and not _passive(verb):
            return verb.head
        if verb.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acomp") and verb.head.i != verb.i:
            verb = verb.head if verb.head.pos_ != "ADP" else verb.head.head
            continue
        return None
    return None


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _human(token: Token, lex: Lexicon) -> bool:
    """A word for people, a group or an organization of them, or a country acting as one."""
    if token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or (
        token.pos_ == "PROPN" and token.ent_type_ != "DATE"
    ):
        return True
    lemma = _lemma(token)
    if any(lex.has(cls, lemma) for cls in ("armed", "state", "civilian", "protester", "agent")):
        return True
    return token.tag_ == "NNS" and any(  # "Islamic fundamentalists", "Russian advisers"
        c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE") for c in token.children
    )


def _people(token: Token | None, lex: Lexicon) -> Token | None:
    """The head of a phrase that names people: "tens of thousands of students" is the students."""
    while token is not None and (
        token.like_num
        or token.lower_ in lex.approximate
        or _lemma(token) in ("group", "number", "one", "some", "most", "part", "third", "half", "patch")
    ):
        inner = next(
            (
                o
                for p in token.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children
                if o.dep_ == "pobj"
            ),
            None,
        )
        if inner is None:
            return token if token.ent_type_ not in ("CARDINAL", "QUANTITY") and not token.like_num else None
        token = inner
    return token


def _party(token: Token | None, lex: Lexicon, *, places: bool = False, depth: int = 0) -> Token | None:
    """Who a phrase points to: itself when it names people; else whose it is: the possessor, the
    nationality or name on it, the people after "of", "by" or "from" ("an Indian proposal",
    "Serbia's suppression", "the resignation of the president"); a named place when ``places``."""
    token = _people(token, lex)
    if token is None:
        return None
    if token.pos_ == "PRON":
        return token if token.lower_ in _PRONOUNS else None
    if _human(token, lex) or (places and token.ent_type_ in ("GPE", "LOC", "FAC")):
        return token
    for child in token.children:  # "an Indian proposal", "its European Community partners"
        if child.dep_ in ("amod", "compound", "nmod") and child.ent_type_ in ("NORP", "GPE", "ORG", "PERSON"):
            return child
    for child in token.children:  # "Serbia's suppression"; "its troops" points back to the actor
        if child.dep_ == "poss" and child.pos_ != "PRON" and _human(child, lex):
            return child
    for prep in (
        c
        for c in token.children
        if c.dep_ in ("prep", "agent") and c.lower_ in ("of", "by", "from", "for", "on")
    ):
        inner = next((o for o in prep.children if o.dep_ == "pobj"), None)
        party = _party(inner, lex, depth=depth + 1) if inner is not None and depth < 2 else None
        if party is not None:  # "the resignation of the president", "violations by the army"
            return party
    for acl in (c for c in token.children if c.dep_ == "acl" and c.tag_ == "VBN"):  # "crimes committed by"
        agent = next((c for c in acl.children if c.dep_ == "agent"), None)
        doer = next((o for o in agent.children if o.dep_ == "pobj"), None) if agent is not None else None
        if doer is not None and _human(doer, lex):
            return doer
    return None


def _prep_party(token: Token, prepositions: Iterable[str], lex: Lexicon) -> Token | None:
    """The first party behind one of these prepositions on a word or on its object ("lodged a
    protest with Albania", "aid for Romania"), in the order given."""
    objects = [c for c in token.children if c.dep_ == "dobj"]
    preps = [c for w in (token, *objects) for c in w.children if c.dep_ in ("prep", "dative", "agent")]
    for word in prepositions:
        for prep in (p for p in preps if p.lower_ == word):
            if prep.dep_ == "dative" and prep.pos_ != "ADP":
                return _party(prep, lex)
            obj = next((o for o in prep.children if o.dep_ == "pobj"), None)
            party = _party(obj, lex, places=word in _WHERE or word in ("to", "from"))
            if party is not None:
                return party
    return None


def _roles(frame: _Frame, lex: Lexicon) -> None:
    """actor1, who acts; actor2, who is acted on, met, given to, asked, accused or protested against."""
    token, kind = frame.token, frame.type
    preps = tuple(  # a promise to withdraw takes the withdrawal's prepositions: "from Lebanon"
        dict.fromkeys(
            (*_RECIPIENT_PREPOSITIONS.get(frame.sense.type, ()), *_RECIPIENT_PREPOSITIONS.get(kind, ()))
        )
    )
    if frame.is_noun:
        possessor = next((c for c in token.children if c.dep_ == "poss"), None)
        of = _prep_party(token, ("of",), lex)
        by = _prep_party(token, ("by",), lex)
        transitive = frame.sense.base in lex.verbs and kind not in ("CONSULT", "PROTEST", "AGREE")
        if by is not None:
            frame.actor1 = by
        elif possessor is not None and (of is not None or frame.sense.base not in _PATIENT_NOUNS):
            frame.actor1 = possessor  # "Israel's invasion of Lebanon", "his visit", "its demand"
        else:
            named = ("NORP", "ORG") if kind in ("CONSULT", "PROTEST") else ("NORP", "ORG", "GPE")
            frame.actor1 = next(  # "Israeli raids", "a US offer"; but "the Vienna meeting" is a place
                (c for c in token.children if c.dep_ in ("amod", "compound") and c.ent_type_ in named),
                None,
            )
        if frame.actor1 is None and not transitive and of is not None:
            frame.actor1 = of  # "a meeting of the two leaders", "a rally of farmers"
        if frame.actor1 is None and frame.support is not None and not _passive(frame.support):
            frame.crowd_words = _subject(frame.support)
            frame.actor1 = _people(frame.crowd_words, lex)
        if frame.support is not None and _passive(frame.support):  # "was put under investigation"
            frame.actor2 = _party(
                next((c for c in frame.support.children if c.dep_ == "nsubjpass"), None), lex
            )
        if transitive and frame.actor2 is None:
            frame.actor2 = of or (
                possessor
                if frame.actor1 is None or possessor is None or possessor.i != frame.actor1.i
                else None
            )
        frame.actor2 = frame.actor2 or _prep_party(token, [p for p in preps if p not in _WHERE], lex)
        if frame.actor2 is None and frame.support is not None:
            frame.actor2 = _prep_party(frame.support, [p for p in preps if p not in _WHERE], lex)
        if frame.actor2 is None:
            frame.actor2 = _complement_target(token, kind, lex)
        if frame.actor2 is None and token.dep_ == "dobj" and kind in _CONTENT_TAKERS:
            frame.actor2 = _complement_target(token.head, kind, lex)  # "reiterated its demand that X"
    elif _passive(token) and not (
        _lemma(token) in _STATIVE_PASSIVES and not any(c.dep_ == "agent" for c in token.children)
    ):
        frame.actor2 = _party(
            next((c for c in token.children if c.dep_ == "nsubjpass"), None), lex, places=True
        )
        if frame.actor2 is not None and frame.actor2.tag_ in ("WP", "WDT") and token.dep_ == "relcl":
            frame.actor2 = token.head
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        frame.actor1 = (
            _party(next((c for c in agent.children if c.dep_ == "pobj"), None), lex) if agent else None
        )
    else:
        subject = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
        frame.crowd_words = subject if subject is not None else _subject(token)
        frame.actor1 = _people(frame.crowd_words, lex)
        obj = next((c for c in token.children if c.dep_ in ("dobj",)), None)
        dative = next((c for c in token.children if c.dep_ == "dative" and c.pos_ != "ADP"), None)
        direct = _party(obj, lex, places=kind in ("CONSULT", "ASSAULT", "COERCE", "SANCTION"))
        recipient = _prep_party(token, [p for p in preps if p not in _WHERE], lex)
        ordered = (recipient, direct) if kind in _THEME_FIRST else (direct, recipient)
        frame.actor2 = _party(dative, lex) or ordered[0] or ordered[1] or _complement_target(token, kind, lex)
    own_target = frame.actor2 is not None
    for part in frame.parts[1:]:  # what joined the trigger names the other side too
        victim = _victim(part, lex) if kind == "ASSAULT" else None
        if victim is not None and (not own_target or frame.is_noun):
            if frame.is_noun and frame.actor1 is None:
                frame.actor1 = _prep_party(token, ("with",), lex)  # the other side of a battle
            frame.actor2 = victim
        elif frame.actor2 is None:
            frame.actor2 = (
                _party(next((c for c in part.children if c.dep_ == "dobj"), None), lex)
                or _prep_party(part, (*preps, "on", "against", "to", "with", "from", "for"), lex)
                or _complement_target(part, kind, lex)
            )
    if frame.actor2 is None and kind in (
        "PROTEST",
        "ASSAULT",
        "SANCTION",
        "THREATEN",
        "ACCUSE",
        "MOBILIZE",
        "COERCE",
    ):
        frame.actor2 = _target_in_clause(frame, lex)
    if kind == "THREATEN" and frame.actor2 is None:
        frame.actor2 = _condition_party(frame, lex)
    if frame.actor2 is None:
        where = [p for p in preps if p in _WHERE]
        for word in (token, frame.support, *frame.parts[1:]):
            if word is not None and frame.actor2 is None:
                frame.actor2 = _prep_party(word, where, lex)
    if frame.actor1 is None:  # "guerrillas wounded two soldiers in a bomb attack": the attack's doers
        doers = (
            _subject(p)
            for p in frame.parts[1:]
            if p.pos_ == "VERB" and not _passive(p) and _lemma(p) != "die"
        )
        frame.actor1 = next((_people(d, lex) for d in doers if d is not None), None)
    if frame.actor1 is not None and frame.actor2 is not None and frame.actor1.i == frame.actor2.i:
        frame.actor2 = None
    if frame.actor1 is not None and not _agent_like(frame.actor1, lex):
        frame.actor1 = None


def _agent_like(token: Token, lex: Lexicon) -> bool:
    """A subject that can be an event's doer: people, groups, countries, and the machines they act
    through ("Israeli tanks", "warships"); not a date, a number or another event."""
    if token.pos_ == "PRON":
        return token.lower_ in _PRONOUNS
    if token.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
        return False
    if token.pos_ == "NOUN" and (_lemma(token) in lex.nouns or lex.has("unasserted_noun", _lemma(token))):
        return False
    return token.pos_ in ("NOUN", "PROPN")


def _victim(token: Token, lex: Lexicon) -> Token | None:
    if token.pos_ == "NOUN":
        return _prep_party(token, ("of",), lex)
    if _passive(token):
        return _party(next((c for c in token.children if c.dep_ == "nsubjpass"), None), lex)
    return _party(next((c for c in token.children if c.dep_ == "dobj"), None), lex)


def _complement_target(verb: Token, kind: str, lex: Lexicon) -> Token | None:
    """Whom a demand, threat or promise is about: the subject of "demanded that X ...", the
    object or other side in "threatened to shell X", "offered to negotiate with X"."""
    holders = [verb, *(o for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj")]
    holders += [o for o in verb.children if o.dep_ == "dobj" and o.pos_ == "NOUN"]  # "its demand that X ..."
    comps = [
        c for h in holders for c in h.children
        if c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "acl" and h.pos_ == "NOUN")
    ]  # fmt: skip
    for comp in comps:
        subject = next((c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if comp.dep_ in ("ccomp", "acl") and subject is not None and _party(subject, lex) is not None:
            return _party(subject, lex)
        obj = next((c for c in comp.children if c.dep_ in ("dobj", "dative")), None)
        party = _party(obj, lex, places=True)
        if party is not None:
            return party
        return _prep_party(comp, ("to", "with", "against", "on", "from", "for", "in"), lex)
    return None


def _target_in_clause(frame: _Frame, lex: Lexicon) -> Token | None:
    """What a protest or an attack is against, wherever the clause says it: "rallies in the Gaza
    Strip against the party's leader", "a hunger strike in protest of the government's refusal"."""
    for top in (frame.support or frame.token, *frame.parts[1:]):
        for word in top.subtree:
            if (
                word.dep_ == "prep"
                and word.lower_ in ("against", "of", "at")
                and (word.lower_ == "against" or _lemma(word.head) == "protest")
            ):
                if any(t.pos_ == "VERB" and t.i != top.i for t in _path(word, top)):
                    continue  # inside another clause
                party = _party(next((o for o in word.children if o.dep_ == "pobj"), None), lex)
                if party is not None:
                    return party
    return None


def _condition_party(frame: _Frame, lex: Lexicon) -> Token | None:
    """Whom an ultimatum is for: the subject of its "unless" or "if" clause."""
    for clause in (t for t in (frame.support or frame.token).subtree if t.dep_ == "advcl"):
        if any(m.dep_ == "mark" and m.lower_ in ("unless", "if") for m in clause.children):
            return _party(next((c for c in clause.children if c.dep_ == "nsubj"), None), lex)
    return None


# --- numbers -----------------------------------------------------------------------------------


def _number(words: list[str], lex: Lexicon) -> int | None:
    """ "six" 6, "1,000" 1000, "3.5 million", "twenty-three", "dozens" 12, "tens of thousands" 10000."""
    total, current, seen = 0, 0, False
    for raw in words:
        word = raw.lower().replace(",", "")
        if re.fullmatch(r"\d+(\.\d+)?", word):
            current += float(word)  # type: ignore[assignment]
            seen = True
        elif word in _NUMBER_WORDS:
            current += _NUMBER_WORDS[word]
            seen = True
        elif "-" in word and all(p in _NUMBER_WORDS for p in word.split("-")):
            current += sum(_NUMBER_WORDS[p] for p in word.split("-"))
            seen = True
        elif word in _MULTIPLIERS or word.rstrip("s") in _MULTIPLIERS:
            factor = _MULTIPLIERS.get(word) or _MULTIPLIERS[word.rstrip("s")]
            if not seen and word.endswith("s"):  # "thousands of": an approximate plural
                current = lex.approximate.get(word, factor) if current == 0 else current * factor
            else:
                current = (current or 1) * factor
            if factor >= 1000:
                total, current = total + current, 0
            seen = True
        elif word in lex.approximate:
            current = current * lex.approximate[word] if current else lex.approximate[word]
            seen = True
        elif word in ("a", "an") and not seen:
            current = 0
        elif word in ("and", "of"):
            continue
        else:
            break
    value = int(total + current)
    return value if seen and value > 0 else None


def _count(noun: Token, lex: Lexicon) -> tuple[int, CharSpan] | None:
    """How many people a noun phrase counts: "six fighters", "at least 12", "dozens of villagers",
    "a journalist" (one person), "Thousands of Iraqi Kurds", "no one" (none)."""
    doc = noun.doc
    if _nobody(noun):
        return 0, CharSpan(min(t.idx for t in noun.subtree), noun.idx + len(noun.text))
    numerals = [c for c in noun.children if c.dep_ == "nummod" or (c.dep_ == "amod" and c.like_num)]
    if numerals:
        start = min(min(t.i for t in n.subtree) for n in numerals)
        end = max(n.i for n in numerals) + 1
        words = [
            t.text
            for t in doc[start:end]
            if t.like_num
            or t.lower_ in lex.approximate
            or t.lower_ in _MULTIPLIERS
            or t.lower_ in _NUMBER_WORDS
        ]
        value = _number(words, lex)
        if value is not None:  # a parse may hang the numeral after its noun: the span holds both
            first, last = doc[min(start, noun.i)], doc[max(end - 1, noun.i)]
            return value, CharSpan(first.idx, last.idx + len(last.text))
    if noun.like_num or noun.lower_ in lex.approximate or noun.lower_.rstrip("s") in _MULTIPLIERS:
        start = min(t.i for t in noun.subtree if t.i <= noun.i)
        words = [
            t.text
            for t in doc[start : noun.i + 1]
            if t.like_num
            or t.lower_ in lex.approximate
            or t.lower_.rstrip("s") in _MULTIPLIERS
            or t.lower_ in _NUMBER_WORDS
        ]
        value = _number(words, lex)
        if value is not None:
            of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            inner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if inner is not None:
                deeper = _count(inner, lex)  # "tens of thousands of people"
                if deeper is not None and deeper[0] > value:
                    value = deeper[0] if inner.lower_ in lex.approximate or inner.like_num else value
                end = inner.idx + len(inner.text)
            else:
                end = noun.idx + len(noun.text)
            return value, CharSpan(doc[start].idx, end)
    if noun.tag_ == "NN" and (
        any(c.dep_ == "det" and c.lower_ in ("a", "an", "the") for c in noun.children) and _human(noun, lex)
    ):
        return 1, CharSpan(min(t.idx for t in noun.subtree if t.i <= noun.i), noun.idx + len(noun.text))
    if noun.ent_type_ == "PERSON" and noun.pos_ == "PROPN":
        return 1, CharSpan(noun.idx, noun.idx + len(noun.text))
    return None


_KILLING = frozenset(
    {"kill", "killing", "die", "death", "murder", "massacre", "execute", "behead", "assassinate"}
)
_HURTING = frozenset({"wound", "injure"})


def _patients(part: Token) -> list[Token]:
    """Who a trigger word happens to: its object, its passive subject, the "of" of a noun."""
    if part.pos_ == "VERB":
        deps = ("nsubj",) if _lemma(part) == "die" else ("dobj", "nsubjpass")
        found = [c for c in part.children if c.dep_ in deps]
        if not found and part.tag_ == "VBN":  # "six were killed and dozens injured": a passive cut short
            found = [c for c in part.children if c.dep_ == "nsubj"]
        return found
    return [
        o
        for p in part.children
        if p.dep_ == "prep" and p.lower_ == "of"
        for o in p.children
        if o.dep_ == "pobj"
    ]


def _numbers(frame: _Frame, lex: Lexicon) -> None:
    """Deaths, injuries and crowd or arrest sizes from the words of each trigger in the frame:
    "killing six fighters", "stabbed to death", "shot dead", "left four officers dead"."""
    parts = {p.i for p in frame.parts}
    for part in frame.parts:
        base = _lemma(part)
        counts = [c for p in _patients(part) if (c := _count(p, lex)) is not None]
        to_death = any(
            p.dep_ == "prep" and p.lower_ == "to" and any(_lemma(o) == "death" for o in p.children)
            for p in part.children
        )
        if base in _KILLING or to_death:
            frame.dead.extend(counts)
        elif base in _HURTING:
            frame.hurt.extend(counts)
        elif frame.type in ("COERCE", "ASSAULT") and base not in ("shoot", "attack", "bomb", "shell", "stab"):
            frame.crowd.extend(counts)
    for token in frame.token.sent:  # "shot dead", "left four officers dead", "left 12 injured"
        if token.lower_ not in ("dead", "injured", "wounded") or token.pos_ != "ADJ":
            continue
        head = token.head
        own = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        if own and head.i in parts:
            victims = own  # "six were killed and dozens injured"
        elif head.i in parts:
            victims = _patients(head)
        elif _lemma(head) == "leave" and _caused_by(head, parts):
            victims = [c for c in head.children if c.dep_ == "dobj"]
        else:
            continue
        counted = [c for v in victims if (c := _count(v, lex)) is not None]
        (frame.dead if token.lower_ == "dead" else frame.hurt).extend(counted)
    if frame.type == "PROTEST" and frame.crowd_words is not None:
        crowd = _count(frame.crowd_words, lex)
        if crowd is not None:
            frame.crowd.append(crowd)


def _caused_by(leave: Token, parts: set[int]) -> bool:
    """ "a shooting left one dead", "a gunbattle that left four dead", "..., leaving two dead"."""
    subject = next((c for c in leave.children if c.dep_ == "nsubj"), None)
    if subject is not None and (
        subject.i in parts or (subject.tag_ in ("WDT", "WP") and leave.head.i in parts)
    ):
        return True
    return leave.dep_ in ("advcl", "conj", "relcl") and leave.head.i in parts


# --- participants, places, dates ---------------------------------------------------------------


class _HasSpan(Protocol):
    @property
    def span(self) -> CharSpan: ...


_Spanned = TypeVar("_Spanned", bound=_HasSpan)


class _ByStart(Generic[_Spanned]):
    """Records in the order of their starts, found by where they start: each event's look-ups read
    the records near it, not all of the article's (a 1 MB article has thousands of each)."""

    def __init__(self, records: Iterable[_Spanned]) -> None:
        self.records = sorted(records, key=lambda r: r.span.start)
        self.starts = [r.span.start for r in self.records]
        self.longest = max((r.span.end - r.span.start for r in self.records), default=0)

    def within(self, lo: int, hi: int) -> list[_Spanned]:
        """The records starting at ``lo`` or after and before ``hi``."""
        return self.records[bisect.bisect_left(self.starts, lo) : bisect.bisect_left(self.starts, hi)]

    def latest_first(self, before: int) -> Iterator[_Spanned]:
        """The records starting before ``before``, the latest first, read one at a time."""
        for index in range(bisect.bisect_left(self.starts, before) - 1, -1, -1):
            yield self.records[index]

    def near(self, lo: int, hi: int) -> list[_Spanned]:
        """The records that may overlap the characters ``lo`` to ``hi``: those starting before ``hi``
        and at most the longest record's length before ``lo``."""
        return self.within(lo - self.longest, hi)


@dataclass(slots=True)
class _Context:
    """What the other stages found in the article, indexed for the event rules."""

    text: str
    lex: Lexicon
    mentions: _ByStart[Mention]
    entities: list[Entity]
    places: _ByStart[Place]
    dates: _ByStart[DateMention]
    quoted: list[tuple[int, int]]
    published: str | None

    def inside_quote(self, at: int) -> bool:
        index = bisect.bisect_right(self.quoted, (at, len(self.text) + 1)) - 1
        return index >= 0 and self.quoted[index][0] <= at < self.quoted[index][1]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions.within(start, end) if m.span.end <= end and m.entity is not None]


def _phrase_chars(head: Token) -> tuple[int, int]:
    """A noun phrase without relative clauses or asides; coordinated names stay ("Jordan and Britain")."""
    tokens = [head]
    for child in head.children:
        if child.dep_ not in ("relcl", "acl", "appos", "punct", "advcl", "parataxis"):
            tokens.extend(child.subtree)
    start = min(t.i for t in tokens)
    end = max(t.i for t in tokens)
    for t in head.doc[head.i + 1 : end + 1]:
        if t.text in {",", "(", "—", ";"}:
            end = t.i - 1
            break
    appos = next((c for c in head.children if c.dep_ == "appos" and c.i > head.i), None)
    if appos is not None and appos.i <= end + 3:  # "Kenzo Oshima, the UN relief coordinator"
        end = max(end, max(t.i for t in appos.subtree if t.dep_ not in ("relcl", "punct")))
    first, last = head.doc[start], head.doc[end]
    return first.idx, last.idx + len(last.text)


def _participant(token: Token | None, ctx: _Context) -> Participant | None:
    if token is None:
        return None
    if token.pos_ == "PRON":
        return _antecedent(token, ctx)
    start, end = _phrase_chars(token)
    group = _group_after(token)
    named = ctx.mentions_in(
        start, max(end, group.right_edge.idx + len(group.right_edge.text)) if group else end
    )
    head_named = [m for m in named if m.span.start <= token.idx < m.span.end]
    chosen = head_named or [m for m in named if m.label in ("ORG", "NORP", "GPE", "PERSON")]
    if head_named or (
        chosen and token.pos_ == "NOUN" and (_member_of(token, chosen[0]) or group is not None)
    ):
        mention = chosen[0]
        assert mention.entity is not None
        return Participant(CharSpan(start, end), ctx.entities[mention.entity].name, mention.entity)
    words = ctx.text[start:end]
    lowered = words.lower()
    for determiner in _DETERMINERS:
        if lowered.startswith(determiner):
            words = words[len(determiner) :]
            break
    return Participant(CharSpan(start, end), words)


def _group_after(noun: Token) -> Token | None:
    """ "the killing of six fighters from the Front": the parser often hangs "from the Front" on
    the killing; right after a noun for people, it says which group they belong to."""
    if noun.pos_ != "NOUN" or noun.dep_ != "pobj":
        return None
    holder = noun.head.head
    after = noun.right_edge.i + 1
    return next(
        (c for c in holder.children if c.dep_ == "prep" and c.i == after and c.lower_ in ("from", "of")), None
    )


def _member_of(noun: Token, mention: Mention) -> bool:
    """ "six fighters from the Front", "leaders of the party": people named by the group they belong to."""
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "from")):
        group = next((o for o in prep.children if o.dep_ == "pobj"), None)
        if group is not None and mention.span.start <= group.idx < mention.span.end:
            return True
    return False


def _reporter(pronoun: Token, lex: Lexicon) -> Token | None:
    """ "The rebels said they will release ...": a pronoun subject of a reported clause is, as a
    rule, the one who reports it."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass", "poss"):
        return None
    clause = pronoun.head
    for _ in range(4):
        if clause.dep_ not in ("ccomp", "xcomp", "conj", "acomp", "advcl") or clause.head.i == clause.i:
            return None
        clause = clause.head
        subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.pos_ != "PRON":
            person = subject.ent_type_ == "PERSON"
            if (pronoun.lower_ in _PERSONAL) == person or (
                pronoun.lower_ in ("they", "their", "them") and subject.tag_ in ("NNS", "NNPS")
            ):
                return _people(subject, lex)
            return None
    return None


def _antecedent(pronoun: Token, ctx: _Context) -> Participant | None:
    """The named person or group a pronoun stands for: the one who reports the clause it is the
    subject of, else the latest one before it, the subject of its own sentence first."""
    reporter = _reporter(pronoun, ctx.lex)
    if reporter is not None:
        return _participant(reporter, ctx)
    gender = _PERSONAL.get(pronoun.lower_)
    kinds = {"person"} if gender else {"org", "group", "place"}
    sentence_start = pronoun.sent.start_char
    same: list[Mention] = []  # the candidates in the pronoun's sentence, latest first
    latest: Mention | None = None
    for m in ctx.mentions.latest_first(pronoun.idx):
        if not (
            m.span.end <= pronoun.idx and m.entity is not None and ctx.entities[m.entity].kind in kinds
            and m.label not in ("PRON", "DESC") and not ctx.inside_quote(m.span.start)
        ):  # fmt: skip
            continue
        latest = latest or m
        if m.span.start < sentence_start:
            break
        same.append(m)
    if latest is None:
        return None
    subjects = [m for m in same if _is_subject_at(pronoun.doc, m)]
    mention = subjects[0] if subjects else latest
    assert mention.entity is not None
    return Participant(
        CharSpan(pronoun.idx, pronoun.idx + len(pronoun.text)),
        ctx.entities[mention.entity].name,
        mention.entity,
    )


def _is_subject_at(doc: Doc, mention: Mention) -> bool:
    span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")


def _argument_tokens(frame: _Frame) -> Iterator[Token]:
    """The words of the trigger's own arguments: its prepositional phrases and modifiers, those of
    its support verb, not the clauses of other events."""
    for head in [*frame.parts, *([frame.support] if frame.support is not None else [])]:
        yield head
        for child in head.children:
            if child.dep_ in (
                "prep",
                "npadvmod",
                "compound",
                "nmod",
                "advmod",
                "dobj",
                "pobj",
                "agent",
                "dative",
            ):
                yield from child.subtree


def _places(frame: _Frame, ctx: _Context, actor1: Participant | None) -> list[Place]:
    """Where: a place among the event's own arguments, else the most specific place its sentence
    names (ACLED codes the most specific location reported); never the acting country itself
    ("Israel threatened ..."), a country in an organization's name, nor a people ("Israeli soldiers")."""
    own_chars = {t.idx for t in _argument_tokens(frame)}
    sent = frame.token.sent
    in_names = [
        m.span
        for m in ctx.mentions.near(sent.start_char, sent.end_char)
        if m.label in ("ORG", "PERSON", "FAC")
    ]
    in_sentence = [
        p for p in ctx.places.within(sent.start_char, sent.end_char)
        if not p.demonym  # "Israeli soldiers" says who, not where
        and not (actor1 is not None and actor1.span.start <= p.span.start and p.span.end <= actor1.span.end
                 and actor1.span.end - actor1.span.start <= p.span.end - p.span.start + 4)
        and not any(n.start <= p.span.start and p.span.end <= n.end and n != p.span for n in in_names)
    ]  # fmt: skip
    own = [p for p in in_sentence if p.span.start in own_chars]
    pool = own or [p for p in in_sentence if not ctx.inside_quote(p.span.start)]
    if not pool:
        return []
    if own:
        frame.own_places = True
        return own
    best = min(_PLACE_ORDER.get(p.kind, 2) for p in pool)
    return [p for p in pool if _PLACE_ORDER.get(p.kind, 2) == best][:1]


def _date(frame: _Frame, ctx: _Context) -> tuple[DateMention | None, bool]:
    """The event's date among its own arguments or its clause's; else, for an event that happened,
    the publication date stands in (True), as ACLED dates an event by its report."""
    chars = {t.idx for t in _argument_tokens(frame)}
    clause = frame.clause
    for child in clause.children:
        if child.dep_ in ("npadvmod", "prep", "tmod", "advmod"):
            chars.update(t.idx for t in child.subtree)
    for mention in ctx.dates.within(min(chars, default=0), max(chars, default=-1) + 1):
        if mention.span.start in chars and mention.granularity not in ("duration", "relative"):
            return mention, False
    return None, frame.modality == "happened"


# --- ACLED -------------------------------------------------------------------------------------


def _heads(frame: _Frame) -> Iterable[str]:
    """The lemmas around an event's words: its triggers, their arguments and modifiers."""
    for token in _argument_tokens(frame):
        yield _lemma(token)
    for part in frame.parts:
        for child in part.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                yield from (_lemma(t) for t in child.subtree)


def _acled(frame: _Frame, ctx: _Context) -> str | None:
    """ACLED's event and sub-event type, refined from the weapon and the sides."""
    lex = ctx.lex
    label = frame.acled
    words = set(_heads(frame))
    actor1 = _lemma(frame.actor1) if frame.actor1 is not None else ""
    actor2 = _lemma(frame.actor2) if frame.actor2 is not None else ""
    if frame.type == "ASSAULT":
        if label and label.startswith("Protests"):
            return "Protests / Excessive force against protesters" if frame.dead else label
        if actor1 in ("mob", "vigilante", "crowd") and not lex.has("armed", actor2):
            return "Riots / Mob violence"  # a crowd that lynches, beats or burns
        rioting = lex.has("protester", actor1) or (
            frame.sense.base in ("clash", "fight", "battle") and lex.has("protester", actor2)
        )
        if rioting:
            return "Riots / Violent demonstration"  # "protesters clashed with police", "rioters torched cars"
        if any(j.type == "PROTEST" for j in frame.joined):  # "dispersed demonstrators protesting ..."
            return (
                "Protests / Excessive force against protesters"
                if frame.dead
                else "Protests / Protest with intervention"
            )
        downed = words & {"drone", "missile", "rocket"} and any(
            _lemma(p) in ("shoot", "intercept") for p in frame.parts
        )
        if downed:
            return "Strategic developments / Disrupted weapons use"  # "shot down a drone"
        if lex.has("protester", actor2):
            lethal = frame.dead or any(
                _lemma(p) in ("kill", "shoot", "killing", "shooting") for p in frame.parts
            )
            return (
                "Protests / Excessive force against protesters"
                if lethal
                else "Protests / Protest with intervention"
            )
        for cls, sub in (
            ("chemical_weapon", "Chemical weapon"),
            ("suicide_weapon", "Suicide bomb"),
            ("air_weapon", "Air/drone strike"),
            ("grenade_weapon", "Grenade"),
            ("heavy_weapon", "Shelling/artillery/missile attack"),
            ("explosive_weapon", "Remote explosive/landmine/IED"),
        ):
            if words & lex.words[cls] and not (cls == "air_weapon" and "gas" in words):
                return f"Explosions/Remote violence / {sub}"
        if label is not None and label.startswith("Battles / ") and "territory" in label:
            state = lex.has("state", actor1) or (
                frame.actor1 is not None and frame.actor1.ent_type_ in ("GPE",)
            )
            return (
                "Battles / Government regains territory"
                if state
                else "Battles / Non-state actor overtakes territory"
            )
        attack = label is not None and label.startswith("Violence against civilians / Attack")
        armed_sides = lex.has("armed", actor2) or (
            (lex.has("armed", actor1) or not actor1) and _armed_target(frame, ctx)
        )
        if attack and armed_sides:
            return "Battles / Armed clash"
        return label
    if frame.type == "PROTEST":
        return label
    if (
        frame.type == "COERCE"
        and lex.has("protester", actor2)
        and label == "Strategic developments / Arrests"
    ):
        return "Protests / Protest with intervention"
    return label


def _armed_target(frame: _Frame, ctx: _Context) -> bool:
    """An attack on soldiers, police or a place they hold ("a police post", "an army base"), or on
    a named organization: ACLED codes that as a clash between armed sides."""
    lex = ctx.lex
    if frame.actor2 is not None and frame.actor2.ent_type_ == "ORG":
        return True
    for part in frame.parts:
        targets = [*_patients(part)]
        targets += [
            o
            for p in part.children
            if p.dep_ == "prep" and p.lower_ in ("on", "at", "against")
            for o in p.children
            if o.dep_ == "pobj"
        ]
        for target in targets:
            words = [target, *(c for c in target.children if c.dep_ in ("compound", "amod"))]
            if any(lex.has("armed", _lemma(w)) or lex.has("military_site", _lemma(w)) for w in words):
                return True
    return False


# --- the article -------------------------------------------------------------------------------


def extract_events(
    doc: Doc,
    *,
    mentions: list[Mention],
    entities: list[Entity],
    places: list[Place],
    dates: list[DateMention],
    quoted: list[CharSpan],
    published: str | None = None,
) -> list[Event]:
    """Every event the article reports, main events of each sentence first, in sentence order.

    ``mentions`` and ``entities`` (the speakers stage), ``places`` and ``dates`` (their stages) give
    the actors, places and dates; ``quoted`` are the spans of directly quoted words, which are
    statements and are not read for events."""
    lex = lexicon()
    ctx = _Context(
        doc_text(doc),
        lex,
        _ByStart(mentions),
        entities,
        _ByStart(places),
        _ByStart(dates),
        sorted((q.start, q.end) for q in quoted),
        published,
    )
    frames: list[_Frame] = []
    for sent in doc.sents:
        if ctx.text[sent.start_char : sent.end_char].rstrip().rstrip("\"'”’»)").endswith("?"):
            continue
        found = [
            f
            for t in sent
            if not ctx.inside_quote(t.idx) and (f := _frame(t, lex) or _demand_by_saying(t, lex)) is not None
        ]
        for frame in _absorb(found):
            if _settle(frame, lex):
                frames.append(frame)
    events: list[Event] = []
    previous: list[_Frame] = []
    same_verb: dict[str, list[_Frame]] = {}  # the events so far by their trigger's base verb
    for frame in frames:
        event = _event(frame, ctx)
        if event is None:
            continue
        antecedent = _antecedent_event(frame, event, same_verb.get(frame.sense.base, []))
        if antecedent is not None:
            _merge_into(antecedent, frame, event)
            continue
        protest = _protest_of_demand(frame, event, previous, lex)
        if protest is not None and protest.event is not None:  # the demand names whom it is against
            protest.event.mentions.append(event.trigger)
            protest.event.actor1 = protest.event.actor1 or event.actor1
            if protest.event.actor2 is None or _place_stand_in(protest.event):
                protest.event.actor2 = event.actor2 or protest.event.actor2
            continue
        frame.event = event
        previous.append(frame)
        same_verb.setdefault(frame.sense.base, []).append(frame)
        events.append(event)
    return events


def _mere_warning(frame: _Frame, lex: Lexicon) -> bool:
    """ "warned that reserves would fall" is a forecast; a threat warns of what someone will do
    ("warned that police will no longer tolerate rallies") or names the act (a trigger it took in)."""
    if frame.sense.lemma != "warn" or len(frame.parts) > 1:
        return False
    clauses = [c for c in frame.token.children if c.dep_ in ("ccomp", "xcomp")]
    subjects = [s for c in clauses for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]
    return not any(_human(s, lex) for s in subjects)


def _settle(frame: _Frame, lex: Lexicon) -> bool:
    """Modality, commitments, refusals and outcomes alone: False when it is no event."""
    if _refusal(frame, lex):
        frame.type, frame.acled, frame.modality = "REJECT", None, "happened"
        return True
    frame.modality = _modality(frame, lex)
    if frame.modality is None or _mere_warning(frame, lex):
        return False
    _commitment(frame, lex)
    if frame.type == "OUTCOME":
        if frame.sense.base == "die" and not _violent_cause(frame.token, lex):
            return False  # a death alone may be natural: it counts only as violence's outcome
        frame.type = "ASSAULT"
    if frame.type == "COMMIT":
        frame.type = "AGREE"
    return frame.type in EVENT_TYPES


def _event(frame: _Frame, ctx: _Context) -> Event | None:
    lex = ctx.lex
    _roles(frame, lex)
    _numbers(frame, lex)
    actor1 = _participant(frame.actor1, ctx)
    actor2 = _participant(frame.actor2, ctx)
    if actor1 is None and frame.type == "PROTEST":
        protesters = next(
            (t for t in frame.token.sent if lex.has("protester", _lemma(t)) and t.pos_ == "NOUN"), None
        )
        if protesters is not None:
            actor1 = _participant(protesters, ctx)
    sent = frame.token.sent
    places = _places(frame, ctx, actor1)
    if actor2 is None and frame.own_places:  # PLOVER's convention: where nobody is, the place is
        place = places[0]
        actor2 = Participant(place.span, place.span.text(ctx.text))
    mention, from_publication = _date(frame, ctx)
    label = _acled(frame, ctx)
    event_type, _, sub_type = (label or "").partition(" / ")
    event = Event(
        trigger=_trigger_span(frame),
        sentence=_sentence_span(sent, ctx.text),
        type=frame.type,  # type: ignore[arg-type]
        acled_event_type=event_type or None,
        acled_sub_event_type=sub_type or None,
        actor1=actor1,
        actor2=actor2,
        places=places,
        fatalities=_conservative(frame.dead),
        injured=_conservative(frame.hurt),
        size=_conservative(frame.crowd),
        modality=frame.modality or "happened",
        mentions=[CharSpan(t.idx, t.idx + len(t.text)) for t in frame.parts[1:]] + frame.mentions,
    )
    if mention is not None:
        event.date, event.date_precision, event.date_span = mention.value, mention.granularity, mention.span
    elif from_publication and (stand_in := publication_date(ctx.published)) is not None:
        event.date, event.date_precision = stand_in
    event.confidence = _confidence(frame, event)
    return event


def _trigger_span(frame: _Frame) -> CharSpan:
    """The trigger's words with its particle ("blew up") and a nearby support verb ("held talks")."""
    tokens = [frame.token, *(c for c in frame.token.children if c.dep_ == "prt")]
    if frame.sense.needs == "obj":  # "opened fire", "took control", "fired tear gas"
        tokens += [o for o in _objects(frame.token) if o.dep_ == "dobj" and 0 < o.i - frame.token.i <= 3]
    if frame.support is not None and abs(frame.support.i - frame.token.i) <= 4:
        tokens.append(frame.support)
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return CharSpan(first.idx, last.idx + len(last.text))


def _sentence_span(sent: Span, text: str) -> CharSpan:
    start, end = sent.start_char, sent.end_char
    while end > start and text[end - 1].isspace():
        end -= 1
    return CharSpan(start, end)


def _conservative(counts: list[tuple[int, CharSpan]]) -> Count | None:
    """The lowest of several figures, as ACLED codes disputed tolls."""
    if not counts:
        return None
    value, span = min(counts, key=lambda c: c[0])
    return Count(value, span)


def _confidence(frame: _Frame, event: Event) -> float:
    """How much of the frame the parse confirmed: a verb or supported noun, named actors, a place."""
    score = 0.55 if not frame.is_noun or frame.support is not None else 0.45
    score += (
        0.15
        if event.actor1 is not None and event.actor1.entity is not None
        else 0.05
        if event.actor1
        else 0.0
    )
    score += 0.1 if event.actor2 is not None else 0.0
    score += 0.1 if event.places else 0.0
    score -= 0.1 if frame.sense.needs is None and len(lexicon().verbs.get(frame.sense.lemma, [])) > 1 else 0.0
    return round(max(0.1, min(0.95, score)), 2)  # a sum of tenths, without float noise (0.6000000000000001)


def _definite(token: Token) -> bool:
    return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in token.children)


def _antecedent_event(frame: _Frame, event: Event, same_verb: list[_Frame]) -> _Frame | None:
    """The earlier event a definite noun repeats ("a meeting" promised, then "the meeting"): of the
    events of the same verb, the latest with compatible places, dates and people."""
    if not frame.is_noun or not _definite(frame.token) or frame.support is not None:
        return None
    for earlier in reversed(same_verb):
        other = earlier.event
        if other is None:
            continue
        if frame.own_places and earlier.own_places and not _same_places(event.places, other.places):
            continue
        if event.date_span is not None and other.date_span is not None and event.date != other.date:
            continue
        if not _shared_people(event, other):
            continue
        return earlier
    return None


def _same_places(a: list[Place], b: list[Place]) -> bool:
    return any(p.name == q.name for p in a for q in b)


def _shared_people(a: Event, b: Event) -> bool:
    """No two named sides that differ: one of them unnamed, or one entity in both."""
    ours = {p.entity for p in (a.actor1, a.actor2) if p is not None and p.entity is not None}
    theirs = {p.entity for p in (b.actor1, b.actor2) if p is not None and p.entity is not None}
    return not ours or not theirs or bool(ours & theirs)


def _place_stand_in(event: Event) -> bool:
    """Whether actor2 is only the event's place, standing in where nobody was named."""
    side = event.actor2
    return side is not None and side.entity is None and any(p.span == side.span for p in event.places)


def _protest_of_demand(frame: _Frame, event: Event, previous: list[_Frame], lex: Lexicon) -> _Frame | None:
    """Protesters' demand in the protest's sentence or the next is the protest's, as ACLED notes it."""
    if event.type != "REQUEST" or frame.actor1 is None or not lex.has("protester", _lemma(frame.actor1)):
        return None
    for earlier in reversed(previous[-3:]):
        if earlier.event is not None and earlier.event.type == "PROTEST":
            gap = frame.token.sent.start - earlier.token.sent.start
            if gap <= 60:
                return earlier
    return None


def _merge_into(target: _Frame, frame: _Frame, event: Event) -> None:
    """A later mention of ``target``'s event: its words are recorded, the sides it names fill in."""
    into = target.event
    assert into is not None
    into.mentions.append(event.trigger)
    if into.actor1 is None:
        into.actor1 = event.actor1
    for side in (event.actor1, event.actor2):
        if side is None or side.entity is None:
            continue
        known = {p.entity for p in (into.actor1, into.actor2) if p is not None}
        if side.entity in known:
            continue
        if into.actor2 is None or into.actor2.entity is None:
            into.actor2 = side
    if not into.places:
        into.places = event.places
    if into.date_span is None and event.date_span is not None:
        into.date, into.date_precision, into.date_span = event.date, event.date_precision, event.date_span
    for name in ("fatalities", "injured", "size"):
        if getattr(into, name) is None:
            setattr(into, name, getattr(event, name))
