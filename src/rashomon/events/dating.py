"""When an event happened: a date mention in its clause, else its sentence."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..intervals import IntervalIndex
from ..types import DateMention


def date_of(dates: list[DateMention], start: int, end: int, sent: Span,
            anchor: Token, spans: IntervalIndex | None = None) -> str | None:
    """The value of the date mention in the clause [start, end), else the nearest in the
    sentence, else None. ``spans`` indexes the dates' spans, to spare a scan of every date
    per event."""
    def starting(lo: int, hi: int) -> list[DateMention]:
        found = dates if spans is None else [dates[i] for i in spans.starting(lo, hi)]
        return [d for d in found if d.value and lo <= d.start < hi]

    in_clause = starting(start, end)
    if in_clause:
        return in_clause[0].value
    in_sentence = starting(sent.start_char, sent.end_char)
    if in_sentence:
        return min(in_sentence, key=lambda d: abs(d.start - anchor.idx)).value
    return None

