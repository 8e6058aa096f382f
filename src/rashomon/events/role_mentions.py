"""Role words turned into actor mentions: names and their conjuncts, pronouns, possessives,
and the owners a bare definite noun or facility stands for."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ..claims import hyphenated, noun_phrase_actor
from ..parse import token_sentence
from ..types import Mention
from .modality import attribution_of
from .syntax import (
    FIRST_PERSON,
    MODIFIER_CLAUSES,
    NOUN_MODIFIERS,
    PRONOUN_KINDS,
    RELATIVE_PRONOUNS,
    cleft_focus,
    end_char,
    own_possessive,
    partitive_object,
    pobj,
    prep_object,
    relative_antecedent,
)


class MentionFinder:
    """The actor mentions a role word stands for; mixed into ``RoleFinder``."""

    def _actors(self, tok: Token | None, own_only: bool = False) -> list[Mention]:
        """The actors a role word names, one per coordinated conjunct."""
        if tok is None:
            return []
        out = []
        for t in [tok, *tok.conjuncts]:
            if t.lower_ == "it" and t.dep_ == "nsubj" and not own_only:
                act = self._act_referent(t)
                if act is not None:
                    # "The operation will go on. It is not targeting X": whoever carries
                    # out the operation, at the pronoun (or nobody named, not a body)
                    out += [self._pronoun_mention(t, m.actor) for m in self._perpetrator(act)]
                    continue
            focus = cleft_focus(t) if t.dep_ == "nsubj" else None
            if focus is not None:
                t = focus
            elif t.lower_ in RELATIVE_PRONOUNS:
                # "Maliki, who ordered ..." -> Maliki; "officials, some of whom met X"
                t = self._nearer_body(t, relative_antecedent(t)) or t
            if t.tag_ == "PRP$" or (t.pos_ == "PRON" and t.dep_ == "poss"):
                found = self._possessive(t)
            elif own_only:
                found = self.resolution.mention_at(t.idx, end_char(t))
            else:
                found = noun_phrase_actor(t, self.resolution)
                poss = own_possessive(t)
                if poss is None and t.tag_ == "NNS":
                    # people of someone's group: "six members of his bodyguard", "leaders
                    # of their party" belong to whoever the group's "his"/"their" is
                    poss = own_possessive(prep_object(t, "of"))
                if found is None and poss is not None:
                    found = self._possessive(poss)  # "his followers" -> whoever "his" is
                if found is None and self.lex.lemma(t) in self.lex.facility_nouns:
                    found = self._facility_owner(t) or self._earlier_facility_owner(t)
                if found is None and t.tag_ == "NNS":
                    found = self._earlier_owner(t)
            if found is None and t.tag_ == "PRP":
                found = self._pronoun(t)
            if found is None:
                part = partitive_object(t)  # "13 of its members", "some of the militias"
                if part is not None:
                    found = next(iter(self._actors(part)), None)
            if found is not None:
                out.append(found)
                if not own_only and t.pos_ == "NOUN":
                    out += self._coordinated_modifiers(t, found)
                if not own_only:
                    out += self._coordinated_appositives(t, found)
        return out

    def _nearer_body(self, pronoun: Token, antecedent: Token | None) -> Token | None:
        """The name right before "which" when the parser hangs its clause on the noun
        whose "of" object that name is: in "the leader of the Nusra Front, which is listed
        as a terrorist group" the clause is the front's ("which" stands for no person).
        Not past an act noun ("the invasion of Kuwait, which was condemned": the invasion
        was)."""
        if pronoun.lower_ != "which" or antecedent is None or antecedent.pos_ != "NOUN" \
                or self._noun_entry(antecedent) is not None:
            return antecedent
        name = prep_object(antecedent, "of")
        between = pronoun.doc[name.right_edge.i + 1:pronoun.i] if name is not None else None
        if name is not None and name.ent_type_ in ("ORG", "GPE", "NORP") \
                and all(w.is_punct for w in between):
            return name
        return antecedent

    def _coordinated_appositives(self, noun: Token, found: Mention) -> list[Mention]:
        """The other names of an appositive list the role word's actor (``found``) heads:
        "two militias, X and Y, coordinated the attack" are X and Y, each an actor of the
        role (the parser hangs Y as X's conjunct under the appositive)."""
        names = [c for c in noun.children if c.dep_ == "appos" and c.i > noun.i
                 and (found.start <= c.idx < found.end or getattr(
                     self.resolution.mention_at(c.idx, end_char(c)), "actor", None)
                     == found.actor)]
        seen = {found.actor}
        out = []
        for conj in (c for name in names for c in name.conjuncts if c.i > name.i):
            m = self.resolution.mention_at(conj.idx, end_char(conj))
            if m is not None and m.actor not in seen:
                seen.add(m.actor)
                out.append(m)
        return out

    def _act_referent(self, pronoun: Token) -> Token | None:
        """The act a subject "it" stands for: the nearest subject before it (in its own
        sentence or the one before), through other subject "it"s, when that is a definite
        hostile act ("The offensive will go on for weeks. It is aimed at X"); None when
        the nearest subject is anything else."""
        lo = token_sentence(self.doc[max(0, token_sentence(pronoun).start - 1)]).start
        for i in range(pronoun.i - 1, lo - 1, -1):
            t = self.doc[i]
            if t.dep_ not in ("nsubj", "nsubjpass") or t.lower_ == "it":
                continue
            return t if self._definite_event(t) else None
        return None

    def _coordinated_modifiers(self, noun: Token, found: Mention) -> list[Mention]:
        """The other actors of a common noun's coordinated modifiers: "UK and EU
        negotiators", "Iraqi and Iranian officials" are both sides' people, each an actor
        of the role (the noun's own actor, ``found``, being one of them)."""
        mods = [c for c in noun.children if c.i < noun.i
                and c.dep_ in ("amod", "compound", "nmod", "poss")]
        mods += [c for m in mods for c in m.conjuncts if c.i < noun.i]
        if not any(c.dep_ == "cc" and c.lower_ == "and" for m in mods for c in m.children):
            return []
        seen = {found.actor}
        out = []
        for mod in sorted(set(mods), key=lambda t: t.i):
            m = self.resolution.mention_at(mod.idx, end_char(mod))
            if m is not None and m.actor not in seen and not hyphenated(self.text, m):
                seen.add(m.actor)
                out.append(m)
        return out

    def _pronoun(self, pronoun: Token) -> Mention | None:
        """The actor a personal pronoun in a role stands for, the pronoun's span as its
        mention: "we"/"us" in a direct quotation -> its speaker; "he"/"him"/"she"/"her" ->
        the last person named; "it" -> the last body or state named in the singular,
        "they"/"them" -> the last body or state named. Two sentences back at most, never
        an outlet, and never an actor the pronoun's own clause names in another role ("X
        attacked them" is not X attacking itself)."""
        low = pronoun.lower_
        if pronoun.dep_ == "expl" or low == "it" and (
                pronoun.head.lemma_.lower() in self.lex.expletive_verbs
                or pronoun.dep_ != "nsubj"):
            return None  # "it is likely that ..."; "dismissed it", "it was stolen": a thing
        if low in FIRST_PERSON:
            att = attribution_of(self.attributions, pronoun, self.contents)
            if att is None or not att.direct or att.speaker is None:
                return None
            return self._pronoun_mention(pronoun, att.speaker.actor)
        kind = PRONOUN_KINDS.get(low)
        if kind is None:
            return None
        clause = {m.actor for c in pronoun.head.children if c is not pronoun
                  for m in [noun_phrase_actor(c, self.resolution)] if m is not None}
        sentence = token_sentence(pronoun)
        lo = token_sentence(self.doc[max(0, sentence.start - 1)]).start
        lo = token_sentence(self.doc[max(0, lo - 1)]).start_char
        earlier = sorted(self.resolution.indexed().before(pronoun.idx, lo),
                         key=lambda m: m.start, reverse=True)
        for m in earlier:
            actor = self.resolution.actors.get(m.actor)
            if actor is None or m.actor in clause or m.rule == "demonym" \
                    or hyphenated(self.text, m):
                continue
            if kind == "person":
                if actor.kind == "person":
                    return self._pronoun_mention(pronoun, m.actor)
                continue
            if actor.kind in ("person", "media"):
                continue  # an outlet reports what "it" or "they" did; it does not act
            last = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if last is not None and len(last) and last[-1].dep_ in NOUN_MODIFIERS \
                    and last[-1].head.i >= last.end \
                    and self.resolution.mention_at(last[-1].head.idx,
                                                   end_char(last[-1].head)) is None:
                continue  # "the Sadrist seats": a modifier of a thing is not what "they" is
            plural = last is not None and len(last) and last[-1].tag_ in ("NNS", "NNPS")
            if kind == "plural" or not plural:
                return self._pronoun_mention(pronoun, m.actor)
        return None

    def _pronoun_mention(self, pronoun: Token, actor: str) -> Mention:
        return Mention(document=self.document_id, start=pronoun.idx, end=end_char(pronoun),
                       text=pronoun.text, actor=actor, rule="pronoun")

    def _facility_owner(self, facility: Token) -> Mention | None:
        """Whom a clause on a building ties it to: "a clinic that serves members of the
        PMF" -> the PMF, "a school run by UNRWA" -> UNRWA. Clauses nested deeper ("...
        those who fought ISIS") describe other people and are not read."""
        for clause in (c for c in facility.children if c.dep_ in MODIFIER_CLAUSES):
            agent = next((c for c in clause.children if c.dep_ == "agent"), None)
            words = [pobj(agent)] if agent is not None else []
            words += [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")
                      and c.lower_ not in RELATIVE_PRONOUNS]
            words += [pobj(c) for c in clause.children
                      if c.dep_ == "prep" and c.lower_ in ("to", "for", "of")]
            for word in words:
                found = noun_phrase_actor(word, self.resolution) if word is not None else None
                if found is not None:
                    return found
        return None

    def _earlier_facility_owner(self, facility: Token) -> Mention | None:
        """Whose "the facility" is when it refers back: the owner of the last building or
        site named, with its owner, in the sentence or the two before ("opened its
        embassy in Oslo ... a drone struck the facility" -> the embassy's owner).
        Only a bare definite noun ("the facility", not "a facility" nor "a militia's
        facility"), the mention being its own span."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                   for c in facility.children) or any(
                c.dep_ in ("poss", *NOUN_MODIFIERS) for c in facility.children):
            return None
        sentence = token_sentence(facility)
        lo = token_sentence(self.doc[max(0, sentence.start - 1)]).start
        lo = token_sentence(self.doc[max(0, lo - 1)]).start
        for tok in reversed(self.doc[lo:facility.i]):
            if tok.pos_ != "NOUN" or self.lex.lemma(tok) not in self.lex.facility_nouns:
                continue
            owners = [c for c in tok.children if c.dep_ in ("poss", *NOUN_MODIFIERS)
                      and c.i < tok.i]
            found = next((m for c in owners for m in self._actors(c, own_only=c.dep_ != "poss")
                          if not hyphenated(self.text, m)), None)
            if found is not None:
                return replace(found, start=facility.idx, end=end_char(facility),
                               text=facility.text, rule="coreference")
        return None

    def _earlier_owner(self, noun: Token) -> Mention | None:
        """Whose people a bare definite plural is when it refers back: the owner of the
        same noun named just before ("raided X and held several of its members ... the
        members who had shelled the town" -> X). Only "the" with no owner
        or modifier of its own, the sentence and the two before; the mention is the
        noun's own span."""
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children) or any(
                c.dep_ in ("poss", *NOUN_MODIFIERS) or c.dep_ == "prep" and c.lower_ == "of"
                for c in noun.children):
            return None
        sentence = token_sentence(noun)
        lo = token_sentence(self.doc[max(0, sentence.start - 1)]).start
        lo = token_sentence(self.doc[max(0, lo - 1)]).start
        lemma = self.lex.lemma(noun)
        for tok in reversed(self.doc[lo:noun.i]):
            if tok.tag_ != "NNS" or self.lex.lemma(tok) != lemma:
                continue
            owner = own_possessive(tok) or next(
                (c for c in tok.children if c.dep_ in NOUN_MODIFIERS and c.i < tok.i), None) \
                or prep_object(tok, "of")
            found = next(iter(self._actors(owner)), None) if owner is not None else None
            if found is not None:
                return replace(found, start=noun.idx, end=end_char(noun), text=noun.text,
                               rule="coreference")
            return None  # the nearest mention of the noun had no owner: no guess further back
        return None

    def _possessive(self, pronoun: Token) -> Mention | None:
        """"its"/"their" -> the nearest preceding non-person actor; "his"/"her" -> a person.
        The mention is the pronoun's own span, as for a personal pronoun: the role model
        reads a role off the path to where the mention stands, and the antecedent's span
        ("Erdogan escaped unharmed after drones struck his motorcade") would give it the
        path to the antecedent's own role (the subject of "escaped"), not the possessor's.
        "his"/"her" read as far back as "he"/"she" (two sentences: a story's protagonist is
        named, then referred to); "its"/"their", one (many bodies are named in passing)."""
        wants_person = pronoun.lower_ in ("his", "her")
        sentence = token_sentence(pronoun)
        lo = token_sentence(self.doc[max(0, sentence.start - 1)]).start
        if wants_person:
            lo = token_sentence(self.doc[max(0, lo - 1)]).start
        lo = self.doc[lo].idx
        for m in reversed(self.resolution.indexed().before(pronoun.idx, lo)):
            if m.rule == "pronoun":
                continue
            actor = self.resolution.actors.get(m.actor)
            if actor is None:
                continue
            if (actor.kind == "person") == wants_person:
                return self._pronoun_mention(pronoun, m.actor)
        return None
