"""The API's lists: parameters (checked, with one clear error), filters, rows and downloads.

Each list route declares its parameters once, as ``Param``s: the same declaration
checks a request's query string and writes the route's part of the OpenAPI document.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..actors.normalize import fold
from ..report.markup import anchor
from ..types import Claim, Event, Relation
from .snapshot import Snapshot

MODALITIES = ("asserted", "reported", "threatened", "planned", "hypothetical", "denied")
MAX_LIMIT = 1000


class ApiError(Exception):
    """A request the API refuses: an HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    kind: str = "string"  # string, integer, boolean
    choices: tuple[str, ...] = ()
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None

    def parse(self, raw: str) -> Any:
        if self.kind == "integer":
            try:
                value = int(raw)
            except ValueError:
                raise ApiError(400, f"{self.name}: {raw!r} is not an integer") from None
            if (self.minimum is not None and value < self.minimum) or (
                    self.maximum is not None and value > self.maximum):
                raise ApiError(400, f"{self.name}: must be between {self.minimum} and "
                                    f"{self.maximum}, got {value}")
            return value
        if self.kind == "boolean":
            if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ApiError(400, f"{self.name}: {raw!r} is not true or false")
            return raw.lower() in ("true", "1", "yes")
        if self.choices and raw not in self.choices:
            raise ApiError(400, f"{self.name}: {raw!r} is not one of {', '.join(self.choices)}")
        if not raw.strip():
            raise ApiError(400, f"{self.name}: empty value")
        return raw

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.kind}
        if self.choices:
            out["enum"] = list(self.choices)
        if self.default is not None:
            out["default"] = self.default
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out


PAGE = [
    Param("limit", "Items per page.", "integer", default=50, minimum=1, maximum=MAX_LIMIT),
    Param("offset", "Items to skip.", "integer", default=0, minimum=0, maximum=10**9),
    Param("format", "json (default) or csv, as a download.", choices=("json", "csv"),
          default="json"),
]
ACTOR = Param("actor", "Actor id, or part of a name or alias.")
PERIOD = Param("period", "YYYY, YYYY-MM or YYYY-MM-DD prefix of the date.")
OUTLET = Param("outlet", "Part of an outlet name.")

LISTS: dict[str, list[Param]] = {
    "documents": [OUTLET, PERIOD, Param("q", "Words the text must contain."), *PAGE],
    "actors": [Param("q", "Part of a name, alias or id."),
               Param("kind", "person, organization, state, group, media, other."),
               Param("country", "ISO alpha-2 country code."), *PAGE],
    "events": [ACTOR, Param("type", "PLOVER type, e.g. ASSAULT."), PERIOD, OUTLET,
               Param("modality", "How the text presents it.", choices=MODALITIES),
               Param("placed", "Only events the text places (true).", "boolean"),
               Param("document", "Document id."), *PAGE],
    "claims": [ACTOR, Param("cue_type", "assert, accuse, deny, ..."), PERIOD, OUTLET,
               Param("document", "Document id."), *PAGE],
    "relations": [ACTOR, Param("period", "YYYY."),
                  Param("view", "direct or rolled_up.", choices=("direct", "rolled_up")),
                  *PAGE],
    "outlets": [*PAGE],
    "incidents": [*PAGE],
    "places": [ACTOR, PERIOD, *PAGE],
    "search": [Param("q", "Words to find (the last also as a prefix)."),
               Param("kind", "document or claim.", choices=("document", "claim")), *PAGE],
}


def parse_query(route: str, query: Mapping[str, str], required: Iterable[str] = ()
                ) -> dict[str, Any]:
    """Checked parameters of a list route; unknown or bad ones raise ApiError(400)."""
    params = {p.name: p for p in LISTS[route]}
    unknown = sorted(set(query) - set(params))
    if unknown:
        raise ApiError(400, f"unknown parameter {unknown[0]!r}; this route takes "
                            f"{', '.join(params)}")
    out = {name: p.default for name, p in params.items()}
    for name, raw in query.items():
        out[name] = params[name].parse(raw)
    for name in required:
        if out.get(name) is None:
            raise ApiError(400, f"{name}: required")
    return out


# -- filters -------------------------------------------------------------------------------

def actor_ids(snap: Snapshot, actor: str | None) -> set[str] | None:
    """Ids matching an actor given by id or by (part of) a name or alias."""
    if actor is None:
        return None
    if actor in snap.actors:
        return {actor}
    key = ("actor-match", actor)
    if key not in snap.rows:
        wanted = fold(actor)
        snap.rows[key] = {"ids": {a.id for a in snap.analysis.actors
                                  if any(wanted in fold(n) for n in [a.name, *a.aliases])}}
    return snap.rows[key]["ids"]


def filter_events(snap: Snapshot, p: Mapping[str, Any]) -> list[Event]:
    """Events matching every filter given, in store order (indexes narrow the scan)."""
    ids = actor_ids(snap, p.get("actor"))
    if ids is not None and len(ids) == 1:
        pool = snap.events_by_actor.get(next(iter(ids)), [])
    elif ids is not None:
        found = {id(e): e for a in ids for e in snap.events_by_actor.get(a, [])}
        pool = sorted(found.values(), key=lambda e: snap.event_order[e.id])
    elif p.get("document"):
        pool = snap.events_by_doc.get(p["document"], [])
    else:
        pool = snap.analysis.events
    tests = []
    if p.get("type"):
        kind = p["type"].upper()
        tests.append(lambda e: e.type == kind)
    if p.get("period"):
        tests.append(lambda e, period=p["period"]: snap.event_date(e).startswith(period))
    if p.get("outlet"):
        outlet = fold(p["outlet"])
        docs = {d.id for d in snap.analysis.documents if outlet in fold(snap.outlet(d.id))}
        tests.append(lambda e: e.document in docs)
    if p.get("modality"):
        tests.append(lambda e, modality=p["modality"]: e.modality == modality)
    if p.get("placed"):
        tests.append(is_placed)
    if p.get("document"):
        tests.append(lambda e, doc=p["document"]: e.document == doc)
    if not tests:
        return list(pool)
    return [e for e in pool if all(test(e) for test in tests)]


def is_placed(e: Event) -> bool:
    """The text places it: a place with coordinates, in the article body."""
    place = e.place or {}
    return not e.in_comment and place.get("lat") is not None and place.get("lon") is not None


def filter_claims(snap: Snapshot, p: Mapping[str, Any]) -> list[Claim]:
    ids = actor_ids(snap, p.get("actor"))
    outlet = fold(p["outlet"]) if p.get("outlet") else None

    def published(c: Claim) -> str:
        doc = snap.docs.get(c.document)
        return doc.published or "" if doc else ""

    return [
        c for c in snap.analysis.claims
        if (ids is None or c.speaker in ids or ids & set(c.about))
        and (not p.get("cue_type") or c.cue_type == p["cue_type"])
        and (not p.get("period") or published(c).startswith(p["period"]))
        and (outlet is None or outlet in fold(snap.outlet(c.document)))
        and (not p.get("document") or c.document == p["document"])
    ]


def filter_relations(snap: Snapshot, p: Mapping[str, Any]) -> list[Relation]:
    ids = actor_ids(snap, p.get("actor"))
    view = p.get("view") or "direct"
    rels = [r for r in snap.relations
            if r.view == view and (not p.get("period") or r.period == p["period"])
            and (ids is None or r.a in ids or r.b in ids)]
    return sorted(rels, key=lambda r: (r.period, -abs(r.score), r.a, r.b))


# -- rows ----------------------------------------------------------------------------------

def evidence_url(kind: str, item_id: str, document: str, in_comment: bool = False) -> str:
    """Where an item's text span is shown: its document page, scrolled to the span."""
    base = f"/documents/{_quote(document)}"
    return base if in_comment else f"{base}#{anchor('span-' + kind, item_id)}"


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def event_row(snap: Snapshot, e: Event) -> dict[str, Any]:
    """An event as the API shows it (made once per snapshot: the rows are read-only)."""
    row = snap.rows.get(("ev", e.id))
    if row is None:
        row = snap.rows[("ev", e.id)] = _event_row(snap, e)
    return row


def _event_row(snap: Snapshot, e: Event) -> dict[str, Any]:
    return {**e.to_dict(), "source_name": snap.names.get(e.source or ""),
            "target_name": snap.names.get(e.target or ""), "outlet": snap.outlet(e.document),
            "shown_date": snap.event_date(e),
            "evidence": evidence_url("ev", e.id, e.document, e.in_comment)}


def claim_row(snap: Snapshot, c: Claim) -> dict[str, Any]:
    row = snap.rows.get(("cl", c.id))
    if row is None:
        row = snap.rows[("cl", c.id)] = _claim_row(snap, c)
    return row


def _claim_row(snap: Snapshot, c: Claim) -> dict[str, Any]:
    return {**c.to_dict(), "speaker_name": snap.names.get(c.speaker or ""),
            "outlet": snap.outlet(c.document),
            "evidence": evidence_url("cl", c.id, c.document, c.in_comment)}


def relation_row(snap: Snapshot, r: Relation) -> dict[str, Any]:
    return {**r.to_dict(), "a_name": snap.names.get(r.a, r.a),
            "b_name": snap.names.get(r.b, r.b),
            "evidence": [evidence_of(snap, i) for i in [*r.events, *r.claims, *r.stances]]}


def evidence_of(snap: Snapshot, item_id: str) -> dict[str, Any]:
    """One event, claim or stance id as the sentence it rests on and a link to its span."""
    if item_id in snap.events:
        e = snap.events[item_id]
        return {"kind": "event", "id": e.id, "document": e.document, "sentence": e.sentence,
                "label": f"{e.type}: {snap.names.get(e.source or '', '?')} → "
                         f"{snap.names.get(e.target or '', '?')} ({e.modality})",
                "outlet": snap.outlet(e.document),
                "url": evidence_url("ev", e.id, e.document, e.in_comment)}
    st = snap.stances.get(item_id)
    if st is not None:
        sign = "for" if st.sign > 0 else "against"
        return {"kind": "stance", "id": st.id, "document": st.document, "sentence": st.sentence,
                "label": f"{snap.names.get(st.source, st.source)} {sign} "
                         f"{snap.names.get(st.target, st.target)} (p={st.probability:.2f})",
                "outlet": snap.outlet(st.document),
                "url": evidence_url("st", st.id, st.document, st.in_comment)}
    c = snap.claims.get(item_id)
    if c is None:
        return {"kind": "unknown", "id": item_id}
    return {"kind": "claim", "id": c.id, "document": c.document, "sentence": c.sentence,
            "label": f"{snap.names.get(c.speaker or '', c.speaker_text or '?')} {c.cue}",
            "outlet": snap.outlet(c.document),
            "url": evidence_url("cl", c.id, c.document, c.in_comment)}


def document_row(snap: Snapshot, doc_id: str) -> dict[str, Any]:
    d = snap.docs[doc_id]
    return {"id": d.id, "title": d.title, "author": d.author, "outlet": d.outlet,
            "published": d.published, "url": d.url, "words": len(d.text.split()),
            "comments": len(d.comments), "events": len(snap.events_by_doc.get(d.id, [])),
            "claims": len(snap.claims_by_doc.get(d.id, [])),
            "link": f"/documents/{_quote(d.id)}"}


def actor_row(snap: Snapshot, actor_id: str) -> dict[str, Any]:
    a = snap.actors[actor_id]
    return {**a.to_dict(), "mentions": snap.mention_counts.get(a.id, 0),
            "documents": len(snap.mention_docs.get(a.id, ())),
            "link": f"/actors/{_quote(a.id)}"}


def outlet_rows(snap: Snapshot) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for d in snap.analysis.documents:
        name = snap.outlet(d.id)
        row = rows.setdefault(name, {"outlet": name, "documents": 0, "events": 0, "claims": 0,
                                     "first": None, "last": None})
        row["documents"] += 1
        row["events"] += len(snap.events_by_doc.get(d.id, []))
        row["claims"] += len(snap.claims_by_doc.get(d.id, []))
        if d.published:
            row["first"] = min(row["first"] or d.published, d.published)
            row["last"] = max(row["last"] or d.published, d.published)
    return sorted(rows.values(), key=lambda r: (-r["documents"], r["outlet"]))


def place_rows(snap: Snapshot, events: list[Event]) -> list[dict[str, Any]]:
    """Event places with coordinates, one row per place name, with its events."""
    points: dict[str, dict[str, Any]] = {}
    for e in events:
        if not is_placed(e):
            continue
        place = e.place or {}
        name = str(place.get("name") or f"{place['lat']}, {place['lon']}")
        row = points.setdefault(name, {"name": name, "lat": float(place["lat"]),
                                       "lon": float(place["lon"]),
                                       "country": place.get("country"), "events": []})
        row["events"].append({"id": e.id, "type": e.type, "date": snap.event_date(e),
                              "label": f"{snap.names.get(e.source or '', '?')} → "
                                       f"{snap.names.get(e.target or '', '?')}",
                              "url": evidence_url("ev", e.id, e.document)})
    return sorted(points.values(), key=lambda r: (-len(r["events"]), r["name"]))


# -- pages of results ----------------------------------------------------------------------

def page(rows: list[Any], p: Mapping[str, Any]) -> tuple[int, list[Any]]:
    offset, limit = p.get("offset") or 0, p.get("limit") or 50
    return len(rows), rows[offset:offset + limit]


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV; lists and objects in cells are written as JSON."""
    out = io.StringIO()
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False)
                         if isinstance(v, list | dict) else v for k, v in row.items()})
    return out.getvalue()


def jsonable(value: Any) -> Any:
    """Dataclasses and sets as JSON values (for the incidents rows of unknown shape)."""
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    if isinstance(value, set | tuple):
        return list(value)
    if isinstance(value, bytes):
        return None
    return value if isinstance(value, str | int | float | bool | list | dict | None) \
        else str(value)
