"""Names safe to print and store: file names that are not UTF-8 or hold control characters.

A file name may be any bytes but NUL and "/". Python hands undecodable bytes over as lone
surrogates, which no encoder accepts, and a newline or an escape sequence in a name would
forge output lines or drive the terminal. Every name that leaves ingest goes through
``label``; the CLI passes every message through ``printable`` as well.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# C0 and C1 controls, DEL, lone surrogates, and the bidirectional overrides and isolates that
# reorder what a terminal shows.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(match.group()) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str) -> str:
    """Text with control, surrogate and bidi-override characters shown as escapes."""
    return _UNPRINTABLE.sub(_escape, text)


def label(path: str | Path) -> str:
    """A path as a printable, encodable string (the source recorded for what it holds)."""
    return printable(os.fsdecode(path) if isinstance(path, bytes) else str(path))


def repair_surrogates(text: str) -> tuple[str, int]:
    """Lone surrogates (from "\\ud800" escapes in JSON) replaced by U+FFFD, and how many."""
    return _SURROGATE.subn("\ufffd", text)
