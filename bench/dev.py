"""The development loop: every figure that judges events, claims and actors, in one table.

Usage::

    python bench/dev.py            # the whole development suite (about 5 minutes on 2 cores)
    python bench/dev.py --quick    # samples where a benchmark samples
    python bench/dev.py --only dev_articles plv_train

Runs the benchmarks below (each writes ``bench/results/<name>.json`` as ``bench/run.py``
does), prints one table of headline figures beside the targets the issues set, and writes
that table into BENCHMARKS.md between ``<!-- bench:dev -->`` markers. "Articles, all 26"
pools the reference and development articles (matched and total counts summed), so one
figure speaks for the whole development set. Held-out articles and splits of the same
kinds are scored the same way and are what counts: a change is kept when this table's
aggregate improves, never for one article.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as runner  # noqa: E402
from common import BENCHMARKS_MD, Options, Skip, pct  # noqa: E402

#: The development suite, in the order it runs; absent data or modules are skipped.
SUITE = ["shared_corpus", "dev_articles", "plv_train", "plover_gsr", "cameo_quad", "case2021",
         "polnear", "park_sign", "cleaning"]

#: Table rows: label, benchmark (or "pooled"), figure key, target (text), target test.
ROWS: list[tuple[str, str, str, str, Any]] = [
    ("Events F1, articles (all 26)", "pooled", "events_f1", ">= 0.60", lambda v: v >= 0.60),
    ("Events precision, articles (all 26)", "pooled", "events_precision", ">= 0.55",
     lambda v: v >= 0.55),
    ("Events recall, articles (all 26)", "pooled", "events_recall", "", None),
    ("Events F1, dev.jsonl (23)", "dev_articles", "events_f1", "", None),
    ("Events F1, reference articles (3)", "shared_corpus", "events_f1", "", None),
    ("Event places right (matched, all 26)", "pooled", "event_places", "", None),
    ("Event dates right (matched, all 26)", "pooled", "event_dates", "", None),
    ("Claims F1, articles (all 26)", "pooled", "claims_f1", ">= 0.75", lambda v: v >= 0.75),
    ("Claims F1, dev.jsonl (23)", "dev_articles", "claims_f1", "", None),
    ("Actors recall, articles (all 26)", "pooled", "actors_recall", "", None),
    ("Actor fragments in excess (all 26)", "pooled", "actor_fragments_excess", "<= 3",
     lambda v: v <= 3),
    ("Relations coverage, dev.jsonl", "dev_articles", "relations_coverage", "", None),
    ("Incidents pairwise F1, dev.jsonl", "dev_articles", "incidents_f1", ">= 0.60",
     lambda v: v >= 0.60),
    ("Boilerplate removed, articles (all 26)", "pooled", "boilerplate_removed", ">= 0.90",
     lambda v: v >= 0.90),
    ("Body kept, articles (all 26)", "pooled", "body_kept", "1.00", lambda v: v >= 1.0),
    ("Titles right, articles (all 26)", "pooled", "titles", ">= 0.90", lambda v: v >= 0.90),
    ("Boilerplate removed, line classifier left out per article (dev.jsonl)", "cleaning",
     "dev_loo_boilerplate_removed", "", None),
    ("Body kept, line classifier left out per article (dev.jsonl)", "cleaning",
     "dev_loo_body_kept", "", None),
    ("Reader comments split, dev.jsonl", "cleaning", "dev_loo_comments_separated",
     "every article that has them", None),
    ("PLV train top-event type accuracy", "plv_train", "type_accuracy", ">= 0.75 (CV)",
     lambda v: v >= 0.75),
    ("PLV train target accuracy", "plv_train", "target_accuracy", ">= 0.60 (CV)",
     lambda v: v >= 0.60),
    ("PLOVER GSR dev type accuracy", "plover_gsr", "type_accuracy", ">= 0.70",
     lambda v: v >= 0.70),
    ("PLOVER GSR dev target accuracy", "plover_gsr", "target_accuracy", "", None),
    ("CAMEO PentaClass accuracy (ConfliBERT train)", "cameo_quad", "accuracy", "", None),
    ("CASE 2021 dev mapped type accuracy", "case2021", "accuracy", "", None),
    ("PolNeAR dev attribution F1 (overlap, with source), claims scope \"attributions\" "
     "(PolNeAR's definition of an attribution)", "polnear", "attributions_overlap_f1",
     ">= 0.75", lambda v: v >= 0.75),
    ("PolNeAR dev attribution F1 (overlap, with source), default claims scope \"news\"",
     "polnear", "overlap_f1", "", None),
    ("Park 2021 valid directed accuracy (the stance stage's verdict)", "park_sign",
     "directed_accuracy", ">= 0.80", lambda v: v >= 0.80),
    ("Park 2021 valid directed accuracy, stances, events, claims and relations summed "
     "(the headline before 2026-12-03)", "park_sign", "ties_directed_accuracy", "", None),
]


def _count(value: Any) -> tuple[int, int] | None:
    """'5/28' -> (5, 28)."""
    if isinstance(value, str) and "/" in value:
        a, b = value.split("/")[:2]
        if a.isdigit() and b.isdigit():
            return int(a), int(b)
    return None


def pooled(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Micro-averaged figures over several article sets scored by shared/eval/score.py."""
    figs = [r["figures"] for r in results]
    out: dict[str, Any] = {}
    for kind in ("events", "claims"):
        gold = sum(f.get(f"{kind}_gold") or 0 for f in figs)
        system = sum(f.get(f"{kind}_system") or 0 for f in figs)
        hit_gold = sum((f.get(f"{kind}_recall") or 0) * (f.get(f"{kind}_gold") or 0) for f in figs)
        hit_sys = sum((f.get(f"{kind}_precision") or 0) * (f.get(f"{kind}_system") or 0)
                      for f in figs)
        r = hit_gold / gold if gold else None
        p = hit_sys / system if system else None
        out[f"{kind}_recall"], out[f"{kind}_precision"] = r, p
        out[f"{kind}_f1"] = 2 * p * r / (p + r) if p and r else 0.0
    out["actor_fragments_excess"] = sum(f.get("actor_fragments_excess") or 0 for f in figs)
    n_docs = [_count(f.get("documents")) for f in figs]
    weights = [c[1] if c else 0 for c in n_docs]
    if sum(weights):
        out["actors_recall"] = sum((f.get("actors_recall") or 0) * w
                                   for f, w in zip(figs, weights, strict=True)) / sum(weights)
    for key in ("event_places", "event_dates", "boilerplate_removed", "body_kept", "titles"):
        counts = [_count(f.get(key)) for f in figs]
        if all(counts):
            num, den = sum(c[0] for c in counts), sum(c[1] for c in counts)
            out[key] = num / den if den else None
            out[f"{key}_counts"] = f"{num}/{den}"
    return out


def _value(results: dict[str, dict[str, Any]], bench: str, key: str) -> Any:
    if bench == "pooled":
        sets = [results[n] for n in ("shared_corpus", "dev_articles") if n in results]
        return pooled(sets).get(key) if sets else None
    result = results.get(bench)
    return None if result is None else result["figures"].get(key)


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = ["| Figure | Value | Target | Met |", "|---|---|---|---|"]
    for label, bench, key, target, test in ROWS:
        v = _value(results, bench, key)
        if v is None:
            shown, met = "not run", ""
        elif isinstance(v, float):
            shown = pct(v)
            met = ("yes" if test(v) else "**no**") if test else ""
        else:
            shown = str(v)
            met = ("yes" if test(v) else "**no**") if test else ""
        lines.append(f"| {label} | {shown} | {target} | {met} |")
    runs = sorted({f"`{r['commit']}`" for r in results.values()})
    lines.append(f"\nCommand: `python bench/dev.py` · commit(s) {', '.join(runs)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", choices=SUITE, metavar="NAME")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--processes", type=int, default=2)
    args = ap.parse_args(argv)
    opts = Options(quick=args.quick, processes=args.processes,
                   argv=sys.argv[1:] if argv is None else argv)
    for name in args.only or SUITE:
        try:
            module = runner.load(name)
        except ModuleNotFoundError:
            print(f"[{name}] skipped: no bench/{name}.py yet")
            continue
        print(f"== {name}: {module.DESCRIPTION}", flush=True)
        try:
            module.run(opts)
        except Skip as why:
            print(f"[{name}] skipped: {why}")
    results = {n: r for n in SUITE if (r := runner.load_result(n)) is not None}
    text = table(results)
    print("\n" + text)
    if BENCHMARKS_MD.exists():
        runner.regenerate_tables()
    return 0


if __name__ == "__main__":
    sys.exit(main())
