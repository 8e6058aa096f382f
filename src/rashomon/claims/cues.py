"""The attribution cue lexicon (attribution_cues.yaml plus users' additions), indexed."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..datafiles import load_lexicon


@dataclass(frozen=True)
class CueLexicon:
    """The attribution cues of attribution_cues.yaml, indexed for the parse."""

    verbs: dict[str, dict[str, Any]]
    nouns: dict[str, dict[str, Any]]
    phrases: dict[str, dict[str, Any]]
    passive: dict[str, dict[str, Any]]
    adverbs: dict[str, dict[str, Any]]
    object_phrases: dict[str, list[dict[str, Any]]]  # head lemma -> verb+object cues
    unnamed_skip_words: frozenset[str] = frozenset()  # sources too vague to keep unresolved
    unnamed_skip_cue_types: frozenset[str] = frozenset()
    # of those, the ones skipped only inside a quotation ("..., I think, ..."): outside
    # one, "they said", "it says" and "we know" attribute to someone the text has named
    unnamed_quoted_words: frozenset[str] = frozenset()
    colon_sources: dict[str, Any] = field(default_factory=dict)  # "NAME: words" turns
    unsaid_heads: frozenset[str] = frozenset()  # "declined to say ...": nothing said


@cache
def load_cues(extra_files: tuple[str, ...] = ()) -> CueLexicon:
    """Read the cue lexicon (and users' additions) once per process."""
    data = load_lexicon("attribution_cues", extra_files)
    phrases = data.get("phrases") or {}
    object_phrases: dict[str, list[dict[str, Any]]] = {}
    for entry in phrases.values():
        if entry.get("object"):
            object_phrases.setdefault(entry["head"], []).append(entry)
    unnamed = data.get("unnamed_sources") or {}
    return CueLexicon(
        verbs=data.get("verbs") or {}, nouns=data.get("nouns") or {},
        phrases=phrases, passive=data.get("passive_reporting") or {},
        adverbs=data.get("adverbs") or {}, object_phrases=object_phrases,
        unnamed_skip_words=frozenset(w.lower() for w in unnamed.get("skip_words") or ()),
        unnamed_skip_cue_types=frozenset(unnamed.get("skip_cue_types") or ()),
        unnamed_quoted_words=frozenset(w.lower() for w in unnamed.get("quoted_words") or ()),
        colon_sources=data.get("colon_sources") or {},
        unsaid_heads=frozenset(w.lower() for w in data.get("unsaid_heads") or ()),
    )

