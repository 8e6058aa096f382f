"""Tests for rashomon.graph_export: relations CSV, GraphML, GEXF and the GDELT-like TSV."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import pytest
from test_relations import synthetic_analysis

from rashomon.graph_export import (
    GDELT_COLUMNS,
    RELATION_COLUMNS,
    event_code,
    export_graph,
    goldstein,
)
from rashomon.relations import build_relations
from rashomon.types import Event

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://gexf.net/1.3}"


@pytest.fixture
def analysis():
    a = synthetic_analysis()
    a.relations = build_relations(a.events, a.claims, a.documents, a.actors) + build_relations(
        a.events, a.claims, a.documents, a.actors, rollup=True)
    return a


def test_relations_csv(analysis, tmp_path):
    path = export_graph(analysis, "relations-csv", tmp_path / "out" / "relations.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert list(rows[0]) == RELATION_COLUMNS
    assert len(rows) == len(analysis.relations)
    row = next(r for r in rows if (r["a"], r["b"], r["period"], r["view"])
               == ("soleimani", "usa", "2020", "direct"))
    assert row["a_name"] == "Qassem Soleimani" and row["events"] == "e8;e12"
    assert {r["view"] for r in rows} == {"direct", "rolled_up"}


def test_graphml_parses_and_escapes(analysis, tmp_path):
    path = export_graph(analysis, "graphml", tmp_path / "g.graphml")
    root = ET.parse(path).getroot()
    graph = root.find(f"{GRAPHML}graph")
    nodes = {n.get("id"): n for n in graph.findall(f"{GRAPHML}node")}
    edges = graph.findall(f"{GRAPHML}edge")
    assert len(edges) == len(analysis.relations)
    assert set(nodes) == {r.a for r in analysis.relations} | {r.b for r in analysis.relations}
    name = nodes["peshmerga"].find(f"{GRAPHML}data[@key='name']").text
    assert name == 'Peshmerga <b>"Kurdish"</b>'  # round-trips: escaped on disk
    assert "<b>" not in path.read_text(encoding="utf-8")


def test_gexf_is_dynamic_with_yearly_edges(analysis, tmp_path):
    path = export_graph(analysis, "gexf", tmp_path / "g.gexf")
    root = ET.parse(path).getroot()
    graph = root.find(f"{GEXF}graph")
    assert graph.get("mode") == "dynamic"
    edges = graph.find(f"{GEXF}edges").findall(f"{GEXF}edge")
    assert len(edges) == len(analysis.relations)
    # an undated relation has no start: it is in no year
    assert {e.get("start") for e in edges} == {"2014-01-01", "2020-01-01", None}
    labels = {n.get("id"): n.get("label") for n in graph.find(f"{GEXF}nodes")}
    assert labels["usa"] == "United States"


def test_gdelt_tsv(analysis, tmp_path):
    path = export_graph(analysis, "gdelt-tsv", tmp_path / "events.tsv")
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    assert list(rows[0]) == GDELT_COLUMNS
    ids = {(r["DocumentId"], r["Start"]) for r in rows}
    assert len(rows) == 14  # 16 events less one denied and one in a comment
    assert len(ids) == len(rows)
    strike = next(r for r in rows if r["Actor2Name"] == "Qassem Soleimani"
                  and r["DocumentId"] == "hd-airport")
    assert strike["SQLDATE"] == "20200103"
    assert strike["Actor1Code"] == "USA" and strike["Actor2CountryCode"] == "IRN"
    assert strike["QuadClass"] == "4" and strike["EventRootCode"] == "18"
    assert strike["GoldsteinScale"] == "-10.0"
    assert strike["NumMentions"] == "2"  # Harbor Daily and Liberty Ledger
    assert strike["ActionGeo_FullName"] == "Baghdad" and strike["ActionGeo_Lat"] == "33.31"
    assert strike["SOURCEURL"].endswith("/hd-airport")
    assert strike["IsRootEvent"] == "1"
    mosul = next(r for r in rows if r["Actor1Name"] == "Islamic State" and r["EventCode"])
    assert mosul["SQLDATE"] == "20140612"  # no event date: the publication date


def test_event_code_and_goldstein_fall_back_to_ontology():
    e = Event("x", "d", 0, 1, "", None, "SUPPORT", "verbal_cooperation", "a", "b",
              mode="praise")
    assert event_code(e) == "051" and goldstein(e) == 3.4
    e.mode = None
    assert event_code(e) == "05" and goldstein(e) == 3.5
    e.cameo, e.intensity = "052", 2.0
    assert event_code(e) == "052" and goldstein(e) == 2.0


def test_unknown_format(analysis, tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        export_graph(analysis, "dot", tmp_path / "x")
