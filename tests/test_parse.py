"""Look-ups on a parse that stand in for spaCy's slower properties."""

from __future__ import annotations

from rashomon.parse import load_nlp, sentence_bounds


def test_sentence_bounds_are_each_tokens_sentence():
    doc = load_nlp()("Rebels shelled the town on Monday. Three civilians died.\n\n"
                     "The ministry, which denied any role, said talks would resume. Why?")
    assert len(list(doc.sents)) >= 3
    for token in doc:
        assert sentence_bounds(token) == (token.sent.start, token.sent.end)
    first, last = doc[0], doc[len(doc) - 1]
    assert sentence_bounds(first) != sentence_bounds(last)
