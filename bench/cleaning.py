"""Cleaning of real pages: boilerplate removed, body kept, titles, authors, comments.

The development articles (``../shared/corpus/dev.jsonl``, gold ``../shared/gold/dev``) and
the reference articles (``corpus.jsonl``, gold ``../shared/gold``) are cleaned exactly as
``rashomon analyze`` cleans them (ingest, outlet-repeated lines, ``clean_record``) and the
documents are scored by ``../shared/eval/score.py`` (its cleaning keys). Rows:

* **patterns + structure**: boilerplate.yaml and the page-structure rules, no classifier;
* **+ classifier, leave one article out**: each article cleaned with a line classifier
  trained without it (train/boilerplate_lines.py on the other 25 articles + PolNeAR prose):
  the figure that estimates held-out pages;
* **+ classifier, shipped**: the packaged model, trained on all articles (in-sample);
* **classifier alone**, leave one article out: what the learned part catches by itself.

Lines removed from news text no rule was written for: the paragraphs of up to 300
PolNeAR dev articles (Breitbart, HuffPost, NYT, USA Today, Washington Post; mostly clean
prose) that cleaning drops, with and without the classifier. Read them in the results file
(``details``): at the time of writing all were credits, embedded tweets, section labels and
letter signatures, no article sentence. The patterns and rules were written while reading
the development articles, so their figures there are in-sample too. Titles: how often the
first line of a PTC train article (news and opinion sites) becomes the title.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from common import REPO_ROOT, SHARED, Options, Skip, provenance_rows, require, write_result

sys.path.insert(0, str(REPO_ROOT / "train"))

NAME = "cleaning"
DESCRIPTION = "cleaning of real pages (boilerplate, body, titles, comments), shared/eval scored"
KEYS = ("boilerplate_removed", "body_kept", "titles", "authors", "comments_separated")
POLNEAR_DEV = SHARED / "data" / "claims" / "polnear" / "dev" / "text"
POLNEAR_SAMPLE = 300
PTC = SHARED / "data" / "framing" / "ptc" / "train-articles"


def _scorer() -> ModuleType:
    path = require(SHARED / "eval" / "score.py", "shared scorer")
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _clean_set(corpus: Path, classifier_for) -> list[Any]:
    from rashomon.clean import clean_record, find_repeated_lines, load_patterns, outlet_key
    from rashomon.ingest import read_inputs
    from rashomon.types import RawRecord

    records = [r for r in read_inputs([corpus]) if isinstance(r, RawRecord)]
    patterns = load_patterns()
    repeated = find_repeated_lines(records)
    return [clean_record(r, patterns, repeated.get(outlet_key(r), set()),
                         classifier=classifier_for(r.id)) for r in records]


def _score(scorer: ModuleType, gold: Path, documents: list[Any]) -> dict[str, Any]:
    analysis = {"documents": [{"id": d.id, "text": d.text, "title": d.title,
                               "author": d.author,
                               "comments": [{"author": c.author, "text": c.text}
                                            for c in d.comments]} for d in documents],
                "actors": [], "events": [], "claims": [], "relations": []}
    out = scorer.score(str(gold), analysis, verbose=True)
    figures = {k: out[k] for k in KEYS}
    figures["misses"] = [m for m in out["misses"]
                         if any(w in m for w in ("boilerplate", "body lost", "comment"))]
    return figures


def _prose_removed(classifier) -> dict[str, Any]:
    """Paragraphs of news text (PolNeAR dev, headline line excepted) that cleaning drops."""
    from rashomon.clean import clean_record, load_patterns
    from rashomon.clean.normalise import normalise_text
    from rashomon.types import RawRecord

    if not POLNEAR_DEV.exists():
        return {"articles": 0, "paragraphs": 0, "removed": 0, "lines": []}
    patterns = load_patterns()
    paragraphs = 0
    gone: list[str] = []
    files = sorted(POLNEAR_DEV.glob("*.txt"))[:POLNEAR_SAMPLE]
    for path in files:
        text = normalise_text(path.read_text(encoding="utf-8", errors="replace"))
        lines = [line for line in text.split("\n") if line.strip()][1:]
        record = RawRecord(id=path.stem, source=str(path), format="txt", text=text)
        kept = set(clean_record(record, patterns, classifier=classifier).text.split("\n"))
        paragraphs += len(lines)
        gone += [f"{path.stem}: {line[:120]}" for line in lines if line not in kept]
    return {"articles": len(files), "paragraphs": paragraphs, "removed": len(gone),
            "lines": gone}


def _ptc_titles() -> dict[str, Any]:
    """PTC train articles (news and opinion sites, the headline on the first line): how
    often cleaning takes that line, label prefix aside, for the title."""
    from rashomon.clean import clean_record, load_patterns
    from rashomon.clean.header import clean_title
    from rashomon.clean.normalise import normalise_text
    from rashomon.types import RawRecord

    patterns = load_patterns()
    right, wrong = 0, []
    files = sorted(PTC.glob("*.txt")) if PTC.exists() else []
    for path in files:
        text = normalise_text(path.read_text(encoding="utf-8", errors="replace"))
        first = clean_title(text.split("\n")[0], patterns.title_prefixes)
        record = RawRecord(id=path.stem, source=str(path), format="txt", text=text)
        title = clean_record(record, patterns).title
        if title == first:
            right += 1
        else:
            wrong.append(f"{path.stem}: {first!r} -> {title!r}")
    return {"articles": len(files), "right": right, "wrong": wrong}


def run(opts: Options) -> dict[str, Any]:
    started = time.time()
    scorer = _scorer()
    from boilerplate_lines import (
        SETS,
        gold_documents,
        line_scores,
        loo_classifiers,
        polnear_documents,
    )

    from rashomon.clean.lineclass import packaged_classifier

    gold_docs = gold_documents()
    if not gold_docs:
        raise Skip("no development articles with gold under ../shared")
    loo = loo_classifiers(gold_docs, polnear_documents())
    shipped = packaged_classifier()
    figures: dict[str, Any] = {}
    details: dict[str, Any] = {}
    alone = line_scores(gold_docs, loo)
    figures["loo_classifier_alone_boilerplate"] = (f"{alone['boilerplate_caught']}/"
                                                   f"{alone['boilerplate']}")
    figures["loo_classifier_alone_body_kept"] = f"{alone['body_unflagged']}/{alone['body_keep']}"
    rows = {"rules": lambda _id: None, "loo": lambda i: loo.get(i), "shipped": lambda _i: shipped}
    for set_name, corpus, gold in SETS:
        if not corpus.exists():
            continue
        for row, classifier_for in rows.items():
            if row == "shipped" and shipped is None:
                continue
            scores = _score(scorer, gold, _clean_set(corpus, classifier_for))
            details[f"{set_name}_{row}_misses"] = scores.pop("misses")
            for key, value in scores.items():
                figures[f"{set_name}_{row}_{key}"] = value
    for row, classifier in (("rules", None), ("shipped", shipped)):
        if row == "shipped" and shipped is None:
            continue
        prose = _prose_removed(classifier)
        details[f"polnear_{row}_removed_lines"] = prose["lines"]
        figures[f"polnear_{row}_paragraphs"] = prose["paragraphs"]
        figures[f"polnear_{row}_removed"] = prose["removed"]
        figures["polnear_articles"] = prose["articles"]
    ptc = _ptc_titles()
    figures["ptc_titles"] = f"{ptc['right']}/{ptc['articles']}"
    details["ptc_titles_wrong"] = ptc["wrong"]
    return write_result(NAME, figures, opts, started, details=details)


def render(result: dict[str, Any]) -> str:
    f = result["figures"]
    lines = ["| Set | Cleaning | Boilerplate removed | Body kept | Titles | Authors | Comments |",
             "|---|---|---|---|---|---|---|"]
    labels = {"rules": "patterns + structure",
              "loo": "+ classifier, leave one article out",
              "shipped": "+ classifier, shipped (in-sample)"}
    for set_name in ("dev", "reference"):
        for row, label in labels.items():
            if f"{set_name}_{row}_titles" not in f:
                continue
            cells = " | ".join(str(f[f"{set_name}_{row}_{k}"]) for k in KEYS)
            lines.append(f"| {set_name} | {label} | {cells} |")
    prose = [f"{label.split(',')[0]}: {f[f'polnear_{row}_removed']}/"
             f"{f[f'polnear_{row}_paragraphs']}"
             for row, label in (("rules", "patterns + structure"),
                                ("shipped", "+ classifier")) if f"polnear_{row}_removed" in f]
    articles = f.get("polnear_articles", POLNEAR_SAMPLE)
    lines += ["", "The classifier alone (no patterns or rules), leave one article out, over both "
              f"sets: boilerplate {f['loo_classifier_alone_boilerplate']}, body kept "
              f"{f['loo_classifier_alone_body_kept']}.",
              "", f"Paragraphs removed from news text no rule was written for (PolNeAR dev, "
              f"{articles} articles, headline line excepted; the lines are listed in the "
              "results file): "
              + "; ".join(prose) + "."]
    if "ptc_titles" in f:
        lines += ["", "Titles on PTC train articles (371 pages of news and opinion sites, headline "
                  f"on the first line, label prefix aside): {f['ptc_titles']} (the headline "
                  "rules for first-line questions and quotes were set after reading its misses)."]
    return "\n".join(lines) + "\n" + provenance_rows(result)
