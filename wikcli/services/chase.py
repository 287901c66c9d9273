"""What happens to an invoice while it is chased, recorded by hand: a call note, a payment
plan, a pause and its end, the close, and the void that corrects a mistake. A Python API (no
Typer, no printing): each function takes an opened home and plain values, records through the
one write path, and returns the events recorded. The rules are ``ledger/commands.py``'s;
`wik pay` is ``services/payments.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wikcli.i18n import _
from wikcli.ledger import commands, facts, standing
from wikcli.rules.money import format_eur
from wikcli.services.home import OpenHome
from wikcli.store.lines import Event


def note(home: OpenHome, number: str, text: str, day: date, promise: date | None = None, *,
         today: date) -> list[Event]:
    """A call note on ``day`` (step 3), with the day the client promised to pay by, if any."""
    return home.record(lambda ledger: commands.note(ledger, number, text, day, promise, today=today))


@dataclass(frozen=True)
class AgreedPlan:
    """A payment plan recorded: its events (the first is the ``plan-agreed``) and what to tell
    the creditor about it."""
    events: list[Event]
    warnings: list[str]


def plan(home: OpenHome, number: str, installments: int, first: date, every: str | int, day: date, *,
         waive_interest: bool = False, replace: bool = False) -> AgreedPlan:
    """A payment plan agreed on ``day``: everything open in ``installments`` installments,
    the first due on ``first``, then every ``every`` ("month", "week" or a number of days)."""
    events = home.record(lambda ledger: commands.plan(ledger, number, installments, first, every, day,
                                                      home.rulebook, waive_interest=waive_interest,
                                                      replace=replace))
    return AgreedPlan(events, costs_in_plan(home, number, day, events[0].data))


def costs_in_plan(home: OpenHome, number: str, day: date, data: dict) -> list[str]:
    """A plan agreed inside a WIK-letter's term has the announced costs in its installments,
    though they are owed only once the term has run: say so."""
    ledger = home.ledger()
    inv = ledger.invoices[number]
    s = standing.standing(inv, ledger.clients[inv.client], home.rulebook, day, with_interest=False)
    if s.announced_by is None or s.costs_owed or s.costs_due_from is None:
        return []
    if data["installments"][-1]["due"] < s.costs_due_from.isoformat():
        return []
    return [_("invoice {number}: the installments include collection costs (at most {amount}) the " "{value} of {day} announced, owed only from {costs_due_from}: tell the client, or settle " "before then without them").format(number=number, amount=format_eur(s.costs), value=_(facts.KIND_NAMES[s.announced_by.kind]), day=s.announced_by.day.isoformat(), costs_due_from=s.costs_due_from.isoformat())]


def pause(home: OpenHome, number: str, reason: str, day: date) -> list[Event]:
    """Stop chasing ``number`` from ``day`` (no actions are due while paused)."""
    return home.record(lambda ledger: commands.pause(ledger, number, reason, day, home.rulebook))


def resume(home: OpenHome, number: str, day: date) -> list[Event]:
    """Chase a paused invoice again from ``day``."""
    return home.record(lambda ledger: commands.resume(ledger, number, day, home.rulebook))


def close(home: OpenHome, number: str, reason: str, day: date, *, force: bool = False) -> list[Event]:
    """Close ``number`` for ``reason`` (``commands.CLOSE_REASONS``); as paid while money is
    open only with ``force``."""
    return home.record(lambda ledger: commands.close(ledger, number, reason, day, home.rulebook, force=force))


def void(home: OpenHome, seq: int, reason: str, day: date) -> list[Event]:
    """Cancel the event numbered ``seq`` (a payment, note, plan or letter-sent)."""
    return home.record(lambda ledger: commands.void(ledger, seq, reason, day))
