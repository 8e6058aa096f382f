"""Which pairs of events the incident scorer compares (the blocking step).

Every two events (reader comments left out) whose effective dates (the event's own, else
its document's) lie within ``BLOCK_DAYS``, or that lack one; given their sentence vectors,
each event keeps only its ``NEIGHBOURS`` most similar among those, so the pairs grow
linearly with the corpus. Pairs whose texts date their acts on days apart
(``split_apart``, ``features.dates_apart``) are set aside: they are two incidents.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .features import DATE_TOLERANCE_DAYS, EventView, own_spans

# Events further apart than this (days) are never compared: one incident's tellings are
# dated within days of each other.
BLOCK_DAYS = 60
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
