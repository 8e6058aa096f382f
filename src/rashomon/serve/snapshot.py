"""What the server reads from: an immutable in-memory snapshot of the store, reloaded on change.

DuckDB lets one process write a file and, while it does, no other process may open it
at all. So requests never touch the file: they read a ``Snapshot`` (the whole analysis
plus the indexes the API needs), which is swapped atomically when the file changes.
A reload opens a short-lived read-only connection; when another process (a running
``rashomon analyze``) holds the lock, the reload is skipped and the previous snapshot
keeps answering, marked ``stale`` until a later reload succeeds. The server's own
writer (``jobs``) builds a snapshot from its write connection as documents commit.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..alignments import Alignment, align
from ..outlets import outlet_of
from ..relations import event_period
from ..report import system_relations
from ..store import Store, StoreError
from ..types import Analysis, Claim, Document, Event, Mention, Relation, Stance
from .search import SearchIndex

# How often a request may look at the file for changes, in seconds.
CHECK_INTERVAL = 0.5


@dataclass
class Snapshot:
    """One consistent view of the store with the lookups the routes need."""

    analysis: Analysis
    incidents: list[dict[str, Any]] = field(default_factory=list)
    loaded_at: float = field(default_factory=time.time)
    version: int = 0

    def __post_init__(self) -> None:
        a = self.analysis
        self.names = {x.id: x.name for x in a.actors}
        self.actors = {x.id: x for x in a.actors}
        self.docs: dict[str, Document] = {d.id: d for d in a.documents}
        self.events: dict[str, Event] = {e.id: e for e in a.events}
        self.event_order = {e.id: n for n, e in enumerate(a.events)}
        self.claims: dict[str, Claim] = {c.id: c for c in a.claims}
        self.stances: dict[str, Stance] = {x.id: x for x in a.stances}
        self.stances_by_doc: dict[str, list[Stance]] = defaultdict(list)
        for x in a.stances:
            self.stances_by_doc[x.document].append(x)
        self.mentions_by_doc: dict[str, list[tuple[int, Mention]]] = defaultdict(list)
        self.mention_counts: Counter[str] = Counter()
        self.mention_docs: dict[str, set[str]] = defaultdict(set)
        for n, m in enumerate(a.mentions):
            self.mentions_by_doc[m.document].append((n, m))
            self.mention_counts[m.actor] += 1
            self.mention_docs[m.actor].add(m.document)
        self.events_by_doc: dict[str, list[Event]] = defaultdict(list)
        self.events_by_actor: dict[str, list[Event]] = defaultdict(list)
        for e in a.events:
            self.events_by_doc[e.document].append(e)
            for actor in {e.source, e.target} - {None}:
                self.events_by_actor[actor].append(e)
        self.claims_by_doc: dict[str, list[Claim]] = defaultdict(list)
        for c in a.claims:
            self.claims_by_doc[c.document].append(c)
        # API rows and actor-name matches, made on first use and kept with the snapshot.
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._alignments: dict[tuple[str, str], Alignment] = {}

    def outlet(self, doc_id: str) -> str:
        return outlet_of(self.docs.get(doc_id))

    def event_period(self, e: Event) -> str:
        return event_period(e, self.docs.get(e.document))

    def event_date(self, e: Event) -> str:
        """The event's own date, else its document's publication date ("" if neither)."""
        doc = self.docs.get(e.document)
        return e.date or (doc.published if doc and doc.published else "")

    @cached_property
    def relations(self) -> list[Relation]:
        """Direct relations and, when the KB has affiliations, the rolled-up view."""
        return system_relations(self.analysis)

    @cached_property
    def search(self) -> SearchIndex:
        return SearchIndex(self.analysis.documents, self.analysis.claims, self.names)

    def alignment(self, view: str, period: str) -> Alignment | None:
        """Camps of one graph, computed on first use (a MILP per period is not free)."""
        key = (view, period)
        with self._lock:
            if key not in self._alignments:
                ties = [r for r in self.relations if r.view == view and r.period == period]
                found = align(ties, self.analysis.actors)
                self._alignments[key] = found[0] if found else Alignment(
                    period, view, [], 0, 0.0, [], "exact")
            return self._alignments[key]


def load_snapshot(store: Store, version: int = 0) -> Snapshot:
    """Read the whole store through an open connection."""
    analysis = store.analysis()
    return Snapshot(analysis, incidents=[i.to_dict() for i in analysis.incidents],
                    version=version)


class SnapshotHolder:
    """The current snapshot of one store file, reloaded when the file changes.

    ``file_lock`` serialises every connection this process opens on the file: DuckDB
    refuses a read-only and a read-write connection to one file in one process.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.file_lock = threading.Lock()
        self.stale_reason: str | None = None
        self._snapshot = Snapshot(Analysis(), version=0)
        self._stamp: tuple[int, ...] | None = None
        self._checked = 0.0
        self.refresh(force=True)

    @property
    def stale(self) -> bool:
        return self.stale_reason is not None

    def get(self) -> Snapshot:
        """The current snapshot. When the file changed since the last look, a reload starts
        in the background (requests never wait for one) and later requests see it."""
        now = time.monotonic()
        if now - self._checked >= CHECK_INTERVAL:
            self._checked = now
            if (self._file_stamp() != self._stamp or self.stale) and not self.file_lock.locked():
                threading.Thread(target=self.refresh, name="rashomon-reload",
                                 daemon=True).start()
        return self._snapshot

    def refresh(self, force: bool = False) -> None:
        """Reload from the file unless another thread is already at it (or force)."""
        if not self.file_lock.acquire(blocking=force):
            return
        try:
            stamp = self._file_stamp()
            with Store(self.path, read_only=True) as store:
                self.publish(load_snapshot(store, self._snapshot.version + 1), stamp)
        except StoreError as exc:
            # Locked by a writing process, or not a store yet: keep serving what we have.
            self.stale_reason = _one_line(str(exc))
        finally:
            self.file_lock.release()

    def publish(self, snapshot: Snapshot, stamp: tuple[int, ...] | None = None) -> None:
        """Swap in a snapshot (the writer calls this with one read from its connection)."""
        snapshot.version = self._snapshot.version + 1
        self._snapshot = snapshot
        self._stamp = stamp if stamp is not None else self._file_stamp()
        self.stale_reason = None

    def _file_stamp(self) -> tuple[int, ...]:
        stamp: list[int] = []
        for p in (self.path, Path(f"{self.path}.wal")):
            try:
                st = os.stat(p)
                stamp += [st.st_mtime_ns, st.st_size]
            except OSError:
                stamp += [0, 0]
        return tuple(stamp)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]
