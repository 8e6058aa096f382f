"""Bytes to text: binary detection, UTF-8 first, charset detection as the fallback.

Text that mixes encodings (a UTF-8 file with a few Windows-1252 lines pasted in) is
decoded line by line so that one bad line never costs the whole article.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

# Share of control bytes (other than tab, newline, carriage return, form feed, escape) in the
# first SNIFF_BYTES above which a file is binary. Calibrated on text files in UTF-8, UTF-16
# (after BOM handling) and Windows-1252, which have none, against PDFs, images and archives,
# which have 10-30%.
BINARY_CONTROL_RATIO = 0.05
SNIFF_BYTES = 65536
# Fallback for single lines that are not UTF-8 when detection has nothing better: the
# encoding of most legacy Western news text, and it maps every byte, so it never fails.
LEGACY_FALLBACK = "cp1252"

_CONTROL = set(range(0, 32)) - {9, 10, 12, 13, 27} | {127}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


class NotText(ValueError):
    """The bytes are not text (binary data)."""


@dataclass
class Decoded:
    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def is_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control bytes (and no UTF-16/32 byte-order mark)."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    sample = data[:SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls / len(sample) > BINARY_CONTROL_RATIO


def html_declared_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in a <meta> tag near its start, if valid."""
    match = _META_CHARSET.search(data[:4096])
    return _valid_codec(match.group(1).decode("ascii")) if match else None


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode bytes: byte-order mark, declared charset, UTF-8, detection, then per line.

    Raises NotText for binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(encoding, errors="replace"), encoding)
    if is_binary(data):
        raise NotText("binary file, not text")
    declared = _valid_codec(declared) if declared else None
    if declared:
        try:
            return Decoded(data.decode(declared), declared)
        except UnicodeDecodeError:
            pass  # the declaration lies; fall through to detection
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    lines = data.splitlines(keepends=True)
    utf8_lines = [line for line in lines if _is_utf8(line) and not line.isascii()]
    if utf8_lines:
        return _decode_mixed(lines)
    encoding = detect_encoding(data)
    return Decoded(data.decode(encoding, errors="replace"), encoding,
                   [f"not UTF-8; decoded as {encoding}"])


def decode_line(line: bytes, fallback: str = LEGACY_FALLBACK) -> tuple[str, bool]:
    """Decode one line as UTF-8, else with the fallback; says whether the fallback was used."""
    try:
        return line.decode("utf-8"), False
    except UnicodeDecodeError:
        return line.decode(fallback, errors="replace"), True


def detect_encoding(data: bytes) -> str:
    """charset-normalizer's best guess, preferring Windows-1252 among equally good ones.

    Short Western text fits cp1250, cp1252 and cp1257 equally well; cp1252 is by far the
    likeliest for news text, and the sibling code pages turn "à" into "ŕ".
    """
    matches = [m for m in from_bytes(data) if m.encoding != "utf_8"]
    if not matches:
        return LEGACY_FALLBACK
    best = matches[0]
    tied = {m.encoding for m in matches
            if m.chaos == best.chaos and m.coherence == best.coherence}
    return LEGACY_FALLBACK if LEGACY_FALLBACK in tied else best.encoding


def _decode_mixed(lines: list[bytes]) -> Decoded:
    fallback = detect_encoding(b"".join(line for line in lines if not _is_utf8(line)))
    parts, fell_back = [], 0
    for line in lines:
        text, used = decode_line(line, fallback)
        parts.append(text)
        fell_back += used
    note = f"mixed encodings: {fell_back} of {len(lines)} lines decoded as {fallback}, rest UTF-8"
    return Decoded("".join(parts), "mixed", [note])


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _valid_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
