"""The learned role scorers: which part of the parse is a learned cue's content, and who
its source is.

The parse proposes the candidates: for the content, the cue's clausal complement, its
object, each prepositional object, a clause marked "that"/"whether"/"if", and the clause
the cue hangs from ("“...”, he said"); for the source, the cue's subject (borrowed from a
coordinated or governing verb), a passive's by-agent, a noun cue's possessor and a
"by"/"from" object. Two logistic regressions over sparse features (the cue's own features
from ``model.features`` joined with the slot's relation, words and shape) trained on
PolNeAR (``train/attribution_roles.py``, model cards ``models/attribution_content.md`` and
``models/attribution_source.md``) score them; the best candidate above its threshold wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Token

from ..models import LinearModel, packaged
from .content import clause_span, doc_text, end_of, has_verb, subtree_without
from .cues import CueLexicon
from .model import SparseScorer, features
from .sources import subject_of

CONTENT_FILE = "attribution_content.npz"
SOURCE_FILE = "attribution_source.npz"
_MARKS = ("that", "whether", "if", "how", "why", "what")
_PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "who", "which", "that"}


@dataclass(frozen=True)
class Slot:
    """One candidate role filler: its kind, its head token and its character span."""

    kind: str
    head: Token
    start: int
    end: int


def content_slots(tok: Token) -> list[Slot]:
    """Candidate content spans of cue ``tok`` read off the parse."""
    out: list[Slot] = []
    for c in tok.children:
        if c.dep_ in ("ccomp", "parataxis") or c.dep_ == "xcomp" and has_verb(c):
            out.append(Slot(c.dep_, c, *clause_span(c)))
        elif c.dep_ in ("dobj", "attr", "oprd"):
            out.append(Slot(c.dep_, c, *clause_span(c)))
        elif c.dep_ == "prep":
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                out.append(Slot(f"prep_{c.lower_}", obj, *clause_span(obj)))
        elif c.dep_ in ("advcl", "acl", "relcl") and c.i > tok.i and any(
                m.dep_ in ("mark", "advmod") and m.lower_ in _MARKS for m in c.children):
            out.append(Slot(f"{c.dep_}_marked", c, *clause_span(c)))
    if tok.dep_ in ("parataxis", "ccomp") and tok.head.i < tok.i:
        # "“...”, he said": what the cue hangs from is what it says
        out.append(Slot("head", tok.head, *subtree_without(tok.head, tok)))
    return [s for s in out if s.end > s.start]


def slot_features(tok: Token, slot: Slot, cues: CueLexicon,
                  cue_feats: list[str] | None = None) -> list[str]:
    """The cue's features joined with what the slot is."""
    lemma = tok.lemma_.lower()
    kind = slot.kind if not slot.kind.startswith("prep_") else "prep"
    head = slot.head
    out = [f"K={slot.kind}", f"Kk={kind}", f"Kl={lemma}|{slot.kind}", f"Kp={tok.pos_}|{slot.kind}",
           f"Kh={head.pos_}|{head.tag_}", f"Kd={slot.kind}|{head.pos_}",
           f"Ke={head.ent_type_ or '-'}", f"Kv={int(has_verb(head))}",
           f"Kn={min((slot.end - slot.start) // 40, 4)}"]
    if head.lemma_.lower() in cues.nouns:
        out.append("Kcue_noun")
    if head.tag_ in ("WP", "WDT"):
        out.append("Kwh")
    if head.pos_ == "PRON":
        out.append(f"Kpron={head.lower_}")
    marks = [m.lower_ for m in head.children if m.dep_ == "mark"]
    if marks:
        out.append(f"Km={marks[0]}")
    if slot.kind in ("dobj", "attr") or kind == "prep":
        out.append(f"Ko={head.lemma_.lower()}")
    text = doc_text(tok.doc)
    if any(q in text[max(slot.start - 2, 0):slot.start + 1] for q in "“\"'‘"):
        out.append("Kquote")
    out.append(f"Kside={'after' if slot.start > tok.idx else 'before'}")
    return (cue_feats if cue_feats is not None else features(tok, cues)) + out


def source_slots(tok: Token) -> list[Slot]:
    """Candidate sources of cue ``tok`` read off the parse."""
    out: list[Slot] = []
    seen: set[int] = set()

    def add(kind: str, t: Token | None) -> None:
        if t is not None and t.i not in seen and t.i != tok.i:
            seen.add(t.i)
            out.append(Slot(kind, t, t.left_edge.idx, end_of(t.right_edge)))

    direct = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    for c in direct:
        add(c.dep_, c)
    if not direct:
        add("borrowed_subj", subject_of(tok))
        if tok.dep_ in ("advcl", "conj", "pcomp", "xcomp"):
            head = tok.head.head if tok.dep_ == "pcomp" else tok.head
            add("head_subj", subject_of(head))
    for c in tok.children:
        if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ in ("by", "from", "to"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            add(f"by_{c.lower_}", obj)
        elif c.dep_ == "poss":
            add("poss", c)
    if tok.dep_ == "dobj" and tok.pos_ == "NOUN":
        add("verb_subj", subject_of(tok.head))  # "X issued a warning"
    return out


def source_features(tok: Token, slot: Slot, cue_feats: list[str]) -> list[str]:
    """The cue's features joined with what the candidate source is."""
    head = slot.head
    lower = head.lower_
    dist = head.i - tok.i
    out = [f"S={slot.kind}", f"Sp={head.pos_}", f"St={head.tag_}", f"Se={head.ent_type_ or '-'}",
           f"Sk={slot.kind}|{head.pos_}", f"Sd={head.dep_}",
           f"Sdist={'-' if dist < 0 else '+'}{min(abs(dist), 8) // 2}",
           f"Sl={tok.lemma_.lower()}|{slot.kind}"]
    if lower in _PRONOUNS:
        out.append(f"Spron={lower}")
    if any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in head.subtree):
        out.append("Snamed")
    if head.tag_ in ("WP", "WDT"):
        out.append("Swh")
    return cue_feats + out


@cache
def load_content_scorer() -> SparseScorer | None:
    """The shipped content-slot scorer, or None where its file is absent."""
    path = packaged(CONTENT_FILE)
    return SparseScorer(LinearModel.load(path), "content") if path.exists() else None


@cache
def load_source_scorer() -> SparseScorer | None:
    """The shipped source scorer, or None where its file is absent."""
    path = packaged(SOURCE_FILE)
    return SparseScorer(LinearModel.load(path), "source") if path.exists() else None
