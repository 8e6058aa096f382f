"""Tests for rashomon.framing: the shipped technique classifier, detection in documents, and
the per-outlet summary, on sentences written for these tests."""

from __future__ import annotations

from rashomon import framing
from rashomon.types import Document

LOADED = ("These treacherous thugs and bloodthirsty butchers are destroying our glorious "
          "nation, and every true patriot must rise up against the evil traitors now!")
NEUTRAL = "The committee met on Tuesday and approved the budget for the next fiscal year."


def test_model_has_the_shared_task_techniques():
    model = framing.model()
    assert framing.NONE in model.classes
    assert {"Loaded_Language", "Name_Calling,Labeling", "Doubt", "Flag-Waving",
            "Exaggeration,Minimisation"} <= set(model.classes)
    assert len(model.classes) == 15  # 14 techniques and none
    held_out = model.meta["held_out"]
    assert 0.0 < held_out["tc_micro_f1"] <= 1.0 and held_out["articles"] > 0


def test_detects_loaded_clauses_not_the_neutral_sentence():
    doc = Document("d", f"{NEUTRAL} {LOADED}", outlet="Harbor Daily")
    found = framing.detect([doc])
    assert found
    loaded_at = doc.text.index(LOADED)
    for t in found:
        assert t.start >= loaded_at and t.text in LOADED and doc.text[t.start:t.end] == t.text
        assert t.technique != framing.NONE and t.probability >= framing.MIN_PROBABILITY


def test_per_outlet_rates_per_hundred_sentences():
    docs = [Document("a", f"{LOADED} {NEUTRAL} {NEUTRAL} {NEUTRAL}", outlet="Harbor Daily"),
            Document("b", f"{NEUTRAL} {NEUTRAL}", outlet="Gulf Observer")]
    found = [framing.Technique("a", 0, len(LOADED), "Loaded_Language", 0.9, LOADED)]
    rates = framing.per_outlet(found, docs, lambda d: d.outlet)
    assert rates == {"Harbor Daily": {"Loaded_Language": 25.0}}


def test_repeats_count_other_occurrences():
    text = "Stop the war. We say it again: stop the war."
    assert framing.repeats("stop the war", text) == 1
    assert framing.repeats("war", text) == 0  # too short to count as a repeated phrase
    assert framing.detect([Document("e", "")]) == []
