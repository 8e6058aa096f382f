"""CAMEO PentaClass: our quad class per sentence against a 5-way gold label.

Data: ``../shared/data/events/cameo_class_train.tsv`` (``sentence<TAB>label``; 1,349 news
sentences from ConfliBERT). The labels are CAMEO PentaClass: 0 neutral statement/appeal
(CAMEO roots 01-02), 1 verbal cooperation (03-05), 2 material cooperation (06-08),
3 verbal conflict (09-13), 4 material conflict (14-20).

Mapping of our output to that scheme (stated in BENCHMARKS.md): the sentence's top event
(highest salience, then confidence, then earliest; negated/denied skipped when others
exist) gives
0 when its CAMEO root is 01 or 02 (a statement or an appeal), else its quad class
(verbal_cooperation 1, material_cooperation 2, verbal_conflict 3, material_conflict 4);
a sentence with no event is 0 ("no event / neutral").
"""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import (
    DATA,
    Options,
    analyze_dicts,
    by_document,
    pct,
    provenance_rows,
    ratio,
    require,
    top_event,
    write_result,
)

NAME = "cameo_quad"
DESCRIPTION = "CAMEO PentaClass (ConfliBERT): 5-way quad accuracy and confusion"
PATH = DATA / "events" / "cameo_class_train.tsv"
LABELS = ["0 statement/none", "1 verbal coop", "2 material coop", "3 verbal conflict",
          "4 material conflict"]
QUAD_TO_PENTA = {"verbal_cooperation": 1, "material_cooperation": 2, "verbal_conflict": 3,
                 "material_conflict": 4}
QUICK_SENTENCES = 300
SEED = 7


def load_cameo(path: Path) -> list[dict[str, Any]]:
    """Read ``sentence<TAB>label`` rows as records with ids ``cameo-00001``..."""
    rows = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        text, _, label = line.rpartition("\t")
        if not label.strip().isdigit():
            continue
        rows.append({"id": f"cameo-{i:05d}", "text": text.strip(), "label": int(label)})
    return rows


def penta(event: dict[str, Any] | None) -> int:
    """Our 5-way class for a sentence whose top event is ``event``."""
    if event is None:
        return 0
    cameo = str(event.get("cameo") or "")
    if cameo[:2] in ("01", "02"):
        return 0
    return QUAD_TO_PENTA.get(event.get("quad") or "", 0)


def macro_f1(confusion: list[list[int]]) -> float:
    """Macro-averaged F1 over classes from a gold x predicted confusion matrix."""
    f1s = []
    k = len(confusion)
    for c in range(k):
        tp = confusion[c][c]
        gold = sum(confusion[c])
        pred = sum(confusion[r][c] for r in range(k))
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(f1s) / k if k else 0.0


def score_cameo(rows: list[dict[str, Any]], analysis: dict[str, Any]) -> dict[str, Any]:
    """Accuracy, macro-F1 and the confusion matrix (rows gold, columns ours)."""
    events = by_document(analysis.get("events", []))
    confusion = [[0] * 5 for _ in range(5)]
    with_event = Counter()
    for row in rows:
        top = top_event(events.get(row["id"], []))
        pred = penta(top)
        confusion[row["label"]][pred] += 1
        if top is not None:
            with_event["n"] += 1
            with_event["ok"] += pred == row["label"]
    n = len(rows)
    correct = sum(confusion[i][i] for i in range(5))
    # Four-way quad on sentences gold codes as 1-4, ignoring whether we found an event.
    quad_gold = sum(sum(confusion[i]) for i in range(1, 5))
    quad_ok = sum(confusion[i][i] for i in range(1, 5))
    # Conflict vs cooperation polarity (1-2 vs 3-4) where both sides have an event class.
    pol = [(g, p) for g in range(1, 5) for p in range(1, 5) for _ in range(confusion[g][p])]
    figures = {
        "sentences": n,
        "accuracy": ratio(correct, n),
        "macro_f1": macro_f1(confusion),
        "majority_baseline": ratio(max(sum(r) for r in confusion), n),
        "event_rate": ratio(with_event["n"], n),
        "accuracy_with_event": ratio(with_event["ok"], with_event["n"]),
        "quad_recall_events": ratio(quad_ok, quad_gold),
        "polarity_accuracy": ratio(sum((g >= 3) == (p >= 3) for g, p in pol), len(pol)),
    }
    return {"figures": figures, "confusion": confusion}


def run(opts: Options) -> dict[str, Any]:
    started = time.time()
    rows = load_cameo(require(PATH, "CAMEO PentaClass TSV"))
    if opts.quick:
        rows = sorted(random.Random(SEED).sample(rows, min(QUICK_SENTENCES, len(rows))),
                      key=lambda r: r["id"])
    if opts.limit:
        rows = rows[: opts.limit]
    analysis = analyze_dicts([{"id": r["id"], "text": r["text"]} for r in rows], opts.processes)
    scored = score_cameo(rows, analysis)
    return write_result(NAME, scored["figures"], opts, started,
                        details={"confusion": scored["confusion"], "labels": LABELS})


def render(result: dict[str, Any]) -> str:
    f = result["figures"]
    lines = ["| Figure | Value |", "|---|---|",
             f"| 5-way accuracy | {pct(f['accuracy'])} |",
             f"| Macro-F1 | {pct(f['macro_f1'])} |",
             f"| Majority-class baseline | {pct(f['majority_baseline'])} |",
             f"| Sentences where we find an event | {pct(f['event_rate'])} |",
             f"| Accuracy on those sentences | {pct(f['accuracy_with_event'])} |",
             f"| Gold classes 1-4 predicted exactly | {pct(f['quad_recall_events'])} |",
             f"| Cooperation/conflict polarity (both sides 1-4) | {pct(f['polarity_accuracy'])} |",
             f"| Sentences | {f['sentences']} |",
             "", "Confusion (rows gold, columns ours):", "",
             "| gold \\ ours | " + " | ".join(LABELS) + " |",
             "|---" * 6 + "|"]
    for label, row in zip(LABELS, result["details"]["confusion"], strict=True):
        lines.append(f"| {label} | " + " | ".join(str(x) for x in row) + " |")
    return "\n".join(lines) + "\n" + provenance_rows(result)
