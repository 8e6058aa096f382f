"""Look-ups on a parse that stand in for spaCy's slower properties."""

from __future__ import annotations

from rashomon.parse import (
    capitalised,
    doc_text,
    load_nlp,
    parse_texts,
    token_deps,
    token_lemmas,
    token_lowers,
    token_sentence,
    token_tags,
    token_texts,
    tokens_in,
)


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


def test_token_lowers_are_the_tokens_lower_case_forms_read_once():
    doc = load_nlp()("His Followers met the Minister in BAGHDAD's old city.")
    lowers = token_lowers(doc)
    assert lowers == [t.lower_ for t in doc]
    assert token_lowers(doc) is lowers  # kept on the Doc


def test_tokens_in_gives_the_words_of_those_forms_in_order():
    doc = load_nlp()("His brother and her aide met the Minister; the minister left.")
    found = list(tokens_in(doc, {"minister", "his"}))
    assert [t.text for t in found] == ["His", "Minister", "minister"]
    assert all(t.doc is doc for t in found)
    assert list(tokens_in(doc, ())) == []


def test_token_columns_are_the_tokens_attributes_read_once():
    doc = load_nlp()("The envoy’s convoy was stopped at a checkpoint, according to "
                     "two drivers, who said it turned back.")
    assert token_tags(doc) == [t.pos_ for t in doc]
    assert token_deps(doc) == [t.dep_ for t in doc]
    assert token_texts(doc) == [t.text for t in doc]
    assert token_lemmas(doc) == [t.lemma_ for t in doc]
    assert token_tags(doc) is token_tags(doc)  # kept on the Doc


def test_capitalised_lists_the_words_that_open_with_a_capital():
    doc = load_nlp()("Yesterday the Harbour Council met; nobody from Oslo came.")
    assert [doc[i].text for i in capitalised(doc)] == ["Yesterday", "Harbour", "Council",
                                                       "Oslo"]


def test_a_parse_keeps_the_text_it_was_given(monkeypatch):
    from rashomon import parse

    text = ("A ferry left the quay at dawn. " * 30 + "\n\n") * 4
    monkeypatch.setattr(parse, "WINDOW_CHARS", 1000)  # several windows, joined again
    [doc] = list(parse_texts([text]))
    assert doc_text(doc) is text
    assert doc.text == text


def test_a_typographic_apostrophe_inside_a_word_parses_as_the_plain_one():
    """Pages spell "Shi’ite" with U+2019; the model learnt "Shi'ite". Both must parse
    alike (the curly one used to come out a verb that took the clause apart), and the
    text, on which every span is counted, keeps the page's spelling."""
    curly = "The brigades, mostly Shi\u2019ite volunteers who came from the south, held the bridge."
    plain = curly.replace("\u2019", "'")
    nlp = load_nlp()
    a, b = nlp(curly), nlp(plain)
    assert a.text == curly and "Shi\u2019ite" in [t.text for t in a]
    assert [(t.tag_, t.dep_, t.head.i) for t in a] == [(t.tag_, t.dep_, t.head.i) for t in b]
    assert next(t for t in a if t.text.startswith("Shi")).pos_ != "VERB"
