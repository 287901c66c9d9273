"""The cumulation rule for a consumer's small periodic claims (since 2024-10-01).

Source: the Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012, 141), as
amended by paragraaf 3 of the Besluit kwaliteit incassodienstverlening (Besluit van 20
februari 2024, Stb. 2024, 44, in force 2024-10-01), which inserted a cumulation rule for a
consumer's instalments of one agreement. The official publication (zoek.officielebekendmakingen.nl,
stb-2024-44) and the Raad van State's advice with the nader rapport (Stcrt. 2024, 5616, which
calls it "een cumulatieregeling voor buitengerechtelijke incassokosten bij kleine
termijnbetalingen") were consulted; the stored copy available to wik's authors showed the
decree's heading, considerations and paragraaf 1, not the words of the inserted article, so
no sentence of it is quoted here. What wik implements is the rule as domain.md section 2
states it, read the way that claims less wherever a detail is open:

- It applies to a debtor who is a consumer, to WIK-letters dated from 2024-10-01, and to
  instalments whose principal is below 266.67 (the principal at which 15% reaches the
  40.00 minimum; above it the minimum never stacks). "Below" is judged on the principal
  still open when the letter announces the costs, which is never more than the invoice's
  amount: a partly paid larger invoice falls under the rule too (claims less).
- One agreement: the invoices that name the same agreement (``invoice add --agreement``, the
  CSV column ``overeenkomst``/``agreement``). A consumer's small invoices that name none are
  treated as one agreement together (the Besluit speaks of one agreement; wik cannot tell
  two unnamed agreements apart, and treating them as one claims less).
- Six months: for each unpaid instalment the creditor looks back six months. An instalment
  whose costs an earlier, live WIK-letter announced counts with the new ones when its due
  date lies on or after the day six months before the earliest due date of the new ones
  (counted by calendar month, the 31st falling back to the month's last day).
- The cap: what all these instalments' letters announce together never exceeds one staffel
  over the sum of their principals (each earlier one at the principal its letter announced
  the costs over, that is, what was open on that letter's date). A new letter announces the
  staffel over its own invoices, lowered to what the cap leaves, never below 0.00. A WIK-
  letter is still needed per claim; one that the cap leaves nothing to announce says 0,00.
- Costs are compared without VAT; the VAT follows the creditor's setting on what is left.

What is owed (``standing.owed_costs``) follows from what a letter announced, so the cap
reaches the ledger through the letter's record. Letters recorded before this rule was built
keep what they announced; ``wik letter`` and ``wik sent`` apply it to every new one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any
from collections.abc import Sequence

from wikcli.rules import costs as costs_mod
from wikcli.ledger.model import CONSUMER
from wikcli.rules.money import ZERO, cents

IN_FORCE = date(2024, 10, 1)
THRESHOLD = Decimal("266.67")
MONTHS = 6
# The key of the agreement a consumer's small invoices that name none are held to share.
UNNAMED = ""


@dataclass(frozen=True)
class Earlier:
    """An instalment whose costs an earlier WIK-letter announced, counted under the cap."""

    number: str
    principal: Decimal  # what was open when its letter announced the costs
    costs: Decimal  # what that letter announced for it, without VAT
    letter_day: date


@dataclass(frozen=True)
class Cap:
    agreement: str
    since: date  # the first due date that still counts (six months back)
    earlier: tuple[Earlier, ...]
    staffel: Decimal  # one staffel over the earlier and the new principals together
    left: Decimal  # what the new letter may still announce (without VAT)

    def to_json(self) -> dict:
        return {"agreement": self.agreement or None, "since": self.since.isoformat(),
                "earlier": [{"invoice": e.number, "principal": f"{e.principal:.2f}",
                             "costs": f"{e.costs:.2f}", "letter_date": e.letter_day.isoformat()}
                            for e in self.earlier],
                "staffel": f"{self.staffel:.2f}", "left": f"{self.left:.2f}"}


def months_back(day: date, months: int = MONTHS) -> date:
    import calendar

    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def is_small(principal: Decimal) -> bool:
    return principal < THRESHOLD


def agreement_of(inv) -> str:
    return getattr(inv, "agreement", "") or UNNAMED


def applies(debtor: str, kind: str, day: date) -> bool:
    from wikcli.ledger import facts

    return debtor == CONSUMER and kind == facts.WIK and day >= IN_FORCE


def cap(ledger, client, day: date, fresh: list[tuple[Any, Decimal]], rates) -> dict[str, Cap]:
    """Per agreement of the small invoices among ``fresh`` ((InvoiceFacts, principal open)):
    the cap on what a WIK-letter dated ``day`` may announce for them (``rates``: the
    interest.RateTable the earlier invoices' payments are applied with)."""
    from wikcli.ledger import standing

    groups: dict[str, list] = {}
    for inv, principal in fresh:
        if is_small(principal):
            groups.setdefault(agreement_of(inv), []).append((inv, principal))
    out: dict[str, Cap] = {}
    numbers = {inv.number for inv, _ in fresh}
    for key, members in groups.items():
        since = months_back(min(inv.due for inv, _ in members))
        earlier: list[Earlier] = []
        for other in ledger.invoices.values():
            if other.client != client.id or other.number in numbers or agreement_of(other) != key:
                continue
            if other.due < since:
                continue
            letter = standing.announcing_letter(other, client.type, day)
            if letter is None or letter.legacy or letter.announced is None or letter.day > day:
                continue
            principal = standing.principal_open_on(other, client, letter.day, day, rates)
            if not is_small(principal):
                continue
            earlier.append(Earlier(other.number, principal, letter.announced[0], letter.day))
        earlier.sort(key=lambda e: (e.letter_day, e.number))
        total = sum((e.principal for e in earlier), ZERO) + sum((p for _, p in members), ZERO)
        one = costs_mod.compute(total, debtor=CONSUMER).costs
        left = max(one - sum((e.costs for e in earlier), ZERO), ZERO)
        out[key] = Cap(key, since, tuple(earlier), one, left)
    return out


def lowered(announced: costs_mod.Costs, caps: dict[str, Cap], fresh: Sequence[tuple[object, Decimal]]):
    """``announced`` (one staffel over the letter's fresh invoices) lowered to what the caps
    leave: (Costs, the caps that lowered it). The part of the staffel that falls on the
    invoices under a cap (pro rata to their principal) may not exceed that cap's ``left``."""
    if not caps:
        return announced, ()
    base = sum((p for _, p in fresh), ZERO)
    keep = announced.costs
    used = []
    for key, c in caps.items():
        share = sum((p for inv, p in fresh if is_small(p) and agreement_of(inv) == key), ZERO)
        part = cents(announced.costs * share / base) if base > 0 else ZERO
        if part > c.left:
            keep -= part - c.left
            used.append(c)
        elif c.earlier:
            used.append(c)
    keep = max(keep, ZERO)
    if keep == announced.costs:
        return announced, tuple(used)
    return replace(announced, costs=keep, vat=cents(keep * announced.vat_rate),
                   cumulation=tuple(used)), tuple(used)
