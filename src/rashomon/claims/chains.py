"""Attributions and their nesting: who reports whom ("AFP reported that officials claim").

An attribution whose cue lies inside another's content is reported by that other's
speaker; ``nest`` links each to the smallest attribution holding its cue, never in a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ..intervals import IntervalIndex
from ..types import Mention
from .content import end_of


@dataclass(eq=False)
class Attribution:
    """One speaker-cue-content triple found in the text."""

    cue: Token  # the head word of the cue
    cue_text: str
    cue_type: str
    content_start: int  # character offsets of the content
    content_end: int
    speaker: Mention | None
    speaker_text: str | None
    direct: bool
    negates: bool = False
    span_start: int = 0  # the whole construction: speaker, cue and content
    span_end: int = 0
    parent: Attribution | None = None
    speaker_token: Token | None = None
    via_quote: bool = False  # a cue-less quotation attributed from context
    extra_end: int | None = None  # a continued quotation paragraph extends the content

    @property
    def actor(self) -> str | None:
        return self.speaker.actor if self.speaker else None

    def chain(self) -> list[str]:
        """Actor ids of the attributions this one is reported through, outermost first."""
        out: list[str] = []
        node = self.parent
        while node is not None:
            if node.actor and node.actor not in out:
                out.insert(0, node.actor)
            node = node.parent
        return out

    def descends_from(self, other: Attribution) -> bool:
        """Whether ``other`` is this attribution or one it is reported through."""
        node: Attribution | None = self
        while node is not None:
            if node is other:
                return True
            node = node.parent
        return False

    def contains(self, start: int, end: int) -> bool:
        return self.content_start <= start and end <= (self.extra_end or self.content_end)


def nest(found: list[Attribution]) -> None:
    """Link each attribution to the smallest other one whose content holds its cue."""
    contents = IntervalIndex([(o.content_start, o.extra_end or o.content_end) for o in found])
    for att in found:
        holding = (found[i] for i in contents.containing(att.cue.idx, end_of(att.cue)))
        outer = [o for o in holding if o is not att and not o.via_quote
                 and not (att.via_quote and o is att.parent)]
        # Two attributions can each hold the other's cue when the parse gives them
        # overlapping contents ("“...,” he said, adding ..."); a parent that already
        # descends from ``att`` would make the chain a cycle, so the next smallest wins.
        for o in sorted(outer, key=lambda o: o.content_end - o.content_start):
            if not o.descends_from(att):
                att.parent = o
                break
