"""The article's header and sign-off: headline, byline, dateline, author bio.

Headline, byline and dateline lines are taken out of the body (the title goes to
Document.title, the rest to author and published): they repeat or describe the article
rather than report anything, and names in them would be mistaken for actors in the story.
Inline datelines ("BAGHDAD, Jan 4 (Reuters) - ...") give the date but stay in the text,
because the place and the reporting agency belong to the first sentence.

Scraped pages put more above the article: the site's name and tagline, menus, photo
captions and credits, a section label. The header zone is every line above the first
paragraph of prose; in it the headline is the metadata title where the text repeats it,
else the first line shaped like a headline (not a menu or credit line, a date, a byline, a
bare name or the site's own name). Zone lines above the headline are page chrome and go;
a bare name right under the headline is its author.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
# The header zone ends at the first paragraph of prose: a line of at least this many words
# ending like a sentence, or any line of PROSE_WORDS words. Headlines, decks, captions and
# menus above an article are shorter or do not end with a full stop.
MIN_PARAGRAPH_WORDS = 8
PROSE_WORDS = 30
# A first line ending in "?" or "!" shorter than this is a headline, not a paragraph.
QUESTION_TITLE_WORDS = 20
# ...looked for among this many non-blank lines; past them the page has no recognisable
# header zone and only the top lines are looked at.
MAX_ZONE_LINES = 12

_PARTICLES = r"(?:al|el|bin|ibn|bint|abu|de|del|della|der|di|da|du|la|le|van|von|dos|y)"
_NAME_TOKEN = rf"(?:[A-Z][\w'’.-]*|{_PARTICLES}(?:-[A-Z][\w'’.-]*)?)"
NAME = rf"[A-Z][\w'’.-]*(?:\s+{_NAME_TOKEN}){{0,4}}"
_NAME_RE = re.compile(rf"{NAME}")
_BYLINE = re.compile(
    r"^(?:(?:written|posted|reported|words|text|story|article)\s+)?by\s*[-–—:]?\s*"
    r"(?P<names>.+?)\s*[:.]?$", re.IGNORECASE)
_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?"
_POSTED_ON_BY = re.compile(rf"^(?:posted|published)(?:\s+at\s+{_CLOCK})?\s+on\s+"
                           rf"(?P<date>{DATE_EXPR})\s+by\s+(?P<names>.+?)\.?$", re.IGNORECASE)
_BY_THEN_DATE = re.compile(rf"^by\s*:?\s*(?P<names>.+?)\s+[-|–—,]\s*(?P<date>{DATE_EXPR})\.?$",
                           re.IGNORECASE)
_EXCLAIMS = re.compile(r"[?!][\"”’)]?$")
_SITE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")
# "By Staff Writer", "By: Our correspondent": a byline without a person's name
_BYLINE_NO_NAME = re.compile(r"^(?:by|By|BY)\s*:?\s+[A-Z]")
BYLINE_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]?$")
_NAME_COMMA_ORG = re.compile(rf"^(?P<names>{NAME}(?:\s*(?:,|and|&)\s*{NAME})*)\s*,\s*"
                             r"(?P<org>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})$")
_TRAILER = re.compile(r"\s+(?:in|for|at|from|with)\s+[A-Z].*$|\s*[|–—]\s.*$|\s+-\s.*$"
                      r"|\s*\(.*\)$")
_NOT_NAME_WORDS = {"staff", "correspondent", "writer", "reporter", "editor", "desk", "news",
                   "agency", "team", "contributor", "reuters", "ap", "afp", "bloomberg",
                   "associated", "press", "the"}
_INLINE_DATELINE = re.compile(
    rf"^[A-Z][A-Z .'’-]+(?:,\s*[A-Z][\w .'’-]+)?,\s*(?P<date>{DATE_EXPR}|[A-Z][a-z]{{2,8}}\.?\s+"
    r"\d{1,2})\s*\([^)]{2,40}\)\s*[-–—]")
#: A dateline opening a paragraph: "BAGHDAD (Reuters) -", "TEHRAN, Jun. 13 (MNA) -",
#: "WASHINGTON -": a place in capitals, then an optional date and agency, then a dash.
DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z]{2}[A-Z'’.]*(?:[ -][A-Z][A-Z'’.]+){0,3})"
    r"(?:,\s*[^\n()–—-]{1,30})?(?:\s*\([^)\n]{2,40}\))?\s*(?:--|[-–—])\s")
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


def split_header(text: str, known_title: str | None = None,
                 is_chrome: Callable[[str], bool] | None = None,
                 outlet: str | None = None) -> Header:
    """Take the headline, bylines, datelines and page chrome off the top of a normalised text.

    ``is_chrome`` says whether a line is known boilerplate (menus, credits); ``outlet`` is
    the site's name, whose own line above the headline is branding, not a headline.
    """
    lines = text.split("\n")
    is_chrome = is_chrome or (lambda line: False)
    zone = _header_zone(lines, is_chrome)
    header = Header(body=text)
    if zone:
        dropped = _zone_header(lines, zone, header, known_title, is_chrome, outlet)
        body = [line for i, line in enumerate(lines) if i not in dropped]
    else:
        body = lines[_top_header(lines, header, known_title):]
    header.body = "\n".join(body).strip()
    if not header.body and header.title:
        # a text that is one headline-like line (no final period: a title, a quoted
        # sentence, a feed item) is still the text to analyse, not an empty article
        header.body = header.title
    if header.published is None:
        inline = _INLINE_DATELINE.match(header.body)
        header.published = normalise_date(inline.group("date")) if inline else None
    return header


def _top_header(lines: list[str], header: Header, known_title: str | None) -> int:
    """Headline, bylines and datelines at the very top; the index where the body starts."""
    i = _next_nonblank(lines, 0)
    if i < len(lines) and _is_headline(lines, i, known_title):
        header.title = lines[i].strip()
        i = _next_nonblank(lines, i + 1)
    for _ in range(HEADER_LINES):
        if i >= len(lines) or not _take_header_line(lines[i].strip(), header):
            break
        i = _next_nonblank(lines, i + 1)
    return i


def _header_zone(lines: list[str], is_chrome: Callable[[str], bool]) -> list[int]:
    """Indices of the non-blank lines above the first paragraph of prose; [] if none found."""
    zone: list[int] = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        words = len(line.split())
        # a question or exclamation on the first line is a headline ("Who won the summit?")
        first_headline = not zone and _EXCLAIMS.search(line) and words < QUESTION_TITLE_WORDS
        if ((words >= MIN_PARAGRAPH_WORDS and _SENTENCE_END.search(line)) or words >= PROSE_WORDS) \
                and not is_chrome(line) and not _header_line_kind(line) and not first_headline:
            return zone
        zone.append(i)
        if len(zone) >= MAX_ZONE_LINES:
            return []
    return []


def _zone_header(lines: list[str], zone: list[int], header: Header, known_title: str | None,
                 is_chrome: Callable[[str], bool], outlet: str | None) -> set[int]:
    """Read the header zone into header; the indices of its lines that leave the body."""
    texts = {i: lines[i].strip() for i in zone}
    title_at = next((i for i in zone if known_title and _same_title(texts[i], known_title)), None)
    if title_at is None:  # the text's own headline may differ from the metadata's
        title_at = _pick_headline(lines, zone, is_chrome, outlet)
    drop: set[int] = set()
    if title_at is not None:
        header.title = texts[title_at]
        # above the headline: site name, menus, captions; a sentence there is kept
        drop = {i for i in zone if i <= title_at and not _is_sentence(texts[i])} | {title_at}
    after = [i for i in zone if title_at is None or i > title_at]
    for k, i in enumerate(after):
        if _take_header_line(texts[i], header):
            drop.add(i)
        elif (header.author is None and title_at is not None and k <= 1 and _is_name(texts[i])
              and not is_chrome(texts[i])):
            header.author = texts[i]  # a bare name under the headline: its author
            drop.add(i)
        elif is_chrome(texts[i]):
            drop.add(i)
    return drop


def _pick_headline(lines: list[str], zone: list[int], is_chrome: Callable[[str], bool],
                   outlet: str | None) -> int | None:
    """The zone line that is the headline, by preference: 3+ words and not naming the site,
    then naming the site, then two words, then a bare name."""
    site = _outlet_core(outlet)
    ranked: list[tuple[int, int]] = []
    for n, i in enumerate(zone):
        line = lines[i].strip()
        nxt = lines[zone[n + 1]].strip() if n + 1 < len(zone) else ""
        above_byline = bool(nxt) and _header_line_kind(nxt) is not None
        if (is_chrome(line) or _header_line_kind(line) or len(line) > 250
                or len(line.split()) > MAX_TITLE_WORDS or line.endswith(":")
                or (_is_sentence(line) and not above_byline
                    and not (n == 0 and _EXCLAIMS.search(line)))):
            continue
        words = len(line.split())
        names_site = bool(site) and site in line.casefold()
        if names_site and line_key(line) == site:
            continue
        rank = (3 if _is_name(line) else 2 if words < 3 else 1 if names_site else 0)
        ranked.append((rank, i))
    return min(ranked)[1] if ranked else None


def _outlet_core(outlet: str | None) -> str:
    """An outlet's own name: "Kurdistan 24 (via X)" -> "kurdistan 24"."""
    if not outlet:
        return ""
    return line_key(re.sub(r"\s*\(.*?\)\s*", " ", outlet))


def _is_sentence(line: str) -> bool:
    return len(line.split()) >= 4 and bool(_SENTENCE_END.search(line))


def is_header_line(line: str) -> bool:
    """A dateline or byline ("By X", "posted on DATE by X", "April 2, 2020")."""
    return _header_line_kind(line.strip()) is not None


def _header_line_kind(line: str) -> str | None:
    """"date" or "byline" for a dateline or byline, else None."""
    if (_POSTED_ON_BY.match(line) or _BY_THEN_DATE.match(line) or byline_names(line)
            or (_BYLINE_NO_NAME.match(line) and len(line.split()) <= BYLINE_WORDS)):
        return "byline"
    return "date" if date_line(line) else None


def clean_title(title: str | None, prefixes: tuple[str, ...] = (), outlet: str | None = None,
                host: str | None = None) -> str | None:
    """A title without a label prefix ("Analysis: ") or the site's name as a suffix."""
    if not title:
        return None
    title = " ".join(title.split())
    lowered = title.casefold()
    for prefix in sorted(prefixes, key=len, reverse=True):
        match = re.match(rf"{re.escape(prefix)}\s*[:|–—-]\s*(?=\S)", lowered)
        if match and len(title) - match.end() > 10:
            title = title[match.end():]
            break
    names = {n for n in (_outlet_core(outlet), line_key(host or "")) if n}
    if host:
        names.add(line_key(host.rsplit(".", 1)[0]))  # "rt.com" -> "rt"
    parts = _SITE_SEPARATOR.split(title)
    if len(parts) > 1 and _is_site(parts[-1], names):
        title = title[:title.rfind(parts[-1])].rstrip(" |–—-·:")
    return title or None


def _is_site(part: str, names: set[str]) -> bool:
    key = line_key(part)
    return bool(key) and any(key == n or (len(key) > 3 and (key in n or n in key)) for n in names)


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
    combined = _POSTED_ON_BY.match(line) or _BY_THEN_DATE.match(line)
    if combined:
        header.published = header.published or normalise_date(combined.group("date"))
        names = combined.group("names").strip()
        # "posted ... by harbourwatch": a blog handle is an author too
        handle = names if _POSTED_ON_BY.match(line) and re.fullmatch(r"@?\w+", names) else None
        header.author = header.author or _clean_names(names) or handle
        return True
    date = date_line(line)
    if date:
        header.published = header.published or date
        return True
    names = byline_names(line)
    if names:
        header.author = header.author or names
        return True
    return bool(_BYLINE_NO_NAME.match(line)) and len(line.split()) <= BYLINE_WORDS


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


def dateline_places(text: str) -> list[tuple[int, int]]:
    """Character spans of the places of inline datelines ("BAGHDAD" of "BAGHDAD (Reuters) -
    ..."): where the report was filed, neither an actor nor where its events happened."""
    return [m.span("place") for m in DATELINE.finditer(text)]
