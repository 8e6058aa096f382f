"""Named entities no actor covers, offered to the stance stage as parties of their own.

The resolver keeps out of its actors what it cannot place with confidence: a town or a
US state (a place, not a state), an adjective of a people or creed ("European
criticism", "Muslim groups"), a lone surname the knowledge base and the text do not
expand, a firm the gazetteer also lists as a town. Events and claims are better off
without them, but a sentence can still say how someone stands toward them ("X
criticised Kentucky's law", "Y praised the Post"), and the stance model reads such a
pair as well as any other. So once events and claims are done, the stance stage may
pair an actor with an uncovered PERSON, ORG, NORP or GPE entity; only the entities that
end up in a stance are kept (their mentions and provisional actors are added then), so
nothing else in the analysis changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span

from ..clean.header import dateline_places
from ..parse import doc_ents, doc_text
from ..types import Actor, Mention
from .common import ARGUMENT_SLOTS, POSSESSIVE
from .entities import entity_parts, is_junk
from .kb import KnowledgeBase
from .normalize import SKIP_TOKENS, token_key
from .resolve import kb_actor_copy, provisional_id

# Entity labels that can name a party to a stance: persons, organisations, peoples and
# creeds, and places that act or are acted on as polities ("Kentucky sued ...").
PARTY_LABELS = {"PERSON": "person", "ORG": "organization", "NORP": "group", "GPE": "other"}
# Labels the tagger also gives to names of persons and firms ("Hansen said", "Charter
# unleashed ..."): a party only as a verb's subject or object, where a work, product or
# building seldom stands.
MISTAGGED_LABELS = {"WORK_OF_ART", "PRODUCT", "FAC"}
RULE = "entity"


def entity_parties(doc: Doc, document: str, mentions: Sequence[Mention],
                   actors: dict[str, Actor], kb: KnowledgeBase
                   ) -> tuple[list[Mention], dict[str, Actor]]:
    """Mentions for the tagged entities of ``PARTY_LABELS`` that overlap no actor mention,
    each with the actor it stands for (see ``_party_actor``). Not a dateline's place
    (where the report was filed) nor a place named as where something is ("in Basra",
    "outside Aleppo"): only who acts or is acted on."""
    text = doc_text(doc)
    # the characters of the actor mentions and datelines: an entity overlapping one is no
    # party of its own (a zero-width span overlaps what strictly contains it)
    taken = bytearray(len(text))
    points = []
    for s, e in [(m.start, m.end) for m in mentions] + dateline_places(text):
        if e > s:
            taken[s:e] = b"\x01" * (e - s)
        else:
            points.append(s)
    place_preps = set(kb.rules.get("place_prepositions") or [])
    by_name: dict[str, str] = {}
    by_word: dict[str, set[str]] = {}  # first or last word of a person's name -> persons
    for actor in actors.values():
        for name in [actor.name, *actor.aliases]:
            by_name.setdefault(name.lower(), actor.id)
            words = name.lower().split()
            if actor.kind == "person" and len(words) > 1:
                for word in (words[0], words[-1]):
                    by_word.setdefault(word, set()).add(actor.id)
    sentence_of = {i: k for k, sent in enumerate(doc.sents) for i in range(sent.start, sent.end)}
    out: list[Mention] = []
    new: dict[str, Actor] = {}
    for ent in doc_ents(doc):
        kind = PARTY_LABELS.get(ent.label_)
        if ent.label_ in MISTAGGED_LABELS and ent.root.dep_ in ARGUMENT_SLOTS:
            kind = "other"
        if kind is None:
            continue
        for part in entity_parts(ent):
            span = _trimmed(part)
            if span is None:
                continue
            start, end = span.start_char, span.end_char
            if taken.find(1, start, end) >= 0 or any(start < p < end for p in points) \
                    or is_junk(span, ent.label_, kb):
                continue
            if ent.label_ == "GPE" and span.root.dep_ == "pobj" \
                    and span.root.head.lower_ in place_preps:
                continue
            name = span.text
            actor_id = _party_actor(name, kind, kb, actors, by_name, by_word, new)
            out.append(Mention(document=document, start=start, end=end, text=name,
                               actor=actor_id, rule=RULE, sentence=sentence_of.get(span.start)))
    return out, new


def _party_actor(name: str, kind: str, kb: KnowledgeBase, actors: dict[str, Actor],
                 by_name: dict[str, str], by_word: dict[str, set[str]],
                 new: dict[str, Actor]) -> str:
    """The actor an entity stands for: one of this document called by that name; else
    the knowledge-base actor of that name (one named here first; a city the resolver
    read as a place may be its state's metonym); else, for one word, the one person here
    whose name begins or ends with it; else a provisional actor, with the id the resolver
    gives the name (``resolve.provisional_id``), so that both meet across documents. A
    new actor is added to ``new``."""
    known = by_name.get(name.lower())
    if known is not None:
        return known
    entries = [e for e in kb.lookup(name) if e.actor in kb.actors and e.rule != "place"]
    here = [e.actor for e in entries if e.actor in actors]
    if here:
        return here[0]
    if len({e.actor for e in entries}) == 1:
        actor_id = entries[0].actor
        if actor_id not in new:
            new[actor_id] = kb_actor_copy(kb, actor_id)
        return actor_id
    people = by_word.get(name.lower(), set()) if " " not in name else set()
    if len(people) == 1:
        return next(iter(people))
    actor_id = provisional_id(kb, name)
    if actor_id not in actors and actor_id not in new:
        new[actor_id] = Actor(id=actor_id, name=name, kind=kind, aliases=[name],
                              provisional=True)
    return actor_id


def _trimmed(part: Span) -> Span | None:
    """The entity without a leading article and trailing punctuation or possessive."""
    doc, start, end = part.doc, part.start, part.end
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while start < end and (doc[end - 1].lower_ in POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    words = [t for t in doc[start:end] if token_key(t.text) not in SKIP_TOKENS]
    return doc[start:end] if words else None
