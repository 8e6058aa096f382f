"""The cross-fitted check of the "attributions" claims scope (train/attribution_scope_cv.py):
its per-kind thresholds on made-up scores, and its switch of the scope's steps on our own
sentences."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

TRAIN = Path(__file__).resolve().parent.parent / "train"
sys.path.insert(0, str(TRAIN))

import attribution_scope_cv as scope_cv  # noqa: E402

from rashomon.pipeline import Config, analyse_documents  # noqa: E402
from rashomon.types import Document  # noqa: E402


def test_per_kind_thresholds_follow_where_each_kind_separates():
    # one cue per pair: objects are right from 0.6 up, infinitives from 0.8 up, prepositional
    # objects at any score from 0.2
    kinds, y, p = [], [], []
    for score in np.arange(0.1, 1.0, 0.1):
        kinds += ["dobj", "xcomp", "prep_about"]
        y += [int(score >= 0.55), int(score >= 0.75), 1]
        p += [score, score, max(score, 0.2)]
    cue = np.arange(len(y))
    slots = scope_cv.slot_thresholds(kinds, np.array(y), np.array(p), cue, clausal=0.35)
    assert 0.5 < slots["dobj"] <= 0.6 and slots["attr"] == slots["oprd"] == slots["dobj"]
    assert 0.7 < slots["xcomp"] <= 0.8
    assert slots["other"] <= 0.2


def test_each_step_is_a_claims_scope_of_its_own():
    from rashomon.claims import SCOPES, ClaimsScope

    steps = list(scope_cv.STEPS.values())
    assert all(isinstance(step, ClaimsScope) for step in steps)
    assert steps[0] == SCOPES["news"] and steps[-1] == SCOPES["attributions"]
    # the name keys the attributions cached on the Doc: two steps may not share one
    assert len({step.name for step in steps}) == len(steps)


def test_the_actor_object_step_can_be_switched_off():
    text = "Senator John McCain praised Barack Obama in a statement."
    doc = Document(id="t", text=text, published="2020-06-10")
    scope_cv._RESULTS.clear()
    config = Config(stages=["places", "actors", "claims_steps"], n_process=1, doc_timeout=0)
    list(analyse_documents([doc], config))

    def said(step: str) -> list[tuple[str, str]]:
        return [(c["cue"], c["content"]) for c in scope_cv._RESULTS[step]["t"]]

    assert said("1+2+3 shipped scope") == [("praised", "Barack Obama")]
    assert not any(cue == "praised" for cue, _ in said("1+2 + common-noun sources"))
