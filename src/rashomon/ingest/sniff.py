"""Cheap content checks: does this look like HTML, and does the HTML have any body text."""

from __future__ import annotations

import re

from lxml import etree, html

_HTML_START = re.compile(
    r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL)
_INVISIBLE = ("script", "style", "noscript", "template", "head")
# Text nodes outside those elements. Read, not cut out of the tree: dropping an element
# joins its tail to its parent's text, which lxml refuses when the page holds a control
# character (a whole run used to stop there).
_VISIBLE_TEXT = etree.XPath("//text()[not(" + " or ".join(f"ancestor::{tag}" for tag in _INVISIBLE)
                            + ")]")

# Control characters (tab, newline and return aside) and U+FFFE, U+FFFF: lxml parses them
# into text nodes but refuses any later edit of those nodes (setting a node's text, or
# dropping an element, which joins its tail to its parent's text), which made the cleaning
# of such a page fail. In HTML they are parse errors that browsers show as nothing; a
# space keeps the words on either side apart.
_NOT_XML = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def looks_like_html(text: str) -> bool:
    """True when the text starts like an HTML document."""
    return bool(_HTML_START.match(text[:4096]))


def html_has_body_text(markup: str) -> bool:
    """True when the HTML has visible text outside scripts, styles and the head."""
    root = parse_html(markup)
    if root is None:
        return False
    return any(str(text).strip() for text in _VISIBLE_TEXT(root))


def parse_html(markup: str) -> html.HtmlElement | None:
    """Parse HTML leniently; None when there is nothing to parse. Characters XML 1.0
    forbids become spaces (see ``_NOT_XML``)."""
    # Bytes, because lxml refuses str input that carries an XML encoding declaration.
    parser = html.HTMLParser(encoding="utf-8")
    markup = _NOT_XML.sub(" ", markup)
    try:
        return html.document_fromstring(markup.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None
