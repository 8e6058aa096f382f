"""What the event models' dense inputs cost, against a bare parse of the same texts.

Usage: ``PYTHONPATH=src python bench/event_features.py [--rounds 3]``

Texts: the development articles (``../shared/corpus/dev.jsonl``) when present, else the
bundled examples. In one process: the bare spaCy parse of the texts (CPU time), then the
event candidate finder on those parses with no dense block, with spaCy's token vectors
("tensor_trigger", "tensor_sentence") and with the static wordpiece vectors
("static_sentence", "static_trigger"), each timed ``--rounds`` times in turn (the best
round counts: the machine is shared). Prints each variant's extra time as a share of the
parse and per candidate.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from common import REPO_ROOT, SHARED

from rashomon.events.coder import find_candidates
from rashomon.parse import load_nlp
from rashomon.pipeline import Config, StageContext, analyse_documents
from rashomon.registry import stage
from rashomon.types import Document

VARIANTS = {"none": (), "tensor": ("tensor_trigger", "tensor_sentence"),
            "static": ("static_sentence", "static_trigger")}
_contexts: dict[str, tuple] = {}


@stage("event_features_context")
def _context(ctx: StageContext) -> None:
    _contexts[ctx.document.id] = (ctx.doc, ctx.resolution, ctx.result.places, ctx.result.dates,
                                  ctx.resources)


def texts() -> list[str]:
    dev = SHARED / "corpus" / "dev.jsonl"
    if dev.exists():
        return [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    return [p.read_text(encoding="utf-8") for p in sorted((REPO_ROOT / "examples").glob("*.txt"))]


def candidates_time(blocks: tuple[str, ...]) -> tuple[float, int]:
    began, n = time.process_time(), 0
    for doc_id, (doc, resolution, places, dates, res) in _contexts.items():
        kb = res.kb
        n += len(find_candidates(doc, doc_id, resolution, places, dates,
                                 lexicon=res.event_lexicon, cues=res.cues,
                                 states={c: kb.actors[i] for c, i in kb.states.items()},
                                 blocks=blocks))
    return time.process_time() - began, n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    corpus = texts()
    nlp = load_nlp()
    list(nlp.pipe(corpus[:2]))  # warm
    parse = []
    for _ in range(args.rounds):
        began = time.process_time()
        list(nlp.pipe(corpus, batch_size=8))
        parse.append(time.process_time() - began)
    documents = [Document(id=f"d{i}", text=t) for i, t in enumerate(corpus)]
    for _ in analyse_documents(documents, Config(stages=["places", "dates", "actors",
                                                         "event_features_context"],
                                                 n_process=1)):
        pass
    for blocks in VARIANTS.values():
        candidates_time(blocks)  # warm: loads the role model and the static table
    best = {name: float("inf") for name in VARIANTS}
    count = 0
    for _ in range(args.rounds):
        for name, blocks in VARIANTS.items():
            seconds, count = candidates_time(blocks)
            best[name] = min(best[name], seconds)
    floor = min(parse)
    print(f"{len(corpus)} texts, {count} candidates; bare parse {floor:.2f} s CPU")
    for name in VARIANTS:
        extra = best[name] - best["none"]
        print(f"candidates with {name:6s}: {best[name]:.3f} s; extra {extra * 1000:+.0f} ms "
              f"= {extra / floor:+.2%} of the parse, {extra / max(count, 1) * 1e6:+.0f} us "
              "a candidate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
