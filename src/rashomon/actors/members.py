"""People nouns that stand for a body the text names: "legislators from X", "members of
his party", "X's fighters", "the X militia, mostly tribesmen who ...", "X and Y are two of
the opposition groups that ..." (see ``resolve`` for the order of all rules).

News writes a body's acts as its people's acts; the gold, like a reader, credits the
body. A people noun is no name of the body, so these mentions add no alias to it.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..parse import tokens_in
from ..types import Actor, Mention

# How a people noun says whose it is: "members of X", "legislators from X".
MEMBER_PREPOSITIONS = ("of", "from")
# Words besides numbers that count people out of a larger body: "several", "most".
COUNTING_WORDS = frozenset({"some", "several", "many", "most", "few", "both"})


class MemberRules:
    """Mixed into the resolver: reads and writes its state (see resolve._Resolver)."""

    def _resolve_members(self) -> None:
        """"40 deputies from X", "officials of his own party", "X's fighters": a people
        noun of the lexicon's ``member_nouns`` owned by a named body, through "of"/"from"
        or a possessive, is that body. Not a state: "fighters from Syria" came from there,
        they are not its army."""
        nouns = {str(w).lower() for w in self.kb.rules.get("member_nouns") or []}
        for tok in tokens_in(self.doc, nouns):
            if tok.i in self.covered or tok.pos_ != "NOUN":
                continue
            owner = self._owning_body(tok)
            if owner is None:
                continue
            first = tok
            # the people noun's own modifiers ("Kurdish legislators" is one phrase)
            while first.i > 0 and self.doc[first.i - 1].head == tok \
                    and self.doc[first.i - 1].dep_ in ("amod", "compound") \
                    and first.i - 1 not in self.covered:
                first = self.doc[first.i - 1]
            self._add(first, tok, self.result.actors[owner.actor], "member", owner.sector)

    def _resolve_counted_legislators(self) -> None:
        """"Two Shia legislators", "three Kurdish MPs": lawmakers counted out of a larger
        body, whose other modifiers only name a community (a sect or people the tagger
        names, no state, no party), sit in the legislature of the state the story is set
        in. A legislature seats every community, so the adjective says who they are, not
        whose body they are; uncounted ("Shia lawmakers") they read as the community's
        bloc, left alone. The mention is the noun: the community is no name of the state."""
        if not self.home_state:
            return
        for tok in self.doc:
            if tok.i in self.covered or tok.tag_ != "NNS" or self._group_sector(tok) != "LEG":
                continue
            before = [c for c in tok.children if c.i < tok.i]
            counted = any(c.dep_ == "nummod" and c.like_num or c.lower_ in COUNTING_WORDS
                          for c in before)
            community = [c for c in before if c.ent_type_ == "NORP" and c.i not in self.covered]
            others = [c for c in before if c.dep_ not in ("nummod", "det", "predet", "advmod")
                      and c.lower_ not in COUNTING_WORDS and c not in community]
            owned = any(c.dep_ == "prep" and c.lower_ in MEMBER_PREPOSITIONS
                        for c in tok.children)
            if counted and community and not others and not owned:
                self._add(tok, tok, self._kb_actor(self.home_state), "context", "LEG")

    def _owning_body(self, tok: Token) -> Mention | None:
        """The body a people noun belongs to: the object of its "of"/"from" phrase, or its
        possessor, when that word is a mention of an organisation or group."""
        owners = [c for c in tok.children if c.dep_ == "poss"]
        owners += [obj for prep in tok.children
                   if prep.dep_ == "prep" and prep.lower_ in MEMBER_PREPOSITIONS
                   for obj in prep.children if obj.dep_ == "pobj"]
        for word in owners:
            mention = self.covered.get(word.i)
            if mention is not None and self._is_named_body(self.result.actors[mention.actor]):
                return mention
        return None

    def _is_named_body(self, actor: Actor) -> bool:
        """An organisation or group the text names (not a generic group, person or state)."""
        if actor.id.startswith("g:"):
            return False
        # a provisional group is a people the tagger named ("Kurds"), not a body
        return actor.kind == "organization" or actor.kind == "group" and not actor.provisional

    def _resolve_described_groups(self) -> None:
        """A people noun the text equates with a named body: in apposition to it ("the X
        militia, mainly Shiite Arabs who fought ...") or the predicate of a copula whose
        subject it is ("X and Y are two of the rebel groups that signed ...").
        Its mention (a generic group, or a people tagged as one) is that body's."""
        for m in list(self.result.mentions):
            actor = self.result.actors[m.actor]
            if not (m.actor.startswith("g:") or actor.provisional and actor.kind == "group"):
                continue
            last = self._token_ending_at(m.end)
            if last is None:
                continue
            noun = last
            while noun.dep_ in ("compound", "amod") and noun.head.i > noun.i:
                noun = noun.head  # "opposition" in "opposition groups"
            body = self._apposed_body(noun) or self._predicated_body(noun)
            first = self.token_starting_at.get(m.start)
            if body is None or first is None:
                continue
            self._drop([m])
            self._add(first, last, self.result.actors[body.actor], "member", body.sector)
        self._forget_unused_actors()

    def _apposed_body(self, noun: Token) -> Mention | None:
        """The named body a plural people noun is in apposition to."""
        if noun.dep_ != "appos" or noun.tag_ not in ("NNS", "NNPS"):
            return None
        mention = self.covered.get(noun.head.i)
        if mention is None or not self._is_named_body(self.result.actors[mention.actor]):
            return None
        return mention

    def _predicated_body(self, noun: Token) -> Mention | None:
        """The named body that is the subject of "be" with ``noun`` as its predicate,
        directly ("X is a militia group") or as "one/two of the ..." ("X and Y are two of
        the opposition groups"); not a negated one ("X is not a militia")."""
        attr = noun
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ == "attr":
            attr = noun.head.head
        if attr.dep_ != "attr" or attr.head.lemma_ != "be" \
                or any(c.dep_ == "neg" for c in attr.head.children):
            return None
        for subject in attr.head.children:
            if subject.dep_ != "nsubj":
                continue
            mention = self.covered.get(subject.i)
            if mention is not None and self._is_named_body(self.result.actors[mention.actor]):
                return mention
        return None

