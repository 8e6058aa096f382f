"""People nouns that stand for the body the text names them part of (``actors.members``),
on sentences written for these tests."""

from __future__ import annotations

import pytest

from rashomon.actors import load_kb, resolve_actors
from rashomon.parse import load_nlp


@pytest.fixture(scope="module")
def resolve():
    nlp, kb = load_nlp(), load_kb()

    def run(text: str, year: int | None = 2019):
        return resolve_actors(nlp(text), "t", kb, year)

    return run


@pytest.fixture(scope="module")
def kb_places():
    """Resolution that knows where the story is set (from the places it names)."""
    from rashomon.places import extract_places

    nlp, kb = load_nlp(), load_kb()

    def run(text: str, year: int | None = 2019):
        doc = nlp(text)
        return resolve_actors(doc, "t", kb, year, places=extract_places(doc, "t"))

    return run


def actor_of(resolution, surface: str) -> str | None:
    """The actor of the first mention whose text is ``surface`` or ends in it."""
    return next((m.actor for m in resolution.mentions
                 if m.text == surface or m.text.endswith(" " + surface)), None)


def test_people_from_a_named_body_are_that_body(resolve):
    r = resolve("Twelve legislators from the Badr Organization walked out of the session.")
    assert actor_of(r, "legislators") == actor_of(r, "Badr Organization") is not None


def test_members_of_a_body_are_that_body_and_the_noun_is_no_alias_of_it(resolve):
    r = resolve("Several members of Hezbollah were seen at the border crossing.")
    body = actor_of(r, "Hezbollah")
    assert body is not None and actor_of(r, "members") == body
    assert "members" not in r.actors[body].aliases


def test_a_bodys_possessed_fighters_are_the_body(resolve):
    r = resolve("Hamas's fighters fired rockets at the town overnight.")
    assert actor_of(r, "fighters") == actor_of(r, "Hamas") is not None


def test_people_from_a_state_are_not_its_body(resolve):
    """Fighters who came from a country are not that country's army."""
    r = resolve("Hundreds of fighters from Syria crossed into the valley.")
    assert actor_of(r, "fighters") != actor_of(r, "Syria")


def test_his_own_party_is_the_party_of_the_man_named_before(resolve):
    r = resolve("Prime Minister Nouri al-Maliki flew to Tehran. Officials of his own party "
                "stayed behind to defend the budget.", year=2008)
    party = actor_of(r, "party")
    assert party is not None and party != actor_of(r, "Nouri al-Maliki")
    assert actor_of(r, "Officials") == party


def test_a_people_noun_in_apposition_to_a_named_militia_is_that_militia(resolve):
    r = resolve("The Badr Organization militia, mostly Kurds who joined in "
                "2014, held the road.")
    body = actor_of(r, "Badr Organization")
    assert body is not None
    assert any(m.actor == body and "Kurds" in m.text for m in r.mentions)


def test_groups_a_copula_equates_with_named_bodies_are_those_bodies(resolve):
    r = resolve("Hamas and Islamic Jihad are two of the armed opposition groups that "
                "rejected the truce.")
    groups = [m for m in r.mentions if "opposition" in m.text]
    assert groups and groups[0].actor == actor_of(r, "Hamas")


def test_a_negated_copula_equates_nothing(resolve):
    r = resolve("Hamas is not an opposition group, its leader said.")
    assert all(m.actor != actor_of(r, "Hamas") for m in r.mentions if "opposition" in m.text)


def test_a_singular_people_noun_right_before_a_persons_name_is_that_person(resolve):
    """Here the parser hangs the name on "government", not on "cleric"."""
    r = resolve("Talks were held in Najaf between the Iraqi government and influential "
                "Shiite cleric Muqtada al-Sadr, officials said.")
    assert actor_of(r, "Shiite cleric") == actor_of(r, "Muqtada al-Sadr") is not None



def test_counted_lawmakers_of_a_community_sit_in_the_home_states_legislature(kb_places):
    """"Two Sunni MPs" are two members of the parliament of the country the story is set
    in: the adjective says which community they come from, not whose body they are."""
    r = kb_places("Car bombs shook Basra and Mosul overnight. Three Sunni lawmakers "
                  "walked out of the session in protest.")
    mention = next(m for m in r.mentions if m.text == "lawmakers")
    assert (mention.actor, mention.sector) == ("iraq", "LEG")


def test_uncounted_lawmakers_of_a_community_are_left_to_their_bloc(kb_places):
    r = kb_places("Car bombs shook Basra and Mosul overnight. Sunni lawmakers walked out "
                  "of the session in protest.")
    assert actor_of(r, "lawmakers") is None


def test_counted_lawmakers_named_for_a_state_stay_that_states(kb_places):
    r = kb_places("Car bombs shook Basra and Mosul overnight. Two Turkish lawmakers "
                  "visited the site.")
    assert actor_of(r, "lawmakers") == "turkey"
