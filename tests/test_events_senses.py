"""The rules' reading of a candidate before the type model sees it, on sentences of ours:
the sense a verb's object gives it, threats and promises declared as plans, refusals declared
ahead."""

from __future__ import annotations

import pytest
from event_candidates import candidates

from rashomon.events.typing_model import Candidate


def at(text: str, trigger: str) -> Candidate:
    found = [c for c in candidates(text) if c.event.trigger.split()[0] == trigger]
    assert found, [(c.event.trigger, c.lexicon_type) for c in candidates(text)]
    return found[0]


def test_blocking_a_road_is_an_obstruction_and_blocking_a_resolution_a_veto():
    road = at("Hundreds of farmers blocked the main highway into Paris on Monday.", "blocked")
    assert (road.lexicon_type, road.lexicon_mode) == ("PROTEST", "obstruct")
    # the type model reads the word in this sense apart from its veto sense
    assert "lemma=block/route" in road.features and "lemma=block" not in road.features
    bill = at("Russia blocked the resolution on Syria.", "blocked")
    assert (bill.lexicon_type, bill.lexicon_mode) == ("REJECT", "veto")
    assert "lemma=block" in bill.features


def test_the_state_blocking_a_road_restricts_movement():
    c = at("Turkish police blocked the roads leading to the parliament.", "blocked")
    assert (c.lexicon_type, c.lexicon_mode) == ("COERCE", "restrict")


@pytest.mark.parametrize(("text", "trigger", "mode"), [
    ("Greece plans to impose sanctions on Turkey.", "impose", "sanctions"),
    ("Iran will attack Israel.", "attack", "military"),
    ("Turkey said it would impose sanctions on Syria unless Damascus withdrew.", "impose",
     "sanctions"),
    ("The Iraqi government is prepared to arrest the protest leaders.", "arrest", "repression"),
])
def test_a_hostile_act_its_actor_declares_for_the_future_is_a_threat(text, trigger, mode):
    c = at(text, trigger)
    assert (c.lexicon_type, c.lexicon_mode, c.event.quad) == ("THREATEN", mode,
                                                             "verbal_conflict")


@pytest.mark.parametrize(("text", "trigger"), [
    ("Iran attacked Israel.", "attacked"),
    ("Hamas tried to attack Israel.", "attack"),  # an attempt, not a declaration
    ("Iran might attack Israel.", "attack"),
    ("If Israel attacks Iran, oil prices will rise.", "attacks"),
    ("Iran did not plan to attack Israel.", "attack"),
])
def test_a_hostile_act_done_tried_or_doubted_is_no_threat(text, trigger):
    assert at(text, trigger).lexicon_type == "ASSAULT"


@pytest.mark.parametrize(("text", "trigger"), [
    ("Japan will provide humanitarian aid to Yemen.", "provide"),
    ("Colombia said it would release the rebel prisoners.", "release"),
    ("Canada plans to withdraw its troops from Mali.", "withdraw"),
])
def test_a_cooperative_act_its_actor_declares_for_the_future_is_a_promise(text, trigger):
    c = at(text, trigger)
    assert (c.lexicon_type, c.lexicon_mode, c.event.quad) == ("AGREE", "intent",
                                                             "verbal_cooperation")


@pytest.mark.parametrize(("text", "trigger"), [
    ("Japan provided humanitarian aid to Yemen.", "provided"),
    ("Colombia might release the rebel prisoners.", "release"),
    ("Canada did not plan to withdraw its troops from Mali.", "withdraw"),
])
def test_a_cooperative_act_done_or_doubted_is_no_promise(text, trigger):
    assert at(text, trigger).event.quad == "material_cooperation"


def test_a_planned_act_names_its_quad_with_its_modality():
    c = at("Greece plans to impose sanctions on Turkey.", "impose")
    assert "quad_modality=verbal_conflict:planned" in c.features
    done = at("Greece imposed sanctions on Turkey.", "imposed")
    assert "quad_modality=material_conflict:asserted" in done.features


@pytest.mark.parametrize(("text", "modality"), [
    ("Turkey said it would attack Syria.", "planned"),  # a future told in the past
    ("Turkey said it would attack Syria if Syria shelled its border.", "hypothetical"),
    ("Turkey would attack Syria.", "hypothetical"),
])
def test_would_under_a_past_speech_verb_is_a_plan_unless_conditional(text, modality):
    assert at(text, "attack").event.modality == modality


@pytest.mark.parametrize(("text", "refusal"), [
    ("Syria says it will not accept any more refugees.", True),
    ("Jordan said it would not accept the proposal.", True),
    ("Egypt vowed not to accept the proposal.", True),
    ("Syria did not accept the proposal.", False),  # nothing happened, nobody refused
])
def test_an_act_declared_ahead_as_not_to_be_done_is_a_refusal(text, refusal):
    c = at(text, "accept")
    assert c.event.negated and c.refused == refusal
