"""Where PLV's marked targets go: the ``plv_train`` bench row's folds (event models refitted
without each fold by ``train/event_cv.py``), each marked target the top event misses put in
one bucket (see ``src/rashomon/models/event_roles.md``, round roles10).

    PYTHONPATH=src python train/plv_target_misses.py --dump /tmp/plv_cv.json   # about 15-25 min
    PYTHONPATH=src python train/plv_target_misses.py --load /tmp/plv_cv.json --show c_target_empty

Buckets, in this order: no event in the sentence; (a) another event of the sentence has the
marked target; (b) no actor of the sentence is known by the marked text; (c) an actor is,
and the top event has it as its source, has no target, or has another target. Each is
split by whether the top event's type is right.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import plv_train  # noqa: E402
from common import DATA, by_document, contains_words, top_event  # noqa: E402
from plover_gsr import actor_surfaces  # noqa: E402


def analyse_out_of_fold() -> dict[str, Any]:
    """The bench row's records and its merged out-of-fold analysis."""
    import rashomon

    records = plv_train.load_plv(DATA / "events" / "plv_train.tsv")
    merged: dict[str, list[Any]] = {"actors": [], "events": [], "mentions": []}
    for held_out, config in plv_train._folds(records):
        part = rashomon.analyze([{"id": r["id"], "text": r["text"]} for r in held_out],
                                config=config).to_dict()
        for key in merged:
            merged[key] += part.get(key, [])
    return {"records": records, "analysis": merged}


def buckets(data: dict[str, Any]) -> tuple[Counter[str], dict[str, list[str]]]:
    """Each marked target's bucket, and one line per miss by bucket."""
    analysis = data["analysis"]
    actors = {a["id"]: a for a in analysis["actors"]}
    events, mentions = by_document(analysis["events"]), by_document(analysis["mentions"])

    def known_by(actor_id: str | None, doc_id: str, text: str) -> bool:
        surfaces = actor_surfaces(actors.get(actor_id), mentions.get(doc_id, []))
        return any(contains_words(text, s) or contains_words(s, text) for s in surfaces)

    counts: Counter[str] = Counter()
    lines: dict[str, list[str]] = defaultdict(list)
    for rec in data["records"]:
        gold, doc_id = rec["target"], rec["id"]
        if not gold:
            continue
        evs = events.get(doc_id, [])
        top = top_event(evs)
        if top is not None and known_by(top.get("target"), doc_id, gold):
            counts["right"] += 1
            continue
        if top is None:
            key = "no_event"
        else:
            named = {m["actor"] for m in mentions.get(doc_id, []) if m.get("actor")}
            if any(known_by(e.get("target"), doc_id, gold) for e in evs):
                key = "a_other_event"
            elif not any(known_by(a, doc_id, gold) for a in named):
                key = "b_no_actor"
            elif known_by(top.get("source"), doc_id, gold):
                key = "c_our_source"
            elif top.get("target") is None:
                key = "c_target_empty"
            else:
                key = "c_other_target"
            key += "" if plv_train.root_ok(top, rec["root"]) else " (type wrong)"
        counts[key] += 1
        name = (lambda a: (actors.get(a) or {}).get("name")) if top else (lambda a: None)
        lines[key].append(
            f"{doc_id} {rec['root']}->{top['type'] if top else None} target <{gold}> "
            f"ours {name(top.get('source')) if top else None} -> "
            f"{name(top.get('target')) if top else None} [{top['trigger'] if top else ''}] "
            f"| {rec['text'][:160]}")
    return counts, lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dump", type=Path, help="analyse out of fold and keep the analysis here")
    ap.add_argument("--load", type=Path, help="a kept analysis to read instead")
    ap.add_argument("--show", nargs="*", default=[], help="buckets to list sentence by sentence")
    args = ap.parse_args()
    if args.load:
        data = json.loads(args.load.read_text())
    else:
        data = analyse_out_of_fold()
        if args.dump:
            args.dump.write_text(json.dumps(data))
    counts, lines = buckets(data)
    total = sum(counts.values())
    print(f"target accuracy {counts['right'] / total:.3f} ({counts['right']} of {total})")
    for key, n in sorted(counts.items()):
        print(f"{n:5d}  {key}")
    for key in args.show:
        print(f"== {key}")
        for line in lines.get(key, []):
            print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
