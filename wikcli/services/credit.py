"""A client's credit (paid too much) shown, set off or paid back (`wik credit show | apply |
refund`) as a Python API: recorded through the one write path, the rules
``ledger/client_account.py``'s."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wikcli.i18n import _
from wikcli.ledger import client_account
from wikcli.ledger.commands import find_client
from wikcli.ledger.events import CreditAppliedData
from wikcli.services.home import OpenHome
from wikcli.store.lines import Event


@dataclass(frozen=True)
class SetOff:
    """A set-off recorded: the events, the client's id as the ledger spells it, the invoices
    the credit went to (in order) and how much went."""
    events: list[Event]
    client: str
    invoices: list[str]
    total: Decimal


def apply(home: OpenHome, client_id: str, day: date, *, today: date, on: date | None = None) -> SetOff:
    """Set the client's credit off against its open invoices (oldest first), recorded on
    ``day``, taking effect ``on`` (default: when the credit and the invoice both existed)."""
    found: list[str] = []

    def build(ledger):
        out = client_account.apply(ledger, client_id, day, home.rulebook, today=today, on=on)
        client = find_client(ledger, client_id)  # apply refused an unknown one
        found.append(client.id if client is not None else client_id)
        return out

    events = home.record(build)
    # One event per set-off on each side: the one on the invoice it pays counts.
    parts = [(e.invoice, p) for e in events for p in [CreditAppliedData.load(e.data)] if e.invoice == p.to]
    total = sum((p.amount for number, p in parts), Decimal(0))
    return SetOff(events, found[0], list(dict.fromkeys(number for number, p in parts)), total)


def refund(home: OpenHome, client_id: str, amount: Decimal | None, day: date, *, today: date) -> list[Event]:
    """Credit paid back to the client on ``day``: ``amount``, or all of it (None)."""
    return home.record(lambda ledger: client_account.refund(ledger, client_id, amount, day, home.rulebook,
                                                            today=today))


def account(home: OpenHome, client_id: str, day: date) -> client_account.Account:
    """The client's account on ``day`` (`wik credit show`): invoiced, charged, received,
    refunded, claimed and the credit it holds; ``CreditError`` for a client not known."""
    ledger = home.ledger()
    client = find_client(ledger, client_id)
    if client is None:
        raise client_account.CreditError(_("client {client!r} is not in the ledger: see `wik client list`").format(
            client=client_id[:80]))
    return client_account.account(ledger, client.id, home.rulebook, day)
