"""Where the learned role scorer loses the development articles' gold roles: for each gold
event whose roles the candidates get wrong, is an acceptable actor among the role model's
rows, and what does the model make of it?

Usage (from the repository root; about a minute, the 26 articles parsed)::

    PYTHONPATH=src python train/role_rows.py            # counts per role and state
    PYTHONPATH=src python train/role_rows.py --verbose  # and each gold event

For every gold event of the 26 development articles (``../shared``, never committed), the
candidates whose trigger lies in its evidence are read as ``train/event_roles.py`` reads
them for training (the rules' roles, every actor mention of the trigger's sentence a row),
decided by the shipped role model and its policy; the best candidate is the one with the
most roles right. Each role it gets wrong (empty or another actor) is put in one class:

* ``absent``: no row's actor stands for an acceptable actor of that role (the candidate
  proposal or the actor stage, not the scorer);
* ``present, labelled R``: the acceptable row's most probable label is R (the role itself,
  "none", or the other role), with its probability of the role, its rank among the rows,
  the rules' role for it, its path and actor kind, and whether a fill could reach it.

The figures are in-sample (the shipped weights; the rows are training's); they say where
the scorer is wrong, ``train/event_roles_articles.py`` says whether a change helps.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import event_roles as er  # noqa: E402
import event_roles_articles as era  # noqa: E402

from rashomon.events.role_model import RoleRow, fillable, governed, load_role_model  # noqa: E402
from rashomon.types import Mention  # noqa: E402

ROLES = (("source", 1), ("target", 2))


def _feature(row: dict[str, Any], name: str) -> str:
    return next((f.partition("=")[2] for f in row["features"] if f.startswith(f"{name}=")), "-")


def judge(frame: dict[str, Any], event: dict[str, Any], amap: Any, score: Any,
          model: Any) -> dict[str, tuple[str, str]]:
    """Each role of one candidate against one gold event: ("right", "") or (class, detail)."""
    rows = [RoleRow(Mention(document="", start=r["span"][0], end=r["span"][1], text="",
                            actor=r["actor"], rule=""), r["features"], r["rule"])
            for r in frame["rows"]]
    probs = model.probabilities(rows)
    decided = er.decide(model, frame)
    out = {}
    for role, column in ROLES:
        spans = set(decided[role])
        actors = [r["actor"] for r in frame["rows"] if tuple(r["span"]) in spans]
        if score.role_ok(actors[0] if actors else None, event.get(role),
                         event.get(f"{role}_optional", False), amap):
            out[role] = ("right", "")
            continue
        state = "empty" if not actors else "wrong"
        acceptable = [k for k, r in enumerate(frame["rows"])
                      if amap.gold_of(r["actor"]) & set(event.get(role) or [])]
        if not acceptable:
            out[role] = (f"{state}, absent", "")
            continue
        k = max(acceptable, key=lambda k: probs[k, column])
        label = ("none", "source", "target")[int(probs[k].argmax())]
        rank = int((probs[:, column] > probs[k, column]).sum())
        row = frame["rows"][k]
        out[role] = (f"{state}, present, labelled {label}",
                     f"{row['actor']} p={probs[k, column]:.2f} rank={rank} rule={row['rule']} "
                     f"path={_feature(row, 'path')} kind={_feature(row, 'kind')} "
                     f"governed={governed(rows[k])} fillable={fillable(rows[k], column, None)}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list each gold event")
    args = parser.parse_args()
    score = era.event_cv._load("event_type").load_scorer()
    model = load_role_model()
    counts: Counter[str] = Counter()
    listed = []
    for doc_id, (context, gold, amap) in sorted(era.parse_articles(score).items()):
        doc = context[0]
        frames = [f for f in er.role_frames(doc, doc_id, *context[1:]) if f["rows"]]
        for event in gold.get("events", []):
            span = score.find_span(doc.text, event["evidence"])
            if span is None:
                continue
            judged = [(f, judge(f, event, amap, score, model)) for f in frames
                      if span[0] <= f["trigger"][0] < span[1]]
            if not judged:
                continue
            frame, roles = max(judged, key=lambda fr: sum(v[0] == "right"
                                                          for v in fr[1].values()))
            wrong = {role: v for role, v in roles.items() if v[0] != "right"}
            if not wrong:
                continue
            for role, (cls, _) in wrong.items():
                counts[f"{role}: {cls}"] += 1
            a, b = frame["trigger"]
            listed.append(f"{doc_id[:12]} [{doc.text[a:b]}] {event['evidence'][:80]!r} "
                          f"gold {event.get('source')} -> {event.get('target')} | " + "; ".join(
                              f"{role} {cls} {detail}" for role, (cls, detail) in wrong.items()))
    for cls, n in sorted(counts.items()):
        print(f"{n:4d}  {cls}")
    if args.verbose:
        print("\n".join(["", *listed]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
