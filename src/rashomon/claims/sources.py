"""Who speaks: the actor a noun phrase names, the subject of a cue, the source's words.

Shared with the events stage, which reads actors off noun phrases the same way.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..actors import Resolution
from ..types import Mention
from .content import doc_text, end_of

# Prepositions whose object names the body a generic speaker belongs to
# ("sources in the Resistance Axis", "officials of the ministry", "a spokesman for X").
_MEMBER_PREPS = {"in", "of", "for", "from", "at", "within", "close"}
# Verbs that put out a statement, a report or a warning: their subject is its source.
_ISSUING = {"issue", "make", "release", "give", "deliver", "publish", "send", "post", "put",
            "offer", "extend", "express", "voice", "file", "lodge", "level", "repeat"}


# -- parse helpers shared with the events stage ---------------------------------------------


def noun_phrase_actor(tok: Token, resolution: Resolution,
                      member_preps: bool = False) -> Mention | None:
    """The actor named by the noun phrase headed by ``tok``.

    The head's own mention first ("Iran", "US troops"), then its modifiers nearest the
    head first ("Iran's consulate", "the Iranian consulate", "US-backed Iraqi troops" ->
    Iraq), then, for generic heads, the body they belong to ("a group of Iranian
    patriots", "sources in the Resistance Axis" when ``member_preps``).
    """
    own = resolution.mention_at(tok.idx, end_of(tok))
    if own is not None and hyphenated(doc_text(tok.doc), own):
        own = None  # "anti-American leaders" are not American
    if own is not None and own.rule != "group":
        return own
    named = _appositive_actor(tok, resolution)
    if named is not None:
        return named  # "America's top ally Saudi Arabia" is Saudi Arabia, not America
    if own is not None:  # "Mahdi Army fighters": the named body, not the generic noun
        return modifier_actor(tok, resolution) or own
    if tok.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ"):
        return None
    modifier = modifier_actor(tok, resolution)
    if modifier is not None and not (tok.ent_type_ and modifier.start >= _entity_start(tok)):
        return modifier  # but "France" inside "Agence France Presse" names nobody here
    for child in tok.children:  # "a group called X", "a militia known as X"
        if child.dep_ == "acl":
            named = next((g for g in child.subtree if g.dep_ in ("oprd", "pobj")
                          and g.head.lower_ in ("as", child.lower_)), None)
            found = resolution.mention_at(named.idx, end_of(named)) if named is not None else None
            if found is not None:
                return found
    preps = _MEMBER_PREPS if member_preps else {"of"}
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None:
                found = (resolution.mention_at(obj.idx, end_of(obj))
                         or modifier_actor(obj, resolution))
                if found is not None:
                    return found
    return None


def _appositive_actor(tok: Token, resolution: Resolution) -> Mention | None:
    """The actor an appositive name gives a generic head ("its ally, Saudi Arabia")."""
    for child in tok.children:
        if child.dep_ == "appos" and child.i > tok.i:
            found = resolution.mention_at(child.idx, end_of(child))
            if found is not None and found.rule != "group":
                return found
    return None


def modifier_actor(tok: Token, resolution: Resolution) -> Mention | None:
    mods = [c for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod", "nummod")
            and c.i < tok.i]
    for child in sorted(mods, key=lambda c: -c.i):
        for t in sorted(child.subtree, key=lambda t: -t.i):
            found = resolution.mention_at(t.idx, end_of(t))
            if found is not None and not hyphenated(doc_text(tok.doc), found):
                return found
    return None


def hyphenated(text: str, m: Mention) -> bool:
    """A name glued into a hyphenated modifier ("anti-Iranian", "US-backed", "pro-Iran")
    states an attitude or a patron, not who the modified noun is."""
    return text[m.start - 1:m.start] == "-" or text[m.end:m.end + 1] == "-"


def _entity_start(tok: Token) -> int:
    i = tok.i
    while i > 0 and tok.doc[i].ent_iob_ == "I":
        i -= 1
    return tok.doc[i].idx


def subject_of(tok: Token) -> Token | None:
    """The subject of a verb, borrowed from the verb it is coordinated with if it has none."""
    node = tok
    for _ in range(4):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subjects:
            # "the fact that the terrorists, a group called X, took ...": the parser gives
            # several subjects; the one naming someone speaks
            subject = max(subjects, key=lambda c: (names_someone(c), -c.i))
            if subject.tag_ in ("WP", "WDT") and node.dep_ == "relcl":
                return node.head  # "Smith, who said ...": the relative's antecedent speaks
            return subject
        if node.dep_ in ("conj", "xcomp", "pcomp", "acomp") and node.head != node:
            node = node.head
            if node.pos_ == "ADP":  # "candid in telling me" -> the subject of "were candid"
                node = node.head
            continue
        if node.dep_ in ("relcl", "acl") and node.head != node:
            return node.head
        return None
    return None


def as_predicate(tok: Token) -> list[Token]:
    """The predicate of "X as Y" (prep "as" with its object, or a clause "as aimed at ...")
    or a secondary predicate."""
    out = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            out.append(c)
        elif c.dep_ in ("oprd", "acomp"):
            out.append(c)
        elif c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children):
            out.append(c)
    return out


def names_someone(tok: Token) -> bool:
    """Whether a phrase contains a name of a person, organisation, place or people."""
    return any(t.ent_type_ in ("ORG", "PERSON", "GPE", "NORP") for t in tok.subtree)


def np_text(tok: Token) -> str:
    """The noun phrase of ``tok`` without clauses hanging off it."""
    cut = {c.i for c in tok.children if c.dep_ in ("relcl", "acl", "appos", "punct", "prep")
           and c.i > tok.i or c.dep_ in ("ccomp", "parataxis")}  # a quote misparsed onto it
    doc = tok.doc
    tokens = [t for t in tok.subtree
              if not any(doc[c].left_edge.i <= t.i <= doc[c].right_edge.i for c in cut)]
    while len(tokens) > 1 and tokens[0].is_punct:
        tokens.pop(0)
    return tok.doc[tokens[0].i:tokens[-1].i + 1].text if tokens else tok.text




def issuer(noun: Token) -> Token | None:
    """Who put out a statement-like noun: "X issued a statement", "a statement released by
    X", "a statement from X"."""
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in _ISSUING:
        return subject_of(noun.head)
    for child in noun.children:
        if child.dep_ == "acl":  # "a statement released by X"
            agent = next((g for g in child.children if g.dep_ == "agent"), None)
            obj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent else None
            if obj is not None:
                return obj
        elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    return None
