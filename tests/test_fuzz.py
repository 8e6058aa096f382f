"""Fuzzing, bounded and seeded: mutated copies of our examples never raise out of a run.

``bench/fuzz.py`` makes the mutants (and runs 10,000 of them as a benchmark). Here 300 go
through reading and cleaning, where most mutations bite, and a few dozen through the whole
``analyze`` run with its parse and stages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rashomon.clean import clean_record, load_patterns
from rashomon.ingest import read_inputs
from rashomon.types import IngestProblem

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import fuzz  # noqa: E402


def test_mutants_are_reproducible_and_varied():
    first, again = fuzz.mutants(50, seed=3), fuzz.mutants(50, seed=3)
    assert first == again
    assert len({data for _, data in first}) >= 45  # a renamed copy may keep its bytes
    assert len({name.rsplit(".", 1)[-1] for name, _ in first}) >= 4


def test_300_mutants_are_read_and_cleaned_without_an_exception(tmp_path):
    for name, data in fuzz.mutants(300, seed=11):
        (tmp_path / name).write_bytes(data)
    patterns = load_patterns()
    read = problems = 0
    for item in read_inputs([str(tmp_path)], fetch_deadline=0.5):
        if isinstance(item, IngestProblem):
            problems += 1
            assert item.source.startswith(str(tmp_path)) and item.problem
            continue
        read += 1
        clean_record(item, patterns)
    assert read > 100 and problems > 10


@pytest.mark.slow
def test_a_whole_run_over_mutants_raises_nothing_and_stays_in_budget(tmp_path):
    result = fuzz.check(fuzz.mutants(24, seed=5), tmp_path, doc_timeout=60, batch=24)
    assert result["crashes"] == 0, result["examples"]["crashes"]
    assert result["internal_errors"] == 0, result["examples"]["internal_errors"]
    assert result["over_budget"] == 0, result["examples"]["over_budget"]
    assert result["documents_stored"] > 5


def test_shards_of_a_sequence_split_it_without_overlap_or_gap():
    whole = fuzz.mutants(30, seed=4, start=7)
    shards = [fuzz.mutants(30, seed=4, start=7, shard=(i, 3)) for i in range(3)]
    assert sorted(m for shard in shards for m in shard) == sorted(whole)
    assert [name[:5] for name, _ in whole] == [f"{n:05d}" for n in range(7, 30)]
    assert fuzz.mutants(30, seed=4)[7:] == whole  # input j is the same file from any start


def test_shard_results_add_up(tmp_path, monkeypatch):
    import json

    import common

    monkeypatch.setattr(common, "RESULTS_DIR", tmp_path)
    parts = []
    for i, (inputs, internal) in enumerate([(40, 0), (35, 2)]):
        figures = {"inputs": inputs, "asked": 50, "crashes": 0, "internal_errors": internal,
                   "over_budget": 1, "input_problems": 3, "records_read": 20,
                   "documents_stored": 10, "seconds": 12.5, "exceptions": internal}
        path = tmp_path / f"fuzz_shard{i}of2.json"
        examples = {"internal_errors": ["x"] * internal}
        path.write_text(json.dumps({"figures": figures, "commit": "abc", "date": "d",
                                    "details": {"examples": examples}}))
        parts.append(path)
    merged = fuzz.merge(parts)["figures"]
    assert merged["inputs"] == 75 and merged["asked"] == 100
    assert merged["exceptions"] == merged["internal_errors"] == 2
    assert merged["over_budget"] == 2 and merged["seconds"] == 25.0
    assert json.loads((tmp_path / "fuzz.json").read_text())["figures"] == merged


def test_merged_shards_that_run_every_input_say_so_and_never_overlap(tmp_path, monkeypatch):
    import json

    import common

    monkeypatch.setattr(common, "RESULTS_DIR", tmp_path)

    def part(name: str, start: int, shard: str, inputs: int, asked: int) -> Path:
        figures = {"inputs": inputs, "asked": asked, "crashes": 0, "internal_errors": 0,
                   "over_budget": 0, "input_problems": 0, "records_read": inputs,
                   "documents_stored": inputs, "seconds": 1.0, "exceptions": 0}
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"figures": figures, "commit": "abc", "date": "d",
                                    "details": {"seed": 0, "start": start, "shard": shard}}))
        return path

    # 0-99: the odd ones in one part; the even ones stopped at 60, then 60-98 from a restart
    odd = part("odd", 0, "1/2", 50, 50)
    even = part("even", 0, "0/2", 30, 50)
    rest = part("rest", 60, "0/2", 20, 20)
    merged = fuzz.merge([odd, even, rest])["figures"]
    assert merged["inputs"] == merged["asked"] == 100
    partial = fuzz.merge([odd, even])["figures"]  # the even ones from 60 on did not run
    assert (partial["inputs"], partial["asked"]) == (80, 100)
    with pytest.raises(ValueError):
        fuzz.merge([odd, even, rest, part("again", 90, "1/2", 5, 5)])
