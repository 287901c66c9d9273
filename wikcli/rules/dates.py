"""Dates as people type them: ISO first, then the Dutch day-month-year and month names.

Accepted: ``2026-03-03`` (ISO, always tried first), ``3-3-2026`` and ``03-03-2026`` (day,
month, year, as the Dutch write them), ``3 maart 2026`` and ``3 March 2026`` (Dutch or
English month names, also abbreviated: ``3 mrt 2026``, ``3 Mar. 2026``). A year must have
four digits: ``3-3-26`` could be 1926 or 2026 and is refused. Slashes are refused as well:
``3/4/2026`` is 3 April to a Dutch reader and 4 March to an American one.

A day that does not exist is named as such (``2026-02-31``: February 2026 has 28 days)
rather than reported as a wrong format.

Given the day it counts from (the command's --today), a date may also be relative:
``vandaag``/``today``, ``gisteren``/``yesterday``, ``morgen``/``tomorrow``, ``+7``/``-3`` (days),
``+2w``, ``over 14 dagen``, ``over 8 jaar``/``in 14 days``, ``3 dagen geleden``/``3 days ago``: a help example
then works on whatever day its demo was made.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from wikcli.errors import DateError
from wikcli.i18n import N_, _

FORMS = "2026-03-03, 3-3-2026 or 3 maart 2026"

# The date type under a name a dataclass field called ``date`` cannot shadow: inside such a
# class body ``date`` is the field, so its date fields are typed ``Day``.
Day = date

_MONTHS = {}
for _n, _names in enumerate((
        ("januari", "january", "jan"), ("februari", "february", "feb"), ("maart", "march", "mrt", "mar"),
        ("april", "apr"), ("mei", "may"), ("juni", "june", "jun"), ("juli", "july", "jul"),
        ("augustus", "august", "aug"), ("september", "sep", "sept"), ("oktober", "october", "okt", "oct"),
        ("november", "nov"), ("december", "dec")), start=1):
    for _name in _names:
        _MONTHS[_name] = _n

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})-(\d{1,2})-(\d+)")
_NAMED = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d+)")
_WORDS = {"vandaag": 0, "today": 0, "gisteren": -1, "yesterday": -1, "eergisteren": -2,
          "morgen": 1, "tomorrow": 1, "overmorgen": 2}
_UNIT = r"\s*(d|dag|dagen|day|days|w|wk|week|weken|weeks|j|jaar|y|year|years)?"
_AHEAD = re.compile(r"(?:\+|in\s+|over\s+)(\d{1,4})" + _UNIT)
_BACK = re.compile(r"-(\d{1,4})" + _UNIT)
_AGO = re.compile(r"(\d{1,4})" + _UNIT + r"\s+(?:geleden|ago)")
_ENGLISH = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
            N_("August"), N_("September"), N_("October"), N_("November"), N_("December"))


def parse(text: str, what: str = N_("date"), today: date | None = None) -> date:
    """The date ``text`` names; a ``DateError`` naming ``what`` and the value otherwise.
    Relative forms (``morgen``, ``+14``, ``over 2 weken``) count from ``today`` when given."""
    s = " ".join(str(text).split())
    if today is not None:
        rel = relative(s.lower(), today)
        if rel is not None:
            return rel
    m = _ISO.fullmatch(s)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]), what, text)
    m = _DMY.fullmatch(s)
    if m:
        return _make(_year(m[3], what, text), int(m[2]), int(m[1]), what, text)
    m = _NAMED.fullmatch(s)
    if m:
        month = _MONTHS.get(m[2].lower())
        if month is None:
            raise DateError(_("{what} {text!r} is not a date: {value!r} is not a month (januari ... december, or " "January ... December)").format(what=_(what), text=text, value=m[2]))
        return _make(_year(m[3], what, text), month, int(m[1]), what, text)
    raise DateError(_("{what} {text!r} is not a date: expected {FORMS}").format(what=_(what), text=text, FORMS=FORMS))


def _year(digits: str, what: str, text: str) -> int:
    if len(digits) != 4:
        raise DateError(_("{what} {text!r} is not a date: write the year in four digits, as in {FORMS}").format(what=_(what), text=text, FORMS=FORMS))
    return int(digits)


def _make(year: int, month: int, day: int, what: str, text: str) -> date:
    if not 1 <= year:
        raise DateError(_("{what} {text!r} is not a date: there is no year 0").format(what=_(what), text=text))
    if not 1 <= month <= 12:
        raise DateError(_("{what} {text!r} is not a date: there is no month {month}").format(what=_(what), text=text, month=month))
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(_("{what} {text!r} is not a date: {value} {year} has {last} days").format(what=_(what), text=text, value=_(_ENGLISH[month - 1]), year=year, last=last))
    return date(year, month, day)


def relative(s: str, today: date) -> date | None:
    """``today`` moved by a relative form, or None when ``s`` is not one."""
    if s in _WORDS:
        return today + timedelta(days=_WORDS[s])
    for pattern, sign in ((_AHEAD, 1), (_BACK, -1), (_AGO, -1)):
        m = pattern.fullmatch(s)
        if m:
            n, unit = sign * int(m[1]), (m[2] or "d")[0]
            if unit in "jy":  # a year on: the same day, or 28 February for 29 February
                year = today.year + n
                return today.replace(year=year, day=min(today.day, calendar.monthrange(year, today.month)[1]))
            return today + timedelta(days=n * (7 if unit == "w" else 1))
    return None
