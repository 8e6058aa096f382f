"""Train the directed stance model (src/rashomon/models/stance.npz) on Park et al. (2021).

    PYTHONPATH=src python train/stance.py [--newsmtsc] [--folds 3] [--out DIR]

Reads ``../shared/data/claims/park2021/{train,valid}.txt`` (sentence, e1, e2, label; the
two entities bracketed, e1 always first, so e1/e2 are the model's first/second), and with
``--newsmtsc`` also ``../shared/data/framing/newsmtsc/train.jsonl``: each of its sentences
that names two of its targets gives a pair, labelled from the second target's polarity
as a stance of the first toward it (weak labels; measured separately, see the model card).

It reports 3-fold cross-validated accuracy on Park train, fits on all of Park train,
scores Park valid (never used for fitting or choosing), and writes the model and its
figures. Embeddings are cached in ``/tmp/stance-cache`` (``--cache``), so a rerun only
refits. Measured on a shared, loaded 2-core machine: encoding 8 minutes, each fit 5 to 9
minutes, so about 40 minutes with 3-fold cross-validation (``--folds 0``: one fit).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import StratifiedKFold

from rashomon.embed import encode
from rashomon.models import LinearModel
from rashomon.stance import LABELS, SHAPE_FEATURES, PairText, pair_features

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
PARK = SHARED / "claims" / "park2021"
NEWSMTSC = SHARED / "framing" / "newsmtsc" / "train.jsonl"
_BRACKET = re.compile(r"\[([^\[\]]+)\]")
# A word must occur this often in training pairs to enter the vocabulary.
MIN_COUNT = 3
# Inverse L2 strength, chosen by cross-validation on Park train (see the model card).
C = 1.0


def load_park(path: Path) -> tuple[list[PairText], list[int]]:
    """Pairs and labels; a row whose two bracketed entities cannot be found is skipped."""
    pairs, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or not parts[3].strip().isdigit():
            continue
        pair = _unbracket(parts[0], parts[1], parts[2])
        if pair is not None:
            pairs.append(pair)
            labels.append(int(parts[3]))
    return pairs, labels


def _unbracket(sentence: str, e1: str, e2: str) -> PairText | None:
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
    return PairText("".join(out), spans["e1"], spans["e2"])


def load_newsmtsc(path: Path) -> tuple[list[PairText], list[int]]:
    """Weak pairs: first target toward the second, signed by the second's polarity.

    NewsMTSC says how the *sentence* treats each target (2 negative, 4 neutral,
    6 positive), not who holds the view; the first-named target is taken as the holder.
    """
    pairs, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = record["sentence_normalized"]
        targets = sorted(record["targets"], key=lambda t: t["from"])
        for a, b in zip(targets, targets[1:], strict=False):
            if a["to"] > b["from"] or a["mention"].lower() == b["mention"].lower():
                continue
            polarity = {2.0: 3, 4.0: 0, 6.0: 1}.get(float(b["polarity"]))
            if polarity is None:
                continue
            pairs.append(PairText(text, (a["from"], a["to"]), (b["from"], b["to"])))
            labels.append(polarity)
    return pairs, labels


def embeddings(pairs: list[PairText], cache: Path, name: str) -> np.ndarray:
    """The four view embeddings of each pair, cached by the texts' hash."""
    views = [v for p in pairs for v in p.views()]
    digest = hashlib.sha1("\x00".join(views).encode()).hexdigest()[:16]
    path = cache / f"{name}-{digest}.npy"
    if path.exists():
        return np.load(path)
    started = time.time()
    out = encode(views).reshape(len(pairs), -1)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    print(f"encoded {name}: {len(views)} texts in {time.time() - started:.0f}s", flush=True)
    return out


def vocabulary(pairs: list[PairText]) -> list[str]:
    counts = Counter(w for p in pairs for w in set(p.words()))
    return sorted(w for w, n in counts.items() if n >= MIN_COUNT)


def fit(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> LogisticRegression:
    model = LogisticRegression(C=C, max_iter=1000)
    model.fit(x, y, sample_weight=weights)
    return model


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--newsmtsc", action="store_true", help="add NewsMTSC weak pairs")
    parser.add_argument("--newsmtsc-weight", type=float, default=0.3)
    parser.add_argument("--folds", type=int, default=3, help="0: no cross-validation")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/stance-cache"))
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "rashomon" / "models")
    args = parser.parse_args(argv)
    for path in (PARK / "train.txt", PARK / "valid.txt"):
        if not path.exists():
            print(f"{path}: missing (the Park 2021 data lives in ../shared/data)", file=sys.stderr)
            return 1
    started = time.time()
    train_pairs, train_y = load_park(PARK / "train.txt")
    valid_pairs, valid_y = load_park(PARK / "valid.txt")
    extra_pairs, extra_y = (load_newsmtsc(NEWSMTSC) if args.newsmtsc and NEWSMTSC.exists()
                            else ([], []))
    vocab = vocabulary(train_pairs + extra_pairs)
    x_train = pair_features(train_pairs, vocab, embeddings(train_pairs, args.cache, "park-train"))
    x_valid = pair_features(valid_pairs, vocab, embeddings(valid_pairs, args.cache, "park-valid"))
    y_train, y_valid = np.array(train_y), np.array(valid_y)
    x_extra = (pair_features(extra_pairs, vocab, embeddings(extra_pairs, args.cache, "newsmtsc"))
               if extra_pairs else np.zeros((0, x_train.shape[1]), dtype=np.float32))
    y_extra = np.array(extra_y, dtype=int)

    cv = None
    if args.folds > 1:
        cv_pred = np.zeros_like(y_train)
        folds = StratifiedKFold(args.folds, shuffle=True, random_state=2021)
        for k, (tr, te) in enumerate(folds.split(x_train, y_train), 1):
            x = np.vstack([x_train[tr], x_extra])
            y = np.concatenate([y_train[tr], y_extra])
            w = np.concatenate([np.ones(len(tr)), np.full(len(y_extra), args.newsmtsc_weight)])
            cv_pred[te] = fit(x, y, w).predict(x_train[te])
            print(f"fold {k}: {(cv_pred[te] == y_train[te]).mean():.4f}", flush=True)
        cv = figures(y_train, cv_pred)
    x = np.vstack([x_train, x_extra])
    y = np.concatenate([y_train, y_extra])
    w = np.concatenate([np.ones(len(y_train)), np.full(len(y_extra), args.newsmtsc_weight)])
    model = fit(x, y, w)
    valid = figures(y_valid, model.predict(x_valid))
    meta = {
        "labels": LABELS,
        "vocabulary": vocab,
        "features": ["embedding views x4 (384 each): span, between, before, after",
                     f"word indicators ({len(vocab)})", *SHAPE_FEATURES],
        "training": {"park2021_train": len(train_y), "newsmtsc_pairs": len(extra_y),
                     "newsmtsc_weight": args.newsmtsc_weight if y_extra.size else 0.0,
                     "C": C, "min_count": MIN_COUNT},
        "cross_validation": cv,
        "park2021_valid": valid,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    LinearModel.from_sklearn(model, meta).save(args.out / "stance.npz")
    print(json.dumps({"cv": cv and {k: v for k, v in cv.items() if k != "confusion"},
                      "valid": valid, "seconds": round(time.time() - started)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
