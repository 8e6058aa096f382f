"""Train the attribution role scorers on PolNeAR train: a learned cue's content slot
(src/rashomon/models/attribution_content.npz) and its source (attribution_source.npz).

    PYTHONPATH=src nice python train/attribution_roles.py [--cache /tmp/claims-cache]

Reads ``../shared/data/claims/polnear/train`` and its parse (the DocBin cache that
``train/attribution.py`` writes; parsed here if absent, about 10 minutes on 2 cores).

* Content: every candidate cue the parse proposes (``model.is_candidate``) with each of its
  candidate content slots (``roles.content_slots``); a pair is positive when the token lies
  in a gold cue span and the slot overlaps that attribution's content. The scorer thus
  learns the cue and its complement together ("asked lawmakers" is an act, "asked whether"
  a question; "offered no proof that" a claim).
* Source: the candidate sources (``roles.source_slots``) of each token inside a gold cue;
  positive when the candidate overlaps the gold source. At run time the best one wins.

Both: logistic regression, 5-fold cross-validation by article for C and the threshold,
then a fit on all articles. A minute or two of fitting once the parse is cached.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from attribution import DATA, FOLDS, SEED, best_threshold, matrix, out_of_fold, parsed, vocabulary
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc

from rashomon.claims.cues import load_cues
from rashomon.claims.model import features, is_candidate
from rashomon.claims.roles import (
    CONTENT_FILE,
    SOURCE_FILE,
    content_slots,
    slot_features,
    source_features,
    source_slots,
)
from rashomon.models import LinearModel
from rashomon.parse import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from polnear import Article, load_polnear  # noqa: E402

Rows = tuple[list[list[str]], list[int], list[int], list[int]]


def _hit(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in spans)


def examples(articles: list[Article], docs: list[Doc]) -> tuple[Rows, Rows]:
    """Content rows and source rows: features, labels, article numbers, cue numbers."""
    cues = load_cues()
    content: Rows = ([], [], [], [])
    source: Rows = ([], [], [], [])
    cue_no = 0
    for k, (art, doc) in enumerate(zip(articles, docs, strict=True)):
        for tok in doc:
            if not is_candidate(tok, cues):
                continue
            cue_no += 1
            end = tok.idx + len(tok.text)
            golds = [g for g in art.attributions if _hit(tok.idx, end, g.cue)]
            cue_feats = features(tok, cues)
            for slot in content_slots(tok):
                content[0].append(slot_features(tok, slot, cues, cue_feats))
                content[1].append(int(any(_hit(slot.start, slot.end, g.content)
                                          for g in golds)))
                content[2].append(k)
                content[3].append(cue_no)
            if not golds or not any(g.source for g in golds):
                continue
            for slot in source_slots(tok):
                source[0].append(source_features(tok, slot, cue_feats))
                source[1].append(int(any(_hit(slot.start, slot.end, g.source) for g in golds)))
                source[2].append(k)
                source[3].append(cue_no)
    return content, source


def argmax_accuracy(y: np.ndarray, p: np.ndarray, cue: np.ndarray) -> float:
    """Share of cues with a right candidate whose best-scored candidate is right."""
    right = total = 0
    order = np.argsort(cue, kind="stable")
    bounds = np.flatnonzero(np.diff(cue[order])) + 1
    for group in np.split(order, bounds):
        if y[group].any():
            total += 1
            right += int(y[group][p[group].argmax()] == 1)
    return right / max(total, 1)


def first_candidate_accuracy(y: np.ndarray, cue: np.ndarray) -> float:
    """The same share for the first candidate (the subject when there is one: the rule)."""
    right = total = 0
    seen: set[int] = set()
    has = {c for c, label in zip(cue, y, strict=True) if label}
    for c, label in zip(cue, y, strict=True):
        if c in seen or c not in has:
            continue
        seen.add(c)
        total += 1
        right += int(label)
    return right / max(total, 1)


def fit(name: str, rows: Rows, n_articles: int) -> tuple[LogisticRegression, dict, dict]:
    feats, labels, groups, cue = rows
    y, g, cue_ids = np.array(labels), np.array(groups), np.array(cue)
    folds = np.random.default_rng(SEED).permutation(n_articles) % FOLDS
    cv: dict[str, dict[str, float]] = {}
    for c in (0.1, 0.3, 1.0):
        p = out_of_fold(feats, y, folds[g], c)
        t, fig = best_threshold(y, p)
        cv[str(c)] = {"threshold": t, **fig,
                      "best_candidate_accuracy": round(argmax_accuracy(y, p, cue_ids), 4)}
        print(f"{name} C={c}: {cv[str(c)]}", flush=True)
    c_best = max(cv, key=lambda k: cv[k]["f1"])
    index = vocabulary(feats)
    clf = LogisticRegression(C=float(c_best), max_iter=2000, solver="liblinear")
    clf.fit(matrix(feats, index), y)
    baseline = {"first_candidate_accuracy": round(first_candidate_accuracy(y, cue_ids), 4)}
    return clf, {"C": float(c_best), "threshold": cv[c_best]["threshold"], "cv": cv,
                 "rows": int(len(y)), "positives": int(y.sum()), **baseline}, index


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/claims-cache"))
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "rashomon" / "models")
    args = ap.parse_args()
    if not (DATA / "train").is_dir():
        sys.exit(f"{DATA / 'train'}: PolNeAR train split not found")
    articles = load_polnear(DATA / "train")
    docs = parsed(articles, args.cache, "train")
    content, source = examples(articles, docs)
    for name, rows, file, positive in (("content", content, CONTENT_FILE, "content"),
                                       ("source", source, SOURCE_FILE, "source")):
        clf, figures, index = fit(name, rows, len(articles))
        clf.classes_ = np.array(["other", positive])
        meta = {"task": f"attribution {name} slot among parse-proposed candidates",
                "data": "PolNeAR v1.0.0 train split, first annotator per article",
                "articles": len(articles), "cv_folds": FOLDS, **figures,
                "spacy_model": DEFAULT_MODEL, "features": index}
        LinearModel.from_sklearn(clf, meta).save(args.out / file)
        print(json.dumps({k: v for k, v in meta.items() if k != "features"}, indent=1))
        print(f"wrote {args.out / file} ({len(index)} features)", flush=True)


if __name__ == "__main__":
    main()
