"""How the event gate's threshold is chosen (train/event_type.py): its cross-validation keeps
an article's candidates out of the fits that judge them."""

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


def test_the_override_follows_plv_where_the_articles_differ_by_a_gold_event_or_less():
    # rows: (override, PLV CV type accuracy, articles P / R / F1 / n before the gate)
    et = _event_type()
    table = [(0.5, 0.802, (0.295, 0.579, 0.391, 713)),
             (0.6, 0.790, (0.296, 0.586, 0.393, 713)),
             (0.7, 0.780, (0.297, 0.589, 0.395, 713))]
    assert et._chosen(table, None) == (0.6, 0.790)  # 0.5 is two gold events under the best
    assert et._chosen(table, 0.7) == (0.7, 0.780)  # a forced choice stands
    clear = [(0.6, 0.790, (0.28, 0.55, 0.371, 713)), (0.7, 0.780, (0.297, 0.589, 0.395, 713))]
    assert et._chosen(clear, None) == (0.7, 0.780)  # a real gain on the articles wins
