"""Camps: partition each period's signed graph so that as few ties as possible contradict it.

Structural balance says friends sit together and enemies apart. A partition of
the actors into two camps *frustrates* a tie when the tie is negative inside a
camp or positive across camps; the (weighted) frustration index is the least
total |score| of frustrated ties over all partitions. Each connected component
of the non-zero ties is partitioned on its own: actors that never meet carry no
evidence of being on the same side, so the report never puts them in one camp.

Method. Components of up to ``EXACT_LIMIT`` actors are solved exactly as an
integer programme with ``scipy.optimize.milp`` (HiGHS): binary x_i for the camp
of each actor, one frustration variable per tie, minimise the weighted sum. It
was chosen over exhaustive search because it takes weights for free, proves
optimality, and solves components well past the ~20 actors where enumerating
2^(n-1) partitions stops being practical. Larger components, or one whose
solve runs out of ``TIME_LIMIT``, fall back to a heuristic: the signs of the
leading eigenvector of the signed adjacency matrix (a spectral relaxation of
the same objective) as a start, then greedy single-actor moves while any move
lowers frustration. The method used is reported on every alignment.

Support. Any forest of ties (no cycle) can be split with zero frustration, so
"frustration 0" says nothing about balance unless the ties close a cycle. Each
alignment reports its ties, the pieces of evidence under them and its cycle rank
(ties - actors + components); with no cycle, or fewer than ``MIN_EVIDENCE``
pieces of evidence, it is labelled ``too thin to decide`` rather than exact.
Undated evidence pools acts of any year, so the ``undated`` period gets no camps and
is never compared in time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from .relations import is_year
from .types import Actor, Relation

# Largest component solved exactly. HiGHS solves sparse signed graphs of this
# size in well under a second on a laptop; chosen, not calibrated on real corpora.
EXACT_LIMIT = 60

# Seconds one exact solve may take before the heuristic answer is used instead.
# Chosen, not calibrated.
TIME_LIMIT = 10.0

# A change of |score| at least this large between periods is reported as a change
# in strength even when the sign stays. Chosen, not calibrated.
STRENGTH_CHANGE = 0.3

# Fewest pieces of evidence (events, claims, stances) under a period's ties for its camps
# to be called decided. Chosen, not calibrated: a handful, so one article's two sentences
# never make a camp map.
MIN_EVIDENCE = 5

THIN = "too thin to decide"


@dataclass
class FrustratedTie:
    """A tie the camps cannot accommodate, with why in words and its evidence."""

    a: str
    b: str
    score: float
    sign: int
    explanation: str
    events: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)


@dataclass
class Alignment:
    """The camps of one period in one view, and the ties that contradict them."""

    period: str
    view: str
    camps: list[list[str]]
    frustration: int  # number of frustrated ties
    frustration_weight: float  # their total |score|, the quantity minimised
    frustrated: list[FrustratedTie]
    method: str  # "exact" when every component was solved to optimality, else "heuristic"
    ties: int = 0  # non-zero ties partitioned
    evidence: int = 0  # events, claims and stances under them
    cycles: int = 0  # cycle rank: how many independent cycles test the balance

    @property
    def decided(self) -> bool:
        """Whether the ties are enough to say anything about camps (see the docstring)."""
        return self.cycles > 0 and self.evidence >= MIN_EVIDENCE

    @property
    def status(self) -> str:
        """The method, or ``too thin to decide``, for display."""
        return self.method if self.decided else THIN

    def support(self) -> str:
        """E.g. "4 ties, 9 pieces of evidence, 1 cycle"."""
        return (f"{self.ties} tie{'s' * (self.ties != 1)}, {self.evidence} piece"
                f"{'s' * (self.evidence != 1)} of evidence, {self.cycles} "
                f"cycle{'s' * (self.cycles != 1)}")


@dataclass
class Change:
    """A dyad whose sign or strength differs between two consecutive periods it appears in."""

    a: str
    b: str
    view: str
    kind: str  # "sign" or "strength"
    before: Relation
    after: Relation


def align(
    relations: Iterable[Relation],
    actors: Iterable[Actor] = (),
    *,
    exact_limit: int = EXACT_LIMIT,
) -> list[Alignment]:
    """Partition each (view, period) graph into camps; one Alignment per graph.

    Ties with sign 0 take no part, nor do periods that are not years.
    ``actors`` supplies names for the explanations.
    """
    names = {a.id: a.name for a in actors}
    graphs: dict[tuple[str, str], list[Relation]] = defaultdict(list)
    for rel in relations:
        if rel.sign != 0 and is_year(rel.period):
            graphs[(rel.view, rel.period)].append(rel)
    return [
        align_period(graphs[key], names, exact_limit=exact_limit) for key in sorted(graphs)
    ]


def align_period(
    ties: list[Relation], names: dict[str, str], *, exact_limit: int = EXACT_LIMIT
) -> Alignment:
    """Camps for one period's non-zero ties (all of one view and period)."""
    camp_of: dict[str, tuple[int, int]] = {}  # actor -> (component, side)
    camps: list[list[str]] = []
    exact = True
    components = _components(ties)
    for index, component in enumerate(components):
        side, solved = _partition(component, exact_limit)
        exact = exact and solved
        for actor, s in side.items():
            camp_of[actor] = (index, s)
        for s in (0, 1):
            members = sorted(a for a, v in side.items() if v == s)
            if members:
                camps.append(members)
    camps.sort(key=lambda camp: (-len(camp), camp))
    frustrated = [
        _explain(rel, camp_of, ties, names)
        for rel in ties
        if (camp_of[rel.a] == camp_of[rel.b]) != (rel.sign > 0)
    ]
    return Alignment(
        period=ties[0].period if ties else "",
        view=ties[0].view if ties else "direct",
        camps=camps,
        frustration=len(frustrated),
        frustration_weight=round(sum(abs(t.score) for t in frustrated), 4),
        frustrated=frustrated,
        method="exact" if exact else "heuristic",
        ties=len(ties),
        evidence=sum(_evidence_count(r) for r in ties),
        cycles=len(ties) - len(camp_of) + len(components),
    )


def _evidence_count(rel: Relation) -> int:
    return len(rel.evidence) or len(rel.events) + len(rel.claims) + len(rel.stances)


def frustration(ties: Iterable[Relation], side: dict[str, int]) -> float:
    """Total |score| of the ties a two-sided assignment frustrates."""
    return sum(
        abs(rel.score)
        for rel in ties
        if rel.sign != 0 and (side[rel.a] == side[rel.b]) != (rel.sign > 0)
    )


def changes(relations: Iterable[Relation]) -> list[Change]:
    """Dyads whose sign flips, or whose |score| moves by STRENGTH_CHANGE or more,
    between consecutive years in which the dyad has a relation (undated evidence has
    no place in time, so it is never compared)."""
    by_dyad: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
    for rel in relations:
        if not is_year(rel.period):
            continue
        by_dyad[(rel.view, rel.a, rel.b)].append(rel)
    found = []
    for (view, a, b), series in sorted(by_dyad.items()):
        series.sort(key=lambda r: r.period)
        for before, after in zip(series, series[1:], strict=False):
            if before.sign != after.sign:
                kind = "sign"
            elif abs(after.score - before.score) >= STRENGTH_CHANGE:
                kind = "strength"
            else:
                continue
            found.append(Change(a=a, b=b, view=view, kind=kind, before=before, after=after))
    return found


def describe_change(change: Change, names: dict[str, str]) -> str:
    """One sentence on a change, e.g. "Iraq and United States: from allies (2014) to
    hostile (2020)"."""
    a, b = names.get(change.a, change.a), names.get(change.b, change.b)
    return (
        f"{a} and {b}: from {_tone(change.before)} ({change.before.period}) "
        f"to {_tone(change.after)} ({change.after.period})"
    )


def _tone(rel: Relation) -> str:
    if rel.sign == 0:
        return f"neutral or mixed ({rel.score:+.2f})"
    word = "allied" if rel.sign > 0 else "hostile"
    return f"{word} ({rel.score:+.2f})"


def _components(ties: list[Relation]) -> list[list[Relation]]:
    """Group ties into connected components, each sorted, components in order of first actor."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for rel in ties:
        parent[find(rel.a)] = find(rel.b)
    groups: dict[str, list[Relation]] = defaultdict(list)
    for rel in ties:
        groups[find(rel.a)].append(rel)
    return sorted(
        (sorted(g, key=lambda r: (r.a, r.b)) for g in groups.values()),
        key=lambda g: min(r.a for r in g),
    )


def _partition(ties: list[Relation], exact_limit: int) -> tuple[dict[str, int], bool]:
    """Side 0/1 for each actor of one component, and whether it is proven optimal.

    The alphabetically first actor is pinned to side 0, which breaks the
    symmetry of swapping the two camps.
    """
    actors = sorted({r.a for r in ties} | {r.b for r in ties})
    if len(actors) <= exact_limit:
        side = _exact(actors, ties)
        if side is not None:
            return side, True
    return _heuristic(actors, ties), False


def _exact(actors: list[str], ties: list[Relation]) -> dict[str, int] | None:
    """Minimum-frustration partition as a 0/1 programme; None if HiGHS gives up."""
    n, m = len(actors), len(ties)
    index = {a: i for i, a in enumerate(actors)}
    # Variables: x_0..x_{n-1} (camp), then f_0..f_{m-1} (tie frustrated).
    rows = lil_matrix((2 * m, n + m))
    upper = np.zeros(2 * m)
    for k, rel in enumerate(ties):
        i, j, f = index[rel.a], index[rel.b], n + k
        if rel.sign > 0:  # frustrated when apart: f >= x_i - x_j and f >= x_j - x_i
            rows[2 * k, i], rows[2 * k, j], rows[2 * k, f] = 1, -1, -1
            rows[2 * k + 1, i], rows[2 * k + 1, j], rows[2 * k + 1, f] = -1, 1, -1
        else:  # frustrated when together: f >= x_i + x_j - 1 and f >= 1 - x_i - x_j
            rows[2 * k, i], rows[2 * k, j], rows[2 * k, f] = 1, 1, -1
            rows[2 * k + 1, i], rows[2 * k + 1, j], rows[2 * k + 1, f] = -1, -1, -1
            upper[2 * k], upper[2 * k + 1] = 1, -1
    cost = np.concatenate([np.zeros(n), [abs(r.score) for r in ties]])
    lower_bounds = np.zeros(n + m)
    upper_bounds = np.ones(n + m)
    upper_bounds[0] = 0  # symmetry breaking: the first actor is on side 0
    result = milp(
        cost,
        constraints=LinearConstraint(rows.tocsr(), -np.inf, upper),
        integrality=np.concatenate([np.ones(n), np.zeros(m)]),
        bounds=Bounds(lower_bounds, upper_bounds),
        options={"time_limit": TIME_LIMIT},
    )
    if result.status != 0 or result.x is None:
        return None
    return {a: int(round(result.x[index[a]])) for a in actors}


def _heuristic(actors: list[str], ties: list[Relation]) -> dict[str, int]:
    """Spectral start, then greedy single-actor moves until none lowers frustration."""
    index = {a: i for i, a in enumerate(actors)}
    w = np.zeros((len(actors), len(actors)))
    for rel in ties:
        i, j = index[rel.a], index[rel.b]
        w[i, j] = w[j, i] = abs(rel.score) * rel.sign
    _, vectors = np.linalg.eigh(w)
    s = np.where(vectors[:, -1] >= 0, 1.0, -1.0)
    while True:
        # Moving actor i changes frustration by s_i * (W s)_i; take the best move.
        delta = s * (w @ s)
        best = int(np.argmin(delta))
        if delta[best] >= -1e-12:
            break
        s[best] = -s[best]
    if s[0] > 0:
        s = -s
    return {a: int(s[index[a]] > 0) for a in actors}


def _explain(
    rel: Relation,
    camp_of: dict[str, tuple[int, int]],
    ties: list[Relation],
    names: dict[str, str],
) -> FrustratedTie:
    sign_with: dict[str, dict[str, int]] = defaultdict(dict)
    for t in ties:
        sign_with[t.a][t.b] = sign_with[t.b][t.a] = t.sign
    x, y = names.get(rel.a, rel.a), names.get(rel.b, rel.b)
    ax, by = sign_with[rel.a], sign_with[rel.b]
    others = sorted((set(ax) & set(by)) - {rel.a, rel.b})
    if rel.sign < 0:
        enemies = [z for z in others if ax[z] < 0 and by[z] < 0]
        friends = [z for z in others if ax[z] > 0 and by[z] > 0]
        if enemies:
            text = (
                f"{x} and {y} share an enemy {_names(enemies, names)} "
                "but are hostile to each other"
            )
        elif friends:
            text = f"{x} and {y} are both close to {_names(friends, names)} but are hostile"
        else:
            text = f"{x} and {y} are in the same camp but hostile"
    else:
        text = f"{x} backs {y} though they sit in opposing camps"
        split = [z for z in others if ax[z] * by[z] < 0]
        if split:
            z = split[0]
            foe, friend = (x, y) if ax[z] < 0 else (y, x)
            text += f": {foe} is hostile to {names.get(z, z)}, whom {friend} backs"
    return FrustratedTie(
        a=rel.a,
        b=rel.b,
        score=rel.score,
        sign=rel.sign,
        explanation=text,
        events=list(rel.events),
        claims=list(rel.claims),
    )


def _names(ids: list[str], names: dict[str, str]) -> str:
    return " and ".join(names.get(i, i) for i in ids)
