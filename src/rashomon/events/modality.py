"""Modality and negation of a candidate event from its clause and governing verbs."""

from __future__ import annotations

from spacy.tokens import Token

from ..claims import Attribution
from ..intervals import IntervalIndex
from .candidates import Frame
from .syntax import (
    GOVERNORS,
    HYPOTHETICAL_AUX,
    HYPOTHETICAL_MARKS,
    NEGATORS,
    PLANNED_AUX,
    end_char,
)


def modality_of(frame: Frame) -> tuple[bool, str]:
    """Whether the frame's event is negated, and its modality (asserted, planned, ...).

    Negation and modality climb from an infinitive to the verb that governs it: a
    complement ("refused to release", "threatened to strike") or a purpose clause ("did not
    act to stop X": no stopping happened)."""
    negated, modality = False, "asserted"
    node = frame.anchor if frame.anchor.pos_ in ("VERB", "AUX") else frame.anchor.head
    nominal_only = frame.anchor == frame.nominal
    for _ in range(4):
        if not nominal_only or node != frame.anchor:
            for c in node.children:
                if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in NEGATORS):
                    negated = True
                elif c.dep_ == "aux" and c.lower_ in PLANNED_AUX and modality == "asserted":
                    modality = "planned"
                elif c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX:
                    modality = "hypothetical"
                elif c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS:
                    modality = "hypothetical"
        if node.dep_ not in ("xcomp", "acomp") and not (nominal_only and node == frame.anchor) \
                and not _purpose(node):
            break
        governor = node.head
        effect = GOVERNORS.get(governor.lemma_.lower())
        if effect == "negated":
            negated = True
        elif effect and modality == "asserted":
            modality = effect
        node = governor
    return negated, modality


#: Governors whose negation is a refusal: the refusing is an act of its own (a REJECT).
REFUSING = frozenset({"refuse", "decline"})


def refused(frame: Frame) -> bool:
    """Whether the frame's act is one its subject refuses to do ("refused to meet X"),
    through open clausal complements ("refused to agree to meet")."""
    node = frame.anchor
    for _ in range(4):
        if node.dep_ != "xcomp" or node.head.i == node.i:
            return False
        node = node.head
        if node.lemma_.lower() in REFUSING:
            return True
    return False


def attribution_of(attributions: list[Attribution], tok: Token,
                   contents: IntervalIndex | None = None) -> Attribution | None:
    """The innermost attribution whose content holds ``tok``; ``contents`` indexes the
    attributions' contents (see ``Attribution.contains``) to spare a scan of them all."""
    if contents is None:
        inside = [a for a in attributions if a.contains(tok.idx, end_char(tok))]
    else:
        inside = [attributions[i] for i in contents.containing(tok.idx, end_char(tok))]
    return min(inside, key=lambda a: a.content_end - a.content_start) if inside else None


def _purpose(verb: Token) -> bool:
    """An infinitival purpose clause: "acted to stop", "moved troops to secure the border"."""
    return verb.dep_ == "advcl" and verb.tag_ == "VB" and any(
        c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
