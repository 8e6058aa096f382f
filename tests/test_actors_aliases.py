"""Other names the text gives an actor (``actors.aliases``), on sentences written for these
tests."""

from __future__ import annotations

import pytest

from rashomon.actors import load_kb, resolve_actors
from rashomon.parse import load_nlp


@pytest.fixture(scope="module")
def resolve():
    nlp, kb = load_nlp(), load_kb()

    def run(text: str):
        return resolve_actors(nlp(text), "t", kb, 2019)

    return run


def actors_of(resolution, surface: str) -> list[str]:
    return [m.actor for m in resolution.mentions if m.text == surface]


def test_a_name_given_in_parentheses_after_or_is_the_same_actor_later(resolve):
    r = resolve("Envoys of the Fatah (or Opening Path) Alliance arrived on Monday. The "
                "Opening Path later signed the pact.")
    fatah = actors_of(r, "Fatah")
    assert fatah and actors_of(r, "Opening Path") == fatah * 2


def test_a_name_given_by_also_known_as_is_the_same_actor_later(resolve):
    r = resolve("The Mujahedin-e Khalq, also known as the Rajavi Cult, held a rally. "
                "Critics of the Rajavi Cult stayed away.")
    mek = actors_of(r, "Mujahedin-e Khalq")
    assert mek and actors_of(r, "Rajavi Cult") == mek * 2


def test_two_names_joined_by_or_stay_two_actors(resolve):
    r = resolve("Iran or Iraq may host the talks.")
    assert actors_of(r, "Iran") != actors_of(r, "Iraq")
