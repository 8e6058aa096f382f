"""The data types that flow between pipeline stages.

ingest -> RawRecord -> clean -> Document -> parse -> places / dates (Place, DateMention)
-> actors (Actor, Mention) -> events / claims (Event, Claim)
-> relations (Relation), incidents (Incident) -> store / export.

Every offset (start, end) is a character offset into the owning Document's
cleaned ``text``, end exclusive, so any item can be shown in its source span.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

# Values that ``copy.deepcopy`` gives back as they are.
_ATOMS = (str, int, float, bool, type(None))


def plain_dict(item: Any) -> dict[str, Any]:
    """``dataclasses.asdict(item)``, the same dict, made faster for the flat records the
    store writes thousands of per commit: ``asdict`` deep-copies every string and number
    through ``copy.deepcopy`` (most of a commit's time), which gives them back unchanged."""
    return {f.name: _plain(getattr(item, f.name)) for f in fields(item)}


def _plain(value: Any) -> Any:
    """What ``asdict`` makes of a field's value."""
    if type(value) in _ATOMS:
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return plain_dict(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        return type(value)(*[_plain(v) for v in value])
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return type(value)((_plain(k), _plain(v)) for k, v in value.items())
    return copy.deepcopy(value)


@dataclass
class RawRecord:
    """One article as read from an input, before cleaning."""

    id: str
    source: str  # where it came from: path, path:line, or URL
    format: str  # txt, md, html, jsonl, json, csv, feed, url
    text: str | None = None
    html: str | None = None
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class IngestProblem:
    """A file, line or URL that could not be read; reported, never fatal to the run.

    ``skipped`` is False for a problem that was repaired (the record is still read).
    """

    source: str
    problem: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


@dataclass
class Comment:
    author: str | None
    text: str
    date: str | None = None


@dataclass
class Document:
    """A cleaned article: body text, metadata and split-off reader comments."""

    id: str
    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    comments: list[Comment] = field(default_factory=list)
    source: str | None = None
    format: str | None = None
    raw_text: str | None = None  # the text before cleaning, kept for corpus-level re-cleaning
    metadata: dict[str, Any] = field(default_factory=dict)
    fingerprint: str | None = None  # hash of the normalised body, for exact duplicates

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "author": self.author,
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published,
            "text": self.text,
            "comments": [plain_dict(c) for c in self.comments],
            "metadata": self.metadata,
        }


@dataclass
class Actor:
    """A canonical actor: from the knowledge base, or provisional (seen in text only)."""

    id: str
    name: str
    kind: str  # person, organization, state, group, media, other
    country: str | None = None
    sector: str | None = None
    aliases: list[str] = field(default_factory=list)
    provisional: bool = False
    affiliations: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "sector": self.sector,
            "aliases": sorted(set(self.aliases)),
            "provisional": self.provisional,
            "affiliations": self.affiliations,
        }


@dataclass(eq=False)  # compared by identity: two mentions may share a span
class Mention:
    """A span of text resolved to an actor, with the rule that resolved it."""

    document: str
    start: int
    end: int
    text: str
    actor: str
    rule: str  # alias, acronym, surname, pronoun, role, metonym, demonym, group, provisional
    sector: str | None = None  # the sector this mention designates ("US troops" -> MIL)
    sentence: int | None = None  # index of the sentence in the document
    in_comment: bool = False
    comment: int | None = None  # which reader comment; offsets are then into its text


@dataclass
class Place:
    document: str
    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    kind: str | None = None  # country, region, city, district, site
    geonameid: int | None = None

    def as_event_place(self) -> dict[str, Any]:
        return {"name": self.name, "lat": self.lat, "lon": self.lon,
                "country": self.country, "kind": self.kind}


@dataclass
class DateMention:
    document: str
    start: int
    end: int
    text: str
    value: str | None  # YYYY, YYYY-MM or YYYY-MM-DD, None when unresolvable
    anchor: str | None = None  # the date it was resolved against


@dataclass
class Event:
    id: str
    document: str
    start: int
    end: int
    sentence: str
    trigger: str | None
    type: str
    quad: str
    source: str | None
    target: str | None
    mode: str | None = None
    cameo: str | None = None
    negated: bool = False
    modality: str = "asserted"
    place: dict[str, Any] | None = None
    date: str | None = None
    # how the date was found: "clause", "sentence" or "narrative" (rashomon.events.dating)
    date_how: str | None = None
    reported_by: list[str] = field(default_factory=list)
    in_comment: bool = False
    comment: int | None = None  # which reader comment; offsets are then into its text
    confidence: float = 1.0
    # how likely this is its sentence's main event (rashomon.events.salience); None where
    # no salience model ran. Orders a sentence's events, main event first.
    salience: float | None = None
    intensity: float | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None
    incident: str | None = None  # the real-world incident this telling belongs to

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass
class Claim:
    id: str
    document: str
    start: int
    end: int
    sentence: str
    speaker: str | None
    cue: str
    content: str
    speaker_text: str | None = None
    cue_type: str | None = None
    direct: bool | None = None
    reported_by: list[str] = field(default_factory=list)
    about: list[str] = field(default_factory=list)
    in_comment: bool = False
    comment: int | None = None  # which reader comment; offsets are then into its text
    content_start: int | None = None
    content_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass
class Stance:
    """How one actor stands toward another as one sentence presents it (``rashomon.stance``).

    ``sign`` is +1 (for, praises, backs) or -1 (against, blames, attacks); ``probability``
    is the model's for that signed direction. ``start``/``end`` span the sentence;
    ``source_span``/``target_span`` the two mentions read.
    """

    id: str
    document: str
    start: int
    end: int
    sentence: str
    source: str
    target: str
    sign: int
    probability: float
    source_span: list[int] = field(default_factory=list)
    target_span: list[int] = field(default_factory=list)
    date: str | None = None  # a date the sentence itself gives, if any
    in_comment: bool = False
    comment: int | None = None  # which reader comment; offsets are then into its text

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass
class Relation:
    """A signed tie between two actors in one period, with its evidence."""

    a: str
    b: str
    period: str
    score: float
    sign: int
    events: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    view: str = "direct"  # direct, or rolled_up (via KB affiliations)
    stances: list[str] = field(default_factory=list)
    # What it rests on: {"kind": event|claim|stance, "id", "source", "target", "weight",
    # "dated_by": date|published}, one per piece of evidence.
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass
class Incident:
    """One real-world incident and the events (tellings) of the documents that report it."""

    id: str
    events: list[str]
    documents: list[str]
    type: str | None = None
    date: str | None = None
    place: dict[str, Any] | None = None
    actors: list[str] = field(default_factory=list)
    summary: str | None = None
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass
class DocumentAnalysis:
    """Everything the per-document stages found in one document."""

    document: Document
    mentions: list[Mention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)


@dataclass
class Analysis:
    """A whole analysed corpus, as the JSON export presents it."""

    documents: list[Document] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    # Seconds per stage: the parse, each document stage, and the corpus's relations and
    # incidents.
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": [d.to_dict() for d in self.documents],
            "actors": [a.to_dict() for a in self.actors],
            "mentions": [plain_dict(m) for m in self.mentions],
            "places": [plain_dict(p) for p in self.places],
            "dates": [plain_dict(d) for d in self.dates],
            "events": [e.to_dict() for e in self.events],
            "claims": [c.to_dict() for c in self.claims],
            "relations": [r.to_dict() for r in self.relations],
            "duplicates": self.duplicates,
            "incidents": [i.to_dict() for i in self.incidents],
            "stances": [s.to_dict() for s in self.stances],
        }
