"""The position indexes answer exactly as the scans they replace (random spans, seeded)."""

from __future__ import annotations

import random

from rashomon.actors import Resolution
from rashomon.intervals import IntervalIndex
from rashomon.types import Mention


def _spans(rng: random.Random, n: int, text: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        start = rng.randrange(text)
        # mostly short, some across several blocks, a few empty
        length = rng.choice([0, rng.randrange(1, 30), rng.randrange(1, 3000)])
        out.append((start, min(start + length, text)))
    return out


def test_interval_index_matches_a_scan_on_random_spans():
    rng = random.Random(7)
    for block in (8, 512):
        spans = _spans(rng, 400, 5000)
        index = IntervalIndex(spans, block=block)
        for _ in range(400):
            a = rng.randrange(5100)
            b = a + rng.choice([0, 1, rng.randrange(50), rng.randrange(4000)])
            assert index.containing(a, b) == [i for i, (s, e) in enumerate(spans)
                                              if s <= a and b <= e]
            assert index.within(a, b) == [i for i, (s, e) in enumerate(spans)
                                          if a <= s and e <= b and s < b]
            assert index.starting(a, b) == [i for i, (s, _) in enumerate(spans) if a <= s < b]


def _scan_mention_at(mentions: list[Mention], start: int, end: int) -> Mention | None:
    best = None
    for m in mentions:
        inner = best is None or m.end - m.start < best.end - best.start
        if m.start <= start and end <= m.end and inner:
            best = m
    return best


def test_mention_look_ups_match_a_scan_and_follow_changes_to_the_list():
    rng = random.Random(3)
    mentions = [Mention(document="d", start=s, end=e, text="x", actor=f"a{i % 5}", rule="kb")
                for i, (s, e) in enumerate(_spans(rng, 300, 4000)) if e > s]
    resolution = Resolution(mentions=mentions)
    for round_ in range(3):
        for _ in range(300):
            a = rng.randrange(4000)
            b = a + rng.randrange(1, 40)
            assert resolution.mention_at(a, b) is _scan_mention_at(mentions, a, b)
            wide = a + rng.randrange(1, 2000)
            assert resolution.mentions_within(a, wide) == [
                m for m in mentions if a <= m.start and m.end <= wide]
        # the list grows and shrinks between rounds: answers follow it
        mentions.append(Mention(document="d", start=round_, end=3999, text="y", actor="b",
                                rule="kb"))
        del mentions[len(mentions) // 2]
