"""Tests for rashomon.alignments: camps, frustration and changes between periods."""

from __future__ import annotations

import itertools
import random

from test_relations import synthetic_analysis

from rashomon.alignments import (
    MIN_EVIDENCE,
    THIN,
    _heuristic,
    align,
    align_period,
    changes,
    describe_change,
    frustration,
)
from rashomon.relations import build_relations
from rashomon.types import Relation


def rel(a, b, score, period="2020", events=()):
    a, b = sorted((a, b))
    sign = 0 if abs(score) < 0.1 else (1 if score > 0 else -1)
    return Relation(a, b, period, score, sign, events=list(events))


def brute_force(ties):
    actors = sorted({r.a for r in ties} | {r.b for r in ties})
    best = min(
        frustration(ties, dict(zip(actors, (0, *bits), strict=True)))
        for bits in itertools.product((0, 1), repeat=len(actors) - 1)
    )
    return best


def test_balanced_graph_has_zero_frustration():
    ties = [rel("usa", "uk", 0.8), rel("iran", "pmf", 0.7), rel("usa", "iran", -0.9),
            rel("uk", "pmf", -0.5)]
    result = align_period(ties, {})
    assert result.frustration == 0 and result.method == "exact"
    assert sorted(result.camps) == [["iran", "pmf"], ["uk", "usa"]]


def test_triangle_of_enemies_explained_with_names():
    ties = [rel("a", "b", -0.9), rel("a", "z", -0.8), rel("b", "z", -0.7)]
    names = {"a": "Alpha", "b": "Beta", "z": "Zeta"}
    result = align_period(ties, names)
    assert result.frustration == 1
    # the weakest tie is the one left frustrated
    (tie,) = result.frustrated
    assert (tie.a, tie.b) == ("b", "z")
    assert tie.explanation == "Beta and Zeta share an enemy Alpha but are hostile to each other"


def test_positive_tie_across_camps_explained():
    ties = [rel("a", "b", 0.2), rel("a", "z", -0.9), rel("b", "z", 0.9)]
    names = {"a": "Alpha", "b": "Beta", "z": "Zeta"}
    (tie,) = align_period(ties, names).frustrated
    assert tie.explanation == (
        "Alpha backs Beta though they sit in opposing camps: Alpha is hostile to Zeta, "
        "whom Beta backs"
    )


def test_components_are_never_merged_into_one_camp():
    ties = [rel("a", "b", 0.9), rel("c", "d", 0.9)]
    assert align_period(ties, {}).camps == [["a", "b"], ["c", "d"]]


def test_exact_matches_brute_force_on_random_graphs():
    rng = random.Random(7)
    for _ in range(20):
        nodes = [f"n{i:02d}" for i in range(rng.randint(3, 9))]
        ties = [rel(a, b, rng.choice([-1, 1]) * rng.uniform(0.1, 1.0))
                for a, b in itertools.combinations(nodes, 2) if rng.random() < 0.6]
        if not ties:
            continue
        result = align_period(ties, {})
        assert result.method == "exact"
        assert abs(result.frustration_weight - brute_force(ties)) < 1e-3


def test_heuristic_above_limit_is_labelled_and_near_optimal():
    rng = random.Random(3)
    nodes = [f"n{i:02d}" for i in range(10)]
    ties = [rel(a, b, rng.choice([-1, 1]) * rng.uniform(0.1, 1.0))
            for a, b in itertools.combinations(nodes, 2) if rng.random() < 0.7]
    result = align_period(ties, {}, exact_limit=2)
    assert result.method == "heuristic"
    optimum = brute_force(ties)
    assert result.frustration_weight <= optimum * 1.5 + 1e-9
    side = _heuristic(nodes, ties)
    assert side["n00"] == 0  # symmetry broken like the exact solver


def test_heuristic_finds_balanced_partition():
    ties = [rel("a", "b", 0.9), rel("c", "d", 0.8), rel("a", "c", -0.9), rel("b", "d", -0.7),
            rel("a", "d", -0.5)]
    side = _heuristic(["a", "b", "c", "d"], ties)
    assert frustration(ties, side) == 0


def test_align_on_synthetic_corpus_per_view_and_period():
    analysis = synthetic_analysis()
    direct = build_relations(analysis.events, analysis.claims, analysis.documents,
                             analysis.actors)
    results = align(direct, analysis.actors)
    # the undated period (e1) gets no camps
    assert [(r.view, r.period) for r in results] == [("direct", "2014"), ("direct", "2020")]
    by_period = {r.period: r for r in results}
    camps_2020 = by_period["2020"].camps
    camp_of = {a: i for i, camp in enumerate(camps_2020) for a in camp}
    assert camp_of["usa"] != camp_of["iran"]
    assert camp_of["pmf"] == camp_of["iran"]
    for tie in by_period["2020"].frustrated:
        assert tie.explanation and (tie.events or tie.claims)
    rolled = build_relations(analysis.events, analysis.claims, analysis.documents,
                             analysis.actors, rollup=True)
    views = {r.view for r in align(direct + rolled, analysis.actors)}
    assert views == {"direct", "rolled_up"}


def test_zero_sign_ties_take_no_part():
    ties = [rel("a", "b", 0.05), rel("c", "d", -0.9)]
    (result,) = align(ties)
    assert result.camps == [["c"], ["d"]]


def test_changes_report_sign_flips_and_strength_with_evidence():
    relations = [
        rel("iraq", "usa", 0.7, "2014", ["e5"]),
        rel("iraq", "usa", -0.6, "2020", ["e13"]),
        rel("iran", "usa", -0.2, "2014", ["x1"]),
        rel("iran", "usa", -0.9, "2020", ["e10"]),
        rel("isis", "usa", -0.9, "2014"),
        rel("isis", "usa", -0.95, "2020"),
    ]
    found = changes(relations)
    assert [(c.a, c.b, c.kind) for c in found] == [("iran", "usa", "strength"),
                                                   ("iraq", "usa", "sign")]
    flip = found[1]
    assert flip.before.events == ["e5"] and flip.after.events == ["e13"]
    text = describe_change(flip, {"iraq": "Iraq", "usa": "United States"})
    assert text == "Iraq and United States: from allied (+0.70) (2014) to hostile (-0.60) (2020)"


def test_undated_is_never_compared_in_time_nor_given_camps():
    relations = [
        rel("iraq", "usa", 0.7, "2014", ["e1"]),
        rel("iraq", "usa", -0.8, "undated", ["e2"]),
        rel("iran", "usa", -0.8, "undated", ["e3"]),
    ]
    assert changes(relations) == []
    assert [r.period for r in align(relations)] == ["2014"]


def test_a_graph_without_a_cycle_or_evidence_is_too_thin_to_decide():
    # a path of hostility can always be split with no frustration: it proves nothing
    path = [rel("a", "b", -0.9, events=["e1"]), rel("b", "c", 0.8, events=["e2"])]
    (thin,) = align(path)
    assert thin.frustration == 0 and not thin.decided
    assert thin.status == THIN and thin.method == "exact"
    assert thin.support() == "2 ties, 2 pieces of evidence, 0 cycles"
    # a triangle with enough evidence under it is decided
    triangle = [rel("a", "b", -0.9, events=["e1", "e2"]), rel("b", "c", -0.8, events=["e3"]),
                rel("a", "c", 0.7, events=["e4", "e5"])]
    (decided,) = align(triangle)
    assert decided.cycles == 1 and decided.evidence == MIN_EVIDENCE and decided.decided
    assert decided.status == "exact" and decided.frustration == 0
    # the same triangle resting on too little evidence is not
    sparse = [rel(r.a, r.b, r.score, events=r.events[:1]) for r in triangle]
    assert not align(sparse)[0].decided
