"""Train the incident pair scorer (``src/rashomon/models/incident_pairs.npz``).

Data: the development articles ``../shared/corpus/dev.jsonl`` analysed by Rashomon, and
their gold (``../shared/gold/dev/``), whose events carry an ``incident`` key. Each system
event takes the incident of the gold event it matches as the scorer does (evidence
overlapped, roles and quad right; the largest overlap when several) for evaluation, and
the incident of the gold events its span overlaps for training; pairs are the examples.

Cross-validation leaves one *story* out at a time (a story: the documents joined by shared
gold incidents, e.g. all the tellings of one week's fighting), which is stricter than
leaving one incident out: a held-out story's events are scored by a model that saw none
of its pairs, as new articles will be. The regularisation, linkage and clustering
threshold are chosen on the out-of-fold clustering by the mean of two pairwise F1s over
pairs of labelled events in different documents: the scorer's own (events matching a gold
event with roles and quad right, a few dozen pairs) and the broader one over every event
that tells a gold incident (hundreds of pairs, and it moves less when event extraction
changes); each threshold's figure is averaged with its neighbours' so that a lone spike on
a few pairs does not choose, and the grid's end points are never chosen. The shipped model
is the average of the leave-one-story-out models, so it scores pairs on the scale the
threshold was chosen on. The script ends with the in-sample figure: the shipped model
clustering all of dev.jsonl, measured as the scorer measures.

    PYTHONPATH=src python train/incident_pairs.py [--analysis dev.json] [--out DIR]

``--analysis`` reuses an export of dev.jsonl (``rashomon export -f json``) instead of
analysing the articles again (the analysis takes about 3 minutes on 2 cores, the rest
about 2).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from unittest import mock

import numpy as np
from sklearn.linear_model import LogisticRegression

import rashomon
from rashomon.incidents.cluster import build_incidents, candidate_pairs, cluster, text_vectors
from rashomon.incidents.features import FEATURES, event_views, feature_matrix
from rashomon.models import LinearModel
from rashomon.types import Actor, Document, Event

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# Pairs are weighted so that both classes count alike (about 1 pair in 16 is a positive):
# probabilities then spread over the grid instead of crowding under 0.2.
THRESHOLDS = [round(t, 3) for t in np.arange(0.2, 0.91, 0.025)]
# Complete linkage trailed average linkage on the telling pairs at every C, on this
# pipeline's events and on those of the pipeline before the events package.
LINKAGES = ("average",)
CS = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)


def load_scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_analysis(path: Path | None) -> tuple[list[Event], list[Document], list[Actor]]:
    if path is None:
        records = [json.loads(line) for line in
                   (SHARED / "corpus" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
                   if line.strip()]
        # The incidents stage is what this trains: it is left out, so a shipped model of an
        # older feature layout does not stand in the way.
        with mock.patch("rashomon.incidents.build_incidents", return_value=[]):
            result = rashomon.analyze(records)
        return result.events, result.documents, result.actors
    data = json.loads(path.read_text(encoding="utf-8"))
    fields = set(Event.__dataclass_fields__)
    events = [Event(**{k: v for k, v in e.items() if k in fields}) for e in data["events"]]
    docs = [Document(id=d["id"], text=d["text"], outlet=d.get("outlet"), url=d.get("url"),
                     published=d.get("published"), title=d.get("title"))
            for d in data["documents"]]
    actors = [Actor(**{k: v for k, v in a.items() if k in Actor.__dataclass_fields__})
              for a in data["actors"]]
    return events, docs, actors


def label_events(events: list[Event], docs: list[Document], actors: list[Actor],
                 scorer) -> tuple[dict[str, str], dict[str, str], list[tuple[str, str, list[str]]]]:
    """Two labellings of system events with gold incidents.

    ``exact``: the event matches a gold event as the scorer matches (evidence overlapped,
    roles and quad right), the measure the threshold is chosen on. ``told``: the event's
    span overlaps gold events of one incident only, whatever its roles: it tells that
    incident, which is what the pair scorer learns from (three times more examples).
    ``links``: per gold event of an incident, (document, incident, matching system events),
    from which the scorer counts its pairs.
    """
    gold_actors, gold_docs, _ = scorer.load_gold(str(SHARED / "gold" / "dev"), None)
    amap = scorer.ActorMap(gold_actors, [{"name": a.name, "aliases": a.aliases, "id": a.id}
                                         for a in actors])
    texts = {scorer.doc_key(d.id): d.text for d in docs}
    exact, told = {}, {}
    links: dict[tuple[str, int], tuple[str, str, list[str]]] = {}
    for e in events:
        key = scorer.doc_key(e.document)
        gold = gold_docs.get(key)
        if gold is None or e.in_comment:
            continue
        best, incidents = None, set()
        for n, ge in enumerate(gold["events"]):
            span = scorer.find_span(texts[key], ge["evidence"])
            if span is None or not ge.get("incident"):
                continue
            overlap = min(e.end, span[1]) - max(e.start, span[0])
            if overlap <= 0:
                continue
            incidents.add(ge["incident"])
            if (scorer.role_ok(e.source, ge.get("source"), ge.get("source_optional"), amap)
                    and scorer.role_ok(e.target, ge.get("target"), ge.get("target_optional"),
                                       amap)
                    and e.quad in ge["quad"]):
                links.setdefault((key, n), (key, ge["incident"], []))[2].append(e.id)
                if best is None or overlap > best[0]:
                    best = (overlap, ge["incident"])
        if best:
            exact[e.id] = best[1]
        if len(incidents) == 1:
            told[e.id] = incidents.pop()
    return exact, told, list(links.values())


def stories(labels: dict[str, str], events: list[Event]) -> dict[str, int]:
    """Document -> story: documents joined by a shared gold incident."""
    doc_of = {e.id: e.document for e in events}
    parent: dict[str, str] = {e.document: e.document for e in events}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    by_incident = defaultdict(set)
    for event_id, incident in labels.items():
        by_incident[incident].add(doc_of[event_id])
    for docs in by_incident.values():
        first, *rest = sorted(docs)
        for d in rest:
            parent[find(d)] = find(first)
    roots = sorted({find(d) for d in parent})
    return {d: roots.index(find(d)) for d in parent}


def pairwise_f1(groups: list[list[int]], events: list[Event],
                links: list[tuple[str, str, list[str]]]) -> tuple[float, float, float]:
    """The scorer's incident measure: over pairs of gold events of different documents
    that some system event matches, precision and recall of "same incident"."""
    system = {events[i].id: n for n, group in enumerate(groups) for i in group}
    both = gold_pairs = sys_pairs = 0
    for (d1, g1, s1), (d2, g2, s2) in combinations(links, 2):
        if d1 == d2:
            continue
        same_gold = g1 == g2
        same_sys = bool({system[x] for x in s1} & {system[x] for x in s2})
        gold_pairs += same_gold
        sys_pairs += same_sys
        both += same_gold and same_sys
    p = both / sys_pairs if sys_pairs else 0.0
    r = both / gold_pairs if gold_pairs else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def fit(x: np.ndarray, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)


def smoothed(values: list[float]) -> list[float]:
    """Each value averaged with its neighbours on the threshold grid; the two ends, which
    have one neighbour, are never chosen (-1)."""
    return [-1.0 if n in (0, len(values) - 1) else sum(values[n - 1:n + 2]) / 3
            for n in range(len(values))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--analysis", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "rashomon" / "models")
    args = parser.parse_args()
    if not (SHARED / "gold" / "dev").is_dir():
        sys.exit(f"{SHARED / 'gold' / 'dev'}: development gold not found")
    scorer = load_scorer()
    events, docs, actors = load_analysis(args.analysis)
    events = [e for e in events if not e.in_comment]
    labels, told, links = label_events(events, docs, actors, scorer)
    told_links = [(e.document, told[e.id], [e.id]) for e in events if e.id in told]
    story_of_doc = stories({**told, **labels}, events)
    story = [story_of_doc[e.document] for e in events]
    views = event_views(events, docs, actors)
    vectors = text_vectors(events, docs)
    pairs = candidate_pairs(views, vectors[0])
    x = feature_matrix(views, pairs, *vectors)
    lab = [events[i].id in told and events[j].id in told for i, j in pairs]
    y = np.array([lab[n] and told[events[i].id] == told[events[j].id]
                  for n, (i, j) in enumerate(pairs)], dtype=int)
    train_rows = np.array(lab)
    print(f"{len(events)} events, {len(labels)} matched, {len(told)} telling one incident, "
          f"{len(set(told.values()))} incidents, "
          f"{len(set(story))} stories; {len(pairs)} candidate pairs, "
          f"{int(train_rows.sum())} labelled ({int(y.sum())} same incident)")

    # Out-of-fold probabilities: a pair is scored by a model trained without its stories.
    pair_stories = [frozenset((story[i], story[j])) for i, j in pairs]
    settings = []  # (criterion, C, linkage, threshold, exact PRF, told PRF)
    for c in CS:
        oof = np.zeros(len(pairs))
        models: dict[frozenset[int], LogisticRegression] = {}
        for n, held in enumerate(pair_stories):
            if held not in models:
                keep = train_rows & np.array([not (s & held) for s in pair_stories])
                models[held] = fit(x[keep], y[keep], c)
            oof[n] = models[held].predict_proba(x[n:n + 1])[0, 1]
        for linkage in LINKAGES:
            rows = []
            for t in THRESHOLDS:
                groups = cluster(len(events), pairs, oof, t, linkage)
                rows.append((pairwise_f1(groups, events, links),
                             pairwise_f1(groups, events, told_links)))
            criterion = smoothed([(e[2] + t[2]) / 2 for e, t in rows])
            for t, (exact, wide), crit in zip(THRESHOLDS, rows, criterion, strict=True):
                settings.append((crit, c, linkage, t, exact, wide))
            best = max(range(len(rows)), key=criterion.__getitem__)
            print(f"  C={c} {linkage:8s} best t={THRESHOLDS[best]:.2f}: "
                  f"criterion {criterion[best]:.3f}, scorer's F1 {rows[best][0][2]:.3f}, "
                  f"telling F1 {rows[best][1][2]:.3f}")
    crit, c, linkage, threshold, (p, r, f1), (tp, tr, tf) = max(settings,
                                                                key=lambda s: s[0])
    for s in settings:
        if s[1] == c and s[2] == linkage:
            print(f"  t={s[3]:.2f} scorer's P={s[4][0]:.3f} R={s[4][1]:.3f} F1={s[4][2]:.3f}"
                  f" | telling P={s[5][0]:.3f} R={s[5][1]:.3f} F1={s[5][2]:.3f}")
    print(f"chosen: C={c}, {linkage} linkage, threshold {threshold} (smoothed criterion "
          f"{crit:.3f})\nleave-one-story-out CV, scorer's pairs: P={p:.3f} R={r:.3f} "
          f"F1={f1:.3f}; telling pairs: P={tp:.3f} R={tr:.3f} F1={tf:.3f}")

    # The shipped model averages the leave-one-story-out models: it scores on their scale.
    folds = []
    for held in sorted(set(story)):
        keep = train_rows & np.array([held not in s for s in pair_stories])
        folds.append(fit(x[keep], y[keep], c))
    final = LinearModel(classes=["0", "1"],
                        coef=np.mean([m.coef_ for m in folds], axis=0).astype(np.float32),
                        intercept=np.mean([m.intercept_ for m in folds],
                                          axis=0).astype(np.float32))
    final.meta = {
        "features": list(FEATURES), "threshold": threshold, "linkage": linkage, "C": c,
        "ensemble": f"mean of {len(folds)} leave-one-story-out models",
        "cv": {"scheme": "leave-one-story-out", "stories": len(set(story)),
               "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
               "telling": {"precision": round(tp, 4), "recall": round(tr, 4),
                           "f1": round(tf, 4)}},
        "data": {"events": len(events), "matched": len(labels), "labelled": len(told),
                 "incidents": len(set(told.values())), "pairs": int(train_rows.sum()),
                 "positive_pairs": int(y.sum())},
    }
    build_incidents(events, docs, actors, model=final)
    groups: dict[str | None, list[int]] = {}
    for n, e in enumerate(events):
        groups.setdefault(e.incident, []).append(n)
    p, r, f1 = pairwise_f1(list(groups.values()), events, links)
    tp, tr, tf = pairwise_f1(list(groups.values()), events, told_links)
    print(f"in-sample (the shipped model on all of dev.jsonl): scorer's pairs P={p:.3f} "
          f"R={r:.3f} F1={f1:.3f}; telling pairs P={tp:.3f} R={tr:.3f} F1={tf:.3f}")
    final.meta["in_sample"] = {"precision": round(p, 4), "recall": round(r, 4),
                               "f1": round(f1, 4)}
    args.out.mkdir(parents=True, exist_ok=True)
    final.save(args.out / "incident_pairs.npz")
    weights = ", ".join(f"{f}={w:+.2f}" for f, w in zip(FEATURES, final.coef[0], strict=True))
    print(f"wrote {args.out / 'incident_pairs.npz'}\nweights: {weights}")


if __name__ == "__main__":
    main()
