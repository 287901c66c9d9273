"""A payment recorded by hand (`wik pay`) as a Python API: no Typer, no printing.

A freelancer who imported the statement first and then records the same transfer seen in the
banking app would book the money twice. A payment by hand of the same amount as a live
payment from a bank statement on the invoice (or on an invoice a letter about it names)
within ``duplicates.WINDOW_DAYS`` days is refused unless ``force`` says it is a second
payment: the bank import's rule (``bank/duplicates.py``) seen from the other side. Two
payments by hand are not compared (``duplicates.hand_duplicate`` says why).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wikcli.bank import duplicates
from wikcli.i18n import _
from wikcli.ledger import client_account, commands
from wikcli.ledger.commands import NewEvent
from wikcli.ledger.facts import Ledger
from wikcli.ledger.rulebook import Rulebook
from wikcli.rules.money import format_eur
from wikcli.services.home import OpenHome


def plan(ledger: Ledger, number: str, amount: Decimal, day: date, rulebook: Rulebook, *, today: date,
         allow_overpayment: bool = False, force: bool = False) -> list[NewEvent]:
    """The events of a payment by hand, or a ``LedgerError`` refusal: unless ``force``, the
    duplicate check first (the payment it repeats says more than "closed (paid)" or "more
    than is due", which a repeated payment usually also is), then `wik pay`'s own checks."""
    if not force and number in ledger.invoices:
        duplicates.refuse_hand_duplicate(ledger, number, amount, day, today)
    return commands.pay(ledger, number, amount, day, rulebook, today=today, allow_overpayment=allow_overpayment)


def pay(home: OpenHome, number: str, amount: Decimal, day: date, *, today: date,
        allow_overpayment: bool = False, force: bool = False) -> list:
    """Record a payment by hand: the events recorded. Checked under the journal's lock
    against the ledger as it is then, so a bank import recorded a moment before (a scheduled
    one, another terminal) is seen too."""
    return home.record(lambda ledger: plan(ledger, number, amount, day, home.rulebook, today=today,
                                           allow_overpayment=allow_overpayment, force=force))


def credit_left(home: OpenHome, number: str, day: date) -> list[str]:
    """After a payment on invoice ``number`` that may have been too much: a warning when its
    client now holds a credit on ``day``, which is set off only on request."""
    ledger = home.ledger()
    client = ledger.invoices[number].client
    acc = client_account.account(ledger, client, home.rulebook, day)
    if acc.credit <= 0:
        return []
    how = (_("set it off with `wik credit apply {client}`") if acc.open_invoices
           else _("set it off against a later invoice with `wik credit apply {client}`")).format(client=client)
    return [_("client {client!r} holds a credit of {amount}: {how}, or pay it back and record it with "
              "`wik credit refund {client}`").format(client=client, amount=format_eur(acc.credit), how=how)]
