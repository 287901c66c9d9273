"""Statutory interest: wettelijke rente (art. 6:119 BW) and handelsrente (art. 6:119a BW).

Interest runs for every day of default, ``start`` and ``end`` both counted. The range is cut
into periods at every rate change and at every anniversary of ``start``; at an anniversary
the interest of the year just ended is added to the base (art. 6:119 lid 2, 6:119a lid 3
BW). Per period: base x rate x days / 365, every year counted as 365 days (the convention of
the Dutch calculators), rounded half up to the cent; the interest is the sum of the periods,
so a reader can add up the breakdown.

The rates live in ``rates.toml`` (data, not code): a newly published rate is one more row.
A user keeps their own rows in ``<home>/rates.toml``, in the same format, so that a rate
published after their copy of wik still counts and an upgrade never overwrites it: those
rows are merged over the packaged table, a user row for the same day and kind replacing
the packaged one. The table in force is a value, ``RateTable``: ``packaged()`` alone, or
``with_own(text, name)`` with a user's file merged over it (``parse_rates`` and ``merge`` are
pure; ``store/config.py:rate_table`` reads the home's file). Every computation takes the
table it counts with; without one, the packaged table.

wik warns for a row marked ``confirmed = false`` and for days after the half-year of the
newest row (``known_until``), never for confirmed history.
"""

from __future__ import annotations

import hashlib
import tomllib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from importlib import resources

from wikcli.errors import WikError
from wikcli.rules.money import ZERO, cents, to_str
from wikcli.i18n import _

CONSUMER = "consumer"
COMMERCIAL = "commercial"
KINDS = (CONSUMER, COMMERCIAL)
EARLIEST = date(2015, 1, 1)
DAYS_IN_YEAR = Decimal(365)
RATES_NAME = "rates.toml"
PACKAGED = "packaged"  # Rate.origin: wik's own table
USER = "user"  # Rate.origin: the user's <home>/rates.toml
ROW_KEYS = ("from", "rate", "source", "confirmed")
# No statutory rate since 2015 came near this; a higher one is a typo ("0.4" for 4%).
MAX_RATE = Decimal("0.25")
NAMES = {CONSUMER: "wettelijke rente", COMMERCIAL: "wettelijke handelsrente"}


class InterestError(WikError):
    """Interest asked for a range, amount or kind that cannot be computed."""


def rate_str(rate: Decimal) -> str:
    """A rate as a decimal fraction with at least two decimals: 0.07, 0.105, 0.1225."""
    text = f"{rate.normalize():f}"
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def rate_pct(rate: Decimal) -> str:
    """A rate as a Dutch percentage: 7%, 12,25%."""
    return f"{(rate * 100).normalize():f}".replace(".", ",") + "%"


@dataclass(frozen=True)
class Rate:
    start: date
    rate: Decimal
    source: str
    confirmed: bool
    origin: str = PACKAGED  # PACKAGED or USER: the file the row came from
    replaces: Rate | None = None  # the packaged row a user row for the same day replaces

    def to_json(self) -> dict:
        return {"from": self.start.isoformat(), "rate": rate_str(self.rate),
                "source": self.source, "confirmed": self.confirmed, "file": self.origin,
                "replaces": None if self.replaces is None else {
                    "rate": rate_str(self.replaces.rate), "source": self.replaces.source,
                    "confirmed": self.replaces.confirmed}}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    days: int
    rate: Decimal
    base: Decimal
    interest: Decimal  # rounded to the cent

    def to_json(self) -> dict:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "days": self.days,
            "rate": rate_str(self.rate),
            "base": to_str(self.base),
            "interest": to_str(self.interest),
        }


@dataclass(frozen=True)
class Interest:
    principal: Decimal
    kind: str
    start: date
    end: date
    periods: tuple[Period, ...]
    interest: Decimal
    total: Decimal  # principal still owed at the end (after reductions) plus interest
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict:
        # Warnings stay out of the document: the CLI prints them on stderr.
        return {
            "principal": to_str(self.principal),
            "kind": self.kind,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "interest": to_str(self.interest),
            "total": to_str(self.total),
            "periods": [p.to_json() for p in self.periods],
        }


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InterestError(_("interest kind {kind!r} is unknown: expected consumer or commercial").format(
                               kind=kind))


@dataclass(frozen=True, eq=False)
class RateTable:
    """The rates in force: per kind, every row from 2015-01-01, oldest first; ``own`` names the
    user's file whose rows are merged in (or would be: it may not exist), None: none asked.

    Compared by identity (one table per command); ``digest`` is its content, for a cache key.
    The binary-search index is made once per table and kind."""

    consumer: tuple[Rate, ...]
    commercial: tuple[Rate, ...]
    own: str | None = None

    def rows(self, kind: str) -> tuple[Rate, ...]:
        _check_kind(kind)
        return self.consumer if kind == CONSUMER else self.commercial

    def known_until(self, kind: str) -> date:
        """The last day the table covers: the end of the half-year of its newest row."""
        last = self.rows(kind)[-1].start
        return date(last.year, 6, 30) if last.month < 7 else date(last.year, 12, 31)

    def where(self) -> str:
        """Where a user adds rows, as warnings name it."""
        return self.own if self.own is not None else f"<home>/{RATES_NAME}"

    def digest(self) -> bytes:
        """The rows (both kinds: day, rate, confirmed, origin, replaced rate) and the user's
        file name, hashed: equal for tables that compute and warn alike."""
        h = hashlib.sha256()
        for kind in KINDS:
            for r in self.rows(kind):
                old = "-" if r.replaces is None else f"{r.replaces.rate}/{r.replaces.confirmed}"
                h.update(f"{kind} {r.start} {r.rate} {r.confirmed} {r.origin} {old}\0".encode())
        h.update(f"{self.own}".encode())
        return h.digest()

    def index(self, kind: str) -> tuple[tuple[date, ...], tuple[Decimal, ...], tuple[date, ...]]:
        """The rows' first days and rates (for a binary search) and the days the rate changes
        (a row that repeats the previous rate marks a half-year, not a change)."""
        found = self.__dict__.get("_index_" + kind)
        if found is None:
            table = self.rows(kind)
            changes = tuple(sorted({r.start for prev, r in zip(table, table[1:]) if r.rate != prev.rate}))
            found = tuple(r.start for r in table), tuple(r.rate for r in table), changes
            object.__setattr__(self, "_index_" + kind, found)
        return found


def packaged_file() -> str:
    return str(resources.files("wikcli.rules").joinpath(RATES_NAME))


@cache
def packaged() -> RateTable:
    """wik's own table, read once per process."""
    text = resources.files("wikcli.rules").joinpath(RATES_NAME).read_text(encoding="utf-8")
    table = parse_rates(text, RATES_NAME, origin=PACKAGED)
    return RateTable(table[CONSUMER], table[COMMERCIAL])


def with_own(text: str | None, name: str) -> RateTable:
    """The packaged table with the user's rows (``text``, the file ``name``; None: it does not
    exist) merged over it."""
    base = packaged()
    if text is None:
        return RateTable(base.consumer, base.commercial, name)
    own = parse_rates(text, name, origin=USER)
    merged = merge({CONSUMER: base.consumer, COMMERCIAL: base.commercial}, own)
    return RateTable(merged[CONSUMER], merged[COMMERCIAL], name)


def parse_rates(text: str, name: str, *, origin: str = PACKAGED) -> dict[str, tuple[Rate, ...]]:
    """The rows of a rates file, checked; errors name the file (``name``), the row and the
    key. The packaged table must hold both kinds from 2015-01-01; a user's file any rows."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InterestError(_("{name} is not valid TOML: {error}").format(name=name, error=e)) from None
    for key in data:
        if key not in KINDS:
            raise InterestError(_("{name}: unknown table {key!r}: expected [[consumer]] or [[commercial]] rows").format(
                                   name=name, key=key))
    if origin == PACKAGED:
        return {kind: _parse_rows(kind, data.get(kind), name, origin) for kind in KINDS}
    return {kind: _parse_rows(kind, data[kind], name, origin) for kind in KINDS if kind in data}


def _parse_rows(kind: str, rows: object, name: str = RATES_NAME, origin: str = PACKAGED) -> tuple[Rate, ...]:
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise InterestError(_("{name} has no [[{kind}]] rows: expected one [[{kind}]] table per published rate").format(
                               name=name, kind=kind))
    out: list[Rate] = []
    for n, row in enumerate(rows, 1):
        where = f"{name} [[{kind}]] row {n}"
        for key in row:
            if key not in ROW_KEYS:
                raise InterestError(_("{where}: unknown key {key!r}: expected {keys}").format(
                                       where=where, key=key, keys=', '.join(ROW_KEYS)))
        for key in ROW_KEYS:
            if key not in row:
                raise InterestError(_("{where}: {key} is missing: expected {keys}").format(
                                       where=where, key=key, keys=', '.join(ROW_KEYS)))
        start, raw, source, confirmed = (row[k] for k in ROW_KEYS)
        if not isinstance(start, date) or isinstance(start, datetime):
            raise InterestError(_("{where}: from {start!r} is not a date: expected a date without quotes, e.g. from = "
                                   "2027-01-01").format(where=where, start=start))
        if (start.month, start.day) not in ((1, 1), (7, 1)):
            raise InterestError(_("{where}: from {start} is not 1 January or 1 July: the statutory rates change on those "
                                   "days only").format(where=where, start=start))
        if start < EARLIEST:
            raise InterestError(_("{where}: from {start} is before {earliest}: wik knows the rates from {earliest} on").format(
                                   where=where, start=start, earliest=EARLIEST))
        try:
            rate = Decimal(raw) if isinstance(raw, str) else None
        except InvalidOperation:
            rate = None
        if rate is None or not rate.is_finite() or not (0 <= rate < MAX_RATE):
            raise InterestError(_("{where}: rate {raw!r} is not a fraction: expected a string such as \"0.0815\" for 8,15%, "
                                   "below {max_rate}").format(where=where, raw=raw, max_rate=MAX_RATE))
        if not isinstance(source, str) or not source.strip():
            raise InterestError(_("{where}: source is missing: expected where the rate was published").format(
                                   where=where))
        if not isinstance(confirmed, bool):
            raise InterestError(_("{where}: confirmed {confirmed!r} is not true or false").format(
                                   where=where, confirmed=confirmed))
        if out and start <= out[-1].start:
            raise InterestError(_("{where}: from {start} is not after {previous}: keep rows in date order").format(
                                   where=where, start=start, previous=out[-1].start))
        out.append(Rate(start, rate, source.strip(), confirmed, origin))
    if origin == PACKAGED and out[0].start > EARLIEST:
        raise InterestError(_("{name} [[{kind}]] starts at {start}: expected a row from {earliest}").format(
                               name=name, kind=kind, start=out[0].start, earliest=EARLIEST))
    return tuple(out)


def merge(packaged: dict[str, tuple[Rate, ...]], own: dict[str, tuple[Rate, ...]]) -> dict[str, tuple[Rate, ...]]:
    """The packaged rows with the user's merged over them: a user row for the same day and
    kind replaces the packaged one (and remembers it), any other is added in date order."""
    out = {}
    for kind, rows in packaged.items():
        by_day = {r.start: r for r in rows}
        for r in own.get(kind, ()):
            old = by_day.get(r.start)
            by_day[r.start] = r if old is None else Rate(r.start, r.rate, r.source, r.confirmed, r.origin, old)
        out[kind] = tuple(by_day[d] for d in sorted(by_day))
    return out


def rates(kind: str, table: RateTable | None = None) -> tuple[Rate, ...]:
    """Every published rate of ``kind`` from 2015-01-01, oldest first."""
    return (table or packaged()).rows(kind)


def known_until(kind: str, table: RateTable | None = None) -> date:
    """The last day the table covers: the end of the half-year of its newest row."""
    return (table or packaged()).known_until(kind)


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February: the year of default ends on 28 February
        return date(start.year + years, 3, 1)


def _check(principal: Decimal, start: date, end: date, kind: str,
           reductions: Sequence[tuple[date, Decimal]]) -> None:
    _check_kind(kind)
    if principal <= 0:
        raise InterestError(_("principal {principal} is not positive: expected an amount above 0,00").format(
                               principal=principal))
    if start < EARLIEST:
        raise InterestError(_("first day of default {start} is before {earliest}: wik knows the rates from {earliest} "
                               "on (older claims are time-barred in practice)").format(
                               start=start, earliest=EARLIEST))
    if start > end:
        raise InterestError(_("first day of default {start} is after the last day {end}: expected the first day on or "
                               "before the last").format(start=start, end=end))
    for day, amount in reductions:
        if amount < 0:
            raise InterestError(_("reduction {amount} on {day} is negative: expected 0,00 or more").format(
                                   amount=amount, day=day))


@dataclass(frozen=True)
class Basis:
    """Interest agreed instead of the statutory rate (between businesses, ``agreed``): a fixed
    ``rate`` per year, or the statutory rate of the kind plus ``surcharge``; added to the base
    at the end of every ``compounding`` period (``year``, ``month``, or ``none``: simple)."""

    rate: Decimal | None = None
    surcharge: Decimal = ZERO
    compounding: str = "year"


def _month_later(start: date, months: int) -> date:
    m = start.month - 1 + months
    y, m = start.year + m // 12, m % 12 + 1
    import calendar

    return date(y, m, min(start.day, calendar.monthrange(y, m)[1]))


def _capitalisations(start: date, end: date, basis: Basis | None) -> set[date]:
    """The days the interest earned so far is added to the base: each anniversary of the first
    day of default (the statutory rule), each month for interest compounded monthly, none for
    simple interest."""
    every = "year" if basis is None else basis.compounding
    out: set[date] = set()
    if every == "none":
        return out
    n = 1
    while (a := (_anniversary(start, n) if every == "year" else _month_later(start, n))) <= end:
        out.add(a)
        n += 1
    return out


def _periods(principal: Decimal, start: date, end: date, kind: str,
             reductions: Sequence[tuple[date, Decimal]],
             waived: Sequence[tuple[date, date]] = (), basis: Basis | None = None,
             table: RateTable | None = None) -> tuple[list[tuple], Decimal]:
    """The periods as (first, last, days, rate, base, interest) and the principal left at the end.

    ``waived``: (first, last) day ranges in which the creditor gave up the interest (a payment
    plan agreed so): periods inside them bear rate 0; anniversaries still capitalise what the
    year before them earned. ``basis``: agreed interest instead of the statutory rate."""
    starts, rates_, changes = (table or packaged()).index(kind)
    if basis is not None and basis.rate is not None:
        changes = ()  # a fixed agreed rate does not follow the statutory table
    anniversaries = _capitalisations(start, end, basis)
    cuts_by_day: dict[date, Decimal] = {}
    for day, amount in reductions:
        if day <= end:
            key = max(day, start)
            cuts_by_day[key] = cuts_by_day.get(key, ZERO) + amount
    # Every cut lies in start..end: changes by the binary search, anniversaries by the loop,
    # reductions by the test and the max above; only ``start`` itself is no cut.
    cut_days = set(changes[bisect_right(changes, start):bisect_right(changes, end)])
    cut_days.update(anniversaries)
    cut_days.update(cuts_by_day)
    one = timedelta(days=1)
    for first, last in waived:
        for day in (first, last + one):
            if start < day <= end:
                cut_days.add(day)
    cut_days.discard(start)
    cuts = sorted(cut_days)

    principal_left = principal
    capitalised = ZERO
    year_interest = ZERO
    periods: list[tuple] = []
    bounds = [start, *cuts, end + one]
    for first, nxt in zip(bounds, bounds[1:]):
        if first in anniversaries:
            capitalised += year_interest
            year_interest = ZERO
        if first in cuts_by_day:
            principal_left = max(ZERO, principal_left - cuts_by_day[first])
        days = (nxt - first).days
        # The row in force on ``first``: the last one starting on or before it (else the first).
        if basis is None:
            rate = rates_[max(bisect_right(starts, first) - 1, 0)]
        elif basis.rate is not None:
            rate = basis.rate
        else:
            rate = rates_[max(bisect_right(starts, first) - 1, 0)] + basis.surcharge
        if waived and any(lo <= first <= hi for lo, hi in waived):
            rate = ZERO
        base = principal_left + capitalised
        amount = cents(base * rate * days / DAYS_IN_YEAR)
        year_interest += amount
        periods.append((first, nxt - one, days, rate, base, amount))
    return periods, principal_left


def compute(
    principal: Decimal,
    start: date,
    end: date,
    kind: str,
    *,
    reductions: Sequence[tuple[date, Decimal]] = (),
    waived: Sequence[tuple[date, date]] = (),
    basis: Basis | None = None,
    table: RateTable | None = None,
) -> Interest:
    """The statutory interest over ``principal`` for the days of default ``start``..``end``
    (or, with ``basis``, the interest agreed instead, which follows the commercial table).

    ``reductions``: (day, amount) pairs, each lowering the principal part of the base from
    that day on (a payment allocated to the principal); never below zero. ``table``: the
    rates in force (default: the packaged table).
    """
    _check(principal, start, end, kind, reductions)
    table = table or packaged()
    rows, principal_left = _periods(principal, start, end, kind, reductions, waived, basis, table)
    periods = [Period(*row) for row in rows]
    total_interest = sum((p.interest for p in periods), ZERO)
    return Interest(
        principal=principal,
        kind=kind,
        start=start,
        end=end,
        periods=tuple(periods),
        interest=total_interest,
        total=principal_left + total_interest,
        warnings=_warnings_for(table, kind, start, end, basis),
    )


def total(principal: Decimal, start: date, end: date, kind: str, *,
          reductions: Sequence[tuple[date, Decimal]] = (),
          waived: Sequence[tuple[date, date]] = (),
          basis: Basis | None = None, table: RateTable | None = None) -> tuple[Decimal, tuple[str, ...]]:
    """``compute(...)``'s interest and warnings without the breakdown: the ledger's figures,
    asked once or more per invoice."""
    _check(principal, start, end, kind, reductions)
    table = table or packaged()
    periods, _ = _periods(principal, start, end, kind, reductions, waived, basis, table)
    return sum((p[5] for p in periods), ZERO), _warnings_for(table, kind, start, end, basis)


@lru_cache(maxsize=4096)
def _warnings_for(table: RateTable, kind: str, start: date, end: date, basis: Basis | None = None) -> tuple[str, ...]:
    # Most invoices of a ledger share the last day (today) and many their first: the same text.
    if basis is not None and basis.rate is not None:
        return _below_statutory(table, basis.rate, start, end)
    return _warnings(table, kind, start, end)


def _below_statutory(rates: RateTable, rate: Decimal, start: date, end: date) -> tuple[str, ...]:
    """An agreed fixed rate below the statutory commercial rate gives interest away (the
    creditor may claim the statutory rate instead, art. 6:119a BW): say for which periods."""
    table = rates.rows(COMMERCIAL)
    out = []
    for i, r in enumerate(table):
        until = table[i + 1].start - timedelta(days=1) if i + 1 < len(table) else end
        if r.start <= end and until >= start and rate < r.rate:
            out.append(f"the agreed interest of {rate_pct(rate)} a year is below the wettelijke handelsrente "
                       f"of {rate_pct(r.rate)} from {max(r.start, start)} to {min(until, end)}: you may be "
                       "giving interest away")
    return tuple(out)


def _warnings(rates: RateTable, kind: str, start: date, end: date) -> tuple[str, ...]:
    name = NAMES[kind]
    table = rates.rows(kind)
    where = rates.where()
    out = []
    for i, r in enumerate(table):
        until = table[i + 1].start - timedelta(days=1) if i + 1 < len(table) else None
        if not (r.start <= end and (until is None or until >= start)):
            continue
        if r.replaces is not None and r.replaces.rate != r.rate:
            out.append(f"{where} replaces the packaged {name} from {r.start}: "
                       f"{rate_pct(r.replaces.rate)} -> {rate_pct(r.rate)}")
        if r.confirmed:
            continue
        if r.origin == USER:
            out.append(f"the {name} of {rate_pct(r.rate)} from {r.start} is marked confirmed = false in "
                       f"{where}: check it against the published decision, then set confirmed = true")
        else:
            out.append(f"the {name} of {rate_pct(r.rate)} from {r.start} is not confirmed against the "
                       f"published decision: check it and add the confirmed rate to {where} "
                       "(`wik rates` shows the table in force)")
    limit = rates.known_until(kind)
    if end > limit:
        last = table[-1]
        out.append(f"no {name} is known after {limit}: the rate of {rate_pct(last.rate)} from "
                   f"{last.start} is used up to {end}; add the new rate to {where} "
                   "(`wik rates` shows the table in force)")
    return tuple(out)
