"""Development articles: the CLI end to end on ``../shared/corpus/dev.jsonl``, scored.

The 23 real articles (21 outlets of opposite slants, 2008-2022, several telling one incident)
are analysed and scored exactly as :mod:`shared_corpus` does the three reference articles,
against ``../shared/gold/dev`` (which also scores incidents across documents). Held-out
articles of the same kind are scored the same way; these are for development, not tuning.
"""

from __future__ import annotations

import time
from typing import Any

from common import SHARED, Options, require, write_result
from shared_corpus import ROWS, render_rows, score_articles

NAME = "dev_articles"
DESCRIPTION = "CLI end to end on shared/corpus/dev.jsonl, scored by shared/eval/score.py"


def run(opts: Options) -> dict[str, Any]:
    started = time.time()
    corpus = require(SHARED / "corpus" / "dev.jsonl", "development articles")
    gold = require(SHARED / "gold" / "dev", "development gold")
    figures, misses, analyze_s = score_articles(corpus, gold)
    figures["analyze_seconds"] = round(analyze_s, 1)
    # Misses quote the articles and their gold, which stay in ../shared: only their number
    # is kept here (run score.py with --verbose to read them).
    return write_result(NAME, figures, opts, started, details={"misses": len(misses)})


INCIDENT_ROWS = [("Incidents pairwise F1 / P / R",
                  ("incidents_f1", "incidents_precision", "incidents_recall"), None)]


def render(result: dict[str, Any]) -> str:
    return render_rows(result, ROWS + INCIDENT_ROWS)
