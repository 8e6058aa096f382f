"""Pathological texts stay linear through every stage and inside the default time budget.

Each text is written here: one 40 KB sentence, thousands of capitalised words, a long list
of names, one headline repeated, and a wall of short "X said" sentences. The stages used
to scan every mention, entity or attribution per token or candidate, which made a few of
these take minutes; ``rashomon.intervals`` and the caches in ``rashomon.parse`` keep them
linear, and these tests fail if a quadratic scan comes back.
"""

from __future__ import annotations

import random
import time

import pytest

from rashomon import registry
from rashomon.parse import parse_texts
from rashomon.pipeline import Config, Resources, StageContext, analyse_documents
from rashomon.types import Document, DocumentAnalysis

FIRST = ["Ahmed", "Karim", "Laila", "Omar", "Nadia", "Hassan", "Samir", "Rana", "Yusuf",
         "Huda", "Tariq", "Mona", "Faisal", "Zainab", "Jamal", "Salma", "Walid", "Dalia"]
LAST = ["Haddad", "Rahimi", "Saleh", "Naser", "Jaber", "Mansour", "Kazemi", "Farouk",
        "Obeidi", "Tamimi", "Rashid", "Bakr", "Hamdan", "Qureshi", "Zaidi", "Sabri"]


def _fill(chars: int, pieces, sep: str = " ") -> str:
    out, size = [], 0
    while size < chars:
        piece = pieces()
        out.append(piece)
        size += len(piece) + len(sep)
    return sep.join(out)


def one_sentence(chars: int) -> str:
    """Words and names with commas but no full stop: one sentence of ``chars``."""
    rng = random.Random(1)
    words = ["officials", "said", "the", "militia", "attacked", "a", "convoy", "near",
             "Baghdad,", "and", "Iraqi", "forces", "from", "Mosul", "on", "Monday", "while",
             "Iran", "condemned", "the", "United", "States"]
    return _fill(chars, lambda: rng.choice(words) if rng.random() > .2
                 else f"{rng.choice(FIRST)} {rng.choice(LAST)}") + "."


def capitalised_words(chars: int) -> str:
    """Thousands of made-up capitalised words, no punctuation."""
    rng = random.Random(2)
    return _fill(chars, lambda: "".join(rng.choice("bdfghklmnprstz") + rng.choice("aeiou")
                                        for _ in range(3)).title())


def list_of_names(chars: int) -> str:
    """A name a line, in the forms a roll of names takes."""
    rng = random.Random(3)

    def name() -> str:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        return rng.choice([f"{first} {last}", f"{first} al-{last}", last, f"{last}, {first}",
                           f"Mr {last}"])
    return _fill(chars, name, "\n")


def repeated_headline(chars: int) -> str:
    return _fill(chars, lambda: "Iraqi forces retake Mosul from Islamic State militants",
                 "\n\n")


def said_sentences(chars: int) -> str:
    """Short attributed sentences naming people, bodies, acronyms and dates."""
    rng = random.Random(4)

    def sentence() -> str:
        first, last, other = rng.choice(FIRST), rng.choice(LAST), rng.choice(LAST)
        return rng.choice([
            f"{first} {last} said the talks in Basra had failed.",
            f"{last} told reporters that {other} had ordered the attack on the convoy.",
            f"The Iraqi Popular Council (IPC) and {last} met on March {rng.randrange(1, 28)}, "
            "2014, officials said.",
            f"\u201cWe will not withdraw,\u201d {last} said, accusing {other} of lying."])
    return _fill(chars, sentence)


TEXTS = {"one 40 KB sentence": one_sentence, "capitalised words": capitalised_words,
         "list of names": list_of_names, "repeated headline": repeated_headline,
         "said sentences": said_sentences}


def _stage_seconds(text: str, resources: Resources, config: Config) -> float:
    """Seconds all stages take on the parsed text (the parse itself not counted); the best
    of two runs, as other work on the machine only ever adds time."""
    [doc] = parse_texts([text])
    document = Document(id="t", text=text, published="2014-06-10")
    best = float("inf")
    for _ in range(2):
        ctx = StageContext(document=document, doc=doc, resources=resources,
                           result=DocumentAnalysis(document=document))
        started = time.perf_counter()
        for name in config.stages:
            registry.get_stage(name)(ctx)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_stage_time_grows_linearly_with_a_pathological_text(kind):
    config = Config(n_process=1, doc_timeout=0)
    resources = Resources(config)
    resources.warm()
    small = _stage_seconds(TEXTS[kind](6_000), resources, config)
    large = _stage_seconds(TEXTS[kind](24_000), resources, config)
    # Four times the text: about four times the time if linear, sixteen if quadratic.
    assert large < 9 * max(small, 0.05), (kind, small, large)


@pytest.mark.slow
def test_every_pathological_text_is_analysed_within_the_default_budget():
    config = Config(n_process=1)  # the default time budget
    documents = [Document(id=kind.replace(" ", "_"), text=make(40_000))
                 for kind, make in TEXTS.items()]
    skipped = []
    analysed = list(analyse_documents(documents, config,
                                      on_skip=lambda d, why: skipped.append((d.id, why))))
    assert not skipped
    assert len(analysed) == len(documents)
    by_id = {a.result.document.id: a.result for a in analysed}
    assert by_id["list_of_names"].mentions and by_id["said_sentences"].claims
