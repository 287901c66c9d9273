"""A payment on a claim of several invoices: how it is split over them.

A letter about several invoices makes them one claim (``claims``). A payment on it, whether
recorded with `wik pay`, matched by hand with `wik bank match TX NUMBER...` or by the bank
import, is allocated over the claim as a whole (art. 6:44 BW): first the collection costs of
all its invoices, then their interest, then their principal, each part oldest invoice first.
While no costs are owed (a WIK-letter's term still runs, or no letter announced any) and no
payment plan is in force, the principal comes first and then the interest, as on one invoice:
a payment in the term lowers the costs to the staffel over what is left (seed 002).

Each invoice then takes its share as its own payment event, and its own walk
(``standing._allocate``) applies the share in the same order: so the split and the ledger agree.

Pure: the ledger, the policy and a day in, (invoice, amount) parts out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from collections.abc import Iterable

from wikcli.ledger import facts
from wikcli.ledger import steps
from wikcli.ledger.rulebook import Rulebook
from wikcli.rules.money import ZERO


@dataclass(frozen=True)
class Split:
    parts: tuple[tuple[str, Decimal], ...]  # (invoice, amount), in the order the claim is paid
    open_total: Decimal  # what the invoices owed on the day together
    rest: Decimal  # what the payment brings beyond that (credit, if allowed)


def claim_of(ledger: facts.Ledger, number: str, day: date) -> tuple[str, ...]:
    """The invoices of the claim ``number`` belongs to on ``day``: those of the latest live
    letter about it that covered several invoices, still open; else ``number`` alone."""
    inv = ledger.invoices[number]
    letters = sorted(inv.live(inv.letters, day), key=lambda x: (x.day, x.seq))
    for letter in reversed(letters):
        members = [i.number for i, x in letter.group if not i.is_voided(x.seq, day)]
        if len(members) > 1:
            return tuple(members)
    return (number,)


def split(ledger: facts.Ledger, numbers: Iterable[str], amount: Decimal, day: date,
          rulebook: Rulebook) -> Split:
    """``amount`` paid on ``day`` on the claim made of ``numbers`` (closed invoices that take no
    more payments left out)."""
    rows = []
    for n in dict.fromkeys(numbers):
        inv = ledger.invoices[n]
        a = steps.assess(inv, ledger.clients[inv.client], rulebook, max(day, inv.date))
        if a.closed is not None and a.closed not in facts.PAYABLE_WHEN_CLOSED:
            continue
        rows.append((inv, a))
    rows.sort(key=lambda r: (r[0].date, r[0].due, r[0].number))
    owed = any(a.standing.costs_owed for _, a in rows) or any(a.plan is not None for _, a in rows)
    # Costs not yet owed are no debt (``costs_open`` is 0.00 until they are).
    fields = ("costs_open", "interest", "principal_open") if owed else ("principal_open", "interest")
    shares: dict[str, Decimal] = {}
    rest = amount
    for f in fields:
        for inv, a in rows:
            take = min(rest, getattr(a.standing, f))
            if take > 0:
                shares[inv.number] = shares.get(inv.number, ZERO) + take
                rest -= take
    open_total = sum((a.standing.total_due for _, a in rows), ZERO)
    order = [inv.number for inv, _ in rows if inv.number in shares]
    return Split(tuple((n, shares[n]) for n in order), open_total, rest)
