"""How the event gate is trained (train/event_type.py): which target its labels judge, and
how its threshold's cross-validation keeps an article's candidates out of its own fits."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

TRAIN = Path(__file__).resolve().parent.parent / "train"


def _event_type():
    spec = importlib.util.spec_from_file_location("train_event_type_gate",
                                                  TRAIN / "event_type.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_threat_is_labelled_with_the_target_the_pipeline_lends_it():
    # the pipeline aims the threat at the attack's target after the gate; the gate's label
    # must judge the threat with that target, not the empty one the rules gave it
    et = _event_type()
    from rashomon.types import Document

    probe = et.probe_documents([Document(id="t", text="The Taliban threatened to attack "
                                                      "American troops.")])["t"]
    pairs = {c.event.trigger: (c.event.target, lent)
             for c, lent in zip(probe["candidates"], probe["lent"], strict=True)}
    assert pairs["threatened"] == (None, "united_states")
    assert pairs["attack"] == ("united_states", "united_states")


def test_an_articles_candidates_are_judged_by_gates_fitted_without_it():
    # each article's rows carry a column of their own and its label: a gate that saw the
    # article would learn the label from that column, one that did not cannot
    et = _event_type()
    articles = [f"a{k}" for k in range(10)]
    groups = [a for a in articles for _ in range(6)]
    y = [k % 2 for k in range(len(articles)) for _ in range(6)]
    x = np.zeros((len(groups), 1 << et.HASH_BITS), dtype=np.float32)
    for row, group in enumerate(groups):
        x[row, articles.index(group)] = 1.0
    p = et.gate_out_of_fold(x, y, groups, x[:0], [], 0.0, seed=0)
    seen = et.fit(x, y, 10.0).predict_proba(x)[:, 1]
    label = np.array(y, dtype=bool)
    assert seen[label].min() > 0.8 and seen[~label].max() < 0.2
    assert p[label].max() < 0.7 and p[~label].min() > 0.3  # out of fold it cannot tell
