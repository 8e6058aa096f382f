"""Find the places a parsed document names and resolve them against the gazetteer.

Spans come from three sources:
- spaCy GPE, LOC and FAC entities (and ORG entities, which the small English model gives
  to many unfamiliar Middle East names: "Sinjar", "Bashiqa"),
- a token matcher over the curated gazetteer names, for districts and sites spaCy misses
  ("Sadr City", "Green Zone", "Makhmour"),
- the appositive cue "the city/town/province of X".

Resolution runs in two passes: first the document's country context (countries it names,
and places that can only be in one country), then every span is resolved with that
context, so "Tripoli" in an article about Lebanon is Tripoli, Lebanon.
Demonyms are never places: "the southern Iraqi city of Basra" yields Basra, not Iraq.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rashomon.parse import doc_ents, doc_text, tokens_in
from rashomon.places.gazetteer import Gazetteer, PlaceCandidate
from rashomon.places.normalize import normalize_name
from rashomon.types import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Labels that never hold a place; a curated-name match lying inside such an entity is part
# of another name ("Gulf" in "Gulf Cooperation Council").
NON_PLACE_LABELS = frozenset({"PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "LAW",
                              "PRODUCT", "LANGUAGE"})

# Head words that name the kind of place after or before its name: "Basra city",
# "Nineveh province", "the city of Basra".
GENERIC_HEADS = {
    "city": "city", "town": "city", "village": "city", "port": "city",
    "province": "region", "governorate": "region", "region": "region",
    "district": "district", "neighbourhood": "district", "neighborhood": "district",
    "suburb": "district",
}

# Country-context weights (see _country_context). A named country counts fully; a place
# that exists in one country only ("Baghdad", "Sadr City") half, because it usually
# co-occurs with its country's name and should not outweigh a second named country.
NAMED_COUNTRY_WEIGHT = 1.0
UNAMBIGUOUS_PLACE_WEIGHT = 0.5

# A spaCy place entity matched only through a GeoNames alternate spelling, outside the
# document's countries, is kept only for towns of this size; smaller ones are mostly
# transliteration collisions with person names and words. Set on the reference articles'
# entities, where all false hits were alias matches of towns under 50 000 people.
ALIAS_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class _Span:
    start: int  # character offsets into doc.text
    end: int
    text: str
    origin: str  # ner (GPE/LOC/FAC), org (ORG entity), gazetteer (curated name), cue
    kind_hint: str | None = None


def extract_places(doc: Doc, document_id: str, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Places named in ``doc``, one per mention, in text order.

    Spans that no gazetteer entry accounts for are skipped: no place is invented.
    """
    gazetteer = gazetteer or Gazetteer.load()
    spans = _dedupe(_candidate_spans(doc, gazetteer))
    context = _country_context(spans, gazetteer)
    resolved: list[tuple[_Span, PlaceCandidate]] = []
    for span in spans:
        candidate = gazetteer.resolve(span.text, context, span.kind_hint)
        if candidate is not None and _acceptable(candidate, span, context, gazetteer):
            resolved.append((span, candidate))
    return [
        Place(document=document_id, start=span.start, end=span.end, name=cand.name,
              lat=cand.lat, lon=cand.lon, country=cand.country, kind=cand.kind,
              geonameid=cand.geonameid)
        for span, cand in _without_overlaps(resolved)
    ]


def _country_context(spans: list[_Span], gazetteer: Gazetteer) -> dict[str, float]:
    """Weights of the countries a document is about, from names that need no context.

    ORG entities do not count: they are places only if the context says so.
    """
    weights: dict[str, float] = {}
    for span in spans:
        if span.origin == "org":
            continue
        country, weight = _own_country(span, gazetteer)
        if country is not None:
            weights[country] = weights.get(country, 0.0) + weight
    return weights


def _own_country(span: _Span, gazetteer: Gazetteer) -> tuple[str | None, float]:
    """The country a span names or can only lie in, with its context weight."""
    candidates = gazetteer.lookup(span.text)
    for cand in candidates:
        if cand.kind == "country":
            return cand.country, NAMED_COUNTRY_WEIGHT
    owners = {c.country for c in candidates}
    if len(owners) == 1 and None not in owners:
        return owners.pop(), UNAMBIGUOUS_PLACE_WEIGHT
    return None, 0.0


def _acceptable(candidate: PlaceCandidate, span: _Span, context: Mapping[str, float],
                gazetteer: Gazetteer) -> bool:
    if span.origin in ("gazetteer", "cue"):
        return True
    # The context other mentions give the candidate's country, so that a name cannot
    # vouch for itself (a lone "NATO" would otherwise put the Philippine town Nato in
    # context).
    support = context.get(candidate.country or "", 0.0)
    if span.origin != "org":
        own_country, own_weight = _own_country(span, gazetteer)
        if own_country == candidate.country:
            support -= own_weight
    if span.origin == "org":
        # An ORG entity is a place only when it is a country or lies in a country the
        # document names: "Sinjar" in an article about Iraq, not "AP" matching Apen.
        return candidate.kind == "country" or support >= NAMED_COUNTRY_WEIGHT
    return (candidate.kind == "country" or candidate.curated or support > 0
            or gazetteer.is_primary(candidate, span.text)
            or candidate.population >= ALIAS_MIN_POPULATION)


# ---------------------------------------------------------------------- span finding
def _candidate_spans(doc: Doc, gazetteer: Gazetteer) -> Iterator[_Span]:
    for ent in doc_ents(doc):
        if ent.label_ in PLACE_LABELS:
            yield from _entity_pieces(ent, "ner", gazetteer)
        elif ent.label_ == "ORG":
            yield from _entity_pieces(ent, "org", gazetteer)
    yield from _curated_matches(doc, gazetteer)
    yield from _cue_spans(doc, gazetteer)


def _trim(tokens: list[Token]) -> list[Token]:
    """Drop a leading "the" and a trailing possessive ("the Green Zone", "Iran's")."""
    while tokens and tokens[0].lower_ == "the":
        tokens = tokens[1:]
    while tokens and tokens[-1].lower_ in ("'s", "’s", "'", "’"):
        tokens = tokens[:-1]
    return tokens


def _make_span(doc: Doc, tokens: list[Token], origin: str, hint: str | None = None) -> _Span:
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return _Span(start, end, doc_text(doc)[start:end], origin, hint)


def _entity_pieces(ent: Span, origin: str, gazetteer: Gazetteer) -> Iterator[_Span]:
    """The gazetteer-known parts of an entity.

    The whole entity when the gazetteer knows it; else its parts split at possessives and
    commas ("Baghdad's Sadr City", "Najaf, Iraq"); else the name without a generic head
    ("Basra city" -> Basra, as a city).
    """
    doc = ent.doc
    tokens = _trim(list(ent))
    if not tokens:
        return
    whole = _make_span(doc, tokens, origin)
    if gazetteer.lookup(whole.text):
        yield whole
        return
    parts: list[list[Token]] = [[]]
    for tok in tokens:
        if tok.lower_ in ("'s", "’s", ","):
            parts.append([])
        else:
            parts[-1].append(tok)
    if len(parts) > 1:
        for part in parts:
            part = _trim(part)
            if part and gazetteer.lookup(_make_span(doc, part, origin).text):
                yield _make_span(doc, part, origin)
        return
    hint = GENERIC_HEADS.get(tokens[-1].lower_) if len(tokens) > 1 else None
    if hint is not None:
        yield _make_span(doc, tokens[:-1], origin, hint)


@lru_cache(maxsize=1 << 16)  # the same capitalised runs recur across a corpus
def _curated_key(text: str) -> str:
    return normalize_name(text)


def _curated_matches(doc: Doc, gazetteer: Gazetteer) -> Iterator[_Span]:
    """Longest capitalised token runs whose normalised text is a curated gazetteer name."""
    blocked = _BlockingEntities(doc)
    longest = gazetteer.max_curated_words
    text = doc_text(doc)
    # each token's offset and text read once: a run's text is a slice of the document's
    starts, words = [], []
    for tok in doc:
        starts.append(tok.idx)
        words.append(tok.text)
    capitalised = [word[:1].isupper() for word in words]
    i = 0
    while i < len(words):
        matched = 0
        if capitalised[i]:
            for length in range(min(longest, len(words) - i), 0, -1):
                last = i + length - 1
                if not capitalised[last]:
                    continue
                start, end = starts[i], starts[last] + len(words[last])
                if _curated_key(text[start:end]) in gazetteer.curated_keys:
                    if not blocked.blocks(start, end):
                        matched = length
                    break
        if matched:
            yield _make_span(doc, _trim(list(doc[i:i + matched])) or [doc[i]], "gazetteer")
            i += matched
        else:
            i += 1


class _BlockingEntities:
    """The non-place entities, by position (entities do not overlap, so the one that can
    hold a span is the last to start at or before it)."""

    def __init__(self, doc: Doc) -> None:
        self.entities = [(e.start_char, e.end_char, e.label_) for e in doc_ents(doc)
                         if e.label_ in NON_PLACE_LABELS]
        self.starts = [e[0] for e in self.entities]

    def blocks(self, start: int, end: int) -> bool:
        """A match is another name's part: inside a longer non-place entity, or a PERSON.

        A match equal to an ORG entity is kept: the model tags unknown place names ORG.
        """
        at = bisect_right(self.starts, start) - 1
        if at < 0:
            return False
        e_start, e_end, label = self.entities[at]
        return end <= e_end and (label == "PERSON" or (e_start, e_end) != (start, end))


def _cue_spans(doc: Doc, gazetteer: Gazetteer) -> Iterator[_Span]:
    """X in "the city of X", "the province of X": the text says X is a place."""
    last = len(doc) - 2  # "of" and a name follow the word
    for tok in tokens_in(doc, GENERIC_HEADS):
        hint = GENERIC_HEADS[tok.lower_]
        if tok.i >= last or doc[tok.i + 1].lower_ != "of":
            continue
        run = []
        for nxt in doc[tok.i + 2:]:
            if nxt.pos_ != "PROPN" and nxt.lower_ not in ("-", "al", "el"):
                break
            run.append(nxt)
        run = _trim(run)
        if run and gazetteer.lookup(_make_span(doc, run, "cue").text):
            yield _make_span(doc, run, "cue", hint)


# ---------------------------------------------------------------------- clean-up
def _dedupe(spans: Iterator[_Span]) -> list[_Span]:
    """One span per offset pair; a span with a kind hint beats the same span without."""
    best: dict[tuple[int, int], _Span] = {}
    for span in spans:
        key = (span.start, span.end)
        if key not in best or (span.kind_hint and not best[key].kind_hint):
            best[key] = span
    return sorted(best.values(), key=lambda s: (s.start, -(s.end - s.start)))


def _without_overlaps(
    resolved: list[tuple[_Span, PlaceCandidate]],
) -> list[tuple[_Span, PlaceCandidate]]:
    """Keep the longest of overlapping resolved spans ("Persian Gulf" over "Gulf")."""
    kept: list[tuple[_Span, PlaceCandidate]] = []
    # the kept spans never overlap, so in start order their ends ascend too: a new span
    # can only overlap its two neighbours in that order
    starts: list[int] = []
    ends: list[int] = []
    for span, cand in sorted(resolved, key=lambda r: -(r[0].end - r[0].start)):
        at = bisect_right(starts, span.start)
        if (at > 0 and ends[at - 1] > span.start) or (at < len(starts)
                                                       and starts[at] < span.end):
            continue
        starts.insert(at, span.start)
        ends.insert(at, span.end)
        kept.append((span, cand))
    return sorted(kept, key=lambda r: r[0].start)
