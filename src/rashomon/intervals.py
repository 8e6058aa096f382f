"""Which character spans contain, or lie inside, a given span, without scanning them all.

The stages keep asking, per token or per candidate, which mention covers a word or which
attribution's content holds a trigger. Scanning every span for each question made them
quadratic in the length of the text; this index files each span under the blocks of
``BLOCK`` characters it overlaps, so a question reads only the spans near its position.
"""

from __future__ import annotations

from collections.abc import Sequence

BLOCK = 512


class IntervalIndex:
    """Half-open spans [start, end) by position; answers give list positions, ascending
    (the order a scan of the list would meet them)."""

    def __init__(self, spans: Sequence[tuple[int, int]], block: int = BLOCK) -> None:
        self.spans = list(spans)
        self.block = block
        self.buckets: dict[int, list[int]] = {}
        for i, (start, end) in enumerate(self.spans):
            for b in range(start // block, max(start, end - 1) // block + 1):
                self.buckets.setdefault(b, []).append(i)

    def containing(self, start: int, end: int) -> list[int]:
        """Spans with span.start <= start and end <= span.end."""
        # a span holding [start, end) overlaps start's block (or ends right at an empty
        # query that opens a block)
        blocks = {start // self.block, max(start - 1, 0) // self.block}
        found = {i for b in blocks for i in self.buckets.get(b, ())
                 if self.spans[i][0] <= start and end <= self.spans[i][1]}
        return sorted(found)

    def within(self, start: int, end: int) -> list[int]:
        """Spans with start <= span.start and span.end <= end."""
        return [i for i in self.starting(start, end) if self.spans[i][1] <= end]

    def starting(self, lo: int, hi: int) -> list[int]:
        """Spans whose start is in [lo, hi)."""
        if hi <= lo:
            return []
        found = []
        for b in range(lo // self.block, (hi - 1) // self.block + 1):
            # each span is taken from the block of its start only, so none comes twice
            found += [i for i in self.buckets.get(b, ())
                      if lo <= self.spans[i][0] < hi and self.spans[i][0] // self.block == b]
        return sorted(found)
