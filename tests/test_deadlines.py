"""Deadlines: the reference vectors, the counted holidays 2025-2030 and the invariants over
every send date of 2025-2030."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conftest import load_vectors
from wikcli import deadlines as dl
from wikcli.deadlines import EMAIL, POST, DeadlineError, Skip, holiday_name

CASES = load_vectors("deadlines.json")


def _iso(s: str) -> date:
    return date.fromisoformat(s)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['sent']}-{c['via']}" for c in CASES])
def test_vector(case):
    t = dl.term(_iso(case["sent"]), case["via"])
    assert t.delivered == _iso(case["delivered"])
    assert t.last_day == _iso(case["last_day"])
    assert t.costs_due_from == _iso(case["costs_due_from"])
    assert t.extended_by_atw is case["extended_by_atw"]
    assert t.term_starts == t.delivered + timedelta(days=1)


def test_christmas_skips_in_date_order():
    t = dl.term(date(2026, 12, 24), POST)
    assert t.skipped == (
        Skip(date(2026, 12, 25), "Eerste Kerstdag"),
        Skip(date(2026, 12, 26), "Tweede Kerstdag"),
        Skip(date(2026, 12, 27), "Zondag"),
        Skip(date(2026, 12, 28), "Maandag"),
    )


def test_new_year_skips_delivery_and_atw_days():
    t = dl.term(date(2025, 12, 30), POST)
    assert [(s.day.isoformat(), s.why) for s in t.skipped] == [
        ("2026-01-01", "Nieuwjaarsdag"),
        ("2026-01-02", "Vrijdag na Nieuwjaarsdag (gelijkgesteld)"),
        ("2026-01-17", "Zaterdag"),
        ("2026-01-18", "Zondag"),
    ]


def test_good_friday_and_liberation_day_skips():
    t = dl.term(date(2025, 4, 16), POST)
    assert [(s.day.isoformat(), s.why) for s in t.skipped] == [
        ("2025-04-18", "Goede Vrijdag"),
        ("2025-05-03", "Zaterdag"),
        ("2025-05-04", "Zondag"),
        ("2025-05-05", "Bevrijdingsdag"),
    ]


def test_email_skips_nothing_for_delivery():
    t = dl.term(date(2026, 12, 24), EMAIL)
    assert t.delivered == date(2026, 12, 24) and t.skipped == ()


def test_to_json_shape():
    assert dl.term(date(2026, 11, 26), POST).to_json() == {
        "sent": "2026-11-26", "via": "post", "delivered": "2026-11-28", "term_days": 14,
        "term_starts": "2026-11-29", "last_day": "2026-12-14", "costs_due_from": "2026-12-15",
        "extended_by_atw": True,
        "skipped": [{"date": "2026-12-12", "why": "Zaterdag"}, {"date": "2026-12-13", "why": "Zondag"}],
    }


def test_notice_of_default_term_of_eight_days():
    t = dl.term(date(2026, 11, 24), POST, dl.NOTICE_DAYS)
    assert (t.last_day, t.costs_due_from) == (date(2026, 12, 4), date(2026, 12, 5))


# Every counted holiday of 2025-2030: Atw art. 3 lid 1, Good Friday (lid 2) and the bridge
# days of the equating rule (lid 3).
EXPECTED = {
    2025: ["01-01", "04-18", "04-21", "04-26", "05-05", "05-29", "05-30", "06-09", "12-25", "12-26"],
    2026: ["01-01", "01-02", "04-03", "04-06", "04-27", "05-04", "05-05", "05-14", "05-15", "05-25",
           "12-25", "12-26"],
    2027: ["01-01", "03-26", "03-29", "04-26", "04-27", "05-05", "05-06", "05-07", "05-17", "12-25",
           "12-26"],
    2028: ["01-01", "04-14", "04-17", "04-27", "04-28", "05-05", "05-25", "05-26", "06-05", "12-25",
           "12-26"],
    2029: ["01-01", "03-30", "04-02", "04-27", "05-05", "05-10", "05-11", "05-21", "12-24", "12-25",
           "12-26", "12-31"],
    2030: ["01-01", "04-19", "04-22", "04-27", "05-05", "05-30", "05-31", "06-10", "12-25", "12-26",
           "12-27"],
}


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_counted_holidays_per_year(year):
    assert [d.strftime("%m-%d") for d in dl.holidays_in(year)] == EXPECTED[year]


@pytest.mark.parametrize("day,name", [
    (date(2025, 4, 26), "Koningsdag"),  # 27 April 2025 is a Sunday
    (date(2025, 4, 27), None),
    (date(2025, 4, 18), "Goede Vrijdag"),
    (date(2027, 5, 5), "Bevrijdingsdag"),  # every year, not only every fifth
    (date(2026, 5, 5), "Bevrijdingsdag"),
    (date(2025, 4, 20), None),  # Easter Sunday is not in Atw art. 3
    (date(2026, 5, 15), "Vrijdag na Hemelvaartsdag (gelijkgesteld)"),
    (date(2028, 4, 28), "Vrijdag na Koningsdag (gelijkgesteld)"),
    (date(2030, 12, 27), "Vrijdag na Tweede Kerstdag (gelijkgesteld)"),
    (date(2029, 12, 24), "Maandag voor Eerste Kerstdag (gelijkgesteld)"),
    (date(2029, 12, 31), "Maandag voor Nieuwjaarsdag (gelijkgesteld)"),
    (date(2026, 12, 25), "Eerste Kerstdag"),
    (date(2026, 12, 24), None),
    (date(2026, 11, 24), None),
])
def test_holiday_name(day, name):
    assert holiday_name(day) == name


def test_rule_days_left_out_of_the_decree_are_still_counted():
    # The decree for 2026-2028 lists no Monday before a Tuesday holiday; wik keeps the later date.
    assert holiday_name(date(2026, 5, 4)).startswith("Maandag voor Bevrijdingsdag")
    assert holiday_name(date(2027, 4, 26)).startswith("Maandag voor Koningsdag")


def test_due_date_is_extended_under_the_atw():
    assert dl.due_date(date(2026, 12, 11), 14) == date(2026, 12, 28)  # Fri 25, Sat 26, Sun 27
    assert dl.due_date(date(2026, 11, 24), 30) == date(2026, 12, 24)
    assert dl.due_date(date(2026, 11, 28), 0) == date(2026, 11, 30)


@pytest.mark.parametrize("days", [0, -1, 366, True])
def test_term_days_out_of_range(days):
    with pytest.raises(DeadlineError, match=f"term {days!r} days"):
        dl.term(date(2026, 11, 24), POST, days)


def test_unknown_channel():
    with pytest.raises(DeadlineError, match="'fax'.*post or email"):
        dl.term(date(2026, 11, 24), "fax")
    with pytest.raises(DeadlineError):
        dl.delivered(date(2026, 11, 24), "fax")


def _days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def test_invariants_for_every_send_date_2025_2030():
    for sent in _days(date(2025, 1, 1), date(2030, 12, 31)):
        for via in dl.CHANNELS:
            t = dl.term(sent, via)
            if via == POST:
                assert t.delivered.weekday() not in (0, 6), sent
                assert holiday_name(t.delivered) is None, sent
                assert t.delivered > sent
                # Skipped delivery days are exactly the non-delivery days in between.
                between = [d for d in _days(sent + timedelta(days=1), t.delivered)
                           if not dl.is_delivery_day(d)]
                assert [s.day for s in t.skipped if s.day <= t.delivered] == between
            else:
                assert t.delivered == sent
            assert t.last_day.weekday() < 5, sent
            assert holiday_name(t.last_day) is None, sent
            assert t.costs_due_from > t.last_day
            assert t.costs_due_from == t.last_day + timedelta(days=1)
            assert t.term_starts == t.delivered + timedelta(days=1)
            assert t.last_day >= t.delivered + timedelta(days=14)
            assert t.extended_by_atw == (t.last_day != t.delivered + timedelta(days=14))
            assert [s.day for s in t.skipped] == sorted(s.day for s in t.skipped)
            # Delivery time and weekends: at most 21 days from posting to the last day in
            # an ordinary week (seed 002); holiday clusters add at most a few more.
            assert (t.last_day - sent).days <= 25, sent
