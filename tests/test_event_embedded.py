"""Acts embedded under another trigger (the object of a light verb, of a speech verb or
of an accusation, an attempt's infinitive): each is a candidate of its own, with the roles
its own words give it, beside the governing trigger's. Sentences of our own."""

from __future__ import annotations

from event_candidates import candidates, roles


def triggers(text: str) -> list[str]:
    return [c.event.trigger for c in candidates(text, learned_roles=False)]


def test_a_light_verbs_act_noun_with_both_parties_of_its_own_is_a_candidate_too():
    text = "Oman helped broker a truce between Saudi Arabia and Yemen last year."
    # the mediator brokers (the light verb's event) and the two parties agree (the truce's)
    assert roles(text, "broker a truce", learned_roles=False) == {
        ("oman", "saudi_arabia"), ("oman", "yemen")}
    assert roles(text, "truce", learned_roles=False) == {("saudi_arabia", "yemen")}


def test_a_light_verbs_act_noun_without_parties_of_its_own_is_not_repeated():
    assert "ceasefire" not in triggers("Russia signed a ceasefire with Ukraine on Monday.")


def test_an_act_noun_whose_by_phrase_names_its_doer_is_kept_without_a_target():
    text = "The foreign minister condemned airstrikes by Turkey against Kurdish villages."
    assert roles(text, "airstrikes", learned_roles=False) == {("turkey", None)}
    # a bare act noun with one role and no doer named stays background
    assert "war" not in triggers("Germany condemned the war in Yemen.")


def test_with_a_by_phrase_the_possessor_of_an_act_noun_is_whom_it_befalls():
    text = "Germany protested the opposition leader's detention by Russian police."
    assert roles(text, "detention", learned_roles=False) == {("russia", "g:opposition")}


def test_whom_an_accusation_names_did_the_act_it_is_accused_of():
    assert roles("Washington accused Iran of repeated attacks on Saudi oil tankers.",
                 "attacks", learned_roles=False) == {("iran", "saudi_arabia")}
    assert roles("Syria was blamed for the bombing of the Turkish embassy.", "bombing",
                 learned_roles=False) == {("syria", "turkey")}


def test_an_attempts_infinitive_is_the_act_tried_by_whoever_attempts_it():
    assert roles("Turkey condemned a failed attempt by Russia to invade Ukraine.", "invade",
                 learned_roles=False) == {("russia", "ukraine")}
    assert roles("Russia's bid to seize the Ukrainian capital failed.", "seize",
                 learned_roles=False) == {("russia", "ukraine")}
    # an aim held is no act
    assert "topple" not in triggers("Their commitment to topple the Syrian government is firm.")
