"""The DuckDB store: versioned schema, whole-document transactions, reads back what it wrote."""

from __future__ import annotations

import duckdb
import pytest

from rashomon.store import MIGRATIONS, Store, StoreError
from rashomon.types import Actor, Claim, Document, DocumentAnalysis, Event, Mention


def _analysis(doc_id: str = "d1") -> DocumentAnalysis:
    doc = Document(id=doc_id, text="Tehran denied it.", title="T", published="2020-01-05")
    mention = Mention(document=doc_id, start=0, end=6, text="Tehran", actor="iran", rule="metonym")
    event = Event(id=f"{doc_id}:e1", document=doc_id, start=0, end=17, sentence=doc.text,
                  trigger="denied", type="REJECT", quad="verbal_conflict", source="iran",
                  target=None)
    return DocumentAnalysis(document=doc, mentions=[mention], events=[event])


IRAN = Actor(id="iran", name="Iran", kind="state", country="IR", aliases=["Iran", "Tehran"])


def test_a_new_store_gets_the_current_schema_version(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        assert store.schema_version() == len(MIGRATIONS)


def test_a_document_and_its_findings_read_back_as_written(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add_analysis(_analysis(), [IRAN])
        assert store.has_document("d1")
        assert store.document("d1").title == "T"
        assert [m.text for m in store.mentions("d1")] == ["Tehran"]
        assert store.events()[0].type == "REJECT"
        assert store.actors()[0].aliases == ["Iran", "Tehran"]


def test_stored_ids_finds_documents_and_duplicates(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add_analysis(_analysis("d1"), [IRAN])
        store.add_duplicate("d2", "d1", "exact", "b.txt")
        asked = ["d1", "d2", "d3", "d1"]
        assert store.stored_ids(asked) == {d for d in asked if store.has_document(d)}
        assert store.stored_ids(asked) == {"d1", "d2"}
        assert store.stored_ids([]) == set()


def test_a_failed_write_leaves_nothing_of_that_document(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add_analysis(_analysis("d1"), [IRAN])
        broken = _analysis("d2")
        broken.events.append(broken.events[0])  # duplicate event id violates the primary key
        with pytest.raises(duckdb.Error):
            store.add_analysis(broken, [IRAN])
        assert not store.has_document("d2")
        assert [d.id for d in store.documents()] == ["d1"]
        assert len(store.mentions()) == 1


def test_findings_stream_a_document_at_a_time_in_document_order(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        for doc_id in ("d2", "d1", "d3"):
            store.add_analysis(_analysis(doc_id), [IRAN])
        grouped = list(store.by_document(("events", "mentions"), batch=1))
        assert [doc for doc, _ in grouped] == ["d1", "d2", "d3"]
        for doc, (events, mentions) in grouped:
            assert [e.id for e in events] == [f"{doc}:e1"]
            assert [m.document for m in mentions] == [doc]


def test_a_few_documents_are_read_with_their_findings_and_nothing_else(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        for doc_id in ("d1", "d2", "d3"):
            store.add_analysis(_analysis(doc_id), [IRAN])
        some = store.analysis_of(["d3", "d1", "d9"])
        assert [d.id for d in some.documents] == ["d1", "d3"]
        assert [e.document for e in some.events] == ["d1", "d3"]
        assert {m.document for m in some.mentions} == {"d1", "d3"}
        assert [a.id for a in some.actors] == ["iran"]


def test_first_paragraph_ends_count_characters_as_python_does(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        for doc_id, text in (("d1", "Téhéran 😀 denied it.\n\nMore."), ("d2", "One line.")):
            doc = _analysis(doc_id)
            doc.document.text = text
            store.add_analysis(doc, [IRAN])
        assert store.first_paragraph_ends() == {"d1": 20, "d2": 9}


def test_actor_aliases_accumulate_across_documents(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add_analysis(_analysis("d1"), [IRAN])
        store.add_analysis(_analysis("d2"), [Actor(id="iran", name="Iran", kind="state",
                                                   aliases=["Islamic Republic"])])
        assert store.actors()[0].aliases == ["Iran", "Islamic Republic", "Tehran"]


def test_a_store_from_a_newer_rashomon_is_refused(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_version SET version = 99")
    con.close()
    with pytest.raises(StoreError, match="newer than this Rashomon"):
        Store(path)


def test_reading_a_missing_store_says_so(tmp_path):
    with pytest.raises(StoreError):
        Store(tmp_path / "nothing.duckdb", read_only=True)


@pytest.fixture(scope="module")
def filtered_store(tmp_path_factory):
    """Three outlets' documents with events and claims that differ in every filtered field."""
    store = Store(tmp_path_factory.mktemp("filters") / "s.duckdb")
    actors = ["iran", "iraq", "usa"]
    for n, (outlet, published) in enumerate([("Wire Service", "2019-06-01"),
                                             ("Daily Tribune", "2020-01-05"),
                                             ("Wire Daily", "2020-02-11")]):
        doc = Document(id=f"d{n}", text="Some text.", outlet=outlet, published=published)
        events = [Event(id=f"d{n}:e{k}", document=doc.id, start=0, end=4, sentence=doc.text,
                        trigger="hit", type=("ASSAULT", "ACCUSE", "AID")[(n + k) % 3],
                        quad="material_conflict", source=actors[(n + k) % 3],
                        target=actors[(n + 2 * k) % 3] if k else None,
                        date=(None, "2020-01-03", "2019-12-30")[(n * k) % 3])
                  for k in range(3)]
        claims = [Claim(id=f"d{n}:c{k}", document=doc.id, start=0, end=4, sentence=doc.text,
                        speaker=actors[(n + k) % 3] if k != 1 else None, cue="said",
                        content="it", cue_type=("assert", "accuse")[k % 2],
                        about=[actors[(n * k + 1) % 3]] if k else [])
                  for k in range(3)]
        store.add_analysis(DocumentAnalysis(document=doc, events=events, claims=claims),
                           [Actor(id=a, name=a.upper(), kind="state") for a in actors])
    yield store
    store.close()


@pytest.mark.parametrize("actor", [None, "iran", "usa"])
@pytest.mark.parametrize("type_", [None, "assault"])
@pytest.mark.parametrize("period", [None, "2020", "2019-12", "1990"])
@pytest.mark.parametrize("outlet", [None, "wire", "tribune"])
def test_event_and_claim_queries_select_in_the_store_what_a_scan_would(
        filtered_store, actor, type_, period, outlet):
    """The store selects (and streams) exactly the rows a Python scan of everything keeps."""
    from rashomon.query import query_claims, query_events

    store = filtered_store
    published = {d.id: d.published or "" for d in store.documents()}
    told_by = {d.id for d in store.documents() if outlet is None or outlet in d.outlet.lower()}
    expected_events = [
        e.id for e in store.events()
        if (actor is None or actor in (e.source, e.target))
        and (type_ is None or e.type == type_.upper())
        and (period is None or (e.date or "").startswith(period)) and e.document in told_by]
    assert [e.id for e in query_events(store, actor, type_, period, outlet)] \
        == expected_events
    cue_type = "accuse" if type_ else None
    expected_claims = [
        c.id for c in store.claims()
        if (actor is None or actor == c.speaker or actor in c.about)
        and (cue_type is None or c.cue_type == cue_type)
        and (period is None or published[c.document].startswith(period))
        and c.document in told_by]
    assert [c.id for c in query_claims(store, actor, cue_type, period, outlet)] \
        == expected_claims
