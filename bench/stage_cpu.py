"""Process CPU per pipeline stage over documents parsed once (for comparing two checkouts).

    PYTHONPATH=src python bench/stage_cpu.py [--passes 4] [--distinct N]

The speed benchmark's pool (``speed.article_pool``), or ``--distinct N`` articles drawn as
``cluster.distinct_corpus`` draws them (seed 1), is parsed once; then every stage runs over
it ``--passes`` times after a warm-up pass, timed with ``time.process_time`` as the
pipeline's stage clock, BLAS held to one thread as ``pipeline._guarded`` holds it. Before
each pass every Doc's ``user_data`` is put back to what the parse left (the stages cache
tables there, which a fresh parse never has) and dateparser's kept readings are cleared.
Prints the median seconds per pass of each stage and of all of them, as JSON. With
``--vectors``, each pass also encodes its documents' event sentences as a worker does
(``sentence_vectors.WorkerEncoder``, its kept vectors cleared first), timed as "sentence
vectors" and counted in "all". Run it on both checkouts alternately: a shared machine's
load moves these figures more than most changes do.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster import distinct_corpus  # noqa: E402
from speed import article_pool  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=4)
    ap.add_argument("--distinct", type=int, default=0, metavar="N")
    ap.add_argument("--vectors", action="store_true",
                    help="also time the workers' sentence vectors of each pass")
    args = ap.parse_args()

    import rashomon.pipeline as pipeline
    from rashomon import dates
    from rashomon.analyze import _documents
    from rashomon.blas import one_blas_thread
    from rashomon.parse import parse_texts
    from rashomon.sentence_vectors import WorkerEncoder

    pool = article_pool()
    records = distinct_corpus(pool, args.distinct, seed=1) if args.distinct else [
        {"id": f"pool-{i}", "text": text} for i, text in enumerate(pool)]
    documents = list(_documents(records))
    config = pipeline.Config()
    resources = pipeline.Resources(config)
    resources.warm()
    parsed = list(parse_texts([d.text for d in documents], config.model, config.batch_size))
    fresh = [dict(doc.user_data) for doc in parsed]
    # the stage clock: process CPU instead of wall time
    pipeline.time = types.SimpleNamespace(perf_counter=time.process_time,
                                          monotonic=time.monotonic)

    def one_pass() -> dict[str, float]:
        dates._parsed.cache_clear()
        for doc, data in zip(parsed, fresh, strict=True):
            doc.user_data.clear()
            doc.user_data.update(data)
        seconds: dict[str, float] = {}
        analysed_all = []
        for document, doc in zip(documents, parsed, strict=True):
            analysed = pipeline.analyse_parsed(document, doc, resources, config.stages)
            analysed_all.append(analysed)
            for stage, spent in analysed.timings.items():
                seconds[stage] = seconds.get(stage, 0.0) + spent
        if args.vectors:
            encoder._cache.clear()  # every sentence encoded, as in a fresh worker
            started = time.process_time()
            encoder.add_to(analysed_all)
            seconds["sentence vectors"] = time.process_time() - started
        return seconds

    encoder = WorkerEncoder()
    with one_blas_thread():
        one_pass()  # warm-up: models, lexicons and the process-wide caches
        runs = [one_pass() for _ in range(args.passes)]
    medians = {stage: statistics.median(r[stage] for r in runs) for stage in runs[0]}
    medians["all"] = statistics.median(sum(r.values()) for r in runs)
    print(json.dumps({stage: round(s, 4) for stage, s in medians.items()}))


if __name__ == "__main__":
    main()
