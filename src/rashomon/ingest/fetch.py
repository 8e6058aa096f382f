"""Fetching articles over HTTP(S): polite, bounded in time and size, never raising."""

from __future__ import annotations

import hashlib
import http.client
import re
import socket
import threading
import urllib.error
import urllib.request
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from rashomon.ingest.decode import NotText, decode, html_declared_charset
from rashomon.ingest.feeds import feed_root, read_feed
from rashomon.ingest.names import printable
from rashomon.ingest.records import human_size
from rashomon.types import IngestProblem, RawRecord

USER_AGENT = "Rashomon/0.1 (+https://github.com/rashomon-osint/rashomon)"
CHUNK = 65536
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def is_url(text: str) -> bool:
    """True for an http or https URL."""
    return bool(_URL.match(text.strip()))


def url_id(url: str) -> str:
    """A readable, stable record id for a URL: its last path segment plus a short hash."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    name = PurePosixPath(segments[-1]).stem if segments else parts.hostname or "page"
    slug = re.sub(r"[^\w-]+", "-", name).strip("-")[:60] or "page"
    return f"{slug}-{hashlib.sha1(url.encode()).hexdigest()[:8]}"


def fetch_url(url: str, *, max_bytes: int, timeout: float,
              deadline: float | None = None) -> list[RawRecord | IngestProblem]:
    """Fetch one URL: an HTML or text page gives one record, a feed one record per item.

    ``timeout`` bounds each read and ``deadline`` (default: ``timeout``) the whole fetch,
    headers and body together. A malformed response, a body shorter than its
    Content-Length or one over ``max_bytes`` is a problem, never a record.
    """
    deadline = timeout if deadline is None else deadline
    watch = _Deadline(deadline)
    opener = urllib.request.build_opener(_WatchedHTTP(watch), _WatchedHTTPS(watch))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    timed_out = f"timed out after {timeout:g} s"
    try:
        with watch, opener.open(request, timeout=min(timeout, deadline)) as response:
            final_url = response.geturl()
            headers = response.headers
            data = _read_bounded(response, max_bytes)
    except urllib.error.HTTPError as err:
        return [IngestProblem(url, f"HTTP {err.code} {printable(str(err.reason))[:80]}")]
    except TimeoutError:
        return [IngestProblem(url, _late(watch) or timed_out)]
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            return [IngestProblem(url, _late(watch) or timed_out)]
        return [IngestProblem(url, _late(watch) or f"cannot fetch ({_short(err.reason)})")]
    except http.client.HTTPException as err:
        return [IngestProblem(url, _late(watch) or f"malformed response "
                                                   f"({type(err).__name__}: {_short(err)})")]
    except (OSError, ValueError) as err:
        return [IngestProblem(url, _late(watch) or f"cannot fetch ({_short(err)})")]
    if isinstance(data, str):
        return [IngestProblem(url, _late(watch) or data)]
    if not data.strip():
        return [IngestProblem(url, "empty response")]
    return _to_records(url, final_url, headers, data)


def _read_bounded(response: http.client.HTTPResponse, max_bytes: int) -> bytes | str:
    """The whole body, or a phrase saying why not: larger than max_bytes (read stops right
    there) or shorter than the Content-Length the server announced."""
    length = response.headers.get("Content-Length")
    too_big = f"response exceeds the {human_size(max_bytes)} limit"
    if length and length.isdigit() and int(length) > max_bytes:
        return too_big
    chunks, total = [], 0
    # read1 returns what one receive brings: read(n) would wait for n bytes from a server
    # that sends one byte at a time, however near the deadline.
    while chunk := response.read1(CHUNK):
        total += len(chunk)
        if total > max_bytes:
            return too_big
        chunks.append(chunk)
    if length and length.isdigit() and total < int(length):
        return f"body cut short: {total} of {int(length)} bytes received"
    return b"".join(chunks)


class _Deadline:
    """Shuts the fetch's sockets when the total time is up, which ends any blocked read."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.sockets: list[socket.socket] = []
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        self.expired = True
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed


def _late(watch: _Deadline) -> str | None:
    return f"gave up after {watch.seconds:g} s (total time per URL)" if watch.expired else None


def _short(err: object) -> str:
    return printable(str(err))[:120]


def _watched(base: type[http.client.HTTPConnection], watch: _Deadline) -> type:
    class Watched(base):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            super().connect()
            watch.sockets.append(self.sock)
            if watch.expired:
                self.sock.shutdown(socket.SHUT_RDWR)

    return Watched


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, watch: _Deadline) -> None:
        super().__init__()
        self.connection = _watched(http.client.HTTPConnection, watch)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.connection, req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Deadline) -> None:
        super().__init__()
        self.connection = _watched(http.client.HTTPSConnection, watch)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.connection, req, context=self._context)


def _to_records(url: str, final_url: str, headers: Message,
                data: bytes) -> list[RawRecord | IngestProblem]:
    ctype = headers.get_content_type()
    charset = headers.get_content_charset()
    if "xml" in ctype or "rss" in ctype or "atom" in ctype:
        root = feed_root(data)
        if root is not None:
            return list(read_feed(root, url_id(url), url))
    looks_html = ctype in ("text/html", "application/xhtml+xml") or (
        ctype not in ("text/plain", "text/markdown") and b"<html" in data[:2048].lower())
    try:
        decoded = decode(data, charset or (html_declared_charset(data) if looks_html else None))
    except NotText:
        return [IngestProblem(url, f"binary content ({ctype}), not text")]
    metadata = {"content_type": ctype}
    if decoded.notes:
        metadata["encoding_notes"] = decoded.notes
    if final_url != url:
        metadata["requested_url"] = url
    fields = {"html": decoded.text} if looks_html else {"text": decoded.text}
    return [RawRecord(id=url_id(final_url), source=url, format="url", url=final_url,
                      metadata=metadata, **fields)]
