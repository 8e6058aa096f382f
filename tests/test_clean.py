"""Clean: article text only, with title, author, date, outlet and reader comments split off."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from rashomon.clean import (
    Deduplicator,
    clean_record,
    find_repeated_lines,
    load_patterns,
    normalise_date,
    normalise_text,
    outlet_key,
)
from rashomon.ingest import read_inputs
from rashomon.types import Comment, RawRecord

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PATTERNS = load_patterns()
BODY = ("The provincial council met on Tuesday to discuss the security plan for the city, "
        "which has seen weeks of clashes between rival armed groups.")


def clean_text(text: str, **fields) -> object:
    return clean_record(RawRecord(id="t", source="t.txt", format="txt", text=text, **fields),
                        PATTERNS)


def clean_file(path: Path):
    [raw] = read_inputs([path])
    return clean_record(raw, PATTERNS)


# --- unicode -------------------------------------------------------------------------------

def test_odd_spaces_invisible_characters_and_odd_quotes_are_normalised():
    raw = "A\u00a0city\u2009of\u200b two soft\u00adhyphen «quoted» „low” ‛tick′  \r\n"
    assert normalise_text(raw) == 'A city of two softhyphen "quoted" "low” \'tick\''


def test_every_odd_character_is_replaced_also_alone_in_an_otherwise_plain_text():
    from rashomon.clean import normalise

    for table in (normalise._SPACES, normalise._INVISIBLE, normalise._QUOTES):
        for code, plain in table.items():
            assert normalise_text(f"x{chr(code)}y") == f"x{plain or ''}y", hex(code)


def test_curly_quotes_are_kept_and_text_is_nfc():
    assert normalise_text("“Cafe\u0301” isn’t") == "“Café” isn’t"


def test_at_most_one_blank_line_between_paragraphs_and_no_trailing_spaces():
    assert normalise_text("One.   \n\n\n\nTwo.\t\n") == "One.\n\nTwo."


# --- title, byline, dateline ---------------------------------------------------------------

def test_a_list_number_glued_to_the_line_before_goes_back_to_its_own_line():
    # a numbered statement pasted without its line breaks: each number ends the line before
    raw = ("The ministry said the following:1.\nThe guards caught two men.2.\n"
           "They were handed to the Border Police Service.3.\nAn inquiry was opened.")
    assert normalise_text(raw) == ("The ministry said the following:\n1. The guards caught two "
                                   "men.\n2. They were handed to the Border Police Service.\n"
                                   "3. An inquiry was opened.")


def test_a_decimal_or_a_year_at_the_end_of_a_line_is_no_list_number():
    raw = "Prices rose by 2.5.\nThe vote was held in 2018.\nTurnout was 44.\nNext."
    assert normalise_text(raw) == raw


def test_headline_dateline_and_byline_leave_the_body():
    doc = clean_text(f"Council debates security plan\n\nApril 23, 2008\n\nBy Jane Roe and "
                     f"John Doe\n\n{BODY}")
    assert doc.title == "Council debates security plan"
    assert doc.published == "2008-04-23"
    assert doc.author == "Jane Roe and John Doe"
    assert doc.text == BODY


@pytest.mark.parametrize("byline, author", [
    ("Written by – Elijah J. Magnier:", "Elijah J. Magnier"),
    ("Written by - Sam Reed", "Sam Reed"),
    ("By Layla Haddad in Baghdad", "Layla Haddad"),
    ("Omar Said, Reuters", "Omar Said"),
])
def test_byline_forms(byline, author):
    doc = clean_text(f"A headline\n\n{byline}\n\n{BODY}")
    assert (doc.author, doc.text) == (author, BODY)


@pytest.mark.parametrize("dateline, date", [
    ("23 April 2008", "2008-04-23"),
    ("Jan. 4, 2020", "2020-01-04"),
    ("2020-01-04", "2020-01-04"),
    ("Published: Wednesday, April 23, 2008 at 3:14 pm", "2008-04-23"),
])
def test_dateline_forms(dateline, date):
    doc = clean_text(f"A headline\n\n{dateline}\n\n{BODY}")
    assert (doc.published, doc.text) == (date, BODY)


def test_inline_agency_dateline_gives_the_date_and_stays_in_the_text():
    text = f"BAGHDAD, Jan 4, 2020 (Reuters) - {BODY}"
    doc = clean_text(text)
    assert doc.published == "2020-01-04" and doc.text == text


def test_first_line_ending_with_a_period_is_not_a_headline():
    doc = clean_text(f"{BODY}\n\nSecond paragraph.")
    assert doc.title is None and doc.text.startswith(BODY)


def test_a_text_of_one_headline_like_line_is_still_the_text():
    # no final period: read as a headline, but it is all there is to analyse
    line = "The river council has been an outspoken critic of the harbour board"
    doc = clean_text(line)
    assert doc.text == line and doc.title == line
    captioned = "Getty Images The river council praised the harbour board on Monday"
    assert clean_text(captioned).text == captioned
    # a headline above a body that is all boilerplate leaves no text
    assert clean_text("Harbour board named\n\nSubscribe to our newsletter").text == ""


def test_closing_author_bio_gives_the_author_and_leaves_the_body():
    doc = clean_text(f"{BODY}\n\nSam Reed is a journalist based in Erbil.")
    assert (doc.author, doc.text) == ("Sam Reed", BODY)


def test_record_metadata_wins_over_text_derived_values():
    doc = clean_text(f"Headline in text\n\nMay 1, 2019\n\nBy Jane Roe\n\n{BODY}",
                     title="Headline in metadata", author="Desk", published="2019-05-02",
                     url="https://www.tigris.example/a")
    assert (doc.title, doc.author, doc.published) == ("Headline in metadata", "Desk",
                                                      "2019-05-02")
    assert doc.outlet == "tigris.example" and doc.text == BODY


@pytest.mark.parametrize("value, expected", [
    ("2018-09-29T10:00:00+00:00", "2018-09-29"), ("2018-09", "2018-09"), ("2018", "2018"),
    ("Wed, 14 Apr 2021 09:30:00 +0000", "2021-04-14"), ("April 2008", "2008-04"),
    ("Jan 4", None), ("soon", None), (None, None),
])
def test_published_dates_are_normalised_to_known_precision(value, expected):
    assert normalise_date(value) == expected


# --- HTML ----------------------------------------------------------------------------------

def test_html_main_text_and_metadata_are_extracted():
    doc = clean_file(FIXTURES / "ingest" / "article.html")
    assert doc.title == "Ceasefire holds in Basra"
    assert (doc.author, doc.outlet, doc.published) == ("Layla Haddad", "Tigris Observer",
                                                       "2021-04-16")
    assert doc.text.startswith("A fragile ceasefire between rival militias")
    assert "Copyright" not in doc.text and "Home" not in doc.text


def test_html_comment_section_becomes_comments():
    html = ("<html><body><article><h1>Port strike ends</h1><p>" + BODY + "</p><p>" + BODY +
            "</p></article><div id='comments' class='comments'><h3>2 Comments</h3>"
            "<ol class='comment-list'><li class='comment'><p>Karim says:</p>"
            "<p>March 3, 2021 at 9:12 am</p><p>About time.</p><p>Reply</p></li></ol></div>"
            "</body></html>")
    doc = clean_record(RawRecord(id="h", source="h.html", format="html", html=html), PATTERNS)
    assert doc.comments == [Comment(author="Karim", text="About time.", date="2021-03-03")]
    assert "About time" not in doc.text and "2 Comments" not in doc.text


def test_feed_item_html_is_cleaned_with_feed_metadata():
    docs = [clean_record(r, PATTERNS) for r in read_inputs([FIXTURES / "ingest" / "feed.rss"])]
    assert docs[0].text == "Rockets struck the airbase on Wednesday, officials said."
    assert (docs[0].outlet, docs[0].published) == ("Tigris Observer", "2021-04-14")


# --- boilerplate ---------------------------------------------------------------------------

def test_donation_appeal_tail_is_cut_including_prose_no_pattern_names():
    tail = ("You need The Observer, and we need you!\n\nThe Observer is kept going by readers "
            "like you, every month.\n\nMake a One-off Donation or choose a monthly option.\n\n"
            "You can also call 1800 555 123 to make a donation. Thank you.")
    doc = clean_text(f"{BODY}\n\n{tail}")
    assert doc.text == BODY
    assert len(doc.metadata["boilerplate_removed"]) == 4


def test_paywall_teaser_credits_and_closed_comments_are_removed():
    tail = ("Monthly Subscription\n\nSubscribe or donate\n\n\nSubscribe to get access\n\n"
            "Read more of this content when you subscribe today.\n\nProofread by: Ann Lee\n\n\n"
            "Comments are closed.")
    assert clean_text(f"{BODY}\n\n{tail}").text == BODY


def test_share_bars_tags_and_navigation_lines_are_removed_anywhere():
    text = (f"Home » World » Middle East\n\nShare this:\n\nFacebook\n\n{BODY}\n\n"
            f"Twitter WhatsApp Email\n\n{BODY}\n\nTags: Iraq, Basra, militias")
    assert clean_text(text).text == f"{BODY}\n\n{BODY}"


def test_end_marker_followed_by_article_prose_does_not_cut_the_prose():
    prose = ("Related talks in Geneva are expected to resume next month, according to diplomats "
             "from three of the countries involved, who asked not to be named because the "
             "schedule has not been announced and the agenda is still being negotiated.")
    doc = clean_text(f"{BODY}\n\nRelated articles\n\n{prose}")
    assert doc.text == f"{BODY}\n\n{prose}"


def test_user_pattern_files_add_categories(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("categories:\n  house_style:\n    comment: our sign-off\n"
                     "    end_marker: false\n    lines: ['-- ends --']\n", encoding="utf-8")
    patterns = load_patterns([extra])
    raw = RawRecord(id="u", source="u", format="txt", text=f"{BODY}\n\n-- ends --")
    assert clean_record(raw, patterns).text == BODY
    assert clean_record(raw, PATTERNS).text != BODY


def test_lines_repeated_across_an_outlets_documents_are_found_and_removed():
    signoff = "Support the Tigris Observer's independent reporting from the region."
    raws = [RawRecord(id=str(i), source=str(i), format="txt", outlet="Tigris Observer",
                      text=f"Story number {i} about the council.\n\n{signoff}")
            for i in range(4)]
    raws.append(RawRecord(id="x", source="x", format="txt", outlet="Other",
                          text=f"Other story.\n\n{signoff}"))
    repeated = find_repeated_lines(raws, min_docs=3)
    assert len(repeated["tigris observer"]) == 1  # the sign-off; each story line is unique
    assert repeated["other"] == set()
    doc = clean_record(raws[0], PATTERNS, repeated[outlet_key(raws[0])])
    assert doc.text == "Story number 0 about the council."


def test_lines_in_too_few_documents_are_not_repeated_boilerplate():
    raws = [RawRecord(id=str(i), source=str(i), format="txt", outlet="O",
                      text=f"Story {i}.\n\n" + ("Shared quote." if i < 2 else "Own line."))
            for i in range(10)]
    assert "shared quote" not in find_repeated_lines(raws)["o"]


# --- comments ------------------------------------------------------------------------------

def test_says_layout_comments_are_split_off():
    doc = clean_file(FIXTURES / "clean" / "comments_says.txt")
    assert doc.comments == [
        Comment(author="Karim_77", text="About time. The closure hurt everyone in the south.",
                date="2021-03-03"),
        Comment(author="Nadia F.", text="Let us see how long it stays open this time.",
                date="2021-03-03")]
    assert doc.text.endswith("would take days to clear.")
    assert doc.author == "Sam Reed"


def test_name_on_date_layout_comments_are_split_off():
    doc = clean_file(FIXTURES / "clean" / "comments_on.txt")
    assert [(c.author, c.date) for c in doc.comments] == [("Abu Ali", "2020-01-06"),
                                                          ("Marta K", "2020-01-07")]
    assert doc.comments[1].text == "Compensation was promised last year too."
    assert doc.text.endswith("who lost their crops.")


def test_name_pipe_date_layout_comments_are_split_off():
    doc = clean_file(FIXTURES / "clean" / "comments_pipe.txt")
    assert [(c.author, c.text) for c in doc.comments] == [
        ("jwalker", "Good news for the exporters."),
        ("S. Rahimi", "The wages were owed for six months.")]
    assert doc.text.endswith("according to port officials.")


def test_comment_heading_without_entries_leaves_the_text_alone():
    doc = clean_text(f"{BODY}\n\nComments\n\n{BODY}")
    assert doc.comments == [] and doc.text == f"{BODY}\n\nComments\n\n{BODY}"


# --- duplicates ----------------------------------------------------------------------------

LONG = " ".join(f"Sentence {i} reports that the council met with delegates from district {i}."
                for i in range(40))


def doc(doc_id: str, text: str):
    return clean_record(RawRecord(id=doc_id, source=doc_id, format="txt", text=text), PATTERNS)


def test_exact_duplicate_ignores_case_spacing_and_punctuation():
    dedup = Deduplicator()
    dedup.add(doc("a", LONG))
    assert dedup.check(doc("b", LONG.upper().replace(".", " . "))) == ("exact", "a")


def test_near_duplicate_with_small_edits_is_found_and_distinct_text_is_not():
    dedup = Deduplicator()
    dedup.add(doc("a", LONG))
    edited = LONG.replace("Sentence 7 ", "Line 7 ") + " Updated with new figures."
    assert dedup.check(doc("b", edited)) == ("near", "a")
    other = " ".join(f"Item {i}: the ministry denied any role in strike number {i * 7}."
                     for i in range(40))
    assert dedup.check(doc("c", other)) is None


def test_deduplicator_reloads_from_persisted_signatures():
    original = doc("a", LONG)
    rows = [("a", Deduplicator.fingerprint(original), Deduplicator.signature(original))]
    assert isinstance(rows[0][2], bytes)
    dedup = Deduplicator.from_signatures(rows)
    assert dedup.check(doc("b", LONG)) == ("exact", "a")
    assert dedup.check(doc("c", LONG + " One more sentence.")) == ("near", "a")


def test_a_documents_minhash_is_computed_once_for_check_add_and_signature(monkeypatch):
    import rashomon.clean.dedup as dedup_module

    minhash = dedup_module.minhash
    computed: list[str] = []

    def counting(text: str):
        computed.append(text)
        return minhash(text)

    monkeypatch.setattr(dedup_module, "minhash", counting)
    dedup_module._sketch.cache_clear()
    dedup = Deduplicator()
    first = doc("a", LONG)
    edited = doc("b", LONG.replace("Sentence 7 ", "Line 7 ") + " Updated.")
    assert dedup.check(first) is None
    dedup.add(first)
    signature = Deduplicator.signature(first)
    assert dedup.check(edited) == ("near", "a")
    assert computed == [first.text, edited.text]
    assert signature == minhash(first.text).hashvalues.astype("<u8").tobytes()


def test_a_sketch_made_with_the_shared_permutations_is_the_one_made_from_scratch():
    # The permutations are drawn once per process; the signatures a store keeps must stay
    # the ones a fresh datasketch sketch gives, or stored documents stop matching.
    from datasketch import MinHash

    from rashomon.clean.dedup import NUM_PERM, SCHEME, SHINGLE_WORDS, minhash, normalised_body

    text = "The river ferry resumed its crossings after the floods receded last week."
    words = normalised_body(text).split()
    fresh = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    fresh.update_batch([" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8")
                        for i in range(len(words) - SHINGLE_WORDS + 1)])
    assert np.array_equal(minhash(text).hashvalues, fresh.hashvalues)
    assert np.array_equal(minhash(text).hashvalues, minhash(text).hashvalues)


def test_empty_bodies_are_not_duplicates_of_each_other():
    dedup = Deduplicator()
    dedup.add(doc("a", ""))
    assert dedup.check(doc("b", "")) is None


def test_document_fingerprint_is_set_by_clean():
    assert doc("a", LONG).fingerprint == Deduplicator.fingerprint(doc("b", LONG))


# --- reference corpus ----------------------------------------------------------------------

@pytest.mark.skipif(not (SHARED / "corpus" / "corpus.jsonl").exists(),
                    reason="shared reference corpus not present")
def test_reference_corpus_matches_gold_cleaning_expectations():
    sys.path.insert(0, str(SHARED / "eval"))
    from score import norm, wsnorm

    raws = [r for r in read_inputs([SHARED / "corpus" / "corpus.jsonl"])
            if isinstance(r, RawRecord)]
    repeated = find_repeated_lines(raws)
    for raw in raws:
        gold = json.loads((SHARED / "gold" / f"{raw.id}.json").read_text(encoding="utf-8"))
        cleaned = clean_record(raw, PATTERNS, repeated.get(outlet_key(raw), set()))
        text = wsnorm(cleaned.text)
        for line in gold["boilerplate"]:
            assert wsnorm(line) not in text, (raw.id, line)
        for line in gold["body_keep"]:
            assert wsnorm(line) in text, (raw.id, line)
        assert norm(cleaned.title) == norm(gold["title"]), raw.id
        if gold.get("author"):
            assert norm(cleaned.author) == norm(gold["author"]), raw.id
        assert len(cleaned.comments) == len(gold.get("comments", [])), raw.id


def test_headline_directly_above_its_byline_is_the_title():
    raw = RawRecord(id="x", source="x.txt", format="txt",
                    text="Quiet Returns to the Port City\nBy Lina Haddad\nMarch 3, 2021\n\n"
                         "The port reopened on Tuesday after a week of strikes.\n")
    doc = clean_record(raw, load_patterns())
    assert doc.title == "Quiet Returns to the Port City"
    assert doc.author == "Lina Haddad" and doc.published == "2021-03-03"
    assert doc.text.startswith("The port reopened")


def test_headline_ending_in_a_period_above_a_byline_is_still_the_title():
    raw = RawRecord(id="x", source="x.txt", format="txt",
                    text="The Port Reopened. Now Pay the Workers.\nBy Lina Haddad\n\n"
                         "The port reopened on Tuesday after a week of strikes.\n")
    doc = clean_record(raw, load_patterns())
    assert doc.title == "The Port Reopened. Now Pay the Workers."
    assert doc.author == "Lina Haddad"


@pytest.mark.parametrize("text, place", [
    ("BAGHDAD (Reuters) - Iraqi forces raided a base.", "BAGHDAD"),
    ("KUWAIT CITY (AFP) -- Iran said on Tuesday it backs the crackdown.", "KUWAIT CITY"),
    ("TEHRAN, Jun. 13 (MNA) – The coalition was announced.", "TEHRAN"),
    ("WASHINGTON — The US condemned the attack.", "WASHINGTON"),
    ("US forces - the army's own - left.", None),
])
def test_the_place_of_an_inline_dateline(text, place):
    from rashomon.clean.header import dateline_places

    found = [text[a:b] for a, b in dateline_places(text)]
    assert found == ([place] if place else [])
