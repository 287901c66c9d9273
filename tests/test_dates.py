"""Dates as people type them (wikcli.dates): ISO first, Dutch and English as well."""

from datetime import date

import pytest

from wikcli.rules.dates import parse
from wikcli.errors import DateError


@pytest.mark.parametrize("text", ["2026-03-03", "3-3-2026", "03-03-2026", "3 maart 2026", "3 March 2026",
                                  "03 MAART 2026", "3 mrt 2026", "3 mrt. 2026", "3 Mar 2026", " 3  maart  2026 "])
def test_every_form_of_3_march_2026(text):
    assert parse(text) == date(2026, 3, 3)


def test_iso_comes_first_and_day_month_order_is_dutch():
    assert parse("2026-04-03") == date(2026, 4, 3)  # ISO: year, month, day
    assert parse("4-3-2026") == date(2026, 3, 4)  # Dutch: day, month, year
    assert parse("31 december 2026") == date(2026, 12, 31)
    assert parse("1 mei 2026") == parse("1 May 2026") == date(2026, 5, 1)
    assert parse("15 okt 2026") == parse("15 Oct 2026") == date(2026, 10, 15)


@pytest.mark.parametrize("text,message", [
    ("2026-02-31", "--date '2026-02-31' is not a date: February 2026 has 28 days"),
    ("29-2-2026", "--date '29-2-2026' is not a date: February 2026 has 28 days"),
    ("31 april 2026", "--date '31 april 2026' is not a date: April 2026 has 30 days"),
    ("2026-13-01", "--date '2026-13-01' is not a date: there is no month 13"),
    ("3 maartt 2026", "--date '3 maartt 2026' is not a date: 'maartt' is not a month"),
    ("3-3-26", "--date '3-3-26' is not a date: write the year in four digits"),
    ("3/3/2026", "--date '3/3/2026' is not a date: expected 2026-03-03, 3-3-2026 or 3 maart 2026"),
    ("tomorrow", "--date 'tomorrow' is not a date: expected 2026-03-03, 3-3-2026 or 3 maart 2026"),
])
def test_a_day_that_does_not_exist_says_why(text, message):
    with pytest.raises(DateError) as e:
        parse(text, "--date")
    assert str(e.value).startswith(message)


def test_leap_years():
    assert parse("29-2-2028") == date(2028, 2, 29)
    with pytest.raises(DateError, match="February 2100 has 28 days"):
        parse("2100-02-29")


@pytest.mark.parametrize("text, expected", [
    ("vandaag", "2026-12-04"), ("today", "2026-12-04"), ("Gisteren", "2026-12-03"), ("yesterday", "2026-12-03"),
    ("morgen", "2026-12-05"), ("tomorrow", "2026-12-05"), ("eergisteren", "2026-12-02"), ("overmorgen", "2026-12-06"),
    ("+14", "2026-12-18"), ("-3", "2026-12-01"), ("+2w", "2026-12-18"), ("over 7 dagen", "2026-12-11"),
    ("in 2 weeks", "2026-12-18"), ("3 dagen geleden", "2026-12-01"), ("3 days ago", "2026-12-01"),
    ("over 8 jaar", "2034-12-04"), ("in 1 year", "2027-12-04"), ("+30d", "2027-01-03"),
])
def test_relative_to_the_day_given(text, expected):
    from datetime import date

    assert parse(text, "--date", today=date(2026, 12, 4)).isoformat() == expected


def test_relative_words_need_a_day_to_count_from_and_a_year_on_from_29_february():
    from datetime import date

    with pytest.raises(DateError, match=r"^--date 'morgen' is not a date: expected 2026-03-03"):
        parse("morgen", "--date")
    assert parse("over 1 jaar", "x", today=date(2028, 2, 29)) == date(2029, 2, 28)
    with pytest.raises(DateError):
        parse("over drie dagen", "x", today=date(2028, 2, 29))
