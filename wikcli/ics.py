"""Due dates as iCalendar (RFC 5545) all-day events, built with the icalendar package.

Each event's UID is derived from what it is about (invoice, kind), not from its date, so
importing a newer file moves the event instead of adding a second one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

PRODID = "-//wik//collection deadlines//NL"


@dataclass(frozen=True)
class CalendarItem:
    key: str  # stable identity, e.g. "2026-017/next-action" or "2026-017/wik/last-day"
    day: date
    summary: str
    description: str = ""


def uid(key: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", key).strip("-")
    return f"{safe}@wik"


def build(items: Sequence[CalendarItem], stamp: datetime) -> bytes:
    """One VCALENDAR with an all-day VEVENT per item; ``stamp`` (UTC) is the DTSTAMP."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "wik")
    seen: set[str] = set()
    for item in sorted(items, key=lambda i: (i.day, i.key)):
        u = uid(item.key)
        if u in seen:  # one event per identity: the caller's last word would be ambiguous
            raise ValueError(f"duplicate calendar key {item.key!r}")
        seen.add(u)
        ev = Event()
        ev.add("uid", u)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", item.day)
        ev.add("dtend", item.day + timedelta(days=1))
        ev.add("summary", item.summary)
        if item.description:
            ev.add("description", item.description)
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical()
