"""Statutory interest: wettelijke rente (art. 6:119 BW) and handelsrente (art. 6:119a BW).

Interest runs for every day of default, ``start`` and ``end`` both counted. The range is cut
into periods at every rate change and at every anniversary of ``start``; at an anniversary
the interest of the year just ended is added to the base (art. 6:119 lid 2, 6:119a lid 3
BW). Per period: base x rate x days / 365, every year counted as 365 days (the convention of
the Dutch calculators), rounded half up to the cent; the interest is the sum of the periods,
so a reader can add up the breakdown.

The rates live in ``rates.toml`` (data, not code): a newly published rate is one more row.
"""

from __future__ import annotations

import tomllib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from importlib import resources

from wikcli.errors import WikError
from wikcli.money import ZERO, cents, to_str

CONSUMER = "consumer"
COMMERCIAL = "commercial"
KINDS = (CONSUMER, COMMERCIAL)
EARLIEST = date(2015, 1, 1)
DAYS_IN_YEAR = Decimal(365)


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

    def to_json(self) -> dict:
        return {"from": self.start.isoformat(), "rate": rate_str(self.rate),
                "source": self.source, "confirmed": self.confirmed}


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
        raise InterestError(f"interest kind {kind!r} is unknown: expected consumer or commercial")


@cache
def _table() -> dict[str, tuple[Rate, ...]]:
    text = resources.files("wikcli").joinpath("rates.toml").read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InterestError(f"rates.toml is not valid TOML: {e}") from None
    return {kind: _parse_rows(kind, data.get(kind)) for kind in KINDS}


def _parse_rows(kind: str, rows: object) -> tuple[Rate, ...]:
    if not isinstance(rows, list) or not rows:
        raise InterestError(f"rates.toml has no [[{kind}]] rows: expected one per published rate")
    out: list[Rate] = []
    for n, row in enumerate(rows, 1):
        where = f"rates.toml [[{kind}]] row {n}"
        if not isinstance(row, dict):
            raise InterestError(f"{where} is not a table: expected from, rate, source, confirmed")
        start, raw, source, confirmed = (row.get(k) for k in ("from", "rate", "source", "confirmed"))
        if not isinstance(start, date):
            raise InterestError(f"{where}: from {start!r} is not a date: expected e.g. 2026-07-01")
        try:
            rate = Decimal(raw) if isinstance(raw, str) else None
        except InvalidOperation:
            rate = None
        if rate is None or not rate.is_finite() or not (0 <= rate < 1):
            raise InterestError(f"{where}: rate {raw!r} is not a fraction: expected a string such as \"0.0815\"")
        if not isinstance(source, str) or not source.strip():
            raise InterestError(f"{where}: source is missing: expected where the rate was published")
        if not isinstance(confirmed, bool):
            raise InterestError(f"{where}: confirmed {confirmed!r} is not true or false")
        if out and start <= out[-1].start:
            raise InterestError(f"{where}: from {start} is not after {out[-1].start}: keep rows in date order")
        out.append(Rate(start, rate, source.strip(), confirmed))
    if out[0].start > EARLIEST:
        raise InterestError(f"rates.toml [[{kind}]] starts at {out[0].start}: expected a row from {EARLIEST}")
    return tuple(out)


def rates(kind: str) -> tuple[Rate, ...]:
    """Every published rate of ``kind`` from 2015-01-01, oldest first."""
    _check_kind(kind)
    return _table()[kind]


def known_until(kind: str) -> date:
    """The last day the table covers: the end of the half-year of its newest row."""
    last = rates(kind)[-1].start
    return date(last.year, 6, 30) if last.month < 7 else date(last.year, 12, 31)


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February: the year of default ends on 28 February
        return date(start.year + years, 3, 1)


@cache
def _index(kind: str) -> tuple[tuple[date, ...], tuple[Decimal, ...], tuple[date, ...]]:
    """Per kind, computed once: the rows' first days and rates (for a binary search) and the
    days the rate changes (a row that repeats the previous rate marks a half-year, not a change)."""
    table = rates(kind)
    changes = tuple(sorted({r.start for prev, r in zip(table, table[1:]) if r.rate != prev.rate}))
    return tuple(r.start for r in table), tuple(r.rate for r in table), changes


def _check(principal: Decimal, start: date, end: date, kind: str,
           reductions: Sequence[tuple[date, Decimal]]) -> None:
    _check_kind(kind)
    if principal <= 0:
        raise InterestError(f"principal {principal} is not positive: expected an amount above 0,00")
    if start < EARLIEST:
        raise InterestError(f"first day of default {start} is before {EARLIEST}: wik knows the rates "
                            f"from {EARLIEST} on (older claims are time-barred in practice)")
    if start > end:
        raise InterestError(f"first day of default {start} is after the last day {end}: "
                            "expected the first day on or before the last")
    for day, amount in reductions:
        if amount < 0:
            raise InterestError(f"reduction {amount} on {day} is negative: expected 0,00 or more")


def _periods(principal: Decimal, start: date, end: date, kind: str,
             reductions: Sequence[tuple[date, Decimal]],
             waived: Sequence[tuple[date, date]] = ()) -> tuple[list[tuple], Decimal]:
    """The periods as (first, last, days, rate, base, interest) and the principal left at the end.

    ``waived``: (first, last) day ranges in which the creditor gave up the interest (a payment
    plan agreed so): periods inside them bear rate 0; anniversaries still capitalise what the
    year before them earned."""
    starts, rates_, changes = _index(kind)
    anniversaries: set[date] = set()
    n = 1
    while (a := _anniversary(start, n)) <= end:
        anniversaries.add(a)
        n += 1
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
        rate = rates_[max(bisect_right(starts, first) - 1, 0)]
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
) -> Interest:
    """The statutory interest over ``principal`` for the days of default ``start``..``end``.

    ``reductions``: (day, amount) pairs, each lowering the principal part of the base from
    that day on (a payment allocated to the principal); never below zero.
    """
    _check(principal, start, end, kind, reductions)
    rows, principal_left = _periods(principal, start, end, kind, reductions, waived)
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
        warnings=_warnings_for(kind, start, end),
    )


def total(principal: Decimal, start: date, end: date, kind: str, *,
          reductions: Sequence[tuple[date, Decimal]] = (),
          waived: Sequence[tuple[date, date]] = ()) -> tuple[Decimal, tuple[str, ...]]:
    """``compute(...)``'s interest and warnings without the breakdown: the ledger's figures,
    asked once or more per invoice."""
    _check(principal, start, end, kind, reductions)
    periods, _ = _periods(principal, start, end, kind, reductions, waived)
    return sum((p[5] for p in periods), ZERO), _warnings_for(kind, start, end)


@lru_cache(maxsize=4096)
def _warnings_for(kind: str, start: date, end: date) -> tuple[str, ...]:
    # Most invoices of a ledger share the last day (today) and many their first: the same text.
    return _warnings(kind, rates(kind), start, end)


def _warnings(kind: str, table: tuple[Rate, ...], start: date, end: date) -> tuple[str, ...]:
    name = "wettelijke rente" if kind == CONSUMER else "wettelijke handelsrente"
    out = []
    for i, r in enumerate(table):
        until = table[i + 1].start - timedelta(days=1) if i + 1 < len(table) else None
        if not r.confirmed and r.start <= end and (until is None or until >= start):
            out.append(f"the {name} of {rate_pct(r.rate)} from {r.start} is not confirmed "
                       "against the published decision: check it before you rely on it")
    limit = known_until(kind)
    if end > limit:
        last = table[-1]
        out.append(f"no {name} is known after {limit}: the rate of {rate_pct(last.rate)} from "
                   f"{last.start} is used up to {end}; add newer rates to wikcli/rates.toml")
    return tuple(out)
