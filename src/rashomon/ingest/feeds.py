"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: each item becomes a record.

The item's full content (content:encoded, Atom content) is preferred over its summary; it
is passed on as HTML for the clean stage. The feed's own title names the outlet.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from rashomon.ingest.records import make_record
from rashomon.types import IngestProblem, RawRecord

_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "rss1": "http://purl.org/rss/1.0/",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                          recover=True)


def feed_root(data: bytes) -> etree._Element | None:
    """The root element when the bytes are an RSS or Atom feed, else None."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    return root if etree.QName(root).localname in ("rss", "feed", "RDF") else None


def read_feed(root: etree._Element, stem: str, source: str) -> Iterator[RawRecord | IngestProblem]:
    """One record per item/entry; ids are the stem plus the item's line in the feed."""
    atom = etree.QName(root).localname == "feed"
    outlet = _text(root, "atom:title" if atom else ".//channel/title|rss1:channel/rss1:title")
    items = root.findall("atom:entry", _NS) if atom else root.xpath(
        ".//item|.//rss1:item", namespaces=_NS)
    if not items:
        yield IngestProblem(source, "feed has no items")
        return
    for item in items:
        line = item.sourceline or 0
        fields = _atom_fields(item) if atom else _rss_fields(item)
        fields = {k: v for k, v in fields.items() if v}
        if outlet:
            fields.setdefault("outlet", outlet)
        where = f"{source}:{line}"
        record = make_record(fields, default_id=f"{stem}:{line}", source=where, fmt="feed")
        yield record if isinstance(record, RawRecord) else IngestProblem(
            where, "feed item has no description or content")


def _rss_fields(item: etree._Element) -> dict[str, str | None]:
    return {
        "id": None,  # guids are often URLs; the file-and-line id is stabler and readable
        "title": _text(item, "title|rss1:title"),
        "url": _text(item, "link|rss1:link"),
        "html": _text(item, "content:encoded") or _text(item, "description|rss1:description"),
        "published": _text(item, "pubDate|dc:date"),
        "author": _text(item, "dc:creator|author"),
    }


def _atom_fields(item: etree._Element) -> dict[str, str | None]:
    links = item.findall("atom:link", _NS)
    alternate = [ln.get("href") for ln in links if ln.get("rel", "alternate") == "alternate"]
    return {
        "title": _text(item, "atom:title"),
        "url": alternate[0] if alternate else None,
        "html": _text(item, "atom:content") or _text(item, "atom:summary"),
        "published": _text(item, "atom:published") or _text(item, "atom:updated"),
        "author": _text(item, "atom:author/atom:name"),
    }


def _text(node: etree._Element, path: str) -> str | None:
    found = node.xpath(path, namespaces=_NS)
    if not found:
        return None
    value = "".join(found[0].itertext()).strip()
    return value or None
