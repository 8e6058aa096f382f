"""Whole runs: inputs -> clean documents -> analysis -> store, and the notebook API.

``analyze_inputs`` is what ``rashomon analyze`` does: read files, directories and URLs,
clean them (with lines repeated across an outlet's articles treated as boilerplate),
drop exact and near duplicates, analyse each new document and commit it to the store
in its own transaction, then rebuild the relations. ``analyze`` does the same for a list
of texts in memory and returns an ``Analysis`` without any database.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from .clean import Deduplicator, clean_record, find_repeated_lines, load_patterns
from .clean.extract import Extracted, extract
from .clean.repeated import outlet_key
from .ingest import FETCH_DEADLINE, read_inputs, vet_record
from .pipeline import AnalysedDocument, Config, analyse_documents
from .store import Store
from .types import Actor, Analysis, Document, IngestProblem, RawRecord


@dataclass
class RunSummary:
    """What a run did, for the closing report."""

    read: int = 0
    ingested: int = 0
    updated: int = 0
    already_stored: int = 0
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # id, kind, original
    problems: list[IngestProblem] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        """Inputs, records and documents left out (repairs are problems too, not skips)."""
        return sum(p.skipped for p in self.problems)

    @property
    def repaired(self) -> int:
        return sum(not p.skipped for p in self.problems)

    @property
    def nothing_read(self) -> bool:
        return self.read == 0 and bool(self.problems)


ProgressCallback = Callable[[str, int, int | None], None]  # phase, done, total
ProblemCallback = Callable[[IngestProblem], None]
# Publication years outside this range are placeholders ("0001-01-01", "9999-12-31") or
# typos, never an article's date; later years are checked against today.
MIN_YEAR = 1800


def analyze_inputs(
    inputs: Sequence[str | Path],
    store: Store,
    config: Config | None = None,
    boilerplate_files: Sequence[Path] = (),
    progress: ProgressCallback | None = None,
    on_problem: ProblemCallback | None = None,
    update: bool = False,
    fetch_deadline: float = FETCH_DEADLINE,
) -> RunSummary:
    """Ingest, clean, deduplicate, analyse and store; return what happened.

    Nothing in one input stops the run: each input, record or document that fails is
    reported through ``on_problem`` and left out. With ``update``, stored documents whose
    metadata (title, author, outlet, url, published, other fields) now reads differently,
    e.g. from a sidecar added since, are analysed again and replaced.
    """
    config = config or Config()
    summary = RunSummary()
    report = progress or (lambda phase, done, total: None)

    def problem(source: str, message: str, skipped: bool = True) -> None:
        item = IngestProblem(source, message, skipped)
        summary.problems.append(item)
        if on_problem:
            on_problem(item)

    records: list[RawRecord] = []
    for item in read_inputs(inputs, fetch_deadline=fetch_deadline):
        if isinstance(item, IngestProblem):
            problem(item.source, item.problem, item.skipped)
        else:
            records.append(item)
            report("reading", len(records), None)
    summary.read = len(records)

    # Ids already stored are skipped without cleaning them again, unless the id now comes
    # from another source: then it is another article, and reusing its id would hide it.
    seen: dict[str, str] = {}
    new_records, stored_again = [], []
    for record in records:
        taken_by = seen.setdefault(record.id, record.source)
        if taken_by != record.source:
            problem(record.source, f"id {record.id!r} is already used by {taken_by}; skipped "
                                   "(give it another id, e.g. in a NAME.meta.json sidecar)")
        elif store.has_document(record.id):
            stored_from = store.stored_source(record.id)
            if stored_from not in (None, record.source):
                problem(record.source,
                        f"id {record.id!r} is already stored from {stored_from}; skipped")
            elif update and store.document(record.id) is not None:
                stored_again.append(record)
            else:
                summary.already_stored += 1
        else:
            new_records.append(record)

    cleaned = _clean([*new_records, *stored_again], records, store, boilerplate_files, problem)
    replace: set[str] = set()
    for record in stored_again:
        doc = cleaned.pop(record.id, None)
        if doc is not None and _metadata_changed(store.document(record.id), doc):
            replace.add(record.id)
            cleaned[record.id] = doc
        else:
            summary.already_stored += 1
    dedup = Deduplicator.from_signatures(store.signatures())
    unique: list[Document] = []
    for doc in cleaned.values():
        hit = None if doc.id in replace else dedup.check(doc)
        if hit is not None:
            kind, original = hit
            store.add_duplicate(doc.id, original, kind, doc.source)
            summary.duplicates.append((doc.id, kind, original))
            continue
        dedup.add(doc)
        unique.append(doc)

    def skipped(document: Document, reason: str) -> None:
        problem(document.source or document.id, reason)

    for n, analysed in enumerate(analyse_documents(unique, config, on_skip=skipped), start=1):
        document = analysed.result.document
        try:
            store.add_analysis(analysed.result, analysed.actors.values(),
                               signature=dedup.signature(document),
                               replace=document.id in replace)
        except (duckdb.Error, ValueError, TypeError, RecursionError) as exc:
            problem(document.source or document.id, f"cannot store ({_short(exc)})")
            continue
        if document.id in replace:
            summary.updated += 1
        else:
            summary.ingested += 1
        for stage, seconds in analysed.timings.items():
            summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + seconds
        report("analysing", n, len(unique))

    rebuild_relations(store)
    return summary


def _short(exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


# Fields that --update compares: what a sidecar or a record file can supply later.
_UPDATABLE = ("title", "author", "outlet", "url", "published")
# Metadata that cleaning derives from the whole corpus, which grows between runs: not
# something the user supplied, so no reason to analyse a document again.
_DERIVED = ("boilerplate_removed", "extraction_notes")


def _metadata_changed(stored: Document | None, fresh: Document) -> bool:
    if stored is None:
        return False
    if any(getattr(stored, name) != getattr(fresh, name) for name in _UPDATABLE):
        return True

    def supplied(metadata: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in metadata.items() if k not in _DERIVED}

    # The stored metadata went through JSON; compare it that way.
    fresh_metadata = json.loads(json.dumps(fresh.metadata, default=str))
    return supplied(fresh_metadata) != supplied(stored.metadata)


def _clean(new_records: list[RawRecord], all_records: list[RawRecord], store: Store,
           boilerplate_files: Sequence[Path],
           problem: Callable[..., None]) -> dict[str, Document]:
    """Clean new records (by id); repeated lines are counted over the stored and the new
    articles. A record whose cleaning fails is reported and left out."""
    if not new_records:
        return {}
    patterns = load_patterns(boilerplate_files)
    seen = {r.id for r in all_records}
    stored = [RawRecord(id=i, source="store", format="txt", text=raw or "", outlet=outlet)
              for i, outlet, raw in store.raw_texts() if i not in seen]
    # Each page is extracted once, for the line counts and for cleaning alike.
    pages: dict[int, Extracted] = {}
    failed: dict[int, str] = {}
    for record in [*stored, *all_records]:
        try:
            pages[id(record)] = extract(record)
        except (Exception, RecursionError) as exc:
            failed[id(record)] = f"cannot extract the text ({_short(exc)})"
    repeated = find_repeated_lines([r for r in [*stored, *all_records] if id(r) in pages],
                                   text_of=lambda r: pages[id(r)].text)
    documents: dict[str, Document] = {}
    for record in new_records:
        if id(record) in failed:
            problem(record.source, failed[id(record)])
            continue
        try:
            doc = clean_record(record, patterns, repeated.get(outlet_key(record), set()),
                               page=pages[id(record)])
        except (Exception, RecursionError) as exc:
            problem(record.source, f"cannot clean ({_short(exc)})")
            continue
        _check_published(doc, problem)
        documents[doc.id] = doc
    return documents


def _check_published(doc: Document, problem: Callable[..., None]) -> None:
    """Drop a publication date no article can have (reported; kept as metadata)."""
    year = doc.published[:4] if doc.published else ""
    latest = dt.date.today().year + 1
    if year and (not year.isdigit() or not MIN_YEAR <= int(year) <= latest):
        problem(doc.source or doc.id, f"publication date {doc.published!r} ignored (year "
                                      f"outside {MIN_YEAR}-{latest})", False)
        doc.metadata["invalid_published"] = doc.published
        doc.published = None


def rebuild_relations(store: Store) -> None:
    """Relations are derived data: recomputed from every stored event and claim."""
    from .relations import build_relations

    store.replace_relations(build_relations(
        store.events(), store.claims(), store.documents(), store.actors()))


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
    time went. A text that cannot be analysed is left out with a warning naming it.
    """
    from .relations import build_relations

    config = config or Config(n_process=n_process)
    patterns = load_patterns()
    documents: list[Document] = []

    def warn(source: str, message: str, skipped: bool = True) -> None:
        warnings.warn(f"{source}: {message}", stacklevel=3)

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
        for vetted in vet_record(record):
            if isinstance(vetted, IngestProblem):
                warn(f"{record.id} ({record.source})", vetted.problem)
                continue
            try:
                document = clean_record(vetted, patterns)
            except (Exception, RecursionError) as exc:
                warn(record.id, f"cannot clean ({_short(exc)}); left out")
                continue
            _check_published(document, warn)
            documents.append(document)
    analysis = Analysis()
    actors: dict[str, Actor] = {}
    for analysed in analyse_documents(documents, config):
        analysis.documents.append(analysed.result.document)
        _collect(analysis, actors, analysed)
    analysis.actors = sorted(actors.values(), key=lambda a: a.id)
    analysis.relations = build_relations(analysis.events, analysis.claims, analysis.documents,
                                         analysis.actors)
    return analysis


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
