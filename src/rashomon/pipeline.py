"""The per-document analysis pipeline: parse, then each registered stage in order.

Stages are registered by name (see ``registry``) and chosen by ``Config.stages``; each
takes a ``StageContext`` (the parsed document, the resources, and what earlier stages
found) and adds to its ``DocumentAnalysis``. Documents are independent, so a corpus
is analysed in parallel processes with ``Config.n_process > 1``.
"""

from __future__ import annotations

import atexit
import dataclasses
import gc
import itertools
import math
import os
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from . import registry
from .actors import KnowledgeBase, Resolution, load_kb
from .blas import one_blas_thread
from .parse import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MODEL,
    WINDOW_CHARS,
    WindowHelper,
    load_nlp,
    parse_text,
    parse_texts,
)
from .sentence_vectors import WorkerEncoder
from .types import Actor, Document, DocumentAnalysis

# With n_process=0, inputs of at least this many documents are parsed in several processes:
# below it, starting the workers (each loads the model, ~2 s) costs more than it saves.
# Chosen from bench/speed.py: 2 processes did not pay off on 100 articles and ran 1.7x
# faster on 1,000.
AUTO_PROCESS_MIN = 200
# Measured only on 2-core machines; more workers than cores would compete for them.
MAX_AUTO_PROCESSES = 2
# A minute: a long news article takes a few seconds, so only pathological input reaches it.
# It is the budget of each window of WINDOW_CHARS characters (see ``time_budget_of``).
DEFAULT_DOC_TIMEOUT = 60.0


@dataclass
class Config:
    """What a run uses: which stages, which model, which user knowledge files."""

    stages: list[str] = field(default_factory=lambda: list(registry.DEFAULT_STAGES))
    model: str = DEFAULT_MODEL
    batch_size: int = DEFAULT_BATCH_SIZE
    n_process: int = 0  # 0: both cores for large inputs, one for small (see AUTO_PROCESS_MIN)
    actor_files: list[str] = field(default_factory=list)
    gazetteer_files: list[str] = field(default_factory=list)
    lexicon_files: list[str] = field(default_factory=list)
    # Seconds one document may take (its parse when parsed alone, then every stage) before
    # it is skipped, per window of WINDOW_CHARS characters (see ``time_budget_of``); 0 for
    # no limit.
    doc_timeout: float = DEFAULT_DOC_TIMEOUT
    # A Dask cluster to run on: "local:N" starts N worker processes here, "tcp://HOST:PORT"
    # joins a running scheduler; None runs in local processes (see n_process).
    cluster: str | None = None
    # Analysed documents per store transaction (`analyze`): the one writer commits about
    # 60 documents/s in batches of 64 against 9 one at a time; a kill loses at most one
    # batch of analyses (rerun to redo them), never part of a document.
    commit_every: int = 64
    # Which attributions are claims: "news" (what a news reader takes for someone's claim:
    # statements, quotations, stances; a learned cue's object or infinitive only when the
    # content scorer is sure) or "attributions" (PolNeAR's broader notion: acts on
    # objects and plans too, each word in at most one attribution; see
    # ``rashomon.claims.SCOPES``).
    claims_scope: str = "news"

    def __post_init__(self) -> None:
        from .claims import claims_scope

        claims_scope(self.claims_scope)  # a ValueError naming the known scopes

    @classmethod
    def from_file(cls, path: str | Path) -> Config:
        """A config from a YAML file of these fields; relative knowledge-file paths are
        taken from the config file's folder."""
        from .datafiles import DataFileError, load_yaml

        data = load_yaml(path) or {}
        if not isinstance(data, dict):
            raise DataFileError(f"{path}: expected a mapping of settings")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise DataFileError(f"{path}: unknown setting(s) {', '.join(unknown)}; "
                                f"known: {', '.join(sorted(known))}")
        for f in dataclasses.fields(cls):  # numbers must be numbers, not a traceback later
            value = data.get(f.name)
            if isinstance(f.default, int | float) and value is not None and (
                    isinstance(value, bool) or not isinstance(value, int | float)
                    or (isinstance(f.default, int) and not isinstance(value, int))):
                raise DataFileError(f"{path}: {f.name} must be a number, not {value!r}")
        base = Path(path).parent
        for key in ("actor_files", "gazetteer_files", "lexicon_files"):
            data[key] = [str(base / p) for p in data.get(key) or []]
        try:
            return cls(**data)
        except ValueError as exc:  # a setting out of its range ("claims_scope: all")
            raise DataFileError(f"{path}: {exc}") from exc


class Resources:
    """Knowledge shared by all documents of a run, loaded on first use in each process."""

    def __init__(self, config: Config) -> None:
        self.config = config

    @cached_property
    def kb(self) -> KnowledgeBase:
        return load_kb(tuple(self.config.actor_files), tuple(self.config.lexicon_files))

    @cached_property
    def event_lexicon(self) -> Any:
        from .events import load_event_lexicon

        return load_event_lexicon(tuple(self.config.lexicon_files))

    @cached_property
    def cues(self) -> Any:
        from .claims import load_cues

        return load_cues(tuple(self.config.lexicon_files))

    @cached_property
    def gazetteer(self) -> Any:
        from .places import Gazetteer

        return Gazetteer.load(extra_files=[Path(p) for p in self.config.gazetteer_files])

    def warm(self) -> None:
        """Load the model and every resource now (before any document's time budget), and
        take what the process has loaded out of the collector's full passes
        (``freeze_loaded``)."""
        load_nlp(self.config.model)
        for name in ("kb", "event_lexicon", "cues", "gazetteer"):
            getattr(self, name)
        freeze_loaded()


_frozen = False
#: Net allocations between two collections of the youngest generation (Python's default:
#: 700). A document's stages make and drop tens of thousands of short-lived lists and
#: tuples; at 700 a young collection runs every few hundred microseconds and walks the
#: temporaries still alive then, at 10,000 most of them are gone first: the collector's
#: CPU in the stages 22 -> 7.5 ms a pass over the speed pool (2026-12-05), and at most
#: 10,000 objects wait for it.
YOUNG_COLLECTION_EVERY = 10_000


def freeze_loaded() -> None:
    """Once per process, move every object then alive (the parser's model, the knowledge
    base, the lexicons, the gazetteer: a few hundred thousand objects kept for the
    process's life) to the cyclic garbage collector's permanent generation. Each
    document's stages allocate enough to set off a full collection every few dozen
    documents, and a full collection walked all of them again to find nothing: the
    collector took 59 ms of the stages' 1.15 s CPU a pass over the speed pool, 20 ms
    frozen (2026-12-05). Young collections then run every ``YOUNG_COLLECTION_EVERY``
    net allocations. What is allocated later is collected as before, and frozen objects
    are still freed when nothing refers to them; garbage is collected first, so none is
    frozen. A fork inherits the frozen generation. At exit the objects are given back,
    so that the interpreter's last collection sees them (extension modules such as
    duckdb's report the objects it does not free as leaks)."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        atexit.register(gc.unfreeze)
        young, *older = gc.get_threshold()
        gc.set_threshold(max(young, YOUNG_COLLECTION_EVERY), *older)
        _frozen = True


@dataclass
class StageContext:
    """What a stage sees: the document, its parse, shared resources and results so far."""

    document: Document
    doc: Doc
    resources: Resources
    result: DocumentAnalysis
    resolution: Resolution = field(default_factory=Resolution)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def year(self) -> int | None:
        published = self.document.published
        return int(published[:4]) if published and published[:4].isdigit() else None


#: Whether worker processes encode a chunk's event sentences (``rashomon.sentence_vectors``):
#: always, never, or asked as each chunk is sent (the writer's policy: see
#: ``analyze._SentenceVectors.workers_encode``).
EncodeOnWorkers = bool | Callable[[], bool]


def encode_on_workers(policy: EncodeOnWorkers) -> Callable[[], bool]:
    """The policy as a question asked once per chunk sent."""
    return policy if callable(policy) else (lambda: bool(policy))


@dataclass
class AnalysedDocument:
    """One document's results, the actors they refer to, and time spent per stage; from a
    worker process, also the vectors of its event sentences (``rashomon.sentence_vectors``:
    text key -> float32 bytes), which the incidents step would otherwise encode."""

    result: DocumentAnalysis
    actors: dict[str, Actor]
    timings: dict[str, float]
    sentence_vectors: dict[str, bytes] = field(default_factory=dict)


def analyse_parsed(document: Document, doc: Doc, resources: Resources,
                   stages: Iterable[str]) -> AnalysedDocument:
    """Run the named stages over one parsed document, then over its reader comments."""
    stages = list(stages)
    ctx = _run_stages(document, doc, resources, stages)
    if document.comments:
        _analyse_comments(ctx, resources, stages)
    return AnalysedDocument(result=ctx.result, actors=ctx.resolution.actors, timings=ctx.timings)


def _run_stages(document: Document, doc: Doc, resources: Resources,
                stages: list[str]) -> StageContext:
    ctx = StageContext(document=document, doc=doc, resources=resources,
                       result=DocumentAnalysis(document=document))
    for name in stages:
        started = time.perf_counter()
        try:
            registry.get_stage(name)(ctx)
        except (Exception, RecursionError) as exc:
            raise StageFailure(name, exc) from exc
        ctx.timings[name] = time.perf_counter() - started
    return ctx


def _analyse_comments(ctx: StageContext, resources: Resources, stages: list[str]) -> None:
    """Readers' comments are analysed like the article, each on its own, and everything
    found in them is marked ``in_comment`` so that no reader is taken for the outlet."""
    document = ctx.document
    texts = [c.text for c in document.comments]
    parsed = parse_texts(texts, resources.config.model, resources.config.batch_size)
    for number, (comment, doc) in enumerate(zip(document.comments, parsed, strict=True)):
        sub = dataclasses.replace(document, text=comment.text, comments=[])
        found = _run_stages(sub, doc, resources, stages)
        prefix = f"{document.id}:comment{number}:"
        for item in [*found.result.mentions, *found.result.events, *found.result.claims,
                     *found.result.stances]:
            item.in_comment, item.comment = True, number
        for item in [*found.result.events, *found.result.claims, *found.result.stances]:
            item.id = prefix + item.id.rsplit(":", 1)[-1]
        ctx.result.mentions += found.result.mentions
        ctx.result.events += found.result.events
        ctx.result.claims += found.result.claims
        ctx.result.stances += found.result.stances
        for actor_id, actor in found.resolution.actors.items():
            known = ctx.resolution.actors.setdefault(actor_id, actor)
            if known is not actor:
                known.aliases += [a for a in actor.aliases if a not in known.aliases]
        for name, seconds in found.timings.items():
            ctx.timings[name] = ctx.timings.get(name, 0.0) + seconds


def analyse_documents(documents: Iterable[Document], config: Config | None = None,
                      on_skip: SkipCallback | None = None,
                      sentence_vectors: EncodeOnWorkers = False
                      ) -> Iterator[AnalysedDocument]:
    """Analyse documents as a stream, in ``config.n_process`` local processes (results in
    input order) or on the Dask cluster ``config.cluster`` (in order of completion).
    With ``sentence_vectors`` (or for each chunk it answers True when the chunk is sent),
    worker processes also encode each document's event sentences for the incidents step
    (``AnalysedDocument.sentence_vectors``); a run in this one process leaves that to the
    caller.

    Each document runs inside a guard: an exception in any stage, or more time than
    ``config.doc_timeout``, skips that document alone. ``on_skip(document, reason)`` hears of
    each skip (default: a warning); the others are analysed as if it had not been there.
    Every transport runs the same code per chunk of documents (:func:`analyse_chunk`).
    """
    config = config or Config()
    report = on_skip or _warn_skip
    # A second core left idle by a one-process run parses half of each long text's windows.
    helper = False
    if config.n_process == 0 and not config.cluster:
        # Look ahead only as far as the decision needs, so that a stream stays a stream.
        documents = iter(documents)
        head = list(itertools.islice(documents, AUTO_PROCESS_MIN))
        documents = itertools.chain(head, documents)
        workers = min(os.cpu_count() or 1, MAX_AUTO_PROCESSES)
        n = workers if len(head) >= AUTO_PROCESS_MIN else 1
        helper = n == 1 and workers > 1
        config = dataclasses.replace(config, n_process=n)
    if config.cluster:
        from .cluster import analyse_on_cluster

        items: Iterator[AnalysedDocument | SkippedDocument] = analyse_on_cluster(
            documents, config, sentence_vectors)
    elif config.n_process <= 1:
        items = _analyse_stream(documents, config, Resources(config),
                                WindowHelper() if helper else None)
    else:
        items = _analyse_parallel(documents, config, sentence_vectors)
    for item in items:
        if isinstance(item, SkippedDocument):
            report(item.document, item.reason)
        else:
            yield item


@dataclass
class SkippedDocument:
    """A document the guard gave up on, and why (one line)."""

    document: Document
    reason: str


SkipCallback = Callable[[Document, str], None]


class DocumentTimeout(BaseException):  # noqa: N818 - a signal, not an error
    """A document ran past its time budget. A BaseException, so that a stage's own
    ``except Exception`` cannot swallow it."""


class StageFailure(Exception):
    """A stage raised on a document; says which stage."""

    def __init__(self, stage: str, cause: Exception) -> None:
        super().__init__(f"{stage} stage failed ({_describe(cause)})")


def _describe(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    message = message[:157] + "..." if len(message) > 160 else message
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _warn_skip(document: Document, reason: str) -> None:
    warnings.warn(f"{document.source or document.id}: skipped ({reason})", stacklevel=3)


def time_budget_of(document: Document, doc_timeout: float) -> float:
    """Seconds ``document`` may take: ``doc_timeout`` per window of WINDOW_CHARS characters
    (its text and reader comments together), 0 for no limit.

    A text longer than any news article (a report, a transcript, articles pasted into one
    file) is what the user asked to analyse: it is parsed in windows and every stage is
    linear in its length (sentences are bounded), so it gets the budget of as many
    documents as it has windows, and is analysed whole. What the budget still catches is
    text much slower than its length warrants: a stage that blows up on it.
    """
    if doc_timeout <= 0:
        return 0.0
    chars = len(document.text) + sum(len(c.text) for c in document.comments)
    return doc_timeout * max(1, math.ceil(chars / WINDOW_CHARS))


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout in the block after ``seconds`` (0: no limit).

    Uses SIGALRM, so it only acts in the main thread of a process (worker processes
    included) on platforms that have it; elsewhere the block runs without a limit.
    """
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # someone else's timer was running: give it back what it has left
            signal.setitimer(signal.ITIMER_REAL,
                             max(outer - (time.monotonic() - started), 0.001))


def _analyse_stream(documents: Iterable[Document], config: Config, resources: Resources,
                    helper: WindowHelper | None = None,
                    ) -> Iterator[AnalysedDocument | SkippedDocument]:
    """Parse in batches, analyse each document in its guard. A document too long for one
    parse window is parsed alone, inside its guard (its windows shared with ``helper``, a
    second process, if given); so is every document of a batch whose parse failed."""
    if config.doc_timeout > 0:
        resources.warm()  # loading the knowledge must not count against the first document
    batch: list[Document] = []
    try:
        for document in documents:
            if len(document.text) > WINDOW_CHARS:
                yield from _analyse_batch(batch, config, resources)
                batch = []
                yield _guarded(document, config, resources, helper=helper)
                continue
            batch.append(document)
            if len(batch) >= config.batch_size:
                yield from _analyse_batch(batch, config, resources)
                batch = []
        yield from _analyse_batch(batch, config, resources)
    finally:
        if helper is not None:
            helper.close()


def _analyse_batch(batch: list[Document], config: Config,
                   resources: Resources) -> Iterator[AnalysedDocument | SkippedDocument]:
    if not batch:
        return
    started = time.perf_counter()
    try:
        docs = list(parse_texts([d.text for d in batch], config.model, config.batch_size))
    except Exception:  # one text broke the batch: each is parsed again inside its own guard
        for document in batch:
            yield _guarded(document, config, resources)
        return
    seconds = (time.perf_counter() - started) / len(batch)
    for document, doc in zip(batch, docs, strict=True):
        yield _guarded(document, config, resources, doc, seconds)


def _guarded(document: Document, config: Config, resources: Resources, doc: Doc | None = None,
             parse_seconds: float = 0.0, helper: WindowHelper | None = None,
             ) -> AnalysedDocument | SkippedDocument:
    """One document's parse (unless given) and stages, within the time budget."""
    started = time.perf_counter()
    step = "parse"
    budget = time_budget_of(document, config.doc_timeout)
    try:
        with time_budget(budget), one_blas_thread():
            if doc is None:
                doc = parse_text(document.text, config.model, config.batch_size, helper)
                parse_seconds = time.perf_counter() - started
            step = "analysis"
            analysed = analyse_parsed(document, doc, resources, config.stages)
    except DocumentTimeout:
        windows = round(budget / config.doc_timeout)
        per = f", {config.doc_timeout:g} s for each of {windows} windows" if windows > 1 else ""
        return SkippedDocument(document, f"over its {budget:g} s time budget "
                                         f"({len(document.text):,} characters{per}; "
                                         "raise --doc-timeout to analyse it)")
    except StageFailure as exc:
        return SkippedDocument(document, str(exc))
    except (Exception, RecursionError) as exc:
        return SkippedDocument(document, f"{step} failed ({_describe(exc)})")
    analysed.timings = {"parse": parse_seconds, **analysed.timings}
    return analysed


def _analyse_parallel(documents: Iterable[Document], config: Config,
                      sentence_vectors: EncodeOnWorkers
                      ) -> Iterator[AnalysedDocument | SkippedDocument]:
    """Chunks of documents in worker processes, results in order. A worker that dies takes
    only its chunks with it: their documents are reported and the rest is analysed here."""
    pool = ProcessPoolExecutor(max_workers=config.n_process, initializer=init_worker,
                               initargs=(config,))
    pending: list[tuple[Future[list[AnalysedDocument | SkippedDocument]],
                        list[Document]]] = []
    broken = False
    iterator = iter(documents)
    resources = cache(lambda: Resources(config))
    encode = encode_on_workers(sentence_vectors)

    def collect(future: Future[Any], chunk: list[Document]) -> list[Any]:
        nonlocal broken
        try:
            return future.result()
        except BrokenProcessPool:
            broken = True
            return [SkippedDocument(d, "worker process died while analysing its batch")
                    for d in chunk]

    try:
        for chunk in chunks(iterator, config):
            submitted = False
            if not broken:
                try:
                    pending.append((pool.submit(analyse_chunk, chunk, encode()),
                                    chunk))
                    submitted = True
                except BrokenProcessPool:
                    broken = True
            # Bound the queue: at most two chunks in flight per worker.
            while pending and (broken or len(pending) > 2 * config.n_process):
                yield from collect(*pending.pop(0))
            if not submitted:  # the pool is broken: here, one guarded document at a time
                yield from _analyse_stream(chunk, config, resources())
        while pending:
            yield from collect(*pending.pop(0))
    except BaseException:
        # Ctrl-C or a closed generator: stop the workers now rather than after their chunks.
        pool.shutdown(wait=False, cancel_futures=True)
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def chunks(documents: Iterable[Document], config: Config) -> Iterator[list[Document]]:
    """Documents in chunks of a few parser batches: enough to keep a worker busy while
    results stream back."""
    iterator = iter(documents)
    while chunk := list(itertools.islice(iterator, config.batch_size * 4)):
        yield chunk


_worker: dict[str, Any] = {}


def init_worker(config: Config) -> Resources:
    """Set a worker process up once: its config and resources (model, knowledge base)."""
    # One model per worker, and no nested thread pools fighting over the cores.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if threading.current_thread() is threading.main_thread():
        # Ctrl-C is the parent's to handle: workers printing tracebacks would bury its message.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker["config"] = config
    _worker["resources"] = Resources(config)
    _worker["sentence_vectors"] = WorkerEncoder()
    return _worker["resources"]


def analyse_chunk(chunk: list[Document], sentence_vectors: bool = False,
                  ) -> list[AnalysedDocument | SkippedDocument]:
    """Parse and analyse a chunk, each document in its guard, in a worker set up by
    :func:`init_worker`; with ``sentence_vectors``, add each analysed document's
    sentence vectors (``rashomon.sentence_vectors``)."""
    config: Config = _worker["config"]
    resources: Resources = _worker["resources"]
    results = list(_analyse_stream(chunk, config, resources))
    if sentence_vectors:
        _worker["sentence_vectors"].add_to(
            [r for r in results if isinstance(r, AnalysedDocument)])
    return results
