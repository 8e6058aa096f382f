"""Whole runs: inputs -> clean documents -> analysis -> store, and the notebook API.

``analyze_inputs`` is what ``rashomon analyze`` does: read files, directories and URLs,
clean them (with lines repeated across an outlet's articles treated as boilerplate),
drop exact and near duplicates, analyse each new document and commit it to the store
in its own transaction, then rebuild the relations. ``analyze`` does the same for a list
of texts in memory and returns an ``Analysis`` without any database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .clean import Deduplicator, clean_record, find_repeated_lines, load_patterns
from .clean.extract import extract
from .clean.repeated import outlet_key
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


def analyze_inputs(
    inputs: Sequence[str | Path],
    store: Store,
    config: Config | None = None,
    boilerplate_files: Sequence[Path] = (),
    progress: ProgressCallback | None = None,
    on_problem: Callable[[IngestProblem], None] | None = None,
) -> RunSummary:
    """Ingest, clean, deduplicate, analyse and store; return what happened."""
    config = config or Config()
    summary = RunSummary()
    report = progress or (lambda phase, done, total: None)

    records: list[RawRecord] = []
    for item in read_inputs(inputs):
        if isinstance(item, IngestProblem):
            _problem(summary, on_problem, item.source, item.problem)
        else:
            records.append(item)
            report("reading", len(records), None)
    summary.read = len(records)

    # Ids already stored are skipped without cleaning them again, unless the id now comes
    # from another source: then it is another article, and reusing its id would hide it.
    seen: dict[str, str] = {}
    new_records = []
    for record in records:
        taken_by = seen.setdefault(record.id, record.source)
        if taken_by != record.source:
            _problem(summary, on_problem, record.source,
                     f"id {record.id!r} is already used by {taken_by}; skipped "
                     "(give it another id, e.g. in a NAME.meta.json sidecar)")
        elif store.has_document(record.id):
            stored_from = store.stored_source(record.id)
            if stored_from in (None, record.source):
                summary.already_stored += 1
            else:
                _problem(summary, on_problem, record.source,
                         f"id {record.id!r} is already stored from {stored_from}; skipped")
        else:
            new_records.append(record)

    documents = list(_clean(new_records, records, store, boilerplate_files))
    dedup = Deduplicator.from_signatures(store.signatures())
    unique: list[Document] = []
    for doc in documents:
        hit = dedup.check(doc)
        if hit is not None:
            kind, original = hit
            store.add_duplicate(doc.id, original, kind, doc.source)
            summary.duplicates.append((doc.id, kind, original))
            continue
        dedup.add(doc)
        unique.append(doc)

    for n, analysed in enumerate(analyse_documents(unique, config), start=1):
        store.add_analysis(analysed.result, analysed.actors.values(),
                           signature=dedup.signature(analysed.result.document))
        summary.ingested += 1
        for stage, seconds in analysed.timings.items():
            summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + seconds
        report("analysing", n, len(unique))

    rebuild_relations(store)
    return summary


def _problem(summary: RunSummary, on_problem: Callable[[IngestProblem], None] | None,
             source: str, message: str) -> None:
    problem = IngestProblem(source, message)
    summary.problems.append(problem)
    if on_problem:
        on_problem(problem)


def _clean(new_records: list[RawRecord], all_records: list[RawRecord], store: Store,
           boilerplate_files: Sequence[Path]) -> Iterator[Document]:
    """Clean new records; repeated lines are counted over the stored and the new articles."""
    patterns = load_patterns(boilerplate_files)
    seen = {r.id for r in all_records}
    stored = [RawRecord(id=i, source="store", format="txt", text=raw or "", outlet=outlet)
              for i, outlet, raw in store.raw_texts() if i not in seen]
    if not new_records:
        return
    # Each page is extracted once, for the line counts and for cleaning alike.
    pages = {id(r): extract(r) for r in [*stored, *all_records]}
    repeated = find_repeated_lines([*stored, *all_records], text_of=lambda r: pages[id(r)].text)
    for record in new_records:
        yield clean_record(record, patterns, repeated.get(outlet_key(record), set()),
                           page=pages[id(record)])


def rebuild_relations(store: Store) -> None:
    """Relations are derived data: recomputed from every stored event and claim."""
    from .relations import build_relations

    store.replace_relations(build_relations(
        store.events(), store.claims(), store.documents(), store.actors(),
        stances=store.stances()))


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
    time went.
    """
    from .relations import build_relations

    config = config or Config(n_process=n_process)
    patterns = load_patterns()
    documents: list[Document] = []
    for n, item in enumerate(texts, start=1):
        if isinstance(item, Document):
            documents.append(item)
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
        documents.append(clean_record(record, patterns))
    analysis = Analysis(documents=documents)
    actors: dict[str, Actor] = {}
    for analysed in analyse_documents(documents, config):
        _collect(analysis, actors, analysed)
    analysis.actors = sorted(actors.values(), key=lambda a: a.id)
    analysis.relations = build_relations(analysis.events, analysis.claims, analysis.documents,
                                         analysis.actors, stances=analysis.stances)
    return analysis


def _collect(analysis: Analysis, actors: dict[str, Actor], analysed: AnalysedDocument) -> None:
    result = analysed.result
    analysis.mentions += result.mentions
    analysis.places += result.places
    analysis.dates += result.dates
    analysis.events += result.events
    analysis.claims += result.claims
    analysis.stances += result.stances
    for stage, seconds in analysed.timings.items():
        analysis.timings[stage] = analysis.timings.get(stage, 0.0) + seconds
    for actor in analysed.actors.values():
        if actor.id in actors:
            known = actors[actor.id]
            known.aliases = sorted(set(known.aliases) | set(actor.aliases))
        else:
            actors[actor.id] = actor
