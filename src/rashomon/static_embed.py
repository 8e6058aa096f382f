"""Static text vectors: a table look-up per wordpiece, distilled from the MiniLM encoder.

``rashomon.embed`` runs a transformer over each text (about a parse's worth of time per
article); this module averages fixed vectors of the text's wordpieces instead (microseconds
a sentence). The table, ``models/static_vectors.npz``, holds one row per wordpiece of the
encoder's vocabulary: the encoder's output for that piece alone, reduced by PCA and scaled
down for frequent pieces (``train/static_vectors.py``, the "model2vec" recipe; model card
``models/static_vectors.md``). The tokenizer is the encoder's own, so nothing is
downloaded. A text's vector is the mean of its pieces' rows, L2-normalised; a text with no
known piece gives zeros.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache

import numpy as np

from .embed import tokenizer_json
from .models import packaged

FILE = "static_vectors.npz"
# Chunks of text whose piece ids are kept (a few MB): a news vocabulary stays well below.
MAX_CACHED_CHUNKS = 200_000
# Short texts whose rows are kept (``StaticVectors.vector``): 10,000 rows of the table's
# width, 10 MB at 256 dimensions.
MAX_CACHED_PHRASES = 10_000


class StaticVectors:
    """Looks texts up in a wordpiece table (``vectors``: one float row per piece id)."""

    def __init__(self, vectors: np.ndarray, meta: dict | None = None) -> None:
        from tokenizers import Tokenizer

        self.table = np.asarray(vectors, dtype=np.float32)
        self.meta = dict(meta or {})
        self.dims = self.table.shape[1]
        self._tokenizer = Tokenizer.from_str(tokenizer_json())
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        # The piece ids of each space-separated chunk of text met so far (see ``_ids``).
        self._chunks: dict[str, list[int]] = {}
        # The rows of short texts met so far (see ``vector``).
        self._phrases: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text (zeros for a text without pieces)."""
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        if not texts:
            return out
        for row, ids in enumerate(self._ids(texts)):
            if ids:
                # what ``mean(axis=0)`` and ``np.linalg.norm`` compute, without their
                # Python wrappers (a call per sentence, trigger and stance pair)
                mean = np.add.reduce(self.table[ids], axis=0)
                np.true_divide(mean, np.intp(len(ids)), out=mean, casting="unsafe")
                norm = float(np.sqrt(mean.dot(mean)))
                if norm > 0:
                    out[row] = mean / norm
        return out

    def vector(self, phrase: str) -> np.ndarray:
        """``encode([phrase])[0]``, kept for the next time: for the few words that recur
        from document to document (an event's trigger words, the lemmas of a tree path).
        The row is shared: read it, do not write to it."""
        found = self._phrases.get(phrase)
        if found is None:
            if len(self._phrases) >= MAX_CACHED_PHRASES:  # a new table (see ``_ids``)
                self._phrases = {}
            found = self._phrases[phrase] = self.encode([phrase])[0]
        return found

    def _ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The piece ids of each text, as the tokenizer gives them for the whole text.

        The tokenizer (BERT's: clean, lowercase, split at spaces and punctuation, then
        WordPiece each word) reads each character on its own and never joins words across
        a space, so a text's pieces are those of its space-separated chunks in order, and
        a chunk seen before (news repeats its words) is not tokenised again; the rest are
        tokenised together, in one call."""
        chunks = self._chunks
        if len(chunks) > MAX_CACHED_CHUNKS:  # a new table, not cleared: another thread
            chunks = self._chunks = {}       # may be reading the old one
        split = [[c for c in text.split(" ") if c] for text in texts]
        new = list(dict.fromkeys(c for parts in split for c in parts if c not in chunks))
        if new:
            for chunk, enc in zip(new, self._tokenizer.encode_batch(
                    new, add_special_tokens=False), strict=True):
                chunks[chunk] = enc.ids
        out = []
        for parts in split:
            ids: list[int] = []
            for chunk in parts:
                ids += chunks[chunk]
            out.append(ids)
        return out


@cache
def static_vectors() -> StaticVectors | None:
    """The shipped table, loaded once per process; None when the package lacks it."""
    path = packaged(FILE)
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        return StaticVectors(data["vectors"], json.loads(str(data["meta"])))
