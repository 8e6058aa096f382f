"""The event coder: candidates -> roles -> events with modality, place and date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from spacy.tokens import Doc, Token

from ..actors import Resolution
from ..claims import Attribution, CueLexicon, doc_text, find_attributions, load_cues
from ..intervals import IntervalIndex
from ..parse import token_sentence, token_tags
from ..types import Actor, DateMention, Event, Mention, Place
from .candidates import CandidateFinder, Frame
from .dating import date_of
from .lexicon import Code, EventLexicon, load_event_lexicon
from .modality import attribution_of, declared_future, modality_of, refused
from .placement import place_of
from .role_model import RoleFrame, RoleModel, load_role_model
from .roles import RoleFinder
from .salience import SalienceModel, anchor_of, load_salience_model
from .syntax import (
    ACCUSING_CUES,
    CAUSE_PREPS,
    ENDORSING_CUES,
    NOMINAL_CONFIDENCE,
    SUBORDINATE_CONFIDENCE,
    clause_tokens,
    end_char,
    pobj,
    prep_object,
    subordinate,
    unique,
)
from .typing_model import (
    BLOCKS,
    OPEN,
    OPEN_CODE,
    Candidate,
    CandidateVectors,
    EventModel,
    candidate_features,
    load_event_model,
)

#: Hostile acts whose declaration is a threat, by type: mode of the act -> mode of the
#: threat ("" for any other mode).
THREATENED_MODES = {
    "ASSAULT": {"": "military", "blockade": "blockade", "occupy": "occupy", "wmd": "wmd",
                "nuclear": "wmd"},
    "COERCE": {"": "repression"},
    "SANCTION": {"": "sanctions"},
}
#: Sectors of a state's own bodies: what they do to a road is a restriction, no protest.
STATE_SECTORS = frozenset({"GOV", "MIL", "COP"})
#: Modals that make a statement's clause something its subject is told to do.
OBLIGATION_AUX = frozenset({"must", "should"})


def extract_events(doc: Doc, document_id: str, resolution: Resolution,
                   places: list[Place], dates: list[DateMention],
                   lexicon: EventLexicon | None = None,
                   cues: CueLexicon | None = None,
                   states: Mapping[str, Actor] | None = None,
                   model: EventModel | None = None,
                   roles: RoleModel | None = None,
                   salience: SalienceModel | Literal[False] | None = None) -> list[Event]:
    """The events of one parsed document: the rules' candidates, their roles chosen by the
    role model (``roles``, default the shipped one), typed and kept by the learned model
    (``model``, default the shipped one), each given its ``salience`` in its sentence by
    ``salience`` (default the shipped model; False: none).

    ``states`` (ISO alpha-2 -> state actor) lets an attack on a place ("shelled Sinjar")
    take the place's state as its target, as event coders do.
    """
    lexicon = lexicon or load_event_lexicon()
    model = model or load_event_model()
    candidates = find_candidates(doc, document_id, resolution, places, dates, lexicon, cues,
                                 states, open_candidates=model.typer is not None, roles=roles,
                                 blocks=model.blocks)
    events = aim_at_intended_targets(doc, model.decide(candidates, lexicon))
    events = drop_partial_tellings(doc, events)
    salience = load_salience_model() if salience is None else salience
    if salience:
        origin = {id(c.event): c for c in candidates}
        salience.apply(doc, events, [origin.get(id(e)) for e in events])
    for i, event in enumerate(events, 1):
        event.id = f"{document_id}:e{i}"
    return events


def aim_at_intended_targets(doc: Doc, events: list[Event]) -> list[Event]:
    """An act someone intends, threatens, agrees or refuses to do is aimed at whom the act
    is: "the Taliban threatened to attack US troops" is a threat to the troops. Likewise an
    act is aimed at whom the acts it carries inside its own clause are: its purpose ("donated
    ventilators to assist Ethiopia"), what it consists of ("opened an investigation into
    X", "accepted a formula for settling the dispute with X") or what it accompanies
    ("filed a lawsuit, accusing X"). An event with no target whose trigger governs (see
    ``_lends_target``) another event of the same source with a target takes that target
    (the most confident one's). Which events exist does not change."""
    anchors = [anchor_of(doc, e) for e in events]
    for event, anchor in zip(events, anchors, strict=True):
        if event.target is not None or event.source is None or anchor is None:
            continue
        inner = [e for e, a in zip(events, anchors, strict=True)
                 if e is not event and a is not None and e.source == event.source
                 and e.target is not None and _lends_target(anchor, a)]
        if inner:
            event.target = max(inner, key=lambda e: e.confidence).target
    return events


def drop_partial_tellings(doc: Doc, events: list[Event]) -> list[Event]:
    """The events less those that tell part of another, fuller event of their clause: an
    event with one role empty whose trigger governs or hangs under the trigger of a more
    confident event that fills both roles and agrees with it on the role it fills, with no
    clause of its own between them. "The forces seized missiles and took the commanders
    into custody": the seizure names no one it was done to beside the arrest of the
    commanders; "X supported and facilitated an attack on Y": the support is the
    facilitation told without its beneficiary. Run after the intended targets are lent (an
    intended act's target is not missing)."""
    anchors = [anchor_of(doc, e) for e in events]

    def told_by(k: int) -> bool:
        event, anchor = events[k], anchors[k]
        if anchor is None or (event.source is None) == (event.target is None):
            return False
        return any(
            other.source is not None and other.target is not None
            and other.confidence > event.confidence and other.trigger_start != event.trigger_start
            and event.source in (None, other.source) and event.target in (None, other.target)
            and head is not None and head.sent == anchor.sent
            and (_within_clause(head, anchor) or _within_clause(anchor, head))
            for other, head in zip(events, anchors, strict=True))

    return [e for k, e in enumerate(events) if not told_by(k)]


def _within_clause(head: Token, token: Token) -> bool:
    """Whether ``token`` lies under ``head`` in the parse with no clause of its own on the
    way: no word from ``token`` up to (not including) ``head`` has a subject or a
    subordinating conjunction ("withdrew after it bombed X": the bombing is another act)."""
    if token == head or not head.is_ancestor(token):
        return False
    while token != head:
        if any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl", "mark") and c.lower_ != "to"
               for c in token.children):
            return False
        token = token.head
    return True


#: Relations by which an act's own parts hang from its trigger: open and adverbial clauses
#: with no subject of their own, the object, the prepositional phrases and a noun's clause.
LENDING_DEPS = frozenset({"xcomp", "advcl", "acl", "dobj", "prep", "pobj", "pcomp"})
#: Longest chain of such relations read.
LENDING_STEPS = 4


def _lends_target(head: Token, token: Token) -> bool:
    """Whether ``token`` hangs from ``head`` by a chain of at most ``LENDING_STEPS``
    ``LENDING_DEPS`` arcs none of which opens a clause of its own: no word on the way has a
    subject ("after Hamas attacked Israel" is another act, not part of this one) or a
    subordinating conjunction ("because", "after"), which link separate acts."""
    for _ in range(LENDING_STEPS):
        if token.dep_ not in LENDING_DEPS or token.head.i == token.i:
            return False
        if any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl", "mark") and c.lower_ != "to"
               for c in token.children):
            return False
        token = token.head
        if token == head:
            return True
    return False


def find_candidates(doc: Doc, document_id: str, resolution: Resolution,
                    places: list[Place], dates: list[DateMention],
                    lexicon: EventLexicon | None = None, cues: CueLexicon | None = None,
                    states: Mapping[str, Actor] | None = None,
                   open_candidates: bool = True,
                   roles: RoleModel | Literal[False] | None = None,
                   role_log: list[RoleFrame] | None = None,
                   blocks: Sequence[str] = BLOCKS) -> list[Candidate]:
    """The rules' candidate events of one document, each with its parse features.

    ``open_candidates`` adds the clause verbs no lexicon entry knows, with an actor in a
    role, as candidates of type OPEN for the learned model to type or reject: among them
    the verbs the lexicon knows but its rules turned down and the speech verbs that report
    nothing, flagged (``Frame.flags``); and it keeps a coded verb nobody is named for
    ("seventeen people were killed") as a candidate with no roles, flagged ``no_actor``.
    ``roles`` chooses sources and targets (default: the shipped role model; False, or none
    shipped: the rules alone, as the role model's training reads them); ``role_log``, when
    given, receives every candidate's (trigger, mention) rows, for training the role model.
    ``blocks`` names the dense vectors each candidate
    carries (default all, for training; the event stage reads only its models' blocks).
    """
    coder = _Coder(doc, document_id, resolution, places, dates,
                   lexicon or load_event_lexicon(), cues, states or {})
    coder.open_candidates = open_candidates
    coder.role_model = (load_role_model() if roles is None else roles) or None
    coder.role_log = role_log
    coder.vectors = CandidateVectors(doc, blocks)
    coder.run()
    return coder.candidates


class _Coder(CandidateFinder, RoleFinder):
    def __init__(self, doc: Doc, document_id: str, resolution: Resolution,
                 places: list[Place], dates: list[DateMention], lexicon: EventLexicon,
                 cues: CueLexicon | None, states: Mapping[str, Actor]) -> None:
        self.doc, self.document_id, self.resolution = doc, document_id, resolution
        self.states = states
        self.state_ids = frozenset(state.id for state in states.values())
        self.places, self.dates, self.lex = places, dates, lexicon
        self.place_spans = IntervalIndex([(p.start, p.end) for p in places])
        self.date_spans = IntervalIndex([(d.start, d.end) for d in dates])
        self.text = doc_text(doc)
        self.cues = cues or load_cues()
        self.attributions = find_attributions(doc, resolution, self.cues)
        # by position, so that each trigger's look-up reads only the nearby ones
        self.cue_tokens = {a.cue.i for a in self.attributions}
        self.contents = IntervalIndex([(a.content_start, a.extra_end or a.content_end)
                                       for a in self.attributions])
        self.events: list[Event] = []
        self.candidates: list[Candidate] = []
        self.open_candidates = False
        self.role_model: RoleModel | None = None
        self.role_log: list[RoleFrame] | None = None
        self.vectors = CandidateVectors(doc, ())
        # per document caches of the role model's inputs: mentions by sentence, heads by span
        self.mention_spans = IntervalIndex([(m.start, m.end) for m in resolution.mentions])
        self._sentence_mentions: dict[int, list[Mention]] = {}
        self._heads: dict[tuple[int, int], Token | None] = {}
        # each sentence's candidate places, read by all its events (``place_of``)
        self._sentence_places: dict[int, list[tuple[Place, Token | None]]] = {}
        # each trigger head's clause span (``_span``), the same for all of its events
        self._clause_bounds: dict[int, tuple[int, int]] = {}
        self.noun_entries: dict[int, dict[str, Any] | None] = {}
        self.subjects: dict[int, Token | None] = {}
        # Conflict triggers with their victims and doers, coded or not, for reading
        # statements; and whether each is a deed or threat (else hostile words)
        self.hostile: list[tuple[Token, set[str], set[str], bool]] = []
        # The last named perpetrator of each nominal trigger ("raid" -> the IDF), for
        # "the raid" when it comes back as the subject of a later clause.
        self.perpetrators: dict[str, Mention] = {}

    def run(self) -> list[Event]:
        used: set[int] = set()  # trigger nouns already coded through a verb
        frames = []
        # verbal and open frames are verbs, nominal ones nouns: each word's tag read once
        doc = self.doc
        verbs: list[Token] = []
        nouns: list[Token] = []
        for i, pos in enumerate(token_tags(doc)):
            if pos == "VERB":
                verbs.append(doc[i])
            elif pos == "NOUN" or pos == "PROPN":
                nouns.append(doc[i])
        for tok in verbs:
            frame = self._verbal_frame(tok)
            if frame is not None:
                frames.append(frame)
                if frame.nominal is not None:
                    used.add(frame.nominal.i)
                    embedded = self._embedded_act(frame)
                    if embedded is not None:
                        frames.append(embedded)
        if self.open_candidates:
            # before the nouns: an act noun an open verb governs is coded through the verb
            anchors = {f.anchor.i for f in frames}
            for tok in verbs:
                frame = self._open_frame(tok) if tok.i not in anchors else None
                if frame is not None:
                    frames.append(frame)
                    if frame.nominal is not None:
                        used.add(frame.nominal.i)
        for tok in nouns:
            if tok.i not in used:
                frame = self._nominal_frame(tok)
                if frame is not None:
                    frames.append(frame)
        frames.sort(key=lambda f: f.trigger[0].i)
        for frame in frames:
            self._code(frame)
        acts = len(self.events)  # the events the text tells, before any statement's
        self._speech_demands()
        self._speech_accusations()
        self._speech_endorsements(acts)
        return self.events

    def _embedded_act(self, frame: Frame) -> Frame | None:
        """The act noun a light verb or phrase carries, as a candidate of its own when the
        noun's own words name both its parties and neither is the verb's doer: in "Iran
        helped broker a truce between X and Y" Iran mediates (the light verb's event) and
        X and Y agree (the truce's). Which of the two is an event is the gate's to say."""
        noun = frame.nominal
        if noun is None or noun == frame.anchor:
            return None
        nominal = self._nominal_frame(noun)
        if nominal is None:
            return None
        # parties the noun names apart from the verb's subject: "between X and Y", or a
        # doer "by X" ("announced an alliance with Y": the subject is the other party)
        if not self._between(noun) and prep_object(noun, "by") is None:
            return None
        sources, targets = self._nominal_roles(noun)
        if not sources or not targets:
            return None
        doers = {m.actor for m in self._actors(self._subject(frame.anchor))}
        if doers & {m.actor for m in sources + targets}:
            return None  # "X signed a deal between X and Y": the same event twice
        nominal.flags = [*nominal.flags, "embedded"]
        return nominal

    # -- coding ----------------------------------------------------------------------------

    def _code(self, frame: Frame) -> None:
        entry = frame.entry
        code = OPEN_CODE if entry["type"] == OPEN else self.lex.code(entry["type"],
                                                                     entry.get("mode"))
        if code is None:
            return
        if self._generic(frame):
            return  # "whichever sponsor is willing to arm the group": nothing happened
        sources, targets = self._roles(frame)
        # "Iran and Iraq met": coordinated parties of an act done with one another, and no
        # one else named, are each other's targets (the role model reads one pair at a time)
        mutual = code.reciprocal and len(sources) > 1 and not targets \
            and not self._agents_by(frame, sources)
        # mutual parties keep the rules' roles: the model is then asked only for training
        if self.role_log is not None or (self.role_model is not None and not mutual):
            learned = self._learned_roles(frame, code, _how(frame), sources, targets)
            if not mutual:  # one event per pair of actors, however often each is named
                sources, targets = unique(learned[0]), unique(learned[1])
        sources, targets = self._about_an_act(frame, code, sources, targets)
        if entry.get("by_state") and self._state_source(sources):
            # "police blocked the roads": the state restricts; protesters obstruct
            code = self.lex.code(entry["by_state"]["type"], entry["by_state"].get("mode")) \
                or code
        if entry.get("contest") and self._electoral(frame, sources + targets):
            return  # "party X was routed by party Y" in a vote: ballots, not violence
        if not targets and code.quad == "material_conflict":
            targets = self._place_state_target(frame, sources)
        elif not targets and code.quad.endswith("cooperation"):
            targets = self._country_served(frame, sources)
        code = self._refine(code, frame)
        if declared_future(frame):
            if code.type in THREATENED_MODES:
                code = self._threat(code)
            elif code.quad == "material_cooperation":
                code = self._promise(code)
        if code.quad.endswith("conflict"):
            self.hostile.append((frame.trigger[0], {t.actor for t in targets},
                                 {s.actor for s in sources}, _hostile(code.type, code.quad)))
        if frame.nominal is not None and sources:
            self.perpetrators[self.lex.lemma(frame.nominal)] = sources[0]
        if mutual:
            pairs = [(s, t) for s in sources for t in sources if s.actor != t.actor]
        else:
            pairs = [(s, t) for s in sources or [None] for t in targets or [None]]
        if pairs == [(None, None)]:
            if self._actorless(frame, code):
                self._emit(frame, code, None, None, [], flags=[*frame.flags, "no_actor"])
            return
        for source, target in pairs:
            src = source.actor if source else None
            tgt = target.actor if target else None
            if src == tgt:
                continue
            if src is None and code.quad.startswith("verbal"):
                continue  # words nobody is named for ("many described ...") are no stance
            if frame.anchor == frame.nominal and (src is None or tgt is None) and not (
                    tgt is not None and self._speaking_of(frame) is not None
                    or source is not None and self._named_by_agent(frame.anchor, source)):
                continue  # a bare noun ("the war", "his coalition") is mostly background,
                # unless it is an act someone speaks of ("condemned the attack on X") or
                # whose doer its own "by" phrase names ("raids by X", "a truce declared by X")
            self._emit(frame, code, src, tgt, [m for m in (source, target) if m],
                       flags=frame.flags)

    def _agents_by(self, frame: Frame, sources: Sequence[Mention]) -> bool:
        """Whether the coordinated sources are the doers a "by" phrase names ("heavy combat
        by Iraqi and American troops"): one side of the act, not each other's opponents."""
        anchors = {frame.anchor.i, *(() if frame.nominal is None else (frame.nominal.i,))}
        for m in sources:
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            tok = span.root if span is not None else None
            for _ in range(4):
                if tok is None or tok.i in anchors or tok.head.i == tok.i:
                    break
                if tok.dep_ in ("prep", "agent") and tok.lower_ == "by":
                    return True
                tok = tok.head
        return False

    def _threat(self, code: Code) -> Code:
        """The threat a hostile act declared for the future is ("Greece plans to impose
        restrictions", "NATO said it would tighten the blockade"): PLOVER codes the
        declaration, a THREATEN, since the act itself has not happened."""
        modes = THREATENED_MODES[code.type]
        return self.lex.code("THREATEN", modes.get(code.mode or "", modes[""])) or code

    def _promise(self, code: Code) -> Code:
        """The promise a cooperative act declared for the future is ("the government will
        provide assistance", "said it would release the prisoners"): an intent to
        cooperate, a verbal AGREE, as CAMEO (03) and PLOVER code it, since the act has not
        happened (PLV train codes such sentences AGREE 12 times, AID once)."""
        return self.lex.code("AGREE", "intent") or code

    def _state_source(self, sources: Sequence[Mention]) -> bool:
        """Whether a source is a government, its army or its police (sector GOV, MIL, COP)."""
        return any((m.sector or getattr(self.resolution.actors.get(m.actor), "sector", None))
                   in STATE_SECTORS for m in sources)

    def _named_by_agent(self, noun: Token, source: Mention) -> bool:
        """Whether the source of an act noun is the one its "by" phrase names ("raids by
        X", "the ceasefire declared by X"), or the "of" phrase of an act with no object
        ("the resignation of X"): a particular act, not background."""
        agent = self._agent_phrase(noun) or self._doer_of_phrase(noun)
        return agent is not None and agent.idx <= source.start \
            and source.end <= end_char(agent.right_edge)

    def _actorless(self, frame: Frame, code: Code) -> bool:
        """Whether a trigger no actor is found for is still a candidate: a verb the lexicon
        codes (not a bare noun, mostly background, nor an open verb, which nothing types),
        as in an agentless passive ("Seventeen people were killed", "the curfew was
        lifted"). Flagged ``no_actor``: the learned models, not the rules, decide it.
        Violence that its sentence puts down to something other than a hostile act
        ("killed in a crash", "injured during the storm") is no one's act."""
        if not self.open_candidates or frame.anchor == frame.nominal \
                or frame.entry["type"] == OPEN:
            return False
        return code.quad != "material_conflict" or not self._other_cause(frame.anchor)

    def _other_cause(self, verb: Token) -> bool:
        """Whether a cause phrase of the verb ("in", "during", "by") names a thing that
        happened and is no hostile act: a common noun, not a name or a place."""
        for prep in verb.children:
            if prep.dep_ not in ("prep", "agent") or prep.lower_ not in CAUSE_PREPS:
                continue
            noun = pobj(prep)
            if noun is not None and noun.pos_ == "NOUN" and not noun.ent_type_ \
                    and not self.place_spans.containing(noun.idx, end_char(noun)) \
                    and not self.place_spans.within(noun.idx, end_char(noun)) \
                    and not self._hostile_act(noun):
                return True
        return False

    # -- output ----------------------------------------------------------------------------

    def _emit(self, frame: Frame, code: Code, source: str | None, target: str | None,
              roles: list[Mention], how: str | None = None,
              flags: Sequence[str] = ()) -> Event:
        anchor = frame.anchor
        sent = token_sentence(anchor)
        start, end = self._span(frame, roles)
        negated, modality = modality_of(frame)
        attribution = attribution_of(self.attributions, frame.trigger[0], self.contents)
        reported_by = []
        if attribution is not None:
            speaker = [attribution.actor] if attribution.actor else []
            reported_by = [*attribution.chain(), *speaker]
            if modality == "asserted":
                modality = "denied" if attribution.negates else "reported"
        place = place_of(frame, start, end, self.places, self.resolution, self.place_spans,
                         self._sentence_places)
        confidence = NOMINAL_CONFIDENCE if frame.anchor == frame.nominal else 1.0
        if frame.anchor != frame.nominal and subordinate(frame.anchor, self.lex):
            confidence = SUBORDINATE_CONFIDENCE
        first, last = frame.trigger[0], frame.trigger[-1]
        day, day_how = date_of(self.dates, start, end, sent, anchor, self.date_spans)
        event = Event(
            id=f"{self.document_id}:e{len(self.events) + 1}", document=self.document_id,
            # ``sent.text``, cut from the document's text rather than joined from its words
            start=start, end=end, sentence=self.text[sent.start_char:sent.end_char].strip(),
            trigger=self.text[first.idx:end_char(last)], type=code.type, quad=code.quad,
            source=source, target=target, mode=code.mode, cameo=code.cameo, negated=negated,
            modality=modality, place=place,
            date=day, date_how=day_how,
            reported_by=reported_by,
            confidence=confidence, intensity=code.intensity,
            trigger_start=first.idx, trigger_end=end_char(last))
        self.events.append(event)
        self.candidates.append(Candidate(event, candidate_features(
            lemma=self.lex.lemma(anchor) + (f"/{frame.sense}" if frame.sense else ""),
            how=how or _how(frame), code=code, tag=anchor.tag_,
            dep=anchor.dep_, passive=any(c.dep_ in ("auxpass", "nsubjpass", "agent")
                                         for c in anchor.children),
            negated=negated, modality=modality, has_source=source is not None,
            has_target=target is not None, subordinate=confidence == SUBORDINATE_CONFIDENCE,
            reported=attribution is not None, flags=flags), code.type, code.mode,
            self.vectors(anchor, frame.trigger), refused=negated and refused(frame)))
        return event

    def _span(self, frame: Frame, roles: list[Mention]) -> tuple[int, int]:
        """The trigger's clause, stretched over the role mentions in the same sentence."""
        head = frame.nominal if frame.nominal == frame.anchor else frame.anchor
        bounds = self._clause_bounds.get(head.i)
        if bounds is None:
            tokens = clause_tokens(head)
            bounds = self._clause_bounds[head.i] = (min(t.idx for t in tokens),
                                                    max(end_char(t) for t in tokens))
        start, end = bounds
        sent = token_sentence(frame.anchor)
        for m in roles:
            if sent.start_char <= m.start and m.end <= sent.end_char:
                start, end = min(start, m.start), max(end, m.end)
        return start, end

    # -- statements as demands -------------------------------------------------------------

    def _speech_demands(self) -> None:
        """A speaker saying that another actor must act demands it of that actor: "Russia
        says Israel must end attacks on Syria" is Russia's demand on Israel, as event coders
        code it (CAMEO 10, PLOVER DEMAND), whatever the act and whether or not it is an
        event itself ("X must ensure security")."""
        code = self.lex.code("REQUEST", "demand")
        if code is None:
            return
        trigger_starts = {e.trigger_start for e in self.events}
        for att in self.attributions:
            if att.actor is None or att.negates or att.cue.idx in trigger_starts:
                continue
            obliged = self._obliged(att)
            if obliged is None:
                continue
            trigger_starts.add(self._emit_statement(att, code, obliged, "obligation"))

    def _emit_statement(self, att: Attribution, code: Code, target: str, how: str) -> int:
        """An event the statement itself is (its speaker's demand on or accusation of
        ``target``), spanning the statement, asserted as said; returns its trigger start."""
        frame = Frame([att.cue], att.cue, {"type": code.type, "mode": code.mode})
        event = self._emit(frame, code, att.actor, target, [], how=how)
        event.start, event.end = att.span_start, att.span_end
        event.modality = "asserted"
        event.reported_by = att.chain()
        return event.trigger_start

    def _obliged(self, att: Attribution) -> str | None:
        """The actor the statement's main clause says must (or should) act, other than
        the speaker: the subject of a complement clause with an obligation modal."""
        for verb in att.cue.children:
            if verb.dep_ not in ("ccomp", "parataxis") or not any(
                    c.dep_ == "aux" and c.lower_ in OBLIGATION_AUX for c in verb.children):
                continue
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")),
                           None)
            if subject is None:
                continue
            inside = self.resolution.mentions_within(subject.left_edge.idx,
                                                     end_char(subject.right_edge))
            named = [m for m in inside if m.actor not in (None, att.actor)]
            head = [m for m in named if m.start <= subject.idx < m.end]
            if head or named:
                return (head or named)[0].actor
        return None

    # -- statements as accusations ---------------------------------------------------------

    def _speech_accusations(self) -> None:
        """A speaker asserting a hostile act by another actor accuses that actor."""
        code = self.lex.code("ACCUSE", "allege")
        if code is None:
            return
        # Events and hostile triggers by position, so that each statement reads only the
        # ones inside it; the accusations made below are added as they come.
        self.triggers = IntervalIndex([(e.trigger_start, e.trigger_end or 0)
                                       if e.trigger_start is not None else (-1, -1)
                                       for e in self.events])
        self.hostile_spans = IntervalIndex([(t.idx, end_char(t)) for t, *_ in self.hostile])
        trigger_starts = {e.trigger_start for e in self.events}
        for att in self.attributions:
            if att.actor is None or att.via_quote or att.negates \
                    or att.cue_type not in ACCUSING_CUES:
                continue
            if att.cue.idx in trigger_starts:
                continue  # the cue is an event verb itself ("accused", "condemned")
            accused = self._accused(att)
            if accused is None:
                continue
            trigger_starts.add(self._emit_statement(att, code, accused, "statement"))

    def _accused(self, att: Attribution) -> str | None:
        end = att.extra_end or att.content_end
        indexed = self.triggers.within(att.content_start, end)
        later = self.events[len(self.triggers.spans):]  # accusations coded since indexing
        inner = [self.events[i] for i in indexed] + [
            e for e in later if e.trigger_start is not None
            and att.contains(e.trigger_start, e.trigger_end or 0)]
        for e in inner:
            if _hostile(e.type, e.quad) and e.source and e.source != att.actor \
                    and not self._own_side(att.actor, e.source):
                return e.source
            if e.quad == "verbal_conflict" and e.target and e.target != att.actor and (
                    e.source is None or e.source == att.actor
                    or self._own_side(att.actor, e.source)):
                # the speaker's own side's charge ("the United States will hold Iran
                # responsible", "the ones to be blamed are X") accuses whom it charges
                return e.target
        # deeds and threats, and the speaker's own side's hostile words ("will hold Iran
        # responsible"); not another party's words
        hostile = [(t, victims) for t, victims, doers, deed in (
            self.hostile[i] for i in self.hostile_spans.within(att.content_start, end))
            if deed or all(d == att.actor or self._own_side(att.actor, d) for d in doers)]
        if not hostile:
            return None
        # No named perpetrator: the named actor nearest the hostile act ("the greatest
        # threats to America: Al-Qaeda and Iran"), not a generic group or the victim.
        anchor = hostile[0][0].idx
        victims = set().union(*(v for _, v in hostile))
        inside = self.resolution.mentions_within(att.content_start,
                                                 att.extra_end or att.content_end)
        # nor whoever is told to have made a charge in it ("the group, which the US has
        # accused of attacks": the US accuses, it did not attack)
        accusers = {e.source for e in inner if e.quad == "verbal_conflict"
                    and not _hostile(e.type, e.quad)}
        named = [m for m in inside if m.actor not in (att.actor, *victims, *accusers)
                 and m.rule != "group" and not self._own_side(att.actor, m.actor)]
        return min(named, key=lambda m: abs(m.start - anchor)).actor if named else None

    # -- statements as endorsements --------------------------------------------------------

    def _speech_endorsements(self, acts: int) -> None:
        """A speaker asserting or hoping that another party does (or will do) a cooperative
        act speaks for that party: "the minister said the council's decision would help
        calm the streets" is the minister's verbal support of the council, as event coders
        read a statement about someone (the other side of ``_speech_accusations``). Whether
        the statement is an event, or only the act it tells, is the gate's to learn."""
        code = self.lex.code("SUPPORT", "praise")
        if code is None:
            return
        trigger_starts = {e.trigger_start for e in self.events}
        told = self.events[:acts]
        index = IntervalIndex([(e.trigger_start, e.trigger_end or 0)
                               if e.trigger_start is not None else (-1, -1) for e in told])
        for att in self.attributions:
            if att.actor is None or att.via_quote or att.negates \
                    or att.cue_type not in ENDORSING_CUES or att.cue.idx in trigger_starts:
                continue
            endorsed = self._endorsed(att, told, index)
            if endorsed is not None:
                trigger_starts.add(self._emit_statement(att, code, endorsed, "endorsement"))

    def _endorsed(self, att: Attribution, told: list[Event],
                  index: IntervalIndex) -> str | None:
        """The doer of the first cooperative act the statement says will (or can) come,
        when that doer is a named party other than the speaker and its own state's side;
        None otherwise. A cooperative act told as done is reported, not vouched for ("the
        spokesman said the delegation held talks in Cairo" is the talks' event alone)."""
        for i in index.within(att.content_start, att.extra_end or att.content_end):
            e = told[i]
            if e.modality in ("planned", "hypothetical") and e.quad.endswith("cooperation") \
                    and not e.negated and e.source \
                    and e.source != att.actor and not self._own_side(att.actor, e.source):
                return e.source
        return None

    def _own_side(self, speaker: str, actor: str) -> bool:
        """Whether the speaker and ``actor`` speak and act for one state: "the prime
        minister said the army raided a warehouse", "the secretary of state said the
        United States struck a base" report their own side's acts; they accuse no one. An
        armed group or party of that country is not the state's side (only the state, its
        bodies and its officeholders are: ``_state_of``)."""
        mine = self._state_of(speaker)
        return mine is not None and mine == self._state_of(actor)

    def _state_of(self, actor_id: str) -> str | None:
        """The state an actor is or is part of, or holds an office of (the knowledge base's
        ``part_of`` affiliations and ``roles``); None for anyone else."""
        actor = self.resolution.actors.get(actor_id)
        if actor is None:
            return None
        if actor.kind == "state":
            return actor.id
        owners = [a.get("actor") for a in actor.affiliations if a.get("relation") == "part_of"]
        owners += [r.get("of") for r in actor.roles]
        return next((o for o in owners if o in self.state_ids), None)


def _hostile(type_: str, quad: str) -> bool:
    """Whether an act told in a statement makes the statement an accusation of its doer: a
    hostile deed or a threat. Another's hostile words ("the group, which the US has
    accused of ...", "denied accusations of ...") are reported, not charged to whoever
    spoke them."""
    return quad == "material_conflict" or type_ == "THREATEN"


def _how(frame: Frame) -> str:
    """How the rules found a trigger: a noun alone, a verb carrying a noun, a phrase, a verb."""
    if frame.nominal is not None:
        return "noun" if frame.nominal == frame.anchor else "light_verb"
    return "phrase" if len(frame.trigger) > 1 else "verb"
