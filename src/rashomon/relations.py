"""Signed dyadic relations: events and claims aggregated per pair of actors and year.

Every piece of evidence becomes a signed weight on an unordered pair of actors
(``a < b`` by id) in one period (a year). A relation's score is
``tanh(sum of weights / SCORE_SCALE)``, so it stays in [-1, 1], grows with
agreeing evidence and shrinks when evidence disagrees.

Event weight = quad sign x quad weight x modality weight x intensity factor x confidence.

* Cooperation is positive, conflict negative; material acts weigh twice verbal ones.
* Modality: what the text asserts counts fully, what it attributes to someone
  ("reportedly", "X said Y attacked") less, plans and threats less again, and
  hypotheticals barely. A *denied* or *negated* event does not count as the act:
  "Iran denied attacking the base" is not evidence of an attack. The denial
  itself is a claim and reaches the relations through the claims, if at all.
* Intensity (Goldstein-like, -10..10), when present, scales the weight within
  [0.5, 1.5], so an air strike outweighs a scuffle but a mild act never vanishes.

Claims add a verbal tie from the speaker to each actor the claim is about:
accusations, condemnations, threats and warnings negative, praise positive; a
denial, an assertion or any other cue type adds nothing, since it does not say
how the speaker stands toward the actors it names.

Stances (``rashomon.stance``: how one actor stands toward another as one sentence
presents it) add a directed verbal tie weighted by the model's probability, unless
an event or a claim of the same sentence already ties the same two actors: that
sentence is then counted once, through the act.

Periods. An event counts in the year of its own date. A material act the text does
not date goes to the ``undated`` period, never to the year its article was published:
articles recount old deeds as background. A statement (a verbal event, a claim, a
stance) is what the article reports being said: undated, it counts in the year of
publication (the evidence says ``dated_by: "published"``), else ``undated``.

Every relation lists what it rests on in ``evidence``: each event, claim and stance
with its direction and signed weight.

Events, claims and stances in reader comments are left out: they are readers'
voices, not the outlet's reporting. Ties of an actor with itself and with no
actor are left out.

``rollup=True`` maps every actor up its knowledge-base affiliations (a
commander to his force, the force to its state) before aggregating, and labels
the result ``view="rolled_up"``; it is a separate view, never mixed into the
direct one. An affiliation with years (``from``/``to``) applies only to evidence of
those years, and never to undated evidence.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .types import Actor, Claim, Document, Event, Relation, Stance

QUAD_SIGN: dict[str, int] = {
    "verbal_cooperation": 1,
    "material_cooperation": 1,
    "verbal_conflict": -1,
    "material_conflict": -1,
}

# Material acts (strikes, aid, troop moves) say more about a relation than words.
# Chosen, not calibrated.
QUAD_WEIGHT: dict[str, float] = {
    "verbal_cooperation": 1.0,
    "material_cooperation": 2.0,
    "verbal_conflict": 1.0,
    "material_conflict": 2.0,
}

# How much an event counts given how the text presents it; denied counts nothing
# (see the module docstring). Chosen, not calibrated: ordered as the brief asks,
# asserted > reported > planned/threatened > hypothetical.
MODALITY_WEIGHT: dict[str, float] = {
    "asserted": 1.0,
    "reported": 0.7,
    "planned": 0.4,
    "threatened": 0.4,
    "hypothetical": 0.15,
    "denied": 0.0,
}

# Claims are verbal and second-hand by nature: a bit under one reported verbal event.
# Chosen, not calibrated.
CLAIM_WEIGHT = 0.6

# A stance read from one sentence: a verbal tie a bit under a claim, since it is a
# model's reading rather than a cue the parse found; times the model's probability.
# Chosen, not calibrated.
STANCE_WEIGHT = 0.5

CLAIM_SIGN: dict[str, int] = {
    "accuse": -1,
    "condemn": -1,
    "threaten": -1,
    "warn": -1,
    "praise": 1,
}

# tanh(sum / 2): one asserted material act scores about 0.76, one reported
# verbal accusation about 0.29, three agreeing strikes about 0.995.
# Chosen, not calibrated.
SCORE_SCALE = 2.0

# |score| below this is too weak or too mixed to call friend or foe: sign 0.
# Chosen, not calibrated: a single hypothetical verbal act stays below it.
SIGN_THRESHOLD = 0.1

# The affiliation kinds that make an actor part of a larger one for the rolled-up view.
ROLLUP_RELATIONS = frozenset(
    {"member_of", "part_of", "leader_of", "commander_of", "spokesperson_of", "subsidiary_of"}
)

UNDATED = "undated"


@dataclass
class Evidence:
    """One signed contribution to a dyad: an event, a claim or a stance, with where it
    came from and how its period was set (``date`` or ``published``)."""

    source: str
    target: str
    period: str
    weight: float
    event: str | None = None
    claim: str | None = None
    outlet: str | None = None
    stance: str | None = None
    dated_by: str | None = None

    @property
    def kind(self) -> str:
        return "event" if self.event else "claim" if self.claim else "stance"

    def explained(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.event or self.claim or self.stance,
                "source": self.source, "target": self.target,
                "weight": round(self.weight, 4), "dated_by": self.dated_by}


@dataclass
class _Dyad:
    weight: float = 0.0
    events: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    stances: list[str] = field(default_factory=list)
    outlets: set[str] = field(default_factory=set)
    evidence: list[dict[str, object]] = field(default_factory=list)


def build_relations(
    events: Iterable[Event],
    claims: Iterable[Claim],
    documents: Iterable[Document],
    actors: Iterable[Actor],
    *,
    rollup: bool = False,
    stances: Iterable[Stance] = (),
) -> list[Relation]:
    """Aggregate events, claims and stances into signed relations, one per actor pair
    and period.

    Returns relations sorted by period, then ``a``, then ``b``. With ``rollup``
    every actor is first replaced by its topmost KB affiliation valid in the
    evidence's year and the relations carry ``view="rolled_up"``.
    """
    events = list(events)  # read twice: as acts, and to spot claims already coded as events
    return relations_by_document([(events, list(claims), list(stances))],
                                 {d.id: d for d in documents}, actors, rollup=rollup)


def relations_by_document(
    findings: Iterable[tuple[list[Event], list[Claim], list[Stance]]],
    documents: Mapping[str, Document],
    actors: Iterable[Actor],
    *,
    rollup: bool = False,
) -> list[Relation]:
    """:func:`build_relations` over findings that come a group of documents at a time
    (each group holding all the events, claims and stances of its documents), so a
    store streams them: only the evidence is kept, never the findings or the texts.
    ``documents`` need only their outlet and publication date."""
    acts: list[Evidence] = []
    said: list[Evidence] = []
    felt: list[Evidence] = []
    for events, claims, stances in findings:
        acts += event_evidence(events, documents)
        said += claim_evidence(claims, events, documents)
        felt += stance_evidence(stances, events, claims, documents)
    evidence: Iterable[Evidence] = itertools.chain(acts, said, felt)
    if rollup:
        actors = list(actors)
        maps: dict[str, dict[str, str]] = {}

        def rolled(item: Evidence) -> Evidence:
            if item.period not in maps:
                maps[item.period] = rollup_map(actors, item.period)
            return _rolled_up(item, maps[item.period])

        evidence = map(rolled, evidence)
    return aggregate(evidence, view="rolled_up" if rollup else "direct")


def event_evidence(events: Iterable[Event], docs: Mapping[str, Document]) -> Iterable[Evidence]:
    """The signed weight each countable event puts on its source-target pair."""
    for event in events:
        source, target = event.source, event.target
        if source is None or target is None or source == target or event.in_comment:
            continue
        weight = event_weight(event)
        if weight == 0.0:
            continue
        doc = docs.get(event.document)
        yield Evidence(
            source=source,
            target=target,
            period=(period := event_period(event, doc)),
            weight=weight,
            event=event.id,
            outlet=doc.outlet if doc else None,
            dated_by="date" if event.date else "published" if period != UNDATED else None,
        )


def event_weight(event: Event) -> float:
    """Signed weight of one event, 0 for an unknown quad or a denied event."""
    sign = QUAD_SIGN.get(event.quad, 0)
    if sign == 0 or event.negated:
        return 0.0
    factor = 1.0 if event.intensity is None else 0.5 + min(abs(event.intensity), 10.0) / 10.0
    return (
        sign
        * QUAD_WEIGHT[event.quad]
        * MODALITY_WEIGHT.get(event.modality, 0.0)
        * factor
        * event.confidence
    )


def claim_evidence(
    claims: Iterable[Claim], events: Iterable[Event], docs: Mapping[str, Document]
) -> Iterable[Evidence]:
    """The signed ties claims put from their speaker to each actor they are about.

    A claim whose sentence also yielded an event between the same two actors
    (an "accused" that the event stage coded as ACCUSE) is not counted twice.
    """
    coded = {
        (e.document, e.source, e.target): e
        for e in events
        if not e.in_comment and _is_tie(e.source, e.target)
    }
    for claim in claims:
        sign = CLAIM_SIGN.get(claim.cue_type or "", 0)
        speaker = claim.speaker
        if sign == 0 or claim.in_comment or speaker is None:
            continue
        doc = docs.get(claim.document)
        for about in dict.fromkeys(claim.about):
            if about == speaker:
                continue
            event = coded.get((claim.document, speaker, about))
            if event is not None and event.start < claim.end and claim.start < event.end:
                continue
            period = document_period(doc)
            yield Evidence(
                source=speaker,
                target=about,
                period=period,
                weight=sign * CLAIM_WEIGHT,
                claim=claim.id,
                outlet=doc.outlet if doc else None,
                dated_by="published" if period != UNDATED else None,
            )


def stance_evidence(
    stances: Iterable[Stance],
    events: Iterable[Event],
    claims: Iterable[Claim],
    docs: Mapping[str, Document],
) -> Iterable[Evidence]:
    """The directed ties stances put from source to target, weighted by probability.

    A stance whose sentence already gave an event or a counted claim between the
    same two actors (either way) adds nothing: the sentence is counted once.
    """
    acts: dict[tuple[str, frozenset[str]], list[tuple[int, int]]] = defaultdict(list)
    for e in events:
        if _is_tie(e.source, e.target) and event_weight(e) != 0.0:
            acts[(e.document, frozenset((e.source, e.target)))].append((e.start, e.end))
    for c in claims:
        if c.speaker and CLAIM_SIGN.get(c.cue_type or "", 0):
            for about in c.about:
                if about != c.speaker:
                    acts[(c.document, frozenset((c.speaker, about)))].append((c.start, c.end))
    for stance in stances:
        if stance.in_comment or stance.source == stance.target:
            continue
        spans = acts.get((stance.document, frozenset((stance.source, stance.target))), [])
        if any(s < stance.end and stance.start < e for s, e in spans):
            continue
        doc = docs.get(stance.document)
        if stance.date:
            period, dated_by = stance.date[:4], "date"
        else:
            period = document_period(doc)
            dated_by = "published" if period != UNDATED else None
        yield Evidence(
            source=stance.source,
            target=stance.target,
            period=period,
            weight=stance.sign * STANCE_WEIGHT * stance.probability,
            stance=stance.id,
            outlet=doc.outlet if doc else None,
            dated_by=dated_by,
        )


def aggregate(evidence: Iterable[Evidence], view: str = "direct") -> list[Relation]:
    """Sum evidence per unordered pair and period into relations."""
    dyads: dict[tuple[str, str, str], _Dyad] = defaultdict(_Dyad)
    for item in evidence:
        if item.source == item.target:  # two actors rolled up into one
            continue
        a, b = sorted((item.source, item.target))
        dyad = dyads[(item.period, a, b)]
        dyad.weight += item.weight
        if item.event is not None:
            dyad.events.append(item.event)
        if item.claim is not None:
            dyad.claims.append(item.claim)
        if item.stance is not None:
            dyad.stances.append(item.stance)
        if item.outlet:
            dyad.outlets.add(item.outlet)
        dyad.evidence.append(item.explained())
    relations = []
    for (period, a, b), dyad in sorted(dyads.items()):
        score = math.tanh(dyad.weight / SCORE_SCALE)
        relations.append(
            Relation(
                a=a,
                b=b,
                period=period,
                score=round(score, 4),
                sign=0 if abs(score) < SIGN_THRESHOLD else (1 if score > 0 else -1),
                events=list(dict.fromkeys(dyad.events)),
                claims=list(dict.fromkeys(dyad.claims)),
                outlets=sorted(dyad.outlets),
                view=view,
                stances=list(dict.fromkeys(dyad.stances)),
                evidence=dyad.evidence,
            )
        )
    return relations


def event_period(event: Event, doc: Document | None = None) -> str:
    """The year of the event's own date; else, for a verbal act (a statement the
    article reports), the year its article was published; else ``"undated"``: a
    material act the text does not date is never put in the publication year."""
    if event.date:
        return event.date[:4]
    if event.quad.startswith("verbal"):
        return document_period(doc)
    return UNDATED


def document_period(doc: Document | None) -> str:
    """The year a document was published, or ``"undated"``."""
    if doc is not None and doc.published:
        return doc.published[:4]
    return UNDATED


def is_year(period: str) -> bool:
    """Whether a period is a year (``"undated"`` is not, and is never compared as one)."""
    return len(period) == 4 and period.isdigit()


def rollup_map(actors: Iterable[Actor], period: str | None = None) -> dict[str, str]:
    """Map each actor id to its topmost ancestor through KB affiliations valid in ``period``.

    An affiliation with ``from``/``to`` years applies only within them, and only to a
    year period (``period=None`` ignores the years). An actor with several qualifying
    affiliations follows the first one listed, the KB's primary affiliation. Cycles in
    the KB stop at the actor where they close.
    """
    parent: dict[str, str] = {}
    for actor in actors:
        for aff in actor.affiliations:
            if (aff.get("relation") in ROLLUP_RELATIONS and aff.get("actor")
                    and (period is None or affiliation_applies(aff, period))):
                parent[actor.id] = aff["actor"]
                break
    top: dict[str, str] = {}
    for start in parent:
        node, seen = start, {start}
        while node in parent and parent[node] not in seen:
            node = parent[node]
            seen.add(node)
        top[start] = node
    return top


def with_kb_actors(actors: Iterable[Actor]) -> list[Actor]:
    """``actors`` plus the packaged knowledge base's entries they lack: a roll-up climbs
    through parents the corpus never names, and prints their names, not their ids."""
    from .actors import load_kb

    actors = list(actors)
    known = {a.id for a in actors}
    return actors + [a for a in load_kb().actors.values() if a.id not in known]


def affiliation_applies(affiliation: dict[str, object], period: str) -> bool:
    """An affiliation without years always applies; one with years only to a year
    period within them."""
    start, end = affiliation.get("from"), affiliation.get("to")
    if start is None and end is None:
        return True
    if not is_year(period):
        return False
    year = int(period)
    return (start is None or int(start) <= year) and (end is None or year <= int(end))


def _rolled_up(item: Evidence, top: dict[str, str]) -> Evidence:
    return dataclasses.replace(item, source=top.get(item.source, item.source),
                               target=top.get(item.target, item.target))


def _is_tie(source: str | None, target: str | None) -> bool:
    return source is not None and target is not None and source != target
