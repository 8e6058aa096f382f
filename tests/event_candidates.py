"""Read a sentence of ours at the candidate level (before the learned gate): the candidate
finder's candidates, with the learned role model or with the rules' roles alone. Shared by
the tests that assert who is who in an event and how the rules type it."""

from __future__ import annotations

from functools import cache

from rashomon.events.coder import find_candidates
from rashomon.events.typing_model import Candidate
from rashomon.pipeline import Config, StageContext, analyse_documents
from rashomon.registry import stage
from rashomon.types import Document

#: the stage that records the candidates with the learned role model (last in a run's
#: stages; its record is read back with ``found_in``)
LEARNED_ROLES_STAGE = "test_candidates_learned_roles"

_found: dict[str, list[Candidate]] = {}


def _read(ctx: StageContext, learned_roles: bool) -> None:
    kb = ctx.resources.kb
    _found[ctx.document.id] = find_candidates(
        ctx.doc, ctx.document.id, ctx.resolution, ctx.result.places, ctx.result.dates,
        lexicon=ctx.resources.event_lexicon, cues=ctx.resources.cues,
        states={c: kb.actors[i] for c, i in kb.states.items()},
        **({} if learned_roles else {"roles": False}))


@stage(LEARNED_ROLES_STAGE)
def _learned(ctx: StageContext) -> None:
    _read(ctx, learned_roles=True)


@stage("test_candidates_rules_roles")
def _rules(ctx: StageContext) -> None:
    _read(ctx, learned_roles=False)


def found_in(document_id: str) -> list[Candidate]:
    """The candidates the stages recorded for a document a test analysed itself."""
    return _found[document_id]


@cache
def candidates(text: str, learned_roles: bool = True) -> tuple[Candidate, ...]:
    """Every candidate the finder proposes in ``text``."""
    doc = Document(id=f"c{len(_found)}", text=text, published="2019-05-02")
    last = LEARNED_ROLES_STAGE if learned_roles else "test_candidates_rules_roles"
    for _ in analyse_documents([doc], Config(stages=["places", "dates", "actors", last],
                                             n_process=1)):
        pass
    return tuple(_found[doc.id])


def roles(text: str, trigger: str, learned_roles: bool = True
          ) -> set[tuple[str | None, str | None]]:
    """The (source, target) pairs of ``trigger``'s candidates in ``text``."""
    found = {(c.event.source, c.event.target) for c in candidates(text, learned_roles)
             if c.event.trigger == trigger}
    assert found, [(c.event.trigger, c.event.source, c.event.target)
                   for c in candidates(text, learned_roles)]
    return found
