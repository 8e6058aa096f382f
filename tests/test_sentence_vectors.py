"""The incidents' sentence vectors, encoded by the worker that analysed the document.

A worker gives each analysed document the MiniLM vectors of its event sentences (outside
reader comments), the same vectors the writer's encoder would compute; the writer stores
them in the document's transaction and encodes only the sentences that came without.
Workers are asked to encode a chunk only while the writer's own encoder is behind.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict
from types import SimpleNamespace

import numpy as np
import pytest

from rashomon.embed import Encoder
from rashomon.incidents.cluster import text_key
from rashomon.pipeline import AnalysedDocument
from rashomon.sentence_vectors import TIMING, WorkerEncoder
from rashomon.store import PendingDocument, Store
from rashomon.types import Document, DocumentAnalysis, Event

analyze_module = importlib.import_module("rashomon.analyze")

SHELLED = "Rebels shelled the market town on Monday, killing three people."
MET = "The two foreign ministers met in the capital to discuss the border."
REPLIED = "A reader replied that the report was wrong."


def _event(doc_id: str, n: int, sentence: str, in_comment: bool = False) -> Event:
    return Event(id=f"{doc_id}:e{n}", document=doc_id, start=0, end=len(sentence),
                 sentence=sentence, trigger="shelled", type="ASSAULT", quad="material_conflict",
                 source=None, target=None, in_comment=in_comment)


def _analysed(doc_id: str, *events: Event) -> AnalysedDocument:
    document = Document(id=doc_id, text=" ".join(e.sentence for e in events))
    return AnalysedDocument(DocumentAnalysis(document=document, events=list(events)), {}, {})


def _vector(text: str) -> np.ndarray:
    return Encoder(threads=1, quantized=True).encode([text])[0]


def test_each_document_gets_the_vectors_of_its_event_sentences_outside_comments():
    first = _analysed("a", _event("a", 1, SHELLED), _event("a", 2, MET),
                      _event("a", 3, REPLIED, in_comment=True))
    second = _analysed("b", _event("b", 1, MET))
    WorkerEncoder().add_to([first, second])
    assert set(first.sentence_vectors) == {text_key(SHELLED), text_key(MET)}
    assert set(second.sentence_vectors) == {text_key(MET)}
    stored = np.frombuffer(first.sentence_vectors[text_key(SHELLED)], dtype=np.float32)
    assert np.allclose(stored, _vector(SHELLED), atol=1e-5)
    # the sentence both documents tell is encoded once, its time counted for the first
    assert TIMING in first.timings and TIMING not in second.timings


def test_a_worker_does_not_encode_a_sentence_it_met_in_an_earlier_chunk(monkeypatch):
    worker = WorkerEncoder()
    worker.add_to([_analysed("a", _event("a", 1, SHELLED))])
    encoded: list[list[str]] = []
    real = worker._encode
    monkeypatch.setattr(worker, "_encode", lambda texts: encoded.append(texts) or real(texts))
    later = _analysed("b", _event("b", 1, SHELLED), _event("b", 2, MET))
    worker.add_to([later])
    assert encoded == [[MET]]
    assert set(later.sentence_vectors) == {text_key(SHELLED), text_key(MET)}


def test_a_failing_encoder_leaves_the_vectors_to_the_writer(monkeypatch):
    worker = WorkerEncoder()

    def broken(texts: list[str]) -> np.ndarray:
        raise RuntimeError("no model here")

    monkeypatch.setattr(worker, "_encode", broken)
    analysed = _analysed("a", _event("a", 1, SHELLED))
    worker.add_to([analysed])
    assert analysed.sentence_vectors == {} and TIMING not in analysed.timings


def test_the_writer_stores_carried_vectors_and_encodes_only_the_rest(tmp_path, monkeypatch):
    carried = _analysed("a", _event("a", 1, SHELLED))
    WorkerEncoder().add_to([carried])
    bare = _analysed("b", _event("b", 1, SHELLED), _event("b", 2, MET))
    submitted: list[list[str]] = []
    with Store(tmp_path / "s.duckdb") as store:
        sentences = analyze_module._SentenceVectors(store)
        monkeypatch.setattr(sentences.encoder, "submit", submitted.append)
        items = [PendingDocument(a.result, [], sentence_vectors=a.sentence_vectors)
                 for a in (carried, bare)]
        store.add_analyses(items)
        sentences.committed(items)
        sentences.close()
        assert store.text_vectors() == carried.sentence_vectors  # in the documents' commit
    assert submitted == [[MET]]


def test_the_workers_encode_only_while_the_writers_encoder_is_behind(tmp_path, monkeypatch):
    with Store(tmp_path / "s.duckdb") as store:
        sentences = analyze_module._SentenceVectors(store)
        try:
            owed = [0]
            monkeypatch.setattr(sentences.encoder, "backlog", lambda: owed[0])
            assert not sentences.workers_encode()  # it keeps up: it encodes them itself
            owed[0] = analyze_module.WRITER_BACKLOG + 1
            assert sentences.workers_encode()  # behind: the chunks sent now come encoded
        finally:
            sentences.close()


def test_the_workers_encode_while_the_writers_own_thread_is_the_busy_one(tmp_path,
                                                                         monkeypatch):
    # Behind a large cluster the writer's thread (reading, cleaning, commits) sets the
    # pace; its encoder would take the interpreter lock from it, so the workers encode.
    clock = {"wall": 100.0, "cpu": 10.0}
    fake_time = SimpleNamespace(monotonic=lambda: clock["wall"],
                                thread_time=lambda: clock["cpu"],
                                perf_counter=lambda: clock["wall"])
    monkeypatch.setattr(analyze_module, "time", fake_time)
    with Store(tmp_path / "s.duckdb") as store:
        sentences = analyze_module._SentenceVectors(store)
        try:
            clock["wall"] += 6.0
            clock["cpu"] += 5.7  # busy 95% of the time
            assert sentences.workers_encode()
            clock["wall"] += 6.0
            clock["cpu"] += 1.2  # mostly waiting for results: room to encode
            assert not sentences.workers_encode()
        finally:
            sentences.close()


@pytest.mark.slow
def test_local_workers_encode_the_chunks_the_policy_asks_them_to():
    from rashomon.pipeline import Config, analyse_documents

    texts = ["Soldiers shelled a village near the river on Sunday.",
             "The mayor thanked volunteers who rebuilt the school.",
             "Police arrested two smugglers at the northern crossing.",
             "Farmers blocked the highway to protest the grain price."]
    documents = [Document(id=f"t{n}", text=text) for n, text in enumerate(texts * 2)]
    answers = iter([True, False])  # batches of one, chunks of four: two chunks
    config = Config(n_process=2, batch_size=1)
    analysed = list(analyse_documents(documents, config,
                                      sentence_vectors=lambda: next(answers)))
    assert [bool(a.sentence_vectors) for a in analysed] == [True] * 4 + [False] * 4


@pytest.mark.slow
def test_analyse_in_two_processes_gives_the_one_process_incidents(monkeypatch):
    """``analyze`` with worker processes takes their vectors; the incidents are the ones
    the writer's own encoding gives."""
    import rashomon

    # as if the writer's encoder were always behind: every chunk comes back encoded
    monkeypatch.setattr(analyze_module, "WRITER_BACKLOG", -1)

    texts = [{"id": f"n{n}", "text": text} for n, text in enumerate([
        "Turkish jets bombed positions in northern Iraq on Monday, officials said.",
        "Officials said Turkish warplanes bombed positions in northern Iraq on Monday.",
        "Iran's foreign minister met his Iraqi counterpart in Baghdad on Tuesday."])]
    one = rashomon.analyze(texts, n_process=1)
    two = rashomon.analyze(texts, n_process=2)
    assert two.timings.get(TIMING, 0) > 0 and TIMING not in one.timings
    assert [asdict(i) for i in two.incidents] == [asdict(i) for i in one.incidents]
    assert [e.to_dict() for e in two.events] == [e.to_dict() for e in one.events]
