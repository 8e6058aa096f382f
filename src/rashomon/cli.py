"""The `rashomon` command: a thin layer over the Python API.

Every command opens the store, calls one library function and prints the result. User
errors print one line naming the file and the problem and exit 2 (usage) or 1.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table
from rich.text import Text

from .analyze import analyze_inputs
from .cluster import ClusterError, check_address
from .datafiles import DataFileError
from .export import FORMATS, ExportError, export_store
from .ingest import FETCH_DEADLINE
from .ingest.fetch import is_url
from .ingest.names import printable
from .parse import WINDOW_CHARS, ModelError
from .pipeline import DEFAULT_DOC_TIMEOUT, Config
from .query import query_claims, query_events
from .registry import stage_names
from .store import Store, StoreError
from .types import IngestProblem

T = TypeVar("T")

app = typer.Typer(help="Rashomon: many disagreeing articles about one conflict, one auditable "
                  "picture of actors, events, claims and relations.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
out = Console(soft_wrap=True)  # a message is one line, however narrow the terminal
err = Console(stderr=True, soft_wrap=True)

DB_DEFAULT = Path("rashomon.duckdb")
#: Documents one report shows at most by default: their texts make the file (about 10 KB
#: each), and a browser opens a few tens of MB comfortably.
REPORT_DOCUMENTS = 2_000
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB store file.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")]


INTERRUPTED = "interrupted: every document stored so far is kept; rerun to finish."


class Interrupted(BaseException):  # noqa: N818 - a signal, not an error
    """Ctrl-C. Not a KeyboardInterrupt, which click would turn into "Aborted!" and exit 1."""


def _query_interrupted(exc: BaseException) -> bool:
    """A Ctrl-C that lands inside a DuckDB query comes back as DuckDB's own error (our
    handler's Interrupted becomes a RuntimeError on the way out of the query)."""
    import duckdb

    return isinstance(exc, duckdb.InterruptException) or (
        type(exc) is RuntimeError and str(exc) == "Query interrupted")


def fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {escape(printable(message))}")
    raise typer.Exit(code)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def lit(value: object) -> str:
    """Text for a Rich markup string, shown literally and without control characters."""
    return escape(printable("" if value is None else str(value)))


def cell(value: object) -> Text:
    """A table cell printed literally: article text like "[of Iraq]" is not Rich markup."""
    return Text(printable("" if value is None else str(value)))


def first(items: Iterator[T], limit: int) -> tuple[list[T], int]:
    """The first ``limit`` of a stream and how many it holds in all, without keeping the
    rest."""
    kept = list(islice(items, max(0, limit)))
    return kept, len(kept) + sum(1 for _ in items)


def shown(total: int, limit: int, what: str) -> None:
    """Say so when a listing stops at its limit."""
    if total > limit:
        out.print(f"showing the first {limit} of {total} {what}; --limit {total} shows all")


def check_period(period: str | None, pattern: str, form: str) -> None:
    if period is not None and not re.fullmatch(pattern, period):
        fail(f"--period {period!r}: expected {form}", 2)


def open_store(db: Path, read_only: bool = True) -> Store:
    if read_only and not db.exists():
        fail(f"{db}: no such store (run `rashomon analyze INPUT --db {db}` first)", 2)
    try:
        return Store(db, read_only=read_only)
    except StoreError as exc:
        fail(str(exc))
        raise  # unreachable: fail() exits


@app.command()
def analyze(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, URLs or files of URLs.")],
    db: DbOption = DB_DEFAULT,
    processes: Annotated[int, typer.Option(
        "--processes", "-j", min=0,
        help="Parallel processes; 0 = both cores when the input is large.")] = 0,
    actors: Annotated[list[Path] | None, typer.Option(
        "--actors", help="Your own actor knowledge-base YAML file (repeatable).")] = None,
    gazetteer: Annotated[list[Path] | None, typer.Option(
        "--gazetteer", help="Your own gazetteer YAML file (repeatable).")] = None,
    boilerplate: Annotated[list[Path] | None, typer.Option(
        "--boilerplate", help="Your own boilerplate patterns YAML file (repeatable).")] = None,
    lexicon: Annotated[list[Path] | None, typer.Option(
        "--lexicon", help="Your own event-trigger / cue / label additions (repeatable).")]
    = None,
    config_file: Annotated[Path | None, typer.Option(
        "--config", help="YAML settings: stages, model, batch_size, n_process, actor_files, "
                         "gazetteer_files, lexicon_files, cluster, commit_every.")] = None,
    cluster: Annotated[str | None, typer.Option(
        "--cluster", help="Run on Dask: local:N (N worker processes here) or "
                          "tcp://HOST:PORT (a running scheduler). Needs rashomon[cluster].")]
    = None,
    doc_timeout: Annotated[float | None, typer.Option(
        "--doc-timeout", min=0,
        help=f"Seconds one document may take before it is skipped, per {WINDOW_CHARS:,} "
             f"characters (0: no limit; default {DEFAULT_DOC_TIMEOUT:g}).")] = None,
    fetch_timeout: Annotated[float, typer.Option(
        "--fetch-timeout", min=0.1, help="Seconds one URL may take in all.")] = FETCH_DEADLINE,
    update: Annotated[bool, typer.Option(
        "--update", help="Apply metadata supplied since (sidecars, record fields) to stored "
                         "documents, analysing them again.")] = False,
    stance: Annotated[bool | None, typer.Option(
        "--stance/--no-stance", help="Read (or not) the directed stance between actors named "
                                     "in one sentence; relations rest on it too. Default: "
                                     "the config's stages (the default stages include it).")
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Ingest, clean and analyse articles into the store (reruns add only what is new)."""
    missing = [i for i in inputs if not is_url(i) and not os.path.lexists(i)]
    if len(missing) == len(inputs):
        fail(f"{missing[0]}: no such file or folder", 2)
    if cluster is not None:
        try:
            check_address(cluster)
        except ValueError as exc:
            fail(str(exc), 2)
    for path in [*(actors or []), *(gazetteer or []), *(boilerplate or []), *(lexicon or []),
                 *([config_file] if config_file else [])]:
        if not path.is_file():
            fail(f"{path}: no such file", 2)
    try:
        config = Config.from_file(config_file) if config_file else Config(n_process=processes)
    except DataFileError as exc:
        fail(str(exc), 2)
        return
    config.actor_files += [str(p) for p in actors or []]
    config.gazetteer_files += [str(p) for p in gazetteer or []]
    config.lexicon_files += [str(p) for p in lexicon or []]
    config.cluster = cluster or config.cluster
    if stance and "stance" not in config.stages:
        config.stages.append("stance")
    elif stance is False and "stance" in config.stages:
        config.stages.remove("stance")
    if doc_timeout is not None:
        config.doc_timeout = doc_timeout
    for name in config.stages:
        if name not in stage_names():
            fail(f"{config_file}: unknown stage {name!r}; known: {', '.join(stage_names())}", 2)
    existed = db.exists()
    store = open_store(db, read_only=False)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                        console=err, disable=quiet, transient=False)
    tasks: dict[str, int] = {}

    def on_progress(phase: str, done: int, total: int | None) -> None:
        if phase not in tasks:
            tasks[phase] = progress.add_task(phase, total=total, rate="")
        task = progress.tasks[tasks[phase]]
        elapsed = task.elapsed or 0.0
        rate = f"{done / elapsed:.1f} docs/s" if elapsed > 0 else ""
        progress.update(tasks[phase], completed=done, total=total, rate=rate)

    def on_problem(problem: IngestProblem) -> None:
        word = "skipped" if problem.skipped else "repaired"
        err.print(f"[yellow]{word}:[/yellow] {escape(printable(str(problem)))}")

    try:
        with progress:
            summary = analyze_inputs(
                inputs, store, config, boilerplate_files=boilerplate or [],
                progress=on_progress, on_problem=on_problem, update=update,
                fetch_deadline=fetch_timeout,
            )
    except (DataFileError, ModelError, StoreError, ClusterError) as exc:
        store.close()
        fail(str(exc))
        return
    except (KeyboardInterrupt, Interrupted, Exception) as exc:
        if isinstance(exc, Exception) and not _query_interrupted(exc):
            raise
        store.close()
        err.print(INTERRUPTED)
        raise typer.Exit(130) from None
    store.close()
    if summary.nothing_read and not existed:
        for leftover in (db, Path(f"{db}.wal")):  # no empty store left behind
            leftover.unlink(missing_ok=True)
    if not quiet:
        line = (f"ingested {summary.ingested}, already stored {summary.already_stored}, "
                f"duplicates {len(summary.duplicates)}, skipped {summary.skipped}")
        if summary.repaired:
            line += f", repaired {summary.repaired}"
        if update:
            line += f", updated {summary.updated}"
        out.print(line)
        for doc_id, kind, original in summary.duplicates:
            out.print(f"  duplicate ({kind}): {escape(printable(doc_id))} = "
                      f"{escape(printable(original))}")
        out.print(f"results in {db} (see `rashomon docs --db {db}`, "
                  f"`rashomon export --db {db} --format json --output analysis.json`)")
    if summary.nothing_read:
        raise typer.Exit(1)


@app.command("export")
def export_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="File (json, jsonl) or folder.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")]
    = "json",
    db: DbOption = DB_DEFAULT,
    raw_cells: Annotated[bool, typer.Option(
        "--raw-cells", help="CSV/TSV: keep cells starting with = + - @ as they are (by "
                            "default a ' is put before them so that spreadsheets do not run "
                            "them as formulas).")] = False,
) -> None:
    """Write the whole analysis in an open format."""
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", 2)
    with open_store(db) as store:
        try:
            path = export_store(store, fmt, output, raw_cells=raw_cells)
        except (ExportError, OSError) as exc:
            fail(f"{output}: {exc}")
            return
    out.print(f"wrote {path}")


@app.command()
def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")]
    = Path("report.html"),
    db: DbOption = DB_DEFAULT,
    outlets: OutletsOption = None,
    actor: Annotated[str | None, typer.Option(help="Only documents that mention this actor.")]
    = None,
    period: Annotated[str | None, typer.Option(help="Only documents published in YYYY or "
                                                    "YYYY-MM.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet's documents.")] = None,
    max_documents: Annotated[int, typer.Option(
        help="Report at most this many documents, the newest first: one HTML file holds "
             "every text it shows.")] = REPORT_DOCUMENTS,
) -> None:
    """One self-contained offline HTML report: incidents, network, timeline, map, outlets,
    documents."""
    from .query import analysis_slice, query_documents
    from .report import write_report

    check_period(period, r"\d{4}(-\d{2}(-\d{2})?)?", "YYYY, YYYY-MM or YYYY-MM-DD")
    _use_outlets(outlets)
    with open_store(db) as store:
        ids, total = first(query_documents(store, actor=actor, period=period, outlet=outlet),
                           max_documents)
        analysis = analysis_slice(store, ids)
    if not ids:
        fail("no stored document matches; nothing to report", 1)
    try:
        path = write_report(analysis, output)
    except OSError as exc:
        fail(f"{output}: {exc.strerror or exc}")
        return
    out.print(f"wrote {path} ({len(ids)} document(s))")
    if total > len(ids):
        out.print(f"the report shows the newest {len(ids)} of {total} matching documents; "
                  "--period, --outlet, --actor or --max-documents choose others")


@app.command()
def docs(db: DbOption = DB_DEFAULT) -> None:
    """List the stored documents."""
    with open_store(db) as store:
        documents = store.documents()
        duplicates = store.duplicates()
    table = Table("published", "outlet", "author", "title", "words", "comments")
    # ids are what `show` takes: never truncated
    table.columns.insert(0, Column("id", no_wrap=True,
                                   min_width=max((len(d.id) for d in documents), default=2)))
    for d in documents:
        table.add_row(*map(cell, (d.id, d.published, d.outlet, d.author, (d.title or "")[:60],
                                  len(d.text.split()), len(d.comments))))
    out.print(table)
    if duplicates:
        out.print(f"{len(duplicates)} duplicate(s) not stored again:")
        for dup in duplicates:
            out.print(cell(f"  {dup['id']} ({dup['kind']}) = {dup['duplicate_of']}"))


@app.command()
def show(doc_id: Annotated[str, typer.Argument(help="Document id.")],
         db: DbOption = DB_DEFAULT) -> None:
    """One document: metadata, clean text with actor mentions highlighted, comments."""
    with open_store(db) as store:
        doc = store.document(doc_id)
        if doc is None:
            fail(f"{db}: no document {doc_id!r} (see `rashomon docs`)", 2)
            return
        mentions = store.mentions(doc_id)
        events = store.events(doc_id)
        claims = store.claims(doc_id)
        names = {a.id: a.name for a in store.actors()}
    for label, value in (("id", doc.id), ("title", doc.title), ("author", doc.author),
                         ("outlet", doc.outlet), ("published", doc.published),
                         ("url", doc.url), ("source", doc.source)):
        out.print(f"[bold]{label}:[/bold] {escape(printable(str(value or '')))}")
    out.print()
    # Offsets index the stored text: control characters are swapped one for one (never
    # expanded into escapes) so that the highlighting stays on its words.
    text = Text(_CONTROL.sub("\ufffd", doc.text))
    for c in claims:
        text.stylize("italic", c.start, c.end)
    for e in events:
        if e.trigger_start is not None and e.trigger_end is not None:
            text.stylize("bold red", e.trigger_start, e.trigger_end)
    for m in mentions:
        text.stylize("bold cyan", m.start, m.end)
    out.print(text)
    if mentions:
        out.print("\n[bold]actors:[/bold] " + lit(", ".join(
            sorted({f"{names.get(m.actor, m.actor)}" for m in mentions}))))
    for e in events:
        out.print("[bold]event[/bold] " + lit(
            f"{e.id} {e.type} {names.get(e.source, e.source)} -> "
            f"{names.get(e.target, e.target)} ({e.quad}, {e.modality}"
            f"{', negated' if e.negated else ''}) {e.date or ''}: {e.trigger or ''}"))
    for c in claims:
        out.print("[bold]claim[/bold] " + lit(
            f"{c.id} {names.get(c.speaker, c.speaker_text)} {c.cue}: {c.content[:100]}"))
    if doc.comments:
        out.print(f"\n[bold]{len(doc.comments)} reader comment(s):[/bold]")
        for c in doc.comments:
            out.print(f"- [bold]{lit(c.author or 'anonymous')}[/bold] "
                      f"{lit(c.date or '')}: {lit(c.text)}")


@app.command()
def actors(db: DbOption = DB_DEFAULT,
           limit: Annotated[int, typer.Option(help="Show at most this many.")] = 100) -> None:
    """Actors with their mention counts, most mentioned first."""
    with open_store(db) as store:
        counts = store.con.execute(
            "SELECT actor, count(*), count(DISTINCT document) FROM mentions GROUP BY actor"
        ).fetchall()
        known = {a.id: a for a in store.actors()}
    table = Table("actor", "name", "kind", "country", "sector", "mentions", "documents",
                  "provisional")
    listed = [(known[i], n, n_docs) for i, n, n_docs in sorted(counts, key=lambda r: -r[1])
              if i in known]
    for a, n, n_docs in listed[:limit]:
        table.add_row(*map(cell, (a.id, a.name, a.kind, a.country, a.sector, n, n_docs,
                                  "yes" if a.provisional else "")))
    out.print(table)
    shown(len(listed), limit, "actors")


@app.command()
def events(
    db: DbOption = DB_DEFAULT,
    actor: Annotated[str | None, typer.Option(help="Actor id or name (source or target).")]
    = None,
    type_: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT.")]
    = None,
    period: Annotated[str | None, typer.Option(help="YYYY or YYYY-MM.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 200,
) -> None:
    """Who did what to whom, when and where, with filters."""
    check_period(period, r"\d{4}(-\d{2}(-\d{2})?)?", "YYYY, YYYY-MM or YYYY-MM-DD")
    with open_store(db) as store:
        found, total = first(query_events(store, actor=actor, type_=type_, period=period,
                                          outlet=outlet), limit)
        names = {a.id: a.name for a in store.actors()}
    table = Table("id", "date", "type", "source", "target", "quad", "modality", "place",
                  "trigger")
    for e in found:
        modality = e.modality + (", negated" if e.negated else "")
        table.add_row(*map(cell, (e.id, e.date, e.type, names.get(e.source or "", ""),
                                  names.get(e.target or "", ""), e.quad, modality,
                                  (e.place or {}).get("name"), e.trigger)))
    out.print(table)
    out.print(f"{total} event(s)")
    shown(total, limit, "events")


@app.command()
def claims(
    db: DbOption = DB_DEFAULT,
    actor: Annotated[str | None, typer.Option(help="Speaker or an actor the claim is about.")]
    = None,
    cue_type: Annotated[str | None, typer.Option(help="assert, accuse, deny, ...")] = None,
    period: Annotated[str | None, typer.Option(help="YYYY or YYYY-MM of the document.")]
    = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 200,
) -> None:
    """Who says what, through whom, with filters."""
    check_period(period, r"\d{4}(-\d{2}(-\d{2})?)?", "YYYY, YYYY-MM or YYYY-MM-DD")
    with open_store(db) as store:
        found, total = first(query_claims(store, actor=actor, cue_type=cue_type,
                                          period=period, outlet=outlet), limit)
        names = {a.id: a.name for a in store.actors()}
    table = Table("id", "speaker", "cue", "type", "via", "content")
    for c in found:
        via = " > ".join(names.get(a, a) for a in c.reported_by)
        table.add_row(*map(cell, (c.id, names.get(c.speaker or "", c.speaker_text or ""),
                                  c.cue, c.cue_type, via, c.content[:120])))
    out.print(table)
    out.print(f"{total} claim(s)")
    shown(total, limit, "claims")


@app.command()
def relations(
    db: DbOption = DB_DEFAULT,
    period: Annotated[str | None, typer.Option(help="YYYY.")] = None,
    rollup: Annotated[bool, typer.Option(
        help="Relations rolled up the KB's affiliations (militia -> movement -> state).")]
    = False,
) -> None:
    """Signed actor relations per year, the camps they form and the ties that break them."""
    from .alignments import align, changes, describe_change
    from .relations import relations_by_document, with_kb_actors

    check_period(period, r"\d{4}", "YYYY")
    with open_store(db) as store:
        actors_ = with_kb_actors(store.actors()) if rollup else store.actors()
        rels = store.relations() if not rollup else relations_by_document(
            store.findings_by_document(), store.document_heads(), actors_, rollup=True)
    names = {a.id: a.name for a in actors_}
    rels = [r for r in rels if period is None or r.period == period]
    table = Table("period", "a", "b", "score", "events", "claims", "stances", "outlets")
    for r in sorted(rels, key=lambda r: (r.period, -abs(r.score))):
        table.add_row(*map(cell, (r.period, names.get(r.a, r.a), names.get(r.b, r.b),
                                  f"{r.score:+.2f}", len(r.events), len(r.claims),
                                  len(r.stances), ", ".join(r.outlets))))
    out.print(table)
    for alignment in align(rels, actors_):
        camps = " | ".join(", ".join(names.get(a, a) for a in camp) for camp in alignment.camps)
        out.print(f"[bold]{alignment.period}[/bold] camps ({alignment.status}, frustration "
                  f"{alignment.frustration:g}; {alignment.support()}): {lit(camps)}")
        for tie in alignment.frustrated:
            out.print(f"  {lit(tie.explanation)}")
    for change in changes(rels):
        out.print(lit(describe_change(change, names)))


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted


@app.command()
def serve(
    db: DbOption = DB_DEFAULT,
    host: Annotated[str, typer.Option(help="Address to listen on; beyond loopback a token "
                                           "is required for writes.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    read_only: Annotated[bool, typer.Option("--read-only",
                                            help="No write routes: browse and query only.")]
    = False,
    token: Annotated[str | None, typer.Option(
        envvar="RASHOMON_TOKEN", help="Token writes must present (env RASHOMON_TOKEN).")]
    = None,
) -> None:
    """A local web app and JSON API over the store (pages, search, adding articles)."""
    try:
        from .serve import is_loopback
        from .serve import serve as run_server
    except ImportError as exc:
        fail(f"rashomon serve needs the serve extra: pip install 'rashomon[serve]' ({exc})")
        return
    if not is_loopback(host) and not read_only and not token:
        fail(f"--host {host} is reachable from other machines: give --token (or set "
             "RASHOMON_TOKEN) for writes, or use --read-only", 2)
    if not db.exists():
        if read_only:
            fail(f"{db}: no such store (run `rashomon analyze INPUT --db {db}` first)", 2)
        open_store(db, read_only=False).close()  # an empty store to add articles to
    else:
        try:  # a clear error now for a file that is not a store
            Store(db, read_only=True).close()
        except StoreError as exc:
            if "lock" not in str(exc).lower():
                fail(str(exc))
            err.print(f"[yellow]note:[/yellow] {escape(str(exc))}; serving what can be read "
                      "once the writer is done")
    mode = "read-only" if read_only else "writes need the token" if token else "writes open"
    err.print(f"serving {db} on http://{host}:{port}/ ({mode}); Ctrl-C stops")
    run_server(db, host, port, read_only=read_only, token=token)


OutletsOption = Annotated[list[Path] | None, typer.Option(
    "--outlets", help="Outlet registry file(s) extending the packaged one (YAML).")]


def _use_outlets(files: list[Path] | None) -> None:
    from .outlet_registry import use_registry

    try:
        use_registry(files or [])
    except DataFileError as exc:
        fail(str(exc), 2)


@app.command()
def incidents(
    db: DbOption = DB_DEFAULT,
    actor: Annotated[str | None, typer.Option(help="Actor id or name the incident involves.")]
    = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name (part of it).")] = None,
    period: Annotated[str | None, typer.Option(help="YYYY or YYYY-MM.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Also incidents one document tells.")]
    = False,
    outlets: OutletsOption = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 200,
) -> None:
    """Incidents told across documents: who tells them, and where the tellings disagree."""
    from .outlet_registry import CREDIT_WINDOW
    from .outlets import comparison_warning, outlet_profiles
    from .query import query_incidents

    _use_outlets(outlets)
    table = Table(Column("id", no_wrap=True), Column("date", no_wrap=True), "summary",
                  Column("outlets", overflow="fold"), "tellings", "contradictions",
                  "confidence")
    found = 0
    with open_store(db) as store:
        # Only as much of each text as an outlet credit is looked for in.
        warning = comparison_warning(outlet_profiles(
            store.document_heads(CREDIT_WINDOW).values()))
        for v in query_incidents(store, actor, outlet, period, multi_only=not all_):
            found += 1
            if found <= limit:
                table.add_row(v.incident.id, v.incident.date or "", v.incident.summary or "",
                              ", ".join(v.outlets), str(len(v.incident.events)),
                              str(len(v.contradictions)), f"{v.incident.confidence:.2f}")
    if warning:
        err.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    out.print(table)
    out.print(f"{found} incident(s)" + ("" if all_ else
                                         " told by two or more documents (--all: every one)"))


@app.command()
def incident(
    incident_id: Annotated[str, typer.Argument(help="Incident id (from `rashomon incidents`).")],
    db: DbOption = DB_DEFAULT,
    outlets: OutletsOption = None,
) -> None:
    """One incident's tellings side by side, one column per outlet, and their contradictions."""
    from .query import query_incidents

    _use_outlets(outlets)
    with open_store(db) as store:
        view = next(query_incidents(store, multi_only=False, incident_id=incident_id), None)
        names = {a.id: a.name for a in store.actors()}
    if view is None:
        fail(f"{incident_id}: no such incident (see `rashomon incidents --all`)", 2)
        return
    out.print(f"[bold]{escape(view.incident.summary or view.incident.id)}[/bold]  "
              f"(confidence {view.incident.confidence:.2f})")
    table = Table("", *[Column(o, overflow="fold") for o in view.outlets], show_lines=True)
    rows = _telling_rows(view, names)
    for label, cells in rows:
        table.add_row(label, *cells)
    out.print(table)
    for c in view.contradictions:
        out.print(f"[red]{escape(c.kind)}[/red]: {escape(c.description)} "
                  f"({', '.join(c.evidence[0])} vs {', '.join(c.evidence[1])})")
    if not view.contradictions:
        out.print("No contradictions between the tellings.")


def _telling_rows(view, names: dict[str, str]) -> list[tuple[str, list[str]]]:
    """Rows of the side-by-side table: one line per aspect, one cell per outlet."""
    def name(actor: str | None) -> str:
        return names.get(actor, actor) if actor else "unnamed"

    def cell(outlet: str, show) -> str:
        return "\n".join(show(t) for t in view.tellings[outlet])

    aspects = [
        ("event", lambda t: f"{t.event} {t.type}"),
        ("perpetrator", lambda t: name(t.perpetrator) if t.perpetrator_as == "named" else (
            f"blamed on {', '.join(name(a) for a in t.blamed)}" if t.blamed else "unnamed")),
        ("target", lambda t: name(t.target)),
        ("modality", lambda t: t.modality),
        ("attributed to", lambda t: " < ".join(name(a) for a in t.chain) or "own voice"),
        ("labels", lambda t: "; ".join(f"{name(a)}: {', '.join(w)}" for a, w in t.labels.items()
                                       if w) or "—"),
        ("numbers", lambda t: ", ".join(f"{v} {k}" for k, v in t.numbers.items()) or "—"),
        ("date", lambda t: t.date or (f"published {t.published}" if t.published else "—")),
        ("sentence", lambda t: t.sentence[:160]),
    ]
    return [(label, [escape(cell(o, show)) for o in view.outlets]) for label, show in aspects]


def main() -> None:
    # Ctrl-C becomes Interrupted: one line and exit 130 from any command, never a traceback.
    # The store is safe: each document is one transaction, rolled back when cut short.
    signal.signal(signal.SIGINT, _interrupt)
    try:
        app()
    except BrokenPipeError:
        sys.exit(0)
    except Interrupted:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if not _query_interrupted(exc):
            raise
        err.print("interrupted")
        sys.exit(130)
