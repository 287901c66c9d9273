from datetime import date, datetime, timezone

from icalendar import Calendar

from wikcli.ics import CalendarItem, build, uid

STAMP = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


def test_events_parse_back_with_stable_uids():
    items = [
        CalendarItem("2026-017/next-action", date(2026, 12, 11), "Send notice of default: 2026-017", "Jan de Vries"),
        CalendarItem("2026-017/wik/last-day", date(2026, 12, 10), "Last day WIK term: 2026-017"),
    ]
    cal = Calendar.from_ical(build(items, STAMP))
    events = cal.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == ["2026-017-wik-last-day@wik", "2026-017-next-action@wik"]
    assert [e["dtstart"].dt for e in events] == [date(2026, 12, 10), date(2026, 12, 11)]
    assert [e["dtend"].dt for e in events] == [date(2026, 12, 11), date(2026, 12, 12)]
    assert str(events[1]["summary"]) == "Send notice of default: 2026-017"
    assert str(events[1]["description"]) == "Jan de Vries"


def test_uid_does_not_depend_on_the_date():
    a = build([CalendarItem("X/next-action", date(2026, 1, 5), "a")], STAMP)
    b = build([CalendarItem("X/next-action", date(2026, 2, 9), "b")], STAMP)
    ua = Calendar.from_ical(a).walk("VEVENT")[0]["uid"]
    ub = Calendar.from_ical(b).walk("VEVENT")[0]["uid"]
    assert ua == ub == uid("X/next-action")
