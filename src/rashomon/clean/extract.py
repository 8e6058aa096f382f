"""A record's text before cleaning: its text field, or the main text of its HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rashomon.clean.html import extract_html
from rashomon.types import RawRecord


@dataclass
class Extracted:
    """Plain text of a record, with what its markup said about it (HTML only)."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    outlet: str | None = None
    comments: str | None = None
    notes: list[str] = field(default_factory=list)


def extract(raw: RawRecord) -> Extracted:
    """Plain text of a record; for HTML the page's main text, comments and metadata too."""
    if raw.text is not None and raw.html is None:
        return Extracted(text=raw.text)
    if raw.html is None:
        return Extracted(text="")
    page = extract_html(raw.html, raw.url)
    text = page.text or raw.text or ""
    return Extracted(text=text, title=page.title, author=page.author,
                     published=page.published, outlet=page.site_name,
                     comments=page.comments, notes=page.notes)


def host_of(url: str | None) -> str | None:
    """The host of a URL without a leading "www."; None without a URL."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
