"""Process CPU of the incidents' sentence encoder, float and quantized, on one thread.

    PYTHONPATH=src python bench/encoder_cpu.py ANALYSIS.json [...] [--rounds 3]

Reads the events of ``rashomon export -f json`` files (e.g. of ``rashomon analyze
../shared/corpus/dev.jsonl -j 1``), takes the distinct sentences of the events outside
comments (what the incidents step encodes), and encodes them with
``rashomon.embed.Encoder(threads=1)`` as it loads the model file (float) and with
``quantized=True``, the two in turn ``--rounds`` times after a warm-up. Prints, per
encoder, the least process CPU (``time.process_time``) over the rounds in ms per sentence
and per document, and how far the quantized vectors are from the float ones.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from rashomon.embed import Encoder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("analysis", type=Path, nargs="+")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    sentences: set[str] = set()
    documents = 0
    for path in args.analysis:
        data = json.loads(path.read_text(encoding="utf-8"))
        documents += len(data["documents"])
        sentences |= {e["sentence"] for e in data["events"] if not e.get("in_comment")}
    texts = sorted(sentences)
    encoders = {"float": Encoder(threads=1), "quantized": Encoder(threads=1, quantized=True)}
    vectors = {name: e.encode(texts) for name, e in encoders.items()}  # warm-up
    best = {name: float("inf") for name in encoders}
    for _ in range(args.rounds):
        for name, e in encoders.items():
            started = time.process_time()
            e.encode(texts)
            best[name] = min(best[name], time.process_time() - started)
    cosine = (vectors["float"] * vectors["quantized"]).sum(axis=1)
    print(json.dumps({
        "documents": documents, "sentences": len(texts),
        **{name: {"cpu_s": round(s, 3), "ms_per_sentence": round(1000 * s / len(texts), 2),
                  "ms_per_document": round(1000 * s / documents, 1)}
           for name, s in best.items()},
        "quantized_vs_float": {"min_cosine": round(float(cosine.min()), 4),
                               "mean_cosine": round(float(cosine.mean()), 4),
                               "max_abs_difference": round(float(np.abs(
                                   vectors["float"] - vectors["quantized"]).max()), 4)},
    }, indent=1))


if __name__ == "__main__":
    main()
