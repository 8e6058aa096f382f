"""Ingest: turn files, directories and URLs into RawRecords, reporting what cannot be read.

Nothing here raises on bad input: every unreadable file, malformed record or failed fetch
becomes an IngestProblem with one line naming the source, and reading goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path

from rashomon.ingest.fetch import USER_AGENT, fetch_url, is_url
from rashomon.ingest.files import is_sidecar, read_file
from rashomon.types import IngestProblem, RawRecord

# Per-file limit for files read whole (text, HTML, JSON, feeds) and per record for streamed
# JSON Lines / CSV. Chosen far above any real article page (a few MB at most with inline
# scripts) so that only dumps and mistakes hit it.
MAX_BYTES = 50 * 1024 * 1024

__all__ = ["MAX_BYTES", "USER_AGENT", "read_inputs"]


def read_inputs(inputs: Sequence[str | Path], *, max_bytes: int = MAX_BYTES,
                fetch_timeout: float = 20.0) -> Iterator[RawRecord | IngestProblem]:
    """Yield a RawRecord per article found in the inputs, or an IngestProblem per failure.

    Inputs are files, directories (walked recursively in sorted order, skipping hidden
    entries and NAME.meta.json sidecars), http(s) URLs, or files listing URLs.
    """
    fetch = partial(fetch_url, max_bytes=max_bytes, timeout=fetch_timeout)
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
        yield IngestProblem(str(directory), "permission denied")
        return
    except OSError as err:
        yield IngestProblem(str(directory), f"cannot list directory ({err.strerror or err})")
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif not is_sidecar(path):
            yield path
