"""Reader comments scraped along with an article: split off into Document.comments.

Recognised layouts, each under a heading ("3 Comments", "Comments", "Leave a reply",
"12 thoughts on “Title”", "Responses"), or without one when at least two entries close
the text:

    Name says:                     Name on January 6, 2020 at 3:14 pm      Name | 6 Jan 2020
    January 6, 2020 at 3:14 pm     text ...                                text ...
    text ...
    Reply

    • Name                         Name wrote:                             Name • 3 years ago
    text ...                       text ...                                text ...

and, under a heading only, "Name: comment" on one line.

A name line directly followed by a date line or a relative time ("2 hours ago") also opens
an entry. "Reply", "Like" and comment-form lines are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rashomon.clean.dates import DATE_EXPR, date_line, is_date_line, normalise_date
from rashomon.types import Comment

# Commenter handles are free-form ("john_smith", "A reader", "Dr. K. Ali"): any short line
# without sentence punctuation, 1-6 words, at most this many characters.
MAX_NAME_CHARS = 50
# A headless comment section needs this many entries at the end of the text, so that one
# line of prose that looks like "Name | date" is never taken for a comment.
MIN_HEADLESS_ENTRIES = 2
# ...each of at most this many words (reader comments are rarely longer; an article section
# that only looks like an entry runs on).
MAX_HEADLESS_COMMENT_WORDS = 300

_HANDLE = rf"(?P<author>[^\s!?:|][^!?:|\n]{{0,{MAX_NAME_CHARS - 1}}}?)"
_HEADING = re.compile(
    r"^(?:(?:\d+|one|two|three|no)\s+)?(?:comments?|responses?|replies|reader comments|"
    r"discussion)\s*(?:\(\d+\))?\s*:?$"
    r"|^\d+\s+(?:thoughts?|responses?|comments?|replies)\s+(?:on|to)\s+.+$"
    r"|^(?:what )?(?:readers|our readers|you) (?:say|said|think)$|^your (?:comments|views)$"
    r"|^(?:leave|post|add|write)\s+an?\s+(?:reply|comment|response)\s*(?:to\s+.+)?$"
    r"|^join the (?:discussion|conversation)$", re.IGNORECASE)
# "3 hours ago", "a day ago", "yesterday": comment timestamps carry no absolute date.
RELATIVE_TIME = (r"(?:(?:\d+|an?|one)\s+(?:second|sec|minute|min|hour|hr|day|week|month|year)s?"
                 r"\s+ago|yesterday|just now|today)")
_RELATIVE_LINE = re.compile(rf"^{RELATIVE_TIME}\.?$", re.IGNORECASE)
_BULLET = r"[•◦▪▸►‣·*–-]"
_ENTRY_FORMS = (
    re.compile(rf"^{_HANDLE}\s+says:?\s*(?P<date>.*)$", re.IGNORECASE),
    re.compile(rf"^{_HANDLE}\s+(?:wrote|commented|replied|writes|comments):?\s*(?P<date>.*)$",
               re.IGNORECASE),
    re.compile(rf"^{_HANDLE}\s+on\s+(?P<date>{DATE_EXPR})(?:\s+said)?:?$", re.IGNORECASE),
    re.compile(rf"^{_HANDLE}\s*[|·•]\s*(?P<date>{DATE_EXPR}|{RELATIVE_TIME})\s*$",
               re.IGNORECASE),
    # a bullet with the reader's name alone on its line, the comment under it
    re.compile(rf"^{_BULLET}\s*{_HANDLE}(?P<date>)\s*$"),
)
# "Sam Rivers", "Nadia F.", "abu_ali77", "@reader": two or more capitalised words, or a
# handle with a digit, an underscore or an @.
_PERSON_OR_HANDLE = re.compile(r"^(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}"
                               r"|@?\w*[\d_@]\w*|@\w+)$")
_INLINE_ENTRY = re.compile(rf"^(?:{_BULLET}\s*)?(?P<author>[^\s:][^:\n]{{0,40}}):\s+"
                           r"(?P<text>\S.*)$")
_COMMENT_WORD = re.compile(r"comment|response|repl|thought|reader", re.IGNORECASE)
_NOISE = re.compile(r"^(?:reply|reply ↓|log in to reply|like|likes?|report|flag|"
                    r"\d+\s+likes?|permalink|edit)$", re.IGNORECASE)


def split_comments(text: str,
                   is_boilerplate: Callable[[str], bool]) -> tuple[str, list[Comment]]:
    """The article text without its comment section, and the comments found in it."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _HEADING.match(line.strip()):
            # "Name: text" lines only under a heading that names comments: under a
            # "Discussion" subheading they are the article's own labelled paragraphs
            inline = bool(_COMMENT_WORD.search(line))
            comments = parse_comments(lines[i + 1:], is_boilerplate, inline=inline)
            if comments:
                return "\n".join(lines[:i]).strip(), comments
    start = _headless_start(lines)
    if start is not None:
        return "\n".join(lines[:start]).strip(), parse_comments(lines[start:], is_boilerplate)
    return text, []


def parse_comments(lines: list[str], is_boilerplate: Callable[[str], bool],
                   inline: bool = True) -> list[Comment]:
    """Entries from the lines of a comment section (text before the first entry is ignored).

    inline: whether "Name: comment" lines are entries too.
    """
    comments: list[Comment] = []
    current: Comment | None = None
    body: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        entry, used = _entry_at(lines, i)
        one_line = _INLINE_ENTRY.match(line) if entry is None and inline else None
        if one_line and _PERSON_OR_HANDLE.match(one_line.group("author")):
            _close(current, body, comments)
            current, body = Comment(author=one_line["author"], text=""), [one_line["text"]]
            i += 1
            continue
        if entry is not None:
            _close(current, body, comments)
            current, body = entry, []
            i += used
            continue
        if current is not None and line and not _NOISE.match(line) and not is_boilerplate(line):
            body.append(line)
        i += 1
    _close(current, body, comments)
    return comments


def _entry_at(lines: list[str], i: int) -> tuple[Comment | None, int]:
    """The comment entry that starts at line i (author, date) and how many lines it takes."""
    line = lines[i].strip()
    if not line or len(line.split()) > 12:
        return None, 1
    for form in _ENTRY_FORMS:
        match = form.match(line)
        if match and len(match.group("author").split()) <= 6:
            date = normalise_date(match.group("date")) if match.group("date") else None
            used = 1
            nxt = _next_nonblank(lines, i + 1)
            if date is None and nxt < len(lines) and _timestamp(lines[nxt]):
                date, used = date_line(lines[nxt]), nxt - i + 1
            return Comment(author=match.group("author").strip(), text="", date=date), used
    nxt = _next_nonblank(lines, i + 1)
    if (len(line) <= MAX_NAME_CHARS and len(line.split()) <= 6 and line[-1] not in ".!?:"
            and not _timestamp(line) and nxt < len(lines) and _timestamp(lines[nxt])):
        return Comment(author=line, text="", date=date_line(lines[nxt])), nxt - i + 1
    return None, 1


def _timestamp(line: str) -> bool:
    """A line that is only a date or a relative time: a comment's time stamp."""
    return is_date_line(line) or bool(_RELATIVE_LINE.match(line.strip()))


def _headless_start(lines: list[str]) -> int | None:
    """Where a trailing run of dated comment entries without a heading starts, if any."""
    starts = [i for i, line in enumerate(lines) if _marked_entry(lines, i)]
    if len(starts) < MIN_HEADLESS_ENTRIES:
        return None
    total = sum(len(line) for line in lines)
    before = sum(len(line) for line in lines[:starts[0]])
    bounds = starts + [len(lines)]
    longest = max(sum(len(line.split()) for line in lines[a:b])
                  for a, b in zip(bounds, bounds[1:], strict=False))
    # Comments close the text: they start in its second half and each is short.
    if before < total / 2 or longest > MAX_HEADLESS_COMMENT_WORDS:
        return None
    return starts[0]


def _marked_entry(lines: list[str], i: int) -> bool:
    """An entry that says it is a comment without a heading: a time stamp, "says"/"wrote",
    or a bullet with a person's name or a handle (a bulleted list of topics is no comment)."""
    entry, used = _entry_at(lines, i)
    if entry is None:
        return False
    line = lines[i].strip()
    if _ENTRY_FORMS[-1].match(line) and used == 1:
        return bool(_PERSON_OR_HANDLE.match(entry.author or ""))
    return entry.date is not None or used > 1 or any(form.match(line) for form in _ENTRY_FORMS)


def _close(entry: Comment | None, body: list[str], out: list[Comment]) -> None:
    if entry is not None and body:
        entry.text = "\n".join(body)
        out.append(entry)


def _next_nonblank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i
