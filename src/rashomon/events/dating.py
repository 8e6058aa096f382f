"""When an event happened: a date mention in its clause, else its sentence."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..types import DateMention


def date_of(dates: list[DateMention], start: int, end: int, sent: Span,
            anchor: Token) -> str | None:
    """The value of the date mention in the clause [start, end), else the nearest in the
    sentence, else None."""
    dated = [d for d in dates if d.value]
    in_clause = [d for d in dated if start <= d.start < end]
    if in_clause:
        return in_clause[0].value
    in_sentence = [d for d in dated if sent.start_char <= d.start < sent.end_char]
    if in_sentence:
        return min(in_sentence, key=lambda d: abs(d.start - anchor.idx)).value
    return None

