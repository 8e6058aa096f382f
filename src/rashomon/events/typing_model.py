"""The learned decision behind the candidate finder: is a candidate an event, and of what type.

The rules propose candidates generously; two linear models trained on data decide:

* ``event_type.npz`` gives the PLOVER type of a candidate (PLOVER 2021 merges our CONCEDE
  and RETREAT into YIELD; a YIELD prediction keeps the candidate's own one of the two, else
  CONCEDE). Quad class, CAMEO root and intensity then follow from the ontology.
* ``event_gate.npz`` gives the probability that the candidate is an event a reader would
  code as told (its roles and class right); a candidate under the model's threshold is not
  an event, and the probability becomes the event's confidence.

Features (built by :func:`featurize`): dense blocks, which each model's meta ``dense``
lists (:data:`BLOCKS`; the shipped type model reads spaCy's own token vectors of the
trigger and its sentence, free with the parse, and static wordpiece vectors of the
sentence and the trigger, a table look-up; the shipped gate reads none; the MiniLM
sentence embedding helps too but costs more than the speed budget allows), and hashed
indicator features of the parse and the rules' reading: trigger lemma, the lexicon's
type and quad, how the trigger was found (verb, phrase, light verb, noun, statement, open
clause verb), negation, modality, tense, voice, which roles an actor fills, subordinate
clause, inside someone's statement.
(Words of the trigger's clause and its objects, and an embedding of the clause alone, were
measured and added nothing over the sentence's embedding: see the model card.) Training:
``train/event_type.py``; figures in the model cards ``event_type.md``, ``event_gate.md``.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Span, Token

from ..models import LinearModel, packaged
from ..parse import doc_text, token_sentence
from ..types import Event
from .lexicon import Code, EventLexicon

#: Hashed sparse features: 2**HASH_BITS columns after the embedding's 384.
HASH_BITS = 12
#: PLOVER 2021 roots our ontology splits; the model predicts the merged label.
MERGED_TYPES = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}
#: The type that reads a refused act as what happened: turning it down.
REFUSAL = "REJECT"
#: The type of a candidate no lexicon entry codes: the model types it or it is dropped.
OPEN = "OPEN"
OPEN_CODE = Code(type=OPEN, mode=None, cameo=None, quad="open", intensity=None)


#: The dense blocks a model can read, each a vector per candidate. "minilm": the MiniLM
#: embedding of the sentence (``rashomon.embed``; run by :meth:`EventModel.decide`);
#: "tensor_trigger" / "tensor_sentence": spaCy's contextual token vectors (``doc.tensor``,
#: set by the parse we already run) of the trigger's anchor word and their mean over its
#: sentence; "static_sentence" / "static_trigger": static wordpiece vectors of the
#: sentence and of the trigger words (``rashomon.static_embed``).
BLOCKS = ("minilm", "tensor_trigger", "tensor_sentence", "static_sentence", "static_trigger")
#: The layout of a model whose meta names none (trained before the other blocks existed).
LEGACY_DENSE = {"minilm": 384}


@dataclass
class Candidate:
    """A candidate event as the rules read it, with the parse features it was found by
    and its dense vectors (block name -> vector, see BLOCKS; "minilm" is not among them)."""

    event: Event
    features: list[str] = field(default_factory=list)
    lexicon_type: str = ""
    lexicon_mode: str | None = None
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    #: negated by a refusal ("refused to meet X"): the type model may read it as one
    refused: bool = False

    def copy(self) -> Candidate:
        """A candidate with its own copy of the event (retyping changes the event)."""
        return Candidate(replace(self.event), self.features, self.lexicon_type,
                         self.lexicon_mode, self.vectors, self.refused)


class CandidateVectors:
    """The dense blocks of one parsed document's candidates, read once per sentence.
    A parse without ``doc.tensor`` (a pipeline without tok2vec) gives no tensor blocks."""

    def __init__(self, doc: Doc, blocks: Sequence[str]) -> None:
        self.doc = doc
        self.blocks = set(blocks)
        tensor = getattr(doc, "tensor", None)
        self.tensor = tensor if tensor is not None and tensor.ndim == 2 \
            and tensor.shape[0] == len(doc) and tensor.shape[1] else None
        self.static = None
        if self.blocks & {"static_sentence", "static_trigger"}:
            from ..static_embed import static_vectors

            self.static = static_vectors()
        self._sentences: dict[int, dict[str, np.ndarray]] = {}

    def __call__(self, anchor: Token, trigger: Sequence[Token]) -> dict[str, np.ndarray]:
        sent = token_sentence(anchor)
        out = dict(self._sentence(sent))
        if self.tensor is not None and "tensor_trigger" in self.blocks:
            out["tensor_trigger"] = self.tensor[anchor.i]
        if self.static is not None and "static_trigger" in self.blocks:
            words = " ".join(t.lower_ for t in trigger)  # the tokenizer is uncased
            out["static_trigger"] = self.static.vector(words)
        return out

    def _sentence(self, sent: Span) -> dict[str, np.ndarray]:
        found = self._sentences.get(sent.start)
        if found is None:
            found = self._sentences[sent.start] = {}
            if self.tensor is not None and "tensor_sentence" in self.blocks:
                # what ``mean(axis=0)`` computes, without its Python wrapper
                mean = np.add.reduce(self.tensor[sent.start:sent.end], axis=0)
                np.true_divide(mean, np.intp(len(sent)), out=mean, casting="unsafe")
                found["tensor_sentence"] = mean
            if self.static is not None and "static_sentence" in self.blocks:
                # ``sent.text``, cut from the document's text rather than joined from its words
                text = doc_text(self.doc)[sent.start_char:sent.end_char]
                found["static_sentence"] = self.static.encode([text])[0]
        return found


def dense_rows(candidates: Sequence[Candidate | None], layout: dict[str, int],
               sentences: np.ndarray | None = None) -> np.ndarray:
    """The dense columns of a model with ``layout`` (block -> width, in order) for each
    candidate; ``sentences`` holds the "minilm" rows (zeros when None). A block a candidate
    lacks, or has at another width (another spaCy model), is zeros."""
    n = len(candidates)
    parts = []
    for block, width in layout.items():
        if block == "minilm":
            parts.append(np.zeros((n, width), np.float32) if sentences is None
                         else np.asarray(sentences, np.float32).reshape(n, width))
            continue
        part = np.zeros((n, width), np.float32)
        for row, cand in enumerate(candidates):
            vector = cand.vectors.get(block) if cand is not None else None
            if vector is not None and vector.shape == (width,):
                part[row] = vector
        parts.append(part)
    return np.hstack(parts) if parts else np.zeros((n, 0), np.float32)


def candidate_features(*, lemma: str, how: str, code: Code, tag: str, dep: str,
                       passive: bool, negated: bool, modality: str, has_source: bool,
                       has_target: bool, subordinate: bool, reported: bool,
                       flags: Sequence[str] = ()) -> list[str]:
    """The indicator features of one candidate (strings; hashed by :func:`featurize`);
    ``flags`` say why the rules doubt an open candidate (:class:`~.candidates.Frame`)."""
    roles = f"{'S' if has_source else '-'}{'T' if has_target else '-'}"
    out = [f"lemma={lemma}", f"how={how}", f"type={code.type}", f"quad={code.quad}",
           f"mode={code.mode}", f"tag={tag}", f"dep={dep}", f"roles={roles}",
           f"modality={modality}", f"type_roles={code.type}:{roles}",
           # a hostile act planned is a threat, a cooperative one a promise (an AGREE):
           # the class and the modality together, which a linear model cannot join itself
           f"quad_modality={code.quad}:{modality}",
           f"lemma_how={lemma}:{how}", "bias"]
    out += [name for name, on in (("passive", passive), ("negated", negated),
                                  ("subordinate", subordinate), ("reported", reported)) if on]
    out += [f"weak={flag}" for flag in flags]
    return out


@lru_cache(maxsize=1 << 14)
def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & ((1 << HASH_BITS) - 1)


def featurize(features: Sequence[Sequence[str]], embeddings: np.ndarray) -> np.ndarray:
    """Rows of [dense blocks (:func:`dense_rows`) | hashed indicators] for a model."""
    dense = np.asarray(embeddings, dtype=np.float32).reshape(len(features), -1)
    width = dense.shape[1]
    out = np.zeros((len(features), width + (1 << HASH_BITS)), dtype=np.float32)
    out[:, :width] = dense
    rows = [row for row, names in enumerate(features) for _ in names]
    columns = [width + _hash(name) for names in features for name in names]
    out[rows, columns] = 1.0  # one assignment for all the ones
    return out


class EventModel:
    """Types candidates and keeps those the gate accepts."""

    def __init__(self, typer: LinearModel | None, gate: LinearModel | None) -> None:
        self.typer, self.gate = typer, gate
        self.threshold = float((gate.meta if gate else {}).get("threshold", 0.5))
        models = {name: m for name, m in (("typer", typer), ("gate", gate)) if m is not None}
        self.layouts = {name: dict(m.meta["dense"] if "dense" in m.meta else LEGACY_DENSE)
                        for name, m in models.items()}
        # a model trained without the sentence embedding is spared its cost
        self.embeds = any("minilm" in self.layouts[name] and m.meta.get("embedding") != "none"
                          for name, m in models.items())
        #: the blocks the candidate finder must read for these models
        self.blocks = sorted({b for layout in self.layouts.values() for b in layout} - {"minilm"})

    def decide(self, candidates: list[Candidate], lexicon: EventLexicon,
               embed: bool = True) -> list[Event]:
        """The candidates' events, retyped by the type model, filtered by the gate."""
        if self.typer is None:
            candidates = [c for c in candidates if c.lexicon_type != OPEN]
        if self.typer is None and self.gate is None:
            return [c.event for c in candidates]
        if not candidates:
            return []
        from ..embed import encode

        sentences = sorted({c.event.sentence for c in candidates})
        vectors = encode(sentences) if embed and self.embeds \
            else np.zeros((len(sentences), 384), np.float32)
        row = {s: i for i, s in enumerate(sentences)}
        dense = vectors[[row[c.event.sentence] for c in candidates]]
        if self.typer is not None:
            x = featurize([c.features for c in candidates],
                          dense_rows(candidates, self.layouts["typer"], dense))
            self.retype(candidates, x, lexicon)
            keep = [i for i, c in enumerate(candidates) if c.event.type != OPEN]
            candidates, dense = [candidates[i] for i in keep], dense[keep]
            if not candidates:
                return []
        if self.gate is None:
            return [c.event for c in candidates]
        x = featurize([c.features + [f"final={c.event.type}"] for c in candidates],
                      dense_rows(candidates, self.layouts["gate"], dense))
        probs = self.gate.predict_proba(x)[:, 1]
        kept = []
        for cand, p in zip(candidates, probs, strict=True):
            if p >= self.threshold:
                cand.event.confidence = round(float(p), 3)
                kept.append(cand.event)
        return kept

    def retype(self, candidates: list[Candidate], x: np.ndarray, lexicon: EventLexicon) -> None:
        """Give each candidate the type model's type. A type (and mode) the lexicon gave
        stays unless the model is at least ``override`` sure of another (``override_same_quad``
        where the other type is of the lexicon's quad class: a change the articles' quad
        scoring does not see, so the sentence sets alone set that threshold), and always
        when its PLOVER root is none of the model's classes (a demand, for a model trained
        on PLV's labels, which have no DEMAND: the model was never taught to tell one)."""
        assert self.typer is not None
        override = float(self.typer.meta.get("override", 0.0))
        same_quad = float(self.typer.meta.get("override_same_quad", override))
        probs = self.typer.predict_proba(x)
        known = set(self.typer.classes)
        for cand, row in zip(candidates, probs, strict=True):
            label = self.typer.classes[int(row.argmax())]
            own = cand.lexicon_type
            if MERGED_TYPES.get(own, own) == label:
                continue  # the rules' type (and its mode) stands
            root = lexicon.plover_root(own, cand.lexicon_mode)
            if own != OPEN and MERGED_TYPES.get(root, root) not in known:
                continue
            if label == "YIELD":
                type_ = own if own in MERGED_TYPES else "CONCEDE"
            else:
                type_ = label
            code = lexicon.code(type_, None)
            if code is None:
                continue
            if own != OPEN and row.max() < (same_quad if code.quad == cand.event.quad
                                            else override):
                continue
            if own == "THREATEN" and code.quad.endswith("cooperation"):
                # a threat the rules read (a hostile act declared ahead, "plans to attack")
                # is never a cooperation: PLV's few threats teach the model that "plans to"
                # mostly promises, which is the act's polarity turned over
                continue
            ev = cand.event
            ev.type, ev.mode, ev.quad = code.type, code.mode, code.quad
            ev.cameo, ev.intensity = code.cameo, code.intensity
            if code.type == REFUSAL and cand.refused:
                # a refused act read as the refusal ("refused to meet X" typed REJECT): the
                # refusal is what happened, not a meeting that did not
                ev.negated = False


@cache
def load_event_model(directory: str | None = None) -> EventModel:
    """The shipped models (or those in ``directory``); a missing file leaves that step out."""
    def load(name: str) -> LinearModel | None:
        path = Path(directory) / name if directory else packaged(name)
        return LinearModel.load(path) if path.exists() else None
    return EventModel(load("event_type.npz"), load("event_gate.npz"))
