"""Pair features: how alike two events are, as the incident pair scorer reads them.

Each event is first reduced to an :class:`EventView` (type family, actors and their
lineage up the knowledge base's affiliations, effective date, place, sentence vector);
``pair_features`` then gives one row of numbers in ``FEATURES`` order for each pair.
The layout is part of the shipped model (``models/incident_pairs.npz`` stores it), so a
change here means retraining with ``train/incident_pairs.py``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from ..outlet_registry import document_date
from ..relations import ROLLUP_RELATIONS
from ..types import Actor, Document, Event

FEATURES = (
    "same_type", "same_quad", "same_material", "same_polarity",
    "actors_exact", "actors_lineage", "actors_country", "actors_missing",
    "roles_swapped", "dates_known", "date_close", "same_day", "date_log_gap",
    "place_same", "place_country", "place_missing", "cosine", "cosine_frame", "cosine_document",
    "same_document",
    "denied_either",
)

# Date gaps (days) are scaled by this in ``date_close``: within a few days is "close".
DATE_SCALE_DAYS = 3.0
# Characters kept on each side of the trigger for the event's frame embedding.
FRAME_CHARS = 60
# Characters of a document's text that stand for its story.
LEAD_CHARS = 600
# Days up to which the log gap grows; beyond it every gap looks the same.
MAX_GAP_DAYS = 365.0


@dataclass
class EventView:
    id: str
    document: str
    type: str
    quad: str
    actors: frozenset[str]
    lineage: frozenset[str]  # the actors and their non-state ancestors
    countries: frozenset[str]
    roles: tuple[str | None, str | None]
    day: date | None
    precision: int  # 0 unknown, 1 year, 2 month, 3 day
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
        day, precision = parse_date(e.date or document_date(docs.get(e.document)))
        place = e.place or {}
        views.append(EventView(
            id=e.id, document=e.document, type=e.type, quad=e.quad, actors=named,
            lineage=frozenset(lineage), countries=countries, roles=(e.source, e.target),
            day=day, precision=precision, place=(place.get("name") or None),
            place_country=place.get("country"), denied=e.negated or e.modality == "denied"))
    return views


def pair_features(a: EventView, b: EventView, cosine: float, frame: float,
                  document: float) -> list[float]:
    """One row in ``FEATURES`` order."""
    gap = abs((a.day - b.day).days) if a.day and b.day else None
    # A month- or year-precise date is only known to that precision: a gap inside it is 0.
    if gap is not None and min(a.precision, b.precision) < 3:
        same_span = (a.day.year == b.day.year and
                     (min(a.precision, b.precision) == 1 or a.day.month == b.day.month))
        gap = 0 if same_span else gap
    has_actors = bool(a.actors) and bool(b.actors)
    has_place = bool(a.place) and bool(b.place)
    return [
        float(a.type == b.type),
        float(a.quad == b.quad),
        float(a.quad.startswith("material") == b.quad.startswith("material")),
        float(a.quad.endswith("cooperation") == b.quad.endswith("cooperation")),
        _jaccard(a.actors, b.actors),
        _jaccard(a.lineage, b.lineage),
        _jaccard(a.countries, b.countries),
        float(not has_actors),
        float(bool(a.roles[0]) and a.roles[0] == b.roles[1] and a.roles[0] != b.roles[0]),
        float(gap is not None),
        math.exp(-gap / DATE_SCALE_DAYS) if gap is not None else 0.0,
        float(gap == 0 and min(a.precision, b.precision) == 3) if gap is not None else 0.0,
        (math.log1p(min(gap, MAX_GAP_DAYS)) / math.log1p(MAX_GAP_DAYS)
         if gap is not None else 0.0),
        float(has_place and a.place == b.place),
        float(bool(a.place_country) and a.place_country == b.place_country),
        float(not has_place),
        float(cosine),
        float(frame),
        float(document),
        float(a.document == b.document),
        float(a.denied or b.denied),
    ]


def feature_matrix(views: Sequence[EventView], pairs: Sequence[tuple[int, int]],
                   vectors: np.ndarray, frames: np.ndarray, leads: np.ndarray) -> np.ndarray:
    """Rows for ``pairs``; per event, ``vectors`` embed its sentence, ``frames`` its frame
    and ``leads`` its document's title and lead (tellings of one story read alike)."""
    if not pairs:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    return np.array([pair_features(views[i], views[j], float(vectors[i] @ vectors[j]),
                                   float(frames[i] @ frames[j]), float(leads[i] @ leads[j]))
                     for i, j in pairs], dtype=np.float32)


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


def _country(actor: str, kb: dict[str, Actor]) -> str | None:
    found = kb.get(actor)
    return found.country if found else None


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
