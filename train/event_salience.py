"""Train the salience model (``event_salience.npz``): which of a sentence's events is the
sentence's main event (``rashomon.events.salience``).

Data: PLV train (``../shared/data/events/plv_train.tsv``, 1,049 news sentences, each with
one marked event: its source and target spans). Each sentence is analysed by the pipeline
up to its events, by role, type and gate models fitted without it (5 folds,
``train/event_cv.py``'s ``FoldFitter``: the shipped models saw PLV, and their confidences
on it are not what new text gets); the sentence's events whose trigger lies between the
marked source and target, else nearest them (the matching ``train/event_type.py`` uses),
are its main event (label 1; among several pairs of one trigger, those whose target is the
marked target), the others 0. Sentences with fewer than two events teach nothing about
the choice and are left out.

Figures (5-fold cross-validation by sentence): the top event's type and target accuracy
with the sentence's events ordered by confidence (as before) and by salience; PLOVER GSR
dev (an evaluation set, never trained on) the same way.

    PYTHONPATH=src python train/event_salience.py [--c 0.3] [--cv-only]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from rashomon.events.coder import (
    aim_at_intended_targets,
    drop_partial_tellings,
    find_candidates,
)
from rashomon.events.role_model import RoleModel, load_role_model
from rashomon.events.salience import DENSE, salience_rows
from rashomon.events.typing_model import Candidate, EventModel, featurize, load_event_model
from rashomon.models import LinearModel
from rashomon.types import Document, Event

TRAIN = Path(__file__).resolve().parent
OUT = TRAIN.parent / "src" / "rashomon" / "models" / "event_salience.npz"
SALIENCE_C = 0.3
FOLDS = 5


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"train_{name}", TRAIN / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sentence_events(doc_id: str, context: tuple, model: EventModel, roles: RoleModel | None,
                    ) -> tuple[Any, list[Event], list[Candidate]]:
    """The parse, the events the pipeline keeps, and the candidate each came from."""
    doc, resolution, places, dates, resources = context
    kb = resources.kb
    cands = find_candidates(doc, doc_id, resolution, places, dates,
                            lexicon=resources.event_lexicon, cues=resources.cues,
                            states={c: kb.actors[i] for c, i in kb.states.items()},
                            open_candidates=model.typer is not None, roles=roles,
                            blocks=model.blocks)
    events = model.decide(cands, resources.event_lexicon) if cands else []
    events = drop_partial_tellings(doc, aim_at_intended_targets(doc, events))
    origin = {id(c.event): c for c in cands}
    return doc, events, [origin[id(e)] for e in events]


def _near(span: tuple[int, int] | None, a: int, b: int) -> int:
    if span is None:
        return 10_000
    return 0 if a < span[1] and span[0] < b else min(abs(a - span[1]), abs(span[0] - b))


def marked(row: dict, events: list[Event], mentions: list[tuple[int, int, str]]) -> list[int]:
    """1 for the sentence's marked event(s), else 0 (see the module's docstring)."""
    if not events:
        return []
    s, t = row["s"], row["t"]

    def distance(e: Event) -> tuple[int, int]:
        t0, t1 = e.trigger_start or e.start, e.trigger_end or e.end
        inside = s is not None and t is not None and \
            min(s[1], t[1]) <= t0 <= max(s[0], t[0])
        return (0 if inside else 1, _near(s, t0, t1) + _near(t, t0, t1))
    best = min(distance(e) for e in events)
    chosen = [i for i, e in enumerate(events) if distance(e) == best]

    def hits_target(e: Event) -> bool:
        return t is not None and e.target is not None and any(
            actor == e.target and a < t[1] and t[0] < b for a, b, actor in mentions)
    right = [i for i in chosen if hits_target(events[i])] or chosen
    return [int(i in right) for i in range(len(events))]


def sentence_rows(plv: list[dict], contexts: dict[str, tuple], model: EventModel,
                  roles: RoleModel | None) -> list[dict]:
    """Per PLV sentence: its events, their salience features and their labels."""
    out = []
    for row in plv:
        context = contexts[row["id"]]
        doc, events, cands = sentence_events(row["id"], context, model, roles)
        mentions = [(m.start, m.end, m.actor) for m in context[1].mentions]
        feats, dense, _ = salience_rows(doc, events, cands)
        out.append({"row": row, "events": events, "feats": feats, "dense": dense,
                    "labels": marked(row, events, mentions), "mentions": mentions})
    return out


def fit_salience(sentences: list[dict], c: float = SALIENCE_C) -> LinearModel:
    """A logistic regression on the events of sentences with at least two events."""
    used = [s for s in sentences if len(s["events"]) > 1 and any(s["labels"])]
    x = featurize([f for s in used for f in s["feats"]],
                  np.vstack([s["dense"] for s in used]))
    y = [label for s in used for label in s["labels"]]
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x, y)
    return LinearModel.from_sklearn(model, {
        "dense": list(DENSE), "c": c, "data": ["PLV train (marked events)"],
        "sentences": len(used), "events": len(y)})


def top(events: list[Event], scores: np.ndarray | None) -> Event | None:
    """The top event as ``bench/common.py`` picks it, by ``scores`` (None: confidence)."""
    if not events:
        return None
    keys = scores if scores is not None else [e.confidence for e in events]
    pool = [i for i, e in enumerate(events) if not e.negated and e.modality != "denied"] \
        or list(range(len(events)))
    return events[min(pool, key=lambda i: (-keys[i], events[i].start,
                                           events[i].trigger_start or 0))]


def accuracy(sentences: list[dict], scores: list[np.ndarray | None]) -> tuple[float, float]:
    """Top-event type accuracy (PLV roots; YIELD = CONCEDE or RETREAT) and target accuracy
    (a mention of the top event's target overlaps the marked target)."""
    type_ok = target_ok = targets = 0
    for s, sc in zip(sentences, scores, strict=True):
        e = top(s["events"], sc)
        root = s["row"]["root"]
        type_ok += e is not None and (e.type == root or root == "YIELD"
                                      and e.type in ("CONCEDE", "RETREAT"))
        t = s["row"]["t"]
        if t is not None:
            targets += 1
            target_ok += e is not None and e.target is not None and any(
                actor == e.target and a < t[1] and t[0] < b for a, b, actor in s["mentions"])
    return type_ok / len(sentences), target_ok / max(1, targets)


def cross_validate(sentences: list[dict], c: float, k: int = 5) -> list[np.ndarray | None]:
    """Out-of-fold salience of every sentence's events (folds as ``bench/plv_train.py``)."""
    scores: list[np.ndarray | None] = [None] * len(sentences)
    for train, test in KFold(k, shuffle=True, random_state=0).split(sentences):
        model = fit_salience([sentences[i] for i in train], c)
        for i in test:
            s = sentences[i]
            if s["events"]:
                scores[i] = model.predict_proba(featurize(s["feats"], s["dense"]))[:, 1]
    return scores


def gsr_accuracy(model: LinearModel | None, contexts: dict[str, tuple], gsr: list[dict],
                 events_model: EventModel, roles: RoleModel | None) -> float:
    right = 0
    for rec in gsr:
        doc, events, cands = sentence_events(rec["id"], contexts[rec["id"]], events_model,
                                             roles)
        scores = None
        if model is not None and events:
            feats, dense, _ = salience_rows(doc, events, cands)
            scores = model.predict_proba(featurize(feats, dense))[:, 1]
        e = top(events, scores)
        right += e is not None and e.type == rec["root"]
    return right / len(gsr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--c", type=float, default=SALIENCE_C)
    ap.add_argument("--cv-only", action="store_true", help="figures only; write nothing")
    args = ap.parse_args()
    et, cv = _load("event_type"), _load("event_cv")
    plv = et.load_plv()
    fitter = cv.FoldFitter([{"id": f"plv-{r['id'][3:]}"} for r in plv])
    # every sentence analysed by event models that never saw it, as new text is
    sentences = fitter.out_of_fold(list(range(len(plv))), FOLDS)
    several = sum(len(s["events"]) > 1 for s in sentences)
    print(f"PLV: {len(sentences)} sentences, {several} with two events or more", flush=True)
    before = accuracy(sentences, [None] * len(sentences))
    after = accuracy(sentences, cross_validate(sentences, args.c))
    print(f"PLV top event type / target (event models out of fold), by confidence: "
          f"{before[0]:.3f} / {before[1]:.3f}; by salience (5-fold CV): {after[0]:.3f} / "
          f"{after[1]:.3f}", flush=True)
    model, roles = load_event_model(), load_role_model()
    salience = fit_salience(sentences, args.c)
    gsr = et.load_gsr()
    gsr_contexts = cv.parse_documents([Document(id=r["id"], text=r["text"]) for r in gsr])
    g0 = gsr_accuracy(None, gsr_contexts, gsr, model, roles)
    g1 = gsr_accuracy(salience, gsr_contexts, gsr, model, roles)
    print(f"GSR top event type ({len(gsr)} sentences, never trained on), by confidence / "
          f"salience: {g0:.3f} / {g1:.3f}")
    if args.cv_only:
        return 0
    salience.meta["figures"] = {"plv_cv_type_confidence": round(before[0], 4),
                                "plv_cv_target_confidence": round(before[1], 4),
                                "plv_cv_type_salience": round(after[0], 4),
                                "plv_cv_target_salience": round(after[1], 4),
                                "gsr_type_confidence": round(g0, 4),
                                "gsr_type_salience": round(g1, 4)}
    salience.save(OUT)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
