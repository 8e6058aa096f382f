"""Event coding: who did what to whom, from the dependency parse and the resolved actors.

Triggers come from event_triggers.yaml and are coded with ontology.yaml:

* verbs ("fired", "battled") and multi-word verb phrases ("set fire to", "took
  responsibility for"); a phrase beats the single verb of its head;
* light verbs carrying a nominal trigger ("launched attacks", "ordered the offensive"),
  and reversal verbs that turn it around ("lifted the sanctions");
* nouns standing alone ("the Basra offensive", "its assassination of X", "clashes between
  X and Y", "a terror attack on a parade").

Roles. The source is the subject (the "by" agent of a passive; the noun a relative
clause or participle hangs from; the subject of the governing verb for "try to X"); for a
nominal trigger the possessor ("its" and "their" resolved to the nearest preceding
compatible actor), an actor modifier ("a US drone strike") or a "by" object. The target
is the direct object, the passive subject, or the object of against/on/at/into/with (of
"of" for nominals that take a patient: "the assassination of X"). "Between X and Y" makes
X the source and Y the target of one event. Coordinated actors ("the US and UK
overthrew ...") give one event per actor, so each pairing is a separate, countable tie.
A definite hostile-act noun as a subject acts for whoever carried the act out ("the
raid was meant to punish X": the raid's perpetrator, named with it or earlier). A
building as the object stands for whom a clause on it names ("a clinic that serves
members of X" -> X). A role no actor fills stays None, never guessed; an event
with neither role filled says nothing about relations between actors and is not kept.

Not events: a clause whose subject is no one in particular ("whichever sponsor
is willing to ...", "no militia too brutal to ally with"), and a contest verb ("routed",
"ousted") in a sentence about a vote with no armed body in a role (electoral defeat).

Modality. "did not"/"never"/"refused to" negate; modal auxiliaries and "if" make an event
hypothetical ("will" planned); a governing "plans to"/"tries to"/"threatened to" makes
it planned or threatened; otherwise an event inside an attribution's content is reported
(denied under a denying cue), with ``reported_by`` the chain of speakers, outermost
first. Speech acts that are events (accuse, condemn, praise, call for ...) are coded like
any verb; a statement whose content reports a hostile act by another actor is also coded
as the speaker accusing that actor (ACCUSE/allege, CAMEO 112).

Place and date: a place attached to the trigger by in/at, else one in the clause, else
the sentence, else the document's most frequent city with lower confidence. The date is
the date mention in the clause, else the nearest in the sentence, else None: the
published date is never assumed, so an undated event stays undated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from .actors import Resolution
from .claims import (
    Attribution,
    CueLexicon,
    as_predicate,
    doc_text,
    find_attributions,
    hyphenated,
    load_cues,
    names_someone,
    noun_phrase_actor,
)
from .datafiles import load_lexicon
from .types import Actor, DateMention, Event, Mention, Place

# Grammar, not vocabulary: the closed classes that carry modality and negation in English.
_NEGATORS = {"not", "n't", "never", "no"}
_PLANNED_AUX = {"will", "shall", "'ll", "wo"}
_HYPOTHETICAL_AUX = {"might", "could", "would", "may", "should", "can", "must", "ca"}
_HYPOTHETICAL_MARKS = {"if", "unless", "whether"}
# Verbs (and predicative adjectives) that put their infinitival complement in the future or
# in doubt. A candidate for the lexicon files; kept here until they carry a modality section.
_GOVERNORS = {
    "plan": "planned", "aim": "planned", "seek": "planned", "try": "planned",
    "attempt": "planned", "intend": "planned", "prepare": "planned", "want": "planned",
    "keen": "planned", "set": "planned", "vow": "planned", "pledge": "planned",
    "promise": "planned", "decide": "planned", "threaten": "threatened",
    "refuse": "negated", "fail": "negated", "decline": "negated",
}
_NAME_ENTITIES = {"ORG", "PERSON", "GPE", "NORP", "FAC", "LOC", "EVENT", "WORK_OF_ART", "LAW"}
_RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
# Prepositions whose object is the target of a verbal or nominal event.
# Prepositions that make a place the object of an attack ("strikes on Sinjar").
_PLACE_TARGET_PREPS = {"against", "on", "at", "into", "upon"}

_TARGET_PREPS = {"against", "on", "at", "into", "upon", "with", "toward", "towards", "to"}
# Nominal types whose "of" object is the patient ("the assassination of X", "the ouster of X").
_PATIENT_OF_TYPES = {"ASSAULT", "COERCE", "SANCTION"}
# Cue types under which a statement about another actor's hostile act is an accusation:
# relaying ("reported", "noted") is the reporter's trade, not a stance of its own.
_ACCUSING_CUES = {"assert", "claim", "accuse", "warn", "confirm", "describe"}
# Cue types whose "X as Y" complement characterises X (describe, regard, consider ...).
_CHARACTERISING_CUES = {"describe", "believe"}
_CLAUSE_BREAKS = {"ccomp", "parataxis", "advcl", "relcl", "conj", "cc", "csubj"}
_BROAD_PLACES = {"country", "region"}
_PLACE_PREPS = {"in", "at", "near", "outside", "inside", "around", "across", "throughout"}
# Confidence of an event placed by the document's most frequent city rather than by a
# place in its own sentence. Chosen, not calibrated: a guess worth less than evidence.
FALLBACK_PLACE_CONFIDENCE = 0.6
# Confidence of an event coded from a noun with no verb: nominal mentions are more often
# background ("after the war") than new events. Chosen, not calibrated.
NOMINAL_CONFIDENCE = 0.8
# Confidence of a verbal event inside a relative clause or a participle modifying a noun
# ("the prisoners, who were arrested in May, were freed"): such clauses mostly recall
# background, so the main clause's event should lead. Chosen, not calibrated: it only has to
# sit between a main-clause verb (1.0) and a bare noun (0.8).
SUBORDINATE_CONFIDENCE = 0.9
# Sectors of bodies that fight: a contest verb with one of them in a role is a battle even
# in a sentence about an election.
_ARMED_SECTORS = {"MIL", "COP", "INS", "REB", "SEP", "SPY"}
# Words by which a role names no one in particular, making a clause generic.
_NONSPECIFIC_DETERMINERS = {"whatever", "whichever", "any", "no", "every"}
_NONSPECIFIC_PRONOUNS = {"whoever", "whatever", "anyone", "anybody", "nobody", "everyone",
                         "everybody"}
# Clause relations whose verb describes a noun rather than carrying the sentence's news.
_MODIFIER_CLAUSES = {"relcl", "acl"}
# Prepositions by which a passive or agentless verb names the attack that did it ("killed
# in an Israeli air strike", "wounded during clashes between X and Y").
_CAUSE_PREPS = {"in", "during", "by"}


# -- lexicon --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """A coded event class: PLOVER type and mode with their CAMEO, quad and intensity."""

    type: str
    mode: str | None
    cameo: str | None
    quad: str
    intensity: float | None


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    head: str
    entry: dict[str, Any]


@dataclass
class EventLexicon:
    """event_triggers.yaml and ontology.yaml, indexed for matching parsed tokens."""

    ontology: dict[str, Any]
    verbs: dict[str, dict[str, Any]]
    phrases: dict[str, list[Phrase]]  # head lemma -> phrases, longest first
    nouns: dict[str, dict[str, Any]]
    compounds: dict[str, dict[tuple[str, ...], dict[str, Any]]]  # head lemma -> modifiers
    light_verbs: dict[str, dict[str, Any]]
    reversal_verbs: dict[str, dict[str, Any]]
    lemma_corrections: dict[str, str]  # the parser's lemma -> the right one
    labels: dict[str, dict[str, Any]]  # label lemma -> the code of pinning it on someone
    # "X of Y" nominal triggers ("state of siege"), keyed by (X, Y)
    of_nouns: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # nouns for documents that speak for their issuer ("a statement calling on X")
    speech_documents: frozenset[str] = frozenset()
    # buildings and sites that stand for whoever a clause on them ties them to
    facility_nouns: frozenset[str] = frozenset()
    # words of a vote, under which "routed", "ousted" name electoral defeat
    contest_words: frozenset[str] = frozenset()

    def lemma(self, tok: Token) -> str:
        """The token's lemma, corrected where the parser's lemmatiser is known to be wrong."""
        lemma = tok.lemma_.lower()
        return self.lemma_corrections.get(lemma, lemma)

    def code(self, type_: str, mode: str | None) -> Code | None:
        """CAMEO code, quad class and intensity of a type/mode, with the type's defaults."""
        t = self.ontology.get(type_)
        if t is None:
            return None
        m = (t.get("modes") or {}).get(mode) if mode else None
        if m is None:
            mode = None
        m = m or {}
        return Code(type=type_, mode=mode, cameo=m.get("cameo") or t.get("cameo"),
                    quad=m.get("quad") or t["quad"],
                    intensity=m.get("intensity", t.get("intensity")))


@cache
def load_event_lexicon(extra_files: tuple[str, ...] = ()) -> EventLexicon:
    """Read the trigger, ontology and label lexicons (and users' additions) once per
    process."""
    triggers = load_lexicon("event_triggers", extra_files)
    ontology = load_lexicon("ontology", extra_files).get("types") or {}
    phrases: dict[str, list[Phrase]] = {}
    for key, entry in (triggers.get("phrases") or {}).items():
        words = tuple(w for w in key.lower().split() if w not in ("a", "an", "the"))
        phrases.setdefault(entry.get("head", words[0]), []).append(Phrase(words, words[0], entry))
    for group in phrases.values():
        group.sort(key=lambda p: -len(p.words))
    nouns, compounds, of_nouns = {}, {}, {}
    for key, entry in (triggers.get("nouns") or {}).items():
        words = tuple(key.lower().split())
        if len(words) == 1:
            nouns[words[0]] = entry
        elif len(words) == 3 and words[1] == "of":
            # the parse hangs "of Y" from X, so "state of siege" is found from its head X
            of_nouns[(words[0], words[2])] = entry
        else:
            compounds.setdefault(words[-1], {})[words[:-1]] = entry
    light = {}
    for key, entry in (triggers.get("light_verbs") or {}).items():
        light[entry.get("head", key.split()[0])] = {**entry, "key": key}
    reversal = {}
    for key, entry in (triggers.get("reversal_verbs") or {}).items():
        reversal[entry.get("head", key.split()[0])] = {**entry, "key": key}
    polarities = load_lexicon("labels", extra_files)
    labels = {word: group["code"] for group in polarities.values()
              for word in group.get("words") or ()}
    return EventLexicon(ontology=ontology, verbs=triggers.get("verbs") or {}, phrases=phrases,
                        nouns=nouns, compounds=compounds, light_verbs=light,
                        reversal_verbs=reversal,
                        lemma_corrections=triggers.get("lemma_corrections") or {},
                        labels=labels, of_nouns=of_nouns,
                        speech_documents=frozenset(triggers.get("speech_documents") or ()),
                        facility_nouns=frozenset(triggers.get("facility_nouns") or ()),
                        contest_words=frozenset(triggers.get("contest_words") or ()))


# -- candidate frames -----------------------------------------------------------------------


@dataclass
class _Frame:
    """A trigger found in the parse, before roles are turned into actors."""

    trigger: list[Token]  # the trigger words, in order
    anchor: Token  # the word whose clause carries tense, modality and roles
    entry: dict[str, Any]
    nominal: Token | None = None  # the trigger noun, for nominal and light-verb events
    target_prep: Token | None = None  # the final preposition of a phrase ("set fire to")
    reverse: bool = False  # light verbs whose subject is the target ("came under attack")
    sources: list[Token] = field(default_factory=list)
    targets: list[Token] = field(default_factory=list)


def extract_events(doc: Doc, document_id: str, resolution: Resolution,
                   places: list[Place], dates: list[DateMention],
                   lexicon: EventLexicon | None = None,
                   cues: CueLexicon | None = None,
                   states: Mapping[str, Actor] | None = None) -> list[Event]:
    """The events of one parsed document.

    ``states`` (ISO alpha-2 -> state actor) lets an attack on a place ("shelled Sinjar")
    take the place's state as its target, as event coders do.
    """
    return _Coder(doc, document_id, resolution, places, dates,
                  lexicon or load_event_lexicon(), cues, states or {}).run()


class _Coder:
    def __init__(self, doc: Doc, document_id: str, resolution: Resolution,
                 places: list[Place], dates: list[DateMention], lexicon: EventLexicon,
                 cues: CueLexicon | None, states: Mapping[str, Actor]) -> None:
        self.doc, self.document_id, self.resolution = doc, document_id, resolution
        self.states = states
        self.places, self.dates, self.lex = places, dates, lexicon
        self.text = doc_text(doc)
        self.cues = cues or load_cues()
        self.attributions = find_attributions(doc, resolution, self.cues)
        self.events: list[Event] = []
        # Conflict triggers with their victims, coded or not, for reading statements.
        self.hostile: list[tuple[Token, set[str]]] = []
        # The last named perpetrator of each nominal trigger ("raid" -> the IDF), for
        # "the raid" when it comes back as the subject of a later clause.
        self.perpetrators: dict[str, Mention] = {}
        cities = Counter(p.name for p in places if p.kind == "city")
        top = cities.most_common(1)[0][0] if cities else None
        self.main_city = next((p for p in places if p.name == top), None)

    def run(self) -> list[Event]:
        used: set[int] = set()  # trigger nouns already coded through a verb
        frames = []
        for tok in self.doc:
            frame = self._verbal_frame(tok)
            if frame is not None:
                frames.append(frame)
                if frame.nominal is not None:
                    used.add(frame.nominal.i)
        for tok in self.doc:
            if tok.i not in used:
                frame = self._nominal_frame(tok)
                if frame is not None:
                    frames.append(frame)
        frames.sort(key=lambda f: f.trigger[0].i)
        for frame in frames:
            self._code(frame)
        self._speech_accusations()
        return self.events

    # -- triggers --------------------------------------------------------------------------

    def _verbal_frame(self, tok: Token) -> _Frame | None:
        if tok.pos_ != "VERB" or _purpose_infinitive(tok):
            return None
        lemma = self.lex.lemma(tok)
        for phrase in self.lex.phrases.get(lemma, ()):
            words = _match_phrase(tok, phrase.words, self.lex)
            if words is not None:
                last = words[-1]
                prep = last if last.dep_ == "prep" or last.pos_ == "ADP" else None
                nominal = self._phrase_object(words, prep)
                return _Frame(words, tok, phrase.entry, target_prep=prep, nominal=nominal)
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
        noun_entry = self._noun_entry(obj) if obj is not None else None
        light = self.lex.light_verbs.get(lemma)
        # "engaged X in a firefight", "took part in the protests": the trigger noun is the
        # object of the light verb's preposition, and a direct object stays the target
        carried = _prep_object(tok, light["preposition"]) if light is not None \
            and light.get("preposition") else obj
        carried_entry = noun_entry if carried is obj else (
            self._noun_entry(carried) if carried is not None else None)
        if carried_entry is not None and light is not None and _particle_ok(tok, light) and (
                not light.get("types") or carried_entry["type"] in light["types"]):
            return _Frame(sorted([tok, carried], key=lambda t: t.i), tok,
                          light.get("code") or carried_entry,
                          nominal=carried, reverse=bool(light.get("reverse_roles")))
        reversal = self.lex.reversal_verbs.get(lemma)
        if noun_entry is not None and reversal is not None and _particle_ok(tok, reversal):
            result = (reversal.get("results") or {}).get(noun_entry["type"])
            if result:
                return _Frame(sorted([tok, obj], key=lambda t: t.i), tok, result, nominal=obj)
        label = self._label(tok, lemma)
        if label is not None:
            return _Frame([tok], tok, label)
        entry = self.lex.verbs.get(lemma)
        if entry is None:
            return None
        if not entry.get("also_cue") and (any(a.cue == tok for a in self.attributions) or (
                lemma in self.cues.verbs and as_predicate(tok))):
            return None  # "a group called X", "what Y has called X" label; no phone call
        if _GOVERNORS.get(lemma) in ("planned", "negated") and any(
                c.dep_ == "xcomp" for c in tok.children):
            return None  # "seeks to combine", "refused to fight": the complement is the event
        if entry.get("needs_actor_object") and not self._actor_object(tok):
            return None  # "called the threat ...": no one was called
        if entry.get("not_with_clause") and any(c.dep_ == "ccomp" for c in tok.children):
            return None  # "the vote demonstrated that ...": showed, no protest
        return _Frame([tok], tok, entry)

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
        if cue is None or cue.get("cue_type") not in _CHARACTERISING_CUES \
                or "as_pred" not in (cue.get("patterns") or cue.get("takes") or ()):
            return None
        for pred in as_predicate(verb):
            head = _pobj(pred) if pred.dep_ == "prep" else pred
            for word in _label_words(head):
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
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        lemma, low = tok.lemma_.lower(), tok.lower_
        mods = tuple(c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")
                     and c.i < tok.i)
        for head in (lemma, low):
            for modifiers, entry in self.lex.compounds.get(head, {}).items():
                if mods[-len(modifiers):] == modifiers:
                    return entry
        of_object = _pobj(next((c for c in tok.children
                                if c.dep_ == "prep" and c.lower_ == "of"), None))
        if of_object is not None:
            for key in ((lemma, of_object.lemma_.lower()), (lemma, of_object.lower_)):
                if key in self.lex.of_nouns:
                    return self.lex.of_nouns[key]
        return self.lex.nouns.get(lemma) or self.lex.nouns.get(low)

    def _nominal_frame(self, tok: Token) -> _Frame | None:
        entry = self._noun_entry(tok)
        if entry is None or tok.ent_type_ in _NAME_ENTITIES or \
                self.resolution.mention_at(tok.idx, _end(tok)) is not None:
            return None  # "Popular Mobilisation Forces", "Saairun Alliance" are names
        return _Frame([tok], tok, entry, nominal=tok)

    # -- coding ----------------------------------------------------------------------------

    def _code(self, frame: _Frame) -> None:
        entry = frame.entry
        code = self.lex.code(entry["type"], entry.get("mode"))
        if code is None:
            return
        if self._generic(frame):
            return  # "whichever sponsor is willing to arm the group": nothing happened
        sources, targets = self._roles(frame)
        if entry.get("contest") and self._electoral(frame, sources + targets):
            return  # "party X was routed by party Y" in a vote: ballots, not violence
        if not targets and code.quad == "material_conflict":
            targets = self._place_state_target(frame, sources)
        code = self._refine(code, frame)
        if code.quad.endswith("conflict"):
            self.hostile.append((frame.trigger[0], {t.actor for t in targets}))
        if frame.nominal is not None and sources:
            self.perpetrators[self.lex.lemma(frame.nominal)] = sources[0]
        pairs = [(s, t) for s in sources or [None] for t in targets or [None]]
        for source, target in pairs:
            src = source.actor if source else None
            tgt = target.actor if target else None
            if src is None and tgt is None or src == tgt:
                continue
            if src is None and code.quad.startswith("verbal"):
                continue  # words nobody is named for ("many described ...") are no stance
            if frame.anchor == frame.nominal and (src is None or tgt is None):
                continue  # a bare noun ("the war", "his coalition") is mostly background
            self._emit(frame, code, src, tgt, [m for m in (source, target) if m])

    def _generic(self, frame: _Frame) -> bool:
        """Whether the trigger's subject, or the noun its clause describes, is no one in
        particular: "whichever sponsor is willing to arm the group", "no militia too brutal
        for the US to ally with" state what kind of thing happens, not an event.
        An object is left alone: "rejected any talks" is a rejection of talks."""
        verb = frame.anchor
        if verb.pos_ not in ("VERB", "AUX"):
            return False
        words = [_verb_subject(verb, self.lex.speech_documents)]
        if verb.dep_ in _MODIFIER_CLAUSES:
            words.append(verb.head)  # the noun the clause describes
        elif any(c.dep_ == "prep" and not any(c.children) for c in verb.children):
            # a stranded preposition's object is the noun before the clause: "no group
            # too brutal for the US to ally with"
            first = min(t.i for t in verb.subtree)
            words.append(next((t for t in reversed(self.doc[verb.sent.start:first])
                               if t.pos_ in ("NOUN", "PROPN", "PRON")), None))
        return any(w is not None and (w.lower_ in _NONSPECIFIC_PRONOUNS or any(
            c.dep_ == "det" and c.lower_ in _NONSPECIFIC_DETERMINERS for c in w.children))
            for w in words)

    def _electoral(self, frame: _Frame, roles: list[Mention]) -> bool:
        """Whether a contest verb speaks of a vote: its sentence names one and no armed
        body takes part ("militias routed the army before the elections" is a battle)."""
        sent = frame.anchor.sent
        if not any(self.lex.lemma(t) in self.lex.contest_words
                   or t.lower_ in self.lex.contest_words for t in sent):
            return False
        sectors = {m.sector or getattr(self.resolution.actors.get(m.actor), "sector", None)
                   for m in roles}
        return not sectors & _ARMED_SECTORS

    def _place_state_target(self, frame: _Frame, sources: list[Mention]) -> list[Mention]:
        """An attack on a place hits the state it lies in: "Turkey shelled Sinjar" -> Iraq.

        Only places in the object slot or after against/on/at/into count ("fought in Basra"
        says where, not whom), and never the source's own state.
        """
        objects = [c for c in frame.anchor.children if c.dep_ == "dobj"]
        objects += [p for o in objects for c in o.children
                    if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                    if p.dep_ == "pobj"]  # "occupies part of X"
        objects += [p for c in frame.anchor.children if c.dep_ == "prep"
                    and c.lower_ in _PLACE_TARGET_PREPS for p in c.children if p.dep_ == "pobj"]
        for tok in objects:
            place = next((p for p in self.places if p.start <= tok.idx < p.end), None)
            state = self.states.get(place.country) if place and place.country else None
            if state is None or any(s.actor == state.id for s in sources):
                continue
            self.resolution.actors.setdefault(state.id, replace(state, aliases=[state.name]))
            return [Mention(document=self.document_id, start=place.start, end=place.end,
                            text=self.text[place.start:place.end], actor=state.id,
                            rule="place")]
        return []

    def _refine(self, code: Code, frame: _Frame) -> Code:
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

    def _request_object(self, frame: _Frame) -> Token | None:
        if frame.target_prep is not None:
            return next((c for c in frame.target_prep.children if c.dep_ == "pobj"), None)
        return next((c for c in frame.anchor.children if c.dep_ == "dobj"), None)

    def _roles(self, frame: _Frame) -> tuple[list[Mention], list[Mention]]:
        anchor, nominal = frame.anchor, frame.nominal
        sources: list[Mention] = []
        targets: list[Mention] = []
        if nominal is not None and nominal == anchor:
            sources, targets = self._nominal_roles(nominal)
        else:
            sources, targets = self._verb_roles(anchor, frame)
            if not sources and nominal is None:
                sources = self._cause_sources(anchor, frame)
            if nominal is not None:
                n_sources, n_targets = self._nominal_roles(nominal)
                if sources and not targets:
                    # "Iran brokered a truce between X and Y": a third party acts on both
                    targets = self._between(nominal, pairs_only=False)
                targets = targets or n_targets
                sources = sources or n_sources
            if frame.reverse:
                if not targets:  # "faces pressure from Congress", "received aid from X"
                    targets = self._actors(_prep_object(anchor, "from")) or (
                        self._actors(_prep_object(nominal, "from")) if nominal else [])
                sources, targets = targets, sources
        return _unique(sources), _unique([t for t in targets if t not in sources])

    def _cause_sources(self, verb: Token, frame: _Frame) -> list[Mention]:
        """The perpetrators of a violent verb named only through the attack that did it:
        "four children were killed in Israeli tank shelling" -> Israel, "wounded in an air
        strike by the coalition" -> the coalition. Only violence explains violence here, so
        "killed in a crash" or "arrested in a protest" give nobody."""
        code = self.lex.code(frame.entry["type"], frame.entry.get("mode"))
        if code is None or code.quad != "material_conflict" or frame.entry["type"] == "PROTEST":
            return []
        for prep in verb.children:
            if prep.dep_ not in ("prep", "agent") or prep.lower_ not in _CAUSE_PREPS:
                continue
            noun = _pobj(prep)
            entry = self._noun_entry(noun) if noun is not None else None
            if entry is not None and entry["type"] == "ASSAULT":
                return self._nominal_roles(noun)[0]
        return []

    def _verb_roles(self, verb: Token, frame: _Frame) -> tuple[list[Mention], list[Mention]]:
        # "Americans killed by X"; "the offensive, praised by X, stalled": a bare participle
        # is passive ("the fact that Sadr has developed ..." is a perfect, not a participle),
        # and one with a "by" agent is passive wherever the parser hangs it
        bare = not any(c.dep_ in ("nsubj", "aux") for c in verb.children)
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
            verb.tag_ == "VBN" and (verb.dep_ == "acl" and bare
                                    or any(c.dep_ == "agent" for c in verb.children)))
        subject = _verb_subject(verb, self.lex.speech_documents)
        sources: list[Mention] = []
        targets: list[Mention] = []
        obj = next((c for c in verb.children if c.dep_ == "dobj"
                    and not c.lower_.endswith(("self", "selves"))), None)
        # "the raid was meant to punish X": whoever carried out the raid acts
        doer = self._actors(subject) if subject is None or not self._definite_event(subject) \
            else self._perpetrator(subject)
        if passive:
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent is not None:
                sources = self._actors(_pobj(agent))
            targets = doer
        else:
            sources = doer
            if obj is not None and obj != frame.nominal and not (
                    frame.target_prep is not None and obj in frame.trigger):
                targets = self._actors(obj)  # but "opened its borders to X" targets X
        if frame.target_prep is not None:
            targets = targets or self._actors(_pobj(frame.target_prep))
        for prep in (c for c in verb.children if c.dep_ == "prep"):
            if prep.lower_ == "between":
                pair = self._actors(_pobj(prep))
                if len(pair) >= 2 and not sources:
                    sources, targets = pair[:1], pair[1:]
            elif prep.lower_ in _TARGET_PREPS and not targets and prep not in frame.trigger:
                if prep.lower_ == "to" and any(c.dep_ == "dobj" and self._actors(c)
                                               for c in verb.children):
                    # "welcomed the group to Iraq": a destination, not a target; but a
                    # thing given ("supplied arms to Israel") goes to its recipient
                    continue
                targets = self._actors(_pobj(prep))
        if not passive and not targets and obj is not None and obj not in frame.trigger:
            # "supplied rifles to Ukraine", parsed with "to" under the thing given
            targets = self._actors(_prep_object(obj, "to"))
        return sources, targets

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
            a.left_edge.idx <= m.start < _end(a.right_edge) for a in appositives)]
        if own:
            return own
        earlier = self.perpetrators.get(self.lex.lemma(noun))
        if earlier is None:
            return []
        return [replace(earlier, start=noun.idx, end=_end(noun), text=noun.text,
                        rule="event")]

    def _nominal_roles(self, noun: Token) -> tuple[list[Mention], list[Mention]]:
        sources: list[Mention] = []
        targets: list[Mention] = []
        for child in noun.children:
            if child.dep_ == "poss":
                sources = self._actors(child)
            elif child.dep_ in ("compound", "amod", "nmod") and child.i < noun.i and not sources:
                sources = [m for m in self._actors(child, own_only=True)
                           if not hyphenated(self.text, m)]
        pair = self._between(noun)
        if pair:
            sources, targets = pair[:1], pair[1:]
        for child in noun.children:
            low = child.lower_
            if child.dep_ == "prep" and low == "by" and not sources:
                sources = self._actors(_pobj(child))
            elif child.dep_ == "acl":
                agent = next((c for c in child.children if c.dep_ == "agent"), None)
                if agent is not None and not sources:
                    sources = self._actors(_pobj(agent))
            elif child.dep_ == "prep" and low in _TARGET_PREPS and not targets:
                targets = self._actors(_pobj(child))
            elif child.dep_ == "prep" and low == "of" and not targets:
                entry = self._noun_entry(noun)
                if entry and entry["type"] in _PATIENT_OF_TYPES:
                    targets = self._actors(_pobj(child))
        return sources, targets

    def _between(self, head: Token, pairs_only: bool = True) -> list[Mention]:
        """The parties of "between X and Y" hanging from ``head``: both, or none when only
        one is an actor; unless ``pairs_only`` is off (a third party acts on each of them)."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "between":
                pair = self._actors(_pobj(child))
                if len(pair) >= 2 or not pairs_only:
                    return pair
        return []

    def _actors(self, tok: Token | None, own_only: bool = False) -> list[Mention]:
        """The actors a role word names, one per coordinated conjunct."""
        if tok is None:
            return []
        out = []
        for t in [tok, *tok.conjuncts]:
            focus = _cleft_focus(t) if t.dep_ == "nsubj" else None
            if focus is not None:
                t = focus
            elif t.lower_ in _RELATIVE_PRONOUNS and t.head.dep_ in ("relcl", "acl"):
                t = t.head.head  # "Maliki, who ordered ..." -> Maliki
            if t.tag_ == "PRP$" or (t.pos_ == "PRON" and t.dep_ == "poss"):
                found = self._possessive(t)
            elif own_only:
                found = self.resolution.mention_at(t.idx, _end(t))
            else:
                found = noun_phrase_actor(t, self.resolution)
                poss = next((c for c in t.children if c.dep_ == "poss" and c.tag_ == "PRP$"), None)
                if found is None and poss is not None:
                    found = self._possessive(poss)  # "his followers" -> whoever "his" is
                if found is None and self.lex.lemma(t) in self.lex.facility_nouns:
                    found = self._facility_owner(t)
            if found is not None:
                out.append(found)
        return out

    def _facility_owner(self, facility: Token) -> Mention | None:
        """Whom a clause on a building ties it to: "a clinic that serves members of the
        PMF" -> the PMF, "a school run by UNRWA" -> UNRWA. Clauses nested deeper ("...
        those who fought ISIS") describe other people and are not read."""
        for clause in (c for c in facility.children if c.dep_ in _MODIFIER_CLAUSES):
            agent = next((c for c in clause.children if c.dep_ == "agent"), None)
            words = [_pobj(agent)] if agent is not None else []
            words += [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")
                      and c.lower_ not in _RELATIVE_PRONOUNS]
            words += [_pobj(c) for c in clause.children
                      if c.dep_ == "prep" and c.lower_ in ("to", "for", "of")]
            for word in words:
                found = noun_phrase_actor(word, self.resolution) if word is not None else None
                if found is not None:
                    return found
        return None

    def _possessive(self, pronoun: Token) -> Mention | None:
        """"its"/"their" -> the nearest preceding non-person actor; "his"/"her" -> a person."""
        wants_person = pronoun.lower_ in ("his", "her")
        sentence = pronoun.sent
        lo = self.doc[max(0, sentence.start - 1)].sent.start_char
        for m in reversed(self.resolution.mentions):
            if m.start >= pronoun.idx or m.start < lo or m.rule == "pronoun":
                continue
            actor = self.resolution.actors.get(m.actor)
            if actor is None:
                continue
            if (actor.kind == "person") == wants_person:
                return m
        return None

    # -- output ----------------------------------------------------------------------------

    def _emit(self, frame: _Frame, code: Code, source: str | None, target: str | None,
              roles: list[Mention]) -> Event:
        anchor = frame.anchor
        sent = anchor.sent
        start, end = self._span(frame, roles)
        negated, modality = self._modality(frame)
        attribution = self._attribution_of(frame.trigger[0])
        reported_by = []
        if attribution is not None:
            speaker = [attribution.actor] if attribution.actor else []
            reported_by = [*attribution.chain(), *speaker]
            if modality == "asserted":
                modality = "denied" if attribution.negates else "reported"
        place, placed_here = self._place(frame, start, end)
        confidence = NOMINAL_CONFIDENCE if frame.anchor == frame.nominal else 1.0
        if frame.anchor != frame.nominal and _subordinate(frame.anchor, self.lex):
            confidence = SUBORDINATE_CONFIDENCE
        if place is not None and not placed_here:
            confidence = min(confidence, FALLBACK_PLACE_CONFIDENCE)
        first, last = frame.trigger[0], frame.trigger[-1]
        event = Event(
            id=f"{self.document_id}:e{len(self.events) + 1}", document=self.document_id,
            start=start, end=end, sentence=sent.text.strip(),
            trigger=self.text[first.idx:_end(last)], type=code.type, quad=code.quad,
            source=source, target=target, mode=code.mode, cameo=code.cameo, negated=negated,
            modality=modality, place=place.as_event_place() if place else None,
            date=self._date(start, end, sent, anchor), reported_by=reported_by,
            confidence=confidence, intensity=code.intensity,
            trigger_start=first.idx, trigger_end=_end(last))
        self.events.append(event)
        return event

    def _span(self, frame: _Frame, roles: list[Mention]) -> tuple[int, int]:
        """The trigger's clause, stretched over the role mentions in the same sentence."""
        head = frame.nominal if frame.nominal == frame.anchor else frame.anchor
        tokens = _clause_tokens(head)
        sent = frame.anchor.sent
        start = min(t.idx for t in tokens)
        end = max(_end(t) for t in tokens)
        for m in roles:
            if sent.start_char <= m.start and m.end <= sent.end_char:
                start, end = min(start, m.start), max(end, m.end)
        return start, end

    def _modality(self, frame: _Frame) -> tuple[bool, str]:
        negated, modality = False, "asserted"
        node = frame.anchor if frame.anchor.pos_ in ("VERB", "AUX") else frame.anchor.head
        nominal_only = frame.anchor == frame.nominal
        for _ in range(4):
            if not nominal_only or node != frame.anchor:
                for c in node.children:
                    if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in _NEGATORS):
                        negated = True
                    elif c.dep_ == "aux" and c.lower_ in _PLANNED_AUX and modality == "asserted":
                        modality = "planned"
                    elif c.dep_ == "aux" and c.lower_ in _HYPOTHETICAL_AUX:
                        modality = "hypothetical"
                    elif c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL_MARKS:
                        modality = "hypothetical"
            if node.dep_ not in ("xcomp", "acomp") and not (nominal_only and node == frame.anchor):
                break
            governor = node.head
            effect = _GOVERNORS.get(governor.lemma_.lower())
            if effect == "negated":
                negated = True
            elif effect and modality == "asserted":
                modality = effect
            node = governor
        return negated, modality

    def _attribution_of(self, tok: Token) -> Attribution | None:
        inside = [a for a in self.attributions if a.contains(tok.idx, _end(tok))]
        return min(inside, key=lambda a: a.content_end - a.content_start) if inside else None

    def _place(self, frame: _Frame, start: int, end: int) -> tuple[Place | None, bool]:
        sent = frame.anchor.sent
        # A place that is also an actor mention ("Turkey launched", "the US") is an actor
        # here; and a city or site says more about where than a country does.
        in_sentence = sorted(
            (p for p in self.places if sent.start_char <= p.start < sent.end_char
             and self.resolution.mention_at(p.start, p.end) is None),
            key=lambda p: p.kind in _BROAD_PLACES)
        for p in in_sentence:
            tok = self._token_at(p.start)
            if tok is not None and _attached_by_place_prep(tok, frame.anchor):
                return p, True
        in_clause = [p for p in in_sentence if start <= p.start < end]
        if in_clause:
            return in_clause[0], True
        if in_sentence:
            return min(in_sentence, key=lambda p: (p.kind in _BROAD_PLACES,
                                                   abs(p.start - frame.anchor.idx))), True
        return self.main_city, False

    def _date(self, start: int, end: int, sent: Span, anchor: Token) -> str | None:
        dated = [d for d in self.dates if d.value]
        in_clause = [d for d in dated if start <= d.start < end]
        if in_clause:
            return in_clause[0].value
        in_sentence = [d for d in dated if sent.start_char <= d.start < sent.end_char]
        if in_sentence:
            return min(in_sentence, key=lambda d: abs(d.start - anchor.idx)).value
        return None

    def _token_at(self, char: int) -> Token | None:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.root if span is not None else None

    # -- statements as accusations ---------------------------------------------------------

    def _speech_accusations(self) -> None:
        """A speaker asserting a hostile act by another actor accuses that actor."""
        code = self.lex.code("ACCUSE", "allege")
        if code is None:
            return
        for att in self.attributions:
            if att.actor is None or att.via_quote or att.negates \
                    or att.cue_type not in _ACCUSING_CUES:
                continue
            if any(e.trigger_start == att.cue.idx for e in self.events):
                continue  # the cue is an event verb itself ("accused", "condemned")
            accused = self._accused(att)
            if accused is None:
                continue
            cue = att.cue
            frame = _Frame([cue], cue, {"type": code.type, "mode": code.mode})
            event = self._emit(frame, code, att.actor, accused, [])
            event.start, event.end = att.span_start, att.span_end
            event.modality = "asserted"
            event.reported_by = att.chain()

    def _accused(self, att: Attribution) -> str | None:
        inner = [e for e in self.events if e.trigger_start is not None
                 and att.contains(e.trigger_start, e.trigger_end or 0)]
        for e in inner:
            if e.quad.endswith("conflict") and e.source and e.source != att.actor:
                return e.source
        hostile = [(t, v) for t, v in self.hostile if att.contains(t.idx, _end(t))]
        if not hostile:
            return None
        # No named perpetrator: the named actor nearest the hostile act ("the greatest
        # threats to America: Al-Qaeda and Iran"), not a generic group or the victim.
        anchor = hostile[0][0].idx
        victims = set().union(*(v for _, v in hostile))
        named = [m for m in self.resolution.mentions if att.contains(m.start, m.end)
                 and m.actor not in (att.actor, *victims) and m.rule != "group"]
        return min(named, key=lambda m: abs(m.start - anchor)).actor if named else None


# -- parse helpers --------------------------------------------------------------------------


def _match_phrase(head: Token, words: tuple[str, ...], lex: EventLexicon) -> list[Token] | None:
    """The tokens of a phrase starting at its head verb, words in order, a few words apart."""
    if lex.lemma(head) != words[0]:
        return None
    found = [head]
    i = head.i
    sent_end = head.sent.end
    for word in words[1:]:
        # up to three words may intervene ("held Iran responsible", "set the building on fire")
        nxt = next((t for t in head.doc[i + 1:min(i + 5, sent_end)]
                    if word in (t.lower_, lex.lemma(t))), None)
        if nxt is None or nxt.sent != head.sent:
            return None
        found.append(nxt)
        i = nxt.i
    if any(t.head != head and t.head not in found and t != head for t in found[1:]):
        return None  # the words must hang together, not merely follow each other
    last = found[-1]
    if last.pos_ == "ADP" and any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME")
                                  for c in last.children):
        return None  # "called Erdogan on Monday" is no "call on": a date is no one's target
    return found


def _subordinate(verb: Token, lex: EventLexicon) -> bool:
    """A verb in a clause that describes a noun ("the men, who were arrested in May, ..."),
    under a sentence with a verb of its own. A sentence whose root is a noun ("The Iraqi
    air force carried out strikes", misparsed as a reduced relative) has no other main
    verb, and "a statement calling on X" is the news itself."""
    return verb.dep_ in _MODIFIER_CLAUSES and verb.sent.root.pos_ in ("VERB", "AUX") \
        and verb.head.lemma_.lower() not in lex.speech_documents


def _prep_object(verb: Token, preposition: str) -> Token | None:
    """The object of ``preposition`` hanging from ``verb`` ("engaged in clashes")."""
    return _pobj(next((c for c in verb.children
                       if c.dep_ == "prep" and c.lower_ == preposition), None))


def _particle_ok(verb: Token, entry: dict[str, Any]) -> bool:
    particle = entry.get("particle")
    return particle is None or any(c.lower_ == particle for c in verb.children)


def _verb_subject(verb: Token, documents: frozenset[str] = frozenset()) -> Token | None:
    """The subject of a verb: its own, a relative clause's antecedent, a participle's noun
    (the issuer of a statement, report or letter in ``documents``, for a participle hanging
    from one), or the subject of the verb it is coordinated with or the complement of."""
    stranded = _stranded_subject(verb)
    if stranded is not None:
        return stranded
    node = verb
    for _ in range(5):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            # "the terrorists, an Arab separatist group called X, took ...": the most
            # specific of several subjects is the named one further right
            return max(subjects, key=lambda c: (names_someone(c), -c.i))
        if node.dep_ == "relcl" and any(c.dep_ in ("dobj", "pobj") and c.lower_ in
                                        _RELATIVE_PRONOUNS for c in node.children):
            return None  # "the group which many described": the antecedent is the object
        if node.dep_ == "acl" and node.head.lemma_.lower() in documents \
                and node.head.dep_ in ("dobj", "nsubjpass") and node.head.head.pos_ == "VERB":
            # "HRW issued a statement calling on X": the statement speaks for its issuer
            node = node.head.head
            continue
        if node.dep_ in ("relcl", "acl"):
            return node.head
        host = _participle_host(node)
        if host is not None:
            return host
        if node.dep_ == "xcomp":
            controller = next((c for c in node.head.children if c.dep_ == "dobj"), None)
            if controller is not None:
                return controller  # "encouraged the group to wage attacks": the group wages
        if node.dep_ == "pcomp" and node.head.pos_ == "ADP":
            controller = next((c for c in node.head.head.children if c.dep_ == "dobj"), None)
            if controller is not None:
                return controller  # "stopped the group from committing attacks", "accused X of"
        if node.dep_ in ("conj", "xcomp", "advcl", "pcomp", "acomp") and node.head != node:
            node = node.head
            if node.pos_ == "ADP":
                node = node.head
            continue
        return None
    return None


def _stranded_subject(verb: Token) -> Token | None:
    """The subject the parser conjoined into the phrase before it: in "a drone fired missiles
    in Basra and Iraqi troops battled in Sadr City", "troops" hangs from "Basra", and
    "battled" gets a distant subject or none. A noun directly before a finite verb, joined
    by "and" to an object, is that verb's subject."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i == 0:
        return None
    noun = verb.doc[verb.i - 1]
    if noun.dep_ != "conj" or noun.pos_ not in ("NOUN", "PROPN") \
            or noun.head.dep_ not in ("pobj", "dobj"):
        return None
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return noun if all(c.i < noun.head.i for c in own) else None


def _purpose_infinitive(verb: Token) -> bool:
    """An infinitive naming a goal ("their commitment to topple X", "its objective is to take
    over X"): an aim someone holds, not an act."""
    if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children):
        return False
    head = verb.head
    return (verb.dep_ == "acl" and head.pos_ == "NOUN") or (
        verb.dep_ == "xcomp" and head.lemma_ == "be")


def _label_words(head: Token | None) -> list[Token]:
    """The words of a predicate that can carry a label: its head and modifiers, each
    conjunct's, and through "of" after a superlative or quantifier ("the worst of outlaws")."""
    if head is None:
        return []
    out = []
    for noun in [head, *head.conjuncts]:
        out.append(noun)
        out += [c for c in noun.children if c.dep_ in ("amod", "compound")]
        if noun.pos_ in ("ADJ", "NUM", "PRON") or noun.tag_ == "JJS":
            of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            out += _label_words(_pobj(of)) if of is not None else []
    return out


def _participle_host(verb: Token) -> Token | None:
    """The noun a passive participle set off by commas describes ("the offensive, praised by
    Bush, stalled"), which the parser often hangs from the main verb as an adverbial."""
    if verb.dep_ != "advcl" or verb.tag_ != "VBN":
        return None
    before = verb.left_edge.i - 1
    if before < 1 or verb.doc[before].text != ",":
        return None
    noun = verb.doc[before - 1]
    return noun if noun.pos_ in ("NOUN", "PROPN") else None


def _cleft_focus(tok: Token) -> Token | None:
    """The focus of a cleft: "it was Iran that brokered ..." -> Iran, for the pronoun "that"."""
    clause = tok.head
    copula = clause.head
    if tok.lower_ not in ("that", "who") or clause.dep_ not in ("ccomp", "relcl") \
            or copula.lemma_ != "be":
        return None
    if not any(c.dep_ == "nsubj" and c.lower_ == "it" for c in copula.children):
        return None
    return next((c for c in copula.children if c.dep_ == "attr"), None)


def _pobj(prep: Token | None) -> Token | None:
    if prep is None:
        return None
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)


def _clause_tokens(head: Token) -> list[Token]:
    """``head``'s subtree without the clauses hanging off it."""
    cut = [c for c in head.children if c.dep_ in _CLAUSE_BREAKS]
    out = [t for t in head.subtree
           if not any(c.left_edge.i <= t.i <= c.right_edge.i for c in cut) and not t.is_punct]
    return out or [head]


def _attached_by_place_prep(tok: Token, anchor: Token) -> bool:
    """A place word governed by in/at/... that hangs from the trigger or its object."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ not in _PLACE_PREPS:
        prep = tok.head.head if tok.head.dep_ == "pobj" else prep
        if prep.lower_ not in _PLACE_PREPS:
            return False
    host = prep.head
    return host == anchor or host.head == anchor


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in mentions:
        if m.actor not in seen:
            seen.add(m.actor)
            out.append(m)
    return out


def _end(tok: Token) -> int:
    return tok.idx + len(tok.text)
