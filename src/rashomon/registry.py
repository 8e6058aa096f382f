"""Stages registered by name: the extension contract.

A stage is a function ``stage(ctx: StageContext) -> None`` that adds what it finds to
``ctx.result``. Built-in stages register themselves in ``rashomon.stages``; a plugin
package registers more with the ``rashomon.stages`` entry-point group (name = stage
name, value = the function), and a run picks stages by name in ``Config.stages``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pipeline import StageContext

Stage = Callable[["StageContext"], None]

# Places come first: the actor resolver needs to know which names are places and which
# country a story is set in. The "stance" stage (directed stance between actors named in a
# sentence, rashomon.stance) reads only the parse, so it runs by default; ``analyze
# --no-stance`` or ``stages`` in a config file leaves it out.
DEFAULT_STAGES = ("places", "dates", "actors", "events", "claims", "stance")
WITHOUT_STANCE = tuple(s for s in DEFAULT_STAGES if s != "stance")

_stages: dict[str, Stage] = {}


class UnknownStageError(KeyError):
    pass


def stage(name: str) -> Callable[[Stage], Stage]:
    """Register a stage function under ``name``."""

    def register(func: Stage) -> Stage:
        _stages[name] = func
        return func

    return register


def get_stage(name: str) -> Stage:
    if name not in _stages:
        from . import stages  # noqa: F401  (registers the built-in stages)
    if name not in _stages:
        for ep in entry_points(group="rashomon.stages"):
            if ep.name == name:
                _stages[name] = ep.load()
    if name not in _stages:
        raise UnknownStageError(f"unknown stage {name!r}; known: {', '.join(sorted(_stages))}")
    return _stages[name]


def stage_names() -> list[str]:
    from . import stages  # noqa: F401

    return sorted(_stages)
