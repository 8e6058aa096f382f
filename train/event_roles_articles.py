"""Measure role models trained with the development articles' gold as extra role rows,
by leave-articles-out cross-validation of the whole events figure (not shipped: see the
model card ``src/rashomon/models/event_roles.md``, "Article rows").

Usage (from the repository root; 2 cores, about 20 minutes: five folds, each refitting
the role model and, for the honest figure, the gate on the other folds' articles)::

    PYTHONPATH=src python train/event_roles_articles.py --weights 1,3
    PYTHONPATH=src python train/event_roles_articles.py --plv-only  # a role model change
    PYTHONPATH=src python train/event_roles_articles.py --plv-only --policies 0.9/1.01/0.8
    # type models and gate thresholds: each directory's pair (its type model, its gate's
    # threshold and recipe) at each threshold, pooled over three splits of the articles
    PYTHONPATH=src python train/event_roles_articles.py --plv-only --policies 1.01/1.01/0.8 \
        --models SHIPPED REFIT --thresholds 0.2,0.225,0.25,0.275 --seeds 0,1,2

Rows: every candidate (``train/event_roles.py``'s role frames) whose trigger lies in a gold
event's evidence; each actor mention of its sentence is labelled source or target when its
actor stands for the gold event's acceptable source or target (``score.py``'s actor map),
else none. The gold lists every acceptable actor ("Iraq", "the Iraqi government", "Maliki"),
so one mention per role is kept as the positive (the rules' own if acceptable, else the
nearest on the parse) and the other acceptable mentions are left out, as PLV marks one span.

Figures: pooled events P / R / F1 of the 26 articles, each fold's articles coded with a role
model fitted on PLV and the other folds' articles, scored as ``score.py`` scores them, with
the shipped type model and (a) the shipped gate (trained on all 26 articles with the
shipped roles, so biased to them) or (b) a gate refitted on the other folds' articles
found with the fold's roles (``train/event_cv.py``'s recipe; PLV gate rows from the shipped
roles).
"""

from __future__ import annotations

import argparse
import sys
from itertools import groupby
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import KFold

sys.path.insert(0, str(Path(__file__).resolve().parent))

import event_cv  # noqa: E402
import event_roles as er  # noqa: E402

from rashomon.events.coder import (  # noqa: E402
    aim_at_intended_targets,
    drop_partial_tellings,
    extract_events,
)
from rashomon.events.role_model import RoleModel  # noqa: E402
from rashomon.events.typing_model import (  # noqa: E402
    EventModel,
    dense_rows,
    featurize,
    load_event_model,
)
from rashomon.models import LinearModel  # noqa: E402

SHARED = er.ROOT.parent / "shared"
ARTICLES = ((SHARED / "corpus" / "dev.jsonl", SHARED / "gold" / "dev"),
            (SHARED / "corpus" / "corpus.jsonl", SHARED / "gold"))
#: A policy's thresholds as ``--policies`` spells them (the last optional).
POLICY_FIELDS = ("switch", "drop", "fill", "fill_governed")
#: Decision policies measured (see rashomon.events.role_model.RoleModel).
POLICIES = [{"switch": s, "drop": d, "fill": f} for s, d, f in (
    (1.01, 1.01, 0.8), (1.01, 1.01, 0.65), (1.01, 0.9, 0.65))]


def parse_policies(text: str) -> list[dict[str, float]]:
    """``--policies``: "1.01/1.01/0.8,1.01/1.01/0.8/0.6" -> one dict per policy; a policy
    without its fourth field fills a governed target at ``fill`` (``RoleModel``'s default),
    not at the shipped meta's ``fill_governed``."""
    return [dict(zip(POLICY_FIELDS, map(float, p.split("/")), strict=False))
            for p in text.split(",")]


def _path_length(row: dict[str, Any]) -> int:
    """Arcs on the path from the trigger to a row's head (far and outside count long)."""
    for feature in row["features"]:
        if feature.startswith("path="):
            path = feature[len("path="):]
            return {"far": 6, "none": 8, "self": 0}.get(path, len(path.split(" ")))
    return 9


def frame_labels(frame: dict[str, Any], event: dict[str, Any], gold_of: Any,
                 ) -> list[str | None]:
    """Each row's label for one gold ``event`` (None: left out); ``gold_of``: a system
    actor id -> the gold actor ids it stands for."""
    labels: list[str | None] = []
    for row in frame["rows"]:
        ids = gold_of(row["actor"])
        is_source = bool(ids & set(event.get("source") or []))
        is_target = bool(ids & set(event.get("target") or []))
        if is_source and is_target:
            labels.append(None)
        elif is_source:  # an acceptable source where any is accepted proves nothing
            labels.append(None if event.get("source_optional") else "source")
        elif is_target:
            labels.append(None if event.get("target_optional") else "target")
        elif event.get("source_optional") or event.get("target_optional"):
            labels.append(None)  # any actor is accepted in a role: "none" is unknown
        else:
            labels.append("none")
    for role in ("source", "target"):  # one positive per role, as PLV marks one span
        rows = [k for k, label in enumerate(labels) if label == role]

        def key(k: int, role: str = role) -> tuple[int, int, int]:
            row = frame["rows"][k]
            return (0 if row["rule"] in (role, f"actor_{role}") else 1, _path_length(row),
                    abs(row["span"][0] - frame["trigger"][0]))
        best = min(rows, key=key, default=None)
        labels = [None if label == role and k != best else label
                  for k, label in enumerate(labels)]
    return labels


def _frame_quad(frame: dict[str, Any]) -> str | None:
    for row in frame["rows"]:
        for feature in row["features"]:
            if feature.startswith("quad_first="):
                return feature[len("quad_first="):].split("|")[0]
    return None


def article_examples(doc_id: str, context: tuple, gold: dict[str, Any], amap: Any,
                     score: Any) -> list[dict[str, Any]]:
    """Role examples of one article (a candidate inside the evidence of gold events that
    disagree on its roles is left out; those of its own quad are preferred)."""
    doc, resolution, places, dates, resources = context
    frames = er.role_frames(doc, doc_id, resolution, places, dates, resources)
    spans = [(ge, score.find_span(doc.text, ge["evidence"])) for ge in gold.get("events", [])]
    out = []
    for frame in frames:
        a, b = frame["trigger"]
        matched = [ge for ge, span in spans if span is not None and a < span[1] and span[0] < b]
        matched = [ge for ge in matched if _frame_quad(frame) in ge["quad"]] or matched
        labellings = [frame_labels(frame, ge, amap.gold_of) for ge in matched]
        if not frame["rows"] or not labellings or any(x != labellings[0] for x in labellings):
            continue
        out.append({"sentence": {"id": f"{doc_id}@{a}", "text": doc.text[a:b], "spans": {},
                                 "source": "article"},
                    "frame": frame, "labels": labellings[0]})
    return out


def parse_articles(score: Any) -> dict[str, tuple]:
    """Each article's parse (cleaned as ``rashomon analyze`` cleans it), gold, actor map."""
    out = {}
    for corpus, gold_dir in ARTICLES:
        gold_actors, gdocs, _ = score.load_gold(str(gold_dir), None)
        for doc_id, context in event_cv.parse_inputs(corpus).items():
            gold = gdocs.get(score.doc_key(doc_id))
            if gold is not None:
                out[doc_id] = (context, gold, score.ActorMap(gold_actors, [
                    {"id": a.id, "name": a.name, "aliases": list(a.aliases or [])}
                    for a in context[1].actors.values()]))
    return out


def events_score(articles: dict[str, tuple], doc_ids: list[str], roles: RoleModel,
                 score: Any, model: EventModel, thresholds: list[float] | None = None,
                 ) -> dict[float, dict[str, int]]:
    """Matched and total gold and system events of ``doc_ids``, as ``score.py`` counts, per
    gate threshold (default: the model's own). The events are decided once at the lowest
    threshold; each threshold keeps those at least as confident, and the intended targets
    are lent among the kept events only, as the pipeline lends them, before the partial
    tellings are dropped (the salience model orders events and changes none, so it is
    left out)."""
    thresholds = thresholds or [model.threshold]
    own = model.threshold
    got = {t: {"gold": 0, "gold_hit": 0, "sys": 0, "sys_tp": 0} for t in thresholds}
    for doc_id in doc_ids:
        (doc, resolution, places, dates, resources), gold, amap = articles[doc_id]
        kb = resources.kb
        model.threshold = min(thresholds)
        try:
            events = extract_events(doc, doc_id, resolution, places, dates,
                                    lexicon=resources.event_lexicon, cues=resources.cues,
                                    states={c: kb.actors[i] for c, i in kb.states.items()},
                                    model=model, roles=roles, salience=False)
        finally:
            model.threshold = own
        targets = [e.target for e in events]
        gitems = [(ge, score.find_span(doc.text, ge["evidence"])) for ge in gold["events"]]

        def match(se: Any, ge: dict[str, Any], span: tuple[int, int] | None,
                  amap: Any = amap) -> bool:
            return span is not None and score.overlaps(se.start, se.end, *span) and all(
                score.role_ok(getattr(se, r), ge.get(r), ge.get(f"{r}_optional", False), amap)
                for r in ("source", "target")) and se.quad in ge["quad"]

        for t, total in got.items():
            for event, target in zip(events, targets, strict=True):
                event.target = target
            # the gate keeps p >= t; an event's confidence is p rounded to 3 places
            kept = [e for e in events if model.gate is None or e.confidence >= round(t, 3)]
            kept = drop_partial_tellings(doc, aim_at_intended_targets(doc, kept))
            total["gold"] += len(gitems)
            total["gold_hit"] += sum(any(match(se, ge, sp) for se in kept) for ge, sp in gitems)
            total["sys"] += len(kept)
            total["sys_tp"] += sum(any(match(se, ge, sp) for ge, sp in gitems) for se in kept)
    return got


def prf(got: dict[str, int]) -> tuple[float, float, float]:
    p = got["sys_tp"] / got["sys"] if got["sys"] else 0.0
    r = got["gold_hit"] / got["gold"] if got["gold"] else 0.0
    return round(p, 3), round(r, 3), round(2 * p * r / (p + r) if p + r else 0.0, 3)


class GateFitter:
    """Refits the shipped gate's recipe on some articles' candidates found with a role
    model (``train/event_type.py``), beside PLV gate rows found with the shipped roles."""

    def __init__(self, articles: dict[str, tuple], score: Any, shipped: EventModel,
                 cache: Path | None = None) -> None:
        self.et = event_cv._load("event_type")
        if cache is not None:
            self.et.CACHE = cache
        self.articles, self.score = articles, score
        self.shipped = shipped
        self.layout = self.shipped.layouts.get("typer", {})
        self.gate_layout = self.shipped.layouts.get("gate", {})
        self.et.DENSE_SCALE = float(self.shipped.typer.meta.get("figures", {}).get(
            "dense_scale", 0.0))
        self.gate_weight = float(self.shipped.gate.meta.get("figures", {}).get(
            "plv_gate_weight", self.et.PLV_GATE_WEIGHT))
        self.emb = self.et.Embeddings() if self.shipped.embeds else (
            lambda texts: np.zeros((len(texts), 384), dtype=np.float32))
        plv = self.et.load_plv()
        probes = self.et.probe_documents(
            [self.et.Document(id=r["id"], text=r["text"]) for r in plv], "plv")
        chosen = [self.et.plv_choose(r, probes[r["id"]]) for r in plv]
        self.lex = next(iter(articles.values()))[0][4].event_lexicon
        self.xp, self.yp, _ = self.et.plv_gate_rows(
            plv, probes, chosen, self.emb([r["text"] for r in plv]), self.shipped.typer,
            self.lex, self.gate_layout)

    def __call__(self, roles: RoleModel, doc_ids: list[str]) -> EventModel:
        cands, quads = [], []
        for doc_id in doc_ids:
            context, gold, amap = self.articles[doc_id]
            probe = event_cv.type_probe(doc_id, context, roles)
            spans = [(ge, self.score.find_span(probe["text"], ge["evidence"]))
                     for ge in gold["events"]]
            for cand in probe["candidates"]:
                se, ok = cand.event, set()
                for ge, span in spans:
                    if span is not None and self.score.overlaps(se.start, se.end, *span) and all(
                            self.score.role_ok(getattr(se, r), ge.get(r),
                                               ge.get(f"{r}_optional", False), amap)
                            for r in ("source", "target")):
                        ok |= set(ge["quad"])
                cands.append(cand)
                quads.append(ok)
        typer = self.shipped.typer
        dense = self.emb([c.event.sentence for c in cands])
        EventModel(typer, None).retype(cands, featurize(
            [c.features for c in cands], dense_rows(cands, self.layout, dense)), self.lex)
        typed = [k for k, c in enumerate(cands) if c.event.type != "OPEN"]
        xg = featurize([cands[k].features + [f"final={cands[k].event.type}"] for k in typed],
                       dense_rows([cands[k] for k in typed], self.gate_layout, dense[typed]))
        yg = [int(cands[k].event.quad in quads[k]) for k in typed]
        gate = LinearModel.from_sklearn(self.et.fit(
            np.vstack([xg, self.xp]), yg + self.yp, self.et.GATE_C,
            np.concatenate([np.ones(len(yg)), np.full(len(self.yp), self.gate_weight)])))
        gate.meta = {"threshold": self.shipped.threshold, "dense": self.gate_layout,
                     "embedding": "sentence" if self.shipped.embeds else "none"}
        model = EventModel(typer, gate)
        model.threshold = self.shipped.threshold
        return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default="1,3", help="article rows' weights (PLV 1)")
    parser.add_argument("--c", type=float, default=er.ROLE_C)
    parser.add_argument("--plv-only", action="store_true",
                        help="only the PLV-trained role model (no article rows): the honest "
                             "figure of a change to the role model's features or policy")
    parser.add_argument("--policies", help="the PLV-only model's policies to measure, "
                        "switch/drop/fill[/fill_governed] separated by commas (a "
                        "governed target's fill defaults to fill, not the shipped meta's; "
                        "default: the first two of POLICIES)")
    parser.add_argument("--models", nargs="+", type=Path, default=[None],
                        help="directories holding the type model and gate to measure (their "
                             "type model, gate threshold and gate recipe; default: the "
                             "package's); each is measured on the same folds")
    parser.add_argument("--thresholds", help="gate thresholds to measure, separated by "
                        "commas (default: each gate's own)")
    parser.add_argument("--seeds", default="0", help="splits of the articles into folds, "
                        "separated by commas (each a KFold shuffle seed; the figures pool "
                        "every split's counts; default 0, the figure the model cards quote)")
    parser.add_argument("--cache", type=Path, help="train/event_type.py's probe cache "
                        "(default: its own)")
    args = parser.parse_args()
    plv_policies = POLICIES[:2] if not args.policies else parse_policies(args.policies)
    thresholds = [float(t) for t in args.thresholds.split(",")] if args.thresholds else None
    score = event_cv._load("event_type").load_scorer()
    articles = parse_articles(score)
    examples = {d: article_examples(d, a[0], a[1], a[2], score) for d, a in articles.items()}
    docs = sorted(articles)
    plv, _ = er.load_examples()
    shipped = {str(d or "package"): load_event_model(str(d) if d else None)
               for d in args.models}
    gates = {name: GateFitter(articles, score, model, args.cache)
             for name, model in shipped.items()}
    variants = [("plv", 0.0, p) for p in plv_policies] + ([] if args.plv_only else [
        ("articles", float(w), p) for w in args.weights.split(",") for p in POLICIES])
    totals: dict[tuple[str, str, str, float], dict[str, int]] = {}
    by_split: dict[tuple[str, str, str, str, float], dict[str, int]] = {}
    splits = [(seed, fold) for seed in args.seeds.split(",")
              for fold in KFold(5, shuffle=True, random_state=int(seed)).split(docs)]
    for seed, (train, test) in splits:
        train_docs, test_docs = [docs[i] for i in train], [docs[i] for i in test]
        fits: dict[tuple[str, float], LinearModel] = {}
        for name, weight, policy in variants:
            if (name, weight) not in fits:
                extra = [e for d in train_docs for e in examples[d]] if weight else []
                fits[name, weight] = er.fit(plv + extra, {"plv": 1.0, "article": weight},
                                            args.c)
            linear = fits[name, weight]
            linear.meta = dict(policy)
            roles = RoleModel(linear)
            label = f"{name} w={weight:g} {er.policy_name(policy)}"
            for models, model in shipped.items():
                for gate, fitted in (("shipped gate", model),
                                     ("refitted gate", gates[models](roles, train_docs))):
                    got = events_score(articles, test_docs, roles, score, fitted, thresholds)
                    for t, counts in got.items():
                        for total in (totals.setdefault((models, gate, label, t),
                                                        dict.fromkeys(counts, 0)),
                                      by_split.setdefault((seed, models, gate, label, t),
                                                          dict.fromkeys(counts, 0))):
                            for key, value in counts.items():
                                total[key] += value
    if len({seed for seed, _ in splits}) > 1:
        for (seed, models, gate, label, t), got in sorted(by_split.items()):
            where = f"{models} " if len(shipped) > 1 else ""
            print(f"split {seed} {where}{gate:14s} {label:45s} threshold {t:.3f} "
                  f"P/R/F1 {prf(got)}")
    for (models, gate, label, t), got in sorted(totals.items()):
        where = f"{models} " if len(shipped) > 1 else ""
        print(f"{where}{gate:14s} {label:45s} threshold {t:.3f} P/R/F1 {prf(got)}")
    if thresholds and len(thresholds) > 1:
        # the threshold to ship with these models: the best refitted gates' events F1 of
        # the articles out of fold (ties: the lower threshold, more events found)
        for (models, gate, label), rows in groupby(sorted(totals.items()),
                                                   key=lambda item: item[0][:3]):
            if gate == "refitted gate":
                f1, t = max((prf(got)[2], -key[3]) for key, got in rows)
                print(f"{models} {label}: best threshold {-t:.3f} (F1 {f1})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
