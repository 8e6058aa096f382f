"""Boilerplate removal: known patterns, outlet-repeated lines, page structure, a learned scorer.

Known boilerplate lives in data/boilerplate.yaml (and user files of the same layout). Lines
are removed one by one wherever they are; in addition, once an end-of-article marker (a
donation appeal, "Comments are closed.", a tag list...) is followed only by boilerplate-like
paragraphs, everything from the marker on is cut, which also takes out appeal prose that
no pattern names.

Page structure removes what no single line gives away:
- a line wrapped in two (the second starts in lower case) is judged as one;
- a photo credit takes the short caption lines directly above it in its block with it;
- a bare date line inside the body is a listing's time stamp, and the one-line paragraph
  above it is that listing's teaser when it shares almost no words with the article.
Last, a learned line classifier (clean/lineclass.py) may remove short lines it is sure of.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.clean.dates import is_date_line
from rashomon.clean.normalise import line_key
from rashomon.datafiles import DATA, DataFileError, load_yaml

if TYPE_CHECKING:
    from rashomon.clean.lineclass import LineClassifier

# Patterns and tail keywords only apply to lines of at most this many words (a category may
# set its own max_words). Calibrated on the reference corpus: its longest boilerplate
# paragraph (a supporter offer) has 25 words, its article paragraphs mostly run to 40-150.
MAX_BOILERPLATE_WORDS = 40
# After an end marker, a line this short counts as boilerplate-like (button labels, names,
# headings); calibrated on the reference corpus, whose tail lines are 2-8 words.
SHORT_TAIL_WORDS = 12
# A photo credit takes at most this many caption lines above it, each at most this long.
MAX_CAPTION_LINES = 3
MAX_CAPTION_WORDS = 40
# A teaser above a stray date stamp shares at most this share of its content words, and
# of its names, with the rest of the article (a related-story card is about another story;
# on the development articles genuine paragraphs share 0-50% of their content words, so the
# names carry the decision).
MAX_TEASER_OVERLAP = 0.2
MAX_TEASER_NAME_OVERLAP = 1 / 3
# Distinct lines whose match is remembered (the cache is emptied when full).
MATCH_CACHE = 20_000
_CLASS_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_WORD = re.compile(r"[^\W\d_]{5,}")
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")
_CAPITALISED = re.compile(r"\b([A-Z][a-z]+)")


@dataclass
class Category:
    """One kind of boilerplate, from one entry of a boilerplate YAML file."""

    name: str
    end_marker: bool
    lines: frozenset[str]
    patterns: list[re.Pattern[str]]
    max_words: int = MAX_BOILERPLATE_WORDS
    caption: bool = False

    def matches(self, line: str) -> bool:
        if len(line.split()) > self.max_words:
            return False
        return line_key(line) in self.lines or any(p.fullmatch(line) for p in self.patterns)


@dataclass
class BoilerplatePatterns:
    """All known boilerplate, by category, plus the words that mark boilerplate-like tails."""

    categories: list[Category] = field(default_factory=list)
    tail_keywords: tuple[str, ...] = ()
    title_prefixes: tuple[str, ...] = ()
    _seen: dict[str, Category | None] = field(default_factory=dict, repr=False, compare=False)

    def match(self, line: str) -> Category | None:
        """The first category the line belongs to; None for article text (or long lines)."""
        line = line.strip()
        if not line:
            return None
        # pages repeat their chrome; each distinct line is matched once
        if line in self._seen:
            return self._seen[line]
        if len(self._seen) >= MATCH_CACHE:
            self._seen.clear()
        found = self._seen[line] = next((c for c in self.categories if c.matches(line)), None)
        return found

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
    prefixes: list[str] = []
    files = [(path, load_yaml(path) or {}) for path in [DATA / "boilerplate.yaml",
                                                         *map(Path, extra_files)]]
    # word classes first, from every file, so that a user's agency list reaches the
    # packaged patterns too
    classes: dict[str, list[str]] = {}
    for path, data in files:
        if not isinstance(data, dict):
            raise DataFileError(f"{path}: expected a mapping with 'categories'")
        for name, words in (data.get("classes") or {}).items():
            if not isinstance(words, list):
                raise DataFileError(f"{path}: class {name}: expected a list of words")
            classes.setdefault(str(name), []).extend(str(w) for w in words)
    for path, data in files:
        for name, spec in (data.get("categories") or {}).items():
            if not isinstance(spec, dict):
                raise DataFileError(f"{path}: category {name}: expected a mapping")
            try:
                compiled = [re.compile(_expand(str(p), classes, path, name), re.IGNORECASE)
                            for p in spec.get("patterns") or ()]
            except re.error as exc:
                raise DataFileError(f"{path}: category {name}: bad pattern ({exc})") from exc
            patterns.categories.append(Category(
                name=name,
                end_marker=bool(spec.get("end_marker", False)),
                lines=frozenset(line_key(str(x)) for x in spec.get("lines") or ()),
                patterns=compiled,
                max_words=int(spec.get("max_words", MAX_BOILERPLATE_WORDS)),
                caption=bool(spec.get("caption", False)),
            ))
        keywords += [str(k).casefold() for k in data.get("tail_keywords") or ()]
        prefixes += [str(k).casefold() for k in data.get("title_prefixes") or ()]
    patterns.tail_keywords = tuple(dict.fromkeys(keywords))
    patterns.title_prefixes = tuple(dict.fromkeys(prefixes))
    return patterns


def _expand(pattern: str, classes: dict[str, list[str]], path: Path, category: str) -> str:
    """A pattern with each {class} replaced by the alternation of that word class."""
    def alternation(match: re.Match[str]) -> str:
        words = classes.get(match.group(1))
        if words is None:
            raise DataFileError(f"{path}: category {category}: unknown class {{{match.group(1)}}}")
        escaped = sorted((re.escape(w) for w in words), key=len, reverse=True)
        return "(?:" + "|".join(escaped) + ")"
    return _CLASS_REF.sub(alternation, pattern)


def remove_boilerplate(text: str, patterns: BoilerplatePatterns,
                       repeated: frozenset[str] | set[str] = frozenset(),
                       classifier: LineClassifier | None = None) -> tuple[str, list[str]]:
    """The text without boilerplate, and the removed lines (for the record's metadata)."""
    lines = text.split("\n")
    cut = _tail_start(lines, patterns, repeated)
    units = logical_lines(lines[:cut])
    drop = [_unit_is_boilerplate(lines, unit, patterns, repeated) for unit in units]
    _captions(lines, units, drop, patterns)
    _stamps_and_teasers(lines, units, drop)
    if classifier is not None:
        texts = [" ".join(lines[i].strip() for i in unit) for unit in units]
        for k, flag in enumerate(classifier.flags(texts, units, drop)):
            drop[k] = drop[k] or flag
    dropped = {i for unit, flag in zip(units, drop, strict=True) if flag for i in unit}
    removed = [line for i, line in enumerate(lines[:cut]) if i in dropped]
    removed += [line for line in lines[cut:] if line.strip()]
    kept = [line for i, line in enumerate(lines[:cut]) if i not in dropped]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip(), removed


def logical_lines(lines: list[str]) -> list[list[int]]:
    """Indices of the non-blank lines grouped into logical lines.

    A line that starts in lower case right under a line without closing punctuation is the
    rest of that line, wrapped (captions and pasted text break mid-sentence).
    """
    units: list[list[int]] = []
    previous = -2
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if (units and previous == i - 1 and text[0].islower()
                and not _SENTENCE_END.search(lines[previous].strip())):
            units[-1].append(i)
        else:
            units.append([i])
        previous = i
    return units


def _unit_is_boilerplate(lines: list[str], unit: list[int], patterns: BoilerplatePatterns,
                         repeated: frozenset[str] | set[str]) -> bool:
    text = " ".join(lines[i].strip() for i in unit)
    if line_key(text) in repeated or patterns.match(text):
        return True
    return len(unit) > 1 and all(line_key(lines[i]) in repeated or patterns.match(lines[i])
                                 for i in unit)


def _captions(lines: list[str], units: list[list[int]], drop: list[bool],
              patterns: BoilerplatePatterns) -> None:
    """Short lines directly above a photo credit, in its block, are its caption.

    Only where paragraphs are set apart by blank lines: where every line is a paragraph,
    the line above a credit is as likely to be article text.
    """
    blank = sum(1 for line in lines if not line.strip())
    if blank * 3 < sum(1 for line in lines if line.strip()):
        return
    for k, unit in enumerate(units):
        category = patterns.match(" ".join(lines[i].strip() for i in unit))
        if category is None or not category.caption:
            continue
        j, taken = k - 1, 0
        while (j >= 0 and taken < MAX_CAPTION_LINES and units[j][-1] == units[j + 1][0] - 1
               and len(" ".join(lines[i] for i in units[j]).split()) <= MAX_CAPTION_WORDS):
            drop[j] = True
            j, taken = j - 1, taken + 1


def _stamps_and_teasers(lines: list[str], units: list[list[int]], drop: list[bool]) -> None:
    """Bare date lines in the body, and the off-topic one-line teaser each one closes."""
    texts = [" ".join(lines[i].strip() for i in unit) for unit in units]
    for k, text in enumerate(texts):
        if not is_date_line(text):
            continue
        drop[k] = True
        if k == 0 or drop[k - 1] or len(texts[k - 1].split()) > MAX_BOILERPLATE_WORDS:
            continue
        rest = " ".join(t for j, t in enumerate(texts) if abs(j - k) > 1)
        names = _names(texts[k - 1])
        shared = names & _names(rest, initial=True)
        if (names and word_overlap(texts[k - 1], rest) <= MAX_TEASER_OVERLAP
                and len(shared) <= MAX_TEASER_NAME_OVERLAP * len(names)):
            drop[k - 1] = True


def _names(text: str, initial: bool = False) -> set[str]:
    """Capitalised words not opening a sentence (all capitalised words with initial=True)."""
    found = set()
    for match in _CAPITALISED.finditer(text):
        before = text[:match.start()].rstrip()
        if initial or (before and before[-1] not in ".!?\"“”:"):
            found.add(match.group(1).casefold())
    return found


def word_overlap(line: str, document: str) -> float:
    """Share of a line's content words (5+ letters) that occur elsewhere in the document."""
    words = {w.casefold() for w in _WORD.findall(line)}
    if not words:
        return 1.0
    others = {w.casefold() for w in _WORD.findall(document)}
    return len(words & others) / len(words)


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
