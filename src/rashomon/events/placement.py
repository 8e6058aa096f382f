"""Where an event happened: a place its own words name."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ..actors import Resolution
from ..types import Place
from .candidates import Frame
from .syntax import (
    BROAD_PLACES,
    attached_by_place_prep,
)


def place_of(frame: Frame, start: int, end: int, places: list[Place], resolution: Resolution,
             main_city: Place | None) -> tuple[Place | None, bool]:
    """The event's place, and whether its own sentence names it."""
    sent = frame.anchor.sent
    # A place that is also an actor mention ("Turkey launched", "the US") is an actor
    # here; and a city or site says more about where than a country does.
    in_sentence = sorted(
        (p for p in places if sent.start_char <= p.start < sent.end_char
         and resolution.mention_at(p.start, p.end) is None),
        key=lambda p: p.kind in BROAD_PLACES)
    for p in in_sentence:
        tok = token_at(frame.anchor.doc, p.start)
        if tok is not None and attached_by_place_prep(tok, frame.anchor):
            return p, True
    in_clause = [p for p in in_sentence if start <= p.start < end]
    if in_clause:
        return in_clause[0], True
    if in_sentence:
        return min(in_sentence, key=lambda p: (p.kind in BROAD_PLACES,
                                               abs(p.start - frame.anchor.idx))), True
    return main_city, False


def token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.root if span is not None else None

