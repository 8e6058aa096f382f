"""Claim attribution: who says what, read from the parse and the resolved actors.

An *attribution* ties a span of content to a speaker through a cue. The parts:

* ``cues``: the cue lexicon (attribution_cues.yaml and users' additions);
* ``rules``: attributions read off the parse with that lexicon (verbs, phrases, passive
  frames, quotations, transcript turns);
* ``model``: the learned cue/source scorer trained on PolNeAR, which proposes the
  attributions the lexicon's frames miss;
* ``cue_types``: the type of a learned cue the lexicon lacks (its nearest lexicon cue's);
* ``sources``: who speaks (the actor a noun phrase names, the subject of a cue);
* ``content``: what is said (complement spans, quotations, paragraphs);
* ``chains``: the Attribution record and its nesting;
* ``scopes``: which attributions are claims (a news reader's notion, or PolNeAR's).

A source no actor stands for ("a campaign spokeswoman said") is still reported, by its
words, unless it names no one in particular (``unnamed_sources`` in the cue lexicon).

Attributions nest: one whose cue lies inside another's content is reported by that
other's speaker ("AFP reported that US officials claim that ..." -> the officials'
claim has ``reported_by == ["afp"]``, and AFP's claim has the officials' claim as
content). The events stage reads the same attributions to mark embedded events as
reported or denied, so they are computed once per parsed document and cached on it.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..actors import Resolution
from ..parse import token_sentence
from ..types import Claim
from .chains import Attribution
from .content import doc_text, in_quotation, paragraph_bounds
from .cues import CueLexicon, load_cues
from .rules import Finder
from .scopes import SCOPES, ClaimsScope, claims_scope
from .sources import as_predicate, hyphenated, names_someone, noun_phrase_actor

__all__ = [
    "SCOPES", "Attribution", "ClaimsScope", "CueLexicon", "as_predicate", "claims_scope",
    "doc_text", "extract_claims",
    "find_attributions", "hyphenated", "keeps_unnamed_source", "load_cues", "names_someone",
    "noun_phrase_actor", "paragraph_bounds",
]




def find_attributions(doc: Doc, resolution: Resolution, cues: CueLexicon | None = None,
                      scope: str | ClaimsScope = "news") -> list[Attribution]:
    """All attributions in ``doc``, nested; cached on the Doc (per scope) for the later
    stage."""
    scope = claims_scope(scope)
    key = f"rashomon.attributions.{scope.name}"
    cached = doc.user_data.get(key)
    if cached is not None:
        return cached
    finder = Finder(doc, resolution, cues or load_cues(), scope)
    found = finder.run()
    doc.user_data[key] = found
    return found

# -- claims ---------------------------------------------------------------------------------


def extract_claims(doc: Doc, document_id: str, resolution: Resolution,
                   cues: CueLexicon | None = None,
                   scope: str | ClaimsScope = "news") -> list[Claim]:
    """One Claim per attribution with a speaker or a cue worth keeping (``scope``: which
    attributions are claims, see ``SCOPES``)."""
    scope = claims_scope(scope)
    claims: list[Claim] = []
    text = doc_text(doc)
    for att in find_attributions(doc, resolution, cues, scope):
        if att.speaker is None and not keeps_unnamed_source(att, cues or load_cues()):
            continue  # a claim nobody can be named for says nothing about who says what
        if scope.univocal and att.parent is not None:
            continue  # univocal: its words are already the content of another's claim
        end = att.extra_end or att.content_end
        about = []
        for m in resolution.mentions_within(att.content_start, end):
            if m.actor not in about and m.actor != att.actor:
                about.append(m.actor)
        sentence = token_sentence(att.cue).text
        claims.append(Claim(
            id=f"{document_id}:c{len(claims) + 1}", document=document_id,
            start=att.span_start, end=max(att.span_end, end), sentence=sentence,
            speaker=att.actor, cue=att.cue_text, content=text[att.content_start:end],
            speaker_text=att.speaker_text, cue_type=att.cue_type, direct=att.direct,
            reported_by=att.chain(), about=about,
            content_start=att.content_start, content_end=end))
    return claims


def keeps_unnamed_source(att: Attribution, cues: CueLexicon) -> bool:
    """Whether an attribution whose source no actor stands for is still a claim.

    News quotes many people and bodies no knowledge base lists ("Garin added", "a campaign
    spokesman said", "he said" with no named antecedent): the source phrase still says who
    speaks. Kept unless its head is a word that names no one in particular ("people say";
    "I think", "you know" inside a quotation, an aside: see ``unnamed_sources``) or the cue
    is a mere mental state, which news attributes far less often than speech.
    """
    tok = att.speaker_token
    if tok is None or tok.pos_ not in ("NOUN", "PROPN", "PRON"):
        return False
    # "It is said that ...": a passive's subject is no one
    aside = tok.lower_ not in cues.unnamed_quoted_words or tok.dep_ != "nsubj" \
        or in_quotation(att.cue)
    if aside and (tok.lower_ in cues.unnamed_skip_words
                  or tok.lemma_.lower() in cues.unnamed_skip_words):
        return False
    return att.cue_type not in cues.unnamed_skip_cue_types


