"""Deadlines: the reference vectors, the delivery norms by posting date, the counted holidays
2025-2030 (decrees and the Friday rule) and the invariants over every send date of
2025-2030."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conftest import load_vectors
from wikcli.rules import deadlines
from wikcli.rules.deadlines import EMAIL, POST, DeadlineError, Skip, holiday_name

CASES = load_vectors("deadlines.json")


def _iso(s: str) -> date:
    return date.fromisoformat(s)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['sent']}-{c['via']}" for c in CASES])
def test_vector(case):
    t = deadlines.term(_iso(case["sent"]), case["via"])
    assert t.delivered == _iso(case["delivered"])
    assert t.last_day == _iso(case["last_day"])
    assert t.costs_due_from == _iso(case["costs_due_from"])
    assert t.extended_by_atw is case["extended_by_atw"]
    assert t.term_starts == t.delivered + timedelta(days=1)


def test_christmas_skips_in_date_order():
    t = deadlines.term(date(2026, 12, 24), POST)
    assert t.skipped == (
        Skip(date(2026, 12, 25), "Eerste Kerstdag"),
        Skip(date(2026, 12, 26), "Tweede Kerstdag"),
        Skip(date(2026, 12, 27), "Zondag"),
        Skip(date(2026, 12, 28), "Maandag"),
    )
    assert (t.delivered, t.delivery_days) == (date(2026, 12, 31), 3)


def test_new_year_skips_delivery_and_atw_days():
    t = deadlines.term(date(2025, 12, 30), POST)
    assert [(s.day.isoformat(), s.why) for s in t.skipped] == [
        ("2026-01-01", "Nieuwjaarsdag"),
        ("2026-01-02", "Vrijdag na Nieuwjaarsdag (gelijkgesteld)"),
        ("2026-01-17", "Zaterdag"),
        ("2026-01-18", "Zondag"),
    ]


def test_good_friday_and_liberation_day_skips():
    t = deadlines.term(date(2025, 4, 16), POST)
    assert [(s.day.isoformat(), s.why) for s in t.skipped] == [
        ("2025-04-18", "Goede Vrijdag"),
        ("2025-05-03", "Zaterdag"),
        ("2025-05-04", "Zondag"),
        ("2025-05-05", "Bevrijdingsdag"),
    ]


def test_email_skips_nothing_for_delivery():
    t = deadlines.term(date(2026, 12, 24), EMAIL)
    assert t.delivered == date(2026, 12, 24) and t.skipped == ()
    assert t.delivery_days is None
    assert t.rule == "e-mail is received the day it is sent"


def test_email_ignores_delivery_days():
    assert deadlines.term(date(2026, 12, 24), EMAIL, delivery_days=9) == deadlines.term(date(2026, 12, 24), EMAIL)


def test_to_json_shape():
    # The keys other tools are built on; the rule and N stay out of the document.
    assert deadlines.term(date(2026, 11, 26), POST).to_json() == {
        "sent": "2026-11-26", "via": "post", "delivered": "2026-12-01", "term_days": 14,
        "term_starts": "2026-12-02", "last_day": "2026-12-15", "costs_due_from": "2026-12-16",
        "extended_by_atw": False,
        "skipped": [{"date": "2026-11-29", "why": "Zondag"}, {"date": "2026-11-30", "why": "Maandag"}],
    }


@pytest.mark.parametrize("sent,n", [
    (date(1965, 4, 1), 2), (date(2025, 11, 26), 2), (date(2026, 6, 30), 2),
    (date(2026, 7, 1), 3), (date(2027, 6, 30), 3),
    (date(2027, 7, 1), 4), (date(2030, 12, 31), 4),
])
def test_delivery_days_by_posting_date(sent, n):
    assert deadlines.delivery_days_for(sent) == n
    assert deadlines.term(sent).delivery_days == n


@pytest.mark.parametrize("sent,rule", [
    (date(2026, 6, 30), "2nd delivery day: PostNL delivers the next delivery day for letters posted "
                        "until 2026-06-30, plus one day of margin"),
    (date(2026, 7, 1), "3rd delivery day: PostNL delivers within 2 days from 2026-07-01, plus one day of margin"),
    (date(2027, 7, 1), "4th delivery day: PostNL delivers within 3 days from 2027-07-01, plus one day of margin"),
])
def test_rule_names_the_norm(sent, rule):
    assert deadlines.term(sent).rule == rule


def test_delivery_days_override():
    # Thursday 26 November 2026: Fri 27, Sat 28, (Sun, Mon), Tue 1, Wed 2, Thu 3.
    t = deadlines.term(date(2026, 11, 26), POST, delivery_days=5)
    assert (t.delivered, t.last_day, t.delivery_days) == (date(2026, 12, 3), date(2026, 12, 17), 5)
    assert t.rule == ("5th delivery day, as set; the norm gives the 3rd: PostNL delivers "
                      "within 2 days from 2026-07-01, plus one day of margin")
    # The norm's own N reads as the norm.
    assert deadlines.term(date(2026, 11, 26), POST, delivery_days=3) == deadlines.term(date(2026, 11, 26), POST)
    # Abroad, 10 delivery days: Fri 27, Sat 28, Tue 1 .. Sat 5, Tue 8, Wed 9, Thu 10.
    abroad = deadlines.term(date(2026, 11, 26), POST, delivery_days=deadlines.ABROAD_DELIVERY_DAYS)
    assert (abroad.delivered, abroad.last_day) == (date(2026, 12, 10), date(2026, 12, 24))


@pytest.mark.parametrize("n", [0, 31, -1, True, "3"])
def test_delivery_days_out_of_range(n):
    with pytest.raises(DeadlineError, match=f"delivery days {n!r} is out of range: expected 1 to 30"):
        deadlines.term(date(2026, 11, 24), POST, delivery_days=n)


@pytest.mark.parametrize("n,text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                    (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (30, "30th")])
def test_ordinal(n, text):
    assert deadlines.ordinal(n) == text


def test_notice_of_default_term_of_eight_days():
    # Tuesday: Wed, Thu, Fri -> delivered Friday 27; 8 days -> Saturday 5 December -> Monday.
    t = deadlines.term(date(2026, 11, 24), POST, deadlines.NOTICE_DAYS)
    assert (t.last_day, t.costs_due_from) == (date(2026, 12, 7), date(2026, 12, 8))


# Every counted holiday of 2025-2030: Atw art. 3 lid 1, Good Friday (lid 2) and the days
# equated (lid 3): by the decrees for 2023-2025 and 2026-2028, by the Friday rule after.
EXPECTED = {
    2025: ["01-01", "04-18", "04-21", "04-26", "05-05", "05-29", "05-30", "06-09", "12-25", "12-26"],
    2026: ["01-01", "01-02", "04-03", "04-06", "04-27", "05-05", "05-14", "05-15", "05-25",
           "12-25", "12-26"],
    2027: ["01-01", "03-26", "03-29", "04-27", "05-05", "05-06", "05-07", "05-17", "12-25", "12-26"],
    2028: ["01-01", "04-14", "04-17", "04-27", "04-28", "05-05", "05-25", "05-26", "06-05", "12-25",
           "12-26"],
    2029: ["01-01", "03-30", "04-02", "04-27", "05-05", "05-10", "05-11", "05-21", "12-25", "12-26"],
    2030: ["01-01", "04-19", "04-22", "04-27", "05-05", "05-30", "05-31", "06-10", "12-25", "12-26",
           "12-27"],
}


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_counted_holidays_per_year(year):
    assert [d.strftime("%m-%d") for d in deadlines.holidays_in(year)] == EXPECTED[year]


@pytest.mark.parametrize("day,name", [
    (date(2025, 4, 26), "Koningsdag"),  # 27 April 2025 is a Sunday
    (date(2025, 4, 27), None),
    (date(2025, 4, 18), "Goede Vrijdag"),
    (date(2027, 5, 5), "Bevrijdingsdag"),  # every year, not only every fifth
    (date(2026, 5, 5), "Bevrijdingsdag"),
    (date(2025, 4, 20), None),  # Easter Sunday is not in Atw art. 3
    (date(2026, 5, 15), "Vrijdag na Hemelvaartsdag (gelijkgesteld)"),
    (date(2028, 4, 28), "Vrijdag na Koningsdag (gelijkgesteld)"),
    (date(2024, 12, 27), "Vrijdag na Tweede Kerstdag (gelijkgesteld)"),
    (date(2030, 12, 27), "Vrijdag na Tweede Kerstdag (vrijdagregel; geen besluit bekend)"),
    (date(2029, 5, 11), "Vrijdag na Hemelvaartsdag (vrijdagregel; geen besluit bekend)"),
    # No decree equates a Monday, and wik counts no day that the decree leaves out.
    (date(2026, 5, 4), None),
    (date(2027, 4, 26), None),
    (date(2029, 12, 24), None),
    (date(2029, 12, 31), None),
    (date(2026, 12, 25), "Eerste Kerstdag"),
    (date(2026, 12, 24), None),
    (date(2026, 11, 24), None),
])
def test_holiday_name(day, name):
    assert holiday_name(day) == name


def test_equated_days_are_exactly_the_decrees():
    for decree in deadlines.DECREES:
        listed = {d for d, _ in decree.days}
        assert all(decree.covers(d.year) for d in listed)
        for year in range(decree.first_year, decree.last_year + 1):
            found = {d for d in deadlines.holidays_in(year) if deadlines.equated(d) is not None}
            assert found == {d for d in listed if d.year == year}
            assert all(deadlines.equated(d)[1] is decree for d in found)
        # Every day a decree lists is a Friday after a Thursday holiday.
        assert all(d.weekday() == 4 and deadlines.holiday_name(d - timedelta(days=1)) for d in listed)
    assert deadlines.decree_for(2026).source.endswith("Stcrt. 2025, 24713")
    assert deadlines.decree_for(2027).title.startswith("Besluit gelijkstelling van 2 januari 2026")
    assert deadlines.decree_for(2029) is None


def test_the_friday_rule_reproduces_the_decrees():
    # The rule wik applies where no decree is known gives exactly what each decree lists.
    for decree in deadlines.DECREES:
        for year in range(decree.first_year, decree.last_year + 1):
            assert set(deadlines._friday_rule(year)) == {d for d, _ in decree.days if d.year == year}


def test_friday_rule_years_are_named():
    assert deadlines.equated(date(2029, 5, 11)) == ("Vrijdag na Hemelvaartsdag", None)
    assert deadlines.equated(date(2026, 5, 15))[1] is deadlines.decree_for(2026)
    assert deadlines.equated(date(2026, 5, 14)) is None  # Ascension Day itself is a holiday, not equated


def test_due_date_is_extended_under_the_atw():
    assert deadlines.due_date(date(2026, 12, 11), 14) == date(2026, 12, 28)  # Fri 25, Sat 26, Sun 27
    assert deadlines.due_date(date(2026, 11, 24), 30) == date(2026, 12, 24)
    assert deadlines.due_date(date(2026, 11, 28), 0) == date(2026, 11, 30)


@pytest.mark.parametrize("days", [0, -1, 366, True])
def test_term_days_out_of_range(days):
    with pytest.raises(DeadlineError, match=f"term {days!r} days"):
        deadlines.term(date(2026, 11, 24), POST, days)


def test_unknown_channel():
    with pytest.raises(DeadlineError, match="'fax'.*post or email"):
        deadlines.term(date(2026, 11, 24), "fax")
    with pytest.raises(DeadlineError):
        deadlines.delivered(date(2026, 11, 24), "fax")


def _days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def _norm(sent: date) -> int:
    # Written out here rather than read from the module: the switch dates of domain.md.
    if sent < date(2026, 7, 1):
        return 2
    return 3 if sent < date(2027, 7, 1) else 4


def test_invariants_for_every_send_date_2025_2030():
    switches = {date(2026, 6, 30), date(2026, 7, 1), date(2027, 6, 30), date(2027, 7, 1)}
    seen = set()
    for sent in _days(date(2025, 1, 1), date(2030, 12, 31)):
        for via in deadlines.CHANNELS:
            t = deadlines.term(sent, via)
            if via == POST:
                seen.add(sent)
                assert t.delivery_days == _norm(sent), sent
                assert t.delivered.weekday() not in (0, 6), sent
                assert holiday_name(t.delivered) is None, sent
                assert t.delivered > sent
                # Delivered on exactly the Nth delivery day: Tuesday to Saturday, no holiday.
                between = list(_days(sent + timedelta(days=1), t.delivered))
                counted = [d for d in between if d.weekday() in (1, 2, 3, 4, 5) and holiday_name(d) is None]
                assert len(counted) == _norm(sent) and counted[-1] == t.delivered, sent
                # Skipped delivery days are exactly the non-delivery days in between.
                assert [s.day for s in t.skipped if s.day <= t.delivered] == [d for d in between
                                                                             if d not in counted]
            else:
                assert t.delivered == sent and t.delivery_days is None
            assert t.last_day.weekday() < 5, sent
            assert holiday_name(t.last_day) is None, sent
            assert t.costs_due_from > t.last_day
            assert t.costs_due_from == t.last_day + timedelta(days=1)
            assert t.term_starts == t.delivered + timedelta(days=1)
            assert t.last_day >= t.delivered + timedelta(days=14)
            assert t.extended_by_atw == (t.last_day != t.delivered + timedelta(days=14))
            assert [s.day for s in t.skipped] == sorted(s.day for s in t.skipped)
            # Delivery time and weekends: at most 21 days from posting to the last day in an
            # ordinary week (seed 002; 20 with N = 4); holiday clusters add a few more.
            assert (t.last_day - sent).days <= 26, sent
    assert switches <= seen


def test_a_later_norm_never_moves_a_date_earlier():
    # Across each switch the same weekday a week apart: the later posting gets at least the
    # same delay, so no letter posted after a switch names an earlier date than before.
    for before, after in ((date(2026, 6, 24), date(2026, 7, 1)), (date(2027, 6, 30), date(2027, 7, 7))):
        assert (deadlines.term(after).delivered - after) > (deadlines.term(before).delivered - before)


def test_the_dutch_calendar_is_the_packages_without_its_other_countries():
    import subprocess
    import sys

    import holidays

    # The class loaded on its own gives what the package's usual entry point gives.
    for year in range(2015, 2041):
        assert dict(deadlines._dutch_calendar()(years=year, language="nl")) == dict(
            holidays.country_holidays("NL", years=year, language="nl")), year
    # ... and a command that needs a holiday does not import the 250 countries.
    code = ("import sys; from wikcli.rules import deadlines; deadlines.holidays_in(2026); "
            "print(sum(m.startswith('holidays.countries.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
