"""clean_record: one RawRecord to one Document, in the order the steps depend on each other.

1. plain text (HTML: main text, comments and metadata extracted first), Unicode-normalised;
2. header: headline, bylines, datelines and page chrome come off the top (see header.py);
3. reader comments split off (comments.py);
4. boilerplate removed: known patterns, the outlet's repeated lines, trailing blocks, page
   structure (captions, stamps, teasers) and the learned line classifier;
5. a closing author bio removed;
6. metadata resolved: the record's own fields win over what the page or the text said.
"""

from __future__ import annotations

from typing import Literal

from rashomon.clean.boilerplate import BoilerplatePatterns, remove_boilerplate
from rashomon.clean.comments import parse_comments, split_comments
from rashomon.clean.dates import normalise_date
from rashomon.clean.dedup import body_fingerprint
from rashomon.clean.extract import Extracted, extract, host_of
from rashomon.clean.header import clean_title, split_header, split_signoff
from rashomon.clean.lineclass import LineClassifier, packaged_classifier
from rashomon.clean.normalise import normalise_text
from rashomon.types import Document, RawRecord


def clean_record(raw: RawRecord, patterns: BoilerplatePatterns,
                 repeated_lines: set[str] | frozenset[str] = frozenset(),
                 page: Extracted | None = None,
                 classifier: LineClassifier | None | Literal["packaged"] = "packaged"
                 ) -> Document:
    """Clean one record into a Document whose text holds only the article body.

    repeated_lines are the outlet's boilerplate lines from find_repeated_lines (look them
    up with outlet_key(raw)); page is the record's extraction when the caller already has
    it (HTML extraction is the slow part of cleaning). classifier is the learned line
    classifier: the packaged one by default, None for patterns and page structure only.
    """
    page = page or extract(raw)
    text = normalise_text(page.text)
    outlet = raw.outlet or page.outlet

    def is_boilerplate(line: str) -> bool:
        return patterns.match(line) is not None

    header = split_header(text, known_title=raw.title or page.title,
                          is_chrome=is_boilerplate, outlet=outlet)
    if classifier == "packaged":
        classifier = packaged_classifier()

    body, comments = split_comments(header.body, is_boilerplate)
    if page.comments:
        comment_lines = normalise_text(page.comments).split("\n")
        comments += parse_comments(comment_lines, is_boilerplate)
    body, removed = remove_boilerplate(body, patterns, frozenset(repeated_lines), classifier)
    if not body.strip() and header.body and "\n" not in text.strip():
        # a text of one line is what was given to analyse, even when it reads like a
        # headline or a caption: removing it would leave nothing
        body, removed = header.body.strip(), []
    body, signoff_author = split_signoff(body)

    metadata = dict(raw.metadata)
    if removed:
        metadata["boilerplate_removed"] = removed
    if page.notes:
        metadata["extraction_notes"] = page.notes
    return Document(
        id=raw.id,
        text=body,
        title=clean_title(_one_line(raw.title or page.title or header.title),
                          patterns.title_prefixes, outlet, host_of(raw.url)),
        author=_one_line(raw.author or page.author or header.author or signoff_author),
        outlet=_one_line(raw.outlet or page.outlet or host_of(raw.url)),
        url=raw.url,
        published=(normalise_date(raw.published) or normalise_date(page.published)
                   or header.published),
        comments=comments,
        source=raw.source,
        format=raw.format,
        raw_text=page.text,
        metadata=metadata,
        fingerprint=body_fingerprint(body),
    )


def _one_line(value: str | None) -> str | None:
    """Metadata values as single normalised lines (titles from feeds may carry newlines)."""
    if not value:
        return None
    return " ".join(normalise_text(value).split()) or None
