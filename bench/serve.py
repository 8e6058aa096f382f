"""Serve: requests per second and latency of `rashomon serve` on a store of 1,000 articles.

The store: the bundled examples (``examples/``) analysed once by the real pipeline, then
copied into 1,000 articles (``--quick``: 200): copy k of each document gets new ids
for itself and everything found in it, its text a numeric suffix line, and its
publication year shifted by k mod 9 so the periods spread. Relations are rebuilt over
the whole store, as ``rashomon analyze`` does.

The server: ``rashomon serve --read-only`` in its own process on loopback (the command
a user runs: uvicorn, one worker). The load: a bounded closed loop of ``CLIENTS``
threads, each with its own keep-alive connection, sending requests back to back, after
a warm-up; per endpoint, requests/s over the run and latency percentiles per request.
Endpoints: the events list (page of 50 at varying offsets), the events list filtered
by actor, and full-text search (varying words, page of 20).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from common import REPO_ROOT, Options, Skip, machine_line, write_result

NAME = "serve"
DESCRIPTION = "rashomon serve: requests/s and p95 latency, events list and search, 1,000 articles"
ARTICLES = 1000
QUICK_ARTICLES = 200
REQUESTS = 600  # per endpoint
QUICK_REQUESTS = 150
CLIENTS = 4
WARMUP = 20
WORDS = ["Mosul", "Baghdad", "militia", "airstrike", "Soleimani", "protest", "parliament",
         "Iran", "troops", "ceasefire", "Kurdish", "missile"]


def build_store(db: Path, articles: int) -> dict[str, int]:
    """The examples analysed, then copied into ``articles`` documents."""
    from rashomon.analyze import analyze_inputs, rebuild_relations
    from rashomon.store import Store
    from rashomon.types import DocumentAnalysis

    seed = db.with_name("seed.duckdb")
    with Store(seed) as store:
        analyze_inputs([str(REPO_ROOT / "examples")], store)
        analysis = store.analysis()
        actors = store.actors()
    by_doc: dict[str, DocumentAnalysis] = {d.id: DocumentAnalysis(d) for d in analysis.documents}
    for kind in ("mentions", "places", "dates", "events", "claims"):
        for item in getattr(analysis, kind):
            getattr(by_doc[item.document], kind).append(item)
    originals = list(by_doc.values())
    with Store(db) as store:
        for n in range(articles):
            original = originals[n % len(originals)]
            copy = n // len(originals)
            store.add_analysis(_varied(original, copy), actors if n == 0 else [])
        rebuild_relations(store)
        counts = {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("documents", "events", "claims", "mentions", "relations")}
    return counts


def _varied(original: Any, copy: int) -> Any:
    """Copy ``copy`` of one analysed document: new ids, a suffix line, a shifted year."""
    from rashomon.types import DocumentAnalysis

    if copy == 0:
        return original
    doc_id = f"{original.document.id}~{copy}"

    def shift(date: str | None) -> str | None:
        if not date or not date[:4].isdigit():
            return date
        return f"{int(date[:4]) - copy % 9}{date[4:]}"

    doc = dataclasses.replace(original.document, id=doc_id,
                              text=f"{original.document.text}\n\nRef. {copy}.",
                              published=shift(original.document.published),
                              fingerprint=f"{original.document.fingerprint}~{copy}")
    moved = {kind: [dataclasses.replace(x, document=doc_id) for x in getattr(original, kind)]
             for kind in ("mentions", "places", "dates")}
    events = [dataclasses.replace(e, id=f"{e.id}~{copy}", document=doc_id, date=shift(e.date))
              for e in original.events]
    claims = [dataclasses.replace(c, id=f"{c.id}~{copy}", document=doc_id)
              for c in original.claims]
    return DocumentAnalysis(doc, events=events, claims=claims, **moved)


def start_server(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from rashomon.cli import main; main()", "serve", "--db",
         str(db), "--port", str(port), "--read-only"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server did not start: {proc.stderr.read()[-2000:]}")


def load(base: str, paths: list[str], requests: int) -> dict[str, Any]:
    """``requests`` GETs over ``paths`` (cycled) from CLIENTS keep-alive threads."""
    import httpx

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(WARMUP // CLIENTS):
                client.get(paths[0])
            barrier.wait()
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                t0 = time.perf_counter()
                response = client.get(paths[i % len(paths)])
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    errors += response.status_code != 200

    barrier = threading.Barrier(CLIENTS + 1)
    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"requests": len(latencies), "errors": errors, "seconds": round(wall, 2),
            "requests_per_s": round(len(latencies) / wall, 1),
            "p50_ms": round(1000 * statistics.median(ordered), 1),
            "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
            "max_ms": round(1000 * ordered[-1], 1)}


def handler_times(db: Path, endpoints: dict[str, list[str]], repeat: int = 100
                  ) -> dict[str, float]:
    """Median milliseconds of the work behind each endpoint in this process (filters,
    page, rows, search, JSON), without HTTP, threads or the other clients: the server's
    own cost per request, next to what the loaded machine delivers over loopback."""
    from urllib.parse import parse_qsl, urlsplit

    from starlette.testclient import TestClient

    from rashomon.serve import create_app

    client = TestClient(create_app(db, read_only=True))
    out = {}
    for name, paths in endpoints.items():
        for path in paths:  # warm: the search index and each page's rows are made once
            client.get(path)
        times = []
        for i in range(repeat):
            url = urlsplit(paths[i % len(paths)])
            query = dict(parse_qsl(url.query))
            route = next(r for r in client.app.routes if getattr(r, "path", None) == url.path)
            request = _request(client.app, url.path, query)
            t0 = time.perf_counter()
            asyncio.run(route.endpoint(request))
            times.append(time.perf_counter() - t0)
        out[name] = round(1000 * statistics.median(times), 2)
    return out


def _request(app: Any, path: str, query: dict[str, str]) -> Any:
    from urllib.parse import urlencode

    from starlette.requests import Request

    return Request({"type": "http", "method": "GET", "path": path, "app": app,
                    "query_string": urlencode(query).encode(), "headers": []})


def run(opts: Options) -> dict[str, Any]:
    try:
        import httpx  # noqa: F401
        import uvicorn  # noqa: F401

        import rashomon.serve  # noqa: F401
    except ImportError as exc:
        raise Skip(f"the serve extra is not installed ({exc})") from None
    started = time.time()
    articles = opts.limit or (QUICK_ARTICLES if opts.quick else ARTICLES)
    requests = QUICK_REQUESTS if opts.quick else REQUESTS
    with tempfile.TemporaryDirectory(prefix="rashomon-bench-serve-") as tmp:
        db = Path(tmp) / "bench.duckdb"
        t0 = time.time()
        counts = build_store(db, articles)
        build_s = time.time() - t0
        from socket import socket

        with socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        t0 = time.time()
        proc = start_server(db, port)
        start_s = time.time() - t0
        base = f"http://127.0.0.1:{port}"
        try:
            total = counts["events"]
            endpoints = {
                "events": [f"/api/events?limit=50&offset={(k * 997) % max(1, total - 50)}"
                           for k in range(50)],
                "events_by_actor": ["/api/events?actor=iran&limit=50",
                                    "/api/events?actor=united_states&limit=50&offset=50",
                                    "/api/events?actor=Iraq&type=ASSAULT&limit=50"],
                "search": [f"/api/search?q={w}&limit=20" for w in WORDS],
            }
            load_before = os.getloadavg()[0]
            runs = {name: load(base, paths, requests) for name, paths in endpoints.items()}
            load_after = os.getloadavg()[0]
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        in_process = handler_times(db, endpoints)
    figures = {"articles": counts["documents"], "events": counts["events"],
               **{f"{name}_requests_per_s": r["requests_per_s"] for name, r in runs.items()},
               **{f"{name}_p95_ms": r["p95_ms"] for name, r in runs.items()},
               "errors": sum(r["errors"] for r in runs.values())}
    figures.update({f"{name}_handler_ms": ms for name, ms in in_process.items()})
    details = {"counts": counts, "runs": runs, "clients": CLIENTS, "handler_ms": in_process,
               "load_average": [round(load_before, 1), round(load_after, 1)],
               "store_build_s": round(build_s, 1), "server_start_s": round(start_s, 1)}
    return write_result(NAME, figures, opts, started, details)


def render(result: dict[str, Any]) -> str:
    d = result["details"]
    c = d["counts"]
    lines = [f"Store: {c['documents']:,} articles, {c['events']:,} events, "
             f"{c['claims']:,} claims, {c['relations']:,} relations; "
             f"{d['clients']} concurrent clients on loopback, keep-alive, "
             f"server `rashomon serve --read-only` (1 uvicorn process); "
             f"server ready {d['server_start_s']} s after start.", "",
             "| Endpoint | Requests | Requests/s | p50 (ms) | p95 (ms) | max (ms) | Errors |",
             "|---|---|---|---|---|---|---|"]
    labels = {"events": "events list (`/api/events?limit=50&offset=…`)",
              "events_by_actor": "events filtered by actor (`/api/events?actor=…`)",
              "search": "search (`/api/search?q=…&limit=20`)"}
    handler = d.get("handler_ms", {})
    lines[-2] = lines[-2].replace("| Errors |", "| Errors | Handler alone (ms) |")
    lines[-1] += "---|"
    for name, r in d["runs"].items():
        lines.append(f"| {labels.get(name, name)} | {r['requests']} | {r['requests_per_s']} | "
                     f"{r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['errors']} | "
                     f"{handler.get(name, '')} |")
    if "load_average" in d:
        lines.append(f"\nMachine load average (1 min) before and after the loopback runs: "
                     f"{d['load_average'][0]}, {d['load_average'][1]} (2 cores, shared). "
                     "Handler alone: median time of the endpoint's work in one process, "
                     "no HTTP, no other client.")
    lines.append(f"\nCommand: `{result['command']}`; {result['date']}, `{result['commit']}`. "
                 f"Machine: {machine_line(result['machine'])}.")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=DESCRIPTION)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--limit", type=int, help="articles in the store")
    args = ap.parse_args()
    run(Options(quick=args.quick, limit=args.limit, argv=sys.argv[1:]))
