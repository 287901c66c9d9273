"""The reports (`wik report ageing | collected | clients`) as a Python API: the ledger's
invoices assessed on a day and summed by ``ledger/reports.py``; nothing printed, the
interest-rate warnings returned with the figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from wikcli.ledger import reports, standing, steps
from wikcli.services.home import OpenHome

Tick = Callable[[int, int], None]


@dataclass(frozen=True)
class AgeingReport:
    """What is open on a day in buckets of days past due, and what the figures warn of (a
    day past the rate table, in the order of the invoices)."""
    report: reports.Ageing
    warnings: list[str]


def ageing(home: OpenHome, day: date, *, tick: Tick | None = None) -> AgeingReport:
    """Every open invoice's principal, costs and interest on ``day`` by days past due (in
    total, per client and per invoice); ``tick(done, total)`` hears how far it has come."""
    ledger = home.ledger()
    rows = steps.assess_all(ledger, home.rulebook, day, tick=tick)
    return AgeingReport(reports.ageing(ledger, rows, day), [w for a in rows for w in a.standing.warnings])


def collected(home: OpenHome, start: date, end: date, by: str, day: date) -> reports.Collected:
    """What payments dated ``start`` to ``end`` brought in, as the ledger applies them on
    ``day``: per ``by`` (a period of ``reports.PERIODS``; ``payment`` lists each receipt)."""
    ledger = home.ledger()
    standings = ((inv, standing.standing(inv, ledger.clients[inv.client], home.rulebook, day, with_interest=False))
                 for inv in ledger.invoices.values() if inv.date <= day and inv.payments)
    return reports.collected(ledger, standings, start, end, "month" if by == "payment" else by)


def clients(home: OpenHome, day: date, *, tick: Tick | None = None) -> reports.Clients:
    """How each client pays, closed invoices included, on ``day``."""
    ledger = home.ledger()
    rows = steps.assess_all(ledger, home.rulebook, day, include_closed=True, tick=tick)
    return reports.clients(ledger, rows, day)
