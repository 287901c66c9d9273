"""The credits kept for review, settled by hand: booked on invoices (`wik bank match`) or
marked as no payment of an invoice (`wik bank ignore`).

Pure: the ledger (its bank events in ``Ledger.bank``) and the request in; the events to
append and the credit they settle out, or a ``LedgerError`` refusal.
"""

from __future__ import annotations

from datetime import date

from wikcli.bank import duplicates
from wikcli.bank.booking import overpaid, remember_iban, with_bank
from wikcli.bank.history import History, Pending, credit_data, find_pending
from wikcli.bank.statements import Credit
from wikcli.ledger import commands
from wikcli.ledger.commands import LedgerError, NewEvent
from wikcli.ledger.bank_payloads import BankIgnoredData
from wikcli.ledger.events import PaymentData
from wikcli.ledger.facts import Ledger
from wikcli.ledger.rulebook import Rulebook
from wikcli.ledger.standing import amount_due
from wikcli.rules.money import ZERO, format_eur
from wikcli.i18n import _

RULE_MANUAL = "manual"  # booked by hand with `wik bank match`


def match_by_hand(ledger: Ledger, tx: str, number: str | tuple[str, ...], rulebook: Rulebook,
                  *, today: date, allow_overpayment: bool = False, force: bool = False
                  ) -> tuple[list[NewEvent], Pending]:
    """Book a credit kept for review on invoice ``number``, as `wik pay` would (same checks);
    one that probably duplicates a payment on the invoice (or its letter's) only with ``force``.
    ``number`` may be several invoices of one client (a tuple), over which the credit is split
    as over one claim (``booking.allocate``)."""
    history = History.of(ledger.bank)
    p = find_pending(history, ledger, tx, today)
    credit = p.credit
    numbers = list(dict.fromkeys((number,) if isinstance(number, str) else number))
    known = [n for n in numbers if n in ledger.invoices]
    if known and not force:
        dup = duplicates.Payments(ledger, history.booked, today).probable(credit, known)
        if dup is not None:
            raise LedgerError(_("credit {tx!r} of {amount} of {booking_date} is probably a duplicate of {payment}: add "
                                 "--force to book it as a second payment").format(
                                 tx=tx, amount=format_eur(credit.amount), booking_date=credit.booking_date.isoformat(),
                                 payment=dup.describe(speak=_)))
    if len(numbers) == 1:
        number = numbers[0]
        if number in ledger.invoices and not allow_overpayment and today > credit.booking_date:
            inv = ledger.invoices[number]
            due = amount_due(inv, ledger.clients[inv.client], rulebook, max(today, inv.date))
            if credit.amount > due:
                raise LedgerError(_("payment {amount} on invoice {number!r} is more than the {due} due on {today} (payments "
                                     "recorded since {booking_date}): add --allow-overpayment to record the rest as credit").format(
                                     amount=format_eur(credit.amount), number=number, due=format_eur(due), today=today.isoformat(), booking_date=credit.booking_date.isoformat()))
        out = commands.pay(ledger, number, credit.amount, credit.booking_date, rulebook, today=today,
                           allow_overpayment=allow_overpayment)
    else:
        out = _several(ledger, numbers, credit, rulebook, today, allow_overpayment)
    bank = credit_data(credit) | {"rule": RULE_MANUAL, "evidence": ", ".join(numbers)}
    out = [with_bank(PaymentData.load(data), bank).event(paid) for _kind, paid, data in out]
    out += remember_iban(ledger, ledger.invoices[numbers[0]].client, credit)
    return out, p


def _several(ledger: Ledger, numbers: list[str], credit: Credit, rulebook: Rulebook, today: date,
             allow_overpayment: bool) -> list[NewEvent]:
    """One credit booked on several invoices of one client: split over them as one claim."""
    from wikcli.ledger import claimpay

    for n in numbers:
        if n not in ledger.invoices:
            raise LedgerError(_("invoice {number!r} is not in the ledger: see `wik invoice list`").format(
                                 number=n[:80]))
    clients = {ledger.invoices[n].client for n in numbers}
    if len(clients) > 1:
        raise LedgerError(_("one credit pays invoices of one client: {invoices}").format(
            invoices=", ".join(f"{n} ({ledger.invoices[n].client})" for n in numbers)))
    day = credit.booking_date
    s = claimpay.split(ledger, numbers, credit.amount, day, rulebook)
    if s.rest > 0 and not allow_overpayment:
        raise LedgerError(_("{overpaid}: add --allow-overpayment to record the rest as credit").format(
            overpaid=overpaid(credit.amount, s.open_total, numbers, day, speak=_)))
    parts = dict(s.parts)
    if s.rest > 0:
        parts[numbers[0]] = parts.get(numbers[0], ZERO) + s.rest
    out: list[NewEvent] = []
    for n, amount in parts.items():
        out += commands.pay(ledger, n, amount, day, rulebook, today=today, allow_overpayment=True,
                            whole_claim=False)
    return out


def ignore(ledger: Ledger, tx: str, reason: str, day: date) -> tuple[list[NewEvent], Pending]:
    """Mark a credit kept for review as not about an invoice (a refund, a private transfer)."""
    p = find_pending(History.of(ledger.bank), ledger, tx, day)
    why = commands.check_text(reason, "reason", required=True)
    return [BankIgnoredData(key=p.credit.key, day=day, reason=why).event()], p
