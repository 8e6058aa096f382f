"""Resolver rules 2-4: named entities the KB lacks, acronyms the text defines, "X's
followers" / "the government of X", and a people noun in apposition to a name ("the Iraqi
cleric Moqtada al-Sadr") (see ``resolve`` for the order of all rules)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.tokens import Span, Token

from ..parse import capitalised, doc_ents, token_tags, tokens_in
from ..types import Actor, Mention
from .common import (
    ACTOR_LABELS,
    ALTERNATE_PLACE_POPULATION,
    ARGUMENT_SLOTS,
    BODY_WORDS,
    HYPHENS,
    MAJOR_PLACE_POPULATION,
    MIN_SOUND_SURNAME,
    NAME_GLUE,
    NAME_LIKE_LABELS,
    NAME_PARTICLES,
    POSSESSIVE,
    letters_within,
)
from .entities import entity_parts, is_junk
from .normalize import SKIP_TOKENS, is_acronym, sound_key, token_key


class NamedEntityRules:
    """Mixed into the resolver: reads and writes its state (see resolve._Resolver)."""

    # -- 2. named entities the KB lacks ------------------------------------------

    def _resolve_entities(self) -> None:
        skip = {s.lower() for s in self.kb.rules.get("not_actor_entities") or []}
        parts = [(part, ent.label_) for ent in doc_ents(self.doc) if ent.label_ in ACTOR_LABELS
                 for part in entity_parts(ent)]
        for part, label in parts:
            span = self._strip(part)
            if span is None or span.text.lower() in skip or is_junk(span, label, self.kb):
                continue
            inner = {self.covered[i] for i in range(span.start, span.end) if i in self.covered}
            if any(i in self.blocked or (i in self.place_tokens and i not in self.covered)
                   for i in range(span.start, span.end)):
                continue  # a place the tagger took for a person or organisation
            if inner:
                whole = all(i in self.covered for i in range(span.start, span.end)
                            if token_key(self.doc[i].text) not in SKIP_TOKENS)
                weak = all(m.rule in ("demonym", "metonym") for m in inner)
                if whole or not (weak and label == "ORG"):
                    continue
                self._drop(inner)
            self._resolve_entity(span, label)

    def _resolve_misspelt_names(self) -> None:
        """Capitalised words outside entities one typo from a KB name ("Sadrrists")."""
        doc, tags = self.doc, token_tags(self.doc)
        for i in capitalised(doc):
            if tags[i] not in ("PROPN", "NOUN") or i in self.covered or i in self.blocked:
                continue
            tok = doc[i]
            if tok.ent_type_:
                continue
            near = self.kb.near_miss(token_key(tok.text))
            if near is not None:
                self._add(tok, tok, self._kb_actor(near), "alias")

    def _resolve_untagged_names(self) -> None:
        """A proper noun the tagger left out of every entity that is the subject or object
        of a verb ("Rubio also attacked ...", "... endorsed Kasich"): a person's name, read
        as the tagger's PERSON spans are (a surname of someone named earlier, a KB surname
        whose years fit, else a provisional actor). Only these slots: a stray capital
        elsewhere is too often a heading word or a title. A lone word the tagger took for
        a place or a title (``NAME_LIKE_LABELS``: "Kasich applauded ...") is read the same
        way when no place has that name, also as the object of a preposition that does
        not place ("aimed at Erdogan"), and so is a KB surname tagged as a common word."""
        skip = {s.lower() for s in self.kb.rules.get("not_actor_entities") or []}
        # nouns the reference rules read ("Parliament approved ..." is a state's body)
        skip |= {str(w).lower() for key in ("definite_org_nouns", "armed_org_nouns",
                                            "unqualified_body_nouns")
                 for w in self.kb.rules.get(key) or []}
        skip |= {str(w).lower() for w in self.kb.role_nouns} | set(self.kb.generic_groups)
        place_preps = set(self.kb.rules.get("place_prepositions") or [])
        for i in capitalised(self.doc):  # capitalisation first: it rules out most words
            tok = self.doc[i]
            if (tok.pos_ != "PROPN" and not self._kb_surname_in_slot(tok)) \
                    or tok.i in self.covered \
                    or tok.i in self.blocked or tok.i in self.place_tokens:
                continue
            if tok.ent_type_:
                if not self._lone_name_like(tok) or not (
                        tok.dep_ in ARGUMENT_SLOTS or tok.dep_ == "pobj"
                        and tok.head.lower_ not in place_preps
                        or tok.dep_ == "poss" and self._surname_actor(
                            token_key(tok.text), kb_too=False) is not None):
                    continue  # a possessor only as the surname of someone named before:
                    # "seven of Kadhimi's guards" after "Prime Minister Mustafa Kadhimi"
            elif tok.dep_ not in ARGUMENT_SLOTS:
                continue
            start = tok.i
            while start > tok.sent.start and self.doc[start - 1].dep_ == "compound" \
                    and self.doc[start - 1].pos_ == "PROPN" and not self.doc[start - 1].ent_type_:
                start -= 1
            span = self._strip(self.doc[start:tok.i + 1])
            if span is None or span.text.lower() in skip or tok.lower_ in skip \
                    or is_junk(span, "PERSON", self.kb) \
                    or any(i in self.covered or i in self.blocked or i in self.place_tokens
                           for i in range(span.start, span.end)):
                continue
            self._resolve_entity(span, "PERSON")

    def _kb_surname_in_slot(self, tok: Token) -> bool:
        """A word the tagger took for a common noun or a verb (at the head of a sentence:
        "Trump has been criticized ...") that is the surname of exactly one KB person and a
        verb's subject or object."""
        return not tok.ent_type_ and tok.dep_ in ARGUMENT_SLOTS \
            and len(self.kb.surnames.get(token_key(tok.text), ())) == 1

    def _lone_name_like(self, tok: Token) -> bool:
        """Whether ``tok`` alone is an entity of ``NAME_LIKE_LABELS`` that names no place
        the gazetteer knows: a name the tagger mislabelled, not a town."""
        ent = self.entity_at.get(tok.i)
        return ent is not None and ent.label_ in NAME_LIKE_LABELS and len(ent) == 1 \
            and not (self.gazetteer is not None and self.gazetteer.lookup(tok.text))

    def _strip(self, ent: Span) -> Span | None:
        """The entity without leading titles, determiners and a trailing possessive."""
        start, end = ent.start, ent.end
        while start < end and (self.doc[end - 1].lower_ in POSSESSIVE
                               or self.doc[end - 1].is_punct):
            end -= 1
        while start < end and self.doc[start].is_punct:
            start += 1
        changed = True
        while changed and start < end:
            changed = False
            if self.doc[start].lower_ in ("the", "a", "an"):
                start += 1
                changed = True
                continue
            for length in range(min(4, end - start - 1), 0, -1):
                key = tuple(token_key(t.text) for t in self.doc[start:start + length])
                if key in self.kb.titles:
                    start += length
                    changed = True
                    break
        return self.doc[start:end] if start < end else None

    def _drop(self, mentions: Iterable[Mention]) -> None:
        gone = {id(m): m for m in mentions}
        if not gone:
            return
        self.result.mentions[:] = [m for m in self.result.mentions if id(m) not in gone]
        for m in gone.values():
            # only the mention's own tokens can be covered by it: no scan of every token
            for tok in self.doc.char_span(m.start, m.end, alignment_mode="expand") or ():
                if self.covered.get(tok.i) is m:
                    del self.covered[tok.i]

    def _resolve_entity(self, span: Span, label: str) -> None:
        words = [t for t in span if token_key(t.text) not in SKIP_TOKENS]
        if not words:
            return
        if label in ("PERSON", "ORG") and len(words) == 1:
            actor_id = self._surname_actor(token_key(words[0].text), kb_too=label == "PERSON")
            if actor_id:
                actor = self.result.actors.get(actor_id) or self._kb_actor(actor_id)
                self._add(span[0], span[-1], actor, "surname")
                return
        if len(words) == 1 and words[0].text[:1].isupper():
            near = self.kb.near_miss(token_key(words[0].text))
            if near is not None:  # a misspelt known name ("Sadarists")
                self._add(span[0], span[-1], self._kb_actor(near), "alias")
                return
        if label == "ORG" and self._owned_body(span):
            return
        owner = self._possessive_state_body(span)
        if owner is not None and label == "ORG":
            # "the US Army's 82nd Airborne Division": a unit of a state's body is that state
            self._add(span[0], span[-1], self.result.actors[owner.actor], "unit", owner.sector)
            return
        unit_of = self._unit_owner(span)
        if unit_of is not None:
            # "the 45th Brigade of Kataib Hezbollah": a unit named for its owner is the owner
            self._add(span[0], span[-1], self.result.actors[unit_of.actor], "unit",
                      unit_of.sector)
            return
        if self._mistagged_place(span.text, label, len(words), _acts_on_something(span.root)):
            return  # "Sinjar" tagged as an organisation, "Erbil" as a person
        if label == "NORP":
            if span[-1].tag_ not in ("NNPS", "NNS"):
                return  # an adjective ("Shiite"), not a group
            self._add(span[0], span[-1], self._provisional(span.text, "group"), "provisional")
            return
        kind = "person" if label == "PERSON" else "organization"
        if label == "PERSON" and len(words) == 1 and not words[0].text[:1].isupper():
            return
        body = self._body_head(words[-1])
        if body is not None and label == "PERSON":
            # "News" cut off "Tigris Valley News", "the Haidar Relief Committee" tagged a
            # person: the last word says what kind of body a name is; alone it names no one
            if len(words) == 1:
                return
            kind = body
        if label == "PERSON" and len(words) > 2:
            known = self._person_by_first_and_last(words[0].text, words[-1].text)
            if known is not None:  # "Nuri Kamal al-Maliki": a middle name the KB lacks
                self._add(span[0], span[-1], self._kb_or_local(known), "alias")
                return
        self._add(span[0], span[-1], self._provisional(span.text, kind), "provisional")

    def _body_head(self, word: Token) -> str | None:
        """The kind of body a name's last word makes it (``body_heads``: "Ministry",
        "Command", "News"), or None for a word no body's name ends in."""
        return (self.kb.rules.get("body_heads") or {}).get(word.lower_)

    def _person_by_first_and_last(self, first: str, last: str) -> str | None:
        """The one person, named here before or in the KB, whose names have this first and
        last part by sound."""
        want = (sound_key(token_key(first)), sound_key(token_key(last)))
        self._index_people()
        people = [a for i in self.people.get(want, ())
                  if (a := self.result.actors.get(i)) is not None and a.kind == "person"]
        people += [self.kb.actors[i] for i in self.kb.sound_surnames.get(want[1], [])]
        found = {actor.id for actor in people
                 if want in {_first_last(k) for k in self._name_keys(actor)}}
        return next(iter(found)) if len(found) == 1 else None

    def _index_people(self) -> None:
        """File the names of the persons added or renamed since the last call under their
        (first, last) sounds and under each of their first and last words and its sound.
        A scan of every actor or mention per name was quadratic in a long roll of names;
        users of the index check each hit again, as an actor may since be forgotten."""
        for actor_id in self.touched:
            actor = self.result.actors.get(actor_id)
            if actor is None or actor.kind != "person":
                continue
            keys = self._name_keys(actor)
            done = self.people_indexed.get(actor_id)
            for key in keys[done[1] if done is not None and done[0] is actor else 0:]:
                pair = _first_last(key)
                entries: list[tuple[Any, ...]] = [pair] if pair is not None else []
                if len(key) > 1:
                    entries += [(part, how, word) for part in (-1, 0)
                                if key[part] not in NAME_PARTICLES
                                for how, word in (("word", key[part]),
                                                  ("sound", sound_key(key[part])))]
                for entry in entries:
                    self.people.setdefault(entry, set()).add(actor_id)
            self.people_indexed[actor_id] = (actor, len(keys))
        self.touched.clear()

    def _owned_body(self, span: Span) -> bool:
        """"Iran's Foreign Ministry" (an entity after a state's possessive, made only of body
        words): that state, with the body's sector. Returns whether the span was one.
        Without an owner, a capitalised "Foreign Ministry" stays a name of its own: a
        story set in Iraq quotes Iran's ministry as often as its own."""
        owner = self.covered.get(span.start - 2) if span.start >= 2 \
            and self.doc[span.start - 1].lower_ in POSSESSIVE else None
        if owner is None or self.result.actors[owner.actor].kind != "state":
            return False
        words = [t for t in span if t.lower_ not in ("of", "the", "and")]
        nouns = self.kb.group_nouns
        sector = nouns.get(span.text.lower()) or nouns.get(" ".join(t.lower_ for t in words))
        if sector is None and all(self._group_sector(t) or t.lower_ in BODY_WORDS
                                  for t in words):
            sector = next((self._group_sector(t) for t in words if self._group_sector(t)), None)
        if sector is None:
            return False
        state = self.result.actors[owner.actor]
        force = self.kb.force_of(state.id, sector)
        self._add(span[0], span[-1], self._kb_actor(force) if force else state, owner.rule,
                  sector)
        return True

    def _unit_owner(self, span: Span) -> Mention | None:
        """The body or state named after "of" when ``span`` ends in a unit noun (the KB's
        group nouns: "Brigade", "Division", "Battalion"): "the 45th Brigade of X" -> X."""
        doc = self.doc
        if not self._group_sector(span[-1]) or span.end + 1 >= len(doc) \
                or doc[span.end].lower_ != "of":
            return None
        i = span.end + 1
        if doc[i].lower_ == "the" and i + 1 < len(doc):
            i += 1
        owner = self.covered.get(i)
        if owner is None or owner.start != doc[i].idx or self.result.actors[owner.actor].kind \
                not in ("organization", "group", "state"):
            return None
        return owner

    def _possessive_state_body(self, span: Span) -> Mention | None:
        """The state body ("the US Army", "Iraq's interior ministry") owning ``span``."""
        if span.start < 2 or self.doc[span.start - 1].lower_ not in POSSESSIVE:
            return None
        owner = self.covered.get(span.start - 2)
        if owner is None or self.result.actors[owner.actor].kind != "state" \
                or owner.sector in (None, "CVL"):
            return None
        return owner

    def _mistagged_place(self, name: str, label: str, n_words: int, argument: bool) -> bool:
        """Whether an entity the tagger called a person or organisation is a place.
        ``argument``: it is the subject of a verb with an object or a clause ("Bondi
        endorsed X", "Monsanto said that ..."), where a lone word is a place only when it
        is a well-known one, as for persons: small towns share their names with firms and
        families, and a town is shelled or taken, it does not act on others."""
        if self.gazetteer is None or label == "NORP":
            return False
        candidates = self.gazetteer.lookup(name)
        if label == "ORG":
            # "Sinjar" tagged as an organisation; "Google" is no place because geonames
            # lists it among Topeka's alternate names
            small = MAJOR_PLACE_POPULATION if argument and n_words == 1 else 0
            return any(c.curated or self.gazetteer.is_primary(c, name)
                       and c.population >= small
                       or c.population >= ALTERNATE_PLACE_POPULATION for c in candidates)
        # A one-word "person" is a place only when it is a well-known one: many surnames
        # are also the names of small towns.
        return n_words == 1 and any(c.curated or c.population >= MAJOR_PLACE_POPULATION
                                    for c in candidates)

    def _surname_actor(self, surname: str, kb_too: bool = True) -> str | None:
        """A person named earlier in this text (by surname, or by a first name as with
        "Saddam"), else a unique KB person in office."""
        self._index_people()
        for part in (-1, 0):
            named = set(self.people.get((part, "word", surname), ()))
            if len(surname) >= MIN_SOUND_SURNAME:
                named |= self.people.get((part, "sound", sound_key(surname)), set())
            matching = {i for i in named if (actor := self.result.actors.get(i)) is not None
                        and actor.kind == "person" and any(
                            len(k) > 1 and k[part] not in NAME_PARTICLES and (
                                k[part] == surname or len(surname) >= MIN_SOUND_SURNAME
                                and sound_key(k[part]) == sound_key(surname))
                            for k in self._name_keys(actor))}
            if matching:  # the one named last
                for m in reversed(self.result.mentions):
                    if m.actor in matching and m.rule != "pronoun":
                        return m.actor
        if not kb_too:
            return None
        # A lone word goes to a KB person by its exact spelling only: by sound, too many
        # words ("Amarah", a town) are some politician's surname.
        candidates = self.kb.surnames.get(surname, [])
        if self.year is not None and len(candidates) > 1:
            active = [c for c in candidates if self.kb.held_role(c, self.year)]
            candidates = active or candidates
        return candidates[0] if len(candidates) == 1 else None

    def _name_keys(self, actor: Actor) -> list[tuple[str, ...]]:
        """The index keys of an actor's name and aliases. Kept per actor and extended as
        aliases are added (they are only ever appended), so that rules asking for them
        at every mention do not re-tokenise every name each time."""
        known = self.name_keys.get(actor.id)
        if known is None or known[0] is not actor:
            known = self.name_keys[actor.id] = (actor, [self.kb.key(actor.name)])
        keys = known[1]
        for alias in actor.aliases[len(keys) - 1:]:
            keys.append(self.kb.key(alias))
        return keys

    # -- 3. acronyms defined in the text ----------------------------------------

    def _resolve_defined_acronyms(self) -> None:
        doc = self.doc
        for tok in tokens_in(doc, ("(",)):
            acronym = self._parenthesised_acronym(tok)
            if acronym is None:
                continue
            letters = _without_hyphens(acronym.text).replace(".", "").lower()
            actor = self._defined_by(letters, tok.i)
            key = self.kb.key(acronym.text)
            if actor is not None and key:
                self.local_aliases[key] = actor.id
        if not self.local_aliases:
            return
        for m in list(self.result.mentions):
            actor_id = self.local_aliases.get(self.kb.key(m.text))
            if actor_id and m.rule == "provisional" and m.actor != actor_id:
                m.actor, m.rule = actor_id, "acronym"
        for tok in doc:
            actor_id = self.local_aliases.get((token_key(tok.text),))
            if actor_id and tok.i not in self.covered and tok.text.isupper():
                self._add(tok, tok, self.result.actors[actor_id], "acronym")
        self._forget_unused_actors()

    def _parenthesised_acronym(self, paren: Token) -> Span | None:
        """The acronym "(ACR)" that opens at ``paren``: one token, or capitals glued by a
        hyphen ("(KDP-I)", the acronym of a branch, spaCy's three tokens)."""
        doc = self.doc
        if paren.text != "(" or paren.i < 1:
            return None
        for end in (paren.i + 2, paren.i + 4):
            if end < len(doc) and doc[end].text == ")":
                inner = doc[paren.i + 1:end]
                glued = not any(t.whitespace_ for t in inner) and (
                    len(inner) == 1 or inner[1].text in HYPHENS)
                if glued and is_acronym(_without_hyphens(inner.text)):
                    return inner
        return None

    def _defined_by(self, letters: str, paren: int) -> Actor | None:
        """The actor whose name, just before "(ACR)", the acronym abbreviates."""
        words: list[Token] = []
        i = paren - 1
        # Walk back over the name: capitalised words and the small words inside names.
        while i >= 0 and (self.doc[i].text[:1].isupper() or self.doc[i].lower_ in NAME_GLUE):
            words.insert(0, self.doc[i])
            initials = "".join(t.text[0].lower() for t in words if t.text[:1].isalpha())
            if words[0].text[:1].isupper() and initials[:1] == letters[:1] \
                    and letters_within(letters, initials):
                inner = {self.covered[t.i] for t in words if t.i in self.covered}
                if len(inner) == 1:
                    only = next(iter(inner))
                    if only.start <= words[0].idx:
                        return self.result.actors[only.actor]
                if inner and not all(m.rule in ("demonym", "metonym", "alias", "acronym")
                                     and self.result.actors[m.actor].kind == "state"
                                     for m in inner):
                    return None
                self._drop(inner)
                span = self.doc[words[0].i:words[-1].i + 1]
                actor = self._provisional(span.text, "organization")
                self._add(span[0], span[-1], actor, "provisional")
                return actor
            i -= 1
        return None

    def _forget_unused_actors(self) -> None:
        used = {m.actor for m in self.result.mentions}
        for actor_id in [a for a in self.result.actors if a not in used]:
            del self.result.actors[actor_id]

    # -- 4. "X's followers" -------------------------------------------------------

    def _resolve_followers(self) -> None:
        nouns = set(self.kb.rules.get("follower_nouns") or [])
        for m in list(self.result.mentions):
            actor = self.result.actors[m.actor]
            if actor.kind != "person":
                continue
            last = self._token_ending_at(m.end)
            if last is None or last.i + 2 >= len(self.doc):
                continue
            poss, noun = self.doc[last.i + 1], self.doc[last.i + 2]
            if poss.lower_ not in POSSESSIVE or noun.lower_ not in nouns or noun.i in self.covered:
                continue
            org = self._led_organisation(actor)
            if org:
                self._add(noun, noun, self._kb_actor(org), "follower")
        # "his followers": the movement of the person "his" refers to, named in this
        # sentence or the one before
        for tok in tokens_in(self.doc, ("his", "her")):
            # "his own party" is his party
            at = tok.i + 2 if tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "own" \
                else tok.i + 1
            if at >= len(self.doc):
                continue
            noun = self.doc[at]
            if noun.lower_ not in nouns or noun.i in self.covered:
                continue
            sent = self.sent_of[tok.i]
            person = next((m for m in reversed(self.result.mentions)
                           if m.start < tok.idx and m.sentence is not None
                           and sent - m.sentence <= 1
                           and self.result.actors[m.actor].kind == "person"), None)
            org = self._led_organisation(self.result.actors[person.actor]) if person else None
            if org:
                self._add(noun, noun, self._kb_actor(org), "follower")
        self._resolve_loyal_followers()

    def _resolve_loyal_followers(self) -> None:
        """"lawmakers loyal to him", "fighters loyal to Sadr": people described as loyal to
        a person who leads a body are that body's, as "his followers" are."""
        for tok in tokens_in(self.doc, ("loyal",)):
            if tok.i == 0:
                continue
            # the parser hangs "loyal" on the noun, or on the verb whose object it follows
            noun = tok.head if tok.head.tag_ == "NNS" else self.doc[tok.i - 1]
            if noun.tag_ != "NNS" or noun.i in self.covered:
                continue
            to = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"), None)
            leader = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if leader is None:
                continue
            if leader.lower_ in ("him", "her"):
                sent = self.sent_of[tok.i]
                person = next((m for m in reversed(self.result.mentions)
                               if m.start < tok.idx and m.sentence is not None
                               and sent - m.sentence <= 1
                               and self.result.actors[m.actor].kind == "person"), None)
            else:
                person = next((m for m in self.result.mentions
                               if m.start <= leader.idx < m.end
                               and self.result.actors[m.actor].kind == "person"), None)
            org = self._led_organisation(self.result.actors[person.actor]) if person else None
            if org:
                self._add(noun, noun, self._kb_actor(org), "follower")

    def _resolve_bodies_of_states(self) -> None:
        """"the government of Iraq" is Iraq (GOV), like "the Iraqi government"."""
        for m in list(self.result.mentions):
            actor = self.result.actors[m.actor]
            first = self.token_starting_at.get(m.start)
            if actor.kind != "state" or first is None or first.i < 2:
                continue
            of, body = self.doc[first.i - 1], self.doc[first.i - 2]
            sector = self._group_sector(body)
            if of.lower_ != "of" or not sector or body.i in self.covered:
                continue
            self._drop([m])
            self._add(body, self.token_ending_at[m.end], actor, m.rule, sector)

    def _resolve_leaders_governments(self) -> None:
        """"the Bush administration", "the Maliki government": a person's name modifying a
        government noun (the KB's GOV group nouns) names the state the person led that
        year; the noun, the phrase's head, is that state's mention (what a role reads), and
        the name stays the person's (he is named in the text)."""
        for m in list(self.result.mentions):
            if m.actor not in self.kb.actors or self.result.actors[m.actor].kind != "person":
                continue
            last = self._token_ending_at(m.end)
            if last is None or last.i + 1 >= len(self.doc):
                continue
            body = self.doc[last.i + 1]
            if last.head != body or last.dep_ not in ("compound", "nmod", "amod") \
                    or self._group_sector(body) != "GOV" or body.i in self.covered:
                continue
            led = next((role["of"] for role in self.kb.held_role(m.actor, self.year)
                        if role.get("of") in self.kb.actors
                        and self.kb.actors[role["of"]].kind == "state"), None)
            if led is None:
                continue
            self._add(body, body, self._kb_actor(led), "leader_body", "GOV")

    def _resolve_short_forms(self) -> None:
        """"Hizbollah" after "Kataib Hezbollah" in a story set in Iraq: a name that ends the
        longer name of an organisation of the story's country, named before, is that
        organisation, not a namesake abroad (by the sound of the words, so spellings
        vary)."""
        home = self.kb.actors[self.home_state].country if self.home_state else None
        local: list[tuple[int, tuple[str, ...], Actor]] = []  # (start, sound keys, actor)
        named: list[tuple[int, tuple[str, ...], Actor]] = []  # the same, of any country
        seen: set[str] = set()  # actors named so far
        for m in sorted(self.result.mentions, key=lambda m: m.start):
            actor = self.result.actors[m.actor]
            sounds = tuple(sound_key(k) for w in m.text.split()
                           if (k := token_key(w)) not in SKIP_TOKENS)
            if len(sounds) == 1 and m.rule in ("provisional", "alias") and m.actor not in seen \
                    and (actor.provisional or actor.kind in ("organization", "group")):
                # "Kataib positions" after "Kataib Hezbollah": a lone word that begins the
                # name of a body named before is that body, not an unknown name nor a
                # namesake the text has not named (Lebanon's Kataeb party)
                begun = next((a for start, keys, a in reversed(named)
                              if len(keys) > 1 and keys[0] == sounds[0]), None)
                first, last = self.token_starting_at.get(m.start), self._token_ending_at(m.end)
                if begun is not None and begun.id != actor.id and first is not None \
                        and last is not None:
                    self._drop([m])
                    self._add(first, last, begun, "short_form")
                    continue
            seen.add(m.actor)
            if actor.kind not in ("organization", "group") or actor.id.startswith("g:"):
                continue
            if not actor.provisional:
                named.append((m.start, sounds, actor))
            if home is None:
                continue
            if actor.country == home:
                local.append((m.start, sounds, actor))
                continue
            longer = next((a for start, keys, a in reversed(local) if sounds and start < m.start
                           and len(keys) > len(sounds) and keys[-len(sounds):] == sounds), None)
            first, last = self.token_starting_at.get(m.start), self._token_ending_at(m.end)
            if longer is not None and first is not None and last is not None:
                self._drop([m])
                self._add(first, last, longer, "short_form", m.sector)
        self._forget_unused_actors()

    def _resolve_titled_names(self) -> None:
        """"The Iraqi Shia cleric Moqtada al-Sadr": a country's people noun whose apposition
        names a person or organisation describes that one, and is that actor; not the
        country's clergy."""
        for m in list(self.result.mentions):
            if m.rule != "demonym" or not m.sector:
                continue
            last = self._token_ending_at(m.end)
            named = next((self.covered[t.i] for c in (last.children if last else ())
                          if c.dep_ == "appos" and c.i > last.i
                          for t in c.subtree if t.i in self.covered), None)
            if named is None or named.rule in ("demonym", "metonym", "group") \
                    or self.result.actors[named.actor].kind == "state":
                continue
            first = self.token_starting_at.get(m.start)
            if first is None:
                continue
            self._drop([m])
            self._add(first, last, self.result.actors[named.actor], "apposition")
        self._forget_unused_actors()

    def _led_organisation(self, actor: Actor) -> str | None:
        for role in self.kb.held_role(actor.id, self.year) if actor.id in self.kb.actors else []:
            if role.get("of") in self.kb.actors and self.kb.actors[role["of"]].kind != "state":
                return role["of"]
        for aff in actor.affiliations:
            led = aff.get("actor")
            if aff.get("relation") in ("leader_of", "member_of") and led in self.kb.actors:
                return led
        return None

    def _token_ending_at(self, end: int) -> Token | None:
        return self.token_ending_at.get(end)


def _acts_on_something(head: Token) -> bool:
    """Whether ``head`` is the active subject of a verb with an object or a clause."""
    return head.dep_ == "nsubj" and any(
        c.dep_ in ("dobj", "ccomp", "xcomp", "dative") for c in head.head.children)


def _first_last(key: tuple[str, ...]) -> tuple[str, str] | None:
    """The (first, last) sounds of a two-part name key: the text adds a middle name, it
    does not drop one ("Mohammad Ali Hosseini" is not a man whose six names end in
    Husseini)."""
    words = [k for k in key if k not in NAME_PARTICLES]
    return (sound_key(words[0]), sound_key(words[-1])) if len(words) == 2 else None


def _without_hyphens(text: str) -> str:
    """``text`` without the hyphens that glue a name's parts ("KDP-I" -> "KDPI")."""
    return "".join(c for c in text if c not in HYPHENS)
