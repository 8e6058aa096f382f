"""The event lexicon's noun heads: the words a noun trigger entry can start from."""

from __future__ import annotations

from rashomon.events.candidates import CandidateFinder
from rashomon.events.lexicon import EventLexicon
from rashomon.parse import load_nlp


def _lexicon(**indexes) -> EventLexicon:
    fields = dict(ontology={}, verbs={}, phrases={}, nouns={}, compounds={}, light_verbs={},
                  reversal_verbs={}, lemma_corrections={}, labels={})
    return EventLexicon(**{**fields, **indexes})


def test_noun_heads_are_single_nouns_compound_heads_and_the_x_of_x_of_y():
    lex = _lexicon(nouns={"raid": {"type": "ASSAULT"}},
                   compounds={"strike": {("air",): {"type": "ASSAULT"}}},
                   of_nouns={("state", "siege"): {"type": "RESTRICT"}})
    assert lex.noun_heads == {"raid", "strike", "state"}
    assert "air" not in lex.noun_heads and "siege" not in lex.noun_heads


def test_a_noun_is_read_through_its_head_and_no_other_has_an_entry():
    strike = {"type": "ASSAULT"}
    finder = CandidateFinder()
    finder.lex = _lexicon(compounds={"strike": {("air",): strike}})
    doc = load_nlp()("The air strike hit the market.")
    by_word = {t.text: finder._lexicon_noun_entry(t) for t in doc}
    assert by_word["strike"] is strike  # its head is a noun head: its modifiers are read
    assert by_word["market"] is None and by_word["air"] is None
