"""Which of a sentence's events is the sentence's main event: a learned salience score.

A sentence often holds several events: "Police arrested protesters who had attacked a
convoy, officials said" codes an arrest, an assault (in a relative clause) and maybe an
accusation. The gate's confidence says how likely each is an event coded right, not which
one the sentence is about; sentence-level coders (PLV, PLOVER) code the main one. The
salience model (``event_salience.npz``, a binary logistic regression trained on PLV's
marked events, ``train/event_salience.py``) scores each kept event by where it sits in the
parse (the sentence's root or a clause under it: relative, adverbial, complement,
coordinated; its depth; inside a statement), how it was found, its types, the roles it
fills, its place among the sentence's events, and the gate's confidence relative to the
sentence's other events. The score is the event's ``salience``: it orders a sentence's
events (main event first) and changes nothing about which events exist.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Token

from ..models import LinearModel, packaged
from ..parse import token_sentence
from ..types import Event
from .typing_model import Candidate, featurize

#: The candidate's own indicators the salience model reads (prefixes of its features).
OWN_FEATURES = ("how=", "type=", "dep=", "roles=", "modality=", "tag=", "weak=")
OWN_FLAGS = ("passive", "negated", "subordinate", "reported")
#: Clause relations worth naming on the path from the trigger to the sentence's root.
CLAUSES = ("relcl", "advcl", "ccomp", "xcomp", "acl", "pcomp", "conj", "pobj", "dobj",
           "nsubj", "nsubjpass", "parataxis", "csubj", "appos", "prep", "compound")
#: The dense columns, in order (:func:`salience_rows`).
DENSE = ("confidence", "confidence_gap", "position")


def anchor_of(doc: Doc, event: Event) -> Token | None:
    """The head word of the event's trigger (the span's syntactic root)."""
    if event.trigger_start is None or event.in_comment:
        return None
    span = doc.char_span(event.trigger_start, event.trigger_end or event.trigger_start + 1,
                         alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _path(token: Token) -> tuple[list[str], int]:
    """The clause relations between a token and its sentence's root, and the depth."""
    deps, depth, node = [], 0, token
    while node.head.i != node.i and depth < 12:  # the root is its own head
        deps.append(node.dep_)
        node, depth = node.head, depth + 1
    return deps, depth


def salience_rows(doc: Doc, events: Sequence[Event], candidates: Sequence[Candidate | None],
                  ) -> tuple[list[list[str]], np.ndarray, list[int]]:
    """Each event's indicator features, its dense columns (:data:`DENSE`) and the number of
    its sentence (events grouped by the sentence their trigger is in). ``candidates[i]``
    is the candidate ``events[i]`` came from (None: no parse features)."""
    anchors = [anchor_of(doc, e) for e in events]
    sentence_of: list[int] = []
    for e, a in zip(events, anchors, strict=True):
        sentence_of.append(token_sentence(a).start if a is not None else -1 - e.start)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sentence_of):
        groups[s].append(i)
    feats: list[list[str]] = []
    dense = np.zeros((len(events), len(DENSE)), np.float32)
    for i, (event, anchor, cand) in enumerate(zip(events, anchors, candidates, strict=True)):
        group = groups[sentence_of[i]]
        order = sorted(group, key=lambda j: (events[j].trigger_start or events[j].start))
        rank = order.index(i)
        best = max(events[j].confidence for j in group)
        triggers = {events[j].trigger_start for j in group}
        shared = sum(events[j].trigger_start == event.trigger_start for j in group)
        out = [f"final={event.type}", f"quad={event.quad}", "bias",
               f"events={min(len(triggers), 4)}",
               "first" if rank == 0 else ("last" if rank == len(order) - 1 else "middle"),
               "most_confident" if event.confidence >= best else "less_confident",
               f"shared_trigger={shared > 1}",
               f"reported_by={min(len(event.reported_by), 2)}"]
        if cand is not None:
            out += [f for f in cand.features if f.startswith(OWN_FEATURES) or f in OWN_FLAGS]
            out.append(f"kept_type={cand.lexicon_type == event.type}")
        if anchor is not None:
            deps, depth = _path(anchor)
            out += [f"depth={min(depth, 4)}", f"root={depth == 0}"]
            out += sorted({f"under={d}" for d in deps if d in CLAUSES})
            if deps:
                top = next((d for d in reversed(deps) if d in CLAUSES), deps[-1])
                out.append(f"top_clause={top}")
            sent = token_sentence(anchor)
            # ``len(sent.text)``, without joining the sentence's words
            position = (anchor.idx - sent.start_char) / max(1, sent.end_char - sent.start_char)
        else:
            out.append("no_anchor")
            position = 0.0
        dense[i] = (event.confidence, best - event.confidence, position)
        feats.append(out)
    return feats, dense, sentence_of


class SalienceModel:
    """Scores a document's events; the score is each event's ``salience``."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model

    def score(self, doc: Doc, events: Sequence[Event],
              candidates: Sequence[Candidate | None]) -> np.ndarray:
        if not events:
            return np.zeros(0, np.float32)
        feats, dense, _ = salience_rows(doc, events, candidates)
        return self.model.predict_proba(featurize(feats, dense))[:, 1]

    def apply(self, doc: Doc, events: Sequence[Event],
              candidates: Sequence[Candidate | None]) -> None:
        """Set each event's ``salience``."""
        for event, p in zip(events, self.score(doc, events, candidates), strict=True):
            event.salience = round(float(p), 3)


@cache
def load_salience_model(directory: str | None = None) -> SalienceModel | None:
    """The shipped model (or the one in ``directory``); None where there is none."""
    path = Path(directory) / "event_salience.npz" if directory else packaged(
        "event_salience.npz")
    return SalienceModel(LinearModel.load(path)) if path.exists() else None
