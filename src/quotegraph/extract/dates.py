"""Temporal expressions, normalized against the article's publication date.

Candidates are spaCy DATE entities with corrected edges ("May 1" grows to "May 1 and 2", a
trailing period is dropped). A small grammar handles what dateparser gets wrong or silently
drops: coordinated days and ranges, a weekday written beside its date (checked, never trusted),
durations, "last/next/this" units and days without a year. dateparser parses the remaining
candidate spans only, never the whole text.

Values are ISO 8601 ("2023-05-01", "2023-05", "2023", "2023-W17", "P20M"). Where no publication
date is known or can be inferred, unanchored values use TIMEX3 placeholders ("XXXX-04-27",
"XXXX-WXX-5") and signed offsets ("-P1D" for "yesterday").
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from dateparser.date import DateDataParser  # type: ignore[import-untyped]
from spacy.tokens import Doc, Span, Token

from quotegraph.model import CharSpan, DateGranularity, DateMention
from quotegraph.nlp import doc_text

Tense = Literal["past", "present", "future"]

_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUMBERS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "Y"}

MONTH = r"(?P<{}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAY = r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")"
NUM = r"(?P<num>\d+|" + "|".join(_NUMBERS) + r")"
UNIT = r"(?P<unit>day|week|month|year|decade)s?"
DAY = r"(?P<{}>\d{{1,2}})(?:st|nd|rd|th)?"
YEAR = r"(?:,?\s+(?P<year>\d{4}))?"


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# "just three days", "more than 20 months": a stretch of time, however hedged
_HEDGE = r"(?:(?:just|only|about|around|almost|nearly|roughly|some|over|(?:more|less|fewer)\s+than|at\s+least)\s+)?"
_DURATION = _re(rf"(?:the\s+)?(?:(?:past|last|previous|next|coming|first)\s+)?{_HEDGE}{NUM}\s+{UNIT}")
_PAST_UNIT = _re(rf"the\s+(?:past|last|previous)\s+(?:{NUM}\s+)?{UNIT}")
_AGO = _re(rf"{NUM}\s+{UNIT}\s+(?P<dir>ago|earlier|later|from now)")
_SHIFT = _re(rf"(?P<dir>last|previous|next|coming|this)\s+(?:{UNIT}|{WEEKDAY})")
_DEICTIC = _re(r"(?P<word>yesterday|today|tomorrow)")
_TONIGHT = _re(r"tonight|this\s+(?:morning|afternoon|evening)|(?P<last>last\s+night)")
_DAY_PART = _re(r"(?P<day>.+?)\s+(?:morning|afternoon|evening|night)")
_DAY_WORDS = _re(
    r"\b(?:today|tonight|yesterday|tomorrow|morning|afternoon|evening|night|" + "|".join(_WEEKDAYS) + r")\b"
)
_WEEKDAY_ONLY = _re(rf"(?:on\s+)?{WEEKDAY}")
_WEEKEND = _re(r"(?:(?P<which>this\s+past|the\s+past|last|this|the|next|coming)\s+)?weekend")
_WEEKDAY_DATE = _re(rf"{WEEKDAY},?\s+(?P<rest>.+)")
_MONTH_DAYS = _re(
    rf"{MONTH.format('month')}\s+{DAY.format('d1')}\s*(?P<op>and|&|-|–|to|through)\s*{DAY.format('d2')}{YEAR}"
)
_DAYS_MONTH = _re(
    rf"{DAY.format('d1')}\s*(?P<op>and|&|-|–|to)\s*{DAY.format('d2')}\s+(?:of\s+)?{MONTH.format('month')}{YEAR}"
)
_BETWEEN = _re(r"(?:between|from)\s+(?P<first>.+?)\s+(?:and|to|until|through)\s+(?P<second>.+)")
_SPAN = _re(r"(?P<first>.+?)\s+(?:to|until|through)\s+(?P<second>.+)|(?P<from>\d{4})\s*[-–]\s*(?P<to>\d{4})")
_MONTH_DAY = _re(rf"{MONTH.format('month')}\s+{DAY.format('day')}{YEAR}")
_DAY_MONTH = _re(rf"(?:the\s+)?{DAY.format('day')}\s+(?:of\s+)?{MONTH.format('month')}{YEAR}")
_MONTH_YEAR = _re(rf"(?:(?:early|mid|late)-?\s*)?{MONTH.format('month')}(?:\s+of)?{YEAR}")
_YEAR_ONLY = _re(r"(?:the\s+year\s+)?(?P<year>\d{4})")
_DECADE = _re(r"(?:the\s+)?(?P<decade>\d{3})0['’]?s")
# "earlier this month", "late last year", "mid-2025", "the end of the year": a part of a period,
# given at the period's precision
_PART = _re(
    r"(?:earlier|later|early|late|mid|the\s+(?:end|start|beginning|middle|rest|(?:first|second)\s+half"
    r"|(?:first|second|third|fourth|last)\s+quarter)\s+of)"
    r"[-\s]+(?:the\s+(?P<unit>week|month|year)$)?(?P<rest>.*)"
)
# what may follow "May 1" in the text: spaCy stops before "and 2" and "-3"
_TAIL = _re(r"\s*(?:and|&|-|–|to|through)\s*\d{1,2}\b(?:,?\s+\d{4})?")
_DATE_SHAPED = _re(r"[a-z]{3,}|\d{1,4}[-/.]\d{1,2}")
_TEMPORAL = _re(
    r"\d|ago|yesterday|today|tonight|tomorrow|morning|afternoon|evening|night|day|week|month|year|"
    + "|".join(_MONTHS)
    + "|"
    + "|".join(_WEEKDAYS)
)

_FUTURE_AUX = {"will", "shall", "'ll", "wo", "going"}
# Verbs and adjectives whose infinitive happens later: "plans to vote", "is due to speak"
_PLANNING = {"go", "plan", "expect", "schedule", "intend", "aim", "hope", "want", "set", "due", "prepare",
             "promise", "vow", "pledge", "threaten", "propose", "seek"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Ref:
    """The publication date the text is read against: its precision and how it was found."""

    iso: str  # "2023", "2023-05" or "2023-05-02"
    anchor: str
    evidence: CharSpan | None = None  # the words it was read from, when inferred from the text

    @property
    def day(self) -> date:
        """A concrete day to count from: the date itself, else the middle of its month or year."""
        parts = [int(p) for p in self.iso.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 15)


@dataclass(frozen=True, slots=True)
class _Value:
    value: str | list[str]
    granularity: DateGranularity
    anchor: str
    flag: str | None = None


@dataclass(frozen=True, slots=True)
class Dates:
    """An article's dates, and the publication date read from its text when none (or only a year) was given."""

    mentions: list[DateMention]
    inferred: str | None = None
    evidence: CharSpan | None = None  # the words the inferred date was read from


def extract_dates(doc: Doc, published: str | None) -> list[DateMention]:
    """Every date, range, relative expression and duration in ``doc``, in text order."""
    return read_dates(doc, published).mentions


def read_dates(doc: Doc, published: str | None) -> Dates:
    """The dates of ``doc`` (as ``extract_dates``) with the publication date inferred, if it was."""
    text = doc_text(doc)
    candidates: list[tuple[tuple[int, int], Tense]] = []
    for ent in doc.ents:
        # a time of day says its day where it names one ("earlier today", "Tuesday night")
        dated = ent.label_ == "DATE" or (ent.label_ == "TIME" and _DAY_WORDS.search(ent.text) is not None)
        for piece in _clauses(ent) if dated else []:
            edges = _edges(text, piece)
            if edges is not None:
                candidates.append((edges, _tense(piece)))
    ref = _publication(published)
    inferred = None
    if ref is None or len(ref.iso) == 4:
        inferred = _infer_publication(text, candidates)
        ref = inferred or ref
    mentions: list[DateMention] = []
    previous: _Ref | None = None
    for (start, end), tense in candidates:
        words = text[start:end]
        found = _normalize(words, ref, tense, previous)
        if found is None:
            continue
        mentions.append(
            DateMention(CharSpan(start, end), words, found.value, found.granularity, found.anchor, found.flag)
        )
        if found.granularity == "day" and isinstance(found.value, str) and found.anchor != "none":
            previous = _Ref(found.value, "date in the text")
    if inferred is None:
        return Dates(mentions)
    return Dates(mentions, inferred.iso, inferred.evidence)


_CLAUSE_WORDS = frozenset({"that", "which", "who", "because", "while", "whether"})


def _clauses(ent: Span) -> list[Span]:
    """The recognizer sometimes runs a date into the next clause ("March 3 that yesterday"): the
    parts on either side of a subordinating word are separate expressions."""
    pieces, start = [], ent.start
    for token in ent:
        if token.pos_ == "SCONJ" or token.dep_ == "mark" or token.lower_ in _CLAUSE_WORDS:
            pieces.append(ent.doc[start : token.i])
            start = token.i + 1
    pieces.append(ent.doc[start : ent.end])
    return [piece for piece in pieces if len(piece)]


def _edges(text: str, ent: Span) -> tuple[int, int] | None:
    """The entity's character range with trailing punctuation dropped and "and 2" / "-3" taken in."""
    start, end = ent.start_char, ent.end_char
    while end > start and text[end - 1] in ".,;:!?'\"”’":
        end -= 1
    tail = _TAIL.match(text, end)
    if (
        tail
        and re.search(r"\d{1,2}$", text[start:end])
        and _MONTHS.get(text[start:end].split()[0].lower().rstrip("."))
    ):
        end = tail.end()
    if end <= start or not _TEMPORAL.search(text[start:end]):
        return None
    return start, end


def _tense(ent: Span) -> Tense:
    """The tense of the verb governing the expression, climbing past nouns ("a meeting on May 1");
    "since February" looks back whatever the verb."""
    token: Token = ent.root
    if token.head.lower_ == "since":
        return "past"
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            break
        token = token.head
    return _verb_tense(token)


def _verb_tense(token: Token) -> Tense:
    """A verb's tense; an infinitive takes its governing verb's ("refused to comment on Friday"),
    or looks ahead after a verb of planning ("is expected to vote on Friday")."""
    auxes = [child for child in token.children if child.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE_AUX for a in auxes) or token.lower_ in _FUTURE_AUX:
        return "future"
    if token.tag_ == "VB" and any(a.tag_ == "TO" for a in auxes):
        if token.head.i == token.i:  # a headline's "Ministers to meet in Doha on Monday" tells what will be
            return "future"
        return "future" if token.head.lemma_.lower() in _PLANNING else _verb_tense(token.head)
    if token.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    # "has reopened", and a bare participle the tagger took for a finite verb ("it reopened on Monday")
    if token.tag_ == "VBN" and (not auxes or any(a.lemma_ == "have" for a in auxes)):
        return "past"
    # "elections are scheduled for November 5": a plan in the present tense looks ahead
    return "future" if token.lemma_.lower() in _PLANNING else "present"


def publication_date(published: str | None) -> tuple[str, DateGranularity] | None:
    """The publication date as a value and its precision: "2023-05" is a month, "2016-13-45" 2016."""
    ref = _publication(published)
    if ref is None:
        return None
    return ref.iso, ("day" if len(ref.iso) == 10 else "month" if len(ref.iso) == 7 else "year")


def _publication(published: str | None) -> _Ref | None:
    """The longest valid prefix of the publication date: a day, a month or a year ("2016-13-45" is 2016)."""
    found = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", published or "")
    if not found:
        return None
    year, month, day = found.groups()
    if month is None or not 1 <= int(month) <= 12:
        return _Ref(year, "publication date")
    if day is not None and 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return _Ref(f"{year}-{month}-{day}", "publication date")
    return _Ref(f"{year}-{month}", "publication date")


def _infer_publication(text: str, candidates: list[tuple[tuple[int, int], Tense]]) -> _Ref | None:
    """The latest month or day with its year written out, told in the past tense ("I interviewed X in May 2023")."""
    latest: str | None = None
    evidence: CharSpan | None = None
    for (start, end), tense in candidates:
        found = _normalize(text[start:end], None, tense)
        if tense != "past" or found is None or found.anchor != "absolute":
            continue
        for value in [found.value] if isinstance(found.value, str) else found.value:
            if len(value) >= 7 and (latest is None or value > latest):
                latest, evidence = value, CharSpan(start, end)
    return _Ref(latest, "inferred publication date", evidence) if latest else None


@functools.lru_cache(maxsize=16)
def _parser(base: date) -> DateDataParser:
    """One parser per reference day, built only when the grammar leaves a candidate to dateparser."""
    settings = {"RELATIVE_BASE": datetime.combine(base, datetime.min.time()), "PREFER_DATES_FROM": "past"}
    return DateDataParser(languages=["en"], settings=settings)


def _normalize(text: str, ref: _Ref | None, tense: Tense, previous: _Ref | None = None) -> _Value | None:
    """One candidate's value, trying the grammar from the most to the least specific pattern;
    ``previous`` is the last day the text named before it, if any."""
    text = " ".join(text.split())
    if m := _AGO.fullmatch(text):
        sign = 1 if m["dir"].lower() in ("later", "from now") else -1
        # "two weeks later" counts from the story's last date, "two weeks ago" from the publication
        base = previous if m["dir"].lower() in ("later", "earlier") else ref
        return _shifted(_number(m["num"]) * sign, m["unit"], base)
    if m := _PAST_UNIT.fullmatch(text):  # "the past three years": the years up to the publication date
        count = _number(m["num"]) if m["num"] else 1
        return _Value(_duration(count, m["unit"]), "duration", f"ends at the {ref.anchor}" if ref else "none")
    if m := _DURATION.fullmatch(text):
        return _Value(_duration(_number(m["num"]), m["unit"]), "duration", "none")
    if m := _TONIGHT.fullmatch(text):
        return _shifted(-1 if m["last"] else 0, "day", ref)
    if m := _DAY_PART.fullmatch(text):  # "Tuesday night", "yesterday morning"
        return _normalize(m["day"], ref, tense, previous)
    if m := _DEICTIC.fullmatch(text):
        return _shifted({"yesterday": -1, "today": 0, "tomorrow": 1}[m["word"].lower()], "day", ref)
    if m := _SHIFT.fullmatch(text):
        if m["weekday"]:  # "last Friday" is never the publication day itself, "this Friday" may be
            direction = m["dir"].lower()
            return _weekday(
                m["weekday"],
                ref,
                {"last": "past", "previous": "past", "this": tense}.get(direction, "future"),
                same_day=direction == "this",
            )
        return _shifted({"last": -1, "previous": -1, "this": 0}.get(m["dir"].lower(), 1), m["unit"], ref)
    if m := _WEEKEND.fullmatch(text):
        return _weekend((m["which"] or "the").lower(), ref, tense)
    if m := _WEEKDAY_ONLY.fullmatch(text):
        return _weekday(m["weekday"], ref, tense)
    if m := _WEEKDAY_DATE.fullmatch(text):
        found = _normalize(m["rest"], ref, tense)
        if (
            found is None
            or not isinstance(found.value, str)
            or found.granularity != "day"
            or found.value[0] == "X"
        ):
            return found
        actual = date.fromisoformat(found.value)
        if actual.weekday() != _WEEKDAYS[m["weekday"].lower()]:
            flag = f"weekday mismatch: {found.value} was a {calendar.day_name[actual.weekday()]}"
            return _Value(found.value, "day", found.anchor, flag)
        return found
    if m := _MONTH_DAYS.fullmatch(text) or _DAYS_MONTH.fullmatch(text):
        coordinated = m["op"].lower() in ("and", "&")
        days = [_day(m["month"], m[k], m["year"], ref, tense) for k in ("d1", "d2")]
        if None in days:
            return None
        if missing := next((d for d in days if d is not None and d.granularity != "day"), None):
            return missing  # "February 29 and 30": the day that does not exist, flagged
        values = [d.value for d in days if d is not None and isinstance(d.value, str)]
        return _Value(
            values,
            "day" if coordinated else "range",
            days[0].anchor if days[0] else "none",
            _after(values[-1], ref, tense),
        )
    if m := _BETWEEN.fullmatch(text) or _SPAN.fullmatch(text):  # "2010 to 2015", "2010-2015"
        return _between(m["first"] or m["from"], m["second"] or m["to"], ref, tense)
    if m := _MONTH_DAY.fullmatch(text) or _DAY_MONTH.fullmatch(text):
        return _day(m["month"], m["day"], m["year"], ref, tense)
    if m := _MONTH_YEAR.fullmatch(text):
        return _month(m["month"], m["year"], ref, tense)
    if m := _YEAR_ONLY.fullmatch(text):
        return _Value(m["year"], "year", "absolute", _after(m["year"], ref, tense))
    if m := _DECADE.fullmatch(text):
        return _Value([f"{m['decade']}0", f"{m['decade']}9"], "range", "absolute")
    if m := _PART.fullmatch(text):
        return _normalize(f"this {m['unit']}" if m["unit"] else m["rest"], ref, tense, previous)
    return _parsed(text, ref, tense)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _duration(count: int, unit: str) -> str:
    unit = unit.lower().rstrip("s")
    return f"P{count * 10 if unit == 'decade' else count}{_UNITS[unit]}"


def _shifted(count: int, unit: str, ref: _Ref | None) -> _Value:
    """``count`` units from the publication date, at the unit's precision (and no finer than the reference)."""
    unit = unit.lower().rstrip("s")
    if ref is None:
        sign = "-" if count < 0 else ""
        return _Value(f"{sign}{_duration(abs(count), unit)}", "relative", "none")
    base = ref.day
    if unit == "day":
        return _Value(_at_precision(base + timedelta(days=count), "day", ref), "day", ref.anchor)
    if unit == "week":
        day = base + timedelta(weeks=count)
        if len(ref.iso) < 10:
            return _Value(
                _at_precision(day, "month", ref), "month" if len(ref.iso) == 7 else "year", ref.anchor
            )
        year, week, _ = day.isocalendar()
        return _Value(f"{year}-W{week:02d}", "week", ref.anchor)
    if unit == "month":
        months = base.year * 12 + base.month - 1 + count
        return _Value(
            _at_precision(date(months // 12, months % 12 + 1, 1), "month", ref), "month", ref.anchor
        )
    years = count * (10 if unit == "decade" else 1)
    return _Value(str(base.year + years), "year", ref.anchor)


def _at_precision(day: date, granularity: str, ref: _Ref) -> str:
    """An ISO date cut to the granularity, and never finer than what the reference date knows."""
    iso = day.isoformat()[: {"day": 10, "month": 7}.get(granularity, 4)]
    return iso[: len(ref.iso)]


def _weekday(name: str, ref: _Ref | None, tense: Tense, *, same_day: bool = True) -> _Value:
    """The named weekday in the week up to publication, or in the week from it where the verb is
    in the future tense. News reports what has happened: "said Friday" in a Friday's paper is that
    day, and "Monday's debate" in a Friday's paper the Monday before."""
    wanted = _WEEKDAYS[name.lower()]
    if ref is None or len(ref.iso) < 10:
        return _Value(f"XXXX-WXX-{wanted + 1}", "relative", "none")
    base = ref.day
    if tense == "future":
        day = base + timedelta(days=(wanted - base.weekday()) % 7 or (0 if same_day else 7))
    else:
        day = base - timedelta(days=(base.weekday() - wanted) % 7 or (0 if same_day else 7))
    return _Value(day.isoformat(), "day", ref.anchor)


def _weekend(which: str, ref: _Ref | None, tense: Tense) -> _Value | None:
    """A Saturday and Sunday. The paper's own weekend is the one ending its week (Monday to Sunday):
    "last weekend" is the one before it, "next weekend" the one after it when the paper is dated on
    a weekend, and "this weekend" the paper's own, or the one just gone in the past tense."""
    if ref is None or len(ref.iso) < 10:
        return None
    base = ref.day
    own = base + timedelta(days=6 - base.weekday())  # the Sunday ending the paper's week
    on_weekend = base.weekday() >= 5
    which = " ".join(which.split())
    if which in ("last", "this past", "the past") or (
        tense == "past" and not on_weekend and which in ("this", "the")
    ):
        sunday = own - timedelta(weeks=1)
    elif which in ("next", "coming") and on_weekend:
        sunday = own + timedelta(weeks=1)
    else:
        sunday = own
    return _Value([(sunday - timedelta(days=1)).isoformat(), sunday.isoformat()], "range", ref.anchor)


def _day(month: str, day: str, year: str | None, ref: _Ref | None, tense: Tense) -> _Value | None:
    """A day of a month: its year as written, else the one nearest the publication date. A day the
    month does not have ("February 30") is kept at the month's precision, flagged."""
    month_number = _MONTHS[month.lower().rstrip(".")]
    if not 1 <= int(day) <= 31:
        return None
    if year:
        chosen_year, anchor = int(year), "absolute"
    elif ref is None:
        return _Value(f"XXXX-{month_number:02d}-{int(day):02d}", "day", "none")
    else:
        nearest = _nearest(
            ref,
            tense,
            lambda y: date(y, month_number, min(int(day), calendar.monthrange(y, month_number)[1])),
        )
        chosen_year, anchor = nearest.year, ref.anchor
    days_in_month = calendar.monthrange(chosen_year, month_number)[1]
    if int(day) > days_in_month:
        flag = f"no such date: {calendar.month_name[month_number]} {chosen_year} has {days_in_month} days"
        return _Value(f"{chosen_year:04d}-{month_number:02d}", "month", anchor, flag)
    iso = date(chosen_year, month_number, int(day)).isoformat()
    return _Value(iso, "day", anchor, _after(iso, ref, tense))


def _month(month: str, year: str | None, ref: _Ref | None, tense: Tense) -> _Value:
    month_number = _MONTHS[month.lower().rstrip(".")]
    if year:
        iso = f"{year}-{month_number:02d}"
        return _Value(iso, "month", "absolute", _after(iso, ref, tense))
    if ref is None:
        return _Value(f"XXXX-{month_number:02d}", "month", "none")
    iso = _nearest(ref, tense, lambda y: date(y, month_number, 15)).isoformat()[:7]
    return _Value(iso, "month", ref.anchor, _after(iso, ref, tense))


def _nearest(ref: _Ref, tense: Tense, make: Callable[[int], date]) -> date:
    """The year that puts the day nearest publication; in the past tense never weeks after it, in
    the future tense never weeks before it."""
    base = ref.day
    options: list[date] = [make(base.year + offset) for offset in (-1, 0, 1)]
    if tense == "past":
        options = [d for d in options if d <= base + timedelta(days=20)]
    elif tense == "future":
        options = [d for d in options if d >= base - timedelta(days=20)]
    return min(options, key=lambda d: abs((d - base).days))


def _after(value: str, ref: _Ref | None, tense: Tense) -> str | None:
    """Flag a date after publication told in the past tense, compared at the coarser precision."""
    if ref is None or tense != "past" or value[:1] in ("P", "X", "-"):
        return None
    size = min(len(value), len(ref.iso))
    return "date after publication in past tense" if value[:size] > ref.iso[:size] else None


def _between(first: str, second: str, ref: _Ref | None, tense: Tense) -> _Value | None:
    """Ranges like "between March and May": each end on its own; a year written only at the end holds for both."""
    year = re.search(r"\d{4}$", second)
    if year and not re.search(r"\d{4}", first):
        first = f"{first} {year.group()}"
    ends = [_normalize(part, ref, tense) for part in (first, second)]
    if any(
        e is None or not isinstance(e.value, str) or e.granularity in ("duration", "relative") for e in ends
    ):
        return None
    values = [e.value for e in ends if e is not None and isinstance(e.value, str)]
    anchors = {e.anchor for e in ends if e is not None}
    anchor = "absolute" if anchors == {"absolute"} else (anchors - {"absolute"}).pop()
    return _Value(values, "range", anchor, _after(values[-1], ref, tense))


def _parsed(text: str, ref: _Ref | None, tense: Tense) -> _Value | None:
    """What the grammar does not cover ("2023-05-01", "05/01/2023", "a fortnight ago"), by dateparser;
    only for words or a numeric date, not for what the recognizer took for a date ("6'3")."""
    if not _DATE_SHAPED.search(text):
        return None
    data = _parser(ref.day if ref else date.today()).get_date_data(text)
    if data.date_obj is None:
        return None
    granularity: DateGranularity = (
        "month" if data.period == "month" else "year" if data.period == "year" else "day"
    )
    iso = data.date_obj.date().isoformat()[: {"day": 10, "month": 7}.get(granularity, 4)]
    anchor = "absolute" if re.search(r"\d{4}", text) else ref.anchor if ref else "none"
    if anchor == "none":
        return None
    return _Value(iso, granularity, anchor, _after(iso, ref, tense))
