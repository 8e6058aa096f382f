"""Statements as events of their own: what a speaker says about another party's coming
cooperative act is the speaker's verbal support of that party, a candidate beside the act
it tells (whether either is an event is the gate's to say). Sentences of our own."""

from __future__ import annotations

from event_candidates import candidates


def endorsements(text: str) -> set[tuple[str | None, str | None, str]]:
    """(speaker, party, quad) of each candidate a statement's vouching makes."""
    return {(c.event.source, c.event.target, c.event.quad) for c in candidates(text)
            if "how=endorsement" in c.features}


def test_a_speaker_vouching_for_anothers_coming_act_supports_that_party():
    text = "The German foreign minister said Egypt's mediation would help end the fighting."
    assert endorsements(text) == {("germany", "egypt", "verbal_cooperation")}
    # the act told stays a candidate of its own, with its own doer
    assert any(c.event.trigger == "help" and c.event.source == "egypt"
               for c in candidates(text))


def test_a_hope_about_anothers_cooperation_is_support_too():
    assert endorsements("The Kremlin hoped that Turkey would cooperate with Syria.") == {
        ("russia", "turkey", "verbal_cooperation")}


def test_a_cooperative_act_told_as_done_is_only_reported():
    # a past act is news the speaker passes on, not a stance on its doer
    assert endorsements("Turkey's president said Qatar sent food aid to Yemen.") == set()


def test_no_speaker_vouches_for_its_own_states_act():
    assert endorsements("The Saudi minister said Saudi Arabia will send food aid to Yemen."
                        ) == set()


def test_a_hostile_act_makes_an_accusation_not_an_endorsement():
    text = "Egypt's president said Israel would attack Gaza again."
    assert endorsements(text) == set()
    assert any("how=statement" in c.features and c.event.target == "israel"
               for c in candidates(text))
