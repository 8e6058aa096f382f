"""Events a noun phrase states rather than a clause: a hyphenated patron on an act noun
("a Qatari-brokered truce": Qatar brokered it), against a hyphenated patron that only
says who a party is ("Turkish-backed fighters"). Sentences of our own."""

from __future__ import annotations

from event_candidates import candidates, roles


def triggers(text: str) -> list[str]:
    return [c.event.trigger for c in candidates(text, learned_roles=False)]


def test_a_patron_glued_to_a_participle_on_an_act_noun_acts_on_the_acts_doer():
    text = "The clashes ended with a Qatari-brokered truce declared by the Taliban."
    # Qatar mediated; the truce itself is the Taliban's, as its "by" phrase says
    assert roles(text, "brokered", learned_roles=False) == {("qatar", "taliban")}
    assert roles(text, "truce", learned_roles=False) == {("taliban", None)}


def test_the_patrons_act_reaches_the_act_nouns_own_doer_named_by_a_demonym():
    text = "The rebels held off an American-supported Iraqi assault on Basra."
    # America supported the Iraqi assault, not the rebels who held it off
    assert roles(text, "supported", learned_roles=False) == {("united_states", "iraq")}


def test_a_patron_on_a_noun_naming_a_party_describes_it_and_is_no_event():
    text = "Turkish-backed fighters stormed the village on Sunday."
    assert "backed" not in triggers(text)
    # the fighters stay one actor of their own, tied to their patron, and do the storming
    assert roles(text, "stormed", learned_roles=False) == {("turkey_backed_REB", None)}


def test_two_names_glued_by_a_hyphen_before_an_act_noun_are_its_two_parties():
    assert roles("He was speaking of the Iran-Iraq war of the 1980s.", "war",
                 learned_roles=False) == {("iran", "iraq")}
    # a mediator acts on each of them, as with "a truce between X and Y"
    text = "Egypt helped broker the Israel-Hamas ceasefire."
    assert roles(text, "broker the Israel-Hamas ceasefire", learned_roles=False) == {
        ("egypt", "israel"), ("egypt", "hamas")}
    assert roles(text, "ceasefire", learned_roles=False) == {("israel", "hamas")}


def test_coordinated_participles_on_a_noun_share_their_by_phrase():
    text = "The militias, trained and armed by Iran, attacked the base."
    assert roles(text, "trained", learned_roles=False) == {("iran", "g:militias")}
    assert roles(text, "armed", learned_roles=False) == {("iran", "g:militias")}


def test_a_patron_on_a_name_ending_in_an_act_noun_describes_a_party_and_is_no_event():
    """"the Iran-backed Fatah Alliance" is a body's name: Iran's backing says who the
    body is, as for "Iran-backed militias"; the alliance made with it is the event."""
    text = "Haider al-Abadi formed an alliance last week with the Iran-backed Fatah Alliance."
    assert "backed" not in triggers(text)
    # (the act noun is coded through the verb that carries it out: "formed an alliance")
    assert ("haider_al_abadi", "fatah_alliance") in roles(text, "formed an alliance")


def test_the_of_phrase_of_an_act_without_an_object_names_its_doer():
    """"The resignation of X", "the withdrawal of X's troops": nothing is resigned or
    withdrawn from anyone, so the "of" phrase says who acts, and, as a "by" phrase does,
    makes the bare noun a particular act rather than background."""
    text = "The vote collapsed after the resignation of 30 deputies from the Badr Organization."
    assert roles(text, "resignation", learned_roles=False) == {("badr_organization", None)}
    text = "The pullout of Turkish troops from the hills began on Friday."
    assert roles(text, "pullout", learned_roles=False) == {("turkey", None)}


def test_the_of_phrase_of_an_attack_still_names_its_victim():
    text = "Kabul condemned the bombing of the Taliban convoy."
    assert ("taliban", None) not in roles(text, "bombing", learned_roles=False)
