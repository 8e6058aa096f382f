"""Pair features: how alike two events are, as the incident pair scorer reads them.

Each event is first reduced to an :class:`EventView` (quad, actors and their lineage up
the knowledge base's affiliations, its own date and its effective date, place);
``feature_matrix`` then gives one row of numbers in ``FEATURES`` order for each pair.

The features lean on what survives a change in event extraction: how alike the two
tellings read (sentence, the words around the trigger, each against the other's lead,
how the pair ranks among the other document's events), the story (the two leads), the
quad family rather than the exact type, and whether the actors in each role are
compatible up the affiliations (an army and its state, a militia and its movement) or
clash. Dates are no feature: on news of one conflict, tellings of one incident are
published days or weeks apart and undated ones abound, so a learned date weight reads
the sample rather than the world. They act as rules instead (``dates_apart``: two acts
the texts date on days apart are two incidents; ``cluster.BLOCK_DAYS`` bounds which
pairs are compared at all). The layout is part of the shipped model
(``models/incident_pairs.npz`` stores it), so a change here means retraining with
``train/incident_pairs.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from ..outlet_registry import document_date
from ..relations import ROLLUP_RELATIONS
from ..types import Actor, Document, Event

FEATURES = (
    "same_quad", "same_material", "same_polarity",
    "actors_exact", "actors_lineage", "actors_country", "actors_missing",
    "source_compatible", "source_clash", "target_compatible", "target_clash",
    "roles_swapped",
    "place_same", "place_country", "place_missing",
    "cosine", "cosine_frame", "cosine_document", "rank_in_document", "cosine_cross_lead",
    "same_document", "denied_either",
)

# Two acts whose own dates (the ones the texts give) lie further apart than this (days)
# are two incidents, whatever else they share; the gold of news dates allows +-1 day.
DATE_TOLERANCE_DAYS = 2
# Characters kept on each side of the trigger for the event's frame embedding.
FRAME_CHARS = 60
# Characters of a document's text that stand for its story.
LEAD_CHARS = 600


@dataclass
class EventView:
    id: str
    document: str
    quad: str
    actors: frozenset[str]
    lineage: frozenset[str]  # the actors and their non-state ancestors
    countries: frozenset[str]
    roles: tuple[str | None, str | None]
    role_lineages: tuple[frozenset[str], frozenset[str]]  # source's, target's, states included
    day: date | None  # effective date: the event's own, else its document's
    precision: int  # 0 unknown, 1 year, 2 month, 3 day
    own_day: date | None  # the date the text gives the act
    own_precision: int
    place: str | None
    place_country: str | None
    denied: bool


def event_views(events: Sequence[Event], documents: Iterable[Document],
                actors: Iterable[Actor]) -> list[EventView]:
    docs = {d.id: d for d in documents}
    kb = {a.id: a for a in actors}
    parents = _parents(kb.values())
    views = []
    for e in events:
        named = frozenset(x for x in (e.source, e.target) if x)
        lineage = set(named)
        for actor in named:
            lineage |= _ancestors(actor, parents, kb)
        countries = frozenset(c for c in (_country(x, kb) for x in named) if c)
        own, own_precision = parse_date(e.date)
        day, precision = effective_date(own, own_precision,
                                        *parse_date(document_date(docs.get(e.document))))
        place = e.place or {}
        views.append(EventView(
            id=e.id, document=e.document, quad=e.quad, actors=named,
            lineage=frozenset(lineage), countries=countries, roles=(e.source, e.target),
            role_lineages=(_lineage(e.source, parents), _lineage(e.target, parents)),
            day=day, precision=precision, own_day=own, own_precision=own_precision,
            place=(place.get("name") or None), place_country=place.get("country"),
            denied=e.negated or e.modality == "denied"))
    return views


def effective_date(own: date | None, own_precision: int, published: date | None,
                   published_precision: int) -> tuple[date | None, int]:
    """The event's own date, else its document's; a report's day inside the coarser span
    the text gives ("in 2008", "in March") stands for it: more precise, and consistent."""
    if own and (own_precision == 3 or not published or published_precision < 3
                or not _within(published, own, own_precision)):
        return own, own_precision
    return (published, published_precision) if published else (None, 0)


def dates_apart(a: EventView, b: EventView, tolerance: int = DATE_TOLERANCE_DAYS) -> bool:
    """Both texts date their act (to the month at least) and the spans those dates cover
    lie more than ``tolerance`` days apart: two acts, not two tellings of one."""
    if a.own_precision < 2 or b.own_precision < 2:
        return False
    (a0, a1), (b0, b1) = _span(a.own_day, a.own_precision), _span(b.own_day, b.own_precision)
    return (b0 - a1).days > tolerance or (a0 - b1).days > tolerance


def pair_features(a: EventView, b: EventView, cosine: float, frame: float, document: float,
                  rank: float, cross_lead: float) -> list[float]:
    """One row in ``FEATURES`` order."""
    has_actors = bool(a.actors) and bool(b.actors)
    has_place = bool(a.place) and bool(b.place)
    source_ok, source_clash = _compatible(a.role_lineages[0], b.role_lineages[0])
    target_ok, target_clash = _compatible(a.role_lineages[1], b.role_lineages[1])
    return [
        float(a.quad == b.quad),
        float(a.quad.startswith("material") == b.quad.startswith("material")),
        float(a.quad.endswith("cooperation") == b.quad.endswith("cooperation")),
        _jaccard(a.actors, b.actors),
        _jaccard(a.lineage, b.lineage),
        _jaccard(a.countries, b.countries),
        float(not has_actors),
        source_ok, source_clash, target_ok, target_clash,
        float(bool(a.roles[0]) and a.roles[0] == b.roles[1] and a.roles[0] != b.roles[0]),
        float(has_place and a.place == b.place),
        float(bool(a.place_country) and a.place_country == b.place_country),
        float(not has_place),
        cosine, frame, document, rank, cross_lead,
        float(a.document == b.document),
        float(a.denied or b.denied),
    ]


def feature_matrix(views: Sequence[EventView], pairs: Sequence[tuple[int, int]],
                   vectors: np.ndarray, frames: np.ndarray, leads: np.ndarray) -> np.ndarray:
    """Rows for ``pairs``; per event, ``vectors`` embed its sentence, ``frames`` its frame
    and ``leads`` its document's title and lead (tellings of one story read alike)."""
    if not pairs:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    members: dict[str, list[int]] = {}
    for n, v in enumerate(views):
        members.setdefault(v.document, []).append(n)
    doc_sims: dict[tuple[int, str], np.ndarray] = {}

    def rank(i: int, j: int, similarity: float) -> int:
        """How many events of j's document read closer to i than j does."""
        key = (i, views[j].document)
        if key not in doc_sims:
            doc_sims[key] = vectors[members[key[1]]] @ vectors[i]
        return int((doc_sims[key] > similarity + 1e-6).sum())

    rows = []
    for i, j in pairs:
        cosine = float(vectors[i] @ vectors[j])
        closeness = 0.5 * (1.0 / (1 + rank(i, j, cosine)) + 1.0 / (1 + rank(j, i, cosine)))
        cross_lead = 0.5 * (float(vectors[i] @ leads[j]) + float(vectors[j] @ leads[i]))
        rows.append(pair_features(views[i], views[j], cosine, float(frames[i] @ frames[j]),
                                  float(leads[i] @ leads[j]), closeness, cross_lead))
    return np.array(rows, dtype=np.float32)


def lead_text(doc: Document | None) -> str:
    """A document's title and first paragraph or so, for its story embedding."""
    if doc is None:
        return ""
    return f"{doc.title or ''}. {(doc.text or '')[:LEAD_CHARS]}"


def frame_text(event: Event) -> str:
    """The words around the trigger: what was done, without the rest of a long sentence."""
    if event.trigger_start is None:
        return event.sentence
    start = max(0, event.trigger_start - event.start - FRAME_CHARS)
    end = (event.trigger_end or event.trigger_start) - event.start + FRAME_CHARS
    return event.sentence[start:end]


def parse_date(value: str | None) -> tuple[date | None, int]:
    """A YYYY[-MM[-DD]] string as (first day it covers, precision)."""
    if not value:
        return None, 0
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts[:3]]
        return date(numbers[0], *(numbers[1:] + [1] * (3 - len(numbers)))[:2]), len(numbers)
    except (ValueError, TypeError, IndexError):
        return None, 0


def _span(day: date, precision: int) -> tuple[date, date]:
    """First and last day a date of this precision covers."""
    if precision >= 3:
        return day, day
    if precision == 2:
        following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return day, following - timedelta(days=1)
    return day, date(day.year, 12, 31)


def _within(day: date, span_start: date, precision: int) -> bool:
    start, end = _span(span_start, precision)
    return start <= day <= end


def _parents(actors: Iterable[Actor]) -> dict[str, list[str]]:
    return {a.id: [x["actor"] for x in a.affiliations
                   if x.get("relation") in ROLLUP_RELATIONS and x.get("actor")]
            for a in actors}


def _ancestors(actor: str, parents: dict[str, list[str]], kb: dict[str, Actor]) -> set[str]:
    """Non-state ancestors: a militia's movement counts, the state all share does not."""
    seen: set[str] = set()
    todo = list(parents.get(actor, []))
    while todo:
        node = todo.pop()
        if node in seen or (node in kb and kb[node].kind == "state"):
            continue
        seen.add(node)
        todo += parents.get(node, [])
    return seen


def _lineage(actor: str | None, parents: dict[str, list[str]]) -> frozenset[str]:
    """The actor and all it belongs to, states included: an army and its state agree."""
    seen: set[str] = set()
    todo = [actor] if actor else []
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo += parents.get(node, [])
    return frozenset(seen)


def _compatible(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """(compatible, clash) of two actors in one role; (0, 0) when either is unnamed."""
    if not a or not b:
        return 0.0, 0.0
    shared = bool(a & b)
    return float(shared), float(not shared)


def _country(actor: str, kb: dict[str, Actor]) -> str | None:
    found = kb.get(actor)
    return found.country if found else None


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
