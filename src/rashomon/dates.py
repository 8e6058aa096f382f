"""Resolve the date expressions of a parsed document to YYYY, YYYY-MM or YYYY-MM-DD.

Every relative expression needs an anchor, and in news it is not always the publication
date. A sentence that relays a dated report ("AP reported on April 16 that clashes flared
Wednesday", "the April 14 NYT reported that ... last month") speaks from the report's
date, so its deictic expressions ("Wednesday", "last month", "two days ago") resolve
against that date. Sequence expressions ("two days earlier", "the next day") count from
the last day-precise date the text mentioned before them, which is how "Two days earlier,
AP had reported" refers back to the previous report.

Values are as precise as the text is: "2003" -> 2003, "April 2008" and "last month" ->
a month, "April 16" and "Wednesday" -> a day; "the 1980s" -> None (a decade is not a
value this format can hold), "recent weeks" -> the year when the weeks lie in one year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from dateparser.date import DateDataParser

from rashomon.parse import doc_text, ents_in
from rashomon.types import DateMention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# A month-day without a year takes the anchor's year unless that puts it after the anchor
# by more than this many days, in which case it is last year's (a 23 April article's
# "Oct. 1" in the past tense is last October). A week covers the near-future dates news
# announces ("talks resume on April 25") without pulling past months forward.
FUTURE_TOLERANCE_DAYS = 7
# "recent weeks/days/months", "recently": the window looked back over before deciding
# which period (month or year) contains all of it.
RECENT_WINDOW_DAYS = 42
# dateparser readings kept (``_parsed``): an expression and its base each, a few MB at most.
MAX_CACHED_PARSES = 1 << 14

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "several": None, "few": None, "a few": None, "many": None,
}
UNIT_DAYS = {"day": 1, "week": 7}

# Reporting verbs and publication nouns: a date attached to one dates a relayed report.
REPORT_VERBS = frozenset({
    "report", "say", "tell", "write", "note", "announce", "state", "claim", "declare",
    "quote", "publish", "reveal", "confirm", "deny", "allege", "warn", "accord", "cite",
    "add", "explain", "insist", "argue", "acknowledge", "admit", "broadcast", "post",
})
PUBLICATION_NOUNS = frozenset({
    "report", "article", "piece", "story", "editorial", "column", "op", "analysis",
    "interview", "statement", "dispatch", "bulletin", "broadcast", "edition", "issue",
    "briefing", "communique", "cable", "feature", "commentary", "letter", "speech",
})
# Modal and lexical cues that a month-day refers ahead: "elections will be held on Oct. 1",
# "talks are set to resume Oct. 1", "the vote is expected on September 6".
FUTURE_CUES = frozenset({"will", "shall", "'ll", "wo", "would", "schedule", "slate", "upcoming",
                         "due", "set", "expect", "plan", "poise", "next"})

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?" \
         r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
# Dates spaCy's small model misses or splits: "Oct. 1", "16 April 2008", "2008-04-16".
_FALLBACK = re.compile(
    rf"\b{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?(?:, \d{{4}})?\b"
    rf"|\b\d{{1,2}} {_MONTH} \d{{4}}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
_DECADE = re.compile(r"\b(?:\d\d)?\d0s\b|'\d0s\b")
_YEAR = re.compile(r"\b(1[5-9]\d\d|2[01]\d\d)\b")
_HAS_MONTH = re.compile(rf"\b{_MONTH}(?=\s|$|,)", re.IGNORECASE)
_SEQUENCE = re.compile(
    r"^(?:(?P<n>\w+|a few) (?P<unit>day|week|month|year)s? (?P<dir>earlier|later|before|after)"
    r"|(?:the )?(?P<rel>next|following|previous|preceding) (?P<unit2>day|week|month|year)"
    r"|the (?P<unit3>day) (?P<dir3>before|after)"
    r"|(?:that|the same) day)$"
)
_WEEKDAY = re.compile(
    rf"^(?:(?P<mod>last|this|next|on|past) )?(?P<day>{'|'.join(WEEKDAYS)})"
    r"(?: (?:morning|afternoon|evening|night))?$"
)
# Parts of a day spaCy tags TIME, not DATE: "last night", "this morning", "tonight".
_DAY_PART = re.compile(
    rf"^(?:(?:late|early) )?(?P<ref>last|this|yesterday|tomorrow|{'|'.join(WEEKDAYS)}) "
    r"(?:night|morning|afternoon|evening)$|^(?P<tonight>tonight)$")
_DAY_PART_OFFSET = {"last": -1, "yesterday": -1, "this": 0, "tomorrow": 1}
_RECENT = re.compile(r"^(?:recent|the past few|the last few|past few|last few) "
                     r"(?:days|weeks|months)$|^recently$")
_DURATION = re.compile(r"^(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|"
                       r"many|a few|\d+) (?:days?|weeks?|months?|years?|decades?)$")
_LEADING = re.compile(r"^(?:on|in|since|by|from|until|till|during|of|for) ")
# "early March", "mid-October", "the end of May": the month is as precise as the text gets.
_PART_OF = re.compile(r"^(?:early|mid|late|(?:the )?(?:end|beginning|start|middle) of)[ -]")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class _Anchor:
    """A reference date and how precise it is (day, month or year)."""

    date: dt.date  # for month or year precision, the last day of that period
    precision: str

    @property
    def iso(self) -> str:
        return _format(self.date, self.precision)


def resolve_dates(doc: Doc, document_id: str, published: str | None) -> list[DateMention]:
    """Date mentions of ``doc`` with values, in text order.

    ``published`` (YYYY, YYYY-MM or YYYY-MM-DD) is the default anchor; without it only
    self-contained expressions ("April 16, 2008", "2003") get a value.
    """
    base = _parse_published(published)
    mentions: list[DateMention] = []
    last_day: _Anchor | None = None  # the last day-precise date mentioned so far
    for sent in doc.sents:
        spans = _date_spans(doc, sent)
        if not spans:
            continue
        report, report_span = _report_anchor(sent, spans, base, last_day)
        for start, end in spans:
            text = doc_text(doc)[start:end]
            if _is_count(doc, start, end, text):
                continue
            # The report's own date is read against the publication date; the rest of
            # the sentence against the report's.
            anchor = base if report is None or (start, end) == report_span else report
            value, used = _resolve(text, anchor, base, last_day, _direction(doc, start, end))
            mentions.append(DateMention(document=document_id, start=start, end=end,
                                        text=text, value=value,
                                        anchor=used.iso if used else None))
            if value is not None and len(value) == 10:
                last_day = _Anchor(dt.date.fromisoformat(value), "day")
    return mentions


def date_for_span(dates: list[DateMention], start: int, end: int,
                  at: int | None = None) -> DateMention | None:
    """The resolved date mention inside [start, end) nearest to ``at`` (default: start)."""
    inside = [d for d in dates if d.value and start <= d.start and d.end <= end]
    if not inside:
        return None
    pivot = start if at is None else at
    return min(inside, key=lambda d: (min(abs(d.start - pivot), abs(d.end - pivot)), d.start))


# ---------------------------------------------------------------------- finding spans
def _date_spans(doc: Doc, sent: Span) -> list[tuple[int, int]]:
    """Character spans of DATE entities in a sentence, plus regex dates spaCy missed."""
    spans = [(e.start_char, e.end_char) for e in ents_in(sent) if e.label_ == "DATE"
             or (e.label_ == "TIME" and _DAY_PART.match(_clean(e.text)))]
    for m in _FALLBACK.finditer(doc_text(doc), sent.start_char, sent.end_char):
        if all(m.end() <= s or e <= m.start() for s, e in spans):
            spans.append((m.start(), m.end()))
    return sorted(spans)


def _is_count(doc: Doc, start: int, end: int, text: str) -> bool:
    """A bare number the model took for a date: a count ("1300 soldiers") or a day of no
    month ("Kurdistan 24", a channel's name)."""
    if not text.isdigit():
        return False
    if len(text) <= 2:
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and span.end < len(doc) and doc[span.end].pos_ == "NOUN"


# ---------------------------------------------------------------------- report anchors
def _report_anchor(sent: Span, spans: list[tuple[int, int]], base: _Anchor | None,
                   last_day: _Anchor | None,
                   ) -> tuple[_Anchor | None, tuple[int, int] | None]:
    """The date of a report the sentence relays, and its span, if it names one.

    A day-precise date counts when it depends on a reporting verb ("reported on April
    16", "On April 13, Gates said") or modifies a publication ("the April 14 NYT", "a
    March 28 piece") in a sentence with a reporting cue. Absolute dates are preferred
    to relative ones ("The next day, AFP reported"), and the first such date wins.
    """
    doc = sent.doc
    if not any(_is_report_cue(t) for t in sent):
        return None, None
    found: list[tuple[bool, _Anchor, tuple[int, int]]] = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not (_depends_on_report_verb(span) or _modifies_publication(span)):
            continue
        # A report is published, so its date lies in the past of the article.
        value, _ = _resolve(span.text, base, base, last_day, "past")
        if value is not None and len(value) == 10:
            relative = not (_HAS_MONTH.search(span.text) or _YEAR.search(span.text))
            anchor = _Anchor(dt.date.fromisoformat(value), "day")
            found.append((relative, anchor, (start, end)))
    if not found:
        return None, None
    _, anchor, span = min(found, key=lambda f: f[0])
    return anchor, span


def _is_report_cue(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return (lemma in REPORT_VERBS and tok.pos_ in ("VERB", "AUX")) or lemma == "accord" \
        or (lemma in PUBLICATION_NOUNS and tok.pos_ == "NOUN")


def _depends_on_report_verb(span: Span) -> bool:
    """The date hangs off a reporting verb within two arcs ("reported on April 16")."""
    head = span.root.head
    for _ in range(2):
        if head.lemma_.lower() in REPORT_VERBS and head.pos_ in ("VERB", "AUX"):
            return True
        if head.head is head:
            break
        head = head.head
    return False


def _modifies_publication(span: Span) -> bool:
    """The date is a prenominal modifier of an outlet or a publication.

    "the April 14 NYT", "the April 1 New York Times", "a March 28 "daily analysis" piece":
    a determiner before the date, then a proper name or publication noun within a few
    tokens (quotes and adjectives in between).
    """
    doc = span.doc
    if span.start == 0 or doc[span.start - 1].pos_ != "DET":
        return False
    for tok in doc[span.end:span.end + 4]:
        if tok.pos_ == "PROPN" or tok.lemma_.lower() in PUBLICATION_NOUNS:
            return True
        if not (tok.is_punct or tok.is_quote or tok.pos_ in ("ADJ", "NOUN")):
            return False
    return False


# ---------------------------------------------------------------------- tense
def _direction(doc: Doc, start: int, end: int) -> str | None:
    """Whether the clause a date belongs to looks ahead ("future"), back ("past"), or
    neither (None: present tense or no verb), from the verb the date hangs from.

    "will vote on September 6", "are set to resume Oct. 1", "is expected on May 12" look
    ahead; "stormed ... on September 6" and "had met on Oct. 1" look back; "voters go to
    the polls on May 12" and a date with no verb say neither.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    verb = span.root
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX", "ADJ"):
        return None
    chain = [verb, *list(verb.ancestors)[:2]]
    words = {t.lemma_.lower() for v in chain for t in (v, *v.children) if t.dep_ != "punct"}
    if words & FUTURE_CUES:
        return "future"
    if verb.tag_ == "VBD" or any(c.lemma_.lower() == "have" and c.dep_ == "aux"
                                 for c in verb.children) or any(
            c.tag_ == "VBD" and c.dep_ in ("aux", "auxpass") for c in verb.children):
        return "past"
    return None


# ---------------------------------------------------------------------- resolution
def _resolve(raw: str, anchor: _Anchor | None, base: _Anchor | None,
             last_day: _Anchor | None, direction: str | None,
             ) -> tuple[str | None, _Anchor | None]:
    """(value, anchor used) for one expression."""
    text = _clean(raw)
    if not text or _DECADE.search(text) or _DURATION.match(text):
        return None, None
    sequence = _SEQUENCE.match(text)
    if sequence:
        ref = last_day or anchor
        return _sequence(sequence, ref), ref
    day_part = _DAY_PART.match(text)
    if day_part:
        ref = day_part.group("ref")
        if ref in WEEKDAYS:
            return _weekday(_WEEKDAY.match(ref), anchor, direction), anchor
        if anchor is None or anchor.precision != "day":
            return None, None
        offset = _DAY_PART_OFFSET.get(ref or "this", 0)
        return _format(anchor.date + dt.timedelta(days=offset), "day"), anchor
    weekday = _WEEKDAY.match(text)
    if weekday:
        return _weekday(weekday, anchor, direction), anchor
    if _RECENT.match(text):
        if anchor is None:
            return None, None
        return _covering(anchor.date - dt.timedelta(days=RECENT_WINDOW_DAYS), anchor.date), anchor
    return _dateparser_value(text, anchor, direction)


def _clean(raw: str) -> str:
    text = " ".join(raw.lower().split())
    text = _POSSESSIVE.sub("", text)
    text = _LEADING.sub("", text)
    return _PART_OF.sub("", text)


def _sequence(m: re.Match, ref: _Anchor | None) -> str | None:
    """ "two days earlier", "the next day", "a week later" from a day-precise reference."""
    if ref is None or ref.precision != "day":
        return None
    if m.group("unit"):
        count = NUMBER_WORDS.get(m.group("n"), None) if not m.group("n").isdigit() \
            else int(m.group("n"))
        unit, sign = m.group("unit"), -1 if m.group("dir") in ("earlier", "before") else 1
    elif m.group("unit2"):
        count, unit = 1, m.group("unit2")
        sign = -1 if m.group("rel") in ("previous", "preceding") else 1
    elif m.group("unit3"):
        count, unit, sign = 1, "day", -1 if m.group("dir3") == "before" else 1
    else:  # "that day", "the same day"
        return ref.iso
    if count is None:
        return None
    if unit in UNIT_DAYS:
        return _format(ref.date + dt.timedelta(days=sign * count * UNIT_DAYS[unit]), "day")
    if unit == "month":
        return _format(_shift_months(ref.date, sign * count), "month")
    return str(ref.date.year + sign * count)


def _weekday(m: re.Match, anchor: _Anchor | None, direction: str | None = None) -> str | None:
    """The weekday nearest the anchor in the right direction; bare means this week's,
    counting the anchor day itself ("clashes flared Wednesday" in a Wednesday report).

    A clause about the future looks ahead ("will meet on Sunday"); a bare weekday one day
    after the anchor is the next day in any tense (a Saturday report of "early Sunday" was
    written across a time zone, or announces tomorrow).
    """
    if anchor is None or anchor.precision != "day":
        return None
    target = WEEKDAYS.index(m.group("day"))
    mod = m.group("mod")
    ahead = (target - anchor.date.weekday()) % 7
    if mod == "next" or (mod in (None, "on") and (direction == "future" or ahead == 1)):
        delta = ahead or (7 if mod == "next" else 0)
        return _format(anchor.date + dt.timedelta(days=delta), "day")
    delta = (anchor.date.weekday() - target) % 7
    if mod in ("last", "past") and delta == 0:
        delta = 7
    return _format(anchor.date - dt.timedelta(days=delta), "day")


def _dateparser_value(text: str, anchor: _Anchor | None,
                      direction: str | None) -> tuple[str | None, _Anchor | None]:
    """Everything else, through dateparser; precision from its period and the text."""
    has_year = bool(_YEAR.search(text))
    if anchor is None and not has_year:
        return None, None
    base = dt.datetime.combine(anchor.date, dt.time()) if anchor is not None else None
    # without a base, dateparser reads what the text leaves out from today
    date_obj, period = _parsed(text, base, dt.date.today() if base is None else None)
    if date_obj is None:
        return None, None
    day = date_obj.date()
    if period in ("time", "part_of_day"):
        period = "day"
    if period == "week":
        start = day - dt.timedelta(days=day.weekday())
        return _covering(start, start + dt.timedelta(days=6)), anchor
    if period not in ("day", "month", "year"):
        return None, None
    relative = anchor is not None and not has_year
    if relative and _HAS_MONTH.search(text):
        day = _nearest_year(day, anchor, direction)
    elif relative and _needs_precision(period, anchor):
        return None, None
    return _format(day, period), anchor if relative else None


@lru_cache(maxsize=MAX_CACHED_PARSES)
def _parsed(text: str, base: dt.datetime | None, today: dt.date | None,
            ) -> tuple[dt.datetime | None, str | None]:
    """dateparser's date and period for ``text`` read from ``base`` (``today``: the day a
    reading without a base depends on). Kept: articles of a day repeat their expressions
    ("March 3", "last year") from the same base, and each reading builds a parser anew."""
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True,
                                   "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    return data.date_obj, data.period


def _needs_precision(period: str, anchor: _Anchor) -> bool:
    """A relative expression cannot be more precise than its anchor."""
    rank = {"year": 0, "month": 1, "day": 2}
    return rank[period] > rank[anchor.precision]


def _nearest_year(day: dt.date, anchor: _Anchor, direction: str | None) -> dt.date:
    """Place a month(-day) without a year in the anchor's year, last year or next year.

    In a clause about the past, the latest such date not after the anchor (plus a
    tolerance); about the future, the earliest not before it (less the tolerance); in
    the present tense or without a verb, the one nearest the anchor.
    """
    candidate = _with_year(day, anchor.date.year)
    if anchor.precision != "day":
        return candidate
    tolerance = dt.timedelta(days=FUTURE_TOLERANCE_DAYS)
    if direction == "future":
        if candidate >= anchor.date - tolerance:
            return candidate
        return _with_year(day, anchor.date.year + 1)
    if direction == "past":
        if candidate <= anchor.date + tolerance:
            return candidate
        return _with_year(day, anchor.date.year - 1)
    years = (anchor.date.year - 1, anchor.date.year, anchor.date.year + 1)
    return min((_with_year(day, y) for y in years), key=lambda d: abs((d - anchor.date).days))


def _with_year(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _covering(first: dt.date, last: dt.date) -> str | None:
    """The most precise value containing both dates: a day, a month, a year or None."""
    if first == last:
        return _format(first, "day")
    if (first.year, first.month) == (last.year, last.month):
        return _format(first, "month")
    if first.year == last.year:
        return str(first.year)
    return None


def _format(day: dt.date, precision: str) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _parse_published(published: str | None) -> _Anchor | None:
    """The publication date as an anchor; partial dates anchor at their period's end."""
    if not published:
        return None
    text = published.strip()[:10]
    try:
        if len(text) == 10:
            return _Anchor(dt.date.fromisoformat(text), "day")
        if len(text) == 7:
            month_end = _shift_months(dt.date.fromisoformat(text + "-01"), 1)
            return _Anchor(month_end - dt.timedelta(days=1), "month")
        if len(text) == 4:
            return _Anchor(dt.date(int(text), 12, 31), "year")
    except ValueError:
        return None
    return None
