"""The article's header and sign-off: headline, byline, dateline, author bio.

Headline, byline and dateline lines are taken out of the body (the title goes to
Document.title, the rest to author and published): they repeat or describe the article
rather than report anything, and names in them would be mistaken for actors in the story.
Inline datelines ("BAGHDAD, Jan 4 (Reuters) - ...") give the date but stay in the text,
because the place and the reporting agency belong to the first sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rashomon.clean.dates import DATE_EXPR, date_line, normalise_date
from rashomon.clean.normalise import line_key

# A headline has at most this many words (and 250 characters); the reference corpus
# headlines have 8-17, its shortest article paragraph has more than 30.
MAX_TITLE_WORDS = 30
# Header lines (byline, dateline) are looked for in this many lines under the headline:
# enough for "By X" / "date" / "updated date" / "X, Reuters" stacks.
HEADER_LINES = 5
# A sign-off bio is one short paragraph among the last two; longer ones are article prose.
MAX_SIGNOFF_WORDS = 60

_PARTICLES = r"(?:al|el|bin|ibn|bint|abu|de|del|della|der|di|da|du|la|le|van|von|dos|y)"
_NAME_TOKEN = rf"(?:[A-Z][\w'’.-]*|{_PARTICLES}(?:-[A-Z][\w'’.-]*)?)"
NAME = rf"[A-Z][\w'’.-]*(?:\s+{_NAME_TOKEN}){{0,4}}"
_NAME_RE = re.compile(rf"{NAME}")
_BYLINE = re.compile(
    r"^(?:(?:written|posted|reported|words|text|story|article)\s+)?by\s*[-–—:]?\s*"
    r"(?P<names>.+?)\s*[:.]?$", re.IGNORECASE)
_POSTED_ON_BY = re.compile(rf"^(?:posted|published)\s+on\s+(?P<date>{DATE_EXPR})\s+by\s+"
                           r"(?P<names>.+?)\.?$", re.IGNORECASE)
_NAME_COMMA_ORG = re.compile(rf"^(?P<names>{NAME}(?:\s*(?:,|and|&)\s*{NAME})*)\s*,\s*"
                             r"(?P<org>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})$")
_TRAILER = re.compile(r"\s+(?:in|for|at|from|with)\s+[A-Z].*$|\s*[|–—]\s.*$|\s*\(.*\)$")
_NOT_NAME_WORDS = {"staff", "correspondent", "writer", "reporter", "editor", "desk", "news",
                   "agency", "team", "contributor", "reuters", "ap", "afp", "bloomberg",
                   "associated", "press", "the"}
_INLINE_DATELINE = re.compile(
    rf"^[A-Z][A-Z .'’-]+(?:,\s*[A-Z][\w .'’-]+)?,\s*(?P<date>{DATE_EXPR}|[A-Z][a-z]{{2,8}}\.?\s+"
    r"\d{1,2})\s*\([^)]{2,40}\)\s*[-–—]")
_SIGNOFF = re.compile(
    rf"^(?P<name>{NAME}) is (?:an?|the|currently an?)\s+(?:[\w-]+\s+){{0,4}}?"
    r"(?:journalist|analyst|writer|author|editor|correspondent|reporter|columnist|fellow|"
    r"professor|researcher|contributor|commentator|scholar|lecturer|expert|director|"
    r"blogger|economist|historian|photographer|filmmaker|activist|freelancer)\b")


@dataclass
class Header:
    """What the header lines said, and the body without them."""

    body: str
    title: str | None = None
    author: str | None = None
    published: str | None = None


def split_header(text: str, known_title: str | None = None) -> Header:
    """Take the headline, bylines and datelines off the top of a normalised text."""
    lines = text.split("\n")
    header = Header(body=text)
    i = _next_nonblank(lines, 0)
    if i < len(lines) and _is_headline(lines, i, known_title):
        header.title = lines[i].strip()
        i = _next_nonblank(lines, i + 1)
    for _ in range(HEADER_LINES):
        if i >= len(lines) or not _take_header_line(lines[i].strip(), header):
            break
        i = _next_nonblank(lines, i + 1)
    header.body = "\n".join(lines[i:]).strip()
    if header.published is None:
        inline = _INLINE_DATELINE.match(header.body)
        header.published = normalise_date(inline.group("date")) if inline else None
    return header


def split_signoff(text: str) -> tuple[str, str | None]:
    """Remove a closing author bio ("X is a journalist based in ..."); return its name."""
    paragraphs = text.split("\n\n")
    for k in range(len(paragraphs) - 1, max(len(paragraphs) - 3, 0), -1):
        paragraph = paragraphs[k].strip()
        match = _SIGNOFF.match(paragraph)
        if match and len(paragraph.split()) <= MAX_SIGNOFF_WORDS:
            rest = paragraphs[:k] + paragraphs[k + 1:]
            return "\n\n".join(rest).strip(), match.group("name")
    return text, None


def byline_names(line: str) -> str | None:
    """The author names in a byline line ("By X and Y", "Written by - X:"), else None."""
    match = _BYLINE.match(line)
    if match:
        return _clean_names(match.group("names"))
    match = _NAME_COMMA_ORG.match(line)
    if match and not _is_name(match.group("org")):
        return _clean_names(match.group("names"))
    return None


def _take_header_line(line: str, header: Header) -> bool:
    """Record a byline or dateline; False when the line is neither (the body has begun)."""
    combined = _POSTED_ON_BY.match(line)
    if combined:
        header.published = header.published or normalise_date(combined.group("date"))
        header.author = header.author or _clean_names(combined.group("names"))
        return True
    date = date_line(line)
    if date:
        header.published = header.published or date
        return True
    names = byline_names(line)
    if names:
        header.author = header.author or names
        return True
    return False


def _is_headline(lines: list[str], i: int, known_title: str | None) -> bool:
    line = lines[i].strip()
    if known_title and _same_title(line, known_title):
        return True
    following = lines[i + 1].strip() if i + 1 < len(lines) else ""
    if following and (byline_names(following) or date_line(following)):
        # directly above its byline or dateline: a headline, even one ending in a period
        return len(line.split()) <= MAX_TITLE_WORDS and byline_names(line) is None
    return (not following and not line.endswith(".") and len(line) <= 250
            and len(line.split()) <= MAX_TITLE_WORDS and date_line(line) is None
            and byline_names(line) is None)


def _same_title(line: str, title: str) -> bool:
    a, b = line_key(line), line_key(title)
    return bool(a) and (a == b or (len(a) > 20 and (a in b or b in a)))


def _clean_names(names: str) -> str | None:
    """Trim a byline's names of places, outlets and roles; None when no name is left."""
    names = _TRAILER.sub("", names.strip(" -–—:,")).strip(" ,")
    parts = re.split(r"\s*,\s*", names)
    kept = [parts[0]] + [p for p in parts[1:] if _all_names(p)]
    cleaned = ", ".join(kept)
    return cleaned if cleaned and _all_names(cleaned) else None


def _all_names(text: str) -> bool:
    """True for one or more names joined by commas, "and" or "&"."""
    people = [p for p in re.split(r"\s*(?:,|\band\b|&)\s*", text) if p]
    return bool(people) and all(_is_name(p) for p in people)


def _is_name(text: str) -> bool:
    words = text.split()
    return (0 < len(words) <= 5 and bool(_NAME_RE.fullmatch(text))
            and not {w.casefold().strip(".") for w in words} & _NOT_NAME_WORDS)


def _next_nonblank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i
