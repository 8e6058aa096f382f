"""Tests for rashomon.incidents: clustering across documents, tellings, contradictions,
blind spots, the store, the export and the CLI, on short articles written for these tests."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner

import rashomon
import rashomon.incidents.features as features_module
from rashomon.analyze import analyze_inputs, rebuild_incidents
from rashomon.cli import app
from rashomon.datafiles import DATA
from rashomon.incidents.cluster import mean_rows, pair_model, pair_weights, text_key
from rashomon.incidents.features import (
    FEATURES,
    EventView,
    dates_apart,
    effective_date,
    event_views,
    feature_matrix,
    parse_date,
)
from rashomon.incidents.linkage import cluster, telling_days, telling_pairs
from rashomon.incidents.tellings import incident_views, numbers
from rashomon.outlet_registry import load_registry, use_registry
from rashomon.outlets import outlet_view
from rashomon.store import Store
from rashomon.types import Actor, Document, Event

# Two outlets tell one rocket attack and blame different perpetrators; a third outlet, of
# another group, reports something else in the same days and leaves the attack out.
ARTICLES = [
    {"id": "hd-balad", "outlet": "Harbor Daily", "published": "2020-01-09",
     "url": "https://harbordaily.example/2020/01/09/balad",
     "text": "Rockets hit Iraqi base\n\nKataib Hezbollah fired eight rockets at the Balad "
             "air base north of Baghdad on Wednesday, wounding two Iraqi soldiers, officials "
             "said.\n\nThe group has attacked bases hosting US troops before."},
    {"id": "rr-balad", "outlet": "Resistance Review", "published": "2020-01-09",
     "url": "https://resistancereview.example/news/77",
     "text": "Rockets strike Balad base\n\nThe United States fired four rockets at the Balad "
             "air base north of Baghdad on Wednesday, wounding five Iraqi soldiers, a "
             "security source said.\n\nWashington has staged such provocations before."},
    {"id": "go-vote", "outlet": "Gulf Observer", "published": "2020-01-10",
     "url": "https://gulfobserver.example/vote",
     "text": "Parliament votes\n\nIraq's parliament voted in Baghdad on Thursday to expel "
             "foreign troops from the country."},
]

# Two outlets tell one attack in their own words, a day apart; the same group's attack on
# another town two weeks later, told alike by one of them, is another incident.
ATTACKS = [
    {"id": "wt-kirkuk", "outlet": "Western Tribune", "published": "2021-03-15",
     "text": "Police station attacked in Kirkuk\n\nIslamic State militants attacked a police "
             "station in Kirkuk on Sunday, killing three officers, police said.\n\n"
             "The group has lost most of its territory since 2017."},
    {"id": "ep-kirkuk", "outlet": "Eastern Post", "published": "2021-03-16",
     "text": "Kirkuk police targeted\n\nDaesh gunmen stormed a Kirkuk police station on "
             "Sunday and killed three policemen, according to a security source."},
    {"id": "wt-mosul", "outlet": "Western Tribune", "published": "2021-03-29",
     "text": "Checkpoint attacked in Mosul\n\nIslamic State militants attacked an army "
             "checkpoint in Mosul on Saturday, killing two soldiers, police said."},
]

REGISTRY = """
- {name: Harbor Daily, domains: [harbordaily.example], country: US, owner: commercial, bloc: west}
- {name: Resistance Review, domains: [resistancereview.example], country: IR, owner: blog,
   bloc: axis}
- {name: Gulf Observer, domains: [gulfobserver.example], country: AE, owner: state_media,
   bloc: gulf}
"""


@pytest.fixture(scope="module")
def analysis():
    return rashomon.analyze([dict(a) for a in ARTICLES])


@pytest.fixture(scope="module")
def registry_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reg") / "outlets.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


@pytest.fixture()
def registry(registry_file):
    yield use_registry([registry_file])
    use_registry([])


def _incident_of(analysis, doc_id):
    return {e.incident for e in analysis.events if e.document == doc_id and e.type == "ASSAULT"}


def test_two_outlets_one_incident_with_perpetrator_contradiction(analysis):
    shared = _incident_of(analysis, "hd-balad") & _incident_of(analysis, "rr-balad")
    assert len(shared) == 1, "both tellings of the attack belong to one incident"
    (view,) = [v for v in incident_views(analysis) if v.incident.id in shared]
    assert set(view.outlets) == {"Harbor Daily", "Resistance Review"}
    kinds = {c.kind for c in view.contradictions}
    assert "perpetrator" in kinds
    (perp,) = [c for c in view.contradictions if c.kind == "perpetrator"]
    sides = [{e.split(":")[0] for e in side} for side in perp.evidence]
    assert sides == [{"hd-balad"}, {"rr-balad"}]  # each side's evidence from its own outlet
    assert "numbers" in kinds  # eight rockets against four, two wounded against five


def test_unrelated_report_is_its_own_incident(analysis):
    vote = {e.incident for e in analysis.events if e.document == "go-vote"}
    assert vote and not vote & _incident_of(analysis, "hd-balad")


def test_incident_fields(analysis):
    (inc,) = [i for i in analysis.incidents if len(i.documents) == 2]
    assert inc.documents == ["hd-balad", "rr-balad"]
    assert inc.type == "ASSAULT" and inc.date and inc.date.startswith("2020-01")
    assert inc.place and inc.place["name"] in ("Balad", "Baghdad")
    assert "ASSAULT" in inc.summary and "2 documents" in inc.summary
    assert 0.0 < inc.confidence <= 1.0
    assert {e.id for e in analysis.events if e.incident == inc.id} == set(inc.events)


def test_blind_spot_for_the_outlet_that_omits_the_incident(analysis, registry):
    view = outlet_view(analysis)
    assert view.profiles["Gulf Observer"].group == "gulf"
    # The attack both outlets tell (the group's earlier attacks, told in passing, are
    # another incident).
    (attack,) = _incident_of(analysis, "hd-balad") & _incident_of(analysis, "rr-balad")
    spots = {s.incident: s.told_by for s in view.blind_spots["Gulf Observer"]}
    assert spots[attack] == ["Harbor Daily", "Resistance Review"]
    assert attack not in {s.incident for s in view.blind_spots["Harbor Daily"]}
    assert view.warning is None


def test_export_follows_schema(analysis):
    schema = json.loads((DATA / "analysis.schema.json").read_text(encoding="utf-8"))
    data = analysis.to_dict()
    jsonschema.validate(data, schema)
    ids = {i["id"] for i in data["incidents"]}
    assert all(e["incident"] in ids for e in data["events"] if not e["in_comment"])


def test_packaged_schema_is_the_shared_one():
    shared = Path(__file__).resolve().parents[2] / "shared" / "schema" / "analysis.schema.json"
    if not shared.exists():
        pytest.skip("../shared is absent")
    packaged = json.loads((DATA / "analysis.schema.json").read_text(encoding="utf-8"))
    assert packaged == json.loads(shared.read_text(encoding="utf-8"))


def test_store_keeps_incidents_and_cli_shows_them(tmp_path, registry_file):
    for a in ARTICLES:
        (tmp_path / f"{a['id']}.jsonl").write_text(json.dumps(a) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    inputs = [str(tmp_path / f"{a['id']}.jsonl") for a in ARTICLES]
    with Store(db) as store:
        analyze_inputs(inputs, store)
        stored = store.incidents()
        events = store.events()
        vectors = store.text_vectors()
        analyze_inputs(inputs, store)  # a rerun encodes nothing new and keeps the incidents
        assert store.text_vectors() == vectors and store.incidents() == stored
    assert vectors and any(len(i.documents) == 2 for i in stored)
    assert all(e.incident for e in events)
    # The run encoded the sentences in the background as it committed the documents; the
    # step after them encodes all the same from nothing.
    assert set(vectors) == {text_key(e.sentence) for e in events if not e.in_comment}
    with Store(db) as store:
        store.con.execute("DELETE FROM text_vectors")
        rebuild_incidents(store)
        assert store.incidents() == stored and store.text_vectors() == vectors
    runner = CliRunner()
    listed = runner.invoke(app, ["incidents", "--db", str(db), "--outlets", str(registry_file)],
                           env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    (shared,) = [i for i in stored if len(i.documents) == 2]
    assert shared.id in listed.output and "1 incident(s)" in listed.output
    filtered = runner.invoke(app, ["incidents", "--db", str(db), "--period", "2019"])
    assert "0 incident(s)" in filtered.output
    shown = runner.invoke(app, ["incident", shared.id, "--db", str(db)],
                          env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "Harbor Daily" in shown.output and "Resistance Review" in shown.output
    assert "perpetrator" in shown.output and "United States" in shown.output
    missing = runner.invoke(app, ["incident", "inc-nothing", "--db", str(db)])
    assert missing.exit_code == 2 and "no such incident" in missing.output


def test_incidents_read_from_the_store_a_few_at_a_time_are_the_whole_store_s(
        tmp_path, monkeypatch):
    """`rashomon incidents` reads the tellings of a few incidents at a time (their documents
    only); the views are those of the whole store read at once."""
    from rashomon import query
    from rashomon.incidents.tellings import incident_views

    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        for a in ARTICLES:
            (tmp_path / f"{a['id']}.jsonl").write_text(json.dumps(a) + "\n", encoding="utf-8")
        analyze_inputs([str(tmp_path / f"{a['id']}.jsonl") for a in ARTICLES], store)
        whole = incident_views(store.analysis())
        monkeypatch.setattr(query, "INCIDENTS_PER_READ", 1)
        chunked = list(query.query_incidents(store, multi_only=False))
    assert len(whole) > 1
    assert [(v.incident, v.tellings, v.contradictions) for v in chunked] == [
        (v.incident, v.tellings, v.contradictions) for v in whole]


def test_one_attack_told_by_two_outlets_and_another_attack_apart():
    analysis = rashomon.analyze([dict(a) for a in ATTACKS])
    kirkuk = _incident_of(analysis, "wt-kirkuk") & _incident_of(analysis, "ep-kirkuk")
    assert len(kirkuk) == 1, "both tellings of the Kirkuk attack are one incident"
    mosul = _incident_of(analysis, "wt-mosul")
    assert mosul and not mosul & kirkuk, "same group, same act, another day and town"
    (incident,) = [i for i in analysis.incidents if i.id in kirkuk]
    assert incident.documents == ["ep-kirkuk", "wt-kirkuk"]
    # where the time went, corpus-level steps included
    assert {"parse", "events", "relations", "incidents"} <= set(analysis.timings)


def test_cluster_averages_over_pairs_of_different_documents():
    # 0 and 1 are two sentences of document A that read apart (0.0); 2, in document B,
    # tells what both tell. Across documents the mean is 0.5: one incident. A plain
    # average over all pairs (no documents given) would count A's own pair and split it.
    pairs = [(0, 1), (0, 2), (1, 2)]
    probs = np.array([0.0, 0.6, 0.5])
    assert cluster(3, pairs, probs, 0.3, "average", ["A", "A", "B"]) == [[0, 1, 2]]
    assert cluster(3, pairs, probs, 0.3, "average") == [[0, 2], [1]]


def test_a_telling_like_one_member_only_stays_apart_from_the_group():
    # 0, 1, 2 in three documents tell one incident; 3 reads like 2 alone (0.7) and little
    # like 0 and 1 (a neighbouring act of the same story): the mean of its pairs with the
    # group (0.23) is under the threshold, and one probable pair does not bring it in.
    pairs = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]
    probs = np.array([0.8, 0.7, 0.7, 0.0, 0.0, 0.7])
    docs = ["A", "B", "C", "D"]
    assert cluster(4, pairs, probs, 0.3, "average", docs) == [[0, 1, 2], [3]]
    # read like two of the three, it joins them (mean 0.47)
    closer = np.array([0.8, 0.7, 0.7, 0.7, 0.0, 0.7])
    assert cluster(4, pairs, closer, 0.3, "average", docs) == [[0, 1, 2, 3]]


def test_events_of_one_sentence_are_one_telling():
    # 0 and 1 come from one sentence ("a"), 2 and 3 from two others; 1 and 3 are dated
    # apart. Event pairs inside one sentence feed no pair of tellings, the two event pairs
    # between "a" and "b" feed one, and the pair of tellings "a"-"c" is dated apart.
    members, tellings, rows, apart = telling_pairs(
        ["a", "a", "b", "c"], [(0, 1), (0, 2), (1, 2), (0, 3), (2, 3)], apart=[(1, 3)])
    assert members == [[0, 1], [2], [3]]
    assert tellings.tolist() == [[0, 1], [1, 2]]
    assert rows.tolist() == [-1, 0, 0, -1, 1]
    assert apart == [(0, 2)]


def test_a_pair_of_tellings_reads_mostly_its_main_events():
    # A sentence's reporting verb read as an act (salience 0.02) beside its main event
    # (0.9): the pair of tellings is scored on the mean of its event pairs' rows, weighted
    # by how likely both are their sentences' main events, so the side event barely moves
    # the columns; where no salience model ran every event counts alike.
    def event(n: int, salience: float | None) -> Event:
        return Event(f"e{n}", "d", 0, 1, "s", "t", "ASSAULT", "material_conflict", None,
                     None, salience=salience)

    events = [event(0, 0.9), event(1, 0.02), event(2, 0.8)]
    pairs = np.array([(0, 2), (1, 2)])
    weights = pair_weights(events, pairs)
    assert weights.tolist() == pytest.approx([0.72, 0.08])  # the floor: 0.1 x 0.8
    x = np.array([[1.0, 0.2], [0.0, 0.6]])
    mean = mean_rows(x, np.zeros(2, dtype=np.int64), 1, weights)
    assert mean[0].tolist() == pytest.approx([0.9, 0.24])
    plain = [replace(e, salience=None) for e in events]
    unweighted = mean_rows(x, np.zeros(2, dtype=np.int64), 1, pair_weights(plain, pairs))
    assert unweighted[0].tolist() == pytest.approx([0.5, 0.4])


# Two outlets tell one raid; the first's raid sentence also yields a misread act and its
# reporting verb ("officials said") as events, the second's a side event (an arrest). A
# third outlet reports a protest elsewhere.
RAID = [
    {"id": "nb-tikrit", "outlet": "North Bulletin", "published": "2021-05-08",
     "text": "Police raid depot in Tikrit\n\nIraqi police raided a weapons depot of the "
             "Kataib Hezbollah militia in Tikrit on Friday and arrested four fighters, while "
             "two guards were killed in the clashes, officials said.\n\nThe militia "
             "condemned the raid and threatened to retaliate against the government."},
    {"id": "sc-tikrit", "outlet": "South Courier", "published": "2021-05-08",
     "text": "Tikrit depot stormed\n\nSecurity forces stormed a Kataib Hezbollah arms depot "
             "in Tikrit on Friday, detaining four militiamen, a police source said.\n\n"
             "Rockets were seized at the site, he said."},
    {"id": "ea-basra", "outlet": "East Agency", "published": "2021-05-09",
     "text": "Protest in Basra\n\nHundreds of protesters rallied in Basra on Saturday to "
             "demand jobs and electricity, local officials said."},
]


def test_one_raid_told_in_sentences_of_several_events_is_one_incident():
    analysis = rashomon.analyze([dict(a) for a in RAID])

    def incidents_of(document: str, opening: str) -> set[str]:
        return {e.incident for e in analysis.events
                if e.document == document and e.sentence.startswith(opening)}

    raid = incidents_of("nb-tikrit", "Iraqi police raided")
    assert len(raid) == 1 and raid == incidents_of("sc-tikrit", "Security forces stormed")
    assert len([e for e in analysis.events if e.document == "nb-tikrit"
                and e.sentence.startswith("Iraqi police")]) > 1, "a sentence of several events"
    assert not incidents_of("nb-tikrit", "The militia condemned") & raid, "the reaction"
    assert incidents_of("ea-basra", "Hundreds") and not incidents_of("ea-basra", "Hundreds") & raid


def test_a_denial_reads_to_the_pair_scorer_as_the_report_it_denies():
    # A report of an act and another outlet's report of its denial are one incident: the
    # pair features do not see modality, so a denial cannot push the tellings apart.
    docs = [Document("d1", "Militants shelled the town.", outlet="A"),
            Document("d2", "The militia denied shelling the town.", outlet="B")]
    told = Event("e1", "d1", 0, 27, "Militants shelled the town.", "shelled", "ASSAULT",
                 "material_conflict", None, None)
    asserted = Event("e2", "d2", 0, 37, "The militia denied shelling the town.", "shelling",
                     "ASSAULT", "material_conflict", None, None)
    denied = replace(asserted, id="e3", negated=True, modality="denied")
    views = event_views([told, asserted, denied], docs, [])
    vectors = tuple(np.eye(3, 4, dtype=np.float32) for _ in range(3))
    rows = feature_matrix(views, [(0, 1), (0, 2)], *vectors)
    cosines = [FEATURES.index(f) for f in FEATURES if f.startswith("cosine")
               or f == "rank_in_document"]
    keep = [n for n in range(len(FEATURES)) if n not in cosines]
    assert rows[0, keep].tolist() == rows[1, keep].tolist()


def test_cluster_never_joins_acts_dated_apart():
    pairs = [(0, 1), (1, 2), (0, 2)]
    probs = np.array([0.9, 0.8, 0.9])
    assert cluster(3, pairs, probs, 0.3, "average", ["A", "B", "C"]) == [[0, 1, 2]]
    assert cluster(3, [(0, 1), (1, 2)], probs[:2], 0.3, "average", ["A", "B", "C"],
                   apart=[(0, 2)]) == [[0, 1], [2]]


def test_cluster_never_chains_tellings_dated_years_apart_through_undated_ones():
    # 0 (March 2008) and 2 (November 2021) are never compared (their dates lie years
    # apart); 1, from a document without a date, reads like both. Each pair with 1 is
    # likely and the pair never scored counts 0, so the mean alone (0.35) would join all
    # three; a group whose dated tellings span more than BLOCK_DAYS is never formed.
    pairs = [(0, 1), (1, 2)]
    probs = np.array([0.9, 0.7])
    days = np.array([[733_132.0, 733_132.0], [np.nan, np.nan], [738_101.0, 738_101.0]])
    docs = ["A", "B", "C"]
    assert cluster(3, pairs, probs, 0.3, "average", docs) == [[0, 1, 2]]
    assert cluster(3, pairs, probs, 0.3, "average", docs, days=days) == [[0, 1], [2]]
    # dated within the window, the same three are one incident
    near = np.array([[733_132.0, 733_132.0], [np.nan, np.nan], [733_140.0, 733_140.0]])
    assert cluster(3, pairs, probs, 0.3, "average", docs, days=near) == [[0, 1, 2]]


def test_telling_days_span_the_dated_events_of_each_telling():
    views = [_view("2020-01-03"), _view(None, "other"), _view("2020-01-08"),
             _view("2020", "third")]
    days = telling_days([[0, 2], [1], [3]], views)
    first, last = parse_date("2020-01-03")[0], parse_date("2020-01-08")[0]
    assert days[0].tolist() == [first.toordinal(), last.toordinal()]
    assert np.isnan(days[1:]).all(), "undated, or dated to the year only"


def test_an_undated_telling_stands_on_the_latest_day_its_document_dates():
    # An undated report dates one act (5 November 2021); its other tellings are undated.
    # They stand on that day, so no group of 2008 tellings takes them in; a telling of an
    # undated report that dates nothing stays undated.
    views = [_view("2021-11-01", "report"), _view("2021-11-05", "report"),
             _view(None, "report"), _view(None, "bare"), _view("2008-03-25", "old")]
    days = telling_days([[0], [1], [2], [3], [4]], views)
    latest = parse_date("2021-11-05")[0].toordinal()
    assert days[2].tolist() == [latest, latest]
    assert np.isnan(days[3]).all()
    pairs = [(2, 4)]
    probs = np.array([0.9])
    docs = ["report", "report", "report", "bare", "old"]
    assert [2, 4] not in cluster(5, pairs, probs, 0.3, "average", docs, days=days)
    assert [2, 4] in cluster(5, pairs, probs, 0.3, "average", docs,
                             days=np.where(np.arange(5)[:, None] == 2, np.nan, days))


def test_generic_groups_overlap_by_their_sector_not_their_id():
    # Two outlets describe the other side as "militias" and "armed groups" (two generic
    # groups, one sector): the overlap columns read one actor; a named militia's id and a
    # generic group of another sector ("protesters") do not overlap with them.
    docs = [Document(f"d{n}", "Troops attacked them in Basra.", outlet=f"O{n}")
            for n in range(4)]
    actors = [Actor("army", "Army", "organization"),
              Actor("g:militias", "militias", "group", sector="REB"),
              Actor("g:armed_groups", "armed groups", "group", sector="REB"),
              Actor("g:protesters", "protesters", "group", sector="CVL"),
              Actor("mahdi_army", "Mahdi Army", "organization")]
    targets = ["g:militias", "g:armed_groups", "g:protesters", "mahdi_army"]
    events = [Event(f"e{n}", d.id, 0, len(d.text), d.text, "attacked", "ASSAULT",
                    "material_conflict", "army", target)
              for n, (d, target) in enumerate(zip(docs, targets, strict=True))]
    views = event_views(events, docs, actors)
    assert views[0].actors == views[1].actors == frozenset({"army", "sector:REB"})
    vectors = tuple(np.eye(4, 4, dtype=np.float32) for _ in range(3))
    rows = feature_matrix(views, [(0, 1), (0, 2), (0, 3)], *vectors)
    exact = FEATURES.index("actors_exact")
    assert rows[0, exact] == 1.0
    assert rows[1, exact] == rows[2, exact] == pytest.approx(1 / 3)
    # in its role a generic group still neither agrees nor clashes
    ok, clash = FEATURES.index("target_compatible"), FEATURES.index("target_clash")
    assert rows[:, [ok, clash]].tolist() == [[0.0, 0.0]] * 3


def test_a_generic_group_neither_agrees_nor_clashes_with_a_named_one():
    # One outlet names the militia, another calls it "militias" (a generic group): the
    # target column reads no clash; two named militias do clash.
    docs = [Document("d1", "Troops attacked the Mahdi Army in Basra.", outlet="A"),
            Document("d2", "Troops attacked militias in Basra.", outlet="B"),
            Document("d3", "Troops attacked Kataib Hezbollah in Basra.", outlet="C")]
    actors = [Actor("army", "Army", "organization"),
              Actor("mahdi_army", "Mahdi Army", "organization"),
              Actor("kataib_hezbollah", "Kataib Hezbollah", "organization"),
              Actor("g:militias", "militias", "group", sector="REB")]
    events = [Event(f"e{n}", d.id, 0, len(d.text), d.text, "attacked", "ASSAULT",
                    "material_conflict", "army", target)
              for n, (d, target) in enumerate(zip(docs, ["mahdi_army", "g:militias",
                                                         "kataib_hezbollah"], strict=True))]
    views = event_views(events, docs, actors)
    vectors = tuple(np.eye(3, 4, dtype=np.float32) for _ in range(3))
    rows = feature_matrix(views, [(0, 1), (0, 2)], *vectors)
    ok, clash = FEATURES.index("target_compatible"), FEATURES.index("target_clash")
    assert rows[0, [ok, clash]].tolist() == [0.0, 0.0]
    assert rows[1, [ok, clash]].tolist() == [0.0, 1.0]
    source_ok = FEATURES.index("source_compatible")
    assert rows[:, source_ok].tolist() == [1.0, 1.0]


def _view(own: str | None, document: str = "d") -> EventView:
    day, precision = parse_date(own)
    return EventView("e", document, "material_conflict", "ASSAULT", frozenset(), frozenset(),
                     frozenset(), (None, None), (frozenset(), frozenset()), day, precision,
                     day, precision, None, None)


def test_dates_apart_and_effective_date():
    assert dates_apart(_view("2020-01-03"), _view("2020-01-08"))
    assert not dates_apart(_view("2020-01-03"), _view("2020-01-05"))  # within the tolerance
    assert not dates_apart(_view("2020-01"), _view("2020-01-20"))  # inside the month
    assert dates_apart(_view("2019-12"), _view("2020-01-20"))
    assert not dates_apart(_view("2019"), _view("2020-01-20"))  # a year is too coarse
    assert not dates_apart(_view(None), _view("2020-01-20"))
    day, _ = parse_date("2008-04-08")
    # "in 2008" in a report of 8 April 2008: the report's day is the more precise date
    assert effective_date(*parse_date("2008"), day, 3) == (day, 3)
    # a month the report's day is not in: the text's own date stands
    assert effective_date(*parse_date("2008-02"), day, 3) == parse_date("2008-02")
    assert effective_date(None, 0, day, 3) == (day, 3)


def test_cluster_splits_a_chained_component():
    # 0-1 and 1-2 are likely pairs, 0-2 unlikely: average linkage keeps 0 and 2 apart
    # when the mean falls under the threshold, single links would chain them.
    pairs = [(0, 1), (1, 2), (0, 2), (2, 3)]
    probs = np.array([0.9, 0.35, 0.0, 0.05])
    assert cluster(4, pairs, probs, 0.3, "average") == [[0, 1], [2], [3]]
    assert cluster(4, pairs, probs, 0.3, "single") == [[0, 1, 2], [3]]


def _average_by_definition(n: int, pairs: list[tuple[int, int]], probs: list[float],
                           threshold: float, docs: list[str],
                           apart: list[tuple[int, int]]) -> list[list[int]]:
    """Average linkage as ``cluster`` defines it, every mean recounted from the pairs at
    each step: merge the two groups of the highest mean at or above the threshold (ties:
    the lowest pair of least members), never two groups holding an apart pair."""
    scored = {(min(i, j), max(i, j)): p for (i, j), p in zip(pairs, probs, strict=True)}
    blocked = {(min(i, j), max(i, j)) for i, j in apart}
    groups = [[m] for m in range(n)]

    def mean(g: list[int], h: list[int]) -> float | None:
        between = [(min(x, y), max(x, y)) for x in g for y in h]
        if any(k in blocked for k in between):
            return None
        if len({docs[m] for m in g + h}) > 1:  # else: one document, all pairs count
            crossing = [k for k in between if docs[k[0]] != docs[k[1]]]
            between = crossing or between
        return sum(scored.get(k, 0.0) for k in between) / len(between)

    while True:
        candidates = []
        for x, g in enumerate(groups):
            for h in groups[x + 1:]:
                m = mean(g, h)
                if m is not None and m >= threshold:
                    candidates.append((-m, min(min(g), min(h)), max(min(g), min(h)), g, h))
        if not candidates:
            return sorted((sorted(g) for g in groups), key=min)
        *_, g, h = min(candidates, key=lambda c: c[:3])
        groups.remove(h)
        g += h


def test_average_linkage_is_its_definition_ties_and_all():
    """The sparse average linkage merges as recounting every mean at every step would,
    on random components of several documents (probabilities in eighths: every sum exact,
    so equal means tie and the tie order is tested too)."""
    rng = np.random.default_rng(11)
    for trial in range(40):
        n = int(rng.integers(3, 14))
        docs = [f"d{k}" for k in rng.integers(0, 1 + trial % 5, size=n)]
        everything = [(i, j) for i in range(n) for j in range(i + 1, n)]
        chosen = [everything[k] for k in np.flatnonzero(rng.random(len(everything)) < 0.6)]
        apart = [p for p in chosen if rng.random() < 0.05]
        pairs = [p for p in chosen if p not in apart]
        probs = (rng.integers(0, 9, size=len(pairs)) / 8).tolist()
        expected = _average_by_definition(n, pairs, probs, 0.5, docs, apart)
        assert cluster(n, pairs, np.array(probs), 0.5, "average", docs, apart) == expected


def test_shipped_pair_model_matches_the_features():
    meta = pair_model().meta
    assert meta["features"] == list(FEATURES)
    assert 0.0 < meta["threshold"] < 1.0 and meta["cv"]["scheme"] == "leave-one-story-out"


def test_numbers_and_dates():
    assert numbers("The blast killed 12 people and wounded dozens more.") == {
        "killed": 12, "wounded": 24}
    assert numbers("In 2019 two soldiers were hurt.") == {"wounded": 2}
    assert parse_date("2020-01") == (parse_date("2020-01-01")[0], 2)
    assert parse_date("soon") == (None, 0)


def test_registry_resolves_url_metadata_and_credit(tmp_path):
    from rashomon.outlet_registry import document_date, outlet_for, url_date
    from rashomon.types import Document

    reg = load_registry()
    by_url = Document("a", "text", url="https://www.reuters.com/world/x")
    assert outlet_for(by_url, reg)[0].name == "Reuters"
    assert outlet_for(by_url, reg)[1] == "url"
    by_name = Document("b", "text", outlet="Fox News (AP)")
    assert outlet_for(by_name, reg)[0].name == "Fox News"
    credited = Document("c", "BAGHDAD (Reuters) - Officials met on Monday.")
    assert outlet_for(credited, reg) [0].name == "Reuters"
    assert outlet_for(Document("d", "Nothing here."), reg) == (None, "none")
    assert url_date("https://x.example/2008/03/31/story") == "2008-03-31"
    assert url_date("https://x.example/29092018-story") == "2018-09-29"
    assert url_date("https://x.example/world/2008/03/2008615.html") == "2008-03"
    assert url_date("https://x.example/news/77") is None
    assert document_date(Document("e", "t", url="https://x.example/2021-11-06/a")) == "2021-11-06"
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {name: X, owner: tabloid}\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"bad.yaml: entry 1: owner 'tabloid'"):
        load_registry([bad])


def test_pair_model_of_another_feature_layout_is_a_clear_error(tmp_path, monkeypatch):
    from rashomon.incidents import cluster as incidents_cluster
    from rashomon.models import LinearModel

    stale = tmp_path / "incident_pairs.npz"
    LinearModel(["0", "1"], np.zeros((1, 3), np.float32), np.zeros(1, np.float32),
                {"features": ["a", "b", "c"]}).save(stale)
    monkeypatch.setattr(incidents_cluster, "packaged", lambda name: stale)
    with pytest.raises(ValueError, match="retrain it with train/incident_pairs.py"):
        incidents_cluster.pair_model.__wrapped__()


def _views_on(days: list[int]) -> list[EventView]:
    from datetime import date, timedelta

    start = date(2020, 1, 1)
    return [EventView(id=f"e{n}", document=f"d{n}", quad="material_conflict", type="ASSAULT",
                      actors=frozenset(), lineage=frozenset(), countries=frozenset(),
                      roles=(None, None), role_lineages=(frozenset(), frozenset()),
                      day=start + timedelta(days=d), precision=3, own_day=None,
                      own_precision=0, place=None, place_country=None)
            for n, d in enumerate(days)]


def test_candidate_pairs_are_every_pair_of_a_sparse_date_window():
    from rashomon.incidents.candidates import BLOCK_DAYS, candidate_pairs

    days = [0, 3, 50, 70, 200, 205, 400]
    views = _views_on(days)
    vectors = np.random.default_rng(0).normal(size=(len(days), 8)).astype(np.float32)
    expected = [[i, j] for i in range(len(days)) for j in range(i + 1, len(days))
                if abs(days[i] - days[j]) <= BLOCK_DAYS]
    assert candidate_pairs(views, vectors).tolist() == expected


def test_candidate_pairs_of_a_crowded_window_stay_linear(monkeypatch):
    """However many events one window holds, each keeps its most similar NEIGHBOURS."""
    from rashomon.incidents import candidates

    monkeypatch.setattr(candidates, "NEIGHBOURS", 5)
    monkeypatch.setattr(candidates, "SIMILARITY_CELLS", 400)  # several blocks
    views = _views_on([n % 30 for n in range(120)])
    vectors = np.random.default_rng(1).normal(size=(120, 8)).astype(np.float32)
    pairs = candidates.candidate_pairs(views, vectors).tolist()
    assert len(pairs) <= 120 * 5
    nearest = int(np.argsort(-(vectors[1:] @ vectors[0]))[0]) + 1
    assert [0, nearest] in pairs  # the most similar event is always compared


def test_most_similar_keeps_k_per_row_and_the_first_of_equals():
    from rashomon.incidents.candidates import most_similar

    sims = np.array([[0.1, 0.9, 0.5, 0.5, 0.5, 0.2],
                     [0.3, 0.3, 0.3, 0.3, 0.3, 0.3],
                     [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]], dtype=np.float32)
    rows, columns = most_similar(sims, 3)
    kept = [columns[rows == r].tolist() for r in range(3)]
    assert kept == [[1, 2, 3], [0, 1, 2], [3, 4, 5]]
    rows, columns = most_similar(sims[:, :2], 3)  # fewer columns than k: all of them
    assert columns.tolist() == [0, 1, 0, 1, 0, 1]


def test_most_similar_matches_a_stable_sort_of_each_row_ties_and_all():
    from rashomon.incidents.candidates import most_similar

    rng = np.random.default_rng(3)
    # few distinct values: most rows have more values tied at their k-th than room
    sims = (rng.integers(0, 6, size=(40, 30)) / 5).astype(np.float32)
    sims[::3] = rng.random((14, 30), dtype=np.float32)  # and some rows without ties
    for k in (1, 4, 29):
        rows, columns = most_similar(sims, k)
        for r in range(len(sims)):
            best = np.argsort(-sims[r], kind="stable")[:k]
            assert columns[rows == r].tolist() == sorted(best.tolist())


def test_sorted_unique_is_numpys_unique():
    from rashomon.incidents.candidates import sorted_unique

    values = np.random.default_rng(4).integers(0, 50, size=300)
    assert sorted_unique(values).tolist() == np.unique(values).tolist()
    assert sorted_unique(np.zeros(0, dtype=np.int64)).tolist() == []


def test_candidate_pairs_of_undated_events_are_each_ones_nearest(monkeypatch):
    """Every undated event meets its NEIGHBOURS most similar (itself among them), copies
    of one sentence tying in index order: what a loop over events with a stable sort
    keeps."""
    from rashomon.incidents import candidates

    monkeypatch.setattr(candidates, "NEIGHBOURS", 4)
    monkeypatch.setattr(candidates, "SIMILARITY_CELLS", 90)  # several blocks of rows
    rng = np.random.default_rng(2)
    # small integers: every similarity exact, however it is summed
    sentences = rng.integers(-3, 4, size=(12, 8)).astype(np.float32)
    vectors = sentences[rng.integers(0, 12, size=40)]  # copies: equal similarities
    views = [replace(v, day=None, precision=0) for v in _views_on([0] * 40)]
    expected = set()
    for i in range(40):
        order = sorted(range(40), key=lambda j: (-float(vectors[i] @ vectors[j]), j))
        expected |= {(min(i, j), max(i, j)) for j in order[:5] if j != i}
    pairs = candidates.candidate_pairs(views, vectors)
    assert [tuple(p) for p in pairs.tolist()] == sorted(expected)


def test_undated_events_of_a_large_corpus_meet_their_nearest_through_cells(monkeypatch):
    """Beyond EXACT_NEAREST_EVENTS an undated event is compared with the most similar
    events of the cells near its own: sentences in tight groups of their own (one story's
    tellings) meet exactly the events a search among all would give them."""
    from rashomon.incidents import candidates

    monkeypatch.setattr(candidates, "NEIGHBOURS", 5)
    monkeypatch.setattr(candidates, "PROBE_CELLS", 2)
    rng = np.random.default_rng(5)
    stories = rng.normal(size=(30, 16))
    # 30 stories of 8 tellings each, a telling its story's direction plus a little noise
    vectors = np.repeat(stories, 8, axis=0) + 0.05 * rng.normal(size=(240, 16))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    views = [replace(v, day=None, precision=0) for v in _views_on([0] * 240)]
    exact = candidates.candidate_pairs(views, vectors)
    monkeypatch.setattr(candidates, "EXACT_NEAREST_EVENTS", 100)
    cell, pools = candidates.sentence_cells(vectors)
    assert len(pools) == int(np.sqrt(240))
    assert all(c in cell[pool] for c, pool in enumerate(pools) if (cell == c).any())
    by_cells = candidates.candidate_pairs(views, vectors)
    assert by_cells.tolist() == exact.tolist()
    # and a pair is never of two tellings of different stories
    assert (by_cells[:, 0] // 8 == by_cells[:, 1] // 8).all()


def test_split_apart_is_dates_apart_on_each_pair():
    from rashomon.incidents.candidates import split_apart

    days = ["2020-01-03", "2020-01-08", "2020-01-05", "2020-01", "2019-12", "2019", None]
    views = [_view(d) for d in days]
    pairs = [(i, j) for i in range(len(days)) for j in range(i + 1, len(days))]
    kept, apart = split_apart(views, pairs)
    assert [tuple(p) for p in apart.tolist()] == [
        (i, j) for i, j in pairs if dates_apart(views[i], views[j])]
    assert len(kept) + len(apart) == len(pairs) and len(apart) > 0


def test_no_pairs_score_nothing():
    from rashomon.incidents.cluster import score_pairs

    vectors = tuple(np.ones((2, 4), dtype=np.float32) for _ in range(3))
    assert score_pairs(_views_on([0, 1]), np.zeros((0, 2), dtype=np.int64), vectors).shape == (0,)


def test_scoring_in_chunks_scores_as_one_matrix(monkeypatch):
    """score_pairs shares the event codes and the rank column across its chunks: the
    probabilities are those of one feature matrix over all the pairs."""
    from rashomon.incidents import cluster as clustering

    monkeypatch.setattr(clustering, "SCORE_CHUNK", 7)
    rng = np.random.default_rng(3)
    views = [replace(v, document=f"d{n % 4}", quad=("material_conflict", "verbal_conflict")[n % 2],
                     type=("ASSAULT", "ACCUSE", "COERCE")[n % 3],
                     roles=((None, "a"), ("b", None), (None, None))[n % 3],
                     role_lineages=((frozenset(), frozenset({"a"})),
                                    (frozenset({"b"}), frozenset()),
                                    (frozenset(), frozenset()))[n % 3],
                     actors=(frozenset({"a"}), frozenset({"b"}), frozenset())[n % 3])
             for n, v in enumerate(_views_on(list(range(20))))]
    vectors = tuple(rng.normal(size=(20, d)).astype(np.float32) for d in (8, 6, 6))
    pairs = [(i, j) for i in range(20) for j in range(i + 1, 20)]
    model = pair_model()
    whole = model.predict_proba(feature_matrix(views, pairs, *vectors))[:, 1]
    chunked = clustering.score_pairs(views, np.array(pairs), vectors, model)
    assert np.allclose(chunked, whole, atol=1e-6)
    assert len({round(float(p), 3) for p in whole}) > 5  # the columns vary


def test_only_sentences_run_through_the_encoder(monkeypatch):
    # The lead (several sentences) is read as static wordpiece vectors; the encoder sees
    # each distinct event sentence once, and a second call finds them all in ``known``.
    from rashomon.incidents import cluster as incident_cluster
    from rashomon.static_embed import static_vectors

    docs = [Document("d1", "Gunmen burned a market in Tikrit. Shops were closed.",
                     title="Market burned"),
            Document("d2", "A market in Tikrit was set on fire by gunmen.", title="Fire")]
    events = [Event("e1", "d1", 0, 32, "Gunmen burned a market in Tikrit.", "burned",
                    "ASSAULT", "material_conflict", None, None),
              Event("e2", "d1", 0, 32, "Gunmen burned a market in Tikrit.", "burned",
                    "COERCE", "material_conflict", None, None),
              Event("e3", "d2", 0, 45, "A market in Tikrit was set on fire by gunmen.", "set",
                    "ASSAULT", "material_conflict", None, None)]
    encoded: list[str] = []
    real = incident_cluster.encode

    def counting(texts, quantized=False):
        assert quantized  # the incidents' vectors are the quantized encoder's
        encoded.extend(texts)
        return real(texts, quantized=quantized)

    monkeypatch.setattr(incident_cluster, "encode", counting)
    known: dict[str, bytes] = {}
    sentences, leads, words = incident_cluster.text_vectors(events, docs, known)
    assert sorted(encoded) == sorted({e.sentence for e in events})
    assert set(known) == {incident_cluster.text_key(e.sentence) for e in events}
    width = static_vectors().dims
    assert sentences.shape == (3, 384) and leads.shape == words.shape == (3, width)
    assert leads[0].tolist() == leads[1].tolist() != leads[2].tolist()
    assert np.allclose(np.linalg.norm(leads, axis=1), 1.0, atol=1e-5)
    encoded.clear()
    again = incident_cluster.text_vectors(events, docs, known)
    assert encoded == []
    assert all(np.array_equal(a, b) for a, b in zip(again, (sentences, leads, words),
                                                     strict=True))


def test_the_exact_type_is_a_pair_feature_beside_the_quad():
    # An assault and a coercion share the quad material_conflict; only the type column
    # tells the two pairs apart.
    docs = [Document("d1", "Gunmen stormed the village.", outlet="A"),
            Document("d2", "Gunmen raided the village.", outlet="B")]
    first = Event("e1", "d1", 0, 27, "Gunmen stormed the village.", "stormed", "ASSAULT",
                  "material_conflict", None, None)
    alike = Event("e2", "d2", 0, 26, "Gunmen raided the village.", "raided", "ASSAULT",
                  "material_conflict", None, None)
    other = replace(alike, id="e3", type="COERCE")
    views = event_views([first, alike, other], docs, [])
    vectors = tuple(np.eye(3, 4, dtype=np.float32) for _ in range(3))
    rows = feature_matrix(views, [(0, 1), (0, 2)], *vectors)
    same_type, same_quad = FEATURES.index("same_type"), FEATURES.index("same_quad")
    assert rows[:, same_type].tolist() == [1.0, 0.0]
    assert rows[:, same_quad].tolist() == [1.0, 1.0]
    others = [n for n in range(len(FEATURES)) if n != same_type]
    assert rows[0, others].tolist() == rows[1, others].tolist()


def test_where_two_tellings_stand_in_their_documents_is_a_pair_feature():
    # Two outlets lead with the raid and end on the reaction to it: each raid sentence
    # stands where the other does, a raid sentence and a closing reaction sentence do not.
    lead = "Troops raided the depot at dawn."
    close = "The party condemned the raid."
    first = Document("d1", f"{lead} Four men were held. {close}", outlet="A")
    second = Document("d2", f"{lead} Nobody was hurt there. {close}", outlet="B")
    raid = Event("e1", "d1", 0, len(lead), lead, "raided", "ASSAULT", "material_conflict",
                 None, None)
    raid_told = replace(raid, id="e2", document="d2")
    start = len(second.text) - len(close)
    reaction = Event("e3", "d2", start, len(second.text), close, "condemned", "DISAPPROVE",
                     "verbal_conflict", None, None)
    views = event_views([raid, raid_told, reaction], [first, second], [])
    assert [v.position for v in views] == pytest.approx([0.0, 0.0, start / len(second.text)])
    vectors = tuple(np.eye(3, 4, dtype=np.float32) for _ in range(3))
    gap = FEATURES.index("position_gap")
    rows = feature_matrix(views, [(0, 1), (0, 2)], *vectors)
    assert rows[0, gap] == 0.0
    assert rows[1, gap] == pytest.approx(start / len(second.text))


def test_rank_in_document_is_the_same_when_computed_in_small_slices(monkeypatch):
    # a document of thousands of events met by a million pairs must not need its whole
    # pair-by-event matrix at once: the slices give the same ranks as one pass
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(60, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    documents = np.repeat(np.arange(3), 20)
    pairs = np.array([(a, b) for a in range(60) for b in range(60)
                      if documents[a] != documents[b]])
    whole = features_module.rank_closeness(pairs, vectors, documents)
    monkeypatch.setattr(features_module, "RANK_CELLS", 25)  # one or two pairs a slice
    sliced = features_module.rank_closeness(pairs, vectors, documents)
    assert np.array_equal(whole, sliced)
    assert whole.min() < whole.max()  # the ranks tell pairs apart


def test_pairs_of_tellings_score_as_the_mean_of_every_event_pairs_rows(monkeypatch):
    """score_pairs reads the text columns once per pair of tellings (its rows' events share
    sentence and document) and every other column per pair of events: the probabilities
    are those of the weighted mean of each event pair's own feature row, bit for bit."""
    from rashomon.incidents import cluster as clustering

    monkeypatch.setattr(clustering, "SCORE_CHUNK", 11)
    rng = np.random.default_rng(5)
    # 24 events in 9 tellings (sentences) of 4 documents; events of one telling share
    # its sentence's vectors, as text_vectors gives them, and differ in everything else
    telling = rng.integers(0, 9, size=24)
    views = [replace(v, document=f"d{telling[n] % 4}",
                     quad=("material_conflict", "verbal_conflict")[n % 2],
                     type=("ASSAULT", "ACCUSE", "COERCE")[n % 3], position=float(n) / 24)
             for n, v in enumerate(_views_on(list(range(24))))]
    sentence = rng.normal(size=(9, 8)).astype(np.float32)
    words = rng.normal(size=(9, 6)).astype(np.float32)
    lead = rng.normal(size=(4, 6)).astype(np.float32)
    vectors = (sentence[telling], lead[telling % 4], words[telling])
    events = [(i, j) for i in range(24) for j in range(i + 1, 24)]
    _, tellings, rows, _ = telling_pairs([(views[n].document, int(telling[n]))
                                          for n in range(24)], events)
    scored = rows >= 0
    pairs, rows = np.array(events)[scored], rows[scored]
    weights = rng.uniform(0.1, 1.0, size=len(pairs))
    model = pair_model()
    each = clustering.mean_rows(feature_matrix(views, pairs, *vectors), rows, len(tellings),
                                weights)
    expected = model.predict_proba(each)[:, 1].astype(np.float32)
    probs = clustering.score_pairs(views, pairs, vectors, model, rows, len(tellings), weights)
    assert len(tellings) > 20 and np.array_equal(probs, expected)


def test_average_linkage_splits_components_apart():
    """Two unrelated problems clustered as one (indices of the second shifted past the
    first, apart pairs included) give each one's groups: a component sees its own pairs."""
    rng = np.random.default_rng(17)
    for _ in range(10):
        problems = []
        for _ in range(2):
            n = int(rng.integers(4, 12))
            docs = [f"d{k}" for k in rng.integers(0, 3, size=n)]
            chosen = [(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.5]
            apart = [p for p in chosen if rng.random() < 0.1]
            pairs = [p for p in chosen if p not in apart]
            probs = (rng.integers(0, 9, size=len(pairs)) / 8).tolist()
            problems.append((n, pairs, probs, docs, apart))
        (n1, p1, q1, d1, a1), (n2, p2, q2, d2, a2) = problems
        shift = [(i + n1, j + n1) for i, j in p2]
        joined = cluster(n1 + n2, p1 + shift, np.array(q1 + q2), 0.5, "average",
                         d1 + [f"{d}'" for d in d2], a1 + [(i + n1, j + n1) for i, j in a2])
        alone = (cluster(n1, p1, np.array(q1), 0.5, "average", d1, a1)
                 + [[m + n1 for m in g]
                    for g in cluster(n2, p2, np.array(q2), 0.5, "average", d2, a2)])
        assert joined == sorted(alone, key=min)


def test_the_collector_is_paused_while_clustering_and_restored_after():
    import gc

    from rashomon.incidents.cluster import collector_paused

    seen = []
    with collector_paused():
        seen.append(gc.isenabled())
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError("a failing step")
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failing step")
    assert gc.isenabled()
