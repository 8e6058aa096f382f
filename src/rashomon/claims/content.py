"""What is said: content spans from the parse and the punctuation, paragraphs and quotes."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

QUOTES_OPEN = {"“", '"', "‘"}
QUOTES_CLOSE = {"”", '"', "’"}
# Double quotation marks as tokens, each with its partner: curly, straight, and the doubled
# apostrophes and backticks of wire and archive copy (``...'' and ''...'').
OPENER_OF = {"”": "“", '"': '"', "''": "''"}
CLOSER_OF = {"“": "”", '"': '"', "''": "''", "``": "''"}
_NOT_SPACE = re.compile(r"\S")


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once: spaCy rebuilds the string from its tokens on every access,
    which made per-token look-ups quadratic in the article's length."""
    text = doc.user_data.get("rashomon.text")
    if text is None:
        text = doc.user_data["rashomon.text"] = doc.text
    return text


def has_verb(tok: Token) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in tok.subtree)


def clause_head(tok: Token) -> Token:
    node = tok
    while node.dep_ not in ("ROOT", "ccomp", "conj", "advcl", "parataxis") and node.head != node:
        node = node.head
    return node


def subtree_without(head: Token, cut: Token) -> tuple[int, int]:
    """The character span of ``head``'s subtree with ``cut``'s subtree trimmed off its edge."""
    tokens = [t for t in head.subtree if not (cut.left_edge.i <= t.i <= cut.right_edge.i)
              and not t.is_punct]
    if not tokens:
        return head.idx, end_of(head)
    # keep the larger contiguous side of the cut
    left = [t for t in tokens if t.i < cut.left_edge.i]
    right = [t for t in tokens if t.i > cut.right_edge.i]
    side = left if len(left) >= len(right) else right
    return side[0].idx, end_of(side[-1])


def clause_span(tok: Token) -> tuple[int, int]:
    """A complement's span, without the "that" introducing it."""
    first = tok.left_edge
    while first.dep_ == "mark" and first.lower_ == "that" and first.i < tok.right_edge.i:
        first = tok.doc[first.i + 1]
    return first.idx, end_of(tok.right_edge)


def end_of(tok: Token) -> int:
    return tok.idx + len(tok.text)


def quoted(text: str, start: int, end: int) -> bool:
    """Content is verbatim when it sits inside quotation marks."""
    before = text[max(0, start - 3):start]
    return any(q in before for q in QUOTES_OPEN) or any(
        q in text[start:start + 2] for q in QUOTES_OPEN) and any(
        q in text[max(start, end - 2):end + 3] for q in QUOTES_CLOSE)


def starts_paragraph(tok: Token) -> bool:
    text = doc_text(tok.doc)
    return tok.i == 0 or "\n" in text[max(0, tok.idx - 3):tok.idx] or \
        text[:tok.idx].rstrip(" ").endswith("\n")


def previous_paragraph(text: str, start: int) -> str:
    before = text[:start].rstrip()
    return before[before.rfind("\n") + 1:]


def closing_quote(text: str, start: int, end: int) -> int:
    """Where the quotation opened at ``start`` closes, else the paragraph end."""
    positions = [p for p in (text.find(q, start + 1, end) for q in ("”", '"')) if p >= 0]
    return min(positions) if positions else end


def quote_left_open(chunk: str) -> bool:
    """A paragraph that opens more quotes than it closes (straight quotes alternate): by
    convention its quotation continues in the next paragraph, which reopens the quote."""
    curly_open, curly_close = chunk.count("“"), chunk.count("”")
    straight = chunk.count('"')
    return curly_open > curly_close or (curly_open == curly_close == 0 and straight % 2 == 1)


def in_quotation(tok: Token) -> bool:
    """Whether ``tok`` sits inside a quotation opened earlier in its paragraph."""
    text = doc_text(tok.doc)
    start, _ = paragraph_bounds(text, tok.idx)
    return quote_left_open(text[start:tok.idx])


def paragraph_bounds(text: str, at: int) -> tuple[int, int]:
    """The paragraph (line) around character ``at``; a paragraph that ends with a colon
    runs on into the next one, whose quotation it introduces ("He said:\n\n“...”")."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    while end >= 0 and _ends_with_colon(text, end):
        nxt = _NOT_SPACE.search(text, end)  # (no slices of the text: a long one is long)
        end = text.find("\n", nxt.start()) if nxt else -1
    return start, len(text) if end < 0 else end


def _ends_with_colon(text: str, end: int) -> bool:
    """Whether text[:end], trailing white space aside, ends with a colon."""
    end = _stripped_end(text, end)
    return end > 0 and text[end - 1] == ":"


def _stripped_end(text: str, end: int) -> int:
    """len(text[:end].rstrip()), without copying the text."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def paragraph_end(doc: Doc, i: int) -> int:
    text = doc_text(doc)
    start = doc[i].idx
    nl = text.find("\n", start)
    return _stripped_end(text, len(text) if nl < 0 else nl)
