"""The learned cue scorer: which words of a parse attribute content to someone.

The parse proposes candidates (a verb or noun with a clausal, quoted or object complement,
any word of the cue lexicon, "according"); a logistic regression over sparse lexical and
dependency features, trained on PolNeAR (``train/attribution.py``, model card
``models/attribution_cue.md``), says which are cues. The source and the content of a
learned cue are then read off the parse by the same rules as a lexicon cue's.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cache

import numpy as np
from spacy.tokens import Doc, Token

from ..models import LinearModel, packaged
from ..parse import token_lowers, token_sentence
from .cues import CueLexicon

MODEL_FILE = "attribution_cue.npz"
# Dependents that carry what a cue says.
CLAUSAL = ("ccomp", "xcomp", "parataxis")
_QUOTES = {"“", "”", '"', "``", "''"}


def is_candidate(tok: Token, cues: CueLexicon) -> bool:
    """Whether the parse makes ``tok`` a possible attribution cue."""
    pos = tok.pos_  # asked of every word: the lemma only where the tag needs it
    if pos == "VERB" or (pos == "AUX" and tok.lemma_.lower() in cues.verbs):
        return tok.dep_ not in ("amod", "compound")
    if pos == "NOUN":
        return tok.lemma_.lower() in cues.nouns or any(
            c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" for m in c.children)
            for c in tok.children)
    return tok.lower_ == "according"


def features(tok: Token, cues: CueLexicon) -> list[str]:
    """Sparse string features of a candidate cue: its word, its slots, what hangs off it."""
    # each attribute read once: every candidate cue of every document is featurised
    lemma, pos, dep, head = tok.lemma_.lower(), tok.pos_, tok.dep_, tok.head
    children = list(tok.children)
    deps = sorted({c.dep_ for c in children})
    out = [f"l={lemma}", f"p={pos}", f"t={tok.tag_}", f"d={dep}",
           f"lp={lemma}|{pos}", f"hd={head.lemma_.lower()}|{dep}",
           f"hp={head.pos_}"]
    out += [f"c={d}" for d in deps]
    out += [f"lc={lemma}|{d}" for d in deps if d in (*CLAUSAL, "dobj", "prep", "agent")]
    verb = cues.verbs.get(lemma) if pos in ("VERB", "AUX") else None
    noun = cues.nouns.get(lemma) if pos == "NOUN" else None
    entry = verb or noun
    if entry is not None:
        out.append(f"lex={entry.get('cue_type', 'assert')}")
        out += [f"takes={t}" for t in entry.get("takes") or ()]
    for c in children:
        c_dep = c.dep_
        if c_dep in ("nsubj", "nsubjpass"):
            c_pos = c.pos_
            out += [f"s={c_dep}|{c_pos}", f"se={c.ent_type_ or '-'}"]
            if c_pos == "PRON":
                out.append(f"sw={c.lower_}")
        elif c_dep in CLAUSAL:
            marks = [m.lower_ for m in c.children if m.dep_ == "mark"]
            out.append(f"m={marks[0] if marks else '-'}|{c_dep}")
            out.append(f"cp={c.pos_}|{c.tag_}")
        elif c_dep == "prep":
            c_lower = c.lower_
            out.append(f"pr={c_lower}")
            out.append(f"lpr={lemma}|{c_lower}")
        elif c_dep == "neg":
            out.append("neg")
        elif c_dep == "poss":
            out.append(f"poss={c.pos_}|{c.ent_type_ or '-'}")
    doc = tok.doc
    quotes = quote_positions(doc)
    if _any_between(quotes, tok.i - 3, tok.i + 4):  # a quotation mark within 3 words
        out.append("q_near")
    sent = token_sentence(tok)
    if _any_between(quotes, sent.start, sent.end):
        out.append("q_sent")
    lowers = token_lowers(doc)
    if tok.i > 0:
        out.append(f"prev={lowers[tok.i - 1]}")
    if tok.i + 1 < len(doc):
        out.append(f"next={lowers[tok.i + 1]}")
    return out


def quote_positions(doc: Doc) -> list[int]:
    """The indices of the quotation-mark tokens of ``doc``, in order (cached on the Doc:
    every candidate cue asks whether one is near it or in its sentence)."""
    found = doc.user_data.get("rashomon.quote_tokens")
    if found is None:
        # a quotation mark is its own lower-case form: the Doc's lower-case list holds them
        found = doc.user_data["rashomon.quote_tokens"] = [
            i for i, lower in enumerate(token_lowers(doc)) if lower in _QUOTES]
    return found


def _any_between(positions: list[int], start: int, end: int) -> bool:
    """Whether a sorted list holds a value in [start, end)."""
    k = bisect_left(positions, start)
    return k < len(positions) and positions[k] < end


class SparseScorer:
    """A trained binary classifier over sparse string features, with its threshold."""

    def __init__(self, model: LinearModel, positive: str) -> None:
        self.model = model
        self.index: dict[str, int] = model.meta["features"]
        self.threshold: float = float(model.meta["threshold"])
        self.positive = positive

    def vector(self, feats: list[str]) -> np.ndarray:
        row = np.zeros(len(self.index), dtype=np.float32)
        for f in feats:
            i = self.index.get(f)
            if i is not None:
                row[i] = 1.0
        return row

    def score(self, rows: list[list[str]]) -> np.ndarray:
        """The probability of the positive class for each feature list: the weights of the
        features present summed, rather than a dense row of every feature per candidate."""
        if not rows:
            return np.zeros(0, dtype=np.float32)
        coef, bias = self.model.coef, self.model.intercept
        scores = np.empty((len(rows), coef.shape[0]), dtype=np.float32)
        for r, feats in enumerate(rows):
            cols = list({i for f in feats if (i := self.index.get(f)) is not None})
            # what ``.sum(axis=1)`` calls, without its Python wrapper
            scores[r] = np.add.reduce(coef[:, cols], axis=1) + bias
        if coef.shape[0] == 1:
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            proba = np.stack([1.0 - positive, positive], axis=1)
        else:
            exp = np.exp(scores - scores.max(axis=1, keepdims=True))
            proba = exp / exp.sum(axis=1, keepdims=True)
        return proba[:, self.model.classes.index(self.positive)]


class CueScorer(SparseScorer):
    """The trained cue classifier: a probability that a candidate is an attribution cue."""

    def __init__(self, model: LinearModel) -> None:
        super().__init__(model, "cue")

    def probabilities(self, toks: list[Token], cues: CueLexicon) -> np.ndarray:
        return self.score([features(t, cues) for t in toks])


@cache
def load_scorer() -> CueScorer | None:
    """The shipped cue scorer, or None where the model file is absent (rules only)."""
    path = packaged(MODEL_FILE)
    return CueScorer(LinearModel.load(path)) if path.exists() else None
