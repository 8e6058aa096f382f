"""The sentence's main event (salience) and the target of an intended act: our sentences."""

from __future__ import annotations

from dataclasses import asdict
from functools import cache

from rashomon.events.salience import load_salience_model, salience_rows
from rashomon.parse import load_nlp
from rashomon.pipeline import Config, analyse_documents
from rashomon.types import Document, Event


@cache
def events(text: str) -> tuple[Event, ...]:
    doc = Document(id="t", text=text, published="2021-03-01")
    return tuple(next(analyse_documents([doc], Config())).result.events)


def main_event(text: str) -> Event:
    return max(events(text), key=lambda e: (e.salience or 0.0, e.confidence))


def test_every_event_carries_a_salience_between_0_and_1():
    assert load_salience_model() is not None
    found = events("Hamas fired rockets at Israel, and Israel bombed Gaza in response.")
    assert found and all(e.salience is not None and 0.0 <= e.salience <= 1.0 for e in found)


def test_the_main_clause_outranks_a_relative_clause():
    text = "Police arrested the protesters who had attacked the embassy of Canada."
    types = {e.type for e in events(text)}
    assert "COERCE" in types
    assert main_event(text).type == "COERCE"


def test_a_threat_to_act_is_the_main_event_and_aimed_at_the_acts_target():
    text = "The Taliban threatened to attack American troops."
    main = main_event(text)
    assert main.type == "THREATEN"
    assert main.source == "taliban" and main.target == "united_states"


def test_an_intended_act_lends_its_target_only_through_its_own_clause():
    # the attack is not what the meeting is about: no complement links them
    text = "Iran met the envoy of Qatar after Hamas attacked Israel."
    met = [e for e in events(text) if e.trigger == "met"]
    assert all(e.target != "israel" for e in met)


def test_an_act_is_aimed_at_whom_its_purpose_or_accompanying_act_is():
    # the purpose clause and the participle are parts of the act, not acts of their own
    aided = [e for e in events("The German government provided aid to support refugees "
                               "from Syria.") if e.type == "AID"]
    assert aided and all(e.target is not None for e in aided)
    filed = [e for e in events("France filed a complaint at the court, accusing Iran of "
                               "espionage.") if e.trigger.startswith("filed")]
    assert filed and all(e.target == "iran" for e in filed)


def test_a_clause_with_its_own_subject_lends_no_target():
    # "after it bombed Gaza" is another act of the same actor, not the withdrawal's object
    text = "Israel withdrew its troops after it bombed Gaza."
    withdrew = [e for e in events(text) if e.trigger.startswith("withdrew")]
    assert withdrew and all(e.target is None for e in withdrew)
    assert any(e.trigger == "bombed" and e.target is not None for e in events(text))


def test_salience_changes_no_event(monkeypatch):
    import rashomon.events.coder as coder

    text = "Israel struck Hezbollah positions after Hezbollah fired rockets at Israel."
    ranked = [asdict(e) for e in events(text)]
    monkeypatch.setattr(coder, "load_salience_model", lambda: None)
    doc = Document(id="t", text=text, published="2021-03-01")
    plain = [asdict(e) for e in next(analyse_documents([doc], Config())).result.events]
    assert ranked and all(e["salience"] is not None for e in ranked)
    assert all(e["salience"] is None for e in plain)
    for e in ranked:
        e["salience"] = None
    assert ranked == plain


def test_salience_features_read_the_parse():
    doc = load_nlp()("Police arrested the men who attacked the convoy.")
    ev = [Event(id=f"t:e{i}", document="t", start=0, end=len(doc.text), sentence=doc.text,
                trigger=w, type=t, quad=q, source="a", target="b",
                trigger_start=doc.text.index(w), trigger_end=doc.text.index(w) + len(w),
                confidence=c)
          for i, (w, t, q, c) in enumerate((("arrested", "COERCE", "material_conflict", 0.5),
                                            ("attacked", "ASSAULT", "material_conflict", 0.7)))]
    feats, dense, sentences = salience_rows(doc, ev, [None, None])
    assert "root=True" in feats[0] and "under=relcl" in feats[1]
    assert sentences[0] == sentences[1]
    assert dense[0][1] > 0 and dense[1][1] == 0  # the gap to the sentence's most confident


def test_the_report_names_the_main_event_of_a_sentence_with_several():
    from rashomon.report.highlight import main_events

    def ev(n: int, trigger_start: int, salience: float | None) -> Event:
        return Event(id=f"t:e{n}", document="t", start=0, end=40, sentence="S.",
                     trigger="x", type="ASSAULT", quad="material_conflict", source="a",
                     target="b", trigger_start=trigger_start, salience=salience)

    assert main_events([ev(1, 0, 0.3), ev(2, 10, 0.8)]) == {"t:e2"}
    assert main_events([ev(1, 0, 0.3)]) == set()  # alone in its sentence: nothing to say
    assert main_events([ev(1, 0, None), ev(2, 10, None)]) == set()
