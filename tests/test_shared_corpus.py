"""Regression guard on the whole development set, scored by the shared scorer.

The 26 development articles (the three reference articles against ``gold/``, the 23 of
``dev.jsonl`` against ``gold/dev/``) are analysed and scored, and the figures are pooled as
``bench/dev.py`` pools them (matched and total counts summed), so that one article set
cannot hold a change back that the whole set gains from. Thresholds sit a little under the
figures BENCHMARKS.md reports; raise them as results improve. Skipped without ../shared.
"""

from __future__ import annotations

import importlib.util
import json

import pytest
from typer.testing import CliRunner

from rashomon.cli import app

# pooled figure -> the least it may be (see BENCHMARKS.md, "Development suite")
THRESHOLDS = {
    "actors_recall": 0.94,
    "places_recall": 0.86,
    "events_recall": 0.30,
    "events_precision": 0.40,
    "claims_recall": 0.77,
    "claims_precision": 0.75,
    "relations_coverage": 0.28,
    "relations_sign_accuracy": 0.75,
}
MAX_FRAGMENTS = 1
SETS = {"corpus.jsonl": "gold", "dev.jsonl": "gold/dev"}


@pytest.fixture(scope="module")
def per_set(shared_dir, tmp_path_factory) -> list[dict]:
    spec = importlib.util.spec_from_file_location("score", shared_dir / "eval/score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    runner = CliRunner()
    results = []
    for corpus, gold in SETS.items():
        tmp = tmp_path_factory.mktemp(corpus.split(".")[0])
        db, out = tmp / "s.duckdb", tmp / "s.json"
        result = runner.invoke(app, ["analyze", str(shared_dir / "corpus" / corpus),
                                     "--db", str(db), "--quiet"])
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["export", "--db", str(db), "-f", "json", "-o", str(out)])
        assert result.exit_code == 0, result.output
        results.append(score.score(str(shared_dir / gold), json.loads(out.read_text())))
    return results


def _counts(value: str) -> list[int]:
    return [int(x) for x in value.split("/")]


def pooled(results: list[dict], name: str) -> float:
    """One figure over both sets: micro-averaged from each set's counts."""
    if name.startswith(("events_", "claims_")):
        kind, measure = name.split("_", 1)
        side = "gold" if measure == "recall" else "system"
        hits = sum(r[kind][measure] * r[kind][side] for r in results if r[kind][side])
        return hits / sum(r[kind][side] for r in results)
    if name.startswith("relations_"):
        right, found, gold = (sum(x) for x in zip(*(_counts(r["relations"]) for r in results),
                                                  strict=True))
        return found / gold if name == "relations_coverage" else right / found
    documents = [_counts(r["documents"])[1] for r in results]
    return sum(r[name] * n for r, n in zip(results, documents, strict=True)) / sum(documents)


@pytest.mark.parametrize("name", sorted(THRESHOLDS))
def test_figure_does_not_regress(per_set, name):
    assert pooled(per_set, name) >= THRESHOLDS[name]


def test_actors_are_not_fragmented(per_set):
    assert sum(r["actor_fragments_excess"] for r in per_set) <= MAX_FRAGMENTS


@pytest.mark.parametrize("name", ["boilerplate_removed", "body_kept", "titles", "authors"])
def test_cleaning_and_metadata_are_all_right(per_set, name):
    for r in per_set:
        right, total = _counts(r[name])
        assert right == total
