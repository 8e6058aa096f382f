"""Train the framing-technique classifier (``src/rashomon/models/framing.npz``).

Data: the Propaganda Techniques Corpus train part (SemEval-2020 Task 11),
``../shared/data/framing/ptc/``: 371 articles, 6,128 spans with one of 14 techniques.
Examples: every gold span (its technique) and every sentence of the articles that
overlaps no gold span (``none``). Features: ``rashomon.framing.features`` (MiniLM of the
span and of its context, log length, log repeats). Model: multinomial logistic regression.

Evaluation: a fifth of the articles (seeded shuffle, by article) is held out. The figure
reported beside the shared task's is technique classification on the held-out gold spans
(the TC task: the span is given, the technique is predicted among the 14; micro-F1 equals
accuracy there). The detection figures say how the shipped model behaves on sentences:
of the held-out sentences it reports at ``MIN_PROBABILITY``, the share that overlap a
gold span. The shipped model is then fitted on all articles.

    PYTHONPATH=src python train/framing.py [--out DIR] [--cache DIR]

About 5 minutes on 2 cores (embedding ~30,000 texts), embeddings cached in ``--cache``.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, f1_score

from rashomon import framing
from rashomon.models import LinearModel

ROOT = Path(__file__).resolve().parents[1]
PTC = ROOT.parent / "shared" / "data" / "framing" / "ptc"
HELD_OUT = 0.2
SEED = 13
C = 1.0
# The shared task's published technique-classification figures (test set, micro-F1).
PUBLISHED = {"best team (ApplicaAI)": 0.6268, "organisers' baseline": 0.2519}


def load() -> tuple[dict[str, str], dict[str, list[tuple[str, int, int]]]]:
    articles = {p.stem.removeprefix("article"): p.read_text(encoding="utf-8")
                for p in sorted((PTC / "train-articles").glob("article*.txt"))}
    spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for line in (PTC / "train-task-flc-tc.labels").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        article, technique, start, end = line.split("\t")
        spans[article].append((technique, int(start), int(end)))
    return articles, spans


def examples(ids: list[str], articles: dict[str, str],
             spans: dict[str, list[tuple[str, int, int]]]) -> list[tuple[str, str, int, str]]:
    """(span text, context, repeats, label) for gold spans and span-free sentences."""
    rows = []
    for a in ids:
        text = articles[a]
        for technique, start, end in spans[a]:
            rows.append((text[start:end], framing.context(text, start, end),
                         framing.repeats(text[start:end], text), technique))
        for m in framing.SENTENCE.finditer(text):
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            if len(m.group().split()) < 4:
                continue
            if any(s < m.end() and e > start for _, s, e in spans[a]):
                continue
            rows.append((text[start:m.end()], framing.context(text, start, m.end()),
                         framing.repeats(text[start:m.end()], text), framing.NONE))
    return rows


def matrix(rows: list[tuple[str, str, int, str]], cache: Path) -> np.ndarray:
    key = hashlib.sha1("\x00".join(f"{t}\x01{c}\x01{r}" for t, c, r, _ in rows).encode())
    path = cache / f"framing-{key.hexdigest()[:16]}.npy"
    if path.exists():
        return np.load(path)
    x = framing.features([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, x)
    return x


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "rashomon" / "models")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/rashomon-framing-cache"))
    args = parser.parse_args()
    if not PTC.is_dir():
        sys.exit(f"{PTC}: Propaganda Techniques Corpus not found")
    articles, spans = load()
    ids = sorted(articles)
    random.Random(SEED).shuffle(ids)
    n_test = int(len(ids) * HELD_OUT)
    test_ids, train_ids = sorted(ids[:n_test]), sorted(ids[n_test:])
    train_rows, test_rows = examples(train_ids, articles, spans), examples(test_ids, articles,
                                                                          spans)
    x_train, x_test = matrix(train_rows, args.cache), matrix(test_rows, args.cache)
    y_train = np.array([r[3] for r in train_rows])
    y_test = np.array([r[3] for r in test_rows])
    print(f"{len(train_ids)} train / {len(test_ids)} held-out articles; "
          f"{len(train_rows)} / {len(test_rows)} examples")

    clf = LogisticRegression(C=C, max_iter=3000).fit(x_train, y_train)
    probs = clf.predict_proba(x_test)
    classes = list(clf.classes_)
    techniques = [i for i, c in enumerate(classes) if c != framing.NONE]
    gold_spans = y_test != framing.NONE
    # TC: the span is given; the technique is the likeliest of the 14.
    tc_pred = np.array([classes[techniques[int(np.argmax(p[techniques]))]]
                        for p in probs[gold_spans]])
    tc_micro = f1_score(y_test[gold_spans], tc_pred, average="micro")
    tc_macro = f1_score(y_test[gold_spans], tc_pred, average="macro")
    majority = max(set(y_train[y_train != framing.NONE]),
                   key=lambda c: (y_train == c).sum())
    majority_f1 = float((y_test[gold_spans] == majority).mean())
    print(classification_report(y_test[gold_spans], tc_pred, zero_division=0))
    print(f"TC on held-out gold spans: micro-F1 {tc_micro:.4f}, macro-F1 {tc_macro:.4f} "
          f"(majority class {majority}: {majority_f1:.4f}); published: {PUBLISHED}")
    # Detection on sentences: a sentence is reported at MIN_PROBABILITY.
    best = probs.argmax(axis=1)
    reported = np.array([classes[b] != framing.NONE and p[b] >= framing.MIN_PROBABILITY
                         for b, p in zip(best, probs, strict=True)])
    sentence_rows = np.array([r[3] == framing.NONE for r in test_rows])
    false_alarms = int((reported & sentence_rows).sum())
    hits = int((reported & gold_spans).sum())
    precision = hits / (hits + false_alarms) if hits + false_alarms else 0.0
    print(f"detection at p >= {framing.MIN_PROBABILITY}: {hits} gold spans and "
          f"{false_alarms} technique-free sentences reported (precision {precision:.3f}, "
          f"recall over gold spans {hits / gold_spans.sum():.3f})")

    final = LogisticRegression(C=C, max_iter=3000).fit(np.vstack([x_train, x_test]),
                                                       np.concatenate([y_train, y_test]))
    meta = {
        "features": "MiniLM(span) + MiniLM(context +-120 chars) + log1p(words) + "
                    "log1p(repeats)",
        "C": C, "min_probability": framing.MIN_PROBABILITY,
        "held_out": {"articles": len(test_ids), "seed": SEED, "tc_micro_f1": round(tc_micro, 4),
                     "tc_macro_f1": round(tc_macro, 4), "majority_f1": round(majority_f1, 4),
                     "detection_precision": round(precision, 4)},
        "published": PUBLISHED,
        "data": "PTC (SemEval-2020 Task 11) train articles; no licence stated, research use",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    LinearModel.from_sklearn(final, meta).save(args.out / "framing.npz")
    print(f"wrote {args.out / 'framing.npz'}")


if __name__ == "__main__":
    main()
