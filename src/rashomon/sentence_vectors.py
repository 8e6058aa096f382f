"""The incidents' sentence vectors, encoded where the documents are analysed.

The incidents step compares events by the MiniLM vector of their sentence
(``incidents.cluster.text_vectors``), quantized (``rashomon.onnx_graph``): about 2.4 ms of
CPU a sentence, some 15 ms a real news article, 0.3x its parse. A vector depends on its
sentence alone, so it may be computed wherever costs least. The store's one writer encodes
on a thread of its own while it keeps pace (``analyze._SentenceVectors``); the chunks sent
while it is behind ask their worker process (a local runner's ``-j N`` process or a Dask
worker) to encode the event sentences of the documents it analyses, with one onnxruntime
thread and the model loaded once per worker, and the vectors travel back with each
document's plain-data result, stored with the document. The writer's single encoding
thread thus never bounds a cluster of many workers, and a writer with a core to spare
takes the encoding off the workers.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .embed import Encoder
    from .pipeline import AnalysedDocument

#: Vectors a worker keeps of the sentences it encoded last (about 1.5 KiB each, 30 MiB in
#: all), so that a sentence met again (a wire story's paragraph, a quotation repeated across
#: outlets) is not encoded again by that worker.
CACHE_SIZE = 20_000
#: The name of the worker's encoding time in a document's timings.
TIMING = "sentence vectors"


def event_sentences(analysed: AnalysedDocument) -> list[str]:
    """The sentences the incidents step encodes for a document: those of its events outside
    reader comments (``incidents.cluster.build_incidents`` leaves comments out)."""
    return [e.sentence for e in analysed.result.events if not e.in_comment]


class WorkerEncoder:
    """A worker's encoder: adds to each analysed document the vectors of its event
    sentences (``AnalysedDocument.sentence_vectors``: text key -> float32 bytes, as the
    store keeps them). Every distinct sentence of a chunk goes through the encoder once,
    in one call, so that its batches group texts of like length."""

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self._encoder: Encoder | None = None
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_size = cache_size

    def add_to(self, chunk: Sequence[AnalysedDocument]) -> None:
        """Give every document of ``chunk`` its vectors. If the encoder fails, the documents
        go without (the writer encodes what is missing) rather than failing the chunk."""
        from .incidents.cluster import text_key

        started = time.perf_counter()
        wanted = [{text_key(s): s for s in event_sentences(a)} for a in chunk]
        vectors: dict[str, bytes] = {}
        fresh: dict[str, str] = {}
        brings: list[int] = []  # per document, how many sentences it adds to encode
        for texts in wanted:
            before = len(fresh)
            for key, text in texts.items():
                if key in self._cache:
                    self._cache.move_to_end(key)
                    vectors[key] = self._cache[key]
                else:
                    fresh.setdefault(key, text)
            brings.append(len(fresh) - before)
        try:
            encoded = self._encode(list(fresh.values()))
        except Exception:  # noqa: BLE001 - the writer encodes what a worker could not
            return
        for key, vector in zip(fresh, encoded, strict=True):
            vectors[key] = vector.astype(np.float32).tobytes()
            self._remember(key, vectors[key])
        seconds = time.perf_counter() - started
        for analysed, texts, new in zip(chunk, wanted, brings, strict=True):
            analysed.sentence_vectors = {k: vectors[k] for k in texts}
            if new:
                analysed.timings[TIMING] = seconds * new / len(fresh)

    def _encode(self, texts: list[str]) -> np.ndarray:
        from .embed import Encoder

        if self._encoder is None:
            # One thread: the worker has one core, and its analysis is done meanwhile.
            self._encoder = Encoder(threads=1, quantized=True)
        return self._encoder.encode(texts)

    def _remember(self, key: str, vector: bytes) -> None:
        self._cache[key] = vector
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
