"""Named-entity spans cleaned before they may become actors.

The tagger's PERSON and ORG spans run over line breaks ("Nicholas Carl" + the next
heading), keep a label before a colon ("Analysis: ..."), join two names across a
possessive ("Sadr's Sairoun") and trailing small words ("... Coalition by"), and take
for names what never is one: a headline repeated in the body, a contraction ("to've"), a
weapon type ("Katyusha"), the bare first word of a title ("Supreme" of "Supreme Leader").
"""

from __future__ import annotations

from spacy.tokens import Span

from ..parse import doc_text
from .kb import KnowledgeBase
from .normalize import SKIP_TOKENS, token_key

_POSSESSIVE = ("'s", "’s")
# English contractions ("to've", "they'll"); not 'd or 'm, which end names ("Sa'd").
_CONTRACTIONS = ("'ve", "'ll", "'re", "n't")
# A headline is a whole line of at least this many words. Chosen, not calibrated: names
# of four words and more alone on a line are rare outside headings.
HEADLINE_WORDS = 4
_PARTS = "rashomon.entity_parts"  # the Doc's user_data key of the parts found so far


def entity_parts(span: Span) -> tuple[Span, ...]:
    """The name-like parts of an entity span: cut at a line break (the first line), after
    a label colon, and on both sides of an inner possessive; small lower-case words at
    the end dropped. Found once per span of a Doc: the resolver and the stance stage's
    parties ask it of the same entities."""
    known = span.doc.user_data.setdefault(_PARTS, {})
    found = known.get((span.start, span.end))
    if found is None:
        found = known[span.start, span.end] = tuple(_entity_parts(span))
    return found


def _entity_parts(span: Span) -> list[Span]:
    doc = span.doc
    start, end = span.start, span.end
    for tok in span:
        if "\n" in tok.text:
            end = tok.i
            break
    colon = next((t.i for t in doc[start:end] if t.text == ":"), None)
    if colon is not None:
        start = colon + 1
    parts: list[Span] = []
    cut = next((t.i for t in doc[start:end - 1] if t.lower_ in _POSSESSIVE and t.i > start), None)
    if cut is not None:
        parts.append(doc[start:cut])
        start = cut + 1
    parts.append(doc[start:end])
    out = []
    for part in parts:
        s, e = part.start, part.end
        capital = next((t.i for t in doc[s:e] if t.text[:1].isupper()), None)
        while capital is not None and e > capital + 1 and doc[e - 1].is_lower \
                and doc[e - 1].is_alpha:
            e -= 1
        if e > s:
            out.append(doc[s:e])
    return out


def is_junk(span: Span, label: str, kb: KnowledgeBase) -> bool:
    """Whether an entity span (PERSON, ORG or NORP) can name no actor."""
    words = [t for t in span if token_key(t.text) not in SKIP_TOKENS and not t.is_punct]
    if not words:
        return True
    if label != "NORP" and not any(t.text[:1].isupper() and t.text[:1].isalpha() for t in words):
        return True  # no capital: "to've" (groups are written lower case: "communists")
    if any(t.lower_.replace("’", "'").endswith(_CONTRACTIONS) for t in span):
        return True
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].text == ":" and doc[span.start - 2].lower_ in \
            set(kb.rules.get("credit_labels") or ()):
        return True  # "Photo: Social Media", a picture credit
    not_names = kb.not_name_words
    if all(token_key(t.text) in not_names for t in words):
        return True  # "Katyusha", "Supreme", "Grand"
    return _whole_line(span) and len(words) >= HEADLINE_WORDS


def _whole_line(span: Span) -> bool:
    """Whether the span is alone on its line (punctuation aside): a headline or heading."""
    text = doc_text(span.doc)
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[line_start:span.start_char] + text[span.end_char:line_end]
    return not any(c.isalnum() for c in rest)
