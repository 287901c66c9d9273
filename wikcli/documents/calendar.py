"""Due dates as iCalendar (RFC 5545) all-day events, built with the icalendar package.

Each event's UID is derived from what it is about (invoice, kind), not from its date, so
importing a newer file moves the event instead of adding a second one. The invoice number
goes in through ``names.stem``, so two different numbers (``2026/017`` and ``2026-017``)
never share a UID.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

PRODID = "-//wik//collection deadlines//NL"


@dataclass(frozen=True)
class CalendarItem:
    invoice: str  # the invoice number, exactly as in the ledger
    what: str  # which date of it, from wik's own words: "next-action", "wik/12/last-day"
    day: date
    summary: str
    description: str = ""

    @property
    def uid(self) -> str:
        return uid(self.invoice, self.what)


# What an item can be: read from the right, a UID has exactly one split into stem and this.
_WHAT = re.compile(r"next-action|[a-z]+/[0-9]+/last-day")


def uid(invoice: str, what: str) -> str:
    """``<stem of the number>-<what>@wik``, e.g. ``2026-017-wik-12-last-day@wik``.

    The stem is distinct for distinct numbers, and ``what`` is one of two shapes that end in
    fixed words, so a UID reads back to exactly one (invoice, what): distinct items never
    share a UID, and the same item always has the same one.
    """
    from wikcli.documents.names import stem

    if not _WHAT.fullmatch(what):
        raise ValueError(f"calendar item {what!r} is not next-action or KIND/SEQ/last-day")
    return f"{stem(invoice)}-{what.replace('/', '-')}@wik"


def build(items: Sequence[CalendarItem], stamp: datetime) -> bytes:
    """One VCALENDAR with an all-day VEVENT per item; ``stamp`` (UTC) is the DTSTAMP."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "wik")
    seen: set[str] = set()
    for item in sorted(items, key=lambda i: (i.day, i.uid)):
        u = item.uid
        if u in seen:  # one event per identity: the caller's last word would be ambiguous
            raise ValueError(f"duplicate calendar item {item.invoice!r} {item.what!r}")
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
