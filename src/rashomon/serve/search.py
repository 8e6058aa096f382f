"""Full-text search over documents and claims: a small inverted index of our own.

DuckDB's ``fts`` extension is downloaded on first use, which an offline install cannot
do, so the server builds this index with each snapshot. Words are folded (case and
accents) like actor aliases; a query matches items holding every one of its words, the
last word also as a prefix (so results come while typing), ranked by tf-idf.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..actors.normalize import fold
from ..types import Claim, Document

WORD = re.compile(r"\w+")
SNIPPET = 90  # characters either side of the first hit


@dataclass
class Hit:
    kind: str  # document or claim
    id: str
    document: str
    score: float
    item: int  # its index in the index's items
    terms: tuple[str, ...]  # the query's words, to find the hit in the text


class SearchIndex:
    def __init__(self, documents: list[Document], claims: list[Claim],
                 names: dict[str, str]) -> None:
        self.postings: dict[str, dict[int, int]] = defaultdict(dict)
        self.items: list[tuple[str, str, str, str]] = []  # kind, id, document, text
        for d in documents:
            self._add("document", d.id, d.id, d.text, d.title or "")
        for c in claims:
            if not c.in_comment:
                self._add("claim", c.id, c.document, c.content,
                          f"{names.get(c.speaker or '', '')} {c.speaker_text or ''} {c.cue}")
        self.vocabulary = sorted(self.postings)

    def _add(self, kind: str, ident: str, document: str, text: str, extra: str) -> None:
        n = len(self.items)
        self.items.append((kind, ident, document, text))
        for word, count in Counter(words(f"{extra} {text}")).items():
            self.postings[word][n] = count

    def search(self, query: str, kind: str | None = None) -> list[Hit]:
        """Items holding every word of ``query``, best first."""
        terms = words(query)
        if not terms:
            return []
        scores: dict[int, float] | None = None
        for i, term in enumerate(terms):
            expansions = [term] if i < len(terms) - 1 else self._prefixed(term)
            found: dict[int, float] = {}
            for word in expansions:
                posting = self.postings.get(word, {})
                idf = math.log(1 + len(self.items) / (1 + len(posting)))
                for item, count in posting.items():
                    found[item] = found.get(item, 0.0) + (1 + math.log(count)) * idf
            scores = found if scores is None else {
                k: v + found[k] for k, v in scores.items() if k in found}
        hits = []
        for n, score in (scores or {}).items():
            item_kind, ident, document, _ = self.items[n]
            if kind and item_kind != kind:
                continue
            hits.append(Hit(item_kind, ident, document, score, n, tuple(terms)))
        hits.sort(key=lambda h: (-h.score, h.kind, h.id))
        return hits

    def _prefixed(self, term: str) -> list[str]:
        if len(term) < 3:
            return [term]
        lo = bisect.bisect_left(self.vocabulary, term)
        out = []
        for word in self.vocabulary[lo:lo + 200]:
            if not word.startswith(term):
                break
            out.append(word)
        return out or [term]

    def text_of(self, hit: Hit) -> str:
        return self.items[hit.item][3]

    def locate(self, hit: Hit) -> tuple[str, int, int]:
        """The hit's text and the span of its first matching word (found on demand: only
        the hits of the page shown need it)."""
        text = self.text_of(hit)
        return (text, *_first(text, list(hit.terms)))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def _first(text: str, terms: list[str]) -> tuple[int, int]:
    """The span of the first word of ``text`` that matches a term (the last as a prefix)."""
    for m in WORD.finditer(text):
        w = fold(m.group())
        if w in terms[:-1] or w.startswith(terms[-1]):
            return m.start(), m.end()
    return 0, 0


def snippet(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, hit, after) around a hit, cut at word boundaries."""
    left = max(0, start - SNIPPET)
    right = min(len(text), end + SNIPPET)
    before = text[left:start]
    if left > 0 and " " in before:
        before = "…" + before[before.index(" ") + 1:]
    after = text[end:right]
    if right < len(text) and " " in after:
        after = after[:after.rindex(" ")] + "…"
    return before, text[start:end], after
