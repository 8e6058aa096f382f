"""The cross-fitted check of the "attributions" claims scope (train/attribution_scope_cv.py):
its per-kind thresholds on made-up scores, and its switch of the scope's steps on our own
sentences."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

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


@pytest.fixture(scope="module")
def switchable():
    import rashomon.claims.learned as learned

    shipped = learned.LearnedCues._learned_roles
    scope_cv._patch_steps()
    yield scope_cv._FLAGS
    scope_cv._FLAGS.update(sources=True, objects=True)
    learned.LearnedCues._learned_roles = shipped


def test_the_switchable_method_calls_the_scorers_put_in_the_module(switchable):
    # the fold's scorers replace the module's loaders: the patched method must look them
    # up there, not in a copy taken when it was made
    import rashomon.claims.learned as learned

    assert learned.LearnedCues._learned_roles.__globals__ is vars(learned)
    assert not hasattr(learned, "_switchable")


def _claims(text: str) -> list:
    doc = Document(id="t", text=text, published="2020-06-10")
    return next(analyse_documents([doc], Config(claims_scope="attributions"))).result.claims


def test_the_actor_object_step_can_be_switched_off(switchable):
    text = "Senator John McCain praised Barack Obama in a statement."
    switchable.update(sources=True, objects=True)
    assert [(c.cue, c.content) for c in _claims(text)] == [("praised", "Barack Obama")]
    switchable.update(objects=False)
    assert not any(c.cue == "praised" for c in _claims(text))
