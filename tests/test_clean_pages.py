"""Cleaning real web pages: captions, credits, embeds, forms, site headers, titles, comments.

Every page here is made up for the test; none is text from the development articles.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from rashomon.clean import clean_record, find_repeated_lines, load_patterns, outlet_key
from rashomon.clean.boilerplate import remove_boilerplate
from rashomon.clean.header import clean_title
from rashomon.clean.lineclass import (
    FEATURES,
    LineClassifier,
    document_features,
    is_sentence,
    packaged_classifier,
)
from rashomon.datafiles import DataFileError
from rashomon.models import LinearModel

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PATTERNS = load_patterns()
P1 = ("The provincial council met on Tuesday to discuss the security plan for the city, "
      "which has seen weeks of clashes between rival armed groups.")
P2 = ("Council members said the plan would add checkpoints on the main roads and bring "
      "more police officers into the old market district before the holiday.")
P3 = ("The governor told reporters that the budget for the plan had been approved by the "
      "ministry and that work would begin within a month.")


def clean(text: str, classifier=None, **fields):
    from rashomon.types import RawRecord

    raw = RawRecord(id="t", source="t.txt", format="txt", text=text, **fields)
    return clean_record(raw, PATTERNS, classifier=classifier)


# --- captions and credits -----------------------------------------------------------------

def test_caption_wrapped_over_two_lines_with_a_bracketed_agency_goes():
    doc = clean(f"{P1}\n\nPolice officers stand guard at a checkpoint\n"
                f"near the old market on Monday [Reuters]\n\n{P2}")
    assert doc.text == f"{P1}\n\n{P2}"


@pytest.mark.parametrize("credit", [
    "(Photo: Town council press office)",
    "(Photo credit: Getty Images)",
    "Credit: AFP",
    "Photo: Lena Novak",
    "Lena Novak, Pool/AP",
    "Evening Courier/AFP",
    "Image source: Wikimedia Commons",
])
def test_credit_lines_go(credit):
    assert clean(f"{P1}\n\n{credit}\n\n{P2}").text == f"{P1}\n\n{P2}"


def test_a_credit_takes_the_caption_lines_above_it_in_its_block():
    doc = clean(f"{P1}\n\nThe governor speaks to reporters outside the council building\n"
                f"A police officer checks a car at the new checkpoint on Monday.\n"
                f"(Lena Novak / Associated Press)\n\n{P2}\n\n{P3}")
    assert doc.text == f"{P1}\n\n{P2}\n\n{P3}"


def test_a_credit_takes_nothing_above_it_where_every_line_is_a_paragraph():
    # no blank lines between paragraphs: the line above a credit may be article text
    text = f"{P1}\n{P2}\n(Photo: Lena Novak)\n{P3}"
    doc = clean(text)
    assert doc.text == f"{P1}\n{P2}\n{P3}"


def test_caption_ending_in_photo_credit_in_brackets_goes_but_prose_with_brackets_stays():
    prose = ("The minister (who asked not to be named) said the talks would resume in the "
             "capital next week.")
    doc = clean(f"{P1}\n\nSmoke over the harbour after the blast, May 3, 2019. "
                f"(Photo: Social media)\n\n{prose}")
    assert doc.text == f"{P1}\n\n{prose}"


# --- stray markup ------------------------------------------------------------------------------

def test_stray_tags_scripts_entities_and_shortcodes_go_and_prose_brackets_stay():
    from rashomon.clean import normalise_text

    raw = ('The talks <b>resumed</b> on Monday.<br/>Envoys &amp; officials met.'
           '<script>var x = "<p>";</script> [caption id="c1" width="300"]<img src="a.jpg"> '
           'Envoys at the table. Photo: AFP[/caption]A ratio of a < b > c held.\n'
           '[embed]https://video.example/1[/embed] The <Tigris> file stayed.')
    assert normalise_text(raw) == ("The talks resumed on Monday.\nEnvoys & officials met. "
                                   "A ratio of a < b > c held.\nhttps://video.example/1 "
                                   "The <Tigris> file stayed.")


@pytest.mark.parametrize("line", [
    "(Reporting by Sam Reed in Erbil; Editing by Lena Novak)",
    "Associated Press writer Jo Park in Basra contributed to this report.",
    "Protesters fill the main square on Friday, October 2, 2019. REUTERS/Sam Reed",
    "Image caption Protesters fill the main square",
    "Follow Evening Courier on Telegram",
    "Getty Images",
])
def test_wire_signoffs_and_agency_captions_go(line):
    assert clean(f"{P1}\n\n{line}\n\n{P2}").text == f"{P1}\n\n{P2}"


@pytest.mark.parametrize("prose", [
    "Reuters said the talks would resume after the holiday in the capital.",
    "He was reporting by phone from the city, and said the roads were closed.",
    "Iran contributed to the report, officials in the ministry said on Sunday.",
])
def test_prose_that_mentions_agencies_or_reporting_stays(prose):
    assert clean(f"{P1}\n\n{prose}\n\n{P2}").text == f"{P1}\n\n{prose}\n\n{P2}"


def test_a_byline_without_a_name_is_taken_off_without_an_author():
    doc = clean(f"Harbour reopens after strike\n\nBy Staff Writer\n\n{P1}")
    assert doc.title == "Harbour reopens after strike" and doc.author is None
    assert doc.text == P1


def test_markup_stripping_and_chrome_matching_stay_linear_on_hostile_text():
    import time

    from rashomon.clean import normalise_text

    started = time.perf_counter()
    normalise_text("<script>x " * 20_000 + '<a x="y ' * 20_000)
    clean("Share | Email | Print\n" * 20_000)
    assert time.perf_counter() - started < 20  # about 3 s on 2 cores; quadratic took minutes


# --- embeds, forms, menus -------------------------------------------------------------------

def test_embedded_tweet_with_its_signature_goes_whole():
    tweet = ("The checkpoints will make the market safer for everyone. We thank the council "
             "for listening. — Town Watch (@townwatch) March 4, 2021")
    mention = "The group @townwatch said on Twitter that it welcomed the plan."
    doc = clean(f"{P1}\n\n{tweet}\n\n{mention}\n\n{P2}")
    assert doc.text == f"{P1}\n\n{mention}\n\n{P2}"


@pytest.mark.parametrize("line", [
    "Please enter your comment!",
    "Please enter your name here",
    "12 + 4 = ?",
    "7 − = 3",
    "Notify me of follow-up comments by email.",
])
def test_comment_form_lines_and_captcha_sums_go(line):
    assert clean(f"{P1}\n\n{P2}\n\n{line}").text == f"{P1}\n\n{P2}"


def test_share_bar_of_pipes_goes_but_a_line_with_one_pipe_stays():
    one_pipe = "Turnout was 41% | officials expected more than half of voters to come out."
    doc = clean(f"{P1}\n\nUpdated | Comment | Email | Print |\n\n{one_pipe}\n\n{P2}")
    assert doc.text == f"{P1}\n\n{one_pipe}\n\n{P2}"


@pytest.mark.parametrize("line", ["Also available in Arabic", "Read this in Farsi",
                                  "« Back to all news", "Other pages", "4 min read",
                                  "Advertisement", "READ MORE: Council approves new budget",
                                  "Related coverage"])
def test_site_chrome_and_teaser_lines_go(line):
    assert clean(f"{P1}\n\n{line}\n\n{P2}").text == f"{P1}\n\n{P2}"


def test_stray_date_stamp_and_the_off_topic_teaser_above_it_go():
    teaser = "Heavy snow closed the Zagros passes and cut off Kermanshah for a week."
    doc = clean(f"{P1}\n\n{P2}\n\n{teaser}\n\nMarch 9, 2021\n\n{P3}")
    assert doc.text == f"{P1}\n\n{P2}\n\n{P3}"


def test_an_on_topic_paragraph_above_a_date_line_stays():
    doc = clean(f"{P1}\n\n{P2}\n\nMarch 9, 2021\n\n{P3}")
    assert doc.text == f"{P1}\n\n{P2}\n\n{P3}"


# --- header zone and titles -------------------------------------------------------------------

def test_site_header_nav_and_caption_above_the_headline_go_and_the_headline_is_the_title():
    page = ("Evening Courier\n\nSkip to main content\n\nWorld | Politics | Business | Sport\n\n"
            "Harbour reopens after week of strikes\n\nLena Novak\n\nMarch 3, 2021\n\n"
            f"{P1}\n\n{P2}")
    doc = clean(page, outlet="Evening Courier")
    assert doc.title == "Harbour reopens after week of strikes"
    assert doc.author == "Lena Novak" and doc.published == "2021-03-03"
    assert doc.text == f"{P1}\n\n{P2}"


def test_a_bare_name_caption_is_not_taken_for_the_headline():
    page = ("Governor Amir Haddad\nCouncil approves checkpoints for the old market\n\n"
            f"{P1}\n\n{P2}")
    doc = clean(page)
    assert doc.title == "Council approves checkpoints for the old market"
    assert doc.text == f"{P1}\n\n{P2}"


@pytest.mark.parametrize("headline", [
    "Who really won the harbour strike?",
    "Reed: Sorry, Council, the Port Is Ours Now!",
    'Council approves "security corridor"',
])
def test_headlines_ending_in_a_question_exclamation_or_quote(headline):
    doc = clean(f"{headline}\n\n{P1}\n\n{P2}")
    assert doc.title == headline and doc.text == f"{P1}\n\n{P2}"


def test_a_line_introducing_a_quotation_is_not_the_headline():
    doc = clean(f"The governor wrote:\n\n{P1}\n\n{P2}")
    assert doc.title is None and doc.text.startswith("The governor wrote:")


def test_a_deck_under_the_headline_stays_in_the_text():
    deck = "The plan adds checkpoints and police officers before the holiday season"
    doc = clean(f"Council approves security plan\n{deck}\nBy Lena Novak\n\n{P1}\n\n{P2}")
    assert doc.title == "Council approves security plan" and doc.author == "Lena Novak"
    assert doc.text == f"{deck}\n\n{P1}\n\n{P2}"


def test_dateline_with_a_clock_time_and_a_source_gives_the_date():
    for stamp in ("2021/03/04 | 15:56 - Source: Evening Courier", "March 4, 2021 - 0:0"):
        doc = clean(f"{stamp}\n{P1}\n\n{P2}")
        assert doc.published == "2021-03-04" and doc.text == f"{P1}\n\n{P2}"


def test_byline_with_a_date_and_posted_at_forms():
    doc = clean(f"Harbour reopens\n\nBy News Desk - March 3 2021\n\n{P1}")
    assert doc.published == "2021-03-03" and doc.text == P1
    doc = clean(f"Harbour reopens\n\nposted at 9:05 am on March 3, 2021 by harbourwatch\n\n{P1}")
    assert (doc.author, doc.published, doc.text) == ("harbourwatch", "2021-03-03", P1)


@pytest.mark.parametrize("title, outlet, url, expected", [
    ("Analysis: Why the harbour strike ended", None, None, "Why the harbour strike ended"),
    ("EXCLUSIVE - Council to approve checkpoints", None, None, "Council to approve checkpoints"),
    ("Harbour reopens after strike | Evening Courier", "Evening Courier", None,
     "Harbour reopens after strike"),
    ("Harbour reopens after strike - Courier", None, "https://www.courier.example/a",
     "Harbour reopens after strike"),
    ("Talks in review March 1 - March 9, 2021", "Evening Courier", None,
     "Talks in review March 1 - March 9, 2021"),
    ("Courier 24: Harbour reopens", "Courier 24 (via Aggregator)", None,
     "Courier 24: Harbour reopens"),
])
def test_title_prefixes_and_site_suffixes(title, outlet, url, expected):
    from rashomon.clean.extract import host_of

    assert clean_title(title, PATTERNS.title_prefixes, outlet, host_of(url)) == expected


def test_record_title_gets_the_same_title_cleaning():
    doc = clean(f"{P1}\n\n{P2}", title="Opinion: Harbour deal is fragile | Evening Courier",
                outlet="Evening Courier")
    assert doc.title == "Harbour deal is fragile"


# --- user pattern files ---------------------------------------------------------------------

def test_user_files_extend_word_classes_and_unknown_classes_are_named(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("classes:\n  agency: [Tigris Wire]\n")
    patterns = load_patterns([extra])
    assert patterns.match("Lena Novak/Tigris Wire") is not None
    assert PATTERNS.match("Lena Novak/Tigris Wire") is None
    bad = tmp_path / "bad.yaml"
    bad.write_text("categories:\n  mine:\n    patterns: ['{nosuchclass} only']\n")
    with pytest.raises(DataFileError, match="bad.yaml.*unknown class"):
        load_patterns([bad])


# --- the learned line classifier ------------------------------------------------------------

def always(probability_logit: float) -> LineClassifier:
    """A classifier whose model scores every line the same."""
    model = LinearModel(classes=["0", "1"], coef=np.zeros((1, len(FEATURES)), np.float32),
                        intercept=np.array([probability_logit], np.float32))
    return LineClassifier(model, threshold=0.5)


def test_classifier_takes_short_lines_from_the_edges_inwards_never_sentences_or_midbody():
    text = (f"Listen now\n\n{P1}\n\nA subheading\n\n{P2}\n\nShare with friends\n\nSave it")
    body, removed = remove_boilerplate(text, load_patterns([]), classifier=always(10.0))
    assert body == f"{P1}\n\nA subheading\n\n{P2}"
    assert removed == ["Listen now", "Share with friends", "Save it"]


def test_classifier_sure_of_nothing_removes_nothing():
    text = f"Listen now\n\n{P1}\n\nSave it"
    assert remove_boilerplate(text, load_patterns([]), classifier=always(-10.0))[0] == text


def test_sentence_guard():
    assert is_sentence("Only the mayor stayed home.") and is_sentence("The agency reported:")
    assert not is_sentence("Evening Courier/AFP") and not is_sentence("Lena Novak.")


def test_packaged_classifier_matches_the_feature_layout():
    classifier = packaged_classifier()
    assert classifier is not None
    assert classifier.model.meta["features"] == list(FEATURES)
    features = document_features(["Share this", P1])
    assert features.shape == (2, len(FEATURES))
    probs = classifier.probabilities(["Share | Email | Print", P1], [[0], [2]])
    assert probs[0] > probs[1]


def test_features_of_some_lines_are_those_lines_rows_of_the_whole_document():
    texts = ["Share | Email | Print", P1, "Follow us for more"]
    whole = document_features(texts, [1, 1, 1])
    some = document_features(texts, [1, 1, 1], lines=[0, 2])
    assert (some[[0, 2]] == whole[[0, 2]]).all()
    assert not some[1].any()  # a line not asked for is left 0


# --- reader comments --------------------------------------------------------------------------

STORY = "\n\n".join([P1, P2, P3, P1.replace("Tuesday", "Friday"), P2.replace("main", "side")])


@pytest.mark.parametrize("section", [
    "• Sam Rivers\nThe council never listens to farmers.\n• jo_park77\nFlooding is old news."
    "\nReply",
    "Sam Rivers wrote:\nThe council never listens to farmers.\n\njo_park77 wrote:\n"
    "Flooding is old news.",
    "12 Comments\n\nSam Rivers\n3 hours ago\nThe council never listens to farmers.\nReply\n\n"
    "jo_park77\n2 days ago\nFlooding is old news.\nLike",
    "Sam Rivers • 3 years ago\nThe council never listens to farmers.\n\n"
    "jo_park77 • a year ago\nFlooding is old news.",
])
def test_comment_layouts_are_split_off_with_their_authors(section):
    doc = clean(f"{STORY}\n\n{section}")
    assert [(c.author, c.text) for c in doc.comments] == [
        ("Sam Rivers", "The council never listens to farmers."),
        ("jo_park77", "Flooding is old news.")]
    assert doc.text == STORY


def test_one_line_name_colon_comments_are_split_under_a_heading_only():
    section = "Sam Rivers: The council never listens to farmers.\njo_park77: Flooding is old news."
    doc = clean(f"{STORY}\n\n3 responses to “Council meets”\n\n{section}")
    assert [(c.author, c.text) for c in doc.comments] == [
        ("Sam Rivers", "The council never listens to farmers."),
        ("jo_park77", "Flooding is old news.")]
    assert doc.text == STORY
    # without a comment heading the same lines read as labelled paragraphs of the article
    assert clean(f"{STORY}\n\n{section}").comments == []
    assert clean(f"{STORY}\n\nDiscussion\n\n{section}").comments == []


def test_a_bulleted_list_of_topics_at_the_end_is_not_comments():
    items = "The demands were:\n• Water\nClean wells for every village.\n• Roads\nNew roads."
    doc = clean(f"{STORY}\n\n{items}")
    assert doc.comments == [] and doc.text.endswith("New roads.")


# --- the development articles (skipped where ../shared is absent) ---------------------------

def _wsnorm(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", s).strip().lower()


@pytest.mark.skipif(not (SHARED / "corpus" / "dev.jsonl").exists(),
                    reason="development articles not available")
def test_development_articles_meet_the_cleaning_targets():
    from rashomon.ingest import read_inputs
    from rashomon.types import RawRecord

    records = [r for r in read_inputs([SHARED / "corpus" / "dev.jsonl"])
               if isinstance(r, RawRecord)]
    repeated = find_repeated_lines(records)
    boiler = removed = keep = kept = titles = right = 0
    for raw in records:
        gold = json.loads((SHARED / "gold" / "dev" / f"{raw.id}.json").read_text())
        doc = clean_record(raw, PATTERNS, repeated.get(outlet_key(raw), set()))
        text = _wsnorm(doc.text)
        boiler += len(gold["boilerplate"])
        removed += sum(_wsnorm(s) not in text for s in gold["boilerplate"])
        keep += len(gold["body_keep"])
        kept += sum(_wsnorm(s) in text for s in gold["body_keep"])
        titles += 1
        right += _wsnorm(doc.title or "") == _wsnorm(gold["title"] or "")
    assert kept == keep
    assert removed >= 0.9 * boiler and right >= 0.9 * titles
