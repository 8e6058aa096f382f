"""Framing techniques: the propaganda techniques of SemEval-2020 Task 11 found in sentences.

A linear classifier (``models/framing.npz``, trained by ``train/framing.py`` on the
Propaganda Techniques Corpus) reads the MiniLM embedding of a span and of its context
plus two surface cues (the span's length, how often its words recur in the article) and
names one of 14 techniques (loaded language, name calling, doubt, exaggeration,
flag-waving, ...) or ``none``. In a document every clause (the text between punctuation
marks, three words or more) is a candidate span, since the corpus's spans are mostly
phrases and clauses, and whole sentences look to the model like its ``none`` examples;
a clause whose most likely class is a technique with probability ``MIN_PROBABILITY`` or
more is reported. ``per_outlet`` counts the techniques each outlet uses per 100 sentences.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from .embed import encode
from .models import LinearModel, packaged
from .types import Document

MODEL_FILE = "framing.npz"
NONE = "none"

# Characters of context on each side of a span (the PTC spans are often a few words).
CONTEXT_CHARS = 120

# A sentence is reported when its best technique is this likely. Chosen on the held-out
# PTC articles so that most sentences reported carry a gold technique (see the model card).
MIN_PROBABILITY = 0.5

SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
CLAUSE = re.compile(r"[^.!?\n,;:()\"“”]+")
MIN_CLAUSE_WORDS = 3


@dataclass
class Technique:
    document: str
    start: int
    end: int
    technique: str
    probability: float
    text: str


@cache
def model() -> LinearModel:
    return LinearModel.load(packaged(MODEL_FILE))


def available() -> bool:
    """Whether the model file is installed (it is built by ``train/framing.py``)."""
    return packaged(MODEL_FILE).exists()


def features(texts: Sequence[str], contexts: Sequence[str], repeats: Sequence[int]
             ) -> np.ndarray:
    """The classifier's input rows: span vector, context vector, log length, log repeats."""
    spans = encode(list(texts))
    around = encode(list(contexts))
    extra = np.array([[math.log1p(len(t.split())), math.log1p(r)]
                      for t, r in zip(texts, repeats, strict=True)], dtype=np.float32)
    return np.hstack([spans, around, extra]).astype(np.float32)


def repeats(span: str, text: str) -> int:
    """How many more times the span's wording occurs in the article (Repetition's cue)."""
    needle = span.strip().lower()
    return max(text.lower().count(needle) - 1, 0) if len(needle) > 3 else 0


def context(text: str, start: int, end: int) -> str:
    return text[max(0, start - CONTEXT_CHARS):end + CONTEXT_CHARS]


def detect(documents: Iterable[Document], min_probability: float = MIN_PROBABILITY
           ) -> list[Technique]:
    """Techniques found in the clauses of the documents' clean text (none without the
    model file)."""
    if not available():
        return []
    spans: list[tuple[Document, int, int]] = []
    for doc in documents:
        for m in CLAUSE.finditer(doc.text or ""):
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            end = m.start() + len(m.group().rstrip())
            if len(m.group().split()) >= MIN_CLAUSE_WORDS:
                spans.append((doc, start, end))
    if not spans:
        return []
    clf = model()
    x = features([d.text[s:e] for d, s, e in spans],
                 [context(d.text, s, e) for d, s, e in spans],
                 [repeats(d.text[s:e], d.text) for d, s, e in spans])
    probs = clf.predict_proba(x)
    found = []
    for (doc, s, e), row in zip(spans, probs, strict=True):
        best = int(row.argmax())
        label = clf.classes[best]
        if label != NONE and row[best] >= min_probability:
            found.append(Technique(doc.id, s, e, label, round(float(row[best]), 4),
                                   doc.text[s:e]))
    return found


def per_outlet(found: Iterable[Technique], documents: Iterable[Document],
               outlet_of) -> dict[str, dict[str, float]]:
    """Per outlet, each technique's count per 100 sentences of its documents."""
    sentences: Counter[str] = Counter()
    docs = {}
    for doc in documents:
        docs[doc.id] = outlet_of(doc)
        sentences[docs[doc.id]] += sum(1 for m in SENTENCE.finditer(doc.text or "")
                                       if len(m.group().split()) >= 4)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for t in found:
        counts[docs.get(t.document, "")][t.technique] += 1
    return {o: {k: round(100 * n / max(sentences[o], 1), 1) for k, n in c.most_common()}
            for o, c in sorted(counts.items())}
