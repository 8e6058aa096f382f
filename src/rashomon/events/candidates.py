"""Candidate events: triggers found in the parse (verbs, phrases, light verbs, nouns,
labels), before their roles are turned into actors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Token

from ..claims import as_predicate, noun_phrase_actor
from ..types import Mention
from .lexicon import Code
from .syntax import (
    ARMED_SECTORS,
    CHARACTERISING_CUES,
    CIRCUMSTANCE_PREPS,
    DIRECTIVE,
    GOVERNORS,
    MODIFIER_CLAUSES,
    NAME_ENTITIES,
    NONSPECIFIC_DETERMINERS,
    NONSPECIFIC_PRONOUNS,
    OPEN_CLAUSES,
    RAISING_VERBS,
    end_char,
    hyphen_patron,
    label_words,
    match_phrase,
    particle_ok,
    pobj,
    prep_object,
    purpose_infinitive,
    verb_subject,
)
from .typing_model import OPEN


@dataclass
class Frame:
    """A trigger found in the parse, before roles are turned into actors."""

    trigger: list[Token]  # the trigger words, in order
    anchor: Token  # the word whose clause carries tense, modality and roles
    entry: dict[str, Any]
    nominal: Token | None = None  # the trigger noun, for nominal and light-verb events
    target_prep: Token | None = None  # the final preposition of a phrase ("set fire to")
    reverse: bool = False  # light verbs whose subject is the target ("came under attack")
    sources: list[Token] = field(default_factory=list)
    targets: list[Token] = field(default_factory=list)
    # why the rules doubt a candidate ("declined", "cue_verb" for open verbs; "no_actor"
    # for a coded verb nobody is named for): model features
    flags: list[str] = field(default_factory=list)
    # the sense the rules read from the verb's object ("route": "blocked the roads"); the
    # type model reads the lemma with it, so that what it learnt of the word's other sense
    # ("blocked the bill": a veto) does not carry over
    sense: str | None = None


class CandidateFinder:
    """Finds trigger frames; mixed into the coder, which holds the document and lexicons."""

    #: each token's noun entry by token index (``_noun_entry``), set by the coder per document
    noun_entries: dict[int, dict[str, Any] | None]
    #: each verb's subject by token index (``_subject``), set by the coder per document
    subjects: dict[int, Token | None]
    #: the doers and targets an act noun's own words name (``RoleFinder._nominal_roles``,
    #: which the coder mixes in)
    _nominal_roles: Callable[[Token], tuple[list[Mention], list[Mention]]]
    #: the "by" phrase naming an act noun's doer (``RoleFinder._agent_phrase``)
    _agent_phrase: Callable[[Token], Token | None]

    # -- triggers --------------------------------------------------------------------------

    def _verbal_frame(self, tok: Token) -> Frame | None:
        if tok.pos_ != "VERB" or purpose_infinitive(tok):
            return None
        if hyphen_patron(tok) is not None:
            return self._patron_frame(tok)
        lemma = self.lex.lemma(tok)
        for phrase in self.lex.phrases.get(lemma, ()):
            words = match_phrase(tok, phrase.words, self.lex)
            if words is not None:
                last = words[-1]
                prep = last if last.dep_ in ("prep", "mark") or last.pos_ == "ADP" else None
                nominal = self._phrase_object(words, prep)
                return Frame(words, tok, phrase.entry, target_prep=prep, nominal=nominal,
                             reverse=bool(phrase.entry.get("reverse_roles")))
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is None and tok.dep_ == "xcomp" and self.lex.lemma(tok.head) in RAISING_VERBS \
                and any(c.dep_ == "auxpass" for c in tok.children):
            # "the shelling seems to have been directed by X": the passive's subject is the
            # raising verb's
            obj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        noun_entry = self._noun_entry(obj) if obj is not None else None
        light = self.lex.light_verbs.get(lemma)
        # "engaged X in a firefight", "took part in the protests": the trigger noun is the
        # object of the light verb's preposition, and a direct object stays the target
        carried = prep_object(tok, light["preposition"]) if light is not None \
            and light.get("preposition") else obj
        carried_entry = noun_entry if carried is obj else (
            self._noun_entry(carried) if carried is not None else None)
        if carried_entry is not None and light is not None and particle_ok(tok, light) and (
                not light.get("types") or carried_entry["type"] in light["types"]):
            return Frame(sorted([tok, carried], key=lambda t: t.i), tok,
                          light.get("code") or (light.get("recode") or {}).get(
                              carried_entry["type"]) or carried_entry,
                          nominal=carried, reverse=bool(light.get("reverse_roles")))
        reversal = self.lex.reversal_verbs.get(lemma)
        if noun_entry is not None and reversal is not None and particle_ok(tok, reversal):
            result = (reversal.get("results") or {}).get(noun_entry["type"])
            if result:
                return Frame(sorted([tok, obj], key=lambda t: t.i), tok, result, nominal=obj)
        label = self._label(tok, lemma)
        if label is not None:
            return Frame([tok], tok, label)
        entry = self.lex.verbs.get(lemma)
        if entry is None:
            if lemma in self.cues.verbs and self._directive(tok):
                return Frame([tok], tok, DIRECTIVE)  # "told his men to stop": a request
            return None
        if not entry.get("also_cue") and (tok.i in self.cue_tokens or (
                lemma in self.cues.verbs and as_predicate(tok))):
            return None  # "a group called X", "what Y has called X" label; no phone call
        if GOVERNORS.get(lemma) in ("planned", "negated") and any(
                c.dep_ == "xcomp" for c in tok.children):
            return None  # "seeks to combine", "refused to fight": the complement is the event
        if entry.get("needs_actor_object") and not self._actor_object(tok):
            return None  # "called the threat ...": no one was called
        if entry.get("not_with_clause") and any(c.dep_ == "ccomp" for c in tok.children):
            return None  # "the vote demonstrated that ...": showed, no protest
        if entry.get("on_route") and self._route_object(tok):
            # "blocked the roads": an obstruction, no veto
            return Frame([tok], tok, entry["on_route"], sense="route")
        return Frame([tok], tok, entry)

    def _patron_frame(self, participle: Token) -> Frame | None:
        """A patron's act that a hyphenated participle states ("an Iranian-brokered
        ceasefire": Iran brokered it; "a US-funded offensive"), flagged ``patron``; only on
        an act noun. On a noun naming a party ("Iran-backed militias", "the US-led
        coalition") the compound says who the party is, a description news gold codes no
        event for (round nouns15 in ``models/event_roles.md``); so too on a name whose last
        word is an act noun ("the Iran-backed Fatah Alliance", "the Saudi-led Peace
        Coalition": a body, not an alliance made)."""
        entry = self.lex.verbs.get(self.lex.lemma(participle))
        if entry is None or participle.head.pos_ == "PROPN" \
                or self._noun_entry(participle.head) is None:
            return None
        return Frame([participle], participle, entry, flags=["patron"])

    def _route_object(self, verb: Token) -> bool:
        """Whether the verb's object (a passive's subject) is a road, bridge or crossing,
        or the traffic on one: "blocked roads into the capital", "blocked the bridge"."""
        return any(c.dep_ in ("dobj", "nsubjpass") and (
            c.lemma_.lower() in self.lex.route_nouns or c.lower_ in self.lex.route_nouns)
            for c in verb.children)

    def _directive(self, verb: Token) -> bool:
        """Whether a speech verb tells an actor to act: an actor as its object and an
        infinitive that object is to carry out ("told the militia to disarm", "asked Iran
        to stop"), not a report of what was said."""
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        named = noun_phrase_actor(objects[0], self.resolution) if len(objects) == 1 else None
        return named is not None and named.rule != "demonym" and any(
            c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.tag_ == "TO" for a in c.children)
            for c in verb.children)

    def _actor_object(self, verb: Token) -> bool:
        """Whether the verb's one object is itself an actor (not a thing an actor owns).
        Two objects ("called X a threat") name X; they call no one."""
        objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]
        if len(objects) != 1:
            return False
        obj = objects[0]
        mention = self.resolution.mention_at(obj.idx, obj.idx + len(obj.text))
        return mention is not None and mention.rule != "demonym"

    def _label(self, verb: Token, lemma: str) -> dict[str, Any] | None:
        """The code of a characterisation ("described X as terrorists"): a verb that
        characterises (a describe or believe cue taking "X as Y"), with a known label in Y."""
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
        cue = (self.cues.passive if passive else self.cues.verbs).get(lemma)
        if cue is None or cue.get("cue_type") not in CHARACTERISING_CUES \
                or "as_pred" not in (cue.get("patterns") or cue.get("takes") or ()):
            return None
        for pred in as_predicate(verb):
            head = pobj(pred) if pred.dep_ == "prep" else pred
            for word in label_words(head):
                code = self.lex.labels.get(word.lemma_.lower())
                if code is not None:
                    return code
        return None

    def _phrase_object(self, words: list[Token], prep: Token | None) -> Token | None:
        """The trigger noun a phrase takes as its object ("took responsibility for the attack")."""
        if prep is None:
            return None
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        return obj if obj is not None and self._noun_entry(obj) is not None else None

    def _noun_entry(self, tok: Token) -> dict[str, Any] | None:
        """The lexicon entry of a trigger noun (its compound, its "of" object, or itself);
        read once per token of the document (every token is tried as a nominal trigger,
        and the roles ask again of objects and subjects)."""
        if tok.i in self.noun_entries:
            return self.noun_entries[tok.i]
        entry = self.noun_entries[tok.i] = self._lexicon_noun_entry(tok)
        return entry

    def _subject(self, verb: Token) -> Token | None:
        """The verb's subject (``verb_subject``), read once per verb of the document (the
        generic-role check and the roles ask for it)."""
        if verb.i in self.subjects:
            return self.subjects[verb.i]
        subject = self.subjects[verb.i] = verb_subject(verb, self.lex.speech_documents)
        return subject

    def _lexicon_noun_entry(self, tok: Token) -> dict[str, Any] | None:
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        lemma, low = tok.lemma_.lower(), tok.lower_
        heads = self.lex.noun_heads
        if lemma not in heads and low not in heads:
            return None  # most nouns: no need to read their modifiers and "of" objects
        mods = tuple(c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")
                     and c.i < tok.i)
        for head in (lemma, low):
            for modifiers, entry in self.lex.compounds.get(head, {}).items():
                if mods[-len(modifiers):] == modifiers:
                    return entry
        of_object = pobj(next((c for c in tok.children
                                if c.dep_ == "prep" and c.lower_ == "of"), None))
        if of_object is not None:
            for key in ((lemma, of_object.lemma_.lower()), (lemma, of_object.lower_)):
                if key in self.lex.of_nouns:
                    return self.lex.of_nouns[key]
        return self.lex.nouns.get(lemma) or self.lex.nouns.get(low)

    def _open_frame(self, tok: Token) -> Frame | None:
        """A clause verb the lexicon does not code ("Iran armed the militia"), left to the
        learned model: a main, coordinated or complement clause's verb, not a speech cue
        that reports something (what is said is a claim, coded by the claims stage).

        A verb the lexicon knows but its rules turned down ("hosted the summit", "sent
        drugs to the hospital", "refused to let them leave") and a speech verb that reports
        nothing ("discussed the crisis with X") are open candidates too, flagged as such
        (features of the type model and the gate), so that the learned models, not the
        rules alone, decide them. One that governs an act noun takes that act's code
        (``_governed_act``, flagged ``governs_act``; round quad18 in
        ``models/event_type.md``)."""
        if tok.pos_ != "VERB" or tok.dep_ not in OPEN_CLAUSES or purpose_infinitive(tok) \
                or tok.i in self.cue_tokens:
            return None
        lemma = self.lex.lemma(tok)
        flags = []
        if lemma in self.cues.verbs:
            flags.append("cue_verb")
        if lemma in self.lex.verbs or lemma in self.lex.phrases or lemma in self.lex.light_verbs:
            flags.append("declined")
        act = self._governed_act(tok) if "cue_verb" not in flags else None
        if act is not None:
            # "used missiles in the attack", "resumed their struggle against X": the verb
            # supports the act its object names, which gives the candidate its type
            return Frame(sorted([tok, act], key=lambda t: t.i), tok, self._noun_entry(act),
                         nominal=act, flags=[*flags, "governs_act"])
        return Frame([tok], tok, {"type": OPEN}, flags=flags)

    def _governed_act(self, verb: Token) -> Token | None:
        """The act noun an open verb governs: its direct object, or the object of a
        preposition of the verb or of that object ("had a hand in the ambush"); not a
        name ("the Peace Alliance"), nor an act the verb is only set beside ("spoke after
        the attack"), nor one whose own words name its doer or both its parties."""
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        words = [obj]
        for holder in (verb, obj):
            if holder is not None:
                words += [pobj(c) for c in holder.children
                          if c.dep_ == "prep" and c.lower_ not in CIRCUMSTANCE_PREPS]
        # an act whose own words name its doer ("ended with a truce declared by X": the
        # truce is X's) or both its parties ("recalled the Iran-Iraq war") keeps its own
        # frame
        return next((w for w in words if w is not None and self._nominal_frame(w) is not None
                     and self._agent_phrase(w) is None and not all(self._nominal_roles(w))),
                    None)

    def _nominal_frame(self, tok: Token) -> Frame | None:
        entry = self._noun_entry(tok)
        if entry is None or tok.ent_type_ in NAME_ENTITIES or \
                self.resolution.mention_at(tok.idx, end_char(tok)) is not None:
            return None  # "Popular Mobilisation Forces", "Saairun Alliance" are names
        return Frame([tok], tok, entry, nominal=tok)

    def _generic(self, frame: Frame) -> bool:
        """Whether the trigger's subject, or the noun its clause describes, is no one in
        particular: "whichever sponsor is willing to arm the group", "no militia too brutal
        for the US to ally with" state what kind of thing happens, not an event.
        An object is left alone: "rejected any talks" is a rejection of talks."""
        verb = frame.anchor
        if verb.pos_ not in ("VERB", "AUX"):
            return False
        words = [self._subject(verb)]
        if verb.dep_ in MODIFIER_CLAUSES and not any(c.dep_ == "mark" for c in verb.children):
            # the noun the clause describes; not the noun whose content a "that" clause
            # tells ("no evidence that Iran was arming X" speaks of Iran arming X)
            words.append(verb.head)
        elif any(c.dep_ == "prep" and not any(c.children) for c in verb.children):
            # a stranded preposition's object is the noun before the clause: "no group
            # too brutal for the US to ally with"
            first = min(t.i for t in verb.subtree)
            words.append(next((t for t in reversed(self.doc[verb.sent.start:first])
                               if t.pos_ in ("NOUN", "PROPN", "PRON")), None))
        return any(w is not None and (w.lower_ in NONSPECIFIC_PRONOUNS or any(
            c.dep_ == "det" and c.lower_ in NONSPECIFIC_DETERMINERS for c in w.children))
            for w in words)

    def _electoral(self, frame: Frame, roles: list[Mention]) -> bool:
        """Whether a contest verb speaks of a vote: its sentence names one and no armed
        body takes part ("militias routed the army before the elections" is a battle)."""
        sent = frame.anchor.sent
        if not any(self.lex.lemma(t) in self.lex.contest_words
                   or t.lower_ in self.lex.contest_words for t in sent):
            return False
        sectors = {m.sector or getattr(self.resolution.actors.get(m.actor), "sector", None)
                   for m in roles}
        return not sectors & ARMED_SECTORS

    def _refine(self, code: Code, frame: Frame) -> Code:
        """A request whose object is a hostile act is a demand ("called for the ouster of X")."""
        if code.type != "REQUEST" or code.quad != "verbal_cooperation":
            return code
        obj = self._request_object(frame)
        if obj is None:
            return code
        inner = self._noun_entry(obj)
        inner_code = self.lex.code(inner["type"], inner.get("mode")) if inner else None
        if inner_code is not None and inner_code.quad.endswith("conflict"):
            return self.lex.code(code.type, "demand") or code
        return code

    def _request_object(self, frame: Frame) -> Token | None:
        if frame.target_prep is not None:
            return next((c for c in frame.target_prep.children if c.dep_ == "pobj"), None)
        return next((c for c in frame.anchor.children if c.dep_ == "dobj"), None)

