"""An event that tells part of a fuller event of its sentence is not kept beside it: our
sentences, parsed, with events placed on their triggers by hand (so the assertions read the
rule, not the learned models' scores)."""

from __future__ import annotations

from rashomon.events.coder import drop_partial_tellings
from rashomon.parse import load_nlp
from rashomon.types import Event

SEIZED = "The soldiers seized the weapons and arrested the rebel commanders."
TWO_SENTENCES = "The soldiers seized the weapons. The army arrested the rebel commanders."


def _event(text: str, trigger: str, source: str | None, target: str | None,
           confidence: float) -> Event:
    start = text.index(trigger)
    sentence = next(s.text for s in load_nlp()(text).sents
                    if s.start_char <= start < s.end_char)
    return Event(id=f"d:{trigger}", document="d", start=0, end=len(text), sentence=sentence,
                 trigger=trigger, type="ASSAULT", quad="material_conflict", source=source,
                 target=target, confidence=confidence, trigger_start=start,
                 trigger_end=start + len(trigger))


def _kept(text: str, *events: Event) -> list[str | None]:
    return [e.trigger for e in drop_partial_tellings(load_nlp()(text), list(events))]


def test_a_targetless_act_coordinated_with_a_fuller_one_is_dropped():
    seized = _event(SEIZED, "seized", "army", None, 0.4)
    arrested = _event(SEIZED, "arrested", "army", "rebels", 0.8)
    assert _kept(SEIZED, seized, arrested) == ["arrested"]


def test_the_partial_telling_stays_when_it_is_the_surer_one():
    seized = _event(SEIZED, "seized", "army", None, 0.9)
    arrested = _event(SEIZED, "arrested", "army", "rebels", 0.8)
    assert _kept(SEIZED, seized, arrested) == ["seized", "arrested"]


def test_a_partial_event_of_another_actor_stays():
    seized = _event(SEIZED, "seized", "police", None, 0.4)
    arrested = _event(SEIZED, "arrested", "army", "rebels", 0.8)
    assert _kept(SEIZED, seized, arrested) == ["seized", "arrested"]


def test_an_event_of_another_sentence_is_no_part_of_it():
    seized = _event(TWO_SENTENCES, "seized", "army", None, 0.4)
    arrested = _event(TWO_SENTENCES, "arrested", "army", "rebels", 0.8)
    assert _kept(TWO_SENTENCES, seized, arrested) == ["seized", "arrested"]


def test_a_fuller_event_is_needed_to_drop_anything():
    # neither fills both roles: two partial tellings, both kept
    seized = _event(SEIZED, "seized", "army", None, 0.4)
    arrested = _event(SEIZED, "arrested", "army", None, 0.8)
    assert _kept(SEIZED, seized, arrested) == ["seized", "arrested"]
    # a sourceless act beside a fuller one with the same target is dropped the same way
    seized = _event(SEIZED, "seized", None, "rebels", 0.4)
    arrested = _event(SEIZED, "arrested", "army", "rebels", 0.8)
    assert _kept(SEIZED, seized, arrested) == ["arrested"]
