"""Outlets side by side: what each one reports, how it treats each actor, where they disagree.

* Relations per outlet: the relation graph built from that outlet's documents only.
* Stance: how an outlet presents an actor. ``tone`` is the weighted mean sign of
  the acts it reports the actor committing (the weights of ``relations``), so an
  outlet that shows an actor attacking scores it negative, one that shows it
  aiding positive. ``distancing`` is the share of the actor's quoted speech the
  outlet introduces with a distancing verb ("claimed", "alleged") rather than a
  neutral one ("said"); ``hedged`` the share of its acts the outlet does not
  assert in its own voice. The overall ``score`` is the tone lowered by
  distancing. The tone measures what is reported, not approval: an outlet can
  report strikes by the side it favours, so read the score with its evidence.
* Coverage: events clustered across outlets by (type, source, target, period),
  so one strike reported by three outlets is one row reported three times.
* Contradictions: opposite signs on one dyad in one period; a claim in one
  outlet denied in another; an event one outlet reports and another reports as
  denied or as not having happened.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from .relations import build_relations, document_period, event_period, event_weight
from .types import Actor, Analysis, Claim, Document, Event, Relation

# Documents without an outlet are grouped under this name rather than dropped.
NO_OUTLET = "(no outlet)"

# Cue-word stems that put distance between the outlet and a speaker's words.
DISTANCING_CUES = ("claim", "alleg", "purport", "insist", "contend")

# How much full distancing (every quote "claimed") lowers the stance score.
# Chosen, not calibrated.
DISTANCING_PENALTY = 0.5

# Modalities in which the outlet states an act in its own voice.
OWN_VOICE = frozenset({"asserted"})

# Cue types a denial can contradict: anything that states something, not another denial.
DENIABLE = frozenset({"accuse", "condemn", "assert", "warn", "threaten", "praise"})


@dataclass
class Stance:
    """How one outlet presents one actor, with the evidence it rests on."""

    outlet: str
    actor: str
    score: float  # in [-1, 1]: tone lowered by distancing
    tone: float | None  # weighted mean sign of the acts reported with the actor as source
    as_target: float | None  # the same for acts done to the actor
    quotes: int  # claims with the actor as speaker
    distancing: float | None  # share of those quotes with a distancing cue
    hedged: float | None  # share of the actor's acts not asserted in the outlet's voice
    events: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)


@dataclass
class CoverageCluster:
    """One event as reported across outlets: its key and each outlet's event ids."""

    id: str
    type: str
    source: str | None
    target: str | None
    period: str
    reports: dict[str, list[str]]  # outlet -> event ids


@dataclass
class Contradiction:
    """Two outlets that disagree, in what way, and the evidence on each side."""

    kind: str  # opposite_sign, denial, denied_event
    period: str
    actors: list[str]
    outlets: tuple[str, str]
    evidence: tuple[list[str], list[str]]  # event/claim ids in each outlet, in order
    description: str


@dataclass
class OutletView:
    """Everything the outlet comparison shows."""

    outlets: list[str]
    relations: dict[str, list[Relation]]
    stances: list[Stance]
    quoted: dict[str, list[tuple[str, int]]]
    coverage: list[CoverageCluster]
    contradictions: list[Contradiction]


def outlet_view(analysis: Analysis) -> OutletView:
    """The whole outlet comparison for an analysed corpus."""
    args = (analysis.events, analysis.claims, analysis.documents)
    return OutletView(
        outlets=sorted({outlet_of(d) for d in analysis.documents}),
        relations=outlet_relations(*args, analysis.actors),
        stances=stances(*args),
        quoted=most_quoted(analysis.claims, analysis.documents),
        coverage=coverage(analysis.events, analysis.documents),
        contradictions=contradictions(*args, analysis.actors),
    )


def outlet_of(doc: Document | None) -> str:
    """The outlet name of a document, or NO_OUTLET."""
    return doc.outlet if doc is not None and doc.outlet else NO_OUTLET


def outlet_relations(
    events: Iterable[Event],
    claims: Iterable[Claim],
    documents: Iterable[Document],
    actors: Iterable[Actor],
) -> dict[str, list[Relation]]:
    """Each outlet's own relation graph, built from its documents only."""
    documents, actors = list(documents), list(actors)
    outlet = {d.id: outlet_of(d) for d in documents}
    events_by: dict[str, list[Event]] = defaultdict(list)
    claims_by: dict[str, list[Claim]] = defaultdict(list)
    for e in events:
        events_by[outlet.get(e.document, NO_OUTLET)].append(e)
    for c in claims:
        claims_by[outlet.get(c.document, NO_OUTLET)].append(c)
    docs_by: dict[str, list[Document]] = defaultdict(list)
    for d in documents:
        docs_by[outlet[d.id]].append(d)
    return {
        name: build_relations(events_by[name], claims_by[name], docs_by[name], actors)
        for name in sorted(docs_by)
    }


def stances(
    events: Iterable[Event], claims: Iterable[Claim], documents: Iterable[Document]
) -> list[Stance]:
    """Stance of every outlet toward every actor it reports acting, being acted on or speaking."""
    outlet = {d.id: outlet_of(d) for d in documents}
    source_w: dict[tuple[str, str], list[float]] = defaultdict(list)
    target_w: dict[tuple[str, str], list[float]] = defaultdict(list)
    hedged: Counter[tuple[str, str]] = Counter()
    evidence_e: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e in events:
        weight = event_weight(e)
        if e.in_comment or weight == 0.0:
            continue
        name = outlet.get(e.document, NO_OUTLET)
        if e.source:
            source_w[(name, e.source)].append(weight)
            hedged[(name, e.source)] += e.modality not in OWN_VOICE
            evidence_e[(name, e.source)].append(e.id)
        if e.target and e.target != e.source:
            target_w[(name, e.target)].append(weight)
            evidence_e[(name, e.target)].append(e.id)
    quotes: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        if c.speaker and not c.in_comment:
            quotes[(outlet.get(c.document, NO_OUTLET), c.speaker)].append(c)
    result = []
    for key in sorted(set(source_w) | set(target_w) | set(quotes)):
        tone = _weighted_sign(source_w.get(key, []))
        said = quotes.get(key, [])
        distancing = (
            sum(_distancing(c.cue) for c in said) / len(said) if said else None
        )
        score = (tone or 0.0) - DISTANCING_PENALTY * (distancing or 0.0)
        acts = len(source_w.get(key, []))
        result.append(
            Stance(
                outlet=key[0],
                actor=key[1],
                score=round(max(-1.0, min(1.0, score)), 4),
                tone=tone,
                as_target=_weighted_sign(target_w.get(key, [])),
                quotes=len(said),
                distancing=None if distancing is None else round(distancing, 4),
                hedged=round(hedged[key] / acts, 4) if acts else None,
                events=evidence_e.get(key, []),
                claims=[c.id for c in said],
            )
        )
    return result


def most_quoted(
    claims: Iterable[Claim], documents: Iterable[Document], top: int = 5
) -> dict[str, list[tuple[str, int]]]:
    """Per outlet, the ``top`` speakers it quotes most, with their number of claims."""
    outlet = {d.id: outlet_of(d) for d in documents}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for c in claims:
        if c.speaker and not c.in_comment:
            counts[outlet.get(c.document, NO_OUTLET)][c.speaker] += 1
    return {
        name: sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        for name, counter in sorted(counts.items())
    }


def coverage(events: Iterable[Event], documents: Iterable[Document]) -> list[CoverageCluster]:
    """Events clustered across outlets by (type, source, target, period).

    Only events reported as having happened count: reader comments, negated and
    denied events are left out (the denials show up as contradictions).
    """
    docs = {d.id: d for d in documents}
    clusters: dict[tuple[str, str, str, str], dict[str, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for e in events:
        if e.in_comment or e.negated or e.modality == "denied":
            continue
        doc = docs.get(e.document)
        key = (event_period(e, doc), e.type, e.source or "", e.target or "")
        clusters[key][outlet_of(doc)].append(e.id)
    return [
        CoverageCluster(
            id=f"cov-{n}",
            type=etype,
            source=source or None,
            target=target or None,
            period=period,
            reports=dict(sorted(reports.items())),
        )
        for n, ((period, etype, source, target), reports) in enumerate(sorted(clusters.items()))
    ]


def contradictions(
    events: Iterable[Event],
    claims: Iterable[Claim],
    documents: Iterable[Document],
    actors: Iterable[Actor],
) -> list[Contradiction]:
    """Disagreements between outlets, each with the evidence on both sides."""
    events, claims, documents, actors = list(events), list(claims), list(documents), list(actors)
    names = {a.id: a.name for a in actors}
    return (
        _opposite_signs(outlet_relations(events, claims, documents, actors), names)
        + _denied_claims(claims, documents, names)
        + _denied_events(events, documents, names)
    )


def _opposite_signs(
    by_outlet: dict[str, list[Relation]], names: dict[str, str]
) -> list[Contradiction]:
    signed: dict[tuple[str, str, str], dict[str, Relation]] = defaultdict(dict)
    for name, relations in by_outlet.items():
        for rel in relations:
            if rel.sign != 0:
                signed[(rel.period, rel.a, rel.b)][name] = rel
    found = []
    for (period, a, b), per_outlet in sorted(signed.items()):
        for o1, o2 in combinations(sorted(per_outlet), 2):
            r1, r2 = per_outlet[o1], per_outlet[o2]
            if r1.sign == r2.sign:
                continue
            found.append(
                Contradiction(
                    kind="opposite_sign",
                    period=period,
                    actors=[a, b],
                    outlets=(o1, o2),
                    evidence=(r1.events + r1.claims, r2.events + r2.claims),
                    description=(
                        f"{o1} shows {_name(a, names)} and {_name(b, names)} as "
                        f"{_word(r1.sign)} in {period}; {o2} as {_word(r2.sign)}"
                    ),
                )
            )
    return found


def _denied_claims(
    claims: list[Claim], documents: list[Document], names: dict[str, str]
) -> list[Contradiction]:
    docs = {d.id: d for d in documents}
    live = [c for c in claims if not c.in_comment and c.speaker]
    denials = [c for c in live if c.cue_type == "deny"]
    stated = [c for c in live if c.cue_type in DENIABLE and c.about]
    found = []
    for deny in denials:
        deny_doc = docs.get(deny.document)
        for claim in stated:
            claim_doc = docs.get(claim.document)
            if outlet_of(claim_doc) == outlet_of(deny_doc) or claim.speaker == deny.speaker:
                continue
            if document_period(claim_doc) != document_period(deny_doc):
                continue
            # The accused denies, or the denial concerns exactly the claim's actors.
            if deny.speaker not in claim.about and set(deny.about) != set(claim.about):
                continue
            found.append(
                Contradiction(
                    kind="denial",
                    period=document_period(claim_doc),
                    actors=sorted({claim.speaker or "", *claim.about, deny.speaker or ""} - {""}),
                    outlets=(outlet_of(claim_doc), outlet_of(deny_doc)),
                    evidence=([claim.id], [deny.id]),
                    description=(
                        f"{outlet_of(claim_doc)} reports {_name(claim.speaker, names)} "
                        f"({claim.cue_type}) about {_names(claim.about, names)}; "
                        f"{outlet_of(deny_doc)} reports {_name(deny.speaker, names)} denying"
                    ),
                )
            )
    return found


def _denied_events(
    events: list[Event], documents: list[Document], names: dict[str, str]
) -> list[Contradiction]:
    docs = {d.id: d for d in documents}
    reported: dict[tuple[str, str, str, str], dict[str, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    denied: dict[tuple[str, str, str, str], dict[str, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for e in events:
        if e.in_comment or not e.source or not e.target:
            continue
        doc = docs.get(e.document)
        key = (event_period(e, doc), e.type, e.source, e.target)
        bucket = denied if e.negated or e.modality == "denied" else reported
        bucket[key][outlet_of(doc)].append(e.id)
    found = []
    for key in sorted(set(reported) & set(denied)):
        period, etype, source, target = key
        for o1, ids1 in sorted(reported[key].items()):
            for o2, ids2 in sorted(denied[key].items()):
                if o1 == o2:
                    continue
                found.append(
                    Contradiction(
                        kind="denied_event",
                        period=period,
                        actors=sorted({source, target}),
                        outlets=(o1, o2),
                        evidence=(ids1, ids2),
                        description=(
                            f"{o1} reports {_name(source, names)} {etype} "
                            f"{_name(target, names)} in {period}; {o2} reports it denied "
                            "or not done"
                        ),
                    )
                )
    return found


def _weighted_sign(weights: list[float]) -> float | None:
    """Sum of signed weights over sum of their sizes: +1 all cooperative, -1 all hostile."""
    total = sum(abs(w) for w in weights)
    return round(sum(weights) / total, 4) if total else None


def _distancing(cue: str) -> bool:
    return cue.lower().startswith(DISTANCING_CUES)


def _name(actor: str | None, names: dict[str, str]) -> str:
    return names.get(actor, actor) if actor else "someone"


def _names(actors: list[str], names: dict[str, str]) -> str:
    return ", ".join(_name(a, names) for a in actors)


def _word(sign: int) -> str:
    return "allied" if sign > 0 else "hostile"
