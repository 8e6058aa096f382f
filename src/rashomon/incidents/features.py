"""Pair features: how alike two events are, as the incident pair scorer reads them.

Each event is first reduced to an :class:`EventView` (quad, actors and their lineage up
the knowledge base's affiliations, its own date and its effective date, place);
``feature_matrix`` then gives one row of numbers in ``FEATURES`` order for each pair.

The features lean on what survives a change in event extraction: how alike the two
tellings read (sentence, each against the other's lead, how the pair ranks among the
other document's events), the story (the two leads), the quad family and the exact type
(two outlets' tellings of one act are mostly typed alike; the column raised the
out-of-fold figures, see the model card), whether
the actors in each role are compatible up the affiliations (an army and its state, a
militia and its movement) or clash (a generic group, "militias", does neither), and how
far apart the two tellings stand in their documents (``position_gap``: news leads with
the incident it is about and ends on background and reactions, so two outlets tell one
incident in like places; a story's neighbouring incidents, which read alike, mostly do
not). Modality is no feature: a
report of an act and another outlet's report of its denial are two tellings of one
incident (the contradiction the outlets view shows), and a weight on "denied" learns
instead how often the sample's negated events tell nothing.
Dates are no feature: on news of one conflict, tellings of one incident are published
days or weeks apart and undated ones abound, so a learned date weight reads the sample
rather than the world. They act as rules instead (``dates_apart``: two acts
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
    "same_quad", "same_type", "same_material", "same_polarity",
    "actors_exact", "actors_lineage", "actors_country", "actors_missing",
    "source_compatible", "source_clash", "target_compatible", "target_clash",
    "roles_swapped",
    "place_same", "place_country", "place_missing",
    "cosine", "cosine_document", "rank_in_document", "cosine_cross_lead",
    "same_document", "position_gap",
)

# Two acts whose own dates (the ones the texts give) lie further apart than this (days)
# are two incidents, whatever else they share; the gold of news dates allows +-1 day.
DATE_TOLERANCE_DAYS = 2
# Characters of a document's text that stand for its story.
LEAD_CHARS = 600
# Pairs whose vectors ``row_dots`` gathers at once: a few MiB, which stay in the caches.
DOT_ROWS = 4096


@dataclass
class EventView:
    id: str
    document: str
    quad: str
    type: str
    actors: frozenset[str]  # as the overlap columns compare them (``_overlap_key``)
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
    # where the event's sentence stands in its document's text, 0 (start) to 1 (end)
    position: float = 0.0


def event_views(events: Sequence[Event], documents: Iterable[Document],
                actors: Iterable[Actor]) -> list[EventView]:
    docs = {d.id: d for d in documents}
    kb = {a.id: a for a in actors}
    parents = _parents(kb.values())
    views = []
    for e in events:
        named = frozenset(x for x in (e.source, e.target) if x)
        compared = frozenset(k for k in (_overlap_key(x, kb) for x in named) if k)
        lineage = set(compared)
        for actor in named:
            if _generic(actor, kb) is None:
                lineage |= _ancestors(actor, parents, kb)
        countries = frozenset(c for c in (_country(x, kb) for x in named) if c)
        # a date read from the narration around the event, not its own words, is a guess
        # the report's date serves as well (the development incidents: 0.45 -> 0.43 with it)
        own, own_precision = parse_date(e.date if e.date_how != "narrative" else None)
        day, precision = effective_date(own, own_precision,
                                        *parse_date(document_date(docs.get(e.document))))
        place = e.place or {}
        views.append(EventView(
            id=e.id, document=e.document, quad=e.quad, type=e.type, actors=compared,
            lineage=frozenset(lineage), countries=countries, roles=(e.source, e.target),
            role_lineages=(_role_lineage(e.source, kb, parents),
                           _role_lineage(e.target, kb, parents)),
            day=day, precision=precision, own_day=own, own_precision=own_precision,
            place=(place.get("name") or None), place_country=place.get("country"),
            position=_position(e, docs.get(e.document))))
    return views


def _position(event: Event, doc: Document | None) -> float:
    """The event's offset as a share of its document's text (0 where unknown)."""
    length = len(doc.text or "") if doc is not None else 0
    return min(1.0, event.start / length) if length and not event.in_comment else 0.0


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


def own_spans(views: Sequence[EventView]) -> tuple[np.ndarray, np.ndarray]:
    """Per event, the first and last day (ordinals) of the span its own date covers when
    the text dates it to the month at least, else NaN: ``dates_apart`` on whole columns."""
    first = np.full(len(views), np.nan)
    last = np.full(len(views), np.nan)
    for n, v in enumerate(views):
        if v.own_precision >= 2 and v.own_day is not None:
            start, end = _span(v.own_day, v.own_precision)
            first[n], last[n] = start.toordinal(), end.toordinal()
    return first, last


def actor_features(a: EventView, b: EventView) -> list[float]:
    """The actor columns of one pair, in ``FEATURES`` order (actors_exact .. roles_swapped)."""
    source_ok, source_clash = _compatible(a.role_lineages[0], b.role_lineages[0])
    target_ok, target_clash = _compatible(a.role_lineages[1], b.role_lineages[1])
    return [
        _jaccard(a.actors, b.actors),
        _jaccard(a.lineage, b.lineage),
        _jaccard(a.countries, b.countries),
        float(not (a.actors and b.actors)),
        source_ok, source_clash, target_ok, target_clash,
        float(bool(a.roles[0]) and a.roles[0] == b.roles[1] and a.roles[0] != b.roles[0]),
    ]


def feature_matrix(views: Sequence[EventView], pairs: np.ndarray | Sequence[tuple[int, int]],
                   vectors: np.ndarray, leads: np.ndarray, words: np.ndarray,
                   codes: EventCodes | None = None, closeness: np.ndarray | None = None,
                   cosine: np.ndarray | None = None,
                   text_values: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Rows for ``pairs``; per event, ``vectors`` embed its sentence (MiniLM), ``leads``
    its document's title and lead (tellings of one story read alike) and ``words`` its
    sentence in the leads' space (static wordpiece vectors, ``cluster.text_vectors``).
    Everything is computed on whole columns at once, the actor columns once per distinct
    pair of (source, target) roles. A corpus' pairs scored chunk by chunk share ``codes``
    (``EventCodes(views)``) and give each chunk its part of the ``rank_in_document``
    column (``rank_closeness`` of all the pairs): both cost a pass over every event; so
    does the ``cosine`` column, which ``rank_closeness`` reads too (given: the pairs').
    ``text_values``, if given, holds the pairs' ``TEXT_COLUMNS`` (``text_columns``):
    computed once per pair of sentences, they need not be again per pair of events."""
    if not len(pairs):
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    index = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    i, j = index[:, 0], index[:, 1]
    codes = codes if codes is not None else EventCodes(views)
    if text_values is None:
        text_values = text_columns(index, vectors, leads, words, codes, closeness, cosine)
    quad, material, cooperation = codes.quad, codes.material, codes.cooperation
    place, country = codes.place, codes.place_country
    has_place = (place[i] >= 0) & (place[j] >= 0)
    columns = {
        "same_quad": quad[i] == quad[j],
        "same_type": codes.type[i] == codes.type[j],
        "same_material": material[i] == material[j],
        "same_polarity": cooperation[i] == cooperation[j],
        "place_same": has_place & (place[i] == place[j]),
        "place_country": (country[i] >= 0) & (country[i] == country[j]),
        "place_missing": ~has_place,
        "same_document": codes.document[i] == codes.document[j],
        "position_gap": np.abs(codes.position[i] - codes.position[j]),
        **text_values,
    }
    out = np.zeros((len(index), len(FEATURES)), dtype=np.float32)
    for name, column in columns.items():
        out[:, FEATURES.index(name)] = column
    first = FEATURES.index("actors_exact")
    out[:, first:first + len(ACTOR_FEATURES)] = codes.actor_columns(views, i, j)
    return out


# The columns that read only the two events' sentences and documents: alike for every
# pair of events of one pair of sentences (``text_columns``).
TEXT_COLUMNS = ("cosine", "cosine_document", "rank_in_document", "cosine_cross_lead")


def text_columns(pairs: np.ndarray, vectors: np.ndarray, leads: np.ndarray,
                 words: np.ndarray, codes: EventCodes, closeness: np.ndarray | None = None,
                 cosine: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The ``TEXT_COLUMNS`` of ``pairs`` (an (n, 2) array; see ``feature_matrix``), each
    pair's value a function of its own two rows of the arrays alone, so that one pair of
    sentences gives the same values whichever of its pairs of events asks."""
    i, j = pairs[:, 0], pairs[:, 1]
    if cosine is None:
        cosine = row_dots(vectors, vectors, i, j)
    if closeness is None:
        closeness = rank_closeness(pairs, vectors, codes.document, cosine)
    return {"cosine": cosine,
            "cosine_document": row_dots(leads, leads, i, j),
            "rank_in_document": closeness,
            "cosine_cross_lead": 0.5 * (row_dots(words, leads, i, j)
                                        + row_dots(words, leads, j, i))}


# The columns ``actor_features`` gives, contiguous in FEATURES.
ACTOR_FEATURES = ("actors_exact", "actors_lineage", "actors_country", "actors_missing",
                  "source_compatible", "source_clash", "target_compatible", "target_clash",
                  "roles_swapped")


def row_dots(a: np.ndarray, b: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``a[i[n]] . b[j[n]]`` for each n, DOT_ROWS pairs at a time: gathering the rows of
    every pair at once costs ten times the arithmetic (fresh memory for each copy)."""
    out = np.zeros(len(i), dtype=np.result_type(a, b))
    for start in range(0, len(i), DOT_ROWS):
        part = slice(start, start + DOT_ROWS)
        out[part] = np.einsum("nd,nd->n", a[i[part]], b[j[part]])
    return out


class EventCodes:
    """Per event, integer codes of what the vectorised columns compare (-1: none), and
    the actor columns of each pair of (source, target) roles met so far: they depend on
    the two events' roles alone, which repeat across pairs."""

    def __init__(self, views: Sequence[EventView]) -> None:
        def code(values: list) -> np.ndarray:
            seen: dict = {}
            return np.array([-1 if v is None else seen.setdefault(v, len(seen))
                             for v in values], dtype=np.int64)

        self.quad = code([v.quad for v in views])
        self.type = code([v.type for v in views])
        self.material = np.array([v.quad.startswith("material") for v in views], dtype=bool)
        self.cooperation = np.array([v.quad.endswith("cooperation") for v in views],
                                    dtype=bool)
        self.place = code([v.place for v in views])
        self.place_country = code([v.place_country for v in views])
        self.document = code([v.document for v in views])
        self.roles = code([v.roles for v in views])
        self.position = np.array([v.position for v in views], dtype=np.float32)
        # codes count up from 0 in order of first appearance, so np.unique lists them so
        self.first_with_roles = np.unique(self.roles, return_index=True)[1]
        self._actor_rows: dict[int, list[float]] = {}

    def actor_columns(self, views: Sequence[EventView], i: np.ndarray, j: np.ndarray
                      ) -> np.ndarray:
        """The actor columns (``ACTOR_FEATURES``) of the pairs (i, j)."""
        size = len(self.first_with_roles)
        distinct, which = np.unique(self.roles[i] * size + self.roles[j], return_inverse=True)
        rows = []
        for key in distinct.tolist():
            if key not in self._actor_rows:
                self._actor_rows[key] = actor_features(
                    views[self.first_with_roles[key // size]],
                    views[self.first_with_roles[key % size]])
            rows.append(self._actor_rows[key])
        return np.array(rows, dtype=np.float32).reshape(-1, len(ACTOR_FEATURES))[which.ravel()]


#: The most pair-by-event similarities ``_rank`` holds at once (float32: 64 MiB).
RANK_CELLS = 1 << 24


def rank_closeness(pairs: np.ndarray, vectors: np.ndarray, documents: np.ndarray,
                   cosine: np.ndarray | None = None) -> np.ndarray:
    """The ``rank_in_document`` column: per pair, 1 / (1 + how many events of the other's
    document read closer to each than the other does), averaged over the two sides.
    Computed a document at a time over all the pairs given (a pair per event and
    document pass would repeat the document's similarities for every chunk); ``cosine``,
    if given, holds the pairs' ``row_dots`` of ``vectors``."""
    index = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(index):
        return np.zeros(0)
    i, j = index[:, 0], index[:, 1]
    if cosine is None:
        cosine = row_dots(vectors, vectors, i, j)
    members = np.argsort(documents, kind="stable")
    starts = np.searchsorted(documents[members], np.arange(documents.max() + 2 if len(documents)
                                                            else 1))
    return 0.5 * (1.0 / (1 + _rank(i, j, cosine, vectors, documents, members, starts))
                  + 1.0 / (1 + _rank(j, i, cosine, vectors, documents, members, starts)))


def _rank(i: np.ndarray, j: np.ndarray, similarity: np.ndarray, vectors: np.ndarray,
          documents: np.ndarray, members: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per pair, how many events of j's document read closer to i than j does; the
    events of document d are ``members[starts[d]:starts[d + 1]]``."""
    ranks = np.zeros(len(i))
    order = np.lexsort((i, documents[j]))
    bounds = np.flatnonzero(np.diff(documents[j][order])) + 1
    for rows in np.split(order, bounds):
        document = int(documents[j[rows[0]]])
        others = vectors[members[starts[document]:starts[document + 1]]]
        # Pairs in slices of at most RANK_CELLS similarities: a document of thousands of
        # events met by a million pairs would otherwise need tens of GiB at once.
        step = max(1, RANK_CELLS // max(1, len(others)))
        for begin in range(0, len(rows), step):
            part = rows[begin:begin + step]
            # One row of similarities per distinct i: an event meets a document's events in
            # many pairs (the rows are sorted by i, so a slice holds few, in runs).
            firsts = i[part]
            run_starts = np.empty(len(firsts), dtype=bool)
            run_starts[0] = True
            np.not_equal(firsts[1:], firsts[:-1], out=run_starts[1:])
            distinct, which = firsts[run_starts], np.cumsum(run_starts) - 1
            sims = vectors[distinct] @ others.T
            ranks[part] = (sims[which] > similarity[part, None] + 1e-6).sum(axis=1)
    return ranks


def lead_text(doc: Document | None) -> str:
    """A document's title and first paragraph or so, for its story embedding."""
    if doc is None:
        return ""
    return f"{doc.title or ''}. {(doc.text or '')[:LEAD_CHARS]}"


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


def _role_lineage(actor: str | None, kb: dict[str, Actor], parents: dict[str, list[str]]
                  ) -> frozenset[str]:
    """``_lineage`` of a role's actor, or none (the role counts as unnamed) for a generic
    group ("militias", "the militants", "Iraqi civilians"): a description, which may
    stand for any of a story's named groups ("the Mahdi Army", "Kataib Hezbollah"), so it
    neither agrees nor clashes with one. Read as a clash, it split an operation's
    tellings by how each outlet named the other side (model card, issue #13, fourth pass)."""
    if actor and _generic(actor, kb) is not None:
        return frozenset()
    return _lineage(actor, parents)


def _generic(actor: str, kb: dict[str, Actor]) -> Actor | None:
    """The knowledge base's entry for ``actor`` if it is a generic group (kind ``group``:
    "militias", "armed groups", "Iraqi protesters"), else None."""
    found = kb.get(actor)
    return found if found is not None and found.kind == "group" else None


def _overlap_key(actor: str, kb: dict[str, Actor]) -> str | None:
    """An actor as the overlap columns (``actors_exact``, ``actors_lineage``,
    ``actors_missing``) compare it: a named actor by its id, a generic group by its sector
    ("sector:REB"), one without a sector not at all. Two outlets' "Shiite militias" and
    "armed groups" describe one kind of actor, which their ids would tell apart: a change
    in how the actors stage names such groups (a new collective noun, a new group id)
    then moved every pair that held one (model card, issue #13, fifth pass)."""
    group = _generic(actor, kb)
    if group is None:
        return actor
    return f"sector:{group.sector}" if group.sector else None


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
