"""The DuckDB store: a sink for each analysed document and a source for export and reports.

One file, no server. The schema is versioned: ``MIGRATIONS[i]`` takes a store from
version i to i + 1, and opening a store applies whatever it lacks. Documents are written
with everything found in them in transactions of whole documents (``add_analyses``: one
or many per commit), so a run killed at any point leaves only whole documents behind and a
rerun completes the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

import duckdb

from .types import (
    Actor,
    Analysis,
    Claim,
    Comment,
    DateMention,
    Document,
    DocumentAnalysis,
    Event,
    Incident,
    Mention,
    Place,
    Relation,
    Stance,
    plain_dict,
)

MIGRATIONS: list[str] = [
    # 0 -> 1: the first schema.
    """
    CREATE TABLE documents (
        id VARCHAR PRIMARY KEY, title VARCHAR, author VARCHAR, outlet VARCHAR, url VARCHAR,
        published VARCHAR, text VARCHAR NOT NULL, raw_text VARCHAR, comments JSON,
        source VARCHAR, format VARCHAR, metadata JSON, fingerprint VARCHAR,
        signature BLOB, seq INTEGER
    );
    CREATE TABLE duplicates (
        id VARCHAR PRIMARY KEY, duplicate_of VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        source VARCHAR
    );
    CREATE TABLE actors (
        id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR, country VARCHAR,
        sector VARCHAR, aliases JSON, provisional BOOLEAN, affiliations JSON
    );
    CREATE TABLE mentions (
        document VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR, actor VARCHAR,
        rule VARCHAR, sector VARCHAR, sentence INTEGER, in_comment BOOLEAN
    );
    CREATE TABLE places (
        document VARCHAR, start INTEGER, "end" INTEGER, name VARCHAR, lat DOUBLE,
        lon DOUBLE, country VARCHAR, kind VARCHAR, geonameid BIGINT
    );
    CREATE TABLE dates (
        document VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR, value VARCHAR,
        anchor VARCHAR
    );
    CREATE TABLE events (id VARCHAR PRIMARY KEY, document VARCHAR, body JSON);
    CREATE TABLE claims (id VARCHAR PRIMARY KEY, document VARCHAR, body JSON);
    CREATE TABLE relations (body JSON);
    """,
    # 1 -> 2: findings in reader comments say which comment they come from.
    """
    ALTER TABLE mentions ADD COLUMN comment INTEGER;
    """,
    # 2 -> 3: the short lines of each stored page, by outlet, so that lines repeated across
    # an outlet's articles are counted from the store instead of rereading every page.
    """
    CREATE TABLE document_lines (document VARCHAR, outlet VARCHAR, line VARCHAR);
    """,
    # 3 -> 4: incidents (events of several documents telling one incident), derived data,
    # and the sentence vectors they are clustered on, kept so reruns do not encode again.
    """
    CREATE TABLE incidents (id VARCHAR PRIMARY KEY, body JSON);
    CREATE TABLE text_vectors (key VARCHAR PRIMARY KEY, vector BLOB);
    """,
    # 4 -> 5: directed stances between actors named in one sentence.
    """
    CREATE TABLE stances (id VARCHAR PRIMARY KEY, document VARCHAR, body JSON);
    """,
]


@dataclass
class PendingDocument:
    """One analysed document on its way into the store, with what is kept beside it: its
    near-duplicate signature, (outlet key, short lines), whether it replaces the stored
    document of its id (``analyze --update``), and the vectors of its event sentences that
    its worker encoded (text key -> float32 bytes, see ``rashomon.sentence_vectors``)."""

    result: DocumentAnalysis
    actors: Sequence[Actor]
    signature: bytes | None = None
    lines: tuple[str, Iterable[str]] | None = None
    replace: bool = False
    sentence_vectors: dict[str, bytes] = field(default_factory=dict)


class StoreError(Exception):
    """A store that cannot be opened or is newer than this version of Rashomon."""


class Store:
    """A Rashomon DuckDB file. Use as a context manager or call ``close()``."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = str(path)
        self._types: dict[str, list[str]] = {}  # column types per table, for _insert
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open store ({exc})") from exc
        if not read_only:
            self._migrate()
        elif self.schema_version() == 0:
            raise StoreError(f"{self.path}: not a Rashomon store (run `rashomon analyze` first)")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- schema ---------------------------------------------------------------

    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()[0]
        if not exists:
            return 0
        return self.con.execute("SELECT version FROM schema_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: store schema v{version} is newer than this Rashomon "
                f"(v{len(MIGRATIONS)}); upgrade Rashomon"
            )
        if version == len(MIGRATIONS):
            return
        self.con.execute("BEGIN")
        if version == 0:
            self.con.execute("CREATE TABLE schema_version (version INTEGER)")
            self.con.execute("INSERT INTO schema_version VALUES (0)")
        for step in MIGRATIONS[version:]:
            self.con.execute(step)
        self.con.execute("UPDATE schema_version SET version = ?", [len(MIGRATIONS)])
        self.con.execute("COMMIT")

    # -- writing --------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        """Whether this id is stored, as a document or a duplicate."""
        return doc_id in self.stored_ids([doc_id])

    def stored_ids(self, doc_ids: Sequence[str]) -> set[str]:
        """Which of these ids are stored, as documents or duplicates, in one query."""
        if not doc_ids:
            return set()
        ids = list(doc_ids)
        return {doc_id for (doc_id,) in self.con.execute(
            "SELECT id FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[])) UNION "
            "SELECT id FROM duplicates WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [ids, ids]).fetchall()}

    def stored_source(self, doc_id: str) -> str | None:
        """Where a stored (or duplicate) document was read from."""
        row = self.con.execute(
            "SELECT source FROM documents WHERE id = ? UNION ALL "
            "SELECT source FROM duplicates WHERE id = ?", [doc_id, doc_id]).fetchone()
        return row[0] if row else None

    def signatures(self) -> Iterator[tuple[str, str | None, bytes | None]]:
        """(id, fingerprint, near-duplicate signature) of every stored document."""
        yield from self.con.execute(
            "SELECT id, fingerprint, signature FROM documents ORDER BY seq"
        ).fetchall()

    def outlet_line_counts(self, outlets: Iterable[str],
                           lines: Iterable[tuple[str, str]] | None = None
                           ) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
        """For some outlet keys: stored documents per outlet, and per outlet the number of
        stored documents each of its short lines occurs in; given ``lines`` ((outlet,
        line) pairs), only those lines are counted."""
        wanted = sorted(set(outlets))
        if not wanted:
            return {}, {}
        docs = dict(self.con.execute(
            "SELECT outlet, count(DISTINCT document) FROM document_lines "
            "WHERE outlet IN (SELECT unnest(?)) GROUP BY outlet", [wanted]).fetchall())
        if lines is None:
            rows = self.con.execute(
                "SELECT outlet, line, count(*) FROM document_lines "
                "WHERE outlet IN (SELECT unnest(?)) GROUP BY outlet, line", [wanted])
        else:
            pairs = sorted(set(lines))
            rows = self.con.execute(
                "SELECT outlet, line, count(*) FROM document_lines JOIN "
                "(SELECT unnest(?::VARCHAR[]) AS outlet, unnest(?::VARCHAR[]) AS line) "
                "USING (outlet, line) GROUP BY outlet, line",
                [[o for o, _ in pairs], [line for _, line in pairs]])
        counts: dict[str, dict[str, int]] = {}
        for outlet, line, n in rows.fetchall():
            counts.setdefault(outlet, {})[line] = n
        return docs, counts

    def unlined_documents(self) -> Iterator[tuple[str, str | None, str | None, str | None]]:
        """(id, outlet, url, raw text) of stored documents whose lines were never counted
        (stores written before schema v3), one at a time."""
        cursor = self.con.cursor()
        cursor.execute("SELECT id, outlet, url, raw_text FROM documents WHERE id NOT IN "
                       "(SELECT DISTINCT document FROM document_lines) ORDER BY seq")
        while (row := cursor.fetchone()) is not None:
            yield row
        cursor.close()

    def add_document_lines(self, doc_id: str, outlet: str, lines: Iterable[str]) -> None:
        self._insert("document_lines", _line_rows(doc_id, outlet, lines))

    def add_duplicate(self, doc_id: str, duplicate_of: str, kind: str, source: str | None) -> None:
        self.con.execute(
            "INSERT OR IGNORE INTO duplicates VALUES (?, ?, ?, ?)",
            [doc_id, duplicate_of, kind, source],
        )

    def add_analysis(
        self, result: DocumentAnalysis, actors: Iterable[Actor], signature: bytes | None = None,
        lines: tuple[str, Iterable[str]] | None = None, replace: bool = False,
    ) -> None:
        """Write one document and everything found in it, all or nothing.

        ``lines`` is (outlet key, short lines) of the page, counted for repeated-line
        boilerplate in later runs. With ``replace``, the stored document of that id and
        everything found in it are replaced in the same transaction (``analyze --update``);
        it keeps its place.
        """
        self.add_analyses([PendingDocument(result, list(actors), signature, lines, replace)])

    def add_analyses(self, pending: Sequence[PendingDocument]) -> None:
        """Write several documents and everything found in them in one transaction, all or
        nothing: a run killed at any point leaves whole documents, and a commit costs about
        the same for one document as for a hundred. Rows go in one statement per table."""
        if not pending:
            return
        con = self.con
        con.execute("BEGIN")
        try:
            replaced = [p.result.document.id for p in pending if p.replace]
            seqs = dict(con.execute(
                "SELECT id, seq FROM documents WHERE id IN (SELECT unnest(?))",
                [replaced]).fetchall()) if replaced else {}
            if replaced:
                con.execute("DELETE FROM documents WHERE id IN (SELECT unnest(?))", [replaced])
                for table in ("mentions", "places", "dates", "events", "claims",
                              "document_lines", "stances"):
                    con.execute(f"DELETE FROM {table} WHERE document IN (SELECT unnest(?))",
                                [replaced])
            seq = con.execute("SELECT coalesce(max(seq), 0) FROM documents").fetchone()[0]
            documents, lines = [], []
            for item in pending:
                doc = item.result.document
                if doc.id not in seqs:
                    seq += 1
                documents.append([
                    doc.id, doc.title, doc.author, doc.outlet, doc.url, doc.published, doc.text,
                    doc.raw_text, json.dumps([plain_dict(c) for c in doc.comments]), doc.source,
                    doc.format, json.dumps(doc.metadata, default=str), doc.fingerprint,
                    item.signature, seqs.get(doc.id, seq),
                ])
                if item.lines is not None:
                    lines += _line_rows(doc.id, *item.lines)
            self._insert("documents", documents)
            self._insert("document_lines", lines)
            self._upsert_actors(a for item in pending for a in item.actors)
            results = [item.result for item in pending]
            self._insert("mentions", [
                [m.document, m.start, m.end, m.text, m.actor, m.rule, m.sector, m.sentence,
                 m.in_comment, m.comment] for r in results for m in r.mentions])
            self._insert("places", [
                [p.document, p.start, p.end, p.name, p.lat, p.lon, p.country, p.kind,
                 p.geonameid] for r in results for p in r.places])
            self._insert("dates", [[d.document, d.start, d.end, d.text, d.value, d.anchor]
                                   for r in results for d in r.dates])
            for table in ("events", "claims", "stances"):
                self._insert(table, [[x.id, x.document, json.dumps(x.to_dict())]
                                     for r in results for x in getattr(r, table)])
            vectors = {k: v for item in pending for k, v in item.sentence_vectors.items()}
            self._insert("text_vectors", [[k, v] for k, v in vectors.items()], or_ignore=True)
            con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _insert(self, table: str, rows: list[list[Any]], or_ignore: bool = False) -> None:
        """Rows into a table in one statement: each column goes in as one typed list
        (``executemany`` runs a statement per row, a hundred times slower); ``or_ignore``
        leaves out rows whose key is stored already."""
        if not rows:
            return
        if table not in self._types:
            self._types[table] = [t for (t,) in self.con.execute(
                "SELECT data_type FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [table]).fetchall()]
        types = self._types[table]
        columns = ", ".join(f"unnest(?::{t}[])" for t in types)
        verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
        self.con.execute(f"{verb} INTO {table} SELECT {columns}",
                         [list(column) for column in zip(*rows, strict=True)])

    def _upsert_actors(self, actors: Iterable[Actor]) -> None:
        """Actors as last seen, their aliases merged with what is stored."""
        latest: dict[str, Actor] = {}
        aliases: dict[str, set[str]] = {}
        for actor in actors:
            latest[actor.id] = actor
            aliases.setdefault(actor.id, set()).update(actor.aliases)
        if not latest:
            return
        ids = sorted(latest)
        for actor_id, stored in self.con.execute(
                "SELECT id, aliases FROM actors WHERE id IN (SELECT unnest(?))", [ids]).fetchall():
            aliases[actor_id] |= set(json.loads(stored))
        self.con.execute("DELETE FROM actors WHERE id IN (SELECT unnest(?))", [ids])
        self._insert("actors", [
            [a.id, a.name, a.kind, a.country, a.sector, json.dumps(sorted(aliases[a.id])),
             a.provisional, json.dumps(a.affiliations)] for a in map(latest.get, ids)])

    def replace_relations(self, relations: Iterable[Relation]) -> None:
        """Relations are derived from all events and claims: rewritten whole, atomically."""
        self.con.execute("BEGIN")
        try:
            self.con.execute("DELETE FROM relations")
            self._insert("relations", [[json.dumps(r.to_dict())] for r in relations])
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def replace_incidents(self, incidents: Iterable[Incident]) -> None:
        """Incidents are derived from all events: rewritten whole, atomically."""
        self.con.execute("BEGIN")
        try:
            self.con.execute("DELETE FROM incidents")
            self._insert("incidents", [[i.id, json.dumps(i.to_dict())] for i in incidents])
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def text_vectors(self) -> dict[str, bytes]:
        """Stored sentence vectors by text key (see ``incidents.cluster.text_key``)."""
        return dict(self.con.execute("SELECT key, vector FROM text_vectors").fetchall())

    def stored_text_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these text keys have a stored vector."""
        if not keys:
            return set()
        return {key for (key,) in self.con.execute(
            "SELECT key FROM text_vectors WHERE key IN (SELECT unnest(?))",
            [list(keys)]).fetchall()}

    def add_text_vectors(self, vectors: dict[str, bytes]) -> None:
        self._insert("text_vectors", [[k, v] for k, v in vectors.items()], or_ignore=True)

    def _rollback(self) -> None:
        """Roll back, if a transaction is still open: Ctrl-C may land just after COMMIT
        (the document is then whole and kept), and the interrupt must not be lost to a
        "no transaction is active" error."""
        try:
            self.con.execute("ROLLBACK")
        except duckdb.TransactionException:
            pass

    # -- reading --------------------------------------------------------------

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def documents(self) -> list[Document]:
        return list(self._read("documents"))

    def document(self, doc_id: str) -> Document | None:
        rows = self._rows("SELECT * FROM documents WHERE id = ?", [doc_id])
        return _document(rows[0]) if rows else None

    def document_heads(self, chars: int = 0) -> dict[str, Document]:
        """Every stored document without its body, by id: the metadata that corpus-level
        steps read (outlet, dates, title, url) and the first ``chars`` characters of the
        text; no raw page, comments or other metadata. A million of them fit in memory
        where the texts would not."""
        rows = self.con.execute(
            "SELECT id, title, author, outlet, url, published, left(text, ?), source, format "
            "FROM documents ORDER BY seq", [max(0, chars)]).fetchall()
        return {row[0]: Document(id=row[0], title=row[1], author=row[2], outlet=row[3],
                                 url=row[4], published=row[5], text=row[6], source=row[7],
                                 format=row[8]) for row in rows}

    def first_paragraph_ends(self) -> dict[str, int]:
        """Where each stored document's first paragraph ends: the offset of its first blank
        line, or its length when it has none (a GDELT root event stands before it)."""
        rows = self.con.execute(
            "SELECT id, CASE WHEN strpos(text, chr(10) || chr(10)) = 0 THEN length(text) "
            "ELSE strpos(text, chr(10) || chr(10)) - 1 END FROM documents").fetchall()
        return dict(rows)

    def findings_by_document(self, batch: int = 10_000
                             ) -> Iterator[tuple[list[Event], list[Claim], list[Stance]]]:
        """(events, claims, stances) of each document in turn, by document then id, read
        from the store as a stream: memory holds one document's findings at a time."""
        for _, (events, claims, stances) in self.by_document(
                ("events", "claims", "stances"), batch):
            yield events, claims, stances

    def by_document(self, tables: Sequence[str], batch: int = 10_000
                    ) -> Iterator[tuple[str, list[list[Any]]]]:
        """(document id, [its objects of each table]) for every document with any, in
        document id order, each table read as a stream of its own: memory holds one
        document's findings at a time. ``tables`` are per-document tables of the analysis
        (mentions, places, dates, events, claims, stances)."""
        streams = [groupby(self._read(table, batch=batch), key=attrgetter("document"))
                   for table in tables]
        heads = [next(s, None) for s in streams]
        while any(heads):
            document = min(h[0] for h in heads if h)
            group: list[list[Any]] = []
            for n, head in enumerate(heads):
                if head and head[0] == document:
                    group.append(list(head[1]))
                    heads[n] = next(streams[n], None)
                else:
                    group.append([])
            yield document, group

    def analysis_of(self, doc_ids: Iterable[str]) -> Analysis:
        """The documents ``doc_ids`` with everything found in them (mentions, places, dates,
        events, claims, stances), and every actor: what a view of some documents or
        incidents reads, whatever the size of the store. Incidents, relations and
        duplicates are left empty."""
        ids = sorted(set(doc_ids))
        return Analysis(
            documents=list(self._read("documents", ids)), actors=self.actors(),
            **{table: list(self._read(table, ids))
               for table in ("mentions", "places", "dates", "events", "claims", "stances")},
        )

    def find_documents(self, actors: Iterable[str] | None = None,
                       published_prefix: str | None = None,
                       documents: Iterable[str] | None = None) -> Iterator[str]:
        """Ids of the stored documents, newest first (undated last), that mention one of
        ``actors``, were published on a date starting with ``published_prefix`` and are
        among ``documents``, each filter where given."""
        clauses: list[str] = []
        params: list[Any] = []
        if actors is not None:
            clauses.append(f"id IN (SELECT document FROM mentions WHERE actor IN {_ANY})")
            params.append(sorted(set(actors)))
        if published_prefix is not None:
            clauses.append("starts_with(coalesce(published, ''), ?)")
            params.append(published_prefix)
        if documents is not None:
            clauses.append(f"id IN {_ANY}")
            params.append(sorted(set(documents)))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        cursor = self.con.cursor()
        try:
            cursor.execute(f"SELECT id FROM documents {where} "
                           "ORDER BY published DESC NULLS LAST, seq", params)
            while rows := cursor.fetchmany(10_000):
                yield from (row[0] for row in rows)
        finally:
            cursor.close()

    def incidents_of(self, doc_ids: Iterable[str]) -> list[Incident]:
        """The stored incidents told by any of the documents ``doc_ids``."""
        return list(self._read("incidents", conditions=[(
            "list_has_any(CAST(json_extract(body, '$.documents') AS VARCHAR[]), "
            "CAST(? AS VARCHAR[]))", [sorted(set(doc_ids))])]))

    def duplicates(self) -> list[dict[str, Any]]:
        return list(self._read("duplicates"))

    def actors(self) -> list[Actor]:
        return list(self._read("actors"))

    def mentions(self, doc_id: str | None = None) -> list[Mention]:
        return list(self._read("mentions", doc_id))

    def places(self, doc_id: str | None = None) -> list[Place]:
        return list(self._read("places", doc_id))

    def dates(self, doc_id: str | None = None) -> list[DateMention]:
        return list(self._read("dates", doc_id))

    def events(self, doc_id: str | None = None) -> list[Event]:
        """Events with the incident each belongs to (``Event.incident``)."""
        return list(self._read("events", doc_id))

    def incidents(self) -> list[Incident]:
        return list(self._read("incidents"))

    def claims(self, doc_id: str | None = None) -> list[Claim]:
        return list(self._read("claims", doc_id))

    def stances(self, doc_id: str | None = None) -> list[Stance]:
        return list(self._read("stances", doc_id))

    def relations(self) -> list[Relation]:
        return list(self._read("relations"))

    def analysis(self) -> Analysis:
        """The whole store as one Analysis (small stores; ``table_rows`` streams any size)."""
        return Analysis(
            documents=self.documents(), actors=self.actors(), mentions=self.mentions(),
            places=self.places(), dates=self.dates(), events=self.events(),
            claims=self.claims(), relations=self.relations(), duplicates=self.duplicates(),
            incidents=self.incidents(),
            stances=self.stances(),
        )

    def table_rows(self, table: str, batch: int = 10_000) -> Iterator[dict[str, Any]]:
        """The rows of one table of the analysis (a key of ``Analysis.to_dict()``), each as
        that method writes it and in the same order, read ``batch`` rows at a time: what an
        export of a store of any size streams."""
        for item in self._read(table, batch=batch):
            yield item if isinstance(item, dict) else _as_dict(item)

    def find_events(self, actors: Iterable[str] | None = None, type_: str | None = None,
                    date_prefix: str | None = None, documents: Iterable[str] | None = None,
                    batch: int = 10_000) -> Iterator[Event]:
        """Events matching every filter given, selected by the database and streamed
        ``batch`` rows at a time: ``actors`` (ids) as source or target, the PLOVER
        ``type_``, a date starting with ``date_prefix`` (YYYY, YYYY-MM...), told in one of
        ``documents``."""
        conditions: list[tuple[str, list[Any]]] = []
        if actors is not None:
            ids = sorted(set(actors))
            conditions.append((f"(body->>'source' IN {_ANY} OR body->>'target' IN {_ANY})",
                               [ids, ids]))
        if type_ is not None:
            conditions.append(("body->>'type' = ?", [type_]))
        if date_prefix is not None:
            conditions.append(("starts_with(coalesce(body->>'date', ''), ?)", [date_prefix]))
        return self._read("events", None if documents is None else sorted(set(documents)),
                          batch, conditions)

    def find_claims(self, actors: Iterable[str] | None = None, cue_type: str | None = None,
                    published_prefix: str | None = None,
                    documents: Iterable[str] | None = None,
                    batch: int = 10_000) -> Iterator[Claim]:
        """Claims matching every filter given, selected by the database and streamed:
        ``actors`` (ids) as the speaker or among what the claim is about, the ``cue_type``,
        a document published on a date starting with ``published_prefix``, one of
        ``documents``."""
        conditions: list[tuple[str, list[Any]]] = []
        if actors is not None:
            ids = sorted(set(actors))
            conditions.append((
                f"(body->>'speaker' IN {_ANY} OR list_has_any("
                "CAST(json_extract(body, '$.about') AS VARCHAR[]), CAST(? AS VARCHAR[])))",
                [ids, ids]))
        if cue_type is not None:
            conditions.append(("body->>'cue_type' = ?", [cue_type]))
        if published_prefix is not None:
            conditions.append(("document IN (SELECT id FROM documents WHERE "
                               "starts_with(coalesce(published, ''), ?))", [published_prefix]))
        return self._read("claims", None if documents is None else sorted(set(documents)),
                          batch, conditions)

    def _read(self, table: str, documents: str | Sequence[str] | None = None,
              batch: int = 10_000,
              conditions: Sequence[tuple[str, list[Any]]] = ()) -> Iterator[Any]:
        """The objects of one table (of one document, of a list of them, or all; each of
        ``conditions``, SQL with its parameters, holding too), streamed from a cursor of
        their own ``batch`` rows at a time."""
        sql, build = _READS[table]
        if not self._has_table(table):  # an older store opened read-only
            return
        column = "id" if table == "documents" else "document"
        clauses: list[str] = []
        params: list[Any] = []
        if isinstance(documents, str):
            clauses.append(f"{column} = ?")
            params.append(documents)
        elif documents is not None:
            clauses.append(f"{column} IN {_ANY}")
            params.append(list(documents))
        for clause, values in conditions:
            clauses.append(clause)
            params += values
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        if table == "events" and not self._has_table("incidents"):
            sql = _EVENTS_WITHOUT_INCIDENTS
        cursor = self.con.cursor()
        try:
            cursor.execute(sql.format(where=where), params)
            names = [d[0] for d in cursor.description]
            while rows := cursor.fetchmany(batch):
                for row in rows:
                    yield build(dict(zip(names, row, strict=True)))
        finally:
            cursor.close()

    def _has_table(self, table: str) -> bool:
        return bool(self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
            [table]).fetchone()[0])


def _actor(row: dict[str, Any]) -> Actor:
    return Actor(id=row["id"], name=row["name"], kind=row["kind"], country=row["country"],
                 sector=row["sector"], aliases=json.loads(row["aliases"]),
                 provisional=row["provisional"], affiliations=json.loads(row["affiliations"]))


def _event(row: dict[str, Any]) -> Event:
    event = Event(**json.loads(row["body"]))
    event.incident = row["incident"]
    return event


def _body(kind: type) -> Any:
    return lambda row: kind(**json.loads(row["body"]))


def _as_dict(item: Any) -> dict[str, Any]:
    return item.to_dict() if hasattr(item, "to_dict") else plain_dict(item)


# How each table is read back: its query (``{where}`` picks one document) and the object
# each row becomes. Orders are the ones exports and views have always shown.
#: SQL for "one of the strings of a list parameter".
_ANY = "(SELECT unnest(CAST(? AS VARCHAR[])))"

_READS: dict[str, tuple[str, Any]] = {
    "documents": ("SELECT * FROM documents {where} ORDER BY seq", lambda r: _document(r)),
    "actors": ("SELECT * FROM actors {where} ORDER BY id", _actor),
    "mentions": ('SELECT * FROM mentions {where} ORDER BY document, start, "end", actor',
                 lambda r: Mention(**r)),
    "places": ("SELECT * FROM places {where} ORDER BY document, start", lambda r: Place(**r)),
    "dates": ("SELECT * FROM dates {where} ORDER BY document, start",
              lambda r: DateMention(**r)),
    # An event's incident is the one whose tellings list it.
    "events": ("SELECT e.body, t.incident FROM events e LEFT JOIN ("
               "SELECT id AS incident, unnest(CAST(json_extract(body, '$.events') AS VARCHAR[]))"
               " AS event FROM incidents) t ON t.event = e.id {where} "
               "ORDER BY e.document, e.id", _event),
    "claims": ("SELECT body FROM claims {where} ORDER BY document, id", _body(Claim)),
    "stances": ("SELECT body FROM stances {where} ORDER BY document, id", _body(Stance)),
    "relations": ("SELECT body FROM relations {where}", _body(Relation)),
    "duplicates": ("SELECT * FROM duplicates {where} ORDER BY id", lambda r: r),
    "incidents": ("SELECT body FROM incidents {where} ORDER BY id", _body(Incident)),
}
_EVENTS_WITHOUT_INCIDENTS = ("SELECT body, NULL AS incident FROM events {where} "
                             "ORDER BY document, id")


def _line_rows(doc_id: str, outlet: str, lines: Iterable[str]) -> list[list[str]]:
    # A page with no short line still counts as one of its outlet's documents (the empty
    # line, which no real line key equals), and is not counted again next run.
    return [[doc_id, outlet, line] for line in sorted(set(lines) | {""})]


def _document(row: dict[str, Any]) -> Document:
    return Document(
        id=row["id"], text=row["text"], title=row["title"], author=row["author"],
        outlet=row["outlet"], url=row["url"], published=row["published"],
        comments=[Comment(**c) for c in json.loads(row["comments"] or "[]")],
        source=row["source"], format=row["format"], raw_text=row["raw_text"],
        metadata=json.loads(row["metadata"] or "{}"), fingerprint=row["fingerprint"],
    )
