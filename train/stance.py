"""Train the directed stance model (src/rashomon/models/stance.npz) on Park et al. (2021).

    PYTHONPATH=src python train/stance.py [--folds 3] [--c 0.3 0.5] [--reverse-weight 2] [--out DIR]

Reads ``../shared/data/claims/park2021/{train,valid}.txt`` (sentence, e1, e2, label; the
two entities bracketed, e1 always first, so e1/e2 are the model's first/second), parses
each sentence with the pipeline's spaCy model and reads the features of
``rashomon.stance.Pair`` (tree, words, the parser's token vectors, static word vectors,
shape: no sentence encoder).

For each ``--c`` (inverse L2 strength) it reports k-fold cross-validated directed
accuracy on Park train and keeps the best; it fits that on all of Park train, scores
Park valid (never used for fitting or choosing) and writes the model with its figures in
``meta``. Parses are cached in ``/tmp/stance-cache`` (``--cache``). Measured on the
shared 2-core machine under a load average of 8-12: parsing the 14,567 sentences about
11 minutes, then 319 s for one C value's cross-validation and the final fit (747 s for
two).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import StratifiedKFold
from spacy.tokens import Doc

from rashomon.models import LinearModel
from rashomon.parse import DEFAULT_MODEL, load_nlp
from rashomon.stance import (
    LABELS,
    MIN_PROBABILITY,
    SHAPE_FEATURES,
    STATIC_BLOCKS,
    VECTOR_BLOCKS,
    Pair,
    static_features,
    vector_width,
)

ROOT = Path(__file__).resolve().parents[1]
PARK = ROOT.parent / "shared" / "data" / "claims" / "park2021"
_BRACKET = re.compile(r"\[([^\[\]]+)\]")
# A feature string must occur in this many training pairs to enter the vocabulary.
MIN_COUNT = 3
SEED = 2021
# Keep-thresholds of the stance stage scored on the cross-validated probabilities: the
# stage's MIN_PROBABILITY is the best of these.
STAGE_THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6)


def load_park(path: Path) -> tuple[list[tuple[str, tuple[int, int], tuple[int, int]]],
                                   list[int]]:
    """(text, e1 span, e2 span) and labels; a row whose two bracketed entities cannot be
    found in order is skipped."""
    rows, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or not parts[3].strip().isdigit():
            continue
        row = _unbracket(parts[0], parts[1], parts[2])
        if row is not None:
            rows.append(row)
            labels.append(int(parts[3]))
    return rows, labels


def _unbracket(sentence: str, e1: str, e2: str
               ) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
    out, spans, last, pos = [], {}, 0, 0
    for m in _BRACKET.finditer(sentence):
        role = "e1" if m.group(1) == e1 and "e1" not in spans else (
            "e2" if m.group(1) == e2 and "e2" not in spans else None)
        if role is None:
            continue
        out.append(sentence[last:m.start()])
        pos += m.start() - last
        spans[role] = (pos, pos + len(m.group(1)))
        out.append(m.group(1))
        pos += len(m.group(1))
        last = m.end()
    out.append(sentence[last:])
    if len(spans) != 2 or spans["e1"][0] > spans["e2"][0]:
        return None
    return "".join(out), spans["e1"], spans["e2"]


def parsed(texts: list[str], cache: Path, name: str) -> list[Doc]:
    """The texts parsed by the pipeline's model, cached by their hash."""
    nlp = load_nlp()
    digest = hashlib.sha1("\x00".join([DEFAULT_MODEL, *texts]).encode()).hexdigest()[:16]
    path = cache / f"{name}-docs-{digest}.pkl"
    if path.exists():
        return [Doc(nlp.vocab).from_bytes(b) for b in pickle.loads(path.read_bytes())]
    started = time.time()
    docs = list(nlp.pipe(texts, batch_size=64))
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps([d.to_bytes(exclude=["user_data"]) for d in docs]))
    print(f"parsed {name}: {len(texts)} sentences in {time.time() - started:.0f}s", flush=True)
    return docs


def pairs_of(rows: list[tuple[str, tuple[int, int], tuple[int, int]]], labels: list[int],
             docs: list[Doc]) -> tuple[list[Pair], np.ndarray]:
    pairs, y = [], []
    for (_, first, second), label, doc in zip(rows, labels, docs, strict=True):
        pair = Pair.from_chars(doc, first, second)
        if pair is not None:
            pairs.append(pair)
            y.append(label)
    return pairs, np.array(y)


def vocabulary(strings: list[list[str]]) -> list[str]:
    counts = Counter(s for row in strings for s in set(row))
    return sorted(s for s, n in counts.items() if n >= MIN_COUNT)


def matrix(pairs: list[Pair], strings: list[list[str]], vocab: list[str]) -> sp.csr_matrix:
    """The same layout as ``rashomon.stance.pair_features``, sparse."""
    index = {s: i for i, s in enumerate(vocab)}
    vectors = np.hstack([np.vstack([p.vectors() for p in pairs]), static_features(pairs)])
    rows, cols = [], []
    for r, row in enumerate(strings):
        for c in {index[s] for s in row if s in index}:
            rows.append(r)
            cols.append(c)
    bag = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                        shape=(len(pairs), len(vocab)))
    shape = np.array([p.shape() for p in pairs], dtype=np.float32)
    return sp.hstack([sp.csr_matrix(vectors), bag, sp.csr_matrix(shape)]).tocsr()


def fit(x: sp.csr_matrix, y: np.ndarray, c: float, reverse_weight: float = 1.0
        ) -> LogisticRegression:
    """``reverse_weight``: the weight of the second->first classes, 5% of Park train."""
    weights = {0: 1.0, 1: 1.0, 2: reverse_weight, 3: 1.0, 4: reverse_weight}
    return LogisticRegression(C=c, max_iter=2000, class_weight=weights).fit(x, y)


def figures(y: np.ndarray, pred: np.ndarray) -> dict[str, object]:
    """Directed 5-way accuracy, polarity (3-way) accuracy, and the confusion matrix."""
    polarity = np.array([0, 1, 1, -1, -1])
    return {
        "directed_accuracy": round(float((y == pred).mean()), 4),
        "polarity_accuracy": round(float((polarity[y] == polarity[pred]).mean()), 4),
        "all_neutral": round(float((y == 0).mean()), 4),
        "confusion": confusion_matrix(y, pred, labels=list(range(5))).tolist(),
        "n": int(len(y)),
    }


def cross_validate(pairs: list[Pair], strings: list[list[str]], y: np.ndarray, c: float,
                   folds: int, reverse_weight: float) -> dict[str, object]:
    """k-fold CV on Park train; the vocabulary is rebuilt from each fold's training part."""
    proba = np.zeros((len(y), len(LABELS)))
    per_fold = []
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(y, y):
        vocab = vocabulary([strings[i] for i in tr])
        model = fit(matrix([pairs[i] for i in tr], [strings[i] for i in tr], vocab), y[tr], c,
                    reverse_weight)
        proba[te] = model.predict_proba(matrix([pairs[i] for i in te],
                                               [strings[i] for i in te], vocab))
        per_fold.append(round(float((proba[te].argmax(axis=1) == y[te]).mean()), 4))
    stage = {str(t): round(float((stage_labels(proba, t) == y).mean()), 4)
             for t in STAGE_THRESHOLDS}
    return {**figures(y, proba.argmax(axis=1)), "per_fold": per_fold, "C": c,
            "stage_accuracy_by_threshold": stage}


def stage_labels(proba: np.ndarray, threshold: float) -> np.ndarray:
    """The stance stage's verdict: the best label when non-neutral and holding at least
    ``threshold`` of the probability, else neutral (``rashomon.stance.MIN_PROBABILITY``)."""
    labels = proba.argmax(axis=1)
    labels[proba[np.arange(len(proba)), labels] < threshold] = 0
    return labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3, help="0: no cross-validation")
    parser.add_argument("--c", type=float, nargs="+", default=[1.0, 0.3],
                        help="inverse L2 strengths to cross-validate (the first without CV)")
    parser.add_argument("--reverse-weight", type=float, default=2.0,
                        help="class weight of the second->first labels (rare in Park)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/stance-cache"))
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "rashomon" / "models")
    args = parser.parse_args(argv)
    for path in (PARK / "train.txt", PARK / "valid.txt"):
        if not path.exists():
            print(f"{path}: missing (the Park 2021 data lives in ../shared/data)", file=sys.stderr)
            return 1
    started = time.time()
    split = {}
    for name in ("train", "valid"):
        rows, labels = load_park(PARK / f"{name}.txt")
        docs = parsed([r[0] for r in rows], args.cache, f"park-{name}")
        pairs, y = pairs_of(rows, labels, docs)
        split[name] = (pairs, [p.strings() for p in pairs], y)
    pairs, strings, y = split["train"]
    print(f"pairs: train {len(y)}, valid {len(split['valid'][2])}", flush=True)

    cv_runs = []
    if args.folds > 1:
        for c in args.c:
            run = cross_validate(pairs, strings, y, c, args.folds, args.reverse_weight)
            print(f"C={c}: CV directed accuracy {run['directed_accuracy']} "
                  f"(folds {run['per_fold']}); the stage's verdict by keep-threshold "
                  f"{run['stage_accuracy_by_threshold']}", flush=True)
            cv_runs.append(run)
    best = max(cv_runs, key=lambda r: r["directed_accuracy"]) if cv_runs else None
    c = float(best["C"]) if best else args.c[0]
    by_threshold = best["stage_accuracy_by_threshold"] if best else {}
    threshold = float(max(by_threshold, key=by_threshold.get)) if by_threshold \
        else MIN_PROBABILITY
    vocab = vocabulary(strings)
    model = fit(matrix(pairs, strings, vocab), y, c, args.reverse_weight)
    v_pairs, v_strings, v_y = split["valid"]
    v_proba = model.predict_proba(matrix(v_pairs, v_strings, vocab))
    valid = figures(v_y, v_proba.argmax(axis=1))
    valid["stage_directed_accuracy"] = round(float(
        (stage_labels(v_proba, threshold) == v_y).mean()), 4)
    width = vector_width(pairs)
    meta = {
        "labels": LABELS,
        "vocabulary": vocab,
        "features": [f"token vectors x{len(VECTOR_BLOCKS)} ({width} each): "
                     + ", ".join(VECTOR_BLOCKS),
                     "static word vectors x" + f"{len(STATIC_BLOCKS)}: " + ", ".join(STATIC_BLOCKS),
                     f"tree and word indicators ({len(vocab)})", *SHAPE_FEATURES],
        "parser": DEFAULT_MODEL,
        "training": {"park2021_train": int(len(y)), "C": c, "min_count": MIN_COUNT,
                     "reverse_weight": args.reverse_weight},
        "min_probability": threshold,
        "cross_validation": [{k: v for k, v in r.items() if k != "confusion"} for r in cv_runs],
        "park2021_valid": valid,
        "seconds": round(time.time() - started),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    LinearModel.from_sklearn(model, meta).save(args.out / "stance.npz")
    print(json.dumps({"cv": meta["cross_validation"], "chosen_C": c,
                      "min_probability": threshold, "valid": valid,
                      "seconds": meta["seconds"]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
