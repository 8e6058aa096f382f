"""Structured record files: JSON Lines, JSON and CSV, one article per record.

JSON Lines and CSV are streamed, so a record file may be far larger than the per-file
limit; each record is held to the limit instead. A malformed record is reported with its
line number and the rest of the file is still read.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from rashomon.ingest.decode import NotText, decode, decode_line
from rashomon.ingest.names import label
from rashomon.types import IngestProblem, RawRecord

# Fields a record may carry; anything else goes to RawRecord.metadata.
KNOWN_FIELDS = ("id", "text", "html", "title", "author", "outlet", "url", "published")
# Other names crawlers and exporters commonly use for the same fields.
FIELD_ALIASES = {"body": "text", "content": "text", "date": "published", "link": "url",
                 "site": "outlet", "source_name": "outlet"}

# csv refuses fields over 128 KB by default; an article body can be larger.
csv.field_size_limit(2**31 - 1)


class JSONProblem(ValueError):
    """JSON that cannot be read, with the line it went wrong on when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def parse_json(text: str) -> Any:
    """json.loads, with every way it fails (syntax, numbers too long to convert, nesting too
    deep for the parser) raised as JSONProblem."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise JSONProblem(f"malformed JSON ({err.msg})", err.lineno) from None
    except RecursionError:
        raise JSONProblem("JSON nested too deeply to read") from None
    except ValueError as err:  # an integer of more than sys.get_int_max_str_digits() digits
        digits = re.search(r"value has (\d+) digits", str(err))
        size = f" ({digits.group(1)} digits)" if digits else ""
        raise JSONProblem(f"JSON number too long to read{size}") from None


def make_record(fields: Mapping[str, Any], *, default_id: str, source: str,
                fmt: str) -> RawRecord | str:
    """Build a RawRecord from a mapping of fields, or say in a phrase what is wrong with it."""
    known: dict[str, str] = {}
    metadata: dict[str, Any] = {}
    for key, value in fields.items():
        name = FIELD_ALIASES.get(str(key).lower(), str(key).lower())
        if name in KNOWN_FIELDS and name not in known:
            if value is not None and str(value).strip():
                known[name] = str(value)
        else:
            metadata[str(key)] = value
    if "text" not in known and "html" not in known:
        return "record has no 'text' or 'html' field"
    return RawRecord(id=known.pop("id", default_id), source=source, format=fmt,
                     metadata=metadata, **known)


def read_jsonl(path: Path, max_bytes: int) -> Iterator[RawRecord | IngestProblem]:
    """Each non-empty line one JSON object."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{label(path)}:{number}"
            if not raw.strip():
                continue
            if len(raw) > max_bytes:
                yield IngestProblem(where, f"record of {human_size(len(raw))} exceeds the "
                                           f"{human_size(max_bytes)} limit")
                continue
            line, _ = decode_line(raw)
            try:
                value = parse_json(line)
            except JSONProblem as err:
                yield IngestProblem(where, str(err))
                continue
            if not isinstance(value, dict):
                yield IngestProblem(where, f"expected a JSON object, got {type(value).__name__}")
                continue
            yield _record_or_problem(value, path, number, where, "jsonl")


def read_json(path: Path, data: bytes) -> Iterator[RawRecord | IngestProblem]:
    """One JSON object, or an array of objects (numbered by position, from 1)."""
    try:
        value = parse_json(decode(data).text)
    except NotText as err:
        yield IngestProblem(label(path), str(err))
        return
    except JSONProblem as err:
        yield IngestProblem(label(path) + (f":{err.line}" if err.line else ""), str(err))
        return
    if isinstance(value, dict):
        record = make_record(value, default_id=label(path.stem), source=label(path),
                             fmt="json")
        yield record if isinstance(record, RawRecord) else IngestProblem(label(path), record)
        return
    if not isinstance(value, list):
        yield IngestProblem(label(path), "JSON is neither an object nor an array of objects")
        return
    for number, item in enumerate(value, start=1):
        where = f"{label(path)}:{number}"
        if not isinstance(item, dict):
            yield IngestProblem(where, f"array item is {type(item).__name__}, not an object")
            continue
        yield _record_or_problem(item, path, number, where, "json")


def read_csv(path: Path, max_bytes: int) -> Iterator[RawRecord | IngestProblem]:
    """A header row naming the fields, then one record per row (rows may span lines)."""
    with path.open("rb") as handle:
        lines = (decode_line(raw)[0] for raw in handle)
        reader = csv.DictReader(lines)
        start = 2  # the header is line 1
        try:
            for row in reader:
                number, start = start, reader.line_num + 1
                where = f"{label(path)}:{number}"
                size = sum(len(v) for v in row.values() if isinstance(v, str))
                if size > max_bytes:
                    yield IngestProblem(where, f"row of {human_size(size)} exceeds the "
                                               f"{human_size(max_bytes)} limit")
                    continue
                if None in row:  # more cells than header fields
                    yield IngestProblem(where, "row has more cells than the header")
                    continue
                yield _record_or_problem(row, path, number, where, "csv", kind="row")
        except csv.Error as err:
            yield IngestProblem(f"{label(path)}:{reader.line_num}", f"malformed CSV ({err})")


def human_size(size: int) -> str:
    """Bytes as a short human figure: '312 bytes', '12 KB', '210 MB'."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024**2:
        return f"{size // 1024} KB"
    return f"{size // 1024**2} MB"


def _record_or_problem(fields: Mapping[str, Any], path: Path, number: int, where: str,
                       fmt: str, kind: str = "record") -> RawRecord | IngestProblem:
    record = make_record(fields, default_id=f"{label(path.stem)}:{number}", source=where,
                         fmt=fmt)
    if isinstance(record, str):
        return IngestProblem(where, record.replace("record", kind, 1))
    return record
