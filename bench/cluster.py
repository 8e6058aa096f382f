"""Scaling out: the local runner against a Dask LocalCluster, and analyze_iter's memory.

Articles: paragraphs of the speed benchmark's pool (:func:`speed.article_pool`) drawn
into distinct articles (seeded), written as one JSON Lines file; distinct, because the
command stores a near-duplicate once, which copies of one article would measure instead.
Each run is the whole command a user types,
``rashomon analyze corpus.jsonl --db NEW --quiet`` plus ``-j 1``, ``-j 2``,
``--cluster local:1`` or ``--cluster local:2``, in a fresh store: reading, cleaning,
analysis, the one writer's commits and the relations at the end. The clock includes
starting worker processes (and, for Dask, the scheduler); every worker loads the model.
An extra row, labelled as such and not one of the four: the same command with
``--cluster tcp://...`` on a LocalCluster of 2 workers started and warmed (a run of 8
articles) beforehand, so that what a user pays once per cluster (the scheduler, the worker
processes, the model in each) is left out of the clock; its time is against the bare parse
in 2 processes, which does include starting its processes.

* **Throughput**: articles/s per run; scaling efficiency = rate with 2 workers / (2 x
  rate with 1); time against the bare parse of the same articles with as many processes
  (``spacy.load(MODEL).pipe(texts, batch_size=B, n_process=P)`` in a fresh process, model
  loaded and warmed before the clock): the whole command's seconds over the parse's.
* **Peak memory per process**: the run's process tree is sampled every 0.2 s (psutil)
  and the largest resident set of each process kept; the table shows the writer (the
  command itself) and the largest worker.
* **Streaming**: ``rashomon.analyze_iter`` over 1x, 4x and 16x a base of articles in a
  fresh process each; peak RSS should not grow with the corpus.
* **The one writer**: documents committed per second by the store alone (analyses made
  once, committed again under new ids into a fresh store), one document per transaction
  (``Store.add_analysis``) and in batches of ``Config.commit_every`` (``add_analyses``,
  what ``analyze`` does): the ceiling a cluster of any size meets at the store.
* **Load**: the machine's 1-minute load average before and after each measurement, since
  a shared machine depresses every rate here.

Runtime: about 25 minutes on a 2-core machine at the default 2,000 articles (measured 23
at 12a850a: the four runs 3-6 minutes each, the bare parses 3, analyze_iter 2, the writer 1,
the corpus-level steps about 2, most of it the incidents of 800 documents), plus about 3
for the extra row; ``--quick`` (200 articles) about 5 minutes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from common import Options, Skip, machine_line, provenance_rows, write_result
from speed import article_pool, synthetic_corpus, word_count

PARAGRAPHS_PER_ARTICLE = 8


def distinct_corpus(pool: list[str], n: int, seed: int = 0) -> list[dict[str, str]]:
    """``n`` articles of paragraphs drawn from ``pool``, no two near-duplicates."""
    import random

    rng = random.Random(seed)
    paragraphs = [p.strip() for text in pool for p in text.split("\n\n") if len(p.split()) > 12]
    return [{"id": f"cluster-{i:06d}",
             "text": "\n\n".join(rng.sample(paragraphs, PARAGRAPHS_PER_ARTICLE))}
            for i in range(n)]

NAME = "cluster"
DESCRIPTION = "Local runner vs Dask LocalCluster: articles/s, efficiency, memory; analyze_iter"
ARTICLES = 2000
QUICK_ARTICLES = 200
STREAM_BASE = 50
SCALES = (1, 4, 16)
# Corpus-level steps: stores of copies of this many analysed articles, at these scales.
STEPS_BASE = 40
STEPS_SCALES = (5, 20)
RUNS = {"local_p1": ["-j", "1"], "local_p2": ["-j", "2"],
        "dask_w1": ["--cluster", "local:1"], "dask_w2": ["--cluster", "local:2"]}
# An extra row, not one of the four whole-command figures: 2 workers already running.
RUNNING = "dask_w2_running"


def _cli() -> list[str]:
    exe = Path(sys.executable).parent / "rashomon"
    if not exe.exists():
        raise Skip("the `rashomon` command is not installed")
    return [str(exe)]


def _sample_tree(proc: subprocess.Popen, peaks: dict[int, float], stop: threading.Event,
                 also: tuple[int, ...] = ()) -> None:
    import psutil

    try:
        root = psutil.Process(proc.pid)
        others = [psutil.Process(pid) for pid in also]
    except psutil.NoSuchProcess:
        return
    while not stop.is_set():
        try:
            tree = [root, *root.children(recursive=True), *others]
        except psutil.NoSuchProcess:
            return
        for p in tree:
            try:
                rss = p.memory_info().rss / 2**20
            except psutil.Error:
                continue
            peaks[p.pid] = max(peaks.get(p.pid, 0.0), rss)
        stop.wait(0.2)


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def measure_run(corpus: Path, extra: list[str], workdir: Path,
                workers: tuple[int, ...] = ()) -> dict[str, Any]:
    """One CLI run into a fresh store: seconds, and peak RSS of the writer and workers
    (its own child processes, and ``workers``: processes of a cluster started before)."""
    db = workdir / f"run-{time.time_ns()}.duckdb"
    load_before = _load()
    cmd = [*_cli(), "analyze", str(corpus), "--db", str(db), "--quiet", *extra]
    peaks: dict[int, float] = {}
    stop = threading.Event()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = threading.Thread(target=_sample_tree, args=(proc, peaks, stop, workers),
                               daemon=True)
    sampler.start()
    out, errors = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {errors[-1000:]}")
    writer = peaks.pop(proc.pid, None)
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    return {"seconds": round(seconds, 1), "stored": stored, "load": [load_before, _load()],
            "writer_peak_rss_mib": round(writer or 0, 1),
            "worker_peak_rss_mib": round(max(peaks.values()), 1) if peaks else None,
            "processes_seen": len(peaks) + 1}


def measure_running_cluster(corpus: Path, workdir: Path, workers: int = 2,
                            warm_articles: int = 8) -> dict[str, Any]:
    """An extra figure beside the whole-command ones: the command on a Dask LocalCluster
    started beforehand (with ``rashomon.cluster``'s worker settings) and warmed by a run
    of ``warm_articles`` articles into a throwaway store, so that the workers hold the
    model; what a user pays once per cluster (starting the scheduler and the worker
    processes, importing and loading the model in each) is not timed, the rest is."""
    import logging

    import dask
    from distributed import Client, LocalCluster

    from rashomon.cluster import LOCAL_CLUSTER_CONFIG

    # Closing the cluster kills its workers, and the nanny says so on every run.
    logging.getLogger("distributed.nanny").setLevel(logging.ERROR)

    warm = workdir / "warm.jsonl"
    with corpus.open(encoding="utf-8") as fh:
        warm.write_text("".join(line for _, line in zip(range(warm_articles), fh, strict=False)),
                        encoding="utf-8")
    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    try:
        with Client(cluster) as client:
            pids = tuple(client.run(os.getpid).values())
        address = ["--cluster", cluster.scheduler_address]
        measure_run(warm, address, workdir)
        return measure_run(corpus, address, workdir, workers=pids)
    finally:
        cluster.close()


STREAM_WORKER = """
import json, resource, sys, rashomon
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    for one in rashomon.analyze_iter([json.loads(line)], n_process=1):
        n += len(one.documents)
print(json.dumps({"documents": n,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure_stream(pool: list[str], n: int, workdir: Path) -> dict[str, Any]:
    """analyze_iter over ``n`` articles read one line at a time, in a fresh process."""
    path = workdir / f"stream-{n}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for record in synthetic_corpus(pool, n):
            fh.write(json.dumps(record) + "\n")
    started, load_before = time.perf_counter(), _load()
    out = subprocess.run([sys.executable, "-c", STREAM_WORKER, str(path)], capture_output=True,
                         text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["load"] = [load_before, _load()]
    result["peak_rss_mib"] = round(result["peak_rss_mib"], 1)
    return result


WRITER_WORKER = """
import dataclasses, json, sys, time, rashomon
from rashomon.pipeline import Config, analyse_documents
from rashomon.analyze import _documents
from rashomon.store import PendingDocument
records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
analysed = list(analyse_documents(_documents(records), Config(n_process=1)))
def renamed(item, old, new):
    changes = {"document": new} if getattr(item, "document", None) == old else {}
    if isinstance(getattr(item, "id", None), str) and item.id.startswith(old + ":"):
        changes["id"] = new + item.id[len(old):]
    return dataclasses.replace(item, **changes) if changes else item
def copies(n, tag):
    for copy in range(n):
        for one in analysed:
            old = one.result.document.id
            new = f"{old}-{tag}{copy}"
            result = dataclasses.replace(one.result, document=dataclasses.replace(
                one.result.document, id=new))
            for f in dataclasses.fields(result):
                value = getattr(result, f.name)
                if isinstance(value, list):
                    setattr(result, f.name, [renamed(x, old, new) for x in value])
            yield PendingDocument(result, list(one.actors.values()), b"s" * 1024,
                                  ("outlet", {f"a short line {len(new)}", "another"}))
out = {}
for mode, batch in (("one", 1), ("batched", Config().commit_every)):
    items = list(copies(int(sys.argv[3]), mode))
    store = rashomon.Store(sys.argv[2] + f".{mode}")
    started = time.perf_counter()
    for n in range(0, len(items), batch):
        store.add_analyses(items[n:n + batch])
    out[mode] = {"commits": len(items), "batch": batch,
                 "seconds": time.perf_counter() - started}
    store.close()
print(json.dumps(out))
"""


def measure_writer(pool: list[str], workdir: Path, articles: int = 20,
                   copies: int = 10) -> dict[str, Any]:
    """Documents/s into a fresh store, one per transaction and in batches."""
    path = workdir / "writer.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in synthetic_corpus(pool, articles)),
                    encoding="utf-8")
    load_before = _load()
    out = subprocess.run([sys.executable, "-c", WRITER_WORKER, str(path),
                          str(workdir / "writer.duckdb"), str(copies)],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    for mode in result.values():
        mode["commits_per_s"] = round(mode["commits"] / mode["seconds"], 1)
    result["load"] = [load_before, _load()]
    return result


BARE_PARSE = """
import json, sys, time, spacy
from rashomon.parse import DEFAULT_BATCH_SIZE, DEFAULT_MODEL
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
nlp = spacy.load(DEFAULT_MODEL)
list(nlp.pipe(texts[:1]))
started = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=DEFAULT_BATCH_SIZE, n_process=int(sys.argv[2])):
    pass
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def measure_parse(corpus: Path, processes: int) -> dict[str, Any]:
    """The bare spaCy parse of the corpus (the floor), model loaded before the clock."""
    load_before = _load()
    out = subprocess.run([sys.executable, "-c", BARE_PARSE, str(corpus), str(processes)],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["seconds"] = round(result["seconds"], 1)
    result["load"] = [load_before, _load()]
    return result


STEPS_BUILD = """
import dataclasses, json, sys, rashomon
from rashomon.analyze import _documents
from rashomon.clean import Deduplicator
from rashomon.clean.repeated import short_lines
from rashomon.pipeline import Config, analyse_documents
from rashomon.store import PendingDocument
records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
analysed = list(analyse_documents(_documents(records), Config(n_process=1)))
def renamed(item, old, new):
    changes = {"document": new} if getattr(item, "document", None) == old else {}
    if isinstance(getattr(item, "id", None), str) and item.id.startswith(old + ":"):
        changes["id"] = new + item.id[len(old):]
    return dataclasses.replace(item, **changes) if changes else item
store, n, batch = rashomon.Store(sys.argv[2]), 0, []
for copy in range(int(sys.argv[3])):
    for one in analysed:
        n += 1
        old = one.result.document.id
        new = f"{old}-{copy}"
        day = f"{2014 + n % 6}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        document = dataclasses.replace(one.result.document, id=new, outlet=f"outlet {n % 5}",
                                       published=day)
        result = dataclasses.replace(one.result, document=document)
        for f in dataclasses.fields(result):
            value = getattr(result, f.name)
            if isinstance(value, list):
                setattr(result, f.name, [renamed(x, old, new) for x in value])
        batch.append(PendingDocument(result, list(one.actors.values()),
                                     Deduplicator.signature(document),
                                     (document.outlet, short_lines(document.text))))
        if len(batch) == 64:
            store.add_analyses(batch)
            batch = []
store.add_analyses(batch)
print(json.dumps({"documents": n, "events": len(store.events())}))
"""

STEPS_MEASURE = """
import json, resource, sys, time
from rashomon.analyze import rebuild_incidents, rebuild_relations
from rashomon.clean import Deduplicator
from rashomon.embed import encode
from rashomon.incidents.features import LEAD_CHARS
from rashomon.store import Store
step, store = sys.argv[1], Store(sys.argv[2])
encode(["warm"], quantized=True)  # the incidents encoder's model is not the step's memory
steps = {
    "texts (what the steps read before)": lambda: store.documents(),
    "near-duplicate signatures": lambda: Deduplicator.from_signatures(store.signatures()),
    "document heads": lambda: store.document_heads(LEAD_CHARS),
    "relations": lambda: rebuild_relations(store),
    "incidents": lambda: rebuild_incidents(store),
}
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
kept = steps[step]()
print(json.dumps({"step": step, "seconds": round(time.perf_counter() - started, 1),
                  "mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base,
                               1)}))
"""
STEPS = ("texts (what the steps read before)", "near-duplicate signatures", "document heads",
         "relations", "incidents")


def measure_steps(pool: list[str], workdir: Path, base: int, scales: tuple[int, ...]
                  ) -> list[dict[str, Any]]:
    """Memory each corpus-level step adds, on stores of ``base`` x scale documents (copies
    of ``base`` analysed articles under new ids, outlets and dates), each in a fresh
    process: the peak resident set above what the process held before the step."""
    path = workdir / "steps.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in distinct_corpus(pool, base, seed=1)),
                    encoding="utf-8")
    found = []
    for scale in scales:
        db = workdir / f"steps-{scale}.duckdb"
        built = json.loads(subprocess.run(
            [sys.executable, "-c", STEPS_BUILD, str(path), str(db), str(scale)],
            capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
        for step in STEPS:
            load_before = _load()
            out = subprocess.run([sys.executable, "-c", STEPS_MEASURE, step, str(db)],
                                 capture_output=True, text=True, check=True).stdout
            found.append({**built, **json.loads(out.strip().splitlines()[-1]),
                          "load": [load_before, _load()]})
    return found


def run(opts: Options) -> dict[str, Any]:
    try:
        import distributed  # noqa: F401
        import psutil  # noqa: F401
    except ImportError as exc:
        raise Skip(f"the cluster extra is not installed ({exc})") from exc
    started = time.time()
    pool = article_pool()
    n = opts.limit or (QUICK_ARTICLES if opts.quick else ARTICLES)
    records = distinct_corpus(pool, n)
    figures: dict[str, Any] = {"articles": n, "words": word_count(records)}
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="rashomon-cluster-") as tmp:
        workdir = Path(tmp)
        corpus = workdir / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        parse = {}
        for processes in (1, 2):
            print(f"[{NAME}] bare parse, {processes} process(es) ...", flush=True)
            parse[processes] = measure_parse(corpus, processes)
        for name, extra in RUNS.items():
            print(f"[{NAME}] {name} ...", flush=True)
            runs[name] = measure_run(corpus, extra, workdir)
            runs[name]["articles_per_s"] = round(runs[name]["stored"] / runs[name]["seconds"], 2)
            floor = parse[2 if name.endswith("2") else 1]["seconds"]
            runs[name]["vs_parse"] = round(runs[name]["seconds"] / floor, 2)
        print(f"[{NAME}] {RUNNING} (extra) ...", flush=True)
        runs[RUNNING] = measure_running_cluster(corpus, workdir)
        runs[RUNNING]["articles_per_s"] = round(runs[RUNNING]["stored"]
                                                / runs[RUNNING]["seconds"], 2)
        runs[RUNNING]["vs_parse"] = round(runs[RUNNING]["seconds"] / parse[2]["seconds"], 2)
        base = max(5, STREAM_BASE // 5) if opts.quick else STREAM_BASE
        stream = []
        for scale in SCALES:
            print(f"[{NAME}] analyze_iter x{scale} ...", flush=True)
            stream.append({"scale": scale, **measure_stream(pool, base * scale, workdir)})
        print(f"[{NAME}] the writer alone ...", flush=True)
        writer = measure_writer(pool, workdir)
        print(f"[{NAME}] corpus-level steps ...", flush=True)
        steps = measure_steps(pool, workdir, STEPS_BASE, STEPS_SCALES)
    figures["writer_commits_per_s"] = writer["one"]["commits_per_s"]
    figures["writer_batched_commits_per_s"] = writer["batched"]["commits_per_s"]
    for name, r in runs.items():  # the four whole-command runs, and the extra one
        figures[f"{name}_articles_per_s"] = r["articles_per_s"]
        figures[f"{name}_vs_parse"] = r["vs_parse"]
    figures["local_efficiency_2"] = round(
        runs["local_p2"]["articles_per_s"] / (2 * runs["local_p1"]["articles_per_s"]), 2)
    figures["dask_efficiency_2"] = round(
        runs["dask_w2"]["articles_per_s"] / (2 * runs["dask_w1"]["articles_per_s"]), 2)
    figures["stream_rss_growth_1x_to_16x"] = round(
        stream[-1]["peak_rss_mib"] / stream[0]["peak_rss_mib"], 2)
    return write_result(NAME, figures, opts, started,
                        details={"runs": runs, "stream": stream, "writer": writer,
                                 "parse": parse, "steps": steps})


def render(result: dict[str, Any]) -> str:
    f, d = result["figures"], result["details"]
    stored = d["runs"]["local_p1"].get("stored", f["articles"])

    def load(r: dict[str, Any]) -> str:
        return "{} / {}".format(*r["load"]) if "load" in r else ""

    lines = [f"{f['articles']:,} articles ({f['words']:,} words; {stored:,} stored, the rest "
             "near-duplicates), "
             f"{machine_line(result['machine'])}. Load: the 1-minute load average before / "
             "after each measurement (2 cores: above 2, others were running).", "",
             "| Runner | Articles/s | Scaling efficiency | Time vs bare parse | Writer peak RSS | "
             "Largest worker peak RSS | Load |", "|---|---|---|---|---|---|---|"]
    labels = {"local_p1": "local, 1 process", "local_p2": "local, 2 processes",
              "dask_w1": "Dask LocalCluster, 1 worker", "dask_w2": "Dask LocalCluster, 2 workers",
              RUNNING: "extra: Dask LocalCluster, 2 workers already running (start-up and "
                       "model load not timed)"}
    efficiency = {"local_p2": f["local_efficiency_2"], "dask_w2": f["dask_efficiency_2"]}
    for name, label in labels.items():
        if name not in d["runs"]:
            continue  # a result from before the extra row
        r = d["runs"][name]
        worker = r["worker_peak_rss_mib"]
        vs_parse = f"{r['vs_parse']:.2f}x" if "vs_parse" in r else ""
        lines.append(f"| {label} | {r['articles_per_s']:.2f} | {efficiency.get(name, '')} | "
                     f"{vs_parse} | {r['writer_peak_rss_mib']:.0f} MiB | "
                     f"{'(in the writer)' if worker is None else f'{worker:.0f} MiB'} | "
                     f"{load(r)} |")
    for processes, r in sorted((d.get("parse") or {}).items()):
        lines.append(f"| bare spaCy parse, {processes} process(es) | "
                     f"{f['articles'] / r['seconds']:.2f} |  | 1.00x |  |  | {load(r)} |")
    writer = d["writer"]
    if "batched" in writer:
        lines += ["", f"The one writer alone commits {writer['one']['commits_per_s']:,} "
                  f"documents/s one per transaction (`Store.add_analysis`) and "
                  f"{writer['batched']['commits_per_s']:,} documents/s "
                  f"{writer['batched']['batch']} per transaction (`Store.add_analyses`, what "
                  f"`analyze` does), analyses made beforehand (load {load(writer)})."]
    else:
        lines += ["", f"The one writer alone commits {f['writer_commits_per_s']:,} "
                  "documents/s (`Store.add_analysis`, analyses made beforehand)."]
    lines += ["", "| analyze_iter | Documents | Seconds | Peak RSS | Load |",
              "|---|---|---|---|---|"]
    for s in d["stream"]:
        lines.append(f"| {s['scale']}x | {s['documents']} | {s['seconds']} | "
                     f"{s['peak_rss_mib']:.0f} MiB | {load(s)} |")
    if d.get("steps"):
        lines += ["", "Corpus-level steps: memory each adds (peak RSS above the process's "
                  "peak before it, so 0 = within what loading took), on stores of copies of "
                  "analysed articles:", "",
                  "| Step | Documents | Events | Seconds | Memory added | Load |",
                  "|---|---|---|---|---|---|"]
        for s in d["steps"]:
            lines.append(f"| {s['step']} | {s['documents']:,} | {s['events']:,} | "
                         f"{s['seconds']} | {s['mib']:.0f} MiB | {load(s)} |")
    return "\n".join(lines) + "\n" + provenance_rows(result)
