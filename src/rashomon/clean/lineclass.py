"""A learned line classifier for boilerplate that no pattern names.

Each logical line of an article body is described by its shape: length, punctuation and
capitalisation, whether it reads like a sentence (function words, a closing full stop),
handles, links and pipes, keyword classes (agencies, photo words, social and page-action
words), how many of its words the rest of the article uses, whether its neighbours are
date stamps and whether it stands alone in its block. Where it sits is not a feature (with
few examples the model learned "short line at the edge" from it); instead a line is only
taken at the edges of the body or next to a removed line (LineClassifier.flags).
A logistic regression over these features (models/boilerplate_lines.npz, trained by
train/boilerplate_lines.py) gives a probability; a line is removed only above a threshold,
only when it is short and never when it is a complete sentence of prose, because losing
article text costs more than keeping a stray caption (the patterns and page structure take
captions that are sentences).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from rashomon.clean.dates import is_date_line
from rashomon.models import LinearModel, packaged

MODEL_FILE = "boilerplate_lines.npz"
# Lines longer than this are never removed by the classifier: captions, credits, embeds
# and teasers are short; a long line is article prose even when it looks odd.
MAX_CLASSIFIED_WORDS = 40

_FUNCTION_WORDS = frozenset(
    "the a an of to in on and that said says was were is are has have had for with by from as "
    "at which who would will not but it its he she they their his her this".split())
_AGENCY = re.compile(r"\b(AP|AFP|Reuters|Getty|EPA|Xinhua|Anadolu|IRNA|Pool|Handout|Shutterstock"
                     r"|Associated Press)\b")
_MEDIA = re.compile(r"\b(photo|photos|image|images|picture|credit|caption|video|file)\b", re.I)
_ACTION = re.compile(r"\b(share|subscribe|sign up|newsletter|comment|comments|reply|click|"
                     r"follow|read more|related|login|log in|register|print|email|e-mail|"
                     r"recommend|advertisement|cookie|menu|home|back to)\b", re.I)
_HANDLE = re.compile(r"(?<!\w)@\w{2,}")
_LINK = re.compile(r"https?://|www\.|\b\w+\.(com|org|net|co|ir|iq)\b", re.I)
_WORD = re.compile(r"[^\W\d_]{5,}")
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]?$|[\"”]$")
_TOKEN = re.compile(r"\w+(?:[’'-]\w+)*")

FEATURES = (
    "log_words", "log_chars", "ends_sentence", "ends_bracket", "starts_upper", "cap_ratio",
    "digit_ratio", "punct_ratio", "function_ratio", "sentences", "has_handle", "has_link",
    "has_pipe", "has_slash", "has_quote", "agency", "media_word", "action_word",
    "word_overlap", "next_is_date", "prev_is_date", "short_block",
)


def line_features(texts: list[str], k: int, blocks: list[int] | None = None,
                  word_sets: list[set[str]] | None = None,
                  lines_with: Counter[str] | None = None) -> list[float]:
    """The feature vector of line k among the logical lines of one document.

    word_sets and lines_with (each line's content words, and in how many lines each word
    occurs) are the document's, computed once by document_features.
    """
    if word_sets is None or lines_with is None:
        word_sets, lines_with = _word_index(texts)
    text = texts[k]
    words = text.split()
    tokens = _TOKEN.findall(text)
    n, chars = len(words), max(len(text), 1)
    alpha_tokens = [t for t in tokens if t[0].isalpha()]
    caps = sum(1 for t in alpha_tokens if t[0].isupper()) / max(len(alpha_tokens), 1)
    function = sum(1 for t in tokens if t.casefold() in _FUNCTION_WORDS) / max(len(tokens), 1)
    punct = sum(1 for c in text if not c.isalnum() and not c.isspace()) / chars
    mine = word_sets[k]
    overlap = sum(1 for w in mine if lines_with[w] > 1) / len(mine) if mine else 1.0
    alone = 1.0 if blocks is not None and blocks[k] == 1 else 0.0
    return [
        math.log1p(n), math.log1p(chars) / 5, float(bool(_SENTENCE_END.search(text))),
        float(text.rstrip().endswith((")", "]"))), float(text[:1].isupper()), caps,
        sum(c.isdigit() for c in text) / chars, punct, function,
        min(len(re.findall(r"[.!?](?:\s|$)", text)), 5) / 5,
        float(bool(_HANDLE.search(text))), float(bool(_LINK.search(text))),
        float("|" in text), float("/" in text), float(bool(re.search(r"[\"“”]", text))),
        float(bool(_AGENCY.search(text))), float(bool(_MEDIA.search(text))),
        float(bool(_ACTION.search(text))), overlap,
        float(k + 1 < len(texts) and is_date_line(texts[k + 1])),
        float(k > 0 and is_date_line(texts[k - 1])), alone,
    ]


def _word_index(texts: list[str]) -> tuple[list[set[str]], Counter[str]]:
    word_sets = [{w.casefold() for w in _WORD.findall(t)} for t in texts]
    lines_with: Counter[str] = Counter()
    for words in word_sets:
        lines_with.update(words)
    return word_sets, lines_with


def document_features(texts: list[str], blocks: list[int] | None = None,
                      lines: Iterable[int] | None = None) -> np.ndarray:
    """Feature rows for all logical lines of one document; given ``lines``, only those
    rows are computed and the others left 0 (a line's row reads the whole document, so
    it is the same either way)."""
    out = np.zeros((len(texts), len(FEATURES)), dtype=np.float32)
    if not texts:
        return out
    word_sets, lines_with = _word_index(texts)
    for k in range(len(texts)) if lines is None else lines:
        out[k] = line_features(texts, k, blocks, word_sets, lines_with)
    return out


def block_sizes(units: list[list[int]]) -> list[int]:
    """For each logical line, how many logical lines share its block (no blank line between)."""
    sizes: list[int] = []
    start = 0
    for k in range(1, len(units) + 1):
        if k == len(units) or units[k][0] != units[k - 1][-1] + 1:
            sizes += [k - start] * (k - start)
            start = k
    return sizes


class LineClassifier:
    """Flags the logical lines of a body that a trained model is sure are boilerplate."""

    def __init__(self, model: LinearModel, threshold: float | None = None) -> None:
        self.model = model
        self.threshold = float(threshold if threshold is not None
                               else model.meta.get("threshold", 0.9))

    def probabilities(self, texts: list[str], units: list[list[int]],
                      lines: Iterable[int] | None = None) -> np.ndarray:
        """Per logical line, the probability that it is boilerplate; given ``lines``, only
        theirs are meaningful (see ``document_features``)."""
        if not texts:
            return np.zeros(0)
        features = document_features(texts, block_sizes(units), lines)
        return self.model.predict_proba(features)[:, self.model.classes.index("1")]

    def flags(self, texts: list[str], units: list[list[int]], decided: list[bool]) -> list[bool]:
        """True for each logical line to remove, given the lines already removed.

        Boilerplate comes in clusters at the edges of the article and around embeds, so a
        line is only taken where it touches one: the first or last line of the body, or
        next to a removed line. A subheading mid-article is never taken.
        """
        # Only a short line that is not a sentence may be taken: the model reads no other
        # (most of a body's lines are its prose, whose features would cost the most).
        takeable = {k for k, text in enumerate(texts)
                    if len(text.split()) <= MAX_CLASSIFIED_WORDS and not is_sentence(text)}
        probs = self.probabilities(texts, units, sorted(takeable))
        out = list(decided)
        # outwards from each removed line, so that a run of chrome goes line by line
        for k in [*range(len(texts)), *reversed(range(len(texts)))]:
            edge = k == 0 or k == len(texts) - 1
            touching = (k > 0 and out[k - 1]) or (k + 1 < len(texts) and out[k + 1])
            if (not out[k] and (edge or touching) and k in takeable
                    and probs[k] >= self.threshold):
                out[k] = True
        return [flag and not was for flag, was in zip(out, decided, strict=True)]


def is_sentence(text: str) -> bool:
    """A complete sentence of prose, or the clause that introduces a quotation: capital
    first, closing punctuation or a colon, a lowercase word that is not a function word (a
    verb or noun): "Only the mayor stayed home.", "The ministry wrote:"."""
    words = text.split()
    content = [w for w in words[1:] if w[:1].islower() and w.casefold() not in _FUNCTION_WORDS]
    closes = bool(_SENTENCE_END.search(text)) or text.rstrip().endswith(":")
    return len(words) >= 2 and text[:1].isupper() and closes and bool(content)


@lru_cache(maxsize=1)
def packaged_classifier() -> LineClassifier | None:
    """The shipped classifier; None when the model file is absent (patterns still apply)."""
    path = packaged(MODEL_FILE)
    if not path.exists():
        return None
    return LineClassifier(LinearModel.load(path))
