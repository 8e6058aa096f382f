"""The sentence encoder: batching by length changes no vector."""

from __future__ import annotations

import numpy as np

from rashomon import embed
from rashomon.embed import Encoder, _batches


def test_batches_take_texts_of_like_length_and_pad_little():
    lengths = [40, 3, 41, 200, 39, 12, 12, 12, 42, 5, 180, 38, 40, 40, 41, 39, 40, 40, 43]
    batches = _batches(lengths)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(flat)  # in order of length
    for batch in batches:
        sizes = [lengths[i] for i in batch]
        assert len(batch) <= embed.BATCH_SIZE
        assert len(batch) * max(sizes) <= (1 + embed.PADDING_SLACK) * sum(sizes)
    # the long texts are not padded into the short ones' batches, nor these into theirs
    assert [3] in [[lengths[i] for i in b] for b in batches]
    assert not any({200, 40} <= {lengths[i] for i in b} for b in batches)
    assert _batches([]) == []


def test_a_text_encodes_the_same_alone_and_among_others():
    texts = ["Rebels shelled the town on Monday, killing three civilians.",
             "", "Talks resumed.", "word " * 400,  # truncated at MAX_TOKENS
             "The minister said the government would not negotiate with the group "
             "until it released the hostages taken last week in the north.",
             "Ünïcödé — “quoted” words, and a number: 42."]
    encoder = Encoder(threads=1)
    together = encoder.encode(texts)
    alone = np.stack([encoder.encode([t])[0] for t in texts])
    assert together.shape == (len(texts), embed.DIMENSIONS)
    assert together.dtype == np.float32
    assert np.array_equal(together, alone)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, embed.DIMENSIONS)


def test_waiting_for_the_background_encoder_gives_every_vector_once():
    """The caller's thread encodes the batches the encoder's thread has not started."""
    from rashomon.embed import BackgroundEncoder

    batches = [[f"Talks number {n} on item {k} resumed in the capital." for k in range(6)]
               for n in range(12)]
    background = BackgroundEncoder()
    try:
        for batch in batches:
            background.submit(batch)
        vectors = background.ready(wait=True)
        assert background.ready(wait=True) == {}  # each given once
    finally:
        background.close()
    texts = [t for batch in batches for t in batch]
    assert sorted(vectors) == sorted(texts)
    assert np.array_equal(np.stack([vectors[t] for t in texts]),
                          Encoder(threads=1, quantized=True).encode(texts))


def test_the_quantized_encoder_is_close_to_the_float_one_and_batch_free():
    """Int8 products quantize each call's activations as a whole, so the quantized encoder
    runs one text per call: a text's vector is the same alone and among others."""
    texts = ["Rebels shelled the town on Monday, killing three civilians.",
             "Talks resumed.", "",
             "The minister said the government would not negotiate with the group "
             "until it released the hostages taken last week in the north."]
    quantized = Encoder(threads=1, quantized=True)
    together = quantized.encode(texts)
    alone = np.stack([quantized.encode([t])[0] for t in texts])
    assert np.array_equal(together, alone)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    cosine = (together * Encoder(threads=1).encode(texts)).sum(axis=1)
    assert cosine.min() > 0.95
    assert embed.encode(texts[:1], quantized=True).tolist() == together[:1].tolist()


def test_the_background_encoder_says_how_many_texts_it_still_owes():
    """``backlog`` counts the texts submitted and not encoded yet, so that a caller can
    tell whether the encoder keeps pace with what it is given."""
    import threading

    from rashomon.embed import BackgroundEncoder

    background = BackgroundEncoder()
    release = threading.Event()
    real = background._encoder.encode

    def held(texts):
        release.wait(10)
        return real(texts)

    background._encoder.encode = held
    try:
        background.submit(["The ferry left the harbour at dawn.", "Its crew was small."])
        background.submit(["A storm closed the port by noon."])
        assert background.backlog() == 3
        release.set()
        background.ready(wait=True)
        assert background.backlog() == 0
    finally:
        background.close()
