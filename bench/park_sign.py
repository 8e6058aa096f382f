"""Park et al. (2021) directed sentiment: the sign and direction of our ties between two entities.

Data: ``../shared/data/claims/park2021/valid.txt`` (``sentence<TAB>e1<TAB>e2<TAB>label``;
the entities are bracketed in the sentence). Labels: 0 neutral, 1 e1->e2 positive,
2 e2->e1 positive, 3 e1->e2 negative, 4 e2->e1 negative. Brackets are removed before
analysis; each sentence is one document.

Matching (stated in BENCHMARKS.md):

* **Pair actors.** Side 1 = our actors with a mention overlapping the e1 span, or whose name
  or alias equals e1 (normalised); side 2 likewise for e2; an actor on both sides is dropped.
* **Ties.** An event with source on one side and target on the other (sign +1 for a
  cooperation quad, -1 for conflict); a claim whose speaker is on one side and whose
  ``about`` holds an actor of the other (sign from ``cue_type``: praise/support-like +1,
  accuse/condemn/threaten-like -1, else 0); a relation between the two sides (undirected,
  its ``sign``).
* **Stances.** A stance (``rashomon.stance``) whose source is on one side and target on
  the other: a directed tie with its sign.
* **Ties.** Directed ties are summed per direction; the direction with the larger
  absolute sum (e1->e2 on ties) gives the class. With no signed directed tie, a signed
  relation gives e1->e2 with its sign. Otherwise neutral (0).
* **Prediction.** The stance stage is what reads directed sentiment, and ``run`` always
  runs it: the headline ``directed_accuracy`` is the stances' verdict alone (a stance
  joining the two sides, else neutral). Events, claims and relations are left out of it
  because Park's labels are sentiment, not acts: "the Senate voted to remove X", "X met
  Y" or "guards shot refugees" are neutral there while their events carry a quad class
  (on the 1,000 sampled sentences, 56 right stance verdicts were overturned by an event
  or claim tie and 22 wrong ones mended). The summed ties of all four are still reported
  as ``ties_directed_accuracy``; without the stance stage (``by_stance=False``) they are
  the prediction. ``stances_only_directed_accuracy`` is kept as an alias of the stance
  verdict; ``both_sides_resolved`` is the share of sentences whose two entities both
  found an actor.
* **The model alone.** The stance model is also scored on the gold pair itself (the two
  bracketed spans, no actor resolution): ``model_directed_accuracy``, what the model
  would give were every entity resolved to an actor.
* **Figures.** Directed accuracy (5-way), undirected polarity accuracy (neutral/positive/
  negative), coverage (sentences with any tie between the two sides) overall and on
  non-neutral gold, and sign accuracy on covered non-neutral sentences.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path
from typing import Any

from common import (
    DATA,
    Options,
    analyze_dicts,
    by_document,
    norm,
    overlaps,
    pct,
    provenance_rows,
    ratio,
    require,
    write_result,
)
from polnear import offset_mapper

NAME = "park_sign"
DESCRIPTION = "Park 2021 directed sentiment: directed/undirected sign accuracy, coverage"
PATH = DATA / "claims" / "park2021" / "valid.txt"
SAMPLE = 1000
QUICK_SAMPLE = 200
SEED = 2021
LABELS = ["neutral", "e1->e2 +", "e2->e1 +", "e1->e2 -", "e2->e1 -"]
POSITIVE_CUES = {"praise", "support", "endorse", "thank", "welcome", "defend", "agree",
                 "commend", "congratulate"}
NEGATIVE_CUES = {"accuse", "condemn", "criticize", "criticise", "blame", "deny", "threaten",
                 "warn", "attack", "reject", "denounce", "disapprove", "demand"}
QUAD_SIGN = {"verbal_cooperation": 1, "material_cooperation": 1, "verbal_conflict": -1,
             "material_conflict": -1}
_BRACKET = re.compile(r"\[([^\[\]]+)\]")


def strip_entities(sentence: str, e1: str, e2: str) -> tuple[str, tuple[int, int] | None,
                                                              tuple[int, int] | None]:
    """Remove the brackets around e1/e2; return the clean text and the two entity spans."""
    out, spans, last = [], {"e1": None, "e2": None}, 0
    pos = 0
    for m in _BRACKET.finditer(sentence):
        inner = m.group(1)
        role = None
        if inner == e1 and spans["e1"] is None:
            role = "e1"
        elif inner == e2 and spans["e2"] is None:
            role = "e2"
        if role is None:
            continue
        out.append(sentence[last:m.start()])
        pos += m.start() - last
        spans[role] = (pos, pos + len(inner))
        out.append(inner)
        pos += len(inner)
        last = m.end()
    out.append(sentence[last:])
    text = "".join(out)
    for role, ent in (("e1", e1), ("e2", e2)):
        if spans[role] is None and ent:
            k = text.find(ent)
            spans[role] = (k, k + len(ent)) if k >= 0 else None
    return text, spans["e1"], spans["e2"]


def load_park(path: Path) -> list[dict[str, Any]]:
    """Read ``sentence, e1, e2, label`` rows into records with clean text and entity spans."""
    rows = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split("\t")
        if len(parts) != 4 or not parts[3].strip().isdigit():
            continue
        text, s1, s2 = strip_entities(parts[0], parts[1], parts[2])
        rows.append({"id": f"park-{i:05d}", "text": text, "e1": parts[1], "e2": parts[2],
                     "e1_span": s1, "e2_span": s2, "label": int(parts[3])})
    return rows


def side_actors(span: tuple[int, int] | None, entity: str, mentions: list[dict[str, Any]],
                actors: dict[str, dict[str, Any]], to_orig: Any) -> set[str]:
    """Our actor ids standing for one bracketed entity (by mention overlap or by name)."""
    ids = set()
    if span is not None:
        for m in mentions:
            if overlaps(to_orig(m["start"]), to_orig(m["end"]), span[0], span[1]):
                ids.add(m["actor"])
    target = norm(entity)
    for m in mentions:
        actor = actors.get(m["actor"], {})
        names = [actor.get("name")] + list(actor.get("aliases") or [])
        if target and any(norm(n) == target for n in names):
            ids.add(m["actor"])
    return ids


def cue_sign(cue_type: str | None) -> int:
    cue = (cue_type or "").lower()
    return 1 if cue in POSITIVE_CUES else -1 if cue in NEGATIVE_CUES else 0


def predict(a: set[str], b: set[str], events: list[dict[str, Any]],
            claims: list[dict[str, Any]], relations: list[dict[str, Any]],
            stances: list[dict[str, Any]] = ()) -> tuple[int, bool]:
    """The 5-way class our ties between sides ``a`` (e1) and ``b`` (e2) imply, and coverage."""
    a, b = a - b, b - a
    directed = {"12": 0, "21": 0}
    covered = False
    for st in stances:
        if st.get("source") in a and st.get("target") in b:
            directed["12"] += st.get("sign", 0)
            covered = True
        elif st.get("source") in b and st.get("target") in a:
            directed["21"] += st.get("sign", 0)
            covered = True
    for e in events:
        s, t, sign = e.get("source"), e.get("target"), QUAD_SIGN.get(e.get("quad") or "", 0)
        if e.get("negated") or e.get("modality") == "denied":
            sign = 0
        if s in a and t in b:
            directed["12"] += sign
            covered = True
        elif s in b and t in a:
            directed["21"] += sign
            covered = True
    for c in claims:
        about = set(c.get("about") or [])
        if c.get("speaker") in a and about & b:
            directed["12"] += cue_sign(c.get("cue_type"))
            covered = True
        elif c.get("speaker") in b and about & a:
            directed["21"] += cue_sign(c.get("cue_type"))
            covered = True
    undirected = 0
    for r in relations:
        if (r.get("a") in a and r.get("b") in b) or (r.get("a") in b and r.get("b") in a):
            covered = True
            sign = r.get("sign")
            if sign is None:
                score = r.get("score", 0)
                sign = (score > 0) - (score < 0)
            if abs(r.get("score", 0) or 0) >= abs(undirected):
                undirected = sign
    if directed["12"] or directed["21"]:
        forward = abs(directed["12"]) >= abs(directed["21"])
        sign = directed["12"] if forward else directed["21"]
        return (1 if forward else 2) if sign > 0 else (3 if forward else 4), covered
    if undirected:
        return (1 if undirected > 0 else 3), covered
    return 0, covered


def polarity(label: int) -> int:
    """0 neutral, 1 positive, -1 negative."""
    return {0: 0, 1: 1, 2: 1, 3: -1, 4: -1}[label]


def score_park(rows: list[dict[str, Any]], analysis: dict[str, Any],
               by_stance: bool = False) -> dict[str, Any]:
    """Directed and undirected accuracy, coverage and a confusion matrix; the prediction is
    the stances' verdict with ``by_stance`` (the stance stage ran), else the summed ties."""
    docs = {d["id"]: d for d in analysis.get("documents", [])}
    actors = {a["id"]: a for a in analysis.get("actors", [])}
    mentions = by_document(analysis.get("mentions", []))
    events = by_document(analysis.get("events", []))
    claims = by_document(analysis.get("claims", []))
    stances = by_document(analysis.get("stances", []))
    relations = analysis.get("relations", [])
    doc_rel: dict[str, list[dict[str, Any]]] = {}
    ev_doc = {e["id"]: e["document"] for e in analysis.get("events", []) if "id" in e}
    cl_doc = {c["id"]: c["document"] for c in analysis.get("claims", []) if "id" in c}
    for r in relations:
        for d in {ev_doc.get(x) for x in r.get("events", [])} | {cl_doc.get(x)
                                                                   for x in r.get("claims", [])}:
            if d:
                doc_rel.setdefault(d, []).append(r)
    confusion = [[0] * 5 for _ in range(5)]
    verdicts: dict[str, tuple[int, bool]] = {}  # row id -> (the stances' verdict, both resolved)
    n = covered = nn = nn_covered = nn_cov_sign_ok = 0
    undirected_ok = stance_ok = ties_ok = both_sides = 0
    for row in rows:
        doc = docs.get(row["id"], {})
        to_orig = offset_mapper(row["text"], doc.get("text", row["text"]))
        ms = [m for m in mentions.get(row["id"], []) if m.get("actor")]
        a = side_actors(row["e1_span"], row["e1"], ms, actors, to_orig)
        b = side_actors(row["e2_span"], row["e2"], ms, actors, to_orig)
        ties, cov = predict(a, b, events.get(row["id"], []), claims.get(row["id"], []),
                            doc_rel.get(row["id"], []), stances.get(row["id"], []))
        verdict = predict(a, b, [], [], [], stances.get(row["id"], []))[0]
        pred = verdict if by_stance else ties
        confusion[row["label"]][pred] += 1
        stance_ok += verdict == row["label"]
        ties_ok += ties == row["label"]
        both_sides += bool(a - b and b - a)
        verdicts[row["id"]] = (verdict, bool(a - b and b - a))
        n += 1
        covered += cov
        undirected_ok += polarity(pred) == polarity(row["label"])
        if row["label"]:
            nn += 1
            nn_covered += cov
            if cov:
                nn_cov_sign_ok += polarity(pred) == polarity(row["label"])
    figures = {
        "sentences": n,
        "directed_accuracy": ratio(sum(confusion[i][i] for i in range(5)), n),
        "undirected_accuracy": ratio(undirected_ok, n),
        "neutral_baseline": ratio(sum(confusion[0]), n),
        "coverage": ratio(covered, n),
        "coverage_non_neutral": ratio(nn_covered, nn),
        "sign_accuracy_covered_non_neutral": ratio(nn_cov_sign_ok, nn_covered),
        "directed_recall_non_neutral": ratio(sum(confusion[i][i] for i in range(1, 5)), nn),
        "stances_only_directed_accuracy": ratio(stance_ok, n),
        "ties_directed_accuracy": ratio(ties_ok, n),
        "both_sides_resolved": ratio(both_sides, n),
    }
    return {"figures": figures, "confusion": confusion, "verdicts": verdicts}


def resolution_split(rows: list[dict[str, Any]], verdicts: dict[str, tuple[int, bool]],
                     model: dict[str, int]) -> dict[str, Any]:
    """Where the stance verdict and the model on the gold pair part: directed accuracy of
    each on the sentences whose two entities both resolved to actors and on the rest
    (the rows the model could read). Equal figures on the resolved rows say the stage
    reads what the model would; the gap is then the unresolved rows, where the verdict
    can only be neutral."""
    out: dict[str, Any] = {}
    for name, want in (("resolved", True), ("unresolved", False)):
        part = [r for r in rows if r["id"] in model and verdicts[r["id"]][1] is want]
        out[f"{name}_sentences"] = len(part)
        out[f"{name}_verdict_accuracy"] = ratio(
            sum(verdicts[r["id"]][0] == r["label"] for r in part), len(part))
        out[f"{name}_model_accuracy"] = ratio(
            sum(model[r["id"]] == r["label"] for r in part), len(part))
    return out


def score_model(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The stance model on the gold pairs themselves: directed accuracy and confusion."""
    from rashomon.parse import load_nlp
    from rashomon.stance import Pair, classify

    usable, pairs = [], []
    candidates = [r for r in rows if r["e1_span"] and r["e2_span"]
                  and r["e1_span"][1] <= r["e2_span"][0]]
    docs = load_nlp().pipe([r["text"] for r in candidates], batch_size=64)
    for row, doc in zip(candidates, docs, strict=True):
        pair = Pair.from_chars(doc, tuple(row["e1_span"]), tuple(row["e2_span"]))
        if pair is not None:
            usable.append(row)
            pairs.append(pair)
    predicted = classify(pairs).argmax(axis=1) if pairs else []
    confusion = [[0] * 5 for _ in range(5)]
    by_row = {}
    for row, pred in zip(usable, predicted, strict=True):
        confusion[row["label"]][int(pred)] += 1
        by_row[row["id"]] = int(pred)
    ok = sum(confusion[i][i] for i in range(5))
    return {"model_directed_accuracy": ratio(ok, len(usable)),
            "model_undirected_accuracy": ratio(sum(
                confusion[g][p] for g in range(5) for p in range(5)
                if polarity(g) == polarity(p)), len(usable)),
            "model_sentences": len(usable), "model_confusion": confusion,
            "model_by_row": by_row}


def run(opts: Options) -> dict[str, Any]:
    started = time.time()
    rows = load_park(require(PATH, "Park 2021 valid set"))
    if not opts.full:
        k = QUICK_SAMPLE if opts.quick else SAMPLE
        rows = sorted(random.Random(SEED).sample(rows, min(k, len(rows))), key=lambda r: r["id"])
    if opts.limit:
        rows = rows[: opts.limit]
    # The stance stage is what this set measures; ask for it even if a default changes.
    from rashomon.pipeline import Config
    from rashomon.registry import DEFAULT_STAGES

    stages = [*DEFAULT_STAGES, *(["stance"] if "stance" not in DEFAULT_STAGES else [])]
    config = Config(stages=stages, n_process=opts.processes)
    analysis = analyze_dicts([{"id": r["id"], "text": r["text"]} for r in rows], opts.processes,
                             config=config)
    scored = score_park(rows, analysis, by_stance=True)
    model = score_model(rows)
    confusion = model.pop("model_confusion")
    split = resolution_split(rows, scored["verdicts"], model.pop("model_by_row"))
    return write_result(NAME, {**scored["figures"], **model, **split}, opts, started,
                        details={"confusion": scored["confusion"], "labels": LABELS,
                                 "model_confusion": confusion})


def render(result: dict[str, Any]) -> str:
    f = result["figures"]
    lines = ["| Figure | Value |", "|---|---|",
             f"| Directed accuracy (5-way; the stances' verdict) | {pct(f['directed_accuracy'])} |",
             f"| Undirected polarity accuracy (3-way) | {pct(f['undirected_accuracy'])} |",
             f"| All-neutral baseline | {pct(f['neutral_baseline'])} |",
             f"| Coverage: any tie between the pair (all / non-neutral gold) | "
             f"{pct(f['coverage'])} / {pct(f['coverage_non_neutral'])} |",
             f"| Sign accuracy where covered, non-neutral gold | "
             f"{pct(f['sign_accuracy_covered_non_neutral'])} |",
             f"| Non-neutral gold with exact direction and sign | "
             f"{pct(f['directed_recall_non_neutral'])} |",
             f"| Sentences | {f['sentences']} |",
             f"| Both entities resolved to different actors | "
             f"{pct(f.get('both_sides_resolved'))} |",
             f"| Directed accuracy of the summed ties (stances, events, claims, relations) | "
             f"{pct(f.get('ties_directed_accuracy'))} |",
             f"| The stance model alone on the gold pairs: directed / polarity accuracy | "
             f"{pct(f.get('model_directed_accuracy'))} / "
             f"{pct(f.get('model_undirected_accuracy'))} |"]
    for name, what in (("resolved", "both entities resolved"),
                       ("unresolved", "not both resolved")):
        if f.get(f"{name}_sentences") is not None:
            lines.append(f"| Sentences with {what} ({f[f'{name}_sentences']}): directed accuracy "
                         f"of the verdict / of the model on the gold pair | "
                         f"{pct(f[f'{name}_verdict_accuracy'])} / "
                         f"{pct(f[f'{name}_model_accuracy'])} |")
    for title, key in (("Pipeline", "confusion"), ("Stance model alone", "model_confusion")):
        if key not in result["details"]:
            continue
        lines += ["", f"| {title}: gold \\ ours | " + " | ".join(LABELS) + " |", "|---" * 6 + "|"]
        for label, row in zip(LABELS, result["details"][key], strict=True):
            lines.append(f"| {label} | " + " | ".join(str(x) for x in row) + " |")
    return "\n".join(lines) + "\n" + provenance_rows(result)
