"""Adding articles through the server: checked uploads, one background writer.

An upload (files, pasted text, URLs) is checked at once (sizes, counts, file types:
a bad one is refused with its one-line reason), written into its own folder under the
upload folder with names we choose, and queued. One worker thread takes the jobs in
order and runs ``analyze_inputs`` on the folder, the code path of ``rashomon analyze``,
so each document is committed in its own transaction. While another process holds
the store's write lock the job waits, says so, and retries.
"""

from __future__ import annotations

import json
import queue
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analyze import analyze_inputs
from ..ingest.fetch import is_url
from ..store import Store, StoreError
from .queries import ApiError
from .snapshot import SnapshotHolder, load_snapshot

MAX_FILES = 20
MAX_FILE_BYTES = 2_000_000
MAX_REQUEST_BYTES = 10_000_000
MAX_URLS = 20
SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".csv", ".xml", ".rss", ".atom")
LOCK_WAIT = 600.0  # seconds a job waits for another process's write lock before failing
PUBLISH_EVERY = 2.0  # seconds between snapshots while a job commits documents


@dataclass
class Upload:
    """What one request adds; ``files`` are (name as sent, bytes)."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    text: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    urls: list[str] = field(default_factory=list)

    def check(self) -> None:
        """Refuse a bad upload with its one-line reason (ApiError 400/413)."""
        if not (self.files or (self.text and self.text.strip()) or self.urls):
            raise ApiError(400, "nothing to add: give files, text or urls")
        if len(self.files) > MAX_FILES:
            raise ApiError(413, f"too many files: {len(self.files)} (at most {MAX_FILES})")
        if len(self.urls) > MAX_URLS:
            raise ApiError(413, f"too many urls: {len(self.urls)} (at most {MAX_URLS})")
        for name, data in self.files:
            if Path(name).suffix.lower() not in SUFFIXES:
                raise ApiError(400, f"{name}: unsupported file type; use one of "
                                    f"{' '.join(SUFFIXES)}")
            if len(data) > MAX_FILE_BYTES:
                raise ApiError(413, f"{name}: {len(data)} bytes is over the "
                                    f"{MAX_FILE_BYTES}-byte limit")
            if not data.strip():
                raise ApiError(400, f"{name}: empty file")
        if self.text and len(self.text.encode()) > MAX_FILE_BYTES:
            raise ApiError(413, f"text: over the {MAX_FILE_BYTES}-byte limit")
        for url in self.urls:
            if not is_url(url):
                raise ApiError(400, f"{url[:80]}: not an http(s) URL")
        if self.published and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", self.published):
            raise ApiError(400, f"published: {self.published!r} is not YYYY, YYYY-MM or "
                                "YYYY-MM-DD")


@dataclass
class Job:
    id: str
    inputs: list[str]
    state: str = "queued"  # queued, waiting, running, done, failed
    phase: str = ""
    done: int = 0
    total: int | None = None
    ingested: int = 0
    duplicates: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    error: str | None = None
    documents: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "phase": self.phase, "done": self.done,
                "total": self.total, "ingested": self.ingested, "duplicates": self.duplicates,
                "problems": self.problems, "error": self.error, "documents": self.documents,
                "inputs": [Path(i).name for i in self.inputs], "url": f"/api/jobs/{self.id}"}


def safe_name(name: str, n: int) -> str:
    """A file name we choose: the sent name's stem reduced to [A-Za-z0-9_-], its suffix."""
    path = Path(name.replace("\\", "/")).name
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(path).stem).strip("-")[:60] or "file"
    return f"{n:02d}-{stem}{Path(path).suffix.lower()}"


class Writer:
    """The one writer: a thread analysing queued uploads into the store."""

    def __init__(self, holder: SnapshotHolder, upload_dir: Path) -> None:
        self.holder = holder
        self.upload_dir = Path(upload_dir)
        self.jobs: dict[str, Job] = {}
        self.queue: queue.Queue[Job] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="rashomon-writer", daemon=True)
        self.thread.start()

    def submit(self, upload: Upload) -> Job:
        """Write an upload into its own folder and queue it."""
        upload.check()
        job_id = uuid.uuid4().hex[:12]
        folder = self.upload_dir / job_id
        folder.mkdir(parents=True)
        inputs: list[str] = []
        for n, (name, data) in enumerate(upload.files, start=1):
            path = folder / safe_name(name, n)
            path.write_bytes(data)
            inputs.append(str(path))
        if upload.text and upload.text.strip():
            path = folder / f"pasted-{job_id}.txt"
            path.write_text(upload.text, encoding="utf-8")
            meta = {k: v for k, v in (("title", upload.title), ("outlet", upload.outlet),
                                      ("published", upload.published)) if v}
            if meta:
                (folder / f"pasted-{job_id}.meta.json").write_text(json.dumps(meta))
            inputs.append(str(path))
        if upload.urls:
            path = folder / "urls.urls"
            path.write_text("\n".join(upload.urls) + "\n", encoding="utf-8")
            inputs.append(str(path))
        job = Job(job_id, inputs)
        self.jobs[job_id] = job
        self.queue.put(job)
        return job

    def _run(self) -> None:
        while True:
            job = self.queue.get()
            try:
                self._process(job)
            except Exception as exc:  # a failed job must not stop the writer
                job.state, job.error = "failed", _one_line(f"{type(exc).__name__}: {exc}")

    def _process(self, job: Job) -> None:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            with self.holder.file_lock:
                try:
                    store = Store(self.holder.path)
                except StoreError as exc:
                    if time.monotonic() > deadline:
                        job.state, job.error = "failed", _one_line(str(exc))
                        return
                    job.state = "waiting"
                    job.phase = "the store is locked by another process; retrying"
                else:
                    with store:
                        self._analyse(job, store)
                    return
            time.sleep(1.0)

    def _analyse(self, job: Job, store: Store) -> None:
        job.state = "running"
        last = time.monotonic()
        before = {i for i, _, _ in store.signatures()}

        def progress(phase: str, done: int, total: int | None) -> None:
            nonlocal last
            job.phase, job.done, job.total = phase, done, total
            if phase == "analysing" and time.monotonic() - last > PUBLISH_EVERY:
                self.holder.publish(load_snapshot(store))
                last = time.monotonic()

        summary = analyze_inputs(job.inputs, store, progress=progress,
                                 on_problem=lambda p: job.problems.append(
                                     _one_line(f"{Path(p.source).name}: {p.problem}")))
        job.ingested = summary.ingested
        job.duplicates = [f"{d} = {o} ({k})" for d, k, o in summary.duplicates]
        job.documents = [i for i, _, _ in store.signatures() if i not in before]
        self.holder.publish(load_snapshot(store))
        job.state = "failed" if summary.nothing_read else "done"
        if summary.nothing_read:
            job.error = job.problems[0] if job.problems else "nothing could be read"


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]
