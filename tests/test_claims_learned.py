"""Attribution behaviours added with the learned cue scorer, on sentences of our own."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from rashomon.claims.cues import load_cues
from rashomon.claims.model import CueScorer, features, is_candidate, load_scorer
from rashomon.models import LinearModel
from rashomon.pipeline import Config, analyse_documents
from rashomon.types import Claim, Document


@cache
def claims(text: str) -> list[Claim]:
    doc = Document(id="t", text=text, published="2020-06-10")
    return next(analyse_documents([doc], Config())).result.claims


def _one(text: str, cue: str):
    found = [c for c in claims(text) if c.cue == cue]
    assert found, f"no claim with cue {cue!r} in {[(c.cue, c.content) for c in claims(text)]}"
    return found[0]


def test_accusation_with_an_of_clause_has_the_accused_act_as_content():
    c = _one("Turkey accused Syria of arming the rebels near the border.", "accused")
    assert (c.speaker, c.cue_type) == ("turkey", "accuse")
    assert "arming the rebels" in c.content


def test_specified_is_a_reporting_verb():
    c = _one("Egypt specified that the talks would resume in March.", "specified")
    assert c.speaker == "egypt" and c.content.startswith("the talks would resume")


def test_possessed_noun_cue_with_a_that_clause():
    c = _one("Iran's claim that the strike hit only militants was disputed.", "claim")
    assert (c.speaker, c.cue_type) == ("iran", "claim")
    assert c.content.startswith("the strike hit only militants")


def test_statement_issued_by_an_actor_speaks_for_it():
    text = ("Syria issued a statement on Monday. The statement said the convoy had crossed "
            "the border illegally.")
    c = _one(text, "said")
    assert c.speaker == "syria" and "convoy had crossed" in c.content


def test_issuer_of_a_statement_speaks_through_its_participle():
    c = _one("Jordan released a statement warning that the camps were overcrowded.",
             "warning")
    assert (c.speaker, c.cue_type) == ("jordan", "warn")
    assert "camps were overcrowded" in c.content


def test_conjoined_speakers_claim_together():
    c = _one("Its partners and Egypt said that the vote had been rigged.", "said")
    assert c.speaker == "egypt"


def test_called_for_is_a_demand_and_called_x_y_a_description():
    demand = _one("Jordan called for an immediate ceasefire in the north.", "called")
    assert demand.cue_type == "demand" and "ceasefire" in demand.content
    label = _one("Jordan called the raid a grave mistake.", "called")
    assert label.cue_type == "describe"


def test_an_object_that_is_a_proposition_is_content_but_a_named_actor_is_not():
    welcomed = _one("Egypt welcomed the decision to reopen the crossing.", "welcomed")
    assert welcomed.cue_type == "praise" and "decision to reopen" in welcomed.content
    assert not [c for c in claims("Egypt welcomed Jordan warmly.") if c.cue == "welcomed"]


def test_blaming_participle_shares_the_clause_subject():
    c = _one("Turkey closed the crossing on Friday, blaming Syria for the shelling.",
             "blaming")
    assert (c.speaker, c.cue_type) == ("turkey", "accuse")


def test_a_nested_chain_through_a_noun_cue():
    found = claims("Egypt reported that Iran's claim that Iraq shelled Kuwait was false.")
    inner = next(c for c in found if c.cue == "claim")
    assert inner.speaker == "iran" and inner.reported_by == ["egypt"]


def test_the_claim_that_with_no_owner_is_no_claim():
    assert not [c for c in claims("There is little doubt that the dam will hold.")
                if c.cue == "doubt"]


# -- the learned scorer --------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    from rashomon.parse import load_nlp

    return load_nlp()


def test_shipped_scorer_loads_and_separates_speech_from_motion(nlp):
    scorer = load_scorer()
    assert scorer is not None and 0 < scorer.threshold < 1
    doc = nlp("The senator argued that the bill was unfair, then walked to the car.")
    argued, walked = doc[2], doc[11]
    p = scorer.probabilities([argued, walked], load_cues())
    assert p[0] > scorer.threshold > p[1]


def test_candidates_are_verbs_cue_nouns_and_according(nlp):
    doc = nlp("According to the mayor, the storm's damage was large, a report said.")
    cues = load_cues()
    chosen = {t.lower_ for t in doc if is_candidate(t, cues)}
    assert {"according", "said", "report"} <= chosen and "storm" not in chosen


def test_learned_cue_with_a_clause_becomes_a_claim():
    # "reckon" is in no lexicon: the scorer takes it from its syntax
    found = claims("Egypt reckons that the dam on the Nile threatens its water supply.")
    c = next(c for c in found if c.cue == "reckons")
    assert c.speaker == "egypt" and "threatens its water supply" in c.content


def test_scorer_uses_only_known_features():
    meta = {"features": {"l=say": 0, "c=ccomp": 1}, "threshold": 0.5}
    model = LinearModel(["other", "cue"], np.array([[2.0, 1.0]], dtype=np.float32),
                        np.array([-1.5], dtype=np.float32), meta)
    scorer = CueScorer(model)
    assert scorer.vector(["l=say", "unseen"]).tolist() == [1.0, 0.0]


def test_features_name_the_lemma_and_the_complement(nlp):
    doc = nlp("She insisted that the plan would work.")
    feats = features(doc[1], load_cues())
    assert {"l=insist", "c=ccomp", "m=that|ccomp", "lex=assert"} <= set(feats)


def test_a_sector_mention_speaks_as_its_own_actor(nlp):
    from rashomon.actors import Resolution
    from rashomon.claims import find_attributions
    from rashomon.types import Mention

    text = "Iraqi media reported that the bridge had collapsed."
    doc = nlp(text)
    media = Mention(document="t", start=0, end=len("Iraqi media"), text="Iraqi media",
                    actor="irq_media", rule="demonym", sector="MED")
    [att] = find_attributions(doc, Resolution(mentions=[media]))
    assert att.actor == "irq_media" and att.speaker.sector == "MED"


def test_called_for_someone_to_act_is_a_demand_with_the_act():
    c = _one("Egypt called for the army to stop the raids at once.", "called")
    assert (c.speaker, c.cue_type) == ("egypt", "demand") and "stop the raids" in c.content


def test_passive_praise_with_the_agent_inside_the_predicate():
    c = _one("The truce was hailed last week as a “turning point” by Egypt.", "hailed")
    assert (c.speaker, c.cue_type) == ("egypt", "praise")
    assert "turning point" in c.content and "by Egypt" not in c.content


def test_a_dateline_is_not_the_speaker():
    text = "CAIRO — The Egyptian foreign minister, Sameh Shoukry, on Monday said the talks failed."
    c = _one(text, "said")
    assert c.speaker_text != "CAIRO" and "talks failed" in c.content


def test_a_bare_surname_stands_for_the_full_name_before_it():
    text = ("Government spokesman Tariq al-Hadithi spoke in Cairo. Hadithi said the border "
            "would reopen soon.")
    first = claims("Government spokesman Tariq al-Hadithi said the border would reopen.")
    c = _one(text, "said")
    assert first and c.speaker is not None and c.speaker == first[0].speaker


def test_he_after_a_person_speaker_is_that_person():
    text = ("Tariq al-Hadithi said the border would reopen. He stressed that trade would "
            "resume within a week.")
    said, stressed = _one(text, "said"), _one(text, "stressed")
    assert said.speaker is not None and stressed.speaker == said.speaker


def test_messages_that_is_a_noun_cue_of_the_giver():
    c = _one("Egypt had given messages that it did not want a new alliance.", "messages")
    assert c.speaker == "egypt" and "did not want a new alliance" in c.content


def test_a_broad_sense_cue_outside_the_lexicon_is_found():
    # "surmise" is in no lexicon: a verb of believing with a clause, learned from PolNeAR
    c = _one("Mayor Lopez surmised that the strike would end soon.", "surmised")
    assert c.speaker_text == "Mayor Lopez" and c.content == "the strike would end soon"


def test_a_verb_of_doing_with_a_clause_is_no_claim():
    found = claims("Acme Corp ensured that the dam held during the flood.")
    assert not [c for c in found if c.cue == "ensured"]


def test_a_lexicon_verb_of_knowing_inside_a_quote_is_vetoed_even_with_a_named_subject():
    # "Canada should understand that ..." is what the minister demands, not Canada's claim
    text = ("“I have made clear that Canada should understand that the dam will close,” "
            "the minister said.")
    found = claims(text)
    assert [c.cue for c in found] == ["said"]
    assert "Canada should understand" in found[0].content


def test_a_learned_cue_outside_the_lexicon_takes_its_nearest_lexicon_cues_type():
    # "thank" is in no lexicon; its nearest lexicon cue is one of praise
    cues = load_cues()
    assert "thank" not in cues.verbs and "thank" not in cues.nouns
    c = _one("Egypt thanked Sudan for reopening the border crossing.", "thanked")
    assert (c.speaker, c.cue_type) == ("egypt", "praise")
    assert c.content == "reopening the border crossing"


def test_a_cue_word_near_no_lexicon_cue_is_a_plain_assertion(monkeypatch):
    from rashomon.claims import cue_types

    cues = load_cues()
    assert "rebuff" not in cues.verbs and "swim" not in cues.verbs
    assert cue_types.learned_cue_type("rebuff", cues) == "deny"  # beside "rebut"
    assert cue_types.learned_cue_type("swim", cues) == "assert"
    monkeypatch.setattr(cue_types, "MIN_SIMILARITY", 1.01)
    assert cue_types.learned_cue_type("rebuff", cues) == "assert"
