"""Whole runs: inputs -> clean documents -> analysis -> store, and the notebook API.

``analyze_inputs`` is what ``rashomon analyze`` does: read files, directories and URLs,
clean them (with lines repeated across an outlet's articles treated as boilerplate),
drop exact and near duplicates, analyse each new document and commit it to the store
with everything found in it (``Config.commit_every`` whole documents per transaction),
then rebuild the relations and the incidents (events of several
documents that tell one real-world incident). Inputs stream through: memory stays flat
however large they are. ``analyze`` does the same for a list of texts in memory and
returns an ``Analysis`` without any database; ``analyze_iter`` yields one per document.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from .clean import Deduplicator, clean_record, load_patterns
from .clean.extract import extract
from .clean.repeated import outlet_key, repeated_lines, short_lines
from .ingest import FETCH_DEADLINE, Prefetcher, read_inputs, url_fetcher, vet_record
from .ingest import vetted as vetted_records
from .pipeline import AnalysedDocument, Config, analyse_documents
from .store import PendingDocument, Store
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
#: New records cleaned together. Lines repeated across an outlet's articles are counted over
#: the stored articles plus this many new ones, so memory stays flat however large the input
#: (a line is recognised as repeated from the window in which it reaches the thresholds).
WINDOW = 500
#: A batch of analysed documents is committed once its oldest has waited this long (seconds),
#: however few they are: a slow run keeps saving its work (see ``Config.commit_every``).
COMMIT_SECONDS = 5.0
# What a document's analysis can fail to be stored with, leaving the rest of the run going.
_STORE_ERRORS = (duckdb.Error, ValueError, TypeError, RecursionError)
#: Sentences the writer's encoder may have waiting (about 1.2 s of its work, some 80 real
#: articles: it has not finished the previous commit's when the next commit's come) before
#: the worker processes are asked to encode the chunks sent next (``_SentenceVectors``).
WRITER_BACKLOG = 500
#: The writer's own thread busier than this (its CPU time over the wall time, measured over
#: at least BUSY_SECONDS) sets a large cluster's pace: its encoder's thread, though on
#: another core, would take from it the interpreter lock it holds for each sentence, and
#: the workers encode instead.
WRITER_BUSY = 0.8
BUSY_SECONDS = 5.0
#: What the store keeps beside a document's analysis, held while the document is in flight:
#: its near-duplicate signature, (outlet key, short lines), and whether it replaces one.
InFlight = dict[str, tuple[bytes | None, tuple[str, set[str]], bool]]


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

    Inputs are read as a stream, cleaned a window at a time and analysed as they come (in
    local processes, or on a Dask cluster when ``config.cluster`` names one); URLs are
    fetched in the background meanwhile (``ingest.Prefetcher``) and their pages analysed
    after the local inputs, in the order the URLs were given; documents
    are committed with everything found in them in batches of ``config.commit_every``
    (sooner when the oldest has waited ``COMMIT_SECONDS``).

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

    _count_unlined(store)
    in_flight: InFlight = {}
    prefetch = Prefetcher(url_fetcher(fetch_deadline=fetch_deadline))
    intake = _Intake(store, summary, boilerplate_files, report, problem, update, in_flight)

    def skipped(document: Document, reason: str) -> None:
        in_flight.pop(document.id, None)
        problem(document.source or document.id, reason)

    def stored(item: PendingDocument) -> None:
        in_flight.pop(item.result.document.id)
        if item.replace:
            summary.updated += 1
        else:
            summary.ingested += 1

    def not_stored(item: PendingDocument, exc: BaseException) -> None:
        document = item.result.document
        in_flight.pop(document.id)
        problem(document.source or document.id, f"cannot store ({_short(exc)})")

    sentences = _SentenceVectors(store)
    writer = _Writer(store, stored, not_stored, config.commit_every, sentences.committed)
    analysed_n = 0
    completed = False
    # Local inputs first, while the URLs among them are fetched in the background; then
    # the fetched pages, in the order the URLs were given. Two streams, so that the
    # analysis of the first never waits on a server (it looks ahead and parses in batches).
    local = read_inputs(inputs, fetch_deadline=fetch_deadline, prefetch=prefetch)
    remote = vetted_records(prefetch.results())
    # On a cluster the workers go on with the chunks already sent while the next chunk
    # waits on a server, and a second stream would start a local cluster again: one stream.
    streams = [itertools.chain(local, remote)] if config.cluster else [local, remote]
    try:
        for items in streams:
            if items is remote and not prefetch.submitted:
                break
            for analysed in analyse_documents(intake.documents(items), config,
                                              on_skip=skipped,
                                              sentence_vectors=sentences.workers_encode):
                document = analysed.result.document
                signature, lines, replace = in_flight[document.id]
                writer.add(PendingDocument(analysed.result, list(analysed.actors.values()),
                                           signature, lines, replace,
                                           analysed.sentence_vectors))
                for stage, seconds in analysed.timings.items():
                    summary.stage_seconds[stage] = (summary.stage_seconds.get(stage, 0.0)
                                                    + seconds)
                analysed_n += 1
                report("analysing", analysed_n, None)
        completed = True
    finally:
        prefetch.close()
        try:
            # Whatever was analysed is kept, also on Ctrl-C or a lost cluster: each commit
            # holds whole documents, and a rerun analyses only what is not stored.
            writer.flush()
        finally:
            if not completed:
                sentences.close()
    rebuild_relations(store)
    sentences.finish()
    rebuild_incidents(store)
    return summary


class _SentenceVectors:
    """The incidents step's sentence vectors (``incidents.cluster.text_vectors``) of the
    documents that came without them, encoded in the background as documents are committed
    and stored at the next commit, so that the step after the last document finds them
    done instead of encoding them all then. In flight: the keys submitted and not yet
    stored.

    Who encodes (``workers_encode``, asked as each chunk is sent): the writer, on a thread
    of its own, while it keeps up and has room; the worker processes
    (``rashomon.sentence_vectors``, the vectors stored with the document) while its
    encoder is behind or its own thread is the busy one. A writer with a core to spare (a
    one-worker cluster, a writer on a machine of its own) then encodes everything for
    nothing, each sentence once for the whole run rather than once per worker; one that a
    large cluster outpaces hands the work back to the workers, so that its encoding never
    bounds the run."""

    def __init__(self, store: Store) -> None:
        from .embed import BackgroundEncoder

        self.store = store
        self.encoder = BackgroundEncoder()
        self.in_flight: set[str] = set()
        self._busy = 0.0  # the writer thread's CPU over wall time, last measured
        self._since, self._cpu = time.monotonic(), time.thread_time()

    def workers_encode(self) -> bool:
        """Whether the chunk sent now should come back encoded: the writer's encoder is
        behind, or its own thread (the caller's) is busy. Asked from the writer's thread."""
        now, cpu = time.monotonic(), time.thread_time()
        if now - self._since >= BUSY_SECONDS:
            self._busy = (cpu - self._cpu) / (now - self._since)
            self._since, self._cpu = now, cpu
        return self._busy > WRITER_BUSY or self.encoder.backlog() > WRITER_BACKLOG

    def committed(self, items: list[PendingDocument]) -> None:
        from .incidents.cluster import text_key

        self._store(self.encoder.ready())
        # what a worker encoded came with its document: no need to ask the store for it
        texts = {key: e.sentence for item in items for e in item.result.events
                 if not e.in_comment
                 and (key := text_key(e.sentence)) not in item.sentence_vectors}
        if not texts:
            return
        new = set(texts) - self.in_flight - self.store.stored_text_keys(list(texts))
        self.in_flight |= new
        self.encoder.submit(sorted(texts[k] for k in new))

    def finish(self) -> None:
        """Store every vector submitted; the encoder's thread ends."""
        try:
            self._store(self.encoder.ready(wait=True))
        finally:
            self.encoder.close()

    def close(self) -> None:
        """Stop without waiting for what is not encoded yet."""
        self.encoder.close()

    def _store(self, vectors: dict[str, Any]) -> None:
        from .incidents.cluster import text_key

        keyed = {text_key(t): v.astype("float32").tobytes() for t, v in vectors.items()}
        self.store.add_text_vectors(keyed)
        self.in_flight -= keyed.keys()


class _Writer:
    """The store's one writer: analysed documents committed ``commit_every`` at a time
    (one transaction each), or sooner when the oldest has waited ``COMMIT_SECONDS``, so
    that a slow run still saves its work as it goes. A batch the store refuses is written
    again one document at a time, so that one bad document is reported alone."""

    def __init__(self, store: Store, stored: Callable[[PendingDocument], None],
                 not_stored: Callable[[PendingDocument, BaseException], None],
                 commit_every: int,
                 committed: Callable[[list[PendingDocument]], None] = lambda items: None
                 ) -> None:
        self.store, self.stored, self.not_stored = store, stored, not_stored
        self.committed = committed
        self.commit_every = max(1, commit_every)
        self.pending: list[PendingDocument] = []
        self.since = 0.0

    def add(self, item: PendingDocument) -> None:
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append(item)
        if (len(self.pending) >= self.commit_every
                or time.monotonic() - self.since >= COMMIT_SECONDS):
            self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            self.store.add_analyses(batch)
        except _STORE_ERRORS as exc:
            if len(batch) == 1:
                self.not_stored(batch[0], exc)
                return
            for item in batch:  # one at a time, so that only the bad one is left out
                self.pending = [item]
                self.flush()
            return
        for item in batch:
            self.stored(item)
        self.committed(batch)


class _Intake:
    """Read items -> the documents to analyse, cleaned and deduplicated, as a stream: new
    ones, and with ``update`` stored ones whose metadata changed. What the store keeps
    beside each goes into ``in_flight``. One intake serves every stream of a run, so that
    ids and duplicates are checked across them all."""

    def __init__(self, store: Store, summary: RunSummary, boilerplate_files: Sequence[Path],
                 report: ProgressCallback, problem: Callable[..., None], update: bool,
                 in_flight: InFlight) -> None:
        self.store, self.summary, self.report, self.problem = store, summary, report, problem
        self.update, self.in_flight = update, in_flight
        self.patterns = load_patterns(boilerplate_files)
        self.dedup = Deduplicator.from_signatures(store.signatures())
        # Ids already stored are skipped without cleaning them again, unless the id now
        # comes from another source: then it is another article, and reusing its id would
        # hide it.
        self.seen: dict[str, str] = {}

    def documents(self, items: Iterable[RawRecord | IngestProblem]) -> Iterator[Document]:
        store, summary, problem = self.store, self.summary, self.problem
        for window in _windows(items, WINDOW):
            records: list[RawRecord] = []
            stored_again: set[str] = set()
            # Nothing is stored while the window is read, so one look-up serves it all.
            stored = store.stored_ids([item.id for item in window
                                       if not isinstance(item, IngestProblem)])
            for item in window:
                if isinstance(item, IngestProblem):
                    problem(item.source, item.problem, item.skipped)
                    continue
                summary.read += 1
                self.report("reading", summary.read, None)
                taken_by = self.seen.setdefault(item.id, item.source)
                if taken_by != item.source:
                    problem(item.source, f"id {item.id!r} is already used by {taken_by}; "
                                         "skipped (give it another id, e.g. in a "
                                         "NAME.meta.json sidecar)")
                elif item.id in stored:
                    stored_from = store.stored_source(item.id)
                    if stored_from not in (None, item.source):
                        problem(item.source, f"id {item.id!r} is already stored from "
                                             f"{stored_from}; skipped")
                    elif self.update and store.document(item.id) is not None:
                        stored_again.add(item.id)
                        records.append(item)
                    else:
                        summary.already_stored += 1
                else:
                    records.append(item)
            for document, lines in _clean_window(records, store, self.patterns, problem,
                                                 stored_again, self.in_flight):
                replace = document.id in stored_again
                if replace and not _metadata_changed(store.document(document.id), document):
                    summary.already_stored += 1
                    continue
                hit = None if replace else self.dedup.check(document)
                if hit is not None:
                    kind, original = hit
                    store.add_duplicate(document.id, original, kind, document.source)
                    summary.duplicates.append((document.id, kind, original))
                    continue
                self.dedup.add(document)
                self.in_flight[document.id] = (self.dedup.signature(document), lines, replace)
                yield document


def _windows(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while window := list(itertools.islice(iterator, size)):
        yield window


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


def _clean_window(records: list[RawRecord], store: Store, patterns: Any,
                  problem: Callable[..., None], stored: set[str], in_flight: InFlight
                  ) -> Iterator[tuple[Document, tuple[str, set[str]]]]:
    """Clean records, each with its (outlet key, short lines); lines repeated across an
    outlet's articles are counted over the stored ones (the store's line table), those
    analysed but not yet committed (``in_flight``) and this window's, so a line counts the
    same whenever the writer commits; ``stored`` are ids re-read for --update, whose lines
    the store counts already. Only this window's lines are looked up: memory follows the
    window, not the outlet's history. A record whose extraction or cleaning fails is
    reported and left out."""
    # Each page is extracted once, for the line counts and for cleaning alike.
    pages = {}
    for record in records:
        try:
            pages[id(record)] = extract(record)
        except (Exception, RecursionError) as exc:
            problem(record.source, f"cannot extract the text ({_short(exc)})")
    records = [r for r in records if id(r) in pages]
    if not records:
        return
    lines = {id(r): short_lines(pages[id(r)].text) for r in records}
    outlets = {outlet_key(r) for r in records}
    window_lines = {(outlet_key(r), line) for r in records for line in lines[id(r)]}
    docs, counts = store.outlet_line_counts(outlets, window_lines)
    docs_per_outlet: Counter[str] = Counter(docs)
    line_docs: dict[str, Counter[str]] = {o: Counter(c) for o, c in counts.items()}
    for _, (outlet, outlet_lines), replace in in_flight.values():
        if outlet in outlets and not replace:
            docs_per_outlet[outlet] += 1
            line_docs.setdefault(outlet, Counter()).update(
                line for line in outlet_lines if (outlet, line) in window_lines)
    for record in records:
        if record.id in stored:
            continue  # an --update: its lines are counted already
        outlet = outlet_key(record)
        docs_per_outlet[outlet] += 1
        line_docs.setdefault(outlet, Counter()).update(lines[id(record)])
    repeated = repeated_lines(docs_per_outlet, line_docs)
    for record in records:
        outlet = outlet_key(record)
        try:
            document = clean_record(record, patterns, repeated.get(outlet, set()),
                                    page=pages[id(record)])
        except (Exception, RecursionError) as exc:
            problem(record.source, f"cannot clean ({_short(exc)})")
            continue
        _check_published(document, problem)
        yield document, (outlet, lines[id(record)])


def _count_unlined(store: Store) -> None:
    """Count the lines of documents stored before the store kept them (schema < v3)."""
    for doc_id, outlet, url, raw in store.unlined_documents():
        record = RawRecord(id=doc_id, source="store", format="txt", text=raw or "",
                           outlet=outlet, url=url)
        try:
            text = extract(record).text
        except (Exception, RecursionError):
            continue  # it was stored, so it extracted once; a page that no longer does
        store.add_document_lines(doc_id, outlet_key(record), short_lines(text))


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
    """Relations are derived data: recomputed from every stored event, claim and stance,
    read a document at a time; documents are read without their texts."""
    from .relations import relations_by_document

    store.replace_relations(relations_by_document(
        store.findings_by_document(), store.document_heads(), store.actors()))


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


def rebuild_incidents(store: Store) -> None:
    """Incidents are derived data: events of all stored documents clustered again."""
    from .incidents import build_incidents
    from .incidents.features import LEAD_CHARS

    known = store.text_vectors()
    before = set(known)
    # Each document only as far as its lead, which is all the clustering reads of it.
    incidents = build_incidents(store.events(), list(store.document_heads(LEAD_CHARS).values()),
                                store.actors(), known_vectors=known)
    store.add_text_vectors({k: v for k, v in known.items() if k not in before})
    store.replace_incidents(incidents)


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
    time went. A text that cannot be analysed is left out with a warning naming it. For a
    corpus too large to hold, use :func:`analyze_iter` or a store.
    """
    from .embed import BackgroundEncoder
    from .incidents import build_incidents
    from .incidents.cluster import text_key
    from .relations import build_relations

    config = config or Config(n_process=n_process)
    analysis = Analysis()
    actors: dict[str, Actor] = {}
    # The incidents step's sentences are encoded as the documents come, here or by the
    # worker processes while this encoder is behind (see ``_SentenceVectors``), so that
    # the step finds them done.
    encoder = BackgroundEncoder()
    submitted: set[str] = set()
    carried: dict[str, bytes] = {}
    try:
        for analysed in analyse_documents(
                _documents(texts), config,
                sentence_vectors=lambda: encoder.backlog() > WRITER_BACKLOG):
            analysis.documents.append(analysed.result.document)
            _collect(analysis, actors, analysed)
            carried.update(analysed.sentence_vectors)
            sentences = {e.sentence for e in analysed.result.events
                         if not e.in_comment and text_key(e.sentence) not in carried}
            encoder.submit(sorted(sentences - submitted))
            submitted |= sentences
        analysis.actors = sorted(actors.values(), key=lambda a: a.id)
        started = time.perf_counter()
        analysis.relations = build_relations(analysis.events, analysis.claims,
                                             analysis.documents, analysis.actors,
                                             stances=analysis.stances)
        analysis.timings["relations"] = time.perf_counter() - started
        started = time.perf_counter()
        known = {**carried, **{text_key(text): vector.astype("float32").tobytes()
                               for text, vector in encoder.ready(wait=True).items()}}
    finally:
        encoder.close()
    analysis.incidents = build_incidents(analysis.events, analysis.documents, analysis.actors,
                                         known_vectors=known)
    analysis.timings["incidents"] = time.perf_counter() - started
    return analysis


def _documents(texts: Iterable[str | dict[str, Any] | Document]) -> Iterator[Document]:
    """Texts as clean Documents, one at a time (Documents pass through as they are); a
    text that cannot be read or cleaned is left out with a warning naming it."""
    patterns = load_patterns()

    def warn(source: str, message: str, skipped: bool = True) -> None:
        warnings.warn(f"{source}: {message}", stacklevel=4)

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
            yield document


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
