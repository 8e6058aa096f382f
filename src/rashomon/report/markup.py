"""Safe building blocks for the report's HTML: escaping, anchors, links, embedded JSON.

Every string that comes from data (article text, names, ids, outlets) passes
through ``esc`` or ``anchor`` before it reaches the page, so nothing an article
contains is ever parsed as markup or executed.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any


def esc(value: Any) -> str:
    """HTML-escape any value for text or a quoted attribute (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def anchor(kind: str, ident: str) -> str:
    """A fragment id safe in ``id`` and ``href="#..."``: ``kind-`` plus the id with
    every character outside [A-Za-z0-9_.-] written as ``_hex_``, so distinct ids
    stay distinct."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", lambda m: f"_{ord(m.group()):x}_", ident)
    return f"{kind}-{safe}"


def link(kind: str, ident: str, text: str | None = None) -> str:
    """An in-page link to the element ``anchor(kind, ident)``."""
    return f'<a href="#{anchor(kind, ident)}">{esc(ident if text is None else text)}</a>'


def links(kind: str, idents: list[str]) -> str:
    """Links to several elements of one kind, comma separated."""
    return ", ".join(link(kind, i) for i in idents)


def script_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` are written as
    unicode escapes, so no "</script>" or "<!--" in the data can end or change it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
