"""Events across documents clustered into incidents by a learned pair scorer.

The stages, each its own module:

1. Candidate pairs (``candidates``): every two events (reader comments left out) whose
   effective dates (the event's own, else its document's) lie within ``BLOCK_DAYS``, or
   that lack one. Pairs whose texts date their acts on days apart
   (``features.dates_apart``) are not scored: they are two incidents, and the clustering
   never joins them.
2. The events of one sentence are one telling (``linkage.telling_pairs``). A logistic-regression
   pair scorer (``models/incident_pairs.npz``, trained by ``train/incident_pairs.py`` on
   the development gold with leave-story-out cross-validation) gives each pair of
   tellings the probability that both tell one incident, scored once on the mean of its
   event pairs' feature rows (``score_pairs``), each weighted by how likely both events
   are their sentences' main events (``pair_weights``). A misread event beside the right
   one (a second type, a role from a pronoun, an agentless passive with no actor, a
   reporting verb read as an act) moves its sentence's columns by its share instead of
   deciding them, and a sentence's extra events neither add pairs to the average nor
   stand in for it at their best (model card, "Issue #13, third pass").
3. Pairs at or above the model's threshold link tellings into components
   (``linkage.cluster``); inside each
   component average linkage over pairs of different documents keeps together only
   tellings whose mean pair probability stays above the threshold, so one loose link does
   not chain two incidents, nor does a group form whose dated tellings span more than
   ``BLOCK_DAYS`` (a chain through undated tellings joined acts years apart). A telling
   the average leaves alone stays alone: one probable pair is not enough (joining it to
   its best pair's group joined neighbouring incidents of one story more often than it
   rejoined a split one; model card).

The threshold was chosen by the same cross-validation (see the model card).
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache

import numpy as np

from ..blas import one_blas_thread
from ..embed import DIMENSIONS, encode
from ..models import LinearModel, packaged
from ..static_embed import FILE as STATIC_FILE
from ..static_embed import static_vectors
from ..types import Actor, Document, Event, Incident
from .candidates import candidate_pairs, split_apart
from .features import (
    FEATURES,
    EventCodes,
    EventView,
    event_views,
    feature_matrix,
    lead_text,
    rank_closeness,
    row_dots,
    text_columns,
)
from .linkage import cluster, telling_days, telling_pairs, telling_units

MODEL_FILE = "incident_pairs.npz"

# Pairs scored at once: the feature rows of one chunk are all that is held.
SCORE_CHUNK = 20_000
# The least salience an event counts with in its pair of tellings (``pair_weights``): a
# sentence's events all weigh something, however sure the salience model is.
SALIENCE_FLOOR = 0.1


@cache
def pair_model() -> LinearModel:
    path = packaged(MODEL_FILE)
    model = LinearModel.load(path)
    if model.meta.get("features") != list(FEATURES):
        raise ValueError(f"{path}: trained on other pair features than "
                         "rashomon.incidents.features.FEATURES; retrain it with "
                         "train/incident_pairs.py")
    return model


def text_key(text: str) -> str:
    """A sentence vector's key in a store: its text's, marked as the quantized encoder's
    (``rashomon.embed``), so that a store's vectors of the float encoder are not read as
    these (they are encoded again)."""
    return hashlib.sha1(b"int8\n" + text.encode("utf-8")).hexdigest()


def text_vectors(events: Sequence[Event], documents: Sequence[Document],
                 known: dict[str, bytes] | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per event: the quantized MiniLM vector of its sentence (``rashomon.embed``:
    what ``BackgroundEncoder`` gives by default), and static wordpiece vectors
    (``rashomon.static_embed``) of its document's lead and of its sentence, which the
    lead is compared with. Only the sentences run through the encoder, each distinct one
    once: a lead is several sentences long, and as static vectors the story columns
    score within noise of the encoder's at a third less encoding (model card). ``known``
    maps ``text_key`` to a sentence vector's float32 bytes; sentences it lacks are
    encoded and added to it."""
    table = static_vectors()
    if table is None:
        raise RuntimeError(f"{STATIC_FILE} is missing from rashomon/models: the incident "
                           "pair features read it")
    docs = {d.id: d for d in documents}
    sentences = [e.sentence for e in events]
    texts = sorted(set(sentences))
    if not texts:
        return (np.zeros((0, DIMENSIONS), dtype=np.float32),
                np.zeros((0, table.dims), dtype=np.float32),
                np.zeros((0, table.dims), dtype=np.float32))
    index = {s: n for n, s in enumerate(texts)}
    known = {} if known is None else known
    keys = [text_key(t) for t in texts]
    missing = [n for n, k in enumerate(keys) if k not in known]
    fresh = encode([texts[n] for n in missing], quantized=True)
    for n, vector in zip(missing, fresh, strict=True):
        known[keys[n]] = vector.astype(np.float32).tobytes()
    vectors = np.stack([np.frombuffer(known[k], dtype=np.float32) for k in keys])
    rows = [index[s] for s in sentences]
    lead_of = [lead_text(docs.get(e.document)) for e in events]
    leads = sorted(set(lead_of))
    lead_index = {s: n for n, s in enumerate(leads)}
    lead_vectors = table.encode(leads)
    return (vectors[rows], lead_vectors[[lead_index[s] for s in lead_of]],
            table.encode(texts)[rows])


def score_pairs(views: Sequence[EventView], pairs: np.ndarray | Sequence[tuple[int, int]],
                vectors: tuple[np.ndarray, ...], model: LinearModel | None = None,
                rows: np.ndarray | None = None, n_rows: int | None = None,
                weights: np.ndarray | None = None) -> np.ndarray:
    """The probability of each pair; given ``rows`` (per pair, the row it feeds, 0 ..
    ``n_rows`` - 1: its pair of tellings, see ``telling_pairs``), of each row, scored on
    the mean of its pairs' feature rows, weighted by ``weights`` (``pair_weights``)."""
    model = model or pair_model()
    index = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    codes = EventCodes(views)
    # a product per document (rank_closeness) and per chunk: many small ones
    with one_blas_thread():
        if rows is None:
            # the sentences' cosines, which rank_closeness and the rows both read: once
            cosine = row_dots(vectors[0], vectors[0], index[:, 0], index[:, 1])
            closeness = rank_closeness(index, vectors[0], codes.document, cosine)
            probs = np.zeros(len(index), dtype=np.float32)
            for start in range(0, len(index), SCORE_CHUNK):
                chunk = slice(start, start + SCORE_CHUNK)
                probs[chunk] = model.predict_proba(feature_matrix(
                    views, index[chunk], *vectors, codes, closeness[chunk],
                    cosine[chunk]))[:, 1]
            return probs
        n_rows = int(rows.max()) + 1 if len(rows) and n_rows is None else (n_rows or 0)
        weights = np.ones(len(index)) if weights is None else np.asarray(weights)
        # The text columns read the two events' sentences and documents alone, which a
        # row's pairs share (one pair of tellings): computed once per row, on its first
        # pair, and read by all its pairs (a telling holds one to a few events).
        present, first = np.unique(rows, return_index=True)
        slot = np.zeros(n_rows, dtype=np.int64)
        slot[present] = np.arange(len(present))
        shared = text_columns(index[first], *vectors, codes)
        sums = np.zeros((n_rows, len(FEATURES)))
        for start in range(0, len(index), SCORE_CHUNK):
            chunk = slice(start, start + SCORE_CHUNK)
            of_chunk = slot[rows[chunk]]
            # sums over the chunk's own rows: a pass over all n_rows per chunk is quadratic
            present, local = np.unique(rows[chunk], return_inverse=True)
            sums[present] += mean_rows(
                feature_matrix(views, index[chunk], *vectors, codes,
                               text_values={k: v[of_chunk] for k, v in shared.items()}),
                local, len(present), weights[chunk], total=True)
        means = sums / np.maximum(np.bincount(rows, weights, minlength=n_rows), 1e-12)[:, None]
        return (model.predict_proba(means)[:, 1].astype(np.float32) if n_rows
                else np.zeros(0, dtype=np.float32))


def pair_weights(events: Sequence[Event], pairs: np.ndarray) -> np.ndarray:
    """Per event pair, its weight in its pair of tellings' mean: how likely both are their
    sentences' main events (``Event.salience``, at least SALIENCE_FLOOR; 1 where no
    salience model ran). A sentence's reporting verb read as an act ("officials said")
    or a misread noun then barely moves the columns of the act the sentence tells."""
    salience = np.array([1.0 if e.salience is None else max(e.salience, SALIENCE_FLOOR)
                         for e in events])
    index = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return salience[index[:, 0]] * salience[index[:, 1]]


def mean_rows(x: np.ndarray, rows: np.ndarray, n_rows: int, weights: np.ndarray | None = None,
              total: bool = False) -> np.ndarray:
    """Per row 0 .. ``n_rows`` - 1, the mean (``total``: the sum) of the rows of ``x``
    that ``rows`` assigns to it, each counted by its weight (default 1); a row nothing
    feeds is 0."""
    out = np.zeros((n_rows, x.shape[1]))
    weights = np.ones(len(rows)) if weights is None else weights
    for column in range(x.shape[1]):
        out[:, column] = np.bincount(rows, weights=x[:, column] * weights, minlength=n_rows)
    if not total:
        out /= np.maximum(np.bincount(rows, weights, minlength=n_rows), 1e-12)[:, None]
    return out


def build_incidents(events: Sequence[Event], documents: Sequence[Document],
                    actors: Sequence[Actor], model: LinearModel | None = None,
                    known_vectors: dict[str, bytes] | None = None) -> list[Incident]:
    """Cluster the events into incidents and set each event's ``incident``.

    Every event outside reader comments belongs to one incident, a single telling
    included (an incident one outlet alone reports is what the others leave out).
    ``known_vectors`` (text key -> vector bytes) saves encoding texts seen before; the
    ones encoded now are added to it.
    """
    with collector_paused():
        return _build_incidents(events, documents, actors, model, known_vectors)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Within the block, Python's cyclic garbage collector does not run. Clustering
    allocates millions of small lists and tuples (a record per pair of tellings, heap
    entries), none of them in a cycle, and each allocation burst would set off full
    collections that walk them and every other live object of the process again: about
    a tenth of the step's time on a store of 2,000 articles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build_incidents(events: Sequence[Event], documents: Sequence[Document],
                     actors: Sequence[Actor], model: LinearModel | None,
                     known_vectors: dict[str, bytes] | None) -> list[Incident]:
    model = model or pair_model()
    live = [e for e in events if not e.in_comment]
    for e in events:
        e.incident = None
    if not live:
        return []
    views = event_views(live, documents, actors)
    vectors = text_vectors(live, documents, known_vectors)
    pairs, apart = split_apart(views, candidate_pairs(views, vectors[0]))
    members, tellings, rows, tellings_apart = telling_pairs(telling_units(live), pairs, apart)
    scored = rows >= 0
    probs = score_pairs(views, pairs[scored], vectors, model, rows[scored], len(tellings),
                        pair_weights(live, pairs[scored]))
    threshold = float(model.meta.get("threshold", 0.5))
    groups = cluster(len(members), tellings, probs, threshold,
                     model.meta.get("linkage", "average"),
                     [live[m[0]].document for m in members], tellings_apart,
                     telling_days(members, views))
    # Per telling, its most probable pair (for a lone telling's confidence); the pairs
    # inside each group (for a group's): never a table of all pairs.
    nearest = np.zeros(len(members))
    np.maximum.at(nearest, tellings[:, 0], probs)
    np.maximum.at(nearest, tellings[:, 1], probs)
    group_of = np.zeros(len(members), dtype=np.int64)
    for n, group in enumerate(groups):
        group_of[group] = n
    inner = group_of[tellings[:, 0]] == group_of[tellings[:, 1]]
    inner_probs: dict[int, list[float]] = {}
    for g, p in zip(group_of[tellings[inner, 0]].tolist(), probs[inner].tolist(), strict=True):
        inner_probs.setdefault(g, []).append(p)
    names = {a.id: a.name for a in actors}
    incidents = []
    for n, group in enumerate(groups):
        indices = sorted(i for u in group for i in members[u])
        # a group of tellings: the mean of the pairs of them it holds (pairs never scored
        # count 0); a lone telling: how sure we are that it is apart from its nearest one
        if len(group) > 1:
            confidence = sum(inner_probs.get(n, [])) / (len(group) * (len(group) - 1) / 2)
        else:
            confidence = 1.0 - float(nearest[group[0]])
        incident = assemble([live[i] for i in indices], views, indices, confidence, names)
        for i in indices:
            live[i].incident = incident.id
        incidents.append(incident)
    return sorted(incidents, key=lambda x: (x.date or "", x.id))


def assemble(members: list[Event], views: Sequence[EventView], group: list[int],
             confidence: float, names: dict[str, str]) -> Incident:
    """An Incident from its tellings: the most told type, date, place; all actors."""
    ids = sorted(e.id for e in members)
    digest = hashlib.sha1("\n".join(ids).encode()).hexdigest()[:10]
    etype = Counter(e.type for e in members).most_common(1)[0][0]
    dates = Counter(e.date for e in members if e.date)
    day_views = [views[i] for i in group if views[i].day]
    if dates:
        when = max(dates.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
    elif day_views:
        best = max(day_views, key=lambda v: v.precision)
        when = best.day.isoformat()[: {1: 4, 2: 7, 3: 10}[best.precision]]
    else:
        when = None
    places = Counter(e.place["name"] for e in members if e.place and e.place.get("name"))
    place = None
    if places:
        top = places.most_common(1)[0][0]
        place = next(e.place for e in members if e.place and e.place.get("name") == top)
    sources = Counter(e.source for e in members if e.source)
    targets = Counter(e.target for e in members if e.target)
    return Incident(
        id=f"inc-{digest}", events=ids, documents=sorted({e.document for e in members}),
        type=etype, date=when, place=place,
        actors=sorted({x for e in members for x in (e.source, e.target) if x}),
        summary=summary(etype, sources, targets, place, when, len({e.document for e in members}),
                        names),
        confidence=round(confidence, 4),
    )


def summary(etype: str, sources: Counter[str], targets: Counter[str],
            place: dict | None, when: str | None, n_documents: int,
            names: dict[str, str]) -> str:
    """One line: who did what to whom, where, when, and by how many documents it is told."""
    def who(counter: Counter[str]) -> str:
        if not counter:
            return "unnamed"
        ranked = [names.get(a, a) for a, _ in counter.most_common(2)]
        return " / ".join(ranked)

    where = f" in {place['name']}" if place and place.get("name") else ""
    on = f" on {when}" if when else ""
    told = f"told by {n_documents} document{'s' if n_documents != 1 else ''}"
    return f"{etype}: {who(sources)} → {who(targets)}{where}{on} ({told})"
