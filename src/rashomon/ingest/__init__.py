"""Ingest: turn files, directories and URLs into RawRecords, reporting what cannot be read.

Nothing here raises on bad input: every unreadable file, malformed record or failed fetch
becomes an IngestProblem with one line naming the source, and reading goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rashomon.ingest.fetch import USER_AGENT, fetch_url, is_url
from rashomon.ingest.files import Fetch, is_sidecar, read_file
from rashomon.ingest.names import label, printable, repair_surrogates
from rashomon.ingest.prefetch import Prefetcher
from rashomon.types import IngestProblem, RawRecord

# Per-file limit for files read whole (text, HTML, JSON, feeds) and per record for streamed
# JSON Lines / CSV. Chosen far above any real article page (a few MB at most with inline
# scripts) so that only dumps and mistakes hit it.
MAX_BYTES = 50 * 1024 * 1024
# Metadata deeper than this is no article's: it is refused before anything recurses into it
# (storing, exporting), far below the depth at which Python's recursion limit is reached.
MAX_METADATA_DEPTH = 64
# Total time one URL may take, headers and body together: a server that drips a byte at a
# time never trips the per-read timeout alone.
FETCH_DEADLINE = 30.0

# Seconds one read from a server may wait (the whole fetch has FETCH_DEADLINE).
FETCH_TIMEOUT = 20.0

__all__ = ["FETCH_DEADLINE", "MAX_BYTES", "USER_AGENT", "Prefetcher", "read_inputs",
           "url_fetcher", "vetted"]


def read_inputs(inputs: Sequence[str | Path], *, max_bytes: int = MAX_BYTES,
                fetch_timeout: float = FETCH_TIMEOUT, fetch_deadline: float = FETCH_DEADLINE,
                prefetch: Prefetcher | None = None) -> Iterator[RawRecord | IngestProblem]:
    """Yield a RawRecord per article found in the inputs, or an IngestProblem per failure.

    Inputs are files, directories (walked recursively in sorted order, skipping hidden
    entries and NAME.meta.json sidecars), http(s) URLs, or files listing URLs. Records
    whose fields needed repair come after a problem that says so with ``skipped=False``.
    URLs are fetched in line, or with ``prefetch`` handed to it (in their input order) and
    left out here: ``vetted(prefetch.results())`` reads them, fetched meanwhile.
    """
    fetch = (url_fetcher(max_bytes, fetch_timeout, fetch_deadline) if prefetch is None
             else _handed_to(prefetch))
    yield from vetted(_read(inputs, max_bytes, fetch))


def url_fetcher(max_bytes: int = MAX_BYTES, fetch_timeout: float = FETCH_TIMEOUT,
                fetch_deadline: float = FETCH_DEADLINE) -> Fetch:
    """Fetch one URL within these bounds (see ``fetch_url``)."""
    return partial(fetch_url, max_bytes=max_bytes, timeout=fetch_timeout,
                   deadline=fetch_deadline)


def _handed_to(prefetch: Prefetcher) -> Fetch:
    def fetch(url: str) -> list[RawRecord | IngestProblem]:
        prefetch.submit(url)
        return []

    return fetch


def vetted(items: Iterable[RawRecord | IngestProblem]) -> Iterator[RawRecord | IngestProblem]:
    """Problems as they are, records through ``vet_record``."""
    for item in items:
        if isinstance(item, IngestProblem):
            yield item
        else:
            yield from vet_record(item)


def vet_record(record: RawRecord) -> Iterator[RawRecord | IngestProblem]:
    """The record, repaired where it can be (each repair reported), or why it is refused."""
    depth = _depth(record.metadata)
    if depth > MAX_METADATA_DEPTH:
        yield IngestProblem(record.source, f"metadata nested {depth} levels deep "
                                           f"(more than {MAX_METADATA_DEPTH})")
        return
    for name in ("id", "text", "html", "title", "author", "outlet", "url", "published"):
        value = getattr(record, name)
        if value is None:
            continue
        fixed, count = repair_surrogates(value)
        if count:
            setattr(record, name, fixed)
            yield IngestProblem(record.source, f"{count} lone surrogate(s) in {name} replaced "
                                               "by U+FFFD", skipped=False)
    record.metadata, count = _repair_value(record.metadata)
    if count:
        yield IngestProblem(record.source, f"{count} lone surrogate(s) in metadata replaced "
                                           "by U+FFFD", skipped=False)
    if record.url is not None and not valid_url(record.url):
        record.metadata["invalid_url"] = record.url
        yield IngestProblem(record.source, f"malformed URL {printable(record.url[:80])!r} "
                                           "ignored (kept as metadata invalid_url)",
                            skipped=False)
        record.url = None
    yield record


def valid_url(url: str) -> bool:
    """True when the URL parses with a host (and a valid port, when it has one)."""
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return False
    return bool(parts.hostname) or parts.scheme not in ("http", "https")


def _depth(value: object) -> int:
    """Nesting depth of lists and dicts, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            if level <= MAX_METADATA_DEPTH:
                stack.extend((child, level + 1) for child in item)
    return deepest


def _repair_value(value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        return repair_surrogates(value)
    if isinstance(value, list):
        pairs = [_repair_value(v) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        fixed, total = {}, 0
        for key, item in value.items():
            new_key, n_key = _repair_value(key)
            new_item, n_item = _repair_value(item)
            fixed[new_key] = new_item
            total += n_key + n_item
        return fixed, total
    return value, 0


def _read(inputs: Sequence[str | Path], max_bytes: int,
          fetch: Fetch) -> Iterator[RawRecord | IngestProblem]:
    for item in inputs:
        if isinstance(item, str) and is_url(item):
            yield from fetch(item.strip())
            continue
        path = Path(item)
        if path.is_dir():
            for file in _walk(path):
                if isinstance(file, IngestProblem):
                    yield file
                else:
                    yield from read_file(file, max_bytes=max_bytes, fetch=fetch)
        else:
            yield from read_file(path, max_bytes=max_bytes, fetch=fetch)


def _walk(directory: Path) -> Iterator[Path | IngestProblem]:
    """Files under a directory, sorted by name, depth first; hidden entries and sidecars skipped."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except PermissionError:
        yield IngestProblem(label(directory), "permission denied")
        return
    except OSError as err:
        yield IngestProblem(label(directory), f"cannot list directory ({err.strerror or err})")
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif not is_sidecar(path):
            yield path
