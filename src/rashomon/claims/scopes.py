"""The notions of a claim ``extract_claims`` offers (``Config.claims_scope``).

* "news": what a news reader takes for someone's claim. The development articles' gold
  counts statements, quotations and stances, not acts or plans ("Sadr agrees to form a
  government", "the US supported them"), so a learned cue's object, infinitive or
  prepositional object is content only above ``learned.OBJECT_SLOT``.
* "attributions": PolNeAR's notion (Newell, Margolin & Ruths 2018): acts on objects,
  plans and evaluations are attributions too. It widens "news" by the four steps of
  :class:`ClaimsScope`, each checked out of sample on PolNeAR train
  (``train/attribution_scope_cv.py``, models/attribution_content.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClaimsScope:
    """Which attributions are claims: the default reading and the steps that widen it.

    ``name`` also keys the attributions cached on a parsed Doc, so a scope of one's own
    needs a name of its own.
    """

    name: str
    # a learned cue's object, infinitive or prepositional object is content above its
    # slot kind's threshold learned on PolNeAR train (``learned.BROAD_SLOTS``) rather than
    # above the one ``learned.OBJECT_SLOT``
    slot_thresholds: bool = False
    # univocal: each word in at most one attribution, so one reported inside another's
    # content is not a claim of its own
    univocal: bool = False
    # a learned cue's source may be a common noun whatever the cue's probability ("the
    # report found"), not only a sure cue's
    common_noun_sources: bool = False
    # an object naming an actor or counting may be content: the act on an object is an
    # attribution too ("backed the group", "dismissed 300 soldiers")
    acts_on_objects: bool = False


SCOPES: dict[str, ClaimsScope] = {
    "news": ClaimsScope("news"),
    "attributions": ClaimsScope("attributions", slot_thresholds=True, univocal=True,
                                common_noun_sources=True, acts_on_objects=True),
}


def claims_scope(scope: str | ClaimsScope) -> ClaimsScope:
    """The scope a name stands for (a :class:`ClaimsScope` is returned as it is)."""
    if isinstance(scope, ClaimsScope):
        return scope
    if scope not in SCOPES:
        raise ValueError(f"unknown claims scope {scope!r}; known: {', '.join(SCOPES)}")
    return SCOPES[scope]
