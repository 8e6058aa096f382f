"""Tests for rashomon.stance: pair views and features, the pair search, the shipped model.

Sentences are our own. The mechanics are tested with a hand-made model whose only
non-zero weights sit on word indicators, so the expected label follows from the words;
the shipped model is tested on plain cases it must get right.
"""

from __future__ import annotations

import numpy as np
import pytest

from rashomon.models import LinearModel
from rashomon.stance import (
    LABELS,
    SHAPE_FEATURES,
    PairText,
    classify,
    find_stances,
    load_model,
    pair_features,
)
from rashomon.types import DateMention, Mention

SENTENCE = "On Friday the Harbor League praised the River Party, not the Hill Union."


def _pair(text: str, first: str, second: str) -> PairText:
    a = text.index(first)
    b = text.index(second, a + len(first))
    return PairText(text, (a, a + len(first)), (b, b + len(second)))


def test_views_words_and_shape_keep_positions_apart():
    pair = _pair(SENTENCE, "Harbor League", "River Party")
    span, between, before, after = pair.views()
    assert span == "Harbor League praised the River Party"
    assert between == "praised the"
    assert before == "On Friday the"
    assert after == ", not the Hill Union."
    words = pair.words()
    assert "b:praised" in words and "l:friday" in words and "r:not" in words
    assert "b:not" not in words
    shape = dict(zip(SHAPE_FEATURES, pair.shape(), strict=True))
    assert shape["negation_between"] == 0.0 and shape["by_between"] == 0.0
    passive = _pair("The River Party was praised by the Harbor League.", "River Party",
                    "Harbor League")
    assert dict(zip(SHAPE_FEATURES, passive.shape(), strict=True))["by_between"] == 1.0


def _word_model(rules: dict[str, int], strength: float = 8.0) -> LinearModel:
    """A model that picks label ``rules[word]`` when that word is present, else neutral."""
    vocabulary = sorted(rules)
    n = 4 * 384 + len(vocabulary) + len(SHAPE_FEATURES)
    coef = np.zeros((len(LABELS), n), dtype=np.float32)
    for i, word in enumerate(vocabulary):
        coef[rules[word], 4 * 384 + i] = strength
    intercept = np.zeros(len(LABELS), dtype=np.float32)
    intercept[0] = 1.0
    return LinearModel([str(i) for i in range(len(LABELS))], coef, intercept,
                       {"vocabulary": vocabulary})


def test_features_have_the_model_layout():
    model = _word_model({"b:praised": 1})
    x = pair_features([_pair(SENTENCE, "Harbor League", "River Party")],
                      model.meta["vocabulary"])
    assert x.shape == (1, model.coef.shape[1])
    assert x[0, 4 * 384] == 1.0  # b:praised
    assert np.isclose(np.linalg.norm(x[0, :384]), 1.0, atol=1e-3)  # a unit embedding


def _mention(text: str, surface: str, actor: str, after: int = 0) -> Mention:
    start = text.index(surface, after)
    return Mention("doc", start, start + len(surface), surface, actor, "alias")


def test_find_stances_reads_direction_sign_evidence_and_date():
    text = ("The Harbor League praised the River Party on Monday. "
            "The Hill Union was condemned by the River Party.")
    first_end = text.index(".") + 1
    sentences = [(0, first_end), (first_end + 1, len(text))]
    mentions = [_mention(text, "Harbor League", "league"),
                _mention(text, "River Party", "party"),
                _mention(text, "Hill Union", "union"),
                _mention(text, "River Party", "party", first_end)]
    monday = text.index("Monday")
    dates = [DateMention("doc", monday, monday + 6, "Monday", "2021-03-01")]
    model = _word_model({"b:praised": 1, "b:by": 4})
    found = find_stances(text, "doc", mentions, sentences, dates, model=model)
    assert [(s.source, s.target, s.sign) for s in found] == [("league", "party", 1),
                                                              ("party", "union", -1)]
    praise, blame = found
    assert praise.date == "2021-03-01" and blame.date is None
    assert (praise.start, praise.end) == sentences[0]
    assert praise.sentence == text[:first_end]
    assert text[slice(*blame.source_span)] == "River Party"
    assert blame.source_span[0] > first_end  # the mention in its own sentence
    assert 0.5 < praise.probability <= 1.0
    assert [s.id for s in found] == ["doc:st1", "doc:st2"]


def test_neutral_pairs_same_actor_and_crowded_sentences_give_nothing():
    text = "The Harbor League met the River Party while the Harbor League waited."
    mentions = [_mention(text, "Harbor League", "league"),
                _mention(text, "River Party", "party"),
                _mention(text, "Harbor League", "league", 20)]
    model = _word_model({"b:praised": 1})
    assert find_stances(text, "doc", mentions, [(0, len(text))], model=model) == []
    names = ["Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"]
    crowded = " praised ".join(names) + "."
    many = [_mention(crowded, n, n.lower()) for n in names]
    assert find_stances(crowded, "doc", many, [(0, len(crowded))], model=model) == []


def test_classify_orders_columns_by_label():
    model = _word_model({"b:blamed": 3})
    shuffled = LinearModel(list(reversed(model.classes)), model.coef[::-1].copy(),
                           model.intercept[::-1].copy(), model.meta)
    pair = _pair("The River Party blamed the Hill Union.", "River Party", "Hill Union")
    assert classify([pair], shuffled).argmax() == 3
    assert classify([], shuffled).shape == (0, len(LABELS))


@pytest.mark.parametrize("text,first,second,label", [
    ("The foreign minister strongly condemned Northland for the deadly raid.",
     "foreign minister", "Northland", 3),
    # A known weakness, kept visible: the reverse classes are rare in Park train (5% of
    # pairs), and a passive is still read as first->second (see the model card).
    pytest.param("Northland was sharply criticised by the foreign minister for the raid.",
                 "Northland", "foreign minister", 4,
                 marks=pytest.mark.xfail(strict=True, reason="passive read as active")),
    ("The president thanked Northland warmly for its generous support.",
     "president", "Northland", 1),
])
def test_the_shipped_model_on_plain_sentences(text, first, second, label):
    pair = _pair(text, first, second)
    assert int(classify([pair]).argmax()) == label


def test_the_shipped_model_says_where_it_comes_from():
    meta = load_model().meta
    assert meta["labels"] == LABELS
    assert meta["park2021_valid"]["directed_accuracy"] > meta["park2021_valid"]["all_neutral"]


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
