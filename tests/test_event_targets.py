"""Targets the candidate finder reaches through the thing an act is done to: a partner
hanging deeper in the object, an act noun's participle, the subject of a verb that suffers
an act ("came under attack", "survived an attempt"); and a place that only says where.
Sentences of our own, read at the candidate level with the rules' roles alone
(``roles=False``), so that what is asserted is the finder's reading, not the learned role
model's."""

from __future__ import annotations

from functools import partial

import numpy as np
from event_candidates import roles as read_roles

from rashomon.events.role_model import RoleModel, RoleRow
from rashomon.models import LinearModel
from rashomon.types import Mention

# the finder's reading, not the learned role model's
roles = partial(read_roles, learned_roles=False)


def test_a_place_says_where_when_nothing_is_struck_or_the_object_is_someone_s():
    # no object: where the fighting was, not whom it was against
    assert roles("Turkish forces fought in Sinjar.", "fought") == {("turkey", None)}
    # the object names its owner: the place is where the owner's thing lies
    assert {t for _, t in roles("Israeli jets bombed Hezbollah's depots in Syria.",
                                "bombed")} == {"hezbollah"}
    assert "syria" not in {t for _, t in roles(
        "Hezbollah said that Israeli jets bombed its depots in Syria.", "bombed")}


def test_a_partner_hanging_under_the_object_s_phrase_is_the_target():
    assert roles("Iran wants to expand ties at all levels with Iraq.",
                 "expand") == {("iran", "iraq")}


def test_a_partner_of_an_act_noun_in_the_object_s_phrase_is_that_act_s():
    # "the raid on X" is the raid's target, not the report's
    assert ("iran", "iraq") not in roles(
        "Iran released a report about the raid on Iraq.", "released")


def test_whoever_comes_under_attack_is_its_target_and_the_attacker_its_source():
    assert roles("The convoy of the Iraqi army came under attack by militants near Basra.",
                 "came under attack") == {("g:militants", "iraqi_army")}
    assert roles("Norway's embassy came under rocket attack from Hezbollah.",
                 "came under rocket attack") == {("hezbollah", "norway")}


def test_whoever_survives_an_attempt_on_them_is_its_target():
    assert roles("Prime Minister Nouri al-Maliki escaped an ambush by militants near Basra.",
                 "escaped an ambush") == {("g:militants", "nouri_al_maliki")}
    assert roles("Hezbollah said Iran survived an assassination attempt.",
                 "survived an assassination attempt") == {(None, "iran")}


def test_an_empty_source_is_not_filled_with_the_actor_the_rules_made_the_target():
    army = Mention(document="d", start=0, end=4, text="army", actor="army", rule="name")
    # a constant model: every row most probably the source, far above any threshold
    probs = np.array([0.01, 0.98, 0.01])
    linear = LinearModel(["none", "source", "target"], np.zeros((3, 1 << 16)), np.log(probs),
                         {"switch": 1.01, "drop": 1.01, "fill": 0.8})
    row = RoleRow(army, ["bias", "path=vnsubj", "crosses=False"], "target")
    sources, targets = RoleModel(linear).assign([row], [None], [], [army])
    assert sources == [] and targets == [army]
    # with no rules' target, the same pick does fill the source
    other = RoleRow(army, ["bias", "path=vnsubj", "crosses=False"], "none")
    assert RoleModel(linear).assign([other], [None], [], [])[0] == [army]


def test_an_act_noun_s_participle_names_its_target_and_a_phrase_takes_it():
    assert roles("Norway lifted the sanctions imposed on Peru after the vote.",
                 "lifted the sanctions") == {("norway", "peru")}
