"""Roles: the source and target actor mentions of a candidate event."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace

from spacy.tokens import Token

from ..claims import hyphenated, noun_phrase_actor
from ..parse import token_sentence
from ..types import Mention, Place
from .candidates import Frame
from .lexicon import Code
from .modality import attribution_of
from .role_model import RoleFrame, RoleRow, head_token, pair_features
from .syntax import (
    CAUSE_PREPS,
    CONSENT_PREPS,
    DOER_OF_MODES,
    FIRST_PERSON,
    FROM_PLACE_TYPES,
    MODIFIER_CLAUSES,
    OBJECT_TARGET_PREPS,
    PARTICIPATION_PREPS,
    PATIENT_OF_TYPES,
    PLACE_TARGET_PREPS,
    PRONOUN_KINDS,
    RELATIVE_PRONOUNS,
    STANCE_PHRASES,
    TAKING_MODES,
    TARGET_PREPS,
    cleft_focus,
    end_char,
    hyphen_pair,
    hyphen_patron,
    object_gap_antecedent,
    own_possessive,
    partitive_object,
    pobj,
    prep_object,
    relative_antecedent,
    unique,
)

# Relations by which a name modifies a noun ("the Sadrist seats", "Iraqi oil").
NOUN_MODIFIERS = {"amod", "compound", "nmod"}


class RoleFinder:
    """Turns a frame's role words into actor mentions; mixed into the coder."""

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
        hostile act ("The operation will continue until it achieves its goals. It is not
        targeting X"); None when the nearest subject is anything else."""
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
        site named, with its owner, in the sentence or the two before ("will close its
        consulate in Basra ... rocket attacks on the facility" -> the consulate's owner).
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

