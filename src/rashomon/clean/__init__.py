"""Clean: RawRecords into Documents holding only article text, with metadata and comments.

Typical use over a corpus:

    patterns = load_patterns()
    repeated = find_repeated_lines(records)
    dedup = Deduplicator()
    for raw in records:
        doc = clean_record(raw, patterns, repeated.get(outlet_key(raw), set()))
        if dedup.check(doc) is None:
            dedup.add(doc)
"""

from rashomon.clean.boilerplate import BoilerplatePatterns, load_patterns
from rashomon.clean.dates import normalise_date
from rashomon.clean.dedup import Deduplicator, body_fingerprint
from rashomon.clean.document import clean_record
from rashomon.clean.normalise import normalise_text
from rashomon.clean.repeated import find_repeated_lines, outlet_key

__all__ = [
    "BoilerplatePatterns",
    "Deduplicator",
    "body_fingerprint",
    "clean_record",
    "find_repeated_lines",
    "load_patterns",
    "normalise_date",
    "normalise_text",
    "outlet_key",
]
