"""Claim attribution on small texts of our own: cues, speakers, content, nesting, quotes."""

from __future__ import annotations

from functools import cache

from rashomon.pipeline import Config, analyse_documents
from rashomon.types import Claim, Document, DocumentAnalysis


@cache
def analyse(text: str) -> DocumentAnalysis:
    doc = Document(id="t", text=text, published="2020-06-10")
    return next(analyse_documents([doc], Config())).result


def claims(text: str) -> list[Claim]:
    return analyse(text).claims


def test_said_that_gives_speaker_cue_and_indirect_content():
    [c] = claims("Turkey said that Syria attacked its troops.")
    assert (c.speaker, c.cue, c.cue_type, c.direct) == ("turkey", "said", "assert", False)
    assert c.content == "Syria attacked its troops"


def test_content_offsets_point_at_the_content():
    text = "Turkey said that Syria attacked its troops."
    [c] = claims(text)
    assert text[c.content_start:c.content_end] == c.content


def test_about_lists_actors_named_in_the_content():
    [c] = claims("Turkey said that Syria attacked Iraq.")
    assert c.about == ["syria", "iraq"]


def test_quote_followed_by_he_said_is_direct():
    text = "Iran's foreign minister spoke on Monday. “We will respond,” Iran said."
    c = next(c for c in claims(text) if c.cue == "said")
    assert c.speaker == "iran" and c.direct and "We will respond" in c.content


def test_according_to_names_the_speaker():
    [c] = claims("Syria attacked Turkey, according to Egypt.")
    assert (c.speaker, c.cue) == ("egypt", "according to")
    assert "Syria attacked Turkey" in c.content


def test_nested_report_is_reported_by_the_outer_speaker():
    found = claims("Egypt reported that Iranian officials claim that Iraq attacked Turkey.")
    inner = next(c for c in found if c.cue == "claim")
    outer = next(c for c in found if c.cue == "reported")
    assert inner.speaker == "iran" and inner.reported_by == ["egypt"]
    assert outer.content_start <= inner.start and inner.end <= outer.content_end


def test_cue_noun_subject_takes_its_modifier_as_speaker():
    [c] = claims("An Iranian foreign ministry statement said the strike was illegal.")
    assert c.speaker == "iran"


def test_passive_reporting_frame_takes_the_agent():
    [c] = claims("The deal is considered by Iran as a betrayal.")
    assert c.speaker == "iran" and c.cue == "considered"


def test_description_as_predicate_is_a_claim():
    [c] = claims("Iraq described Turkey as an occupier.")
    assert c.cue_type == "describe" and "occupier" in c.content


def test_quotation_paragraph_is_attributed_to_the_previous_speaker():
    text = "Iran said the talks had failed.\n\n“We will not return to the table.”"
    found = claims(text)
    assert len(found) == 2
    assert found[1].speaker == "iran" and found[1].direct


def test_continued_quotation_extends_the_claim():
    text = 'Iran said that "the talks failed.\n\n"We will not return to the table."'
    [c] = claims(text)
    assert c.content.endswith("We will not return to the table")


def test_claim_without_a_nameable_speaker_is_not_kept():
    assert claims("It is said that Syria attacked Turkey.") == []


def test_claim_ids_are_numbered_per_document():
    found = claims("Turkey said Syria lied. Iran said Iraq lied.")
    assert [c.id for c in found] == ["t:c1", "t:c2"]


def test_taking_responsibility_is_a_claim():
    [c] = claims("Hezbollah took responsibility for the attack on Israel.")
    assert (c.speaker, c.cue_type) == ("hezbollah", "claim")
    assert c.content == "the attack on Israel"


def test_presenting_as_is_a_description():
    [c] = claims("Iran presented the offensive as aimed at criminal gangs.")
    assert c.speaker == "iran" and c.cue_type == "describe"


def test_naming_is_not_a_claim():
    assert claims("Iran backed a group called Hezbollah.") == []


def test_quotation_paragraph_inside_a_parser_sentence_quotes_the_previous_speaker():
    text = ("The deal is considered by Iran as “a betrayal.”\n\n"
            "“Rather, it prepares the ground for war.” The talks ended.")
    found = claims(text)
    quote = [c for c in found if c.content.startswith("Rather")]
    assert quote and quote[0].speaker == "iran"
    assert quote[0].content == "Rather, it prepares the ground for war."


def test_possessor_misread_as_subject_gives_no_claim():
    assert claims("The group's declared objective is to take over Iran.") == []


# -- sources no actor stands for, speech framing, transcripts -------------------------------


def test_source_no_actor_stands_for_is_kept_by_its_words():
    [c] = claims("A campaign spokeswoman said the rally was cancelled.")
    assert c.speaker is None and c.speaker_text == "A campaign spokeswoman"
    assert c.content == "the rally was cancelled"


def test_first_person_aside_inside_a_quotation_is_not_a_claim():
    found = claims("“I think the plan will fail,” Turkey said.")
    assert [c.cue for c in found] == ["said"] and found[0].speaker == "turkey"


def test_they_outside_a_quotation_is_a_source_kept_by_its_words():
    [c] = claims("The farmers met on Monday.\n\nThey said the harvest had failed.")
    assert c.speaker_text == "They" and c.content == "the harvest had failed"


def test_it_said_speaks_for_the_body_named_before():
    found = claims("The Syrian foreign ministry issued a statement. It said the border "
                   "stays closed.")
    said = [c for c in found if c.cue == "said"]
    assert len(said) == 1 and said[0].speaker is not None
    assert said[0].speaker_text == "It" and said[0].content == "the border stays closed"


def test_quotation_credited_after_a_dash_is_the_named_persons():
    found = claims("Voters wrote to us after the debate.\n\n“The tax plan finally makes "
                   "sense to me.” ― Tom Baker, Ohio\n\nThe next debate is in May.")
    credited = [c for c in found if c.cue == "―"]
    assert len(credited) == 1
    assert credited[0].speaker_text == "Tom Baker, Ohio" and credited[0].speaker is not None
    assert credited[0].content == "The tax plan finally makes sense to me."


def test_dateline_dash_is_no_quote_credit():
    found = claims("BAGHDAD — The council said the vote would go ahead.")
    assert [c.cue for c in found] == ["said"]


def test_according_to_parsed_as_its_own_sentence_still_gives_what_follows():
    # the small parser makes "According" the root here and hangs the clause off the name
    [c] = claims("According to veteran radio host Sam Pike, the move reeks of panic.")
    assert c.cue == "according to" and c.speaker_text == "veteran radio host Sam Pike"
    assert c.content == "the move reeks of panic"


def test_mental_state_of_an_unnamed_holder_is_not_a_claim():
    assert claims("Many farmers believe the drought will end soon.") == []


def test_relative_pronoun_speaks_for_its_antecedent():
    c = next(c for c in claims("The plan was opposed by Turkey, which said it would veto it.")
             if c.cue == "said")
    assert (c.speaker, c.speaker_text) == ("turkey", "Turkey")


def test_quotation_before_speaker_and_cue_is_the_content():
    [c] = claims("“We are not leaving,” Ahmed Karimi, 61, told the BBC on Sunday.")
    assert c.cue == "told" and c.content == "We are not leaving" and c.direct
    assert c.speaker_text == "Ahmed Karimi"


def test_quotation_after_a_speech_verb_is_the_content():
    [c] = claims("The minister replied, “Nothing has been decided yet.”")
    assert c.cue == "replied" and c.content.rstrip(".") == "Nothing has been decided yet"


def test_speech_participle_takes_the_clause_subject():
    c = next(c for c in claims("Iran rejected the offer, saying it was an insult.")
             if c.cue == "saying")
    assert c.speaker == "iran" and c.content == "it was an insult"


def test_other_participles_do_not_borrow_the_subject():
    assert [c.cue for c in claims("Iran will win, assuming Iraq stays neutral.")] == []


def test_continued_takes_only_the_quotation_beside_it():
    [c] = claims("“We will not stop,” she continued.")
    assert c.content == "We will not stop"
    assert claims("The fighting continued; the villagers fled.") == []


def test_colon_at_paragraph_end_introduces_the_next_paragraph_once():
    found = claims("Turkey said:\n\n“The border is closed.”\n\nTrade fell sharply.")
    assert [(c.speaker, c.content.rstrip(".")) for c in found] == [("turkey",
                                                                   "The border is closed")]


def test_content_stays_in_the_cue_paragraph():
    from rashomon.claims import paragraph_bounds

    text = "Egypt objected.\n\nTurkey said:\n\n“No.”\n\nTrade fell."
    start, end = paragraph_bounds(text, text.index("Turkey"))
    assert text[start:end] == "Turkey said:\n\n“No.”"
    assert paragraph_bounds(text, 0) == (0, len("Egypt objected."))


def test_transcript_turns_are_attributed_to_their_label():
    text = ("HOST: Will Egypt close the border?\n\nKARIMI: No, Egypt will keep it open.\n\n"
            "Update: The figures were revised on Monday.")
    found = claims(text)
    assert [(c.cue, c.speaker_text) for c in found] == [(":", "HOST"), (":", "KARIMI")]
    assert found[1].content == "No, Egypt will keep it open."


def test_quoted_transcript_turns_are_attributed_to_their_label_once():
    text = ("The interview went as follows.\n\n\"HOST: Will Egypt close the border?\n\n"
            "\"KARIMI: No, Egypt will keep it open.\n\n\"Jobs: that is what matters.\"")
    found = claims(text)
    # one claim per turn, none to the previous speaker; a quoted label not in capitals is
    # part of a quotation, not a transcript's speaker
    assert [(c.cue, c.speaker_text) for c in found if c.cue != "said"][:2] == [
        (":", "HOST"), (":", "KARIMI")]
    assert not any(c.speaker_text == "Jobs" for c in found)
    assert sum("keep it open" in c.content for c in found) == 1


def test_credited_quotation_opening_with_a_reversed_mark_is_still_credited():
    found = claims("Voters wrote to us after the debate.\n\n”The tax plan finally makes "
                   "sense to me.” ― Tom Baker, Ohio\n\nThe next debate is in May.")
    credited = [c for c in found if c.cue == "―"]
    assert len(credited) == 1 and credited[0].speaker_text == "Tom Baker, Ohio"
    assert credited[0].content == "The tax plan finally makes sense to me."


def test_complement_parsed_as_adverbial_clause_is_still_the_content():
    [c] = claims("Karimi said after the meeting he would not accept the offer if it were made.")
    assert c.cue == "said" and c.speaker_text == "Karimi"
    assert "he would not accept the offer" in c.content
    # a clause with its own conjunction is a reason or a time, not what was said
    assert claims("Karimi said nothing because he was tired.") == []


def test_quotation_after_the_credit_goes_on_with_the_same_speaker():
    lead = "Border talks ended.\n\nTurkey rejected the plan. “We will not leave,” Turkey said. "
    [said] = [c for c in claims(lead + "“The border stays open.”") if c.cue == "said"]
    assert said.content.startswith("We will not leave") and "stays open" in said.content
    # a quotation with a credit of its own is that speaker's
    found = claims(lead + "“The border stays open,” Iran added.")
    [said] = [c for c in found if c.cue == "said"]
    assert "stays open" not in said.content
    assert [c.speaker for c in found if "stays open" in c.content] == ["iran"]


def test_a_sure_learned_cue_keeps_a_common_noun_source_no_actor_stands_for():
    found = claims("Voting rules changed.\n\nA federal appeals court ruled that the "
                   "procedure was illegal.")
    [ruled] = [c for c in found if c.cue == "ruled"]
    assert ruled.speaker is None and ruled.speaker_text == "A federal appeals court"
    assert ruled.content == "the procedure was illegal"


def test_what_follows_a_colon_after_the_credit_is_said_too():
    [c] = [c for c in claims("Talks ended.\n\nTurkey will use the meeting to make news, "
                             "Karimi said: \"I feel like he has a surprise.\"")
           if c.cue == "said"]
    assert c.content.startswith("Turkey will use the meeting") and "a surprise" in c.content


def test_nesting_never_makes_a_cycle():
    import spacy

    from rashomon.claims.chains import Attribution, nest

    doc = spacy.blank("en")("a said b c d told e")
    said, told = doc[1], doc[5]
    one = Attribution(cue=said, cue_text="said", cue_type="assert", content_start=0,
                      content_end=len(doc.text), speaker=None, speaker_text=None, direct=False)
    two = Attribution(cue=told, cue_text="told", cue_type="assert", content_start=0,
                      content_end=len(doc.text), speaker=None, speaker_text=None, direct=False)
    nest([one, two])
    assert not (one.parent is two and two.parent is one)
    assert one.chain() == [] and two.chain() == []


def test_a_quotation_after_a_credit_and_colon_is_the_speakers_to_its_close():
    """"X said: “A. B.”": both sentences are X's words, not only the first (the cue's
    clausal complement); the sentence after the quotation is not."""
    text = ("Foreign Minister Ayman Safadi said: “The talks went well. We will meet the "
            "Syrian delegation again.” The delegation left on Monday.")
    [c] = [c for c in claims(text) if c.speaker == "ayman_safadi"]
    assert "We will meet the Syrian delegation again" in c.content
    assert "delegation left" not in c.content

