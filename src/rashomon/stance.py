"""Directed stance between two actors named in one sentence: who is for or against whom.

A sentence that names two actors often says how one stands toward the other ("X blamed
Y for ...", "Y was praised by X"). The model reads the pair in text order (``first``,
``second``) and gives one of five labels, as in Park et al. (2021): ``neutral``,
``first->second +``, ``second->first +``, ``first->second -``, ``second->first -``.

Features (``pair_features``), all computed from the sentence and the two spans:

* MiniLM embeddings (``rashomon.embed``) of four views of the sentence: the stretch from
  the first actor to the second, the text between them, the text before the first and the
  text after the second. Separate views let a linear model tell "X criticised Y" from
  "X was criticised by Y" and from "..., Y said of X".
* Words in the same three places (between, just before, just after) against a vocabulary
  the training script keeps in the model's ``meta``: a learned polarity lexicon.
* Shape: distance, negation and passive "by" between the two, a quotation mark, a comma.

The classifier is a multinomial logistic regression saved as a ``LinearModel``
(``models/stance.npz``; ``train/stance.py`` reproduces it, the model card
``models/stance.md`` gives its data and figures). ``find_stances`` runs it over a
parsed document's actor mentions and keeps the pairs it calls non-neutral, each with
its sentence span and probability.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from .models import LinearModel, packaged
from .types import DateMention, Mention, Stance

LABELS = ["neutral", "first->second +", "second->first +", "first->second -",
          "second->first -"]
# (source is the first actor, sign) of each non-neutral label.
DIRECTION = {1: (True, 1), 2: (False, 1), 3: (True, -1), 4: (False, -1)}

MODEL_FILE = "stance.npz"
# Words either side of the pair that count as "just before" / "just after".
WINDOW_WORDS = 5
# Most actors in one sentence whose pairs are read; more is a list, not a stance.
MAX_ACTORS_PER_SENTENCE = 6
# A pair is kept as a stance when a non-neutral label is the model's best and holds at
# least this much probability: a stance should be more likely than all else together.
# Chosen, not calibrated.
MIN_PROBABILITY = 0.5

_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?|\d+")
_NEGATIONS = {"not", "no", "never", "n't", "nor", "neither", "without"}
_QUOTES = "\"“”"


@dataclass(frozen=True)
class PairText:
    """A sentence and the character spans of the two actors, first before second."""

    text: str
    first: tuple[int, int]
    second: tuple[int, int]

    def views(self) -> list[str]:
        """The four texts whose embeddings are features (see the module docstring)."""
        (fs, fe), (ss, se) = self.first, self.second
        t = self.text
        return [t[fs:se].strip(), t[fe:ss].strip(), t[:fs].strip(), t[se:].strip()]

    def words(self) -> list[str]:
        """Position-tagged words: b: between, l: just before, r: just after."""
        (fs, fe), (ss, se) = self.first, self.second
        t = self.text
        between = [f"b:{w}" for w in _words(t[fe:ss])]
        left = [f"l:{w}" for w in _words(t[:fs])[-WINDOW_WORDS:]]
        right = [f"r:{w}" for w in _words(t[se:])[:WINDOW_WORDS]]
        return between + left + right

    def shape(self) -> list[float]:
        (fs, fe), (ss, _) = self.first, self.second
        between = self.text[fe:ss]
        words = _words(between)
        return [
            math.log1p(len(words)),
            float(any(w in _NEGATIONS for w in words)),
            float("by" in words),
            float(any(q in self.text for q in _QUOTES)),
            float("," in between),
            float(fs < 3),  # the first actor opens the sentence: usually its subject
        ]


SHAPE_FEATURES = ["log_distance", "negation_between", "by_between", "quotation",
                  "comma_between", "first_opens"]


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def pair_features(pairs: Sequence[PairText], vocabulary: Sequence[str],
                  embeddings: np.ndarray | None = None) -> np.ndarray:
    """The feature matrix of pairs: embeddings of the four views, word indicators, shape.

    ``embeddings`` (n, 4 * 384), when given, are the views already encoded (training
    caches them); otherwise they are encoded here.
    """
    if embeddings is None:
        from .embed import encode

        views = [v for p in pairs for v in p.views()]
        embeddings = encode(views).reshape(len(pairs), -1) if pairs else np.zeros((0, 4 * 384))
    index = {w: i for i, w in enumerate(vocabulary)}
    bag = np.zeros((len(pairs), len(vocabulary)), dtype=np.float32)
    for row, pair in enumerate(pairs):
        for w in pair.words():
            if w in index:
                bag[row, index[w]] = 1.0
    shape = np.array([p.shape() for p in pairs], dtype=np.float32).reshape(len(pairs), -1)
    return np.hstack([embeddings.astype(np.float32), bag, shape])


@cache
def load_model() -> LinearModel:
    """The packaged stance model (loaded once per process)."""
    return LinearModel.load(packaged(MODEL_FILE))


def classify(pairs: Sequence[PairText], model: LinearModel | None = None) -> np.ndarray:
    """Probabilities over ``LABELS`` for each pair, one row per pair."""
    model = model or load_model()
    if not pairs:
        return np.zeros((0, len(LABELS)))
    features = pair_features(pairs, model.meta["vocabulary"])
    proba = model.predict_proba(features)
    order = [model.classes.index(str(i)) for i in range(len(LABELS))]
    return proba[:, order]


def find_stances(text: str, document: str, mentions: Sequence[Mention],
                 sentences: Sequence[tuple[int, int]], dates: Sequence[DateMention] = (),
                 model: LinearModel | None = None) -> list[Stance]:
    """The directed stances between actors named together in a sentence of ``text``.

    ``sentences`` are (start, end) character spans. For each pair of different actors
    in a sentence, the closest pair of their mentions is read; a pair the model calls
    non-neutral becomes a Stance from the source actor to the target, dated by the
    resolved date mention of the sentence nearest the pair, if there is one.
    """
    candidates: list[tuple[tuple[int, int], Mention, Mention]] = []
    for start, end in sentences:
        inside = [m for m in mentions if start <= m.start and m.end <= end and m.actor]
        actors = list(dict.fromkeys(m.actor for m in sorted(inside, key=lambda m: m.start)))
        if len(actors) < 2 or len(actors) > MAX_ACTORS_PER_SENTENCE:
            continue
        for i, a in enumerate(actors):
            for b in actors[i + 1:]:
                pair = _closest([m for m in inside if m.actor == a],
                                [m for m in inside if m.actor == b])
                if pair is not None:
                    candidates.append(((start, end), *pair))
    if not candidates:
        return []
    pairs = [PairText(text[s:e], (m1.start - s, m1.end - s), (m2.start - s, m2.end - s))
             for (s, e), m1, m2 in candidates]
    proba = classify(pairs, model)
    found = []
    for ((s, e), m1, m2), p in zip(candidates, proba, strict=True):
        label = int(p.argmax())
        if label == 0 or p[label] < MIN_PROBABILITY:
            continue
        forward, sign = DIRECTION[label]
        src, tgt = (m1, m2) if forward else (m2, m1)
        within = [d for d in dates if d.value and s <= d.start and d.end <= e]
        date = min(within, key=lambda d: abs(d.start - m1.end)).value if within else None
        found.append(Stance(
            id=f"{document}:st{len(found) + 1}", document=document, start=s, end=e,
            sentence=text[s:e], source=src.actor, target=tgt.actor, sign=sign,
            probability=round(float(p[label]), 4),
            source_span=[src.start, src.end], target_span=[tgt.start, tgt.end], date=date,
            in_comment=m1.in_comment, comment=m1.comment,
        ))
    return found


def _closest(left: list[Mention], right: list[Mention]) -> tuple[Mention, Mention] | None:
    """The two non-overlapping mentions nearest each other, in text order."""
    best: tuple[int, Mention, Mention] | None = None
    for x in left:
        for y in right:
            first, second = (x, y) if x.start <= y.start else (y, x)
            if first.end > second.start:
                continue
            gap = second.start - first.end
            if best is None or gap < best[0]:
                best = (gap, first, second)
    return None if best is None else (best[1], best[2])
