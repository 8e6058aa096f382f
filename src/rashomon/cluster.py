"""The pipeline on a Dask distributed cluster: the same stages, another transport.

``rashomon analyze INPUT... --cluster local:4`` starts a LocalCluster of four worker
processes on this machine; ``--cluster tcp://HOST:8786`` joins a scheduler already running
(``dask scheduler`` on one machine, ``dask worker tcp://HOST:8786`` on each of the others,
every one with Rashomon installed). A worker plugin sets each worker up once (the run's
config, the spaCy model, the knowledge base); documents go out in chunks as the input is
read; each chunk comes back as plain data (dataclasses, no parse objects) and the caller,
the store's one writer, commits every document as its chunk completes. While the writer's
own encoder is behind, the chunks sent also ask their worker to encode the documents' event
sentences for the incidents step (``rashomon.sentence_vectors``), so that the writer never
encodes the whole cluster's output alone. The per-chunk code
is the local runner's :func:`rashomon.pipeline.analyse_chunk`, so both runners give the
same results, each document inside the same guard; only the order of completion differs.
One difference: Dask runs tasks in worker threads, where the per-document time budget
(a SIGALRM timer) cannot act, so on a cluster a document is bounded by the sentence and
window limits of the parse, not by ``--doc-timeout``.

Install the optional dependencies with ``pip install rashomon[cluster]``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from .pipeline import (
    AnalysedDocument,
    Config,
    EncodeOnWorkers,
    analyse_chunk,
    chunks,
    encode_on_workers,
    init_worker,
)
from .types import Document

#: Chunks in flight per worker: enough that none waits for work while results stream back,
#: few enough that a huge input never queues up in the scheduler's memory.
CHUNKS_PER_WORKER = 2
#: Dask settings of a ``local:N`` cluster (see ``_client``). Its processes share the cores
#: the analysis runs on, and Dask's defaults spend them on what only a dashboard shows:
#: the workers' statistical profiler samples the running task's stack every 10 ms, holding
#: the GIL the task needs (a tenth of each worker's CPU); the event loops' latency watch
#: ticks every 20 ms and the memory monitors sample every 100 ms (idle, they took 7% of a
#: core, scheduler and two workers together). The memory limits still act, every 0.5 s.
#: The nanny also starts each worker with MALLOC_TRIM_THRESHOLD_=65536, so that freed
#: memory goes back to the system at once; setting it pins glibc's mmap threshold at 128
#: KiB, and the parse's arrays above that size are then mapped and unmapped on every
#: batch (ten times the page faults of a local worker, 8-10% of a worker's CPU). The
#: workers keep malloc's defaults, as the local runner's processes do; the other
#: variables Dask sets (one BLAS and OpenMP thread) stay.
LOCAL_CLUSTER_CONFIG = {"distributed.worker.profile.enabled": False,
                       "distributed.admin.tick.interval": "1s",
                       "distributed.worker.memory.monitor-interval": "500ms",
                       "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
_ADDRESS = re.compile(r"^(?:local:(?P<workers>[1-9]\d{0,2})|(?:tcp|tls)://[^\s/]+:\d{1,5})$")


class ClusterError(Exception):
    """The cluster could not be reached, started, or lost the workers a run needed."""


def check_address(address: str) -> str:
    """``local:N`` (N from 1 to 999) or ``tcp://HOST:PORT`` / ``tls://HOST:PORT``."""
    if not _ADDRESS.match(address):
        raise ValueError(f"--cluster {address!r}: expected local:N or tcp://HOST:PORT")
    return address


def analyse_on_cluster(documents: Iterable[Document], config: Config,
                       sentence_vectors: EncodeOnWorkers = False
                       ) -> Iterator[AnalysedDocument]:
    """Analyse documents on ``config.cluster``, yielding results as chunks complete; with
    ``sentence_vectors`` (or for each chunk it answers True when the chunk is sent), each
    with its event sentences' vectors, encoded by the worker."""
    try:
        from distributed import as_completed
    except ImportError as exc:
        raise ClusterError("running on a cluster needs Dask: pip install 'rashomon[cluster]'"
                           ) from exc

    with _client(check_address(config.cluster or "")) as client:
        client.register_plugin(_set_up_worker_plugin()(config))
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        running = as_completed()
        in_flight = 0
        encode = encode_on_workers(sentence_vectors)
        try:
            for chunk in chunks(documents, config):
                running.add(client.submit(analyse_chunk, chunk, encode(),
                                           pure=False))
                in_flight += 1
                while in_flight >= CHUNKS_PER_WORKER * workers:
                    yield from _result(next(running))
                    in_flight -= 1
            for future in running:
                yield from _result(future)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cluster {config.cluster}: {exc}") from exc


@cache
def _set_up_worker_plugin() -> type:
    """The worker plugin class (built on first use: Dask is an optional dependency)."""
    from distributed import WorkerPlugin

    class SetUpWorker(WorkerPlugin):
        """Loads the run's config, model and knowledge base once per worker process."""

        name = "rashomon-set-up"

        def __init__(self, config: Config) -> None:
            self.config = config

        def setup(self, worker: Any) -> None:
            from .parse import load_nlp

            resources = init_worker(self.config)
            load_nlp(self.config.model)
            resources.kb  # noqa: B018 - loaded now, not inside the first chunk

    return SetUpWorker


def _result(future: Any) -> list[AnalysedDocument]:
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        raise ClusterError(f"a worker died analysing a chunk ({exc}); rerun to resume") from exc
    finally:
        future.release()


@contextmanager
def _client(address: str) -> Iterator[Any]:
    import dask
    from distributed import Client, LocalCluster

    # The scheduler's and workers' routine log lines would bury the run's own output.
    for name in ("distributed", "distributed.worker", "distributed.scheduler",
                 "distributed.nanny", "distributed.core", "distributed.http.proxy"):
        logging.getLogger(name).setLevel(logging.ERROR)
    local = re.match(r"^local:(\d+)$", address)
    try:
        if local:
            # The scheduler here and the workers (through their nannies) take these
            # settings as they start.
            with dask.config.set(LOCAL_CLUSTER_CONFIG):
                cluster = LocalCluster(n_workers=int(local.group(1)), threads_per_worker=1,
                                       processes=True, dashboard_address=None)
                client = Client(cluster)
        else:
            cluster, client = None, Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach cluster {address} ({exc})") from exc
    try:
        yield client
    except BaseException:
        _close(client, cluster)
        raise
    if cluster is None:
        client.close()
        return
    # The run is done with its workers, and stopping a local cluster's processes takes a
    # second or more (each worker closes, then its interpreter frees the model) in which
    # the writer would wait: they stop on a thread of their own while the writer goes
    # on with the corpus-level steps. The command's exit waits for that thread.
    threading.Thread(target=_close_quietly, args=(client, cluster),
                     name="rashomon-cluster-close").start()


def _close(client: Any, cluster: Any) -> None:
    try:
        client.close()
    finally:
        if cluster is not None:
            cluster.close()


def _close_quietly(client: Any, cluster: Any) -> None:
    """Stop a finished run's cluster; the run's work is stored by then, so a worker slow to
    stop is no error of the run's (Dask's exit hooks take down what is left)."""
    try:
        _close(client, cluster)
    except Exception:  # noqa: BLE001 - nothing of the run's depends on a clean stop
        logging.getLogger(__name__).debug("the local cluster did not stop cleanly",
                                          exc_info=True)
