"""Tests for rashomon.actors.parties and the stance stage's use of it (sentences our own)."""

from __future__ import annotations

from rashomon import analyze
from rashomon.actors import load_kb
from rashomon.actors.parties import entity_parties
from rashomon.parse import load_nlp
from rashomon.types import Actor, Mention


def _parties(text: str, mentions: list[Mention], actors: dict[str, Actor]):
    return entity_parties(load_nlp()(text), "doc", mentions, actors, load_kb())


def test_uncovered_entities_become_parties_and_covered_ones_do_not():
    text = "Senator Jane Holloway sharply criticized Kentucky and the Daily Ledger on Monday."
    start = text.index("Jane Holloway")
    holloway = Mention("doc", start, start + 13, "Jane Holloway", "p:holloway", "provisional")
    actors = {"p:holloway": Actor("p:holloway", "Jane Holloway", "person",
                                  aliases=["Jane Holloway"], provisional=True)}
    found, new = _parties(text, [holloway], actors)
    names = {m.text for m in found}
    assert "Kentucky" in names and "Jane Holloway" not in names
    kentucky = next(m for m in found if m.text == "Kentucky")
    assert kentucky.rule == "entity" and new[kentucky.actor].provisional


def test_a_place_where_something_is_and_a_dateline_are_no_parties():
    text = "WASHINGTON (Reuters) - Protesters marched in Louisville on Sunday."
    found, _ = _parties(text, [], {})
    assert not {"WASHINGTON", "Louisville"} & {m.text for m in found}


def test_a_lone_word_of_a_person_named_here_is_that_person():
    text = "Maria Castellanos spoke first. Later Castellanos thanked the Tribune."
    first = Mention("doc", 0, 17, "Maria Castellanos", "p:castellanos", "provisional")
    actors = {"p:castellanos": Actor("p:castellanos", "Maria Castellanos", "person",
                                     aliases=["Maria Castellanos"], provisional=True)}
    found, new = _parties(text, [first], actors)
    lone = [m for m in found if m.text == "Castellanos"]
    assert all(m.actor == "p:castellanos" for m in lone)
    assert "p:castellanos" not in new


def test_the_stance_stage_keeps_only_parties_that_take_part_in_a_stance():
    text = ("Senator Jane Holloway sharply condemned Kentucky for the new law. "
            "Tourists visited Ohio in June.")
    out = analyze([{"id": "t", "text": text}]).to_dict()
    kept = [m for m in out["mentions"] if m["rule"] == "entity"]
    in_stance = {a for s in out["stances"] for a in (s["source"], s["target"])}
    assert any(m["text"] == "Kentucky" for m in kept)
    assert all(m["actor"] in in_stance for m in kept)
    assert {m["actor"] for m in kept} <= {a["id"] for a in out["actors"]}
    assert not any(m["text"] == "Ohio" for m in kept)
    assert not any(e.get("source") in {m["actor"] for m in kept} for e in out["events"])
