"""Where the role scorer loses a gold role (train/role_rows.py), and the honest CV's policies
(train/event_roles_articles.py): small frames of our own, a constant role model."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

TRAIN = Path(__file__).resolve().parent.parent / "train"
sys.path.insert(0, str(TRAIN))

import event_roles_articles as era  # noqa: E402
import role_rows  # noqa: E402

from rashomon.events.role_model import RoleModel  # noqa: E402
from rashomon.models import LinearModel  # noqa: E402


class _Score:
    """The scorer's role test for actors that are their own gold ids."""

    @staticmethod
    def role_ok(actor, accepted, optional, amap):
        return (optional and actor is None) or actor in (accepted or [])


class _Map:
    @staticmethod
    def gold_of(actor):
        return {actor}


def _model(p_none: float, p_source: float, p_target: float) -> RoleModel:
    # every row gets these probabilities; the rules' roles stand (switch and drop never,
    # fill above any probability)
    linear = LinearModel(["none", "source", "target"], np.zeros((3, 1 << 16)),
                         np.log([p_none, p_source, p_target]),
                         {"switch": 1.01, "drop": 1.01, "fill": 1.01})
    return RoleModel(linear)


def _frame() -> dict:
    def row(start: int, actor: str, rule: str) -> dict:
        return {"span": (start, start + 5), "actor": actor, "rule": rule, "head": None,
                "conj": [], "relative": None, "features": ["bias", "path=vdobj", "kind=state"]}
    # "Chad shelled Niger": the rules read Chad as the source and left the target empty
    return {"trigger": (5, 12), "rows": [row(0, "chad", "source"), row(13, "niger", "none")]}


def test_a_right_source_and_a_target_the_model_reads_as_nobodys():
    event = {"source": ["chad"], "target": ["niger"]}
    judged = role_rows.judge(_frame(), event, _Map(), _Score(), _model(0.6, 0.3, 0.1))
    assert judged["source"] == ("right", "")
    cls, detail = judged["target"]
    assert cls == "empty, present, labelled none"
    assert detail.startswith("niger p=0.10 rank=0 rule=none path=vdobj kind=state")


def test_a_target_no_row_stands_for_is_absent_not_the_scorers_fault():
    event = {"source": ["chad"], "target": ["mali"]}
    judged = role_rows.judge(_frame(), event, _Map(), _Score(), _model(0.2, 0.1, 0.7))
    assert judged["target"] == ("empty, absent", "")


def test_a_policy_without_a_governed_fill_leaves_it_to_the_fill():
    one, two = era.parse_policies("1.01/1.01/0.8,1.01/1.01/0.8/0.6")
    assert one == {"switch": 1.01, "drop": 1.01, "fill": 0.8}
    assert two == {**one, "fill_governed": 0.6}
    assert RoleModel(LinearModel(["none", "source", "target"], np.zeros((3, 4)),
                                 np.zeros(3), one)).fill_governed == 0.8
