"""A client's account: its invoices, what it paid, and the credit it holds.

Money a client paid beyond what an invoice owed is the client's credit (it stays on the
invoice it was paid on, ``standing.Standing.credit``). It is set off against the client's
open invoices only by a recorded event (``wik credit apply``), never silently: one
``credit-applied`` event on the invoice that held the credit and one on the invoice it pays,
with the same data. The paid invoice takes it as a payment (no money received), allocated
the way any payment on it is (``standing._allocate``); the oldest open invoice first. A
credit paid back to the client is a ``credit-refunded`` event on the invoice that held it.

Until it is set off, the credit keeps every request for money honest: a letter to the
client is refused, a statement of account subtracts it from what is due now, and
``wik check`` asks for the set-off instead of the invoice's next step.

The account balances (tests/test_claims_stateful.py): what the open invoices claim, less the
credit, is what was invoiced plus the costs and interest charged, less the money received,
plus what was refunded.

Pure: the ledger, the policy and a day in, values or new events out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from wikcli.ledger import facts
from wikcli.ledger import standing
from wikcli.ledger import steps
from wikcli.ledger.rulebook import Rulebook
from wikcli.ledger.commands import NewEvent
from wikcli.ledger.events import CreditAppliedData, CreditRefundedData
from wikcli.errors import WikError
from wikcli.rules.money import ZERO, cents, format_eur, to_str
from wikcli.i18n import _

APPLY_CREDIT = "apply-credit"  # the action ``wik check`` reports for a client holding credit


class CreditError(WikError):
    """A set-off or refund the account does not allow."""


@dataclass(frozen=True)
class Holding:
    """Credit held on one invoice."""

    invoice: str
    amount: Decimal


@dataclass(frozen=True)
class Account:
    client: str
    day: date
    invoiced: Decimal  # the principal of every invoice dated up to ``day``
    charged: Decimal  # collection costs owed and interest accrued, paid or open
    received: Decimal  # money received (payments, not set-offs)
    refunded: Decimal
    claimed: Decimal  # what the open invoices claim (their total due)
    credit: Decimal  # held, neither set off nor refunded
    holdings: tuple[Holding, ...]
    open_invoices: tuple[str, ...]  # oldest due date first

    @property
    def balance(self) -> Decimal:
        """What the client owes after its credit is set off (negative: owed to the client)."""
        return self.claimed - self.credit

    def to_json(self) -> dict:
        return {"client": self.client, "date": self.day.isoformat(), "invoiced": to_str(self.invoiced),
                "charged": to_str(self.charged), "received": to_str(self.received),
                "refunded": to_str(self.refunded), "claimed": to_str(self.claimed),
                "credit": to_str(self.credit), "balance": to_str(self.balance),
                "credit_on": [{"invoice": h.invoice, "amount": to_str(h.amount)} for h in self.holdings]}


def _invoices(ledger: facts.Ledger, client_id: str, day: date) -> list[facts.InvoiceFacts]:
    return sorted((i for i in ledger.invoices.values() if i.client == client_id and i.date <= day),
                  key=lambda i: (i.due, i.date, i.number))


def account(ledger: facts.Ledger, client_id: str, rulebook: Rulebook, day: date) -> Account:
    client = ledger.clients[client_id]
    invoiced = charged = received = refunded = claimed = ZERO
    holdings, open_ = [], []
    for inv in _invoices(ledger, client_id, day):
        a = steps.assess(inv, client, rulebook, day)
        s = a.standing
        invoiced += inv.amount
        charged += s.costs_charged + s.interest_accrued
        received += sum((p.amount for p in inv.live(inv.payments, day) if not p.set_off), ZERO)
        refunded += sum((x.amount for x in inv.credit_out if x.day <= day and not x.set_off), ZERO)
        if s.credit > 0:
            holdings.append(Holding(inv.number, s.credit))
        if a.is_open:
            claimed += s.total_due
            open_.append(inv.number)
    return Account(client_id, day, invoiced, charged, received, refunded, claimed,
                   sum((h.amount for h in holdings), ZERO), tuple(holdings), tuple(open_))


def credits(ledger: facts.Ledger, rulebook: Rulebook, day: date,
            clients: set[str] | None = None) -> dict[str, Decimal]:
    """Client id -> the credit it holds on ``day`` (only clients holding some), in one pass."""
    out: dict[str, Decimal] = {}
    for inv in ledger.invoices.values():
        if clients is not None and inv.client not in clients:
            continue
        if inv.date > day or not inv.payments:
            continue
        # Credit is what is left once the principal is paid: none unless more than it came in.
        if sum((p.amount for p in inv.live(inv.payments, day)), ZERO) <= inv.amount:
            continue
        c = standing.standing(inv, ledger.clients[inv.client], rulebook, day,
                             with_interest=False).credit
        if c > 0:
            out[inv.client] = out.get(inv.client, ZERO) + c
    return out


def credit_of(ledger: facts.Ledger, client_id: str, rulebook: Rulebook, day: date) -> Decimal:
    """The credit the client holds on ``day``."""
    return credits(ledger, rulebook, day, {client_id}).get(client_id, ZERO)


def hold_back(rows: list, ledger: facts.Ledger, rulebook: Rulebook, day: date) -> list:
    """``wik check``'s due rows (``steps.StatusRow``) with the action of every invoice of a
    client holding credit turned into ``apply-credit``: no step asks for money the credit covers."""
    if not rows:
        return rows
    held = credits(ledger, rulebook, day, {r.client for r in rows})
    return [r._replace(next_action=APPLY_CREDIT) if r.client in held else r for r in rows]


def refusal(ledger: facts.Ledger, client_id: str, rulebook: Rulebook, day: date) -> str | None:
    """Why a request for money to the client must wait (its credit is not set off), or None."""
    credit = credit_of(ledger, client_id, rulebook, day)
    if credit <= 0:
        return None
    return (_("client {client!r} holds a credit of {credit} that is not set off: `wik credit apply "
               "{client}` (or `wik credit refund {client}`) first").format(
               client=client_id, credit=format_eur(credit)))


def _client(ledger: facts.Ledger, client_id: str):
    from wikcli.ledger.commands import find_client

    c = find_client(ledger, client_id)
    if c is None:
        raise CreditError(_("client {client!r} is not in the ledger: see `wik client list`").format(
                             client=client_id[:80]))
    return c


def _check_day(day: date, today: date) -> None:
    if day > today:
        raise CreditError(_("date {day} is after today {today}: record it once it has happened").format(
                             day=day.isoformat(), today=today.isoformat()))


def _arose(inv: facts.InvoiceFacts, day: date) -> date:
    """The day the credit on ``inv`` arose: its last payment."""
    return max(p.day for p in inv.live(inv.payments, day))


def apply(ledger: facts.Ledger, client_id: str, day: date, rulebook: Rulebook, *,
          today: date, on: date | None = None) -> list:
    """Events that set the client's credit off against its open invoices: the oldest credit
    first, on the oldest open invoice first (by due date), each up to what it owes; none when
    nothing is open (the credit stays until a later invoice or a refund).

    Recorded on ``day``; it takes effect on ``on`` when given, else, as a set-off works back
    to when it could first be made (art. 6:129 BW), on the later of the day the credit arose
    and the paid invoice's date: no interest or costs run on money the client had already
    paid."""
    _check_day(day, today)
    if on is not None and on > day:
        raise CreditError(_("--on {on} is after the set-off's date {day}").format(
                             on=on.isoformat(), day=day.isoformat()))
    client = _client(ledger, client_id)
    acc = account(ledger, client.id, rulebook, day)
    if acc.credit <= 0:
        raise CreditError(_("client {client!r} holds no credit on {day}: nothing to set off").format(
                             client=client.id, day=day.isoformat()))
    # A set-off dated back may use only the credit that is still there today (a payment voided
    # since the day it is dated took its credit with it).
    now = {h.invoice: h.amount for h in account(ledger, client.id, rulebook, today).holdings}
    # [invoice holding the credit, what of it this run may still use]
    sources: list[list[Any]] = [[h.invoice, min(h.amount, now.get(h.invoice, ZERO))] for h in acc.holdings]
    sources = [x for x in sources if x[1] > 0]
    if not sources:
        raise CreditError(_("client {client!r} holds no credit on {day} that it still holds today: nothing to set off").format(
                             client=client.id, day=day.isoformat()))
    events: list[NewEvent] = []
    for number in acc.open_invoices:
        inv = ledger.invoices[number]
        set_off = ZERO  # what this run has already set off on the invoice
        while sources:
            src = sources[0]
            when = on or max(_arose(ledger.invoices[src[0]], day), inv.date)
            if when < inv.date:
                raise CreditError(_("--on {when} is before the date {date} of invoice {number!r}").format(
                                     when=when.isoformat(), date=inv.date.isoformat(), number=number))
            # What the invoice owes on that day, less what this run has already set off on it.
            owed = standing.amount_due(inv, client, rulebook, when) - set_off
            if owed <= 0:
                break
            part = min(owed, src[1])
            applied = CreditAppliedData(client=client.id, day=when, recorded=day, amount=cents(part),
                                        source=src[0], to=number)
            events.append(applied.event(src[0]))
            if number != src[0]:
                events.append(applied.event(number))
            set_off += applied.amount
            src[1] -= part
            if src[1] == 0:
                sources.pop(0)
        if not sources:
            break
    return events


def refund(ledger: facts.Ledger, client_id: str, amount: Decimal | None, day: date,
           rulebook: Rulebook, *, today: date) -> list:
    """Events for a credit paid back: ``amount`` (all of it when None), oldest credit first."""
    _check_day(day, today)
    client = _client(ledger, client_id)
    acc = account(ledger, client.id, rulebook, day)
    if acc.credit <= 0:
        raise CreditError(_("client {client!r} holds no credit on {day}: nothing to refund").format(
                             client=client.id, day=day.isoformat()))
    want = acc.credit if amount is None else amount
    if want <= 0:
        raise CreditError(_("refund {want} is not positive: expected an amount above € 0,00").format(
                             want=format_eur(want)))
    if want > acc.credit:
        raise CreditError(_("refund {want} is more than the {credit} credit client {client!r} holds on {day}").format(
                             want=format_eur(want), credit=format_eur(acc.credit), client=client.id, day=day.isoformat()))
    events = []
    for h in acc.holdings:
        part = min(want, h.amount)
        if part <= 0:
            break
        events.append(CreditRefundedData(client=client.id, day=day, amount=cents(part)).event(h.invoice))
        want -= part
    return events
