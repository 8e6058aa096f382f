"""Shared by the serve tests: a store of the bundled examples (analysed once per session,
copied for tests that write), a server on loopback in a thread, and hostile input."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_BUILT: dict[str, Path] = {}

# An article written for these tests: markup and script that must stay text.
HOSTILE = (
    "Militia talks <b>in Basra</b><script>window.__pwned = 0;</script>\n\n"
    "<script>window.__pwned = 1;</script> Militia leaders met in Basra on Monday. "
    '<img src=x onerror="window.__pwned = 2"> Iraqi forces attacked the militia base '
    "near Basra, officials said. </textarea><svg onload=\"window.__pwned = 3\"></svg> "
    "Protesters carried a banner reading <basra onclick=\"window.__pwned = 4\">."
)


def example_store(root: Path) -> Path:
    """The examples analysed into a store under ``root`` (built once per session)."""
    if "examples" not in _BUILT:
        from rashomon.analyze import analyze_inputs
        from rashomon.store import Store

        db = root / "examples.duckdb"
        with Store(db) as store:
            analyze_inputs([str(EXAMPLES)], store)
        _BUILT["examples"] = db
    return _BUILT["examples"]


def copy_store(db: Path, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    target = into / db.name
    shutil.copy(db, target)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def wait_for_job(client, job_url: str, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(job_url).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_url} did not finish: {job}")
