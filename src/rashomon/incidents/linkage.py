"""Tellings linked into incidents: one sentence's events as one telling, and the average
linkage that groups tellings whose pair probabilities stay above the pair model's
threshold (see ``cluster``'s docstring for the rules a group keeps).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ..types import Event
from .candidates import BLOCK_DAYS
from .features import EventView


def telling_units(events: Sequence[Event]) -> list[tuple[str, str]]:
    """Per event, the telling it is part of: its document's sentence (see
    ``telling_pairs``)."""
    return [(e.document, e.sentence) for e in events]


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
