"""Reading one input file: pick the reader by extension (or by content), attach sidecars."""

from __future__ import annotations

import errno
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rashomon.ingest.decode import NotText, decode, html_declared_charset
from rashomon.ingest.feeds import feed_root, read_feed
from rashomon.ingest.fetch import is_url
from rashomon.ingest.names import label
from rashomon.ingest.records import (
    KNOWN_FIELDS,
    JSONProblem,
    human_size,
    parse_json,
    read_csv,
    read_json,
    read_jsonl,
)
from rashomon.ingest.sniff import html_has_body_text, looks_like_html
from rashomon.types import IngestProblem, RawRecord

SIDECAR_SUFFIX = ".meta.json"
TEXT_FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
STREAMED_SUFFIXES = (".jsonl", ".ndjson", ".csv")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
URL_LIST_SUFFIX = ".urls"

Fetch = Callable[[str], list[RawRecord | IngestProblem]]


def read_file(path: Path, *, max_bytes: int, fetch: Fetch) -> Iterator[RawRecord | IngestProblem]:
    """Every record in one file, with problems reported in place of what could not be read."""
    source = label(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        yield IngestProblem(source, "no such file"
                            + (" (broken symbolic link)" if path.is_symlink() else ""))
        return
    except PermissionError:
        yield IngestProblem(source, "permission denied")
        return
    except OSError as err:  # a symlink loop, a name too long, an I/O error
        yield IngestProblem(source, f"cannot read ({_reason(err)})")
        return
    size = info.st_size
    if not stat.S_ISREG(info.st_mode):
        yield IngestProblem(source, "not a regular file")
        return
    if size == 0:
        yield IngestProblem(source, "empty file")
        return
    sidecar = _load_sidecar(path)
    if isinstance(sidecar, IngestProblem):
        yield sidecar
        sidecar = {}
    suffix = path.suffix.lower()
    try:
        if suffix in STREAMED_SUFFIXES:
            reader = read_csv if suffix == ".csv" else read_jsonl
            items: Iterator[RawRecord | IngestProblem] = reader(path, max_bytes)
        elif size > max_bytes:
            yield IngestProblem(source, f"{human_size(size)} exceeds the "
                                        f"{human_size(max_bytes)} limit")
            return
        else:
            items = _read_whole(path, path.read_bytes(), fetch)
        for item in items:
            if isinstance(item, RawRecord):
                _apply_sidecar(item, sidecar, single=item.source == source)
            yield item
    except PermissionError:
        yield IngestProblem(source, "permission denied")
    except OSError as err:
        yield IngestProblem(source, f"cannot read ({_reason(err)})")
    except Exception as err:  # a reader's own failure: one line for this file, not the run's end
        yield IngestProblem(source, f"reading failed ({type(err).__name__}: "
                                    f"{' '.join(str(err).split())[:160]})")


def _reason(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symbolic link loop"
    return err.strerror or str(err)


def is_sidecar(path: Path) -> bool:
    """True for NAME.meta.json files, which hold metadata for NAME rather than articles."""
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def _read_whole(path: Path, data: bytes, fetch: Fetch) -> Iterator[RawRecord | IngestProblem]:
    source, suffix = label(path), path.suffix.lower()
    if suffix == ".json":
        yield from read_json(path, data)
        return
    if suffix in FEED_SUFFIXES:
        root = feed_root(data)
        if root is not None:
            yield from read_feed(root, label(path.stem), source)
        else:
            yield IngestProblem(source, "not an RSS or Atom feed (unparsable or other XML)")
        return
    is_html = suffix in HTML_SUFFIXES
    try:
        decoded = decode(data, html_declared_charset(data) if is_html else None)
    except NotText as err:
        yield IngestProblem(source, str(err))
        return
    text = decoded.text
    if not text.strip():
        yield IngestProblem(source, "empty file")
        return
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if suffix == URL_LIST_SUFFIX or (suffix in TEXT_FORMATS and all(map(is_url, lines))):
        yield from _read_url_list(source, text, fetch)
        return
    metadata: dict[str, Any] = {"encoding_notes": decoded.notes} if decoded.notes else {}
    if is_html or (suffix not in TEXT_FORMATS and looks_like_html(text)):
        if not html_has_body_text(text):
            yield IngestProblem(source, "HTML with no body text")
            return
        yield RawRecord(id=label(path.stem), source=source, format="html", html=text,
                        metadata=metadata)
        return
    yield RawRecord(id=label(path.stem), source=source,
                    format=TEXT_FORMATS.get(suffix, "txt"), text=text, metadata=metadata)


def _read_url_list(source: str, text: str, fetch: Fetch) -> Iterator[RawRecord | IngestProblem]:
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if is_url(line):
            yield from fetch(line)
        else:
            yield IngestProblem(f"{source}:{number}", f"not a URL: {line[:60]}")


def _load_sidecar(path: Path) -> dict[str, Any] | IngestProblem:
    """Metadata from NAME.meta.json, where NAME is the file name with or without extension."""
    candidates = [path.with_name(path.name + SIDECAR_SUFFIX)]
    if path.suffix:
        candidates.append(path.with_name(path.stem + SIDECAR_SUFFIX))
    for candidate in candidates:
        try:
            if not candidate.is_file():
                continue
        except OSError:  # a name too long for the file system: no such sidecar can exist
            continue
        where = label(candidate)
        try:
            value = parse_json(candidate.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as err:
            return IngestProblem(where, f"unreadable sidecar ({err})")
        except JSONProblem as err:
            return IngestProblem(where + (f":{err.line}" if err.line else ""), str(err))
        if not isinstance(value, dict):
            return IngestProblem(where, "sidecar is not a JSON object")
        return value
    return {}


def _apply_sidecar(record: RawRecord, sidecar: dict[str, Any], *, single: bool) -> None:
    """Fill the record's missing fields from the sidecar; the record's own values win.

    The sidecar's id only renames single-article files: records of a multi-record file
    keep their own ids.
    """
    for key, value in sidecar.items():
        if key == "id":
            if single:
                record.id = str(value)
        elif key in KNOWN_FIELDS and key not in ("text", "html"):
            if getattr(record, key) is None and value is not None:
                setattr(record, key, str(value))
        else:
            record.metadata.setdefault(key, value)
