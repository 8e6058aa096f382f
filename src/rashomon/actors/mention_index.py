"""Position look-ups over a document's actor mentions without scanning all of them.

Events and claims ask, for every candidate, which mention covers a token or which
mentions lie inside a phrase. A scan of every mention per question made those stages
quadratic in the number of mentions (a long list of names took minutes); this index
answers from the mentions sorted by start, so each look-up costs a bisection plus the
mentions near the position.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from ..types import Mention

# Mentions longer than this (characters) are kept apart and checked one by one: bounding
# the length of the rest bounds how far back a covering mention can start.
LONG_MENTION = 200


class MentionIndex:
    """Mentions by start offset; answers as a scan of the list in its order would."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.source, self.size = mentions, len(mentions)
        self.first = mentions[0] if mentions else None
        self.last = mentions[-1] if mentions else None
        short = [(m.start, i) for i, m in enumerate(mentions) if m.end - m.start <= LONG_MENTION]
        short.sort()
        self.starts = [s for s, _ in short]
        self.order = [i for _, i in short]
        self.long = [i for i, m in enumerate(mentions) if m.end - m.start > LONG_MENTION]

    def fits(self, mentions: list[Mention]) -> bool:
        """Whether the index still describes this list (the same list, not grown or cut)."""
        return (mentions is self.source and len(mentions) == self.size
                and (not mentions or (mentions[0] is self.first and mentions[-1] is self.last)))

    def at(self, start: int, end: int) -> Mention | None:
        """The innermost mention covering [start, end); the earliest in the list on a tie."""
        best: tuple[int, int] | None = None  # (length, list position)
        k = bisect_right(self.starts, start) - 1
        while k >= 0 and self.starts[k] >= end - LONG_MENTION:
            best = self._better(best, self.order[k], end)
            k -= 1
        for i in self.long:
            if self.source[i].start <= start:
                best = self._better(best, i, end)
        return self.source[best[1]] if best is not None else None

    def _better(self, best: tuple[int, int] | None, i: int, end: int) -> tuple[int, int] | None:
        m = self.source[i]
        if m.end < end:
            return best
        candidate = (m.end - m.start, i)
        return candidate if best is None or candidate < best else best

    def within(self, start: int, end: int) -> list[Mention]:
        """The mentions wholly inside [start, end), in list order."""
        found = []
        for k in range(bisect_left(self.starts, start), len(self.starts)):
            if self.starts[k] >= end:
                break
            if self.source[self.order[k]].end <= end:
                found.append(self.order[k])
        found += [i for i in self.long
                  if start <= self.source[i].start and self.source[i].end <= end]
        return [self.source[i] for i in sorted(found)]

    def before(self, end: int, start: int = 0) -> list[Mention]:
        """The mentions starting in [start, end), in list order."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        found = self.order[lo:hi] + [i for i in self.long
                                     if start <= self.source[i].start < end]
        return [self.source[i] for i in sorted(found)]
