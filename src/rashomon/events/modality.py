"""Modality and negation of a candidate event from its clause and governing verbs."""

from __future__ import annotations

from spacy.tokens import Token

from ..claims import Attribution
from ..intervals import IntervalIndex
from .candidates import Frame
from .syntax import (
    DECLARING_GOVERNORS,
    GOVERNORS,
    HYPOTHETICAL_AUX,
    HYPOTHETICAL_MARKS,
    NEGATORS,
    PLANNED_AUX,
    REPORTED_FUTURE_AUX,
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
                elif c.dep_ == "aux" and c.lower_ in REPORTED_FUTURE_AUX \
                        and _reported_future(node):
                    if modality == "asserted":
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
    through open clausal complements ("refused to agree to meet"), or one it declares it
    will not do (:func:`declined_ahead`)."""
    if declined_ahead(frame):
        return True
    node = frame.anchor
    for _ in range(4):
        if node.dep_ != "xcomp" or node.head.i == node.i:
            return False
        node = node.head
        if node.lemma_.lower() in REFUSING:
            return True
    return False


def declared_future(frame: Frame) -> bool:
    """Whether the act is one its subject declares it will do: "will impose", "said it
    would tighten the blockade" (:func:`_reported_future`), "plans to", "is prepared to",
    "vowed to" (DECLARING_GOVERNORS); not negated, not itself a condition ("if X strikes")
    and under no other modal ("might"). A hostile act so declared is a threat, a condition
    on it ("will strike unless ...") all the more. A noun alone ("the planned raid") is
    read by its own clause's verb, not so."""
    if frame.anchor == frame.nominal:
        return False
    node = frame.anchor if frame.anchor.pos_ in ("VERB", "AUX") else frame.anchor.head
    declared = False
    for _ in range(4):
        for c in node.children:
            if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in NEGATORS) or (
                    c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS):
                return False
            if c.dep_ != "aux":
                continue
            if c.lower_ in PLANNED_AUX or (c.lower_ in REPORTED_FUTURE_AUX
                                           and node.dep_ == "ccomp" and node.head.tag_ == "VBD"):
                declared = True  # a condition on it ("would strike unless ...") is a threat's
            elif c.lower_ in HYPOTHETICAL_AUX:
                return False
        if node.dep_ not in ("xcomp", "acomp") or node.head.i == node.i:
            return declared
        node = node.head
        if node.lemma_.lower() in DECLARING_GOVERNORS or node.lower_ in DECLARING_GOVERNORS:
            declared = True
        elif node.lemma_.lower() in GOVERNORS:
            return False  # "tried to", "refused to", "threatened to" (a threat already)
    return declared


def declined_ahead(frame: Frame) -> bool:
    """Whether the act is negated as a future its subject declares: "Syria will not accept
    more refugees", "said it would not attend", "vowed not to return the land". Saying so
    is the refusal (a REJECT that happened), unlike "did not accept" (nothing happened)."""
    node = frame.anchor if frame.anchor.pos_ in ("VERB", "AUX") else frame.anchor.head
    for _ in range(4):
        if any(c.dep_ == "neg" for c in node.children):
            return any(c.dep_ == "aux" and (c.lower_ in PLANNED_AUX or (
                c.lower_ in REPORTED_FUTURE_AUX and _reported_future(node)))
                for c in node.children) or (
                node.dep_ == "xcomp" and GOVERNORS.get(node.head.lemma_.lower()) == "planned")
        if node.dep_ != "xcomp" or node.head.i == node.i:
            return False
        node = node.head
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


def _reported_future(verb: Token) -> bool:
    """Whether "would" on ``verb`` is a future told in the past: the verb is the complement
    of a past-tense verb ("confirmed it would tighten the blockade") and no condition hangs
    on it ("said they would meet him if he ...": hypothetical)."""
    if verb.dep_ != "ccomp" or verb.head.tag_ != "VBD":
        return False
    return not any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS
                   for clause in verb.children if clause.dep_ == "advcl"
                   for c in clause.children)


def _purpose(verb: Token) -> bool:
    """An infinitival purpose clause: "acted to stop", "moved troops to secure the border"."""
    return verb.dep_ == "advcl" and verb.tag_ == "VB" and any(
        c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
