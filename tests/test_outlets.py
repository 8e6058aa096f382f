"""Tests for rashomon.outlets: per-outlet graphs, stances, coverage and contradictions."""

from __future__ import annotations

from test_relations import synthetic_analysis

from rashomon.outlets import (
    NO_OUTLET,
    contradictions,
    coverage,
    most_quoted,
    outlet_relations,
    outlet_view,
    stances,
)
from rashomon.types import Claim, Document, Event


def test_each_outlet_has_its_own_graph():
    a = synthetic_analysis()
    graphs = outlet_relations(a.events, a.claims, a.documents, a.actors)
    assert sorted(graphs) == ["Harbor Daily", "Liberty Ledger", "Resistance Review"]
    ll_events = {e for r in graphs["Liberty Ledger"] for e in r.events}
    assert ll_events <= {"e3", "e4", "e5", "e10", "e11", "e12"}
    assert all(r.outlets == ["Liberty Ledger"] for r in graphs["Liberty Ledger"])


def test_stance_tone_distancing_and_hedging():
    a = synthetic_analysis()
    by_key = {(s.outlet, s.actor): s for s in stances(a.events, a.claims, a.documents)}
    usa_rr = by_key[("Resistance Review", "usa")]
    assert usa_rr.quotes == 1 and usa_rr.distancing == 1.0  # "claimed"
    assert usa_rr.score < 0
    usa_ll = by_key[("Liberty Ledger", "usa")]
    assert usa_ll.quotes == 1 and usa_ll.distancing == 0.0  # "accused": no distance
    assert usa_ll.hedged == 0.3333  # of e3, e5, e12 only e5 is reported, not asserted
    assert usa_ll.tone is not None and usa_ll.as_target is not None
    pesh = by_key[("Liberty Ledger", "peshmerga")]
    assert pesh.tone == 1.0 and pesh.score == 1.0 and pesh.events == ["e4"]


def test_distancing_lowers_score():
    docs = [Document("d", "x", outlet="O", published="2020-01-01")]
    ev = Event("e", "d", 0, 1, "", None, "AID", "material_cooperation", "a", "b")
    said = Claim("c", "d", 0, 1, "", "a", "said", "", cue_type="assert")
    alleged = Claim("c", "d", 0, 1, "", "a", "alleged", "", cue_type="assert")
    (neutral,) = [s for s in stances([ev], [said], docs) if s.actor == "a"]
    (distant,) = [s for s in stances([ev], [alleged], docs) if s.actor == "a"]
    assert neutral.score == 1.0 and distant.score == 0.5


def test_most_quoted():
    a = synthetic_analysis()
    quoted = most_quoted(a.claims, a.documents)
    assert quoted["Resistance Review"] == [("iran", 1), ("muhandis", 1), ("soleimani", 1),
                                           ("usa", 1)]
    assert dict(quoted["Liberty Ledger"]) == {"usa": 1}


def test_coverage_clusters_one_event_across_outlets():
    a = synthetic_analysis()
    clusters = coverage(a.events, a.documents)
    strike = next(c for c in clusters if (c.type, c.source, c.target, c.period)
                  == ("ASSAULT", "usa", "soleimani", "2020"))
    assert strike.reports == {"Harbor Daily": ["e8"], "Liberty Ledger": ["e12"]}
    ids = {e for c in clusters for ids in c.reports.values() for e in ids}
    assert "e14" not in ids and "e16" not in ids  # denied, comment
    assert len({c.id for c in clusters}) == len(clusters)


def test_contradictions_of_all_three_kinds():
    a = synthetic_analysis()
    found = contradictions(a.events, a.claims, a.documents, a.actors)
    kinds = {(c.kind, tuple(c.actors), c.outlets) for c in found}
    assert ("opposite_sign", ("iraq", "usa"), ("Liberty Ledger", "Resistance Review")) in kinds
    assert ("denial", ("iran", "usa"), ("Liberty Ledger", "Resistance Review")) in kinds
    assert ("denied_event", ("iran", "usa"), ("Liberty Ledger", "Resistance Review")) in kinds
    denial = next(c for c in found if c.kind == "denial")
    assert denial.evidence == (["c3"], ["c4"])
    assert "Iran denying" in denial.description
    # Iran's own warning (c2) is not contradicted by Iran's own denial
    assert all(c.evidence != (["c2"], ["c4"]) for c in found)


def test_documents_without_outlet_are_grouped():
    docs = [Document("d", "x", published="2020")]
    ev = Event("e", "d", 0, 1, "", None, "AID", "material_cooperation", "a", "b")
    assert list(outlet_relations([ev], [], docs, [])) == [NO_OUTLET]


def test_outlet_view_bundles_everything():
    view = outlet_view(synthetic_analysis())
    assert view.outlets == ["Harbor Daily", "Liberty Ledger", "Resistance Review"]
    assert view.stances and view.coverage and view.contradictions and view.quoted
