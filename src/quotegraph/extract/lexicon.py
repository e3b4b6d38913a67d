"""Words that introduce reported speech, writing and thought in English news.

Written from general knowledge of English reporting constructions (Quirk et al.'s
reporting verbs; Levin's verbs of communication), not from any annotated corpus.
"""

from __future__ import annotations

from quotegraph.model import SpeechAct

SPEECH_VERBS = frozenset(
    """
    say tell add state announce declare explain note remark comment mention claim assert insist argue
    contend maintain stress emphasize emphasise underline underscore reiterate repeat confirm deny admit
    acknowledge concede warn caution predict promise pledge vow threaten suggest propose urge ask answer
    reply respond retort counter complain criticize criticise accuse allege charge blame praise recall
    recount describe demand point report reveal disclose indicate inform assure object
    protest lament boast joke quip observe conclude continue testify tout brag chant shout scream yell
    whisper estimate forecast signal hint imply recommend advise instruct quote cite proclaim reaffirm
    highlight affirm specify clarify elaborate dismiss reject stipulate predict swear preach lecture
    muse speculate guarantee forewarn inquire enquire plead beg request order command mutter murmur
    exclaim call question condemn echo blast slam laud hail decry denounce dub label brand liken
    reference discuss speak talk sing mock ridicule attack lambast rebuke encourage characterize
    characterise rule
    """.split()
)
WRITING_VERBS = frozenset("write tweet post publish blog email text retweet print".split())
THOUGHT_VERBS = frozenset(
    """
    think believe fear hope worry expect feel know suspect doubt consider assume reckon wonder guess
    suppose anticipate realize realise understand imagine figure trust bet
    want plan intend seek decide refuse decline offer agree disagree concur
    """.split()
)
# Adjectives of belief and intention that report what their subject thinks or means to do, with a
# clause or phrase: "was sure (that) ...", "is determined to ...", "were worried about ...".
THOUGHT_ADJECTIVES = frozenset(
    """
    sure certain confident convinced afraid worried concerned hopeful optimistic pessimistic skeptical
    sceptical determined willing eager ready reluctant unsure uncertain doubtful
    """.split()
)
# Verbs that report a finding when their subject is a document or a study ("the report found ...").
FINDING_VERBS = frozenset("find show reveal conclude suggest indicate estimate document read".split())
DOCUMENT_NOUNS = frozenset(
    """
    report study survey poll analysis investigation review research document filing audit memo
    statement letter paper complaint lawsuit indictment ruling filing release estimate forecast
    projection assessment census
    """.split()
)
# Data and pictures: nobody's words, though news lets them "show" and "indicate" ("city records
# indicated ...", "the chart highlights ..."); a report whose source is one of these is no quote.
DATA_NOUNS = frozenset(
    """
    data record figure number statistic average chart graph map table video footage photo photograph
    image picture evidence test model
    """.split()
)
# Verbs whose direct object can be the reported content ("denied the claims", "announced a ban").
OBJECT_CONTENT_VERBS = frozenset(
    """
    deny announce confirm reject emphasize emphasise stress note cite propose suggest demand predict
    acknowledge admit promise pledge reveal report estimate dismiss recall reiterate underline
    highlight disclose forecast defend question condemn echo blast slam laud hail decry denounce
    liken mock ridicule attack lambast rebuke criticize criticise
    praise describe characterize characterise sing chant shout
    """.split()
)
# Verbs of judgement that report a view only with an object and its predicate ("considered X a threat").
OBJECT_PREDICATE_VERBS = frozenset("consider regard view see deem".split())
# Verbs that report words only with an object and what it was called or cited as ("called it a
# betrayal", "branded him a traitor", "mentioned the remarks as examples"); their bare object is
# something else ("called a meeting", "mentioned the budget").
NAMING_VERBS = frozenset("call dub label brand term mention".split())
# Verb and preposition pairs whose object is what was said, not just its topic ("called for a ban").
PREPOSITION_CONTENT = frozenset(
    {
        ("call", "for"),
        ("call", "on"),
        ("point", "to"),
        ("warn", "of"),
        ("warn", "about"),
        ("warn", "against"),
        ("complain", "about"),
        ("ask", "for"),
        ("argue", "for"),
        ("argue", "against"),
        ("insist", "on"),
        ("agree", "on"),
        ("accuse", "of"),
        ("joke", "about"),
        ("boast", "about"),
        ("brag", "about"),
    }
)
# Verbs that report a request or instruction to someone: "told his aides to ...", "urged voters to ...".
DIRECTIVE_VERBS = frozenset(
    "tell ask urge call encourage order instruct advise warn beg implore press".split()
)
# Verbs whose to-infinitive complement is the reported intention or request ("vowed to fight").
INFINITIVE_VERBS = frozenset(
    "promise pledge vow threaten plan intend refuse decline urge ask want hope expect vote offer agree seek".split()
)
# Nouns that carry a report in a that-clause ("his claim that ...", "a statement saying ...").
SPEECH_NOUNS = frozenset(
    """
    statement claim assertion argument remark comment warning promise pledge announcement belief view fear
    hope suggestion allegation accusation insistence admission message tweet testimony assurance
    concern prediction threat vow denial charge contention
    """.split()
)
THOUGHT_NOUNS = frozenset("belief view fear hope concern".split())

# What a report is about, when its reporting clause says so: "Regarding the Doha meeting, X said",
# "X, commenting on the ruling, said", "In response to a question about the strike, X said".
TOPIC_PREPOSITIONS = frozenset("about regarding concerning re".split())
TOPIC_NOUNS = frozenset(
    "response reply answer reaction regard respect reference".split()
)  # "in response to X"
# A participle and the prepositions that give its subject ("commenting on", "asked about"); not those
# that give an audience, place or manner ("speaking to students", "at a rally", "on condition of").
TOPIC_VERBS = {
    **dict.fromkeys(("comment",), frozenset({"on", "about"})),
    **dict.fromkeys(("speak", "talk", "ask", "question"), frozenset({"about", "of"})),
    **dict.fromkeys(("refer", "respond", "react", "reply"), frozenset({"to"})),
}
TOPIC_CLAUSE_VERBS = frozenset({"ask", "question", "wonder"})  # "asked whether ..., she said"


def act_of(lemma: str) -> SpeechAct | None:
    """The kind of act a reporting verb names, or None when it is not a reporting verb."""
    if lemma in WRITING_VERBS:
        return "writing"
    if lemma in SPEECH_VERBS:
        return "speech"
    if lemma in THOUGHT_VERBS:
        return "thought"
    return None
