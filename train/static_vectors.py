"""Distil static wordpiece vectors from the MiniLM encoder (the "model2vec" recipe).

Usage (from the repository root, 2 cores, about two minutes)::

    PYTHONPATH=src python train/static_vectors.py            # writes the packaged file
    PYTHONPATH=src python train/static_vectors.py --dims 128 --out /tmp/sv.npz

Every wordpiece of the encoder's vocabulary is run through the encoder alone
(``[CLS] piece [SEP]``, mean-pooled as ``rashomon.embed`` pools a sentence); the 384-float
outputs are centred and reduced by PCA to ``--dims`` columns, then each row is scaled by
``log(1 + rank)``, rank being the piece's place in the vocabulary (BERT's vocabulary lists
whole words roughly by frequency from "the" on), so that frequent pieces weigh less in a
sentence's mean (the Zipf weighting of model2vec). Special and ``[unused]`` pieces get zero
rows. No data is read: the vectors depend only on the shipped encoder. The result is
``rashomon/models/static_vectors.npz`` (float16), read by :mod:`rashomon.static_embed`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from rashomon.embed import encoder

OUT = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "models" / "static_vectors.npz"
#: Rows per encoder call: three-token inputs, so large batches cost little memory.
BATCH = 512
#: The first whole-word piece of BERT's uncased vocabulary ("the"); pieces before it are
#: padding, unused slots, specials and single characters.
FIRST_WORD = 1996


def piece_vectors() -> tuple[list[str], np.ndarray]:
    """The encoder's output for every wordpiece on its own: (pieces by id, (n, 384))."""
    enc = encoder()
    enc._load()
    vocab = enc._tokenizer.get_vocab()
    pieces = [p for p, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    out = np.zeros((len(pieces), 384), dtype=np.float32)
    for start in range(0, len(pieces), BATCH):
        ids = np.array([[cls, i, sep] for i in range(start, min(start + BATCH, len(pieces)))],
                       dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in enc._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        out[start:start + len(ids)] = enc._session.run(None, feeds)[0].mean(axis=1)
    return pieces, out


def distil(pieces: list[str], vectors: np.ndarray, dims: int) -> np.ndarray:
    """PCA to ``dims`` columns over the real pieces, then Zipf weights; specials are zero."""
    real = np.array([not (p.startswith("[") and p.endswith("]")) for p in pieces])
    mean = vectors[real].mean(axis=0)
    _, _, vt = np.linalg.svd(vectors[real] - mean, full_matrices=False)
    reduced = (vectors - mean) @ vt[:dims].T
    rank = np.maximum(np.arange(len(pieces)) - FIRST_WORD + 2, 2)
    reduced *= np.log1p(rank)[:, None]
    reduced[~real] = 0.0
    return reduced.astype(np.float16)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    began = time.perf_counter()
    pieces, vectors = piece_vectors()
    table = distil(pieces, vectors, args.dims)
    meta = {"encoder": "all-MiniLM-L6-v2 int8 (rashomon.embed)", "pieces": len(pieces),
            "dims": args.dims, "weighting": "log(1 + vocabulary rank)",
            "recipe": "model2vec-style: each wordpiece encoded alone, mean-pooled, PCA"}
    np.savez_compressed(args.out, vectors=table, meta=np.array(json.dumps(meta)))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {table.shape}) "
          f"in {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
