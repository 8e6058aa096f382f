"""Calibrate ``rashomon.claims.cue_types.MIN_SIMILARITY`` on the cue lexicon itself.

    PYTHONPATH=src python train/cue_types.py

Each verb and noun cue of the lexicon is typed from the others, as a learned cue the
lexicon lacks would be: the type of its nearest entry by the cosine of their static
wordpiece vectors, from a threshold up, else "assert". The entry's own word (as verb or
noun) is left out, since a new cue has no twin in the lexicon. Prints, per threshold, the
accuracy over all entries and the precision of the non-"assert" types given. Nothing is
written; no data outside the package is read. A second or two.
"""

from __future__ import annotations

import numpy as np

from rashomon.claims.cue_types import DEFAULT_TYPE
from rashomon.claims.cues import load_cues
from rashomon.static_embed import static_vectors

THRESHOLDS = (0.0, 0.4, 0.5, 0.6, 0.7)


def main() -> None:
    cues, table = load_cues(), static_vectors()
    if table is None:
        raise SystemExit("static_vectors.npz is not in the package")
    words = [*cues.verbs, *cues.nouns]
    types = [e.get("cue_type", DEFAULT_TYPE) for e in (*cues.verbs.values(), *cues.nouns.values())]
    vectors = table.encode(words)
    similarity = vectors @ vectors.T
    same_word = np.array([[a == b for b in words] for a in words])
    similarity[same_word] = -1.0
    nearest, best = similarity.argmax(axis=1), similarity.max(axis=1)
    print(f"{len(words)} entries, {types.count(DEFAULT_TYPE) / len(types):.1%} {DEFAULT_TYPE!r}")
    for threshold in THRESHOLDS:
        given = [types[j] if b >= threshold else DEFAULT_TYPE
                 for j, b in zip(nearest, best, strict=True)]
        right = sum(g == t for g, t in zip(given, types, strict=True))
        typed = [(g, t) for g, t in zip(given, types, strict=True) if g != DEFAULT_TYPE]
        typed_right = sum(g == t for g, t in typed)
        print(f"from {threshold:.1f}: accuracy {right / len(types):.1%}; non-{DEFAULT_TYPE} "
              f"types right {typed_right} of {len(typed)} "
              f"({typed_right / max(len(typed), 1):.1%})")


if __name__ == "__main__":
    main()
