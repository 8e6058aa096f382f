"""Train the attribution cue scorer (src/rashomon/models/attribution_cue.npz) on PolNeAR train.

    PYTHONPATH=src nice python train/attribution.py [--cache /tmp/claims-cache]

Reads ``../shared/data/claims/polnear/train`` (brat standoff, one annotator per article),
parses each article with the pipeline's spaCy model (cached as a DocBin under ``--cache``
so reruns skip the parse), takes every candidate cue the parse proposes
(``rashomon.claims.model.is_candidate``) labelled "cue" when it lies in a gold cue span,
cross-validates a logistic regression by article (5 folds) to choose C and the decision
threshold, fits on all articles and writes the model with its feature index and figures.
About 10 minutes of parsing on 2 cores, then a minute of fitting.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from polnear import Article, load_polnear  # noqa: E402

from rashomon.claims.cues import load_cues  # noqa: E402
from rashomon.claims.model import MODEL_FILE, features, is_candidate  # noqa: E402
from rashomon.models import LinearModel  # noqa: E402
from rashomon.parse import DEFAULT_MODEL, load_nlp  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "claims" / "polnear"
MIN_COUNT = 2  # a feature seen once in training says nothing
FOLDS = 5
SEED = 7


def parsed(articles: list[Article], cache: Path, split: str) -> list[Doc]:
    """The articles parsed once; the DocBin under ``cache`` is reused when it matches."""
    path, names = cache / f"{split}.spacy", cache / f"{split}.names"
    nlp = load_nlp(DEFAULT_MODEL)
    if path.exists() and names.exists() \
            and names.read_text().split("\n") == [a.name for a in articles]:
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe((a.text for a in articles), batch_size=8))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    names.write_text("\n".join(a.name for a in articles))
    return docs


def examples(articles: list[Article], docs: list[Doc]) -> tuple[list[list[str]], list[int],
                                                                   list[int]]:
    """Feature lists, labels (1 = in a gold cue) and article numbers of all candidates."""
    cues = load_cues()
    feats, labels, groups = [], [], []
    for k, (art, doc) in enumerate(zip(articles, docs, strict=True)):
        spans = [s for g in art.attributions for s in g.cue]
        for tok in doc:
            if not is_candidate(tok, cues):
                continue
            end = tok.idx + len(tok.text)
            feats.append(features(tok, cues))
            labels.append(int(any(a < end and tok.idx < b for a, b in spans)))
            groups.append(k)
    return feats, labels, groups


def matrix(feats: list[list[str]], index: dict[str, int]) -> csr_matrix:
    rows, cols = [], []
    for r, fs in enumerate(feats):
        for f in set(fs):
            if f in index:
                rows.append(r)
                cols.append(index[f])
    return csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                      shape=(len(feats), len(index)))


def vocabulary(feats: list[list[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for fs in feats:
        for f in set(fs):
            counts[f] = counts.get(f, 0) + 1
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}


def out_of_fold(feats: list[list[str]], y: np.ndarray, fold_of: np.ndarray,
                c: float) -> np.ndarray:
    """Each row's positive probability from a model fitted without its fold (``fold_of``:
    the fold of each row's article), the vocabulary built on the training folds only."""
    p = np.zeros(len(y))
    for f in range(FOLDS):
        train = fold_of != f
        index = vocabulary([feats[i] for i in np.flatnonzero(train)])
        clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
        clf.fit(matrix([feats[i] for i in np.flatnonzero(train)], index), y[train])
        test = np.flatnonzero(~train)
        p[test] = clf.predict_proba(matrix([feats[i] for i in test], index))[:, 1]
    return p


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, dict[str, float]]:
    best = (0.5, {"f1": -1.0})
    for t in np.arange(0.2, 0.8, 0.025):
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        prec = tp / max(pred.sum(), 1)
        rec = tp / max((y == 1).sum(), 1)
        f1 = 2 * prec * rec / max(prec + rec, 1e-9)
        if f1 > best[1]["f1"]:
            best = (round(float(t), 3), {"precision": round(prec, 4), "recall": round(rec, 4),
                                          "f1": round(f1, 4)})
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/claims-cache"))
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "rashomon" / "models" / MODEL_FILE)
    args = ap.parse_args()
    if not (DATA / "train").is_dir():
        sys.exit(f"{DATA / 'train'}: PolNeAR train split not found")
    articles = load_polnear(DATA / "train")
    docs = parsed(articles, args.cache, "train")
    feats, labels, groups = examples(articles, docs)
    y, g = np.array(labels), np.array(groups)
    print(f"{len(articles)} articles, {len(y)} candidates, {y.sum()} in gold cues")

    folds = np.random.default_rng(SEED).permutation(len(articles)) % FOLDS
    cv: dict[str, dict[str, float]] = {}
    probs: dict[float, np.ndarray] = {}
    for c in (0.1, 0.3, 1.0):
        p = out_of_fold(feats, y, folds[g], c)
        probs[c] = p
        t, fig = best_threshold(y, p)
        cv[str(c)] = {"threshold": t, **fig}
        print(f"C={c}: threshold {t} {fig}")
    c_best = max(cv, key=lambda k: cv[k]["f1"])
    index = vocabulary(feats)
    clf = LogisticRegression(C=float(c_best), max_iter=2000, solver="liblinear")
    clf.fit(matrix(feats, index), y)
    clf.classes_ = np.array(["other", "cue"])
    meta = {
        "task": "attribution cue (token level) among parse-proposed candidates",
        "data": "PolNeAR v1.0.0 train split, first annotator per article",
        "articles": len(articles), "candidates": int(len(y)), "positives": int(y.sum()),
        "C": float(c_best), "threshold": cv[c_best]["threshold"], "cv_folds": FOLDS,
        "cross_validation": cv, "spacy_model": DEFAULT_MODEL, "features": index,
    }
    LinearModel.from_sklearn(clf, meta).save(args.out)
    print(json.dumps({k: v for k, v in meta.items() if k != "features"}, indent=1))
    print(f"wrote {args.out} ({len(index)} features)")


if __name__ == "__main__":
    main()
