"""Tests for rashomon.relations, and the synthetic corpus the system-view tests share.

``synthetic_analysis()`` builds a small but realistic Analysis: three outlets
that disagree, eight actors (two of them rolled up into others through KB
affiliations), events over 2014 and 2020, claims, places, reader comments and
hostile markup in article text. The other system-view test modules import it.
"""

from __future__ import annotations

import math

import pytest

from rashomon.relations import (
    CLAIM_WEIGHT,
    MODALITY_WEIGHT,
    STANCE_WEIGHT,
    build_relations,
    event_weight,
    rollup_map,
    with_kb_actors,
)
from rashomon.types import (
    Actor,
    Analysis,
    Claim,
    Comment,
    Document,
    Event,
    Mention,
    Place,
    Stance,
)

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'

ACTORS = [
    Actor("usa", "United States", "state", country="US"),
    Actor("iran", "Iran", "state", country="IR"),
    Actor("iraq", "Iraq", "state", country="IQ"),
    Actor("isis", "Islamic State", "group"),
    Actor("pmf", "Popular Mobilization Forces", "group", country="IQ",
          affiliations=[{"relation": "part_of", "actor": "iraq"}]),
    Actor("soleimani", "Qassem Soleimani", "person", country="IR",
          affiliations=[{"relation": "member_of", "actor": "iran"}]),
    Actor("muhandis", "Abu Mahdi al-Muhandis", "person", country="IQ",
          affiliations=[{"relation": "leader_of", "actor": "pmf"}]),
    Actor("peshmerga", 'Peshmerga <b>"Kurdish"</b>', "group", country="IQ"),
]

PLACES = {
    "Mosul": (36.34, 43.13, "IQ"),
    "Erbil": (36.19, 44.01, "IQ"),
    "Amerli": (34.72, 44.59, "IQ"),
    "Baghdad": (33.31, 44.36, "IQ"),
    "Ain al-Asad": (33.80, 42.44, "IQ"),
    "Tehran": (35.69, 51.39, "IR"),
}

# (id, outlet, published, title, text, comments)
DOCUMENTS = [
    ("hd-mosul", "Harbor Daily", "2014-06-12", "Mosul falls",
     "Islamic State fighters seized Mosul on Tuesday. Iraq sent troops north to Mosul.", []),
    ("ll-erbil", "Liberty Ledger", "2014-08-09", "Air strikes near Erbil",
     "United States aircraft struck Islamic State positions near Erbil. "
     "The Peshmerga welcomed the strikes. Iraq said the United States would help.", []),
    ("rr-amerli", "Resistance Review", "2014-09-01", "Amerli freed",
     "Popular Mobilization Forces broke the siege of Amerli, fighting Islamic State. "
     "Iran sent advisers to the Popular Mobilization Forces. "
     "Qassem Soleimani praised the Popular Mobilization Forces.", []),
    ("hd-airport", "Harbor Daily", "2020-01-04", f"Strike at Baghdad airport {XSS}",
     "A United States drone strike killed Qassem Soleimani in Baghdad. "
     f"The strike also killed Abu Mahdi al-Muhandis. Iran warned the United States. {XSS}",
     [Comment("troll", f"Readers say Iran attacked Iraq {XSS}", "2020-01-05")]),
    ("ll-asad", "Liberty Ledger", "2020-01-09", "Missiles hit Ain al-Asad",
     "Iran fired missiles at Ain al-Asad. United States officials accused Iran of recklessness. "
     "Iraq agreed to keep working with the United States. "
     "A United States drone strike killed Qassem Soleimani last week.", []),
    ("rr-martyrs", "Resistance Review", "2020-01-10", "The martyrs",
     "Iraq voted to expel the United States. Iran denied that it attacked the United States. "
     "Popular Mobilization Forces backed Iran. Abu Mahdi al-Muhandis condemned the United States. "
     "The United States claimed Iran attacked the base.", []),
]

# (id, document, sentence fragment, trigger, type, quad, source, target, extra fields)
EVENTS = [
    ("e1", "hd-mosul", "Islamic State fighters seized Mosul", "seized", "ASSAULT",
     "material_conflict", "isis", "iraq", {"intensity": -9.0, "place": "Mosul"}),
    ("e2", "hd-mosul", "Iraq sent troops north", "sent troops", "MOBILIZE",
     "material_conflict", "iraq", "isis", {"place": "Mosul", "date": "2014-06-11"}),
    ("e3", "ll-erbil", "United States aircraft struck Islamic State", "struck", "ASSAULT",
     "material_conflict", "usa", "isis", {"intensity": -10.0, "place": "Erbil",
                                          "date": "2014-08-08"}),
    ("e4", "ll-erbil", "The Peshmerga welcomed the strikes", "welcomed", "SUPPORT",
     "verbal_cooperation", "peshmerga", "usa", {"date": "2014-08-08"}),
    ("e5", "ll-erbil", "the United States would help", "help", "AID",
     "material_cooperation", "usa", "iraq", {"modality": "reported", "reported_by": ["iraq"],
                                             "date": "2014-08-08"}),
    ("e6", "rr-amerli", "Popular Mobilization Forces broke the siege", "broke the siege",
     "ASSAULT", "material_conflict", "pmf", "isis", {"place": "Amerli", "date": "2014-08-31"}),
    ("e7", "rr-amerli", "Iran sent advisers", "sent advisers", "AID", "material_cooperation",
     "iran", "pmf", {"cameo": "074", "date": "2014-08-30"}),
    ("e8", "hd-airport", "drone strike killed Qassem Soleimani", "killed", "ASSAULT",
     "material_conflict", "usa", "soleimani", {"place": "Baghdad", "date": "2020-01-03",
                                               "intensity": -10.0}),
    ("e9", "hd-airport", "The strike also killed Abu Mahdi al-Muhandis", "killed", "ASSAULT",
     "material_conflict", "usa", "muhandis", {"place": "Baghdad", "date": "2020-01-03"}),
    ("e10", "ll-asad", "Iran fired missiles at Ain al-Asad", "fired missiles", "ASSAULT",
     "material_conflict", "iran", "usa", {"place": "Ain al-Asad", "date": "2020-01-08"}),
    ("e11", "ll-asad", "Iraq agreed to keep working with the United States", "agreed",
     "COOPERATE", "material_cooperation", "iraq", "usa", {"date": "2020-01-08"}),
    ("e12", "ll-asad", "drone strike killed Qassem Soleimani last week", "killed", "ASSAULT",
     "material_conflict", "usa", "soleimani", {"place": "Baghdad", "date": "2020-01-03"}),
    ("e13", "rr-martyrs", "Iraq voted to expel the United States", "expel", "REJECT",
     "verbal_conflict", "iraq", "usa", {"place": "Baghdad", "date": "2020-01-05"}),
    ("e14", "rr-martyrs", "Iran denied that it attacked the United States", "attacked",
     "ASSAULT", "material_conflict", "iran", "usa", {"modality": "denied",
                                                     "date": "2020-01-08"}),
    ("e15", "rr-martyrs", "Popular Mobilization Forces backed Iran", "backed", "SUPPORT",
     "verbal_cooperation", "pmf", "iran", {"place": "Tehran", "date": "2020-01-09"}),
]

# (id, document, sentence fragment, cue, cue_type, speaker, about)
CLAIMS = [
    ("c1", "rr-amerli", "Qassem Soleimani praised the Popular Mobilization Forces", "praised",
     "praise", "soleimani", ["pmf"]),
    ("c2", "hd-airport", "Iran warned the United States", "warned", "warn", "iran", ["usa"]),
    ("c3", "ll-asad", "United States officials accused Iran of recklessness", "accused",
     "accuse", "usa", ["iran"]),
    ("c4", "rr-martyrs", "Iran denied that it attacked the United States", "denied", "deny",
     "iran", ["usa"]),
    ("c5", "rr-martyrs", "Abu Mahdi al-Muhandis condemned the United States", "condemned",
     "condemn", "muhandis", ["usa"]),
    ("c6", "rr-martyrs", "The United States claimed Iran attacked the base", "claimed",
     "accuse", "usa", ["iran"]),
]


def _span(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def synthetic_analysis() -> Analysis:
    """A fresh synthetic Analysis (mutable, so each test gets its own)."""
    documents = [
        Document(id=i, text=text, title=title, outlet=outlet, published=published,
                 url=f"https://{outlet.lower().replace(' ', '')}.example/{i}",
                 comments=list(comments))
        for i, outlet, published, title, text, comments in DOCUMENTS
    ]
    texts = {d.id: d.text for d in documents}
    events = []
    places = []
    for eid, doc, fragment, trigger, etype, quad, source, target, extra in EVENTS:
        start, end = _span(texts[doc], fragment)
        t_start = texts[doc].index(trigger, start)
        fields = dict(extra)
        place = fields.pop("place", None)
        if place is not None:
            lat, lon, country = PLACES[place]
            fields["place"] = {"name": place, "lat": lat, "lon": lon, "country": country,
                               "kind": "city"}
            if place in texts[doc]:
                p_start = texts[doc].index(place)
                places.append(Place(doc, p_start, p_start + len(place), place, lat, lon,
                                    country, "city"))
        events.append(Event(id=eid, document=doc, start=start, end=end, sentence=fragment,
                            trigger=trigger, type=etype, quad=quad, source=source,
                            target=target, trigger_start=t_start,
                            trigger_end=t_start + len(trigger), **fields))
    # A reader comment's event: must never reach the relations.
    events.append(Event(id="e16", document="hd-airport", start=0, end=10, sentence="comment",
                        trigger="attacked", type="ASSAULT", quad="material_conflict",
                        source="iran", target="iraq", in_comment=True))
    claims = []
    for cid, doc, fragment, cue, cue_type, speaker, about in CLAIMS:
        start, end = _span(texts[doc], fragment)
        claims.append(Claim(id=cid, document=doc, start=start, end=end, sentence=fragment,
                            speaker=speaker, cue=cue, content=fragment, cue_type=cue_type,
                            about=list(about), direct=False))
    mentions = []
    for actor in ACTORS:
        for doc in documents:
            name = actor.name if actor.id != "peshmerga" else "Peshmerga"
            start = doc.text.find(name)
            while start >= 0:
                mentions.append(Mention(doc.id, start, start + len(name), name, actor.id,
                                        "alias"))
                start = doc.text.find(name, start + 1)
    return Analysis(documents=documents, actors=[Actor(**vars(a)) for a in ACTORS],
                    mentions=mentions, places=places, events=events, claims=claims)


def _relations(rollup: bool = False):
    analysis = synthetic_analysis()
    return build_relations(analysis.events, analysis.claims, analysis.documents,
                           analysis.actors, rollup=rollup)


def _find(relations, a, b, period):
    a, b = sorted((a, b))
    matches = [r for r in relations if (r.a, r.b, r.period) == (a, b, period)]
    assert len(matches) <= 1
    return matches[0] if matches else None


def test_dyads_are_unordered_sorted_and_per_year():
    relations = _relations()
    assert all(r.a < r.b for r in relations)
    # e1 (Mosul seized "on Tuesday", left undated here) is in no year
    assert {r.period for r in relations} == {"2014", "2020", "undated"}
    assert relations == sorted(relations, key=lambda r: (r.period, r.a, r.b))
    assert all(-1 <= r.score <= 1 for r in relations)


def test_conflict_negative_cooperation_positive():
    relations = _relations()
    assert _find(relations, "isis", "usa", "2014").sign == -1
    assert _find(relations, "peshmerga", "usa", "2014").sign == 1
    assert _find(relations, "iran", "pmf", "2014").sign == 1


def test_material_outweighs_verbal():
    material = Event("m", "d", 0, 1, "", None, "AID", "material_cooperation", "a", "b")
    verbal = Event("v", "d", 0, 1, "", None, "SUPPORT", "verbal_cooperation", "a", "b")
    assert event_weight(material) == 2 * event_weight(verbal) > 0


def test_modality_order_and_denied_or_negated_do_not_count():
    def weight(**kw):
        return event_weight(Event("x", "d", 0, 1, "", None, "ASSAULT", "material_conflict",
                                  "a", "b", **kw))

    weights = [weight(modality=m) for m in ("asserted", "reported", "planned", "hypothetical")]
    assert weights == sorted(weights)  # all negative: most negative first
    assert weight(modality="threatened") == weight(modality="planned")
    assert weight(modality="denied") == 0.0
    assert weight(negated=True) == 0.0
    assert MODALITY_WEIGHT["asserted"] > MODALITY_WEIGHT["reported"]


def test_intensity_scales_weight():
    def weight(intensity):
        return event_weight(Event("x", "d", 0, 1, "", None, "ASSAULT", "material_conflict",
                                  "a", "b", intensity=intensity))

    assert weight(-10.0) < weight(None) < weight(-1.0) < 0


def test_denied_event_and_comment_event_are_not_evidence():
    relations = _relations()
    iran_usa = _find(relations, "iran", "usa", "2020")
    assert "e14" not in iran_usa.events  # denied
    assert "e10" in iran_usa.events
    assert all("e16" not in r.events for r in relations)  # reader comment
    assert _find(relations, "iran", "iraq", "2020") is None


def test_claims_give_signed_ties_and_deny_gives_none():
    relations = _relations()
    iran_usa = _find(relations, "iran", "usa", "2020")
    assert {"c2", "c3", "c6"} <= set(iran_usa.claims)
    assert "c4" not in iran_usa.claims  # deny: no tie
    praise = _find(relations, "pmf", "soleimani", "2014")
    assert praise.claims == ["c1"]
    assert praise.score == pytest.approx(round(math.tanh(CLAIM_WEIGHT / 2.0), 4))
    assert praise.sign == 1


def test_claim_coded_as_event_in_same_sentence_is_not_double_counted():
    analysis = synthetic_analysis()
    doc = analysis.documents[4]
    claim = next(c for c in analysis.claims if c.id == "c3")
    analysis.events.append(Event("dup", doc.id, claim.start, claim.end, claim.sentence,
                                 "accused", "ACCUSE", "verbal_conflict", "usa", "iran",
                                 date="2020-01-09"))
    relations = build_relations(analysis.events, analysis.claims, analysis.documents,
                                analysis.actors)
    iran_usa = _find(relations, "iran", "usa", "2020")
    assert "dup" in iran_usa.events and "c3" not in iran_usa.claims


def test_evidence_and_outlets_listed():
    relations = _relations()
    soleimani = _find(relations, "soleimani", "usa", "2020")
    assert soleimani.events == ["e8", "e12"]
    assert soleimani.outlets == ["Harbor Daily", "Liberty Ledger"]
    assert soleimani.view == "direct"


def test_mixed_evidence_and_sign_threshold():
    relations = _relations()
    iraq_usa = _find(relations, "iraq", "usa", "2020")
    # cooperation (e11, material) against an expulsion vote (e13, verbal): net positive, weak
    assert 0 < iraq_usa.score < 0.76
    weak = Event("w", "hd-mosul", 0, 1, "", None, "SUPPORT", "verbal_cooperation", "iraq",
                 "iran", modality="hypothetical")
    analysis = synthetic_analysis()
    relations = build_relations([weak], [], analysis.documents, analysis.actors)
    assert relations[0].score > 0 and relations[0].sign == 0


def test_self_ties_and_missing_actors_excluded():
    events = [
        Event("x", "d", 0, 1, "", None, "ASSAULT", "material_conflict", "a", "a"),
        Event("y", "d", 0, 1, "", None, "ASSAULT", "material_conflict", None, "a"),
    ]
    claims = [Claim("c", "d", 0, 1, "", "a", "accused", "", cue_type="accuse", about=["a"])]
    assert build_relations(events, claims, [], []) == []


def test_rollup_is_a_separate_labelled_view():
    actors = synthetic_analysis().actors
    top = rollup_map(actors)
    assert top["muhandis"] == "iraq"  # muhandis -> pmf -> iraq
    assert top["soleimani"] == "iran"
    rolled = _relations(rollup=True)
    assert {r.view for r in rolled} == {"rolled_up"}
    ids = {r.a for r in rolled} | {r.b for r in rolled}
    assert not ids & {"pmf", "soleimani", "muhandis"}
    # pmf backing iran (e15) becomes iraq-iran; usa killing muhandis becomes iraq-usa
    assert "e15" in _find(rolled, "iraq", "iran", "2020").events
    assert "e9" in _find(rolled, "iraq", "usa", "2020").events
    # the direct view is unchanged by the existence of the rolled-up one
    assert {r.view for r in _relations()} == {"direct"}


def test_rollup_survives_cycles():
    actors = [
        Actor("a", "A", "group", affiliations=[{"relation": "part_of", "actor": "b"}]),
        Actor("b", "B", "group", affiliations=[{"relation": "part_of", "actor": "a"}]),
        Actor("c", "C", "group", affiliations=[{"relation": "ally_of", "actor": "a"}]),
    ]
    top = rollup_map(actors)
    assert set(top) == {"a", "b"}
    assert "c" not in top


def _stance(sid, doc, source, target, sign, probability=0.9, start=0, end=10, date=None,
            in_comment=False):
    return Stance(id=sid, document=doc, start=start, end=end, sentence="", source=source,
                  target=target, sign=sign, probability=probability, date=date,
                  in_comment=in_comment)


def test_undated_event_is_in_no_year_but_a_claim_is_dated_by_publication():
    docs = [Document(id="d", text="x", published="2016-03-02")]
    undated = Event("u", "d", 0, 1, "", None, "ASSAULT", "material_conflict", "a", "b")
    dated = Event("y", "d", 0, 1, "", None, "ASSAULT", "material_conflict", "a", "b",
                  date="1999-05")
    claim = Claim("c", "d", 5, 9, "", "a", "accused", "", cue_type="accuse", about=["b"])
    relations = build_relations([undated, dated], [claim], docs, [])
    by_period = {r.period: r for r in relations}
    assert set(by_period) == {"undated", "1999", "2016"}
    assert by_period["undated"].events == ["u"]
    assert by_period["2016"].claims == ["c"]
    assert by_period["2016"].evidence[0]["dated_by"] == "published"
    assert by_period["1999"].evidence[0]["dated_by"] == "date"


def test_stances_are_weighted_directed_evidence():
    docs = [Document(id="d", text="x" * 200, published="2019-01-01")]
    stances = [_stance("s1", "d", "kurds", "turkey", -1, 0.8),
               _stance("s2", "d", "turkey", "kurds", -1, 0.6, start=20, end=40),
               _stance("s3", "d", "kurds", "turkey", 1, 0.9, date="2015-07", start=50, end=60)]
    relations = build_relations([], [], docs, [], stances=stances)
    hostile = _find(relations, "kurds", "turkey", "2019")
    assert hostile.stances == ["s1", "s2"]
    assert hostile.score == pytest.approx(round(math.tanh(-STANCE_WEIGHT * 1.4 / 2.0), 4))
    assert [(e["source"], e["weight"]) for e in hostile.evidence] == [
        ("kurds", -round(STANCE_WEIGHT * 0.8, 4)), ("turkey", -round(STANCE_WEIGHT * 0.6, 4))]
    assert all(e["kind"] == "stance" for e in hostile.evidence)
    # a stance whose sentence carries a date counts in that year
    assert _find(relations, "kurds", "turkey", "2015").stances == ["s3"]


def test_stance_is_not_counted_twice_with_an_act_of_the_same_sentence():
    docs = [Document(id="d", text="x" * 100, published="2019-01-01")]
    event = Event("e", "d", 0, 30, "", None, "ASSAULT", "material_conflict", "b", "a",
                  date="2019-02-01")
    inside = _stance("s_in", "d", "a", "b", -1, start=0, end=30)
    elsewhere = _stance("s_out", "d", "a", "b", -1, start=40, end=70)
    comment = _stance("s_comment", "d", "a", "b", -1, start=80, end=90, in_comment=True)
    relations = build_relations([event], [], docs, [], stances=[inside, elsewhere, comment])
    rel = _find(relations, "a", "b", "2019")
    assert rel.events == ["e"] and rel.stances == ["s_out"]


def test_rollup_respects_affiliation_years_and_never_dates_undated_evidence():
    actors = [
        Actor("council", "Supreme Council", "organization",
              affiliations=[{"relation": "member_of", "actor": "front", "from": 2021}]),
        Actor("front", "Front", "organization"),
        Actor("rival", "Rival", "organization"),
    ]
    docs = [Document(id="d", text="x", published="2022-01-01")]
    events = [
        Event(f"e{year}", "d", 0, 1, "", None, "ASSAULT", "material_conflict", "council",
              "rival", date=f"{year}-05-01")
        for year in (2008, 2022)
    ] + [Event("eu", "d", 0, 1, "", None, "ASSAULT", "material_conflict", "council", "rival")]
    rolled = build_relations(events, [], docs, actors, rollup=True)
    pairs = {(r.period, r.a, r.b) for r in rolled}
    assert ("2008", "council", "rival") in pairs  # not yet in the front in 2008
    assert ("2022", "front", "rival") in pairs
    assert ("undated", "council", "rival") in pairs
    assert rollup_map(actors, "2008") == {} and rollup_map(actors, "2021") == {"council": "front"}


def test_rollup_parents_the_corpus_never_names_come_from_the_kb():
    kb_ids = {a.id for a in with_kb_actors([])}
    mine = Actor("my_brigade", "My Brigade", "group")
    merged = with_kb_actors([mine])
    assert merged[0] is mine and len(merged) == len(kb_ids) + 1


def test_an_undated_statement_counts_in_the_publication_year_an_undated_deed_does_not():
    docs = [Document(id="d", text="x", published="2016-03-02")]
    said = Event("s", "d", 0, 1, "", None, "ACCUSE", "verbal_conflict", "a", "b")
    done = Event("m", "d", 2, 3, "", None, "ASSAULT", "material_conflict", "a", "b")
    periods = {r.period: r.events for r in build_relations([said, done], [], docs, [])}
    assert periods == {"2016": ["s"], "undated": ["m"]}
