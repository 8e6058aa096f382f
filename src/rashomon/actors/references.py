"""Resolver rules 5-7: role references, definite descriptions, unqualified state bodies,
generic groups and pronouns (see ``resolve`` for the order of all rules)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from typing import Any

from spacy.tokens import Token

from ..parse import token_deps, token_tags, tokens_in
from ..types import Actor, Mention
from .common import ARMED_SECTORS, NAMING_VERBS, under
from .normalize import slug

# A verb's dependents that are clauses of their own: "he said X would go", "he left
# because X came" name actors the pronoun may well be.
OWN_CLAUSES = {"ccomp", "csubj", "parataxis", "advcl", "conj"}


class ReferenceRules:
    """Mixed into the resolver: reads and writes its state (see resolve._Resolver)."""

    # -- 5. role references -------------------------------------------------------

    def _resolve_roles(self) -> None:
        roles = self.kb.role_nouns
        for tok in tokens_in(self.doc, roles):
            role = roles.get(tok.lower_)
            if role is None or tok.pos_ != "NOUN":
                continue
            first, name = tok, tok.lower_
            # two-word roles ("prime minister") keyed by their last word's predecessor
            prev = self.doc[tok.i - 1] if tok.i > 0 else None
            if prev is not None and f"{prev.lower_} {tok.lower_}" in roles:
                name = f"{prev.lower_} {tok.lower_}"
                role, first = roles[name], prev
            det = [c for c in tok.children if c.dep_ == "det" and c.lower_ == "the"]
            if not det:
                continue
            country_mention = next((self.covered[c.i] for c in tok.children
                                    if c.i in self.covered and c.i < tok.i), None)
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                continue  # "the leader of X" names the role of X, not a person in context
            person = self._person_for_role(name, role, country_mention, before=first.idx)
            if person is None:
                continue
            if country_mention is not None:
                self._drop([country_mention])
            self._add(det[0] if det[0].i < first.i else first, tok, self._kb_or_local(person),
                      "role", role.get("sector"))

    def _person_for_role(self, noun: str, role: dict, country: Mention | None,
                         before: int) -> str | None:
        """The person named before ``before`` that "the <noun>" refers to: one who holds
        that title in the article's year, else one who ever held it, else one of the
        role's sector ("the premier" is the prime minister named earlier, not a president
        named since); the latest named of the best kind."""
        country_code = self.result.actors[country.actor].country if country else None
        title = role.get("title") or noun
        best: tuple[int, str] | None = None
        for m in reversed(self.result.mentions):
            if m.start >= before:
                continue
            actor = self.result.actors[m.actor]
            if actor.kind != "person":
                continue
            if country_code and actor.country and actor.country != country_code:
                continue
            held = self.kb.held_role(actor.id, self.year) if actor.id in self.kb.actors \
                else actor.roles
            if any(title in r.get("title", "").lower() for r in held):
                return actor.id
            if best is None or best[0] > 1:
                if any(title in r.get("title", "").lower() for r in actor.roles):
                    best = (1, actor.id)
                elif best is None and role.get("sector") and role["sector"] == actor.sector:
                    best = (2, actor.id)
        return best[1] if best else None

    def _kb_or_local(self, actor_id: str) -> Actor:
        return self.result.actors.get(actor_id) or self._kb_actor(actor_id)

    def _resolve_definite_organisations(self) -> None:
        """"the group", "the militia" -> the organisation of that kind in focus shortly
        before: never a state or one of its bodies ("the group" after "the federal police
        raided the militia's office" is the militia), and for an armed noun ("militia")
        an armed one. A word that only says what kind of body a name is ("the party",
        "the alliance": the KB's name designators) describes a body whose name holds it
        ("the Kurdistan Democratic Party"); "the country" a state (see
        ``_resolve_definite_states``)."""
        generic = set(self.kb.rules.get("definite_org_nouns") or [])
        nouns = generic | self.kb.designators
        states = set(self.kb.rules.get("definite_state_nouns") or [])
        window = int(self.kb.rules.get("definite_window_sentences", 3))
        for tok in tokens_in(self.doc, states | nouns):
            if tok.lower_ in states and tok.i not in self.covered and tok.tag_ == "NN":
                self._resolve_definite_state(tok, window)
                continue
            if tok.lower_ not in nouns or tok.i in self.covered or tok.tag_ != "NN":
                continue
            if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
                continue
            if any(c.dep_ == "prep" and c.lower_ == "of" and self._names_someone(c)
                   for c in tok.children):
                continue  # "the militia of X" is defined by what follows, not what came before
            sent = self.sent_of[tok.i]
            armed = set(self.kb.rules.get("armed_org_nouns") or [])
            candidates = [m for m in self.result.mentions if m.start < tok.idx
                          and m.sentence is not None and sent - m.sentence <= window
                          and not m.actor.startswith("g:")
                          and self._fits_description(self.result.actors[m.actor],
                                                     tok.lower_ in armed)
                          and (tok.lower_ in generic
                               or self._named_as(self.result.actors[m.actor], tok.lower_))]
            if candidates:
                # of those that fit, the one the text is about: most mentioned so far,
                # then the most recent
                salience = Counter(m.actor for m in self.result.mentions if m.start < tok.idx)
                best = max(candidates, key=lambda m: (salience[m.actor], m.start))
                self._add(tok, tok, self.result.actors[best.actor], "coreference", best.sector)

    def _named_as(self, actor: Actor, designator: str) -> bool:
        """Whether the name or an alias of ``actor`` holds the word ``designator``: a
        proper name's word, not the common noun of an earlier reference ("his coalition")
        that the actor took as an alias."""
        return any(designator in self.kb.key(name) for name in [actor.name, *actor.aliases]
                   if name[:1].isupper())

    def _resolve_definite_state(self, tok: Token, window: int) -> None:
        """"the country", "the Arab country" -> the state named last in the sentences just
        before, never one that is the subject of the noun's own clause ("Iran would expand
        relations with the country" is not Iran), and not where the noun is a place ("across
        the country", "in the country")."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
            return
        if tok.dep_ == "pobj" and tok.head.lower_ in set(
                self.kb.rules.get("place_prepositions") or []):
            return
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            return  # "the country of X" is X, or says whose
        subjects = {self.covered[c.i].actor for a in tok.ancestors for c in a.children
                    if c.dep_ in ("nsubj", "nsubjpass") and c.i in self.covered}
        sent = self.sent_of[tok.i]
        for m in sorted(self.result.mentions, key=lambda m: m.start, reverse=True):
            if m.start >= tok.idx or m.sentence is None or sent - m.sentence > window:
                continue
            actor = self.result.actors[m.actor]
            if actor.kind == "state" and m.actor not in subjects and m.rule != "backed":
                self._add(tok, tok, actor, "coreference")
                return

    def _names_someone(self, prep: Token) -> bool:
        """Whether a prepositional phrase's noun names an actor or is a proper name ("of
        the Sadr movement"), not a deed ("accused the militia of repeated attacks on US
        bases")."""
        return any(t.i in self.covered or t.pos_ == "PROPN"
                   for noun in prep.children if noun.dep_ == "pobj"
                   for t in [noun, *noun.lefts])

    def _fits_description(self, actor: Actor, armed: bool) -> bool:
        """Whether "the group" (or, ``armed``, "the militia") can describe ``actor``."""
        if actor.kind not in ("organization", "group") or self._state_body(actor):
            return False
        return not armed or actor.sector in ARMED_SECTORS

    def _state_body(self, actor: Actor) -> bool:
        """A state's own body (its army, police, ministry), by the KB's part_of."""
        return any(a.get("relation") == "part_of" and a.get("actor") in self.kb.actors
                   and self.kb.actors[a["actor"]].kind == "state" for a in actor.affiliations)

    def _resolve_unqualified_bodies(self) -> None:
        """"the government", "security troops", "the interior ministry" with no country
        named: the state the story is set in, by the convention of news writing; "officials
        in Baghdad", "police in Basra": the state of the place they are in (not for troops,
        who serve abroad)."""
        home = self._kb_actor(self.home_state) if self.home_state else None
        nouns = set(self.kb.rules.get("unqualified_body_nouns") or [])
        local = set(self.kb.rules.get("local_modifiers") or [])
        tags = token_tags(self.doc)
        for i, pos in enumerate(tags):
            if pos != "NOUN" and pos != "PROPN":  # no group sector (``_group_sector``)
                continue
            tok = self.doc[i]
            sector = self._group_sector(tok)
            if not sector or tok.i in self.covered:
                continue
            # "local media", "state-run television": the country's own, a sector actor
            near = {t.lower_ for t in self.doc[max(tok.i - 3, 0):tok.i]}
            if tok.lower_ not in nouns and not (near & local and sector in (
                    self.kb.rules.get("sector_actors") or {})):
                continue
            if tok.dep_ == "compound" and self._group_sector(tok.head):
                continue  # "government forces": the head noun names the body
            if any(c.dep_ in ("poss", "nmod") or c.ent_type_ or c.pos_ == "PROPN"
                   or c.i in self.covered for c in tok.children if c.i < tok.i):
                continue  # "his government", "Kurdish forces": someone else's body
            if any(c.dep_ == "prep" and (c.lower_ in ("of", "from") or any(
                    t.i in self.covered for t in c.subtree)) for c in tok.children):
                continue  # "the army of X", "officials from both parties",
                # "officials in the Bush administration": X's
            state = (self._state_placed_in(tok) or self._state_there(tok)
                     if sector != "MIL" else None) or home
            if state is None:
                continue
            first = tok
            while first.i > 0 and self.doc[first.i - 1].dep_ == "compound" \
                    and self._group_sector(self.doc[first.i - 1]) is not None:
                first = self.doc[first.i - 1]
            force = self.kb.force_of(state.id, sector)
            actor = self._kb_actor(force) if force else state
            self._add(first, tok, actor, "context", sector)

    def _state_placed_in(self, tok: Token) -> Actor | None:
        """The KB state of the place a body noun is said to be in ("officials in Baghdad")."""
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
                for noun in prep.children:
                    place = self.place_at.get(noun.i)
                    state = self.kb.states.get(place.country) if place and place.country \
                        else None
                    if state:
                        return self._kb_actor(state)
        return None

    def _state_there(self, tok: Token) -> Actor | None:
        """The KB state of the place named last before "authorities there", "officials
        there" (this sentence or the one before): "there" points back to a place."""
        after = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
        if not (after is not None and after.lower_ == "there" and after.dep_ == "advmod"):
            return None  # the parser hangs "there" on the noun or on its verb
        sent = self.sent_of[tok.i]
        for i in range(tok.i - 1, -1, -1):
            if sent - self.sent_of[i] > 1:
                return None
            place = self.place_at.get(i)
            state = self.kb.states.get(place.country) if place and place.country else None
            if state:
                return self._kb_actor(state)
        return None

    # -- 6. generic groups --------------------------------------------------------

    def _resolve_generic_groups(self) -> None:
        for tok in tokens_in(self.doc, self.kb.generic_group_heads):
            group, first = self._generic_group(tok)
            if group is None or tok.i in self.covered or tok.tag_ not in ("NNS", "NNPS", "NN"):
                continue
            # Named modifiers belong to the group's name ("Basra protesters"); "more" does not.
            while first.i > 0 and self.doc[first.i - 1].dep_ in ("amod", "compound") \
                    and (self.doc[first.i - 1].pos_ == "PROPN" or self.doc[first.i - 1].ent_type_) \
                    and self.doc[first.i - 1].head == tok and first.i - 1 not in self.covered:
                first = self.doc[first.i - 1]
            owner = self._named_owner(tok)
            if owner is not None:
                # "the Mahdi Army militia", "Hezbollah fighters": the noun says what kind of
                # body the name before it is, and is that body (a role read off the noun
                # gets the name, not the generic group).
                self._add(tok, tok, self.result.actors[owner.actor], "named_modifier",
                          owner.sector)
                continue
            apposed = self._apposed_mention(tok)
            if apposed is not None:
                # "the terrorists, an Arab separatist group called X": the group is X, and
                # so is a later "the terrorists".
                self.group_antecedents[tok.lemma_.lower()] = apposed.actor
                self._add(first, tok, self.result.actors[apposed.actor], "apposition")
                continue
            antecedent = self.group_antecedents.get(tok.lemma_.lower())
            if antecedent and any(c.lower_ == "the" for c in tok.children):
                self._add(first, tok, self.result.actors[antecedent], "coreference")
                continue
            name = group.get("name") or tok.lower_
            actor_id = f"g:{slug(name)}"
            # One story's unnamed gunmen, fighters and militiamen are one armed actor:
            # writers vary the noun, not the group.
            shared = set(self.kb.rules.get("one_unnamed_actor_sectors") or [])
            if group.get("sector") in shared:
                actor_id = self.unnamed_armed or actor_id
                self.unnamed_armed = actor_id
            actor = self.result.actors.get(actor_id) or Actor(
                id=actor_id, name=name, kind="group", sector=group.get("sector"),
                aliases=[name], provisional=True)
            self._add(first, tok, actor, "group", group.get("sector"))

    def _generic_group(self, tok: Token) -> tuple[dict[str, Any] | None, Token]:
        """The generic group a noun heads and the phrase's first word: a two-word key for
        the noun with the modifier just before it ("armed groups", "aid workers", "suicide
        bombers": the modifier says what kind of group), else the noun alone."""
        if tok.i > 0:
            before = self.doc[tok.i - 1]
            if before.head == tok and before.dep_ in ("amod", "compound") \
                    and before.i not in self.covered:
                group = self.kb.generic_groups.get(f"{before.lower_} {tok.lower_}")
                if group is not None:
                    return group, before
        return self.kb.generic_groups.get(tok.lower_), tok

    def _named_owner(self, tok: Token) -> Mention | None:
        """The named organisation just before a group noun that modifies it ("Mahdi Army"
        in "the Mahdi Army militia"); not a state or person ("Iraqi forces", "Sadr
        supporters" are the state's forces, the man's followers)."""
        if tok.i == 0:
            return None
        before = self.doc[tok.i - 1]
        mention = self.covered.get(before.i)
        if mention is None or mention.end != before.idx + len(before.text) \
                or before.head != tok or before.dep_ not in ("compound", "amod", "nmod"):
            return None
        actor = self.result.actors[mention.actor]
        if actor.id.startswith("g:") or actor.kind not in ("organization", "group"):
            return None
        return mention

    def _apposed_mention(self, tok: Token) -> Mention | None:
        """A named actor in apposition to a group noun, directly or through "called X"; a
        person whose name follows a singular one right after ("the veteran cleric
        Ali Hassan", which the parser may hang elsewhere)."""
        called = self._called_after_comma(tok)
        if called is not None:
            return called
        named = self.covered.get(tok.i + 1)
        if tok.tag_ == "NN" and named is not None and named.start == tok.idx + len(tok.text) \
                + len(tok.whitespace_) and self.result.actors[named.actor].kind == "person":
            return named
        for child in tok.children:
            if child.dep_ != "appos":
                continue
            for t in child.subtree:
                if t.i in self.covered and self.covered[t.i].rule not in ("demonym", "group") \
                        and not under(t, child, ("prep", "poss")) \
                        and self.doc[max(t.i - 1, 0)].text != "(":
                    return self.covered[t.i]
        return None

    def _called_after_comma(self, tok: Token) -> Mention | None:
        """"the terrorists, a group called X": the parser often misses this apposition."""
        doc = self.doc
        if tok.i + 1 >= len(doc) or doc[tok.i + 1].text != ",":
            return None
        for t in doc[tok.i + 2: tok.i + 10]:
            if t.is_punct or t.pos_ in ("VERB", "AUX") and t.lemma_ not in NAMING_VERBS:
                return None
            if t.lemma_ in NAMING_VERBS and t.i + 1 < len(doc):
                nxt = doc[t.i + 2] if doc[t.i + 1].lower_ == "as" and t.i + 2 < len(doc) \
                    else doc[t.i + 1]
                m = self.covered.get(nxt.i)
                return m if m is not None and m.rule not in ("demonym", "group") else None
        return None

    # -- 7. pronouns ----------------------------------------------------------------

    def _resolve_pronouns(self) -> None:
        pronouns = self.kb.rules.get("pronouns") or {}
        window = int(self.kb.rules.get("pronoun_window_sentences", 2))
        person, group = set(pronouns.get("person", [])), set(pronouns.get("group", []))
        body = set(pronouns.get("body", []))
        expletive = self.kb.expletive_verbs
        recent = RecentMentions(self.result.mentions)
        deps = token_deps(self.doc)
        for i, dep in enumerate(deps):
            if dep not in ("nsubj", "nsubjpass") or i in self.covered:
                continue
            tok = self.doc[i]
            low = tok.lower_
            if low in body:
                if tok.head.pos_ == "VERB" and tok.head.lemma_.lower() not in expletive:
                    self._resolve_body_pronoun(tok, window, recent)
                continue
            if low not in person and low not in group:
                continue
            others = self._clause_actors(tok)
            for m in recent.before(tok.idx, self.sent_of[tok.i] - window):
                if m.actor in others:
                    continue
                actor = self.result.actors[m.actor]
                if low in person and actor.kind == "person":
                    self._add(tok, tok, actor, "pronoun")
                    break
                if low in group and actor.kind != "person" and self._plural_subject(m):
                    self._add(tok, tok, actor, "pronoun", m.sector)
                    break

    def _clause_actors(self, pronoun: Token) -> set[str]:
        """The actors a subject pronoun's own clause names in its other words: "he met with
        X", "he held a conference together with X", "they attacked X" -- none of them is
        the pronoun (its reflexive would say so). Clauses the verb governs with a subject
        of their own (what was said, a reason) are not read."""
        out = set()
        for child in pronoun.head.children:
            if child is pronoun or child.dep_ in OWN_CLAUSES:
                continue
            out |= {self.covered[t.i].actor for t in child.subtree if t.i in self.covered}
        return out

    def _resolve_body_pronoun(self, tok: Token, window: int, recent: RecentMentions) -> None:
        """"It said ..." after "The ministry issued ...": the last organisation, state or
        outlet named as the singular subject of a verb in the sentences just before."""
        for m in recent.before(tok.idx, self.sent_of[tok.i] - window):
            last = self._token_ending_at(m.end)
            if last is None or not last.dep_.startswith("nsubj") \
                    or last.tag_ in ("NNS", "NNPS"):
                continue
            if self.result.actors[m.actor].kind != "person":
                self._add(tok, tok, self.result.actors[m.actor], "pronoun", m.sector)
            return

    def _plural_subject(self, m: Mention) -> bool:
        last = self._token_ending_at(m.end)
        return last is not None and last.tag_ in ("NNS", "NNPS") and last.dep_.startswith("nsubj")


class RecentMentions:
    """A document's mentions by position, for "the last actor named before here": a pronoun
    reads back from itself, latest first, only as far as its window of sentences (a sort
    of all mentions per pronoun was quadratic in a long text). Mentions appended to the
    list since the last question are taken in; equal starts come in the order found."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = mentions
        self.taken = 0
        self.keys: list[tuple[int, int]] = []  # (start, -order found)
        self.ordered: list[Mention] = []

    def before(self, position: int, first_sentence: int) -> Iterator[Mention]:
        """Mentions starting before ``position``, latest first, back to sentence
        ``first_sentence`` (mentions of no sentence are passed over)."""
        for number in range(self.taken, len(self.mentions)):
            m = self.mentions[number]
            at = bisect_right(self.keys, (m.start, -number))
            self.keys.insert(at, (m.start, -number))
            self.ordered.insert(at, m)
        self.taken = len(self.mentions)
        for at in range(bisect_left(self.keys, (position, -len(self.mentions))) - 1, -1, -1):
            m = self.ordered[at]
            if m.sentence is None:
                continue
            if m.sentence < first_sentence:
                return  # sentences only grow with the start: all before are further back
            yield m
