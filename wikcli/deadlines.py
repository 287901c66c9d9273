"""Delivery-aware deadlines: when a letter counts as received, when its term ends, and from
which day the collection costs are owed.

Rules and sources:

- Term (art. 6:96 lid 6 BW): the debtor gets ``days`` days counted from the day after the
  letter is received; costs are owed from the day after the (extended) last day.
- Postal delivery is a practitioners' convention (seed 002), not statute: a letter is
  delivered on the second day after posting, where Sundays, Mondays and counted holidays
  count neither as a day in between nor as the day of delivery. E-mail, where agreed, is
  received the day it is sent.
- Algemene termijnenwet (Atw) art. 1 lid 1: a term that ends on a Saturday, Sunday or
  generally recognised holiday runs until the next day that is none of these.
- Counted holidays, Atw art. 3: lid 1 New Year's Day, Easter Monday, Ascension Day, Whit
  Monday, Christmas Day, Boxing Day, King's Day and 5 May (every year); lid 2 Good Friday;
  lid 3 the days a decree equates. The decrees (one per three years, Staatscourant) in
  practice equate the Friday after Ascension Day, the Monday before New Year's Day, King's
  Day, Liberation Day or Christmas Day on a Tuesday, and the Friday after New Year's Day,
  King's Day, Liberation Day or Boxing Day on a Thursday. wik applies that rule every year
  and adds days a published decree equates beyond it (``DECREED``).

The statutory days come from the ``holidays`` package; 5 May every year and Good Friday are
added here, because the package gives Liberation Day only once in five years. Where a rule
is in doubt wik takes the later date (costs claimed a day early are void, a day late costs
nothing): counting one day too many as a holiday never moves a date earlier, so a rule day
that a published decree leaves out is still counted (``NOT_IN_DECREE`` names those).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from wikcli.errors import WikError

POST = "post"
EMAIL = "email"
CHANNELS = (POST, EMAIL)

WIK_DAYS = 14  # art. 6:96 lid 6 BW
REMINDER_DAYS = 14
NOTICE_DAYS = 8
MIN_DAYS = 1
MAX_DAYS = 365
# The Atw is in force from 1 April 1965; the upper bound keeps date arithmetic in range.
FIRST_DAY = date(1965, 4, 1)
LAST_DAY = date(9998, 12, 31)

EQUATED = " (gelijkgesteld)"

# Days a published decree equates that the rule above does not produce: {date: name}.
DECREED: dict[date, str] = {}

# Rule days that the published decree for their year does not list. wik still counts them
# (the later date); they are named so the user sees why. Decree of 2025 for 2026-2028:
# "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en
# 26 mei 2028 met een algemeen erkende feestdag".
NOT_IN_DECREE: frozenset[date] = frozenset({date(2026, 5, 4), date(2027, 4, 26)})

WEEKDAYS = ("Maandag", "Dinsdag", "Woensdag", "Donderdag", "Vrijdag", "Zaterdag", "Zondag")

# The package's Dutch names, lower-cased, to the names wik shows. Easter Sunday and Whit
# Sunday are not in Atw art. 3 (they are Sundays anyway) and are left out.
_NAMES = {
    "nieuwjaarsdag": "Nieuwjaarsdag",
    "goede vrijdag": "Goede Vrijdag",
    "tweede paasdag": "Tweede Paasdag",
    "koningsdag": "Koningsdag",
    "koninginnedag": "Koninginnedag",
    "bevrijdingsdag": "Bevrijdingsdag",
    "hemelvaartsdag": "Hemelvaartsdag",
    "tweede pinksterdag": "Tweede Pinksterdag",
    "eerste kerstdag": "Eerste Kerstdag",
    "tweede kerstdag": "Tweede Kerstdag",
}
_NOT_COUNTED = {"eerste paasdag", "eerste pinksterdag"}


class DeadlineError(WikError):
    """A term length or channel that wik cannot compute a deadline for."""


@dataclass(frozen=True)
class Skip:
    day: date
    why: str

    def to_json(self) -> dict:
        return {"date": self.day.isoformat(), "why": self.why}


@dataclass(frozen=True)
class Term:
    sent: date
    via: str
    delivered: date
    term_days: int
    term_starts: date
    last_day: date
    costs_due_from: date
    extended_by_atw: bool
    skipped: tuple[Skip, ...]

    def to_json(self) -> dict:
        return {
            "sent": self.sent.isoformat(),
            "via": self.via,
            "delivered": self.delivered.isoformat(),
            "term_days": self.term_days,
            "term_starts": self.term_starts.isoformat(),
            "last_day": self.last_day.isoformat(),
            "costs_due_from": self.costs_due_from.isoformat(),
            "extended_by_atw": self.extended_by_atw,
            "skipped": [s.to_json() for s in self.skipped],
        }


def _add(table: dict[date, list[str]], day: date, name: str) -> None:
    names = table.setdefault(day, [])
    if name not in names:
        names.append(name)


@lru_cache(maxsize=64)
def _statutory(year: int) -> dict[date, tuple[str, ...]]:
    """Atw art. 3 lid 1 and 2 for one year: the package's days plus 5 May and Good Friday."""
    import holidays
    from dateutil.easter import easter

    table: dict[date, list[str]] = {}
    for day, raw in holidays.country_holidays("NL", years=year, language="nl").items():
        for part in raw.split("; "):
            key = part.strip().lower()
            if key in _NOT_COUNTED:
                continue
            _add(table, day, _NAMES.get(key, part.strip()))
    _add(table, date(year, 5, 5), "Bevrijdingsdag")
    _add(table, easter(year) - timedelta(days=2), "Goede Vrijdag")
    return {d: tuple(n) for d, n in table.items()}


def _find(year: int, *names: str) -> date | None:
    for day, found in _statutory(year).items():
        if any(n in found for n in names):
            return day
    return None


def _equated_by_rule(year: int) -> dict[date, str]:
    """The bridge days the rule gives for the holidays of ``year`` (some fall in year - 1)."""
    from dateutil.easter import easter

    out: dict[date, str] = {}
    ascension = easter(year) + timedelta(days=39)
    out[ascension + timedelta(days=1)] = "Vrijdag na Hemelvaartsdag"
    kings = _find(year, "Koningsdag", "Koninginnedag")
    before = [(date(year, 1, 1), "Nieuwjaarsdag"), (date(year, 5, 5), "Bevrijdingsdag"),
              (date(year, 12, 25), "Eerste Kerstdag")]
    after = [(date(year, 1, 1), "Nieuwjaarsdag"), (date(year, 5, 5), "Bevrijdingsdag"),
             (date(year, 12, 26), "Tweede Kerstdag")]
    if kings is not None:
        before.append((kings, "Koningsdag"))
        after.append((kings, "Koningsdag"))
    for day, name in before:
        if day.weekday() == 1:
            out[day - timedelta(days=1)] = f"Maandag voor {name}"
    for day, name in after:
        if day.weekday() == 3:
            out[day + timedelta(days=1)] = f"Vrijdag na {name}"
    return out


@lru_cache(maxsize=64)
def _counted(year: int) -> dict[date, str]:
    table: dict[date, list[str]] = {d: list(n) for d, n in _statutory(year).items()}
    for y in (year, year + 1):  # the Monday before New Year's Day falls in the year before
        for day, name in _equated_by_rule(y).items():
            if day.year == year:
                if day in NOT_IN_DECREE:
                    _add(table, day, f"{name} (niet in het besluit; voor de zekerheid meegeteld)")
                else:
                    _add(table, day, name + EQUATED)
    for day, name in DECREED.items():
        if day.year == year:
            _add(table, day, name)
    return {d: " / ".join(n) for d, n in table.items()}


def holiday_name(day: date) -> str | None:
    """The Dutch name of a counted holiday (Atw art. 3), or None."""
    return _counted(day.year).get(day)


def holidays_in(year: int) -> dict[date, str]:
    """Every counted holiday of ``year``, in date order."""
    return dict(sorted(_counted(year).items()))


def _why(day: date) -> str:
    return holiday_name(day) or WEEKDAYS[day.weekday()]


def is_delivery_day(day: date) -> bool:
    """A day that counts for the postal convention: not Sunday, Monday or a holiday."""
    return day.weekday() not in (0, 6) and holiday_name(day) is None


def is_counted_day(day: date) -> bool:
    """A day on which a term may end (Atw art. 1): not Saturday, Sunday or a holiday."""
    return day.weekday() < 5 and holiday_name(day) is None


def _check_channel(via: str) -> None:
    if via not in CHANNELS:
        raise DeadlineError(f"channel {via!r} is not known: expected {' or '.join(CHANNELS)}")


def _check_days(days: int, lowest: int = MIN_DAYS) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or not lowest <= days <= MAX_DAYS:
        raise DeadlineError(f"term {days!r} days is out of range: expected {lowest} to {MAX_DAYS} days")


def _check_date(day: date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DeadlineError(
            f"date {day.isoformat()} is out of range: expected {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}")


def delivered(sent: date, via: str) -> tuple[date, tuple[Skip, ...]]:
    """The assumed day of receipt and the days that did not count towards it."""
    _check_channel(via)
    _check_date(sent)
    if via == EMAIL:
        return sent, ()
    day, counted, skipped = sent, 0, []
    while counted < 2:
        day += timedelta(days=1)
        if is_delivery_day(day):
            counted += 1
        else:
            skipped.append(Skip(day, _why(day)))
    return day, tuple(skipped)


def extend_atw(day: date) -> tuple[date, tuple[Skip, ...]]:
    """``day`` or, when it is a Saturday, Sunday or holiday, the next day that is none."""
    skipped = []
    while not is_counted_day(day):
        skipped.append(Skip(day, _why(day)))
        day += timedelta(days=1)
    return day, tuple(skipped)


def term(sent: date, via: str = POST, days: int = WIK_DAYS) -> Term:
    """The term a letter sent on ``sent`` gives: ``days`` days from the day after receipt."""
    _check_channel(via)
    _check_days(days)
    _check_date(sent)
    received, delivery_skips = delivered(sent, via)
    last, atw_skips = extend_atw(received + timedelta(days=days))
    return Term(
        sent=sent,
        via=via,
        delivered=received,
        term_days=days,
        term_starts=received + timedelta(days=1),
        last_day=last,
        costs_due_from=last + timedelta(days=1),
        extended_by_atw=bool(atw_skips),
        skipped=tuple(sorted(delivery_skips + atw_skips, key=lambda s: s.day)),
    )


def due_date(start: date, days: int) -> date:
    """``start`` plus ``days`` (0 = due at once), extended under the Atw: an invoice's due date."""
    _check_days(days, lowest=0)
    _check_date(start)
    return extend_atw(start + timedelta(days=days))[0]
