"""Cross-validation folds for ``bench/plv_train.py``: the event models refitted without each
fold of PLV, so that the PLV rows of the development table are out-of-fold figures.

``cross_validation_folds(records, k)`` yields ``(held_out_records, config)`` pairs: the
config's event stage uses a role model (``train/event_roles.py``), a type model and a gate
(``train/event_type.py``) fitted the way the shipped ones are (their settings read from the
shipped models' meta: role policy, override, threshold, embedding, PLV weight in the gate) on
everything except the held-out PLV sentences:

* roles: the other PLV folds and the ConfliBERT sentences whose text is not held out;
* type: the other PLV folds' chosen candidates (found with the fold's role model);
* gate: the 26 development articles' candidates (found with the fold's role model, typed
  by the fold's type model) and the other PLV folds' candidates;
* salience (``train/event_salience.py``): the other PLV folds' events, each analysed by
  models refitted without it (nested: k - 1 inner folds of the training folds).

Every document is parsed once; each fold re-runs only the candidate finder on the parses.
"""

from __future__ import annotations

import importlib.util
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sklearn.model_selection import KFold

from rashomon.analyze import analyze_inputs
from rashomon.events.coder import extract_events, find_candidates
from rashomon.events.role_model import RoleModel, load_role_model
from rashomon.events.salience import SalienceModel, load_salience_model
from rashomon.events.typing_model import EventModel, dense_rows, featurize, load_event_model
from rashomon.models import LinearModel
from rashomon.pipeline import Config, StageContext, analyse_documents
from rashomon.registry import stage
from rashomon.store import Store
from rashomon.types import Document

TRAIN = Path(__file__).resolve().parent
CONTEXT_STAGES = ["places", "dates", "actors", "event_cv_context"]


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"train_{name}", TRAIN / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_contexts: dict[str, tuple] = {}


@stage("event_cv_context")
def _context_stage(ctx: StageContext) -> None:
    _contexts[ctx.document.id] = (ctx.doc, ctx.resolution, ctx.result.places,
                                  ctx.result.dates, ctx.resources)


def parse_documents(documents: list[Document]) -> dict[str, tuple]:
    """Each document's parse and stage results before the event stage."""
    _contexts.clear()
    for _ in analyse_documents(documents, Config(stages=CONTEXT_STAGES, n_process=1)):
        pass
    return dict(_contexts)


def parse_inputs(path: Path) -> dict[str, tuple]:
    """The same for a corpus file, cleaned as ``rashomon analyze`` cleans it."""
    _contexts.clear()
    with tempfile.TemporaryDirectory() as tmp:
        analyze_inputs([path], Store(Path(tmp) / "t.duckdb"),
                       Config(stages=CONTEXT_STAGES, n_process=1))
    return dict(_contexts)


def type_probe(document_id: str, context: tuple, roles: RoleModel | None) -> dict[str, Any]:
    """What ``train/event_type.py`` reads of a document: candidates, mentions, actors."""
    doc, resolution, places, dates, resources = context
    kb = resources.kb
    cands = find_candidates(doc, document_id, resolution, places, dates,
                            lexicon=resources.event_lexicon, cues=resources.cues,
                            states={c: kb.actors[i] for c, i in kb.states.items()},
                            roles=roles)
    return {"text": doc.text, "candidates": cands,
            "mentions": [(m.start, m.end, m.actor) for m in resolution.mentions],
            "actors": {a.id: {"id": a.id, "name": a.name, "aliases": list(a.aliases or [])}
                       for a in resolution.actors.values()}}


class FoldFitter:
    """The event models refitted on any subset of PLV (with the other training data), the
    documents parsed once."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        et, er = _load("event_type"), _load("event_roles")
        self.et, self.er = et, er
        shipped, shipped_roles = load_event_model(), load_role_model()
        self.override = float(shipped.typer.meta.get("override", 0.0)) if shipped.typer \
            else 0.0
        self.override_same_quad = float(shipped.typer.meta.get(
            "override_same_quad", self.override)) if shipped.typer else self.override
        self.threshold = shipped.threshold
        self.embedding = bool(shipped.embeds)
        self.layout = shipped.layouts.get("typer", {})
        self.gate_layout = shipped.layouts.get("gate", {})
        # the typer's dense columns scaled for fitting as the shipped one's were
        et.DENSE_SCALE = float((shipped.typer.meta if shipped.typer else {}).get(
            "figures", {}).get("dense_scale", 0.0))
        self.gate_weight = float((shipped.gate.meta if shipped.gate else {}).get(
            "figures", {}).get("plv_gate_weight", et.PLV_GATE_WEIGHT))
        self.policy = {"switch": shipped_roles.switch, "drop": shipped_roles.drop,
                       "fill": shipped_roles.fill,
                       "fill_governed": shipped_roles.fill_governed} if shipped_roles else {}
        role_data = shipped_roles.model.meta.get("data", []) if shipped_roles else []
        use_cameo = any("ConfliBERT" in d for d in role_data)
        self.role_c = float(shipped_roles.model.meta.get("c", er.ROLE_C)) if shipped_roles \
            else er.ROLE_C
        self.cameo_weight = float(shipped_roles.model.meta.get("cameo_weight", 0.0)) \
            if shipped_roles else 0.0

        plv_rows = {r["id"][3:]: r for r in et.load_plv()}  # "plv123" -> row
        self.plv = plv = [plv_rows[r["id"].split("-", 1)[1]] for r in records]
        role_sentences = {s["id"].split("-", 1)[1]: s for s in er.plv_sentences()}
        cameo = er.conll_sentences() if use_cameo else []
        self.contexts = contexts = parse_documents(
            [Document(id=r["id"], text=r["text"]) for r in plv]
            + [Document(id=s["id"], text=s["text"]) for s in cameo])
        self.articles = [
            (parse_inputs(et.SHARED / "corpus" / "dev.jsonl"), et.SHARED / "gold" / "dev"),
            (parse_inputs(et.SHARED / "corpus" / "corpus.jsonl"), et.SHARED / "gold")]
        self.score = et.load_scorer()
        self.emb = et.Embeddings() if self.embedding else (
            lambda texts: np.zeros((len(texts), 384), dtype=np.float32))
        # role rows with the rules' readings: they do not depend on any model
        self.lex = next(iter(contexts.values()))[4].event_lexicon
        role_probes = {doc_id: {"frames": er.role_frames(c[0], doc_id, *c[1:4], c[4])}
                       for doc_id, c in contexts.items()}
        self.plv_examples = er.examples(
            [role_sentences[r["id"][3:]] for r in plv],
            {role_sentences[r["id"][3:]]["id"]: role_probes[r["id"]] for r in plv})
        self.cameo_examples = er.examples(cameo, role_probes) if cameo else []

    def fit(self, train: list[int]) -> tuple[EventModel, RoleModel]:
        """The type model, gate and role model fitted without the PLV rows not in ``train``."""
        et, er, plv, emb = self.et, self.er, self.plv, self.emb
        kept = set(train)
        held_texts = {er._norm(plv[i]["text"]) for i in range(len(plv)) if i not in kept}
        roles = er.fold_model([self.plv_examples[i] for i in train], self.cameo_examples,
                              held_texts, self.policy,
                              {"plv": 1.0, "cameo": self.cameo_weight}, self.role_c)
        # type model on the training folds' chosen candidates, found with the fold's roles
        train_rows = [plv[i] for i in train]
        probes = {r["id"]: type_probe(r["id"], self.contexts[r["id"]], roles)
                  for r in train_rows}
        chosen = [et.plv_choose(r, probes[r["id"]]) for r in train_rows]
        vectors = emb([r["text"] for r in train_rows])
        x = featurize([c.features if c else ["none"] for c in chosen],
                      dense_rows(chosen, self.layout, vectors))
        typer = LinearModel.from_sklearn(et.fit(x, [r["root"] for r in train_rows], et.TYPE_C))
        typer.meta = {"override": self.override, "override_same_quad": self.override_same_quad,
                      "dense": self.layout,
                      "embedding": "sentence" if self.embedding else "none"}
        # gate on the articles' candidates and the training folds' PLV candidates
        records_g = []
        for parsed, gold in self.articles:
            records_g += et.label_articles(
                {d: type_probe(d, c, roles) for d, c in parsed.items()}, gold, self.score)
        cand_recs = [r for r in records_g if "cand" in r]
        cands = [r["cand"] for r in cand_recs]
        dense = emb([c.event.sentence for c in cands])
        EventModel(typer, None).retype(
            cands, featurize([c.features for c in cands],
                             dense_rows(cands, self.layout, dense)), self.lex)
        typed = [j for j, c in enumerate(cands) if c.event.type != "OPEN"]
        xg = featurize([cands[j].features + [f"final={cands[j].event.type}"] for j in typed],
                       dense_rows([cands[j] for j in typed], self.gate_layout, dense[typed]))
        yg = [int(bool(et.hits(cand_recs[j]))) for j in typed]
        xp, yp, _ = et.plv_gate_rows(train_rows, probes, chosen, vectors, typer, self.lex,
                                     self.gate_layout)
        gate = LinearModel.from_sklearn(et.fit(
            np.vstack([xg, xp]), yg + yp, et.GATE_C,
            np.concatenate([np.ones(len(yg)), np.full(len(yp), self.gate_weight)])))
        gate.meta = {"threshold": self.threshold, "dense": self.gate_layout,
                     "embedding": "sentence" if self.embedding else "none"}
        return EventModel(typer, gate), roles

    def out_of_fold(self, indices: list[int], k: int) -> list[dict[str, Any]]:
        """The salience rows (``train/event_salience.py``) of the PLV rows ``indices``, each
        analysed by event models fitted on the others of ``indices`` (k folds): events as
        the pipeline keeps them on sentences its models never saw."""
        es = _load("event_salience")
        rows: list[dict[str, Any]] = []
        for inner_train, inner_test in KFold(k, shuffle=True, random_state=0).split(indices):
            model, roles = self.fit([indices[i] for i in inner_train])
            rows += es.sentence_rows([self.plv[indices[i]] for i in inner_test], self.contexts,
                                     model, roles)
        return rows


def cross_validation_folds(records: list[dict[str, Any]], k: int,
                           ) -> Iterator[tuple[list[dict[str, Any]], Config]]:
    """``records``: bench/plv_train.py's PLV records (id ``plv-N``). Yields each held-out
    fold with a config whose event models never saw it. The salience model of a fold is
    fitted on the fold's training sentences analysed out of fold (nested: k - 1 inner
    folds), as the shipped one is on all of PLV."""
    fitter = FoldFitter(records)
    es = _load("event_salience")
    shipped_salience = load_salience_model()
    for n, (train, test) in enumerate(KFold(k, shuffle=True, random_state=0).split(
            fitter.plv)):
        held = set(test.tolist())
        model, roles = fitter.fit(train.tolist())
        salience = SalienceModel(es.fit_salience(
            fitter.out_of_fold(train.tolist(), k - 1),
            float(shipped_salience.model.meta.get("c", es.SALIENCE_C)))) \
            if shipped_salience else False

        def events_stage(ctx: StageContext, model: EventModel = model,
                         roles: RoleModel = roles,
                         salience: SalienceModel | Literal[False] = salience) -> None:
            kb = ctx.resources.kb
            ctx.result.events = extract_events(
                ctx.doc, ctx.document.id, ctx.resolution, ctx.result.places,
                ctx.result.dates, lexicon=ctx.resources.event_lexicon,
                cues=ctx.resources.cues,
                states={c: kb.actors[i] for c, i in kb.states.items()}, model=model,
                roles=roles, salience=salience)

        name = f"events_cv{n}"
        stage(name)(events_stage)
        stages = [name if s == "events" else s for s in Config().stages]
        yield [records[i] for i in sorted(held)], Config(stages=stages, n_process=1)
