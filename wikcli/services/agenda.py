"""The calendar export (`wik calendar`) as a Python API: every open action's due date and
every running letter term's last day (``documents/agenda.py``) written as one iCalendar file
(``documents/calendar.py``), whose stable keys let a re-import update its events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from wikcli.documents import agenda
from wikcli.documents import calendar as ics
from wikcli.services.home import OpenHome
from wikcli.store.files import write_private


@dataclass(frozen=True)
class CalendarWritten:
    """Where the file went and how many events it holds."""
    path: Path
    events: int


def write(home: OpenHome, day: date, target: Path | None = None, *, stamp: datetime | None = None) -> CalendarWritten:
    """The calendar on ``day`` written owner-only to ``target`` (default ``<home>/wik.ics``),
    stamped ``stamp`` (default: now, to the second)."""
    items = agenda.items(home.ledger(), home.rulebook, day)
    data = ics.build(items, stamp or datetime.now(UTC).replace(microsecond=0))
    path = target or home.path / "wik.ics"
    write_private(path, data)
    return CalendarWritten(path, len(items))
