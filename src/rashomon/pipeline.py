"""The per-document analysis pipeline: parse, then each registered stage in order.

Stages are registered by name (see ``registry``) and chosen by ``Config.stages``; each
takes a ``StageContext`` (the parsed document, the resources, and what earlier stages
found) and adds to its ``DocumentAnalysis``. Documents are independent, so a corpus
is analysed in parallel processes with ``Config.n_process > 1``.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from . import registry
from .actors import KnowledgeBase, Resolution, load_kb
from .parse import DEFAULT_BATCH_SIZE, DEFAULT_MODEL, parse_texts
from .types import Actor, Document, DocumentAnalysis

# With n_process=0, inputs of at least this many documents are parsed in several processes:
# below it, starting the workers (each loads the model, ~2 s) costs more than it saves.
# Chosen from bench/speed.py: 2 processes did not pay off on 100 articles and ran 1.7x
# faster on 1,000.
AUTO_PROCESS_MIN = 200
# Measured only on 2-core machines; more workers than cores would compete for them.
MAX_AUTO_PROCESSES = 2


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
        base = Path(path).parent
        for key in ("actor_files", "gazetteer_files", "lexicon_files"):
            data[key] = [str(base / p) for p in data.get(key) or []]
        return cls(**data)


class Resources:
    """Knowledge shared by all documents of a run, loaded on first use in each process."""

    def __init__(self, config: Config) -> None:
        self.config = config

    @cached_property
    def kb(self) -> KnowledgeBase:
        return load_kb(tuple(self.config.actor_files))

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


@dataclass
class AnalysedDocument:
    """One document's results, the actors they refer to, and time spent per stage."""

    result: DocumentAnalysis
    actors: dict[str, Actor]
    timings: dict[str, float]


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
        registry.get_stage(name)(ctx)
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


def analyse_documents(documents: Iterable[Document],
                      config: Config | None = None) -> Iterator[AnalysedDocument]:
    """Analyse documents in order, in ``config.n_process`` processes, streaming results."""
    config = config or Config()
    if config.n_process == 0:
        documents = list(documents)
        workers = min(os.cpu_count() or 1, MAX_AUTO_PROCESSES)
        n = workers if len(documents) >= AUTO_PROCESS_MIN else 1
        config = dataclasses.replace(config, n_process=n)
    if config.n_process <= 1:
        yield from _analyse_serial(documents, config)
        return
    chunk: list[Document] = []
    # Chunks of a few batches keep every worker busy while results stream back in order.
    chunk_size = config.batch_size * 4
    with ProcessPoolExecutor(max_workers=config.n_process, initializer=_init_worker,
                             initargs=(config,)) as pool:
        pending = []
        for document in documents:
            chunk.append(document)
            if len(chunk) >= chunk_size:
                pending.append(pool.submit(_analyse_chunk, chunk))
                chunk = []
                # Bound the queue: at most two chunks in flight per worker.
                while len(pending) > 2 * config.n_process:
                    yield from pending.pop(0).result()
        if chunk:
            pending.append(pool.submit(_analyse_chunk, chunk))
        for future in pending:
            yield from future.result()


def _analyse_serial(documents: Iterable[Document], config: Config) -> Iterator[AnalysedDocument]:
    resources = Resources(config)
    docs_a, docs_b = itertools.tee(documents)
    parsed = _timed(parse_texts((d.text for d in docs_a), config.model, config.batch_size))
    for document, (doc, seconds) in zip(docs_b, parsed, strict=False):
        analysed = analyse_parsed(document, doc, resources, config.stages)
        analysed.timings = {"parse": seconds, **analysed.timings}
        yield analysed


def _timed(docs: Iterator[Doc]) -> Iterator[tuple[Doc, float]]:
    """Each parse with the time it took (batches are parsed on the first document's turn)."""
    while True:
        started = time.perf_counter()
        try:
            doc = next(docs)
        except StopIteration:
            return
        yield doc, time.perf_counter() - started


_worker: dict[str, Any] = {}


def _init_worker(config: Config) -> None:
    # One model per worker, and no nested thread pools fighting over the two cores.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _worker["config"] = config
    _worker["resources"] = Resources(config)


def _analyse_chunk(chunk: list[Document]) -> list[AnalysedDocument]:
    config: Config = _worker["config"]
    resources: Resources = _worker["resources"]
    parsed = _timed(parse_texts((d.text for d in chunk), config.model, config.batch_size))
    results = []
    for document, (doc, seconds) in zip(chunk, parsed, strict=True):
        analysed = analyse_parsed(document, doc, resources, config.stages)
        analysed.timings = {"parse": seconds, **analysed.timings}
        results.append(analysed)
    return results
