"""Tests for rashomon.outlets: per-outlet graphs, stances, coverage of incidents, blind spots,
contradictions and the outlet registry."""

from __future__ import annotations

from test_relations import synthetic_analysis

from rashomon.incidents import build_incidents
from rashomon.outlets import (
    NO_OUTLET,
    comparison_warning,
    most_quoted,
    outlet_profiles,
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


def _with_incidents():
    a = synthetic_analysis()
    a.incidents = build_incidents(a.events, a.documents, a.actors)
    return a


def test_coverage_is_incidents_by_outlets():
    a = _with_incidents()
    view = outlet_view(a)
    strike = next(i for i in a.incidents if "e12" in i.events)
    assert view.coverage[strike.id]["Liberty Ledger"] == ["e12"]
    assert set(view.coverage[strike.id]["Harbor Daily"]) >= {"e8"}
    reported = {e for outlets in view.coverage.values() for ids in outlets.values()
                for e in ids}
    assert "e16" not in reported  # a reader comment tells no incident
    assert strike.id in {v.incident.id for v in view.incidents}


def test_contradictions_between_tellings_and_claims():
    view = outlet_view(_with_incidents())
    kinds = {(c.kind, c.outlets) for c in view.contradictions}
    # Liberty Ledger reports Iran's strike (e10), Resistance Review reports it denied (e14).
    assert ("denial", ("Liberty Ledger", "Resistance Review")) in kinds
    denied = next(c for c in view.contradictions
                  if c.kind == "denial" and c.evidence == (["e10"], ["e14"]))
    assert "reports it denied" in denied.description
    claim = next(c for c in view.contradictions if c.evidence == (["c3"], ["c4"]))
    assert "Iran denying" in claim.description
    # Iran's own warning (c2) is not contradicted by Iran's own denial
    assert all(c.evidence != (["c2"], ["c4"]) for c in view.contradictions)
    # A report's publication date is no claim about when the act happened.
    assert not any(c.kind == "date" for c in view.contradictions)


def test_warning_when_there_is_nothing_to_compare():
    docs = [Document("d1", "x"), Document("d2", "y")]
    assert "no document names its outlet" in comparison_warning(outlet_profiles(docs))
    one = [Document("d1", "x", outlet="Harbor Daily"), Document("d2", "y")]
    assert "only one outlet" in comparison_warning(outlet_profiles(one))


def test_outlet_found_by_url_when_metadata_has_none():
    docs = [Document("d1", "x", url="https://www.presstv.ir/Detail/2020/01/08/1"),
            Document("d2", "y", url="https://www.reuters.com/article/z")]
    profiles = outlet_profiles(docs)
    assert profiles["Press TV"].country == "IR" and profiles["Press TV"].found_by == "url"
    assert profiles["Reuters"].owner == "wire"
    assert comparison_warning(profiles) is None


def test_documents_without_outlet_are_grouped():
    docs = [Document("d", "x", published="2020")]
    ev = Event("e", "d", 0, 1, "", None, "AID", "material_cooperation", "a", "b")
    assert list(outlet_relations([ev], [], docs, [])) == [NO_OUTLET]


def test_outlet_view_bundles_everything():
    view = outlet_view(_with_incidents())
    assert view.outlets == ["Harbor Daily", "Liberty Ledger", "Resistance Review"]
    assert view.stances and view.coverage and view.contradictions and view.quoted
    assert view.labels["Liberty Ledger"]  # words besides names, per actor
    assert set(view.blind_spots) == set(view.outlets)
