"""Duplicate articles: exact copies by body hash, near copies by MinHash over word shingles.

Syndicated and re-posted articles differ in headers, boilerplate and small edits; exact
hashing misses them and MinHash (Jaccard similarity of word 5-grams) catches them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from rashomon.types import Document

if TYPE_CHECKING:
    from datasketch import MinHash

# datasketch is imported where a sketch is made: importing it imports SciPy's integrators
# (about 0.7 s of CPU), which a process that only analyses documents (a cluster worker
# importing the package) never needs.

# MinHash permutations: 128 gives a Jaccard estimate within about +-0.09 (2 sigma), enough to
# separate near copies (above 0.8) from distinct articles on one event (below 0.3).
NUM_PERM = 128
# Word n-grams compared; 5 words make shared stock phrases ("the Islamic Republic of Iran")
# too short to count as overlap while one edited word only disturbs 5 shingles.
SHINGLE_WORDS = 5
# Estimated Jaccard similarity above which two bodies are near duplicates. Not fitted on
# the reference corpus (its three articles share no shingles); it is the usual setting for
# re-posts with changed headers, footers and a few edited sentences.
NEAR_THRESHOLD = 0.8
# The datasketch hashing scheme; persisted signatures are only comparable within one scheme.
SCHEME = "affine32"
_WORD = re.compile(r"\w+")


def normalised_body(text: str) -> str:
    """The body as lower-case words only: what the fingerprint and shingles are built from."""
    return " ".join(_WORD.findall(text.casefold()))


def body_fingerprint(text: str) -> str:
    """SHA-1 of the normalised body: equal for texts differing only in case, spacing, marks."""
    return hashlib.sha1(normalised_body(text).encode("utf-8")).hexdigest()


def minhash(text: str) -> MinHash:
    """MinHash of the body's word shingles (a short body is one shingle)."""
    words = normalised_body(text).split()
    shingles = {" ".join(words[i:i + SHINGLE_WORDS])
                for i in range(max(len(words) - SHINGLE_WORDS + 1, 1))}
    from datasketch import MinHash

    sketch = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_permutations())
    sketch.update_batch([s.encode("utf-8") for s in shingles])
    return sketch


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """The scheme's hash permutations, drawn once per process: datasketch draws the same
    ones again from a seeded generator for every sketch it makes, new or rebuilt from a
    stored signature (about 0.1 ms each: 1.7 minutes of the writer's start-up on a store
    of a million documents, a seventh of a new document's duplicate checks). Shared:
    never updated."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


@lru_cache(maxsize=2)
def _sketch(text: str) -> MinHash:
    """``minhash(text)`` of the last texts asked for: a document's is read by ``check``,
    ``add`` and ``signature`` in turn, and is computed once. Shared: never updated."""
    return minhash(text)


class Deduplicator:
    """Finds exact and near duplicates among documents seen so far (or persisted before)."""

    def __init__(self, threshold: float = NEAR_THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._exact: dict[str, str] = {}  # fingerprint -> id of the first document with it
        self._sketches: dict[str, MinHash] = {}
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)

    @classmethod
    def from_signatures(cls, rows: Iterable[tuple[str, str, bytes]],
                        threshold: float = NEAR_THRESHOLD) -> Deduplicator:
        """Rebuild from persisted (doc_id, fingerprint, signature) rows."""
        from datasketch import MinHash

        dedup = cls(threshold)
        for doc_id, fingerprint, signature in rows:
            values = np.frombuffer(signature, dtype="<u8").astype(np.uint64)
            dedup._remember(doc_id, fingerprint, MinHash(num_perm=NUM_PERM, hashvalues=values,
                                                            scheme=SCHEME,
                                                            permutations=_permutations()))
        return dedup

    @staticmethod
    def fingerprint(doc: Document) -> str:
        """The document's exact-duplicate key (its own fingerprint when already set)."""
        return doc.fingerprint or body_fingerprint(doc.text)

    @staticmethod
    def signature(doc: Document) -> bytes:
        """The document's MinHash as bytes (little-endian uint64s), for storage."""
        return _sketch(doc.text).hashvalues.astype("<u8").tobytes()

    def check(self, doc: Document) -> tuple[str, str] | None:
        """('exact' | 'near', id of the earlier document) when doc duplicates one, else None.

        A document with no words duplicates nothing: empty bodies are failures, not copies.
        """
        if not normalised_body(doc.text):
            return None
        original = self._exact.get(self.fingerprint(doc))
        if original is not None and original != doc.id:
            return "exact", original
        sketch = _sketch(doc.text)
        candidates = [c for c in self._lsh.query(sketch) if c != doc.id]
        scored = [(sketch.jaccard(self._sketches[c]), c) for c in candidates]
        scored = [(score, c) for score, c in scored if score >= self.threshold]
        if not scored:
            return None
        return "near", max(scored, key=lambda sc: (sc[0], -self._order(sc[1])))[1]

    def add(self, doc: Document) -> None:
        """Remember a document so that later copies of it are found."""
        self._remember(doc.id, self.fingerprint(doc), _sketch(doc.text))

    def __len__(self) -> int:
        return len(self._sketches)

    def _remember(self, doc_id: str, fingerprint: str, sketch: MinHash) -> None:
        self._exact.setdefault(fingerprint, doc_id)
        if doc_id not in self._sketches:
            self._sketches[doc_id] = sketch
            self._lsh.insert(doc_id, sketch)

    def _order(self, doc_id: str) -> int:
        """Insertion rank, so that ties go to the earliest document."""
        return list(self._sketches).index(doc_id)
