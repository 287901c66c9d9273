from datetime import date, datetime, UTC

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from wikcli.documents.calendar import CalendarItem, build, uid

STAMP = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_events_parse_back_with_stable_uids():
    items = [
        CalendarItem("2026-017", "next-action", date(2026, 12, 11), "Send notice of default: 2026-017",
                     "Jan de Vries"),
        CalendarItem("2026-017", "wik/4/last-day", date(2026, 12, 10), "Last day WIK term: 2026-017"),
    ]
    cal = Calendar.from_ical(build(items, STAMP))
    events = cal.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == ["2026-017-wik-4-last-day@wik", "2026-017-next-action@wik"]
    assert [e["dtstart"].dt for e in events] == [date(2026, 12, 10), date(2026, 12, 11)]
    assert [e["dtend"].dt for e in events] == [date(2026, 12, 11), date(2026, 12, 12)]
    assert str(events[1]["summary"]) == "Send notice of default: 2026-017"
    assert str(events[1]["description"]) == "Jan de Vries"


def test_uid_does_not_depend_on_the_date():
    a = build([CalendarItem("X", "next-action", date(2026, 1, 5), "a")], STAMP)
    b = build([CalendarItem("X", "next-action", date(2026, 2, 9), "b")], STAMP)
    ua = Calendar.from_ical(a).walk("VEVENT")[0]["uid"]
    ub = Calendar.from_ical(b).walk("VEVENT")[0]["uid"]
    assert ua == ub == uid("X", "next-action") == "X-next-action@wik"


def test_numbers_that_differ_only_in_punctuation_get_their_own_events():
    items = [CalendarItem(n, "next-action", date(2026, 1, 5), n) for n in ("2026/017", "2026-017", "2026_017",
                                                                            "2026 017", "2026.017")]
    events = Calendar.from_ical(build(items, STAMP)).walk("VEVENT")
    uids = {str(e["summary"]): str(e["uid"]) for e in events}
    assert len(set(uids.values())) == 5
    assert uids["2026-017"] == "2026-017-next-action@wik"  # a plain number keeps its old UID
    assert uids["2026/017"] == "2026_017_" + uids["2026/017"].split("_")[-1]
    # Stable: the same number gives the same UID in every run.
    assert uids["2026/017"] == uid("2026/017", "next-action") == "2026_017_f65e0f0604-next-action@wik"


@given(a=st.text(min_size=1, max_size=30), b=st.text(min_size=1, max_size=30),
       what_a=st.sampled_from(["next-action", "wik/3/last-day", "reminder/12/last-day"]),
       what_b=st.sampled_from(["next-action", "wik/3/last-day", "reminder/12/last-day"]))
def test_distinct_items_never_share_a_uid(a, b, what_a, what_b):
    if (a, what_a) != (b, what_b):
        assert uid(a, what_a) != uid(b, what_b)
    assert uid(a, what_a) == uid(a, what_a)


def test_uid_refuses_a_kind_that_could_be_read_two_ways():
    with pytest.raises(ValueError):
        uid("A-next", "action")
