"""Boilerplate removal: known lines and patterns, outlet-repeated lines, and trailing blocks.

Known boilerplate lives in data/boilerplate.yaml (and user files of the same layout). Lines
are removed one by one wherever they are; in addition, once an end-of-article marker (a
donation appeal, "Comments are closed.", a tag list...) is followed only by boilerplate-like
paragraphs, everything from the marker on is cut, which also takes out appeal prose that
no pattern names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rashomon.clean.normalise import line_key
from rashomon.datafiles import DATA, DataFileError, load_yaml

# Patterns and tail keywords only apply to lines of at most this many words. Calibrated on
# the reference corpus: its longest boilerplate paragraph (a supporter offer) has 25 words,
# while its article paragraphs mostly run to 40-150 words.
MAX_BOILERPLATE_WORDS = 40
# After an end marker, a line this short counts as boilerplate-like (button labels, names,
# headings); calibrated on the reference corpus, whose tail lines are 2-8 words.
SHORT_TAIL_WORDS = 12


@dataclass
class Category:
    """One kind of boilerplate, from one entry of a boilerplate YAML file."""

    name: str
    end_marker: bool
    lines: frozenset[str]
    patterns: list[re.Pattern[str]]

    def matches(self, line: str) -> bool:
        return line_key(line) in self.lines or any(p.fullmatch(line) for p in self.patterns)


@dataclass
class BoilerplatePatterns:
    """All known boilerplate, by category, plus the words that mark boilerplate-like tails."""

    categories: list[Category] = field(default_factory=list)
    tail_keywords: tuple[str, ...] = ()

    def match(self, line: str) -> Category | None:
        """The first category the line belongs to; None for article text (or long lines)."""
        line = line.strip()
        if not line or len(line.split()) > MAX_BOILERPLATE_WORDS:
            return None
        return next((c for c in self.categories if c.matches(line)), None)

    def tail_like(self, line: str, repeated: frozenset[str] | set[str]) -> bool:
        """Could this line be part of a trailing boilerplate block?"""
        words = len(line.split())
        if words <= SHORT_TAIL_WORDS or line_key(line) in repeated or self.match(line):
            return True
        lowered = line.casefold()
        return words <= MAX_BOILERPLATE_WORDS and any(k in lowered for k in self.tail_keywords)


def load_patterns(extra_files: Sequence[Path] = ()) -> BoilerplatePatterns:
    """The packaged data/boilerplate.yaml plus any user files in the same layout."""
    patterns = BoilerplatePatterns()
    keywords: list[str] = []
    for path in [DATA / "boilerplate.yaml", *map(Path, extra_files)]:
        data = load_yaml(path) or {}
        if not isinstance(data, dict):
            raise DataFileError(f"{path}: expected a mapping with 'categories'")
        for name, spec in (data.get("categories") or {}).items():
            try:
                compiled = [re.compile(p, re.IGNORECASE) for p in spec.get("patterns") or ()]
            except re.error as exc:
                raise DataFileError(f"{path}: category {name}: bad pattern ({exc})") from exc
            patterns.categories.append(Category(
                name=name,
                end_marker=bool(spec.get("end_marker", False)),
                lines=frozenset(line_key(str(x)) for x in spec.get("lines") or ()),
                patterns=compiled,
            ))
        keywords += [str(k).casefold() for k in data.get("tail_keywords") or ()]
    patterns.tail_keywords = tuple(dict.fromkeys(keywords))
    return patterns


def remove_boilerplate(text: str, patterns: BoilerplatePatterns,
                       repeated: frozenset[str] | set[str] = frozenset()) -> tuple[str, list[str]]:
    """The text without boilerplate, and the removed lines (for the record's metadata)."""
    lines = text.split("\n")
    cut = _tail_start(lines, patterns, repeated)
    removed = [line for line in lines[cut:] if line.strip()]
    kept = []
    for line in lines[:cut]:
        if line.strip() and (line_key(line) in repeated or patterns.match(line)):
            removed.append(line)
        else:
            kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip(), removed


def _tail_start(lines: list[str], patterns: BoilerplatePatterns, repeated: Iterable[str]) -> int:
    """Index of the first end marker followed only by boilerplate-like lines; len(lines) if none."""
    repeated = frozenset(repeated)
    # Walk backwards so that each line's "is the rest boilerplate-like" is known in one pass.
    start, rest_is_tail = len(lines), True
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i].strip()
        if not line:
            continue
        rest_is_tail = rest_is_tail and patterns.tail_like(line, repeated)
        if not rest_is_tail:
            break
        category = patterns.match(line)
        if category is not None and category.end_marker:
            start = i
    return start
