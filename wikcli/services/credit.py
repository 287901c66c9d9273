"""A client's credit (paid too much) set off or paid back (`wik credit apply | refund`) as a
Python API: recorded through the one write path, the rules ``ledger/client_account.py``'s."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wikcli.ledger import client_account
from wikcli.ledger.commands import find_client
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
    parts = [e for e in events if e.invoice == e.data["to"]]  # one per set-off, also on its own invoice
    total = sum((Decimal(e.data["amount"]) for e in parts), Decimal(0))
    return SetOff(events, found[0], list(dict.fromkeys(e.invoice for e in parts)), total)


def refund(home: OpenHome, client_id: str, amount: Decimal | None, day: date, *, today: date) -> list[Event]:
    """Credit paid back to the client on ``day``: ``amount``, or all of it (None)."""
    return home.record(lambda ledger: client_account.refund(ledger, client_id, amount, day, home.rulebook,
                                                            today=today))
