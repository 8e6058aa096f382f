"""CASE 2021 task 2: ACLED-style sub-event types mapped to our PLOVER types.

Data: ``../shared/data/events/case2021_task2_dev.tsv`` (``id<TAB>EventSnippet<TAB>SubType``,
480 snippets, 30 sub-types). Each snippet is one document; our top event (highest
salience, then confidence, then earliest; negated/denied skipped when others exist) is
right when its type
is in the set :data:`SUBTYPE_TO_PLOVER` accepts for the gold sub-type. Sub-types with no
PLOVER counterpart (disasters, organised crime, "other", strategic developments such as
headquarters established or change to group activity, attribution, defused weapons) are not
scored for type; on the disaster snippets we report how often we (wrongly) code an event.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import (
    DATA,
    Options,
    analyze_dicts,
    by_document,
    pct,
    provenance_rows,
    ratio,
    require,
    top_event,
    write_result,
)

NAME = "case2021"
DESCRIPTION = "CASE 2021 task 2: ACLED sub-types mapped to PLOVER, accuracy"
PATH = DATA / "events" / "case2021_task2_dev.tsv"

_VIOLENCE = frozenset({"ASSAULT"})
#: Gold sub-type -> the PLOVER types that count as right. Unlisted sub-types are unmapped.
SUBTYPE_TO_PLOVER: dict[str, frozenset[str]] = {
    "ARMED_CLASH": _VIOLENCE,
    "AIR_STRIKE": _VIOLENCE,
    "ART_MISS_ATTACK": _VIOLENCE,
    "ATTACK": _VIOLENCE,
    "GRENADE": _VIOLENCE,
    "SUIC_BOMB": _VIOLENCE,
    "REM_EXPLOS": _VIOLENCE,
    "CHEM_WEAP": _VIOLENCE,
    "SEX_VIOL": _VIOLENCE,
    "ABDUCT_DISSAP": _VIOLENCE,
    "MOB_VIOL": frozenset({"ASSAULT", "PROTEST"}),
    "GOV_REGAINS_TERIT": frozenset({"ASSAULT", "COERCE"}),
    "NON_STATE_ACTOR_OVERTAKES_TER": frozenset({"ASSAULT", "COERCE"}),
    "PEACE_PROTEST": frozenset({"PROTEST"}),
    "PROTEST_WITH_INTER": frozenset({"PROTEST"}),
    "VIOL_DEMONSTR": frozenset({"PROTEST", "ASSAULT"}),
    "FORCE_AGAINST_PROTEST": frozenset({"COERCE", "ASSAULT"}),
    "ARREST": frozenset({"COERCE"}),
    "PROPERTY_DISTRUCT": frozenset({"COERCE", "ASSAULT"}),
    "AGREEMENT": frozenset({"AGREE"}),
    "NON_VIOL_TERRIT_TRANSFER": frozenset({"RETREAT", "CONCEDE"}),
    "DIPLO": frozenset({"CONSULT", "AGREE", "COOPERATE"}),
}
#: Sub-types where no political event should be coded (false-positive probe).
NO_EVENT = frozenset({"NATURAL_DISASTER", "MAN_MADE_DISASTER"})


def load_case(path: Path) -> list[dict[str, Any]]:
    """Read the TSV (header ``id, EventSnippet, SubType``) as records with ``case-ID`` ids."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [{"id": f"case-{r['id']}", "text": (r["EventSnippet"] or "").strip(),
                 "subtype": (r["SubType"] or "").strip()} for r in reader if r.get("id")]


def score_case(rows: list[dict[str, Any]], analysis: dict[str, Any]) -> dict[str, Any]:
    """Accuracy on mapped sub-types, per-sub-type accuracy and the disaster false-event rate."""
    events = by_document(analysis.get("events", []))
    per: dict[str, Counter[str]] = {}
    c: Counter[str] = Counter()
    for row in rows:
        evs = events.get(row["id"], [])
        top = top_event(evs)
        sub = row["subtype"]
        if sub in NO_EVENT:
            c["no_event_n"] += 1
            c["no_event_false"] += top is not None
        accepted = SUBTYPE_TO_PLOVER.get(sub)
        if accepted is None:
            c["unmapped"] += 1
            continue
        stats = per.setdefault(sub, Counter())
        ok = top is not None and top.get("type") in accepted
        stats["n"] += 1
        stats["ok"] += ok
        stats["detected"] += top is not None
        stats["any_ok"] += any(e.get("type") in accepted for e in evs)
        c["n"] += 1
        c["ok"] += ok
        c["detected"] += top is not None
        c["any_ok"] += any(e.get("type") in accepted for e in evs)
    figures = {
        "snippets": len(rows),
        "mapped": c["n"],
        "unmapped": c["unmapped"],
        "accuracy": ratio(c["ok"], c["n"]),
        "accuracy_detected": ratio(c["ok"], c["detected"]),
        "event_recall": ratio(c["detected"], c["n"]),
        "any_event_accuracy": ratio(c["any_ok"], c["n"]),
        "disaster_false_event_rate": ratio(c["no_event_false"], c["no_event_n"]),
    }
    per_subtype = {k: {"n": v["n"], "accuracy": ratio(v["ok"], v["n"]),
                       "event_recall": ratio(v["detected"], v["n"])}
                   for k, v in sorted(per.items())}
    return {"figures": figures, "per_subtype": per_subtype}


def run(opts: Options) -> dict[str, Any]:
    started = time.time()
    rows = load_case(require(PATH, "CASE 2021 task 2 dev"))
    if opts.limit:
        rows = rows[: opts.limit]
    analysis = analyze_dicts([{"id": r["id"], "text": r["text"]} for r in rows], opts.processes)
    scored = score_case(rows, analysis)
    return write_result(NAME, scored["figures"], opts, started,
                        details={"per_subtype": scored["per_subtype"],
                                 "mapping": {k: sorted(v) for k, v in SUBTYPE_TO_PLOVER.items()}})


def render(result: dict[str, Any]) -> str:
    f = result["figures"]
    lines = ["| Figure | Value |", "|---|---|",
             f"| Type accuracy, mapped sub-types (top event) | {pct(f['accuracy'])} |",
             f"| Type accuracy where we code an event | {pct(f['accuracy_detected'])} |",
             f"| Some event of ours has an accepted type | {pct(f['any_event_accuracy'])} |",
             f"| Snippets with any event (mapped sub-types) | {pct(f['event_recall'])} |",
             f"| Disaster snippets where we code an event (lower is better) | "
             f"{pct(f['disaster_false_event_rate'])} |",
             f"| Snippets: all / mapped / unmapped | {f['snippets']} / {f['mapped']} / "
             f"{f['unmapped']} |",
             "", "| Sub-type | n | accuracy | event recall |", "|---|---|---|---|"]
    for sub, v in result["details"]["per_subtype"].items():
        lines.append(f"| {sub} | {v['n']} | {pct(v['accuracy'])} | {pct(v['event_recall'])} |")
    return "\n".join(lines) + "\n" + provenance_rows(result)
