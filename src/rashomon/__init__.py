"""Rashomon: many disagreeing articles about one conflict, one auditable picture.

The pipeline, one module or package per stage:
ingest -> clean -> parse -> places / dates -> actors -> events / claims -> relations
-> store -> export / report.

For a notebook::

    import rashomon
    analysis = rashomon.analyze(["Tehran denied the report on Monday.", ...])
    analysis.events, analysis.claims, analysis.relations, analysis.to_dict()

For a stream too large to hold, ``for one in rashomon.analyze_iter(texts): ...`` (one
Analysis per document). For a corpus on disk,
``rashomon.analyze_inputs(paths, rashomon.Store("x.duckdb"))``; set
``Config(cluster="local:4")`` (or ``"tcp://HOST:8786"``) to run it on Dask.
"""

from .analyze import RunSummary, analyze, analyze_inputs, analyze_iter
from .export import export
from .pipeline import Config
from .store import Store
from .types import (
    Actor,
    Analysis,
    Claim,
    Comment,
    DateMention,
    Document,
    Event,
    Mention,
    Place,
    Relation,
)

__version__ = "0.1.0"

__all__ = [
    "Actor", "Analysis", "Claim", "Comment", "Config", "DateMention", "Document", "Event",
    "Mention", "Place", "Relation", "RunSummary", "Store", "analyze", "analyze_inputs",
    "analyze_iter", "export", "__version__",
]
