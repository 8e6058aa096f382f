"""Roles an act noun's own words give: its possessor, its "by", "of", "from" and
"between" phrases, and the phrase of consent or defiance it stands in."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ..claims import hyphenated
from ..types import Mention
from .syntax import (
    CONSENT_PREPS,
    DOER_OF_MODES,
    FROM_PLACE_TYPES,
    NOUN_MODIFIERS,
    PARTICIPATION_PREPS,
    PATIENT_OF_TYPES,
    TAKING_MODES,
    TARGET_PREPS,
    end_char,
    hyphen_pair,
    object_gap_antecedent,
    pobj,
    prep_object,
)


class NominalRoleFinder:
    """The doers and targets of an act named by a noun ("the army's raid on X", "threats from
    X"); mixed into ``RoleFinder``."""

    def _perpetrator(self, noun: Token) -> list[Mention]:
        """Who carried out the event a definite nominal names: its own modifiers ("Iraq's
        offensive", "the deployment of NATO troops"), else the perpetrator last named for
        that noun in the document. An appositive is the parser's mistake here: an act is
        not an actor."""
        own = self._nominal_roles(noun)[0]
        appositives = [c for c in noun.children if c.dep_ == "appos"]
        own = own or [m for m in self._actors(noun) if not any(
            a.left_edge.idx <= m.start < end_char(a.right_edge) for a in appositives)]
        if own:
            return own
        earlier = self.perpetrators.get(self.lex.lemma(noun))
        if earlier is None:
            return []
        return [replace(earlier, start=noun.idx, end=end_char(noun), text=noun.text,
                        rule="event")]

    def _nominal_roles(self, noun: Token) -> tuple[list[Mention], list[Mention]]:
        sources: list[Mention] = []
        targets: list[Mention] = []
        for child in noun.children:
            if child.dep_ == "poss":
                sources = self._actors(child)
            elif child.dep_ in NOUN_MODIFIERS and child.i < noun.i and not sources:
                sources = [m for m in self._actors(child, own_only=True)
                           if not hyphenated(self.text, m)]
        agent = prep_object(noun, "by")
        if sources and agent is not None and any(c.dep_ == "poss" for c in noun.children):
            # "his election by X", "Sadr's arrest by US troops": with a "by" phrase naming
            # the doer, the possessor is the one the act befalls
            doers = self._actors(agent)
            if doers:
                sources, targets = doers, sources
        pair = self._between(noun)
        if pair:
            sources, targets = pair[:1], pair[1:]
        if not sources and noun.dep_ == "pobj" and noun.head.lower_ in PARTICIPATION_PREPS \
                and noun.head.head.pos_ == "VERB":
            # "said in a meeting with X", "struck during talks with X": whoever acts in
            # the clause takes part in the event it happens in (an active clause only:
            # "killed in an attack" is a victim's)
            verb = noun.head.head
            if not any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
                sources = self._actors(next((c for c in verb.children if c.dep_ == "nsubj"),
                                            None))
        if not sources and noun.dep_ == "pobj" and noun.head.lower_ in ("of", "for", "with"):
            # "accused X of attacks on Y", "X was blamed for the raids", "charged X with
            # the bombing": whom an accusation names did the act it names
            host = noun.head.head
            if host.dep_ in ("dobj", "nsubjpass") and host.head.pos_ == "VERB" \
                    and self._accusing(host.head):
                sources = self._actors(host)  # the parser hangs "of" on the accused
            elif host.pos_ == "VERB" and self._accusing(host):
                sources = self._actors(next((c for c in host.children if c.dep_ in (
                    "dobj", "nsubjpass")), None) or object_gap_antecedent(host))
        if not sources and noun.dep_ == "dobj" and any(
                c.dep_ == "nsubj" for c in noun.head.children):
            # "X condemned attacks on Y by Z": the parser hangs the act's "by" phrase on
            # the active verb, which has a doer of its own
            agent = next((c for c in noun.head.children if c.dep_ == "agent"
                          or c.dep_ == "prep" and c.lower_ == "by"), None)
            if agent is not None:
                sources = self._actors(pobj(agent))
        for child in noun.children:
            low = child.lower_
            if child.dep_ == "prep" and low == "by" and not sources:
                sources = self._actors(pobj(child))
            elif child.dep_ == "acl":
                agent = next((c for c in child.children if c.dep_ == "agent"), None)
                if agent is not None and not sources:
                    sources = self._actors(pobj(agent))
                if child.tag_ == "VBN" and not targets:
                    # the participle tells whom the act is aimed at too: "sanctions imposed
                    # on X", "strikes carried out against X"
                    targets = next((found for prep in child.children if prep.dep_ == "prep"
                                    and prep.lower_ in TARGET_PREPS
                                    for found in [self._actors(pobj(prep))] if found), [])
            elif child.dep_ == "prep" and low in TARGET_PREPS and not targets:
                targets = self._actors(pobj(child))
            elif child.dep_ == "prep" and low == "of":
                entry = self._noun_entry(noun)
                if entry and entry["type"] in PATIENT_OF_TYPES and not targets:
                    targets = self._actors(pobj(child))
                elif child == self._doer_of_phrase(noun) and not sources:
                    sources = self._actors(pobj(child))
        host = self._consent_host(noun)
        if host is not None:
            # "went ahead over the objections of X", "with the backing of X": X's act on
            # whoever does what the phrase hangs on
            sources = sources or self._stance_doers(noun) or self._origin(noun, noun)
            if sources and not targets:
                targets = self._actors(self._subject(host))
        if not sources:
            # "a warning letter from X": the phrase's head noun carries the "from"
            phrase = noun.head if noun.dep_ in NOUN_MODIFIERS and noun.head.pos_ == "NOUN" \
                else noun
            sources = self._origin(noun, phrase)
            verb = phrase.head
            if sources and not targets and phrase.dep_ == "dobj" and verb.pos_ == "VERB" \
                    and self.lex.light_verbs.get(self.lex.lemma(verb)) is None:
                # "ignored warnings from X", "welcomed aid from X": what came from X came
                # to the one who ignored or welcomed it
                targets = self._actors(self._subject(verb))
        return sources, targets

    def _doer_of_phrase(self, noun: Token) -> Token | None:
        """The "of" phrase naming who does an act that takes no object: "the resignation
        of X", "the withdrawal of X's forces" (``DOER_OF_MODES``)."""
        entry = self._noun_entry(noun)
        if not entry or entry.get("mode") not in DOER_OF_MODES:
            return None
        return next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)

    def _consent_host(self, noun: Token) -> Token | None:
        """The verb an act noun of another party hangs on through a preposition of consent
        or defiance ("acted with the backing of X", "over the objections of X"), if so."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ not in CONSENT_PREPS:
            return None
        host = prep.head
        if host.dep_ == "dobj" and host.pos_ == "NOUN":
            host = host.head  # the parser often hangs the phrase on the verb's object
        entry = self._noun_entry(noun)
        if host.pos_ not in ("VERB", "AUX") or entry is None \
                or entry["type"] in PATIENT_OF_TYPES | FROM_PLACE_TYPES:
            return None
        return host

    def _stance_doers(self, noun: Token | None) -> list[Mention]:
        """The "of" object of an act noun that is no patient's act: "the backing of X",
        "the objections of X" are X's ("the arrest of X" is not)."""
        entry = self._noun_entry(noun) if noun is not None else None
        if entry is None or entry["type"] in PATIENT_OF_TYPES | FROM_PLACE_TYPES:
            return []
        return self._actors(prep_object(noun, "of"))

    def _origin(self, noun: Token, phrase: Token) -> list[Mention]:
        """Whom an act noun says it comes from, in its noun phrase (headed by ``phrase``):
        "threats from X", "pressure from the government", "aid from X" are X's acts. Not a
        movement's or a taking's "from" ("the withdrawal from X", "weapons seized from X"),
        which names a place or a victim."""
        entry = self._noun_entry(noun)
        if entry is None or entry["type"] in FROM_PLACE_TYPES \
                or entry.get("mode") in TAKING_MODES:
            return []
        return self._actors(prep_object(phrase, "from"))

    @staticmethod
    def _agent_phrase(noun: Token) -> Token | None:
        """The "by" phrase naming an act noun's doer: its own ("raids by X"), its
        participle's ("the ceasefire declared by X"), or the one the parser hangs on the
        active verb whose object the noun is ("denounced raids by X against Y")."""
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "by":
                return child
            if child.dep_ == "acl":
                agent = next((a for a in child.children if a.dep_ == "agent"), None)
                if agent is not None:
                    return agent
        if noun.dep_ == "dobj" and any(c.dep_ == "nsubj" for c in noun.head.children):
            return next((c for c in noun.head.children if c.dep_ == "agent"
                         or c.dep_ == "prep" and c.lower_ == "by"), None)
        return None

    def _accusing(self, verb: Token) -> bool:
        """A verb that lays an act at someone's door ("accuse", "blame", "condemn",
        "charge"): an accusation in the lexicon, or a verb that doubles as an accusing cue."""
        entry = self.lex.verbs.get(self.lex.lemma(verb))
        return entry is not None and (entry["type"] == "ACCUSE"
                                      or entry.get("also_cue") == "accuse")

    def _between(self, head: Token, pairs_only: bool = True) -> list[Mention]:
        """The parties of "between X and Y" hanging from ``head``: both, or none when only
        one is an actor; unless ``pairs_only`` is off (a third party acts on each of them).
        Two names glued by a hyphen in front of the noun are such a pair too: "the Iran-Iraq
        war", "the Israel-Hamas ceasefire" (a name that ends in a hyphenated word, "the
        Kurdistan Democratic Party-Iran", is one mention, not two)."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "between":
                pair = self._actors(pobj(child))
                if len(pair) >= 2 or not pairs_only:
                    return pair
        glued = hyphen_pair(head)
        if glued is not None:
            pair = [m for t in glued for m in [self.resolution.mention_at(t.idx, end_char(t))]
                    if m is not None]
            if len(pair) == 2 and pair[0].actor != pair[1].actor:
                return pair
        return []
