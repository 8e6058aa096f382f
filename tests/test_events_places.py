"""Event places: only a place the event's own words name, with how it was found."""

from __future__ import annotations

import json
from functools import cache

from rashomon.pipeline import Config, analyse_documents
from rashomon.types import Document, DocumentAnalysis, Event


@cache
def analyse(text: str) -> DocumentAnalysis:
    doc = Document(id="p", text=text, published="2019-05-02")
    return next(analyse_documents([doc], Config())).result


def event(text: str, trigger: str) -> Event:
    found = [e for e in analyse(text).events if e.trigger == trigger]
    assert found, [(e.trigger, e.source, e.target) for e in analyse(text).events]
    return found[0]


def test_a_place_in_the_clause_is_the_event_place():
    e = event("Turkish troops attacked Kurdish fighters in Kirkuk on Sunday.", "attacked")
    assert e.place is not None and e.place["name"] == "Kirkuk"
    assert e.place["how"] == "clause"


def test_an_event_whose_sentence_names_no_place_has_none():
    # the story is set in Basra, but the second sentence does not say where Iran acted
    text = ("Protesters gathered in Basra on Friday. Basra was quiet later. "
            "Iran condemned Saudi Arabia on Saturday.")
    e = event(text, "condemned")
    assert e.place is None


def test_a_country_named_after_in_places_the_event_though_it_is_an_actor_elsewhere():
    e = event("Turkish troops attacked Kurdish fighters in Iran.", "attacked")
    assert e.place is not None and e.place["country"] == "IR"


def test_a_country_in_a_role_places_nothing():
    e = event("Turkey attacked Syria.", "attacked")
    assert e.place is None


def test_a_datelines_place_is_no_event_place():
    e = event("BAGHDAD (Agency) - Turkish troops attacked Kurdish fighters.", "attacked")
    assert e.place is None


def test_a_hyphenated_place_modifier_is_no_event_place():
    e = event("The London-based group Amnesty International accused Iran of torture.",
              "accused")
    assert e.place is None


def test_the_event_noun_phrase_names_its_place():
    e = event("Iran condemned the US strike on Iraqi militias near Baghdad.", "strike")
    assert e.place is not None and e.place["name"] == "Baghdad"
    assert e.place["how"] == "noun_phrase"


def _sentence_places(analysis: DocumentAnalysis, e: Event) -> set[str]:
    text = analysis.document.text
    start = text.rfind(e.sentence, 0, e.end) if e.sentence else -1
    if start < 0 or start > e.start:
        start = text.find(e.sentence)
    end = start + len(e.sentence)
    return {p.name for p in analysis.places if start <= p.start < end}


def test_no_development_event_gets_a_place_its_sentence_does_not_name(shared_dir):
    documents = []
    for line in (shared_dir / "corpus" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        documents.append(Document(id=record["id"], text=record["text"],
                                  published=record.get("published")))
    placed = 0
    for analysed in analyse_documents(documents, Config(n_process=1)):
        for e in analysed.result.events:
            if e.place is None:
                continue
            placed += 1
            assert e.place["how"] in ("noun_phrase", "clause", "sentence")
            assert e.place["name"] in _sentence_places(analysed.result, e), (
                e.document, e.trigger, e.place["name"])
    assert placed > 0
