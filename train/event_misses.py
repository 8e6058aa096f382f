"""Where the development articles' gold events are lost: by pipeline step, not by figure.

Usage (from the repository root; about a minute with the probes cached, see
``train/event_type.py``)::

    PYTHONPATH=src python train/event_misses.py            # counts per cause
    PYTHONPATH=src python train/event_misses.py --verbose  # and each gold event
    PYTHONPATH=src python train/event_misses.py --split-roles  # wrong roles by role

Every gold event of the 26 development articles (``../shared/corpus/dev.jsonl`` with
``../shared/gold/dev`` and ``corpus.jsonl`` with ``../shared/gold``, never committed) is
put in the first of these classes that holds, by the scorer's own rules (``eval/score.py``:
span overlap, acceptable source and target, acceptable quad), on the rules' candidates
typed by the shipped type model and judged by the shipped gate:

* ``hit``: a candidate with acceptable roles and quad that the gate keeps;
* ``gated out``: such a candidate exists, the gate drops it;
* ``wrong quad``: candidates with acceptable roles, none with an acceptable quad;
* ``wrong roles``: candidates over the evidence, none with acceptable roles. Split by
  whether a candidate's trigger lies in the evidence (else the evidence only overlaps
  another event's span: its own trigger found nothing) and by whether the sentence names
  an acceptable actor for every role the gold requires (else the actors stage, not the
  role choice, is the limit); with ``--split-roles``, split instead by whether the best
  candidate's source and target are each right, empty or wrong;
* ``no candidate``: no candidate's span overlaps the evidence.

The gate's figures here are in-sample (it was trained on these articles); the counts say
where to work, ``train/event_type.py``'s cross-validation says whether a change helps.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import event_type as et  # noqa: E402

from rashomon.events.lexicon import load_event_lexicon  # noqa: E402
from rashomon.events.typing_model import (  # noqa: E402
    OPEN,
    Candidate,
    dense_rows,
    featurize,
    load_event_model,
)

ARTICLES = ((et.SHARED / "corpus" / "dev.jsonl", et.SHARED / "gold" / "dev"),
            (et.SHARED / "corpus" / "corpus.jsonl", et.SHARED / "gold"))


def judged(candidates: list[Candidate]) -> tuple[list[Candidate], np.ndarray, float]:
    """Copies of the candidates retyped by the shipped type model, the shipped gate's
    probability of each, and its threshold."""
    model, lexicon = load_event_model(), load_event_lexicon()
    copies = [c.copy() for c in candidates]
    if not copies:
        return copies, np.zeros(0), model.threshold
    dense = np.zeros((len(copies), 384), np.float32)  # the shipped pair reads no encoder
    model.retype(copies, featurize([c.features for c in copies],
                                   dense_rows(copies, model.layouts["typer"], dense)), lexicon)
    if model.gate is None:
        return copies, np.ones(len(copies)), model.threshold
    x = featurize([c.features + [f"final={c.event.type}"] for c in copies],
                  dense_rows(copies, model.layouts["gate"], dense))
    return copies, model.gate.predict_proba(x)[:, 1], model.threshold


def classify(gold: dict[str, Any], span: tuple[int, int], probe: dict[str, Any],
             candidates: list[Candidate], probs: np.ndarray, threshold: float,
             amap: Any, score: Any, split_roles: bool = False) -> tuple[str, str]:
    """The class of one gold event (see the module's docstring) and what the candidates
    over it were; ``split_roles``: wrong roles split by the best candidate's roles
    (:func:`role_split`) rather than by where the trigger and actors are."""
    def roles_ok(c: Candidate) -> bool:
        return all(score.role_ok(getattr(c.event, r), gold.get(r),
                                 gold.get(f"{r}_optional", False), amap)
                   for r in ("source", "target"))

    over = [(c, p) for c, p in zip(candidates, probs, strict=True)
            if score.overlaps(c.event.start, c.event.end, *span)]
    seen = "; ".join(f"{c.event.trigger}/{c.event.type} {c.event.source}->{c.event.target}"
                     f" p={p:.2f}" for c, p in over[:4])
    if not over:
        return "no candidate", seen
    right = [(c, p) for c, p in over if roles_ok(c)]
    typed = [(c, p) for c, p in right if c.event.type != OPEN and c.event.quad in gold["quad"]]
    if any(p >= threshold for _, p in typed):
        return "hit", seen
    if typed:
        return "gated out", seen
    if right:
        return "wrong quad", seen
    inside = any(c.event.trigger_start is not None and span[0] <= c.event.trigger_start < span[1]
                 for c, _ in over)
    sentences = [probe["text"].find(c.event.sentence) for c, _ in over]
    lo = min([s for s in sentences if s >= 0] + [span[0]])
    hi = max([s + len(c.event.sentence) for s, (c, _) in zip(sentences, over, strict=True)
              if s >= 0] + [span[1]])
    named = [a for start, _, a in probe["mentions"] if lo <= start < hi]
    missing = [r for r in ("source", "target")
               if not gold.get(f"{r}_optional") and None not in (gold.get(r) or [])
               and not any(score.role_ok(a, gold.get(r), False, amap) for a in named)]
    where = "trigger in evidence" if inside else "no trigger in evidence"
    actors = f"no acceptable {'/'.join(missing)} named" if missing else "actors named"
    if split_roles:
        return f"roles: {role_split(gold, over, amap, score)}", seen
    return f"wrong roles ({where}, {actors})", seen


def role_split(gold: dict[str, Any], over: list[tuple[Candidate, float]], amap: Any,
               score: Any) -> str:
    """How the best candidate over a gold event gets its roles wrong: each role right,
    empty or wrong, the best candidate being the one with the most roles right (then the
    fewest wrong, then the gate's highest probability)."""
    def state(c: Candidate, role: str) -> str:
        if score.role_ok(getattr(c.event, role), gold.get(role),
                         gold.get(f"{role}_optional", False), amap):
            return "right"
        return "empty" if getattr(c.event, role) is None else "wrong"

    def rank(pair: tuple[Candidate, float]) -> tuple[int, int, float]:
        states = [state(pair[0], r) for r in ("source", "target")]
        return states.count("right"), -states.count("wrong"), pair[1]

    best = max(over, key=rank)[0]
    return f"source {state(best, 'source')}, target {state(best, 'target')}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=et.CACHE,
                        help=f"where the probes are cached (default {et.CACHE})")
    parser.add_argument("--verbose", action="store_true", help="list each gold event")
    parser.add_argument("--split-roles", action="store_true",
                        help="split wrong roles by the best candidate's source and target "
                             "(right, empty, wrong) instead")
    args = parser.parse_args()
    et.CACHE = args.cache
    score = et.load_scorer()
    counts: Counter[str] = Counter()
    listed: dict[str, list[str]] = defaultdict(list)
    for corpus, gold_dir in ARTICLES:
        for key, probe, gold, amap in et.gold_articles(et.probe_inputs(corpus), gold_dir,
                                                       score):
            candidates, probs, threshold = judged(probe["candidates"])
            for event in gold.get("events", []):
                span = score.find_span(probe["text"], event["evidence"])
                if span is None:
                    counts["evidence not in the cleaned text"] += 1
                    continue
                cause, seen = classify(event, span, probe, candidates, probs, threshold,
                                       amap, score, args.split_roles)
                counts[cause] += 1
                listed[cause].append(
                    f"{key}: {event['evidence'][:90]!r} source={event.get('source')} "
                    f"target={event.get('target')} quad={event['quad']} | {seen}")
    total = sum(counts.values())
    for cause, n in counts.most_common():
        print(f"{n:4d}  {n / total:6.1%}  {cause}")
    if args.verbose:
        for cause, rows in sorted(listed.items()):
            print(f"\n== {cause}")
            for row in rows:
                print("  ", row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
