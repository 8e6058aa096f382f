"""HTML pages: main text and comments via trafilatura, metadata from the page's own tags.

Metadata is read from explicit tags first (og:title, meta author, article:published_time,
og:site_name) because they are what the publisher declares; trafilatura's guesses fill the
gaps. If trafilatura finds no main text (or is unavailable), a plain lxml pass over
<article>, <main> or <body> without navigation, headers, footers and forms takes over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from types import ModuleType

from lxml import html as lxml_html

from rashomon.ingest.sniff import parse_html

_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "td",
           "section", "article", "br", "tr", "dd", "dt", "figcaption")
_CHROME = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
           "form", "button", "iframe", "svg", "select")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—·»:-]\s+")


@dataclass
class HtmlExtract:
    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None  # as found; normalised by the caller
    site_name: str | None = None
    comments: str | None = None  # the comment section as plain text, when trafilatura found one
    notes: list[str] = field(default_factory=list)


def extract_html(markup: str, url: str | None = None) -> HtmlExtract:
    """Main text, comment text and metadata of an HTML page."""
    root = parse_html(markup)
    meta = _meta_tags(root) if root is not None else {}
    site = meta.get("og:site_name") or meta.get("application-name")
    result = HtmlExtract(text="", site_name=site)
    found = _trafilatura_extract(markup, url)
    if found is not None:
        result.text = _paragraphs(found.text or "")
        result.comments = _paragraphs(found.comments or "") or None
        result.site_name = result.site_name or found.sitename
    if not result.text.strip() and root is not None:
        result.text = _lxml_text(root)
        result.notes.append("main text by lxml fallback")
    h1 = root.xpath("string(//h1)").strip() if root is not None else ""
    page_title = root.findtext(".//title") if root is not None else None
    title = meta.get("og:title") or meta.get("twitter:title") or page_title or h1
    if found is not None:
        title = title or found.title
    result.title = strip_site_suffix(title, result.site_name) if title else None
    author = meta.get("author") or meta.get("article:author") or meta.get("byl")
    if author and author.startswith("http"):
        author = None  # article:author is often a profile URL, not a name
    result.author = re.sub(r"^by\s+", "", author, flags=re.IGNORECASE) if author else (
        found.author if found is not None else None)
    result.published = (meta.get("article:published_time") or meta.get("og:published_time")
                        or meta.get("date") or meta.get("pubdate") or meta.get("dc.date")
                        or meta.get("datepublished") or _time_tag(root)
                        or (found.date if found is not None else None))
    return result


def strip_site_suffix(title: str, site_name: str | None) -> str:
    """Drop a " | Site" / " - Site" suffix (or prefix) naming the site from a page title."""
    title = " ".join(title.split())
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site = (site_name or "").casefold()
    if site and parts[-1].casefold() == site:
        return title[:title.rfind(parts[-1])].rstrip(" |–—·»:-")
    if site and parts[0].casefold() == site:
        return title[len(parts[0]):].lstrip(" |–—·»:-")
    if " | " in title:  # "Headline | Section | Site": the headline is the longest part
        return max(title.split(" | "), key=len)
    return title


@lru_cache(maxsize=1)
def _trafilatura() -> ModuleType | None:
    try:
        import trafilatura
    except ImportError:  # trafilatura 2.3 needs lxml_html_clean, which some installs lack
        return None
    return trafilatura


def _trafilatura_extract(markup: str, url: str | None):
    module = _trafilatura()
    if module is None:
        return None
    # No extensive date search: a date guessed from the page body may be a date in the story.
    return module.bare_extraction(markup, url=url, include_comments=True, with_metadata=True,
                                  date_extraction_params={"extensive_search": False,
                                                          "original_date": True})


def _paragraphs(text: str) -> str:
    """trafilatura puts one paragraph per line; the rest of Rashomon wants blank lines."""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


def _meta_tags(root: lxml_html.HtmlElement) -> dict[str, str]:
    tags: dict[str, str] = {}
    for node in root.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        value = (node.get("content") or "").strip()
        if key and value:
            tags.setdefault(key, value)
    return tags


def _time_tag(root: lxml_html.HtmlElement | None) -> str | None:
    if root is None:
        return None
    stamps = root.xpath("//article//time/@datetime|//time[@pubdate]/@datetime")
    return str(stamps[0]) if stamps else None


def _lxml_text(root: lxml_html.HtmlElement) -> str:
    for node in list(root.iter(*_CHROME)):
        if node.getparent() is not None:
            node.drop_tree()
    container = next(iter(root.xpath("//article|//main") or root.xpath("//body") or [root]))
    for node in container.iter(*_BLOCKS):
        node.tail = "\n\n" + (node.tail or "")
        if node.tag == "br":
            continue
        node.text = "\n\n" + (node.text or "")
    text = container.text_content()
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())
