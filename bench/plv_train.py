"""PLV train: the top event's PLOVER root and its source and target, sentence by sentence.

Data: ``../shared/data/events/plv_train.tsv`` (1,049 news sentences, each coded with one of
15 PLOVER roots and its source and target marked in ``marked_sentence`` as ``<s>..</s>`` and
``<t>..</t>``). Every sentence is its own document in one ``rashomon.analyze`` call.

* **Type.** Our top event (as in :mod:`plover_gsr`) must have the gold root; PLV's YIELD
  (concede or retreat) is either of our CONCEDE and RETREAT.
* **Roles.** A role is right when our top event's actor in that role is known, in that
  sentence, by a name that contains the marked span or is contained in it (word
  boundaries, normalised as :func:`common.norm` does).

Cross-validation. PLV train is also training data for the learned event components. When
``train/event_cv.py`` defines ``cross_validation_folds(records, k)``, yielding
``(held_out_records, config)`` pairs (a :class:`rashomon.pipeline.Config` whose models were
fitted without the held-out records), each fold is analysed with its own config and the
figures are out-of-fold; otherwise the packaged pipeline is scored as it is, and the
results say which (``cross_validated``).
"""

from __future__ import annotations

import csv
import importlib.util
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import (
    DATA,
    REPO_ROOT,
    Options,
    by_document,
    contains_words,
    pct,
    provenance_rows,
    ratio,
    require,
    top_event,
    write_result,
)
from plover_gsr import actor_surfaces

NAME = "plv_train"
DESCRIPTION = "PLV train: top-event PLOVER root, source and target per sentence"
PATH = DATA / "events" / "plv_train.tsv"
FOLDS = 5
#: PLV roots that Rashomon splits in two.
ROOT_TYPES = {"YIELD": frozenset({"CONCEDE", "RETREAT"})}
_MARK = {"source": re.compile(r"<s>(.*?)</s>", re.S), "target": re.compile(r"<t>(.*?)</t>", re.S)}


def load_plv(path: Path) -> list[dict[str, Any]]:
    """One record per sentence: id, text, gold root, and the marked source and target texts."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    records = []
    for row in rows:
        marked = row.get("marked_sentence") or ""
        roles = {role: (m.group(1).strip() if (m := rx.search(marked)) else "")
                 for role, rx in _MARK.items()}
        records.append({"id": f"plv-{row['sentence_id']}", "text": row["sentence"],
                        "root": row["gold_root"], **roles})
    return records


def root_ok(event: dict[str, Any] | None, root: str) -> bool:
    if event is None:
        return False
    return event.get("type") in ROOT_TYPES.get(root, frozenset({root}))


def score_plv(records: list[dict[str, Any]], analysis: dict[str, Any]) -> dict[str, Any]:
    actors = {a["id"]: a for a in analysis.get("actors", [])}
    events = by_document(analysis.get("events", []))
    mentions = by_document(analysis.get("mentions", []))
    c: Counter[str] = Counter()
    confusion: Counter[str] = Counter()
    for rec in records:
        top = top_event(events.get(rec["id"], []))
        c["sentences"] += 1
        c["detected"] += top is not None
        c["type_ok"] += root_ok(top, rec["root"])
        confusion[f"{rec['root']} -> {top['type'] if top else 'none'}"] += 1
        for role in ("source", "target"):
            if not rec[role]:
                continue
            c[f"{role}_gold"] += 1
            ours = actors.get(top.get(role)) if top else None
            surfaces = actor_surfaces(ours, mentions.get(rec["id"], []))
            c[f"{role}_ok"] += any(contains_words(rec[role], s) or contains_words(s, rec[role])
                                   for s in surfaces)
    figures = {
        "sentences": c["sentences"],
        "event_recall": ratio(c["detected"], c["sentences"]),
        "type_accuracy": ratio(c["type_ok"], c["sentences"]),
        "source_accuracy": ratio(c["source_ok"], c["source_gold"]),
        "target_accuracy": ratio(c["target_ok"], c["target_gold"]),
    }
    return {"figures": figures, "confusion": dict(confusion.most_common())}


def _folds(records: list[dict[str, Any]]) -> Any:
    script = REPO_ROOT / "train" / "event_cv.py"
    if not script.exists() or not (DATA / "events" / "cameo_ner_train.txt").exists():
        return None
    spec = importlib.util.spec_from_file_location("train_event_cv", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    make = getattr(module, "cross_validation_folds", None)
    return make(records, FOLDS) if make else None


def run(opts: Options) -> dict[str, Any]:
    from common import analyze_dicts

    started = time.time()
    records = load_plv(require(PATH, "PLV train"))
    if opts.limit:
        records = records[: opts.limit]
    folds = _folds(records)
    if folds is None:
        analysis = analyze_dicts([{"id": r["id"], "text": r["text"]} for r in records],
                                 opts.processes)
        scored = score_plv(records, analysis)
        cross_validated = False
    else:
        import rashomon

        merged: dict[str, list[Any]] = {"actors": [], "events": [], "mentions": []}
        for held_out, config in folds:
            part = rashomon.analyze([{"id": r["id"], "text": r["text"]} for r in held_out],
                                    config=config).to_dict()
            for key in merged:
                merged[key] += part.get(key, [])
        scored = score_plv(records, merged)
        cross_validated = True
    scored["figures"]["cross_validated"] = cross_validated
    return write_result(NAME, scored["figures"], opts, started,
                        details={"confusion": scored["confusion"]})


def render(result: dict[str, Any]) -> str:
    f = result["figures"]
    how = (f"{FOLDS}-fold cross-validated (models refitted without each fold)"
           if f.get("cross_validated") else "packaged pipeline, not cross-validated")
    lines = ["| Figure | Value |", "|---|---|",
             f"| Sentences | {f['sentences']} ({how}) |",
             f"| Sentences with any event | {pct(f['event_recall'])} |",
             f"| Top-event type accuracy | {pct(f['type_accuracy'])} |",
             f"| Source accuracy | {pct(f['source_accuracy'])} |",
             f"| Target accuracy | {pct(f['target_accuracy'])} |"]
    return "\n".join(lines) + "\n" + provenance_rows(result)
