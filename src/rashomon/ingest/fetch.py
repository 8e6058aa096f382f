"""Fetching articles over HTTP(S): polite, bounded in time and size, never raising."""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from rashomon.ingest.decode import NotText, decode, html_declared_charset
from rashomon.ingest.feeds import feed_root, read_feed
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


def fetch_url(url: str, *, max_bytes: int, timeout: float) -> list[RawRecord | IngestProblem]:
    """Fetch one URL: an HTML or text page gives one record, a feed one record per item."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            final_url = response.geturl()
            headers = response.headers
            data = _read_bounded(response, max_bytes)
    except urllib.error.HTTPError as err:
        return [IngestProblem(url, f"HTTP {err.code} {err.reason}")]
    except TimeoutError:
        return [IngestProblem(url, f"timed out after {timeout:g} s")]
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            return [IngestProblem(url, f"timed out after {timeout:g} s")]
        return [IngestProblem(url, f"cannot fetch ({err.reason})")]
    except (OSError, ValueError) as err:
        return [IngestProblem(url, f"cannot fetch ({err})")]
    if data is None:
        return [IngestProblem(url, f"response exceeds the {human_size(max_bytes)} limit")]
    if not data.strip():
        return [IngestProblem(url, "empty response")]
    return _to_records(url, final_url, headers, data)


def _read_bounded(response, max_bytes: int) -> bytes | None:
    """Read at most max_bytes; None when the body is larger (read stops right there)."""
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        return None
    chunks, total = [], 0
    while chunk := response.read(CHUNK):
        total += len(chunk)
        if total > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


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
