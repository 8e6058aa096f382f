"""Filtering stored events and claims by actor, type, period and outlet (the CLI's queries)."""

from __future__ import annotations

from .actors.normalize import fold
from .store import Store
from .types import Claim, Event


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
