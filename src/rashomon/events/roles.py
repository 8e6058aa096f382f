"""Roles: the source and target actor mentions of a candidate event."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace

from spacy.tokens import Token

from ..claims import noun_phrase_actor
from ..parse import token_sentence
from ..types import Mention, Place
from .candidates import Frame
from .lexicon import Code
from .nominal_roles import NominalRoleFinder
from .role_mentions import MentionFinder
from .role_model import RoleFrame, RoleRow, head_token, pair_features
from .syntax import (
    CAUSE_PREPS,
    CONSENT_PREPS,
    FROM_PLACE_TYPES,
    MODIFIER_CLAUSES,
    OBJECT_TARGET_PREPS,
    PATIENT_OF_TYPES,
    PLACE_TARGET_PREPS,
    RELATIVE_PRONOUNS,
    STANCE_PHRASES,
    TAKING_MODES,
    TARGET_PREPS,
    end_char,
    hyphen_patron,
    object_gap_antecedent,
    pobj,
    prep_object,
    relative_antecedent,
    unique,
)


class RoleFinder(NominalRoleFinder, MentionFinder):
    """Turns a frame's role words into actor mentions; mixed into the coder. The roles an
    act noun's own words give (``nominal_roles``) and the mentions a role word stands for
    (``role_mentions``) are parts of their own."""

    def _roles(self, frame: Frame) -> tuple[list[Mention], list[Mention]]:
        anchor, nominal = frame.anchor, frame.nominal
        sources: list[Mention] = []
        targets: list[Mention] = []
        if "patron" in frame.flags:
            # "an Iranian-brokered ceasefire declared by X": the patron acts on the act's
            # doer (X), whom the act noun's own words name, or on both its parties ("a
            # Qatari-brokered truce between X and Y")
            sources = self._actors(hyphen_patron(anchor), own_only=True)
            patrons = {m.actor for m in sources}
            doers, others = self._nominal_roles(anchor.head)
            parties = doers + others if self._between(anchor.head) else doers
            targets = [m for m in parties if m.actor not in patrons]
        elif nominal is not None and nominal == anchor:
            sources, targets = self._nominal_roles(nominal)
        else:
            sources, targets = self._verb_roles(anchor, frame)
            if not sources and nominal is None:
                sources = self._cause_sources(anchor, frame)
            if not targets and nominal is None:
                # a phrase's own act noun names whom the act is aimed at: "lifted the
                # sanctions imposed on X", "lifted the sanctions against X"
                targets = next((found for word in frame.trigger
                                if word is not anchor and word.pos_ == "NOUN"
                                for found in [self._nominal_roles(word)[1]] if found), [])
            if nominal is not None:
                n_sources, n_targets = self._nominal_roles(nominal)
                if sources and not targets:
                    # "Iran brokered a truce between X and Y": a third party acts on both
                    targets = self._between(nominal, pairs_only=False)
                targets = targets or n_targets
                sources = sources or n_sources
        if frame.reverse:
            if not targets:  # "faces pressure from Congress", "came under attack by X"
                # the doer hangs from the verb or the act noun ("came under rocket attack
                # from X", "suffered an attack by X")
                words = [anchor, *frame.trigger] + ([nominal] if nominal is not None else [])
                targets = next((found for word in words for prep in ("from", "by")
                                for found in [self._actors(prep_object(word, prep))]
                                if found), [])
            sources, targets = targets, sources
        # an actor is not its own target, however it is named ("withdraw its troops": "its"
        # is the source, so the target is still to be found)
        doers = {m.actor for m in sources}
        return unique(sources), unique([t for t in targets if t.actor not in doers])

    def _learned_roles(self, frame: Frame, code: Code, how: str, sources: list[Mention],
                       targets: list[Mention]) -> tuple[list[Mention], list[Mention]]:
        """The role model's sources and targets among the actor mentions of the trigger's
        sentence and those the rules found (``sources``, ``targets``), the rules' choice
        being one of each pair's features; logged for training when ``role_log`` is set."""
        anchor = frame.anchor
        sent = token_sentence(anchor)
        if sent.start not in self._sentence_mentions:
            self._sentence_mentions[sent.start] = [
                self.resolution.mentions[i]
                for i in self.mention_spans.starting(sent.start_char, sent.end_char)]
        pool: dict[tuple[int, int, str], Mention] = {}
        for m in self._sentence_mentions[sent.start]:
            if not m.start <= anchor.idx < m.end:  # the trigger's own name is no role
                pool.setdefault((m.start, m.end, m.actor), m)
        for m in [*sources, *targets]:  # the rules' readings, to be judged
            pool.setdefault((m.start, m.end, m.actor), m)
        mentions = sorted(pool.values(), key=lambda m: m.start)
        heads = []
        for m in mentions:
            if (m.start, m.end) not in self._heads:
                self._heads[m.start, m.end] = head_token(self.doc, m)
            heads.append(self._heads[m.start, m.end])
        # the rules' own mention of a role, or another mention of the actor they chose
        by_actor = {m.actor: "actor_source" for m in sources} | {
            m.actor: "actor_target" for m in targets}
        by_span = {(m.start, m.end): "source" for m in sources} | {
            (m.start, m.end): "target" for m in targets}
        passive = any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in anchor.children) \
            or (anchor.tag_ == "VBN" and anchor.dep_ == "acl")
        lemma = self.lex.lemma(anchor)
        rows = []
        positions = sorted(h.i for h in heads if h is not None)
        for m, head in zip(mentions, heads, strict=True):
            # how many mentions' heads lie between the trigger and this one's
            lo, hi = (head.i, anchor.i) if head is not None and head.i < anchor.i \
                else (anchor.i, head.i if head is not None else anchor.i)
            rank = max(0, bisect_left(positions, hi) - bisect_right(positions, lo))
            actor = self.resolution.actors.get(m.actor)
            rule = by_span.get((m.start, m.end)) or by_actor.get(m.actor, "none")
            rows.append(RoleRow(m, pair_features(
                anchor, frame.nominal, head, m, lemma=lemma, how=how, type_=code.type,
                quad=code.quad, passive=passive, reverse=frame.reverse, rule=rule,
                kind=actor.kind if actor else None, rank=rank), rule))
        if self.role_log is not None:
            first, last = frame.trigger[0], frame.trigger[-1]
            self.role_log.append(RoleFrame(first.idx, end_char(last), sent.start_char, rows))
        if self.role_model is None:
            return sources, targets
        chosen_sources, chosen_targets = self.role_model.assign(
            rows, heads, sources, targets, fill_source=not self._unnamed_doer(frame))
        if not sources and chosen_sources and chosen_targets:
            # a source the model filled from a noun phrase naming the target describes the
            # target ("Turkish President Erdogan was attacked", "Iraqi Prime Minister
            # Kadhimi was unhurt, but six of his guards were killed": Turkey and Iraq are
            # not the attackers)
            aimed = {m.actor for m in chosen_targets}
            inside = {t.i for row, head in zip(rows, heads, strict=True)
                      if head is not None and row.mention.actor in aimed
                      for t in head.subtree if t is not head}
            chosen_sources = [m for m in chosen_sources
                              if getattr(self._heads.get((m.start, m.end)), "i", None)
                              not in inside]
        return chosen_sources, chosen_targets

    def _unnamed_doer(self, frame: Frame) -> bool:
        """Whether a verb's clause names its doer as a noun that is no actor: "rockets that
        struck his palace", "his motorcade was struck by drones". The role model must not
        then fill the source with an actor of another clause (the one who escaped the
        drones); an act noun as the doer ("the attack killed ...") is left to it, since
        whoever carried out the act is its source."""
        verb = frame.anchor
        if verb.pos_ != "VERB" or frame.nominal is not None:
            return False
        doers = [c for c in verb.children if c.dep_ == "nsubj"]
        doers += [pobj(c) for c in verb.children if c.dep_ == "agent"]
        for word in doers:
            if word is not None and word.lower_ in RELATIVE_PRONOUNS:
                word = relative_antecedent(word)
            if word is not None and word.dep_ == "appos":
                word = word.head  # "Salih, a lawmaker who led ...": the name's noun
            # a common noun: a name no actor stands for is mostly a place or a dateline
            # the parser took for the subject ("BASRA - the cleric ... demanded ...")
            if word is None or word.pos_ != "NOUN" or word.ent_type_ \
                    or self._noun_entry(word) is not None:
                continue
            # the noun phrase without its clauses ("drones that struck Turkish troops")
            clauses = {t.i for c in word.children if c.dep_ in MODIFIER_CLAUSES
                       for t in c.subtree}
            phrase = [t for t in word.subtree if t.i not in clauses]
            if not any(self.mention_spans.containing(t.idx, end_char(t)) for t in phrase):
                return True
        return False

    def _about_an_act(self, frame: Frame, code: Code, sources: list[Mention],
                      targets: list[Mention]) -> tuple[list[Mention], list[Mention]]:
        """Roles an act spoken of cannot take. Criticising an act criticises whoever did
        it: "X condemned the attack on Y" targets the attack's perpetrator (or nobody),
        never its victim Y. And the subject of a verb of speech or of another verbal act
        whose object is an act ("X condemned / reported / denied the attack") did not do
        that act."""
        anchor = frame.anchor
        if frame.nominal is None and code.mode == "criticize":
            act = next((c for c in anchor.children if c.dep_ == "dobj"
                        and self._hostile_act(c)), None)
            if act is not None:
                targets = self._nominal_roles(act)[0]
        else:
            verb = self._speaking_of(frame)
            if verb is not None:
                subject = self._subject(verb)
                # unless the act's own words name the speaker ("Turkey defended its raid")
                own = {(m.start, m.end) for m in self._nominal_roles(frame.anchor)[0]}
                spoke = {(m.start, m.end) for m in self._actors(subject)} - own
                sources = [m for m in sources if (m.start, m.end) not in spoke]
        return sources, targets

    def _speaking_of(self, frame: Frame) -> Token | None:
        """The verb of speech or verbal act whose object a nominal act is ("condemned the
        assassination attempt", "reported the raid"), if it is one: an act told, not
        background, even with its perpetrator unnamed."""
        if frame.nominal is None or frame.nominal != frame.anchor:
            return None
        phrase = frame.anchor  # "the assassination attempt": the phrase the act noun heads
        while phrase.dep_ in ("compound", "nmod") and phrase.head.i > phrase.i:
            phrase = phrase.head
        return phrase.head if phrase.dep_ == "dobj" and self._verbal_act(phrase.head) \
            else None

    def _hostile_act(self, noun: Token) -> bool:
        entry = self._noun_entry(noun)
        code = self.lex.code(entry["type"], entry.get("mode")) if entry else None
        return code is not None and code.quad == "material_conflict"

    def _verbal_act(self, verb: Token) -> bool:
        """A verb of speech (an attribution cue) or a verbal act of the lexicon ("condemn",
        "welcome", "deny")."""
        if verb.i in self.cue_tokens:
            return True
        entry = self.lex.verbs.get(self.lex.lemma(verb))
        code = self.lex.code(entry["type"], entry.get("mode")) if entry else None
        return code is not None and code.quad.startswith("verbal")

    def _cause_sources(self, verb: Token, frame: Frame) -> list[Mention]:
        """The perpetrators of a violent verb named only through the attack that did it:
        "four children were killed in Israeli tank shelling" -> Israel, "wounded in an air
        strike by the coalition" -> the coalition. Only violence explains violence here, so
        "killed in a crash" or "arrested in a protest" give nobody."""
        code = self.lex.code(frame.entry["type"], frame.entry.get("mode"))
        if code is None or code.quad != "material_conflict" or frame.entry["type"] == "PROTEST":
            return []
        for prep in verb.children:
            if prep.dep_ not in ("prep", "agent") or prep.lower_ not in CAUSE_PREPS:
                continue
            noun = pobj(prep)
            entry = self._noun_entry(noun) if noun is not None else None
            if entry is not None and entry["type"] == "ASSAULT":
                return self._nominal_roles(noun)[0]
        return []

    def _verb_roles(self, verb: Token, frame: Frame) -> tuple[list[Mention], list[Mention]]:
        # "Americans killed by X"; "the offensive, praised by X, stalled": a bare participle
        # is passive ("the fact that Sadr has developed ..." is a perfect, not a participle),
        # and one with a "by" agent is passive wherever the parser hangs it
        # a verb with an active subject of its own is active whatever its tag: in "Iran
        # condemned attacks ... by supporters of X" the "by" phrase is the attacks' doer
        bare = not any(c.dep_ in ("nsubj", "aux") for c in verb.children)
        active = any(c.dep_ == "nsubj" for c in verb.children)
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
            verb.tag_ == "VBN" and not active and (
                verb.dep_ == "acl" and bare or any(c.dep_ == "agent" for c in verb.children)))
        subject = self._subject(verb)
        sources: list[Mention] = []
        targets: list[Mention] = []
        obj = next((c for c in verb.children if c.dep_ == "dobj"
                    and not c.lower_.endswith(("self", "selves"))), None)
        # "the raid was meant to punish X": whoever carried out the raid acts
        doer = self._actors(subject) if subject is None or not self._definite_event(subject) \
            else self._perpetrator(subject)
        if passive:
            agent = next((c for c in verb.children if c.dep_ == "agent"), None) or next(
                # "militias, trained and armed by Iran,": coordinated participles share the
                # "by" phrase the parser hangs on the last of them
                (c for conj in verb.conjuncts if conj.i > verb.i and conj.tag_ == "VBN"
                 for c in conj.children if c.dep_ == "agent"), None)
            if agent is not None:
                sources = self._actors(pobj(agent))
            else:
                sources = self._actors(self._stray_agent(verb))
            targets = doer
        else:
            sources = doer
            if obj is not None and obj != frame.nominal and not (
                    frame.target_prep is not None and obj in frame.trigger):
                targets = self._actors(obj)  # but "opened its borders to X" targets X
            elif obj is None and frame.target_prep is None:
                # "a country the US accuses of ...": the relative clause's missing object
                targets = self._actors(object_gap_antecedent(verb))
        if frame.target_prep is not None:
            targets = targets or self._actors(pobj(frame.target_prep))
        for prep in (c for c in verb.children if c.dep_ == "prep"):
            if prep.lower_ == "between":
                pair = self._actors(pobj(prep))
                if len(pair) >= 2 and not sources:
                    sources, targets = pair[:1], pair[1:]
            elif prep.lower_ in TARGET_PREPS and not targets and prep not in frame.trigger \
                    and not self._consent_phrase(prep):
                if prep.lower_ == "to" and any(c.dep_ == "dobj" and self._actors(c)
                                               for c in verb.children):
                    # "welcomed the group to Iraq": a destination, not a target; but a
                    # thing given ("supplied arms to Israel") goes to its recipient
                    continue
                targets = self._actors(pobj(prep))
        if not targets:
            targets = self._actors(self._stance_object(verb))
        if not targets and frame.entry.get("mode") in TAKING_MODES:
            # "seized weapons from X", "weapons captured from X": whom they were taken from
            targets = self._actors(prep_object(verb, "from"))
        if not sources:
            # "ties between X and Y were strengthened", "improved relations between X and
            # Y": with no doer named, the pair the verb's object names are its parties
            patient = next((c for c in verb.children if c.dep_ == "nsubjpass"), None) \
                if passive else obj
            # (no hyphenated pair: "the X-Y bureau" is one body's)
            pair = self._actors(prep_object(patient, "between")) if patient is not None else []
            if len(pair) >= 2:
                sources, targets = pair[:1], pair[1:]
        dative = next((c for c in verb.children if c.dep_ == "dative"), None)
        if not passive and not targets and dative is not None:
            targets = self._actors(dative)  # "handed the militias weapons": the receiver
        own = {m.actor for m in sources}
        if not passive and obj is not None and obj not in frame.trigger and (
                not targets or {m.actor for m in targets} <= own):
            # "supplied rifles to Ukraine", "improved its relations with Iran", "blamed the
            # attack on Tehran": the preposition hangs under the thing given or done (and
            # "its" is the subject's own, not a target)
            for prep in self._object_preps(obj):
                targets = self._actors(pobj(prep))
                if targets:
                    break
        return sources, targets

    @staticmethod
    def _stance_object(verb: Token) -> Token | None:
        """Whom a phrase of stance under "in" is for: "voted in favour of X", "rallied in
        support of X" (``STANCE_PHRASES``); "in" alone says where, not whom."""
        for prep in verb.children:
            noun = pobj(prep) if prep.dep_ == "prep" and prep.lower_ == "in" else None
            if noun is None:
                continue
            for inner in noun.children:
                if inner.dep_ == "prep" and (noun.lower_, inner.lower_) in STANCE_PHRASES:
                    return pobj(inner)
        return None

    def _object_preps(self, obj: Token) -> list[Token]:
        """The target prepositions under a verb's object, nearest first: its own ("supplied
        arms to X"), then those under the object of one of its prepositional phrases, where
        the parser often hangs them ("expand ties at all levels with X"), unless that noun
        is an act with roles of its own ("issued a clarification about the raid on X": the
        raid's target). Clauses are not entered ("sent troops who fought against X")."""
        own = [c for c in obj.children if c.dep_ == "prep" and c.lower_ in OBJECT_TARGET_PREPS
               and not self._consent_phrase(c)]
        inner = [pobj(p) for p in obj.children
                 if p.dep_ == "prep" and p.lower_ not in OBJECT_TARGET_PREPS]
        nested = [c for noun in inner if noun is not None and self._noun_entry(noun) is None
                  for c in noun.children if c.dep_ == "prep" and c.lower_ in OBJECT_TARGET_PREPS]
        return own + nested

    def _consent_phrase(self, prep: Token) -> bool:
        """Whether a preposition introduces another party's act on the clause ("signed the
        deal with the backing of X": X backed it, no partner of the deal)."""
        noun = pobj(prep)
        if noun is None or prep.lower_ not in CONSENT_PREPS:
            return False
        entry = self._noun_entry(noun)
        return entry is not None and entry["type"] not in PATIENT_OF_TYPES | FROM_PLACE_TYPES \
            and (prep_object(noun, "of") is not None or prep_object(noun, "from") is not None
                 or any(c.dep_ == "poss" for c in noun.children))

    def _stray_agent(self, verb: Token) -> Token | None:
        """The "by" phrase of a passive the parser hung under the verb's predicative
        complement instead of the verb: "was considered a terrorist organization by
        Washington", "was hailed as a defining moment by Bush" (the complement is a label,
        not an act, so "by" names who did the considering). None under an act noun ("was
        described as an attack by militants": the attack's own doer)."""
        # a passive's second object is its complement too ("was designated a group by X")
        complements = [c for c in verb.children if c.dep_ in ("oprd", "attr", "dobj")]
        complements += [pobj(c) for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"]
        for noun in complements:
            if noun is None or self._noun_entry(noun) is not None:
                continue
            by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
            if by is not None and pobj(by) is not None:
                return pobj(by)
        return None

    def _definite_event(self, tok: Token) -> bool:
        """"the offensive", "this attack": a hostile act's noun referring back to its event
        ("this coalition" is a body, not an act)."""
        entry = self._noun_entry(tok)
        code = self.lex.code(entry["type"], entry.get("mode")) if entry else None
        return code is not None and code.quad.endswith("conflict") and any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)

    def _country_served(self, frame: Frame, sources: list[Mention]) -> list[Mention]:
        """Cooperation with what goes on in a country is with its state: "supported the
        political process in Iraq", "backs stability in Lebanon" -> the state. Only a
        country (not a town: "the talks in Basra"), after "in" on the verb's object, an
        object that names no actor; never the source's own state."""
        for obj in (c for c in frame.anchor.children if c.dep_ == "dobj"):
            if noun_phrase_actor(obj, self.resolution) is not None:
                continue
            where = prep_object(obj, "in")
            place = next((p for p in self.places if where is not None
                          and p.start <= where.idx < p.end and p.kind == "country"), None)
            found = self._state_at(place, sources)
            if found is not None:
                return [found]
        return []

    def _place_state_target(self, frame: Frame, sources: list[Mention]) -> list[Mention]:
        """An attack on a place hits the state it lies in: "Turkey shelled Sinjar" -> Iraq.

        Only places in the object slot or after against/on/at/into count ("fought in Basra"
        says where, not whom), and never the source's own state.
        """
        objects = [c for c in frame.anchor.children if c.dep_ == "dobj"]
        objects += [p for o in objects for c in o.children
                    if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                    if p.dep_ == "pobj"]  # "occupies part of X"
        objects += [p for c in frame.anchor.children if c.dep_ == "prep"
                    and c.lower_ in PLACE_TARGET_PREPS for p in c.children if p.dep_ == "pobj"]
        for tok in objects:
            place = next((p for p in self.places if p.start <= tok.idx < p.end), None)
            found = self._state_at(place, sources)
            if found is not None:
                return [found]
        return []

    def _state_at(self, place: Place | None, sources: list[Mention]) -> Mention | None:
        """The state ``place`` lies in, as a mention over the place's words; None when it
        lies in no known state or in the source's own."""
        state = self.states.get(place.country) if place and place.country else None
        if state is None or any(s.actor == state.id for s in sources):
            return None
        self.resolution.actors.setdefault(state.id, replace(state, aliases=[state.name]))
        return Mention(document=self.document_id, start=place.start, end=place.end,
                       text=self.text[place.start:place.end], actor=state.id, rule="place")

