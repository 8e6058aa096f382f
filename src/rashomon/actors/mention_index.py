"""Position look-ups over a document's actor mentions (see ``rashomon.intervals``).

Events and claims ask, for every candidate, which mention covers a token or which
mentions lie inside a phrase; a scan of every mention per question made those stages
quadratic in the number of mentions (a long list of names took minutes).
"""

from __future__ import annotations

from ..intervals import IntervalIndex
from ..types import Mention


class MentionIndex:
    """A list of mentions by position; answers as a scan of the list in its order would."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.source, self.size = mentions, len(mentions)
        self.first = mentions[0] if mentions else None
        self.last = mentions[-1] if mentions else None
        self.spans = IntervalIndex([(m.start, m.end) for m in mentions])

    def fits(self, mentions: list[Mention]) -> bool:
        """Whether the index still describes this list (the same list, not grown or cut)."""
        return (mentions is self.source and len(mentions) == self.size
                and (not mentions or (mentions[0] is self.first and mentions[-1] is self.last)))

    def at(self, start: int, end: int) -> Mention | None:
        """The innermost mention covering [start, end); the earliest in the list on a tie."""
        covering = self.spans.containing(start, end)
        if not covering:
            return None
        return self.source[min(covering, key=lambda i: (self.source[i].end
                                                        - self.source[i].start, i))]

    def within(self, start: int, end: int) -> list[Mention]:
        """The mentions wholly inside [start, end), in list order."""
        return [self.source[i] for i in self.spans.within(start, end)]

    def before(self, end: int, start: int = 0) -> list[Mention]:
        """The mentions starting in [start, end), in list order."""
        return [self.source[i] for i in self.spans.starting(start, end)]
