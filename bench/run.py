"""Run the Rashomon benchmarks and regenerate the tables in BENCHMARKS.md.

Usage::

    python bench/run.py                      # every benchmark, default sizes
    python bench/run.py --only polnear speed # some of them
    python bench/run.py --quick              # small samples: minutes on 2 cores
    python bench/run.py --full               # full sets where the default samples
    python bench/run.py --tables-only        # just rebuild BENCHMARKS.md from results

Each benchmark writes ``bench/results/<name>.json``; then every results file present is
rendered into BENCHMARKS.md between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``.
A benchmark whose data (``../shared/data``) or pipeline is absent prints why and is
skipped; its previous results, if any, stay.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCHMARKS_MD, RESULTS_DIR, Options, Skip  # noqa: E402

BENCHMARKS = [
    "shared_corpus",
    "dev_articles",
    "plv_train",
    "plover_gsr",
    "polnear",
    "cameo_quad",
    "park_sign",
    "case2021",
    "cleaning",
    "speed",
    "cluster",
    "fuzz",
    "serve",
    "cleaning",
]
NOT_RUN = "_Not yet run._ Run `python bench/run.py --only {name}`."


def load(name: str) -> ModuleType:
    return importlib.import_module(name)


def load_result(name: str) -> dict[str, Any] | None:
    path = RESULTS_DIR / f"{name}.json"
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except ValueError:
        return None


def render_block(name: str) -> str:
    """The Markdown that goes between one benchmark's markers."""
    result = load_result(name)
    if result is None:
        return NOT_RUN.format(name=name)
    try:
        return load(name).render(result).strip()
    except Exception as exc:  # a stale results file must not break the others
        return f"_Results file could not be rendered ({type(exc).__name__}: {exc})._"


#: Headline rows of the summary table: benchmark, label, figure keys, anchor.
HEADLINES = [
    ("shared_corpus", "Events F1 (shared gold)", "events_f1", ""),
    ("shared_corpus", "Claims F1 (shared gold)", "claims_f1", ""),
    ("shared_corpus", "Actors recall (shared gold)", "actors_recall", "GDELT audit ~79% actors"),
    ("shared_corpus", "Places recall (shared gold)", "places_recall",
     "Mordecai3 79-90% exact place"),
    ("plover_gsr", "PLOVER event type accuracy", "type_accuracy", "GDELT audit ~81% event codes"),
    ("plover_gsr", "PLOVER actor accuracy (source + target)", "actor_accuracy",
     "GDELT audit ~79% actors"),
    ("polnear", "PolNeAR attribution F1, overlap, claims scope \"attributions\"",
     "attributions_overlap_f1", "Citron 83.2 F1 (overlap, PARC3)"),
    ("polnear", "PolNeAR attribution F1, overlap, default claims scope", "overlap_f1", ""),
    ("polnear", "PolNeAR attribution F1, exact content", "exact_f1", ""),
    ("cameo_quad", "CAMEO PentaClass accuracy", "accuracy", "majority class 25%"),
    ("park_sign", "Directed sentiment accuracy (5-way)", "directed_accuracy",
     "all-neutral baseline ~65%"),
    ("case2021", "CASE 2021 mapped type accuracy", "accuracy", ""),
    ("cleaning", "Dev boilerplate removed, classifier left out per article",
     "dev_loo_boilerplate_removed", ""),
    ("cleaning", "Dev body kept, classifier left out per article", "dev_loo_body_kept", ""),
    ("cleaning", "Dev titles", "dev_loo_titles", ""),
    ("speed", "Pipeline time / bare parse time, 1 process", "pipeline_over_parser_time_p1",
     "1.0 is the floor"),
    ("speed", "Pipeline time / bare parse time, distinct articles, 1 process",
     "pipeline_over_parser_time_distinct", "target <= 2.0"),
    ("speed", "Pipeline words/s, 2 processes", "pipeline_words_per_s_p2", ""),
    ("fuzz", "Fuzz: exceptions (crashes + internal errors)", "exceptions", "target 0"),
    ("fuzz", "Fuzz: documents over their time budget", "over_budget", "target 0"),
    ("serve", "Server events list, requests/s (1,000 articles)", "events_requests_per_s", ""),
    ("serve", "Server search, requests/s (1,000 articles)", "search_requests_per_s", ""),
]


def render_summary() -> str:
    """One table of headline figures beside their anchors, from every results file."""
    lines = ["| Benchmark | Figure | Value | Anchor | Run |", "|---|---|---|---|---|"]
    for name, label, key, anchor in HEADLINES:
        result = load_result(name)
        if result is None:
            value, run = "not yet run", ""
        else:
            v = result["figures"].get(key)
            value = ("n/a" if v is None else f"{100 * v:.1f}%" if isinstance(v, float) and v <= 1
                     and "time" not in key else f"{v:,}" if isinstance(v, int | float) else str(v))
            run = f"{result['date'][:10]}, `{result['commit']}`"
            if result.get("options", {}).get("quick"):
                run += ", quick"
        lines.append(f"| {name} | {label} | {value} | {anchor} | {run} |")
    return "\n".join(lines)


def render_dev() -> str:
    """The development table of bench/dev.py, from the results files present."""
    import dev

    return dev.table({n: r for n in dev.SUITE if (r := load_result(n)) is not None})


def update_markdown(text: str, blocks: dict[str, str]) -> str:
    """Replace the content between each benchmark's markers with its block."""
    for name, block in blocks.items():
        pattern = re.compile(
            rf"(<!-- bench:{re.escape(name)} -->)(.*?)(<!-- /bench:{re.escape(name)} -->)",
            re.DOTALL)
        text = pattern.sub(lambda m, b=block: f"{m.group(1)}\n{b}\n{m.group(3)}", text)
    return text


def regenerate_tables(path: Path = BENCHMARKS_MD) -> None:
    if not path.exists():
        print(f"{path} does not exist; tables not written")
        return
    blocks = {name: render_block(name) for name in BENCHMARKS}
    blocks["summary"] = render_summary()
    blocks["dev"] = render_dev()
    path.write_text(update_markdown(path.read_text(), blocks))
    print(f"updated tables in {path.name}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", choices=BENCHMARKS, metavar="NAME",
                    help=f"benchmarks to run: {', '.join(BENCHMARKS)}")
    ap.add_argument("--quick", action="store_true", help="small samples (minutes on 2 cores)")
    ap.add_argument("--full", action="store_true", help="full sets where the default samples")
    ap.add_argument("--processes", type=int, default=2, help="n_process for rashomon.analyze")
    ap.add_argument("--limit", type=int, help="cap items per benchmark (smoke test)")
    ap.add_argument("--tables-only", action="store_true", help="only regenerate BENCHMARKS.md")
    args = ap.parse_args(argv)
    opts = Options(quick=args.quick, full=args.full, processes=args.processes, limit=args.limit,
                   argv=sys.argv[1:] if argv is None else argv)
    failed = []
    if not args.tables_only:
        for name in args.only or BENCHMARKS:
            module = load(name)
            print(f"== {name}: {module.DESCRIPTION}", flush=True)
            try:
                module.run(opts)
            except Skip as why:
                print(f"[{name}] skipped: {why}")
            except Exception:
                traceback.print_exc()
                print(f"[{name}] FAILED")
                failed.append(name)
    regenerate_tables()
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
