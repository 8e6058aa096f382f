"""Where PolNeAR dev's gold attributions are lost: by the kind of their cue and by cause.

Usage (from the repository root; the pipeline over the 84 dev articles plus their parse,
a few minutes on the shared machine, the parse cached with ``train/attribution.py``'s)::

    PYTHONPATH=src python train/attribution_misses.py            # the table
    PYTHONPATH=src python train/attribution_misses.py --verbose  # and each missed one

Each gold attribution of ``../shared/data/claims/polnear/dev`` (never committed) is scored
as ``bench/polnear.py`` scores it (overlap of content, and of cue or source) against the
pipeline's claims, and put in the first class that holds:

* ``matched``: some claim matches it;
* ``content found, other cue/source``: a claim overlaps its content with neither its cue
  nor its source (another attribution of the same words, or a nested one);
* ``cue/source found, content elsewhere``: a claim shares its cue or source, not its
  content;
* ``no candidate``: none of the gold cue's words is a candidate the cue scorer reads
  (``claims.model.is_candidate``: adjectives, prepositions, nouns outside the lexicon);
* ``cue under threshold``: its candidates score under the cue scorer's threshold;
* ``cue refused by a gate``: a candidate scores as a cue but no claim came of it (a content
  slot under its threshold, ``claims.learned.OBJECT_SLOT`` for objects, or no source).

The kind of cue is read off the parse of its words: "according to", punctuation alone
(a colon, a dash, quotation marks), a verb, an adjective predicate ("is critical of"), a
noun, or other (their parts of speech).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from attribution import DATA, parsed  # noqa: E402
from common import analyze_dicts, by_document  # noqa: E402
from polnear import GoldAttribution, _any_overlap, load_polnear, map_claims, match  # noqa: E402
from spacy.tokens import Token  # noqa: E402

from rashomon.claims.cues import load_cues  # noqa: E402
from rashomon.claims.model import is_candidate, load_scorer  # noqa: E402

CAUSES = ("matched", "cue under threshold", "cue refused by a gate", "no candidate",
          "content found, other cue/source", "cue/source found, content elsewhere")


def cue_kind(tokens: list[Token]) -> str:
    """What kind of cue the gold cue's words are."""
    words = {t.lower_ for t in tokens}
    tags = {t.pos_ for t in tokens}
    if not tokens:
        return "no cue"
    if "according" in words:
        return "according to"
    if all(t.is_punct for t in tokens):
        return "punctuation"
    if "VERB" in tags:
        return "verb"
    if "ADJ" in tags and (tags & {"AUX", "ADV", "PART"} or tags == {"ADJ"}):
        return "adjective"
    if "NOUN" in tags:
        return "noun"
    return "other (" + ",".join(sorted(tags)) + ")"


def cause(gold: GoldAttribution, ours: list[dict], tokens: list[Token], text: str) -> str:
    """The first class of the module's docstring that holds for one gold attribution."""
    if any(match(o, gold, text, "overlap") for o in ours):
        return "matched"
    if any(_any_overlap(o["content"], gold.content) for o in ours):
        return "content found, other cue/source"
    if any(_any_overlap(o["cue"], gold.cue) or _any_overlap(o["source"], gold.source)
           for o in ours):
        return "cue/source found, content elsewhere"
    cues, scorer = load_cues(), load_scorer()
    candidates = [t for t in tokens if is_candidate(t, cues)]
    if not candidates or scorer is None:
        return "no candidate"
    if max(scorer.probabilities(candidates, cues)) < scorer.threshold:
        return "cue under threshold"
    return "cue refused by a gate"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/claims-cache"))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    articles = load_polnear(DATA / "dev")
    docs = parsed(articles, args.cache, "dev")
    analysis = analyze_dicts([{"id": a.name, "text": a.text} for a in articles])
    cleaned = {d["id"]: d.get("text") for d in analysis["documents"]}
    claims = by_document(analysis["claims"])
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for art, doc in zip(articles, docs, strict=True):
        ours = map_claims([c for c in claims.get(art.name, []) if not c.get("in_comment")],
                          art.text, cleaned.get(art.name))
        for gold in art.attributions:
            tokens = [t for t in doc if any(t.idx < b and a < t.idx + len(t.text)
                                            for a, b in gold.cue)]
            kind, why = cue_kind(tokens), cause(gold, ours, tokens, art.text)
            for row in (kind, "all"):
                table[row][why] += 1
                table[row]["total"] += 1
            if args.verbose and why != "matched":
                print(f"{kind} | {why} | cue {' '.join(t.text for t in tokens)!r} | source "
                      f"{' '.join(art.text[a:b] for a, b in gold.source)!r} | content "
                      f"{art.text[gold.content[0][0]:gold.content[-1][1]][:80]!r}")
    print("| Cue kind | Gold | " + " | ".join(CAUSES) + " |")
    print("|---" * (len(CAUSES) + 2) + "|")
    for kind, counts in sorted(table.items(), key=lambda kv: -kv[1]["total"]):
        print(f"| {kind} | {counts['total']} | " + " | ".join(str(counts[c]) for c in CAUSES)
              + " |")


if __name__ == "__main__":
    main()
