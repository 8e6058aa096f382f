"""Values made safe for the files exports write.

* ``safe_cell``: a CSV/TSV cell that a spreadsheet would evaluate (it starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return; the OWASP "CSV injection" rule) gets a
  leading ``'``, which spreadsheets show as text and never run; a plain number ("-10.0")
  is left as it is, since spreadsheets read it as the number;
* ``xml_text``: characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE and
  U+FFFF) removed, so that every XML export parses;
* ``finite``: NaN and infinities, which JSON cannot hold, as null.
"""

from __future__ import annotations

import math
import re
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet shows as text: formula-like strings get a leading '."""
    if (isinstance(value, str) and value.startswith(_FORMULA_START)
            and not _NUMBER.fullmatch(value)):
        return "'" + value
    return value


def xml_text(value: str) -> str:
    """The string without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", value)


def finite(value: Any) -> Any:
    """The value with every NaN or infinite float inside it (dicts, lists) as None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value
