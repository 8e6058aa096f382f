"""The "attributions" claims scope's steps checked out of sample on PolNeAR train.

    PYTHONPATH=src nice python train/attribution_scope_cv.py [--cache /tmp/claims-cache]
        [--sample N] [--split-seed 7] [--dev] [--out FILE.json]

The scope (``rashomon.claims.SCOPES``) was built in three steps, each measured on PolNeAR
dev: (1) per-kind thresholds for a learned cue's object, infinitive and prepositional
object (``learned.BROAD_SLOTS``) with nested attributions left out; (2) a learned cue's
source may be a common noun whatever the cue's probability; (3) an object naming an actor
or counting may be content. Here each is measured on train articles instead, cross-fitted
so that no scorer is scored on an article it was trained on: the train articles are split
in two halves by article (``--split-seed``); on one half the cue, content and source
scorers are fitted as ``train/attribution.py`` and ``train/attribution_roles.py`` fit them
(C as shipped: 0.3, 0.3, 1.0; the cue and content thresholds by 5-fold cross-validation by
article inside the half), and so are the per-kind thresholds (the content scorer's
out-of-fold probabilities of the run-time decision, best slot per cue, coordinate ascent
over 0.20-0.95, the clausal threshold fixed at the content scorer's own); the pipeline
with those scorers then reads the other half (``--sample`` articles of it, all by
default), once per step, and ``bench/polnear.py``'s ``score_polnear`` scores each.
``--dev`` instead runs the steps with the shipped scorers on PolNeAR dev (a check of this
harness against the bench).

Only the stages the claims need run (places, actors, claims); the claims of every step come
from one parse of each article.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from attribution import DATA, FOLDS, SEED, best_threshold, matrix, out_of_fold, parsed, vocabulary
from attribution import examples as cue_examples
from attribution_roles import examples as role_examples
from sklearn.linear_model import LogisticRegression

import rashomon.claims.learned as learned
from rashomon.analyze import analyze_iter
from rashomon.claims import SCOPES, ClaimsScope, extract_claims
from rashomon.claims.model import CueScorer, SparseScorer
from rashomon.models import LinearModel
from rashomon.pipeline import Config, StageContext
from rashomon.registry import stage

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from polnear import DEV, Article, load_polnear, score_polnear  # noqa: E402

HALVES = 2
C_CUE, C_CONTENT, C_SOURCE = 0.3, 0.3, 1.0  # as shipped (models/attribution_*.md)
GRID = [round(x, 2) for x in np.arange(0.2, 0.96, 0.05)]

# The steps of the scope, cumulative as built, and two ablations (``ClaimsScope``'s fields)
STEPS: dict[str, ClaimsScope] = {
    "news (default scope)": SCOPES["news"],
    "1a per-kind thresholds only (nested kept)": ClaimsScope("1a", slot_thresholds=True),
    "1 per-kind thresholds, nested left out": ClaimsScope("1", slot_thresholds=True,
                                                          univocal=True),
    "1+2 + common-noun sources": ClaimsScope("1+2", slot_thresholds=True, univocal=True,
                                             common_noun_sources=True),
    "1+3 + actor/count objects (no 2)": ClaimsScope("1+3", slot_thresholds=True,
                                                    univocal=True, acts_on_objects=True),
    "1+2+3 shipped scope": SCOPES["attributions"],
}
_RESULTS: dict[str, dict[str, list[dict[str, Any]]]] = {}
_TEXTS: dict[str, str] = {}


def _use_scorers(cue: CueScorer, content: SparseScorer, source: SparseScorer,
                 slots: dict[str, float]) -> None:
    learned.load_scorer = lambda: cue
    learned.load_content_scorer = lambda: content
    learned.load_source_scorer = lambda: source
    learned.BROAD_SLOTS = slots


@stage("claims_steps")
def claims_steps(ctx: StageContext) -> None:
    """The claims of every step of ``STEPS`` from one parse of the document."""
    _TEXTS[ctx.document.id] = ctx.document.text
    for name, scope in STEPS.items():
        claims = extract_claims(ctx.doc, ctx.document.id, ctx.resolution,
                                cues=ctx.resources.cues, scope=scope)
        _RESULTS.setdefault(name, {})[ctx.document.id] = [c.to_dict() for c in claims]


def run_steps(articles: list[Article]) -> dict[str, dict[str, Any]]:
    """Each step's overlap figures on ``articles`` with the scorers in place now."""
    _RESULTS.clear()
    _TEXTS.clear()
    config = Config(stages=["places", "actors", "claims_steps"], n_process=1, doc_timeout=0)
    for _ in analyze_iter([{"id": a.name, "text": a.text} for a in articles], config=config):
        pass
    documents = [{"id": k, "text": v} for k, v in _TEXTS.items()]
    out = {}
    for name in STEPS:
        claims = [c for doc in _RESULTS.get(name, {}).values() for c in doc]
        fig = score_polnear(articles, {"documents": documents, "claims": claims})
        out[name] = {k: round(fig[k], 4) for k in ("overlap_precision", "overlap_recall",
                                                   "overlap_f1")} | {"claims": fig["claims"]}
        print(f"  {name}: P {fig['overlap_precision']:.4f} R {fig['overlap_recall']:.4f} "
              f"F1 {fig['overlap_f1']:.4f} ({fig['claims']} claims)", flush=True)
    return out


def slot_thresholds(kinds: list[str], y: np.ndarray, p: np.ndarray, cue: np.ndarray,
                    clausal: float) -> dict[str, float]:
    """Per-kind thresholds of the run-time decision (best slot per cue) maximising the F1
    of the out-of-fold probabilities ``p``; clausal slots keep the scorer's threshold."""
    cls = np.array(["clausal" if k in ("ccomp", "parataxis", "head") or k.endswith("_marked")
                    else "dobj" if k in ("dobj", "attr", "oprd") else k if k == "xcomp"
                    else "other" for k in kinds])
    order = np.argsort(cue, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(cue[order])) + 1)
    best = np.array([g[p[g].argmax()] for g in groups])
    positives = sum(1 for g in groups if y[g].any())

    def f1(thr: dict[str, float]) -> float:
        ok = np.array([p[b] >= thr[cls[b]] for b in best])
        tp = int((y[best].astype(bool) & ok).sum())
        prec, rec = tp / max(int(ok.sum()), 1), tp / max(positives, 1)
        return 2 * prec * rec / max(prec + rec, 1e-9)

    thr = {"clausal": clausal, "dobj": 0.75, "xcomp": 0.75, "other": 0.75}
    for _ in range(2):  # coordinate ascent, as for the shipped BROAD_SLOTS
        for k in ("dobj", "xcomp", "other"):
            thr[k] = max(GRID, key=lambda t, k=k: f1({**thr, k: t}))
    return {"dobj": thr["dobj"], "attr": thr["dobj"], "oprd": thr["dobj"],
            "xcomp": thr["xcomp"], "other": thr["other"]}


def _fit(feats: list[list[str]], y: np.ndarray, c: float, positive: str,
         threshold: float) -> LinearModel:
    index = vocabulary(feats)
    clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
    clf.fit(matrix(feats, index), y)
    clf.classes_ = np.array(["other", positive])
    return LinearModel.from_sklearn(clf, {"features": index, "threshold": threshold})


def fit_scorers(articles: list[Article], docs: list[Any]) -> tuple[Any, ...]:
    """The three scorers and the per-kind thresholds fitted on ``articles`` alone."""
    inner = np.random.default_rng(SEED).permutation(len(articles)) % FOLDS
    feats, labels, groups = cue_examples(articles, docs)
    y = np.array(labels)
    t_cue, fig = best_threshold(y, out_of_fold(feats, y, inner[np.array(groups)], C_CUE))
    print(f"  cue: {len(y)} candidates, CV threshold {t_cue} {fig}", flush=True)
    cue = CueScorer(_fit(feats, y, C_CUE, "cue", t_cue))
    content, source = role_examples(articles, docs)
    cf, cl, cg, cc = content
    y = np.array(cl)
    p = out_of_fold(cf, y, inner[np.array(cg)], C_CONTENT)
    t_content, fig = best_threshold(y, p)
    kinds = [next(f[2:] for f in fs if f.startswith("K=")) for fs in cf]
    slots = slot_thresholds(kinds, y, p, np.array(cc), t_content)
    print(f"  content: {len(y)} pairs, CV threshold {t_content} {fig}; per kind {slots}",
          flush=True)
    content_scorer = SparseScorer(_fit(cf, y, C_CONTENT, "content", t_content), "content")
    source_scorer = SparseScorer(_fit(source[0], np.array(source[1]), C_SOURCE, "source",
                                      0.5), "source")
    return cue, content_scorer, source_scorer, slots, {"cue_threshold": t_cue,
                                                        "content_threshold": t_content}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/claims-cache"))
    ap.add_argument("--sample", type=int, default=0, help="articles per held-out half")
    ap.add_argument("--dev", action="store_true", help="shipped scorers on PolNeAR dev")
    ap.add_argument("--split-seed", type=int, default=SEED, help="seed of the halves")
    ap.add_argument("--out", type=Path, help="write the figures here (JSON)")
    args = ap.parse_args()
    started = time.time()
    report: dict[str, Any] = {}
    if args.dev:
        report["dev"] = run_steps(load_polnear(DEV))
    else:
        articles = load_polnear(DATA / "train")
        docs = parsed(articles, args.cache, "train")
        half = np.random.default_rng(args.split_seed).permutation(len(articles)) % HALVES
        for fold in range(HALVES):
            fit_idx, test_idx = np.flatnonzero(half != fold), np.flatnonzero(half == fold)
            print(f"fold {fold}: fit on {len(fit_idx)} articles", flush=True)
            *scorers, slots, thresholds = fit_scorers([articles[i] for i in fit_idx],
                                                      [docs[i] for i in fit_idx])
            _use_scorers(*scorers, slots)
            held = [articles[i] for i in test_idx]
            if args.sample:
                held = sorted(random.Random(SEED + fold).sample(held, min(args.sample,
                                                                          len(held))),
                              key=lambda a: a.name)
            print(f"fold {fold}: scoring {len(held)} held-out articles", flush=True)
            report[f"fold{fold}"] = {"fit_articles": len(fit_idx), "scored_articles": len(held),
                                     "broad_slots": slots, **thresholds,
                                     "steps": run_steps(held)}
    report["seconds"] = round(time.time() - started)
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
