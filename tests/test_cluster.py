"""Scaling out: the same pipeline on a Dask cluster, a streaming API, a streamed input.

A run on a LocalCluster of two worker processes must store exactly what a local run
stores (only the order of commits may differ), and a cluster run killed mid-way must
resume to that same store. The workers encode their documents' event sentences for the
incidents step while the writer's encoder is behind, the vectors the one-process run's
writer computes. ``analyze_iter``
yields one Analysis per document, and lines repeated across an outlet's articles are
counted from the store across runs.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import rashomon
from rashomon.cli import app
from rashomon.store import Store

pytest.importorskip("distributed")
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def contents(db: Path) -> dict[str, list[str]]:
    """What a store holds, each table as a sorted list: commit order is not compared."""
    with Store(db, read_only=True) as store:
        data = store.analysis().to_dict()
    for d in data["documents"]:
        d.pop("metadata", None)
    return {table: sorted(json.dumps(row, sort_keys=True) for row in rows)
            for table, rows in data.items() if isinstance(rows, list)}


def sentence_vectors(db: Path) -> dict[str, np.ndarray]:
    """The incidents' stored sentence vectors, by text key."""
    with Store(db, read_only=True) as store:
        return {k: np.frombuffer(v, dtype=np.float32) for k, v in store.text_vectors().items()}


def assert_same_vectors(ours: Path, theirs: Path) -> None:
    mine, writers = sentence_vectors(ours), sentence_vectors(theirs)
    assert mine.keys() == writers.keys() and mine
    for key, vector in mine.items():
        assert np.allclose(vector, writers[key], atol=1e-5, rtol=0), key


@pytest.fixture(scope="module")
def local_run(tmp_path_factory, examples_dir) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    code, output = run("analyze", str(examples_dir), "--db", str(db), "--quiet")
    assert code == 0, output
    return db


@pytest.mark.slow
def test_a_cluster_run_stores_what_a_local_run_stores(tmp_path, examples_dir, local_run,
                                                      monkeypatch):
    # as if the writer's encoder were always behind: the workers encode every chunk
    monkeypatch.setattr(importlib.import_module("rashomon.analyze"), "WRITER_BACKLOG", -1)
    db = tmp_path / "cluster.duckdb"
    code, output = run("analyze", str(examples_dir), "--db", str(db), "--quiet",
                       "--cluster", "local:2")
    assert code == 0, output
    ours, theirs = contents(db), contents(local_run)
    for table in ("documents", "events", "claims", "relations", "mentions", "actors",
                  "incidents"):
        assert ours[table] == theirs[table], table
    assert len(ours["events"]) > 0 and len(ours["relations"]) > 0
    assert any(len(json.loads(row)["documents"]) > 1 for row in ours["incidents"])
    # The workers encoded the event sentences here; the one-process run's writer did.
    assert_same_vectors(db, local_run)


@pytest.mark.slow
def test_local_worker_processes_encode_what_the_writer_would(tmp_path, examples_dir,
                                                           local_run):
    db = tmp_path / "two.duckdb"
    code, output = run("analyze", str(examples_dir), "--db", str(db), "--quiet", "-j", "2")
    assert code == 0, output
    assert contents(db) == contents(local_run)
    assert_same_vectors(db, local_run)


@pytest.mark.slow
def test_a_killed_cluster_run_resumes_to_the_same_store(tmp_path, examples_dir, local_run):
    corpus = tmp_path / "corpus"
    shutil.copytree(examples_dir, corpus)
    db = tmp_path / "killed.duckdb"
    cmd = [sys.executable, "-c", "from rashomon.cli import main; main()", "analyze",
           str(corpus), "--db", str(db), "--quiet", "--cluster", "local:2"]
    # Its own process group, so that the kill takes the scheduler and workers with it.
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            start_new_session=True)
    wal = Path(f"{db}.wal")
    deadline = time.time() + 180
    while time.time() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 50_000:  # some documents committed
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()

    code, output = run("analyze", str(corpus), "--db", str(db), "--quiet",
                       "--cluster", "local:2")
    assert code == 0, output
    assert contents(db) == contents(local_run)


def test_a_malformed_cluster_address_is_a_usage_error(tmp_path, examples_dir):
    db = tmp_path / "never.duckdb"
    code, output = run("analyze", str(examples_dir), "--db", str(db), "--cluster", "local:x")
    assert code == 2
    assert "local:N or tcp://HOST:PORT" in output
    assert not db.exists()


def test_an_unreachable_scheduler_is_one_line_and_keeps_the_store(tmp_path, examples_dir):
    db = tmp_path / "s.duckdb"
    code, output = run("analyze", str(examples_dir), "--db", str(db), "--quiet",
                       "--cluster", "tcp://127.0.0.1:9")
    assert code == 1
    assert "cannot reach cluster tcp://127.0.0.1:9" in output
    assert "Traceback" not in output


@pytest.mark.slow
def test_analyze_iter_yields_each_document_on_its_own():
    texts = [{"id": "a", "text": "Turkish jets bombed PKK positions in northern Iraq."},
             {"id": "b", "text": "Iran's foreign minister met his Iraqi counterpart."}]
    stream = rashomon.analyze_iter(iter(texts))
    first = next(stream)
    assert [d.id for d in first.documents] == ["a"]
    assert all(e.document == "a" for e in first.events) and first.events
    second = next(stream)
    assert [d.id for d in second.documents] == ["b"]
    assert next(stream, None) is None
    whole = rashomon.analyze(texts)

    def per_document(event: rashomon.Event) -> dict:
        # Incidents join events across documents: a corpus-level step analyze_iter leaves out.
        return {k: v for k, v in event.to_dict().items() if k != "incident"}

    assert ([per_document(e) for e in first.events + second.events]
            == [per_document(e) for e in whole.events])


@pytest.mark.slow
def test_repeated_lines_are_counted_from_the_store_across_runs(tmp_path):
    footer = "The Daily Lantern thanks the Erbil bureau for its help with this story."
    bodies = ["Turkish jets bombed positions near the border on Monday, officials said.",
              "Iraq's parliament met to debate the budget after weeks of delay.",
              "Protesters gathered in the capital to demand better public services."]
    db = tmp_path / "s.duckdb"
    for n, body in enumerate(bodies):
        path = tmp_path / f"in{n}" / "a.jsonl"
        path.parent.mkdir()
        path.write_text(json.dumps({"id": f"lantern-{n}", "outlet": "Daily Lantern",
                                    "text": f"{body}\n\n{footer}"}) + "\n")
        code, output = run("analyze", str(path), "--db", str(db), "--quiet")
        assert code == 0, output
    with Store(db, read_only=True) as store:
        texts = {d.id: d.text for d in store.documents()}
    # The third article is the third of its outlet with that line: boilerplate by then.
    assert footer in texts["lantern-0"]
    assert footer not in texts["lantern-2"]
    assert bodies[2] in texts["lantern-2"]


def _profiles(dask_worker) -> bool:
    return "profile" in dask_worker.periodic_callbacks


@pytest.mark.slow
def test_a_local_cluster_runs_its_workers_without_the_profiler():
    # Dask's profiler samples each running task's stack every 10 ms, holding the GIL the
    # task needs; a local cluster starts its workers without it.
    from rashomon.cluster import _client

    with _client("local:1") as client:
        assert list(client.run(_profiles).values()) == [False]


@pytest.mark.slow
def test_a_local_cluster_keeps_mallocs_own_trimming_in_its_workers(monkeypatch):
    # Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which pins glibc's
    # mmap threshold at 128 KiB: every parse array above it is mapped and unmapped again,
    # page faults that cost a tenth of a worker's CPU. A local cluster leaves malloc as
    # the local runner's processes have it.
    from rashomon.cluster import _client

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with _client("local:1") as client:
        assert list(client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_").values()) == [None]
        # Dask's other worker variables stay (one OpenMP thread, unless this shell says).
        assert list(client.run(os.environ.get, "OMP_NUM_THREADS").values()) == [
            os.environ.get("OMP_NUM_THREADS", "1")]


@pytest.mark.slow
def test_a_finished_run_stops_its_local_cluster_while_the_caller_goes_on(monkeypatch):
    # Stopping the worker processes takes a second or more; the writer's corpus-level
    # steps need none of them, so the stop runs on a thread of its own.
    import threading

    from rashomon import cluster as cluster_module

    release = threading.Event()
    real_close = cluster_module._close

    def held_close(client, cluster):
        release.wait(60)
        real_close(client, cluster)

    monkeypatch.setattr(cluster_module, "_close", held_close)
    with cluster_module._client("local:1") as client:
        assert client.submit(sum, [1, 2]).result() == 3
    assert client.status == "running"  # the caller is back before the cluster has stopped
    stopping = [t for t in threading.enumerate() if t.name == "rashomon-cluster-close"]
    release.set()
    for thread in stopping:
        thread.join(60)
    assert stopping and client.status == "closed"


@pytest.mark.slow
def test_a_run_that_fails_stops_its_local_cluster_before_the_error_goes_on():
    from rashomon.cluster import _client

    with pytest.raises(RuntimeError, match="the writer gave up"):
        with _client("local:1") as client:
            raise RuntimeError("the writer gave up")
    assert client.status == "closed"
