"""Events across documents clustered into incidents by a learned pair scorer.

1. Candidate pairs: every two events (reader comments left out) whose effective dates
   (the event's own, else its document's) lie within ``BLOCK_DAYS``, or that lack one.
   Pairs whose texts date their acts on days apart (``features.dates_apart``) are not
   scored: they are two incidents, and the clustering never joins them.
2. The events of one sentence are one telling (``telling_pairs``). A logistic-regression
   pair scorer (``models/incident_pairs.npz``, trained by ``train/incident_pairs.py`` on
   the development gold with leave-story-out cross-validation) gives each pair of
   tellings the probability that both tell one incident, scored once on the mean of its
   event pairs' feature rows (``score_pairs``), each weighted by how likely both events
   are their sentences' main events (``pair_weights``). A misread event beside the right
   one (a second type, a role from a pronoun, an agentless passive with no actor, a
   reporting verb read as an act) moves its sentence's columns by its share instead of
   deciding them, and a sentence's extra events neither add pairs to the average nor
   stand in for it at their best (model card, "Issue #13, third pass").
3. Pairs at or above the model's threshold link tellings into components; inside each
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
import heapq
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ..blas import one_blas_thread
from ..embed import DIMENSIONS, encode
from ..models import LinearModel, packaged
from ..static_embed import FILE as STATIC_FILE
from ..static_embed import static_vectors
from ..types import Actor, Document, Event, Incident
from .features import (
    DATE_TOLERANCE_DAYS,
    FEATURES,
    EventCodes,
    EventView,
    event_views,
    feature_matrix,
    lead_text,
    own_spans,
    rank_closeness,
    row_dots,
    text_columns,
)

MODEL_FILE = "incident_pairs.npz"

# Events further apart than this (days) are never compared: one incident's tellings are
# dated within days of each other.
BLOCK_DAYS = 60
# Pairs scored at once: the feature rows of one chunk are all that is held.
SCORE_CHUNK = 20_000
# Each event is compared with at most this many others, the most similar by sentence among
# those its date window holds (an undated one: among all, or in a large corpus among its
# nearest cells, see EXACT_NEAREST_EVENTS): tellings of one incident read alike (the pair
# model's largest weights are its two cosines), and the bound keeps the
# pairs linear in the corpus however many events a window holds. No development article's
# window holds as many, so there every pair in a window is compared.
NEIGHBOURS = 200
# Similarities computed at once: a block of events against its date window.
SIMILARITY_CELLS = 20_000_000
# Up to this many events, an undated one is compared with the NEIGHBOURS most similar of
# them all; beyond, with the most similar among the events of the PROBE_CELLS cells of
# sentences (``sentence_cells``) nearest its own: a search among all is quadratic in the
# corpus, and the pairs the scorer joins read alike (its largest weights are cosines),
# so they lie in near cells. No development corpus holds as many events.
EXACT_NEAREST_EVENTS = 5_000
PROBE_CELLS = 8
KMEANS_ROUNDS = 4
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


def candidate_pairs(views: Sequence[EventView], vectors: np.ndarray | None = None
                    ) -> np.ndarray:
    """Index pairs (i < j) worth scoring, as rows of an (n, 2) array in sorted order:
    dated within BLOCK_DAYS, or either undated (a date known to the year only counts as
    undated here). Given sentence ``vectors``, each event keeps only the NEIGHBOURS most
    similar of those (an undated one of a corpus over EXACT_NEAREST_EVENTS events: of the
    events in the cells of sentences nearest its own, ``sentence_cells``)."""
    dated = sorted((v.day.toordinal(), i) for i, v in enumerate(views) if v.precision >= 2)
    undated = np.array([i for i, v in enumerate(views) if v.precision < 2], dtype=np.int64)
    firsts: list[np.ndarray] = []  # per event compared, itself repeated ...
    seconds: list[np.ndarray] = []  # ... beside the events it is compared with
    if dated:
        days = np.array([d for d, _ in dated])
        order = np.array([i for _, i in dated], dtype=np.int64)
        lo = np.searchsorted(days, days - BLOCK_DAYS, "left")
        hi = np.searchsorted(days, days + BLOCK_DAYS, "right")
        n = 0
        while n < len(order):
            # a block of consecutive events whose joint window fits SIMILARITY_CELLS
            end = n + 1
            while end < len(order) and (end + 1 - n) * (hi[end] - lo[n]) <= SIMILARITY_CELLS:
                end += 1
            window = order[lo[n]:hi[end - 1]]
            sims = None
            if vectors is not None and hi[end - 1] - lo[n] > NEIGHBOURS + 1:
                sims = vectors[order[n:end]] @ vectors[window].T
            for row, m in enumerate(range(n, end)):
                near = order[lo[m]:hi[m]]
                if sims is not None and len(near) > NEIGHBOURS + 1:
                    own = sims[row:row + 1, lo[m] - lo[n]:hi[m] - lo[n]]
                    near = near[most_similar(own, NEIGHBOURS + 1)[1]]
                firsts.append(np.full(len(near), order[m]))
                seconds.append(near)
            n = end
    if len(undated):
        everyone = np.arange(len(views), dtype=np.int64)
        if vectors is None or len(views) <= NEIGHBOURS + 1:
            firsts.append(np.repeat(undated, len(views)))
            seconds.append(np.tile(everyone, len(undated)))
        elif len(views) <= EXACT_NEAREST_EVENTS:
            nearest_among(vectors, undated, everyone, firsts, seconds)
        else:
            # Cells of like sentences: an undated event's nearest are sought in its cell
            # and the cells nearest it, not among every event (quadratic in the corpus).
            cell, pools = sentence_cells(vectors)
            for c, pool in enumerate(pools):
                rows = undated[cell[undated] == c]
                if len(rows):
                    nearest_among(vectors, rows, pool, firsts, seconds)
    if not firsts:
        return np.zeros((0, 2), dtype=np.int64)
    i, j = np.concatenate(firsts), np.concatenate(seconds)
    keep = i != j
    # One key per unordered pair: unique keys come sorted, as (i, j) rows sort.
    keys = sorted_unique(np.minimum(i, j)[keep] * len(views) + np.maximum(i, j)[keep])
    return np.stack([keys // len(views), keys % len(views)], axis=1)


def nearest_among(vectors: np.ndarray, rows: np.ndarray, pool: np.ndarray,
                  firsts: list[np.ndarray], seconds: list[np.ndarray]) -> None:
    """Each of ``rows`` beside its NEIGHBOURS + 1 most similar of ``pool`` (sorted
    indices of events), appended to ``firsts`` and ``seconds``, SIMILARITY_CELLS
    similarities at a time."""
    step = max(1, SIMILARITY_CELLS // len(pool))
    others = vectors[pool].T
    for start in range(0, len(rows), step):
        part = rows[start:start + step]
        which, near = most_similar(vectors[part] @ others, NEIGHBOURS + 1)
        firsts.append(part[which])
        seconds.append(pool[near])


def sentence_cells(vectors: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """(per event, its cell; per cell, the sorted events of it and of the PROBE_CELLS - 1
    cells whose centres lie nearest its own). Cells are a spherical k-means of the
    sentence vectors, about sqrt(n) of them, started from evenly spaced events and run
    KMEANS_ROUNDS rounds: deterministic, and n * sqrt(n) products instead of n * n."""
    n = len(vectors)
    k = max(PROBE_CELLS, int(np.sqrt(n)))
    centres = vectors[np.linspace(0, n - 1, k).astype(np.int64)].astype(np.float32)
    cell = np.zeros(n, dtype=np.int64)
    step = max(1, SIMILARITY_CELLS // k)
    for rounds in range(KMEANS_ROUNDS + 1):
        for start in range(0, n, step):
            cell[start:start + step] = np.argmax(vectors[start:start + step] @ centres.T,
                                                 axis=1)
        if rounds == KMEANS_ROUNDS:
            break  # each event in the cell of the centre nearest it
        members = np.argsort(cell, kind="stable")
        present, starts = np.unique(cell[members], return_index=True)
        sums = np.zeros_like(centres)
        sums[present] = np.add.reduceat(vectors[members], starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        # a cell left empty keeps its centre
        centres = np.where(norms > 0, sums / np.maximum(norms, 1e-12), centres)
    members = np.argsort(cell, kind="stable")
    bounds = np.searchsorted(cell[members], np.arange(k + 1))
    probes = most_similar(centres @ centres.T, PROBE_CELLS)[1].reshape(k, -1)
    pools = [np.sort(np.concatenate([members[bounds[c]:bounds[c + 1]] for c in near]))
             for near in probes]
    return cell, pools


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` of a 1-d array, by sorting: numpy 2's hashing ``unique``
    takes seconds on the millions of pair keys of a few thousand documents, a sort
    a tenth of one."""
    ordered = np.sort(values)
    if not len(ordered):
        return ordered
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def most_similar(sims: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of the ``k`` largest values of each row of ``sims`` (every column
    when a row holds no more), row by row in column order. Of equal values the first
    columns count as the larger, so which events are kept depends on nothing but the
    values and their order (copies of one sentence tie)."""
    width = sims.shape[1]
    if width <= k:
        return np.nonzero(np.ones(sims.shape, dtype=bool))
    # the k-th largest is the (width - k)-th smallest: no negated copy of the block
    kth = np.partition(sims, width - k, axis=1)[:, width - k]
    row, column = np.nonzero(sims >= kth[:, None])  # by row, then column
    # A row with more values tied at its k-th than it has room for keeps the first of its
    # ties in column order: a pass over the values kept, not another over the block.
    if not (np.bincount(row, minlength=len(sims)) > k).any():
        return row, column
    tie = sims[row, column] == kth[row]
    room = k - np.bincount(row[~tie], minlength=len(sims))
    tie_rank = np.cumsum(tie) - tie  # ties before each value, over all rows ...
    row_start = np.searchsorted(row, row)
    tie_rank -= tie_rank[row_start]  # ... and within its own row
    keep = ~tie | (tie_rank < room[row])
    return row[keep], column[keep]


def split_apart(views: Sequence[EventView], pairs: np.ndarray | Sequence[tuple[int, int]]
                ) -> tuple[np.ndarray, np.ndarray]:
    """``pairs`` as (those to score, those whose acts the texts date days apart), each an
    (n, 2) array in the order given (``features.dates_apart`` on whole columns)."""
    index = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    first, last = own_spans(views)
    a, b = index[:, 0], index[:, 1]
    # an undated side spans no days (NaN): every comparison with it is False
    apart = ((first[b] - last[a] > DATE_TOLERANCE_DAYS)
             | (first[a] - last[b] > DATE_TOLERANCE_DAYS))
    return index[~apart], index[apart]


def telling_units(events: Sequence[Event]) -> list[tuple[str, str]]:
    """Per event, the telling it is part of: its document's sentence (see
    ``telling_pairs``)."""
    return [(e.document, e.sentence) for e in events]


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


def cluster(n: int, pairs: np.ndarray | Sequence[tuple[int, int]], probs: np.ndarray,
            threshold: float, linkage: str = "average", documents: Sequence[str] | None = None,
            apart: np.ndarray | Iterable[tuple[int, int]] = (),
            days: np.ndarray | None = None) -> list[list[int]]:
    """Groups of indices 0..n-1 (singletons included): of tellings, in the pipeline
    (``telling_pairs``).

    ``single``: the components of the pairs at or above ``threshold``. ``average``: inside
    each component, groups merge while the mean probability of their members' pairs (pairs
    never scored count 0) stays at or above the threshold; given each index's ``documents``,
    the mean is over pairs of different documents where there are any (the tellings of one
    incident across outlets, not how one document's acts relate), else over the pairs of
    one document. Two groups holding an ``apart`` pair (acts the texts date on days apart)
    never merge; nor do two groups whose dated members (``days``: per index, the first and
    last day, as ordinals, its events' effective dates cover; NaN where none is dated to
    the month) would span more than ``BLOCK_DAYS``: no pair of such tellings is ever
    compared, and a chain through undated tellings would otherwise join acts years apart.
    A merge needs a mean at or above the threshold, hence one pair at least:
    splitting components first is exact and keeps the work to their pairs."""
    index = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    probs = np.asarray(probs)
    linked = index[probs >= threshold]
    graph = sp.coo_matrix((np.ones(len(linked), dtype=np.int8), (linked[:, 0], linked[:, 1])),
                          shape=(n, n))
    # components labelled in order of their first member: member lists come ascending
    _, root = connected_components(graph, directed=False)
    root = root.astype(np.int64)
    members_in_order = np.argsort(root, kind="stable")
    bounds = np.flatnonzero(np.diff(root[members_in_order])) + 1
    components = [part.tolist() for part in np.split(members_in_order, bounds)] if n else []
    if linkage == "single":
        return sorted(components, key=min)
    if linkage != "average":
        raise ValueError(f"unknown linkage {linkage!r}: average or single")
    # Each component's scored and apart pairs (apart ones marked -1), so splitting it
    # costs its pairs only: grouped by component with one stable sort.
    apart_index = np.asarray(list(apart), dtype=np.int64).reshape(-1, 2)
    every = np.concatenate([index, apart_index])
    values = np.concatenate([probs.astype(np.float64), np.full(len(apart_index), -1.0)])
    first = root[every[:, 0]]
    size = np.bincount(root, minlength=n)
    kept = np.flatnonzero((first == root[every[:, 1]]) & (size[first] > 2))
    kept = kept[np.argsort(first[kept], kind="stable")]
    starts = np.searchsorted(first[kept], np.arange(len(components) + 1))
    docs = list(documents) if documents is not None else list(range(n))
    groups = []
    for r, members in enumerate(components):
        if len(members) > 2:
            own = kept[starts[r]:starts[r + 1]]
            groups += _average(members, every[own], values[own], threshold, docs, days)
        elif days is not None and _spans_too_long(days[members]):
            groups += [[m] for m in members]  # as _average would keep them apart
        else:
            groups.append(members)
    return sorted((sorted(g) for g in groups), key=min)


def _spans_too_long(days: np.ndarray) -> bool:
    """Whether the dated rows of ``days`` (first and last day per telling, NaN where
    undated) span more than BLOCK_DAYS."""
    dated = days[~np.isnan(days[:, 0])]
    return bool(len(dated)) and float(dated[:, 1].max() - dated[:, 0].min()) > BLOCK_DAYS


def telling_days(members: Sequence[Sequence[int]], views: Sequence[EventView]) -> np.ndarray:
    """Per telling, the first and last effective day (ordinals) of its events dated to the
    month at least, NaN where none is: what ``cluster`` bounds a group's span by. A
    telling none of whose events is dated, in a document some of whose events are, stands
    on the latest of its document's days: an undated report is written after the acts it
    dates and tells the latest of them (issue #13, fifth pass: an undated 2021 report's
    tellings otherwise joined a 2008 offensive's group, which no date bounded)."""
    out = np.full((len(members), 2), np.nan)
    latest: dict[str, float] = {}
    for n, events in enumerate(members):
        dated = [views[i].day.toordinal() for i in events
                 if views[i].precision >= 2 and views[i].day is not None]
        if dated:
            out[n] = (min(dated), max(dated))
            document = views[events[0]].document
            latest[document] = max(latest.get(document, -np.inf), max(dated))
    for n, events in enumerate(members):
        document = views[events[0]].document if events else None
        if np.isnan(out[n, 0]) and document in latest:
            out[n] = latest[document]
    return out


def telling_pairs(units: Sequence, pairs: np.ndarray | Sequence[tuple[int, int]],
                  apart: Iterable[tuple[int, int]] = ()
                  ) -> tuple[list[list[int]], np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Events sharing a unit key (``telling_units``: a sentence) collapsed into one
    telling: (the events of each telling, the pairs of tellings their event pairs join as
    an (m, 2) array in sorted order, per event pair the row of its pair of tellings (-1
    for two events of one telling, or of two tellings dated apart), the pairs of tellings
    dated apart: those any of their event pairs is).

    One sentence often yields several events, a misread one beside the right one (a
    second type, a role from a pronoun, an agentless passive with no actor); on the
    development gold the events of one sentence tell one incident in 63 labelled pairs of
    67. The pair of tellings is what the clustering joins, scored on the mean of its event
    pairs' columns (``score_pairs``)."""
    keys: dict = {}
    unit_of = np.array([keys.setdefault(u, len(keys)) for u in units], dtype=np.int64)
    members: list[list[int]] = [[] for _ in keys]
    for i, u in enumerate(unit_of.tolist()):
        members[u].append(i)
    blocked = sorted({(min(a, b), max(a, b)) for i, j in apart
                      if (a := int(unit_of[i])) != (b := int(unit_of[j]))})
    index = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    a, b = unit_of[index[:, 0]], unit_of[index[:, 1]]
    keys_of_pairs = np.minimum(a, b) * len(members) + np.maximum(a, b)
    if blocked:
        dated_apart = np.array([x * len(members) + y for x, y in blocked], dtype=np.int64)
        keep = (a != b) & ~np.isin(keys_of_pairs, dated_apart)
    else:
        keep = a != b
    distinct, which = np.unique(keys_of_pairs[keep], return_inverse=True)
    rows = np.full(len(index), -1, dtype=np.int64)
    rows[keep] = which.ravel()
    tellings = np.stack([distinct // max(1, len(members)), distinct % max(1, len(members))],
                        axis=1).astype(np.int64)
    return members, tellings, rows, blocked


def _average(members: list[int], index: np.ndarray, probs: np.ndarray, threshold: float,
             docs: Sequence, days: np.ndarray | None = None) -> list[list[int]]:
    """Sparse average linkage of one component (see ``cluster``) over its pairs
    (``index``, an (n, 2) array of distinct pairs, and their ``probs``); a probability of
    -1 marks an apart pair. Sums of pair probabilities between groups are kept per pair
    of groups, so a merge costs the merged groups' neighbours, not a dense matrix."""
    if len(set(docs[m] for m in members)) == 1:
        docs = list(range(len(docs)))  # one document: all its pairs count
    # Per group, per neighbouring group (a pair scored between them), one record both
    # hold: [sum of their pair probabilities across documents, sum within one document,
    # how many of their pairs of events are of one document]; a merge adds records.
    blocked: dict[int, set[int]] = {m: set() for m in members}
    apart = probs < 0
    for i, j in index[apart].tolist():
        blocked[i].add(j)
        blocked[j].add(i)
    index, probs = index[~apart], probs[~apart]
    pairs = list(zip(index[:, 0].tolist(), index[:, 1].tolist(), probs.tolist(), strict=True))
    records = [[0.0, p, 1] if docs[i] == docs[j] else [p, 0.0, 0] for i, j, p in pairs]
    # Each group's dict built at once: both ends of each pair, grouped by the first.
    ends = np.concatenate([index, index[:, ::-1]])
    order = np.argsort(ends[:, 0], kind="stable")
    holder = ends[order, 0]
    cuts = np.searchsorted(holder, members, "left"), np.searchsorted(holder, members, "right")
    other = ends[order, 1].tolist()
    record_of = np.concatenate([np.arange(len(pairs))] * 2)[order].tolist()
    near: dict[int, dict[int, list]] = {
        m: dict(zip(other[lo:hi], [records[k] for k in record_of[lo:hi]], strict=True))
        for m, lo, hi in zip(members, cuts[0].tolist(), cuts[1].tolist(), strict=True)}
    group = {m: [m] for m in members}
    # per group, the first and last day its dated members cover (NaN: none dated)
    span = ({m: (float(days[m, 0]), float(days[m, 1])) for m in members}
            if days is not None else None)
    per_doc = {m: {docs[m]: 1} for m in members}
    holders: dict = {}  # per document, the groups holding tellings of it
    for m in members:
        holders.setdefault(docs[m], set()).add(m)

    def one_document_pairs(a: int, b: int) -> int:
        small, large = sorted((per_doc[a], per_doc[b]), key=len)
        return sum(k * large.get(d, 0) for d, k in small.items())

    # Per group, (-mean, lower id, higher id) of its best pair at or above the threshold
    # (a pair under it is never merged on), absent when it has none. The heap holds each
    # group's best, ``stamp`` telling an entry of a best since replaced: a merge changes
    # only the merged group's pairs, so a neighbour's best stays unless it was with one of
    # the two merged groups or the merged group beats it now.
    best: dict[int, tuple[float, int, int]] = {}
    stamp = dict.fromkeys(members, 0)
    heap: list[tuple[float, int, int, int, int]] = []

    def offer(g: int, key: tuple[float, int, int] | None) -> None:
        stamp[g] += 1
        if key is None:
            best.pop(g, None)
        else:
            best[g] = key
            heapq.heappush(heap, (*key, g, stamp[g]))

    def best_of(g: int) -> tuple[float, int, int] | None:
        found = None
        size_g, blocked_g = len(group[g]), blocked[g]
        for c, (sum_cross, sum_same, both) in near[g].items():
            if c in blocked_g:
                continue
            n_cross = size_g * len(group[c]) - both
            m = sum_cross / n_cross if n_cross else sum_same / both
            if m >= threshold:
                key = (-m, g, c) if g < c else (-m, c, g)
                if found is None or key < found:
                    found = key
        return found

    # Lone events to start with: a pair's mean is its probability.
    for i, j, p in pairs:
        if p >= threshold:
            key = (-p, i, j) if i < j else (-p, j, i)
            for g in (i, j):
                held = best.get(g)
                if held is None or key < held:
                    best[g] = key
    heap = [(*key, g, 0) for g, key in best.items()]
    heapq.heapify(heap)
    while heap:
        score, a, b, owner, entry_stamp = heapq.heappop(heap)
        if owner not in group or entry_stamp != stamp[owner]:
            continue
        if span is not None:
            firsts = [x for x in (span[a][0], span[b][0]) if x == x]  # NaN: undated
            lasts = [x for x in (span[a][1], span[b][1]) if x == x]
            first, last = (min(firsts), max(lasts)) if firsts else (np.nan, np.nan)
            if last - first > BLOCK_DAYS:
                # spans only widen as groups grow: the two never merge
                blocked[a].add(b)
                blocked[b].add(a)
                offer(a, best_of(a))
                offer(b, best_of(b))
                continue
            span[a] = (first, last)
        # b joins a: a's records become the two groups' (before per_doc is).
        near_a, near_b = near[a], near.pop(b)
        near_a.pop(b, None)
        near_b.pop(a, None)
        # a's neighbours that b lacks gain only b's pairs of one document with them:
        # those of the groups holding b's documents, not a pass over all of a's.
        for d, k in per_doc[b].items():
            for c in holders[d]:
                if c in near_a and c not in near_b:
                    near_a[c][2] += k * per_doc[c][d]
        for c, record in near_b.items():
            del near[c][b]
            held = near_a.get(c)
            if held is None:
                record[2] += one_document_pairs(a, c)
                near_a[c] = near[c][a] = record
            else:
                held[0] += record[0]
                held[1] += record[1]
                held[2] += record[2]
        for c in blocked.pop(b):
            blocked[c].discard(b)
            if c != a:
                blocked[c].add(a)
                blocked[a].add(c)
        docs_a = per_doc[a]
        for d, k in per_doc.pop(b).items():
            docs_a[d] = docs_a.get(d, 0) + k
            holding = holders[d]
            holding.discard(b)
            holding.add(a)
        group[a] += group.pop(b)
        best.pop(b, None)
        del stamp[b]
        # The merged group's mean with each neighbour: the mean probability of their pairs
        # of different documents (else of one document); -1, never merged, when blocked.
        found = None
        size_a, blocked_a = len(group[a]), blocked[a]
        for c, (sum_cross, sum_same, both) in near_a.items():
            held = best.get(c)
            if held is not None and (held[1] == a or held[1] == b or held[2] == a
                                     or held[2] == b):
                offer(c, best_of(c))  # its best was with a merged group: look again
                held = best.get(c)
            if c in blocked_a:
                continue  # never merged: its mean is -1
            n_cross = size_a * len(group[c]) - both
            m = sum_cross / n_cross if n_cross else sum_same / both
            if m >= threshold:
                key = (-m, a, c) if a < c else (-m, c, a)
                if held is None or key < held:
                    offer(c, key)
                if found is None or key < found:
                    found = key
        offer(a, found)
    return list(group.values())


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
