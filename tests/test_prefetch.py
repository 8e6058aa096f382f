"""URLs are fetched in the background: results keep the input order, a slow server holds
back neither the other URLs nor the local documents of the same run."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rashomon.analyze import analyze_inputs
from rashomon.ingest import Prefetcher
from rashomon.pipeline import Config
from rashomon.store import Store
from rashomon.types import IngestProblem, RawRecord


def _record(url: str) -> RawRecord:
    return RawRecord(id=url, source=url, format="url", text=f"text of {url}")


class CountingFetch:
    """A fetch that takes ``delay(url)`` seconds and counts the most fetches running at once;
    the URL "c" is gone."""

    def __init__(self, delay) -> None:
        self.delay, self.running, self.most = delay, 0, 0
        self.lock = threading.Lock()

    def __call__(self, url: str) -> list[RawRecord | IngestProblem]:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(self.delay(url))
        with self.lock:
            self.running -= 1
        return [_record(url)] if url != "c" else [IngestProblem(url, "gone")]


def test_results_come_in_submission_order_and_fetches_overlap():
    delays = {"a": 0.6, "b": 0.0, "c": 0.3, "d": 0.0}
    fetch = CountingFetch(delays.get)
    prefetch = Prefetcher(fetch, workers=4, ahead=4)
    started = time.monotonic()
    for url in delays:
        prefetch.submit(url)
    got = [item.source for item in prefetch.results()]
    assert got == ["a", "b", "c", "d"]  # not the order the fetches ended in
    assert fetch.most >= 2
    assert time.monotonic() - started < sum(delays.values())


def test_at_most_ahead_fetches_are_held():
    fetch = CountingFetch(lambda url: 0.02)
    prefetch = Prefetcher(fetch, workers=8, ahead=2)
    for n in range(10):
        prefetch.submit(str(n))
    assert [r.source for r in prefetch.results()] == [str(n) for n in range(10)]
    assert fetch.most <= 2


def test_a_fetch_that_raises_is_one_problem():
    def fetch(url: str) -> list[RawRecord | IngestProblem]:
        raise RuntimeError("boom")

    prefetch = Prefetcher(fetch)
    prefetch.submit("http://x.example/a")
    [item] = list(prefetch.results())
    assert isinstance(item, IngestProblem) and "RuntimeError" in item.problem


PAGE = ("<html><head><title>{title}</title></head><body><article><p>{body}</p></article>"
        "</body></html>")


@contextmanager
def _gated_server(gate: threading.Event) -> Iterator[str]:
    """/gated answers once ``gate`` is set (or after 20 s); /fast answers at once."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            if self.path == "/gated":
                gate.wait(20)
                body = PAGE.format(title="Dam talks", body="Engineers from Iraq and Turkey "
                                   "discussed the flow of the Tigris at a dam on Monday.")
            else:
                body = PAGE.format(title="Grain deal", body="Traders in Basra signed a "
                                   "grain deal with Australian exporters on Sunday.")
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        gate.set()
        server.shutdown()
        server.server_close()


@pytest.mark.network
@pytest.mark.slow
def test_local_documents_are_analysed_while_a_slow_url_is_fetched(tmp_path):
    """The gated server answers only once both local articles are analysed: a run that
    fetched in line would wait on it (the deadline passes) before analysing anything."""
    gate = threading.Event()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_talks.txt").write_text("Kurdish and Iraqi officials met in Erbil on "
                                        "Tuesday to discuss oil exports.\n")
    (folder / "b_protest.txt").write_text("Students protested in Najaf on Wednesday "
                                          "against power cuts, police said.\n")

    def progress(phase: str, done: int, total: int | None) -> None:
        if phase == "analysing" and done == 2:
            gate.set()

    problems: list[IngestProblem] = []
    with _gated_server(gate) as url:
        (folder / "links.urls").write_text(f"{url}/gated\n{url}/fast\n")
        with Store(tmp_path / "p.duckdb") as store:
            analyze_inputs([str(folder)], store, Config(n_process=1, doc_timeout=0),
                           progress=progress, on_problem=problems.append,
                           fetch_deadline=15)
            ids = [d.id for d in store.documents()]
    assert not problems, problems
    # Local documents first, then the pages in the order the URLs were listed (the
    # /fast page was fetched first).
    assert ids[:2] == ["a_talks", "b_protest"]
    assert [i.split("-")[0] for i in ids[2:]] == ["gated", "fast"]
