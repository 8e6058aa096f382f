"""Outlets compared on one screen: what each covers and omits, how it names and treats actors.

Built on incidents (``rashomon.incidents``): one strike told by three outlets is one
incident told three times, so coverage is a matrix of incidents by outlets.

* Outlets: each document's outlet from the registry (``outlet_registry``: metadata, URL
  or a wire credit in the text), with its country, owner type and bloc; a warning when
  fewer than two outlets can be told apart, since there is nothing to compare.
* Coverage and blind spots: which incidents each outlet tells; an outlet's blind spots are
  incidents that outlets of another group (bloc, else country) tell while it was
  reporting on the same weeks (it tells some other incident within ``BLIND_SPOT_DAYS``).
* Stance: how an outlet presents an actor. ``tone`` is the weighted mean sign of
  the acts it reports the actor committing (the weights of ``relations``), so an
  outlet that shows an actor attacking scores it negative, one that shows it
  aiding positive. ``distancing`` is the share of the actor's quoted speech the
  outlet introduces with a distancing verb ("claimed", "alleged") rather than a
  neutral one ("said"); ``hedged`` the share of its acts the outlet does not
  assert in its own voice. The overall ``score`` is the tone lowered by
  distancing. The tone measures what is reported, not approval: an outlet can
  report strikes by the side it favours, so read the score with its evidence.
* Labels: the words each outlet uses for each actor besides its names ("rioters",
  "martyrs"), loaded words (``data/lexicon/labels.yaml``) marked.
* Sources: whom each outlet quotes most.
* Contradictions: between tellings of one incident (``incidents.tellings``), and a
  claim one outlet reports that a speaker in another outlet denies.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .incidents.features import parse_date
from .incidents.tellings import (
    NO_OUTLET,
    IncidentView,
    actor_labels,
    incident_views,
)
from .incidents.tellings import (
    Contradiction as TellingContradiction,
)
from .outlet_registry import Outlet, Registry, default_registry, outlet_for, outlet_name
from .relations import build_relations, document_period, event_weight
from .types import Actor, Analysis, Claim, Document, Event, Mention, Relation

# An outlet that tells some incident within this many days of another incident was
# reporting on those weeks: leaving that incident out is a blind spot. Chosen, not
# calibrated: about a news cycle around the incident.
BLIND_SPOT_DAYS = 14

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
class Contradiction:
    """Two outlets that disagree, in what way, and the evidence on each side."""

    kind: str  # denial (of a claim reported elsewhere)
    period: str
    actors: list[str]
    outlets: tuple[str, str]
    evidence: tuple[list[str], list[str]]  # event/claim ids in each outlet, in order
    description: str


@dataclass
class OutletProfile:
    """One outlet: who it is, how we know, and how many documents it has here."""

    name: str
    documents: int
    country: str | None = None
    owner: str | None = None
    group: str | None = None
    found_by: str = "metadata"  # metadata, url, text, none


@dataclass
class BlindSpot:
    incident: str
    told_by: list[str]  # outlets of other groups that tell it


@dataclass
class OutletView:
    """Everything the outlet comparison shows."""

    outlets: list[str]
    profiles: dict[str, OutletProfile]
    incidents: list[IncidentView]  # told by two or more documents, most told first
    coverage: dict[str, dict[str, list[str]]]  # incident -> outlet -> its event ids
    blind_spots: dict[str, list[BlindSpot]]
    stances: list[Stance]
    labels: dict[str, dict[str, list[str]]]  # outlet -> actor -> words used
    quoted: dict[str, list[tuple[str, int]]]
    contradictions: list[TellingContradiction | Contradiction]
    relations: dict[str, list[Relation]]
    warning: str | None = None


def outlet_view(analysis: Analysis, registry: Registry | None = None) -> OutletView:
    """The whole outlet comparison for an analysed corpus."""
    registry = registry or default_registry()
    profiles = outlet_profiles(analysis.documents, registry)
    views = incident_views(analysis)
    multi = sorted((v for v in views if len(v.incident.documents) > 1),
                   key=lambda v: (-len(v.tellings), -len(v.incident.events), v.incident.id))
    coverage = {v.incident.id: {o: [t.event for t in ts] for o, ts in v.tellings.items()}
                for v in views}
    args = (analysis.events, analysis.claims, analysis.documents)
    return OutletView(
        outlets=sorted(profiles),
        profiles=profiles,
        incidents=multi,
        coverage=coverage,
        blind_spots=blind_spots(views, profiles),
        stances=stances(*args),
        labels=outlet_labels(analysis.mentions, analysis.documents, analysis.actors),
        quoted=most_quoted(analysis.claims, analysis.documents),
        contradictions=[c for v in views for c in v.contradictions]
        + _denied_claims(analysis.claims, analysis.documents,
                         {a.id: a.name for a in analysis.actors}),
        relations=outlet_relations(*args, analysis.actors),
        warning=comparison_warning(profiles),
    )


def outlet_profiles(documents: Iterable[Document], registry: Registry | None = None
                    ) -> dict[str, OutletProfile]:
    registry = registry or default_registry()
    profiles: dict[str, OutletProfile] = {}
    for doc in documents:
        outlet, how = outlet_for(doc, registry)
        name = outlet.name if outlet else (doc.outlet or NO_OUTLET)
        profile = profiles.get(name)
        if profile is None:
            profile = profiles[name] = _profile(name, outlet, how)
        profile.documents += 1
    return dict(sorted(profiles.items()))


def _profile(name: str, outlet: Outlet | None, how: str) -> OutletProfile:
    if outlet is None:
        return OutletProfile(name=name, documents=0, found_by=how, group=name)
    return OutletProfile(name=name, documents=0, country=outlet.country, owner=outlet.owner,
                         group=outlet.group, found_by=how)


def comparison_warning(profiles: dict[str, OutletProfile]) -> str | None:
    """Why the comparison says little, if it does: no outlet known, or only one."""
    known = [p for p in profiles.values() if p.name != NO_OUTLET]
    unknown = profiles.get(NO_OUTLET)
    if not known:
        return ("no document names its outlet (no outlet metadata, no known domain, no wire "
                "credit): there is nothing to compare; give outlets in the input records or "
                "extend the outlet registry with --outlets")
    if len(known) == 1:
        return f"only one outlet ({known[0].name}): there is no other telling to compare"
    if unknown:
        return (f"{unknown.documents} document(s) without a known outlet are grouped under "
                f"{NO_OUTLET}")
    return None


def blind_spots(views: list[IncidentView], profiles: dict[str, OutletProfile]
                ) -> dict[str, list[BlindSpot]]:
    """Per outlet, incidents outlets of another group tell while it reported those weeks."""
    group = {name: p.group or name for name, p in profiles.items()}
    days: dict[str, list] = defaultdict(list)
    dated = []
    for v in views:
        day, _ = parse_date(v.incident.date)
        dated.append((v, day))
        if day:
            for outlet in v.tellings:
                days[outlet].append(day)
    found: dict[str, list[BlindSpot]] = {}
    for outlet in profiles:
        if outlet == NO_OUTLET:
            continue
        spots = []
        for v, day in dated:
            if outlet in v.tellings or day is None:
                continue
            others = [o for o in v.tellings if o != NO_OUTLET and group.get(o) != group[outlet]]
            active = any(abs((day - d).days) <= BLIND_SPOT_DAYS for d in days[outlet])
            if others and active:
                spots.append(BlindSpot(v.incident.id, sorted(others)))
        found[outlet] = spots
    return found


def outlet_labels(mentions: Iterable[Mention], documents: Iterable[Document],
                  actors: Iterable[Actor]) -> dict[str, dict[str, list[str]]]:
    """Per outlet and actor, the words it uses for the actor besides its names."""
    outlet = {d.id: outlet_of(d) for d in documents}
    kb = {a.id: a for a in actors}
    by_outlet: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if not m.in_comment:
            by_outlet[outlet.get(m.document, NO_OUTLET)].append(m)
    result: dict[str, dict[str, list[str]]] = {}
    for name, ms in sorted(by_outlet.items()):
        words = {a: actor_labels(a, ms, kb) for a in sorted({m.actor for m in ms})}
        result[name] = {a: w for a, w in words.items() if w}
    return result


def outlet_of(doc: Document | None) -> str:
    """The outlet a document is compared under (the registry's name when known), or
    NO_OUTLET."""
    return outlet_name(doc) or NO_OUTLET


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
