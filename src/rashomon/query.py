"""Filtering stored documents, events, claims and incidents by actor, type, period and
outlet (the CLI's queries and the report's slice of a large store)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from .actors.normalize import fold
from .incidents.tellings import IncidentView, incident_views, matches, select
from .store import Store
from .types import Analysis, Claim, Event

#: Incidents whose tellings are read from the store together: one read of their documents.
INCIDENTS_PER_READ = 200


def _actor_ids(store: Store, actor: str | None) -> set[str] | None:
    """Ids matching an actor given by id or by (part of) a name or alias."""
    if actor is None:
        return None
    wanted = fold(actor)
    return {a.id for a in store.actors()
            if a.id == actor or any(wanted in fold(n) for n in [a.name, *a.aliases])}


def _told_by(store: Store, outlet: str | None) -> set[str] | None:
    """Ids of the documents whose outlet name contains ``outlet`` (folded)."""
    if outlet is None:
        return None
    wanted = fold(outlet)
    return {d.id for d in store.document_heads().values() if wanted in fold(d.outlet or "")}


def query_events(store: Store, actor: str | None = None, type_: str | None = None,
                 period: str | None = None, outlet: str | None = None) -> Iterator[Event]:
    """Stored events matching every filter given (period matches the event's date),
    selected by the store and streamed: memory does not grow with the store."""
    return store.find_events(actors=_actor_ids(store, actor),
                             type_=type_.upper() if type_ else None, date_prefix=period,
                             documents=_told_by(store, outlet))


def query_claims(store: Store, actor: str | None = None, cue_type: str | None = None,
                 period: str | None = None, outlet: str | None = None) -> Iterator[Claim]:
    """Stored claims matching every filter (period matches the document's published date),
    selected by the store and streamed."""
    return store.find_claims(actors=_actor_ids(store, actor), cue_type=cue_type,
                             published_prefix=period, documents=_told_by(store, outlet))


def query_documents(store: Store, actor: str | None = None, period: str | None = None,
                    outlet: str | None = None) -> Iterator[str]:
    """Ids of the stored documents that mention the actor, were published in the period and
    come from the outlet (each where given), newest first, streamed."""
    return store.find_documents(actors=_actor_ids(store, actor), published_prefix=period,
                                documents=_told_by(store, outlet))


def analysis_slice(store: Store, doc_ids: Iterable[str]) -> Analysis:
    """The documents ``doc_ids`` with their findings, and the stored incidents they tell,
    each cut to its tellings among them: what the report of part of a large store shows.
    Relations are left to be built from the slice's own events, claims and stances, so
    every tie links to evidence the slice holds."""
    ids = set(doc_ids)
    analysis = store.analysis_of(ids)
    kept = {e.id for e in analysis.events}
    for incident in store.incidents_of(ids):
        events = [e for e in incident.events if e in kept]
        if events:
            analysis.incidents.append(replace(
                incident, events=events, documents=[d for d in incident.documents if d in ids]))
    return analysis


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
