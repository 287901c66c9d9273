"""Delivery-aware deadlines: when a letter counts as received, when its term ends, and from
which day the collection costs are owed.

Rules and sources (domain.md section 3):

- Term (art. 6:96 lid 6 BW): the debtor gets ``days`` days counted from the day after the
  letter is received; costs are owed from the day after the (extended) last day.
- Postal delivery is a practitioners' convention (seed 002; HR 25-11-2016,
  ECLI:NL:HR:2016:2704 found it "niet onbegrijpelijk"), not statute: a letter is delivered
  on the Nth delivery day after posting. Delivery days are Tuesday to Saturday (PostNL
  delivers no letters on Sunday or Monday) except counted holidays. N is PostNL's delivery
  norm plus the one day of margin the convention always had: the norm was the next
  delivery day for letters posted until 2026-06-30 (N = 2), is 2 days from 2026-07-01
  (N = 3) and 3 days from 2027-07-01 (N = 4) (amended Postbesluit 2009; Rijksoverheid, 30
  June and 19 December 2025). No court has ruled on the new norms yet: this is wik's
  conservative reading, and ``delivery_days`` (``policy.postal_delivery_days``) sets
  another N. E-mail, where agreed, is received the day it is sent.
- Abroad: no Dutch norm covers a letter to an address outside the Netherlands. The EU's
  quality standard for cross-border mail (Postal Services Directive 97/67/EC, Annex II) is
  delivery within 3 working days for 85% and within 5 for 97% of items, and there is no
  standard at all outside the EU. ``ABROAD_DELIVERY_DAYS`` (10 delivery days, two weeks
  of Dutch delivery days) is twice the EU's 97% figure, leaves room for destinations
  outside the EU and for countries that count their delivery days differently, and only
  ever moves a date later; ``policy.postal_delivery_days_abroad`` changes it.
- Algemene termijnenwet (Atw) art. 1 lid 1: a term that ends on a Saturday, Sunday or
  generally recognised holiday runs until the next day that is none of these.
- Counted holidays, Atw art. 3: lid 1 New Year's Day, Easter Monday, Ascension Day, Whit
  Monday, Christmas Day, Boxing Day, King's Day and 5 May (every year); lid 2 Good Friday;
  lid 3 the days a decree equates with a holiday, one decree per three years
  (``DECREES``, each with its title and source). The decrees equate only the Friday after
  a holiday on a Thursday, never a Monday. For a year no decree in ``DECREES`` covers,
  wik applies that Friday rule and names it as such (``equated``).

The statutory days come from the ``holidays`` package; 5 May every year and Good Friday are
added here, because the package gives Liberation Day only once in five years. The same
holidays count for the delivery convention. Where a rule is in doubt wik takes the later
date: costs claimed a day early are void, a day late costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from collections.abc import Callable

from wikcli.errors import WikError
from wikcli.i18n import N_, _

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

# PostNL's delivery norm by posting date, newest last: (first posting day, N, the norm).
# N is the norm plus one day of margin (the convention the Hoge Raad accepted was the
# next-day norm plus one: the 2nd delivery day).
DELIVERY_NORMS: tuple[tuple[date, int, str], ...] = (
    (FIRST_DAY, 2, N_("PostNL delivers the next delivery day for letters posted until 2026-06-30")),
    (date(2026, 7, 1), 3, N_("PostNL delivers within 2 days from 2026-07-01")),
    (date(2027, 7, 1), 4, N_("PostNL delivers within 3 days from 2027-07-01")),
)
# An address outside the Netherlands: see the module docstring for the reasoning.
ABROAD_DELIVERY_DAYS = 10
# The range ``delivery_days`` and the policy keys accept.
MIN_DELIVERY_DAYS = 1
MAX_DELIVERY_DAYS = 30

EQUATED = " (gelijkgesteld)"
FRIDAY_RULE = " (vrijdagregel; geen besluit bekend)"


@dataclass(frozen=True)
class Decree:
    """A decree under Atw art. 3 lid 3: the days it equates with a holiday in its years."""

    first_year: int
    last_year: int
    title: str
    source: str
    days: tuple[tuple[date, str], ...]  # (day, the holiday it bridges to)

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


DECREES: tuple[Decree, ...] = (
    Decree(
        2023, 2025,
        "Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en "
        "30 mei 2025 met een algemeen erkende feestdag",
        "Algemene termijnenwet art. 3 lid 3; published in the Staatscourant under this title",
        ((date(2023, 4, 28), "Vrijdag na Koningsdag"),
         (date(2023, 5, 19), "Vrijdag na Hemelvaartsdag"),
         (date(2024, 5, 10), "Vrijdag na Hemelvaartsdag"),
         (date(2024, 12, 27), "Vrijdag na Tweede Kerstdag"),
         (date(2025, 5, 30), "Vrijdag na Hemelvaartsdag")),
    ),
    Decree(
        2026, 2028,
        "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en "
        "26 mei 2028 met een algemeen erkende feestdag",
        "Algemene termijnenwet art. 3 lid 3; Stcrt. 2025, 24713",
        ((date(2026, 1, 2), "Vrijdag na Nieuwjaarsdag"),
         (date(2026, 5, 15), "Vrijdag na Hemelvaartsdag"),
         (date(2027, 5, 7), "Vrijdag na Hemelvaartsdag"),
         (date(2028, 4, 28), "Vrijdag na Koningsdag"),
         (date(2028, 5, 26), "Vrijdag na Hemelvaartsdag")),
    ),
)

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
    # N: the letter counts as delivered on the Nth delivery day after posting (None: e-mail).
    delivery_days: int | None = None
    rule: str = ""  # the delivery norm applied, as a sentence for people

    def to_json(self) -> dict:
        # The shape other tools rely on: ``delivery_days`` and ``rule`` stay out of it.
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


@dataclass(frozen=True)
class Calendar:
    """Which holiday calendar the deadlines count with: the ``holidays`` package's version
    (the statutory days, Atw art. 3 lid 1) and wik's decrees (lid 3). Two calendars with the
    same identity yield the same days; the days themselves are looked up when a term needs them
    (``holiday_name``), so naming the calendar loads none of it."""

    package: str  # the holidays package's version, "none" when it is not installed
    decrees: tuple[Decree, ...] = DECREES

    def identity(self) -> str:
        days = ";".join(f"{d.title}:" + ",".join(f"{day}={name}" for day, name in d.days) for d in self.decrees)
        return f"holidays {self.package}|{days}"

    def days(self, year: int) -> dict[date, str]:
        """Every counted holiday of ``year``, in date order (``holidays_in``)."""
        return holidays_in(year)


@lru_cache(maxsize=1)
def calendar() -> Calendar:
    """The calendar installed with wik (read from the package's metadata, not imported)."""
    from importlib import metadata

    try:
        return Calendar(metadata.version("holidays"))
    except metadata.PackageNotFoundError:
        return Calendar("none")


def _add(table: dict[date, list[str]], day: date, name: str) -> None:
    names = table.setdefault(day, [])
    if name not in names:
        names.append(name)


@lru_cache(maxsize=1)
def _dutch_calendar():
    """The package's calendar class for the Netherlands.

    ``holidays.country_holidays("NL")`` first imports the package's countries module, which
    imports all of its 250 countries: 60 ms on every command that needs a holiday. The
    module of the Netherlands is loaded on its own instead, from the package's own file (its
    imports are the package's shared modules, not the other countries); should the package
    be laid out otherwise, the usual way. ``tests/test_deadlines.py`` checks that both give
    the same days."""
    import holidays

    try:
        import importlib.util
        from pathlib import Path

        path = Path(holidays.__file__).with_name("countries") / "netherlands.py"
        spec = importlib.util.spec_from_file_location("wikcli._holidays_netherlands", path)
        if spec is None or spec.loader is None:
            raise ImportError(path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.Netherlands
    except (ImportError, OSError, AttributeError):
        return lambda **kw: holidays.country_holidays("NL", **kw)


@lru_cache(maxsize=64)
def _statutory(year: int) -> dict[date, tuple[str, ...]]:
    """Atw art. 3 lid 1 and 2 for one year: the package's days plus 5 May and Good Friday."""
    from dateutil.easter import easter

    table: dict[date, list[str]] = {}
    for day, raw in _dutch_calendar()(years=year, language="nl").items():
        for part in raw.split("; "):
            key = part.strip().lower()
            if key in _NOT_COUNTED:
                continue
            _add(table, day, _NAMES.get(key, part.strip()))
    _add(table, date(year, 5, 5), "Bevrijdingsdag")
    _add(table, easter(year) - timedelta(days=2), "Goede Vrijdag")
    return {d: tuple(n) for d, n in table.items()}


def decree_for(year: int) -> Decree | None:
    """The decree in ``DECREES`` that equates days in ``year``, or None."""
    return next((d for d in DECREES if d.covers(year)), None)


def _friday_rule(year: int) -> dict[date, str]:
    """The Friday after every holiday of ``year`` on a Thursday that is no holiday itself:
    what every decree so far has equated, for a year no decree covers."""
    statutory = _statutory(year)
    out: dict[date, str] = {}
    for day, names in statutory.items():
        friday = day + timedelta(days=1)
        if day.weekday() == 3 and friday.year == year and friday not in statutory:
            out[friday] = f"Vrijdag na {names[0]}"
    return out


@lru_cache(maxsize=64)
def _equated(year: int) -> dict[date, tuple[str, Decree | None]]:
    """The equated days of ``year``: (name, the decree) or (name, None) by the Friday rule."""
    decree = decree_for(year)
    if decree is not None:
        return {d: (name, decree) for d, name in decree.days if d.year == year}
    return {d: (name, None) for d, name in _friday_rule(year).items()}


def equated(day: date) -> tuple[str, Decree | None] | None:
    """When ``day`` is equated with a holiday (Atw art. 3 lid 3): the holiday it bridges to
    and its decree, or None as the decree when wik applied the Friday rule; else None."""
    return _equated(day.year).get(day)


@lru_cache(maxsize=64)
def _counted(year: int) -> dict[date, str]:
    table: dict[date, list[str]] = {d: list(n) for d, n in _statutory(year).items()}
    for day, (name, decree) in _equated(year).items():
        _add(table, day, name + (EQUATED if decree is not None else FRIDAY_RULE))
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
        raise DeadlineError(_("channel {via!r} is not known: expected {channels}").format(
                               via=via, channels=' or '.join(CHANNELS)))


def _check_days(days: int, lowest: int = MIN_DAYS) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or not lowest <= days <= MAX_DAYS:
        raise DeadlineError(_("term {days!r} days is out of range: expected {lowest} to {max_days} days").format(
                               days=days, lowest=lowest, max_days=MAX_DAYS))


def _check_date(day: date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DeadlineError(
            _("date {day} is out of range: expected {first_day} to {last_day}").format(
               day=day.isoformat(), first_day=FIRST_DAY.isoformat(), last_day=LAST_DAY.isoformat()))


def delivery_days_for(sent: date) -> int:
    """N for a letter posted on ``sent``: it counts as delivered on the Nth delivery day."""
    return next(n for first, n, _ in reversed(DELIVERY_NORMS) if sent >= first)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def delivery_rule(sent: date, delivery_days: int | None = None, set_by: str = "", *,
                  speak: Callable[[str], str] | None = None, nth: Callable[[int], str] = ordinal) -> str:
    """The sentence naming the delivery norm a letter posted on ``sent`` is counted by.

    ``set_by`` says where a ``delivery_days`` other than the norm comes from (an option, a
    policy key, an address abroad); it is named even when it equals the norm. In English (a
    term's JSON keeps it) unless ``speak`` (``i18n._``) and ``nth`` say it in the run's language."""
    say = speak or (lambda text: text)
    norm_n, norm = next((n, text) for first, n, text in reversed(DELIVERY_NORMS) if sent >= first)
    if delivery_days is None or (delivery_days == norm_n and not set_by):
        return say(N_("{nth} delivery day: {norm}, plus one day of margin")).format(
            nth=nth(norm_n), norm=say(norm))
    return say(N_("{nth} delivery day, {set_by}; the norm gives the {norm_nth}: {norm}, plus one day of "
                  "margin")).format(nth=nth(delivery_days), set_by=set_by or say(N_("as set")),
                                    norm_nth=nth(norm_n), norm=say(norm))


def _check_delivery_days(n: int | None) -> None:
    if n is None:
        return
    if isinstance(n, bool) or not isinstance(n, int) or not MIN_DELIVERY_DAYS <= n <= MAX_DELIVERY_DAYS:
        raise DeadlineError(_("delivery days {number!r} is out of range: expected {min_delivery_days} to "
                               "{max_delivery_days} delivery days").format(
                               number=n, min_delivery_days=MIN_DELIVERY_DAYS, max_delivery_days=MAX_DELIVERY_DAYS))


def delivered(sent: date, via: str, delivery_days: int | None = None) -> tuple[date, tuple[Skip, ...]]:
    """The assumed day of receipt and the days that did not count towards it: the Nth
    delivery day after posting (N by posting date unless ``delivery_days`` sets it)."""
    _check_channel(via)
    _check_date(sent)
    if via == EMAIL:
        return sent, ()
    _check_delivery_days(delivery_days)
    wanted = delivery_days_for(sent) if delivery_days is None else delivery_days
    day, counted, skipped = sent, 0, []
    while counted < wanted:
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


def term(sent: date, via: str = POST, days: int = WIK_DAYS, *,
         delivery_days: int | None = None) -> Term:
    """The term a letter sent on ``sent`` gives: ``days`` days from the day after receipt.

    By post the letter counts as received on the Nth delivery day after posting: N by
    posting date (``delivery_days_for``) or ``delivery_days`` when given (the policy's own
    margin, or the assumption for an address abroad). E-mail ignores ``delivery_days``.
    """
    _check_channel(via)
    _check_days(days)
    _check_date(sent)
    received, delivery_skips = delivered(sent, via, delivery_days)
    if via == POST:
        n = delivery_days_for(sent) if delivery_days is None else delivery_days
        rule = delivery_rule(sent, delivery_days)
    else:
        n, rule = None, "e-mail is received the day it is sent"
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
        delivery_days=n,
        rule=rule,
    )


def due_date(start: date, days: int) -> date:
    """``start`` plus ``days`` (0 = due at once), extended under the Atw: an invoice's due date."""
    _check_days(days, lowest=0)
    _check_date(start)
    return extend_atw(start + timedelta(days=days))[0]
