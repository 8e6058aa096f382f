"""Fuzz: mutated copies of our example articles through the whole ``rashomon analyze`` run.

Inputs are the bundled examples (``examples/``: text, Markdown, HTML, JSON Lines and
sidecars, all written for this project), each copy mutated by one to three operators drawn
with a seeded generator: bytes flipped, inserted or cut; control characters, lone
surrogates, bidi overrides and U+FFFF; a sentence repeated into a 20-100 KB "sentence";
punctuation removed; JSON values swapped for 5,000-digit numbers, NaN, deep nesting, bad
URLs and impossible dates; HTML tag soup; another encoding; another file extension.

Everything goes through ``rashomon.analyze_inputs`` in batches, as ``rashomon analyze``
does. Counted:

* **crashes**: exceptions that escaped the run (target 0);
* **internal errors**: documents the per-document guard had to skip because a stage,
  the parse, cleaning or storing raised (target 0: bad input should be reported as such,
  not caught as an accident);
* **over budget**: documents skipped for exceeding the per-document time budget;
* input problems reported (expected: many mutations make unreadable input).

Usage: ``python bench/fuzz.py [--count 10000] [--max-minutes M] [--batch 50]`` or
``python bench/run.py --only fuzz`` (``--quick``: 1,000 inputs; ``--limit N``: N inputs).
Seed 0, batches of 50 files. ``--max-minutes`` starts no batch after that many minutes: the
figures then count the inputs that ran (the first of the seeded sequence), never the number
asked for.

What an input costs: the model and knowledge are loaded once per process (every loader is
cached), so the time is the text itself. 1,000 inputs hold 18.6 MB, three quarters of it
in the quarter of inputs with a 20-100 KB "sentence" or a 100,000-character JSON value,
which the run parses and analyses whole (2,500 words, some 15,000 characters, a second on
one quiet core: bench/speed.py; a third of that on this shared machine under load 6-8).
Each batch also clusters its events into incidents, which grows faster than the batch
(events of one date are compared pairwise), so batches of 50 cost less than batches of 200.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402  (its RESULTS_DIR read at call time, as tests move it)
from common import (  # noqa: E402
    REPO_ROOT,
    Options,
    provenance_rows,
    write_result,
)

NAME = "fuzz"
DESCRIPTION = "Mutated example articles through the whole run: exceptions and budget overruns"
INPUTS = 10_000
QUICK_INPUTS = 1_000
SEED = 0
BATCH = 50
EXAMPLES = REPO_ROOT / "examples"
# Skip reasons that mean our code raised, not that the input was unreadable.
INTERNAL = re.compile(r"stage failed|parse failed|analysis failed|cannot clean|cannot extract|"
                      r"cannot store|reading failed")
OVER_BUDGET = re.compile(r"time budget")


def seeds() -> list[tuple[str, bytes]]:
    """(file name, content) of every example file, sidecars and JSON Lines included."""
    return [(p.name, p.read_bytes()) for p in sorted(EXAMPLES.iterdir()) if p.is_file()]


# --------------------------------------------------------------------------- mutations

Mutation = Callable[[random.Random, str, bytes], tuple[str, bytes]]
NASTY = ["\x00", "\x01", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\u202e", "\u2066",
         "\ufeff", "\uffff", "\ufffe", "\u0301" * 50, "\U0001f600", "[of Iraq]", "=cmd|' /C'!A0",
         "<script>alert(1)</script>", "]]>", "&#0;", "\\ud800"]


def _flip(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return name, bytes(out)


def _insert_nasty(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    text = data.decode("utf-8", "surrogateescape")
    for _ in range(rng.randint(1, 10)):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(NASTY) + text[at:]
    return name, text.encode("utf-8", "surrogatepass")


def _cut(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    return name, data[:rng.randrange(len(data) + 1)]


def _long_sentence(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    """A sentence repeated without full stops into one 20-100 KB 'sentence'."""
    text = data.decode("utf-8", "replace")
    sentences = re.findall(r"[^.!?\n]{40,300}[.!?]", text) or [text[:200] or "word"]
    piece = rng.choice(sentences).rstrip(".!?") + ", and "
    blob = piece * (rng.randint(20_000, 100_000) // len(piece) + 1)
    at = rng.randrange(len(text) + 1)
    return name, (text[:at] + blob + text[at:]).encode()


def _no_punctuation(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    return name, re.sub(rb"[.!?;:\n]", b" ", data)


def _json_values(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    """Swap a JSON value for a pathological one (in .json, .jsonl and sidecars)."""
    values = ["9" * 5000, "[" * 5000 + "]" * 5000, "NaN", "-Infinity", "1e999",
              '"http://[::1"', '"0001-01-01"', '"9999-12-31"', '"\\ud800"', '""', "null",
              "{}", '"' + "x" * 100_000 + '"', '"\\u0000"']
    text = data.decode("utf-8", "replace")
    keys = list(re.finditer(r'"(\w+)":\s*("(?:[^"\\]|\\.)*"|[^,}\s]+)', text))
    if not keys:
        return _insert_nasty(rng, name, data)
    for match in rng.sample(keys, min(len(keys), rng.randint(1, 3))):
        text = text.replace(match.group(0), f'"{match.group(1)}": {rng.choice(values)}', 1)
    return name, text.encode("utf-8", "surrogatepass")


def _tag_soup(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    soup = rng.choice([b"<div>" * 5000, b"<p><b><i>" * 500, b"<![CDATA[", b"<!--",
                       b"<table><tr><td>" * 300, b"<meta charset='klingon'>",
                       b"<html><body>", b"</html>" * 10, b"<a href='http://[::1'>x</a>"])
    at = rng.randrange(len(data) + 1)
    return name, data[:at] + soup + data[at:]


def _encoding(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    text = data.decode("utf-8", "replace")
    codec = rng.choice(["utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "utf-8-sig"])
    return name, text.encode(codec, "replace")


def _extension(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    stem = name.split(".")[0]
    # Never .urls: a fuzz run must not fetch (bit flips could turn our .example hosts
    # into real ones); the URL cases are the loopback tests' (tests/hostile.py).
    return stem + rng.choice([".txt", ".md", ".html", ".json", ".jsonl", ".csv", ".xml",
                              ".rss", ".meta.json", ""]), data


MUTATIONS: list[Mutation] = [_flip, _insert_nasty, _cut, _long_sentence, _no_punctuation,
                             _json_values, _tag_soup, _encoding, _extension]


def mutants(n: int, seed: int = 0, start: int = 0, shard: tuple[int, int] = (0, 1),
            ) -> list[tuple[str, bytes]]:
    """Mutated example files (name, content): those numbered ``start`` to ``n - 1`` of the
    sequence the seed gives, and of them the numbers ``i`` (mod ``k``) for ``shard`` (i, k).
    Input number j is the same file whatever the start and shard: shards of one sequence
    run apart (other processes or machines) add up to the whole."""
    rng = random.Random(seed)
    pool = seeds()
    index, shards = shard
    out = []
    for number in range(n):
        name, data = rng.choice(pool)
        for mutation in rng.sample(MUTATIONS, rng.randint(1, 3)):
            name, data = mutation(rng, name, data)
        if number >= start and number % shards == index:
            out.append((f"{number:05d}_{name}", data))
    return out


# --------------------------------------------------------------------------- running


def check(files: list[tuple[str, bytes]], folder: Path, doc_timeout: float = 60.0,
          batch: int = BATCH,
          progress: Callable[[int, dict[str, Any]], None] | None = None,
          max_seconds: float | None = None) -> dict[str, Any]:
    """Write the files in batches under folder, run analyze on each batch; the counts.
    With ``max_seconds``, no batch starts after that long and only the inputs run count.
    ``progress(done, counts so far)`` hears of each batch, with the figures as returned."""
    from rashomon.analyze import analyze_inputs
    from rashomon.pipeline import Config
    from rashomon.store import Store

    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {"crashes": [], "internal_errors": [], "over_budget": []}
    config = Config(n_process=1, doc_timeout=doc_timeout)
    seconds = 0.0
    ran = 0
    loads: list[float] = []  # the 1-minute load average after each batch

    def figures() -> dict[str, Any]:
        return {"inputs": ran, "asked": len(files), "seconds": round(seconds, 1),
                "load_average": _spread(loads), **{
            k: counts[k] for k in ("crashes", "internal_errors", "over_budget",
                                   "input_problems", "records_read", "documents_stored")},
            "examples": {k: v[:10] for k, v in examples.items()}}

    for start in range(0, len(files), batch):
        if max_seconds is not None and seconds >= max_seconds:
            break
        ran = min(start + batch, len(files))
        sub = folder / f"batch{start:05d}"
        sub.mkdir(parents=True)
        for name, data in files[start:start + batch]:
            (sub / name).write_bytes(data)
        problems: list[str] = []
        started = time.perf_counter()
        try:
            with Store(folder / f"batch{start:05d}.duckdb") as store:
                summary = analyze_inputs(
                    [str(sub)], store, config, fetch_deadline=1.0,
                    on_problem=lambda p, out=problems: out.append(str(p)))
            counts["documents_stored"] += summary.ingested
            counts["records_read"] += summary.read
        except Exception:
            counts["crashes"] += 1
            examples["crashes"].append(traceback.format_exc(limit=3)[-600:])
        seconds += time.perf_counter() - started
        loads.append(os.getloadavg()[0])
        for line in problems:
            if INTERNAL.search(line):
                counts["internal_errors"] += 1
                examples["internal_errors"].append(line[:300])
            elif OVER_BUDGET.search(line):
                counts["over_budget"] += 1
                examples["over_budget"].append(line[:300])
            else:
                counts["input_problems"] += 1
        if progress:
            progress(ran, figures())
    return figures()


def _spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {"min": round(min(values), 1), "mean": round(sum(values) / len(values), 1),
            "max": round(max(values), 1)}


def run(options: Options, max_minutes: float | None = None, batch: int = BATCH,
        seed: int = SEED, start: int = 0, shard: tuple[int, int] = (0, 1)) -> dict[str, Any]:
    """The benchmark; a shard (or a start past 0) writes ``fuzz_shard<i>of<k>.json`` (or
    ``fuzz_from<start>...``) beside ``fuzz.json``, after every batch, so that a run that
    is stopped keeps the figures of the batches it finished (``--merge`` adds them up)."""
    started = time.time()
    n = options.limit or (QUICK_INPUTS if options.quick else INPUTS)
    files = mutants(n, seed, start, shard)
    name = NAME
    if shard != (0, 1) or start or seed != SEED:
        name = f"{NAME}_seed{seed}_from{start}_shard{shard[0]}of{shard[1]}"
    details = {"seed": seed, "start": start, "shard": f"{shard[0]}/{shard[1]}", "batch": batch}

    def write(result: dict[str, Any]) -> dict[str, Any]:
        figures = {k: result[k] for k in ("inputs", "asked", "crashes", "internal_errors",
                                          "over_budget", "input_problems", "records_read",
                                          "documents_stored", "seconds")}
        figures["exceptions"] = figures["crashes"] + figures["internal_errors"]
        written = write_result(name, figures, options, started,
                               {**details, "load_average": result["load_average"],
                                "examples": result["examples"]})
        if name != NAME:  # the command that ran, not bench/run.py's, which has no shards
            written["command"] = shlex.join(["python", "bench/fuzz.py", *options.argv])
            path = common.RESULTS_DIR / f"{name}.json"
            path.write_text(json.dumps(written, indent=1, ensure_ascii=False) + "\n")
        return written

    def progress(done: int, result: dict[str, Any]) -> None:
        print(f"[fuzz] {done}/{len(files)}", {k: v for k, v in result.items()
                                              if k not in ("examples", "load_average")},
              flush=True)
        if name != NAME:
            write(result)

    with tempfile.TemporaryDirectory(prefix="rashomon-fuzz-") as tmp:
        result = check(files, Path(tmp), batch=batch, progress=progress,
                       max_seconds=None if max_minutes is None else max_minutes * 60)
    return write(result)


def merge(paths: list[Path]) -> dict[str, Any]:
    """One result from shard results (their figures summed, examples joined) as
    ``fuzz.json``; the seconds are the shards' own, summed (not wall time). Parts that name
    their seed, start and shard must not share an input (ValueError); when together they
    ran every input of one seed from 0 to N - 1, N is also the number asked."""
    parts = [json.loads(path.read_text()) for path in paths]
    keys = ("inputs", "asked", "crashes", "internal_errors", "over_budget", "input_problems",
            "records_read", "documents_stored", "seconds", "exceptions")
    figures = {k: sum(p["figures"][k] for p in parts) for k in keys}
    figures["seconds"] = round(figures["seconds"], 1)
    runs = [_inputs_run(part) for part in parts]
    if all(run is not None for run in runs):
        covered = set().union(*runs)
        if len(covered) < figures["inputs"]:
            raise ValueError("the parts overlap: some inputs would be counted twice")
        if {n for _, n in covered} == set(range(len(covered))) and len(
                {seed for seed, _ in covered}) == 1:
            figures["asked"] = figures["inputs"]  # all of 0..N-1 ran: none was left out
    examples: dict[str, list[str]] = {}
    for part in parts:
        for kind, found in part["details"].get("examples", {}).items():
            examples.setdefault(kind, []).extend(found)
    details = {"merged": [p.name for p in paths], "examples": examples,
               "parts": [{"file": path.name, **part["details"], "inputs": part["figures"]["inputs"],
                          "commit": part["commit"], "date": part["date"]}
                         for path, part in zip(paths, parts, strict=True)]}
    argv = ["--merge", *map(str, paths)]
    written = write_result(NAME, figures, Options(argv=argv), time.time(), details)
    written["command"] = shlex.join(["python", "bench/fuzz.py", *argv])  # not bench/run.py's
    (common.RESULTS_DIR / f"{NAME}.json").write_text(
        json.dumps(written, indent=1, ensure_ascii=False) + "\n")
    return written


def _inputs_run(part: dict[str, Any]) -> set[tuple[int, int]] | None:
    """(seed, number) of each input a shard result ran (the first ``inputs`` numbers from
    its start that its shard takes), or None for a result that does not say."""
    details = part["details"]
    if not {"seed", "start", "shard"} <= details.keys():
        return None
    index, count = map(int, str(details["shard"]).split("/"))
    first = details["start"] + (index - details["start"]) % count
    numbers = range(first, first + part["figures"]["inputs"] * count, count)
    return {(details["seed"], n) for n in numbers}


def render(result: dict[str, Any]) -> str:
    f = result["figures"]
    asked = f.get("asked", f["inputs"])
    inputs = f"{f['inputs']:,}" + (f" (of {asked:,} asked; stopped at the time limit)"
                                    if asked != f["inputs"] else "")
    rows = [("Inputs (mutated example files)", inputs),
            ("Exceptions (crashes + internal errors; target 0)", f["exceptions"]),
            ("Crashes (exceptions out of the run)", f["crashes"]),
            ("Internal errors caught by the per-document guard", f["internal_errors"]),
            ("Documents over their time budget", f["over_budget"]),
            ("Input problems reported (unreadable input, one line each)", f["input_problems"]),
            ("Records read / documents stored",
             f"{f['records_read']:,} / {f['documents_stored']:,}"),
            ("Wall time", f"{f['seconds']:,.0f} s")]
    load = result.get("details", {}).get("load_average")
    if load:
        rows.append(("Load average (1 min; min / mean / max over the batches; 2 cores)",
                     f"{load['min']} / {load['mean']} / {load['max']}"))
    return "\n".join(["| Figure | Value |", "|---|---|",
                      *(f"| {label} | {value} |" for label, value in rows)]
                     ) + provenance_rows(result)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", "--inputs", type=int, default=INPUTS, dest="count",
                    help="how many mutated files")
    ap.add_argument("--max-minutes", type=float,
                    help="start no batch after this many minutes (figures count what ran)")
    ap.add_argument("--batch", type=int, default=BATCH,
                    help="files per analyze run (each with its own store)")
    ap.add_argument("--seed", type=int, default=SEED, help="seed of the mutated sequence")
    ap.add_argument("--start", type=int, default=0,
                    help="first input number of the sequence to run (those before are skipped)")
    ap.add_argument("--shard", type=_shard, default=(0, 1), metavar="I/K",
                    help="run only the inputs numbered I modulo K (0 <= I < K)")
    ap.add_argument("--merge", type=Path, nargs="+", metavar="RESULT",
                    help="add up shard results (bench/results/fuzz_*.json) into fuzz.json")
    args = ap.parse_args()
    if args.merge:
        result = merge(args.merge)
    else:
        result = run(Options(limit=args.count, argv=sys.argv[1:]), args.max_minutes,
                     args.batch, args.seed, args.start, args.shard)
    return 1 if result["figures"]["exceptions"] else 0


def _shard(text: str) -> tuple[int, int]:
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and int(index) < int(count)):
        raise argparse.ArgumentTypeError(f"expected I/K with 0 <= I < K, not {text!r}")
    return int(index), int(count)


if __name__ == "__main__":
    sys.exit(main())
