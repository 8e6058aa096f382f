"""URLs fetched in background threads while local inputs are read and analysed.

A run that reads URLs beside local files hands each URL to a ``Prefetcher`` instead of
fetching it in line: up to ``WORKERS`` fetches run at once, each bounded by its own total
deadline, so one slow server holds back neither the local documents nor the other URLs.
The results come back in the order the URLs were given, whatever order the fetches end in,
so a run stores the same documents in the same order however fast each server answers.
At most ``AHEAD`` fetched pages wait in memory; the rest of a long URL list waits as text.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterator

from rashomon.types import IngestProblem, RawRecord

#: Fetches at once: the work is waiting on servers, not the CPU, so more threads than
#: cores is right; a handful keeps us polite to any one site.
WORKERS = 8
#: Fetched (or fetching) URLs held before their records are taken.
AHEAD = 32

Fetch = Callable[[str], list[RawRecord | IngestProblem]]
_Result = list[RawRecord | IngestProblem]


class _Slot:
    """One URL's fetch: set once, by a worker thread."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.done = threading.Event()
        self.result: _Result = []


class Prefetcher:
    """Fetch URLs in daemon threads (a fetch in flight never delays the process's exit,
    e.g. after Ctrl-C); ``results()`` yields each URL's records in submission order."""

    def __init__(self, fetch: Fetch, workers: int = WORKERS, ahead: int = AHEAD) -> None:
        self._fetch = fetch
        self._ahead = max(1, ahead)
        self._waiting: deque[str] = deque()  # submitted, not yet started
        self._slots: deque[_Slot] = deque()  # started, in submission order
        self._jobs: queue.SimpleQueue[_Slot | None] = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._work, daemon=True, name=f"fetch-{n}")
                         for n in range(max(1, workers))]
        self._started = False
        self._closed = False
        self.submitted = 0

    def submit(self, url: str) -> None:
        """Queue a URL; its fetch starts as soon as fewer than ``ahead`` are held."""
        self.submitted += 1
        self._waiting.append(url)
        self._top_up()

    def results(self) -> Iterator[RawRecord | IngestProblem]:
        """Every submitted URL's records and problems, in submission order (blocking on
        each in turn). URLs submitted while this runs are included."""
        try:
            while self._slots or self._waiting:
                self._top_up()
                slot = self._slots.popleft()
                slot.done.wait()
                self._top_up()
                yield from slot.result
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers (fetches in flight end at their deadline, unseen)."""
        self._closed = True
        self._waiting.clear()
        for _ in self._threads:
            self._jobs.put(None)

    def _top_up(self) -> None:
        while self._waiting and len(self._slots) < self._ahead:
            if not self._started:
                for thread in self._threads:
                    thread.start()
                self._started = True
            slot = _Slot(self._waiting.popleft())
            self._slots.append(slot)
            self._jobs.put(slot)

    def _work(self) -> None:
        while (slot := self._jobs.get()) is not None:
            try:
                if not self._closed:
                    slot.result = self._fetch(slot.url)
            except Exception as exc:  # fetch_url reports its failures; anything else is ours
                slot.result = [IngestProblem(slot.url, f"fetch failed ({type(exc).__name__})")]
            finally:
                slot.done.set()
