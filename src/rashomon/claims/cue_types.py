"""The type of a learned cue the lexicon lacks: that of its nearest lexicon cue.

The cue scorer (``model``) may take any verb or noun for a cue ("slammed", "lamented",
"pushed back"); the lexicon gives its own cues a type (assert, accuse, deny, warn, ...) that
queries, outlet profiles and incident tellings read. A learned cue outside the lexicon takes
the type of the lexicon cue (verb or noun) whose static wordpiece vector
(``models/static_vectors.npz``) is nearest to its lemma's, when the two are similar enough;
otherwise the neutral "assert". Only the type is borrowed, not the neighbour's frames or its
negation: "rebuffed" near "rebut" is a denial, not a statement that its content is false.
"""

from __future__ import annotations

import numpy as np

from ..static_embed import static_vectors
from .cues import CueLexicon

DEFAULT_TYPE = "assert"
# Cosine similarity from which the nearest lexicon cue's type is taken. Chosen on the
# lexicon itself, each entry typed from the others (its own word, as verb or noun, left
# out; 292 entries, 26% "assert"; ``train/cue_types.py``): at 0.6 the non-"assert" types
# given are right for 62 of 67 (92.5%), at 0.7 for 40 of 40, at 0.5 for 81 of 97 (83.5%),
# at 0.4 for 101 of 141 (71.6%). A wrong type (an endorsement typed a condemnation:
# static vectors put antonyms close) does more harm downstream than the neutral one, so
# precision wins over coverage.
MIN_SIMILARITY = 0.6

_index: dict[int, tuple[CueLexicon, list[str], np.ndarray]] = {}


def _lexicon_index(cues: CueLexicon) -> tuple[list[str], np.ndarray] | None:
    """The lexicon's verb and noun cues' types and unit vectors, built once per lexicon."""
    table = static_vectors()
    if table is None:
        return None
    known = _index.get(id(cues))
    if known is None or known[0] is not cues:  # an id reused by another lexicon
        words = [*cues.verbs, *cues.nouns]
        types = [entry.get("cue_type", DEFAULT_TYPE)
                 for entry in (*cues.verbs.values(), *cues.nouns.values())]
        known = (cues, types, table.encode(words))
        _index[id(cues)] = known
    return known[1], known[2]


def learned_cue_type(lemma: str, cues: CueLexicon) -> str:
    """The type of a cue word the lexicon lacks: its nearest lexicon cue's, if near."""
    index = _lexicon_index(cues)
    table = static_vectors()
    if index is None or table is None:
        return DEFAULT_TYPE
    types, vectors = index
    similarity = vectors @ table.encode([lemma])[0]
    best = int(similarity.argmax())
    return types[best] if similarity[best] >= MIN_SIMILARITY else DEFAULT_TYPE
