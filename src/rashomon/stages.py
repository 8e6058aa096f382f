"""The built-in stages: thin adapters from a StageContext to each stage's module."""

from __future__ import annotations

from .actors import resolve_actors
from .pipeline import StageContext
from .registry import stage


@stage("actors")
def actors_stage(ctx: StageContext) -> None:
    ctx.resolution = resolve_actors(ctx.doc, ctx.document.id, ctx.resources.kb, ctx.year,
                                    places=ctx.result.places, gazetteer=ctx.resources.gazetteer)
    ctx.result.mentions = ctx.resolution.mentions


@stage("places")
def places_stage(ctx: StageContext) -> None:
    from .places import extract_places

    ctx.result.places = extract_places(ctx.doc, ctx.document.id, ctx.resources.gazetteer)


@stage("dates")
def dates_stage(ctx: StageContext) -> None:
    from .dates import resolve_dates

    ctx.result.dates = resolve_dates(ctx.doc, ctx.document.id, ctx.document.published)


@stage("events")
def events_stage(ctx: StageContext) -> None:
    from .events import extract_events

    kb = ctx.resources.kb
    ctx.result.events = extract_events(ctx.doc, ctx.document.id, ctx.resolution,
                                       ctx.result.places, ctx.result.dates,
                                       lexicon=ctx.resources.event_lexicon,
                                       cues=ctx.resources.cues,
                                       states={c: kb.actors[i] for c, i in kb.states.items()})


@stage("claims")
def claims_stage(ctx: StageContext) -> None:
    from .claims import extract_claims

    ctx.result.claims = extract_claims(ctx.doc, ctx.document.id, ctx.resolution,
                                       cues=ctx.resources.cues,
                                       scope=ctx.resources.config.claims_scope)


@stage("stance")
def stance_stage(ctx: StageContext) -> None:
    from .actors.parties import entity_parties
    from .stance import find_stances

    parties, new_actors = entity_parties(ctx.doc, ctx.document.id, ctx.result.mentions,
                                         ctx.resolution.actors, ctx.resources.kb)
    ctx.result.stances = find_stances(ctx.doc, ctx.document.id, ctx.result.mentions,
                                      ctx.result.dates, parties=parties)
    # Only the entities that take part in a stance become actors of the analysis.
    in_stance = {a for st in ctx.result.stances for a in (st.source, st.target)}
    kept = [m for m in parties if m.actor in in_stance]
    if kept:
        ctx.result.mentions = sorted([*ctx.result.mentions, *kept],
                                     key=lambda m: (m.start, -m.end))
        ctx.resolution.mentions = ctx.result.mentions
        for m in kept:
            if m.actor in new_actors:
                ctx.resolution.actors.setdefault(m.actor, new_actors[m.actor])
