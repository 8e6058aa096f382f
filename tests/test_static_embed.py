"""Static wordpiece vectors: an offline, deterministic table look-up."""

from __future__ import annotations

import numpy as np
import pytest

from rashomon.static_embed import StaticVectors, static_vectors


@pytest.fixture(scope="module")
def table() -> StaticVectors:
    found = static_vectors()
    assert found is not None, "models/static_vectors.npz ships with the package"
    return found


def test_vectors_are_unit_length_and_the_same_every_time(table: StaticVectors):
    texts = ["Iran fired missiles at a base in Iraq.", "The ministers signed a trade pact."]
    first, again = table.encode(texts), table.encode(list(reversed(texts)))[::-1]
    assert first.shape == (2, table.dims)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-4)
    assert np.array_equal(first, again)  # a text's vector does not depend on its batch


def test_related_sentences_are_nearer_than_unrelated_ones(table: StaticVectors):
    attack, rockets, trade = table.encode([
        "Militants shelled the army's positions overnight.",
        "Gunmen fired rockets at the soldiers' barracks.",
        "The two countries agreed to lower tariffs on grain."])
    assert attack @ rockets > attack @ trade + 0.2


def test_an_empty_text_gives_zeros(table: StaticVectors):
    assert not table.encode([""]).any()
    assert table.encode([]).shape == (0, table.dims)


def test_the_look_up_is_the_mean_of_the_pieces_rows():
    rows = np.arange(30522 * 2, dtype=np.float32).reshape(30522, 2)
    small = StaticVectors(rows)
    vector = small.encode(["the"])[0]  # one piece: its own row, normalised
    row = rows[small._tokenizer.token_to_id("the")]
    assert np.allclose(vector, row / np.linalg.norm(row))


def test_the_sentence_encoder_uses_every_usable_core_unless_told():
    """It runs in corpus-level steps, once the document workers are idle."""
    from rashomon.embed import Encoder, usable_cores

    assert Encoder().threads == usable_cores() >= 1
    assert Encoder(threads=1).threads == 1


def test_pieces_are_the_tokenizers_for_the_whole_text(table: StaticVectors):
    """Chunks between spaces are tokenised once and cached: the pieces must be those the
    tokenizer gives the whole text, whatever the spacing, case, accents or scripts."""
    texts = ["Iran's  envoy met\tthe U.S. team", "Café Ünïcode façade", "北京 talks,again",
             "  leading and trailing  ", "x[SEP]y [UNK]", "Iran's envoy met the U.S. team",
             "a" * 120 + " b", "line\nbreak", ""]
    whole = [enc.ids for enc in table._tokenizer.encode_batch(texts, add_special_tokens=False)]
    assert table._ids(texts) == whole
    assert table._ids(list(reversed(texts))) == list(reversed(whole))  # from the cache


def test_a_vector_is_the_same_alone_or_in_a_batch(table: StaticVectors):
    texts = ["Militants shelled the army's positions.", "the army's positions", ""]
    together = table.encode(texts)
    alone = np.vstack([table.encode([t]) for t in texts])
    assert np.array_equal(together, alone)


def test_a_kept_phrase_vector_is_its_encoding(table: StaticVectors, monkeypatch):
    """``vector`` keeps the rows of short texts; what it gives must be what ``encode``
    gives, the first time and from the table, and stay so once the table is renewed."""
    import rashomon.static_embed as static_embed

    monkeypatch.setattr(static_embed, "MAX_CACHED_PHRASES", 2)
    phrases = ["fired rockets", "meet with", "say", "", "fired rockets"]
    for _ in range(2):
        for phrase in phrases:
            assert np.array_equal(table.vector(phrase), table.encode([phrase])[0])
    assert len(table._phrases) <= 2
