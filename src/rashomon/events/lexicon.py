"""The trigger, ontology and label lexicons, indexed for matching parsed tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from spacy.tokens import Token

from ..actors.kb import expletive_verbs
from ..datafiles import load_lexicon


@dataclass(frozen=True)
class Code:
    """A coded event class: PLOVER type and mode with their CAMEO, quad and intensity."""

    type: str
    mode: str | None
    cameo: str | None
    quad: str
    intensity: float | None
    # done with one another: "X and Y met" is X meeting Y (ontology.yaml ``reciprocal``)
    reciprocal: bool = False


#: Prepositions that aim an attack at its target alike ("fired rockets at / on / against /
#: into the base"): an assault phrase the lexicon writes with one matches with the others.
ASSAULT_DIRECTIONS = ("at", "on", "against", "into", "upon")


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    head: str
    entry: dict[str, Any]


@dataclass
class EventLexicon:
    """event_triggers.yaml and ontology.yaml, indexed for matching parsed tokens."""

    ontology: dict[str, Any]
    verbs: dict[str, dict[str, Any]]
    phrases: dict[str, list[Phrase]]  # head lemma -> phrases, longest first
    nouns: dict[str, dict[str, Any]]
    compounds: dict[str, dict[tuple[str, ...], dict[str, Any]]]  # head lemma -> modifiers
    light_verbs: dict[str, dict[str, Any]]
    reversal_verbs: dict[str, dict[str, Any]]
    lemma_corrections: dict[str, str]  # the parser's lemma -> the right one
    labels: dict[str, dict[str, Any]]  # label lemma -> the code of pinning it on someone
    # "X of Y" nominal triggers ("state of siege"), keyed by (X, Y)
    of_nouns: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # nouns for documents that speak for their issuer ("a statement calling on X")
    speech_documents: frozenset[str] = frozenset()
    # buildings and sites that stand for whoever a clause on them ties them to
    facility_nouns: frozenset[str] = frozenset()
    # words of a vote, under which "routed", "ousted" name electoral defeat
    contest_words: frozenset[str] = frozenset()
    # roads, bridges and crossings: blocking one is an obstruction, not a veto
    route_nouns: frozenset[str] = frozenset()
    # verbs whose subject "it" stands for no one (resolution.yaml, shared with the actors)
    expletive_verbs: frozenset[str] = frozenset()
    # word forms whose lemma the lemmatiser confuses with another word's ("bases" -> "basis")
    form_lemmas: dict[str, str] = field(default_factory=dict)

    @cached_property
    def noun_heads(self) -> frozenset[str]:
        """Every word a noun entry is keyed by: a single noun, a compound's head, the X of
        "X of Y". A noun that is none of these has no entry, whatever its modifiers."""
        return frozenset(self.nouns) | frozenset(self.compounds) | frozenset(
            head for head, _ in self.of_nouns)

    def lemma(self, tok: Token) -> str:
        """The token's lemma, corrected where the parser's lemmatiser is known to be wrong."""
        form = self.form_lemmas.get(tok.lower_)
        if form is not None:
            return form
        lemma = tok.lemma_.lower()
        return self.lemma_corrections.get(lemma, lemma)

    def code(self, type_: str, mode: str | None) -> Code | None:
        """CAMEO code, quad class and intensity of a type/mode, with the type's defaults."""
        t = self.ontology.get(type_)
        if t is None:
            return None
        m = (t.get("modes") or {}).get(mode) if mode else None
        if m is None:
            mode = None
        m = m or {}
        return Code(type=type_, mode=mode, cameo=m.get("cameo") or t.get("cameo"),
                    quad=m.get("quad") or t["quad"],
                    intensity=m.get("intensity", t.get("intensity")),
                    reciprocal=bool(m.get("reciprocal", t.get("reciprocal", False))))


    def plover_root(self, type_: str, mode: str | None) -> str:
        """The PLOVER 2021 root of a type/mode: the mode's ``plover`` where the ontology
        names one (REQUEST/demand is DEMAND), else the type."""
        modes = (self.ontology.get(type_) or {}).get("modes") or {}
        return (modes.get(mode) or {}).get("plover") or type_ if mode else type_


@cache
def load_event_lexicon(extra_files: tuple[str, ...] = ()) -> EventLexicon:
    """Read the trigger, ontology and label lexicons and the expletive verbs of the
    resolution rules (and users' additions) once per process."""
    triggers = load_lexicon("event_triggers", extra_files)
    ontology = load_lexicon("ontology", extra_files).get("types") or {}
    phrases: dict[str, list[Phrase]] = {}
    written = {tuple(w for w in key.lower().split() if w not in ("a", "an", "the")): entry
               for key, entry in (triggers.get("phrases") or {}).items()}
    for words, entry in written.items():
        variants = [words]
        if entry.get("type") == "ASSAULT" and words[-1] in ASSAULT_DIRECTIONS:
            variants += [(*words[:-1], other) for other in ASSAULT_DIRECTIONS
                         if (*words[:-1], other) not in written]
        for variant in variants:
            phrases.setdefault(entry.get("head", words[0]), []).append(
                Phrase(variant, words[0], entry))
    for group in phrases.values():
        group.sort(key=lambda p: -len(p.words))
    nouns, compounds, of_nouns = {}, {}, {}
    for key, entry in (triggers.get("nouns") or {}).items():
        words = tuple(key.lower().split())
        if len(words) == 1:
            nouns[words[0]] = entry
        elif len(words) == 3 and words[1] == "of":
            # the parse hangs "of Y" from X, so "state of siege" is found from its head X
            of_nouns[(words[0], words[2])] = entry
        else:
            compounds.setdefault(words[-1], {})[words[:-1]] = entry
    light = {}
    for key, entry in (triggers.get("light_verbs") or {}).items():
        light[entry.get("head", key.split()[0])] = {**entry, "key": key}
    reversal = {}
    for key, entry in (triggers.get("reversal_verbs") or {}).items():
        reversal[entry.get("head", key.split()[0])] = {**entry, "key": key}
    polarities = load_lexicon("labels", extra_files)
    labels = {word: group["code"] for group in polarities.values()
              for word in group.get("words") or ()}
    return EventLexicon(ontology=ontology, verbs=triggers.get("verbs") or {}, phrases=phrases,
                        nouns=nouns, compounds=compounds, light_verbs=light,
                        reversal_verbs=reversal,
                        lemma_corrections=triggers.get("lemma_corrections") or {},
                        form_lemmas=triggers.get("form_lemmas") or {},
                        labels=labels, of_nouns=of_nouns,
                        speech_documents=frozenset(triggers.get("speech_documents") or ()),
                        facility_nouns=frozenset(triggers.get("facility_nouns") or ()),
                        contest_words=frozenset(triggers.get("contest_words") or ()),
                        route_nouns=frozenset(triggers.get("route_nouns") or ()),
                        expletive_verbs=expletive_verbs(load_lexicon("resolution", extra_files)))

