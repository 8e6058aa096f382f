"""Where an event happened: only a place the event's own words name, and how it was found.

In order: a place the event's own noun phrase names ("the Basra offensive", "a strike on
a Mosul market"): ``noun_phrase``; a place hung from the trigger or its object by in/at/near
...: ``clause``, as is any place inside the event's clause; else the nearest place in its
sentence: ``sentence``. Otherwise the event has no place: the document's setting is not the
event's place. A place that is an actor here ("Turkey launched") or a hyphenated modifier
("a London-based group", "Tehran-backed militias") places nothing, nor does a dateline's
("BAGHDAD (Reuters) -": where the report was filed); an actor's name governed by
in/at/near ("talks in Tehran") places the event.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span, Token

from ..actors import Resolution
from ..clean.header import dateline_places
from ..intervals import IntervalIndex
from ..parse import doc_text, token_sentence
from ..types import Place
from .candidates import Frame
from .syntax import BROAD_PLACES, PLACE_PREPS, attached_by_place_prep


def place_of(frame: Frame, start: int, end: int, places: list[Place],
             resolution: Resolution, spans: IntervalIndex | None = None,
             by_sentence: dict[int, list[tuple[Place, Token | None]]] | None = None,
             ) -> dict[str, Any] | None:
    """The event's place as exported (with ``how`` it was found), or None. ``spans``
    indexes the places' spans, to spare a scan of every place per event; ``by_sentence``
    keeps each sentence's candidate places (:func:`sentence_places`) for the document's
    other events, which read the same ones."""
    sent = token_sentence(frame.anchor)
    in_sentence = None if by_sentence is None else by_sentence.get(sent.start)
    if in_sentence is None:
        in_sentence = sentence_places(sent, places, resolution, spans)
        if by_sentence is not None:
            by_sentence[sent.start] = in_sentence
    if frame.nominal is not None:
        np = frame.nominal
        lo, hi = np.left_edge.idx, np.right_edge.idx + len(np.right_edge.text)
        own = [p for p, _ in in_sentence if lo <= p.start < hi]
        if own:
            return _exported(own[0], "noun_phrase")
    for p, tok in in_sentence:
        if tok is not None and attached_by_place_prep(tok, frame.anchor):
            return _exported(p, "clause")
    in_clause = [p for p, _ in in_sentence if start <= p.start < end]
    if in_clause:
        return _exported(in_clause[0], "clause")
    if in_sentence:
        return _exported(min((p for p, _ in in_sentence),
                             key=lambda p: (p.kind in BROAD_PLACES,
                                            abs(p.start - frame.anchor.idx))),
                         "sentence")
    return None


def sentence_places(sent: Span, places: list[Place], resolution: Resolution,
                    spans: IntervalIndex | None = None) -> list[tuple[Place, Token | None]]:
    """The places of a sentence that may place its events, cities and sites first, each
    with the token it starts at: not a hyphenated modifier, not a dateline's place, not
    an actor unless governed by in/at/near (see the module's docstring)."""
    doc = sent.doc
    text = doc_text(doc)
    nearby = (places if spans is None else
              [places[i] for i in spans.starting(sent.start_char, sent.end_char)])
    filed = dateline_places(text[sent.start_char:sent.end_char])
    kept = []
    for p in nearby:
        if not sent.start_char <= p.start < sent.end_char or _modifier(text, p) \
                or any(lo <= p.start - sent.start_char < hi for lo, hi in filed):
            continue
        tok = token_at(doc, p.start)
        if resolution.mention_at(p.start, p.end) is None or _locative(tok):
            kept.append((p, tok))
    # a city or site says more about where than a country does
    return sorted(kept, key=lambda pt: pt[0].kind in BROAD_PLACES)


def _locative(tok: Token | None) -> bool:
    """A name governed by in/at/near/... ("talks in Tehran", "the embassy in Baghdad's
    Green Zone"): where something is, even when the name elsewhere stands for an actor."""
    while tok is not None and tok.dep_ in ("poss", "compound") and tok.head != tok:
        tok = tok.head
    return tok is not None and tok.dep_ == "pobj" and tok.head.lower_ in PLACE_PREPS


def _modifier(text: str, place: Place) -> bool:
    """"New York-based", "Iran-backed": the name is part of a hyphenated adjective."""
    return text[place.end:place.end + 1] in ("-", "\u2010", "\u2011")


def _exported(place: Place, how: str) -> dict[str, Any]:
    return {**place.as_event_place(), "how": how}


def token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.root if span is not None else None
