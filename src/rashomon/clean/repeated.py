"""Corpus-level boilerplate: lines that recur across many articles of one outlet.

Sign-offs, appeals and share bars that no pattern names still give themselves away by
repeating verbatim under every article of a site, which article prose never does.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping

from rashomon.clean.boilerplate import MAX_BOILERPLATE_WORDS
from rashomon.clean.extract import extract, host_of
from rashomon.clean.normalise import line_key, normalise_text
from rashomon.types import RawRecord

# A line is boilerplate for an outlet when it occurs in at least MIN_DOCS of its documents
# and in at least MIN_FRACTION of them. Not fitted (the reference corpus has one article
# per outlet): three documents rule out a quotation that two reports of one speech share,
# and a fifth of an outlet's articles rules out a recurring name or slogan in a large
# collection while still catching footers that come and go with site redesigns.
MIN_DOCS = 3
MIN_FRACTION = 0.2


def find_repeated_lines(records: Iterable[RawRecord], min_docs: int = MIN_DOCS,
                        min_fraction: float = MIN_FRACTION,
                        text_of: Callable[[RawRecord], str] | None = None
                        ) -> dict[str, set[str]]:
    """Per outlet key (see outlet_key), the normalised lines that repeat across its documents.

    Lines are compared after line_key normalisation, which is how clean_record looks them up.
    ``text_of`` gives a record's plain text when the caller has already extracted it.
    """
    text_of = text_of or (lambda record: extract(record).text)
    docs_per_outlet: Counter[str] = Counter()
    line_docs: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        outlet = outlet_key(record)
        docs_per_outlet[outlet] += 1
        line_docs[outlet].update(short_lines(text_of(record)))
    return repeated_lines(docs_per_outlet, line_docs, min_docs, min_fraction)


def short_lines(text: str) -> set[str]:
    """The normalised keys of a page's lines short enough to be boilerplate."""
    keys = {line_key(line) for line in normalise_text(text).split("\n")
            if 0 < len(line.split()) <= MAX_BOILERPLATE_WORDS}
    return {k for k in keys if k}


def repeated_lines(docs_per_outlet: Mapping[str, int],
                   line_docs: Mapping[str, Mapping[str, int]], min_docs: int = MIN_DOCS,
                   min_fraction: float = MIN_FRACTION) -> dict[str, set[str]]:
    """Per outlet, the lines whose document counts pass both thresholds."""
    return {
        outlet: {line for line, n in counts.items()
                 if n >= min_docs and n >= min_fraction * docs_per_outlet.get(outlet, 0)}
        for outlet, counts in line_docs.items()
    }


def outlet_key(record: RawRecord) -> str:
    """The outlet a record is grouped under for repeated lines: its outlet, else URL host."""
    return (record.outlet or host_of(record.url) or "").casefold()
