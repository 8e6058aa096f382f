"""The learned layer behind the candidate finder, and modality that survives: our sentences."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from spacy.tokens import Doc

from rashomon.events import load_event_lexicon
from rashomon.events.coder import find_candidates
from rashomon.events.typing_model import (
    BLOCKS,
    HASH_BITS,
    OPEN,
    Candidate,
    EventModel,
    _hash,
    dense_rows,
    featurize,
)
from rashomon.models import LinearModel
from rashomon.pipeline import Config, analyse_documents
from rashomon.registry import stage
from rashomon.types import Document, Event

WIDTH = 384 + (1 << HASH_BITS)


def _event(type_: str, quad: str) -> Event:
    return Event(id="d:e1", document="d", start=0, end=10, sentence="Iran hit Iraq.",
                 trigger="hit", type=type_, quad=quad, source="iran", target="iraq")


def _indicator_model(classes: list[str], feature_of_class: list[str | None],
                     meta: dict | None = None) -> LinearModel:
    """A linear model that scores class k by whether feature k is present."""
    coef = np.zeros((len(classes), WIDTH), dtype=np.float32)
    for k, name in enumerate(feature_of_class):
        if name is not None:
            coef[k, 384 + _hash(name)] = 10.0
    if len(classes) == 2:
        coef, intercept = coef[1:], np.array([-5.0], dtype=np.float32)
    else:
        intercept = np.zeros(len(classes), dtype=np.float32)
    return LinearModel(classes=classes, coef=coef, intercept=intercept, meta=meta or {})


def test_featurize_puts_the_embedding_first_and_hashes_the_rest():
    x = featurize([["lemma=strike", "how=verb"]], np.ones((1, 384)))
    assert x.shape == (1, WIDTH)
    assert x[0, :384].sum() == 384 and x[0, 384:].sum() == 2


def test_the_gate_drops_what_it_rejects_and_its_probability_is_the_confidence():
    gate = _indicator_model(["0", "1"], [None, "lemma=strike"], {"threshold": 0.5})
    model = EventModel(None, gate)
    kept = Candidate(_event("ASSAULT", "material_conflict"), ["lemma=strike"], "ASSAULT")
    dropped = Candidate(replace(_event("ACCUSE", "verbal_conflict"), id="d:e2"),
                        ["lemma=say"], "ACCUSE")
    events = model.decide([kept, dropped], load_event_lexicon(), embed=False)
    assert [e.id for e in events] == ["d:e1"]
    assert 0.5 < events[0].confidence < 1.0


def test_the_type_model_recodes_quad_and_cameo_from_the_ontology():
    typer = _indicator_model(["ASSAULT", "SUPPORT"], ["lemma=hit", "lemma=back"])
    model = EventModel(typer, None)
    cand = Candidate(_event(OPEN, "open"), ["lemma=back"], OPEN)
    (event,) = model.decide([cand], load_event_lexicon(), embed=False)
    code = load_event_lexicon().code("SUPPORT", None)
    assert (event.type, event.quad, event.cameo) == ("SUPPORT", code.quad, code.cameo)


def test_an_unsure_type_model_leaves_the_lexicon_type_alone():
    typer = _indicator_model(["ASSAULT", "SUPPORT"], [None, None], {"override": 0.9})
    model = EventModel(typer, None)
    cand = Candidate(_event("ASSAULT", "material_conflict"), ["lemma=hit"], "ASSAULT")
    (event,) = model.decide([cand], load_event_lexicon(), embed=False)
    assert event.type == "ASSAULT"  # 50/50 is under the override threshold


def test_open_candidates_need_a_type_model():
    cand = Candidate(_event(OPEN, "open"), ["lemma=back"], OPEN)
    assert EventModel(None, None).decide([cand], load_event_lexicon(), embed=False) == []


def _events(text: str) -> list[Event]:
    doc = Document(id="m", text=text, published="2021-03-01")
    return next(analyse_documents([doc], Config())).result.events


def test_negation_climbs_out_of_a_purpose_clause():
    found = [e for e in _events("Iran did not move to release the British sailors.")
             if e.trigger == "release"]
    assert found and found[0].negated


def test_refusal_negates_and_a_threat_is_no_act():
    refused = [e for e in _events("Iran refused to release the British sailors.")
               if e.trigger == "release"]
    # no release happened: a release that is negated, or the refusal itself (REJECT)
    assert refused and refused[0].negated != (refused[0].type == "REJECT")
    threat = [e for e in _events("Iran threatened to attack Israel.") if e.trigger == "attack"]
    assert threat and threat[0].modality == "threatened"


def test_an_event_inside_a_claim_is_reported_not_asserted():
    inner = [e for e in _events("Israel said Iran attacked a tanker in the Gulf.")
             if e.trigger == "attacked"]
    assert inner and inner[0].modality == "reported" and inner[0].reported_by == ["israel"]



def test_a_statement_accuses_only_when_it_reports_a_hostile_act():
    hostile = _events("The Iraqi government said Iran attacked the border post.")
    assert [(e.source, e.target) for e in hostile if e.type == "ACCUSE"] == [("iraq", "iran")]
    friendly = _events("The Iraqi foreign minister said the talks with Iran were useful.")
    assert not [e for e in friendly if e.type == "ACCUSE"]


def _candidates(text: str, blocks=BLOCKS) -> tuple[Doc, list[Candidate]]:
    """The candidate finder's candidates of one sentence of ours, with their dense blocks."""
    captured = {}

    @stage("events_model_test_context")
    def _capture(ctx) -> None:
        captured["ctx"] = ctx

    doc = Document(id="v", text=text)
    for _ in analyse_documents([doc], Config(stages=["places", "dates", "actors",
                                                     "events_model_test_context"])):
        pass
    ctx = captured["ctx"]
    kb = ctx.resources.kb
    return ctx.doc, find_candidates(ctx.doc, "v", ctx.resolution, ctx.result.places,
                                    ctx.result.dates, lexicon=ctx.resources.event_lexicon,
                                    cues=ctx.resources.cues,
                                    states={c: kb.actors[i] for c, i in kb.states.items()},
                                    blocks=blocks)


def test_candidates_carry_the_parse_s_own_token_vectors():
    doc, cands = _candidates("Iran attacked a Kurdish base near Erbil.")
    assert doc.tensor.shape == (len(doc), 96)  # the parse we run sets it: no extra cost
    cand = next(c for c in cands if c.event.trigger == "attacked")
    anchor = next(t for t in doc if t.text == "attacked")
    assert np.array_equal(cand.vectors["tensor_trigger"], doc.tensor[anchor.i])
    sent = anchor.sent
    assert np.allclose(cand.vectors["tensor_sentence"],
                       doc.tensor[sent.start:sent.end].mean(axis=0))
    assert cand.vectors["static_sentence"].shape == cand.vectors["static_trigger"].shape
    _, bare = _candidates("Iran attacked a Kurdish base near Erbil.", blocks=())
    assert all(not c.vectors for c in bare)  # a model without dense blocks reads none


def test_dense_rows_follow_the_layout_and_zero_what_a_candidate_lacks():
    cand = Candidate(_event("ASSAULT", "material_conflict"), ["lemma=hit"], "ASSAULT",
                     vectors={"tensor_trigger": np.full(3, 2.0, np.float32),
                              "static_sentence": np.ones(5, np.float32)})
    rows = dense_rows([cand, None], {"static_sentence": 5, "tensor_trigger": 4,
                                     "minilm": 2}, np.full((2, 2), 7.0))
    assert rows.shape == (2, 11)
    assert rows[0, :5].tolist() == [1.0] * 5  # in the layout's order
    assert not rows[0, 5:9].any()  # width 3 where the model reads 4: another parse model
    assert rows[:, 9:].tolist() == [[7.0, 7.0], [7.0, 7.0]]
    assert not rows[1, :9].any()


def test_a_model_on_a_dense_block_reads_it_through_decide():
    layout = {"tensor_trigger": 2}
    coef = np.zeros((2, 2 + (1 << HASH_BITS)), np.float32)
    coef[1, 0] = 10.0  # SUPPORT when the first tensor column is high
    typer = LinearModel(["ASSAULT", "SUPPORT"], coef, np.zeros(2, np.float32),
                        {"dense": layout})
    model = EventModel(typer, None)
    assert model.blocks == ["tensor_trigger"] and not model.embeds
    high = Candidate(_event(OPEN, "open"), ["lemma=back"], OPEN,
                     vectors={"tensor_trigger": np.array([1.0, 0.0], np.float32)})
    low = Candidate(replace(_event(OPEN, "open"), id="d:e2"), ["lemma=back"], OPEN,
                    vectors={"tensor_trigger": np.array([-1.0, 0.0], np.float32)})
    events = model.decide([high, low], load_event_lexicon())
    assert [e.type for e in events] == ["SUPPORT", "ASSAULT"]


def test_a_demand_stays_with_a_model_whose_labels_have_no_demand():
    """PLV's roots have no DEMAND: the type model cannot tell a demand from a threat, so
    the lexicon's reading of one stands however sure the model is; an appeal, whose root
    (REQUEST) the model knows, is retyped."""
    lexicon = load_event_lexicon()
    assert lexicon.plover_root("REQUEST", "demand") == "DEMAND"
    assert lexicon.plover_root("REQUEST", "appeal") == "REQUEST"
    typer = _indicator_model(["REQUEST", "THREATEN"], [None, "lemma=call"], {"override": 0.5})
    model = EventModel(typer, None)
    demand = Candidate(replace(_event("REQUEST", "verbal_conflict"), mode="demand"),
                       ["lemma=call"], "REQUEST", "demand")
    appeal = Candidate(replace(_event("REQUEST", "verbal_cooperation"), id="d:e2",
                               mode="appeal"), ["lemma=call"], "REQUEST", "appeal")
    kept, retyped = model.decide([demand, appeal], lexicon, embed=False)
    assert (kept.type, kept.mode) == ("REQUEST", "demand")
    assert retyped.type == "THREATEN"


def test_the_shipped_type_model_reads_the_cheap_vectors_and_types_our_sentences():
    from rashomon.events.typing_model import load_event_model

    model = load_event_model()
    assert model.typer is not None and not model.embeds  # no encoder run per sentence
    assert set(model.layouts["typer"]) == {"tensor_trigger", "tensor_sentence",
                                           "static_sentence", "static_trigger"}
    expected = {"Iran fired missiles at a US base in Iraq.": ("fired missiles at", "ASSAULT"),
                # a declared plan to attack is a threat (PLOVER THREATEN), not an agreement
                "Iran plans to attack Israel.": ("attack", "THREATEN"),
                "Saudi Arabia sent humanitarian aid to Yemen.":
                    ("sent humanitarian aid to", "AID"),
                "Thousands of protesters rallied against the government in Baghdad.":
                    ("rallied", "PROTEST")}
    for text, (trigger, type_) in expected.items():
        found = [e.type for e in _events(text) if e.trigger == trigger]
        assert found == [type_], text


def test_the_shipped_models_code_no_event_for_a_bare_statement_or_a_failure_to_act():
    """Speech verbs that report nothing hostile are no accusation, and a failure to act
    ("did not act to stop") is no retreat or concession asserted (issue #10's cases, in
    sentences of ours): precision the gate and type model must keep when retrained."""
    for text in ("The foreign minister said the talks would continue next week.",
                 "The spokesman declared that the embassy remains open."):
        assert _events(text) == [], text
    acts = [e for e in _events("Baghdad did not act to stop the militia from attacking "
                               "the convoy.") if e.type in ("RETREAT", "CONCEDE", "YIELD")]
    assert all(e.negated or e.modality != "asserted" for e in acts)


def test_a_light_verb_can_recode_its_noun_and_a_gap_object_is_the_target():
    """"providing support to X" hands X something (AID), where "voiced support for X" is
    words (SUPPORT); "a country the Union accuses of ..." accuses that country, which is
    the one that provides."""
    _, cands = _candidates("Syria, a country the United States accuses of providing support "
                           "to Hezbollah, denied the charge.", blocks=())
    found = {(c.event.trigger, c.lexicon_type, c.event.source, c.event.target) for c in cands}
    assert ("providing support", "AID", "syria", "hezbollah") in found, found
    assert ("accuses", "ACCUSE", "united_states", "syria") in found, found


def test_launching_a_munition_at_or_against_a_target_is_an_attack_on_it():
    for text, trigger in (("Hezbollah launched two drones at the Israeli embassy.",
                           "launched two drones at"),
                          ("Iran responded by launching missiles against several US bases.",
                           "launching missiles against")):
        _, cands = _candidates(text, blocks=())
        found = {(c.event.trigger, c.lexicon_type, c.event.target) for c in cands}
        assert any(t == trigger and kind == "ASSAULT" and target is not None
                   for t, kind, target in found), found


def test_the_subject_of_a_clause_takes_part_in_the_event_it_happens_in():
    _, cands = _candidates("In a meeting with Iraqi Prime Minister Mohammed Shia al-Sudani in "
                           "Tehran, Ebrahim Raisi praised Iraq.", blocks=())
    found = {(c.event.trigger, c.event.source, c.event.target) for c in cands}
    assert ("meeting", "ebrahim_raisi", "mohammed_shia_al_sudani") in found, found
    # a passive clause's subject suffers the event: no source from it
    _, cands = _candidates("Two Iraqi soldiers were wounded in an attack on the base.",
                           blocks=())
    assert not any(c.event.trigger == "attack" and c.event.source for c in cands), [
        (c.event.trigger, c.event.source, c.event.target) for c in cands]


def test_verbs_the_rules_turn_down_are_flagged_open_candidates():
    # "host" needs an actor as its object, so the rules code no event; "continue" is a
    # speech verb (a cue) that reports nothing here: the learned models are left to judge
    # both, told why the rules doubt them (a speech verb is no support verb: "continued
    # its campaign" stays open, not typed by the campaign)
    _, cands = _candidates("The Kenyan government hosted the regional delegates in Nairobi.")
    hosted = next(c for c in cands if c.event.trigger == "hosted")
    assert hosted.lexicon_type == OPEN and "weak=declined" in hosted.features
    _, cands = _candidates("The Iraqi army continued its campaign against the Sadrist militia.")
    continued = next(c for c in cands if c.event.trigger == "continued")
    assert continued.lexicon_type == OPEN and "weak=cue_verb" in continued.features
    # a verb no lexicon entry knows is an open candidate with no doubt flagged
    _, cands = _candidates("Iran courted the Iraqi government.")
    courted = next(c for c in cands if c.event.trigger == "courted")
    assert courted.lexicon_type == OPEN
    assert not any(f.startswith("weak=") for f in courted.features)
    # a speech verb reporting what was said stays a claim's cue, no candidate
    _, cands = _candidates("The Iraqi government said Iran attacked the border post.")
    assert not any(c.event.trigger == "said" and c.lexicon_type == OPEN for c in cands)


def test_an_open_verb_takes_its_type_from_the_act_its_object_names():
    # the rules code no act for "use" or "film" here, but the act they carry out is their
    # object's: the candidate is typed by the act noun (ASSAULT), flagged for the models
    _, cands = _candidates("Syrian rebels used rockets in the attack.")
    used = next(c for c in cands if c.event.trigger.startswith("used"))
    assert used.event.trigger.endswith("attack") and used.lexicon_type == "ASSAULT"
    assert "weak=governs_act" in used.features and used.event.source == "SYR_REB"
    # an act noun that names both its parties keeps its own frame; the verb stays open
    _, cands = _candidates("Syrian rebels used rockets in their assault on the Turkish army.")
    assault = next(c for c in cands if c.event.trigger == "assault")
    assert (assault.event.source, assault.event.target) == ("SYR_REB", "turkey")
    assert not any("weak=governs_act" in c.features for c in cands)
    _, cands = _candidates("The Turkish army shelled the town and the rebels filmed the "
                           "bombardment.")
    assert any(c.event.trigger == "filmed the bombardment" and c.lexicon_type == "ASSAULT"
               for c in cands)
    # an act the verb is only set beside in time carries nothing over
    _, cands = _candidates("Turkey's envoy arrived in Damascus after the bombardment.")
    assert not any("weak=governs_act" in c.features for c in cands)


def test_a_change_within_the_lexicon_s_quad_needs_less_confidence():
    typer = _indicator_model(["ASSAULT", "COERCE", "SUPPORT"],
                             [None, "lemma=arrest", "lemma=hit"],
                             {"override": 0.9, "override_same_quad": 0.5})
    typer.coef *= np.log(0.7 * 2 / 0.3) / 10.0  # the indicated class at 0.7
    model = EventModel(typer, None)
    lexicon = load_event_lexicon()
    # COERCE is of ASSAULT's quad: retyped at 0.7; SUPPORT crosses into cooperation: not
    arrest = Candidate(_event("ASSAULT", "material_conflict"), ["lemma=arrest"], "ASSAULT")
    hit = Candidate(_event("ASSAULT", "material_conflict"), ["lemma=hit"], "ASSAULT")
    (arrested, hit_event) = model.decide([arrest, hit], lexicon, embed=False)
    assert (arrested.type, arrested.quad) == ("COERCE", "material_conflict")
    assert hit_event.type == "ASSAULT"


def test_a_statement_that_another_actor_must_act_is_a_demand_on_it():
    _, cands = _candidates("Russia said that Israel must end its strikes on Syria.")
    demands = [c.event for c in cands if c.event.type == "REQUEST"]
    assert [(e.source, e.target, e.mode, e.trigger) for e in demands] == [
        ("russia", "israel", "demand", "said")]
    assert any("how=obligation" in c.features for c in cands if c.event.type == "REQUEST")


def test_no_demand_without_an_obligation_on_someone_else():
    for text in ("Germany said it must protect its own borders.",
                 "France said the talks should resume in Geneva.",
                 "Russia said that Israel will end its strikes on Syria."):
        _, cands = _candidates(text)
        assert not [c for c in cands if "how=obligation" in c.features], text


def test_a_refused_act_read_as_a_rejection_is_no_longer_negated():
    typer = _indicator_model(["CONSULT", "REJECT", "ASSAULT"],
                             [None, "lemma=meet", "lemma=strike"], {"override": 0.6})
    lexicon = load_event_lexicon()
    def negated(lemma: str, refused: bool) -> Candidate:
        event = replace(_event("CONSULT", "verbal_cooperation"), id=f"d:{lemma}", negated=True)
        return Candidate(event, [f"lemma={lemma}"], "CONSULT", refused=refused)

    found = EventModel(typer, None).decide(
        [negated("meet", True), negated("meet", False), negated("strike", True)], lexicon,
        embed=False)
    assert [(e.type, e.negated) for e in found] == [
        ("REJECT", False),  # "refused to meet": the refusal happened
        ("REJECT", True),  # "did not meet": no refusal to read
        ("ASSAULT", True)]  # a refused strike read as a strike is still not one


def test_a_coded_verb_nobody_is_named_for_is_a_flagged_candidate():
    # an agentless passive whose victims are no actor: the lexicon codes the verb, no role
    # is found, and the learned models are left to judge it, told that no one is named
    _, cands = _candidates("Eleven people were killed near the border on Tuesday.",
                           blocks=())
    killed = next(c for c in cands if c.event.trigger == "killed")
    assert killed.event.source is None and killed.event.target is None
    assert killed.lexicon_type != OPEN and "weak=no_actor" in killed.features
    # a candidate with an actor carries no such flag
    _, cands = _candidates("Iranian forces killed eleven villagers near the border.",
                           blocks=())
    killed = next(c for c in cands if c.event.trigger == "killed")
    assert killed.event.source and "weak=no_actor" not in killed.features
    # a bare trigger noun with nobody named stays background, and an open verb with no
    # actor has nothing for the type model to read: neither is a candidate
    _, cands = _candidates("The war dragged on and the talks stalled.", blocks=())
    assert not any(c.event.trigger in ("war", "stalled") for c in cands), [
        (c.event.trigger, c.features) for c in cands]


def test_violence_put_down_to_no_hostile_act_is_no_actorless_candidate():
    # "in a crash" explains the deaths: no one did them, so no candidate is left for the
    # gate to judge; a place in the same position explains nothing
    _, cands = _candidates("Two soldiers were killed in a crash near the border.", blocks=())
    assert not any(c.event.trigger == "killed" for c in cands), [
        (c.event.trigger, c.features) for c in cands]
    _, cands = _candidates("Two soldiers were killed in Kandahar on Monday.", blocks=())
    assert any(c.event.trigger == "killed" and "weak=no_actor" in c.features for c in cands)
