"""Filtering stored events, claims and incidents by actor, type, period and outlet (the
CLI's queries)."""

from __future__ import annotations

from collections.abc import Iterator

from .actors.normalize import fold
from .incidents.tellings import IncidentView, incident_views, matches, select
from .store import Store
from .types import Claim, Event

#: Incidents whose tellings are read from the store together: one read of their documents.
INCIDENTS_PER_READ = 200


def _actor_ids(store: Store, actor: str | None) -> set[str] | None:
    """Ids matching an actor given by id or by (part of) a name or alias."""
    if actor is None:
        return None
    wanted = fold(actor)
    return {a.id for a in store.actors()
            if a.id == actor or any(wanted in fold(n) for n in [a.name, *a.aliases])}


def _outlets(store: Store) -> dict[str, str]:
    return {d.id: d.outlet or "" for d in store.document_heads().values()}


def query_events(store: Store, actor: str | None = None, type_: str | None = None,
                 period: str | None = None, outlet: str | None = None) -> list[Event]:
    """Stored events matching every filter given (period matches the event's date)."""
    ids = _actor_ids(store, actor)
    outlet_of = _outlets(store)
    return [
        e for e in store.events()
        if (ids is None or e.source in ids or e.target in ids)
        and (type_ is None or e.type == type_.upper())
        and (period is None or (e.date or "").startswith(period))
        and (outlet is None or fold(outlet) in fold(outlet_of.get(e.document, "")))
    ]


def query_claims(store: Store, actor: str | None = None, cue_type: str | None = None,
                 period: str | None = None, outlet: str | None = None) -> list[Claim]:
    """Stored claims matching every filter (period matches the document's published date)."""
    ids = _actor_ids(store, actor)
    docs = store.document_heads()
    return [
        c for c in store.claims()
        if (ids is None or c.speaker in ids or ids & set(c.about))
        and (cue_type is None or c.cue_type == cue_type)
        and (period is None or (docs[c.document].published or "").startswith(period))
        and (outlet is None or fold(outlet) in fold(docs[c.document].outlet or ""))
    ]


def query_incidents(store: Store, actor: str | None = None, outlet: str | None = None,
                    period: str | None = None, multi_only: bool = True,
                    incident_id: str | None = None) -> Iterator[IncidentView]:
    """Stored incidents matching every filter, each with its tellings side by side.

    ``multi_only``: only incidents told by two or more documents; ``period`` matches the
    incident's date (YYYY or YYYY-MM); ``outlet`` a teller's name (part of it). Tellings
    are read from the store a few hundred incidents at a time (their documents only), so
    memory does not grow with the store.
    """
    wanted = _actor_ids(store, actor)
    chosen = [i for i in store.incidents()
              if (incident_id is None or i.id == incident_id)
              and not (multi_only and len(i.documents) < 2) and matches(i, wanted, period)]
    for start in range(0, len(chosen), INCIDENTS_PER_READ):
        chunk = chosen[start:start + INCIDENTS_PER_READ]
        analysis = store.analysis_of({d for i in chunk for d in i.documents})
        analysis.incidents = chunk
        yield from select(incident_views(analysis), outlet=outlet)
