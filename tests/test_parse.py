"""Look-ups on a parse that stand in for spaCy's slower properties."""

from __future__ import annotations

from rashomon.parse import load_nlp, token_sentence


def test_token_sentence_is_the_tokens_sentence_built_once():
    doc = load_nlp()("Rebels shelled the town on Monday. Three civilians died.\n\n"
                     "The ministry, which denied any role, said talks would resume. Why?")
    assert len(list(doc.sents)) >= 3
    for token in doc:
        sentence = token_sentence(token)
        assert (sentence.start, sentence.end) == (token.sent.start, token.sent.end)
        assert sentence == token.sent
        assert token_sentence(token) is sentence  # looked up, not made again
    assert token_sentence(doc[0]) != token_sentence(doc[len(doc) - 1])
