"""Whole runs: inputs -> clean documents -> analysis -> store, and the notebook API.

``analyze_inputs`` is what ``rashomon analyze`` does: read files, directories and URLs,
clean them (with lines repeated across an outlet's articles treated as boilerplate),
drop exact and near duplicates, analyse each new document and commit it to the store
in its own transaction, then rebuild the relations. Inputs stream through: memory stays
flat however large they are. ``analyze`` does the same for a list of texts in memory and
returns an ``Analysis`` without any database; ``analyze_iter`` yields one per document.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .clean import Deduplicator, clean_record, load_patterns
from .clean.extract import extract
from .clean.repeated import outlet_key, repeated_lines, short_lines
from .ingest import read_inputs
from .pipeline import AnalysedDocument, Config, analyse_documents
from .store import Store
from .types import Actor, Analysis, Document, IngestProblem, RawRecord


@dataclass
class RunSummary:
    """What a run did, for the closing report."""

    read: int = 0
    ingested: int = 0
    already_stored: int = 0
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # id, kind, original
    problems: list[IngestProblem] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def nothing_read(self) -> bool:
        return self.read == 0 and bool(self.problems)


ProgressCallback = Callable[[str, int, int | None], None]  # phase, done, total


#: New records cleaned together. Lines repeated across an outlet's articles are counted over
#: the stored articles plus this many new ones, so memory stays flat however large the input
#: (a line is recognised as repeated from the window in which it reaches the thresholds).
WINDOW = 500


def analyze_inputs(
    inputs: Sequence[str | Path],
    store: Store,
    config: Config | None = None,
    boilerplate_files: Sequence[Path] = (),
    progress: ProgressCallback | None = None,
    on_problem: Callable[[IngestProblem], None] | None = None,
) -> RunSummary:
    """Ingest, clean, deduplicate, analyse and store; return what happened.

    Inputs are read as a stream, cleaned a window at a time and analysed as they come (in
    local processes, or on a Dask cluster when ``config.cluster`` names one); each document
    is committed with everything found in it as soon as its analysis returns.
    """
    config = config or Config()
    summary = RunSummary()
    report = progress or (lambda phase, done, total: None)
    _count_unlined(store)
    # What the store keeps beside a document's analysis (its near-duplicate signature and
    # its short lines), held only while the document is in flight.
    in_flight: dict[str, tuple[bytes | None, tuple[str, set[str]]]] = {}
    documents = _new_documents(inputs, store, summary, boilerplate_files, report, on_problem,
                               in_flight)
    for n, analysed in enumerate(analyse_documents(documents, config), start=1):
        signature, lines = in_flight.pop(analysed.result.document.id)
        store.add_analysis(analysed.result, analysed.actors.values(), signature=signature,
                           lines=lines)
        summary.ingested += 1
        for stage, seconds in analysed.timings.items():
            summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + seconds
        report("analysing", n, None)
    rebuild_relations(store)
    return summary


def _new_documents(inputs: Sequence[str | Path], store: Store, summary: RunSummary,
                   boilerplate_files: Sequence[Path], report: ProgressCallback,
                   on_problem: Callable[[IngestProblem], None] | None,
                   in_flight: dict[str, tuple[bytes | None, tuple[str, set[str]]]],
                   ) -> Iterator[Document]:
    """The documents of the inputs not yet stored, cleaned and deduplicated, as a stream;
    each one's signature and (outlet key, short lines) go into ``in_flight``."""
    patterns = load_patterns(boilerplate_files)
    dedup = Deduplicator.from_signatures(store.signatures())
    # Ids already stored are skipped without cleaning them again, unless the id now comes
    # from another source: then it is another article, and reusing its id would hide it.
    seen: dict[str, str] = {}
    for window in _windows(read_inputs(inputs), WINDOW):
        records: list[RawRecord] = []
        for item in window:
            if isinstance(item, IngestProblem):
                _problem(summary, on_problem, item.source, item.problem)
                continue
            summary.read += 1
            report("reading", summary.read, None)
            taken_by = seen.setdefault(item.id, item.source)
            if taken_by != item.source:
                _problem(summary, on_problem, item.source,
                         f"id {item.id!r} is already used by {taken_by}; skipped "
                         "(give it another id, e.g. in a NAME.meta.json sidecar)")
            elif store.has_document(item.id):
                stored_from = store.stored_source(item.id)
                if stored_from in (None, item.source):
                    summary.already_stored += 1
                else:
                    _problem(summary, on_problem, item.source,
                             f"id {item.id!r} is already stored from {stored_from}; skipped")
            else:
                records.append(item)
        for document, lines in _clean_window(records, store, patterns):
            hit = dedup.check(document)
            if hit is not None:
                kind, original = hit
                store.add_duplicate(document.id, original, kind, document.source)
                summary.duplicates.append((document.id, kind, original))
                continue
            dedup.add(document)
            in_flight[document.id] = (dedup.signature(document), lines)
            yield document


def _windows(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while window := list(itertools.islice(iterator, size)):
        yield window


def _clean_window(records: list[RawRecord], store: Store, patterns: Any
                  ) -> Iterator[tuple[Document, tuple[str, set[str]]]]:
    """Clean new records, each with its (outlet key, short lines); repeated lines are
    counted over the stored articles (from the store's line table) and this window's."""
    if not records:
        return
    # Each page is extracted once, for the line counts and for cleaning alike.
    pages = {id(r): extract(r) for r in records}
    lines = {id(r): short_lines(pages[id(r)].text) for r in records}
    docs, counts = store.outlet_line_counts(outlet_key(r) for r in records)
    docs_per_outlet: Counter[str] = Counter(docs)
    line_docs: dict[str, Counter[str]] = {o: Counter(c) for o, c in counts.items()}
    for record in records:
        outlet = outlet_key(record)
        docs_per_outlet[outlet] += 1
        line_docs.setdefault(outlet, Counter()).update(lines[id(record)])
    repeated = repeated_lines(docs_per_outlet, line_docs)
    for record in records:
        outlet = outlet_key(record)
        document = clean_record(record, patterns, repeated.get(outlet, set()),
                                page=pages[id(record)])
        yield document, (outlet, lines[id(record)])


def _count_unlined(store: Store) -> None:
    """Count the lines of documents stored before the store kept them (schema < v3)."""
    for doc_id, outlet, url, raw in store.unlined_documents():
        record = RawRecord(id=doc_id, source="store", format="txt", text=raw or "",
                           outlet=outlet, url=url)
        store.add_document_lines(doc_id, outlet_key(record), short_lines(extract(record).text))


def _problem(summary: RunSummary, on_problem: Callable[[IngestProblem], None] | None,
             source: str, message: str) -> None:
    problem = IngestProblem(source, message)
    summary.problems.append(problem)
    if on_problem:
        on_problem(problem)


def rebuild_relations(store: Store) -> None:
    """Relations are derived data: recomputed from every stored event and claim."""
    from .relations import build_relations

    store.replace_relations(build_relations(
        store.events(), store.claims(), store.documents(), store.actors()))


def analyze_iter(
    texts: Iterable[str | dict[str, Any] | Document],
    *,
    n_process: int = 0,
    config: Config | None = None,
) -> Iterator[Analysis]:
    """Analyse texts as a stream: one ``Analysis`` per document, in input order (in
    completion order on a cluster), holding that document and what was found in it.

    Nothing is kept between documents, so memory stays flat however many texts come;
    relations, which need the whole corpus, are left to :func:`analyze` or the store.
    ``texts`` are as for :func:`analyze`.
    """
    config = config or Config(n_process=n_process)
    for analysed in analyse_documents(_documents(texts), config):
        one = Analysis(documents=[analysed.result.document])
        actors: dict[str, Actor] = {}
        _collect(one, actors, analysed)
        one.actors = sorted(actors.values(), key=lambda a: a.id)
        yield one


def analyze(
    texts: Iterable[str | dict[str, Any] | Document],
    *,
    n_process: int = 0,
    config: Config | None = None,
) -> Analysis:
    """Analyse texts in memory and return the whole picture, no database involved.

    ``texts`` may be plain strings, dicts with ``text`` (or ``html``) and optional
    ``id``, ``title``, ``author``, ``outlet``, ``url``, ``published``, or Documents.
    Strings and dicts are cleaned like ingested files; Documents are used as they are.
    ``n_process=0`` uses both cores for large inputs; ``analysis.timings`` says where the
    time went. For a corpus too large to hold, use :func:`analyze_iter` or a store.
    """
    from .relations import build_relations

    config = config or Config(n_process=n_process)
    analysis = Analysis()
    actors: dict[str, Actor] = {}
    for analysed in analyse_documents(_documents(texts), config):
        analysis.documents.append(analysed.result.document)
        _collect(analysis, actors, analysed)
    analysis.actors = sorted(actors.values(), key=lambda a: a.id)
    analysis.relations = build_relations(analysis.events, analysis.claims, analysis.documents,
                                         analysis.actors)
    return analysis


def _documents(texts: Iterable[str | dict[str, Any] | Document]) -> Iterator[Document]:
    """Texts as clean Documents, one at a time (Documents pass through as they are)."""
    patterns = load_patterns()
    for n, item in enumerate(texts, start=1):
        if isinstance(item, Document):
            yield item
            continue
        fields = {"text": item} if isinstance(item, str) else dict(item)
        record = RawRecord(
            id=str(fields.pop("id", f"doc-{n:06d}")), source="<memory>",
            format="html" if fields.get("html") and not fields.get("text") else "txt",
            text=fields.pop("text", None), html=fields.pop("html", None),
            title=fields.pop("title", None), author=fields.pop("author", None),
            outlet=fields.pop("outlet", None), url=fields.pop("url", None),
            published=fields.pop("published", None), metadata=fields,
        )
        yield clean_record(record, patterns)


def _collect(analysis: Analysis, actors: dict[str, Actor], analysed: AnalysedDocument) -> None:
    result = analysed.result
    analysis.mentions += result.mentions
    analysis.places += result.places
    analysis.dates += result.dates
    analysis.events += result.events
    analysis.claims += result.claims
    for stage, seconds in analysed.timings.items():
        analysis.timings[stage] = analysis.timings.get(stage, 0.0) + seconds
    for actor in analysed.actors.values():
        if actor.id in actors:
            known = actors[actor.id]
            known.aliases = sorted(set(known.aliases) | set(actor.aliases))
        else:
            actors[actor.id] = actor
