"""When an event happened: a date mention in its clause, else its sentence, else the day
the narration it continues is on."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..intervals import IntervalIndex
from ..parse import doc_text
from ..types import DateMention

#: Paragraph breaks a narration's day carries across: a past-tense event with no date of
#: its own is on the last day named before it in its paragraph or the one before
#: (the 26 development articles: matched events with the gold's date right 23/43 -> 30/43;
#: two paragraphs back added no right date and dated more the gold leaves undated).
NARRATIVE_PARAGRAPHS = 1


def date_of(dates: list[DateMention], start: int, end: int, sent: Span, anchor: Token,
            spans: IntervalIndex | None = None) -> tuple[str | None, str | None]:
    """(value, how found): the date mention in the clause [start, end) ("clause"), else
    the nearest in the sentence ("sentence"), else the narrative's day
    (:func:`narrative_date`, "narrative"), else (None, None). ``spans`` indexes the
    dates' spans, to spare a scan of every date per event."""
    def starting(lo: int, hi: int) -> list[DateMention]:
        found = dates if spans is None else [dates[i] for i in spans.starting(lo, hi)]
        return [d for d in found if d.value and lo <= d.start < hi]

    in_clause = starting(start, end)
    if in_clause:
        return in_clause[0].value, "clause"
    in_sentence = starting(sent.start_char, sent.end_char)
    if in_sentence:
        return min(in_sentence, key=lambda d: abs(d.start - anchor.idx)).value, "sentence"
    day = narrative_date(dates, sent, anchor, spans)
    return (day, "narrative") if day else (None, None)


def narrative_date(dates: list[DateMention], sent: Span, anchor: Token,
                   spans: IntervalIndex | None = None) -> str | None:
    """The day a past-tense telling is on when its sentence names none: the last
    day-precise date mentioned before the sentence, within ``NARRATIVE_PARAGRAPHS``
    paragraph breaks ("Militants shelled the base on Saturday. [...] The rockets also hit
    a depot."). A present or future verb, or a noun, takes no date from its context.
    ``spans`` indexes the dates' spans: only the dates of that stretch of text are read."""
    if not _past(anchor):
        return None
    text = doc_text(sent.doc)
    lo = sent.start_char
    for _ in range(NARRATIVE_PARAGRAPHS + 1):  # back to the breaks before those paragraphs
        lo = text.rfind("\n\n", 0, lo)
        if lo < 0:
            lo = 0
            break
    found = dates if spans is None else [dates[i] for i in spans.starting(lo, sent.start_char)]
    earlier = [d for d in found if d.value and len(d.value) == 10
               and lo <= d.start and d.end <= sent.start_char]
    return max(earlier, key=lambda d: d.end).value if earlier else None


def _past(verb: Token) -> bool:
    """A simple past ("fired"), a past perfect or present perfect ("had fired", "has
    fired") or a past passive ("was fired")."""
    if verb.tag_ == "VBD":
        return True
    if verb.tag_ != "VBN":
        return False
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return any(a.tag_ == "VBD" or a.lemma_ == "have" for a in auxiliaries)
