"""Publication dates: normalised to YYYY-MM-DD, YYYY-MM or YYYY, as precise as the source."""

from __future__ import annotations

import re
from functools import lru_cache

from dateparser.date import DateDataParser

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april"
           "|june|july|august|september|october|november|december")
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?)?"
_PREFIX = (r"(?:(?:published|posted|updated|last updated|last modified|modified|date)"
           r"(?:\s+on)?\s*:?\s*)?")
# A line that is a date and nothing else: "April 23, 2008", "23 April 2008", "Jan. 4, 2020",
# "2020-01-04", "Wednesday, April 23, 2008 at 3:14 pm", "Published: 23/04/2008".
# Case-insensitive on its own, so that it can sit inside case-sensitive patterns.
DATE_EXPR = (rf"(?i:{_WEEKDAY}(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
             rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"
             rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{4}}/\d{{1,2}}/\d{{1,2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}})"
             rf"{_TIME})")
# What page templates print after a date stamp: a clock time ("- 0:0", "| 15:56 GMT") and
# the source ("- Source: Agency").
_STAMP_TRAILER = (r"(?:\s*[-|–—,]\s*\d{1,2}:\d{1,2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
                  r"(?:\s+[A-Z]{2,5})?)?(?:\s*[-|–—]\s*(?:source|via)\s*:?\s*[^\n]{1,60})?")
_DATE_LINE = re.compile(rf"^{_PREFIX}(?P<date>{DATE_EXPR}){_STAMP_TRAILER}\.?$", re.IGNORECASE)
_SLASHED_ISO = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})\b")


@lru_cache(maxsize=4096)
def normalise_date(value: str | None) -> str | None:
    """A date string in any common form as YYYY-MM-DD, YYYY-MM or YYYY; None if not a date.

    A string without a four-digit year gives None: a year guessed from today would be wrong
    for archive articles.
    """
    if not value:
        return None
    value = _SLASHED_ISO.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", value.strip())
    iso = _ISO.match(value)
    if iso:
        return "-".join(part for part in iso.groups() if part)
    if not _YEAR.search(value):
        return None
    data = _parser().get_date_data(value)
    if data.date_obj is None:
        return None
    fmt = {"year": "%Y", "month": "%Y-%m"}.get(data.period or "day", "%Y-%m-%d")
    return data.date_obj.strftime(fmt)


def is_date_line(line: str) -> bool:
    """Whether the whole line has the shape of a date (cheap: no parsing)."""
    return _DATE_LINE.match(line.strip()) is not None


def date_line(line: str) -> str | None:
    """The normalised date when the whole line is a date (a dateline), else None."""
    match = _DATE_LINE.match(line.strip())
    return normalise_date(match.group("date")) if match else None


@lru_cache(maxsize=1)
def _parser() -> DateDataParser:
    # Day first for numeric dates: the outlets of this corpus are mostly outside the US.
    return DateDataParser(languages=["en"], settings={"DATE_ORDER": "DMY",
                                                      "PREFER_DAY_OF_MONTH": "first"})
